// Whether a report's memory dump shows only some of the machine's nodes, read from what it prints.
//
// show_mem(SHOW_MEM_FILTER_NODES, nodemask) — the OOM killer's dump_header (mm/oom_kill.c) and
// warn_alloc's warn_alloc_show_mem for a request that may sleep (mm/page_alloc.c) — skips every node
// show_mem_node_skip() rejects: one outside the request's nodemask, or outside the task's cpuset
// (cpuset_current_mems_allowed) when the nodemask is NULL (mm/page_alloc.c show_free_areas,
// 4.9 … 5.10; mm/show_mem.c __show_free_areas 6.x). The zone, node and buddy lines then cover the
// allowed nodes only, while Mem-Info's first lines are system-wide: `free:` is
// global_zone_page_state(NR_FREE_PAGES) (global_page_state before 4.14), summed over every zone of
// every node, unfiltered. So Mem-Info's free count above the printed zones' free says that memory
// outside the printed nodes exists, and that Σ over the printed zones (present, min, free) is not
// the machine.
//
// Pure: a Report in, a plain object out.

import type { Report } from './model';
import { formatKb } from './numbers';

/** The most pages Mem-Info's `free:` may exceed Σ printed zone free by on a dump of every node,
 * per printed zone. Both counters are folded from the same per-cpu diffs at once
 * (zone_page_state_add adds to the zone's and the global vm_stat together, mm/vmstat.c), so they
 * differ only by what was folded between the two reads; each fold moves at most a CPU's
 * stat_threshold (≤ 125 pages, calculate_normal_threshold, mm/vmstat.c 2.6.x … 6.x), and the
 * kernel's own tolerance for that drift is num_online_cpus() × threshold per zone
 * (refresh_zone_stat_thresholds' max_drift). The report does not print the CPU count: the largest
 * NR_CPUS x86-64 builds (MAXSMP, 8192) gives the bound. */
export const FREE_DRIFT_PAGES_PER_ZONE = 125 * 8192;

export interface NodeFilter {
  /** 'counters': Mem-Info's global free count exceeds the printed zones' free beyond the drift
   * (memory outside the printed nodes exists); 'header': the allowed nodes the header prints leave
   * out lower node numbers and the dump prints only allowed nodes (no global count to compare). */
  evidence: 'counters' | 'header';
  /** Nodes whose zones the report prints. */
  printedNodes: number[];
  /** The nodes show_mem_node_skip let through, as printed: `nodemask=…` when not (null), else
   * `mems_allowed=…`; null when the header prints neither. */
  allowed: { field: 'nodemask' | 'mems_allowed'; text: string; nodes: number[] } | null;
  /** Mem-Info's `free:` in kB (every node), when printed. */
  globalFreeKb: number | null;
  /** Σ free of the printed zones, kB. */
  zonesFreeKb: number | null;
  /** `only node(s) 4 are printed: …` — what is missing, in the kernel's terms. */
  text: string;
}

/** A `%*pbl` node list (`0-1,4`) as numbers; null when it is not one. */
export function parseNodeList(text: string | null | undefined): number[] | null {
  if (typeof text !== 'string') return null;
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 4096) return null;
    for (let n = a; n <= b; n++) out.push(n);
  }
  return out.length > 0 ? out : null;
}

const nodesText = (nodes: readonly number[]): string =>
  `node${nodes.length === 1 ? '' : 's'} ${nodes.join(', ')}`;

/** The node filter of a report's dump, or null when nothing shows one (every node printed, or no
 * sign that some are missing). */
export function nodeFilterOf(report: Report, pageSizeKb: number): NodeFilter | null {
  const zones = report.zones;
  if (zones.length === 0) return null;
  const printedNodes = [...new Set(zones.map((z) => z.node))].sort((a, b) => a - b);
  // show_mem_node_skip: the nodemask when there is one, else the cpuset's mems_allowed
  const fromMask = parseNodeList(report.nodemask);
  const fromMems = fromMask === null ? parseNodeList(report.memsAllowed) : null;
  const allowed =
    fromMask !== null
      ? { field: 'nodemask' as const, text: report.nodemask ?? '', nodes: fromMask }
      : fromMems !== null
        ? { field: 'mems_allowed' as const, text: report.memsAllowed ?? '', nodes: fromMems }
        : null;
  // a printed node outside the allowed ones: the filter was off (warn_alloc_show_mem drops it for
  // requests that cannot sleep, in interrupts, and for PF_MEMALLOC / exiting / OOM-victim tasks)
  const withinAllowed = allowed === null || printedNodes.every((n) => allowed.nodes.includes(n));

  const freePages = report.counters.find((c) => c.name === 'free')?.value ?? null;
  const globalFreeKb =
    freePages !== null && Number.isSafeInteger(freePages * pageSizeKb) ? freePages * pageSizeKb : null;
  const zonesFreeKb = zones.every((z) => z.freeKb !== null)
    ? zones.reduce((t, z) => t + (z.freeKb ?? 0), 0)
    : null;
  const driftKb = FREE_DRIFT_PAGES_PER_ZONE * pageSizeKb * zones.length;
  const beyond = globalFreeKb !== null && zonesFreeKb !== null && globalFreeKb - zonesFreeKb > driftKb;
  // nodes below the highest allowed one that the allowed set leaves out (`4`, `1`, `0,2`)
  const lower = allowed === null ? [] : missingBelow(allowed.nodes);
  let evidence: NodeFilter['evidence'] | null = null;
  // the free count alone proves memory outside the printed zones, which a cut log (zone lines lost)
  // shows too: a filter needs the allowed nodes printed and the printed nodes within them
  if (beyond && allowed !== null && withinAllowed) evidence = 'counters';
  else if (globalFreeKb === null && allowed !== null && withinAllowed && lower.length > 0)
    evidence = 'header';
  if (evidence === null) return null;

  const why =
    allowed !== null && withinAllowed
      ? `show_mem filters nodes outside the allowed ones (SHOW_MEM_FILTER_NODES: ${allowed.field}=${allowed.text})`
      : 'show_mem filters nodes outside the allowed ones (SHOW_MEM_FILTER_NODES)';
  const head = `only ${nodesText(printedNodes)} ${printedNodes.length === 1 ? 'is' : 'are'} printed: ${why}`;
  const tail =
    evidence === 'counters'
      ? `; Mem-Info's free:${freePages} (${formatKb(globalFreeKb ?? 0)} free system-wide) is more than the printed zones hold (${formatKb(zonesFreeKb ?? 0)}), so other nodes have memory${lower.length === 0 ? ' (or the log lost zone lines)' : ''}`
      : `; the report prints no Mem-Info free: count to compare, and ${allowed?.field}=${allowed?.text} leaves out ${nodesText(lower)}, so other nodes likely have memory`;
  return { evidence, printedNodes, allowed, globalFreeKb, zonesFreeKb, text: head + tail };
}

/** The node numbers below the highest of `nodes` that `nodes` leaves out. */
export function missingBelow(nodes: readonly number[]): number[] {
  const max = Math.max(...nodes);
  const out: number[] = [];
  for (let n = 0; n < max; n++) if (!nodes.includes(n)) out.push(n);
  return out;
}
