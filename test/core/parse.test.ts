// The parser on the seed (every number the design document reads by hand) and on each framing and
// era, including framings the corpus lacks, built here from real report lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog } from '../../server/src/core/parse';

const corpus = (name: string) => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const seedText = corpus('000-seed.log');

test('seed: header, task line rejoined across the wrap, call trace with IRQ context', () => {
  const { reports, framing } = parseLog(seedText);
  assert.equal(framing, 'syslog');
  assert.equal(reports.length, 1);
  const r = reports[0];
  assert.equal(r.kind, 'page_alloc_failure');
  assert.equal(r.line, 0);
  assert.equal(r.time, 'Apr 28 05:30:51');
  assert.equal(r.host, 'cztest');
  assert.equal(r.comm, 'swapper/13');
  assert.equal(r.pid, 0);
  assert.equal(r.order, 5);
  assert.deepEqual(r.gfp, { raw: '0x4020', printed: null });
  // `Not tainted 3.4.24-x86_64` / ` #3`: the release is read from the rejoined line.
  assert.equal(r.kernel, '3.4.24-x86_64');
  assert.equal(r.tainted, 'Not tainted');
  assert.deepEqual(r.orderRange, { startLine: 0, startChar: 68, endLine: 0, endChar: 75 });
  assert.equal(seedText.split('\n')[0].slice(68, 75), 'order:5');
  assert.equal(seedText.split('\n')[0].slice(r.gfpRange!.startChar, r.gfpRange!.endChar), 'mode:0x4020');
  const functions = r.callTrace.filter((f) => !f.unreliable).map((f) => f.function);
  assert.deepEqual(functions.slice(0, 6), [
    'warn_alloc_failed',
    '__alloc_pages_nodemask',
    'kmalloc_large_node',
    '__kmalloc_node_track_caller',
    '__alloc_skb',
    'skb_copy',
  ]);
  const netTx = r.callTrace.find((f) => f.function === 'net_tx_action')!;
  assert.equal(netTx.context, 'irq');
  assert.equal(r.callTrace.find((f) => f.function === 'cpu_idle')!.context, 'task');
  assert.equal(r.callTrace.filter((f) => f.unreliable).length, 5);
  assert.equal(r.endLine, 43);
});

test('seed: Mem-Info counters in pages, across the blank line', () => {
  const r = parseLog(seedText).reports[0];
  const counters = Object.fromEntries(r.counters.map((c) => [c.name, c.value]));
  assert.equal(counters.active_anon, 6434276);
  assert.equal(counters.free, 48236);
  assert.equal(counters.slab_reclaimable, 183007);
  assert.equal(counters.pagetables, 14374);
  assert.equal(r.memInfoLine, null, 'the seed elides the Mem-Info: line');
});

test('seed: four zones, three lowmem_reserve lines, wrapped zone lines rejoined', () => {
  const r = parseLog(seedText).reports[0];
  assert.deepEqual(
    r.zones.map((z) => [
      z.node,
      z.zone,
      z.line,
      z.freeKb,
      z.minKb,
      z.lowKb,
      z.highKb,
      z.presentKb,
      z.managedKb,
    ]),
    [
      [0, 'DMA', 35, 15920, 4, 4, 4, 15664, null],
      [0, 'DMA32', 37, 120772, 1612, 2012, 2416, 3280064, null],
      [0, 'Normal', 39, 36276, 14608, 18260, 21912, 29675520, null],
      [1, 'Normal', 42, 19976, 16260, 20324, 24388, 33030144, null],
    ],
  );
  assert.deepEqual(
    r.zones.map((z) => z.lowmemReserve),
    [[0, 3203, 32183, 32183], [0, 0, 28980, 28980], [0, 0, 0, 0], null],
  );
  // `kernel_stack:1304kB page` / `tables:30084kB`: one field again, and the fields after it.
  assert.equal(r.zones[2].fields.pagetables, 30084);
  assert.equal(r.zones[2].fields.pages_scanned, 2);
  assert.equal(r.zones[3].fields.pagetables, 25144);
  assert.equal(r.zones[0].allUnreclaimable, true);
  assert.equal(r.zones[2].allUnreclaimable, false);
  assert.deepEqual(r.zones[2].range, { startLine: 39, startChar: 31, endLine: 40, endChar: 95 });
  assert.equal(r.zones[3].range.endLine, 43);
  assert.deepEqual(r.zones[0].lowmemReserveRange, { startLine: 36, startChar: 33, endLine: 36, endChar: 70 });
  assert.equal(r.buddy.length, 0, 'the seed has no buddy lines');
});

test('buddy lines: counts, sizes, migrate letters, totals, page size (5.13 wrapped syslog)', () => {
  const r = parseLog(corpus('002-syslog-wrapped-5.13-webcontent.log')).reports[0];
  assert.equal(r.comm, 'Web Content');
  assert.equal(r.kernel, '5.13.14');
  assert.equal(r.nodemask, '(null)');
  assert.equal(r.suppressedBefore, 2);
  const normal = r.buddy.find((b) => b.zone === 'Normal')!;
  assert.equal(normal.orders.length, 11);
  assert.deepEqual(normal.orders[0], { count: 2676, sizeKb: 4, types: 'UME' });
  assert.deepEqual(normal.orders[6], { count: 78, sizeKb: 256, types: 'UM' });
  assert.deepEqual(normal.orders[7], { count: 0, sizeKb: 512, types: null });
  assert.equal(normal.totalKb, 335544);
  assert.equal(r.pageSizeKb, 4);
  assert.equal(r.zones[1].reservedHighatomicKb, 26624);
  assert.equal(r.zones[1].fields.free_pcp, 15980, '`free` / `_pcp:15980kB` rejoined');
  assert.equal(r.nodes[0].fields.anon_thp, 1335296, '`13352` / `96kB` rejoined');
  assert.equal(r.ramPages, 8229076);
  assert.equal(r.reservedPages, 147630);
  assert.equal(r.freeSwapKb, 18873080);
  assert.equal(r.totalSwapKb, 18874360);
  assert.equal(r.totalPagecachePages, 6409485);
  assert.deepEqual(r.hugepages[0], { line: 93, node: 0, total: 0, free: 0, surplus: 0, sizeKb: 2048 });
  const suppressed = parseLog(corpus('002-syslog-wrapped-5.13-webcontent.log')).suppressions;
  assert.deepEqual(
    suppressed.map((s) => [s.line, s.count, s.source]),
    [
      [3, 2, 'warn_alloc'],
      [114, 2, 'warn_alloc'],
    ],
  );
});

test('64 KiB pages (ppc64le vmalloc, 5.10): page size from the buddy line, vmalloc size', () => {
  const r = parseLog(corpus('009-dmesg-ppc64le-64k-vmalloc-5.10.log')).reports[0];
  assert.equal(r.kind, 'vmalloc_failure');
  assert.equal(r.vmallocBytes, 0);
  assert.equal(r.pageSizeKb, 64);
  assert.equal(r.cpuset, '/');
  assert.equal(r.memsAllowed, '0');
  assert.equal(r.callTrace[0].function, 'dump_stack');
  assert.equal(r.callTrace[0].unreliable, true, '`(unreliable)` after a ppc frame');
  assert.equal(r.callTrace.find((f) => f.function === 'siw_qp_modify')!.module, 'siw');
});

test('≤4.8 vmalloc: the caller line and the page-allocator header make one event', () => {
  const r = parseLog(corpus('029-bare-ppc64-4.6-boot-vmalloc-hash-table.log')).reports;
  assert.equal(r.length, 1);
  assert.equal(r[0].kind, 'vmalloc_failure');
  assert.equal(r[0].line, 1);
  assert.equal(r[0].vmallocAllocatedBytes, 4097114112);
  assert.equal(r[0].vmallocBytes, 17179934720);
  assert.equal(r[0].comm, 'swapper/0');
  assert.deepEqual(r[0].gfp, { raw: '0x2080020', printed: 'GFP_ATOMIC' });
});

test('OOM reports: 6.8 journal continuation lines, kill line, memory totals', () => {
  const r = parseLog(corpus('001-journal-oom-6.8-python.log')).reports[0];
  assert.equal(r.kind, 'oom_kill');
  assert.equal(r.oomScoreAdj, 0);
  assert.equal(r.kernel, '6.8.0-124-generic');
  assert.equal(r.cpu, 4);
  assert.equal(r.pid, 275224);
  const counters = Object.fromEntries(r.counters.map((c) => [c.name, c.value]));
  assert.equal(counters.active_file, 330, 'journal continuation line read as its own line');
  assert.equal(counters.kernel_misc_reclaimable, 0);
  assert.equal(counters.free, 32756);
  assert.equal(r.zones[0].boostKb, 0);
  assert.ok(r.killed, 'kill line found');
});

test('rsyslog #012 escapes split one physical line into kernel lines (RHEL 7 OOM)', () => {
  const r = parseLog(corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log')).reports[0];
  const counters = Object.fromEntries(r.counters.map((c) => [c.name, c.value]));
  assert.equal(counters.active_anon, 737874);
  assert.equal(counters.free, 21086);
  assert.equal(counters.free_cma, 0);
  assert.ok(r.counters.every((c) => c.line === 28));
  assert.equal(r.kernel, '3.10.0-693.el7.x86_64');
});

test('2.6 per-cpu lines and old SLUB report (2.6.32 dmesg)', () => {
  const { reports } = parseLog(corpus('011-dmesg-2.6.32-r8169-order0-slub.log'));
  assert.equal(reports[0].perCpu.length > 0, true);
  assert.deepEqual(reports[0].perCpu[0].high, 0);
  assert.equal(reports[0].ramPages, 2064368);
  const slub = reports[1];
  assert.equal(slub.kind, 'slub_failure');
  assert.deepEqual(slub.slub, {
    node: -1,
    cache: 'kmalloc-4096',
    objectSize: 4096,
    bufferSize: 4096,
    defaultOrder: 3,
    minOrder: 0,
  });
});

test('reflowed records: a zone name at the end of one line, free: on the next (4.9 arm)', () => {
  const r = parseLog(corpus('013-reflowed-arm32-rza1-4.9-order0-atomic.log')).reports[0];
  const normal = r.zones[0];
  assert.equal(normal.line, 63);
  assert.equal(normal.fields.bounce, 0);
  assert.equal(normal.fields.free_pcp, 24);
  assert.deepEqual(normal.lowmemReserve, [0, 0]);
  assert.equal(r.buddy[0].totalKb, 1492);
  assert.equal(r.buddy[0].orders[0].types, 'H');
});

test('interleaved SLUB reports from several CPUs inside a page allocation failure (bare)', () => {
  const { reports } = parseLog(corpus('004-bare-slub-interleaved-iommu-iova.log'));
  const alloc = reports.find((r) => r.kind === 'page_alloc_failure')!;
  assert.equal(alloc.comm, 'kworker/11:1H');
  assert.equal(alloc.memsAllowed, '0-1');
  assert.ok(alloc.callTrace.some((f) => f.function === 'alloc_iova'));
  assert.equal(alloc.suppressedBefore, 96);
  const slubs = reports.filter((r) => r.kind === 'slub_failure');
  assert.equal(slubs.length, 10);
  assert.equal(slubs[0].slub!.cache, 'iommu_iova');
  assert.equal(slubs[0].suppressedBefore, 66);
});

test('terminal-cut lines: `$` marks, one character lost, field names recovered (4.7)', () => {
  const r = parseLog(corpus('007-bare-oom-4.7-movable-screen-truncated.log')).reports[0];
  assert.equal(r.zones[1].managedKb, 508584);
  assert.equal(r.zones[2].managedKb, 1500964);
  assert.equal(r.zones[0].fields.slab_reclaimable, 0);
});

// Framings the corpus does not hold, built from the seed's real lines.
const seedPayloads = seedText.split('\n').map((l) => l.replace(/^Apr 28 05:30:51 \S+ kernel: ?/, ''));
const framings: [string, (payload: string, i: number) => string, string][] = [
  ['raw dmesg', (p, i) => `[ 1234.${String(100000 + i)}] ${p}`, 'raw-dmesg'],
  ['dmesg with caller ids', (p, i) => `[ 1234.${String(100000 + i)}][    C13] ${p}`, 'raw-dmesg'],
  ['dmesg -T', (p) => `[Tue Apr 28 05:30:51 2020] ${p}`, 'dmesg-T'],
  ['dmesg -x', (p) => `kern  :warn  : [ 1234.567890] ${p}`, 'dmesg-x'],
  ['/dev/kmsg', (p, i) => `4,${i},1234567890,-;${p}`, 'kmsg'],
  ['<4> level prefix', (p) => `<4>[ 1234.567890] ${p}`, 'kmsg'],
  ['RFC 5424', (p) => `<4>1 2020-04-28T05:30:51.000000+08:00 cztest kernel - - - ${p}`, 'rfc5424'],
  ['journalctl short-iso', (p) => `2020-04-28T05:30:51+0800 cztest kernel: ${p}`, 'syslog'],
  ['journalctl short-precise', (p) => `Apr 28 05:30:51.123456 cztest kernel: ${p}`, 'syslog'],
  ['journalctl short-monotonic', (p) => `[ 1234.567890] cztest kernel: ${p}`, 'journalctl'],
  ['journalctl short-monotonic --no-hostname', (p) => `[ 1234.567890] kernel: ${p}`, 'journalctl'],
  ['journalctl short-full', (p) => `Tue 2020-04-28 05:30:51 CST cztest kernel: ${p}`, 'syslog'],
  ['journalctl short-unix', (p) => `1588023051.123456 cztest kernel: ${p}`, 'syslog'],
  ['mail quoting', (p) => `> > Apr 28 05:30:51 cztest kernel: ${p}`, 'syslog'],
  ['forum quoting with bars', (p) => `| Apr 28 05:30:51 cztest kernel: ${p}`, 'syslog'],
  ['syslog-ng priority suffix', (p) => `Apr 28 05:30:51 cztest kernel: ${p} [kern.warning]`, 'syslog'],
  ['CRLF line ends', (p) => `Apr 28 05:30:51 cztest kernel: ${p}\r`, 'syslog'],
];

for (const [name, frame, framing] of framings) {
  test(`framing: ${name}`, () => {
    // Frame every kernel line; keep the seed's wrapped second halves and its `...` line bare.
    const lines = seedText.split('\n');
    const text = lines.map((raw, i) => (/^Apr 28/.test(raw) ? frame(seedPayloads[i], i) : raw)).join('\n');
    const parsed = parseLog(text);
    assert.equal(parsed.framing, framing);
    assert.equal(parsed.reports.length, 1);
    const r = parsed.reports[0];
    assert.equal(r.comm, 'swapper/13');
    assert.equal(r.kernel, '3.4.24-x86_64');
    assert.deepEqual(
      r.zones.map((z) => [z.zone, z.freeKb, z.minKb, z.fields.pagetables]),
      [
        ['DMA', 15920, 4, 0],
        ['DMA32', 120772, 1612, 2268],
        ['Normal', 36276, 14608, 30084],
        ['Normal', 19976, 16260, 25144],
      ],
    );
    assert.deepEqual(r.zones[1].lowmemReserve, [0, 0, 28980, 28980]);
  });
}

test('other daemons interleaved inside a report are skipped, not fatal', () => {
  const lines = seedText.split('\n');
  lines.splice(10, 0, 'Apr 28 05:30:51 cztest sshd[991]: Accepted publickey for root from 192.0.2.1');
  lines.splice(30, 0, 'Apr 28 05:30:51 cztest systemd[1]: Started Session 12 of user root.');
  const r = parseLog(lines.join('\n')).reports;
  assert.equal(r.length, 1);
  assert.equal(r[0].zones.length, 4);
  assert.equal(r[0].zones[0].line, 37);
});

test('2.6.18 OOM header and 2.6.9 decimal-offset frames', () => {
  const text = [
    'oom-killer: gfp_mask=0x201d2, order=0',
    '',
    'Call Trace: <ffffffff8015ba26>{__alloc_pages+789} <ffffffff8016fb29>{do_no_page+1142}',
    'Mem-info:',
    'DMA per-cpu:',
    'cpu 0 hot: high 0, batch 1 used:0',
    'DMA free:10716kB min:36kB low:44kB high:52kB active:0kB inactive:0kB present:10324kB pages_scanned:0 all_unreclaimable? yes',
    'lowmem_reserve[]: 0 3254 4012 4012',
  ].join('\n');
  const r = parseLog(text).reports;
  assert.equal(r.length, 1);
  assert.equal(r[0].kind, 'oom_kill');
  assert.equal(r[0].comm, null);
  assert.deepEqual(r[0].gfp, { raw: '0x201d2', printed: null });
  assert.equal(r[0].zones[0].freeKb, 10716);
  assert.deepEqual(r[0].zones[0].lowmemReserve, [0, 3254, 4012, 4012]);
  assert.deepEqual(
    r[0].callTrace.map((f) => [f.function, f.offset]),
    [
      ['__alloc_pages', '789'],
      ['do_no_page', '1142'],
    ],
  );
});

test('show_mem: a Mem-Info dump without a header (sysrq m) is its own report', () => {
  const text = [
    '[  100.000001] sysrq: Show Memory',
    '[  100.000002] Mem-Info:',
    '[  100.000003] active_anon:10 inactive_anon:20 isolated_anon:0',
    '[  100.000004] Node 0 DMA free:15360kB min:64kB low:80kB high:96kB present:15988kB managed:15360kB',
    '[  100.000005] lowmem_reserve[]: 0 2842 15787 15787 15787',
    '[  100.000006] 4194304 pages RAM',
  ].join('\n');
  const r = parseLog(text).reports;
  assert.equal(r.length, 1);
  assert.equal(r[0].kind, 'show_mem');
  assert.equal(r[0].line, 0);
  assert.equal(r[0].ramPages, 4194304);
  assert.equal(r[0].zones[0].managedKb, 15360);
});

test('4.10–4.14 allocation stall warning', () => {
  const text =
    '[  845.391202] kworker/0:1: page allocation stalls for 10028ms, order:0, mode:0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null)';
  const r = parseLog(text).reports;
  assert.equal(r.length, 1);
  assert.equal(r[0].kind, 'alloc_stall');
  assert.equal(r[0].stallMs, 10028);
  assert.equal(r[0].order, 0);
  assert.deepEqual(r[0].gfp, { raw: '0x14200ca', printed: 'GFP_HIGHUSER_MOVABLE' });
});

test('5.15+ vmalloc error header', () => {
  const text =
    '[ 9.1] modprobe: vmalloc error: size 8388608, page order 9, failed to allocate pages, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0';
  const r = parseLog(text).reports[0];
  assert.equal(r.kind, 'vmalloc_failure');
  assert.equal(r.comm, 'modprobe');
  // the size of this message is area->nr_pages * PAGE_SIZE, what was allocated before the failure
  // (mm/vmalloc.c 5.15 __vmalloc_area_node), not the size asked for
  assert.equal(r.vmallocBytes, null);
  assert.equal(r.vmallocAllocatedBytes, 8388608);
  assert.equal(r.vmallocStep, 'pages');
  assert.equal(r.order, 9);
  assert.equal(r.cpuset, '/');
});

test('two CPUs printing reports at once: printk caller ids keep them apart', () => {
  const a = seedPayloads.filter((p) => p && !p.startsWith('...'));
  const b = a.map((p) => p.replace('swapper/13', 'kswapd0').replace('free:120772kB', 'free:99999kB'));
  const lines: string[] = [];
  a.forEach((p, i) => {
    lines.push(`[ 10.${String(100000 + 2 * i)}][    C13] ${p}`);
    lines.push(`[ 10.${String(100001 + 2 * i)}][  T4242] ${b[i]}`);
  });
  const reports = parseLog(lines.join('\n')).reports;
  assert.deepEqual(
    reports.map((r) => [r.comm, r.line, r.zones.length, r.zones[1]?.freeKb]),
    [
      ['swapper/13', 0, 4, 120772],
      ['kswapd0', 1, 4, 99999],
    ],
  );
});

const extra = (name: string) => parseLog(readFileSync(join('test', 'fixtures', 'extra', name), 'utf8'));

test('RHEL 7 taint marker and a wrapped taint: release, pid, cpu still read', () => {
  const r = extra('006-quoted-tab-dmesg-wrapped-3.10-ceph-osd-ipoib-irq-then-slub-oldform.log').reports[0];
  assert.equal(r.kernel, '3.10.0-123.9.3.anchor.x86_64');
  assert.equal(r.pid, 9214);
  assert.equal(r.cpu, 0);
  assert.equal(r.tainted, 'Tainted: GF O');
  // `<EOI>  [<…>] ? sysret_audit+0x17/0x21`: the frame after the marker is task context.
  const sysret = r.callTrace.find((f) => f.function === 'sysret_audit')!;
  assert.equal(sysret.context, 'task');
  assert.equal(sysret.unreliable, true);
});

test('gmail wraps that dropped the space: lowmem_reserve, task line, kill line (RHEL 8)', () => {
  const r = extra('009-mail-wrapped-syslog-pager-truncated-rhel8-4.18-oom-tuned-hyperv.log').reports[0];
  assert.deepEqual(r.zones[0].lowmemReserve, [0, 3845, 15960, 15960, 15960]);
  assert.deepEqual(r.zones[1].lowmemReserve, [0, 0, 12114, 12114, 12114]);
  assert.equal(r.kernel, '4.18.0-240.10.1.el8_3.x86_64');
  assert.equal(r.pid, 1165);
  assert.equal(r.killed?.pid, 925);
  assert.equal(r.killed?.comm, 'firewalld');
});

test('RHEL 6 kill line with UID, syslog without host, `kernel:` prefix alone, \\x0a escapes', () => {
  assert.equal(
    extra('023-md-fence-syslog-rhel6-2.6.32-279-numa-oom-haproxy-killed-uid.log').reports[0].killed?.pid,
    20557,
  );
  const noHost = extra('010-blog-tab-indented-syslog-nohost-012-rhel7-3.10-order6-nf-conntrack.log')
    .reports[0];
  assert.equal(noHost.comm, 'exe');
  assert.equal(noHost.order, 6);
  assert.equal(noHost.host, null);
  assert.equal(noHost.zones[1].managedKb, 2884472, 'a wrap aligned under the message column is rejoined');
  const tagOnly = extra('013-mail-wrapped-kernel-prefix-4.10-fc26-oom-python-nodemask0.log').reports[0];
  assert.equal(tagOnly.kind, 'oom_kill');
  assert.equal(tagOnly.nodemask, '0');
  assert.equal(tagOnly.zones.length, 2);
  const escaped = extra('012-mail-wrapped-syslog-x0a-6.3.1-vmalloc-error-size0-qemu.log').reports[0];
  assert.equal(escaped.counters.length, 20);
});

test('vmemmap alloc failure, `sysrq: SysRq : Show Memory`, 2.6.24 doubled frames, HIGHMEM, s390', () => {
  const vmemmap = extra('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log').reports[0];
  assert.deepEqual(
    [vmemmap.kind, vmemmap.line, vmemmap.order, vmemmap.comm],
    ['page_alloc_failure', 1, 9, 'kworker/0:2'],
  );
  assert.equal(extra('015-md-fence-dmesg-T-4.4-sysrq-show-memory-32g.log').reports[0].line, 4);
  const old = extra('018-forum-md-masked-prefix-syslog-2.6.24-i386-highmem-oom-xorg-nvidia.log').reports[0];
  assert.equal(old.callTrace.length, 23);
  assert.equal(old.time, '430837.193448');
  assert.equal(old.highmemPages, 819200);
  const s390 = extra('020-quoted-syslog-2.6.28-s390x-oom-order2-basename-truncated.log').reports[0];
  assert.deepEqual([s390.kernel, s390.pid, s390.truncated], ['2.6.28', 30555, true]);
});

test('Android ylog prefix: sequence number, level, kernel stamp and wall clock peeled', () => {
  const reports = extra(
    '007-quoted-android-logcat-prefix-5.x-activitymanager-gfp-noio-then-slub.log',
  ).reports;
  assert.deepEqual(
    reports.map((r) => [r.kind, r.comm, r.buddy.length]),
    [
      ['page_alloc_failure', 'ActivityManager', 2],
      ['slub_failure', null, 0],
    ],
  );
});

test('OOM scope: the 5.x constraint line, the older memcg line; header punctuation per era', () => {
  const memcg = extra('008-dmesg-5.2-memcg-oom-leaker.log').reports[0];
  assert.equal(memcg.oomConstraint?.constraint, 'CONSTRAINT_MEMCG');
  assert.equal(memcg.oomConstraint?.global, false);
  assert.ok(memcg.oomConstraint?.memcg);
  const global = extra('022-syslog-5.13-hyperv-vmemmap-alloc-failure-order9-then-oom.log').reports[1];
  assert.equal(global.oomConstraint?.constraint, 'CONSTRAINT_NONE');
  assert.equal(global.oomConstraint?.global, true);
  const old = parseLog(corpus('016-dmesg-T-numa-node1-oom-abridged.log')).reports[0];
  assert.deepEqual(old.oomConstraint, {
    line: 2,
    constraint: null,
    memcg: 'host',
    taskMemcg: '/',
    global: false,
  });
  assert.equal(parseLog(corpus('011-dmesg-2.6.32-r8169-order0-slub.log')).reports[0].headerStyle, 'period');
  assert.equal(parseLog(seedText).reports[0].headerStyle, 'colon');
});
