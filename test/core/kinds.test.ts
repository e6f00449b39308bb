// The report kinds table (core/kinds.ts): every kind has every field, and what the front ends
// derive from it (finding codes, severities, CLI labels, outline symbols) is what the table says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DiagnosticSeverity, SymbolKind } from 'vscode-languageserver';
import { analyzeText } from '../../server/src/core/analyze';
import { FINDING_CODES, REPORT_CODE } from '../../server/src/core/codes';
import { LINE_FORMATS } from '../../server/src/core/formats';
import { REPORT_KIND_LIST, REPORT_KINDS, perKind, type ReportKindSpec } from '../../server/src/core/kinds';
import type { ReportKind } from '../../server/src/core/model';
import { parseLog } from '../../server/src/core/parse';
import { REPORT_SEVERITY } from '../../server/src/features/diagnostics';
import { FIXTURE_LOGS } from './fixture-files';

const KINDS: ReportKind[] = [
  'page_alloc_failure',
  'oom_kill',
  'vmalloc_failure',
  'slub_failure',
  'alloc_stall',
  'show_mem',
];

const FIELDS = [
  'code',
  'label',
  'maskLabel',
  'orderLabel',
  'headerStyle',
  'replayable',
  'zoneLines',
  'remedies',
  'endsOn',
  'outline',
  'headline',
  'summary',
  'message',
  'impact',
  'notApplicable',
].sort();

// Type-level: a kind without its row, or a row without a field, does not compile.
const fiveKinds: Omit<typeof REPORT_KINDS, 'show_mem'> = REPORT_KINDS;
// @ts-expect-error show_mem's row is missing
const missingKind: Record<ReportKind, ReportKindSpec> = fiveKinds;
const withoutLabel: Omit<ReportKindSpec, 'label'> = REPORT_KINDS.show_mem;
// @ts-expect-error the row has no label
const missingField: ReportKindSpec = withoutLabel;
void missingKind;
void missingField;

test('every report kind has one row, with every field filled', () => {
  assert.deepEqual([...REPORT_KIND_LIST].sort(), [...KINDS].sort());
  for (const kind of KINDS) {
    const row = REPORT_KINDS[kind];
    assert.deepEqual(Object.keys(row).sort(), FIELDS, kind);
    for (const field of FIELDS)
      assert.notEqual((row as unknown as Record<string, unknown>)[field], undefined, `${kind}.${field}`);
    assert.ok(row.code in FINDING_CODES, `${kind}: ${row.code} is a finding code`);
    assert.ok(
      LINE_FORMATS.some((f) => f.ends === row.endsOn),
      `${kind} ends on a line format's \`ends\``,
    );
  }
});

test('the report codes are the table’s, each with its documented title', () => {
  assert.deepEqual(REPORT_CODE, {
    page_alloc_failure: 'KLL001',
    oom_kill: 'KLL002',
    vmalloc_failure: 'KLL003',
    slub_failure: 'KLL004',
    alloc_stall: 'KLL005',
    show_mem: 'KLL006',
  });
  assert.deepEqual(
    REPORT_CODE,
    perKind((spec) => spec.code),
  );
  assert.deepEqual(
    perKind((spec) => FINDING_CODES[spec.code].title),
    {
      page_alloc_failure: 'Page allocation failure',
      oom_kill: 'OOM killer invoked',
      vmalloc_failure: 'vmalloc failure',
      slub_failure: 'SLUB could not allocate a slab',
      alloc_stall: 'Page allocation stall',
      show_mem: 'Memory dump (show_mem)',
    },
  );
  // No two kinds share a code.
  assert.equal(new Set(Object.values(REPORT_CODE)).size, KINDS.length);
});

test('severity is stated once: warning for allocation failures, error for OOM kills, information for show_mem', () => {
  assert.deepEqual(
    perKind((spec) => FINDING_CODES[spec.code].severity),
    {
      page_alloc_failure: 'warning',
      oom_kill: 'error',
      vmalloc_failure: 'warning',
      slub_failure: 'warning',
      alloc_stall: 'warning',
      show_mem: 'information',
    },
  );
  assert.deepEqual(REPORT_SEVERITY, {
    page_alloc_failure: DiagnosticSeverity.Warning,
    oom_kill: DiagnosticSeverity.Error,
    vmalloc_failure: DiagnosticSeverity.Warning,
    slub_failure: DiagnosticSeverity.Warning,
    alloc_stall: DiagnosticSeverity.Warning,
    show_mem: DiagnosticSeverity.Information,
  });
});

test('the header labels, the CLI headings, replayability, ends and outline symbols per kind', () => {
  assert.deepEqual(
    perKind((s) => [s.label, s.maskLabel, s.orderLabel, s.headerStyle, s.replayable, s.endsOn, s.outline]),
    {
      page_alloc_failure: ['page allocation failure', 'mode:', 'order:', true, true, 'dump', 'Object'],
      oom_kill: ['OOM kill', 'gfp_mask=', 'order=', false, true, 'oom', 'Event'],
      vmalloc_failure: ['vmalloc failure', 'mode:', 'order:', true, true, 'dump', 'Object'],
      slub_failure: ['SLUB allocation failure', 'mode:', 'order:', false, false, 'dump', 'Object'],
      alloc_stall: ['allocation stall', 'mode:', 'order:', false, true, 'dump', 'Object'],
      show_mem: ['Mem-Info dump', 'mode:', 'order:', false, false, 'dump', 'Object'],
    },
  );
  assert.deepEqual(
    perKind((s) => s.zoneLines),
    {
      page_alloc_failure: true,
      oom_kill: true,
      vmalloc_failure: true,
      slub_failure: false,
      alloc_stall: true,
      show_mem: true,
    },
  );
  assert.equal(SymbolKind[REPORT_KINDS.oom_kill.outline], SymbolKind.Event);
  assert.equal(SymbolKind[REPORT_KINDS.show_mem.outline], SymbolKind.Object);
});

test('the kinds that decide nothing against the zones: their verdict text, and null for the others', () => {
  const report = parseLog(readFileSync('test/fixtures/corpus/000-seed.log', 'utf8')).reports[0];
  const texts = perKind((s) => s.notApplicable?.({ ...report, stallMs: 5000 }).short ?? null);
  assert.deepEqual(texts, {
    page_alloc_failure: null,
    oom_kill: null,
    vmalloc_failure: null,
    slub_failure: 'slab could not grow',
    alloc_stall: 'allocation stalled in reclaim',
    show_mem: 'memory dump',
  });
  assert.equal(
    REPORT_KINDS.alloc_stall.notApplicable?.({ ...report, stallMs: 5000 }).text,
    'The allocation stalled for 5000 ms in reclaim but had not failed when this was printed.',
  );
});

test('on every fixture: the headline, the verdict and the suggestions follow the kind’s row', () => {
  const seen = perKind(() => 0);
  const zoneless = perKind(() => 0);
  for (const file of FIXTURE_LOGS) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseLog(text).reports;
    const analysed = analyzeText(text).reports;
    assert.equal(analysed.length, parsed.length, file);
    parsed.forEach((r, i) => {
      seen[r.kind]++;
      assert.equal(analysed[i].headline, REPORT_KINDS[r.kind].headline(r), `${file} report ${i}`);
      if (REPORT_KINDS[r.kind].notApplicable) assert.equal(analysed[i].verdict, 'not_applicable');
      const ids = analysed[i].remedies.map((m) => m.id);
      const tuned =
        REPORT_KINDS[r.kind].remedies === 'watermarks' ||
        (REPORT_KINDS[r.kind].remedies === 'watermarks_if_decided' &&
          analysed[i].verdict !== 'not_applicable');
      assert.equal(ids.includes('min_free_kbytes'), tuned, `${file} report ${i}: ${ids.join(' ')}`);
      assert.equal(ids.includes('oom'), REPORT_KINDS[r.kind].remedies === 'oom', `${file} report ${i}`);
      if (r.zones.length === 0) {
        zoneless[r.kind]++;
        // a memcg OOM prints no Mem-Info at all (mm/oom_kill.c dump_header: show_mem only when
        // !is_memcg_oom), so its summary does not call the zones missing (issue #18)
        const memcg = analysed[i].oomKind?.scope === 'memcg';
        assert.equal(
          analysed[i].summary.includes('no zone lines'),
          REPORT_KINDS[r.kind].zoneLines && !memcg,
          `${file} report ${i}: ${analysed[i].summary}`,
        );
      }
    });
  }
  for (const kind of KINDS) assert.ok(seen[kind] > 0, `a fixture has a ${kind} report`);
  // Both sides of zoneLines are met: cut warn_alloc reports and SLUB reports (which never have them).
  assert.ok(zoneless.page_alloc_failure > 0 && zoneless.slub_failure === seen.slub_failure);
});
