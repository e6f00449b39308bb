// Where the failed allocation came from: the call chain in one line, the interrupt context and the
// subsystem, read from the call trace (product.md "Context"). Function-name tables are data here.

import type { Report, StackFrame } from './model';
import type { ContextAnalysis } from './analysis-types';

/** The page allocator, its warning and the stack dumper: never part of the chain. */
const ALLOCATOR_FRAMES: RegExp[] = [
  /^dump_stack/,
  /^__dump_stack$/,
  /^dump_backtrace$/,
  /^show_stack$/,
  /^show_trace/,
  /^unwind_backtrace$/,
  /^select_bad_process$/,
  /^oom_badness$/,
  /^__out_of_memory$/,
  /^warn_alloc/,
  /^__warn_alloc/,
  /^_*alloc_pages/,
  /^__alloc_pages/,
  /^get_page_from_freelist$/,
  /^__get_free_pages$/,
  /^get_zeroed_page$/,
  /^alloc_page_interleave$/,
  /^__folio_alloc/,
  /^folio_alloc/,
  /^dump_header$/,
  /^oom_kill_process$/,
  /^out_of_memory$/,
  /^__alloc_pages_may_oom$/,
  /^show_mem$/,
  /^__show_mem$/,
  /^show_free_areas$/,
];

/** Interrupt, softirq, syscall and thread entry machinery: the chain starts just inside it. */
const ENTRY_FRAMES: RegExp[] = [
  /^__do_softirq$/,
  /^do_softirq/,
  /^handle_softirqs$/,
  /^call_softirq$/,
  /^run_ksoftirqd$/,
  /^irq_exit/,
  /^__irq_exit_rcu$/,
  /^do_IRQ$/,
  /^common_interrupt$/,
  /^ret_from_intr$/,
  /^handle_IRQ_event$/,
  /^__do_IRQ$/,
  /^handle_irq_event/,
  /^__handle_domain_irq$/,
  /^gic_handle_irq$/,
  /^__irq_svc$/,
  // m68k/h8300: entry.S `inthandler` calls the asmlinkage `process_int(vec, regs)` (arch/*/kernel/ints.c)
  /^inthandler$/,
  /^process_int$/,
  /^asm_/,
  /^sysvec_/,
  /^smp_apic_timer_interrupt$/,
  /^apic_timer_interrupt$/,
  /^system_call/,
  /^entry_SYSCALL/,
  /^do_syscall_/,
  /^syscall_common$/,
  /^ret_fast_syscall$/,
  /^sysenter_/,
  /^syscall_call$/,
  /^x64_sys_call$/,
  /^process_one_work$/,
  /^worker_thread$/,
  /^kthread$/,
  /^ret_from_fork/,
  /^kernel_thread_helper$/,
  /^child_rip$/,
  /^start_secondary$/,
  /^cpu_idle/,
  /^cpu_startup_entry$/,
  /^do_idle$/,
  /^rest_init$/,
  /^start_kernel$/,
  /^do_page_fault$/,
  /^exc_page_fault$/,
  /^page_fault$/,
  /^__do_page_fault$/,
];

const SOFTIRQ_FRAMES =
  /^(__do_softirq|do_softirq.*|handle_softirqs|call_softirq|run_ksoftirqd|net_rx_action|net_tx_action|tasklet_action.*|run_timer_softirq|blk_done_softirq|rcu_process_callbacks|rcu_core)$/;
const HARDIRQ_FRAMES =
  /^(do_IRQ|common_interrupt|handle_irq_event.*|handle_IRQ_event|__do_IRQ|gic_handle_irq|__handle_domain_irq|__irq_svc|asm_common_interrupt|inthandler|process_int)$/;

/** Subsystems by frame name, most specific first (the first match walking outwards wins per class). */
const SUBSYSTEMS: { name: string; text: string; pattern: RegExp }[] = [
  {
    name: 'network',
    text: 'network stack',
    pattern:
      /(skb|^net_|netdev|^napi|^tcp_|^udp_|^ip6?_|^inet_|^sock_|^sk_|xmit|^dev_queue|^dev_hard|^br_|^nf_|^ipt_|^__netif|^netif_|_rx_|_poll$|^page_frag|^__page_frag)/,
  },
  {
    name: 'filesystem',
    text: 'filesystem',
    pattern:
      /^(xfs_|ext[234]_|btrfs_|nfsd?_|nfs4|fuse_|ceph_|cifs_|f2fs_|ovl_|vfs_|generic_file|do_sys_open|path_|d_alloc|iget|jbd2_|proc_|kernfs_|seq_)/,
  },
  {
    name: 'block',
    text: 'block layer',
    pattern: /^(blk_|bio_|scsi_|dm_|md_|nvme_|submit_bio|raid|__blk|mempool_alloc)/,
  },
  {
    name: 'page fault',
    text: 'page fault',
    pattern:
      /^(handle_mm_fault|__handle_mm_fault|do_anonymous_page|do_fault|filemap_fault|do_page_fault|exc_page_fault|handle_pte_fault)/,
  },
  { name: 'vmalloc', text: 'vmalloc', pattern: /^(__vmalloc|vmalloc|vzalloc|__get_vm_area|alloc_vmap_area)/ },
  {
    name: 'slab',
    text: 'slab allocator (kmalloc)',
    pattern:
      /^(new_slab|allocate_slab|alloc_slab_page|__slab_alloc|___slab_alloc|kmem_getpages|cache_grow|cache_alloc_refill|____cache_alloc|kmalloc|__kmalloc|kmem_cache_alloc|kmalloc_large)/,
  },
];

/** Frames that only pass the request on: skipped when the chain picks its middle frames. */
const PLUMBING =
  /^(_|kmalloc|kmem_cache_alloc|kzalloc|new_slab|allocate_slab|alloc_slab_page|cache_grow|cache_alloc_refill|kmem_getpages|fallback_alloc)/;

/** One alternation per table, built once: a frame name is tested against each table in one pass. */
const anyOf = (patterns: RegExp[]): RegExp => new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'));
const IS_ENTRY = anyOf(ENTRY_FRAMES);
const IS_ALLOCATOR = anyOf(ALLOCATOR_FRAMES);

/** Frame names without compiler suffixes (`warn_alloc.cold`, `__alloc_pages_slowpath.constprop.0`). */
export function frameName(f: StackFrame): string {
  let name = FRAME_NAMES.get(f.function);
  if (name === undefined) {
    name = f.function
      .replace(/^\./, '') // ppc64 ELFv1 dot symbols (.new_slab)
      .replace(/\.(cold|constprop|isra|part|lto_priv)(\.\d+)*$/g, '')
      .replace(/\.(cold|constprop|isra|part)(\.\d+)*/g, '');
    if (FRAME_NAMES.size >= 8192) FRAME_NAMES.clear();
    FRAME_NAMES.set(f.function, name);
  }
  return name;
}
/** Kernels have a few thousand distinct functions: each is cleaned once. */
const FRAME_NAMES = new Map<string, string>();

export function analyzeContext(report: Report): ContextAnalysis {
  // Unreliable (`?`) frames are skipped for the chain unless the unwinder marked every frame so
  // (old kernels without frame pointers); they still count for the context.
  const reliable = report.callTrace.filter((f) => !f.unreliable);
  const frames = reliable.length > 0 ? reliable : report.callTrace;
  const names = frames.map(frameName);
  // The allocator block: up to the last allocator/warning frame among the leading frames (stale
  // frames such as ___ratelimit or security_* may sit between them).
  let start = 0;
  const firstEntry = names.findIndex((n) => IS_ENTRY.test(n));
  const limit = Math.min(firstEntry < 0 ? names.length : firstEntry, 16);
  for (let i = 0; i < limit; i++) if (IS_ALLOCATOR.test(names[i])) start = i + 1;
  let entryAt = names.findIndex((n, i) => i >= start && IS_ENTRY.test(n));
  if (entryAt < 0) entryAt = names.length;
  const allocatorEntry = start < entryAt ? names[start] : null;
  const inner = names.slice(start + 1, entryAt);
  const innerLines = frames.slice(start + 1, entryAt).map((f) => f.line);
  const chain: string[] = [];
  const frameLines: number[] = [];
  if (allocatorEntry !== null) {
    // Outermost frame before the entry machinery, then the two nearest real callers of the allocation.
    const picked: number[] = [];
    for (let i = 0; i < inner.length && picked.length < 2; i++) if (!PLUMBING.test(inner[i])) picked.push(i);
    const outer = inner.length - 1;
    if (outer >= 0 && !picked.includes(outer)) picked.push(outer);
    picked.sort((a, b) => b - a);
    for (const i of picked) {
      chain.push(inner[i]);
      frameLines.push(innerLines[i]);
    }
    chain.push(allocatorEntry);
    frameLines.push(frames[start].line);
  }

  // Context: the entry frame the chain starts from says it best (stale `?` frames may name old
  // interrupts); then softirq handlers inside the chain; then the unwinder's <IRQ>/<NMI> markers.
  const entryName = entryAt < names.length ? names[entryAt] : null;
  const inner2 = names.slice(start, entryAt);
  const stacks = report.callTrace.map((f) => f.context);
  let context: ContextAnalysis['context'] = 'unknown';
  if (entryName && SOFTIRQ_FRAMES.test(entryName)) context = 'softirq';
  else if (entryName && HARDIRQ_FRAMES.test(entryName))
    // Old kernels print stale words as frames: a softirq handler right after the hard-IRQ frame
    // (2.6.9: e1000_clean_rx_irq, handle_IRQ_event, e1000_clean, net_rx_action) means NAPI polling.
    context = names.slice(entryAt + 1, entryAt + 5).some((n) => SOFTIRQ_FRAMES.test(n))
      ? 'softirq'
      : 'hardirq';
  else if (entryName === null && inner2.some((n) => SOFTIRQ_FRAMES.test(n))) context = 'softirq';
  else if (stacks.includes('nmi')) context = 'nmi';
  else if (entryName === null && stacks.includes('softirq')) context = 'softirq';
  else if (entryName === null && stacks.includes('irq')) context = 'interrupt';
  else if (frames.length > 0) context = 'task';
  const allNames = names;
  const ksoftirqd = allNames.includes('run_ksoftirqd') || /^ksoftirqd/.test(report.comm ?? '');
  const idle = /^swapper/.test(report.comm ?? '');
  const contextText =
    context === 'softirq'
      ? `softirq${ksoftirqd ? ' (run by ksoftirqd)' : idle ? ` (interrupting the idle task ${report.comm})` : report.comm ? ` (interrupting ${report.comm})` : ''}: cannot sleep or reclaim`
      : context === 'hardirq'
        ? `hard interrupt${idle ? ` (interrupting the idle task ${report.comm})` : ''}: cannot sleep or reclaim`
        : context === 'interrupt'
          ? 'interrupt context (on the <IRQ> stack: hard or soft interrupt, the frames do not say which): cannot sleep or reclaim'
          : context === 'nmi'
            ? 'NMI: cannot sleep or reclaim'
            : context === 'task'
              ? `process context of ${report.comm ?? 'the task'}${report.pid !== null ? ` (pid ${report.pid})` : ''}`
              : 'no call trace: context unknown';

  let subsystem: string | null = null;
  let subsystemText = 'unknown (no call trace)';
  const scan = names.slice(start, entryAt + 1);
  for (const s of SUBSYSTEMS) {
    if (scan.some((n) => s.pattern.test(n))) {
      subsystem = s.name;
      subsystemText = s.text;
      break;
    }
  }
  if (subsystem === null && frames.length > 0) subsystemText = 'not recognised from the frames';
  const driver = findDriver(frames.slice(start, entryAt + 1), subsystem);
  if (driver && subsystem === 'network') subsystemText = `network driver (${driver})`;
  else if (driver) subsystemText = `${subsystemText} (module ${driver})`;

  const chainText = chain.join(' → ');
  return {
    chain,
    chainText,
    callerText: chain.slice(0, -1).join(' → '),
    allocatorEntry,
    context,
    contextText,
    subsystem,
    driver,
    subsystemText,
    frameLines,
  };
}

/** A module in brackets, else a driver-looking function (tg3_start_xmit, rtl8169_poll). */
function findDriver(frames: StackFrame[], subsystem: string | null): string | null {
  const withModule = frames.find((f) => f.module !== null && !f.unreliable);
  if (withModule?.module) return withModule.module;
  if (subsystem !== 'network') return null;
  for (const f of frames) {
    const m =
      /^([a-z][a-z0-9_]*?)_(start_xmit|poll|rx_interrupt|interrupt|rx|tx|xmit_frame|alloc_rx_skb|rx_fill)\b/.exec(
        frameName(f),
      );
    if (m && !/^(net|dev|netif|napi|sch|skb|tcp|udp|ip|sock)$/.test(m[1])) return m[1];
  }
  return null;
}
