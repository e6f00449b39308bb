// The data model the parser produces and every front end (CLI, language server, tests) reads.
// Pure types only. Line numbers are 0-based document lines (LSP convention); the CLI's JSON adds 1.
// Units follow the kernel's printout: zone, node and buddy values in kB, counters and
// lowmem_reserve in pages (reference §2.11). Absent values are null, never undefined.

export type ReportKind =
  'page_alloc_failure' | 'oom_kill' | 'vmalloc_failure' | 'slub_failure' | 'alloc_stall' | 'show_mem';

/** How a physical line was framed before the kernel's own text (product.md "Framings"). */
export type Framing =
  | 'syslog'
  | 'rfc5424'
  | 'journalctl'
  | 'journal-json'
  | 'journal-export'
  | 'logcat'
  | 'raw-dmesg'
  | 'dmesg-T'
  | 'dmesg-x'
  | 'kmsg'
  | 'bare'
  | 'mixed';

/** A span of the document, 0-based lines and UTF-16 columns (what LSP wants). */
export interface TextRange {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
}

/** One logical kernel line: the payload with its framing removed, mapped back to the document. */
export interface LogicalLine {
  /** Kernel text without time/host/quote prefixes, wrapped pieces rejoined. */
  text: string;
  /** First physical line (0-based). */
  line: number;
  /** Column in `line` where `text` starts. */
  startChar: number;
  /** Last physical line this logical line used (differs from `line` when a wrap was rejoined). */
  endLine: number;
  /** Column in `endLine` where the payload ends. */
  endChar: number;
  framing: Framing;
  time: string | null;
  host: string | null;
}

export interface GfpInfo {
  /** The hex mask exactly as printed, e.g. "0x4020" (masked by a poster: "0x62****"). */
  raw: string;
  /** The names the kernel printed in parentheses ("" for "()"), null when it printed none or the
   * line was cut inside them (`namesCut`). */
  printed: string | null;
  /** The line ended inside the names, before their `)` (a pager or terminal cut it): what was left
   * of them, e.g. `GFP_HIGHUSER_MOVABLE|_0`. Not what the kernel printed (its last name may be
   * part of a longer one), so they are unknown to the analysis; absent when not cut there. */
  namesCut?: string;
}

export interface StackFrame {
  line: number;
  function: string;
  offset: string | null;
  size: string | null;
  module: string | null;
  /** `?` marker: the unwinder was not sure this frame is real. */
  unreliable: boolean;
  /** Interrupt context the frame was printed in. */
  context: 'task' | 'irq' | 'softirq' | 'nmi';
}

export interface ZoneLine {
  node: number;
  nodePrinted: boolean;
  zone: string;
  /** Line where the zone name stands (even if `free:` was wrapped onto the next line). */
  line: number;
  range: TextRange;
  /** Every `name:value` field as printed, kB values as numbers of kB, counts as numbers. */
  fields: Record<string, number>;
  freeKb: number | null;
  minKb: number | null;
  lowKb: number | null;
  highKb: number | null;
  boostKb: number | null;
  presentKb: number | null;
  managedKb: number | null;
  reservedHighatomicKb: number | null;
  freeCmaKb: number | null;
  allUnreclaimable: boolean | null;
  lowmemReserve: number[] | null;
  lowmemReserveRange: TextRange | null;
}

export interface BuddyOrder {
  count: number;
  sizeKb: number;
  /** Migrate-type letters printed after the count (3.10+), e.g. "UME"; null when none. */
  types: string | null;
}

export interface BuddyLine {
  node: number;
  zone: string;
  line: number;
  range: TextRange;
  orders: BuddyOrder[];
  totalKb: number | null;
}

export interface NodeLine {
  node: number;
  line: number;
  range: TextRange;
  fields: Record<string, number>;
  allUnreclaimable: boolean | null;
}

export interface PerCpuLine {
  line: number;
  node: number | null;
  zone: string | null;
  cpu: number;
  high: number | null;
  batch: number | null;
  used: number | null;
}

export interface HugepagesLine {
  line: number;
  node: number;
  total: number;
  free: number;
  surplus: number;
  sizeKb: number;
}

/** A counter from the Mem-Info summary (pages) or the tail lines. */
export interface Counter {
  name: string;
  value: number;
  line: number;
  range: TextRange;
}

export interface SlubInfo {
  node: number | null;
  cache: string | null;
  objectSize: number | null;
  bufferSize: number | null;
  defaultOrder: number | null;
  minOrder: number | null;
}

export interface OomKill {
  line: number;
  pid: number | null;
  comm: string | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
}

export interface OomConstraint {
  line: number;
  /** `CONSTRAINT_NONE`, `CONSTRAINT_CPUSET`, `CONSTRAINT_MEMORY_POLICY`, `CONSTRAINT_MEMCG`; null when
   * only the older `Task in … killed as a result of limit of …` line was printed (a memcg OOM). */
  constraint: string | null;
  /** The memory cgroup whose limit was hit (`oom_memcg=` / `limit of`), null for a global OOM. */
  memcg: string | null;
  taskMemcg: string | null;
  global: boolean;
}

/** One row of the 6.10+ memory allocation profile that __show_mem prints (mm/show_mem.c):
 * `%12s %8llu %s:%u [%s] func:%s`, the bytes as string_get_size prints them (rounded to three
 * significant digits, so kept as printed). */
export interface AllocTagLine {
  line: number;
  /** As printed, e.g. `1.16 GiB`, `412 MiB`, `0 B`. */
  size: string;
  /** Allocations made at this site and not yet freed. */
  calls: number | null;
  file: string;
  lineno: number | null;
  /** The module the site is in (`[i915]`), null for built-in code. */
  module: string | null;
  function: string;
}

/** The `Memory allocations[ (profiling is currently turned on|off)]:` section (6.10+). */
export interface AllocationProfile {
  /** The section's first line; null when only its rows were seen (the poster cut the line). */
  line: number | null;
  /** `on`/`off` as 6.18+ prints it; null for the 6.10–6.17 form, which does not say. */
  profiling: 'on' | 'off' | null;
  /** The rows in printed order (the kernel prints at most ten, the biggest first). */
  tags: AllocTagLine[];
}

/** A number the report prints beyond what the kernel can print there (numbers.ts): not read. */
export interface UnreadableValue {
  /** Document line (0-based) it stands on. */
  line: number;
  /** The value with its name as printed, e.g. `present:1234…kB` (cut to 48 characters). */
  text: string;
  /** What the kernel prints there, e.g. "a count below 2^53". */
  expected: string;
}

/** A header without fields every release prints there (formats.ts HeaderShape): cut by a pager
 * or a terminal, or split by another CPU's lines and its pr_cont piece not found. */
export interface HeaderCut {
  /** Document line (0-based) where the header's text ends. */
  line: number;
  /** The header's last printed characters (at most 40). */
  after: string;
  /** The fields not printed, by their labels: `order`, `mode`, `gfp_mask`, `nodemask`. */
  missing: string[];
  /** The label of the mask (`mode`, `gfp_mask`) whose flag names the cut ended inside (GfpInfo
   * namesCut); absent when the names were printed whole or not at all. */
  namesCut?: string;
}

export interface Report {
  kind: ReportKind;
  /** Header line (for the two-line 4.x vmalloc form: the `vmalloc:` line). */
  line: number;
  endLine: number;
  headerRange: TextRange;
  time: string | null;
  host: string | null;
  comm: string | null;
  pid: number | null;
  cpu: number | null;
  kernel: string | null;
  tainted: string | null;
  hardware: string | null;
  order: number | null;
  orderRange: TextRange | null;
  gfp: GfpInfo | null;
  gfpRange: TextRange | null;
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  oomScoreAdj: number | null;
  /** vmalloc: requested and (4.x) already allocated bytes. */
  vmallocBytes: number | null;
  vmallocAllocatedBytes: number | null;
  /** `page allocation stalls for Nms`. */
  stallMs: number | null;
  slub: SlubInfo | null;
  callTrace: StackFrame[];
  memInfoLine: number | null;
  counters: Counter[];
  nodes: NodeLine[];
  zones: ZoneLine[];
  buddy: BuddyLine[];
  perCpu: PerCpuLine[];
  hugepages: HugepagesLine[];
  /** `Free swap  = N kB`, `Total swap = N kB`. */
  freeSwapKb: number | null;
  totalSwapKb: number | null;
  /** `N pages RAM` and friends, in pages. */
  ramPages: number | null;
  highmemPages: number | null;
  reservedPages: number | null;
  /** `N pages cma reserved` (show_mem with CONFIG_CMA: totalcma_pages, every CMA area). */
  cmaReservedPages: number | null;
  totalPagecachePages: number | null;
  /** Page size in kB, from the smallest buddy block (4 on x86, 64 on ppc64 64K) or null. */
  pageSizeKb: number | null;
  killed: OomKill | null;
  /** The memory allocation profile __show_mem prints last (6.10+ CONFIG_MEM_ALLOC_PROFILING). */
  allocationProfile: AllocationProfile | null;
  /** OOM scope: 5.0+ `oom-kill:constraint=…` line, or the older memcg lines. */
  oomConstraint: OomConstraint | null;
  /** The header lacks fields the kernel prints (null: it printed them all). */
  headerCut: HeaderCut | null;
  /** Header punctuation: `failure.` (≤2.6.39) or `failure:` (3.0+); null for other headers. */
  headerStyle: 'period' | 'colon' | null;
  /** Reports the kernel dropped just before this one (`warn_alloc: N callbacks suppressed`). */
  suppressedBefore: number;
  /** The function that rate-limit line names (`warn_alloc`, `warn_alloc_failed`, …), else null. */
  suppressedBy: string | null;
  /** The header prints `nodemask=` (a list, or `(null)`: `nodemask` is then null). */
  nodemaskPrinted: boolean;
  /** The header line itself ends in `,cpuset=…,mems_allowed=…` (5.0+ warn_alloc). */
  cpusetInHeader: boolean;
  /** The report ends before its end (cut by the poster / file end). */
  truncated: boolean;
  /** Numbers beyond what the kernel prints, in the order read; each left null (or its line unread). */
  unreadable: UnreadableValue[];
}

export interface Suppression {
  line: number;
  /** 0 when the printed count is unreadable (see `unreadable`). */
  count: number;
  /** The rate limiter's owner: `warn_alloc`, `slab_out_of_memory`, `printk`. */
  source: string;
  /** The count as printed when it is beyond what the kernel prints (an int), else null. */
  unreadable: UnreadableValue | null;
}

export interface ParsedLog {
  /** The dominant framing of the file (`mixed` when no framing has a majority). */
  framing: Framing;
  lineCount: number;
  reports: Report[];
  suppressions: Suppression[];
  /** Release from a `Linux version …` boot banner in the same log, a fallback for reports whose
   * task line is missing. */
  kernelRelease: string | null;
  /** The banner release seen when each report completed (null: none yet), as the CLI's streaming
   * reader passes it; absent when the log was not read by TextScan (then `kernelRelease` serves). */
  bannerAt?: ReadonlyMap<Report, string | null>;
  /** Physical line from which the text was read as a quoted-printable mail body (RFC 2045 section 6.7,
   * quoted-printable.ts); absent when it was read as it is. */
  quotedPrintableFrom?: number;
}
