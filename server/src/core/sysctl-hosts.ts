// One sysctl file, several hosts and reports (issue #14): the suggestions are grouped in one block
// per host, each with its provenance (host, log file, report line), and where two reports want
// different values for one key exactly one assignment stays active, chosen by a rule that is said
// in a comment. Shared by the editor's quick fixes (features/sysctl-edits.ts) and `klens analyze
// --sysctl` (cli/text.ts). sysctl.conf(5) and systemd-sysctl apply every assignment of a file in
// order, so the last one of a key wins: two active lines for one key would let the file's order
// decide silently. Every line built here is a comment (oneLine) or an assignment of a core key and
// value; a host name from the log only ever appears inside a comment.

import { oneLine } from './safe-text';

/** Where a suggestion comes from. */
export interface Provenance {
  /** The host name the log printed, null when it printed none. */
  host: string | null;
  /** Log file label and 1-based line of the report's header. */
  file: string;
  line: number;
  /** The report's time as printed, or null. */
  time: string | null;
}

/** "messages:1 (Apr 28 05:30:51)" */
export function provenanceText(p: Provenance): string {
  return oneLine(`${p.file}:${p.line}${p.time ? ` (${p.time})` : ''}`);
}

/** The name a host's block goes under: "cztest", or "unnamed host" when the log printed none. */
export function hostLabel(host: string | null): string {
  return host === null || oneLine(host) === '' ? UNNAMED_HOST : oneLine(host);
}

export const UNNAMED_HOST = '(host not named in the log)';

const HOST_MARK = 'Kernel Log Lens: host ';
const END_MARK = 'Kernel Log Lens: end of host ';

/** The comment that opens a host's block, and the one that closes it. */
export function hostStartLine(host: string | null): string {
  return `# ${HOST_MARK}${hostLabel(host)}`;
}

export function hostEndLine(host: string | null): string {
  return `# ${END_MARK}${hostLabel(host)}`;
}

/** The host label of a block-opening (`start`) or closing (`end`) comment line, else null. */
export function hostMark(line: string): { kind: 'start' | 'end'; host: string } | null {
  const m = /^\s*#\s*Kernel Log Lens: (end of host|host) (.+?)\s*$/.exec(line);
  if (!m) return null;
  return { kind: m[1] === 'host' ? 'start' : 'end', host: m[2] };
}

/**
 * Which of two values wanted for one key stays active, and why. Where the kernel's documentation
 * orders the values (Documentation/admin-guide/sysctl/vm.rst), the one that keeps at least what
 * each report asked for wins:
 * - min_free_kbytes: "force the Linux VM to keep a minimum number of kilobytes free": the larger
 *   keeps each report's reserve (setup_per_zone_wmarks scales every zone's min from it);
 * - watermark_scale_factor: the low–min and high–low gaps grow with it (__setup_per_zone_wmarks,
 *   4.6+): the larger wakes kswapd at least as early as each report asked;
 * - compaction_proactiveness (5.9+): the larger compacts at least as much in the background;
 * - extfrag_threshold: the kernel compacts a zone only when its fragmentation index is above the
 *   threshold (compaction_suitable, mm/compaction.c): the smaller compacts at least as readily.
 * For other keys no rule orders the values: the one already in the file (the earlier report)
 * stays, and the comment asks to compare the reports.
 */
export function conflictWinner(
  key: string,
  kept: string,
  incoming: string,
): { incomingWins: boolean; why: string } {
  const rule = ORDERED[key.replace(/\//g, '.')];
  const a = /^\d+$/.test(kept) ? Number(kept) : NaN;
  const b = /^\d+$/.test(incoming) ? Number(incoming) : NaN;
  if (rule && Number.isFinite(a) && Number.isFinite(b)) {
    const incomingWins = rule.larger ? b > a : b < a;
    return { incomingWins, why: rule.why };
  }
  return {
    incomingWins: false,
    why: 'no rule orders these values: the one written first stays; compare the two reports',
  };
}

const ORDERED: Record<string, { larger: boolean; why: string }> = {
  'vm.min_free_kbytes': {
    larger: true,
    why: 'the larger min_free_kbytes keeps at least the reserve each report asked for',
  },
  'vm.watermark_scale_factor': {
    larger: true,
    why: 'the larger factor wakes kswapd at least as early as each report asked for',
  },
  'vm.compaction_proactiveness': {
    larger: true,
    why: 'the larger value compacts at least as much as each report asked for',
  },
  'vm.extfrag_threshold': {
    larger: false,
    why: 'the smaller threshold lets the kernel compact at least as readily as each report asked for',
  },
};

/** The comment over a value that does not stay active: who wants what instead, and why. */
export function yieldedLine(key: string, value: string): string {
  return `# not applied: ${oneLine(`${key} = ${value}`)}`;
}

export function winsLine(winner: string, winnerFrom: string, why: string): string {
  return `# ${oneLine(`${winner} wins (${winnerFrom}): ${why}`)}`;
}
