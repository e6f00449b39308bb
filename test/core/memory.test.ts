// min_free_kbytes inferred from the zones, the kernel's default and THP's value (kernel-memory.md §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMemory, defaultMinFreeKbytes, intSqrt } from '../../server/src/core/memory';
import type { Report } from '../../server/src/core/model';
import { SEED_ZONES } from './seed-zones';

const seedReport = { zones: SEED_ZONES, nodes: [], counters: [], ramPages: null } as unknown as Report;

test('seed: Σ zone min 32484 kB, default 32496 kB for 66001392 kB lowmem, THP 90112 kB', () => {
  const m = analyzeMemory({ report: seedReport, pageSizeKb: 4, version: [3, 4, 24], distro: null });
  assert.equal(m.minFreeInferredKb, 32484);
  assert.deepEqual(m.minFreeRangeKb, [32484, 32499]);
  assert.equal(
    m.minFreeSumText,
    '4 + 1612 + 14608 + 16260 = 32484 kB (Node 0 DMA, Node 0 DMA32, Node 0 Normal, Node 1 Normal)',
  );
  assert.equal(m.lowmemKb, 66001392);
  assert.equal(m.minFreeDefaultKb, 32496);
  assert.equal(m.thpRecommendedKb, 90112);
  assert.equal(m.thpRecommendedText, 'pageblock 2048 kB × 4 populated zones × 11 = 90112 kB');
  assert.equal(m.minFreeInterpretation, "the host runs the kernel's default (untuned)");
  assert.equal(m.ramKb, 66001392);
  assert.equal(m.ramSource, 'zones present');
});

test('default formula: int_sqrt(lowmem × 16), clamped 128…65536 (…262144 from 5.10)', () => {
  assert.equal(intSqrt(1056022272), 32496);
  assert.equal(defaultMinFreeKbytes(16 * 1024 * 1024, 65536), 16384); // 16 GB → 16384 kB (Red Hat table)
  assert.equal(defaultMinFreeKbytes(1024 * 1024, 65536), 4096); // 1 GB → 4096 kB
  assert.equal(defaultMinFreeKbytes(512 * 1024 * 1024, 65536), 65536);
  assert.equal(defaultMinFreeKbytes(512 * 1024 * 1024, 262144), 92681);
  assert.equal(defaultMinFreeKbytes(100, 65536), 128);
});
