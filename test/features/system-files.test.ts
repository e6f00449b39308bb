// Issue #15: hovers and diagnostics for the system's own files, on real ones
// (test/fixtures/system/README.md): a 6.18 machine's /proc/zoneinfo, /proc/buddyinfo and
// `sysctl -a`, a 2.6.14 zoneinfo, and a published CentOS 7 /etc/sysctl.conf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NO_CONTEXT,
  systemContext,
  systemDiagnostics,
  systemDocumentOf,
  systemFileKind,
  systemHover,
  type SystemDocument,
  type SystemFileKind,
} from '../../server/src/features/system-files';

const read = (name: string): string => readFileSync(join('test', 'fixtures', 'system', name), 'utf8');

const ZONEINFO = 'file:///case/sosreport-db1/proc/zoneinfo';
const BUDDYINFO = 'file:///case/sosreport-db1/proc/buddyinfo';
const SYSCTL_A = 'file:///case/sosreport-db1/sos_commands/kernel/sysctl_-a';
const SYSCTL_CONF = 'file:///case/sosreport-db1/etc/sysctl.conf';

function open(uri: string, name: string, kind: SystemFileKind): SystemDocument {
  return systemDocumentOf(uri, 1, read(name), kind);
}

const label = (uri: string): string => uri.replace('file:///case/sosreport-db1/', '');

/** The hover's Markdown with the escapes of text from the file undone, for matching. */
function md(doc: SystemDocument, line: number, character: number, ctx = NO_CONTEXT): string {
  const h = systemHover(doc, { line, character }, ctx);
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

function lineOf(doc: SystemDocument, starts: string, from = 0): number {
  const n = doc.lines.findIndex((l, i) => i >= from && l.startsWith(starts));
  if (n < 0) throw new Error(`no line ${starts}`);
  return n;
}

test('which files are system files: by name as /proc, sosreports and sysctl.d name them', () => {
  assert.equal(systemFileKind(ZONEINFO), 'zoneinfo');
  assert.equal(systemFileKind('file:///tmp/zoneinfo-6.18'), 'zoneinfo');
  assert.equal(systemFileKind(BUDDYINFO), 'buddyinfo');
  assert.equal(systemFileKind(SYSCTL_A), 'sysctl-a');
  assert.equal(systemFileKind('file:///x/sysctl_a'), 'sysctl-a');
  assert.equal(systemFileKind('file:///tmp/sysctl-a-6.18.txt'), 'sysctl-a');
  assert.equal(systemFileKind(SYSCTL_CONF), 'sysctl-conf');
  assert.equal(systemFileKind('file:///etc/sysctl.d/90-vm.conf'), 'sysctl-conf');
  assert.equal(systemFileKind('file:///tmp/x', 'linux-zoneinfo'), 'zoneinfo');
  assert.equal(systemFileKind('file:///var/log/messages'), null);
  assert.equal(systemFileKind('file:///src/zoneinfo.py'), null);
});

test('zoneinfo header hover: the watermark table in pages and kB, the state, protection, the sysctl beside it', () => {
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const sa = open(SYSCTL_A, 'sysctl-a-6.18.txt', 'sysctl-a');
  const ctx = systemContext(zi, [sa], label);
  const normal = lineOf(zi, 'Node 0, zone   Normal');
  const text = md(zi, normal, 16, ctx);
  assert.match(text, /^\*\*Node 0 Normal\*\* — above \*\*high\*\*: kswapd has nothing to do for this zone/);
  assert.match(
    text,
    /\| pages free \| 859849 \| 3439396 \|\n\| boost \| 0 \| 0 \|\n\| min \| 12223 \| 48892 \|\n\| low \| 15278 \| 61112 \|\n\| high \| 18333 \| 73332 \|\n\| promo \| 21388 \| 85552 \|/,
  );
  assert.match(text, /present 5505024 pages \(21 GiB\) · managed 2031616 pages \(7\.75 GiB\)/);
  assert.match(text, /vm\.min_free_kbytes = 67584 in sos_commands\/kernel\/sysctl_-a\./);
  assert.match(text, /kB with 4 kB pages/);
  const dma = md(zi, 0, 16, ctx);
  assert.match(
    dma,
    /keeps back 3018 pages \(11\.8 MiB\) from DMA32-class requests, 10954 pages \(42\.8 MiB\) from Normal-class requests/,
  );
});

test('zoneinfo protection: each column is lowmem_reserve against a class zone, with the check at min', () => {
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const text = md(zi, 63, 20);
  assert.match(text, /^\*\*protection: lowmem_reserve\[\] of Node 0 DMA\*\*/);
  assert.match(text, /setup_per_zone_lowmem_reserve/);
  assert.match(text, /\| DMA32 \| 3018 \| 12072 \| 3840 − 3018 > 23: passes \|/);
  assert.match(text, /\| Normal \| 10954 \| 43816 \| 3840 − 10954 ≤ 23: fails \|/);
  const dma32 = md(zi, lineOf(zi, '        protection: (0, 0, 7936'), 20);
  assert.match(dma32, /\| DMA \| 0 \| 0 \| cannot use this zone \|/);
  assert.match(dma32, /\| Normal \| 7936 \| 31744 \| 772848 − 7936 > 4649: passes \|/);
});

test('zoneinfo min: the share of min_free_kbytes, Σ min of the lowmem zones against sysctl -a', () => {
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const sa = open(SYSCTL_A, 'sysctl-a-6.18.txt', 'sysctl-a');
  const ctx = systemContext(zi, [sa], label);
  const min = lineOf(zi, '        min      12223');
  const text = md(zi, min, 10, ctx);
  assert.match(text, /^\*\*min\*\* of Node 0 Normal: 12223 pages \(47\.7 MiB\)/);
  assert.match(
    text,
    /Σ min − boost of the lowmem zones \(Node 0 DMA, Node 0 DMA32, Node 0 Normal\) = 16895 pages = \*\*67580 kB\*\*: vm\.min_free_kbytes/,
  );
  assert.match(text, /sos_commands\/kernel\/sysctl_-a says vm\.min_free_kbytes = 67584/);
  const low = md(zi, min + 1, 10, ctx);
  assert.match(
    low,
    /low − min = 3055 pages = min \/ 4: that quarter of min is the larger gap here; watermark_scale_factor 10 \(sos_commands\/kernel\/sysctl_-a: 10\) would give managed × 10 \/ 10000 = 2031 pages\./,
  );
  const free = md(zi, lineOf(zi, '  pages free     859849'), 4, ctx);
  assert.match(free, /^\*\*pages free\*\* of Node 0 Normal: 859849 pages \(3\.28 GiB\)/);
});

test("a 2.6.14 zoneinfo: old fields read, the pagesets' high: is not the watermark", () => {
  const zi = open('file:///lkml/zoneinfo', 'zoneinfo-2.6.14', 'zoneinfo');
  const high = md(zi, 4, 10);
  assert.match(high, /^\*\*high\*\* of Node 0 DMA: 25 pages \(100 KiB\)/);
  const normal = md(zi, lineOf(zi, 'Node 0, zone   Normal'), 15);
  assert.match(normal, /^\*\*Node 0 Normal\*\* — above \*\*high\*\*/);
  assert.match(normal, /\| pages free \| 11121 \| 44484 \|\n\| min \| 939 \| 3756 \|/);
  const highmem = md(zi, lineOf(zi, 'Node 0, zone  HighMem'), 15);
  assert.match(highmem, /at or below \*\*min\*\*/);
  const diags = systemDiagnostics(zi);
  assert.deepEqual(
    diags.map((d) => [d.range.start.line, d.severity, d.message]),
    [
      [
        55,
        2,
        'Node 0 HighMem: free 30 pages ≤ min 32: below the min watermark; only atomic/__GFP_HIGH requests and reclaimers allocate here',
      ],
    ],
  );
});

test('buddyinfo: the zone line as a table per order, one count as its blocks', () => {
  const bi = open(BUDDYINFO, 'buddyinfo-6.18', 'buddyinfo');
  const zone = md(bi, 2, 15);
  assert.match(
    zone,
    /^\*\*Node 0 Normal\*\* — 859833 pages \(3\.28 GiB\) free; largest free block: \*\*order 10\*\* \(4 MiB\)/,
  );
  assert.match(
    zone,
    /\| 9 \| 2 MiB \| 45 \| 92160 \| 2164736 \|\n\| 10 \| 4 MiB \| 506 \| 2072576 \| 2072576 \|/,
  );
  const count = md(bi, 2, 96);
  assert.match(
    count,
    /^\*\*506 free blocks of order 10\*\* in Node 0 Normal: 2\^10 = 1024 pages \(4 MiB\) each, 1\.98 GiB in all/,
  );
  const dma = md(bi, 0, bi.buddy[0].countStarts[8]);
  assert.match(dma, /^\*\*1 free block of order 8\*\*/);
  assert.deepEqual(systemDiagnostics(bi), []);
});

test('sysctl -a: each vm key explained with its range per release; values read', () => {
  const sa = open(SYSCTL_A, 'sysctl-a-6.18.txt', 'sysctl-a');
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const ctx = systemContext(sa, [zi], label);
  const wsf = lineOf(sa, 'vm.watermark_scale_factor');
  const key = md(sa, wsf, 5, ctx);
  assert.match(key, /^\*\*vm\.watermark_scale_factor\*\* — \/proc\/sys\/vm\/watermark_scale_factor/);
  assert.match(key, /default 10 = 0\.1 %/);
  assert.match(key, /\| 4\.6 \| 1 … 1000 \| 10 \|/);
  assert.match(key, /\| 5\.17 \| 1 … 3000 \| 10 \|/);
  assert.match(key, /Source: Documentation\/admin-guide\/sysctl\/vm\.rst watermark_scale_factor/);
  const ratio = lineOf(sa, 'vm.lowmem_reserve_ratio');
  const value = md(sa, ratio, 28, ctx);
  assert.match(value, /\| DMA \| 256 \| 1\/256 of the zones above it \|\n\| DMA32 \| 256 \|/);
  assert.match(value, /\| Movable \| 0 \| nothing \(protection off\) \|/);
  const mfk = md(sa, lineOf(sa, 'vm.min_free_kbytes'), 22, ctx);
  assert.match(mfk, /66 MiB kept free across the lowmem zones/);
  assert.match(mfk, /That is 0\.60 % of 10\.71 GiB RAM \(Σ managed pages of proc\/zoneinfo × 4 kB\)/);
  // sysctl -a is the running state: no "persisted" findings, and 5 ratio entries for 5 zones
  assert.deepEqual(systemDiagnostics(sa, ctx), []);
});

test('a published sysctl.conf: persisted vm.drop_caches, min_free_kbytes above 5 % of RAM', () => {
  const conf = systemDocumentOf(SYSCTL_CONF, 1, read('centos7-init/etc/sysctl.conf'), 'sysctl-conf');
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const alone = systemDiagnostics(conf, systemContext(conf, [], label));
  assert.deepEqual(
    alone.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.message]),
    [
      [
        37,
        0,
        2,
        'vm.drop_caches persisted: every boot and `sysctl --system` drops the page and slab caches, which are then re-read from disk; it is a one-shot action, not a setting (vm.rst drop_caches)',
      ],
    ],
  );
  const withRam = systemDiagnostics(conf, systemContext(conf, [zi], label));
  const mfk = withRam.find((d) => d.range.start.line === 33);
  assert.ok(mfk);
  assert.equal(mfk.severity, 2);
  assert.deepEqual(mfk.range, { start: { line: 33, character: 21 }, end: { line: 33, character: 28 } });
  assert.equal(
    mfk.message,
    'vm.min_free_kbytes = 1048576 kB is 9.3 % of RAM (11233216 kB, Σ managed pages of proc/zoneinfo × 4 kB): above about 5 % kswapd reclaims constantly and "setting this too high will OOM your machine" (vm.rst)',
  );
  const hover = md(conf, 37, 3);
  assert.match(hover, /^\*\*vm\.drop_caches\*\*/);
  assert.match(hover, /A one-shot action, not a setting/);
  const value = md(conf, 37, 18);
  assert.match(value, /Drops the clean page cache\./);
  // with the machine's /proc/meminfo open, its MemTotal is the RAM: 4.25 %, no finding
  const mi = open('file:///case/sosreport-db1/proc/meminfo', 'meminfo-6.18', 'meminfo');
  const withMeminfo = systemContext(conf, [zi, mi], label);
  assert.deepEqual(
    systemDiagnostics(conf, withMeminfo).map((d) => d.range.start.line),
    [37],
  );
  assert.match(
    md(conf, 33, 24, withMeminfo),
    /That is 4\.25 % of 23\.54 GiB RAM \(MemTotal of proc\/meminfo\)/,
  );
  assert.equal(systemFileKind('file:///case/sosreport-db1/proc/meminfo'), 'meminfo');
  assert.equal(systemHover(mi, { line: 0, character: 3 }), null);
  // `vm.vfs_cache_pressure=150` (no spaces) is read
  assert.match(md(conf, 36, 24), /^\*\*vm\.vfs_cache_pressure = 150\*\*/);
  // comments and other subsystems' keys give no diagnostics
  assert.equal(withRam.length, 2);
});

test('vm.lowmem_reserve_ratio with the wrong number of entries against the zones the system has', () => {
  const text =
    '# tuned\nvm.lowmem_reserve_ratio = 256 256 32 0 0 0 0\nvm.min_free_kbytes = 512\nvm.watermark_scale_factor = 5000\n';
  const conf = systemDocumentOf(SYSCTL_CONF, 1, text, 'sysctl-conf');
  const zi = open(ZONEINFO, 'zoneinfo-6.18', 'zoneinfo');
  const sa = open(SYSCTL_A, 'sysctl-a-6.18.txt', 'sysctl-a');
  const messages = (others: SystemDocument[]) =>
    systemDiagnostics(conf, systemContext(conf, others, label)).map((d) => [d.range.start.line, d.message]);
  assert.deepEqual(messages([zi]), [
    [
      1,
      'vm.lowmem_reserve_ratio has 7 entries; proc/zoneinfo shows 5 zones, so the kernel takes 5 (4.17+) or 4 (before 4.17): the extra ones are not taken',
    ],
    [
      2,
      'vm.min_free_kbytes = 512 kB is below 1024 kB: vm.rst warns the system "will become subtly broken, and prone to deadlock under high loads"',
    ],
    [3, 'vm.watermark_scale_factor = 5000 is outside 1 … 3000, which every kernel refuses (EINVAL)'],
  ]);
  assert.equal(
    messages([zi, sa])[0][1],
    'vm.lowmem_reserve_ratio has 7 entries; the kernel of sos_commands/kernel/sysctl_-a has 5 (one per zone): the extra ones are not taken',
  );
  assert.equal(
    messages([])[0][1],
    'vm.lowmem_reserve_ratio has 7 entries; a kernel has at most 6 zones (DMA, DMA32, Normal, HighMem, Movable, Device), one entry each',
  );
});

test('the hovers never let text from the file become markup', () => {
  const text = 'vm.swappiness = [x](command:evil) `y`\n';
  const conf = systemDocumentOf(SYSCTL_CONF, 1, text, 'sysctl-conf');
  const h = systemHover(conf, { line: 0, character: 20 });
  const value = (h?.contents as { value: string }).value;
  assert.equal(value, '**vm\\.swappiness = \\[x\\]\\(command\\:evil\\) \\`y\\`**');
});
