// The advice that follows the issue #13 audits (docs/kernel/audit.md and audit-b.md, "Status after
// the issue #13 fixes"): each suggestion on a real report is one the source of that kernel
// supports. The rules and their citations live in server/src/core/remedies.ts, memory.ts and the
// era rows of server/src/core/kernel/eras.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { eraRowFor, hasSysctl } from '../../server/src/core/kernel/eras';
import { parseKernelRelease } from '../../server/src/core/kernel-version';

const v = (release: string) => parseKernelRelease(release)!;
const fileOf = (dir: string, prefix: string) => {
  const name = readdirSync(join('test', 'fixtures', dir)).find((f) => f.startsWith(prefix));
  assert.ok(name, `${dir}/${prefix}`);
  return readFileSync(join('test', 'fixtures', dir, name), 'utf8');
};
const report = (dir: string, prefix: string, i = 0): ReportAnalysis =>
  analyzeText(fileOf(dir, prefix)).reports[i];
const remedyOf = (a: ReportAnalysis, id: string) => {
  const r = a.remedies.find((x) => x.id === id);
  assert.ok(r, id);
  return r;
};

// ---------------------------------------------------------------------------------------------
// Item 1 (audit D7, N4): a PF_MEMALLOC allocation never reclaims for itself.
// ---------------------------------------------------------------------------------------------

test('advice D7/N4: kswapd0 (PF_MEMALLOC, __GFP_NOMEMALLOC) is never told it "could sleep and reclaim" (corpus 019)', () => {
  const a = report('corpus', '019-');
  assert.equal(a.context.memalloc?.by, 'kswapd');
  const mfk = remedyOf(a, 'min_free_kbytes');
  const wsf = remedyOf(a, 'watermark_scale_factor');
  for (const r of [mfk, wsf]) {
    assert.doesNotMatch(r.assessment, /could sleep and reclaim|could reclaim for itself/);
    assert.match(
      r.assessment,
      /^(Not indicated|Listed): kswapd0 \(kswapd, PF_MEMALLOC\) allocated while reclaiming: __alloc_pages_slowpath never reclaims for a PF_MEMALLOC task \(`if \(current->flags & PF_MEMALLOC\) goto nopage`\), and __GFP_NOMEMALLOC kept it from the reserves below min; under pressure such a failure is expected and the caller copes with NULL; /,
    );
    assert.equal(r.recommended, false);
  }
  assert.match(mfk.assessment, /a higher min raises the mark this allocation is checked against/);
  assert.match(wsf.assessment, /without changing the min they are checked against\.$/);
});

// ---------------------------------------------------------------------------------------------
// Item 2: "more RAM" only where the report shows memory running out.
// ---------------------------------------------------------------------------------------------

test('advice D12: a page-fault OOM (gfp_mask=0) with 827 MiB free points at VM_FAULT_OOM, not at more RAM (corpus 034)', () => {
  const a = report('corpus', '034-');
  const oom = remedyOf(a, 'oom');
  assert.equal(oom.title, 'Page-fault OOM (gfp_mask=0): find what returned VM_FAULT_OOM');
  assert.equal(oom.recommended, true);
  assert.match(
    oom.assessment,
    /^pagefault_out_of_memory \(mm\/oom_kill\.c\) called the OOM killer because a page fault returned VM_FAULT_OOM/,
  );
  assert.match(
    oom.assessment,
    /\(the zones had 827 MiB free\): the report does not show memory running out, so more RAM is not indicated\./,
  );
  assert.doesNotMatch(oom.assessment, /needs more RAM/);
});

test('advice D20/D23: a 2.6.24 i386 lowmem OOM says more RAM would only add HighMem (extra 018)', () => {
  const a = report('extra', '018-');
  const oom = remedyOf(a, 'oom');
  assert.equal(oom.title, 'Lowmem exhausted on a 32-bit kernel: more RAM would only add HighMem');
  assert.match(
    oom.assessment,
    /^This request may not use HighMem \(class zone Normal\), and HighMem had 110 MiB free: on a 32-bit kernel more RAM only adds HighMem, so it would not help\./,
  );
  assert.doesNotMatch(oom.assessment, /needs more RAM/);
});

test('advice audit-b D14: 4.9.0 i686 lowmem OOM with 676 MiB of lowmem file pages and slab, swap untouched: reclaim failed (extra 095)', () => {
  const a = report('extra', '095-');
  assert.equal(eraRowFor(v('4.9.0')).reclaimIgnoresEligibleZones, true);
  assert.equal(eraRowFor(v('4.10')).reclaimIgnoresEligibleZones, false);
  assert.equal(eraRowFor(v('4.7')).reclaimIgnoresEligibleZones, false);
  const oom = remedyOf(a, 'oom');
  assert.equal(
    oom.title,
    'Lowmem OOM on a 32-bit kernel with reclaimable lowmem left: reclaim failed, more RAM would not help',
  );
  // Normal + DMA: active_file 483096 + 6964, inactive_file 80 + 44, slab_reclaimable 199336 + 3016 kB
  assert.match(
    oom.assessment,
    /Yet the zones it may use held 676 MiB of file pages and reclaimable slab, and swap was untouched \(3\.6 GiB free of 3\.6 GiB\): reclaim failed to free them rather than memory running out\./,
  );
  assert.match(
    oom.assessment,
    /"mm, vmscan: consider eligible zones in get_scan_count" \(4\.10, later in 4\.9\.y stable\) fixed it: upgrade\./,
  );
  assert.match(oom.assessment, /HighMem had 454 MiB free/);
});

test('advice D38: an undecidable OOM names what to collect and the 3.3 GiB of slab, never "more RAM" (extra 020)', () => {
  const a = report('extra', '020-');
  assert.equal(a.verdict, 'undecidable');
  assert.equal(a.remedies[0].id, 'collect_missing');
  const oom = remedyOf(a, 'oom');
  assert.doesNotMatch(oom.assessment, /more RAM/);
  // slab:875833 pages × 4 kB = 3503332 kB of 4137 MB present
  assert.match(
    oom.assessment,
    /The report shows 3\.3 GiB in slab \(85 % of RAM\): kernel objects, not tasks, hold that memory; `slabtop` or \/proc\/slabinfo shows which cache grows\.$/,
  );
});

// ---------------------------------------------------------------------------------------------
// Item 3: min_free_kbytes read from what each kernel computes.
// ---------------------------------------------------------------------------------------------

test('advice D28/D31: no watermark boost before 5.0 (boost_watermark), and never to explain a value below the default', () => {
  const dirs = ['corpus', 'extra'];
  let pre5 = 0;
  for (const dir of dirs)
    for (const name of readdirSync(join('test', 'fixtures', dir)).filter((f) => f.endsWith('.log'))) {
      for (const a of analyzeText(readFileSync(join('test', 'fixtures', dir, name), 'utf8')).reports) {
        const text = a.memory.minFreeInterpretation ?? '';
        const ver = a.era.version;
        if (ver !== null && a.era.release !== null && (ver[0] < 5 || (ver[0] === 5 && ver[1] < 0))) {
          pre5++;
          assert.doesNotMatch(text, /boost/, `${dir}/${name}`);
        }
        if (/^below the default/.test(text)) assert.doesNotMatch(text, /boost/, `${dir}/${name}`);
      }
    }
  assert.ok(pre5 >= 10, `pre-5.0 reports checked: ${pre5}`);
});

test('advice D28: under 512 MiB hugepage_init turns THP off: 4.9 (511 MiB) and 4.10 (383 MiB) run the boot-time default (extra 014, 013)', () => {
  for (const [prefix, lo] of [
    ['014-', '2757–2829'],
    ['013-', '2371–2432'],
  ] as const) {
    const a = report('extra', prefix);
    assert.equal(a.memory.thpRecommendedKb, null, prefix);
    assert.ok(
      a.memory.notes.some((n) =>
        /^RAM \d+ MiB < 512 MiB: hugepage_init \(mm\/huge_memory\.c\) turns THP off by default/.test(n),
      ),
      prefix,
    );
    assert.equal(
      a.memory.minFreeInterpretation,
      `the host runs the kernel's default (untuned) — ${lo} kB allowing for pages freed after boot`,
      prefix,
    );
  }
});

test('advice D31/audit-b D20: 4.14 Android with CMA: a min below the default fits the default computed before CMA joined managed (extra 044)', () => {
  assert.equal(eraRowFor(v('4.14.113')).lowmemReserveBeforeCma, true);
  const a = report('extra', '044-');
  assert.equal(a.memory.minFreeDefaultKb, 6540);
  assert.equal(
    a.memory.minFreeInterpretation,
    "below the default computed from today's lowmem (6540 kB), which fits the kernel's default: on 4.10–5.8 init_per_zone_wmark_min ran before the CMA areas joined the managed pages (both core_initcalls, mm/page_alloc.c first), so the default was computed from lowmem without CMA, and this device has CMA (free_cma printed); the report does not print the CMA size (`N pages cma reserved`), so it cannot tell that from a value set by hand",
  );
});

test("advice audit-b D15/D18: hugepages_size=2048kB pins the 2 MiB pageblock on i686 PAE, and khugepaged's cap is nr_free_buffer_pages()/20 = Σ (managed − high) / 20 (extra 095)", () => {
  const a = report('extra', '095-');
  assert.equal(a.memory.pageblockKb, 2048);
  // 4.9 counts every populated zone (DMA, Normal, HighMem): 2048 × 3 × 11 = 67584 kB, capped at
  // ((15916 − 103) + (831480 − 5418)) / 20 = 42093 kB with the high marks of the default 3682 kB.
  assert.equal(a.memory.thpRecommendedKb, 42093);
  assert.match(
    a.memory.thpRecommendedText ?? '',
    /^pageblock 2048 kB × 3 populated zones × 11 = 67584 kB, capped at nr_free_buffer_pages\(\) \/ 20 = Σ \(size − high\) of the zones up to Normal \/ 20 = 42093 kB/,
  );
  assert.match(
    a.memory.minFreeInterpretation ?? '',
    /^it fits THP's recommended value capped at nr_free_buffer_pages\(\) \/ 20/,
  );
  assert.match(a.memory.minFreeInterpretation ?? '', /cannot be told apart/);
  assert.doesNotMatch(a.memory.minFreeInterpretation ?? '', /boost/);
});

// ---------------------------------------------------------------------------------------------
// Item 5: vm.defrag_mode (6.15+) for a fragmentation verdict.
// ---------------------------------------------------------------------------------------------

test('advice audit-b D17: vm.defrag_mode exists from 6.15 (0…1) and is offered for fragmentation on 6.19 (extra 070)', () => {
  assert.equal(hasSysctl('vm.defrag_mode', v('6.14.11')), false);
  assert.equal(hasSysctl('vm.defrag_mode', v('6.15')), true);
  const f = eraRowFor(v('6.19.5')).sysctls['vm.defrag_mode'];
  assert.deepEqual([f.min, f.max, f.default], [0, 1, 0]);
  const a = report('extra', '070-');
  assert.equal(a.verdict, 'fragmentation');
  const dm = remedyOf(a, 'defrag_mode');
  assert.deepEqual([dm.sysctl?.key, dm.sysctl?.value, dm.recommended], ['vm.defrag_mode', '1', false]);
  assert.match(dm.sysctl?.comment ?? '', /range 0…1 on this kernel/);
  assert.match(dm.sysctl?.comment ?? '', /ALLOC_NOFRAGMENT/);
  // 6.14 and earlier get no such line (the seed's 3.4 fragmentation-or-race verdict neither)
  assert.equal(
    report('corpus', '000-').remedies.find((r) => r.id === 'defrag_mode'),
    undefined,
  );
});

// ---------------------------------------------------------------------------------------------
// Item 6: Android's extra_free_kbytes is not a watermark_scale_factor.
// ---------------------------------------------------------------------------------------------

test('advice audit-b D19: 4.14 Android: high − low is the default factor 10, the rest of low − min is extra_free_kbytes (extra 044)', () => {
  const a = report('extra', '044-');
  const wsf = remedyOf(a, 'watermark_scale_factor');
  assert.equal(wsf.recommended, false);
  assert.equal(wsf.sysctl?.value, '20');
  const c = wsf.sysctl?.comment ?? '';
  assert.match(
    c,
    /now: high − low in Normal = 2672 kB = 0\.10 % of its 2673676 kB → effective factor ≈ 10 \(default 10\)/,
  );
  assert.match(
    c,
    /low − min \(38196 kB\) exceeds high − low \(2672 kB\) by 35524 kB: this log looks like Android, whose common kernels add vm\.extra_free_kbytes to low and high/,
  );
  assert.doesNotMatch(c, /143/);
  assert.match(
    wsf.assessment,
    /^Not recommended: kswapd already wakes 35524 kB above the factor's gap \(vm\.extra_free_kbytes\)/,
  );
  // min_free_kbytes: Normal passed at min, every free block (H): not min's level
  const mfk = remedyOf(a, 'min_free_kbytes');
  assert.equal(mfk.recommended, false);
  assert.match(mfk.assessment, /^Not indicated: Normal passed the watermark check/);
});

// ---------------------------------------------------------------------------------------------
// Items 7 and 8: the min_free_kbytes words follow the verdict; so does the network advice.
// ---------------------------------------------------------------------------------------------

test('advice audit-b D3: a CMA-decided failure: the comment names what decided it (non-CMA memory exhausted), and the network burst is recommended as for any shortage (extra 085)', () => {
  const a = report('extra', '085-');
  const mfk = remedyOf(a, 'min_free_kbytes');
  const first = (mfk.sysctl?.comment ?? '').split('\n')[0];
  assert.equal(
    first,
    '# order-0 (4 KiB) GFP_ATOMIC failure: non-CMA free memory exhausted (DMA: 164 pages against an atomic min of 313, beside 35784 free CMA pages); the free CMA pages only movable allocations may use',
  );
  assert.doesNotMatch(mfk.sysctl?.comment ?? '', /watermarks were not the problem/);
  // the non-CMA pages this atomic request may use were exhausted (3.10 __zone_watermark_ok leaves
  // free CMA out without ALLOC_CMA): fewer packets make that rarer, as for any shortage
  const net = remedyOf(a, 'network_rate');
  assert.equal(net.recommended, true);
  assert.match(net.assessment, /^This atomic allocation came from the network path/);
});

test('advice N6: DMA32 passed with an order-5 block free: min_free_kbytes does not blame unusable memory (extra 075)', () => {
  const a = report('extra', '075-');
  assert.equal(a.verdict, 'zones_passed');
  assert.equal(
    remedyOf(a, 'min_free_kbytes').assessment,
    'Not indicated: no zone the request may use was near its min watermark.',
  );
});

// ---------------------------------------------------------------------------------------------
// Item 9: one reason for the missing THP value.
// ---------------------------------------------------------------------------------------------

test('advice N7: 2.6.32 says "no THP value: transparent hugepages came in 2.6.38", never "unknown for this layout" (corpus 011)', () => {
  const a = report('corpus', '011-');
  const c = remedyOf(a, 'min_free_kbytes').sysctl?.comment ?? '';
  assert.match(
    c,
    /value = max\(2 × 11348 = 22696 \(no THP value: transparent hugepages came in 2\.6\.38\)\) = 22696 kB/,
  );
  assert.doesNotMatch(c, /unknown/);
});

// ---------------------------------------------------------------------------------------------
// Item 10: lowmem_reserve_ratio for a DMA32-only request.
// ---------------------------------------------------------------------------------------------

test("advice audit-b (extra 075): a DMA32-class request is not told to lower DMA's ratio, which enlarges DMA's reserve against it", () => {
  const a = report('extra', '075-');
  const lrr = remedyOf(a, 'lowmem_reserve_ratio');
  assert.equal(lrr.recommended, false);
  assert.equal(lrr.sysctl, null);
  assert.equal(
    lrr.assessment,
    "Not recommended: no populated zone lies above DMA32 in this report, so DMA32's own ratio protects it from nothing. Lowering DMA's ratio would enlarge the reserve DMA keeps back from this very DMA32-class request.",
  );
});
