// GFP tables and decoding: exact names, zones, reclaim and allocator flags per era, the §1.3
// plausibility cells of kernel-memory.md, era guessing, and every printed mask of the real corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_GFP_ERAS,
  decodeGfpMask,
  erasMatchingNames,
  gfpEraForVersion,
  gfpEraInfo,
  guessGfpEra,
  parseGfpRaw,
  type GfpEra,
} from '../../server/src/core/gfp';
import { parseKernelRelease } from '../../server/src/core/kernel-version';

const eraOf = (release: string): GfpEra => gfpEraForVersion(parseKernelRelease(release)!);

/** The ≤4.3 eras (ref §1.3 column "≤2.6.39 / 3.x (incl. EL7)") that have __GFP_NOTRACK. */
const CLASSIC_NOTRACK: GfpEra[] = ['2.6.32', '2.6.39', '3.4', '3.10', 'el7', '3.18', '4.1'];

test('ref §1.3 bold cells: 3.x masks decode to the names the reference gives', () => {
  const cells: [number, string][] = [
    [0x4020, 'GFP_ATOMIC|__GFP_COMP'],
    [0xd0, 'GFP_KERNEL'],
    [0x10d0, 'GFP_KERNEL|__GFP_NORETRY'],
    [0x204010, 'GFP_NOIO|__GFP_COMP|__GFP_NOTRACK'],
    [0x204020, 'GFP_ATOMIC|__GFP_COMP|__GFP_NOTRACK'],
    [0x2080d0, 'GFP_KERNEL|__GFP_ZERO|__GFP_NOTRACK'],
  ];
  for (const era of CLASSIC_NOTRACK)
    for (const [mask, text] of cells) {
      const d = decodeGfpMask(mask, era);
      assert.equal(d.text, text, `${mask.toString(16)} on ${era}`);
      assert.equal(d.implausible, null, `${mask.toString(16)} on ${era}: ${d.implausible}`);
    }
  assert.equal(decodeGfpMask(0x4020, '2.6.18').text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(decodeGfpMask(0xd0, '2.6.24').text, 'GFP_KERNEL');
});

test('3.x: zone, sleep and allocator flags of the reference masks', () => {
  const era = eraOf('3.4.24-x86_64');
  assert.equal(era, '3.4');
  const atomic = decodeGfpMask(0x4020, era);
  assert.deepEqual(atomic.names, ['GFP_ATOMIC', '__GFP_COMP']);
  assert.deepEqual(atomic.flags, ['__GFP_HIGH', '__GFP_COMP']);
  assert.equal(atomic.highestZone, 'Normal');
  assert.equal(atomic.isAtomic, true);
  assert.equal(atomic.canDirectReclaim, false);
  assert.equal(atomic.canWakeKswapd, true);
  assert.equal(atomic.highPriority, true);
  assert.equal(atomic.allocHarder, true);
  assert.equal(atomic.comp, true);
  assert.deepEqual(atomic.alloc.names, ['ALLOC_WMARK_MIN', 'ALLOC_HIGH', 'ALLOC_HARDER']);
  assert.deepEqual(atomic.alloc.minSteps, ['half', 'quarter']);
  assert.equal(atomic.alloc.ignoresCpuset, true);
  assert.equal(atomic.alloc.highAtomic, false);
  assert.equal(
    atomic.summary,
    'GFP_ATOMIC|__GFP_COMP: atomic (cannot sleep or reclaim), may dip into reserves, any zone up to Normal',
  );

  const kernel = decodeGfpMask(0xd0, '3.10');
  assert.equal(kernel.text, 'GFP_KERNEL');
  assert.deepEqual(kernel.flags, ['__GFP_WAIT', '__GFP_IO', '__GFP_FS']);
  assert.equal(kernel.highestZone, 'Normal');
  assert.equal(kernel.isAtomic, false);
  assert.equal(kernel.canDirectReclaim, true);
  assert.equal(kernel.allocHarder, false);
  assert.deepEqual(kernel.alloc.minSteps, []);
  assert.equal(kernel.summary, 'GFP_KERNEL: may sleep and reclaim, any zone up to Normal');

  const noretry = decodeGfpMask(0x10d0, '3.10');
  assert.equal(noretry.noRetry, true);
  assert.equal(noretry.isAtomic, false);
  assert.equal(noretry.highestZone, 'Normal');
  assert.equal(
    noretry.summary,
    'GFP_KERNEL|__GFP_NORETRY: may sleep and reclaim, gives up early (__GFP_NORETRY), any zone up to Normal',
  );

  const noio = decodeGfpMask(0x204010, '3.18');
  assert.deepEqual(noio.flags, ['__GFP_WAIT', '__GFP_COMP', '__GFP_NOTRACK']);
  assert.equal(noio.isAtomic, false);
  assert.equal(noio.highestZone, 'Normal');
  assert.equal(
    noio.summary,
    'GFP_NOIO|__GFP_COMP|__GFP_NOTRACK: may sleep and reclaim (no I/O, no FS), any zone up to Normal',
  );

  const zero = decodeGfpMask(0x2080d0, '3.18');
  assert.equal(zero.zero, true);
  assert.equal(zero.isAtomic, false);
  assert.equal(zero.highestZone, 'Normal');
  assert.equal(zero.leftover, 0);
});

test('2.6.32 and 3.4 NOTRACK is a CONFIG_KMEMCHECK bit: a note, not a verdict', () => {
  const d = decodeGfpMask(0x204010, '2.6.32');
  assert.equal(d.implausible, null);
  assert.ok(d.notes.some((n) => n.includes('CONFIG_KMEMCHECK')));
  assert.ok(!decodeGfpMask(0x204010, '3.10').notes.some((n) => n.includes('CONFIG_KMEMCHECK')));
});

test('4.x–5.x masks confirmed by real reports (ref §1.3)', () => {
  const e49 = eraOf('4.9.56');
  assert.equal(e49, '4.8');
  const a = decodeGfpMask(0x2084020, e49);
  assert.equal(a.text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(a.implausible, null);
  assert.equal(a.isAtomic, true);
  assert.equal(a.canWakeKswapd, true);
  assert.equal(a.highestZone, 'Normal');
  assert.deepEqual(a.alloc.minSteps, ['half', 'quarter']);
  assert.equal(a.alloc.highAtomic, true);
  assert.deepEqual(a.flags, ['__GFP_HIGH', '__GFP_COMP', '__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM']);

  const b = decodeGfpMask(0x2080020, '4.8');
  assert.equal(b.text, 'GFP_ATOMIC');
  assert.equal(b.implausible, null);

  const e414 = eraOf('4.14.154');
  assert.equal(e414, '4.14.9');
  const c = decodeGfpMask(0x1080020, e414);
  assert.equal(c.text, 'GFP_ATOMIC');
  assert.equal(c.implausible, null);
  assert.equal(c.isAtomic, true);
  assert.equal(c.highestZone, 'Normal');

  const e = decodeGfpMask(0x6000c0, '4.18');
  assert.equal(e.text, 'GFP_KERNEL');
  assert.equal(e.isAtomic, false);
  assert.equal(decodeGfpMask(0xcc0, '5.1').text, 'GFP_KERNEL');
  assert.equal(decodeGfpMask(0xa20, '5.1').text, 'GFP_ATOMIC');
  assert.equal(decodeGfpMask(0x820, '6.3').text, 'GFP_ATOMIC');
  assert.equal(decodeGfpMask(0x1100dca, '5.14').text, 'GFP_HIGHUSER_MOVABLE|__GFP_ZERO');
  assert.equal(decodeGfpMask(0x100dca, '5.18').text, 'GFP_HIGHUSER_MOVABLE|__GFP_ZERO');
});

test('ref §1.3 "implausible" and "invalid" cells are flagged', () => {
  const flagged: [number, GfpEra][] = [
    [0x4020, '4.4'],
    [0x4020, '4.8'],
    [0x4020, '4.10'],
    [0x4020, '4.18'],
    [0x4020, '5.1'],
    [0xd0, '4.4'],
    [0xd0, '4.15'],
    [0xd0, '4.18'],
    [0xd0, '5.1'],
    [0xd0, '6.3'],
    [0x10d0, '4.4'],
    [0x10d0, '4.18'],
    [0x10d0, '5.1'],
    [0x204010, '4.4'],
    [0x204010, '4.13'],
    [0x204010, '4.18'],
    [0x204010, '5.1'],
    [0x204020, '4.8'],
    [0x204020, '4.18'],
    [0x204020, '5.1'],
    [0x2080d0, '4.8'],
    [0x2080d0, '4.18'],
    [0x2080d0, '5.1'],
    [0x2080020, '3.4'],
    [0x2080020, '3.10'],
    [0x2080020, 'el7'],
    [0x2080020, '3.18'],
    [0x2080020, '4.10'],
    [0x2080020, '4.18'],
    [0x2080020, '5.1'],
    [0x2080020, '5.14'],
    [0x2080020, '6.3'],
    [0x2084020, '3.18'],
  ];
  for (const [mask, era] of flagged) {
    const d = decodeGfpMask(mask, era);
    assert.notEqual(d.implausible, null, `${mask.toString(16)} on ${era}`);
    assert.ok(d.summary.includes('implausible'), d.summary);
  }
  // "invalid (0x2000000 > 3.x __GFP_BITS_MASK 0x1ffffff)".
  assert.match(decodeGfpMask(0x2080020, '3.10').implausible!, /0x2000000 above __GFP_BITS_MASK 0x1ffffff/);
  assert.match(decodeGfpMask(0x2080020, '4.18').implausible!, /above __GFP_BITS_MASK 0xffffff/);
  // "HIGH|ATOMIC + 0x2000000 (NOLOCKDEP on lockdep builds only; no kswapd bit)".
  const lockdep = decodeGfpMask(0x2080020, '4.10');
  assert.match(lockdep.implausible!, /__GFP_NOLOCKDEP .*CONFIG_LOCKDEP/);
  assert.match(lockdep.implausible!, /no __GFP_KSWAPD_RECLAIM/);
  assert.equal(lockdep.text, '__GFP_HIGH|__GFP_ATOMIC|0x2000000');
  assert.match(decodeGfpMask(0x2080020, '5.14').implausible!, /CONFIG_LOCKDEP/);
  // 4.4+: RECLAIMABLE|IO|FS, as the reference reads 0xd0 there.
  // (in the kernel's print order: RECLAIMABLE comes after the other single flags).
  assert.equal(decodeGfpMask(0xd0, '4.8').text, '__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE');
  assert.deepEqual(decodeGfpMask(0xd0, '4.8').flags, ['__GFP_RECLAIMABLE', '__GFP_IO', '__GFP_FS']);
  assert.equal(decodeGfpMask(0x10d0, '5.1').text, '__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE|__GFP_WRITE');
  assert.equal(decodeGfpMask(0x204010, '5.1').text, '__GFP_RETRY_MAYFAIL|__GFP_THISNODE|__GFP_RECLAIMABLE');
  assert.equal(decodeGfpMask(0x4020, '5.1').text, '__GFP_HIGH|__GFP_RETRY_MAYFAIL');
});

test('≤4.3 rule: IO/FS without WAIT is implausible; neither WAIT nor HIGH is only a note', () => {
  const d = decodeGfpMask(0xcc0, '3.10');
  assert.match(d.implausible!, /no __GFP_WAIT/);
  const nowait = decodeGfpMask(0x4000, '3.10');
  assert.equal(nowait.implausible, null);
  assert.ok(nowait.notes.some((n) => n.includes('GFP_NOWAIT-style')));
  assert.equal(decodeGfpMask(0, '3.10').implausible, null);
});

test('4.4+ rule exempts 0 and the THP masks', () => {
  assert.equal(decodeGfpMask(0, '5.1').implausible, null);
  assert.equal(decodeGfpMask(0x1c20ca, '5.1').implausible, null);
  assert.equal(decodeGfpMask(0x1c20ca, '5.1').text, 'GFP_TRANSHUGE_LIGHT');
  assert.equal(decodeGfpMask(0x1c24ca, '5.1').text, 'GFP_TRANSHUGE');
  assert.equal(decodeGfpMask(0x4352ca, '4.4').text, 'GFP_TRANSHUGE');
  assert.equal(decodeGfpMask(0x4352ca, '4.4').implausible, null);
  assert.equal(decodeGfpMask(0x4352da, '3.10').text, 'GFP_TRANSHUGE');
});

test('unused bits are named in hex like the kernel and reported', () => {
  const d = decodeGfpMask(0xa20, '6.3');
  assert.equal(d.text, 'GFP_ATOMIC|0x200');
  assert.equal(d.leftover, 0x200);
  assert.match(d.implausible!, /0x200 are not used/);
  const e = decodeGfpMask(0x1080120, '4.15');
  assert.equal(e.text, 'GFP_ATOMIC|0x100');
  assert.equal(e.leftover, 0x100);
  assert.equal(decodeGfpMask(0x100000, '3.18').leftover, 0x100000);
  // NOLOCKDEP is not in __def_gfpflag_names before 6.15: known bit, printed as hex.
  const lock = decodeGfpMask(0x800cc0, '5.1');
  assert.equal(lock.text, 'GFP_KERNEL|0x800000');
  assert.deepEqual(lock.flags, [
    '__GFP_IO',
    '__GFP_FS',
    '__GFP_DIRECT_RECLAIM',
    '__GFP_KSWAPD_RECLAIM',
    '__GFP_NOLOCKDEP',
  ]);
  assert.equal(lock.leftover, 0);
  // 6.10+: bits above ZEROTAGS are numbered per config.
  assert.match(decodeGfpMask(0x1000cc0, '6.10').implausible!, /above __GFP_ZEROTAGS/);
});

test('mask 0 prints nothing', () => {
  for (const era of ALL_GFP_ERAS) {
    const d = decodeGfpMask(0, era);
    assert.equal(d.text, '');
    assert.deepEqual(d.names, []);
    assert.deepEqual(d.flags, []);
    assert.equal(d.isAtomic, true);
    assert.equal(d.highestZone, 'Normal');
  }
  assert.equal(decodeGfpMask(0, '5.1').summary.startsWith('0 (no flags): atomic'), true);
});

test('gfp_zone: GFP_ZONE_TABLE from 2.6.31, priority order before', () => {
  const zones: [number, GfpEra, string][] = [
    [0xd1, '3.10', 'DMA'],
    [0xd4, '3.10', 'DMA32'],
    [0x200d2, '3.10', 'HighMem'],
    [0x200da, '3.10', 'Movable'],
    [0xd8, '3.10', 'Normal'],
    [0xd9, '3.10', 'DMA'],
    [0xdc, '3.10', 'DMA32'],
    [0xd3, '3.10', 'invalid'],
    [0xd5, '3.10', 'invalid'],
    [0xd6, '3.10', 'invalid'],
    [0xda | 0x1, '3.10', 'invalid'],
    [0x100cca, '5.1', 'Movable'],
    [0x100cc2, '5.1', 'HighMem'],
    [0xcc1, '5.1', 'DMA'],
    [0xcc4, '6.15', 'DMA32'],
    [0xd3, '2.6.24', 'DMA'],
    [0x1200d2, '2.6.24', 'Movable'],
    [0xd6, '2.6.24', 'DMA32'],
    [0xd2, '2.6.18', 'HighMem'],
  ];
  for (const [mask, era, zone] of zones)
    assert.equal(decodeGfpMask(mask, era).highestZone, zone, `${mask.toString(16)} on ${era}`);
  assert.match(decodeGfpMask(0xd3, '3.10').summary, /invalid zone modifier combination/);
  assert.equal(decodeGfpMask(0x1d1, '3.10').summary.includes('DMA zone only'), true);
});

test('migrate type and accounting', () => {
  assert.equal(decodeGfpMask(0x100cca, '5.1').migrateType, 'Movable');
  assert.equal(decodeGfpMask(0x80d0, '3.10').migrateType, 'Unmovable');
  assert.equal(decodeGfpMask(0x800d0, '3.10').migrateType, 'Reclaimable');
  assert.equal(decodeGfpMask(0xd0, '2.6.18').migrateType, null);
  assert.equal(decodeGfpMask(0x400cc0, '5.1').account, true);
  assert.equal(decodeGfpMask(0x400cc0, '5.1').text, 'GFP_KERNEL_ACCOUNT');
  assert.equal(decodeGfpMask(0x1000d0, 'el7').text, 'GFP_KERNEL_ACCOUNT');
  assert.equal(decodeGfpMask(0x1000d0, 'el7').account, true);
  assert.equal(decodeGfpMask(0x1000d0, '3.10').text, 'GFP_KERNEL|__GFP_KMEMCG');
  assert.equal(decodeGfpMask(0x1000d0, '4.1').account, false);
  assert.equal(decodeGfpMask(0x1000d0, '4.1').text, 'GFP_KERNEL|__GFP_NOACCOUNT');
});

test('composite values per era match ref §1.2', () => {
  const table: Record<string, Partial<Record<GfpEra, number>>> = {
    GFP_ATOMIC: {
      '2.6.18': 0x20,
      '2.6.24': 0x20,
      '3.10': 0x20,
      '4.4': 0x2080020,
      '4.8': 0x2080020,
      '4.10': 0x1080020,
      '4.15': 0x1080020,
      '4.18': 0x480020,
      '5.1': 0xa20,
      '5.18': 0xa20,
      '6.3': 0x820,
      '6.15': 0x820,
    },
    GFP_NOWAIT: {
      '4.4': 0x2000000,
      '4.10': 0x1000000,
      '4.18': 0x400000,
      '5.1': 0x800,
      '6.3': 0x800,
      '6.8': 0x2800,
      '6.15': 0x2800,
    },
    GFP_NOIO: {
      '2.6.18': 0x10,
      '3.10': 0x10,
      '4.4': 0x2400000,
      '4.10': 0x1400000,
      '4.18': 0x600000,
      '5.1': 0xc00,
      '6.3': 0xc00,
    },
    GFP_NOFS: {
      '2.6.18': 0x50,
      '3.10': 0x50,
      '4.4': 0x2400040,
      '4.10': 0x1400040,
      '4.18': 0x600040,
      '5.1': 0xc40,
      '6.3': 0xc40,
    },
    GFP_KERNEL: {
      '2.6.18': 0xd0,
      '2.6.24': 0xd0,
      '3.10': 0xd0,
      '4.4': 0x24000c0,
      '4.10': 0x14000c0,
      '4.18': 0x6000c0,
      '5.1': 0xcc0,
      '6.3': 0xcc0,
    },
    GFP_KERNEL_ACCOUNT: {
      el7: 0x1000d0,
      '4.5': 0x25000c0,
      '4.10': 0x15000c0,
      '4.18': 0x7000c0,
      '5.1': 0x400cc0,
      '6.3': 0x400cc0,
    },
    GFP_USER: {
      '2.6.18': 0x200d0,
      '3.10': 0x200d0,
      '4.4': 0x24200c0,
      '4.10': 0x14200c0,
      '4.18': 0x6200c0,
      '5.1': 0x100cc0,
    },
    GFP_HIGHUSER: {
      '2.6.18': 0x200d2,
      '3.10': 0x200d2,
      '4.4': 0x24200c2,
      '4.10': 0x14200c2,
      '4.18': 0x6200c2,
      '5.1': 0x100cc2,
    },
    GFP_HIGHUSER_MOVABLE: {
      '2.6.24': 0x1200d2,
      '2.6.32': 0x200da,
      '4.1': 0x200da,
      '4.4': 0x24200ca,
      '4.10': 0x14200ca,
      '4.18': 0x6200ca,
      '5.1': 0x100cca,
      '5.14': 0x1100cca,
      '5.18': 0x100cca,
      '6.3': 0x100cca,
    },
    GFP_TRANSHUGE_LIGHT: {
      '4.8': 0x342ca,
      '4.10': 0x342ca,
      '4.18': 0x342ca,
      '5.1': 0x1c20ca,
      '6.3': 0x1c20ca,
    },
    GFP_TRANSHUGE: {
      '3.10': 0x4352da,
      '4.4': 0x4352ca,
      '4.6': 0x4352ca,
      '4.8': 0x4342ca,
      '4.10': 0x4342ca,
      '4.18': 0x2342ca,
      '5.1': 0x1c24ca,
      '6.3': 0x1c24ca,
    },
    GFP_TEMPORARY: {
      '2.6.24': 0x800d0,
      '3.10': 0x800d0,
      '4.4': 0x24000d0,
      '4.10': 0x14000d0,
      '4.13': 0x14000d0,
    },
  };
  for (const [name, perEra] of Object.entries(table))
    for (const [era, value] of Object.entries(perEra))
      assert.equal(gfpEraInfo(era as GfpEra).composites[name], value, `${name} on ${era}`);
  // Composites that do not exist in an era.
  assert.equal(gfpEraInfo('2.6.18').composites.GFP_HIGHUSER_MOVABLE, undefined);
  assert.equal(gfpEraInfo('2.6.32').composites.GFP_TRANSHUGE, undefined);
  assert.equal(gfpEraInfo('3.10').composites.GFP_KERNEL_ACCOUNT, undefined);
  assert.equal(gfpEraInfo('4.4').composites.GFP_KERNEL_ACCOUNT, undefined);
  assert.equal(gfpEraInfo('4.6').composites.GFP_TRANSHUGE_LIGHT, undefined);
  assert.equal(gfpEraInfo('4.14').composites.GFP_TEMPORARY, undefined);
});

test('bit tables: every column of ref §1.1, including the sub-changes', () => {
  const bit = (era: GfpEra, name: string): number | undefined => gfpEraInfo(era).bits[`__GFP_${name}`];
  assert.equal(bit('2.6.18', 'NO_GROW'), 0x2000);
  assert.equal(bit('2.6.18', 'THISNODE'), undefined);
  assert.equal(bit('2.6.24', 'MOVABLE'), 0x100000);
  assert.equal(bit('2.6.32', 'MOVABLE'), 0x08);
  assert.equal(bit('2.6.32', 'NO_KSWAPD'), undefined);
  assert.equal(bit('2.6.39', 'NO_KSWAPD'), 0x400000);
  assert.equal(bit('2.6.39', 'OTHER_NODE'), 0x800000);
  assert.equal(bit('2.6.39', 'WRITE'), undefined);
  assert.equal(bit('3.4', 'WRITE'), 0x1000000);
  assert.equal(bit('3.4', 'MEMALLOC'), undefined);
  assert.equal(bit('3.10', 'MEMALLOC'), 0x2000);
  assert.equal(bit('3.10', 'KMEMCG'), 0x100000);
  assert.equal(bit('el7', 'ACCOUNT'), 0x100000);
  assert.equal(bit('3.18', 'KMEMCG'), undefined);
  assert.equal(bit('4.1', 'NOACCOUNT'), 0x100000);
  assert.equal(bit('4.4', 'KSWAPD_RECLAIM'), 0x2000000);
  assert.equal(bit('4.4', 'WAIT'), undefined);
  assert.equal(bit('4.5', 'ACCOUNT'), 0x100000);
  assert.equal(bit('4.8', 'OTHER_NODE'), 0x800000);
  assert.equal(bit('4.10', 'OTHER_NODE'), undefined);
  assert.equal(bit('4.10', 'WRITE'), 0x800000);
  assert.equal(bit('4.10', 'REPEAT'), 0x400);
  assert.equal(bit('4.13', 'RETRY_MAYFAIL'), 0x400);
  assert.equal(bit('4.14', 'NOTRACK'), 0x200000);
  assert.equal(bit('4.14.9', 'NOTRACK'), undefined);
  assert.equal(bit('4.14.9', 'COLD'), 0x100);
  assert.equal(bit('4.15', 'COLD'), undefined);
  assert.equal(bit('4.18', 'WRITE'), 0x100);
  assert.equal(bit('4.18', 'DIRECT_RECLAIM'), 0x200000);
  assert.equal(bit('5.1', 'ATOMIC'), 0x200);
  assert.equal(bit('5.14', 'ZEROTAGS'), 0x800000);
  assert.equal(bit('5.14', 'SKIP_KASAN_POISON'), 0x1000000);
  assert.equal(bit('5.18', 'NOLOCKDEP'), 0x8000000);
  assert.equal(bit('6.3', 'ATOMIC'), undefined);
  assert.equal(bit('6.3', 'NOLOCKDEP'), 0x4000000);
  assert.equal(bit('6.10', 'NOLOCKDEP'), undefined);
  assert.equal(gfpEraInfo('5.18').configBits.__GFP_SKIP_ZERO, 'CONFIG_KASAN_HW_TAGS');
  assert.equal(gfpEraInfo('4.18').configBits.__GFP_NOLOCKDEP, 'CONFIG_LOCKDEP');
  assert.equal(gfpEraInfo('3.4').configBits.__GFP_NOTRACK, 'CONFIG_KMEMCHECK');
  assert.equal(gfpEraInfo('3.10').configBits.__GFP_NOTRACK, undefined);
});

test('print order: 4.6–6.14 mmflags.h vs the 6.15 TRACE_GFP_FLAGS order', () => {
  assert.equal(decodeGfpMask(0x2084120, '4.8').text, 'GFP_ATOMIC|__GFP_COLD|__GFP_COMP');
  assert.equal(decodeGfpMask(0x40d00, '5.1').text, 'GFP_NOIO|__GFP_COMP|__GFP_ZERO');
  assert.equal(decodeGfpMask(0x40d00, '6.15').text, 'GFP_NOIO|__GFP_ZERO|__GFP_COMP');
  assert.equal(decodeGfpMask(0x42008, '6.10').text, '__GFP_NOWARN|__GFP_COMP|__GFP_MOVABLE');
  assert.equal(decodeGfpMask(0x42008, '6.15').text, '__GFP_MOVABLE|__GFP_NOWARN|__GFP_COMP');
  // GFP_NOWAIT includes __GFP_NOWARN from 6.8.
  assert.equal(decodeGfpMask(0x800, '6.3').text, 'GFP_NOWAIT');
  assert.equal(decodeGfpMask(0x800, '6.8').text, '__GFP_KSWAPD_RECLAIM');
  assert.equal(decodeGfpMask(0x2800, '6.8').text, 'GFP_NOWAIT');
});

test('allocator flags per era (ref §3.1, §3.2)', () => {
  // GFP_NOWAIT: ≤4.3 ALLOC_HARDER (¾·min); 4.4–6.2 nothing; 6.3+ ALLOC_NON_BLOCK without a reduction.
  const old = decodeGfpMask(0x0, '3.10');
  assert.equal(old.allocHarder, true);
  assert.deepEqual(old.alloc.minSteps, ['quarter']);
  const mid = decodeGfpMask(0x800, '5.1');
  assert.equal(mid.allocHarder, false);
  assert.deepEqual(mid.alloc.minSteps, []);
  assert.equal(mid.alloc.ignoresCpuset, false);
  const now = decodeGfpMask(0x800, '6.3', { order: 2 });
  assert.equal(now.allocHarder, true);
  assert.deepEqual(now.alloc.minSteps, []);
  assert.equal(now.alloc.highAtomic, true);
  assert.deepEqual(now.alloc.names, [
    'ALLOC_WMARK_MIN',
    'ALLOC_CPUSET',
    'ALLOC_NON_BLOCK',
    'ALLOC_HIGHATOMIC',
  ]);
  assert.equal(decodeGfpMask(0x800, '6.3', { order: 0 }).alloc.highAtomic, false);
  assert.equal(decodeGfpMask(0x800, '6.3').alloc.highAtomic, null);
  // GFP_ATOMIC on 6.3+: MIN_RESERVE then NON_BLOCK = 3/8 min, cpuset ignored.
  const atomic = decodeGfpMask(0x820, '6.3', { order: 0 });
  assert.deepEqual(atomic.alloc.names, ['ALLOC_WMARK_MIN', 'ALLOC_MIN_RESERVE', 'ALLOC_NON_BLOCK']);
  assert.deepEqual(atomic.alloc.minSteps, ['half', 'quarter']);
  // __GFP_HIGH with direct reclaim: only the half.
  assert.deepEqual(decodeGfpMask(0xce0, '6.3').alloc.minSteps, ['half']);
  assert.deepEqual(decodeGfpMask(0xd0 | 0x20, '3.10').alloc.minSteps, ['half']);
  // 3.x: NO_KSWAPD (THP) and NOMEMALLOC take ALLOC_HARDER away.
  assert.equal(decodeGfpMask(0x400020, '3.10').allocHarder, false);
  assert.equal(decodeGfpMask(0x10020, '3.10').allocHarder, false);
  assert.equal(decodeGfpMask(0x10020, '2.6.32').allocHarder, true);
  // 4.4–6.2: __GFP_ATOMIC decides, NOMEMALLOC vetoes.
  assert.equal(decodeGfpMask(0xa20 | 0x80000, '5.1').allocHarder, false);
  // __GFP_MEMALLOC: no watermarks.
  const memalloc = decodeGfpMask(0x2020 | 0x10, '3.10');
  assert.equal(memalloc.memalloc, true);
  assert.equal(memalloc.alloc.noWatermarks, true);
  assert.match(memalloc.summary, /may ignore the watermarks/);
  // 2.6.38–4.3: __GFP_NO_KSWAPD means kswapd is not woken; 4.4+ needs the KSWAPD bit.
  assert.equal(decodeGfpMask(0x4352da, '3.10').canWakeKswapd, false);
  assert.equal(decodeGfpMask(0x4352ca, '4.4').canWakeKswapd, false);
  assert.equal(decodeGfpMask(0x20, '2.6.32').canWakeKswapd, true);
});

test('retry flags', () => {
  assert.equal(decodeGfpMask(0x4cc0, '5.1').retryMayfail, true);
  assert.match(decodeGfpMask(0x4cc0, '5.1').summary, /retries hard but may fail/);
  assert.equal(decodeGfpMask(0x24004c0, '4.8').repeat, true);
  assert.equal(decodeGfpMask(0x24004c0, '4.8').retryMayfail, false);
  assert.equal(decodeGfpMask(0x8cc0, '5.1').noFail, true);
  assert.match(decodeGfpMask(0x8cc0, '5.1').summary, /must not fail/);
  assert.equal(decodeGfpMask(0x2cc0, '5.1').noWarn, true);
  assert.equal(decodeGfpMask(0x200cc0, '5.1').thisNode, true);
  assert.equal(decodeGfpMask(0x100cc0, '5.1').hardwall, true);
});

test('parseGfpRaw', () => {
  assert.equal(parseGfpRaw('0x4020'), 16416);
  assert.equal(parseGfpRaw('0X2084020'), 0x2084020);
  assert.equal(parseGfpRaw('0x0'), 0);
  assert.equal(parseGfpRaw(' 0xa20 '), 0xa20);
  assert.equal(parseGfpRaw('0x62****'), null);
  assert.equal(parseGfpRaw('0x'), null);
  assert.equal(parseGfpRaw('0x123456789'), null);
  assert.equal(parseGfpRaw('gfp'), null);
});

test('gfpEraForVersion', () => {
  const cases: [string, GfpEra][] = [
    ['2.6.9', '2.6.18'],
    ['2.6.18-194.el5', '2.6.18'],
    ['2.6.24', '2.6.24'],
    ['2.6.31.6-oep', '2.6.32'],
    ['2.6.32-24-generic', '2.6.32'],
    ['2.6.32-754.el6.x86_64', '2.6.32'],
    ['2.6.39.3', '2.6.39'],
    ['3.2.0-4-amd64', '2.6.39'],
    ['3.4.24-x86_64', '3.4'],
    ['3.10.99', '3.10'],
    ['3.10.0-693.el7.x86_64', 'el7'],
    ['3.18.0-rc1+', '3.18'],
    ['4.2.8-ckt12', '4.1'],
    ['4.4.121', '4.4'],
    ['4.5.0', '4.5'],
    ['4.6-master+', '4.6'],
    // linux-next carries the next merge window (4.8's GFP_TRANSHUGE_LIGHT): read as 4.8
    ['4.7.0-rc7-next-20160720+', '4.8'],
    ['4.9.24-coreos', '4.8'],
    ['4.12.0', '4.10'],
    ['4.13.9', '4.13'],
    ['4.14.5', '4.14'],
    ['4.14.67', '4.14.9'],
    ['4.14.35-1902.el7uek.x86_64', '4.14.9'],
    ['4.17.0', '4.15'],
    ['4.18.0-240.el8', '4.18'],
    ['4.19.91-24.1.al7.x86_64', '4.18'],
    ['5.0.1', '4.18'],
    ['5.4.0-65-generic', '5.1'],
    ['5.13.14', '5.1'],
    ['5.14.0-70.el9', '5.14'],
    ['5.15.85', '5.14'],
    ['5.17.0-rc5', '5.14'],
    ['6.1.119', '5.18'],
    ['6.6.57', '6.3'],
    ['6.8.0-124-generic', '6.8'],
    ['6.12.67', '6.10'],
    ['6.19.0-rc5-00027-g40fd0acc45d0', '6.15'],
  ];
  for (const [release, era] of cases) assert.equal(eraOf(release), era, release);
});

test('guessGfpEra: the shape of the report (ref §1.5)', () => {
  const period = guessGfpEra({ mask: 0x20, headerStyle: 'period', printedNames: null });
  assert.ok(['2.6.18', '2.6.24', '2.6.32', '2.6.39'].includes(period.era), period.reason);
  assert.equal(period.era, '2.6.32');
  assert.equal(decodeGfpMask(0x20, period.era).text, 'GFP_ATOMIC');

  const colon = guessGfpEra({ mask: 0x4020, headerStyle: 'colon', printedNames: null });
  assert.ok(['2.6.39', '3.4', '3.10', 'el7', '3.18', '4.1'].includes(colon.era), colon.reason);
  assert.ok(!colon.candidates.includes('4.4'), colon.reason);
  assert.equal(decodeGfpMask(0x4020, colon.era).text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(colon.confidence, 'medium');

  const oldLetters = guessGfpEra({ mask: 0x200da, buddyTypes: ['UEM', 'R'] });
  assert.deepEqual(oldLetters.candidates, ['3.10', 'el7', '3.18', '4.1']);
  const newLetters = guessGfpEra({ mask: 0x24200ca, buddyTypes: ['UME', 'H'], printedNames: null });
  assert.deepEqual(newLetters.candidates, ['4.4', '4.5']);

  // 0x820 is GFP_ATOMIC on 6.3+ and HIGH|KSWAPD_RECLAIM (plausible) on 5.x: boost keeps 5.14+.
  const boost = guessGfpEra({ mask: 0x820, hasBoost: true });
  assert.deepEqual(boost.candidates, ['5.14', '5.18', '6.3', '6.8', '6.10', '6.15']);
  const boostNames = guessGfpEra({ mask: 0x820, hasBoost: true, printedNames: 'GFP_ATOMIC' });
  assert.deepEqual(boostNames.candidates, ['6.3', '6.8', '6.10', '6.15']);
  assert.equal(boostNames.confidence, 'high');

  // Magnitude alone: a 4.4–4.9 atomic mask, a 4.10–4.17 one, a 5.x one.
  assert.ok(['4.4', '4.5', '4.6', '4.8'].includes(guessGfpEra({ mask: 0x2080020 }).era));
  assert.ok(guessGfpEra({ mask: 0x1080020 }).candidates.every((e) => /^4\.1[0-5]/.test(e)));
  assert.ok(['5.1', '5.14', '5.18'].includes(guessGfpEra({ mask: 0xa20 }).era));

  // A warning with __GFP_NOWARN cannot have been printed: 0xa20 is not HIGH|NOWARN|NOFAIL of 3.x.
  const slub = guessGfpEra({ mask: 0xa20, printedNames: null, reportKind: 'slub_failure' });
  assert.ok(!['3.10', '3.18', 'el7'].includes(slub.era), slub.reason);
});

test('guessGfpEra: printed names win over the release', () => {
  const sure = guessGfpEra({
    version: parseKernelRelease('4.9.56')!,
    mask: 0x2084020,
    printedNames: 'GFP_ATOMIC|__GFP_COMP',
  });
  assert.equal(sure.era, '4.8');
  assert.equal(sure.confidence, 'high');
  // A backport that prints 0x140cca as GFP_HIGHUSER_MOVABLE|__GFP_COMP on a 5.14-based kernel.
  const el9 = guessGfpEra({
    version: parseKernelRelease('5.14.0-284.el9.x86_64')!,
    mask: 0x140cca,
    printedNames: 'GFP_HIGHUSER_MOVABLE|__GFP_COMP',
  });
  assert.equal(el9.era, '5.18');
  assert.equal(el9.confidence, 'medium');
  assert.match(el9.reason, /printed/);
  assert.deepEqual(erasMatchingNames(0x1100cca, 'GFP_HIGHUSER_MOVABLE'), ['5.14']);
});

interface IndexEvent {
  kind: string;
  mode_raw: string | null;
  mode_names: string | null;
}
interface IndexEntry {
  file: string;
  kernel_version: string | null;
  events: IndexEvent[];
}
const index = JSON.parse(
  readFileSync(join('test', 'fixtures', 'corpus', 'INDEX.json'), 'utf8'),
) as IndexEntry[];

test('corpus: every printed mask decodes to exactly the names the kernel printed', () => {
  let checked = 0;
  for (const entry of index)
    for (const event of entry.events) {
      const mask = event.mode_raw === null ? null : parseGfpRaw(event.mode_raw);
      if (mask === null || event.mode_names === null) continue;
      const version = entry.kernel_version ? parseKernelRelease(entry.kernel_version) : null;
      const era = version
        ? gfpEraForVersion(version)
        : guessGfpEra({ mask, printedNames: event.mode_names, reportKind: event.kind }).era;
      const d = decodeGfpMask(mask, era);
      assert.equal(d.text, event.mode_names, `${entry.file} ${event.mode_raw} on ${era}`);
      assert.equal(d.implausible, null, `${entry.file} ${event.mode_raw} on ${era}: ${d.implausible}`);
      checked++;
    }
  assert.ok(checked >= 20, `only ${checked} events checked`);
});

test('corpus: masks without names are plausible for their release, and guessed from the mask alone', () => {
  for (const entry of index)
    for (const event of entry.events) {
      const mask = event.mode_raw === null ? null : parseGfpRaw(event.mode_raw);
      if (mask === null || event.mode_names !== null) continue;
      if (entry.kernel_version) {
        const era = eraOf(entry.kernel_version);
        const d = decodeGfpMask(mask, era);
        assert.equal(d.implausible, null, `${entry.file} ${event.mode_raw} on ${era}: ${d.implausible}`);
      }
      const guess = guessGfpEra({ mask, printedNames: null, reportKind: event.kind });
      assert.equal(decodeGfpMask(mask, guess.era).implausible, null, `${entry.file}: ${guess.reason}`);
      assert.ok(!gfpEraInfo(guess.era).printsNames, `${entry.file}: ${guess.reason}`);
    }
  const seed = decodeGfpMask(0x4020, eraOf('3.4.24-x86_64'));
  assert.equal(seed.text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(decodeGfpMask(0x200da, eraOf('3.10.0-693.el7.x86_64')).text, 'GFP_HIGHUSER_MOVABLE');
  assert.equal(decodeGfpMask(0x50, '2.6.18').text, 'GFP_NOFS');
  assert.equal(decodeGfpMask(0x1d2, '2.6.18').text, 'GFP_KERNEL|__GFP_HIGHMEM|__GFP_COLD');
});
