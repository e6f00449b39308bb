// Issue #14, diagnostics: the report's message leads with the verdict and fits a Problems row
// (≤ 120 characters, the verdict's words within the first 100); the related information reads as
// words, not page arithmetic; a zone's diagnostic does not repeat what the report's says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { fitMessage, MESSAGE_MAX, MESSAGE_VERDICT_WITHIN } from '../../server/src/core/findings';
import { REPORT_CODE } from '../../server/src/core/codes';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import type { ReportKind } from '../../server/src/core/model';
import { allFixtureFiles } from './fixture-files';

const fixture = (path: string): ReportAnalysis[] =>
  analyzeText(readFileSync(join('test', 'fixtures', path), 'utf8')).reports;

/** The verdict's key words: its short text's opening (up to 60 characters, whole words), with a
 * token longer than 40 characters (a cgroup path the message shortens) left out. */
function keyWords(short: string): string[] {
  const words: string[] = [];
  let length = 0;
  for (const w of short.split(' ')) {
    if (length + w.length > 60) break;
    length += w.length + 1;
    if (w.length <= 40) words.push(w.toLowerCase());
  }
  return words;
}

test('every report of every fixture: ≤ 120 characters, one line, the verdict within the first 100', () => {
  const kinds = new Set<ReportKind>();
  let reports = 0;
  for (const file of allFixtureFiles()) {
    for (const a of analyzeText(readFileSync(file, 'utf8')).reports) {
      reports++;
      kinds.add(a.kind);
      const f = a.findings[0];
      assert.equal(f.code, REPORT_CODE[a.kind], `${file} line ${a.line + 1}: the report's finding first`);
      const m = f.message;
      assert.ok(m.length <= MESSAGE_MAX, `${file} line ${a.line + 1}: ${m.length} characters: ${m}`);
      assert.ok(!/\n/.test(m), `${file} line ${a.line + 1}: one line`);
      const opening = m.slice(0, MESSAGE_VERDICT_WITHIN).toLowerCase();
      const words = keyWords(a.verdictShort);
      assert.ok(words.length > 0, `${file} line ${a.line + 1}: a verdict in words`);
      for (const w of words)
        assert.ok(
          opening.includes(w),
          `${file} line ${a.line + 1}: "${w}" of "${a.verdictShort}" within the first 100: ${m}`,
        );
      // no page arithmetic in the related information
      for (const r of f.related)
        assert.doesNotMatch(r.message, /[−≤>] \d|= \d/, `${file} line ${a.line + 1}: ${r.message}`);
    }
  }
  assert.ok(reports > 150, `${reports} reports`);
  assert.deepEqual([...kinds].sort(), [
    'alloc_stall',
    'oom_kill',
    'page_alloc_failure',
    'show_mem',
    'slub_failure',
    'vmalloc_failure',
  ]);
});

test('seed: the verdict first, the request and each zone in words as related information', () => {
  const [a] = fixture('corpus/000-seed.log');
  assert.equal(
    a.findings[0].message,
    'order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists; Node 1 Normal below low watermark',
  );
  assert.deepEqual(
    a.findings[0].related.map((r) => [r.line, r.message]),
    [
      [0, 'the request: order-5 (128 KiB) GFP_ATOMIC in softirq (net_tx_action → tg3_start_xmit → skb_copy)'],
      [35, 'Node 0 DMA: held back by lowmem_reserve for Normal-class requests'],
      [
        37,
        'Node 0 DMA32: passes the watermark check; whether a free 128 KiB block was there is not printed (no buddy line)',
      ],
      [
        39,
        'Node 0 Normal: passes the watermark check; whether a free 128 KiB block was there is not printed (no buddy line)',
      ],
      [
        42,
        'Node 1 Normal: passes the watermark check; whether a free 128 KiB block was there is not printed (no buddy line)',
      ],
    ],
  );
  // The zone's diagnostic says the zone's own state, not what the request met there again.
  const zone = a.findings.find((f) => f.code === 'KLL011');
  assert.equal(
    zone?.message,
    'Node 1 Normal at or below its low watermark: min 16260 kB < free 19976 kB ≤ low 20324 kB (348 kB short of low). ' +
      'Between min and low: the fast path (low watermark) fails, so kswapd is woken to reclaim up to high; the slow path still allocates against min, so normal requests succeed.',
  );
});

test('corpus 001 OOM: the verdict, whom it killed, then the request; zones held back by lowmem_reserve', () => {
  const [a] = fixture('corpus/001-journal-oom-6.8-python.log');
  assert.equal(
    a.findings[0].message,
    'System OOM kill: memory exhausted; killed uvicorn (pid 3921); order-0 GFP_HIGHUSER_MOVABLE',
  );
  assert.deepEqual(
    a.findings[0].related.map((r) => [r.line, r.message]),
    [
      [
        3,
        'the request: order-0 (4 KiB) GFP_HIGHUSER_MOVABLE in python (do_user_addr_fault → do_read_fault → filemap_fault)',
      ],
      [52, 'Node 0 DMA: held back by lowmem_reserve for Movable-class requests'],
      [54, 'Node 0 DMA32: held back by lowmem_reserve for Movable-class requests'],
      [
        56,
        "Node 0 Normal: too few free pages: below the high watermark of the OOM killer's last attempt for this request",
      ],
    ],
  );
  const zone = a.findings.find((f) => f.code === 'KLL010');
  assert.ok(zone && !zone.message.includes('this request'), zone?.message);
});

test('extra 085 CMA: the CMA verdict first; the SLUB report after it in its own words', () => {
  const [atomic, slub] = fixture(
    'extra/085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log',
  );
  assert.equal(
    atomic.findings[0].message,
    // non-CMA memory was exhausted: __zone_watermark_ok leaves free CMA out without ALLOC_CMA (3.10)
    'order-0 GFP_ATOMIC failed: non-CMA memory was exhausted; the free memory was CMA, which only movable allocations may use',
  );
  assert.deepEqual(
    atomic.findings[0].related.map((r) => [r.line, r.message]),
    [
      [
        1,
        'the request: order-0 (4 KiB) GFP_ATOMIC in softirq (net_rx_action → fec_enet_rx_napi → build_skb)',
      ],
      [62, 'DMA: its free pages are CMA, which this request may not use'],
    ],
  );
  assert.equal(
    slub.findings[0].message,
    'SLUB: slab could not grow (kmalloc-192): the page allocation behind it failed; GFP_ATOMIC, node -1',
  );
});

test('corpus 034 page-fault OOM: no request, so no order or mask in the message', () => {
  const [a] = fixture('corpus/034-dmesg-i386-highmem-5.7-xorg-pagefault-oom-gfp0.log');
  assert.equal(
    a.findings[0].message,
    'System OOM kill: page-fault OOM (no allocation request to replay); all zones above high watermark',
  );
  assert.deepEqual(
    a.findings[0].related.map((r) => [r.line, r.message]),
    [
      [30, 'DMA: above its high watermark'],
      [32, 'Normal: above its high watermark'],
      [34, 'HighMem: above its high watermark'],
    ],
  );
});

test('fitMessage: the verdict whole, details while they fit, long tokens shortened', () => {
  assert.equal(fitMessage(['verdict', '', 'a', 'b '.repeat(100), 'c']), 'verdict; a; c');
  assert.equal(
    fitMessage([`memory cgroup /${'x'.repeat(60)}/leaf hit its limit`]),
    `memory cgroup /${'x'.repeat(19)}…${'x'.repeat(14)}/leaf hit its limit`,
  );
  const long = fitMessage([`${'word '.repeat(40)}end`]);
  assert.ok(long.length <= MESSAGE_MAX && long.endsWith('word…'), long);
});
