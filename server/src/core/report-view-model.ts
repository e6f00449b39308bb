// What the "Show Report" view draws, built from the analysis a front end already holds (the
// server's analysis of a document, or what it kept of a file read from disk): never from the text.
// A timeline of every report per host and kind with its repeats and `callbacks suppressed`, and for
// one report its verdict and actions, a gauge per zone, a histogram per buddy line and the replayed
// watermark check as rows. Nothing here works out a kernel fact: each number is the analysis's
// (zone-analysis.ts ZoneAnalysis, watermarks.ts ZoneCheck, buddy lines as parsed), converted from
// pages to kB with the report's page size where a gauge needs one unit.

import type { Report, Suppression } from './model';
import type { BuddyAnalysis, ReportAnalysis, ZoneAnalysis } from './analysis-types';
import type {
  BuddyHistogram,
  ReportDetail,
  ReportTimeline,
  ReportViewModel,
  TimelineLane,
  TimelinePoint,
  WatermarkCheckTable,
  ZoneGauge,
} from '../../../shared/protocol';
import { REPORT_VIEW_MAX_DETAILS, REPORT_VIEW_MAX_POINTS } from '../../../shared/protocol';
import { REPORT_KINDS } from './kinds';
import { CopiedReport, parseLogTime } from './analyze';
import { zoneLabel } from './zones';
import { oneLine } from './safe-text';

/** One explained report, as the server's document and the disk reading hold them. */
export interface ViewEntry {
  report: Report;
  analysis: ReportAnalysis;
}

/** dmesg `[ 1234.567890]` seconds since boot, as framing.ts STAMPS read them. */
const UPTIME = /^\[?\s*\d+(?:\.\d+)?\]?$/;

const pages = (n: number | null, pageSizeKb: number): number | null => (n === null ? null : n * pageSizeKb);

/**
 * Collects the timeline (every report, in file order) and the details of the reports it may be
 * asked for. `keepDetails`: explain each first-of-group report now (a disk reading, whose
 * analyses are dropped after it); without it `detailFor` is given the entry when asked.
 */
export class ReportViewCollector {
  private readonly points: TimelinePoint[] = [];
  private readonly times: { text: string | null; t: number | null }[] = [];
  private readonly laneIndex = new Map<string, number>();
  private readonly lanes: TimelineLane[] = [];
  private readonly details = new Map<number, ReportDetail>();
  /** Group first index → its points (to set their groupCount at the end). */
  private readonly groupSize = new Map<number, number>();
  private count = 0;
  private omitted = 0;

  constructor(private readonly keepDetails: boolean) {}

  add(entry: ViewEntry): void {
    // a flood's copy is read unmade: its place, stamp and group are its own, the rest its content's
    const copied = entry instanceof CopiedReport ? entry : null;
    const { report, analysis } = copied ? copied.first : entry;
    const index = this.count++;
    const line = copied ? copied.line : report.line;
    const time = copied ? copied.time : analysis.time;
    const host = analysis.host;
    const key = `${host ?? ''}\u0000${analysis.kind}`;
    let lane = this.laneIndex.get(key);
    if (lane === undefined) {
      lane = this.lanes.length;
      this.laneIndex.set(key, lane);
      this.lanes.push({
        host,
        kind: analysis.kind,
        label: oneLine(`${host ?? 'no host'} · ${REPORT_KINDS[analysis.kind].label}`),
        reports: 0,
        suppressed: 0,
      });
    }
    const l = this.lanes[lane];
    l.reports++;
    l.suppressed += report.suppressedBefore;
    const group = copied ? copied.duplicateOf : (analysis.repeat.duplicateOf ?? index);
    const occurrence = (this.groupSize.get(group) ?? 0) + 1;
    this.groupSize.set(group, occurrence);
    if (this.keepDetails && group === index && this.details.size < REPORT_VIEW_MAX_DETAILS)
      this.details.set(index, reportDetail({ report, analysis }));
    if (this.points.length >= REPORT_VIEW_MAX_POINTS) {
      this.omitted++;
      return;
    }
    this.times.push({ text: time, t: parseLogTime(time) });
    this.points.push({
      index,
      line,
      endLine: copied ? copied.endLine : report.endLine,
      lane,
      time: time === null ? null : oneLine(time),
      x: line + 1,
      group,
      occurrence,
      groupCount: 0,
      suppressedBefore: report.suppressedBefore,
      verdict: analysis.verdict,
      label: pointLabel(report, analysis, occurrence, line, time),
    });
  }

  /** Reports added so far. */
  get reports(): number {
    return this.count;
  }

  /** The timeline once every report is added: the axis decided, each point's group size set. */
  timeline(): ReportTimeline {
    const axis = timeAxis(this.times);
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i];
      p.groupCount = this.groupSize.get(p.group) ?? 1;
      if (axis !== 'line') p.x = this.times[i].t!;
    }
    return { axis, lanes: this.lanes, points: this.points, omitted: this.omitted };
  }

  /** The detail kept for a report (keepDetails), its group's first report's for a repeat. */
  keptDetail(index: number): ReportDetail | null {
    const own = this.details.get(index);
    if (own) return own;
    const point = this.points.find((p) => p.index === index);
    const first = point ? this.details.get(point.group) : undefined;
    return first ? { ...first, sameAs: { index: first.index, line: first.line } } : null;
  }
}

/**
 * The x axis: the log's own times when every drawn report has one and all are of one kind (dmesg
 * uptime or a wall clock) and in order (a reboot restarts uptime; a syslog without a year wraps
 * at New Year); else the line numbers, which always are.
 */
function timeAxis(times: readonly { text: string | null; t: number | null }[]): ReportTimeline['axis'] {
  if (times.length === 0) return 'line';
  let uptime = 0;
  let last = -Infinity;
  for (const { text, t } of times) {
    if (text === null || t === null || t < last) return 'line';
    last = t;
    if (UPTIME.test(text.trim())) uptime++;
  }
  if (uptime === times.length) return 'uptime';
  return uptime === 0 ? 'clock' : 'line';
}

/** `line` and `time`: the report's own (a copy's, when `report` and `analysis` are its content's). */
function pointLabel(
  report: Report,
  analysis: ReportAnalysis,
  occurrence: number,
  line: number,
  time: string | null,
): string {
  const who = [analysis.host, time].filter((s) => s !== null).join(' ');
  const what = `${REPORT_KINDS[analysis.kind].label}${analysis.comm !== null ? ` by ${analysis.comm}` : ''}${report.order !== null ? `, order ${report.order}` : ''}`;
  const repeat = occurrence > 1 ? ` (repeat ${occurrence})` : '';
  const dropped = report.suppressedBefore > 0 ? `; ${report.suppressedBefore} suppressed before it` : '';
  return oneLine(
    `Line ${line + 1}${who ? `, ${who}` : ''}: ${what}${repeat} — ${analysis.verdictShort}${dropped}`,
  );
}

/** Everything the view shows of one report. */
export function reportDetail({ report, analysis: a }: ViewEntry): ReportDetail {
  const pageSizeKb = a.memory.pageSizeKb;
  const usableLetters = blockTypesUsable(a);
  return {
    index: a.index,
    line: a.line,
    endLine: a.endLine,
    kind: a.kind,
    kindLabel: REPORT_KINDS[a.kind].label,
    headline: a.headline,
    host: a.host,
    time: a.time,
    comm: a.comm,
    sameAs: null,
    verdict: a.verdict,
    verdictShort: a.verdictShort,
    verdictText: a.verdictText,
    summary: a.summary,
    impact: a.impact,
    request: a.request,
    era: a.era.reason,
    pageSizeKb,
    order: report.order,
    repeat: {
      count: a.repeat.count,
      suppressed: a.repeat.suppressed,
      firstTime: a.repeat.firstTime,
      lastTime: a.repeat.lastTime,
      spanSeconds: a.repeat.spanSeconds,
      lines: a.repeat.lines.slice(0, 100),
    },
    actions: a.remedies.map((r) => ({
      title: r.title,
      recommended: r.recommended,
      sysctl: r.sysctl ? `${r.sysctl.key} = ${r.sysctl.value}` : null,
      assessment: r.assessment,
    })),
    zones: a.zones.map((z) => zoneGauge(z, pageSizeKb)),
    buddy: a.buddy.map((b) => buddyHistogram(b, usableLetters)),
    check: checkTable(a),
  };
}

function zoneGauge(z: ZoneAnalysis, pageSizeKb: number): ZoneGauge {
  const c = z.check;
  return {
    label: zoneLabel(z),
    line: z.line,
    freeKb: z.freeKb,
    minKb: z.minKb,
    lowKb: z.lowKb,
    highKb: z.highKb,
    boostKb: z.boostKb,
    managedKb: z.managedKb,
    presentKb: z.presentKb,
    state: z.state,
    stateText: z.stateText,
    gaugeText: z.gaugeText,
    result: c?.result ?? null,
    skippedBecause: c && !c.usable ? c.unusableReason : null,
    markKb: c ? pages(c.adjustedMinPages, pageSizeKb) : null,
    reserveKb: c ? pages(c.reservePages, pageSizeKb) : null,
    notCountedKb: c ? pages(c.unusablePages, pageSizeKb) : null,
    notCountedText: c?.unusableText ?? '',
    freeCmaKb: z.freeCmaKb,
    reservedHighatomicKb: z.reservedHighatomicKb,
  };
}

/** Which migrate types' free lists the failed request may take a block from, by letter: the
 * replay's own answer (ReplayAnalysis.blockTypes, 4.4+ free-block check); null where its era counts
 * pages per order whatever their type, or no order was printed. */
function blockTypesUsable(a: ReportAnalysis): ((letter: string) => boolean) | null {
  const types = a.replay.blockTypes;
  if (types === null || a.order === null) return null;
  return (letter) => types.includes(letter);
}

function buddyHistogram(b: BuddyAnalysis, usable: ((letter: string) => boolean) | null): BuddyHistogram {
  return {
    label: zoneLabel(b.parsed),
    line: b.parsed.line,
    requestedOrder: b.failedOrder,
    orders: b.parsed.orders.map((o, order) => ({
      order,
      sizeKb: o.sizeKb,
      count: o.count,
      freeKb: o.count * o.sizeKb,
      types: [...(o.types ?? '')].map((letter) => ({ letter, usable: usable ? usable(letter) : null })),
    })),
    largestOrder: b.largestOrder,
    freeKbAtOrder: b.freeKbAtOrder,
    blockCheck: b.blocks ? { available: b.blocks.available, text: b.blocks.text } : null,
    legend: b.typesLegend,
  };
}

function checkTable(a: ReportAnalysis): WatermarkCheckTable {
  const r = a.replay;
  return {
    mark: r.mark,
    era: r.era,
    classzone: r.classzone,
    allocFlags: r.allocFlagsText,
    algorithm: r.algorithmText,
    rows: r.zones.map((c) => ({
      zone: zoneLabel(c),
      line: c.line,
      usable: c.usable,
      freePages: c.freePages,
      notCountedPages: c.unusablePages,
      markPages: c.adjustedMinPages,
      markText: c.usable ? c.adjustmentText : (c.unusableReason ?? ''),
      reservePages: c.reservePages,
      pass: c.pass,
      blocks: c.orderBlocks?.text ?? null,
      result: c.result,
      explanation: c.explanation,
    })),
    missing: r.missing,
    assumptions: r.assumptions,
  };
}

/** The report a request means: its index, else the one whose span holds `line`, else the first
 * after it, else the last; null when there is none. */
export function selectReport(
  points: readonly Pick<TimelinePoint, 'index' | 'line' | 'endLine'>[],
  want: { index?: number; line?: number },
  total: number,
): number | null {
  if (total === 0) return null;
  const { index, line } = want;
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < total) return index;
  if (typeof line === 'number' && Number.isFinite(line)) {
    for (const p of points) {
      if (line >= p.line && line <= p.endLine) return p.index;
      if (p.line > line) return p.index;
    }
    return points.length > 0 ? points[points.length - 1].index : 0;
  }
  return 0;
}

/**
 * The whole model for a document whose every report's analysis is at hand. `holding`: the report
 * that read the wanted line, when the caller knows (a line read after its report's span ended,
 * features/document.ts reportAt).
 */
export function reportViewModel(
  uri: string,
  entries: readonly ViewEntry[],
  suppressions: readonly Pick<Suppression, 'count'>[],
  want: { index?: number; line?: number },
  holding?: number,
): ReportViewModel {
  const collector = new ReportViewCollector(false);
  for (const e of entries) collector.add(e);
  const timeline = collector.timeline();
  const selected =
    holding !== undefined && typeof want.index !== 'number'
      ? holding
      : selectReport(timeline.points, want, entries.length);
  return {
    uri,
    source: 'document',
    reports: entries.length,
    suppressed: totalSuppressed(suppressions),
    timeline,
    selected,
    detail: selected === null ? null : reportDetail(entries[selected]),
  };
}

/** The model of a file read from disk, from what its reading kept (keepDetails collector). */
export function diskReportViewModel(
  uri: string,
  collector: ReportViewCollector,
  timeline: ReportTimeline,
  suppressions: readonly Pick<Suppression, 'count'>[],
  want: { index?: number; line?: number },
): ReportViewModel {
  const selected = selectReport(timeline.points, want, collector.reports);
  return {
    uri,
    source: 'disk',
    reports: collector.reports,
    suppressed: totalSuppressed(suppressions),
    timeline,
    selected,
    detail: selected === null ? null : collector.keptDetail(selected),
  };
}

function totalSuppressed(suppressions: readonly Pick<Suppression, 'count'>[]): number {
  let n = 0;
  for (const s of suppressions) n += s.count;
  return n;
}
