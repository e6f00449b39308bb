import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gauge, hover } from '../../server/src/features/hover';
import { CURSOR, withCursor } from './cursor';
import { at, docOf } from './helpers';
import { SAMPLE } from './sample';

function md(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

test('zone line: the conclusion first, then protection, gauge, table in kB and pages, replay', () => {
  const { doc, position } = at(SAMPLE, 'DMA32 free:6000kB', 6);
  const text = md(hover(doc, position));
  const [first, second] = text.split('\n\n');
  assert.equal(
    first,
    '**Node 0 DMA32** — below the **low** watermark · ✘ **fails this request**: enough free pages, but no free 32 KiB block',
  );
  assert.equal(
    second,
    '**Protection:** nothing held back from DMA32-class requests like this one (this is the class zone itself)',
  );
  assert.match(
    text,
    /\| free \| 6000 \| 1500 \|\n\| min \| 5000 \| 1250 \|\n\| low \| 6250 \| 1562 \|\n\| high \| 7500 \| 1875 \|/,
  );
  const order = ['**Protection:**', '```text', '| free |', '**Watermark check replayed'].map((s) =>
    text.indexOf(s),
  );
  assert.ok(order[0] > 0, 'has a protection line');
  assert.deepEqual(
    order,
    [...order].sort((x, y) => x - y),
    `sections in order: ${order}`,
  );
  assert.match(text, /no free block ≥ order 3/);
  // below low, its own diagnostic is only a hint (KLL011: no Problems row, not in VS Code's
  // hover), so the hover keeps the state after the numbers
  assert.match(text, /\n\n\*\*State:\*\* between min and low: .*kswapd is woken/);
});

test('DMA zone: its protection for this request in one line, the column marked on lowmem_reserve', () => {
  const zone = md(hover(...args(at(SAMPLE, 'Node 0 DMA free:', 3))));
  assert.match(
    zone,
    /^\*\*Node 0 DMA\*\* — above the high watermark · ✔ \*\*passes this request\*\*: enough free pages for this request\n\n\*\*Protection:\*\* 2970 pages held back from DMA32-class requests like this one — the zone passes even with it\n/,
  );
  assert.match(zone, /\*\*State:\*\* above high: no reclaim pressure on this zone/);
  const reserve = md(hover(...args(at(SAMPLE, 'lowmem_reserve[]: 0 2970', 18))));
  assert.match(
    reserve,
    /^\*\*lowmem_reserve\[\] of Node 0 DMA\*\* — the \*\*DMA32\*\* column applied to this request: 2970 pages held back — the zone passes even with it\n/,
  );
  assert.match(reserve, /\| DMA32 \| 2970 \| 11\.6 \| [^|]+ \| ← this request \|/);
  assert.equal(reserve.match(/← this request/g)?.length, 1);
  assert.match(reserve, /= \*\*256\*\* \(the kernel default\)/);
  assert.match(reserve, /managed pages/);
});

function args({ doc, position }: ReturnType<typeof at>): Parameters<typeof hover> {
  return [doc, position];
}

test('order and mode win over the header around them; the header names task and chain', () => {
  const order = md(hover(...args(at(SAMPLE, 'order:3', 6))));
  assert.match(order, /^\*\*order 3\*\* = 2\^3 = 8 contiguous pages × 4 KiB = \*\*32 KiB\*\*$/m);
  assert.match(order, /Not a costly order/);
  const mode = md(hover(...args(at(SAMPLE, 'mode:0x2080020', 5))));
  assert.match(mode, /\*\*mode 0x2080020\*\*/);
  assert.match(mode, /names printed by the kernel/);
  const header = md(hover(...args(at(SAMPLE, 'page allocation failure'))));
  assert.match(header, /\*\*Task:\*\* kworker\/0:1 \(pid 42\) · CPU 0 · \[?\s*100\.000000\]?/);
  assert.match(header, /net_rx_action → e1000_clean/);
});

test('the edge of a range: the character right after order:3 is still the header', () => {
  const { doc, position } = at(SAMPLE, ', mode:', 0);
  const end = hover(doc, position);
  const after = hover(doc, { ...position, character: position.character + 1 });
  assert.match(md(end), /order 3/, 'the end position belongs to the range');
  assert.match(md(after), /Page allocation failure/);
});

test('buddy line: largest block, nothing free at the failed order', () => {
  const text = md(hover(...args(at(SAMPLE, 'Node 0 DMA32: 1000*4kB', 8))));
  assert.match(text, /largest free block: order 1 \(8 KiB\)/);
  assert.match(text, /free memory in blocks of order ≥ 3 \(the failed order\): 0 kB/);
  assert.match(text, /\| 3 \| 32 KiB \| 0 \|  \| ← failed order \|/);
});

test('counters and frames', () => {
  assert.match(
    md(hover(...args(at(SAMPLE, 'slab_reclaimable:500', 2)))),
    /\*\*slab_reclaimable\*\*: 500 pages = 2 MiB\n\nslab caches the kernel can shrink/,
  );
  assert.match(
    md(hover(...args(at(SAMPLE, '__alloc_pages_nodemask+', 4)))),
    /the page allocator’s entry point/,
  );
  assert.match(
    md(hover(...args(at(SAMPLE, 'e1000_clean+', 2)))),
    /\*\*e1000_clean\*\* \[e1000\]\n\nPart of this report’s call chain/,
  );
  assert.equal(
    hover(...args(at(SAMPLE, 'dump_stack+', 2)))?.contents ? 'x' : null,
    'x',
    'an allocator-path frame',
  );
});

test('nothing to say outside a report or between targets', () => {
  const { text, position } = withCursor(
    `Apr 28 05:30:51 host kernel: e1000: eth0 NIC Link is ${CURSOR}Up\n` + SAMPLE,
  );
  assert.equal(hover(docOf(text), position), null);
  assert.equal(hover(...args(at(SAMPLE, 'Call Trace:', 2))), null);
});

test('the kernel-release setting decides the era of a log that prints none', () => {
  const noRelease = SAMPLE.replace(' Not tainted 4.9.0-8-amd64 #1', '');
  const i = noRelease.indexOf('order:3') + 6;
  const { text, position } = withCursor(noRelease.slice(0, i) + CURSOR + noRelease.slice(i));
  assert.match(md(hover(docOf(text, '3.10.0-693.el7.x86_64'), position)), /3\.10\.0-693\.el7\.x86_64/);
});

test('hostile text from the log is escaped', () => {
  const evil = SAMPLE.replace('kworker/0:1: page', '[a](command:x)<b>`c`: page');
  const { doc, position } = at(evil, 'page allocation failure');
  const raw = (hover(doc, position)?.contents as { value: string }).value;
  assert.ok(raw.includes('\\[a\\]\\(command\\:x\\)\\<b\\>\\`c\\`'), raw);
});

test('the gauge marks min, low and high under a bar of free memory', () => {
  const g = gauge({ freeKb: 50, minKb: 20, lowKb: 40, highKb: 100, gaugeText: 'x' });
  assert.equal(
    g,
    [
      '```text',
      'free █████████████████░░░░░░░░░░░░░░░░░░░░░░░',
      '            ↑      ↑                    ↑    ',
      '            min    low                  high',
      '```',
      'x',
    ].join('\n'),
  );
  assert.equal(gauge({ freeKb: null, minKb: 1, lowKb: 2, highKb: 3, gaugeText: '' }), null);
});

test('two buddy lines for one zone: each hover shows its own lists (the check read the first)', () => {
  const log = [
    'x: page allocation failure: order:7, mode:0x0',
    'Node 0 Normal free:1kB',
    'Node 0 Normal: 2*4kB 4*8kB',
    'Node 0 Normal: 6*4kB',
  ].join('\n');
  // this once threw `Cannot read properties of undefined (reading 'sizeKb')`
  const second = md(hover(...args(at(log, 'Node 0 Normal: 6*4kB', 3))));
  assert.match(second, /^\*\*Free lists of Node 0 Normal\*\*/);
  assert.match(second, /- largest free block: order 0 \(4 KiB\)/);
  assert.match(second, /- free memory in blocks of order ≥ 7 \(the failed order\): 0 kB/);
  assert.match(second, /\| 0 \| 4 KiB \| 6 \|/);
  const first = md(hover(...args(at(log, 'Node 0 Normal: 2*4kB', 3))));
  assert.match(first, /- largest free block: order 1 \(8 KiB\)/);
  assert.match(first, /\| 1 \| 8 KiB \| 4 \|/);
  assert.doesNotMatch(first, /\| 0 \| 4 KiB \| 6 \|/);
});

test('buddy line: the migrate-type legend is the era’s own (4.4+ here, 3.10–4.3 with a 3.10 release)', () => {
  const now = md(hover(...args(at(SAMPLE, 'Node 0 DMA32: 1000*4kB', 8))));
  assert.match(
    now,
    /Types: U unmovable, M movable, E reclaimable, H high-order atomic reserve, C CMA, I isolated\.$/,
  );
  const old = SAMPLE.replace('4.9.0-8-amd64', '3.10.0-1160.el7.x86_64');
  const before44 = md(hover(...args(at(old, 'Node 0 DMA32: 1000*4kB', 8))));
  assert.match(
    before44,
    /Types: U unmovable, E reclaimable, M movable, R reserve \(MIGRATE_RESERVE\), C CMA, I isolated\.$/,
  );
});

test('a counter in pages without a buddy line: 4 KiB pages are assumed and said so', () => {
  const noBuddy = SAMPLE.split('\n')
    .filter((l) => !/ Node 0 DMA(32)?: \d/.test(l))
    .join('\n');
  assert.match(
    md(hover(...args(at(noBuddy, 'slab_reclaimable:500', 2)))),
    /\*\*slab_reclaimable\*\*: 500 pages = 2 MiB \(4 KiB pages assumed\)/,
  );
});
