// Cuts raw input into physical lines for the core's LogScanner, and skips what cannot matter.
//
// Bytes are read straight into a window (the scan kernel's memory). While the scanner is idle (no
// report open), the window is searched for the core's anchors (REPORT_ANCHORS): every complete
// line before the anchor's line, less ANCHOR_LOOKBEHIND_LINES, is only counted (skipLines), never
// decoded. Lines that are fed are decoded one at a time as UTF-8 (invalid bytes become U+FFFD,
// a `\r` before the `\n` is left for the scanner). The window never holds more than its capacity:
// a line longer than that is gathered as text up to MAX_LINE_CHARS, the rest dropped.
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
  /** The next physical line, without its `\n`. */
  line(text: string): void;
  /** Lines free of every anchor may be skipped now. */
  canSkip(): boolean;
  /** `count` physical lines (free of anchors) were passed over. */
  skip(count: number): void;
}

export interface FeederOptions {
  anchors: readonly string[];
  lookbehindLines: number;
  /** Force the plain-JS scan kernel (tests). */
  kernel?: 'auto' | 'js';
  capacity?: number;
}

export class LineFeeder {
  private readonly kernel: ScanKernel;
  private readonly buf: Buffer;
  private readonly limit: number;
  private readonly lookbehind: number;
  /** First unconsumed byte and end of the bytes read, as offsets in `buf`. */
  private pos: number;
  private fill: number;
  /** Cached result of `kernel.find` from `pos`: valid while ≥ pos. */
  private anchorAt = -1;
  /** A line longer than the window, being gathered. */
  private long: { decoder: StringDecoder; text: string } | null = null;

  constructor(
    private readonly sink: LineSink,
    options: FeederOptions,
  ) {
    this.kernel = createScanKernel(options.anchors, options.capacity ?? WINDOW_BYTES, options.kernel);
    this.buf = this.kernel.buffer;
    this.pos = this.fill = this.kernel.start;
    this.limit = this.kernel.start + this.kernel.capacity;
    this.lookbehind = options.lookbehindLines;
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
    this.fill -= this.pos - start;
    this.pos = start;
    this.anchorAt = -1;
  }

  /** Start of the line holding `at`, never before `floor`. */
  private lineStart(at: number, floor: number): number {
    if (at <= floor) return floor;
    const nl = this.buf.lastIndexOf(10, at - 1);
    return nl < floor ? floor : nl + 1;
  }

  /** `lines` lines further back from the line start `from`, never before `floor`. */
  private back(from: number, lines: number, floor: number): number {
    let at = from;
    for (let i = 0; i < lines && at > floor; i++)
      at = at - 1 <= floor ? floor : this.lineStart(at - 1, floor);
    return at;
  }

  /**
   * Consumes the complete lines in the window (all of it when `final`). Without an anchor in
   * sight the last `lookbehind` lines stay unconsumed, in case the next read brings one.
   */
  private process(final: boolean): void {
    const buf = this.buf;
    let end = this.fill;
    if (!final) {
      const nl = buf.lastIndexOf(10, this.fill - 1);
      if (nl < this.pos) return;
      end = nl + 1;
    }
    let pos = this.pos;
    while (pos < end) {
      if (this.sink.canSkip()) {
        let anchor = this.anchorAt;
        if (anchor < pos) anchor = this.anchorAt = this.kernel.find(pos, end);
        let target: number;
        if (anchor >= 0) target = this.back(this.lineStart(anchor, pos), this.lookbehind, pos);
        else target = final ? end : this.back(end, this.lookbehind, pos);
        if (target > pos) {
          // at the very end, a last line without its `\n` counts too
          const unterminated = target === this.fill && buf[target - 1] !== 10 ? 1 : 0;
          this.sink.skip(this.kernel.count(pos, target) + unterminated);
          pos = target;
          if (anchor < 0) break;
          continue;
        }
      }
      const nl = buf.indexOf(10, pos);
      const lineEnd = nl === -1 || nl >= end ? end : nl;
      this.sink.line(buf.toString('utf8', pos, lineEnd));
      pos = lineEnd + 1;
    }
    this.pos = Math.min(pos, this.fill);
  }

  /** The window is full and nothing could be consumed: feed what lines there are, or start a long line. */
  private windowFull(): void {
    const nl = this.buf.lastIndexOf(10, this.fill - 1);
    if (nl >= this.pos) {
      // Lines kept for lookbehind: feed them (feeding is always allowed) to make room.
      let pos = this.pos;
      while (pos <= nl) {
        const at = this.buf.indexOf(10, pos);
        this.sink.line(this.buf.toString('utf8', pos, at));
        pos = at + 1;
      }
      this.pos = pos;
      this.anchorAt = -1;
      return;
    }
    this.long = { decoder: new StringDecoder('utf8'), text: '' };
    this.continueLong(this.pos);
  }

  /** Adds the bytes from `from` to the long line; feeds it when its `\n` has arrived. */
  private continueLong(from: number): void {
    const long = this.long!;
    const nl = this.buf.indexOf(10, from);
    const stop = nl === -1 || nl >= this.fill ? this.fill : nl;
    if (long.text.length < MAX_LINE_CHARS) long.text += long.decoder.write(this.buf.subarray(this.pos, stop));
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
