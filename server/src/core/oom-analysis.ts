// Who held the memory when the OOM killer ran (issue #18): the task table the killer printed
// (mm/oom_kill.c dump_tasks, vm.oom_dump_tasks), read into the biggest consumers, their sum against
// RAM (or the memory cgroup's limit), the victim with its oom_score_adj and its score — printed by
// ≤4.18 (`Kill process … score N`), otherwise derived from the row with the release's oom_badness
// (kernel/eras.ts OomBadness) and called derived — whether it was the biggest, the tasks
// oom_score_adj -1000 kept out of the choice, the swap state and the memcg's memory.stat block.
// Built once per report (explain.ts) and shown by the CLI (JSON, --verbose) and the editor's hover.
// Pure. Names from the log (comms, cgroup paths) are kept as printed: writers sanitise them
// (core/safe-text.ts, the features' escapeMarkdown).

import type { MemoryAnalysis } from './analysis-types';
import type { EraRow, OomBadness } from './kernel/eras';
import type { MemcgStats, OomTask, Report } from './model';
import { cgroupLabel, describeCgroup } from './cgroup-path';
import { isUnlimitedKb } from './oom-kind';
import { DEFAULT_PAGE_SIZE_KB } from './zone-analysis';
import { safeSum } from './numbers';
import { MEMCG_SIZE_KEYS } from './formats';

/** One task of the table in bytes (the row's pages × the page size). */
export interface OomConsumer {
  /** The row's line. */
  line: number;
  pid: number;
  name: string;
  uid: number | null;
  rssBytes: number | null;
  /** 6.x rows only (`rss_anon rss_file rss_shmem`). */
  rssAnonBytes: number | null;
  rssFileBytes: number | null;
  rssShmemBytes: number | null;
  /** swapents × page size (3.x+ rows). */
  swapBytes: number | null;
  /** pgtables_bytes (4.15+), else (nr_ptes [+ nr_pmds]) × page size. */
  pgtablesBytes: number | null;
  oomScoreAdj: number | null;
  /** What oom_badness counts before oom_score_adj (3.8+): rss + swapents + page-table pages. */
  footprintPages: number | null;
  /** oom_badness with the oom_score_adj term, derived (`pages` releases, totalpages known). */
  points: number | null;
}

export interface OomScore {
  /** `printed`: the kernel's own number (≤4.18 `score N`, points × 1000 / totalpages on 3.8+);
   * `derived`: computed here from the task table with the release's oom_badness. */
  how: 'printed' | 'derived';
  /** On the 0–1000 scale (/proc/<pid>/oom_score's). */
  score: number | null;
  /** oom_badness points (pages), derived only. */
  points: number | null;
  /** How it was obtained, with the kernel function and release. */
  text: string;
}

export interface OomVictim {
  pid: number | null;
  name: string | null;
  /** The kill line (or the ≤4.18 `Kill process` line when the kill line is missing). */
  line: number;
  /** Its row in the task table, null when the table lacks it. */
  task: OomConsumer | null;
  /** anon + file + shmem rss of the kill line (exact kB), else the row's rss. */
  rssBytes: number | null;
  oomScoreAdj: number | null;
  adjSource: 'kill line' | 'task table' | null;
  score: OomScore | null;
  /** 1 = the biggest consumer by what oom_badness counts (rss + swap + page tables); null when the
   * table lacks the victim. */
  rank: number | null;
  biggest: boolean | null;
  /** Why the victim is not the biggest consumer, where the report shows it. */
  why: string | null;
  /** ≤4.18: the task the killer chose when it killed a child of it instead (`or sacrifice child`). */
  chosen: { pid: number | null; name: string; score: number | null } | null;
  /** The victim's memory cgroup (5.0+ `task_memcg=`, ≤4.x `Task in …`) and what users call it. */
  cgroup: string | null;
  cgroupLabel: string | null;
}

export interface OomMemcgStats {
  line: number;
  path: string;
  /** What users call the cgroup (cgroup-path.ts). */
  label: string;
  /** `kB` (≤5.x cgroup v1, one line) or `bytes` (memory_stat_format's lines). */
  unit: 'kB' | 'bytes';
  /** The sizes it prints, in bytes (events and counts left out), in printed order. */
  sizes: Record<string, number>;
  /** Keys printed (sizes and events). */
  keys: number;
}

export interface OomAnalysis {
  /** The conclusion in one line, victim first (log text sanitised by the writer). */
  headline: string;
  /** `printed`, `absent` (no table), `empty` (its header or `Tasks state` line, no rows), `garbled`
   * (its header names no known columns: values unread). */
  table: 'printed' | 'absent' | 'empty' | 'garbled';
  /** Rows read. */
  tasks: number;
  pageSizeKb: number;
  /** No buddy line and no kill line tells the page size: the default was assumed. */
  pageSizeAssumed: boolean;
  /** Where the page size came from when the report's buddy lines do not show it. */
  pageSizeSource: 'buddy lines' | 'kill line' | 'assumed';
  /** The five biggest consumers by footprint (rss + swap + page tables), biggest first. */
  top: OomConsumer[];
  /** Names that several tasks share, with their summed rss, biggest first (at most three). */
  byName: { name: string; tasks: number; rssBytes: number }[];
  sumRssBytes: number | null;
  sumSwapBytes: number | null;
  /** What the sum is measured against: RAM (global), the memcg's limit (memcg OOM). */
  against: { what: 'RAM' | 'memory cgroup limit'; bytes: number; source: string } | null;
  /** sumRssBytes / against.bytes. */
  share: number | null;
  victim: OomVictim | null;
  /** Rows with oom_score_adj -1000 (OOM_SCORE_ADJ_MIN; 2.6.x also oom_adj -17, OOM_DISABLE):
   * oom_badness skips them. The biggest first, at most five; `protectedCount` counts all. */
  protected: OomConsumer[];
  protectedCount: number;
  swap: {
    totalKb: number | null;
    freeKb: number | null;
    usedKb: number | null;
    cachePages: number | null;
    cacheBytes: number | null;
  } | null;
  memcgStats: OomMemcgStats[];
  /** oom_badness's totalpages as far as the report prints it (null: it does not). */
  totalPages: { pages: number; text: string } | null;
  /** The release's oom_badness (kernel/eras.ts), null when the release is unknown. */
  badness: { scale: OomBadness['scale']; source: string } | null;
  /** What the report does not print that a conclusion needs, and how to get it. */
  missing: string[];
}

const TOP = 5;
/** OOM_SCORE_ADJ_MIN (include/uapi/linux/oom.h, 2.6.36+). */
const OOM_SCORE_ADJ_MIN = -1000;
/** OOM_DISABLE (include/linux/oom.h ≤3.x oom_adj). */
const OOM_DISABLE = -17;

/** Sizes memory.stat prints (the rest are event counts; formats.ts reads the block). */
const MEMCG_SIZES: ReadonlySet<string> = new Set(MEMCG_SIZE_KEYS);

/** Bytes as a person reads them: `3.2 GiB`, `512 MiB`, `96 KiB`. */
export function bytesText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} bytes`;
  const text = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1);
  return `${text} ${units[u]}`;
}

const percent = (share: number): string => `${Math.round(share * 100)} %`;

const mul = (a: number | null, b: number): number | null =>
  a === null || !Number.isSafeInteger(a * b) ? null : a * b;

/** The OOM model of a report, null for every kind but an OOM kill. */
export function analyzeOom(
  report: Report,
  memory: MemoryAnalysis,
  /** The release's timeline row (its oom_badness, what show_mem's counts mean), null when unknown. */
  row: Pick<EraRow, 'oomBadness' | 'pagesReservedIsUnmanaged'> | null,
  /** A memory-cgroup OOM, as oom-kind.ts classifyOom decided (one decision for the words and this). */
  memcg: boolean,
): OomAnalysis | null {
  const badness = row?.oomBadness ?? null;
  if (report.kind !== 'oom_kill') return null;
  const missing: string[] = [];
  const table = report.taskTable;
  const rows = table?.tasks ?? [];
  const state: OomAnalysis['table'] =
    table === null ? 'absent' : table.headerGarbled ? 'garbled' : rows.length === 0 ? 'empty' : 'printed';

  const page = pageSize(report, memory);
  const pageBytes = page.kb * 1024;

  const totalPages = totalPagesOf(report, memory, page.kb, memcg, row?.pagesReservedIsUnmanaged ?? false);
  const consumers = rows.map((t) => consumer(t, pageBytes, badness, totalPages));
  const ranked = consumers
    .filter((c) => c.footprintPages !== null)
    .sort((a, b) => b.footprintPages! - a.footprintPages! || a.line - b.line);
  const sumRssBytes = consumers.length > 0 ? safeSum(consumers, (c) => c.rssBytes) : null;
  const sumSwapBytes = consumers.some((c) => c.swapBytes !== null)
    ? safeSum(consumers, (c) => c.swapBytes)
    : null;
  const against = againstOf(report, memory, memcg);
  const share =
    against !== null && sumRssBytes !== null && against.bytes > 0 ? sumRssBytes / against.bytes : null;
  const protectedRows = consumers.filter(
    (c) =>
      c.oomScoreAdj === OOM_SCORE_ADJ_MIN ||
      (c.oomScoreAdj === null && rowOf(rows, c)?.oomAdj === OOM_DISABLE),
  );
  const protectedTop = [...protectedRows]
    .filter((c) => (c.footprintPages ?? 0) > 0)
    .sort((a, b) => (b.footprintPages ?? 0) - (a.footprintPages ?? 0))
    .slice(0, TOP);

  const victim = victimOf(report, consumers, ranked, totalPages, badness, memcg);

  // what is missing
  // dump_header (mm/oom_kill.c) prints the task line and trace (dump_stack), then the memory dump,
  // then dump_tasks: a report holding none of them shows nothing of vm.oom_dump_tasks
  const headerOnly =
    report.pid === null &&
    report.callTrace.length === 0 &&
    report.memInfoLine === null &&
    report.counters.length === 0 &&
    report.zones.length === 0 &&
    report.buddy.length === 0 &&
    report.memcgCounters.length === 0;
  if (state === 'absent')
    missing.push(
      report.truncated && report.killed === null
        ? 'the task table: the log ends before it (the OOM killer prints it after the memory dump)'
        : headerOnly && report.killed === null
          ? 'the task table: the log holds nothing of this report after its header line (no task line, call trace or memory dump), so it does not tell whether vm.oom_dump_tasks printed one'
          : 'the task table: vm.oom_dump_tasks was 0 (or the lines were cut), so who held the memory is not printed; set vm.oom_dump_tasks=1 (Documentation/admin-guide/sysctl/vm.rst) to get it',
    );
  else if (state === 'empty')
    missing.push("the task table's rows: its header was printed, the rows were cut");
  else if (state === 'garbled')
    missing.push(
      "the task table's columns: its header line was rejoined from a wrap that lost a space, so the values cannot be named",
    );
  else if (report.killed === null && report.oomEnd === null && report.truncated)
    missing.push('the end of the task table: the log ends before the kill line, so rows may be missing');
  if (state === 'printed' && table !== null && table.line === null)
    missing.push("the task table's header: its columns were taken from the number of values in a row");
  if (state === 'printed' && ranked.length === 0 && consumers.length > 0)
    missing.push("the rows' memory columns (cut before rss)");
  if (page.source === 'assumed' && state === 'printed')
    missing.push(`the page size (no buddy line prints it): ${DEFAULT_PAGE_SIZE_KB} KiB pages assumed`);
  if (report.killed === null && report.oomChosen === null && report.oomEnd === null)
    missing.push('the kill line (`Killed process …`): the victim is not known');
  if (
    victim !== null &&
    victim.score === null &&
    victim.task !== null &&
    victim.oomScoreAdj !== null &&
    victim.oomScoreAdj !== OOM_SCORE_ADJ_MIN &&
    badness?.scale === 'pages'
  )
    missing.push(
      `totalpages for the victim's score: oom_score_adj ${victim.oomScoreAdj} counts oom_score_adj × (totalpages / 1000), and ${memcg ? "the cgroup's swap room (total swap) is" : 'RAM and total swap are'} not printed`,
    );
  if (against === null && state === 'printed')
    missing.push(
      memcg
        ? "the memory cgroup's limit (`memory: usage …, limit …`)"
        : 'the RAM size (`pages RAM` or the zone lines)',
    );

  const swap =
    report.totalSwapKb !== null || report.freeSwapKb !== null || report.swapCachePages !== null
      ? {
          totalKb: report.totalSwapKb,
          freeKb: report.freeSwapKb,
          usedKb:
            report.totalSwapKb !== null && report.freeSwapKb !== null
              ? report.totalSwapKb - report.freeSwapKb
              : null,
          cachePages: report.swapCachePages,
          cacheBytes: mul(report.swapCachePages, pageBytes),
        }
      : null;

  const analysis: OomAnalysis = {
    headline: '',
    table: state,
    tasks: rows.length,
    pageSizeKb: page.kb,
    pageSizeAssumed: page.source === 'assumed',
    pageSizeSource: page.source,
    top: ranked.slice(0, TOP),
    byName: byName(consumers),
    sumRssBytes,
    sumSwapBytes,
    against,
    share,
    victim,
    protected: protectedTop,
    protectedCount: protectedRows.length,
    swap,
    memcgStats: report.memcgStats.map(memcgStatsOf),
    totalPages,
    badness: badness === null ? null : { scale: badness.scale, source: badness.source },
    missing,
  };
  analysis.headline = headlineOf(analysis, report);
  return analysis;
}

function rowOf(rows: readonly OomTask[], c: OomConsumer): OomTask | undefined {
  return rows.find((r) => r.line === c.line && r.pid === c.pid);
}

/** The page size: the buddy lines', else the one the victim's kill line (kB) and its row (pages)
 * agree on, else the default. */
function pageSize(
  report: Report,
  memory: MemoryAnalysis,
): { kb: number; source: OomAnalysis['pageSizeSource'] } {
  if (!memory.pageSizeAssumed) return { kb: memory.pageSizeKb, source: 'buddy lines' };
  const k = report.killed;
  const row = k?.pid != null ? report.taskTable?.tasks.find((t) => t.pid === k.pid) : undefined;
  if (k && row && row.rssPages !== null && row.rssPages > 0 && k.anonRssKb !== null && k.fileRssKb !== null) {
    const kb = k.anonRssKb + k.fileRssKb + (k.shmemRssKb ?? 0);
    const ratio = kb / row.rssPages;
    for (const size of [4, 8, 16, 64])
      if (Math.abs(ratio - size) <= size * 0.05) return { kb: size, source: 'kill line' };
  }
  return { kb: memory.pageSizeKb, source: 'assumed' };
}

/** Each consumer's table row (kept out of the object, which JSON shows). */
const ROWS = new WeakMap<OomConsumer, OomTask>();

function consumer(
  t: OomTask,
  pageBytes: number,
  badness: Pick<OomBadness, 'scale'> | null,
  totalPages: { pages: number } | null,
): OomConsumer {
  // 4.15+ prints the page tables in bytes; 3.x nr_ptes and 4.0–4.14 nr_ptes + nr_pmds in pages
  const pgtablePages =
    t.pgtablesBytes !== null
      ? Math.floor(Math.max(0, t.pgtablesBytes) / pageBytes)
      : t.nrPtes !== null
        ? Math.max(0, t.nrPtes) + Math.max(0, t.nrPmds ?? 0)
        : null;
  const pgtablesBytes =
    t.pgtablesBytes !== null ? t.pgtablesBytes : pgtablePages !== null ? mul(pgtablePages, pageBytes) : null;
  const footprint = t.rssPages === null ? null : t.rssPages + (t.swapents ?? 0) + (pgtablePages ?? 0);
  const c: OomConsumer = {
    line: t.line,
    pid: t.pid,
    name: t.name,
    uid: t.uid,
    rssBytes: mul(t.rssPages, pageBytes),
    rssAnonBytes: mul(t.rssAnonPages, pageBytes),
    rssFileBytes: mul(t.rssFilePages, pageBytes),
    rssShmemBytes: mul(t.rssShmemPages, pageBytes),
    swapBytes: mul(t.swapents, pageBytes),
    pgtablesBytes,
    oomScoreAdj: t.oomScoreAdj,
    footprintPages: footprint !== null && Number.isSafeInteger(footprint) ? footprint : null,
    points: null,
  };
  // oom_badness gives OOM_SCORE_ADJ_MIN tasks LONG_MIN (≤5.8: 0): never chosen, no score
  const adj = c.oomScoreAdj;
  if (badness?.scale === 'pages' && c.footprintPages !== null && adj !== null && adj !== OOM_SCORE_ADJ_MIN) {
    if (adj === 0) c.points = c.footprintPages;
    else if (totalPages !== null) c.points = c.footprintPages + adj * Math.floor(totalPages.pages / 1000);
  }
  ROWS.set(c, t);
  return c;
}

/** The task-table row on `line` with its place among the table's consumers (1 = the biggest by
 * rss + swap + page tables), for the editor's hover on a row; null when `line` holds no row. */
export function taskAt(
  report: Report,
  oom: OomAnalysis,
  line: number,
): { consumer: OomConsumer; rank: number | null; of: number } | null {
  const rows = report.taskTable?.tasks ?? [];
  const row = rows.find((t) => t.line === line);
  if (row === undefined) return null;
  const pageBytes = oom.pageSizeKb * 1024;
  const c = consumer(row, pageBytes, oom.badness, oom.totalPages);
  if (c.footprintPages === null) return { consumer: c, rank: null, of: rows.length };
  let rank = 1;
  for (const t of rows) {
    if (t === row) continue;
    const other = consumer(t, pageBytes, null, null).footprintPages;
    if (other !== null && (other > c.footprintPages || (other === c.footprintPages && t.line < row.line)))
      rank++;
  }
  return { consumer: c, rank, of: rows.length };
}

/** totalpages of oom_badness (mm/oom_kill.c): a global OOM `totalram_pages + total_swap_pages`
 * (constrained_alloc; totalram_pages are the managed pages, so Σ zone managed, else `pages RAM`);
 * a memcg OOM mem_cgroup_get_max: the limit plus the swap it may use. null for cpuset/mempolicy
 * OOMs (the allowed nodes' pages, not printed per node) and when the report lacks the numbers. */
function totalPagesOf(
  report: Report,
  memory: MemoryAnalysis,
  pageKb: number,
  memcg: boolean,
  reservedIsUnmanaged: boolean,
): { pages: number; text: string } | null {
  const swapPages = report.totalSwapKb !== null ? Math.floor(Math.max(0, report.totalSwapKb) / pageKb) : null;
  if (memcg) {
    const mem = report.memcgCounters.find((m) => m.name === 'memory');
    if (mem?.limitKb == null) return null;
    const limit = Math.floor(mem.limitKb / pageKb);
    const swapCounter = report.memcgCounters.find((m) => m.name === 'swap');
    const memsw = report.memcgCounters.find((m) => m.name === 'memory+swap');
    let swapRoom: number | null = null;
    if (swapCounter?.limitKb != null) swapRoom = Math.floor(swapCounter.limitKb / pageKb);
    else if (memsw?.limitKb != null) swapRoom = Math.max(0, Math.floor(memsw.limitKb / pageKb) - limit);
    if (swapRoom !== null && swapRoom > 0 && swapPages === null) return null; // total swap not printed
    const extra = swapRoom === null || swapPages === null ? 0 : Math.min(swapRoom, swapPages);
    return {
      pages: limit + extra,
      text: "the memory cgroup's limit plus the swap it may use (mem_cgroup_get_max)",
    };
  }
  const c = report.oomConstraint?.constraint;
  if (c === 'CONSTRAINT_CPUSET' || c === 'CONSTRAINT_MEMORY_POLICY') return null;
  if (swapPages === null) return null;
  // a node-filtered dump's zones are some nodes only (memory.ts nodeFilter); an inferred mempolicy
  // OOM's totalpages is its nodemask's spanned pages (constrained_alloc), not printed
  if (memory.nodeFilter) return null;
  const managed = memory.nodes.length > 0 ? safeSum(memory.nodes, (n) => n.managedKb) : null;
  const total = (ramPages: number, what: string) => ({
    pages: ramPages + swapPages,
    text: `RAM (${what}) plus total swap: totalram_pages + total_swap_pages (constrained_alloc)`,
  });
  if (managed !== null && managed > 0) return total(Math.floor(managed / pageKb), "the zones' managed pages");
  // totalram_pages counts managed pages; `pages RAM` counts present ones, and from 4.9 `pages
  // reserved` is exactly the difference (kernel/eras.ts pagesReservedIsUnmanaged)
  const { ramPages, reservedPages } = report;
  if (
    reservedIsUnmanaged &&
    memory.ramSource === 'pages RAM' &&
    ramPages !== null &&
    reservedPages !== null &&
    reservedPages <= ramPages
  )
    return total(ramPages - reservedPages, '`pages RAM` less `pages reserved`: the managed pages');
  if (memory.ramKb === null) return null;
  return total(Math.floor(memory.ramKb / pageKb), `${memory.ramSource ?? 'RAM'} of the report`);
}

function againstOf(report: Report, memory: MemoryAnalysis, memcg: boolean): OomAnalysis['against'] {
  if (memcg) {
    const mem = report.memcgCounters.find((m) => m.name === 'memory');
    if (mem?.limitKb != null && mem.limitKb > 0 && !isUnlimitedKb(mem.limitKb))
      return { what: 'memory cgroup limit', bytes: mem.limitKb * 1024, source: '`memory: … limit`' };
    return null;
  }
  // a report printing `0 pages RAM` (or cut zone lines) gives no size to measure against
  if (memory.ramKb === null || memory.ramKb <= 0) return null;
  return { what: 'RAM', bytes: memory.ramKb * 1024, source: memory.ramSource ?? '' };
}

function victimOf(
  report: Report,
  consumers: OomConsumer[],
  ranked: OomConsumer[],
  totalPages: { pages: number; text: string } | null,
  badness: OomBadness | null,
  memcg: boolean,
): OomVictim | null {
  const k = report.killed;
  const chosen = report.oomChosen;
  if (k === null && chosen === null) return null;
  const pid = k?.pid ?? chosen?.pid ?? null;
  const name = k?.comm ?? chosen?.comm ?? null;
  const task = pid === null ? null : (consumers.find((c) => c.pid === pid) ?? null);
  const killRssKb =
    k !== null && k.anonRssKb !== null && k.fileRssKb !== null
      ? k.anonRssKb + k.fileRssKb + (k.shmemRssKb ?? 0)
      : null;
  const rssBytes = killRssKb !== null ? killRssKb * 1024 : (task?.rssBytes ?? null);
  const tailAdj = report.killedTail?.oomScoreAdj ?? null;
  const oomScoreAdj = tailAdj ?? task?.oomScoreAdj ?? null;
  const adjSource = tailAdj !== null ? 'kill line' : task?.oomScoreAdj != null ? 'task table' : null;

  let score: OomScore | null = null;
  const chosenIsVictim = chosen !== null && (pid === null || chosen.pid === pid);
  if (chosen !== null && chosen.score !== null && chosenIsVictim) {
    score = {
      how: 'printed',
      score: chosen.score,
      points: null,
      text:
        badness?.scale === 'pages'
          ? 'printed by oom_kill_process: oom_badness points × 1000 / totalpages (mm/oom_kill.c, 3.8–4.18)'
          : badness?.scale === 'permille'
            ? 'printed by oom_kill_process: oom_badness on its 0–1000 scale (mm/oom_kill.c, 2.6.36–3.7)'
            : 'printed by oom_kill_process (mm/oom_kill.c)',
    };
  } else if (task !== null && task.points !== null && badness?.scale === 'pages') {
    const normal =
      totalPages !== null && totalPages.pages > 0
        ? Math.floor((task.points * 1000) / totalPages.pages)
        : null;
    const discount =
      badness.adminDiscount === 'three-percent'
        ? '; a task with CAP_SYS_ADMIN gets 3 % off (the table does not say which have it)'
        : '';
    score = {
      how: 'derived',
      score: normal,
      points: task.points,
      text: `derived from the task table: ${formulaOf(task)}${task.oomScoreAdj !== 0 ? ' + oom_score_adj × (totalpages / 1000)' : ''} = ${task.points} pages (mm/oom_kill.c oom_badness, as in ${badness.source.split(' mm/')[0]})${normal !== null && totalPages !== null ? `; × 1000 / totalpages (${totalPages.pages} pages: ${totalPages.text}) ≈ ${normal}` : ''}${discount}`,
    };
  }

  const rankIndex = task === null ? -1 : ranked.indexOf(task);
  const rank = rankIndex < 0 ? null : rankIndex + 1;
  const biggest = rank === null ? null : rank === 1;
  let why: string | null = null;
  if (biggest === false) {
    const top = ranked[0];
    const reasons: string[] = [];
    if (chosen !== null && pid !== null && chosen.pid !== null && chosen.pid !== pid)
      reasons.push(
        `the OOM killer chose ${chosen.comm} (pid ${chosen.pid}) and killed its child instead (oom_kill_process ≤4.18 "or sacrifice child")`,
      );
    if (top.oomScoreAdj === OOM_SCORE_ADJ_MIN)
      reasons.push(
        `${top.name} (pid ${top.pid}) holds more but has oom_score_adj -1000: oom_badness skips it`,
      );
    else {
      const topAdj = top.oomScoreAdj ?? 0;
      const adj = task?.oomScoreAdj ?? 0;
      if (adj > topAdj)
        reasons.push(
          `its oom_score_adj ${adj} against ${topAdj} for ${top.name} (pid ${top.pid}), which holds more: the adjustment outweighs the difference`,
        );
    }
    if (reasons.length === 0 && report.order === -1) reasons.push('the kill was asked for by hand (SysRq f)');
    if (reasons.length === 0)
      reasons.push(
        'the report does not show why (memory may have moved between the table and the choice, or vm.oom_kill_allocating_task killed the task that asked)',
      );
    why = reasons.join('; ');
  }
  const cgroup =
    report.oomConstraint?.taskMemcg ?? (memcg ? (report.oomConstraint?.memcg ?? null) : null) ?? null;
  return {
    pid,
    name,
    line: k?.line ?? chosen!.line,
    task,
    rssBytes: rssBytes !== null && Number.isSafeInteger(rssBytes) ? rssBytes : null,
    oomScoreAdj,
    adjSource,
    score,
    rank,
    biggest,
    why,
    chosen:
      chosen !== null && pid !== null && chosen.pid !== null && chosen.pid !== pid
        ? { pid: chosen.pid, name: chosen.comm, score: chosen.score }
        : null,
    cgroup,
    cgroupLabel: cgroup === null || cgroup === '' ? null : cgroupLabel(describeCgroup(cgroup)),
  };
}

/** oom_badness's sum as the row's columns name it. */
function formulaOf(task: OomConsumer): string {
  const t = ROWS.get(task) ?? null;
  const pgtables =
    t === null
      ? 'page tables'
      : t.pgtablesBytes !== null
        ? 'pgtables_bytes / PAGE_SIZE'
        : t.nrPmds !== null
          ? 'nr_ptes + nr_pmds'
          : t.nrPtes !== null
            ? 'nr_ptes'
            : null;
  return ['rss', t === null || t.swapents !== null ? 'swapents' : null, pgtables]
    .filter((p) => p !== null)
    .join(' + ');
}

function byName(consumers: OomConsumer[]): OomAnalysis['byName'] {
  const groups = new Map<string, { tasks: number; rssBytes: number }>();
  for (const c of consumers) {
    if (c.rssBytes === null) continue;
    const g = groups.get(c.name) ?? { tasks: 0, rssBytes: 0 };
    g.tasks++;
    g.rssBytes += c.rssBytes;
    groups.set(c.name, g);
  }
  return [...groups]
    .filter(([, g]) => g.tasks > 1 && Number.isSafeInteger(g.rssBytes))
    .map(([name, g]) => ({ name, tasks: g.tasks, rssBytes: g.rssBytes }))
    .sort((a, b) => b.rssBytes - a.rssBytes)
    .slice(0, 3);
}

function memcgStatsOf(s: MemcgStats): OomMemcgStats {
  const sizes: Record<string, number> = {};
  for (const [key, value] of Object.entries(s.values)) {
    if (!MEMCG_SIZES.has(key)) continue;
    const bytes = s.unit === 'kB' ? value * 1024 : value;
    if (Number.isSafeInteger(bytes)) sizes[key] = bytes;
  }
  return {
    line: s.line,
    path: s.path,
    label: cgroupLabel(describeCgroup(s.path)),
    unit: s.unit,
    sizes,
    keys: Object.keys(s.values).length,
  };
}

/** `victim: java (pid 1234) — the biggest consumer, 3.2 GiB rss of 4 GiB RAM (80 %)`. */
function headlineOf(a: OomAnalysis, report: Report): string {
  const v = a.victim;
  const parts: string[] = [];
  if (v === null) parts.push(`${noVictim(report)}`);
  else {
    const who = `${v.name ? v.name : 'a task with no comm printed'}${v.pid !== null ? ` (pid ${v.pid})` : ''}`;
    const rank =
      v.biggest === true
        ? 'the biggest consumer'
        : v.rank !== null
          ? `the ${ordinal(v.rank)} biggest consumer`
          : a.table === 'printed'
            ? 'not in the task table'
            : null;
    const held =
      v.rssBytes !== null
        ? a.against !== null
          ? `${bytesText(v.rssBytes)} rss of ${bytesText(a.against.bytes)} ${a.against.what === 'RAM' ? 'RAM' : 'limit'} (${percent(v.rssBytes / a.against.bytes)})`
          : `${bytesText(v.rssBytes)} rss`
        : null;
    parts.push(
      `victim: ${who}${rank !== null || held !== null ? ' — ' : ''}${[rank, held].filter((p) => p !== null).join(', ')}`,
    );
  }
  if (a.table === 'absent') parts.push('no task table');
  else if (a.sumRssBytes !== null && a.against !== null && a.share !== null)
    // get_mm_rss counts a shared page (file, shmem) in every task that maps it: the sum can pass 100 %
    parts.push(
      `${a.tasks === 1 ? 'its only task' : `all ${a.tasks} tasks`}: ${bytesText(a.sumRssBytes)} rss (${percent(a.share)}${a.share > 1 ? ': rss counts a shared page in every task that maps it' : ''})`,
    );
  return parts.join('; ');
}

/** No victim: why, as the report's last line says (mm/oom_kill.c out_of_memory, check_panic_on_oom). */
function noVictim(report: Report): string {
  const end = report.oomEnd;
  if (end === null)
    return report.truncated
      ? 'victim: not printed (the log ends before the kill line)'
      : 'victim: not printed';
  if (end.panicOnOom !== null) return 'no victim: vm.panic_on_oom made the kernel panic instead of killing';
  // mm/oom_kill.c dump_task skips a task without an mm (find_lock_task_mm), as oom_badness does:
  // a printed header with no row before the end line means no task still held memory
  const table = report.taskTable;
  if (
    end.noKillable &&
    table !== null &&
    table.line !== null &&
    table.tasks.length === 0 &&
    end.line === table.line + 1
  )
    return 'no victim: no killable process (the task table lists no task: none left in scope still has its memory)';
  if (end.noKillable)
    return 'no victim: no killable process (every candidate was unkillable or oom_score_adj -1000)';
  return 'no victim: the OOM killer killed no process';
}

function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}

/** The memory.stat sizes the text shows first, in this order (the rest are counted). */
const STAT_SHOWN = ['anon', 'rss', 'file', 'cache', 'shmem', 'kernel', 'slab', 'sock', 'swap', 'pagetables'];

/** `--verbose`'s section (plain text; the CLI's writer sanitises it, core/safe-text.ts). */
export function renderOomText(o: OomAnalysis): string[] {
  const out: string[] = [''];
  const page = `${o.pageSizeKb} KiB pages${o.pageSizeAssumed ? ' assumed' : o.pageSizeSource === 'kill line' ? ' (from the kill line)' : ''}`;
  out.push(
    o.table === 'printed'
      ? `Who held the memory (task table: ${o.tasks} task${o.tasks === 1 ? '' : 's'}, ${page}):`
      : 'Who held the memory:',
  );
  out.push(`  ${o.headline}`);
  const v = o.victim;
  if (v !== null) {
    const bits: string[] = [];
    if (v.oomScoreAdj !== null) bits.push(`oom_score_adj ${v.oomScoreAdj} (${v.adjSource})`);
    if (v.score !== null)
      bits.push(
        v.score.how === 'printed'
          ? `score ${v.score.score} (${v.score.text})`
          : `${v.score.score !== null ? `score ≈ ${v.score.score}, ` : ''}oom_badness ${v.score.points} pages (${v.score.text})`,
      );
    if (bits.length > 0) out.push(`  ${bits.join(' · ')}`);
    if (v.chosen !== null)
      out.push(
        `  chosen: ${v.chosen.name} (pid ${v.chosen.pid ?? '?'}), score ${v.chosen.score ?? '?'}; killed its child`,
      );
    if (v.why !== null) out.push(`  not the biggest: ${v.why}`);
    if (v.cgroup !== null && v.cgroupLabel !== null)
      out.push(
        `  cgroup: ${v.cgroupLabel.startsWith('cgroup ') ? v.cgroup : `${v.cgroupLabel} (${v.cgroup})`}`,
      );
  }
  if (o.top.length > 0) {
    out.push('  biggest (rss + swap + page tables, as oom_badness counts them):');
    for (const c of o.top) out.push(`    ${consumerText(c)}`);
  }
  if (o.byName.length > 0)
    out.push(
      `  by name: ${o.byName.map((g) => `${g.name} ×${g.tasks} ${bytesText(g.rssBytes)}`).join(', ')}`,
    );
  if (o.sumRssBytes !== null && o.table === 'printed')
    out.push(
      `  all tasks: ${bytesText(o.sumRssBytes)} rss${o.against !== null && o.share !== null ? ` (${percent(o.share)} of ${bytesText(o.against.bytes)} ${o.against.what})` : ''}${o.sumSwapBytes !== null ? `, ${bytesText(o.sumSwapBytes)} in swap` : ''}`,
    );
  if (o.protectedCount > 0)
    out.push(
      `  oom_score_adj -1000 (never chosen): ${o.protectedCount} task${o.protectedCount === 1 ? '' : 's'}${o.protected.length > 0 ? ` — ${o.protected.map((c) => `${c.name} (pid ${c.pid}) ${c.rssBytes !== null ? bytesText(c.rssBytes) : '?'}`).join(', ')}` : ''}`,
    );
  const s = o.swap;
  if (s !== null) out.push(`  ${swapText(s)}`);
  for (const m of o.memcgStats) out.push(`  ${memcgStatsText(m)}`);
  for (const miss of o.missing) out.push(`  missing: ${miss}`);
  return out;
}

/** One consumer: `python (pid 996) 119 MiB rss (anon 119 MiB), 125 MiB swap, oom_score_adj 0`. */
export function consumerText(c: OomConsumer): string {
  const split =
    c.rssAnonBytes !== null
      ? ` (anon ${bytesText(c.rssAnonBytes)}, file ${bytesText(c.rssFileBytes ?? 0)}, shmem ${bytesText(c.rssShmemBytes ?? 0)})`
      : '';
  const parts = [
    `${c.name} (pid ${c.pid})`,
    c.rssBytes !== null ? `${bytesText(c.rssBytes)} rss${split}` : 'rss ?',
    c.swapBytes ? `${bytesText(c.swapBytes)} swap` : null,
    c.oomScoreAdj !== null ? `oom_score_adj ${c.oomScoreAdj}` : null,
  ];
  return parts.filter((p) => p !== null).join(', ');
}

/** `swap: 416 MiB total, 0 bytes free, 416 MiB used; swap cache 292 pages (1.1 MiB)`. */
export function swapText(s: NonNullable<OomAnalysis['swap']>): string {
  const kb = (v: number | null): string => (v === null ? '?' : bytesText(v * 1024));
  const head =
    s.totalKb === 0
      ? 'swap: none (Total swap = 0kB)'
      : s.totalKb !== null || s.freeKb !== null
        ? `swap: ${kb(s.totalKb)} total, ${kb(s.freeKb)} free${s.usedKb !== null ? `, ${kb(s.usedKb)} used` : ''}`
        : 'swap: totals not printed';
  const cache =
    s.cachePages !== null
      ? `; swap cache ${s.cachePages} pages${s.cacheBytes !== null ? ` (${bytesText(s.cacheBytes)})` : ''}`
      : '';
  return head + cache;
}

/** `memory.stat of pod 5931aa75… (Burstable): anon 94 MiB · file 2.4 MiB · … (+27 more keys)`. */
export function memcgStatsText(m: OomMemcgStats): string {
  const shown = STAT_SHOWN.filter((k) => k in m.sizes).map((k) => `${k} ${bytesText(m.sizes[k])}`);
  const more = m.keys - shown.length;
  return `memory.stat of ${m.label}: ${shown.length > 0 ? shown.join(' · ') : 'no values printed'}${more > 0 ? ` (+${more} more keys)` : ''}`;
}
