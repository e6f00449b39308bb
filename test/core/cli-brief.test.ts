// The CLI's default text is one screen per report that leads with the answer; `--verbose` keeps
// everything (issue #14). Run over every real log of the fixture folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURE_LOGS } from './fixture-files';
import { reportsOf, type GroupedRepeat } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function klens(args: string[]): string {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

interface JsonEvent {
  line: number;
  time: string | null;
  repeat: GroupedRepeat;
  findings: { message: string }[];
  remedies: { title: string; recommended: boolean; assessment: string; sysctlKey: string | null }[];
  zones: unknown[];
}

/** The blocks of a text output, keyed by the 1-based line of their header (`file:LINE  kind …`):
 * each runs to the next line that is not indented (a header or the file's summary); blank lines
 * inside a block (--verbose) are kept, trailing ones dropped. */
function blocks(file: string, text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const head = line.startsWith(`${file}:`) ? /^:(\d+) {2}\S/.exec(line.slice(file.length)) : null;
    if (head) out.set(Number(head[1]), (current = [line]));
    else if (line !== '' && !line.startsWith(' ')) current = null;
    else current?.push(line);
  }
  for (const b of out.values()) while (b[b.length - 1] === '') b.pop();
  return out;
}

const MAX_LINES_PER_REPORT = 25;

test('default text: at most 25 lines a report, the verdict first, no details; --verbose has them', () => {
  let reports = 0;
  for (const file of FIXTURE_LOGS) {
    // each member of a repeat group's event is a report of its own in the text (issue #17)
    const events = reportsOf(
      (JSON.parse(klens(['analyze', '--json', file])) as { events: JsonEvent[] }).events,
    );
    const brief = blocks(file, klens(['analyze', file]));
    const verbose = blocks(file, klens(['analyze', '--verbose', file]));
    for (const e of events) {
      const where = `${file}:${e.line}`;
      if (e.repeat.firstLine !== null || e.repeat.occurrence > 1) {
        assert.equal(brief.has(e.line), false, `${where}: a repeat has no block of its own`);
        assert.match(verbose.get(e.line)?.[1] ?? '', /repeat \d+ of the report at line/, where);
        continue;
      }
      reports++;
      const b = brief.get(e.line);
      assert.ok(b, `${where}: a block`);
      assert.ok(b.length <= MAX_LINES_PER_REPORT, `${where}: ${b.length} lines`);
      // the diagnostic's verdict-first message leads
      assert.equal(b[1], `  Verdict: ${e.findings[0].message}`, where);
      assert.ok(!b.some((l) => /^ {2}(Watermark check replayed|Protection \(lowmem_reserve)/.test(l)), where);
      const v = verbose.get(e.line)!.join('\n');
      // every option considered, with its assessment, is in the full text; the brief names each
      for (const r of e.remedies) {
        assert.ok(v.includes(r.assessment), `${where}: --verbose has the assessment of ${r.title}`);
        const named = r.sysctlKey ?? r.title;
        assert.ok(
          b.join('\n').includes(r.recommended ? r.assessment : named),
          `${where}: brief names ${named}`,
        );
      }
      if (e.zones.length > 0) assert.match(v, /\n {2}Zones \(kB\):/, where);
    }
  }
  assert.ok(reports > 100, `reports checked: ${reports}`);
});

test('the seed in one screen: verdict, why, request, zones in words, the recommended actions', () => {
  const seed = join('test', 'fixtures', 'corpus', '000-seed.log');
  const lines = klens(['analyze', seed]).split('\n');
  assert.deepEqual(lines.slice(1, 2), [
    '  Verdict: order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists; Node 1 Normal below low watermark',
  ]);
  assert.match(lines[2], /^ {2}Why: Undecidable without the buddy free lists: 3 of 4 allowed zones pass/);
  assert.equal(
    lines[4],
    '  Request: order-5 (128 KiB) GFP_ATOMIC in softirq (net_tx_action → tg3_start_xmit → skb_copy)',
  );
  const zones = lines.indexOf('  Zones (kB)       free    min    low   high  for this request');
  assert.ok(zones > 0, lines.join('\n'));
  assert.equal(
    lines[zones + 1],
    '  Node 0 DMA      15920      4      4      4  held back by lowmem_reserve for Normal-class requests',
  );
  assert.match(
    lines[zones + 4],
    /^ {2}Node 1 Normal {3}19976 {2}16260 {2}20324 {2}24388 {2}passes the watermark check/,
  );
  assert.ok(lines.includes('    vm.min_free_kbytes = 90112    (now: `sysctl vm.min_free_kbytes`)'));
  assert.ok(lines.some((l) => l.startsWith('    - Collect what the verdict needs: ')));
  assert.ok(
    lines.includes(
      '  More with --verbose: the replayed watermark check; the lowmem_reserve formulas; 4 options not recommended here (Widen the watermark gaps (vm.watermark_scale_factor), vm.lowmem_reserve_ratio, vm.zone_reclaim_mode, Reclaim dentries/inodes sooner (vm.vfs_cache_pressure))',
    ),
  );
  assert.equal(lines.filter((l) => /page allocation failure: order:5/.test(l)).length, 0, 'header once');
  // on a terminal the verdict is bold and coloured by the finding's severity (KLL001: warning)
  const coloured = klens(['analyze', '--color=always', seed]).split('\n')[1];
  assert.ok(
    coloured.startsWith('  \x1b[1mVerdict: \x1b[22m\x1b[1m\x1b[33morder-5 GFP_ATOMIC failed'),
    coloured,
  );
});

test('an OOM kill: the brief says who held the memory in one line, the task table stays in --verbose', () => {
  const file = FIXTURE_LOGS.find((f) => f.includes('072-md-fence-journal-cat-pager'))!;
  const text = klens(['analyze', file]).split('\n');
  assert.deepEqual(
    text.filter((l) => l.includes('Who held it:')),
    [
      '  Who held it: victim: python (pid 996) — the biggest consumer, 119 MiB rss of 448 MiB RAM (27 %); all 31 tasks: 188 MiB rss (42 %)',
    ],
  );
  // the one-task memcg pod of extra/102: "its only task", not "all 1 tasks"
  const pod = FIXTURE_LOGS.find((f) => f.includes('102-blog-dmesg-x-T-5.14-rhel9'))!;
  assert.match(
    klens(['analyze', pod]),
    /Who held it: victim: xray \(pid 1586608\) — the biggest consumer, 25\.8 MiB rss of 200 MiB limit \(13 %\); its only task: 25\.8 MiB rss \(13 %\)/,
  );
});
