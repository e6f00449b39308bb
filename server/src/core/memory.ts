// Memory totals and min_free_kbytes: the value the host runs (Σ zone min, reference §4.2/§4.4),
// the kernel's default for this much lowmem (§4.1) and THP's recommended value (§4.1).

import type { Report, ZoneLine } from './model';
import type { MemoryAnalysis } from './analysis-types';
import { canonicalZone, isEmptyZone, zoneLabel } from './zones';
import { MANAGED_GROWTH_AFTER_BOOT, safeSum } from './numbers';
import { fromTriple, releaseText, type Distro, type VersionTriple } from './kernel-version';
import {
  eraRowFor,
  hasSysctl,
  sysctlSince,
  THP_OFF_BELOW_RAM_KB,
  TIMELINE,
  type EraRow,
  MIN_FREE_BEFORE_2_6_10,
  MIN_FREE_FACTOR,
  MIN_FREE_FLOOR_KB,
} from './kernel/eras';
import { knownSysctlInt, type SystemState } from './system-state';
import { nodeFilterOf } from './node-filter';

/** The smallest size `kb` may have had at boot (MANAGED_GROWTH_AFTER_BOOT) when the sizes are managed
 * pages, else `kb` itself: a value computed from today's sizes is matched against the band from it
 * up to them. */
const atBoot = (kb: number, managed: boolean): number =>
  managed ? Math.floor(kb * (1 - MANAGED_GROWTH_AFTER_BOOT)) : kb;

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
export function defaultMinFreeKbytes(
  lowmemKb: number,
  maxKb: number,
  factor: 16 | 1 = MIN_FREE_FACTOR,
): number {
  return Math.min(maxKb, Math.max(MIN_FREE_FLOOR_KB, intSqrt(lowmemKb * factor)));
}

/** The default's formula: int_sqrt(lowmem_kbytes × factor), clamped to 128 … maxKb. */
interface MinFreeFormula {
  factor: 16 | 1;
  maxKb: number;
}

/** The formula before 2.6.10 (kernel/eras.ts MIN_FREE_BEFORE_2_6_10), told by its zones: low = 2 ×
 * min and high = 3 × min, and no `managed:` (3.10+, where watermark_scale_factor's gap could match
 * by chance). */
function minFreeBefore2610(zones: readonly ZoneLine[]): boolean {
  const set = zones.filter((z) => z.minKb !== null && z.minKb > 0);
  return (
    set.length > 0 &&
    zones.every((z) => z.managedKb === null) &&
    set.every((z) => z.lowKb === 2 * z.minKb! && z.highKb === 3 * z.minKb!)
  );
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
  /** The release is not printed: `version` is what the report's format points to. */
  versionGuessed?: boolean;
  /** The system's known values (a bundle's `sysctl -a`): a known vm.min_free_kbytes is stated,
   * not inferred. */
  system?: SystemState;
}

export function analyzeMemory({
  report,
  pageSizeKb,
  version,
  distro,
  versionGuessed = false,
  system,
}: MemoryInput): MemoryAnalysis {
  const zones = report.zones;
  const notes: string[] = [];
  // The timeline row of the report's release (null: not known); the version facts below read it.
  const row = version === null ? null : eraRowFor(fromTriple(version));
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
  // A node-filtered dump (show_mem(SHOW_MEM_FILTER_NODES): node-filter.ts) prints some nodes' zones
  // only: their sums are not the machine's RAM nor its min_free_kbytes.
  const nodeFilter = nodeFilterOf(report, pageSizeKb);
  if (report.ramPages !== null && Number.isSafeInteger(report.ramPages * pageSizeKb)) {
    // lib/show_mem.c (4.x … 5.x) / mm/show_mem.c __show_mem (6.x) count `pages RAM` over every
    // zone of every online node, with no node filter
    ramKb = report.ramPages * pageSizeKb;
    ramSource = 'pages RAM';
  } else if (nodeFilter !== null) {
    notes.push(
      `RAM not known: ${nodeFilter.text}; no "pages RAM" line (show_mem counts it over every node) is printed`,
    );
  } else if (presentSum !== null) {
    ramKb = presentSum;
    ramSource = 'zones present';
    // 4b59e6c47309 ("mm, show_mem: suppress page counts in non-blockable contexts", 2012) made
    // warn_alloc's show_mem skip the page counts for requests that cannot sleep, until the filter
    // went away (4.9's lib/show_mem.c prints them always); otherwise the log simply ends before it.
    const atomic = report.gfp?.printed ? /GFP_ATOMIC|GFP_NOWAIT/.test(report.gfp.printed) : null;
    const filtered =
      report.kind === 'page_alloc_failure' && atomic !== false && (row?.pageCountsMayBeFiltered ?? true);
    notes.push(
      filtered
        ? 'no "pages RAM" line (kernels from 4b59e6c47309, 2013, up to 4.8 leave it out for requests that cannot sleep, SHOW_MEM_FILTER_PAGE_COUNT; or the log ends before it): RAM is the sum of the zones\' present memory'
        : 'no "pages RAM" line (the report ends before it): RAM is the sum of the zones\' present memory',
    );
  }
  const freeKb = zones.length > 0 ? safeSum(zones, (z) => z.freeKb) : null;

  // Movable counts as lowmem for the watermark split until 6.6 (the row's movableIsLowmem).
  const movableIsLowmem = row?.movableIsLowmem ?? true;
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
    else if (row?.watermarkBoost === 'unprinted' && zones.every((z) => z.boostKb === null))
      notes.push(
        '5.0–5.16 print min including a watermark boost they do not show: the sum may be above min_free_kbytes',
      );
    const printedNodes = byNode;
    if (report.nodes.some((n2) => !printedNodes.has(n2.node)))
      notes.push('the report shows node lines without zone lines (filtered nodes): the sum is a lower bound');
  }

  const legacy = minFreeBefore2610(zones);
  const clamp = legacy
    ? { maxKb: MIN_FREE_BEFORE_2_6_10.maxKb, certain: true }
    : minFreeClamp(version, distro);
  const formula: MinFreeFormula = legacy
    ? MIN_FREE_BEFORE_2_6_10
    : { factor: MIN_FREE_FACTOR, maxKb: clamp.maxKb };
  let minFreeDefaultKb: number | null = null;
  let minFreeDefaultText: string | null = null;
  if (lowmemKb !== null) {
    minFreeDefaultKb = defaultMinFreeKbytes(lowmemKb, formula.maxKb, formula.factor);
    const raw = intSqrt(lowmemKb * formula.factor);
    minFreeDefaultText =
      `int_sqrt(${lowmemKb} kB lowmem${legacy ? '' : ' × 16'}) = ${raw}` +
      (raw !== minFreeDefaultKb ? `, clamped to ${minFreeDefaultKb}` : '') +
      ` kB (lowmem = ${useManaged ? 'managed' : 'present'} memory of DMA/DMA32/Normal; clamp 128…${clamp.maxKb} kB${legacy ? "; 2.6.9 and older: the zones' low = 2 × min and high = 3 × min are that kernel's (setup_per_zone_pages_min), whose init_per_zone_pages_min took no × 16" : clamp.certain ? '' : ', release not pinned'})`;
  }

  // THP's recommended min_free_kbytes (set_recommended_min_free_kbytes: K314 mm/huge_memory.c,
  // K49 … K71 mm/khugepaged.c, the same formula in each): pageblock_nr_pages × populated zones ×
  // (2 + MIGRATE_PCPTYPES × MIGRATE_PCPTYPES) = × 11, at most 5 % of nr_free_buffer_pages(); it
  // only raises min_free_kbytes, and only when THP is enabled (khugepaged_enabled ≤6.0,
  // hugepage_flags_enabled 6.1+, hugepage_pmd_enabled 6.18). THP came in 2.6.38 and needs an MMU.
  const thp = thpPageblock(report, pageSizeKb);
  // No THP before 2.6.38 (the transparent_hugepage sysfs files of the timeline): no THP value.
  const backport = distro !== null && distro in TIMELINE.distros ? TIMELINE.distros[distro as Distro] : null;
  const hasThp =
    backport?.thp === true ||
    hasSysctl('transparent_hugepage/defrag', version === null ? null : fromTriple(version)) !== false;
  // 4.19+ skip the zones above gfp_zone(GFP_USER) (HighMem, Movable: K510 "We don't need to worry
  // about fragmentation of ZONE_MOVABLE"); K414 counts every populated zone.
  const countsAllZones = row?.thpCountsAllZones ?? true;
  // Populated: present pages > 0 (for_each_populated_zone). A zone line cut before its present:/
  // managed: fields is still populated when it prints free or min above 0 (show_free_areas prints
  // only populated zones, for_each_populated_zone in 4.x mm/page_alloc.c; a zone with free pages or
  // a min watermark has pages).
  const populated = (z: (typeof zones)[number]): boolean =>
    (sizeKb(z) ?? z.presentKb ?? ((z.freeKb ?? 0) > 0 || (z.minKb ?? 0) > 0 ? 1 : 0)) > 0;
  const thpZoneList = zones.filter((z) => {
    if (isEmptyZone(z) || !populated(z)) return false;
    const c = canonicalZone(z.zone);
    return countsAllZones || (c !== 'HighMem' && c !== 'Movable' && c !== 'Device');
  });
  // The cap is nr_free_buffer_pages() / 20, and nr_free_buffer_pages() = nr_free_zone_pages(
  // gfp_zone(GFP_USER)) sums `size − high` over the zones up to Normal (K2638 … K618
  // mm/page_alloc.c nr_free_zone_pages: present pages before 3.8, managed pages since). khugepaged
  // computes it after init_per_zone_wmark_min has set the watermarks of the default min_free_kbytes,
  // so the high marks it subtracts are those (bootHighKb), not the printed ones when min was
  // raised since; the initrd and init memory freed later make the boot-time sizes up to 5 % smaller.
  const bufferHighKb =
    lowmemKb === null
      ? null
      : safeSum(bufferZones, (z) => {
          const size = sizeKb(z);
          if (size === null) return null;
          const def = defaultMinFreeKbytes(lowmemKb, formula.maxKb, formula.factor);
          return Math.max(0, size - bootHighKb(size, lowmemKb, def, row));
        });
  const thpOf = (pb: number) => {
    const raw = pb * thpZoneList.length * 11;
    const cap = bufferHighKb !== null ? Math.floor(bufferHighKb / 20) : Infinity;
    // the highest cap any boot-time high watermark could give (high 0): Σ size / 20
    const capHi = lowmemKb !== null ? Math.floor(lowmemKb / 20) : Infinity;
    return { raw, kb: Math.min(raw, cap), kbHi: Math.min(raw, capHi) };
  };
  // Several pageblock sizes fit the report (hugepages_size lines above the top buddy order are
  // cut to it): the one whose THP value the zone mins show, else none.
  let pageblockKb: number | null = thp.candidates.length === 1 ? thp.candidates[0] : null;
  if (pageblockKb === null && minFreeRangeKb !== null && thpZoneList.length > 0) {
    const range = minFreeRangeKb;
    const hits = thp.candidates.filter((pb) => {
      const v = thpOf(pb).kb;
      return range[0] <= v && v <= range[1];
    });
    if (hits.length === 1) pageblockKb = hits[0];
  }
  let thpRecommendedKb: number | null = null;
  let thpRecommendedText: string | null = null;
  let thpCapHiKb: number | null = null;
  // hugepage_init (mm/huge_memory.c, 2.6.38 … 6.19): `if (totalram_pages() < (512 << (20 -
  // PAGE_SHIFT))) transparent_hugepage_flags = 0`: THP is off by default under 512 MiB, so
  // khugepaged never raises min_free_kbytes (set_recommended_min_free_kbytes returns while THP is
  // disabled). "pages RAM" is at least totalram_pages, so below 512 MiB of it THP was off.
  const thpOffSmall = ramKb !== null && ramSource === 'pages RAM' && ramKb < THP_OFF_BELOW_RAM_KB;
  const thpSince = sysctlSince('transparent_hugepage/defrag');
  const thpSinceText = thpSince ? releaseText(thpSince) : 'a later release';
  if (!hasThp && zones.length > 0) {
    notes.push(
      versionGuessed && version !== null
        ? `transparent hugepages came in ${thpSinceText}; the release is not printed, and the one its format points to (${version.join('.')}) has none: no THP value for min_free_kbytes (a later release would have one if THP was enabled)`
        : `transparent hugepages came in ${thpSinceText}: this kernel has no THP value for min_free_kbytes`,
    );
  } else if (thpOffSmall && zones.length > 0) {
    notes.push(
      `RAM ${Math.round((ramKb ?? 0) / 1024)} MiB < ${THP_OFF_BELOW_RAM_KB / 1024} MiB: hugepage_init (mm/huge_memory.c) turns THP off by default, so khugepaged's recommended min_free_kbytes does not apply unless THP was enabled through /sys`,
    );
  } else if (
    pageblockKb !== null &&
    thpZoneList.length > 0 &&
    // A zone counted as populated without its size (a cut zone line) leaves the 5 % cap unknown:
    // THP's value is then read only where the zone mins show it uncapped (inside their range).
    (thpZoneList.every((z) => (sizeKb(z) ?? z.presentKb) !== null) ||
      bufferHighKb !== null ||
      (minFreeRangeKb !== null &&
        minFreeRangeKb[0] <= thpOf(pageblockKb).raw &&
        thpOf(pageblockKb).raw <= minFreeRangeKb[1]))
  ) {
    const { raw, kb, kbHi } = thpOf(pageblockKb);
    thpRecommendedKb = kb;
    thpCapHiKb = kbHi > kb ? kbHi : null;
    thpRecommendedText =
      `pageblock ${pageblockKb} kB × ${thpZoneList.length} populated zones × 11 = ${raw} kB` +
      (thpRecommendedKb < raw
        ? `, capped at nr_free_buffer_pages() / 20 = Σ (size − high) of the zones up to Normal / 20 = ${thpRecommendedKb} kB (with the high watermarks of the default min_free_kbytes)`
        : '');
  } else if (zones.length > 0 && thp.candidates.length > 1) {
    notes.push(
      `pageblock size not pinned: the report fits ${thp.candidates.map((c) => `${c} kB`).join(' or ')} (the PMD size, hugepages_size and the largest buddy block), so no THP value`,
    );
  } else if (zones.length > 0 && thp.candidates.length === 0) {
    notes.push(
      'pageblock size not pinned for this layout (no hugepages_size line to read it from): no THP value',
    );
  }

  const thpCapped = thpRecommendedText !== null && thpRecommendedText.includes('capped');
  const boost = boostedZone(report, lowmemForMin, sizeKb, pageblockKb, row);
  // 4.10–5.8 computed the default before the CMA areas joined the managed pages (the era row's
  // lowmemReserveBeforeCma: init_per_zone_wmark_min and cma_init_reserved_areas both
  // core_initcalls, the former first), so its lowmem_kbytes (nr_free_buffer_pages) left CMA out.
  const hasCma = (report.cmaReservedPages ?? 0) > 0 || zones.some((z) => (z.freeCmaKb ?? 0) > 0);
  const cmaBeforeDefault =
    row?.lowmemReserveBeforeCma === true && hasCma
      ? {
          cmaKb:
            report.cmaReservedPages !== null && Number.isSafeInteger(report.cmaReservedPages * pageSizeKb)
              ? report.cmaReservedPages * pageSizeKb
              : null,
        }
      : null;
  const reading = interpretMinFree(
    minFreeRangeKb,
    lowmemKb,
    useManaged,
    formula,
    thpRecommendedKb,
    thpCapped,
    boost,
    {
      // a zone line that prints `boost:` (5.17+; 5.0+ kernels keep it in min otherwise) leaves no
      // boost unprinted
      boostExists: zones.some((z) => z.boostKb !== null)
        ? false
        : row === null
          ? null
          : row.watermarkBoost !== 'none',
      thpCapHiKb,
      cmaBeforeDefault,
    },
  );
  const found = reading?.boost ?? null;
  const knownKb = knownSysctlInt(system, 'vm.min_free_kbytes');
  const known = knownKb === null || system === undefined ? null : { kb: knownKb, source: system.source };
  const minFreeInterpretation =
    known !== null
      ? knownMinFreeText(
          known,
          minFreeRangeKb,
          found === null ? 0 : found.pageblocks * found.pageblockKb,
          reading?.text ?? null,
          // a boost the mins may hold unprinted: 5.0–5.16 print none (boost_watermark, 5.0+)
          zones.every((z) => z.boostKb === null) && row?.watermarkBoost !== 'none',
        )
      : (reading?.text ?? null);

  const slabPages = report.counters.find((c) => c.name === 'slab_reclaimable')?.value ?? null;
  // min_free_kbytes is split among every lowmem zone of every node (__setup_per_zone_wmarks,
  // mm/page_alloc.c): the printed nodes' mins are only their share of it, and the default and
  // THP's value need the machine's lowmem and zone count, which a filtered dump does not print.
  const partial = nodeFilter !== null && known === null && minFreeInferredKb !== null;
  if (partial)
    notes.push(
      `min_free_kbytes cannot be inferred: the printed zone mins (Σ ${minFreeSumText}) are only the share of ${nodeFilter.printedNodes.length === 1 ? 'that node' : 'those nodes'}; __setup_per_zone_wmarks (mm/page_alloc.c) splits min_free_kbytes over the lowmem zones of every node; /proc/sys/vm/min_free_kbytes shows it`,
    );
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
    minFreeInferredKb: partial ? null : minFreeInferredKb,
    minFreeRangeKb: partial ? null : minFreeRangeKb,
    minFreeZones: lowmemForMin.length,
    minFreeSumText,
    minFreeDefaultKb: partial ? null : minFreeDefaultKb,
    minFreeDefaultText: partial ? null : minFreeDefaultText,
    minFreeInterpretation: partial ? null : minFreeInterpretation,
    minFreeBoost:
      found === null || partial ? null : { kb: found.pageblocks * found.pageblockKb, zone: found.zone },
    thpRecommendedKb: partial ? null : thpRecommendedKb,
    thpRecommendedText: partial ? null : thpRecommendedText,
    pageblockKb,
    thpZones: thpZoneList.length,
    notes,
    ...(known !== null ? { minFreeKnown: known } : {}),
    ...(nodeFilter !== null ? { nodeFilter } : {}),
  };
}

/** The words for a min_free_kbytes the system's sysctl states: the value, where it comes from,
 * and whether the report's zone mins agree (they may not: the bundle was taken later, after a
 * change, or a watermark boost raised the mins the report printed). */
function knownMinFreeText(
  known: { kb: number; source: string },
  range: [number, number] | null,
  boostKb: number,
  reading: string | null,
  unprintedBoost: boolean,
): string {
  const head = `vm.min_free_kbytes = ${known.kb} kB in the system's sysctl (${known.source}), not inferred`;
  if (range === null) return `${head}; the report prints no zone min watermarks to compare`;
  const lo = range[0] - boostKb;
  const hi = range[1] - boostKb;
  if (lo <= known.kb && known.kb <= hi)
    return `${head}; the report's zone mins agree (${lo}–${hi} kB)${reading ? `: ${reading}` : ''}`;
  return `${head}; the report's zone mins point to ${lo}–${hi} kB, so the value was different when the report was printed (changed since${unprintedBoost && known.kb < lo ? ', or a watermark boost the report does not print' : ''})`;
}

/**
 * The pageblock sizes (kB) the report fits. pageblock_order is HUGETLB_PAGE_ORDER cut to the top
 * buddy order (K510 include/linux/pageblock-flags.h; K618 MIN_T(HUGETLB_PAGE_ORDER,
 * PAGE_BLOCK_MAX_ORDER)), or the top order without hugetlb: x86-64 and arm64 with 4 kB pages
 * (DMA32 zone) have 2 MiB; elsewhere each hugepages_size the report prints (3.10+), cut to the
 * largest buddy block, and that block itself (ppc64 with 64 kB pages: 16 MiB).
 */
function thpPageblock(report: Report, pageSizeKb: number): { candidates: number[] } {
  if (pageSizeKb === 4 && report.zones.some((z) => canonicalZone(z.zone) === 'DMA32'))
    return { candidates: [2048] };
  let top: number | null = null;
  for (const b of report.buddy) {
    const last = b.orders[b.orders.length - 1];
    if (last && (top === null || last.sizeKb > top)) top = last.sizeKb;
  }
  // A printed hugepages_size=2048kB with 4 kB pages is HPAGE_SHIFT = PMD_SHIFT = 21 (i386 PAE,
  // x86-64, arm64, ARM LPAE, riscv64; i386 without PAE prints 4096kB, MIPS 4096kB), and with
  // CONFIG_HUGETLB_PAGE pageblock_order is HUGETLB_PAGE_ORDER (include/linux/pageblock-flags.h,
  // K49 … K618): the pageblock is 2 MiB whatever the top buddy order.
  if (pageSizeKb === 4 && report.hugepages.some((h) => h.sizeKb === 2048))
    return { candidates: [top === null ? 2048 : Math.min(2048, top)] };
  const set = new Set<number>();
  // With THP configured and no hugetlb, 6.x cut pageblock_order to HPAGE_PMD_ORDER: the PMD size,
  // 2 MiB with 4 kB pages (x86-64, arm64, riscv64, ARM LPAE, i386 PAE).
  if (pageSizeKb === 4) set.add(top === null ? 2048 : Math.min(2048, top));
  for (const h of report.hugepages)
    if (h.sizeKb > 0) set.add(top === null ? h.sizeKb : Math.min(h.sizeKb, top));
  if (top !== null) set.add(top);
  return { candidates: [...set].sort((a, b) => a - b) };
}

/** A zone min above its share of min_free_kbytes by whole pageblocks: a watermark boost
 * (boost_watermark, K50 … K618 mm/page_alloc.c: each fragmenting fallback adds pageblock_nr_pages,
 * up to watermark_boost_factor × high), which 5.0+ kernels that print no `boost:` add into the
 * printed min (min_wmark_pages = _watermark[WMARK_MIN] + watermark_boost). */
export interface BoostReading {
  zone: string;
  pageblocks: number;
  pageblockKb: number;
}

function boostedZone(
  report: Report,
  lowmem: Report['zones'],
  sizeKb: (z: Report['zones'][number]) => number | null,
  pageblockKb: number | null,
  row: EraRow | null,
): BoostReading[] {
  if (pageblockKb === null || row === null || row.watermarkBoost === 'none') return [];
  if (report.zones.some((z) => z.boostKb !== null)) return [];
  const out: BoostReading[] = [];
  const sized = lowmem.filter((z) => z.minKb !== null && (sizeKb(z) ?? 0) > 0);
  if (sized.length === 0) return out;
  // boost ≤ max(pageblock, high × watermark_boost_factor 15000 / 10000) in one zone.
  const maxHigh = Math.max(...sized.map((z) => z.highKb ?? 0));
  const maxK = Math.max(1, Math.floor(Math.max(pageblockKb, (maxHigh * 15000) / 10000) / pageblockKb));
  for (let k = 1; k <= Math.min(maxK, 64); k++) {
    // The boosted zone is the one whose min less k pageblocks keeps the others' min/size
    // proportion (__setup_per_zone_wmarks gives each zone min ∝ its size); sizes at boot were up
    // to 5 % smaller than today's managed pages (init memory and the initrd freed later).
    let best: { zone: string; score: number } | null = null;
    for (const z of sized) {
      const base = (z.minKb ?? 0) - k * pageblockKb;
      if (base <= 0) continue;
      const others = sized.filter((o) => o !== z);
      const oSize = others.reduce((t, o) => t + (sizeKb(o) ?? 0), 0);
      const oMin = others.reduce((t, o) => t + (o.minKb ?? 0), 0);
      const score =
        others.length === 0 || oMin === 0 ? 0 : Math.abs(base / (sizeKb(z) ?? 1) / (oMin / oSize) - 1);
      if (score <= 0.05 && (best === null || score < best.score)) best = { zone: zoneLabel(z), score };
    }
    if (best) out.push({ zone: best.zone, pageblocks: k, pageblockKb });
  }
  return out;
}

/** What else interpretMinFree weighs: whether the kernel has the watermark boost (5.0+,
 * boost_watermark; null: release unknown), the highest cap khugepaged's value can have (when its
 * cap depends on high watermarks the report does not show for that moment), and a CMA area the
 * 4.10–5.8 default left out of lowmem (its size when `pages cma reserved` is printed). */
interface MinFreeContext {
  boostExists: boolean | null;
  thpCapHiKb: number | null;
  cmaBeforeDefault: { cmaKb: number | null } | null;
}

/**
 * Which value the host runs: the default (managed sizes grow after boot, when init memory and the
 * initrd are freed, so allow 5 % less lowmem at boot), THP's recommendation, or one set by hand.
 */
function interpretMinFree(
  range: [number, number] | null,
  lowmemKb: number | null,
  managed: boolean,
  formula: MinFreeFormula,
  thpKb: number | null,
  thpCapped: boolean,
  boosts: BoostReading[] = [],
  ctx: MinFreeContext = { boostExists: null, thpCapHiKb: null, cmaBeforeDefault: null },
): { text: string; boost: BoostReading | null } | null {
  if (range === null) return null;
  // Every min 0: printed before init_per_zone_wmark_min (a core/postcore initcall) set any
  // watermark, e.g. from an early initcall (init_kprobes): not a value anyone set.
  if (range[0] === 0)
    return {
      text: 'every zone min is 0: the report was printed before init_per_zone_wmark_min set the watermarks (early boot), not with min_free_kbytes set to 0',
      boost: null,
    };
  const { maxKb, factor } = formula;
  const plain = kernelValue(range, lowmemKb, managed, formula, thpKb, thpCapped);
  if (plain !== null) return { text: plain, boost: null };
  for (const b of boosts) {
    const d = b.pageblocks * b.pageblockKb;
    const base = kernelValue([range[0] - d, range[1] - d], lowmemKb, managed, formula, thpKb, thpCapped);
    if (base !== null)
      return {
        boost: b,
        text:
          `${base}, plus a watermark boost of ${b.pageblocks} pageblock${b.pageblocks > 1 ? 's' : ''} (${d} kB) in ${b.zone}: ` +
          "boost_watermark (5.0+, mm/page_alloc.c) raises a zone's min by a pageblock per fragmenting fallback, and kernels that print no boost: field include it in min",
      };
  }
  const def = lowmemKb !== null ? defaultMinFreeKbytes(lowmemKb, maxKb, factor) : null;
  const below = def !== null && range[1] < def;
  // 4.10–5.8 with CMA: the default came from lowmem without the CMA pages.
  if (below && ctx.cmaBeforeDefault && lowmemKb !== null) {
    const cma = ctx.cmaBeforeDefault.cmaKb;
    const why =
      'on 4.10–5.8 init_per_zone_wmark_min ran before the CMA areas joined the managed pages (both core_initcalls, mm/page_alloc.c first), so the default was computed from lowmem without CMA';
    if (cma !== null) {
      const cmaDef = defaultMinFreeKbytes(Math.max(0, lowmemKb - cma), maxKb, factor);
      const lo = defaultMinFreeKbytes(atBoot(Math.max(0, lowmemKb - cma), managed), maxKb, factor);
      if (range[0] <= cmaDef && lo <= range[1])
        return {
          boost: null,
          text: `the host runs the kernel's default (untuned): ${why}: int_sqrt((${lowmemKb} − ${cma} kB CMA) × 16) = ${cmaDef} kB`,
        };
    } else
      return {
        boost: null,
        text: `below the default computed from today's lowmem (${def} kB), which fits the kernel's default: ${why}, and this device has CMA (free_cma printed); the report does not print the CMA size (\`N pages cma reserved\`), so it cannot tell that from a value set by hand`,
      };
  }
  // khugepaged's capped value, when the report does not pin the high marks its cap subtracted.
  if (thpKb !== null && thpCapped && ctx.thpCapHiKb !== null) {
    const lo = atBoot(thpKb, managed);
    if (range[0] <= ctx.thpCapHiKb && lo <= range[1])
      return {
        boost: null,
        text:
          `THP's capped value or one set by hand: khugepaged's cap nr_free_buffer_pages() / 20 lies in ${lo}–${ctx.thpCapHiKb} kB depending on the high watermarks and sizes at the moment it ran, and the value is inside; ` +
          'the report cannot tell which (`dmesg | grep "raising min_free_kbytes"` shows khugepaged raising a value the user had set; /proc/sys/vm/min_free_kbytes and /sys/kernel/mm/transparent_hugepage/enabled show the rest)',
      };
  }
  // No size printed for the zones up to Normal (`present:` 2.6.x, `managed:` 3.10+; cut, abridged
  // or filtered to other nodes): the default cannot be computed, so nothing tells it from a value
  // set by hand.
  if (def === null && thpKb === null)
    return {
      boost: null,
      text: "the report prints no size (present:, managed:) of the zones up to Normal, from which init_per_zone_wmark_min computes the default (int_sqrt of their kB): it cannot tell the kernel's default from a value set by hand",
    };
  const parts: string[] = [];
  if (def !== null) parts.push(`${range[0] > def ? 'above' : 'below'} the default (${def} kB)`);
  if (thpKb !== null) parts.push(`${range[0] > thpKb ? 'above' : 'below'} THP's value (${thpKb} kB)`);
  // A boost only raises min (boost_watermark, 5.0+): it never explains a value below the default.
  const boostText =
    below || ctx.boostExists === false
      ? ''
      : ctx.boostExists === null
        ? ', or a watermark boost the kernel did not print inflates min (boost_watermark, 5.0+)'
        : ', or a watermark boost the kernel did not print inflates min';
  return {
    text: `${parts.join(' and ') || 'not the default'}: set by hand (sysctl)${boostText}`,
    boost: null,
  };
}

/** The kernel's own value when the range holds it: the default, or THP's recommendation. */
function kernelValue(
  range: [number, number],
  lowmemKb: number | null,
  managed: boolean,
  { maxKb, factor }: MinFreeFormula,
  thpKb: number | null,
  thpCapped: boolean,
): string | null {
  const within = (lo: number, hi: number): boolean => range[0] <= hi && lo <= range[1];
  if (lowmemKb !== null) {
    const hi = defaultMinFreeKbytes(lowmemKb, maxKb, factor);
    const lo = defaultMinFreeKbytes(atBoot(lowmemKb, managed), maxKb, factor);
    if (within(lo, hi))
      return `the host runs the kernel's default (untuned)${managed && lo !== hi ? ` — ${lo}–${hi} kB allowing for pages freed after boot` : ''}`;
  }
  // A capped THP value is 5 % of the lowmem at boot, which was a little smaller (see above).
  const thpLo = thpKb !== null && thpCapped ? atBoot(thpKb, managed) : thpKb;
  if (thpKb !== null && thpLo !== null && within(thpLo, thpKb))
    return thpCapped
      ? 'it fits THP\'s recommended value capped at nr_free_buffer_pages() / 20 (transparent hugepages enabled): the cap follows the lowmem at the moment khugepaged ran, so a value set by hand in the same band cannot be told apart (`dmesg | grep "raising min_free_kbytes"`, /sys/kernel/mm/transparent_hugepage/enabled)'
      : "the host runs THP's recommended value (transparent hugepages enabled)";
  return null;
}

/** The high watermark (kB) __setup_per_zone_wmarks gave a lowmem zone of `sizeKb` for a
 * min_free_kbytes of `minKb`: the zone's share of min plus twice the gap, which is
 * max(min/4, size × watermark_scale_factor 10 / 10000) from 4.6 (795ae7a0de6b), min/4 before
 * (2.6.x–4.5: high = min + min/2). */
function bootHighKb(sizeKb: number, lowmemKb: number, minKb: number, row: EraRow | null): number {
  if (lowmemKb <= 0) return 0;
  const zoneMin = Math.floor((minKb * sizeKb) / lowmemKb);
  // the factor at boot is its default (a sysctl set later does not change these boot marks)
  const factor = row?.sysctls['vm.watermark_scale_factor']?.default;
  const gap = typeof factor === 'number' ? Math.max(zoneMin / 4, (sizeKb * factor) / 10000) : zoneMin / 4;
  return Math.floor(zoneMin + 2 * gap);
}
