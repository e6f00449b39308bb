// A large file's scan worker starts before the main thread knows whether to hand the file over
// (cli/scan-worker.ts `handOver`, asked while the worker boots: analyze-command.ts keeps a file
// that begins with a verbatim flood). A worker told to leave must read nothing: the main thread
// then reads the same descriptor from its start. A worker told to read gives what a scan in this
// thread gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanInWorker } from '../../server/src/cli/scan-worker';
import { createScan, type ScanTotals } from '../../server/src/cli/scan';
import { Progress } from '../../server/src/cli/progress';
import { scanInput } from '../../server/src/cli/analyze-command';
import { openInputs, type Input } from '../../server/src/cli/input';
import { copyAt } from '../../server/src/core/repeat-run';
import type { Report } from '../../server/src/core/model';
import { printedAgain } from './floods';

/** The CLI's entry module, which a scan worker runs (as `workerEntry` in cli.ts). */
const ENTRY = join(__dirname, '..', '..', 'server', 'src', 'cli.js');
const LOG = readFileSync('test/fixtures/corpus/031-rsyslog-012-rhel7-3.10-oom-mysqld.log');

/** A decision that takes longer than the worker's start (about 80 ms): the worker must wait for it. */
function slowly<T>(answer: T): () => T {
  return () => {
    const until = Date.now() + 400;
    while (Date.now() < until);
    return answer;
  };
}

function logFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'klens-handover-')), 'messages');
  writeFileSync(file, Buffer.concat([LOG, LOG, LOG]));
  return file;
}

test('a worker told to leave reads nothing: the descriptor is still at the start', async () => {
  const fd = openSync(logFile(), 'r');
  try {
    let asked = 0;
    const reports: unknown[] = [];
    const totals = await scanInWorker(
      ENTRY,
      fd,
      'messages',
      (report) => reports.push(report),
      async () => {},
      new Progress(null),
      () => (asked++, slowly(false)()),
    );
    assert.equal(totals, null);
    assert.equal(asked, 1);
    assert.equal(reports.length, 0);
    // nothing waits for the worker sent away: give it time to start and leave, then see that it
    // read nothing (a worker slower than this only makes the check weaker)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, null); // from the descriptor's own offset
    assert.deepEqual(head.subarray(0, n), LOG.subarray(0, 64));
  } finally {
    closeSync(fd);
  }
});

test('a worker told to read finds the reports a scan in this thread finds', async () => {
  const fd = openSync(logFile(), 'r');
  try {
    const inWorker: string[] = [];
    const totals = await scanInWorker(
      ENTRY,
      fd,
      'messages',
      (report) => inWorker.push(`${report.kind}@${report.line}`),
      async () => {},
      new Progress(null),
      slowly(true),
    );
    const here: string[] = [];
    const scan = createScan((report) => here.push(`${report.kind}@${report.line}`));
    scan.feeder.write(Buffer.concat([LOG, LOG, LOG]));
    const hereTotals = scan.finish();
    assert.deepEqual(inWorker, here);
    assert.equal(here.length, 3);
    assert.ok(totals !== null && !('offset' in totals));
    assert.equal(totals.reports, 3);
    assert.equal(totals.lineCount, hereTotals.lineCount);
  } finally {
    closeSync(fd);
  }
});

test('a fault while deciding sends the worker away and goes on', async () => {
  const fd = openSync(logFile(), 'r');
  try {
    await assert.rejects(
      scanInWorker(
        ENTRY,
        fd,
        'messages',
        () => {},
        async () => {},
        new Progress(null),
        () => {
          throw new Error('deciding failed');
        },
      ),
      /deciding failed/,
    );
  } finally {
    closeSync(fd);
  }
});

/** `text` in a file, opened as the CLI opens it, and what one reading in this thread finds in it. */
async function fileAndReading(
  text: string,
): Promise<{ input: Input; reference: string[]; expected: ScanTotals }> {
  const file = join(mkdtempSync(join(tmpdir(), 'klens-takeover-')), 'messages');
  writeFileSync(file, text);
  const reference: string[] = [];
  const one = createScan((report) => reference.push(keyOf(report)));
  one.feeder.write(Buffer.from(text));
  const expected = one.finish();
  const [input] = await openInputs([file]);
  return { input, reference, expected };
}

/** `input` scanned with a worker that `seen` (given the reports so far) may stop, as
 * analyze-command.ts's `floodSeen` does: every report in order (copies taken here made), the
 * blocks of copies this thread took, and the totals. */
async function takenOver(
  input: Input,
  seen: (reports: number) => number,
  pushedBefore: () => void,
): Promise<{ got: string[]; blocks: number; totals: ScanTotals }> {
  const got: string[] = [];
  let blocks = 0;
  const totals = await scanInput(
    input,
    (report) => got.push(keyOf(report)),
    async () => {},
    new Progress(null),
    { worker: 'always', workerEntry: ENTRY },
    (block, from) => {
      blocks++;
      const k = block.out.length;
      for (let n = from; n < block.count * k; n++) got.push(keyOf(copyAt(block, Math.floor(n / k))[n % k]));
    },
    { seen: () => seen(got.length), pushedBefore },
  );
  return { got, blocks, totals };
}

/** `kind@line time` of each report, copies made (the worker's reading makes every copy). */
function keyOf(report: Report): string {
  return `${report.kind}@${report.line} ${report.time}`;
}

test("a worker stopped in a flood: this thread reads on from its last resume point, and the reports and totals are one reading's", async () => {
  const noise = (from: number, n: number): string =>
    Array.from(
      { length: n },
      (_, i) =>
        `Mar 18 10:${String(Math.floor((from + i) / 60) % 60).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')} web01 systemd[1]: Started Session ${from + i} of user deploy.\n`,
    ).join('');
  const flood = printedAgain(
    readFileSync('test/fixtures/corpus/011-dmesg-2.6.32-r8169-order0-slub.log', 'utf8'),
    400,
  );
  const text = [
    noise(0, 20000),
    LOG.toString(),
    noise(20000, 20000),
    flood,
    noise(40000, 100),
    LOG.toString(),
  ].join('');
  const { input, reference, expected } = await fileAndReading(text);
  let asked = 0;
  let again = 0;
  const { got, blocks, totals } = await takenOver(
    input,
    (seen) => (asked++, seen >= 80 ? 80 : 0),
    () => again++,
  );
  assert.ok(asked > 0);
  // the flood's copies were taken in this thread (the worker takes none), after reports read again
  assert.ok(blocks > 0, 'copies taken in this thread');
  assert.ok(again > 0, 'reports read again');
  assert.deepEqual(got, reference);
  assert.ok(got.length > 400);
  assert.deepEqual(
    [totals.lineCount, totals.reports, totals.suppressed, totals.framing, totals.quotedPrintableFrom],
    [
      expected.lineCount,
      expected.reports,
      expected.suppressed,
      expected.framing,
      expected.quotedPrintableFrom,
    ],
  );
});

test('a worker asked to stop whose last resume point lies before many reports that are no copies reads on itself', async () => {
  const noise = Array.from(
    { length: 20000 },
    (_, i) => `Mar 18 10:00:00 web01 systemd[1]: Started Session ${i}.\n`,
  ).join('');
  const dump = readFileSync('test/fixtures/corpus/011-dmesg-2.6.32-r8169-order0-slub.log', 'utf8');
  // 1,000 dumps whose free pages change (no resume point among them: no stretch is skipped), then
  // a verbatim flood
  const changing = Array.from({ length: 1000 }, (_, i) =>
    dump.replace(/ free:(\d+)/, ` free:${1000 + i}`),
  ).join('');
  const text = [noise, changing, printedAgain(dump, 300)].join('');
  const { input, reference, expected } = await fileAndReading(text);
  // the flood seen from its 80th report on
  const { got, blocks, totals } = await takenOver(
    input,
    (seen) => (seen >= 1080 ? 80 : 0),
    () => assert.fail('nothing is read again'),
  );

  assert.equal(blocks, 0, 'no copies taken here: the worker read on');
  assert.deepEqual(got, reference);
  assert.equal(totals.reports, expected.reports);
  assert.equal(totals.lineCount, expected.lineCount);
});
