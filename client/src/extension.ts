// The VS Code client: starts the language server (dist/server.js over IPC), registers the
// commands, and keeps a status bar item with the report count of the active file. Every feature
// (diagnostics, hovers, quick fixes, outline, folding) lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

// The server's custom protocol: request and command names and result shapes, shared with the server.
import {
  CLIENT_COMMANDS,
  COPY_TEXT_COMMAND,
  DOCUMENT_STATUS_REQUEST,
  OPEN_UNTITLED_COMMAND,
  SYSCTL_SUGGESTIONS_REQUEST,
  type DocumentStatus,
  type DocumentStatusParams,
  type SysctlSuggestionsParams,
  type SysctlSuggestionsResult,
} from '../../shared/protocol';

// Kernel logs by the contributed language, and plain `.log` files of the built-in `log` language
// from disk or an untitled paste — but not the Output panel (scheme `output`), which is also `log`.
// The sysctl files are synchronised too, so a quick fix can update a key that is already there.
const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'kernel-log' },
  { scheme: 'untitled', language: 'kernel-log' },
  { scheme: 'file', language: 'log' },
  { scheme: 'untitled', language: 'log' },
  { scheme: 'file', pattern: '**/sysctl.conf' },
  { scheme: 'file', pattern: '**/sysctl.d/*.conf' },
  // the system's own files (hovers and diagnostics): /proc/zoneinfo, /proc/buddyinfo, `sysctl -a`;
  // /proc/meminfo for the RAM the sysctl diagnostics compare with
  { scheme: 'file', pattern: '**/{zoneinfo,buddyinfo,meminfo,sysctl_-a}' },
];
const LOG_SELECTOR: vscode.DocumentSelector = DOCUMENT_SELECTOR.filter(
  (s): s is { scheme: string; language: string } => typeof s !== 'string' && 'language' in s,
);

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: { clientCommands: [...CLIENT_COMMANDS] },
    outputChannelName: 'Kernel Log Lens',
  };
  // The id makes vscode-languageclient honour the `kernelLogLens.trace.server` setting.
  client = new LanguageClient('kernelLogLens', 'Kernel Log Lens', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(status);

  context.subscriptions.push(
    vscode.commands.registerCommand('kernelLogLens.restartServer', async () => {
      await client?.restart();
      await updateStatus(status);
    }),
    vscode.commands.registerCommand('kernelLogLens.copySysctlSuggestions', () => copySuggestions('conf')),
    vscode.commands.registerCommand('kernelLogLens.copySysctlCommands', () => copySuggestions('commands')),
    vscode.commands.registerCommand(COPY_TEXT_COMMAND, async (text: unknown, what: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(
        `Kernel Log Lens: copied ${typeof what === 'string' ? what : 'text'}.`,
      );
    }),
    vscode.commands.registerCommand(OPEN_UNTITLED_COMMAND, async (content: unknown) => {
      if (typeof content !== 'string') return;
      const document = await vscode.workspace.openTextDocument({ language: 'properties', content });
      await vscode.window.showTextDocument(document);
    }),
  );

  let pending: ReturnType<typeof setTimeout> | undefined;
  const scheduleStatus = (delay: number): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => void updateStatus(status), delay);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) scheduleStatus(300);
    }),
    { dispose: () => pending && clearTimeout(pending) },
  );

  await client.start();
  await updateStatus(status);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function updateStatus(item: vscode.StatusBarItem): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!client?.isRunning() || !document || vscode.languages.match(LOG_SELECTOR, document) === 0) {
    item.hide();
    return;
  }
  try {
    const params: DocumentStatusParams = { textDocument: { uri: document.uri.toString() } };
    const status = await client.sendRequest<DocumentStatus | null>(DOCUMENT_STATUS_REQUEST, params);
    if (!status || vscode.window.activeTextEditor?.document !== document) return;
    item.text = `$(pulse) ${status.reports} kernel memory report${status.reports === 1 ? '' : 's'}`;
    item.tooltip = statusTooltip(status);
    item.show();
  } catch {
    item.hide();
  }
}

function statusTooltip(status: DocumentStatus): string {
  const kinds = Object.entries(status.byKind).map(([kind, n]) => `${n} × ${kind.replace(/_/g, ' ')}`);
  if (status.suppressed > 0) kinds.push(`${status.suppressed} suppressed by the kernel's rate limit`);
  return `Kernel Log Lens${kinds.length > 0 ? ': ' + kinds.join(', ') : ''} — click for the Problems panel`;
}

async function copySuggestions(format: 'conf' | 'commands'): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!client || !document) {
    void vscode.window.showWarningMessage('Kernel Log Lens: open a kernel log first.');
    return;
  }
  const params: SysctlSuggestionsParams = { textDocument: { uri: document.uri.toString() }, format };
  const result = await client.sendRequest<SysctlSuggestionsResult | null>(SYSCTL_SUGGESTIONS_REQUEST, params);
  if (!result || result.count === 0) {
    void vscode.window.showInformationMessage('Kernel Log Lens: no sysctl suggestions for this file.');
    return;
  }
  await vscode.env.clipboard.writeText(result.text);
  void vscode.window.showInformationMessage(
    `Kernel Log Lens: copied ${result.count} suggestion${result.count === 1 ? '' : 's'} ${format === 'conf' ? 'in sysctl.conf form' : 'as sysctl -w commands'}.`,
  );
}
