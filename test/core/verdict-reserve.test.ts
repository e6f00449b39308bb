// Issue #13 rules 1, 3 and 10 on real reports: the highatomic reserve the kernel subtracts but
// does not print before 5.10, free CMA pages an unmovable request cannot use, memory above the
// request's highest zone, and one truth between the summary, the verdict, the zone states and the
// replay on every fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allFixtureFiles } from './fixture-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { renderReportText } from '../../server/src/core/render-text';
import {
  highatomicFreeAtLeast,
  noAllocFlags,
  pageblockPagesAtLeast,
  replayWatermarkCheck,
} from '../../server/src/core/watermarks';
import { parseLog } from '../../server/src/core/parse';
import { WATERMARK_RULES } from '../../server/src/core/kernel/eras';
import { analyzeProtection } from '../../server/src/core/protection';

const fixture = (dir: string, name: string): ReportAnalysis[] =>
  analyzeText(readFileSync(join('test', 'fixtures', dir, name), 'utf8')).reports;

const check = (a: ReportAnalysis, zone: string) => {
  const c = a.replay.zones.find((z) => z.zone === zone);
  assert.ok(c, `no check for ${zone}`);
  return c;
};

// ---- rule 1: hidden highatomic reserve -------------------------------------------------------

test('rule 1: 4.7-next order-2 GFP_KERNEL_ACCOUNT OOM — DMA32 fails at min only because of its unprinted highatomic reserve (extra 032)', () => {
  const a = fixture('extra', '032-bare-4.7-next-oom-order2-movable-200col-hardwrap-midtoken.log')[0];
  // The replay shown is the OOM's last attempt at high (issue #13 rule 2), which subtracts the
  // reserve too (its alloc flags carry no ALLOC_HARDER): DMA32 fails there with or without it.
  const dma32 = check(a, 'DMA32');
  // free 8188 kB = 2047 pages; high 9732 kB = 2433; H letters at orders 0–2 ⇒ a reserve of at least
  // one pageblock (x86-64 4 kB pages: 512); cap = managed 127150/100 + 2 × 1024 − 1 = 3318.
  assert.deepEqual(dma32.hiddenHighatomic, {
    low: 512,
    high: 3318,
    seen: true,
    pageblockPages: 512,
    decided: 'both',
    passesWithout: false,
  });
  assert.equal(dma32.freePages, 2047);
  assert.equal(dma32.unusablePages, 3 + 512);
  assert.equal(dma32.unusableText, '2^2 − 1 = 3 + highatomic ≥ 512');
  assert.equal(dma32.pass, false);
  assert.match(dma32.explanation, /2047 − 515 = 1532 ≤ 2433 \+ 0 = 2433 → fails the high watermark/);
  // was 'zones_passed' ("a race") when the reserve was taken as 0 and min was the only check
  assert.equal(a.verdict, 'no_free_pages');
  // at min (the request's own attempts: 2047 − 3 = 2044 > 1623 without the reserve, 1532 ≤ 1623
  // with it) the reserve is what made the request fail
  assert.match(
    a.verdictText,
    /The request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\) fail at min as well: Node 0 DMA32 fails only because of its highatomic reserve, which this request may not use: at least 512 pages \(the H blocks of its buddy line, one pageblock ≥ 512 pages\); the kernel prints reserved_highatomic only from 5\.10\./,
  );
  // GFP_KERNEL_ACCOUNT cannot use the Movable zone: its free memory is named
  assert.match(
    a.verdictText,
    /Node 0 Movable had 23648 kB free \(min 19256 kB\), which this request cannot use \(above the request's highest zone Normal\)/,
  );
  assert.deepEqual(a.replay.assumptions, []);
});

test('rule 1: 4.9 order-0 movable OOM — zone_watermark_fast passes DMA32 at min without the reserve, not at high (extra 014)', () => {
  const a = fixture('extra', '014-mail-wrapped-kernel-prefix-4.9-fc25-oom-dnf-stackwords.log')[0];
  // the last attempt at high: the fast check (839 > 999) fails, so the reserve is subtracted
  const dma32 = check(a, 'DMA32');
  assert.equal(dma32.unusableText, '2^0 − 1 = 0 + highatomic ≥ 512');
  assert.equal(dma32.pass, false);
  assert.match(dma32.explanation, /839 − 512 = 327 ≤ 999 \+ 0 = 999 → fails the high watermark/);
  assert.match(dma32.explanation, /zone_watermark_fast, which does not subtract it \(4\.8–5\.9\), fails too/);
  const dma = check(a, 'DMA');
  assert.equal(dma.pass, false);
  assert.match(dma.explanation, /zone_watermark_fast, which does not subtract it \(4\.8–5\.9\), fails too/);
  // the request's own attempts at min: the fast check passes DMA32 without the reserve
  assert.match(
    a.verdictText,
    /At min, the mark of the request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\|ALLOC_CMA\), Node 0 DMA32 would pass at this printout \(Node 0 DMA32: 839 free − 0 unusable = 839 > min 667/,
  );
  assert.equal(a.verdict, 'no_free_pages');
});

test('rule 1: 4.8-next order-0 without H blocks — the reserve can only fail the zones by more (corpus 007)', () => {
  const a = fixture('corpus', '007-bare-oom-4.7-movable-screen-truncated.log')[0];
  const dma32 = check(a, 'DMA32');
  assert.deepEqual(dma32.hiddenHighatomic, {
    low: 0,
    high: 3318,
    seen: false,
    pageblockPages: null,
    decided: 'both',
    passesWithout: false,
  });
  assert.match(
    dma32.explanation,
    // 4.7.0-rc7-next-20160720 is linux-next for 4.8, read with the 4.8 row: the order-0 fast check
    /reserved_highatomic is not printed before 5\.10 and no H block is listed; a reserve could only make it fail by more; zone_watermark_fast, which does not subtract it \(4\.8–5\.9\), fails too$/,
  );
  assert.equal(a.verdict, 'no_free_pages');
});

test('rule 1: order-0 atomic (ALLOC_HARDER) — the reserve is not subtracted, but order 0 cannot take H blocks (corpus 013)', () => {
  const a = fixture('corpus', '013-reflowed-arm32-rza1-4.9-order0-atomic.log')[0];
  const n = check(a, 'Normal');
  assert.equal(n.hiddenHighatomic, undefined);
  assert.equal(n.unusableText, '2^0 − 1 = 0');
  assert.equal(n.pass, true);
  assert.equal(n.result, 'fail');
  // rule 10 (audit N9): verdict, JSON and zone check agree
  assert.equal(a.verdict, 'no_free_pages');
  assert.match(a.verdictText, /every free block there is in the highatomic reserve \(H\)/);
});

test('rule 1: the bounds — H pages listed, the pinned pageblock, and an undecidable zone', () => {
  const log = readFileSync(
    join('test', 'fixtures', 'extra', '032-bare-4.7-next-oom-order2-movable-200col-hardwrap-midtoken.log'),
    'utf8',
  );
  const r = parseLog(log).reports[0];
  const b = r.buddy.find((x) => x.zone === 'DMA32');
  assert.ok(b);
  // 21*4kB (EH) 14*8kB (UMEH) 14*16kB (UMEH): one H block at each of orders 0, 1, 2
  assert.deepEqual(highatomicFreeAtLeast(b), { pages: 1 + 2 + 4, seen: true });
  assert.equal(pageblockPagesAtLeast(4, true, 10), 512);
  assert.equal(pageblockPagesAtLeast(4, true, 8), 256); // MAX_ORDER − 1 below the PMD order
  assert.equal(pageblockPagesAtLeast(4, false, 10), null); // s390, ppc 8xx: not pinned
  assert.equal(pageblockPagesAtLeast(64, true, 13), null);
  // The same DMA32 zone with 600 more free pages passes at the lower bound (512) and fails at the
  // cap (3318): undecidable, and the verdict names what is missing.
  const dma32 = r.zones.find((z) => z.zone === 'DMA32');
  assert.ok(dma32);
  const replay = replayWatermarkCheck({
    rules: WATERMARK_RULES['4.4'],
    classzoneIsGfpZone: false,
    order: 2,
    flags: noAllocFlags('ALLOC_WMARK_MIN|ALLOC_CPUSET'),
    highestZone: 'Normal',
    zones: [{ ...dma32, freeKb: (dma32.freeKb ?? 0) + 2400 }],
    buddy: [b],
    layout: ['DMA', 'DMA32', 'Normal', 'Movable'],
    pageSizeKb: 4,
    nodemask: null,
    memsAllowed: null,
  });
  const c = replay.zones[0];
  assert.equal(c.pass, null);
  assert.equal(c.result, 'unknown');
  assert.equal(c.hiddenHighatomic?.decided, 'undecided');
  assert.match(
    c.explanation,
    /→ undecidable: it passes with the smallest highatomic reserve the buddy line allows \(512 pages\) and fails with the largest the kernel keeps \(3318 pages\)/,
  );
  assert.deepEqual(replay.missing, [
    'nr_reserved_highatomic of Node 0 DMA32: the kernel prints it (`reserved_highatomic:`) only from 5.10 and /proc/zoneinfo not at all; ' +
      'on the running system /proc/pagetypeinfo\'s "Number of blocks type" HighAtomic column times the pageblock size gives it',
  ]);
});

// ---- rule 3: CMA -------------------------------------------------------------------------------

test('rule 3: 3.10 i.MX6 order-0 GFP_ATOMIC — 35784 of 35948 free DMA pages are CMA (extra 085)', () => {
  const a = fixture(
    'extra',
    '085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log',
  )[0];
  const dma = check(a, 'DMA');
  assert.equal(dma.freePages, 35948);
  assert.equal(dma.unusablePages, 35784);
  assert.equal(dma.unusableText, '2^0 − 1 = 0 + free CMA 35784');
  assert.equal(dma.adjustedMinPages, 313);
  assert.equal(dma.pass, false);
  assert.equal(dma.cmaDecides, true);
  assert.match(dma.explanation, /35784 of its 35948 free pages are CMA, which this request cannot use/);
  assert.equal(a.verdict, 'no_free_pages');
  assert.equal(
    a.verdictText,
    'No allowed zone had enough free pages: the only zone the request may use (DMA) failed the watermark check; ' +
      'DMA: non-CMA free memory was exhausted (164 pages against an atomic min of 313); its other 35784 free pages are CMA, which only movable allocations may use (no ALLOC_CMA without __GFP_MOVABLE).',
  );
  // one truth: the zone above its own high watermark says it failed this request
  const zone = a.zones.find((z) => z.zone === 'DMA');
  assert.equal(zone?.state, 'ok');
  assert.match(
    zone?.stateText ?? '',
    /; but this request fails here: its free CMA pages are not counted for a request without __GFP_MOVABLE$/,
  );
  assert.match(
    a.summary,
    // the short verdict agrees with the impact: the non-CMA pages ran out, the rest was CMA
    /all allowed zones above high watermark by their own counts, yet DMA fails this request's check; non-CMA memory was exhausted; the free memory was CMA, which only movable allocations may use$/,
  );
  assert.match(renderReportText(a).join('\n'), /DMA +143792 +3336 +4168 +5004 +ok, fails request/);
});

test('rule 3: a movable request counts the CMA pages (ALLOC_CMA) — 5.10 mips GFP_KERNEL cannot (corpus 005)', () => {
  const a = fixture('corpus', '005-dmesg-mips32-highmem-5.10-go.log')[0];
  assert.doesNotMatch(a.gfp?.allocFlags?.text ?? '', /ALLOC_CMA/);
  const n = check(a, 'Normal');
  assert.match(n.unusableText, /free CMA \d+/);
  assert.equal(n.pass, true); // enough pages besides CMA: the CMA does not decide here
  assert.equal(n.cmaDecides, undefined);
  assert.equal(a.verdict, 'fragmentation');
  assert.match(a.verdictText, /the larger blocks are CMA \(C\) only/);
});

test('rule 10: HighMem a GFP_KERNEL request cannot use is named in the verdict (extra 018, 2.6.24 i386)', () => {
  const a = fixture('extra', '018-forum-md-masked-prefix-syslog-2.6.24-i386-highmem-oom-xorg-nvidia.log')[0];
  assert.equal(a.verdict, 'no_free_pages');
  assert.match(
    a.verdictText,
    /; HighMem had 113132 kB free \(min 512 kB\), which this request cannot use \(above the request's highest zone Normal\); reclaim could not free enough/,
  );
});

// ---- rule 10: one truth on every fixture ---------------------------------------------------------

test('rule 10: summary, verdict, zone states and replay never contradict, on every fixture', () => {
  let reports = 0;
  let failingAboveMin = 0;
  for (const file of allFixtureFiles()) {
    for (const a of analyzeText(readFileSync(file, 'utf8')).reports) {
      reports++;
      const where = `${file} report ${a.index}`;
      const usable = a.replay.zones.filter((c) => c.usable);
      // a zone above min by its own watermarks that failed the replay says so, in words and table
      for (const z of a.zones) {
        if (z.empty || !z.check || z.check.result !== 'fail') continue;
        if (z.state === 'below_min' || z.state === 'unknown') continue;
        failingAboveMin++;
        assert.match(z.stateText, /; but this request fails here: /, where);
      }
      // "all allowed zones above high watermark" only beside a replay it agrees with
      if (/all allowed zones above high watermark(?! by their own counts, yet)/.test(a.summary))
        assert.ok(
          a.verdict === 'fragmentation' ||
            a.verdict === 'not_applicable' ||
            usable.some((c) => c.result === 'pass') ||
            usable.every((c) => c.result !== 'fail'),
          `${where}: ${a.summary}`,
        );
      // the verdict agrees with the zones' checks
      // (no usable zone at all only when a printed cpuset or nodemask left none: extra 031)
      // (an order-0 request may also find every free block in the highatomic reserve: its check
      // passes the watermark and fails, no page it may take — audit N9)
      if (a.verdict === 'no_free_pages')
        assert.ok(
          (usable.length > 0 || /left the request no zone at all/.test(a.verdictText)) &&
            usable.every(
              (c) =>
                c.pass === false ||
                (c.result === 'fail' &&
                  a.order?.order === 0 &&
                  /highatomic reserve \(H\)/.test(a.verdictText)),
            ),
          `${where}: ${a.verdictText}`,
        );
      if (a.verdict === 'zones_passed' && a.kind !== 'oom_kill')
        assert.ok(
          usable.some((c) => c.pass === true),
          where,
        );
      if (a.verdict === 'fragmentation')
        assert.ok(usable.some((c) => c.pass === true) && usable.every((c) => c.result !== 'pass'), where);
    }
  }
  assert.ok(reports > 150, `${reports} reports`);
  assert.ok(failingAboveMin > 40, `${failingAboveMin} zones above min that failed`);
});

test('rule 3: 3.7–3.9 leave free CMA pages out of the per-order loop too, 3.10 only out of the first comparison (085 numbers, order 1)', () => {
  const r = parseLog(
    readFileSync(
      join(
        'test',
        'fixtures',
        'extra',
        '085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log',
      ),
      'utf8',
    ),
  ).reports[0];
  const flags = {
    high: false,
    harder: false,
    nonBlock: false,
    highatomic: false,
    cma: false,
    ignoresCpuset: false,
    noretry: false,
    thisnode: false,
    nowarn: false,
    text: 'ALLOC_WMARK_MIN|ALLOC_CPUSET',
  };
  const blocks = (era: '3.7' | '3.10') =>
    replayWatermarkCheck({
      rules: WATERMARK_RULES[era],
      classzoneIsGfpZone: false,
      order: 1,
      flags,
      highestZone: 'Normal',
      zones: r.zones,
      buddy: r.buddy,
      layout: ['DMA', 'Normal', 'HighMem'],
      pageSizeKb: 4,
      nodemask: null,
      memsAllowed: null,
    }).zones[0].orderBlocks;
  // DMA: free 35948 pages, 35784 of them CMA, 4452 free order-0 blocks, min 834 → 417 at order 1.
  // 3.7 (and 3.8.13): 35948 − 1 − 35784 − 4452 < 0 ≤ 417; 3.10: 35948 − 1 − 4452 = 31495 > 417.
  assert.equal(blocks('3.7')?.available, false);
  assert.match(blocks('3.7')?.text ?? '', /^after removing order 0 the pages left are ≤ min\/2\^1/);
  assert.equal(blocks('3.10')?.available, true);
  assert.equal(WATERMARK_RULES['3.7'].label, '3.7–3.9');
});

test('rule 3: CMA pages that joined managed after boot do not make a changed lowmem_reserve_ratio (4.10–5.8)', () => {
  // The 4.9 fc25 report's zones (extra 014): DMA[DMA32] = 451, managed(DMA32) 121096 / 256 = 473
  // (boot-time sizes up to 5 % smaller). No
  // fixture prints CMA in a zone above another, so its DMA32 is given 16384 more managed pages and
  // `16384 pages cma reserved`, as show_mem prints them when the CMA area sits in DMA32.
  const r = parseLog(
    readFileSync(
      join('test', 'fixtures', 'extra', '014-mail-wrapped-kernel-prefix-4.9-fc25-oom-dnf-stackwords.log'),
      'utf8',
    ),
  ).reports[0];
  const zones = r.zones.map((z) =>
    z.zone === 'DMA32' ? { ...z, managedKb: (z.managedKb ?? 0) + 16384 * 4 } : z,
  );
  const dma = (reserveBeforeCma: boolean | null, cma: number | null) =>
    analyzeProtection({
      zones,
      layout: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'],
      pageSizeKb: 4,
      from417: false,
      cmaReservedPages: cma,
      reserveBeforeCma,
    }).find((p) => p.zone === 'DMA');
  const plain = dma(null, null);
  assert.notEqual(plain?.ratio, 256); // read as a changed ratio without the CMA count
  const withCma = dma(true, 16384);
  assert.equal(withCma?.ratio, 256);
  assert.equal(withCma?.consistent, true);
  assert.match(
    withCma?.notes.join(' ') ?? '',
    /the entries fit the default ratio 256 once the 16384 CMA pages \("pages cma reserved"\) are left out: from 4\.10 to 5\.8 lowmem_reserve was computed at boot before the CMA areas joined the managed pages/,
  );
  assert.match(
    withCma?.formulas[0] ?? '',
    /^DMA\[DMA32\] = \(managed\(DMA32\) − CMA\) \/ ratio = \(\d+ − 16384\) = \d+ \/ 256/,
  );
  // 5.9+ computes the reserve after the CMA areas joined: the count does not excuse the entries
  assert.notEqual(dma(false, 16384)?.ratio, 256);
});
