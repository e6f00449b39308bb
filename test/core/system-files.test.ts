// Issue #15, the system's own files: `sysctl -a` / sysctl.conf, /proc/zoneinfo and /proc/buddyinfo
// read by the core (test/fixtures/system: a Linux 6.18 machine's own files, and published ones of
// older kernels), and a SystemState given to the analysis replacing what the report alone infers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSysctlText, sysctlKey, sysctlValues } from '../../server/src/core/sysctl-file';
import { parseZoneinfo, zonePages } from '../../server/src/core/zoneinfo';
import { freePagesAtOrder, largestFreeOrder, parseBuddyinfo } from '../../server/src/core/buddyinfo';
import {
  knownSysctlInt,
  knownSysctlInts,
  systemStateFrom,
  systemStateText,
  type SystemState,
} from '../../server/src/core/system-state';
import { analyzeText, ReportSequence } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { renderReportText } from '../../server/src/core/render-text';
import { growth } from './linear-time';
import { parseMeminfo } from '../../server/src/core/meminfo';

const sys = (name: string): string => readFileSync(join('test', 'fixtures', 'system', name), 'utf8');
const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');

test('sysctl -a of a 6.18 machine: 1305 settings, the vm.* values as printed', () => {
  const { entries, problems } = parseSysctlText(sys('sysctl-a-6.18.txt'));
  assert.equal(entries.length, 1305);
  assert.deepEqual(problems, []);
  const values = sysctlValues(entries);
  assert.equal(values.get('vm.min_free_kbytes'), '67584');
  assert.equal(values.get('vm.lowmem_reserve_ratio'), '256\t256\t32\t0\t0');
  assert.equal(values.get('vm.watermark_scale_factor'), '10');
  assert.equal(values.get('vm.page-cluster'), '3');
  const mfk = entries.find((e) => e.key === 'vm.min_free_kbytes')!;
  assert.deepEqual([mfk.keyStart, mfk.keyEnd, mfk.valueStart, mfk.valueEnd], [0, 18, 21, 26]);
  const state = systemStateFrom({ sysctl: sys('sysctl-a-6.18.txt') }, 'sysctl -a');
  assert.equal(knownSysctlInt(state, 'vm.min_free_kbytes'), 67584);
  assert.deepEqual(knownSysctlInts(state, 'vm.lowmem_reserve_ratio'), [256, 256, 32, 0, 0]);
  assert.equal(knownSysctlInt(state, 'vm.no_such_key'), null);
  assert.equal(knownSysctlInt(undefined, 'vm.min_free_kbytes'), null);
});

test('sysctl.d syntax: key=value, comments, the - prefix, slash keys, stray lines', () => {
  const text = [
    '# /etc/sysctl.d/90-vm.conf',
    '; a comment too',
    'vm.min_free_kbytes=90112',
    '  -vm.zone_reclaim_mode = 1',
    'kernel/domainname = example.com',
    'net/ipv4/conf/enp3s0.200/forwarding = 1',
    'vm.swappiness = 10',
    'vm.swappiness = 20',
    'sysctl: permission denied on key "fs.protected_hardlinks"',
    'just words',
    '',
  ].join('\r\n');
  const { entries, problems } = parseSysctlText(text);
  assert.deepEqual(
    entries.map((e) => [e.key, e.value, e.line, e.ignoreFailure]),
    [
      ['vm.min_free_kbytes', '90112', 2, false],
      ['vm.zone_reclaim_mode', '1', 3, true],
      ['kernel.domainname', 'example.com', 4, false],
      ['net.ipv4.conf.enp3s0/200.forwarding', '1', 5, false],
      ['vm.swappiness', '10', 6, false],
      ['vm.swappiness', '20', 7, false],
    ],
  );
  const zrm = entries[1];
  assert.deepEqual([zrm.keyStart, zrm.keyEnd, zrm.valueStart, zrm.valueEnd], [3, 23, 26, 27]);
  assert.equal(sysctlValues(entries).get('vm.swappiness'), '20');
  assert.deepEqual(
    problems.map((p) => [p.line, p.message]),
    [
      [8, 'a message of sysctl(8), not a setting'],
      [9, 'no `=`: not a `key = value` setting (sysctl.d(5))'],
    ],
  );
  assert.equal(sysctlKey('vm.min_free_kbytes'), 'vm.min_free_kbytes');
  assert.equal(sysctlKey('vm/min_free_kbytes'), 'vm.min_free_kbytes');
});

test('/proc/zoneinfo of a 6.18 machine: five zones, watermarks, boost, promo, protection, per-node stats', () => {
  const zones = parseZoneinfo(sys('zoneinfo-6.18'));
  assert.deepEqual(
    zones.map((z) => [z.node, z.zone, z.line]),
    [
      [0, 'DMA', 0],
      [0, 'DMA32', 98],
      [0, 'Normal', 144],
      [0, 'Movable', 190],
      [0, 'Device', 202],
    ],
  );
  const normal = zones[2];
  assert.deepEqual(
    ['free', 'boost', 'min', 'low', 'high', 'promo', 'spanned', 'present', 'managed', 'cma'].map((f) =>
      zonePages(normal, f as Parameters<typeof zonePages>[1]),
    ),
    [859849, 0, 12223, 15278, 18333, 21388, 5505024, 5505024, 2031616, 0],
  );
  assert.deepEqual(zones[0].protection?.values, [0, 3018, 10954, 10954, 10954]);
  assert.deepEqual(zones[1].protection?.values, [0, 0, 7936, 7936, 7936]);
  assert.equal(zones[0].protection?.line, 63);
  // per-node stats print under the node's first populated zone only (4.8+)
  assert.equal(zones[0].nodeStats?.get('nr_inactive_file')?.value, 516791);
  assert.equal(zones[1].nodeStats, null);
  assert.equal(zones[2].counters.get('nr_free_pages')?.value, 859849);
  // Movable and Device are unpopulated: the kernel stops after protection
  assert.equal(zones[3].endLine, 201);
  assert.equal(zones[3].counters.size, 0);
  // Σ min of the lowmem zones × 4 kB: 67580 kB, the 67584 kB of vm.min_free_kbytes less the
  // per-zone truncation of __setup_per_zone_wmarks
  assert.equal(
    (zonePages(zones[0], 'min')! + zonePages(zones[1], 'min')! + zonePages(normal, 'min')!) * 4,
    67580,
  );
  const min = zones[1].fields.get('min')!;
  assert.deepEqual([min.line, min.nameStart, min.start, min.end], [101, 8, 17, 21]);
});

test('/proc/zoneinfo of 2.6.14 (LKML attachment): scanned (a: i:), pagesets with low:, all_unreclaimable', () => {
  const zones = parseZoneinfo(sys('zoneinfo-2.6.14'));
  assert.deepEqual(
    zones.map((z) => [
      z.zone,
      zonePages(z, 'free'),
      zonePages(z, 'min'),
      zonePages(z, 'low'),
      zonePages(z, 'high'),
    ]),
    [
      ['DMA', 1370, 17, 21, 25],
      ['Normal', 11121, 939, 1173, 1408],
      ['HighMem', 30, 32, 40, 48],
    ],
  );
  assert.deepEqual(
    zones.map((z) => z.protection?.values),
    [
      [0, 880, 998],
      [0, 0, 948],
      [0, 0, 0],
    ],
  );
  // the pagesets' `high:  6` is no zone watermark; no managed before 3.8
  assert.equal(zonePages(zones[0], 'high'), 25);
  assert.equal(zonePages(zones[0], 'managed'), null);
  assert.equal(zonePages(zones[0], 'scanned'), 0);
  assert.equal(zones[0].unreclaimable?.value, 0);
  assert.equal(zones[2].startPfn?.value, 229376);
});

test('/proc/buddyinfo of a 6.18 machine: counts per order, the largest order free', () => {
  const zones = parseBuddyinfo(sys('buddyinfo-6.18'));
  assert.deepEqual(
    zones.map((z) => [z.node, z.zone, z.counts.length, largestFreeOrder(z)]),
    [
      [0, 'DMA', 11, 10],
      [0, 'DMA32', 11, 10],
      [0, 'Normal', 11, 10],
    ],
  );
  assert.deepEqual(zones[2].counts, [13585, 7888, 2676, 3397, 2309, 1614, 944, 480, 160, 45, 506]);
  assert.equal(freePagesAtOrder(zones[2], 9), 45 * 512 + 506 * 1024);
  assert.deepEqual([zones[2].countStarts[0], zones[2].countEnds[0]], [23, 28]);
});

const machine = (): SystemState =>
  systemStateFrom({ sysctl: sys('sysctl-a-6.18.txt') }, 'sysctl -a of the test machine');

test('a known vm.min_free_kbytes replaces the inferred one in the analysis, the suggestion and the text', () => {
  const log = corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  const plain = analyzeText(log).reports[0];
  const known = analyzeText(log, { system: machine() }).reports[0];
  assert.equal(plain.memory.minFreeKnown, undefined);
  assert.deepEqual(known.memory.minFreeKnown, { kb: 67584, source: 'sysctl -a of the test machine' });
  assert.equal(known.memory.minFreeInferredKb, 67580);
  assert.match(
    known.memory.minFreeInterpretation ?? '',
    /^vm\.min_free_kbytes = 67584 kB in the system's sysctl \(sysctl -a of the test machine\), not inferred; the report's zone mins agree \(67580–67591 kB\)/,
  );
  const mfk = known.remedies.find((r) => r.id === 'min_free_kbytes')!;
  assert.equal(mfk.sysctl?.value, '135168');
  assert.match(
    mfk.sysctl?.comment ?? '',
    /# current: 67584 kB \(vm\.min_free_kbytes in the system's sysctl \(sysctl -a of the test machine\), not inferred; the report's Σ zone min 84 \+ 15860 \+ 51636 = 67580 kB\)/,
  );
  assert.match(mfk.sysctl?.comment ?? '', /value = max\(2 × 67584 = 135168,/);
  const plainMfk = plain.remedies.find((r) => r.id === 'min_free_kbytes')!;
  assert.equal(plainMfk.sysctl?.value, '135160');
  assert.match(plainMfk.sysctl?.comment ?? '', /# current ≈ 67580 kB = Σ zone min/);
  const wsf = known.remedies.find((r) => r.id === 'watermark_scale_factor')!;
  assert.match(
    wsf.sysctl?.comment ?? '',
    /effective factor ≈ 14 \(default 10\); current: 10 \(vm\.watermark_scale_factor in the system's sysctl/,
  );
  assert.equal(wsf.sysctl?.value, '20');
  assert.equal(plain.remedies.find((r) => r.id === 'watermark_scale_factor')?.sysctl?.value, '28');
  const ratio = known.remedies.find((r) => r.id === 'lowmem_reserve_ratio')!;
  assert.match(
    ratio.sysctl?.comment ?? '',
    /# current: DMA 256, DMA32 256, Normal 32, Movable 0, Device 0 \(top zone: changes nothing\), from vm\.lowmem_reserve_ratio in the system's sysctl \(sysctl -a of the test machine\), not inferred = "256 256 32 0 0"/,
  );
  const text = renderReportText(known).join('\n');
  assert.match(
    text,
    /min_free_kbytes: 67584 kB \(the system's sysctl, sysctl -a of the test machine; not inferred\) · the report's Σ zone min: 84 \+ 15860 \+ 51636 = 67580 kB/,
  );
});

test('a known value the report disagrees with is stated, and the difference named', () => {
  const log = corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  const state = systemStateFrom(
    { sysctl: 'vm.min_free_kbytes = 90112\nvm.zone_reclaim_mode = 0\n' },
    'etc/sysctl.conf',
  );
  const a = analyzeText(log, { system: state }).reports[0];
  assert.equal(
    a.memory.minFreeInterpretation,
    "vm.min_free_kbytes = 90112 kB in the system's sysctl (etc/sysctl.conf), not inferred; the report's zone mins point to 67580–67591 kB, so the value was different when the report was printed (changed since)",
  );
  const mfk = a.remedies.find((r) => r.id === 'min_free_kbytes')!;
  assert.equal(mfk.sysctl?.value, '180224');
});

test('the system state reaches every report of a ReportSequence, with or without a printed release', () => {
  const parsed = parseLog(corpus('002-syslog-wrapped-5.13-webcontent.log'));
  const seen: (number | undefined)[] = [];
  const seq = new ReportSequence((item) => seen.push(item.analysis.memory.minFreeKnown?.kb), {
    system: machine(),
  });
  for (const r of parsed.reports) seq.push(r, parsed.kernelRelease);
  seq.end();
  assert.ok(seen.length > 0);
  assert.deepEqual(new Set(seen), new Set([67584]));
  const compaction = analyzeText(corpus('002-syslog-wrapped-5.13-webcontent.log'), {
    system: machine(),
  }).reports[0].remedies.find((r) => r.id === 'compaction_proactiveness')!;
  assert.match(
    compaction.sysctl?.comment ?? '',
    /# current: 20 \(vm\.compaction_proactiveness in the system's sysctl \(sysctl -a of the test machine\), not inferred\)/,
  );
});

test('systemStateText: the zoneinfo and buddyinfo as "the state when taken", one line per populated zone', () => {
  const state = systemStateFrom(
    { zoneinfo: sys('zoneinfo-6.18'), buddyinfo: sys('buddyinfo-6.18') },
    'proc/ of sosreport-db1',
  );
  assert.deepEqual(systemStateText(state), [
    'The state when proc/ of sosreport-db1 was taken (pages of 4 kB):',
    '  Node 0 DMA: free 15360 kB, min 92 kB / low 112 kB / high 132 kB: above high · largest free block order 10',
    '  Node 0 DMA32: free 3091392 kB, min 18596 kB / low 23244 kB / high 27892 kB: above high · largest free block order 10',
    '  Node 0 Normal: free 3439396 kB, min 48892 kB / low 61112 kB / high 73332 kB: above high · largest free block order 10',
  ]);
  const old = systemStateFrom({ zoneinfo: sys('zoneinfo-2.6.14') }, 'zoneinfo');
  assert.equal(
    systemStateText(old)[3],
    '  Node 0 HighMem: free 120 kB, min 128 kB / low 160 kB / high 192 kB: at or below min',
  );
  assert.deepEqual(systemStateText(systemStateFrom({ sysctl: 'vm.swappiness = 10' }, 'x')), []);
});

test('hostile input: no exception, no number beyond 2^53, long lines skipped, linear time', () => {
  const huge = '9'.repeat(40);
  assert.deepEqual(parseBuddyinfo(`Node 0, zone Normal ${huge} 1 2\n`), []);
  // counts whose Σ count × 2^order is beyond 2^53 are no machine's
  assert.deepEqual(parseBuddyinfo(`Node 0, zone Normal ${'9007199254740991 '.repeat(12)}\n`), []);
  assert.deepEqual(parseBuddyinfo('Node 5000, zone DMA 1 2 3\n'), []);
  const zi = parseZoneinfo(
    `Node 0, zone Normal\n  pages free     ${huge}\n        min      7\n        protection: (0, ${huge})\n`,
  );
  assert.equal(zi.length, 1);
  assert.equal(zonePages(zi[0], 'free'), null);
  assert.equal(zonePages(zi[0], 'min'), 7);
  assert.equal(zi[0].protection, null);
  const long = 'vm.x = ' + 'a'.repeat(70_000);
  assert.deepEqual(
    parseSysctlText(long).problems.map((p) => p.message),
    ['line too long for a sysctl setting'],
  );
  // many lines: every one read once
  const many = (n: number) => 'Node 0, zone Normal ' + '1 '.repeat(11) + '\n'.repeat(1) + ' x\n'.repeat(n);
  assert.equal(parseBuddyinfo(many(40_000)).length, 1);
  assert.equal(parseZoneinfo('Node 0, zone DMA\n' + '  nr_x 1\n'.repeat(40_000))[0].counters.size, 1);
});

test('the three readers grow linearly with long runs of digits and blanks (time(4N)/time(N), no threshold on time)', () => {
  const digits = (n: number) => `Node 0, zone Normal ${'1 '.repeat(n)}x\n`.repeat(20);
  assert.ok(growth(digits, 500, (t) => parseBuddyinfo(t)) < 10);
  const blanks = (n: number) =>
    `Node 0, zone DMA\n  pages free${' '.repeat(n)}1x\n        protection: (${'0, '.repeat(n)}x\n`;
  assert.ok(growth(blanks, 500, (t) => parseZoneinfo(t)) < 10);
  const keys = (n: number) => `${'a.'.repeat(n)}= ${' '.repeat(n)}1\n`.repeat(20);
  assert.ok(growth(keys, 2000, (t) => parseSysctlText(t)) < 10);
});

test('/proc/meminfo of the 6.18 machine: MemTotal and the free figures, in kB', () => {
  const m = parseMeminfo(sys('meminfo-6.18'));
  assert.equal(m.get('MemTotal'), 24683784);
  assert.equal(m.get('HugePages_Total'), 0);
  assert.equal(m.get('Hugepagesize'), 2048);
  const state = systemStateFrom({ meminfo: sys('meminfo-6.18') }, 'proc/meminfo');
  assert.match(
    systemStateText(state)[1],
    /^ {2}MemTotal 24683784 kB · MemFree \d+ kB · MemAvailable \d+ kB$/,
  );
});

test('the system ratio beside the one inferred from lowmem_reserve[]: agreeing on 6.19, unmapped on a 3-zone 3.4 layout', () => {
  const a = analyzeText(corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log'), { system: machine() }).reports[0];
  assert.deepEqual(
    a.protection.map((p) => p.notes.filter((n) => n.includes("system's sysctl"))),
    [
      [
        "DMA: vm.lowmem_reserve_ratio[DMA] = 256 in the system's sysctl (sysctl -a of the test machine), not inferred; the printed entries agree",
      ],
      [
        "DMA32: vm.lowmem_reserve_ratio[DMA32] = 256 in the system's sysctl (sysctl -a of the test machine), not inferred; the printed entries agree",
      ],
      [
        "Normal: vm.lowmem_reserve_ratio[Normal] = 32 in the system's sysctl (sysctl -a of the test machine), not inferred",
      ],
    ],
  );
  const text = renderReportText(a).join('\n');
  assert.match(text, /note: vm\.lowmem_reserve_ratio\[DMA32\] = 256 in the system's sysctl/);
  // the seed's 3.4 layout has 3 zones with an array of 2 or 3 entries: 5 entries map to nothing
  const seed = analyzeText(corpus('000-seed.log'), { system: machine() }).reports[0];
  assert.equal(
    seed.protection.flatMap((p) => p.notes).filter((n) => n.includes("system's sysctl")).length,
    0,
  );
  const ratio = seed.remedies.find((r) => r.id === 'lowmem_reserve_ratio');
  assert.match(
    ratio?.sysctl?.comment ?? '',
    /the system's vm\.lowmem_reserve_ratio \("256 256 32 0 0", sysctl -a of the test machine\) has 5 entries for the 3 zones of this layout: not used/,
  );
});
