// A third real LSP client: Debian's Emacs with eglot, in batch mode, configured by
// kernel-log-lens.el (the README's Emacs configuration) to attach `klens-language-server --stdio`
// to logs. The checks are in eglot-test.el (eglot's and flymake's own API); this file installs
// Emacs and eglot when missing, runs them with a deadline and reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureDebianPackages } from '../e2e/lib/debian.mjs';
import { fixtureWorkspace, repoRoot } from '../e2e/lib/paths.mjs';

const here = join(repoRoot, 'test', 'emacs');

test(
  'Emacs (eglot) shows the diagnostics and a hover from klens-language-server',
  { timeout: 120_000 },
  (t) => {
    ensureDebianPackages(['emacs-nox', 'elpa-eglot']);
    const bin = join(repoRoot, 'node_modules', '.bin');
    assert.ok(existsSync(join(repoRoot, 'dist', 'server.js')), 'dist/server.js is built (npm run build)');
    assert.ok(
      existsSync(join(bin, 'klens-language-server')),
      `${bin}/klens-language-server is linked (npm ci runs prepare)`,
    );

    const scratch = mkdtempSync(join(tmpdir(), 'klens-emacs-'));
    t.after(() => rmSync(scratch, { recursive: true, force: true }));
    const resultFile = join(scratch, 'result.json');
    // --batch skips the user's init file but keeps Debian's site-start (which puts elpa-eglot on the load path).
    const run = spawnSync(
      'emacs',
      ['--batch', '-l', join(here, 'kernel-log-lens.el'), '-l', join(here, 'eglot-test.el')],
      {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 90_000,
        env: {
          ...process.env,
          HOME: scratch,
          PATH: `${bin}:${process.env.PATH}`,
          KLENS_WORKSPACE: fixtureWorkspace,
          KLENS_RESULT: resultFile,
          KLENS_TIMEOUT_MS: '30000',
        },
      },
    );
    assert.ok(
      existsSync(resultFile),
      `emacs wrote no result (status ${run.status ?? run.signal}):\n${run.stderr.slice(-3000)}`,
    );
    const outcome = JSON.parse(readFileSync(resultFile, 'utf8'));
    t.diagnostic(`Emacs ${outcome.emacs}, eglot ${outcome.eglot}`);
    for (const what of outcome.checks) t.diagnostic(what);
    assert.deepEqual(outcome.failures, [], `Emacs checks failed:\n${outcome.failures.join('\n')}`);
    assert.equal(run.status, 0, `emacs exited with ${run.status ?? run.signal}`);
  },
);
