#!/usr/bin/env node
// `npm run test:e2e`: the real-editor layers, one after the other (two cores: no parallel editors),
// each timed. Installs what they need on first use: code-server into .vscode-test/ (the recipe),
// Debian's chromium, neovim, emacs-nox and elpa-eglot when missing and possible. Exits non-zero
// when any step fails.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { installCodeServer } from './install-code-server.mjs';
import { packageExtension } from './lib/extension.mjs';
import { cacheDir, repoRoot } from './lib/paths.mjs';

const layers = [
  { name: 'VS Code suite in code-server', file: 'test/e2e/vscode-suite.test.mjs' },
  { name: 'browser end-to-end (Chromium)', file: 'test/e2e/browser.test.mjs' },
  { name: 'client surfaces (Chromium)', file: 'test/e2e/client.test.mjs' },
  { name: 'a 60 MB log read from disk (Chromium)', file: 'test/e2e/huge-file.test.mjs' },
  { name: 'the report view (Chromium)', file: 'test/e2e/report-view.test.mjs' },
  { name: 'Neovim LSP client', file: 'test/nvim/nvim.test.mjs' },
  { name: 'Emacs eglot LSP client', file: 'test/emacs/emacs.test.mjs' },
];

const LAYER_TIMEOUT_MS = 15 * 60_000;
const rows = [];
/** Runs `fn` (true: passed) and records its time; nothing runs once a setup step failed. */
function step(name, fn, setup = false) {
  if (rows.some((row) => row.setup && !row.ok)) return;
  const started = Date.now();
  let ok = false;
  try {
    ok = fn();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  }
  rows.push({ name, ok, setup, seconds: (Date.now() - started) / 1000 });
}

rmSync(join(cacheDir, 'runs'), { recursive: true, force: true }); // scratch folders of earlier runs
step('install code-server (cached after the first run)', () => Boolean(installCodeServer()), true);
// Once for all layers: vsce walks the whole checkout, which takes a few seconds.
step('npm run package (.vsix)', () => Boolean((process.env.KLENS_VSIX = packageExtension(cacheDir))), true);
for (const layer of layers) {
  step(layer.name, () => {
    console.log(`\n── ${layer.name} (${layer.file})`);
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', layer.file], {
      cwd: repoRoot,
      stdio: 'inherit',
      timeout: LAYER_TIMEOUT_MS, // each test has its own deadlines; this only stops a hung process
      killSignal: 'SIGKILL',
    });
    return run.status === 0;
  });
}

console.log('\nreal-editor layers:');
for (const { name, ok, seconds } of rows) {
  console.log(`  ${ok ? 'ok    ' : 'FAILED'} ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}
process.exit(rows.length === layers.length + 2 && rows.every((row) => row.ok) ? 0 : 1);
