// Turns physical lines into logical kernel lines: framing removed, lines wrapped by mailers or
// terminals rejoined where the kernel's format proves it, several records reflowed onto one line
// split apart, rsyslog `#012` escapes split, terminal escape sequences removed, a quoted-printable
// mail body decoded (quoted-printable.ts). Streaming: one physical line in, zero or more logical
// lines out, with one line of look-behind (and one more while a soft-broken line waits). Positions are
// the document's as an LSP client counts them: lines end at `\n`, `\r\n` or a lone `\r`, columns
// are UTF-16 units of the original text (escape sequences included).

import type { Framing, LogicalLine } from './model';
import { EMBEDDED_SYSLOG, readFraming, isAlignedContinuation, type FramedLine } from './framing';
import { KNOWN_FIELDS, STRONG_START, TOKEN_STARTS, classifyLine, type LineKind } from './formats';
import {
  EXPORT_BINARY_MESSAGE,
  EXPORT_SIZE_BYTES,
  isKernelEntry,
  jsonEntryStart,
  readExportField,
  readJsonEntry,
  readJsonMember,
} from './journal';
import { QuotedPrintableBody, type PositionRuns } from './quoted-printable';

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
/** What ends a kernel line inside a logical line: rsyslog's `#012`, syslog-ng's and journald's
 * `\x0a`, a journal JSON message's newline (see emitSplit). */
const LINE_SEPARATORS = ['#012', '\\x0a', '\n'] as const;

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

/** Index of the run (a PositionRuns triple) holding `offset` in the line's text (`end`: a
 * range's end, see endPositionAt). */
function runAt(runs: PositionRuns, offset: number, end: boolean): number {
  let lo = 0;
  let hi = runs.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const o = runs[3 * mid];
    if (end ? o < offset : o <= offset) lo = mid;
    else hi = mid - 1;
  }
  return 3 * lo;
}

/** Column in the document of `offset` in the line's text (runs null: the line's own columns). */
function originalColumn(runs: PositionRuns | null, offset: number, end: boolean): number {
  if (runs === null || runs.length === 0) return offset;
  const k = runAt(runs, offset, end);
  return runs[k + 2] + (offset - runs[k]);
}

/** Physical line of `offset` in the line's text: `line` unless a decoded line spans several. */
function originalLine(runs: PositionRuns | null, offset: number, end: boolean, line: number): number {
  return runs === null || runs.length === 0 ? line : runs[runAt(runs, offset, end) + 1];
}

/** Segments for the text [from, to), shifted to start at `base`: one where each piece after the
 * first begins. */
function runSegments(runs: PositionRuns | null, from: number, to: number, base: number): Segment[] {
  if (runs === null) return NO_SEGMENTS; // most lines: nothing allocated
  const segments: Segment[] = [];
  for (let k = 0; k < runs.length; k += 3)
    if (runs[k] > from && runs[k] < to)
      segments.push({ offset: base + runs[k] - from, line: runs[k + 1], char: runs[k + 2] });
  return segments;
}

/** stripEscapes' runs ([offset, column …] of the stripped text in `text`) read through the runs
 * of `text` itself (a decoded line's). */
function composeRuns(stripped: number[], inner: PositionRuns): PositionRuns {
  const out: PositionRuns = [];
  for (let k = 0; k < stripped.length; k += 2) {
    const kept = stripped[k];
    const from = stripped[k + 1];
    const to = k + 2 < stripped.length ? from + (stripped[k + 2] - kept) : Infinity;
    for (let r = runAt(inner, from, false); r < inner.length && inner[r] < to; r += 3) {
      const at = Math.max(inner[r], from);
      out.push(kept + (at - from), inner[r + 1], inner[r + 2] + (at - inner[r]));
    }
  }
  return out;
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

/**
 * How far before an export-format MESSAGE its entry's `_TRANSPORT`/`SYSLOG_IDENTIFIER` lines are
 * read (`SYSLOG_IDENTIFIER` comes two lines before MESSAGE in journalctl's order). No further:
 * the CLI's reader feeds only ANCHOR_LOOKBEHIND_LINES (parse.ts) before a line with an anchor, and
 * must read the entry as the editor does (tool-framings.test.ts holds the two together).
 */
export const EXPORT_FIELD_WINDOW = 3;

/** Report headers: the comm before their colon may hold colons itself (`Binder:1234_2`). */
const HEADER_KINDS: ReadonlySet<LineKind> = new Set([
  'page_alloc_header',
  'alloc_stall_header',
  'vmalloc_header',
  'oom_header',
]);

/**
 * What goes between a logcat tag and its message when they are put back together. logd's LogKlog
 * (AOSP system/logging logd/LogKlog.cpp, LogKlog::log) took the kernel's text up to the first
 * colon outside `[…]` (one or two words) as the tag and dropped the colon and the whitespace
 * around it. Of the readings `tag:msg`, `tag: msg` and `tag : msg` the one the printk formats
 * recognise is taken; when the first two both are (a header whose comm holds a colon,
 * `Binder:1234_2: page allocation failure` → tag `Binder`; a `name:value` field such as
 * `Normal free:1234kB`), the kernel's own spelling decides: no space after a field name
 * (KNOWN_FIELDS) or inside a comm (a header's, the cpuset line's), else `: `, which is also the reading when none is
 * recognised (`SLUB: `, `Hardware name: `: the kernel's usual `prefix: text`).
 */
export function tagJoiner(tag: string, message: string): ':' | ': ' | ' : ' {
  const tight = classifyLine(`${tag}:${message}`);
  const spaced = classifyLine(`${tag}: ${message}`);
  if (tight !== null && spaced === null) return ':';
  if (spaced !== null && tight === null) return ': ';
  // `SysRq : Show Memory` (2.6–5.x drivers/tty/sysrq.c __handle_sysrq)
  if (tight === null && classifyLine(`${tag} : ${message}`) !== null) return ' : ';
  // (2.6 kernels capitalised the first counter: `Active_anon:372`)
  const word = /[A-Za-z0-9_]+$/.exec(tag)?.[0];
  if (word !== undefined && (KNOWN_FIELDS.has(word) || KNOWN_FIELDS.has(word.toLowerCase()))) return ':';
  // the rest of a comm (`31542_2`, `[2:INIT]`) up to the header's own `: ` or ` invoked `, or the
  // cpuset line's ` cpuset=` (cpuset_print_current_mems_allowed prints current->comm first) — but
  // not when the tag is the whole comm the tight reading found: warn_alloc prints `%s: ` and then
  // the vmalloc text, whose own colon follows its first word (`kmodloader: vmalloc: allocation
  // failure: …`, mm/vmalloc.c __vmalloc_node_range 4.9–5.12; `vmalloc error:` 5.14+)
  if (
    tight !== null &&
    (HEADER_KINDS.has(tight.kind) || tight.kind === 'cpuset') &&
    /^\S+(?: invoked |: | cpuset=)/.test(message) &&
    tight.match.groups?.comm?.trim() !== tag.trim()
  )
    return ':';
  return ': ';
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

/** A physical line as the assembler reads it: cut to a bound, without its terminal escape
 * sequences (the pieces kept go to `into.runs`, null when none was removed), control characters
 * blanked in binary junk. */
function readable(raw: string, into: { runs: number[] | null }): string {
  let text = raw;
  if (text.length > MAX_LOGICAL_LENGTH * 4) text = text.slice(0, MAX_LOGICAL_LENGTH * 4);
  // Escape sequences go before anything is read (`Mem\x1b[0m-Info:`); positions are mapped back
  // to the line's own columns through `runs`.
  let runs: number[] | null = null;
  if (text.indexOf('\x1b') >= 0) ({ text, runs } = stripEscapes(text));
  into.runs = runs;
  return blankOddCharacters(text);
}

/** What every line read gets last (the assembler's pushDecoded, readsAlone): control characters
 * blanked in binary junk, which shows itself by a NUL (a native search); NO-BREAK SPACE read as a
 * space: mail clients turn the spaces of a quoted or indented log into U+00A0 (QP `=C2=A0`,
 * `>    [  739.19]`), the kernel never prints one in a memory report, and each is one UTF-16 unit
 * like the space it replaced, so every column is kept. */
function blankOddCharacters(line: string): string {
  let text = line;
  if (text.indexOf('\0') >= 0) text = text.replace(CONTROL, ' ');
  if (text.indexOf('\u00a0') >= 0) text = text.replace(NBSP, ' ');
  return text;
}

const SCRATCH: { runs: number[] | null } = { runs: null };

/**
 * True when the LineAssembler reads this physical line, and so every line after it, the same
 * whatever lines came before: a line with a framing prefix begins a logical line of its own and a
 * framed run; a blank line ends the line held back and any run. Any other line may be a wrap of
 * the line before it, or after framed lines with no blank line between, their wrap or aligned
 * continuation (see `pushLine`). A reader that skips lines (the CLI's LineFeeder) starts feeding
 * at such a line to read what a full parse reads. `raw` as `push` takes it; only its first
 * physical line (up to a lone `\r`) counts.
 */
export function readsAlone(raw: string): boolean {
  const cr = raw.indexOf('\r');
  const first = cr >= 0 && cr < raw.length - 1 ? raw.slice(0, cr) : raw;
  const text = readable(first, SCRATCH);
  const framing = readFraming(text);
  return framing.framing !== null || text.slice(framing.payloadStart, framing.payloadEnd).trim() === '';
}

/** Physical lines in, logical lines out through `emit`. */
export class LineAssembler {
  private pending: AssembledLine | null = null;
  /** The previous physical line had a framing prefix (or continued one that had). */
  private framedRun = false;
  private payloadColumn = 0;
  private lineNo = -1;
  private counts = new Map<Framing, number>();
  /** Where the current line's text comes from when escape sequences were removed from it (see
   * stripEscapes) or it was decoded from a quoted-printable body, else null: its columns are then
   * the physical line's own. */
  private runs: PositionRuns | null = null;
  /** The quoted-printable decision and decoding, before anything else reads a line. */
  private readonly qp = new QuotedPrintableBody((text, line, runs) => this.pushDecoded(text, line, runs));
  /** `journalctl -o export`: the entry's `_TRANSPORT` and `SYSLOG_IDENTIFIER` lines seen last
   * (reset at the entry's end), with their line numbers: see EXPORT_FIELD_WINDOW. */
  private entry: {
    transport: string | null;
    transportLine: number;
    identifier: string | null;
    identifierLine: number;
  } = { transport: null, transportLine: -1, identifier: null, identifierLine: -1 };
  /** Inside a binary MESSAGE of the export format: size bytes still to pass over (-1: none). */
  private binaryMessage = -1;
  /** The line of that value's `MESSAGE`. */
  private binaryStart = -1;

  /** Told each physical line's own time stamp as its framing read it, and the column where its
   * message begins (repeat-run.ts compares copies of a stretch outside their stamps). */
  ownStamp: ((line: number, time: string, textFrom: number) => void) | null = null;

  /** `afterLine`, when given, is called once each physical line (or skipped stretch) is taken in. */
  constructor(
    private readonly emit: (line: AssembledLine) => void,
    private readonly afterLine?: () => void,
  ) {}

  get physicalLines(): number {
    return this.lineNo + 1;
  }

  /** Physical line from which the text is decoded as a quoted-printable mail body, or null. */
  get quotedPrintableFrom(): number | null {
    return this.qp.from;
  }

  /** A reader that skips text must feed every line now: the body is being decoded, or a line
   * waits for the next one to decide whether it is. */
  get readsEveryLine(): boolean {
    return this.qp.active || this.qp.holding;
  }

  /** Lines read of each framing so far (a copy), in the order each was first seen. */
  get framingCounts(): Map<Framing, number> {
    return new Map(this.counts);
  }

  /** Adds `times` × `counts` to the lines read of each framing (the lines of a stretch's copies
   * that were not read, repeat-run.ts). */
  addFramingCounts(counts: ReadonlyMap<Framing, number>, times: number): void {
    for (const [framing, n] of counts) this.counts.set(framing, (this.counts.get(framing) ?? 0) + n * times);
  }

  /** The framing most lines carried; `bare` when none did. */
  get dominantFraming(): Framing {
    return dominantFraming(this.counts);
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
    let text = raw;
    if (text.length > MAX_LOGICAL_LENGTH * 4) text = text.slice(0, MAX_LOGICAL_LENGTH * 4);
    // Escape sequences go before anything is read (`Mem\x1b[0m-Info:`, `=3\x1b[0mD`); positions
    // are mapped back to the line's own columns through their runs.
    let escapes: number[] | null = null;
    if (text.indexOf('\x1b') >= 0) ({ text, runs: escapes } = stripEscapes(text));
    this.qp.push(text, ++this.lineNo, escapes);
  }

  /** A line as the quoted-printable step hands it on: from physical line `lineNo` on, `runs` its
   * positions in the document (null: that line's own columns). */
  private pushDecoded(decoded: string, lineNo: number, qpRuns: PositionRuns | null): void {
    let text = decoded;
    let runs = qpRuns;
    if (text.length > MAX_LOGICAL_LENGTH * 4) text = text.slice(0, MAX_LOGICAL_LENGTH * 4);
    // a decoded `=1B` begins an escape sequence of its own
    if (qpRuns !== null && text.indexOf('\x1b') >= 0) {
      const stripped = stripEscapes(text);
      text = stripped.text;
      runs = composeRuns(stripped.runs, qpRuns);
    }
    this.runs = runs;
    text = blankOddCharacters(text);

    const c0 = text.charCodeAt(0);
    if (this.binaryMessage >= 0 && this.pushBinaryMessage(text, lineNo)) return;
    if (c0 === 123 /* { */ || c0 === 0x1e || c0 === 100 /* d */) {
      const at = jsonEntryStart(text);
      if (at >= 0 && this.pushJsonEntry(text, lineNo, at)) return;
    }
    if ((c0 === 9 || c0 === 32 || c0 === 34) && this.pushJsonMember(text, lineNo)) return;
    if ((c0 === 123 || c0 === 125) && /^[{}],?\r?$/.test(text)) {
      // `-o json-pretty`'s braces around each entry: framing, no line of anyone's; an entry's
      // fields never apply to the next one's MESSAGE
      this.emitPending();
      this.framedRun = false;
      this.endEntry();
      this.countFraming('journal-json');
      return;
    }
    if ((c0 === 95 /* _ */ || (c0 >= 65 && c0 <= 90)) && this.pushExportField(text, lineNo)) return;

    const framing = readFraming(text);
    let payload = text.slice(framing.payloadStart, framing.payloadEnd);

    if (framing.framing === null) {
      if (payload.trim() === '') {
        this.emitPending();
        this.framedRun = false;
        this.endEntry();
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
    if (framing.tagEnd >= 0) {
      // logcat: the kernel's text split by logd into tag and message, put back together
      const tag = text.slice(framing.payloadStart, framing.tagEnd);
      const message = text.slice(framing.messageStart, framing.payloadEnd);
      if (message.trim() === '') {
        this.startMapped(`${tag}:`, [0, framing.payloadStart], framing.tagEnd + 1, lineNo, framing);
        return;
      }
      const joined = tag + tagJoiner(tag, message);
      this.startMapped(
        joined + message,
        [0, framing.payloadStart, joined.length, framing.messageStart],
        framing.payloadEnd,
        lineNo,
        framing,
      );
      return;
    }
    this.startLine(payload, lineNo, framing.payloadStart, framing, null);
    payload = '';
  }

  private countFraming(framing: Framing): void {
    this.counts.set(framing, (this.counts.get(framing) ?? 0) + 1);
  }

  /** The end of an export-format entry (an empty line), or text whose entry is unknown. */
  private endEntry(): void {
    this.binaryMessage = -1;
    if (this.entry.transport !== null || this.entry.identifier !== null)
      this.entry = { transport: null, transportLine: -1, identifier: null, identifierLine: -1 };
  }

  /** The entry's MESSAGE (starting on `line`) holds kernel text: `_TRANSPORT=kernel` or
   * `SYSLOG_IDENTIFIER=kernel`, or neither field within EXPORT_FIELD_WINDOW lines before it. */
  private entryIsKernel(line: number): boolean {
    const e = this.entry;
    const transport = e.transportLine >= line - EXPORT_FIELD_WINDOW ? e.transport : null;
    const identifier = e.identifierLine >= line - EXPORT_FIELD_WINDOW ? e.identifier : null;
    return isKernelEntry(transport, identifier);
  }

  private exportFraming(line: number): FramedLine {
    return {
      payloadStart: 0,
      payloadEnd: 0,
      framing: 'journal-export',
      time: null,
      host: null,
      isKernel: this.entryIsKernel(line),
      caller: null,
      tagEnd: -1,
      messageStart: 0,
    };
  }

  /**
   * A `KEY=value` line of `journalctl -o export` (or `MESSAGE` alone, before a binary value): the
   * entry's fields are noted, its MESSAGE is a kernel line. False when the line is no such field.
   */
  private pushExportField(text: string, lineNo: number): boolean {
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    if (end === EXPORT_BINARY_MESSAGE.length && text.startsWith(EXPORT_BINARY_MESSAGE)) {
      // `MESSAGE`, then the size (EXPORT_SIZE_BYTES, little-endian), the bytes, a newline: the
      // bytes are the record's lines (a multi-line record, or one that is not printable UTF-8)
      this.emitPending();
      this.framedRun = false;
      this.countFraming('journal-export');
      this.binaryMessage = EXPORT_SIZE_BYTES;
      this.binaryStart = lineNo;
      return true;
    }
    const field = readExportField(text);
    if (field === null) return false;
    this.emitPending();
    this.framedRun = false;
    this.countFraming('journal-export');
    const value = text.slice(field.valueStart, end);
    switch (field.key) {
      case 'MESSAGE':
        this.startLine(value, lineNo, field.valueStart, this.exportFraming(lineNo), null);
        break;
      case '_TRANSPORT':
        this.entry.transport = value;
        this.entry.transportLine = lineNo;
        break;
      case 'SYSLOG_IDENTIFIER':
        this.entry.identifier = value;
        this.entry.identifierLine = lineNo;
        break;
    }
    return true;
  }

  /** A physical line inside a binary MESSAGE: first the size bytes (a size byte may be a line
   * break), then one kernel line per line, up to the next field or the entry's end. False when
   * the value has ended and the line is to be read as usual. */
  private pushBinaryMessage(text: string, lineNo: number): boolean {
    let col = 0;
    if (this.binaryMessage > 0) {
      const size = Math.min(this.binaryMessage, text.length);
      this.binaryMessage -= size;
      col = size;
      if (this.binaryMessage > 0) {
        this.binaryMessage--; // the line break was one of the size bytes
        return true;
      }
    } else if (text.trim() === '' || readExportField(text) !== null) {
      this.binaryMessage = -1;
      return false;
    }
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    this.countFraming('journal-export');
    this.startLine(
      text.slice(col, Math.max(col, end)),
      lineNo,
      col,
      this.exportFraming(this.binaryStart),
      null,
    );
    return true;
  }

  /** A `journalctl -o json` line: its MESSAGE, JSON escapes resolved, mapped back to its columns. */
  private pushJsonEntry(text: string, lineNo: number, at: number): boolean {
    const entry = readJsonEntry(text, at);
    if (entry === null) return false;
    this.emitPending();
    this.framedRun = false;
    this.countFraming('journal-json');
    if (entry.message === null || entry.runs.length === 0) return true;
    const runs = entry.runs;
    const framing: FramedLine = {
      payloadStart: runs[1],
      payloadEnd: entry.messageEnd,
      framing: 'journal-json',
      time: entry.time,
      host: entry.host,
      isKernel: entry.isKernel,
      caller: null,
      tagEnd: -1,
      messageStart: runs[1],
    };
    this.startMapped(entry.message, runs, framing.payloadEnd, lineNo, framing);
    return true;
  }

  /** A member line of `journalctl -o json-pretty`: its entry's fields noted as an export
   * entry's are (EXPORT_FIELD_WINDOW), its MESSAGE a kernel line at the string's columns. */
  private pushJsonMember(text: string, lineNo: number): boolean {
    let i = 0;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) !== 34 /* " */) return false;
    const member = readJsonMember(text);
    if (member === null) return false;
    this.emitPending();
    this.framedRun = false;
    this.countFraming('journal-json');
    const { key, value } = member;
    if (key === '_TRANSPORT') {
      this.entry.transport = value.text;
      this.entry.transportLine = lineNo;
    } else if (key === 'SYSLOG_IDENTIFIER') {
      this.entry.identifier = value.text;
      this.entry.identifierLine = lineNo;
    } else if (key === 'MESSAGE' && value.text !== null && value.runs.length > 0) {
      // (the column after the text: the closing `"` or `]`, past a final escape)
      const framing: FramedLine = { ...this.exportFraming(lineNo), framing: 'journal-json' };
      this.startMapped(value.text, value.runs, value.end - 1, lineNo, framing);
    }
    return true;
  }

  /**
   * Starts a logical line whose text is not one slice of the physical line: `pieces` holds, for
   * each piece that maps 1:1 onto the line, [offset in text, column in the line (after escape
   * sequences were removed)]; `endCol` is the column after the text's last character.
   */
  private startMapped(
    text: string,
    pieces: number[],
    endCol: number,
    lineNo: number,
    framing: FramedLine,
  ): void {
    this.emitPending();
    const runs = this.runs;
    const startChar = originalColumn(runs, pieces[1], false);
    const line = originalLine(runs, pieces[1], false, lineNo);
    const segments: Segment[] = [];
    for (let k = 0; k < pieces.length; k += 2) {
      const offset = pieces[k];
      const col = pieces[k + 1];
      const length = (k + 2 < pieces.length ? pieces[k + 2] : text.length) - offset;
      segments.push({
        offset,
        line: originalLine(runs, col, false, lineNo),
        char: originalColumn(runs, col, false),
      });
      for (const s of runSegments(runs, col, col + length, offset)) segments.push(s);
    }
    this.pending = {
      text,
      line,
      startChar,
      endLine: originalLine(runs, endCol, true, lineNo),
      endChar: originalColumn(runs, endCol, true),
      framing: framing.framing ?? 'bare',
      time: framing.time,
      host: framing.host,
      isKernel: framing.isKernel,
      caller: framing.caller,
      segments: segments.length === 1 ? NO_SEGMENTS : segments,
    };
  }

  /** Text of the line held back until the next physical line shows whether it continues. */
  get pendingText(): string | null {
    return this.pending?.text ?? null;
  }

  /** `n` physical lines passed over by the reader: they break any wrap and count for numbering. */
  skip(n: number): void {
    this.qp.end();
    this.emitPending();
    this.framedRun = false;
    this.endEntry();
    this.lineNo += n;
    this.afterLine?.();
  }

  /** End of input: emits the lines still held back. */
  flush(): void {
    this.qp.end();
    this.emitPending();
  }

  private emitPending(): void {
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
    this.emitPending();
    const runs = this.runs;
    const startChar = originalColumn(runs, col, false);
    const line = originalLine(runs, col, false, lineNo);
    const inner = runSegments(runs, col, col + payload.length, 0);
    if (framing.time !== null && runs === null) this.ownStamp?.(lineNo, framing.time, col);
    this.pending = {
      text: payload,
      line,
      startChar,
      endLine: originalLine(runs, col + payload.length, true, lineNo),
      endChar: originalColumn(runs, col + payload.length, true),
      framing: framing.framing ?? inherit?.framing ?? 'bare',
      time: framing.time ?? inherit?.time ?? null,
      host: framing.host ?? inherit?.host ?? null,
      isKernel: inherit ? inherit.isKernel : framing.isKernel,
      caller: framing.caller ?? inherit?.caller ?? null,
      segments: inner.length === 0 ? NO_SEGMENTS : [{ offset: 0, line, char: startChar }, ...inner],
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
      const line = originalLine(runs, col, false, lineNo);
      const inner = runSegments(runs, col, col + payload.length, 0);
      prev.text = payload;
      prev.line = line;
      prev.startChar = startChar;
      prev.segments = inner.length === 0 ? NO_SEGMENTS : [{ offset: 0, line, char: startChar }, ...inner];
      prev.endLine = originalLine(runs, col + payload.length, true, lineNo);
      prev.endChar = originalColumn(runs, col + payload.length, true);
      return;
    }
    const sep = wrapSeparator(base, payload);
    prev.text = base + sep + payload;
    if (prev.segments === NO_SEGMENTS) prev.segments = [{ offset: 0, line: prev.line, char: prev.startChar }];
    const at = base.length + sep.length;
    const runs = this.runs;
    prev.segments.push({
      offset: at,
      line: originalLine(runs, col, false, lineNo),
      char: originalColumn(runs, col, false),
    });
    for (const s of runSegments(runs, col, col + payload.length, at)) prev.segments.push(s);
    prev.endLine = originalLine(runs, col + payload.length, true, lineNo);
    prev.endChar = originalColumn(runs, col + payload.length, true);
  }

  /** Emits a logical line, first splitting records that a reflow joined (`… no [  776.2] Normal`). */
  private emitSplit(line: AssembledLine): void {
    if (line.text.length > MAX_LOGICAL_LENGTH) line.text = line.text.slice(0, MAX_LOGICAL_LENGTH);
    // rsyslog escapes embedded newlines as #012, syslog-ng and journald exports as \x0a, and a
    // journal export's multi-line record holds its newlines (JSON `\n`, binary values): each part
    // is a kernel line of its own. (Each separator's next place is searched once per place passed,
    // not once per part: a message of thousands of parts stays linear.)
    const text = line.text;
    const hash = text.indexOf('#012');
    const x0a = text.indexOf('\\x0a');
    // (only a journal JSON message holds a newline: a physical line never does)
    const nl = line.framing === 'journal-json' ? text.indexOf('\n') : -1;
    if (hash < 0 && x0a < 0 && nl < 0) {
      this.emitRecords(line);
      return;
    }
    const next = [hash, x0a, nl];
    let from = 0;
    for (;;) {
      let k = -1;
      for (let j = 0; j < 3; j++) if (next[j] >= 0 && (k < 0 || next[j] < next[k])) k = j;
      if (k < 0) break;
      const at = next[k];
      this.emitRecords(sliceLine(line, from, at, line.time));
      from = at + LINE_SEPARATORS[k].length;
      for (let j = 0; j < 3; j++)
        if (next[j] >= 0 && next[j] < from) next[j] = text.indexOf(LINE_SEPARATORS[j], from);
    }
    this.emitRecords(sliceLine(line, from, text.length, line.time));
  }

  /** Splits a kernel syslog line where a second record's whole prefix, with the same host and the
   * kernel's tag, stands inside it (EMBEDDED_SYSLOG): each part is a line of its own, with its time. */
  private emitRecords(line: AssembledLine): void {
    const host = line.host;
    if (line.framing !== 'syslog' || !line.isKernel || host === null || line.text.indexOf(` ${host} `) < 0) {
      this.emitStamped(line);
      return;
    }
    splitRecords(line, EMBEDDED_SYSLOG, (m) => (m[2] === host ? m[1] : null), this.emitStampedPart);
  }

  /** (bound once: a line with an embedded stamp is common in dmesg, no closure per line) */
  private readonly emitStampedPart = (part: AssembledLine): void => this.emitStamped(part);

  private emitStamped(line: AssembledLine): void {
    if (line.text.indexOf('] ') < 0 && !line.text.endsWith(']')) {
      this.emit(line);
      return;
    }
    splitRecords(line, EMBEDDED_STAMP, stampTime, this.emit);
  }
}

/** The time of an embedded dmesg stamp (`[  776.2] `). */
const stampTime = (m: RegExpExecArray): string => /\d+\.\d+/.exec(m[0])![0];

/** Splits a logical line where `re` (global) finds a record's prefix inside it: each part goes to
 * `emit` with the time of the prefix before it; `timeOf` gives a prefix's time, or null when the
 * match is no record boundary (kept in the text). */
function splitRecords(
  line: AssembledLine,
  re: RegExp,
  timeOf: (m: RegExpExecArray) => string | null,
  emit: (part: AssembledLine) => void,
): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let from = 0;
  let time = line.time;
  while ((m = re.exec(line.text))) {
    const next = timeOf(m);
    if (next === null) continue;
    emit(sliceLine(line, from, m.index, time));
    from = m.index + m[0].length;
    time = next;
  }
  if (from === 0) emit(line);
  else if (from < line.text.length) emit(sliceLine(line, from, line.text.length, time));
}

function sliceLine(line: AssembledLine, from: number, to: number, time: string | null): AssembledLine {
  const start = positionAt(line, from);
  const end = endPositionAt(line, Math.max(from, to));
  // The pieces [from, to) overlaps: from the last one beginning at or before `from` (binary search:
  // a JSON message split at its `\n`s has a piece per escape, and one slice per line).
  const all = line.segments;
  const segments: Segment[] = [];
  if (all.length > 0) {
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (all[mid].offset <= from) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < all.length && all[i].offset < to; i++) {
      const s = all[i];
      segments.push(
        s.offset < from
          ? { offset: 0, line: start.line, char: start.char }
          : { ...s, offset: s.offset - from },
      );
    }
  }
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

/** The framing read on most lines (the first met among equal counts: the counts keep the order in
 * which each framing was first met). */
export function dominantFraming(counts: ReadonlyMap<Framing, number>): Framing {
  let best: Framing = 'bare';
  let bestCount = 0;
  for (const [framing, count] of counts)
    if (count > bestCount) {
      best = framing;
      bestCount = count;
    }
  return best;
}
