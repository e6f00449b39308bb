// `klens analyze DIR` (issue #15): the kernel logs of a folder found by name, a rotated set read
// oldest first as one timeline (repeats, suppressed counts and the release fallback span its
// files), the files read and skipped in the text and the JSON; a sosreport-shaped and a
// supportconfig-shaped folder built from corpus logs, whose sysctl -a value reaches the analysis
// and whose zoneinfo/buddyinfo are shown as the state when the bundle was taken.
// Spawns the bundle (dist/cli.js, built by `node esbuild.mjs`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { planFolder, supportconfigSections, findSection } from '../../server/src/cli/folders';
import { reportCount, reportsOf, type GroupedRepeat } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
const system = join(root, 'test', 'fixtures', 'system');

const scratch = mkdtempSync(join(tmpdir(), 'klens-folders-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function klens(args: string[], input?: Buffer, extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const env = { ...process.env, ...extraEnv };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28,
  });
}

function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(scratch, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

interface Event {
  file?: string;
  line: number;
  headline: string;
  verdict: string;
  era: { release: string | null };
  time: string | null;
  repeat: GroupedRepeat & { firstFile?: string | null };
  memory: { minFreeKbytesKnown?: { kb: number; source: string } };
}

/** 026: five header-only page allocation failures (one glusterfsd, four swapper repeats), with a
 * boot banner before them and a rate-limiter line before the third: one rotated set's timeline. */
const HOST = 'hostname kernel: ';
const TIMELINE = [
  `Mar 18 14:39:10 ${HOST}Linux version 2.6.32-431.el6.x86_64 (mockbuild@x86-023.build.eng.bos.redhat.com) (gcc version 4.4.7 20120313 (Red Hat 4.4.7-4) (GCC) ) #1 SMP Fri Nov 22 03:15:09 EST 2013`,
  ...readFileSync(join(corpus, '026-syslog-rhel6-header-only-x5.log'), 'utf8').trimEnd().split('\n'),
];
TIMELINE.splice(3, 0, `Mar 21 11:27:05 ${HOST}warn_alloc: 2 callbacks suppressed`);
const part = (from: number, to: number): string => `${TIMELINE.slice(from, to).join('\n')}\n`;

test('a rotated set is read oldest first as one timeline: repeats, suppressed counts and the release span its files', () => {
  const dir = folder('rotated', {
    'kern.log.3.gz': gzipSync(part(0, 2)),
    'kern.log.2.gz': gzipSync(part(2, 5)),
    'kern.log.1': part(5, 6),
    'kern.log': part(6, TIMELINE.length),
    'auth.log': 'Mar 18 14:39:17 hostname sshd[1]: Accepted publickey\n',
  });
  const whole = join(scratch, 'whole.log');
  writeFileSync(whole, part(0, TIMELINE.length));
  const plain = JSON.parse(klens(['analyze', '--json', whole]).stdout);
  // five reports, two events: the glusterfsd one and the group of four swapper repeats
  assert.equal(plain.events.length, 2);
  assert.equal(reportCount(plain.events), 5);
  assert.equal(plain.suppressed, 2);
  assert.equal(plain.repeats[0].count, 4);

  const r = klens(['analyze', '--json', dir]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.file, join(dir, 'kern.log'));
  const order = ['kern.log.3.gz', 'kern.log.2.gz', 'kern.log.1', 'kern.log'].map((f) => join(dir, f));
  assert.deepEqual(
    doc.files.map((f: { file: string }) => f.file),
    order,
  );
  assert.deepEqual(
    doc.files.map((f: { compression: string | null; lineCount: number; reports: number }) => [
      f.compression,
      f.lineCount,
      f.reports,
    ]),
    [
      ['gzip', 2, 1],
      ['gzip', 3, 2],
      [null, 1, 1],
      [null, 1, 1],
    ],
  );
  const events = doc.events as Event[];
  assert.deepEqual(
    events.map((e) => [e.file, e.line]),
    [
      [order[0], 2],
      [order[1], 1],
    ],
  );
  // the group's event names each member's file, line and time
  assert.deepEqual(events[1].repeat, {
    occurrence: 1,
    firstLine: null,
    firstFile: null,
    count: 4,
    lines: [1, 3, 1, 1],
    times: ['Mar 18 14:39:17', 'Mar 21 11:27:06', 'Mar 21 18:25:45', 'Mar 21 21:59:18'],
    files: [order[1], order[1], order[2], order[3]],
  });
  const reports = reportsOf(events);
  assert.deepEqual(
    reports.map((e) => [e.file, e.line]),
    [
      [order[0], 2],
      [order[1], 1],
      [order[1], 3],
      [order[2], 1],
      [order[3], 1],
    ],
  );
  // the same reading as the one file: headlines, verdicts, repeat numbering, the release from the
  // banner in the oldest file
  assert.deepEqual(
    reports.map((e) => [e.headline, e.verdict, e.repeat.occurrence, e.era.release]),
    reportsOf(plain.events as Event[]).map((e) => [
      e.headline,
      e.verdict,
      e.repeat.occurrence,
      e.era.release,
    ]),
  );
  assert.equal(reports[4].era.release, '2.6.32-431.el6.x86_64');
  assert.equal(reports[4].repeat.occurrence, 4);
  // one repeat group of 4 from the second file to the last, 2 suppressed in the second file
  assert.equal(doc.suppressed, 2);
  assert.equal(doc.lineCount, 7);
  assert.deepEqual(
    doc.repeats.map(
      (g: { file: string; lastFile: string; count: number; line: number; lastLine: number }) => [
        g.file,
        g.line,
        g.lastFile,
        g.lastLine,
        g.count,
      ],
    ),
    [[order[1], 1, order[3], 1, 4]],
  );
  assert.equal(doc.folder.layout, 'folder');
  assert.deepEqual(doc.folder.skipped, [{ file: 'auth.log', reason: 'not a kernel log by its name' }]);
  // the plain files of the set read by the scan worker (reports recorded and replayed): the same
  const inWorker = klens(['analyze', '--json', dir], undefined, { KLENS_WORKER: 'always' });
  assert.equal(inWorker.stdout, r.stdout);

  // --verbose: a line per repeat, pointing at the first in its older file
  const text = klens(['analyze', '--verbose', dir]);
  assert.equal(text.status, 0);
  const lines = text.stdout.split('\n');
  assert.equal(lines[0], `${dir}: folder, 1 kernel log read`);
  assert.equal(
    lines[1],
    '  read as one timeline, oldest first: kern.log.3.gz, kern.log.2.gz, kern.log.1, kern.log',
  );
  assert.equal(lines[2], '  skipped: auth.log (not a kernel log by its name)');
  assert.ok(lines.includes(`  repeat 4 of the report at ${order[1]}:1 (same request and call chain)`));
  assert.ok(
    lines.includes(
      `${join(dir, 'kern.log')}: 5 memory reports, 2 more suppressed by the kernel (4 files, 7 lines)`,
    ),
    text.stdout,
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `  4× swapper: page allocation failure: order:1, mode:0x20 (first at ${order[1]}:1, last at ${order[3]}:1`,
      ),
    ),
  );
});

test('rotation order: numbered from the highest, dated by date, the current file last', () => {
  const dir = folder('dated', {
    messages: '',
    'messages-20261101.xz': '',
    'messages-20261025.gz': '',
    'messages-20261108': '',
    'syslog.10.gz': '',
    'syslog.2.gz': '',
    'syslog.1': '',
    syslog: '',
    'dmesg.0': '',
    dmesg: '',
    '127.0.0.1-2026-11-02-10:00/vmcore-dmesg.txt': '',
    'journalctl-k.txt': '',
    'system.journal': '',
    'Xorg.0.log': '',
  });
  const plan = planFolder(dir);
  assert.deepEqual(
    plan.sets.map((s) => [s.name, s.files.map((f) => f.slice(dir.length + 1))]),
    [
      ['127.0.0.1-2026-11-02-10:00/vmcore-dmesg.txt', ['127.0.0.1-2026-11-02-10:00/vmcore-dmesg.txt']],
      ['journalctl-k.txt', ['journalctl-k.txt']],
      ['dmesg', ['dmesg.0', 'dmesg']],
      ['messages', ['messages-20261025.gz', 'messages-20261101.xz', 'messages-20261108', 'messages']],
      ['syslog', ['syslog.10.gz', 'syslog.2.gz', 'syslog.1', 'syslog']],
    ],
  );
  assert.deepEqual(plan.skipped, [
    { file: 'Xorg.0.log', reason: 'not a kernel log by its name' },
    {
      file: 'system.journal',
      reason: 'a binary systemd journal: export it with journalctl --file=FILE -k -o short-precise',
    },
  ]);
});

test('several FILE arguments stay separate documents, as before', () => {
  const dir = join(scratch, 'rotated');
  const r = klens(['analyze', '--json', join(dir, 'kern.log.1'), join(dir, 'kern.log')]);
  assert.equal(r.status, 0, r.stderr);
  const docs = JSON.parse(r.stdout);
  assert.equal(docs.length, 2);
  assert.equal(docs[0].files, undefined);
  assert.equal(docs[1].events.length, 1);
  assert.equal(docs[1].events[0].repeat.occurrence, 1);
  assert.equal(docs[1].events[0].file, undefined);
});

test('a folder with no kernel log, and one whose only log cannot be read: one line, exit status 2', () => {
  const empty = folder('no-logs', { 'auth.log': 'x\n', 'Xorg.0.log': 'y\n' });
  let r = klens(['analyze', empty]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^klens: .*no-logs: no kernel log found in this folder \(looked for messages\*, syslog\*, kern\.log\*/,
  );
  assert.equal(r.stderr.split('\n').filter((l) => l).length, 1);
  const zipped = folder('zipped', { 'messages.1': Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1') });
  r = klens(['analyze', zipped]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /zipped: none of its kernel logs can be read \(.*messages\.1: a zip archive/);
  // beside a readable log, the unreadable one is skipped, listed, and the run ends with status 2
  const mixed = folder('mixed', {
    'messages.1': Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'),
    messages: readFileSync(join(corpus, '000-seed.log')),
  });
  r = klens(['analyze', '--json', mixed]);
  assert.equal(r.status, 2);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.events.length, 1);
  assert.deepEqual(doc.folder.skipped, [
    { file: 'messages.1', reason: 'a zip archive: unzip it and analyze the folder' },
  ]);
  assert.equal(
    r.stderr,
    `klens: ${join(mixed, 'messages.1')}: a zip archive: unzip it and analyze the folder\n`,
  );
});

/** The machine's sysctl -a with a distinctive vm.min_free_kbytes. */
const SYSCTL = readFileSync(join(system, 'sysctl-a-6.18.txt'), 'utf8').replace(
  /^vm\.min_free_kbytes = \d+$/m,
  'vm.min_free_kbytes = 123457',
);
const ZONEINFO = readFileSync(join(system, 'zoneinfo-6.18'), 'utf8');
const BUDDYINFO = readFileSync(join(system, 'buddyinfo-6.18'), 'utf8');
const SEED = readFileSync(join(corpus, '000-seed.log'), 'utf8');

/** The bundle's sysctl reaches the seed report's analysis, its words and its suggestion. */
function assertBundleValues(dir: string, log: string, sysctlFrom: string, bundle: string): void {
  const r = klens(['analyze', '--json', dir]);
  assert.equal(r.status, 0, r.stderr);
  const parsed = JSON.parse(r.stdout);
  const docs = (Array.isArray(parsed) ? parsed : [parsed]) as {
    file: string;
    events: Event[];
    folder: {
      system: {
        sysctl: Record<string, string>;
        zones: { zone: string; free: number; min: number }[];
        buddy: { zone: string; largestFreeOrder: number }[];
        files: Record<string, string>;
      };
    };
  }[];
  const seedDoc = docs.find((d) => d.file === join(dir, log))!;
  assert.ok(seedDoc, docs.map((d) => d.file).join(', '));
  assert.deepEqual(seedDoc.events[0].memory.minFreeKbytesKnown, {
    kb: 123457,
    source: `${sysctlFrom} of ${bundle}`,
  });
  const sys = seedDoc.folder.system;
  assert.equal(sys.sysctl['vm.min_free_kbytes'], '123457');
  assert.equal(sys.sysctl['kernel.pid_max'], undefined, 'only the vm keys');
  assert.deepEqual(
    sys.zones.map((z) => [z.zone, z.free, z.min]),
    [
      ['DMA', 3840, 23],
      ['DMA32', 772848, 4649],
      ['Normal', 859849, 12223],
      ['Movable', 0, 32],
      ['Device', 0, 0],
    ],
  );
  assert.deepEqual(
    sys.buddy.map((b) => [b.zone, b.largestFreeOrder]),
    [
      ['DMA', 10],
      ['DMA32', 10],
      ['Normal', 10],
    ],
  );
  // the brief names the known value; --verbose has the state block and every line of the memory
  assert.ok(klens(['analyze', dir]).stdout.includes("min_free_kbytes 123457 kB (the system's sysctl)"));
  const text = klens(['analyze', '--verbose', dir]).stdout;
  // the core's lines for the state when the bundle was taken (systemStateText)
  assert.ok(text.includes(`  The state when ${bundle} was taken (pages of 4 kB):\n`), text);
  assert.ok(
    text.includes(
      '    Node 0 Normal: free 3439396 kB, min 48892 kB / low 61112 kB / high 73332 kB: above high · largest free block order 10\n',
    ),
  );
  assert.ok(text.includes('vm.min_free_kbytes = 123457 · vm.watermark_scale_factor = 10'));
  assert.ok(
    text.includes(
      `  min_free_kbytes: 123457 kB (the system's sysctl, ${sysctlFrom} of ${bundle}; not inferred)`,
    ),
    text,
  );
  const block = klens(['analyze', '--sysctl', dir]).stdout;
  assert.ok(
    block.includes(
      `# current: 123457 kB (vm.min_free_kbytes in the system's sysctl (${sysctlFrom} of ${bundle}), not inferred`,
    ),
    block,
  );
}

test('a sosreport: its logs found, its sysctl -a replacing the inferred value, its zoneinfo and buddyinfo shown', () => {
  const dir = folder('sosreport-db1-2026-11-02', {
    'sos_commands/kernel/sysctl_-a': SYSCTL,
    'sos_commands/kernel/dmesg': readFileSync(join(corpus, '005-dmesg-mips32-highmem-5.10-go.log')),
    'sos_commands/logs/journalctl_--no-pager': readFileSync(join(corpus, '001-journal-oom-6.8-python.log')),
    'sos_commands/logs/journalctl_--disk-usage':
      'Archived and active journals take up 1.2G in the file system.\n',
    'proc/zoneinfo': ZONEINFO,
    'proc/buddyinfo': BUDDYINFO,
    'var/log/messages': SEED,
    'var/log/messages-20261101.gz': gzipSync(
      readFileSync(join(corpus, '026-syslog-rhel6-header-only-x5.log')),
    ),
    'var/log/secure': 'Nov  2 10:00:00 db1 sshd[1]: x\n',
    'var/crash/127.0.0.1-2026-11-01-09:00/vmcore-dmesg.txt': readFileSync(
      join(corpus, '019-dmesg-6.19-kswapd0-btrfs-sheaves.log'),
    ),
  });
  const plan = planFolder(dir);
  assert.equal(plan.layout, 'sosreport');
  assert.deepEqual(
    plan.sets.map((s) => s.name),
    [
      'var/log/messages',
      'sos_commands/kernel/dmesg',
      'sos_commands/logs/journalctl_--no-pager',
      'var/crash/127.0.0.1-2026-11-01-09:00/vmcore-dmesg.txt',
    ],
  );
  assertBundleValues(dir, 'var/log/messages', 'sos_commands/kernel/sysctl_-a', 'sosreport-db1-2026-11-02');
  const text = klens(['analyze', dir]).stdout.split('\n');
  assert.deepEqual(text.slice(0, 7), [
    `${dir}: sosreport, 4 kernel logs read`,
    '  read as one timeline, oldest first: var/log/messages-20261101.gz, var/log/messages',
    '  read: sos_commands/kernel/dmesg',
    '  read: sos_commands/logs/journalctl_--no-pager',
    '  read: var/crash/127.0.0.1-2026-11-01-09:00/vmcore-dmesg.txt',
    '  skipped: var/log/secure (not a kernel log by its name)',
    '  skipped: sos_commands/logs/journalctl_--disk-usage (journalctl output that is no log)',
  ]);
});

const COMMAND = '#==[ Command ]======================================#';
const CONF = '#==[ Configuration File ]===========================#';

test('a supportconfig: messages.txt read, env.txt sysctl -a and memory.txt /proc sections cut out', () => {
  const env = [
    COMMAND,
    '# /bin/hostname',
    'db1',
    '',
    COMMAND,
    '# /sbin/sysctl -a',
    SYSCTL,
    COMMAND,
    '# /usr/bin/env',
    'PATH=/bin',
    '',
  ].join('\n');
  const memory = [
    COMMAND,
    '# /usr/bin/free -k',
    '              total        used',
    CONF,
    '# /proc/meminfo',
    'MemTotal:       32622164 kB',
    CONF,
    '# /proc/buddyinfo',
    BUDDYINFO,
    CONF,
    '# /proc/zoneinfo',
    ZONEINFO,
  ].join('\n');
  const dir = folder('scc_db1_261102_1000', {
    'basic-environment.txt': `${COMMAND}\n# /bin/uname -a\nLinux db1 5.14.21 #1 SMP x86_64\n`,
    'env.txt': env,
    'memory.txt': memory,
    'messages.txt': `#==[ Log File ]=====================================#\n# /var/log/messages - Last 2500 Lines\n${SEED}`,
  });
  const sections = supportconfigSections(env);
  assert.deepEqual(
    sections.map((s) => [s.kind, s.what]),
    [
      ['Command', '/bin/hostname'],
      ['Command', '/sbin/sysctl -a'],
      ['Command', '/usr/bin/env'],
    ],
  );
  assert.match(findSection(sections, 'sysctl -a')!, /^vm\.min_free_kbytes = 123457$/m);
  assert.equal(findSection(supportconfigSections(memory), '/proc/zoneinfo'), ZONEINFO);
  assertBundleValues(dir, 'messages.txt', 'env.txt (sysctl -a)', 'scc_db1_261102_1000');
  const doc = JSON.parse(klens(['analyze', '--json', dir]).stdout);
  assert.equal(doc.folder.layout, 'supportconfig');
  // the report's line in messages.txt, section header lines counted
  assert.equal(doc.events[0].line, 3);
  assert.deepEqual(doc.folder.system.files, {
    sysctl: 'env.txt (sysctl -a)',
    zoneinfo: 'memory.txt (/proc/zoneinfo)',
    buddyinfo: 'memory.txt (/proc/buddyinfo)',
    meminfo: 'memory.txt (/proc/meminfo)',
  });
  assert.equal(doc.folder.system.meminfo.MemTotal, 32622164);
  assert.ok(klens(['analyze', dir]).stdout.includes('    MemTotal 32622164 kB\n'));
});

test('a plain folder has no system state: the analysis infers as for the file alone', () => {
  const dir = folder('plain-with-sysctl', { messages: SEED, 'sysctl_-a': SYSCTL });
  const inFolder = JSON.parse(klens(['analyze', '--json', dir]).stdout);
  const alone = JSON.parse(klens(['analyze', '--json', join(corpus, '000-seed.log')]).stdout);
  assert.equal(inFolder.folder.system, null);
  const strip = (e: Event): unknown => ({
    ...e,
    file: undefined,
    repeat: { ...e.repeat, firstFile: undefined, files: undefined },
  });
  assert.deepEqual(strip(inFolder.events[0]), strip(alone.events[0]));
});

test('names and values from a folder reach the terminal with their controls made visible', () => {
  const evil = 'evil\x1b[31m\u202e.txt';
  const dir = folder('evil-names', {
    'var/log/messages': SEED,
    [`var/log/${evil}`]: 'x\n',
    'sos_commands/kernel/sysctl_-a': 'vm.min_free_kbytes = 1\x1b]0;pwned\x07\n',
  });
  const r = klens(['analyze', '--color=always', dir]);
  assert.equal(r.status, 0, r.stderr);
  // the only escape sequences are klens's own SGR colours
  assert.doesNotMatch(r.stdout.replace(/\x1b\[\d+m/g, ''), /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.ok(r.stdout.includes('skipped: var/log/evil\\x1b[31m\\u202e.txt'), r.stdout);
  assert.ok(r.stdout.includes('vm.min_free_kbytes = 1\\x1b]0;pwned\\x07'), r.stdout);
  const json = klens(['analyze', '--json', dir]);
  assert.doesNotMatch(json.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.equal(JSON.parse(json.stdout).folder.skipped[0].file, `var/log/${evil}`);
});

test('a folder holding an extracted sosreport: the bundle inside is read', () => {
  const parent = folder('extracted', {
    'sosreport-web2-2026-11-03/sos_commands/kernel/sysctl_-a': SYSCTL,
    'sosreport-web2-2026-11-03/var/log/messages': SEED,
    'notes.txt': 'ticket 1234\n',
  });
  const r = klens(['analyze', '--json', parent]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const bundle = join(parent, 'sosreport-web2-2026-11-03');
  assert.equal(doc.file, join(bundle, 'var/log/messages'));
  assert.equal(doc.folder.dir, bundle);
  assert.equal(doc.folder.layout, 'sosreport');
  assert.deepEqual(doc.events[0].memory.minFreeKbytesKnown, {
    kb: 123457,
    source: 'sos_commands/kernel/sysctl_-a of sosreport-web2-2026-11-03',
  });
});

test("links out of the folder are not followed: a bundle cannot make klens read this machine's files", () => {
  // An archive may carry absolute links (var/log/messages -> /var/log/messages); followed, they would
  // read the host running klens as if it were the bundle's. A link inside the folder is read.
  const outside = folder('outside-the-bundle', { 'kern.log': SEED, zoneinfo: ZONEINFO });
  const dir = folder('sosreport-links', {
    'sos_commands/kernel/dmesg': readFileSync(join(corpus, '005-dmesg-mips32-highmem-5.10-go.log')),
  });
  mkdirSync(join(dir, 'var/log'), { recursive: true });
  mkdirSync(join(dir, 'proc'), { recursive: true });
  symlinkSync(join(outside, 'kern.log'), join(dir, 'var/log/messages'));
  symlinkSync(join(outside, 'zoneinfo'), join(dir, 'proc/zoneinfo'));
  symlinkSync('../../sos_commands/kernel/dmesg', join(dir, 'var/log/kern.log'));
  symlinkSync(outside, join(dir, 'var/crash'));
  const plan = planFolder(dir);
  assert.deepEqual(
    plan.sets.map((s) => s.name),
    ['var/log/kern.log', 'sos_commands/kernel/dmesg'],
  );
  assert.deepEqual(plan.skipped, [
    { file: 'var/log/messages', reason: 'a link to outside the folder (not followed)' },
  ]);
  assert.equal(plan.system.zoneinfo, undefined);
  const plain = folder('plain-links', { syslog: 'Nov  2 10:00:00 db1 sshd[1]: x\n' });
  symlinkSync(join(outside, 'kern.log'), join(plain, 'kern.log'));
  const run = klens(['analyze', plain]);
  assert.match(
    run.stdout + run.stderr,
    /skipped: kern\.log \(a link to outside the folder \(not followed\)\)/,
  );
  assert.doesNotMatch(run.stdout, /order-5/);
});

test('a folder whose only log is a link to outside it says so, not only "no kernel log found"', () => {
  const outside = folder('outside-only', { 'kern.log': SEED });
  const dir = folder('links-only', {});
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(outside, 'kern.log'), join(dir, 'kern.log'));
  const run = klens(['analyze', dir]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(
    run.stderr,
    /no kernel log found in this folder \(looked for [^)]*\); kern\.log is a link to outside the folder, not followed\n$/,
  );
});

test('a folder that cannot be listed: "permission denied", not "no kernel log found"', () => {
  // As root every folder can be listed, so the run drops to the unprivileged `nobody` (65534) and
  // the folder is root's with mode 0700; as another user the folder is its own with mode 0.
  const base = mkdtempSync(join(tmpdir(), 'klens-folders-locked-'));
  try {
    chmodSync(base, 0o755);
    const locked = join(base, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'kern.log'), SEED);
    const asRoot = process.getuid?.() === 0;
    chmodSync(locked, asRoot ? 0o700 : 0);
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    const r = spawnSync(process.execPath, [cli, 'analyze', locked], {
      cwd: base,
      encoding: 'utf8',
      env,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `klens: ${locked}: permission denied\n`);
  } finally {
    chmodSync(join(base, 'locked'), 0o700);
    rmSync(base, { recursive: true, force: true });
  }
});
