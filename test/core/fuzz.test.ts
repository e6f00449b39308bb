// Property tests over mutated corpus logs (test/fuzz): a fixed seed, so every run checks the same
// inputs. Each input runs in a worker with a hard timeout; every property of test/fuzz/properties.ts
// is one test here, failing with each distinct failure class found, its count, a minimised input
// (a JavaScript string literal) and the command that replays it (`npm run fuzz -- --seed … --replay …`).
// Longer runs: `npm run fuzz` (see test/fuzz/README.md).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { fuzzCaseArb } from '../fuzz/arbitraries';
import { loadCorpus } from '../fuzz/corpus';
import { runCoreFuzz, type FuzzReport } from '../fuzz/core-fuzz';
import { formatFinding } from '../fuzz/findings';
import { MUTATION_OPS } from '../fuzz/mutations';
import { PROPERTIES, type Property } from '../fuzz/properties';

const SEED = 20260410;
const RUNS = 2000;
/** Inputs are cut to 16 KiB here (npm run fuzz: 400 000 characters), to keep test:fast fast. */
const MAX_LENGTH = 16_384;

const corpus = loadCorpus();

describe('fuzz: mutated corpus logs', () => {
  let report: FuzzReport;
  before(async () => {
    report = await runCoreFuzz(corpus, {
      seed: SEED,
      runs: RUNS,
      maxLength: MAX_LENGTH,
      minTimeoutMs: 2000,
      minimise: 'text',
      minimiseEvaluations: 300,
      minimiseTotalEvaluations: 4000,
      timingProbes: 4,
      // Minimising these costs a timeout or a timing per step: npm run fuzz does it.
      skipMinimise: ['timeout', 'linear-time', 'crash'],
    });
  });

  test(`${RUNS} inputs were checked, each mutation kind among them`, () => {
    assert.equal(report.runs, RUNS);
    const cases = fc.sample(fuzzCaseArb(corpus.length), { seed: SEED, numRuns: RUNS });
    for (const op of MUTATION_OPS) {
      const n = cases.filter((c) => c.mutations.some((m) => m.op === op)).length;
      assert.ok(n >= 50, `${op}: only ${n} inputs`);
    }
  });

  for (const [property, description] of Object.entries(PROPERTIES) as [Property, string][]) {
    test(`${property}: ${description}`, () => {
      const classes = report.classes.filter((c) => c.property === property);
      const text = classes
        .map((c) =>
          formatFinding(
            {
              phase: 'core',
              property: c.property,
              key: c.key,
              count: c.count,
              detail: c.detail,
              replay: `--seed ${SEED} --max-length ${MAX_LENGTH} --replay ${c.index}`,
              input: c.input,
              minimised: c.minimised,
              minimisedDetail: c.minimisedDetail,
              extra: c.options.kernelRelease
                ? `with kernelLogLens.kernelRelease = ${JSON.stringify(c.options.kernelRelease)}`
                : undefined,
            },
            600,
          ),
        )
        .join('\n\n');
      assert.equal(
        classes.length,
        0,
        `${classes.length} failure classes in ${RUNS} inputs (seed ${SEED}):\n\n${text}\n`,
      );
    });
  }
});
