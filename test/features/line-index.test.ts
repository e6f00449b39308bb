import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLastAtOrBefore, LineIndex, upperBound } from '../../server/src/features/line-index';

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
