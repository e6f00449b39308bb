// OOM kills are explained by their scope first: a memory-cgroup OOM is not a zone shortage, and
// the sysctl suggestions must not pretend it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';

const extra = (name: string) => analyzeText(readFileSync(join('test', 'fixtures', 'extra', name), 'utf8'));

test('memcg OOM (5.2 constraint line): verdict names the cgroup, no vm.* suggestion is recommended', () => {
  const a = extra('008-dmesg-5.2-memcg-oom-leaker.log').reports[0];
  assert.equal(a.verdict, 'not_applicable');
  assert.match(a.verdictText, /memory-cgroup OOM: \/leaker reached its memory limit/);
  assert.match(a.summary, /memory cgroup \/leaker hit its limit/);
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
