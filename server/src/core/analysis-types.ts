// What the kernel knowledge works out for each report: the types every front end presents.
// The CLI's `findings`/`sysctl` JSON fields, the diagnostics, hovers and quick fixes all read these,
// so nothing outside the core recomputes kernel facts.

import type { ParsedLog, Report, ZoneLine, BuddyLine } from './model';

export type ZoneState = 'below_min' | 'below_low' | 'below_high' | 'ok' | 'unknown';

/** Why the allocation failed, as far as the report's numbers can tell (product.md "verdict"). */
export type Verdict =
  | 'no_free_pages' // no allowed zone passed the watermark check
  | 'fragmentation' // pages enough, but no free block of the order
  | 'zones_passed' // the check passes: cpuset/nodemask, race, NORETRY/costly give-up
  | 'undecidable' // an input the replay needs is missing (named in verdictText)
  | 'not_applicable'; // OOM kill, show_mem, SLUB report: no single request to replay

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  /** Stable code, documented in docs/codes/<code>.md (e.g. "KLL001"). */
  code: string;
  severity: Severity;
  message: string;
  /** 0-based line the finding sits on. */
  line: number;
  /** 0-based lines that decided it (zone lines for a report finding). */
  related: { line: number; message: string }[];
}

export interface SysctlSuggestion {
  key: string;
  value: string;
  /** Evidence, the current value inferred from the log, and the risk; one or more `# ` lines. */
  comment: string;
  /** Suggested for this report, or only listed with an honest assessment. */
  recommended: boolean;
}
