#!/usr/bin/env node
// `npm run test:e2e`: the real-editor layers, one after the other (two cores: no parallel editors),
// each timed. Installs what they need on first use: code-server into .vscode-test/ (the recipe),
// Debian's chromium and neovim when missing and possible. Exits non-zero when any layer fails.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { installCodeServer } from './install-code-server.mjs';
import { cacheDir, repoRoot } from './lib/paths.mjs';

const layers = [
  { name: 'VS Code suite in code-server', file: 'test/e2e/vscode-suite.test.mjs' },
  { name: 'browser end-to-end (Chromium)', file: 'test/e2e/browser.test.mjs' },
  { name: 'Neovim LSP client', file: 'test/nvim/nvim.test.mjs' },
];

const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);
const rows = [];

rmSync(join(cacheDir, 'runs'), { recursive: true, force: true }); // scratch folders of earlier runs
let started = Date.now();
try {
  installCodeServer();
  rows.push(['install code-server (cached after the first run)', 'ok', seconds(started)]);
} catch (error) {
  rows.push(['install code-server', 'FAILED', seconds(started)]);
  console.error(error instanceof Error ? error.message : error);
}

for (const layer of rows.some(([, status]) => status === 'FAILED') ? [] : layers) {
  started = Date.now();
  console.log(`\n── ${layer.name} (${layer.file})`);
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', layer.file], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  rows.push([layer.name, run.status === 0 ? 'ok' : 'FAILED', seconds(started)]);
}

console.log('\nreal-editor layers:');
for (const [name, status, time] of rows) console.log(`  ${status.padEnd(6)} ${time.padStart(6)} s  ${name}`);
process.exit(rows.every(([, status]) => status === 'ok') && rows.length === layers.length + 1 ? 0 : 1);
