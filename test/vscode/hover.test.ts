// Hovers explain the numbers of this report: the zone line against its watermarks, and the
// lowmem_reserve protection with the ratio that produced it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, openFixture, showsNumber, waitFor } from './util';

async function hoverAt(document: vscode.TextDocument, line: number, word: string): Promise<string> {
  const character = document.lineAt(line).text.indexOf(word);
  assert.ok(character >= 0, `"${word}" on line ${line + 1}`);
  const position = new vscode.Position(line, character + 1);
  return waitFor(`a hover on line ${line + 1} ("${word}")`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      position,
    );
    const text = hoverText(hovers ?? []);
    return text.trim() ? text : undefined;
  });
}

function assertShows(text: string, numbers: number[]): void {
  for (const n of numbers) assert.ok(showsNumber(text, n), `the hover shows ${n}:\n${text}`);
}

describe('hovers', () => {
  it('explains the Node 1 Normal zone: free below low, kswapd woken', async () => {
    const document = await openFixture('000-seed.log');
    const text = await hoverAt(document, 42, 'Normal');
    assertShows(text, [19976, 16260, 20324, 24388]);
    assert.match(text, /below (the )?low\b/i, `the state is "below low":\n${text}`);
    assert.match(text, /kswapd/, `says what the kernel does in that state:\n${text}`);
  });

  it('explains the DMA lowmem_reserve line: pages per zone and the ratio 256', async () => {
    const document = await openFixture('000-seed.log');
    const text = await hoverAt(document, 36, 'lowmem_reserve');
    assertShows(text, [3203, 32183, 256]);
    assert.match(text, /DMA32/, `each entry by zone name:\n${text}`);
    assert.match(text, /pages/, `in pages:\n${text}`);
  });
});

describe('the header hover', () => {
  it('links the report view, a trusted command link that opens it beside the log', async () => {
    const document = await openFixture('000-seed.log');
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('page allocation failure'));
    const position = new vscode.Position(line, document.lineAt(line).text.indexOf('page allocation') + 2);
    const link = await waitFor('the header hover with its Show report link', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        position,
      );
      for (const content of (hovers ?? []).flatMap((h) => h.contents)) {
        if (typeof content === 'string' || !('isTrusted' in content)) continue;
        const m = /\[Show report\]\(command:kernelLogLens\.showReport\?(\S+) "/.exec(content.value);
        if (m) return { args: m[1], trusted: content.isTrusted };
      }
      return undefined;
    });
    // the client trusts exactly this command in the server's Markdown, nothing else
    assert.deepStrictEqual(link.trusted, { enabledCommands: ['kernelLogLens.showReport'] });
    const args = JSON.parse(decodeURIComponent(link.args)) as [string, number];
    assert.deepStrictEqual(args, [document.uri.toString(), line]);
    await vscode.commands.executeCommand('kernelLogLens.showReport', ...args);
    await waitFor('the report view tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some(
          (t) =>
            t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kernelLogLens.report'),
        )
        ? true
        : undefined,
    );
  });
});
