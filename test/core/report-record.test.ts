// The CLI's scan worker records each report's lines (ReportRecorder) and the main thread replays
// them (replayReport): the Report that comes out must be the one ReportBuilder makes directly, on
// every real log we have and on the damaged and interleaved inputs the parser handles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogScanner } from '../../server/src/core/parse';
import { recordReport, replayReport, type RecordedReport } from '../../server/src/core/report-record';
import type { Report } from '../../server/src/core/model';
import { annotatedEvents, FIXTURE_LOGS } from './fixture-files';

function scanLines<T>(scanner: LogScanner<T>, text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) out.push(...scanner.push(line));
  out.push(...scanner.end());
  return out;
}

function direct(text: string): Report[] {
  return scanLines(new LogScanner(), text);
}

/** Recorded, sent through a structured clone as postMessage does, then replayed. */
function recorded(text: string): Report[] {
  const recordings = scanLines<RecordedReport>(new LogScanner(recordReport), text);
  return structuredClone(recordings).map(replayReport);
}

test('the fixtures are there (the shared corpus and the extra reports)', () => {
  assert.ok(FIXTURE_LOGS.length >= 31 + 43, `${FIXTURE_LOGS.length} fixtures`);
});

let compared = 0;
for (const file of FIXTURE_LOGS) {
  test(`replayed recordings equal direct parsing: ${file}`, () => {
    const text = readFileSync(file, 'utf8');
    const expected = direct(text);
    compared += expected.length;
    assert.deepStrictEqual(recorded(text), expected);
  });
}

test('every annotated report was compared', () => {
  assert.equal(compared, annotatedEvents());
});

test('replay equals direct parsing on damaged and interleaved input', () => {
  const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');
  const lines = seed.split('\n');
  const variants = [
    // cut in the middle of the zone lines: closed at the end of input, truncated
    lines.slice(0, Math.floor(lines.length * 0.7)).join('\n'),
    // wrapped lines (mailer at 60 columns), CRLF, quoting
    lines.map((l) => (l.length > 60 ? `${l.slice(0, 60)}\n${l.slice(60)}` : l)).join('\r\n'),
    lines.map((l) => `> ${l}`).join('\n'),
    // two copies interleaved line by line with daemon noise between them
    lines.flatMap((l) => [l, 'Apr 28 05:30:51 cztest sshd[1]: Accepted publickey for root', l]).join('\n'),
    // SLUB failure, OOM kill and a suppression, one after the other
    [
      '[ 10.000000] kworker/0:1: page allocation failure: order:0, mode:0x20',
      '[ 10.000001] SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
      '[ 10.000002]   cache: skbuff_head_cache, object size: 232, buffer size: 256, default order: 0, min order: 0',
      '[ 10.000003]   node 0: slabs: 12, objs: 192, free: 0',
      '[ 11.000000] warn_alloc: 3 callbacks suppressed',
      '[ 12.000000] bash invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
      '[ 12.000001] CPU: 1 PID: 42 Comm: bash Not tainted 6.1.0 #1',
      '[ 12.000002] Out of memory: Killed process 42 (bash) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB',
    ].join('\n'),
  ];
  // numbers past 2^31 (a summed suppressed count), a pid too large for a number (read as null)
  variants.push(
    ['[ 1.0] warn_alloc: 3000000000 callbacks suppressed', ...lines].join('\n'),
    [
      '[ 2.0] swapper: page allocation failure. order:0, mode:0x20',
      `[ 2.0] Pid: ${'9'.repeat(320)}, comm: swapper Not tainted 2.6.32 #1`,
      '[ 2.0] Pid: 12, comm: swapper Not tainted 2.6.32 #1',
      '[ 2.0] Call Trace:',
      '[ 2.0]  [<ffffffff8111f8a6>] __alloc_pages_nodemask+0x6c6/0x7f0',
    ].join('\n'),
  );
  for (const text of variants) {
    const expected = direct(text);
    assert.ok(expected.length > 0);
    assert.deepStrictEqual(recorded(text), expected);
  }
});

test('a recording is plain data: strings and one Float64Array', () => {
  const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');
  const [recording] = scanLines<RecordedReport>(new LogScanner(recordReport), seed);
  assert.equal(recording.line, 0);
  assert.ok(recording.codes instanceof Float64Array);
  assert.ok(recording.texts.every((t) => typeof t === 'string'));
  assert.equal(recording.strings[0], 'page_alloc_failure');
  assert.equal(recording.strings[1], 'Apr 28 05:30:51');
  assert.equal(recording.strings[2], 'cztest');
});
