// Side by side with OOMAnalyser (https://github.com/CarstenGrohmann/OOMAnalyser, MIT, read at commit
// b35dd5fb99e09294088c4d1556f22ac8bf99d462): its four shipped OOM examples
// (test/fixtures/oomanalyser, OOMDisplay.example_*) and the input variants its own test.py builds
// from them (the prefixes of LOG_PREFIXES, the journalctl form, process names with spaces, a manual
// OOM, swap off, no DMA zone, no watermarks, no task table, cgroup v1/v2 swap counters). On every
// variant klens must read what it reads from the plain example: the trigger (comm, pid, gfp mask,
// order), the victim (pid, name, its memory) and the zones (node, name, free/min/low/high), on the
// editor's path and the CLI's. Then the values OOMAnalyser's tests expect are compared with klens's;
// where the two tools disagree, a test names the kernel source that decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, ReportSequence, type Analysed } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import type { Report } from '../../server/src/core/model';
import { parseLog } from '../../server/src/core/parse';
import { createScan } from '../../server/src/cli/scan';

const DIR = join('test', 'fixtures', 'oomanalyser');
const example = (name: string): string => readFileSync(join(DIR, `example_${name}.log`), 'utf8');
const ARCH = example('archlinux_6_1_1');
const RHEL7 = example('rhel7');
const UBUNTU = example('ubuntu2110');
const PROXMOX = example('proxmox_cgroup_oom');

// test.py LOG_PREFIXES / LOG_PREFIX_IDS, as the peer spells them (two without a trailing space).
const LOG_PREFIXES: readonly [string, string][] = [
  ['timestamp-only', '[11686.888109] '],
  ['syslog-prefix', 'Apr 01 14:13:32 mysrv: '],
  ['syslog-kernel', 'Apr 01 14:13:32 mysrv kernel: '],
  ['syslog-warning', 'Apr 01 14:13:32 mysrv <kern.warning> kernel: '],
  ['syslog-kernel-timestamp', 'Apr 01 14:13:32 mysrv kernel: [11686.888109] '],
  ['kernel-only', 'kernel:'],
  ['syslog-warning-2', 'Apr 01 14:13:32 mysrv <kern.warning> kernel:'],
];

// OOMAnalyser.OOMEntity.REC_MEMINFO_BLOCK_SECOND_PART: the Mem-Info summary's lines after the
// first, which journald and dmesg print indented under the message column, without a prefix.
const MEMINFO_SECOND_PART =
  /^\s*( (?:active_file|unevictable|slab_reclaimable|mapped|sec_pagetables|kernel_misc_reclaimable|free):.+)$/;

/** BaseInBrowserTests._test_prefix_removal: the prefix before every line; with
 * `handleMeminfoSpecial` the Mem-Info summary's later lines get as many spaces instead. */
function prefixed(text: string, prefix: string, handleMeminfoSpecial: boolean): string {
  return text
    .split('\n')
    .map((line) =>
      handleMeminfoSpecial && MEMINFO_SECOND_PART.test(line)
        ? `${' '.repeat(prefix.length)}${line}`
        : `${prefix}${line}`,
    )
    .join('\n');
}

/** TestBrowserRhel7.test_040_loading_journalctl_input: rsyslog's `#012` split back into lines,
 * then `prefix + ' '` before every line but the Mem-Info summary's later ones (a single space). */
function journalctl(text: string, prefix: string): string {
  return text
    .split('\n')
    .flatMap((line) => line.split('#012'))
    .map((line) => (MEMINFO_SECOND_PART.test(line) ? line : `${prefix} ${line}`))
    .join('\n');
}

/** What klens reads of a report that the peer also reads. */
interface Reading {
  trigger: {
    comm: string | null;
    pid: number | null;
    gfp: string | null;
    printed: string | null;
    order: number | null;
  };
  victim: Report['killed'];
  zones: [number, string, number | null, number | null, number | null, number | null][];
  kernel: string | null;
  counters: Record<string, number>;
  swap: [number | null, number | null];
  ramKb: number | null;
  memcg: string | null;
  memcgCounters: [string, number | null, number | null, number | null][];
}

function readingOf(r: Report, a: ReportAnalysis): Reading {
  return {
    trigger: {
      comm: r.comm,
      pid: r.pid,
      gfp: r.gfp?.raw ?? null,
      printed: r.gfp?.printed ?? null,
      order: r.order,
    },
    victim: r.killed === null ? null : { ...r.killed, line: -1 },
    zones: r.zones.map((z) => [z.node, z.zone, z.freeKb, z.minKb, z.lowKb, z.highKb]),
    kernel: r.kernel,
    counters: Object.fromEntries(r.counters.map((c) => [c.name, c.value])),
    swap: [r.freeSwapKb, r.totalSwapKb],
    ramKb: a.memory.ramKb,
    memcg: r.oomConstraint?.memcg ?? null,
    memcgCounters: r.memcgCounters.map((c) => [c.name, c.usageKb, c.limitKb, c.failcnt]),
  };
}

/** The CLI's reading: bytes through the skipping reader in odd-sized writes, reports through
 * ReportSequence, as `klens analyze` drives them (test/core/same-reading.test.ts). */
function cliAnalyses(text: string): ReportAnalysis[] {
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item));
  const scan = createScan<Report>((r, banner) => sequence.push(r, banner));
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 4093) scan.feeder.write(bytes.subarray(at, at + 4093));
  scan.finish();
  sequence.end();
  return items.map((i) => i.analysis);
}

/** The one report of `text`, read by the parser and analysed, the CLI's analysis equal to the
 * editor's. */
function read(text: string, label: string): { reading: Reading; report: Report; analysis: ReportAnalysis } {
  const reports = parseLog(text).reports;
  const analyses = analyzeText(text).reports;
  assert.equal(reports.length, 1, `${label}: one report`);
  assert.equal(analyses.length, 1, `${label}: one analysis`);
  assert.deepEqual(cliAnalyses(text), analyses, `${label}: the CLI reads what the editor reads`);
  return { reading: readingOf(reports[0], analyses[0]), report: reports[0], analysis: analyses[0] };
}

const PLAIN = {
  archlinux: read(ARCH, 'archlinux'),
  rhel7: read(RHEL7, 'rhel7'),
  ubuntu2110: read(UBUNTU, 'ubuntu2110'),
  proxmox: read(PROXMOX, 'proxmox'),
};

// --- the fixtures' annotations (INDEX.json, written from the text) ----------------------------------

interface IndexEntry {
  file: string;
  kernel_version: string;
  events: {
    kind: string;
    header_line: number;
    comm: string;
    order: number;
    mode_raw: string;
    mode_names: string | null;
    zones: {
      node: number;
      zone: string;
      line: number;
      free_kb: number;
      min_kb: number;
      low_kb: number;
      high_kb: number;
      present_kb: number;
      managed_kb: number;
    }[];
    lowmem_reserve: (number[] | null)[];
  }[];
}

test('the four examples: every annotated fact of INDEX.json, as parse-corpus.test.ts checks corpus and extra', () => {
  const index = JSON.parse(readFileSync(join(DIR, 'INDEX.json'), 'utf8')) as IndexEntry[];
  assert.deepEqual(
    index.map((e) => e.file),
    [
      'example_archlinux_6_1_1.log',
      'example_proxmox_cgroup_oom.log',
      'example_rhel7.log',
      'example_ubuntu2110.log',
    ],
  );
  for (const entry of index) {
    const reports = parseLog(readFileSync(join(DIR, entry.file), 'utf8')).reports;
    assert.deepEqual(
      reports.map((r) => `${r.kind}@${r.line + 1}`),
      entry.events.map((e) => `${e.kind}@${e.header_line}`),
      entry.file,
    );
    entry.events.forEach((want, i) => {
      const got = reports[i];
      assert.deepEqual(
        [got.comm, got.order, got.gfp?.raw ?? null, got.gfp?.printed ?? null, got.kernel],
        [want.comm, want.order, want.mode_raw, want.mode_names, entry.kernel_version],
        entry.file,
      );
      assert.deepEqual(
        got.zones.map((z) => [
          z.node,
          z.zone,
          z.line + 1,
          z.freeKb,
          z.minKb,
          z.lowKb,
          z.highKb,
          z.presentKb,
          z.managedKb,
        ]),
        want.zones.map((z) => [
          z.node,
          z.zone,
          z.line,
          z.free_kb,
          z.min_kb,
          z.low_kb,
          z.high_kb,
          z.present_kb,
          z.managed_kb,
        ]),
        entry.file,
      );
      assert.deepEqual(
        got.zones.map((z) => z.lowmemReserve),
        want.lowmem_reserve,
        entry.file,
      );
    });
  }
});

test('the plain examples as klens reads them (the baseline of every variant below)', () => {
  assert.deepEqual(PLAIN.archlinux.reading.trigger, {
    comm: 'doxygen',
    pid: 473206,
    gfp: '0x140dca',
    printed: 'GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO',
    order: 0,
  });
  assert.deepEqual(PLAIN.archlinux.reading.victim, {
    line: -1,
    pid: 473206,
    comm: 'doxygen',
    totalVmKb: 30290680,
    anonRssKb: 9234320,
    fileRssKb: 4,
    shmemRssKb: 0,
  });
  assert.deepEqual(PLAIN.archlinux.reading.zones, [
    [0, 'DMA', 13312, 64, 80, 96],
    [0, 'DMA32', 63304, 13760, 17200, 20640],
    [0, 'Normal', 61900, 61948, 75384, 88820],
  ]);
  assert.deepEqual(PLAIN.rhel7.reading.trigger, {
    comm: 'sed',
    pid: 29481,
    gfp: '0x201da',
    printed: null,
    order: 0,
  });
  assert.deepEqual(PLAIN.rhel7.reading.victim, {
    line: -1,
    pid: 6576,
    comm: 'mysqld',
    totalVmKb: 33914892,
    anonRssKb: 20629004,
    fileRssKb: 0,
    shmemRssKb: 0,
  });
  assert.deepEqual(PLAIN.rhel7.reading.zones, [
    [0, 'DMA', 15872, 40, 48, 60],
    [0, 'DMA32', 59728, 7832, 9788, 11748],
    [0, 'Normal', 36692, 36784, 45980, 55176],
    [1, 'Normal', 49436, 45444, 56804, 68164],
  ]);
  // the Mem-Info summary joined by rsyslog's #012 escapes is read whole (check_meminfo_format_rhel7)
  assert.equal(PLAIN.rhel7.reading.counters.active_file, 1263);
  assert.equal(PLAIN.rhel7.reading.counters.free_cma, 0);
  assert.deepEqual(PLAIN.ubuntu2110.reading.trigger, {
    comm: 'kworker/0:2',
    pid: 735,
    gfp: '0xcc0',
    printed: 'GFP_KERNEL',
    order: -1,
  });
  assert.deepEqual(PLAIN.ubuntu2110.reading.victim, {
    line: -1,
    pid: 651,
    comm: 'unattended-upgr',
    totalVmKb: 108020,
    anonRssKb: 8380,
    fileRssKb: 12548,
    shmemRssKb: 0,
  });
  assert.deepEqual(PLAIN.ubuntu2110.reading.zones, [
    [0, 'DMA', 15036, 352, 440, 528],
    [0, 'DMA32', 1696528, 44700, 55872, 67044],
  ]);
  assert.deepEqual(PLAIN.proxmox.reading.trigger, {
    comm: 'php-fpm',
    pid: 3923954,
    gfp: '0x1100cca',
    printed: 'GFP_HIGHUSER_MOVABLE',
    order: 0,
  });
  assert.deepEqual(PLAIN.proxmox.reading.victim, {
    line: -1,
    pid: 3902942,
    comm: 'php-fpm',
    totalVmKb: 14740176,
    anonRssKb: 12625252,
    fileRssKb: 0,
    shmemRssKb: 156088,
  });
  assert.deepEqual(PLAIN.proxmox.reading.zones, []);
});

// --- the variants the peer's tests build --------------------------------------------------------

/** Every variant must read exactly as its plain example. */
function assertSameReading(variant: string, plain: Reading, label: string): void {
  const { reading } = read(variant, label);
  assert.deepEqual(reading.trigger, plain.trigger, `${label}: trigger`);
  assert.deepEqual(reading.victim, plain.victim, `${label}: victim`);
  assert.deepEqual(reading.zones, plain.zones, `${label}: zones`);
  assert.deepEqual(reading, plain, `${label}: everything else read`);
}

// TestBroswerArchLinux / TestBrowserRhel7.test_030_removal_of_leading_but_useless_columns (the peer
// builds them for the ArchLinux example with handle_meminfo_special=True and for RHEL7 with False);
// the same prefixes on the Ubuntu 21.10 example (multi-line Mem-Info, like ArchLinux's) as well.
for (const [id, prefix] of LOG_PREFIXES) {
  test(`test_030 ${id} (${JSON.stringify(prefix)}): ArchLinux, RHEL7 and Ubuntu 21.10 read as without it`, () => {
    assertSameReading(prefixed(ARCH, prefix, true), PLAIN.archlinux.reading, `archlinux ${id}`);
    assertSameReading(prefixed(RHEL7, prefix, false), PLAIN.rhel7.reading, `rhel7 ${id}`);
    assertSameReading(prefixed(UBUNTU, prefix, true), PLAIN.ubuntu2110.reading, `ubuntu2110 ${id}`);
  });
}

test('test_040_loading_journalctl_input: RHEL7 with #012 split and the Mem-Info lines unprefixed', () => {
  for (const prefix of ['Apr 01 14:13:32 mysrv <kern.warning> kernel:', '[1234567.654321]'])
    assertSameReading(journalctl(RHEL7, prefix), PLAIN.rhel7.reading, `journalctl ${prefix}`);
});

test('the prefixes carry the time and the host: syslog-prefix and syslog-warning read host mysrv', () => {
  for (const [id, prefix] of LOG_PREFIXES) {
    const { analysis } = read(prefixed(ARCH, prefix, true), id);
    const expected: Record<string, [string | null, string | null]> = {
      'timestamp-only': ['11686.888109', null],
      'syslog-prefix': ['Apr 01 14:13:32', 'mysrv'],
      'syslog-kernel': ['Apr 01 14:13:32', 'mysrv'],
      'syslog-warning': ['Apr 01 14:13:32', 'mysrv'],
      'syslog-kernel-timestamp': ['Apr 01 14:13:32', 'mysrv'],
      'kernel-only': [null, null],
      'syslog-warning-2': ['Apr 01 14:13:32', 'mysrv'],
    };
    assert.deepEqual([analysis.time, analysis.host], expected[id], id);
  }
});

test('test_050_trigger_proc_space / test_060_kill_proc_space: process names with spaces', () => {
  // the peer replaces every "sed" (resp. "mysqld") of the example
  const trigger = read(RHEL7.replaceAll('sed', 'VM Monitoring Task'), 'trigger with spaces').reading;
  assert.deepEqual(trigger, {
    ...PLAIN.rhel7.reading,
    trigger: { ...PLAIN.rhel7.reading.trigger, comm: 'VM Monitoring Task' },
  });
  const victim = read(RHEL7.replaceAll('mysqld', 'VM Monitoring Task'), 'victim with spaces').reading;
  assert.deepEqual(victim, {
    ...PLAIN.rhel7.reading,
    victim: { ...PLAIN.rhel7.reading.victim!, comm: 'VM Monitoring Task' },
  });
});

test('test_020_killed_proc_space: the kill lines with a simple, spaced, kworker and hyphenated name', () => {
  // The peer replaces "sed" in the example's last two lines, which name mysqld only (its test
  // matches the unchanged lines); here the victim's name itself is replaced.
  for (const name of ['sed', 'VM Monitoring Task', 'kworker/0:1', 'php-fpm']) {
    const { reading } = read(RHEL7.replaceAll('mysqld', name), name);
    assert.deepEqual(reading.victim, { ...PLAIN.rhel7.reading.victim!, comm: name }, name);
    assert.deepEqual(reading.trigger, PLAIN.rhel7.reading.trigger, name);
  }
});

test('test_070_manually_triggered_OOM: order=-1 read as such, nothing else changes', () => {
  const { reading, analysis } = read(RHEL7.replace('order=0', 'order=-1'), 'order=-1');
  assert.deepEqual(reading, {
    ...PLAIN.rhel7.reading,
    trigger: { ...PLAIN.rhel7.reading.trigger, order: -1 },
  });
  // no allocation to replay (SysRq f prints order=-1: mm/oom_kill.c is_sysrq_oom)
  assert.equal(analysis.replay.allocFlagsText, '');
  assert.equal(PLAIN.ubuntu2110.analysis.replay.allocFlagsText, '');
});

test('test_080_swap_deactivated: Total swap = 0kB, then the swap lines removed', () => {
  const off = read(RHEL7.replace('Total swap = 8388604kB', 'Total swap = 0kB'), 'swap 0').reading;
  assert.deepEqual(off, { ...PLAIN.rhel7.reading, swap: [0, 0] });
  const gone = RHEL7.replace(/\d+ pages in swap cac.*\n*/, '')
    .replace(/Swap cache stats.*\n*/, '')
    .replace(/Free swap.*\n*/, '')
    .replace(/Total swap.*\n*/, '');
  assert.deepEqual(read(gone, 'no swap lines').reading, { ...PLAIN.rhel7.reading, swap: [null, null] });
});

test('test_036_missing_process_table: vm.oom_dump_tasks=0 changes nothing klens reads here', () => {
  const noTasks = RHEL7.replace(/^\[\s*(?:pid|\d+)\s*\].*\n/gm, '');
  assertSameReading(noTasks, PLAIN.rhel7.reading, 'no task table');
});

test('test_107_oom_without_dma_zone: the other zones read with their values', () => {
  for (const [name, text, plain] of [
    ['archlinux', ARCH, PLAIN.archlinux.reading],
    ['rhel7', RHEL7, PLAIN.rhel7.reading],
    ['ubuntu2110', UBUNTU, PLAIN.ubuntu2110.reading],
  ] as const) {
    const { reading, analysis } = read(text.replace(/^Node \d+ DMA[ :].*\n/gm, ''), `${name} without DMA`);
    assert.deepEqual(
      reading.zones,
      plain.zones.filter((z) => z[1] !== 'DMA'),
      name,
    );
    assert.deepEqual([reading.trigger, reading.victim], [plain.trigger, plain.victim], name);
    // the page size still comes from a buddy line (the peer: not guessed)
    assert.deepEqual([analysis.memory.pageSizeKb, analysis.memory.pageSizeAssumed], [4, false], name);
  }
});

test('test_125_fragmentation_without_watermarks: no zone lines, the buddy lines still read', () => {
  const { reading, analysis } = read(
    RHEL7.replace(/^(?:Node \d+ (?:DMA|DMA32|Normal) free:|lowmem_reserve\[\]:).*\n/gm, ''),
    'no watermarks',
  );
  assert.deepEqual(reading.zones, []);
  assert.deepEqual(
    [reading.trigger, reading.victim],
    [PLAIN.rhel7.reading.trigger, PLAIN.rhel7.reading.victim],
  );
  assert.equal(analysis.buddy.length, 4);
});

test('TestBrowserProxmoxCgroupOom test_030..test_060: cgroup v1/v2 swap counters, limited and unlimited', () => {
  const base = PLAIN.proxmox.reading;
  assert.deepEqual(base.memcg, '/lxc/39004');
  assert.deepEqual(base.memcgCounters, [
    ['memory', 31211520, 31211520, 83420],
    ['swap', 0, 0, 0],
  ]);
  // CGROUP_SWAP_LIMIT_UNLIMITED_KB_64: PAGE_COUNTER_MAX in kB (include/linux/page_counter.h)
  const unlimited = 9007199254740988;
  const cases: [string, string, string, [string, number, number, number]][] = [
    [
      'test_030 v1',
      'swap: usage 0kB, limit 0kB, failcnt 0',
      'memory+swap: usage 33308672kB, limit 35405824kB, failcnt 100',
      ['memory+swap', 33308672, 35405824, 100],
    ],
    [
      'test_040 v2',
      'swap: usage 0kB, limit 0kB',
      'swap: usage 2097152kB, limit 4194304kB',
      ['swap', 2097152, 4194304, 0],
    ],
    [
      'test_050 v1 unlimited',
      'swap: usage 0kB, limit 0kB, failcnt 0',
      `memory+swap: usage 0kB, limit ${unlimited}kB, failcnt 0`,
      ['memory+swap', 0, unlimited, 0],
    ],
    [
      'test_060 v2 unlimited',
      'swap: usage 0kB, limit 0kB',
      `swap: usage 0kB, limit ${unlimited}kB`,
      ['swap', 0, unlimited, 0],
    ],
  ];
  for (const [label, from, to, counter] of cases) {
    const { reading } = read(PROXMOX.replace(from, to), label);
    assert.deepEqual(reading, { ...base, memcgCounters: [base.memcgCounters[0], counter] }, label);
  }
});

test('test_050_extract_kernel_version / test_060_choosing_kernel_config: the release from the CPU line', () => {
  for (const [line, release, pid] of [
    [
      'CPU: 0 PID: 19163 Comm: kworker/0:0 Tainted: G           OE     5.4.0-80-lowlatency #90~18.04.1-Ubuntu',
      '5.4.0-80-lowlatency',
      19163,
    ],
    [
      'CPU: 4 PID: 1 Comm: systemd Not tainted 3.10.0-1062.9.1.el7.x86_64 #1',
      '3.10.0-1062.9.1.el7.x86_64',
      1,
    ],
    // 6.11+ dump_stack_print_info prints the UID (the peer's KernelConfig_6_11 case)
    ['CPU: 4 UID: 123456 PID: 29481 Comm: sed Not tainted 6.12.0 #1', '6.12.0', 29481],
  ] as const) {
    const { report } = read(RHEL7.replace(/^CPU: .*$/m, line), release);
    assert.deepEqual([report.kernel, report.pid], [release, pid], release);
  }
});

test('test_034/test_035: only the beginning is a cut report; only the end is none (the peer refuses both)', () => {
  const begin = [
    'sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
    'sed cpuset=/ mems_allowed=0-1',
    'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
    '        ',
  ].join('\n');
  const { report } = read(begin, 'begin only');
  assert.deepEqual(
    [report.comm, report.pid, report.order, report.gfp?.raw, report.killed, report.truncated],
    ['sed', 29481, 0, '0x201da', null, true],
  );
  const end = [
    'Out of memory: Kill process 6576 (java) score 651 or sacrifice child',
    'Killed process 6576 (java) total-vm:33914892kB, anon-rss:20629004kB, file-rss:0kB, shmem-rss:0kB',
    '        ',
  ].join('\n');
  assert.equal(parseLog(end).reports.length, 0);
});

// --- the values the peer's tests expect ---------------------------------------------------------

test('values OOMAnalyser extracts and its tests expect, read by klens alike', () => {
  // check_results: gfp_mask, proc_name, proc_pid, swap_free_kb, swap_total_kb, the first
  // watermark line; check_explanation_section: physical memory = `pages RAM` × page size
  const a = PLAIN.archlinux;
  assert.deepEqual(
    [a.reading.trigger.gfp, a.reading.trigger.printed],
    ['0x140dca', 'GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO'],
  );
  assert.deepEqual([a.reading.trigger.comm, a.reading.trigger.pid], ['doxygen', 473206]);
  assert.deepEqual(a.reading.swap, [84, 25165820]);
  assert.equal(a.reading.ramKb, 16461600);
  const r = PLAIN.rhel7;
  // "0x201da (GFP_HIGHUSER_MOVABLE | __GFP_COLD)": decoded from the hex alone (3.10 layout)
  assert.deepEqual(r.analysis.gfp?.names, ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  assert.deepEqual([r.reading.trigger.comm, r.reading.trigger.pid], ['sed', 29481]);
  assert.deepEqual(r.reading.swap, [0, 8388604]);
  assert.equal(r.reading.ramKb, 33519336);
  const u = PLAIN.ubuntu2110;
  assert.deepEqual([u.reading.trigger.gfp, u.reading.trigger.printed], ['0xcc0', 'GFP_KERNEL']);
  // swap_inactive: Total swap = 0kB
  assert.deepEqual(u.reading.swap, [0, 0]);
  assert.equal(u.reading.ramKb, 2096632);
  // Proxmox: 'The process "php-fpm" (PID 3902942) has been terminated. It uses 12781340 kBytes
  // of the resident memory.' (anon-rss + file-rss + shmem-rss of the kill line)
  const k = PLAIN.proxmox.reading.victim!;
  assert.deepEqual(
    [k.comm, k.pid, k.anonRssKb! + k.fileRssKb! + k.shmemRssKb!],
    ['php-fpm', 3902942, 12781340],
  );
  // cgroup swap disabled: `swap: usage 0kB, limit 0kB` (the peer: "Swap space usage is disabled")
  assert.deepEqual(PLAIN.proxmox.reading.memcgCounters[1], ['swap', 0, 0, 0]);
  // the peer's cgroup_path is `Memory cgroup stats for /lxc/39004:`; klens reads the same cgroup
  // from the oom-kill line's oom_memcg=
  assert.equal(PLAIN.proxmox.reading.memcg, '/lxc/39004');
});

test('test_090 / test_100 / test_105 / test_110a / test_120 / test_130: RHEL7 buddy lists, watermarks, page size', () => {
  const a = PLAIN.rhel7.analysis;
  const buddy = (node: number, zone: string) =>
    a.buddy.find((b) => b.parsed.node === node && b.parsed.zone === zone)!;
  const count = (node: number, zone: string, order: number) => buddy(node, zone).parsed.orders[order].count;
  // test_090_extract_zoneinfo
  assert.equal(count(0, 'Normal', 6) + count(1, 'Normal', 6), 2);
  assert.deepEqual([count(0, 'Normal', 0), count(1, 'Normal', 0)], [1231, 2245]);
  assert.equal(count(0, 'Normal', 0) + count(1, 'Normal', 0), 3476);
  assert.equal(count(0, 'DMA', 5), 1);
  assert.equal(count(0, 'DMA32', 4), 157);
  assert.deepEqual([buddy(0, 'Normal').parsed.totalKb, buddy(1, 'Normal').parsed.totalKb], [38260, 50836]);
  // test_100_extract_zoneinfo (the zone lines: PLAIN above) and its trigger_proc_numa_node 0: the
  // first node whose Normal zone has free < min
  assert.deepEqual(
    a.zones.filter((z) => z.parsed.zone === 'Normal').map((z) => [z.parsed.node, z.state]),
    [
      [0, 'below_min'],
      [1, 'below_low'],
    ],
  );
  // test_105_max_order: 11 orders per buddy line
  assert.ok(a.buddy.every((b) => b.parsed.orders.length === 11));
  // test_110a_check_free_chunks / test_120_fragmentation: a free block of the order or larger
  const hasChunk = (zone: string, order: number, node: number) => buddy(node, zone).largestOrder! >= order;
  const expected: [string, number, number, boolean][] = [
    ['DMA', 0, 0, true],
    ['DMA', 6, 0, true],
    ['DMA32', 0, 0, true],
    ['DMA32', 10, 0, false],
    ['Normal', 0, 0, true],
    ['Normal', 0, 1, true],
    ['Normal', 6, 0, false],
    ['Normal', 6, 1, true],
    ['Normal', 7, 0, false],
    ['Normal', 7, 1, true],
    ['Normal', 9, 0, false],
    ['Normal', 9, 1, false],
    // test_120: PAGE_ALLOC_COSTLY_ORDER (3) in node 0 Normal: not fragmented
    ['Normal', 3, 0, true],
  ];
  for (const [zone, order, node, want] of expected)
    assert.equal(hasChunk(zone, order, node), want, `${zone} ${order} ${node}`);
  // test_130_page_size
  assert.deepEqual([a.memory.pageSizeKb, a.memory.pageSizeAssumed], [4, false]);
});

// --- where the two tools disagree, and the kernel source that decides ---------------------------

/** `%lu pages in swap cache` (mm/swap_state.c show_swap_cache_info), read from the text: klens does
 * not read this line (it only documents the difference below). */
function swapCachePages(text: string): number {
  return Number(/^(\d+) pages in swap cache$/m.exec(text)![1]);
}

test('disagreement: used swap. OOMAnalyser: total − free − swap cache; the kernel: total − free', () => {
  // OOMAnalyser._calc_swap_values: "SwapUsed = SwapTotal - SwapFree - SwapCache", so its tests
  // expect swap_used_kb 25066284 (ArchLinux) and 8343236 (RHEL7).
  // The kernel (5.15 mm/swap_state.c show_swap_cache_info) prints `Free swap` as
  // get_nr_swap_pages(): mm/swapfile.c get_swap_pages() takes a slot out of nr_swap_pages when it
  // hands it out, add_to_swap() then puts the page into the swap cache holding that slot, and the
  // slot comes back (swap_range_free) only when it is freed. A swap-cache page's slot is therefore
  // in use and already outside `Free swap`; /proc/meminfo's SwapFree (si_swapinfo) counts the same
  // way, and SwapCached is RAM that also has a copy on swap. Slots in use = Total − Free.
  for (const [name, text, reading, peerUsed] of [
    ['archlinux', ARCH, PLAIN.archlinux.reading, 25066284],
    ['rhel7', RHEL7, PLAIN.rhel7.reading, 8343236],
  ] as const) {
    const [free, total] = reading.swap;
    const used = total! - free!;
    const cacheKb = swapCachePages(text) * 4;
    assert.equal(used - cacheKb, peerUsed, name);
    assert.notEqual(used, peerUsed, name);
  }
  assert.deepEqual(
    [PLAIN.archlinux.reading.swap[1]! - PLAIN.archlinux.reading.swap[0]!, swapCachePages(ARCH) * 4],
    [25165736, 99452],
  );
});

test('disagreement: the watermark the failed check used. OOMAnalyser: low; the kernel: high (last attempt)', () => {
  // OOMAnalyser._analyse_alloc_failure compares the zone's free memory with its `low` watermark
  // (+ lowmem_reserve) on the first node whose free < min, and its tests expect "The request failed
  // because the free memory would be below the memory low watermark" (FAILED_BELOW_LOW_WATERMARK)
  // for ArchLinux and RHEL7.
  // The kernel (5.15 mm/page_alloc.c; the same since 2.6.31) tries the free lists at low only on the
  // fast path (__alloc_pages: ALLOC_WMARK_LOW), the slow path at min (gfp_to_alloc_flags:
  // ALLOC_WMARK_MIN), and calls out_of_memory only after __alloc_pages_may_oom's own attempt fails
  // with ALLOC_WMARK_HIGH|ALLOC_CPUSET ("keep very high watermark here, this is only to catch a
  // parallel oom killing"). The zones printed after that attempt are read against high.
  for (const [name, p] of [
    ['archlinux', PLAIN.archlinux],
    ['rhel7', PLAIN.rhel7],
  ] as const) {
    assert.deepEqual(
      [p.analysis.replay.mark, p.analysis.replay.allocFlagsText],
      ['high', 'ALLOC_WMARK_HIGH|ALLOC_CPUSET'],
      name,
    );
    assert.ok(
      p.analysis.zones.every((z) => z.check?.result === 'fail'),
      `${name}: every zone fails the last attempt`,
    );
  }
  // RHEL7 node 1 Normal: free 49436 kB is above min (45444) and below low (56804) and high (68164);
  // the peer looks at node 0 only (the first with free < min).
  const node1 = PLAIN.rhel7.analysis.zones.find((z) => z.parsed.node === 1)!;
  assert.deepEqual([node1.parsed.freeKb, node1.state, node1.check?.result], [49436, 'below_low', 'fail']);
});

test('disagreement: the class zone of a 6.1 GFP_HIGHUSER_MOVABLE request. OOMAnalyser: Normal; the kernel: Movable', () => {
  // OOMAnalyser._calc_trigger_process_values: no __GFP_DMA/__GFP_DMA32 → "Normal", and
  // lowmem_reserve is read at that zone's index (2).
  // The kernel (5.15 mm/page_alloc.c prepare_alloc_pages: ac->highest_zoneidx = gfp_zone(gfp_mask);
  // __zone_watermark_ok: free <= min + z->lowmem_reserve[highest_zoneidx]) uses gfp_zone() itself,
  // ZONE_MOVABLE for __GFP_HIGHMEM|__GFP_MOVABLE, even when that zone is empty (klens: eras.ts,
  // classzone 'gfp-zone' from 5.10); 3.10 used the preferred zone (the highest populated one,
  // Normal), and both tools agree there.
  assert.equal(PLAIN.archlinux.analysis.replay.classzone, 'Movable');
  assert.equal(PLAIN.rhel7.analysis.replay.classzone, 'Normal');
  // Here the outcome is the same: every ArchLinux zone's lowmem_reserve is equal at Normal's index
  // (2) and Movable's (4).
  for (const z of PLAIN.archlinux.report.zones)
    assert.equal(z.lowmemReserve![2], z.lowmemReserve![4], z.zone);
});
