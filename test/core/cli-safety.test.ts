// What a hostile log (or file name) can make the klens command print: escape sequences (OSC 52
// sets the terminal's clipboard), bidi overrides and line breaks in printed GFP names, task names
// and file names. Text output shows them escaped (on a terminal or not), JSON as \uNNNN, and every
// line of `--sysctl` is a comment or an assignment klens generated. Inputs that are not regular
// files: a directory is refused in one line, a FIFO is read as a stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
const KSWAPD = readFileSync(join(corpus, '019-dmesg-6.19-kswapd0-btrfs-sheaves.log'), 'utf8');

const scratch = mkdtempSync(join(tmpdir(), 'klens-cli-safety-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Characters that must never reach a terminal raw (tab and LF aside, which klens writes itself). */
const RAW_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const OSC52 = '\x1b]52;c;aGVsbG8=\x1b\\';

function klens(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const clean = { ...process.env, ...env };
  if (!('FORCE_COLOR' in env)) delete clean.FORCE_COLOR;
  if (!('NO_COLOR' in env)) delete clean.NO_COLOR;
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: clean });
}

/** The kswapd report with `planted` in its printed GFP names and a bidi override in the task name. */
function hostileLog(name: string, planted: string): string {
  const [first, ...rest] = KSWAPD.split('\n');
  const file = join(scratch, name);
  writeFileSync(
    file,
    [first.replace('(GFP_NOFS|', `(GFP_NOFS${planted}|`).replace('kswapd0:', 'kswapd0\u202e:'), ...rest].join(
      '\n',
    ),
  );
  return file;
}

test('text output: OSC 52 and U+202E from the log are shown escaped, never raw', () => {
  const file = hostileLog('osc.log', OSC52);
  for (const color of ['--color=never', '--color=always']) {
    const r = klens(['analyze', color, file]);
    assert.equal(r.status, 0, r.stderr);
    // The core reads lines without their escape sequences (lines.ts stripEscapes): the OSC 52
    // (ended by ST) never reaches the output, escaped or not.
    assert.match(r.stdout, /mode 0xc0c40\(GFP_NOFS\|__GFP_COMP\|__GFP_NOMEMALLOC\)/);
    assert.doesNotMatch(r.stdout, /52;c;aGVsbG8=/);
    assert.match(r.stdout, /kswapd0\\u202e \(pid 156\)/);
    // The only ESC left are klens' own colours (SGR), added after the escaping.
    const withoutOwnColours = r.stdout.replace(/\x1b\[\d+m/g, '');
    assert.doesNotMatch(withoutOwnColours, RAW_UNSAFE, color);
    if (color === '--color=always') assert.match(r.stdout, /\x1b\[1mpage allocation failure\x1b\[22m/);
  }
});

test('JSON output: bidi and C1 controls as \\uNNNN; the values read back unchanged', () => {
  const file = hostileLog('bidi.log', '\u2066\x85');
  const r = klens(['analyze', '--json', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout.replace(/\n/g, ''), RAW_UNSAFE);
  assert.match(r.stdout, /"comm":\s*"kswapd0\\u202e"/);
  const doc = JSON.parse(r.stdout) as { events: { comm: string; gfp: { printed: string } }[] };
  assert.equal(doc.events[0].comm, 'kswapd0\u202e');
  assert.match(doc.events[0].gfp.printed, /^GFP_NOFS\u2066\x85\|__GFP_COMP/);
});

/** Every line is a comment or an assignment of a key klens suggests, for readers that end lines at
 * LF, at CR or NUL (systemd-sysctl) or at any Unicode line break. */
function assertSysctlBlock(text: string, keys: readonly string[]): void {
  for (const breaks of [/\n/, /\r\n|[\n\r\0]/, /\r\n|[\n\v\f\r\u0085\u2028\u2029\0]/]) {
    for (const line of text.split(breaks)) {
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([\w.]+) = \S.*$/.exec(line);
      assert.ok(m && keys.includes(m[1]), `not a comment nor a klens assignment: ${JSON.stringify(line)}`);
    }
  }
}

test('--sysctl: line breaks planted in GFP names stay inside the comments', () => {
  for (const br of ['\r', '\v', '\f', '\x85', '\u2028', '\u2029', '\0']) {
    const file = hostileLog('planted.log', `${br}kernel.panic = 1${br}#`);
    const r = klens(['analyze', '--sysctl', file]);
    assert.equal(r.status, 0, r.stderr);
    // A lone \r ends a line (as for LSP clients): the pieces after it are read as the header's wraps.
    if (br === '\r')
      assert.match(r.stdout, /^# order-0 \(4 KiB\) GFP_NOFSkernel\.panic = 1# failure with Node 0 Normal/m);
    else
      assert.match(r.stdout, /^# order-0 \(4 KiB\) GFP_NOFS kernel\.panic = 1 # failure with Node 0 Normal/m);
    assertSysctlBlock(r.stdout, [
      'vm.min_free_kbytes',
      'vm.watermark_scale_factor',
      'vm.lowmem_reserve_ratio',
    ]);
    assert.doesNotMatch(r.stdout, /^kernel\.panic/m);
  }
});

test('a file name with a line break: the heading stays a comment, the text header one line', () => {
  const dir = join(scratch, 'names');
  mkdirSync(dir, { recursive: true });
  for (const br of ['\n', '\r', '\u2028', '\x1b]52;c;aGVsbG8=\x07']) {
    const file = join(dir, `messages${br}kernel.panic = 1`);
    writeFileSync(file, KSWAPD);
    const sysctl = klens(['analyze', '--sysctl', file]);
    assert.equal(sysctl.status, 0, sysctl.stderr);
    const [heading] = sysctl.stdout.split('\n');
    assert.match(
      heading,
      /^# Kernel Log Lens: suggested sysctl settings for .*messages ?(\]52;c;aGVsbG8=)?kernel\.panic = 1 \(1 report\)$/,
    );
    assertSysctlBlock(sysctl.stdout, [
      'vm.min_free_kbytes',
      'vm.watermark_scale_factor',
      'vm.lowmem_reserve_ratio',
    ]);
    assert.match(
      sysctl.stdout,
      /^# vm\.min_free_kbytes: from the report at .*messages.*kernel\.panic = 1:1$/m,
    );

    const text = klens(['analyze', file]);
    assert.equal(text.status, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_UNSAFE);
    const lines = text.stdout.split('\n');
    assert.match(
      lines[0],
      /^\/.*messages\\(n|r|u2028|x1b\]52;c;aGVsbG8=\\x07)kernel\.panic = 1:1  page allocation failure/,
    );
    assert.match(
      lines.at(-2) ?? '',
      /messages\\.*kernel\.panic = 1: 1 memory report \(115 lines, raw-dmesg framing\)$/,
    );

    const missing = klens(['analyze', `${file}.gone`]);
    assert.equal(missing.status, 2);
    assert.doesNotMatch(missing.stderr, RAW_UNSAFE);
    assert.match(missing.stderr, /^klens: .*kernel\.panic = 1\.gone: no such file or directory\n$/);
  }
});

test('a directory is refused in one line; a FIFO is read as a stream', async () => {
  const dir = klens(['analyze', scratch]);
  assert.equal(dir.status, 2);
  assert.equal(dir.stdout, '');
  // a folder is searched for kernel logs (cli-folders.test.ts); one without any is refused
  assert.match(dir.stderr, /^klens: .*: no kernel log found in this folder \(looked for [^\n]*\)\n$/);

  const fifo = join(scratch, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const child = spawn(process.execPath, [cli, 'analyze', '--json', fifo], { cwd: root });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  writeFileSync(fifo, KSWAPD);
  assert.equal(await exited, 0);
  const doc = JSON.parse(out) as { file: string; lineCount: number; events: { kind: string }[] };
  assert.equal(doc.lineCount, 115);
  assert.deepEqual(
    doc.events.map((e) => e.kind),
    ['page_alloc_failure'],
  );
});
