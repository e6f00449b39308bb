// One reading of a log on both paths: the CLI (the skipping byte reader, then the core's
// ReportSequence as `klens analyze` drives it) and the editor (the core's LogAnalysisJob over the
// whole document) give the same analysis of every report — summary, verdict, era, zones, replay,
// protection, remedies, repeats, findings — on every fixture log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeText,
  ReportSequence,
  RELEASE_LOOKAHEAD_REPORTS,
  type Analysed,
} from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import type { Report } from '../../server/src/core/model';
import { createScan } from '../../server/src/cli/scan';

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureFiles(path);
    return name.endsWith('.json') || name.endsWith('.md') ? [] : [path];
  });
}

/** The CLI's reading: bytes in odd-sized writes through the skipping reader, reports streamed
 * through ReportSequence as analyze-command.ts does. */
function cliReading(bytes: Buffer): { items: Analysed[]; sequence: ReportSequence } {
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item));
  const scan = createScan<Report>((r, banner) => sequence.push(r, banner));
  for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
  scan.finish();
  sequence.end();
  return { items, sequence };
}

const FILES = fixtureFiles(join('test', 'fixtures'));
let compared = 0;

for (const file of FILES) {
  test(`the CLI and the editor read the same analysis: ${file}`, () => {
    const bytes = readFileSync(file);
    const editor = analyzeText(bytes.toString('utf8')).reports;
    const { items } = cliReading(bytes);
    assert.deepEqual(
      items.map((i) => i.analysis),
      editor,
    );
    items.forEach((item, i) => {
      assert.equal(item.analysis.index, i);
      // the CLI's occurrence numbering agrees with the editor's groups
      const first = editor[i].repeat.duplicateOf;
      assert.equal(item.first?.index ?? null, first);
      if (first !== null) assert.equal(item.first!.line, editor[first].line);
    });
    compared += editor.length;
  });
}

test('the same-reading comparison covered every fixture log and its reports', () => {
  assert.ok(FILES.length >= 80, `${FILES.length} fixture files`);
  assert.ok(compared >= 110, `${compared} reports compared`);
});

const SLUB_FIRST = [
  'Feb 20 21:20:06 server1 kernel: SLUB: Unable to allocate memory on node -1 (gfp=0x20)',
  'Feb 20 21:20:06 server1 kernel:  cache: kmalloc-4096, object size: 4096, buffer size: 4096, default order: 3, min order: 0',
  'Feb 20 21:20:06 server1 kernel:  node 0: slabs: 619, objs: 1641, free: 0',
];
const FULL = [
  'Feb 20 21:20:07 server1 kernel: swapper: page allocation failure. order:0, mode:0x4020',
  'Feb 20 21:20:07 server1 kernel: Pid: 0, comm: swapper Not tainted 2.6.32.4 #1',
  'Feb 20 21:20:07 server1 kernel: Call Trace:',
  'Feb 20 21:20:07 server1 kernel:  [<ffffffff810a1b2c>] __alloc_pages_nodemask+0x5ec/0x690',
];

function releases(text: string): { cli: (string | null)[]; editor: (string | null)[] } {
  const editor = analyzeText(text).reports.map((a) => a.era.release);
  const cli = cliReading(Buffer.from(text)).items.map((i) => i.analysis.era.release);
  return { cli, editor };
}

test('a report printed before its host prints a release takes that later release on both paths', () => {
  const { cli, editor } = releases([...SLUB_FIRST, ...FULL, ''].join('\n'));
  assert.deepEqual(editor, ['2.6.32.4', '2.6.32.4']);
  assert.deepEqual(cli, editor);
});

test('a report without a release waits for at most RELEASE_LOOKAHEAD_REPORTS more reports', () => {
  const other = (i: number): string[] => [
    `Feb 20 21:21:${String(i % 60).padStart(2, '0')} other kernel: SLUB: Unable to allocate memory on node -1 (gfp=0x20)`,
    'Feb 20 21:21:00 other kernel:  cache: kmalloc-64, object size: 64, buffer size: 64, default order: 0, min order: 0',
    '',
  ];
  const between = (n: number): string[] => Array.from({ length: n }, (_, i) => other(i)).flat();
  const near = releases(
    [...SLUB_FIRST, '', ...between(RELEASE_LOOKAHEAD_REPORTS - 1), ...FULL, ''].join('\n'),
  );
  assert.equal(near.editor.length, RELEASE_LOOKAHEAD_REPORTS + 1);
  assert.equal(near.editor[0], '2.6.32.4');
  assert.deepEqual(near.cli, near.editor);
  const far = releases(
    [...SLUB_FIRST, '', ...between(RELEASE_LOOKAHEAD_REPORTS + 1), ...FULL, ''].join('\n'),
  );
  assert.equal(far.editor[0], null);
  assert.equal(far.editor[far.editor.length - 1], '2.6.32.4');
  assert.deepEqual(far.cli, far.editor);
});

test('a report without a sibling release borrows the banner seen when it leaves the hold (here: the end)', () => {
  const text = [
    'Feb 20 21:00:00 server1 kernel: Linux version 3.10.0-957.el7.x86_64 (builder@x) (gcc) #1 SMP',
    ...SLUB_FIRST,
    '',
    'Feb 20 22:00:00 server1 kernel: Linux version 4.18.0-80.el8.x86_64 (builder@x) (gcc) #1 SMP',
    '',
  ].join('\n');
  const { cli, editor } = releases(text);
  assert.deepEqual(editor, ['4.18.0-80.el8.x86_64']);
  assert.deepEqual(cli, editor);
});

test('repeats: the first report carries the group, grown as members arrive, on both paths', () => {
  const text = [...FULL, '', ...FULL.map((l) => l.replace('21:20:07', '21:20:09')), ''].join('\n');
  const editor: ReportAnalysis[] = analyzeText(text).reports;
  assert.equal(editor.length, 2);
  assert.deepEqual(
    { count: editor[0].repeat.count, span: editor[0].repeat.spanSeconds, lines: editor[0].repeat.lines },
    { count: 2, span: 2, lines: [0, 5] },
  );
  assert.equal(editor[1].repeat.duplicateOf, 0);
  const { items, sequence } = cliReading(Buffer.from(text));
  assert.deepEqual(
    items.map((i) => i.occurrence),
    [1, 2],
  );
  assert.deepEqual(
    sequence.repeats().map((g) => [g.count, g.line, g.lastLine, g.spanSeconds]),
    [[2, 0, 5, 2]],
  );
});
