// Issue #13 rules 2 and 4 on real OOM reports.
// Rule 2: before out_of_memory the allocator tries get_page_from_freelist once more with its alloc
// flags replaced by ALLOC_WMARK_HIGH|ALLOC_CPUSET (__alloc_pages ≤2.6.30, __alloc_pages_may_oom
// 2.6.31 … 6.19, mm/page_alloc.c): an OOM report's replay is that attempt, against the printed high
// (5.0+: `_watermark[WMARK_HIGH] + watermark_boost`, which show_free_areas prints), without the
// request's min cuts, without ALLOC_CMA and without a reserve flag.
// Rule 4: the constraint the OOM report prints decides its scope (constrained_alloc, mm/oom_kill.c);
// a memcg OOM is explained by its counters, not the zones; an OOM that ends without a kill says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { classifyLine } from '../../server/src/core/formats';
import { TIMELINE, eraRowFor } from '../../server/src/core/kernel/eras';
import { version } from '../../server/src/core/kernel-version';
import { oomScope } from '../../server/src/core/verdict';
import { renderReportText } from '../../server/src/core/render-text';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const oomOf = (text: string): ReportAnalysis => {
  const r = analyzeText(text).reports.find((a) => a.kind === 'oom_kill');
  assert.ok(r, 'an OOM report');
  return r;
};
/** [zone, free pages, unusable, mark, lowmem_reserve, pass] of the zones the replay tried. */
const checks = (a: ReportAnalysis) =>
  a.replay.zones
    .filter((z) => z.usable)
    .map((z) => [z.zone, z.freePages, z.unusablePages, z.minPages, z.reservePages, z.pass]);

test('the timeline: every era has the last attempt at high with ALLOC_WMARK_HIGH|ALLOC_CPUSET, made by __alloc_pages, __alloc_pages_internal (2.6.26–2.6.30), then __alloc_pages_may_oom', () => {
  for (const row of TIMELINE.rows) {
    assert.equal(row.oomLastAttempt.mark, 'high', row.since.text);
    assert.equal(row.oomLastAttempt.allocFlags, 'ALLOC_WMARK_HIGH|ALLOC_CPUSET', row.since.text);
  }
  assert.equal(eraRowFor(version(2, 6, 24)).oomLastAttempt.caller, '__alloc_pages');
  // 2.6.26–2.6.30: __alloc_pages is the inline wrapper of __alloc_pages_internal, which makes the
  // attempt (renamed __alloc_pages_nodemask in the 2.6.31 allocator split; audit.md N8)
  assert.equal(eraRowFor(version(2, 6, 30)).oomLastAttempt.caller, '__alloc_pages_internal');
  for (const v of [
    version(2, 6, 32),
    version(3, 10),
    version(4, 9),
    version(5, 10),
    version(6, 8),
    version(6, 19),
  ])
    assert.equal(eraRowFor(v).oomLastAttempt.caller, '__alloc_pages_may_oom', v.text);
});

test('4.9 fc25 (extra/014): the zones fail at high though DMA32 passes at min — no longer "zones passed, a race"', () => {
  const a = oomOf(extraLog('014-mail-wrapped-kernel-prefix-4.9-fc25-oom-dnf-stackwords.log'));
  assert.equal(a.verdict, 'no_free_pages');
  assert.equal(a.replay.mark, 'high');
  assert.equal(a.replay.allocFlagsText, 'ALLOC_WMARK_HIGH|ALLOC_CPUSET');
  // the request's own flags are kept for the request (its attempts at min had ALLOC_CMA)
  assert.equal(a.gfp?.allocFlags?.text, 'ALLOC_WMARK_MIN|ALLOC_CPUSET|ALLOC_CMA');
  // the last attempt has no ALLOC_HARDER: the unprinted highatomic reserve is subtracted, at
  // least one pageblock where the buddy line lists H blocks (issue #13 rule 1, watermarks.ts)
  assert.deepEqual(checks(a), [
    ['DMA', 473, 512, 33, 451, false],
    ['DMA32', 839, 512, 999, 0, false],
  ]);
  assert.match(
    a.verdictText,
    /^No allowed zone had enough free pages for the OOM killer's last attempt: before out_of_memory the kernel tries once more at the high watermark \(get_page_from_freelist with ALLOC_WMARK_HIGH\|ALLOC_CPUSET\)/,
  );
  assert.match(
    a.verdictText,
    /Node 0 DMA32: 839 free − 512 unusable \(2\^0 − 1 = 0 \+ highatomic ≥ 512\) = 327 ≤ high 999 \+ lowmem_reserve 0 = 999 pages/,
  );
  // it fails at high even without the reserve: 839 ≤ 999
  assert.equal(a.replay.zones.find((z) => z.zone === 'DMA32')?.hiddenHighatomic?.passesWithout, false);
  assert.match(
    a.verdictText,
    /At min, the mark of the request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\|ALLOC_CMA\), Node 0 DMA32 would pass at this printout \(Node 0 DMA32: 839 free − 0 unusable = 839 > min 667 \+ lowmem_reserve 0 = 667 pages\)/,
  );
  assert.match(a.verdictText, /not a race that the OOM kill lost/);
  assert.doesNotMatch(a.verdictText, /a race: other CPUs/);
  assert.match(a.summary, /; memory exhausted at the high watermark of the OOM killer's last attempt$/);
  // the zone table agrees with the replay
  assert.deepEqual(
    a.zones.map((z) => [z.zone, z.check?.result]),
    [
      ['DMA', 'fail'],
      ['DMA32', 'fail'],
    ],
  );
  const text = renderReportText(a).join('\n');
  assert.match(text, /Watermark check replayed \(ALLOC_WMARK_HIGH\|ALLOC_CPUSET; class zone DMA32; pages\):/);
  assert.match(text, /The OOM killer's last attempt \(__alloc_pages_may_oom, before out_of_memory\)/);
  assert.match(
    text,
    /high \(Node 0 DMA32\): 999 \(high: the last attempt's alloc flags replace the request's, no reduction\)/,
  );
});

test('the same on 3.2 armv7 (extra/084), 4.7 order-2 (extra/032) and 6.12 arm64 with global_oom (extra/072): fail at high, pass at min', () => {
  const armv7 = oomOf(extraLog('084-c-comment-shell-dmesg-3.2-armv7-qemu-oom-normal-only-no-managed.log'));
  assert.equal(armv7.verdict, 'no_free_pages');
  assert.deepEqual(checks(armv7), [['Normal', 511, 0, 763, 0, false]]);
  // no release printed: 2.6.38–3.2 would fail Normal at min (two more pages), other eras pass it,
  // so the verdict does not state the min step as a fact (audit-b D6); at high it fails in every era
  assert.match(
    armv7.verdictText,
    /Whether the request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\) failed at min cannot be decided from this report/,
  );

  const order2 = oomOf(extraLog('032-bare-4.7-next-oom-order2-movable-200col-hardwrap-midtoken.log'));
  assert.equal(order2.verdict, 'no_free_pages');
  // 2^2 − 1 = 3 pages are not counted for an order-2 request
  assert.deepEqual(checks(order2), [
    ['DMA', 544, 3, 75, 493, false],
    ['DMA32', 2047, 515, 2433, 0, false],
  ]);
  // and the unprinted highatomic reserve, at least one pageblock (H blocks listed; rule 1)
  assert.match(
    order2.verdictText,
    /Node 0 DMA32: 2047 free − 515 unusable \(2\^2 − 1 = 3 \+ highatomic ≥ 512\) = 1532 ≤ high 2433 \+ lowmem_reserve 0 = 2433 pages/,
  );

  const rpi = oomOf(extraLog('072-md-fence-journal-cat-pager-chopped-6.12-rpi-zero2w-oom-cron-rss_anon.log'));
  assert.equal(rpi.verdict, 'no_free_pages');
  assert.deepEqual(checks(rpi), [['DMA', 4345, 0, 6144, 0, false]]);
  assert.match(rpi.verdictText, /Node 0 DMA: 4345 free − 0 unusable = 4345 > min 4096/);
  // a global OOM: no word about a cgroup or a cpuset causing it
  assert.doesNotMatch(rpi.verdictText, /cgroup|cpuset or mempolicy/);
});

test('4.10 fc26 (extra/013): zones above high at the printout — the pages came free after the last attempt; the printed nodes were applied', () => {
  const a = oomOf(extraLog('013-mail-wrapped-kernel-prefix-4.10-fc26-oom-python-nodemask0.log'));
  assert.equal(a.verdict, 'zones_passed');
  assert.deepEqual(checks(a), [
    ['DMA', 371, 0, 38, 327, true],
    ['DMA32', 1253, 0, 848, 0, true],
  ]);
  assert.match(
    a.verdictText,
    /^The OOM killer's last attempt \(get_page_from_freelist at the high watermark, ALLOC_WMARK_HIGH\|ALLOC_CPUSET\) would pass in Node 0 DMA, Node 0 DMA32 at this printout \(Node 0 DMA: 371 free − 0 unusable = 371 > high 38 \+ lowmem_reserve 327 = 365 pages; Node 0 DMA32: 1253 free − 0 unusable = 1253 > high 848 \+ lowmem_reserve 0 = 848 pages\), yet the kernel prints an OOM report only after that attempt failed: pages came free between the attempt and the printout/,
  );
  assert.match(
    a.verdictText,
    /The report does not print the OOM constraint \(5\.0\+ prints it in the `oom-kill:constraint=` line\); the allowed nodes it prints \(mems_allowed=0, nodemask=0\) are applied above\.$/,
  );
  assert.doesNotMatch(a.verdictText, /points at a memory-cgroup limit/);
  assert.equal(a.summary.endsWith('zones above high at the printout (freed after the last attempt)'), true);
});

test('6.8 (corpus 001) and 2.6.24 (extra/018): fail at high and at min; the 2.6.24 attempt is made by __alloc_pages', () => {
  const a = oomOf(corpus('001-journal-oom-6.8-python.log'));
  assert.equal(a.verdict, 'no_free_pages');
  assert.deepEqual(checks(a), [
    ['DMA', 3328, 0, 24, 15787, false],
    ['DMA32', 15629, 0, 4557, 12944, false],
    ['Normal', 13799, 0, 20760, 0, false],
  ]);
  assert.match(
    a.verdictText,
    /Node 0 Normal: 13799 free − 0 unusable = 13799 ≤ high 20760 \+ lowmem_reserve 0 = 20760 pages/,
  );
  assert.match(
    a.verdictText,
    /The request's own attempts \(ALLOC_WMARK_MIN\|ALLOC_CPUSET\|ALLOC_CMA\) fail at min as well\./,
  );
  assert.match(a.summary, /; memory exhausted$/);

  const old = oomOf(extraLog('018-forum-md-masked-prefix-syslog-2.6.24-i386-highmem-oom-xorg-nvidia.log'));
  assert.equal(old.verdict, 'no_free_pages');
  assert.deepEqual(checks(old), [
    ['DMA', 884, 0, 25, 873, false],
    ['Normal', 933, 0, 1404, 0, false],
  ]);
  assert.match(
    old.replay.algorithmText,
    /^The OOM killer's last attempt \(__alloc_pages, before out_of_memory\)/,
  );
});

test('6.15 (extra/076): the printed high includes the watermark boost, and the boost decides the last attempt', () => {
  const a = oomOf(extraLog('076-dmesg-callerid-6.15-rc6-oom-run-preempt-full-then-oops-in-show_mem.log'));
  assert.equal(a.verdict, 'no_free_pages');
  // high:85940kB = 21485 pages, of which boost:51564kB = 12891 pages; free 63212kB = 15803 pages
  assert.deepEqual(checks(a)[2], ['Normal', 15803, 0, 21485, 0, false]);
  assert.match(
    a.verdictText,
    /Node 0 Normal's printed high includes a watermark boost of 12891 pages \(boost:51564kB\), and without it the attempt would pass \(15803 > 8594 \+ 0\): at this printout the attempt fails on the boost/,
  );
});

test('5.4 arm64 with CMA and vm.panic_on_oom=1 (extra/096): the free CMA pages do not count at high; nobody was killed, the kernel panicked', () => {
  const text = extraLog('096-md-fence-dmesg-5.4-arm64-e2000q-oom-cma-panic_on_oom.log');
  const report = parseLog(text).reports[0];
  assert.equal(report.kind, 'oom_kill');
  assert.equal(report.killed, null);
  const panicLine = text.split('\n').findIndex((l) => l.includes('Kernel panic - not syncing'));
  assert.deepEqual(report.oomEnd, {
    line: panicLine,
    noKillable: false,
    panicOnOom: 1,
    panic: 'Out of memory: system-wide panic_on_oom is enabled',
  });
  // the report ends with the panic line: panic()'s own task line and trace are not part of it
  assert.equal(report.endLine, panicLine);
  assert.deepEqual(
    report.callTrace.filter((f) => f.function === 'panic'),
    [],
  );

  const a = oomOf(text);
  assert.equal(a.verdict, 'no_free_pages');
  assert.deepEqual(checks(a), [['DMA32', 132256, 130962, 2259, 0, false]]);
  assert.match(
    a.verdictText,
    /Node 0 DMA32: 132256 free − 130962 unusable \(2\^0 − 1 = 0 \+ free CMA 130962\) = 1294 ≤ high 2259 \+ lowmem_reserve 0 = 2259 pages/,
  );
  assert.match(
    a.verdictText,
    /Then nobody was killed: vm\.panic_on_oom=1 made the kernel panic \(system-wide: for an OOM with constraint CONSTRAINT_NONE; check_panic_on_oom\)\.$/,
  );
  assert.match(a.summary, /could not be met; nobody was killed: vm\.panic_on_oom=1 made the kernel panic/);
  assert.doesNotMatch(a.summary, /; killed /);
  assert.match(a.impact, /^The kernel panicked instead of killing a process/);
});

test('the lines an OOM ends with when nobody is killed are read (real lines: 6.17 journal extra/080, 5.10 and 5.4 consoles)', () => {
  // 4.19+ out_of_memory: pr_warn, then (global OOM) panic("System is deadlocked on memory")
  const warn = classifyLine('Out of memory and no killable processes...');
  assert.equal(warn?.kind, 'oom_end');
  assert.equal(warn?.match.groups?.nokill, 'Out of memory and no killable processes');
  const deadlocked = classifyLine('Kernel panic - not syncing: System is deadlocked on memory');
  assert.equal(deadlocked?.kind, 'oom_end');
  assert.equal(deadlocked?.match.groups?.panic, 'System is deadlocked on memory');
  // ≤4.18: the panic message itself; check_panic_on_oom with vm.panic_on_oom=2
  assert.equal(
    classifyLine('Kernel panic - not syncing: Out of memory and no killable processes...')?.match.groups
      ?.nokillP,
    'Out of memory and no killable processes',
  );
  assert.equal(
    classifyLine('Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled')?.match
      .groups?.onoom,
    'Out of memory: compulsory panic_on_oom is enabled',
  );
  // the kill line and the memcg lines keep their rows
  assert.equal(
    classifyLine('Out of memory: Kill process 4402 (mysqld) score 123 or sacrifice child')?.kind,
    'oom_misc',
  );
  assert.equal(
    classifyLine('Memory cgroup out of memory: Kill process 1 (x) score 1 or sacrifice child')?.kind,
    'oom_misc',
  );
});

test('rule 4: CONSTRAINT_NONE with global_oom (5.13, extra/022) is a global OOM; task_memcg is the task, not the cause', () => {
  const text = extraLog('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log');
  const report = parseLog(text).reports.find((r) => r.kind === 'oom_kill')!;
  assert.equal(
    oomScope(report),
    'The report prints constraint=CONSTRAINT_NONE and global_oom: a global OOM, limited by no memory cgroup, cpuset or mempolicy (constrained_alloc, mm/oom_kill.c); ' +
      "task_memcg=/user.slice/user-1000.slice/session-2.scope is the killed task's cgroup, not the cause.",
  );
  const a = oomOf(text);
  assert.equal(a.verdict, 'no_free_pages');
  assert.doesNotMatch(a.verdictText, /cgroup|cpuset|mempolicy/);
});

test('rule 4: CONSTRAINT_CPUSET (5.8 SUSE, extra/031): the allowed node 4 has only a Movable zone, which GFP_HIGHUSER may not use', () => {
  const a = oomOf(extraLog('031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log'));
  assert.equal(a.verdict, 'no_free_pages');
  assert.match(
    a.verdictText,
    /^The report prints constraint=CONSTRAINT_CPUSET: the task's cpuset docker-9976a269\S+\.scope allows only node 4: the OOM is confined to those nodes, other nodes may have had free memory\. /,
  );
  assert.match(
    a.verdictText,
    /none of them \(Node 4 Movable\) is one this request may use: above the request's highest zone Normal\. The cpuset left the request no zone at all, whatever the free memory\.$/,
  );
  assert.match(a.summary, /: cpuset allows no zone this request may use$/);
});

test('rule 4: a memcg OOM says the limit and the usage it prints (5.2 extra/008, 5.3 extra/026), or that they are missing (corpus 016)', () => {
  const text = extraLog('008-dmesg-5.2-memcg-oom-leaker.log');
  const report = parseLog(text).reports[0];
  const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s));
  assert.deepEqual(report.memcgCounters, [
    { line: lineOf('memory: usage'), name: 'memory', usageKb: 524288, limitKb: 524288, failcnt: 1240247 },
    {
      line: lineOf('memory+swap: usage'),
      name: 'memory+swap',
      usageKb: 2592556,
      limitKb: 9007199254740988,
      failcnt: 0,
    },
    { line: lineOf('kmem: usage'), name: 'kmem', usageKb: 7260, limitKb: 9007199254740988, failcnt: 0 },
  ]);
  const a = oomOf(text);
  assert.equal(a.verdict, 'not_applicable');
  assert.match(
    a.verdictText,
    /^A memory-cgroup OOM: memory cgroup \/leaker hit its memory limit \(usage 512 MiB of limit 512 MiB\)\. It prints memory: usage 524288 kB of limit 524288 kB \(failcnt 1240247: charges refused at the limit so far\): the memory counter is at the limit\. /,
  );

  const kvm = oomOf(extraLog('026-md-fence-dmesg-T-sle15-5.3-memcg-oom-cpu-11-kvm-comm-space.log'));
  assert.match(kvm.verdictText, /memory: usage 67579904 kB of limit 67579904 kB \(failcnt 67391/);

  const abridged = oomOf(corpus('016-dmesg-T-numa-node1-oom-abridged.log'));
  assert.equal(abridged.verdict, 'not_applicable');
  assert.match(
    abridged.verdictText,
    /The report does not print the cgroup's usage and limit \(the `memory: usage …kB, limit …kB, failcnt …` line of mem_cgroup_print_oom_meminfo\)/,
  );
});

test('rule 4: a memcg OOM told by its call trace (6.17, extra/080: mem_cgroup_out_of_memory, no constraint line) is not "undecidable: no zone lines"', () => {
  const a = oomOf(
    extraLog('080-journal-kernel-prefix-only-6.17-memcg-oom-systemd-uid-preempt-full-truncated.log'),
  );
  assert.equal(a.verdict, 'not_applicable');
  assert.match(
    a.verdictText,
    /^A memory-cgroup OOM: a memory cgroup \(its name is not printed\) hit its memory limit\. mem_cgroup_out_of_memory in the call trace: the charge of the cgroup, not a zone, failed\./,
  );
  assert.match(
    a.summary,
    /^Memory-cgroup OOM kill: a memory cgroup \(its name is not printed\) hit its memory limit, charging order-0 \(4 KiB\) GFP_KERNEL in systemd/,
  );
});
