// Issue #15 over real JSON-RPC: a sosreport's proc/zoneinfo, sysctl_-a and etc/sysctl.conf open
// together get hovers and diagnostics, each using what the others say (test/fixtures/system).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover } from 'vscode-languageserver/node';
import { hoverText, ROOT, TestClient } from './harness';

const system = (name: string): string =>
  readFileSync(path.join(ROOT, 'test', 'fixtures', 'system', name), 'utf8');
const ZONEINFO = 'file:///case/sosreport-db1/proc/zoneinfo';
const SYSCTL_A = 'file:///case/sosreport-db1/sos_commands/kernel/sysctl_-a';
const SYSCTL_CONF = 'file:///case/sosreport-db1/etc/sysctl.conf';

let client: TestClient;
before(async () => {
  client = await TestClient.start();
  await client.open(ZONEINFO, system('zoneinfo-6.18'), 'linux-zoneinfo');
  await client.open(SYSCTL_A, system('sysctl-a-6.18.txt'), 'plaintext');
  await client.open(SYSCTL_CONF, system('centos7-init/etc/sysctl.conf'), 'properties');
});
after(async () => {
  await client.stop();
  assert.equal(client.errorOutput, '');
});

test('zoneinfo hover over JSON-RPC names the sysctl -a value beside it', async () => {
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri: ZONEINFO },
    position: { line: 147, character: 10 },
  });
  const text = hoverText(hover);
  assert.match(text, /min\*\* of Node 0 Normal: 12223 pages/);
  assert.match(text, /= \*\*67580 kB\*\*: vm\.min_free_kbytes/);
  assert.match(text, /says vm\.min_free_kbytes = 67584/);
});

test('sysctl.conf diagnostics over JSON-RPC: drop_caches persisted, min_free_kbytes against the zoneinfo RAM', async () => {
  const items = await client.pull(SYSCTL_CONF);
  assert.deepEqual(
    items.map((d) => [d.range.start.line, d.severity, d.message.slice(0, 60)]),
    [
      [33, 2, 'vm.min_free_kbytes = 1048576 kB is 9.3 % of RAM (11233216 kB'],
      [37, 2, 'vm.drop_caches persisted: every boot and `sysctl --system` d'],
    ],
  );
  assert.deepEqual(await client.pull(SYSCTL_A), []);
});
