// The CLI's reader skips what cannot matter: while no report is open it only counts the lines
// without an anchor and feeds the scanner from ANCHOR_LOOKBEHIND_LINES before each anchor, or
// from the framed or blank line before that when the lines between are unframed (a full parse
// reads unframed lines right after framed ones as their wraps). Whatever it skips, the reports
// must be exactly those of a full parse (parseLog, the language server's path), on every fixture,
// inside ordinary noise with anchors that open nothing: after a blank line, and right after the
// framed noise lines. Also with lone CRs, mixed line ends and escape sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLog } from '../../server/src/core/parse';
import { createScan } from '../../server/src/cli/scan';
import { LineFeeder } from '../../server/src/cli/feeder';
import type { Report } from '../../server/src/core/model';
import { annotatedEvents, FIXTURE_LOGS } from './fixture-files';

/** Daemon and kernel noise, with anchors in framed lines that open nothing. */
const NOISE = [
  'Jan  1 07:56:55 web02 kernel: [    0.000000]     vmalloc : 0xffffc90000000000 - 0xffffe8ffffffffff',
  'Jan  1 07:56:55 web02 sshd[812]: Accepted publickey for deploy from 10.0.0.7 port 50022 ssh2',
  'Jan  1 07:56:56 web02 kernel: [  101.500000] e1000e: kmalloc of rx ring done, 256 descriptors allocated',
  'Jan  1 07:56:56 web02 systemd[1]: Started Session 42 of user deploy.',
  '[  102.000000] usb 1-1: new high-speed USB device number 2 using ehci-pci',
  'Jan  1 07:56:57 web02 CRON[2201]: (root) CMD (run-parts /etc/cron.hourly)',
];

function noise(lines: number): string {
  return Array.from({ length: lines }, (_, i) => NOISE[i % NOISE.length]).join('\n');
}

function scanned(text: string, size = 7919): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  const bytes = Buffer.from(text);
  // odd-sized writes: lines and anchors cut across the reader's windows
  for (let at = 0; at < bytes.length; at += size) scan.feeder.write(bytes.subarray(at, at + size));
  scan.finish();
  return reports;
}

let compared = 0;
for (const file of FIXTURE_LOGS) {
  test(`the skipping reader finds what a full parse finds: ${file}`, () => {
    const text = `${noise(200)}\n\n${readFileSync(file, 'utf8')}\n\n${noise(200)}\n`;
    const expected = parseLog(text).reports;
    compared += expected.length;
    assert.deepStrictEqual(scanned(text), expected);
  });
}

// No blank line between the framed noise and the fixture: a fixture's unframed lines are then
// wraps of the noise line before them, for the reader as for a full parse. The noise before it is
// of several lengths, so the lines the reader keeps back at the end of a read (the writes are
// 7919 bytes, or 1000) fall at different places in the fixture.
for (const file of FIXTURE_LOGS) {
  const log = readFileSync(file, 'utf8');
  test(`the skipping reader finds what a full parse finds, no blank line around the log: ${file}`, () => {
    for (const before of [200, 201, 203]) {
      const text = `${noise(before)}\n${log}\n${noise(200)}\n`;
      const expected = parseLog(text).reports;
      assert.deepStrictEqual(scanned(text), expected, `${before} noise lines before`);
      assert.deepStrictEqual(scanned(text, 1000), expected, `${before} noise lines before, 1000-byte writes`);
    }
  });
}

// The same inside other line ends and with terminal escape sequences: the reader breaks lines
// where LSP clients do (a lone `\r` too) and feeds every line holding an ESC, since the scanner
// reads lines without their escape sequences and one may split an anchor (`Mem\x1b[0m-Info:`).
const VARIANTS: [string, (text: string) => string][] = [
  ['lone CRs', (text) => text.replace(/\n/g, '\r')],
  [
    'mixed line ends',
    (text) => {
      let i = 0;
      return text.replace(/\n/g, () => ['\r', '\n', '\r\n', '\r'][i++ % 4]);
    },
  ],
  [
    'escape sequences inside words',
    (text) =>
      text
        .split('\n')
        .map((line) => (line.match(/[^]{1,4}/g) ?? []).join('\x1b[0m'))
        .join('\n'),
  ],
  [
    'escape sequences on the report only',
    (text) => text.replace(/Mem-Info|allocation|oom-killer/g, (w) => `${w.slice(0, 3)}\x1b[1m${w.slice(3)}`),
  ],
];

for (const file of FIXTURE_LOGS) {
  const log = readFileSync(file, 'utf8');
  for (const [name, variant] of VARIANTS)
    test(`the skipping reader finds what a full parse finds, ${name}: ${file}`, () => {
      const text = variant(`${noise(200)}\n\n${log}\n\n${noise(200)}\n`);
      const expected = parseLog(text).reports;
      assert.equal(expected.length, parseLog(`${noise(200)}\n\n${log}\n\n${noise(200)}\n`).reports.length);
      assert.deepStrictEqual(scanned(text), expected);
    });
}

test('every annotated report was compared', () => {
  assert.equal(compared, annotatedEvents());
});

// The feeder itself: where it starts feeding before an anchor. Lines starting with `F` (and blank
// lines) stand for those the sink reads alone, `U` lines for unframed ones.
function fedLines(lines: string[], maxLines: number | null, cut: number): { fed: number[]; count: number } {
  const fed: number[] = [];
  let lineNo = 0;
  const feeder = new LineFeeder(
    {
      line() {
        fed.push(lineNo++);
      },
      canSkip: () => true,
      skip(n) {
        lineNo += n;
      },
    },
    {
      anchors: ['ANCHOR'],
      lookbehindLines: 3,
      kernel: 'js',
      ...(maxLines === null
        ? {}
        : { readsAlone: { test: (line: string) => /^F|^\s*$/.test(line), maxLines } }),
    },
  );
  const bytes = Buffer.from(lines.join('\n') + '\n');
  feeder.write(bytes.subarray(0, cut));
  feeder.write(bytes.subarray(cut));
  feeder.end();
  return { fed, count: lineNo };
}

test('the feeder starts feeding at the last line the sink reads alone before the lookbehind', () => {
  const framed = Array.from({ length: 20 }, (_, i) => `F${i}`);
  const unframed = Array.from({ length: 10 }, (_, i) => `U${i}`);
  const lines = [...framed, ...unframed, 'ANCHOR', 'U', ...framed];
  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);
  /** Lines fed up to the anchor's (line 30); every line counted. (A write that ends fewer lines
   * than the lookbehind after the last line consumed has them fed: nothing to skip yet. The first
   * write here holds at least four lines.) */
  const upToAnchor = (maxLines: number | null, cut: number): number[] => {
    const { fed, count } = fedLines(lines, maxLines, cut);
    assert.equal(count, lines.length);
    return fed.filter((line) => line <= 30);
  };
  const bytes = lines.join('\n').length + 1;
  for (let cut = 12; cut <= bytes; cut += 3) {
    // from F19 (line 19), 8 lines back from the lookbehind's start U7 (line 27)
    assert.deepEqual(upToAnchor(8, cut), range(19, 30), `cut ${cut}`);
    // not within 7 lines back: from the lookbehind's start, as without the option
    assert.deepEqual(upToAnchor(7, cut), range(27, 30), `cut ${cut}`);
    assert.deepEqual(upToAnchor(null, cut), range(27, 30), `cut ${cut}`);
  }
  // a blank line is read alone too; a framed line at the lookbehind's start is where feeding starts
  const blank = [...framed, 'U0', '', 'U1', 'U2', 'U3', 'U4', 'ANCHOR', ...framed];
  assert.deepEqual(fedLines(blank, 64, 0).fed, range(21, 26));
  const direct = [...framed, 'U0', 'ANCHOR', ...framed];
  assert.deepEqual(fedLines(direct, 64, 0).fed, range(18, 21));
});

test("a scan's totals list the rate limiters' lines (the editor's reading from disk makes findings of them)", () => {
  const text = [
    'Mar 18 10:00:03 web01 kernel: warn_alloc: 3 callbacks suppressed',
    'Mar 18 10:00:04 web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20',
    '',
  ].join('\n');
  const scan = createScan(() => undefined);
  scan.feeder.write(Buffer.from(text));
  const totals = scan.finish();
  assert.equal(totals.suppressed, 3);
  assert.deepEqual(
    totals.suppressions.map((s) => [s.line, s.count, s.source]),
    [[0, 3, 'warn_alloc']],
  );
  // as the reading of the whole text lists them
  assert.deepEqual(totals.suppressions, parseLog(text).suppressions);
});
