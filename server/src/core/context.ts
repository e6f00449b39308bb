// Where the failed allocation came from: the call chain in one line, the interrupt context and the
// subsystem, read from the call trace (product.md "Context"). Function-name tables are data here.

import type { Report, StackFrame } from './model';
import type { ContextAnalysis, MemallocContext, Verdict } from './analysis-types';
import { vmallocVerdict } from './vmalloc';

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
  // clone()/unshare() creating namespaces: kernel/fork.c copy_process → copy_namespaces →
  // create_new_namespaces (kernel/nsproxy.c; unshare_nsproxy_namespaces for unshare) → copy_net_ns →
  // setup_net → each pernet init (net/core/net_namespace.c 3.10–6.x, ops_init): an error there
  // makes the syscall fail, so the network frames above it (nf_conntrack_init_net) are set-up, not traffic.
  {
    name: 'namespace',
    text: 'namespace creation (clone/unshare)',
    pattern:
      /^(copy_namespaces|create_new_namespaces|unshare_nsproxy_namespaces|copy_net_ns|setup_net|copy_ipcs|copy_utsname|copy_mnt_ns|copy_pid_ns|copy_cgroup_ns)$/,
  },
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

/**
 * Frames that show the task runs with PF_MEMALLOC, and who set it. __alloc_pages_slowpath sends a
 * PF_MEMALLOC task to `nopage` without reclaiming ("Avoid recursion of direct reclaim": `if
 * (current->flags & PF_MEMALLOC) goto nopage;`, mm/page_alloc.c 2.6.32, 3.14, 4.9, 5.10, 6.8, 6.19;
 * 2.6.24 __alloc_pages the same after its no-watermark try), and lets it ignore the watermarks
 * (ALLOC_NO_WATERMARKS: gfp_to_alloc_flags 2.6.32–3.x, gfp_pfmemalloc_allowed 4.9, __gfp_pfmemalloc_flags
 * 4.14–6.19) in task context
 * unless the mask has __GFP_NOMEMALLOC. Who sets it (mm/vmscan.c, mm/page_alloc.c 2.6.24–6.19):
 * kswapd() for its whole life (`tsk->flags |= PF_MEMALLOC | …PF_KSWAPD`), __perform_reclaim
 * around try_to_free_pages (2.6.24 __alloc_pages), __alloc_pages_direct_compact around
 * try_to_compact_pages (4.9, 6.19), try_to_free_mem_cgroup_pages (4.14+), __node_reclaim
 * (__zone_reclaim before 4.8) and shrink_all_memory (hibernation). kcompactd is not one: it sets
 * only PF_KCOMPACTD (mm/compaction.c 6.19; nothing in 4.14 or 6.8), so its allocations reclaim as
 * any task's do. The first match walking outwards from the allocator wins.
 */
const MEMALLOC_SETTERS: { by: MemallocContext['by']; pattern: RegExp; words: string }[] = [
  { by: 'kswapd', pattern: /^(kswapd|balance_pgdat)$/, words: 'kswapd' },
  {
    by: 'direct_reclaim',
    pattern: /^(try_to_free_pages|do_try_to_free_pages|__perform_reclaim|__alloc_pages_direct_reclaim)$/,
    words: 'direct reclaim',
  },
  {
    by: 'direct_compaction',
    pattern: /^(try_to_compact_pages|__alloc_pages_direct_compact)$/,
    words: 'direct compaction',
  },
  { by: 'memcg_reclaim', pattern: /^try_to_free_mem_cgroup_pages$/, words: 'memory-cgroup reclaim' },
  {
    by: 'node_reclaim',
    pattern: /^(__node_reclaim|node_reclaim|__zone_reclaim|zone_reclaim)$/,
    words: 'node reclaim',
  },
  { by: 'shrink_all_memory', pattern: /^shrink_all_memory$/, words: 'hibernation reclaim' },
];

/** What reclaim was doing when it allocated, by frame (nearest the allocator first). */
const RECLAIM_WORK: { pattern: RegExp; words: string }[] = [
  {
    pattern: /^(zswap_store|zswap_frontswap_store|zswap_compress|zswap_writeback_entry)$/,
    words: 'storing a page in zswap',
  },
  {
    pattern: /^(zram_bvec_write|zram_write_page|zram_writeback_slots|writeback_store)$/,
    words: 'writing a page to zram',
  },
  {
    pattern: /^(folio_alloc_swap|add_to_swap|add_to_swap_cache|get_swap_page|__add_to_swap_cache)$/,
    words: 'adding a page to swap',
  },
  { pattern: /^(swap_writepage|swap_writeout|__swap_writepage|pageout)$/, words: 'writing a page out' },
  {
    pattern: /^(prune_icache_sb|prune_dcache_sb|super_cache_scan|dispose_list|shrink_dcache_sb)$/,
    words: 'freeing inodes and dentries for a slab shrinker',
  },
  { pattern: /^(do_shrink_slab|shrink_slab|shrink_slab_memcg)$/, words: 'running a slab shrinker' },
  {
    pattern:
      /^(shrink_page_list|shrink_folio_list|shrink_inactive_list|shrink_lruvec|shrink_node|shrink_zone|evict_folios)$/,
    words: 'reclaiming LRU pages',
  },
  { pattern: /^(compact_zone|isolate_migratepages|migrate_pages|compact_zone_order)$/, words: 'compacting' },
];

/** A network interface being brought up: net/core/dev.c __dev_open calls the driver's ndo_open
 * (from dev_open, or __dev_change_flags for `ip link set … up`; netif_open in 6.x). */
const DEV_OPEN = /^(__dev_open|dev_open|__dev_change_flags|dev_change_flags|netif_open)$/;
/** What drivers do in ndo_open: their open/up function and the ring set-up it calls. */
const DRIVER_OPEN = /^[a-z][a-z0-9_]*_(open|up|ndo_open)$/;
const RING_SETUP =
  /^[a-z][a-z0-9_]*_(setup_(all_)?(rx|tx)_resources|alloc_(rx|tx)_(rings?|resources|descriptors)|(alloc|setup|init)_rings?)$/;

/** SLUB's per-CPU sheaf refill (mm/slub.c 6.19.10): __pcs_replace_empty_main refills an empty sheaf
 * with `refill_sheaf(s, empty, gfp | __GFP_NOMEMALLOC)` (alloc_full_sheaf, kmem_cache_prefill_sheaf
 * the same), and when that fails slab_alloc_node goes on to `__slab_alloc_node(s, gfpflags, …)` with
 * the caller's own mask: a page allocation failure printed under these frames is the refill's. */
const SHEAF_REFILL = /^(__pcs_replace_empty_main|refill_sheaf|alloc_full_sheaf)$/;

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

/** `canReclaim`: the mask allows direct reclaim (gfp.ts), so the request was made in task context
 * even when no trace shows it (a sleeping allocation is never made in an interrupt). */
export function analyzeContext(report: Report, canReclaim: boolean | null = null): ContextAnalysis {
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
    // Inside reclaim (kswapd, direct reclaim, a shrinker), the reclaim step nearest the allocation
    // says what the task was doing when it allocated (dispose_list, zswap_store …): keep it too.
    const step = inner.findIndex((n) => RECLAIM_WORK.some((r) => r.pattern.test(n)));
    if (step >= 0 && !picked.includes(step)) picked.push(step);
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
  const between = names.slice(start, entryAt + 1);
  const memalloc =
    context === 'task' || (context === 'unknown' && canReclaim === true) ? memallocOf(report, between) : null;
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
              ? `process context of ${report.comm ?? 'the task'}${report.pid !== null ? ` (pid ${report.pid})` : ''}` +
                (memalloc
                  ? `, with PF_MEMALLOC (${memalloc.by === 'kswapd' ? 'kswapd' : memalloc.shownBy}): the allocator never reclaims for it`
                  : '')
              : `no call trace: context unknown${memalloc ? `; ${report.comm} runs with PF_MEMALLOC (kswapd): the allocator never reclaims for it` : ''}`;

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
  const interfaceUp = interfaceUpFrame(between, subsystem);
  const sheafRefill = between.find((n) => SHEAF_REFILL.test(n)) ?? null;
  if (interfaceUp !== null)
    subsystemText += `, bringing ${subsystem === 'network' ? 'an' : 'a network'} interface up (${interfaceUp})`;
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
    memalloc,
    interfaceUp,
    sheafRefill,
    frameLines,
  };
}

/** The frame that shows a network interface coming up: the driver's open (or ring set-up) below
 * net/core's __dev_open, else __dev_open itself; without it, a network driver's ring set-up. */
function interfaceUpFrame(names: string[], subsystem: string | null): string | null {
  const devOpen = names.findIndex((n) => DEV_OPEN.test(n));
  if (devOpen >= 0)
    return names.slice(0, devOpen).find((n) => DRIVER_OPEN.test(n) || RING_SETUP.test(n)) ?? names[devOpen];
  return subsystem === 'network' ? (names.find((n) => RING_SETUP.test(n)) ?? null) : null;
}

/** PF_MEMALLOC from the comm (kswapd sets it for its whole life) or a setter frame (MEMALLOC_SETTERS). */
function memallocOf(report: Report, names: string[]): MemallocContext | null {
  const comm = report.comm ?? '';
  let by: MemallocContext['by'] | null = null;
  let shownBy = '';
  let words = '';
  for (const n of names) {
    const setter = MEMALLOC_SETTERS.find((s) => s.pattern.test(n));
    if (setter) {
      by = setter.by;
      shownBy = n;
      words = setter.words;
      break;
    }
  }
  // kswapd%d (mm/vmscan.c kswapd_run): its allocations all run with PF_MEMALLOC, frames or not
  if (/^kswapd\d+$/.test(comm) && (by === null || by === 'kswapd')) {
    by = 'kswapd';
    if (shownBy === '') shownBy = `comm ${comm}`;
    words = 'kswapd';
  }
  if (by === null) return null;
  const work = names.map((n) => ({ n, w: RECLAIM_WORK.find((r) => r.pattern.test(n)) })).find((x) => x.w);
  const who =
    by === 'kswapd' ? `${comm || 'kswapd'} (kswapd, PF_MEMALLOC)` : `${words} (${shownBy}, PF_MEMALLOC)`;
  return { by, shownBy, doing: work ? `${work.w!.words} in ${work.n}` : null, who };
}

/** A module in brackets, else a driver-looking function (tg3_start_xmit, rtl8169_poll, and the NAPI
 * poll callback net_rx_action calls, `n->poll` in net/core/dev.c: fec_enet_rx_napi in 3.10's
 * drivers/net/ethernet/freescale/fec_main.c). */
function findDriver(frames: StackFrame[], subsystem: string | null): string | null {
  const withModule = frames.find((f) => f.module !== null && !f.unreliable);
  if (withModule?.module) return withModule.module;
  if (subsystem !== 'network') return null;
  for (const f of frames) {
    const m =
      /^([a-z][a-z0-9_]*?)_(start_xmit|poll|rx_interrupt|interrupt|rx|tx|xmit_frame|alloc_rx_skb|rx_fill|rx_napi|napi_poll)\b/.exec(
        frameName(f),
      );
    if (m && !/^(net|dev|netif|napi|sch|skb|tcp|udp|ip|sock)$/.test(m[1])) return m[1];
  }
  return null;
}

/** A verdict as decideVerdict gives it. */
export interface VerdictWords {
  verdict: Verdict;
  text: string;
  short: string;
}

/**
 * The verdict in the words of the context the allocation ran in: the vmalloc step that failed
 * (vmalloc.ts), and a PF_MEMALLOC task (kswapd, direct reclaim or compaction), which the slow path
 * never lets reclaim (`goto nopage`) and which, without __GFP_NOMEMALLOC, ignored the watermarks
 * the replay uses (MEMALLOC_SETTERS). OOM kills are not PF_MEMALLOC failures: such a task never
 * reaches __alloc_pages_may_oom.
 */
export function verdictInContext(
  base: VerdictWords,
  report: Report,
  ctx: ContextAnalysis,
  noMemalloc: boolean | null,
): VerdictWords {
  let { text, short } = base;
  const vm = vmallocVerdict(report);
  if (vm !== null && 'note' in vm) {
    text = vm.note + text;
    short = vm.shortNote + short;
  }
  const m = ctx.memalloc;
  const decided =
    report.kind === 'page_alloc_failure' ||
    (report.kind === 'vmalloc_failure' && report.vmallocStep === 'pages');
  if (m === null || !decided || base.verdict === 'not_applicable')
    return { verdict: base.verdict, text, short };
  const order = report.order ?? 0;
  const reserves =
    noMemalloc === true
      ? 'and __GFP_NOMEMALLOC kept it from the reserves below min, so it got only what the watermark check allowed. '
      : (noMemalloc === false
          ? 'but without __GFP_NOMEMALLOC it may take free pages below every watermark (ALLOC_NO_WATERMARKS, __gfp_pfmemalloc_flags; gfp_to_alloc_flags before 4.14), '
          : 'and unless the mask has __GFP_NOMEMALLOC (it cannot be decoded here) it may take free pages below every watermark (ALLOC_NO_WATERMARKS), ') +
        `so it faced no watermark check: it failed only because no zone it may use had a free block of order ${order} it could take. `;
  // 6.19.10 mm/slub.c: the refill's __GFP_NOMEMALLOC is SLUB's, not the caller's (SHEAF_REFILL)
  const sheaf =
    ctx.sheafRefill !== null && noMemalloc === true
      ? `The __GFP_NOMEMALLOC is SLUB's own: it refilled its per-CPU sheaf (${ctx.sheafRefill} → refill_sheaf with gfp | __GFP_NOMEMALLOC), ` +
        "and when that fails slab_alloc_node retries the caller's object with the caller's own mask (__slab_alloc_node), where PF_MEMALLOC may use the reserves. "
      : '';
  const lead =
    `${m.who} failed an allocation while reclaiming${m.doing ? `, ${m.doing}` : ''}: a PF_MEMALLOC task never reclaims for itself ` +
    '(__alloc_pages_slowpath: `if (current->flags & PF_MEMALLOC) goto nopage`), ' +
    reserves +
    'Under memory pressure this is the expected outcome, not a request that could have slept and reclaimed. ';
  const replayed =
    noMemalloc !== true && base.verdict !== 'undecidable'
      ? 'Checked against the watermark of its mask instead: '
      : '';
  return {
    verdict: base.verdict,
    text: lead + replayed + text + (sheaf ? ` ${sheaf.trimEnd()}` : ''),
    short: `${m.by === 'kswapd' ? 'kswapd' : 'a reclaiming task'} (PF_MEMALLOC) does not reclaim for itself, expected under pressure; ${short}`,
  };
}
