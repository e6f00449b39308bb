// A second real LSP client: Debian's Neovim (0.7, built-in LSP client), headless, configured by
// init.lua (the README's Neovim configuration) to attach `klens-language-server --stdio` to logs.
// The checks are in lsp-test.lua (Neovim's own API); this file installs Neovim when missing, runs
// it with a deadline and reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureDebianPackages } from '../e2e/lib/debian.mjs';
import { fixtureWorkspace, repoRoot } from '../e2e/lib/paths.mjs';

const here = join(repoRoot, 'test', 'nvim');

test('Neovim shows the diagnostics and a hover from klens-language-server', { timeout: 120_000 }, (t) => {
  ensureDebianPackages(['neovim']);
  const bin = join(repoRoot, 'node_modules', '.bin');
  assert.ok(existsSync(join(repoRoot, 'dist', 'server.js')), 'dist/server.js is built (npm run build)');
  assert.ok(
    existsSync(join(bin, 'klens-language-server')),
    `${bin}/klens-language-server is linked (npm ci runs prepare)`,
  );

  const scratch = mkdtempSync(join(tmpdir(), 'klens-nvim-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const resultFile = join(scratch, 'result.json');
  // -u: the README's configuration and nothing else; -i NONE: no shada; -n: no swap files.
  const run = spawnSync(
    'nvim',
    [
      '--headless',
      '-u',
      join(here, 'init.lua'),
      '-i',
      'NONE',
      '-n',
      '-c',
      `luafile ${join(here, 'lsp-test.lua')}`,
    ],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        KLENS_WORKSPACE: fixtureWorkspace,
        KLENS_RESULT: resultFile,
        KLENS_TIMEOUT_MS: '30000',
        XDG_STATE_HOME: scratch,
        XDG_DATA_HOME: scratch,
        XDG_CACHE_HOME: scratch,
      },
    },
  );
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  t.diagnostic(version);
  assert.ok(
    existsSync(resultFile),
    `nvim wrote no result (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`,
  );
  const outcome = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const what of outcome.checks) t.diagnostic(what);
  assert.deepEqual(outcome.failures, [], `Neovim checks failed:\n${outcome.failures.join('\n')}`);
  assert.equal(run.status, 0, `nvim exited with ${run.status ?? run.signal}`);
});
