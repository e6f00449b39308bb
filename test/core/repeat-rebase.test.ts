// A repeat's analysis moved from the first identical report (core/repeat-rebase.ts) is exactly
// the analysis explainReport gives it: checked on every fixture log read twice (each report of
// the second copy repeats one of the first), and on floods whose times change width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ReportSequence,
  systemStateFrom,
  UNBOUNDED,
  type Analysed,
  type AnalyzeOptions,
} from '../../server/src/core/analyze';
import { TextScan } from '../../server/src/core/parse';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { FIXTURE_LOGS } from './fixture-files';

function analyses(text: string, reuse: boolean, options: AnalyzeOptions = {}): { items: Analysed[] } {
  const scan = new TextScan(text);
  scan.run(() => false);
  const parsed = scan.finish();
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item), options, UNBOUNDED, reuse);
  parsed.reports.forEach((r, i) => sequence.push(r, parsed.banners?.[i] ?? parsed.kernelRelease));
  sequence.end();
  return { items };
}

/** The analysis as a plain value (shared sub-objects and copies compare alike). */
const plain = (a: ReportAnalysis): unknown => JSON.parse(JSON.stringify(a));

/** Checks the two readings agree; returns the repeats whose analysis was moved (it shares its
 * remedies with the first report's: an explained one has its own). */
function assertSame(text: string, where: string, options: AnalyzeOptions = {}): number {
  const fresh = analyses(text, false, options).items;
  const reused = analyses(text, true, options).items;
  assert.equal(reused.length, fresh.length, where);
  let moved = 0;
  for (let i = 0; i < fresh.length; i++) {
    const first = reused[i].first;
    if (first && reused[i].analysis.remedies === reused[first.index].analysis.remedies) moved++;
    assert.deepStrictEqual(
      plain(reused[i].analysis),
      plain(fresh[i].analysis),
      `${where}: report ${i} (line ${fresh[i].report.line + 1})`,
    );
    assert.deepStrictEqual(reused[i].first, fresh[i].first, where);
  }
  return moved;
}

test('every fixture read twice: each repeat moved from its first equals its own explanation', () => {
  let repeats = 0;
  for (const file of FIXTURE_LOGS) {
    const text = readFileSync(file, 'utf8').replace(/\n?$/, '\n');
    repeats += assertSame(text + text, file);
  }
  assert.ok(repeats > 100, `repeats moved: ${repeats}`);
});

test('a flood whose times change width, columns and all: moved analyses equal fresh ones', () => {
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const day = 1 + (i % 28);
    lines.push(
      `Mar ${day < 10 ? ' ' : ''}${day} 14:39:0${i % 10} web01 kernel: swapper/0: page allocation failure: order:2, mode:0x104020`,
      `[${String(100 + i).padStart(5)}.000001] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 4.9.0-8-amd64 #1`,
    );
  }
  // every repeat but the last, which the end of the text leaves truncated (another content)
  assert.equal(assertSame(lines.join('\n'), 'flood'), 298);
  // dmesg uptime stamps that grow a digit: the header's columns shift
  const dmesg = Array.from(
    { length: 200 },
    (_, i) =>
      `[${String(9990 + i * 3).padStart(5)}.123456] kworker/u8:2: page allocation failure: order:0, mode:0x20`,
  ).join('\n');
  assert.equal(assertSame(dmesg, 'dmesg flood'), 199);
});

test("with a bundle's system state (a sosreport's sysctl -a): repeats are still moved, and equal", () => {
  const sysctl = readFileSync('test/fixtures/system/sysctl-a-6.18.txt', 'utf8');
  const system = systemStateFrom({ sysctl }, 'sos_commands/kernel/sysctl_-a of a test bundle');
  const seed = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8').replace(/\n?$/, '\n');
  // the last copy ends the text: cut there, it is another content and is explained
  assert.equal(assertSame(seed.repeat(4), 'seed ×4 with a system state', { system }), 2);
});

test('a repeat whose lines stand elsewhere inside the report (same length, same values) is explained, not moved', () => {
  // Another CPU's line printed at a different place inside each copy: the two reports hold the
  // same values and span as many lines, but the zone and frame lines sit at other distances from
  // their headers, so shifting the first one's lines by the headers' distance would be wrong.
  const report = readFileSync(
    FIXTURE_LOGS.find((f) => f.includes('011-dmesg-2.6.32-r8169'))!,
    'utf8',
  )
    .replace(/\n?$/, '')
    .split('\n');
  const noise = '[87578.500000] r8169 0000:02:00.0: eth0: link up';
  const copy = (at: number, tail: number): string[] => [
    ...report.slice(0, at),
    noise,
    ...report.slice(at, report.length - tail),
    ...Array.from(
      { length: tail + 1 },
      () => 'Mar 18 14:39:10 web01 sshd[812]: Accepted publickey for deploy',
    ),
  ];
  const text = [...copy(3, 0), ...copy(40, 0), ...copy(3, 0)].join('\n') + '\n';
  // the page allocation failures are all explained (the second differs from the first, and the
  // third from the second, which replaced it as the template); the SLUB reports after them stand
  // alike and are moved (and every analysis equals a fresh one)
  assert.equal(assertSame(text, 'inner lines elsewhere'), 2);
});
