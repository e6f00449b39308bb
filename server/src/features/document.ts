// One analysed version of a log document: the text's line index, the parsed reports and the core's
// analysis of each. The server builds it once per document version and every feature reads it;
// nothing downstream re-parses. Lookups by position are binary searches over sorted arrays.

import { analyzeLog } from '../core/analyze';
import type { Analysis, ReportAnalysis } from '../core/analysis-types';
import { parseLog } from '../core/parse';
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
}

export interface AnalyzeOptions {
  kernelRelease: string;
}

export function analyzeDocument(
  uri: string,
  version: number,
  text: string,
  options: AnalyzeOptions,
): LogDocument {
  const log = parseLog(text);
  const analysis = analyzeLog(log, { kernelRelease: options.kernelRelease || null });
  const reports = log.reports.map((report, index) => ({ index, report, analysis: analysis.reports[index] }));
  return {
    uri,
    version,
    kernelRelease: options.kernelRelease,
    lines: new LineIndex(text),
    log,
    analysis,
    reports,
  };
}

/** The report whose lines hold `line` (reports are sorted by header line and do not overlap). */
export function reportAt(doc: LogDocument, line: number): AnalyzedReport | undefined {
  const candidate = findLastAtOrBefore(doc.reports, line, (r) => r.report.line);
  return candidate && line <= candidate.report.endLine ? candidate : undefined;
}
