// What the kernel knowledge works out for each report: the types every front end presents.
// The CLI's `findings`/`sysctl` JSON fields, the diagnostics, hovers and quick fixes all read these,
// so nothing outside the core recomputes kernel facts. Units: pages are the report's pages (see
// `pageSizeKb`), kB are kB; absent values are null, never undefined.

import type { OomKind } from './oom-kind';
import type { AllocationProfile, BuddyLine, ReportKind, ZoneLine } from './model';
import type { OomAnalysis } from './oom-analysis';
import type { NodeFilter } from './node-filter';

/** free against the zone's watermarks ("below" = at or below: the kernel's checks fail at equality). */
export type ZoneState = 'below_min' | 'below_low' | 'below_high' | 'ok' | 'unknown';

/** Why the allocation failed, as far as the report's numbers can tell (product.md "verdict"). */
export type Verdict =
  | 'no_free_pages' // no allowed zone passed the watermark check
  | 'fragmentation' // pages enough, but no free block of the order
  | 'zones_passed' // the check passes: cpuset/nodemask, race, NORETRY/costly give-up
  | 'undecidable' // an input the replay needs is missing (named in verdictText)
  | 'not_applicable'; // SLUB report, show_mem, stall: no single failed request to replay

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  /** Stable code, documented in docs/codes/<code>.md (e.g. "KLL001"); see FINDING_CODES. */
  code: string;
  severity: Severity;
  message: string;
  /** 0-based line the finding sits on. */
  line: number;
  /** 0-based lines that decided it (zone lines for a report finding). */
  related: { line: number; message: string }[];
}

export interface SysctlSuggestion {
  key: string;
  value: string;
  /** Evidence, the current value inferred from the log, and the risk; one or more `# ` lines. */
  comment: string;
  /** Suggested for this report, or only listed with an honest assessment. */
  recommended: boolean;
}

/**
 * Layout of `__zone_watermark_ok` and `gfp_to_alloc_flags` (kernel-memory.md §3.1, §3.2):
 * '2.6' = 2.6.x–2.6.37 and 3.3–3.6, '2.6.38' = 2.6.38–3.2 (two pages more: `(1 << order) + 1`), '3.7' = 3.7–3.9 (CMA in the whole check), '3.10' = 3.10–4.3 (+CMA term), '4.4' = 4.4–4.13 (highatomic, free-list check),
 * '4.14' = 4.14–6.2, '6.3' = 6.3+ (ALLOC_MIN_RESERVE / ALLOC_NON_BLOCK).
 */
export type WatermarkEra = '2.6' | '2.6.38' | '3.7' | '3.10' | '4.4' | '4.14' | '6.3';

export interface EraAnalysis {
  /** Release string as printed in the task line, e.g. "3.4.24-x86_64". */
  release: string | null;
  /** [major, minor, patch] when known (from the release, or a range bound from the shape). */
  version: [number, number, number] | null;
  /** Distribution kernel family read from the release (el7, el8, …), null for vanilla/unknown. */
  distro: string | null;
  /** GFP bit-layout era as named by gfp.ts (null when unknown). */
  gfpEra: string | null;
  watermarkEra: WatermarkEra | null;
  decidedBy: 'release' | 'shape' | 'unknown';
  /** One line: what decided it, e.g. "release 3.4.24-x86_64 in the task line". */
  reason: string;
}

export interface GfpAnalysis {
  /** As printed, e.g. "0x4020". */
  raw: string;
  /** The numeric mask, null when masked by the poster ("0x62****"). */
  mask: number | null;
  /** Names the kernel printed, or null when it printed none. */
  printed: string | null;
  /** Decoded names for the era (the printed ones win where present). */
  names: string[];
  /** `names` joined with `|`, e.g. "GFP_ATOMIC|__GFP_COMP". */
  text: string;
  /** Every single `__GFP_*` bit set, in bit order (empty when the mask is masked). */
  flags: string[];
  era: string | null;
  /** Highest zone the request may use ("DMA", "DMA32", "Normal", "HighMem", "Movable"). */
  highestZone: string | null;
  /** Why `highestZone` is not the zone the flags name (__GFP_HIGHMEM on a 64-bit kernel), else null. */
  highestZoneNote: string | null;
  /** Cannot sleep / reclaim directly (GFP_ATOMIC, GFP_NOWAIT …). */
  atomic: boolean | null;
  /** May enter direct reclaim. */
  canReclaim: boolean | null;
  /** Why the mask looks wrong for the era, null when plausible. */
  implausible: string | null;
  /** What the mask stands for when it is not a request's (an OOM's gfp_mask=0 is
   * pagefault_out_of_memory's), else null: then it has no atomic or reclaim traits. */
  marker: string | null;
  /** The allocator flags the slow path uses for this request on this era (§3.1). */
  allocFlags: AllocFlags | null;
}

/** The `alloc_flags` the failing slow-path attempt used (reference §3.1), as booleans. */
export interface AllocFlags {
  /** ALLOC_HIGH (≤6.2) / ALLOC_MIN_RESERVE (6.3+): `__GFP_HIGH`. */
  high: boolean;
  /** ALLOC_HARDER (≤6.2): atomic request (era rule) and not `__GFP_NOMEMALLOC`. */
  harder: boolean;
  /** ALLOC_NON_BLOCK (6.3+): no `__GFP_DIRECT_RECLAIM`, not `__GFP_NOMEMALLOC`. */
  nonBlock: boolean;
  /** ALLOC_HIGHATOMIC (6.3+): NON_BLOCK and order > 0. */
  highatomic: boolean;
  /** ALLOC_CMA (3.10+): movable request may use CMA pageblocks. */
  cma: boolean;
  /** ALLOC_CPUSET dropped (atomic requests ignore cpuset mems). */
  ignoresCpuset: boolean;
  noretry: boolean;
  thisnode: boolean;
  /** `__GFP_NOWARN`: odd in a printed report. */
  nowarn: boolean;
  /** Human text, e.g. "ALLOC_WMARK_MIN|ALLOC_HIGH|ALLOC_HARDER". */
  text: string;
}

export interface OrderAnalysis {
  order: number;
  pages: number;
  pageSizeKb: number;
  /** True when the page size was not printed (no buddy line) and 4 kB was assumed. */
  pageSizeAssumed: boolean;
  bytes: number;
  /** "128 KiB". */
  sizeText: string;
  /** order > PAGE_ALLOC_COSTLY_ORDER (3) in every era (reference §3.2). */
  costly: boolean;
}

/** A zone line's identity and numbers as parsed (`nodePrinted`: the kernel printed `Node N`, a NUMA
 * build; labels omit it otherwise, as the log does). */
export type ZoneNumbers = Pick<
  ZoneLine,
  | 'node'
  | 'nodePrinted'
  | 'zone'
  | 'line'
  | 'freeKb'
  | 'minKb'
  | 'lowKb'
  | 'highKb'
  | 'boostKb'
  | 'presentKb'
  | 'managedKb'
  | 'reservedHighatomicKb'
  | 'freeCmaKb'
>;

/** A zone line's numbers plus what they mean (zones.ts `analyzeZones`). */
export interface ZoneStateAnalysis extends ZoneNumbers {
  /** Column of this zone in `lowmem_reserve[]` (zone index on its node), null when unknown. */
  zoneIndex: number | null;
  freePages: number | null;
  minPages: number | null;
  lowPages: number | null;
  highPages: number | null;
  state: ZoneState;
  /** A zone with no pages (2.6.18 prints empty zones too); its state is 'unknown'. */
  empty: boolean;
  /** What the kernel does with the zone in that state. */
  stateText: string;
  /** "free 19976 kB ≤ low 20324 kB (348 kB short of low)". */
  gaugeText: string;
}

/**
 * One zone line of a report joined to everything the analysis says about it, built once by
 * `explainReport` (zone-analysis.ts `joinZones`): front ends read these, never match by line.
 */
export interface ZoneAnalysis extends ZoneStateAnalysis {
  /** The zone line as parsed (ranges, every printed field, `lowmem_reserve[]`). */
  parsed: ZoneLine;
  /** The replayed watermark check for this zone, null when the check was not replayed. */
  check: ZoneCheck | null;
  /** What its `lowmem_reserve[]` line means, null when none was printed. */
  protection: ProtectionAnalysis | null;
  /** The buddy free-list lines printed for the zone (the first is the one the check reads). */
  buddy: BuddyAnalysis[];
}

/** A buddy free-list line (`Node 0 DMA32: 3*4kB (UM) …`) and what it says about the request. */
export interface BuddyAnalysis {
  /** The line as parsed. */
  parsed: BuddyLine;
  /** Largest order with a free block (any migrate type), null when every list is empty. */
  largestOrder: number | null;
  /** The order that failed, null when the report has none. */
  failedOrder: number | null;
  /** Free kB in blocks of the failed order or larger (all types), null without a failed order. */
  freeKbAtOrder: number | null;
  /** The replay's block check when it read this line (the first printed for its zone), else null. */
  blocks: OrderBlockCheck | null;
  /** What the migrate-type letters printed on the line stand for, in this era; null when none. */
  typesLegend: string | null;
}

export interface ReserveEntry {
  column: number;
  /** Name of the class zone of this column ("Movable (empty)" style names are not used: see `populated`). */
  zone: string;
  populated: boolean;
  pages: number;
  mib: number;
  /** What the entry does for this zone. */
  meaning: string;
}

export interface ProtectionAnalysis {
  node: number;
  nodePrinted: boolean;
  zone: string;
  /** The zone line and the `lowmem_reserve[]:` line. */
  zoneLine: number;
  line: number;
  entries: ReserveEntry[];
  /** Which zone size the kernel divides: `present` (≤3.4) or `managed` (≥3.10) (reference §5.2). */
  sizeBasis: 'present' | 'managed';
  /** lowmem_reserve_ratio[this zone] inferred back: lowest and highest ratio that give the entries. */
  ratioLow: number | null;
  ratioHigh: number | null;
  /** The ratio the entries reproduce (the default when it fits), null when none fits. */
  ratio: number | null;
  /** The integer ratios that give the entries, [lowest, highest], when more than one does. */
  ratioRange: [number, number] | null;
  /** The kernel's default ratio for this zone. */
  defaultRatio: number | null;
  /** The formula with this report's numbers, one per non-zero column. */
  formulas: string[];
  consistent: boolean;
  /** Inconsistencies and caveats, in words. */
  notes: string[];
}

export interface OrderBlockCheck {
  /** A free block of the order (or larger) the request may take exists. null = buddy line missing. */
  available: boolean | null;
  /** Largest free block order of any type, from the buddy line. */
  largestOrder: number | null;
  /** Free kB in blocks ≥ the failed order (all types). */
  freeKbAtOrder: number | null;
  /** Blocks of the order exist, but the 2.6.x–4.3 check fails in its per-order loop: too few
   * pages in them (not "no block"). */
  tooFewPages: boolean;
  /** Every free block is MIGRATE_HIGHATOMIC, which an order-0 request never takes (rmqueue, 4.4–6.x). */
  onlyHighatomic: boolean;
  /** No block on the lists the request may use, though larger blocks are free on others: which
   * migrate types hold them ("the larger blocks are …"); null otherwise. */
  largerBlocksElsewhere: string | null;
  /** The buddy line the check read (the first one printed for the zone), null when none. */
  buddyLine: number | null;
  text: string;
}

export interface ZoneCheck {
  node: number;
  nodePrinted: boolean;
  zone: string;
  line: number;
  /** The zone is allowed for this request (zone index ≤ highest zone, node allowed). */
  usable: boolean;
  /** Why not, when not usable. */
  unusableReason: string | null;
  classzone: string | null;
  /** Printed min in pages (includes boost on 5.0+); the printed high when the replay's mark is high. */
  minPages: number | null;
  /** min after the request's ALLOC_HIGH/HARDER/MIN_RESERVE/NON_BLOCK reductions. */
  adjustedMinPages: number | null;
  /** How min was adjusted, e.g. "3652 − 3652/2 = 1826; 1826 − 1826/4 = 1370". */
  adjustmentText: string;
  reservePages: number | null;
  freePages: number | null;
  /** Pages not counted: 2^order − 1, plus highatomic / CMA where the era subtracts them. */
  unusablePages: number | null;
  unusableText: string;
  /** The first comparison `free − unusable > min + reserve`; null when an input is missing. */
  pass: boolean | null;
  /** Order > 0 (and order-0 highatomic) block check; null for order 0 without buddy concerns. */
  orderBlocks: OrderBlockCheck | null;
  /** Final outcome of the replay for this zone. */
  result: 'pass' | 'fail' | 'unknown' | 'skipped';
  explanation: string;
  /** The highatomic reserve the check subtracts when the report does not print it (4.4–5.9):
   * the bounds the replay used, and whether they decide the outcome. */
  hiddenHighatomic?: HiddenHighatomic;
  /** Free CMA pages the check left out (no ALLOC_CMA), when the zone passes with them counted:
   * then CMA decided this zone's failure. */
  cmaDecides?: boolean;
}

/** Bounds on an unprinted `nr_reserved_highatomic` (watermarks.ts). */
export interface HiddenHighatomic {
  /** Lower bound in pages: the free pages on the zone's H lists, and one pageblock where the
   * layout pins its size; 0 when no H block is listed. */
  low: number;
  /** Upper bound in pages from reserve_highatomic_pageblock's cap; null when managed or the
   * buddy orders are not printed. */
  high: number | null;
  /** An H block is listed, so a reserve exists. */
  seen: boolean;
  /** Pageblock lower bound used, in pages (null: not pinned for this layout). */
  pageblockPages: number | null;
  /** 'both': the outcome is the same at both bounds; 'undecided': it differs (the zone's pass is
   * null); 'likely': no H block, replayed with 0 though the upper bound would change it. */
  decided: 'both' | 'undecided' | 'likely';
  /** The zone passes when the reserve is left out (so the reserve, not the pages, failed it). */
  passesWithout: boolean | null;
}

export interface ReplayAnalysis {
  era: WatermarkEra | null;
  /** The watermark replayed: `min` (the request's own attempts), `high` (an OOM report's last
   * attempt before out_of_memory, ALLOC_WMARK_HIGH|ALLOC_CPUSET: kernel/eras.ts OomLastAttempt). */
  mark: 'min' | 'high';
  classzone: string | null;
  /** "ALLOC_WMARK_MIN|ALLOC_HIGH|ALLOC_HARDER". */
  allocFlagsText: string;
  /** One line on the algorithm used, citing the era. */
  algorithmText: string;
  zones: ZoneCheck[];
  /** The migrate types (buddy letters) whose free lists the check may take a block of the order
   * from: U, M, E always, C with ALLOC_CMA, H with the era's highatomic flag (4.4+ free-block
   * check); null where the check counts pages per order whatever their type (2.6.x–4.3). */
  blockTypes: readonly string[] | null;
  /** Inputs the replay needed but the report lacks (e.g. "buddy free lists"). */
  missing: string[];
  /** Assumptions made (e.g. "reserved_highatomic not printed before 5.10: taken as 0"). */
  assumptions: string[];
}

/** Why the allocating task had PF_MEMALLOC (context.ts MEMALLOC_SETTERS). */
export interface MemallocContext {
  by:
    | 'kswapd'
    | 'direct_reclaim'
    | 'direct_compaction'
    | 'memcg_reclaim'
    | 'node_reclaim'
    | 'shrink_all_memory';
  /** The frame (or `comm kswapd0`) that shows it. */
  shownBy: string;
  /** What reclaim was doing when it allocated (`adding a page to swap (add_to_swap)`), else null. */
  doing: string | null;
  /** One phrase: `kswapd0 (kswapd, PF_MEMALLOC)`, `direct reclaim (try_to_free_pages, PF_MEMALLOC)`. */
  who: string;
}

export interface ContextAnalysis {
  /** Caller → callee, ending with the allocator entry, e.g. ["net_tx_action", …, "kmalloc_large_node"]. */
  chain: string[];
  /** `chain` joined with " → ". */
  chainText: string;
  /** The chain without the allocator entry (what the diagnostic quotes). */
  callerText: string;
  allocatorEntry: string | null;
  /** `interrupt`: on the <IRQ> stack, but no frame tells hard from soft interrupt. */
  context: 'hardirq' | 'softirq' | 'interrupt' | 'task' | 'nmi' | 'unknown';
  contextText: string;
  subsystem: string | null;
  driver: string | null;
  subsystemText: string;
  /** The task ran with PF_MEMALLOC (kswapd, or inside direct reclaim or compaction), read from
   * the comm and the reliable frames; null when nothing shows it (or not in task context). */
  memalloc: MemallocContext | null;
  /** The driver was bringing its interface up (ndo_open, dev_open …): the frame that shows it. */
  interfaceUp: string | null;
  /** The failed page allocation refilled SLUB's per-CPU sheaf (6.18+ mm/slub.c, the frame that
   * shows it): not the caller's own request, which slab_alloc_node retries with its own mask. */
  sheafRefill: string | null;
  /** Lines of the frames named in `chain`. */
  frameLines: number[];
}

export interface RepeatAnalysis {
  /** Reports in this group (1 = not repeated). Only the first report of a group carries it. */
  count: number;
  /** Reports the kernel's rate limiter dropped inside the group (`callbacks suppressed`). */
  suppressed: number;
  firstTime: string | null;
  lastTime: string | null;
  spanSeconds: number | null;
  /** Index (in Analysis.reports) of the first report of the group, null for the first itself. */
  duplicateOf: number | null;
  lines: number[];
}

export interface MemoryAnalysis {
  pageSizeKb: number;
  /** No buddy line shows the page size: `pageSizeKb` is the assumed DEFAULT_PAGE_SIZE_KB. */
  pageSizeAssumed: boolean;
  /** From `N pages RAM`, else Σ present of the zones printed. */
  ramKb: number | null;
  ramSource: 'pages RAM' | 'zones present' | null;
  nodes: { node: number; presentKb: number | null; managedKb: number | null; freeKb: number | null }[];
  freeKb: number | null;
  /** Σ size (managed ≥3.10, present ≤3.4) of non-HighMem zones: the kernel's `lowmem_kbytes`. */
  lowmemKb: number | null;
  slabReclaimableKb: number | null;
  /** Σ zone min (minus boost) of the lowmem zones: the inferred `vm.min_free_kbytes` (§4.4). */
  minFreeInferredKb: number | null;
  /** min_free_kbytes ∈ [low, high] given per-zone truncation (< 1 page per zone). */
  minFreeRangeKb: [number, number] | null;
  minFreeZones: number;
  /** The text of the sum, e.g. "4 + 1612 + 14608 + 16260 = 32484 kB". */
  minFreeSumText: string | null;
  /** The kernel's default for this lowmem (reference §4.1), from today's zone sizes. */
  minFreeDefaultKb: number | null;
  /** What the inferred value says: the default, THP's value, or set by hand. */
  minFreeInterpretation: string | null;
  /** A watermark boost the zone mins include (5.0+ kernels that print no `boost:`), when the
   * reading found one: Σ min − kb is min_free_kbytes. */
  minFreeBoost: { kb: number; zone: string } | null;
  minFreeDefaultText: string | null;
  /** pageblock × zones × 11 (THP's recommended value), capped at 5 % of lowmem. */
  thpRecommendedKb: number | null;
  thpRecommendedText: string | null;
  pageblockKb: number | null;
  /** Populated zones the THP formula counts. */
  thpZones: number;
  notes: string[];
  /** vm.min_free_kbytes as the system's sysctl states it (ExplainOptions.system); absent when
   * only the report is known (then `minFreeInferredKb` is the value). */
  minFreeKnown?: { kb: number; source: string };
  /** The dump prints only some nodes (show_mem(SHOW_MEM_FILTER_NODES)): RAM and min_free_kbytes are
   * not inferred from its zones (core/node-filter.ts); absent when nothing shows a filter. */
  nodeFilter?: NodeFilter;
}

export interface Remedy {
  /** Stable id: min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio, zone_reclaim_mode,
   * vfs_cache_pressure, extfrag_threshold, compaction_proactiveness, compact_memory (a one-shot
   * action), upgrade_kernel, network_rate, oom, collect_missing (an undecidable verdict's inputs),
   * cma_size (shrink the CMA area where free CMA decided the failure). */
  id: string;
  title: string;
  /** The sysctl line (absent for non-sysctl advice or a key the kernel lacks). */
  sysctl: SysctlSuggestion | null;
  recommended: boolean;
  /** The tool's honest assessment for this report, in a few sentences. */
  assessment: string;
  /** Which option of the seed's design document this is (1–4), null for others: for maintainers
   * (test/core/analyze-seed.test.ts), never written to any output (issue #13 rule 11). */
  designOption: number | null;
}

export interface ReportAnalysis {
  index: number;
  kind: ReportKind;
  line: number;
  endLine: number;
  time: string | null;
  host: string | null;
  comm: string | null;
  /** The header text (kernel payload) for display. */
  headline: string;
  era: EraAnalysis;
  gfp: GfpAnalysis | null;
  order: OrderAnalysis | null;
  /** One per zone line, in the report's order, each joined to its check, protection and buddy. */
  zones: ZoneAnalysis[];
  protection: ProtectionAnalysis[];
  /** One per buddy line, in the report's order. */
  buddy: BuddyAnalysis[];
  replay: ReplayAnalysis;
  verdict: Verdict;
  verdictText: string;
  /** The verdict in a few words (verdict.ts decideVerdict `short`, with context.ts's note); the
   * report's diagnostic message (its first finding) leads with it. */
  verdictShort: string;
  /** The request in words (`order-5 (128 KiB) GFP_ATOMIC in softirq (net_tx_action → …)`), null
   * when the report has none (show_mem, SLUB, SysRq f, an OOM no allocation led to). */
  request: string | null;
  context: ContextAnalysis;
  repeat: RepeatAnalysis;
  memory: MemoryAnalysis;
  /** The one-sentence summary (product.md), true for this report: the hover's and the CLI's; the
   * diagnostic's short verdict-first message is the first finding's. */
  summary: string;
  /** Is it harmful: what the failure means for the caller, in a sentence or two. */
  impact: string;
  findings: Finding[];
  sysctl: SysctlSuggestion[];
  remedies: Remedy[];
  /** The call sites holding the most memory, as the 6.10+ dump lists them (ref §2.12); null when
   * the report has no such section. */
  allocationProfile: AllocationProfile | null;
  /** Which OOM an OOM report is (oom-kind.ts classifyOom): scope, cgroup, counters, ending; null
   * for the other kinds. */
  oomKind: OomKind | null;
  /** An OOM kill's task table, victim, swap and memory.stat read together (oom-analysis.ts);
   * null for every other kind. */
  oom: OomAnalysis | null;
}

export interface Analysis {
  reports: ReportAnalysis[];
  /** Findings not tied to a report (suppression lines). */
  findings: Finding[];
}
