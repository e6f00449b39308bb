// Hovers on what 6.10–7.1 kernels added to the Mem-Info dump (glossary DUMP_FIELDS): the zone
// line's free_highatomic and zspages, and each line of the `Memory allocations` section.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { at } from './helpers';

const LOG = [
  'kworker/u16:3: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0',
  'CPU: 5 UID: 0 PID: 48213 Comm: kworker/u16:3 Not tainted 6.18.2-arch1-1 #1 PREEMPT(full) ',
  'Call Trace:',
  ' warn_alloc+0x164/0x190',
  'Mem-Info:',
  'Node 0 Normal free:89336kB boost:0kB min:59124kB low:73904kB high:88684kB reserved_highatomic:4096KB free_highatomic:2048KB active_anon:4000900kB inactive_anon:1303699kB active_file:320362kB inactive_file:421155kB unevictable:32480kB writepending:4804kB zspages:20480kB present:14680064kB managed:14205036kB mlocked:32480kB bounce:0kB free_pcp:4044kB local_pcp:480kB free_cma:0kB',
  'lowmem_reserve[]: 0 0 0 0 0',
  'Node 0 Normal: 9810*4kB (UME) 4912*8kB (UMEH) 612*16kB (UMEH) 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 88328kB',
  '4194174 pages RAM',
  '0 pages hwpoisoned',
  'Memory allocations (profiling is currently turned on):',
  '    1.16 GiB   304128 mm/page_alloc.c:5136 func:alloc_pages_mpol',
  '    64.0 MiB    16384 drivers/gpu/drm/i915/gem/i915_gem_shmem.c:101 [i915] func:shmem_sg_alloc_table',
].join('\n');

function md(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

test('zone line: the free highatomic pages and zsmalloc pages are named', () => {
  const { doc, position } = at(LOG, 'Normal free:89336kB', 3);
  const text = md(hover(doc, position));
  assert.match(text, /- 4096 kB reserved for high-order atomic requests/);
  assert.match(text, /- 2048 kB of it free \(free_highatomic: the free part of the highatomic reserve/);
  assert.match(text, /- 20480 kB in zsmalloc pages \(pages zsmalloc holds for compressed memory/);
});

test('Memory allocations: the section line and each row explain themselves', () => {
  const head = md(hover(...args(at(LOG, 'Memory allocations (', 3))));
  assert.match(head, /^\*\*Memory allocations\*\* \(profiling turned on\) — 2 call sites listed/);
  assert.match(head, /the ten call sites holding the most memory/);
  assert.match(head, /Printed by 6\.10\+ kernels with CONFIG_MEM_ALLOC_PROFILING/);
  const row = md(hover(...args(at(LOG, '1.16 GiB', 2))));
  assert.match(
    row,
    /^\*\*1\.16 GiB\*\* in 304128 live allocations at mm\/page_alloc\.c:5136 — alloc_pages_mpol$/m,
  );
  const module = md(hover(...args(at(LOG, 'func:shmem_sg_alloc_table'))));
  assert.match(
    module,
    /at drivers\/gpu\/drm\/i915\/gem\/i915_gem_shmem\.c:101 — shmem_sg_alloc_table \[i915\]/,
  );
  assert.match(module, /\*\*Memory allocations\*\* \(profiling turned on\): the ten call sites/);
});

function args({ doc, position }: ReturnType<typeof at>): Parameters<typeof hover> {
  return [doc, position];
}
