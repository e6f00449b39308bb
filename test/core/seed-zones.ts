// The seed report's zone lines (corpus/000-seed.log, design document), built by hand so the
// kernel-knowledge functions can be tested without the parser.
import type { BuddyLine, ZoneLine } from '../../server/src/core/model';

const range = { startLine: 0, startChar: 0, endLine: 0, endChar: 0 };

export function zoneLine(p: Partial<ZoneLine> & Pick<ZoneLine, 'node' | 'zone' | 'line'>): ZoneLine {
  return {
    nodePrinted: true,
    range,
    fields: {},
    freeKb: null,
    minKb: null,
    lowKb: null,
    highKb: null,
    boostKb: null,
    presentKb: null,
    managedKb: null,
    reservedHighatomicKb: null,
    freeCmaKb: null,
    allUnreclaimable: null,
    lowmemReserve: null,
    lowmemReserveRange: null,
    ...p,
  };
}

/** Node 0 DMA / DMA32 / Normal and Node 1 Normal (no lowmem_reserve line follows it). */
export const SEED_ZONES: ZoneLine[] = [
  zoneLine({
    node: 0,
    zone: 'DMA',
    line: 35,
    freeKb: 15920,
    minKb: 4,
    lowKb: 4,
    highKb: 4,
    presentKb: 15664,
    lowmemReserve: [0, 3203, 32183, 32183],
  }),
  zoneLine({
    node: 0,
    zone: 'DMA32',
    line: 37,
    freeKb: 120772,
    minKb: 1612,
    lowKb: 2012,
    highKb: 2416,
    presentKb: 3280064,
    lowmemReserve: [0, 0, 28980, 28980],
  }),
  zoneLine({
    node: 0,
    zone: 'Normal',
    line: 39,
    freeKb: 36276,
    minKb: 14608,
    lowKb: 18260,
    highKb: 21912,
    presentKb: 29675520,
    lowmemReserve: [0, 0, 0, 0],
  }),
  zoneLine({
    node: 1,
    zone: 'Normal',
    line: 42,
    freeKb: 19976,
    minKb: 16260,
    lowKb: 20324,
    highKb: 24388,
    presentKb: 33030144,
  }),
];

export const SEED_LAYOUT = ['DMA', 'DMA32', 'Normal', 'Movable'];

/** A buddy line from counts per order (4 kB pages), with optional migrate-type letters. */
export function buddyLine(
  node: number,
  zone: string,
  counts: number[],
  types: (string | null)[] = [],
): BuddyLine {
  return {
    node,
    zone,
    line: 100,
    range,
    orders: counts.map((count, k) => ({ count, sizeKb: 4 << k, types: types[k] ?? null })),
    totalKb: counts.reduce((a, c, k) => a + c * (4 << k), 0),
  };
}
