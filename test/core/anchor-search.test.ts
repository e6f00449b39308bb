// The language server's SIMD anchor search (server/src/anchor-search.ts) finds what the core's
// regular expression finds (core/parse.ts regexAnchorSearch), from every position: anchors across
// the scanner's 128 KiB windows, at the text's ends, next to characters above U+00FF whose low
// byte looks like an anchor's, and one-character anchors (ESC) among the others.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { simdAnchorSearch } from '../../server/src/anchor-search';
import { READER_ANCHORS, regexAnchorSearch, TextScan, type AnchorSearch } from '../../server/src/core/parse';
import { readFileSync } from 'node:fs';
import { allFixtureFiles } from './fixture-files';

const WINDOW = 128 << 10;

/** Every hit, searching on from one past each. */
function hits(search: AnchorSearch, from = 0): number[] {
  const out: number[] = [];
  for (let at = search(from); at !== -1; at = search(at + 1)) out.push(at);
  return out;
}

/** The search from every one of `positions`, in order. */
function answers(search: AnchorSearch, positions: number[]): number[] {
  return positions.map((p) => search(p));
}

/** Noise of `length` characters with no anchor: letters an anchor does not begin a run of. */
function noise(length: number, unit = 'x'): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

test('every anchor is found where the regular expression finds it, across window ends', () => {
  assert.ok(READER_ANCHORS.includes('\x1b'), 'ESC is searched with indexOf beside the scanner');
  for (const anchor of READER_ANCHORS)
    for (const cut of [-anchor.length, -anchor.length + 1, -1, 0, 1, 7]) {
      const at = WINDOW + cut;
      const text = noise(at) + anchor + noise(WINDOW) + anchor + noise(3);
      const expected = [at, at + anchor.length + WINDOW];
      assert.deepEqual(hits(regexAnchorSearch(text)), expected, `${JSON.stringify(anchor)} at ${cut}`);
      assert.deepEqual(hits(simdAnchorSearch(text)), expected, `${JSON.stringify(anchor)} at ${cut}`);
    }
});

test('a character above U+00FF whose low byte is an anchor letter is not taken for it', () => {
  // U+0161 is 0x61 ('a') cut to a byte, U+016C is 'l': the Latin-1 copy reads "alloc" there
  const fake = '\u0161\u016clloc and \u014fom-killer';
  const text = noise(WINDOW - 3) + fake + ' real alloc' + '\u016Dem-';
  assert.deepEqual(hits(simdAnchorSearch(text)), hits(regexAnchorSearch(text)));
  assert.deepEqual(hits(simdAnchorSearch(text)), [text.indexOf('real alloc') + 5]);
});

test('no anchor, an empty text, an anchor at either end', () => {
  for (const text of [
    '',
    'x',
    noise(3 * WINDOW),
    'alloc',
    `Mem-${noise(WINDOW)}`,
    `${noise(WINDOW)}=3D`,
    '\x1b',
  ])
    for (const from of [0, 1, text.length, text.length + 1])
      assert.equal(
        simdAnchorSearch(text)(from),
        regexAnchorSearch(text)(from),
        `${text.length} from ${from}`,
      );
});

test('random texts: the same answer from any position, searched forward and back', () => {
  const piece = fc.oneof(
    fc.constantFrom(...READER_ANCHORS, '\u0161lloc', 'al', 'loc', '\n', '\r\n', 'Me', 'm-', '=3', 'D'),
    fc.integer({ min: 1, max: 3 * WINDOW }).map((n) => noise(n, 'kernel: ')),
    fc.string({ maxLength: 20 }),
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      (pieces, picks) => {
        const text = pieces.join('');
        const positions = picks.map((p) => p % (text.length + 2));
        const simd = simdAnchorSearch(text);
        const regex = regexAnchorSearch(text);
        assert.deepEqual(hits(simd), hits(regex));
        // not only forward: a search from before the last one (a new search object per order)
        assert.deepEqual(answers(simd, positions), answers(regex, positions));
      },
    ),
    { numRuns: 150, seed: 17 },
  );
});

test('two searches whose windows interleave (two documents read in turns) each find their own', () => {
  const a = noise(WINDOW * 2) + 'alloc' + noise(10);
  const b = noise(WINDOW / 2) + 'oom-killer' + noise(WINDOW * 2) + 'suppressed';
  const sa = simdAnchorSearch(a);
  const sb = simdAnchorSearch(b);
  assert.equal(sa(0), WINDOW * 2);
  assert.equal(sb(0), WINDOW / 2);
  assert.equal(sa(5), WINDOW * 2);
  assert.equal(sb(WINDOW / 2 + 1), WINDOW / 2 + 10 + WINDOW * 2);
  assert.equal(sa(WINDOW * 2 + 1), -1);
});

test('TextScan reads every fixture the same with either search', () => {
  for (const name of allFixtureFiles()) {
    // compressed and binary files too, read as text: what an editor would be handed
    const text = readFileSync(name, 'utf8');
    const read = (search: typeof regexAnchorSearch) => {
      const scan = new TextScan(text, true, undefined, { anchorSearch: search });
      scan.run(() => false);
      const parsed = scan.finish();
      return { parsed, skipped: scan.skipped };
    };
    assert.deepEqual(read(simdAnchorSearch), read(regexAnchorSearch), name);
  }
});
