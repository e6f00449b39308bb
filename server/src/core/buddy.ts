// Buddy free lists (`Node 0 Normal: 3*4kB (U) 1*8kB … = 1492kB`): which block orders are free,
// and whether a block the failed request may take exists (kernel-memory.md §2.7, §3.2).

import type { BuddyLine } from './model';
import type { OrderBlockCheck } from './analysis-types';
import { canonicalZone } from './zones';

/** The first buddy line of each zone, looked up in constant time (a report may print thousands
 * of zones; searching the list for each made the analysis quadratic). */
export function buddyLookup(buddy: readonly BuddyLine[]): (node: number, zone: string) => BuddyLine | null {
  const first = new Map<string, BuddyLine>();
  for (const b of buddy) {
    const key = `${b.node}\u0000${canonicalZone(b.zone) ?? b.zone}`;
    if (!first.has(key)) first.set(key, b);
  }
  return (node, zone) => first.get(`${node}\u0000${canonicalZone(zone) ?? zone}`) ?? null;
}

/** Highest order with a free block, null when every list is empty. */
export function largestFreeOrder(b: BuddyLine): number | null {
  for (let k = b.orders.length - 1; k >= 0; k--) if (b.orders[k].count > 0) return k;
  return null;
}

/** Free kB in blocks of `order` or larger (exact: the builder keeps only buddy lines whose whole
 * sum is below 2^53). */
export function freeKbAtOrder(b: BuddyLine, order: number): number {
  let kb = 0;
  for (let k = order; k < b.orders.length; k++) kb += b.orders[k].count * b.orders[k].sizeKb;
  return kb;
}

/**
 * 4.4+ (`__zone_watermark_ok`, reference §3.2): an order > 0 request passes when some order ≥ its
 * order has a non-empty free list of a type it may use: U/M/E always, C with ALLOC_CMA, H with
 * ALLOC_HARDER (≤6.2) or ALLOC_HIGHATOMIC/OOM (6.3+). Letters are printed per non-empty list.
 */
export function blockOfTypeAvailable(
  b: BuddyLine,
  order: number,
  allowed: Set<string>,
): { available: boolean; order: number | null; lettersUnknown: boolean } {
  let lettersUnknown = false;
  for (let k = order; k < b.orders.length; k++) {
    const o = b.orders[k];
    if (o.count === 0) continue;
    if (o.types === null) {
      lettersUnknown = true;
      return { available: true, order: k, lettersUnknown };
    }
    for (const t of o.types) if (allowed.has(t)) return { available: true, order: k, lettersUnknown };
  }
  return { available: false, order: null, lettersUnknown };
}

/**
 * ≤4.3 (`zone_watermark_ok` loop, reference §3.2): starting from `free − (2^order − 1)`, take away
 * each lower order's free pages; at each step min is halved and the rest must stay above it.
 */
export function oldOrderLoop(
  b: BuddyLine,
  freeAfterOrder: number,
  adjustedMin: number,
  order: number,
): { pass: boolean; failedAt: number | null; steps: string[] } {
  let free = freeAfterOrder;
  let min = adjustedMin;
  const steps: string[] = [];
  // `order` ≤ MAX_PAGE_ORDER_BOUND (numbers.ts); plain arithmetic, not 32-bit shifts: page counts
  // pass 2^31 on large machines.
  for (let o = 0; o < order; o++) {
    const pages = (b.orders[o]?.count ?? 0) * 2 ** o;
    free -= pages;
    min = Math.floor(min / 2);
    steps.push(`order ${o}: −${pages} → ${free} vs ${min}`);
    if (free <= min) return { pass: false, failedAt: o, steps };
  }
  return { pass: true, failedAt: null, steps };
}

/** Does every non-empty free list hold only highatomic (H) blocks? (4.4+ letters) */
export function onlyHighatomicFree(b: BuddyLine): boolean {
  let any = false;
  for (const o of b.orders) {
    if (o.count === 0) continue;
    any = true;
    if (o.types === null || o.types.replace(/H/g, '') !== '') return false;
  }
  return any;
}

export function describeBlocks(b: BuddyLine, order: number, pageSizeKb: number): OrderBlockCheck {
  const largest = largestFreeOrder(b);
  return {
    available: largest !== null && largest >= order,
    largestOrder: largest,
    freeKbAtOrder: freeKbAtOrder(b, order),
    tooFewPages: false,
    onlyHighatomic: false,
    largerBlocksElsewhere: null,
    buddyLine: b.line,
    text:
      largest === null
        ? 'no free block at all'
        : `largest free block order ${largest} (${b.orders[largest].sizeKb} kB); ${freeKbAtOrder(b, order)} kB free in blocks ≥ ${pageSizeKb * 2 ** order} kB`,
  };
}
