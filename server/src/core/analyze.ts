// Entry point of the kernel knowledge: a parsed log (or text) in, an Analysis out — one
// ReportAnalysis per parsed report, in the same order, with repeated identical reports grouped
// (the first of a group carries the count and time span, the others point back to it).

import type { ParsedLog, Report } from './model';
import type { Analysis, Finding, ReportAnalysis } from './analysis-types';
import { parseLog } from './parse';
import { explainReport, type ExplainOptions } from './explain';
import { suppressionFinding, unreadableFinding } from './findings';
import { COUNT, readInt } from './numbers';

export type AnalyzeOptions = ExplainOptions;

export { explainReport } from './explain';
export { renderReportText } from './render-text';

export function analyzeText(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeLog(parseLog(text), options);
}

export function analyzeLog(parsed: ParsedLog, options: AnalyzeOptions = {}): Analysis {
  const fallback = new ReleaseFallback();
  for (const r of parsed.reports) fallback.note(r);
  const reports = parsed.reports.map((r, i) =>
    explainReport(r, i, options.kernelRelease ? options : fallback.optionsFor(r, parsed.kernelRelease)),
  );
  groupRepeats(parsed.reports, reports);
  // A rate-limiter line right before a report is counted by that report (suppressedBefore).
  const findings: Finding[] = [];
  for (const s of parsed.suppressions) {
    findings.push(suppressionFinding(s));
    if (s.unreadable) findings.push(unreadableFinding(s.unreadable));
  }
  return { reports, findings };
}

/** Where a report without a task line (header-only pastes, rate-limited repeats) takes its
 * release from: another report of the same host in this log, else the `Linux version` boot banner.
 * The language server notes every report first; the CLI, streaming, only those before. */
export class ReleaseFallback {
  private readonly byHost = new Map<string, string>();

  note(r: Report): void {
    const host = r.host ?? '';
    if (r.kernel && !this.byHost.has(host)) this.byHost.set(host, r.kernel);
  }

  optionsFor(r: Report, banner: string | null): AnalyzeOptions {
    if (r.kernel) return {};
    const sibling = this.byHost.get(r.host ?? '');
    if (sibling)
      return {
        kernelRelease: sibling,
        kernelReleaseSource: `from another report${r.host ? ` of ${r.host}` : ''} in this log`,
      };
    if (banner)
      return { kernelRelease: banner, kernelReleaseSource: 'from the Linux version banner in this log' };
    return {};
  }
}

/** What makes two reports "the same": kind, order, mode, host and call chain (or task without one). */
export function repeatKey(r: Report, a: ReportAnalysis): string {
  const who = a.context.chainText || (r.comm ?? '').replace(/\/\d+$/, '');
  return [r.kind, r.order ?? '', r.gfp?.raw ?? '', r.host ?? '', who].join('\u0000');
}

/** Groups identical reports in place: the first carries count, suppressed total and span. */
export function groupRepeats(reports: Report[], analyses: ReportAnalysis[]): void {
  const groups = new Map<string, number[]>();
  analyses.forEach((a, i) => {
    const key = repeatKey(reports[i], a);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  for (const members of groups.values()) {
    const first = analyses[members[0]];
    const last = analyses[members[members.length - 1]];
    const firstT = parseLogTime(first.time);
    const lastT = parseLogTime(last.time);
    first.repeat = {
      count: members.length,
      suppressed: members.reduce((s, i) => s + reports[i].suppressedBefore, 0),
      firstTime: first.time,
      lastTime: last.time,
      spanSeconds:
        firstT !== null && lastT !== null && lastT >= firstT
          ? Math.round((lastT - firstT) * 1e6) / 1e6
          : null,
      duplicateOf: null,
      lines: members.map((i) => reports[i].line),
    };
    for (const i of members.slice(1))
      analyses[i].repeat = {
        ...analyses[i].repeat,
        count: 1,
        duplicateOf: members[0],
        lines: first.repeat.lines,
      };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Seconds for a framing time, comparable only with times of the same framing: dmesg uptime
 * ("87578.494471"), syslog "Apr 28 05:30:51" (year unknown: seconds within a leap year), and
 * anything Date.parse reads (ISO, "Sat Sep 11 12:24:42 2021"). null when unreadable.
 */
export function parseLogTime(t: string | null): number | null {
  if (t === null) return null;
  const s = t.trim().replace(/^\[|\]$/g, '');
  // dmesg `[%5lu.%06lu]`: seconds since boot, far below 2^53 on any machine that ever booted
  if (/^\d+(\.\d+)?$/.test(s)) {
    const dot = s.indexOf('.');
    return readInt(dot < 0 ? s : s.slice(0, dot), COUNT) === null ? null : Number(s);
  }
  const m = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[1]);
    if (month < 0) return null;
    const frac = m[6] ? Number(`0.${m[6]}`) : 0;
    return Date.UTC(2000, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000 + frac;
  }
  const parsed = Date.parse(s);
  return Number.isFinite(parsed) ? parsed / 1000 : null;
}
