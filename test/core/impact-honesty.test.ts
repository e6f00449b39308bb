// The impact sentence claims no more than the report shows (the expert audit of session 8): an
// atomic order-0 failure is "really short" of memory only when the replay failed every zone on
// free pages; without zone lines (or with a check that does not decide) free pages may have been
// there but unusable for the request (the highatomic reserve, free CMA, lowmem_reserve).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeText } from '../../server/src/core/analyze';
import { FIXTURE_LOGS } from './fixture-files';

test('every fixture: "memory was really short" only with a no-free-pages verdict', () => {
  let undecided = 0;
  for (const file of FIXTURE_LOGS) {
    for (const a of analyzeText(readFileSync(file, 'utf8')).reports) {
      if (/really short/.test(a.impact))
        assert.equal(a.verdict, 'no_free_pages', `${file}:${a.line + 1}: ${a.impact}`);
      if (/^An atomic order-0 failure: .*cannot be told without the report's zone lines/.test(a.impact)) {
        assert.equal(a.verdict, 'undecidable', `${file}:${a.line + 1}`);
        undecided++;
      }
    }
  }
  assert.ok(undecided >= 14, `atomic order-0 reports without zone lines: ${undecided}`);
});

test('extra/079 (earlyoom saw 80 % available): an atomic order-0 failure without zone lines is not called a shortage', () => {
  const file = FIXTURE_LOGS.find((f) => f.includes('extra/079-md-fence'))!;
  const [a] = analyzeText(readFileSync(file, 'utf8')).reports.filter((r) => r.kind === 'page_alloc_failure');
  assert.equal(a.verdict, 'undecidable');
  assert.equal(
    a.impact,
    'An atomic order-0 failure: the packet is dropped (or the copy skipped) and the stack recovers. ' +
      'Whether free memory was short, or was there but unusable for this request (the highatomic reserve, free CMA pages, lowmem_reserve), ' +
      "cannot be told without the report's zone lines. " +
      'Whether anything was lost is in the lines after the report (an error from the caller); act on the suggestions if it repeats.',
  );
});

test('callers with a fallback the kernel shows in its source: the vmemmap falls back to 4 KiB pages, the boot hash table halves', () => {
  const of = (needle: string) => {
    const file = FIXTURE_LOGS.find((f) => f.includes(needle))!;
    return analyzeText(readFileSync(file, 'utf8')).reports[0];
  };
  // extra/022: x86 vmemmap_populate_hugepages (5.13, Hyper-V hot-add, no altmap)
  assert.match(
    of('extra/022-syslog-5.13-hyperv').impact,
    /^Usually harmless: .* vmemmap_populate_hugepages then maps it with 4 KiB pages/,
  );
  // corpus/029: ppc64 4.6 boot, alloc_large_system_hash's __vmalloc(GFP_ATOMIC)
  const hash = of('corpus/029-bare-ppc64');
  assert.equal(hash.kind, 'vmalloc_failure');
  assert.match(
    hash.impact,
    /^Usually harmless at boot: alloc_large_system_hash \(mm\/page_alloc\.c\) retries with half the table size/,
  );
  assert.doesNotMatch(hash.impact, /-ENOMEM/);
});

test('a THP mask as warn_alloc prints it (without __GFP_NOWARN) is not flagged implausible (extra/002, 4.12 khugepaged stall)', () => {
  // 0x4340ca = GFP_TRANSHUGE less __GFP_NOWARN: khugepaged's mask has no __GFP_KSWAPD_RECLAIM by
  // design (GFP_TRANSHUGE_LIGHT clears __GFP_RECLAIM), and the stall warning clears __GFP_NOWARN
  const file = FIXTURE_LOGS.find((f) => f.includes('extra/002-bare-4.12-i386-khugepaged'))!;
  const [a] = analyzeText(readFileSync(file, 'utf8')).reports;
  assert.equal(a.gfp?.raw, '0x4340ca');
  assert.equal(a.gfp?.implausible, null);
});
