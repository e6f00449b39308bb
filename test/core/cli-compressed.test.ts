// Compressed input in the klens command (issue #15): real corpus logs compressed with gzip, xz,
// zstd and bzip2 give the plain file's JSON and text (file names aside), from a file, a pipe and a
// redirected standard input; concatenated members/streams/frames are all read; a truncated or
// corrupt archive gives the reports before the damage, then one line and exit status 2; formats
// klens recognises but does not read are one line and exit status 2 before any output.
// Spawns the bundle (dist/cli.js, built by `node esbuild.mjs`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sniff } from '../../server/src/cli/compression';
import { reportCount } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
const committed = join(root, 'test', 'data', 'compressed');

const scratch = mkdtempSync(join(tmpdir(), 'klens-compressed-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function klens(
  args: string[],
  options: { input?: Buffer; stdinFile?: string } = {},
): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const fd = options.stdinFile ? openSync(options.stdinFile, 'r') : null;
  try {
    return spawnSync(process.execPath, [cli, ...args], {
      cwd: root,
      input: options.input,
      stdio: fd === null ? 'pipe' : [fd, 'pipe', 'pipe'],
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 28,
    });
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

type Format = 'gzip' | 'xz' | 'zstd' | 'bzip2';
const EXT: Record<Format, string> = { gzip: 'gz', xz: 'xz', zstd: 'zst', bzip2: 'bz2' };
const TOOL: Record<Exclude<Format, 'gzip'>, string[]> = {
  xz: ['xz', '-c'],
  zstd: ['zstd', '-q', '-c'],
  bzip2: ['bzip2', '-c'],
};
const hasTool = (cmd: string): boolean => spawnSync(cmd, ['--help'], { stdio: 'ignore' }).error === undefined;

/** `data` compressed: gzip by Node's zlib, the others by their command when the machine has it,
 * else null. */
function compress(data: Buffer, format: Format): Buffer | null {
  if (format === 'gzip') return gzipSync(data);
  const [cmd, ...args] = TOOL[format];
  if (!hasTool(cmd)) return null;
  const r = spawnSync(cmd, args, { input: data, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cmd} failed`);
  return r.stdout;
}

/** A corpus log's archive: made now, or the committed copy (test/data/compressed/README.md). */
function archive(name: string, format: Format): Buffer | null {
  const made = compress(readFileSync(join(corpus, name)), format);
  if (made) return made;
  const copy = join(committed, `${name}.${EXT[format]}`);
  return existsSync(copy) ? readFileSync(copy) : null;
}

const FORMATS: Format[] = ['gzip', 'xz', 'zstd', 'bzip2'];
/** Framings and report kinds of several kinds: syslog, journal, rsyslog #012, dmesg, repeats. */
const LOGS = [
  '000-seed.log',
  '001-journal-oom-6.8-python.log',
  '026-syslog-rhel6-header-only-x5.log',
  '031-rsyslog-012-rhel7-3.10-oom-mysqld.log',
  '019-dmesg-6.19-kswapd0-btrfs-sheaves.log',
];

/** The JSON document with its file name set aside. */
function withoutFile(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { file: string };
  assert.equal(typeof doc.file, 'string');
  return { ...doc, file: null };
}

test('magic bytes: each format is told by its first bytes, never by its name', () => {
  assert.deepEqual(sniff(Buffer.from([0x1f, 0x8b, 8, 0])), { kind: 'compressed', format: 'gzip' });
  assert.deepEqual(sniff(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0])), {
    kind: 'compressed',
    format: 'xz',
  });
  assert.deepEqual(sniff(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0])), { kind: 'compressed', format: 'zstd' });
  assert.deepEqual(sniff(Buffer.from('BZh91AY&SY')), { kind: 'compressed', format: 'bzip2' });
  // bzip2's three letters alone, or gzip's two bytes with another method, are text
  assert.deepEqual(sniff(Buffer.from('BZh9 kernel: hello\n')), { kind: 'text' });
  assert.deepEqual(sniff(Buffer.from([0x1f, 0x8b, 0x41, 0x0a])), { kind: 'text' });
  assert.deepEqual(sniff(Buffer.from('Apr 28 05:30:51 host kernel: x\n')), { kind: 'text' });
  // five of the six xz magic bytes are text to klens (a log may start with anything)
  assert.deepEqual(sniff(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a])), { kind: 'text' });
  assert.equal(sniff(Buffer.from('LPKSHHRH\0\0\0\0')).kind, 'unreadable');
  const tar = Buffer.alloc(512);
  tar.write('ustar', 257);
  assert.match((sniff(tar) as { why: string }).why, /a tar archive/);
});

test('a compressed copy of a corpus log gives the plain file JSON and text, file name aside', () => {
  let compared = 0;
  for (const name of LOGS) {
    const plainFile = join(corpus, name);
    const plainJson = klens(['analyze', '--json', plainFile]);
    assert.equal(plainJson.status, 0, plainJson.stderr);
    const plainText = klens(['analyze', plainFile]).stdout.split(plainFile).join('FILE');
    for (const format of FORMATS) {
      const data = archive(name, format);
      if (!data) continue;
      const file = join(scratch, `${name}.${EXT[format]}`);
      writeFileSync(file, data);
      const r = klens(['analyze', '--json', file]);
      assert.equal(r.status, 0, `${name} ${format}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.deepEqual(withoutFile(r.stdout), withoutFile(plainJson.stdout), `${name} as ${format}`);
      assert.equal(JSON.parse(r.stdout).file, file);
      const text = klens(['analyze', file]);
      assert.equal(text.status, 0);
      assert.equal(text.stdout.split(file).join('FILE'), plainText, `${name} as ${format}, text`);
      // a pipe and a redirected file on standard input are told by the same bytes
      const piped = klens(['analyze', '--json'], { input: data });
      assert.equal(piped.status, 0, piped.stderr);
      assert.deepEqual(
        withoutFile(piped.stdout),
        withoutFile(plainJson.stdout),
        `${name} as ${format}, piped`,
      );
      const redirected = klens(['analyze', '--json'], { stdinFile: file });
      assert.equal(redirected.status, 0, redirected.stderr);
      assert.deepEqual(withoutFile(redirected.stdout), withoutFile(plainJson.stdout));
      compared++;
    }
  }
  // gzip always (Node's zlib); the others from their commands or the committed archives
  assert.ok(compared >= LOGS.length + 3, `compared ${compared}`);
});

test('concatenated gzip members, xz streams, zstd frames and bzip2 streams are all read', () => {
  const name = '000-seed.log';
  const twice = Buffer.concat([readFileSync(join(corpus, name)), readFileSync(join(corpus, name))]);
  const plainFile = join(scratch, 'twice.log');
  writeFileSync(plainFile, twice);
  const plain = klens(['analyze', '--json', plainFile]);
  // the two copies are one repeat group: one event standing for both (issue #17)
  const [event, ...others] = JSON.parse(plain.stdout).events;
  assert.equal(others.length, 0);
  assert.equal(event.repeat.count, 2);
  assert.deepEqual(event.repeat.lines, [1, 45]);
  for (const format of FORMATS) {
    const one = archive(name, format);
    if (!one) continue;
    // xz: stream padding (four NUL bytes, .xz File Format 2.2) between the two streams
    const gap = format === 'xz' ? Buffer.alloc(4) : Buffer.alloc(0);
    const file = join(scratch, `twice.${EXT[format]}`);
    writeFileSync(file, Buffer.concat([one, gap, one]));
    const r = klens(['analyze', '--json', file]);
    assert.equal(r.status, 0, `${format}: ${r.stderr}`);
    assert.deepEqual(withoutFile(r.stdout), withoutFile(plain.stdout), format);
  }
});

/** Many different reports: every corpus log, one after the other (a repeated log would compress
 * to its first copy and back-references, and a cut would fall inside the first copy). */
function manyReports(): Buffer {
  const names = readdirSync(corpus)
    .filter((f) => f.endsWith('.log'))
    .sort();
  return Buffer.concat(names.map((f) => Buffer.concat([readFileSync(join(corpus, f)), Buffer.from('\n')])));
}

test('a truncated archive: the reports before the cut, then one line and exit status 2', () => {
  const plain = manyReports();
  const plainFile = join(scratch, 'many.log');
  writeFileSync(plainFile, plain);
  const full = JSON.parse(klens(['analyze', '--json', plainFile]).stdout);
  assert.ok(reportCount(full.events) > 40, `${reportCount(full.events)} reports`);
  for (const format of FORMATS) {
    const data = compress(plain, format);
    if (!data) continue;
    const file = join(scratch, `many-cut.${EXT[format]}`);
    writeFileSync(file, data.subarray(0, Math.floor(data.length * 0.6)));
    const r = klens(['analyze', '--json', file]);
    assert.equal(r.status, 2, `${format}: exit status`);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(
      lines[0],
      `klens: ${file}: ${format} data ends early (truncated file?); analysed up to there`,
    );
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.error, `${file}: ${format} data ends early (truncated file?); analysed up to there`);
    // every report read is one of the full file's, in order, with the same numbers; the last may
    // be cut by the damage
    assert.ok(
      reportCount(doc.events) < reportCount(full.events),
      `${format}: ${reportCount(doc.events)} reports`,
    );
    for (const [i, event] of (doc.events as { line: number; zones: unknown }[]).entries()) {
      assert.equal(event.line, full.events[i].line);
      if (i < doc.events.length - 1) assert.deepEqual(event.zones, full.events[i].zones);
    }
    if (format === 'gzip' || format === 'xz')
      assert.ok(reportCount(doc.events) >= 10, `${format}: ${reportCount(doc.events)}`);
    // the text output ends with the file's summary, then the error
    const text = klens(['analyze', file]);
    assert.equal(text.status, 2);
    const summary = text.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith(`${file}: `));
    assert.equal(summary.length, 1, text.stdout.slice(-500));
    assert.match(
      summary[0],
      /: (\d+ memory reports?|no memory reports)(, \d+ more suppressed by the kernel)? \(\d+ lines/,
    );
    assert.equal(
      text.stderr,
      `klens: ${file}: ${format} data ends early (truncated file?); analysed up to there\n`,
    );
  }
});

test('a corrupt .gz: the reports before the damage, then one line and exit status 2', () => {
  const plain = manyReports();
  const full = JSON.parse(klens(['analyze', '--json'], { input: plain }).stdout);
  const data = gzipSync(plain, { level: 1 });
  const damaged = Buffer.from(data);
  // a run of bytes overwritten two thirds in: the deflate stream stops being valid there
  damaged.fill(0xff, Math.floor(data.length * 0.66), Math.floor(data.length * 0.66) + 64);
  const file = join(scratch, 'corrupt.log.gz');
  writeFileSync(file, damaged);
  const r = klens(['analyze', '--json', file]);
  assert.equal(r.status, 2);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    new RegExp(`^klens: .*corrupt\\.log\\.gz: gzip data is corrupt \\(.+\\); analysed up to there$`),
  );
  const doc = JSON.parse(r.stdout);
  assert.ok(doc.events.length >= 10 && doc.events.length < full.events.length, `${doc.events.length} events`);
  assert.deepEqual(doc.events[0], full.events[0]);
});

test('formats klens does not read: one line, exit status 2, nothing on standard output', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['archive.zip', Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), /a zip archive/],
    [
      'system.journal',
      Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(200)]),
      /binary systemd journal file: export it with journalctl/,
    ],
    ['kern.log.lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7]), /lz4 data/],
    ['kern.log.Z', Buffer.from([0x1f, 0x9d, 0x90, 0x41]), /compress \(\.Z\) data/],
    [
      'prog',
      Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(64)]),
      /an ELF binary/,
    ],
  ];
  for (const [name, bytes, why] of cases) {
    const file = join(scratch, name);
    writeFileSync(file, bytes);
    for (const r of [
      klens(['analyze', file]),
      klens(['analyze', '--json', file]),
      klens(['analyze'], { input: bytes }),
    ]) {
      assert.equal(r.status, 2, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, '', name);
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^klens: (.*\/.+|standard input): /);
      assert.match(lines[0], why);
    }
  }
  // several inputs: the unreadable one fails before anything is written
  const zip = join(scratch, 'archive.zip');
  const r = klens(['analyze', join(corpus, '000-seed.log'), zip]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
});

test('compressed data that is not text inside (a tar, a second gzip) is a one-line error, never "no reports"', () => {
  const seed = readFileSync(join(corpus, '000-seed.log'));
  // a tar archive: ustar at offset 257 of its first header (POSIX.1-1988), the log after it
  const tar = Buffer.alloc(1024);
  tar.write('var/log/messages', 0);
  tar.write('ustar', 257);
  const cases: [string, Buffer, RegExp][] = [
    [
      'sosreport.tar.gz',
      gzipSync(Buffer.concat([tar, seed])),
      /: gzip-compressed; inside, a tar archive: extract it/,
    ],
    [
      'messages.gz.gz',
      gzipSync(gzipSync(seed)),
      /: gzip-compressed; inside, gzip-compressed data: decompress it first$/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    const file = join(scratch, name);
    writeFileSync(file, bytes);
    const r = klens(['analyze', file]);
    assert.equal(r.status, 2, name);
    assert.doesNotMatch(r.stdout, /memory report/, `${name}: no report, and not "no memory reports" either`);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], message);
    // --follow reads growing text logs only
    const f = klens(['analyze', '--follow', file]);
    assert.equal(f.status, 2, `${name} --follow`);
    assert.match(f.stderr, /gzip-compressed: --follow reads a growing text log/);
  }
});
