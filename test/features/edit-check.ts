// What the two edit property tests (incremental-edits: noise edits moved; incremental-report-edits:
// edits in reports read in a window) share: the fixtures and noise they edit, a fresh analysis
// of a version, and the comparison of everything a client or a feature can see of a document.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EditedDocument } from '../../server/src/edited-document';
import {
  analysisJob,
  analyzeDocument,
  documentOf,
  type LogDocument,
} from '../../server/src/features/document';
import { CopiedReport } from '../../server/src/core/analyze';
import { diagnostics } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { DEFAULT_SETTINGS } from '../../server/src/features/settings';
import { documentStatus } from '../../server/src/features/status';
import type { SkipState } from '../../server/src/core/parse';
import { allFixtureFiles } from '../core/fixture-files';

export const URI = 'file:///edited.log';
export const OPTIONS = { kernelRelease: '' };

/** Every fixture log, at most 40 kB of each (the edits reach all of it, the runs stay short). */
export const FIXTURES = allFixtureFiles()
  .map((path) => ({ path, text: readFileSync(path, 'utf8').slice(0, 40_000) }))
  .filter((f) => f.text.length > 0);

/** Generated daemon noise: syslog lines of other programs, some blank, some unframed. */
export function noise(lines: number, seed: number, host = 'web01'): string {
  const out: string[] = [];
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < lines; i++) {
    const r = next() % 20;
    const t = `Mar 18 10:${String((i >> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    if (r === 0) out.push('');
    else if (r === 1) out.push(`  continuation of a daemon's message ${i}`);
    else
      out.push(
        `${t} ${host} sshd[${1000 + (next() % 9000)}]: Accepted publickey for u${i} port ${next() % 65536}`,
      );
  }
  return out.join('\n');
}

/** The version's analysis read whole (as the server does when nothing can be kept). */
export function analysed(doc: EditedDocument): LogDocument {
  const text = doc.getText();
  const job = analysisJob(text, OPTIONS);
  job.run(() => false);
  return documentOf(URI, doc.version, text, OPTIONS, job, doc.lines);
}

export const json = (x: unknown): string => JSON.stringify(x);
const states = (s: readonly SkipState[] | null) => s && s.map((x) => ({ ...x, framings: [...x.framings] }));

/** Everything a client or a feature can see of a document (and what the next edit starts from:
 * the skipped stretches, what was carried into them, each report's release), compared with a
 * fresh analysis of `text`. */
export function assertSame(got: LogDocument, text: string, where: string): void {
  const want = analyzeDocument(URI, got.version, text, OPTIONS);
  assert.equal(got.lines.text, text, `text ${where}`);
  assert.equal(got.lines.lineCount, want.lines.lineCount, `line count ${where}`);
  for (let line = 0; line < want.lines.lineCount; line++)
    assert.deepEqual(got.lines.lineRange(line), want.lines.lineRange(line), `line ${line} ${where}`);
  if ([got, want].some((d) => d.reports.some((e) => e instanceof CopiedReport)))
    // A flood's copies left unmade (a fresh reading's copy blocks) against the same copies made
    // (a window read again after an edit makes them), or the other way round: two forms of one
    // reading. Every report (made here) and everything seen of the log must be the same; what the
    // next edit starts from differs by design (a document with blocks is read again whole).
    assertSameReports(got, want, where);
  else {
    const { banners: gotBanners, ...gotLog } = got.log;
    const { banners: wantBanners, ...wantLog } = want.log;
    assert.deepStrictEqual(gotLog, wantLog, `parsed log ${where}`);
    assert.deepEqual(
      got.log.reports.map((_, i) => gotBanners?.[i]),
      want.log.reports.map((_, i) => wantBanners?.[i]),
      `banner releases ${where}`,
    );
    assert.deepStrictEqual(got.analysis, want.analysis, `analysis ${where}`);
    assert.deepEqual(got.skipped, want.skipped, `skipped stretches ${where}`);
    assert.deepStrictEqual(states(got.skipStates), states(want.skipStates), `skip states ${where}`);
    assert.deepStrictEqual(got.releases, want.releases, `releases ${where}`);
  }
  assert.deepEqual([...got.owners], [...want.owners], `owners ${where}`);
  assert.equal(
    json(diagnostics(got, DEFAULT_SETTINGS)),
    json(diagnostics(want, DEFAULT_SETTINGS)),
    `diagnostics ${where}`,
  );
  assert.equal(json(documentSymbols(got)), json(documentSymbols(want)), `outline ${where}`);
  assert.equal(json(foldingRanges(got)), json(foldingRanges(want)), `folding ${where}`);
  assert.equal(json(documentStatus(got)), json(documentStatus(want)), `status ${where}`);
}

/** Every report of two documents of one text, report by report (a copy made by asking), and the
 * log's own values: its framing, line count, rate-limiter lines, banner release, findings and
 * where the analysis stopped. */
function assertSameReports(got: LogDocument, want: LogDocument, where: string): void {
  assert.equal(got.reports.length, want.reports.length, `reports ${where}`);
  got.reports.forEach((g, i) => {
    const w = want.reports[i];
    assert.equal(g.index, w.index, `report ${i} ${where}`);
    assert.deepStrictEqual(plain(g.report), plain(w.report), `report ${i} ${where}`);
    assert.deepStrictEqual(plain(g.analysis), plain(w.analysis), `analysis ${i} ${where}`);
  });
  const seen = (d: LogDocument) => {
    const { framing, lineCount, suppressions, kernelRelease, quotedPrintableFrom } = d.log;
    return plain({
      framing,
      lineCount,
      suppressions,
      kernelRelease,
      quotedPrintableFrom,
      findings: d.analysis.findings,
    });
  };
  assert.deepStrictEqual(seen(got), seen(want), `parsed log ${where}`);
  assert.deepStrictEqual(got.stoppedAt, want.stoppedAt, `stopped ${where}`);
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

/** What a random edit inserts: one of `texts` (characters, line breaks, anchor words), a string of
 * up to `maxString` characters, one of `lines` (whole log lines), or a paste of up to `pasteLines`
 * of the document's own lines (chosen when the edit is made). */
export function editInserts(texts: string[], maxString: number, lines: string[], pasteLines: number) {
  return fc.oneof(
    fc.constantFrom(...texts),
    fc.string({ maxLength: maxString }),
    fc.constantFrom(...lines),
    fc.record({ paste: fc.nat(), lines: fc.integer({ min: 1, max: pasteLines }) }),
  );
}
