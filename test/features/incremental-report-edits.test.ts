// Typing inside a report or next to one (issue #17): the language server reads again only a window
// of the text around the edit (core/report-window.ts, features/document.ts windowedDocument) and
// keeps the rest of the last reading: the reports before it as they were, those after it moved, the
// release fallback, the repeat groups and the log's findings worked out again. This property test
// makes random edits inside reports and near their anchors (characters and line breaks inserted or
// removed, anchor words deleted or typed, header lines added, lines pasted) on every real fixture
// among generated syslog noise, and after each version compares everything with a fresh analysis
// of the same text, as server.ts does it (a move for noise edits, else a window, else a whole
// read): the parsed log, the analysis, the stretches the reading skipped and what it carried into
// each, owners, diagnostics, outline, folding ranges and status. On a failure fast-check prints the
// seed and the shrunk edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EditedDocument } from '../../server/src/edited-document';
import {
  analyzeDocument,
  movedDocument,
  windowedDocument,
  type LogDocument,
} from '../../server/src/features/document';
import { NO_CODE_DOCS, setCodeDocs } from '../../server/src/features/codes';
import { READER_ANCHORS } from '../../server/src/core/parse';
import { combinedEdit } from '../../server/src/core/report-window';
import { ReportSequence, UNBOUNDED } from '../../server/src/core/analyze';
import type { ExplainOptions } from '../../server/src/core/explain';
import type { Report } from '../../server/src/core/model';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';
import { analysed, assertSame, FIXTURES, json, noise, OPTIONS, URI, editInserts } from './edit-check';
import { printedAgain } from '../core/floods';

setCodeDocs(NO_CODE_DOCS);

const RUNS = Number(process.env.KLENS_WINDOW_RUNS ?? 120);

/** What an edit inserts: nothing, characters, line breaks, anchor words, a header line, a
 * rate-limiter line, a banner, or a paste of the document's own lines. */
const INSERTS = editInserts(
  ['', 'x', '0', ' ', '\n', '\r\n', '\r', '\n\n', 'alloc', 'Mem-Info:', 'oom-killer', ':', ','],
  8,
  [
    'Mar 18 11:00:01 web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20\n',
    'Mar 18 11:00:02 web01 kernel: warn_alloc: 3 callbacks suppressed\n',
    'Mar 18 11:00:03 web01 kernel: Linux version 5.10.0-21-amd64 (debian-kernel@lists.debian.org)\n',
    'Mar 18 11:00:04 web01 kernel: Mem-Info:\n',
    '[ 12.345678] kworker/0:1 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0\n',
  ],
  6,
);

/** Where an edit begins: inside a report (a line of its span, a column), or near an anchor. */
const PLACES = fc.oneof(
  fc.record({ report: fc.nat(), line: fc.double({ min: 0, max: 1, noNaN: true }), column: fc.nat(120) }),
  fc.record({ anchor: fc.nat(), shift: fc.integer({ min: -30, max: 12 }) }),
  fc.record({ before: fc.nat(), lines: fc.integer({ min: 1, max: 12 }) }),
);

const EDIT = fc.record({
  place: PLACES,
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 200 })),
  insert: INSERTS,
});

const CASE = fc.record({
  fixture: fc.nat(FIXTURES.length - 1),
  before: fc.integer({ min: 0, max: 300 }),
  after: fc.integer({ min: 0, max: 300 }),
  second: fc.option(fc.nat(FIXTURES.length - 1), { nil: undefined }),
  noiseSeed: fc.nat(),
  versions: fc.array(fc.array(EDIT, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
});

type Edit = typeof EDIT extends fc.Arbitrary<infer T> ? T : never;

/** The change an edit makes on the document's current text and last analysis. */
function changeOf(doc: EditedDocument, last: LogDocument, edit: Edit) {
  const text = doc.getText();
  const lines = doc.lines;
  const p = edit.place;
  let from: number;
  if ('report' in p && last.reports.length > 0) {
    const { report } = last.reports[p.report % last.reports.length];
    const line = report.line + Math.floor(p.line * (report.endLine - report.line + 1));
    const start = lines.offsetAt({ line, character: 0 });
    from = Math.min(start + p.column, lines.lineEndOffset(Math.min(line, lines.lineCount - 1)));
  } else if ('before' in p && last.reports.length > 0) {
    // a few lines before a report's header: its lookbehind, the comm piece, the trigger
    const { report } = last.reports[p.before % last.reports.length];
    from = lines.offsetAt({ line: Math.max(0, report.line - p.lines), character: 0 });
  } else {
    const at: number[] = [];
    for (const a of READER_ANCHORS)
      for (let i = text.indexOf(a); i >= 0 && at.length < 200; i = text.indexOf(a, i + 1)) at.push(i);
    const anchor = 'anchor' in p ? p.anchor : 0;
    const shift = 'shift' in p ? p.shift : 0;
    from = at.length ? at[anchor % at.length] + shift : 0;
  }
  from = Math.max(0, Math.min(text.length, from));
  const to = Math.min(text.length, from + edit.remove);
  let inserted: string;
  if (typeof edit.insert === 'string') inserted = edit.insert;
  else {
    const first = edit.insert.paste % lines.lineCount;
    inserted = text.slice(
      lines.offsetAt({ line: first, character: 0 }),
      lines.offsetAt({ line: first + edit.insert.lines, character: 0 }),
    );
  }
  const range = { start: lines.positionAt(from), end: lines.positionAt(to) };
  return { range, text: inserted, from: lines.offsetAt(range.start), to: lines.offsetAt(range.end) };
}

/** The server's first analysis of a version (server.ts `analyse`, without the slices). */

/** The next version's analysis as server.ts `movedFrom` makes it, and which way it was made. */
function next(
  doc: EditedDocument,
  last: LogDocument,
): { doc: LogDocument; how: 'moved' | 'window' | 'read' } {
  const noiseEdits = doc.editsFrom(last.version);
  const moved = noiseEdits && movedDocument(last, doc.version, doc.lines, noiseEdits);
  if (moved) return { doc: moved, how: 'moved' };
  const edits = doc.lineEditsFrom(last.version);
  const windowed = edits && windowedDocument(last, doc.version, doc.lines, edits, (a, b) => doc.slice(a, b));
  if (windowed) return { doc: windowed, how: 'window' };
  return { doc: analysed(doc), how: 'read' };
}

/** Makes each version's edits on `text`, and checks each version's analysis, as the server makes
 * it, against a fresh one; counts the ways they were made. */
function editVersions(
  start: string,
  versions: Edit[][],
  count: Record<'moved' | 'window' | 'read', number>,
): void {
  let text = start;
  const doc = new EditedDocument(URI, 'kernel-log', 1, text);
  let last = analysed(doc);
  versions.forEach((changes, v) => {
    const made = changes.map((edit) => {
      const change = changeOf(doc, last, edit);
      text = text.slice(0, change.from) + change.text + text.slice(change.to);
      doc.update([{ range: change.range, text: change.text }], doc.version + 1);
      return change;
    });
    const { doc: made2, how } = next(doc, last);
    count[how]++;
    doc.forgetEditsBefore(made2.version);
    const where = `after version ${v + 2} (${how}; ${json(made.map((m) => [m.from, m.to, m.text.slice(0, 40)]))})`;
    assertSame(made2, text, where);
    last = made2;
  });
}

test(`random edits inside and next to reports on every fixture: each version equals a fresh analysis (${RUNS} runs)`, () => {
  const count = { moved: 0, window: 0, read: 0 };
  fc.assert(
    fc.property(CASE, (c) => {
      const parts = [noise(c.before, c.noiseSeed), FIXTURES[c.fixture].text, noise(c.after, c.noiseSeed + 1)];
      if (c.second !== undefined)
        parts.push(FIXTURES[c.second].text, noise(c.after, c.noiseSeed + 2, 'db02'));
      editVersions(parts.join('\n'), c.versions, count);
    }),
    {
      numRuns: RUNS,
      includeErrorInReport: true,
      ...(process.env.KLENS_WINDOW_SEED
        ? { seed: Number(process.env.KLENS_WINDOW_SEED), path: process.env.KLENS_WINDOW_PATH }
        : {}),
    },
  );
  if (process.env.KLENS_WINDOW_RUNS) console.log(count);
  // the window path is the one taken most: edits land in reports, few are noise edits
  assert.ok(count.window > RUNS, `only ${count.window} versions read in a window (${json(count)})`);
});

/** Fixtures printed eight times with other stamps: floods whose copies a reading takes as runs
 * (core/repeat-run.ts), which edits then cut, shorten or join. */
const FLOODS = FIXTURES.filter((_, i) => i % 7 === 0).map((f) => printedAgain(f.text.slice(0, 6_000), 8));

test(`random edits in floods read as runs of copies: each version equals a fresh analysis (${RUNS / 2} runs)`, () => {
  const count = { moved: 0, window: 0, read: 0 };
  fc.assert(
    fc.property(CASE, (c) => {
      const flood = FLOODS[c.fixture % FLOODS.length];
      editVersions(
        [noise(c.before, c.noiseSeed), flood, noise(c.after, c.noiseSeed + 1)].join('\n'),
        c.versions,
        count,
      );
    }),
    {
      numRuns: RUNS / 2,
      includeErrorInReport: true,
      // a failure prints its seed: KLENS_FLOOD_EDIT_SEED replays it
      ...(process.env.KLENS_FLOOD_EDIT_SEED ? { seed: Number(process.env.KLENS_FLOOD_EDIT_SEED) } : {}),
    },
  );
  assert.ok(count.window + count.moved > RUNS / 2, json(count));
});

test('an edit that may form a journal byte array is read whole (every line is read then)', () => {
  const { doc } = threeReports();
  doc.update(
    [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '"MESSAGE" : [' }],
    2,
  );
  assert.equal(doc.lineEditsFrom(1), null);
});

/** A report in the middle of noise, with reports before and after it. */
function threeReports(): { doc: EditedDocument; before: LogDocument } {
  const fixture = FIXTURES.find(
    (f) => f.path.endsWith('.log') && analyzeDocument(URI, 1, f.text, OPTIONS).reports.length === 1,
  )!;
  const text = [
    noise(200, 1),
    fixture.text,
    noise(200, 2),
    fixture.text,
    noise(200, 3),
    fixture.text,
    noise(200, 4),
  ].join('\n');
  const doc = new EditedDocument(URI, 'kernel-log', 1, text);
  const before = analysed(doc);
  assert.equal(before.reports.length, 3);
  return { doc, before };
}

test('one character typed inside the middle report reads only a window and keeps the others', () => {
  const { doc, before } = threeReports();
  const [first, middle, last] = before.reports.map((r) => r.report);
  const line = Math.min(middle.line + 1, middle.endLine);
  doc.update([{ range: { start: { line, character: 2 }, end: { line, character: 2 } }, text: 'x' }], 2);
  const noiseEdits = doc.editsFrom(1);
  assert.ok(noiseEdits === null || movedDocument(before, 2, doc.lines, noiseEdits) === null, 'not moved');
  const after = windowedDocument(before, 2, doc.lines, doc.lineEditsFrom(1)!, (a, b) => doc.slice(a, b));
  assert.ok(after, 'read in a window');
  assertSame(after, doc.getText(), 'after the edit');
  // the window holds the middle report and stops before the last one
  assert.ok(
    after.readAgain!.from < middle.line && after.readAgain!.from > first.endLine,
    json(after.readAgain),
  );
  assert.ok(after.readAgain!.to > middle.endLine && after.readAgain!.to <= last.line, json(after.readAgain));
  // the reports outside it are the same objects, their analyses share everything but the repeat
  assert.equal(after.log.reports[0], first);
  assert.equal(after.log.reports[2], last);
  assert.notEqual(after.log.reports[1], middle);
  for (const i of [0, 2]) {
    assert.equal(after.analysis.reports[i].era, before.analysis.reports[i].era);
    assert.equal(after.analysis.reports[i].zones, before.analysis.reports[i].zones);
  }
  // a line break inside it: the last report moves one line down, its analysis with it
  doc.update([{ range: { start: { line, character: 3 }, end: { line, character: 3 } }, text: '\n' }], 3);
  const broken = windowedDocument(after, 3, doc.lines, doc.lineEditsFrom(2)!, (a, b) => doc.slice(a, b));
  assert.ok(broken);
  assertSame(broken, doc.getText(), 'after the line break');
  assert.equal(broken.log.reports[0], first);
  assert.equal(broken.log.reports[2].line, last.line + 1);
  assert.equal(broken.analysis.reports[2].line, last.line + 1);
});

test('deleting the anchor of a report removes it and regroups the repeats', () => {
  const { doc, before } = threeReports();
  // the three reports are one repeat group (the same fixture three times)
  assert.equal(before.analysis.reports[0].repeat.count, 3);
  const middle = before.reports[1].report;
  const text = doc.getText();
  const lineText = text.slice(
    doc.lines.offsetAt({ line: middle.line, character: 0 }),
    doc.lines.lineEndOffset(middle.line),
  );
  const anchor = READER_ANCHORS.map((a) => lineText.indexOf(a)).find((i) => i >= 0)!;
  assert.ok(anchor >= 0, 'the header holds an anchor');
  const range = {
    start: { line: middle.line, character: anchor },
    end: { line: middle.line, character: anchor + 3 },
  };
  doc.update([{ range, text: '' }], 2);
  const after = windowedDocument(before, 2, doc.lines, doc.lineEditsFrom(1)!, (a, b) => doc.slice(a, b));
  assert.ok(after, 'read in a window');
  assertSame(after, doc.getText(), 'after deleting the anchor');
  assert.notEqual(after.analysis.reports[0].repeat.count, 3);
});

test('combinedEdit covers every edit of a version, each in the lines the one before left', () => {
  // lines 10..12 became 10..14, then lines 20..21 (old 18..19) became 20..20
  assert.deepEqual(
    combinedEdit([
      { first: 10, last: 12, delta: 2 },
      { first: 20, last: 21, delta: -1 },
    ]),
    { first: 10, last: 19, delta: 1 },
  );
  // an edit before the first one
  assert.deepEqual(
    combinedEdit([
      { first: 10, last: 12, delta: 0 },
      { first: 3, last: 4, delta: 1 },
    ]),
    { first: 3, last: 12, delta: 1 },
  );
  assert.equal(combinedEdit([]), null);
});

/** The release ReportSequence (analyze.ts) gives each report, the window's reading included:
 * every analysis taken from `reuse`, so that only the releases are worked out. */
function releases(
  reports: readonly Report[],
  bannerOf: (r: Report) => string | null,
  kernelRelease: string | null,
) {
  const out: ExplainOptions[] = [];
  const stub = (r: Report) =>
    ({ time: r.time, headline: '', context: { chainText: '' }, repeat: null }) as unknown as ReportAnalysis;
  const sequence = new ReportSequence(
    (item) => out.push(item.release),
    { kernelRelease },
    UNBOUNDED,
    true,
    stub,
  );
  for (const r of reports) sequence.push(r, bannerOf(r));
  sequence.end();
  return out;
}

test('releases: a report without one takes its host sibling’s, else the banner', () => {
  const r = (host: string | null, kernel: string | null) =>
    ({ host, kernel, time: null, comm: null, suppressedBefore: 0, line: 0 }) as unknown as Report;
  const list = [r('a', null), r('b', null), r('a', '5.10.0'), r('b', null)];
  const banners = new Map(list.map((x, i) => [x, i < 2 ? null : '4.19.0']));
  assert.deepEqual(
    releases(list, (x) => banners.get(x)!, null),
    [
      { kernelRelease: '5.10.0', kernelReleaseSource: 'from another report of a in this log' },
      // held behind the first until its host's release came: the banner of the last report pushed
      { kernelRelease: '4.19.0', kernelReleaseSource: 'from the Linux version banner in this log' },
      {},
      { kernelRelease: '4.19.0', kernelReleaseSource: 'from the Linux version banner in this log' },
    ],
  );
  assert.deepEqual(
    releases(list, () => null, '6.1.0'),
    Array(4).fill({ kernelRelease: '6.1.0' }),
  );
});
