// The seed (corpus/000-seed.log, the design document's case) through parseLog and the kernel
// knowledge: era, GFP, order, context, verdict, summary, the sysctl suggestions and the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, renderReportText } from '../../server/src/core/analyze';

const seed = readFileSync(join('test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');
const analysis = analyzeText(seed);
const a = analysis.reports[0];

test('seed: one report, era from the release, GFP decoded for 3.4, order-5 = 128 KiB costly', () => {
  assert.equal(analysis.reports.length, 1);
  assert.equal(a.era.release, '3.4.24-x86_64');
  assert.equal(a.era.decidedBy, 'release');
  assert.equal(a.era.watermarkEra, '2.6');
  assert.equal(a.gfp?.text, 'GFP_ATOMIC|__GFP_COMP');
  assert.equal(a.gfp?.highestZone, 'Normal');
  assert.equal(a.gfp?.atomic, true);
  assert.equal(a.gfp?.allocFlags?.text, 'ALLOC_WMARK_MIN|ALLOC_HIGH|ALLOC_HARDER');
  assert.deepEqual(
    {
      order: a.order?.order,
      pages: a.order?.pages,
      bytes: a.order?.bytes,
      size: a.order?.sizeText,
      costly: a.order?.costly,
    },
    { order: 5, pages: 32, bytes: 131072, size: '128 KiB', costly: true },
  );
});

test('seed: context — softirq, the chain after the allocator, network driver tg3', () => {
  assert.equal(a.context.chainText, 'net_tx_action → tg3_start_xmit → skb_copy → kmalloc_large_node');
  assert.equal(a.context.callerText, 'net_tx_action → tg3_start_xmit → skb_copy');
  assert.equal(a.context.context, 'softirq');
  assert.equal(a.context.subsystem, 'network');
  assert.equal(a.context.driver, 'tg3');
  assert.deepEqual(a.repeat, {
    count: 1,
    suppressed: 0,
    firstTime: 'Apr 28 05:30:51',
    lastTime: 'Apr 28 05:30:51',
    spanSeconds: 0,
    duplicateOf: null,
    lines: [0],
  });
});

test('seed: zone states, replay and the undecidable verdict', () => {
  assert.deepEqual(
    a.zones.map((z) => z.state),
    ['ok', 'ok', 'ok', 'below_low'],
  );
  assert.deepEqual(
    a.replay.zones.map((z) => [z.zone, z.adjustedMinPages, z.reservePages, z.pass]),
    [
      ['DMA', 1, 32183, false],
      ['DMA32', 152, 28980, true],
      ['Normal', 1370, 0, true],
      ['Normal', 1525, 0, true],
    ],
  );
  assert.equal(a.verdict, 'undecidable');
  assert.equal(
    a.summary,
    'order-5 (128 KiB) GFP_ATOMIC allocation failed in softirq (net_tx_action → tg3_start_xmit → skb_copy): ' +
      'Node 1 Normal below low watermark; fragmentation or a race: undecidable without buddy lists',
  );
  assert.equal(a.memory.minFreeInferredKb, 32484);
  assert.equal(a.memory.minFreeDefaultKb, 32496);
});

test('seed: vm.min_free_kbytes = 90112, recommended, with its arithmetic', () => {
  const s = a.sysctl.find((x) => x.key === 'vm.min_free_kbytes');
  assert.ok(s);
  assert.equal(s.value, '90112');
  assert.equal(s.recommended, true);
  const lines = s.comment.split('\n');
  assert.ok(lines.every((l) => l.startsWith('# ')));
  assert.ok(
    lines.includes(
      "# current ≈ 32484 kB = Σ zone min 4 + 1612 + 14608 + 16260 (the real value lies in 32484–32499 kB); the kernel's default for this lowmem is 32496 kB",
    ),
  );
  assert.ok(
    lines.includes(
      "# value = max(2 × 32484 = 64968, THP's pageblock 2048 kB × 4 populated zones × 11 = 90112 kB) = 90112 kB, under the 3 % of RAM cap (1980041 kB of 62.9 GiB)",
    ),
  );
  assert.match(s.comment, /Node 1 Normal below low: min 16260 kB < free 19976 kB ≤ low 20324 kB/);
});

test("seed: the design document's four options are all reachable, each assessed", () => {
  const byId = new Map(a.remedies.map((r) => [r.id, r]));
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => a.remedies.filter((r) => r.designOption === n).map((r) => r.id)),
    [
      ['min_free_kbytes', 'lowmem_reserve_ratio'],
      ['zone_reclaim_mode'],
      ['upgrade_kernel'],
      ['network_rate'],
    ],
  );
  const lrr = byId.get('lowmem_reserve_ratio');
  assert.equal(lrr?.sysctl?.value, '256 128 32');
  assert.equal(lrr?.recommended, false);
  assert.match(lrr?.assessment ?? '', /shrinks the pool a Normal-class atomic request falls back to/);
  assert.match(lrr?.sysctl?.comment ?? '', /grows from 28980 to 57960 pages/);
  assert.match(
    lrr?.sysctl?.comment ?? '',
    /passes now \(30162 > 152 \+ 28980\) and would fail \(30162 ≤ 152 \+ 57960\)/,
  );
  const zrm = byId.get('zone_reclaim_mode');
  assert.equal(zrm?.sysctl?.value, '1');
  assert.equal(zrm?.recommended, false);
  assert.match(zrm?.sysctl?.comment ?? '', /cannot help this atomic request/);
  assert.equal(byId.get('upgrade_kernel')?.recommended, true);
  assert.equal(byId.get('network_rate')?.recommended, true);
  // No watermark_scale_factor line on 3.4 (4.6+), and never vm.drop_caches.
  assert.equal(byId.get('watermark_scale_factor')?.sysctl, null);
  assert.ok(!a.sysctl.some((x) => x.key === 'vm.drop_caches'));
  assert.deepEqual(
    a.sysctl.map((x) => [x.key, x.value, x.recommended]),
    [
      ['vm.min_free_kbytes', '90112', true],
      ['vm.lowmem_reserve_ratio', '256 128 32', false],
      ['vm.zone_reclaim_mode', '1', false],
    ],
  );
});

test('seed: findings — the report on its header line first, then the zone below low', () => {
  assert.deepEqual(
    a.findings.map((f) => [f.code, f.severity, f.line]),
    [
      ['KLL001', 'warning', 0],
      ['KLL011', 'hint', 42],
      ['KLL023', 'hint', 0],
    ],
  );
  assert.equal(
    a.findings[0].message,
    'order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists; Node 1 Normal below low watermark',
  );
  assert.deepEqual(
    a.findings[0].related.map((r) => r.line),
    [0, 35, 37, 39, 42],
  );
});

test('seed: the plain-text rendering says what an expert would say', () => {
  const text = renderReportText(a);
  assert.equal(
    text[0],
    'swapper/13: page allocation failure: order:5, mode:0x4020  (line 1, Apr 28 05:30:51, host cztest)',
  );
  const all = text.join('\n');
  for (const want of [
    'Call chain: net_tx_action → tg3_start_xmit → skb_copy → kmalloc_large_node',
    'Verdict: Undecidable without the buddy free lists',
    '  Node 1 Normal   19976  16260  20324  24388  below low',
    'Node 0 DMA32   30193 − 31 = 30162       403 → 152      28980  pass',
    'DMA[Normal] = present(DMA32 + Normal) / ratio = 820016 + 7418880 = 8238896 / 256 = 32183.19 → 32183 ✓',
    "⇒ the host runs the kernel's default (untuned)",
    'Impact: Usually survivable: the packet is dropped (or the copy skipped) and the stack recovers.',
    'vm.min_free_kbytes = 90112    [recommended]',
    'vm.lowmem_reserve_ratio = 256 128 32    [not recommended here]',
  ])
    assert.ok(all.includes(want), `missing: ${want}`);
});
