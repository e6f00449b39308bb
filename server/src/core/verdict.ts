// The verdict: why the request failed, as far as the replayed watermark check can tell
// (product.md: no allowed zone had the pages / fragmentation / the zones passed / undecidable).

import type { Report } from './model';
import type { AllocFlags, ReplayAnalysis, Verdict, ZoneCheck } from './analysis-types';
import { zoneLabel } from './zones';
import { REPORT_KINDS } from './kinds';

export interface VerdictInput {
  report: Report;
  replay: ReplayAnalysis | null;
  order: number | null;
  flags: AllocFlags | null;
  /** Why the replay could not run (no gfp, no era, no zones …), when it did not. */
  replayBlocked: string | null;
  costly: boolean;
}

const list = (zs: ZoneCheck[]): string => zs.map((z) => zoneLabel(z)).join(', ');

/** An OOM kill asked for by hand: SysRq f (moom_callback in drivers/tty/sysrq.c) calls
 * out_of_memory with `.order = -1`, which is how mm/oom_kill.c tells it apart (is_sysrq_oom()).
 * No allocation failed, so there is nothing to replay. */
export function isSysrqOom(report: Pick<Report, 'kind' | 'order'>): boolean {
  return report.kind === 'oom_kill' && report.order === -1;
}

export const SYSRQ_OOM_TEXT =
  'A manual OOM kill: order=-1 is how the kernel marks an OOM kill asked for with SysRq f (echo f > /proc/sysrq-trigger; ' +
  'is_sysrq_oom() in mm/oom_kill.c), not an allocation that failed, so there is no request to replay against the zones. ' +
  'The zones below show the memory at that moment.';

/** What the OOM report itself says about its scope (parser: `oom-kill:constraint=` 5.0+, or the
 * older `Task in … killed as a result of limit of …` memcg line). */
function oomScope(report: VerdictInput['report']): string {
  const scope = report.oomConstraint;
  if (scope?.memcg)
    return `The report names the cause: the memory cgroup ${scope.memcg} hit its limit (${scope.constraint ?? 'memcg OOM'}), so the system-wide zones were never short.`;
  if (scope?.constraint === 'CONSTRAINT_CPUSET' || scope?.constraint === 'CONSTRAINT_MEMORY_POLICY')
    return `The report names the cause: ${scope.constraint} — the task may only use some nodes, and those were exhausted.`;
  if (scope?.global)
    return 'The report says global_oom, so the zones at the moment of the printout had recovered (reclaim or exits freed memory after the kill decision).';
  return 'For an OOM kill this points at a memory-cgroup limit or a cpuset/mempolicy constraint rather than a global shortage (5.x prints it in the `oom-kill:constraint=` line).';
}

/**
 * Memory the request could not use, named when it decided the outcome (a failed zone passes with
 * it counted, or a zone above the request's highest zone had it free): an unprinted highatomic
 * reserve (4.4–5.9 __zone_watermark_ok subtracts it without ALLOC_HARDER), free CMA pages (no
 * ALLOC_CMA without __GFP_MOVABLE), and zones above gfp_zone() (HighMem or Movable for a request
 * without __GFP_HIGHMEM / __GFP_MOVABLE).
 */
function unusableMemoryText(input: VerdictInput, failed: ZoneCheck[]): string {
  const out: string[] = [];
  for (const z of failed) {
    const h = z.hiddenHighatomic;
    if (h && h.decided === 'both' && h.passesWithout === true && h.low > 0)
      out.push(
        `${zoneLabel(z)} fails only because of its highatomic reserve, which this request may not use: at least ${h.low} pages ` +
          `(the H blocks of its buddy line${h.pageblockPages !== null ? `, one pageblock ≥ ${h.pageblockPages} pages` : ''}); the kernel prints reserved_highatomic only from 5.10`,
      );
    if (z.cmaDecides)
      out.push(
        `${zoneLabel(z)} fails only because ${z.unusableText.match(/free CMA (\d+)/)?.[1] ?? 'some'} of its ${z.freePages} free pages are CMA, which a request without __GFP_MOVABLE cannot use (no ALLOC_CMA)`,
      );
  }
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
  return out.length > 0 ? `; ${out.join('; ')}` : '';
}

export function decideVerdict(input: VerdictInput): { verdict: Verdict; text: string; short: string } {
  const { report, replay, order, flags } = input;
  const ofKind = REPORT_KINDS[report.kind].notApplicable;
  if (ofKind) return { verdict: 'not_applicable', ...ofKind(report) };
  if (isSysrqOom(report))
    return {
      verdict: 'not_applicable',
      text: SYSRQ_OOM_TEXT,
      short: 'manual (SysRq f) OOM kill: no allocation to replay',
    };
  if (report.kind === 'oom_kill' && report.oomConstraint?.memcg) {
    const scope = report.oomConstraint;
    return {
      verdict: 'not_applicable',
      text:
        `A memory-cgroup OOM: ${scope.memcg} reached its memory limit` +
        (scope.taskMemcg && scope.taskMemcg !== scope.memcg ? ` (the task is in ${scope.taskMemcg})` : '') +
        '. The kernel killed inside that cgroup while the system as a whole may have had free memory, so the zones are not what ran out: ' +
        'raise the limit (memory.max / memory.limit_in_bytes) or reduce what the cgroup uses; vm.* sysctls do not change it.',
      short: `memory cgroup ${scope.memcg} hit its limit`,
    };
  }
  if (report.kind === 'oom_kill' && report.gfp && /^0x0+$/i.test(report.gfp.raw)) {
    return {
      verdict: 'not_applicable',
      text:
        'gfp_mask=0x0: the OOM killer was called by pagefault_out_of_memory after a page fault returned VM_FAULT_OOM, not by a failing allocation, ' +
        'so there is no request to replay against the zones (the fault may have failed on a memory-cgroup charge or on an allocation that gave up).',
      short: 'page-fault OOM (no allocation request to replay)',
    };
  }
  if (report.kind === 'vmalloc_failure' && report.vmallocAllocatedBytes === null && report.order === null) {
    const bytes = report.vmallocBytes;
    const why =
      bytes === 0
        ? 'a 0-byte request is rejected by the size check in __vmalloc_node_range before any page is allocated'
        : `the ${bytes ?? '?'}-byte request failed before any page was allocated: larger than RAM, or no free range in the vmalloc address space`;
    return {
      verdict: 'not_applicable',
      text: `Not a shortage of pages: ${why}. The zones below are shown for context only.`,
      short:
        bytes === 0
          ? '0-byte vmalloc rejected (not a memory shortage)'
          : 'vmalloc area not available (not a page shortage)',
    };
  }
  if (!replay) {
    return {
      verdict: 'undecidable',
      text: `Undecidable: ${input.replayBlocked ?? 'the watermark check could not be replayed'}.`,
      short: 'undecidable',
    };
  }
  const usable = replay.zones.filter((z) => z.usable);
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
    return {
      verdict: 'no_free_pages',
      text:
        `No allowed zone had enough free pages: ${all} the watermark check` +
        (byReserve.length > 0
          ? ` (${list(byReserve)} ${byReserve.length > 1 ? 'had' : 'had'} pages above min, but lowmem_reserve keeps them from ${replay.classzone}-class requests)`
          : '') +
        unusableMemoryText(input, failed) +
        (oom ? '; reclaim could not free enough, so the OOM killer ran.' : '.'),
      short: oom ? 'memory exhausted' : 'no zone had the free pages',
    };
  }
  const fullyPassed = passed.filter((z) => z.result === 'pass');
  const blockUnknown = passed.filter((z) => z.result === 'unknown');
  if (fullyPassed.length > 0) {
    const causes: string[] = [];
    if (flags?.noretry) causes.push('__GFP_NORETRY gave up after one round of reclaim/compaction');
    else if (input.costly && flags && !flags.harder && !flags.nonBlock)
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
    return {
      verdict: 'zones_passed',
      text:
        `The watermark check passes in ${list(passed)}, yet every free block there is in the highatomic reserve (H), which an order-0 request cannot take ` +
        '(rmqueue only takes MIGRATE_HIGHATOMIC blocks for order > 0 until a 2024 fix): the reserve, not a lack of pages, made it fail.',
      short: 'free pages all in the highatomic reserve',
    };
  }
  const why = passed
    .map((z) => {
      const m = / — (the larger blocks are [^;]*)/.exec(z.orderBlocks?.text ?? '');
      return m ? `${zoneLabel(z)}: ${m[1]}` : null;
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
      '.',
    short: 'likely fragmentation',
  };
}
