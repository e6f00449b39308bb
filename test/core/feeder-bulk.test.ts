// The CLI's LineFeeder hands a sink that takes lines in bulk (a flood's copies being taken,
// core/repeat-run.ts) many lines as one string (`takeLines`): whatever the sink takes and
// whatever it leaves, the lines it sees are those line-by-line feeding gives, in order — across
// read windows, with lone `\r`s and `\r\n`s, and with UTF-8 text (fed line by line: there a
// character is not a byte).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineFeeder, type LineSink } from '../../server/src/cli/feeder';

const OPTIONS = { anchors: ['page allocation failure'], lookbehindLines: 2, capacity: 4096 };

/** The lines `bytes` is cut into, written in pieces of `piece` bytes: by a sink that takes each
 * line alone, or one that takes lines in bulk when `bulkWhen` says so, taking as many as
 * `takeCount` says. Also how many lines came in bulk. */
function feed(
  bytes: Buffer,
  piece: number,
  bulk: { when: () => boolean; count: () => number } | null,
): { lines: string[]; inBulk: number } {
  const lines: string[] = [];
  let inBulk = 0;
  const sink: LineSink = {
    line: (text) => lines.push(text),
    canSkip: () => false,
    skip: () => assert.fail('nothing is skipped'),
  };
  if (bulk) {
    sink.takesLines = bulk.when;
    sink.takeLines = (text, from, limit) => {
      let pos = from;
      for (let n = bulk.count(); n > 0; n--) {
        const nl = text.indexOf('\n', pos);
        if (nl === -1 || nl >= limit) break;
        lines.push(text.slice(pos, nl));
        inBulk++;
        pos = nl + 1;
      }
      return pos;
    };
  }
  const feeder = new LineFeeder(sink, OPTIONS);
  for (let at = 0; at < bytes.length; at += piece) feeder.write(bytes.subarray(at, at + piece));
  feeder.end();
  return { lines, inBulk };
}

const LINE = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^\[ *\d{1,5}\.\d{6}\] [a-z_/ :]{0,60}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'swäpper/0: page allocation failure: order:0', 'a\rb', 'crlf\r'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

test('lines taken in bulk or one by one, the sink sees the lines line-by-line feeding gives', () => {
  let inBulk = 0;
  fc.assert(
    fc.property(
      fc.array(LINE, { maxLength: 200 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 5000 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 20 }),
      (lines, newlineAtEnd, piece, counts) => {
        const bytes = Buffer.from(lines.join('\n') + (newlineAtEnd ? '\n' : ''));
        const expected = feed(bytes, piece, null).lines;
        let i = 0;
        const got = feed(bytes, piece, {
          when: () => counts[i % counts.length] % 3 !== 0,
          count: () => counts[i++ % counts.length],
        });
        assert.deepStrictEqual(got.lines, expected);
        inBulk += got.inBulk;
      },
    ),
    { numRuns: 300, seed: 20261206 },
  );
  assert.ok(inBulk > 400, `lines taken in bulk: ${inBulk}`);
});

test('a flood of ASCII lines goes to the sink in bulk; UTF-8 lines one at a time', () => {
  const ascii = Buffer.from(
    Array.from(
      { length: 5000 },
      (_, i) => `[ ${String(i).padStart(6, '0')}.000000] swapper/0: page allocation failure: order:0`,
    ).join('\n') + '\n',
  );
  const all = feed(ascii, 65536, { when: () => true, count: () => Infinity });
  assert.equal(all.lines.length, 5000);
  // all but the lines of the window's last, unfinished read (fed one at a time at its end)
  assert.ok(all.inBulk > 4900, `in bulk: ${all.inBulk}`);
  const utf8 = Buffer.from(ascii.toString().replace(/swapper/g, 'swäpper'));
  const some = feed(utf8, 65536, { when: () => true, count: () => Infinity });
  assert.deepStrictEqual(some.lines, feed(utf8, 65536, null).lines);
  assert.equal(some.inBulk, 0);
});
