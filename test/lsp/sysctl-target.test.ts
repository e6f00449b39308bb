// The quick fixes' target file on disk, over real JSON-RPC: a symbolic link (the file or its
// sysctl.d/) leading out of the workspace, a FIFO, a link to /dev/zero, an oversized file — the
// actions are disabled with the reason (or left out, with a message, for clients that cannot
// show one), answer at once, never edit or disclose the file outside; showSysctlFile refuses too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { ClientCapabilities, CodeAction, TextDocumentEdit } from 'vscode-languageserver/node';
import { fileUri, fixture, TestClient, VSCODE_CAPABILITIES, type StartOptions } from './harness';

const seed = fixture('000-seed.log');
const SECRET = 'vm.min_free_kbytes = 11111 # SECRET-OUTSIDE';
const TARGET = path.join('sysctl.d', '90-kernel-log-lens.conf');
const clients: TestClient[] = [];
const temp: string[] = [];
after(async () => {
  for (const c of clients) {
    await c.stop();
    assert.equal(c.errorOutput, '');
  }
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

/** A directory outside every workspace holding a sysctl file with a recognisable secret. */
function outsideDir(): string {
  const dir = tempDir('klens-outside-');
  fs.mkdirSync(path.join(dir, 'sysctl.d'));
  fs.writeFileSync(path.join(dir, TARGET), `${SECRET}\n`);
  return dir;
}

const WITH_DISABLED: ClientCapabilities = structuredClone(VSCODE_CAPABILITIES);
WITH_DISABLED.textDocument!.codeAction!.disabledSupport = true;

async function start(dir: string, options: Partial<StartOptions> = {}): Promise<TestClient> {
  const client = await TestClient.start({
    capabilities: WITH_DISABLED,
    initializationOptions: { clientCommands: ['kernelLogLens.copyText', 'kernelLogLens.openUntitled'] },
    workspaceFolders: [{ uri: fileUri(dir), name: 'ops' }],
    ...options,
  });
  clients.push(client);
  return client;
}

/** A request that must answer; a hang fails the test instead of stalling the run. */
function answered<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within 10 s`)), 10_000);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

async function actionsOnSeed(client: TestClient, dir: string): Promise<CodeAction[]> {
  const uri = fileUri(path.join(dir, `messages-${clients.length}`));
  await client.open(uri, seed);
  return answered(
    client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    }),
    'textDocument/codeAction',
  );
}

/** Every write action disabled with a reason matching `reason`; the copy action still there. */
function assertDisabled(actions: CodeAction[], reason: RegExp): void {
  const writes = actions.filter((a) => !a.command);
  assert.ok(writes.length >= 2, JSON.stringify(actions));
  for (const a of writes) {
    assert.match(
      a.disabled?.reason ?? '',
      /^Kernel Log Lens does not write to sysctl\.d\/90-kernel-log-lens\.conf: /,
    );
    assert.match(a.disabled?.reason ?? '', reason);
    assert.equal(a.edit, undefined);
    assert.equal(a.data, undefined);
  }
  assert.ok(actions.some((a) => a.command?.command === 'kernelLogLens.copyText'));
  assert.ok(!JSON.stringify(actions).includes('SECRET'), 'nothing of the outside file disclosed');
}

test('a symlinked sysctl.d/ leading out of the workspace: disabled, nothing read or written outside', async () => {
  const outside = outsideDir();
  const dir = tempDir('klens-ws-');
  fs.symlinkSync(path.join(outside, 'sysctl.d'), path.join(dir, 'sysctl.d'));
  const client = await start(dir);
  const actions = await actionsOnSeed(client, dir);
  assertDisabled(
    actions,
    /a symbolic link leads it outside the workspace folders \(to .*90-kernel-log-lens\.conf\)$/,
  );
  // Resolving a disabled action (a client may still send it) gives no edit.
  const resolved = await client.request<CodeAction>('codeAction/resolve', actions[0]);
  assert.equal(resolved.edit, undefined);
  assert.equal(fs.readFileSync(path.join(outside, TARGET), 'utf8'), `${SECRET}\n`);

  // The same when the file does not exist yet behind the link: checked on sysctl.d/ itself.
  fs.rmSync(path.join(outside, TARGET));
  assertDisabled(await actionsOnSeed(client, dir), /a symbolic link leads it outside the workspace folders/);
});

test('a committed symlink as the target file: disabled, also for a client without resolve support', async () => {
  const outside = outsideDir();
  const dir = tempDir('klens-ws-');
  fs.mkdirSync(path.join(dir, 'sysctl.d'));
  fs.symlinkSync(path.join(outside, TARGET), path.join(dir, TARGET));
  assertDisabled(await actionsOnSeed(await start(dir), dir), /a symbolic link leads it outside/);

  const capabilities = structuredClone(WITH_DISABLED);
  delete capabilities.textDocument!.codeAction!.resolveSupport;
  const eager = await start(dir, { capabilities });
  assertDisabled(await actionsOnSeed(eager, dir), /a symbolic link leads it outside/);
});

test('a client that cannot show disabled actions: only the copy action, and a message says why', async () => {
  const outside = outsideDir();
  const dir = tempDir('klens-ws-');
  fs.mkdirSync(path.join(dir, 'sysctl.d'));
  fs.symlinkSync(path.join(outside, TARGET), path.join(dir, TARGET));
  const client = await start(dir, { capabilities: VSCODE_CAPABILITIES });
  const actions = await actionsOnSeed(client, dir);
  assert.deepEqual(
    actions.map((a) => a.command?.command),
    ['kernelLogLens.copyText'],
  );
  await actionsOnSeed(client, dir);
  assert.equal(client.messages.length, 1, 'told once, not on every request');
  assert.equal(client.messages[0].type, 2);
  assert.match(
    client.messages[0].message,
    /^Kernel Log Lens does not write to sysctl\.d\/90-kernel-log-lens\.conf: a symbolic link leads it outside/,
  );
});

test('a symlink inside the workspace to another file inside it is followed and read', async () => {
  const dir = tempDir('klens-ws-');
  fs.mkdirSync(path.join(dir, 'sysctl.d'));
  fs.writeFileSync(path.join(dir, 'base.conf'), 'vm.min_free_kbytes = 45056\n');
  fs.symlinkSync(path.join(dir, 'base.conf'), path.join(dir, TARGET));
  const client = await start(dir);
  const actions = await actionsOnSeed(client, dir);
  const minFree = actions.find((a) => a.title.startsWith('Set vm.min_free_kbytes'));
  assert.ok(minFree && !minFree.disabled);
  const resolved = await client.request<CodeAction>('codeAction/resolve', minFree);
  const change = resolved.edit?.documentChanges?.[1] as TextDocumentEdit;
  assert.match(change.edits[0].newText, /^# was: vm\.min_free_kbytes = 45056\nvm\.min_free_kbytes = 90112$/m);
});

test('a FIFO, a link to /dev/zero, a directory, an oversized file: refused at once', async (t) => {
  const cases: [string, (target: string) => void, RegExp][] = [
    ['FIFO', (target) => execFileSync('mkfifo', [target]), /it is a FIFO, not a regular file$/],
    ['directory', (target) => fs.mkdirSync(target), /it is a directory, not a regular file$/],
    [
      'oversized',
      (target) => fs.writeFileSync(target, `# ${'x'.repeat(1 << 20)}\n`),
      /it is larger than 1 MiB \(1048579 bytes\), too large for a sysctl file$/,
    ],
  ];
  if (fs.existsSync('/dev/zero'))
    cases.push([
      '/dev/zero',
      (target) => fs.symlinkSync('/dev/zero', target),
      /a symbolic link leads it outside the workspace folders \(to \/dev\/zero\)$/,
    ]);
  for (const [name, make, reason] of cases) {
    await t.test(name, async () => {
      const dir = tempDir('klens-ws-');
      fs.mkdirSync(path.join(dir, 'sysctl.d'));
      make(path.join(dir, TARGET));
      assertDisabled(await actionsOnSeed(await start(dir), dir), reason);
      const capabilities = structuredClone(WITH_DISABLED);
      delete capabilities.textDocument!.codeAction!.resolveSupport;
      assertDisabled(await actionsOnSeed(await start(dir, { capabilities }), dir), reason);
    });
  }
});

test('an open sysctl file whose path leads out through a link is not edited', async () => {
  const outside = outsideDir();
  const dir = tempDir('klens-ws-');
  fs.symlinkSync(outside, path.join(dir, 'etc'));
  const client = await start(dir);
  const conf = fileUri(path.join(dir, 'etc', TARGET));
  await client.open(conf, `${SECRET}\n`, 'properties');
  const actions = await actionsOnSeed(client, dir);
  const writes = actions.filter((a) => !a.command);
  for (const a of writes) {
    assert.match(
      a.disabled?.reason ?? '',
      /^Kernel Log Lens does not write to etc\/sysctl\.d\/90-kernel-log-lens\.conf: a symbolic link leads it outside/,
    );
    assert.equal(a.data, undefined);
  }
});

test('showSysctlFile: a link leading outside the workspace is not opened', async () => {
  const outside = outsideDir();
  const dir = tempDir('klens-ws-');
  fs.mkdirSync(path.join(dir, 'sysctl.d'));
  fs.symlinkSync(path.join(outside, TARGET), path.join(dir, TARGET));
  fs.symlinkSync(path.join(outside, 'sysctl.d'), path.join(dir, 'linked.d'));
  fs.writeFileSync(path.join(dir, 'sysctl.d', 'inside.conf'), 'vm.swappiness = 10\n');
  const client = await start(dir);
  for (const target of [path.join(dir, TARGET), path.join(dir, 'linked.d', '90-kernel-log-lens.conf')]) {
    await answered(
      client.request('workspace/executeCommand', {
        command: 'kernelLogLens.showSysctlFile',
        arguments: [fileUri(target), 0],
      }),
      'showSysctlFile',
    );
  }
  assert.deepEqual(client.shownDocuments, []);
  assert.equal(client.messages.length, 2);
  for (const m of client.messages)
    assert.match(m.message, /^Kernel Log Lens does not open .*: a symbolic link leads it outside/);
  const inside = fileUri(path.join(dir, 'sysctl.d', 'inside.conf'));
  await client.request('workspace/executeCommand', {
    command: 'kernelLogLens.showSysctlFile',
    arguments: [inside, 0],
  });
  assert.equal((client.shownDocuments as { uri: string }[]).map((d) => d.uri).join(), inside);
});
