// A second real LSP client: Debian's Neovim (0.7, built-in LSP client), headless, attached to
// `klens-language-server --stdio` on the seed log. The checks are in lsp-test.lua (Neovim's own
// API); this file installs Neovim when missing, runs it with a deadline and reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureDebianPackages } from '../e2e/lib/debian.mjs';
import { fixtureWorkspace, repoRoot } from '../e2e/lib/paths.mjs';

test('Neovim shows the diagnostics and a hover from klens-language-server', { timeout: 120_000 }, (t) => {
  ensureDebianPackages(['neovim']);
  const server = join(repoRoot, 'node_modules', '.bin', 'klens-language-server');
  assert.ok(existsSync(join(repoRoot, 'dist', 'server.js')), 'dist/server.js is built (npm run build)');
  assert.ok(existsSync(server), `${server} is linked (npm ci runs the prepare script)`);

  const scratch = mkdtempSync(join(tmpdir(), 'klens-nvim-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const resultFile = join(scratch, 'result.json');
  const run = spawnSync(
    'nvim',
    ['--headless', '--clean', '-n', '-c', `luafile ${join(repoRoot, 'test', 'nvim', 'lsp-test.lua')}`],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        KLENS_LOG: join(fixtureWorkspace, '000-seed.log'),
        KLENS_SERVER: server,
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
