// `--json` groups repeats (issue #17): one event per repeat group, its members' header lines and
// times in `repeat.lines` / `repeat.times`; held events bounded (a group longer than what is held
// continues in a later event); SARIF's related locations name the members' own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSequence } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { JsonFileWriter } from '../../server/src/cli/json';
import { JsonGroupWriter } from '../../server/src/cli/json-groups';
import { reportCount, reportsOf, type GroupedRepeat } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
/** A real r8169 order-0 atomic failure followed by its SLUB failure (raw dmesg, 2.6.32). */
const R8169 = readFileSync(join(corpus, '011-dmesg-2.6.32-r8169-order0-slub.log'), 'latin1');
const SEED = readFileSync(join(corpus, '000-seed.log'), 'utf8');

const scratch = mkdtempSync(join(tmpdir(), 'klens-json-groups-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function klens(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, 'analyze', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

/**
 * Constructed flood: the real report of 011 printed `copies` times, each copy's dmesg stamps
 * (`[%5lu.%06lu]`, printk_time) 50 ms after the previous copy's, as a driver retrying the same
 * atomic allocation prints it. Returns the text and, per copy, the two header lines and times.
 */
function flood(copies: number): { text: string; alloc: [number, string][]; slub: [number, string][] } {
  const lines = R8169.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  const alloc: [number, string][] = [];
  const slub: [number, string][] = [];
  for (let k = 0; k < copies; k++)
    for (const l of lines) {
      const m = /^\[(\d+)\.(\d{6})\]/.exec(l);
      if (!m) {
        out.push(l);
        continue;
      }
      const us = Number(m[1]) * 1e6 + Number(m[2]) + k * 50_000;
      const time = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
      out.push(`[${time}]${l.slice(m[0].length)}`);
      if (l.includes('page allocation failure')) alloc.push([out.length, time]);
      if (l.includes('SLUB: Unable to allocate')) slub.push([out.length, time]);
    }
  return { text: `${out.join('\n')}\n`, alloc, slub };
}

interface Event {
  kind: string;
  line: number;
  time: string | null;
  index: number;
  repeat: GroupedRepeat;
}

test('a flood of identical reports: one event per group, every copy as a line and a time', () => {
  const copies = 300;
  const { text, alloc, slub } = flood(copies);
  const file = join(scratch, 'flood.log');
  writeFileSync(file, text, 'latin1');
  const r = klens(['--json', file]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { events: Event[]; repeats: { line: number; count: number }[] };
  assert.deepEqual(
    doc.events.map((e) => [e.kind, e.line, e.time, e.index]),
    [
      ['page_alloc_failure', 1, '87578.494471', 0],
      ['slub_failure', 92, '87578.531053', 1],
    ],
  );
  assert.deepEqual(doc.events[0].repeat, {
    occurrence: 1,
    firstLine: null,
    count: copies,
    lines: alloc.map(([line]) => line),
    times: alloc.map(([, time]) => time),
  });
  assert.deepEqual(doc.events[1].repeat, {
    occurrence: 1,
    firstLine: null,
    count: copies,
    lines: slub.map(([line]) => line),
    times: slub.map(([, time]) => time),
  });
  assert.deepEqual(
    doc.repeats.map((g) => [g.line, g.count]),
    [
      [1, copies],
      [92, copies],
    ],
  );
  // one explained event per group, then a few bytes per copy: the two events and their
  // 2 × 300 (line, time) pairs, not 600 explained reports
  const single = klens(['--json', join(corpus, '011-dmesg-2.6.32-r8169-order0-slub.log')]).stdout;
  assert.ok(r.stdout.length < single.length + 2 * copies * 24, `${r.stdout.length} characters`);
  // the text counts the same reports
  assert.match(klens([file]).stdout, new RegExp(`: ${reportCount(doc.events)} memory reports \\(`));
  assert.equal(reportCount(doc.events), 2 * copies);
});

/** The events a sequence of the given text writes through a JsonGroupWriter holding `held`. */
function grouped(text: string, held: number, pretty = false): Event[] {
  let out = '';
  const writer = new JsonFileWriter((t) => (out += t), 'x.log', '', pretty);
  const groups = new JsonGroupWriter(writer, pretty, false, held);
  const sequence = new ReportSequence((item) => groups.add(item));
  const parsed = parseLog(text);
  for (const r of parsed.reports) sequence.push(r, parsed.kernelRelease);
  sequence.end();
  groups.end();
  writer.end({ framing: parsed.framing, lineCount: 0, suppressed: 0, repeats: [] });
  return (JSON.parse(out) as { events: Event[] }).events;
}

test('held output is bounded: a group longer than what is held goes on in a later event', () => {
  const { text, alloc, slub } = flood(6);
  const all = grouped(text, Infinity);
  assert.deepEqual(
    all.map((e) => [e.line, e.repeat.count]),
    [
      [1, 6],
      [92, 6],
    ],
  );
  // room for about one event: each is written as the next arrives, and each later copy starts
  // an event of its own saying which member of the group it is (an event of one report has no
  // member list)
  const tight = grouped(text, 1);
  const headers = [...alloc.map(([l]) => l), ...slub.map(([l]) => l)].sort((a, b) => a - b);
  assert.deepEqual(
    tight.map((e) => e.line),
    headers,
    'in the order of the header lines',
  );
  assert.deepEqual(
    tight.map((e) => [e.kind, e.repeat.occurrence, e.repeat.firstLine, e.repeat.count]),
    headers.map((line) => {
      const a = alloc.findIndex(([l]) => l === line);
      const s = slub.findIndex(([l]) => l === line);
      return a >= 0
        ? ['page_alloc_failure', a + 1, a === 0 ? null : 1, undefined]
        : ['slub_failure', s + 1, s === 0 ? null : 92, undefined];
    }),
  );
  // expanded, both readings stand for the same reports at the same lines and times
  const key = (e: Event): [number, string | null, number] => [e.line, e.time, e.repeat.occurrence];
  assert.deepEqual(
    reportsOf(tight)
      .map(key)
      .sort((a, b) => a[0] - b[0]),
    reportsOf(all)
      .map(key)
      .sort((a, b) => a[0] - b[0]),
  );
});

test('indented (terminal) output is the same document, the member arrays on one line', () => {
  const { text } = flood(3);
  assert.deepEqual(grouped(text, Infinity, true), grouped(text, Infinity, false));
  let out = '';
  const writer = new JsonFileWriter((t) => (out += t), 'x.log', '', true);
  const groups = new JsonGroupWriter(writer, true, false);
  const sequence = new ReportSequence((item) => groups.add(item));
  for (const r of parseLog(text).reports) sequence.push(r, null);
  sequence.end();
  groups.end();
  assert.match(out, /^ {8}"lines": \[1,96,191\],$/m);
  assert.match(out, /^ {8}"times": \["87578\.494471","87578\.544471","87578\.594471"\]$/m);
});

test('a rotated set: the members name their files, in --json and in SARIF', () => {
  const dir = join(scratch, 'rotated');
  mkdirSync(dir);
  writeFileSync(join(dir, 'kern.log.1'), SEED);
  writeFileSync(join(dir, 'kern.log'), SEED);
  const doc = JSON.parse(klens(['--json', dir]).stdout) as {
    events: (Event & { file: string })[];
  };
  const older = join(dir, 'kern.log.1');
  const newer = join(dir, 'kern.log');
  assert.equal(doc.events.length, 1);
  assert.equal(doc.events[0].file, older);
  assert.deepEqual(doc.events[0].repeat, {
    occurrence: 1,
    firstLine: null,
    firstFile: null,
    count: 2,
    lines: [1, 1],
    times: ['Apr 28 05:30:51', 'Apr 28 05:30:51'],
    files: [older, newer],
  });
  const sarif = JSON.parse(klens(['--format', 'sarif', '--base', dir, dir]).stdout) as {
    runs: {
      results: {
        occurrenceCount: number;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        relatedLocations?: {
          message?: { text: string };
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        }[];
      }[];
    }[];
  };
  for (const result of sarif.runs[0].results) {
    assert.equal(result.occurrenceCount, 2);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'kern.log.1');
    assert.deepEqual(
      result
        .relatedLocations!.filter((l) => l.message?.text === 'an identical report')
        .map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine]),
      [['kern.log', 1]],
    );
  }
});
