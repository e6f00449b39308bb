// The data model the parser produces and every front end (CLI, language server, tests) reads.
// Pure types only. Line numbers are 0-based document lines (LSP convention); the CLI's JSON adds 1.
// Units follow the kernel's printout: zone, node and buddy values in kB, counters and
// lowmem_reserve in pages (reference §2.11). Absent values are null, never undefined.

import type { CopyBlock } from './repeat-run';

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

/** memory.oom.group (4.19+): `Tasks in <path> are going to be killed due to memory.oom.group set`
 * (mm/memcontrol.c mem_cgroup_print_oom_group) after the victim's kill line, then one kill line per
 * task of that cgroup oom_kill_memcg_member kills (mm/oom_kill.c oom_kill_process). */
export interface OomGroupKill {
  line: number;
  /** The cgroup whose every task is killed, as printed. */
  path: string;
  /** The kill lines printed after it (the victim's own may come again: it is still a member). */
  kills: OomKill[];
}

/** What 5.x+ kill lines print after the rss fields: `, UID:%u pgtables:%lukB oom_score_adj:%hd`
 * (mm/oom_kill.c __oom_kill_process, K510 … K619, 7.1). */
export interface OomKillTail {
  uid: number | null;
  pgtablesKb: number | null;
  oomScoreAdj: number | null;
}

/** The line that names the task the OOM killer chose, before the kill line, 2.6.x–4.18
 * (mm/oom_kill.c oom_kill_process): `%s: Kill process %d (%s) score %d or sacrifice child`
 * (2.6.36+; `score %u` 4.x) and `%s: kill process %d (%s) score %li or a child` (2.6.24). The
 * victim may then be a child of this task (the `Killed process` line names it). */
export interface OomChosen {
  line: number;
  pid: number | null;
  comm: string;
  /** As printed: 3.8+ oom_badness points × 1000 / totalpages; 2.6.36–3.7 oom_badness itself
   * (0–1000); before 2.6.36 badness()'s unscaled points. */
  score: number | null;
}

/** One row of the OOM killer's task table (mm/oom_kill.c dump_tasks / dump_task), every value as
 * printed: memory in pages except `pgtables_bytes` (bytes); null where the release prints no such
 * column (or the row was cut before it). */
export interface OomTask {
  line: number;
  pid: number;
  uid: number | null;
  tgid: number | null;
  totalVmPages: number | null;
  /** get_mm_rss: anon + file + shmem pages. */
  rssPages: number | null;
  /** 6.x `rss_anon rss_file rss_shmem` (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES). */
  rssAnonPages: number | null;
  rssFilePages: number | null;
  rssShmemPages: number | null;
  /** 3.x–4.14 `nr_ptes`, 4.x `nr_pmds` (pages), 4.15+ `pgtables_bytes` (bytes). */
  nrPtes: number | null;
  nrPmds: number | null;
  pgtablesBytes: number | null;
  /** MM_SWAPENTS: pages of this task in swap (3.x+). */
  swapents: number | null;
  /** 2.6.x `cpu` and `oom_adj` columns. */
  cpu: number | null;
  oomAdj: number | null;
  oomScoreAdj: number | null;
  /** The comm (task->comm, at most 15 bytes), as printed. */
  name: string;
}

/** The task table (vm.oom_dump_tasks, on by default): its column header as printed and its rows. */
export interface OomTaskTable {
  /** The `[ pid ]   uid  tgid …` header line; null when only rows were seen. */
  line: number | null;
  /** The columns after `[ pid ]` as the header names them (`uid`, `tgid`, `total_vm`, `rss`, …,
   * `name`); when no header was seen, the layout the rows' number of values implies. */
  columns: string[];
  /** The header line ends before `name`: cut (a pager, a terminal). */
  headerCut: boolean;
  /** The header names a column no release prints (two names glued where a wrap was rejoined):
   * the rows' values cannot be named and are not read (pid and name only). */
  headerGarbled: boolean;
  /** `Tasks state (memory values in pages):` (4.19+) line, else null. */
  stateLine: number | null;
  tasks: OomTask[];
}

/** A memory cgroup's memory.stat as the OOM report prints it after `Memory cgroup stats for
 * <path>:` (mm/memcontrol.c): ≤5.x cgroup v1 on the same line as ` %s:%luKB` pairs
 * (mem_cgroup_print_oom_info / mem_cgroup_print_oom_meminfo, one line per cgroup of the
 * hierarchy), cgroup v2 (5.x+) and 6.x v1 as `%s %llu` lines after it (memory_stat_format: bytes
 * for sizes, counts for events). */
export interface MemcgStats {
  line: number;
  path: string;
  /** `kB` for the one-line v1 form, `bytes` for the line-per-key form. */
  unit: 'kB' | 'bytes';
  /** Every key with its value as printed, in printed order. */
  values: Record<string, number>;
  /** Last line of the block. */
  endLine: number;
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

/** A memory cgroup's page counter as a memcg OOM prints it: `memory: usage %llukB, limit %llukB,
 * failcnt %lu` and its siblings `memory+swap:`, `swap:` (cgroup v2), `kmem:`
 * (mem_cgroup_print_oom_info ≤4.18, mem_cgroup_print_oom_meminfo 4.19+, mm/memcontrol.c;
 * K2632 prints failcnt with %llu). */
export interface MemcgCounter {
  line: number;
  /** `memory`, `memory+swap`, `swap`, `kmem`. */
  name: string;
  usageKb: number | null;
  limitKb: number | null;
  failcnt: number | null;
}

/** How an OOM ended when nobody was killed (mm/oom_kill.c out_of_memory / check_panic_on_oom). */
export interface OomEnd {
  line: number;
  /** `Out of memory and no killable processes...`: select_bad_process found no victim (≤4.18 as
   * the panic message, 4.19+ a pr_warn before `System is deadlocked on memory`). */
  noKillable: boolean;
  /** vm.panic_on_oom made the kernel panic instead of killing: 1 (`system-wide`, ≤2.6.34
   * `panic_on_oom is selected`), 2 (`compulsory`); null when it did not. */
  panicOnOom: 1 | 2 | null;
  /** The kernel panicked: the message after `Kernel panic - not syncing: `, else null. */
  panic: string | null;
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

/**
 * The step of vmalloc that failed, from its message (mm/vmalloc.c per version):
 * - `size`: ≤5.12 `vmalloc: allocation failure: N bytes` (__vmalloc_node_range `fail:`): N is 0,
 *   larger than totalram_pages, or __get_vm_area_node found no area — the message does not say which;
 * - `too_large`: 5.13 `vmalloc size N allocation failure: exceeds total pages`, 5.14+
 *   `vmalloc error: size N, exceeds total pages`;
 * - `area`: 5.13/5.14+ `… vm_struct allocation failed` (__get_vm_area_node returned NULL: no free
 *   range in the vmalloc space, or the descriptors' kmalloc failed);
 * - `page_array`: 5.13/5.14+ `… page array size M allocation failed` / `failed to allocated page
 *   array size M` (the array of page pointers, before any page);
 * - `pages`: ≤5.12 `allocated X of Y bytes`, 5.13 `page order K allocation failed`, 5.14–6.3
 *   `page order K, failed to allocate pages`, 6.6+ `failed to allocate pages` (order 0 only);
 * - `map`: 5.13/5.14+ `failed to map pages` (every page allocated; vmap_pages_range failed).
 */
export type VmallocStep = 'size' | 'too_large' | 'area' | 'page_array' | 'pages' | 'map';

/** The line alloc_vmap_area (mm/vmalloc.c) prints when the vmalloc space has no free range:
 * 2.6.28–6.8 `vmap allocation for size N failed: use vmalloc=<size> to increase size`, by 6.13
 * `vmalloc_node_range for size N failed: Address range restricted to A - B`; 2.6.27 and earlier
 * (get_vm_area_node) `allocation failed: out of vmalloc space - use vmalloc=<size> to increase size.` */
export interface VmapFailed {
  line: number;
  /** The size it looked for (with the guard page), null for the ≤2.6.27 line. */
  bytes: number | null;
  /** The range restricted to (6.15+ text), else null. */
  range: string | null;
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
  /** vmalloc: the bytes requested, where the message prints them (≤5.12 `N bytes` and `of Y bytes`;
   * 5.13+ `size N` of `exceeds total pages`, `vm_struct allocation failed` and the page array). */
  vmallocBytes: number | null;
  /** vmalloc: the bytes of pages allocated before it failed (≤5.12 `allocated X`; 5.13+ the `size N`
   * of the page and map steps, which print area->nr_pages * PAGE_SIZE, mm/vmalloc.c __vmalloc_area_node). */
  vmallocAllocatedBytes: number | null;
  /** vmalloc: the step that failed, as the message names it (null: the message is cut before it). */
  vmallocStep: VmallocStep | null;
  /** vmalloc: the message as printed, from `vmalloc` to before `, mode:` (for the headline). */
  vmallocMessage: string | null;
  /** vmalloc: the line alloc_vmap_area printed just before the report (no free range of
   * the vmalloc address space), else null. */
  vmapFailed: VmapFailed | null;
  /** `page allocation stalls for Nms`. */
  stallMs: number | null;
  slub: SlubInfo | null;
  callTrace: StackFrame[];
  memInfoLine: number | null;
  /** A show_mem report: the line of the `SysRq : Show Memory` that asked for it (drivers/tty/sysrq.c
   * __handle_sysrq), else null. */
  showMemTrigger: number | null;
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
  /** The kill line's UID, page tables and oom_score_adj (5.x+), null when it prints none. */
  killedTail: OomKillTail | null;
  /** memory.oom.group's kills after the victim's (4.19+), null when not printed. */
  oomGroup: OomGroupKill | null;
  /** ≤4.18 `Kill process … score … or sacrifice child`: the task the OOM killer chose. */
  oomChosen: OomChosen | null;
  /** The OOM killer's task table (dump_tasks), null when the report prints none. */
  taskTable: OomTaskTable | null;
  /** `Memory cgroup stats for …` blocks of a memcg OOM, in printed order. */
  memcgStats: MemcgStats[];
  /** show_swap_cache_info: `%lu pages in swap cache`. */
  swapCachePages: number | null;
  /** `Swap cache stats: add %lu, delete %lu, find %lu/%lu` (≤5.x show_swap_cache_info). */
  swapCacheStats: { add: number; delete: number; findHits: number; findTotal: number } | null;
  /** The memory allocation profile __show_mem prints last (6.10+ CONFIG_MEM_ALLOC_PROFILING). */
  allocationProfile: AllocationProfile | null;
  /** OOM scope: 5.0+ `oom-kill:constraint=…` line, or the older memcg lines. */
  oomConstraint: OomConstraint | null;
  /** A memcg OOM's page counters (`memory: usage …kB, limit …kB, failcnt …`), in printed order. */
  memcgCounters: MemcgCounter[];
  /** The OOM ended without a kill (no killable process, or a panic); null otherwise. */
  oomEnd: OomEnd | null;
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

/** Where a copy block's reports stand among a reading's reports (ParsedLog.blocks). */
export interface CopyPlace {
  /** They come after reports[at - 1] and before reports[at]. */
  at: number;
  block: CopyBlock<Report>;
  /** The copies' reports it holds, in order (copy 0's, then copy 1's, …): `reports` of them from
   * the `from`-th (all of them but where an analysis stopped, or explains them in slices). */
  from: number;
  reports: number;
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
   * reader passes it, by index in `reports`; absent when the log was not read by TextScan (then
   * `kernelRelease` serves). An array beside `reports` rather than a Map keyed by report: a flood
   * of 100,000 copies paid a hash entry per report (issue #17). */
  banners?: readonly (string | null)[];
  /** By index in `reports`, for the reports that are copies of an earlier one (a repeated stretch
   * the reading took without reading it, repeat-run.ts): the report copied and the lines between
   * them; null for a report that was read. Absent when no report is a copy. */
  copies?: readonly ({ of: Report; lines: number } | null)[];
  /** Copies of repeated stretches left unmade (a reading that asked for blocks: the editor's,
   * TextScan `copyBlocks`), each placed among `reports`; their reports are not in `reports`. */
  blocks?: readonly CopyPlace[];
  /** Physical line from which the text was read as a quoted-printable mail body (RFC 2045 section 6.7,
   * quoted-printable.ts); absent when it was read as it is. */
  quotedPrintableFrom?: number;
}

/** Keys whose number is a 0-based line of the log (in the types above and analysis-types.ts). */
export const LINE_KEYS: ReadonlySet<string> = new Set([
  'line',
  'endLine',
  'startLine',
  'zoneLine',
  'buddyLine',
  'memInfoLine',
  'showMemTrigger',
  'stateLine',
]);
/** Keys whose array holds line numbers. */
export const LINE_ARRAY_KEYS: ReadonlySet<string> = new Set(['frameLines', 'lines']);
