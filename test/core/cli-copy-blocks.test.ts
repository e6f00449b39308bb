// The CLI's reading leaves a flood's copies unmade (issue #17): the scanner hands the copies it
// took as blocks (createScan `onCopies`, RepeatRun `'stream'`), the ReportSequence explains each by
// moving its source's analysis without making it (pushBlock, AnalysedCopy), and the writers read
// a copy's line, stamp and content without making it. Checked here against the reading that makes
// every copy: the same items in the same order (line, stamp, occurrence, first, content), each
// copy made on demand equal to the one made by the reading, none made by the writers' access; and
// `klens analyze` in every output format equal, byte for byte, to its scan worker's reading (which
// takes no copies), on fixtures printed again and again, a one-line flood and a rotated set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  AnalysedCopy,
  analysedContent,
  analysedLine,
  analysedTime,
  ReportSequence,
  type Analysed,
} from '../../server/src/core/analyze';
import type { Report } from '../../server/src/core/model';
import { createScan } from '../../server/src/cli/scan';
import { JsonFileWriter } from '../../server/src/cli/json';
import { JsonGroupWriter } from '../../server/src/cli/json-groups';
import { FailOnTracker, ResultCollector } from '../../server/src/cli/results';
import { PLAIN, reportBlock, SysctlCollector } from '../../server/src/cli/text';
import { FIXTURE_LOGS } from './fixture-files';
import { excerptFlood, printedAgain } from './floods';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'klens-copy-blocks-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI's limits (analyze-command.ts CLI_SEQUENCE_LIMITS). */
const LIMITS = { groups: Infinity, linesPerGroup: 64 };

/** `text` read as the CLI reads a file in this thread, in odd-sized writes: with its copies left
 * unmade (`blocks`), or made. The items in order, and how many were copies left unmade. */
function cliReading(text: string, blocks: boolean): { items: Analysed[]; unmade: number; reports: number } {
  const items: Analysed[] = [];
  let unmade = 0;
  const sequence = new ReportSequence(
    (item) => items.push(item),
    {},
    LIMITS,
    true,
    null,
    (copy, occurrence) => {
      unmade++;
      items.push(new AnalysedCopy(copy, occurrence));
    },
  );
  const scan = createScan<Report>(
    (r, banner, copy) => sequence.push(r, banner, copy),
    undefined,
    blocks
      ? {
          onCopies: (block) =>
            sequence.pushBlock({ at: 0, block, from: 0, reports: block.count * block.out.length }),
        }
      : {},
  );
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
  const { reports } = scan.finish();
  sequence.end();
  return { items, unmade, reports };
}

/** What a writer reads of an item without making a copy (the JSON group writer, the CI results,
 * `--fail-on`, `--sysctl`, the brief text). */
function seen(item: Analysed): unknown {
  const content = analysedContent(item);
  return {
    line: analysedLine(item),
    time: analysedTime(item),
    occurrence: item.occurrence,
    first: item.first,
    kind: content.kind,
    host: content.host,
    verdict: content.verdict,
    severities: content.findings.map((f) => [f.code, f.severity]),
    sysctl: content.sysctl,
  };
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Asserts the block reading of `text` gives the items of the reading that makes every copy;
 * returns how many copies it left unmade. */
function assertSameItems(text: string, where: string): number {
  const made = cliReading(text, false);
  const unmade = cliReading(text, true);
  assert.equal(unmade.reports, made.reports, `${where}: reports counted`);
  assert.equal(unmade.items.length, made.items.length, `${where}: items`);
  unmade.items.forEach((item, i) => {
    assert.deepStrictEqual(seen(item), seen(made.items[i]), `${where}: item ${i}`);
    // what the writers read made nothing
    if (item instanceof AnalysedCopy) assert.equal(item.copy.made, false, `${where}: item ${i} made`);
  });
  // a copy made on demand (a --verbose line, a JSON event past the held limit) is the one the
  // reading of every copy made
  unmade.items.forEach((item, i) => {
    if (!(item instanceof AnalysedCopy)) return;
    const other = made.items[i];
    assert.deepStrictEqual(plain(item.report), plain(other.report), `${where}: report ${i}`);
    assert.deepStrictEqual(plain(item.analysis), plain(other.analysis), `${where}: analysis ${i}`);
    assert.deepStrictEqual(item.release, other.release, `${where}: release ${i}`);
  });
  return unmade.unmade;
}

test('every fixture printed six times: the copies left unmade give the items of the copies made', () => {
  let unmade = 0;
  for (const file of FIXTURE_LOGS)
    unmade += assertSameItems(printedAgain(readFileSync(file, 'utf8'), 6), file);
  // most fixtures' copies are left unmade (the others: reports whose analysis cannot be moved)
  assert.ok(unmade > 200, `copies left unmade: ${unmade}`);
});

/** A flood of one-line reports, each with its own stamp (a driver's atomic allocation failing). */
function oneLineFlood(n: number, banner: boolean): string {
  const out = banner
    ? [
        'Mar 18 09:59:59 web01 kernel: Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP',
      ]
    : [];
  for (let i = 0; i < n; i++) {
    const s = String(i % 60).padStart(2, '0');
    out.push(
      `Mar 18 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${s} web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20`,
    );
  }
  return `${out.join('\n')}\n`;
}

test('a flood of one-line reports: every copy after the first few is left unmade, with its own line and stamp', () => {
  for (const banner of [false, true]) {
    const text = oneLineFlood(3000, banner);
    const unmade = assertSameItems(text, `one-line flood (banner: ${banner})`);
    assert.ok(unmade > 2990, `copies left unmade: ${unmade}`);
    const { items } = cliReading(text, true);
    assert.equal(items.length, 3000);
    // (the last few lines, the run's unfinished copy at the end of input, are read)
    const copy = items[2990];
    assert.ok(copy instanceof AnalysedCopy);
    assert.equal(analysedLine(copy), 2990 + (banner ? 1 : 0));
    assert.equal(analysedTime(copy), 'Mar 18 10:49:50');
    assert.equal(copy.occurrence, 2991);
    assert.deepEqual(copy.first, { index: 0, line: banner ? 1 : 0 });
    // the banner's release stands for the reports that print none, copies too
    assert.equal(copy.release.kernelRelease, banner ? '5.15.0-91-generic' : undefined);
    assert.equal(items[2999].occurrence, 3000);
  }
});

test('random floods of fixture excerpts with noise between copies, cut anywhere: the same items', () => {
  const logs = FIXTURE_LOGS.map((f) => readFileSync(f, 'utf8').replace(/\n$/, '').split('\n'));
  let unmade = 0;
  fc.assert(
    fc.property(
      excerptFlood(logs),
      fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 1, noNaN: true })),
      (copies, cut) => {
        const whole = copies.map((copy) => copy.join('\n')).join('\n');
        unmade += assertSameItems(whole.slice(0, Math.floor(cut * whole.length)), 'random flood');
      },
    ),
    { numRuns: 40, seed: 20261206 },
  );
  assert.ok(unmade > 40, `copies left unmade: ${unmade}`);
});

test("the CLI's writers read a flood's copies without making them (the brief text, JSON groups, CI results, --fail-on, --sysctl)", () => {
  const { items } = cliReading(printedAgain(oneLineFlood(40, false), 50), true);
  const copies = items.filter((i): i is AnalysedCopy => i instanceof AnalysedCopy);
  assert.ok(copies.length > 1900, `copies: ${copies.length}`);
  let json = '';
  const groups = new JsonGroupWriter(
    new JsonFileWriter((t) => (json += t), 'flood.log', '', false),
    false,
    false,
  );
  const results = new ResultCollector();
  const failOn = new FailOnTracker('warning');
  const sysctl = new SysctlCollector();
  let text = '';
  for (const item of items) {
    groups.add(item);
    results.add('flood.log', item);
    failOn.add(item);
    const content = analysedContent(item);
    sysctl.add('flood.log', analysedLine(item), content.sysctl, content.host);
    text += reportBlock('flood.log', item, PLAIN);
  }
  groups.end();
  assert.equal(copies.filter((c) => c.copy.made).length, 0, 'copies made by the writers');
  // and what they wrote counts every copy
  assert.match(json, /"count":2000,"lines":\[1,2,3,/);
  assert.equal(results.results[0].count, 2000);
  assert.equal(failOn.failed, true);
  assert.equal(text.split('Verdict:').length - 1, 1);
});

/** `klens args`, its exit status and output. */
function klens(
  args: string[],
  worker: 'never' | 'always',
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, KLENS_WORKER: worker, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FORMATS = [
  ['--json'],
  [],
  ['--verbose'],
  ['--sysctl'],
  ['--format', 'sarif'],
  ['--format', 'github'],
  ['--fail-on', 'warning', '--json'],
  ['--fail-on', 'error'],
];

test('klens analyze, every output format: copies left unmade write what the scan worker (which makes every copy) writes', () => {
  const dir = join(scratch, 'inputs');
  mkdirSync(dir);
  // every fixture printed four times, in two files (a scan worker per file takes ~0.1 s here);
  // and a one-line flood
  const half = Math.ceil(FIXTURE_LOGS.length / 2);
  const files = [FIXTURE_LOGS.slice(0, half), FIXTURE_LOGS.slice(half)].map((part, i) => {
    const file = join(dir, `fixtures-${i}.log`);
    writeFileSync(file, part.map((f) => printedAgain(readFileSync(f, 'utf8'), 4)).join(''));
    return file;
  });
  const flood = join(dir, 'flood.log');
  writeFileSync(flood, oneLineFlood(2500, false));
  files.push(flood);
  // a rotated set: the banner in the oldest (compressed, read in this thread) file, the flood in
  // the newest: its copies take the older file's release and group with the older file's report
  const set = join(scratch, 'rotated');
  mkdirSync(set);
  const text = oneLineFlood(1200, true).split('\n');
  writeFileSync(join(set, 'kern.log.1.gz'), gzipSync(`${text.slice(0, 3).join('\n')}\n`));
  writeFileSync(join(set, 'kern.log'), `${text.slice(3).join('\n')}`);
  for (const args of FORMATS) {
    for (const inputs of [files, [set]]) {
      const inThread = klens(['analyze', ...args, ...inputs], 'never');
      const inWorker = klens(['analyze', ...args, ...inputs], 'always');
      const what = `${args.join(' ') || '(text)'} ${inputs === files ? 'fixtures' : 'rotated set'}`;
      assert.equal(inThread.stderr, '', what);
      assert.ok(inThread.stdout.length > 0, what);
      assert.equal(inThread.status, inWorker.status, what);
      assert.equal(inThread.stdout, inWorker.stdout, what);
    }
  }
  // the set's copies joined the older file's group and took its banner's release
  const doc = JSON.parse(klens(['analyze', '--json', set], 'never').stdout);
  assert.equal(doc.repeats.length, 1);
  assert.equal(doc.repeats[0].count, 1200);
  assert.equal(doc.repeats[0].file, join(set, 'kern.log.1.gz'));
  assert.equal(doc.repeats[0].lastFile, join(set, 'kern.log'));
  assert.equal(doc.events.length, 1);
  assert.equal(doc.events[0].repeat.count, 1200);
  assert.equal(doc.events[0].era.release, '5.15.0-91-generic');
});
