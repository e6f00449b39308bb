// One analysed version of a log document: the text's line index, the parsed reports and the core's
// analysis of each. The server builds it once per document version and every feature reads it;
// nothing downstream re-parses. Lookups by position are binary searches over sorted arrays.

import { CopiedReport, LogAnalysisJob, type AnalysisStop, type CopyRun } from '../core/analyze';
import {
  lineAfter,
  movedReading,
  skippedAfterEdit,
  type LineEdit,
  type MovePlans,
} from '../core/incremental';
import type { AnchorSearchFor, SkipState } from '../core/parse';
import type { ExplainOptions } from '../core/explain';
import { windowedReading } from '../core/report-window';
import type { Analysis, ReportAnalysis } from '../core/analysis-types';
import type { ParsedLog, Report } from '../core/model';
import { findLastAtOrBefore, LineIndex } from './line-index';

/** A report with its analysis: read, or a copy of a repeated stretch (core/analyze.ts
 * CopiedReport) whose report and analysis are made when first read. Features that visit every
 * report use `headerLine` and `kindOf`, which make nothing. */
export interface AnalyzedReport {
  readonly index: number;
  readonly report: Report;
  readonly analysis: ReportAnalysis;
}

/** The report's kind, without making a copy's report. */
export function kindOf(entry: AnalyzedReport): Report['kind'] {
  return entry instanceof CopiedReport ? entry.source.kind : entry.report.kind;
}

/** An analysis with the report's content, for what does not depend on its place or time (its
 * host, verdict and suggestions): a copy's without making it (CopiedReport.contentAnalysis). */
export function contentAnalysis(entry: AnalyzedReport): ReportAnalysis {
  return entry instanceof CopiedReport ? entry.contentAnalysis : entry.analysis;
}

/** The report's header line, without making a copy's report. */
export function headerLine(entry: AnalyzedReport): number {
  return entry instanceof CopiedReport ? entry.line : entry.report.line;
}

export interface LogDocument {
  uri: string;
  version: number;
  /** The kernel release assumed for reports that print none ("" = inferred). */
  kernelRelease: string;
  lines: LineIndex;
  log: ParsedLog;
  analysis: Analysis;
  /** Reports in document order, each with its analysis (a copy's made when first read). `log` and
   * `analysis` hold the reports that were read; the copies of a repeated stretch are only here. */
  reports: AnalyzedReport[];
  /** Where the analysis stopped at its time budget (nothing after that line is analysed), or null. */
  stoppedAt: AnalysisStop | null;
  /**
   * Lines a report read after its span ended (a later header cut the span; the report went on
   * reading its own caller's lines: another CPU's report, a SLUB line in the middle): line → index
   * in `reports`. Spans never overlap, so without this those lines would resolve to no report or
   * to the one whose span holds them.
   */
  owners: Map<number, number>;
  /** The stretches the reading passed over unread (TextScan.skipped), null when the analysis
   * stopped: an edit inside one moves the analysis rather than redoing it (`movedDocument`). */
  skipped: readonly number[] | null;
  /** What the reading carried into each of those stretches (TextScan.skipStates), null with them. */
  skipStates: readonly SkipState[] | null;
  /** The release each report was explained with (ReportSequence's fallback), in order: a window
   * read again keeps the analysis of a report whose release stays the same. */
  releases: readonly ExplainOptions[];
  /** The lines read again to make this version from the last (`windowedDocument`: the new
   * text's [from, to)); absent when it was read whole or moved. */
  readAgain?: { from: number; to: number };
  /** What the move that made this analysis learnt of its objects (core/incremental.ts), for the next. */
  movePlans?: MovePlans;
  /** The lines of each block of a flood's copies left unmade (CopiedReport), in order: an edit
   * outside them moves the copies after it (`movedDocument`); one inside, or one near a report
   * (`windowedDocument`), reads the text again whole. */
  copySpans: readonly { first: number; last: number }[];
  /** Where `reports` holds copies left unmade, in runs (LogAnalysisJob `copyRuns`): features pass
   * over a run at once (`explainedEntries`). An edit keeps every entry's index, and so the runs. */
  copyRuns: readonly CopyRun[];
}

export interface AnalyzeOptions {
  kernelRelease: string;
  /** How the reading searches for its anchors (the core's regular expression when left out; the
   * server hands in its SIMD search, server/src/anchor-search.ts). The reading is the same. */
  anchorSearch?: AnchorSearchFor;
}

/** The core's analysis job for a document's text under these options (run it, then `documentOf`):
 * the copies of a repeated stretch are left unmade until a feature reads one. */
export function analysisJob(text: string, options: AnalyzeOptions): LogAnalysisJob {
  return new LogAnalysisJob(
    text,
    { kernelRelease: options.kernelRelease || null },
    // the line starts found while reading are the document's LineIndex (`linesOf`)
    { copyBlocks: true, anchorSearch: options.anchorSearch, lineStarts: true },
  );
}

/** The document once its job is done (or stopped). `lines`: the text's index when the caller
 * has it already (else built from the line starts the reading found, or from the text). */
export function documentOf(
  uri: string,
  version: number,
  text: string,
  options: AnalyzeOptions,
  job: LogAnalysisJob,
  lines?: LineIndex,
): LogDocument {
  lines ??= LineIndex.fromStarts(text, job.lineStarts);
  const { parsed: log, analysis, stoppedAt, skipped, skipStates, releases, entries, copyRuns } = job.result();
  const reports: AnalyzedReport[] = entries
    ? (entries as AnalyzedReport[]) // the job's own list, handed over (the job is done with it)
    : log.reports.map((report, index) => ({ index, report, analysis: analysis.reports[index] }));
  return {
    uri,
    version,
    kernelRelease: options.kernelRelease,
    lines,
    log,
    analysis,
    reports,
    stoppedAt,
    owners: ownersOf(reports, copyRuns),
    skipped,
    skipStates,
    releases,
    copySpans: copySpansOf(reports, copyRuns),
    copyRuns,
  };
}

/** The entries of a document that are not copies left unmade, in order: its runs of copies passed
 * over at once (a feature that has nothing to say of an unmade copy reads these). */
export function explainedEntries(doc: Pick<LogDocument, 'reports' | 'copyRuns'>): AnalyzedReport[] {
  const { reports, copyRuns } = doc;
  if (copyRuns.length === 0) return reports;
  const out: AnalyzedReport[] = [];
  let from = 0;
  for (const run of copyRuns) {
    for (let i = from; i < run.from; i++) out.push(reports[i]);
    from = run.to;
  }
  for (let i = from; i < reports.length; i++) out.push(reports[i]);
  return out;
}

/** The lines each block of unmade copies spans (from its first copy's header to its last copy's
 * last line), in order: a block's runs with reports made between them make one span. */
function copySpansOf(
  reports: readonly AnalyzedReport[],
  runs: readonly CopyRun[],
): { first: number; last: number }[] {
  const spans: { first: number; last: number }[] = [];
  let block: unknown = null;
  for (const run of runs) {
    // each copy's lines grow with the copy: the last copy of each of the block's reports ends last
    let last = -Infinity;
    for (let i = Math.max(run.from, run.to - run.block.out.length); i < run.to; i++)
      last = Math.max(last, (reports[i] as CopiedReport).endLine);
    const span = spans.at(-1);
    if (span && run.block === block) span.last = Math.max(span.last, last);
    else {
      block = run.block;
      spans.push({ first: (reports[run.from] as CopiedReport).line, last });
    }
  }
  return spans;
}

function ownersOf(reports: readonly AnalyzedReport[], runs: readonly CopyRun[]): Map<number, number> {
  const owners = new Map<number, number>();
  // a copy reads what its source read, moved: the source's lines past its span
  const beyond = (source: Report): number[] => partLines(source).filter((line) => line > source.endLine);
  let r = 0;
  for (let index = 0; index < reports.length; index++) {
    const run = runs[r];
    if (run?.from === index) {
      r++;
      const beyondOf = run.block.out.map(beyond);
      // (most copies read nothing past their span: their run is passed over at once)
      if (beyondOf.some((lines) => lines.length > 0))
        for (let i = run.from; i < run.to; i++) {
          const copy = reports[i] as CopiedReport;
          for (const line of beyondOf[run.block.out.indexOf(copy.source)]) owners.set(line + copy.delta, i);
        }
      index = run.to - 1;
      continue;
    }
    const { report } = reports[index];
    for (const line of partLines(report)) if (line > report.endLine) owners.set(line, index);
  }
  return owners;
}

/**
 * The analysis of a later version of `previous`'s text (its index `lines`), reached by `edits`
 * (each in the lines the one before left, core/incremental.ts), when every edit lies inside a
 * stretch the reading passed over: the same reports moved by the lines added or removed before
 * them. null when an edit does not (the text must then be analysed again).
 */
export function movedDocument(
  previous: LogDocument,
  version: number,
  lines: LineIndex,
  edits: readonly LineEdit[],
): LogDocument | null {
  let skipped = previous.skipped;
  let spans = previous.copySpans;
  for (const edit of edits) {
    if (!skipped) return null;
    skipped = skippedAfterEdit(skipped, edit);
    // a block's copies move together or not at all: an edit among them reads the text again
    if (spans.some((s) => edit.first <= s.last && edit.last >= s.first)) return null;
    if (edit.delta !== 0)
      spans = spans.map((s) =>
        s.first > edit.last ? { first: s.first + edit.delta, last: s.last + edit.delta } : s,
      );
  }
  if (!skipped) return null;
  const moved = edits.some((e) => e.delta !== 0)
    ? movedReading(previous.log, previous.analysis, edits, previous.movePlans ?? null)
    : { parsed: previous.log, analysis: previous.analysis, plans: previous.movePlans };
  const reports =
    moved.parsed === previous.log ? previous.reports : movedEntries(previous.reports, moved, edits);
  const kept: LogDocument = { ...previous };
  delete kept.readAgain; // nothing was read to make this version
  return {
    ...kept,
    version,
    lines,
    log: moved.parsed,
    analysis: moved.analysis,
    reports,
    owners: reports === previous.reports ? previous.owners : ownersOf(reports, previous.copyRuns),
    skipped,
    copySpans: spans,
    ...(moved.plans ? { movePlans: moved.plans } : {}),
  };
}

/** The entries of an edited document: the reports read, moved (`moved`, in their order), and the
 * copies left unmade moved alike (CopiedReport.moved). */
function movedEntries(
  entries: readonly AnalyzedReport[],
  moved: { parsed: ParsedLog; analysis: Analysis },
  edits: readonly LineEdit[],
): AnalyzedReport[] {
  const after = (line: number): number => lineAfter(edits, line);
  const moves = { origins: new Map(), lines: new Map() };
  let read = 0;
  return entries.map((entry) => {
    if (entry instanceof CopiedReport) return entry.moved(after, moves);
    const k = read++;
    return { index: entry.index, report: moved.parsed.reports[k], analysis: moved.analysis.reports[k] };
  });
}

/** Characters a window may hold (`windowedDocument`): past this share of the text (and 1 MB), a
 * whole reading in slices is better than one long step. */
const WINDOW_MAX_SHARE = 1 / 8;
const WINDOW_MAX_MIN = 1 << 20;

/**
 * The analysis of a later version of `previous`'s text (its index `lines`, read through `slice`),
 * reached by `edits` that touch reports or lines near them: only a window of the new text around
 * the edits is read again, the rest of the reading is kept (core/report-window.ts). null when no
 * window fits the rules (the text must then be analysed again).
 */
export function windowedDocument(
  previous: LogDocument,
  version: number,
  lines: LineIndex,
  edits: readonly LineEdit[],
  slice: (from: number, to: number) => string,
): LogDocument | null {
  // (a window is read with every copy made, and its ReportSequence would not count those left unmade)
  if (!previous.skipped || !previous.skipStates || previous.stoppedAt || previous.copySpans.length > 0)
    return null;
  const length = lines.text.length;
  const result = windowedReading(
    {
      parsed: previous.log,
      analysis: previous.analysis,
      skipped: previous.skipped,
      skipStates: previous.skipStates,
      releases: previous.releases,
      plans: previous.movePlans ?? null,
    },
    edits,
    {
      lineCount: lines.lineCount,
      lineStart: (line) => lines.offsetAt({ line, character: 0 }),
      length,
      slice,
    },
    { kernelRelease: previous.kernelRelease || null },
    Math.max(WINDOW_MAX_MIN, length * WINDOW_MAX_SHARE),
  );
  if (!result) return null;
  const reports = result.parsed.reports.map((report, index) => ({
    index,
    report,
    analysis: result.analysis.reports[index],
  }));
  return {
    ...previous,
    version,
    lines,
    log: result.parsed,
    analysis: result.analysis,
    reports,
    owners: ownersOf(reports, []),
    copyRuns: [],
    skipped: result.skipped,
    skipStates: result.skipStates,
    releases: result.releases,
    movePlans: result.plans,
    readAgain: { from: result.window.from, to: result.window.to },
  };
}

/** The whole analysis at once, without a budget (tests, small documents). */
export function analyzeDocument(
  uri: string,
  version: number,
  text: string,
  options: AnalyzeOptions,
): LogDocument {
  const job = analysisJob(text, options);
  job.run(() => false);
  return documentOf(uri, version, text, options, job);
}

/** Every document line a report read something from (header, frames, dump, kill line). */
export function partLines(report: Report): number[] {
  const lines = [report.headerRange.startLine];
  for (const f of report.callTrace) lines.push(f.line);
  for (const k of report.counters) lines.push(k.line);
  for (const n of report.nodes) lines.push(n.line);
  for (const z of report.zones) {
    lines.push(z.line);
    if (z.lowmemReserveRange) lines.push(z.lowmemReserveRange.startLine);
  }
  for (const b of report.buddy) lines.push(b.line);
  for (const p of report.perCpu) lines.push(p.line);
  for (const h of report.hugepages) lines.push(h.line);
  if (report.memInfoLine !== null) lines.push(report.memInfoLine);
  if (report.killed) lines.push(report.killed.line);
  if (report.oomConstraint) lines.push(report.oomConstraint.line);
  // the allocation profile comes last in a report (6.10+ __show_mem): most likely read after a
  // later header cut the report's span
  const profile = report.allocationProfile;
  if (profile) {
    if (profile.line !== null) lines.push(profile.line);
    for (const t of profile.tags) lines.push(t.line);
  }
  return lines;
}

/** The report that read `line`: the owner of a line read after its span ended, else the report
 * whose span holds it (reports are sorted by header line and their spans do not overlap). */
export function reportAt(doc: LogDocument, line: number): AnalyzedReport | undefined {
  const owner = doc.owners.get(line);
  if (owner !== undefined) return doc.reports[owner];
  const candidate = findLastAtOrBefore(doc.reports, line, headerLine);
  return candidate && line <= candidate.report.endLine ? candidate : undefined;
}
