// The real logs the core tests run over: the shared corpus, the extra public reports and
// OOMAnalyser's shipped examples, each folder with an INDEX.json of annotated events.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIRS = [
  join('test', 'fixtures', 'corpus'),
  join('test', 'fixtures', 'extra'),
  join('test', 'fixtures', 'oomanalyser'),
];

/** Every `.log` file of the fixture folders. */
export const FIXTURE_LOGS: readonly string[] = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f)),
);

/** Events listed in the folders' INDEX.json files (parse-corpus.test.ts checks the parser finds
 * exactly these). */
export function annotatedEvents(): number {
  let n = 0;
  for (const dir of FIXTURE_DIRS) {
    const index = JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as { events: unknown[] }[];
    for (const entry of index) n += entry.events.length;
  }
  return n;
}

/** The text of a log in test/fixtures/extra. */
export function extraLog(name: string): string {
  return readFileSync(join('test', 'fixtures', 'extra', name), 'utf8');
}

/** Every log under `dir` (all of test/fixtures by default: corpus, extra, incoming, workspace …),
 * the annotation files left out. */
export function allFixtureFiles(dir = join('test', 'fixtures')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return allFixtureFiles(path);
    return name.endsWith('.json') || name.endsWith('.md') ? [] : [path];
  });
}
