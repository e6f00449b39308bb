// The watermark check replayed for the failed request (kernel-memory.md §3.1–§3.3): for each zone
// the request may use, `free − unusable > min(adjusted) + lowmem_reserve[classzone]`, and for
// order > 0 the free-list part, exactly as the report's kernel era computes it. What differs
// between eras is the WatermarkRules of kernel/eras.ts; this file reads them, never era names.

import type { BuddyLine, ZoneLine } from './model';
import type { AllocFlags, OrderBlockCheck, ReplayAnalysis, WatermarkEra, ZoneCheck } from './analysis-types';
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
}

/** The alloc flags of the OOM's last attempt: the request's are replaced by the attempt's
 * (ALLOC_WMARK_HIGH|ALLOC_CPUSET: no min cut, no ALLOC_CMA, no reserve flag, the cpuset applies);
 * what the gfp mask itself says (__GFP_THISNODE, __GFP_NORETRY, __GFP_NOWARN) stays. */
export function oomAttemptFlags(flags: AllocFlags, attempt: OomLastAttempt): AllocFlags {
  return {
    high: false,
    harder: false,
    nonBlock: false,
    highatomic: false,
    cma: false,
    ignoresCpuset: false,
    noretry: flags.noretry,
    thisnode: flags.thisnode,
    nowarn: flags.nowarn,
    text: attempt.allocFlags,
  };
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
): OrderBlockCheck {
  return {
    available,
    largestOrder: d.largestOrder,
    freeKbAtOrder: d.freeKbAtOrder,
    tooFewPages,
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
    if (subtractsHighatomic) {
      // 6.18 subtracts the free highatomic pages (printed `free_highatomic:`), earlier kernels the
      // whole reserve (`reserved_highatomic:`, printed from 5.10) (reference §3.2).
      const freeHa = z.fields['free_highatomic'];
      const haKb = typeof freeHa === 'number' ? freeHa : z.reservedHighatomicKb;
      if (haKb !== null) {
        const h = Math.floor(haKb / pageSizeKb);
        unusable += h;
        parts.push(`${typeof freeHa === 'number' ? 'free highatomic' : 'highatomic'} ${h}`);
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
    let reserve: number | null = null;
    if (classIdx !== null) {
      if (z.lowmemReserve && classIdx < z.lowmemReserve.length) reserve = z.lowmemReserve[classIdx];
      else if (idx >= classIdx) reserve = 0; // zone[i].lowmem_reserve[j] = 0 for j ≤ i
    }
    let pass =
      freePages === null || adj === null || reserve === null
        ? null
        : freePages - unusable > adj.min + reserve;
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
    const b = buddyOf(z.node, z.zone);
    if (order > 0) {
      if (!b)
        orderBlocks = {
          available: null,
          largestOrder: null,
          freeKbAtOrder: null,
          tooFewPages: false,
          buddyLine: null,
          text: 'no buddy line for this zone: block check not possible',
        };
      else if (oldLoop) {
        const d = describeBlocks(b, order, pageSizeKb);
        if (freePages === null || adj === null) orderBlocks = blockCheck(d, null, d.text);
        else {
          // 3.10–4.3: the CMA term only applies to the first comparison.
          const loop = oldOrderLoop(b, freePages - orderPages, adj.min, order);
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
        orderBlocks = blockCheck(
          d,
          found.available,
          found.available
            ? `a usable block of order ${found.order} is free; ${d.text}`
            : `no free block ≥ order ${order} on a list it may use (${[...allowedLetters].join('/')})` +
                (d.available ? ` — the larger blocks are ${blockTypesAtOrder(b, order)}` : '') +
                `; ${d.text}`,
        );
      }
    } else if (b && !oldLoop && onlyHighatomicFree(b)) {
      // Order-0 requests never take MIGRATE_HIGHATOMIC blocks, whatever their flags: rmqueue
      // tries that list only for order > 0 (4.4–6.x page_alloc.c; a 2024 stable fix lets
      // ALLOC_NON_BLOCK order-0 requests fall back to it, release not pinned).
      if (rules.notesHighatomicFix)
        assumptions.push('6.x kernels with the 2024 highatomic fix let atomic order-0 requests use H blocks');
      orderBlocks = {
        available: false,
        largestOrder: largestFreeOrder(b),
        freeKbAtOrder: freeKbAtOrder(b, 0),
        tooFewPages: false,
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
    } else
      explanation += ` → unknown (${[freePages === null ? 'free' : '', adj === null ? mark : '', reserve === null ? `lowmem_reserve[${classzone}]` : ''].filter(Boolean).join(', ')} not printed)`;

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
    };
  });

  const usable = checks.filter((c) => c.usable);
  if (order > 0 && usable.some((c) => c.pass === true && c.orderBlocks?.available === null))
    missing.push('buddy free lists (the per-order "Node N Zone: n*4kB …" lines)');
  if (usable.some((c) => c.pass === null && c.reservePages === null))
    missing.push(`lowmem_reserve[] line of a zone below ${classzone ?? 'the class zone'}`);
  if (highatomicAssumed)
    assumptions.push(
      'reserved_highatomic is not printed before 5.10: taken as 0 (the check subtracts it for non-atomic requests)',
    );
  if (cmaAssumed) assumptions.push('free_cma not printed: taken as 0');
  if (flags.thisnode)
    assumptions.push(
      '__GFP_THISNODE: only the local node was allowed, and the report does not say which it is',
    );
  if (rules.notesRealtimeHarder && !flags.harder)
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
    missing,
    assumptions,
  };
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
