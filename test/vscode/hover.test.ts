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
