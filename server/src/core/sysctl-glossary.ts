// What each vm sysctl means, for the sysctl.conf / `sysctl -a` hovers: one entry per key, in the
// words of Documentation/admin-guide/sysctl/vm.rst (K618; Documentation/sysctl/vm.txt before
// 5.3), and the ranges and defaults per release from the kernel timeline (kernel/eras.ts rows'
// `sysctls`). Keys the timeline lacks show their meaning only.

import { TIMELINE, type SysctlFact } from './kernel/eras';

export interface SysctlMeaning {
  /** What it does, one or two sentences. */
  meaning: string;
  /** The vm.rst section (or other document) that says so. */
  doc: string;
  /** A one-shot action rather than a setting: writing it does something once. */
  action?: boolean;
}

const VM = 'Documentation/admin-guide/sysctl/vm.rst';

export const VM_SYSCTLS: Readonly<Record<string, SysctlMeaning>> = {
  'vm.min_free_kbytes': {
    meaning:
      'kB the VM keeps free: it sets every lowmem zone\'s min watermark, each zone getting a share proportional to its size; low and high follow from min. Below about 1024 kB the system "will become subtly broken, and prone to deadlock under high loads"; "setting this too high will OOM your machine instantly".',
    doc: `${VM} min_free_kbytes`,
  },
  'vm.lowmem_reserve_ratio': {
    meaning:
      "one divisor per zone: zone i keeps back (managed pages of the zones above it, up to the request's class zone) / ratio[i] pages from requests that could have used a higher zone: the `protection: (…)` columns of /proc/zoneinfo. 1 keeps back 100 %; below 1 disables the protection (4.17+: 0).",
    doc: `${VM} lowmem_reserve_ratio; mm/page_alloc.c setup_per_zone_lowmem_reserve`,
  },
  'vm.watermark_scale_factor': {
    meaning:
      "how aggressive kswapd is: the distance min → low → high in units of 1/10000 of the zone's memory (default 10 = 0.1 %); kswapd wakes below low and sleeps above high.",
    doc: `${VM} watermark_scale_factor; mm/page_alloc.c __setup_per_zone_wmarks`,
  },
  'vm.watermark_boost_factor': {
    meaning:
      'how much kswapd reclaims when a fallback mixes page mobilities in a pageblock: up to factor/10000 of the high watermark (15000 = 150 %) is added to the watermarks for a while; 0 disables.',
    doc: `${VM} watermark_boost_factor; mm/page_alloc.c boost_watermark`,
  },
  'vm.zone_reclaim_mode': {
    meaning:
      'what an allocation does when its local zone runs short: 0 takes memory from other zones/nodes; bit 1 reclaims the local node first, 2 also writes dirty pages out, 4 also swaps. File servers and caches want 0.',
    doc: `${VM} zone_reclaim_mode`,
  },
  'vm.extfrag_threshold': {
    meaning:
      'whether a high-order allocation compacts or reclaims: the kernel does not compact a zone whose fragmentation index (debugfs extfrag/extfrag_index, 0 … 1000) is at or below it.',
    doc: `${VM} extfrag_threshold; mm/compaction.c compaction_suitable`,
  },
  'vm.compaction_proactiveness': {
    meaning:
      'how hard kcompactd compacts in the background (0 disables proactive compaction). Writing a non-zero value also starts a round at once.',
    doc: `${VM} compaction_proactiveness`,
  },
  'vm.compact_memory': {
    meaning:
      'writing 1 compacts every zone once, so that free memory is in contiguous blocks where possible.',
    doc: `${VM} compact_memory`,
    action: true,
  },
  'vm.defrag_mode': {
    meaning:
      '1: the allocator reclaims and compacts before it falls back to a pageblock of another mobility (ALLOC_NOFRAGMENT), keeping pageblocks whole for huge pages; 0 falls back first.',
    doc: `${VM} defrag_mode`,
  },
  'vm.drop_caches': {
    meaning:
      'writing 1 frees the clean page cache, 2 the reclaimable slab (dentries, inodes), 3 both (4 silences the message). A one-shot action, not a setting: the caches it drops are re-read from disk, which "can cause performance problems".',
    doc: `${VM} drop_caches`,
    action: true,
  },
  'vm.swappiness': {
    meaning:
      'the relative I/O cost of swapping anonymous memory against dropping or writing back the page cache; 100 weighs them equally.',
    doc: `${VM} swappiness`,
  },
  'vm.vfs_cache_pressure': {
    meaning:
      'how eagerly dentries and inodes are reclaimed relative to the page cache: 100 is "fair", below keeps them longer (0: never reclaimed, can OOM), above reclaims them sooner.',
    doc: `${VM} vfs_cache_pressure`,
  },
  'vm.overcommit_memory': {
    meaning:
      '0: heuristic overcommit (refuses obvious overcommits), 1: always overcommit, 2: never beyond swap + overcommit_ratio (or overcommit_kbytes) of RAM.',
    doc: 'Documentation/mm/overcommit-accounting.rst; vm.rst overcommit_memory',
  },
  'vm.overcommit_ratio': {
    meaning: '% of RAM (beyond swap) that mode 2 of overcommit_memory lets processes commit.',
    doc: `${VM} overcommit_ratio`,
  },
  'vm.admin_reserve_kbytes': {
    meaning:
      'kB kept back from committed memory for processes with CAP_SYS_ADMIN, so root can log in and kill a runaway process.',
    doc: `${VM} admin_reserve_kbytes`,
  },
  'vm.user_reserve_kbytes': {
    meaning:
      "kB kept back from a user process's commit in overcommit mode 2: each process keeps min(3 % of its size, this) free.",
    doc: `${VM} user_reserve_kbytes`,
  },
  'vm.percpu_pagelist_high_fraction': {
    meaning:
      "the fraction of a zone the per-CPU page lists may hold at most (pcp->high); 0 leaves the kernel's own sizing, else at least 8.",
    doc: `${VM} percpu_pagelist_high_fraction`,
  },
  'vm.panic_on_oom': {
    meaning:
      '0: the OOM killer kills a task; 1: panic on a system-wide OOM (not a cpuset/memcg one); 2: panic always.',
    doc: `${VM} panic_on_oom`,
  },
  'vm.oom_kill_allocating_task': {
    meaning:
      'non-zero: the OOM killer kills the task that triggered it instead of scanning for the largest one.',
    doc: `${VM} oom_kill_allocating_task`,
  },
  'vm.oom_dump_tasks': {
    meaning: 'non-zero: an OOM kill prints the task table (pid, rss, oom_score_adj …).',
    doc: `${VM} oom_dump_tasks`,
  },
  'vm.nr_hugepages': {
    meaning:
      'the size of the persistent hugetlb pool (default-size huge pages); the pages are taken out of the buddy allocator for good.',
    doc: `${VM} nr_hugepages; Documentation/admin-guide/mm/hugetlbpage.rst`,
  },
  'vm.dirty_ratio': {
    meaning: '% of available memory that may be dirty before a writing process must write back itself.',
    doc: `${VM} dirty_ratio`,
  },
  'vm.dirty_background_ratio': {
    meaning: '% of available memory dirty at which the flusher threads start writing back.',
    doc: `${VM} dirty_background_ratio`,
  },
  'vm.extra_free_kbytes': {
    meaning:
      'Android and ChromeOS kernels only (not mainline): kB added to the low and high watermarks, so kswapd starts earlier without raising min.',
    doc: 'Android common kernels mm/page_alloc.c __setup_per_zone_wmarks',
  },
};

/** A sysctl's fact as it changed along the timeline: the first release of each distinct entry. */
export interface SysctlEra {
  since: string;
  fact: SysctlFact;
}

/** Where the timeline has the key: one entry per release that changed its range, default or
 * words (empty when the timeline does not know the key). */
export function sysctlEras(key: string): SysctlEra[] {
  const out: SysctlEra[] = [];
  let last: SysctlFact | undefined;
  for (const row of TIMELINE.rows) {
    const fact = row.sysctls[key] as SysctlFact | undefined;
    if (!fact) continue;
    if (
      last &&
      fact.min === last.min &&
      fact.max === last.max &&
      fact.default === last.default &&
      fact.text === last.text
    )
      continue;
    last = fact;
    out.push({ since: row.since.text.replace(/\.0$/, ''), fact });
  }
  return out;
}

/** The newest release's fact for the key, or undefined. */
export function newestSysctlFact(key: string): SysctlFact | undefined {
  const eras = sysctlEras(key);
  return eras.length > 0 ? eras[eras.length - 1].fact : undefined;
}
