// Outline, folding and the status request over real JSON-RPC; and survival on bad documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver/node';
import { fixture, TestClient, useServer } from './harness';

let client: TestClient;
useServer((started) => (client = started));

test('outline: each report with its zones', async () => {
  await client.open('file:///l/seed', fixture('000-seed.log'));
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
    textDocument: { uri: 'file:///l/seed' },
  });
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0].name, 'Page allocation failure order 5 — swapper/13');
  assert.deepEqual(symbols[0].range, { start: { line: 0, character: 0 }, end: { line: 43, character: 96 } });
  assert.deepEqual(
    symbols[0].children?.map((z) => `${z.name}: ${z.detail}`),
    [
      // held back by lowmem_reserve from this request's check: said beside the state (issue #13 rule 10)
      'Node 0 DMA: free 15920 kB, ok, fails request',
      'Node 0 DMA32: free 120772 kB, ok',
      'Node 0 Normal: free 36276 kB, ok',
      'Node 1 Normal: free 19976 kB, below low',
    ],
  );
});

test('folding: per report, per call trace, per Mem-Info section', async () => {
  await client.open('file:///l/oom', fixture('001-journal-oom-6.8-python.log'));
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', {
    textDocument: { uri: 'file:///l/oom' },
  });
  const report = ranges.find((r) => r.collapsedText === 'report');
  assert.equal(report?.startLine, 3);
  assert.ok(report!.endLine >= 60);
  const memInfo = ranges.find((r) => r.collapsedText === 'Mem-Info');
  assert.equal(memInfo?.startLine, 42);
  assert.ok(memInfo!.endLine > 58 && memInfo!.endLine <= report!.endLine);
  const trace = ranges.find((r) => r.collapsedText === 'call trace');
  assert.ok(trace && trace.startLine > 3 && trace.endLine < 42);
});

test('status: the report count of a file, by kind', async () => {
  await client.open('file:///l/rhel6', fixture('026-syslog-rhel6-header-only-x5.log'));
  const status = await client.request('kernelLogLens/documentStatus', {
    textDocument: { uri: 'file:///l/rhel6' },
  });
  assert.deepEqual(status, {
    uri: 'file:///l/rhel6',
    version: 1,
    reports: 5,
    byKind: { page_alloc_failure: 5 },
    suppressed: 0,
    summary: { text: '5 kernel memory reports', detail: '5 × page alloc failure' },
  });
  const none = await client.request('kernelLogLens/documentStatus', {
    textDocument: { uri: 'file:///l/never-opened' },
  });
  assert.equal(none, null);
});

test('the server survives any document: binary junk, a 1 MB line, half a report', async () => {
  const seed = fixture('000-seed.log');
  const junk = [
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)).toString('latin1'),
    'x'.repeat(1 << 20),
    seed.slice(0, seed.length / 2) + '\u0000\u001b[31m\r\r\n' + seed.slice(0, 300),
    'kernel: page allocation failure: order:99999999999999999999, mode:0xZZZ\nNode 9 DMA free:-1kB min:kB\nlowmem_reserve[]: x y',
  ];
  for (const [i, text] of junk.entries()) {
    const uri = `file:///l/junk-${i}`;
    await client.open(uri, text);
    await client.pull(uri);
    for (const line of [0, 1, 2, 10]) {
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    }
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    await client.request('textDocument/foldingRange', { textDocument: { uri } });
    await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
  }
  const status = await client.request<{ reports: number }>('kernelLogLens/documentStatus', {
    textDocument: { uri: 'file:///l/rhel6' },
  });
  assert.equal(status.reports, 5, 'still answering');
});

test('incremental edits: the analysis follows the document version', async () => {
  const uri = 'file:///l/edited';
  await client.open(uri, fixture('026-syslog-rhel6-header-only-x5.log'));
  const version = await client.change(uri, [
    { range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' },
  ]);
  const status = await client.request<{ reports: number; version: number }>('kernelLogLens/documentStatus', {
    textDocument: { uri },
  });
  assert.deepEqual([status.version, status.reports], [version, 4]);
});
