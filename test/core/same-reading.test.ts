// One reading of a log on both paths: the CLI (the skipping byte reader, then the core's
// ReportSequence as `klens analyze` drives it) and the editor (the core's LogAnalysisJob over the
// whole document) give the same analysis of every report — summary, verdict, era, zones, replay,
// protection, remedies, repeats, findings — on every fixture log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeText,
  ReportSequence,
  RELEASE_LOOKAHEAD_REPORTS,
  type Analysed,
} from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import type { Report } from '../../server/src/core/model';
import { parseLog } from '../../server/src/core/parse';
import { createScan, READING_START_MAX_LINES } from '../../server/src/cli/scan';

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureFiles(path);
    return name.endsWith('.json') || name.endsWith('.md') ? [] : [path];
  });
}

/** The CLI's reading: bytes in odd-sized writes through the skipping reader, reports streamed
 * through ReportSequence as analyze-command.ts does. */
function cliReading(bytes: Buffer): { items: Analysed[]; sequence: ReportSequence } {
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item));
  const scan = createScan<Report>((r, banner) => sequence.push(r, banner));
  for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
  scan.finish();
  sequence.end();
  return { items, sequence };
}

const FILES = fixtureFiles(join('test', 'fixtures'));
let compared = 0;

for (const file of FILES) {
  test(`the CLI and the editor read the same analysis: ${file}`, () => {
    const bytes = readFileSync(file);
    const editor = analyzeText(bytes.toString('utf8')).reports;
    const { items } = cliReading(bytes);
    assert.deepEqual(
      items.map((i) => i.analysis),
      editor,
    );
    items.forEach((item, i) => {
      assert.equal(item.analysis.index, i);
      // the CLI's occurrence numbering agrees with the editor's groups
      const first = editor[i].repeat.duplicateOf;
      assert.equal(item.first?.index ?? null, first);
      if (first !== null) assert.equal(item.first!.line, editor[first].line);
    });
    compared += editor.length;
  });
}

test('the same-reading comparison covered every fixture log and its reports', () => {
  assert.ok(FILES.length >= 80, `${FILES.length} fixture files`);
  assert.ok(compared >= 110, `${compared} reports compared`);
});

const SLUB_FIRST = [
  'Feb 20 21:20:06 server1 kernel: SLUB: Unable to allocate memory on node -1 (gfp=0x20)',
  'Feb 20 21:20:06 server1 kernel:  cache: kmalloc-4096, object size: 4096, buffer size: 4096, default order: 3, min order: 0',
  'Feb 20 21:20:06 server1 kernel:  node 0: slabs: 619, objs: 1641, free: 0',
];
const FULL = [
  'Feb 20 21:20:07 server1 kernel: swapper: page allocation failure. order:0, mode:0x4020',
  'Feb 20 21:20:07 server1 kernel: Pid: 0, comm: swapper Not tainted 2.6.32.4 #1',
  'Feb 20 21:20:07 server1 kernel: Call Trace:',
  'Feb 20 21:20:07 server1 kernel:  [<ffffffff810a1b2c>] __alloc_pages_nodemask+0x5ec/0x690',
];

function releases(text: string): { cli: (string | null)[]; editor: (string | null)[] } {
  const editor = analyzeText(text).reports.map((a) => a.era.release);
  const cli = cliReading(Buffer.from(text)).items.map((i) => i.analysis.era.release);
  return { cli, editor };
}

test('a report printed before its host prints a release takes that later release on both paths', () => {
  const { cli, editor } = releases([...SLUB_FIRST, ...FULL, ''].join('\n'));
  assert.deepEqual(editor, ['2.6.32.4', '2.6.32.4']);
  assert.deepEqual(cli, editor);
});

test('a report without a release waits for at most RELEASE_LOOKAHEAD_REPORTS more reports', () => {
  const other = (i: number): string[] => [
    `Feb 20 21:21:${String(i % 60).padStart(2, '0')} other kernel: SLUB: Unable to allocate memory on node -1 (gfp=0x20)`,
    'Feb 20 21:21:00 other kernel:  cache: kmalloc-64, object size: 64, buffer size: 64, default order: 0, min order: 0',
    '',
  ];
  const between = (n: number): string[] => Array.from({ length: n }, (_, i) => other(i)).flat();
  const near = releases(
    [...SLUB_FIRST, '', ...between(RELEASE_LOOKAHEAD_REPORTS - 1), ...FULL, ''].join('\n'),
  );
  assert.equal(near.editor.length, RELEASE_LOOKAHEAD_REPORTS + 1);
  assert.equal(near.editor[0], '2.6.32.4');
  assert.deepEqual(near.cli, near.editor);
  const far = releases(
    [...SLUB_FIRST, '', ...between(RELEASE_LOOKAHEAD_REPORTS + 1), ...FULL, ''].join('\n'),
  );
  assert.equal(far.editor[0], null);
  assert.equal(far.editor[far.editor.length - 1], '2.6.32.4');
  assert.deepEqual(far.cli, far.editor);
});

test('a report without a sibling release borrows the banner seen when it leaves the hold (here: the end)', () => {
  const text = [
    'Feb 20 21:00:00 server1 kernel: Linux version 3.10.0-957.el7.x86_64 (builder@x) (gcc) #1 SMP',
    ...SLUB_FIRST,
    '',
    'Feb 20 22:00:00 server1 kernel: Linux version 4.18.0-80.el8.x86_64 (builder@x) (gcc) #1 SMP',
    '',
  ].join('\n');
  const { cli, editor } = releases(text);
  assert.deepEqual(editor, ['4.18.0-80.el8.x86_64']);
  assert.deepEqual(cli, editor);
});

test('repeats: the first report carries the group, grown as members arrive, on both paths', () => {
  const text = [...FULL, '', ...FULL.map((l) => l.replace('21:20:07', '21:20:09')), ''].join('\n');
  const editor: ReportAnalysis[] = analyzeText(text).reports;
  assert.equal(editor.length, 2);
  assert.deepEqual(
    { count: editor[0].repeat.count, span: editor[0].repeat.spanSeconds, lines: editor[0].repeat.lines },
    { count: 2, span: 2, lines: [0, 5] },
  );
  assert.equal(editor[1].repeat.duplicateOf, 0);
  const { items, sequence } = cliReading(Buffer.from(text));
  assert.deepEqual(
    items.map((i) => i.occurrence),
    [1, 2],
  );
  assert.deepEqual(
    sequence.repeats().map((g) => [g.count, g.line, g.lastLine, g.spanSeconds]),
    [[2, 0, 5, 2]],
  );
});

// An unframed report pasted right after framed lines, no blank line between. A full parse reads
// each unframed line after a framed one as its wrap (or, indented past the message column, as an
// aligned continuation that inherits its framing): the reader, which only counts the lines it
// skips, starts feeding at the framed or blank line before the unframed ones, so it reads them so
// too. Each text is also handed to the reader in two writes cut at every line start, so that the
// lines it keeps back at a read's end begin anywhere in it.

const OOM_DMESG = readFileSync(
  join('test', 'fixtures', 'corpus', '034-dmesg-i386-highmem-5.7-xorg-pagefault-oom-gfp0.log'),
  'utf8',
)
  .trimEnd()
  .split('\n');
/** The same report as `dmesg -t` prints it: no framing at all. */
const OOM_BARE = OOM_DMESG.map((line) => line.replace(/^\[\s*\d+\.\d+\] /, ''));
const SYSLOG_LINES = [
  'Jan  1 07:56:55 web02 sshd[812]: Accepted publickey for deploy from 10.0.0.7 port 50022 ssh2',
  'Jan  1 07:56:56 web02 kernel: [38600.100000] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
  'Jan  1 07:56:56 web02 systemd[1]: Started Session 42 of user deploy.',
];
const DMESG_LINES = [
  '[38600.100000] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
  '[38600.200000] usb 1-1: USB disconnect, device number 2',
  '[38600.300000] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
];
/** Unframed kernel lines without an anchor. */
const BARE_NOISE = [
  'usb 1-1: new high-speed USB device number 3 using ehci-pci',
  'e1000e: eth0 NIC Link is Down',
  'IPv6: ADDRCONF(NETDEV_UP): eth0: link is not ready',
];
const bareRun = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => BARE_NOISE[i % BARE_NOISE.length]);

/** The CLI's Reports for `bytes` handed over in two writes, the first `cut` bytes long. */
function scannedInTwo(bytes: Buffer, cut: number): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  scan.feeder.write(bytes.subarray(0, cut));
  scan.feeder.write(bytes.subarray(cut));
  scan.finish();
  return reports;
}

/** Asserts that the CLI reads the Reports and the analysis the editor reads, the text handed over
 * at once and cut at every line start; returns the editor's Reports. */
function readSameOnBothPaths(lines: string[]): Report[] {
  const text = lines.join('\n') + '\n';
  const bytes = Buffer.from(text);
  const editor = parseLog(text).reports;
  for (let cut = 0; cut <= bytes.length; cut++)
    if (cut === bytes.length || bytes[cut - 1] === 0x0a)
      assert.deepStrictEqual(scannedInTwo(bytes, cut), editor, `writes cut at byte ${cut}`);
  assert.deepEqual(
    cliReading(bytes).items.map((i) => i.analysis),
    analyzeText(text).reports,
  );
  return editor;
}

const headerOf = (lines: string[]): number => lines.findIndex((l) => l.includes('invoked oom-killer'));

const spans = (reports: Report[]): [string, number, number][] =>
  reports.map((r) => [r.kind, r.line, r.endLine]);

test('an unframed report right after framed syslog lines: one reading on both paths', () => {
  // A whole report header is never a wrap (STRONG_START): the OOM report begins at its header,
  // and runs to the last line before the blank one.
  const lines = [...SYSLOG_LINES, ...SYSLOG_LINES, ...OOM_BARE, '', ...SYSLOG_LINES];
  const reports = readSameOnBothPaths(lines);
  assert.deepEqual(spans(reports), [['oom_kill', headerOf(lines), lines.indexOf('') - 1]]);
  assert.equal(reports[0].comm, 'Xorg');
  assert.equal(reports[0].zones.length, 3);
  // the same after unframed lines without an anchor (the reader's lookbehind starts among them)
  const after = [...SYSLOG_LINES, ...SYSLOG_LINES, ...BARE_NOISE, ...OOM_BARE, '', ...SYSLOG_LINES];
  assert.deepEqual(spans(readSameOnBothPaths(after)), [['oom_kill', headerOf(after), after.indexOf('') - 1]]);
});

test('an unframed report right after dmesg lines: one reading on both paths', () => {
  // The unframed noise lines are wraps of the last stamped line; the OOM header is not (a whole
  // header is a STRONG_START): the report begins at it, with no time of its own.
  const lines = [...DMESG_LINES, ...DMESG_LINES, ...BARE_NOISE, ...OOM_BARE, '', ...DMESG_LINES];
  const reports = readSameOnBothPaths(lines);
  assert.deepEqual(spans(reports), [['oom_kill', headerOf(lines), lines.indexOf('') - 1]]);
  assert.equal(reports[0].comm, 'Xorg');
  assert.equal(reports[0].order, 0);
  assert.equal(reports[0].callTrace.length, 12);
});

test('a report on aligned continuation lines of a framed record: one reading on both paths', () => {
  // journalctl prints a multi-line record's further lines indented past the message column: each
  // is a kernel line of its own that inherits the record's time and host. Here the OOM header is
  // the fifth such line, the lines before it hold no anchor.
  const prefix = 'Jan 01 07:56:57 web02 kernel: ';
  const indent = ' '.repeat(prefix.length + 1);
  const record = [
    `${prefix}e1000e 0000:00:19.0 eth0: Detected Hardware Unit Hang:`,
    ...['TDH <0>', 'TDT <1>', 'next_to_use <1>', 'next_to_clean <0>'].map((s) => indent + s),
    indent + OOM_BARE[1],
  ];
  const journal = OOM_DMESG.slice(2).map((line) =>
    line.replace(/^\[\s*\d+\.\d+\] /, prefix).replace(/^ (?=\w)/, indent),
  );
  const lines = [...SYSLOG_LINES, ...record, ...journal, ...SYSLOG_LINES];
  const reports = readSameOnBothPaths(lines);
  const header = SYSLOG_LINES.length + record.length - 1;
  assert.deepEqual(spans(reports), [['oom_kill', header, lines.length - SYSLOG_LINES.length - 1]]);
  assert.deepEqual([reports[0].time, reports[0].host, reports[0].comm], ['Jan 01 07:56:57', 'web02', 'Xorg']);
  assert.equal(reports[0].counters.length, 19);
});

test('a long unframed run after framed lines: one reading up to READING_START_MAX_LINES lines', () => {
  // The reader's lookbehind starts three lines before the OOM header's line; from there it goes
  // back over at most READING_START_MAX_LINES unframed lines to find the framed one.
  const within = [...SYSLOG_LINES, ...bareRun(READING_START_MAX_LINES - 4), ...OOM_BARE, '', ...SYSLOG_LINES];
  assert.deepEqual(spans(readSameOnBothPaths(within)), [
    ['oom_kill', headerOf(within), within.indexOf('') - 1],
  ]);
});

test('beyond READING_START_MAX_LINES unframed lines: the same report on both paths, its body read as after a blank line by the CLI', () => {
  // The difference left (CONTRIBUTING "How a log flows"): the reader finds no framed or blank line
  // within its bound and starts at its lookbehind as after a blank line; the full parse reads the
  // run after the framed line as a framed run. The header is a STRONG_START either way, so both
  // find the same report with the same header; lines of its body may join differently.
  const lines = [...SYSLOG_LINES, ...bareRun(READING_START_MAX_LINES + 40), ...OOM_BARE, '', ...SYSLOG_LINES];
  const text = lines.join('\n') + '\n';
  const bytes = Buffer.from(text);
  const full = parseLog(text).reports;
  const expected = [['oom_kill', headerOf(lines), lines.indexOf('') - 1]];
  assert.deepEqual(spans(full), expected);
  for (let cut = 0; cut <= bytes.length; cut++)
    if (cut === bytes.length || bytes[cut - 1] === 0x0a) {
      const cli = scannedInTwo(bytes, cut);
      assert.deepEqual(spans(cli), expected, `writes cut at byte ${cut}`);
      assert.deepEqual(
        [cli[0].comm, cli[0].order, cli[0].gfp?.raw],
        [full[0].comm, full[0].order, full[0].gfp?.raw],
      );
    }
});
