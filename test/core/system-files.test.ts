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
  type SystemState,
} from '../../server/src/core/system-state';
import { analyzeText, ReportSequence } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { renderReportText } from '../../server/src/core/render-text';

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
    "vm.min_free_kbytes = 90112 kB in the system's sysctl (etc/sysctl.conf), not inferred; the report's zone mins point to 67580–67591 kB, so the value was different when the report was printed (changed since, or a watermark boost the report does not print)",
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
