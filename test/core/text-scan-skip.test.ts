// The editor's reading (TextScan) passes over anchor-free stretches while no report is open, as
// the CLI's reader does (issue #17): the parsed log must be exactly the one a line-by-line
// reading gives, on every fixture and on mutated ones (line endings, lone CRs, anchors at the
// edges, no final newline).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TextScan } from '../../server/src/core/parse';
import type { ParsedLog } from '../../server/src/core/model';
import { FIXTURE_LOGS } from './fixture-files';
import { printedAgain } from './floods';
import { LineIndex } from '../../server/src/features/line-index';

function read(text: string, skip: boolean): ParsedLog {
  const scan = new TextScan(text, skip);
  scan.run(() => false);
  return scan.finish();
}

/** A parsed log as plain data. `framing`, the dominant framing
 * of the lines read, is left out: lines passed over are not classified, as in the CLI's reader
 * (a log of syslog noise around a bare report is "bare" to both; the editor shows no framing). */
function plain(p: ParsedLog): unknown {
  return JSON.parse(JSON.stringify({ ...p, framing: null }));
}

function assertSame(text: string, where: string): void {
  assert.deepStrictEqual(plain(read(text, true)), plain(read(text, false)), where);
}

const NOISE = [
  'Apr 28 05:30:50 cztest sshd[812]: Accepted publickey for root from 10.0.0.1 port 22',
  'Apr 28 05:30:50 cztest systemd[1]: Started Session 42 of user root.',
  '',
  'plain text without framing',
  '    indented continuation',
];

test('every fixture, with noise around it and in several line endings: skipping reads it alike', () => {
  let n = 0;
  for (const file of FIXTURE_LOGS) {
    const log = readFileSync(file, 'utf8');
    const noise = NOISE.join('\n');
    const texts = [
      log,
      `${noise}\n${noise}\n${log}\n${noise}\n${noise}`,
      `${noise}\n${log}${noise}`, // no final newline
      `${noise}\n${log}\n${noise}\n`.replace(/\n/g, '\r\n'),
      `${noise}\n${log}\n${noise}`.replace(/\n/g, '\r'),
      `${noise}\n${log}`.replace(/\n/g, (_, i: number) => (i % 3 === 0 ? '\r' : i % 3 === 1 ? '\r\n' : '\n')),
      `${log}\r`,
    ];
    texts.forEach((t, i) => assertSame(t, `${file} variant ${i}`));
    n++;
  }
  assert.ok(n > 100);
});

test('anchors at the edges of skipped stretches: the first line, the last, split by a line end', () => {
  for (const t of [
    'alloc',
    '\nalloc\n',
    'x\r\nMem-Info:\r\n',
    'a\nb\nc\nd\ne\nswapper: page allocation failure: order:1, mode:0x20\nf\ng',
    'a\rb\rc\rd\rswapper: page allocation failure: order:1, mode:0x20\r',
    'Linux version 5.10.0-8-amd64 (debian-kernel@lists.debian.org)\nnoise\nswapper: page allocation failure: order:1, mode:0x20',
    'noise\nwarn_alloc: 3 callbacks suppressed\nnoise',
    'oom-\nkiller',
    '\x1b[31mnoise\x1b[0m\nnoise',
    '\n\n\n',
    '',
  ])
    assertSame(t, JSON.stringify(t));
});

test('300 random splices of fixture lines, noise and line ends: skipping reads them alike', () => {
  const logs = FIXTURE_LOGS.map((f) => readFileSync(f, 'utf8').split('\n'));
  let seed = 12345;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; // a 32-bit LCG: the same cases every run
    return seed % n;
  };
  const ENDS = ['\n', '\n', '\n', '\r\n', '\r'];
  for (let c = 0; c < 300; c++) {
    const parts: string[] = [];
    for (let k = next(6) + 1; k > 0; k--) {
      const lines = logs[next(logs.length)];
      const from = next(lines.length);
      parts.push(...lines.slice(from, from + next(40) + 1));
      for (let m = next(8); m > 0; m--) parts.push(NOISE[next(NOISE.length)]);
    }
    let text = '';
    for (const p of parts) text += p + ENDS[next(ENDS.length)];
    if (next(2) === 0) text = text.slice(0, -1);
    assertSame(text, `case ${c}`);
  }
});

/** Line starts as the language server's LineIndex finds them on its own (a pass over the text). */
function ownStarts(text: string): number[] {
  const index = new LineIndex(text);
  return Array.from({ length: index.lineCount }, (_, line) => index.offsetAt({ line, character: 0 }));
}

test('the line starts a reading writes down are the text’s, skipped, copied or read (LineIndex is built from them)', () => {
  const texts: [string, string][] = [];
  for (const file of FIXTURE_LOGS) {
    const log = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    texts.push([file, log], [`${file} with noise`, `${NOISE.join('\n')}\n${log}${NOISE.join('\n')}`]);
    texts.push([`${file} printed 6 times`, printedAgain(log, 6)]);
  }
  texts.push(['empty', ''], ['one line', 'x'], ['two empty lines', '\n'], ['no final newline', 'a\nb']);
  let copied = 0;
  for (const [name, text] of texts)
    for (const skip of [true, false]) {
      const scan = new TextScan(text, skip, undefined, { lineStarts: true });
      assert.equal(scan.lineStarts(), null, 'nothing before the text is read');
      scan.run(() => false);
      scan.finish();
      copied += scan.copiedLines;
      assert.deepEqual([...scan.lineStarts()!], ownStarts(text), `${name}, skip ${skip}`);
    }
  assert.ok(copied > 1000, `copies were taken (${copied} lines), so their lines were counted too`);
  // a text with a `\r` is left to LineIndex (its line ends need the `\r` rules)
  const cr = new TextScan('a\r\nb\rc', true, undefined, { lineStarts: true });
  cr.run(() => false);
  assert.equal(cr.lineStarts(), null);
  // a reading stopped before the end has none
  const stopped = new TextScan(NOISE.join('\n').repeat(300), false, undefined, { lineStarts: true });
  assert.equal(
    stopped.run(() => true),
    false,
  );
  assert.equal(stopped.lineStarts(), null);
});
