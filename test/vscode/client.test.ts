// The client's own surfaces (issue 14): a diagnostic's code opens the page bundled with the
// extension in the Markdown preview, without a network; an untitled Plain Text editor that
// receives a kernel report becomes a Kernel Log editor, once. (The status bar item and the output
// channel are read from the rendered page: test/e2e/client.test.mjs.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  LANGUAGE_ID,
  codeValue,
  diagnosticsWithOneOn,
  extensionActivated,
  openFixture,
  waitFor,
} from './util';

/** The editor tabs showing a Markdown preview whose label names `file`. */
function previewTabsOf(file: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputWebview &&
        tab.input.viewType.includes('markdown.preview') &&
        tab.label.includes(file),
    );
}

/** An untitled Plain Text editor that receives `text` in one edit, as a paste does. */
async function pasteIntoUntitled(text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), text)));
  return document;
}

describe('client', () => {
  it('a code link opens the page bundled with the extension in the Markdown preview', async () => {
    const document = await openFixture('000-seed.log');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 0);
    const report = diagnostics.find((d) => codeValue(d.code) === 'KLL001');
    assert.ok(report && typeof report.code === 'object', 'the report diagnostic has a linked code');
    const target = report.code.target;
    // a command of the extension with the code as argument, not a web page
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'kernelLogLens.openCodeDoc');
    const args = JSON.parse(target.query) as unknown[];
    assert.deepEqual(args, ['KLL001']);

    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const page = vscode.Uri.joinPath(extension.extensionUri, 'docs', 'codes', 'KLL001.md');
    const bytes = await vscode.workspace.fs.readFile(page);
    assert.match(Buffer.from(bytes).toString('utf8'), /^# KLL001 — Page allocation failure/);

    await vscode.commands.executeCommand(target.path, ...args);
    const [tab] = await waitFor('a Markdown preview of KLL001.md', () => {
      const tabs = previewTabsOf('KLL001.md');
      return tabs.length > 0 ? tabs : undefined;
    });
    assert.ok(tab.isActive, 'the preview is the active tab');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a pasted report makes an untitled Plain Text editor a Kernel Log editor, once', async () => {
    await extensionActivated();
    const seed = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '000-seed.log'),
    );
    const seedText = Buffer.from(seed).toString('utf8');

    const pasted = await pasteIntoUntitled(seedText);
    await waitFor('the pasted seed in Kernel Log', () =>
      pasted.languageId === LANGUAGE_ID ? true : undefined,
    );
    assert.equal(pasted.uri.scheme, 'untitled');
    await diagnosticsWithOneOn(pasted.uri, 0);

    // The user switches it back: it stays Plain Text, even when more of a report is pasted.
    await vscode.languages.setTextDocumentLanguage(pasted, 'plaintext');
    const editor = await vscode.window.showTextDocument(pasted);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), `${seedText}\n`)));
    // Text with anchor words but no report stays Plain Text.
    const prose = await pasteIntoUntitled('p = malloc(n);\nSee Mem-Info after an oom-killer line.\n');

    // A `> `-quoted excerpt (a mail reply) is recognised too. It is checked after the two above,
    // so once it switched, the client has long been through their edits.
    const quoted = await pasteIntoUntitled(
      seedText
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n'),
    );
    await waitFor('the quoted seed in Kernel Log', () =>
      quoted.languageId === LANGUAGE_ID ? true : undefined,
    );
    assert.equal(pasted.languageId, 'plaintext', 'a document the user switched back is left alone');
    assert.equal(prose.languageId, 'plaintext', 'text without a report stays Plain Text');

    for (const document of [pasted, prose, quoted]) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
