// The kernel reference the code cites (`ref §3.2`, `reference §5.2`, `kernel-memory.md §4`, `§2.3`)
// is in the repository, docs/kernel/kernel-memory.md, and every section cited in the sources and
// tests is one of its headings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const reference = join(root, 'docs', 'kernel', 'kernel-memory.md');

/** Section numbers of the reference's headings: `## 3. Watermark logic` → 3, `### 3.2 …` → 3.2. */
function sections(): Set<string> {
  const found = new Set<string>();
  for (const line of readFileSync(reference, 'utf8').split('\n')) {
    const m = /^#{2,3} (\d+(?:\.\d+)?)\.? /.exec(line);
    if (m) found.add(m[1]);
  }
  return found;
}

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') files.push(...sources(path));
    } else if (/\.(ts|mjs|js)$/.test(entry.name)) files.push(path);
  }
  return files;
}

test('the kernel reference is in the repository, with its numbered sections', () => {
  assert.ok(existsSync(reference), 'docs/kernel/kernel-memory.md');
  const found = sections();
  const chapters = [...found].filter((s) => !s.includes('.'));
  assert.deepEqual(chapters, ['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  for (const s of ['1.1', '1.5', '2.7', '2.11', '3.1', '3.2', '3.3', '4.1', '4.4', '5.2', '5.3']) {
    assert.ok(found.has(s), `§${s}`);
  }
});

test('every § the sources and tests cite is a section of docs/kernel/kernel-memory.md', () => {
  const found = sections();
  const dirs = ['server/src', 'client/src', 'syntaxes/src', 'test'].map((d) => join(root, ...d.split('/')));
  let cited = 0;
  const missing: string[] = [];
  for (const file of dirs.flatMap(sources)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(/§(\d+(?:\.\d+)?)/g)) {
          cited++;
          if (!found.has(m[1])) missing.push(`${file.slice(root.length + 1)}:${i + 1}: §${m[1]}`);
        }
      });
  }
  assert.deepEqual(missing, []);
  assert.ok(cited > 150, `${cited} citations read`);
});
