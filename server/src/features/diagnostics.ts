// textDocument/diagnostic (pull) and textDocument/publishDiagnostics (push): one diagnostic per
// report on its header, with the core's short verdict-first message (findings.ts fitMessage: one
// Problems row), a severity by kind, what each deciding zone meant for the request as related
// information and a documented code; the core's other findings (zone
// states, implausible masks, suppressions) beside it. Repeated identical reports are grouped: the
// first carries the count and time span, each repeat only a hint pointing back to it.

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
import type { AnalyzedReport, LogDocument } from './document';
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

export function diagnostics(
  doc: LogDocument,
  settings: Pick<KernelLogLensSettings, 'zoneDiagnostics'>,
  token?: { isCancellationRequested: boolean },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Room kept for the document-level findings (a stopped analysis, suppression lines) and KLL031.
  const documentFindings = doc.analysis.findings;
  const forReports = MAX_DIAGNOSTICS - 1 - Math.min(documentFindings.length, MAX_DIAGNOSTICS / 10);
  /** Per repeat group (index of its first report): how many of its reports were seen so far. */
  const seen = new Map<number, number>();
  let omittedFrom: AnalyzedReport | null = null;
  let omittedReports = 0;
  for (const entry of doc.reports) {
    if (token?.isCancellationRequested) return [];
    const { analysis } = entry;
    const first = analysis.repeat.duplicateOf;
    const occurrence = first === null ? 1 : (seen.get(first) ?? 1) + 1;
    if (first !== null) seen.set(first, occurrence);
    const headline = headerFinding(entry);
    const wanted = first !== null ? 1 : 1 + analysis.findings.length - (headline ? 1 : 0);
    if (omittedFrom !== null || out.length + wanted > forReports) {
      omittedFrom ??= entry;
      omittedReports++;
      continue;
    }
    if (first !== null) {
      out.push(repeatHint(doc, entry, doc.reports[first], occurrence, headline?.code ?? null));
      continue;
    }
    out.push(reportDiagnostic(doc, entry, headline));
    for (const finding of analysis.findings) {
      if (finding === headline) continue;
      if (!settings.zoneDiagnostics && ZONE_STATE_CODES.has(finding.code)) continue;
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

/** KLL031 on the first report left without a diagnostic of its own (else on the first line). */
function omittedDiagnostic(
  doc: LogDocument,
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
  doc: LogDocument,
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

function repeatHint(
  doc: LogDocument,
  entry: AnalyzedReport,
  first: AnalyzedReport,
  occurrence: number,
  code: string | null,
): Diagnostic {
  const { repeat } = first.analysis;
  return {
    range: toRange(entry.report.headerRange),
    severity: DiagnosticSeverity.Hint,
    source: DIAGNOSTIC_SOURCE,
    message: `Same report as line ${first.report.line + 1} (${occurrence} of ${repeat.count}): see the diagnostic there.`,
    ...(code ? { code, codeDescription: codeDescription(code) } : {}),
    relatedInformation: [relatedAt(doc, first.report.line, 'first report of this group')],
  };
}

function findingDiagnostic(doc: LogDocument, finding: Finding, range: Range): Diagnostic {
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
function rangeOfFinding(doc: LogDocument, { report }: AnalyzedReport, finding: Finding): Range {
  const zone = report.zones.find((z) => z.line === finding.line);
  return zone ? toRange(zone.range) : doc.lines.lineRange(finding.line);
}

function relatedAt(doc: LogDocument, line: number, message: string): DiagnosticRelatedInformation {
  return { location: { uri: doc.uri, range: doc.lines.lineRange(line) }, message: oneLine(message) };
}
