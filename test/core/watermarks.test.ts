// The watermark check replayed per era (kernel-memory.md §3.2) on hand-built zones: the seed's
// numbers, exact per zone, and the verdict each outcome leads to.
import { test } from 'node:test';
import { extraLog } from './fixture-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { AllocFlags } from '../../server/src/core/analysis-types';
import { adjustMin, parseNodeList, replayWatermarkCheck } from '../../server/src/core/watermarks';
import { decideVerdict } from '../../server/src/core/verdict';
import { analyzeText } from '../../server/src/core/analyze';
import { renderReportText } from '../../server/src/core/render-text';
import { inferZoneLayout } from '../../server/src/core/zones';
import type { Report } from '../../server/src/core/model';
import { buddyLine, SEED_LAYOUT, SEED_ZONES, zoneLine } from './seed-zones';

const ATOMIC_3X: AllocFlags = {
  high: true,
  harder: true,
  nonBlock: false,
  highatomic: false,
  cma: false,
  ignoresCpuset: true,
  noretry: false,
  thisnode: false,
  nowarn: false,
  text: 'ALLOC_WMARK_MIN|ALLOC_HIGH|ALLOC_HARDER',
};
const KERNEL: AllocFlags = {
  ...ATOMIC_3X,
  high: false,
  harder: false,
  ignoresCpuset: false,
  text: 'ALLOC_WMARK_MIN|ALLOC_CPUSET',
};

function seedReplay(buddy = [] as ReturnType<typeof buddyLine>[]) {
  return replayWatermarkCheck({
    era: '2.6',
    classzoneIsGfpZone: false,
    order: 5,
    flags: ATOMIC_3X,
    highestZone: 'Normal',
    zones: SEED_ZONES,
    buddy,
    layout: SEED_LAYOUT,
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  });
}

function fakeReport(kind: Report['kind'] = 'page_alloc_failure'): Report {
  return {
    kind,
    nodemask: null,
    memsAllowed: null,
    stallMs: null,
    vmallocBytes: null,
    vmallocAllocatedBytes: null,
    vmallocStep: null,
    vmallocMessage: null,
    vmapFailed: null,
    showMemTrigger: null,
    order: 5,
    gfp: null,
  } as unknown as Report;
}

test('zone layout of the seed: 4 lowmem_reserve columns = DMA, DMA32, Normal, Movable', () => {
  assert.deepEqual(inferZoneLayout(['DMA', 'DMA32', 'Normal', 'Normal'], 4), SEED_LAYOUT);
  assert.deepEqual(inferZoneLayout(['DMA', 'DMA32', 'Normal'], 5), [
    'DMA',
    'DMA32',
    'Normal',
    'Movable',
    'Device',
  ]);
  assert.deepEqual(inferZoneLayout(['Normal', 'HighMem'], 3), ['Normal', 'HighMem', 'Movable']);
  assert.deepEqual(inferZoneLayout(['DMA', 'DMA32', 'Normal', 'HighMem'], 4), [
    'DMA',
    'DMA32',
    'Normal',
    'HighMem',
  ]);
});

test('zone layout: the lowmem_reserve arrays place an empty zone that was not printed', () => {
  const zone = (z: string, reserve: number[], managedKb = 1 << 20) => ({
    node: 0,
    zone: z,
    lowmemReserve: reserve,
    presentKb: managedKb,
    managedKb,
  });
  // arm64 5.18: DMA's reserve is 0 against column 1, so column 1 is an empty zone (DMA32), not Normal
  const arm64 = [zone('DMA', [0, 0, 944, 944]), zone('Normal', [0, 0, 0, 0])];
  assert.deepEqual(inferZoneLayout(['DMA', 'Normal'], 4), ['DMA', 'Normal', 'Movable', 'Device']);
  assert.deepEqual(inferZoneLayout(['DMA', 'Normal'], 4, arm64), ['DMA', 'DMA32', 'Normal', 'Movable']);
  // Android 5.10: Normal's own column is 1 (an empty zone below it), Movable is column 2
  const gki = [zone('Normal', [0, 0, 40960]), zone('Movable', [0, 0, 0])];
  assert.deepEqual(inferZoneLayout(['Normal', 'Movable'], 3, gki), ['DMA32', 'Normal', 'Movable']);
  // arrays that fit the default keep it (the seed)
  const seed = [
    zone('DMA', [0, 3203, 32183, 32183]),
    zone('DMA32', [0, 0, 28980, 28980]),
    zone('Normal', [0, 0, 0, 0]),
  ];
  assert.deepEqual(inferZoneLayout(['DMA', 'DMA32', 'Normal'], 4, seed), SEED_LAYOUT);
});

test('adjusted min: 3.x atomic = min − min/2 − ¼ (≈ 3/8), 6.3+ MIN_RESERVE then NON_BLOCK', () => {
  assert.equal(adjustMin('2.6', 3652, ATOMIC_3X).min, 1370);
  assert.equal(
    adjustMin('2.6', 3652, ATOMIC_3X).text,
    '3652 − 3652/2 = 1826 (ALLOC_HIGH); 1826 − 1826/4 = 1370 (ALLOC_HARDER)',
  );
  assert.equal(adjustMin('4.14', 16136, ATOMIC_3X).min, 6051);
  assert.equal(adjustMin('6.3', 16136, { ...ATOMIC_3X, harder: false, nonBlock: true }).min, 6051);
  // 6.3+: NON_BLOCK alone (GFP_NOWAIT) takes nothing off min.
  assert.equal(
    adjustMin('6.3', 16136, { ...ATOMIC_3X, high: false, harder: false, nonBlock: true }).min,
    16136,
  );
  assert.equal(adjustMin('3.10', 489, KERNEL).min, 489);
});

test('seed replay: per zone adjusted min, reserve at class zone Normal, pass/fail', () => {
  const r = seedReplay();
  assert.equal(r.classzone, 'Normal');
  const got = r.zones.map((z) => [
    z.node,
    z.zone,
    z.freePages,
    z.unusablePages,
    z.minPages,
    z.adjustedMinPages,
    z.reservePages,
    z.pass,
    z.result,
  ]);
  assert.deepEqual(got, [
    [0, 'DMA', 3980, 31, 1, 1, 32183, false, 'fail'],
    [0, 'DMA32', 30193, 31, 403, 152, 28980, true, 'unknown'],
    [0, 'Normal', 9069, 31, 3652, 1370, 0, true, 'unknown'],
    // Node 1 printed no lowmem_reserve line: its own class column is 0 by definition.
    [1, 'Normal', 4994, 31, 4065, 1525, 0, true, 'unknown'],
  ]);
  assert.deepEqual(r.missing, ['buddy free lists (the per-order "Node N Zone: n*4kB …" lines)']);
  assert.equal(
    r.zones[1].explanation,
    'Node 0 DMA32: 30193 − 31 = 30162 > 152 + 28980 = 29132 → passes the watermark; block check unknown (no buddy line for this zone: block check not possible)',
  );
});

test('seed verdict: undecidable between fragmentation and a race, naming the buddy lists', () => {
  const v = decideVerdict({
    report: fakeReport(),
    replay: seedReplay(),
    order: 5,
    flags: ATOMIC_3X,
    replayBlocked: null,
    costly: true,
  });
  assert.equal(v.verdict, 'undecidable');
  assert.equal(v.short, 'fragmentation or a race: undecidable without buddy lists');
  assert.match(
    v.text,
    /^Undecidable without the buddy free lists: 3 of 4 allowed zones pass the watermark check \(Node 0 DMA32, Node 0 Normal, Node 1 Normal; Node 0 DMA fails\)/,
  );
});

test('seed with buddy lines: no order-5 block anywhere ⇒ fragmentation; one block ⇒ zones passed', () => {
  // ≤3.9 loop: after removing orders 0..4 the rest must stay above min >> 5.
  const noBig = (node: number, zone: string, free: number) =>
    buddyLine(node, zone, [free, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const frag = seedReplay([noBig(0, 'DMA32', 30193), noBig(0, 'Normal', 9069), noBig(1, 'Normal', 4994)]);
  assert.deepEqual(
    frag.zones.map((z) => z.result),
    ['fail', 'fail', 'fail', 'fail'],
  );
  assert.equal(frag.zones[2].orderBlocks?.available, false);
  assert.equal(
    decideVerdict({
      report: fakeReport(),
      replay: frag,
      order: 5,
      flags: ATOMIC_3X,
      replayBlocked: null,
      costly: true,
    }).verdict,
    'fragmentation',
  );

  const withBlocks = seedReplay([
    noBig(0, 'DMA32', 30193),
    noBig(0, 'Normal', 9069),
    buddyLine(1, 'Normal', [4000, 0, 0, 0, 0, 31]),
  ]);
  assert.equal(withBlocks.zones[3].result, 'pass');
  const v = decideVerdict({
    report: fakeReport(),
    replay: withBlocks,
    order: 5,
    flags: ATOMIC_3X,
    replayBlocked: null,
    costly: true,
  });
  assert.equal(v.verdict, 'zones_passed');
  assert.match(v.text, /^The watermark check passes in Node 1 Normal \(1 of 4 allowed zones\)/);
});

test('no allowed zone has the pages ⇒ no_free_pages (2.6.32 order-0 atomic, corpus 011 numbers)', () => {
  const zones = [
    zoneLine({
      node: 0,
      zone: 'DMA',
      line: 1,
      freeKb: 15860,
      minKb: 20,
      lowKb: 24,
      highKb: 28,
      presentKb: 15272,
      lowmemReserve: [0, 2866, 7852, 7852],
    }),
    zoneLine({
      node: 0,
      zone: 'DMA32',
      line: 2,
      freeKb: 21420,
      minKb: 4136,
      lowKb: 5168,
      highKb: 6204,
      presentKb: 2935456,
      lowmemReserve: [0, 0, 4986, 4986],
    }),
    zoneLine({
      node: 0,
      zone: 'Normal',
      line: 3,
      freeKb: 2680,
      minKb: 7192,
      lowKb: 8988,
      highKb: 10788,
      presentKb: 5105664,
      lowmemReserve: [0, 0, 0, 0],
    }),
  ];
  const r = replayWatermarkCheck({
    era: '2.6',
    classzoneIsGfpZone: false,
    order: 0,
    flags: ATOMIC_3X,
    highestZone: 'Normal',
    zones,
    buddy: [],
    layout: SEED_LAYOUT,
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  });
  // DMA32: 5355 free ≤ 388 (1034 − 517 − 129) + 4986 reserve.
  assert.deepEqual(
    r.zones.map((z) => [z.adjustedMinPages, z.reservePages, z.pass]),
    [
      [3, 7852, false],
      [388, 4986, false],
      [675, 0, false],
    ],
  );
  const v = decideVerdict({
    report: fakeReport(),
    replay: r,
    order: 0,
    flags: ATOMIC_3X,
    replayBlocked: null,
    costly: false,
  });
  assert.equal(v.verdict, 'no_free_pages');
});

test('4.4+ free-list check: CMA blocks do not count for an unmovable request, H counts with ALLOC_HARDER', () => {
  const zones = [
    zoneLine({
      node: 0,
      nodePrinted: false,
      zone: 'Normal',
      line: 1,
      freeKb: 33244,
      minKb: 1956,
      lowKb: 2444,
      highKb: 2932,
      managedKb: 239444,
      freeCmaKb: 12300,
      reservedHighatomicKb: 0,
      lowmemReserve: [0, 6144, 0],
    }),
  ];
  const buddy = [
    buddyLine(
      0,
      'Normal',
      [2127, 1508, 472, 96, 12, 4, 1, 1, 0, 0, 0],
      ['UMEC', 'UMEC', 'UMEC', 'UMC', 'C', 'C', 'C', 'C'],
    ),
  ];
  const input = {
    era: '4.14' as const,
    classzoneIsGfpZone: true,
    order: 5,
    highestZone: 'Normal',
    zones,
    buddy,
    layout: ['Normal', 'HighMem', 'Movable'],
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  };
  const r = replayWatermarkCheck({ ...input, flags: KERNEL });
  assert.equal(r.zones[0].unusablePages, 31 + 3075);
  assert.equal(r.zones[0].pass, true);
  assert.equal(r.zones[0].orderBlocks?.available, false);
  assert.match(r.zones[0].orderBlocks?.text ?? '', /the larger blocks are CMA \(C\) only/);
  const movable = replayWatermarkCheck({ ...input, flags: { ...KERNEL, cma: true } });
  assert.equal(movable.zones[0].orderBlocks?.available, true);
});

test('order-0 request and a highatomic-only free list (corpus 013 numbers): the reserve blocks it', () => {
  const zones = [
    zoneLine({
      node: 0,
      nodePrinted: false,
      zone: 'Normal',
      line: 1,
      freeKb: 1492,
      minKb: 964,
      lowKb: 1204,
      highKb: 1444,
      managedKb: 59304,
      freeCmaKb: 0,
      lowmemReserve: [0, 0],
    }),
  ];
  const buddy = [
    buddyLine(0, 'Normal', [7, 5, 7, 5, 6, 2, 2, 0, 0, 0, 0], ['H', 'H', 'H', 'H', 'H', 'H', 'H']),
  ];
  const r = replayWatermarkCheck({
    era: '4.4',
    classzoneIsGfpZone: false,
    order: 0,
    flags: ATOMIC_3X,
    highestZone: 'Normal',
    zones,
    buddy,
    layout: ['Normal', 'Movable'],
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  });
  assert.equal(r.zones[0].adjustedMinPages, 91);
  assert.equal(r.zones[0].pass, true);
  assert.equal(r.zones[0].result, 'fail');
  const v = decideVerdict({
    report: fakeReport(),
    replay: r,
    order: 0,
    flags: ATOMIC_3X,
    replayBlocked: null,
    costly: false,
  });
  // rule 10 (audit N9): the zone check fails (no page it may take), so the verdict does too
  assert.equal(v.verdict, 'no_free_pages');
  assert.equal(v.short, 'no free page it may take: all in the highatomic reserve');
});

test('nodemask restricts the zones tried', () => {
  assert.deepEqual([...(parseNodeList('0-1,3') ?? [])], [0, 1, 3]);
  assert.equal(parseNodeList('(null)'), null);
  const r = replayWatermarkCheck({
    era: '4.14',
    classzoneIsGfpZone: false,
    order: 0,
    flags: KERNEL,
    highestZone: 'Normal',
    zones: SEED_ZONES,
    buddy: [],
    layout: SEED_LAYOUT,
    pageSizeKb: 4,
    nodemask: '1',
    memsAllowed: null,
  });
  assert.deepEqual(
    r.zones.map((z) => z.usable),
    [false, false, false, true],
  );
  assert.equal(r.zones[0].unusableReason, 'node 0 is outside the allowed nodes');
});

test('5.0+: an order-0 atomic request that fails the boosted min is retried without the boost', () => {
  // min 80308 kB includes boost 28672 kB (printed from 5.17): unboosted min = 12909 pages.
  const zones = [
    zoneLine({
      node: 0,
      zone: 'Normal',
      line: 1,
      freeKb: 40000,
      minKb: 80308,
      boostKb: 28672,
      lowKb: 93216,
      highKb: 106124,
      managedKb: 9346788,
      freeCmaKb: 0,
      reservedHighatomicKb: 0,
      lowmemReserve: [0, 0, 0, 0],
    }),
  ];
  const input = {
    era: '4.14' as const,
    classzoneIsGfpZone: true,
    order: 0,
    highestZone: 'Normal',
    zones,
    buddy: [],
    layout: SEED_LAYOUT,
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  };
  const atomic = replayWatermarkCheck({ ...input, flags: ATOMIC_3X });
  // Boosted: 20077 → 7530 pages; 10000 free passes anyway. With 6000 free only the retry passes:
  assert.equal(atomic.zones[0].pass, true);
  const tight = replayWatermarkCheck({ ...input, zones: [{ ...zones[0], freeKb: 24000 }], flags: ATOMIC_3X });
  assert.equal(tight.zones[0].pass, true);
  assert.match(tight.zones[0].explanation, /unboosted min 4842/);
  const sleeping = replayWatermarkCheck({ ...input, zones: [{ ...zones[0], freeKb: 24000 }], flags: KERNEL });
  assert.equal(sleeping.zones[0].pass, false);
});

test('2.6.x–4.3 high-order failures with blocks present: too few pages in them, not "no block"', () => {
  const analysed = (name: string) => analyzeText(extraLog(name)).reports[0];
  // 2.6.2x MIPS router: one order-3 block, 1 page left after orders 0–2 against min/8 = 6
  const router = analysed('033-syslog-nohost-wrapped-2.6.2x-mips-router-order3-single-zone-truncated.log');
  assert.equal(router.verdict, 'fragmentation');
  assert.match(
    router.verdictText,
    /Normal has enough free pages and a block of order 3 or larger, but too few pages/,
  );
  assert.match(router.verdictText, /after removing orders 0…2 the pages left are ≤ min\/2\^3/);
  assert.ok(renderReportText(router).some((l) => /\bpass\s+TOO FEW$/.test(l)));
  // 2.6.16 NUMA: order-1, removing order 0 leaves exactly min/2 (443 ≤ 443)
  const numa = analysed('037-syslog-wrapped-2.6.16-x86_64-numa-node1-first-order1-tg3.log');
  assert.match(numa.verdictText, /Node 1 Normal: after removing order 0 the pages left are ≤ min\/2\^1/);
  // 4.4+ looks for one block of an allowed migrate type: there "no block" stays the wording
  const cma = analyzeText(
    readFileSync(join('test', 'fixtures', 'corpus', '005-dmesg-mips32-highmem-5.10-go.log'), 'utf8'),
  ).reports[0];
  assert.match(cma.verdictText, /no free block of order 5 or larger that this request may take/);
});
