// Tokenising speed of the kernel-log grammar against VS Code's built-in `log` grammar, in one run.
//
//   npm run bench:grammar [-- --mb 20 --runs 1 --cache .cache/log-grammar]
//
// The built-in grammar is not committed: `npm pack code-server@4.100.3` is fetched once into
// .cache/log-grammar/ (git-ignored) and only lib/vscode/extensions/log/syntaxes/log.tmLanguage.json
// and the default themes (lib/vscode/extensions/theme-defaults/themes/) are kept from it.
//
// Both grammars tokenise the same text (test/grammar/corpus repeated up to --mb megabytes; 20 MB is
// where VS Code stops tokenising a file) with vscode-textmate + vscode-oniguruma, line by line with
// the state carried over, as the editor does. Prints the times, the ratio (target: at most 1.5) and
// each grammar's slowest line, then adversarial long lines, then whether every scope of ours gets a
// colour in the default themes. Exits 1 when the ratio is over the target.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allScopes } from '../syntaxes/src/kernel-log.grammar.mjs';
import { createRegistry, INITIAL, INJECTION_GRAMMAR, MAIN_GRAMMAR, root } from '../test/grammar/textmate.mjs';

const CODE_SERVER = 'code-server@4.100.3';
const IN_TARBALL = {
  grammar: 'package/lib/vscode/extensions/log/syntaxes/log.tmLanguage.json',
  themes: 'package/lib/vscode/extensions/theme-defaults/themes',
};
const TARGET_RATIO = 1.5;

const { values: opts } = parseArgs({
  options: {
    mb: { type: 'string', default: '20' },
    runs: { type: 'string', default: '1' },
    cache: { type: 'string', default: join(root, '.cache', 'log-grammar') },
  },
});

/** The built-in log grammar and default themes, fetched once with `npm pack`. */
function builtIns() {
  const cache = opts.cache;
  const grammar = join(cache, 'log.tmLanguage.json');
  const themes = join(cache, 'themes');
  if (existsSync(grammar) && existsSync(themes)) return { grammar, themes };
  mkdirSync(cache, { recursive: true });
  console.log(`fetching ${CODE_SERVER} with npm pack (once) for ${IN_TARBALL.grammar} …`);
  const out = execFileSync('npm', ['pack', CODE_SERVER, '--silent', '--pack-destination', cache], {
    encoding: 'utf8',
  });
  const tarball = join(cache, out.trim().split('\n').pop());
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', cache, IN_TARBALL.grammar, IN_TARBALL.themes]);
    renameSync(join(cache, IN_TARBALL.grammar), grammar);
    rmSync(themes, { recursive: true, force: true });
    renameSync(join(cache, IN_TARBALL.themes), themes);
  } finally {
    rmSync(join(cache, 'package'), { recursive: true, force: true });
    rmSync(tarball, { force: true });
  }
  return { grammar, themes };
}

function corpusLines(megabytes) {
  const dir = join(root, 'test', 'grammar', 'corpus');
  const once = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const copies = Math.max(1, Math.ceil((megabytes * 1024 * 1024) / (once.length + 1)));
  return Array(copies).fill(once).join('\n').split(/\r?\n/);
}

/** Tokenises every line as the editor does; returns total ms and the slowest line. */
function run(grammar, lines) {
  let state = INITIAL;
  let slowest = { ms: 0, line: '' };
  const start = process.hrtime.bigint();
  for (const line of lines) {
    const t0 = process.hrtime.bigint();
    state = grammar.tokenizeLine2(line, state).ruleStack;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > slowest.ms) slowest = { ms, line };
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, slowest };
}

function timeLine(grammar, line) {
  const t0 = process.hrtime.bigint();
  grammar.tokenizeLine2(line, INITIAL);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Lines built to trip backtracking regexes: long runs of what rules start or continue with. */
const ADVERSARIAL = {
  'letters "aaaa…"': 'a',
  'digits "0000…"': '0',
  spaces: ' ',
  'brackets "[[[…"': '[',
  'colons and spaces': ': ',
  'underscored words': 'a_b_c_d_',
  'dotted words': 'a.b.c.d.',
  'zone fields': 'active_anon:123kB ',
  'fields without values "free:free:…"': 'free:',
  'call-trace frames': '[<ffffffff8109b77b>] ? warn_alloc_failed+0xeb/0x130 [mod] ',
  'buddy entries': '12*4kB (UME) ',
  'GFP names': 'GFP_KERNEL|__GFP_COMP|',
  'comm-like words': 'kworker/u16:2 ',
  'taint flags': 'Tainted: G W ',
  'syslog prefixes': 'Apr 28 05:30:51 host kernel: ',
};
const fill = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Theme rules that colour a scope (by dotted prefix; rules with parent selectors are skipped). */
function uncoloured(themesDir, file) {
  const load = (f) => {
    const theme = new Function(`return ${readFileSync(join(themesDir, f), 'utf8')}`)(); // JSON with comments
    return [...(theme.include ? load(theme.include.replace('./', '')) : []), ...(theme.tokenColors ?? [])];
  };
  const selectors = load(file)
    .filter((r) => r.settings?.foreground)
    .flatMap((r) =>
      (Array.isArray(r.scope) ? r.scope : String(r.scope ?? '').split(',')).map((s) => s.trim()),
    )
    .filter((s) => s && !s.includes(' '));
  return allScopes()
    .filter((scope) => !scope.startsWith('meta.')) // meta scopes only group tokens
    .filter((scope) => !selectors.some((s) => scope === s || scope.startsWith(`${s}.`)));
}

const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const { grammar: logGrammar, themes } = builtIns();

const withInjection = createRegistry([logGrammar, MAIN_GRAMMAR, INJECTION_GRAMMAR], {
  [INJECTION_GRAMMAR]: ['text.log'],
});
const grammars = {
  'log (built-in)': await createRegistry([logGrammar]).loadGrammar('text.log'),
  'kernel-log': await withInjection.loadGrammar('text.log.kernel'),
  'log + kernel-log injection': await withInjection.loadGrammar('text.log'),
};

const lines = corpusLines(Number(opts.mb));
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
const warmUp = corpusLines(0.2);
for (const grammar of Object.values(grammars)) run(grammar, warmUp);
console.log(
  `text: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${lines.length} lines (test/grammar/corpus repeated)\n`,
);

const best = {};
for (let i = 0; i < Number(opts.runs); i++) {
  for (const [name, grammar] of Object.entries(grammars)) {
    const r = run(grammar, lines);
    if (!best[name] || r.ms < best[name].ms) best[name] = r;
  }
}
const base = best['log (built-in)'].ms;
for (const [name, r] of Object.entries(best)) {
  const mbps = bytes / 1024 / 1024 / (r.ms / 1000);
  console.log(
    `${name.padEnd(27)} ${fmt(r.ms).padStart(9)}  ${mbps.toFixed(2)} MB/s  ratio ${(r.ms / base).toFixed(2)}` +
      `  slowest line ${fmt(r.slowest.ms)}: ${JSON.stringify(r.slowest.line.slice(0, 90))}`,
  );
}

// Our rules alone in a `.log` file: the injection over an empty host grammar.
const injectionOnly = await createRegistry(
  [{ scopeName: 'text.log', patterns: [] }, MAIN_GRAMMAR, INJECTION_GRAMMAR],
  {
    [INJECTION_GRAMMAR]: ['text.log'],
  },
).loadGrammar('text.log');
console.log('\nadversarial lines, time for one line (built-in log grammar at 10 KB: it backtracks on some):');
let worst = 0;
for (const [label, unit] of Object.entries(ADVERSARIAL)) {
  const ours = [grammars['kernel-log'], injectionOnly].map((g) => timeLine(g, fill(unit, 100 * 1024)));
  worst = Math.max(worst, ...ours);
  const builtIn = timeLine(grammars['log (built-in)'], fill(unit, 10 * 1024));
  console.log(
    `  ${label.padEnd(38)} kernel-log 100 KB ${fmt(ours[0]).padStart(9)} | injection rules 100 KB ${fmt(ours[1]).padStart(9)}` +
      ` | built-in log 10 KB ${fmt(builtIn).padStart(9)}`,
  );
}

console.log(
  '\nscopes without a colour in the default themes (Dark/Light (Visual Studio) colour few scopes in any language):',
);
for (const file of readdirSync(themes).filter((f) => f.endsWith('.json'))) {
  const missing = uncoloured(themes, file);
  console.log(`  ${file.padEnd(18)} ${missing.length ? missing.join(' ') : 'none'}`);
}

const ratio = best['kernel-log'].ms / base;
console.log(
  `\nkernel-log / built-in log: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}`,
);
console.log(`slowest adversarial 100 KB line with our rules: ${fmt(worst)}`);
process.exit(ratio <= TARGET_RATIO ? 0 : 1);
