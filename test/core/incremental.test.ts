// The pure rules of incremental re-analysis (core/incremental.ts) and the move machinery they
// reuse (core/repeat-rebase.ts). The random-edit property over every fixture is in
// test/features/incremental-edits.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReportSequence, UNBOUNDED, type Analysed } from '../../server/src/core/analyze';
import { TextScan } from '../../server/src/core/parse';
import {
  holdsReaderAnchor,
  lineAfter,
  mayFormByteMessage,
  movedReading,
  RESUME_MARGIN_LINES,
  skippedAfterEdit,
} from '../../server/src/core/incremental';

function read(text: string) {
  const scan = new TextScan(text);
  scan.run(() => false);
  return { parsed: scan.finish(), skipped: scan.skipped };
}

function analysed(text: string, reuse: boolean): Analysed[] {
  const { parsed } = read(text);
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item), {}, UNBOUNDED, reuse);
  parsed.reports.forEach((r, i) => sequence.push(r, parsed.banners?.[i] ?? parsed.kernelRelease));
  sequence.end();
  return items;
}

const noise = (n: number, from = 0): string[] =>
  Array.from(
    { length: n },
    (_, i) => `Mar 18 10:00:${String((from + i) % 60).padStart(2, '0')} web01 sshd[7]: session ${from + i}`,
  );

// Constructed from warn_alloc's printk format (mm/page_alloc.c, 4.10+: "%s: page allocation
// failure: order:%u, mode:%#x(%pGg)"), with a mask wider than gfp_t's 32 bits: KLL025.
const WIDE_MASK =
  'Mar 18 10:01:00 web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20109b77b';

test("a moved repeat's KLL025 (a value beyond what the kernel prints) names the repeat's own line", () => {
  const text = [WIDE_MASK, ...noise(100), WIDE_MASK, ''].join('\n');
  const reused = analysed(text, true);
  const fresh = analysed(text, false);
  assert.equal(reused.length, 2);
  const kll025 = (a: Analysed) =>
    a.analysis.findings.filter((f) => f.code === 'KLL025').map((f) => [f.line, f.message]);
  assert.deepEqual(kll025(reused[1]), [
    [
      101,
      'Value mode:0x20109b77b on line 102 is beyond what the kernel prints (a gfp_t mask of 32 bits): ignored.',
    ],
  ]);
  assert.deepEqual(kll025(reused[1]), kll025(fresh[1]));
});

test('TextScan records the stretches it skipped: first line and count, -1 for the last one to the end', () => {
  const lines = [...noise(200), WIDE_MASK, ...noise(200, 200)];
  const { skipped, parsed } = read(lines.join('\n'));
  assert.equal(parsed.reports.length, 1);
  // 200 noise lines: skipped up to 3 lines before the anchor (ANCHOR_LOOKBEHIND_LINES; every line
  // is framed, so the reading resumes right there); after the report, to the end
  assert.equal(skipped[0], 0);
  assert.equal(skipped[1], 197);
  assert.equal(skipped[skipped.length - 1], -1);
  assert.ok(skipped[skipped.length - 2] > 200);
});

test('skippedAfterEdit: inside a stretch and far enough before where the reading resumes, else null', () => {
  const skipped = [0, 197, 210, -1];
  // a line typed at line 10: the first stretch grows, the last one moves
  assert.deepEqual(skippedAfterEdit(skipped, { first: 10, last: 10, delta: 1 }), [0, 198, 211, -1]);
  // a character only: nothing moves
  assert.deepEqual(skippedAfterEdit(skipped, { first: 10, last: 10, delta: 0 }), skipped);
  // the last line that may change: RESUME_MARGIN_LINES before line 197
  assert.ok(skippedAfterEdit(skipped, { first: 100, last: 197 - RESUME_MARGIN_LINES, delta: 0 }));
  assert.equal(
    skippedAfterEdit(skipped, { first: 100, last: 197 - RESUME_MARGIN_LINES + 1, delta: 0 }),
    null,
  );
  // lines the reading read (the report, 197..209) are never inside a stretch
  assert.equal(skippedAfterEdit(skipped, { first: 200, last: 200, delta: 0 }), null);
  // anywhere in the stretch that runs to the end
  assert.deepEqual(skippedAfterEdit(skipped, { first: 300, last: 305, delta: -2 }), [0, 197, 210, -1]);
  assert.equal(skippedAfterEdit([], { first: 0, last: 0, delta: 0 }), null);
});

test('holdsReaderAnchor and mayFormByteMessage: what an edit must not make or break', () => {
  assert.equal(holdsReaderAnchor('Mar 18 10:00:00 web01 sshd[7]: session 1'), false);
  for (const s of ['malloc', 'oom-killer', 'Mem-Info', 'suppressed', 'Linux version 6.1', '=3D', 'a\x1b[0m'])
    assert.equal(holdsReaderAnchor(s), true, s);
  const old = '{ "MESSAGE" :   x, "PRIORITY": "6" }';
  const at = old.indexOf('x');
  assert.equal(mayFormByteMessage(old, at, at + 1, '['), true);
  assert.equal(mayFormByteMessage(old, at, at + 1, 'y'), false);
  // the pieces of the pattern on either side of a long run of whitespace
  const spaced = `"MESSAGE"${' '.repeat(50)}:${'\n'.repeat(40)}`;
  assert.equal(mayFormByteMessage(spaced, spaced.length, spaced.length, '['), true);
});

test('movedReading moves every report after the edit by its delta, and the repeat lines with them', () => {
  const lines = [WIDE_MASK, ...noise(150), WIDE_MASK, ...noise(150, 150)];
  const text = lines.join('\n');
  const { parsed } = read(text);
  const analysis = { reports: analysed(text, true).map((a) => a.analysis), findings: [] };
  const edits = [{ first: 80, last: 80, delta: 2 }];
  const moved = movedReading(parsed, analysis, edits);
  assert.deepEqual(
    moved.parsed.reports.map((r) => r.line),
    [0, 153],
  );
  assert.equal(moved.parsed.reports[0], parsed.reports[0], 'a report before the edit is kept');
  assert.deepEqual(moved.analysis.reports[0].repeat.lines, [0, 153]);
  assert.equal(
    moved.analysis.reports[1].repeat.lines,
    moved.analysis.reports[0].repeat.lines,
    'one list per group',
  );
  assert.equal(moved.parsed.lineCount, parsed.lineCount + 2);
  assert.equal(lineAfter(edits, 151), 153);
  assert.equal(lineAfter(edits, 10), 10);
});
