// Reports of 6.10–7.1 kernels, each line built from the printk format of the release it imitates
// (single-release trees read for #12: 6.6.57, 6.8.1, 6.13.7, 6.14.0, 6.17.0, 6.18.2, 6.19.0,
// 7.0.0, 7.1.5; see docs/kernel/kernel-memory.md §2.4, §2.5, §2.12, §7): the zone and node fields new
// since 6.6, the `Memory allocations` section that __show_mem prints last, the task line with UID
// and the preemption model, the 6.19+ memcg protection line, the `rss_anon rss_file rss_shmem`
// task table, the 6.12+ SLUB header, and a proposed `oom_policy=` continuation line. Every value
// asserted is one the synthetic line prints; the CLI's skipping reader and the recorded/replayed
// path must read each report exactly as a full parse does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog, LogScanner } from '../../server/src/core/parse';
import { createScan } from '../../server/src/cli/scan';
import { recordReport, replayReport, type RecordedReport } from '../../server/src/core/report-record';
import { decideEra, shapeBounds } from '../../server/src/core/era';
import { analyzeText, renderReportText } from '../../server/src/core/analyze';
import type { Report } from '../../server/src/core/model';

const ts = (lines: readonly string[], start = 2210.4567): string =>
  lines.map((l, i) => `[${(start + i * 0.000011).toFixed(6).padStart(12)}] ${l}`).join('\n');

/** 6.18.2: `CPU: %d UID: %u PID: %d Comm: %.20s %s%s %s %.*s %s ` + build id (lib/dump_stack.c),
 * the verbose taint line, free_highatomic/zspages in the zone lines, Balloon in the node line,
 * `Memory allocations (profiling is currently turned on):` after `pages hwpoisoned`. */
const R618 = [
  'kworker/u16:3: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0',
  'CPU: 5 UID: 0 PID: 48213 Comm: kworker/u16:3 Tainted: G        W  O        6.18.2-arch1-1 #1 PREEMPT(full)  3c1f0a9e2b7d5c4a',
  'Tainted: [W]=WARN, [O]=OOT_MODULE',
  'Hardware name: LENOVO 20XW0055GE/20XW0055GE, BIOS N32ET91W (1.67 ) 02/05/2024',
  'Workqueue: events_unbound async_run_entry_fn',
  'Call Trace:',
  ' <TASK>',
  ' dump_stack_lvl+0x5d/0x80',
  ' warn_alloc+0x164/0x190',
  ' __alloc_pages_slowpath.constprop.0+0xd41/0xe10',
  ' __alloc_frozen_pages_noprof+0x31e/0x350',
  ' ___kmalloc_large_node+0x84/0x150',
  ' __kmalloc_noprof+0x2f1/0x3f0',
  ' </TASK>',
  'Mem-Info:',
  'active_anon:1203311 inactive_anon:401233 isolated_anon:0',
  ' active_file:90121 inactive_file:120344 isolated_file:0',
  ' unevictable:8120 dirty:1201 writeback:0',
  ' slab_reclaimable:41233 slab_unreclaimable:90122',
  ' mapped:120331 shmem:20331 pagetables:17233',
  ' sec_pagetables:0 bounce:0',
  ' kernel_misc_reclaimable:0',
  ' free:41022 free_pcp:1312 free_cma:0',
  'Node 0 active_anon:4813244kB inactive_anon:1604932kB active_file:360484kB inactive_file:481376kB unevictable:32480kB isolated(anon):0kB isolated(file):0kB mapped:481324kB dirty:4804kB writeback:0kB shmem:81324kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:2048000kB kernel_stack:21888kB pagetables:68932kB sec_pagetables:0kB all_unreclaimable? no Balloon:0kB',
  'Node 0 DMA free:13312kB boost:0kB min:64kB low:80kB high:96kB reserved_highatomic:0KB free_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB zspages:0kB present:15996kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 1919 15791 15791 15791',
  'Node 0 DMA32 free:61440kB boost:0kB min:8180kB low:10224kB high:12268kB reserved_highatomic:0KB free_highatomic:0KB active_anon:812344kB inactive_anon:301233kB active_file:40122kB inactive_file:60221kB unevictable:0kB writepending:0kB zspages:1024kB present:2080636kB managed:1998168kB mlocked:0kB bounce:0kB free_pcp:1204kB local_pcp:120kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 13872 13872 13872',
  'Node 0 Normal free:89336kB boost:0kB min:59124kB low:73904kB high:88684kB reserved_highatomic:4096KB free_highatomic:2048KB active_anon:4000900kB inactive_anon:1303699kB active_file:320362kB inactive_file:421155kB unevictable:32480kB writepending:4804kB zspages:20480kB present:14680064kB managed:14205036kB mlocked:32480kB bounce:0kB free_pcp:4044kB local_pcp:480kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 0 0 0',
  'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 2*2048kB (M) 2*4096kB (M) = 13312kB',
  'Node 0 DMA32: 1200*4kB (UME) 1100*8kB (UME) 800*16kB (UME) 400*32kB (UME) 200*64kB (UM) 40*128kB (M) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 61440kB',
  'Node 0 Normal: 9810*4kB (UME) 4912*8kB (UMEH) 612*16kB (UMEH) 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 88328kB',
  'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB',
  'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
  '231442 total pagecache pages',
  '0 pages in swap cache',
  'Free swap  = 4194300kB',
  'Total swap = 4194300kB',
  '4194174 pages RAM',
  '0 pages HighMem/MovableOnly',
  '118779 pages reserved',
  '0 pages cma reserved',
  '0 pages hwpoisoned',
  'Memory allocations (profiling is currently turned on):',
  '    1.16 GiB   304128 mm/page_alloc.c:5136 func:alloc_pages_mpol',
  '     412 MiB   105472 mm/filemap.c:1977 func:__filemap_get_folio',
  '     180 MiB    46080 mm/memory.c:1085 func:folio_prealloc',
  '    96.0 MiB    24576 mm/slub.c:2498 func:alloc_slab_page',
  '    64.0 MiB    16384 drivers/gpu/drm/i915/gem/i915_gem_shmem.c:101 [i915] func:shmem_sg_alloc_table',
  '    40.5 MiB     1296 mm/huge_memory.c:1179 func:vma_alloc_anon_folio_pmd',
  '    21.4 MiB     5478 kernel/fork.c:311 func:alloc_thread_stack_node',
  '    12.0 MiB     3072 mm/percpu-vm.c:95 func:pcpu_populate_chunk',
  '    8.00 MiB        2 mm/execmem.c:41 func:execmem_vmalloc',
  '    6.23 MiB    11040 fs/dcache.c:1690 func:__d_alloc',
  'usb 3-2: USB disconnect, device number 4',
];

/** 6.12-style: UID but no preemption model (added in 6.15), `writeback_tmp:` still in the node line
 * (removed in 6.17), no Balloon/free_highatomic (6.16), the 6.10–6.17 `Memory allocations:`. */
const R612 = [
  'chrome: page allocation failure: order:0, mode:0x820(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0',
  'CPU: 2 UID: 1000 PID: 3318 Comm: chrome Not tainted 6.12.48-1-lts #1',
  'Hardware name: Micro-Star International Co., Ltd. MS-7C02/B450 TOMAHAWK MAX (MS-7C02), BIOS 3.J0 05/07/2024',
  'Call Trace:',
  ' <IRQ>',
  ' dump_stack_lvl+0x5d/0x80',
  ' warn_alloc+0x164/0x190',
  ' __alloc_pages_slowpath.constprop.0+0xd41/0xe10',
  ' __alloc_pages_noprof+0x31e/0x350',
  ' page_frag_alloc_align+0x7c/0x1a0',
  ' __napi_alloc_skb+0x9c/0x120',
  ' </IRQ>',
  'Mem-Info:',
  'active_anon:10234 inactive_anon:401233 isolated_anon:0',
  ' active_file:2121 inactive_file:3344 isolated_file:0',
  ' unevictable:0 dirty:12 writeback:0',
  ' slab_reclaimable:4233 slab_unreclaimable:12122',
  ' mapped:3331 shmem:1331 pagetables:2233',
  ' sec_pagetables:0 bounce:0',
  ' kernel_misc_reclaimable:0',
  ' free:5022 free_pcp:12 free_cma:0',
  'Node 0 active_anon:40936kB inactive_anon:1604932kB active_file:8484kB inactive_file:13376kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:13324kB dirty:48kB writeback:0kB shmem:5324kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:4888kB pagetables:8932kB sec_pagetables:0kB all_unreclaimable? no',
  'Node 0 DMA free:13312kB boost:0kB min:132kB low:164kB high:196kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15996kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 1919 1919 1919 1919',
  'Node 0 DMA32 free:6776kB boost:0kB min:16788kB low:20984kB high:25180kB reserved_highatomic:2048KB active_anon:40936kB inactive_anon:1604932kB active_file:8484kB inactive_file:13376kB unevictable:0kB writepending:48kB present:2080636kB managed:1998168kB mlocked:0kB bounce:0kB free_pcp:48kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 0 0 0',
  'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 2*2048kB (M) 2*4096kB (M) = 13312kB',
  'Node 0 DMA32: 402*4kB (UMH) 212*8kB (UMH) 84*16kB (UMH) 36*32kB (H) 11*64kB (H) 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 6776kB',
  '5123 total pagecache pages',
  '0 pages in swap cache',
  'Free swap  = 0kB',
  'Total swap = 0kB',
  '524157 pages RAM',
  '0 pages HighMem/MovableOnly',
  '20617 pages reserved',
  '0 pages hwpoisoned',
  'Memory allocations:',
  '    1.51 GiB   396044 mm/memory.c:1085 func:folio_prealloc',
  '    47.3 MiB    12122 mm/slub.c:2428 func:alloc_slab_page',
  '    17.4 MiB      118 drivers/net/ethernet/realtek/r8169_main.c:5310 [r8169] func:rtl8169_rx_fill',
  'systemd-journald[301]: Journal started',
];

/** 7.0.0 OOM kill: `PREEMPT(lazy)`, rss_anon/rss_file/rss_shmem columns (mm/oom_kill.c dump_task,
 * 6.8+), profiling off, the 6.19+ memcg protection line between the dump and the task table. */
const R70_OOM = [
  'stress-ng-vm invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=1000',
  'CPU: 3 UID: 1000 PID: 90211 Comm: stress-ng-vm Not tainted 7.0.0-1-default #1 PREEMPT(lazy) ',
  'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-2 04/01/2014',
  'Call Trace:',
  ' <TASK>',
  ' dump_stack_lvl+0x5d/0x80',
  ' dump_header+0x43/0x1b0',
  ' oom_kill_process.cold+0x8/0x92',
  ' out_of_memory+0x1f2/0x4f0',
  ' __alloc_pages_slowpath.constprop.0+0xc3b/0xe10',
  ' __alloc_frozen_pages_noprof+0x31e/0x350',
  ' alloc_pages_mpol+0x86/0x180',
  ' vma_alloc_folio_noprof+0x70/0xd0',
  ' do_anonymous_page+0x14b/0x870',
  ' </TASK>',
  'Mem-Info:',
  'active_anon:921210 inactive_anon:20113 isolated_anon:0',
  ' active_file:112 inactive_file:87 isolated_file:0',
  ' unevictable:0 dirty:0 writeback:0',
  ' slab_reclaimable:6411 slab_unreclaimable:19880',
  ' mapped:210 shmem:1105 pagetables:3212',
  ' sec_pagetables:0 bounce:0',
  ' kernel_misc_reclaimable:0',
  ' free:12712 free_pcp:61 free_cma:0',
  'Node 0 active_anon:3684840kB inactive_anon:80452kB active_file:448kB inactive_file:348kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:840kB dirty:0kB writeback:0kB shmem:4420kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:1501184kB kernel_stack:3344kB pagetables:12848kB sec_pagetables:0kB all_unreclaimable? yes Balloon:0kB',
  'Node 0 DMA free:14336kB boost:0kB min:136kB low:168kB high:200kB reserved_highatomic:0KB free_highatomic:0KB active_anon:1536kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB zspages:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 2950 3892 3892 3892',
  'Node 0 DMA32 free:26212kB boost:0kB min:26284kB low:32852kB high:39420kB reserved_highatomic:0KB free_highatomic:0KB active_anon:2925000kB inactive_anon:30188kB active_file:164kB inactive_file:168kB unevictable:0kB writepending:0kB zspages:0kB present:3129180kB managed:3047496kB mlocked:0kB bounce:0kB free_pcp:120kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 942 942 942',
  'Node 0 Normal free:10300kB boost:0kB min:8384kB low:10480kB high:12576kB reserved_highatomic:2048KB free_highatomic:1536KB active_anon:758304kB inactive_anon:50264kB active_file:284kB inactive_file:180kB unevictable:0kB writepending:0kB zspages:0kB present:1048576kB managed:964756kB mlocked:0kB bounce:0kB free_pcp:124kB local_pcp:0kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 0 0 0',
  'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 1*2048kB (M) 3*4096kB (M) = 14336kB',
  'Node 0 DMA32: 563*4kB (UME) 398*8kB (UME) 254*16kB (UME) 161*32kB (UME) 55*64kB (UME) 24*128kB (UM) 9*256kB (UM) 2*512kB (M) 0*1024kB 0*2048kB 0*4096kB = 26212kB',
  'Node 0 Normal: 391*4kB (UMEH) 204*8kB (UMEH) 137*16kB (UMEH) 72*32kB (UMEH) 28*64kB (UMH) 6*128kB (MH) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 10300kB',
  'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB',
  'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
  '1304 total pagecache pages',
  '0 pages in swap cache',
  'Free swap  = 0kB',
  'Total swap = 0kB',
  '1048437 pages RAM',
  '0 pages HighMem/MovableOnly',
  '41039 pages reserved',
  '0 pages hwpoisoned',
  'Memory allocations (profiling is currently turned off):',
  '    3.51 GiB   921600 mm/memory.c:1085 func:folio_prealloc',
  '    77.6 MiB    19880 mm/slub.c:2498 func:alloc_slab_page',
  '    12.5 MiB     3212 mm/memory.c:6407 func:__pte_alloc',
  'Memory cgroup min protection 0kB -- low protection 0kB',
  'Tasks state (memory values in pages):',
  '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
  '[    412]     0   412    12390      397      128      269         0   114688        0          -250 systemd-journal',
  '[    601]     0   601     6671      312       64      248         0    77824        0         -1000 systemd-udevd',
  '[  90204]  1000 90204    12231      851      204      647         0    94208        0          -1000 stress-ng',
  '[  90211]  1000 90211   947851   921530   921210      320         0  7467008        0          1000 stress-ng-vm',
  'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-3.scope,task=stress-ng-vm,pid=90211,uid=1000',
  'Out of memory: Killed process 90211 (stress-ng-vm) total-vm:3791404kB, anon-rss:3684840kB, file-rss:1280kB, shmem-rss:0kB, UID:1000 pgtables:7292kB oom_score_adj:1000',
  'usb 1-1: new high-speed USB device number 3 using xhci_hcd',
];

/** 7.1.5 SysRq show_mem: ` gpu_active:%lukB gpu_reclaim:%lukB` after `Balloon:` in the node line. */
const R71_SHOWMEM = [
  'sysrq: Show Memory',
  'Mem-Info:',
  'active_anon:82113 inactive_anon:1233 isolated_anon:0',
  ' active_file:120331 inactive_file:221344 isolated_file:0',
  ' unevictable:0 dirty:121 writeback:0',
  ' slab_reclaimable:21233 slab_unreclaimable:30122',
  ' mapped:60331 shmem:2331 pagetables:4233',
  ' sec_pagetables:0 bounce:0',
  ' kernel_misc_reclaimable:0',
  ' free:3580101 free_pcp:2312 free_cma:0',
  'Node 0 active_anon:328452kB inactive_anon:4932kB active_file:481324kB inactive_file:885376kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:241324kB dirty:484kB writeback:0kB shmem:9324kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB kernel_stack:12888kB pagetables:16932kB sec_pagetables:0kB all_unreclaimable? no Balloon:0kB gpu_active:524288kB gpu_reclaim:131072kB',
  'Node 0 DMA32 free:2990080kB boost:0kB min:8180kB low:10224kB high:12268kB reserved_highatomic:0KB free_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:240122kB inactive_file:60221kB unevictable:0kB writepending:0kB zspages:0kB present:3129216kB managed:3063680kB mlocked:0kB bounce:0kB free_pcp:1204kB local_pcp:120kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 11686 11686 11686',
  'Node 0 Normal free:11330324kB boost:0kB min:31200kB low:38996kB high:46792kB reserved_highatomic:0KB free_highatomic:0KB active_anon:328452kB inactive_anon:4932kB active_file:241202kB inactive_file:825155kB unevictable:0kB writepending:484kB zspages:0kB present:12582912kB managed:11966812kB mlocked:0kB bounce:0kB free_pcp:8044kB local_pcp:480kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 0 0 0',
  'Node 0 DMA32: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 730*4096kB (M) = 2990080kB',
  'Node 0 Normal: 9*4kB (UM) 4*8kB (UM) 2*16kB (M) 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 2766*4096kB (M) = 11330036kB',
  '347125 total pagecache pages',
  '0 pages in swap cache',
  'Free swap  = 8388604kB',
  'Total swap = 8388604kB',
  '4194174 pages RAM',
  '0 pages HighMem/MovableOnly',
  '118779 pages reserved',
  '0 pages hwpoisoned',
];

function byReader(text: string): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  scan.feeder.write(Buffer.from(text));
  scan.finish();
  return reports;
}

function replayed(text: string): Report[] {
  const scanner = new LogScanner<RecordedReport>(recordReport);
  const out: RecordedReport[] = [];
  for (const line of text.split('\n')) out.push(...scanner.push(line));
  out.push(...scanner.end());
  return out.map(replayReport);
}

/** The one report of `text`, read the same by the full parse, the CLI's reader and the replay. */
function only(text: string): Report {
  const { reports } = parseLog(text);
  assert.equal(reports.length, 1);
  assert.deepStrictEqual(byReader(text), reports);
  assert.deepStrictEqual(replayed(text), reports);
  return reports[0];
}

const zoneValues = (r: Report) =>
  r.zones.map((z) => [z.zone, z.freeKb, z.minKb, z.lowKb, z.highKb, z.reservedHighatomicKb]);

test('6.18: free_highatomic (KB) and zspages in the zones, Balloon in the node line, all read', () => {
  const r = only(ts(R618));
  assert.equal(r.kind, 'page_alloc_failure');
  assert.deepEqual(zoneValues(r), [
    ['DMA', 13312, 64, 80, 96, 0],
    ['DMA32', 61440, 8180, 10224, 12268, 0],
    ['Normal', 89336, 59124, 73904, 88684, 4096],
  ]);
  assert.deepEqual(
    r.zones.map((z) => [z.fields.free_highatomic, z.fields.zspages, z.fields.present, z.fields.free_cma]),
    [
      [0, 0, 15996, 0],
      [0, 1024, 2080636, 0],
      [2048, 20480, 14680064, 0],
    ],
  );
  assert.deepEqual(
    r.zones.map((z) => z.lowmemReserve),
    [
      [0, 1919, 15791, 15791, 15791],
      [0, 0, 13872, 13872, 13872],
      [0, 0, 0, 0, 0],
    ],
  );
  assert.equal(r.nodes[0].fields.Balloon, 0);
  assert.equal(r.nodes[0].fields.sec_pagetables, 0);
  assert.equal(r.nodes[0].allUnreclaimable, false);
  assert.equal(r.buddy[2].totalKb, 88328);
  assert.equal(r.ramPages, 4194174);
  assert.deepEqual(r.unreadable, []);
});

test('6.18: task line with UID, taint flags, the preemption model and a build id', () => {
  const r = only(ts(R618));
  assert.equal(r.pid, 48213);
  assert.equal(r.comm, 'kworker/u16:3');
  assert.equal(r.cpu, 5);
  assert.equal(r.kernel, '6.18.2-arch1-1');
  assert.equal(r.tainted, 'Tainted: G W O');
  assert.equal(r.hardware, 'LENOVO 20XW0055GE/20XW0055GE, BIOS N32ET91W (1.67 ) 02/05/2024');
  assert.deepEqual(
    r.callTrace.map((f) => f.function),
    [
      'dump_stack_lvl',
      'warn_alloc',
      '__alloc_pages_slowpath.constprop.0',
      '__alloc_frozen_pages_noprof',
      '___kmalloc_large_node',
      '__kmalloc_noprof',
    ],
  );
});

test('6.18: the Memory allocations section belongs to the report and ends it; its rows are read', () => {
  const r = only(ts(R618));
  // the section follows `pages hwpoisoned`: the report ends at its last row, not before, and the
  // unrelated line after it is not the report's
  const at = R618.indexOf('Memory allocations (profiling is currently turned on):');
  assert.equal(R618[at - 1], '0 pages hwpoisoned');
  assert.equal(R618[r.endLine], '    6.23 MiB    11040 fs/dcache.c:1690 func:__d_alloc');
  assert.equal(r.endLine, R618.length - 2);
  const profile = r.allocationProfile!;
  assert.equal(profile.line, at);
  assert.equal(profile.profiling, 'on');
  assert.equal(profile.tags.length, 10);
  assert.deepEqual(profile.tags[0], {
    line: at + 1,
    size: '1.16 GiB',
    calls: 304128,
    file: 'mm/page_alloc.c',
    lineno: 5136,
    module: null,
    function: 'alloc_pages_mpol',
  });
  assert.deepEqual(profile.tags[4], {
    line: at + 5,
    size: '64.0 MiB',
    calls: 16384,
    file: 'drivers/gpu/drm/i915/gem/i915_gem_shmem.c',
    lineno: 101,
    module: 'i915',
    function: 'shmem_sg_alloc_table',
  });
  assert.deepEqual(
    profile.tags.map((t) => t.size),
    [
      '1.16 GiB',
      '412 MiB',
      '180 MiB',
      '96.0 MiB',
      '64.0 MiB',
      '40.5 MiB',
      '21.4 MiB',
      '12.0 MiB',
      '8.00 MiB',
      '6.23 MiB',
    ],
  );
  // none of the rows is taken for a zone, buddy, counter or `pages` line
  assert.equal(r.zones.length, 3);
  assert.equal(r.buddy.length, 3);
  assert.equal(r.counters.length, 20);
  assert.equal(r.reservedPages, 118779);
  // the analysis of the whole log still sees one report, the failure
  const analysis = analyzeText(ts(R618));
  assert.equal(analysis.reports.length, 1);
  assert.equal(analysis.reports[0].verdict, 'fragmentation');
  assert.deepEqual(analysis.reports[0].allocationProfile, r.allocationProfile);
  assert.ok(
    renderReportText(analysis.reports[0]).includes(
      'Memory allocations (profiling on): 1.16 GiB alloc_pages_mpol (mm/page_alloc.c:5136), 412 MiB __filemap_get_folio (mm/filemap.c:1977), 180 MiB folio_prealloc (mm/memory.c:1085), 7 more',
    ),
  );
});

test('6.12: UID without a preemption model, writeback_tmp, `Memory allocations:` (6.10–6.17 form)', () => {
  const r = only(ts(R612));
  assert.equal(r.pid, 3318);
  assert.equal(r.comm, 'chrome');
  assert.equal(r.cpu, 2);
  assert.equal(r.kernel, '6.12.48-1-lts');
  assert.equal(r.tainted, 'Not tainted');
  assert.deepEqual(zoneValues(r), [
    ['DMA', 13312, 132, 164, 196, 0],
    ['DMA32', 6776, 16788, 20984, 25180, 2048],
  ]);
  assert.equal(r.zones[1].fields.free_highatomic, undefined);
  assert.equal(r.nodes[0].fields.writeback_tmp, 0);
  assert.equal(r.nodes[0].fields.Balloon, undefined);
  assert.equal(r.callTrace.find((f) => f.function === '__napi_alloc_skb')?.context, 'irq');
  assert.equal(
    R612[r.endLine],
    '    17.4 MiB      118 drivers/net/ethernet/realtek/r8169_main.c:5310 [r8169] func:rtl8169_rx_fill',
  );
  const at = R612.indexOf('Memory allocations:');
  assert.deepEqual(r.allocationProfile, {
    line: at,
    profiling: null,
    tags: [
      {
        line: at + 1,
        size: '1.51 GiB',
        calls: 396044,
        file: 'mm/memory.c',
        lineno: 1085,
        module: null,
        function: 'folio_prealloc',
      },
      {
        line: at + 2,
        size: '47.3 MiB',
        calls: 12122,
        file: 'mm/slub.c',
        lineno: 2428,
        module: null,
        function: 'alloc_slab_page',
      },
      {
        line: at + 3,
        size: '17.4 MiB',
        calls: 118,
        file: 'drivers/net/ethernet/realtek/r8169_main.c',
        lineno: 5310,
        module: 'r8169',
        function: 'rtl8169_rx_fill',
      },
    ],
  });
});

test('7.0 OOM kill: rss_anon/rss_file/rss_shmem table rows belong, the victim is the kill line’s', () => {
  const r = only(ts(R70_OOM, 5120.118201));
  assert.equal(r.kind, 'oom_kill');
  assert.equal(r.pid, 90211);
  assert.equal(r.comm, 'stress-ng-vm');
  assert.equal(r.cpu, 3);
  assert.equal(r.kernel, '7.0.0-1-default');
  assert.equal(r.oomScoreAdj, 1000);
  assert.deepEqual(r.gfp, { raw: '0x140dca', printed: 'GFP_HIGHUSER_MOVABLE|__GFP_ZERO' });
  assert.deepEqual(zoneValues(r), [
    ['DMA', 14336, 136, 168, 200, 0],
    ['DMA32', 26212, 26284, 32852, 39420, 0],
    ['Normal', 10300, 8384, 10480, 12576, 2048],
  ]);
  assert.equal(r.zones[2].fields.free_highatomic, 1536);
  assert.equal(r.nodes[0].allUnreclaimable, true);
  assert.equal(r.allocationProfile?.profiling, 'off');
  assert.equal(r.allocationProfile?.tags.length, 3);
  assert.deepEqual(r.killed, {
    line: R70_OOM.length - 2,
    pid: 90211,
    comm: 'stress-ng-vm',
    totalVmKb: 3791404,
    anonRssKb: 3684840,
    fileRssKb: 1280,
    shmemRssKb: 0,
  });
  assert.equal(r.endLine, R70_OOM.length - 2, 'the kill line ends the report');
  assert.deepEqual(r.oomConstraint, {
    line: R70_OOM.length - 3,
    constraint: 'CONSTRAINT_NONE',
    memcg: null,
    taskMemcg: '/user.slice/user-1000.slice/session-3.scope',
    global: true,
  });
  assert.equal(r.memsAllowed, '0');
  assert.equal(r.truncated, false);
  assert.deepEqual(r.unreadable, []);
});

test('6.19+ `Memory cgroup min protection` after the dump belongs to a page allocation failure', () => {
  const lines = [
    ...R618.slice(0, -1),
    'Memory cgroup min protection 1048576kB -- low protection 524288kB',
    R618.at(-1)!,
  ];
  const r = only(ts(lines));
  assert.equal(r.endLine, lines.length - 2);
  assert.equal(r.allocationProfile?.tags.length, 10);
});

test('oom_policy= (the proposed BPF OOM series, in no release up to 7.1.5) changes nothing read', () => {
  // "mm: introduce BPF struct ops for OOM handling" (v2, 2025-10) prints it inside dump_header's
  // first pr_warn: `…oom_score_adj=%hd\noom_policy=%s\n` — a second record line, which dmesg aligns
  // under the message column; other readers print it bare or as a line of its own.
  const plain = only(ts(R70_OOM, 5120.118201));
  const variants = [
    ts(R70_OOM, 5120.118201).replace('\n', '\n               oom_policy=bpf_test_policy\n'),
    [R70_OOM[0], 'oom_policy=default', ...R70_OOM.slice(1)].join('\n'),
    R70_OOM.map((l) => `Dec  4 10:11:12 vm7 kernel: ${l}`)
      .join('\n')
      .replace('\n', '\nDec  4 10:11:12 vm7 kernel: oom_policy=default\n'),
  ];
  for (const text of variants) {
    const r = only(text);
    assert.equal(r.kind, 'oom_kill');
    assert.equal(r.line, 0);
    assert.deepEqual(
      [r.comm, r.pid, r.cpu, r.kernel, r.oomScoreAdj, r.order, r.gfp?.raw],
      [plain.comm, plain.pid, plain.cpu, plain.kernel, plain.oomScoreAdj, plain.order, plain.gfp?.raw],
    );
    assert.deepEqual(zoneValues(r), zoneValues(plain));
    assert.deepEqual({ ...r.killed, line: 0 }, { ...plain.killed, line: 0 });
    assert.equal(r.endLine, R70_OOM.length - 1, 'one line more before the kill line');
  }
});

test('7.1: gpu_active/gpu_reclaim in the node line, also across a wrap inside the name', () => {
  const r = only(R71_SHOWMEM.join('\n'));
  assert.equal(r.kind, 'show_mem');
  assert.equal(r.nodes[0].fields.gpu_active, 524288);
  assert.equal(r.nodes[0].fields.gpu_reclaim, 131072);
  assert.equal(r.nodes[0].fields.Balloon, 0);
  assert.deepEqual(zoneValues(r), [
    ['DMA32', 2990080, 8180, 10224, 12268, 0],
    ['Normal', 11330324, 31200, 38996, 46792, 0],
  ]);
  // a syslog line cut inside `gpu_active`: the field vocabulary rejoins the name without a space
  const framed = R71_SHOWMEM.map((l) => `Dec  4 10:11:12 vm7 kernel: ${l}`);
  const node = framed[10];
  const cut = node.indexOf('gpu_active') + 'gpu_'.length;
  const wrapped = [...framed.slice(0, 10), node.slice(0, cut), node.slice(cut), ...framed.slice(11)].join(
    '\n',
  );
  const w = only(wrapped);
  assert.equal(w.nodes[0].fields.gpu_active, 524288);
  assert.equal(w.nodes[0].fields.active, undefined);
  assert.equal(w.nodes[0].fields.gpu_reclaim, 131072);
});

test('the new fields bound the release when none is printed (PRINTED_SIGNALS)', () => {
  const withoutTask = (lines: readonly string[]) => lines.filter((l) => !l.startsWith('CPU: '));
  const range = (r: Report) => {
    const b = shapeBounds(r);
    return [b.min?.text ?? null, b.max?.text ?? null];
  };
  // zspages (6.18+) and the profile's on/off state (6.18+)
  assert.deepEqual(range(only(ts(withoutTask(R618)))), ['6.18.0', null]);
  // `Memory allocations:` without the state: 6.10–6.17
  assert.deepEqual(range(only(ts(withoutTask(R612)))), ['6.10.0', '6.17.99']);
  // gpu_active/gpu_reclaim: 7.1+
  assert.deepEqual(range(only(R71_SHOWMEM.join('\n'))), ['7.1.0', null]);
  const d = decideEra(only(R71_SHOWMEM.join('\n')), null);
  assert.equal(d.analysis.decidedBy, 'shape');
  assert.match(d.analysis.reason, /the shape says 7\.1–now/);
  assert.match(d.analysis.reason, /`gpu_active:`\/`gpu_reclaim:` in the node lines \(7\.1\+\)/);
  assert.equal(d.analysis.watermarkEra, '6.3');
});

test('6.12+ SLUB header names the CPU: the report is found, node and cache read', () => {
  // mm/slub.c slab_out_of_memory (6.12+): `SLUB: Unable to allocate memory on CPU %u (of node %d)
  // on node %d, gfp=%#x(%pGg)`, then the cache and one line per node
  const lines = [
    'SLUB: Unable to allocate memory on CPU 7 (of node 1) on node -1, gfp=0xa20(GFP_ATOMIC)',
    '  cache: skbuff_head_cache, object size: 232, buffer size: 256, default order: 1, min order: 0',
    '  node 0: slabs: 3210, objs: 102720, free: 0',
    '  node 1: slabs: 2981, objs: 95392, free: 0',
    'e1000e 0000:00:1f.6 eno1: Reset adapter unexpectedly',
  ];
  const r = only(ts(lines, 812.3311));
  assert.equal(r.kind, 'slub_failure');
  assert.equal(r.cpu, 7);
  assert.deepEqual(r.gfp, { raw: '0xa20', printed: 'GFP_ATOMIC' });
  assert.deepEqual(r.slub, {
    node: -1,
    cache: 'skbuff_head_cache',
    objectSize: 232,
    bufferSize: 256,
    defaultOrder: 1,
    minOrder: 0,
  });
  assert.equal(r.endLine, 3);
  assert.deepEqual(
    [shapeBounds(r).min?.text, shapeBounds(r).max],
    ['6.11.0', null],
    'the CPU in the header bounds the release',
  );
  // the older form still reads as before, with no CPU
  const old = only(
    ts(['SLUB: Unable to allocate memory on node -1, gfp=0xa20(GFP_ATOMIC)', ...lines.slice(1)], 812.3311),
  );
  assert.equal(old.cpu, null);
  assert.deepEqual(old.slub, r.slub);
  assert.equal(shapeBounds(old).min?.text, '4.6.0', 'only the printed GFP names bound it');
});

test('the same reports under syslog, journal, dmesg -T and ISO-time framings read alike', () => {
  const framings: [string, (l: string) => string][] = [
    ['bare', (l) => l],
    ['syslog', (l) => `Dec  4 10:11:12 vm7 kernel: ${l}`],
    ['journal', (l) => `Dec 04 10:11:12 vm7 kernel: ${l}`],
    ['dmesg -T', (l) => `[Fri Dec  4 10:11:12 2026] ${l}`],
    ['short-iso', (l) => `2026-12-04T10:11:12.123456+00:00 vm7 kernel: ${l}`],
  ];
  const facts = (r: Report) => ({
    kind: r.kind,
    endLine: r.endLine,
    task: [r.pid, r.comm, r.cpu, r.kernel],
    zones: zoneValues(r),
    nodes: r.nodes.map((n) => n.fields),
    profile: r.allocationProfile && [
      r.allocationProfile.profiling,
      r.allocationProfile.tags.map((t) => t.calls),
    ],
    killed: r.killed && [r.killed.pid, r.killed.anonRssKb],
  });
  for (const lines of [R618, R612, R70_OOM, R71_SHOWMEM]) {
    const expected = facts(only(lines.join('\n')));
    for (const [name, frame] of framings)
      assert.deepEqual(facts(only(lines.map(frame).join('\n'))), expected, `${lines[0]} (${name})`);
  }
  assert.deepEqual(facts(only(R618.join('\n'))).profile, [
    'on',
    [304128, 105472, 46080, 24576, 16384, 1296, 5478, 3072, 2, 11040],
  ]);
});

test('fixture extra/035 (rpi4, Nov 2025): boost, free_highatomic and Balloon read; no zspages, so 6.16/6.17', () => {
  const file = join(
    'test',
    'fixtures',
    'extra',
    '035-indented-bare-6.18-arm64-rpi4-meminfo-only-boost-free_highatomic-cma.log',
  );
  const r = only(readFileSync(file, 'utf8'));
  assert.equal(r.kind, 'show_mem');
  assert.deepEqual(
    r.zones.map((z) => [
      z.zone,
      z.freeKb,
      z.minKb,
      z.lowKb,
      z.highKb,
      z.boostKb,
      z.reservedHighatomicKb,
      z.fields.free_highatomic,
      z.freeCmaKb,
    ]),
    [
      ['DMA', 48336, 19692, 21540, 23388, 12288, 2048, 2032, 60],
      ['DMA32', 53372, 36236, 42732, 49228, 10240, 2048, 2016, 0],
      ['Normal', 54540, 50560, 59104, 67648, 16384, 2048, 2032, 0],
    ],
  );
  assert.equal(r.nodes[0].fields.Balloon, 0);
  assert.equal(r.nodes[0].fields.writeback_tmp, undefined);
  // 6.18+ prints `zspages:` in every zone line (0 without CONFIG_ZSMALLOC): this kernel is older
  assert.ok(r.zones.every((z) => z.fields.zspages === undefined));
  assert.equal(r.allocationProfile, null);
  const d = decideEra(r, null);
  assert.match(d.analysis.reason, /^no release printed; the shape says 6\.15–now: /);
  assert.equal(d.analysis.watermarkEra, '6.3');
});

test('task lines of 6.15+: every preemption model preempt_model_str() prints, Kdump, build id', () => {
  // lib/dump_stack.c: `CPU: %d UID: %u PID: %d Comm: %.20s %s%s %s %.*s %s ` BUILD_ID_FMT, the
  // model from kernel/sched/core.c preempt_model_str (`NONE`, `VOLUNTARY`, `PREEMPT`, `PREEMPT(…)`,
  // `PREEMPT_RT`, `PREEMPT_{RT,(full)}`, `PREEMPT_LAZY`)
  const cases: [string, number, string, number, string, string][] = [
    [
      'CPU: 0 UID: 0 PID: 1 Comm: systemd Not tainted 6.15.2-1-MANJARO #1 NONE ',
      0,
      'systemd',
      1,
      '6.15.2-1-MANJARO',
      'Not tainted',
    ],
    [
      'CPU: 12 UID: 1000 PID: 4108 Comm: mprime Not tainted 7.1.5-273-linux-tkg #1 VOLUNTARY ',
      12,
      'mprime',
      4108,
      '7.1.5-273-linux-tkg',
      'Not tainted',
    ],
    [
      'CPU: 7 UID: 0 PID: 812 Comm: irq/45-nvme0q7 Kdump: loaded Tainted: G           OE      6.18.0-rt3-1 #1 PREEMPT_{RT,(full)} ',
      7,
      'irq/45-nvme0q7',
      812,
      '6.18.0-rt3-1',
      'Tainted: G OE',
    ],
    [
      'CPU: 3 UID: 0 PID: 2711 Comm: kworker/3:2 Not tainted 7.0.0-rc4+ #12 PREEMPT_LAZY  a3f9c0de11',
      3,
      'kworker/3:2',
      2711,
      '7.0.0-rc4+',
      'Not tainted',
    ],
  ];
  for (const [task, cpu, comm, pid, release, taint] of cases) {
    const header = R618[0].replace('kworker/u16:3:', `${comm}:`);
    const r = only(ts([header, task, ...R618.slice(2)]));
    assert.deepEqual([r.cpu, r.comm, r.pid, r.kernel, r.tainted], [cpu, comm, pid, release, taint], task);
    assert.equal(r.zones.length, 3);
    assert.equal(r.allocationProfile?.tags.length, 10);
  }
});
