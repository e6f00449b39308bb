// The watermark check replayed for the failed request (kernel-memory.md §3.1–§3.3): for each zone
// the request may use, `free − unusable > min(adjusted) + lowmem_reserve[classzone]`, and for
// order > 0 the free-list part, exactly as the report's kernel era computes it. What differs
// between eras is the WatermarkRules of kernel/eras.ts; this file reads them, never era names.

import type { BuddyLine, ZoneLine } from './model';
import type {
  AllocFlags,
  HiddenHighatomic,
  OrderBlockCheck,
  ReplayAnalysis,
  WatermarkEra,
  ZoneCheck,
} from './analysis-types';
import {
  blockOfTypeAvailable,
  buddyLookup,
  describeBlocks,
  largestFreeOrder,
  freeKbAtOrder,
  oldOrderLoop,
  onlyHighatomicFree,
} from './buddy';
import { canonicalZone, isEmptyZone, ZONE_ORDER, zoneIndex, zoneLabel } from './zones';
import { MAX_NUMNODES, NODE_ID, readInt } from './numbers';
import { WATERMARK_RULES, type AllocFlagName, type OomLastAttempt, type WatermarkRules } from './kernel/eras';

/** Parse a printed node list ("0-1,3"); null for "(null)", an empty list (= every node) or one
 * that is not a list of node ids below MAX_NUMNODES. Linear in the text: ranges are marked at
 * their ends and the nodes counted out once (at most MAX_NUMNODES), not node by node per range. */
export function parseNodeList(list: string | null): Set<number> | null {
  if (list === null) return null;
  const t = list.trim();
  if (t === '' || t === '(null)') return null;
  const starts = new Int32Array(MAX_NUMNODES + 1);
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = readInt(m[1], NODE_ID);
    const b = m[2] !== undefined ? readInt(m[2], NODE_ID) : a;
    if (a === null || b === null) return null;
    if (a > b) continue;
    starts[a]++;
    starts[b + 1]--;
  }
  const out = new Set<number>();
  for (let n = 0, depth = 0; n < MAX_NUMNODES; n++) if ((depth += starts[n]) > 0) out.add(n);
  return out;
}

/** The rules to replay: a timeline row's, or those of the era an analysis names. */
export type ReplayRules = { rules: WatermarkRules; era?: never } | { era: WatermarkEra; rules?: never };

export type ReplayInput = ReplayRules & ReplayRequest;

export interface ReplayRequest {
  /** Kernel ≥ 5.10: the class zone is gfp_zone() itself (reference §3.2 "Classzone index"). */
  classzoneIsGfpZone: boolean;
  /** 2.6.x rule for ALLOC_HARDER (only `!__GFP_WAIT`). */
  order: number;
  flags: AllocFlags;
  highestZone: string;
  zones: ZoneLine[];
  buddy: BuddyLine[];
  layout: string[];
  pageSizeKb: number;
  nodemask: string | null;
  memsAllowed: string | null;
  /** Replay an OOM report's last attempt (kernel/eras.ts OomLastAttempt: the printed high, the
   * attempt's own alloc flags) instead of the request's attempts at min with `flags`. The printed
   * `min:`/`high:` are the marks the kernel uses (5.0+ both include watermark_boost). */
  oomLastAttempt?: OomLastAttempt | null;
  /** 4.8–5.9: an order-0 request first passes `free − free CMA > min + lowmem_reserve` without the
   * highatomic reserve (EraRow.orderZeroFastSkipsHighatomic). */
  orderZeroFastSkipsHighatomic?: boolean;
}

/** The alloc flags of the OOM's last attempt: the request's are replaced by the attempt's
 * (ALLOC_WMARK_HIGH|ALLOC_CPUSET: no min cut, no ALLOC_CMA, no reserve flag, the cpuset applies);
 * what the gfp mask itself says (__GFP_THISNODE, __GFP_NORETRY, __GFP_NOWARN) stays. */
export function oomAttemptFlags(flags: AllocFlags, attempt: OomLastAttempt): AllocFlags {
  return {
    ...noAllocFlags(attempt.allocFlags),
    noretry: flags.noretry,
    thisnode: flags.thisnode,
    nowarn: flags.nowarn,
  };
}

/** No alloc flag set (a check made with alloc_flags 0 or only the watermark bits, such as kswapd's
 * pgdat_balanced), `text` naming it. */
export function noAllocFlags(text: string): AllocFlags {
  return {
    high: false,
    harder: false,
    nonBlock: false,
    highatomic: false,
    cma: false,
    ignoresCpuset: false,
    noretry: false,
    thisnode: false,
    nowarn: false,
    text,
  };
}

/** Pages on the H (MIGRATE_HIGHATOMIC) free lists of a buddy line, at least: every block of an
 * order printed `(H)` alone, and one block of an order whose letters include H with others
 * (show_migration_types prints one letter per non-empty list, not the count per list). */
export function highatomicFreeAtLeast(b: BuddyLine): { pages: number; seen: boolean } {
  let pages = 0;
  let seen = false;
  b.orders.forEach((o, k) => {
    if (o.count === 0 || !o.types?.includes('H')) return;
    seen = true;
    pages += (o.types === 'H' ? o.count : 1) * 2 ** k;
  });
  return { pages, seen };
}

/** The HUGETLB_PAGE_ORDER of the layouts whose pageblock this file pins: 4 kB pages with a DMA32
 * zone are x86-64, arm64, riscv64 or mips64, whose huge page is the PMD (2 MiB, order 9). */
const PMD_ORDER_4K = 9;

/**
 * A lower bound of pageblock_nr_pages, or null where the layout does not pin it.
 * include/linux/pageblock-flags.h (4.4–6.x): pageblock_order is HUGETLB_PAGE_ORDER with
 * CONFIG_HUGETLB_PAGE (6.x: at most MAX_PAGE_ORDER), else MAX_ORDER − 1 (the top order the buddy
 * line prints); so it is at least min(PMD order, top order) on the layouts above. Other layouts are
 * not pinned: s390 (1 MiB segments, order 8) and powerpc 8xx (512 KiB) have smaller huge pages.
 */
export function pageblockPagesAtLeast(
  pageSizeKb: number,
  hasDma32: boolean,
  topOrder: number,
): number | null {
  if (pageSizeKb !== 4 || !hasDma32 || topOrder < 0) return null;
  return 2 ** Math.min(PMD_ORDER_4K, topOrder);
}

const rulesOf = (r: WatermarkEra | WatermarkRules): WatermarkRules =>
  typeof r === 'string' ? WATERMARK_RULES[r] : r;

const anySet = (flags: AllocFlags, names: readonly AllocFlagName[]): boolean => names.some((n) => flags[n]);

/** Adjusted min and the steps that made it: the rules' min cuts in order (reference §3.2). */
export function adjustMin(
  era: WatermarkEra | WatermarkRules,
  min: number,
  flags: AllocFlags,
): { min: number; text: string } {
  let m = min;
  const steps: string[] = [];
  for (const c of rulesOf(era).minCuts) {
    if (!c.when.every((n) => flags[n])) continue;
    const before = m;
    m -= Math.floor(m / c.divisor);
    steps.push(`${before} − ${before}/${c.divisor} = ${m} (${c.name})`);
  }
  return {
    min: m,
    text: steps.length > 0 ? steps.join('; ') : `${min} (no reduction: neither __GFP_HIGH nor atomic)`,
  };
}

/** The block part of a zone's check: what the buddy line shows, with the verdict and its text.
 * (Written out rather than spread: see the ZoneCheck objects below.) */
function blockCheck(
  d: OrderBlockCheck,
  available: boolean | null,
  text: string,
  tooFewPages = false,
  largerBlocksElsewhere: string | null = null,
): OrderBlockCheck {
  return {
    available,
    largestOrder: d.largestOrder,
    freeKbAtOrder: d.freeKbAtOrder,
    tooFewPages,
    onlyHighatomic: false,
    largerBlocksElsewhere,
    buddyLine: d.buddyLine,
    text,
  };
}

export function replayWatermarkCheck(input: ReplayInput): ReplayAnalysis {
  const { order, zones, buddy, layout, pageSizeKb } = input;
  const rules = input.rules ?? WATERMARK_RULES[input.era];
  const attempt = input.oomLastAttempt ?? null;
  const flags = attempt ? oomAttemptFlags(input.flags, attempt) : input.flags;
  const mark = attempt ? attempt.mark : 'min';
  const markWord = mark === 'high' ? ' high' : '';
  const missing: string[] = [];
  const assumptions: string[] = [];
  const highestIdx = highestZoneIndex(layout, input.highestZone);
  const nodesAllowed = intersect(
    parseNodeList(input.nodemask),
    flags.ignoresCpuset ? null : parseNodeList(input.memsAllowed),
  );
  // Class zone: ≤5.4 the preferred zone (highest populated zone the request may use, §3.2);
  // 5.10+ gfp_zone() itself, even when that zone is empty.
  let classIdx: number | null = null;
  if (highestIdx !== null) {
    if (input.classzoneIsGfpZone) classIdx = highestIdx;
    else
      for (const z of zones) {
        const i = zoneIndex(layout, z.zone);
        if (i !== null && i <= highestIdx && !isEmptyZone(z) && (classIdx === null || i > classIdx))
          classIdx = i;
      }
  }
  const classzone = classIdx === null ? null : layout[classIdx];
  // 2.6.x–4.3: the high-order part subtracts each smaller order's free pages and compares the
  // rest with a halving min, rather than looking for one usable block.
  const oldLoop = rules.orderCheck === 'halving-loop';
  const subtractsHighatomic = rules.highatomicUnless !== null && !anySet(flags, rules.highatomicUnless);
  const subtractsCma = rules.subtractsCma && !flags.cma;
  const allowedLetters = new Set(['U', 'M', 'E']);
  if (flags.cma) allowedLetters.add('C');
  if (flags[rules.highatomicBlocksWith]) allowedLetters.add('H');
  let highatomicAssumed = false;
  const hasDma32 = zones.some((z) => canonicalZone(z.zone) === 'DMA32');
  let cmaAssumed = false;
  const buddyOf = buddyLookup(buddy);

  const checks: ZoneCheck[] = zones.map((z) => {
    const idx = zoneIndex(layout, z.zone);
    const skipped = (reason: string): ZoneCheck => ({
      // the zone's identity written out, not spread: a spread and then more properties made V8
      // build these objects one property at a time (half this function's time on the seed)
      node: z.node,
      nodePrinted: z.nodePrinted,
      zone: z.zone,
      line: z.line,
      classzone,
      usable: false,
      unusableReason: reason,
      minPages: null,
      adjustedMinPages: null,
      adjustmentText: '',
      reservePages: null,
      freePages: null,
      unusablePages: null,
      unusableText: '',
      pass: null,
      orderBlocks: null,
      result: 'skipped',
      explanation: `${zoneLabel(z)}: not tried: ${reason}`,
    });
    if (idx === null || highestIdx === null) return skipped('zone not in the inferred layout');
    if (idx > highestIdx) return skipped(`above the request's highest zone ${input.highestZone}`);
    if (nodesAllowed && !nodesAllowed.has(z.node))
      return skipped(`node ${z.node} is outside the allowed nodes`);
    if (isEmptyZone(z)) return skipped('empty zone');

    const markKb = mark === 'high' ? z.highKb : z.minKb;
    const minPages = markKb === null ? null : Math.floor(markKb / pageSizeKb);
    const freePages = z.freeKb === null ? null : Math.floor(z.freeKb / pageSizeKb);
    const adj =
      minPages === null
        ? null
        : mark === 'high'
          ? {
              min: minPages,
              text: `${minPages} (high: the last attempt's alloc flags replace the request's, no reduction)`,
            }
          : adjustMin(rules, minPages, flags);
    const orderPages = 2 ** order + rules.orderPagesTerm;
    let unusable = orderPages;
    const parts = [`2^${order} ${rules.orderPagesTerm < 0 ? '−' : '+'} 1 = ${unusable}`];
    const b = buddyOf(z.node, z.zone);
    // The reserve when the report does not print it: bounds, replayed at both ends below.
    let hidden: { low: number; high: number | null; seen: boolean; pageblock: number | null } | null = null;
    if (subtractsHighatomic) {
      // 6.18 subtracts the free highatomic pages (printed `free_highatomic:`), earlier kernels the
      // whole reserve (`reserved_highatomic:`, printed from 5.10) (reference §3.2).
      const freeHa = z.fields['free_highatomic'];
      const haKb = typeof freeHa === 'number' ? freeHa : z.reservedHighatomicKb;
      if (haKb !== null) {
        const h = Math.floor(haKb / pageSizeKb);
        unusable += h;
        parts.push(`${typeof freeHa === 'number' ? 'free highatomic' : 'highatomic'} ${h}`);
      } else if (b && b.orders.some((o) => o.types !== null)) {
        // 4.4–5.9 __zone_watermark_ok: `free_pages -= z->nr_reserved_highatomic` unless
        // ALLOC_HARDER (4.14+: or ALLOC_OOM), and nothing in the report prints it. The reserve is
        // whole pageblocks (reserve_highatomic_pageblock adds pageblock_nr_pages), so it is at
        // least the free pages on the H lists and, with any H block, one pageblock; it stops
        // growing once it reaches managed/100 + pageblock_nr_pages, so it is below
        // managed/100 + 2 pageblocks, and a pageblock is at most the top buddy order.
        const ha = highatomicFreeAtLeast(b);
        const top = b.orders.length - 1;
        const pageblock = ha.seen ? pageblockPagesAtLeast(pageSizeKb, hasDma32, top) : null;
        const managed = z.managedKb === null ? null : Math.floor(z.managedKb / pageSizeKb);
        hidden = {
          low: Math.max(ha.pages, pageblock ?? 0),
          high: managed === null ? null : Math.min(managed, Math.floor(managed / 100) + 2 * 2 ** top - 1),
          seen: ha.seen,
          pageblock,
        };
      } else highatomicAssumed = true;
    }
    let cmaPages = 0;
    if (subtractsCma) {
      if (z.freeCmaKb !== null) {
        cmaPages = Math.floor(z.freeCmaKb / pageSizeKb);
        if (cmaPages > 0) parts.push(`free CMA ${cmaPages}`);
      } else if (rules.notesUnprintedCma) cmaAssumed = true;
      unusable += cmaPages;
    }
    const cmaUnusable = cmaPages;
    let reserve: number | null = null;
    if (classIdx !== null) {
      if (z.lowmemReserve && classIdx < z.lowmemReserve.length) reserve = z.lowmemReserve[classIdx];
      else if (idx >= classIdx) reserve = 0; // zone[i].lowmem_reserve[j] = 0 for j ≤ i
    }
    let pass =
      freePages === null || adj === null || reserve === null
        ? null
        : freePages - unusable > adj.min + reserve;
    let hiddenHighatomic: HiddenHighatomic | undefined;
    let fastResult: boolean | null = null;
    if (hidden && freePages !== null && adj !== null && reserve !== null && minPages !== null) {
      // 4.8–5.9 zone_watermark_fast: an order-0 request first passes on `free − free CMA > min +
      // lowmem_reserve`, the reserve not subtracted; only when that fails does
      // __zone_watermark_ok subtract it (with the request's cuts of min).
      const fastApplies = order === 0 && input.orderZeroFastSkipsHighatomic === true;
      const fast = fastApplies && freePages - cmaUnusable > minPages + reserve;
      if (fastApplies) fastResult = fast;
      const before = unusable;
      const passWith = (ha: number): boolean => fast || freePages - before - ha > adj.min + reserve;
      const atLow = passWith(hidden.low);
      const atHigh = hidden.high === null ? null : passWith(hidden.high);
      // A larger reserve only takes pages away: failing at the lower bound decides, and so does
      // passing at the upper one.
      const decided: HiddenHighatomic['decided'] =
        !atLow || atHigh === true ? 'both' : hidden.seen ? 'undecided' : 'likely';
      // With an H block listed the reserve is at least its lower bound; without one it is most
      // likely 0 (a reserved pageblock shows no H block only while every page of it is allocated),
      // so that is what is replayed, with a note when the upper bound would change the outcome.
      pass = decided === 'undecided' ? null : atLow;
      if (fast) parts.push('highatomic not subtracted (order-0 fast check)');
      else if (hidden.low > 0) {
        unusable += hidden.low;
        parts.push(`highatomic ≥ ${hidden.low}`);
      }
      hiddenHighatomic = {
        low: hidden.low,
        high: hidden.high,
        seen: hidden.seen,
        pageblockPages: hidden.pageblock,
        decided,
        passesWithout: passWith(0),
      };
    }
    // 5.0+ zone_watermark_fast: an order-0 GFP_ATOMIC (6.3+: __GFP_HIGH) request that fails the
    // boosted min is retried against the unboosted min (verified in 5.x–6.19 page_alloc.c).
    let boostNote = '';
    const boostRetry = flags[rules.boostRetryWith];
    const boostPages = z.boostKb === null ? 0 : Math.floor(z.boostKb / pageSizeKb);
    if (
      pass === false &&
      mark === 'min' &&
      order === 0 &&
      boostRetry &&
      boostPages > 0 &&
      minPages !== null &&
      freePages !== null &&
      reserve !== null
    ) {
      const unboosted = adjustMin(rules, minPages - boostPages, flags);
      if (freePages - unusable > unboosted.min + reserve) {
        pass = true;
        boostNote = ` (against the unboosted min ${unboosted.min}: watermark boost is ignored for this request)`;
      }
    }

    // Block part (order > 0; and order 0 on 4.4+, which cannot take highatomic blocks).
    let orderBlocks: OrderBlockCheck | null = null;
    if (order > 0) {
      if (!b)
        orderBlocks = {
          available: null,
          largestOrder: null,
          freeKbAtOrder: null,
          tooFewPages: false,
          onlyHighatomic: false,
          largerBlocksElsewhere: null,
          buddyLine: null,
          text: 'no buddy line for this zone: block check not possible',
        };
      else if (oldLoop) {
        const d = describeBlocks(b, order, pageSizeKb);
        if (freePages === null || adj === null) orderBlocks = blockCheck(d, null, d.text);
        else {
          // 3.10–4.3: the CMA term only applies to the first comparison; 3.7–3.9 subtracted it
          // from free_pages before both (WatermarkRules.cmaInOrderLoop).
          const loop = oldOrderLoop(
            b,
            freePages - orderPages - (rules.cmaInOrderLoop ? cmaUnusable : 0),
            adj.min,
            order,
          );
          orderBlocks = blockCheck(
            d,
            loop.pass,
            (loop.pass
              ? `enough pages in blocks ≥ order ${order}`
              : `after removing ${loop.failedAt ? `orders 0…${loop.failedAt}` : 'order 0'} the pages left are ≤ min/2^${(loop.failedAt ?? 0) + 1}`) +
              `; ${d.text}`,
            !loop.pass && (d.largestOrder ?? -1) >= order,
          );
        }
      } else {
        const found = blockOfTypeAvailable(b, order, allowedLetters);
        const d = describeBlocks(b, order, pageSizeKb);
        const elsewhere =
          !found.available && d.available ? `the larger blocks are ${blockTypesAtOrder(b, order)}` : null;
        orderBlocks = blockCheck(
          d,
          found.available,
          found.available
            ? `a usable block of order ${found.order} is free; ${d.text}`
            : `no free block ≥ order ${order} on a list it may use (${[...allowedLetters].join('/')})` +
                (elsewhere ? ` — ${elsewhere}` : '') +
                `; ${d.text}`,
          false,
          elsewhere,
        );
      }
    } else if (b && !oldLoop && onlyHighatomicFree(b)) {
      // Order-0 requests never take MIGRATE_HIGHATOMIC blocks, whatever their flags: rmqueue
      // tries that list only for order > 0 (4.4–6.x page_alloc.c; 281dd25c1a01 "mm/page_alloc:
      // let GFP_ATOMIC order-0 allocs access highatomic reserves", Nov 2024, merged for 6.12 and
      // backported to stable trees, lets ALLOC_MIN_RESERVE order-0 requests take it).
      if (rules.notesHighatomicFix)
        assumptions.push(
          '6.x kernels with 281dd25c1a01 (2024; 6.12 and stable backports) let GFP_ATOMIC order-0 requests use H blocks',
        );
      orderBlocks = {
        available: false,
        largestOrder: largestFreeOrder(b),
        freeKbAtOrder: freeKbAtOrder(b, 0),
        tooFewPages: false,
        onlyHighatomic: true,
        largerBlocksElsewhere: null,
        buddyLine: b.line,
        text: 'every free block is in the highatomic reserve (H), which an order-0 request cannot take',
      };
    }

    let result: ZoneCheck['result'];
    if (pass === false) result = 'fail';
    else if (pass === null) result = 'unknown';
    else if (orderBlocks && orderBlocks.available === false) result = 'fail';
    else if (order > 0 && (!orderBlocks || orderBlocks.available === null)) result = 'unknown';
    else result = 'pass';

    const lhs = freePages === null ? '?' : `${freePages} − ${unusable} = ${freePages - unusable}`;
    const rhs = `${adj?.min ?? '?'} + ${reserve ?? '?'} = ${adj && reserve !== null ? adj.min + reserve : '?'}`;
    let explanation = `${zoneLabel(z)}: ${lhs} ${pass === null ? 'vs' : pass ? '>' : '≤'} ${rhs}`;
    if (pass === false)
      explanation += reserve
        ? ` → fails (lowmem_reserve ${reserve} pages for ${classzone}-class requests)`
        : ` → fails the${markWord} watermark`;
    else if (pass === true) {
      explanation += ` → passes the${markWord} watermark${boostNote}`;
      if (orderBlocks)
        explanation +=
          orderBlocks.available === false
            ? `, but ${orderBlocks.text}`
            : orderBlocks.available === null
              ? `; block check unknown (${orderBlocks.text})`
              : `; ${orderBlocks.text}`;
    } else if (hiddenHighatomic?.decided === 'undecided')
      explanation += ` → undecidable: it passes with the smallest highatomic reserve the buddy line allows (${hiddenHighatomic.low} pages) and fails with the largest the kernel keeps (${hiddenHighatomic.high} pages)`;
    else
      explanation += ` → unknown (${[freePages === null ? 'free' : '', adj === null ? mark : '', reserve === null ? `lowmem_reserve[${classzone}]` : ''].filter(Boolean).join(', ')} not printed)`;
    if (hiddenHighatomic) explanation += `. ${hiddenHighatomicText(hiddenHighatomic, pass, fastResult)}`;
    // Free CMA pages this request may not use (no ALLOC_CMA: not __GFP_MOVABLE) decided the zone
    // when it fails without them but passes with them.
    const cmaDecides =
      pass === false &&
      cmaUnusable > 0 &&
      freePages !== null &&
      adj !== null &&
      reserve !== null &&
      freePages - (unusable - cmaUnusable) > adj.min + reserve;
    if (cmaDecides)
      explanation += `. ${cmaUnusable} of its ${freePages} free pages are CMA, which this request cannot use (no ALLOC_CMA without __GFP_MOVABLE): with them it would pass`;

    return {
      node: z.node,
      nodePrinted: z.nodePrinted,
      zone: z.zone,
      line: z.line,
      classzone,
      usable: true,
      unusableReason: null,
      minPages,
      adjustedMinPages: adj?.min ?? null,
      adjustmentText: adj?.text ?? `${mark} not printed`,
      reservePages: reserve,
      freePages,
      unusablePages: unusable,
      unusableText: parts.join(' + '),
      pass,
      orderBlocks,
      result,
      explanation,
      ...(hiddenHighatomic ? { hiddenHighatomic } : {}),
      ...(cmaDecides ? { cmaDecides } : {}),
    };
  });

  const usable = checks.filter((c) => c.usable);
  const undecided = usable.filter((c) => c.hiddenHighatomic?.decided === 'undecided');
  if (undecided.length > 0)
    missing.push(
      `nr_reserved_highatomic of ${undecided.map((c) => zoneLabel(c)).join(', ')}: ${HIGHATOMIC_NOT_PRINTED}`,
    );
  if (order > 0 && usable.some((c) => c.pass === true && c.orderBlocks?.available === null))
    missing.push('buddy free lists (the per-order "Node N Zone: n*4kB …" lines)');
  if (usable.some((c) => c.pass === null && c.reservePages === null))
    missing.push(`lowmem_reserve[] line of a zone below ${classzone ?? 'the class zone'}`);
  if (highatomicAssumed)
    assumptions.push(
      'reserved_highatomic is not printed before 5.10 and no buddy line with migrate types bounds it: taken as 0 ' +
        '(the check subtracts it for requests without ALLOC_HARDER; /proc/pagetypeinfo counts the HighAtomic pageblocks)',
    );
  if (cmaAssumed) assumptions.push('free_cma not printed: taken as 0');
  if (flags.thisnode)
    assumptions.push(
      '__GFP_THISNODE: only the local node was allowed, and the report does not say which it is',
    );
  // The OOM's last attempt replaces the request's alloc flags with ALLOC_WMARK_HIGH|ALLOC_CPUSET
  // (2.6.18 … 2.6.30 __alloc_pages / __alloc_pages_internal, 2.6.31+ __alloc_pages_may_oom): a
  // real-time task's ALLOC_HARDER (gfp_to_alloc_flags, rt_task) does not enter it.
  if (rules.notesRealtimeHarder && !flags.harder && !attempt)
    assumptions.push('a real-time task would also get ALLOC_HARDER; the report cannot tell');

  return {
    era: rules.name,
    mark,
    classzone,
    allocFlagsText: flags.text,
    algorithmText: attempt
      ? `The OOM killer's last attempt (${attempt.caller}, before out_of_memory): get_page_from_freelist with ${attempt.allocFlags}, ` +
        `the request's alloc flags replaced (no min cut, no ALLOC_CMA, no reserve flag), against the printed high watermark instead of min. ${rules.text}`
      : rules.text,
    zones: checks,
    blockTypes: oldLoop ? null : [...allowedLetters],
    missing,
    assumptions,
  };
}

/** Where the highatomic reserve can be read, for text. */
const HIGHATOMIC_NOT_PRINTED =
  'the kernel prints it (`reserved_highatomic:`) only from 5.10 and /proc/zoneinfo not at all; on the running system ' +
  '/proc/pagetypeinfo\'s "Number of blocks type" HighAtomic column times the pageblock size gives it';

/** One sentence on the unprinted reserve of a zone and what it did to the replay. `fast`: null
 * when zone_watermark_fast's reserve-free first test does not apply, else its outcome. */
function hiddenHighatomicText(h: HiddenHighatomic, pass: boolean | null, fast: boolean | null): string {
  const upTo =
    h.high === null
      ? ''
      : ` and under ${h.high + 1} pages (reserve_highatomic_pageblock stops at managed/100 + one pageblock)`;
  const fastText =
    fast === null
      ? ''
      : fast
        ? '; this order-0 request passes zone_watermark_fast, which does not subtract it (4.8–5.9)'
        : '; zone_watermark_fast, which does not subtract it (4.8–5.9), fails too';
  if (!h.seen) {
    const head = 'reserved_highatomic is not printed before 5.10 and no H block is listed';
    if (pass === false) return `${head}; a reserve could only make it fail by more${fastText}`;
    if (h.decided === 'both')
      return `${head}; it passes even with the largest reserve the kernel keeps (${h.high} pages)${fastText}`;
    return (
      `${head}, so the reserve is most likely 0 — not proven: a reserved pageblock whose pages are all allocated lists no H block` +
      `${upTo}${fastText}; ` +
      (h.high === null
        ? 'a larger reserve could fail the zone'
        : 'with the largest reserve the zone would fail')
    );
  }
  let out =
    `reserved_highatomic is not printed before 5.10; the buddy line lists H blocks, so the reserve is at least ${h.low} pages` +
    (h.pageblockPages !== null
      ? ` (one pageblock is ${h.pageblockPages} pages or more here)`
      : ' (whole pageblocks, their size not pinned for this layout)') +
    upTo +
    fastText;
  if (h.decided === 'both' && pass === false && h.passesWithout === true)
    out += '; the reserve decides: without it the zone would pass';
  else if (h.decided === 'both' && pass === true && !fast) out += '; it passes even with the largest reserve';
  return out;
}

function blockTypesAtOrder(b: BuddyLine, order: number): string {
  const types = new Set<string>();
  for (let k = order; k < b.orders.length; k++)
    if (b.orders[k].count > 0) for (const t of b.orders[k].types ?? '?') types.add(t);
  const names: Record<string, string> = {
    U: 'unmovable',
    M: 'movable',
    E: 'reclaimable',
    H: 'highatomic',
    C: 'CMA',
    I: 'isolated',
    R: 'reserve',
    '?': 'untyped',
  };
  return [...types].map((t) => `${names[t] ?? t} (${t})`).join(', ') + ' only';
}

function intersect(a: Set<number> | null, b: Set<number> | null): Set<number> | null {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

/**
 * Layout column of the request's highest zone (gfp_zone, reference §3.3): a zone the kernel does
 * not have falls back to the next lower one that exists — __GFP_HIGHMEM is Normal on 64-bit,
 * __GFP_DMA32 is Normal where there is no DMA32 zone.
 */
export function highestZoneIndex(layout: string[], zone: string): number | null {
  const direct = zoneIndex(layout, zone);
  if (direct !== null) return direct;
  const c = canonicalZone(zone);
  if (c === 'DMA32') return zoneIndex(layout, 'Normal');
  const order = ZONE_ORDER as readonly string[];
  const want = c ? order.indexOf(c) : -1;
  if (want < 0) return null;
  let best: number | null = null;
  layout.forEach((z, i) => {
    if (order.indexOf(z) <= want) best = i;
  });
  return best;
}
