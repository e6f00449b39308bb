// Issue #18 "who held the memory": the OOM killer's task table (mm/oom_kill.c dump_tasks, every
// release's columns), the victim with its oom_score_adj and its printed or derived score, the
// tasks oom_score_adj -1000 keeps out, swap and the memcg's memory.stat, on real reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extraLog } from './fixture-files';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { classifyLine, LINE_FORMATS } from '../../server/src/core/formats';
import { renderReportText } from '../../server/src/core/render-text';
import { eraRowFor } from '../../server/src/core/kernel/eras';
import { version } from '../../server/src/core/kernel-version';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import type { OomAnalysis } from '../../server/src/core/oom-analysis';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const oomOf = (text: string): { a: ReportAnalysis; oom: OomAnalysis } => {
  const a = analyzeText(text).reports.find((r) => r.kind === 'oom_kill');
  assert.ok(a, 'an OOM report');
  assert.ok(a.oom, 'its OOM model');
  return { a, oom: a.oom };
};
const top = (o: OomAnalysis) => o.top.map((c) => [c.pid, c.name, c.rssBytes]);
const MiB = 1024 * 1024;

const F072 = '072-md-fence-journal-cat-pager-chopped-6.12-rpi-zero2w-oom-cron-rss_anon.log';
const F098 = '098-syslog-5.15-azure-aks-memcg-v2-oom-stress-ng-memory-stat.log';

test('6.12 table with rss_anon rss_file rss_shmem (extra/072): rows, top consumers, sum against RAM, derived score', () => {
  const text = extraLog(F072);
  const r = parseLog(text).reports.find((x) => x.kind === 'oom_kill')!;
  const t = r.taskTable!;
  assert.deepEqual(t.columns, [
    'uid',
    'tgid',
    'total_vm',
    'rss',
    'rss_anon',
    'rss_file',
    'rss_shmem',
    'pgtables_bytes',
    'swapents',
    'oom_score_adj',
    'name',
  ]);
  assert.equal(t.tasks.length, 31);
  const python = t.tasks.find((x) => x.pid === 1019)!;
  assert.deepEqual(
    [python.rssPages, python.rssAnonPages, python.rssFilePages, python.rssShmemPages, python.swapents],
    [138, 116, 22, 0, 32640],
  );
  assert.deepEqual(r.killedTail, { uid: 1000, pgtablesKb: 1156, oomScoreAdj: 0 });

  const { oom } = oomOf(text);
  assert.equal(oom.table, 'printed');
  assert.deepEqual(top(oom).slice(0, 3), [
    [996, 'python', 125161472],
    [1025, 'python', 52088832],
    [1019, 'python', 565248],
  ]);
  // pid 1019 holds 552 KiB of RAM but 128 MiB of swap: oom_badness counts swap, so it ranks third
  assert.equal(oom.top[2].swapBytes, 133693440);
  assert.equal(oom.top[0].rssAnonBytes, 125161472);
  assert.equal(oom.sumRssBytes, 197296128);
  assert.equal(oom.sumSwapBytes, 552468480);
  assert.deepEqual(oom.against, { what: 'RAM', bytes: 448 * MiB, source: 'pages RAM' });
  const v = oom.victim!;
  assert.deepEqual(
    [v.pid, v.name, v.rssBytes, v.oomScoreAdj, v.adjSource, v.rank, v.biggest],
    [996, 'python', 125161472, 0, 'kill line', 1, true],
  );
  // 6.12 oom_badness: 30557 rss + 31936 swapents + 1183744 / 4096 = 289 page-table pages
  assert.equal(v.score?.how, 'derived');
  assert.equal(v.score?.points, 30557 + 31936 + 289);
  assert.equal(oom.totalPages?.pages, 213013);
  assert.equal(v.score?.score, Math.floor((62782 * 1000) / 213013));
  assert.match(
    v.score!.text,
    /^derived from the task table: rss \+ swapents \+ pgtables_bytes \/ PAGE_SIZE = 62782 pages \(mm\/oom_kill\.c oom_badness/,
  );
  assert.equal(
    oom.headline,
    'victim: python (pid 996) — the biggest consumer, 119 MiB rss of 448 MiB RAM (27 %); all 31 tasks: 188 MiB rss (42 %)',
  );
  assert.deepEqual(oom.byName[0], { name: 'python', tasks: 6, rssBytes: 187805696 });
  assert.equal(oom.protectedCount, 2);
  assert.deepEqual(
    oom.protected.map((c) => [c.pid, c.name, c.points]),
    [
      [324, 'systemd-udevd', null],
      [885, 'sshd', null],
    ],
  );
  assert.deepEqual(oom.swap, {
    totalKb: 425980,
    freeKb: 0,
    usedKb: 425980,
    cachePages: 292,
    cacheBytes: 292 * 4096,
  });
  assert.deepEqual(oom.missing, []);
});

test('6.16 rss_anon table (extra/060): the victim holds 80 % of RAM, derived score 834', () => {
  const { oom } = oomOf(extraLog('060-mail-bare-chopped-header-6.16-oom-sh-no-alloc-info-rss_anon.log'));
  assert.deepEqual(top(oom), [
    [171, 'sh', 1712635904],
    [105, 'systemd-udevd', 4108288],
  ]);
  assert.equal(oom.top[1].rssShmemBytes, 601 * 4096);
  // totalpages is totalram_pages (managed pages) + total swap: `524158 pages RAM` less
  // `22064 pages reserved` (6.x __show_mem: reserved = Σ present − managed) = 502094 pages, so
  // 418958 × 1000 / 502094 = 834 (an expert replay; 799 divided by the present pages)
  assert.equal(oom.victim?.score?.score, 834);
  assert.equal(oom.victim?.score?.points, 418958);
  assert.match(
    oom.victim?.score?.text ?? '',
    /502094 pages: RAM \(`pages RAM` less `pages reserved`: the managed pages\)/,
  );
  assert.match(
    oom.headline,
    /^victim: sh \(pid 171\) — the biggest consumer, 1\.6 GiB rss of 2\.0 GiB RAM \(80 %\)/,
  );
  assert.equal(oom.swap?.totalKb, 0);
});

test('3.10 (corpus/031): the printed score, and the derived formula gives the same 633', () => {
  const { oom } = oomOf(corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log'));
  const v = oom.victim!;
  assert.deepEqual(
    [v.pid, v.name, v.oomScoreAdj, v.adjSource, v.biggest],
    [4402, 'mysqld', 0, 'task table', true],
  );
  assert.deepEqual([v.score?.how, v.score?.score], ['printed', 633]);
  assert.match(v.score!.text, /oom_badness points × 1000 \/ totalpages \(mm\/oom_kill\.c, 3\.8–4\.18\)/);
  // mysql (pid 10537) has the larger rss, mysqld the larger rss + swap: oom_badness counts both
  assert.deepEqual(top(oom).slice(0, 2), [
    [4402, 'mysqld', 1800982528],
    [10537, 'mysql', 1981317120],
  ]);
  assert.equal(oom.top[0].footprintPages, 946922);
  // 3.10 select_bad_process prints chosen_points * 1000 / totalpages; totalram_pages + total swap
  // from the report (Σ managed + Total swap) reproduce it
  assert.equal(Math.floor((oom.top[0].points! * 1000) / oom.totalPages!.pages), 633);
  assert.deepEqual(
    oom.protected.map((c) => c.name),
    ['sshd', 'systemd-udevd', 'auditd'],
  );
  assert.deepEqual(oom.swap, {
    totalKb: 2097148,
    freeKb: 0,
    usedKb: 2097148,
    cachePages: 702,
    cacheBytes: 702 * 4096,
  });
  const r = parseLog(corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log')).reports[0];
  assert.deepEqual(r.swapCacheStats, { add: 531072, delete: 530370, findHits: 3036, findTotal: 3506 });
  assert.deepEqual(r.oomChosen, { line: 74, pid: 4402, comm: 'mysqld', score: 633 });
});

test('5.2 memcg v1 (extra/008): the one-line memory.stat, the sum against the limit, page size from the kill line', () => {
  const { oom } = oomOf(extraLog('008-dmesg-5.2-memcg-oom-leaker.log'));
  assert.deepEqual(oom.against, {
    what: 'memory cgroup limit',
    bytes: 512 * MiB,
    source: '`memory: … limit`',
  });
  assert.equal(oom.pageSizeSource, 'kill line');
  assert.equal(oom.victim?.rssBytes, (506500 + 1268 + 0) * 1024);
  assert.equal(oom.victim?.cgroup, '/leaker');
  assert.equal(oom.memcgStats.length, 1);
  const m = oom.memcgStats[0];
  assert.deepEqual([m.path, m.unit, m.keys], ['/leaker', 'kB', 13]);
  assert.equal(m.sizes.rss, 516948 * 1024);
  assert.equal(m.sizes.cache, 80 * 1024);
  assert.equal(m.sizes.swap, 2068268 * 1024);
  assert.equal(
    oom.headline,
    'victim: leaker (pid 23793) — the biggest consumer, 496 MiB rss of 512 MiB limit (97 %); all 2 tasks: 497 MiB rss (97 %)',
  );
});

test('5.15 cgroup v2 Kubernetes pod (extra/098): memory.stat lines, the victim at oom_score_adj 1000, its pod and container', () => {
  const text = extraLog(F098);
  const r = parseLog(text).reports[0];
  assert.equal(r.memcgStats.length, 1);
  const block = r.memcgStats[0];
  assert.equal(block.unit, 'bytes');
  assert.equal(Object.keys(block.values).length, 27);
  assert.equal(block.values.anon, 98742272);
  assert.equal(block.values.workingset_refault_file, 1190);
  assert.equal(block.endLine, 72);
  assert.equal(r.endLine, 85, 'the kill line ends the report');
  assert.deepEqual(r.killedTail, { uid: 0, pgtablesKb: 476, oomScoreAdj: 1000 });

  const { oom } = oomOf(text);
  const m = oom.memcgStats[0];
  assert.equal(m.label, 'pod 5931aa75… (Burstable)');
  assert.equal(m.sizes.anon, 98742272);
  assert.equal(m.sizes.file, 2469888);
  assert.equal(m.sizes.slab, 2452248);
  assert.equal('workingset_refault_file' in m.sizes, false, 'an event count is not a size');
  const v = oom.victim!;
  assert.deepEqual(
    [v.pid, v.name, v.oomScoreAdj, v.adjSource, v.rank],
    [183960, 'stress-ng-vm', 1000, 'kill line', 1],
  );
  assert.equal(v.cgroupLabel, 'pod 5931aa75… (Burstable) container 25a38b5b8d55');
  assert.equal(v.rssBytes, (93176 + 316 + 12) * 1024);
  // oom_score_adj 1000 adds 1000 × (totalpages / 1000): the cgroup may use swap up to the total
  // swap (mem_cgroup_get_max), which a memcg OOM does not print
  assert.equal(v.score, null);
  assert.match(oom.missing.join('\n'), /totalpages for the victim's score: oom_score_adj 1000/);
  assert.deepEqual(
    oom.top.slice(0, 2).map((c) => [c.pid, c.name, c.rssBytes, c.oomScoreAdj]),
    [
      [183960, 'stress-ng-vm', 23376 * 4096, 1000],
      [181537, 'nginx', 1835 * 4096, 988],
    ],
  );
  assert.equal(oom.sumRssBytes, 29847 * 4096);
  assert.match(oom.headline, /117 %: rss counts a shared page in every task that maps it\)$/);
});

test('2.6.32 RHEL 6 table (extra/024): cpu/oom_adj columns, oom_score_adj -1000 tasks, printed score', () => {
  const { oom } = oomOf(extraLog('024-md-fence-syslog-rhel6-2.6.32-642-oom-java-vim.log'));
  assert.deepEqual(top(oom).slice(0, 2), [
    [31995, 'java', 3643904000],
    [7788, 'vim', 3334873088],
  ]);
  assert.equal(oom.top[0].swapBytes, null, 'no swapents column before 3.x');
  assert.deepEqual([oom.victim?.score?.how, oom.victim?.score?.score], ['printed', 442]);
  assert.equal(oom.protectedCount, 4);
});

test('what the report does not print is named: no table, a garbled header, no victim', () => {
  const noTable = oomOf(corpus('001-journal-oom-6.8-python.log')).oom;
  assert.equal(noTable.table, 'absent');
  assert.match(noTable.missing[0], /^the task table: vm\.oom_dump_tasks was 0/);
  assert.equal(
    noTable.headline,
    'victim: uvicorn (pid 3921) — 1.1 GiB rss of 15.9 GiB RAM (7 %); no task table',
  );

  const garbled = oomOf(
    extraLog('021-quoted2-wrapped-syslog-2.6.36-i386-highmem-oom-minicom-truncated.log'),
  ).oom;
  assert.equal(garbled.table, 'garbled');
  assert.equal(garbled.top.length, 0, 'no values read from glued columns');
  assert.match(garbled.missing[0], /header line was rejoined from a wrap that lost a space/);

  const panic = oomOf(extraLog('096-md-fence-dmesg-5.4-arm64-e2000q-oom-cma-panic_on_oom.log')).oom;
  assert.equal(panic.victim, null);
  assert.match(panic.headline, /^no victim: vm\.panic_on_oom made the kernel panic instead of killing/);

  const cut = oomOf(extraLog('025-md-fence-journal-masked-host-sle15-5.14-memcg-oom-virt-launcher.log')).oom;
  assert.deepEqual(cut.missing, [
    'the end of the task table: the log ends before the kill line, so rows may be missing',
    'the page size (no buddy line prints it): 4 KiB pages assumed',
    'the kill line (`Killed process …`): the victim is not known',
  ]);
});

test("every era's task-table header and row is one of the oom_table rows (mm/oom_kill.c dump_tasks)", () => {
  const headers = [
    '[ pid ]   uid  tgid total_vm      rss cpu oom_adj name', // 2.6.24
    '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name', // 2.6.36–3.4
    '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name', // 3.10
    '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name', // 4.x
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name', // 4.19+
    '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name', // 6.x
  ];
  for (const h of headers) {
    const c = classifyLine(h);
    assert.equal(c?.kind, 'oom_table', h);
    assert.notEqual(LINE_FORMATS[c!.format]?.read ?? null, null, 'read by the builder');
  }
  assert.equal(
    classifyLine('[  23793]     0 23793   655928   126942  5226496   519670             0 leaker')?.kind,
    'oom_table',
  );
  const chosen = classifyLine('Out of memory: Kill process 4402 (mysqld) score 633 or sacrifice child');
  assert.equal(chosen?.match.groups?.score, '633', 'read by the row that keeps it an oom_misc line');
  assert.equal(classifyLine('anon 98742272')?.kind, 'oom_memcg_stat');
  assert.equal(classifyLine('anon 98742272 bytes')?.kind, undefined, 'only `key value`');
});

test('kernel/eras.ts: oom_badness per release', () => {
  const at = (...v: [number, number, number?]) => eraRowFor(version(v[0], v[1], v[2] ?? 0)).oomBadness;
  assert.equal(at(2, 6, 32).scale, 'heuristic');
  assert.deepEqual([at(3, 4).scale, at(3, 4).adminDiscount], ['permille', 'thirty']);
  assert.deepEqual([at(3, 10).scale, at(3, 10).adminDiscount], ['pages', 'three-percent']);
  assert.deepEqual([at(4, 14).scale, at(4, 14).adminDiscount], ['pages', 'three-percent']);
  assert.deepEqual([at(5, 10).scale, at(5, 10).adminDiscount], ['pages', null]);
});

test('--verbose names who held the memory', () => {
  const { a } = oomOf(extraLog(F098));
  const text = renderReportText(a).join('\n');
  assert.match(
    text,
    /\nWho held the memory \(task table: 9 tasks, 4 KiB pages \(from the kill line\)\):\n {2}victim: stress-ng-vm \(pid 183960\) — the biggest consumer, 91\.3 MiB rss of 100 MiB limit \(91 %\)/,
  );
  assert.match(
    text,
    /\n {2}cgroup: pod 5931aa75… \(Burstable\) container 25a38b5b8d55 \(\/kubepods\.slice\//,
  );
  assert.match(
    text,
    /\n {2}memory\.stat of pod 5931aa75… \(Burstable\): anon 94\.2 MiB · file 2\.4 MiB · shmem 2\.2 MiB · slab 2\.3 MiB · sock 0 bytes · pagetables 832 KiB \(\+21 more keys\)/,
  );
  assert.match(
    text,
    /\n {2}biggest \(rss \+ swap \+ page tables, as oom_badness counts them\):\n {4}stress-ng-vm \(pid 183960\), 91\.3 MiB rss, oom_score_adj 1000\n/,
  );
});

test('a victim that is not the biggest: the report shows why (CONSTRUCTED from extra/072)', () => {
  // CONSTRUCTED from the real 6.12 report extra/072 by two edits in dump_task's and
  // __oom_kill_process's formats (mm/oom_kill.c): pid 996's row gets oom_score_adj -1000, and the
  // kill line names pid 1025 (the next biggest) with that row's rss
  const text = extraLog(F072)
    .replace(
      '[    996]  1000   996   747929    30557    30557        0         0  1183744    31936             0 python',
      '[    996]  1000   996   747929    30557    30557        0         0  1183744    31936         -1000 python',
    )
    .replace(
      'Killed process 996 (python) total-vm:2991716kB, anon-rss:122228kB, file-rss:0kB',
      'Killed process 1025 (python) total-vm:2991716kB, anon-rss:50868kB, file-rss:0kB',
    );
  const { oom } = oomOf(text);
  const v = oom.victim!;
  assert.deepEqual([v.pid, v.rank, v.biggest], [1025, 2, false]);
  assert.equal(v.why, 'python (pid 996) holds more but has oom_score_adj -1000: oom_badness skips it');
  assert.match(
    oom.headline,
    /^victim: python \(pid 1025\) — the 2nd biggest consumer, 49\.7 MiB rss of 448 MiB RAM/,
  );
  assert.equal(oom.top[0].points, null, 'no oom_badness for an OOM_SCORE_ADJ_MIN task');
});
