// The verdict: why the request failed, as far as the replayed watermark check can tell
// (product.md: no allowed zone had the pages / fragmentation / the zones passed / undecidable).

import type { Report } from './model';
import type { AllocFlags, ReplayAnalysis, Verdict, ZoneCheck } from './analysis-types';
import { canonicalZone, zoneLabel } from './zones';
import { oomEndText, REPORT_KINDS } from './kinds';
import { vmallocVerdict } from './vmalloc';
import { OOM_FACTS } from './kernel/eras';
import { releaseText } from './kernel-version';
import {
  isManualOom,
  isMemcgOom,
  isUnlimitedKb,
  kbWords,
  limitCounter,
  memcgOomFrame,
  memcgWho,
  usageWords,
  type OomKind,
  memoryMaxLowered,
} from './oom-kind';

export interface VerdictInput {
  report: Report;
  replay: ReplayAnalysis | null;
  /** An OOM report's request replayed at min (its own attempts); `replay` is then the last
   * attempt at high. Null otherwise. */
  minReplay?: ReplayAnalysis | null;
  order: number | null;
  flags: AllocFlags | null;
  /** Why the replay could not run (no gfp, no era, no zones …), when it did not. */
  replayBlocked: string | null;
  costly: boolean;
  /** The mask may enter direct reclaim (GfpAnalysis.canReclaim); null or absent: unknown. */
  canReclaim?: boolean | null;
  /** Page size the replay used (kB), to read a zone's printed `boost:` in pages. */
  pageSizeKb?: number;
  /** Which OOM an OOM report is (oom-kind.ts classifyOom); absent or null for the other kinds. */
  oomKind?: OomKind | null;
}

const list = (zs: ZoneCheck[]): string => zs.map((z) => zoneLabel(z)).join(', ');

/** One zone's first comparison in numbers: `Node 0 DMA32: 1229 free − 5 unusable = 1224 ≤ high 2000 + reserve 0`. */
function checkText(z: ZoneCheck, mark = 'high'): string {
  if (
    z.freePages === null ||
    z.unusablePages === null ||
    z.adjustedMinPages === null ||
    z.reservePages === null
  )
    return `${zoneLabel(z)}: not decidable`;
  const left = z.freePages - z.unusablePages;
  const right = z.adjustedMinPages + z.reservePages;
  return (
    `${zoneLabel(z)}: ${z.freePages} free − ${z.unusablePages} unusable${z.unusablePages > 0 ? ` (${z.unusableText})` : ''} = ${left} ${left > right ? '>' : '≤'} ` +
    `${mark} ${z.adjustedMinPages} + lowmem_reserve ${z.reservePages} = ${right} pages`
  );
}

/**
 * A zone that failed only because of its free CMA pages (ZoneCheck.cmaDecides: it passes with
 * them counted) had its non-CMA memory exhausted: __zone_watermark_ok subtracts
 * NR_FREE_CMA_PAGES without ALLOC_CMA (mm/page_alloc.c, from 3.7 — the era row's subtractsCma),
 * and gfp_to_alloc_flags sets ALLOC_CMA only for movable requests, so the free CMA pages were
 * not memory this request had. The words name the two counts: what it may use against the mark
 * (`164 pages against an atomic min of 313`) and the free CMA pages (35784). Null when the zone is
 * not such a zone or a count is missing.
 */
export function cmaShortWords(
  z: ZoneCheck,
  mark: 'min' | 'high',
  atomic: boolean,
): { counts: string; cmaPages: number | null } | null {
  if (
    !z.cmaDecides ||
    z.freePages === null ||
    z.unusablePages === null ||
    z.adjustedMinPages === null ||
    z.reservePages === null
  )
    return null;
  const cma = Number(z.unusableText.match(/free CMA (\d+)/)?.[1] ?? NaN);
  const markWords =
    mark === 'high'
      ? 'the high watermark of'
      : atomic
        ? 'an atomic min of'
        : z.adjustedMinPages !== z.minPages
          ? 'an adjusted min of'
          : 'min';
  return {
    counts:
      `${z.freePages - z.unusablePages} pages against ${markWords} ${z.adjustedMinPages}` +
      (z.reservePages > 0 ? ` + lowmem_reserve ${z.reservePages}` : ''),
    cmaPages: Number.isFinite(cma) ? cma : null,
  };
}

/** Every zone that failed the request failed by its free CMA pages (the words "non-CMA memory
 * exhausted" then fit the whole verdict). */
export function allFailedByCma(zones: readonly ZoneCheck[]): boolean {
  const failed = zones.filter((z) => z.usable && z.pass === false);
  return failed.length > 0 && failed.every((z) => z.cmaDecides === true);
}

/** 5.0+: high_wmark_pages() is `_watermark[WMARK_HIGH] + watermark_boost` (include/linux/mmzone.h,
 * K510 … K619) and the printed `high:` includes it, so a boost can decide the last attempt: say so
 * where the zone would pass the unboosted high (zone_watermark_fast ignores the boost only for
 * ALLOC_MIN_RESERVE order-0 requests at WMARK_MIN, never at high). */
function boostText(failed: ZoneCheck[], report: Pick<Report, 'zones'>, pageSizeKb: number | null): string {
  if (pageSizeKb === null) return '';
  const decided: string[] = [];
  for (const c of failed) {
    const z = report.zones.find((x) => x.line === c.line && x.node === c.node && x.zone === c.zone);
    if (!z || z.boostKb === null || z.boostKb <= 0) continue;
    if (
      c.freePages === null ||
      c.unusablePages === null ||
      c.adjustedMinPages === null ||
      c.reservePages === null
    )
      continue;
    const boost = Math.floor(z.boostKb / pageSizeKb);
    const unboosted = c.adjustedMinPages - boost;
    const left = c.freePages - c.unusablePages;
    if (left > unboosted + c.reservePages)
      decided.push(
        `${zoneLabel(c)}'s printed high includes a watermark boost of ${boost} pages (boost:${z.boostKb}kB), and without it the attempt would pass (${left} > ${unboosted} + ${c.reservePages})`,
      );
  }
  return decided.length > 0
    ? ` ${decided.join('; ')}: at this printout the attempt fails on the boost (raised by boost_watermark after fragmenting fallbacks; vm.watermark_boost_factor), not on the zone's own high.`
    : '';
}

/** What the request's own attempts at min (the OOM report's request replayed with its alloc
 * flags) say beside the last attempt at high. */
function minCheckText(minReplay: ReplayAnalysis | null): string {
  if (!minReplay) return '';
  const usable = minReplay.zones.filter((z) => z.usable);
  const passMin = usable.filter((z) => z.pass === true);
  if (usable.length === 0) return '';
  if (usable.some((z) => z.pass === null))
    return ` Whether the request's own attempts (${minReplay.allocFlagsText}) failed at min cannot be decided from this report: an input it does not print, or the release, decides it (see the replay's notes).`;
  if (passMin.length === 0) {
    // what made them fail there: the reserves the request could not use (rule 1, 3)
    const why = hiddenReserveReasons(usable, 'min', false); // an OOM's request may sleep
    return ` The request's own attempts (${minReplay.allocFlagsText}) fail at min as well${why.length > 0 ? `: ${why.join('; ')}` : ''}.`;
  }
  return (
    ` At min, the mark of the request's own attempts (${minReplay.allocFlagsText}), ${list(passMin)} would pass at this printout ` +
    `(${passMin.map((z) => checkText(z, 'min')).join('; ')}): pages came free after those attempts failed, but not up to high, which the last attempt needs — ` +
    'not a race that the OOM kill lost.'
  );
}

/** An OOM kill asked for by hand with SysRq f, printed with order=-1: drivers/tty/sysrq.c
 * moom_callback calls out_of_memory with `.order = -1` (kernel/eras.ts OOM_FACTS.sysrqOrderMinusOne;
 * is_sysrq_oom() in mm/oom_kill.c). */
export const SYSRQ_OOM_TEXT =
  'A manual OOM kill: order=-1 is how the kernel marks an OOM kill asked for with SysRq f (echo f > /proc/sysrq-trigger; ' +
  'is_sysrq_oom() in mm/oom_kill.c), not an allocation that failed, so there is no request to replay against the zones. ' +
  'The zones below show the memory at that moment.';

/** The verdict of a manual OOM (oom-kind.ts isManualOom): nothing failed, nothing to replay, no
 * race to lose; the kernel kills even when memory is free (out_of_memory with a sysrq oom_control:
 * check_panic_on_oom does not panic for it, 4.19 … 6.19 mm/oom_kill.c). */
function manualOomText(report: Report): string {
  const order0 =
    report.order === -1
      ? ''
      : ` Before ${releaseText(OOM_FACTS.sysrqOrderMinusOne.atLeast)} SysRq f called out_of_memory with order 0 (drivers/tty/sysrq.c moom_callback, 3.14), so this report's order=${report.order ?? '?'} and gfp_mask are the handler's constants, not a request.`;
  return (
    (report.order === -1
      ? SYSRQ_OOM_TEXT
      : 'A manual OOM kill: moom_callback in the call trace is the SysRq f handler (echo f > /proc/sysrq-trigger; drivers/tty/sysrq.c), not an allocation that failed, so there is no request to replay against the zones. The zones below show the memory at that moment.' +
        order0) +
    ' Someone asked for this kill (a person, or a tool such as earlyoom or a watchdog writing to /proc/sysrq-trigger): it says nothing about whether memory ran out.'
  );
}

/** The memcg OOM's verdict: the cgroup that hit its limit, named as users name it, its counters,
 * its swap, and why the zones and the vm sysctls do not take part (mm/memcontrol.c try_charge →
 * mem_cgroup_oom → mem_cgroup_out_of_memory; dump_header prints no Mem-Info for a memcg OOM). */
function memcgVerdict(input: VerdictInput): { verdict: Verdict; text: string; short: string } {
  const { report } = input;
  const kind = input.oomKind ?? null;
  const scope = report.oomConstraint;
  const name = scope?.memcg ?? null;
  const who = memcgWho(kind, name);
  const usage = usageWords(kind);
  const version = kind?.cgroupVersion ? ` (cgroup ${kind.cgroupVersion}: ${kind.cgroupVersionEvidence})` : '';
  const task =
    kind?.taskCgroup && kind.limitCgroup && kind.taskCgroup.path !== kind.limitCgroup.path
      ? ` The killed task was in ${kind.taskCgroup.label === kind.taskCgroup.path ? kind.taskCgroup.path : `${kind.taskCgroup.label} (${kind.taskCgroup.path})`}, inside it.`
      : scope?.taskMemcg && scope.taskMemcg !== name
        ? ` (the task is in ${scope.taskMemcg})`
        : '';
  const path =
    kind?.limitCgroup && kind.limitCgroup.identity.kind !== 'plain' ? ` (${kind.limitCgroup.path})` : '';
  const lowered = memoryMaxLowered(report);
  return {
    verdict: 'not_applicable',
    text:
      `A memory-cgroup OOM${version}: ${who}${path} ${lowered ? 'was over its memory limit' : 'hit its memory limit'}${usage ? ` (${usage})` : ''}.${task}` +
      (scope?.memcg || scope?.constraint === 'CONSTRAINT_MEMCG'
        ? ''
        : ` ${memcgOomFrame(report) ?? 'mem_cgroup_out_of_memory'} in the call trace: the charge of the cgroup, not a zone, failed.`) +
      ` ${memcgUsageText(report)}${kind?.swap ? ` ${swapText(kind)}` : ''} ` +
      (lowered
        ? `No allocation and no charge failed: ${report.comm ?? 'a task'} wrote memory.max below the cgroup's usage, reclaim could not bring the usage under it, and memory_max_write called the OOM killer (mm/memcontrol.c; it repeats until the usage fits or no task is left to kill). `
        : 'The kernel killed inside that cgroup while the system as a whole may have had free memory: no allocation failed in the zones, a charge hit the limit (try_charge → mem_cgroup_oom, mm/memcontrol.c). ') +
      (kind !== null && limitCounter(kind)?.name === 'memory+swap'
        ? 'Raise the memory+swap limit (memory.memsw.limit_in_bytes, cgroup v1; the memory limit alone does not lift it) or reduce what the cgroup uses; vm.* sysctls do not change it.'
        : 'Raise the limit (memory.max on cgroup v2, memory.limit_in_bytes on v1) or reduce what the cgroup uses; vm.* sysctls do not change it.') +
      endText(report),
    short: lowered ? `${who}'s memory.max was written below its usage` : `${who} hit its memory limit`,
  };
}

/** The memcg's swap as its counters print it (oom-kind.ts MemcgSwap). */
function swapText(kind: OomKind): string {
  const s = kind.swap;
  if (!s) return '';
  const v2 = kind.counters.some((c) => c.name === 'swap');
  // memory+swap is printed on both hierarchies before the split (oom-kind.ts hierarchyOf)
  const memswFile =
    kind.cgroupVersion === 'v1'
      ? 'memory.memsw.limit_in_bytes'
      : 'memory.memsw.limit_in_bytes on cgroup v1, memory.swap.max on v2';
  switch (s.state) {
    case 'disabled':
      return v2
        ? 'Swap: memory.swap.max is 0, so the cgroup could not move anonymous memory to swap.'
        : 'Swap: the memory+swap limit equals the memory limit, so the cgroup could not move anonymous memory to swap.';
    case 'not_accounted':
      return 'Swap: memory+swap shows usage 0 while memory is in use, so this kernel does not account swap per cgroup (swapaccount=0, or no CONFIG_MEMCG_SWAP): the cgroup may swap as far as the system has swap.';
    case 'unlimited':
      return `Swap: no swap limit (${v2 ? 'memory.swap.max' : memswFile} is max)${s.usageKb !== null ? `, ${kbWords(s.usageKb)} in swap` : ''}: the cgroup could swap as far as the system had swap (Total swap in the system's own reports).`;
    case 'limited':
      return `Swap: limited to ${s.limitKb !== null ? kbWords(s.limitKb) : 'a set amount'}${s.usageKb !== null ? `, ${kbWords(s.usageKb)} in use` : ''} (${v2 ? 'memory.swap.max' : kind.cgroupVersion === 'v1' ? 'memory.memsw.limit_in_bytes minus memory.limit_in_bytes' : memswFile}).`;
  }
}

/** The caller of the first `out_of_memory` frame the unwinder is sure of (a `?` frame is a stale
 * stack word), and every such frame's function. */
function reliableFrames(report: Pick<Report, 'callTrace'>): string[] {
  return report.callTrace.filter((f) => !f.unreliable).map((f) => f.function);
}

/**
 * An OOM report that no failed allocation led to, so there was no last attempt to replay:
 * - 'pagefault': gfp_mask=0x0 is the marker of pagefault_out_of_memory (mm/oom_kill.c 2.6.29 …
 *   6.19, `struct oom_control oc = { … .gfp_mask = 0, .order = 0 }`), which calls out_of_memory
 *   directly after a fault returned VM_FAULT_OOM: __alloc_pages_may_oom never ran.
 * - 'lru_gen': kswapd called out_of_memory itself from balance_pgdat → kswapd_age_node →
 *   lru_gen_age_node (mm/vmscan.c, 6.1 "mm: multi-gen LRU: thrashing prevention" … 6.19; the two
 *   are static and usually inlined into balance_pgdat): when /sys/kernel/mm/lru_gen/min_ttl_ms is
 *   set and no lruvec has a generation older than it, `struct oom_control oc = { .gfp_mask =
 *   sc->gfp_mask }` with order 0 — kswapd's own scan_control, not a request. A PF_MEMALLOC task
 *   never reaches __alloc_pages_may_oom (__alloc_pages_slowpath: `if (current->flags &
 *   PF_MEMALLOC) goto nopage`), and no other path of mm/vmscan.c calls out_of_memory.
 * A memcg OOM is left to its own reading (isMemcgOom).
 */
export function oomWithoutRequest(
  report: Pick<Report, 'kind' | 'gfp' | 'callTrace' | 'oomConstraint'>,
): 'pagefault' | 'lru_gen' | null {
  if (report.kind !== 'oom_kill' || isMemcgOom(report)) return null;
  if (report.gfp && /^0x0+$/i.test(report.gfp.raw)) return 'pagefault';
  const frames = reliableFrames(report);
  if (frames.includes('lru_gen_age_node') || frames.includes('kswapd_age_node')) return 'lru_gen';
  const at = frames.indexOf('out_of_memory');
  if (at >= 0 && frames[at + 1] === 'balance_pgdat') return 'lru_gen';
  return null;
}

/** No allocation failed: kswapd's MGLRU thrashing protection asked for the kill (oomWithoutRequest). */
const LRU_GEN_OOM_TEXT =
  'No allocation failed: kswapd called the OOM killer itself, from balance_pgdat → kswapd_age_node → lru_gen_age_node ' +
  '(mm/vmscan.c, multi-gen LRU thrashing prevention, 6.1+). With /sys/kernel/mm/lru_gen/min_ttl_ms set (it is 0, off, by default), ' +
  'kswapd kills when no memory cgroup on the node has a generation of pages older than min_ttl_ms: the working set of the last ' +
  'min_ttl_ms could not be kept in memory (Documentation/admin-guide/mm/multigen_lru.rst, "Thrashing prevention"). ' +
  "The gfp_mask and order=0 are kswapd's own scan_control, not a request, and a PF_MEMALLOC task never reaches __alloc_pages_may_oom " +
  '(__alloc_pages_slowpath: if (current->flags & PF_MEMALLOC) goto nopage), so there is no last attempt to replay; the zones below show the memory at that moment. ' +
  'A larger min_ttl_ms kills sooner to keep a longer working set; 0 turns this kill off (the system may thrash instead).';

/** What the OOM report itself says about its scope (parser: `oom-kill:constraint=` 5.0+, or the
 * older `Task in … killed as a result of limit of …` memcg line). constrained_alloc (mm/oom_kill.c,
 * 2.6.32 … 6.19) returns CONSTRAINT_NONE unless a mempolicy nodemask narrower than the memory
 * nodes or a cpuset that excludes a zone of the zonelist limited the request (CONSTRAINT_MEMCG for
 * mem_cgroup_out_of_memory); on a kernel without CONFIG_NUMA, and for __GFP_THISNODE, it is
 * always CONSTRAINT_NONE. */
export function oomScope(
  report: VerdictInput['report'],
  thisnode = false,
  kind: OomKind | null = null,
): string {
  const scope = report.oomConstraint;
  // a mempolicy OOM classifyOom inferred from the nodemask and the dump (oom-kind.ts inferredMempolicy)
  if (kind?.scope === 'mempolicy' && !kind.constraintKnown && !scope?.constraint)
    return `A mempolicy OOM (${kind.evidence}): the OOM is confined to nodemask ${report.nodemask ?? '?'}, which ran out; other nodes may have had free memory.`;
  if (scope?.memcg)
    return `The report names the cause: the memory cgroup ${scope.memcg} hit its limit (${scope.constraint ?? 'memcg OOM'}), so the system-wide zones were never short.`;
  if (scope?.constraint === 'CONSTRAINT_CPUSET')
    return (
      `The report prints constraint=CONSTRAINT_CPUSET: the task's cpuset${report.cpuset ? ` ${report.cpuset}` : ''} allows only ` +
      `${report.memsAllowed !== null ? `node${/[-,]/.test(report.memsAllowed) ? 's' : ''} ${report.memsAllowed}` : 'some nodes (mems_allowed not printed)'}: the OOM is confined to those nodes, other nodes may have had free memory.`
    );
  if (scope?.constraint === 'CONSTRAINT_MEMORY_POLICY')
    return (
      `The report prints constraint=CONSTRAINT_MEMORY_POLICY: the task's mempolicy allows only ` +
      `${report.nodemask !== null ? `nodemask ${report.nodemask}` : 'some nodes (the nodemask is not printed)'}: the OOM is confined to those nodes, other nodes may have had free memory.`
    );
  if (scope?.constraint === 'CONSTRAINT_NONE' || (scope?.global && scope.constraint === null))
    return (
      'The report prints constraint=CONSTRAINT_NONE' +
      (scope.global ? ' and global_oom' : '') +
      ': a global OOM, limited by no memory cgroup, cpuset or mempolicy (constrained_alloc, mm/oom_kill.c)' +
      (thisnode
        ? ' — __GFP_THISNODE requests are always reported as CONSTRAINT_NONE, though only one node was allowed'
        : '') +
      (scope.taskMemcg ? `; task_memcg=${scope.taskMemcg} is the killed task's cgroup, not the cause` : '') +
      '.'
    );
  const nodes = [
    report.memsAllowed !== null ? `mems_allowed=${report.memsAllowed}` : null,
    report.nodemaskPrinted ? `nodemask=${report.nodemask ?? '(null)'}` : null,
  ].filter((x): x is string => x !== null);
  return (
    'The report does not print the OOM constraint (5.0+ prints it in the `oom-kill:constraint=` line)' +
    (nodes.length === 2
      ? `; the allowed nodes it prints (${nodes.join(', ')}) are applied above.`
      : `; ${nodes.length === 1 ? `only ${nodes[0]} is printed, so ` : ''}a ${report.memsAllowed === null ? 'cpuset' : 'mempolicy'} limit on the nodes is possible and not shown.`)
  );
}

const kb = (n: number): string => `${n} kB`;

/** The cgroup's page counters as the report prints them, or what is missing. */
function memcgUsageText(report: Pick<Report, 'memcgCounters'>): string {
  const counters = report.memcgCounters;
  const memory = counters.find((c) => c.name === 'memory');
  if (!memory || memory.usageKb === null || memory.limitKb === null)
    return (
      "The report does not print the cgroup's usage and limit (the `memory: usage …kB, limit …kB, failcnt …` line of " +
      'mem_cgroup_print_oom_meminfo); `memory.current` and `memory.max` (cgroup v2) or `memory.usage_in_bytes` and ' +
      '`memory.limit_in_bytes` (v1) in the cgroup show them now.'
    );
  const atLimit = counters.filter(
    (c) => c.usageKb !== null && c.limitKb !== null && !isUnlimitedKb(c.limitKb) && c.usageKb >= c.limitKb,
  );
  const shown = counters.filter((c) => c === memory || atLimit.includes(c));
  const left = memory.limitKb - memory.usageKb;
  return (
    `It prints ${shown
      .map(
        (c) =>
          `${c.name}: usage ${kb(c.usageKb ?? 0)} of limit ${isUnlimitedKb(c.limitKb) ? 'max (none set)' : kb(c.limitKb ?? 0)}` +
          (c.failcnt !== null ? ` (failcnt ${c.failcnt}: charges refused at the limit so far)` : ''),
      )
      .join('; ')}` +
    (atLimit.length > 0
      ? `: the ${atLimit.map((c) => c.name).join(' and ')} counter${atLimit.length > 1 ? 's are' : ' is'} ${overLimitWords(atLimit)}.`
      : `: usage is ${kb(left)} below the limit at the printout (the failed charge needed more, or memory was uncharged since).`)
  );
}

/** A charge never takes a counter past its limit (mm/page_counter.c page_counter_try_charge); usage
 * above it means the limit was set below the usage (memory_max_write) or a charge was forced. */
function overLimitWords(counters: readonly { usageKb: number | null; limitKb: number | null }[]): string {
  const over = counters.filter((c) => c.usageKb !== null && c.limitKb !== null && c.usageKb > c.limitKb);
  return over.length === 0
    ? 'at the limit'
    : over.length === counters.length
      ? 'above the limit'
      : 'at or above the limit';
}

/** What happened instead of a kill (Report.oomEnd), as a sentence after a verdict. */
function endText(report: Pick<Report, 'oomEnd' | 'killed'>): string {
  const t = oomEndText(report);
  return t ? ` Then ${t}.` : '';
}

/** Zones that fail only because of memory the check keeps from this request: the highatomic
 * reserve (bounded when unprinted, watermarks.ts) or free CMA pages without ALLOC_CMA. */
function hiddenReserveReasons(failed: ZoneCheck[], mark: 'min' | 'high', atomic: boolean): string[] {
  const out: string[] = [];
  for (const z of failed) {
    const h = z.hiddenHighatomic;
    if (h && h.decided === 'both' && h.passesWithout === true && h.low > 0)
      out.push(
        `${zoneLabel(z)} fails only because of its highatomic reserve, which this request may not use: at least ${h.low} pages ` +
          `(the H blocks of its buddy line${h.pageblockPages !== null ? `, one pageblock ≥ ${h.pageblockPages} pages` : ''}); the kernel prints reserved_highatomic only from 5.10`,
      );
    const cma = cmaShortWords(z, mark, atomic);
    if (cma)
      out.push(
        `${zoneLabel(z)}: non-CMA free memory was exhausted (${cma.counts}); ` +
          `${cma.cmaPages !== null ? `its other ${cma.cmaPages} free pages are` : 'the rest was'} CMA, which only movable allocations may use ` +
          (mark === 'high'
            ? "(the OOM killer's last attempt carries no ALLOC_CMA)"
            : '(no ALLOC_CMA without __GFP_MOVABLE)'),
      );
  }
  return out;
}

/** Zones above the request's highest zone that had memory free above min (HighMem for a
 * GFP_KERNEL request on a 32-bit kernel: gfp_zone() never reaches them). */
function freeAboveHighest(input: VerdictInput): ZoneCheck[] {
  return (input.replay?.zones ?? []).filter((c) => {
    if (c.usable || !(c.unusableReason ?? '').startsWith("above the request's highest zone")) return false;
    const z = input.report.zones.find((x) => x.line === c.line && x.node === c.node && x.zone === c.zone);
    return !!z && z.freeKb !== null && z.minKb !== null && z.freeKb > z.minKb;
  });
}

/** What ran out, for the short verdict: "memory", or "lowmem" when HighMem had memory free that
 * the request could not use (32-bit: more RAM only adds HighMem), or "memory outside Movable" when
 * another zone above its highest had it. */
function exhaustedWhat(input: VerdictInput): string {
  // every failed zone failed by its free CMA (cmaShortWords): the memory that ran out is the
  // non-CMA part; the free CMA pages only movable allocations may use
  if (allFailedByCma(input.replay?.zones ?? [])) return 'non-CMA memory';
  const above = freeAboveHighest(input);
  if (above.length === 0) return 'memory';
  if (above.every((c) => canonicalZone(c.zone) === 'HighMem')) return 'lowmem';
  const names = [...new Set(above.map((c) => canonicalZone(c.zone) ?? c.zone))];
  return `memory outside ${names.join(', ')}`;
}

/**
 * Memory the request could not use, named when it decided the outcome (a failed zone passes with
 * it counted, or a zone above the request's highest zone had it free): an unprinted highatomic
 * reserve (4.4–5.9 __zone_watermark_ok subtracts it without ALLOC_HARDER), free CMA pages (no
 * ALLOC_CMA without __GFP_MOVABLE), and zones above gfp_zone() (HighMem or Movable for a request
 * without __GFP_HIGHMEM / __GFP_MOVABLE).
 */
function unusableMemoryText(input: VerdictInput, failed: ZoneCheck[]): string {
  const atomic = (input.flags?.harder ?? false) || (input.flags?.nonBlock ?? false);
  const out = [
    ...hiddenReserveReasons(failed, input.replay?.mark ?? 'min', atomic),
    ...aboveZoneReasons(input),
  ];
  return out.length > 0 ? `; ${out.join('; ')}` : '';
}

/** Free memory in zones above the request's highest zone (HighMem or Movable for GFP_KERNEL),
 * which no verdict may count as the request's (issue #13 rule 10). */
function aboveZoneReasons(input: VerdictInput): string[] {
  const out: string[] = [];
  const above = (input.replay?.zones ?? []).filter(
    (c) => !c.usable && (c.unusableReason ?? '').startsWith("above the request's highest zone"),
  );
  for (const c of above) {
    const z = input.report.zones.find((x) => x.line === c.line && x.node === c.node && x.zone === c.zone);
    if (!z || z.freeKb === null || z.minKb === null || z.freeKb <= z.minKb) continue;
    out.push(
      `${zoneLabel(c)} had ${z.freeKb} kB free (min ${z.minKb} kB), which this request cannot use (${c.unusableReason})`,
    );
  }
  return out;
}

export function decideVerdict(input: VerdictInput): { verdict: Verdict; text: string; short: string } {
  const v = decide(input);
  const { report } = input;
  if (report.kind === 'oom_kill' && !isMemcgOom(report)) v.text += endText(report);
  // the costly-order rule (oom-kind.ts costlyOrderText): such an order never invokes the OOM killer
  if (input.oomKind?.costlyNote && !isManualOom(report)) v.text += ` ${input.oomKind.costlyNote}`;
  return v;
}

function decide(input: VerdictInput): { verdict: Verdict; text: string; short: string } {
  const { report, replay, order, flags } = input;
  const ofKind = REPORT_KINDS[report.kind].notApplicable;
  if (ofKind) return { verdict: 'not_applicable', ...ofKind(report) };
  if (isManualOom(report))
    return {
      verdict: 'not_applicable',
      text: manualOomText(report),
      short: 'no allocation failed, nothing to replay',
    };
  if (report.kind === 'oom_kill' && isMemcgOom(report)) return memcgVerdict(input);
  const origin = oomWithoutRequest(report);
  if (origin === 'lru_gen')
    return {
      verdict: 'not_applicable',
      text: LRU_GEN_OOM_TEXT,
      short: 'MGLRU thrashing prevention (lru_gen min_ttl_ms)',
    };
  if (origin === 'pagefault') {
    return {
      verdict: 'not_applicable',
      text:
        'gfp_mask=0x0: the OOM killer was called by pagefault_out_of_memory after a page fault returned VM_FAULT_OOM, not by a failing allocation, ' +
        'so there is no request to replay against the zones (the fault may have failed on a memory-cgroup charge or on an allocation that gave up).',
      short: 'page-fault OOM (no allocation request to replay)',
    };
  }
  // vmalloc: the step its message names decides what the zones can say (vmalloc.ts)
  const vm = vmallocVerdict(report);
  if (vm !== null && 'decided' in vm) return vm.decided;
  if (!replay) {
    return {
      verdict: 'undecidable',
      text: `Undecidable: ${input.replayBlocked ?? 'the watermark check could not be replayed'}.`,
      short: 'undecidable',
    };
  }
  const usable = replay.zones.filter((z) => z.usable);
  const constraint = report.oomConstraint?.constraint;
  if (
    usable.length === 0 &&
    report.kind === 'oom_kill' &&
    (constraint === 'CONSTRAINT_CPUSET' || constraint === 'CONSTRAINT_MEMORY_POLICY') &&
    replay.zones.length > 0 &&
    replay.zones.every(
      (z) => z.unusableReason?.startsWith('above the request') || z.unusableReason === 'empty zone',
    )
  )
    // show_mem(SHOW_MEM_FILTER_NODES) prints only the allowed nodes (show_mem_node_skip: the
    // nodemask, else the cpuset's mems_allowed; 3.x … 6.x), so these are all their zones.
    return {
      verdict: 'no_free_pages',
      text:
        `${oomScope(report)} The report prints only the allowed nodes' zones (show_mem filters by them), ` +
        `and none of them (${list(replay.zones)}) is one this request may use: ${replay.zones[0].unusableReason ?? ''}. ` +
        `The ${constraint === 'CONSTRAINT_CPUSET' ? 'cpuset' : 'mempolicy'} left the request no zone at all, whatever the free memory.`,
      short: `${constraint === 'CONSTRAINT_CPUSET' ? 'cpuset' : 'mempolicy'} allows no zone this request may use`,
    };
  if (usable.length === 0)
    return {
      verdict: 'undecidable',
      text: 'Undecidable: none of the printed zones is one this request may use (the report omits them).',
      short: 'undecidable: allowed zones not printed',
    };
  const passed = usable.filter((z) => z.pass === true);
  const unknown = usable.filter((z) => z.pass === null);
  const failed = usable.filter((z) => z.pass === false);
  const oom = report.kind === 'oom_kill';
  if (passed.length === 0) {
    if (unknown.length > 0)
      return {
        verdict: 'undecidable',
        text: `Undecidable: ${list(failed) || 'no zone'} failed the watermark check, but ${list(unknown)} cannot be checked (${replay.missing.join('; ') || 'an input is missing'}).`,
        short: 'undecidable',
      };
    const byReserve = failed.filter(
      (z) =>
        z.freePages !== null &&
        z.unusablePages !== null &&
        z.adjustedMinPages !== null &&
        z.freePages - z.unusablePages > z.adjustedMinPages,
    );
    const all =
      usable.length === 1
        ? `the only zone the request may use (${list(usable)}) failed`
        : `all ${usable.length} zones the request may use failed`;
    const aboveReserve =
      byReserve.length > 0
        ? ` (${list(byReserve)} had pages above ${replay.mark}, but lowmem_reserve keeps them from ${replay.classzone}-class requests)`
        : '';
    if (oom && replay.mark === 'high')
      return {
        verdict: 'no_free_pages',
        text:
          `No allowed zone had enough free pages for the OOM killer's last attempt: before out_of_memory the kernel tries once more at the high watermark ` +
          `(get_page_from_freelist with ${replay.allocFlagsText}), and ${usable.length === 1 ? `the only zone the request may use fails it` : `all ${usable.length} zones the request may use fail it`}` +
          ` (${failed.map((z) => checkText(z)).join('; ')})${aboveReserve}` +
          unusableMemoryText(input, failed) +
          '; reclaim could not free enough, so the OOM killer ran.' +
          boostText(failed, report, input.pageSizeKb ?? null) +
          minCheckText(input.minReplay ?? null) +
          (constraint === 'CONSTRAINT_CPUSET' || constraint === 'CONSTRAINT_MEMORY_POLICY'
            ? ` ${oomScope(report)}`
            : input.oomKind?.scope === 'mempolicy'
              ? ` ${oomScope(report, false, input.oomKind)}`
              : ''),
        short: (input.minReplay?.zones ?? []).some((z) => z.usable && z.pass === true)
          ? `${exhaustedWhat(input)} exhausted at the high watermark of the OOM killer's last attempt`
          : `${exhaustedWhat(input)}${input.oomKind?.scope === 'mempolicy' && report.nodemask !== null ? ` on nodemask ${report.nodemask}` : ''} exhausted`,
      };
    return {
      verdict: 'no_free_pages',
      text:
        `No allowed zone had enough free pages: ${all} the watermark check${aboveReserve}` +
        unusableMemoryText(input, failed) +
        (oom ? '; reclaim could not free enough, so the OOM killer ran.' : '.'),
      short: oom
        ? `${exhaustedWhat(input)} exhausted`
        : failed.length > 0 && failed.every((z) => z.cmaDecides)
          ? 'non-CMA memory was exhausted; the free memory was CMA, which only movable allocations may use'
          : failed.length > 0 &&
              failed.every((z) => z.hiddenHighatomic?.decided === 'both' && z.hiddenHighatomic.passesWithout)
            ? 'the free pages were held by the highatomic reserve'
            : 'no zone had the free pages',
    };
  }
  const fullyPassed = passed.filter((z) => z.result === 'pass');
  const blockUnknown = passed.filter((z) => z.result === 'unknown');
  if (fullyPassed.length > 0 && oom && replay.mark === 'high') {
    // The report is printed after the last attempt failed (dump_header from out_of_memory), so
    // a zone passing it in the printout came above high after that attempt.
    return {
      verdict: 'zones_passed',
      text:
        `The OOM killer's last attempt (get_page_from_freelist at the high watermark, ${replay.allocFlagsText}) would pass in ${list(fullyPassed)} ` +
        `at this printout (${fullyPassed.map((z) => checkText(z)).join('; ')}), yet the kernel prints an OOM report only after that attempt failed: ` +
        `pages came free between the attempt and the printout (an exiting task or OOM victim, reclaim on other CPUs: the free counts are a snapshot). ` +
        oomScope(report, flags?.thisnode ?? false),
      short: 'zones above high at the printout (freed after the last attempt)',
    };
  }
  if (fullyPassed.length > 0) {
    const causes: string[] = [];
    if (flags?.noretry) causes.push('__GFP_NORETRY gave up after one round of reclaim/compaction');
    // only a request that may direct-reclaim compacts and gives up after it (__alloc_pages_slowpath:
    // __alloc_pages_direct_compact needs can_direct_reclaim, 5.10)
    else if (input.costly && input.canReclaim !== false && flags && !flags.harder && !flags.nonBlock)
      causes.push(`a costly order (${order} > 3) gives up after compaction fails`);
    // The replay already applied a printed nodemask / cpuset, so they do not explain it.
    causes.push(
      'a race: other CPUs took the pages between the attempt and this printout (free counts are a snapshot)',
    );
    if (!report.nodemask && !report.memsAllowed)
      causes.push('a cpuset or mempolicy restriction the report does not print');
    const likely = fullyPassed.filter((z) => z.hiddenHighatomic?.decided === 'likely');
    return {
      verdict: 'zones_passed',
      text:
        `The watermark check passes in ${list(fullyPassed)} (${fullyPassed.length} of ${usable.length} allowed zones)` +
        (likely.length > 0
          ? ` — taking the unprinted highatomic reserve as 0, since no H block is listed (a reserve of up to ${Math.max(...likely.map((z) => z.hiddenHighatomic?.high ?? 0))} pages, all allocated, would fail ${list(likely)}; before 5.10 the kernel does not print it)`
          : '') +
        `, so the numbers do not explain the failure: ` +
        `${causes.join('; or ')}.` +
        (oom ? ` ${oomScope(report)}` : ''),
      short: 'zones passed the check (race, constraint or give-up)',
    };
  }
  if (blockUnknown.length > 0) {
    return {
      verdict: 'undecidable',
      text:
        `Undecidable without the buddy free lists: ${passed.length} of ${usable.length} allowed zones pass the watermark check (${list(passed)}` +
        (failed.length > 0 ? `; ${list(failed)} fail${failed.length === 1 ? 's' : ''}` : '') +
        `), so the order-${order} request failed either because none of them had a free block of order ${order} or larger (fragmentation) ` +
        'or because the pages were there and it lost a race with other allocators. The report has no buddy lines to tell which ' +
        '(they come with the full Mem-Info dump; `cat /proc/buddyinfo` or `echo m > /proc/sysrq-trigger` shows them now).',
      short: 'fragmentation or a race: undecidable without buddy lists',
    };
  }
  // Every zone that passes the watermark lacks a usable block.
  if (order === 0) {
    // One truth (rule 10): the zone check is 'fail' (no page it may take), so the verdict is too —
    // 'no_free_pages' in the sense of "no free page this request may take", not "memory short".
    return {
      verdict: 'no_free_pages',
      text:
        `No free page this request may take: the watermark check passes in ${list(passed)}, yet every free block there is in the highatomic reserve (H), which an order-0 request cannot take ` +
        '(rmqueue only takes MIGRATE_HIGHATOMIC blocks for order > 0 until 281dd25c1a01 "mm/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic reserves", 2024, in 6.12 and stable backports): the reserve, not a lack of pages, made it fail' +
        (failed.length > 0
          ? `; ${list(failed)} fail${failed.length === 1 ? 's' : ''} the watermark check itself.`
          : '.'),
      short: 'no free page it may take: all in the highatomic reserve',
    };
  }
  const why = passed
    .map((z) => {
      const elsewhere = z.orderBlocks?.largerBlocksElsewhere ?? null;
      return elsewhere ? `${zoneLabel(z)}: ${elsewhere}` : null;
    })
    .filter((x): x is string => x !== null);
  // 2.6.x–4.3: blocks of the order may exist, yet the per-order loop fails (too few pages left
  // in blocks of each size against a halving min): not "no block", but too few in large blocks.
  if (passed.every((z) => z.orderBlocks?.tooFewPages))
    return {
      verdict: 'fragmentation',
      text:
        `Fragmentation: ${list(passed)} ${passed.length > 1 ? 'have' : 'has'} enough free pages and ${passed.length > 1 ? 'blocks' : 'a block'} of order ${order} or larger, ` +
        `but too few pages in such blocks: this kernel's check sets aside the pages of each smaller order and needs more than min/2^(k+1) left after order k ` +
        `(${passed.map((z) => `${zoneLabel(z)}: ${z.orderBlocks?.text ?? ''}`).join('; ')})` +
        (failed.length > 0
          ? `; ${list(failed)} fail${failed.length === 1 ? 's' : ''} the watermark check itself`
          : '') +
        '.',
      short: 'likely fragmentation (too few pages in large blocks)',
    };
  return {
    verdict: 'fragmentation',
    text:
      `Fragmentation: ${list(passed)} ${passed.length > 1 ? 'have' : 'has'} enough free pages, but no free block of order ${order} or larger that this request may take` +
      (why.length > 0 ? ` (${why.join('; ')})` : '') +
      (failed.length > 0
        ? `; ${list(failed)} fail${failed.length === 1 ? 's' : ''} the watermark check itself`
        : '') +
      aboveZoneReasons(input)
        .map((t) => `; ${t}`)
        .join('') +
      '.',
    short: 'likely fragmentation',
  };
}
