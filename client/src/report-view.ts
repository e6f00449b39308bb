// "Kernel Log Lens: Show Report": a webview beside the log that draws the server's report view
// model (shared/protocol.ts REPORT_VIEW_REQUEST) — for a synced log, and for a file the server
// read from disk (kernelLogLens/analyzeFile), which the command reads first when the server has
// no analysis of it. Entries: the command palette, the status bar item, a CodeLens on each report's
// header. The webview runs only the bundled dist/webview/report-view.js (uPlot inside) under a
// Content-Security-Policy of `default-src 'none'` with a nonce; it loads nothing from the network
// and shows the log's text as text. A click on a report there reveals its line in the log.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { messageText } from '../../shared/message-text';
import {
  ANALYZE_FILE_COMMAND,
  REPORT_VIEW_REQUEST,
  SHOW_REPORT_COMMAND,
  type ReportViewModel,
  type ReportViewParams,
} from '../../shared/protocol';

/** Messages the webview posts. */
type FromWebview = { type: 'ready' } | { type: 'select'; index: number } | { type: 'reveal'; line: number };

/** Header lines a CodeLens is put on at most (the first report of each repeat group). */
const MAX_LENSES = 200;

/** A file's name as a title or a message shows it (the whole uri when its path ends in `/`). */
export const fileName = (uri: vscode.Uri): string =>
  uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();

export function registerReportView(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  start: () => Promise<void>,
  logSelector: vscode.DocumentSelector,
): void {
  const view = new ReportView(context, client, start);
  const lenses = new ReportLenses(client);
  /** Each file's diagnostics as last seen (start and code), to tell a new analysis from a pull
   * that gave the same answer. */
  const diagnosticLines = new Map<string, string>();
  context.subscriptions.push(
    view,
    lenses,
    vscode.commands.registerCommand(SHOW_REPORT_COMMAND, (uri?: unknown, line?: unknown) =>
      view.show(uri, typeof line === 'number' ? line : undefined),
    ),
    vscode.languages.registerCodeLensProvider(logSelector, lenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kernelLogLens.showReportCodeLens')) lenses.refresh();
    }),
    // a new analysis (its diagnostics) refreshes the view of its file, and the lenses of a file
    // asked for before the server could answer; the same diagnostics pulled again change nothing.
    // VS Code asks for the lenses again on every edit, and the request waits for that version's
    // analysis: refreshing every lens on each analysis re-rendered the editor and closed the hover
    // under the mouse.
    vscode.languages.onDidChangeDiagnostics((e) => {
      const changed = e.uris.filter((uri) => {
        const key = uri.toString();
        const now = vscode.languages
          .getDiagnostics(uri)
          .map((d) => `${d.range.start.line}:${d.range.start.character}:${String(d.code)}`)
          .join(',');
        if (diagnosticLines.get(key) === now) return false;
        if (now === '') diagnosticLines.delete(key);
        else diagnosticLines.set(key, now);
        return true;
      });
      if (changed.length === 0) return;
      lenses.answerNow(changed);
      view.refreshIf(changed);
    }),
  );
}

/** The target of the command: an argument (a uri from a CodeLens or the explorer), else the
 * active editor's log at its cursor, else the active tab's file (a log read from disk). */
function target(
  uri: unknown,
  line: number | undefined,
): { uri: vscode.Uri; line: number | undefined } | null {
  if (uri instanceof vscode.Uri) return { uri, line };
  if (typeof uri === 'string') {
    try {
      return { uri: vscode.Uri.parse(uri, true), line };
    } catch {
      return null;
    }
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) return { uri: editor.document.uri, line: line ?? editor.selection.active.line };
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText) return { uri: input.uri, line };
  return null;
}

class ReportView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private want: Pick<ReportViewParams, 'index' | 'line'> = {};
  private readonly webviewRoot: vscode.Uri;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly start: () => Promise<void>,
  ) {
    this.webviewRoot = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
  }

  async show(uri: unknown, line: number | undefined): Promise<void> {
    const chosen = target(uri, line);
    if (!chosen) {
      void vscode.window.showInformationMessage(
        'Kernel Log Lens: open a kernel log first, then show its report.',
      );
      return;
    }
    await this.start();
    this.uri = chosen.uri;
    this.want = chosen.line === undefined ? {} : { line: chosen.line };
    let model = await this.request();
    // a file the editor does not hold and the server has not read: read it from disk first
    if (
      model === null &&
      chosen.uri.scheme === 'file' &&
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === chosen.uri.toString())
    ) {
      await vscode.commands.executeCommand(ANALYZE_FILE_COMMAND, chosen.uri);
      model = await this.request();
    }
    this.open();
    await this.post(model);
  }

  /** Redraws when the shown file's analysis changed. */
  refreshIf(uris: readonly vscode.Uri[]): void {
    const shown = this.uri?.toString();
    if (!this.panel || !shown || !uris.some((u) => u.toString() === shown)) return;
    void this.request().then((model) => this.post(model));
  }

  dispose(): void {
    this.panel?.dispose();
  }

  /** Why the last request gave no model, when it failed (shown in the view, not as "no analysis"). */
  private failure: string | undefined;

  private async request(): Promise<ReportViewModel | null> {
    this.failure = undefined;
    if (!this.uri) return null;
    const params: ReportViewParams = { uri: this.uri.toString(), ...this.want };
    try {
      return await this.client.sendRequest<ReportViewModel | null>(REPORT_VIEW_REQUEST, params);
    } catch (error) {
      this.client.outputChannel.appendLine(`report view of ${params.uri}: ${String(error)}`);
      this.failure = `The language server could not give this file's report: ${messageText(error instanceof Error ? error.message : String(error))}`;
      return null;
    }
  }

  private open(): void {
    const title = `Report: ${this.uri ? fileName(this.uri) : ''}`;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'kernelLogLens.report',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [this.webviewRoot], enableFindWidget: true },
    );
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage(
      (m: FromWebview) => void this.receive(m),
      null,
      this.context.subscriptions,
    );
    panel.onDidDispose(() => (this.panel = undefined), null, this.context.subscriptions);
    // hidden and shown again, the webview is rebuilt and asks for the model ('ready')
    this.panel = panel;
  }

  private async post(model: ReportViewModel | null): Promise<void> {
    if (!this.panel || !this.uri) return;
    await this.panel.webview.postMessage({
      type: 'model',
      model,
      file: fileName(this.uri),
      ...(this.failure ? { error: this.failure } : {}),
    });
  }

  private async receive(message: FromWebview): Promise<void> {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'ready') await this.post(await this.request());
    else if (message.type === 'select' && Number.isInteger(message.index) && message.index >= 0) {
      this.want = { index: message.index };
      const model = await this.request();
      await this.post(model);
      if (model?.detail) await this.reveal(model.detail.line);
    } else if (message.type === 'reveal' && Number.isInteger(message.line) && message.line >= 0)
      await this.reveal(message.line);
  }

  /** Puts the log's cursor on `line` (its header) in the editor that shows it, else opens it
   * beside the view's column. */
  private async reveal(line: number): Promise<void> {
    if (!this.uri) return;
    const shown = this.uri.toString();
    const at = new vscode.Range(line, 0, line, 0);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown);
    try {
      const document = editor?.document ?? (await vscode.workspace.openTextDocument(this.uri));
      const column =
        editor?.viewColumn ??
        (this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
      const shownEditor = await vscode.window.showTextDocument(document, {
        viewColumn: column,
        selection: at,
      });
      shownEditor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch {
      // a file the editor cannot open as text (over its size limit, compressed): say where it is
      void vscode.window.showInformationMessage(
        `Kernel Log Lens: the report is at line ${line + 1} of ${messageText(fileName(this.uri))}.`,
      );
    }
  }

  /** The page: only the bundled script (with a nonce) and style sheet, nothing inline. */
  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'report-view.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'report-view.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>Kernel Log Lens report</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** Whether the client runs, waiting up to 15 s for it to start; false once cancelled or stopped. */
function running(client: LanguageClient, token: vscode.CancellationToken): Promise<boolean> {
  if (client.isRunning()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      state.dispose();
      cancel.dispose();
      clearTimeout(timer);
      resolve(ok);
    };
    const state = client.onDidChangeState((e) => {
      if (e.newState === State.Running) done(true);
      else if (e.newState === State.Stopped) done(false);
    });
    const cancel = token.onCancellationRequested(() => done(false));
    const timer = setTimeout(() => done(client.isRunning()), 15_000);
  });
}

/** "Show Report" above the header of each report (the first of each repeat group). */
class ReportLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  /** Files whose lenses were asked for while the server could not answer (not started yet, or an
   * error): asked again once their analysis is there. */
  private readonly unanswered = new Set<string>();

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.emitter.fire();
  }

  answerNow(uris: readonly vscode.Uri[]): void {
    let again = false;
    for (const uri of uris) again = this.unanswered.delete(uri.toString()) || again;
    if (again) this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('kernelLogLens').get<boolean>('showReportCodeLens', false))
      return [];
    const key = document.uri.toString();
    // the server starts with the first kernel log: wait for it rather than answer nothing now and
    // add the lenses later, which pushes the text down under the reader's mouse
    if (!(await running(this.client, token))) {
      if (!token.isCancellationRequested) this.unanswered.add(key);
      return [];
    }
    const params: ReportViewParams = { uri: key };
    let model: ReportViewModel | null;
    try {
      model = await this.client.sendRequest<ReportViewModel | null>(REPORT_VIEW_REQUEST, params, token);
    } catch {
      if (!token.isCancellationRequested) this.unanswered.add(key);
      return [];
    }
    this.unanswered.delete(key);
    if (!model || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const p of model.timeline.points) {
      if (p.occurrence > 1 || p.line >= document.lineCount) continue;
      const repeats = p.groupCount > 1 ? ` (${p.groupCount} identical reports)` : '';
      lenses.push(
        new vscode.CodeLens(new vscode.Range(p.line, 0, p.line, 0), {
          title: `$(graph) Show Report${repeats}`,
          tooltip:
            'Kernel Log Lens: timeline, zones, buddy free lists and the watermark check of this report',
          command: SHOW_REPORT_COMMAND,
          arguments: [document.uri, p.line],
        }),
      );
      if (lenses.length >= MAX_LENSES) break;
    }
    return lenses;
  }
}
