// Diagnostics over real JSON-RPC: pulled (VS Code) and pushed (minimal clients), on logs of
// several eras and framings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { fixture, TestClient, useServer } from './harness';

const SEED = 'file:///logs/messages';

let client: TestClient;
useServer((started) => (client = started));

function reportDiagnostics(items: Diagnostic[]): Diagnostic[] {
  return items.filter((d) => d.severity !== 4 && d.severity !== 3);
}

test('seed: one warning on the header, in one sentence, pointing at the zones that decided it', async () => {
  await client.open(SEED, fixture('000-seed.log'));
  const items = await client.pull(SEED);
  const onHeader = items.filter((d) => d.range.start.line === 0 && d.severity !== 4);
  assert.equal(onHeader.length, 1, 'one report diagnostic (a hint may add what the report lacks)');
  const [d] = onHeader;
  assert.equal(d.code, 'KLL001');
  assert.equal(d.severity, 2, 'warning for an allocation failure');
  assert.equal(d.source, 'Kernel Log Lens');
  assert.deepEqual(d.range, { start: { line: 0, character: 31 }, end: { line: 0, character: 89 } });
  // issue #14: the verdict first, in one Problems row; the size, context and call chain are
  // one step away, in the related information on the header line
  assert.equal(
    d.message,
    'order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists; Node 1 Normal below low watermark',
  );
  assert.ok(!/\. [A-Z]/.test(d.message) && !d.message.includes('\n'), `one sentence: ${d.message}`);
  const request = d.relatedInformation?.find((r) => r.location.range.start.line === 0)?.message ?? '';
  for (const part of [
    'order-5',
    '128 KiB',
    'GFP_ATOMIC',
    'softirq',
    'net_tx_action → tg3_start_xmit → skb_copy',
  ]) {
    assert.ok(request.includes(part), `${part} in: ${request}`);
  }
  assert.ok(
    d.relatedInformation?.some((r) => r.location.uri === SEED && r.location.range.start.line === 42),
    'Node 1 Normal is related',
  );
  assert.ok(
    d.relatedInformation?.every(
      (r) =>
        r.location.range.start.line === 0 ||
        (r.location.range.start.line >= 35 && r.location.range.start.line <= 43),
    ),
  );
});

test('zone diagnostics: Node 1 Normal below low gets a hint; the setting turns them off', async () => {
  const zone = (await client.pull(SEED)).filter((d) => d.range.start.line === 42);
  assert.equal(zone.length, 1);
  assert.ok(zone[0].severity === 4 || zone[0].severity === 3);
  assert.match(zone[0].message, /low/);
  client.settings = { zoneDiagnostics: false };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await waitFor(() => client.refreshRequests.length > 0);
  const items = await client.pull(SEED);
  assert.deepEqual(
    items.filter((d) => d.range.start.line >= 35).map((d) => d.message),
    [],
  );
  client.settings = {};
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
});

test('severity by kind and header line across eras and framings', async () => {
  const cases: [string, number, number][] = [
    ['001-journal-oom-6.8-python.log', 3, 1], // OOM kill: error
    ['031-rsyslog-012-rhel7-3.10-oom-mysqld.log', 0, 1],
    ['002-syslog-wrapped-5.13-webcontent.log', 5, 2],
    ['011-dmesg-2.6.32-r8169-order0-slub.log', 0, 2],
    ['019-dmesg-6.19-kswapd0-btrfs-sheaves.log', 0, 2],
  ];
  for (const [name, line, severity] of cases) {
    const uri = `file:///logs/${name}`;
    await client.open(uri, fixture(name));
    const header = reportDiagnostics(await client.pull(uri)).find((d) => d.range.start.line === line);
    assert.ok(header, `${name}: diagnostic on line ${line + 1}`);
    assert.equal(header.severity, severity, name);
    assert.ok(header.message.length > 20 && !header.message.includes('\n'), name);
  }
  const slub = reportDiagnostics(await client.pull('file:///logs/011-dmesg-2.6.32-r8169-order0-slub.log'));
  assert.ok(
    slub.some((d) => d.range.start.line === 91 && d.severity === 2),
    'the SLUB report of 011',
  );
});

test('repeated reports are grouped: the first carries the count, the span and the repeats', async () => {
  // 026: one glusterfsd report, then four identical swapper reports over three days.
  await client.open('file:///logs/rhel6', fixture('026-syslog-rhel6-header-only-x5.log'));
  const reports = (await client.pull('file:///logs/rhel6')).filter((d) => d.code === 'KLL001');
  assert.deepEqual(
    reports.map((d) => [d.range.start.line, d.severity]),
    [
      [0, 2],
      [1, 2],
    ],
  );
  assert.doesNotMatch(reports[0].message, /identical/);
  assert.equal(
    reports[1].message,
    'order-1 GFP_ATOMIC failed: undecidable (4 identical reports between Mar 18 14:39:17 and Mar 21 21:59:18); no zone lines',
  );
  assert.deepEqual(
    reports[1].relatedInformation?.map((r) => [r.location.range.start.line, r.message]),
    [
      [1, 'the request: order-1 (8 KiB) GFP_ATOMIC in swapper'],
      [2, 'repeat 2 of 4'],
      [3, 'repeat 3 of 4'],
      [4, 'repeat 4 of 4'],
    ],
  );
  // the repeats are the group's related locations, not diagnostics of their own (issue #17)
  assert.equal(reports.length, 2);
});

test('an unchanged version answers "unchanged" to a pull with its resultId', async () => {
  const first = await client.request<{ kind: string; resultId: string }>('textDocument/diagnostic', {
    textDocument: { uri: SEED },
  });
  const second = await client.request<{ kind: string; resultId: string }>('textDocument/diagnostic', {
    textDocument: { uri: SEED },
    previousResultId: first.resultId,
  });
  assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });
});

test('push model: published on open and after each incremental change, with the version', async () => {
  const push = await TestClient.start({
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  try {
    const uri = 'file:///logs/pushed';
    const opened = push.nextPush(uri);
    await push.open(uri, fixture('000-seed.log'));
    const first = await opened;
    assert.equal(first.version, 1);
    assert.ok(first.diagnostics.some((d) => d.range.start.line === 0 && d.severity === 2));
    const changed = push.nextPush(uri);
    await push.change(uri, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        text: 'Apr 28 05:30:50 cztest kernel: eth0: link up\n',
      },
    ]);
    const second = await changed;
    assert.equal(second.version, 2);
    assert.ok(
      second.diagnostics.some((d) => d.range.start.line === 1 && d.severity === 2),
      'the header moved down one line',
    );
    const closed = push.nextPush(uri);
    await push.close(uri);
    assert.deepEqual((await closed).diagnostics, []);
  } finally {
    await push.stop();
  }
  assert.equal(push.errorOutput, '');
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
