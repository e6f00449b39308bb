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
  ANALYZE_FILE_COMMAND,
  ANALYZE_FILE_REQUEST,
  CLIENT_COMMANDS,
  CONTAINS_REPORT_REQUEST,
  COPY_TEXT_COMMAND,
  FORGET_FILE_NOTIFICATION,
  DOCUMENT_STATUS_REQUEST,
  OPEN_CODE_DOC_COMMAND,
  OPEN_UNTITLED_COMMAND,
  SHOW_REPORT_COMMAND,
  SYSCTL_SUGGESTIONS_REQUEST,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type ContainsReportParams,
  type DocumentStatus,
  type DocumentStatusParams,
  type SysctlSuggestionsParams,
  type SysctlSuggestionsResult,
} from '../../shared/protocol';
import { fileName, registerReportView } from './report-view';
import { messageText } from '../../shared/message-text';

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
/** The server's start (once, when first needed). */
let started: Promise<void> | undefined;
let startServer: () => Promise<void> = () => Promise.resolve();

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
  // VS Code lists a channel once it has text; the server starts lazily, so say so here
  output.appendLine(
    'Kernel Log Lens is active; its language server starts with the first kernel log opened, pasted or picked.',
  );
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // OPEN_CODE_DOC_COMMAND: the server links each diagnostic's code to the bundled page through it.
    // SHOW_REPORT_COMMAND: the header hover links the report view through it, the one command
    // the server's Markdown may run (nothing from a log becomes a link: the server escapes it).
    initializationOptions: {
      clientCommands: [...CLIENT_COMMANDS, OPEN_CODE_DOC_COMMAND, SHOW_REPORT_COMMAND],
    },
    markdown: { isTrusted: { enabledCommands: [SHOW_REPORT_COMMAND] } },
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
  // the report view of the active log (report-view.ts): its timeline, zones and free lists
  status.command = SHOW_REPORT_COMMAND;
  context.subscriptions.push(status);

  context.subscriptions.push(
    vscode.commands.registerCommand('kernelLogLens.restartServer', async () => {
      if (started) await client?.restart();
      else await startServer();
      await updateStatus(status);
    }),
    vscode.commands.registerCommand('kernelLogLens.copySysctlSuggestions', () => copySuggestions('conf')),
    vscode.commands.registerCommand('kernelLogLens.copySysctlCommands', () => copySuggestions('commands')),
    vscode.commands.registerCommand(COPY_TEXT_COMMAND, async (text: unknown, what: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(
        `Kernel Log Lens: copied ${typeof what === 'string' ? messageText(what) : 'text'}.`,
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

  // The server starts with the first document it serves, or when an editor tab shows a log VS
  // Code did not sync, or a file is picked for analysis: the extension is also activated at
  // startup (`onStartupFinished`) to see those tabs, without a server process until one is needed.
  const lc = client;
  startServer = () => (started ??= lc.start().then(() => updateStatus(status)));
  registerDiskAnalysis(context, lc, startServer);
  registerReportView(context, lc, () => startServer(), LOG_SELECTOR);
  const served = (d: vscode.TextDocument): boolean =>
    vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, d) > 0;
  if (vscode.workspace.textDocuments.some(served)) await startServer();
  else {
    const waiting = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!served(d)) return;
      waiting.dispose();
      void startServer();
    });
    context.subscriptions.push(waiting);
  }

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => checkPaste(document)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.some((change) => change.text.length > 1 && /\S/.test(change.text)))
        checkPaste(e.document);
    }),
  );
  for (const document of vscode.workspace.textDocuments) checkPaste(document);
}

/** Pasted-text checks per document: one at a time, and changes made meanwhile give one more check
 * after it, not one each (every check sends the whole text, up to PASTE_CHECK_MAX_CHARS). */
const pasteChecks = new WeakMap<vscode.TextDocument, 'running' | 'again'>();

function checkPaste(document: vscode.TextDocument): void {
  if (pasteChecks.has(document)) {
    pasteChecks.set(document, 'again');
    return;
  }
  pasteChecks.set(document, 'running');
  void (async () => {
    try {
      do {
        pasteChecks.set(document, 'running');
        await adoptPastedReport(document);
      } while (pasteChecks.get(document) === 'again');
    } finally {
      pasteChecks.delete(document);
    }
  })();
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
  if (!client || !candidate()) return;
  const text = document.getText();
  if (text.length === 0 || text.length > PASTE_CHECK_MAX_CHARS) return;
  try {
    // the server starts lazily: a paste that may hold a report is worth starting it
    await startServer();
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
  if (started) await client?.stop();
  client = undefined;
  started = undefined;
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
    item.tooltip = `Kernel Log Lens${summary.detail ? ': ' + summary.detail : ''} — click to show the report`;
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

// ── Logs the server reads from disk (kernelLogLens/analyzeFile) ──────────────────────────────
// VS Code hands no document over 50 MB to extensions (no didOpen: the server would see nothing,
// and a flood log would read as clean), and a compressed log is no text document. For an editor
// tab showing such a log, and for any file or folder the user picks with "Analyze Log File…",
// the server reads the file from disk with the CLI's reader and publishes its diagnostics to the
// file's uri; it says why in a notification. Only those uris are ever sent.

/** VS Code's limit: a text model longer than this is "too large for syncing" to extensions
 * (src/vs/editor/common/model/textModel.ts, MODEL_SYNC_LIMIT = 50 * 1024 * 1024). */
const EDITOR_SYNC_LIMIT_BYTES = 50 * 1024 * 1024;

/** The compressors' suffixes the server decompresses (by magic bytes; the name only picks tabs). */
const COMPRESSED = /\.(?:gz|xz|zst|bz2)$/i;

/** Glob (`*`, `?`, `[…]`) as a whole-name regex, as VS Code reads `filenamePatterns` without a slash. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether a file name is a log: the names and patterns the kernel-log language claims in
 * package.json (read from the manifest, so the two cannot drift), or a `.log` file. */
function logNameMatcher(context: vscode.ExtensionContext): (name: string) => boolean {
  const languages = (context.extension.packageJSON as { contributes?: { languages?: unknown[] } }).contributes
    ?.languages;
  const kernelLog = (languages ?? []).find((l) => (l as { id?: unknown }).id === 'kernel-log') as
    { filenames?: string[]; filenamePatterns?: string[] } | undefined;
  const names = new Set(kernelLog?.filenames ?? []);
  const patterns = (kernelLog?.filenamePatterns ?? []).map(globRegex);
  return (name) => names.has(name) || patterns.some((p) => p.test(name)) || /\.log$/i.test(name);
}

function registerDiskAnalysis(
  context: vscode.ExtensionContext,
  lc: LanguageClient,
  start: () => Promise<void>,
): void {
  const isLogName = logNameMatcher(context);
  /** Tabs' files sent to the server (by uri string), so each is read once while it stays open. */
  const sent = new Set<string>();

  const analyse = async (
    uri: vscode.Uri,
    reason: AnalyzeFileParams['reason'],
    token?: vscode.CancellationToken,
  ): Promise<AnalyzeFileResult | null> => {
    await start();
    const params: AnalyzeFileParams = { uri: uri.toString(), reason };
    // no trailing `undefined`: it would be sent as a second parameter (the server's token)
    return token
      ? lc.sendRequest<AnalyzeFileResult | null>(ANALYZE_FILE_REQUEST, params, token)
      : lc.sendRequest<AnalyzeFileResult | null>(ANALYZE_FILE_REQUEST, params);
  };

  /** Log files shown in a tab that VS Code did not hand to the extension: read from disk. */
  const checkTabs = async (): Promise<void> => {
    const synced = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all)
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        const uri = tab.input.uri;
        const key = uri.toString();
        shown.add(key);
        if (uri.scheme !== 'file' || synced.has(key) || sent.has(key)) continue;
        const name = fileName(uri);
        // a rotated log compressed (kern.log.2.gz): VS Code shows it as binary, never as text
        const compressed = COMPRESSED.exec(name);
        if (!isLogName(compressed ? name.slice(0, compressed.index) : name)) continue;
        sent.add(key); // before the stat: a tab event meanwhile must not send it twice
        let size = 0;
        try {
          size = (await vscode.workspace.fs.stat(uri)).size;
        } catch {
          // gone or unreadable: nothing to read
        }
        // a smaller text file is being synced: VS Code hands it over
        if (size === 0 || (!compressed && size <= EDITOR_SYNC_LIMIT_BYTES)) {
          sent.delete(key);
          continue;
        }
        const limit = size > EDITOR_SYNC_LIMIT_BYTES ? EDITOR_SYNC_LIMIT_BYTES : null;
        analyse(uri, { kind: 'unsynced', editor: 'VS Code', editorLimitBytes: limit }).catch(
          (error: unknown) => {
            sent.delete(key);
            void vscode.window.showErrorMessage(
              `Kernel Log Lens could not read ${messageText(fileName(uri))} from disk: ${messageText(error instanceof Error ? error.message : String(error))}`,
            );
          },
        );
      }
    // closed tabs: their reading stops and their diagnostics go
    for (const key of [...sent])
      if (!shown.has(key)) {
        sent.delete(key);
        if (lc.isRunning()) void lc.sendNotification(FORGET_FILE_NOTIFICATION, { uri: key });
      }
  };

  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(() => void checkTabs()),
    vscode.commands.registerCommand(ANALYZE_FILE_COMMAND, async (picked?: unknown) => {
      let uri = picked instanceof vscode.Uri ? picked : undefined;
      if (!uri) {
        const chosen = await vscode.window.showOpenDialog({
          canSelectFiles: true,
          canSelectFolders: true,
          canSelectMany: false,
          openLabel: 'Analyze',
          title: 'Kernel Log Lens: Analyze Log File or Folder',
        });
        uri = chosen?.[0];
      }
      if (!uri) return;
      if (uri.scheme !== 'file') {
        void vscode.window.showWarningMessage(
          "Kernel Log Lens reads logs from this machine's disk only (file: paths); open this one in the editor instead.",
        );
        return;
      }
      const target = uri;
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Kernel Log Lens: reading ${messageText(fileName(target))} from disk`,
          cancellable: true,
        },
        (_progress, token) => analyse(target, { kind: 'picked' }, token),
      );
      if (result && result.files.some((f) => f.reports > 0))
        await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
  );
  void checkTabs();
}
