// One real log per verdict, through parseLog: the replay and verdict are what the numbers say.
import { test } from 'node:test';
import { extraLog } from './fixture-files';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';

const load = (name: string) => analyzeText(readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8'));

test('no_free_pages: 2.6.32 order-0 atomic, Normal below min, DMA/DMA32 held back by lowmem_reserve (011)', () => {
  const a = load('011-dmesg-2.6.32-r8169-order0-slub.log').reports[0];
  assert.equal(a.verdict, 'no_free_pages');
  assert.deepEqual(
    a.replay.zones.map((z) => [z.zone, z.freePages, z.adjustedMinPages, z.reservePages, z.pass]),
    [
      ['DMA', 3965, 3, 7852, false],
      ['DMA32', 5355, 388, 4986, false],
      ['Normal', 670, 675, 0, false],
    ],
  );
  assert.equal(a.context.chainText, 'net_rx_action → rtl8169_poll → rtl8169_rx_interrupt → new_slab');
  assert.equal(a.context.driver, 'r8169');
});

test('no_free_pages: 2.6 i386 with empty DMA32/HighMem zones printed (028)', () => {
  const a = load('028-syslog-wrapped-2.6-i386-r8169-bridge-order0.log').reports[0];
  assert.equal(a.verdict, 'no_free_pages');
  assert.deepEqual(
    a.zones.map((z) => z.empty),
    [false, true, false, true],
  );
});

test('fragmentation: 5.13 order-7 atomic, Normal passes but has no 512 kB block, DMA32 reserved (002)', () => {
  const a = load('002-syslog-wrapped-5.13-webcontent.log').reports[0];
  assert.equal(a.verdict, 'fragmentation');
  assert.deepEqual(
    a.replay.zones.map((z) => [
      z.zone,
      z.adjustedMinPages,
      z.reservePages,
      z.pass,
      z.orderBlocks?.available ?? null,
    ]),
    [
      ['DMA', 3, 31506, false, true],
      ['DMA32', 474, 29148, false, true],
      ['Normal', 6051, 0, true, false],
    ],
  );
  assert.equal(
    a.summary,
    // rule 10: DMA and DMA32 fail the watermark check itself (lowmem_reserve), named beside the
    // fragmentation verdict (audit-b D16)
    "order-7 (512 KiB) GFP_ATOMIC allocation failed in Web Content (optimized_callback → p_wake_up_new_task_entry → p_dump_task_f): all allowed zones above high watermark by their own counts, yet DMA, DMA32 fail this request's check; likely fragmentation",
  );
  assert.equal(a.repeat.suppressed, 2);
  const cp = a.sysctl.find((s) => s.key === 'vm.compaction_proactiveness');
  assert.equal(cp?.recommended, true);
});

test('fragmentation: 5.10 mips GFP_KERNEL order-5, the only big blocks are CMA (005)', () => {
  const a = load('005-dmesg-mips32-highmem-5.10-go.log').reports[0];
  assert.equal(a.verdict, 'fragmentation');
  assert.match(a.verdictText, /the larger blocks are CMA \(C\) only/);
  assert.equal(a.replay.zones[1].usable, false);
});

test('no_free_pages: 4.9 order-0 atomic with every free block in the highatomic reserve (013)', () => {
  const a = load('013-reflowed-arm32-rza1-4.9-order0-atomic.log').reports[0];
  // rule 10 (audit N9): the zone check is 'fail' (no page it may take), and so is the verdict
  assert.equal(a.verdict, 'no_free_pages');
  assert.equal(a.replay.zones[0].pass, true);
  assert.ok(a.findings.some((f) => f.code === 'KLL022'));
});

test('undecidable: the seed lacks buddy lines; reports without zone lines say so (026)', () => {
  const a = load('026-syslog-rhel6-header-only-x5.log');
  assert.deepEqual(
    a.reports.map((r) => r.verdict),
    Array(5).fill('undecidable'),
  );
  assert.match(a.reports[0].verdictText, /no zone lines/);
  // Four identical swapper reports are grouped; glusterfsd stands alone.
  assert.deepEqual(
    a.reports.map((r) => [r.repeat.count, r.repeat.duplicateOf]),
    [
      [1, null],
      [4, null],
      [1, 1],
      [1, 1],
      [1, 1],
    ],
  );
  assert.equal(a.reports[1].repeat.spanSeconds, 285601);
});

test('not_applicable: a 0-byte vmalloc is rejected before any page is allocated (009, 64 kB pages)', () => {
  const a = load('009-dmesg-ppc64le-64k-vmalloc-5.10.log').reports[0];
  assert.equal(a.verdict, 'not_applicable');
  assert.equal(a.memory.pageSizeKb, 64);
  assert.equal(a.sysctl.length, 0);
});

test('OOM kills: zones exhausted, min_free_kbytes explained by THP (001, 031)', () => {
  const a = load('001-journal-oom-6.8-python.log').reports[0];
  assert.equal(a.verdict, 'no_free_pages');
  assert.equal(a.replay.classzone, 'Movable'); // 5.10+: gfp_zone() itself
  assert.equal(
    a.memory.minFreeInterpretation,
    "the host runs THP's recommended value (transparent hugepages enabled)",
  );
  assert.equal(a.findings[0].code, 'KLL002');
  assert.equal(a.findings[0].severity, 'error');
  const b = load('031-rsyslog-012-rhel7-3.10-oom-mysqld.log').reports[0];
  assert.equal(b.verdict, 'no_free_pages');
  assert.equal(b.era.distro, 'el7');
});

test('every corpus file analyses without error, one analysis per parsed report', () => {
  const index = JSON.parse(readFileSync(join('test', 'fixtures', 'corpus', 'INDEX.json'), 'utf8')) as {
    file: string;
  }[];
  for (const { file } of index) {
    const a = load(file);
    for (const r of a.reports) {
      assert.ok(r.summary.length > 0, file);
      assert.equal(r.findings[0].line, r.line, file);
      assert.ok(!r.sysctl.some((s) => s.key === 'vm.drop_caches'), file);
    }
  }
});

test('context from the entry frame: hard interrupt (028), NAPI softirq behind stale frames (039), <IRQ> only (017)', () => {
  assert.equal(
    load('028-syslog-wrapped-2.6-i386-r8169-bridge-order0.log').reports[0].context.context,
    'hardirq',
  );
  assert.equal(
    load('039-bare-2.6.9-nfsd-e1000-xfs-order0-shell-prompt.log').reports[0].context.context,
    'softirq',
  );
  assert.equal(
    load('017-syslog-kern.warning-suffix-2.6.31-nfsd-order4.log').reports[0].context.context,
    'interrupt',
  );
});

test('m68k: entry.S inthandler → process_int is a hard interrupt (extra 034, 2.6.7 Amiga)', () => {
  const text = extraLog('034-pipe-quoted-2.6.7-m68k-amiga-order0-header-trace-only.log');
  const r = analyzeText(text).reports[0];
  assert.equal(r.comm, 'cp');
  assert.equal(r.context.context, 'hardirq');
  assert.equal(r.context.driver, 'ariadne');
});
