// Hovers over real JSON-RPC: what each number means for this report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Hover } from 'vscode-languageserver/node';
import { fixture, hoverText, positionOf, TestClient } from './harness';

const SEED = 'file:///logs/seed.log';
const OOM = 'file:///logs/oom-6.8.log';
const seed = fixture('000-seed.log');
const oom = fixture('001-journal-oom-6.8-python.log');

let client: TestClient;
before(async () => {
  client = await TestClient.start();
  await client.open(SEED, seed);
  await client.open(OOM, oom);
});
after(async () => {
  await client.stop();
  assert.equal(client.errorOutput, '');
});

async function hoverAt(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
}

test('seed Node 1 Normal: free 19976 kB below low 20324 kB, min 16260 kB, kswapd woken', async () => {
  const hover = await hoverAt(SEED, positionOf(seed, 'Node 1 Normal free:19976kB', 20));
  const text = hoverText(hover);
  assert.match(text, /Node 1 Normal/);
  assert.match(text, /below the \*\*low\*\* watermark/);
  assert.match(text, /\| free \| 19976 \| 4994 \|/);
  assert.match(text, /\| min \| 16260 \| 4065 \|/);
  assert.match(text, /\| low \| 20324 \| 5081 \|/);
  assert.match(text, /\| high \| 24388 \| 6097 \|/);
  // issue #14: the conclusion for this request first, then the numbers; its state (kswapd is
  // woken) stays in the hover, since its own diagnostic is only a hint (KLL011)
  assert.match(
    text,
    /^\*\*Node 1 Normal\*\* — below the \*\*low\*\* watermark · \? \*\*undecided for this request\*\*/,
  );
  assert.match(text, /kswapd/);
  const zone = (await client.pull(SEED)).filter((d) => d.range.start.line === 42);
  assert.equal(zone.length, 1);
  assert.equal(zone[0].severity, 4, 'a hint');
  assert.match(text, /```text\nfree █+░+\n/, 'a text gauge');
  assert.match(text, /Watermark check replayed/);
  assert.equal(hover?.range?.start.line, 42);
  assert.equal(hover?.range?.end.line, 43, 'the wrapped zone line is one target');
});

test('the wrapped half of a zone line hovers the same zone', async () => {
  const text = hoverText(await hoverAt(SEED, positionOf(seed, 'etables:25144kB')));
  assert.match(text, /Node 1 Normal/);
});

test('seed DMA lowmem_reserve: 3203 and 32183 pages, ratio 256, the formula with these numbers', async () => {
  const hover = await hoverAt(SEED, positionOf(seed, 'lowmem_reserve[]: 0 3203 32183 32183', 20));
  const text = hoverText(hover);
  assert.match(text, /lowmem_reserve\[\] of Node 0 DMA/);
  assert.match(text, /\| DMA32 \| 3203 \| 12\.5 \|/);
  assert.match(text, /\| Normal \| 32183 \| 125\.7 \|/);
  assert.match(text, /= \*\*256\*\*/);
  assert.match(text, /820016/, 'DMA32 present pages in the formula');
  assert.match(text, /3203/);
  assert.equal(hover?.range?.start.line, 36);
});

test('seed header: order 5 is 32 pages = 128 KiB; mode 0x4020 decodes to GFP_ATOMIC for the 3.4 era', async () => {
  const order = hoverText(await hoverAt(SEED, positionOf(seed, 'order:5', 6)));
  assert.match(order, /order 5\*\* = 2\^5 = 32 contiguous pages × 4 KiB = \*\*128 KiB\*\*/);
  assert.match(order, /Costly order/);
  assert.match(order, /3\.4\.24/);
  const mode = hoverText(await hoverAt(SEED, positionOf(seed, 'mode:0x4020', 7)));
  assert.match(mode, /mode 0x4020/);
  assert.match(mode, /GFP_ATOMIC/);
  assert.match(mode, /atomic/);
  assert.match(mode, /ALLOC_HARDER/);
  const header = hoverText(await hoverAt(SEED, positionOf(seed, 'page allocation failure')));
  assert.match(header, /Page allocation failure/);
  assert.match(header, /net_tx_action → tg3_start_xmit → skb_copy/);
});

test('buddy line: largest block and free memory at the failed order', async () => {
  const text = hoverText(await hoverAt(OOM, positionOf(oom, 'Node 0 DMA: 0*4kB', 12)));
  assert.match(text, /Free lists of Node 0 DMA/);
  assert.match(text, /largest free block: order 10 \(4 MiB\)/);
  assert.match(text, /free memory in blocks of order ≥ 0 \(the failed order\): 13312 kB/);
  assert.match(text, /\| 8 \| 1 MiB \| 1 \| U \|/);
});

test('Mem-Info counter: unit and meaning', async () => {
  const text = hoverText(await hoverAt(OOM, positionOf(oom, 'inactive_file:1865', 3)));
  assert.match(text, /\*\*inactive_file\*\*: 1865 pages = 7\.3 MiB/);
  assert.match(text, /page cache on the inactive LRU list/);
});

test('allocator frames say what the function is; other frames of the chain name the chain', async () => {
  const kmalloc = hoverText(await hoverAt(SEED, positionOf(seed, 'kmalloc_large_node+0x55', 3)));
  assert.match(kmalloc, /\*\*kmalloc_large_node\*\* — kmalloc for sizes above the largest slab cache/);
  const warn = hoverText(await hoverAt(SEED, positionOf(seed, 'warn_alloc_failed+0xeb')));
  assert.match(warn, /prints this report/);
  assert.equal(
    await hoverAt(SEED, positionOf(seed, 'cpu_idle+0x89')),
    null,
    'an idle-loop frame has nothing to explain',
  );
});

test('no hover outside reports', async () => {
  assert.equal(await hoverAt(OOM, { line: 0, character: 10 }), null);
});

test('a hostile log line renders as plain text in a hover', async () => {
  const uri = 'file:///logs/hostile.log';
  const evil =
    '[x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)<img src=x onerror=alert(1)>`tick`';
  const text = seed.replace('swapper/13: page allocation failure', `${evil}: page allocation failure`);
  await client.open(uri, text);
  const hover = await hoverAt(uri, positionOf(text, 'page allocation failure', 5));
  const raw = (hover?.contents as { value: string }).value;
  assert.ok(raw.length > 0);
  assert.ok(!raw.includes('](command:'), 'no link survives');
  assert.ok(!/(^|[^\\])<img/.test(raw), 'no HTML survives');
  assert.ok(!/(^|[^\\])`tick/.test(raw), 'no code span from the log');
  assert.ok(hoverText(hover).includes(evil), 'the text itself is shown');
});

test('the kernelRelease setting reaches the analysis of a log that prints no release', async () => {
  const configured = await TestClient.start({ settings: { kernelRelease: '2.6.32-431.el6.x86_64' } });
  try {
    const uri = 'file:///logs/rhel6';
    const text = fixture('026-syslog-rhel6-header-only-x5.log');
    await configured.open(uri, text);
    const mode = hoverText(
      await configured.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(text, 'mode:0x20', 6),
      }),
    );
    assert.match(mode, /2\.6\.32-431\.el6\.x86_64/);
  } finally {
    await configured.stop();
  }
  assert.equal(configured.errorOutput, '');
});
