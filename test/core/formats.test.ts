import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINE_FORMATS, classifyLine } from '../../server/src/core/formats';
import {
  ANCHOR_LOOKBEHIND_LINES,
  OPENERS,
  REPORT_ANCHORS,
  REPORT_OPENERS,
  parseLog,
} from '../../server/src/core/parse';

// LINE_FORMATS rows are the one description of a kernel line: recognition, section, whether it
// ends a report, and the reader. These tests hold each row to its own sample line.

test('every row has a sample line, and the sample is read as that row', () => {
  for (const [index, format] of LINE_FORMATS.entries()) {
    assert.equal(typeof format.sample, 'string', `${format.kind} has no sample`);
    const found = classifyLine(format.sample!);
    assert.equal(found?.kind, format.kind, `sample of ${format.kind}: ${format.sample}`);
    assert.equal(found?.format, index, `sample of ${format.kind} is read by row ${index}`);
  }
});

test('every row that can open a report is seen by an idle scanner and found by the skipping reader', () => {
  // header rows open a report (or, suppressed and the SysRq trigger, come right before one);
  // `Mem-Info:` opens a show_mem report
  const openers = LINE_FORMATS.filter((f) => f.section === 'header' || f.kind === 'mem_info');
  assert.deepEqual(
    openers.map((f) => f.kind),
    [
      'page_alloc_header',
      'alloc_stall_header',
      'vmalloc_header',
      'vmalloc_caller',
      'vmap_failed',
      'oom_header',
      'slub_header',
      'show_mem_trigger',
      'suppressed',
      'mem_info',
    ],
  );
  for (const format of openers) {
    const sample = format.sample!;
    assert.ok(OPENERS.test(sample), `${format.kind}: an idle scanner skips '${sample}'`);
    const anchored = REPORT_ANCHORS.some((a) => sample.includes(a));
    const entry = REPORT_OPENERS.find((o) => new RegExp(o.opens).test(sample));
    assert.ok(entry, `${format.kind}: no REPORT_OPENERS entry`);
    if (entry.lookbehind) {
      // found through the anchor of the line it heads, within the lookbehind
      assert.ok(!anchored && ANCHOR_LOOKBEHIND_LINES >= 1, format.kind);
      assert.ok(REPORT_ANCHORS.includes(entry.anchor), format.kind);
    } else {
      assert.ok(sample.includes(entry.anchor), `${format.kind}: '${entry.anchor}' not in '${sample}'`);
    }
  }
});

test('OPENERS and REPORT_ANCHORS come from REPORT_OPENERS (values as before the table)', () => {
  assert.equal(OPENERS.source, 'alloc|oom-killer|Mem-[Ii]nfo|suppressed|SLUB|Show Memory|Linux version');
  assert.deepEqual(REPORT_ANCHORS, ['alloc', 'oom-killer', 'Mem-', 'suppressed', 'Linux version', '\x1b']);
});

test("the rows that end a report: show_mem's swap totals and pages RAM, the OOM kill line", () => {
  const ends = LINE_FORMATS.filter((f) => f.ends !== undefined).map((f) => [f.kind, f.ends]);
  assert.deepEqual(ends, [
    ['swap', 'dump'],
    ['ram', 'dump'],
    ['oom_kill_line', 'oom'],
    ['oom_end', 'oom'],
  ]);
  // a page allocation failure ends at `pages RAM`: the next unrelated line closes it, and a frame
  // line after that is not read into it
  const log = [
    'swapper/0: page allocation failure: order:2, mode:0x104020',
    'CPU: 1 PID: 7283 Comm: stress Not tainted 4.15.0-55-generic #60-Ubuntu',
    'Call Trace:',
    ' dump_stack+0x63/0x8b',
    'Mem-Info:',
    '524157 pages RAM',
    'unrelated daemon line',
    ' warn_alloc+0x10a/0x1a0',
  ].join('\n');
  const [report] = parseLog(log).reports;
  assert.equal(report.ramPages, 524157);
  assert.equal(report.endLine, 5);
  assert.deepEqual(
    report.callTrace.map((f) => f.function),
    ['dump_stack'],
  );
});

test("body rows are read by their row's reader: one sample per section reaches the Report", () => {
  const samples = (kind: string): string => LINE_FORMATS.find((f) => f.kind === kind)!.sample!;
  const log = [
    samples('page_alloc_header'),
    samples('task'),
    samples('hardware'),
    samples('trace_start'),
    ' warn_alloc+0x10a/0x1a0',
    samples('mem_info'),
    samples('counters'),
    samples('node'),
    samples('zone'),
    samples('lowmem_reserve'),
    samples('buddy'),
    samples('hugepages'),
    samples('pagecache'),
    samples('swap'),
    samples('ram'),
  ].join('\n');
  const [report] = parseLog(log).reports;
  assert.equal(report.kind, 'page_alloc_failure');
  assert.equal(report.order, 2);
  assert.equal(report.pid, 7283);
  assert.equal(report.kernel, '4.15.0-55-generic');
  assert.equal(report.hardware, 'QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.10.2-1ubuntu1 04/01/2014');
  assert.deepEqual(
    report.callTrace.map((f) => f.function),
    ['warn_alloc'],
  );
  assert.equal(report.memInfoLine, 5);
  assert.deepEqual(
    report.counters.map((c) => [c.name, c.value]),
    [
      ['active_anon', 379769],
      ['inactive_anon', 1117],
      ['isolated_anon', 0],
    ],
  );
  assert.equal(report.nodes[0].fields.active_anon, 1519076);
  assert.equal(report.zones[0].zone, 'Normal');
  assert.equal(report.zones[0].minKb, 11280);
  assert.deepEqual(report.zones[0].lowmemReserve, [0, 1842, 1842, 1842]);
  assert.deepEqual(
    report.buddy[0].orders.map((o) => o.count),
    [45, 43, 1, 0],
  );
  assert.equal(report.hugepages[0].sizeKb, 2048);
  assert.equal(report.totalPagecachePages, 4312);
  assert.equal(report.freeSwapKb, 0);
  assert.equal(report.ramPages, 524157);
  assert.equal(report.endLine, 14);
});

test("values come from the row's own groups: the memcg of a ≤4.x memcg OOM, which `pages` line", () => {
  const log = [
    'stress invoked oom-killer: gfp_mask=0x24000c0, order=0, oom_score_adj=0',
    'Task in /docker/abc killed as a result of limit of /docker',
    'Mem-Info:',
    '131072 pages RAM',
    '4096 pages HighMem/MovableOnly',
    '2048 reserved pages',
    '12 pages shared',
    'Killed process 7283 (stress) total-vm:1052044kB, anon-rss:1026848kB, file-rss:4kB',
  ].join('\n');
  const [report] = parseLog(log).reports;
  assert.equal(report.kind, 'oom_kill');
  assert.deepEqual(
    [report.oomConstraint?.memcg, report.oomConstraint?.taskMemcg, report.oomConstraint?.line],
    ['/docker', '/docker/abc', 1],
  );
  assert.deepEqual([report.ramPages, report.highmemPages, report.reservedPages], [131072, 4096, 2048]);
  assert.equal(report.killed?.pid, 7283);
  // without `of …` the line is still the report's, with no constraint read from it
  const [cut] = parseLog(log.replace(' of /docker\n', '\n')).reports;
  assert.equal(cut.oomConstraint, null);
});
