// Headers split by other CPUs (printk pr_cont pieces on lines of their own), headers cut by a pager
// or a terminal, and a report whose body comes after another whole report (issue #12). Each case
// is built from real lines of the kernel's formats: 4.9 warn_alloc prints `%s: ` + the caller's
// text + `, mode:%#x(%pGg)`, 4.11–4.14 adds `, nodemask=` and the list (or `(null)`) as further
// pieces, 4.11–4.14 dump_header prints `…, nodemask=` + `(null)` + `,  order=%d, oom_score_adj=%hd`,
// and 5.0+ cpuset_print_current_mems_allowed adds `,cpuset=…` + `,mems_allowed=…` after the header.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { LogScanner, parseLog } from '../../server/src/core/parse';
import { recordReport, replayReport, type RecordedReport } from '../../server/src/core/report-record';
import type { Report } from '../../server/src/core/model';
import { analyzeText } from '../../server/src/core/analyze';
import { gfpEraHints } from '../../server/src/core/explain';
import { classifyLine } from '../../server/src/core/formats';
import { extraLog } from './fixture-files';

const stamp = (i: number): string => `[  100.${String(100000 + i).slice(1)}]`;
/** dmesg lines with increasing timestamps. */
const dmesg = (lines: string[]): string => lines.map((l, i) => `${stamp(i)} ${l}`).join('\n');

/** Another CPU's lines that can come between two pr_cont calls: stack words, a frame, a soft lockup. */
const OTHER_CPU = [
  ' ffff88003e1c3a58 ffffffff8117d1e7 ffff88003e1c3a68 0000000000000000',
  ' ? tcp_v4_rcv+0x7a/0x9f0',
  'NMI watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [kswapd0:73]',
];

/** The body of swapper/3's report: its task line, trace and a short dump. */
const BODY = [
  'CPU: 3 PID: 0 Comm: swapper/3 Not tainted 4.11.0 #1',
  'Call Trace:',
  ' <IRQ>',
  ' dump_stack+0x63/0x8b',
  ' warn_alloc+0x11e/0x1d0',
  ' __alloc_pages_slowpath+0x3d4/0xe02',
  'Mem-Info:',
  'active_anon:170208 inactive_anon:2096 isolated_anon:0',
  'Node 0 DMA32 free:44544kB min:44576kB low:55720kB high:66864kB present:2080640kB managed:1478648kB',
  'lowmem_reserve[]: 0 0 0 0',
  'Node 0 DMA32: 764*4kB (UME) 1122*8kB (UME) 536*16kB (UME) 210*32kB (UME) 107*64kB (UE) 41*128kB (EH) 20*256kB (UME) 0*512kB 0*1024kB 0*2048kB 0*4096kB = 44544kB',
  '524157 pages RAM',
];

test('a ", mode:" piece 1–3 lines after the header (other CPUs between) completes it', () => {
  for (let between = 1; between <= 3; between++) {
    const log = dmesg([
      'swapper/3: page allocation failure: order:0',
      ...OTHER_CPU.slice(0, between),
      ', mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
      ...BODY,
    ]);
    const { reports } = parseLog(log);
    assert.equal(reports.length, 1, `${between} between`);
    const r = reports[0];
    assert.equal(r.kind, 'page_alloc_failure');
    assert.equal(r.comm, 'swapper/3');
    assert.equal(r.order, 0);
    assert.deepEqual(r.gfp, { raw: '0x1080020', printed: 'GFP_ATOMIC' });
    assert.equal(r.nodemask, '(null)');
    assert.equal(r.headerCut, null);
    assert.equal(r.pid, 0);
    assert.deepEqual([r.line, r.endLine], [0, between + 1 + BODY.length]);
    // the mask's range is on the piece's line, where it was printed
    assert.equal(r.gfpRange!.startLine, between + 1);
    const pieceLine = log.split('\n')[between + 1];
    assert.equal(pieceLine.slice(r.gfpRange!.startChar, r.gfpRange!.endChar), 'mode:0x1080020(GFP_ATOMIC)');
    assert.deepEqual(
      r.zones.map((z) => [z.zone, z.line, z.freeKb]),
      [['DMA32', between + 10, 44544]],
    );
    const a = analyzeText(log).reports[0];
    assert.equal(a.verdict, 'zones_passed');
    assert.ok(!a.findings.some((f) => f.code === 'KLL023'), 'nothing missing');
  }
});

test('4.11–4.14 warn_alloc: ", mode:…, nodemask=" and the node list arrive as separate pieces', () => {
  const log = dmesg([
    'kworker/3:10: page allocation failure: order:0',
    OTHER_CPU[0],
    ', mode:0x14200c2(GFP_HIGHUSER|__GFP_NOWARN), nodemask=',
    OTHER_CPU[1],
    '0-1',
    ...BODY,
  ]);
  const [r] = parseLog(log).reports;
  assert.deepEqual(r.gfp, { raw: '0x14200c2', printed: 'GFP_HIGHUSER|__GFP_NOWARN' });
  assert.equal(r.nodemask, '0-1');
  assert.equal(r.headerCut, null);
  assert.equal(r.endLine, 4 + BODY.length);
});

test('4.11–4.14 dump_header: "nodemask=", "(null)" and ",  order=…" pieces make one OOM header', () => {
  const log = dmesg([
    'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_KERNEL|__GFP_COMP|__GFP_NOTRACK), nodemask=',
    OTHER_CPU[0],
    '(null)',
    OTHER_CPU[2],
    ',  order=2, oom_score_adj=-17',
    'kthreadd cpuset=/ mems_allowed=0',
    'CPU: 3 PID: 2 Comm: kthreadd Not tainted 4.11.0 #1',
    'Mem-Info:',
    'Node 0 DMA32 free:44544kB min:44576kB low:55720kB high:66864kB present:2080640kB managed:1478648kB',
    '524157 pages RAM',
    'Killed process 10688 (a.out) total-vm:14404kB, anon-rss:84kB, file-rss:0kB, shmem-rss:0kB',
  ]);
  const { reports } = parseLog(log);
  assert.equal(reports.length, 1);
  const r = reports[0];
  assert.equal(r.kind, 'oom_kill');
  assert.equal(r.order, 2);
  assert.equal(r.oomScoreAdj, -17);
  assert.equal(r.nodemask, '(null)');
  assert.equal(r.cpuset, '/');
  assert.equal(r.headerCut, null);
  assert.deepEqual([r.line, r.endLine], [0, 10]);
  // `(null),  order=…` in one piece (only the header was split off)
  const joined = parseLog(
    dmesg([
      'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_KERNEL|__GFP_COMP|__GFP_NOTRACK), nodemask=',
      OTHER_CPU[0],
      '(null),  order=3, oom_score_adj=0',
      'CPU: 3 PID: 2 Comm: kthreadd Not tainted 4.11.0 #1',
    ]),
  ).reports[0];
  assert.deepEqual(
    [joined.order, joined.nodemask, joined.oomScoreAdj, joined.headerCut],
    [3, '(null)', 0, null],
  );
});

test('5.0+: the ",cpuset=…,mems_allowed=…" pieces after a whole header', () => {
  const [r] = parseLog(
    dmesg([
      'swapper/3: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null)',
      OTHER_CPU[0],
      ',cpuset=/,mems_allowed=0-1',
      ...BODY,
    ]),
  ).reports;
  assert.equal(r.cpuset, '/');
  assert.equal(r.memsAllowed, '0-1');
  assert.equal(r.headerCut, null);
});

test('a piece is taken only while its header expects it', () => {
  const cut = (r: { headerCut: unknown }) => r.headerCut;
  // after the report's own task line: the body began, the piece is nobody's
  const late = parseLog(
    dmesg([
      'swapper/3: page allocation failure: order:0',
      BODY[0],
      ', mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
      ...BODY.slice(1),
    ]),
  ).reports;
  assert.equal(late.length, 1);
  assert.equal(late[0].gfp, null);
  assert.deepEqual(cut(late[0]), {
    line: 0,
    after: '…per/3: page allocation failure: order:0',
    missing: ['mode'],
  });
  // more than 8 lines after the header
  const far = parseLog(
    dmesg([
      'swapper/3: page allocation failure: order:0',
      ...Array.from({ length: 9 }, (_, i) => ` ? frame_${i}+0x7a/0x9f0`),
      ', mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
      ...BODY,
    ]),
  ).reports;
  assert.equal(far[0].gfp, null);
  // two headers waiting for a mode piece: it could be either's, so neither takes it
  const two = parseLog(
    dmesg([
      'swapper/3: page allocation failure: order:0',
      'swapper/1: page allocation failure: order:1',
      ', mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
      ...BODY,
    ]),
  ).reports;
  assert.deepEqual(
    two.map((r) => [r.comm, r.order, r.gfp]),
    [
      ['swapper/3', 0, null],
      ['swapper/1', 1, null],
    ],
  );
  // the names always follow a 4.9+ piece's mask: a piece cut inside the mask is not read
  const chopped = parseLog(dmesg(['swapper/3: page allocation failure: order:0', ', mode:0x10800', ...BODY]))
    .reports[0];
  assert.equal(chopped.gfp, null);
  // a piece with no header before it opens nothing
  assert.equal(
    parseLog(dmesg([', mode:0x1080020(GFP_ATOMIC), nodemask=(null)', '(null)', ',  order=0'])).reports.length,
    0,
  );
  assert.equal(classifyLine('(null)')?.kind, 'header_piece');
  assert.equal(classifyLine('0-3,5')?.kind, 'header_piece');
});

test('chopped after "nodemask=": still an OOM report, order null, and the analysis says what is missing', () => {
  const log = dmesg([
    'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_TEMPORARY|__GFP_COMP|__GFP_NOTRACK), nodemask=',
    'kthreadd cpuset=/ mems_allowed=0',
    'CPU: 3 PID: 2 Comm: kthreadd Not tainted 4.11.0 #1',
    'Mem-Info:',
    'Node 0 DMA32 free:44544kB min:44576kB low:55720kB high:66864kB present:2080640kB managed:1478648kB',
    '524157 pages RAM',
    'Killed process 10688 (a.out) total-vm:14404kB, anon-rss:84kB, file-rss:0kB, shmem-rss:0kB',
  ]);
  const { reports } = parseLog(log);
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.endLine]),
    [['oom_kill', 0, 6]],
  );
  const r = reports[0];
  assert.equal(r.order, null);
  assert.deepEqual(r.gfp, { raw: '0x16040c0', printed: 'GFP_TEMPORARY|__GFP_COMP|__GFP_NOTRACK' });
  assert.equal(r.nodemask, null);
  assert.deepEqual(r.headerCut, {
    line: 0,
    after: '…RY|__GFP_COMP|__GFP_NOTRACK), nodemask=',
    missing: ['order', 'nodemask'],
  });
  const a = analyzeText(log).reports[0];
  assert.equal(a.order, null);
  assert.equal(a.verdict, 'undecidable');
  const text =
    'the header was cut after "…RY|__GFP_COMP|__GFP_NOTRACK), nodemask=": order and nodemask not printed';
  assert.equal(a.verdictText, `Undecidable: ${text}.`);
  assert.deepEqual(
    a.findings.filter((f) => f.code === 'KLL023').map((f) => [f.line, f.message]),
    [[0, `Undecidable: ${text}.`]],
  );
});

test('cut before "mode:": a page allocation failure with its order, mode null, said so', () => {
  const log = dmesg(['swapper/3: page allocation failure: order:0, mo', ...BODY]);
  const { reports } = parseLog(log);
  assert.equal(reports.length, 1);
  const r = reports[0];
  assert.deepEqual([r.kind, r.order, r.gfp, r.pid], ['page_alloc_failure', 0, null, 0]);
  assert.deepEqual(r.headerCut, {
    line: 0,
    after: '…3: page allocation failure: order:0, mo',
    missing: ['mode'],
  });
  assert.equal(r.zones.length, 1);
  const a = analyzeText(log).reports[0];
  assert.equal(
    a.verdictText,
    'Undecidable: the header was cut after "…3: page allocation failure: order:0, mo": mode not printed.',
  );
});

test('cut mid-hex: a mask that ends the line is read only where the format may end there', () => {
  // a stall always prints `(%pGg)` after its mask (4.9–4.14): `0x14001` may be part of `0x14001c2`
  const stall = parseLog(
    dmesg(['kworker/1:1: page allocation stalls for 10079ms, order:0, mode:0x14001', ...BODY]),
  ).reports[0];
  assert.deepEqual([stall.kind, stall.order, stall.stallMs, stall.gfp], ['alloc_stall', 0, 10079, null]);
  assert.deepEqual(stall.headerCut?.missing, ['mode']);
  const stallFindings = analyzeText(
    dmesg(['kworker/1:1: page allocation stalls for 10079ms, order:0, mode:0x14001', ...BODY]),
  ).reports[0].findings.filter((f) => f.code === 'KLL023');
  assert.deepEqual(
    stallFindings.map((f) => f.message),
    ['The header was cut after "…alls for 10079ms, order:0, mode:0x14001": mode not printed.'],
  );
  // an OOM header always prints `, order=` after the mask
  const oom = parseLog(dmesg(['kthreadd invoked oom-killer: gfp_mask=0x1604', BODY[0]])).reports[0];
  assert.deepEqual([oom.kind, oom.gfp, oom.order], ['oom_kill', null, null]);
  assert.deepEqual(oom.headerCut?.missing, ['gfp_mask', 'order']);
  // ≤4.5 `%s: page allocation failure: order:%d, mode:0x%x` ends with the mask: read as printed
  const old = parseLog(dmesg(['swapper/0: page allocation failure: order:2, mode:0x104020', BODY[0]]))
    .reports[0];
  assert.deepEqual(old.gfp, { raw: '0x104020', printed: null });
  assert.equal(old.headerCut, null);
});

test('vmalloc: a 4.9+ header without its mode is still a header; the ≤4.8 caller line is not', () => {
  const [v] = parseLog(
    dmesg([
      'insmod: vmalloc: allocation failure: 4096 bytes',
      OTHER_CPU[0],
      ', mode:0x24000c0(GFP_KERNEL)',
      BODY[0],
    ]),
  ).reports;
  assert.deepEqual(
    [v.kind, v.vmallocBytes, v.gfp?.raw, v.headerCut],
    ['vmalloc_failure', 4096, '0x24000c0', null],
  );
  assert.equal(
    classifyLine('vmalloc: allocation failure, allocated 4096 of 8192 bytes')?.kind,
    'vmalloc_caller',
  );
  assert.equal(classifyLine('vmalloc: allocation failure: 8192 bytes')?.kind, 'vmalloc_caller');
});

test('the stall interrupted by a whole OOM report reads on after it (pending stall-001, now in extra)', () => {
  const { reports } = parseLog(extraLog('stall-001-dmesg-4.10-stall-interrupted-by-oom.log'));
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line + 1, r.endLine + 1, r.comm, r.pid, r.cpu, r.cpuset, r.memsAllowed]),
    [
      ['alloc_stall', 2, 2, 'kworker/1:1', 51, 1, '/', '0'],
      ['oom_kill', 3, 64, 'kthreadd', 2, 3, '/', '0'],
      ['oom_kill', 110, 162, 'kworker/1:1', 51, 1, '/', '0'],
    ],
  );
  const stall = reports[0];
  assert.equal(stall.memInfoLine! + 1, 84);
  assert.equal(stall.callTrace[0].line + 1, 70);
  assert.deepEqual(
    stall.callTrace.slice(0, 2).map((f) => f.function),
    ['dump_stack', 'warn_alloc'],
  );
  assert.deepEqual(
    stall.zones.map((z) => [z.zone, z.line + 1, z.freeKb, z.minKb, z.lowKb, z.highKb]),
    [
      ['DMA', 92, 6248, 476, 592, 708],
      ['DMA32', 94, 44544, 44576, 55720, 66864],
    ],
  );
  assert.equal(stall.ramPages, 524157);
});

test('a report closed before its body resumes only on its own comm, after the other report ended', () => {
  const stallHeader =
    'kworker/1:1: page allocation stalls for 10079ms, order:0, mode:0x14001c2(GFP_KERNEL|__GFP_HIGHMEM|__GFP_COLD), nodemask=(null)';
  const oom = [
    'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_KERNEL|__GFP_COMP|__GFP_NOTRACK), nodemask=(null),  order=2, oom_score_adj=0',
    'kthreadd cpuset=/ mems_allowed=0',
    'CPU: 3 PID: 2 Comm: kthreadd Not tainted 4.11.0 #1',
    'Mem-Info:',
    'Node 0 DMA32 free:44544kB min:44576kB low:55720kB high:66864kB present:2080640kB managed:1478648kB',
    '524157 pages RAM',
    'Killed process 10688 (a.out) total-vm:14404kB, anon-rss:84kB, file-rss:0kB, shmem-rss:0kB',
  ];
  // another task's body: the stall stays header-only, the body is its own Mem-Info dump
  const other = parseLog(
    dmesg([
      stallHeader,
      ...oom,
      'bash cpuset=/ mems_allowed=0',
      'CPU: 0 PID: 99 Comm: bash Not tainted 4.11.0 #1',
      'Mem-Info:',
      'Node 0 DMA32 free:1kB min:2kB low:3kB high:4kB present:2080640kB managed:1478648kB',
    ]),
  ).reports;
  assert.deepEqual(
    other.map((r) => [r.kind, r.line, r.pid]),
    [
      ['alloc_stall', 0, null],
      ['oom_kill', 1, 2],
      ['show_mem', 10, null],
    ],
  );
  // its own comm, but the OOM report had not ended (no kill line yet): not resumed
  const early = parseLog(
    dmesg([stallHeader, ...oom.slice(0, 3), 'CPU: 1 PID: 51 Comm: kworker/1:1 Not tainted 4.11.0 #1']),
  ).reports;
  assert.deepEqual(
    early.map((r) => [r.kind, r.pid]),
    [
      ['alloc_stall', null],
      ['oom_kill', 2],
    ],
  );
});

test('with printk caller ids each CPU gets its own piece, even with the other header between', () => {
  const log = [
    '[  100.000001][    C3] swapper/3: page allocation failure: order:0',
    '[  100.000002][    C1] swapper/1: page allocation failure: order:1',
    '[  100.000003][    C1] , mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
    '[  100.000004][    C3] , mode:0xa20(GFP_ATOMIC), nodemask=0',
    '[  100.000005][    C3] CPU: 3 PID: 0 Comm: swapper/3 Not tainted 4.11.0 #1',
    '[  100.000006][    C1] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 4.11.0 #1',
  ].join('\n');
  assert.deepEqual(
    parseLog(log).reports.map((r) => [r.comm, r.order, r.gfp?.raw, r.nodemask, r.cpu, r.headerCut]),
    [
      ['swapper/3', 0, '0xa20', '0', 3, null],
      ['swapper/1', 1, '0x1080020', '(null)', 1, null],
    ],
  );
});

test("the CLI's recorded-and-replayed reading equals the direct one on pieces, cuts and the resumed stall", () => {
  const scan = <T>(scanner: LogScanner<T>, text: string): T[] => {
    const out: T[] = [];
    for (const line of text.split('\n')) out.push(...scanner.push(line));
    return [...out, ...scanner.end()];
  };
  const logs = [
    dmesg([
      'swapper/3: page allocation failure: order:0',
      ...OTHER_CPU,
      ', mode:0x1080020(GFP_ATOMIC), nodemask=',
      '0-1',
      ...BODY,
    ]),
    dmesg([
      'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_KERNEL|__GFP_COMP|__GFP_NOTRACK), nodemask=',
      '(null)',
      ',  order=2, oom_score_adj=0',
      ...BODY,
    ]),
    dmesg(['kworker/1:1: page allocation stalls for 10079ms, order:0, mode:0x14001', ...BODY]),
    extraLog('stall-001-dmesg-4.10-stall-interrupted-by-oom.log'),
  ];
  for (const text of logs) {
    const direct = scan<Report>(new LogScanner(), text);
    const recorded = structuredClone(scan<RecordedReport>(new LogScanner(recordReport), text)).map(
      replayReport,
    );
    assert.ok(direct.length > 0);
    assert.deepStrictEqual(recorded, direct);
  }
});

// ---- A header cut inside its `(%pGg)` names -------------------------------------------------------
// lib/vsprintf.c format_flags prints the names joined by `|`; a pager or terminal that cuts the line
// inside them leaves no `)`. The mask before the `(` is whole; the names are not what was printed.

test('OOM header cut inside its names: an oom_kill with its mask, order null, the names unknown and said cut', () => {
  const header = 'kthreadd invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE|__GF';
  const log = dmesg([header, 'CPU: 3 PID: 2 Comm: kthreadd Not tainted #1', 'Mem-Info:', '524157 pages RAM']);
  const { reports } = parseLog(log);
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.comm, r.pid, r.order]),
    [['oom_kill', 0, 'kthreadd', 2, null]],
  );
  const r = reports[0];
  assert.deepEqual(r.gfp, { raw: '0x6200ca', printed: null, namesCut: 'GFP_HIGHUSER_MOVABLE|__GF' });
  // the mode's range covers the mask and what is left of the names
  assert.deepEqual(
    [r.gfpRange?.startChar, r.gfpRange?.endChar],
    [stamp(0).length + 1 + header.indexOf('gfp_mask='), stamp(0).length + 1 + header.length],
  );
  assert.deepEqual(r.headerCut, {
    line: 0,
    after: '…mask=0x6200ca(GFP_HIGHUSER_MOVABLE|__GF',
    missing: ['order'],
    namesCut: 'gfp_mask',
  });
  // the names are unknown to the era guess: neither printed (4.6+) nor absent (before 4.6)
  assert.equal(gfpEraHints(r, 0x6200ca, null).printedNames, undefined);
  const a = analyzeText(log).reports[0];
  assert.equal(a.gfp?.printed, null);
  assert.equal(a.gfp?.text, 'GFP_HIGHUSER_MOVABLE');
  assert.doesNotMatch(a.era.reason, /before 4\.6/);
  assert.deepEqual(
    a.findings
      .filter((f) => f.code === 'KLL023' && f.message.startsWith('The header'))
      .map((f) => [f.line, f.message]),
    [
      [
        0,
        'The header was cut after "…mask=0x6200ca(GFP_HIGHUSER_MOVABLE|__GF": the flag names after gfp_mask were cut (decoded from the mask instead); order not printed.',
      ],
    ],
  );
});

test('page allocation failure cut inside its names: every field read, the names unknown; a whole list is unchanged', () => {
  const cut = parseLog(
    dmesg(['swapper/3: page allocation failure: order:0, mode:0x1080020(GFP_ATOMIC|__GFP_NOTR', ...BODY]),
  ).reports[0];
  assert.deepEqual(
    [cut.kind, cut.comm, cut.order, cut.gfp, cut.pid, cut.zones.length],
    [
      'page_alloc_failure',
      'swapper/3',
      0,
      { raw: '0x1080020', printed: null, namesCut: 'GFP_ATOMIC|__GFP_NOTR' },
      0,
      1,
    ],
  );
  assert.deepEqual(cut.headerCut, {
    line: 0,
    after: '…0, mode:0x1080020(GFP_ATOMIC|__GFP_NOTR',
    missing: [],
    namesCut: 'mode',
  });
  // nothing after `(` but blanks: cut right after it
  const open = parseLog(dmesg(['kthreadd invoked oom-killer: gfp_mask=0x6200ca(  ', BODY[0]])).reports[0];
  assert.deepEqual([open.kind, open.gfp], ['oom_kill', { raw: '0x6200ca', printed: null, namesCut: '' }]);
  // text that is no flag name after the `(`: not this header's names, not a header
  assert.equal(
    classifyLine('kthreadd invoked oom-killer: gfp_mask=0x6200ca(GFP_KERNEL [... snip ...]'),
    null,
  );
  const whole = parseLog(
    dmesg(['swapper/3: page allocation failure: order:0, mode:0x1080020(GFP_ATOMIC|__GFP_NOTRACK)', ...BODY]),
  ).reports[0];
  assert.deepEqual(
    [whole.gfp, whole.headerCut],
    [{ raw: '0x1080020', printed: 'GFP_ATOMIC|__GFP_NOTRACK' }, null],
  );
});

test('extra 060: the mailed OOM header cut inside its names is the oom_kill at line 3, no standalone dump', () => {
  const log = extraLog('060-mail-bare-chopped-header-6.16-oom-sh-no-alloc-info-rss_anon.log');
  const { reports } = parseLog(log);
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line + 1, r.comm, r.order, r.gfp]),
    [['oom_kill', 3, 'sh', null, { raw: '0x140dca', printed: null, namesCut: 'GFP_HIGHUSER_MOVABLE|_0' }]],
  );
  assert.deepEqual(reports[0].headerCut, {
    line: 2,
    after: '…p_mask=0x140dca(GFP_HIGHUSER_MOVABLE|_0',
    missing: ['order'],
    namesCut: 'gfp_mask',
  });
  const a = analyzeText(log).reports[0];
  assert.equal(a.gfp?.printed, null);
  assert.doesNotMatch(a.era.reason, /before 4\.6/);
  assert.ok(
    a.findings.some(
      (f) =>
        f.code === 'KLL023' &&
        f.line === 2 &&
        f.message ===
          'The header was cut after "…p_mask=0x140dca(GFP_HIGHUSER_MOVABLE|_0": the flag names after gfp_mask were cut (decoded from the mask instead); order not printed.',
    ),
  );
});

// 4.9–4.14 warn_alloc prints `pr_warn("%s: ", current->comm)`, then the caller's text with
// `pr_cont("%pV")` and `pr_cont(", mode:%#x(%pGg)\n")` (K49 mm/page_alloc.c warn_alloc): two CPUs
// failing at once leave each comm alone on its line, the caller texts glued on one line, and one
// `, mode:` on a line of its own (incoming 121 and 122).
const TWO_CPUS = [
  ' ? system_call_fast_compare_end+0xc/0xb7',
  'swapper/8: ',
  'swapper/6: ',
  'page allocation failure: order:0page allocation failure: order:1, mode:0x2080020(GFP_ATOMIC)',
  ', mode:0x2000020(GFP_ATOMIC)',
  'CPU: 8 PID: 0 Comm: swapper/8 Tainted: G             L  4.9.0-5-amd64 #1 Debian 4.9.65-3+deb9u2',
  'Hardware name: HP ProLiant DL380 Gen9/ProLiant DL380 Gen9, BIOS P89 10/25/2017',
];

test('two comm pieces and two glued caller texts are two headers, paired in printk order', () => {
  const log = dmesg(TWO_CPUS);
  const { reports } = parseLog(log);
  // first comm ↔ first caller text (its `, mode:` is the line after); second comm ↔ the second
  // text, whose `, mode:` is glued to it. The task line names swapper/8: its report reads it.
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.endLine, r.comm, r.order, r.gfp?.raw, r.pid, r.cpu, r.headerCut]),
    [
      ['page_alloc_failure', 1, 1, 'swapper/8', 0, '0x2000020', 0, 8, null],
      ['page_alloc_failure', 2, 3, 'swapper/6', 1, '0x2080020', null, null, null],
    ],
  );
  // each field's range is where it was printed: the second order on line 3, after the first text
  const lines = log.split('\n');
  const [a, b] = reports;
  assert.equal(a.orderRange!.startLine, 3);
  assert.equal(lines[3].slice(a.orderRange!.startChar, a.orderRange!.endChar), 'order:0');
  assert.equal(b.orderRange!.startLine, 3);
  assert.equal(lines[3].slice(b.orderRange!.startChar, b.orderRange!.endChar), 'order:1');
  assert.equal(a.gfpRange!.startLine, 4);
  assert.equal(lines[4].slice(a.gfpRange!.startChar, a.gfpRange!.endChar), 'mode:0x2000020(GFP_ATOMIC)');
});

test('the `, mode:` piece joined to the glued line (no timestamp of its own) is the first header’s', () => {
  const log = [
    '[73805.181180] swapper/8: ',
    '[73805.181182] swapper/6: ',
    '[73805.181184] page allocation failure: order:0page allocation failure: order:0, mode:0x2080020(GFP_ATOMIC)',
    ', mode:0x2080020(GFP_ATOMIC)',
    '[73805.181191] CPU: 8 PID: 0 Comm: swapper/8 Tainted: G             L  4.9.0-5-amd64 #1 Debian 4.9.65-3+deb9u2',
  ].join('\n');
  assert.deepEqual(
    parseLog(log).reports.map((r) => [
      r.line,
      r.comm,
      r.order,
      r.gfp?.raw,
      r.gfp?.printed,
      r.cpu,
      r.headerCut,
    ]),
    [
      [0, 'swapper/8', 0, '0x2080020', 'GFP_ATOMIC', 8, null],
      [1, 'swapper/6', 0, '0x2080020', 'GFP_ATOMIC', null, null],
    ],
  );
});

test('a comm piece heads only a comm-less header at most 3 lines after it; other colon lines never do', () => {
  const header = 'page allocation failure: order:2, mode:0x2080020(GFP_ATOMIC)';
  for (let between = 0; between <= 4; between++) {
    const { reports } = parseLog(
      dmesg(['kworker/3:10: ', ...OTHER_CPU.concat(OTHER_CPU).slice(0, between), header]),
    );
    assert.equal(reports.length, 1);
    const r = reports[0];
    if (between <= 2)
      assert.deepEqual([r.line, r.comm, r.order], [0, 'kworker/3:10', 2], `${between} between`);
    else assert.deepEqual([r.line, r.comm, r.order], [between + 1, null, 2], `${between} between`);
  }
  // a header that printed its comm keeps it; `Call Trace:` and a 16-byte word are no comm pieces
  const own = parseLog(dmesg(['swapper/1: ', `kswapd0: ${header}`])).reports;
  assert.deepEqual(
    own.map((r) => [r.line, r.comm]),
    [[1, 'kswapd0']],
  );
  for (const notComm of ['Call Trace:', 'abcdefghijklmnop: ']) {
    const r = parseLog(dmesg([notComm, header])).reports;
    assert.deepEqual(
      r.map((x) => [x.line, x.comm]),
      [[1, null]],
      notComm,
    );
  }
  // a comm piece is taken once: the second comm-less header after one piece has no comm
  const twice = parseLog(dmesg(['swapper/1: ', header, header])).reports;
  assert.deepEqual(
    twice.map((r) => [r.line, r.comm]),
    [
      [0, 'swapper/1'],
      [2, null],
    ],
  );
});

test('a stall header with another CPU’s frame glued after its order is a header; the mode it lacks is said', () => {
  const log = dmesg([
    'systemd-journal: page allocation stalls for 220003ms, order:0, mode:0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD)',
    'page allocation stalls for 220003ms, order:0 [<ffffffff81226c20>] __do_fault+0x80/0x130',
    'irqbalance: page allocation stalls for 220001ms, order:0, mode:0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD)',
  ]);
  const { reports } = parseLog(log);
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.comm, r.order, r.stallMs, r.gfp?.raw ?? null]),
    [
      ['alloc_stall', 0, 'systemd-journal', 0, 220003, '0x24201ca'],
      ['alloc_stall', 1, null, 0, 220003, null],
      ['alloc_stall', 2, 'irqbalance', 0, 220001, '0x24201ca'],
    ],
  );
  // the cut is where the header's own text ends, not after the glued frame
  assert.deepEqual(reports[1].headerCut, {
    line: 1,
    after: '…allocation stalls for 220003ms, order:0',
    missing: ['mode'],
  });
  const a = analyzeText(log).reports[1];
  assert.ok(
    a.findings.some(
      (f) =>
        f.code === 'KLL023' &&
        f.message ===
          'The header was cut after "…allocation stalls for 220003ms, order:0": mode not printed.',
    ),
  );
  // text after the order that is not a frame still keeps the line from being a header
  assert.equal(classifyLine('page allocation stalls for 1ms, order:0 and more')?.kind ?? null, null);
  assert.equal(classifyLine('page allocation failure: order:0 [<ffff>] not_a_frame')?.kind ?? null, null);
});

test("the CLI's recorded-and-replayed reading equals the direct one on comm pieces and glued headers", () => {
  const scan = <T>(scanner: LogScanner<T>, text: string): T[] => {
    const out: T[] = [];
    for (const line of text.split('\n')) out.push(...scanner.push(line));
    return [...out, ...scanner.end()];
  };
  for (const text of [
    dmesg(TWO_CPUS),
    dmesg(['kworker/3:10: ', OTHER_CPU[0], 'page allocation failure: order:2', ...BODY]),
  ]) {
    const direct = scan<Report>(new LogScanner(), text);
    const recorded = structuredClone(scan<RecordedReport>(new LogScanner(recordReport), text)).map(
      replayReport,
    );
    assert.ok(direct.length > 0);
    assert.deepStrictEqual(recorded, direct);
  }
});

test('incoming 121 and 122 (real 4.9 logs, two CPUs): both reports, as annotated', () => {
  interface Want {
    file: string;
    events: {
      kind: string;
      header_line: number;
      comm: string;
      order: number;
      mode_raw: string;
      mode_names: string;
    }[];
  }
  const dir = join('test', 'fixtures', 'incoming');
  const index = JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as Want[];
  const entries = index.filter((e) => /^12[12]-/.test(e.file));
  assert.equal(entries.length, 2);
  for (const entry of entries) {
    const got = parseLog(readFileSync(join(dir, entry.file), 'utf8')).reports;
    assert.deepEqual(
      got.map((r) => [r.kind, r.line + 1, r.comm, r.order, r.gfp?.raw, r.gfp?.printed]),
      entry.events.map((e) => [e.kind, e.header_line, e.comm, e.order, e.mode_raw, e.mode_names]),
      entry.file,
    );
    // the task line `CPU: 8 PID: 0 Comm: swapper/8` is swapper/8's, the first report's
    assert.deepEqual(
      got.map((r) => [r.pid, r.cpu]),
      [
        [0, 8],
        [null, null],
      ],
    );
  }
});
