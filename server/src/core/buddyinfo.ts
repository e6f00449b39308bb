// /proc/buddyinfo: per node and zone, the number of free blocks of each order (2^order pages).
// mm/vmstat.c frag_show_print (K2632 … K618, unchanged): `Node %d, zone %8s ` then `%6lu ` per
// order from 0 to MAX_ORDER − 1 (6.4+: 0 … MAX_PAGE_ORDER inclusive), then a newline.

import { COUNT, MAX_PAGE_ORDER_BOUND, NODE_ID, readInt } from './numbers';
import { splitLines } from './sysctl-file';

export interface BuddyinfoZone {
  node: number;
  zone: string;
  line: number;
  zoneStart: number;
  zoneEnd: number;
  /** Free blocks of order 0, 1, … */
  counts: number[];
  /** Column of each count's first digit, and one past its last. */
  countStarts: number[];
  countEnds: number[];
}

const LINE = /^Node\s+(\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/;

/** The zones of a /proc/buddyinfo text, in order; other lines are skipped. */
export function parseBuddyinfo(text: string): BuddyinfoZone[] {
  const out: BuddyinfoZone[] = [];
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.length > 4096) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const node = readInt(m[1], NODE_ID);
    if (node === null) continue;
    const zoneStart = line.indexOf(m[2], line.indexOf('zone') + 4);
    const counts: number[] = [];
    const countStarts: number[] = [];
    const countEnds: number[] = [];
    const re = /\d+/g;
    const from = zoneStart + m[2].length;
    re.lastIndex = from;
    let ok = true;
    for (let d = re.exec(line); d; d = re.exec(line)) {
      const v = readInt(d[0], COUNT);
      if (v === null) ok = false;
      counts.push(v ?? 0);
      countStarts.push(d.index);
      countEnds.push(d.index + d[0].length);
    }
    if (!ok || counts.length > MAX_PAGE_ORDER_BOUND + 1) continue;
    // Σ count × 2^order stays exact (a real machine's free pages are far below 2^53)
    let pages = 0;
    for (let o = 0; o < counts.length; o++) pages += counts[o] * 2 ** o;
    if (!Number.isSafeInteger(pages)) continue;
    out.push({
      node,
      zone: m[2],
      line: n,
      zoneStart,
      zoneEnd: zoneStart + m[2].length,
      counts,
      countStarts,
      countEnds,
    });
  }
  return out;
}

/** The largest order with a free block, null when every list is empty. */
export function largestFreeOrder(z: BuddyinfoZone): number | null {
  for (let o = z.counts.length - 1; o >= 0; o--) if (z.counts[o] > 0) return o;
  return null;
}

/** Free pages in blocks of at least `order` (Σ count × 2^order). */
export function freePagesAtOrder(z: BuddyinfoZone, order: number): number {
  let sum = 0;
  for (let o = Math.max(0, order); o < z.counts.length; o++) sum += z.counts[o] * 2 ** o;
  return sum;
}
