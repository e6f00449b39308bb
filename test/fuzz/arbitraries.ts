// fast-check arbitraries for the fuzz inputs: a corpus log, a second one to splice in, 1–4
// mutations and a few extra hover positions. Every integer shrinks towards 0, which each mutation
// reads as its smallest form, and the logs towards the first (000-seed.log).
import * as fc from 'fast-check';
import { KERNEL_RELEASES, MUTATION_OPS, type FuzzCase, type Mutation } from './mutations';

/** Any UTF-16 unit (lone surrogates and C0/C1 controls included), or whole code points. */
const junkText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 48 }),
  fc.string({ unit: 'binary', maxLength: 48 }),
  fc.string({
    unit: fc.constantFrom('\x1b', '[', ']', ';', '\x07', '\r', '\n', '0', '9', ':', ' ', 'k', 'B'),
    maxLength: 48,
  }),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom(...MUTATION_OPS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  s: junkText,
});

export function fuzzCaseArb(corpusSize: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    base: fc.nat(corpusSize - 1),
    other: fc.nat(corpusSize - 1),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
    positions: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
    // Mostly the default (infer the release), sometimes a setting.
    release: fc.oneof(
      { weight: 4, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.nat(KERNEL_RELEASES.length - 1) },
    ),
  });
}
