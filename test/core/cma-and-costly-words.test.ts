// The words where free CMA decides a failure, the costly-order words of a request that cannot
// reclaim, and THP's min_free_kbytes recognised (expert audit of the verdicts, session 8), on real
// reports.
// - CMA: __zone_watermark_ok leaves NR_FREE_CMA_PAGES out without ALLOC_CMA (3.10.99
//   mm/page_alloc.c: `if (!(alloc_flags & ALLOC_CMA)) free_cma = …; if (free_pages - free_cma <=
//   min + lowmem_reserve) return false;`), and gfp_to_alloc_flags sets ALLOC_CMA only for movable
//   requests: the memory such a request may use is the non-CMA part, and it was exhausted — a
//   shortage, never "not a shortage". kswapd balances on the same count (3.10.99 mm/vmscan.c
//   zone_balanced → zone_watermark_ok_safe(…, 0); 5.10 pgdat_balanced → zone_watermark_ok_safe →
//   __zone_watermark_ok(…, 0, …)), so a higher min_free_kbytes makes it keep more non-CMA pages free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const first = (text: string, kind: ReportAnalysis['kind']): ReportAnalysis => {
  const r = analyzeText(text).reports.find((a) => a.kind === kind);
  assert.ok(r, `a ${kind} report`);
  return r;
};
const remedyOf = (a: ReportAnalysis, id: string) => {
  const r = a.remedies.find((x) => x.id === id);
  assert.ok(r, `remedy ${id}`);
  return r;
};

test('A extra/085 (3.10 i.MX6, GFP_ATOMIC): non-CMA free memory exhausted, 164 pages against an atomic min of 313', () => {
  const a = first(
    extraLog('085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log'),
    'page_alloc_failure',
  );
  assert.equal(a.verdict, 'no_free_pages');
  const dma = a.replay.zones.find((z) => z.zone === 'DMA');
  // 35948 free − 35784 free CMA = 164; min 834 − 834/2 (ALLOC_HIGH) = 417, − 417/4 (ALLOC_HARDER) = 313
  assert.equal((dma?.freePages ?? 0) - (dma?.unusablePages ?? 0), 164);
  assert.equal(dma?.adjustedMinPages, 313);
  assert.equal(
    a.findings[0].message,
    'order-0 GFP_ATOMIC failed: non-CMA memory was exhausted; the free memory was CMA, which only movable allocations may use',
  );
  assert.match(
    a.verdictText,
    /DMA: non-CMA free memory was exhausted \(164 pages against an atomic min of 313\); its other 35784 free pages are CMA, which only movable allocations may use \(no ALLOC_CMA without __GFP_MOVABLE\)\.$/,
  );
  assert.equal(
    a.impact.split('. ')[0],
    'An atomic order-0 failure: non-CMA free memory was exhausted (DMA: 164 pages against an atomic min of 313, beside 35784 free CMA pages); the free CMA pages only movable allocations may use',
  );
  for (const text of [a.verdictText, a.impact, a.summary, ...a.remedies.map((r) => r.assessment)]) {
    assert.doesNotMatch(text, /not a shortage/);
    assert.doesNotMatch(text, /raises the bar without making those pages usable/);
  }
  // min_free_kbytes indicated, with kswapd's CMA-excluded balance check as the reason
  const mfk = remedyOf(a, 'min_free_kbytes');
  assert.equal(mfk.recommended, true);
  assert.equal(mfk.sysctl?.value, '6672');
  assert.match(
    mfk.assessment,
    /^Recommended: non-CMA free memory was exhausted \(DMA: 164 pages against an atomic min of 313, beside 35784 free CMA pages\)/,
  );
  assert.match(
    mfk.assessment,
    /kswapd balances each zone on the same count without CMA \(zone_balanced \/ pgdat_balanced → zone_watermark_ok_safe with alloc_flags 0, so __zone_watermark_ok leaves NR_FREE_CMA_PAGES out; mm\/vmscan\.c, mm\/page_alloc\.c\)/,
  );
  assert.match(
    mfk.assessment,
    /kswapd then keeps more non-CMA pages free\. Raise it to 6672 kB \(from 3336 kB\)\./,
  );
  // and the CMA area's size offered: free_cma 143136 kB = 139 MiB (no `pages cma reserved` line on 3.10)
  const cma = remedyOf(a, 'cma_size');
  assert.equal(cma.recommended, true);
  assert.match(
    cma.assessment,
    /^Recommended: 139 MiB of CMA sat free while non-CMA memory was exhausted \(DMA: 164 pages/,
  );
  assert.match(
    cma.assessment,
    /the cma= boot parameter, the device tree's reserved-memory node \(compatible "shared-dma-pool", linux,cma-default\) or CONFIG_CMA_SIZE_MBYTES/,
  );
});

test('A extra/096 (5.4 arm64 OOM, GFP_KERNEL_ACCOUNT): non-CMA memory exhausted; 511 MiB of the 512 MiB CMA reservation free', () => {
  const a = first(extraLog('096-md-fence-dmesg-5.4-arm64-e2000q-oom-cma-panic_on_oom.log'), 'oom_kill');
  assert.equal(a.verdict, 'no_free_pages');
  assert.match(a.findings[0].message, /^Global OOM kill: non-CMA memory exhausted; nobody killed/);
  assert.match(
    a.verdictText,
    /Node 0 DMA32: non-CMA free memory was exhausted \(1294 pages against the high watermark of 2259\); its other 130962 free pages are CMA, which only movable allocations may use \(the OOM killer's last attempt carries no ALLOC_CMA\)/,
  );
  const oom = remedyOf(a, 'oom');
  assert.equal(oom.recommended, true);
  assert.equal(oom.title, 'Non-CMA memory exhausted: reduce the CMA reservation rather than add RAM');
  // `131072 pages cma reserved` × 4 kB = 512 MiB; free_cma:523848kB = 511.6 MiB, 511 whole MiB
  assert.match(
    oom.assessment,
    /; 511 MiB of the 512 MiB CMA reservation \(`131072 pages cma reserved`\) sat free and unusable for this order-0 \(4 KiB\) GFP_KERNEL_ACCOUNT request/,
  );
  assert.match(
    oom.assessment,
    /Reduce the CMA reservation \(the cma= boot parameter, .*\) to what the devices using it need, rather than add RAM\./,
  );
  for (const r of a.remedies) {
    assert.doesNotMatch(r.title, /^Memory exhausted/);
    assert.doesNotMatch(r.assessment, /simply needs more RAM/);
  }
});

test('A non-CMA cases keep their words: corpus 011 (lowmem_reserve beside a short Normal), corpus 001 (OOM)', () => {
  const lr = first(corpus('011-dmesg-2.6.32-r8169-order0-slub.log'), 'page_alloc_failure');
  assert.match(
    lr.impact,
    /^An atomic order-0 failure: free pages were short in Node 0 Normal \(at or below what the check needs there\)/,
  );
  assert.doesNotMatch(lr.impact, /CMA/);
  assert.equal(
    lr.remedies.find((r) => r.id === 'cma_size'),
    undefined,
  );
  const oom = first(corpus('001-journal-oom-6.8-python.log'), 'oom_kill');
  assert.doesNotMatch(oom.findings[0].message, /CMA/);
  assert.equal(remedyOf(oom, 'oom').title, 'Memory exhausted: no watermark tuning helps');
});

// B: direct reclaim and compaction need can_direct_reclaim (5.10 mm/page_alloc.c
// __alloc_pages_slowpath: `if (can_direct_reclaim && (costly_order || …))
// __alloc_pages_direct_compact`, `if (!can_direct_reclaim) goto nopage`): an atomic costly request
// never "gives up after one round of reclaim and compaction" — it had none.
test('B extra/092 (5.13.14 GFP_ATOMIC order 7): an atomic request never reclaims or compacts', () => {
  const a = first(
    extraLog('092-quoted-mail-wrapped-syslog-012-5.13.14-chrome-order7-atomic-prose-in-middle.log'),
    'page_alloc_failure',
  );
  assert.equal(a.verdict, 'zones_passed');
  assert.equal(a.gfp?.canReclaim, false);
  const cp = remedyOf(a, 'compaction_proactiveness');
  assert.equal(
    cp.assessment,
    'Listed: an atomic request never reclaims or compacts (__alloc_pages_slowpath: both need can_direct_reclaim); it takes only a block already free. ' +
      'Background compaction (kcompactd, and proactive compaction with vm.compaction_proactiveness) is what can have one ready.',
  );
  for (const text of [a.verdictText, ...a.remedies.map((r) => r.assessment)])
    assert.doesNotMatch(text, /gives up after (one round of reclaim and )?compaction/);
});

// C: THP's min_free_kbytes (4.18 set_recommended_min_free_kbytes, mm/khugepaged.c:
// for_each_populated_zone → nr_zones; pageblock_nr_pages × nr_zones × (2 + MIGRATE_PCPTYPES²) =
// × 11, at most nr_free_buffer_pages() / 20). The pager cut every zone line of extra/009 before
// present:/managed:, yet show_free_areas prints only populated zones, and each prints free and min
// above 0: three populated zones, 2048 kB × 3 × 11 = 67584 kB, inside the mins' 67576–67587 kB.
test("C extra/009 (RHEL 8 4.18, zone lines cut before present:): 67584 kB recognised as THP's value", () => {
  const a = first(
    extraLog('009-mail-wrapped-syslog-pager-truncated-rhel8-4.18-oom-tuned-hyperv.log'),
    'oom_kill',
  );
  assert.deepEqual(a.memory.minFreeRangeKb, [67576, 67587]);
  assert.equal(a.memory.thpRecommendedKb, 67584);
  assert.equal(a.memory.thpRecommendedText, 'pageblock 2048 kB × 3 populated zones × 11 = 67584 kB');
  assert.equal(
    a.memory.minFreeInterpretation,
    "the host runs THP's recommended value (transparent hugepages enabled)",
  );
  // a chopped i686 report (extra/094) whose zone sizes and 5 % cap are unknown and whose mins do
  // not show the uncapped value keeps no THP value
  const chopped = first(
    extraLog('094-mail-qp-md-fence-journal-pager-chopped-4.10-i686-pae-oom-updatedb-header-no-order.log'),
    'oom_kill',
  );
  assert.equal(chopped.memory.thpRecommendedKb, null);
});
