// What the "Show Report" view draws (core/report-view-model.ts), on real logs: the seed (one
// order-5 GFP_ATOMIC failure on 3.4, no buddy lines), corpus 002 (an order-7 failure on 5.13 that
// the buddy lines show to be fragmentation, after `warn_alloc: 2 callbacks suppressed`) and corpus
// 004 (ten identical SLUB reports and a page allocation failure, 162 reports suppressed). Every
// number is the analysis's, in the units the view draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalysisJob, ReportSequence } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import {
  diskReportViewModel,
  reportViewModel,
  ReportViewCollector,
  selectReport,
  type ViewEntry,
} from '../../server/src/core/report-view-model';
import type { ReportViewModel } from '../../shared/protocol';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');

function analysed(text: string): { entries: ViewEntry[]; suppressions: { count: number }[] } {
  const job = new LogAnalysisJob(text);
  job.run(() => false);
  const { parsed, analysis } = job.result();
  return {
    entries: parsed.reports.map((report, i) => ({ report, analysis: analysis.reports[i] })),
    suppressions: parsed.suppressions,
  };
}

function view(text: string, want: { index?: number; line?: number } = {}): ReportViewModel {
  const { entries, suppressions } = analysed(text);
  return reportViewModel('file:///log', entries, suppressions, want);
}

test('seed: one point on a wall-clock axis, in the lane of its host and kind', () => {
  const m = view(corpus('000-seed.log'));
  assert.equal(m.reports, 1);
  assert.equal(m.suppressed, 0);
  assert.equal(m.timeline.axis, 'clock');
  assert.deepEqual(m.timeline.lanes, [
    {
      host: 'cztest',
      kind: 'page_alloc_failure',
      label: 'cztest · page allocation failure',
      reports: 1,
      suppressed: 0,
    },
  ]);
  assert.equal(m.timeline.omitted, 0);
  const [p] = m.timeline.points;
  assert.deepEqual(
    { ...p, x: undefined },
    {
      index: 0,
      line: 0,
      endLine: 43,
      lane: 0,
      time: 'Apr 28 05:30:51',
      x: undefined,
      group: 0,
      occurrence: 1,
      groupCount: 1,
      suppressedBefore: 0,
      verdict: 'undecidable',
      label:
        'Line 1, cztest Apr 28 05:30:51: page allocation failure by swapper/13, order 5 — fragmentation or a race: undecidable without buddy lists',
    },
  );
  // seconds within a leap year 2000 (the year is not printed): 28 April, 05:30:51
  assert.equal(p.x, Date.UTC(2000, 3, 28, 5, 30, 51) / 1000);
  assert.equal(m.selected, 0);
});

test('seed: verdict and actions on top, the request, the era', () => {
  const d = view(corpus('000-seed.log')).detail!;
  assert.equal(d.headline, 'swapper/13: page allocation failure: order:5, mode:0x4020');
  assert.equal(d.verdict, 'undecidable');
  assert.equal(d.verdictShort, 'fragmentation or a race: undecidable without buddy lists');
  assert.equal(
    d.request,
    'order-5 (128 KiB) GFP_ATOMIC in softirq (net_tx_action → tg3_start_xmit → skb_copy)',
  );
  assert.equal(d.era, 'release 3.4.24-x86_64 in the task line');
  assert.equal(d.pageSizeKb, 4);
  assert.equal(d.order, 5);
  assert.equal(d.sameAs, null);
  assert.deepEqual(
    d.actions.filter((a) => a.recommended).map((a) => [a.title, a.sysctl]),
    [
      ['Collect what the verdict needs', null],
      ['Raise vm.min_free_kbytes', 'vm.min_free_kbytes = 90112'],
      ['Upgrade the kernel', null],
      ['Reduce the network burst (rate, ring size, MTU)', null],
    ],
  );
  assert.equal(d.actions.length, 8);
  assert.deepEqual(d.buddy, [], 'the seed prints no buddy lines');
});

test('seed: a gauge per zone — free against min/low/high, the lowmem_reserve it had to leave', () => {
  const d = view(corpus('000-seed.log')).detail!;
  assert.deepEqual(
    d.zones.map((z) => [z.label, z.line, z.freeKb, z.minKb, z.lowKb, z.highKb, z.state, z.result]),
    [
      ['Node 0 DMA', 35, 15920, 4, 4, 4, 'ok', 'fail'],
      ['Node 0 DMA32', 37, 120772, 1612, 2012, 2416, 'ok', 'unknown'],
      ['Node 0 Normal', 39, 36276, 14608, 18260, 21912, 'ok', 'unknown'],
      ['Node 1 Normal', 42, 19976, 16260, 20324, 24388, 'below_low', 'unknown'],
    ],
  );
  // The request is Normal-class: lowmem_reserve[Normal] of DMA (32183 pages) and DMA32 (28980
  // pages), × 4 kB; the mark after ALLOC_HIGH and ALLOC_HARDER (min 403 pages → 152 in DMA32);
  // 2^5 − 1 = 31 pages of an order-5 request never count.
  assert.deepEqual(
    d.zones.map((z) => [z.reserveKb, z.markKb, z.notCountedKb, z.notCountedText]),
    [
      [128732, 4, 124, '2^5 − 1 = 31'],
      [115920, 608, 124, '2^5 − 1 = 31'],
      [0, 5480, 124, '2^5 − 1 = 31'],
      [0, 6100, 124, '2^5 − 1 = 31'],
    ],
  );
  assert.equal(d.zones[3].gaugeText, 'min 16260 kB < free 19976 kB ≤ low 20324 kB (348 kB short of low)');
  assert.deepEqual(
    d.zones.map((z) => [z.freeCmaKb, z.reservedHighatomicKb, z.skippedBecause]),
    [
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ],
    '3.4 prints neither free_cma nor reserved_highatomic',
  );
});

test('seed: the replayed watermark check as table rows, in pages', () => {
  const c = view(corpus('000-seed.log')).detail!.check;
  assert.equal(c.mark, 'min');
  assert.equal(c.era, '2.6');
  assert.equal(c.classzone, 'Normal');
  assert.equal(c.allocFlags, 'ALLOC_WMARK_MIN|ALLOC_HIGH|ALLOC_HARDER');
  assert.deepEqual(
    c.rows.map((r) => [
      r.zone,
      r.line,
      r.freePages,
      r.notCountedPages,
      r.markPages,
      r.reservePages,
      r.pass,
      r.result,
    ]),
    [
      ['Node 0 DMA', 35, 3980, 31, 1, 32183, false, 'fail'],
      ['Node 0 DMA32', 37, 30193, 31, 152, 28980, true, 'unknown'],
      ['Node 0 Normal', 39, 9069, 31, 1370, 0, true, 'unknown'],
      ['Node 1 Normal', 42, 4994, 31, 1525, 0, true, 'unknown'],
    ],
  );
  assert.equal(c.rows[0].markText, '1 − 1/2 = 1 (ALLOC_HIGH); 1 − 1/4 = 1 (ALLOC_HARDER)');
  assert.match(c.rows[0].explanation, /^Node 0 DMA: 3980 − 31 = 3949 ≤ 1 \+ 32183 = 32184 → fails/);
  assert.deepEqual(c.missing, ['buddy free lists (the per-order "Node N Zone: n*4kB …" lines)']);
});

test('fragmentation (corpus 002): buddy histograms with the requested order and usable migrate types', () => {
  const m = view(corpus('002-syslog-wrapped-5.13-webcontent.log'));
  assert.equal(m.reports, 1);
  // `warn_alloc: 2 callbacks suppressed` before the report (line 4) and again at the end (line 115)
  assert.equal(m.suppressed, 4);
  assert.equal(m.timeline.points[0].suppressedBefore, 2);
  assert.equal(m.timeline.lanes[0].suppressed, 2);
  const d = m.detail!;
  assert.equal(d.verdict, 'fragmentation');
  assert.equal(d.order, 7);
  assert.equal(d.check.era, '4.14');
  assert.deepEqual(
    d.buddy.map((b) => [
      b.label,
      b.line,
      b.requestedOrder,
      b.largestOrder,
      b.freeKbAtOrder,
      b.blockCheck?.available,
    ]),
    [
      ['Node 0 DMA', 83, 7, 10, 11264, true],
      ['Node 0 DMA32', 86, 7, 10, 40448, true],
      ['Node 0 Normal', 90, 7, 6, 0, false],
    ],
  );
  const normal = d.buddy[2];
  assert.deepEqual(
    normal.orders.map((o) => [o.order, o.sizeKb, o.count, o.freeKb]),
    [
      [0, 4, 2676, 10704],
      [1, 8, 1619, 12952],
      [2, 16, 5501, 88016],
      [3, 32, 2818, 90176],
      [4, 64, 867, 55488],
      [5, 128, 455, 58240],
      [6, 256, 78, 19968],
      [7, 512, 0, 0],
      [8, 1024, 0, 0],
      [9, 2048, 0, 0],
      [10, 4096, 0, 0],
    ],
  );
  assert.deepEqual(normal.orders[5].types, [
    { letter: 'U', usable: true },
    { letter: 'M', usable: true },
    { letter: 'E', usable: true },
  ]);
  assert.equal(
    normal.blockCheck?.text,
    'no free block ≥ order 7 on a list it may use (U/M/E/H); largest free block order 6 (256 kB); 0 kB free in blocks ≥ 512 kB',
  );
  assert.equal(
    normal.legend,
    'U unmovable, M movable, E reclaimable, H high-order atomic reserve, C CMA, I isolated',
  );
  // the zones: DMA and DMA32 are kept by lowmem_reserve, Normal passes the watermark but has no block
  assert.deepEqual(
    d.zones.map((z) => [z.label, z.freeKb, z.reserveKb, z.result, z.reservedHighatomicKb, z.freeCmaKb]),
    [
      ['DMA', 11264, 126024, 'fail', 0, 0],
      ['DMA32', 118884, 116592, 'fail', 26624, 0],
      ['Normal', 335220, 0, 'fail', 0, 0],
    ],
  );
  assert.deepEqual(
    d.check.rows.map((r) => [
      r.zone,
      r.freePages,
      r.notCountedPages,
      r.markPages,
      r.reservePages,
      r.pass,
      r.result,
    ]),
    [
      ['DMA', 2816, 127, 3, 31506, false, 'fail'],
      ['DMA32', 29721, 127, 474, 29148, false, 'fail'],
      ['Normal', 83805, 127, 6051, 0, true, 'fail'],
    ],
  );
});

test('a migrate type the request may not use is marked: H without ALLOC_HARDER, C without ALLOC_CMA', () => {
  // corpus 002's line with a constructed H list and an order-0 GFP_KERNEL request (4.14
  // __zone_watermark_ok: H only with ALLOC_HARDER, C only with ALLOC_CMA)
  const text = corpus('002-syslog-wrapped-5.13-webcontent.log')
    .replace('order:7, mode:0x40a20(GFP_ATOMIC|__GFP_COMP)', 'order:7, mode:0xcc0(GFP_KERNEL)')
    .replace(/78\*256kB \(UM\)/, '78*256kB (UMHC)');
  const d = view(text).detail!;
  const normal = d.buddy.find((b) => b.label === 'Node 0 Normal')!;
  assert.deepEqual(normal.orders[6].types, [
    { letter: 'U', usable: true },
    { letter: 'M', usable: true },
    { letter: 'H', usable: false },
    { letter: 'C', usable: false },
  ]);
});

test('timeline of corpus 004: lanes per kind, a repeat group of ten, 162 suppressed', () => {
  const m = view(corpus('004-bare-slub-interleaved-iommu-iova.log'));
  assert.equal(m.reports, 11);
  assert.equal(m.suppressed, 162);
  assert.equal(m.timeline.axis, 'line', 'bare lines have no time');
  assert.deepEqual(
    m.timeline.lanes.map((l) => [l.label, l.reports, l.suppressed]),
    [
      ['no host · SLUB allocation failure', 10, 66],
      ['no host · page allocation failure', 1, 96],
    ],
  );
  assert.deepEqual(
    m.timeline.points.map((p) => [
      p.index,
      p.line,
      p.lane,
      p.x,
      p.group,
      p.occurrence,
      p.groupCount,
      p.suppressedBefore,
    ]),
    [
      [0, 9, 0, 10, 0, 1, 10, 66],
      [1, 14, 0, 15, 0, 2, 10, 0],
      [2, 19, 0, 20, 0, 3, 10, 0],
      [3, 22, 0, 23, 0, 4, 10, 0],
      [4, 23, 0, 24, 0, 5, 10, 0],
      [5, 24, 0, 25, 0, 6, 10, 0],
      [6, 25, 0, 26, 0, 7, 10, 0],
      [7, 26, 0, 27, 0, 8, 10, 0],
      [8, 48, 0, 49, 0, 9, 10, 0],
      [9, 56, 1, 57, 9, 1, 1, 96],
      [10, 74, 0, 75, 0, 10, 10, 0],
    ],
  );
  // the cursor's line picks the report whose span holds it; a click picks by index
  assert.equal(view(corpus('004-bare-slub-interleaved-iommu-iova.log'), { line: 40 }).selected, 7);
  assert.equal(view(corpus('004-bare-slub-interleaved-iommu-iova.log'), { line: 55 }).selected, 9);
  assert.equal(view(corpus('004-bare-slub-interleaved-iommu-iova.log'), { index: 9 }).detail?.line, 56);
  assert.equal(view(corpus('004-bare-slub-interleaved-iommu-iova.log'), { line: 9999 }).selected, 10);
});

test('selectReport: index first, then the span holding the line, then the next report', () => {
  const points = [
    { index: 0, line: 3, endLine: 10 },
    { index: 1, line: 20, endLine: 30 },
  ];
  assert.equal(selectReport(points, { index: 1, line: 4 }, 2), 1);
  assert.equal(selectReport(points, { index: 7 }, 2), 0, 'an index out of range falls back');
  assert.equal(selectReport(points, { line: 10 }, 2), 0);
  assert.equal(selectReport(points, { line: 12 }, 2), 1);
  assert.equal(selectReport(points, { line: 0 }, 2), 0);
  assert.equal(selectReport([], {}, 0), null);
});

test('a file read from disk: the same timeline, a repeat shown with its group first detail', () => {
  const text = corpus('004-bare-slub-interleaved-iommu-iova.log');
  const collector = new ReportViewCollector(true);
  const parsed = parseLog(text);
  const sequence = new ReportSequence(({ report, analysis }) => collector.add({ report, analysis }));
  for (const r of parsed.reports) sequence.push(r, null);
  sequence.end();
  const timeline = collector.timeline();
  const disk = diskReportViewModel('file:///log', collector, timeline, parsed.suppressions, { index: 3 });
  const doc = view(text, { index: 3 });
  assert.equal(disk.source, 'disk');
  assert.deepEqual(disk.timeline, doc.timeline);
  assert.equal(disk.suppressed, 162);
  assert.equal(disk.selected, 3);
  assert.deepEqual(disk.detail?.sameAs, { index: 0, line: 9 });
  assert.equal(disk.detail?.verdictText, doc.detail?.verdictText);
  assert.equal(diskReportViewModel('file:///log', collector, timeline, [], { index: 9 }).detail?.line, 56);
});

test('a log without reports: an empty timeline and no detail', () => {
  const m = view('Apr 28 05:30:51 host kernel: eth0: link up\n');
  assert.equal(m.reports, 0);
  assert.deepEqual(m.timeline, { axis: 'line', lanes: [], points: [], omitted: 0 });
  assert.equal(m.selected, null);
  assert.equal(m.detail, null);
});
