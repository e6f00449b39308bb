// The human output of `klens analyze`: one block per report (header line, verdict, zones table,
// suggestions), ANSI colour only when asked for, and the `--sysctl` block.
// Text from the log (and file names) never reaches the terminal raw: every line is passed through
// the core's `visibleControls` (ESC shows as `\x1b`, RLO as `\u202e` …) before this file adds its
// own colours, on a terminal or not; the `--sysctl` block is built from `oneLine`/`commentLines`,
// so every line of it is a comment or an assignment klens wrote.
import { isSysrqOom } from '../core/verdict';
import type { Report } from '../core/model';
import { REPORT_KINDS } from '../core/kinds';
import type { SysctlSuggestion } from '../core/analysis-types';
import { renderReportText } from '../core/analyze';
import { commentLines, oneLine, visibleControls as shown } from '../core/safe-text';
import {
  conflictWinner,
  hostEndLine,
  hostLabel,
  hostStartLine,
  winsLine,
  yieldedLine,
} from '../core/sysctl-hosts';
import type { Analysed, RepeatGroup } from '../core/analyze';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;

export const COLOR: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
};

const same = (s: string): string => s;
export const PLAIN: Style = { bold: same, dim: same, red: same, yellow: same, green: same, cyan: same };

/**
 * Colour on a terminal only: FORCE_COLOR (other than 0/false) forces it, NO_COLOR (non-empty)
 * forbids it (https://no-color.org), then whether standard output is a terminal that is not dumb.
 */
export function useColor(mode: 'auto' | 'always' | 'never', isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode !== 'auto') return mode === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (force === '0' || force === 'false') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

/** The header of a block: where (file:line, time, host), what, who. */
function headerLine(file: string, r: Report, style: Style): string {
  const parts = [style.bold(REPORT_KINDS[r.kind].label)];
  if (isSysrqOom(r)) parts.push('manual (SysRq f)');
  else if (r.order !== null) parts.push(`order ${r.order}`);
  if (r.gfp) parts.push(shown(`mode ${r.gfp.raw}${r.gfp.printed ? `(${r.gfp.printed})` : ''}`));
  if (r.comm !== null) parts.push(shown(r.pid !== null ? `${r.comm} (pid ${r.pid})` : r.comm));
  const where = [r.time, r.host].filter((x) => x !== null).join(' ');
  if (where) parts.push(style.dim(shown(where)));
  return `${style.cyan(`${shown(file)}:${r.line + 1}`)}  ${parts.join('  ')}`;
}

/** The core's plain text with its controls made visible, then coloured: section titles, zone
 * states, failed checks, recommendations. */
function colourLine(line: string, style: Style): string {
  if (style === PLAIN) return shown(line);
  let out = shown(line)
    .replace(/\bBELOW MIN\b|\bFAIL\b|\bNONE\b|\bTOO FEW\b/g, (m) => style.red(m))
    .replace(/\bbelow low\b/g, (m) => style.yellow(m))
    .replace(/\[recommended\]/g, (m) => style.green(m))
    .replace(/\[not recommended here\]/g, (m) => style.dim(m));
  const title =
    /^(Summary|Verdict|Repeats|Kernel|Request|Mode|Context|Call chain|Zones \(kB\)|Watermark check replayed|Protection|Memory|min_free_kbytes|Suggested sysctl settings|Other options):/.exec(
      out,
    );
  if (title) out = style.bold(title[0]) + out.slice(title[0].length);
  return out;
}

/**
 * One report's block, ending with an empty line: the header, then the core's own rendering
 * (summary, verdict, zones table, replayed check, protection, memory, suggestions). A repeat of
 * an earlier identical report gets one line pointing at the first.
 */
export function reportBlock(
  file: string,
  item: Analysed,
  style: Style,
  firstFile: string | null = null,
): string {
  const { report: r, analysis: a } = item;
  const lines = [headerLine(file, r, style)];
  if (item.first) {
    // in a rotated set the first may be in an older file
    const at = firstFile !== null && firstFile !== file ? `${shown(firstFile)}:` : 'line ';
    lines.push(
      `  ${style.dim(`repeat ${item.occurrence} of the report at ${at}${item.first.line + 1} (same request and call chain)`)}`,
    );
    if (a.verdict !== 'not_applicable')
      lines.push(`  ${colourLine(`Verdict: ${a.verdict.replace(/_/g, ' ')} — ${a.verdictText}`, style)}`);
    return `${lines.join('\n')}\n\n`;
  }
  const body = renderReportText(a);
  // the core's first line repeats the header's facts: keep its headline text, drop the position
  lines.push(`  ${style.bold(shown(a.headline))}`);
  for (const line of body.slice(1)) lines.push(line === '' ? '' : `  ${colourLine(line, style)}`);
  return `${lines.join('\n')}\n\n`;
}

export interface FileTotals {
  file: string;
  reports: number;
  lineCount: number;
  framing: string;
  suppressed: number;
  /** Line (0-based) from which the input was read as a quoted-printable mail body. */
  quotedPrintableFrom?: number | null;
  repeats: RepeatGroup[];
}

const MAX_REPEAT_LINES = 10;

export function fileSummary(t: FileTotals, style: Style): string {
  const what =
    t.reports === 0
      ? 'no memory reports'
      : t.reports === 1
        ? '1 memory report'
        : `${t.reports} memory reports`;
  const suppressed = t.suppressed > 0 ? `, ${t.suppressed} more suppressed by the kernel` : '';
  const lines = t.lineCount === 1 ? '1 line' : `${t.lineCount} lines`;
  const qp =
    t.quotedPrintableFrom == null
      ? ''
      : `, quoted-printable mail body from line ${t.quotedPrintableFrom + 1}`;
  const out = [
    style.dim(
      `${t.file === '-' ? 'standard input' : shown(t.file)}: ${what}${suppressed} (${lines}, ${t.framing} framing${qp})`,
    ),
  ];
  for (const g of t.repeats.slice(0, MAX_REPEAT_LINES)) {
    const span =
      g.firstTime && g.lastTime && g.firstTime !== g.lastTime ? `, ${g.firstTime} – ${g.lastTime}` : '';
    out.push(
      style.dim(
        shown(
          `  ${g.count}× ${g.headline} (first at line ${g.line + 1}, last at line ${g.lastLine + 1}${span})`,
        ),
      ),
    );
  }
  if (t.repeats.length > MAX_REPEAT_LINES)
    out.push(style.dim(`  … and ${t.repeats.length - MAX_REPEAT_LINES} more groups of repeats`));
  return `${out.join('\n')}\n`;
}

interface KeyVotes {
  /** The report whose value stays for this host (null while none recommends the key) and the
   * first suggesting it. */
  chosen: { at: string; suggestion: SysctlSuggestion } | null;
  first: { at: string; suggestion: SysctlSuggestion };
  votes: number;
  /** Other values this host's reports recommend (value → first report), at most
   * MAX_OTHER_VALUES + 1 kept, and why the chosen one wins over them. */
  otherValues: Map<string, string>;
  why: string | null;
}

interface HostVotes {
  host: string | null;
  reports: number;
  keys: Map<string, KeyVotes>;
}

const MAX_OTHER_VALUES = 5;

/**
 * Gathers the `--sysctl` suggestions of every report, per host (core/sysctl-hosts.ts, as the
 * editor's quick fixes write them), keeping per key only what the block prints (memory stays
 * small however many reports a log holds).
 */
export class SysctlCollector {
  private readonly hosts = new Map<string, HostVotes>();
  reports = 0;

  add(
    file: string,
    line: number,
    suggestions: readonly SysctlSuggestion[],
    host: string | null = null,
  ): void {
    this.reports++;
    const at = `${file === '-' ? 'stdin' : oneLine(file)}:${line + 1}`;
    const label = hostLabel(host);
    let h = this.hosts.get(label);
    if (!h) this.hosts.set(label, (h = { host, reports: 0, keys: new Map() }));
    h.reports++;
    for (const suggestion of suggestions) {
      let k = h.keys.get(suggestion.key);
      if (!k) {
        k = { chosen: null, first: { at, suggestion }, votes: 0, otherValues: new Map(), why: null };
        h.keys.set(suggestion.key, k);
      }
      if (!suggestion.recommended) continue;
      k.votes++;
      if (!k.chosen) k.chosen = { at, suggestion };
      else if (suggestion.value !== k.chosen.suggestion.value) {
        const { incomingWins, why } = conflictWinner(
          suggestion.key,
          k.chosen.suggestion.value,
          suggestion.value,
        );
        k.why = why;
        const loser = incomingWins ? k.chosen : { at, suggestion };
        if (incomingWins) k.chosen = { at, suggestion };
        k.otherValues.delete(k.chosen.suggestion.value);
        if (k.otherValues.size <= MAX_OTHER_VALUES && !k.otherValues.has(loser.suggestion.value))
          k.otherValues.set(loser.suggestion.value, loser.at);
      }
    }
  }

  /**
   * The `--sysctl` block: one section per host (its provenance: host, log file, report line),
   * each with one entry per key and its evidence as comments. As in the editor's quick fixes, a
   * key keeps one active line in the whole output: where reports (of one host or of several)
   * want different values, the rule of core/sysctl-hosts.ts picks the one that stays and the
   * others are written as comments saying which wins and why. Keys no report of a host
   * recommends follow in its section, commented out, with the core's assessment, so nothing is
   * silently dropped and the block stays valid sysctl.conf.
   */
  block(files: string[]): string {
    const where =
      files.length > 2
        ? `${files.length} files`
        : files.map((f) => (f === '-' ? 'standard input' : f)).join(', ');
    const n = this.reports;
    const out = [
      `# ${oneLine(`Kernel Log Lens: suggested sysctl settings for ${where} (${n === 1 ? '1 report' : `${n} reports`})`)}`,
    ];
    const hosts = [...this.hosts.values()];
    // the value that stays active for each key over all hosts
    const active = new Map<string, { value: string; from: string; why: string | null }>();
    for (const h of hosts)
      for (const [key, k] of h.keys) {
        if (!k.chosen) continue;
        const from = `host ${hostLabel(h.host)}, report at ${k.chosen.at}`;
        const now = active.get(key);
        if (!now) active.set(key, { value: k.chosen.suggestion.value, from, why: null });
        else if (now.value !== k.chosen.suggestion.value) {
          const { incomingWins, why } = conflictWinner(key, now.value, k.chosen.suggestion.value);
          active.set(key, incomingWins ? { value: k.chosen.suggestion.value, from, why } : { ...now, why });
        }
      }
    if (active.size === 0)
      out.push(
        n === 0
          ? '# No memory reports found: nothing to suggest.'
          : '# No sysctl change is recommended for these reports.',
      );
    for (const h of hosts) {
      out.push(
        '',
        hostStartLine(h.host),
        `# ${h.reports === 1 ? '1 report' : `${h.reports} reports`} of this host`,
      );
      const all = [...h.keys.entries()];
      const recommended = all.filter(([, k]) => k.chosen !== null);
      const others = all.filter(([, k]) => k.chosen === null);
      if (recommended.length === 0 && active.size > 0)
        out.push('# No sysctl change is recommended for the reports of this host.');
      for (const [key, k] of recommended) {
        const chosen = k.chosen!;
        const more = k.votes > 1 ? ` and ${k.votes - 1} more` : '';
        out.push(
          '',
          `# ${key}: recommended by the report at ${chosen.at}${more}`,
          ...commentLines(chosen.suggestion.comment),
        );
        const values = [...k.otherValues.entries()];
        if (values.length) {
          out.push(
            `# other reports recommend: ${oneLine(
              values
                .slice(0, MAX_OTHER_VALUES)
                .map(([v, at]) => `${v} (${at})`)
                .join(', '),
            )}${values.length > MAX_OTHER_VALUES ? ', …' : ''}`,
          );
          if (k.why) out.push(winsLine(chosen.suggestion.value, chosen.at, k.why));
        }
        const wins = active.get(key)!;
        if (wins.value === chosen.suggestion.value)
          out.push(`${oneLine(key)} = ${oneLine(chosen.suggestion.value)}`);
        else
          out.push(
            yieldedLine(key, chosen.suggestion.value),
            winsLine(wins.value, wins.from, wins.why ?? ''),
          );
      }
      if (others.length) out.push('', '# Considered, not recommended for these reports:');
      for (const [key, k] of others) {
        const s = k.first;
        out.push(
          '',
          `# ${key}: from the report at ${s.at}`,
          ...commentLines(s.suggestion.comment),
          `# ${oneLine(`${key} = ${s.suggestion.value}`)}`,
        );
      }
      out.push(hostEndLine(h.host));
    }
    return `${out.join('\n')}\n`;
  }
}
