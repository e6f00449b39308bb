// Which OOM an OOM report is: global, a memory cgroup's (cgroup v1 or v2), confined by a cpuset or
// a mempolicy, asked for by hand (SysRq f), and how it ended (a kill, a panic, nobody killable).
// Everything is read from what the kernel prints, each rule citing the function that prints it:
//
// - mm/oom_kill.c constrained_alloc (2.6.32 … 6.19) decides the constraint; 5.0+ dump_header / dump_oom_summary
//   prints it: `oom-kill:constraint=CONSTRAINT_…,nodemask=…,cpuset=…,mems_allowed=…[,global_oom]
//   [,oom_memcg=…],task_memcg=…,task=…,pid=…,uid=…` (oom_memcg= only for CONSTRAINT_MEMCG,
//   global_oom only without a memcg; absent in 4.19's oom_kill.c). Before it, a memcg OOM printed
//   `Task in A killed as a result of limit of B` (mem_cgroup_print_oom_info, ≤4.19) and nothing told a cpuset or mempolicy OOM
//   from a global one.
// - The memcg's page counters (mem_cgroup_print_oom_meminfo, mm/memcontrol.c): `memory:` always;
//   on the default hierarchy (cgroup v2) `swap:`, on v1 `memory+swap:` and `kmem:` — the split by
//   cgroup_subsys_on_dfl() is in 5.4.214 … 6.19.10; 4.19's mem_cgroup_print_oom_info (and every
//   older one) prints `memory+swap:` and `kmem:` on both hierarchies (OOM_FACTS in kernel/eras.ts).
// - A manual OOM: drivers/tty/sysrq.c moom_callback calls out_of_memory with `.order = -1` (4.7.4 …
//   6.19.10; is_sysrq_oom() in mm/oom_kill.c), order 0 before (3.14.40 and older); moom_callback in
//   the call trace tells either.
// - The end: oom_kill_process's `Killed process` line, check_panic_on_oom's `Kernel panic - not
//   syncing: Out of memory: (system-wide|compulsory) panic_on_oom is enabled`, out_of_memory's
//   `Out of memory and no killable processes...` (Report.oomEnd).
//
// Pure: a Report in, a plain object out.

import { cgroupLabel, describeCgroup, type CgroupIdentity } from './cgroup-path';
import { compareVersion, releaseText, type KernelVersion } from './kernel-version';
import { OOM_FACTS } from './kernel/eras';
import { COSTLY_ORDER, exactSize, formatKb } from './numbers';
import type { MemcgCounter, Report } from './model';
import { missingBelow, nodeFilterOf } from './node-filter';

/** 'undecided': the report is cut before every line that tells a memcg OOM from the others
 * (reachedScopeLines). */
export type OomScope = 'global' | 'memcg' | 'cpuset' | 'mempolicy' | 'manual' | 'undecided';

/** How the OOM ended (Report.killed, Report.oomEnd). */
export type OomEnding =
  'killed' | 'panic_on_oom' | 'no_killable_panic' | 'no_killable' | 'panic' | 'not_printed';

/** A cgroup the report names, and what users call it (core/cgroup-path.ts). */
export interface NamedCgroup {
  path: string;
  identity: CgroupIdentity;
  /** cgroupLabel(identity): `pod 968a06fb… (Burstable) container 0f32894de86e`. */
  label: string;
}

/** One memcg page counter as printed, with the limit read: null when none is set (`max`). */
export interface MemcgCounterView extends MemcgCounter {
  /** null: no limit set (PAGE_COUNTER_MAX, isUnlimitedKb), or not printed. */
  limitKb: number | null;
  /** usage ≥ limit at the printout. */
  atLimit: boolean;
}

export interface OomKind {
  scope: OomScope;
  /** The report tells the constraint: the 5.0+ `oom-kill:` line, a memcg's name/counters/trace, or
   * vm.panic_on_oom=1's panic (CONSTRAINT_NONE only); false: an OOM outside a memory cgroup that
   * prints none of these, which may still have been cpuset- or mempolicy-bound. */
  constraintKnown: boolean;
  /** The printed constraint, `CONSTRAINT_NONE` …, or null. */
  constraint: string | null;
  ending: OomEnding;
  /** Why the scope was decided so, in the report's own words. */
  evidence: string;
  /** memcg only: the cgroup hierarchy, from the counters the report prints; null when undecided. */
  cgroupVersion: 'v1' | 'v2' | null;
  cgroupVersionEvidence: string | null;
  /** memcg only: the cgroup whose limit was hit (`oom_memcg=`, `limit of`). */
  limitCgroup: NamedCgroup | null;
  /** The killed task's cgroup (`task_memcg=`, `Task in`), when printed. */
  taskCgroup: NamedCgroup | null;
  /** memcg only: the counters as printed. */
  counters: MemcgCounterView[];
  /** memcg only: the cgroup's swap as its counters show it. */
  swap: MemcgSwap | null;
  /** The task killed, or null. */
  victim: { pid: number | null; comm: string | null } | null;
  /** The order is above PAGE_ALLOC_COSTLY_ORDER, for which the kernel does not call the OOM
   * killer (costlyOrderText); null otherwise. */
  costlyNote: string | null;
  /** A few words for the kind: `memory-cgroup OOM (cgroup v2)`, `global OOM`, `manual OOM (SysRq f)`. */
  label: string;
}

/** The swap a memcg may use, read from its counters:
 * - 'disabled': v2 `swap:` limit 0 (memory.swap.max = 0), or v1 `memory+swap:` limit equal to the
 *   `memory:` limit (memory.memsw.limit_in_bytes = memory.limit_in_bytes);
 * - 'limited': a swap limit above that;
 * - 'unlimited': no swap limit (`max`);
 * - 'not_accounted': v1 `memory+swap:` usage 0 while `memory:` is in use: the kernel does not
 *   account swap per cgroup (do_memsw_account() false: swapaccount=0 or no CONFIG_MEMCG_SWAP). */
export interface MemcgSwap {
  state: 'disabled' | 'limited' | 'unlimited' | 'not_accounted';
  usageKb: number | null;
  /** The swap the cgroup may use on top of memory (v2 swap.max; v1 memsw − memory limit), kB. */
  limitKb: number | null;
}

/** No limit set: PAGE_COUNTER_MAX (LONG_MAX / PAGE_SIZE pages) prints as 2^53 kB less one page,
 * 9007199254740988 kB with 4 KiB pages (mm/page_counter.c, include/linux/page_counter.h). */
export function isUnlimitedKb(limitKb: number | null): boolean {
  return limitKb !== null && limitKb >= 2 ** 53 - 1024;
}

function named(path: string | null): NamedCgroup | null {
  if (path === null || path === '') return null;
  const identity = describeCgroup(path);
  return { path: identity.path, identity, label: cgroupLabel(identity) };
}

/** An OOM kill asked for by hand (SysRq f): order=-1 (is_sysrq_oom, 4.7+) or moom_callback in a
 * frame the unwinder is sure of (drivers/tty/sysrq.c, every release). */
export function isManualOom(report: Pick<Report, 'kind' | 'order' | 'callTrace'>): boolean {
  if (report.kind !== 'oom_kill') return false;
  if (report.order === -1) return true;
  return report.callTrace.some((f) => !f.unreliable && f.function === 'moom_callback');
}

/** A memcg OOM called by a write to memory.max, not by a charge: mm/memcontrol.c memory_max_write
 * (cgroup v2; 4.14.67, 5.10.7, 6.8.1, 6.18.2) sets the new limit, reclaims, and when usage stays
 * above it calls mem_cgroup_out_of_memory(memcg, GFP_KERNEL, 0) in a loop until usage fits or no
 * task is left; its gfp_mask and order are those constants. */
export function memoryMaxLowered(report: Pick<Report, 'kind' | 'callTrace'>): boolean {
  return (
    report.kind === 'oom_kill' &&
    report.callTrace.some((f) => !f.unreliable && f.function === 'memory_max_write')
  );
}

/** A memcg OOM: the report names the cgroup (`oom_memcg=` 5.0+, `limit of` ≤4.19), prints
 * CONSTRAINT_MEMCG, or its call trace runs through the memcg OOM path (mem_cgroup_out_of_memory,
 * 3.x … 6.x mm/memcontrol.c; mem_cgroup_oom_synchronize, the deferred 3.12–4.x path) in a frame the
 * unwinder is sure of (a `?` frame is a stale stack word). */
export function isMemcgOom(report: Pick<Report, 'oomConstraint' | 'callTrace'>): boolean {
  const scope = report.oomConstraint;
  if (scope?.memcg || scope?.constraint === 'CONSTRAINT_MEMCG') return true;
  if (scope?.constraint) return false;
  return memcgOomFrame(report) !== null;
}

/** The memcg OOM frame the call trace shows, as printed: mem_cgroup_out_of_memory (the charge path,
 * mm/memcontrol.c) or mem_cgroup_oom_synchronize (3.12+, backported to el7's 3.10: the OOM deferred to the end of the
 * page fault, pagefault_out_of_memory); null when neither is there. */
export function memcgOomFrame(report: Pick<Report, 'callTrace'>): string | null {
  const f = report.callTrace.find(
    (f) =>
      !f.unreliable &&
      (f.function === 'mem_cgroup_out_of_memory' || f.function === 'mem_cgroup_oom_synchronize'),
  );
  return f ? f.function : null;
}

/** The callers of the OOM killer outside a memory cgroup: the page allocator (__alloc_pages_may_oom
 * in __alloc_pages_slowpath, 2.6.31 … 6.19; __alloc_pages before) and a page fault's VM_FAULT_OOM
 * (pagefault_out_of_memory, which tries mem_cgroup_oom_synchronize first, 3.12 … 6.19). A memcg OOM
 * runs through mem_cgroup_out_of_memory above them (isMemcgOom), so with the trace printed innermost
 * first, one of these without a memcg frame tells a system OOM. */
const SYSTEM_OOM_CALLERS = new Set([
  '__alloc_pages_may_oom',
  '__alloc_pages_slowpath',
  '__alloc_pages_nodemask',
  '__alloc_pages',
  'pagefault_out_of_memory',
]);

/** The report shows enough to tell a system OOM from a memcg one when no constraint is printed:
 * dump_header (mm/oom_kill.c) prints mem_cgroup_print_oom_info for a memcg OOM where the others
 * print show_mem (3.8 … 6.19: `if (memcg) … else show_mem`; 2.6.31 … 3.7 print the memcg lines
 * and then show_mem), then dump_tasks, then the kill; so a Mem-Info dump, zone lines, the task
 * table or the end of the OOM without memcg lines before them, or a system caller in the trace. */
function reachedScopeLines(
  r: Pick<Report, 'memInfoLine' | 'zones' | 'taskTable' | 'killed' | 'oomEnd' | 'callTrace'>,
): boolean {
  if (r.memInfoLine !== null || r.zones.length > 0 || r.taskTable !== null) return true;
  if (r.killed !== null || r.oomEnd !== null) return true;
  return r.callTrace.some((f) => !f.unreliable && SYSTEM_OOM_CALLERS.has(f.function.replace(/\..*$/, '')));
}

function endingOf(r: Pick<Report, 'killed' | 'oomEnd'>): OomEnding {
  if (r.killed) return 'killed';
  const end = r.oomEnd;
  if (!end) return 'not_printed';
  if (end.panicOnOom !== null) return 'panic_on_oom';
  if (end.noKillable) return end.panic !== null ? 'no_killable_panic' : 'no_killable';
  return end.panic !== null ? 'panic' : 'not_printed';
}

function counterViews(counters: readonly MemcgCounter[]): MemcgCounterView[] {
  return counters.map((c) => {
    const limitKb = isUnlimitedKb(c.limitKb) ? null : c.limitKb;
    return {
      name: c.name,
      usageKb: c.usageKb,
      limitKb,
      failcnt: c.failcnt,
      atLimit: c.usageKb !== null && limitKb !== null && c.usageKb >= limitKb,
      line: c.line,
    };
  });
}

/** The hierarchy from the counters printed: `swap:` is printed only on cgroup v2, `memory+swap:`
 * and `kmem:` only on v1 — from the release that split them (OOM_FACTS.memcgCountersByHierarchy);
 * before it both hierarchies print `memory+swap:` and `kmem:`. */
function hierarchyOf(
  views: readonly MemcgCounterView[],
  version: KernelVersion | null,
): { v: 'v1' | 'v2' | null; why: string | null } {
  if (views.some((c) => c.name === 'swap'))
    return {
      v: 'v2',
      why: 'the `swap:` counter line, which mem_cgroup_print_oom_meminfo prints only on the cgroup v2 hierarchy',
    };
  if (!views.some((c) => c.name === 'memory+swap' || c.name === 'kmem')) return { v: null, why: null };
  const split = OOM_FACTS.memcgCountersByHierarchy;
  if (version !== null && compareVersion(version, split.atLeast) >= 0)
    return {
      v: 'v1',
      why: `the \`memory+swap:\`/\`kmem:\` counter lines, which mem_cgroup_print_oom_meminfo prints only on cgroup v1 (${split.reason})`,
    };
  return {
    v: null,
    why:
      version === null
        ? `\`memory+swap:\`/\`kmem:\` lines, but the release is unknown: before the split (${split.reason}) both hierarchies printed them`
        : `\`memory+swap:\`/\`kmem:\` lines, which ${version.text} prints on both hierarchies (${split.reason})`,
  };
}

function swapOf(views: readonly MemcgCounterView[]): MemcgSwap | null {
  const memory = views.find((c) => c.name === 'memory');
  const v2 = views.find((c) => c.name === 'swap');
  if (v2)
    return {
      state: v2.limitKb === null ? 'unlimited' : v2.limitKb === 0 ? 'disabled' : 'limited',
      usageKb: v2.usageKb,
      limitKb: v2.limitKb,
    };
  const memsw = views.find((c) => c.name === 'memory+swap');
  if (!memsw) return null;
  // do_memsw_account() false: the memsw counter is never charged (mem_cgroup_charge / try_charge)
  if (memsw.usageKb === 0 && memory?.usageKb !== null && (memory?.usageKb ?? 0) > 0)
    return { state: 'not_accounted', usageKb: null, limitKb: null };
  const swapUsage =
    memsw.usageKb !== null && memory?.usageKb != null ? Math.max(0, memsw.usageKb - memory.usageKb) : null;
  if (memsw.limitKb === null) return { state: 'unlimited', usageKb: swapUsage, limitKb: null };
  const room = memory?.limitKb != null ? memsw.limitKb - memory.limitKb : null;
  return { state: room !== null && room <= 0 ? 'disabled' : 'limited', usageKb: swapUsage, limitKb: room };
}

/** Which OOM the report is (oom_kill reports only; null for the others). */
export function classifyOom(
  report: Report,
  version: KernelVersion | null,
  pageSizeKb = report.pageSizeKb ?? 4,
): OomKind | null {
  if (report.kind !== 'oom_kill') return null;
  const c = report.oomConstraint;
  const ending = endingOf(report);
  const victim = report.killed ? { pid: report.killed.pid, comm: report.killed.comm } : null;
  const taskCgroup = named(c?.taskMemcg ?? null);
  const base = {
    constraint: c?.constraint ?? null,
    ending,
    cgroupVersion: null,
    cgroupVersionEvidence: null,
    limitCgroup: null,
    taskCgroup,
    counters: [],
    swap: null,
    victim,
    costlyNote: costlyOrderText(report, version, isMemcgOom(report)),
  };
  if (isManualOom(report))
    return {
      ...base,
      scope: 'manual',
      constraintKnown: c?.constraint != null,
      evidence:
        report.order === -1
          ? 'order=-1: drivers/tty/sysrq.c moom_callback calls out_of_memory with .order = -1 (is_sysrq_oom, mm/oom_kill.c)'
          : 'moom_callback in the call trace: the SysRq f handler (drivers/tty/sysrq.c) called out_of_memory',
      label: 'manual OOM (SysRq f)',
    };
  if (isMemcgOom(report)) {
    const counters = counterViews(report.memcgCounters);
    const h = hierarchyOf(counters, version);
    // without the summary line (no victim: dump_header(oc, NULL)) the first `Memory cgroup stats
    // for <path>:` names it: mem_cgroup_print_oom_meminfo(oc->memcg) prints the OOM memcg's path
    // (5.10.7, 6.8.1; ≤4.19 mem_cgroup_print_oom_info walks its subtree from that memcg first)
    const limitCgroup = named(c?.memcg ?? report.memcgStats[0]?.path ?? null);
    return {
      ...base,
      scope: 'memcg',
      constraintKnown: true,
      evidence: c?.memcg
        ? c.constraint
          ? `constraint=${c.constraint}, oom_memcg=${c.memcg} (dump_oom_summary)`
          : `\`Task in … killed as a result of limit of ${c.memcg}\` (mem_cgroup_print_oom_info)`
        : c?.constraint === 'CONSTRAINT_MEMCG'
          ? 'constraint=CONSTRAINT_MEMCG (dump_oom_summary)'
          : `${memcgOomFrame(report) ?? 'mem_cgroup_out_of_memory'} in the call trace (mm/memcontrol.c: the charge of a memory cgroup hit its limit)`,
      cgroupVersion: h.v,
      cgroupVersionEvidence: h.why,
      limitCgroup,
      counters,
      swap: swapOf(counters),
      label: `memory-cgroup OOM${h.v ? ` (cgroup ${h.v})` : ''}`,
    };
  }
  if (c?.constraint === 'CONSTRAINT_CPUSET')
    return {
      ...base,
      scope: 'cpuset',
      constraintKnown: true,
      evidence: `constraint=CONSTRAINT_CPUSET${report.cpuset ? `, cpuset=${report.cpuset}` : ''}${report.memsAllowed ? `, mems_allowed=${report.memsAllowed}` : ''} (constrained_alloc: the task's cpuset excludes some nodes)`,
      label: 'cpuset-confined OOM',
    };
  if (c?.constraint === 'CONSTRAINT_MEMORY_POLICY')
    return {
      ...base,
      scope: 'mempolicy',
      constraintKnown: true,
      evidence: `constraint=CONSTRAINT_MEMORY_POLICY${report.nodemask ? `, nodemask=${report.nodemask}` : ''} (constrained_alloc: the request's mempolicy nodemask excludes some nodes)`,
      label: 'mempolicy-confined OOM',
    };
  const printed = c?.constraint === 'CONSTRAINT_NONE' || (c?.global ?? false);
  // check_panic_on_oom (mm/oom_kill.c 2.6.32 … 6.19): panic_on_oom=1 panics only for CONSTRAINT_NONE
  const panicNone = !printed && report.oomEnd?.panicOnOom === 1;
  const policy = printed || panicNone ? null : inferredMempolicy(report, version, pageSizeKb);
  if (policy !== null)
    return {
      ...base,
      scope: 'mempolicy',
      constraintKnown: false,
      evidence: policy,
      label: 'mempolicy-confined OOM (inferred)',
    };
  if (!printed && !panicNone && !reachedScopeLines(report))
    return {
      ...base,
      scope: 'undecided',
      constraintKnown: false,
      evidence:
        "the report ends before the lines that tell: dump_header (mm/oom_kill.c) prints a memory cgroup's " +
        '`Task in … limit of` / `memory: usage` lines (mem_cgroup_print_oom_info) where the others print ' +
        "show_mem's Mem-Info, then the task table and the kill, and the call trace stops before the " +
        'caller of the OOM killer (the page allocator, a page fault or a memory cgroup charge)',
      label: 'OOM (the report is cut before the lines that tell a memory cgroup’s from a system one)',
    };
  return {
    ...base,
    scope: 'global',
    constraintKnown: printed || panicNone,
    evidence: printed
      ? `constraint=CONSTRAINT_NONE${c?.global ? ', global_oom' : ''} (dump_oom_summary): no memory cgroup, cpuset or mempolicy limited it`
      : panicNone
        ? 'vm.panic_on_oom=1 panicked, which check_panic_on_oom (mm/oom_kill.c) does only for CONSTRAINT_NONE: no memory cgroup, cpuset or mempolicy limited it'
        : 'no memory cgroup in the report (no `oom_memcg=`, `Task in … limit of` or memcg counters) and no constraint printed (the `oom-kill:constraint=` line is 5.0+): system memory ran out, possibly only on the nodes a cpuset or mempolicy allowed',
    label: printed || panicNone ? 'global OOM' : 'system OOM (not a memory cgroup)',
  };
}

/** A mempolicy OOM the report does not name (no `oom-kill:constraint=` line, OOM_FACTS.oomConstraintLine),
 * inferred from constrained_alloc (mm/oom_kill.c, 2.6.32 … 6.19): with CONFIG_NUMA, a request without
 * __GFP_THISNODE whose nodemask does not cover every node with memory (`!nodes_subset(
 * node_states[N_MEMORY], *oc->nodemask)`) is CONSTRAINT_MEMORY_POLICY. The header's non-null
 * `nodemask=` is that nodemask (from OOM_FACTS.oomHeaderNullNodemask), and memory outside it shows
 * in Mem-Info's system-wide free count above the printed zones (node-filter.ts), or, without that
 * count, in the node numbers below the mask's highest it leaves out. The words, or null. */
function inferredMempolicy(report: Report, version: KernelVersion | null, pageSizeKb: number): string | null {
  if (report.nodemask === null) return null;
  const nullPrinted = OOM_FACTS.oomHeaderNullNodemask;
  if (version !== null && compareVersion(version, nullPrinted.atLeast) < 0) return null;
  // constrained_alloc: `if (oc->gfp_mask & __GFP_THISNODE) return CONSTRAINT_NONE;`
  if (report.gfp?.printed == null || /__GFP_THISNODE|GFP_THISNODE/.test(report.gfp.printed)) return null;
  const filter = nodeFilterOf(report, pageSizeKb);
  if (filter === null || filter.allowed?.field !== 'nodemask') return null;
  const head = `inferred, not printed (the \`oom-kill:constraint=\` line is ${releaseText(OOM_FACTS.oomConstraintLine.atLeast)}+): the header's nodemask=${report.nodemask} is the request's own nodemask (its mempolicy), and constrained_alloc (mm/oom_kill.c) returns CONSTRAINT_MEMORY_POLICY when that nodemask does not cover every node with memory`;
  if (filter.evidence === 'counters')
    return `${head}; Mem-Info's free: count (every node, ${formatKb(filter.globalFreeKb ?? 0)}) is above what the printed nodemask nodes hold, so nodes outside it have memory`;
  const lower = filter.allowed.nodes;
  const left = missingBelow(lower);
  return `${head}; it leaves out node${left.length === 1 ? '' : 's'} ${left.join(', ')}, so this holds unless ${left.length === 1 ? 'that node has' : 'those nodes have'} no memory — the dump prints only the nodemask's nodes (show_mem(SHOW_MEM_FILTER_NODES)), so it cannot show them`;
}

/** A kB count as a person reads it, exact: `512 MiB`, `2 GiB`, else `17024340 kB`. */
export const kbWords = (kb: number): string => exactSize(kb, ['kB', 'MiB', 'GiB']);

/** The counter that hit its limit first in the kernel's order (memory, then memory+swap / swap,
 * then kmem), else `memory`. */
export function limitCounter(kind: OomKind): MemcgCounterView | null {
  return kind.counters.find((c) => c.atLimit) ?? kind.counters.find((c) => c.name === 'memory') ?? null;
}

/** `usage 512 MiB of limit 512 MiB` for the counter at its limit, or null when not printed. */
export function usageWords(kind: OomKind | null): string | null {
  const c = kind && limitCounter(kind);
  if (!c || c.usageKb === null) return null;
  const what = c.name === 'memory' ? '' : `${c.name} `;
  return `${what}usage ${kbWords(c.usageKb)} of limit ${c.limitKb === null ? 'max (none set)' : kbWords(c.limitKb)}`;
}

/** Who hit the limit, as users name it: the limit cgroup's label, else a phrase; without a
 * classification (`kind` null), the cgroup name the report prints. */
export function memcgWho(kind: OomKind | null, printedName: string | null = null): string {
  if (kind?.limitCgroup) {
    const l = kind.limitCgroup.identity;
    // a plain path is the log's text: say "memory cgroup /x"; a named one reads on its own
    return l.kind === 'plain' && !l.allPods && l.qosClass === undefined
      ? `memory cgroup ${kind.limitCgroup.path}`
      : kind.limitCgroup.label;
  }
  if (kind === null && printedName !== null) return `memory cgroup ${printedName}`;
  return 'a memory cgroup (its name is not printed)';
}

/** The costly-order rule: the page allocator never calls the OOM killer for an order above
 * PAGE_ALLOC_COSTLY_ORDER (3) — __alloc_pages_may_oom `if (order > PAGE_ALLOC_COSTLY_ORDER) goto
 * out;`, for every mask from 4.11, unless __GFP_NOFAIL before (OOM_FACTS.costlyOomUnlessNofail) —
 * and mem_cgroup_oom skips such charges from 4.19 (OOM_FACTS.memcgCostlySkip). An OOM report
 * printing such an order therefore says where its kill could have come from. Null for order ≤ 3. */
export function costlyOrderText(
  report: Pick<Report, 'order' | 'gfp'>,
  version: KernelVersion | null,
  memcg: boolean,
): string | null {
  const order = report.order;
  if (order === null || order <= COSTLY_ORDER) return null;
  const nofail = report.gfp?.printed ? /__GFP_NOFAIL/.test(report.gfp.printed) : null;
  const f = OOM_FACTS;
  const after = (b: KernelVersion): boolean | null =>
    version === null ? null : compareVersion(version, b) >= 0;
  const head = `order-${order} is above PAGE_ALLOC_COSTLY_ORDER (3)`;
  if (memcg) {
    const skips = after(f.memcgCostlySkip.atLeast);
    return skips === true
      ? `${head}, and mem_cgroup_oom (mm/memcontrol.c, ${version?.text ?? ''}) does not call the OOM killer for such a charge: the kill was asked for by a smaller charge or a page fault, not by this order.`
      : `${head}: ${skips === false ? 'this kernel' : `a kernel before ${releaseText(f.memcgCostlySkip.atLeast)}`} still let a charge of that order call the memcg OOM killer (${f.memcgCostlySkip.reason}).`;
  }
  const nofailEra = version === null ? null : compareVersion(version, f.costlyOomUnlessNofail.atMost) <= 0;
  const upTo = `≤${f.costlyOomUnlessNofail.atMost.major}.${f.costlyOomUnlessNofail.atMost.minor}`;
  if (nofailEra === true)
    return nofail === true
      ? `${head}: __alloc_pages_may_oom (mm/page_alloc.c, ${upTo}) calls the OOM killer for such an order only because the request carries __GFP_NOFAIL.`
      : `${head}: __alloc_pages_may_oom (mm/page_alloc.c, ${upTo}) calls the OOM killer for such an order only with __GFP_NOFAIL${nofail === false ? ', which this request does not carry, so the kill was not invoked by this allocation' : ''}.`;
  return `${head}: __alloc_pages_may_oom (mm/page_alloc.c${nofailEra === false ? `, ${version?.text ?? ''}` : ''}) never calls the OOM killer for such an order (${f.costlyOomUnlessNofail.reason}); the allocation fails instead, so this order is not what invoked the kill.`;
}
