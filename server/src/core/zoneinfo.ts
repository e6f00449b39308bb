// /proc/zoneinfo: per node and zone the free pages, the watermarks, the sizes, lowmem_reserve
// (`protection:`) and the zone's counters, all in pages. The format, from mm/vmstat.c
// zoneinfo_show_print (K2632 … K68; the same seq_printf calls since, K618 adds `promo`):
//
//   Node %d, zone %8s
//     per-node stats                        4.8+, on the node's first populated zone only
//         %-12s %lu                         (node counters: nr_inactive_anon …)
//     pages free     %lu
//           boost    %lu                    5.0+ (zone->watermark_boost; min/low/high include it)
//           min      %lu
//           low      %lu
//           high     %lu
//           promo    %lu                    6.x with memory tiering (promo_wmark_pages)
//           scanned  %lu                    ≤4.7 (2.6.2x: `scanned  %lu (a: %lu i: %lu)`)
//           spanned  %lu
//           present  %lu
//           managed  %lu                    3.8+
//           cma      %lu                    5.x+ (zone_cma_pages)
//       %-12s %lu                           ≤4.7: the zone counters come here, before protection
//           protection: (%ld, %ld, …)       lowmem_reserve[MAX_NR_ZONES]
//         %-12s %lu                         4.8+: zone (and NUMA) counters after protection
//     pagesets
//       cpu: %i / count: / high: / batch: / vm stats threshold:
//     node_unreclaimable:  %u               4.8+ (≤4.7 all_unreclaimable:, prev_priority: …)
//     start_pfn:           %lu
//
// An unpopulated zone (4.x+) stops after `protection: (…)`.

import { COUNT, NODE_ID, readInt } from './numbers';
import { splitLines } from './sysctl-file';

/** A number printed on a line: its value and where it is (0-based line, UTF-16 columns). */
export interface ZoneinfoNumber {
  value: number;
  line: number;
  /** Start of the field's name. */
  nameStart: number;
  start: number;
  end: number;
}

/** The zone's own fields zoneinfo_show_print prints by name (`pages free` is `free`). */
export const ZONEINFO_FIELDS = [
  'free',
  'boost',
  'min',
  'low',
  'high',
  'promo',
  'scanned',
  'spanned',
  'present',
  'managed',
  'cma',
] as const;
export type ZoneinfoField = (typeof ZONEINFO_FIELDS)[number];

export interface ZoneinfoZone {
  node: number;
  /** The zone's name as printed (DMA, DMA32, Normal, HighMem, Movable, Device). */
  zone: string;
  /** The `Node N, zone NAME` line. */
  line: number;
  zoneStart: number;
  zoneEnd: number;
  /** The zone's last line. */
  endLine: number;
  fields: Map<ZoneinfoField, ZoneinfoNumber>;
  /** `protection: (…)`: the zone's lowmem_reserve[] per class zone, in pages. */
  protection: { values: number[]; line: number; start: number; end: number } | null;
  /** The zone's vmstat counters (nr_free_pages, nr_free_cma, numa_hit …). */
  counters: Map<string, ZoneinfoNumber>;
  /** The node's counters when printed under this zone (`per-node stats`, 4.8+). */
  nodeStats: Map<string, ZoneinfoNumber> | null;
  /** node_unreclaimable: (4.8+) or all_unreclaimable: (≤4.7). */
  unreclaimable: ZoneinfoNumber | null;
  startPfn: ZoneinfoNumber | null;
}

const HEADER = /^Node\s+(\d+), zone\s+(\S+)\s*$/;
const FIELD = /^(\s+)([a-z][a-z0-9_]*)(\s+)(\d+)/;
const PROTECTION = /^(\s+)protection: \(([^)]*)\)\s*$/;
const TAIL =
  /^(\s+)(node_unreclaimable|all_unreclaimable|start_pfn|prev_priority|inactive_ratio|node_inactive_ratio):(\s+)(-?\d+)/;

/** The zone field a name stands for (`pages free` is read apart). */
function zoneField(name: string): ZoneinfoField | null {
  return name !== 'free' && (ZONEINFO_FIELDS as readonly string[]).includes(name)
    ? (name as ZoneinfoField)
    : null;
}

/** The zones of a /proc/zoneinfo text, in order; text that is not zoneinfo gives none. */
export function parseZoneinfo(text: string): ZoneinfoZone[] {
  const zones: ZoneinfoZone[] = [];
  const lines = splitLines(text);
  let z: ZoneinfoZone | null = null;
  let section: 'node' | 'zone' | 'pagesets' = 'zone';
  const num = (n: number, m: RegExpExecArray): ZoneinfoNumber | null => {
    const value = readInt(m[4], COUNT);
    if (value === null) return null;
    const nameStart = m[1].length;
    const start = nameStart + m[2].length + m[3].length;
    return { value, line: n, nameStart, start, end: start + m[4].length };
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.length > 4096) continue;
    const h = HEADER.exec(line);
    if (h) {
      const node = readInt(h[1], NODE_ID);
      if (node === null) {
        z = null;
        continue;
      }
      const zoneStart = line.indexOf(h[2], line.indexOf('zone') + 4);
      z = {
        node,
        zone: h[2],
        line: n,
        zoneStart,
        zoneEnd: zoneStart + h[2].length,
        endLine: n,
        fields: new Map(),
        protection: null,
        counters: new Map(),
        nodeStats: null,
        unreclaimable: null,
        startPfn: null,
      };
      zones.push(z);
      section = 'zone';
      continue;
    }
    if (!z) continue;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed === 'per-node stats') {
      section = 'node';
      z.nodeStats = new Map();
      z.endLine = n;
      continue;
    }
    if (trimmed === 'pagesets') {
      section = 'pagesets';
      z.endLine = n;
      continue;
    }
    const t = TAIL.exec(line);
    if (t) {
      const v = num(n, t);
      if (v) {
        if (t[2] === 'node_unreclaimable' || t[2] === 'all_unreclaimable') z.unreclaimable = v;
        else if (t[2] === 'start_pfn') z.startPfn = v;
      }
      z.endLine = n;
      continue;
    }
    if (section === 'pagesets') {
      z.endLine = n;
      continue;
    }
    if (trimmed.startsWith('pages free')) {
      const m = /^(\s+pages )(free)(\s+)(\d+)/.exec(line);
      const v = m ? num(n, m) : null;
      if (v) {
        v.nameStart = line.indexOf('pages');
        z.fields.set('free', v);
      }
      section = 'zone';
      z.endLine = n;
      continue;
    }
    const p = PROTECTION.exec(line);
    if (p) {
      const values: number[] = [];
      let ok = true;
      for (const part of p[2].split(',')) {
        const v = readInt(part.trim(), COUNT);
        if (v === null) ok = false;
        else values.push(v);
      }
      if (ok) z.protection = { values, line: n, start: p[1].length, end: line.trimEnd().length };
      section = 'zone';
      z.endLine = n;
      continue;
    }
    const f = FIELD.exec(line);
    if (!f) continue;
    const v = num(n, f);
    if (!v) continue;
    z.endLine = n;
    if (section === 'node') {
      z.nodeStats?.set(f[2], v);
      continue;
    }
    const named = zoneField(f[2]);
    if (named && !z.fields.has(named)) z.fields.set(named, v);
    else z.counters.set(f[2], v);
  }
  return zones;
}

/** A zone field's value in pages, null when the zone does not print it. */
export function zonePages(z: ZoneinfoZone, field: ZoneinfoField): number | null {
  return z.fields.get(field)?.value ?? null;
}
