// OOM kills are explained by their scope first: a memory-cgroup OOM is not a zone shortage, and
// the sysctl suggestions must not pretend it is.
import { test } from 'node:test';
import { extraLog } from './fixture-files';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';

const extra = (name: string) => analyzeText(extraLog(name));

test('memcg OOM (5.2 constraint line): verdict names the cgroup, no vm.* suggestion is recommended', () => {
  const a = extra('008-dmesg-5.2-memcg-oom-leaker.log').reports[0];
  assert.equal(a.verdict, 'not_applicable');
  assert.match(
    a.verdictText,
    /memory-cgroup OOM: memory cgroup \/leaker hit its memory limit \(usage 512 MiB of limit 512 MiB\)\./,
  );
  assert.match(
    a.summary,
    /^Memory-cgroup OOM kill: memory cgroup \/leaker hit its memory limit \(usage 512 MiB of limit 512 MiB\)/,
  );
  assert.deepEqual(
    a.sysctl.filter((s) => s.recommended).map((s) => s.key),
    [],
  );
});

test('global OOM (5.13 constraint line, global_oom) keeps the zone-based verdict', () => {
  const a = extra('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log').reports[1];
  assert.equal(a.kind, 'oom_kill');
  assert.notEqual(a.verdict, 'not_applicable');
});

test('only the oom-kill: summary line sets the OOM scope (not swap-cache, register or stack lines)', () => {
  const parsed = (name: string) =>
    parseLog(readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8')).reports;
  // page allocation failures whose Mem-Info prints `N pages in swap cache` / `Swap cache stats`
  for (const name of ['011-dmesg-2.6.32-r8169-order0-slub.log', '019-dmesg-6.19-kswapd0-btrfs-sheaves.log'])
    for (const r of parsed(name)) assert.equal(r.oomConstraint, null, `${name} line ${r.line}`);
  // a 5.13 OOM: the summary line's fields (journal 001, 6.8, prints none: no scope)
  assert.equal(parsed('001-journal-oom-6.8-python.log')[0].oomConstraint, null);
  const text = extraLog('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log');
  const oom = parseLog(text).reports.find((r) => r.kind === 'oom_kill')!;
  assert.deepEqual(oom.oomConstraint, {
    line: text.split('\n').findIndex((l) => l.includes('oom-kill:constraint=')),
    constraint: 'CONSTRAINT_NONE',
    memcg: null,
    taskMemcg: '/user.slice/user-1000.slice/session-2.scope',
    global: true,
  });
});

test('5.0+ OOM: the cpuset and allowed nodes come from the oom-kill: line (a node list may hold commas)', () => {
  const oom = (name: string) => parseLog(extraLog(name)).reports.find((r) => r.kind === 'oom_kill')!;
  const suse = oom('031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log');
  assert.equal(suse.cpuset, 'docker-9976a269caec812c134fa317f27487ee36e1129beba7278a463dd53e5fb9997b.scope');
  assert.equal(suse.memsAllowed, '4');
  const k8s = oom('025-md-fence-journal-masked-host-sle15-5.14-memcg-oom-virt-launcher.log');
  assert.equal(k8s.memsAllowed, '0-1');
  // 5.2 memcg OOM: the line has no cpuset fields
  const memcg = oom('008-dmesg-5.2-memcg-oom-leaker.log');
  assert.equal(memcg.cpuset, null);
  assert.equal(memcg.memsAllowed, null);
});
