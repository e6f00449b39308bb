// What printed a Mem-Info dump that has no header line of its own. show_mem (mm/show_mem.c
// __show_mem 6.x; lib/show_mem.c and mm/page_alloc.c show_free_areas before) is called by three
// printers, each after its own header: warn_alloc (mm/page_alloc.c: the `page allocation failure`
// header, dump_stack, then warn_alloc_show_mem; warn_alloc_failed before 4.9), the OOM killer
// (mm/oom_kill.c dump_header: `invoked oom-killer`, dump_stack, then show_mem) and SysRq-m
// (drivers/tty/sysrq.c sysrq_handle_showmem after __handle_sysrq's `SysRq : Show Memory`). A dump
// whose header is lost says which only through the call trace dump_stack printed before it.

import type { Report } from './model';

export type DumpSource = 'warn_alloc' | 'oom' | 'sysrq';

/** Frames of each printer, as dump_stack shows them (compiler suffixes such as `.cold` allowed). */
const PRINTER_FRAMES: { source: DumpSource; pattern: RegExp }[] = [
  { source: 'warn_alloc', pattern: /^(warn_alloc|warn_alloc_failed|warn_alloc_show_mem)(\.|$)/ },
  { source: 'oom', pattern: /^(out_of_memory|dump_header|oom_kill_process|__alloc_pages_may_oom)(\.|$)/ },
  { source: 'sysrq', pattern: /^(sysrq_handle_showmem|__handle_sysrq|handle_sysrq)(\.|$)/ },
];

/** The printer a show_mem report's trace or trigger line names, or null when the log does not say. */
export function dumpSource(r: Pick<Report, 'callTrace' | 'showMemTrigger'>): DumpSource | null {
  if (r.showMemTrigger !== null) return 'sysrq';
  for (const f of r.callTrace) {
    if (f.unreliable) continue;
    const hit = PRINTER_FRAMES.find((p) => p.pattern.test(f.function));
    if (hit) return hit.source;
  }
  return null;
}

/** The headers each printer would have printed, named when the dump lacks its own. */
const HEADERS =
  '`…: page allocation failure: order:…, mode:…` (warn_alloc), `… invoked oom-killer: gfp_mask=…, order=…` (the OOM killer, dump_header) or `SysRq : Show Memory` (SysRq-m)';

/** The verdict text of a show_mem report: what printed it, and what is missing to say more. */
export function dumpVerdict(r: Pick<Report, 'callTrace' | 'showMemTrigger'>): {
  text: string;
  short: string;
} {
  switch (dumpSource(r)) {
    case 'sysrq':
      return {
        text: 'A memory dump asked for with SysRq-m (sysrq_handle_showmem → show_mem): no request failed, nothing to replay.',
        short: 'memory dump',
      };
    case 'warn_alloc':
      return {
        text:
          'A failed page allocation whose header was lost: the call trace before this dump goes through warn_alloc (mm/page_alloc.c), ' +
          'which prints the Mem-Info dump after a failed request. The order and the mode are on the header line ' +
          '(`…: page allocation failure: order:…, mode:…`), which is not in the log: without them the watermark check cannot be replayed. ' +
          'Look for it just before the task line in the full kernel log (dmesg, the console or /proc/last_kmsg).',
        short: 'memory dump',
      };
    case 'oom':
      return {
        text:
          "The OOM killer's dump whose header was lost: the call trace before it goes through out_of_memory (mm/oom_kill.c dump_header). " +
          'The gfp_mask and the order are on the header line (`… invoked oom-killer: gfp_mask=…, order=…`), and whom it killed on the ' +
          '`Killed process` line after the dump; neither is in this report, so nothing can be replayed.',
        short: 'memory dump',
      };
    default:
      return {
        text:
          `A Mem-Info dump without its header line: warn_alloc (a failed allocation), the OOM killer and SysRq-m all print one, and the log does not say which. ` +
          `The line before it would: ${HEADERS}; no call trace came with it either. Nothing to replay.`,
        short: 'memory dump',
      };
  }
}

/** Is it harmful: as far as the printer is known. */
export function dumpImpact(r: Pick<Report, 'callTrace' | 'showMemTrigger'>): string {
  switch (dumpSource(r)) {
    case 'sysrq':
      return 'Informational: a dump of the memory state asked for by hand, not a failure.';
    case 'warn_alloc':
      return 'An allocation failed (warn_alloc): its caller got NULL and had to cope; the missing header would say what it asked for.';
    case 'oom':
      return 'The OOM killer ran (out_of_memory): unless it found nothing to kill, a process was killed; the `Killed process` line after the dump names it.';
    default:
      return 'Unknown: the log does not say what printed this dump, so it cannot say whether a request failed; the header line before `Mem-Info:` would.';
  }
}
