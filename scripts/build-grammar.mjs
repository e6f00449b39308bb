// Generates syntaxes/kernel-log.tmLanguage.json and syntaxes/kernel-log.injection.tmLanguage.json
// from syntaxes/src/kernel-log.grammar.mjs.
//   node scripts/build-grammar.mjs          write the files
//   node scripts/build-grammar.mjs --check  exit 1 if a committed file differs from its source
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGrammars } from '../syntaxes/src/kernel-log.grammar.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated files and their expected text. */
export function generatedFiles() {
  const { main, injection } = buildGrammars();
  return [
    {
      path: join(root, 'syntaxes', 'kernel-log.tmLanguage.json'),
      text: JSON.stringify(main, null, 2) + '\n',
    },
    {
      path: join(root, 'syntaxes', 'kernel-log.injection.tmLanguage.json'),
      text: JSON.stringify(injection, null, 2) + '\n',
    },
  ];
}

/** Files whose committed text differs from what the source generates. */
export function staleFiles() {
  return generatedFiles().filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    for (const f of stale) console.error(`stale: ${f.path} (run npm run build:grammar)`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const f of generatedFiles()) {
    writeFileSync(f.path, f.text);
    console.log(`wrote ${f.path}`);
  }
}
