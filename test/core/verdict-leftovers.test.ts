// Issue 13 leftovers from the two by-hand audits (docs/kernel/audit.md, audit-b.md), each on the real
// report the audit named: old ARM backtraces, the sheaf refill of 6.19 SLUB, words that guessed,
// gfp_mask=0, header-less dumps, namespace creation, a task line taken from another report, and
// RHEL 7.3's __GFP_KMEMCG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { renderReportText } from '../../server/src/core/render-text';
import { gfpLayoutFor } from '../../server/src/core/kernel/eras';
import { parseKernelRelease } from '../../server/src/core/kernel-version';

/** A fixture by its number: `extra/085`, `corpus/019`. */
function fixture(dir: 'extra' | 'corpus', number: string): string {
  const folder = join('test', 'fixtures', dir);
  const name = readdirSync(folder).find((f) => f.startsWith(`${number}-`) && f.endsWith('.log'));
  assert.ok(name, `${dir}/${number}`);
  return readFileSync(join(folder, name), 'utf8');
}

// ---- audit-b D4: `[<where>] (f) from [<from>] (g)` (arch/arm/kernel/traps.c dump_backtrace_entry) ----

test('old ARM backtrace (085, 3.10 i.MX6): one frame per line, the driver read from the NAPI poll callback', () => {
  const text = fixture('extra', '085');
  const r = parseLog(text).reports[0];
  assert.deepEqual(
    r.callTrace.map((f) => f.function),
    [
      'unwind_backtrace',
      'show_stack',
      'warn_alloc_failed',
      '__alloc_pages_nodemask',
      'new_slab',
      '__slab_alloc.isra.64.constprop.69',
      'kmem_cache_alloc',
      'build_skb',
      '__netdev_alloc_skb',
      'fec_enet_rx_napi',
      'net_rx_action',
      '__do_softirq',
      'do_softirq',
      'irq_exit',
      'handle_IRQ',
      'gic_handle_irq',
      '__irq_svc',
      'cpuidle_enter_state',
      'cpuidle_idle_call',
      'arch_cpu_idle',
      'cpu_startup_entry',
      // the last line's caller (`from … (start_kernel+0x324/0x330)`): no line of its own follows
      'start_kernel',
    ],
  );
  const a = analyzeText(text).reports[0];
  assert.deepEqual(a.context.chain, ['net_rx_action', 'fec_enet_rx_napi', 'build_skb', 'new_slab']);
  assert.equal(a.context.driver, 'fec_enet');
  assert.equal(a.context.subsystemText, 'network driver (fec_enet)');
  assert.equal(a.context.context, 'softirq');
});

test('old ARM backtrace (084, 3.2 OOM): no function twice in the chain', () => {
  const text = fixture('extra', '084');
  const r = parseLog(text).reports[0];
  assert.deepEqual(
    r.callTrace.map((f) => f.function),
    [
      'unwind_backtrace',
      'dump_stack',
      'T.390',
      'T.388',
      'out_of_memory',
      '__alloc_pages_nodemask',
      'do_wp_page',
      'handle_pte_fault',
      'handle_mm_fault',
      'do_page_fault',
      'do_DataAbort',
      '__dabt_usr',
    ],
  );
  const a = analyzeText(text).reports[0];
  assert.deepEqual(a.context.chain, ['handle_mm_fault', 'handle_pte_fault', 'do_wp_page']);
  // a page fault: no driver to name
  assert.equal(a.context.driver, null);
});

test('4.9 ARM `(%ps) from` lines wrapped by a reflow (013): the frames are read once each', () => {
  const r = parseLog(fixture('corpus', '013')).reports[0];
  const names = r.callTrace.map((f) => f.function);
  assert.equal(names.length, new Set(names).size);
  assert.deepEqual(names.slice(0, 4), [
    'unwind_backtrace',
    'show_stack',
    'warn_alloc',
    '__alloc_pages_nodemask',
  ]);
});

// ---- audit D6: 6.19 SLUB falls back to __slab_alloc_node with the caller's mask ----

test("019 (6.19 kswapd0, sheaf refill): the failure printed is SLUB's refill, not the caller's", () => {
  const a = analyzeText(fixture('corpus', '019')).reports[0];
  assert.equal(a.context.sheafRefill, '__pcs_replace_empty_main');
  assert.equal(
    a.impact,
    "Not the caller's failure: SLUB was refilling its per-CPU sheaf (__pcs_replace_empty_main) and, when that failed, " +
      "slab_alloc_node allocated the caller's object again with the caller's own mask (__slab_alloc_node, where kswapd0 " +
      '(kswapd, PF_MEMALLOC) may use the reserves below min). The report does not say whether that second try succeeded: ' +
      'an error from the caller right after it would show it did not; without one the object was most likely allocated.',
  );
  assert.doesNotMatch(a.impact, /gets -ENOMEM|got NULL/);
  assert.ok(
    a.verdictText.endsWith(
      "The __GFP_NOMEMALLOC is SLUB's own: it refilled its per-CPU sheaf (__pcs_replace_empty_main → refill_sheaf with " +
        "gfp | __GFP_NOMEMALLOC), and when that fails slab_alloc_node retries the caller's object with the caller's own mask " +
        '(__slab_alloc_node), where PF_MEMALLOC may use the reserves.',
    ),
    a.verdictText,
  );
});

// ---- audit D10: the impact does not guess what was lost ----

test('002 (5.13 atomic order 7): the impact says where to look, not that "drops add up"', () => {
  const a = analyzeText(fixture('corpus', '002')).reports[0];
  assert.equal(
    a.impact,
    'Usually survivable: the caller must cope with NULL. Atomic order-7 failures are informational unless they repeat or ' +
      'the driver reports an error after them (SUSE KB 7002803). Whether anything was lost is in the lines after the report ' +
      '(an error from the caller); act on the suggestions if it repeats.',
  );
  assert.doesNotMatch(a.impact, /drops add up/);
});

// ---- audit D13: gfp_mask=0 is pagefault_out_of_memory's ----

test('034 (5.7 i386 page-fault OOM): gfp_mask=0x0 is a marker, not an atomic request', () => {
  const text = fixture('corpus', '034');
  const a = analyzeText(text).reports[0];
  assert.equal(a.gfp?.atomic, null);
  assert.equal(a.gfp?.canReclaim, null);
  assert.equal(
    a.gfp?.marker,
    'not a request: gfp_mask=0 is the mark of pagefault_out_of_memory (mm/oom_kill.c), which calls the OOM killer after a page fault returned VM_FAULT_OOM',
  );
  const mode = renderReportText(a).find((l) => l.trimStart().startsWith('Mode:'));
  assert.equal(
    mode?.trim(),
    'Mode: 0x0 = (no flags) (names as printed) — not a request: gfp_mask=0 is the mark of pagefault_out_of_memory ' +
      '(mm/oom_kill.c), which calls the OOM killer after a page fault returned VM_FAULT_OOM; highest zone Normal',
  );
  assert.doesNotMatch(mode ?? '', /atomic/);
});

// ---- audit D30, D32, audit-b D21: a task line after a report's dump belongs to the next report ----

test("044 (4.14 Android kmsg): the Binder report does not take kswapd0's task line; kswapd0's dump reads it", () => {
  const text = fixture('extra', '044');
  const reports = parseLog(text).reports;
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line + 1, r.comm, r.pid, r.cpuset]),
    [
      // the Binder report prints no task line of its own (the excerpt lost it): no pid, not 1209
      ['page_alloc_failure', 1, 'Binder:9343_3', null, null],
      // l.32 cpuset, l.33 task line, l.34 Call trace, l.35–50 frames, l.51 Mem-Info
      ['show_mem', 32, 'kswapd0', 1209, '/'],
    ],
  );
  assert.equal(reports[0].callTrace.at(-1)?.function, 'binder_transaction');
  assert.equal(reports[1].callTrace.length, 16);
  assert.deepEqual(
    [reports[1].callTrace[1].function, reports[1].callTrace.at(-1)?.function],
    ['warn_alloc', 'ret_from_fork'],
  );
  const a = analyzeText(text).reports[1];
  assert.equal(
    a.verdictText,
    'A failed page allocation whose header was lost: the call trace before this dump goes through warn_alloc (mm/page_alloc.c), ' +
      'which prints the Mem-Info dump after a failed request. The order and the mode are on the header line ' +
      '(`…: page allocation failure: order:…, mode:…`), which is not in the log: without them the watermark check cannot be replayed. ' +
      'Look for it just before the task line in the full kernel log (dmesg, the console or /proc/last_kmsg).',
  );
  assert.equal(
    a.impact,
    'An allocation failed (warn_alloc): its caller got NULL and had to cope; the missing header would say what it asked for.',
  );
  assert.equal(
    a.summary,
    'Memory dump of a failed allocation whose header is missing (warn_alloc in the trace): Normal below low watermark',
  );
  assert.equal(a.context.memalloc?.who, 'kswapd0 (kswapd, PF_MEMALLOC)');
  assert.doesNotMatch(a.impact + a.verdictText, /not a failure|without a failed request/);
});

// ---- audit-b D27: a bare Mem-Info says the log does not say who printed it ----

test('035 (6.18 arm64, Mem-Info only): neither "not a failure" nor a guess; the missing header named', () => {
  const a = analyzeText(fixture('extra', '035')).reports[0];
  assert.equal(a.kind, 'show_mem');
  assert.equal(
    a.verdictText,
    'A Mem-Info dump without its header line: warn_alloc (a failed allocation), the OOM killer and SysRq-m all print one, ' +
      'and the log does not say which. The line before it would: `…: page allocation failure: order:…, mode:…` (warn_alloc), ' +
      '`… invoked oom-killer: gfp_mask=…, order=…` (the OOM killer, dump_header) or `SysRq : Show Memory` (SysRq-m); ' +
      'no call trace came with it either. Nothing to replay.',
  );
  assert.equal(
    a.impact,
    'Unknown: the log does not say what printed this dump, so it cannot say whether a request failed; the header line before `Mem-Info:` would.',
  );
});

test('015 (4.4 SysRq-m): a dump asked for by hand stays informational', () => {
  const a = analyzeText(fixture('extra', '015')).reports[0];
  assert.equal(a.kind, 'show_mem');
  assert.equal(
    a.verdictText,
    'A memory dump asked for with SysRq-m (sysrq_handle_showmem → show_mem): no request failed, nothing to replay.',
  );
  assert.equal(a.impact, 'Informational: a dump of the memory state asked for by hand, not a failure.');
});

// ---- audit-b D24: clone() creating a network namespace ----

test('010 (el7 3.10.0-514): copy_net_ns in clone() is a process creation failing, not a dropped packet', () => {
  const a = analyzeText(fixture('extra', '010')).reports[0];
  assert.equal(a.context.subsystem, 'namespace');
  assert.equal(a.context.subsystemText, 'namespace creation (clone/unshare) (module nf_conntrack)');
  assert.equal(
    a.impact,
    'A process creation failed: the allocation was part of creating a new namespace (copy_net_ns) in clone() or unshare(), ' +
      'which returns -ENOMEM (kernel/fork.c copy_process → copy_namespaces): that process or container was not started, ' +
      'and nothing already running lost data. Retrying after memory is freed usually works; repeats show a lasting shortage or fragmentation.',
  );
  assert.doesNotMatch(a.impact, /packet/);
  const burst = a.remedies.find((r) => r.title.startsWith('Reduce the network burst'));
  assert.equal(burst?.recommended, false);
});

// ---- audit-b D26: 3.10.0-514.el7 names 0x100000 __GFP_KMEMCG ----

test('010 (3.10.0-514.el7): 0x100000 is __GFP_KMEMCG as in 514 gfp.h; 1127 and 1160 name it __GFP_ACCOUNT', () => {
  const layout = (release: string) => gfpLayoutFor(parseKernelRelease(release)!).era;
  assert.equal(layout('3.10.0-514.el7.x86_64'), '3.10');
  assert.equal(layout('3.10.0-327.13.1.el7.x86_64'), '3.10');
  assert.equal(layout('3.10.0-1127.el7.x86_64'), 'el7');
  assert.equal(layout('3.10.0-1160.el7.x86_64'), 'el7');
  const a = analyzeText(fixture('extra', '010')).reports[0];
  assert.equal(a.gfp?.era, '3.10');
  assert.equal(a.gfp?.text, 'GFP_KERNEL|__GFP_COMP|__GFP_ZERO|__GFP_KMEMCG');
  assert.match(a.summary, /^order-6 \(256 KiB\) GFP_KERNEL allocation failed in exe/);
});
