// Each zone line joined once by explainReport to its state, replayed check, lowmem_reserve[]
// protection and buddy lines (zone-analysis.ts), and the kernel facts the hovers used to work out
// themselves: the largest free order, the migrate-type legend per era, the range of integer
// lowmem_reserve_ratio values, the assumed page size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalysisJob, analyzeText } from '../../server/src/core/analyze';
import { migrateTypeLegend } from '../../server/src/core/zone-analysis';
import { FIXTURE_LOGS } from './fixture-files';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const extra = (name: string): string => readFileSync(join('test', 'fixtures', 'extra', name), 'utf8');

test('every zone line of every fixture report has one joined analysis, consistent with the lists', () => {
  let zones = 0;
  for (const file of FIXTURE_LOGS) {
    const job = new LogAnalysisJob(readFileSync(file, 'utf8'));
    job.run(() => false);
    const { parsed, analysis } = job.result();
    analysis.reports.forEach((a, i) => {
      const report = parsed.reports[i];
      assert.equal(a.zones.length, report.zones.length, file);
      a.zones.forEach((z, k) => {
        zones++;
        assert.equal(z.parsed, report.zones[k], `${file}: zone ${k} is its own parsed line`);
        assert.equal(z.line, z.parsed.line);
        if (z.check) {
          assert.ok(a.replay.zones.includes(z.check));
          assert.deepEqual([z.check.line, z.check.node, z.check.zone], [z.line, z.node, z.zone]);
        } else assert.ok(!a.replay.zones.some((c) => c.line === z.line && c.zone === z.zone), file);
        if (z.protection) {
          assert.ok(a.protection.includes(z.protection));
          assert.equal(z.protection.zoneLine, z.line);
        }
        for (const b of z.buddy) {
          assert.ok(a.buddy.includes(b));
          assert.equal(b.parsed.node, z.node);
        }
      });
      assert.deepEqual(
        a.buddy.map((b) => b.parsed),
        report.buddy,
      );
    });
  }
  assert.ok(zones >= 130, `${zones} zone lines joined`);
});

test('corpus 001 (6.8): checks, protection ratio ranges and buddy facts joined per zone', () => {
  const a = analyzeText(corpus('001-journal-oom-6.8-python.log')).reports[0];
  assert.deepEqual(
    a.zones.map((z) => [
      z.zone,
      z.state,
      z.check?.result,
      z.protection?.ratio,
      z.protection?.ratioRange,
      z.buddy.map((b) => [b.parsed.line, b.largestOrder, b.freeKbAtOrder]),
    ]),
    [
      ['DMA', 'ok', 'fail', 256, [250, 257], [[58, 10, 13312]]],
      ['DMA32', 'ok', 'fail', 256, [244, 256], [[59, 8, 62828]]],
      ['Normal', 'below_min', 'fail', null, null, [[60, 3, 54796]]],
    ],
  );
  assert.equal(a.buddy[0].failedOrder, 0);
  assert.equal(
    a.buddy[0].typesLegend,
    'U unmovable, M movable, E reclaimable, H high-order atomic reserve, C CMA, I isolated',
  );
  assert.deepEqual([a.memory.pageSizeKb, a.memory.pageSizeAssumed], [4, false]);
});

test('extra 010 (RHEL 7, 3.10): the block check read each buddy line; the 3.10 letters legend', () => {
  const a = analyzeText(extra('010-blog-tab-indented-syslog-nohost-012-rhel7-3.10-order6-nf-conntrack.log'))
    .reports[0];
  assert.deepEqual(
    a.zones.map((z) =>
      z.buddy.map((b) => [b.largestOrder, b.failedOrder, b.freeKbAtOrder, b.blocks?.buddyLine]),
    ),
    [[[10, 6, 15616, 50]], [[3, 6, 0, 51]], [[5, 6, 0, 52]]],
  );
  assert.equal(
    a.buddy[0].typesLegend,
    'U unmovable, E reclaimable, M movable, R reserve (MIGRATE_RESERVE), C CMA, I isolated',
  );
});

test('the seed prints no buddy line: 4 kB pages assumed, no legend', () => {
  const a = analyzeText(corpus('000-seed.log')).reports[0];
  assert.deepEqual([a.memory.pageSizeKb, a.memory.pageSizeAssumed, a.buddy.length], [4, true, 0]);
  assert.deepEqual(
    a.zones.map((z) => [z.zone, z.check?.result ?? null, z.protection?.line ?? null]),
    [
      ['DMA', 'fail', 36],
      ['DMA32', 'unknown', 38],
      ['Normal', 'unknown', 41],
      ['Normal', 'unknown', null],
    ],
  );
});

test('ppc64le 64K pages: the page size is the buddy line’s smallest block, not assumed', () => {
  const a = analyzeText(corpus('009-dmesg-ppc64le-64k-vmalloc-5.10.log')).reports[0];
  assert.deepEqual([a.memory.pageSizeKb, a.memory.pageSizeAssumed], [64, false]);
  assert.deepEqual(
    a.zones.map((z) => z.buddy.map((b) => [b.parsed.line, b.largestOrder, b.freeKbAtOrder])),
    [[[40, 8, null]]],
  );
});

test('migrate-type legend: R or H in the letters decide the era, else the printed release, else all', () => {
  const release = (v: [number, number, number]) => ({ version: v, decidedBy: 'release' as const });
  const unknown = { version: null, decidedBy: 'unknown' as const };
  const old = 'U unmovable, E reclaimable, M movable, R reserve (MIGRATE_RESERVE), C CMA, I isolated';
  const now = 'U unmovable, M movable, E reclaimable, H high-order atomic reserve, C CMA, I isolated';
  const any =
    'U unmovable, M movable, E reclaimable, H high-order atomic reserve, R reserve (3.x), C CMA, I isolated';
  assert.equal(migrateTypeLegend('UEMR', unknown), old);
  assert.equal(migrateTypeLegend('UMEH', unknown), now);
  assert.equal(migrateTypeLegend('UEM', release([3, 10, 0])), old);
  assert.equal(migrateTypeLegend('UME', release([4, 3, 6])), old);
  assert.equal(migrateTypeLegend('UME', release([4, 4, 0])), now);
  assert.equal(migrateTypeLegend('UME', release([6, 8, 0])), now);
  assert.equal(migrateTypeLegend('UME', unknown), any);
  assert.equal(migrateTypeLegend('UME', { version: [5, 0, 0], decidedBy: 'shape' }), any);
});
