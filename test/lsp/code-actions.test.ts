// Quick fixes over real JSON-RPC: the edits they carry, where they write, and where they never write.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { fileUri, fixture, TestClient, VSCODE_CAPABILITIES, type StartOptions } from './harness';

const seed = fixture('000-seed.log');
const clients: TestClient[] = [];
const temp: string[] = [];
after(async () => {
  for (const c of clients) {
    await c.stop();
    assert.equal(c.errorOutput, '');
  }
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klens-ws-'));
  temp.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function start(options: StartOptions): Promise<TestClient> {
  const client = await TestClient.start({
    initializationOptions: { clientCommands: ['kernelLogLens.copyText', 'kernelLogLens.openUntitled'] },
    ...options,
  });
  clients.push(client);
  return client;
}

async function actionsOnSeed(
  client: TestClient,
  uri: string,
): Promise<{ actions: CodeAction[]; diagnostic: Diagnostic }> {
  await client.open(uri, seed);
  const diagnostic = (await client.pull(uri)).find((d) => d.range.start.line === 0 && d.severity === 2);
  assert.ok(diagnostic);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], triggerKind: 1 },
  });
  return { actions, diagnostic };
}

function resolve(client: TestClient, action: CodeAction): Promise<CodeAction> {
  return client.request<CodeAction>('codeAction/resolve', action);
}

function textEdits(edit: WorkspaceEdit | undefined): { uri: string; version: number | null; text: string }[] {
  return (edit?.documentChanges ?? [])
    .filter((c): c is TextDocumentEdit => 'textDocument' in c)
    .map((c) => ({
      uri: c.textDocument.uri,
      version: c.textDocument.version,
      text: c.edits.map((e) => ('newText' in e ? e.newText : '')).join(''),
    }));
}

test('seed: a preferred "apply all recommended", one quick fix per setting, a copy action; edits resolved lazily', async () => {
  const dir = workspace();
  const client = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const { actions, diagnostic } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const all = actions.find((a) => a.isPreferred);
  assert.ok(all, actions.map((a) => a.title).join('\n'));
  assert.match(
    all.title,
    /^Apply all recommended sysctl settings \(\d+\) in sysctl\.d\/90-kernel-log-lens\.conf$/,
  );
  assert.equal(all.kind, 'quickfix');
  assert.deepEqual(all.diagnostics, [diagnostic]);
  assert.equal(all.edit, undefined, 'computed on resolve');
  const minFree = actions.find((a) => a.title.startsWith('Set vm.min_free_kbytes = 90112 in '));
  assert.ok(minFree, 'one action per setting');
  assert.equal(actions.filter((a) => a.title.startsWith('Set vm.min_free_kbytes')).length, 1);

  const resolved = await resolve(client, all);
  const target = fileUri(path.join(dir, 'sysctl.d', '90-kernel-log-lens.conf'));
  assert.deepEqual(resolved.edit?.documentChanges?.[0], {
    kind: 'create',
    uri: target,
    options: { ignoreIfExists: true },
  });
  const [edit] = textEdits(resolved.edit);
  assert.equal(edit.uri, target);
  assert.equal(edit.version, null);
  assert.match(edit.text, /^vm\.min_free_kbytes = 90112$/m);
  assert.match(edit.text, /^# Kernel Log Lens: suggested for the report at messages:1 \(Apr 28 05:30:51\)$/m);
  assert.ok(
    edit.text.split('\n').every((l) => l === '' || l.startsWith('#') || /^[a-z_.]+ = \S/.test(l)),
    'only comments and settings',
  );

  // After the edit, the client runs the command that reveals the file (window/showDocument).
  assert.deepEqual(resolved.command, {
    title: 'Show the sysctl file',
    command: 'kernelLogLens.showSysctlFile',
    arguments: [target, 0],
  });
  await client.request('workspace/executeCommand', {
    command: resolved.command?.command,
    arguments: resolved.command?.arguments,
  });
  assert.deepEqual(client.shownDocuments, [
    {
      uri: target,
      takeFocus: true,
      selection: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    },
  ]);
  for (const outside of ['file:///etc/sysctl.conf', fileUri(path.join(dir, 'notes.txt')), 42]) {
    await client.request('workspace/executeCommand', {
      command: 'kernelLogLens.showSysctlFile',
      arguments: [outside, 0],
    });
  }
  assert.equal(client.shownDocuments.length, 1, 'nothing outside the workspace, nothing but .conf files');

  const copy = actions.find((a) => a.command?.command === 'kernelLogLens.copyText');
  assert.ok(copy);
  assert.match(String(copy.command?.arguments?.[0]), /^sysctl -w vm\.min_free_kbytes=90112$/m);
});

test('anywhere inside a report, not outside', async () => {
  const client = await start({ workspaceFolders: [{ uri: fileUri(workspace()), name: 'w' }] });
  const uri = 'file:///logs/other/messages';
  await client.open(uri, seed);
  const inside = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 40, character: 5 }, end: { line: 40, character: 5 } },
    context: { diagnostics: [] },
  });
  assert.ok(inside.some((a) => a.isPreferred));
  const other = 'file:///logs/other/plain.log';
  await client.open(other, 'Apr 28 05:30:51 cztest kernel: eth0: link up\n');
  const outside = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: other },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  });
  assert.deepEqual(outside, []);
});

test('an open sysctl.conf of the workspace that already sets the key is updated, not duplicated', async () => {
  const dir = workspace();
  const client = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const conf = fileUri(path.join(dir, 'etc', 'sysctl.conf'));
  await client.open(conf, '# ops\nvm.swappiness = 10\nvm.min_free_kbytes = 67584\n', 'properties');
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const minFree = actions.find((a) => a.title.startsWith('Set vm.min_free_kbytes = 90112'));
  assert.ok(minFree);
  assert.match(minFree.title, / in etc\/sysctl\.conf/);
  const resolved = await resolve(client, minFree);
  assert.equal(resolved.edit?.documentChanges?.length, 1, 'no file creation for an open file');
  const change = resolved.edit?.documentChanges?.[0] as TextDocumentEdit;
  assert.deepEqual(change.textDocument, { uri: conf, version: 1 });
  assert.equal(change.edits.length, 1);
  assert.deepEqual(
    change.edits[0].range,
    { start: { line: 2, character: 0 }, end: { line: 2, character: 26 } },
    'replaces the existing line',
  );
  assert.match(change.edits[0].newText, /# was: vm\.min_free_kbytes = 67584\nvm\.min_free_kbytes = 90112$/);
});

test('the configured file on disk (not open) is read so its key is updated too', async () => {
  const dir = workspace({ 'sysctl.d/90-kernel-log-lens.conf': 'vm.min_free_kbytes = 45056\n' });
  const client = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const resolved = await resolve(
    client,
    actions.find((a) => a.title.startsWith('Set vm.min_free_kbytes'))!,
  );
  const [edit] = textEdits(resolved.edit);
  assert.match(edit.text, /^# was: vm\.min_free_kbytes = 45056\nvm\.min_free_kbytes = 90112$/m);
  assert.equal((resolved.edit?.documentChanges?.[1] as TextDocumentEdit).edits[0].range.start.line, 0);
});

test('a sysctl file outside the workspace folders is never targeted', async () => {
  const dir = workspace();
  const client = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  await client.open('file:///etc/sysctl.conf', 'vm.min_free_kbytes = 67584\n', 'properties');
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const resolved = await resolve(
    client,
    actions.find((a) => a.isPreferred)!,
  );
  const uris = textEdits(resolved.edit).map((e) => e.uri);
  assert.deepEqual(uris, [fileUri(path.join(dir, 'sysctl.d', '90-kernel-log-lens.conf'))]);
  const configured = await start({
    workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }],
    settings: { sysctlFile: '../../../etc/sysctl.d/evil.conf' },
  });
  const again = await actionsOnSeed(configured, fileUri(path.join(dir, 'messages')));
  const edit = await resolve(
    configured,
    again.actions.find((a) => a.isPreferred)!,
  );
  assert.deepEqual(
    textEdits(edit.edit).map((e) => e.uri),
    [fileUri(path.join(dir, 'sysctl.d', '90-kernel-log-lens.conf'))],
  );
});

test('no workspace folder: the lines open in a new untitled document instead', async () => {
  const client = await start({ workspaceFolders: null });
  const { actions } = await actionsOnSeed(client, 'untitled:Untitled-1');
  const all = actions.find((a) => a.isPreferred)!;
  assert.match(all.title, /in a new untitled document$/);
  assert.equal(all.edit, undefined);
  assert.equal(all.command?.command, 'kernelLogLens.openUntitled');
  assert.match(String(all.command?.arguments?.[0]), /^vm\.min_free_kbytes = 90112$/m);
});

test('a client without resourceOperations also gets an untitled document', async () => {
  const capabilities = structuredClone(VSCODE_CAPABILITIES);
  capabilities.workspace!.workspaceEdit = { documentChanges: true };
  const client = await start({ capabilities, workspaceFolders: [{ uri: fileUri(workspace()), name: 'w' }] });
  const { actions } = await actionsOnSeed(client, 'file:///logs/x/messages');
  const all = await resolve(
    client,
    actions.find((a) => a.isPreferred)!,
  );
  assert.equal(all.edit, undefined);
  assert.equal(all.command?.command, 'kernelLogLens.openUntitled');
});

test('a client without resolve support gets the edits right away', async () => {
  const capabilities = structuredClone(VSCODE_CAPABILITIES);
  delete capabilities.textDocument!.codeAction!.resolveSupport;
  const dir = workspace();
  const client = await start({ capabilities, workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const all = actions.find((a) => a.isPreferred)!;
  assert.match(textEdits(all.edit)[0].text, /^vm\.min_free_kbytes = 90112$/m);
});

test('the file-level suggestions request (copy commands)', async () => {
  const client = await start({});
  await client.open('file:///logs/s', seed);
  const conf = await client.request<{ text: string; count: number }>('kernelLogLens/sysctlSuggestions', {
    textDocument: { uri: 'file:///logs/s' },
  });
  assert.ok(conf.count >= 1);
  assert.match(conf.text, /^vm\.min_free_kbytes = 90112$/m);
  const commands = await client.request<{ text: string }>('kernelLogLens/sysctlSuggestions', {
    textDocument: { uri: 'file:///logs/s' },
    format: 'commands',
  });
  assert.match(commands.text, /^sysctl -w vm\.min_free_kbytes=90112$/m);
});

test('issue #14: a client with disabledSupport receives the not-recommended settings disabled, with the reason, after the applicable ones', async () => {
  const capabilities = structuredClone(VSCODE_CAPABILITIES);
  capabilities.textDocument!.codeAction!.disabledSupport = true;
  const dir = workspace();
  const client = await start({ capabilities, workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const IN = ' in sysctl.d/90-kernel-log-lens.conf';
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred ?? false, a.disabled?.reason ?? null]),
    [
      [`Apply all recommended sysctl settings (1)${IN}`, true, null],
      [`Set vm.min_free_kbytes = 90112${IN}`, false, null],
      ['Copy recommended settings as sysctl -w commands', false, null],
      [
        `Set vm.lowmem_reserve_ratio = 256 128 32${IN} (not recommended for this report)`,
        false,
        "Not recommended: the request is Normal-class, so lowering DMA32's ratio enlarges the reserve that DMA32 keeps back from exactly this request: it shrinks the…",
      ],
      [
        `Set vm.zone_reclaim_mode = 1${IN} (not recommended for this report)`,
        false,
        'Not recommended for this report: the nodes are unbalanced, but zone reclaim never runs for an atomic request like this one, so it would not prevent this…',
      ],
    ],
  );
  // a disabled action resolves to nothing
  const resolved = await resolve(client, actions[3]);
  assert.equal(resolved.edit, undefined);
  assert.equal(resolved.command, undefined);

  // the default capabilities (no disabledSupport): the not-recommended settings are not offered
  const plain = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const offered = await actionsOnSeed(plain, fileUri(path.join(dir, 'messages')));
  assert.deepEqual(
    offered.actions.map((a) => a.title),
    [
      `Apply all recommended sysctl settings (1)${IN}`,
      `Set vm.min_free_kbytes = 90112${IN}`,
      'Copy recommended settings as sysctl -w commands',
    ],
  );
});

test("issue #14: the configured file holding another host's block is not overwritten; the larger min_free_kbytes stays active", async () => {
  const other = [
    '# Kernel Log Lens: host analyzeTHIS',
    '# Kernel Log Lens: suggested for the report at r8169.log:2 (Aug  8 09:56:22)',
    'vm.min_free_kbytes = 2880',
    '# Kernel Log Lens: end of host analyzeTHIS',
    '',
  ].join('\n');
  const dir = workspace({ 'sysctl.d/90-kernel-log-lens.conf': other });
  const client = await start({ workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }] });
  const { actions } = await actionsOnSeed(client, fileUri(path.join(dir, 'messages')));
  const resolved = await resolve(
    client,
    actions.find((a) => a.isPreferred)!,
  );
  const change = resolved.edit?.documentChanges?.[1] as TextDocumentEdit;
  assert.deepEqual(
    change.edits.map((e) => [e.range.start.line, e.range.end.line]),
    [
      [2, 2],
      [4, 4],
    ],
    "the other host's line becomes a comment; the seed's host gets its own block at the end",
  );
  assert.equal(
    change.edits[0].newText,
    '# not applied: vm.min_free_kbytes = 2880\n# 90112 wins (host cztest, report at messages:1 (Apr 28 05:30:51)): the larger min_free_kbytes keeps at least the reserve each report asked for',
  );
  const block = change.edits[1].newText.split('\n');
  assert.deepEqual(
    [block[0], block[1], block[2], block.at(-3), block.at(-2), block.at(-1)],
    [
      '',
      '# Kernel Log Lens: host cztest',
      '# Kernel Log Lens: suggested for the report at messages:1 (Apr 28 05:30:51)',
      'vm.min_free_kbytes = 90112',
      '# Kernel Log Lens: end of host cztest',
      '',
    ],
  );
});
