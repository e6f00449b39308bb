// The CLI's reader skips what cannot matter: while no report is open it only counts the lines
// without an anchor and feeds the scanner from ANCHOR_LOOKBEHIND_LINES before each anchor.
// Whatever it skips, the reports must be exactly those of a full parse (parseLog, the language
// server's path), on every fixture, inside ordinary noise with anchors that open nothing. (A blank
// line separates the noise from the fixture: a full parse reads unframed lines right after framed
// ones as wraps of them, which the reader cannot know for lines it skipped — see CONTRIBUTING
// "How a log flows".) Also with lone CRs, mixed line ends and escape sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLog } from '../../server/src/core/parse';
import { createScan } from '../../server/src/cli/scan';
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

function scanned(text: string): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  const bytes = Buffer.from(text);
  // odd-sized writes: lines and anchors cut across the reader's windows
  for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
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
