// Disagreements found by the by-hand audits (docs/kernel/audit.md, audit-b.md) that are not one
// rule's area: the 2.6.38–3.2 off-by-two in __zone_watermark_ok, and __GFP_HIGHMEM on 64-bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import { watermarkEraFor } from '../../server/src/core/era';
import { parseKernelRelease } from '../../server/src/core/kernel-version';
import { renderReportText } from '../../server/src/core/render-text';

const ARM_32 = '084-c-comment-shell-dmesg-3.2-armv7-qemu-oom-normal-only-no-managed.log';

test('2.6.38–3.2 subtract (1 << order) + 1: their own watermark rules (2.6.38 and 3.3.8 page_alloc.c)', () => {
  const wm = (r: string): string => watermarkEraFor(parseKernelRelease(r)!);
  assert.deepEqual(['2.6.32', '2.6.37.6', '2.6.38', '2.6.39.3', '3.2.102', '3.3.0', '3.9.11'].map(wm), [
    '2.6',
    '2.6',
    '2.6.38',
    '2.6.38',
    '2.6.38',
    '2.6',
    '3.7',
  ]);
});

test('audit-b D6: a 3.2 order-0 OOM with free 511 against min 509 fails at min too (509 ≤ 509); on 3.3 it passes there', () => {
  const on = (release: string) => analyzeText(extraLog(ARM_32), { kernelRelease: release }).reports[0];
  const r32 = on('3.2.0');
  assert.equal(r32.era.watermarkEra, '2.6.38');
  // the replay shown is the OOM's last attempt at high (__alloc_pages_may_oom); it takes the two pages too
  const z32 = r32.replay!.zones.find((z) => z.usable)!;
  assert.equal(z32.zone, 'Normal');
  assert.equal(z32.unusableText, '2^0 + 1 = 2');
  assert.equal(z32.freePages! - z32.unusablePages!, 509);
  assert.equal(z32.adjustedMinPages, 763);
  assert.equal(z32.pass, false);
  assert.match(
    r32.verdictText,
    /The request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\) fail at min as well\./,
  );
  const r33 = on('3.3.8');
  assert.equal(r33.era.watermarkEra, '2.6');
  assert.equal(r33.replay!.zones.find((z) => z.usable)!.unusableText, '2^0 − 1 = 0');
  assert.match(
    r33.verdictText,
    /Normal would pass at this printout \(Normal: 511 free − 0 unusable = 511 > min 509/,
  );
});

test('audit-b D6: without a printed release, the replay says where 2.6.38–3.2 would turn the result', () => {
  const a = analyzeText(extraLog(ARM_32)).reports[0];
  assert.equal(a.era.release, null);
  assert.ok(
    a.replay!.assumptions.includes(
      "the release is not printed: under 2.6.38–3.2's check (free − (2^order + 1)) Normal would fail at min (511 − 2 = 509 ≤ 509 + 0 = 509 → fails the watermark)",
    ),
    a.replay!.assumptions.join('\n'),
  );
});

test('audit D24: __GFP_HIGHMEM is Normal on a 64-bit kernel (a populated DMA32), HighMem on 32-bit', () => {
  const x86 = analyzeText(
    extraLog('071-quoted-dmesg-7.1-rc7-vmalloc-error-map-pages-gpu_active-balloon-zspages.log'),
  ).reports[0];
  assert.equal(x86.gfp?.text, 'GFP_KERNEL|__GFP_HIGHMEM');
  assert.equal(x86.gfp?.highestZone, 'Normal');
  assert.match(x86.gfp?.highestZoneNote ?? '', /no ZONE_HIGHMEM, so gfp_zone\(\) maps it to ZONE_NORMAL/);
  // mips32 with HighMem (5.10), its mode made GFP_HIGHUSER (5.10 gfp.h: GFP_USER | __GFP_HIGHMEM):
  // the zone is real there
  const mipsLog = readFileSync(
    join('test', 'fixtures', 'corpus', '005-dmesg-mips32-highmem-5.10-go.log'),
    'utf8',
  );
  assert.ok(mipsLog.includes('mode:0x40cc0(GFP_KERNEL|__GFP_COMP)'));
  const mips = analyzeText(
    mipsLog.replace('mode:0x40cc0(GFP_KERNEL|__GFP_COMP)', 'mode:0x100cc2(GFP_HIGHUSER)'),
  ).reports[0];
  assert.equal(mips.gfp?.text, 'GFP_HIGHUSER');
  assert.equal(mips.gfp?.highestZone, 'HighMem');
  assert.equal(mips.gfp?.highestZoneNote, null);
});

test('rule 10: min_free_kbytes advice agrees with a verdict decided by memory the request may not use (extra 085 CMA, corpus 013 H blocks)', () => {
  const mfk = (a: ReturnType<typeof analyzeText>['reports'][number]) =>
    a.remedies.find((r) => r.id === 'min_free_kbytes')?.assessment ?? '';
  const cma = analyzeText(
    extraLog('085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log'),
  ).reports[0];
  assert.equal(cma.verdict, 'no_free_pages');
  // non-CMA memory was exhausted, and kswapd balances on the same CMA-excluded count (3.10.99
  // mm/vmscan.c zone_balanced → zone_watermark_ok_safe(…, 0)): a higher min keeps more of it free
  assert.equal(
    mfk(cma),
    'Recommended: non-CMA free memory was exhausted (DMA: 164 pages against an atomic min of 313, beside 35784 free CMA pages); the free memory was CMA, which only movable allocations may use. ' +
      'A higher min helps here: kswapd balances each zone on the same count without CMA (zone_balanced / pgdat_balanced → zone_watermark_ok_safe with alloc_flags 0, so __zone_watermark_ok leaves NR_FREE_CMA_PAGES out; mm/vmscan.c, mm/page_alloc.c), ' +
      'and a higher min raises low and high with it (__setup_per_zone_wmarks): kswapd then keeps more non-CMA pages free. Raise it to 6672 kB (from 3336 kB). Shrinking the CMA area (below) is the other way.',
  );
  const h = analyzeText(
    readFileSync(join('test', 'fixtures', 'corpus', '013-reflowed-arm32-rza1-4.9-order0-atomic.log'), 'utf8'),
  ).reports[0];
  assert.match(
    mfk(h),
    /\(Normal: every free block is in the highatomic reserve \(H\), which an order-0 request cannot take\)/,
  );
  // the order-0 H rule is the kernel's until 281dd25c1a01 (2024), not "a 2024 fix" without a name
  assert.match(
    h.verdictText,
    /until 281dd25c1a01 "mm\/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic reserves", 2024/,
  );
});

test('audit N5: a vmalloc that module_alloc / execmem_alloc called ran out of the module area, which vmalloc= does not enlarge (extra 003 arm64, 038 ppc64le)', () => {
  const arm64 = analyzeText(extraLog('003-mail-wrapped-dmesg-6.0-arm64-vmalloc-error-insmod.log')).reports[0];
  assert.equal(arm64.verdict, 'not_applicable');
  assert.match(
    arm64.verdictText,
    /no free range of 20480 bytes \(the request and its guard page\) in the range module_alloc asked for/,
  );
  assert.match(arm64.verdictText, /the vmalloc=<size> boot option does not enlarge it/);
  assert.doesNotMatch(arm64.verdictText, /on 32-bit kernels the vmalloc area is small/);
  const ppc = analyzeText(
    extraLog('038-quoted-bare-6.6-ppc64le-64k-boot-vmalloc-error-vm_struct-kprobes.log'),
  ).reports[0];
  assert.match(ppc.verdictText, /the range execmem_alloc asked for/);
  assert.match(
    ppc.verdictText,
    /Where the architecture has none \(64-bit powerpc\), it is the vmalloc area itself\./,
  );
  // a caller without its own range keeps the general advice
  const plain = analyzeText(
    extraLog('036-dmesg-callerid-6.15-vmalloc-error-vm_struct-size4096-then-oops-in-show_mem.log'),
  ).reports[0];
  assert.match(plain.verdictText, /the vmalloc=<size> boot option enlarges it/);
});

test('audit D15/N2 advice: kswapd MGLRU OOM (extra 073) is told about lru_gen min_ttl_ms, not "a request that may sleep"', () => {
  const a = analyzeText(
    extraLog('073-md-fences-prose-dmesg-T-6.9-orbstack-arm64-oom-kswapd0-no-node-prefix.log'),
  ).reports[0];
  const oom = a.remedies.find((r) => r.id === 'oom')!;
  assert.equal(
    oom.title,
    'MGLRU thrashing prevention killed (lru_gen min_ttl_ms): not a memory shortage of a request',
  );
  assert.match(oom.assessment, /cat \/sys\/kernel\/mm\/lru_gen\/min_ttl_ms/);
  assert.doesNotMatch(oom.assessment, /request that may sleep/);
});

test('recheck M1–M4, D18: the advice and the verdict name what decided the failure', () => {
  const corpus = (name: string) =>
    analyzeText(readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8')).reports[0];
  // M1: an order-0 GFP_ATOMIC failure on H-only blocks: the upgrade that changes it is 281dd25c1a01
  const h = corpus('013-reflowed-arm32-rza1-4.9-order0-atomic.log');
  const upgrade = h.remedies.find((r) => r.id === 'upgrade_kernel')!;
  assert.equal(upgrade.recommended, true);
  assert.match(
    upgrade.assessment,
    /^4\.9\.123\S* keeps MIGRATE_HIGHATOMIC blocks from order-0 requests; 281dd25c1a01/,
  );
  // M2: 2.6.28 GFP_KERNEL (extra 020) and 4.14 (extra 044): no SHOW_MEM_FILTER_PAGE_COUNT there
  for (const name of [
    '020-quoted-syslog-2.6.28-s390x-oom-order2-basename-truncated.log',
    '044-android-kmsg-cpu-comm-prefix-4.14-binder-atomic-then-headerless-kswapd0.log',
  ])
    assert.ok(
      analyzeText(extraLog(name)).reports[0].memory.notes.includes(
        'no "pages RAM" line (the report ends before it): RAM is the sum of the zones\' present memory',
      ),
      name,
    );
  // M3: a fragmentation verdict (extra 070): min_free_kbytes does not blame unusable memory
  const frag = analyzeText(extraLog('070-mail-qp-dmesg-6.19.5-xen-v4l2src-order5-profiling-balloon.log'))
    .reports[0];
  assert.equal(frag.verdict, 'fragmentation');
  // audit-b recheck M2: the caller (uvcvideo) retries smaller; the impact does not claim -ENOMEM
  assert.match(
    frag.impact,
    /the caller got NULL\. What that cost depends on the caller \(some retry with a smaller size/,
  );
  assert.doesNotMatch(
    frag.remedies.find((r) => r.id === 'min_free_kbytes')?.assessment ?? '',
    /memory it may not use/,
  );
  // M4: a GFP_NOFS request (corpus 019) is not called atomic in the lowmem_reserve_ratio advice
  const nofs = corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  assert.doesNotMatch(
    nofs.remedies.find((r) => r.id === 'lowmem_reserve_ratio')?.assessment ?? '',
    /atomic request falls back/,
  );
  // D18/M7: a GFP_KERNEL fragmentation OOM names the Movable memory it could not use (extra 028)
  const movable = analyzeText(extraLog('028-mail-wrapped-kmsg-5.10-gki-android-movable-oom-order3.log'))
    .reports[0];
  assert.match(
    movable.verdictText,
    /; Movable had 2034664 kB free \(min 32860 kB\), which this request cannot use \(above the request's highest zone Normal\)\.$/,
  );
});

test('recheck audit-b M3/M4 (extra 075, 7.0 costly order-5 give-up): compaction listed, no "could reclaim for itself" with zones far above their watermarks', () => {
  const a = analyzeText(
    extraLog('075-mail-qp-indented-dmesg-7.0-rc4-xen-v4l2src-order5-mode-hex-split-by-soft-break.log'),
  ).reports[0];
  assert.equal(a.verdict, 'zones_passed');
  const cp = a.remedies.find((r) => r.id === 'compaction_proactiveness')!;
  assert.equal(cp.recommended, false);
  assert.match(
    cp.assessment,
    /^Listed: a costly order-5 request gives up after one round of reclaim and compaction unless it asks for __GFP_RETRY_MAYFAIL/,
  );
  assert.equal(
    a.remedies.find((r) => r.id === 'watermark_scale_factor')?.assessment,
    'Not indicated: no zone the request may use was near its watermarks.',
  );
});

test('recheck M5/M6: a guessed release is not stated as the kernel (extra 084); a ratio one off the default on managed pages is not "was changed" (extra 013)', () => {
  const guessed = analyzeText(extraLog(ARM_32)).reports[0];
  assert.ok(
    guessed.memory.notes.includes(
      'transparent hugepages came in 2.6.38; the release is not printed, and the one its format points to (2.6.32) has none: no THP value for min_free_kbytes (a later release would have one if THP was enabled)',
    ),
    guessed.memory.notes.join('\n'),
  );
  const ratio = analyzeText(extraLog('013-mail-wrapped-kernel-prefix-4.10-fc26-oom-python-nodemask0.log'))
    .reports[0];
  const dma = ratio.protection.find((p) => p.zone === 'DMA')!;
  assert.equal(dma.ratio, 257);
  assert.ok(
    dma.notes.some((n) =>
      n.startsWith(
        'Node 0 DMA: ratio 257 fits the entries best; the default 256 fits too if the managed pages at boot were a little more than 5 % below',
      ),
    ),
  );
  assert.ok(!dma.notes.some((n) => n.endsWith('vm.lowmem_reserve_ratio was changed')));
});

test('recheck M7: the Memory line says how much of the free memory the request could not use (extra 028)', () => {
  const a = analyzeText(extraLog('028-mail-wrapped-kmsg-5.10-gki-android-movable-oom-order3.log')).reports[0];
  assert.match(
    renderReportText(a).join('\n'),
    /Memory: RAM 11\.4 GiB \("pages RAM"\) · free in the zones 2\.0 GiB \(1\.9 GiB of it in zones this request may not use\)/,
  );
});

test('recheck M8–M10: a printed boost: field leaves no unprinted boost (072); all mins 0 is an early-boot report (038); the module-range short does not claim a module area (038 ppc64le)', () => {
  const rpi = analyzeText(
    extraLog('072-md-fence-journal-cat-pager-chopped-6.12-rpi-zero2w-oom-cron-rss_anon.log'),
  ).reports[0];
  assert.doesNotMatch(rpi.memory.minFreeInterpretation ?? '', /boost the kernel did not print/);
  const boot = analyzeText(
    extraLog('038-quoted-bare-6.6-ppc64le-64k-boot-vmalloc-error-vm_struct-kprobes.log'),
  ).reports[0];
  assert.equal(
    boot.memory.minFreeInterpretation,
    'every zone min is 0: the report was printed before init_per_zone_wmark_min set the watermarks (early boot), not with min_free_kbytes set to 0',
  );
  assert.match(boot.summary, /no free range where execmem_alloc allocates \(not a page shortage\)$/);
  assert.doesNotMatch(boot.summary, /module address range/);
});

test("recheck D15: kswapd's MGLRU kill (extra 073) names the balance check that kept it aging: zones ok by their own counts fail pgdat_balanced", () => {
  const a = analyzeText(
    extraLog('073-md-fences-prose-dmesg-T-6.9-orbstack-arm64-oom-kswapd0-no-node-prefix.log'),
  ).reports[0];
  assert.match(
    a.summary,
    /all zones above high watermark by their own counts, yet kswapd's balance check fails in DMA, Normal/,
  );
  assert.match(
    a.verdictText,
    /Normal: 59709 − 37888 = 21821 ≤ 36565 \+ 0 = 36565 → fails the high watermark/,
  );
  assert.match(a.verdictText, /DMA: 31341 − 0 = 31341 ≤ 2364 \+ 30091 = 32455/);
});
