// Issue #13 rules 7, 8, 9 and 11 on real reports: a suggestion names only sysctls the report's
// kernel has, with that kernel's range (kernel/eras.ts, from kernel/sysctl.c, mm/compaction.c and
// mm/page_alloc.c of each release); min_free_kbytes equal to khugepaged's recommendation is THP's
// value and a zone min one pageblock above its share a watermark boost; the advice follows the
// verdict; user-facing words cite the kernel, never the project's own documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allFixtureFiles } from './fixture-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, ReportSequence, type Analysed } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { eraRowFor, hasSysctl, TIMELINE } from '../../server/src/core/kernel/eras';
import { parseKernelRelease } from '../../server/src/core/kernel-version';
import { parseLog } from '../../server/src/core/parse';
import { eventJson } from '../../server/src/cli/json';
import { reportBlock, PLAIN, SysctlCollector } from '../../server/src/cli/text';
import { hover } from '../../server/src/features/hover';
import { diagnostics } from '../../server/src/features/diagnostics';
import { docOf } from '../features/helpers';

const v = (release: string) => parseKernelRelease(release)!;
const read = (dir: string, name: string) => readFileSync(join('test', 'fixtures', dir, name), 'utf8');
const report = (dir: string, name: string, i = 0): ReportAnalysis => analyzeText(read(dir, name)).reports[i];
const remedyOf = (a: ReportAnalysis, id: string) => a.remedies.find((r) => r.id === id);

// ---------------------------------------------------------------------------------------------
// Rule 7: the timeline's sysctl rows, checked against each release's source.
// ---------------------------------------------------------------------------------------------

test('rule 7: compaction (compact_memory, extfrag_threshold) from 2.6.35 (absent in 2.6.32 kernel/sysctl.c)', () => {
  for (const key of ['vm.compact_memory', 'vm.extfrag_threshold']) {
    assert.equal(hasSysctl(key, v('2.6.34')), false, key);
    assert.equal(hasSysctl(key, v('2.6.35')), true, key);
  }
  const ef = (r: string) => eraRowFor(v(r)).sysctls['vm.extfrag_threshold'];
  assert.deepEqual([ef('2.6.35').min, ef('2.6.35').max, ef('2.6.35').default], [0, 1000, 500]);
  // compaction_suitable reads the fragmentation index for every order up to 4.8, only for
  // order > PAGE_ALLOC_COSTLY_ORDER from 4.9 ("mm, compaction: restrict fragindex to costly orders").
  assert.deepEqual([ef('4.8.17').fragindexOrders, ef('4.9.0').fragindexOrders], ['all', 'costly']);
});

test('rule 7: THP from 2.6.38; watermark_scale_factor from 4.6, at most 1000 until 5.17 (3000), with the 5.15.58 and 5.10.186 backports', () => {
  assert.equal(hasSysctl('transparent_hugepage/defrag', v('2.6.37')), false);
  assert.equal(hasSysctl('transparent_hugepage/khugepaged', v('2.6.38')), true);
  assert.equal(hasSysctl('vm.watermark_scale_factor', v('4.5.7')), false);
  const max = (r: string) => eraRowFor(v(r)).sysctls['vm.watermark_scale_factor'].max;
  assert.deepEqual(
    ['4.6', '5.10.185', '5.10.186', '5.11', '5.15', '5.15.57', '5.15.58', '5.16.20', '5.17', '6.8'].map(max),
    [1000, 1000, 3000, 1000, 1000, 1000, 3000, 1000, 3000, 3000],
  );
  assert.equal(hasSysctl('vm.watermark_boost_factor', v('4.20')), false);
  assert.equal(hasSysctl('vm.watermark_boost_factor', v('5.0')), true);
  assert.equal(hasSysctl('vm.compaction_proactiveness', v('5.8.18')), false);
  assert.equal(eraRowFor(v('5.9')).sysctls['vm.compaction_proactiveness'].max, 100);
});

test('rule 7: zone_reclaim_mode is set to 1 at boot on large NUMA distances up to 3.15, never from 3.16', () => {
  const zrm = (r: string) => eraRowFor(v(r)).sysctls['vm.zone_reclaim_mode'];
  assert.deepEqual(
    ['2.6.32', '3.14.40', '3.15.10', '3.16', '4.9'].map((r) => zrm(r).bootSetsOnNuma),
    [true, true, true, false, false],
  );
  assert.deepEqual([zrm('3.14').default, zrm('3.16').default], [0, 0]);
  // Where each release documents them.
  assert.equal(eraRowFor(v('4.14.67')).sysctlDoc, 'Documentation/sysctl/vm.txt');
  assert.equal(eraRowFor(v('5.10.7')).sysctlDoc, 'Documentation/admin-guide/sysctl/vm.rst');
  assert.equal(TIMELINE.distros.el6.thp, true);
});

test('rule 7: a 2.6.32 kernel gets no extfrag_threshold, no watermark_scale_factor and no THP value (011)', () => {
  const a = report('corpus', '011-dmesg-2.6.32-r8169-order0-slub.log');
  assert.equal(a.era.release, '2.6.32-24-generic');
  assert.equal(remedyOf(a, 'extfrag_threshold'), undefined);
  assert.equal(remedyOf(a, 'watermark_scale_factor')?.sysctl, null);
  assert.equal(
    remedyOf(a, 'watermark_scale_factor')?.assessment,
    'vm.watermark_scale_factor exists from 4.6; this kernel (2.6.32-24-generic) does not have it.',
  );
  // Without THP (2.6.38) the suggestion is twice today's min, not khugepaged's 67584 kB.
  assert.equal(a.memory.thpRecommendedKb, null);
  assert.ok(
    a.memory.notes.includes(
      'transparent hugepages came in 2.6.38: this kernel has no THP value for min_free_kbytes',
    ),
  );
  const mfk = remedyOf(a, 'min_free_kbytes')?.sysctl;
  assert.deepEqual([mfk?.key, mfk?.value, mfk?.recommended], ['vm.min_free_kbytes', '22696', true]);
  assert.match(mfk?.comment ?? '', /\(Documentation\/sysctl\/vm\.txt; RHEL: 5–10 % of RAM\)/);
});

test('rule 7: the range each kernel takes: watermark_scale_factor 1…1000 on 5.13 (002), 1…3000 on 6.19 (019)', () => {
  const a513 = report('corpus', '002-syslog-wrapped-5.13-webcontent.log');
  const w513 = remedyOf(a513, 'watermark_scale_factor')?.sysctl;
  assert.equal(w513?.value, '20');
  assert.match(
    w513?.comment ?? '',
    /range 1…1000 on this kernel \(Documentation\/admin-guide\/sysctl\/vm\.rst\)$/,
  );
  const a619 = report('corpus', '019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  const w619 = remedyOf(a619, 'watermark_scale_factor')?.sysctl;
  assert.equal(w619?.value, '28');
  assert.match(w619?.comment ?? '', /range 1…3000 on this kernel/);
  // 4.17+ lowmem_reserve_ratio: Device is 0 (unlisted in sysctl_lowmem_reserve_ratio[]), and the
  // top zone's entry changes nothing (setup_per_zone_lowmem_reserve stops below it).
  const lrr = remedyOf(a619, 'lowmem_reserve_ratio')?.sysctl;
  assert.equal(lrr?.value, '256 128 32 0 0');
  assert.match(lrr?.comment ?? '', /Device 0 \(default; top zone: changes nothing\) = "256 256 32 0 0"/);
});

test('rule 7: zone_reclaim_mode on a 3.4 NUMA host says the kernel set 1 at boot (seed)', () => {
  const a = report('corpus', '000-seed.log');
  const zrm = remedyOf(a, 'zone_reclaim_mode')?.sysctl;
  assert.match(
    zrm?.comment ?? '',
    /# current value not in the log: default 0, but this kernel \(up to 3\.15\) sets 1 at boot when a node distance exceeds RECLAIM_DISTANCE; `cat \/proc\/sys\/vm\/zone_reclaim_mode` shows it/,
  );
  assert.match(
    zrm?.comment ?? '',
    /\(Documentation\/sysctl\/vm\.txt: "file servers … should be left disabled"\)/,
  );
});

test('rule 7: RHEL 7 carries the 3.16 change: the seed as a 3.10.0-1160.el7 kernel is not said to set 1 at boot', () => {
  assert.equal(TIMELINE.distros.el7.sysctls?.['vm.zone_reclaim_mode'].bootSetsOnNuma, false);
  const text = read('corpus', '000-seed.log').replaceAll('3.4.24-x86_64', '3.10.0-1160.el7.x86_64');
  const a = analyzeText(text).reports[0];
  assert.equal(a.era.distro, 'el7');
  assert.match(
    remedyOf(a, 'zone_reclaim_mode')?.sysctl?.comment ?? '',
    /# current value not in the log: default 0, and this kernel does not set it at boot \(the 3\.16 change "mm: disable zone_reclaim_mode by default"\)/,
  );
});

test('rule 7: no release printed: the releases the format fits decide, and the words say so (040)', () => {
  const a = report('corpus', '040-bare-2.6.10-nfsd-xfs-order4-mode0x50.log');
  assert.equal(a.era.release, null);
  assert.equal(
    remedyOf(a, 'watermark_scale_factor')?.assessment,
    'vm.watermark_scale_factor exists from 4.6; this kernel (release not printed; its format fits 2.6.31–2.6.37) does not have it.',
  );
});

// ---------------------------------------------------------------------------------------------
// Rule 8: the kernel's own values.
// ---------------------------------------------------------------------------------------------

test("rule 8: ppc64le 64 KiB pages: 180224 kB = 16 MiB pageblock × 1 zone × 11 is THP's value, not set by hand (009)", () => {
  const a = report('corpus', '009-dmesg-ppc64le-64k-vmalloc-5.10.log');
  assert.equal(a.memory.minFreeInferredKb, 180224);
  assert.equal(a.memory.pageblockKb, 16384);
  assert.equal(a.memory.thpRecommendedKb, 180224);
  assert.equal(a.memory.thpRecommendedText, 'pageblock 16384 kB × 1 populated zones × 11 = 180224 kB');
  assert.equal(
    a.memory.minFreeInterpretation,
    "the host runs THP's recommended value (transparent hugepages enabled)",
  );
});

test("rule 8: RHEL 6 backported THP: 90112 kB on a 2.6.32-279.el6 NUMA host is khugepaged's value (extra 023)", () => {
  const a = report('extra', '023-md-fence-syslog-rhel6-2.6.32-279-numa-oom-haproxy-killed-uid.log');
  assert.equal(a.era.distro, 'el6');
  assert.equal(a.memory.thpRecommendedKb, 90112);
  assert.equal(
    a.memory.minFreeInterpretation,
    "the host runs THP's recommended value (transparent hugepages enabled)",
  );
});

test('rule 8: arm64 6.9 without hugepages lines: 90108 kB fits the 4 MiB top-order pageblock × 2 zones × 11 (extra 073)', () => {
  const a = report('extra', '073-md-fences-prose-dmesg-T-6.9-orbstack-arm64-oom-kswapd0-no-node-prefix.log');
  assert.equal(a.memory.minFreeInferredKb, 90108);
  assert.equal(a.memory.pageblockKb, 4096);
  assert.equal(a.memory.thpRecommendedKb, 90112);
});

test('rule 8: a Normal min one pageblock above its share is a watermark boost on 5.13 (002)', () => {
  const a = report('corpus', '002-syslog-wrapped-5.13-webcontent.log');
  assert.equal(a.memory.minFreeInferredKb, 69628);
  assert.equal(a.memory.thpRecommendedKb, 67584);
  assert.equal(
    a.memory.minFreeInterpretation,
    "the host runs THP's recommended value (transparent hugepages enabled), plus a watermark boost of 1 pageblock (2048 kB) in Normal: " +
      "boost_watermark (5.0+, mm/page_alloc.c) raises a zone's min by a pageblock per fragmenting fallback, and kernels that print no boost: field include it in min",
  );
  assert.deepEqual(a.memory.minFreeBoost, { kb: 2048, zone: 'Normal' });
  // The suggestion starts from min_free_kbytes, not from the boosted sum.
  const mfk = remedyOf(a, 'min_free_kbytes')?.sysctl;
  assert.equal(mfk?.value, '135160');
  assert.match(
    mfk?.comment ?? '',
    /# current ≈ 67580 kB = Σ zone min 32 \+ 5052 \+ 64544 − the 2048 kB watermark boost in Normal \(the real value lies in 67580–67591 kB\)/,
  );
});

// ---------------------------------------------------------------------------------------------
// Rule 9: the advice follows the verdict.
// ---------------------------------------------------------------------------------------------

test('rule 9: a fragmentation OOM gets compaction advice, not "memory exhausted" (extra 028, 5.10 order 3)', () => {
  const a = report('extra', '028-mail-wrapped-kmsg-5.10-gki-android-movable-oom-order3.log');
  assert.equal(a.kind, 'oom_kill');
  assert.equal(a.verdict, 'fragmentation');
  assert.deepEqual(
    a.remedies.map((r) => [r.id, r.recommended, r.sysctl?.key ?? null, r.sysctl?.value ?? null]),
    [
      ['oom', false, null, null],
      ['compaction_proactiveness', true, 'vm.compaction_proactiveness', '40'],
      ['extfrag_threshold', false, null, null],
      ['compact_memory', false, null, null],
      ['vfs_cache_pressure', false, null, null],
    ],
  );
  const oom = remedyOf(a, 'oom')!;
  assert.equal(oom.title, 'Not memory exhaustion: no free block of the order the request needs');
  assert.match(oom.assessment, /no free block of order 3 \(32 KiB\)/);
  assert.doesNotMatch(oom.assessment, /more RAM\./);
  assert.match(
    remedyOf(a, 'compaction_proactiveness')?.sysctl?.comment ?? '',
    /range 0…100 on this kernel \(Documentation\/admin-guide\/sysctl\/vm\.rst\)/,
  );
  // 5.10 reads the fragmentation index only above order 3: the threshold decides nothing here.
  assert.match(
    remedyOf(a, 'extfrag_threshold')!.assessment,
    /^Not applicable: since 4\.9 compaction_suitable\(\)/,
  );
  assert.match(remedyOf(a, 'compact_memory')!.assessment, /`echo 1 > \/proc\/sys\/vm\/compact_memory`/);
});

test('rule 9: a page-allocation fragmentation verdict lists extfrag_threshold with its range (002, order 7)', () => {
  const a = report('corpus', '002-syslog-wrapped-5.13-webcontent.log');
  const ef = remedyOf(a, 'extfrag_threshold')?.sysctl;
  assert.deepEqual([ef?.key, ef?.value, ef?.recommended], ['vm.extfrag_threshold', '250', false]);
  assert.match(ef?.comment ?? '', /compaction_suitable, mm\/compaction\.c; range 0…1000 on this kernel/);
});

test('rule 9: undecidable verdicts name the missing input and how to get it', () => {
  const seed = report('corpus', '000-seed.log');
  assert.equal(seed.verdict, 'undecidable');
  const c = remedyOf(seed, 'collect_missing')!;
  assert.equal(seed.remedies[0], c);
  assert.equal(c.recommended, true);
  assert.match(
    c.assessment,
    /the buddy free lists .*`cat \/proc\/buddyinfo`.*`echo m > \/proc\/sysrq-trigger`/,
  );
  const noZones = report('corpus', '040-bare-2.6.10-nfsd-xfs-order4-mode0x50.log');
  assert.match(
    remedyOf(noZones, 'collect_missing')!.assessment,
    /the zone lines of the Mem-Info dump .*`echo m > \/proc\/sysrq-trigger` prints them for the present moment, and \/proc\/zoneinfo/,
  );
});

test('rule 9: an OOM whose header was cut, or whose zones were left out, is told which lines to find (extra 094, 031)', () => {
  const cut = report(
    'extra',
    '094-mail-qp-md-fence-journal-pager-chopped-4.10-i686-pae-oom-updatedb-header-no-order.log',
  );
  assert.equal(cut.verdict, 'undecidable');
  assert.equal(
    remedyOf(cut, 'collect_missing')?.assessment,
    'The verdict is undecidable from this report; it needs the whole header line (`… invoked oom-killer: gfp_mask=0x…, order=N`): it is in the kernel log before the call trace.',
  );
  // 5.8 dump_header's show_mem filters by the cpuset's nodes: node 4 holds only Movable, which this
  // GFP_HIGHUSER request may not use, so the verdict is decided (the OOM rules), nothing to collect
  const omitted = report('extra', '031-indented-bare-5.8-suse-oom-runc-bracket-comm-node4-movable-only.log');
  assert.equal(omitted.verdict, 'no_free_pages');
  assert.equal(remedyOf(omitted, 'collect_missing'), undefined);
});

test('rule 9 (and 4): a memcg OOM is told about its limit; a global OOM is not pointed at cgroups', () => {
  const memcg = report('extra', '008-dmesg-5.2-memcg-oom-leaker.log');
  assert.equal(
    remedyOf(memcg, 'oom')?.title,
    'Memory cgroup /leaker hit its memory limit: raise the limit, trim the workload or let it swap — no vm sysctl changes that',
  );
  const global = report('corpus', '001-journal-oom-6.8-python.log');
  assert.equal(global.verdict, 'no_free_pages');
  const oom = remedyOf(global, 'oom')!;
  assert.equal(oom.title, 'Memory exhausted: no watermark tuning helps');
  assert.doesNotMatch(oom.assessment, /cgroup/);
});

// ---------------------------------------------------------------------------------------------
// Rule 11: the words users read cite the kernel, never this project's documents.
// ---------------------------------------------------------------------------------------------

const PROJECT_DOCS =
  /design document|design doc\b|designOption|\boption [1-4]\b|ref §|reference §|§|kernel-memory\.md|product\.md/i;

test('rule 11: no CLI text/JSON, hover or diagnostic on any fixture cites the project’s own documents', () => {
  let checked = 0;
  for (const file of allFixtureFiles()) {
    const text = readFileSync(file, 'utf8');
    const items: Analysed[] = [];
    const seq = new ReportSequence((item) => items.push(item));
    const parsed = parseLog(text);
    parsed.reports.forEach((r, i) =>
      seq.push(r, parsed.banners ? (parsed.banners[i] ?? null) : parsed.kernelRelease),
    );
    seq.end();
    const sysctl = new SysctlCollector();
    const out: string[] = [];
    for (const item of items) {
      out.push(JSON.stringify(eventJson(item)));
      out.push(reportBlock(file, item, PLAIN));
      sysctl.add(file, item.analysis.line, item.analysis.sysctl);
    }
    out.push(sysctl.block([file]));
    const doc = docOf(text);
    for (const d of diagnostics(doc, { zoneDiagnostics: true })) {
      out.push(d.message);
      for (const r of d.relatedInformation ?? []) out.push(r.message);
    }
    for (const entry of doc.reports) {
      const { line, endLine } = entry.analysis;
      for (let l = line; l <= Math.min(endLine, line + 200); l++) {
        const h = hover(doc, { line: l, character: 2 });
        if (h) out.push((h.contents as { value: string }).value);
      }
    }
    for (const s of out) {
      const m = PROJECT_DOCS.exec(s);
      assert.equal(m, null, `${file}: ${m ? s.slice(Math.max(0, m.index - 80), m.index + 40) : ''}`);
    }
    checked++;
  }
  assert.ok(checked > 100, `only ${checked} fixtures`);
});
