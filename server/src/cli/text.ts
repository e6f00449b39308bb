// The human output of `klens analyze`: one block per report (header line, verdict, zones table,
// suggestions), ANSI colour only when asked for, and the `--sysctl` block.
// Text from the log (and file names) never reaches the terminal raw: every line is passed through
// the core's `visibleControls` (ESC shows as `\x1b`, RLO as `\u202e` …) before this file adds its
// own colours, on a terminal or not; the `--sysctl` block is built from `oneLine`/`commentLines`,
// so every line of it is a comment or an assignment klens wrote.
import { isManualOom } from '../core/oom-kind';
import type { Report } from '../core/model';
import { REPORT_KINDS } from '../core/kinds';
import { renderReportBrief, renderReportText } from '../core/render-text';
import { visibleControls as shown } from '../core/safe-text';
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
  if (isManualOom(r)) parts.push('manual (SysRq f)');
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
    /^(Summary|Verdict|Why|Impact|Repeats|Kernel|Request|Mode|Context|Call chain|Zones \(kB\)|Watermark check replayed|Protection|Memory|min_free_kbytes|Suggested sysctl settings|Other options|Recommended|More with --verbose):/.exec(
      out,
    );
  if (title) out = style.bold(title[0]) + out.slice(title[0].length);
  return out;
}

/**
 * One report's block, ending with an empty line: the header line (where, what, who), then the
 * core's brief (the verdict first, key numbers, recommended actions; issue #14) or, with
 * `--verbose`, its full rendering (summary, verdict, zones table, replayed check, protection,
 * memory, every suggestion). A repeat of an earlier identical report prints nothing in the brief
 * (the file summary gives each group one line with its count and time span) and one line with
 * `--verbose`, pointing at the first.
 */
export function reportBlock(
  file: string,
  item: Analysed,
  style: Style,
  firstFile: string | null = null,
  verbose = false,
): string {
  // (before the report is read: a copy left unmade is made only for --verbose)
  if (item.first && !verbose) return '';
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
  if (verbose) {
    const body = renderReportText(a);
    // the core's first line repeats the header's facts: keep its headline text, drop the position
    lines.push(`  ${style.bold(shown(a.headline))}`);
    for (const line of body.slice(1)) lines.push(line === '' ? '' : `  ${colourLine(line, style)}`);
    return `${lines.join('\n')}\n\n`;
  }
  const [verdict, ...rest] = renderReportBrief(a);
  const severity = a.findings[0]?.severity;
  const paint = severity === 'error' ? style.red : severity === 'warning' ? style.yellow : same;
  const label = 'Verdict: ';
  lines.push(`  ${style.bold(label)}${style.bold(paint(shown(verdict.slice(label.length))))}`);
  for (const line of rest) lines.push(`  ${colourLine(line, style)}`);
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

export { SysctlCollector } from '../core/sysctl-block';
