// The VS Code client: starts the language server (dist/server.js over IPC), registers the
// commands, keeps a status bar item with the report count of the active file (none for a file
// without a report), opens the finding codes' pages bundled with the extension, and gives a pasted
// untitled Plain Text editor the Kernel Log language when it holds a report. Every feature
// (diagnostics, hovers, quick fixes, outline, folding, whether a text holds a report) lives in the
// server.

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
  CONTAINS_REPORT_REQUEST,
  COPY_TEXT_COMMAND,
  DOCUMENT_STATUS_REQUEST,
  OPEN_CODE_DOC_COMMAND,
  OPEN_UNTITLED_COMMAND,
  SYSCTL_SUGGESTIONS_REQUEST,
  type ContainsReportParams,
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

const KERNEL_LOG_LANGUAGE = 'kernel-log';

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
  // The output channel exists from activation (the server's log and the `trace.server` trace go
  // there), so a user looking for it finds it before the server says anything; it outlives restarts.
  const output = vscode.window.createOutputChannel('Kernel Log Lens');
  context.subscriptions.push(output);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // OPEN_CODE_DOC_COMMAND: the server links each diagnostic's code to the bundled page through it.
    initializationOptions: { clientCommands: [...CLIENT_COMMANDS, OPEN_CODE_DOC_COMMAND] },
    outputChannel: output,
  };
  // The id makes vscode-languageclient honour the `kernelLogLens.trace.server` setting.
  client = new LanguageClient('kernelLogLens', 'Kernel Log Lens', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(
    'kernelLogLens.status',
    vscode.StatusBarAlignment.Right,
    100,
  );
  status.name = 'Kernel Log Lens';
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
    vscode.commands.registerCommand(OPEN_CODE_DOC_COMMAND, (code: unknown) => openCodeDoc(context, code)),
  );

  let pending: ReturnType<typeof setTimeout> | undefined;
  const scheduleStatus = (delay: number): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => void updateStatus(status), delay);
  };
  const isActive = (document: vscode.TextDocument): boolean =>
    document === vscode.window.activeTextEditor?.document;
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isActive(e.document)) scheduleStatus(300);
    }),
    // The analysis changed without a change of tab: new diagnostics for the active file, or its
    // language changed (a language change reopens the document: close, then open).
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active !== undefined && e.uris.some((uri) => uri.toString() === active)) scheduleStatus(0);
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isActive(document)) scheduleStatus(0);
    }),
    { dispose: () => pending && clearTimeout(pending) },
  );

  await client.start();
  await updateStatus(status);

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void adoptPastedReport(document)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.some((change) => change.text.length > 1 && /\S/.test(change.text)))
        void adoptPastedReport(e.document);
    }),
  );
  for (const document of vscode.workspace.textDocuments) void adoptPastedReport(document);
}

/** Untitled documents this client gave the Kernel Log language: once per document, so a user who
 * switches it back keeps their choice (a language change keeps the TextDocument object). */
const adopted = new WeakSet<vscode.TextDocument>();
/** Texts longer than this are not sent to the server to be checked (a paste is far smaller). */
const PASTE_CHECK_MAX_CHARS = 8 * 1024 * 1024;

/**
 * An untitled Plain Text editor that receives a kernel report (a pasted mail, a `> `-quoted
 * excerpt) becomes a Kernel Log editor: the server reads the text with the core's scanner and says
 * whether it holds a report. Only untitled plaintext: a file's language is the user's (or its
 * name's), and a text without a report stays Plain Text.
 */
async function adoptPastedReport(document: vscode.TextDocument): Promise<void> {
  const candidate = (): boolean =>
    document.uri.scheme === 'untitled' &&
    document.languageId === 'plaintext' &&
    !document.isClosed &&
    !adopted.has(document);
  if (!client?.isRunning() || !candidate()) return;
  const text = document.getText();
  if (text.length === 0 || text.length > PASTE_CHECK_MAX_CHARS) return;
  try {
    const params: ContainsReportParams = { text };
    const found = await client.sendRequest<boolean>(CONTAINS_REPORT_REQUEST, params);
    if (found !== true || !candidate()) return;
    adopted.add(document);
    await vscode.languages.setTextDocumentLanguage(document, KERNEL_LOG_LANGUAGE);
  } catch (error) {
    client?.outputChannel.appendLine(
      `could not check the pasted text of ${document.uri.toString()}: ${String(error)}`,
    );
  }
}

/** OPEN_CODE_DOC_COMMAND: the page of `code` bundled with the extension (docs/codes/<CODE>.md,
 * listed in .vscodeignore), in the Markdown preview; without one, as text. Offline. */
async function openCodeDoc(context: vscode.ExtensionContext, code: unknown): Promise<void> {
  if (typeof code !== 'string' || !/^[A-Z]+\d+$/.test(code)) return;
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'codes', `${code}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showWarningMessage(`Kernel Log Lens: no page for ${code} in this installation.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch {
    await vscode.window.showTextDocument(page, { preview: true });
  }
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
    if (vscode.window.activeTextEditor?.document !== document) return;
    // No item for a file without a report, nor one the server does not know (yet): a later event
    // (its diagnostics, its opening) asks again.
    const summary = status?.summary;
    if (!summary) {
      item.hide();
      return;
    }
    item.text = `$(pulse) ${summary.text}`;
    item.tooltip = `Kernel Log Lens${summary.detail ? ': ' + summary.detail : ''} — click for the Problems panel`;
    item.show();
  } catch {
    item.hide();
  }
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
