// Fills a report from the lines the scanner (parse.ts) assigns to it, in order: the header's
// fields, the task line, the call trace, the Mem-Info dump. Which line belongs to which report is
// LogScanner's decision; this file only copies the numbers out, so the same calls can be replayed
// later, on another thread (report-record.ts), with the same result.

import type {
  BuddyLine,
  GfpInfo,
  HeaderCut,
  OomKill,
  OomTask,
  OomTaskTable,
  Report,
  ReportKind,
  StackFrame,
  TextRange,
  ZoneLine,
} from './model';
import { endPositionAt, positionAt, type AssembledLine } from './lines';
import {
  COMM_PIECE,
  FRAME_AFTER_HEADER,
  KNOWN_FIELDS,
  LINE_FORMATS,
  OLD_FRAME_RE,
  OOM_SUMMARY_FIELDS,
  TASK_COMM_MAX,
  TASK_TABLE_COLUMNS,
  TASK_TABLE_LAYOUTS,
  nextField,
  nextFrame,
  printedHeader,
  type ClassifiedLine,
  type HeaderShape,
  type LineKind,
  type PrintedHeader,
} from './formats';
import { parseGfpRaw } from './gfp';
import { labelName, REPORT_KINDS } from './kinds';
import { vmallocMessageOf, vmallocStepOf } from './vmalloc';
import {
  COUNT,
  MAX_NR_ZONES,
  MAX_PAGE_KB,
  MAX_PAGE_ORDER_BOUND,
  MIN_PAGE_KB,
  NODE_ID,
  OOM_ORDER,
  OOM_SCORE_ADJ,
  PAGE_ORDER,
  SIGNED_COUNT,
  SLUB_NODE,
  readInt,
  readableNodeList,
  safeSum,
  type PrintedRange,
} from './numbers';

/** A task row's values where none can be read. */
const EMPTY_TASK: Omit<OomTask, 'line' | 'pid' | 'name'> = {
  uid: null,
  tgid: null,
  totalVmPages: null,
  rssPages: null,
  rssAnonPages: null,
  rssFilePages: null,
  rssShmemPages: null,
  nrPtes: null,
  nrPmds: null,
  pgtablesBytes: null,
  swapents: null,
  cpu: null,
  oomAdj: null,
  oomScoreAdj: null,
};

/** Rows of the allocation profile __show_mem prints at most (mm/show_mem.c, 6.10+: tags[10]). */
const ALLOC_PROFILE_ROWS = 10;

/** What the builder reads of a logical line. */
export type ReportLine = Pick<
  AssembledLine,
  'text' | 'line' | 'startChar' | 'endLine' | 'endChar' | 'time' | 'host' | 'segments'
>;

/**
 * What a report is told about its lines, in the order the scanner reads them. ReportBuilder fills
 * a Report at once; ReportRecorder (report-record.ts) writes the same calls down to be replayed
 * into a ReportBuilder elsewhere.
 */
export interface ReportWriter<T> {
  /** The header's line: completed reports are handed out in this order. */
  readonly line: number;
  /** The header line's fields (page allocation failure, OOM, vmalloc, stall, SLUB headers). */
  header(line: ReportLine, found: ClassifiedLine): void;
  /** The line that is only the header's comm (formats.ts COMM_PIECE), read before the header. */
  commPiece(line: ReportLine): void;
  /** A line the kernel printed just before the header about the same failure (alloc_vmap_area's
   * `vmap allocation for size … failed`), read by its row. */
  before(line: ReportLine, found: ClassifiedLine): void;
  /** A show_mem report begins at `line` (its `Mem-Info:` or the SysRq line before it). */
  memInfo(line: ReportLine): void;
  body(kind: LineKind | null, line: ReportLine, found: ClassifiedLine | null): void;
  slubLine(line: ReportLine, found: ClassifiedLine): void;
  /** The input ended with this report open. */
  closedAtEnd(): void;
  /** A later report begins on `line`: this report's span (line … endLine) ends before it, even if
   * lines after it are still read into this report (reports never share a line). */
  endBefore(line: number): void;
  finish(): T;
}

/** What the rate-limit lines right before a report said: how many reports they dropped, and the
 * function the last one names (`warn_alloc: 5 callbacks suppressed`). */
export interface Suppressed {
  count: number;
  by: string | null;
}

export type WriterFactory<T> = (
  kind: ReportKind,
  line: ReportLine,
  suppressed: Suppressed,
) => ReportWriter<T>;

/** A cut task-table header's columns, completed: its whole words (the last, cut, dropped) are the
 * first columns of exactly one TASK_TABLE_LAYOUTS row (`?` there stands for any name), whose rest
 * follows; null when none or several fit (the rows' number of values then picks the layout).
 * mm/oom_kill.c dump_tasks prints the header and the rows with one column order, so a row cut at
 * the same width holds the values of the header's whole words (6.8.0 journalctl ellipsized at
 * `pgtables_bytes sw...`: fixture extra/152). */
function cutHeaderColumns(printed: readonly string[]): readonly string[] | null {
  const whole = printed.slice(0, -1);
  if (whole.length === 0) return null;
  const fits = Object.values(TASK_TABLE_LAYOUTS).filter(
    (l) => l.length > whole.length && whole.every((c, i) => l[i] === c || l[i] === '?'),
  );
  return fits.length === 1 ? [...whole, ...fits[0].slice(whole.length)] : null;
}

function emptyReport(kind: ReportKind, line: ReportLine): Report {
  return {
    kind,
    line: line.line,
    endLine: line.endLine,
    headerRange: rangeOf(line, 0, line.text.length),
    time: line.time,
    host: line.host,
    comm: null,
    pid: null,
    cpu: null,
    kernel: null,
    tainted: null,
    hardware: null,
    order: null,
    orderRange: null,
    gfp: null,
    gfpRange: null,
    nodemask: null,
    cpuset: null,
    memsAllowed: null,
    oomScoreAdj: null,
    vmallocBytes: null,
    vmallocAllocatedBytes: null,
    vmallocStep: null,
    vmallocMessage: null,
    vmapFailed: null,
    stallMs: null,
    slub: null,
    callTrace: [],
    memInfoLine: null,
    showMemTrigger: null,
    counters: [],
    nodes: [],
    zones: [],
    buddy: [],
    perCpu: [],
    hugepages: [],
    freeSwapKb: null,
    totalSwapKb: null,
    ramPages: null,
    cmaReservedPages: null,
    highmemPages: null,
    reservedPages: null,
    totalPagecachePages: null,
    pageSizeKb: null,
    killed: null,
    killedTail: null,
    oomGroup: null,
    oomChosen: null,
    taskTable: null,
    memcgStats: [],
    swapCachePages: null,
    swapCacheStats: null,
    allocationProfile: null,
    oomConstraint: null,
    memcgCounters: [],
    oomEnd: null,
    headerCut: null,
    headerStyle: null,
    suppressedBefore: 0,
    suppressedBy: null,
    nodemaskPrinted: false,
    cpusetInHeader: false,
    truncated: false,
    unreadable: [],
  };
}

function rangeOf(line: ReportLine, from: number, to: number): TextRange {
  const start = positionAt(line, from);
  const end = endPositionAt(line, Math.max(from, to));
  return { startLine: start.line, startChar: start.char, endLine: end.line, endChar: end.char };
}

/** Range of a named group's text inside the match (found by searching from the match start). */
function groupRange(
  line: ReportLine,
  match: RegExpExecArray,
  group: string,
  label: string,
): TextRange | null {
  const value = match.groups?.[group];
  if (!value) return null;
  // The label whose own value follows it (blanks between): an earlier `mode:`/`order:` on the line
  // (a word of something else, a reflowed record) is not this field's.
  const text = line.text;
  let at = text.indexOf(label, match.index);
  let valueAt = -1;
  for (; at >= 0; at = text.indexOf(label, at + 1)) {
    let v = at + label.length;
    while (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9) v++;
    if (text.startsWith(value, v)) {
      valueAt = v;
      break;
    }
  }
  if (at < 0) return null;
  return rangeOf(line, at, valueAt + value.length + (group === 'mode' ? namesLength(match) : 0));
}

function namesLength(match: RegExpExecArray): number {
  const { names, namesCut } = match.groups ?? {};
  return names !== undefined ? names.length + 2 : namesCut !== undefined ? namesCut.length + 1 : 0;
}

/** The mask as printed, with the names printed after it or, where the line was cut inside them,
 * what is left of them (GfpInfo.namesCut). */
function gfpInfo(g: Record<string, string | undefined>, mode: string): GfpInfo {
  const gfp: GfpInfo = { raw: mode, printed: g.names === undefined ? null : g.names };
  if (g.namesCut !== undefined) gfp.namesCut = g.namesCut;
  return gfp;
}

/** `<IRQ>`, `</IRQ>`, `<EOI>`, `<NMI>`, `<TASK>`, `<SOFTIRQ>` inside a frame line. */
const CONTEXT_MARKER = /<\/?(?:IRQ|EOI|NMI|TASK|SOFTIRQ)>/;
const CONTEXT_MARKERS = /<(\/?)(IRQ|EOI|NMI|TASK|SOFTIRQ)>/g;
/** The `where` half of a 32-bit ARM backtrace line (arch/arm/kernel/traps.c dump_backtrace_entry):
 * `[<c0109829>] (unwind_backtrace+0x0/0xf4) from [<` or `(unwind_backtrace) from [<`; a module
 * function prints `(fn+0x…/0x… [mod])`. */
const ARM_WHERE =
  /\[<[0-9a-fA-F]+>\]\s*\(([A-Za-z_.$][\w.$]*)(?:\+(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+))?(?:\s+\[([\w-]+)\])?\)\s*from\s+\[</;
/** The SysRq line a show_mem report may begin on (formats.ts show_mem_trigger). */
const SHOW_MEM_TRIGGER = /Show Memory/;
const NO_MARKERS: readonly { at: number; context: StackFrame['context'] }[] = [];

/** Document line of an offset in a logical line (positionAt without the object). */
function lineAt(line: ReportLine, offset: number): number {
  return line.segments.length === 0 ? line.line : positionAt(line, offset).line;
}

/** ppc64 prints `(unreliable)` right after a frame the unwinder doubts (within 16 characters). */
function markedUnreliable(text: string, from: number): boolean {
  const last = Math.min(from + 4, text.length - 12);
  for (let k = from; k <= last; k++)
    if (text.charCodeAt(k) === 40 && text.startsWith('(unreliable)', k)) return true;
  return false;
}

/** Field names a terminal cut can damage by one lost character (`mana$`|`ed:` = managed). */
function repairFieldName(name: string): string {
  if (KNOWN_FIELDS.has(name)) return name;
  for (const known of KNOWN_FIELDS) {
    if (known.length !== name.length + 1) continue;
    for (let i = 0; i < known.length; i++) if (known.slice(0, i) + known.slice(i + 1) === name) return known;
  }
  return name;
}

/** A value as the finding quotes it: at most 48 characters of the printed text. */
function quote(text: string): string {
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** The block sizes of a buddy line make sense: a page size of 4 … 256 kB (a power of two) and
 * each next order twice the block before it (show_free_areas prints `K(1UL << order)` per order). */
function buddySizesReadable(orders: BuddyLine['orders']): boolean {
  if (orders.length > MAX_PAGE_ORDER_BOUND + 1) return false;
  const page = orders.length > 0 ? orders[0].sizeKb : MIN_PAGE_KB;
  return orders.every((o, k) => buddySizeFits(page, o.sizeKb, k));
}

function buddySizeFits(pageKb: number, sizeKb: number, order: number): boolean {
  const page = pageKb >= MIN_PAGE_KB && pageKb <= MAX_PAGE_KB && (pageKb & (pageKb - 1)) === 0;
  return page && order <= MAX_PAGE_ORDER_BOUND && sizeKb === pageKb * 2 ** order;
}

/** Fills one Report as its lines arrive. */
export class ReportBuilder implements ReportWriter<Report> {
  readonly report: Report;
  /** Interrupt context of the frames being read (`<IRQ>` … `<EOI>`). */
  private context: StackFrame['context'] = 'task';
  /** The last frame read as an ARM `where` (readArmFrame): a `from` copy of it is never pushed. */
  private armWhere: StackFrame | null = null;
  /** The zone a `lowmem_reserve[]` line belongs to. */
  private lastZone: ZoneLine | null = null;
  /** Last line of the report's span (see endBefore). */
  private lastLine = Infinity;
  /** What the header (and its pieces) printed, for `headerCut`; null before a header with a shape. */
  private printed: PrintedHeader | null = null;
  private shape: HeaderShape | undefined;
  /** The header's text before its message when longer than a comm can be (TASK_COMM_MAX), else null. */
  private overlongComm: string | null = null;

  constructor(kind: ReportKind, line: ReportLine, suppressed: Suppressed) {
    this.report = emptyReport(kind, line);
    this.report.suppressedBefore = suppressed.count;
    this.report.suppressedBy = suppressed.by;
  }

  /** A printed integer within what the kernel prints there (numbers.ts); null when absent, and
   * null with an entry in `unreadable` when beyond it. `label` is the text printed before it. */
  private int(
    printed: string | undefined,
    range: PrintedRange,
    line: ReportLine,
    label: string,
    offset = 0,
  ): number | null {
    if (printed === undefined || printed === '') return null;
    const n = readInt(printed, range);
    if (n === null) this.unreadable(line, offset, `${label}${printed}`, range.text);
    return n;
  }

  private unreadable(line: ReportLine, offset: number, text: string, expected: string): void {
    this.report.unreadable.push({ line: lineAt(line, offset), text: quote(text), expected });
  }

  /** A whole hex mask wider than gfp_t (32 bits, printed `%#x`): kept as printed for the headline,
   * but unreadable (a poster's `0x62****` is not a number at all and stays as it is). */
  private checkMask(raw: string, line: ReportLine, label: string): void {
    if (/^0[xX][0-9a-fA-F]+$/.test(raw) && parseGfpRaw(raw) === null)
      this.unreadable(line, 0, `${label}${raw}`, 'a gfp_t mask of 32 bits');
  }

  /** A node list (`nodemask=`, `mems_allowed=`) naming only real node ids; null otherwise. */
  private nodeList(list: string, line: ReportLine, label: string): string | null {
    if (readableNodeList(list)) return list;
    this.unreadable(line, 0, `${label}${list}`, 'node ids below MAX_NUMNODES (1024)');
    return null;
  }

  /** `name:value` fields of a zone or node line (kB and page counts), from `from` on. */
  private readFields(line: ReportLine, from: number): Record<string, number> {
    const text = line.text;
    const fields: Record<string, number> = {};
    let m: RegExpExecArray | null;
    for (let at = from; (m = nextField(text, at)); at = m.index + m[0].length) {
      const printed = m[1];
      // `all_unreclaimable?` and the like: the name without its question mark
      const name = repairFieldName(
        printed.charCodeAt(printed.length - 1) === 63 ? printed.slice(0, -1) : printed,
      );
      if (fields[name] !== undefined) continue;
      const value = readInt(m[2], COUNT);
      if (value === null) this.unreadable(line, m.index, m[0], COUNT.text);
      else fields[name] = value;
    }
    return fields;
  }

  get line(): number {
    return this.report.line;
  }

  /** The header line, read by its row (LINE_FORMATS): readHeader, or readSlubHeader. */
  header(line: ReportLine, found: ClassifiedLine): void {
    LINE_FORMATS[found.format].read?.(this, line, found.match);
  }

  before(line: ReportLine, found: ClassifiedLine): void {
    LINE_FORMATS[found.format].read?.(this, line, found.match);
  }

  /** alloc_vmap_area's line before a vmalloc report (formats.ts `vmap_failed`). */
  readVmapFailed(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const bytes = g.bytes ?? g.bytes2;
    this.report.vmapFailed = {
      line: line.line,
      bytes: bytes === undefined ? null : this.int(bytes, COUNT, line, 'size '),
      range: g.range ?? null,
    };
  }

  /** `<comm>: ` on a line of its own (formats.ts COMM_PIECE): the comm of the header read next,
   * which printed none. */
  commPiece(line: ReportLine): void {
    const comm = COMM_PIECE.exec(line.text)?.groups?.comm;
    if (comm !== undefined) this.report.comm = comm;
  }

  memInfo(line: ReportLine): void {
    this.report.memInfoLine = line.line;
    if (SHOW_MEM_TRIGGER.test(line.text)) this.report.showMemTrigger = line.line;
  }

  closedAtEnd(): void {
    const r = this.report;
    // The text stops after the report began (a task line, frames, the dump) but before anything
    // the kernel prints at its end (swap totals, `pages RAM`, the kill line).
    const began = r.pid !== null || r.callTrace.length > 0 || r.counters.length > 0 || r.zones.length > 0;
    const ended = r.ramPages !== null || r.totalSwapKb !== null || r.killed !== null;
    r.truncated = began && !ended;
  }

  endBefore(line: number): void {
    this.lastLine = Math.min(this.lastLine, Math.max(this.report.line, line - 1));
  }

  finish(): Report {
    if (this.report.endLine > this.lastLine) this.report.endLine = this.lastLine;
    return this.report;
  }

  /** A page allocation failure, stall, vmalloc or OOM header's fields; `shape` (the row's
   * HeaderShape) says which fields it must print, so that a cut header says what it lacks. */
  readHeader(line: ReportLine, match: RegExpExecArray, shape?: HeaderShape): void {
    const g = match.groups ?? {};
    const r = this.report;
    const comm = g.comm?.trim();
    if (comm) {
      r.comm = comm;
      this.overlongComm = comm.length > TASK_COMM_MAX ? comm : null;
    }
    if (REPORT_KINDS[r.kind].headerStyle)
      r.headerStyle = /failure\.\s*order/.test(line.text)
        ? 'period'
        : /failure:\s*order/.test(line.text)
          ? 'colon'
          : null;
    this.shape = shape;
    this.printed = shape === undefined ? null : printedHeader(match, line.text, shape, null);
    this.readHeaderFields(line, match);
    if (r.time === null) r.time = line.time;
    if (r.host === null) r.host = line.host;
  }

  /** A pr_cont piece of the header on a later line (formats.ts HeaderPiece): fills only the fields
   * the header did not print. */
  readHeaderPiece(line: ReportLine, match: RegExpExecArray): void {
    if (this.printed === null) return;
    this.printed = printedHeader(match, line.text, this.shape, this.printed);
    this.readHeaderFields(line, match);
  }

  private readHeaderFields(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const r = this.report;
    // (5.13's vmalloc message names it `order2`: a group name is used once per pattern)
    const orderGroup = g.order !== undefined ? 'order' : g.order2 !== undefined ? 'order2' : null;
    if (orderGroup !== null && r.order === null && r.orderRange === null) {
      const label = REPORT_KINDS[r.kind].orderLabel;
      r.order = this.int(g[orderGroup], label === 'order=' ? OOM_ORDER : PAGE_ORDER, line, label);
      r.orderRange = groupRange(line, match, orderGroup, label);
    }
    // a mask the cut may have shortened (HeaderShape.maskNeverLast) is not read
    if (g.mode && r.gfp === null && (this.printed === null || this.printed.mode)) {
      const label = REPORT_KINDS[r.kind].maskLabel;
      r.gfp = gfpInfo(g, g.mode);
      r.gfpRange = groupRange(line, match, 'mode', label);
      this.checkMask(g.mode, line, label);
    }
    if (g.nodemask !== undefined) {
      r.nodemaskPrinted = true;
      if (r.nodemask === null) r.nodemask = g.nodemask ? this.nodeList(g.nodemask, line, 'nodemask=') : null;
    }
    if (g.cpuset !== undefined) {
      r.cpuset ??= g.cpuset;
      r.cpusetInHeader = true;
    }
    if (g.mems !== undefined && r.memsAllowed === null)
      r.memsAllowed = this.nodeList(g.mems, line, 'mems_allowed=');
    if (g.adj !== undefined && r.oomScoreAdj === null)
      r.oomScoreAdj = this.int(g.adj, OOM_SCORE_ADJ, line, 'oom_score_adj=');
    if (g.ms !== undefined) r.stallMs = this.int(g.ms, COUNT, line, 'stalls for ');
    if (r.kind === 'vmalloc_failure') this.readVmallocSize(line, g);
    r.endLine = Math.max(r.endLine, line.endLine);
    if (this.printed !== null && this.shape !== undefined) r.headerCut = this.headerCut(line, match);
  }

  /** What a vmalloc message's numbers are (vmalloc.ts vmallocStepOf): the `size` 5.13+ prints
   * for the page and map steps is what was allocated (area->nr_pages * PAGE_SIZE), not what was asked. */
  private readVmallocSize(line: ReportLine, g: Record<string, string | undefined>): void {
    const r = this.report;
    const step = vmallocStepOf(line.text);
    if (step !== null && r.vmallocStep === null) r.vmallocStep = step;
    if (r.vmallocMessage === null) r.vmallocMessage = vmallocMessageOf(line.text);
    const size = g.size ?? g.size2;
    const requested = g.bytes ?? g.bytes2 ?? (step === 'pages' || step === 'map' ? undefined : size);
    const allocated = g.allocated ?? (step === 'pages' || step === 'map' ? size : undefined);
    if (requested !== undefined) r.vmallocBytes = this.int(requested, COUNT, line, 'size ');
    if (allocated !== undefined)
      r.vmallocAllocatedBytes = this.int(
        allocated,
        COUNT,
        line,
        g.allocated !== undefined ? 'allocated ' : 'size ',
      );
  }

  /** The fields the header still lacks (HeaderShape.required, a `nodemask=` without its value),
   * and where its text ends; null when it printed them all. */
  private headerCut(line: ReportLine, match: RegExpExecArray): HeaderCut | null {
    const printed = this.printed!;
    const kind = REPORT_KINDS[this.report.kind];
    const missing: string[] = [];
    for (const field of this.shape!.required)
      if (!printed[field]) missing.push(labelName(field === 'order' ? kind.orderLabel : kind.maskLabel));
    if (printed.nodemaskOpen) missing.push('nodemask');
    const namesCut = this.report.gfp?.namesCut !== undefined;
    if (missing.length === 0 && !namesCut) return null;
    // another CPU's frame glued after the header's fields (formats.ts CUT) is not where it was cut
    const end = match.index + match[0].length;
    const text = (FRAME_AFTER_HEADER.test(line.text.slice(end)) ? line.text.slice(0, end) : line.text).trim();
    const cut: HeaderCut = {
      line: line.endLine,
      after: text.length > 40 ? `…${text.slice(-39)}` : text,
      missing,
    };
    if (namesCut) cut.namesCut = labelName(kind.maskLabel);
    return cut;
  }

  /** `SLUB: Unable to allocate memory on node %d, gfp=%#x(%pGg)`. */
  readSlubHeader(line: ReportLine, match: RegExpExecArray): void {
    const report = this.report;
    const g = match.groups ?? {};
    report.gfp = gfpInfo(g, g.mode);
    report.gfpRange = groupRange(line, match, 'mode', 'gfp=');
    this.checkMask(g.mode, line, 'gfp=');
    // 6.12+ names the CPU the allocation ran on (`on CPU %u (of node %d) on node %d`)
    if (g.cpu !== undefined) report.cpu ??= this.int(g.cpu, COUNT, line, 'on CPU ');
    report.slub = {
      node: this.int(g.node, SLUB_NODE, line, 'on node '),
      cache: null,
      objectSize: null,
      bufferSize: null,
      defaultOrder: null,
      minOrder: null,
    };
  }

  /** A `cache:` or `node N: slabs:` line of a SLUB report (read by its row, see LINE_FORMATS). */
  slubLine(line: ReportLine, found: ClassifiedLine): void {
    LINE_FORMATS[found.format].read?.(this, line, found.match);
    this.report.endLine = Math.max(this.report.endLine, line.endLine);
  }

  /** A line the scanner assigned to this report's body (LogScanner decides which belong), read by
   * its row's reader (LINE_FORMATS). A line of no format, and a header or SLUB line that a report
   * takes as a call-trace line (LogScanner.belongs), is read for frames. */
  body(_kind: LineKind | null, line: ReportLine, found: ClassifiedLine | null): void {
    this.report.endLine = Math.max(this.report.endLine, line.endLine);
    const format = found === null ? null : LINE_FORMATS[found.format];
    if (
      format === null ||
      format.section === 'header' ||
      format.section === 'piece' ||
      format.section === 'slub'
    )
      this.readFrames(line);
    else format.read?.(this, line, found!.match);
  }

  /** `cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u` (the first). */
  readSlubCache(line: ReportLine, match: RegExpExecArray): void {
    const slub = this.report.slub!;
    if (slub.cache !== null) return;
    const g = match.groups ?? {};
    slub.cache = g.cache;
    slub.objectSize = this.int(g.obj, COUNT, line, 'object size: ');
    slub.bufferSize = this.int(g.buf, COUNT, line, 'buffer size: ');
    slub.defaultOrder = this.int(g.def, PAGE_ORDER, line, 'default order: ');
    slub.minOrder = this.int(g.min, PAGE_ORDER, line, 'min order: ');
  }

  readTask(line: ReportLine, match: RegExpExecArray): void {
    const r = this.report;
    const g = match.groups ?? {};
    r.pid = this.int(g.pid ?? g.pid2, COUNT, line, 'PID: ');
    r.cpu = this.int(g.cpu, COUNT, line, 'CPU: ');
    const comm = (g.comm ?? g.comm2)?.trim() || null;
    r.comm ??= comm;
    // The task line names the task that printed the header (dump_stack): where the header's text
    // was longer than a comm, the comm is the tail of it that the task line prints.
    if (
      this.overlongComm !== null &&
      comm !== null &&
      comm.length <= TASK_COMM_MAX &&
      this.overlongComm.endsWith(comm)
    )
      r.comm = comm;
    r.tainted = g.taint ? trimTaint(g.taint.replace(/\s+/g, ' ')) : null;
    r.kernel = g.release ?? null;
  }

  readHardware(match: RegExpExecArray): void {
    this.report.hardware = match.groups!.hw.replace(/\s+/g, ' ').trim();
  }

  readProcess(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    this.report.pid ??= this.int(g.pid, COUNT, line, 'pid: ');
    this.report.comm ??= g.comm;
  }

  readCpuset(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    this.report.cpuset ??= g.cpuset;
    this.report.memsAllowed ??= this.nodeList(g.mems, line, 'mems_allowed=');
  }

  readOomSummary(line: ReportLine): void {
    const r = this.report;
    const text = line.text;
    const field = (re: RegExp): string | null => re.exec(text)?.[1] ?? null;
    r.oomConstraint = {
      line: line.line,
      constraint: field(OOM_SUMMARY_FIELDS.constraint),
      memcg: field(OOM_SUMMARY_FIELDS.memcg),
      taskMemcg: field(OOM_SUMMARY_FIELDS.taskMemcg),
      global: OOM_SUMMARY_FIELDS.global.test(text),
    };
    // 5.0+ prints the task's cpuset and allowed nodes only here, and the allocation's nodemask
    // (a CONSTRAINT_MEMORY_POLICY OOM's allowed nodes) only here and in the 4.9–4.20 header
    r.cpuset ??= field(OOM_SUMMARY_FIELDS.cpuset);
    if (r.nodemask === null) {
      const mask = field(OOM_SUMMARY_FIELDS.nodemask);
      if (mask !== null && mask !== '(null)') r.nodemask = this.nodeList(mask, line, 'nodemask=');
    }
    if (r.memsAllowed === null) {
      const mems = field(OOM_SUMMARY_FIELDS.memsAllowed);
      r.memsAllowed = mems === null ? null : this.nodeList(mems, line, 'mems_allowed=');
    }
  }

  /** `memory: usage %llukB, limit %llukB, failcnt %lu` and its siblings (formats.ts oom_memcg_counter). */
  readMemcgCounter(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    this.report.memcgCounters.push({
      line: line.line,
      name: g.name,
      usageKb: this.int(g.usage, COUNT, line, 'usage '),
      limitKb: this.int(g.limit, COUNT, line, 'limit '),
      failcnt: this.int(g.failcnt, COUNT, line, 'failcnt '),
    });
  }

  /** `Out of memory and no killable processes...` and the OOM killer's panics (formats.ts oom_end). */
  readOomEnd(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const end = (this.report.oomEnd ??= {
      line: line.line,
      noKillable: false,
      panicOnOom: null,
      panic: null,
    });
    end.line = line.line;
    if (g.panic !== undefined) end.panic = g.panic.trim();
    if (g.nokill !== undefined || g.nokillP !== undefined) end.noKillable = true;
    if (g.onoom !== undefined) end.panicOnOom = /compulsory/i.test(g.onoom) ? 2 : 1;
  }

  readSlabInfo(line: ReportLine, match: RegExpExecArray): void {
    // 4.19+ dump_tasks: `Tasks state (memory values in pages):` before the table's header
    if (line.text.indexOf('Tasks state (') >= 0) this.taskTable().stateLine ??= line.line;
    // ≤4.x memcg OOM: `Task in /a killed as a result of limit of /b`.
    const g = match.groups ?? {};
    if (g.memcg !== undefined)
      this.report.oomConstraint ??= {
        line: line.line,
        constraint: null,
        memcg: g.memcg,
        taskMemcg: g.taskMemcg,
        global: false,
      };
  }

  readContextMarker(line: ReportLine): void {
    const tag = line.text.trim();
    this.context = tag === '<IRQ>' ? 'irq' : tag === '<NMI>' ? 'nmi' : 'task';
  }

  readMemInfo(line: ReportLine): void {
    this.report.memInfoLine ??= line.line;
  }

  readPerCpu(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const cpu = this.int(g.cpu ?? g.cpu2, COUNT, line, 'CPU ');
    if (cpu === null) return;
    this.report.perCpu.push({
      line: line.line,
      node: null,
      zone: null,
      cpu,
      high: this.int(g.high ?? g.high2, COUNT, line, 'hi: '),
      batch: this.int(g.batch ?? g.batch2, COUNT, line, 'btch: '),
      used: this.int(g.used ?? g.used2, COUNT, line, 'usd: '),
    });
  }

  readNode(line: ReportLine, match: RegExpExecArray): void {
    const node = this.int(match.groups!.node, NODE_ID, line, 'Node ');
    if (node === null) return;
    const fields = this.readFields(line, 0);
    delete fields.Node;
    this.report.nodes.push({
      node,
      line: line.line,
      range: rangeOf(line, 0, line.text.length),
      fields,
      allUnreclaimable: unreclaimable(line.text),
    });
  }

  readZone(line: ReportLine, match: RegExpExecArray): void {
    this.lastZone = this.zoneLine(line, match);
    if (this.lastZone) this.report.zones.push(this.lastZone);
  }

  readLowmemReserve(line: ReportLine): void {
    const zone = this.lastZone;
    if (!zone || zone.lowmemReserve) return;
    zone.lowmemReserve = this.reserveColumns(line);
    zone.lowmemReserveRange = rangeOf(line, 0, line.text.length);
  }

  readBuddy(line: ReportLine, match: RegExpExecArray): void {
    const r = this.report;
    const buddy = this.buddyLine(line, match);
    if (buddy === null) return;
    r.buddy.push(buddy);
    if (r.pageSizeKb === null && buddy.orders.length > 0) r.pageSizeKb = buddy.orders[0].sizeKb;
  }

  readHugepages(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const node = this.int(g.node, NODE_ID, line, 'Node ');
    const total = this.int(g.total, COUNT, line, 'hugepages_total=');
    const free = this.int(g.free, COUNT, line, 'hugepages_free=');
    const surplus = this.int(g.surp, COUNT, line, 'hugepages_surp=');
    const sizeKb = this.int(g.size, COUNT, line, 'hugepages_size=');
    if (node === null || total === null || free === null || surplus === null || sizeKb === null) return;
    this.report.hugepages.push({ line: line.line, node, total, free, surplus, sizeKb });
  }

  readPagecache(line: ReportLine, match: RegExpExecArray): void {
    this.report.totalPagecachePages = this.int(match.groups!.n, COUNT, line, '');
  }

  readSwap(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const kb = this.int(g.kb, SIGNED_COUNT, line, `${g.which} swap = `);
    if (g.which === 'Free') this.report.freeSwapKb = kb;
    else this.report.totalSwapKb = kb;
  }

  readRam(line: ReportLine, match: RegExpExecArray): void {
    const r = this.report;
    const g = match.groups ?? {};
    const n = this.int(g.n, COUNT, line, '');
    if (g.ram !== undefined) r.ramPages = n;
    else if (g.highmem !== undefined) r.highmemPages = n;
    else if (g.reserved !== undefined) r.reservedPages = n;
    else if (g.cma !== undefined) r.cmaReservedPages = n;
  }

  /** `Memory allocations[ (profiling is currently turned on|off)]:` (6.10+, mm/show_mem.c). */
  readAllocProfile(line: ReportLine, match: RegExpExecArray): void {
    const state = match.groups?.state;
    const profile = this.report.allocationProfile;
    const profiling = state === 'on' || state === 'off' ? state : null;
    if (profile === null) this.report.allocationProfile = { line: line.line, profiling, tags: [] };
    else if (profile.line === null) {
      profile.line = line.line;
      profile.profiling = profiling;
    }
  }

  /** A row of the allocation profile: `%12s %8llu %s:%u [%s] func:%s`. __show_mem prints the
   * ten biggest sites (`struct codetag_bytes tags[10]`): rows beyond ten are not kept. */
  readAllocTag(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const profile = (this.report.allocationProfile ??= { line: null, profiling: null, tags: [] });
    if (profile.tags.length >= ALLOC_PROFILE_ROWS) return;
    profile.tags.push({
      line: line.line,
      size: g.size,
      calls: this.int(g.calls, COUNT, line, ''),
      file: g.file,
      lineno: this.int(g.lineno, COUNT, line, `${g.file}:`),
      module: g.module ?? null,
      function: g.func,
    });
  }

  readKill(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const group = this.report.oomGroup;
    const kill: OomKill = {
      line: line.line,
      pid: this.int(g.pid, COUNT, line, 'Killed process '),
      comm: g.comm ?? null,
      totalVmKb: this.int(g.vm, COUNT, line, 'total-vm:'),
      anonRssKb: this.int(g.anon, COUNT, line, 'anon-rss:'),
      fileRssKb: this.int(g.file, COUNT, line, 'file-rss:'),
      shmemRssKb: this.int(g.shmem, COUNT, line, 'shmem-rss:'),
    };
    // after `Tasks in … memory.oom.group set` the kill lines are the group's, not the victim's
    if (group !== null && this.report.killed !== null) {
      group.kills.push(kill);
      return;
    }
    this.report.killed = kill;
    this.readKillTail(line, g);
  }

  /** `Tasks in <path> are going to be killed due to memory.oom.group set` (formats.ts). */
  readOomGroup(line: ReportLine, match: RegExpExecArray): void {
    this.report.oomGroup = { line: line.line, path: match.groups?.group ?? '', kills: [] };
  }

  /** 5.1+ kill line tail `, UID:%u pgtables:%lukB oom_score_adj:%hd` (read with the kill line). */
  private readKillTail(line: ReportLine, g: Record<string, string | undefined>): void {
    if (g.uid === undefined && g.pgt === undefined && g.adj === undefined) {
      this.report.killedTail = null;
      return;
    }
    this.report.killedTail = {
      uid: this.int(g.uid, COUNT, line, 'UID:'),
      pgtablesKb: this.int(g.pgt, COUNT, line, 'pgtables:'),
      oomScoreAdj: this.int(g.adj, OOM_SCORE_ADJ, line, 'oom_score_adj:'),
    };
  }

  /** ≤4.18 `Kill process %d (%s) score %d or sacrifice child` (formats.ts, the `Kill process` oom_misc row). */
  readOomChosen(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    this.report.oomChosen = {
      line: line.line,
      pid: this.int(g.pid, COUNT, line, 'Kill process '),
      comm: g.comm ?? '',
      score: this.int(g.score, SIGNED_COUNT, line, 'score '),
    };
  }

  /** The task table's header: its column names (formats.ts oom_table). */
  readTaskHeader(line: ReportLine): void {
    const text = line.text;
    const close = text.indexOf(']');
    const columns = text
      .slice(close + 1)
      .trim()
      .split(/\s+/)
      .filter((c) => c !== '');
    const table = this.taskTable();
    table.line ??= line.line;
    table.columns = columns;
    table.headerCut = columns[columns.length - 1] !== 'name';
    // a cut header's last word may be a column's beginning (`oom_sco`): only whole words judge it
    const whole = table.headerCut ? columns.slice(0, -1) : columns;
    table.headerGarbled = whole.some((c) => !TASK_TABLE_COLUMNS.has(c));
  }

  /** One task of the table: `[pid] values… name`, the values named by the header's columns (or, the
   * header missing or cut, by TASK_TABLE_LAYOUTS from their number). */
  readTaskRow(line: ReportLine): void {
    const text = line.text;
    const open = text.indexOf('[');
    const close = text.indexOf(']', open);
    const pid = this.int(text.slice(open + 1, close).trim(), COUNT, line, '[');
    if (pid === null) return;
    const table = this.taskTable();
    if (table.headerGarbled) {
      // the columns cannot be named (nor, glued like the header, the values told apart)
      const name = /(?:^|\s)-?\d+\s+(\S.*)$/.exec(text.slice(close + 1));
      table.tasks.push({ line: line.line, pid, ...EMPTY_TASK, name: name?.[1].trim() ?? '' });
      return;
    }
    // the values, each with where it ends; the name is the rest of the line after the last one
    const values: string[] = [];
    const ends: number[] = [];
    let at = close + 1;
    const n = text.length;
    const header = table.headerCut ? cutHeaderColumns(table.columns) : table.columns;
    const wanted = header !== null && header.length > 0 ? header.length - 1 : Infinity;
    while (values.length < wanted) {
      while (at < n && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
      let end = at;
      while (end < n && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
      if (end === at || !/^-?\d+$/.test(text.slice(at, end))) break;
      values.push(text.slice(at, end));
      ends.push(end);
      at = end;
    }
    // a header names the columns (a row cut short has the first of them)
    let columns: readonly string[] | null = header !== null && header.length > 0 ? header : null;
    if (columns === null) {
      // No usable header: the layout the number of values implies; a numeric name (rare) is the
      // last value when one fewer value makes a layout.
      let count = values.length;
      if (TASK_TABLE_LAYOUTS[count] === undefined && TASK_TABLE_LAYOUTS[count - 1] !== undefined) count--;
      const layout = TASK_TABLE_LAYOUTS[count];
      if (layout === undefined) return;
      columns = layout;
      if (header === null || header.length === 0 || table.headerCut) table.columns = [...layout];
      values.length = count;
      ends.length = count;
    }
    const name = text.slice(ends.length > 0 ? ends[ends.length - 1] : close + 1).trim();
    const named = columns;
    const value = (col: string, range: PrintedRange = COUNT): number | null => {
      const k = named.indexOf(col);
      return k < 0 || k >= values.length ? null : this.int(values[k], range, line, `${col} `);
    };
    table.tasks.push({
      line: line.line,
      pid,
      uid: value('uid'),
      tgid: value('tgid'),
      totalVmPages: value('total_vm'),
      rssPages: value('rss'),
      rssAnonPages: value('rss_anon'),
      rssFilePages: value('rss_file'),
      rssShmemPages: value('rss_shmem'),
      nrPtes: value('nr_ptes', SIGNED_COUNT),
      nrPmds: value('nr_pmds', SIGNED_COUNT),
      pgtablesBytes: value('pgtables_bytes', SIGNED_COUNT),
      swapents: value('swapents'),
      cpu: value('cpu'),
      oomAdj: value('oom_adj', SIGNED_COUNT),
      oomScoreAdj: value('oom_score_adj', OOM_SCORE_ADJ),
      name,
    });
  }

  private taskTable(): OomTaskTable {
    return (this.report.taskTable ??= {
      line: null,
      columns: [],
      headerCut: false,
      headerGarbled: false,
      stateLine: null,
      tasks: [],
    });
  }

  /** `Memory cgroup stats for <path>:` and, ≤5.x cgroup v1, its ` key:NKB` pairs (oom_memcg_stats). */
  readMemcgStats(line: ReportLine, match: RegExpExecArray): void {
    const values: Record<string, number> = {};
    let pairs = 0;
    for (const token of line.text.slice(match.index + match[0].length).split(' ')) {
      const m = /^([a-z_]+):(\d+)KB$/.exec(token);
      if (m === null) continue;
      const v = this.int(m[2], COUNT, line, `${m[1]}:`);
      if (v !== null) values[m[1]] = v;
      pairs++;
    }
    this.report.memcgStats.push({
      line: line.line,
      path: match.groups?.path ?? '',
      unit: pairs > 0 ? 'kB' : 'bytes',
      values,
      endLine: line.endLine,
    });
  }

  /** A `key value` line of memory_stat_format's block (oom_memcg_stat), read into the block its
   * `Memory cgroup stats for` line opened; elsewhere it says nothing. */
  readMemcgStat(line: ReportLine, match: RegExpExecArray): void {
    const stats = this.report.memcgStats;
    const block = stats.length > 0 ? stats[stats.length - 1] : null;
    if (block === null || block.unit !== 'bytes') return;
    const g = match.groups ?? {};
    const v = this.int(g.value, COUNT, line, `${g.key} `);
    if (v !== null && !(g.key in block.values)) block.values[g.key] = v;
    block.endLine = line.endLine;
  }

  /** show_swap_cache_info's lines (formats.ts swap_cache). */
  readSwapCache(line: ReportLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    if (g.pages !== undefined) this.report.swapCachePages = this.int(g.pages, COUNT, line, '');
    if (g.add !== undefined) {
      const add = this.int(g.add, COUNT, line, 'add ');
      const del = this.int(g.del, COUNT, line, 'delete ');
      const hit = this.int(g.hit, COUNT, line, 'find ');
      const find = this.int(g.find, COUNT, line, 'find /');
      if (add !== null && del !== null && hit !== null && find !== null)
        this.report.swapCacheStats = { add, delete: del, findHits: hit, findTotal: find };
    }
  }

  /** The Mem-Info summary's `name:pages` counters. */
  readCounters(line: ReportLine): void {
    const r = this.report;
    let m: RegExpExecArray | null;
    for (let at = 0; (m = nextField(line.text, at)); at = m.index + m[0].length) {
      const value = readInt(m[2], COUNT);
      if (value === null) {
        this.unreadable(line, m.index, m[0], COUNT.text);
        continue;
      }
      r.counters.push({
        name: m[1],
        value,
        line: lineAt(line, m.index),
        range: rangeOf(line, m.index, m.index + m[0].length),
      });
    }
  }

  /** The call-trace frames in a line, each in the interrupt context its markers give. */
  readFrames(line: ReportLine): void {
    const text = line.text;
    if (text.indexOf(') from [<') >= 0 && this.readArmFrame(line)) return;
    if (text.indexOf('+0x') < 0) {
      if (text.indexOf('}') >= 0) this.readOldFrames(line);
      return;
    }
    // Context markers may share the line with frames (`<IRQ>  [<…>] warn_alloc_failed+0xeb/0x130`,
    // `<EOI>  [<…>] ? mwait_idle+0x63/0x80`): each applies to the frames after it.
    const markers = !CONTEXT_MARKER.test(text)
      ? NO_MARKERS
      : [...text.matchAll(CONTEXT_MARKERS)].map((mk) => ({
          at: mk.index,
          context: (mk[1] === '' && (mk[2] === 'IRQ' || mk[2] === 'SOFTIRQ')
            ? 'irq'
            : mk[1] === '' && mk[2] === 'NMI'
              ? 'nmi'
              : 'task') as StackFrame['context'],
        }));
    let nextMarker = 0;
    let previousFunction = '';
    let previousOffset = '';
    let m: RegExpExecArray | null;
    for (let at = 0; (m = nextFrame(text, at)); at = m.index + m[0].length) {
      while (nextMarker < markers.length && markers[nextMarker].at < m.index)
        this.context = markers[nextMarker++].context;
      // 2.6.2x i386 prints each frame twice: `[oom_kill_process+0x10a/0x120] oom_kill_process+0x10a/0x120`.
      if (m[2] === previousFunction && m[3] === previousOffset) continue;
      previousFunction = m[2];
      previousOffset = m[3];
      // A frame's line is where it begins (a `? ` at the end of a physical line included), unless
      // its function itself is cut by a wrap: then the line where the function begins (fuzz seed
      // 20260410), so that the frame's line and the lines after it hold its name.
      const fn = m.index + (m[1]?.length ?? 0);
      const fnLine = lineAt(line, fn);
      this.report.callTrace.push({
        line: fnLine === lineAt(line, fn + m[2].length - 1) ? lineAt(line, m.index) : fnLine,
        function: m[2],
        offset: m[3],
        size: m[4],
        module: m[5] ?? null,
        unreliable: m[1] !== undefined || markedUnreliable(text, m.index + m[0].length),
        context: this.context,
      });
    }
    while (nextMarker < markers.length) this.context = markers[nextMarker++].context;
  }

  /**
   * A 32-bit ARM backtrace line, arch/arm/kernel/traps.c dump_backtrace_entry (2.6–6.x):
   * `[<where>] (%pS) from [<from>] (%pS)` (`(%ps)`, no offset, for `where` from 3.x on). `where` is
   * this frame's function; `from` is the return address in its caller, which the next line prints
   * again as its own `where` (the unwinder steps to it). So each line is one frame: its first function.
   * The caller after `from` is read too, as the trace's last frame when no line follows (the bottom
   * of the stack), and replaced by the next line's `where` when it is the same function. False when
   * the line is not of this shape.
   */
  private readArmFrame(line: ReportLine): boolean {
    const text = line.text;
    const m = ARM_WHERE.exec(text);
    if (m === null) return false;
    const trace = this.report.callTrace;
    const last = trace.length > 0 ? trace[trace.length - 1] : null;
    // The previous line's `from` (or its wrapped tail, corpus/013) is this frame: keep one.
    if (last !== null && last !== this.armWhere && last.function === m[1]) trace.pop();
    const fnAt = m.index + m[0].indexOf('(') + 1;
    const where: StackFrame = {
      line: lineAt(line, fnAt),
      function: m[1],
      offset: m[2] ?? null,
      size: m[3] ?? null,
      module: m[4] ?? null,
      unreliable: false,
      context: this.context,
    };
    trace.push(where);
    this.armWhere = where;
    const fromAt = m.index + m[0].length;
    const from = nextFrame(text, fromAt);
    if (from !== null && from[1] === undefined)
      trace.push({
        line: lineAt(line, from.index),
        function: from[2],
        offset: from[3],
        size: from[4],
        module: from[5] ?? null,
        unreliable: false,
        context: this.context,
      });
    return true;
  }

  private readOldFrames(line: ReportLine): void {
    OLD_FRAME_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = OLD_FRAME_RE.exec(line.text))) {
      this.report.callTrace.push({
        line: lineAt(line, m.index),
        function: m[1],
        offset: m[2],
        size: null,
        module: null,
        unreliable: false,
        context: this.context,
      });
    }
  }

  /** A zone line; null when its node id is beyond MAX_NUMNODES (the line is then not read). */
  private zoneLine(line: ReportLine, match: RegExpExecArray): ZoneLine | null {
    const g = match.groups!;
    const text = line.text;
    const node = g.node === undefined ? 0 : this.int(g.node, NODE_ID, line, 'Node ');
    if (node === null) return null;
    const fields = this.readFields(line, text.indexOf('free:'));
    const kb = (name: string): number | null => (name in fields ? fields[name] : null);
    return {
      node,
      nodePrinted: g.node !== undefined,
      zone: g.zone === 'Highmem' ? 'HighMem' : g.zone,
      line: line.line,
      range: rangeOf(line, 0, text.length),
      fields,
      freeKb: kb('free'),
      minKb: kb('min'),
      lowKb: kb('low'),
      highKb: kb('high'),
      boostKb: kb('boost'),
      presentKb: kb('present'),
      managedKb: kb('managed'),
      reservedHighatomicKb: kb('reserved_highatomic'),
      freeCmaKb: kb('free_cma'),
      allUnreclaimable: unreclaimable(text),
      lowmemReserve: null,
      lowmemReserveRange: null,
    };
  }

  /** `lowmem_reserve[]: 0 1842 1842 1842` (pages, one column per zone); null when a column is not
   * a page count or there are more than MAX_NR_ZONES (the kernel computes each as pages / ratio in
   * setup_per_zone_lowmem_reserve, never negative). */
  private reserveColumns(line: ReportLine): number[] | null {
    const text = line.text;
    const at = text.indexOf(':') + 1;
    const columns: number[] = [];
    const re = /-?\d+/g;
    re.lastIndex = at;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (columns.length === MAX_NR_ZONES) {
        this.unreadable(line, 0, quote(text.trim()), `at most MAX_NR_ZONES (${MAX_NR_ZONES}) columns`);
        return null;
      }
      const pages = this.int(m[0], COUNT, line, 'lowmem_reserve[]: ', m.index);
      if (pages === null) return null;
      columns.push(pages);
    }
    return columns;
  }

  /** A buddy line; null when its node or a count is beyond what the kernel prints, or its block
   * sizes are not those of a page size (4 … 256 kB) doubling per order. */
  private buddyLine(line: ReportLine, match: RegExpExecArray): BuddyLine | null {
    const g = match.groups!;
    const text = line.text;
    const node = g.node === undefined ? 0 : this.int(g.node, NODE_ID, line, 'Node ');
    if (node === null) return null;
    const orders: BuddyLine['orders'] = [];
    // `(?<!\d)`: a count starts a number, so a long run of digits is not rescanned from each digit
    const re = /(?<!\d)(\d+)\s*\*\s*(\d+)kB(?:\s*\(([A-Z]+)\))?/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const count = readInt(m[1], COUNT);
      const sizeKb = readInt(m[2], COUNT);
      if (count === null || sizeKb === null) {
        this.unreadable(line, m.index, m[0], COUNT.text);
        return null;
      }
      orders.push({ count, sizeKb, types: m[3] ?? null });
      if (orders.length > MAX_PAGE_ORDER_BOUND + 1) break;
    }
    if (!buddySizesReadable(orders)) {
      const page = orders[0].sizeKb;
      const bad = orders.find((o, k) => !buddySizeFits(page, o.sizeKb, k)) ?? orders[orders.length - 1];
      this.unreadable(
        line,
        0,
        `${bad.count}*${bad.sizeKb}kB`,
        `blocks of a page size from ${MIN_PAGE_KB} to ${MAX_PAGE_KB} kB doubling per order, at most ${MAX_PAGE_ORDER_BOUND + 1} orders`,
      );
      return null;
    }
    // what the free lists hold together is at most the zone's memory: far below 2^53 kB
    if (safeSum(orders, (o) => o.count * o.sizeKb) === null) {
      this.unreadable(line, 0, quote(text.trim()), 'free lists holding less than 2^53 kB together');
      return null;
    }
    const total = /=\s*(\d+)\s*kB/.exec(text);
    return {
      node,
      zone: g.zone === 'Highmem' ? 'HighMem' : g.zone,
      line: line.line,
      range: rangeOf(line, 0, text.length),
      orders,
      totalKb: total ? this.int(total[1], COUNT, line, '= ', total.index) : null,
    };
  }
}

/** A field's label as the analysis names it: `order:` → `order`, `gfp_mask=` → `gfp_mask`. */
/** The taint flags without trailing blanks and dashes (a loop: `/[\s-]+$/` rescans every run of
 * them that is not at the end, quadratic in a line of ` - - - …`). */
function trimTaint(taint: string): string {
  let end = taint.length;
  while (end > 0 && (taint.charCodeAt(end - 1) === 32 || taint.charCodeAt(end - 1) === 45)) end--;
  return taint.slice(0, end);
}

function unreclaimable(text: string): boolean | null {
  const m = /all_unreclaimable\?\s*(yes|no)/.exec(text);
  return m ? m[1] === 'yes' : null;
}

/** `func+0xoff/0xsize` (or the 2.6.1x `{func+789}`) somewhere in the line: a call-trace line,
 * which is what a report accepts before its dump begins. True exactly when ReportBuilder's frame
 * reading finds a frame in the line. */
export function hasFrames(text: string): boolean {
  if (text.indexOf('+0x') >= 0 && nextFrame(text, 0) !== null) return true;
  if (text.indexOf(') from [<') >= 0) return ARM_WHERE.test(text);
  return text.indexOf('}') >= 0 && OLD_FRAME_TEST.test(text);
}

const OLD_FRAME_TEST = new RegExp(OLD_FRAME_RE.source);

export const buildReport: WriterFactory<Report> = (kind, line, suppressed) =>
  new ReportBuilder(kind, line, suppressed);
