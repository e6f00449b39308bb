// Where a diagnostic's code links (features/codes.ts): the VS Code client's command with the code
// as its one argument, the page installed beside the server, or nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeDescription, NO_CODE_DOCS } from '../../server/src/features/codes';

test('command: a command URI whose query is the JSON array of arguments, URI-encoded', () => {
  const link = codeDescription('KLL001', { kind: 'command', command: 'kernelLogLens.openCodeDoc' });
  assert.deepEqual(link, { href: 'command:kernelLogLens.openCodeDoc?%5B%22KLL001%22%5D' });
  assert.deepEqual(JSON.parse(decodeURIComponent(link!.href.split('?')[1])), ['KLL001']);
});

test('folder: <folder>/<CODE>.md with or without a trailing slash, the path as given', () => {
  const folder = 'file:///home/u/.vscode/extensions/klens.kernel-log-lens-0.0.1/docs/codes';
  for (const uri of [folder, `${folder}/`])
    assert.deepEqual(codeDescription('KLL023', { kind: 'folder', uri }), { href: `${folder}/KLL023.md` });
  assert.deepEqual(
    codeDescription('KLL023', { kind: 'folder', uri: 'file:///C:/Program%20Files/klens/docs/codes' }),
    {
      href: 'file:///C:/Program%20Files/klens/docs/codes/KLL023.md',
    },
  );
});

test('none: no link (a server installed without its pages), also the default', () => {
  assert.equal(codeDescription('KLL001', NO_CODE_DOCS), undefined);
  assert.equal(codeDescription('KLL001'), undefined);
});
