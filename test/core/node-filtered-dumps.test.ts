// Node-filtered memory dumps on real reports. show_mem(SHOW_MEM_FILTER_NODES) — dump_header
// (mm/oom_kill.c) and warn_alloc_show_mem (mm/page_alloc.c) — prints only the nodes
// show_mem_node_skip lets through (the request's nodemask, else the cpuset's mems_allowed; 4.9 …
// 5.10 mm/page_alloc.c show_free_areas, 6.x mm/show_mem.c), while Mem-Info's `free:` is
// system-wide (global_zone_page_state(NR_FREE_PAGES)). RAM, min_free_kbytes and the victim's share
// of RAM are then not the machine's; a ≤4.18 OOM with a non-null nodemask that leaves memory out is
// a mempolicy OOM (constrained_alloc, CONSTRAINT_MEMORY_POLICY).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog, FIXTURE_LOGS } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import { renderReportText } from '../../server/src/core/render-text';
import { FREE_DRIFT_PAGES_PER_ZONE, parseNodeList } from '../../server/src/core/node-filter';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const first = (text: string): ReportAnalysis => {
  const r = analyzeText(text).reports[0];
  assert.ok(r, 'a report');
  return r;
};
const textOf = (a: ReportAnalysis): string => renderReportText(a).join('\n');
const oomRemedy = (a: ReportAnalysis) => a.remedies.find((r) => r.id === 'oom');

test('parseNodeList reads the %*pbl lists the headers print', () => {
  assert.deepEqual(parseNodeList('0-1,4'), [0, 1, 4]);
  assert.deepEqual(parseNodeList('1'), [1]);
  assert.equal(parseNodeList('(null)'), null);
  assert.equal(parseNodeList(null), null);
  // 125 pages (calculate_normal_threshold's cap) × 8192 CPUs (x86-64 MAXSMP) per printed zone
  assert.equal(FREE_DRIFT_PAGES_PER_ZONE, 1024000);
});

test('5.8 cpuset OOM (extra/031): node 4 had 124 GiB free, all Movable; the system had 609.8 GiB free; no RAM or min_free_kbytes claimed', () => {
  const a = first(extraLog('031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log'));
  const nf = a.memory.nodeFilter;
  assert.ok(nf);
  assert.equal(nf.evidence, 'counters');
  assert.deepEqual(nf.printedNodes, [4]);
  assert.deepEqual(nf.allowed, { field: 'mems_allowed', text: '4', nodes: [4] });
  // free:159849484 pages × 4 kB; Node 4 Movable free:130021408kB
  assert.equal(nf.globalFreeKb, 639397936);
  assert.equal(nf.zonesFreeKb, 130021408);
  assert.equal(
    nf.text,
    "only node 4 is printed: show_mem filters nodes outside the allowed ones (SHOW_MEM_FILTER_NODES: mems_allowed=4); Mem-Info's free:159849484 (609.8 GiB free system-wide) is more than the printed zones hold (124.0 GiB), so other nodes have memory",
  );
  assert.equal(a.memory.ramKb, null);
  assert.equal(a.memory.ramSource, null);
  assert.equal(a.memory.minFreeInferredKb, null);
  assert.equal(a.memory.minFreeInterpretation, null);
  assert.equal(a.memory.minFreeDefaultKb, null);
  assert.equal(a.oom?.against ?? null, null);
  const text = textOf(a);
  assert.match(
    text,
    /Memory: free in the zones 124\.0 GiB \(124\.0 GiB of it in zones this request may not use\) · free system-wide 609\.8 GiB \(Mem-Info free:, every node\)/,
  );
  assert.match(
    text,
    /note: RAM not known: only node 4 is printed: show_mem filters nodes outside the allowed ones/,
  );
  assert.match(
    text,
    /note: min_free_kbytes cannot be inferred: the printed zone mins \(Σ 9140 = 9140 kB \(Node 4 Movable\)\) are only the share of that node/,
  );
  assert.doesNotMatch(text, /set by hand|RAM 124|of 124 GiB RAM|min_free_kbytes: ≈/);
  // x86-64 (do_syscall_64 in the trace): no ZONE_HIGHMEM, __GFP_HIGHMEM is Normal
  assert.equal(a.gfp?.highestZone, 'Normal');
  assert.match(
    a.verdictText,
    /none of them \(Node 4 Movable\) is one this request may use: above the request's highest zone Normal\./,
  );
  const r = oomRemedy(a);
  assert.ok(r);
  assert.match(
    r.assessment,
    /allows only node\(s\) 4 \(cpuset\.mems\), and those did not run out: they had 124\.0 GiB free, all in Node 4 Movable, above this request's highest zone \(Normal\), which it may not use \(gfp_zone; constrained_alloc, mm\/oom_kill\.c\); the system had 609\.8 GiB free \(Mem-Info's free:, every node\)\. Do not online node\(s\) 4 as movable/,
  );
  assert.doesNotMatch(r.assessment, /ran out/);
});

test('4.x OOM with nodemask=1 and no constraint line (corpus/036): an inferred mempolicy OOM, no RAM or min_free_kbytes from node 1 alone', () => {
  const a = first(corpus('036-quoted-fragment-oom02-numa-node1-nodemask.log'));
  const nf = a.memory.nodeFilter;
  assert.ok(nf);
  // no Mem-Info free: in this fragment: the header's nodemask leaves node 0 out
  assert.equal(nf.evidence, 'header');
  assert.deepEqual(nf.printedNodes, [1]);
  assert.deepEqual(nf.allowed, { field: 'nodemask', text: '1', nodes: [1] });
  assert.equal(nf.globalFreeKb, null);
  assert.equal(a.memory.ramKb, null);
  assert.equal(a.memory.minFreeInferredKb, null);
  assert.equal(a.oomKind?.scope, 'mempolicy');
  assert.equal(a.oomKind?.constraintKnown, false);
  assert.equal(a.oomKind?.label, 'mempolicy-confined OOM (inferred)');
  assert.match(
    a.oomKind?.evidence ?? '',
    /^inferred, not printed \(the `oom-kill:constraint=` line is 4\.19\+\): the header's nodemask=1 is the request's own nodemask \(its mempolicy\), and constrained_alloc \(mm\/oom_kill\.c\) returns CONSTRAINT_MEMORY_POLICY when that nodemask does not cover every node with memory; it leaves out node 0, so this holds unless that node has no memory/,
  );
  assert.match(
    a.summary,
    /^OOM kill confined by a mempolicy \(inferred from nodemask=\): .*; memory on nodemask 1 exhausted$/,
  );
  assert.match(
    a.verdictText,
    /the OOM is confined to nodemask 1, which ran out; other nodes may have had free memory\.$/,
  );
  const text = textOf(a);
  assert.doesNotMatch(text, /set by hand|RAM 128|System OOM|whether the workload simply needs more RAM/);
  assert.match(
    text,
    /note: RAM not known: only node 1 is printed: show_mem filters nodes outside the allowed ones \(SHOW_MEM_FILTER_NODES: nodemask=1\); the report prints no Mem-Info free: count to compare, and nodemask=1 leaves out node 0, so other nodes likely have memory/,
  );
  const r = oomRemedy(a);
  assert.equal(
    r?.title,
    'OOM confined by a mempolicy: widen the allowed nodes or move the work; no vm sysctl changes that',
  );
});

test('corpus/016 (mems_allowed=1, memcg): Mem-Info free:4111496 is 15.7 GiB beyond node 1; min_free_kbytes not "set by hand"', () => {
  const a = first(corpus('016-dmesg-T-numa-node1-oom-abridged.log'));
  const nf = a.memory.nodeFilter;
  assert.ok(nf);
  assert.equal(nf.evidence, 'counters');
  assert.deepEqual(nf.printedNodes, [1]);
  assert.equal(nf.globalFreeKb, 16445984);
  assert.equal(nf.zonesFreeKb, 43636);
  assert.equal(a.memory.minFreeInferredKb, null);
  assert.equal(a.memory.ramKb, null);
  assert.equal(a.oomKind?.scope, 'memcg');
  const text = textOf(a);
  assert.match(text, /free system-wide 15\.7 GiB \(Mem-Info free:, every node\)/);
  assert.doesNotMatch(text, /set by hand/);
});

test('unfiltered reports are not flagged: the seed (2 nodes printed, free:48236 = Σ zone free), 2.6.32 RHEL6 mems_allowed=0-1 (extra/023)', () => {
  const seed = first(corpus('000-seed.log'));
  assert.equal(seed.memory.nodeFilter, undefined);
  assert.equal(seed.memory.ramKb, 66001392);
  assert.equal(seed.memory.ramSource, 'zones present');
  assert.equal(seed.memory.minFreeInferredKb, 32484);
  const rhel6 = first(extraLog('023-md-fence-syslog-rhel6-2.6.32-279-numa-oom-haproxy-killed-uid.log'));
  assert.equal(rhel6.memory.nodeFilter, undefined);
});

test('over every fixture, exactly corpus/016, corpus/036 and extra/031 are node-filtered', () => {
  const flagged: string[] = [];
  for (const f of FIXTURE_LOGS) {
    for (const r of analyzeText(readFileSync(f, 'utf8')).reports)
      if (r.memory.nodeFilter)
        flagged.push(`${f.split(/[\\/]/).slice(-2).join('/')}:${r.memory.nodeFilter.evidence}`);
  }
  assert.deepEqual(flagged.sort(), [
    'corpus/016-dmesg-T-numa-node1-oom-abridged.log:counters',
    'corpus/036-quoted-fragment-oom02-numa-node1-nodemask.log:header',
    'extra/031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log:counters',
  ]);
});

test('--json memory.nodeFilter (extra/031): the evidence and both free counts; ramKb and minFreeKbytes null', async () => {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(
    process.execPath,
    [
      join('bin', 'klens.js'),
      'analyze',
      '--json',
      join(
        'test',
        'fixtures',
        'extra',
        '031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log',
      ),
    ],
    { encoding: 'utf8' },
  );
  const m = (out.match(/"memory":(\{[^{}]*"nodeFilter":\{[^{}]*"allowed":\{[^{}]*\}[^{}]*\}\})/) ?? [])[1];
  assert.ok(m, 'a memory object with nodeFilter');
  const memory = JSON.parse(m) as Record<string, unknown>;
  assert.equal(memory.ramKb, null);
  assert.equal(memory.minFreeKbytes, null);
  assert.deepEqual(
    { ...(memory.nodeFilter as Record<string, unknown>), text: undefined },
    {
      evidence: 'counters',
      printedNodes: [4],
      allowed: { field: 'mems_allowed', text: '4', nodes: [4] },
      globalFreeKb: 639397936,
      zonesFreeKb: 130021408,
      text: undefined,
    },
  );
});
