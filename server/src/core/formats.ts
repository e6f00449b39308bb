// The kernel's printk formats for memory reports, as data: one recogniser per kind of line, and the
// field vocabulary of the Mem-Info dump across eras (reference §2, §7). The parser never matches a
// format anywhere else, so supporting a new kernel is an edit to this table: a row says how a kind
// of line is recognised, where it stands in a report, whether it ends one and which ReportBuilder
// method reads it.

import type { ReportBuilder, ReportLine } from './report-builder';

/** Kinds of kernel line that belong to a memory report. */
export type LineKind =
  | 'page_alloc_header'
  | 'alloc_stall_header'
  | 'vmalloc_header' // 4.9+: `comm: vmalloc: allocation failure: …, mode:` / 5.15+ `vmalloc error:`
  | 'vmalloc_caller' // ≤4.8: `vmalloc: allocation failure, allocated X of Y bytes` (header follows)
  | 'vmap_failed' // alloc_vmap_area: `vmap allocation for size N failed: …` (before a vmalloc header)
  | 'oom_header'
  | 'slub_header'
  | 'show_mem_trigger' // `SysRq : Show Memory`
  | 'suppressed'
  | 'header_piece' // a header's pr_cont piece printed on a line of its own (`, mode:…`, `(null)`, `,cpuset=…`)
  | 'task' // `Pid: …, comm:` / `CPU: … PID: … Comm:`
  | 'hardware'
  | 'process' // s390 `Process comm (pid: N, task: …)`
  | 'cpuset'
  | 'trace_start'
  | 'context_marker' // <IRQ> <EOI> <TASK> </TASK> <NMI> …
  | 'frame'
  | 'register'
  | 'stack_words'
  | 'mem_info'
  | 'per_cpu_zone'
  | 'per_cpu'
  | 'free_pages_total' // 2.6.18 `Free pages: …`
  | 'counters' // Mem-Info summary, pages
  | 'node'
  | 'zone'
  | 'lowmem_reserve'
  | 'buddy'
  | 'hugepages'
  | 'pagecache'
  | 'swap_cache'
  | 'swap'
  | 'ram'
  | 'alloc_profile' // 6.10+ `Memory allocations[ (profiling is currently turned on|off)]:`
  | 'alloc_tag' // 6.10+ one of its rows: `%12s %8llu %s:%u [%s] func:%s`
  | 'memcg_protection' // 6.19+ `Memory cgroup min protection %lukB -- low protection %lukB`
  | 'slab_info' // 4.19+ unreclaimable slab table, `Tasks state`, task table rows
  | 'oom_table'
  | 'oom_summary' // `oom-kill:constraint=…`
  | 'oom_kill_line' // `Killed process …`
  | 'oom_memcg_counter' // `memory: usage …kB, limit …kB, failcnt …` (memcg OOM)
  | 'oom_end' // `Out of memory and no killable processes...`, the OOM killer's `Kernel panic - not syncing:`
  | 'oom_memcg_stats' // `Memory cgroup stats for /path:` (+ ≤5.x v1 ` key:NKB` pairs)
  | 'oom_memcg_stat' // one `key value` line of the memory.stat block (cgroup v2, 6.x v1)
  | 'oom_misc' // `Out of memory: Kill process … or sacrifice child`, `oom_reaper:`, memcg lines
  | 'slub_cache'
  | 'slub_node';

const HEX = '0x[0-9a-fA-F*]+';

/** The keys memory_stat_format prints in an OOM report's memory.stat block, `%s %llu` (mm/memcontrol.c
 * K510 memory_stats[] + pgfault … thp_collapse_alloc; K68/K715 memory_stats[], memcg_vm_event_stat[]
 * and memcg1_stat_format's v1 names, `total_`-prefixed hierarchy sums, hierarchical_*_limit). A
 * line of one of them and a number, nothing else. MEMCG_SIZE_KEYS are the sizes among them (≤5.x
 * v1 `%luKB` pairs and memory_stat_format's bytes), the rest are event counts and hierarchy sums. */
export const MEMCG_SIZE_KEYS: readonly string[] = (
  'anon|file|kernel|kernel_stack|pagetables|sec_pagetables|percpu|sock|vmalloc|shmem|zswap|zswapped|' +
  'file_mapped|file_dirty|file_writeback|swapcached|anon_thp|file_thp|shmem_thp|inactive_anon|' +
  'active_anon|inactive_file|active_file|unevictable|slab_reclaimable|slab_unreclaimable|slab|' +
  'hugetlb|cache|rss|rss_huge|mapped_file|dirty|writeback|swap'
).split('|');
const MEMCG_STAT_KEYS = [
  ...MEMCG_SIZE_KEYS,
  'workingset_[a-z_]+|pg[a-z_]+|thp_[a-z_]+|zswp[a-z]+|numa_[a-z_]+|hierarchical_mem(?:ory|sw)_limit|total_[a-z_]+',
].join('|');
const MEMCG_STAT_LINE = new RegExp(`^\\s*(?<key>${MEMCG_STAT_KEYS}) (?<value>\\d+)\\s*$`);
// Header lines start with the task's comm. Written so that a run of spaces is never split more
// than one way: the leading blanks are taken whole (a lookahead cannot be backtracked into), the
// comm starts and ends with a non-blank (or is empty, tried first), and the blanks and colon after
// it are read once. The plain `^\s*(?<comm>.*?):?\s*` split a run of k blanks between the three
// k² ways per position: a 4 KiB line of blanks ending in `failure` took 20 s, 16 KiB twenty minutes.
const LEAD = '^(?=(\\s*))\\1';
const COMM = (name: string): string => `(?<${name}>(?:\\S(?:.*?\\S)??)??)`;
const COMM_SEP = `${COMM('comm')}(?:\\s*:)?\\s*`;
// `(%pGg)` after a mask: lib/vsprintf.c flags_string/format_flags prints the flag names joined by
// `|` (leftover bits as `0x…`), so a line that ends inside them, with no `)`, was cut there (a pager,
// a terminal): `gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|_0`. Its text is then `namesCut`, not what
// the kernel printed (the last name may be a piece of a longer one), and the mask before it is
// whole (the `(` follows its last digit).
const NAMES = '(?:\\((?<names>[^)]*)\\)|\\((?<namesCut>[\\w|]*)\\s*$)?';
// Where a header's fields stop before its format does: the line ends there (a cut, or the rest came
// as a pr_cont piece), goes on with the format's next `,` (cut inside the next field), or goes on
// with what is provably another CPU's record: a call-trace entry `[<%p>] %pS` (`[<hex>] fn+0x…/0x…`,
// x86 printk_address ≤4.14) that printk glued after the unfinished header (4.9-rc8:
// `page allocation stalls for 220003ms, order:0 [<ffffffff81226c20>] __do_fault+0x80/0x130`, whose
// `, mode:` piece never came). Any other text is not this header. (The frame's name is one run of
// `[\w.$]`, which cannot hold the `+` after it: one way to read it.)
const GLUED_FRAME = '\\[<[0-9a-fA-F]+>\\]\\s*(?:\\?\\s)?[A-Za-z_.$][\\w.$]*\\+0x[0-9a-fA-F]+\\/0x';
const CUT = `(?=\\s*(?:,|$|${GLUED_FRAME}))`;
/** Another CPU's call-trace entry glued after a header's last field (see CUT): not the header's text. */
export const FRAME_AFTER_HEADER = new RegExp(`^\\s*${GLUED_FRAME}`);
const TAIL = `(?:,?\\s*nodemask=(?<nodemask>\\(null\\)|\\d[\\d-]*(?:,\\d[\\d-]*)*|))?(?:,\\s*cpuset=(?<cpuset>[^,\\s]*),\\s*mems_allowed=(?<mems>[\\d,-]*))?`;

/** Where a kind of line stands in a report. `header`: it opens a report (or, `suppressed` and the
 * SysRq trigger, comes right before one) and LogScanner handles it itself; `preamble` (task,
 * hardware, cpuset), `trace` (the call trace and what the unwinder prints around it), `dump`
 * (show_mem's Mem-Info, per-cpu, node, zone, buddy and hugepage lines), `tail` (show_mem's last
 * lines: pagecache, swap, `pages RAM`) and `oom` (the OOM killer's own lines) are a report's body;
 * `slub` lines belong to the SLUB report open beside it (mm/slub.c slab_out_of_memory); `piece`: the
 * rest of a header that the kernel printed with pr_cont and another CPU's line split from it
 * (HEADER_PIECES), read into the header only while LogScanner expects that piece. */
export type Section = 'header' | 'piece' | 'preamble' | 'trace' | 'dump' | 'tail' | 'oom' | 'slub';

/** The scanner state a body line changes (LogScanner.belongs). `task`: the task line gives the
 * report its pid, and a second task line belongs to another report; `process`: s390's `Process`
 * line gives the pid when the task line did not; `dump`: the memory dump has begun (frames no
 * longer belong); `zone`: the same, and the zones are counted; `summary`: the Mem-Info counters,
 * which come after `Mem-Info:` and before the first zone line (mm/page_alloc.c show_free_areas). */
export type Tracks = 'task' | 'process' | 'dump' | 'zone' | 'summary';

/** Stores what a line of this kind says in the report being built (report-builder.ts). */
export type LineReader = (builder: ReportBuilder, line: ReportLine, match: RegExpExecArray) => void;

/** What a report's last line ends: the Mem-Info dump (every kind but an OOM kill) or an OOM kill. */
export type LineEnd = 'dump' | 'oom';

/**
 * The pieces a header printed with pr_cont can be split into. Without printk caller ids a line of
 * another CPU can come between two pr_cont calls, and the rest of the header then stands on a
 * line of its own (printk flushes the unfinished line first). Each piece is a `header_piece` row:
 * - `mode`: 4.9–4.14 warn_alloc `pr_cont(", mode:%#x(%pGg)\n")` (4.9, 4.10) and
 *   `pr_cont(", mode:%#x(%pGg), nodemask=")` (4.11–4.14) after `pr_warn("%s: ")` + `pr_cont("%pV")`
 *   (K49 K410 K411 K414 mm/page_alloc.c warn_alloc);
 * - `nodemask`: the node list or `(null)` pr_cont'ed after `nodemask=` (4.11–4.14 warn_alloc; 4.11–4.14
 *   dump_header, which goes on with `,  order=%d, oom_score_adj=%hd\n`, K411 K414 mm/oom_kill.c);
 * - `order`: dump_header's `pr_cont(",  order=%d, oom_score_adj=%hd\n")` (4.11–4.14);
 * - `cpuset`: 5.0+ cpuset_print_current_mems_allowed `pr_cont(",cpuset=")` + the cgroup name +
 *   `pr_cont(",mems_allowed=%*pbl")` after warn_alloc's header (K510 kernel/cgroup/cpuset.c).
 * 4.15 printed warn_alloc's and dump_header's headers with one pr_warn again (ref §2.1, §7).
 */
export type HeaderPiece = 'mode' | 'nodemask' | 'order' | 'cpuset';

/** Which header a row reads, as the kernel prints it. `required`: the fields every release prints
 * after the row's anchor text (a header without one was cut, or split and its piece not found:
 * the field stays null and the analysis says so). `maskNeverLast`: every release prints something
 * after the mask (`(%pGg)` names on 4.9+ warn_alloc headers, `, order=` or names on OOM headers), so
 * a mask that ends the line may have lost digits to the cut and is not read. `pieces`: the
 * printk call sequence whose pr_cont pieces (HeaderPiece) may follow on later lines. */
export interface HeaderShape {
  required: readonly ('order' | 'mode')[];
  maskNeverLast: boolean;
  pieces: 'warn_alloc' | 'dump_header' | null;
}

/** What a header (and the pieces read into it so far) printed, for `nextPiece`. */
export interface PrintedHeader {
  mode: boolean;
  order: boolean;
  /** `nodemask=` printed without its value. */
  nodemaskOpen: boolean;
  nodemask: boolean;
  cpuset: boolean;
}

/** The piece that may still come for a header, in the order the kernel prints them (HeaderPiece);
 * null when nothing can. */
export function nextPiece(pieces: HeaderShape['pieces'], h: PrintedHeader): HeaderPiece | null {
  if (pieces === 'warn_alloc') {
    if (!h.mode) return 'mode';
    if (h.nodemaskOpen) return 'nodemask';
    // 5.0+: the cpuset pieces follow a header that printed its nodemask in the same pr_warn
    return h.nodemask && !h.cpuset ? 'cpuset' : null;
  }
  if (pieces === 'dump_header') {
    if (!h.mode) return null; // the mask was cut: nothing after it was printed on this line
    if (h.nodemaskOpen) return 'nodemask';
    return h.order ? null : 'order';
  }
  return null;
}

/** The match's mask ends the line: nothing (but blanks) after its digits. */
export function maskEndsLine(m: RegExpExecArray, text: string): boolean {
  const mode = m.groups?.mode;
  if (mode === undefined || !m[0].endsWith(mode)) return false;
  for (let i = m.index + m[0].length; i < text.length; i++)
    if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return false;
  return true;
}

/** What a header or piece match printed (groups of the header and piece rows); a mask that may be
 * cut (HeaderShape.maskNeverLast) was not printed whole. */
export function printedHeader(
  m: RegExpExecArray,
  text: string,
  shape: HeaderShape | undefined,
  before: PrintedHeader | null,
): PrintedHeader {
  const g = m.groups ?? {};
  const h = before ?? { mode: false, order: false, nodemaskOpen: false, nodemask: false, cpuset: false };
  const nodemask = g.nodemask;
  const cut = shape?.maskNeverLast === true && maskEndsLine(m, text);
  return {
    mode: h.mode || (g.mode !== undefined && !cut),
    order: h.order || g.order !== undefined,
    nodemaskOpen: nodemask === '' || (h.nodemaskOpen && nodemask === undefined),
    nodemask: h.nodemask || (nodemask !== undefined && nodemask !== ''),
    cpuset: h.cpuset || g.cpuset !== undefined || g.mems !== undefined,
  };
}

/** One kind of kernel line: how it is recognised, where it stands in a report and how its values
 * are read. A new printk format is one of these. */
export interface LineFormat {
  kind: LineKind;
  section: Section;
  /** What the builder reads of it; null: part of the report, nothing to read (or, for headers the
   * scanner handles, nothing the builder is told). Body lines are read with `ReportBuilder.body`,
   * headers with `header`, SLUB lines with `slubLine`. */
  read: LineReader | null;
  tracks?: Tracks;
  /** The line is the last one the kernel prints for a report (the next unrelated line then closes
   * it): `dump` for every report but an OOM kill (show_mem ends with the swap totals and `pages
   * RAM`, mm/show_mem.c), `oom` for an OOM kill (`Killed process`, mm/oom_kill.c). */
  ends?: LineEnd;
  /** A line the kernel prints (test/core/formats.test.ts checks that it is read as this kind and,
   * for a header, that the CLI's anchors find it). */
  sample?: string;
  /** A header row: what its header must print and which pr_cont pieces may complete it. */
  header?: HeaderShape;
  /** A `header_piece` row: which piece of a header it is. */
  piece?: HeaderPiece;
  /** The characters the line can start with (after indentation). */
  first?: string;
  /** A substring every match contains. */
  needs?: string;
  re: RegExp;
}

// The headers' shapes (HeaderShape). ≤4.5 page allocation failure headers end with the mask
// (`mode:0x%x`), so only the 4.9+ stall and vmalloc headers (names always follow) and the OOM
// header (`, order=` always follows) know a mask at the line's end may be cut.
const WARN_ALLOC_HEADER: HeaderShape = {
  required: ['order', 'mode'],
  maskNeverLast: false,
  pieces: 'warn_alloc',
};
const STALL_HEADER: HeaderShape = { required: ['order', 'mode'], maskNeverLast: true, pieces: 'warn_alloc' };
const VMALLOC_HEADER: HeaderShape = { required: ['mode'], maskNeverLast: true, pieces: 'warn_alloc' };
const OOM_HEADER: HeaderShape = { required: ['mode', 'order'], maskNeverLast: true, pieces: 'dump_header' };

/** The rows as the hot paths read them (classifyLine, LogScanner.belongs, ReportBuilder.body):
 * every field present, in one order, so that V8 gives all rows one hidden class and the property
 * loads on every line stay monomorphic. (The table as written has a dozen combinations of optional
 * fields: megamorphic loads per line.) */
function oneShape(rows: readonly LineFormat[]): readonly LineFormat[] {
  // (every key of LineFormat must be listed: a field added to the interface and not here fails to compile)
  return rows.map((r): { [K in keyof Required<LineFormat>]: LineFormat[K] } => ({
    kind: r.kind,
    section: r.section,
    read: r.read,
    tracks: r.tracks,
    ends: r.ends,
    sample: r.sample,
    header: r.header,
    piece: r.piece,
    first: r.first,
    needs: r.needs,
    re: r.re,
  }));
}

/** Recognisers, most specific first. Each is anchored at the payload start (after framing).
 * Two cheap guards run before a regex: `first`, the characters the line can start with (after
 * indentation), and `needs`, a substring every match contains (a native search) — so lines of
 * other messages skip the costlier regexes, most of all the header forms whose comm is `.*?`. */
export const LINE_FORMATS: readonly LineFormat[] = oneShape([
  // ref §2.1: `%s: page allocation failure. order:%d, mode:0x%x` (≤2.6.39, period) and
  // `%s: page allocation failure: order:%u, mode:%#x(%pGg)[, nodemask=…][,cpuset=…,mems_allowed=…]`.
  {
    kind: 'page_alloc_header',
    section: 'header',
    read: (b, line, m) => b.readHeader(line, m, WARN_ALLOC_HEADER),
    header: WARN_ALLOC_HEADER,
    sample: 'swapper/0: page allocation failure: order:2, mode:0x104020',
    needs: 'failure',
    // the mode and what follows it may be missing: cut by a pager, or a pr_cont piece (4.9–4.14)
    re: new RegExp(
      `${LEAD}${COMM_SEP}(?:page\\s*allocation|vmemmap\\s*alloc)\\s*failure[.:]?\\s*order:\\s*(?<order>\\d+)(?:,?\\s*mode:\\s*(?<mode>${HEX})${NAMES}${TAIL}|${CUT})`,
    ),
  },
  {
    kind: 'alloc_stall_header',
    section: 'header',
    read: (b, line, m) => b.readHeader(line, m, STALL_HEADER),
    header: STALL_HEADER,
    sample: 'kswapd0: page allocation stalls for 10104ms, order:0, mode:0x24200ca(GFP_HIGHUSER_MOVABLE)',
    needs: 'stalls',
    re: new RegExp(
      `${LEAD}${COMM_SEP}page\\s*allocation\\s*stalls\\s*for\\s*(?<ms>\\d+)ms,\\s*order:\\s*(?<order>\\d+)(?:,?\\s*mode:\\s*(?<mode>${HEX})${NAMES}${TAIL}|${CUT})`,
    ),
  },
  // ref §2.1: 4.9–5.12 `%s: vmalloc: allocation failure: %lu bytes, mode:…` (and `allocated X of Y`);
  // 5.13 `%s: vmalloc size %lu allocation failure: <step>, mode:…`; 5.14+ `%s: vmalloc error: size
  // %lu, <step>, mode:…` (mm/vmalloc.c __vmalloc_area_node / __vmalloc_node_range; the step is read
  // by vmalloc.ts vmallocStepOf). (`(?!\d)`: the numbers are not given back digit by
  // digit to the lazy `[^\n]*?`, which rescanned the line for each: quadratic in a long number.)
  {
    kind: 'vmalloc_header',
    section: 'header',
    read: (b, line, m) => b.readHeader(line, m, VMALLOC_HEADER),
    header: VMALLOC_HEADER,
    sample:
      'insmod: vmalloc: allocation failure: 1099511627776 bytes, mode:0xcc0(GFP_KERNEL), nodemask=(null)',
    needs: 'vmalloc',
    // Without its mode (cut, or a 4.9–4.14 pr_cont piece) it is still this header, except for the
    // ≤4.8 caller line that vmalloc_caller reads (no comm, nothing after `bytes`).
    re: new RegExp(
      `${LEAD}(?!vmalloc: allocation failure(?:: \\d+ bytes|, allocated \\d+ of \\d+ bytes)\\s*$)${COMM_SEP}vmalloc(?::\\s*allocation\\s*failure(?::\\s*(?<bytes>\\d+)\\s*bytes|,\\s*allocated\\s*(?<allocated>\\d+)\\s*of\\s*(?<bytes2>\\d+)\\s*bytes)|\\s*error:\\s*size\\s*(?<size>\\d+)(?!\\d)(?:,\\s*page order\\s*(?<order>\\d+)(?!\\d))?|\\s+size\\s*(?<size2>\\d+)(?!\\d)\\s*allocation\\s*failure:(?:\\s*page order\\s*(?<order2>\\d+)(?!\\d))?)(?:[^\\n]*?,\\s*mode:\\s*(?<mode>${HEX})${NAMES}${TAIL}|${CUT})`,
    ),
  },
  {
    kind: 'vmalloc_caller',
    section: 'header',
    read: (b, line, m) => b.readHeader(line, m),
    sample: 'vmalloc: allocation failure, allocated 4096 of 8192 bytes',
    needs: 'vmalloc',
    re: /^\s*vmalloc: allocation failure(?:: (?<bytes>\d+) bytes|, allocated (?<allocated>\d+) of (?<bytes2>\d+) bytes)\s*$/,
  },
  // alloc_vmap_area (mm/vmalloc.c) when the vmalloc space has no free range, printed just before
  // the vmalloc failure it causes: 2.6.28–6.8 `vmap allocation for size %lu failed: use
  // vmalloc=<size> to increase size` (2.6.28–2.6.3x with a final `.`), 6.13 `vmalloc_node_range for
  // size %lu failed: Address range restricted to %#lx - %#lx`; 2.6.24 get_vm_area_node `allocation
  // failed: out of vmalloc space - use vmalloc=<size> to increase size.`
  {
    kind: 'vmap_failed',
    section: 'header',
    read: (b, line, m) => b.readVmapFailed(line, m),
    sample: 'vmap allocation for size 20480 failed: use vmalloc=<size> to increase size',
    needs: 'failed',
    re: /^\s*(?:vmap allocation for size (?<bytes>\d+)(?!\d) failed: use vmalloc=|vmalloc_node_range for size (?<bytes2>\d+)(?!\d) failed: Address range restricted to (?<range>0x[0-9a-f]+ - 0x[0-9a-f]+)|allocation failed: out of vmalloc space)/,
  },
  // ref §7: 2.6.32+ `%s invoked oom-killer: gfp_mask=%#x[(%pGg)], [nodemask=…, ]order=%d, oom_(score_)adj=%hd`,
  // 2.6.18 `oom-killer: gfp_mask=0x%x, order=%d`.
  {
    kind: 'oom_header',
    section: 'header',
    read: (b, line, m) => b.readHeader(line, m, OOM_HEADER),
    header: OOM_HEADER,
    sample: 'stress invoked oom-killer: gfp_mask=0x280da, order=0, oom_score_adj=0',
    needs: 'oom-killer',
    // the order and what follows may be missing: cut by a pager, or 4.11–4.14 pr_cont pieces
    re: new RegExp(
      `${LEAD}(?:${COMM('comm')}\\s+invoked\\s+|(?<=\\s)invoked\\s+)?oom-killer:\\s*gfp_mask=(?<mode>${HEX})${NAMES}(?:,?\\s*nodemask=(?<nodemask>\\(null\\)|\\d[\\d-]*(?:,\\d[\\d-]*)*|))?(?:,?\\s*order=(?<order>-?\\d+)(?:,\\s*oom_(?:score_)?adj=(?<adj>-?\\d+))?|${CUT})`,
    ),
  },
  // mm/slub.c slab_out_of_memory: `SLUB: Unable to allocate memory on node %d, gfp=%#x(%pGg)`
  // (older: `… on node %d (gfp=0x%x)`); 6.12+ names the CPU first: `… on CPU %u (of node %d) on node
  // %d, gfp=…` ("mm, slub: print CPU id (and its node) on slab OOM", 2024-08; absent in 6.8.1,
  // present in 6.13.7 … 7.1.5). The last node is the one asked for, as before.
  {
    kind: 'slub_header',
    section: 'header',
    read: (b, line, m) => b.readSlubHeader(line, m),
    sample: 'SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
    needs: 'SLUB',
    re: new RegExp(
      `^\\s*SLUB: Unable to allocate memory on (?:CPU (?<cpu>\\d+) \\(of node -?\\d+\\) on )?node (?<node>-?\\d+)\\s*[,(]\\s*gfp=(?<mode>${HEX})${NAMES}`,
    ),
  },
  {
    kind: 'show_mem_trigger',
    section: 'header',
    read: null,
    sample: 'sysrq: Show Memory',
    first: 'sS',
    needs: 'Show Memory',
    re: /^\s*(?:sysrq: |SysRq : )+Show Memory/,
  },
  {
    kind: 'suppressed',
    section: 'header',
    read: null,
    sample: 'warn_alloc: 5 callbacks suppressed',
    needs: 'suppressed',
    re: /^\s*(?<source>[\w.]+): (?<count>\d+) (?:callbacks|messages) suppressed/,
  },
  // ref §1.5: ≤3.9 `Pid: %d, comm: %.20s %s %s %.*s`; 3.10+ `CPU: %d [UID: %u ]PID: %d Comm: %.20s …`.
  {
    kind: 'task',
    section: 'preamble',
    read: (b, line, m) => b.readTask(line, m),
    sample: 'CPU: 1 PID: 7283 Comm: stress Not tainted 4.15.0-55-generic #60-Ubuntu',
    tracks: 'task',
    first: 'PC',
    needs: 'ainted',
    // comm and the taint flags end on a non-blank, so a run of blanks after them is read once (see LEAD)
    re: new RegExp(
      `^\\s*(?:Pid: (?<pid>\\d+), comm: (?=(?<blank>\\s*))\\k<blank>${COMM('comm')}|CPU: (?<cpu>\\d+) (?:(?:UID: \\d+ )?PID: (?<pid2>\\d+) Comm: (?=(?<blank2>\\s*))\\k<blank2>${COMM('comm2')})?)\\s*(?:Kdump: loaded\\s+)?(?<taint>Not tainted|Tainted: (?:[A-Z\\s-]*?[A-Z-])??)(?:\\s+(?<release>\\d+\\.\\d+[^\\s]*))?(?:\\s+#|\\s*$)`,
    ),
  },
  {
    kind: 'hardware',
    section: 'preamble',
    read: (b, _line, m) => b.readHardware(m),
    sample: 'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.10.2-1ubuntu1 04/01/2014',
    first: 'H',
    needs: 'Hardware name',
    re: /^\s*Hardware name: (?<hw>.*)$/,
  },
  // s390: `Process %s (pid: %d, task: …)` after a `CPU: n Not tainted …` line.
  {
    kind: 'process',
    section: 'preamble',
    read: (b, line, m) => b.readProcess(line, m),
    sample: 'Process kworker/0:1 (pid: 27, task: 000000003f0b8000, ksp: 000000003f0bb7d8)',
    tracks: 'process',
    first: 'P',
    needs: 'Process ',
    re: /^\s*Process (?<comm>\S+) \(pid: (?<pid>\d+), task:/,
  },
  // 4.11–4.20: `%s cpuset=%s mems_allowed=%*pbl` on its own line after the header (ref §1.4).
  {
    kind: 'cpuset',
    section: 'preamble',
    read: (b, line, m) => b.readCpuset(line, m),
    sample: 'stress cpuset=/ mems_allowed=0',
    needs: 'cpuset=',
    re: /^\s*(?<comm>\S.*?) cpuset=(?<cpuset>\S*) mems_allowed=(?<mems>[\d,-]*)\s*$/,
  },
  {
    kind: 'trace_start',
    section: 'trace',
    read: (b, line) => b.readFrames(line),
    sample: 'Call Trace:',
    first: 'CBSE',
    re: /^\s*(?:Call Trace:|Call trace:|Backtrace:|Stack :|Stack:|Exception stack)/,
  },
  {
    kind: 'context_marker',
    section: 'trace',
    read: (b, line) => b.readContextMarker(line),
    sample: '<IRQ>',
    first: '<',
    re: /^\s*<\/?(?:IRQ|EOI|TASK|NMI|SOFTIRQ)>\s*$/,
  },
  {
    kind: 'mem_info',
    section: 'dump',
    read: (b, line) => b.readMemInfo(line),
    tracks: 'dump',
    sample: 'Mem-Info:',
    first: 'M',
    re: /^\s*Mem-[Ii]nfo:/,
  },
  {
    kind: 'per_cpu_zone',
    section: 'dump',
    read: null,
    sample: 'Node 0 DMA32 per-cpu:',
    tracks: 'dump',
    needs: 'per-cpu',
    re: /^\s*(?:Node (?<node>\d+),? )?(?<zone>[A-Z][A-Za-z0-9]*) per-cpu:/,
  },
  {
    kind: 'per_cpu',
    section: 'dump',
    read: (b, line, m) => b.readPerCpu(line, m),
    sample: 'CPU    0: hi:  186, btch:  31 usd:  30',
    first: 'Cc',
    re: /^\s*(?:CPU\s+(?<cpu>\d+): hi:\s*(?<high>\d+), btch:\s*(?<batch>\d+) usd:\s*(?<used>\d+)|cpu (?<cpu2>\d+) (?:hot|cold): high (?<high2>\d+), batch (?<batch2>\d+) used:\s*(?<used2>\d+))/,
  },
  {
    kind: 'free_pages_total',
    section: 'dump',
    read: null,
    sample: 'Free pages:       13364kB (0kB HighMem)',
    first: 'F',
    re: /^\s*Free pages:\s+\d+kB/,
  },
  {
    kind: 'node',
    section: 'dump',
    read: (b, line, m) => b.readNode(line, m),
    sample: 'Node 0 active_anon:1519076kB inactive_anon:4468kB active_file:168kB',
    tracks: 'dump',
    first: 'N',
    re: /^\s*Node (?<node>\d+),? active_anon:/,
  },
  // ref §2.5: `[Node %d ]%s free:%lukB …`; a mail-reflowed line may have lost the space after the name.
  {
    kind: 'zone',
    section: 'dump',
    read: (b, line, m) => b.readZone(line, m),
    sample: 'Node 0 Normal free:11212kB min:11280kB low:14100kB high:16920kB',
    tracks: 'zone',
    first: 'NDHM',
    needs: 'free:',
    re: /^\s*(?:Node (?<node>\d+),? )?(?<zone>DMA32|DMA|Normal|HighMem|Highmem|Movable|Device) ?free:\s*\d/,
  },
  {
    kind: 'lowmem_reserve',
    section: 'dump',
    read: (b, line) => b.readLowmemReserve(line),
    sample: 'lowmem_reserve[]: 0 1842 1842 1842',
    first: 'l',
    re: /^\s*lowmem_reserve\[\]:/,
  },
  {
    kind: 'buddy',
    section: 'dump',
    read: (b, line, m) => b.readBuddy(line, m),
    sample: 'Node 0 Normal: 45*4kB (UME) 43*8kB (UME) 1*16kB (M) 0*32kB = 1104kB',
    tracks: 'dump',
    first: 'NDHM',
    re: /^\s*(?:Node (?<node>\d+),? )?(?<zone>DMA32|DMA|Normal|HighMem|Highmem|Movable|Device): (?:\d+\s*\*\s*\d+kB|empty)/,
  },
  {
    kind: 'hugepages',
    section: 'dump',
    read: (b, line, m) => b.readHugepages(line, m),
    sample: 'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
    first: 'N',
    needs: 'hugepages_total',
    re: /^\s*Node (?<node>\d+) hugepages_total=(?<total>\d+) hugepages_free=(?<free>\d+) hugepages_surp=(?<surp>\d+) hugepages_size=(?<size>\d+)kB/,
  },
  {
    kind: 'pagecache',
    section: 'tail',
    read: (b, line, m) => b.readPagecache(line, m),
    sample: '4312 total pagecache pages',
    first: '0123456789',
    re: /^\s*(?<n>\d+) total pagecache pages/,
  },
  // mm/swap_state.c show_swap_cache_info (called by show_mem, 2.6.x–6.x): `%lu pages in swap
  // cache`, then ≤5.x `Swap cache stats: add %lu, delete %lu, find %lu/%lu` (2.6.18 `Swap cache:
  // add …`), then the swap totals (the `swap` row).
  {
    kind: 'swap_cache',
    section: 'tail',
    read: (b, line, m) => b.readSwapCache(line, m),
    sample: 'Swap cache stats: add 2431, delete 2405, find 27/40',
    first: '0123456789S',
    re: /^\s*(?:(?<pages>\d+) pages in swap cache|Swap cache (?:stats: |: (?=add))(?:add (?<add>\d+), delete (?<del>\d+), find (?<hit>\d+)\/(?<find>\d+))?)/,
  },
  {
    kind: 'swap',
    section: 'tail',
    read: (b, line, m) => b.readSwap(line, m),
    sample: 'Free swap  = 0kB',
    ends: 'dump',
    first: 'FT',
    re: /^\s*(?<which>Free|Total) swap\s*[=:]\s*(?<kb>-?\d+)\s*kB/,
  },
  {
    kind: 'ram',
    section: 'tail',
    read: (b, line, m) => b.readRam(line, m),
    sample: '524157 pages RAM',
    ends: 'dump',
    first: '0123456789',
    re: /^\s*(?<n>\d+) (?:(?<ram>pages RAM|pages of RAM)|(?<highmem>pages of HIGHMEM|pages HighMem\/MovableOnly|pages HighMem)|(?<reserved>pages reserved|reserved pages)|pages shared|pages non-shared|(?<cma>pages cma reserved)|pages hwpoisoned|pages in pagetable cache|pages swap cached)/,
  },
  // ref §2.12: 6.10+ (CONFIG_MEM_ALLOC_PROFILING, lib/alloc_tag.c): __show_mem (mm/show_mem.c)
  // ends with the ten biggest allocation sites, after `pages hwpoisoned`: `pr_notice("Memory
  // allocations:\n")` (6.10–6.17; present in 6.13.7, 6.14.0, 6.17.0), `Memory allocations
  // (profiling is currently turned %s):` with on/off (6.18+; present in 6.18.2 … 7.1.5). Still the
  // report's dump: an OOM kill prints its task table after it, a page allocation failure ends with it.
  {
    kind: 'alloc_profile',
    section: 'tail',
    read: (b, line, m) => b.readAllocProfile(line, m),
    sample: 'Memory allocations (profiling is currently turned on):',
    first: 'M',
    needs: 'Memory allocations',
    re: /^\s*Memory allocations(?: \(profiling is currently turned (?<state>on|off)\))?:\s*$/,
  },
  // Each row: `pr_notice("%12s %8llu %s:%u [%s] func:%s\n", bytes, calls, file, line, module, func)`
  // (the module only for a module's tag); bytes by string_get_size(…, STRING_UNITS_2) into 10
  // characters: `%u[.%0Nu] <Ki|Mi|Gi…>B` with three significant digits, e.g. `1.16 GiB`, `412 MiB`.
  {
    kind: 'alloc_tag',
    section: 'tail',
    read: (b, line, m) => b.readAllocTag(line, m),
    sample: '    1.16 GiB   304128 mm/page_alloc.c:5136 func:alloc_pages_mpol',
    first: '0123456789',
    needs: ' func:',
    re: /^\s*(?<size>\d+(?:\.\d+)? (?:[KMGTPEZY]i|UNK)?B) +(?<calls>\d+) (?<file>[^\s:]+):(?<lineno>\d+) (?:\[(?<module>[^\]\s]+)\] )?func:(?<func>\S+)/,
  },
  // ref §2.12: 6.19+ mm/memcontrol.c mem_cgroup_show_protected_memory, called by
  // warn_alloc_show_mem right after __show_mem and by the OOM killer's dump_header before the task
  // table (absent in 6.18.2, present in 6.19.0 … 7.1.5; cgroup v2 only):
  // `Memory cgroup min protection %lukB -- low protection %lukB`.
  {
    kind: 'memcg_protection',
    section: 'tail',
    read: null,
    sample: 'Memory cgroup min protection 0kB -- low protection 0kB',
    first: 'M',
    needs: 'min protection',
    re: /^\s*Memory cgroup min protection \d+kB -- low protection \d+kB/,
  },
  {
    kind: 'slab_info',
    section: 'oom',
    read: (b, line, m) => b.readSlabInfo(line, m),
    sample: 'Unreclaimable slab info:',
    first: 'UNTC',
    re: /^\s*(?:Unreclaimable slab info:|Name\s+Used\s+Total|Tasks state \(memory values in pages\):|Task in (?<taskMemcg>\S+) killed as a result of limit(?: of (?<memcg>\S+))?|COMPACTION is disabled)/,
  },
  // mm/slab_common.c dump_unreclaimable_slab (4.15+; absent in 4.14.67, in 5.10.7, 6.8.1, 6.18.2),
  // called by dump_header when unreclaimable slab exceeds user memory: after `Name  Used  Total`
  // one `pr_info("%-17s %10luKB %10luKB\n", s->name, …)` row per cache; a cache name may begin
  // with any character (`9p-fcall-cache`, `page->ptl`). Unread, but the report goes on through it
  // to the task table and the kill (fixture extra/155).
  {
    kind: 'slab_info',
    section: 'oom',
    read: null,
    sample: 'kmemleak_object       162939KB     167943KB',
    needs: 'KB',
    re: /^\s*\S+\s+\d+KB\s+\d+KB\s*$/,
  },
  // The task table (vm.oom_dump_tasks), mm/oom_kill.c dump_tasks: a header naming the columns,
  // then one row per task, `pr_info("[%5d] %5d %5d %8lu %8lu …")`. The columns by release:
  // 2.6.24–2.6.35 `[ pid ]   uid  tgid total_vm      rss cpu oom_adj name` (K2624, K2632);
  // 2.6.36–3.x `… rss cpu oom_adj oom_score_adj name` (K2637, K34); 3.10 `… rss nr_ptes swapents
  // oom_score_adj name` (K310); 4.x `… rss nr_ptes nr_pmds swapents oom_score_adj name` (K48, K49,
  // K414); 4.15+ `… rss pgtables_bytes swapents oom_score_adj name`, from 4.19 with `[  pid  ]`
  // and `[%7d]` (K510, K517); 6.x `… rss rss_anon rss_file rss_shmem pgtables_bytes swapents
  // oom_score_adj name` (K68, K6137, K6182, K715). The reader takes the columns from the header
  // (TASK_TABLE_LAYOUTS when it is missing).
  {
    kind: 'oom_table',
    section: 'oom',
    read: (b, line) => b.readTaskHeader(line),
    sample: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    first: '[',
    re: /^\s*\[\s*pid\s*\]\s+(?:uid|\d+)/,
  },
  {
    kind: 'oom_table',
    section: 'oom',
    read: (b, line) => b.readTaskRow(line),
    sample: '[  23793]     0 23793   655928   126942  5226496   519670             0 leaker',
    first: '[',
    re: /^\s*\[\s*\d+\s*\]\s+(?:uid|\d+)/,
  },
  {
    kind: 'oom_summary',
    section: 'oom',
    read: (b, line) => b.readOomSummary(line),
    sample:
      'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=stress,pid=7283,uid=0',
    first: 'o',
    needs: 'oom-kill:',
    re: /^\s*oom-kill:constraint=/,
  },
  {
    kind: 'oom_kill_line',
    section: 'oom',
    read: (b, line, m) => b.readKill(line, m),
    sample:
      'Out of memory: Killed process 7283 (stress) total-vm:1052044kB, anon-rss:1026848kB, file-rss:4kB, shmem-rss:0kB',
    ends: 'oom',
    needs: 'Killed process',
    // `\w` first: the prefix (`Out of memory: `) does not share the leading blanks with `^\s*`
    // 5.1+ ends with `, UID:%u pgtables:%lukB oom_score_adj:%hd` (K510 … K715 __oom_kill_process)
    re: /^\s*(?:\w[\w ]*: )?Killed process (?<pid>\d+)(?:, UID \d+,)? \((?<comm>[^)]*)\)(?:,?\s*total-vm:(?<vm>\d+)kB, anon-rss:(?<anon>\d+)kB, file-rss:(?<file>\d+)kB(?:, shmem-rss:(?<shmem>\d+)kB(?:, UID:(?<uid>\d+) pgtables:(?<pgt>\d+)kB oom_score_adj:(?<adj>-?\d+))?)?)?/,
  },
  {
    // mm/oom_kill.c oom_kill_process (4.19+): with memory.oom.group set on the victim's cgroup (or
    // an ancestor up to the OOM's), after the victim's kill line mem_cgroup_print_oom_group prints
    // `Tasks in <cgroup path> are going to be killed due to memory.oom.group set` (mm/memcontrol.c,
    // absent in 4.14.67; 5.4.214, 5.10.7, 6.1.20, 6.6.57, 6.8.1) and oom_kill_memcg_member kills
    // every task in it but oom_score_adj -1000 and init, each with its own kill line.
    kind: 'oom_misc',
    section: 'oom',
    read: (b, line, m) => b.readOomGroup(line, m),
    sample:
      'Tasks in /kubepods.slice/kubepods-burstable.slice/pod1.slice/cri-containerd-46b3.scope are going to be killed due to memory.oom.group set',
    first: 'T',
    needs: 'memory.oom.group',
    re: /^\s*Tasks in (?<group>\S(?:.*\S)?) are going to be killed due to memory\.oom\.group set/,
  },
  {
    // mm/memcontrol.c: `%s: usage %llukB, limit %llukB, failcnt %lu` for memory, memory+swap, kmem
    // (mem_cgroup_print_oom_info, K2632 … K414), and cgroup v2's memory, swap
    // (mem_cgroup_print_oom_meminfo, K510 … K619)
    kind: 'oom_memcg_counter',
    section: 'oom',
    read: (b, line, m) => b.readMemcgCounter(line, m),
    sample: 'memory: usage 524288kB, limit 524288kB, failcnt 1240247',
    first: 'mskt',
    needs: ': usage ',
    re: /^\s*(?<name>memory|memory\+swap|swap|kmem|tcpmem): usage (?<usage>\d+)kB, limit (?<limit>\d+)kB, failcnt (?<failcnt>\d+)/,
  },
  {
    // mm/oom_kill.c out_of_memory: no victim → `panic("Out of memory and no killable processes...")`
    // (K2632 … K414), from 4.19 `pr_warn` of it and, for a global OOM, `panic("System is deadlocked
    // on memory")` (K510 … K619); check_panic_on_oom: `panic("out of memory. [Compulsory
    // ]panic_on_oom is selected")` (K2618 … K2632), `panic("Out of memory: %s panic_on_oom is
    // enabled", "compulsory" | "system-wide")` (K310 … K619). panic() prints `Kernel panic - not
    // syncing: %s`. Each is the last line the OOM report prints.
    kind: 'oom_end',
    section: 'oom',
    read: (b, line, m) => b.readOomEnd(line, m),
    sample: 'Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled',
    ends: 'oom',
    first: 'OK',
    needs: 'emory',
    re: /^\s*(?:Kernel panic - not syncing: (?<panic>(?<nokillP>Out of memory and no killable processes)\.*|System is deadlocked on memory|(?<onoom>Out of memory: (?:system-wide|compulsory) panic_on_oom is enabled|out of memory\. (?:Compulsory )?panic_on_oom is selected)\.?)|(?<nokill>Out of memory and no killable processes)\.*\s*$)/,
  },
  // mm/oom_kill.c oom_kill_process: the task chosen, before the kill line: 2.6.36–4.18
  // `pr_err("%s: Kill process %d (%s) score %d or sacrifice child\n")` (K2637, K34, K310; `%u`
  // K49, K414), 2.6.24 `"%s: kill process %d (%s) score %li or a child\n"` (K2624); the message is
  // `Out of memory`, `Memory cgroup out of memory` or `Out of memory (oom_kill_allocating_task)`.
  {
    kind: 'oom_misc',
    section: 'oom',
    read: (b, line, m) => b.readOomChosen(line, m),
    sample: 'Out of memory: Kill process 4402 (mysqld) score 633 or sacrifice child',
    first: 'OoMmKk',
    needs: 'ill process',
    re: /^\s*(?:\w[\w ()]*: )?[Kk]ill process (?<pid>\d+) \((?<comm>[^)]*)\) score (?<score>-?\d+) or (?:sacrifice child|a child)/,
  },
  // mm/memcontrol.c: `pr_info("Memory cgroup stats for ")` + the cgroup path + `pr_cont(":")`, then
  // ≤5.x cgroup v1 `pr_cont(" %s:%luKB", …)` per counter on the same line, one line per cgroup of
  // the hierarchy (mem_cgroup_print_oom_info K2632 … K414, mem_cgroup_print_oom_meminfo K510), or
  // (cgroup v2 5.x, every 6.x) the memory_stat_format buffer printed after it (the next row).
  {
    kind: 'oom_memcg_stats',
    section: 'oom',
    read: (b, line, m) => b.readMemcgStats(line, m),
    sample: 'Memory cgroup stats for /leaker: cache:80KB rss:516948KB rss_huge:0KB shmem:0KB mapped_file:0KB',
    first: 'M',
    needs: 'cgroup stats for',
    re: /^\s*Memory cgroup stats for (?<path>\S*?):(?= |$)/,
  },
  // memory_stat_format's `%s %llu` lines (K510 mm/memcontrol.c memory_stats[] and the vm events;
  // K68, K715 memcg_stat_format; K68 memcg1_stat_format for cgroup v1): only the keys those print.
  {
    kind: 'oom_memcg_stat',
    section: 'oom',
    read: (b, line, m) => b.readMemcgStat(line, m),
    sample: 'anon 98742272',
    first: 'acdfhiklmnprstuvwz',
    re: MEMCG_STAT_LINE,
  },
  {
    kind: 'oom_misc',
    section: 'oom',
    read: null,
    sample: 'oom_reaper: reaped process 7283 (stress), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    first: 'OoMmk[',
    re: /^\s*(?:Out of memory[:.]|oom_reaper: |Memory cgroup (?:out of memory|stats for)|\[ pid \])/,
  },
  {
    kind: 'slub_cache',
    section: 'slub',
    read: (b, line, m) => b.readSlubCache(line, m),
    sample: '  cache: kmalloc-256, object size: 256, buffer size: 256, default order: 0, min order: 0',
    first: 'c',
    needs: 'cache:',
    re: /^\s*cache: (?<cache>\S+?),\s*object size: (?<obj>\d+),\s*buffer size: (?<buf>\d+),\s*default order:\s*(?<def>\d+),\s*min order:\s*(?<min>\d+)/,
  },
  {
    kind: 'slub_node',
    section: 'slub',
    read: null,
    sample: '  node 0: slabs: 1126, objs: 18016, free: 0',
    first: 'n',
    needs: 'slabs:',
    re: /^\s*node (?<node>-?\d+): slabs: \d+, objs: \d+, free: \d+/,
  },
  {
    kind: 'register',
    section: 'trace',
    read: null,
    sample: 'RIP: 0033:0x7f4a9c5d6b2a',
    re: /^\s*(?:RIP|RSP|RAX|RDX|RBP|R\d\d|EIP|EAX|ESI|DS|CR2|FS|CS|Code|pc|lr|sp|x\d+|epc|ra|Status|Cause|PrId|NIP|MSR|GPR\d\d)\s*:/,
  },
  {
    kind: 'stack_words',
    section: 'trace',
    read: null,
    sample: ' ffff88003e1c3a58 ffffffff8117d1e7 ffff88003e1c3a68 0000000000000000',
    re: /^\s*(?:[0-9a-f]{8,16}(?:\s+|$)){2,}\s*$|^\s*\.\.\.\s*$/,
  },
  // A header's pr_cont pieces on lines of their own (HeaderPiece): LogScanner reads one into the
  // header only while that header expects it; anywhere else such a line is nobody's. Each must be
  // the whole line, as the kernel prints the piece.
  {
    kind: 'header_piece',
    section: 'piece',
    piece: 'mode',
    read: (b, line, m) => b.readHeaderPiece(line, m),
    sample: ', mode:0x1080020(GFP_ATOMIC|__GFP_NOTRACK), nodemask=(null)',
    first: ',m',
    needs: 'mode:',
    // `(?=\()`: 4.9+ prints the names right after the mask; a piece without them was cut
    re: new RegExp(`^\\s*(?:,\\s*)?mode:\\s*(?<mode>${HEX})(?=\\()${NAMES}${TAIL}\\s*$`),
  },
  {
    kind: 'header_piece',
    section: 'piece',
    piece: 'nodemask',
    read: (b, line, m) => b.readHeaderPiece(line, m),
    sample: '(null),  order=2, oom_score_adj=0',
    first: '(0123456789',
    re: /^\s*(?<nodemask>\(null\)|\d[\d-]*(?:,\d[\d-]*)*)(?:,\s*order=(?<order>-?\d+)(?:,\s*oom_score_adj=(?<adj>-?\d+))?)?\s*$/,
  },
  {
    kind: 'header_piece',
    section: 'piece',
    piece: 'order',
    read: (b, line, m) => b.readHeaderPiece(line, m),
    sample: ',  order=0, oom_score_adj=0',
    first: ',',
    needs: 'order=',
    re: /^\s*,\s*order=(?<order>-?\d+)(?:,\s*oom_score_adj=(?<adj>-?\d+))?\s*$/,
  },
  {
    kind: 'header_piece',
    section: 'piece',
    piece: 'cpuset',
    read: (b, line, m) => b.readHeaderPiece(line, m),
    sample: ',cpuset=/,mems_allowed=0',
    first: ',',
    needs: '_allowed=',
    re: /^\s*(?:,cpuset=(?<cpuset>[^,\s]*))?,mems_allowed=(?<mems>[\d,-]*)\s*$/,
  },
  // Mem-Info summary counters (pages): only `name:number` pairs, no kB. (`:(?:\s?\d+)?\s*` reads what
  // `:\s?\d*\s*` reads, but one way only: the old form split each lone space two ways, so a line of
  // `a: a: a: … !` backtracked 2^n times.)
  {
    kind: 'counters',
    section: 'dump',
    read: (b, line) => b.readCounters(line),
    sample: 'active_anon:379769 inactive_anon:1117 isolated_anon:0',
    tracks: 'summary',
    re: /^\s*(?:[A-Za-z_]+(?:\([a-z]+\))?:(?:\s?\d+)?\s*)+$/,
  },
]);

/** The task table's columns after `[ pid ]` when its header line is missing or cut, by the number of
 * values a row prints before the name (mm/oom_kill.c dump_tasks, see the `oom_table` rows): 6
 * values 2.6.24–2.6.35, 8 values 4.0–4.14, 10 values 6.x. Seven values are printed by 2.6.36–3.x
 * (`cpu oom_adj`), 3.10 (`nr_ptes swapents`) and 4.15–6.x (`pgtables_bytes swapents`) alike: only
 * what they share is named (`?`: a column the row alone cannot name). */
export const TASK_TABLE_LAYOUTS: Readonly<Record<number, readonly string[]>> = {
  6: ['uid', 'tgid', 'total_vm', 'rss', 'cpu', 'oom_adj', 'name'],
  7: ['uid', 'tgid', 'total_vm', 'rss', '?', '?', 'oom_score_adj', 'name'],
  8: ['uid', 'tgid', 'total_vm', 'rss', 'nr_ptes', 'nr_pmds', 'swapents', 'oom_score_adj', 'name'],
  10: [
    'uid',
    'tgid',
    'total_vm',
    'rss',
    'rss_anon',
    'rss_file',
    'rss_shmem',
    'pgtables_bytes',
    'swapents',
    'oom_score_adj',
    'name',
  ],
};

/** Every column name a task table's header prints in some release (TASK_TABLE_LAYOUTS, the
 * `oom_table` rows): every layout's names but `?`. */
export const TASK_TABLE_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(TASK_TABLE_LAYOUTS)
    .flat()
    .filter((c) => c !== '?'),
);

/** Fields of the 5.0+ OOM summary line, `oom-kill:constraint=%s,nodemask=%*pbl[,cpuset=%s,
 * mems_allowed=%*pbl],(oom_memcg=%s|global_oom),task_memcg=%s,task=…` (mm/oom_kill.c
 * dump_oom_summary). A node list (%*pbl) may itself hold commas. */
export const OOM_SUMMARY_FIELDS = {
  constraint: /[:,]constraint=([^,]*)/,
  memcg: /[:,]oom_memcg=([^,]*)/,
  taskMemcg: /[:,]task_memcg=([^,]*)/,
  cpuset: /[:,]cpuset=([^,]*)/,
  memsAllowed: /[:,]mems_allowed=([\d,-]*?)(?=,(?:[a-z_]+=|global_oom)|\s*$)/,
  // `nodemask=%*pbl` (dump_oom_summary 5.0+): the allocation's nodemask, `(null)` when it had none
  nodemask: /[:,]nodemask=(\(null\)|[\d,-]*?)(?=,(?:[a-z_]+=|global_oom)|\s*$)/,
  global: /,global_oom/,
} as const;

/** 2.6.9–2.6.1x x86_64 frames print a decimal offset in braces: `<ffffffff8015ba26>{__alloc_pages+789}`. */
export const OLD_FRAME_RE = /\{([A-Za-z_.$][\w.$]*)\+(\d+)\}/g;

/** A call-trace frame anywhere in the line: `[? ]func+0xoff/0xsize[ [module]]` (all arches). */
export const FRAME_RE =
  /(\?\s+)?([A-Za-z_.$][\w.$]*)\+(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)(?:\s+\[([\w-]+)\])?/g;

/** `name:value[kB]` fields of zone, node and Mem-Info lines; tolerant of lost spaces at rejoined wraps.
 * Read them with nextField, not by a global search (see there). */
export const FIELD_RE = /([A-Za-z_][\w]*(?:\((?:anon|file)\))?\??):\s?(-?\d+)(kB|KB|k)?/g;

const FIELD_AT = new RegExp(FIELD_RE.source, 'y');
const FRAME_AT = new RegExp(FRAME_RE.source, 'y');
const WHITESPACE = /\s/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `\w`: the characters of a field name. */
const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** `[\w.$]`: the characters of a function name in a call-trace frame. */
const isSymbol = (c: number): boolean => isWord(c) || c === 46 || c === 36;

/**
 * The next FIELD_RE match at or after `from`, exactly as `FIELD_RE.exec` finds it, in time linear in
 * the text. (A global search restarts at every character of a long word that no colon follows and
 * rescans the word each time: quadratic, 120 ms for one 16 KiB line.) A name ends at its colon, so
 * each colon is tried once, from the leftmost place its name can start.
 */
export function nextField(text: string, from: number): RegExpExecArray | null {
  for (let colon = text.indexOf(':', from); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let end = colon;
    if (end > from && text.charCodeAt(end - 1) === 63) end--; // `all_unreclaimable?:`
    if (end - 6 >= from && (text.startsWith('(anon)', end - 6) || text.startsWith('(file)', end - 6)))
      end -= 6;
    let start = end;
    while (start > from && isWord(text.charCodeAt(start - 1))) start--;
    while (start < end && isDigit(text.charCodeAt(start))) start++;
    if (start === end) continue;
    FIELD_AT.lastIndex = start;
    const m = FIELD_AT.exec(text);
    if (m) return m;
  }
  return null;
}

/**
 * The next FRAME_RE match at or after `from`, exactly as `FRAME_RE.exec` finds it, in linear time
 * (the same trap as nextField: a long symbol-like word without `+0x`). Each `+0x` is tried once,
 * from the leftmost place its function name (or the `? ` before it) can start.
 */
export function nextFrame(text: string, from: number): RegExpExecArray | null {
  for (let plus = text.indexOf('+0x', from); plus >= 0; plus = text.indexOf('+0x', plus + 1)) {
    let run = plus;
    while (run > from && isSymbol(text.charCodeAt(run - 1))) run--;
    let start = run;
    while (start < plus && isDigit(text.charCodeAt(start))) start++;
    if (start === plus) continue;
    if (start === run) {
      let q = start;
      while (q > from && WHITESPACE.test(text[q - 1])) q--;
      if (q < start && q > from && text.charCodeAt(q - 1) === 63) start = q - 1; // `? func+0x…`
    }
    FRAME_AT.lastIndex = start;
    const m = FRAME_AT.exec(text);
    if (m) return m;
  }
  return null;
}

/** Every field name the zone, node and Mem-Info lines use in any era (ref §2.3–§2.5), so a
 * rejoined wrap can tell `page`+`tables:` (one name) from `Normal`+`free:` (two tokens). */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'free',
  'boost',
  'min',
  'low',
  'high',
  'reserved_highatomic',
  'free_highatomic',
  'active_anon',
  'inactive_anon',
  'active_file',
  'inactive_file',
  'unevictable',
  'writepending',
  'zspages',
  'present',
  'managed',
  'mlocked',
  'slab_reclaimable',
  'slab_unreclaimable',
  'kernel_stack',
  'pagetables',
  'sec_pagetables',
  'bounce',
  'free_pcp',
  'local_pcp',
  'free_cma',
  'isolated(anon)',
  'isolated(file)',
  'isolated_anon',
  'isolated_file',
  'dirty',
  'writeback',
  'mapped',
  'shmem',
  'unstable',
  'writeback_tmp',
  'pages_scanned',
  'active',
  'inactive',
  'shmem_thp',
  'shmem_pmdmapped',
  'anon_thp',
  'shadow_call_stack',
  'kernel_misc_reclaimable',
  'slab',
  'Active',
  'Balloon',
  'gpu_active',
  'gpu_reclaim',
  'all_unreclaimable',
]);

/** The most a comm holds: TASK_COMM_LEN - 1 = 15 bytes (include/linux/sched.h, since 2.6). A header's
 * `%s` is current->comm (mm/page_alloc.c warn_alloc `"%s: page allocation failure"`, mm/oom_kill.c
 * dump_header `"%s invoked oom-killer"`), and a UTF-16 string never has more units than its UTF-8
 * bytes: a longer text before the message is not all comm. Something without a newline came before
 * the kernel's line (a program's status line on a serial console: `[Playing …][00:02:54/00:04:07]
 * swapper/0: page allocation failure`), and where the kernel's text began cannot be told from the
 * header alone (a comm may hold blanks and brackets): the task line that dump_stack prints for the
 * same task (`CPU: %d PID: %d Comm: %.20s`, lib/dump_stack.c) tells it (ReportBuilder.readTask). */
export const TASK_COMM_MAX = 15;

/** A line that is only a comm and its colon: 4.9–4.14 warn_alloc prints `pr_warn("%s: ",
 * current->comm)`, then the caller's text with `pr_cont("%pV")` and `pr_cont(", mode:%#x(%pGg)…")`
 * (K49 K414 mm/page_alloc.c warn_alloc), so without caller ids another CPU's record may come right
 * after the comm and leave `swapper/8: ` alone on its line, the caller's text (`page allocation
 * failure: order:0`) on a later one without a comm. A comm is at most TASK_COMM_MAX bytes (so at most
 * 15 UTF-16 units). LogScanner reads such a line as the comm of a header that follows within
 * COMM_PIECE_WINDOW lines without its own (and only a line no row reads: `Call Trace:` is not one). */
export const COMM_PIECE = /^\s*(?<comm>\S(?:.{0,13}\S)?):\s*$/;

/** Two comm-less 4.9–4.14 warn_alloc caller texts glued on one line: two CPUs each printed `%s: ` on a
 * line of its own (COMM_PIECE), then their `pr_cont("%pV")` texts landed in one line
 * (`page allocation failure: order:0page allocation failure: order:0, mode:…`). The caller texts are
 * __alloc_pages_slowpath's `"page allocation failure: order:%u"` and `"page allocation stalls for
 * %ums, order:%u"` (K49 K414 mm/page_alloc.c): the match is the first one, up to where the next
 * begins, and LogScanner reads the two as two headers. (Digits, then a lookahead on a letter: the
 * digits are given back at most once each.) */
export const GLUED_CALLER_TEXT =
  /^\s*page allocation (?:failure: order:\d+|stalls for \d+ms, order:\d+)(?=page allocation (?:failure|stalls))/;

/** Words that always start a token of the task, trace and kill lines: a wrap before them dropped a
 * space (`Comm: tuned`|`Not tainted`, `Out of memory: Killed`|`process 925`). */
export const TOKEN_STARTS =
  /^(?:Not tainted|Tainted:|Kdump: |Comm: |PID: |process \d|invoked oom-killer|total-vm:|anon-rss:|oom_score_adj=|nodemask=|order[:=]\d|mode:0x|gfp_mask=|cpuset=)/;

/** Lines that surely start a new kernel line, even when they follow a framed line unprefixed.
 * A whole report header is one (a report pasted under framed lines is a report, not a wrap): the
 * comm before it is current->comm, at most TASK_COMM_LEN − 1 = 15 bytes (include/linux/sched.h),
 * taken up to 31 characters for comms with escaped or multi-byte text; the bound keeps it linear.
 * So is a whole `[<address>] symbol+0xoff/0xsize` frame: print_ip_sym (`[<%p>] %pS\n`) and the
 * architectures' show_trace print one frame per line, which an arch printing them in one record
 * leaves without the timestamp (4.9 csky: `[ 2161.637947] ` then `Call Trace:` and bare frames). */
export const STRONG_START =
  /^\s*(?:\S.{0,30}?(?:: page allocation (?:failure|stalls)|: vmalloc(?::| error:)| invoked oom-killer:)|\[<[0-9a-fA-F]+>\] (?:\? )?[A-Za-z_.$][\w.$]*\+0x[0-9a-fA-F]+\/0x[0-9a-fA-F]+\s*$|Node \d+,? (?:active_anon|DMA|Normal|HighMem|Movable|hugepages)|(?:DMA32|DMA|Normal|HighMem|Movable)(?: free:|: \d|: empty| per-cpu:)|lowmem_reserve\[\]:|Mem-[Ii]nfo:|Call Trace:|CPU: \d+ (?:UID: \d+ )?PID:|Pid: \d+, comm:|Hardware name:|\d+ total pagecache pages|\d+ pages (?:RAM|reserved|HighMem|in swap cache|shared|non-shared|cma)|Free swap |Total swap |Swap cache stats|SLUB: Unable)/;

// Call-trace frames are most of a report's lines and match no format: recognised at once.
const FRAME_LINE =
  /^\s*(?:\[<[0-9a-fA-F]+>\]\s*(?:\? )?[A-Za-z_.$][\w.$]*\+0x|\? [A-Za-z_.$][\w.$]*\+0x|[A-Za-z_.$][\w.$]*\+0x[0-9a-fA-F]+\/0x)/;

/** A line recognised by one of LINE_FORMATS (`format` is its index there). */
export interface ClassifiedLine {
  kind: LineKind;
  match: RegExpExecArray;
  format: number;
}

/** For each ASCII character, the LINE_FORMATS indices (in table order) whose `first` allows a line
 * starting with it; entry 128 serves every other start (and the empty line): the formats
 * without `first`. Built once: classifyLine then only tries the formats that can match. */
const FORMATS_BY_FIRST: readonly (readonly number[])[] = Array.from({ length: 129 }, (_, code) =>
  LINE_FORMATS.flatMap((format, index) =>
    format.first === undefined || (code < 128 && format.first.includes(String.fromCharCode(code)))
      ? [index]
      : [],
  ),
);

export function classifyLine(text: string): ClassifiedLine | null {
  if (FRAME_LINE.test(text)) return null;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const first = i < text.length ? text.charCodeAt(i) : 128;
  const candidates = FORMATS_BY_FIRST[first < 128 ? first : 128];
  for (let k = 0; k < candidates.length; k++) {
    const index = candidates[k];
    const format = LINE_FORMATS[index];
    if (format.needs !== undefined && text.indexOf(format.needs) < 0) continue;
    const match = format.re.exec(text);
    if (match) return { kind: format.kind, match, format: index };
  }
  return null;
}

/** The line matched again by the format classifyLine found for it (null if it no longer matches). */
export function matchFormat(text: string, format: number): ClassifiedLine | null {
  const entry = LINE_FORMATS[format];
  if (entry === undefined) return null;
  const match = entry.re.exec(text);
  return match ? { kind: entry.kind, match, format } : null;
}
