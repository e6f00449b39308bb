// Zone layout and zone state: which `lowmem_reserve[]` column each printed zone is, and what the
// kernel does with a zone given its free pages against min/low/high.

import type { ZoneLine } from './model';
import type { ZoneStateAnalysis, ZoneState } from './analysis-types';

/** Kernel zone order (enum zone_type, include/linux/mmzone.h): lower index = lower memory. */
export const ZONE_ORDER = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'] as const;

/** Canonical spelling of a printed zone name, null when it is not a zone. */
export function canonicalZone(name: string): string | null {
  const lower = name.toLowerCase();
  for (const z of ZONE_ORDER) if (z.toLowerCase() === lower) return z;
  return null;
}

/** What the layout is checked against: each printed zone and its `lowmem_reserve[]` line. */
export type ReserveEvidence = Pick<ZoneLine, 'node' | 'zone' | 'lowmemReserve' | 'presentKb' | 'managedKb'>;

/**
 * The configured zones of the kernel, in index order (the `lowmem_reserve[]` columns), inferred
 * from the zone names printed and the length of the `lowmem_reserve[]` arrays (one entry per zone
 * index 0..MAX_NR_ZONES-1, reference §2.6). 2.6.32+ prints populated zones only, so empty zones
 * are added back: by default Movable first (present since 2.6.23), then Device
 * (CONFIG_ZONE_DEVICE, 4.x+), then a missing DMA32/DMA. When the arrays contradict that default
 * (an empty DMA32 between DMA and Normal on arm64, an empty zone below Normal), the layout that
 * agrees with them is taken instead (see reserveMismatch).
 */
export function inferZoneLayout(
  zoneNames: string[],
  reserveLength: number | null,
  evidence: readonly ReserveEvidence[] = [],
): string[] {
  const guess = defaultLayout(zoneNames, reserveLength);
  if (reserveLength === null || !evidence.some((z) => z.lowmemReserve?.length === reserveLength))
    return guess;
  const populated = populatedZones(evidence);
  let best = guess;
  let bestCost = reserveMismatch(guess, evidence, populated);
  if (bestCost === 0) return guess;
  const printed = new Set(zoneNames.map(canonicalZone).filter((z): z is string => z !== null));
  // Every layout of the right length holding the printed zones, most likely first (the default's
  // order of preference for the zones added back): the first that fits the arrays best wins.
  for (const candidate of layoutsWith(printed, reserveLength)) {
    const cost = reserveMismatch(candidate, evidence, populated);
    if (cost < bestCost) {
      best = candidate;
      bestCost = cost;
    }
  }
  return best;
}

function defaultLayout(zoneNames: string[], reserveLength: number | null): string[] {
  const set = new Set<string>();
  for (const n of zoneNames) {
    const c = canonicalZone(n);
    if (c) set.add(c);
  }
  set.add('Normal'); // ZONE_NORMAL is always configured
  if (reserveLength !== null) {
    for (const extra of ADDED_BACK) {
      if (set.size >= reserveLength) break;
      set.add(extra);
    }
    // A layout longer than the arrays: drop zones that were only guessed.
    for (const guess of ['Device', 'Movable']) {
      if (set.size <= reserveLength) break;
      if (!zoneNames.some((n) => canonicalZone(n) === guess)) set.delete(guess);
    }
  }
  return ZONE_ORDER.filter((z) => set.has(z));
}

/** Unprinted zones, most likely first, when the layout has more columns than printed zones. */
const ADDED_BACK = ['Movable', 'Device', 'DMA32', 'DMA', 'HighMem'];

/** Subsequences of ZONE_ORDER of `length` that hold every printed zone, the likeliest first. */
function layoutsWith(printed: ReadonlySet<string>, length: number): string[][] {
  const out: { layout: string[]; rank: number }[] = [];
  const n = ZONE_ORDER.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const layout: string[] = ZONE_ORDER.filter((_, i) => (mask >> i) & 1);
    if (layout.length !== length || [...printed].some((z) => !layout.includes(z))) continue;
    // ZONE_DMA32 exists on 64-bit kernels only, ZONE_HIGHMEM on 32-bit ones.
    if (layout.includes('DMA32') && layout.includes('HighMem')) continue;
    const added = layout.filter((z) => !printed.has(z) && z !== 'Normal');
    out.push({ layout, rank: added.reduce((r, z) => r + (1 << ADDED_BACK.indexOf(z)), 0) });
  }
  return out.sort((a, b) => a.rank - b.rank).map((c) => c.layout);
}

/**
 * How badly a layout contradicts the printed arrays (0 = not at all). For zone i on a node, the
 * kernel sets lowmem_reserve[j] = managed(zones i+1..j of that node) / ratio[i] for j > i and 0 for
 * j ≤ i (setup_per_zone_lowmem_reserve; present pages before 4.17): so the columns up to the
 * zone's own are 0, a column whose zone the node does not have (not printed, or empty) repeats the
 * one before it, and a populated zone above adds to it (unless it is smaller than the ratio).
 */
function reserveMismatch(
  layout: string[],
  evidence: readonly ReserveEvidence[],
  populated: ReadonlySet<string>,
): number {
  let cost = 0;
  for (const z of evidence) {
    const reserve = z.lowmemReserve;
    if (!reserve || reserve.length !== layout.length) continue;
    const own = zoneIndex(layout, z.zone);
    if (own === null) {
      cost += 100;
      continue;
    }
    for (let j = 0; j < reserve.length; j++) {
      const before = j === own + 1 ? 0 : reserve[j - 1];
      if (j <= own) {
        if (reserve[j] !== 0) cost += 10;
      } else if (!populated.has(`${z.node}\u0000${layout[j]}`)) {
        if (reserve[j] !== before) cost += 10;
      } else if (reserve[j] < before) cost += 10;
      else if (reserve[j] === before) cost += 1;
    }
  }
  return cost;
}

/** `node␀zone` of each printed zone with pages (built once: looked up per column and layout). */
function populatedZones(evidence: readonly ReserveEvidence[]): Set<string> {
  const out = new Set<string>();
  for (const z of evidence) {
    const c = canonicalZone(z.zone);
    if (c !== null && z.presentKb !== 0 && z.managedKb !== 0) out.add(`${z.node}\u0000${c}`);
  }
  return out;
}

/** Zone index of `zone` in `layout` (the `lowmem_reserve[]` column), null when not in it. */
export function zoneIndex(layout: string[], zone: string): number | null {
  const c = canonicalZone(zone);
  const i = c ? layout.indexOf(c) : -1;
  return i < 0 ? null : i;
}

/** Pages of a kB value (the kernel prints K(pages), so the division is exact for printed values). */
export function kbToPages(kb: number | null, pageSizeKb: number): number | null {
  return kb === null ? null : Math.floor(kb / pageSizeKb);
}

/**
 * State of a zone: the allocator's checks fail at equality (`free <= min + reserve` returns false,
 * reference §3.2), so "below" here means "at or below".
 */
export function isEmptyZone(z: ZoneLine): boolean {
  return z.presentKb === 0 || (z.managedKb === 0 && (z.freeKb ?? 0) === 0);
}

export function zoneState(z: ZoneLine): ZoneState {
  const { freeKb, minKb, lowKb, highKb } = z;
  if (isEmptyZone(z)) return 'unknown';
  if (freeKb === null || minKb === null) return 'unknown';
  if (freeKb <= minKb) return 'below_min';
  if (lowKb !== null && freeKb <= lowKb) return 'below_low';
  if (highKb !== null && freeKb <= highKb) return 'below_high';
  if (lowKb === null || highKb === null) return 'unknown';
  return 'ok';
}

/** What the kernel does with a zone in this state (reference §3.1, §4.2; design doc). */
export const ZONE_STATE_TEXT: Record<ZoneState, string> = {
  below_min:
    'at or below min: only requests allowed to dip under min succeed (__GFP_HIGH: ½ of min, atomic: ⅜ of min, ' +
    'PF_MEMALLOC: no watermark); every other request enters direct reclaim/compaction in its own context, and kswapd is awake',
  below_low:
    'between min and low: the fast path (low watermark) fails, so kswapd is woken to reclaim up to high; ' +
    'the slow path still allocates against min, so normal requests succeed',
  below_high:
    'between low and high: allocations succeed; a kswapd already woken keeps reclaiming this zone until free is above high',
  ok: 'above high: no reclaim pressure on this zone',
  unknown: 'free or a watermark was not printed, so the state cannot be told',
};

export function describeZoneGauge(z: ZoneLine, state: ZoneState): string {
  const { freeKb, minKb, lowKb, highKb } = z;
  if (freeKb === null || minKb === null) return 'free or min not printed';
  switch (state) {
    case 'below_min':
      return `free ${freeKb} kB ≤ min ${minKb} kB (${minKb - freeKb} kB under min)`;
    case 'below_low':
      return `min ${minKb} kB < free ${freeKb} kB ≤ low ${lowKb} kB (${(lowKb ?? 0) - freeKb} kB short of low)`;
    case 'below_high':
      return `low ${lowKb} kB < free ${freeKb} kB ≤ high ${highKb} kB`;
    case 'ok':
      return `free ${freeKb} kB > high ${highKb} kB`;
    default:
      return `free ${freeKb} kB, min ${minKb} kB`;
  }
}

/** Zone names as the kernel prints them with their node: "Node 1 Normal" (or "Normal" on UMA). */
export function zoneLabel(z: { node: number; zone: string; nodePrinted?: boolean }): string {
  return z.nodePrinted === false ? z.zone : `Node ${z.node} ${z.zone}`;
}

export function analyzeZones(zones: ZoneLine[], layout: string[], pageSizeKb: number): ZoneStateAnalysis[] {
  return zones.map((z) => {
    const state = zoneState(z);
    return {
      node: z.node,
      nodePrinted: z.nodePrinted,
      zone: z.zone,
      line: z.line,
      zoneIndex: zoneIndex(layout, z.zone),
      freeKb: z.freeKb,
      minKb: z.minKb,
      lowKb: z.lowKb,
      highKb: z.highKb,
      boostKb: z.boostKb,
      presentKb: z.presentKb,
      managedKb: z.managedKb,
      reservedHighatomicKb: z.reservedHighatomicKb,
      freeCmaKb: z.freeCmaKb,
      freePages: kbToPages(z.freeKb, pageSizeKb),
      minPages: kbToPages(z.minKb, pageSizeKb),
      lowPages: kbToPages(z.lowKb, pageSizeKb),
      highPages: kbToPages(z.highKb, pageSizeKb),
      state,
      empty: isEmptyZone(z),
      stateText: isEmptyZone(z)
        ? 'no pages in this zone (the kernel printed it for completeness)'
        : ZONE_STATE_TEXT[state],
      gaugeText: describeZoneGauge(z, state),
    };
  });
}

/** Worst state first: below_min < below_low < below_high < ok. */
export const STATE_RANK: Record<ZoneState, number> = {
  below_min: 0,
  below_low: 1,
  below_high: 2,
  ok: 3,
  unknown: 4,
};
