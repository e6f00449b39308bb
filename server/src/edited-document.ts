// The open documents' text as the language server keeps it (issue #17: typing in a 50 MB log).
// vscode-languageserver-textdocument's TextDocument rebuilds its line offsets over the whole text
// on the first edit after an open (and keeps a second copy of them beside our LineIndex); this one
// keeps one LineIndex per version, built once when the first analysis asks for it and then updated
// edit by edit (LineIndex.withEdit: the characters around the edit read, the other line starts
// moved), and the text as pieces (EditedText) so that an edit never copies 50 MB. Each change is
// also written down in lines (core/incremental.ts LineEdit), marked as noise unless it touches
// what a reading stops at (an anchor), or as null when it may form a journal byte array (every
// line is then read): the analysis of the next version moves the last one when every change since
// was a noise edit (features/document.ts movedDocument), else reads again only a window around
// the changes (windowedDocument, core/report-window.ts), else the whole text (server.ts
// `movedFrom`).

import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { holdsReaderAnchor, mayFormByteMessage, type LineEdit } from './core/incremental';
import { LineIndex, type TextReader } from './features/line-index';

/** Versions of edits kept for the next analysis (a client that sends more changes than this between
 * two analyses gets a full one: the log would only grow). */
const EDITS_KEPT = 1000;

/** The changes of one didChange, in lines; null when one replaced the whole text or may have formed
 * a journal byte array (every line is then read: nothing of the last reading is kept). `noise`:
 * none of them added or removed a reader anchor (the last analysis may be moved). */
export interface VersionEdits {
  version: number;
  edits: LineEdit[] | null;
  noise: boolean;
}

/**
 * A text as a flat base string and the edits made since, so that the few characters around an
 * edit are read without building the whole (a V8 rope, flattened — copied whole — by the first
 * read of a character). The whole text (`toString`) is put together from the pieces, as a rope,
 * only when asked for; past EDITS_BEFORE_FLAT edits it becomes the new base.
 */
export class EditedText {
  private base: string;
  private edits: { from: number; to: number; inserted: string }[] = [];
  private whole: string;

  constructor(text: string) {
    this.base = this.whole = text;
  }

  get length(): number {
    return this.whole.length;
  }

  toString(): string {
    return this.whole;
  }

  slice(from: number, to: number): string {
    return this.sliceAt(this.edits.length, Math.max(0, from), Math.min(to, this.whole.length));
  }

  /** This version of the text as a LineIndex reads it: from the pieces as they are now (a later
   * edit makes a new version; this one keeps reading its own). */
  reader(): TextReader {
    const version = new EditedText(this.base);
    version.edits = this.edits.slice();
    version.whole = this.whole;
    return {
      slice: (from?: number, to?: number) => version.slice(from ?? 0, to ?? version.length),
      charCodeAt: (at = 0) =>
        at >= 0 && at < version.length ? version.slice(at, at + 1).charCodeAt(0) : NaN,
    };
  }

  /** Replaces [from, to) by `inserted`. */
  replace(from: number, to: number, inserted: string): void {
    this.edits.push({ from, to, inserted });
    if (this.edits.length > EDITS_BEFORE_FLAT) {
      this.base = this.sliceAt(this.edits.length, 0, this.whole.length + inserted.length - (to - from));
      this.base.charCodeAt(0); // V8 flattens a rope in place when a character is read
      this.edits = [];
    }
    this.whole =
      this.edits.length === 0
        ? this.base
        : this.sliceAt(this.edits.length, 0, this.length + inserted.length - (to - from));
  }

  private sliceAt(level: number, a: number, b: number): string {
    if (a >= b) return '';
    if (level === 0) return this.base.slice(a, b);
    const { from, to, inserted } = this.edits[level - 1];
    const end = from + inserted.length;
    const d = inserted.length - (to - from);
    let out = '';
    if (a < from) out += this.sliceAt(level - 1, a, Math.min(b, from));
    if (b > from && a < end) out += inserted.slice(Math.max(a, from) - from, Math.min(b, end) - from);
    if (b > end) out += this.sliceAt(level - 1, Math.max(a, end) - d, b - d);
    return out;
  }
}

/** Edits kept as pieces before the text is made flat again (each read of a piece walks them). */
const EDITS_BEFORE_FLAT = 128;

export class EditedDocument implements TextDocument {
  private index: LineIndex | null = null;
  private text: EditedText;
  /** Changes since the version `editsSince` (the last one an analysis started from), in order. */
  private edits: VersionEdits[] = [];
  private editsSince: number;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    text: string,
  ) {
    this.text = new EditedText(text);
    this.editsSince = version;
  }

  /** The line index of the current text (built at the first call, then kept up to date). */
  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text.toString()));
  }

  /** The line index of `text`, this document's text at `version`, when a reading of it wrote down
   * where its lines begin (`starts`, LogAnalysisJob.lineStarts): built from them rather than by a
   * pass of its own over the text (issue #17), and kept when it is the current version's. */
  linesOf(version: number, text: string, starts: Int32Array | null): LineIndex {
    if (version !== this.version) return LineIndex.fromStarts(text, starts);
    return (this.index ??= LineIndex.fromStarts(text, starts));
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  getText(range?: Range): string {
    if (!range) return this.text.toString();
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  getLineRange(line: number): Range {
    const lines = this.lines;
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return lines.lineRange(Math.min(line, lines.lineCount - 1));
  }

  getEOLCharacters(line: number): string {
    const lines = this.lines;
    if (line < 0 || line >= lines.lineCount) return '';
    const end = lines.lineEndOffset(line);
    const next =
      line + 1 < lines.lineCount ? lines.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return this.text.slice(end, next);
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.lines.offsetAt(position);
  }

  /** The changes from `version` to this one, in lines, or null when they are not all known as noise
   * edits (or `version` is not one this document went through since the edits were last dropped). */
  editsFrom(version: number): LineEdit[] | null {
    return this.lineEditsFrom(version, true);
  }

  /** The changes from `version` to this one, in lines, noise edits or not (`noise`: only those),
   * or null when one is not known in lines (a whole text replaced, a journal byte array) or
   * `version` is not one this document went through since the edits were last dropped. */
  lineEditsFrom(version: number, noise = false): LineEdit[] | null {
    if (version === this.version) return [];
    if (version < this.editsSince || version > this.version) return null;
    if (version !== this.editsSince && !this.edits.some((v) => v.version === version)) return null;
    const out: LineEdit[] = [];
    for (const v of this.edits) {
      if (v.version <= version) continue;
      if (!v.edits || (noise && !v.noise)) return null;
      out.push(...v.edits);
    }
    return out;
  }

  /** Characters [from, to) of the current text, read from its pieces (no copy of the whole). */
  slice(from: number, to: number): string {
    return this.text.slice(from, to);
  }

  /** An analysis of `version` is done: the changes up to it are no longer needed. */
  forgetEditsBefore(version: number): void {
    if (version <= this.editsSince) return;
    this.edits = this.edits.filter((v) => v.version > version);
    this.editsSince = version;
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    let edits: LineEdit[] | null = [];
    let noise = true;
    for (const change of changes) {
      if (!('range' in change)) {
        this.text = new EditedText(change.text);
        this.index = null;
        edits = null;
        noise = false;
        continue;
      }
      const { start, end } = wellFormed(change.range);
      const lines = this.lines;
      const from = lines.offsetAt(start);
      const to = Math.max(from, lines.offsetAt(end));
      const text = this.text;
      const first = lines.lineAt(Math.max(0, from - 1));
      const last = lines.lineAt(Math.min(text.length, to + 1));
      const byteMessage: boolean = edits !== null && mayFormByteMessage(text, from, to, change.text);
      noise &&=
        edits !== null && !byteMessage && !changesAnchors(lines, text, first, last, from, to, change.text);
      const before = text.slice(from - 1, from);
      const after = text.slice(to, to + 1);
      text.replace(from, to, change.text);
      this.index = lines.withEdit(from, to, change.text, text.toString(), before, after, text.reader());
      const delta = this.index.lineCount - lines.lineCount;
      if (edits) edits = byteMessage ? null : [...edits, { first, last, delta }];
    }
    this.version = version;
    this.edits.push({ version, edits, noise: noise && edits !== null });
    if (this.edits.length > EDITS_KEPT) {
      // the oldest go: an analysis from before them reads the whole text again
      this.editsSince = this.edits[0].version;
      this.edits.shift();
    }
  }
}

/** The edit of old[from, to) (its lines `first`..`last`, with the characters either side: a `\r` |
 * `\n` pair it joins or splits) may add or remove a reader anchor in the lines it touched
 * (core/incremental.ts). Reads the old text around the edit and the inserted text only. */
function changesAnchors(
  lines: LineIndex,
  old: EditedText,
  first: number,
  last: number,
  from: number,
  to: number,
  inserted: string,
): boolean {
  const start = lines.offsetAt({ line: first, character: 0 });
  const end = lines.lineEndOffset(last);
  if (holdsReaderAnchor(old.slice(start, end))) return true;
  // the new lines first..last + delta
  return holdsReaderAnchor(old.slice(start, from) + inserted + old.slice(to, Math.max(to, end)));
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character)
    ? { start: end, end: start }
    : range;
}

/** TextDocuments' factory for EditedDocument. */
export const EDITED_DOCUMENTS: TextDocumentsConfiguration<EditedDocument> = {
  create: (uri, languageId, version, content) => new EditedDocument(uri, languageId, version, content),
  update: (document, changes, version) => {
    document.update(changes, version);
    return document;
  },
};
