// A small 4.9-era page allocation failure, written for the feature tests: an order-3 GFP_ATOMIC
// request from a network driver, DMA32 between min and low with no free block of order ≥ 3.
// Tests put the cursor into it with `‸` (see cursor.ts).

export const SAMPLE = [
  '[  100.000000] kworker/0:1: page allocation failure: order:3, mode:0x2080020(GFP_ATOMIC)',
  '[  100.000001] CPU: 0 PID: 42 Comm: kworker/0:1 Not tainted 4.9.0-8-amd64 #1',
  '[  100.000002] Call Trace:',
  '[  100.000003]  <IRQ>',
  '[  100.000003]  [<ffffffff81000000>] dump_stack+0x63/0x8c',
  '[  100.000004]  [<ffffffff81000001>] warn_alloc+0x13b/0x170',
  '[  100.000005]  [<ffffffff81000002>] __alloc_pages_nodemask+0xd0b/0xd60',
  '[  100.000006]  [<ffffffff81000003>] e1000_alloc_rx_buffers+0x1d/0x90 [e1000]',
  '[  100.000006]  [<ffffffff81000004>] e1000_clean+0x2b4/0x8e0 [e1000]',
  '[  100.000006]  [<ffffffff81000005>] net_rx_action+0x246/0x380',
  '[  100.000006]  [<ffffffff81000006>] __do_softirq+0x104/0x2af',
  '[  100.000006]  <EOI>',
  '[  100.000007] Mem-Info:',
  '[  100.000008] active_anon:1000 inactive_anon:2000 isolated_anon:0',
  '[  100.000008]  active_file:3000 inactive_file:4000 isolated_file:0',
  '[  100.000008]  unevictable:0 dirty:0 writeback:0 unstable:0',
  '[  100.000008]  slab_reclaimable:500 slab_unreclaimable:600',
  '[  100.000008]  mapped:100 shmem:10 pagetables:20 bounce:0',
  '[  100.000008]  free:5341 free_pcp:10 free_cma:0',
  '[  100.000009] Node 0 DMA free:15364kB min:132kB low:164kB high:196kB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15908kB mlocked:0kB slab_reclaimable:0kB slab_unreclaimable:0kB kernel_stack:0kB pagetables:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB',
  '[  100.000010] lowmem_reserve[]: 0 2970 2970 2970',
  '[  100.000011] Node 0 DMA32 free:6000kB min:5000kB low:6250kB high:7500kB active_anon:4000kB inactive_anon:8000kB active_file:12000kB inactive_file:16000kB unevictable:0kB writepending:0kB present:3129216kB managed:3041900kB mlocked:0kB slab_reclaimable:2000kB slab_unreclaimable:2400kB kernel_stack:1000kB pagetables:80kB bounce:0kB free_pcp:40kB local_pcp:0kB free_cma:0kB',
  '[  100.000012] lowmem_reserve[]: 0 0 0 0',
  '[  100.000013] Node 0 DMA: 1*4kB (U) 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 1*2048kB (M) 3*4096kB (M) = 15364kB',
  '[  100.000014] Node 0 DMA32: 1000*4kB (UME) 250*8kB (UM) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 6000kB',
  '[  100.000015] 7010 total pagecache pages',
  '[  100.000016] 786302 pages RAM',
].join('\n');
