// Findings: the report's own diagnostic on its header line (always first), then zone states,
// inconsistent lowmem_reserve lines, implausible masks, a highatomic-only free list and missing
// inputs. Codes and severities come from codes.ts.

import type { HeaderCut, Report, Suppression, UnreadableValue } from './model';
import type {
  Finding,
  GfpAnalysis,
  ProtectionAnalysis,
  ReplayAnalysis,
  Verdict,
  ZoneAnalysis,
} from './analysis-types';
import { FINDING_CODES, REPORT_CODE, type FindingCodeId } from './codes';
import { buddyLookup } from './buddy';
import { zoneLabel } from './zones';

function finding(
  code: FindingCodeId,
  message: string,
  line: number,
  related: Finding['related'] = [],
): Finding {
  return { code, severity: FINDING_CODES[code].severity, message, line, related };
}

export interface FindingsInput {
  report: Report;
  summary: string;
  verdict: Verdict;
  verdictText: string;
  gfp: GfpAnalysis | null;
  zones: ZoneAnalysis[];
  protection: ProtectionAnalysis[];
  replay: ReplayAnalysis | null;
}

export function buildFindings(input: FindingsInput): Finding[] {
  const { report, replay } = input;
  const related: Finding['related'] = [];
  if (replay) {
    for (const c of replay.zones) if (c.usable) related.push({ line: c.line, message: c.explanation });
  } else {
    for (const z of input.zones) related.push({ line: z.line, message: `${zoneLabel(z)}: ${z.gaugeText}` });
  }
  const out: Finding[] = [finding(REPORT_CODE[report.kind], input.summary, report.line, related)];

  for (const z of input.zones) {
    if (z.empty) continue;
    const { check } = z;
    const tail = check?.usable ? ` For this request: ${check.explanation.replace(/^[^:]*: /, '')}.` : '';
    if (z.state === 'below_min')
      out.push(
        finding(
          'KLL010',
          `${zoneLabel(z)} at or below its min watermark: ${z.gaugeText}. ${capitalize(z.stateText)}.${tail}`,
          z.line,
        ),
      );
    else if (z.state === 'below_low')
      out.push(
        finding(
          'KLL011',
          `${zoneLabel(z)} at or below its low watermark: ${z.gaugeText}. ${capitalize(z.stateText)}.${tail}`,
          z.line,
        ),
      );
  }
  for (const p of input.protection) {
    if (!p.consistent)
      out.push(
        finding(
          'KLL020',
          `lowmem_reserve of ${p.zone} does not match a single lowmem_reserve_ratio: ${p.notes.join('; ')}`,
          p.line,
          [{ line: p.zoneLine, message: `${p.zone} zone line` }],
        ),
      );
  }
  if (input.gfp?.implausible)
    out.push(
      finding(
        'KLL021',
        `mode ${input.gfp.raw} is implausible for this kernel era (${input.gfp.era ?? 'unknown'}): ${input.gfp.implausible}`,
        report.gfpRange?.startLine ?? report.line,
      ),
    );
  if (replay) {
    const buddyOf = buddyLookup(report.buddy);
    for (const c of replay.zones) {
      if (
        !c.usable ||
        c.orderBlocks?.available !== false ||
        !/highatomic reserve \(H\)/.test(c.orderBlocks.text)
      )
        continue;
      const b = buddyOf(c.node, c.zone);
      out.push(
        finding(
          'KLL022',
          `${zoneLabel(c)}: every free block is in the highatomic reserve (H); an order-0 request cannot use it, so the zone looks free but is not for this request.`,
          b?.line ?? c.line,
          [{ line: c.line, message: `${zoneLabel(c)} zone line` }],
        ),
      );
    }
    if (input.verdict === 'undecidable' && replay.missing.length > 0)
      out.push(
        finding(
          'KLL023',
          `The verdict needs ${replay.missing.join(' and ')}, which this report lacks: ${input.verdictText}`,
          report.line,
        ),
      );
  } else if (input.verdict === 'undecidable') {
    out.push(finding('KLL023', input.verdictText, report.line));
  }
  if (report.headerCut) {
    // said once: the undecidable verdict's finding may already say it
    const text = headerCutText(report.headerCut);
    if (!out.some((f) => f.code === 'KLL023' && f.message.includes(text)))
      out.push(finding('KLL023', `${capitalize(text)}.`, report.headerCut.line));
  }
  for (const u of report.unreadable) out.push(unreadableFinding(u));
  return out;
}

/** What a cut header lacks, e.g. `the header was cut after "…, nodemask=": order not printed`;
 * a cut inside the mask's flag names says that they are read from the mask instead. */
export function headerCutText(cut: HeaderCut): string {
  const parts: string[] = [];
  if (cut.namesCut !== undefined)
    parts.push(`the flag names after ${cut.namesCut} were cut (decoded from the mask instead)`);
  if (cut.missing.length > 0) parts.push(`${cut.missing.join(' and ')} not printed`);
  return `the header was cut after "${cut.after}": ${parts.join('; ')}`;
}

export function suppressionFinding(s: Suppression): Finding {
  const dropped = s.unreadable ? 'reports' : `${s.count} report${s.count === 1 ? '' : 's'}`;
  return finding(
    'KLL024',
    `${s.source}: the kernel's rate limiter dropped ${dropped} here; the failures happened more often than the log shows.`,
    s.line,
  );
}

/** A number beyond what the kernel prints there (numbers.ts): said once, where it stands. */
export function unreadableFinding(u: UnreadableValue): Finding {
  return finding(
    'KLL025',
    `Value ${u.text} on line ${u.line + 1} is beyond what the kernel prints (${u.expected}): ignored.`,
    u.line,
  );
}

/** The document-level note that the text was read as a quoted-printable mail body from `line` on
 * (quoted-printable.ts): the numbers come from the decoded text, the positions from the text as it is. */
export function quotedPrintableFinding(line: number): Finding {
  return finding(
    'KLL026',
    `Read as a quoted-printable mail body (RFC 2045) from line ${line + 1} on: \`=3D\` is read as \`=\`, other \`=XX\` escapes as the bytes they stand for, and a line ending in \`=\` goes on at the start of the next.`,
    line,
  );
}

/** The document-level finding of an analysis stopped at its time budget (LogAnalysisJob.stop). */
export function analysisStoppedFinding(line: number, reportsAnalysed: number): Finding {
  return finding(
    'KLL030',
    `Analysis stopped here at its time budget: the ${reportsAnalysed} report${reportsAnalysed === 1 ? '' : 's'} before line ${line + 1} are analysed, nothing from this line on is. Run \`klens analyze\` on the file for all of it.`,
    line,
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
