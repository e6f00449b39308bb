// The cursor marker of the feature tests: `‸`, so a `|` of the log (GFP names) stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { CURSOR, withCursor } from './cursor';
import { at } from './helpers';
import { SAMPLE } from './sample';

test('withCursor removes the one ‸ and keeps the | of GFP names', () => {
  assert.equal(CURSOR, '‸');
  const { text, position } = withCursor('x\nmode:0x2084020(GFP_ATOMIC|__GFP_‸COMP)\n');
  assert.equal(text, 'x\nmode:0x2084020(GFP_ATOMIC|__GFP_COMP)\n');
  assert.deepEqual(position, { line: 1, character: 32 });
  assert.throws(() => withCursor('GFP_ATOMIC|__GFP_COMP'), /exactly one cursor/);
  assert.throws(() => withCursor('a‸b‸c'), /exactly one cursor/);
});

test('a report whose mask prints GFP_ATOMIC|__GFP_COMP takes a cursor', () => {
  const piped = SAMPLE.replace('mode:0x2080020(GFP_ATOMIC)', 'mode:0x2084020(GFP_ATOMIC|__GFP_COMP)');
  assert.notEqual(piped, SAMPLE);
  const { doc, position } = at(piped, 'mode:0x', 6);
  assert.equal(position.character, SAMPLE.split('\n')[0].indexOf('mode:0x') + 6);
  const h = hover(doc, position);
  const text = (h?.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  assert.match(text, /\*\*mode 0x2084020\*\*/);
  assert.match(text, /GFP_ATOMIC\|__GFP_COMP \(names printed by the kernel\)/);
});
