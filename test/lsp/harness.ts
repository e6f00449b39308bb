// Spawns the built language server (`node dist/server.js --stdio`) and speaks real JSON-RPC to
// it through vscode-jsonrpc's stream reader/writer, as an editor would. The fake client answers
// `workspace/configuration` from the settings given, records pushed diagnostics and server log
// messages, and fails a test when the server writes anything to stderr or exits early.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'corpus');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** What a recent VS Code announces, the parts this server looks at. */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  window: { showDocument: { support: true } },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    foldingRange: { lineFoldingOnly: true },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  workspaceFolders?: WorkspaceFolder[] | null;
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
}

export class TestClient {
  readonly pushed = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly refreshRequests: string[] = [];
  readonly shownDocuments: unknown[] = [];
  private stderr = '';
  private versions = new Map<string, number>();
  private waiters: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  initializeResult!: InitializeResult;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    public settings: Record<string, unknown>,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new TestClient(child, connection, options.settings ?? {});
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'kernelLogLens' ? client.settings : null)),
    );
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshRequests.push('diagnostic');
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showDocument', (params: unknown) => {
      client.shownDocuments.push(params);
      return { success: true };
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    connection.onNotification('window/showMessage', (p: { type: number; message: string }) =>
      client.messages.push(p),
    );
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.pushed.set(p.uri, p);
      for (const w of client.waiters.filter((w) => w.uri === p.uri)) w.resolve(p);
      client.waiters = client.waiters.filter((w) => w.uri !== p.uri);
    });
    connection.listen();
    const folders = options.workspaceFolders === undefined ? null : options.workspaceFolders;
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders?.[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: options.capabilities ?? VSCODE_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  get capabilities(): InitializeResult['capabilities'] {
    return this.initializeResult.capabilities;
  }

  async open(uri: string, text: string, languageId = 'kernel-log'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  async change(uri: string, changes: unknown[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Pulled diagnostics of a document (textDocument/diagnostic, full report). */
  async pull(uri: string): Promise<Diagnostic[]> {
    const report = await this.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  /** The next diagnostics pushed for `uri` (or those already pushed when `latest` is set). */
  nextPush(uri: string, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics pushed for ${uri}`)), timeoutMs);
      this.waiters.push({
        uri,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Stderr output so far: the server must never write there (or to stdout) outside the protocol. */
  get errorOutput(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      const timer = setTimeout(() => this.child.kill(), 3000);
      await exited;
      clearTimeout(timer);
      this.connection.dispose();
    }
  }
}

/** Position of the first occurrence of `needle` in `text` (+ `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: offset + delta - (before.lastIndexOf('\n') + 1) };
}

/** Plain text of a hover's Markdown (backslash escapes removed) for value assertions. */
export function hoverText(hover: { contents: unknown } | null): string {
  if (!hover) return '';
  const c = hover.contents as { value?: string } | string;
  const value = typeof c === 'string' ? c : (c.value ?? '');
  return value.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** One server for a test file: started before its tests, stopped after them, and it must not have
 * written to stderr. `onStart` receives the client. */
export function useServer(onStart: (client: TestClient) => void): void {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
    onStart(client);
  });
  after(async () => {
    await client.stop();
    assert.equal(client.errorOutput, '');
  });
}

/** A process's resident memory in MB: /proc on Linux (no procps needed), else ps (macOS). */
export function residentMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kb) return Math.round(Number(kb[1]) / 1024);
  } catch {
    // not Linux: ps below
  }
  return Math.round(
    Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024,
  );
}
