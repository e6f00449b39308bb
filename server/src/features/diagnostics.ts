// textDocument/diagnostic (pull) and textDocument/publishDiagnostics (push): one diagnostic per
// report on its header, with the core's short verdict-first message (findings.ts fitMessage: one
// Problems row), a severity by kind, what each deciding zone meant for the request as related
// information and a documented code; the core's other findings (zone
// states, implausible masks, suppressions) beside it. Repeated identical reports are grouped (issue
// #17): the first carries the count, the time span and the repeats as related information; a
// repeat gets no diagnostic of its own, so a flood of one report never crowds out another one.

import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from 'vscode-languageserver-types';
import type { Finding, Severity } from '../core/analysis-types';
import { FINDING_CODES, REPORT_CODE } from '../core/codes';
import { fitMessage, MESSAGE_MAX } from '../core/findings';
import { perKind } from '../core/kinds';
import { codeDescription } from './codes';
import { oneLine, toRange } from './text';
import { explainedEntries, type AnalyzedReport, type LogDocument } from './document';
import { CopiedReport } from '../core/analyze';
import type { KernelLogLensSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'Kernel Log Lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** product.md: warning for allocation failures, error for OOM kills, information for show_mem —
 * the severity of the report's own finding code (kinds.ts → FINDING_CODES). */
export const REPORT_SEVERITY = perKind((spec) => SEVERITY[FINDING_CODES[spec.code].severity]);

/**
 * Most diagnostics one document gets: a flood of reports must not make the Problems panel, the
 * client or the server slow. Beyond it one KLL031 diagnostic says what was left out (the reports
 * are still analysed: hovers, folding and quick fixes work on them).
 */
export const MAX_DIAGNOSTICS = 1000;
/** Most related locations one diagnostic lists (a repeat group's other reports, first ones first). */
export const MAX_RELATED = 200;

/** What diagnostics need of a document: its uri and a range per line (LineIndex for an open
 * document; a streamed file's lines are not kept, see `wholeLines`). */
export interface DiagnosticTarget {
  uri: string;
  lines: { lineRange(line: number): Range };
}

/**
 * Diagnostics for a document's reports, given one at a time in document order (the whole list of
 * an open document, or the reports of a file streamed from disk, which are not kept: only those
 * that get a diagnostic of their own, at most MAX_DIAGNOSTICS, stay in memory). The document-level
 * findings come at the end; the room kept for them is settled then, so the answer is the same as
 * if they had been known first.
 */
export class DiagnosticCollector {
  private readonly kept: AnalyzedReport[] = [];
  /** Diagnostics the kept reports make, and the count before each kept report. */
  private used = 0;
  private readonly usedBefore: number[] = [];
  /** The nominal count each kept report asked room for (the cap's test). */
  private readonly wanted: number[] = [];
  private omittedFrom: AnalyzedReport | null = null;
  private omittedReports = 0;

  constructor(
    private readonly target: DiagnosticTarget,
    private readonly settings: Pick<KernelLogLensSettings, 'zoneDiagnostics'>,
  ) {}

  /** The next report in document order. */
  add(entry: AnalyzedReport): void {
    // a copy of a repeated stretch is a repeat (asked unmade)
    if (entry instanceof CopiedReport) return;
    const { analysis } = entry;
    // a repeat is one of its group's related locations, not a diagnostic
    if (analysis.repeat.duplicateOf !== null) return;
    const headline = headerFinding(entry);
    const wanted = 1 + analysis.findings.length - (headline ? 1 : 0);
    // at most this many for reports whatever the document-level findings turn out to be
    if (this.omittedFrom !== null || this.used + wanted > MAX_DIAGNOSTICS - 1) {
      this.omittedFrom ??= entry;
      this.omittedReports++;
      return;
    }
    this.usedBefore.push(this.used);
    this.wanted.push(wanted);
    this.kept.push(entry);
    this.used +=
      1 +
      analysis.findings.filter(
        (f) => f !== headline && (this.settings.zoneDiagnostics || !ZONE_STATE_CODES.has(f.code)),
      ).length;
  }

  /** The diagnostics, once every report was added; `documentFindings` are the log's own (a
   * stopped analysis, rate-limiter lines). Empty when cancelled. */
  finish(documentFindings: readonly Finding[], token?: { isCancellationRequested: boolean }): Diagnostic[] {
    const doc = this.target;
    // Room kept for the document-level findings (a stopped analysis, suppression lines) and KLL031.
    const forReports = MAX_DIAGNOSTICS - 1 - Math.min(documentFindings.length, MAX_DIAGNOSTICS / 10);
    let keep = this.kept.length;
    for (let i = 0; i < this.kept.length; i++)
      if (this.usedBefore[i] + this.wanted[i] > forReports) {
        keep = i;
        break;
      }
    let omittedFrom = this.omittedFrom;
    let omittedReports = this.omittedReports;
    if (keep < this.kept.length) {
      omittedFrom = this.kept[keep];
      omittedReports += this.kept.length - keep;
    }
    const out: Diagnostic[] = [];
    for (let i = 0; i < keep; i++) {
      if (token?.isCancellationRequested) return [];
      const entry = this.kept[i];
      const headline = headerFinding(entry);
      out.push(reportDiagnostic(doc, entry, headline));
      for (const finding of entry.analysis.findings) {
        if (finding === headline) continue;
        if (!this.settings.zoneDiagnostics && ZONE_STATE_CODES.has(finding.code)) continue;
        out.push(findingDiagnostic(doc, finding, rangeOfFinding(doc, entry, finding)));
      }
    }
    let omittedFindings = 0;
    for (const finding of documentFindings) {
      if (out.length < MAX_DIAGNOSTICS - 1 || finding.code === FINDING_CODES.KLL030.code)
        out.push(findingDiagnostic(doc, finding, doc.lines.lineRange(finding.line)));
      else omittedFindings++;
    }
    if (omittedFrom !== null || omittedFindings > 0)
      out.push(omittedDiagnostic(doc, omittedFrom, omittedReports, omittedFindings));
    return out;
  }
}

export function diagnostics(
  doc: LogDocument,
  settings: Pick<KernelLogLensSettings, 'zoneDiagnostics'>,
  token?: { isCancellationRequested: boolean },
): Diagnostic[] {
  const collector = new DiagnosticCollector(doc, settings);
  // (an unmade copy is a repeat: its group's first report carries it)
  for (const entry of explainedEntries(doc)) {
    if (token?.isCancellationRequested) return [];
    collector.add(entry);
  }
  return collector.finish(doc.analysis.findings, token);
}

/** Line ranges for a file whose lines are not kept (streamed from disk): each line from its
 * start to its end, which LSP clients take from an end character beyond the line's length
 * (LSP 3.17 Position: "defaults back to the line length"). */
export const wholeLines: DiagnosticTarget['lines'] = {
  lineRange: (line) => ({ start: { line, character: 0 }, end: { line, character: WHOLE_LINE } }),
};
/** The largest uinteger of the LSP (2^31 - 1). */
const WHOLE_LINE = 0x7fffffff;

/** KLL031 on the first report left without a diagnostic of its own (else on the first line). */
function omittedDiagnostic(
  doc: DiagnosticTarget,
  from: AnalyzedReport | null,
  reports: number,
  findings: number,
): Diagnostic {
  const code = FINDING_CODES.KLL031.code;
  const left = [
    reports > 0 ? `${reports} more report${reports === 1 ? '' : 's'} from this line on` : null,
    findings > 0 ? `${findings} rate-limiter line${findings === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return {
    range: from ? toRange(from.report.headerRange) : doc.lines.lineRange(0),
    severity: SEVERITY[FINDING_CODES.KLL031.severity],
    source: DIAGNOSTIC_SOURCE,
    message: `${left.join(' and ')} get no diagnostic of their own (at most ${MAX_DIAGNOSTICS} per document); hovers still explain the reports, and \`klens analyze\` lists them all.`,
    code,
    codeDescription: codeDescription(code),
  };
}

/** Zone-level findings the `zoneDiagnostics` setting turns off: zones below min / below low. */
const ZONE_STATE_CODES: ReadonlySet<string> = new Set([FINDING_CODES.KLL010.code, FINDING_CODES.KLL011.code]);

/** The core's finding for the report itself (its kind's code, on the header line). */
function headerFinding({ report, analysis }: AnalyzedReport): Finding | undefined {
  return analysis.findings.find((f) => f.code === REPORT_CODE[report.kind]);
}

function reportDiagnostic(
  doc: DiagnosticTarget,
  entry: AnalyzedReport,
  headline: Finding | undefined,
): Diagnostic {
  const { report, analysis } = entry;
  const related = (headline?.related ?? []).map((r) => relatedAt(doc, r.line, r.message));
  const { repeat } = analysis;
  let message = headline?.message ?? analysis.summary;
  if (repeat.count > 1) {
    const span =
      repeat.firstTime && repeat.lastTime && repeat.firstTime !== repeat.lastTime
        ? ` between ${repeat.firstTime} and ${repeat.lastTime}`
        : '';
    const suppressed = repeat.suppressed > 0 ? `, ${repeat.suppressed} more suppressed by the kernel` : '';
    // The count always, before any detail; the span and the suppressed ones when they still fit
    // (the related information lists every repeat's line).
    const [verdict, ...details] = message.split('; ');
    const count = `${repeat.count} identical reports`;
    const full = `${verdict} (${count}${span}${suppressed})`;
    message = fitMessage([full.length <= MESSAGE_MAX ? full : `${verdict} (${count})`, ...details]);
    const shown = Math.min(repeat.lines.length, MAX_RELATED + 1);
    for (let i = 0; i < shown; i++) {
      const line = repeat.lines[i];
      if (line !== report.line) related.push(relatedAt(doc, line, `repeat ${i + 1} of ${repeat.count}`));
    }
    if (repeat.lines.length > shown) {
      const last = repeat.lines[repeat.lines.length - 1];
      related.push(
        relatedAt(
          doc,
          last,
          `repeat ${repeat.lines.length} of ${repeat.count} (the last; ${repeat.lines.length - shown - 1} between are not listed)`,
        ),
      );
    }
  }
  return {
    range: toRange(report.headerRange),
    severity: REPORT_SEVERITY[report.kind],
    source: DIAGNOSTIC_SOURCE,
    message: oneLine(message),
    ...(headline ? { code: headline.code, codeDescription: codeDescription(headline.code) } : {}),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

function findingDiagnostic(doc: DiagnosticTarget, finding: Finding, range: Range): Diagnostic {
  const related = finding.related.map((r) => relatedAt(doc, r.line, r.message));
  return {
    range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    message: oneLine(finding.message),
    code: finding.code,
    codeDescription: codeDescription(finding.code),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** A zone finding covers the zone's name and numbers; others their whole line. */
function rangeOfFinding(doc: DiagnosticTarget, { report }: AnalyzedReport, finding: Finding): Range {
  const zone = report.zones.find((z) => z.line === finding.line);
  return zone ? toRange(zone.range) : doc.lines.lineRange(finding.line);
}

function relatedAt(doc: DiagnosticTarget, line: number, message: string): DiagnosticRelatedInformation {
  return { location: { uri: doc.uri, range: doc.lines.lineRange(line) }, message: oneLine(message) };
}
