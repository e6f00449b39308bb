// Quoted-printable mail bodies (RFC 2045 section 6.7), as raw list archives keep them: a kernel log pasted
// into a mail whose transfer encoding is quoted-printable reads `gfp_mask=3D0x24200d4(GFP_USER|GF=`
// and, on the next line, `P_DMA32|…`: `=XX` stands for the byte 0xXX (`=3D` is `=`) and a line
// ending in `=` is a soft line break, its text going on at the start of the next line (the encoder
// cuts anywhere, mid-word, mid-number). This module decides per document whether the text is such
// a body and decodes it, physical lines in, decoded lines out, each with the map from its offsets
// back to the physical lines and columns they came from (LineAssembler reads it as it reads the
// runs of removed escape sequences).
//
// The decision needs real evidence, because kernel text holds `=` too: a line is *shaped* like a
// quoted-printable line when every `=` on it starts an escape (`=` and two upper-case hex digits,
// section 6.7 rule 1: "Uppercase letters must be used") or is its last character (rule 5, the soft
// break), and it is at most 76 characters long (rule 5: "no more than 76 characters"). Decoding
// begins at the first shaped line holding `=3D`, the encoded `=` of every `key=value` the kernel
// prints (`gfp_mask=`, `nodemask=`, `cpuset=`, the buddy lines' `= 4116kB`, `Free swap  =`, the
// hugepages line), or before it: at the shaped line ending in `=` right before it, whose soft break
// it continues (`mode:0x400d0(__GFP_I=` | `O|…, nodemask=3D(null)`), or at the first of the
// QP_LOOKBEHIND_LINES lines before it that holds an escaped UTF-8 character (`=C2=A0`, section 6.7
// rules 1 and 2: an octet above 126 is never written as itself), every line from there on shaped.
// That is how a reply's mail client writes a quoted log: it turns the indent and the blanks of
// `[  739.19]` into NO-BREAK SPACEs (`> =C2=A0=C2=A0=C2=A0 [=C2=A0 739.193589] v4l2src0:src: page
// allocation fail=`), reflows the record at its own width (`ure: order:5,` | `> mode:0xcc4(…),
// nodemask=3D(null),…`), so the line that proves the encoding can come two lines after the
// header it belongs to. The lookbehind is bounded, and depends only on those lines themselves, so
// that every reader decides alike (the CLI feeds ANCHOR_LOOKBEHIND_LINES ≥ QP_LOOKBEHIND_LINES
// lines before each `=3D`). Neither a line ending in `=` nor an escaped UTF-8 character is
// evidence by itself: a chopped `nodemask=`, or a buddy line wrapped after its `=` (`… 0*4096kB =`
// | `460012kB`) stays as it is. Kernel text is never `=`-escaped (`gfp_mask=0x…`, `order=0`, `=====`:
// no two hex digits after the `=`), so a log without evidence is read exactly as before. Once
// decoding has begun it goes on to the end of the document: a `=` not followed by two hex digits is
// kept as it is (section 6.7 note 1, "leave it"). A body whose first `=3D` comes late (a show_mem
// dump's buddy lines) is read as it is up to the line before it.
//
// Readers that skip text (the CLI) must feed every line that can begin the decoding: they search
// for QUOTED_PRINTABLE_ANCHORS (`=3D`; the lines before it where decoding may begin are within the
// lookbehind they feed before any anchor), and feed every line while `holding` or `active`
// (LogScanner.idle), so a soft break that cuts an anchor word (`oom-kill=` | `er`) or an escaped
// one (`=61lloc`) is read.

import { decodeBytes } from './journal';

/** Section 6.7 rule 5: encoded lines are at most 76 characters long (the soft break's `=` included). */
export const QP_MAX_LINE = 76;

/** The byte string every line that decides the decoding holds: the encoded `=`. */
export const QUOTED_PRINTABLE_ANCHORS: readonly string[] = ['=3D'];

/** How many lines before the deciding line the decoding may begin (see above). */
export const QP_LOOKBEHIND_LINES = 3;

/** A decoded line longer than this stops taking soft-broken pieces (a kernel record is ~1 KiB;
 * LineAssembler cuts physical lines at the same length), so any input stays linear. */
const MAX_DECODED = 65536;

/**
 * A decoded line's map back to the document: [offset, line, char, offset, line, char …], one
 * triple where a piece begins whose characters stand one for one at `line`, from `char` on. A
 * character decoded from an escape is a piece of its own, at the escape's `=`.
 */
export type PositionRuns = number[];

/** The physical line without the `\r` of its `\r\n` terminator. */
function content(raw: string): string {
  return raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70);

/** Every `=` on the line begins an escape or is its last character, and it holds at most 76
 * characters (trailing blanks left out: section 6.7 rule 3 lets transports add them). */
export function isQuotedPrintableShaped(line: string): boolean {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (end > QP_MAX_LINE) return false;
  for (let at = line.indexOf('='); at >= 0 && at < end; at = line.indexOf('=', at + 1)) {
    if (at === end - 1) return true;
    if (!isHex(line.charCodeAt(at + 1)) || !isHex(line.charCodeAt(at + 2))) return false;
    at += 2;
  }
  return true;
}

/** The line holds an escaped UTF-8 character (`=C2=A0`, `=E2=80=99`): a lead byte C2–F4 and the
 * continuation bytes (80–BF) it asks for, each escaped. Kernel text never holds one. */
export function holdsEscapedUtf8(line: string): boolean {
  for (let at = line.indexOf('='); at >= 0; at = line.indexOf('=', at + 1)) {
    const lead = escapedByte(line, at);
    if (lead < 0xc2 || lead > 0xf4) continue;
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    let k = 1;
    while (k <= need && (escapedByte(line, at + 3 * k) & 0xc0) === 0x80) k++;
    if (k > need) return true;
  }
  return false;
}

/** The byte an escape at `at` stands for, or -1. */
function escapedByte(line: string, at: number): number {
  if (line.charCodeAt(at) !== 61 || !isHex(line.charCodeAt(at + 1)) || !isHex(line.charCodeAt(at + 2)))
    return -1;
  return parseInt(line.slice(at + 1, at + 3), 16);
}

/** Where the soft break's `=` stands (section 6.7 rule 3: blanks after it are the transport's), or -1. */
function softBreakAt(line: string): number {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end > 0 && line.charCodeAt(end - 1) === 61 ? end - 1 : -1;
}

interface Piece {
  /** The physical line's text up to (without) its soft break, or all of it for the last piece. */
  text: string;
  line: number;
  /** Where escape sequences were removed from the physical line (stripEscapes' runs: [offset in
   * `text`, column …]), else null: `text` holds the line's own columns. */
  escapes: number[] | null;
}

/** Adds the runs of `piece.text` [from, to), placed at `offset` in the decoded text. */
function pushRuns(runs: PositionRuns, offset: number, piece: Piece, from: number, to: number): void {
  const esc = piece.escapes;
  if (esc === null) {
    runs.push(offset, piece.line, from);
    return;
  }
  let k = 0;
  while (k + 2 < esc.length && esc[k + 2] <= from) k += 2;
  for (; k < esc.length; k += 2) {
    const at = Math.max(esc[k], from);
    if (at >= to) break;
    runs.push(offset + (at - from), piece.line, esc[k + 1] + (at - esc[k]));
  }
}

/** stripEscapes' runs of physical line `line` as PositionRuns. */
function escapeRuns(escapes: number[], line: number): PositionRuns {
  const runs: PositionRuns = [];
  for (let k = 0; k < escapes.length; k += 2) runs.push(escapes[k], line, escapes[k + 1]);
  return runs;
}

/**
 * Decodes quoted-printable pieces (one logical line, the soft breaks removed) into text and its
 * position runs. Bytes 0x80 and above are read as UTF-8 (the charset of nearly every list mail
 * today; an invalid sequence gives U+FFFD per byte). An encoded CR or LF becomes a space: a line
 * break inside a line would move every later position.
 */
export function decodeQuotedPrintable(pieces: readonly Piece[]): { text: string; runs: PositionRuns } {
  const out: string[] = [];
  const runs: PositionRuns = [];
  let length = 0;
  for (const piece of pieces) {
    const s = piece.text;
    let from = 0;
    let at = s.indexOf('=');
    while (at >= 0) {
      if (!isHex(s.charCodeAt(at + 1)) || !isHex(s.charCodeAt(at + 2))) {
        at = s.indexOf('=', at + 1);
        continue;
      }
      if (at > from) {
        pushRuns(runs, length, piece, from, at);
        out.push(s.slice(from, at));
        length += at - from;
      }
      // a run of escapes: the bytes they stand for, decoded together (a UTF-8 sequence spans several)
      const bytes: number[] = [];
      const cols: number[] = [];
      while (at >= 0 && isHex(s.charCodeAt(at + 1)) && isHex(s.charCodeAt(at + 2))) {
        bytes.push(parseInt(s.slice(at + 1, at + 3), 16));
        cols.push(at);
        at += 3;
        if (s.charCodeAt(at) !== 61) break;
      }
      // (journal.ts decodeBytes: each character with the column of its first escape)
      const decoded = decodeBytes(bytes, cols);
      for (let k = 0; k < decoded.runs.length; k += 2) {
        const end = k + 2 < decoded.runs.length ? decoded.runs[k + 2] : decoded.text.length;
        const char = decoded.text.slice(decoded.runs[k], end);
        pushRuns(runs, length, piece, decoded.runs[k + 1], decoded.runs[k + 1] + 1);
        out.push(char === '\n' || char === '\r' ? ' ' : char);
        length += char.length;
      }
      from = at;
      at = s.indexOf('=', at);
    }
    if (from < s.length) {
      pushRuns(runs, length, piece, from, s.length);
      out.push(s.slice(from));
      length += s.length - from;
    }
  }
  return { text: out.join(''), runs };
}

/**
 * The per-document decision and the decoding, streaming: `push` each physical line (escape
 * sequences already removed, `escapes` their runs) with its number; `emit` gets each line to read
 * on with the physical line it began on and the map of its positions (null: the physical line's
 * own columns). A soft-broken line waits for its continuation.
 */
export class QuotedPrintableBody {
  /** Physical line where decoding began; null while the text is read as it is. */
  from: number | null = null;
  /** Soft-broken pieces waiting for the rest of their line (once decoding has begun). */
  private held: Piece[] = [];
  private heldLength = 0;
  /** Before the decision: the lines where decoding would begin if the next line held `=3D`, as
   * they came (at most QP_LOOKBEHIND_LINES, all shaped): from the first holding an escaped UTF-8
   * character on, or else the last line alone when it ends in `=`. */
  private window: { piece: Piece; utf8: boolean; soft: boolean }[] = [];

  constructor(private readonly emit: (text: string, line: number, runs: PositionRuns | null) => void) {}

  get active(): boolean {
    return this.from !== null;
  }

  /** A line is held back: the next one must be read, whoever skips text. */
  get holding(): boolean {
    return this.held.length > 0 || this.window.length > 0;
  }

  push(raw: string, line: number, escapes: number[] | null): void {
    if (this.from !== null) {
      this.decodeLine(raw, line, escapes);
      return;
    }
    const text = content(raw);
    const eq = text.indexOf('=') >= 0;
    if (!eq && this.window.length === 0) {
      this.pass(raw, line, escapes);
      return;
    }
    const shaped = isQuotedPrintableShaped(text);
    if (shaped && eq && text.indexOf('=3D') >= 0) {
      const window = this.window;
      this.window = [];
      this.from = window.length > 0 ? window[0].piece.line : line;
      for (const w of window) this.decodeLine(w.piece.text, w.piece.line, w.piece.escapes);
      this.decodeLine(raw, line, escapes);
      return;
    }
    if (!shaped) {
      this.release(this.window.length);
      this.pass(raw, line, escapes);
      return;
    }
    const utf8 = eq && holdsEscapedUtf8(text);
    const soft = text.charCodeAt(text.length - 1) === 61;
    if (this.window.length === 0 && !utf8 && !soft) {
      this.pass(raw, line, escapes);
      return;
    }
    this.window.push({ piece: { text: raw, line, escapes }, utf8, soft });
    // what can no longer begin the decoding goes out, in order
    let drop = Math.max(0, this.window.length - QP_LOOKBEHIND_LINES);
    while (drop < this.window.length) {
      const w = this.window[drop];
      if (w.utf8 || (w.soft && drop === this.window.length - 1)) break;
      drop++;
    }
    this.release(drop);
  }

  /** End of input (or of a stretch a reader skipped): what is held goes out. */
  end(): void {
    if (this.from === null) {
      this.release(this.window.length);
      return;
    }
    if (this.held.length === 0) return;
    const pieces = this.held;
    this.held = [];
    this.heldLength = 0;
    const { text, runs } = decodeQuotedPrintable(pieces);
    this.emit(text, pieces[0].line, runs);
  }

  /** A line read as it is. */
  private pass(raw: string, line: number, escapes: number[] | null): void {
    this.emit(raw, line, escapes === null ? null : escapeRuns(escapes, line));
  }

  /** Before the decision: the first `count` lines of the window go out as they came. */
  private release(count: number): void {
    if (count === 0) return;
    const out = this.window.splice(0, count);
    for (const w of out) this.pass(w.piece.text, w.piece.line, w.piece.escapes);
  }

  private decodeLine(raw: string, line: number, escapes: number[] | null): void {
    const text = content(raw);
    const soft = softBreakAt(text);
    if (soft >= 0) {
      if (this.heldLength < MAX_DECODED) {
        this.held.push({ text: text.slice(0, soft), line, escapes });
        this.heldLength += soft + 1;
      }
      return;
    }
    if (this.held.length === 0 && text.indexOf('=') < 0) {
      this.pass(raw, line, escapes);
      return;
    }
    const pieces = this.held;
    if (this.heldLength < MAX_DECODED) pieces.push({ text, line, escapes });
    this.held = [];
    this.heldLength = 0;
    const { text: decoded, runs } = decodeQuotedPrintable(pieces);
    this.emit(decoded, pieces[0].line, runs);
  }
}
