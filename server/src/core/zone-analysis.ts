// Each zone line of a report joined, once, to what the analysis says about it — its state, its
// replayed watermark check, its lowmem_reserve[] protection and its buddy free lists — and each
// buddy line to what it says about the failed order. explainReport builds these; the front ends
// (hover, outline, findings, the CLI's JSON) only read and format them, never match by line.

import type { BuddyLine, ZoneLine } from './model';
import type {
  BuddyAnalysis,
  EraAnalysis,
  ProtectionAnalysis,
  ReplayAnalysis,
  ZoneAnalysis,
  ZoneCheck,
  ZoneStateAnalysis,
} from './analysis-types';
import { freeKbAtOrder, largestFreeOrder } from './buddy';
import { canonicalZone } from './zones';
import { knownAtLeast } from './kernel-version';

/** Page size assumed when no buddy line prints it (the smallest block): 4 KiB, PAGE_SHIFT 12 on
 * x86, and the default of most other arches (ref §2.7). */
export const DEFAULT_PAGE_SIZE_KB = 4;

/** The migrate-type letters `show_migration_types` prints after a buddy count, per era (ref §2.7;
 * K310 and K44 … K618 mm/page_alloc.c `show_migration_types`, include/linux/mmzone.h): ≤3.4 prints
 * none; 3.10–4.3 has MIGRATE_RESERVE (R); 4.4 replaced it with MIGRATE_HIGHATOMIC (H). */
export const MIGRATE_TYPE_ERAS: readonly {
  /** First release of the layout. */
  since: [number, number];
  /** Letters in migrate-type index order, with what they stand for. */
  letters: readonly (readonly [letter: string, meaning: string])[];
}[] = [
  {
    since: [3, 10],
    letters: [
      ['U', 'unmovable'],
      ['E', 'reclaimable'],
      ['M', 'movable'],
      ['R', 'reserve (MIGRATE_RESERVE)'],
      ['C', 'CMA'],
      ['I', 'isolated'],
    ],
  },
  {
    since: [4, 4],
    letters: [
      ['U', 'unmovable'],
      ['M', 'movable'],
      ['E', 'reclaimable'],
      ['H', 'high-order atomic reserve'],
      ['C', 'CMA'],
      ['I', 'isolated'],
    ],
  },
];

/** The legend when the era is not known: every letter any era prints. */
const ANY_ERA_LEGEND =
  'U unmovable, M movable, E reclaimable, H high-order atomic reserve, R reserve (3.x), C CMA, I isolated';

/** Joins a zone's own state to what the request met there (stateText); the zone's diagnostic
 * (findings.ts) says only the part before it, the report's diagnostic says the rest. */
export const REQUEST_FAILS_HERE = '; but this request fails here: ';

/** What the letters printed on a report's buddy lines stand for: the era's own letters when the
 * letters (R only before 4.4, H only from 4.4) or the printed release tell the era. */
export function migrateTypeLegend(printed: string, era: Pick<EraAnalysis, 'version' | 'decidedBy'>): string {
  let layout = printed.includes('R')
    ? MIGRATE_TYPE_ERAS[0]
    : printed.includes('H')
      ? MIGRATE_TYPE_ERAS[1]
      : null;
  const v = era.decidedBy === 'release' ? era.version : null;
  if (!layout && v)
    for (const e of MIGRATE_TYPE_ERAS) if (knownAtLeast(v, e.since[0], e.since[1])) layout = e;
  return layout ? layout.letters.map(([l, m]) => `${l} ${m}`).join(', ') : ANY_ERA_LEGEND;
}

/** One BuddyAnalysis per buddy line, in the report's order. */
export function analyzeBuddyLines(
  buddy: readonly BuddyLine[],
  replay: ReplayAnalysis | null,
  failedOrder: number | null,
  era: Pick<EraAnalysis, 'version' | 'decidedBy'>,
): BuddyAnalysis[] {
  if (buddy.length === 0) return [];
  const printed = buddy.map((b) => b.orders.map((o) => o.types ?? '').join('')).join('');
  const legend = printed ? migrateTypeLegend(printed, era) : null;
  // the first check of each node and zone (names as printed): one pass, however many lines
  const checkOf = new Map<string, ZoneCheck>();
  for (const c of replay?.zones ?? []) {
    const k = `${c.node}\u0000${c.zone}`;
    if (!checkOf.has(k)) checkOf.set(k, c);
  }
  return buddy.map((b) => {
    const check = checkOf.get(`${b.node}\u0000${b.zone}`);
    // The zone's block check read the first buddy line printed for it: its numbers describe this
    // line only when this is that line (a second line for the same zone has its own orders).
    const blocks = check?.orderBlocks?.buddyLine === b.line ? check.orderBlocks : null;
    let largestOrder = blocks?.largestOrder ?? null;
    if (largestOrder === null || largestOrder >= b.orders.length) largestOrder = largestFreeOrder(b);
    return {
      parsed: b,
      largestOrder,
      failedOrder,
      freeKbAtOrder: blocks?.freeKbAtOrder ?? (failedOrder === null ? null : freeKbAtOrder(b, failedOrder)),
      blocks,
      typesLegend: b.orders.some((o) => o.types) ? legend : null,
    };
  });
}

/** Joins each zone line (the states come from analyzeZones, one per line in the same order) to
 * its check, protection and buddy lines. The lists come in zone order, so each is matched by a
 * moving index, with a map by line built only when the order does not hold: linear either way. */
export function joinZones(
  zones: readonly ZoneLine[],
  states: readonly ZoneStateAnalysis[],
  replay: ReplayAnalysis | null,
  protection: readonly ProtectionAnalysis[],
  buddy: readonly BuddyAnalysis[],
): ZoneAnalysis[] {
  const checks = replay?.zones ?? [];
  const checkKey = (x: { line: number; node: number; zone: string }): string =>
    `${x.line}\u0000${x.node}\u0000${x.zone}`;
  let checkAt: Map<string, ZoneCheck> | null = null;
  let byZoneLine: Map<number, ProtectionAnalysis> | null = null;
  let byReserveLine: Map<number, ProtectionAnalysis> | null = null;
  let nextProtection = 0;
  const zoneKey = (node: number, zone: string): string => `${node}\u0000${canonicalZone(zone) ?? zone}`;
  let buddyOf: Map<string, BuddyAnalysis[]> | null = null;
  if (buddy.length > 0) {
    buddyOf = new Map();
    for (const b of buddy) {
      const k = zoneKey(b.parsed.node, b.parsed.zone);
      const list = buddyOf.get(k);
      if (list) list.push(b);
      else buddyOf.set(k, [b]);
    }
  }
  return zones.map((zone, i) => {
    let check: ZoneCheck | null = checks[i] ?? null;
    if (!check || check.line !== zone.line || check.node !== zone.node || check.zone !== zone.zone) {
      checkAt ??= firstBy(checks, checkKey);
      check = checkAt.get(checkKey(zone)) ?? null;
    }
    let guard: ProtectionAnalysis | null = null;
    if (protection[nextProtection]?.zoneLine === zone.line) guard = protection[nextProtection++];
    else if (protection.length > 0) {
      byZoneLine ??= firstBy(protection, (p) => p.zoneLine);
      byReserveLine ??= firstBy(protection, (p) => p.line);
      const reserveLine = zone.lowmemReserveRange?.startLine;
      guard =
        byZoneLine.get(zone.line) ??
        (reserveLine === undefined ? null : (byReserveLine.get(reserveLine) ?? null));
    }
    const joined = states[i] as ZoneAnalysis;
    // One truth: a zone above min by its own watermarks that fails this request's replay says so
    // in its state text (the state itself stays the zone's own gauge: it is what kswapd reads).
    const fails = check ? requestFailureText(check, replay?.mark ?? 'min') : null;
    if (fails && !joined.empty && joined.state !== 'below_min' && joined.state !== 'unknown')
      joined.stateText = `${joined.stateText}${REQUEST_FAILS_HERE}${fails}`;
    joined.parsed = zone;
    joined.check = check;
    joined.protection = guard;
    joined.buddy = buddyOf?.get(zoneKey(zone.node, zone.zone)) ?? [];
    return joined;
  });
}

/** Why the request failed in a zone its own watermarks show above min, or null when it did not
 * fail there: what the replay subtracted or kept back (watermarks.ts). `mark` is the watermark the
 * replay used (ReplayAnalysis.mark): an OOM report's replay is its last attempt at high
 * (2.6.31 … 6.19 __alloc_pages_may_oom, ALLOC_WMARK_HIGH), so a zone failing there is named
 * against high, not against the min of the request's own attempts. */
export function requestFailureText(check: ZoneCheck, mark: 'min' | 'high' = 'min'): string | null {
  if (check.result !== 'fail') return null;
  if (check.pass === false) {
    const h = check.hiddenHighatomic;
    if (h && h.passesWithout === true && h.low > 0)
      return `its highatomic reserve (at least ${h.low} pages, not printed before 5.10) is not counted for this request`;
    if (check.cmaDecides) return 'its free CMA pages are not counted for a request without __GFP_MOVABLE';
    if (
      check.reservePages &&
      check.freePages !== null &&
      check.unusablePages !== null &&
      check.adjustedMinPages !== null &&
      check.freePages - check.unusablePages > check.adjustedMinPages
    )
      return `lowmem_reserve keeps ${check.reservePages} pages from ${check.classzone}-class requests`;
    return mark === 'high'
      ? "the free pages it may count are at or below its high, the mark of the OOM killer's last attempt"
      : 'the free pages it may count are at or below its min';
  }
  return check.orderBlocks?.text ?? null;
}

/** The first entry for each key, in one pass. */
function firstBy<T, K>(list: readonly T[], keyOf: (x: T) => K): Map<K, T> {
  const map = new Map<K, T>();
  for (const x of list) {
    const k = keyOf(x);
    if (!map.has(k)) map.set(k, x);
  }
  return map;
}
