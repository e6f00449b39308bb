// The header hover links the report view (the VS Code client runs SHOW_REPORT_COMMAND from it):
// the one per-report entry to the view that is there by default, where the CodeLens is opt-in.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hover, reportLink } from '../../server/src/features/hover';
import { SHOW_REPORT_COMMAND } from '../../shared/protocol';
import { analyzeDocument } from '../../server/src/features/document';

const SEED = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8');

function value(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value : '';
}

test('the header hover ends with a link that opens the report view at this report', () => {
  const doc = analyzeDocument('file:///logs/seed%20copy.log', 1, SEED, { kernelRelease: '' });
  const { report } = doc.reports[0];
  const at = { line: report.headerRange.startLine, character: report.headerRange.startChar + 2 };
  const text = value(hover(doc, at, { reportLink: true }));
  const link = /\[Show report\]\(command:([\w.]+)\?([^ )]+) "[^"]+"\)$/.exec(text);
  assert.ok(link, text);
  assert.equal(link[1], SHOW_REPORT_COMMAND);
  assert.deepStrictEqual(JSON.parse(decodeURIComponent(link[2])), [
    'file:///logs/seed%20copy.log',
    report.line,
  ]);
  assert.equal(text.split('[Show report]').length, 2, 'one link');
  // a client that cannot run the command gets no link, and no other hover has one
  assert.doesNotMatch(value(hover(doc, at)), /command:/);
  const zoneLine = SEED.split('\n').findIndex((l) => l.includes('Node 1 Normal free:'));
  assert.doesNotMatch(value(hover(doc, { line: zoneLine, character: 8 }, { reportLink: true })), /command:/);
});

test("the link's arguments cannot close it: a uri with brackets, quotes and spaces stays inside", () => {
  const link = reportLink('file:///logs/a) [b](command:evil) "c".log', 7);
  const m = /^\[Show report\]\(command:kernelLogLens\.showReport\?([^ )"]+) "[^"]+"\)$/.exec(link);
  assert.ok(m, link);
  assert.deepStrictEqual(JSON.parse(decodeURIComponent(m[1])), [
    'file:///logs/a) [b](command:evil) "c".log',
    7,
  ]);
});
