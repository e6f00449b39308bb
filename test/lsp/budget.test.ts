// The language server under floods and huge documents: every document's analysis is sliced and
// bounded in work (KLL030 where it stopped), its output is bounded (KLL031 for what is left out),
// other documents are answered meanwhile, a cancelled pull is answered as cancelled, and a closed
// document's analysis is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic, DocumentSymbol, FoldingRange } from 'vscode-languageserver/node';
import { fixture, residentMb, TestClient } from './harness';

/** `n` one-line allocation failures, a dmesg stamp each (what a flood looks like): from one task
 * (identical but for their stamps: read once, their copies left unmade, core/repeat-run.ts), or
 * `varied`, from a thousand threads of one (still one repeat group, but each line read and
 * explained: what takes a reading past its budget). */
function flood(n: number, from = 0, varied = false): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++)
    lines.push(
      `[${(i / 100).toFixed(6).padStart(12)}] ${varied ? `app/${i % 1000}` : 'app'}: page allocation failure: order:0, mode:0x20`,
    );
  return lines.join('\n') + '\n';
}

async function withServer(
  options: Parameters<typeof TestClient.start>[0],
  body: (c: TestClient) => Promise<void>,
) {
  const client = await TestClient.start(options);
  try {
    await body(client);
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
}

test('a million one-line reports: bounded answer with KLL030, and the server answers another document meanwhile', async () => {
  await withServer({ initializationOptions: { analysisBudgetMs: 1500 } }, async (client) => {
    const FLOOD = 'file:///logs/flood.log';
    const SEED = 'file:///logs/messages';
    const baseline = residentMb(client.child.pid!);
    await client.open(FLOOD, flood(1_000_000, 0, true));
    await client.open(SEED, fixture('000-seed.log'));
    const order: string[] = [];
    const floodPull = client.pull(FLOOD).then((items) => {
      order.push('flood');
      return items;
    });
    const seedPull = client.pull(SEED).then((items) => {
      order.push('seed');
      return items;
    });
    const [floodItems, seedItems] = await Promise.all([floodPull, seedPull]);
    assert.deepEqual(order, ['seed', 'flood'], 'the small document is answered while the flood is analysed');
    assert.ok(seedItems.some((d) => d.code === 'KLL001' && d.range.start.line === 0));

    assert.ok(floodItems.length <= 1001, `${floodItems.length} diagnostics`);
    const stopped = floodItems.filter((d) => d.code === 'KLL030');
    assert.equal(stopped.length, 1, 'one KLL030 where the analysis stopped');
    const stopLine = stopped[0].range.start.line;
    assert.ok(stopLine > 1000 && stopLine < 1_000_000, `stopped at line ${stopLine}`);
    assert.match(
      stopped[0].message,
      /^Analysis stopped here at its time budget: the \d+ reports before line \d+ are analysed/,
    );
    assert.ok(floodItems.every((d) => d.code === 'KLL030' || d.range.start.line < stopLine));
    // identical reports are one group (issue #17): one diagnostic with the count, none per
    // repeat, so none is left out
    assert.equal(floodItems.filter((d) => d.code === 'KLL031').length, 0);
    const group = floodItems.filter((d) => d.code === 'KLL001');
    assert.equal(group.length, 1);
    assert.match(group[0].message, /\(\d+ identical reports/);

    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: FLOOD },
    });
    assert.equal(symbols.length, 1001);
    assert.match(symbols[1000].name, /^… \d+ more reports \(not listed\)$/);
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', {
      textDocument: { uri: FLOOD },
    });
    assert.ok(folds.length <= 5000);

    // Closing drops the analysis and gives the memory back: the document is unknown afterwards,
    // the server's resident memory falls back (polled), and it still answers.
    const peak = residentMb(client.child.pid!);
    await client.close(FLOOD);
    const bound = baseline + 150;
    const deadline = Date.now() + 10_000;
    while (residentMb(client.child.pid!) > bound && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const after = residentMb(client.child.pid!);
    assert.ok(after <= bound, `${after} MB after close; ${baseline} MB before the flood, ${peak} MB with it`);
    assert.equal(
      await client.request('kernelLogLens/documentStatus', { textDocument: { uri: FLOOD } }),
      null,
    );
    assert.ok((await client.pull(SEED)).length > 0);
  });
});

test('100,000 identical reports: at most 1000 diagnostics in well under 1 MB, the group on the first', async () => {
  await withServer({ initializationOptions: { analysisBudgetMs: 60_000 } }, async (client) => {
    const URI = 'file:///logs/flood-100k.log';
    await client.open(URI, flood(100_000));
    const items = await client.pull(URI);
    assert.ok(items.length <= 1001, `${items.length} diagnostics`);
    assert.equal(
      items.filter((d) => d.code === 'KLL030').length,
      0,
      'analysed whole within a generous budget',
    );
    const bytes = Buffer.byteLength(JSON.stringify(items));
    assert.ok(bytes < 1_000_000, `${bytes} bytes of diagnostics`);
    const first = items[0];
    assert.equal(first.range.start.line, 0);
    assert.match(first.message, /\(100000 identical reports between /);
    const related = first.relatedInformation ?? [];
    assert.equal(related.length, 202, 'the request, the first 200 repeats and the last');
    assert.match(related[0].message, /^the request: /);
    assert.equal(related[1].message, 'repeat 2 of 100000');
    assert.equal(related[201].location.range.start.line, 99_999);
    assert.match(
      related[201].message,
      /^repeat 100000 of 100000 \(the last; 99798 between are not listed\)$/,
    );
    // one diagnostic for the whole group (issue #17): no repeat has one, nothing is left out
    assert.deepEqual(
      items.filter((d: Diagnostic) => d.code === 'KLL001').map((d: Diagnostic) => d.range.start.line),
      [0],
    );
    assert.equal(items.filter((d) => d.code === 'KLL031').length, 0);
    assert.ok(items.length <= 3, `${items.length} diagnostics`);

    // the copies are left unmade (core/analyze.ts CopiedReport): one is made when hovered, and
    // the Outline lists the first 1000 from their content, each on its own line with its stamp
    const hover = await client.request<{
      contents: { value: string };
      range: { start: { line: number } };
    } | null>('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 54_321, character: 20 },
    });
    assert.ok(hover, 'a hover on a copy');
    assert.equal(hover.range.start.line, 54_321);
    // its own stamp (line 54,321 is printed at 543.21 s), not its source's
    assert.match(hover.contents.value, /^\*\*Page allocation failure\*\*/);
    assert.match(hover.contents.value, /\*\*Task:\*\* app · 543\\\.210000/);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: URI },
    });
    assert.equal(symbols.length, 1001);
    assert.equal(symbols[999].range.start.line, 999);
    assert.match(symbols[999].detail ?? '', /^9\.990000 · /);
    assert.match(symbols[1000].name, /^… 99000 more reports \(not listed\)$/);
  });
});

test('a cancelled pull is answered as ServerCancelled (retrigger), never as an empty full report', async () => {
  await withServer({ initializationOptions: { analysisBudgetMs: 60_000 } }, async (client) => {
    const URI = 'file:///logs/flood-big.log';
    await client.open(URI, flood(150_000, 0, true));
    const source = new (await import('vscode-jsonrpc')).CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'textDocument/diagnostic',
      { textDocument: { uri: URI } },
      source.token,
    );
    setTimeout(() => source.cancel(), 50);
    await assert.rejects(pending, (error: { code?: number; data?: unknown }) => {
      assert.equal(error.code, -32802);
      assert.deepEqual(error.data, { retriggerRequest: true });
      return true;
    });
    // The next pull gets the whole answer.
    const items = await client.pull(URI);
    assert.ok(items.length > 0 && items.length <= 1001);
  });
});
