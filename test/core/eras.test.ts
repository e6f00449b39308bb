// The kernel timeline (server/src/core/kernel/eras.ts): rows in order, what each row says at its
// boundaries, and that a new row is all the replay needs to follow new rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eraRowFor,
  gfpLayoutFor,
  gfpLayoutRelease,
  hasSysctl,
  TIMELINE,
  WATERMARK_RULES,
  withRow,
  type WatermarkRules,
} from '../../server/src/core/kernel/eras';
import { ALL_GFP_ERAS, gfpEraForVersion, type GfpEra } from '../../server/src/core/gfp';
import { compareVersion, parseKernelRelease, version } from '../../server/src/core/kernel-version';
import { decideEra, watermarkEraFor } from '../../server/src/core/era';
import { parseLog } from '../../server/src/core/parse';
import { explainReport } from '../../server/src/core/explain';
import { minFreeClamp } from '../../server/src/core/memory';

const v = (release: string) => parseKernelRelease(release)!;

test('timeline: rows strictly ordered; every GFP layout appears once, in ALL_GFP_ERAS order', () => {
  const rows = TIMELINE.rows;
  for (let i = 1; i < rows.length; i++) assert.ok(compareVersion(rows[i - 1].since, rows[i].since) < 0);
  const starts = rows.filter((r, i) => i === 0 || r.gfp.era !== rows[i - 1].gfp.era).map((r) => r.gfp.era);
  assert.equal(new Set(starts).size, starts.length);
  // 'el7' is reached only through the distro marker; the rest in the timeline's order.
  assert.deepEqual(
    starts,
    ALL_GFP_ERAS.filter((e) => e !== 'el7'),
  );
  assert.equal(gfpLayoutRelease('el7')?.text, '3.10.0');
  assert.equal(gfpLayoutRelease('4.14.9')?.text, '4.14.9');
  assert.equal(gfpLayoutRelease('3.10')?.text, '3.10.0');
  assert.equal(gfpLayoutRelease('2.6.18')?.text, '2.6.18');
});

test('timeline: each GFP layout serves the releases up to the next one; el7 only 3.10.0', () => {
  const span = (era: string): string => {
    const l = TIMELINE.layouts.find((x) => x.layout.era === era)!;
    return `${l.from.text}…${l.until?.text ?? ''}`;
  };
  assert.equal(span('2.6.39'), '2.6.38…3.3.0');
  assert.equal(span('3.10'), '3.6.0…3.16.0');
  assert.equal(span('el7'), '3.10.0…3.10.1');
  assert.equal(span('6.15'), '6.15.0…');
  // el7 is 3.10's layout with RHEL 7's backported __GFP_ACCOUNT, placed after it
  const el7 = TIMELINE.distros.el7.gfp;
  assert.equal(el7.bits.ACCOUNT, 0x100000);
  assert.equal(el7.printOrder, gfpLayoutFor(v('3.10.0')).printOrder);
  assert.equal(ALL_GFP_ERAS.indexOf('el7'), ALL_GFP_ERAS.indexOf('3.10') + 1);
  assert.equal(TIMELINE.distros.el8.gfp.era, '4.18');
});

test("timeline: a new GFP row is a new layout, the fields it leaves out are the previous one's", () => {
  const t = withRow(TIMELINE, {
    since: version(7, 2),
    source: 'synthetic',
    gfp: { era: '7.2' as GfpEra, label: 'synthetic 7.2+', readFrom: version(7, 2), bitsShift: 30 },
  });
  const last = t.layouts[t.layouts.length - 1];
  assert.equal(last.layout.label, 'synthetic 7.2+');
  assert.equal(last.layout.bitsShift, 30);
  assert.equal(last.layout.bits, gfpLayoutFor(v('6.15')).bits);
  assert.equal(t.layouts[t.layouts.length - 2].until?.text, '7.2.0');
});

test('timeline: a linux-next build is read as the next minor release (its merge window)', () => {
  assert.equal(gfpLayoutFor(v('5.13.0-rc5-next-20210611-llvm')).era, '5.14');
  assert.equal(gfpLayoutFor(v('5.13.0-rc5')).era, '5.1');
  assert.equal(watermarkEraFor(v('6.2.0-rc8-next-20230215')), '6.3');
  assert.equal(watermarkEraFor(v('6.2.0-rc8')), '4.14');
  // the printed release stays as printed
  assert.equal(v('5.13.0-rc5-next-20210611').minor, 13);
});

test('eraRowFor: each row from its own since on, the one before just below it, the first below all', () => {
  const rows = TIMELINE.rows;
  assert.equal(eraRowFor(version(2, 0)), rows[0]);
  assert.equal(eraRowFor(version(99, 0)), rows[rows.length - 1]);
  for (const [i, row] of rows.entries()) {
    assert.equal(eraRowFor(row.since), row, row.since.text);
    const { major, minor, patch, subpatch } = row.since;
    // one step below `since` is the row before (for a x.y.0 since: the last x.(y-1) release)
    const before = subpatch
      ? version(major, minor, patch, subpatch - 1)
      : patch > 0
        ? version(major, minor, patch - 1)
        : minor > 0
          ? version(major, minor - 1, 999)
          : null;
    if (before && i > 0) assert.equal(eraRowFor(before), rows[i - 1], `below ${row.since.text}`);
  }
  // a smaller timeline (withRow) is searched the same way
  const t = withRow(TIMELINE, { since: version(99, 1), source: 'synthetic' });
  assert.equal(eraRowFor(version(99, 0), t).since, rows[rows.length - 1].since);
  assert.equal(eraRowFor(version(99, 1), t).source, 'synthetic');
  assert.equal(eraRowFor(version(99, 2), t).source, 'synthetic');
});

test('timeline: GFP layout per release, distro base releases first', () => {
  assert.equal(gfpLayoutFor(v('2.6.9')).era, '2.6.18');
  assert.equal(gfpLayoutFor(v('3.6.0')).era, '3.10');
  assert.equal(gfpLayoutFor(v('3.10.0-1160.el7.x86_64')).era, 'el7');
  assert.equal(gfpLayoutFor(v('4.14.8')).era, '4.14');
  assert.equal(gfpLayoutFor(v('4.14.9')).era, '4.14.9');
  assert.equal(gfpLayoutFor(v('6.15.0-rc1')).era, '6.15');
  assert.equal(gfpEraForVersion(v('4.18.0-305.el8.x86_64')), '4.18');
});

test('timeline: watermark rules, class zone and lowmem_reserve at their boundaries', () => {
  const wm = (r: string): string => watermarkEraFor(v(r));
  assert.deepEqual(
    [
      '2.6.32',
      '3.6.11',
      '3.7.0',
      '3.9.11',
      '3.10.0',
      '4.3.6',
      '4.4.0',
      '4.13.16',
      '4.14.0',
      '6.2.16',
      '6.3.0-rc1',
      '6.18',
    ].map(wm),
    // 3.7–3.9 leave free CMA pages out of the whole check (3.7, 3.8.13 __zone_watermark_ok)
    ['2.6', '2.6', '3.7', '3.7', '3.10', '3.10', '4.4', '4.4', '4.14', '4.14', '6.3', '6.3'],
  );
  assert.equal(eraRowFor(v('5.9.16')).classzone, 'preferred-zone');
  assert.equal(eraRowFor(v('5.10.0')).classzone, 'gfp-zone');
  assert.equal(eraRowFor(v('4.16.18')).lowmemReserve.perZone, false);
  assert.equal(eraRowFor(v('4.17.0')).lowmemReserve.perZone, true);
  assert.equal(eraRowFor(v('3.4.24')).lowmemReserve.basis, 'present');
  assert.equal(eraRowFor(v('3.10.0')).lowmemReserve.basis, 'managed');
  // 4.4 and 4.14 run the same check: only the name and label differ.
  const { name: n44, label: l44, text: t44, ...r44 } = WATERMARK_RULES['4.4'];
  const { name: n414, label: l414, text: t414, ...r414 } = WATERMARK_RULES['4.14'];
  assert.deepEqual([n44, n414, l44, l414], ['4.4', '4.14', '4.4–4.13', '4.14–6.2']);
  assert.equal(t44.replace('4.4–4.13', '4.14–6.2'), t414);
  assert.deepEqual(r44, r414);
  assert.deepEqual(
    WATERMARK_RULES['6.3'].minCuts.map((c) => [c.when.join('+'), c.divisor, c.name]),
    [
      ['high', 2, 'ALLOC_MIN_RESERVE'],
      ['high+nonBlock', 4, 'ALLOC_NON_BLOCK'],
    ],
  );
});

test('timeline: the sysctls each release has, with ranges and defaults (vm.rst)', () => {
  assert.equal(hasSysctl('vm.watermark_scale_factor', v('4.5.7')), false);
  assert.equal(hasSysctl('vm.watermark_scale_factor', v('4.6.0')), true);
  assert.equal(hasSysctl('vm.watermark_scale_factor', null), null);
  const wsf = (r: string) => eraRowFor(v(r)).sysctls['vm.watermark_scale_factor'];
  assert.deepEqual([wsf('4.6').min, wsf('4.6').max, wsf('4.6').default], [1, 1000, 10]);
  assert.deepEqual([wsf('5.15.85').max, wsf('6.8').max], [3000, 3000]);
  assert.equal(hasSysctl('vm.watermark_boost_factor', v('4.20.17')), false);
  assert.equal(eraRowFor(v('5.0.0')).sysctls['vm.watermark_boost_factor'].default, 15000);
  assert.equal(hasSysctl('vm.compaction_proactiveness', v('5.8.18')), false);
  const cp = eraRowFor(v('5.9.0')).sysctls['vm.compaction_proactiveness'];
  assert.deepEqual([cp.min, cp.max, cp.default], [0, 100, 20]);
  assert.equal(hasSysctl('transparent_hugepage/defrag', v('2.6.37')), false);
  assert.equal(hasSysctl('transparent_hugepage/defrag', v('2.6.38')), true);
  const defrag = (r: string) => eraRowFor(v(r)).sysctls['transparent_hugepage/defrag'].default;
  assert.deepEqual([defrag('4.5.7'), defrag('4.6.0')], ['always', 'madvise']);
  const ef = eraRowFor(v('3.10.0')).sysctls['vm.extfrag_threshold'];
  assert.deepEqual([ef.min, ef.max, ef.default], [0, 1000, 500]);
  // min_free_kbytes' default clamp: 65536 kB, 262144 kB from 5.10 (somewhere in 5.5–5.9: not
  // pinned), and on the EL7/EL8/EL9 backports.
  assert.deepEqual(minFreeClamp([5, 4, 273], null), { maxKb: 65536, certain: true });
  assert.deepEqual(minFreeClamp([5, 5, 0], null), { maxKb: 262144, certain: false });
  assert.deepEqual(minFreeClamp([5, 10, 0], null), { maxKb: 262144, certain: true });
  assert.deepEqual(minFreeClamp([3, 10, 0], 'el7'), { maxKb: 262144, certain: true });
  assert.deepEqual(minFreeClamp([2, 6, 32], 'el6'), { maxKb: 65536, certain: true });
  assert.deepEqual(minFreeClamp(null, null), { maxKb: 65536, certain: false });
  for (const key of ['vm.min_free_kbytes', 'vm.lowmem_reserve_ratio', 'vm.zone_reclaim_mode'])
    assert.equal(hasSysctl(key, v('2.6.18')), true, key);
});

const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');

/** The seed's report (order-5 GFP_ATOMIC, `__GFP_HIGH` set) as if its kernel printed `release`. */
function seedAs(release: string) {
  const report = parseLog(seed).reports[0];
  return { ...report, kernel: release };
}

test('a synthetic era row is all it takes: decideEra returns it and the replay cuts min its way', () => {
  // A made-up 7.1 whose ALLOC_MIN_RESERVE takes a third off min (6.3+ takes half) and has no
  // ALLOC_NON_BLOCK cut.
  const synthetic: WatermarkRules = {
    ...WATERMARK_RULES['6.3'],
    label: '7.1+ (synthetic)',
    text: 'synthetic: min − min/3 for __GFP_HIGH',
    minCuts: [{ when: ['high'], divisor: 3, name: 'ALLOC_SYNTHETIC' }],
  };
  const t = withRow(TIMELINE, { since: version(7, 1), source: 'test', watermark: synthetic });
  assert.equal(t.rows.length, TIMELINE.rows.length + 1);
  assert.equal(t.rows.at(-1)?.gfp.era, '6.15', 'a field left out is the previous row’s');

  const report = seedAs('7.1.0');
  const d = decideEra(report, null, undefined, t);
  assert.equal(d.row?.since.text, '7.1.0');
  assert.equal(d.rules, synthetic);
  assert.equal(decideEra(report, null).rules, WATERMARK_RULES['6.3']);
  assert.equal(decideEra(seedAs('7.0.9'), null, undefined, t).rules, WATERMARK_RULES['6.3']);

  const withSynthetic = explainReport(report, 0, { timeline: t }).replay;
  const standard = explainReport(report, 0).replay;
  assert.equal(withSynthetic.algorithmText, 'synthetic: min − min/3 for __GFP_HIGH');
  const zone = (r: typeof standard, name: string, node = 0) =>
    r.zones.find((z) => z.zone === name && z.node === node)!;
  // Node 0 Normal: min 3652 pages. 6.3 rules (the seed's 0x4020 is __GFP_HIGH without direct
  // reclaim): 3652 − 1826 = 1826, then − 1826/4 = 1370. The synthetic row: 3652 − 1217 = 2435.
  assert.equal(zone(standard, 'Normal').adjustedMinPages, 1370);
  assert.equal(zone(withSynthetic, 'Normal').minPages, 3652);
  assert.equal(zone(withSynthetic, 'Normal').adjustedMinPages, 2435);
  assert.equal(zone(withSynthetic, 'Normal').adjustmentText, '3652 − 3652/3 = 2435 (ALLOC_SYNTHETIC)');
  assert.equal(zone(withSynthetic, 'Normal', 1).adjustedMinPages, 4065 - 1355);
  // DMA32: 403 − 134 = 269, plus lowmem_reserve 28980 against 30193 − 31 free.
  assert.equal(zone(withSynthetic, 'DMA32').adjustedMinPages, 269);
  assert.equal(
    zone(withSynthetic, 'DMA32').explanation.split(' → ')[0],
    'Node 0 DMA32: 30193 − 31 = 30162 > 269 + 28980 = 29249',
  );
  assert.equal(zone(standard, 'DMA32').adjustedMinPages, 152);
});
