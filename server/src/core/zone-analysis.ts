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
    for (const e of MIGRATE_TYPE_ERAS)
      if (v[0] > e.since[0] || (v[0] === e.since[0] && v[1] >= e.since[1])) layout = e;
  return layout ? layout.letters.map(([l, m]) => `${l} ${m}`).join(', ') : ANY_ERA_LEGEND;
}

/** One BuddyAnalysis per buddy line, in the report's order. */
export function analyzeBuddyLines(
  buddy: readonly BuddyLine[],
  replay: ReplayAnalysis | null,
  failedOrder: number | null,
  era: Pick<EraAnalysis, 'version' | 'decidedBy'>,
): BuddyAnalysis[] {
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
 * its check, protection and buddy lines. */
export function joinZones(
  zones: readonly ZoneLine[],
  states: readonly ZoneStateAnalysis[],
  replay: ReplayAnalysis | null,
  protection: readonly ProtectionAnalysis[],
  buddy: readonly BuddyAnalysis[],
): ZoneAnalysis[] {
  const checks = replay?.zones ?? [];
  const key = (node: number, zone: string): string => `${node}\u0000${canonicalZone(zone) ?? zone}`;
  // first entries by their lines: one pass each, so a report with many zones stays linear
  const first = <T>(list: readonly T[], keyOf: (x: T) => string | number): Map<string | number, T> => {
    const map = new Map<string | number, T>();
    for (const x of list) if (!map.has(keyOf(x))) map.set(keyOf(x), x);
    return map;
  };
  const checkAt = first(checks, (c) => `${c.line}\u0000${c.node}\u0000${c.zone}`);
  const byZoneLine = first(protection, (p) => p.zoneLine);
  const byReserveLine = first(protection, (p) => p.line);
  const buddyOf = new Map<string, BuddyAnalysis[]>();
  for (const b of buddy) {
    const k = key(b.parsed.node, b.parsed.zone);
    const list = buddyOf.get(k);
    if (list) list.push(b);
    else buddyOf.set(k, [b]);
  }
  return zones.map((zone, i) => {
    const same = (x: ZoneCheck | undefined): boolean =>
      x !== undefined && x.line === zone.line && x.node === zone.node && x.zone === zone.zone;
    const reserveLine = zone.lowmemReserveRange?.startLine;
    return {
      ...states[i],
      parsed: zone,
      check:
        (same(checks[i]) ? checks[i] : checkAt.get(`${zone.line}\u0000${zone.node}\u0000${zone.zone}`)) ??
        null,
      protection:
        byZoneLine.get(zone.line) ??
        (reserveLine === undefined ? undefined : byReserveLine.get(reserveLine)) ??
        null,
      buddy: buddyOf.get(key(zone.node, zone.zone)) ?? [],
    };
  });
}
