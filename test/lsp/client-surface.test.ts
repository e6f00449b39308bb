// What the VS Code client's own surfaces ask of the server (issue 14): the status bar's words (none
// for a file without a report), where each diagnostic's code links (the bundled page through the
// client's command, else the page installed beside the server), and whether a pasted text holds a
// kernel report (containsReport), on real fixtures.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixture, ROOT, TestClient } from './harness';

const EXTRA = path.join(ROOT, 'test', 'fixtures', 'extra');
const extra = (name: string): string => fs.readFileSync(path.join(EXTRA, name), 'utf8');

let plain: TestClient;
let vscodeLike: TestClient;
before(async () => {
  plain = await TestClient.start();
  vscodeLike = await TestClient.start({
    initializationOptions: {
      clientCommands: ['kernelLogLens.copyText', 'kernelLogLens.openUntitled', 'kernelLogLens.openCodeDoc'],
    },
  });
});
after(async () => {
  for (const client of [plain, vscodeLike]) {
    await client.stop();
    assert.equal(client.errorOutput, '');
  }
});

test('status: no summary for a file without a report, the count and kinds for one with reports', async () => {
  const clean = [
    '[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
    '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/sda1 ro quiet',
    '[    2.104113] e1000e 0000:00:1f.6 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
    '[   99.000000] warn_alloc: 3 callbacks suppressed',
  ].join('\n');
  await plain.open('file:///l/clean', clean);
  assert.deepEqual(
    await plain.request('kernelLogLens/documentStatus', { textDocument: { uri: 'file:///l/clean' } }),
    {
      uri: 'file:///l/clean',
      version: 1,
      reports: 0,
      byKind: {},
      suppressed: 3,
      summary: null,
    },
  );
  await plain.open('file:///l/seed', fixture('000-seed.log'));
  const seed = await plain.request<{ summary: unknown }>('kernelLogLens/documentStatus', {
    textDocument: { uri: 'file:///l/seed' },
  });
  assert.deepEqual(seed.summary, { text: '1 kernel memory report', detail: '1 × page alloc failure' });
});

test('code links: the client that runs kernelLogLens.openCodeDoc gets a command URI with the code', async () => {
  await vscodeLike.open('file:///l/seed', fixture('000-seed.log'));
  const items = await vscodeLike.pull('file:///l/seed');
  const report = items.find((d) => d.code === 'KLL001');
  assert.equal(report?.codeDescription?.href, 'command:kernelLogLens.openCodeDoc?%5B%22KLL001%22%5D');
  for (const d of items) {
    const href = d.codeDescription?.href ?? '';
    const m = /^command:kernelLogLens\.openCodeDoc\?(.*)$/.exec(href);
    assert.ok(m, `${d.code}: ${href}`);
    assert.deepEqual(JSON.parse(decodeURIComponent(m[1])), [d.code]);
  }
});

test('code links: any other client gets the file: URI of the page installed beside the server', async () => {
  const items = await plain.pull('file:///l/seed');
  const report = items.find((d) => d.code === 'KLL001');
  assert.equal(
    report?.codeDescription?.href,
    pathToFileURL(path.join(ROOT, 'docs', 'codes', 'KLL001.md')).href,
  );
});

test('containsReport: a pasted mail, `> `-quoted excerpts and a quoted-printable body hold a report', async () => {
  for (const text of [
    fixture('000-seed.log'),
    fixture('036-quoted-fragment-oom02-numa-node1-nodemask.log'),
    fixture('042-quoted-dmesg-T-5.0-kworker-nowait-header.log'),
    extra('001-quoted2-syslog-dmesg-4.9-stall-dom-worker.log'),
    extra('003-mail-wrapped-dmesg-6.0-arm64-vmalloc-error-insmod.log'),
    extra('qp-002-mail-quoted-printable-5.2-xorg-order0-then-slub.log'),
    // the seed as a mail reply quotes it
    fixture('000-seed.log')
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
  ])
    assert.equal(await vscodeLike.request('kernelLogLens/containsReport', { text }), true, text.slice(0, 80));
});

test('containsReport: text with an anchor word but no report, and bad params, hold none', async () => {
  for (const text of [
    '',
    'p = malloc(n); /* the allocation failed */',
    '[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP',
    '[   99.000000] warn_alloc: 3 callbacks suppressed',
    'Mem-Info is what the kernel prints after a page allocation failure.',
  ])
    assert.equal(await vscodeLike.request('kernelLogLens/containsReport', { text }), false, text);
  assert.equal(await vscodeLike.request('kernelLogLens/containsReport', { text: 42 }), false);
  assert.equal(await vscodeLike.request('kernelLogLens/containsReport', null), false);
});
