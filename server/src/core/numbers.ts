// Every number read from a log, bounded to what the kernel can print there. A value outside its
// range is not something a kernel printed (a corrupted, spliced or hostile line): it is unreadable
// (null), and the report lists it (Report.unreadable, shown as finding KLL025) instead of letting
// a 32-digit `present:` become Infinity, a negative one NaN, `order:200000000` a 3 GB loop or
// `nodemask=0-99999999999` a hundred billion node ids. The bounds also keep every sum, product and
// loop the analysis makes from them finite, exact enough and short.

/** Where the value may lie (inclusive) and, in words, what the kernel prints there. */
export interface PrintedRange {
  readonly min: number;
  readonly max: number;
  readonly text: string;
}

/**
 * MAX_NUMNODES = 1 << CONFIG_NODES_SHIFT (include/linux/numa.h). NODES_SHIFT is at most 10 in every
 * release: `range 1 10` on x86 (MAXSMP 10) and arm64, the generic mm/Kconfig entry (5.13+), 10 for
 * powerpc MAXSMP, 6 on mips/loongarch. Node ids are below 1024.
 */
export const MAX_NUMNODES = 1024;

/**
 * The largest order a failing allocation or a buddy list can print. __alloc_pages (6.8+ `order >
 * MAX_PAGE_ORDER`, earlier `order >= MAX_ORDER`) returns before warn_alloc for larger ones, and the
 * buddy line prints orders 0 … MAX_PAGE_ORDER. The arch defaults top out at 16 (ia64 with
 * HUGETLB_PAGE: FORCE_MAX_ZONEORDER 17, exclusive; arm64 4K EXPERT up to 15, mips 64K 13); a few
 * Kconfig ranges reach 63 (mips, loongarch, sh `range … 63/64`), but MAX_ORDER_NR_PAGES is
 * `1 << MAX_PAGE_ORDER` in an int (include/linux/mmzone.h), so no kernel has a larger order than 30.
 */
export const MAX_PAGE_ORDER_BOUND = 30;

/** MAX_NR_ZONES: enum zone_type (include/linux/mmzone.h) has at most DMA, DMA32, Normal, HighMem,
 * Movable and Device, so `lowmem_reserve[]` prints at most 6 columns. */
export const MAX_NR_ZONES = 6;

/** Managed pages grow after boot: the initrd, the init sections and deferred struct pages are
 * freed to the buddy allocator later (free_initrd_mem, free_initmem). Values the kernel sized at
 * boot (init_per_zone_wmark_min, khugepaged's min_free_kbytes, setup_per_zone_lowmem_reserve) may
 * come from sizes up to this share smaller than the printed ones. */
export const MANAGED_GROWTH_AFTER_BOOT = 0.05;

/** PAGE_ALLOC_COSTLY_ORDER = 3 in every era (include/linux/mmzone.h; reference §3.2): above it the
 * allocator tries less hard, relies on compaction and never calls the OOM killer. */
export const COSTLY_ORDER = 3;

/** Page sizes in kB across architectures: 4 (x86, most), 8 (sparc64, alpha), 16 (arm64, mips,
 * loongarch), 32 (mips Octeon), 64 (arm64, ppc64, mips), 256 (powerpc 44x, hexagon). */
export const MIN_PAGE_KB = 4;
export const MAX_PAGE_KB = 256;

/** A `%lu`/`%u` count of kB, pages, bytes, objects or milliseconds. 64-bit counters can print more
 * than 2^53 − 1, but no real machine's memory does (2^53 kB is 8 ZiB), and beyond it a double no
 * longer holds the value exactly. */
export const COUNT: PrintedRange = { min: 0, max: Number.MAX_SAFE_INTEGER, text: 'a count below 2^53' };
/** `%ld` values that may be negative: `Free swap  = -1636kB` (get_nr_swap_pages() is a long). */
export const SIGNED_COUNT: PrintedRange = {
  min: -Number.MAX_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
  text: 'an integer between −2^53 and 2^53',
};
/** `%d` counters: the rate limiter's `%d callbacks suppressed` (struct ratelimit_state.missed is an int). */
export const INT_COUNT: PrintedRange = { min: 0, max: 2 ** 31 - 1, text: 'a count below 2^31' };
export const NODE_ID: PrintedRange = {
  min: 0,
  max: MAX_NUMNODES - 1,
  text: `a node id below MAX_NUMNODES (${MAX_NUMNODES})`,
};
/** slab_out_of_memory prints the node it was asked for: NUMA_NO_NODE (-1) or a node id. */
export const SLUB_NODE: PrintedRange = {
  min: -1,
  max: MAX_NUMNODES - 1,
  text: `-1 (NUMA_NO_NODE) or a node id below MAX_NUMNODES (${MAX_NUMNODES})`,
};
export const PAGE_ORDER: PrintedRange = {
  min: 0,
  max: MAX_PAGE_ORDER_BOUND,
  text: `an order from 0 to MAX_PAGE_ORDER (at most ${MAX_PAGE_ORDER_BOUND})`,
};
/** The OOM header's `order=%d`: a page order, or -1 for an OOM kill asked for with SysRq f
 * (is_sysrq_oom() in mm/oom_kill.c; moom_callback in drivers/tty/sysrq.c sets `.order = -1`). */
export const OOM_ORDER: PrintedRange = {
  min: -1,
  max: MAX_PAGE_ORDER_BOUND,
  text: `-1 (SysRq f) or an order from 0 to MAX_PAGE_ORDER (at most ${MAX_PAGE_ORDER_BOUND})`,
};
/** OOM_SCORE_ADJ_MIN … OOM_SCORE_ADJ_MAX (include/uapi/linux/oom.h); the older oom_adj (-17 … 15) fits. */
export const OOM_SCORE_ADJ: PrintedRange = {
  min: -1000,
  max: 1000,
  text: 'an oom_score_adj from -1000 to 1000',
};
/** The numbers of a release string (VERSION.PATCHLEVEL.SUBLEVEL): SUBLEVEL has reached the 300s. */
export const RELEASE_NUMBER: PrintedRange = { min: 0, max: 65535, text: 'a release number below 65536' };

/** A printed decimal integer (optional `-`, then digits) within `range`; null otherwise. The one
 * reader of printed integers: every number the parser keeps comes through here. */
export function readInt(printed: string | undefined, range: PrintedRange): number | null {
  if (printed === undefined) return null;
  const length = printed.length;
  const negative = length > 0 && printed.charCodeAt(0) === 45;
  const digits = negative ? length - 1 : length;
  // 2^64 has 20 digits: anything longer is out of range without parsing it (and stays O(1))
  if (digits === 0 || digits > 20) return null;
  for (let i = negative ? 1 : 0; i < length; i++) {
    const c = printed.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = Number(printed);
  return Number.isSafeInteger(n) && n >= range.min && n <= range.max ? n : null;
}

/** Whether a printed node list (`%*pbl`: "0-1,3") names only nodes below MAX_NUMNODES; "(null)"
 * and the empty list (every node) are readable. */
export function readableNodeList(list: string): boolean {
  const t = list.trim();
  if (t === '' || t === '(null)') return true;
  for (const part of t.split(',')) {
    const dash = part.indexOf('-', 1);
    const a = readInt(dash < 0 ? part.trim() : part.slice(0, dash).trim(), NODE_ID);
    const b = dash < 0 ? a : readInt(part.slice(dash + 1).trim(), NODE_ID);
    if (a === null || b === null) return false;
  }
  return true;
}

/** Sum of values, null when one is null or the sum is no longer an exact integer (a sum the
 * kernel never computes: real zones add up to far less). */
export function safeSum<T>(items: readonly T[], value: (item: T) => number | null): number | null {
  let sum = 0;
  for (const item of items) {
    const v = value(item);
    if (v === null) return null;
    sum += v;
  }
  return Number.isSafeInteger(sum) ? sum : null;
}

/** `n` in the largest binary unit that holds it exactly; `units[0]` is n's own, each next one 1024
 * times it: `2 GiB`, `512 MiB`, else `17024340 kB` (a rounded figure would hide that usage equals
 * the limit, or which order a size is). */
export function exactSize(n: number, units: readonly string[]): string {
  let u = 0;
  while (u < units.length - 1 && n > 0 && n % 1024 ** (u + 1) === 0) u++;
  return `${n / 1024 ** u} ${units[u]}`;
}

/** kB as the summary lines print sizes, rounded: `609.8 GiB`, `43 MiB`, `812 kB` (exactSize gives
 * the exact form). */
export function formatKb(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(kb >= 10240 ? 0 : 1)} MiB`;
  return `${kb} kB`;
}
