// The capabilities table, as an editor sees it after `initialize`, and the server's hygiene:
// nothing on stderr, a clean shutdown.
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import {
  createProtocolConnection,
  ExitNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
} from 'vscode-languageserver/node';
import { SERVER, TestClient } from './harness';

test('VS Code-like client: pull diagnostics, incremental sync, every provider; client-run commands', async () => {
  const client = await TestClient.start({
    initializationOptions: { clientCommands: ['kernelLogLens.copyText', 'kernelLogLens.openUntitled'] },
  });
  try {
    const caps = client.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'], resolveProvider: true });
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.foldingRangeProvider, true);
    assert.deepEqual(caps.diagnosticProvider, {
      identifier: 'Kernel Log Lens',
      interFileDependencies: false,
      workspaceDiagnostics: false,
    });
    assert.deepEqual(
      caps.executeCommandProvider,
      { commands: ['kernelLogLens.showSysctlFile'] },
      'the VS Code client runs copy/open-untitled itself',
    );
    assert.deepEqual(caps.experimental, {
      kernelLogLens: {
        requests: [
          'kernelLogLens/documentStatus',
          'kernelLogLens/sysctlSuggestions',
          'kernelLogLens/containsReport',
          'kernelLogLens/analyzeFile',
          'kernelLogLens/reportView',
        ],
        notifications: ['kernelLogLens/forgetFile'],
      },
    });
    assert.equal(client.initializeResult.serverInfo?.name, 'klens-language-server');
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
  assert.equal(client.child.exitCode, 0);
});

test('a minimal client: push diagnostics, and the server offers the commands it would otherwise leave to the client', async () => {
  const client = await TestClient.start({ capabilities: { textDocument: { hover: {} } } });
  try {
    assert.equal(client.capabilities.diagnosticProvider, undefined);
    assert.deepEqual(client.capabilities.executeCommandProvider, {
      commands: ['kernelLogLens.showSysctlFile', 'kernelLogLens.copyText', 'kernelLogLens.openUntitled'],
    });
    const shown = new Promise<{ message: string }>((resolve) =>
      client.connection.onNotification('window/showMessage', resolve),
    );
    await client.request('workspace/executeCommand', {
      command: 'kernelLogLens.copyText',
      arguments: ['sysctl -w vm.min_free_kbytes=90112', 'x'],
    });
    assert.equal((await shown).message, 'sysctl -w vm.min_free_kbytes=90112', 'shown, never run');
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
});

test('without a connection flag the binary prints its usage on stderr and exits 2, writing nothing to stdout', () => {
  const run = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /usage: klens-language-server --stdio/);
});

test('IPC transport, as the VS Code extension starts it (`--node-ipc`)', async () => {
  const child = fork(SERVER, ['--node-ipc', `--clientProcessId=${process.pid}`], {
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    assert.equal(result.capabilities.hoverProvider, true);
    await connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await connection.sendNotification(ExitNotification.type);
    await exited;
  } finally {
    connection.dispose();
    child.kill();
  }
  assert.equal(stdout, '', 'nothing on stdout over IPC');
});
