// A move leaves its plans under the analyses it hands out, so the next move of the same reports
// starts from them instead of planning again (incremental.ts movedReading).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeLog } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { movedReading } from '../../server/src/core/incremental';

test('every analysis a line-adding move hands out carries its plan, and a second move reuses them', () => {
  const seed = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8');
  const text = 'noise\n' + seed + seed;
  const parsed = parseLog(text);
  const analysis = analyzeLog(parsed);
  const first = movedReading(parsed, analysis, [{ first: 0, last: 0, delta: 1 }]);
  assert.ok(first.analysis.reports.length >= 2);
  for (const a of first.analysis.reports) assert.ok(first.plans.has(a), `plan of report at ${a.line}`);
  const second = movedReading(first.parsed, first.analysis, [{ first: 0, last: 0, delta: 1 }], first.plans);
  for (const a of second.analysis.reports) assert.ok(second.plans.has(a));
  assert.deepStrictEqual(
    JSON.parse(JSON.stringify(second.analysis)),
    JSON.parse(JSON.stringify(analyzeLog(parseLog('\n\n' + text)))),
  );
});
