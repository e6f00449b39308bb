// `klens analyze --follow` (issue #16) as a pipeline runs it: reports appended to a file over time
// come out as NDJSON events, each once and before the next is written (no wall-clock threshold:
// every wait is a generous timeout); the file rotated by rename and truncated in place is read on
// like `tail -F`; standard input until it closes; SIGTERM and a closed pipe end it cleanly; the
// resident memory stays flat over a million appended noise lines (VmRSS from /proc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOLLOW_SCHEMA } from '../../server/src/cli/follow';
import { ReportSequence, type Analysed, type SequenceLimits } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
/** One order-5 allocation failure (lines 1–44), nothing after its last zone line. */
const SEED = readFileSync(join(corpus, '000-seed.log'), 'utf8');
/** One OOM kill (header on line 4). */
const OOM = readFileSync(join(corpus, '001-journal-oom-6.8-python.log'), 'utf8');
const NOISE =
  'Dec  5 04:00:00 host sshd[4242]: Accepted publickey for deploy from 10.0.0.1 port 50522 ssh2\n';
/** Generous: the machine is shared; a prompt event comes in well under a second. */
const TIMEOUT_MS = 30_000;

const scratch = mkdtempSync(join(tmpdir(), 'klens-follow-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

interface FollowEvent {
  schema: string;
  at: string;
  type: 'start' | 'report' | 'reopened' | 'end';
  file: string;
  report?: { kind: string; line: number; endLine: number; index: number; repeat: { occurrence: number } };
  reason?: string;
  lines?: number;
  reports?: number;
}

/** A running `klens analyze --follow`, its events read as they arrive. */
class Follower {
  readonly child: ChildProcessWithoutNullStreams;
  readonly events: FollowEvent[] = [];
  stderr = '';
  private partial = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [cli, 'analyze', '--follow', ...args], { stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (text: string) => {
      const lines = (this.partial + text).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line) as FollowEvent;
        assert.equal(event.schema, FOLLOW_SCHEMA);
        this.events.push(event);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Waits until `count` events of `type` have arrived; returns the last of them. */
  async until(type: FollowEvent['type'], count: number): Promise<FollowEvent> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const matching = this.events.filter((e) => e.type === type);
      if (matching.length >= count) return matching[count - 1];
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no ${type} #${count} in ${TIMEOUT_MS} ms; got ${JSON.stringify(this.events.map((e) => e.type))} ${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  reports(): { kind: string; line: number }[] {
    return this.events
      .filter((e) => e.type === 'report')
      .map((e) => ({ kind: e.report!.kind, line: e.report!.line }));
  }

  /** Resident set size in kB (Linux). */
  rssKb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]);
  }
}

test('a growing file: each appended report once, before the next is written; rotation and truncation', async () => {
  const log = join(scratch, 'kern.log');
  writeFileSync(log, '');
  const f = new Follower(['--close-after', '0.3', log]);
  try {
    const start = await f.until('start', 1);
    assert.equal(start.file, log);

    // the seed's report ends with its last zone line and nothing after it: closed by the quiet interval
    appendFileSync(log, SEED);
    const first = await f.until('report', 1);
    assert.deepEqual(
      [first.report!.kind, first.report!.line, first.report!.endLine],
      ['page_alloc_failure', 1, 44],
    );

    // an OOM report written in pieces, a second apart (slower than --close-after only between reports)
    const oomLines = OOM.split('\n');
    appendFileSync(log, `${NOISE}${oomLines.slice(0, 30).join('\n')}\n`);
    appendFileSync(log, `${oomLines.slice(30).join('\n')}${NOISE}`);
    const second = await f.until('report', 2);
    assert.deepEqual([second.report!.kind, second.report!.line], ['oom_kill', 44 + 1 + 4]);

    // rotation by rename: what the writer still adds to the old file comes first, then the new file
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, `${NOISE}${SEED}`);
    writeFileSync(log, `${NOISE}${NOISE}${SEED}`);
    const rotated = await f.until('reopened', 1);
    assert.equal(rotated.reason, 'rotated');
    await f.until('report', 4);
    const afterRotation = f.events.slice(f.events.indexOf(rotated) - 1);
    assert.deepEqual(
      afterRotation.map((e) => (e.type === 'report' ? `${e.report!.kind}@${e.report!.line}` : e.type)),
      [
        // seed 1–44, noise 45, the OOM report 46–117, noise 118, noise 119, the seed from 120
        'page_alloc_failure@120',
        'reopened',
        'page_alloc_failure@3',
      ],
    );

    // truncated in place (copytruncate): read again from the start
    truncateSync(log, 0);
    const truncated = await f.until('reopened', 2);
    assert.equal(truncated.reason, 'truncated');
    appendFileSync(log, OOM);
    const fifth = await f.until('report', 5);
    assert.deepEqual([fifth.report!.kind, fifth.report!.line], ['oom_kill', 4]);

    // SIGTERM: a clean end event, exit 0, nothing on stderr
    f.child.kill('SIGTERM');
    assert.equal(await f.exited, 0);
    const end = f.events[f.events.length - 1];
    assert.equal(end.type, 'end');
    assert.equal(end.reason, 'signal');
    assert.equal(end.reports, 5);
    assert.equal(f.stderr, '');
    // each report once: five reports, five distinct (generation, line) places
    assert.equal(f.reports().length, 5);
    // repeats are still recognised across the stream
    assert.deepEqual(
      f.events.filter((e) => e.type === 'report').map((e) => e.report!.repeat.occurrence),
      [1, 1, 2, 3, 2],
    );
  } finally {
    f.child.kill('SIGKILL');
  }
});

test('standard input: events as reports complete, an end event when the pipe closes', async () => {
  const f = new Follower(['--close-after', '0.3']);
  try {
    f.child.stdin.write(SEED);
    const first = await f.until('report', 1);
    assert.equal(first.file, '-');
    assert.equal(first.report!.line, 1);
    f.child.stdin.write(`${NOISE}${OOM}`);
    f.child.stdin.end();
    assert.equal(await f.exited, 0);
    assert.deepEqual(f.reports(), [
      { kind: 'page_alloc_failure', line: 1 },
      { kind: 'oom_kill', line: 44 + 1 + 4 },
    ]);
    const end = f.events[f.events.length - 1];
    assert.deepEqual(
      [end.type, end.reason, end.reports, end.lines],
      ['end', 'eof', 2, 44 + 1 + OOM.split('\n').length - 1],
    );
    assert.equal(f.stderr, '');
  } finally {
    f.child.kill('SIGKILL');
  }
});

test('a closed pipe ends it quietly; --fail-on gives the exit status at the end', async () => {
  const log = join(scratch, 'pipe.log');
  writeFileSync(log, SEED);
  const f = new Follower(['--close-after', '0.2', log]);
  try {
    await f.until('report', 1);
    f.child.stdout.destroy();
    appendFileSync(log, `${NOISE}${SEED}${NOISE}`);
    assert.equal(await f.exited, 0);
    assert.equal(f.stderr, '');
  } finally {
    f.child.kill('SIGKILL');
  }
  const failing = new Follower(['--close-after', '0.2', '--fail-on', 'error']);
  failing.child.stdin.end(OOM);
  assert.equal(await failing.exited, 1);
  const passing = new Follower(['--close-after', '0.2', '--fail-on', 'error']);
  passing.child.stdin.end(SEED);
  assert.equal(await passing.exited, 0);
});

test('memory stays flat over a million appended noise lines (and reports among them)', async () => {
  const log = join(scratch, 'long.log');
  writeFileSync(log, '');
  const f = new Follower(['--close-after', '0.2', log]);
  try {
    await f.until('start', 1);
    const chunk = NOISE.repeat(10_000);
    let reports = 0;
    const samples: number[] = [];
    for (let round = 0; round < 100; round++) {
      appendFileSync(log, chunk);
      if (round % 10 === 9) {
        // a report after each 100 000 lines: when it comes out, every line before it was read
        appendFileSync(log, round % 20 === 9 ? SEED : OOM);
        await f.until('report', ++reports);
        samples.push(f.rssKb());
      }
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    console.log(
      `follow RSS over 1e6 noise lines: ${samples.map((kb) => Math.round(kb / 1024)).join(' → ')} MB`,
    );
    // flat: the tenth 100 000 lines cost no more than a small constant over the first
    assert.ok(last < first + 32 * 1024, `RSS grew from ${first} kB to ${last} kB`);
    assert.ok(last < 200 * 1024, `RSS ${last} kB`);
    f.child.kill('SIGTERM');
    assert.equal(await f.exited, 0);
    const end = f.events[f.events.length - 1];
    assert.equal(end.lines, 1_000_000 + 5 * SEED.split('\n').length - 5 + 5 * OOM.split('\n').length - 5);
    assert.equal(end.reports, 10);
  } finally {
    f.child.kill('SIGKILL');
  }
});

test('a FIFO: read across writers until SIGTERM; inputs it cannot follow: exit 2, one line, nothing printed', async () => {
  const fifo = join(scratch, 'fifo');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, String(made.stderr));
  const f = new Follower(['--close-after', '0.2', fifo]);
  try {
    await f.until('start', 1);
    writeFileSync(fifo, SEED); // opens, writes, closes: one writer
    await f.until('report', 1);
    writeFileSync(fifo, `${NOISE}${OOM}`); // a second writer: the reader did not stop at the first's close
    const second = await f.until('report', 2);
    assert.deepEqual([second.report!.kind, second.report!.line], ['oom_kill', 44 + 1 + 4]);
    f.child.kill('SIGTERM');
    assert.equal(await f.exited, 0);
    assert.equal(f.events[f.events.length - 1].reason, 'signal');
  } finally {
    f.child.kill('SIGKILL');
  }
  for (const [path, message] of [
    [join(scratch, 'missing.log'), /missing\.log: no such file or directory$/],
    [scratch, /: is a directory$/],
    ['/dev/null', /\/dev\/null: --follow reads a regular file, a FIFO or standard input/],
  ] as const) {
    const r = spawnSync(process.execPath, [cli, 'analyze', '--follow', path], {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
    });
    assert.equal(r.status, 2, `${path}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr.trimEnd(), message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  }
});

test('ReportSequence limits (what --follow keeps): least recently seen group forgotten, lines per group capped', () => {
  const parsed = parseLog(readFileSync(join(corpus, '004-bare-slub-interleaved-iommu-iova.log'), 'utf8'));
  const run = (limits?: SequenceLimits): Analysed[] => {
    const out: Analysed[] = [];
    const sequence = new ReportSequence((item) => out.push(item), {}, limits);
    for (const r of parsed.reports) sequence.push(r, parsed.kernelRelease);
    sequence.end();
    return out;
  };
  const unbounded = run();
  assert.deepEqual(
    unbounded.map((a) => a.occurrence),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 10],
  );
  assert.equal(unbounded[0].analysis.repeat!.lines.length, 10);
  const bounded = run({ groups: 1, linesPerGroup: 3 });
  // the page allocation failure evicts the SLUB group: the SLUB report after it starts a new one
  assert.deepEqual(
    bounded.map((a) => a.occurrence),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1],
  );
  assert.equal(bounded[0].analysis.repeat!.count, 9);
  assert.deepEqual(bounded[0].analysis.repeat!.lines, [9, 14, 19]);
  // the same analyses otherwise
  assert.deepEqual(
    bounded.map((a) => a.analysis.verdict),
    unbounded.map((a) => a.analysis.verdict),
  );
});
