// The grammar's own contract: generated files up to date, every rule sound (compiles, never matches
// the empty string), tokenising time linear in the line length, manifest wiring and docs in sync.
// Scopes per construct are checked by the snapshot and assertion tests (npm run test:grammar).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { staleFiles } from '../../scripts/build-grammar.mjs';
import { allScopes, buildGrammars } from '../../syntaxes/src/kernel-log.grammar.mjs';
import { createRegistry, INITIAL, MAIN_GRAMMAR, root } from './textmate.mjs';

const require = createRequire(import.meta.url);
const oniguruma = require('vscode-oniguruma');

test('the committed grammar JSON is generated from syntaxes/src (run npm run build:grammar)', () => {
  assert.deepEqual(
    staleFiles().map((f) => f.path),
    [],
  );
});

test('every snapshot fixture has a committed .snap (a missing one would be created, not compared)', () => {
  for (const dir of ['corpus', 'constructs', 'injection']) {
    const folder = join(root, 'test', 'grammar', dir);
    const logs = readdirSync(folder).filter((f) => f.endsWith('.log'));
    assert.ok(logs.length > 0, dir);
    for (const log of logs) assert.ok(existsSync(join(folder, `${log}.snap`)), `${dir}/${log}.snap`);
  }
});

test('every rule compiles in Oniguruma and never matches the empty string', async () => {
  await createRegistry([MAIN_GRAMMAR]).loadGrammar('text.log.kernel'); // loads the WASM
  const { main, injection } = buildGrammars();
  const rules = { ...main.repository, ...injection.repository };
  for (const [name, rule] of Object.entries(rules)) {
    if (!rule.match && !rule.begin) continue; // a list of includes
    // The injection's kernel-line rule ends at the end of its line: no state crosses lines.
    if (rule.begin) assert.equal(rule.end, '$', `${name} ends on its line`);
    else assert.ok(!rule.end && !rule.while, `${name} is a one-line match rule`);
    if (rule.begin) continue; // may match empty (a lookahead): the rules inside then advance
    const scanner = new oniguruma.OnigScanner([rule.match]);
    for (const text of ['\n', ' \n', 'x\n', '[\n', '0\n', ':\n', '> \n']) {
      const s = new oniguruma.OnigString(text);
      for (let pos = 0; pos <= text.length; pos++) {
        const m = scanner.findNextMatchSync(s, pos);
        if (m) assert.ok(m.captureIndices[0].length > 0, `${name} matches "" in ${JSON.stringify(text)}`);
      }
      s.dispose?.();
    }
  }
});

test('every scope ends with .kernel-log and is documented in docs/grammar.md', () => {
  const doc = readFileSync(join(root, 'docs', 'grammar.md'), 'utf8');
  for (const scope of allScopes()) {
    assert.match(scope, /\.kernel-log$/);
    assert.ok(doc.includes(`\`${scope}\``), `${scope} is missing from docs/grammar.md`);
  }
});

test('package.json contributes the language, the grammar and the injection into text.log', () => {
  const { contributes } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const language = contributes.languages.find((l) => l.id === 'kernel-log');
  assert.ok(language, 'language kernel-log');
  assert.ok(language.filenames.includes('kern.log') && language.filenames.includes('messages'));
  assert.ok(existsSync(join(root, language.configuration)), 'language-configuration.json');
  const firstLine = new RegExp(language.firstLine);
  assert.ok(firstLine.test('[    0.000000] Linux version 6.8.0'));
  assert.ok(firstLine.test('Apr 28 05:30:51 cztest kernel: swapper/13: page allocation failure'));
  assert.ok(!firstLine.test('2024-06-17 20:58:20.123 INFO started'));
  const main = contributes.grammars.find((g) => g.language === 'kernel-log');
  assert.equal(main.scopeName, 'text.log.kernel');
  assert.equal(JSON.parse(readFileSync(join(root, main.path), 'utf8')).scopeName, main.scopeName);
  const injection = contributes.grammars.find((g) => g.injectTo?.includes('text.log'));
  assert.ok(injection, 'an injection into text.log');
  const file = JSON.parse(readFileSync(join(root, injection.path), 'utf8'));
  assert.equal(file.scopeName, injection.scopeName);
  assert.match(file.injectionSelector, /^L:text\.log -text\.log\.kernel\b/);
});

/** Lines built to trip backtracking: long runs of what rules start or continue with. */
const ADVERSARIAL = {
  letters: 'a',
  digits: '0',
  hex: 'f',
  spaces: ' ',
  brackets: '[',
  angles: '<',
  colons: ': ',
  underscores: 'a_b_',
  dots: 'a.b.',
  quotes: '>',
  fields: 'active_anon:123kB ',
  'fields without values': 'free:',
  frames: '[<ffffffff8109b77b>] ? warn_alloc_failed+0xeb/0x130 [mod] ',
  buddy: '12*4kB (UME) ',
  gfp: 'GFP_KERNEL|__GFP_COMP|',
  'comm-like': 'kworker/u16:2 ',
  'comm before nothing': 'abcdefghijklmnopqrstuvwxyz: page ',
  'taint flags': 'Tainted: G W ',
  'node list': 'nodemask=0,',
  'register-like': 'RAX: ',
};

function timeLine(grammar, unit, size) {
  const line = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const t0 = process.hrtime.bigint();
  grammar.tokenizeLine2(line, INITIAL);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

test('long lines tokenise in linear time (no backtracking traps)', async () => {
  // The injection's rules are a subset of the kernel-log grammar's, with the same regexes.
  const grammar = await createRegistry([MAIN_GRAMMAR]).loadGrammar('text.log.kernel');
  const best = (unit, size) => Math.min(...[1, 2, 3].map(() => timeLine(grammar, unit, size)));
  for (const [label, unit] of Object.entries(ADVERSARIAL)) {
    timeLine(grammar, unit, 64 * 1024); // warm up (WASM memory, JIT)
    const small = best(unit, 8 * 1024);
    const big = best(unit, 64 * 1024);
    // 8x the text: linear work takes ~8x the time, quadratic ~64x. The margin absorbs a busy machine.
    const timing = `${label}: 8 KB ${small.toFixed(1)} ms, 64 KB ${big.toFixed(1)} ms`;
    assert.ok(big < 24 * small + 100, timing);
    assert.ok(big < 1500, timing);
  }
});

test('no line of the corpus takes long (slowest line of ~1 MB of real logs)', async () => {
  const grammar = await createRegistry([MAIN_GRAMMAR]).loadGrammar('text.log.kernel');
  const dir = join(root, 'test', 'grammar', 'corpus');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const lines = text.repeat(Math.ceil((1024 * 1024) / text.length)).split('\n');
  let state = INITIAL;
  let slowest = 0;
  for (const [i, line] of lines.entries()) {
    const t0 = process.hrtime.bigint();
    state = grammar.tokenizeLine2(line, state).ruleStack;
    if (i > 1000) slowest = Math.max(slowest, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  assert.ok(slowest < 250, `slowest line ${slowest.toFixed(1)} ms`);
});
