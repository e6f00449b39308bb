// The one sanitiser every writer uses (core/safe-text.ts): over every class of line break, every
// control and every bidi control, and exhaustively over the Basic Multilingual Plane.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commentLines,
  escapeJsonText,
  hasUnsafeText,
  oneLine,
  visibleControls,
} from '../../server/src/core/safe-text';

/** Characters some reader ends a line at (LF VT FF CR NEL LS PS). */
const LINE_BREAKS = ['\n', '\v', '\f', '\r', '\r\n', '\u0085', '\u2028', '\u2029'];
/** The bidi controls of Unicode UAX #9. */
const BIDI = [
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const isUnsafeCode = (c: number): boolean =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0x9f) ||
  c === 0x61c ||
  c === 0x200e ||
  c === 0x200f ||
  c === 0x2028 ||
  c === 0x2029 ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);
const UNSAFE_CHARS = Array.from({ length: 0x10000 }, (_, c) => c)
  .filter(isUnsafeCode)
  .map((c) => String.fromCharCode(c));
const RAW_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('oneLine: every line break becomes one space, so the text stays on one line', () => {
  for (const br of LINE_BREAKS) {
    assert.equal(
      oneLine(`GFP_ATOMIC${br}kernel.panic = 1${br}#`),
      'GFP_ATOMIC kernel.panic = 1 #',
      JSON.stringify(br),
    );
  }
  assert.equal(oneLine('a\r\n\r\n\tb'), 'a b', 'a run of breaks and tabs is one space');
  assert.equal(oneLine('  x  '), 'x');
});

test('oneLine: other controls, bidi controls and escape sequences are removed', () => {
  for (const b of BIDI) assert.equal(oneLine(`abc${b}def`), 'abcdef', b.charCodeAt(0).toString(16));
  assert.equal(oneLine('a\x00b\x07c\x7fd\x9be\x80f\x1b'), 'abcdef');
  assert.equal(oneLine('red\x1b[1;31mX\x1b[0m!'), 'redX!', 'CSI');
  assert.equal(oneLine('a\x1b]52;c;aGVsbG8=\x07b'), 'ab', 'OSC 52 ended by BEL');
  assert.equal(oneLine('a\x1b]52;c;aGVsbG8=\x1b\\b'), 'ab', 'OSC 52 ended by ST');
  assert.equal(oneLine('a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\'), 'alink', 'OSC 8 hyperlink');
  assert.equal(oneLine('a\x1b]52;c;unterminated'), 'a52;c;unterminated', 'unterminated: ESC ] goes');
  assert.equal(oneLine('a\x1bcb\x1b(Bc'), 'abc', 'two- and three-character ESC sequences');
});

test('oneLine, visibleControls: nothing unsafe is left, for every character of the BMP', () => {
  assert.equal(UNSAFE_CHARS.length, 32 + 33 + 1 + 2 + 2 + 5 + 4);
  for (const c of UNSAFE_CHARS) {
    assert.ok(hasUnsafeText(`x${c}y`), `U+${c.charCodeAt(0).toString(16)} is found`);
    assert.doesNotMatch(oneLine(`x${c}y`), RAW_UNSAFE);
    assert.doesNotMatch(visibleControls(`x${c}y`), RAW_UNSAFE);
  }
  // Every other character passes both unchanged.
  let kept = 0;
  for (let code = 0; code < 0x10000; code++) {
    if (isUnsafeCode(code) || (code >= 0xd800 && code <= 0xdfff)) continue;
    const c = String.fromCharCode(code);
    if (oneLine(`x${c}y`) === `x${c}y` && visibleControls(c) === c && !hasUnsafeText(c)) kept++;
  }
  assert.equal(kept, 0x10000 - 0x800 - UNSAFE_CHARS.length);
});

test('visibleControls: the notation a terminal shows', () => {
  assert.equal(visibleControls('\x1b]52;c;aGVsbG8=\x07'), '\\x1b]52;c;aGVsbG8=\\x07');
  assert.equal(visibleControls('comm\u202e:'), 'comm\\u202e:');
  assert.equal(visibleControls('a\tb\nc\rd\u0085e\u2028f\x00'), 'a\\tb\\nc\\rd\\x85e\\u2028f\\x00');
  assert.equal(visibleControls('plain → text ≤ 1'), 'plain → text ≤ 1');
});

test('escapeJsonText: DEL, C1, LS/PS and bidi controls as \\uNNNN; the JSON means the same', () => {
  const value = { comm: 'a\u202eb\u2066c\x85d\x7fe\u2028f', n: '\x1b' };
  const json = escapeJsonText(JSON.stringify(value, null, 2));
  assert.doesNotMatch(json.replace(/\n/g, ''), RAW_UNSAFE);
  assert.match(json, /"a\\u202eb\\u2066c\\u0085d\\u007fe\\u2028f"/);
  assert.deepEqual(JSON.parse(json), value);
});

test('commentLines: one comment line per LF line of the text, whatever it carries', () => {
  for (const br of LINE_BREAKS.filter((b) => b !== '\n' && b !== '\r\n')) {
    assert.deepEqual(commentLines(`mode GFP_ATOMIC${br}kernel.panic = 1${br}#)`), [
      '# mode GFP_ATOMIC kernel.panic = 1 #)',
    ]);
  }
  assert.deepEqual(commentLines('# zones near min\ncurrent 32496 kB\r\n\n; kept\n  \n\u202e'), [
    '# zones near min',
    '# current 32496 kB',
    '; kept',
  ]);
  for (const c of UNSAFE_CHARS) {
    for (const line of commentLines(`evidence${c}vm.min_free_kbytes = 1${c}#`))
      assert.match(line, /^[#;]/, `U+${c.charCodeAt(0).toString(16)}`);
  }
});
