// Session 8 OOM hunt: real OOM reports added as test/fixtures/extra/150… (sources in INDEX.json),
// each read against the printk formats of its release; a misreading found on one is fixed at the
// rule that owns it and pinned here on the real log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { extraLog } from './fixture-files';

const oomOf = (text: string) => {
  const a = analyzeText(text).reports.find((r) => r.kind === 'oom_kill');
  assert.ok(a, 'an OOM report');
  return a;
};

test('6.11 global OOM with the 6.8+ task table (extra/150): victim, score, kind as printed', () => {
  const a = oomOf(extraLog('150-md-details-dmesg-6.11-qemu-global-oom-stress-ng-rss_anon-no-swap.log'));
  assert.equal(a.era.release, '6.11.0-10669-g11a299a7933e-dirty');
  assert.equal(a.oomKind?.scope, 'global');
  assert.equal(a.oomKind?.constraint, 'CONSTRAINT_NONE');
  assert.deepEqual(a.oomKind?.victim, { pid: 116, comm: 'stress-ng-vm' });
  const o = a.oom!;
  assert.equal(o.tasks, 4);
  assert.equal(o.victim?.oomScoreAdj, 1000);
  // mm/oom_kill.c oom_badness (6.11): rss 1995298 + swapents 0 + 16052224 / 4096 pgtables
  // + 1000 × (2029656 managed pages / 1000) = 4028217 pages
  assert.equal(o.victim?.task?.points, 4028217);
  assert.equal(o.victim?.task?.rssAnonBytes, 1995157 * 4096);
  assert.deepEqual(
    o.protected.map((t) => `${t.name} ${t.pid}`),
    ['stress-ng 114', 'stress-ng-vm 115'],
  );
});

test('no release printed: the rss_anon task-table header dates the report 6.8+ (extra/151)', () => {
  // mm/oom_kill.c dump_tasks prints `rss rss_anon rss_file rss_shmem pgtables_bytes` from 6.8
  // (absent in 6.6.57, present in 6.8.1); the grep kept the header, not the rows
  const a = oomOf(extraLog('151-blog-dmesg-T-ja-locale-grep-6.8plus-rpi5-global-oom-astar-no-release.log'));
  assert.equal(a.era.release, null);
  assert.equal(a.era.decidedBy, 'shape');
  assert.match(a.era.reason, /the shape says 6\.8–now/);
  assert.match(a.era.reason, /`rss_anon rss_file rss_shmem` in the task table header \(6\.8\+\)/);
  assert.equal(a.era.gfpEra, '6.8');
  assert.deepEqual(a.oomKind?.victim, { pid: 1888, comm: 'astar-collator' });
  assert.equal(a.oomKind?.scope, 'global');
});

test('a task-table header cut by journalctl names the cut row by its whole words (extra/152, 6.8)', () => {
  // mm/oom_kill.c dump_tasks (6.8): `[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu %5hd %s`
  // under `… rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name`; both
  // lines ellipsized at the same width, so the row's 8 values are uid … pgtables_bytes, not the
  // 4.x layout of 8 values (`nr_ptes nr_pmds swapents oom_score_adj`)
  const text = extraLog(
    '152-md-fence-journal-6.8-ubuntu-systemd-run-memorymax-memcg-v2-ellipsized-task-table.log',
  );
  const a = oomOf(text);
  assert.equal(a.oomKind?.scope, 'memcg');
  assert.equal(a.oomKind?.cgroupVersion, 'v2');
  const row = a.oom!.victim!.task!;
  assert.equal(row.pid, 483880);
  assert.equal(row.rssBytes, 14530 * 4096);
  assert.equal(row.rssAnonBytes, 12706 * 4096);
  assert.equal(row.rssFileBytes, 1824 * 4096);
  assert.equal(row.rssShmemBytes, 0);
  assert.equal(row.pgtablesBytes, 180224);
  // swapents and oom_score_adj were cut: not read, and no value is called impossible
  assert.equal(row.swapBytes, null);
  assert.equal(row.oomScoreAdj, null);
  const parsed = parseLog(text).reports.find((r) => r.kind === 'oom_kill');
  assert.deepEqual(parsed?.unreadable, []);
});

test('memory.oom.group: the group line and its kill lines are read, the victim stays the first kill (extra/153)', () => {
  // mm/oom_kill.c oom_kill_process (4.19+): __oom_kill_process(victim), then with an oom_group
  // mem_cgroup_print_oom_group (`Tasks in %s are going to be killed due to memory.oom.group set`)
  // and mem_cgroup_scan_tasks(oom_group, oom_kill_memcg_member): one kill line per member, the
  // victim again (its mm is still there)
  const name = '153-notes-dmesg-w-grep-6.8plus-eks-k8s-memcg-v2-oom-group-containerd-node.log';
  const parsed = parseLog(extraLog(name)).reports;
  assert.equal(parsed.length, 1);
  const r = parsed[0];
  assert.equal(r.killed?.pid, 22609);
  assert.equal(r.killed?.line, 42);
  assert.equal(r.oomGroup?.line, 43);
  assert.equal(
    r.oomGroup?.path,
    '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod94eb36cd_29e1_478b_b365_4cb5dfc7d6fb.slice/cri-containerd-46b3e0a4df44b752b841aecca454e6e78995d567912a84950390bae6f6777a63.scope',
  );
  assert.deepEqual(
    r.oomGroup?.kills.map((k) => `${k.comm} ${k.pid} @${k.line}`),
    ['node 22609 @44'],
  );
  const a = oomOf(extraLog(name));
  assert.equal(a.oomKind?.scope, 'memcg');
  assert.deepEqual(a.oomKind?.victim, { pid: 22609, comm: 'node' });
  assert.equal(
    a.impact,
    "A process was killed (node) because its memory cgroup hit its limit: data in flight in that process is lost. The cgroup's limit ran out, which by itself says nothing about the machine's memory. memory.oom.group is set: every task of pod 94eb36cd… (Burstable) container 46b3e0a4df44 is killed with the victim (mm/oom_kill.c oom_kill_process → oom_kill_memcg_member, 4.19+; tasks at oom_score_adj -1000 and init are spared); the log shows 1 kill line after it: node (pid 22609, the victim again).",
  );
});

test('memcg OOMs from a write to memory.max: no charge failed, three events, the last with an empty table (extra/154, 6.5)', () => {
  // mm/memcontrol.c memory_max_write (4.14.67 … 6.18.2): xchg the new max, reclaim, then
  // mem_cgroup_out_of_memory(memcg, GFP_KERNEL, 0) until usage <= max or it finds no victim
  const text = extraLog(
    '154-notes-dmesg-6.5-nixos-memory-max-write-memcg-v2-oom-thunderbird-no-killable.log',
  );
  const reports = analyzeText(text).reports;
  assert.deepEqual(
    reports.map((r) => `${r.line + 1} ${r.repeat?.duplicateOf ?? '-'}`),
    ['1 -', '90 -', '178 -'],
    'different victims (and none) are different events, not repeats',
  );
  const [first, , last] = reports;
  assert.equal(first.oomKind?.scope, 'memcg');
  assert.deepEqual(first.oomKind?.victim, { pid: 265606, comm: '.thunderbird-wr' });
  assert.equal(
    first.summary,
    'Memory-cgroup OOM kill (cgroup v2): systemd unit app-gnome-thunderbird-265606.scope was over its memory limit (usage 718396 kB of limit 488280 kB) after a write to memory.max (memory_max_write) in tee lowered it; killed .thunderbird-wr (pid 265606)',
  );
  assert.match(
    first.verdictText,
    /No allocation and no charge failed: tee wrote memory\.max below the cgroup's usage/,
  );
  assert.match(first.verdictText, /the memory counter is above the limit\./);
  assert.doesNotMatch(first.verdictText, /a charge hit the limit/);
  assert.match(first.remedies[0].assessment, /because a write to memory\.max set the limit below the usage/);
  // the third: no summary line (dump_header(oc, NULL)), the cgroup named by `Memory cgroup stats for`
  assert.equal(last.oomKind?.ending, 'no_killable');
  assert.equal(
    last.oomKind?.limitCgroup?.path,
    '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-thunderbird-265606.scope',
  );
  assert.equal(
    last.impact,
    "No process was killed (none was killable): memory_max_write gives up (mm/memcontrol.c): the write to memory.max returns, the new limit stays below the cgroup's usage, and the cgroup's next charges meet it.",
  );
  assert.equal(
    last.oom?.headline,
    'no victim: no killable process (the task table lists no task: none left in scope still has its memory)',
  );
});

test('the unreclaimable slab table does not end the report: task table, no victim and the panic are read (extra/155, 5.8)', () => {
  // mm/slab_common.c dump_unreclaimable_slab (4.15+): `%-17s %10luKB %10luKB` rows after
  // `Name  Used  Total`; then dump_tasks, and out_of_memory's `Out of memory and no killable
  // processes...` + panic("System is deadlocked on memory") for a global OOM (5.8)
  const name =
    '155-mail-dmesg-5.8-rc4-qemu-global-oom-order1-kthreadd-unreclaimable-slab-kmemleak-no-killable-deadlocked-panic.log';
  const r = parseLog(extraLog(name)).reports[0];
  assert.equal(r.taskTable?.tasks.length, 1);
  assert.equal(r.taskTable?.tasks[0].name, 'systemd-udevd');
  assert.deepEqual(r.oomEnd, {
    line: 168,
    noKillable: true,
    panicOnOom: null,
    panic: 'System is deadlocked on memory',
  });
  const a = oomOf(extraLog(name));
  assert.equal(a.oomKind?.scope, 'global');
  assert.equal(
    a.impact,
    'The kernel panicked instead of killing a process: the whole machine stopped (or rebooted, if kernel.panic is set); everything in flight on it is lost.',
  );
  assert.deepEqual(
    a.oom?.protected.map((t) => `${t.name} ${t.pid}`),
    ['systemd-udevd 103'],
  );
});

test('cgroup v1: the memory+swap counter at its limit, memory below it: the memsw limit is the one to raise (extra/156, el7 3.10)', () => {
  // mm/memcontrol.c (3.10 … 6.x v1) try_charge charges memsw when swap is accounted; the counter
  // at its limit is memory+swap (204800 of 204800 kB) while memory is at 53824 of 102400 kB
  const reports = analyzeText(
    extraLog('156-blog-dmesg-3.10-el7-docker-memcg-v1-memsw-limit-oom-stress-then-no-task-table.log'),
  ).reports;
  assert.equal(reports.length, 2);
  const [first, second] = reports;
  assert.equal(first.oomKind?.scope, 'memcg');
  assert.match(first.summary, /hit its memory limit \(memory\+swap usage 200 MiB of limit 200 MiB\)/);
  assert.match(
    first.verdictText,
    /Raise the memory\+swap limit \(memory\.memsw\.limit_in_bytes, cgroup v1; the memory limit alone does not lift it\)/,
  );
  assert.doesNotMatch(
    first.verdictText,
    /Raise the limit \(memory\.max on cgroup v2, memory\.limit_in_bytes on v1\)/,
  );
  assert.match(
    first.remedies[0].assessment,
    /Raise the container's memory\+swap limit \(docker run --memory-swap/,
  );
  assert.equal(first.oom?.tasks, 10);
  assert.deepEqual(second.oomKind?.victim, { pid: 14806, comm: 'stress' });
  assert.equal(second.oom?.tasks, 0);
});
