// A second real LSP client: Debian's Neovim (0.7, built-in LSP client), headless, configured by
// init.lua (the README's Neovim configuration) to attach `klens-language-server --stdio` to logs.
// The checks are in lsp-test.lua, through Neovim's own API.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEditorTest } from '../e2e/lib/lsp-client.mjs';
import { repoRoot } from '../e2e/lib/paths.mjs';

const here = join(repoRoot, 'test', 'nvim');

test('Neovim shows the diagnostics and a hover from klens-language-server', { timeout: 120_000 }, (t) => {
  runEditorTest(t, {
    editor: 'Neovim',
    packages: ['neovim'],
    command: 'nvim',
    // -u: the README's configuration and nothing else; -i NONE: no shada; -n: no swap files.
    args: [
      '--headless',
      '-u',
      join(here, 'init.lua'),
      '-i',
      'NONE',
      '-n',
      '-c',
      `luafile ${join(here, 'lsp-test.lua')}`,
    ],
    env: (scratch) => ({ XDG_STATE_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch }),
  });
  t.diagnostic(spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]);
});
