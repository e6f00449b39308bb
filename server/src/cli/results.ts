// The findings of a run as CI tools take them (issue #16): the exit threshold (`--fail-on`), and
// the results that SARIF and GitHub workflow commands print, one per finding of a report, a
// repeated report being one result with its count. Severities are the finding codes' (core/codes.ts
// FINDING_CODES; a report's own code from core/kinds.ts REPORT_KINDS).
import { createHash } from 'node:crypto';
import type { Severity } from '../core/analysis-types';
import { analysedContent, analysedLine, repeatKey, type Analysed } from '../core/analyze';
import type { FailOn } from './args';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const THRESHOLD: Record<FailOn, number> = { info: 1, warning: 2, error: 3, none: Infinity };

/** Whether any finding at or above `--fail-on` was seen (every report counts, repeats too). */
export class FailOnTracker {
  private worst = -1;

  constructor(private readonly failOn: FailOn) {}

  add(item: Analysed): void {
    // (a copy left unmade is not made: its findings' severities are its content's)
    for (const f of analysedContent(item).findings)
      if (RANK[f.severity] > this.worst) this.worst = RANK[f.severity];
  }

  get failed(): boolean {
    return this.worst >= THRESHOLD[this.failOn];
  }
}

/**
 * GitHub code scanning takes at most 25,000 results per run (docs: "SARIF support for code
 * scanning", limits): past that a run is rejected, so results beyond it are counted, not kept.
 */
export const MAX_RESULTS = 25_000;
/** Lines of a repeated report's later copies kept with its result (the count is exact). */
export const MAX_REPEAT_LINES = 20;
/** Lines a finding's related information points to, kept with its result. */
export const MAX_RELATED = 10;

export interface CiResult {
  code: string;
  severity: Severity;
  message: string;
  /** The input as named on the command line. */
  file: string;
  /** 1-based. */
  line: number;
  related: { line: number; message: string }[];
  /** Reports this result stands for: 1, plus one per identical report after it. */
  count: number;
  /** Where the identical reports after the first are (at most MAX_REPEAT_LINES): their file (in
   * a rotated set, another file than the first's) and 1-based header line. */
  repeats: { file: string; line: number }[];
  /** Hash of what the report says, not where: the same report gives the same value in any run
   * and at any line (see `fingerprint`). */
  fingerprint: string;
}

/**
 * A stable identity for one finding of one report: its code, the report's repeat key (kind,
 * order, GFP mask, host, call chain: core/analyze.ts repeatKey), the finding's message and its
 * rank among the report's findings of that code (one per zone for zone findings). No line number
 * and no time: a report moved down by new lines above it, or seen again in tomorrow's log, keeps it.
 */
function fingerprint(key: string, code: string, message: string, ordinal: number): string {
  return createHash('sha256')
    .update(`klens/1\0${code}\0${ordinal}\0${key}\0${message}`)
    .digest('hex')
    .slice(0, 32);
}

export class ResultCollector {
  readonly results: CiResult[] = [];
  /** Findings left out past MAX_RESULTS. */
  dropped = 0;
  /** The results of each first report still accepting repeats, by file and report index. */
  private readonly byFirst = new Map<string, CiResult[]>();

  /** `scope`: what report indices count in (a rotated set's reports are numbered across its
   * files, and a repeat may be in another file than its first). */
  add(file: string, item: Analysed, scope = file): void {
    if (item.first) {
      const results = this.byFirst.get(`${scope}\0${item.first.index}`);
      if (!results) return;
      for (const r of results) {
        r.count++;
        if (r.repeats.length < MAX_REPEAT_LINES) r.repeats.push({ file, line: analysedLine(item) + 1 });
      }
      return;
    }
    const key = repeatKey(item.report, item.analysis);
    const ordinals = new Map<string, number>();
    const mine: CiResult[] = [];
    for (const f of item.analysis.findings) {
      const ordinal = ordinals.get(f.code) ?? 0;
      ordinals.set(f.code, ordinal + 1);
      if (this.results.length >= MAX_RESULTS) {
        this.dropped++;
        continue;
      }
      const result: CiResult = {
        code: f.code,
        severity: f.severity,
        message: f.message,
        file,
        line: f.line + 1,
        related: f.related.slice(0, MAX_RELATED).map((r) => ({ line: r.line + 1, message: r.message })),
        count: 1,
        repeats: [],
        fingerprint: fingerprint(key, f.code, f.message, ordinal),
      };
      this.results.push(result);
      mine.push(result);
    }
    if (mine.length > 0) this.byFirst.set(`${scope}\0${item.analysis.index}`, mine);
  }
}
