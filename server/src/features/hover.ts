// textDocument/hover: explains what the number under the cursor means for this report — the
// header's order and mode, each zone line, each lowmem_reserve[] line, buddy free lists, Mem-Info
// counters and the allocator's call-trace frames. Everything kernel-specific comes from the core's
// analysis (or the glossary tables); this file only finds the target and lays the text out. Text
// that comes from the log is always passed through escapeMarkdown.

import { isManualOom } from '../core/oom-kind';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type {
  BuddyAnalysis,
  ProtectionAnalysis,
  ReportAnalysis,
  ZoneAnalysis,
  ZoneCheck,
} from '../core/analysis-types';
import type { AllocationProfile, AllocTagLine, Counter, StackFrame, TextRange } from '../core/model';
import { fromRange, toRange } from './text';
import { FINDING_CODES, REPORT_CODE } from '../core/codes';
import { ownState, reserveDecided, zoneCheckWords } from '../core/findings';
import { zoneLabel } from '../core/zones';
import { explainedEntries, reportAt, type AnalyzedReport, type LogDocument } from './document';
import { CopiedReport } from '../core/analyze';
import { allocatorFunction, counterInfo, dumpFieldInfo } from '../core/glossary';
import { escapeMarkdown as esc, kib, num, paragraphs, table } from './markdown';
import { oomHover, oomTargets, type OomTarget } from './oom-hover';
import { SHOW_REPORT_COMMAND } from '../../../shared/protocol';

type Target =
  | { kind: 'order' | 'gfp' | 'header'; range: TextRange; entry: AnalyzedReport }
  | { kind: 'zone' | 'reserve'; range: TextRange; entry: AnalyzedReport; zone: ZoneAnalysis }
  | { kind: 'buddy'; range: TextRange; entry: AnalyzedReport; buddy: BuddyAnalysis }
  | { kind: 'counter'; range: TextRange; entry: AnalyzedReport; counter: Counter }
  | { kind: 'frame'; range: TextRange; entry: AnalyzedReport; frame: StackFrame }
  | {
      kind: 'profile';
      range: TextRange;
      entry: AnalyzedReport;
      profile: AllocationProfile;
      tag: AllocTagLine | null;
    }
  | OomTarget;

/** Per analysed document version: its hover targets by line, built on the first hover. */
const targetIndex = new WeakMap<LogDocument, Map<number, Target[]>>();

export interface HoverOptions {
  /** The client runs SHOW_REPORT_COMMAND from a hover's `command:` link (the VS Code extension
   * trusts that one command in the server's Markdown): the header hover links the report view. */
  reportLink: boolean;
}

export function hover(
  doc: LogDocument,
  position: Position,
  options: HoverOptions = { reportLink: false },
): Hover | null {
  const target = targetAt(doc, position);
  if (!target) return null;
  let value = render(doc, target);
  if (value && target.kind === 'header' && options.reportLink)
    value += `\n\n${reportLink(doc.uri, target.entry.report.line)}`;
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: toRange(target.range) } : null;
}

/** A link that opens the report view at the report on `line` (0-based): the command's arguments
 * are the document's uri and the line, as JSON in the link (VS Code's `command:` URI form). */
export function reportLink(uri: string, line: number): string {
  // encodeURIComponent leaves `(` and `)`: a `)` in a file name would end the link's target
  const args = encodeURIComponent(JSON.stringify([uri, line])).replace(
    /[()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[Show report](command:${SHOW_REPORT_COMMAND}?${args} "Timeline, zones, free lists and the watermark check of this report")`;
}

function targetAt(doc: LogDocument, { line, character }: Position): Target | undefined {
  let index = targetIndex.get(doc);
  if (!index) {
    index = buildTargets(doc);
    targetIndex.set(doc, index);
  }
  let targets = index.get(line) ?? [];
  // the copies of a repeated stretch are not in the index (each would be made): the one that
  // read this line gets its targets now
  const owner = reportAt(doc, line);
  if (owner instanceof CopiedReport) targets = [...targets, ...(targetsOf(doc, [owner]).get(line) ?? [])];
  // The innermost target that holds the position (order/mode win over the header around them).
  let best: Target | undefined;
  for (const t of targets) {
    if (!contains(t.range, line, character)) continue;
    if (!best || size(t.range) < size(best.range)) best = t;
  }
  return best;
}

/** The hover targets of the reports read (copies are left out: targetAt adds a copy's own). */
function buildTargets(doc: LogDocument): Map<number, Target[]> {
  return targetsOf(doc, explainedEntries(doc));
}

function targetsOf(doc: LogDocument, entries: readonly AnalyzedReport[]): Map<number, Target[]> {
  const byLine = new Map<number, Target[]>();
  const add = (t: Target): void => {
    for (let l = t.range.startLine; l <= t.range.endLine; l++) {
      const list = byLine.get(l);
      if (list) list.push(t);
      else byLine.set(l, [t]);
    }
  };
  for (const entry of entries) {
    const { report, analysis } = entry;
    add({ kind: 'header', range: report.headerRange, entry });
    if (report.orderRange) add({ kind: 'order', range: report.orderRange, entry });
    if (report.gfpRange) add({ kind: 'gfp', range: report.gfpRange, entry });
    for (const zone of analysis.zones) {
      add({ kind: 'zone', range: zone.parsed.range, entry, zone });
      const reserve = zone.parsed.lowmemReserveRange;
      if (reserve) add({ kind: 'reserve', range: reserve, entry, zone });
    }
    for (const buddy of analysis.buddy) add({ kind: 'buddy', range: buddy.parsed.range, entry, buddy });
    for (const counter of report.counters) add({ kind: 'counter', range: counter.range, entry, counter });
    for (const frame of report.callTrace)
      add({ kind: 'frame', range: fromRange(doc.lines.lineRange(frame.line)), entry, frame });
    const profile = report.allocationProfile;
    if (profile !== null) {
      const line = (l: number) => fromRange(doc.lines.lineRange(l));
      if (profile.line !== null)
        add({ kind: 'profile', range: line(profile.line), entry, profile, tag: null });
      for (const tag of profile.tags) add({ kind: 'profile', range: line(tag.line), entry, profile, tag });
    }
    for (const t of oomTargets(doc, entry)) add(t);
  }
  return byLine;
}

function contains(r: TextRange, line: number, character: number): boolean {
  if (line < r.startLine || line > r.endLine) return false;
  if (line === r.startLine && character < r.startChar) return false;
  return !(line === r.endLine && character > r.endChar);
}

function size(r: TextRange): number {
  return (r.endLine - r.startLine) * 100000 + r.endChar - r.startChar;
}

function render(doc: LogDocument, target: Target): string | null {
  const a = target.entry.analysis;
  switch (target.kind) {
    case 'header':
      return headerHover(target.entry);
    case 'order':
      return orderHover(target.entry);
    case 'gfp':
      return gfpHover(a);
    case 'zone':
      return zoneHover(a, target.zone);
    case 'reserve':
      return reserveHover(a, target.zone);
    case 'buddy':
      return buddyHover(target.buddy);
    case 'counter':
      return counterHover(a, target.counter);
    case 'frame':
      return frameHover(a, target.frame);
    case 'profile':
      return profileHover(target.profile, target.tag);
    case 'oom':
      return oomHover(target);
  }
}

/** The report kind's title, as its finding code names it (KLL001 "Page allocation failure" …). */
function kindTitle(kind: ReportAnalysis['kind']): string {
  return FINDING_CODES[REPORT_CODE[kind]].title;
}

/**
 * The header: the report's diagnostic (shown with this hover) already says the verdict in a few
 * words, so the hover goes on from there — why, what it means for the caller — then the request,
 * the task, the kernel and the call chain.
 */
function headerHover({ report, analysis: a }: AnalyzedReport): string {
  const task = [
    report.comm !== null && `${esc(report.comm)}${report.pid !== null ? ` (pid ${report.pid})` : ''}`,
    report.cpu !== null && `CPU ${report.cpu}`,
    report.host !== null && `host ${esc(report.host)}`,
    report.time !== null && esc(report.time),
  ].filter((p): p is string => typeof p === 'string');
  // what the header line's diagnostics already say (the report's message; an undecidable
  // verdict's KLL023) is not said twice
  const lead = a.verdict !== 'not_applicable' ? a.verdictText : a.summary;
  const said = a.findings.some((f) => f.line === report.line && f.message.includes(lead));
  return paragraphs(
    said ? `**${kindTitle(a.kind)}**` : `**${kindTitle(a.kind)}** — ${esc(lead, 600)}`,
    `**Impact:** ${esc(a.impact, 400)}`,
    a.request !== null && `**Request:** ${esc(a.request, 400)}`,
    task.length > 0 && `**Task:** ${task.join(' · ')}`,
    eraLine(a),
    a.context.chainText && `**Call chain:** ${esc(a.context.chainText, 400)} (${esc(a.context.contextText)})`,
  );
}

function eraLine(a: ReportAnalysis): string {
  return `**Kernel:** ${esc(a.era.release ?? 'release not printed')} — ${esc(a.era.reason, 400)}`;
}

function orderHover({ report, analysis: a }: AnalyzedReport): string {
  const o = a.order;
  if (!o)
    return isManualOom(report)
      ? `**order=${report.order ?? '?'}**: ${esc(a.verdictText, 600)}`
      : '**order** not read: the printed value is beyond any order the kernel prints (see the KLL025 finding), so the request size is unknown.';
  return paragraphs(
    `**order ${o.order}** = 2^${o.order} = ${num(o.pages)} contiguous page${o.pages === 1 ? '' : 's'} × ${num(o.pageSizeKb)} KiB = **${esc(o.sizeText)}**` +
      (o.pageSizeAssumed ? ` (page size assumed: no buddy line shows it)` : ''),
    o.costly
      ? `Costly order (> 3, \`PAGE_ALLOC_COSTLY_ORDER\`): the kernel tries less hard for it — it needs a free block this large in one piece, which fragmentation can make impossible even with plenty of free memory.`
      : `Not a costly order (≤ 3): the kernel retries such requests hard${o.order > 0 ? ', but it still needs a free block of this size in one piece' : ''}.`,
    eraLine(a),
  );
}

function gfpHover(a: ReportAnalysis): string | null {
  const g = a.gfp;
  if (!g) return null;
  const facts = [
    [
      'decoded',
      `${esc(g.text || '(no flags)', 400)}${g.printed !== null ? ' (names printed by the kernel)' : g.era ? ` (decoded with the ${esc(g.era)} GFP layout)` : ''}`,
    ],
    [
      'zones it may use',
      g.highestZone
        ? `up to ${esc(g.highestZone)}${g.highestZoneNote ? ` (${esc(g.highestZoneNote)})` : ''}`
        : 'unknown',
    ],
    [
      'may sleep / reclaim',
      g.marker !== null
        ? esc(g.marker, 400)
        : g.atomic === null
          ? 'unknown'
          : g.atomic
            ? 'no — atomic: it cannot wait for memory to be freed'
            : g.canReclaim
              ? a.context.memalloc
                ? // __alloc_pages_slowpath (2.6.31 … 6.19): `if (current->flags & PF_MEMALLOC) goto nopage`
                  `the mask allows it, but this task does not reclaim: ${esc(a.context.memalloc.who)} — the allocator never sends a PF_MEMALLOC task to reclaim`
                : 'yes — direct reclaim and compaction allowed'
              : 'may not reclaim directly',
    ],
    [
      'slow-path flags',
      g.allocFlags && g.marker === null
        ? esc(g.allocFlags.text)
        : g.marker !== null
          ? 'none (no request)'
          : 'unknown',
    ],
  ];
  return paragraphs(
    `**mode ${esc(g.raw)}** — the GFP mask: what the caller allows the allocator to do`,
    facts.map(([k, v]) => `- ${k}: ${v}`).join('\n'),
    g.implausible && `⚠ ${esc(g.implausible, 400)}`,
    eraLine(a),
  );
}

/**
 * A zone line, the conclusion first (issue #14): its state and what it meant for this request,
 * then in one line what its lowmem_reserve held back from this request, then the gauge and the
 * numbers, then the replayed check's arithmetic. A zone at or below min carries its own
 * diagnostic (KLL010, shown with the hover), so its state text is not said again.
 */
function zoneHover(a: ReportAnalysis, z: ZoneAnalysis): string {
  const rows = (
    [
      ['free', z.freeKb, z.freePages],
      ['min', z.minKb, z.minPages],
      ['low', z.lowKb, z.lowPages],
      ['high', z.highKb, z.highPages],
    ] as const
  ).map(([name, kb, pages]) => [name, kb === null ? '—' : num(kb), pages === null ? '—' : num(pages)]);
  const { check, protection } = z;
  const replayed = a.verdict !== 'not_applicable' && check !== null;
  // A zone at or below min has its own KLL010 (information), which VS Code lists in Problems and
  // shows in this hover: its state text is not said again. KLL011 (below low) is a hint: no
  // Problems row and, in VS Code, only shown over its three dots, so the hover keeps the text.
  const ownDiagnostic = !z.empty && z.state === 'below_min';
  return paragraphs(
    `**${esc(zoneLabel(z))}** — ${STATE_LABEL[z.state] ?? esc(z.state)}` +
      (replayed ? ` · ${checkConclusion(a, check)}` : ''),
    (replayed && requestProtection(check, 'zone')) || (protection && protectionSummary(protection)),
    gauge(z, !ownDiagnostic),
    table(['', 'kB', 'pages'], rows, ['l', 'r', 'r']),
    !ownDiagnostic && `**State:** ${esc(ownState(z), 600)}`,
    replayed && replayText(a, check),
    extraZoneFacts(z),
  );
}

const RESULT_MARK: Record<ZoneCheck['result'], string> = {
  pass: '✔ **passes this request**',
  fail: '✘ **fails this request**',
  unknown: '? **undecided for this request**',
  skipped: '– **not used by this request**',
};

/** What the zone meant for this request, in words (the same words as the report's related
 * information), after the outcome. */
function checkConclusion(a: ReportAnalysis, c: ZoneCheck): string {
  const words = zoneCheckWords(c, a.replay, a.order?.sizeText ?? null).replace(/^passes: /, '');
  return `${RESULT_MARK[c.result]}: ${esc(words, 300)}`;
}

/**
 * In one line, the column of lowmem_reserve[] that applied to this request — the zone's reserve
 * against the request's class zone, as the replay added it to the mark — and whether it decided
 * the zone's outcome (findings.ts reserveDecided). `on` is the line hovered: the zone line says
 * whom the pages were held back from, the lowmem_reserve[] line which column that was.
 */
function requestProtection(c: ZoneCheck, on: 'zone' | 'reserve'): string | null {
  if (!c.usable || c.classzone === null) return null;
  const cls = esc(c.classzone);
  const lead = on === 'zone' ? '**Protection:** ' : `the **${cls}** column applied to this request: `;
  const whom = on === 'zone' ? ` from ${cls}-class requests like this one` : '';
  if (c.reservePages === null)
    return `${lead}the pages held back${whom} are not printed, so the check is undecided`;
  if (c.reservePages === 0)
    return `${lead}nothing held back${whom} (${c.zone === c.classzone ? 'this is the class zone itself' : 'the entry is 0'})`;
  const outcome = reserveDecided(c)
    ? '**it decided the outcome**: without it the zone passes'
    : c.pass === false
      ? 'the zone is short even without it'
      : c.pass === true
        ? 'the zone passes even with it'
        : 'the outcome is undecided';
  return `${lead}${num(c.reservePages)} pages held back${whom} — ${outcome}`;
}

const STATE_LABEL: Record<string, string> = {
  below_min: 'below the **min** watermark',
  below_low: 'below the **low** watermark',
  below_high: 'below the **high** watermark',
  ok: 'above the high watermark',
  empty: 'empty zone',
  unknown: 'state unknown (a watermark was not printed)',
};

/**
 * A text gauge of free memory against the watermarks, e.g.
 *   free ███████████████████████████▌░░░░░░░░
 *        0                      min  low  high
 */
export function gauge(
  z: Pick<ZoneAnalysis, 'freeKb' | 'minKb' | 'lowKb' | 'highKb' | 'gaugeText'>,
  withText = true,
): string | null {
  const { freeKb, minKb, lowKb, highKb } = z;
  if (freeKb === null || minKb === null || lowKb === null || highKb === null) return null;
  const width = 40;
  const scale = Math.max(freeKb, highKb) * 1.15 || 1;
  const at = (kb: number): number => Math.min(width - 1, Math.round((kb / scale) * width));
  const filled = Math.round((freeKb / scale) * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const marks: [number, string][] = [
    [at(minKb), 'min'],
    [at(lowKb), 'low'],
    [at(highKb), 'high'],
  ];
  const ruler = Array.from({ length: width }, () => ' ');
  for (const [pos] of marks) ruler[pos] = '↑';
  let labels = '';
  for (const [pos, name] of marks) {
    const same = marks.filter(([p]) => p === pos).map(([, n]) => n);
    if (same[0] !== name) continue;
    const text = same.join('=');
    labels += ' '.repeat(Math.max(labels.length === 0 ? 0 : 1, pos - labels.length)) + text;
  }
  return [
    '```text',
    `free ${bar}`,
    `     ${ruler.join('')}`,
    `     ${labels}`,
    '```',
    ...(withText ? [esc(z.gaugeText, 300)] : []),
  ].join('\n');
}

function replayText(a: ReportAnalysis, check: ZoneCheck): string {
  if (a.verdict === 'not_applicable') return '';
  const result = {
    pass: '✔ passes',
    fail: '✘ fails',
    unknown: '? cannot be decided',
    skipped: '– not used by this request',
  }[check.result];
  const lines = [
    a.replay.mark === 'high'
      ? `**The OOM killer's last attempt replayed** (${esc(a.replay.allocFlagsText)}, at the high watermark): ${result}`
      : `**Watermark check replayed for this report's request** (${esc(a.replay.allocFlagsText)}): ${result}`,
  ];
  if (!check.usable) lines.push(`- ${esc(check.unusableReason ?? 'not allowed for this request', 300)}`);
  else {
    if (check.adjustmentText)
      lines.push(
        `- ${a.replay.mark === 'high' ? 'high' : 'min for this request'}: ${esc(check.adjustmentText, 300)}`,
      );
    if (check.unusableText) lines.push(`- not counted as free: ${esc(check.unusableText, 300)}`);
    if (check.orderBlocks) lines.push(`- free block of the order: ${esc(check.orderBlocks.text, 300)}`);
  }
  lines.push(`- ${esc(check.explanation, 600)}`);
  return lines.join('\n');
}

function protectionSummary(p: ProtectionAnalysis): string | null {
  const held = p.entries.filter((e) => e.pages > 0 && e.populated);
  if (held.length === 0)
    return `**Protection:** this zone keeps nothing back from other zones’ requests (its \`lowmem_reserve[]\` is all zero above it).`;
  const parts = held.map(
    (e) => `${num(e.pages)} pages (${num(round1(e.mib))} MiB) from ${esc(e.zone)}-class requests`,
  );
  return `**Protection:** keeps back ${parts.join(', ')} — see the \`lowmem_reserve[]\` line below it.`;
}

function extraZoneFacts(z: ZoneAnalysis): string | null {
  const facts: string[] = [];
  if (z.boostKb) facts.push(`watermark boost ${num(z.boostKb)} kB (included in the printed watermarks)`);
  if (z.reservedHighatomicKb)
    facts.push(`${num(z.reservedHighatomicKb)} kB reserved for high-order atomic requests`);
  // free_highatomic is the free part of the reserve above: said with it, never alone
  const freeHighatomic = z.parsed.fields.free_highatomic;
  if (freeHighatomic !== undefined && z.reservedHighatomicKb)
    facts.push(
      `${num(freeHighatomic)} kB of it free (free_highatomic: ${dumpFieldInfo('free_highatomic')!.meaning})`,
    );
  const zspages = z.parsed.fields.zspages;
  if (zspages) facts.push(`${num(zspages)} kB in zsmalloc pages (${dumpFieldInfo('zspages')!.meaning})`);
  if (z.freeCmaKb) facts.push(`${num(z.freeCmaKb)} kB of the free memory is CMA (movable requests only)`);
  if (z.presentKb !== null)
    facts.push(`present ${kib(z.presentKb)}${z.managedKb !== null ? `, managed ${kib(z.managedKb)}` : ''}`);
  return facts.length > 0 ? facts.map((f) => `- ${f}`).join('\n') : null;
}

/**
 * A `lowmem_reserve[]` line, the conclusion first (issue #14): which column applied to this
 * request (its class zone), how much it held back and whether that decided the zone's outcome;
 * then every column with the applied one marked, the inferred ratio and the formulas. An
 * inconsistent line carries its own diagnostic (KLL020) with the notes, so they are not repeated.
 */
function reserveHover(a: ReportAnalysis, zone: ZoneAnalysis): string {
  const p = zone.protection;
  const c = a.verdict !== 'not_applicable' ? zone.check : null;
  const applied = c?.usable && c.classzone !== null ? c.classzone : null;
  const label = esc(zoneLabel(zone));
  const conclusion =
    c === null
      ? `**lowmem_reserve[] of ${label}** — pages this zone keeps back from requests whose class zone is higher; this report has no request replayed against it`
      : !c.usable
        ? `**lowmem_reserve[] of ${label}** — not used: ${esc(c.unusableReason ?? 'this request may not use the zone', 300)}`
        : applied === null
          ? `**lowmem_reserve[] of ${label}** — the request's class zone is unknown, so which column applied is not known`
          : `**lowmem_reserve[] of ${label}** — ${requestProtection(c, 'reserve')}`;
  if (!p)
    return paragraphs(conclusion, `Entries (pages): ${esc((zone.parsed.lowmemReserve ?? []).join(' '))}`);
  const rows = p.entries.map((e) => [
    esc(e.zone) + (e.populated ? '' : ' (empty)'),
    num(e.pages),
    num(round1(e.mib)),
    esc(e.meaning, 300),
    e.zone === applied ? '← this request' : '',
  ]);
  let ratio = `**Inferred ratio:** none reproduces these entries`;
  if (p.ratio !== null) {
    const fromDefault =
      p.defaultRatio === null
        ? ''
        : p.ratio === p.defaultRatio
          ? ' (the kernel default)'
          : ` (default ${num(p.defaultRatio)})`;
    const range = p.ratioRange
      ? `; any ratio from ${p.ratioRange[0]} to ${p.ratioRange[1]} gives these entries`
      : '';
    ratio = `**Inferred ratio:** \`lowmem_reserve_ratio\` for ${esc(p.zone)} = **${num(p.ratio)}**${fromDefault}${range}`;
  }
  return paragraphs(
    conclusion,
    table(['class zone', 'pages', 'MiB', 'meaning', ''], rows, ['l', 'r', 'r', 'l', 'l']),
    ratio,
    p.formulas.length > 0 &&
      `**Formula** (sizes of the higher zones in ${p.sizeBasis} pages ÷ ratio):\n` +
        p.formulas.map((f) => `- ${esc(f, 300)}`).join('\n'),
    p.consistent && p.notes.length > 0 && p.notes.map((n) => `- ${esc(n, 400)}`).join('\n'),
  );
}

function buddyHover(b: BuddyAnalysis): string {
  const { parsed: buddy, failedOrder, largestOrder: largest, freeKbAtOrder: atOrderKb, blocks } = b;
  const rows = buddy.orders.map((o, k) => [
    String(k),
    kib(o.sizeKb),
    num(o.count),
    o.types ? esc(o.types) : '',
    k === failedOrder ? '← failed order' : '',
  ]);
  return paragraphs(
    `**Free lists of ${esc(zoneLabel(buddy))}** (buddy allocator: free blocks by order)`,
    `- largest free block: ${largest === null ? 'none' : `order ${largest} (${kib(buddy.orders[largest].sizeKb)})`}` +
      (failedOrder !== null && atOrderKb !== null
        ? `\n- free memory in blocks of order ≥ ${failedOrder} (the failed order): ${num(atOrderKb)} kB`
        : '') +
      (buddy.totalKb !== null ? `\n- total free: ${num(buddy.totalKb)} kB` : ''),
    blocks && esc(blocks.text, 400),
    table(['order', 'block', 'free blocks', 'types', ''], rows, ['r', 'r', 'r', 'l', 'l']),
    b.typesLegend && `Types: ${b.typesLegend}.`,
  );
}

function counterHover(a: ReportAnalysis, counter: Counter): string {
  const info = counterInfo(counter.name);
  const { pageSizeKb, pageSizeAssumed } = a.memory;
  const value =
    info?.unit === 'pages'
      ? `${num(counter.value)} pages = ${kib(counter.value * pageSizeKb)}${pageSizeAssumed ? ` (${num(pageSizeKb)} KiB pages assumed)` : ''}`
      : `${num(counter.value)}${info?.unit === 'kB' ? ' kB' : ''}`;
  return paragraphs(
    `**${esc(counter.name)}**: ${value}`,
    info ? esc(info.meaning, 400) : 'A Mem-Info counter (in pages).',
  );
}

/** The 6.10+ allocation profile: its first line, or one of its rows (mm/show_mem.c __show_mem). */
function profileHover(profile: AllocationProfile, tag: AllocTagLine | null): string {
  const info = dumpFieldInfo('Memory allocations')!;
  const state = profile.profiling === null ? '' : ` (profiling turned ${profile.profiling})`;
  const calls = tag?.calls === null ? 'an unreadable number of' : num(tag?.calls ?? 0);
  return paragraphs(
    tag
      ? `**${esc(tag.size)}** in ${calls} live allocations at ${esc(tag.file)}:${tag.lineno ?? '?'} — ${esc(tag.function)}${tag.module ? ` \\[${esc(tag.module)}\\]` : ''}`
      : `**Memory allocations**${state} — ${profile.tags.length} call sites listed`,
    `${tag ? `**Memory allocations**${state}: ` : ''}${esc(info.meaning, 400)}. Printed by ${esc(info.printed)}.`,
  );
}

function frameHover(a: ReportAnalysis, frame: StackFrame): string | null {
  const what = allocatorFunction(frame.function);
  const inChain = a.context.frameLines.includes(frame.line);
  if (!what && !inChain) return null;
  return paragraphs(
    `**${esc(frame.function)}**${frame.module ? ` \\[${esc(frame.module)}\\]` : ''}${what ? ` — ${esc(what, 400)}` : ''}`,
    inChain && a.context.chainText && `Part of this report’s call chain: ${esc(a.context.chainText, 400)}`,
    frame.unreliable && 'Marked `?`: the unwinder is not sure this frame is real.',
  );
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
