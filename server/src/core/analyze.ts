// Entry point of the kernel knowledge: a parsed log (or text) in, an Analysis out — one
// ReportAnalysis per parsed report, in the same order, with repeated identical reports grouped
// (the first of a group carries the count and time span, the others point back to it).

import type { ParsedLog, Report } from './model';
import type { Analysis, Finding, ReportAnalysis } from './analysis-types';
import { parseLog, TextScan } from './parse';
import { explainReport, type ExplainOptions } from './explain';
import { analysisStoppedFinding, suppressionFinding, unreadableFinding } from './findings';
import { COUNT, readInt } from './numbers';

export type AnalyzeOptions = ExplainOptions;

export { explainReport } from './explain';
export { renderReportText } from './render-text';

export function analyzeText(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeLog(parseLog(text), options);
}

export function analyzeLog(parsed: ParsedLog, options: AnalyzeOptions = {}): Analysis {
  const job = new LogAnalysisJob(parsed, options);
  job.run(() => false);
  return job.result().analysis;
}

/** Where an analysis stopped before the end of its text (its time budget ran out). */
export interface AnalysisStop {
  /** 0-based line from which nothing is analysed. */
  line: number;
  /** Reports analysed (all before `line`). */
  reports: number;
}

/** Reports explained between two calls of `pause`. */
const PAUSE_CHECK_REPORTS = 16;

/**
 * A text's (or a parsed log's) analysis done in steps, so that a caller can yield between them and
 * stop at a time budget: first the reading (TextScan), then one explanation per report. `run`
 * works until everything is done (true) or `pause()` asks to yield (false); `stop` ends the job
 * where it is, and `result` then covers exactly the reports analysed before the stop line: what
 * is after it is left out whole, never half-read (the stop finding says from where).
 */
export class LogAnalysisJob {
  private scan: TextScan | null;
  private parsed: ParsedLog | null;
  private readonly explained: ReportAnalysis[] = [];
  private readonly fallback = new ReleaseFallback();
  private stoppedAt: AnalysisStop | null = null;
  private finished = false;
  private done_: ReturnType<LogAnalysisJob['result']> | null = null;

  constructor(
    input: string | ParsedLog,
    private readonly options: AnalyzeOptions = {},
  ) {
    this.scan = typeof input === 'string' ? new TextScan(input) : null;
    this.parsed = typeof input === 'string' ? null : input;
    if (this.parsed) this.noteReleases(this.parsed);
  }

  get done(): boolean {
    return this.finished;
  }

  run(pause: () => boolean): boolean {
    if (this.finished) return true;
    if (this.scan) {
      if (!this.scan.run(pause)) return false;
      this.parsed = this.scan.finish();
      this.scan = null;
      this.noteReleases(this.parsed);
    }
    const parsed = this.parsed!;
    const options = this.options;
    let sinceCheck = 0;
    for (let i = this.explained.length; i < parsed.reports.length; i++) {
      if (++sinceCheck === PAUSE_CHECK_REPORTS) {
        sinceCheck = 0;
        if (pause()) return false;
      }
      const r = parsed.reports[i];
      this.explained.push(
        explainReport(
          r,
          i,
          options.kernelRelease ? options : this.fallback.optionsFor(r, parsed.kernelRelease),
        ),
      );
    }
    this.finished = true;
    return true;
  }

  /** Still reading the text (the first step); the explanations come after. */
  get reading(): boolean {
    return this.scan !== null;
  }

  /**
   * Stops reading the text where it is; the reports read so far are still explained by `run`.
   * Reports still open at that point are left out whole (finish(true)), and so are reports
   * beginning after the first of them, so that everything before the stop line is analysed and
   * nothing after it is.
   */
  stopReading(): void {
    const scan = this.scan;
    if (!scan) return;
    const parsed = scan.finish(true);
    this.scan = null;
    const from = Math.min(scan.cutFrom ?? scan.linesRead, scan.linesRead);
    this.parsed = { ...parsed, reports: parsed.reports.filter((r) => r.line < from) };
    this.noteReleases(this.parsed);
    this.stoppedAt = { line: from, reports: this.parsed.reports.length };
  }

  /** Ends the job where it is: the result holds the reports analysed so far. */
  stop(): void {
    if (this.finished) return;
    this.stopReading();
    const parsed = this.parsed!;
    const n = this.explained.length;
    if (n < parsed.reports.length) {
      const line = parsed.reports[n].line;
      this.parsed = {
        ...parsed,
        reports: parsed.reports.slice(0, n),
        suppressions: parsed.suppressions.filter((s) => s.line < line),
      };
      this.stoppedAt = { line, reports: n };
    }
    this.finished = true;
  }

  /** The parsed log and its analysis (call when `run` returned true, or after `stop`). */
  result(): { parsed: ParsedLog; analysis: Analysis; stoppedAt: AnalysisStop | null } {
    if (this.done_) return this.done_;
    const parsed = this.parsed!;
    const reports = this.explained;
    groupRepeats(parsed.reports, reports);
    // A rate-limiter line right before a report is counted by that report (suppressedBefore).
    const findings: Finding[] = [];
    for (const s of parsed.suppressions) {
      findings.push(suppressionFinding(s));
      if (s.unreadable) findings.push(unreadableFinding(s.unreadable));
    }
    if (this.stoppedAt) findings.push(analysisStoppedFinding(this.stoppedAt.line, this.stoppedAt.reports));
    this.done_ = { parsed, analysis: { reports, findings }, stoppedAt: this.stoppedAt };
    return this.done_;
  }

  private noteReleases(parsed: ParsedLog): void {
    for (const r of parsed.reports) this.fallback.note(r);
  }
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
