// The logs the fuzz harness mutates: every `.log` of test/fixtures/corpus and test/fixtures/extra,
// in a fixed order (corpus first, by name), so a seed names the same inputs on every machine.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file runs from out/test/fuzz). */
export const ROOT = resolve(__dirname, '..', '..', '..');

export const FUZZ_FIXTURE_DIRS = [join('test', 'fixtures', 'corpus'), join('test', 'fixtures', 'extra')];

export interface CorpusLog {
  name: string;
  text: string;
}

export function loadCorpus(): CorpusLog[] {
  return FUZZ_FIXTURE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.log'))
      .sort()
      .map((f) => ({ name: join(dir, f), text: readFileSync(join(ROOT, dir, f), 'utf8') })),
  );
}
