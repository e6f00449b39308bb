// Finds every memory report in a kernel log: one pass, streaming, total (any input gives a
// result). Formats come from formats.ts; this file decides which report each line belongs to, and
// report-builder.ts copies the numbers out of the lines it is given.

import type { Framing, ParsedLog, Report, ReportKind, Suppression } from './model';
import { LineAssembler, type AssembledLine } from './lines';
import { classifyLine, type ClassifiedLine, type LineKind } from './formats';
import { buildReport, hasFrames, type ReportWriter, type WriterFactory } from './report-builder';
import { COUNT, INT_COUNT, readInt } from './numbers';

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

interface OpenReport<T> {
  kind: ReportKind;
  writer: ReportWriter<T>;
  /** Memory-dump part reached (Mem-Info or zone lines seen): frames no longer expected. */
  inDump: boolean;
  /** A task line (or s390 `Process`) gave a readable pid: a second task line belongs to another
   * report. (The builder stores the pid; this is the scanner's copy of that one fact.) */
  pidKnown: boolean;
  /** Zone lines read: Mem-Info counters come before them, never after. */
  zones: number;
  /** The scanner's count of unrelated lines when a line last belonged to this report: the report
   * has seen `unrelatedLines − relatedAt` unrelated lines since. */
  relatedAt: number;
  /** `vmalloc: allocation failure …` waiting for the page-allocator header that follows it (≤4.8). */
  awaitingHeader: boolean;
  /** The last thing the kernel prints for this kind of report was seen (the `pages RAM` block or
   * swap totals; for an OOM kill, the kill line): the next unrelated line closes the report, so a
   * reader can go back to skipping text at once. */
  ended: boolean;
}

/**
 * Reads a log line by line and hands each report's lines to a ReportWriter, which turns them into
 * `T`: by default a Report (ReportBuilder, all the numbers read at once); the CLI's scan worker
 * uses ReportRecorder instead, so that reading the numbers happens on the other thread.
 */
export class LogScanner<T = Report> {
  readonly suppressions: Suppression[] = [];
  /** `Linux version …` banner, when the log contains the boot messages. */
  kernelRelease: string | null = null;
  private readonly assembler: LineAssembler;
  private readonly writers: WriterFactory<T>;
  /** The report being read, per printk caller id ('' when none is printed): syzkaller-style logs
   * interleave several CPUs' reports line by line, and the caller id tells them apart. */
  private readonly opens = new Map<string, OpenReport<T>>();
  /** Unrelated lines so far. Each open report keeps the count at its last related line, and `opens`
   * stays ordered by it (a report moves to the end when a line belongs to it), so an unrelated
   * line looks only at the reports it closes, not at every open one (which cost up to 64 × the
   * open callers' reports per line in interleaved logs). */
  private unrelatedLines = 0;
  /** The report `opens` ends with. */
  private lastRelated: OpenReport<T> | null = null;
  private open: OpenReport<T> | null = null;
  private openKey = '';
  private slub: OpenReport<T> | null = null;
  private completed: ReportWriter<T>[] = [];
  private pendingSuppressed = 0;
  private previousKind: LineKind | null = null;
  /** `SysRq : Show Memory` just before a `Mem-Info:` dump: the show_mem report's header line. */
  private lastTrigger: AssembledLine | null = null;

  /** Without `writers` the scanner builds Reports: leave it out only when T is Report (the cast is
   * where TypeScript cannot follow that). */
  constructor(writers?: WriterFactory<T>) {
    this.writers = writers ?? (buildReport as unknown as WriterFactory<T>);
    this.assembler = new LineAssembler((line) => this.onLine(line));
  }

  /** Feed the next physical line (without its terminator). Returns the reports it completed. */
  push(line: string): T[] {
    this.assembler.push(line);
    return this.drain();
  }

  /** End of input: returns the reports still open. */
  end(): T[] {
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
  skipLines(n: number): T[] {
    if (n <= 0) return [];
    this.assembler.skip(n);
    return this.drain();
  }

  get lineCount(): number {
    return this.assembler.physicalLines;
  }

  private drain(): T[] {
    if (this.completed.length === 0) return [];
    const done = this.completed.sort((a, b) => a.line - b.line);
    this.completed = [];
    return done.map((writer) => writer.finish());
  }

  private closeOpen(): void {
    if (!this.open) return;
    this.completed.push(this.open.writer);
    this.opens.delete(this.openKey);
    this.open = null;
  }

  private closeAll(): void {
    for (const [key, open] of this.opens) {
      open.writer.closedAtEnd();
      this.completed.push(open.writer);
      this.opens.delete(key);
    }
    this.open = null;
  }

  private closeSlub(): void {
    if (!this.slub) return;
    this.completed.push(this.slub.writer);
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
    const found = classifyLine(text);
    const kind = found?.kind ?? null;
    const previousKind = this.previousKind;
    this.previousKind = kind;

    switch (kind) {
      case 'page_alloc_header':
        if (this.open?.awaitingHeader) {
          this.open.writer.header(line, found!);
          this.open.awaitingHeader = false;
          return;
        }
        return this.openReport('page_alloc_failure', line, found);
      case 'alloc_stall_header':
        return this.openReport('alloc_stall', line, found);
      case 'vmalloc_header':
        return this.openReport('vmalloc_failure', line, found);
      case 'vmalloc_caller': {
        this.openReport('vmalloc_failure', line, found);
        this.open!.awaitingHeader = true;
        return;
      }
      case 'oom_header':
        return this.openReport('oom_kill', line, found);
      case 'slub_header':
        this.closeSlub();
        this.slub = this.startReport('slub_failure', line);
        this.slub.writer.header(line, found!);
        return;
      case 'suppressed': {
        const groups = found!.match.groups!;
        const count = readInt(groups.count, INT_COUNT);
        this.suppressions.push({
          line: line.line,
          count: count ?? 0,
          source: groups.source,
          unreadable:
            count === null
              ? {
                  line: line.line,
                  text: `${groups.source}: ${groups.count.slice(0, 24)}`,
                  expected: INT_COUNT.text,
                }
              : null,
        });
        this.pendingSuppressed += count ?? 0;
        return;
      }
      case 'slub_cache':
      case 'slub_node':
        if (this.slub) {
          this.slub.writer.slubLine(line, found!);
          this.slub.relatedAt = this.unrelatedLines;
          return;
        }
        break;
      case 'mem_info':
        if (!this.open || this.open.inDump || this.open.kind === 'slub_failure') {
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
    if (this.belongs(open, kind, text, found)) {
      open.writer.body(kind, line, found);
      this.related(open);
      if (open.kind === 'oom_kill' ? kind === 'oom_kill_line' : kind === 'ram' || kind === 'swap')
        open.ended = true;
    } else if (open.ended) {
      this.closeOpen();
    } else {
      this.countUnrelated();
    }
  }

  /** Whether a line is part of the open report's body (the report's writer then reads it). */
  private belongs(
    open: OpenReport<T>,
    kind: LineKind | null,
    text: string,
    found: ClassifiedLine | null,
  ): boolean {
    switch (kind) {
      case 'task': {
        if (open.pidKnown) return false;
        const groups = found!.match.groups!;
        open.pidKnown = readInt(groups.pid ?? groups.pid2, COUNT) !== null; // what the builder will store
        return true;
      }
      case 'process':
        open.pidKnown ||= readInt(found!.match.groups!.pid, COUNT) !== null;
        return true;
      case 'mem_info':
      case 'per_cpu_zone':
      case 'node':
      case 'buddy':
        open.inDump = true;
        return true;
      case 'zone':
        open.inDump = true;
        open.zones++;
        return true;
      case 'counters':
        // The summary follows `Mem-Info:`; a poster who cut that line still leaves `active_anon:` first.
        if (!open.inDump && /^\s*(?:active_anon|Active):\d/.test(text)) open.inDump = true;
        return open.inDump && open.zones === 0;
      case 'hardware':
      case 'cpuset':
      case 'trace_start':
      case 'register':
      case 'stack_words':
      case 'swap_cache':
      case 'oom_summary':
      case 'slab_info':
      case 'oom_table':
      case 'oom_misc':
      case 'free_pages_total':
      case 'context_marker':
      case 'per_cpu':
      case 'lowmem_reserve':
      case 'hugepages':
      case 'pagecache':
      case 'swap':
      case 'ram':
      case 'oom_kill_line':
        return true;
      default:
        // Before the dump, call-trace lines (the frames of every architecture).
        return !open.inDump && hasFrames(text);
    }
  }

  /** A line belonged to `open` (the report of the current caller): it moves to the end of `opens`. */
  private related(open: OpenReport<T>): void {
    open.relatedAt = this.unrelatedLines;
    if (this.lastRelated === open) return;
    this.opens.delete(this.openKey);
    this.opens.set(this.openKey, open);
    this.lastRelated = open;
  }

  /** Closes the reports that have now seen more than MAX_UNRELATED_LINES unrelated lines: the
   * first ones of `opens`, which is ordered by relatedAt. */
  private countUnrelated(): void {
    const now = ++this.unrelatedLines;
    for (const [key, open] of this.opens) {
      if (now - open.relatedAt <= MAX_UNRELATED_LINES) break;
      this.completed.push(open.writer);
      this.opens.delete(key);
      if (open === this.open) this.open = null;
    }
    if (this.slub && now - this.slub.relatedAt > MAX_UNRELATED_LINES) this.closeSlub();
  }

  /** A new report: it carries the count of reports the rate limiter dropped just before it. */
  private startReport(kind: ReportKind, line: AssembledLine): OpenReport<T> {
    const writer = this.writers(kind, line, this.pendingSuppressed);
    this.pendingSuppressed = 0;
    return {
      kind,
      writer,
      inDump: false,
      pidKnown: false,
      zones: 0,
      relatedAt: this.unrelatedLines,
      awaitingHeader: false,
      ended: false,
    };
  }

  private openReport(kind: ReportKind, line: AssembledLine, found: ClassifiedLine | null): void {
    this.closeOpen();
    const open = this.startReport(kind, line);
    this.open = open;
    this.opens.set(this.openKey, open);
    this.lastRelated = open;
    if (kind === 'show_mem') {
      open.inDump = true;
      open.writer.memInfo(line);
      return;
    }
    if (found) open.writer.header(line, found);
  }
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
    for (const r of done) reports.push(r);
    start = end + 1;
    if (end === text.length) break;
  }
  for (const r of scanner.end()) reports.push(r);
  reports.sort((a, b) => a.line - b.line);
  return {
    framing: scanner.framing,
    lineCount: scanner.lineCount,
    reports,
    suppressions: scanner.suppressions,
    kernelRelease: scanner.kernelRelease,
  };
}
