// Offsets ↔ positions for a text, by binary search over line starts (style.md habit 2: positions
// are resolved by binary search, never by rescanning). Lines end where LSP clients end them (and
// the core's parser, parse.ts): at \n, \r\n and a lone \r; `lineText` never returns the terminator.
// Columns are UTF-16 code units, as LSP counts them.

import type { Position, Range } from 'vscode-languageserver-types';

/** Where the characters of the text are read: the string itself, or (after edits) its pieces,
 * read without putting the rope together (edited-document.ts EditedText), which V8 would flatten
 * — copy whole — at the first character read. */
export type TextReader = Pick<string, 'charCodeAt' | 'slice'>;

export class LineIndex {
  /** Offset of the first character of every line; lineStarts[0] is 0. Never changed once built
   * (an edit makes a new index, `withEdit`), so two indexes may share it. */
  private readonly lineStarts: Int32Array;
  /** The text holds a `\r`: only then must a line's end be looked up in the text (a line end is
   * found without touching the text otherwise, which after an edit is a rope V8 would flatten). */
  private readonly hasCr: boolean;
  private readonly reader: TextReader;

  constructor(
    readonly text: string,
    built?: { lineStarts: Int32Array; hasCr: boolean; reader?: TextReader },
  ) {
    this.reader = built?.reader ?? text;
    if (built) {
      this.lineStarts = built.lineStarts;
      this.hasCr = built.hasCr;
      return;
    }
    const starts = [0];
    this.hasCr = text.indexOf('\r') !== -1;
    if (!this.hasCr)
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    else
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (c === 10) starts.push(i + 1);
      }
    // a typed array: an edit that keeps the length copies it with one memmove (withEdit), one that
    // changes it shifts the starts after it; offsets stay below V8's longest string (2^29)
    this.lineStarts = Int32Array.from(starts);
  }

  /** The index of `text` from where a reading found its lines to begin (TextScan `lineStarts`,
   * written down only for a text without `\r`), or by a pass of its own when it has none. */
  static fromStarts(text: string, starts: Int32Array | null): LineIndex {
    return new LineIndex(text, starts === null ? undefined : { lineStarts: starts, hasCr: false });
  }

  /**
   * The index of `text`, which is this index's text with old[from, to) replaced by `inserted`: the
   * line starts before the edit kept, those after it moved, only the edit and the characters
   * around it (a `\r` | `\n` pair it joins or splits) searched. `before` is the old character at
   * from - 1 ('' at the start) and `after` the one at `to` ('' at the end), read by the caller
   * through `slice` (the texts may be ropes V8 would flatten, at the cost of a copy, if read
   * directly); `reader` reads the new text's characters the same way (a line end after a `\r`).
   */
  withEdit(
    from: number,
    to: number,
    inserted: string,
    text: string,
    before: string,
    after: string,
    reader: TextReader = text,
  ): LineIndex {
    const starts = this.lineStarts;
    const delta = inserted.length - (to - from);
    // a start p stays when the characters at p - 1 and p are both before the edit, or both after it
    const keptBefore = lowerBound(starts, from); // starts < from
    const keptAfter = lowerBound(starts, to + 1); // starts ≥ to + 1
    const head: number[] = [];
    // new starts q in [from, from + inserted.length], read from what is around the edit
    const around = before + inserted + after;
    const base = Math.max(0, from - 1);
    const charAt = (q: number): number => (q - base < around.length ? around.charCodeAt(q - base) : NaN);
    for (let q = from; q <= from + inserted.length; q++) {
      if (q === 0) {
        head.push(0);
        continue;
      }
      const c = charAt(q - 1);
      if (c === 10 || (c === 13 && charAt(q) !== 10)) head.push(q);
    }
    const out = new Int32Array(keptBefore + head.length + starts.length - keptAfter);
    out.set(starts.subarray(0, keptBefore));
    out.set(head, keptBefore);
    const tail = keptBefore + head.length - keptAfter;
    if (delta === 0) out.set(starts.subarray(keptAfter), keptBefore + head.length);
    else for (let i = keptAfter; i < starts.length; i++) out[tail + i] = starts[i] + delta;
    return new LineIndex(text, {
      lineStarts: out,
      hasCr: this.hasCr || inserted.indexOf('\r') !== -1,
      reader,
    });
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line holding `offset` (clamped to the text). */
  lineAt(offset: number): number {
    return upperBound(this.lineStarts, Math.max(0, Math.min(offset, this.text.length))) - 1;
  }

  /** An offset inside a line's terminator (between a \r and its \n) is taken as the line's end. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: Math.min(clamped, this.lineEndOffset(line)) - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.text.length;
    return Math.min(
      this.lineStarts[position.line] + Math.max(0, position.character),
      this.lineEndOffset(position.line),
    );
  }

  /** Offset just before the line's terminator (\n, \r\n or \r). */
  lineEndOffset(line: number): number {
    // one back from the next line's start: the \n or lone \r; one more for the \r of a \r\n
    const next = line + 1 < this.lineCount ? this.lineStarts[line + 1] - 1 : this.text.length;
    return this.hasCr && next > this.lineStarts[line] && this.reader.charCodeAt(next - 1) === 13
      ? next - 1
      : next;
  }

  lineText(line: number): string {
    if (line < 0 || line >= this.lineCount) return '';
    return this.reader.slice(this.lineStarts[line], this.lineEndOffset(line));
  }

  /** The whole line, without its terminator. */
  lineRange(line: number): Range {
    const start = this.lineStarts[line];
    return { start: { line, character: 0 }, end: { line, character: this.lineEndOffset(line) - start } };
  }

  /** The text ends with a line terminator (then an appended block needs no leading newline). */
  endsWithNewline(): boolean {
    return this.text.length === 0 || this.text.endsWith('\n') || this.text.endsWith('\r');
  }

  /** "\r\n" when the text's first line ends with one, else "\n": edits keep the file's style. */
  eol(): string {
    return this.lineCount > 1 && this.text.charCodeAt(this.lineStarts[1] - 2) === 13 ? '\r\n' : '\n';
  }
}

/** Index of the first element not less than `value` in an ascending array. */
function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element greater than `value` in an ascending array. */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The last item whose key is ≤ `key`, in an array sorted by key (or undefined). Used to find the
 * report, zone or frame that holds a line without scanning them all.
 */
export function findLastAtOrBefore<T>(
  sorted: readonly T[],
  key: number,
  keyOf: (item: T) => number,
): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(sorted[mid]) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}
