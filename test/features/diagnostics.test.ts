import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { allFixtureFiles } from '../core/fixture-files';
import { NO_CODE_DOCS, setCodeDocs } from '../../server/src/features/codes';
import { diagnostics } from '../../server/src/features/diagnostics';
import { docOf, URI } from './helpers';
import { SAMPLE } from './sample';

test('one warning on the header with the verdict-first message, zone lines as related information', () => {
  const items = diagnostics(docOf(SAMPLE), { zoneDiagnostics: true });
  const report = items.find((d) => d.code === 'KLL001');
  assert.ok(report);
  assert.equal(report.severity, 2);
  assert.deepEqual(report.range.start, { line: 0, character: 15 });
  assert.match(
    report.message,
    /^order-3 GFP_ATOMIC failed: zones passed the check \(race, constraint or give-up\)/,
  );
  assert.deepEqual(
    report.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
    [
      [URI, 0],
      [URI, 19],
      [URI, 21],
    ],
  );
  // without a page to link (the default), no link; the server says at initialize where the pages are
  assert.equal(report.codeDescription, undefined);
  setCodeDocs({ kind: 'folder', uri: 'file:///opt/klens/docs/codes' });
  try {
    const [linked] = diagnostics(docOf(SAMPLE), { zoneDiagnostics: true });
    assert.equal(linked.code, 'KLL001');
    assert.equal(linked.codeDescription?.href, 'file:///opt/klens/docs/codes/KLL001.md');
  } finally {
    setCodeDocs(NO_CODE_DOCS);
  }
});

test('zone diagnostics follow the setting', () => {
  const on = diagnostics(docOf(SAMPLE), { zoneDiagnostics: true }).filter((d) => d.range.start.line === 21);
  assert.deepEqual(
    on.map((d) => [d.code, d.severity]),
    [['KLL011', 4]],
  );
  assert.deepEqual(on[0].range, {
    start: { line: 21, character: 15 },
    end: { line: 21, character: SAMPLE.split('\n')[21].length },
  });
  const off = diagnostics(docOf(SAMPLE), { zoneDiagnostics: false }).filter((d) => d.range.start.line === 21);
  assert.deepEqual(off, []);
});

test('an OOM kill is an error; identical repeats are grouped on the first', () => {
  const oom = SAMPLE.replace(
    'kworker/0:1: page allocation failure: order:3, mode:0x2080020(GFP_ATOMIC)',
    'java invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), nodemask=0, order=0, oom_score_adj=0',
  );
  assert.equal(
    diagnostics(docOf(oom), { zoneDiagnostics: false }).find((d) => d.code === 'KLL002')?.severity,
    1,
  );

  const header = SAMPLE.split('\n')[0];
  const later = header.replace('100.000000', '160.500000');
  const items = diagnostics(docOf([header, later, later].join('\n')), { zoneDiagnostics: false }).filter(
    (d) => d.code === 'KLL001',
  );
  // one diagnostic for the group (issue #17): the repeats are its related locations
  assert.deepEqual(
    items.map((d) => [d.range.start.line, d.severity]),
    [[0, 2]],
  );
  assert.deepEqual(
    items[0].relatedInformation?.slice(-2).map((r) => [r.location.range.start.line, r.message]),
    [
      [1, 'repeat 2 of 3'],
      [2, 'repeat 3 of 3'],
    ],
  );
  assert.match(
    items[0].message,
    /^order-3 GFP_ATOMIC failed: undecidable \(3 identical reports between \[?\s*100\.000000\]? and \[?\s*160\.500000\]?\)/,
  );
});

test('a flood of one report does not crowd out another: 3000 repeats, then a different report', () => {
  const flood = Array.from(
    { length: 3000 },
    (_, i) =>
      `Mar 18 14:39:${String(i % 60).padStart(2, '0')} web01 kernel: swapper: page allocation failure. order:1, mode:0x20`,
  );
  const oom =
    'Mar 18 14:40:00 web01 kernel: mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0';
  const items = diagnostics(docOf([...flood, oom].join('\n')), { zoneDiagnostics: true });
  const reports = items.filter((d) => ['KLL001', 'KLL002'].includes(String(d.code)));
  assert.deepEqual(
    reports.map((d) => [d.code, d.range.start.line]),
    [
      ['KLL001', 0],
      ['KLL002', 3000],
    ],
  );
  assert.match(reports[0].message, /\(3000 identical reports between Mar 18 14:39:00 and Mar 18 14:39:59\)/);
  assert.equal(reports[0].relatedInformation?.length, 202, 'the request, the first 200 repeats and the last');
  assert.equal(items.filter((d) => d.code === 'KLL031').length, 0, 'nothing left out');
});

test('a cancelled request stops at the next report', () => {
  assert.deepEqual(
    diagnostics(docOf(SAMPLE), { zoneDiagnostics: true }, { isCancellationRequested: true }),
    [],
  );
});

test('no report, no diagnostic', () => {
  assert.deepEqual(
    diagnostics(docOf('Apr 28 05:30:51 host kernel: e1000: eth0 NIC Link is Up\n'), {
      zoneDiagnostics: true,
    }),
    [],
  );
});

test('every fixture: each report diagnostic (repeat counts included) fits a Problems row of 120 characters', () => {
  let n = 0;
  for (const file of allFixtureFiles()) {
    for (const d of diagnostics(docOf(readFileSync(file, 'utf8')), { zoneDiagnostics: true })) {
      if (!['KLL001', 'KLL002', 'KLL003', 'KLL004', 'KLL005', 'KLL006'].includes(String(d.code))) continue;
      n++;
      assert.ok(d.message.length <= 120, `${file} line ${d.range.start.line + 1}: ${d.message}`);
      for (const r of d.relatedInformation ?? [])
        assert.doesNotMatch(r.message, /[−≤>] \d|= \d/, `${file}: ${r.message}`);
    }
  }
  assert.ok(n > 100, `${n} report diagnostics`);
});
