// The editor's reading leaves the copies of a repeated stretch unmade (core/analyze.ts
// CopiedReport, TextScan `copyBlocks`, issue #17): every feature must answer exactly as it does
// for the same text with every copy made (a run handing copies out one by one, itself proven
// equal to reading every line by test/core/repeat-run.test.ts), and opening a document (its
// diagnostics, folding, outline count, status and suggestions) must make no copy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { CopiedReport, LogAnalysisJob } from '../../server/src/core/analyze';
import { reportViewModel } from '../../server/src/core/report-view-model';
import { diagnostics } from '../../server/src/features/diagnostics';
import { documentOf, movedDocument, reportAt, type LogDocument } from '../../server/src/features/document';
import { LineIndex } from '../../server/src/features/line-index';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { hover } from '../../server/src/features/hover';
import { documentStatus, sysctlSuggestions } from '../../server/src/features/status';
import { FIXTURE_LOGS } from '../core/fixture-files';
import { excerptFlood, printedAgain, restamped } from '../core/floods';
import { URI } from './helpers';

/** The document of `text`, its copies left unmade (`blocks`, the editor's) or made one by one,
 * analysed as the server does under a budget (server.ts analyse): the reading stopped after
 * `readingSlices` slices (the reports read are still explained), or the job stopped after
 * `explainingSlices` slices of its explanations. */
function docOf(
  text: string,
  blocks: boolean,
  explainingSlices = Infinity,
  readingSlices = Infinity,
): LogDocument {
  const job = new LogAnalysisJob(text, { kernelRelease: null }, { copyBlocks: blocks });
  let reading = 0;
  let explaining = 0;
  while (!job.run(() => true)) {
    if (job.reading) {
      if (++reading >= readingSlices) job.stopReading();
    } else if (++explaining >= explainingSlices) {
      job.stop();
      break;
    }
  }
  return documentOf(URI, 1, text, { kernelRelease: '' }, job);
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

/** What a feature asked on every report gives: the unmade copies are made by asking. A repeat's
 * `repeat.lines` is its group's (the first report's, compared whole): its length stands for it. */
function everyReport(doc: LogDocument): unknown[] {
  return doc.reports.map((e) => {
    const { repeat } = e.analysis;
    const lines = repeat.duplicateOf === null ? repeat.lines : repeat.lines.length;
    return plain({
      index: e.index,
      report: e.report,
      analysis: { ...e.analysis, repeat: { ...repeat, lines } },
    });
  });
}

/** The open's features, then (making copies) every report and the features that ask for one. */
function assertSameDocument(
  text: string,
  where: string,
  blocks: LogDocument,
  made: LogDocument,
  /** Whether the copies of `blocks` are new (none made yet), as after a reading. */
  fresh = true,
): number {
  const copies = blocks.reports.filter((e) => e instanceof CopiedReport) as CopiedReport[];
  assert.equal(blocks.reports.length, made.reports.length, `reports ${where}`);
  // the runs of copies cover exactly the unmade copies, and the spans are each block's, whole
  const inRuns = blocks.copyRuns.flatMap((r) => Array.from({ length: r.to - r.from }, (_, i) => r.from + i));
  assert.deepStrictEqual(
    inRuns,
    copies.map((c) => c.index),
    `copy runs ${where}`,
  );
  assert.deepStrictEqual(made.copyRuns, [], `no runs with copies made ${where}`);
  const spans: { first: number; last: number }[] = [];
  copies.forEach((c, i) => {
    if (i > 0 && copies[i - 1].block === c.block)
      spans[spans.length - 1].last = Math.max(spans.at(-1)!.last, c.endLine);
    else spans.push({ first: c.line, last: c.endLine });
  });
  assert.deepStrictEqual(blocks.copySpans, spans, `copy spans ${where}`);
  assert.deepStrictEqual(
    plain(diagnostics(blocks, { zoneDiagnostics: true })),
    plain(diagnostics(made, { zoneDiagnostics: true })),
    `diagnostics ${where}`,
  );
  assert.deepStrictEqual(foldingRanges(blocks), foldingRanges(made), `folding ${where}`);
  assert.deepStrictEqual(documentStatus(blocks), documentStatus(made), `status ${where}`);
  for (const format of ['conf', 'commands'] as const)
    assert.deepStrictEqual(
      sysctlSuggestions(blocks, format),
      sysctlSuggestions(made, format),
      `sysctl ${where}`,
    );
  assert.deepStrictEqual(blocks.stoppedAt, made.stoppedAt, `stopped ${where}`);
  assert.deepStrictEqual(plain(blocks.analysis.findings), plain(made.analysis.findings), `findings ${where}`);
  assert.deepStrictEqual([...blocks.owners], [...made.owners], `owners ${where}`);
  // the outline (asked on open) lists copies from their content, moved
  assert.deepStrictEqual(documentSymbols(blocks), documentSymbols(made), `outline ${where}`);
  // none of that made a copy
  const madeCopies = (): number[] => copies.filter((c) => c.made).map((c) => c.index);
  if (fresh) assert.deepStrictEqual(madeCopies(), [], `copies made by the open ${where}`);
  // the report view reads copies unmade too, but for the one it details
  const lineCount = text.split('\n').length;
  const wants = [{ index: 0 }, { index: blocks.reports.length - 1 }, { line: Math.floor(lineCount / 2) }];
  for (const want of wants) {
    const before = madeCopies().length;
    assert.deepStrictEqual(
      plain(reportViewModel(URI, blocks.reports, blocks.log.suppressions, want)),
      plain(reportViewModel(URI, made.reports, made.log.suppressions, want)),
      `report view ${JSON.stringify(want)} ${where}`,
    );
    assert.ok(
      madeCopies().length <= before + 1,
      `the report view made ${madeCopies().length - before} copies ${where}`,
    );
  }
  for (let line = 0; line < lineCount; line++) {
    assert.equal(reportAt(blocks, line)?.index, reportAt(made, line)?.index, `report at ${line} ${where}`);
    for (const character of [0, 16, 24, 40, 64])
      assert.deepStrictEqual(
        hover(blocks, { line, character }, { reportLink: true }),
        hover(made, { line, character }, { reportLink: true }),
        `hover ${line}:${character} ${where}`,
      );
  }
  assert.deepStrictEqual(everyReport(blocks), everyReport(made), `every report ${where}`);
  return copies.length;
}

function floodOf(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = String(i % 60).padStart(2, '0');
    lines.push(`Mar 18 10:11:${s} web01 kernel: swapper: page allocation failure. order:1, mode:0x20`);
  }
  return `${lines.join('\n')}\n`;
}

test('a flood of one-line reports: one diagnostic with the count, no copy made by the open, every feature as with copies made', () => {
  const text = floodOf(600);
  const blocks = docOf(text, true);
  const copies = assertSameDocument(text, 'flood', blocks, docOf(text, false));
  // the first copies are read (a period is found after two), the rest left unmade
  assert.ok(copies >= 590, `${copies} copies`);
  const [first] = diagnostics(docOf(text, true), { zoneDiagnostics: true });
  assert.match(first.message, /\(600 identical reports between Mar 18 10:11:00 and Mar 18 10:11:59\)/);
  // the first 200 repeats and the last one
  assert.equal(first.relatedInformation?.length, 202);
  assert.match(first.relatedInformation!.at(-1)!.message, /repeat 600 of 600/);
});

test('every fixture printed five times with other stamps: the copies left unmade answer as made ones', () => {
  let withCopies = 0;
  for (const file of FIXTURE_LOGS) {
    const text = printedAgain(readFileSync(file, 'utf8'), 5);
    const copies = assertSameDocument(text, file, docOf(text, true), docOf(text, false));
    if (copies > 0) withCopies++;
  }
  // most fixtures repeat as a run (those that do not change their state every copy)
  assert.ok(withCopies > FIXTURE_LOGS.length / 2, `${withCopies} of ${FIXTURE_LOGS.length} fixtures`);
});

test('a release learnt after the flood reaches the copies still waiting for it, as it does made ones', () => {
  // one-line reports print no release: ReportSequence holds them for their host's, at most
  // RELEASE_LOOKAHEAD_REPORTS reports; a full report of the same host after the flood brings it
  const full = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8');
  const host = /^\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+) /m.exec(full)?.[1] ?? 'web01';
  for (const n of [100, 257, 300, 1000]) {
    const text = floodOf(n).replace(/web01/g, host) + full;
    const blocks = docOf(text, true);
    assertSameDocument(text, `${n} reports then a release`, blocks, docOf(text, false));
    const releases = new Set(blocks.reports.map((e) => e.analysis.era.release));
    assert.ok(releases.size >= 1);
  }
});

test('an analysis stopped by its budget inside a flood: the same reading, the explained reports as the whole analysis gives them', () => {
  const seed = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8').replace(/\n$/, '').split('\n');
  const lines: string[] = ['filler'];
  for (let k = 0; k < 40; k++) lines.push(...seed.map((l) => restamped(l, k)));
  // more copies than one slice of a block (BLOCK_SLICE_REPORTS): stops fall inside the block too
  const text = `${floodOf(12_000)}${lines.join('\n')}\n`;
  // the reading stopped (both readings pause at the same lines): every feature the same
  for (const readingSlices of [1, 2, 5, 30])
    assertSameDocument(
      text,
      `reading stopped after ${readingSlices}`,
      docOf(text, true, Infinity, readingSlices),
      docOf(text, false, Infinity, readingSlices),
    );
  // the explanation stopped (a block's slice holds many reports, so the two stop elsewhere): each
  // report explained is the whole analysis's, but for its group's count so far
  const whole = everyReport(docOf(text, false));
  const withoutCounts = (e: unknown): unknown => {
    const { analysis, ...rest } = e as { analysis: { repeat: { duplicateOf: number | null } } };
    return { ...rest, analysis: { ...analysis, repeat: analysis.repeat.duplicateOf } };
  };
  let inside = 0;
  for (const slices of [1, 2, 3, 4, 5, 6]) {
    const doc = docOf(text, true, slices);
    const { stoppedAt } = doc;
    if (stoppedAt) {
      assert.equal(stoppedAt.reports, doc.reports.length, `stopped after ${slices}`);
      assert.ok(
        doc.reports.every((e) => e.report.line < stoppedAt.line),
        `stopped after ${slices}`,
      );
      if (doc.reports.length > 0 && doc.reports.length < 12_000) inside++;
    } else assert.equal(doc.reports.length, whole.length, `whole after ${slices}`);
    assert.deepStrictEqual(
      everyReport(doc).map(withoutCounts),
      whole.slice(0, doc.reports.length).map(withoutCounts),
      `stopped after ${slices}`,
    );
  }
  assert.ok(inside >= 2, `${inside} stops inside the flood`);
});

test('random floods of fixture excerpts with noise and changes: every feature as with copies made', () => {
  const logs = FIXTURE_LOGS.map((f) => readFileSync(f, 'utf8').replace(/\n$/, '').split('\n'));
  let taken = 0;
  fc.assert(
    fc.property(
      excerptFlood(logs),
      fc.option(fc.record({ copy: fc.nat(), line: fc.nat() })),
      (copies, change) => {
        if (change) {
          const copy = copies[change.copy % copies.length];
          const at = change.line % copy.length;
          copy[at] = `${copy[at]} x`;
        }
        const text = `${copies.map((copy) => copy.join('\n')).join('\n')}\n`;
        if (assertSameDocument(text, 'random flood', docOf(text, true), docOf(text, false)) > 0) taken++;
      },
    ),
    { numRuns: 60, seed: 20261206 },
  );
  assert.ok(taken > 15, `copies left unmade in ${taken} of 60 cases`);
});

test('an edit in the noise before a flood moves its unmade copies with it; one among them reads the text again', () => {
  const noise = Array.from(
    { length: 200 },
    (_, i) =>
      `Mar 18 09:${String(i % 60).padStart(2, '0')}:00 web01 systemd[1]: Started Session ${i} of user deploy.`,
  );
  const text = `${[...noise, floodOf(500).trimEnd(), ...noise].join('\n')}\n`;
  const previous = docOf(text, true);
  const edited = text.split('\n');
  edited.splice(6, 0, 'Mar 18 09:05:30 web01 systemd[1]: Started one more session.', 'and a second line');
  const next = edited.join('\n');
  // lines 0–5 kept, line 5 became three: two lines added before the flood
  const moved = movedDocument(previous, 2, new LineIndex(next), [{ first: 5, last: 5, delta: 2 }]);
  assert.ok(moved, 'moved, not read again');
  assert.deepStrictEqual(
    moved.copySpans,
    previous.copySpans.map((s) => ({ first: s.first + 2, last: s.last + 2 })),
  );
  assert.ok(moved.reports.filter((e) => e instanceof CopiedReport).length > 490);
  assertSameDocument(next, 'moved', moved, { ...docOf(next, false), version: 2 });
  // and moved again, after the flood (its copies stay where they are)
  const twice = next.split('\n');
  twice.splice(851, 0, 'Mar 18 10:30:00 web01 systemd[1]: Started the last one.');
  const third = twice.join('\n');
  const again = movedDocument(moved, 3, new LineIndex(third), [{ first: 850, last: 850, delta: 1 }]);
  assert.ok(again, 'moved again');
  // the copies before the edit, whose group's lines did not move either, are the same objects
  // (made by the comparison above, and kept)
  const copiesOf = (d: LogDocument) => d.reports.filter((e) => e instanceof CopiedReport);
  assert.ok(copiesOf(again).every((c, i) => c === copiesOf(moved)[i]));
  assertSameDocument(third, 'moved again', again, { ...docOf(third, false), version: 3 }, false);
  // an edit among the copies (the one in line 300) is not moved: the text is read again
  const [span] = previous.copySpans;
  assert.equal(
    movedDocument(previous, 2, new LineIndex(text), [
      { first: span.first + 100, last: span.first + 100, delta: 0 },
    ]),
    null,
  );
});
