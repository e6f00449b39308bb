// Runs another editor's LSP client as a test: the editor loads the README's configuration and a
// test script in its own language, which attaches `klens-language-server --stdio` (from
// node_modules/.bin) to logs of test/fixtures/workspace, checks through the editor's API and
// writes { checks, failures, … } as JSON to $KLENS_RESULT. Installs the editor's Debian packages
// when missing; the whole run has a deadline.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages } from './debian.mjs';
import { fixtureWorkspace, repoRoot } from './paths.mjs';

/**
 * @param {import('node:test').TestContext} t
 * @param {object} options
 * @param {string} options.editor display name, for messages
 * @param {string[]} options.packages Debian packages the editor needs
 * @param {string} options.command
 * @param {string[]} options.args
 * @param {(scratch: string) => Record<string, string>} [options.env] editor-specific variables
 * @returns {object} the editor's outcome JSON (after its checks passed)
 */
export function runEditorTest(t, { editor, packages, command, args, env = () => ({}) }) {
  ensureDebianPackages(packages);
  const bin = join(repoRoot, 'node_modules', '.bin');
  assert.ok(existsSync(join(repoRoot, 'dist', 'server.js')), 'dist/server.js is built (npm run build)');
  assert.ok(
    existsSync(join(bin, 'klens-language-server')),
    `${bin}/klens-language-server is linked (npm ci)`,
  );

  const scratch = mkdtempSync(join(tmpdir(), 'klens-editor-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const resultFile = join(scratch, 'result.json');
  const run = spawnSync(command, args, {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 90_000, // the script's own waits are 30 s each
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      KLENS_WORKSPACE: fixtureWorkspace,
      KLENS_RESULT: resultFile,
      KLENS_TIMEOUT_MS: '30000',
      ...env(scratch),
    },
  });
  assert.ok(
    existsSync(resultFile),
    `${editor} wrote no result (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr.slice(-3000)}`,
  );
  const outcome = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const what of outcome.checks) t.diagnostic(what);
  assert.deepEqual(outcome.failures, [], `${editor} checks failed:\n${outcome.failures.join('\n')}`);
  assert.equal(run.status, 0, `${editor} exited with ${run.status ?? run.signal}`);
  return outcome;
}
