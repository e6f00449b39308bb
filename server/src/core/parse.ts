// Finds every memory report in a kernel log: one pass, streaming, total (any input gives a
// result). Formats come from formats.ts; this file decides which report each line belongs to, and
// report-builder.ts copies the numbers out of the lines it is given.

import type { CopyPlace, Framing, ParsedLog, Report, ReportKind, Suppression } from './model';
import { LineAssembler, readsAlone, type AssembledLine } from './lines';
import {
  COMM_PIECE,
  GLUED_CALLER_TEXT,
  LINE_FORMATS,
  classifyLine,
  nextPiece,
  printedHeader,
  type ClassifiedLine,
  type HeaderPiece,
  type HeaderShape,
  type LineFormat,
  type LineKind,
  type PrintedHeader,
} from './formats';
import { buildReport, hasFrames, type ReportWriter, type WriterFactory } from './report-builder';
import { COUNT, INT_COUNT, readInt } from './numbers';
import { REPORT_KINDS } from './kinds';
import { QP_LOOKBEHIND_LINES, QUOTED_PRINTABLE_ANCHORS } from './quoted-printable';
import { copyAt, copyDelta, RepeatRun, type CopyBlock, type ReportCopy } from './repeat-run';

/** A report stays open across this many unrelated lines (other CPUs, daemons) before it is closed. */
const MAX_UNRELATED_LINES = 64;
/** Reports completed after one still open wait for it (reports come out in header order); once
 * this many wait, the open one is closed, so a reader never holds an unbounded number back. */
const MAX_WAITING_REPORTS = 256;

/** A header's pr_cont piece (formats.ts HeaderPiece) is read into it only within this many physical
 * lines after the header's last piece, and only before the report's own body begins (its task,
 * cpuset or dump lines), which the kernel always prints after the last piece. The kernel gives no
 * number here: it bounds what other CPUs may print between two pr_cont calls of one function
 * (stack words, a frame, a watchdog line), so that a piece far away is not taken. */
const PIECE_WINDOW = 8;

/** What can open a report, said once. `opens`: a pattern a line that can open a report (or that
 * the scanner must see while idle) contains, tested on every kernel line while no report is open;
 * `anchor`: the byte string a reader that skips text searches for (REPORT_ANCHORS), found in that
 * line or, with `lookbehind`, within ANCHOR_LOOKBEHIND_LINES after it. */
export const REPORT_OPENERS: readonly { opens: string; anchor: string; lookbehind?: true }[] = [
  // page allocation failure/stalls, vmalloc (ref §2.1)
  { opens: 'alloc', anchor: 'alloc' },
  { opens: 'oom-killer', anchor: 'oom-killer' },
  { opens: 'Mem-[Ii]nfo', anchor: 'Mem-' },
  { opens: 'suppressed', anchor: 'suppressed' },
  // mm/slub.c slab_out_of_memory: `SLUB: Unable to allocate memory …`
  { opens: 'SLUB', anchor: 'alloc' },
  // `SysRq : Show Memory` comes right before the `Mem-Info:` line it heads
  { opens: 'Show Memory', anchor: 'Mem-', lookbehind: true },
  // the boot banner: a fallback release for reports without a task line
  { opens: 'Linux version', anchor: 'Linux version' },
];

// Cheap substring test before the full classification, for lines outside any report: only these
// can open one. Keeps the cost of ordinary log noise to one scan of the line.
export const OPENERS = new RegExp(REPORT_OPENERS.map((o) => o.opens).join('|'));

/** Byte strings at least one of which occurs in (or within 3 lines after) every line that can
 * open a report: REPORT_OPENERS' anchors, and ESC: the scanner reads a line without its terminal
 * escape sequences, and one may stand inside any of those words (`Mem\x1b[0m-Info:`). A reader
 * may skip whole stretches of text without any of them while the scanner is idle (see
 * `LogScanner.skipLines`), which is what makes the CLI scan at grep speed. */
export const REPORT_ANCHORS: readonly string[] = [...new Set(REPORT_OPENERS.map((o) => o.anchor)), '\x1b'];

/** What a reader that skips text searches for: REPORT_ANCHORS, and what can begin the decoding of
 * a quoted-printable mail body (QUOTED_PRINTABLE_ANCHORS; from then on the scanner is never idle
 * and every line is read, since a soft break may cut any word: `oom-kill=` | `er`). */
export const READER_ANCHORS: readonly string[] = [...REPORT_ANCHORS, ...QUOTED_PRINTABLE_ANCHORS];

/** How a TextScan reads, besides skipping and resuming. */
export interface TextScanOptions {
  /** Take repeated stretches as copies (LogScanner; off only to test that the reading is the same). */
  runs?: boolean;
  /** Leave the copies unmade, as blocks (ParsedLog.blocks): the editor's reading, whose features
   * make a copy's report only when they need it (a flood of 100,000 reports was mostly the making
   * and keeping of its copies, issue #17). */
  copyBlocks?: boolean;
  /** How the anchors are searched for (the reading is the same whichever finds them). */
  anchorSearch?: AnchorSearchFor;
  /** Write down where every line begins while reading (`lineStarts()`), for a caller that would
   * otherwise find them with a pass of its own (the language server's LineIndex). Only for a whole
   * text without `\r`. */
  lineStarts?: boolean;
}

/** Where the next READER_ANCHORS string begins in one text, at or after `from` (-1: none left):
 * what TextScan looks for to skip. Any implementation must find the first offset at which one of
 * them begins, as `regexAnchorSearch` does (the language server hands TextScan a faster one,
 * server/src/anchor-search.ts, which tests compare with this). */
export type AnchorSearch = (from: number) => number;

/** Builds the AnchorSearch of a text. */
export type AnchorSearchFor = (text: string) => AnchorSearch;

/** One regular expression over all the anchors: one pass over the text in all (an indexOf per
 * anchor made one pass per anchor). */
export function regexAnchorSearch(text: string): AnchorSearch {
  const search = new RegExp(READER_ANCHORS.map(escapeRegExp).join('|'), 'g');
  return (from) => {
    search.lastIndex = from;
    return search.exec(text)?.index ?? -1;
  };
}

/** A literal string as a regular expression that matches only it. */
function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Lines before an anchor that a reader must still feed: a header wrapped over several lines has
 * its first piece (`kworker/3:10: page`) before the line holding `allocation failure`, and a
 * quoted-printable body's decoding may begin up to QP_LOOKBEHIND_LINES before its first `=3D`. */
/** A `journalctl -o json` MESSAGE given as an array of byte values (text that is not valid UTF-8,
 * journal.ts): it hides its words from an anchor search, so a text holding one is read line by
 * line (TextScan), and an edit that may form one is read whole (incremental.ts). */
export const JOURNAL_BYTE_MESSAGE = /"MESSAGE"\s*:\s*\[/;

export const ANCHOR_LOOKBEHIND_LINES = Math.max(3, QP_LOOKBEHIND_LINES);

/** A line that is only `<comm>: ` (formats.ts COMM_PIECE) is read as the comm of a warn_alloc header
 * without one only when the header comes at most this many physical lines after it: the CLI's
 * reader feeds an idle scanner only ANCHOR_LOOKBEHIND_LINES lines before a line with an anchor, so
 * a longer window would read the CLI and the editor differently. */
const COMM_PIECE_WINDOW = ANCHOR_LOOKBEHIND_LINES;
/** Comm pieces kept waiting for their headers (the oldest goes first): one per CPU that printed
 * `%s: ` before the headers; more than this within COMM_PIECE_WINDOW lines is not a log. */
const COMM_PIECES_KEPT = 4;

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
  /** The header's comm (current->comm), which its cpuset and task lines print again. */
  comm: string | null;
  /** A line of the report's own body (not a frame another CPU may have printed) was read. */
  bodied: boolean;
  /** The header's shape, what it printed so far and the pr_cont piece it may still get (until
   * `pieceUntil`, a physical line): see PIECE_WINDOW. */
  shape: HeaderShape | undefined;
  printed: PrintedHeader | null;
  piece: HeaderPiece | null;
  pieceUntil: number;
  /** The last physical line of what the report read. */
  lastLine: number;
}

/** A report closed by another report's header before any line of its body: its body may still
 * come after that report (see LogScanner.resume). */
interface Dormant<T> {
  report: OpenReport<T>;
  /** The report whose header closed it: the body can only come while that one is open. */
  by: OpenReport<T>;
  key: string;
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
  /** The physical line of that banner (-1: none read). Not a line to move: a banner inside a
   * repeated stretch changes it from copy to copy, which keeps the stretch from being taken as
   * copies (repeat-run.ts), since copies are handed out with the release the run began with. */
  private releaseLine = -1;
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
  /** Reports completed and not yet handed out: those an open report begins before wait here. */
  private completed: ReportWriter<T>[] = [];
  /** How many of `completed` were waiting after the last settle (nothing new since: nothing to do). */
  private waiting = 0;
  /** Reports ready to be handed out, in header order. */
  private released: ReportWriter<T>[] = [];
  /** Last physical line of the newest report's header: a report never begins on it or before. */
  private lastHeaderEnd = -1;
  /** Last physical line a completed report read: a `Mem-Info:` on it begins no report (below). */
  private completedLastLine = -1;
  private pendingSuppressed = 0;
  private pendingSuppressedBy: string | null = null;
  private previousKind: LineKind | null = null;
  /** `SysRq : Show Memory` just before a `Mem-Info:` dump: the show_mem report's header line. */
  private lastTrigger: AssembledLine | null = null;
  /** A task line (with the cpuset line before it) that no report took, and the call trace after
   * it: dump_stack's lines of a report whose header was lost. A `Mem-Info:` right after them is
   * that report's dump (warn_alloc and dump_header print dump_stack, then show_mem), and the dump
   * reads them. Kept only while the scanner is not idle, so that a reader that skips text while
   * it is idle (skipLines) and one that does not read the same lines into it. */
  private orphan: { key: string; lines: { line: AssembledLine; found: ClassifiedLine | null }[] } | null =
    null;
  /** alloc_vmap_area's `vmap allocation for size … failed` line, for the vmalloc report after it. */
  private lastVmap: { line: AssembledLine; found: ClassifiedLine } | null = null;
  /** The report waiting for its body behind another report's (at most one). */
  private dormant: Dormant<T> | null = null;
  /** Lines that are only `<comm>: ` (COMM_PIECE), oldest first, with their caller key: the comms of
   * warn_alloc headers that may follow without one (see takeCommPiece). */
  private commPieces: { line: AssembledLine; comm: string; key: string }[] = [];

  /** Copies of a repeating stretch of lines taken without reading them (repeat-run.ts: a flood
   * costs a comparison per line). Only for Reports: the scan worker's recordings are not copied. */
  private readonly periods: RepeatRun<T> | null = null;
  /** Reports of a run that ended where nothing could hand them out (`carried()`): the next call does. */
  private runEnded: T[] = [];

  /** Without `writers` the scanner builds Reports: leave it out only when T is Report (the cast is
   * where TypeScript cannot follow that). `runs`: take repeated stretches as copies (off only to
   * test that the reading is the same). */
  constructor(
    writers?: WriterFactory<T>,
    runs = true,
    /** Leave the copies of runs unmade, as blocks (RepeatRun `blocks`: TextScan `copyBlocks`,
     * the CLI's `'stream'`). */
    blocks: boolean | 'stream' = false,
  ) {
    this.writers = writers ?? (buildReport as unknown as WriterFactory<T>);
    this.assembler = new LineAssembler(
      (line) => this.onLine(line),
      () => this.settle(),
    );
    if (writers === undefined && runs) {
      const periods = new RepeatRun<T>(
        {
          state: this,
          suppressions: this.suppressions,
          unrelatedLinesCount: () => this.unrelatedLines,
          banner: () => this.kernelRelease,
          framingCounts: () => this.assembler.framingCounts,
          addFramingCounts: (counts, times) => this.assembler.addFramingCounts(counts, times),
        },
        blocks,
      );
      this.assembler.ownStamp = (line, time, textFrom) => periods.note(line, time, textFrom);
      this.periods = periods;
    }
  }

  /** Feed the next physical line (without its `\n`; a lone `\r` inside ends a line too, see
   * LineAssembler.push). Returns the reports it completed, in header order. */
  push(line: string): T[] {
    const periods = this.periods;
    if (periods === null) {
      this.assembler.push(line);
      return this.drain();
    }
    if (periods.running) {
      if (periods.take(line)) return periods.takeCopies();
      const done = this.endRunOf(periods);
      for (const r of this.read(line, periods)) done.push(r);
      return done;
    }
    return this.afterRun(this.read(line, periods));
  }

  /** `done`, after what a run that ended outside a call left (`runEnded`). */
  private afterRun(done: T[]): T[] {
    if (this.runEnded.length === 0) return done;
    const all = [...this.runEnded, ...done];
    this.runEnded = [];
    return all;
  }

  private read(line: string, periods: RepeatRun<T>): T[] {
    periods.lineIn(line, this.idle);
    this.assembler.push(line);
    const done = this.drain();
    periods.handedOut(done);
    return done;
  }

  /** Copies of a repeated stretch are being taken (repeat-run.ts): a reader that holds the whole
   * text may hand the next lines over at once (`takeLines`). */
  get takingCopies(): boolean {
    return this.periods?.running ?? false;
  }

  /** While `takingCopies`: the next lines of the text from a line start, taken at once
   * (RepeatRun.takeLines: the arguments and the stops there), and the position after them; the
   * start when none was. The reports of the copies they finished wait in `copiesTaken()`. */
  takeLines(...take: Parameters<RepeatRun<T>['takeLines']>): number {
    return this.periods!.takeLines(...take);
  }

  /** The reports of the copies `takeLines` finished, in order (once). */
  copiesTaken(): T[] {
    return this.periods?.takeCopies() ?? [];
  }

  /** The copies taken so far, then the unfinished copy's lines read (or skipped) as usual. */
  private endRunOf(periods: RepeatRun<T>): T[] {
    // (takeCopies hands out its own list when empty: not to be added to)
    const done = [...periods.takeCopies()];
    for (const held of periods.end())
      for (const r of typeof held === 'string' ? this.read(held, periods) : this.skipUnread(held))
        done.push(r);
    return done;
  }

  /** Ends a run of copies being taken (repeat-run.ts), if one is: the reports it completed (the
   * copies, and those of the unfinished copy read again), none of them still open. */
  endRun(): T[] {
    return this.afterRun(this.periods?.running ? this.endRunOf(this.periods) : []);
  }

  /** End of input: returns the reports still open. */
  end(): T[] {
    const run = this.endRun();
    this.assembler.flush();
    this.closeAll();
    this.closeSlub();
    this.settle();
    const done = this.drain();
    return run.length === 0 ? done : [...run, ...done];
  }

  get framing(): Framing {
    return this.assembler.dominantFraming;
  }

  /** The lines read per framing so far. */
  get framingCounts(): ReadonlyMap<Framing, number> {
    return this.assembler.framingCounts;
  }

  /** Starts a fresh scanner where another reading was idle at a skipped stretch (TextScan's
   * `resume`, the CLI's scan taken over from its worker): lines are numbered from there, and the
   * banner release is carried in (core/report-window.ts says why nothing else need be). */
  resumeAt(resume: ScanResume): void {
    this.skipLines(resume.line);
    this.kernelRelease = resume.kernelRelease;
  }

  /** Physical line from which the text is read as a quoted-printable mail body, or null. */
  get quotedPrintableFrom(): number | null {
    return this.assembler.quotedPrintableFrom;
  }

  /** What the scanner carries into a stretch skipped from the next line, besides its line count
   * and `kernelRelease` (TextScan.skipStates; core/report-window.ts compares it where a new reading
   * joins an old one). A method, not a getter: while copies are taken (repeat-run.ts) it may end
   * the run, whose reports then go out with the next call. */
  carried(): Omit<SkipState, 'kernelRelease'> {
    const periods = this.periods;
    if (periods?.running) {
      const copied = periods.carriedNow();
      if (copied !== null) return copied;
      // the copy before skipped nothing here: the run ends (its reports go out with the next call)
      this.runEnded.push(...this.endRunOf(periods));
    }
    return {
      pendingSuppressed: this.pendingSuppressed,
      pendingSuppressedBy: this.pendingSuppressedBy,
      framings: this.assembler.framingCounts,
    };
  }

  /** No report is open: the next lines matter only if they contain a REPORT_ANCHORS string. (While
   * copies of a repeated stretch are taken, as before the same line of the copy before.) */
  get idle(): boolean {
    if (this.periods?.running) return this.periods.idleNow();
    if (this.opens.size > 0 || this.slub !== null || this.dormant !== null || this.assembler.readsEveryLine)
      return false;
    const pending = this.assembler.pendingText;
    return pending === null || !OPENERS.test(pending);
  }

  /** Counts `n` physical lines the reader skipped without feeding them (only while idle, and only
   * lines free of REPORT_ANCHORS): they end any wrapped line but open nothing. */
  skipLines(n: number): T[] {
    if (n <= 0) return [];
    const periods = this.periods;
    if (periods?.running) {
      if (periods.takeSkip(n)) return periods.takeCopies();
      return [...this.endRunOf(periods), ...this.skipUnread(n)];
    }
    return this.afterRun(this.skipUnread(n));
  }

  private skipUnread(n: number): T[] {
    this.periods?.skipIn(n, this.carried());
    this.orphan = null;
    this.assembler.skip(n);
    const done = this.drain();
    this.periods?.handedOut(done);
    return done;
  }

  get lineCount(): number {
    return this.assembler.physicalLines + (this.periods?.pendingLines ?? 0);
  }

  /** What a report this scanner handed out copies (repeat-run.ts), asked once per report; null
   * when it was read. */
  takeCopyOf(report: T): ReportCopy<T> | null {
    return this.periods?.takeCopyOf(report) ?? null;
  }

  /** The copies of runs left unmade (with `blocks`), in order. */
  copyBlocks(): readonly CopyBlock<T>[] {
    return this.periods?.takeBlocks() ?? [];
  }

  /** The copies left unmade since the last call (with `blocks` `'stream'`), as blocks in order:
   * their reports come before those of the next call's answer (RepeatRun.takeStreamed). */
  streamedCopies(): CopyBlock<T>[] | null {
    const out = this.periods?.takeStreamed();
    return out === undefined || out.length === 0 ? null : out;
  }

  /** Lines taken as copies of a repeated stretch rather than read (repeat-run.ts). */
  get copiedLines(): number {
    return this.periods?.copiedLines ?? 0;
  }

  private drain(): T[] {
    if (this.released.length === 0) return [];
    const done = this.released;
    this.released = [];
    return done.map((writer) => writer.finish());
  }

  /**
   * After each physical line: the completed reports that no open report begins before are ready,
   * in header order (a SLUB report inside a page allocation failure completes first but comes out
   * after it). Done per physical line, not per push, so that where the input was cut into pushes
   * (the CLI's lines, parseLog's `\n` pieces holding lone `\r`s) changes nothing.
   */
  private settle(): void {
    if (this.completed.length === this.waiting) return;
    let first = Math.min(this.slub?.writer.line ?? Infinity, this.dormant?.report.writer.line ?? Infinity);
    for (const open of this.opens.values()) if (open.writer.line < first) first = open.writer.line;
    const done = this.completed.sort((a, b) => a.line - b.line);
    let ready = 0;
    while (ready < done.length && done[ready].line < first) this.released.push(done[ready++]);
    if (ready > 0) done.splice(0, ready);
    this.waiting = done.length;
    if (done.length > MAX_WAITING_REPORTS) {
      this.closeFirstOpen();
      this.settle();
    }
  }

  /** Closes the open report that began first (the one the completed reports wait for). */
  private closeFirstOpen(): void {
    if (this.dormant !== null) {
      this.wake();
      return;
    }
    let firstKey: string | null = null;
    let first = this.slub?.writer.line ?? Infinity;
    for (const [key, open] of this.opens)
      if (open.writer.line < first) {
        first = open.writer.line;
        firstKey = key;
      }
    if (firstKey === null) {
      this.closeSlub();
      return;
    }
    this.complete(this.opens.get(firstKey)!);
    this.opens.delete(firstKey);
    if (firstKey === this.openKey) this.open = null;
  }

  /** A report is complete; a report waiting behind it (Dormant) is then complete too. */
  private complete(open: OpenReport<T>): void {
    this.completed.push(open.writer);
    // (only compared by identity, with reports of `opens`: a closed one is not held on to)
    if (this.lastRelated === open) this.lastRelated = null;
    this.completedLastLine = Math.max(this.completedLastLine, open.lastLine);
    if (this.dormant?.by === open) this.wake();
  }

  /** The dormant report's body did not come: it is complete as it is. */
  private wake(): void {
    if (this.dormant === null) return;
    this.completed.push(this.dormant.report.writer);
    this.dormant = null;
  }

  private closeOpen(): void {
    if (!this.open) return;
    this.complete(this.open);
    this.opens.delete(this.openKey);
    this.open = null;
  }

  private closeAll(): void {
    for (const [key, open] of this.opens) {
      open.writer.closedAtEnd();
      this.complete(open);
      this.opens.delete(key);
    }
    this.open = null;
    this.wake();
  }

  private closeSlub(): void {
    if (!this.slub) return;
    this.completed.push(this.slub.writer);
    this.slub = null;
  }

  private onLine(line: AssembledLine): void {
    // lines come in order: once past, the last line a completed report read concerns no later one
    // (a reading that runs for days keeps no old line, and runs of copies see the same state)
    if (line.line > this.completedLastLine) this.completedLastLine = -1;
    // what this line may continue; any line but the next piece of it ends it
    const orphan = this.orphan === null || this.idle ? null : this.orphan;
    this.orphan = null;
    if (!line.isKernel) {
      this.countUnrelated();
      return;
    }
    const text = line.text;
    if (this.splitGlued(line)) return;
    this.openKey = line.caller ?? '';
    this.open = this.opens.get(this.openKey) ?? null;
    this.noteCommPiece(line);
    if (!this.open && !this.slub && !OPENERS.test(text)) return;
    const found = classifyLine(text);
    const kind = found?.kind ?? null;
    const previousKind = this.previousKind;
    this.previousKind = kind;

    if (this.dormant !== null && (kind === 'cpuset' || kind === 'task')) this.resume(line, found!);

    switch (kind) {
      case 'header_piece': {
        const open = this.open;
        if (
          open !== null &&
          open.piece === LINE_FORMATS[found!.format].piece &&
          line.line <= open.pieceUntil
        ) {
          open.writer.header(line, found!);
          open.printed = printedHeader(found!.match, text, open.shape, open.printed);
          open.piece = nextPiece(open.shape?.pieces ?? null, open.printed);
          open.pieceUntil = line.endLine + PIECE_WINDOW;
          this.related(open);
          return;
        }
        if (this.takePieceDormant(line, found!)) return;
        break;
      }
      case 'page_alloc_header':
        if (this.open?.awaitingHeader) {
          this.open.writer.header(line, found!);
          this.open.awaitingHeader = false;
          return;
        }
        this.openReport('page_alloc_failure', line, found);
        return;
      case 'alloc_stall_header':
        this.openReport('alloc_stall', line, found);
        return;
      case 'vmalloc_header':
        if (this.openReport('vmalloc_failure', line, found)) this.vmapBefore(line);
        return;
      case 'vmalloc_caller': {
        if (this.openReport('vmalloc_failure', line, found)) {
          this.open!.awaitingHeader = true;
          this.vmapBefore(line);
        }
        return;
      }
      case 'vmap_failed':
        this.lastVmap = { line, found: found! };
        return;
      case 'oom_header':
        this.openReport('oom_kill', line, found);
        return;
      case 'slub_header':
        if (line.line <= this.lastHeaderEnd) return;
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
        this.pendingSuppressedBy = groups.source;
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
        // show_mem prints `Mem-Info:` at the start of its own line: a second one on a physical line
        // the open report already read (a reflow joined two dumps) cannot begin a report there,
        // since reports never share a line; the open report reads on. (Nor on one a report read
        // before it closed: fuzz seed 20260410, a reflow that left 60 records on one line.)
        if ((this.open && line.line <= this.open.lastLine) || line.line <= this.completedLastLine) break;
        if (!this.open || this.open.inDump || this.open.kind === 'slub_failure') {
          // __handle_sysrq prints `SysRq : Show Memory` right before show_mem's `Mem-Info:`; other
          // CPUs' lines may come between, but a trigger further back than the lines a skipping
          // reader feeds before an anchor (ANCHOR_LOOKBEHIND_LINES) is not taken as the header: the
          // CLI and the editor then read the same report.
          const trigger = this.lastTrigger;
          const header =
            previousKind === 'show_mem_trigger' &&
            trigger !== null &&
            line.line - trigger.endLine <= ANCHOR_LOOKBEHIND_LINES
              ? trigger
              : null;
          const preamble = header === null && orphan !== null && orphan.key === this.openKey ? orphan : null;
          // The dump begins at its preamble (its header was lost): the lines are its own.
          if (this.openReport('show_mem', header ?? preamble?.lines[0].line ?? line, null) && preamble) {
            const open = this.open!;
            for (const o of preamble.lines) {
              open.writer.body(o.found?.kind ?? null, o.line, o.found);
              if (o.found !== null && LINE_FORMATS[o.found.format].tracks === 'task') open.pidKnown = true;
            }
            open.writer.memInfo(line);
          }
        }
        break;
      case 'show_mem_trigger':
        this.lastTrigger = line;
        return;
      default:
        if (!this.open && /^\s*Linux version (\S+)/.test(text)) {
          this.kernelRelease = /Linux version (\S+)/.exec(text)![1];
          this.releaseLine = line.line;
        }
    }

    const open = this.open;
    if (!open) return;
    const format = found === null ? null : LINE_FORMATS[found.format];
    if (this.belongs(open, format, text, found)) {
      open.writer.body(kind, line, found);
      open.lastLine = line.endLine;
      this.related(open);
      if (
        format !== null &&
        format.section !== 'trace' &&
        format.section !== 'header' &&
        format.section !== 'piece'
      ) {
        // the report's own body began: no piece of its header comes after it
        open.bodied = true;
        open.piece = null;
      }
      if (format?.ends !== undefined && format.ends === REPORT_KINDS[open.kind].endsOn) open.ended = true;
    } else {
      this.orphan = this.orphanLine(orphan, line, found, format);
      if (open.ended) this.closeOpen();
      else this.countUnrelated();
    }
  }

  /** The orphan preamble (see `orphan`) with this line, which no report took: a cpuset or task
   * line after the open report's dump begins one (the task line after its cpuset line), a call-trace
   * line continues one; anything else ends it. At most MAX_UNRELATED_LINES lines. */
  private orphanLine(
    orphan: LogScanner<T>['orphan'],
    line: AssembledLine,
    found: ClassifiedLine | null,
    format: LineFormat | null,
  ): LogScanner<T>['orphan'] {
    const entry = { line, found };
    const kind = found?.kind ?? null;
    if (kind === 'cpuset') return { key: this.openKey, lines: [entry] };
    if (kind === 'task') {
      const afterCpuset =
        orphan !== null && orphan.lines.length === 1 && orphan.lines[0].found?.kind === 'cpuset';
      return { key: this.openKey, lines: afterCpuset ? [...orphan.lines, entry] : [entry] };
    }
    if (orphan === null || orphan.key !== this.openKey || orphan.lines.length >= MAX_UNRELATED_LINES)
      return null;
    const frames =
      kind === 'trace_start' ||
      kind === 'context_marker' ||
      ((format === null ||
        format.section === 'header' ||
        format.section === 'piece' ||
        format.section === 'slub') &&
        hasFrames(line.text));
    return frames ? { key: orphan.key, lines: [...orphan.lines, entry] } : null;
  }

  /**
   * Two comm-less warn_alloc caller texts glued on one line (formats.ts GLUED_CALLER_TEXT) are read
   * as two lines at the same place: the first text, then the rest with the first blanked out (so
   * every column stays where it is printed). Each is then the header of its own comm piece, paired in
   * printk order (takeCommPiece).
   */
  private splitGlued(line: AssembledLine): boolean {
    const text = line.text;
    const first = text.indexOf('allocation');
    if (first < 0 || text.indexOf('allocation', first + 1) < 0) return false;
    const glued = GLUED_CALLER_TEXT.exec(text);
    if (glued === null) return false;
    const cut = glued[0].length;
    this.onLine({ ...line, text: text.slice(0, cut) });
    const rest = ' '.repeat(cut) + text.slice(cut);
    // The last header may be followed by the first one's `, mode:` piece, when that piece (printed
    // later, as a record of its own) was joined to this line as its wrapped rest: read it after the
    // header, as the piece it is. (A third glued text is split again by onLine.)
    const found = GLUED_CALLER_TEXT.test(rest) ? null : classifyLine(rest);
    if (found !== null && LINE_FORMATS[found.format].header !== undefined) {
      const end = found.match.index + found.match[0].length;
      const piece = ' '.repeat(end) + rest.slice(end);
      if (end < rest.length && classifyLine(piece)?.kind === 'header_piece') {
        this.onLine({ ...line, text: rest.slice(0, end) });
        this.onLine({ ...line, text: piece });
        return true;
      }
    }
    this.onLine({ ...line, text: rest });
    return true;
  }

  /** Keeps a line that is only `<comm>: ` (COMM_PIECE) and that no row reads, for takeCommPiece. */
  private noteCommPiece(line: AssembledLine): void {
    const text = line.text;
    let end = text.length;
    while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
    if (end === 0 || text.charCodeAt(end - 1) !== 58 || end > 64) return;
    const m = COMM_PIECE.exec(text);
    if (m === null || classifyLine(text) !== null) return;
    this.commPieces.push({ line, comm: m.groups!.comm, key: this.openKey });
    if (this.commPieces.length > COMM_PIECES_KEPT) this.commPieces.shift();
  }

  /**
   * The comm piece of a warn_alloc header that printed no comm (4.9–4.14 print it with a pr_warn of
   * its own, formats.ts COMM_PIECE): the oldest one of the same caller within COMM_PIECE_WINDOW lines
   * before the header and after the newest report's header. Several CPUs' pieces are paired with
   * their headers in the order printk printed them (first comm, first caller text): the log does
   * not say otherwise. That pairing is a choice where the CPUs printed the same values, as in every
   * real log seen; when they did not it may swap two headers' comms, which the printk order makes
   * the likelier reading. The pieces before the one taken are not taken later.
   */
  private takeCommPiece(
    line: AssembledLine,
    found: ClassifiedLine,
  ): { line: AssembledLine; comm: string } | null {
    if (LINE_FORMATS[found.format].header?.pieces !== 'warn_alloc' || found.match.groups?.comm) return null;
    const pieces = this.commPieces;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (
        piece.key !== this.openKey ||
        piece.line.line <= this.lastHeaderEnd ||
        piece.line.line >= line.line ||
        line.line - piece.line.line > COMM_PIECE_WINDOW
      )
        continue;
      pieces.splice(0, i + 1);
      return piece;
    }
    return null;
  }

  /** A pr_cont piece that the open report does not lack goes to the report it put to sleep
   * (Dormant), if that one waits for it: two headers of two CPUs glued on one line, the second
   * complete, and the first one's `, mode:` piece on the next line. When the open report lacks the
   * same piece, the piece could be either's: neither gets it (as in openReport). */
  private takePieceDormant(line: AssembledLine, found: ClassifiedLine): boolean {
    const dormant = this.dormant;
    const piece = LINE_FORMATS[found.format].piece;
    if (dormant === null || dormant.key !== this.openKey) return false;
    const report = dormant.report;
    if (report.piece !== piece || line.line > report.pieceUntil) return false;
    const open = this.open;
    if (
      open !== null &&
      open.printed !== null &&
      nextPiece(open.shape?.pieces ?? null, open.printed) === piece
    )
      return false;
    report.writer.header(line, found);
    report.printed = printedHeader(found.match, line.text, report.shape, report.printed);
    report.piece = nextPiece(report.shape?.pieces ?? null, report.printed);
    report.pieceUntil = line.endLine + PIECE_WINDOW;
    return true;
  }

  /** Whether a line is part of the open report's body (the report's writer then reads it): a line
   * of any body section (see Section), with the scanner state its row `tracks`; a line of no
   * format only before the dump, and only with call-trace frames (those of every architecture). */
  private belongs(
    open: OpenReport<T>,
    format: LineFormat | null,
    text: string,
    found: ClassifiedLine | null,
  ): boolean {
    if (
      format === null ||
      format.section === 'header' ||
      format.section === 'piece' ||
      format.section === 'slub'
    )
      return !open.inDump && hasFrames(text);
    // warn_alloc and dump_header print the cpuset line and dump_stack's task line before the memory
    // dump (mm/page_alloc.c warn_alloc 2.6.3x–6.19: dump_stack() then show_mem; mm/oom_kill.c
    // dump_header the same): one after the report's dump began is another report's, whose header
    // was lost (extra/044: kswapd0's lines after the Binder report's Mem-Info). So is its `Call trace:`.
    if (
      open.inDump &&
      (format.tracks === 'task' ||
        format.tracks === 'process' ||
        format.kind === 'cpuset' ||
        format.kind === 'trace_start')
    )
      return false;
    switch (format.tracks) {
      case 'task': {
        if (open.pidKnown) return false;
        const groups = found!.match.groups!;
        open.pidKnown = readInt(groups.pid ?? groups.pid2, COUNT) !== null; // what the builder will store
        return true;
      }
      case 'process':
        open.pidKnown ||= readInt(found!.match.groups!.pid, COUNT) !== null;
        return true;
      case 'dump':
        open.inDump = true;
        return true;
      case 'zone':
        open.inDump = true;
        open.zones++;
        return true;
      case 'summary':
        // The summary follows `Mem-Info:`; a poster who cut that line still leaves `active_anon:` first.
        if (!open.inDump && /^\s*(?:active_anon|Active):\d/.test(text)) open.inDump = true;
        return open.inDump && open.zones === 0;
      default:
        return true;
    }
  }

  /**
   * The body of a report whose header another report's header interrupted (no caller ids to tell
   * the CPUs apart): warn_alloc and dump_header print the header, then (4.11–4.20) the cpuset line
   * `%s cpuset=… mems_allowed=…` and dump_stack's task line `CPU: %d PID: %d Comm: %s`, each naming
   * current->comm (K411 K414 mm/page_alloc.c warn_alloc, mm/oom_kill.c dump_header, kernel/cgroup/cpuset.c
   * cpuset_print_current_mems_allowed, lib/dump_stack.c). So a cpuset or task line that names the
   * dormant header's comm, after the interrupting report printed its last line (`ended`) and its
   * own task line, begins the dormant report's body: the interrupting report closes and the
   * dormant one reads on (its span stays its header's line; the lines it reads after are its own).
   * The same holds when the interrupting header has read nothing of its body yet (two CPUs' 4.9
   * headers in a row, then `CPU: 8 PID: 0 Comm: swapper/8` of the first, K49 mm/page_alloc.c
   * warn_alloc → dump_stack): the two swap, and the interrupting one waits for its body in turn.
   */
  private resume(line: AssembledLine, found: ClassifiedLine): void {
    const dormant = this.dormant!;
    const open = this.open;
    if (open !== dormant.by || this.openKey !== dormant.key) return;
    const swap =
      !open.bodied && !open.pidKnown && !open.ended && open.comm !== null && open.shape !== undefined;
    if (!swap && (!open.ended || !open.pidKnown)) return;
    const g = found.match.groups!;
    const comm = (g.comm ?? g.comm2)?.trim();
    if (!comm || comm !== dormant.report.comm || comm === open.comm) return;
    this.dormant = null; // taken out first: closing `open` must not complete it
    if (swap) this.open = null;
    else this.closeOpen();
    const resumed = dormant.report;
    if (swap) this.dormant = { report: open, by: resumed, key: this.openKey };
    this.open = resumed;
    this.opens.set(this.openKey, resumed);
    this.lastRelated = resumed;
    resumed.relatedAt = this.unrelatedLines;
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
      this.complete(open);
      this.opens.delete(key);
      if (open === this.open) this.open = null;
    }
    if (this.slub && now - this.slub.relatedAt > MAX_UNRELATED_LINES) this.closeSlub();
  }

  /**
   * A new report: it carries the count of reports the rate limiter dropped just before it. Every
   * report still open (another CPU's, a SLUB report's) ends its span before this header's line, so
   * reports never share a line: each line of the document belongs to one report at most (the
   * earlier one keeps reading its lines after, but they are outside its span).
   */
  private startReport(kind: ReportKind, line: AssembledLine): OpenReport<T> {
    for (const open of this.opens.values()) open.writer.endBefore(line.line);
    this.slub?.writer.endBefore(line.line);
    this.dormant?.report.writer.endBefore(line.line);
    // (those that waited since an earlier physical line end before it already)
    for (let i = this.waiting; i < this.completed.length; i++) this.completed[i].endBefore(line.line);
    this.lastHeaderEnd = line.endLine;
    const writer = this.writers(kind, line, { count: this.pendingSuppressed, by: this.pendingSuppressedBy });
    this.pendingSuppressed = 0;
    this.pendingSuppressedBy = null;
    return {
      kind,
      writer,
      inDump: false,
      pidKnown: false,
      zones: 0,
      relatedAt: this.unrelatedLines,
      awaitingHeader: false,
      ended: false,
      comm: null,
      bodied: false,
      shape: undefined,
      printed: null,
      piece: null,
      pieceUntil: -1,
      lastLine: line.endLine,
    };
  }

  /** Opens a report at `line`; false (and nothing changes) when the line is part of the newest
   * report's header, as two records reflowed onto one line can be: reports never share a line. */
  /** The vmalloc report just opened at `header` is told of alloc_vmap_area's line when it came
   * right before it (mm/vmalloc.c prints it, then __vmalloc_node_range's warn_alloc): within the
   * lines a skipping reader feeds before an anchor (ANCHOR_LOOKBEHIND_LINES), so that the CLI and
   * the editor read the same report. */
  private vmapBefore(header: AssembledLine): void {
    const vmap = this.lastVmap;
    this.lastVmap = null;
    if (vmap === null || this.open === null || header.line - vmap.line.endLine > ANCHOR_LOOKBEHIND_LINES)
      return;
    this.open.writer.before(vmap.line, vmap.found);
  }

  private openReport(kind: ReportKind, line: AssembledLine, found: ClassifiedLine | null): boolean {
    if (line.line <= this.lastHeaderEnd) return false;
    // a header without its comm begins on the line of its comm piece, when there is one
    const commPiece = found === null ? null : this.takeCommPiece(line, found);
    const start = commPiece?.line ?? line;
    const before = this.open;
    // a piece two open headers both wait for could be either's: neither gets it
    const contested = before !== null && before.piece !== null && line.line <= before.pieceUntil;
    // closed before its body began: the body may come after this report (resume)
    const sleeps = before !== null && !before.bodied && before.comm !== null && before.shape !== undefined;
    if (sleeps) {
      this.opens.delete(this.openKey);
      this.open = null;
      this.wake(); // one dormant report at most
      before.writer.endBefore(start.line);
    } else {
      this.closeOpen();
    }
    const open = this.startReport(kind, start);
    this.open = open;
    this.opens.set(this.openKey, open);
    this.lastRelated = open;
    if (sleeps) this.dormant = { report: before, by: open, key: this.openKey };
    if (kind === 'show_mem') {
      open.inDump = true;
      open.writer.memInfo(line);
      return true;
    }
    if (found) {
      if (commPiece !== null) {
        open.writer.commPiece(commPiece.line);
        open.lastLine = line.endLine;
      }
      open.writer.header(line, found);
      const shape = LINE_FORMATS[found.format].header;
      if (shape !== undefined) {
        open.shape = shape;
        open.comm = found.match.groups?.comm?.trim() || commPiece?.comm || null;
        open.printed = printedHeader(found.match, line.text, shape, null);
        open.piece = contested ? null : nextPiece(shape.pieces, open.printed);
        open.pieceUntil = line.endLine + PIECE_WINDOW;
      }
    }
    return true;
  }
}

/** What a scanner carried into a skipped stretch (TextScan.skipStates): the banner release seen so
 * far, the rate limiter's count waiting for the next report, and the lines read of each framing. */
export interface SkipState {
  kernelRelease: string | null;
  pendingSuppressed: number;
  pendingSuppressedBy: string | null;
  framings: ReadonlyMap<Framing, number>;
}

/** The first index in a sorted-by-line list whose line is at or after `line`. */
export function firstAtOrAfter<T>(items: readonly T[], line: number, lineOf: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lineOf(items[mid]) < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const headerLineOf = (r: Report): number => r.line;

/** Where a TextScan of a part of a text begins: its first physical line is line `line` of the
 * whole, read by a scanner idle there with this banner release (core/report-window.ts). */
export interface ScanResume {
  line: number;
  kernelRelease: string | null;
}

/**
 * A whole document read in steps: `run` reads lines until the text ends or `pause()` says to yield
 * (asked every PAUSE_CHECK_LINES lines), so a caller can interleave other work or stop at a time
 * budget; `finish` closes what is open and returns what was read. parseLog is one uninterrupted run.
 */
export class TextScan {
  private readonly scanner: LogScanner;
  private readonly reports: Report[] = [];
  /** Beside `reports`, by index: the banner release when each completed, and what it copies. */
  private readonly banners: (string | null)[] = [];
  private readonly copies: (ReportCopy<Report> | null)[] = [];
  private anyCopy = false;
  private start = 0;
  /** The first `\n` (else the text's length) and `\r` (else Infinity) at or after `start`. */
  private nextLf = -1;
  private nextCr: number;
  private ended = false;
  /** With `lineStarts`: the offset of every line's first character found so far (`startCount` of
   * them), and what lines taken as copies at once tell of their `\n`s. */
  private starts: Int32Array | null = null;
  private startCount = 0;
  private lineEnded: ((at: number) => void) | null = null;
  /** With finish(true): the header line of the first report left out, null when none was. */
  cutFrom: number | null = null;
  /** The stretches passed over unread while the scanner was idle, in order: [first line, lines]
   * pairs, the last one's count -1 when it ran to the end of the text (core/incremental.ts: an
   * edit inside one, far enough from the anchor after it, changes no report). */
  readonly skipped: number[] = [];
  /** What the scanner carried into each of `skipped`'s stretches, in the same order, and once the
   * text is read (`finish`), what it held at the end. */
  readonly skipStates: SkipState[] = [];

  /** The next reader anchor at or after the last position searched from (-1: none left). */
  private anchorAt = -2;
  private readonly findAnchor: AnchorSearch;
  /** No skipping is asked for before this offset (skipAhead found its anchor too close). */
  private skipFrom = 0;

  /**
   * `skip`: pass over anchor-free stretches while no report is open, as the CLI's reader does
   * (cli/feeder.ts process: the lookbehind, then back to a line read alone), counting their lines
   * (LogScanner.skipLines) rather than reading each through framing. The reading is the same
   * (test/core/text-scan-skip.test.ts); off only to test exactly that.
   */
  constructor(
    private readonly text: string,
    private skip = true,
    /** `text` is the part of a text from a line where a reading of the whole was idle (a skipped
     * stretch began there): lines are numbered from it, and the banner release is carried in. */
    resume?: ScanResume,
    {
      runs = true,
      copyBlocks = false,
      anchorSearch = regexAnchorSearch,
      lineStarts = false,
    }: TextScanOptions = {},
  ) {
    this.scanner = new LogScanner(undefined, runs, copyBlocks);
    // A journal export whose MESSAGE is an array of byte values (`journalctl -o json` for text
    // that is not valid UTF-8, journal.ts) hides its words from an anchor search: such a text is
    // read line by line.
    if (skip && JOURNAL_BYTE_MESSAGE.test(text)) this.skip = false;
    // (a reading that never skips never searches)
    this.findAnchor = this.skip ? anchorSearch(text) : () => -1;
    if (resume) this.scanner.resumeAt(resume);
    // the text's first `\r`, searched once for all three who ask (a text without one is passed
    // whole each time an `indexOf` looks for one)
    const firstCr = text.indexOf('\r');
    this.nextCr = firstCr < 0 ? Infinity : firstCr;
    this.crAt = firstCr;
    if (lineStarts && resume === undefined && firstCr < 0) {
      this.starts = new Int32Array(1024);
      this.startCount = 1; // the first line's, 0
      this.lineEnded = (at) => this.lineStartsAt(at + 1);
    }
  }

  /** With `lineStarts`, once the whole text is read: the offset of every line's first character
   * (the first 0; after each `\n`, the text's end included), else null. */
  lineStarts(): Int32Array | null {
    return this.ended && this.starts !== null ? this.starts.subarray(0, this.startCount) : null;
  }

  /** A line begins at `at` (the character after a `\n`), in order. */
  private lineStartsAt(at: number): void {
    let starts = this.starts!;
    if (this.startCount === starts.length) {
      starts = new Int32Array(starts.length * 2);
      starts.set(this.starts!);
      this.starts = starts;
    }
    starts[this.startCount++] = at;
  }

  /** All of the text was read. */
  get done(): boolean {
    return this.ended;
  }

  /** Physical lines read so far. */
  get linesRead(): number {
    return this.scanner.lineCount;
  }

  /** Of those, lines taken as copies of a repeated stretch (LogScanner.copiedLines). */
  get copiedLines(): number {
    return this.scanner.copiedLines;
  }

  /** Reads on until the end of the text (true) or until `pause()` returns true (false). Lines end
   * at `\n`, `\r\n` or a lone `\r` (a capture with lone `\r`s only still pauses between lines). */
  run(pause: () => boolean): boolean {
    const text = this.text;
    let sinceCheck = 0;
    while (!this.ended) {
      if (++sinceCheck === PAUSE_CHECK_LINES) {
        sinceCheck = 0;
        if (pause()) return false;
      }
      if (this.skip && this.start >= this.skipFrom && this.scanner.idle && this.skipAhead()) continue;
      const start = this.start;
      // each search runs once per terminator found: text with only lone `\r`s (or no `\r`) must not
      // make every line search to the end of the text
      if (this.nextLf < start) {
        const lf = text.indexOf('\n', start);
        this.nextLf = lf < 0 ? text.length : lf;
      }
      if (this.nextCr < start) {
        const cr = text.indexOf('\r', start);
        this.nextCr = cr < 0 ? Infinity : cr;
      }
      if (this.scanner.takingCopies) {
        // the next lines of a repeated stretch's copies taken at once, as many as would be read
        // one by one before `pause` is asked again, each counted (the same reading as line by
        // line: test/core/repeat-run.test.ts)
        const before = this.scanner.lineCount;
        const limit = this.nextCr;
        const taken = this.scanner.takeLines(
          text,
          start,
          limit,
          PAUSE_CHECK_LINES - sinceCheck,
          this.lineEnded,
        );
        if (taken !== start) {
          for (const r of this.scanner.copiesTaken()) this.add(r);
          this.start = taken;
          sinceCheck += this.scanner.lineCount - before - 1;
          continue;
        }
      }
      let end = this.nextLf;
      // A `\r` right before the `\n` goes with the line (the scanner drops it); any other ends it.
      const cr = this.nextCr;
      if (cr < end && (cr < end - 1 || end === text.length)) end = cr;
      const done = this.scanner.push(text.slice(start, end));
      if (done.length) for (const r of done) this.add(r);
      if (this.starts !== null && end < text.length) this.lineStartsAt(end + 1);
      this.start = end + 1;
      if (this.start > text.length) this.ended = true;
    }
    return true;
  }

  /**
   * Closes the reports still open at the end of the text. `cutOpen`: the reading stops before the
   * end, so the reports still open are incomplete by our doing, not the kernel's: they are left
   * out, and `cutFrom` tells the first line left out.
   */
  finish(cutOpen = false): ParsedLog {
    // a run's reports are complete: only those still open after it may be left out
    for (const r of this.scanner.endRun()) this.add(r);
    for (const r of this.scanner.end())
      if (!cutOpen) this.add(r);
      else this.cutFrom = Math.min(this.cutFrom ?? r.line, r.line);
    const { reports, banners, copies } = this;
    this.sortByLine();
    this.skipStates.push({ kernelRelease: this.scanner.kernelRelease, ...this.scanner.carried() });
    const blocks = this.placeBlocks();
    return {
      framing: this.scanner.framing,
      lineCount: this.scanner.lineCount,
      reports,
      suppressions: this.scanner.suppressions,
      kernelRelease: this.scanner.kernelRelease,
      banners,
      ...(this.anyCopy ? { copies } : {}),
      ...(blocks.length > 0 ? { blocks } : {}),
      ...(this.scanner.quotedPrintableFrom === null
        ? {}
        : { quotedPrintableFrom: this.scanner.quotedPrintableFrom }),
    };
  }

  /** Reports are handed out as they complete: one that began earlier may come later. Sorted by
   * header line, their banners and copies with them. */
  private sortByLine(): void {
    const { reports, banners, copies } = this;
    if (reports.every((r, i) => i === 0 || reports[i - 1].line <= r.line)) return;
    const order = reports.map((_, i) => i).sort((i, j) => reports[i].line - reports[j].line);
    const [r, b, c] = [reports.slice(), banners.slice(), copies.slice()];
    order.forEach((from, to) => {
      reports[to] = r[from];
      banners[to] = b[from];
      copies[to] = c[from];
    });
  }

  /**
   * Where each copy block's reports stand among the reports read (sorted by line): after
   * `reports[at - 1]`, in copy order. A block whose copies would not stand together in line
   * order (a copy's reports spread over more than its period, or a report read among them) is
   * made here instead, its copies added as reports (then sorted again).
   */
  private placeBlocks(): CopyPlace[] {
    const scanned = this.scanner.copyBlocks();
    if (scanned.length === 0) return [];
    const { reports } = this;
    const places: CopyPlace[] = [];
    let made = false;
    for (const block of scanned) {
      if (block.count === 0) continue;
      const { out, period } = block;
      const first = out[0].line + copyDelta(block, 0);
      const last = out[out.length - 1].line + copyDelta(block, block.count - 1);
      const ordered =
        out.every((r, i) => i === 0 || out[i - 1].line < r.line) &&
        out[out.length - 1].line - out[0].line < period;
      const at = firstAtOrAfter(reports, first, headerLineOf);
      if (ordered && (at === reports.length || reports[at].line > last)) {
        places.push({ at, block, from: 0, reports: block.count * out.length });
        continue;
      }
      made = true;
      for (let c = 0; c < block.count; c++)
        copyAt(block, c).forEach((r, j) => {
          reports.push(r);
          this.banners.push(block.banner);
          this.copies.push({ of: out[j], lines: copyDelta(block, c) });
          this.anyCopy = true;
        });
    }
    if (made) {
      this.sortByLine();
      // the places were found before: find them again among the reports made
      for (const p of places)
        p.at = firstAtOrAfter(reports, p.block.out[0].line + copyDelta(p.block, 0), headerLineOf);
    }
    return places;
  }

  private add(r: Report): void {
    this.reports.push(r);
    this.banners.push(this.scanner.kernelRelease);
    const copy = this.scanner.takeCopyOf(r);
    this.copies.push(copy);
    if (copy !== null) this.anyCopy = true;
  }

  /**
   * The scanner is idle at `start` (a line start): skips to where reading must resume — the
   * lookbehind before the next anchor's line, then back to a line read alone (readsAlone, at most
   * READING_START_MAX_LINES back) — or to the end when no anchor is left. The same rule as the
   * CLI's reader (cli/feeder.ts `process`, `readingStart`), on a string. True when it skipped.
   */
  private skipAhead(): boolean {
    const text = this.text;
    const pos = this.start;
    if (this.anchorAt !== -1 && this.anchorAt < pos) this.anchorAt = this.findAnchor(pos);
    const anchor = this.anchorAt;
    if (anchor < 0) {
      // no anchor left: every line to the end is counted, the last (even empty) one included
      this.skipLines(this.terminators(pos, text.length) + 1);
      this.skipped[this.skipped.length - 1] = -1;
      this.start = text.length + 1;
      this.ended = true;
      return true;
    }
    const anchorLine = lineStartOf(text, anchor, pos);
    const target = linesBack(text, anchorLine, ANCHOR_LOOKBEHIND_LINES, pos);
    const from = target > pos ? this.readingStart(target, pos) : pos;
    if (from <= pos) {
      // every line from here to the anchor's is read (as the CLI's reader feeds them): no need
      // to ask again before the anchor's line is passed
      this.skipFrom = anchorLine + 1;
      return false;
    }
    this.skipLines(this.terminators(pos, from));
    this.start = from;
    return true;
  }

  /** Where reading resumes for the lookbehind to start at `target`: the last line at or before it
   * that the scanner reads alone, or `floor`, or `target` after READING_START_MAX_LINES lines. */
  private readingStart(target: number, floor: number): number {
    const text = this.text;
    let start = target;
    for (let back = 0; ; back++) {
      if (readsAlone(text.slice(start, lineEndOf(text, start)))) return start;
      if (back === READING_START_MAX_LINES) return target;
      start = lineStartOf(text, start - 1, floor);
      if (start <= floor) return floor;
    }
  }

  /** The next `\r` at or after a position (-1: none), searched again only once passed, so that
   * a text without `\r` is searched for one once, not once per skip (first set by the constructor). */
  private crAt: number;

  /** Line terminators in text[from, to): `\n`, `\r\n` once and any other `\r` (as run() ends lines). */
  private terminators(from: number, to: number): number {
    const text = this.text;
    let n = 0;
    // (line starts are written down only in a text without `\r`: there every terminator is a `\n`)
    const starts = this.starts !== null;
    for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) {
      if (starts) this.lineStartsAt(at + 1);
      n++;
    }
    if (this.crAt !== -1 && this.crAt < from) this.crAt = text.indexOf('\r', from);
    while (this.crAt >= 0 && this.crAt < to) {
      if (text.charCodeAt(this.crAt + 1) !== 10) n++;
      this.crAt = text.indexOf('\r', this.crAt + 1);
    }
    return n;
  }

  private skipLines(n: number): void {
    if (n > 0) {
      this.skipped.push(this.scanner.lineCount, n);
      // `carried()` first: it may end a run of copies, which reads lines again
      const carried = this.scanner.carried();
      this.skipStates.push({ kernelRelease: this.scanner.kernelRelease, ...carried });
    }
    const done = this.scanner.skipLines(n);
    for (const r of done) this.add(r);
  }
}

/**
 * How far back from the lookbehind's start a reader that skips (TextScan here, the CLI's
 * LineFeeder) looks for a line the scanner reads alone (a framed or blank line, `readsAlone`) to
 * start feeding at, so that lines right after framed ones
 * are read as a full parse reads them (as their wraps). On framed logs the search stops at once;
 * on logs with no framing and no blank line it costs this many lines decoded per anchor and per
 * read, and finds nothing: there feeding starts at the lookbehind, as after a blank line.
 */
export const READING_START_MAX_LINES = 64;

// Lines end as TextScan.run ends them: at `\n`, `\r\n` (the `\r` stays on the line) and any
// other `\r`, the text's last character included.

/** The start of the line holding `at`, never before `floor`. */
function lineStartOf(text: string, at: number, floor: number): number {
  for (let i = at - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13 && text.charCodeAt(i + 1) !== 10) return i + 1;
  }
  return floor;
}

/** Where the line starting at `start` ends (before its terminator). */
function lineEndOf(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13 && text.charCodeAt(i + 1) !== 10) return i;
  }
  return text.length;
}

/** `lines` line starts back from the line start `from`, never before `floor`. */
function linesBack(text: string, from: number, lines: number, floor: number): number {
  let at = from;
  for (let i = 0; i < lines && at > floor; i++)
    at = at - 1 <= floor ? floor : lineStartOf(text, at - 1, floor);
  return at;
}

/** Lines read between two calls of TextScan's `pause`: a check costs far less than the lines. */
const PAUSE_CHECK_LINES = 256;

/** Parses a whole document at once. Lines end at `\n`, `\r\n` or a lone `\r`, as for LSP clients.
 * Reports come sorted by header line, and their [line, endLine] spans never overlap. */
export function parseLog(text: string): ParsedLog {
  const scan = new TextScan(text);
  scan.run(() => false);
  return scan.finish();
}

/**
 * Whether `text` holds a kernel report: what lets an editor take a pasted text (a mail, a
 * `> `-quoted excerpt) for a kernel log. A text without any READER_ANCHORS string cannot hold one
 * (the anchors' contract above), so it is rejected without reading; else the scanner decides, so
 * a word like `malloc` alone does not count.
 */
export function containsReport(text: string): boolean {
  if (!READER_ANCHORS.some((anchor) => text.includes(anchor))) return false;
  return parseLog(text).reports.length > 0;
}
