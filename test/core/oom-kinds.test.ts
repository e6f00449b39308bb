// Issue #18: every OOM report says which OOM it was (core/oom-kind.ts), with the words and the
// remedies of its kind, on real reports of each kind (sources in test/fixtures/*/INDEX.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../server/src/core/analyze';
import { version } from '../../server/src/core/kernel-version';
import { costlyOrderText } from '../../server/src/core/oom-kind';
import { extraLog } from './fixture-files';

const corpus = (name: string) => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const oomOf = (text: string) => {
  const a = analyzeText(text).reports.find((r) => r.kind === 'oom_kill');
  assert.ok(a, 'an OOM report');
  return a;
};
/** No vm.* sysctl may be recommended for a cgroup OOM, and no remedy text points at one as a fix. */
function assertNoVmAdvice(a: ReturnType<typeof oomOf>): void {
  assert.deepEqual(
    a.sysctl.filter((s) => s.recommended).map((s) => s.key),
    [],
  );
  for (const r of a.remedies.filter((m) => m.recommended))
    assert.doesNotMatch(r.assessment, /(raise|set|lower) vm\./i, r.title);
}
const ALLOCATION_WORDS =
  /could not be met|Memory exhausted|memory exhausted|below min watermark|no zone lines/;

test('cgroup v2, Kubernetes Guaranteed pod, systemd driver, containerd (extra/102, RHEL 9 5.14 dmesg -x)', () => {
  const a = oomOf(extraLog('102-blog-dmesg-x-T-5.14-rhel9-k8s-systemd-guaranteed-memcg-v2-oom.log'));
  const k = a.oomKind!;
  assert.equal(k.scope, 'memcg');
  assert.equal(k.constraint, 'CONSTRAINT_MEMCG');
  assert.equal(k.cgroupVersion, 'v2');
  assert.equal(k.ending, 'killed');
  assert.deepEqual(k.victim, { pid: 1586608, comm: 'xray' });
  assert.equal(k.limitCgroup?.identity.podUid, '089f25ee-a41a-414c-a028-71a38dfb30d3');
  assert.equal(k.limitCgroup?.identity.qosClass, 'guaranteed');
  assert.equal(k.limitCgroup?.identity.runtime, 'containerd');
  assert.equal(k.limitCgroup?.label, 'pod 089f25ee… (Guaranteed) container c3f1de0d0969');
  assert.deepEqual(
    k.counters.map((c) => [c.name, c.usageKb, c.limitKb, c.failcnt, c.atLimit]),
    [
      ['memory', 208204, 204800, 7470, true],
      ['swap', 0, 0, 0, true],
    ],
  );
  assert.deepEqual(k.swap, { state: 'disabled', usageKb: 0, limitKb: 0 });
  assert.equal(
    a.summary,
    'Memory-cgroup OOM kill (cgroup v2): pod 089f25ee… (Guaranteed) container c3f1de0d0969 hit its memory limit ' +
      '(usage 208204 kB of limit 200 MiB), charging order-0 (4 KiB) GFP_HIGHUSER_MOVABLE in xray ' +
      '(do_user_addr_fault → charge_memcg → try_charge_memcg); killed xray (pid 1586608)',
  );
  assert.doesNotMatch(a.summary, ALLOCATION_WORDS);
  assert.equal(
    a.findings[0].message,
    'Memcg OOM (v2): pod 089f25ee… (Guaranteed) container c3f1de0d0969 hit its memory limit; killed xray (pid 1586608)',
  );
  assert.match(a.verdictText, /^A memory-cgroup OOM \(cgroup v2: the `swap:` counter line/);
  assert.match(
    a.verdictText,
    /Swap: memory\.swap\.max is 0, so the cgroup could not move anonymous memory to swap\./,
  );
  // a cgroup's limit says nothing of the machine's memory: no claim about the rest of the system
  assert.match(
    a.impact,
    /because its memory cgroup hit its limit: data in flight in that process is lost\. The cgroup's limit ran out, which by itself says nothing about the machine's memory\.$/,
  );
  assert.doesNotMatch(a.impact, /not short/);
  const oom = a.remedies.find((m) => m.id === 'oom')!;
  assert.equal(oom.recommended, true);
  assert.match(
    oom.assessment,
    /resources\.limits\.memory of the container in the pod spec — kubelet writes it to memory\.max/,
  );
  assert.match(oom.assessment, /memory\.swap\.max allows none/);
  assertNoVmAdvice(a);
});

test('cgroup v1 by its counter lines on 5.14 (extra/025, SLE 15, Kubernetes Burstable pod, memory+swap and kmem)', () => {
  const a = oomOf(extraLog('025-md-fence-journal-masked-host-sle15-5.14-memcg-oom-virt-launcher.log'));
  const k = a.oomKind!;
  assert.equal(k.scope, 'memcg');
  assert.equal(k.cgroupVersion, 'v1');
  assert.match(k.cgroupVersionEvidence!, /`memory\+swap:`\/`kmem:` counter lines/);
  assert.equal(k.limitCgroup?.identity.kind, 'pod');
  assert.equal(k.limitCgroup?.label, 'pod 968a06fb… (Burstable)');
  assert.equal(
    k.taskCgroup?.identity.containerId,
    '0f32894de86edf3d3832702af794874ef8d400b4969acdea4976b12040756e0d',
  );
  assert.equal(k.swap?.state, 'unlimited');
  assert.match(
    a.summary,
    /^Memory-cgroup OOM kill \(cgroup v1\): pod 968a06fb… \(Burstable\) hit its memory limit \(usage 17024340 kB of limit 17024340 kB\), charging order-0 \(4 KiB\) GFP_KERNEL in virt-launcher$/,
  );
  assert.match(
    a.verdictText,
    /The killed task was in pod 968a06fb… \(Burstable\) container 0f32894de86e \(\/kubepods\.slice\//,
  );
  assert.match(a.remedies[0].assessment, /kubelet writes it to memory\.limit_in_bytes/);
  assertNoVmAdvice(a);
});

test('Kubernetes cgroupfs driver before the counter split (extra/101, 4.15: Task in … limit of …; v1/v2 not told)', () => {
  const a = oomOf(extraLog('101-blog-dmesg-T-4.15-k8s-cgroupfs-burstable-memcg-v1-oom-memsw-kmem.log'));
  const k = a.oomKind!;
  assert.equal(k.scope, 'memcg');
  assert.equal(k.constraint, null);
  assert.match(
    k.evidence,
    /`Task in … killed as a result of limit of \/kubepods\/burstable\/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c`/,
  );
  // 4.19 and older print memory+swap and kmem on both hierarchies: undecided, and said why
  assert.equal(k.cgroupVersion, null);
  assert.match(k.cgroupVersionEvidence!, /4\.15\.0 prints on both hierarchies/);
  assert.equal(k.limitCgroup?.label, 'pod bc001ffa… (Burstable)');
  assert.equal(k.taskCgroup?.label, 'pod bc001ffa… (Burstable) container a2ed67c63e82');
  assert.deepEqual(k.victim, { pid: 32308, comm: 'stress' });
  // memory+swap usage 0 while memory is at 125952 kB: swap is not accounted per cgroup
  assert.equal(k.swap?.state, 'not_accounted');
  assert.equal(
    a.findings[0].message,
    'Memcg OOM: pod bc001ffa… (Burstable) hit its memory limit; killed stress (pid 32308); usage 123 MiB of limit 123 MiB',
  );
  assert.doesNotMatch(a.summary, ALLOCATION_WORDS);
  assertNoVmAdvice(a);
});

test('systemd-run MemoryMax memcg OOM told only by its trace (extra/080, 6.17): no name, still no vm.* advice', () => {
  const a = oomOf(
    extraLog('080-journal-kernel-prefix-only-6.17-memcg-oom-systemd-uid-preempt-full-truncated.log'),
  );
  assert.equal(a.oomKind?.scope, 'memcg');
  assert.match(a.oomKind!.evidence, /^mem_cgroup_out_of_memory in the call trace/);
  assert.equal(a.oomKind?.limitCgroup, null);
  assert.equal(
    a.remedies.find((m) => m.id === 'oom')?.title,
    'A memory cgroup (its name is not printed) hit its memory limit: raise the limit, trim the workload or let it swap — no vm sysctl changes that',
  );
  assert.doesNotMatch(a.summary, ALLOCATION_WORDS);
  assertNoVmAdvice(a);
});

test('a plain cgroup v1/v2 path (extra/008, 5.2 oom_memcg=/leaker): memory cgroup /leaker, usage of limit', () => {
  const a = oomOf(extraLog('008-dmesg-5.2-memcg-oom-leaker.log'));
  assert.equal(a.oomKind?.limitCgroup?.identity.kind, 'plain');
  assert.equal(
    a.findings[0].message,
    'Memcg OOM: memory cgroup /leaker hit its memory limit; killed leaker (pid 23793); usage 512 MiB of limit 512 MiB',
  );
  assert.equal(a.oomKind?.swap?.state, 'unlimited');
  assert.equal(a.oomKind?.swap?.usageKb, 2592556 - 524288);
});

test('manual OOM, SysRq f (extra/100, 5.13, order=-1): no allocation, no replay, no race, no order--1', () => {
  const text = extraLog('100-oomanalyser-bare-5.13-ubuntu-sysrq-manual-oom-order-minus-1.log');
  const a = oomOf(text);
  assert.equal(a.oomKind?.scope, 'manual');
  assert.match(a.oomKind!.evidence, /^order=-1: drivers\/tty\/sysrq\.c moom_callback/);
  assert.deepEqual(a.oomKind?.victim, { pid: 651, comm: 'unattended-upgr' });
  assert.equal(a.order, null);
  assert.equal(a.request, null);
  assert.deepEqual(a.replay.zones, []);
  assert.equal(a.verdict, 'not_applicable');
  assert.equal(
    a.summary,
    'Manual OOM kill (SysRq f, order=-1): no allocation failed; killed unattended-upgr (pid 651): all zones above high watermark',
  );
  assert.equal(
    a.findings[0].message,
    'Manual OOM kill (SysRq f): no allocation failed, nothing to replay; killed unattended-upgr (pid 651)',
  );
  const words = [
    a.summary,
    a.verdictText,
    a.impact,
    a.findings[0].message,
    ...a.remedies.map((m) => m.assessment),
  ].join('\n');
  assert.doesNotMatch(words, /order--1|-2147483649|\brace\b|could not be met/);
  assert.match(a.impact, /because someone asked for it \(SysRq f\)/);
});

test('panic_on_oom=1 (extra/096, 5.4): a global OOM by check_panic_on_oom, nobody killed', () => {
  const a = oomOf(extraLog('096-md-fence-dmesg-5.4-arm64-e2000q-oom-cma-panic_on_oom.log'));
  const k = a.oomKind!;
  assert.equal(k.scope, 'global');
  assert.equal(k.constraintKnown, true);
  assert.match(
    k.evidence,
    /^vm\.panic_on_oom=1 panicked, which check_panic_on_oom \(mm\/oom_kill\.c\) does only for CONSTRAINT_NONE/,
  );
  assert.equal(k.ending, 'panic_on_oom');
  assert.equal(k.victim, null);
  assert.match(
    a.findings[0].message,
    // DMA32 fails only by its free CMA (the last attempt has no ALLOC_CMA): non-CMA memory ran out
    /^Global OOM kill: non-CMA memory exhausted; nobody killed: vm\.panic_on_oom=1 panicked/,
  );
  assert.match(a.impact, /^The kernel panicked instead of killing a process/);
});

test('global OOM: CONSTRAINT_NONE printed (extra/022, 5.13) vs no constraint line (corpus/001, 6.8 journal excerpt)', () => {
  const g = analyzeText(extraLog('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log'))
    .reports[1];
  assert.equal(g.oomKind?.scope, 'global');
  assert.equal(g.oomKind?.constraintKnown, true);
  assert.equal(g.oomKind?.taskCgroup?.label, 'systemd unit session-2.scope');
  assert.match(g.summary, /^Global OOM kill: order-0 \(4 KiB\) /);
  const s = oomOf(corpus('001-journal-oom-6.8-python.log'));
  assert.equal(s.oomKind?.scope, 'global');
  assert.equal(s.oomKind?.constraintKnown, false);
  assert.equal(s.oomKind?.label, 'system OOM (not a memory cgroup)');
  assert.match(
    s.summary,
    /^System OOM kill: order-0 \(4 KiB\) GFP_HIGHUSER_MOVABLE request in python .* could not be met; killed uvicorn \(pid 3921\)/,
  );
});

test('cpuset-confined OOM (extra/031, 5.8 CONSTRAINT_CPUSET): the cpuset, not vm.*, is the advice', () => {
  const a = oomOf(extraLog('031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log'));
  assert.equal(a.oomKind?.scope, 'cpuset');
  assert.match(a.oomKind!.evidence, /^constraint=CONSTRAINT_CPUSET, cpuset=docker-9976a269caec/);
  assert.match(a.summary, /^OOM kill confined by a cpuset: /);
  const oom = a.remedies.find((m) => m.id === 'oom')!;
  assert.match(oom.title, /^OOM confined by a cpuset: widen the allowed nodes or move the work/);
  assert.match(oom.assessment, /cpuset\.mems/);
});

test('the costly-order rule per release (__alloc_pages_may_oom, mem_cgroup_oom): constructed order=4 headers', () => {
  // constructed: only the order and the mask of an `invoked oom-killer: gfp_mask=…, order=4` header
  const kernel = { order: 4, gfp: { raw: '0xcc0', printed: 'GFP_KERNEL' } } as const;
  assert.match(
    costlyOrderText(kernel as never, version(5, 10, 7), false)!,
    /^order-4 is above PAGE_ALLOC_COSTLY_ORDER \(3\): __alloc_pages_may_oom \(mm\/page_alloc\.c, 5\.10\.7\) never calls the OOM killer for such an order/,
  );
  const nofail = { order: 4, gfp: { raw: '0x8d0', printed: 'GFP_KERNEL|__GFP_NOFAIL' } } as const;
  assert.match(
    costlyOrderText(nofail as never, version(4, 9), false)!,
    /only because the request carries __GFP_NOFAIL/,
  );
  assert.match(costlyOrderText(kernel as never, version(4, 9), false)!, /which this request does not carry/);
  assert.match(
    costlyOrderText(kernel as never, version(5, 4), true)!,
    /mem_cgroup_oom \(mm\/memcontrol\.c, 5\.4\.0\) does not call the OOM killer/,
  );
  assert.equal(costlyOrderText({ order: 3, gfp: null } as never, version(6, 8), false), null);
});
