// Any input gives a result: the parser is total and its work is linear in the input. These tests
// assert what comes out (not just "no exception"); speed is measured by bench/, not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog, LogScanner } from '../../server/src/core/parse';
import { readFraming } from '../../server/src/core/framing';

const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');

test('empty input and a lone newline', () => {
  assert.deepEqual(parseLog('').reports, []);
  assert.equal(parseLog('').lineCount, 1);
  assert.deepEqual(parseLog('\n').reports, []);
  assert.equal(parseLog('').framing, 'bare');
});

test('binary garbage, NULs and invalid UTF-8 replacement characters find nothing', () => {
  let state = 12345;
  const bytes: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff; // exact 32-bit LCG (a float product loses bits past 2^53)
    bytes.push(String.fromCharCode(state % 256));
  }
  const parsed = parseLog(bytes.join('') + '\u0000\ufffd\ufffd');
  assert.equal(parsed.reports.length, 0);
});

test('NULs and ANSI colour codes inside a report do not hide it', () => {
  const text = seed
    .replace('Node 0 DMA free', '\u001b[1;31mNode 0 DMA free')
    .replace('lowmem_reserve[]: 0 0 0 0', 'lowmem_reserve[]: 0 0 0 0\u0000');
  const r = parseLog(text).reports[0];
  assert.equal(r.zones.length, 4);
  assert.equal(r.zones[0].freeKb, 15920);
  assert.deepEqual(r.zones[2].lowmemReserve, [0, 0, 0, 0]);
});

test('a 10 MB line next to a report: the report is still read', () => {
  const huge = 'Apr 28 05:30:51 cztest kernel: ' + 'x'.repeat(10 * 1024 * 1024);
  const parsed = parseLog(huge + '\n' + seed + '\n' + huge);
  assert.equal(parsed.reports.length, 1);
  assert.equal(parsed.reports[0].line, 1);
  assert.equal(parsed.reports[0].zones.length, 4);
});

test('a 10 MB line of repeated report keywords stays a bounded amount of work', () => {
  const hostile = 'page allocation failure: order:'.repeat(350_000);
  const parsed = parseLog(hostile + '\n' + 'Node 0 DMA free:'.repeat(600_000));
  assert.ok(parsed.reports.length <= 1);
});

test('runs of spaces before a final `]` (the rsyslog suffix search) are read in one pass', () => {
  // The `[kern.warning]` suffix was once found by an end-anchored regex starting with `[ \t]*`:
  // quadratic in a run of spaces, ~3 s for each of these (64 K-character) lines, so this test
  // hung for minutes; one pass takes milliseconds.
  const spaces = ' '.repeat(64_000);
  const hostile = Array.from(
    { length: 100 },
    (_, i) => `Apr 28 05:30:51 cztest kernel: alloc ${i}${spaces}x]`,
  );
  const parsed = parseLog(`${hostile.join('\n')}\n${seed}`);
  assert.equal(parsed.reports.length, 1);
  assert.equal(parsed.reports[0].line, 100);
  assert.equal(readFraming(`kernel: text${spaces}[kern.warning]  `).payloadEnd, 'kernel: text'.length);
  assert.equal(readFraming('kernel: text [kern.bogus]').payloadEnd, 'kernel: text [kern.bogus]'.length);
});

test('a report cut off in the middle of a zone line keeps what was printed, nulls the rest', () => {
  const cut = seed.slice(0, seed.indexOf('min:1612kB') + 'min:16'.length);
  const r = parseLog(cut).reports[0];
  assert.equal(r.zones.length, 2);
  assert.equal(r.zones[1].freeKb, 120772);
  assert.equal(r.zones[1].minKb, 16, 'the digits that were printed');
  assert.equal(r.zones[1].lowKb, null);
  assert.equal(r.zones[1].lowmemReserve, null);
  assert.equal(r.truncated, true);
});

test('streaming scanner gives the same reports as the whole-document parser', () => {
  const text = [seed, seed.replace(/swapper\/13/g, 'swapper/7')].join('\n');
  const scanner = new LogScanner();
  const streamed = [];
  for (const line of text.split('\n')) streamed.push(...scanner.push(line));
  streamed.push(...scanner.end());
  const whole = parseLog(text).reports;
  assert.deepEqual(
    streamed.map((r) => [r.line, r.comm, r.zones.length]),
    whole.map((r) => [r.line, r.comm, r.zones.length]),
  );
  assert.deepEqual(
    whole.map((r) => r.line),
    [0, 45],
  );
});

test('skipLines: anchor-free stretches skipped by a reader keep line numbers right', () => {
  const scanner = new LogScanner();
  const reports = [];
  for (let i = 0; i < 3; i++) reports.push(...scanner.push(`Apr 28 05:30:50 cztest sshd[1]: noise ${i}`));
  assert.equal(scanner.idle, true);
  reports.push(...scanner.skipLines(1000));
  for (const line of seed.split('\n')) reports.push(...scanner.push(line));
  reports.push(...scanner.end());
  assert.equal(reports.length, 1);
  assert.equal(reports[0].line, 1003);
  assert.equal(reports[0].zones[3].line, 1003 + 42);
  assert.equal(scanner.lineCount, 1003 + 45, 'the seed ends with a newline: 45 physical lines');
});

test('hostile text inside a report is kept as data', () => {
  const text = seed.replace('swapper/13', '[x](command:workbench.action.terminal.new) <img src=x>`');
  const r = parseLog(text).reports[0];
  assert.equal(r.comm, '[x](command:workbench.action.terminal.new) <img src=x>`');
});
