// The header hover's "Show report" link over real JSON-RPC: only for a client that says it runs
// SHOW_REPORT_COMMAND (initializationOptions.clientCommands, as the VS Code extension does).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover } from 'vscode-languageserver/node';
import { fixture, hoverText, positionOf, TestClient } from './harness';
import { SHOW_REPORT_COMMAND } from '../../shared/protocol';

const SEED = 'file:///logs/seed.log';
const seed = fixture('000-seed.log');

async function headerHover(client: TestClient): Promise<string> {
  await client.open(SEED, seed);
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri: SEED },
    position: positionOf(seed, 'page allocation failure', 3),
  });
  return hoverText(hover);
}

test('a client that runs the command gets the link, with the uri and the header line', async () => {
  const client = await TestClient.start({ initializationOptions: { clientCommands: [SHOW_REPORT_COMMAND] } });
  try {
    const text = await headerHover(client);
    const m = /\[Show report\]\(command:kernelLogLens\.showReport\?(\S+) "/.exec(text);
    assert.ok(m, text);
    const line = seed.split('\n').findIndex((l) => l.includes('page allocation failure'));
    assert.deepStrictEqual(JSON.parse(decodeURIComponent(m[1])), [SEED, line]);
  } finally {
    await client.stop();
  }
});

test('any other client gets the hover without it', async () => {
  const client = await TestClient.start();
  try {
    const text = await headerHover(client);
    assert.match(text, /Page allocation failure/);
    assert.doesNotMatch(text, /command:/);
  } finally {
    await client.stop();
  }
});
