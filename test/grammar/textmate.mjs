// vscode-textmate + vscode-oniguruma set up the way VS Code does it, shared by the grammar tests
// and bench/grammar.mjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN_GRAMMAR = join(root, 'syntaxes', 'kernel-log.tmLanguage.json');
export const INJECTION_GRAMMAR = join(root, 'syntaxes', 'kernel-log.injection.tmLanguage.json');

let onigLib;
function loadOniguruma() {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

/**
 * A registry over grammars (file paths, or raw grammar objects). `injections` maps a grammar path
 * to the scopes it is injected into (a raw grammar object says it in its own `injectTo`); like VS
 * Code, an injection into `text.log` is offered to every `text.log.*` grammar.
 */
export function createRegistry(paths, injections = {}) {
  const byScope = new Map();
  const injectTo = new Map();
  for (const path of paths) {
    const raw = typeof path === 'string' ? tm.parseRawGrammar(readFileSync(path, 'utf8'), path) : path;
    byScope.set(raw.scopeName, raw);
    for (const target of (typeof path === 'string' ? injections[path] : path.injectTo) ?? []) {
      injectTo.set(target, [...(injectTo.get(target) ?? []), raw.scopeName]);
    }
  }
  return new tm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => byScope.get(scopeName) ?? null,
    getInjections: (scopeName) => {
      const parts = scopeName.split('.');
      const out = [];
      for (let i = 1; i <= parts.length; i++) out.push(...(injectTo.get(parts.slice(0, i).join('.')) ?? []));
      return out;
    },
  });
}

/** Tokenises `text` line by line; returns `[{ line, tokens: [{ text, scopes }] }]`. */
export function tokenize(grammar, text) {
  let state = tm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return {
      line,
      tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    };
  });
}

export const INITIAL = tm.INITIAL;
