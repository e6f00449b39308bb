// Findings: the report's own diagnostic on its header line (always first), then zone states,
// inconsistent lowmem_reserve lines, implausible masks, a highatomic-only free list and missing
// inputs. Codes and severities come from codes.ts.

import type { HeaderCut, Report, Suppression, UnreadableValue } from './model';
import type {
  Finding,
  ZoneCheck,
  GfpAnalysis,
  ProtectionAnalysis,
  ReplayAnalysis,
  Verdict,
  ZoneAnalysis,
} from './analysis-types';
import { FINDING_CODES, REPORT_CODE, type FindingCodeId } from './codes';
import { buddyLookup } from './buddy';
import { zoneLabel } from './zones';
import { REQUEST_FAILS_HERE } from './zone-analysis';

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
  /** The report's short, verdict-first message (reportMessage). */
  message: string;
  /** The request in words (`order-5 (128 KiB) GFP_ATOMIC in softirq (net_tx_action → …)`), or
   * null when the report has none (show_mem, SLUB, an OOM no allocation led to). */
  request: string | null;
  /** The request's size (`128 KiB`), or null without an order. */
  sizeText: string | null;
  verdict: Verdict;
  verdictText: string;
  gfp: GfpAnalysis | null;
  zones: ZoneAnalysis[];
  protection: ProtectionAnalysis[];
  replay: ReplayAnalysis | null;
}

export function buildFindings(input: FindingsInput): Finding[] {
  const { report, replay } = input;
  // The request itself (size, mode, context, call chain), which the short message leaves out.
  const related: Finding['related'] = input.request
    ? [{ line: report.line, message: `the request: ${input.request}` }]
    : [];
  // In words, what each zone meant for this request; the arithmetic is in the zone's hover.
  if (replay) {
    for (const c of replay.zones)
      if (c.usable)
        related.push({
          line: c.line,
          message: `${zoneLabel(c)}: ${zoneCheckWords(c, replay, input.sizeText)}`,
        });
  } else {
    for (const z of input.zones)
      if (!z.empty) related.push({ line: z.line, message: `${zoneLabel(z)}: ${zoneStateWords(z)}` });
  }
  const out: Finding[] = [finding(REPORT_CODE[report.kind], input.message, report.line, related)];

  for (const z of input.zones) {
    if (z.empty) continue;
    // The zone's own state only: what it meant for this request is the report's diagnostic
    // (its related information names this zone), so it is not said twice.
    if (z.state === 'below_min')
      out.push(
        finding(
          'KLL010',
          `${zoneLabel(z)} at or below its min watermark: ${z.gaugeText}. ${capitalize(ownState(z))}.`,
          z.line,
        ),
      );
    else if (z.state === 'below_low')
      out.push(
        finding(
          'KLL011',
          `${zoneLabel(z)} at or below its low watermark: ${z.gaugeText}. ${capitalize(ownState(z))}.`,
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
      if (!c.usable || c.orderBlocks?.available !== false || !c.orderBlocks.onlyHighatomic) continue;
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
          // the verdict first; what it lacks after it
          `${input.verdictText.replace(/\.$/, '')} (this report lacks ${replay.missing.join(' and ')}).`,
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

/** Most characters of a report's diagnostic message: one Problems row at 1400 px (issue #14). */
export const MESSAGE_MAX = 120;
/** The verdict part ends within this many characters, so it is read before anything is cut. */
export const MESSAGE_VERDICT_WITHIN = 100;

/**
 * The report's diagnostic message from its parts (kinds.ts `message`): the first (the verdict)
 * always, cut with `…` only if it alone is too long; each later part joined with `; ` when it
 * still fits in MESSAGE_MAX, else left out (it is in the hover and the related information).
 * A token longer than 40 characters (a cgroup path, a long task name) is shortened in the middle.
 */
export function fitMessage(parts: readonly string[], max = MESSAGE_MAX): string {
  const [head = '', ...rest] = parts.map((p) => elideLongTokens(p.replace(/\s+/g, ' ').trim()));
  let out = head.length > max ? `${cutAtWord(head, max - 1)}…` : head;
  for (const p of rest) if (p !== '' && out.length + 2 + p.length <= max) out += `; ${p}`;
  return out;
}

/** `s` cut to at most `max` characters, at the last space when one is near the end. */
function cutAtWord(s: string, max: number): string {
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space >= max - 20 ? cut.slice(0, space) : cut).replace(/[\s;,:]+$/, '');
}

function elideLongTokens(s: string): string {
  return s.replace(/\S{41,}/g, (t) => `${t.slice(0, 20)}…${t.slice(-19)}`);
}

/** What a zone's replayed check meant for this request, in words (no page arithmetic). */
export function zoneCheckWords(
  c: ZoneCheck,
  replay: Pick<ReplayAnalysis, 'mark' | 'classzone'>,
  size: string | null = null,
): string {
  const block = size ? `${size} block` : 'block of the requested size';
  const mark =
    replay.mark === 'high' ? "the high watermark of the OOM killer's last attempt" : 'its min watermark';
  if (!c.usable) return `not usable: ${c.unusableReason ?? 'not allowed for this request'}`;
  if (c.pass === false) {
    if (c.cmaDecides) return 'its free pages are CMA, which this request may not use';
    if (c.hiddenHighatomic?.decided === 'both' && c.hiddenHighatomic.passesWithout)
      return 'its free pages are held by the highatomic reserve';
    if (reserveDecided(c))
      return `held back by lowmem_reserve for ${c.classzone ?? replay.classzone ?? 'this zone'}-class requests`;
    return `too few free pages: below ${mark} for this request`;
  }
  if (c.pass === true) {
    const b = c.orderBlocks;
    if (b?.available === false)
      return b.tooFewPages
        ? `enough free pages, but too few of them in ${size ? `${size} or larger blocks` : 'blocks of the requested size'}`
        : b.onlyHighatomic
          ? 'enough free pages, but all in the highatomic reserve, which this request cannot take'
          : `enough free pages, but no free ${block}`;
    if (c.result === 'unknown')
      return `passes the watermark check; whether a free ${block} was there is not printed (no buddy line)`;
    return 'passes: enough free pages for this request';
  }
  if (c.hiddenHighatomic?.decided === 'undecided')
    return 'undecidable: depends on the highatomic reserve, which the report does not print';
  return 'cannot be checked: a number the check needs is not printed';
}

/**
 * The zone failed the request only because of its lowmem_reserve for the request's class zone:
 * `free − unusable > min` holds, `free − unusable > min + lowmem_reserve[classzone]` does not
 * (__zone_watermark_ok, every era: the reserve is added to the mark before the comparison).
 */
export function reserveDecided(c: ZoneCheck): boolean {
  return (
    c.pass === false &&
    !!c.reservePages &&
    c.freePages !== null &&
    c.unusablePages !== null &&
    c.adjustedMinPages !== null &&
    c.freePages - c.unusablePages > c.adjustedMinPages
  );
}

/** A zone's state text without what this request met there (the report's diagnostic says it). */
export function ownState(z: Pick<ZoneAnalysis, 'stateText'>): string {
  const at = z.stateText.indexOf(REQUEST_FAILS_HERE);
  return at < 0 ? z.stateText : z.stateText.slice(0, at);
}

/** A zone's state by its own watermarks, in words, when no request is replayed. */
export function zoneStateWords(z: Pick<ZoneAnalysis, 'state'>): string {
  switch (z.state) {
    case 'below_min':
      return 'at or below its min watermark';
    case 'below_low':
      return 'at or below its low watermark';
    case 'below_high':
      return 'below its high watermark';
    case 'ok':
      return 'above its high watermark';
    default:
      return 'watermarks not printed';
  }
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
