import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { documentStatus, sysctlSuggestions } from '../../server/src/features/status';
import { docOf } from './helpers';
import { SAMPLE } from './sample';

test('outline: the report, then its zones with their state', () => {
  const [report] = documentSymbols(docOf(SAMPLE));
  assert.equal(report.name, 'Page allocation failure order 3 — kworker/0:1');
  assert.deepEqual(report.selectionRange.start, { line: 0, character: 15 });
  assert.equal(report.range.end.line, 26);
  assert.deepEqual(
    report.children?.map((c) => [c.name, c.detail, c.range.start.line]),
    [
      ['Node 0 DMA', 'free 15364 kB, ok', 19],
      // its order-3 check fails (no free block ≥ order 3): said beside the state (issue #13 rule 10)
      ['Node 0 DMA32', 'free 6000 kB, below low, fails request', 21],
    ],
  );
});

test('folding: report, call trace, Mem-Info', () => {
  assert.deepEqual(foldingRanges(docOf(SAMPLE)), [
    { startLine: 0, endLine: 26, kind: 'region', collapsedText: 'report' },
    { startLine: 4, endLine: 10, kind: 'region', collapsedText: 'call trace' },
    { startLine: 12, endLine: 24, kind: 'region', collapsedText: 'Mem-Info' },
  ]);
});

test('status and the file-level suggestions', () => {
  const doc = docOf(`[   99.000000] warn_alloc: 3 callbacks suppressed\n${SAMPLE}`);
  assert.deepEqual(documentStatus(doc), {
    uri: doc.uri,
    version: 1,
    reports: 1,
    byKind: { page_alloc_failure: 1 },
    suppressed: 3,
    summary: {
      text: '1 kernel memory report',
      detail: "1 × page alloc failure, 3 suppressed by the kernel's rate limit",
    },
  });
  const { text, count } = sysctlSuggestions(doc, 'conf');
  assert.equal(count, doc.reports[0].analysis.sysctl.filter((s) => s.recommended).length);
  assert.match(text, /^# Kernel Log Lens: recommended for messages \(1 reports\)\n/);
});
