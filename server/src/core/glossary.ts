// What hovers say about Mem-Info counters and allocator call-trace frames: typed tables (kernel
// knowledge is data, style.md habit 5). Units and fields follow kernel-memory.md §2.3, §2.9, §2.11;
// function roles follow mm/page_alloc.c, mm/slub.c, mm/vmalloc.c, mm/oom_kill.c of the eras cited.

export interface CounterInfo {
  unit: 'pages' | 'kB' | 'count';
  meaning: string;
}

/** Mem-Info summary counters (all in pages, §2.3) and the tail lines (§2.9), by printed name. */
export const COUNTERS: Readonly<Record<string, CounterInfo>> = {
  active_anon: {
    unit: 'pages',
    meaning:
      'anonymous memory (process heaps, stacks) on the active LRU list: recently used, reclaimable only by swapping',
  },
  inactive_anon: {
    unit: 'pages',
    meaning: 'anonymous memory on the inactive LRU list: the first to be swapped out',
  },
  isolated_anon: {
    unit: 'pages',
    meaning: 'anonymous pages temporarily taken off the LRU by reclaim or migration',
  },
  active_file: { unit: 'pages', meaning: 'page cache on the active LRU list: file data used recently' },
  inactive_file: {
    unit: 'pages',
    meaning:
      'page cache on the inactive LRU list: the cheapest memory to reclaim (clean pages are simply dropped)',
  },
  isolated_file: {
    unit: 'pages',
    meaning: 'file pages temporarily taken off the LRU by reclaim or migration',
  },
  unevictable: { unit: 'pages', meaning: 'pages reclaim may not touch (mlock, ramfs, SHM_LOCK)' },
  dirty: {
    unit: 'pages',
    meaning: 'page cache waiting to be written back: reclaimable only after writeback',
  },
  writeback: { unit: 'pages', meaning: 'pages being written back right now' },
  unstable: {
    unit: 'pages',
    meaning: 'NFS pages written to the server but not yet committed (dropped in 5.10)',
  },
  slab_reclaimable: {
    unit: 'pages',
    meaning:
      'slab caches the kernel can shrink, mostly dentries and inodes (vm.vfs_cache_pressure sets how eagerly)',
  },
  slab_unreclaimable: {
    unit: 'pages',
    meaning: 'slab memory that cannot be reclaimed (kmalloc buffers, kernel objects in use)',
  },
  slab: { unit: 'pages', meaning: 'all slab memory (2.6.18 prints one total)' },
  mapped: {
    unit: 'pages',
    meaning: 'page cache mapped into process address spaces (mmap, shared libraries)',
  },
  shmem: { unit: 'pages', meaning: 'shared memory and tmpfs pages (reclaimable only by swapping)' },
  pagetables: { unit: 'pages', meaning: 'memory used by page tables' },
  sec_pagetables: { unit: 'pages', meaning: 'secondary page tables (KVM/IOMMU, 6.1+)' },
  bounce: { unit: 'pages', meaning: 'bounce buffers for devices that cannot reach high memory' },
  kernel_misc_reclaimable: { unit: 'pages', meaning: 'other reclaimable kernel memory (5.15+)' },
  free: { unit: 'pages', meaning: 'free pages in all zones (the sum of the zones’ free:)' },
  free_pcp: {
    unit: 'pages',
    meaning: 'free pages held in the per-CPU page lists, not counted in the zones’ buddy lists',
  },
  free_cma: { unit: 'pages', meaning: 'free pages in CMA areas: usable only by movable allocations' },
  active: { unit: 'pages', meaning: 'pages on the active LRU list (2.6.18)' },
  inactive: { unit: 'pages', meaning: 'pages on the inactive LRU list (2.6.18)' },
  'pages RAM': { unit: 'pages', meaning: 'physical memory the kernel manages' },
  'pages HighMem': { unit: 'pages', meaning: 'memory in the HighMem zone (32-bit kernels)' },
  'pages HighMem/MovableOnly': { unit: 'pages', meaning: 'memory in HighMem or Movable zones' },
  'pages reserved': {
    unit: 'pages',
    meaning: 'memory reserved at boot and never given to the allocator (3.18+: Σ present − managed)',
  },
  'pages shared': { unit: 'pages', meaning: 'pages mapped more than once (≤3.10)' },
  'pages non-shared': { unit: 'pages', meaning: 'pages mapped once (≤3.10)' },
  'pages cma reserved': { unit: 'pages', meaning: 'memory set aside for the contiguous memory allocator' },
  'pages hwpoisoned': { unit: 'pages', meaning: 'pages retired after hardware memory errors' },
  'total pagecache pages': {
    unit: 'pages',
    meaning: 'all file-backed pages, including shmem and swap cache',
  },
  'pages in swap cache': { unit: 'pages', meaning: 'pages both in memory and in swap' },
  'Free swap': { unit: 'kB', meaning: 'unused swap space' },
  'Total swap': { unit: 'kB', meaning: 'configured swap space' },
};

/** What a field of the zone or node lines, or a line __show_mem prints after the dump, means:
 * those 6.x kernels added (kB unless said otherwise; kernel-memory.md §2.4, §2.5, §2.10, checked
 * against single-release trees 6.6.57 … 7.1.5). */
export interface DumpFieldInfo {
  /** The releases that print it. */
  printed: string;
  meaning: string;
}

export const DUMP_FIELDS: Readonly<Record<string, DumpFieldInfo>> = {
  reserved_highatomic: {
    printed: '5.10+ zone lines (printed `KB`, meaning kB)',
    meaning:
      'pageblocks the zone set aside for high-order atomic requests (MIGRATE_HIGHATOMIC): only requests allowed the reserve may take them',
  },
  free_highatomic: {
    printed: '6.16+ zone lines (printed `KB`, meaning kB)',
    meaning:
      'the free part of the highatomic reserve (nr_free_highatomic): other requests cannot use it, so the watermark check takes it off free',
  },
  zspages: {
    printed: '6.18+ zone lines (0 without CONFIG_ZSMALLOC)',
    meaning: 'pages zsmalloc holds for compressed memory (zram, zswap): in use, not reclaimable by dropping',
  },
  Balloon: {
    printed: '6.15+ node lines',
    meaning:
      'memory a balloon driver (virtio-balloon, Hyper-V, Xen) took back for the hypervisor: gone from the guest until deflated',
  },
  gpu_active: {
    printed: '7.1+ node lines',
    meaning: 'system memory GPU drivers (TTM) hold for buffers in use',
  },
  gpu_reclaim: {
    printed: '7.1+ node lines',
    meaning: 'GPU buffer memory (TTM pools) the kernel can reclaim under pressure',
  },
  writeback_tmp: {
    printed: 'node lines up to 6.16 (FUSE no longer uses it; removed in 6.17)',
    meaning: 'pages under writeback through FUSE temporary buffers',
  },
  'Memory allocations': {
    printed: '6.10+ kernels with CONFIG_MEM_ALLOC_PROFILING (6.18+ also say whether profiling is on)',
    meaning:
      'the ten call sites holding the most memory (allocation profiling): bytes and allocations still live at each. With profiling turned off, the numbers are those from when it was switched off',
  },
  'Memory cgroup min protection': {
    printed: '6.19+ (cgroup v2)',
    meaning:
      'memory.min and memory.low protection in effect below the root cgroup: reclaim spares that much, so it is not there to free',
  },
};

export function dumpFieldInfo(name: string): DumpFieldInfo | null {
  return DUMP_FIELDS[name] ?? null;
}

export function counterInfo(name: string): CounterInfo | null {
  return COUNTERS[name] ?? COUNTERS[name.toLowerCase()] ?? COUNTERS[name.replace(/^\d+\s+/, '')] ?? null;
}

/** Call-trace functions of the allocation paths, by name (suffixes such as `.constprop.0` removed). */
export const ALLOCATOR_FUNCTIONS: Readonly<Record<string, string>> = {
  warn_alloc_failed:
    'prints this report when the page allocator gives up on a request (3.x–4.8; `__GFP_NOWARN` and the rate limit silence it)',
  warn_alloc:
    'prints this report when the page allocator or vmalloc gives up on a request (4.9+; `__GFP_NOWARN` and the rate limit silence it)',
  warn_alloc_show_mem: 'prints the Mem-Info dump that follows an allocation-failure report',
  show_mem: 'prints the Mem-Info dump (counters, zones, free lists)',
  __show_mem: 'prints the Mem-Info dump (counters, zones, free lists)',
  show_free_areas: 'prints the zone lines and buddy free lists of the Mem-Info dump',
  dump_stack: 'prints the task line and this call trace',
  dump_stack_lvl: 'prints the task line and this call trace',
  dump_header: 'the OOM killer’s report: header, call trace, Mem-Info and task table',
  __alloc_pages_nodemask:
    'the page allocator’s entry point (2.6.27–5.12): tries the free lists at the low watermark, then the slow path',
  __alloc_pages:
    'the page allocator’s entry point (≤2.6.26 and 5.13+): tries the free lists at the low watermark, then the slow path',
  __alloc_pages_internal: 'the page allocator’s entry point (2.6.27–2.6.29)',
  __alloc_pages_slowpath:
    'the allocator’s slow path: wakes kswapd, retries at the min watermark with the request’s allowances, then (only if it may sleep) direct reclaim, compaction and the OOM killer',
  __alloc_pages_direct_reclaim: 'direct reclaim: the allocating task frees memory itself before retrying',
  __alloc_pages_direct_compact: 'direct compaction: moves pages to build a free block of the requested order',
  __alloc_pages_may_oom: 'the last resort of the slow path: invokes the OOM killer',
  get_page_from_freelist:
    'walks the allowed zones and takes pages from the first one that passes the watermark check',
  alloc_pages_current: 'allocates pages for the current task under its NUMA memory policy',
  alloc_pages_vma: 'allocates pages for a user mapping (page fault) under the VMA’s memory policy',
  alloc_pages_mpol: 'allocates pages under a NUMA memory policy (6.7+)',
  alloc_pages: 'allocates 2^order contiguous pages',
  alloc_pages_node: 'allocates pages preferring one NUMA node',
  __alloc_pages_node: 'allocates pages preferring one NUMA node',
  folio_alloc: 'allocates a folio (a compound page) for the page cache or anonymous memory',
  filemap_alloc_folio: 'allocates a page-cache folio for file data',
  __get_free_pages: 'allocates pages and returns their kernel address',
  get_zeroed_page: 'allocates one zeroed page',
  alloc_pages_exact: 'allocates pages for a size that is not a power of two',
  kmalloc_large_node:
    'kmalloc for sizes above the largest slab cache: goes straight to the page allocator, so a large buffer needs a contiguous high-order block',
  kmalloc_large:
    'kmalloc for sizes above the largest slab cache: goes straight to the page allocator for a contiguous block',
  kmalloc_order: 'kmalloc of a whole high-order block straight from the page allocator',
  kmalloc_order_trace: 'kmalloc of a whole high-order block straight from the page allocator',
  __kmalloc: 'kmalloc: allocates a buffer from the slab caches',
  __kmalloc_node: 'kmalloc on a NUMA node',
  __kmalloc_node_track_caller: 'kmalloc on a NUMA node, recording the caller (used by the network stack)',
  __kmalloc_track_caller: 'kmalloc recording the caller',
  kmalloc_reserve: 'allocates an skb data buffer (may use the emergency reserves)',
  kmem_cache_alloc: 'allocates an object from a slab cache',
  kmem_cache_alloc_node: 'allocates an object from a slab cache on a NUMA node',
  kmem_cache_alloc_trace: 'allocates an object from a slab cache (traced kmalloc)',
  new_slab: 'SLUB: gets a new slab (a block of pages) from the page allocator for a cache',
  allocate_slab:
    'SLUB: allocates the pages of a new slab, first at the cache’s preferred order, then its minimum order',
  alloc_slab_page: 'SLUB: asks the page allocator for a slab’s pages',
  ___slab_alloc: 'SLUB slow path: no free object on the CPU slab, find or allocate another slab',
  __slab_alloc: 'SLUB slow path: no free object on the CPU slab, find or allocate another slab',
  cache_grow: 'SLAB: grows a cache with pages from the page allocator',
  cache_alloc_refill: 'SLAB: refills the per-CPU object array',
  kmem_getpages: 'SLAB: asks the page allocator for a slab’s pages',
  __alloc_skb: 'allocates a network buffer (sk_buff and its data area)',
  __netdev_alloc_skb: 'allocates a receive buffer for a network driver',
  __napi_alloc_skb: 'allocates a receive buffer in NAPI polling (softirq)',
  skb_copy: 'copies a network buffer into a newly allocated linear one (size = the whole packet)',
  pskb_expand_head: 'reallocates a network buffer’s head to make room',
  __page_frag_cache_refill:
    'refills the page-fragment cache: tries an order-3 block without warning, then one page',
  skb_page_frag_refill:
    'refills a socket’s page fragment: tries an order-3 block without warning, then one page',
  __vmalloc_node_range:
    'vmalloc: reserves virtual space and allocates the pages one by one (no contiguous block needed)',
  __vmalloc_area_node: 'vmalloc: allocates the pages behind a virtual area',
  __vmalloc_node: 'vmalloc on a NUMA node',
  __vmalloc: 'vmalloc with explicit GFP flags',
  vmalloc: 'allocates virtually contiguous memory',
  vzalloc: 'allocates zeroed virtually contiguous memory',
  kvmalloc_node: 'tries kmalloc (contiguous) quietly, then falls back to vmalloc',
  out_of_memory: 'the OOM killer: picks the task with the highest badness score and kills it',
  oom_kill_process: 'kills the chosen task (or one of its children) to free memory',
  pagefault_out_of_memory: 'a page fault found no memory: runs the OOM killer',
};

export function allocatorFunction(name: string): string | null {
  return (
    ALLOCATOR_FUNCTIONS[name] ??
    ALLOCATOR_FUNCTIONS[name.replace(/(?:\.(?:constprop|isra|part|cold|llvm)(?:\.\d+)?)+$/, '')] ??
    null
  );
}
