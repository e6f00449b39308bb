// Finds every memory report in a kernel log and reads all its numbers: one pass, streaming,
// total (any input gives a result). Formats come from formats.ts; this file only decides which
// report a line belongs to and copies the numbers out.

import type {
  BuddyLine,
  Framing,
  ParsedLog,
  Report,
  ReportKind,
  StackFrame,
  Suppression,
  TextRange,
  ZoneLine,
} from './model';
import { LineAssembler, positionAt, type AssembledLine } from './lines';
import { classifyLine, FIELD_RE, FRAME_RE, KNOWN_FIELDS, OLD_FRAME_RE, type LineKind } from './formats';

/** A report stays open across this many unrelated lines (other CPUs, daemons) before it is closed. */
const MAX_UNRELATED_LINES = 64;

// Cheap substring test before the full classification, for lines outside any report: only these
// can open one. Keeps the cost of ordinary log noise to one scan of the line.
const OPENERS = /alloc|oom-killer|Mem-[Ii]nfo|suppressed|SLUB|Show Memory|Linux version/;

/** Byte strings at least one of which occurs in (or within 3 lines after) every line that can
 * open a report: `alloc` (page allocation failure/stalls, vmalloc, `Unable to allocate`),
 * `oom-killer`, `Mem-` (show_mem), `suppressed`, and the `Linux version` boot banner (a fallback
 * release for reports without a task line). A reader may skip whole stretches of text without
 * any of them while the scanner is idle (see `LogScanner.skipLines`), which is what makes the CLI
 * scan at grep speed. Keep in sync with OPENERS. */
export const REPORT_ANCHORS: readonly string[] = [
  'alloc',
  'oom-killer',
  'Mem-',
  'suppressed',
  'Linux version',
];
/** Lines before an anchor that a reader must still feed: a header wrapped over several lines has
 * its first piece (`kworker/3:10: page`) before the line holding `allocation failure`. */
export const ANCHOR_LOOKBEHIND_LINES = 3;

interface OpenReport {
  report: Report;
  /** Memory-dump part reached (Mem-Info or zone lines seen): frames no longer expected. */
  inDump: boolean;
  context: StackFrame['context'];
  unrelated: number;
  lastZone: ZoneLine | null;
  /** `vmalloc: allocation failure …` waiting for the page-allocator header that follows it (≤4.8). */
  awaitingHeader: boolean;
  /** The last thing the kernel prints for this kind of report was seen (the `pages RAM` block or
   * swap totals; for an OOM kill, the kill line): the next unrelated line closes the report, so a
   * reader can go back to skipping text at once. */
  ended: boolean;
}

function emptyReport(kind: ReportKind, line: AssembledLine): Report {
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
    stallMs: null,
    slub: null,
    callTrace: [],
    memInfoLine: null,
    counters: [],
    nodes: [],
    zones: [],
    buddy: [],
    perCpu: [],
    hugepages: [],
    freeSwapKb: null,
    totalSwapKb: null,
    ramPages: null,
    highmemPages: null,
    reservedPages: null,
    totalPagecachePages: null,
    pageSizeKb: null,
    killed: null,
    oomConstraint: null,
    headerStyle: null,
    suppressedBefore: 0,
    truncated: false,
  };
}

function rangeOf(line: AssembledLine, from: number, to: number): TextRange {
  const start = positionAt(line, from);
  const end = positionAt(line, Math.max(from, to));
  return { startLine: start.line, startChar: start.char, endLine: end.line, endChar: end.char };
}

function int(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Range of a named group's text inside the match (found by searching from the match start). */
function groupRange(
  line: AssembledLine,
  match: RegExpExecArray,
  group: string,
  label: string,
): TextRange | null {
  const value = match.groups?.[group];
  if (!value) return null;
  const at = line.text.indexOf(label, match.index);
  if (at < 0) return null;
  const valueAt = line.text.indexOf(value, at);
  return rangeOf(
    line,
    at,
    valueAt < 0 ? at + label.length : valueAt + value.length + (group === 'mode' ? namesLength(match) : 0),
  );
}

function namesLength(match: RegExpExecArray): number {
  const names = match.groups?.names;
  return names === undefined ? 0 : names.length + 2;
}

/** `<IRQ>`, `</IRQ>`, `<EOI>`, `<NMI>`, `<TASK>`, `<SOFTIRQ>` inside a frame line. */
const CONTEXT_MARKER = /<\/?(?:IRQ|EOI|NMI|TASK|SOFTIRQ)>/;
const CONTEXT_MARKERS = /<(\/?)(IRQ|EOI|NMI|TASK|SOFTIRQ)>/g;
const NO_MARKERS: readonly { at: number; context: StackFrame['context'] }[] = [];

/** Document line of an offset in a logical line (positionAt without the object). */
function lineAt(line: AssembledLine, offset: number): number {
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

function readFields(text: string, from: number): Record<string, number> {
  const fields: Record<string, number> = {};
  FIELD_RE.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = FIELD_RE.exec(text))) {
    const printed = m[1];
    // `all_unreclaimable?` and the like: the name without its question mark
    const name = repairFieldName(
      printed.charCodeAt(printed.length - 1) === 63 ? printed.slice(0, -1) : printed,
    );
    if (fields[name] === undefined) fields[name] = Number(m[2]);
  }
  return fields;
}

export class LogScanner {
  readonly suppressions: Suppression[] = [];
  /** `Linux version …` banner, when the log contains the boot messages. */
  kernelRelease: string | null = null;
  private readonly assembler: LineAssembler;
  /** The report being read, per printk caller id ('' when none is printed): syzkaller-style logs
   * interleave several CPUs' reports line by line, and the caller id tells them apart. */
  private readonly opens = new Map<string, OpenReport>();
  private open: OpenReport | null = null;
  private openKey = '';
  private slub: OpenReport | null = null;
  private completed: Report[] = [];
  private pendingSuppressed = 0;
  private previousKind: LineKind | null = null;
  /** `SysRq : Show Memory` just before a `Mem-Info:` dump: the show_mem report's header line. */
  private lastTrigger: AssembledLine | null = null;

  constructor() {
    this.assembler = new LineAssembler((line) => this.onLine(line));
  }

  /** Feed the next physical line (without its terminator). Returns the reports it completed. */
  push(line: string): Report[] {
    this.assembler.push(line);
    return this.drain();
  }

  /** End of input: returns the reports still open. */
  end(): Report[] {
    this.assembler.flush();
    this.closeAll();
    this.closeSlub();
    return this.drain();
  }

  get framing(): Framing {
    return this.assembler.dominantFraming;
  }

  /** No report is open: the next lines matter only if they contain a REPORT_ANCHORS string. */
  get idle(): boolean {
    if (this.opens.size > 0 || this.slub !== null) return false;
    const pending = this.assembler.pendingText;
    return pending === null || !OPENERS.test(pending);
  }

  /** Counts `n` physical lines the reader skipped without feeding them (only while idle, and only
   * lines free of REPORT_ANCHORS): they end any wrapped line but open nothing. */
  skipLines(n: number): Report[] {
    if (n <= 0) return [];
    this.assembler.skip(n);
    return this.drain();
  }

  get lineCount(): number {
    return this.assembler.physicalLines;
  }

  private drain(): Report[] {
    if (this.completed.length === 0) return this.completed;
    const done = this.completed.sort((a, b) => a.line - b.line);
    this.completed = [];
    return done;
  }

  private closeOpen(): void {
    if (!this.open) return;
    this.completed.push(this.open.report);
    this.opens.delete(this.openKey);
    this.open = null;
  }

  private closeAll(): void {
    for (const [key, open] of this.opens) {
      const r = open.report;
      // The text stops after the report began (a task line, frames, the dump) but before anything
      // the kernel prints at its end (swap totals, `pages RAM`, the kill line).
      const began = r.pid !== null || r.callTrace.length > 0 || r.counters.length > 0 || r.zones.length > 0;
      const ended = r.ramPages !== null || r.totalSwapKb !== null || r.killed !== null;
      r.truncated = began && !ended;
      this.completed.push(r);
      this.opens.delete(key);
    }
    this.open = null;
  }

  private closeSlub(): void {
    if (!this.slub) return;
    this.completed.push(this.slub.report);
    this.slub = null;
  }

  private onLine(line: AssembledLine): void {
    if (!line.isKernel) {
      this.countUnrelated();
      return;
    }
    const text = line.text;
    this.openKey = line.caller ?? '';
    this.open = this.opens.get(this.openKey) ?? null;
    if (!this.open && !this.slub && !OPENERS.test(text)) return;
    const classified = classifyLine(text);
    const kind = classified?.kind ?? null;
    const match = classified?.match;
    const previousKind = this.previousKind;
    this.previousKind = kind;

    switch (kind) {
      case 'page_alloc_header':
        if (this.open?.awaitingHeader) {
          this.fillHeader(this.open, line, match!);
          this.open.awaitingHeader = false;
          return;
        }
        return this.openReport('page_alloc_failure', line, match!);
      case 'alloc_stall_header':
        return this.openReport('alloc_stall', line, match!);
      case 'vmalloc_header':
        return this.openReport('vmalloc_failure', line, match!);
      case 'vmalloc_caller': {
        this.openReport('vmalloc_failure', line, match!);
        this.open!.awaitingHeader = true;
        return;
      }
      case 'oom_header':
        return this.openReport('oom_kill', line, match!);
      case 'slub_header':
        return this.openSlub(line, match!);
      case 'suppressed': {
        const count = Number(match!.groups!.count);
        this.suppressions.push({ line: line.line, count, source: match!.groups!.source });
        this.pendingSuppressed += count;
        return;
      }
      case 'slub_cache':
      case 'slub_node':
        if (this.slub) {
          this.addSlubLine(this.slub, kind, line, match!);
          return;
        }
        break;
      case 'mem_info':
        if (!this.open || this.open.inDump || this.open.report.kind === 'slub_failure') {
          const header = previousKind === 'show_mem_trigger' ? this.lastTrigger : null;
          this.openReport('show_mem', header ?? line, null);
        }
        break;
      case 'show_mem_trigger':
        this.lastTrigger = line;
        return;
      default:
        if (!this.open && /^\s*Linux version (\S+)/.test(text))
          this.kernelRelease = /Linux version (\S+)/.exec(text)![1];
    }

    const open = this.open;
    if (!open) return;
    if (this.absorb(open, kind, line, match)) {
      open.unrelated = 0;
      open.report.endLine = Math.max(open.report.endLine, line.endLine);
      if (open.report.kind === 'oom_kill' ? kind === 'oom_kill_line' : kind === 'ram' || kind === 'swap')
        open.ended = true;
    } else if (open.ended) {
      this.closeOpen();
    } else {
      this.countUnrelated();
    }
  }

  private countUnrelated(): void {
    for (const [key, open] of this.opens)
      if (++open.unrelated > MAX_UNRELATED_LINES) {
        this.completed.push(open.report);
        this.opens.delete(key);
        if (open === this.open) this.open = null;
      }
    if (this.slub && ++this.slub.unrelated > MAX_UNRELATED_LINES) this.closeSlub();
  }

  /** A new report: it carries the count of reports the rate limiter dropped just before it. */
  private startReport(kind: ReportKind, line: AssembledLine): OpenReport {
    const report = emptyReport(kind, line);
    report.suppressedBefore = this.pendingSuppressed;
    this.pendingSuppressed = 0;
    return {
      report,
      inDump: false,
      context: 'task',
      unrelated: 0,
      lastZone: null,
      awaitingHeader: false,
      ended: false,
    };
  }

  private openReport(kind: ReportKind, line: AssembledLine, match: RegExpExecArray | null): void {
    this.closeOpen();
    this.open = this.startReport(kind, line);
    const report = this.open.report;
    this.opens.set(this.openKey, this.open);
    if (kind === 'show_mem') {
      this.open.inDump = true;
      report.memInfoLine = line.line;
      return;
    }
    if (match) this.fillHeader(this.open, line, match);
  }

  private fillHeader(open: OpenReport, line: AssembledLine, match: RegExpExecArray): void {
    const g = match.groups ?? {};
    const r = open.report;
    const comm = g.comm?.trim();
    if (comm) r.comm = comm;
    if (r.kind === 'page_alloc_failure' || r.kind === 'vmalloc_failure')
      r.headerStyle = /failure\.\s*order/.test(line.text)
        ? 'period'
        : /failure:\s*order/.test(line.text)
          ? 'colon'
          : null;
    if (g.order !== undefined) {
      r.order = int(g.order);
      r.orderRange = groupRange(line, match, 'order', r.kind === 'oom_kill' ? 'order=' : 'order:');
    }
    if (g.mode) {
      r.gfp = { raw: g.mode, printed: g.names === undefined ? null : g.names };
      r.gfpRange = groupRange(
        line,
        match,
        'mode',
        r.kind === 'oom_kill' ? 'gfp_mask=' : r.kind === 'slub_failure' ? 'gfp=' : 'mode:',
      );
    }
    if (g.nodemask !== undefined) r.nodemask = g.nodemask || null;
    if (g.cpuset !== undefined) r.cpuset = g.cpuset;
    if (g.mems !== undefined) r.memsAllowed = g.mems;
    if (g.adj !== undefined) r.oomScoreAdj = int(g.adj);
    if (g.ms !== undefined) r.stallMs = int(g.ms);
    const bytes = g.bytes ?? g.bytes2 ?? g.size;
    if (bytes !== undefined) r.vmallocBytes = int(bytes);
    if (g.allocated !== undefined) r.vmallocAllocatedBytes = int(g.allocated);
    r.endLine = Math.max(r.endLine, line.endLine);
    if (r.time === null) r.time = line.time;
    if (r.host === null) r.host = line.host;
  }

  private openSlub(line: AssembledLine, match: RegExpExecArray): void {
    this.closeSlub();
    this.slub = this.startReport('slub_failure', line);
    const report = this.slub.report;
    const g = match.groups ?? {};
    report.gfp = { raw: g.mode, printed: g.names === undefined ? null : g.names };
    report.gfpRange = groupRange(line, match, 'mode', 'gfp=');
    report.slub = {
      node: int(g.node),
      cache: null,
      objectSize: null,
      bufferSize: null,
      defaultOrder: null,
      minOrder: null,
    };
  }

  private addSlubLine(open: OpenReport, kind: LineKind, line: AssembledLine, match: RegExpExecArray): void {
    const slub = open.report.slub!;
    const g = match.groups ?? {};
    if (kind === 'slub_cache' && slub.cache === null) {
      slub.cache = g.cache;
      slub.objectSize = int(g.obj);
      slub.bufferSize = int(g.buf);
      slub.defaultOrder = int(g.def);
      slub.minOrder = int(g.min);
    }
    open.unrelated = 0;
    open.report.endLine = Math.max(open.report.endLine, line.endLine);
  }

  /** Copies a body line into the open report. False when the line is not part of a report. */
  private absorb(
    open: OpenReport,
    kind: LineKind | null,
    line: AssembledLine,
    match: RegExpExecArray | undefined,
  ): boolean {
    const r = open.report;
    const g = match?.groups ?? {};
    const text = line.text;
    switch (kind) {
      case 'task':
        if (r.pid !== null) return false;
        r.pid = int(g.pid ?? g.pid2);
        r.cpu = int(g.cpu);
        r.comm ??= (g.comm ?? g.comm2)?.trim() || null;
        r.tainted = g.taint ? g.taint.replace(/\s+/g, ' ').replace(/[\s-]+$/, '') : null;
        r.kernel = g.release ?? null;
        return true;
      case 'hardware':
        r.hardware = g.hw.replace(/\s+/g, ' ').trim();
        return true;
      case 'process':
        r.pid ??= int(g.pid);
        r.comm ??= g.comm;
        return true;
      case 'cpuset':
        r.cpuset ??= g.cpuset;
        r.memsAllowed ??= g.mems;
        return true;
      case 'trace_start':
        this.readFrames(open, line);
        return true;
      case 'register':
      case 'stack_words':
      case 'swap_cache':
      case 'oom_summary': {
        // 5.0+: oom-kill:constraint=%s,nodemask=%*pbl[,cpuset=…,mems_allowed=…],(oom_memcg=%s|global_oom),task_memcg=%s,…
        const field = (name: string) => new RegExp(`[:,]${name}=([^,]*)`).exec(text)?.[1] ?? null;
        r.oomConstraint = {
          line: line.line,
          constraint: field('constraint'),
          memcg: field('oom_memcg'),
          taskMemcg: field('task_memcg'),
          global: /,global_oom/.test(text),
        };
        return true;
      }
      case 'slab_info': {
        // ≤4.x memcg OOM: `Task in /a killed as a result of limit of /b`.
        const memcg = /^\s*Task in (\S+) killed as a result of limit of (\S+)/.exec(text);
        if (memcg)
          r.oomConstraint ??= {
            line: line.line,
            constraint: null,
            memcg: memcg[2],
            taskMemcg: memcg[1],
            global: false,
          };
        return true;
      }
      case 'oom_table':
      case 'oom_misc':
      case 'free_pages_total':
        return true;
      case 'context_marker': {
        const tag = text.trim();
        open.context = tag === '<IRQ>' ? 'irq' : tag === '<NMI>' ? 'nmi' : 'task';
        return true;
      }
      case 'mem_info':
        open.inDump = true;
        r.memInfoLine ??= line.line;
        return true;
      case 'per_cpu_zone':
        open.inDump = true;
        return true;
      case 'per_cpu':
        r.perCpu.push({
          line: line.line,
          node: null,
          zone: null,
          cpu: Number(g.cpu ?? g.cpu2),
          high: int(g.high ?? g.high2),
          batch: int(g.batch ?? g.batch2),
          used: int(g.used ?? g.used2),
        });
        return true;
      case 'counters':
        // The summary follows `Mem-Info:`; a poster who cut that line still leaves `active_anon:` first.
        if (!open.inDump && /^\s*(?:active_anon|Active):\d/.test(text)) open.inDump = true;
        if (!open.inDump || r.zones.length > 0) return false;
        this.readCounters(r, line);
        return true;
      case 'node': {
        open.inDump = true;
        const fields = readFields(text, 0);
        delete fields.Node;
        r.nodes.push({
          node: Number(g.node),
          line: line.line,
          range: rangeOf(line, 0, text.length),
          fields,
          allUnreclaimable: unreclaimable(text),
        });
        return true;
      }
      case 'zone':
        open.inDump = true;
        open.lastZone = this.readZone(line, match!);
        r.zones.push(open.lastZone);
        return true;
      case 'lowmem_reserve': {
        const zone = open.lastZone;
        if (!zone || zone.lowmemReserve) return true;
        const at = text.indexOf(':') + 1;
        zone.lowmemReserve = (text.slice(at).match(/-?\d+/g) ?? []).map(Number);
        zone.lowmemReserveRange = rangeOf(line, 0, text.length);
        return true;
      }
      case 'buddy':
        open.inDump = true;
        r.buddy.push(this.readBuddy(line, match!));
        if (r.pageSizeKb === null && r.buddy[r.buddy.length - 1].orders.length > 0)
          r.pageSizeKb = r.buddy[r.buddy.length - 1].orders[0].sizeKb;
        return true;
      case 'hugepages':
        r.hugepages.push({
          line: line.line,
          node: Number(g.node),
          total: Number(g.total),
          free: Number(g.free),
          surplus: Number(g.surp),
          sizeKb: Number(g.size),
        });
        return true;
      case 'pagecache':
        r.totalPagecachePages = Number(g.n);
        return true;
      case 'swap':
        if (g.which === 'Free') r.freeSwapKb = Number(g.kb);
        else r.totalSwapKb = Number(g.kb);
        return true;
      case 'ram': {
        const n = Number(g.n);
        if (g.what === 'pages RAM' || g.what === 'pages of RAM') r.ramPages = n;
        else if (/^pages (?:of )?HighMem/i.test(g.what)) r.highmemPages = n;
        else if (g.what === 'pages reserved' || g.what === 'reserved pages') r.reservedPages = n;
        return true;
      }
      case 'oom_kill_line':
        r.killed = {
          line: line.line,
          pid: int(g.pid),
          comm: g.comm ?? null,
          totalVmKb: int(g.vm),
          anonRssKb: int(g.anon),
          fileRssKb: int(g.file),
          shmemRssKb: int(g.shmem),
        };
        return true;
      default:
        if (!open.inDump) return this.readFrames(open, line);
        return false;
    }
  }

  private readCounters(r: Report, line: AssembledLine): void {
    FIELD_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = FIELD_RE.exec(line.text))) {
      if (m[2] === undefined) continue;
      r.counters.push({
        name: m[1],
        value: Number(m[2]),
        line: lineAt(line, m.index),
        range: rangeOf(line, m.index, m.index + m[0].length),
      });
    }
  }

  private readFrames(open: OpenReport, line: AssembledLine): boolean {
    const text = line.text;
    if (text.indexOf('+0x') < 0) return text.indexOf('}') >= 0 && this.readOldFrames(open, line);
    let found = false;
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
    FRAME_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = FRAME_RE.exec(text))) {
      found = true;
      while (nextMarker < markers.length && markers[nextMarker].at < m.index)
        open.context = markers[nextMarker++].context;
      // 2.6.2x i386 prints each frame twice: `[oom_kill_process+0x10a/0x120] oom_kill_process+0x10a/0x120`.
      if (m[2] === previousFunction && m[3] === previousOffset) continue;
      previousFunction = m[2];
      previousOffset = m[3];
      open.report.callTrace.push({
        line: lineAt(line, m.index),
        function: m[2],
        offset: m[3],
        size: m[4],
        module: m[5] ?? null,
        unreliable: m[1] !== undefined || markedUnreliable(text, m.index + m[0].length),
        context: open.context,
      });
    }
    while (nextMarker < markers.length) open.context = markers[nextMarker++].context;
    return found;
  }

  private readOldFrames(open: OpenReport, line: AssembledLine): boolean {
    let found = false;
    OLD_FRAME_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = OLD_FRAME_RE.exec(line.text))) {
      found = true;
      open.report.callTrace.push({
        line: lineAt(line, m.index),
        function: m[1],
        offset: m[2],
        size: null,
        module: null,
        unreliable: false,
        context: open.context,
      });
    }
    return found;
  }

  private readZone(line: AssembledLine, match: RegExpExecArray): ZoneLine {
    const g = match.groups!;
    const text = line.text;
    const fields = readFields(text, text.indexOf('free:'));
    const kb = (name: string): number | null => (name in fields ? fields[name] : null);
    return {
      node: g.node === undefined ? 0 : Number(g.node),
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

  private readBuddy(line: AssembledLine, match: RegExpExecArray): BuddyLine {
    const g = match.groups!;
    const text = line.text;
    const orders: BuddyLine['orders'] = [];
    const re = /(\d+)\s*\*\s*(\d+)kB(?:\s*\(([A-Z]+)\))?/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)))
      orders.push({ count: Number(m[1]), sizeKb: Number(m[2]), types: m[3] ?? null });
    const total = /=\s*(\d+)\s*kB/.exec(text);
    return {
      node: g.node === undefined ? 0 : Number(g.node),
      zone: g.zone === 'Highmem' ? 'HighMem' : g.zone,
      line: line.line,
      range: rangeOf(line, 0, text.length),
      orders,
      totalKb: total ? Number(total[1]) : null,
    };
  }
}

function unreclaimable(text: string): boolean | null {
  const m = /all_unreclaimable\?\s*(yes|no)/.exec(text);
  return m ? m[1] === 'yes' : null;
}

/** Parses a whole document (the language server's entry point). */
export function parseLog(text: string): ParsedLog {
  const scanner = new LogScanner();
  const reports: Report[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const done = scanner.push(text.slice(start, end));
    if (done.length) reports.push(...done);
    start = end + 1;
    if (end === text.length) break;
  }
  reports.push(...scanner.end());
  reports.sort((a, b) => a.line - b.line);
  return {
    framing: scanner.framing,
    lineCount: scanner.lineCount,
    reports,
    suppressions: scanner.suppressions,
    kernelRelease: scanner.kernelRelease,
  };
}
