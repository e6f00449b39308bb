// A third real LSP client: Debian's Emacs with eglot, in batch mode, configured by
// kernel-log-lens.el (the README's Emacs configuration) to attach `klens-language-server --stdio`
// to logs. The checks are in eglot-test.el, through eglot's and flymake's own API.
import { join } from 'node:path';
import { test } from 'node:test';
import { runEditorTest } from '../e2e/lib/lsp-client.mjs';
import { repoRoot } from '../e2e/lib/paths.mjs';

const here = join(repoRoot, 'test', 'emacs');

test(
  'Emacs (eglot) shows the diagnostics and a hover from klens-language-server',
  { timeout: 120_000 },
  (t) => {
    const outcome = runEditorTest(t, {
      editor: 'Emacs',
      packages: ['emacs-nox', 'elpa-eglot'],
      command: 'emacs',
      // --batch skips the user's init file but keeps Debian's site-start, which loads elpa-eglot.
      args: ['--batch', '-l', join(here, 'kernel-log-lens.el'), '-l', join(here, 'eglot-test.el')],
      env: (scratch) => ({ HOME: scratch }),
    });
    t.diagnostic(`Emacs ${outcome.emacs}, eglot ${outcome.eglot}`);
  },
);
