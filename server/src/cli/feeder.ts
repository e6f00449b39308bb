// Cuts raw input into physical lines for the core's LogScanner, and skips what cannot matter.
//
// Bytes are read straight into a window (the scan kernel's memory). While the scanner is idle (no
// report open), the window is searched for the core's anchors (REPORT_ANCHORS): every complete
// line before the anchor's line, less ANCHOR_LOOKBEHIND_LINES, is only counted (skipLines), never
// decoded; when the first of those lookbehind lines is one the scanner may read as a wrap of the
// line before it (unframed), feeding starts back at the last framed or blank line instead (the
// core's readsAlone, see `readingStart`), so the scanner reads what a full parse reads. Lines that
// are fed are decoded one at a time as UTF-8 (invalid bytes become U+FFFD,
// a `\r` before the `\n` is left for the scanner). The window never holds more than its capacity:
// a line longer than that is gathered as text up to MAX_LINE_CHARS, the rest dropped.
//
// Lines end where an LSP client ends them, so the CLI's line numbers are the editor's: at `\n`,
// `\r\n` and a lone `\r` (serial consoles, some captures). The kernel counts `\n` only; a window
// holding no `\r` at all (one cached memchr tells) pays nothing more. Single-byte anchors (the
// ESC of a terminal escape sequence, which may split an anchor word) are searched the same way.
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { createScanKernel, type ScanKernel } from './scan-kernel';

/**
 * Window size. Reads of 128 KiB into one reused buffer stay in the CPU cache between the kernel's
 * copy and the scan (1 MiB reads measured ~2x slower end to end on a 100 MB syslog).
 */
export const WINDOW_BYTES = 128 << 10;

/**
 * Longest physical line handed to the scanner, in UTF-16 units. A kernel line is at most a few
 * kB (rsyslog's `#012`-joined reports some tens of kB); the rest of a longer line is dropped so a
 * file without newlines cannot make the reader hold all of it.
 */
export const MAX_LINE_CHARS = 4 << 20;

export interface LineSink {
  /** The next physical line, without its `\n` or lone `\r` (a `\r` before a `\n`, or as the input's
   * last byte, is left on it). */
  line(text: string): void;
  /** Lines free of every anchor may be skipped now. */
  canSkip(): boolean;
  /** `count` physical lines (free of anchors) were passed over, the first beginning `at` bytes
   * into the input (a point where a reader may take over: the scan worker's hand-over). */
  skip(count: number, at: number): void;
  /** Whether the sink would take the next lines in bulk (`takeLines`): a flood's copies being
   * taken (core/repeat-run.ts), each line compared with the copy before's, not read. */
  takesLines?(): boolean;
  /** The next lines of `text` from `from` (a line start), as many as the sink takes: whole lines,
   * each ending at a `\n`, none reaching `limit` (the next `\r`: lone ones end lines, which the
   * feeder cuts). Returns the position after them (`from` when none was taken). */
  takeLines?(text: string, from: number, limit: number): number;
}

/** Bytes decoded at once for a sink that takes lines in bulk: a flood's lines are compared in a
 * string of many (one decoding, a slice per line), where each line decoded alone cost more than
 * its comparison. Small enough that a run ending early wastes little. */
const BULK_BYTES = 32 << 10;

export interface FeederOptions {
  anchors: readonly string[];
  lookbehindLines: number;
  /** Lines the sink reads the same whatever came before them (core/lines.ts `readsAlone`): after
   * skipping, feeding starts at one, found at most `maxLines` lines back from where the lookbehind
   * starts (see `readingStart`). Without it feeding starts where the lookbehind does. */
  readsAlone?: { test: (line: string) => boolean; maxLines: number };
  /** Force the plain-JS scan kernel (tests). */
  kernel?: 'auto' | 'js';
  capacity?: number;
}

const LF = 10;
const CR = 13;

/** The first occurrence of one byte at or after a position in the window, each byte searched
 * once: a miss searches on to the end of the bytes read (`fill`), so the next questions about that
 * stretch cost nothing. Every position asked between two resets is at or after the one before.
 * A `rare` byte (`\r`, ESC: mostly absent) is searched in [to, fill) only; a frequent one (`\n`)
 * without a bound, which costs no subarray per line but reads on past `fill` when it misses. */
class ByteFinder {
  /** Every occurrence in [from, to) is known: `next` when it is ≥ 0 (then to = next + 1), else none. */
  private from = 0;
  private to = 0;
  private next = -1;

  constructor(
    private readonly buf: Buffer,
    private readonly byte: number,
    private readonly rare: boolean,
  ) {}

  reset(): void {
    this.from = this.to = 0;
    this.next = -1;
  }

  /** First occurrence in [pos, end), or -1 (`end` ≤ `fill`, the end of the bytes read). */
  find(pos: number, end: number, fill: number): number {
    if (pos >= end) return -1;
    if (pos < this.from || pos > this.to) {
      this.from = this.to = pos;
      this.next = -1;
    }
    if (this.next >= pos) return this.next < end ? this.next : -1;
    if (this.to >= fill) return -1;
    let at: number;
    if (this.rare) {
      at = this.buf.subarray(this.to, fill).indexOf(this.byte);
      if (at !== -1) at += this.to;
    } else at = this.buf.indexOf(this.byte, this.to); // a byte found past `fill` is stale: a miss
    if (at === -1 || at >= fill) {
      this.to = fill;
      return -1;
    }
    this.next = at;
    this.to = at + 1;
    return at < end ? at : -1;
  }
}

export class LineFeeder {
  private readonly kernel: ScanKernel;
  private readonly buf: Buffer;
  private readonly limit: number;
  private readonly lookbehind: number;
  private readonly readsAlone: NonNullable<FeederOptions['readsAlone']> | null;
  /** First unconsumed byte and end of the bytes read, as offsets in `buf`. */
  private pos: number;
  /** Bytes of the input before the window's start (moved out by `compact`). */
  private passed = 0;
  private fill: number;
  /** Cached result of `findAnchor` from `pos`: valid while ≥ pos. */
  private anchorAt = -1;
  /** `\n` and `\r` bytes in the window, and the single-byte anchors (which the kernel is not given). */
  private readonly lf: ByteFinder;
  private readonly cr: ByteFinder;
  private readonly byteAnchors: ByteFinder[];
  /** A line longer than the window, being gathered. */
  private long: { decoder: StringDecoder; text: string } | null = null;
  /** The window's bytes [from, to) decoded for `takeLines` (null text: not ASCII, not taken in
   * bulk); positions in the window, so dropped when the window moves. */
  private bulk: { from: number; to: number; text: string | null } | null = null;

  constructor(
    private readonly sink: LineSink,
    options: FeederOptions,
  ) {
    const single = options.anchors.filter((a) => Buffer.byteLength(a) === 1);
    const multi = options.anchors.filter((a) => Buffer.byteLength(a) !== 1);
    this.kernel = createScanKernel(multi, options.capacity ?? WINDOW_BYTES, options.kernel);
    this.buf = this.kernel.buffer;
    this.lf = new ByteFinder(this.buf, LF, false);
    this.cr = new ByteFinder(this.buf, CR, true);
    this.byteAnchors = single.map((a) => new ByteFinder(this.buf, Buffer.from(a)[0], true));
    this.pos = this.fill = this.kernel.start;
    this.limit = this.kernel.start + this.kernel.capacity;
    this.lookbehind = options.lookbehindLines;
    this.readsAlone = options.readsAlone ?? null;
  }

  get kernelKind(): ScanKernel['kind'] {
    return this.kernel.kind;
  }

  /** Where the next read should put its bytes (call `commit` with the count read). */
  space(): { buffer: Buffer; offset: number; length: number } {
    this.compact();
    return { buffer: this.buf, offset: this.fill, length: this.limit - this.fill };
  }

  commit(bytes: number): void {
    if (bytes <= 0) return;
    const from = this.fill;
    this.fill += bytes;
    if (this.long) this.continueLong(from);
    this.process(false);
    if (this.fill === this.limit && this.pos === this.kernel.start) this.windowFull();
  }

  /** Copies bytes in (for streams that hand out their own buffers). */
  write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const space = this.space();
      const n = Math.min(space.length, bytes.length - offset);
      space.buffer.set(bytes.subarray(offset, offset + n), space.offset);
      offset += n;
      this.commit(n);
    }
  }

  /** End of input: the last lines, with or without a final `\n`. */
  end(): void {
    if (this.long) {
      const text =
        this.long.text +
        this.long.decoder.write(this.buf.subarray(this.pos, this.fill)) +
        this.long.decoder.end();
      this.long = null;
      this.pos = this.fill;
      this.sink.line(text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text);
      return;
    }
    this.process(true);
  }

  private compact(): void {
    const start = this.kernel.start;
    if (this.pos === start) return;
    if (this.pos < this.fill) this.buf.copy(this.buf, start, this.pos, this.fill);
    this.passed += this.pos - start;
    this.fill -= this.pos - start;
    this.pos = start;
    this.anchorAt = -1;
    this.bulk = null;
    this.lf.reset();
    this.cr.reset();
    for (const b of this.byteAnchors) b.reset();
  }

  /** First anchor in [pos, end), or -1. The kernel searches only up to the first single-byte
   * anchor (a line holding ESC is fed anyway): on a log whose every line is coloured, a search
   * to the next word anchor from every line would cost the rest of the window each time. */
  private findAnchor(pos: number, end: number): number {
    let first = -1;
    let limit = end;
    for (const b of this.byteAnchors) {
      const at = b.find(pos, limit, this.fill);
      if (at !== -1) first = limit = at;
    }
    const word = this.kernel.find(pos, limit);
    return word !== -1 ? word : first;
  }

  /** Start of the line holding `at`, never before `floor`. */
  private lineStart(at: number, floor: number): number {
    if (at <= floor) return floor;
    const buf = this.buf;
    // Searched back only when the (cached) forward search says a byte is there: a window of lone
    // `\r` lines, without `\n`, is not searched whole for each anchor.
    const nl = this.lf.find(floor, at, this.fill) === -1 ? -1 : buf.lastIndexOf(LF, at - 1);
    if (this.cr.find(floor, at, this.fill) !== -1) {
      // a lone `\r` after the last `\n` (a `\r` right before `at` whose `\n` is at `at` is not one)
      let cr = buf.lastIndexOf(CR, at - 1);
      if (cr > nl && buf[cr + 1] === LF) cr = cr > floor ? buf.lastIndexOf(CR, cr - 1) : -1;
      if (cr > nl && cr >= floor) return cr + 1;
    }
    return nl < floor ? floor : nl + 1;
  }

  /** Line breaks in [pos, end), which starts and ends at line starts: `\n`s and lone `\r`s. */
  private countLines(pos: number, end: number): number {
    let n = this.kernel.count(pos, end);
    let cr = this.cr.find(pos, end, this.fill);
    if (cr === -1) return n;
    const buf = this.buf;
    const region = buf.subarray(0, end);
    for (; cr !== -1; cr = region.indexOf(CR, cr + 1)) if (cr + 1 >= this.fill || buf[cr + 1] !== LF) n++;
    return n;
  }

  /** Offset after the last complete line in [pos, fill), or -1: a `\r` as the last byte may be half
   * of a `\r\n` split by the read, so the line it ends is complete only at the end of input. */
  private completeEnd(pos: number, final: boolean): number {
    const buf = this.buf;
    const nl = buf.lastIndexOf(LF, this.fill - 1);
    let end = nl < pos ? -1 : nl + 1;
    const last = final ? this.fill : this.fill - 1;
    if (this.cr.find(pos, last, this.fill) !== -1) {
      const cr = buf.lastIndexOf(CR, last - 1);
      if (cr >= pos && cr + 1 > end) end = cr + 1;
    }
    return end;
  }

  /** Feeds the line starting at `pos` (the lines before `end` are complete); returns where the
   * next line starts. */
  private feedLine(pos: number, end: number): number {
    const buf = this.buf;
    const nl = this.lf.find(pos, end, this.fill);
    let lineEnd = nl === -1 ? end : nl;
    let next = nl === -1 ? end : nl + 1;
    const cr = this.cr.find(pos, lineEnd, this.fill);
    // a lone `\r` ends the line (one as the input's last byte is left on it, as a `\r\n`'s is)
    if (cr !== -1 && cr + 1 < this.fill && buf[cr + 1] !== LF) {
      lineEnd = cr;
      next = cr + 1;
    }
    this.sink.line(buf.toString('utf8', pos, lineEnd));
    return next;
  }

  /**
   * Hands the lines from `pos` (before `end`) to a sink that takes them in bulk, decoded as one
   * string of up to BULK_BYTES (kept while the lines after `pos` are in it, so that a line the
   * sink does not take costs no second decoding); returns where the next line starts (`pos` when
   * the sink took none). Only ASCII text: there a character is a byte, so the sink's position is
   * the window's (other text is fed line by line, decoded as UTF-8).
   */
  private takeBulk(pos: number, end: number): number {
    let bulk = this.bulk;
    if (bulk === null || pos < bulk.from || pos >= bulk.to) {
      const to = Math.min(end, pos + BULK_BYTES);
      const bytes = this.buf.subarray(pos, to);
      bulk = this.bulk = { from: pos, to, text: isAscii(bytes) ? bytes.toString('latin1') : null };
    }
    if (bulk.text === null) return pos;
    const cr = this.cr.find(pos, bulk.to, this.fill);
    const taken = this.sink.takeLines!(bulk.text, pos - bulk.from, cr === -1 ? Infinity : cr - bulk.from);
    return bulk.from + taken;
  }

  /** `lines` lines further back from the line start `from`, never before `floor`. */
  private back(from: number, lines: number, floor: number): number {
    let at = from;
    for (let i = 0; i < lines && at > floor; i++)
      at = at - 1 <= floor ? floor : this.lineStart(at - 1, floor);
    return at;
  }

  /**
   * Where feeding may start for the lookbehind to start at `target` (a line start after `floor`,
   * before `end`): the sink's reading of a line may depend on the lines before it (a wrap, a framed
   * run), so feeding starts at the last line at or before `target` that it reads alone, or at
   * `floor` (the lines before it were fed, or were skipped up to such a line), whichever comes
   * first going back. On a framed log that is `target` itself, one line decoded. After `maxLines`
   * lines back without either (a log with no framing and no blank line) it is `target`, as if a
   * blank line came before it.
   */
  private readingStart(target: number, floor: number, end: number): number {
    const alone = this.readsAlone;
    if (alone === null || target <= floor) return target;
    const buf = this.buf;
    // the line at `target` ends at its `\n`, or at a lone `\r` before it (as feedLine reads it)
    let stop = buf.indexOf(LF, target);
    if (stop === -1 || stop > end) stop = end;
    const cr = buf.subarray(target, stop).indexOf(CR);
    if (cr !== -1 && target + cr + 1 < this.fill && buf[target + cr + 1] !== LF) stop = target + cr;
    let start = target;
    for (let back = 0; ; back++) {
      if (alone.test(buf.toString('utf8', start, stop))) return start;
      if (back === alone.maxLines) return target;
      // the line before: up to its terminator (a `\r` of a `\r\n` stays on it, as feedLine leaves it)
      stop = start - 1;
      start = this.lineStart(stop, floor);
      if (start <= floor) return floor;
    }
  }

  /**
   * Consumes the complete lines in the window (all of it when `final`). Without an anchor in
   * sight the last `lookbehind` lines (and those before them back to where the sink's reading may
   * start, see `readingStart`) stay unconsumed, in case the next read brings one.
   */
  private process(final: boolean): void {
    const buf = this.buf;
    let end = this.fill;
    if (!final) {
      end = this.completeEnd(this.pos, false);
      if (end < 0) return;
    }
    let pos = this.pos;
    const bulk = this.sink.takesLines !== undefined;
    while (pos < end) {
      if (bulk && this.sink.takesLines!()) {
        const next = this.takeBulk(pos, end);
        if (next > pos) {
          pos = next;
          continue;
        }
      }
      if (this.sink.canSkip()) {
        let anchor = this.anchorAt;
        if (anchor < pos) anchor = this.anchorAt = this.findAnchor(pos, end);
        let target: number;
        if (anchor >= 0) target = this.back(this.lineStart(anchor, pos), this.lookbehind, pos);
        else target = final ? end : this.back(end, this.lookbehind, pos);
        if (target > pos) {
          // nothing is fed after the last anchor at the very end
          const from = anchor < 0 && final ? target : this.readingStart(target, pos, end);
          if (from > pos) {
            // at the very end, a last line without its terminator counts too
            const last = buf[from - 1];
            const unterminated = from === this.fill && last !== LF && last !== CR ? 1 : 0;
            this.sink.skip(this.countLines(pos, from) + unterminated, this.passed + pos - this.kernel.start);
            pos = from;
          }
          if (anchor < 0) break;
          // the lines back to the lookbehind's start, fed without searching again
          while (pos < target) pos = this.feedLine(pos, end);
          continue;
        }
      }
      pos = this.feedLine(pos, end);
    }
    this.pos = Math.min(pos, this.fill);
  }

  /** The window is full and nothing could be consumed: feed what lines there are, or start a long line. */
  private windowFull(): void {
    const end = this.completeEnd(this.pos, false);
    if (end >= 0) {
      // Lines kept for lookbehind: feed them (feeding is always allowed) to make room.
      let pos = this.pos;
      while (pos < end) pos = this.feedLine(pos, end);
      this.pos = pos;
      this.anchorAt = -1;
      return;
    }
    this.long = { decoder: new StringDecoder('utf8'), text: '' };
    this.continueLong(this.pos);
  }

  /** Adds the bytes from `from` to the long line; feeds it when its `\n` or lone `\r` has arrived.
   * A `\r` as the last byte read waits at `pos` until the next read shows which it is. */
  private continueLong(from: number): void {
    const long = this.long!;
    const buf = this.buf;
    const window = buf.subarray(0, this.fill);
    let stop: number;
    if (this.pos < from && buf[this.pos] === CR && buf[this.pos + 1] !== LF) stop = this.pos;
    else {
      const nl = window.indexOf(LF, from);
      stop = nl === -1 ? this.fill : nl;
      let cr = window.indexOf(CR, from);
      while (cr !== -1 && cr < stop && buf[cr + 1] === LF) cr = window.indexOf(CR, cr + 1);
      if (cr !== -1 && cr < stop) {
        if (cr === this.fill - 1) {
          if (long.text.length < MAX_LINE_CHARS) long.text += long.decoder.write(buf.subarray(this.pos, cr));
          this.pos = cr;
          return;
        }
        stop = cr;
      }
    }
    if (long.text.length < MAX_LINE_CHARS) long.text += long.decoder.write(buf.subarray(this.pos, stop));
    if (stop === this.fill) {
      this.pos = this.fill;
      return;
    }
    long.text += long.decoder.end();
    this.long = null;
    this.pos = stop + 1;
    this.anchorAt = -1;
    this.sink.line(long.text.length > MAX_LINE_CHARS ? long.text.slice(0, MAX_LINE_CHARS) : long.text);
  }
}
