// Issue #13 rule 10 on real reports: the verdict, the summary, the impact, the zone texts and the
// replay tell one story (audit.md N1–N3, N8, N9, D1, D5; audit-b.md D2, D12, D16, D22, D25).
// - No last attempt is replayed for an OOM that no failed allocation led to: pagefault_out_of_memory
//   (gfp_mask=0x0, mm/oom_kill.c 5.7) and kswapd's lru_gen_age_node (mm/vmscan.c 6.1+, MGLRU
//   min_ttl_ms), which call out_of_memory directly; a PF_MEMALLOC task never reaches
//   __alloc_pages_may_oom (6.8 __alloc_pages_slowpath: `goto nopage`).
// - Before 2.6.31 the last attempt is made by __alloc_pages (≤2.6.25) or __alloc_pages_internal
//   (2.6.26–2.6.30), with ALLOC_WMARK_HIGH|ALLOC_CPUSET only: no real-time ALLOC_HARDER there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import { eraRowFor } from '../../server/src/core/kernel/eras';
import { version } from '../../server/src/core/kernel-version';
import { oomWithoutRequest } from '../../server/src/core/verdict';
import { renderReportText } from '../../server/src/core/render-text';
import { parseLog } from '../../server/src/core/parse';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { hover } from '../../server/src/features/hover';
import { at } from '../features/helpers';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const first = (text: string, kind: ReportAnalysis['kind']): ReportAnalysis => {
  const r = analyzeText(text).reports.find((a) => a.kind === kind);
  assert.ok(r, `a ${kind} report`);
  return r;
};
const KSWAPD_OOM = '073-md-fences-prose-dmesg-T-6.9-orbstack-arm64-oom-kswapd0-no-node-prefix.log';

test('N1 corpus/034 (5.7, gfp_mask=0x0): pagefault_out_of_memory — no last attempt replayed, zones not marked', () => {
  const a = first(corpus('034-dmesg-i386-highmem-5.7-xorg-pagefault-oom-gfp0.log'), 'oom_kill');
  assert.equal(a.verdict, 'not_applicable');
  assert.match(a.verdictText, /^gfp_mask=0x0: the OOM killer was called by pagefault_out_of_memory/);
  assert.deepEqual(a.replay.zones, []);
  assert.equal(a.replay.algorithmText, '');
  assert.deepEqual(
    a.zones.map((z) => [z.zone, z.check, z.state]),
    [
      ['DMA', null, 'ok'],
      ['Normal', null, 'ok'],
      ['HighMem', null, 'ok'],
    ],
  );
  const text = renderReportText(a).join('\n');
  assert.doesNotMatch(text, /last attempt|Watermark check replayed|fails request/);
  assert.match(
    a.summary,
    /^System OOM kill in Xorg \(mm_fault_error\) from pagefault_out_of_memory, not a failed allocation: all zones above high watermark; page-fault OOM \(no allocation request to replay\)$/,
  );
});

test("N2 extra/073 (6.9 arm64, kswapd0): MGLRU's lru_gen_age_node asked for the kill — no allocation, no replay", () => {
  const text = extraLog(KSWAPD_OOM);
  const a = first(text, 'oom_kill');
  assert.equal(a.verdict, 'not_applicable');
  assert.match(
    a.verdictText,
    /^No allocation failed: kswapd called the OOM killer itself, from balance_pgdat → kswapd_age_node → lru_gen_age_node/,
  );
  assert.match(a.verdictText, /\/sys\/kernel\/mm\/lru_gen\/min_ttl_ms/);
  assert.match(a.verdictText, /if \(current->flags & PF_MEMALLOC\) goto nopage/);
  assert.doesNotMatch(a.verdictText, /tries once more at the high watermark|reclaim could not free enough/);
  assert.deepEqual(a.replay.zones, []);
  assert.deepEqual(
    a.zones.map((z) => [z.zone, z.check, z.state]),
    [
      ['DMA', null, 'ok'],
      ['Normal', null, 'ok'],
    ],
  );
  assert.match(
    a.summary,
    // zones ok by their own counts fail kswapd's balance check (audit recheck D15: pgdat_balanced
    // subtracts the highatomic reserve)
    /^System OOM kill in kswapd0 \(kswapd\) from kswapd's lru_gen_age_node, not a failed allocation: all zones above high watermark by their own counts, yet kswapd's balance check fails in DMA, Normal; MGLRU thrashing prevention \(lru_gen min_ttl_ms\)$/,
  );
  // the Mode line reads the context: the mask's trait, and this task's
  assert.match(
    renderReportText(a).join('\n'),
    /Mode: 0xcc0 = GFP_KERNEL \(names as printed\) — the mask may sleep and reclaim, but this task does not reclaim: kswapd0 \(kswapd, PF_MEMALLOC\);/,
  );
  // the rule reads the frames the unwinder is sure of: a `?` balance_pgdat is a stale stack word
  const report = parseLog(text).reports.find((r) => r.kind === 'oom_kill');
  assert.ok(report);
  assert.equal(oomWithoutRequest(report), 'lru_gen');
  const stale = {
    ...report,
    callTrace: report.callTrace.map((f) => (f.function === 'balance_pgdat' ? { ...f, unreliable: true } : f)),
  };
  assert.equal(oomWithoutRequest(stale), null);
});

test('N3 extra/084 (read as 2.6.32): the zone text names the mark of the replay shown, high', () => {
  const a = first(
    extraLog('084-c-comment-shell-dmesg-3.2-armv7-qemu-oom-normal-only-no-managed.log'),
    'oom_kill',
  );
  assert.equal(a.replay.mark, 'high');
  const normal = a.zones.find((z) => z.zone === 'Normal');
  assert.equal(normal?.check?.result, 'fail');
  assert.match(
    normal?.stateText ?? '',
    /but this request fails here: the free pages it may count are at or below its high, the mark of the OOM killer's last attempt$/,
  );
  assert.doesNotMatch(normal?.stateText ?? '', /at or below its min/);
  assert.match(a.verdictText, /Normal: 511 free − 0 unusable = 511 ≤ high 763/);
});

test('N8: the last attempt is __alloc_pages_internal in 2.6.26–2.6.30, with no real-time ALLOC_HARDER note under it', () => {
  assert.equal(eraRowFor(version(2, 6, 25)).oomLastAttempt.caller, '__alloc_pages');
  for (const minor of [26, 28, 30])
    assert.equal(
      eraRowFor(version(2, 6, minor)).oomLastAttempt.caller,
      '__alloc_pages_internal',
      `2.6.${minor}`,
    );
  const a28 = first(extraLog('020-quoted-syslog-2.6.28-s390x-oom-order2-basename-truncated.log'), 'oom_kill');
  assert.match(
    a28.replay.algorithmText,
    /^The OOM killer's last attempt \(__alloc_pages_internal, before out_of_memory\)/,
  );
  const a24 = first(
    extraLog('018-forum-md-masked-prefix-syslog-2.6.24-i386-highmem-oom-xorg-nvidia.log'),
    'oom_kill',
  );
  assert.match(
    a24.replay.algorithmText,
    /^The OOM killer's last attempt \(__alloc_pages, before out_of_memory\)/,
  );
  for (const a of [
    a28,
    a24,
    first(extraLog('084-c-comment-shell-dmesg-3.2-armv7-qemu-oom-normal-only-no-managed.log'), 'oom_kill'),
    first(corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log'), 'oom_kill'),
  ]) {
    assert.equal(a.replay.allocFlagsText, 'ALLOC_WMARK_HIGH|ALLOC_CPUSET');
    assert.ok(!a.replay.assumptions.some((s) => /real-time/.test(s)), a.summary);
  }
  // a request's own replay at min keeps the note (extra/010, 3.10 page allocation failure)
  const req = first(
    extraLog('010-blog-tab-indented-syslog-nohost-012-rhel7-3.10-order6-nf-conntrack.log'),
    'page_alloc_failure',
  );
  assert.ok(
    req.replay.assumptions.includes('a real-time task would also get ALLOC_HARDER; the report cannot tell'),
  );
});

test('N9 corpus/013, extra/044: every free block in H for order 0 — verdict, JSON and the zone check agree (no_free_pages)', () => {
  for (const text of [
    corpus('013-reflowed-arm32-rza1-4.9-order0-atomic.log'),
    extraLog('044-android-kmsg-cpu-comm-prefix-4.14-binder-atomic-then-headerless-kswapd0.log'),
  ]) {
    const a = first(text, 'page_alloc_failure');
    assert.equal(a.verdict, 'no_free_pages');
    const normal = a.zones.find((z) => z.zone === 'Normal');
    assert.deepEqual([normal?.check?.pass, normal?.check?.result], [true, 'fail']);
    assert.match(
      a.verdictText,
      /^No free page this request may take: the watermark check passes in Normal, yet every free block there is in the highatomic reserve \(H\)/,
    );
    assert.match(a.summary, /; no free page it may take: all in the highatomic reserve$/);
    // D1: the impact follows the verdict's reason
    assert.match(
      a.impact,
      /^An atomic order-0 failure, but not a shortage of memory: free pages were there and this request could not take them \(Normal: every free block is in the highatomic reserve, which order 0 may not take\)/,
    );
    assert.doesNotMatch(a.impact, /really short/);
  }
});

test('audit-b D2 extra/085 (CMA) and D12 corpus/011 (lowmem_reserve beside a short Normal): the impact follows the verdict', () => {
  const cma = first(
    extraLog('085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log'),
    'page_alloc_failure',
  );
  assert.equal(cma.verdict, 'no_free_pages');
  // a shortage of the non-CMA pages the request may use (3.10 __zone_watermark_ok without ALLOC_CMA)
  assert.match(
    cma.verdictText,
    /DMA: non-CMA free memory was exhausted \(164 pages against an atomic min of 313\); its other 35784 free pages are CMA/,
  );
  assert.match(
    cma.impact,
    /^An atomic order-0 failure: non-CMA free memory was exhausted \(DMA: 164 pages against an atomic min of 313, beside 35784 free CMA pages\)/,
  );
  assert.doesNotMatch(cma.impact, /not a shortage/);
  assert.doesNotMatch(cma.impact, /really short/);
  const lr = first(corpus('011-dmesg-2.6.32-r8169-order0-slub.log'), 'page_alloc_failure');
  assert.equal(lr.verdict, 'no_free_pages');
  assert.match(
    lr.impact,
    /^An atomic order-0 failure: free pages were short in Node 0 Normal \(at or below what the check needs there\), and the free pages of the other zones were kept from this request \(Node 0 DMA: lowmem_reserve keeps 7852 pages from Normal-class requests; Node 0 DMA32: lowmem_reserve keeps 4986 pages from Normal-class requests\); an atomic request cannot reclaim/,
  );
  assert.doesNotMatch(lr.impact, /really short/);
});

test('audit-b D16/D25 extra/070, extra/010: beside fragmentation, the summary names the zone that fails the watermark check', () => {
  for (const [name, zone] of [
    ['070-mail-qp-dmesg-6.19.5-xen-v4l2src-order5-profiling-balloon.log', 'Node 0 DMA'],
    ['010-blog-tab-indented-syslog-nohost-012-rhel7-3.10-order6-nf-conntrack.log', 'Node 0 DMA'],
  ]) {
    const a = first(extraLog(name), 'page_alloc_failure');
    assert.equal(a.verdict, 'fragmentation');
    assert.match(
      a.summary,
      new RegExp(
        `: all allowed zones above high watermark by their own counts, yet ${zone} fails this request's check; likely fragmentation$`,
      ),
    );
  }
});

test('audit-b D22 extra/018 (2.6.24 i386, HighMem free): the summary says lowmem exhausted; memory outside Movable on corpus/008', () => {
  const a = first(
    extraLog('018-forum-md-masked-prefix-syslog-2.6.24-i386-highmem-oom-xorg-nvidia.log'),
    'oom_kill',
  );
  assert.equal(a.verdict, 'no_free_pages');
  assert.match(a.verdictText, /HighMem had 113132 kB free \(min 512 kB\), which this request cannot use/);
  assert.match(a.summary, /: Normal below min watermark; lowmem exhausted$/);
  // a GFP_KERNEL request beside a Movable zone with memory free (corpus/008, 4.7): not "memory exhausted"
  const m = first(corpus('008-bare-oom-4.7-movable-hardwrapped.log'), 'oom_kill');
  assert.match(
    m.verdictText,
    /Node 0 Movable had 22768 kB free \(min 19256 kB\), which this request cannot use/,
  );
  assert.match(m.summary, /: Node 0 DMA32 below min watermark; memory outside Movable exhausted$/);
});

test('audit D5 corpus/019 (kswapd0): Mode line and hover say the mask may reclaim but this PF_MEMALLOC task does not', () => {
  const text = corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  const a = first(text, 'page_alloc_failure');
  assert.match(
    renderReportText(a).join('\n'),
    /Mode: 0xc0c40 = GFP_NOFS\|__GFP_COMP\|__GFP_NOMEMALLOC \(names as printed\) — the mask may sleep and reclaim, but this task does not reclaim: kswapd0 \(kswapd, PF_MEMALLOC\);/,
  );
  const h = hover(
    ...(() => {
      const p = at(text, 'mode:0xc0c40', 6);
      return [p.doc, p.position] as const;
    })(),
  );
  const md = h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
  assert.match(
    md,
    /may sleep \/ reclaim: the mask allows it, but this task does not reclaim: kswapd0 \(kswapd, PF_MEMALLOC\)/,
  );
});
