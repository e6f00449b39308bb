import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findLastAtOrBefore, LineIndex, upperBound } from '../../server/src/features/line-index';
import { EditedDocument } from '../../server/src/edited-document';

test('positions and offsets round-trip by binary search, CRLF excluded from the line', () => {
  const index = new LineIndex('ab\r\ncd\n\nef');
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(8), { line: 3, character: 0 });
  assert.deepEqual(index.positionAt(99), { line: 3, character: 2 });
  assert.equal(index.offsetAt({ line: 1, character: 1 }), 5);
  assert.equal(index.offsetAt({ line: 0, character: 50 }), 2, 'clamped before the \\r\\n');
  assert.equal(index.lineText(0), 'ab');
  assert.equal(index.lineText(2), '');
  assert.deepEqual(index.lineRange(0), { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
  assert.equal(index.eol(), '\r\n');
  assert.equal(index.endsWithNewline(), false);
});

test('an empty text has one empty line and ends "with a newline"', () => {
  const index = new LineIndex('');
  assert.equal(index.lineCount, 1);
  assert.equal(index.lineText(0), '');
  assert.equal(index.endsWithNewline(), true);
  assert.equal(index.eol(), '\n');
});

test('upperBound and findLastAtOrBefore', () => {
  assert.equal(upperBound([0, 3, 3, 9], 3), 3);
  assert.equal(upperBound([0, 3, 9], -1), 0);
  const items = [{ at: 2 }, { at: 10 }, { at: 40 }];
  assert.equal(
    findLastAtOrBefore(items, 1, (i) => i.at),
    undefined,
  );
  assert.equal(findLastAtOrBefore(items, 10, (i) => i.at)?.at, 10);
  assert.equal(findLastAtOrBefore(items, 39, (i) => i.at)?.at, 10);
  assert.equal(findLastAtOrBefore(items, 1000, (i) => i.at)?.at, 40);
});

test('a lone \\r ends a line, as in LSP clients; \\r\\n is one terminator', () => {
  const index = new LineIndex('ab\rcd\r\nef\n\rgh\r');
  assert.equal(index.lineCount, 6);
  assert.deepEqual(
    Array.from({ length: 6 }, (_, l) => index.lineText(l)),
    ['ab', 'cd', 'ef', '', 'gh', ''],
  );
  assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(6), { line: 1, character: 2 }, 'between \\r and \\n: the end of line 1');
  assert.deepEqual(index.positionAt(11), { line: 4, character: 0 });
  assert.equal(index.offsetAt({ line: 1, character: 50 }), 5, 'clamped before the \\r\\n');
  assert.equal(index.offsetAt({ line: 4, character: 50 }), 13, 'clamped before the lone \\r');
  assert.deepEqual(index.lineRange(0), { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
  assert.equal(index.lineAt(2), 0);
  assert.equal(index.endsWithNewline(), true);
});

test('line starts, positions and offsets are those of vscode-languageserver-textdocument', () => {
  let x = 5;
  const rand = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const pieces = ['\n', '\r', '\r\n', 'abc', 'é', '😀', '', ' '];
  for (let round = 0; round < 200; round++) {
    let text = '';
    for (let i = rand(40); i > 0; i--) text += pieces[rand(pieces.length)];
    const index = new LineIndex(text);
    const doc = TextDocument.create('file:///t.log', 'log', 1, text);
    assert.equal(index.lineCount, doc.lineCount, JSON.stringify(text));
    for (let offset = 0; offset <= text.length + 1; offset++)
      assert.deepEqual(
        index.positionAt(offset),
        doc.positionAt(offset),
        `${JSON.stringify(text)} @${offset}`,
      );
    for (let line = 0; line <= doc.lineCount; line++)
      for (let character = 0; character < 6; character++) {
        const position = { line, character };
        assert.equal(
          index.offsetAt(position),
          doc.offsetAt(position),
          `${JSON.stringify(text)} ${line}:${character}`,
        );
      }
    for (let line = 0; line < doc.lineCount; line++) {
      const range = index.lineRange(line);
      assert.equal(index.lineText(line), doc.getText(range), `${JSON.stringify(text)} line ${line}`);
      assert.ok(!/[\r\n]/.test(index.lineText(line)));
    }
  }
});

test("an edited CRLF text: each version's index reads its own pieces, before and after later edits", () => {
  const doc = new EditedDocument('file:///crlf.log', 'kernel-log', 1, 'a\r\nbb\r\nccc\r\n');
  assert.equal(doc.lines.lineCount, 4); // the index is built at the first analysis, then moved edit by edit
  doc.update([{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }, text: 'X' }], 2);
  const v2 = doc.lines;
  assert.equal(v2.lineText(1), 'bbX');
  assert.deepEqual(v2.lineRange(1), { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  // a later edit joins lines 1 and 2 (removes the \r\n between them): version 2's index still
  // reads version 2's characters
  doc.update([{ range: { start: { line: 1, character: 3 }, end: { line: 2, character: 0 } }, text: '' }], 3);
  assert.equal(doc.lines.lineText(1), 'bbXccc');
  assert.equal(v2.lineText(1), 'bbX');
  assert.equal(v2.lineText(2), 'ccc');
  assert.deepEqual(v2.positionAt(6), { line: 1, character: 3 }, 'an offset inside \\r\\n is the line end');
  assert.equal(doc.getText(), 'a\r\nbbXccc\r\n');
});
