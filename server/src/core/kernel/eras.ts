// The kernel timeline: one row per release where something this project reads changed, keyed by
// the first release the row applies to. Each row is written as what changed from the row before
// it (a field left out is the previous row's), so a new kernel era is one row here.
//
// What a row carries: the GFP bit layout (kernel/gfp-layouts.ts's tables), the rules the watermark
// replay reads (kernel-memory.md §3.1–§3.3), the class-zone rule, the lowmem_reserve basis (§5),
// and the vm sysctls that exist with their ranges and defaults (§6; Documentation/admin-guide/
// sysctl/vm.rst of K618). What the zone lines and headers print (what shape inference reads) is
// PRINTED_SIGNALS below, each with the releases it is printed in.
//
// Pure data and table walks: no I/O.

import type { WatermarkEra } from '../analysis-types';
import { compareVersion, version, type Distro, type KernelVersion } from '../kernel-version';
import * as G from './gfp-layouts';
import type { GfpEra, GfpLayout } from './gfp-layouts';

/** Allocator flags a watermark rule can test (AllocFlags in analysis-types.ts). */
export type AllocFlagName = 'high' | 'harder' | 'nonBlock' | 'highatomic' | 'cma';

/** `min -= min / divisor` when every flag in `when` is set (§3.2). */
export interface MinCut {
  readonly when: readonly AllocFlagName[];
  readonly divisor: number;
  /** The kernel's name for the cut, e.g. ALLOC_HIGH. */
  readonly name: string;
}

/** How `__zone_watermark_ok` and `gfp_to_alloc_flags` work in an era (§3.1, §3.2). */
export interface WatermarkRules {
  /** Printed in the analysis (EraAnalysis.watermarkEra, ReplayAnalysis.era). */
  readonly name: WatermarkEra;
  /** Releases the rules cover, e.g. "3.10–4.3". */
  readonly label: string;
  /** The check in one sentence (ReplayAnalysis.algorithmText). */
  readonly text: string;
  /** Cuts of min, applied in order. */
  readonly minCuts: readonly MinCut[];
  /** `free_pages -= (1 << order) + orderPagesTerm` before any comparison: −1 in every release but
   * 2.6.38–3.2, whose __zone_watermark_ok (from 88f5acf8 "mm: page allocator: adjust the per-cpu
   * counter threshold when memory is low") wrote `+ 1`, two pages more, until "mm: fix off-by-two
   * in __zone_watermark_ok" (3.3). Read in 2.6.37, 2.6.38 and 3.3.8 mm/page_alloc.c. */
  readonly orderPagesTerm: -1 | 1;
  /** The rules that differ from these only in orderPagesTerm (2.6 ↔ 2.6.38): a replay under a
   * guessed era is repeated with them to say where those two pages decide a zone. */
  readonly orderPagesTwin?: WatermarkEra;
  /** The highatomic reserve is subtracted from free unless one of these flags is set; null: never
   * subtracted (no highatomic reserve before 4.4). */
  readonly highatomicUnless: readonly AllocFlagName[] | null;
  /** Free CMA pages are subtracted without ALLOC_CMA (3.10+); false: CMA not in the check. */
  readonly subtractsCma: boolean;
  /** 3.7–3.9: the free CMA pages also stay out of the per-order loop (they were subtracted from
   * free_pages before it); 3.10 subtracts them for the first comparison only. */
  readonly cmaInOrderLoop: boolean;
  /** The rules differ from the previous ones only by the free CMA pages, which zone lines print
   * from the same release on (`free_cma:`, 3.7): a report printing none replays the same by both. */
  readonly differsOnlyByCma: boolean;
  /** Say "free_cma not printed: taken as 0" when a zone does not print it. */
  readonly notesUnprintedCma: boolean;
  /** Order > 0: 'halving-loop' = remove each lower order's free pages against a halving min
   * (2.6–4.3); 'free-block' = one free block ≥ the order on a list the request may use (4.4+). */
  readonly orderCheck: 'halving-loop' | 'free-block';
  /** The flag that lets a request take highatomic (H) blocks. */
  readonly highatomicBlocksWith: AllocFlagName;
  /** The flag of an order-0 request that zone_watermark_fast retries against the unboosted min. */
  readonly boostRetryWith: AllocFlagName;
  /** How gfp_to_alloc_flags names the atomic cut: ALLOC_HARDER (≤6.2) or ALLOC_NON_BLOCK (6.3+). */
  readonly atomicFlag: 'harder' | 'nonBlock';
  /** ALLOC_CMA exists (3.10+ with CONFIG_CMA: movable requests may use CMA pageblocks). */
  readonly hasAllocCma: boolean;
  /** A real-time task also gets ALLOC_HARDER, which the report cannot show (≤4.3 wording). */
  readonly notesRealtimeHarder: boolean;
  /** Note 281dd25c1a01 (Nov 2024, 6.12 and stable backports), which lets GFP_ATOMIC order-0
   * requests use H blocks (the stable release each tree got it in is not pinned). */
  readonly notesHighatomicFix: boolean;
}

/** The OOM killer's last allocation attempt: before out_of_memory() the allocator tries
 * get_page_from_freelist once more with alloc_flags REPLACED by ALLOC_WMARK_HIGH|ALLOC_CPUSET
 * (K2618/K2624 __alloc_pages, K2632 … K619 __alloc_pages_may_oom in mm/page_alloc.c; verified in
 * 2.6.24, 2.6.32, 3.10, 4.9, 4.14, 5.10, 6.8, 6.19, and in a pre-2.6.23 __alloc_pages without
 * try_set_zone_oom; kernels before 2.6.18 are read with this row, not checked). So the request's own ALLOC_HIGH/ALLOC_HARDER/
 * ALLOC_MIN_RESERVE/ALLOC_NON_BLOCK cuts do not apply, ALLOC_CMA is not set (3.10+: the free CMA
 * pages are not counted, even for a movable request), no reserve flag is set (4.4+: the
 * highatomic reserve is not counted), the cpuset applies (__GFP_HARDWALL), and the class zone is
 * the request's own (the same `ac`). The mark is high_wmark_pages(zone): from 5.0
 * `_watermark[WMARK_HIGH] + watermark_boost` (include/linux/mmzone.h), which is what
 * show_free_areas prints as `high:` (K510 mm/page_alloc.c, K68, K619 mm/show_mem.c
 * K(high_wmark_pages(zone))); before 5.0 there is no boost. The printed `high:` is the mark used. */
export interface OomLastAttempt {
  /** The watermark the attempt uses. */
  readonly mark: 'high';
  /** Its alloc flags as the kernel names them. */
  readonly allocFlags: string;
  /** The function that makes the attempt. */
  readonly caller: string;
}

/** How the OOM killer scores a task (mm/oom_kill.c), for the score of a task-table row where the
 * report prints none (oom-analysis.ts). */
export interface OomBadness {
  /** `heuristic`: ≤2.6.35 badness() (total_vm, children's memory, CPU time, nice, capabilities: the
   * task table cannot give it; K2624, K2632). `permille`: 2.6.36–3.7 oom_badness = (rss [+ nr_ptes
   * from 2.6.39] + swapents) × 1000 / totalpages [− 30 for CAP_SYS_ADMIN] + oom_score_adj, kept
   * within 1…1000 (K2637, K2639, K334). `pages`: 3.8+ rss + swapents + page-table pages (nr_ptes
   * K310; + nr_pmds K48–K414; pgtables_bytes / PAGE_SIZE K510+) + oom_score_adj × (totalpages /
   * 1000); the ≤4.18 `Kill process … score N` prints points × 1000 / totalpages (K310
   * select_bad_process, K414 `oc->chosen_points * 1000 / oc->totalpages`). */
  readonly scale: 'heuristic' | 'permille' | 'pages';
  /** CAP_SYS_ADMIN tasks' discount: 30 of the 1000 (2.6.36–3.7), 3 % of the points (3.8–4.16),
   * none from 4.17 ("mm, oom: remove 3% bonus for CAP_SYS_ADMIN processes", present in K414,
   * absent in K510). The table does not say who holds the capability. */
  readonly adminDiscount: 'thirty' | 'three-percent' | null;
  readonly source: string;
}

/** A vm sysctl as one era has it (Documentation/admin-guide/sysctl/vm.rst, kernel/sysctl.c). */
export interface SysctlFact {
  /** Range the handler accepts; null = unbounded (or an array / a bitmask, see `text`). */
  readonly min: number | null;
  readonly max: number | null;
  /** Default value as `sysctl` prints it; null = computed at boot (see `text`). */
  readonly default: number | string | null;
  readonly text: string;
  readonly source: string;
  /** vm.min_free_kbytes: the upper clamp of the boot-time default (§4.1), and whether the row's
   * releases are known to have it (false: the change lies somewhere in the row's span). */
  readonly defaultClamp?: { readonly maxKb: number; readonly certain: boolean };
  /** vm.zone_reclaim_mode: the kernel sets 1 at boot when a node distance exceeds
   * RECLAIM_DISTANCE (≤3.15), so a NUMA host may run 1 without anyone having set it. */
  readonly bootSetsOnNuma?: boolean;
  /** vm.extfrag_threshold: which orders compaction_suitable() consults the fragmentation index
   * for: every order (2.6.35–4.8), or only costly ones, order > PAGE_ALLOC_COSTLY_ORDER = 3 (4.9+). */
  readonly fragindexOrders?: 'all' | 'costly';
}

export interface EraRow {
  /** First release the row applies to (-rc releases count as their release). */
  readonly since: KernelVersion;
  readonly source: string;
  readonly gfp: GfpLayout;
  readonly watermark: WatermarkRules;
  /** Class zone of the check: 'preferred-zone' = the highest populated zone the request may use
   * (≤5.9), 'gfp-zone' = gfp_zone() itself even when empty (5.10+) (§3.2 "Classzone index"). */
  readonly classzone: 'preferred-zone' | 'gfp-zone';
  /** lowmem_reserve is computed from present (≤3.4) or managed (3.10+) pages; `perZone`: the
   * ratio array has one entry per zone and < 1 disables (4.17+), else MAX_NR_ZONES − 1 (§5). */
  readonly lowmemReserve: { readonly basis: 'present' | 'managed'; readonly perZone: boolean };
  /** An order-0 request passes zone_watermark_fast's first test, `free − free CMA > mark +
   * lowmem_reserve`, without the highatomic reserve being subtracted: 4.8 ("mm, page_alloc:
   * shortcut watermark checks for order-0 pages", K49 mm/page_alloc.c zone_watermark_fast) until
   * 5.10 subtracted it there too (f27ce0e14088 "page_alloc: consider highatomic reserve in
   * watermark fast", K510 __zone_watermark_unusable_free). */
  readonly orderZeroFastSkipsHighatomic: boolean;
  /** lowmem_reserve[] was computed before the CMA areas joined the managed pages: 4.10 made
   * init_per_zone_wmark_min a core_initcall (bc22af74f271), like cma_init_reserved_areas, and the
   * link order ran it first; 5.9 made it a postcore_initcall (e08d3fdfe2da "mm: include CMA pages
   * in lowmem_reserve at boot", also backported to some stable trees). */
  readonly lowmemReserveBeforeCma: boolean;
  /** Reclaim sized its scan by the node's whole LRU, HighMem pages included, so on 32-bit HighMem
   * machines a lowmem request could OOM with reclaimable file pages left in lowmem: 4.8 moved the
   * LRU lists to the node ("mm, vmscan: move LRU lists to node", Mel Gorman), and Michal Hocko's
   * "mm, vmscan: consider eligible zones in get_scan_count" (merged for 4.10, later taken into
   * 4.9.y stable releases) made get_scan_count/inactive_list_is_low count only the eligible zones. */
  readonly reclaimIgnoresEligibleZones: boolean;
  /** warn_alloc's show_mem may leave out the page counts (`pages RAM` …) for a request that cannot
   * sleep: SHOW_MEM_FILTER_PAGE_COUNT, from 4b59e6c47309 ("mm, show_mem: suppress page counts in
   * non-blockable contexts", 2013) until 4.9, whose lib/show_mem.c prints them always. The rows
   * before that commit say true too: a report cannot tell the two apart, and the words also name
   * a log that simply ends before the counts. */
  readonly pageCountsMayBeFiltered: boolean;
  /** show_mem's `pages reserved` is Σ (present − managed) over the populated zones, so `pages RAM`
   * less it is the managed pages that totalram_pages counts: K49 lib/show_mem.c `reserved +=`
   * (6.x mm/show_mem.c __show_mem the same). K3140 assigns (`reserved =`: the last zone's only) and
   * K34 counts the PageReserved pages of a page walk: false before 4.9. */
  readonly pagesReservedIsUnmanaged: boolean;
  /** ZONE_MOVABLE counts as lowmem in __setup_per_zone_wmarks' split of min_free_kbytes until 6.6
   * (ref §4.2). */
  readonly movableIsLowmem: boolean;
  /** Watermark boost (boost_watermark, 5.0+): 'none' before 5.0; 'unprinted' 5.0–5.16, whose zone
   * lines print a min that includes the boost without a `boost:` field; 'printed' from 5.17. */
  readonly watermarkBoost: 'none' | 'unprinted' | 'printed';
  /** set_recommended_min_free_kbytes (khugepaged) counts every populated zone up to 4.18; 4.19+
   * skip those above gfp_zone(GFP_USER) (HighMem, Movable: K510 "We don't need to worry about
   * fragmentation of ZONE_MOVABLE"; K414 counts them). */
  readonly thpCountsAllZones: boolean;
  /** The vm sysctls that exist, by `vm.` key (plus transparent_hugepage's sysfs files). */
  readonly sysctls: Readonly<Record<string, SysctlFact>>;
  /** What an OOM report's request met last, before out_of_memory (OomLastAttempt). */
  readonly oomLastAttempt: OomLastAttempt;
  /** How oom_badness scores a task (OomBadness). */
  readonly oomBadness: OomBadness;
  /** Where the release documents them: Documentation/sysctl/vm.txt, from 5.3
   * Documentation/admin-guide/sysctl/vm.rst. */
  readonly sysctlDoc: string;
}

/** A row as written: what changed at `since`; `gfp` fields and `sysctls` entries are added (or
 * replaced), a new GFP layout naming its era. */
type RowChange = Partial<Omit<EraRow, 'sysctls' | 'gfp'>> &
  Pick<EraRow, 'since' | 'source'> & {
    gfp?: Partial<GfpLayout> & Pick<GfpLayout, 'era' | 'label' | 'readFrom'>;
    sysctls?: Readonly<Record<string, SysctlFact>>;
  };

/** A GFP layout and the releases it serves, [from, until) (until null: every later one). */
export interface GfpLayoutSpan {
  readonly layout: GfpLayout;
  readonly from: KernelVersion;
  readonly until: KernelVersion | null;
}

export interface Timeline {
  /** Oldest first; the first row also serves every older release. */
  readonly rows: readonly EraRow[];
  /** Enterprise kernels on their base release (ref §1.5 step 1; an `.el7uek` 4.14 kernel is
   * vanilla 4.14): the GFP layout there, its own when the distribution's backports changed it. */
  readonly distros: Readonly<Record<Distro, DistroRow>>;
  /** Every GFP layout in timeline order, a distribution's own after the one it was built from. */
  readonly layouts: readonly GfpLayoutSpan[];
}

interface DistroRow {
  readonly base: KernelVersion;
  readonly gfp: GfpLayout;
  /** The last package release (the N of `3.10.0-N.el7`) read still on the base release's GFP
   * layout: up to it the distribution's own layout does not apply yet. */
  readonly baseGfpUpTo?: number;
  /** The distribution backported the 262144 kB min_free_kbytes clamp (§4.1). */
  readonly minFreeClampKb?: number;
  /** The distribution backported transparent hugepages to a base release without them. */
  readonly thp?: boolean;
  /** Sysctl entries the distribution's kernel has in place of its base release's. */
  readonly sysctls?: Readonly<Record<string, SysctlFact>>;
}

/** A distribution as written: its GFP layout as a change of the base release's, when it has one. */
type DistroChange = Omit<DistroRow, 'gfp'> & {
  gfp?: Partial<GfpLayout> & Pick<GfpLayout, 'era' | 'label' | 'readFrom'>;
};

/** Rows from changes, each the previous row with its changes applied. The first must be whole. */
export function timeline(
  changes: readonly RowChange[],
  distroChanges: Readonly<Record<Distro, DistroChange>>,
): Timeline {
  const rows: EraRow[] = [];
  for (const c of changes) {
    const prev = rows[rows.length - 1];
    const gfp = c.gfp ? ({ ...prev?.gfp, ...c.gfp } as GfpLayout) : prev.gfp;
    const row = { ...prev, ...c, gfp, sysctls: { ...prev?.sysctls, ...c.sysctls } } as EraRow;
    if (prev && compareVersion(prev.since, row.since) >= 0)
      throw new Error(`timeline rows out of order at ${row.since.text}`);
    rows.push(row);
  }
  const layouts: GfpLayoutSpan[] = [];
  for (const r of rows)
    if (layouts[layouts.length - 1]?.layout.era !== r.gfp.era) {
      if (layouts.length > 0)
        layouts[layouts.length - 1] = { ...layouts[layouts.length - 1], until: r.since };
      layouts.push({ layout: r.gfp, from: r.since, until: null });
    }
  const distros = {} as Record<Distro, DistroRow>;
  for (const [name, d] of Object.entries(distroChanges) as [Distro, DistroChange][]) {
    const built = eraRowFor(d.base, { rows, distros, layouts }).gfp;
    if (!d.gfp || d.gfp.era === built.era) {
      distros[name] = { ...d, gfp: built };
      continue;
    }
    const gfp = { ...built, ...d.gfp } as GfpLayout;
    distros[name] = { ...d, gfp };
    const at = layouts.findIndex((l) => l.layout.era === built.era);
    const until = version(d.base.major, d.base.minor, d.base.patch + 1);
    layouts.splice(at + 1, 0, { layout: gfp, from: d.base, until });
  }
  return { rows, distros, layouts };
}

/** The timeline with one more row (tests, and a later era written before it is merged). */
export function withRow(t: Timeline, change: RowChange): Timeline {
  const before = t.rows.filter((r) => compareVersion(r.since, change.since) < 0);
  const after = t.rows.filter((r) => compareVersion(r.since, change.since) > 0);
  const at = t.rows.find((r) => compareVersion(r.since, change.since) === 0);
  const merged = at ? { ...at, ...change, sysctls: { ...at.sysctls, ...change.sysctls } } : change;
  return timeline([...before, merged, ...after], t.distros);
}

/** The row that applies to a version: the last whose `since` is ≤ it (the first for older ones).
 * A linux-next build is read as the next minor release, whose merge window it carries (the next
 * major's number cannot be known: after x.19/x.20 that is the last row of the old major).
 * The rows are in strictly increasing order (`timeline` checks it), so a binary search finds it:
 * every report asks several times (era, memory, remedies), and a scan of all rows each time was
 * a visible part of the CLI's CPU. */
export function eraRowFor(v: KernelVersion, t: Timeline = TIMELINE): EraRow {
  const at = v.next ? version(v.major, v.minor + 1) : v;
  const rows = t.rows;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (compareVersion(at, rows[mid].since) >= 0) lo = mid;
    else hi = mid - 1;
  }
  return rows[lo];
}

/** The package release of a distribution kernel: `3.10.0-514.el7.x86_64` → 514. */
const PACKAGE_RELEASE = /^\d+\.\d+\.\d+-(\d{1,6})[.\w]/;

/** GFP layout for a release: a distribution's base release first, else the timeline (§1.5 step 1). */
export function gfpLayoutFor(v: KernelVersion, t: Timeline = TIMELINE): GfpLayout {
  if (v.distro) {
    const d = t.distros[v.distro];
    if (v.major === d.base.major && v.minor === d.base.minor && (v.major !== 2 || v.patch === d.base.patch)) {
      const pkg = d.baseGfpUpTo === undefined ? null : PACKAGE_RELEASE.exec(v.text);
      if (pkg !== null && Number(pkg[1]) <= d.baseGfpUpTo!) return eraRowFor(d.base, t).gfp;
      return d.gfp;
    }
  }
  return eraRowFor(v, t).gfp;
}

/** The release a GFP layout was read from (dates a report by its layout); null if unknown. */
export function gfpLayoutRelease(era: GfpEra, t: Timeline = TIMELINE): KernelVersion | null {
  return t.layouts.find((l) => l.layout.era === era)?.layout.readFrom ?? null;
}

/** Whether a printed signal's bound admits some release a layout serves. */
export function spanAdmits(span: GfpLayoutSpan, bound: PrintedBound): boolean {
  if (bound.atLeast && span.until && compareVersion(span.until, bound.atLeast) <= 0) return false;
  return !bound.atMost || compareVersion(span.from, bound.atMost) <= 0;
}

/** Position of a rules set in the timeline (its first row), to take the later of two. */
export function rulesRank(rules: WatermarkRules, t: Timeline = TIMELINE): number {
  return t.rows.findIndex((r) => r.watermark === rules);
}

/** hugepage_init (mm/huge_memory.c, 2.6.38 … 6.19): `if (totalram_pages() < (512 << (20 -
 * PAGE_SHIFT))) transparent_hugepage_flags = 0`: below 512 MiB of RAM THP is off by default. */
export const THP_OFF_BELOW_RAM_KB = 512 * 1024;

/** init_per_zone_pages_min (mm/page_alloc.c) sets the default min_free_kbytes to
 * int_sqrt(lowmem_kbytes × MIN_FREE_FACTOR), clamped to MIN_FREE_FLOOR_KB … a release's maximum
 * (the rows' minFreeClampKb; memory.ts minFreeClamp). */
export const MIN_FREE_FACTOR = 16;
export const MIN_FREE_FLOOR_KB = 128;
/** Before 2.6.10 init_per_zone_pages_min set min_free_kbytes = int_sqrt(lowmem_kbytes), clamped
 * to 128 … 16384 kB, and setup_per_zone_pages_min gave every zone pages_low = pages_min × 2 and
 * pages_high = pages_min × 3; Nick Piggin's "mm: restore atomic buffer" (2.6.10, Nov 2004,
 * mm/page_alloc.c) changed both at once (× 16 under the root, clamp 65536; low = min + min/4, high =
 * min + min/2, the later kernels' shape). */
export const MIN_FREE_BEFORE_2_6_10 = { factor: 1, maxKb: 16384 } as const;

/** The first release whose row satisfies `has` (rows are in release order); null when none does.
 * The words "exists from 4.6", "up to 3.15" come from here, never from literals. */
export function firstReleaseWhere(
  has: (row: EraRow) => boolean,
  t: Timeline = TIMELINE,
): KernelVersion | null {
  return t.rows.find(has)?.since ?? null;
}

/** The first release that has a sysctl (the first row with the key); null when none has it. */
export function sysctlSince(key: string, t: Timeline = TIMELINE): KernelVersion | null {
  return firstReleaseWhere((r) => key in r.sysctls, t);
}

/** Whether a sysctl exists on a version's kernel; null when the version is unknown. */
export function hasSysctl(key: string, v: KernelVersion | null, t: Timeline = TIMELINE): boolean | null {
  return v === null ? null : key in eraRowFor(v, t).sysctls;
}

// ---------------------------------------------------------------------------------------------
// Watermark rules (§3.1 gfp_to_alloc_flags, §3.2 __zone_watermark_ok; K2632 … K618 page_alloc.c).
// ---------------------------------------------------------------------------------------------

const CUTS_HIGH_HARDER: readonly MinCut[] = [
  { when: ['high'], divisor: 2, name: 'ALLOC_HIGH' },
  { when: ['harder'], divisor: 4, name: 'ALLOC_HARDER' },
];

const WM_26: WatermarkRules = {
  name: '2.6',
  label: '2.6.x–2.6.37, 3.3–3.6',
  text:
    '2.6.x–2.6.37 and 3.3–3.6 zone_watermark_ok: free − (2^order − 1) must exceed min (− min/2 for ALLOC_HIGH, − ¼ for ALLOC_HARDER) + lowmem_reserve[classzone]; ' +
    'then, removing each lower order k, the pages left must exceed min/2^(k+1)',
  minCuts: CUTS_HIGH_HARDER,
  orderPagesTerm: -1,
  orderPagesTwin: '2.6.38',
  highatomicUnless: null,
  subtractsCma: false,
  cmaInOrderLoop: false,
  differsOnlyByCma: false,
  notesUnprintedCma: false,
  orderCheck: 'halving-loop',
  highatomicBlocksWith: 'harder',
  boostRetryWith: 'harder',
  atomicFlag: 'harder',
  hasAllocCma: false,
  notesRealtimeHarder: true,
  notesHighatomicFix: false,
};

// 2.6.38–3.2 __zone_watermark_ok: `free_pages -= (1 << order) + 1` (2.6.38 and 2.6.39.3
// mm/page_alloc.c; 3.3.8 has `- 1` again): an order-0 request needs two more free pages.
const WM_2638: WatermarkRules = {
  ...WM_26,
  name: '2.6.38',
  label: '2.6.38–3.2',
  text: WM_26.text
    .replace('2.6.x–2.6.37 and 3.3–3.6', '2.6.38–3.2')
    .replace('free − (2^order − 1)', 'free − (2^order + 1)'),
  orderPagesTerm: 1,
  orderPagesTwin: '2.6',
};

// 3.7 __zone_watermark_ok (d95ea5d18e69 "cma: fix watermark checking"; read in 3.7 and 3.8.13
// mm/page_alloc.c): without ALLOC_CMA (gfp_to_alloc_flags sets it for MIGRATE_MOVABLE requests)
// `free_pages -= zone_page_state(z, NR_FREE_CMA_PAGES)` before the first comparison, so the
// per-order loop starts from that reduced count too (3.10 fixed the double count).
const WM_37: WatermarkRules = {
  ...WM_26,
  orderPagesTwin: undefined,
  name: '3.7',
  label: '3.7–3.9',
  text:
    '3.7–3.9 __zone_watermark_ok: as 2.6 (− min/2 for ALLOC_HIGH, − ¼ for ALLOC_HARDER), free CMA pages not counted without ALLOC_CMA, in the first comparison and in the loop; ' +
    'then, removing each lower order k, the pages left must exceed min/2^(k+1)',
  subtractsCma: true,
  cmaInOrderLoop: true,
  differsOnlyByCma: true,
  hasAllocCma: true,
};

// 3.10 __zone_watermark_ok: `free_pages -= zone_page_state(z, NR_FREE_CMA_PAGES)` without
// ALLOC_CMA, in the first comparison only (K310 mm/page_alloc.c).
const WM_310: WatermarkRules = {
  ...WM_26,
  orderPagesTwin: undefined,
  name: '3.10',
  label: '3.10–4.3',
  text:
    '3.10–4.3 __zone_watermark_ok: as 2.6 (− min/2 for ALLOC_HIGH, − ¼ for ALLOC_HARDER), free CMA pages not counted in the first comparison without ALLOC_CMA; ' +
    'then, removing each lower order k, the pages left must exceed min/2^(k+1)',
  subtractsCma: true,
  cmaInOrderLoop: false,
  differsOnlyByCma: false,
  hasAllocCma: true,
};

// 4.4 (K44 mm/page_alloc.c): the highatomic reserve is subtracted unless ALLOC_HARDER, and
// order > 0 looks for one free block on an allowed free list (MIGRATE_HIGHATOMIC with ALLOC_HARDER).
const WM_44: WatermarkRules = {
  ...WM_310,
  name: '4.4',
  label: '4.4–4.13',
  text:
    '4.4–4.13 __zone_watermark_ok: free − (2^order − 1) − highatomic (unless ALLOC_HARDER) − free CMA (unless ALLOC_CMA) must exceed min (− min/2 ALLOC_HIGH, − ¼ ALLOC_HARDER) + lowmem_reserve[classzone]; ' +
    'order > 0 then needs a free block ≥ the order on a U/M/E list (C with ALLOC_CMA, H with ALLOC_HARDER)',
  highatomicUnless: ['harder'],
  notesUnprintedCma: true,
  orderCheck: 'free-block',
  notesRealtimeHarder: false,
};

// 4.14–6.2: the same check as 4.4 (K414, K54, K510, K61 mm/page_alloc.c); a row of its own
// because the analysis names it.
const WM_414: WatermarkRules = {
  ...WM_44,
  name: '4.14',
  label: '4.14–6.2',
  text: WM_44.text.replace(WM_44.label, '4.14–6.2'),
};

// 6.3 (K66 mm/page_alloc.c): ALLOC_MIN_RESERVE halves min, ALLOC_NON_BLOCK then takes a quarter
// off only together with it; the highatomic reserve is kept from requests with any reserve flag.
const WM_63: WatermarkRules = {
  ...WM_414,
  name: '6.3',
  label: '6.3+',
  text:
    '6.3+ __zone_watermark_ok: free − (2^order − 1) − highatomic (unless a reserve flag) − free CMA (unless ALLOC_CMA) must exceed min (− min/2 ALLOC_MIN_RESERVE, then − ¼ with ALLOC_NON_BLOCK) + lowmem_reserve[classzone]; ' +
    'order > 0 then needs a free block ≥ the order on a U/M/E list (C with ALLOC_CMA, H with ALLOC_HIGHATOMIC)',
  minCuts: [
    { when: ['high'], divisor: 2, name: 'ALLOC_MIN_RESERVE' },
    { when: ['high', 'nonBlock'], divisor: 4, name: 'ALLOC_NON_BLOCK' },
  ],
  highatomicUnless: ['high', 'nonBlock', 'highatomic'],
  highatomicBlocksWith: 'highatomic',
  boostRetryWith: 'high',
  atomicFlag: 'nonBlock',
  notesHighatomicFix: true,
};

/** Every rules set, oldest first (for lookups by the name an analysis prints). */
export const WATERMARK_RULES: Readonly<Record<WatermarkEra, WatermarkRules>> = {
  '2.6': WM_26,
  '2.6.38': WM_2638,
  '3.7': WM_37,
  '3.10': WM_310,
  '4.4': WM_44,
  '4.14': WM_414,
  '6.3': WM_63,
};

// ---------------------------------------------------------------------------------------------
// Sysctl facts (ref §6; K618 Documentation/admin-guide/sysctl/vm.rst unless noted).
// ---------------------------------------------------------------------------------------------

const VM_RST = 'K618 Documentation/admin-guide/sysctl/vm.rst';

const SYSCTLS_2618: Readonly<Record<string, SysctlFact>> = {
  'vm.min_free_kbytes': {
    min: 0,
    max: 2 ** 31 - 1,
    default: null,
    text: 'kB; default int_sqrt(lowmem kB × 16) clamped to 128…65536 (init_per_zone_wmark_min)',
    source: `K2618 kernel/sysctl.c (proc_dointvec_minmax, extra1 = zero); ${VM_RST}`,
    defaultClamp: { maxKb: 65536, certain: true },
  },
  'vm.lowmem_reserve_ratio': {
    min: null,
    max: null,
    default: '256 256 32',
    // setup_per_zone_lowmem_reserve (K2618 … K618 mm/page_alloc.c) divides the size of the zones
    // above zone j by ratio[j]: the top zone has none above it, so its entry (Movable, Device on
    // 4.17+, where the array has one entry per zone) changes nothing.
    text: 'one divisor per zone below the top one; the top zone protects nothing',
    source: 'K2618 mm/page_alloc.c sysctl_lowmem_reserve_ratio, setup_per_zone_lowmem_reserve',
  },
  'vm.zone_reclaim_mode': {
    min: 0,
    max: null,
    default: 0,
    text: 'bitmask 1/2/4 (2.6.18 also 8); set to 1 at boot when a node distance exceeds RECLAIM_DISTANCE (up to 3.15)',
    // K2632 mm/page_alloc.c build_zonelists: `if (distance > RECLAIM_DISTANCE) zone_reclaim_mode = 1`;
    // K310/K314 the same in init_zone_allows_reclaim; 3.16 dropped it (commit 4f9b16a64753,
    // "mm: disable zone_reclaim_mode by default"; absent in K49).
    source: `K2632, K310, K314 mm/page_alloc.c; K2618 Documentation/sysctl/vm.txt; ${VM_RST}`,
    bootSetsOnNuma: true,
  },
  'vm.vfs_cache_pressure': {
    // proc_dointvec ignores extra1 (K2624, K49); K515 proc_dointvec_minmax refuses below 0
    min: null,
    max: null,
    default: 100,
    text: 'reclaim of dentries and inodes relative to the page cache; 100 is "fair", 0 never reclaims them',
    // K2618 fs/dcache.c `int sysctl_vfs_cache_pressure __read_mostly = 100`; kernel/sysctl.c
    // vm_table: proc_dointvec with extra1 = &zero (no upper bound).
    source: `K2618 fs/dcache.c sysctl_vfs_cache_pressure, kernel/sysctl.c; ${VM_RST}`,
  },
  'vm.swappiness': {
    min: 0,
    max: 100,
    default: 60,
    text: 'relative I/O cost of swapping anonymous memory against dropping the page cache; 100 weighs them equally',
    source: `K2624, K2632, K49 mm/vmscan.c vm_swappiness = 60, kernel/sysctl.c (extra2 = &one_hundred); ${VM_RST}`,
  },
  'vm.overcommit_ratio': {
    min: null,
    max: null,
    default: 50,
    text: '% of RAM (beyond swap) that overcommit_memory mode 2 lets processes commit',
    source: `K2624 mm/mmap.c sysctl_overcommit_ratio = 50 (proc_dointvec), K49, K515, K618 mm/util.c; ${VM_RST}`,
  },
  // 2.6.18–2.6.21: 40 % and 10 %, lowered by 07db59bd6b0f ("Change default dirty-writeback
  // limits", 2.6.22) to 10 % and 5 % (K2624 mm/page-writeback.c), doubled by 1b5e62b42b55
  // ("writeback: double the dirty_ratio and dirty_background_ratio", 2.6.29) to 20 % and 10 %
  // (K2632 … K618). Only the K2624 and K2632 values were read here; the releases of the two
  // changes are the commits' and not read from a tree.
  'vm.dirty_ratio': dirtyRatio(40, 'K2618 (07db59bd6b0f names the old 40 %)'),
  'vm.dirty_background_ratio': dirtyBackgroundRatio(10, 'K2618 (07db59bd6b0f names the old 10 %)'),
};

function dirtyRatio(def: number, source: string): SysctlFact {
  return {
    min: 0,
    max: 100,
    default: def,
    text: '% of available memory that may be dirty before a writing process must write back itself',
    source: `${source} mm/page-writeback.c vm_dirty_ratio, kernel/sysctl.c (extra2 = &one_hundred); ${VM_RST}`,
  };
}

function dirtyBackgroundRatio(def: number, source: string): SysctlFact {
  return {
    min: 0,
    max: 100,
    default: def,
    text: '% of available memory dirty at which the flusher threads start writing back',
    source: `${source} mm/page-writeback.c dirty_background_ratio, kernel/sysctl.c (extra2 = &one_hundred); ${VM_RST}`,
  };
}

/** vm.oom_dump_tasks (fef1bdd68c81 "oom: add sysctl to enable task memory dump", 2.6.25): off by
 * default (K2632 mm/oom_kill.c `int sysctl_oom_dump_tasks;`), on from 2.6.36 ("oom: enable oom
 * tasklist dump by default"; K2637, K34, K49, K515, K618 `= 1`). */
function oomDumpTasks(def: 0 | 1): SysctlFact {
  return {
    min: null,
    max: null,
    default: def,
    text: 'non-zero: an OOM kill prints the task table (pid, rss, oom_score_adj …); 0 leaves it out',
    source: `${def === 0 ? 'K2632' : 'K2637, K49, K515'} mm/oom_kill.c sysctl_oom_dump_tasks, kernel/sysctl.c (proc_dointvec); ${VM_RST}`,
  };
}

/** Memory compaction came in 2.6.35 (mm/compaction.c; kernel/sysctl.c `compact_memory`,
 * `extfrag_threshold`): absent in K2632 kernel/sysctl.c, present in K310. */
const SYSCTLS_COMPACTION: Readonly<Record<string, SysctlFact>> = {
  'vm.compact_memory': {
    min: 1,
    max: 1,
    default: null,
    text: 'write-only trigger: `echo 1 > /proc/sys/vm/compact_memory` compacts every zone once',
    source: `K310 kernel/sysctl.c (sysctl_compaction_handler); ${VM_RST}`,
  },
  'vm.extfrag_threshold': {
    min: 0,
    max: 1000,
    default: 500,
    text: 'fragmentation index above which compaction is preferred over reclaim (from 2.6.35)',
    source: `K310 kernel/sysctl.c (extra1 = min_extfrag_threshold 0, extra2 = max 1000), mm/compaction.c; ${VM_RST}`,
    fragindexOrders: 'all',
  },
};

/** vm.min_free_kbytes with another clamp of its default (§4.1; K510 mm/page_alloc.c). */
function minFreeKbytes(maxKb: number, certain: boolean): SysctlFact {
  const base = SYSCTLS_2618['vm.min_free_kbytes'];
  return {
    ...base,
    text: `kB; default int_sqrt(lowmem kB × 16) clamped to 128…${maxKb} (init_per_zone_wmark_min)`,
    source: `K510 mm/page_alloc.c init_per_zone_wmark_min; ${VM_RST}`,
    defaultClamp: { maxKb, certain },
  };
}

/** vm.watermark_scale_factor (4.6, commit 795ae7a0de6b "mm: scale kswapd watermarks in proportion
 * to memory") at most 1000, from 5.17 at most 3000: commit 39c65a94cd96 ("mm/pagealloc: sysctl:
 * change watermark_scale_factor max limit to 30%"; K510, K515 extra2 = &one_thousand, K517-rc5,
 * K519, K61 SYSCTL_THREE_THOUSAND), backported to 5.15.58 (stable review 27 Jul 2022, the 5.15.58
 * announcement lists the vm.rst change) and 5.10.186 (stable review "[PATCH 5.10 28/81]", 26 Jun
 * 2023). */
function watermarkScaleFactor(max: 1000 | 3000): SysctlFact {
  return {
    min: 1,
    max,
    default: 10,
    text: `1/10000 of the zone: the gap min → low → high; at most ${max} (${max / 100} % of memory)`,
    source:
      max === 1000
        ? `K46, K510, K515 kernel/sysctl.c (extra2 = &one_thousand); ${VM_RST}`
        : `K519, K61 kernel/sysctl.c, K66+ mm/page_alloc.c (extra2 = SYSCTL_THREE_THOUSAND); ${VM_RST}`,
  };
}

export const TIMELINE: Timeline = timeline(
  [
    {
      since: version(2, 6, 18),
      source: 'ref §1.1 column 2.6.18, §3.2, §5 [K2618]; kernels before 2.6.18 are read as 2.6.18',
      gfp: {
        era: '2.6.18',
        label: '2.6.x up to 2.6.18',
        readFrom: version(2, 6, 18),
        bits: G.BITS_2618,
        bitsShift: 20,
        composites: G.CLASSIC_COMPOSITES,
        printOrder: G.CLASSIC_PRINT_ORDER,
        zones: G.ZONE_PRIORITY,
        alloc: G.ALLOC_2618,
        rules: G.CLASSIC_RULES,
        prior: 5,
        notes: ['kernels before 2.6.18 (2.6.7–2.6.17) are read with the 2.6.18 table'],
      },
      watermark: WM_26,
      classzone: 'preferred-zone',
      lowmemReserve: { basis: 'present', perZone: false },
      orderZeroFastSkipsHighatomic: false,
      lowmemReserveBeforeCma: false,
      reclaimIgnoresEligibleZones: false,
      pageCountsMayBeFiltered: true,
      pagesReservedIsUnmanaged: false,
      movableIsLowmem: true,
      watermarkBoost: 'none',
      thpCountsAllZones: true,
      sysctls: SYSCTLS_2618,
      // K2618, K2624 __alloc_pages: `get_page_from_freelist(gfp_mask|__GFP_HARDWALL, order,
      // zonelist, ALLOC_WMARK_HIGH|ALLOC_CPUSET)` before out_of_memory()
      oomLastAttempt: {
        mark: 'high',
        allocFlags: 'ALLOC_WMARK_HIGH|ALLOC_CPUSET',
        caller: '__alloc_pages',
      },
      sysctlDoc: 'Documentation/sysctl/vm.txt',
      oomBadness: {
        scale: 'heuristic',
        adminDiscount: null,
        source:
          '2.6.24, 2.6.32 mm/oom_kill.c badness(): total_vm based, with children, CPU time, nice and capabilities',
      },
    },
    {
      since: version(2, 6, 19),
      source: 'ref §1.1 column 2.6.24 [K2624 include/linux/gfp.h]',
      gfp: {
        era: '2.6.24',
        label: '2.6.19–2.6.30',
        readFrom: version(2, 6, 24),
        bits: G.BITS_2624,
        bitsShift: 21,
        prior: 2,
        notes: [
          '2.6.19–2.6.23 and 2.6.25–2.6.30 were not read; the 2.6.24 layout is used for them (INFERRED)',
        ],
      },
    },
    {
      since: version(2, 6, 22),
      source: 'dirty ratios 10 % / 5 % (07db59bd6b0f; K2624 mm/page-writeback.c)',
      sysctls: {
        'vm.dirty_ratio': dirtyRatio(10, 'K2624'),
        'vm.dirty_background_ratio': dirtyBackgroundRatio(5, 'K2624'),
      },
    },
    {
      since: version(2, 6, 25),
      source: 'vm.oom_dump_tasks added, off by default (fef1bdd68c81; K2632 mm/oom_kill.c)',
      sysctls: { 'vm.oom_dump_tasks': oomDumpTasks(0) },
    },
    {
      since: version(2, 6, 26),
      source: '2.6.26 mm/page_alloc.c (19770b32609b "mm: filter based on a nodemask as well as a gfp_mask")',
      // 2.6.26 … 2.6.30 mm/page_alloc.c: __alloc_pages became the inline wrapper of
      // __alloc_pages_internal(gfp_mask, order, zonelist, nodemask), which makes the same
      // `get_page_from_freelist(gfp_mask|__GFP_HARDWALL, nodemask, order, zonelist, high_zoneidx,
      // ALLOC_WMARK_HIGH|ALLOC_CPUSET)` before out_of_memory(); the 2.6.31 allocator series renamed it
      // __alloc_pages_nodemask ("Replace __alloc_pages_internal() with __alloc_pages_nodemask()",
      // Mel Gorman) and moved the attempt into __alloc_pages_may_oom.
      oomLastAttempt: {
        mark: 'high',
        allocFlags: 'ALLOC_WMARK_HIGH|ALLOC_CPUSET',
        caller: '__alloc_pages_internal',
      },
    },
    {
      since: version(2, 6, 29),
      source: 'dirty ratios 20 % / 10 % (1b5e62b42b55; K2632 mm/page-writeback.c)',
      sysctls: {
        'vm.dirty_ratio': dirtyRatio(20, 'K2632, K49, K618'),
        'vm.dirty_background_ratio': dirtyBackgroundRatio(10, 'K2632, K49, K618'),
      },
    },
    {
      since: version(2, 6, 31),
      source: 'ref §1.1 column 2.6.32 [K2632 include/linux/gfp.h]',
      gfp: {
        era: '2.6.32',
        label: '2.6.31–2.6.37',
        readFrom: version(2, 6, 32),
        bits: G.BITS_2632,
        bitsShift: 22,
        zones: G.ZONE_TABLE,
        alloc: G.ALLOC_2632,
        prior: 9,
        notes: [],
      },
      // K2632 … K619: the same attempt, moved into __alloc_pages_may_oom (the 2.6.31 allocator
      // split); 4.x+ also clears __GFP_DIRECT_RECLAIM from its gfp_mask, which the check ignores
      oomLastAttempt: {
        mark: 'high',
        allocFlags: 'ALLOC_WMARK_HIGH|ALLOC_CPUSET',
        caller: '__alloc_pages_may_oom',
      },
    },
    {
      since: version(2, 6, 35),
      source:
        'memory compaction (mm/compaction.c) merged in 2.6.35: absent in K2632 kernel/sysctl.c, present in K310',
      sysctls: SYSCTLS_COMPACTION,
    },
    {
      since: version(2, 6, 36),
      source:
        'vm.oom_dump_tasks on by default ("oom: enable oom tasklist dump by default"; K2637 mm/oom_kill.c); 2.6.36 oom_badness rewrite (a63d83f427fb "oom: badness heuristic rewrite"); read in 2.6.37 mm/oom_kill.c',
      sysctls: { 'vm.oom_dump_tasks': oomDumpTasks(1) },
      oomBadness: {
        scale: 'permille',
        adminDiscount: 'thirty',
        source:
          '2.6.37, 2.6.39, 3.3, 3.4 mm/oom_kill.c oom_badness: (rss [+ nr_ptes] + swapents) * 1000 / totalpages, -30 for CAP_SYS_ADMIN, + oom_score_adj, within 1..1000',
      },
    },
    {
      since: version(2, 6, 38),
      source:
        'ref §1.1 "2.6.39 only" cells [K2639 include/linux/gfp.h]; THP merged in 2.6.38 (ref §6 UNVERIFIED)',
      watermark: WM_2638,
      gfp: {
        era: '2.6.39',
        label: '2.6.38–3.2',
        readFrom: version(2, 6, 39),
        bits: G.BITS_2639,
        // ref §1.1 reads 23 in K2639, which would leave OTHER_NODE (0x800000) outside the mask; the
        // __GFP_WRITE patch context shows 24 before it. 24 keeps every defined bit inside.
        bitsShift: 24,
        alloc: G.ALLOC_3X,
        prior: 3,
      },
      sysctls: {
        'transparent_hugepage/defrag': {
          min: null,
          max: null,
          default: 'always',
          text: '/sys/kernel/mm/transparent_hugepage/defrag: always / madvise / never (defer 4.6+, defer+madvise 4.11+)',
          source: 'K44 mm/huge_memory.c; K49 Documentation/vm/transhuge.txt',
        },
        'transparent_hugepage/khugepaged': {
          min: null,
          max: null,
          default: null,
          text: '/sys/kernel/mm/transparent_hugepage/khugepaged/*; khugepaged raises min_free_kbytes to its recommended value (set_recommended_min_free_kbytes)',
          source: 'K44 mm/huge_memory.c set_recommended_min_free_kbytes',
        },
      },
    },
    {
      since: version(3, 3),
      source: 'ref §1.1 column 3.x–4.3 [K34 include/linux/gfp.h]; 3.3.8 __zone_watermark_ok `- 1` again',
      watermark: WM_26,
      gfp: {
        era: '3.4',
        label: '3.3–3.5',
        readFrom: version(3, 4),
        bits: G.BITS_34,
        bitsShift: 25,
        prior: 4,
      },
    },
    {
      since: version(3, 6),
      source: 'ref §1.1 column 3.x–4.3 [K310 include/linux/gfp.h]',
      gfp: { era: '3.10', label: '3.6–3.15', readFrom: version(3, 10), bits: G.BITS_310, prior: 7 },
    },
    {
      since: version(3, 7),
      source:
        '3.7, 3.8.13 mm/page_alloc.c __zone_watermark_ok: free CMA pages out of the whole check without ALLOC_CMA',
      watermark: WM_37,
    },
    {
      since: version(3, 8),
      source:
        'a7f638f999ff "mm, oom: normalize oom scores to oom_score_adj scale only for userspace" (merged for 3.8): 3.4.113 scores in 1/1000, 3.10.99 in pages',
      oomBadness: {
        scale: 'pages',
        adminDiscount: 'three-percent',
        source:
          '3.10, 4.8, 4.11, 4.14 mm/oom_kill.c oom_badness: rss + swapents + page tables, -3 % for CAP_SYS_ADMIN, + oom_score_adj * (totalpages / 1000); printed score = points * 1000 / totalpages',
      },
    },
    {
      since: version(3, 10),
      source:
        'ref §3.2 (K310 __zone_watermark_ok: the CMA term), §5 (managed pages); admin/user_reserve_kbytes (c9b1d0981fcc, 4eeab4f5580d)',
      watermark: WM_310,
      lowmemReserve: { basis: 'managed', perZone: false },
      sysctls: {
        // K49, K515 mm/mmap.c init_admin_reserve / init_user_reserve (absent in K34)
        'vm.admin_reserve_kbytes': {
          min: 0,
          max: null,
          default: null,
          text: 'kB kept back from committed memory for CAP_SYS_ADMIN processes; default min(free memory / 32, 8 MiB) at boot (init_admin_reserve)',
          source: `K49, K515, K618 mm/mmap.c init_admin_reserve, kernel/sysctl.c (proc_doulongvec_minmax); ${VM_RST}`,
        },
        'vm.user_reserve_kbytes': {
          min: 0,
          max: null,
          default: null,
          text: "kB kept back from a user process's commit in overcommit mode 2; default min(free memory / 32, 128 MiB) at boot (init_user_reserve)",
          source: `K49, K515, K618 mm/mmap.c init_user_reserve, kernel/sysctl.c (proc_doulongvec_minmax); ${VM_RST}`,
        },
      },
    },
    {
      since: version(3, 16),
      source:
        'ref §1.1 column 3.x–4.3 [K318 include/linux/gfp.h]; zone_reclaim_mode no longer set at boot (3.16 commit 4f9b16a64753)',
      gfp: { era: '3.18', label: '3.16–4.0', readFrom: version(3, 18), bits: G.BITS_318, prior: 5 },
      sysctls: {
        'vm.zone_reclaim_mode': {
          min: 0,
          max: null,
          default: 0,
          text: 'bitmask 1/2/4; 0 unless set (3.16 "mm: disable zone_reclaim_mode by default")',
          source: `K49 mm/page_alloc.c (no boot-time setting); ${VM_RST}`,
          bootSetsOnNuma: false,
        },
      },
    },
    {
      since: version(4, 1),
      source: 'ref §1.1 column 3.x–4.3 [K41, K42 include/linux/gfp.h]',
      gfp: { era: '4.1', label: '4.1–4.3', readFrom: version(4, 1), bits: G.BITS_41, prior: 3 },
    },
    {
      since: version(4, 4),
      source: 'ref §1.1 column 4.4 [K44 include/linux/gfp.h]; §3.2 (K44 highatomic reserve)',
      gfp: {
        era: '4.4',
        label: '4.4',
        readFrom: version(4, 4),
        bits: G.BITS_44,
        bitsShift: 26,
        composites: G.COMPOSITES_44,
        printOrder: G.MMFLAGS_46_PRINT_ORDER,
        alloc: G.ALLOC_44,
        rules: G.RECLAIM_RULES,
        prior: 6,
      },
      watermark: WM_44,
    },
    {
      since: version(4, 5),
      source: 'ref §1.1 column 4.5–4.9 [K45 include/linux/gfp.h]',
      gfp: { era: '4.5', label: '4.5', readFrom: version(4, 5), bits: G.BITS_45, prior: 1 },
    },
    {
      since: version(4, 6),
      source:
        'ref §1.1 [K46 include/linux/gfp.h]; ref §6 watermark_scale_factor (absent in 4.5.0), THP defrag default madvise',
      gfp: { era: '4.6', label: '4.6–4.7', readFrom: version(4, 6), prior: 2 },
      sysctls: {
        'transparent_hugepage/defrag': {
          min: null,
          max: null,
          default: 'madvise',
          text: '/sys/kernel/mm/transparent_hugepage/defrag: always / defer / madvise / never (defer+madvise 4.11+)',
          source: 'ref §6: K44/K45 vs K46 mm/huge_memory.c flags',
        },
        'vm.watermark_scale_factor': watermarkScaleFactor(1000),
      },
    },
    {
      since: version(4, 8),
      source:
        'ref §1.1 [K49 include/linux/gfp.h]; K49 mm/page_alloc.c zone_watermark_fast; 4.8 node-based LRU (mm/vmscan.c get_scan_count)',
      orderZeroFastSkipsHighatomic: true,
      reclaimIgnoresEligibleZones: true,
      gfp: {
        era: '4.8',
        label: '4.8–4.9',
        readFrom: version(4, 8),
        composites: G.RECLAIM_COMPOSITES,
        prior: 5,
      },
    },
    {
      // "mm, compaction: restrict fragindex to costly orders" (Vlastimil Babka, Sep 2016, merged
      // for 4.9): K310 compaction_suitable consults the index for every order, K49 and later only
      // for order > PAGE_ALLOC_COSTLY_ORDER.
      since: version(4, 9),
      source:
        'K49 mm/compaction.c compaction_suitable: fragindex only for costly orders; K49 lib/show_mem.c prints the page counts always and sums `pages reserved` over the zones',
      pageCountsMayBeFiltered: false,
      pagesReservedIsUnmanaged: true,
      sysctls: {
        'vm.extfrag_threshold': {
          ...SYSCTLS_COMPACTION['vm.extfrag_threshold'],
          source: `K49, K510, K618 mm/compaction.c compaction_suitable; ${VM_RST}`,
          fragindexOrders: 'costly',
        },
      },
    },
    {
      since: version(4, 10),
      source:
        'ref §1.1 column 4.10–4.17 [K410 include/linux/gfp.h]; bc22af74f271 (init_per_zone_wmark_min a core_initcall); "mm, vmscan: consider eligible zones in get_scan_count" (4.10)',
      lowmemReserveBeforeCma: true,
      reclaimIgnoresEligibleZones: false,
      gfp: { era: '4.10', label: '4.10–4.12', readFrom: version(4, 10), bits: G.BITS_410, prior: 2 },
    },
    {
      since: version(4, 13),
      source: 'ref §1.1 [K413 include/linux/gfp.h]',
      gfp: { era: '4.13', label: '4.13', readFrom: version(4, 13), bits: G.BITS_413, prior: 1 },
    },
    {
      since: version(4, 14),
      source: 'ref §1.1 [K414a = 4.14.5 include/linux/gfp.h]; §3.2 (the 4.14–6.2 check)',
      gfp: {
        era: '4.14',
        label: '4.14.0–4.14.8',
        readFrom: version(4, 14),
        composites: G.COMPOSITES_414,
        prior: 4,
        notes: [
          'the 4.14.y release that dropped __GFP_NOTRACK is INFERRED (present in 4.14.5, absent in 4.14.67)',
        ],
      },
      watermark: WM_414,
    },
    {
      since: version(4, 14, 9),
      source: 'ref §1.1 [K414 = 4.14.67 include/linux/gfp.h] (first 4.14.y without __GFP_NOTRACK INFERRED)',
      gfp: {
        era: '4.14.9',
        label: '4.14.9 and later 4.14.y',
        readFrom: version(4, 14, 9),
        bits: G.BITS_4149,
        prior: 6,
      },
    },
    {
      since: version(4, 15),
      source: 'ref §1.1 [K415 include/linux/gfp.h]',
      gfp: {
        era: '4.15',
        label: '4.15–4.17',
        readFrom: version(4, 15),
        bits: G.BITS_415,
        prior: 3,
        notes: [],
      },
    },
    {
      since: version(4, 17),
      source: 'ref §5: lowmem_reserve_ratio has one entry per zone and < 1 disables (K417 mm/page_alloc.c)',
      lowmemReserve: { basis: 'managed', perZone: true },
      // "mm, oom: remove 3% bonus for CAP_SYS_ADMIN processes" (David Rientjes, acked March 2018,
      // merged for 4.17); K510, K68, K715 oom_badness: rss + swapents + pgtables_bytes / PAGE_SIZE
      // + oom_score_adj * (totalpages / 1000)
      oomBadness: {
        scale: 'pages',
        adminDiscount: null,
        source:
          '5.10, 5.17, 6.8, 7.1 mm/oom_kill.c oom_badness: get_mm_rss + MM_SWAPENTS + mm_pgtables_bytes / PAGE_SIZE + oom_score_adj * (totalpages / 1000)',
      },
    },
    {
      since: version(4, 18),
      source: 'ref §1.1 column 4.18–5.0 [K418 include/linux/gfp.h]',
      gfp: {
        era: '4.18',
        label: '4.18–5.0 (and RHEL 8)',
        readFrom: version(4, 18),
        bits: G.BITS_418,
        bitsShift: 24,
        prior: 7,
      },
    },
    {
      since: version(4, 19),
      source:
        'K510 mm/khugepaged.c set_recommended_min_free_kbytes skips zones above gfp_zone(GFP_USER); K414 counts every populated zone',
      thpCountsAllZones: false,
    },
    {
      since: version(5, 0),
      source: 'ref §4.3 watermark boosting (K50 mm/page_alloc.c; absent in 4.20.0)',
      watermarkBoost: 'unprinted',
      sysctls: {
        'vm.watermark_boost_factor': {
          min: 0,
          max: null,
          default: 15000,
          text: '1/10000 of high; 0 disables (0 by default on DISCONTIGMEM ≤5.10)',
          source: `K50, K54 mm/page_alloc.c; ${VM_RST}`,
        },
      },
    },
    {
      since: version(5, 1),
      source: 'ref §1.1 column 5.1–6.2 [K52 include/linux/gfp.h]',
      gfp: { era: '5.1', label: '5.1–5.13', readFrom: version(5, 1), bits: G.BITS_51, prior: 8 },
    },
    {
      // "docs: admin-guide: move sysctl directory to it" (June 2019, merged for 5.3): K414 has
      // Documentation/sysctl/vm.txt, K510 Documentation/admin-guide/sysctl/vm.rst.
      since: version(5, 3),
      source: 'sysctl documentation moved to Documentation/admin-guide/sysctl/ (5.3 docs series)',
      sysctlDoc: 'Documentation/admin-guide/sysctl/vm.rst',
    },
    {
      since: version(5, 5),
      source: 'ref §4.1: the 262144 kB clamp of the default came between 5.4.273 and 5.10.89 (not pinned)',
      sysctls: { 'vm.min_free_kbytes': minFreeKbytes(262144, false) },
    },
    {
      since: version(5, 8),
      source:
        'vm.swappiness up to 200 (c843966c556d "mm: allow swappiness that prefers reclaiming anon over the file workingset"; K515 kernel/sysctl.c extra2 = &two_hundred)',
      sysctls: {
        'vm.swappiness': {
          ...SYSCTLS_2618['vm.swappiness'],
          max: 200,
          source: `K515, K618 mm/vmscan.c vm_swappiness = 60, kernel/sysctl.c (extra2 = &two_hundred); ${VM_RST}`,
        },
      },
    },
    {
      since: version(5, 9),
      source:
        'proactive compaction merged in 5.9 (ref §6: "between 5.4.273 and 5.10.89"); e08d3fdfe2da (init_per_zone_wmark_min a postcore_initcall)',
      lowmemReserveBeforeCma: false,
      sysctls: {
        'vm.compaction_proactiveness': {
          min: 0,
          max: 100,
          default: 20,
          text: 'background compaction effort; > 80 may cost latency',
          source: `K510 mm/compaction.c; ${VM_RST}`,
        },
      },
    },
    {
      since: version(5, 10),
      source:
        'ref §3.2 "Classzone index": the class zone is gfp_zone() (K510 mm/page_alloc.c); ref §4.1 262144 kB clamp (K510)',
      classzone: 'gfp-zone',
      orderZeroFastSkipsHighatomic: false,
      sysctls: { 'vm.min_free_kbytes': minFreeKbytes(262144, true) },
    },
    {
      since: version(5, 10, 186),
      source:
        'watermark_scale_factor up to 3000: 39c65a94cd96 backported to 5.10.186 (stable review 26 Jun 2023)',
      sysctls: { 'vm.watermark_scale_factor': watermarkScaleFactor(3000) },
    },
    {
      since: version(5, 11),
      source: 'watermark_scale_factor up to 1000 again: 5.11–5.16 mainline have not 39c65a94cd96',
      sysctls: { 'vm.watermark_scale_factor': watermarkScaleFactor(1000) },
    },
    {
      since: version(5, 14),
      source: 'ref §1.1 5.15 cells [K515 include/linux/gfp.h]',
      gfp: {
        era: '5.14',
        label: '5.14–5.17',
        readFrom: version(5, 14),
        bits: G.BITS_514,
        bitsShift: 26,
        prior: 6,
      },
      sysctls: {
        // 74f44822097c ("mm/page_alloc: introduce vm.percpu_pagelist_high_fraction", 5.14): K515
        // mm/page_alloc.c percpu_pagelist_high_fraction_sysctl_handler refuses 1 … 7.
        'vm.percpu_pagelist_high_fraction': {
          min: 0,
          max: null,
          default: 0,
          text: "fraction of a zone the per-CPU lists may hold at most (pcp->high); 0 keeps the kernel's own sizing, else at least 8",
          source: `K515, K618 mm/page_alloc.c percpu_pagelist_high_fraction; ${VM_RST}`,
        },
      },
    },
    {
      since: version(5, 15, 58),
      source:
        'watermark_scale_factor up to 3000: 39c65a94cd96 backported to 5.15.58 (its announcement lists vm.rst)',
      sysctls: { 'vm.watermark_scale_factor': watermarkScaleFactor(3000) },
    },
    {
      since: version(5, 16),
      source: 'watermark_scale_factor up to 1000 again: 5.16 mainline has not 39c65a94cd96 (merged for 5.17)',
      sysctls: { 'vm.watermark_scale_factor': watermarkScaleFactor(1000) },
    },
    {
      since: version(5, 17),
      source:
        'watermark_scale_factor up to 3000 (39c65a94cd96; K517-rc5, K519 kernel/sysctl.c); zone lines print boost: (K519 mm/page_alloc.c show_free_areas)',
      watermarkBoost: 'printed',
      sysctls: { 'vm.watermark_scale_factor': watermarkScaleFactor(3000) },
    },
    {
      since: version(5, 18),
      source: 'ref §1.1 6.1 cells [K61 include/linux/gfp_types.h]',
      gfp: {
        era: '5.18',
        label: '5.18–6.2',
        readFrom: version(5, 18),
        bits: G.BITS_518,
        bitsShift: 28,
        prior: 7,
        notes: [
          'late 6.1.y stable kernels (6.1.119, K61) already compute allocator flags the 6.3 way ' +
            '(ALLOC_MIN_RESERVE/ALLOC_NON_BLOCK); the first such 6.1.y release is unknown',
        ],
      },
    },
    {
      since: version(6, 3),
      source: 'ref §1.1 column 6.3+ [K66 include/linux/gfp_types.h]; §3.1/§3.2 (ALLOC_MIN_RESERVE)',
      gfp: {
        era: '6.3',
        label: '6.3–6.7',
        readFrom: version(6, 3),
        bits: G.BITS_63,
        bitsShift: 27,
        alloc: G.ALLOC_63,
        prior: 5,
        notes: [],
      },
      watermark: WM_63,
    },
    {
      since: version(6, 6),
      source: 'ref §4.2: from 6.6 __setup_per_zone_wmarks no longer counts ZONE_MOVABLE as lowmem',
      movableIsLowmem: false,
    },
    {
      since: version(6, 8),
      source: 'ref §1.1 [K618]: GFP_NOWAIT with __GFP_NOWARN',
      gfp: { era: '6.8', label: '6.8–6.9', readFrom: version(6, 8), composites: G.COMPOSITES_68 },
    },
    {
      since: version(6, 10),
      source: 'ref §1.1 note e [K618 include/linux/gfp_types.h]',
      gfp: {
        era: '6.10',
        label: '6.10–6.14',
        readFrom: version(6, 10),
        bits: G.BITS_610,
        bitsShift: 24,
        configNumberedFrom: 0x1000000,
        prior: 4,
      },
    },
    {
      since: version(6, 15),
      source:
        'ref §1.1 [K618 include/trace/events/mmflags.h]; e3aa7df331bc "mm: page_alloc: defrag_mode" (Johannes Weiner, in mm for the 6.15 merge window)',
      sysctls: {
        // K618/K619 mm/page_alloc.c page_alloc_sysctl_table: "defrag_mode", proc_dointvec_minmax,
        // SYSCTL_ZERO … SYSCTL_ONE; gfp_to_alloc_flags / the fast path add ALLOC_NOFRAGMENT when
        // it is set, so fallbacks convert whole pageblocks instead of stealing from them.
        'vm.defrag_mode': {
          min: 0,
          max: 1,
          default: 0,
          text: '1: the allocator reclaims and compacts before it falls back to another migratetype (ALLOC_NOFRAGMENT), keeping pageblocks whole',
          source: `e3aa7df331bc; K618 mm/page_alloc.c; ${VM_RST}`,
        },
      },
      gfp: {
        era: '6.15',
        label: '6.15 and later',
        readFrom: version(6, 15),
        printOrder: G.TRACE_GFP_615_PRINT_ORDER,
        prior: 3,
      },
    },
  ],
  {
    el5: { base: version(2, 6, 18) },
    // RHEL 6 backported THP (/sys/kernel/mm/redhat_transparent_hugepage) with khugepaged's
    // set_recommended_min_free_kbytes: two 2.6.32-*.el6 reports in test/fixtures/extra (023, 024)
    // print zone mins summing exactly to 2048 kB × zones × 11 (90112, 67584 kB).
    el6: { base: version(2, 6, 32), thp: true },
    // ref §1.1 "EL7: ACCOUNT" [EL7 = 3.10.0-1160.el7 include/linux/gfp.h]. Read for the split:
    // 3.10.0-514.el7 (RHEL 7.3) include/linux/gfp.h still has `___GFP_KMEMCG 0x100000u` (and
    // otherwise 3.10's bits exactly); 3.10.0-1127.el7 (7.8) and 3.10.0-1160.el7 (7.9) have
    // `___GFP_ACCOUNT 0x100000u` and GFP_KERNEL_ACCOUNT. 693, 862, 957 and 1062 (7.4–7.7) were not
    // read: they keep the ACCOUNT layout, the name ending up on 0x100000 either way.
    el7: {
      base: version(3, 10, 0),
      baseGfpUpTo: 514,
      gfp: {
        era: 'el7',
        label: 'RHEL 7 (3.10.0-*.el7)',
        readFrom: version(3, 10, 0),
        bits: G.BITS_EL7,
        prior: 6,
      },
      minFreeClampKb: 262144,
      // EL7 (3.10.0-1160.el7 mm/page_alloc.c) has no boot-time zone_reclaim_mode = 1: the 3.16
      // change was backported (kernel-memory.md §3.3, read from the EL7 source).
      sysctls: {
        'vm.zone_reclaim_mode': {
          ...SYSCTLS_2618['vm.zone_reclaim_mode'],
          text: 'bitmask 1/2/4; 0 unless set (RHEL 7 has the 3.16 change)',
          source: 'EL7 mm/page_alloc.c (no init_zone_allows_reclaim setting)',
          bootSetsOnNuma: false,
        },
      },
    },
    el8: { base: version(4, 18, 0), minFreeClampKb: 262144 },
    // UNVERIFIED (ref §1.5): RHEL 9 backports were not read; prefer the printed names (guessGfpEra).
    el9: { base: version(5, 14, 0), minFreeClampKb: 262144 },
  },
);

// ---------------------------------------------------------------------------------------------
// What a report prints, by release (ref §1.4, §2.5, §2.7, §2.8, §2.9): the shape inference of
// era.ts reads these when no release is printed.
// ---------------------------------------------------------------------------------------------

/** A bound a printed signal puts on the release: at least `atLeast`, or at most `atMost`. */
export interface PrintedBound {
  readonly atLeast?: KernelVersion;
  readonly atMost?: KernelVersion;
  readonly reason: string;
}

/** One bound from several: the latest `atLeast`, the earliest `atMost` (null: none). */
export function combineBounds(bounds: readonly PrintedBound[]): {
  atLeast: KernelVersion | null;
  atMost: KernelVersion | null;
} {
  let atLeast: KernelVersion | null = null;
  let atMost: KernelVersion | null = null;
  for (const b of bounds) {
    if (b.atLeast && (!atLeast || compareVersion(b.atLeast, atLeast) > 0)) atLeast = b.atLeast;
    if (b.atMost && (!atMost || compareVersion(b.atMost, atMost) < 0)) atMost = b.atMost;
  }
  return { atLeast, atMost };
}

export const PRINTED_SIGNALS = {
  managed: { atLeast: version(3, 10), reason: '`managed:` in the zone lines (3.10+)' },
  noManaged: { atMost: version(3, 9, 99), reason: 'no `managed:` in the zone lines (before 3.10)' },
  boost: { atLeast: version(5, 17), reason: '`boost:` in the zone lines (5.17+)' },
  reservedHighatomic: { atLeast: version(5, 10), reason: '`reserved_highatomic:` (5.10+)' },
  // mm/show_mem.c show_free_areas, checked against single-release trees: `free_highatomic:%luKB`
  // (posted 2025-04-12 after 6.15-rc1, so mainline 6.16; absent in 6.14.0, present in 6.17.0 and
  // in 6.15-rc mm-tree builds, fixture extra/036), hence 6.15 as the bound a printed release keeps.
  freeHighatomic: {
    atLeast: version(6, 15),
    reason: '`free_highatomic:` in the zone lines (6.16+, and 6.15-rc mm-tree builds)',
  },
  // `zspages:%lukB` after `writepending:` (printed 0 without CONFIG_ZSMALLOC): absent in 6.17.0, present in 6.18.2 … 7.1.5
  zspages: { atLeast: version(6, 18), reason: '`zspages:` in the zone lines (6.18+)' },
  // `Balloon:%lukB` after `all_unreclaimable?` in the node lines (NR_BALLOON_PAGES, posted
  // 2025-03-14): absent in 6.14.0, present in a 6.15-rc6 build (fixture extra/036) and 6.17.0
  balloon: { atLeast: version(6, 15), reason: '`Balloon:` in the node lines (6.15+)' },
  // ` gpu_active:%lukB gpu_reclaim:%lukB` after `Balloon:`: absent in 7.0.0, present in 7.1.5
  gpuCounters: { atLeast: version(7, 1), reason: '`gpu_active:`/`gpu_reclaim:` in the node lines (7.1+)' },
  // __show_mem's allocation profile (CONFIG_MEM_ALLOC_PROFILING, merged in 6.10; absent in 6.8.1):
  // `Memory allocations:` in 6.13.7 … 6.17.0, `… (profiling is currently turned on|off):` in 6.18.2 … 7.1.5
  allocProfile: { atLeast: version(6, 10), reason: 'the `Memory allocations` section (6.10+)' },
  allocProfilePlain: {
    atLeast: version(6, 10),
    atMost: version(6, 17, 99),
    reason: '`Memory allocations:` without the profiling state (6.10–6.17)',
  },
  // mm/slub.c slab_out_of_memory `SLUB: Unable to allocate memory on CPU %u (of node %d) on node %d`
  // (posted 2024-08-14 after 6.11-rc1, so mainline 6.12; absent in 6.8.1, present in 6.13.7)
  slubCpu: {
    atLeast: version(6, 11),
    reason: '`SLUB: Unable to allocate memory on CPU …` (6.12+, and 6.11-rc mm-tree builds)',
  },
  allocProfileState: {
    atLeast: version(6, 18),
    reason: '`Memory allocations (profiling is currently turned …):` (6.18+)',
  },
  writepending: { atLeast: version(4, 9), reason: '`writepending:` (4.9+)' },
  freePcpOnly: {
    atMost: version(4, 8, 99),
    reason: '`free_pcp:` without `writepending:` (4.1–4.8)',
  },
  highatomicLetter: { atLeast: version(4, 4), reason: 'highatomic (H) blocks in the buddy lists (4.4+)' },
  reserveLetter: { atMost: version(4, 3, 99), reason: 'reserve (R) blocks in the buddy lists (3.10–4.3)' },
  noLetters: {
    atMost: version(3, 9, 99),
    reason: 'no migrate-type letters in the buddy lists (before 3.10)',
  },
  perCpuLines: { atMost: version(3, 18, 999), reason: 'per-cpu hi/btch lines (before 4.1)' },
  nodeLines: { atLeast: version(4, 9), reason: '`Node N active_anon:` lines (4.9+)' },
  gfpNames: { atLeast: version(4, 6), reason: 'GFP names printed after the mask (4.6+)' },
  noGfpNames: { atMost: version(4, 5, 99), reason: 'no GFP names after the mask (before 4.6)' },
  // ref §2.1: `page allocation failure.` up to 2.6.39, `failure:` from 3.0 (INFERRED 3.0).
  periodHeader: { atMost: version(2, 6, 99), reason: '`page allocation failure.` (2.6.x)' },
  colonHeader: { atLeast: version(3, 0), reason: '`page allocation failure:` (3.0+)' },
  // ref §2.7: the order of the migrate-type letters, UEM… with R (3.10–4.3), UME… with H (4.4+).
  oldLetterOrder: {
    atLeast: version(3, 10),
    atMost: version(4, 3, 99),
    reason: 'buddy letters UEM…/R (3.10–4.3)',
  },
  newLetterOrder: { atLeast: version(4, 4), reason: 'buddy letters UME…/H (4.4+)' },
  noBoost: { atMost: version(5, 16, 99), reason: 'no `boost:` in the zone lines (before 5.17)' },
  nodemask: { atLeast: version(4, 11), reason: '`nodemask=` in the header (4.11+)' },
  // ref §2.9 (K49, K414, K419 dump_header): only 4.9–4.20 print the nodemask in the OOM header.
  oomNodemask: {
    atLeast: version(4, 9),
    atMost: version(4, 20, 99),
    reason: '`nodemask=` in the oom-killer header (4.9–4.20)',
  },
  // ref §2.1 (K50 warn_alloc + cpuset_print_current_mems_allowed): 5.0+; RHEL 8 backported it to
  // its 4.18 (EL8 4.18.0-240), so the bound is 4.18.
  cpusetInHeader: {
    atLeast: version(4, 18),
    reason: '`,cpuset=…,mems_allowed=…` on the header line (5.0+; RHEL 8 4.18)',
  },
  // The rate limiter names the function that printed (___ratelimit(rs, __func__)): warn_alloc
  // from 4.9 (K49, K410 mm/page_alloc.c), warn_alloc_failed before (K310, K44).
  warnAllocSuppressed: { atLeast: version(4, 9), reason: '`warn_alloc: N callbacks suppressed` (4.9+)' },
  warnAllocFailedSuppressed: {
    atMost: version(4, 8, 99),
    reason: '`warn_alloc_failed: N callbacks suppressed` (before 4.9)',
  },
  hugepages: { atLeast: version(3, 10), reason: 'hugepages lines (3.10+)' },
  // mm/oom_kill.c dump_tasks: the header `… rss rss_anon rss_file rss_shmem pgtables_bytes …` is
  // absent in 6.6.57 and present in 6.8.1 (mainline commit "mm, oom: dump_tasks add rss detailed
  // information printing", merged for 6.8-rc1)
  taskRssColumns: {
    atLeast: version(6, 8),
    reason: '`rss_anon rss_file rss_shmem` in the task table header (6.8+)',
  },
} as const satisfies Readonly<Record<string, PrintedBound>>;

// ---------------------------------------------------------------------------------------------
// The OOM killer, by release (core/oom-kind.ts, verdict.ts), each read in single-release trees.
// ---------------------------------------------------------------------------------------------

export const OOM_FACTS = {
  // drivers/tty/sysrq.c moom_callback: `.order = -1` (mm/oom_kill.c is_sysrq_oom) in 4.7.4, 4.9.115,
  // 4.14.67, 5.10.7, 6.8, 6.19.10; 3.4.113 and 3.14.40 call out_of_memory(…, GFP_KERNEL, 0, …): order 0
  sysrqOrderMinusOne: { atLeast: version(4, 7), reason: 'SysRq f passes order=-1 (4.7+; order 0 before)' },
  // __alloc_pages_may_oom: `if (order > PAGE_ALLOC_COSTLY_ORDER) goto out;` inside
  // `if (!(gfp_mask & __GFP_NOFAIL))` in 2.6.32.69 … 4.10.17; outside it, for every mask, in 4.11 … 6.19.10
  costlyOomUnlessNofail: {
    atMost: version(4, 10, 99),
    reason:
      '__alloc_pages_may_oom skips the OOM killer above order 3 unless __GFP_NOFAIL (≤4.10; for every mask from 4.11)',
  },
  // mm/memcontrol.c mem_cgroup_oom: `if (order > PAGE_ALLOC_COSTLY_ORDER) return OOM_SKIPPED;`
  // absent in 4.14.67, present in 4.19 … 6.19.10 (returning false from 6.x)
  memcgCostlySkip: {
    atLeast: version(4, 19),
    reason: 'mem_cgroup_oom skips the OOM killer above order 3 (4.19+)',
  },
  // mem_cgroup_print_oom_meminfo: `swap:` when cgroup_subsys_on_dfl(memory_cgrp_subsys) (cgroup v2),
  // else `memory+swap:` and `kmem:` — in 5.4.214, 5.10.7, 6.8, 6.19.10; 4.19's
  // mem_cgroup_print_oom_info prints `memory+swap:` and `kmem:` on both hierarchies
  // mm/oom_kill.c dump_header: 4.9.115 prints `nodemask=%*pbl` of `nm = oc->nodemask ?
  // oc->nodemask : &cpuset_current_mems_allowed` (a NULL nodemask shows as the cpuset's mems) and
  // calls show_mem(SHOW_MEM_FILTER_NODES) without it; 4.14.67 prints pr_cont("(null)") for a NULL
  // oc->nodemask and passes it to show_mem. The release in between that changed it is not pinned
  // here (a linux-mm patch of the 4.10 cycle, not checked against a 4.10 tree): 4.10 is taken as
  // the first. Only from it is a printed list the request's own nodemask (policy_nodemask)
  oomHeaderNullNodemask: {
    atLeast: version(4, 10),
    reason: 'dump_header prints (null) for a NULL nodemask (4.10+; before, the cpuset mems in its place)',
  },
  // dump_header's `oom-kill:constraint=` line (dump_oom_summary from 5.0) came with 4.19; before
  // it nothing printed constrained_alloc's answer
  oomConstraintLine: {
    atLeast: version(4, 19),
    reason: 'the oom-kill:constraint= line is printed from 4.19',
  },
  memcgCountersByHierarchy: {
    atLeast: version(5, 4),
    reason:
      'the counter lines follow the hierarchy from 5.4 at the latest; 4.19 printed memory+swap and kmem on both',
  },
} as const satisfies Readonly<Record<string, PrintedBound>>;
