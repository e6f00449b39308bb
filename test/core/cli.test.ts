// The klens command as users run it: spawns the bundle (dist/cli.js, built by `node esbuild.mjs`)
// and checks exit codes, one-line errors, the JSON contract against the corpus annotations,
// standard input, several files, --sysctl, colour, a reader that closes the pipe early, and
// hostile input (binary garbage, a 10 MB line). The reader's line feeder is also checked directly
// against a naive split, with both scan kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineFeeder, WINDOW_BYTES } from '../../server/src/cli/feeder';
import { ANCHOR_LOOKBEHIND_LINES, REPORT_ANCHORS } from '../../server/src/core/parse';
import { reportsOf, type GroupedRepeat } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
const fixture = (name: string): string => join(corpus, name);
const SEED = fixture('000-seed.log');

const scratch = mkdtempSync(join(tmpdir(), 'klens-cli-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function klens(
  args: string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  const env = { ...process.env, ...options.env };
  if (!options.env || !('FORCE_COLOR' in options.env)) delete env.FORCE_COLOR;
  if (!options.env || !('NO_COLOR' in options.env)) delete env.NO_COLOR;
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    input: options.input,
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28,
  });
}

function assertUsageError(r: SpawnSyncReturns<string>, pattern: RegExp): void {
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0], /^klens: /);
  assert.match(lines[0], pattern);
}

const EVENT_KEYS = [
  'kind',
  'line',
  'endLine',
  'time',
  'host',
  'comm',
  'pid',
  'kernel',
  'order',
  'gfp',
  'zones',
  'findings',
  'sysctl',
];
const ZONE_KEYS = [
  'node',
  'zone',
  'line',
  'freeKb',
  'minKb',
  'lowKb',
  'highKb',
  'presentKb',
  'managedKb',
  'lowmemReserve',
  'state',
];

/** Every key of the contract present, none undefined (JSON.parse never gives undefined: absent keys are). */
function assertContract(doc: Record<string, unknown>): void {
  for (const key of ['file', 'framing', 'events']) assert.ok(key in doc, `document has ${key}`);
  for (const event of doc.events as Record<string, unknown>[]) {
    for (const key of EVENT_KEYS) assert.ok(key in event, `event has ${key}`);
    assert.ok(Number.isInteger(event.line) && (event.line as number) >= 1, 'line is 1-based');
    assert.ok((event.endLine as number) >= (event.line as number), 'endLine ≥ line');
    if (event.gfp !== null)
      for (const key of ['raw', 'printed', 'flags', 'era'])
        assert.ok(key in (event.gfp as object), `gfp has ${key}`);
    for (const zone of event.zones as Record<string, unknown>[])
      for (const key of ZONE_KEYS) assert.ok(key in zone, `zone has ${key}`);
    for (const s of event.sysctl as Record<string, unknown>[])
      for (const key of ['key', 'value', 'comment']) assert.ok(key in s, `sysctl has ${key}`);
  }
}

/** The keys of a --json event the corpus test reads. */
interface GroupedEvent {
  kind: string;
  line: number;
  time: string | null;
  comm: string | null;
  order: number | null;
  gfp: { raw: string } | null;
  zones: {
    node: number;
    zone: string;
    line: number;
    freeKb: number;
    minKb: number;
    lowmemReserve: number[] | null;
  }[];
  repeat: GroupedRepeat;
}

interface Annotation {
  file: string;
  events: {
    kind: string;
    header_line: number;
    comm: string | null;
    order: number | null;
    mode_raw: string | null;
    zones: { node: number; zone: string; line: number; free_kb: number | null; min_kb: number | null }[];
    lowmem_reserve?: (number[] | null)[];
  }[];
}
const INDEX: Annotation[] = JSON.parse(readFileSync(join(corpus, 'INDEX.json'), 'utf8'));

test('--help and --version print to stdout and exit 0', () => {
  const help = klens(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: klens analyze \[--json \| --sysctl\]/);
  assert.match(help.stdout, /--no-color/);
  assert.equal(help.stderr, '');
  const version = klens(['--version']);
  assert.equal(version.status, 0);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout, `klens ${pkg.version}\n`);
});

test('unusable arguments: exit 2 with one line on stderr', () => {
  assertUsageError(klens([]), /missing command/);
  assertUsageError(klens(['analyse', SEED]), /unknown command 'analyse'/);
  assertUsageError(klens(['analyze', '--bogus', SEED]), /unknown option '--bogus'/);
  assertUsageError(klens(['analyze', '--color=sometimes', SEED]), /--color must be/);
  assertUsageError(klens(['analyze', '--json', '--sysctl', SEED]), /cannot be combined/);
  assertUsageError(klens(['analyze', '-', '-']), /standard input/);
});

test('unreadable files: exit 2, one line naming the file, nothing on stdout', () => {
  assertUsageError(
    klens(['analyze', join(scratch, 'missing.log')]),
    /missing\.log: no such file or directory$/,
  );
  // a folder is searched for kernel logs (cli-folders.test.ts); one without any is refused
  assertUsageError(
    klens(['analyze', '--json', scratch]),
    /: no kernel log found in this folder \(looked for messages\*, syslog\*, kern\.log\*, dmesg\*, journalctl\*, vmcore-dmesg\.txt, or a sosreport or supportconfig\)$/,
  );
  // every input is opened before any output: a bad second file leaves stdout empty
  assertUsageError(klens(['analyze', '--json', SEED, join(scratch, 'missing.log')]), /no such file/);
});

test('a file without read permission: exit 2', (t) => {
  const locked = join(scratch, 'locked.log');
  writeFileSync(locked, 'x\n');
  chmodSync(locked, 0o000);
  chmodSync(scratch, 0o755);
  // root reads any file: run the command as nobody then
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [cli, 'analyze', locked], {
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (asRoot && r.status !== 2 && /cli\.js|EACCES/.test(r.stderr + String(r.error ?? ''))) {
    t.skip('nobody cannot run the bundle here');
    return;
  }
  assertUsageError(r, /locked\.log: permission denied$/);
});

test('--json on the corpus: the contract and the annotated events, zones and values (1-based lines)', () => {
  const files = [
    '000-seed.log',
    '001-journal-oom-6.8-python.log',
    '004-bare-slub-interleaved-iommu-iova.log',
    '011-dmesg-2.6.32-r8169-order0-slub.log',
    '026-syslog-rhel6-header-only-x5.log',
    '031-rsyslog-012-rhel7-3.10-oom-mysqld.log',
    '034-dmesg-i386-highmem-5.7-xorg-pagefault-oom-gfp0.log',
  ];
  for (const name of files) {
    const r = klens(['analyze', '--json', fixture(name)]);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout);
    assert.ok(!Array.isArray(doc), 'one file: one document');
    assertContract(doc);
    assert.equal(doc.file, fixture(name));
    const want = INDEX.find((e) => e.file === name)!;
    // one event per repeat group (issue #17): each report is an event or a member of one
    const reports = reportsOf<GroupedEvent>(doc.events).sort((a, b) => a.line - b.line);
    assert.equal(reports.length, want.events.length, `${name}: reports`);
    want.events.forEach((w, i) => {
      const got = reports[i];
      // a member's lines are its group event's moved by the distance between the headers
      const first = doc.events.find((e: GroupedEvent) => (e.repeat.lines ?? [e.line]).includes(got.line));
      const delta = got.line - first.line;
      const family = got.kind === 'oom_kill' ? 'oom' : got.kind;
      assert.ok(family === w.kind || got.kind === w.kind, `${name}#${i} kind ${got.kind} vs ${w.kind}`);
      assert.equal(got.line, w.header_line, `${name}#${i} header line`);
      if (w.comm !== null) assert.equal(got.comm, w.comm, `${name}#${i} comm`);
      if (w.order !== null) assert.equal(got.order, w.order, `${name}#${i} order`);
      if (w.mode_raw !== null && !w.mode_raw.includes('*'))
        assert.equal(got.gfp?.raw.toLowerCase(), w.mode_raw.toLowerCase());
      assert.equal(got.zones.length, w.zones.length, `${name}#${i} zones`);
      w.zones.forEach((wz, zi) => {
        const gz = got.zones[zi];
        assert.deepEqual(
          [gz.node, gz.zone, gz.line + delta, gz.freeKb, gz.minKb],
          [wz.node, wz.zone, wz.line, wz.free_kb, wz.min_kb],
        );
        const reserve = w.lowmem_reserve?.[zi];
        if (reserve) assert.deepEqual(gz.lowmemReserve, reserve);
      });
    });
  }
});

test('--json on the seed: the numbers of the design document', () => {
  const out = klens(['analyze', '--json', SEED]).stdout;
  assert.match(
    out,
    /^ {4}\{"index":0,"kind":"page_alloc_failure",.*\}$/m,
    'not a terminal: one line per event',
  );
  const doc = JSON.parse(out);
  assert.equal(doc.framing, 'syslog');
  const [e] = doc.events;
  assert.equal(e.kind, 'page_alloc_failure');
  assert.deepEqual(
    [e.line, e.time, e.host, e.comm, e.pid, e.kernel, e.order],
    [1, 'Apr 28 05:30:51', 'cztest', 'swapper/13', 0, '3.4.24-x86_64', 5],
  );
  assert.equal(e.gfp.raw, '0x4020');
  assert.equal(e.gfp.printed, null, 'absent: null, not omitted');
  assert.deepEqual(
    e.zones.map((z: { zone: string; line: number; freeKb: number; lowmemReserve: number[] | null }) => [
      z.zone,
      z.line,
      z.freeKb,
      z.lowmemReserve,
    ]),
    [
      ['DMA', 36, 15920, [0, 3203, 32183, 32183]],
      ['DMA32', 38, 120772, [0, 0, 28980, 28980]],
      ['Normal', 40, 36276, [0, 0, 0, 0]],
      ['Normal', 43, 19976, null],
    ],
  );
  assert.ok(e.callTrace.frames > 20);
  // what the core's kernel knowledge makes of it (product.md, the seed's worked case)
  assert.equal(e.callTrace.context, 'softirq');
  assert.deepEqual(e.callTrace.chain.slice(0, 3), ['net_tx_action', 'tg3_start_xmit', 'skb_copy']);
  assert.deepEqual(e.gfp.flags, ['__GFP_HIGH', '__GFP_COMP']);
  assert.equal(e.gfp.text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(e.orderBytes, 128 * 1024);
  assert.deepEqual(
    e.zones.map((z: { state: string }) => z.state),
    ['ok', 'ok', 'ok', 'below_low'],
  );
  assert.equal(typeof e.verdict, 'string');
  assert.match(e.summary, /order-5 \(128 KiB\) GFP_ATOMIC/);
  const minFree = e.sysctl.find((s: { key: string }) => s.key === 'vm.min_free_kbytes');
  assert.deepEqual([minFree.value, minFree.recommended], ['90112', true]);
  assert.match(minFree.comment, /^# /);
  assert.deepEqual(e.repeat, { occurrence: 1, firstLine: null });
  for (const f of e.findings) assert.ok(f.line >= 1 && typeof f.code === 'string');
});

test('repeats: one event for identical reports with their lines and times, the file lists the group', () => {
  const file = join(scratch, 'repeated.log');
  writeFileSync(file, bigLog(3));
  const doc = JSON.parse(klens(['analyze', '--json', file]).stdout);
  const seedLines = readFileSync(SEED, 'utf8').replace(/\n$/, '').split('\n').length + 1;
  assert.deepEqual(
    doc.events.map((e: { repeat: unknown }) => e.repeat),
    [
      {
        occurrence: 1,
        firstLine: null,
        count: 3,
        lines: [1, 1 + seedLines, 1 + 2 * seedLines],
        times: ['Apr 28 05:30:51', 'Apr 28 05:30:51', 'Apr 28 05:30:51'],
      },
    ],
  );
  assert.equal(doc.repeats.length, 1);
  assert.deepEqual(
    [doc.repeats[0].line, doc.repeats[0].count, doc.repeats[0].lastLine],
    [1, 3, 1 + 2 * seedLines],
  );
  // the default text gives the group one line with its count and span, and no block per repeat
  // (issue #14); --verbose keeps a line per repeat, pointing at the first
  const text = klens(['analyze', file]).stdout;
  assert.doesNotMatch(text, /repeat \d of the report/);
  assert.equal(text.match(/^\S+:\d+ {2}page allocation failure/gm)?.length, 1);
  assert.match(
    text,
    new RegExp(
      `^  3× swapper/13: page allocation failure: order:5, mode:0x4020 \\(first at line 1, last at line ${1 + 2 * seedLines}\\)$`,
      'm',
    ),
  );
  const verbose = klens(['analyze', '--verbose', file]).stdout;
  assert.match(verbose, /repeat 3 of the report at line 1/);
  assert.match(verbose, /3× /);
});

test('standard input: no file and `-` read it, like the file itself', () => {
  const text = readFileSync(SEED);
  const fromFile = JSON.parse(klens(['analyze', '--json', SEED]).stdout);
  for (const args of [
    ['analyze', '--json'],
    ['analyze', '--json', '-'],
  ]) {
    const r = klens(args, { input: text });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.file, '-');
    assert.deepEqual(doc.events, fromFile.events);
    assert.equal(doc.lineCount, fromFile.lineCount);
  }
  const human = klens(['analyze'], { input: text });
  assert.equal(human.status, 0);
  assert.match(human.stdout, /^-:1 {2}page allocation failure {2}order 5 {2}mode 0x4020/m);
});

test('several files: an array of documents, in order', () => {
  const names = ['000-seed.log', '026-syslog-rhel6-header-only-x5.log'];
  const r = klens(['analyze', '--json', ...names.map(fixture)]);
  assert.equal(r.status, 0, r.stderr);
  const docs = JSON.parse(r.stdout);
  assert.ok(Array.isArray(docs));
  assert.deepEqual(
    docs.map((d: { file: string; events: unknown[] }) => [d.file, d.events.length]),
    [
      [fixture(names[0]), 1],
      [fixture(names[1]), 2],
    ],
  );
  docs.forEach(assertContract);
  // --verbose has one block per report, per file, and a line per file; the default one block per
  // report that is not a repeat (the rhel6 file: two, then its 4× group line)
  const verbose = klens(['analyze', '--verbose', ...names.map(fixture)]).stdout;
  assert.equal(verbose.match(/^\S+:\d+ {2}page allocation failure/gm)?.length, 6);
  assert.match(verbose, /000-seed\.log: 1 memory report \(44 lines, syslog framing\)/);
  const text = klens(['analyze', ...names.map(fixture)]).stdout;
  assert.equal(text.match(/^\S+:\d+ {2}page allocation failure/gm)?.length, 3);
  assert.match(text, /000-seed\.log: 1 memory report \(44 lines, syslog framing\)/);
  assert.match(
    text,
    /^ {2}4× swapper: page allocation failure: order:1, mode:0x20 \(first at line 2, last at line 5, Mar 18 14:39:17 – Mar 21 21:59:18\)$/m,
  );
});

test('--sysctl prints only a sysctl.conf block', () => {
  for (const args of [
    ['analyze', '--sysctl', SEED],
    ['analyze', '--sysctl', fixture('001-journal-oom-6.8-python.log'), SEED],
  ]) {
    const r = klens(args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# Kernel Log Lens/);
    for (const line of r.stdout.split('\n'))
      assert.match(line, /^(|#.*|[a-z0-9_.]+ = \S.*)$/, `not sysctl.conf syntax: ${JSON.stringify(line)}`);
  }
  const seed = klens(['analyze', '--sysctl', SEED]).stdout;
  assert.match(seed, /^vm\.min_free_kbytes = 90112$/m, 'the recommended setting is active');
  assert.match(seed, /^# vm\.zone_reclaim_mode = 1$/m, 'a setting not recommended stays commented out');
  const none = klens(['analyze', '--sysctl'], { input: 'Apr 28 05:30:51 host sshd[1]: nothing to see\n' });
  assert.equal(none.status, 0);
  assert.match(none.stdout, /No memory reports found/);
});

test('colour: only on request (FORCE_COLOR, --color); never for a pipe, NO_COLOR wins over auto', () => {
  const ansi = /\x1b\[/;
  assert.doesNotMatch(klens(['analyze', SEED]).stdout, ansi);
  assert.doesNotMatch(klens(['analyze', SEED], { env: { NO_COLOR: '1' } }).stdout, ansi);
  assert.match(klens(['analyze', SEED], { env: { FORCE_COLOR: '1' } }).stdout, ansi);
  assert.match(klens(['analyze', '--color=always', SEED]).stdout, ansi);
  assert.doesNotMatch(klens(['analyze', '--no-color', SEED], { env: { FORCE_COLOR: '1' } }).stdout, ansi);
  assert.doesNotMatch(
    klens(['analyze', '--json', SEED], { env: { FORCE_COLOR: '1' } }).stdout,
    ansi,
    'JSON is never coloured',
  );
  // no terminal on stderr: no progress bar, even for a large input
  assert.equal(klens(['analyze', '--json', SEED]).stderr, '');
});

/** `copies` seed reports with a noise line between them. */
function bigLog(copies: number): string {
  const seed = readFileSync(SEED, 'utf8');
  const noise =
    'Apr 28 05:30:52 cztest sshd[4242]: Accepted publickey for deploy from 10.0.0.1 port 50000 ssh2\n';
  return (seed.endsWith('\n') ? seed : `${seed}\n`).concat(noise).repeat(copies);
}

test('a reader that closes the pipe early: quiet exit, no stack trace', async () => {
  const file = join(scratch, 'big.log');
  writeFileSync(file, bigLog(3000));
  for (const [args, worker] of [
    [['analyze', file], 'never'],
    [['analyze', '--json', file], 'never'],
    [['analyze', '--json', file], 'always'],
  ] as const) {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KLENS_WORKER: worker },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(stderr, '', `stderr: ${stderr}`);
    assert.equal(code, 0);
  }
});

test('hostile input: binary garbage, NULs, CRLF and a 10 MB line give exit 0 and valid JSON', () => {
  // deterministic garbage: a linear congruential generator
  const garbage = Buffer.alloc(1 << 20);
  let x = 12345;
  for (let i = 0; i < garbage.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    garbage[i] = x >>> 24;
  }
  const crlf = Buffer.from(readFileSync(SEED, 'utf8').replace(/\n/g, '\r\n'));
  const nul = Buffer.from('\0\0\0 page allocation failure: order:\0\n\xff\xfe\xc3(\n', 'latin1');
  for (const input of [garbage, Buffer.concat([garbage, crlf, nul, garbage])]) {
    const file = join(scratch, 'garbage.log');
    writeFileSync(file, input);
    const r = klens(['analyze', '--json', file]);
    assert.equal(r.status, 0, r.stderr);
    assertContract(JSON.parse(r.stdout));
    const human = klens(['analyze', file]);
    assert.equal(human.status, 0, human.stderr);
    // the scan worker's path (reports recorded, posted, replayed) gives the same document
    const inWorker = klens(['analyze', '--json', file], { env: { KLENS_WORKER: 'always' } });
    assert.equal(inWorker.status, 0, inWorker.stderr);
    assert.equal(inWorker.stdout, r.stdout);
  }
  // CRLF alone: the seed report is still read (the scanner drops the \r)
  const crlfDoc = JSON.parse(klens(['analyze', '--json'], { input: crlf }).stdout);
  assert.equal(crlfDoc.events.length, 1);
  assert.equal(crlfDoc.events[0].zones[0].freeKb, 15920);

  // a 10 MB line, then the seed: the report is found on the right lines
  const longLine = join(scratch, 'long-line.log');
  writeFileSync(
    longLine,
    Buffer.concat([Buffer.alloc(10 << 20, 'a'), Buffer.from('\n'), readFileSync(SEED)]),
  );
  const r = klens(['analyze', '--json', longLine]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.events.length, 1);
  assert.equal(doc.events[0].line, 2);
  assert.equal(doc.events[0].zones[0].line, 37);
  // and the same through a pipe, with no newline at all
  const unterminated = klens(['analyze', '--json'], { input: Buffer.alloc(10 << 20, 0xff) });
  assert.equal(unterminated.status, 0, unterminated.stderr);
  assert.equal(JSON.parse(unterminated.stdout).lineCount, 1);
});

test('a big input: every report found, line numbers right across read windows', () => {
  const copies = 400;
  const text = bigLog(copies);
  const file = join(scratch, 'many.log');
  writeFileSync(file, text);
  assert.ok(text.length > 4 * WINDOW_BYTES, 'spans many windows');
  const doc = JSON.parse(klens(['analyze', '--json', file]).stdout);
  const seedLines = readFileSync(SEED, 'utf8').replace(/\n$/, '').split('\n').length + 1;
  // identical copies: one event standing for all of them, each copy's header line in it
  assert.equal(doc.events.length, 1);
  assert.equal(doc.events[0].repeat.count, copies);
  assert.deepEqual(
    doc.events[0].repeat.lines,
    Array.from({ length: copies }, (_, i) => 1 + i * seedLines),
  );
  assert.equal(doc.events[0].zones[0].line, 36);
  assert.equal(doc.lineCount, copies * seedLines);
  // each copy from another host: an event each, with its own zone lines across the windows
  const hosts = join(scratch, 'many-hosts.log');
  const copy = bigLog(1);
  writeFileSync(
    hosts,
    Array.from({ length: copies }, (_, i) => copy.replace(/ cztest /g, ` host${i} `)).join(''),
  );
  const perHost = JSON.parse(klens(['analyze', '--json', hosts]).stdout);
  assert.equal(perHost.events.length, copies);
  perHost.events.forEach((e: { line: number; zones: { line: number }[] }, i: number) => {
    assert.equal(e.line, 1 + i * seedLines);
    assert.equal(e.zones[0].line, 36 + i * seedLines);
  });
  // a large file is scanned in a worker thread: the output is the same, byte for byte
  for (const args of [
    ['analyze', '--json', file],
    ['analyze', file],
    ['analyze', '--sysctl', file],
  ]) {
    const inThread = klens(args, { env: { KLENS_WORKER: 'never' } });
    const inWorker = klens(args, { env: { KLENS_WORKER: 'always' } });
    assert.equal(inWorker.status, 0, inWorker.stderr);
    assert.equal(inWorker.stderr, '');
    assert.equal(inWorker.stdout, inThread.stdout, `${args.join(' ')}: same output with the scan worker`);
  }
  const fromPipe = klens(['analyze', '--json'], {
    input: readFileSync(file),
    env: { KLENS_WORKER: 'always' },
  });
  assert.equal(
    JSON.parse(fromPipe.stdout).events[0].repeat.count,
    copies,
    'a pipe is scanned in the main thread',
  );
});

// The feeder against a naive split: what it feeds is exactly the lines at those positions, every
// line holding an anchor (and the lookbehind lines before it) is fed, and fed + skipped = all lines.
function checkFeeder(
  text: Buffer,
  kernel: 'auto' | 'js',
  idle: (fed: number) => boolean,
  chunk: (i: number) => number,
  anchors: readonly string[] = REPORT_ANCHORS,
): void {
  const naive = text.toString('utf8').split('\n');
  if (naive[naive.length - 1] === '') naive.pop();
  const fed = new Map<number, string>();
  let lineNo = 0;
  const feeder = new LineFeeder(
    {
      line(t) {
        fed.set(lineNo++, t);
      },
      canSkip: () => idle(fed.size),
      skip(n) {
        assert.ok(n > 0);
        lineNo += n;
      },
    },
    { anchors, lookbehindLines: ANCHOR_LOOKBEHIND_LINES, kernel },
  );
  for (let at = 0, i = 0; at < text.length; i++) {
    const n = Math.min(chunk(i), text.length - at);
    feeder.write(text.subarray(at, at + n));
    at += n;
  }
  feeder.end();
  assert.equal(lineNo, naive.length, 'every line counted');
  for (const [i, t] of fed)
    assert.equal(t, naive[i].length > 4 << 20 ? naive[i].slice(0, 4 << 20) : naive[i], `line ${i}`);
  naive.forEach((line, i) => {
    if (!anchors.some((a) => line.includes(a))) return;
    for (let k = Math.max(0, i - ANCHOR_LOOKBEHIND_LINES); k <= i; k++)
      assert.ok(fed.has(k), `line ${k} (anchor on ${i}) fed`);
  });
}

test('the line feeder: same lines as a naive split, anchors never skipped, both scan kernels', () => {
  let x = 7;
  const rand = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const pieces = [
    'Apr 28 05:30:51 web01 sshd[123]: Accepted publickey for deploy',
    'kernel: [ 12.5] usb 1-1: new high-speed USB device',
    'swapper/0: page allocation failure: order:5, mode:0x4020',
    'Out of memory: invoked oom-killer',
    'Mem-Info:',
    'warn_alloc: 3 callbacks suppressed',
    'kworker/3:10: page',
    'ünïcödé \u00e9\u4e2d\u6587 line',
    'crlf line\r',
    '',
    'allo',
    'c split anchor',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(rand(50) === 0 ? pieces[rand(pieces.length)] : pieces[rand(2)]);
  lines.splice(5000, 0, 'x'.repeat(3 * WINDOW_BYTES) + ' alloc in a long line');
  lines.splice(9000, 0, 'y'.repeat(WINDOW_BYTES - 1));
  const text = Buffer.from(lines.join('\n') + '\n');
  const unterminated = Buffer.from(lines.join('\n'));
  for (const kernel of ['auto', 'js'] as const) {
    checkFeeder(
      text,
      kernel,
      () => true,
      () => 1 + rand(300000),
    );
    checkFeeder(
      unterminated,
      kernel,
      () => true,
      () => 65536,
    );
    checkFeeder(
      text,
      kernel,
      (fed) => fed % 7 !== 0,
      () => 4096 + rand(9000),
    );
    checkFeeder(
      text,
      kernel,
      () => false,
      () => 1 << 20,
    );
    checkFeeder(
      Buffer.from(''),
      kernel,
      () => true,
      () => 1,
    );
    checkFeeder(
      Buffer.from('\n\nalloc\n\n'),
      kernel,
      () => true,
      () => 1,
    );
    // each WebAssembly kernel: four anchors (`find`), the core's five (`find5`), eight (`find_n`)
    // and a single one
    checkFeeder(
      text,
      kernel,
      () => true,
      () => 100000,
      REPORT_ANCHORS.slice(0, 4),
    );
    checkFeeder(
      text,
      kernel,
      () => true,
      () => 100000,
      [...REPORT_ANCHORS, 'usb', 'ünïcödé', 'crlf'],
    );
    checkFeeder(
      text,
      kernel,
      () => true,
      () => 100000,
      ['split anchor'],
    );
  }
});

test('the WebAssembly scan kernel is the assembled scan-kernel.wat', async () => {
  // scripts/build-scan-kernel.mjs assembles the .wat with the npm build of wabt (no root, no
  // system package); test:fast also runs it with --check
  const wat = join(root, 'server', 'src', 'cli', 'scan-kernel.wat');
  const ts = join(root, 'server', 'src', 'cli', 'scan-kernel.ts');
  assert.ok(existsSync(wat), 'scan-kernel.wat is in the tree');
  const script = join(root, 'scripts', 'build-scan-kernel.mjs');
  const { assemble, kernelSource } = (await import(pathToFileURL(script).href)) as {
    assemble: (watText: string) => Promise<Buffer>;
    kernelSource: (watPath?: string, tsPath?: string) => Promise<{ text: string; stale: boolean }>;
  };
  const wasm = await assemble(readFileSync(wat, 'utf8'));
  assert.equal(wasm.subarray(0, 4).toString('latin1'), '\0asm');
  assert.ok(
    readFileSync(ts, 'utf8').includes(`'${wasm.toString('base64')}'`),
    'KERNEL_WASM is the assembled .wat',
  );
  assert.equal((await kernelSource()).stale, false);
  const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);

  // a .wat that no longer matches the committed base64 (newline byte 10 -> 11) is caught
  const changed = join(scratch, 'scan-kernel.wat');
  const watText = readFileSync(wat, 'utf8');
  assert.ok(watText.includes('(i8x16.splat (i32.const 10))'));
  writeFileSync(changed, watText.replace('(i8x16.splat (i32.const 10))', '(i8x16.splat (i32.const 11))'));
  const stale = await kernelSource(changed, ts);
  assert.equal(stale.stale, true);
  assert.ok(!stale.text.includes(`'${wasm.toString('base64')}'`));
});
