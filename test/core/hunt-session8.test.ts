// Session 8 hunt: real public logs (test/fixtures/extra 103–111, sources in INDEX.json) that klens
// misread, each with the kernel source that decides the reading.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logical } from './logical-lines';
import { analyzeText } from '../../server/src/core/analyze';
import { tagJoiner } from '../../server/src/core/lines';
import { extraLog } from './fixture-files';
import { checkInput } from '../fuzz/properties';

const first = (name: string) => {
  const a = analyzeText(extraLog(name)).reports[0];
  assert.ok(a, 'a report');
  return a;
};

test('an OOM cut before the lines that tell memcg from system is not called a system OOM (extra/104, 3.10 el7)', () => {
  // mm/oom_kill.c dump_header (3.10): `if (memcg) mem_cgroup_print_oom_info(); else show_mem();` —
  // the excerpt ends after dump_header in the trace, before either
  const a = first('104-syslog-messages-dockerd-wrapped-3.10-el7-oom-thrash-docker-cpuset-trace-cut.log');
  assert.equal(a.comm, 'thrash');
  assert.equal(a.oomKind?.scope, 'undecided');
  assert.equal(a.oomKind?.constraintKnown, false);
  assert.match(a.oomKind!.evidence, /^the report ends before the lines that tell: dump_header/);
  assert.match(a.summary, /^OOM kill: order-0 \(4 KiB\) GFP_KERNEL request in thrash/);
  for (const text of [a.summary, a.verdictText, a.findings[0].message])
    assert.doesNotMatch(text, /System OOM|Global OOM|system OOM/);
});

test('a page-fault OOM without memcg frames stays a system OOM though cut before Mem-Info (extra/105, 5.3)', () => {
  // pagefault_out_of_memory (mm/oom_kill.c 5.3) runs mem_cgroup_oom_synchronize first; out_of_memory
  // straight from it is the system OOM
  const a = first('105-syslog-dockerd-5.3-aws-pagefault-oom-gfp0-bash-truncated.log');
  assert.equal(a.oomKind?.scope, 'global');
  assert.equal(a.oomKind?.label, 'system OOM (not a memory cgroup)');
  assert.match(a.summary, /^System OOM kill in bash \(mm_fault_error\) from pagefault_out_of_memory/);
});

test('a memcg OOM told by its trace names the frame it shows (extra/107, el7 mem_cgroup_oom_synchronize)', () => {
  const a = first('107-dmesg-T-3.10-el7-k8s-memcg-oom-java-oom_score_adj-998-stackwords-truncated.log');
  assert.equal(a.oomKind?.scope, 'memcg');
  assert.equal(a.comm, 'java');
  assert.match(a.oomKind!.evidence, /^mem_cgroup_oom_synchronize in the call trace/);
  assert.match(a.verdictText, /mem_cgroup_oom_synchronize in the call trace: the charge of the cgroup/);
  assert.doesNotMatch(a.verdictText, /mem_cgroup_out_of_memory in the call trace/);
});

test('a 0-byte vmalloc cut before its zone lines does not point at zones below (extra/110, 3.2 ARM)', () => {
  // 3.2 warn_alloc_failed prints the vmalloc message, then `%s: page allocation failure: order:%d, mode:0x%x`
  const a = first(
    '110-bare-3.2-rpi-armv6-vmalloc-0-bytes-then-page-allocation-failure-backtrace-function-entered.log',
  );
  assert.equal(a.kind, 'vmalloc_failure');
  assert.equal(a.comm, 'modprobe');
  assert.equal(a.zones.length, 0);
  assert.match(a.verdictText, /a 0-byte request is rejected by the size check in __vmalloc_node_range/);
  assert.doesNotMatch(a.verdictText, /zones below/);
});

test('2.6.9 and older: min_free_kbytes defaults to int_sqrt(lowmem) when low = 2 × min, high = 3 × min (extra/118, 029)', () => {
  // 2.6.9 mm/page_alloc.c init_per_zone_pages_min: int_sqrt(lowmem_kbytes), clamp 128…16384;
  // setup_per_zone_pages_min: pages_low = min × 2, pages_high = min × 3 (both changed in 2.6.10)
  const a = first('118-mail-bare-2.6.5-mm1-i386-sysrq-m-hot-cold-pcp-protections-min-free-sqrt-lowmem.log');
  assert.equal(a.memory?.minFreeInferredKb, 952);
  assert.equal(a.memory?.minFreeDefaultKb, 957); // int_sqrt(16384 + 901120 kB)
  assert.match(a.memory!.minFreeInterpretation!, /^the host runs the kernel's default \(untuned\)/);
  const b = first('029-syslog-2.6.9-i386-patched-show_mem-throttle-vm-writeout.log');
  assert.equal(b.memory?.minFreeDefaultKb, 512); // int_sqrt(262144)
  assert.match(b.memory!.minFreeInterpretation!, /^the host runs the kernel's default/);
});

test('zone lines without a size: no claim that min_free_kbytes was set by hand (extra/027, 2.6.3)', () => {
  const a = first('027-bare-2.6.3-i386-sysrq-m-highmem-free-pages-no-reserve.log');
  assert.equal(a.memory?.minFreeDefaultKb, null);
  assert.doesNotMatch(a.memory!.minFreeInterpretation!, /set by hand \(sysctl\)/);
  assert.match(
    a.memory!.minFreeInterpretation!,
    /prints no size \(present:, managed:\) of the zones up to Normal.*cannot tell the kernel's default from a value set by hand/,
  );
});

test('logcat: a vmalloc header split by logd after its comm is put back with `: ` (extra/108, 4.14)', () => {
  // warn_alloc prints `%s: ` (current->comm), then `vmalloc: allocation failure: %lu bytes`; logd's
  // LogKlog takes `kmodloader` as the tag
  const header = extraLog('108-dmesg-4.14-armada-vmap-failed-then-vmalloc-module_alloc-truncated.log')
    .split('\n')[1]
    .replace(/^\[[^\]]*\] /, '');
  assert.equal(header.slice(0, 33), 'kmodloader: vmalloc: allocation f');
  assert.equal(tagJoiner('kmodloader', header.slice('kmodloader: '.length)), ': ');
  const back = logical(`06-17 20:58:44.000     0     0 W kmodloader: ${header.slice('kmodloader: '.length)}`);
  assert.equal(back[0].text, header);
  // a comm with a colon of its own still joins tight (`Binder:31542_2: page allocation failure`)
  assert.equal(tagJoiner('Binder', '31542_2: page allocation failure: order:0, mode:0x800(GFP_NOWAIT)'), ':');
});

test('bare frames after an empty dmesg record are lines of their own, not wraps (extra/112, 4.9 csky)', () => {
  const lines = logical(
    extraLog(
      '112-stackexchange-dmesg-4.9-csky-order10-atomic-comp-call-trace-untimestamped-blank-lines-truncated.log',
    ),
  ).map((l) => l.text);
  assert.ok(lines.includes('Call Trace:'));
  assert.ok(lines.includes('[<802f63f2>] dump_stack+0x1e/0x3c'));
  assert.ok(lines.includes('[<8004a246>] csky_systemcall+0x96/0xe0'));
  assert.equal(
    first(
      '112-stackexchange-dmesg-4.9-csky-order10-atomic-comp-call-trace-untimestamped-blank-lines-truncated.log',
    ).comm,
    'xxxx',
  );
});

test('a header alone at the end of the log says nothing of vm.oom_dump_tasks (extra/124, 5.x)', () => {
  const r = analyzeText(
    extraLog('124-dmesg-5.x-stress-ng-task-rows-kill-line-of-a-cut-report-then-header-only-at-end.log'),
  ).reports;
  assert.deepEqual(
    r.map((a) => [a.kind, a.line, a.comm]),
    [['oom_kill', 11, 'systemd-journal']], // line 12 (0-based 11),
  );
  assert.match(
    r[0].oom!.missing[0],
    /^the task table: the log holds nothing of this report after its header line/,
  );
  assert.doesNotMatch(r[0].oom!.missing.join(' '), /vm\.oom_dump_tasks was 0/);
});

test('a Mem-Info on a line a closed report read begins no report (fuzz seed 20260410, minimised)', () => {
  // CONSTRUCTED (the fuzz harness's minimised case, not a real log): a cut stall header, then one
  // physical line holding a syslog record with `Mem-Info:`, 65 empty records (the mutator dropped spaces and stamps) and a second
  // `Mem-Info:`; the stall report reads the first and closes on the unrelated records
  const host = ' Mar 14 14:31:22 x61s-44a5 kernel:';
  const text =
    'pageallocationstallsfor6ms,order:0,\n' +
    `Mar 14 14:31:22 x61s-44a5 kernel:[2.1]Mem-Info:${`${host}[`.repeat(18)}${`${host} [`.repeat(47)}l: [82.032181] Mem-Info:`;
  assert.deepEqual(checkInput(text).violations, []);
});
