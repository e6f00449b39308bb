// lowmem_reserve explained per entry and the ratio inferred back (kernel-memory.md §5).
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/core/analyze';
import { analyzeProtection } from '../../server/src/core/protection';
import { SEED_LAYOUT, SEED_ZONES, zoneLine } from './seed-zones';

test('seed: ratio 256 for DMA and DMA32, reproduced exactly with present pages (3.4)', () => {
  const p = analyzeProtection({ zones: SEED_ZONES, layout: SEED_LAYOUT, pageSizeKb: 4, from417: false });
  assert.deepEqual(
    p.map((x) => [x.node, x.zone, x.sizeBasis, x.ratio, x.consistent]),
    [
      [0, 'DMA', 'present', 256, true],
      [0, 'DMA32', 'present', 256, true],
      [0, 'Normal', 'present', null, true],
    ],
  );
  assert.deepEqual(p[0].formulas, [
    'DMA[DMA32] = present(DMA32) / ratio = 820016 / 256 = 3203.19 → 3203 ✓',
    'DMA[Normal] = present(DMA32 + Normal) / ratio = 820016 + 7418880 = 8238896 / 256 = 32183.19 → 32183 ✓',
  ]);
  assert.deepEqual(p[1].formulas, [
    'DMA32[Normal] = present(Normal) / ratio = 7418880 / 256 = 28980 → 28980 ✓',
  ]);
  const e = p[0].entries;
  assert.deepEqual(
    e.map((x) => [x.zone, x.pages, x.mib, x.populated]),
    [
      ['DMA', 0, 0, true],
      ['DMA32', 3203, 12.5, true],
      ['Normal', 32183, 125.7, true],
      ['Movable', 32183, 125.7, false],
    ],
  );
  assert.equal(
    e[1].meaning,
    '3203 pages (12.5 MiB) of DMA kept back from requests whose class zone is DMA32',
  );
});

test('a changed ratio is inferred and flagged against the default', () => {
  const zones = SEED_ZONES.map((z) =>
    z.zone === 'DMA32' ? { ...z, lowmemReserve: [0, 0, 57960, 57960] } : z,
  );
  const p = analyzeProtection({ zones, layout: SEED_LAYOUT, pageSizeKb: 4, from417: false });
  assert.equal(p[1].ratio, 128);
  assert.match(
    p[1].notes.join(' '),
    /ratio 128 differs from the default 256: vm\.lowmem_reserve_ratio was changed/,
  );
});

test('entries no ratio can produce are inconsistent', () => {
  const zones = SEED_ZONES.map((z) =>
    z.zone === 'DMA' ? { ...z, lowmemReserve: [0, 3203, 1000, 1000] } : z,
  );
  const p = analyzeProtection({ zones, layout: SEED_LAYOUT, pageSizeKb: 4, from417: false });
  assert.equal(p[0].consistent, false);
  assert.equal(p[0].ratio, null);
});

test('managed pages (≥3.10) grow after boot: 6.8 entries still fit ratio 256 (corpus 001 numbers)', () => {
  const zones = [
    zoneLine({
      node: 0,
      zone: 'DMA',
      line: 1,
      managedKb: 15360,
      presentKb: 15988,
      lowmemReserve: [0, 2842, 15787, 15787, 15787],
    }),
    zoneLine({
      node: 0,
      zone: 'DMA32',
      line: 3,
      managedKb: 2985788,
      presentKb: 3051596,
      lowmemReserve: [0, 0, 12944, 12944, 12944],
    }),
    zoneLine({
      node: 0,
      zone: 'Normal',
      line: 5,
      managedKb: 13263832,
      presentKb: 13598720,
      lowmemReserve: [0, 0, 0, 0, 0],
    }),
  ];
  const p = analyzeProtection({
    zones,
    layout: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'],
    pageSizeKb: 4,
    from417: true,
  });
  assert.deepEqual(
    p.map((x) => [x.sizeBasis, x.ratio, x.consistent]),
    [
      ['managed', 256, true],
      ['managed', 256, true],
      ['managed', null, true],
    ],
  );
});

test('5.7-next skips ratio-0 zones (HighMem) in the sums: explained, not flagged (corpus 034)', () => {
  const zones = [
    zoneLine({
      node: 0,
      nodePrinted: false,
      zone: 'DMA',
      line: 1,
      managedKb: 15916,
      lowmemReserve: [0, 757, 2934, 757],
    }),
    zoneLine({
      node: 0,
      nodePrinted: false,
      zone: 'Normal',
      line: 3,
      managedKb: 776536,
      lowmemReserve: [0, 0, 17414, 0],
    }),
    zoneLine({
      node: 0,
      nodePrinted: false,
      zone: 'HighMem',
      line: 5,
      managedKb: 2229064,
      lowmemReserve: [0, 0, 0, 0],
    }),
  ];
  const p = analyzeProtection({
    zones,
    layout: ['DMA', 'Normal', 'HighMem', 'Movable'],
    pageSizeKb: 4,
    from417: true,
  });
  assert.deepEqual(
    p.map((x) => [x.zone, x.ratio, x.consistent]),
    [
      ['DMA', 256, true],
      ['Normal', 32, true],
      ['HighMem', null, true],
    ],
  );
  assert.match(p[0].notes.join(' '), /variant that skips them/);
});

test('an empty zone the kernel did not print still has its lowmem_reserve column (extra 028, 043)', () => {
  const report = (name: string) => {
    const text = extraLog(name);
    return analyzeText(text).reports[0];
  };
  // 5.18 arm64: DMA and Normal printed, DMA32 empty; `lowmem_reserve[]: 0 0 944 944` under DMA
  const arm64 = report('043-mail-wrapped-dmesg-5.18-next-arm64-sysrq-m-cma-free-exceeds-managed.log');
  const dma = arm64.protection.find((p) => p.zone === 'DMA')!;
  assert.deepEqual(
    dma.entries.map((e) => [e.zone, e.pages, e.populated]),
    [
      ['DMA', 0, true],
      ['DMA32', 0, false],
      ['Normal', 944, true],
      ['Movable', 944, false],
    ],
  );
  assert.equal(dma.ratio, 256);
  assert.equal(dma.consistent, true);
  // 5.10 Android: Normal and Movable printed above an empty DMA32; `0 0 40960` under Normal
  const gki = report('028-mail-wrapped-kmsg-5.10-gki-android-movable-oom-order3.log');
  const normal = gki.protection.find((p) => p.zone === 'Normal')!;
  assert.deepEqual(
    normal.entries.map((e) => [e.zone, e.pages]),
    [
      ['DMA32', 0],
      ['Normal', 0],
      ['Movable', 40960],
    ],
  );
  assert.equal(normal.ratio, 32);
  assert.deepEqual(normal.formulas, [
    'Normal[Movable] = managed(Movable) / ratio = 1310720 / 32 = 40960 → 40960 ✓',
  ]);
});

test('no lowmem_reserve_ratio advice when the zone has nothing above it to hold back (extra 030)', () => {
  // 6.2, two nodes with DMA32 as the highest populated zone: a Normal-class request drains DMA32,
  // but DMA32's reserve against Normal-class requests is 0 pages at any ratio.
  const text = extraLog('030-bare-syzbot-6.2-numa-vmalloc-error-order9-after-lockdep.log');
  const a = analyzeText(text).reports[0];
  const ratio = a.remedies.find((r) => r.id === 'lowmem_reserve_ratio')!;
  assert.equal(ratio.recommended, false);
  assert.match(
    ratio.assessment,
    /has no populated zone above it, so what it keeps back from Normal-class requests is 0 pages at any ratio/,
  );
  assert.equal(
    a.sysctl.some((s) => s.key === 'vm.lowmem_reserve_ratio' && s.recommended),
    false,
  );
});

test('a header-only report: no node verdict without zone lines, no guessed release shown as printed (extra 040)', () => {
  const text = extraLog('040-quoted-dmesg-9digit-uptime-slub-x6-two-nodes-then-swapper100-header.log');
  const header = analyzeText(text).reports.find((r) => r.kind === 'page_alloc_failure')!;
  const zoneReclaim = header.remedies.find((r) => r.id === 'zone_reclaim_mode')!;
  assert.match(zoneReclaim.assessment, /^The report has no zone lines/);
  assert.doesNotMatch(zoneReclaim.assessment, /Single NUMA node/);
  const upgrade = header.remedies.find((r) => r.id === 'upgrade_kernel')!;
  assert.match(
    upgrade.assessment,
    /^This kernel \(release not printed; dated 4\.18\.0 by its format\) lacks/,
  );
});

test('no min_free_kbytes line below the current value (extra 033: the 3 % cap is under it)', () => {
  const text = extraLog('033-syslog-nohost-wrapped-2.6.2x-mips-router-order3-single-zone-truncated.log');
  const a = analyzeText(text).reports[0];
  const minFree = a.remedies.find((r) => r.id === 'min_free_kbytes')!;
  assert.equal(minFree.sysctl, null);
  assert.match(minFree.assessment, /already at or above 487 kB: raising it further is not indicated/);
  assert.equal(
    a.sysctl.some((s) => s.key === 'vm.min_free_kbytes'),
    false,
  );
});

test('a lowmem_reserve[] longer than MAX_NR_ZONES is unreadable (KLL025); no column is ever "undefined"', () => {
  const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');
  // the seed's DMA line with four columns more than the six zones a kernel can have
  const text = seed.replace(
    'lowmem_reserve[]: 0 3203 32183 32183',
    'lowmem_reserve[]: 0 3203 32183 32183 0 0 0 0',
  );
  const report = analyzeText(text).reports[0];
  assert.equal(
    report.protection.find((p) => p.zone === 'DMA'),
    undefined,
    'no protection read from an unreadable line',
  );
  const unreadable = report.findings.filter((f) => f.code === 'KLL025');
  assert.equal(unreadable.length, 1);
  assert.match(
    unreadable[0].message,
    /on line 37 is beyond what the kernel prints \(at most MAX_NR_ZONES \(6\) columns\): ignored\.$/,
  );
  assert.doesNotMatch(JSON.stringify(report), /undefined/);
});
