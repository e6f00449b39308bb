// Memory totals and min_free_kbytes: the value the host runs (Σ zone min, reference §4.2/§4.4),
// the kernel's default for this much lowmem (§4.1) and THP's recommended value (§4.1).

import type { Report } from './model';
import type { MemoryAnalysis } from './analysis-types';
import { canonicalZone, isEmptyZone, zoneLabel } from './zones';
import { safeSum } from './numbers';
import { fromTriple, knownAtLeast as atLeast, type Distro, type VersionTriple } from './kernel-version';
import { eraRowFor, TIMELINE, type EraRow } from './kernel/eras';

type Version = VersionTriple | null;

/** int_sqrt as the kernel computes it (floor of the square root) of a non-negative integer.
 * Math.sqrt is correctly rounded, so below 2^53 (where r² is exact) each correction runs at most
 * once; above it the float root is as close as a double gets (and a correction loop would never
 * end: r − 1 is r there). */
export function intSqrt(x: number): number {
  if (!(x > 0)) return 0;
  let r = Math.floor(Math.sqrt(x));
  if (!Number.isSafeInteger(x)) return r;
  if (r * r > x) r--;
  if ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/**
 * The kernel's default `min_free_kbytes` (reference §4.1): int_sqrt(lowmem_kbytes × 16), clamped
 * to 128 … 65536 kB (≤5.4) or 128 … 262144 kB (5.10+, and the EL7/EL8 backports).
 */
export function defaultMinFreeKbytes(lowmemKb: number, maxKb: number): number {
  return Math.min(maxKb, Math.max(128, intSqrt(lowmemKb * 16)));
}

/** Upper clamp of the default (§4.1): a distribution's backport, else the timeline row's;
 * uncertain between 5.4 and 5.10 and when the version is unknown (then the oldest clamp). */
export function minFreeClamp(version: Version, distro: string | null): { maxKb: number; certain: boolean } {
  const backport = distro !== null && distro in TIMELINE.distros ? TIMELINE.distros[distro as Distro] : null;
  if (backport?.minFreeClampKb) return { maxKb: backport.minFreeClampKb, certain: true };
  const clampOf = (row: EraRow) =>
    row.sysctls['vm.min_free_kbytes'].defaultClamp ?? { maxKb: 65536, certain: false };
  if (version === null) return { ...clampOf(TIMELINE.rows[0]), certain: false };
  return clampOf(eraRowFor(fromTriple(version)));
}

export interface MemoryInput {
  report: Report;
  pageSizeKb: number;
  version: Version;
  distro: string | null;
}

export function analyzeMemory({ report, pageSizeKb, version, distro }: MemoryInput): MemoryAnalysis {
  const zones = report.zones;
  const notes: string[] = [];
  const useManaged = zones.some((z) => z.managedKb !== null);
  const sizeKb = (z: (typeof zones)[number]): number | null => (useManaged ? z.managedKb : z.presentKb);

  const byNode = new Map<number, (typeof zones)[number][]>();
  for (const z of zones) {
    const list = byNode.get(z.node);
    if (list) list.push(z);
    else byNode.set(z.node, [z]);
  }
  const nodes = [...byNode.keys()]
    .sort((a, b) => a - b)
    .map((node) => {
      const zs = byNode.get(node)!;
      return {
        node,
        presentKb: safeSum(zs, (z) => z.presentKb),
        managedKb: safeSum(zs, (z) => z.managedKb),
        freeKb: safeSum(zs, (z) => z.freeKb),
      };
    });

  let ramKb: number | null = null;
  let ramSource: MemoryAnalysis['ramSource'] = null;
  const presentSum = zones.length > 0 ? safeSum(zones, (z) => z.presentKb) : null;
  if (report.ramPages !== null && Number.isSafeInteger(report.ramPages * pageSizeKb)) {
    ramKb = report.ramPages * pageSizeKb;
    ramSource = 'pages RAM';
  } else if (presentSum !== null) {
    ramKb = presentSum;
    ramSource = 'zones present';
    notes.push(
      'no "pages RAM" line (3.x omits it for atomic requests): RAM is the sum of the zones\' present memory',
    );
  }
  const freeKb = zones.length > 0 ? safeSum(zones, (z) => z.freeKb) : null;

  // Movable counts as lowmem for the watermark split until 6.6 (reference §4.2).
  const movableIsLowmem = !atLeast(version, 6, 6);
  const lowmemForMin = zones.filter((z) => {
    const c = canonicalZone(z.zone);
    return c !== 'HighMem' && c !== 'Device' && (c !== 'Movable' || movableIsLowmem) && !isEmptyZone(z);
  });
  // nr_free_buffer_pages(): zones up to Normal (gfp_zone(GFP_USER)), at boot ≈ their size.
  const bufferZones = zones.filter((z) => ['DMA', 'DMA32', 'Normal'].includes(canonicalZone(z.zone) ?? ''));
  const lowmemKb = bufferZones.length > 0 ? safeSum(bufferZones, sizeKb) : null;

  let minFreeInferredKb: number | null = null;
  let minFreeRangeKb: [number, number] | null = null;
  let minFreeSumText: string | null = null;
  const parts = lowmemForMin.map((z) => (z.minKb === null ? null : z.minKb - (z.boostKb ?? 0)));
  const minSum = lowmemForMin.length > 0 ? safeSum(parts, (p) => p) : null;
  if (minSum !== null) {
    minFreeInferredKb = minSum;
    // Each zone's min is floor(pages_min × size / lowmem_pages): < 1 page lost per zone, and
    // pages_min = min_free_kbytes / page size (§4.2, §4.4).
    const n = lowmemForMin.length;
    minFreeRangeKb = [minFreeInferredKb, minFreeInferredKb + (n - 1) * pageSizeKb + (pageSizeKb - 1)];
    minFreeSumText = `${parts.join(' + ')} = ${minFreeInferredKb} kB (${lowmemForMin.map((z) => zoneLabel(z)).join(', ')})`;
    if (zones.some((z) => z.boostKb !== null && z.boostKb > 0))
      notes.push('watermark boost subtracted from the printed min (5.0+ prints min including boost)');
    else if (atLeast(version, 5, 0) && !atLeast(version, 5, 17) && zones.every((z) => z.boostKb === null))
      notes.push(
        '5.0–5.16 print min including a watermark boost they do not show: the sum may be above min_free_kbytes',
      );
    const printedNodes = byNode;
    if (report.nodes.some((n2) => !printedNodes.has(n2.node)))
      notes.push('the report shows node lines without zone lines (filtered nodes): the sum is a lower bound');
  }

  const clamp = minFreeClamp(version, distro);
  let minFreeDefaultKb: number | null = null;
  let minFreeDefaultText: string | null = null;
  if (lowmemKb !== null) {
    minFreeDefaultKb = defaultMinFreeKbytes(lowmemKb, clamp.maxKb);
    const raw = intSqrt(lowmemKb * 16);
    minFreeDefaultText =
      `int_sqrt(${lowmemKb} kB lowmem × 16) = ${raw}` +
      (raw !== minFreeDefaultKb ? `, clamped to ${minFreeDefaultKb}` : '') +
      ` kB (lowmem = ${useManaged ? 'managed' : 'present'} memory of DMA/DMA32/Normal; clamp 128…${clamp.maxKb} kB${clamp.certain ? '' : ', release not pinned'})`;
  }

  // THP's recommended min_free_kbytes: pageblock × zones × (2 + MIGRATE_PCPTYPES²) = × 11, at most
  // 5 % of lowmem (mm/huge_memory.c, later mm/khugepaged.c set_recommended_min_free_kbytes).
  // x86-64/arm64 with 4 kB pages: pageblock = PMD size = 2 MiB; other layouts are not pinned.
  const pageblockKb = pageSizeKb === 4 && zones.some((z) => canonicalZone(z.zone) === 'DMA32') ? 2048 : null;
  const countsAllZones = !atLeast(version, 4, 19);
  const thpZoneList = zones.filter((z) => {
    if (isEmptyZone(z) || (sizeKb(z) ?? z.presentKb ?? 0) === 0) return false;
    const c = canonicalZone(z.zone);
    return countsAllZones || (c !== 'HighMem' && c !== 'Movable' && c !== 'Device');
  });
  let thpRecommendedKb: number | null = null;
  let thpRecommendedText: string | null = null;
  if (pageblockKb !== null && thpZoneList.length > 0) {
    const raw = pageblockKb * thpZoneList.length * 11;
    const cap = lowmemKb !== null ? Math.floor(lowmemKb / 20) : Infinity;
    thpRecommendedKb = Math.min(raw, cap);
    thpRecommendedText =
      `pageblock ${pageblockKb} kB × ${thpZoneList.length} populated zones × 11 = ${raw} kB` +
      (thpRecommendedKb < raw ? `, capped at 5 % of lowmem = ${thpRecommendedKb} kB` : '');
  } else if (pageblockKb === null && zones.length > 0) {
    notes.push(
      'pageblock size not pinned for this layout (only 2 MiB on x86-64/arm64 4 kB pages is): no THP value',
    );
  }

  const thpCapped = thpRecommendedText !== null && thpRecommendedText.includes('capped');
  const minFreeInterpretation = interpretMinFree(
    minFreeRangeKb,
    lowmemKb,
    useManaged,
    clamp.maxKb,
    thpRecommendedKb,
    thpCapped,
  );

  const slabPages = report.counters.find((c) => c.name === 'slab_reclaimable')?.value ?? null;
  return {
    pageSizeKb,
    pageSizeAssumed: report.pageSizeKb === null,
    ramKb,
    ramSource,
    nodes,
    freeKb,
    lowmemKb,
    slabReclaimableKb:
      slabPages === null || !Number.isSafeInteger(slabPages * pageSizeKb) ? null : slabPages * pageSizeKb,
    minFreeInferredKb,
    minFreeRangeKb,
    minFreeZones: lowmemForMin.length,
    minFreeSumText,
    minFreeDefaultKb,
    minFreeDefaultText,
    minFreeInterpretation,
    thpRecommendedKb,
    thpRecommendedText,
    pageblockKb,
    thpZones: thpZoneList.length,
    notes,
  };
}

/**
 * Which value the host runs: the default (managed sizes grow after boot, when init memory and the
 * initrd are freed, so allow 3 % less lowmem at boot), THP's recommendation, or one set by hand.
 */
function interpretMinFree(
  range: [number, number] | null,
  lowmemKb: number | null,
  managed: boolean,
  maxKb: number,
  thpKb: number | null,
  thpCapped: boolean,
): string | null {
  if (range === null) return null;
  const within = (lo: number, hi: number): boolean => range[0] <= hi && lo <= range[1];
  if (lowmemKb !== null) {
    const hi = defaultMinFreeKbytes(lowmemKb, maxKb);
    const lo = managed ? defaultMinFreeKbytes(Math.floor(lowmemKb * 0.97), maxKb) : hi;
    if (within(lo, hi))
      return `the host runs the kernel's default (untuned)${managed && lo !== hi ? ` — ${lo}–${hi} kB allowing for pages freed after boot` : ''}`;
  }
  // A capped THP value is 5 % of the lowmem at boot, which was a little smaller (see above).
  const thpLo = thpKb !== null && thpCapped && managed ? Math.floor(thpKb * 0.97) : thpKb;
  if (thpKb !== null && thpLo !== null && within(thpLo, thpKb))
    return "the host runs THP's recommended value (transparent hugepages enabled)";
  const parts: string[] = [];
  if (lowmemKb !== null) {
    const def = defaultMinFreeKbytes(lowmemKb, maxKb);
    parts.push(`${range[0] > def ? 'above' : 'below'} the default (${def} kB)`);
  }
  if (thpKb !== null) parts.push(`${range[0] > thpKb ? 'above' : 'below'} THP's value (${thpKb} kB)`);
  return `${parts.join(' and ') || 'not the default'}: set by hand (sysctl), or a watermark boost the kernel did not print inflates min`;
}
