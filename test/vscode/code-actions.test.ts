// The preferred quick fix on the report writes the recommended sysctl lines into a sysctl file of
// the workspace (a new sysctl.d/90-kernel-log-lens.conf here: the fixture has none).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWithOneOn, fixture, openFixture, waitFor } from './util';

const RESOLVE_ALL = 100;

describe('code actions', () => {
  it('applies the preferred quick fix: vm.min_free_kbytes = 90112 in the sysctl file', async () => {
    const document = await openFixture('000-seed.log');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 0);
    const header = diagnostics.find((d) => d.range.start.line === 0);
    assert.ok(header);

    const actions = await waitFor('quick fixes on the seed header', async () => {
      const found = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        header.range,
        vscode.CodeActionKind.QuickFix.value,
        RESOLVE_ALL, // resolves lazy edits (codeAction/resolve), as the editor does on apply
      );
      const quickFixes = (found ?? []).filter(
        (a): a is vscode.CodeAction =>
          'kind' in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind),
      );
      return quickFixes.length > 0 ? quickFixes : undefined;
    });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(
      preferred.length,
      1,
      `one preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`,
    );
    assert.ok(
      actions.some((a) => /min_free_kbytes/.test(a.title)),
      'one action per remedy, min_free_kbytes among them',
    );
    assert.ok(
      actions.some((a) => /sysctl -w/.test(a.title)),
      'a "copy as sysctl -w" action',
    );

    const [fix] = preferred;
    assert.ok(fix.edit || fix.command, 'the quick fix does something');
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the workspace edit applies');
    if (fix.command)
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    const target = fixture('sysctl.d/90-kernel-log-lens.conf');
    const text = await waitFor(`vm.min_free_kbytes = 90112 in ${target.path}`, async () => {
      const content = (await vscode.workspace.openTextDocument(target)).getText();
      return /^vm\.min_free_kbytes = 90112$/m.test(content) ? content : undefined;
    });
    assert.match(text, /^#/m, 'the evidence is written as comments');
    assert.equal(text.match(/^vm\.min_free_kbytes\b/gm)?.length, 1, 'the key is written once');
    assert.doesNotMatch(text, /^vm\.drop_caches/m, 'never drop_caches in a sysctl file');
  });
});
