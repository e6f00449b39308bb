// One analysed version of a log document: the text's line index, the parsed reports and the core's
// analysis of each. The server builds it once per document version and every feature reads it;
// nothing downstream re-parses. Lookups by position are binary searches over sorted arrays.

import { LogAnalysisJob, type AnalysisStop } from '../core/analyze';
import type { Analysis, ReportAnalysis } from '../core/analysis-types';
import type { ParsedLog, Report } from '../core/model';
import { findLastAtOrBefore, LineIndex } from './line-index';

export interface AnalyzedReport {
  index: number;
  report: Report;
  analysis: ReportAnalysis;
}

export interface LogDocument {
  uri: string;
  version: number;
  /** The kernel release assumed for reports that print none ("" = inferred). */
  kernelRelease: string;
  lines: LineIndex;
  log: ParsedLog;
  analysis: Analysis;
  /** Reports in document order, each with its analysis. */
  reports: AnalyzedReport[];
  /** Where the analysis stopped at its time budget (nothing after that line is analysed), or null. */
  stoppedAt: AnalysisStop | null;
}

export interface AnalyzeOptions {
  kernelRelease: string;
}

/** The core's analysis job for a document's text under these options (run it, then `documentOf`). */
export function analysisJob(text: string, options: AnalyzeOptions): LogAnalysisJob {
  return new LogAnalysisJob(text, { kernelRelease: options.kernelRelease || null });
}

/** The document once its job is done (or stopped). */
export function documentOf(
  uri: string,
  version: number,
  text: string,
  options: AnalyzeOptions,
  job: LogAnalysisJob,
): LogDocument {
  const { parsed: log, analysis, stoppedAt } = job.result();
  const reports = log.reports.map((report, index) => ({ index, report, analysis: analysis.reports[index] }));
  return {
    uri,
    version,
    kernelRelease: options.kernelRelease,
    lines: new LineIndex(text),
    log,
    analysis,
    reports,
    stoppedAt,
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

/** The report whose lines hold `line` (reports are sorted by header line and do not overlap). */
export function reportAt(doc: LogDocument, line: number): AnalyzedReport | undefined {
  const candidate = findLastAtOrBefore(doc.reports, line, (r) => r.report.line);
  return candidate && line <= candidate.report.endLine ? candidate : undefined;
}
