// The edit storm's edits (test/lsp/edit-storm.test.ts): a seeded sequence of random incremental
// changes to real logs, as an editor sends them (didChange with ranges). The same seed gives the
// same edits, whatever answers the server gives, so a failing storm can be replayed in-process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { ROOT } from './corpus';

/** Above this size the storm only deletes, below MIN_LENGTH it only inserts. */
const MAX_LENGTH = 64_000;
const MIN_LENGTH = 400;

/** The logs the storm starts from (the first two) and pastes lines and reports from. */
export const STORM_LOGS = [
  '000-seed.log',
  '002-syslog-wrapped-5.13-webcontent.log',
  '001-journal-oom-6.8-python.log',
];
const SOURCE_TEXT = STORM_LOGS.map((name) =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'corpus', name), 'utf8'),
);
const SOURCE_LINES = SOURCE_TEXT.flatMap((t) => t.split('\n'));

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let h = seed >>> 0;
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets of a change: replace [start, end) of the text with `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** One random edit of `text`: typing, deleting, pasting lines or a report, splitting and joining
 * lines, changing a number, CRLF and lone CR line ends, or a no-op replacement. */
function randomEdit(text: string, random: () => number): Edit {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const at = (): number => Math.floor(random() * (text.length + 1));
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const r = random();
  const grow = text.length < MIN_LENGTH;
  const shrink = text.length > MAX_LENGTH;
  if (shrink || (!grow && r < 0.25)) {
    const start = at();
    return {
      start,
      end: Math.min(text.length, start + 1 + Math.floor(random() * (shrink ? 2000 : 20))),
      text: '',
    };
  }
  if (r < 0.45) {
    const start = at();
    const typed = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      pick([...'abcdefkBmz0123456789 :=,()[]\n']),
    ).join('');
    return { start, end: start, text: typed };
  }
  if (r < 0.6) {
    const start = lineStart(at());
    return { start, end: start, text: pick(SOURCE_LINES) + '\n' };
  }
  if (r < 0.7 && !grow) {
    const start = lineStart(at());
    let end = start;
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) end = text.indexOf('\n', end) + 1 || text.length;
    return { start, end, text: '' };
  }
  if (r < 0.8) {
    const digits = /\d+/g;
    digits.lastIndex = at();
    const m = digits.exec(text);
    if (m)
      return {
        start: m.index,
        end: m.index + m[0].length,
        text: String(Math.floor(random() * 10 ** (1 + Math.floor(random() * 9)))),
      };
  }
  if (r < 0.87) {
    const start = at();
    const nl = text.indexOf('\n', start);
    return random() < 0.5 || nl < 0
      ? { start, end: start, text: '\n' }
      : { start: nl, end: nl + 1, text: random() < 0.5 ? '' : ' ' };
  }
  if (r < 0.9) {
    const start = at();
    return { start, end: start, text: pick(['\r\n', '\r', '\r\n\r\n']) };
  }
  if (r < 0.93) {
    const source = pick(SOURCE_TEXT);
    const from = lineStart(Math.floor(random() * source.length));
    const start = lineStart(at());
    return {
      start,
      end: start,
      text: source.slice(from, from + 200 + Math.floor(random() * 3000)).replace(/[^\n]*$/, ''),
    };
  }
  const start = at();
  const end = Math.min(text.length, start + Math.floor(random() * 40));
  return { start, end, text: text.slice(start, end) };
}

export interface StormDocument {
  uri: string;
  /** The text as the server should have it (TextDocument applies the same changes). */
  doc: TextDocument;
}

/** One didChange notification: its changes (applied in order) and the version it makes. */
export interface StormChange {
  document: StormDocument;
  changes: TextDocumentContentChangeEvent[];
  version: number;
}

/** Two documents (the first two STORM_LOGS) and the seeded edits made to them. */
export class EditStorm {
  readonly documents: StormDocument[];
  private readonly random: () => number;

  constructor(seed: number, uris: readonly string[] = ['file:///storm/a.log', 'file:///storm/b.log']) {
    this.random = prng(seed);
    this.documents = uris.map((uri, i) => ({
      uri,
      doc: TextDocument.create(uri, 'kernel-log', 1, SOURCE_TEXT[i]),
    }));
  }

  /** The next notification: usually one change, sometimes two or three applied in order. */
  next(): StormChange {
    const random = this.random;
    const document = this.documents[Math.floor(random() * this.documents.length)];
    const changes: TextDocumentContentChangeEvent[] = [];
    const count = random() < 0.1 ? 2 + Math.floor(random() * 2) : 1;
    const version = document.doc.version + 1;
    for (let k = 0; k < count; k++) {
      const e = randomEdit(document.doc.getText(), random);
      const change = {
        range: { start: document.doc.positionAt(e.start), end: document.doc.positionAt(e.end) },
        text: e.text,
      };
      document.doc = TextDocument.update(
        document.doc,
        [change],
        k === count - 1 ? version : document.doc.version,
      );
      changes.push(change);
    }
    return { document, changes, version };
  }

  /** A random position in a random document (for the hovers fired between edits). */
  position(): { document: StormDocument; position: { line: number; character: number } } {
    const document = this.documents[Math.floor(this.random() * this.documents.length)];
    return {
      document,
      position: document.doc.positionAt(Math.floor(this.random() * (document.doc.getText().length + 1))),
    };
  }
}
