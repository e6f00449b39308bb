// Issue #18 in the editor: the outline lists an OOM report's victim with the kind of OOM, and the
// diagnostic names the kind and the victim (real reports: test/fixtures/extra/INDEX.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { docOf } from './helpers';

const extra = (name: string) => readFileSync(join('test', 'fixtures', 'extra', name), 'utf8');

test('outline: a cgroup v2 OOM lists the victim on its `Killed process` line, with the kind', () => {
  const doc = docOf(extra('102-blog-dmesg-x-T-5.14-rhel9-k8s-systemd-guaranteed-memcg-v2-oom.log'));
  const [report] = documentSymbols(doc);
  assert.equal(report.name, 'OOM killer invoked order 0 — xray');
  assert.deepEqual(
    report.children?.map((c) => [c.name, c.detail, c.range.start.line]),
    [['killed xray (pid 1586608)', 'memory-cgroup OOM (cgroup v2)', 98]],
  );
  assert.equal(
    doc.reports[0].analysis.findings[0].message,
    'Memcg OOM (v2): pod 089f25ee… (Guaranteed) container c3f1de0d0969 hit its memory limit; killed xray (pid 1586608)',
  );
});

test('outline: a manual OOM lists its zones, then the victim; the name says manual', () => {
  const [report] = documentSymbols(
    docOf(extra('100-oomanalyser-bare-5.13-ubuntu-sysrq-manual-oom-order-minus-1.log')),
  );
  assert.equal(report.name, 'OOM killer invoked (manual, SysRq f) — kworker/0:2');
  const children = report.children ?? [];
  assert.deepEqual(
    children[children.length - 1] && [
      children[children.length - 1].name,
      children[children.length - 1].detail,
      children[children.length - 1].range.start.line,
    ],
    ['killed unattended-upgr (pid 651)', 'manual OOM (SysRq f)', 68],
  );
  assert.deepEqual(
    children.slice(0, -1).map((c) => c.name),
    ['Node 0 DMA', 'Node 0 DMA32'],
  );
});

test('outline: a panic_on_oom report has no victim entry (nobody was killed)', () => {
  const [report] = documentSymbols(
    docOf(extra('096-md-fence-dmesg-5.4-arm64-e2000q-oom-cma-panic_on_oom.log')),
  );
  assert.ok(!(report.children ?? []).some((c) => c.name.startsWith('killed ')));
});
