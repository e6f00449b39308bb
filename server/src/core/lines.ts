// Turns physical lines into logical kernel lines: framing removed, lines wrapped by mailers or
// terminals rejoined where the kernel's format proves it, several records reflowed onto one line
// split apart, rsyslog `#012` escapes split, terminal escape sequences removed. Streaming: one
// physical line in, zero or more logical lines out, with one line of look-behind. Positions are
// the document's as an LSP client counts them: lines end at `\n`, `\r\n` or a lone `\r`, columns
// are UTF-16 units of the original text (escape sequences included).

import type { Framing, LogicalLine } from './model';
import { EMBEDDED_SYSLOG, readFraming, isAlignedContinuation } from './framing';
import { KNOWN_FIELDS, STRONG_START, TOKEN_STARTS } from './formats';

/** Where a piece of a logical line's text came from, to map offsets back to the document. */
export interface Segment {
  /** Offset in the logical text where this piece starts. */
  offset: number;
  line: number;
  char: number;
}

export interface AssembledLine extends LogicalLine {
  isKernel: boolean;
  caller: string | null;
  /** Empty while the line is one piece of one physical line (most lines: no allocation). */
  segments: Segment[];
}

/** Longest logical line kept: the kernel prints at most ~1 KiB per record, so anything far longer
 * is not a kernel line (binary data, a minified blob) and is cut to keep every step linear. */
export const MAX_LOGICAL_LENGTH = 16384;

// A dmesg timestamp in the middle of a line: the poster reflowed several records onto one line.
const EMBEDDED_STAMP = /[ \t]\[\s*\d+\.\d{6}\](?:\[\s*[TC]\d+\])? ?/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const NBSP = /\u00a0/g;

const NO_SEGMENTS: Segment[] = Object.freeze([]) as unknown as Segment[];

/** Offset in `text` → document position, by binary search over the segments: where a piece begins,
 * the position of its first character (a range's start). */
export function positionAt(
  line: Pick<LogicalLine, 'line' | 'startChar'> & { segments?: Segment[] },
  offset: number,
): { line: number; char: number } {
  const segments = line.segments;
  if (!segments || segments.length === 0) return { line: line.line, char: line.startChar + offset };
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segments[lo];
  return { line: s.line, char: s.char + (offset - s.offset) };
}

/** Like positionAt, for a range's end: an offset where a piece begins maps to the end of the piece
 * before it, not past an escape sequence removed between them or onto the next physical line. */
export function endPositionAt(
  line: Pick<LogicalLine, 'line' | 'startChar'> & { segments?: Segment[] },
  offset: number,
): { line: number; char: number } {
  const segments = line.segments;
  if (!segments || segments.length === 0 || offset <= 0 || segments[0].offset >= offset)
    return positionAt(line, offset);
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].offset < offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segments[lo];
  return { line: s.line, char: s.char + (offset - s.offset) };
}

/**
 * A physical line without its terminal escape sequences, in one pass (ECMA-48 §5.3–5.6): CSI
 * (`ESC [` parameters, intermediates, one final byte: colours, `\x1b[K`), control strings (OSC
 * `ESC ]`, DCS `ESC P`, SOS, PM, APC) up to BEL, ST (`ESC \`) or the line's end, `ESC` with
 * intermediates and a final byte (`\x1b(B`), and two-byte sequences (`\x1b=`, `\x1b7`). A lone
 * `ESC` goes alone; nothing after a sequence's last byte is dropped. `runs` holds, for each piece
 * of text kept, its offset in `text` and its column in the line: [offset, column, offset, column …].
 */
export function stripEscapes(raw: string): { text: string; runs: number[] } {
  const parts: string[] = [];
  const runs: number[] = [];
  let kept = 0;
  let from = 0;
  for (let at = raw.indexOf('\x1b'); at >= 0; at = raw.indexOf('\x1b', from)) {
    if (at > from) {
      parts.push(raw.slice(from, at));
      runs.push(kept, from);
      kept += at - from;
    }
    from = escapeEnd(raw, at);
  }
  if (from < raw.length) {
    parts.push(raw.slice(from));
    runs.push(kept, from);
  }
  return { text: parts.join(''), runs };
}

const inRange = (c: number, lo: number, hi: number): boolean => c >= lo && c <= hi;

/** End of the escape sequence whose ESC is at `at` (each character is looked at once). */
function escapeEnd(raw: string, at: number): number {
  const n = raw.length;
  let i = at + 1;
  if (i >= n) return i;
  const c = raw.charCodeAt(i);
  if (c === 0x5b) {
    // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, final byte 0x40–0x7E
    i++;
    while (i < n && inRange(raw.charCodeAt(i), 0x30, 0x3f)) i++;
    while (i < n && inRange(raw.charCodeAt(i), 0x20, 0x2f)) i++;
    return i < n && inRange(raw.charCodeAt(i), 0x40, 0x7e) ? i + 1 : i;
  }
  if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) {
    // OSC, DCS, SOS, PM, APC: a control string, ended by BEL, ST (ESC \ or U+009C) or the line's
    // end; another ESC ends it too and begins a sequence of its own.
    for (i++; i < n; i++) {
      const d = raw.charCodeAt(i);
      if (d === 0x07 || d === 0x9c) return i + 1;
      if (d === 0x1b) return raw.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
    }
    return n;
  }
  if (inRange(c, 0x20, 0x2f)) {
    // nF: intermediate bytes, then one final byte 0x30–0x7E (`ESC ( B` selects a character set)
    while (i < n && inRange(raw.charCodeAt(i), 0x20, 0x2f)) i++;
    return i < n && inRange(raw.charCodeAt(i), 0x30, 0x7e) ? i + 1 : i;
  }
  // Fp, Fe, Fs: one byte 0x30–0x7E (`ESC =`, `ESC 7`, `ESC M`); anything else: ESC alone
  return inRange(c, 0x30, 0x7e) ? i + 1 : i;
}

/** Column in the original line of `offset` in the stripped text (`end`: a range's end, see
 * endPositionAt). */
function originalColumn(runs: number[] | null, offset: number, end: boolean): number {
  if (runs === null || runs.length === 0) return offset;
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const o = runs[2 * mid];
    if (end ? o < offset : o <= offset) lo = mid;
    else hi = mid - 1;
  }
  return runs[2 * lo + 1] + (offset - runs[2 * lo]);
}

/** Segments for the stripped text [from, to) of physical line `line`, shifted to start at `base`:
 * one where each kept piece after the first begins. */
function runSegments(runs: number[] | null, from: number, to: number, line: number, base: number): Segment[] {
  if (runs === null) return NO_SEGMENTS; // most lines: nothing allocated
  const segments: Segment[] = [];
  for (let k = 0; k < runs.length; k += 2)
    if (runs[k] > from && runs[k] < to)
      segments.push({ offset: base + runs[k] - from, line, char: runs[k + 1] });
  return segments;
}

/** What to put between two pieces of a wrapped line. Mailers keep the space at a soft break, so
 * whitespace on either side means plain concatenation; otherwise the wrap either cut a token
 * (`page`|`tables:`, `13352`|`96kB`) or dropped a space (`Normal`|`free:`, `224kB`|`high:`), and the
 * field vocabulary of the Mem-Info formats decides which. */
export function wrapSeparator(prev: string, next: string): '' | ' ' {
  if (prev.length === 0 || next.length === 0) return '';
  const last = prev.charCodeAt(prev.length - 1);
  const first = next.charCodeAt(0);
  if (last === 32 || last === 9 || first === 32 || first === 9) return '';
  const a = /[A-Za-z0-9_()?]+$/.exec(prev)?.[0] ?? '';
  const bMatch = /^[A-Za-z0-9_()]+/.exec(next);
  const b = bMatch?.[0] ?? '';
  if (!a) return /[.,;]$/.test(prev) && /^[A-Za-z]/.test(next) ? ' ' : '';
  if (/(?:^|\s)\?$/.test(prev)) return ' '; // `[<c10c171d>] ?`|`select_bad_process+0x7d/0xd0`
  if (!b) return '';
  // Words that always start a token of the task, trace and kill lines (`Comm: tuned`|`Not tainted`,
  // `Tainted: P`|`3.10.0-…`, `Out of memory: Killed`|`process 925`).
  if (TOKEN_STARTS.test(next) || (/tainted$|^[A-Z]$/i.test(a) && /^\d+\.\d+/.test(next))) return ' ';
  // lowmem_reserve[] holds one number per zone, non-decreasing after the zone's own column: a gmail
  // break that dropped the space (`0 3845`|`15960 15960`) is told from a cut number by that shape.
  if (/^\d+$/.test(a) && /^\d/.test(next) && /lowmem_reserve\[\]:[\d ]*$/.test(prev)) {
    const joined = (prev + next).replace(/^.*?:/, '').match(/\d+/g) ?? [];
    const spaced = (prev + ' ' + next).replace(/^.*?:/, '').match(/\d+/g) ?? [];
    return plausibleReserve(spaced.map(Number)) && !plausibleReserve(joined.map(Number)) ? ' ' : '';
  }
  const afterB = next.charAt(b.length);
  if (afterB === ':' || afterB === '=') {
    if (KNOWN_FIELDS.has(a + b)) return '';
    if (KNOWN_FIELDS.has(b) || /\d(?:kB|KB)?$/.test(a) || /^(?:DMA32|DMA|Normal|HighMem|Movable)$/.test(a))
      return ' ';
    return '';
  }
  if (/^\d+$/.test(a) && /^\d/.test(b)) return '';
  if (/\d(?:kB|KB)$/.test(a) && /^\d/.test(b)) return ' ';
  return '';
}

function plausibleReserve(values: number[]): boolean {
  if (values.length < 2 || values.length > 6) return false;
  let seenPositive = false;
  for (let i = 1; i < values.length; i++) {
    if (values[i] > 0) seenPositive = true;
    if (seenPositive && values[i] < values[i - 1]) return false;
  }
  return true;
}

/** True when a bare line (no framing anywhere near) can only be the rest of `prev`. */
function continuesBare(prev: string, next: string): boolean {
  if (prev.endsWith('$')) return true; // a terminal cut the line and marked it
  if (STRONG_START.test(next)) return false;
  // A header cut before its mode (`order:0,` | `mode:0x…`), a `default order:` | `0, min order`.
  if (/(?:order:\s*\d+,|failure[.:]?|order:)\s*$/.test(prev) && /^\s*(?:mode:|order:|\d)/.test(next))
    return true;
  // A Mem-Info field list cut mid-way: the next line goes on with fields or a fragment of one.
  const fieldList =
    /^\s*(?:Node \d+ |(?:DMA32|DMA|Normal|HighMem|Movable) free:|[a-z_]+:\d)/.test(prev) && /kB/.test(prev);
  if (
    fieldList &&
    /^\s?[A-Za-z_()]*\??:?\s?\d|^[A-Za-z_()]+:|^[A-Za-z_]+\s/.test(next) &&
    !/^\s{2,}/.test(next)
  )
    return !/^\s*(?:[A-Z][a-z]+ ){2}/.test(next);
  return false;
}

/** Physical lines in, logical lines out through `emit`. */
export class LineAssembler {
  private pending: AssembledLine | null = null;
  /** The previous physical line had a framing prefix (or continued one that had). */
  private framedRun = false;
  private payloadColumn = 0;
  private lineNo = -1;
  private counts = new Map<Framing, number>();
  /** The current physical line's kept pieces when escape sequences were removed from it (see
   * stripEscapes), else null: columns are then the line's own. */
  private runs: number[] | null = null;

  /** `afterLine`, when given, is called once each physical line (or skipped stretch) is taken in. */
  constructor(
    private readonly emit: (line: AssembledLine) => void,
    private readonly afterLine?: () => void,
  ) {}

  get physicalLines(): number {
    return this.lineNo + 1;
  }

  /** The framing most lines carried; `bare` when none did. */
  get dominantFraming(): Framing {
    let best: Framing = 'bare';
    let bestCount = 0;
    for (const [framing, count] of this.counts)
      if (count > bestCount) {
        best = framing;
        bestCount = count;
      }
    return best;
  }

  /** The next physical line, without its `\n`. A `\r` at its end is the `\r\n` terminator (or the
   * input's last character); any other `\r` ends a line too, as it does for LSP clients (serial
   * consoles and some captures end lines with a lone `\r`), so text cut at `\n` may be given. */
  push(raw: string): void {
    let cr = raw.indexOf('\r');
    if (cr < 0 || cr === raw.length - 1) {
      this.pushLine(raw);
      this.afterLine?.();
      return;
    }
    let from = 0;
    do {
      this.pushLine(raw.slice(from, cr));
      this.afterLine?.();
      from = cr + 1;
      cr = raw.indexOf('\r', from);
    } while (cr >= 0 && cr < raw.length - 1);
    this.pushLine(raw.slice(from));
    this.afterLine?.();
  }

  private pushLine(raw: string): void {
    const lineNo = ++this.lineNo;
    let text = raw;
    if (text.length > MAX_LOGICAL_LENGTH * 4) text = text.slice(0, MAX_LOGICAL_LENGTH * 4);
    // Escape sequences go before anything is read (`Mem\x1b[0m-Info:`); positions are mapped back
    // to the line's own columns through `runs`.
    let runs: number[] | null = null;
    if (text.indexOf('\x1b') >= 0) ({ text, runs } = stripEscapes(text));
    this.runs = runs;
    // Binary junk shows itself by a NUL (a native search): only then are control characters blanked.
    if (text.indexOf('\0') >= 0) text = text.replace(CONTROL, ' ');
    // Mail clients turn the spaces of a quoted or indented log into NO-BREAK SPACE (U+00A0, QP
    // `=C2=A0`): `>    [  739.19]`. The kernel never prints one in a memory report, and each is one
    // UTF-16 unit like the space it replaced, so reading it as a space keeps every column.
    if (text.indexOf('\u00a0') >= 0) text = text.replace(NBSP, ' ');

    const framing = readFraming(text);
    let payload = text.slice(framing.payloadStart, framing.payloadEnd);

    if (framing.framing === null) {
      if (payload.trim() === '') {
        this.flush();
        this.framedRun = false;
        return;
      }
      if (this.pending && this.framedRun && isAlignedContinuation(text, this.payloadColumn)) {
        // journalctl/dmesg continuation of a multi-line record: a new kernel line.
        const start = this.payloadColumn - 1;
        this.startLine(text.slice(start, framing.payloadEnd), lineNo, start, framing, this.pending);
        return;
      }
      const prev = this.pending;
      if (prev && (this.framedRun ? !STRONG_START.test(payload) : continuesBare(prev.text, payload))) {
        this.appendWrap(prev, payload, lineNo, framing.payloadStart);
        return;
      }
      this.startLine(payload, lineNo, framing.payloadStart, framing, null);
      return;
    }

    this.counts.set(framing.framing, (this.counts.get(framing.framing) ?? 0) + 1);
    this.framedRun = true;
    this.payloadColumn = framing.payloadStart;
    this.startLine(payload, lineNo, framing.payloadStart, framing, null);
    payload = '';
  }

  /** Text of the line held back until the next physical line shows whether it continues. */
  get pendingText(): string | null {
    return this.pending?.text ?? null;
  }

  /** `n` physical lines passed over by the reader: they break any wrap and count for numbering. */
  skip(n: number): void {
    this.flush();
    this.framedRun = false;
    this.lineNo += n;
    this.afterLine?.();
  }

  /** End of input: emits the line still held back. */
  flush(): void {
    if (this.pending) {
      const line = this.pending;
      this.pending = null;
      this.emitSplit(line);
    }
  }

  private startLine(
    payload: string,
    lineNo: number,
    col: number,
    framing: ReturnType<typeof readFraming>,
    inherit: AssembledLine | null,
  ): void {
    this.flush();
    const runs = this.runs;
    const startChar = originalColumn(runs, col, false);
    const inner = runSegments(runs, col, col + payload.length, lineNo, 0);
    this.pending = {
      text: payload,
      line: lineNo,
      startChar,
      endLine: lineNo,
      endChar: originalColumn(runs, col + payload.length, true),
      framing: framing.framing ?? inherit?.framing ?? 'bare',
      time: framing.time ?? inherit?.time ?? null,
      host: framing.host ?? inherit?.host ?? null,
      isKernel: inherit ? inherit.isKernel : framing.isKernel,
      caller: framing.caller ?? inherit?.caller ?? null,
      segments: inner.length === 0 ? NO_SEGMENTS : [{ offset: 0, line: lineNo, char: startChar }, ...inner],
    };
  }

  private appendWrap(prev: AssembledLine, payload: string, lineNo: number, col: number): void {
    let base = prev.text;
    if (base.endsWith('$') && !this.framedRun) base = base.slice(0, -1);
    if (base.length >= MAX_LOGICAL_LENGTH) return;
    if (base.length === 0) {
      // The framed line held no text (`[7.2]` alone, then a lone \r): the logical line's text
      // begins on this physical line, and so do its position and every range in it.
      const runs = this.runs;
      const startChar = originalColumn(runs, col, false);
      const inner = runSegments(runs, col, col + payload.length, lineNo, 0);
      prev.text = payload;
      prev.line = lineNo;
      prev.startChar = startChar;
      prev.segments =
        inner.length === 0 ? NO_SEGMENTS : [{ offset: 0, line: lineNo, char: startChar }, ...inner];
      prev.endLine = lineNo;
      prev.endChar = originalColumn(runs, col + payload.length, true);
      return;
    }
    const sep = wrapSeparator(base, payload);
    prev.text = base + sep + payload;
    if (prev.segments === NO_SEGMENTS) prev.segments = [{ offset: 0, line: prev.line, char: prev.startChar }];
    const at = base.length + sep.length;
    prev.segments.push({ offset: at, line: lineNo, char: originalColumn(this.runs, col, false) });
    for (const s of runSegments(this.runs, col, col + payload.length, lineNo, at)) prev.segments.push(s);
    prev.endLine = lineNo;
    prev.endChar = originalColumn(this.runs, col + payload.length, true);
  }

  /** Emits a logical line, first splitting records that a reflow joined (`… no [  776.2] Normal`). */
  private emitSplit(line: AssembledLine): void {
    if (line.text.length > MAX_LOGICAL_LENGTH) line.text = line.text.slice(0, MAX_LOGICAL_LENGTH);
    // rsyslog escapes embedded newlines as #012, syslog-ng and journald exports as \x0a: each part
    // is a kernel line of its own.
    if (line.text.indexOf('#012') >= 0 || line.text.indexOf('\\x0a') >= 0) {
      const escape = /#012|\\x0a/g;
      let from = 0;
      let m: RegExpExecArray | null;
      while ((m = escape.exec(line.text))) {
        this.emitRecords(sliceLine(line, from, m.index, line.time));
        from = m.index + m[0].length;
      }
      this.emitRecords(sliceLine(line, from, line.text.length, line.time));
      return;
    }
    this.emitRecords(line);
  }

  /** Splits a kernel syslog line where a second record's whole prefix, with the same host and the
   * kernel's tag, stands inside it (EMBEDDED_SYSLOG): each part is a line of its own, with its time. */
  private emitRecords(line: AssembledLine): void {
    const host = line.host;
    if (line.framing !== 'syslog' || !line.isKernel || host === null || line.text.indexOf(` ${host} `) < 0) {
      this.emitStamped(line);
      return;
    }
    EMBEDDED_SYSLOG.lastIndex = 0;
    let m: RegExpExecArray | null;
    let from = 0;
    let time = line.time;
    while ((m = EMBEDDED_SYSLOG.exec(line.text))) {
      if (m[2] !== host) continue;
      this.emitStamped(sliceLine(line, from, m.index, time));
      from = m.index + m[0].length;
      time = m[1];
    }
    if (from === 0) this.emitStamped(line);
    else if (from < line.text.length) this.emitStamped(sliceLine(line, from, line.text.length, time));
  }

  private emitStamped(line: AssembledLine): void {
    if (line.text.indexOf('] ') < 0 && !line.text.endsWith(']')) {
      this.emit(line);
      return;
    }
    EMBEDDED_STAMP.lastIndex = 0;
    let m: RegExpExecArray | null;
    let from = 0;
    let time = line.time;
    while ((m = EMBEDDED_STAMP.exec(line.text))) {
      this.emit(sliceLine(line, from, m.index, time));
      from = m.index + m[0].length;
      time = /\d+\.\d+/.exec(m[0])![0];
    }
    if (from === 0) this.emit(line);
    else if (from < line.text.length) this.emit(sliceLine(line, from, line.text.length, time));
  }
}

function sliceLine(line: AssembledLine, from: number, to: number, time: string | null): AssembledLine {
  const start = positionAt(line, from);
  const end = endPositionAt(line, Math.max(from, to));
  const segments: Segment[] = line.segments
    .filter((s, i) => {
      const nextOffset = i + 1 < line.segments.length ? line.segments[i + 1].offset : Infinity;
      return nextOffset > from && s.offset < to;
    })
    .map((s) =>
      s.offset < from ? { offset: 0, line: start.line, char: start.char } : { ...s, offset: s.offset - from },
    );
  return {
    ...line,
    time,
    text: line.text.slice(from, to).replace(/\s+$/, ''),
    line: start.line,
    startChar: start.char,
    endLine: end.line,
    endChar: end.char,
    segments,
  };
}
