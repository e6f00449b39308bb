// The language server's wiring: the connection, the open documents, the analysis cache (one
// analysis per document version, shared by every feature), the capabilities table and one list
// of handler registrations. What each request answers lives in ./features, as pure functions.
// Started by the VS Code extension over IPC, or by any editor as `klens-language-server --stdio`.
// Nothing here writes to stdout except the protocol, and nothing is ever executed.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
// (imported, not the global: Node loads the global's module at its first use, which was the first
// document's analysis, 3 ms into an open)
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CancellationToken,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type ServerCapabilities,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import {
  codeActions,
  resolveCodeAction,
  type CodeActionData,
  type SysctlDestination,
} from './features/code-actions';
import { diagnostics, DIAGNOSTIC_SOURCE } from './features/diagnostics';
import {
  analysisJob,
  documentOf,
  movedDocument,
  reportAt,
  windowedDocument,
  type LogDocument,
} from './features/document';
import { diskReportViewModel, reportViewModel } from './core/report-view-model';
import { EDITED_DOCUMENTS, type EditedDocument } from './edited-document';
import { documentSymbols } from './features/document-symbols';
import { foldingRanges } from './features/folding-ranges';
import { hover } from './features/hover';
import {
  DEFAULT_SETTINGS,
  normalizeSettings,
  SETTINGS_SECTION,
  type KernelLogLensSettings,
} from './features/settings';
import { documentStatus, sysctlSuggestions } from './features/status';
import {
  ANALYZE_FILE_REQUEST,
  CLIENT_COMMANDS,
  CONTAINS_REPORT_REQUEST,
  DOCUMENT_STATUS_REQUEST,
  FORGET_FILE_NOTIFICATION,
  OPEN_CODE_DOC_COMMAND,
  REPORT_VIEW_REQUEST,
  SHOW_REPORT_COMMAND,
  SHOW_SYSCTL_FILE_COMMAND,
  SYSCTL_SUGGESTIONS_REQUEST,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type ContainsReportParams,
  type DocumentStatus,
  type DocumentStatusParams,
  type ForgetFileParams,
  type ReportViewModel,
  type ReportViewParams,
  type SysctlSuggestionsParams,
  type SysctlSuggestionsResult,
} from '../../shared/protocol';
import { isInsideFolders, isSysctlFile, joinUri, relativeLabel } from './features/workspace-paths';
import {
  systemContext,
  systemDiagnostics,
  systemDocumentOf,
  systemFileKind,
  systemHover,
  type SystemDocument,
} from './features/system-files';
import { checkSysctlTarget } from './sysctl-target';
import { oneLine } from './core/safe-text';
import { breakLinks } from '../../shared/message-text';
import { containsReport } from './core/parse';
import { NO_CODE_DOCS, setCodeDocs, type CodeDocs } from './features/codes';
import { analyzeFromDisk, type DiskAnalysisHost, type DiskView } from './disk-analysis';
import { simdAnchorSearch } from './anchor-search';

const CONNECTION_FLAGS = ['--stdio', '--node-ipc', '--socket=', '--pipe=', '--clientProcessId='];
if (!process.argv.slice(2).some((a) => CONNECTION_FLAGS.some((f) => a.startsWith(f)))) {
  process.stderr.write('usage: klens-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
  process.exit(2);
}

const connection: Connection = createConnection(ProposedFeatures.all);
/** The open documents, each kept with its line index and its changes in lines (edited-document.ts). */
const documents = new TextDocuments(EDITED_DOCUMENTS);

/** What the client told us at initialize time. */
const client = {
  pullDiagnostics: false,
  diagnosticRefresh: false,
  configuration: false,
  createFiles: false,
  documentChanges: false,
  resolveEdits: false,
  workspaceFolders: false,
  /** The client runs the code actions' commands itself (the VS Code extension does). */
  runsCommands: false,
  /** The client opens the report view from the header hover's link (SHOW_REPORT_COMMAND). */
  showsReports: false,
  showDocument: false,
  /** The client shows why a code action is disabled. */
  disabledSupport: false,
};
let workspaceFolders: string[] = [];
/** Settings from initializationOptions / didChangeConfiguration, for clients without workspace/configuration. */
let globalSettings: KernelLogLensSettings = { ...DEFAULT_SETTINGS };
const settingsCache = new Map<string, Promise<KernelLogLensSettings>>();
/**
 * The analysis cache: per uri, the analysis of one version under one kernel-release setting, as a
 * promise every request of that version shares. It resolves to null when a newer version (or a
 * close) overtook it before it was done.
 */
interface CachedAnalysis {
  version: number;
  kernelRelease: string;
  result: Promise<LogDocument | null>;
}
const analyses = new Map<string, CachedAnalysis>();
/** Per uri, the newest analysis done: the next version's starts from it when every change since
 * was a noise edit (features/document.ts movedDocument); dropped as soon as one was not. */
const lastDone = new Map<string, LogDocument>();
/**
 * Work (ms, summed over its slices) one version of a document may take: past it the analysis stops
 * where it is (KLL030 says so) and everything before is shown. Reading the text may take at most
 * READING_SHARE of it, so the reports read are still explained. `initializationOptions.
 * analysisBudgetMs` overrides it (tests; slow machines).
 */
let analysisBudgetMs = 5000;
const READING_SHARE = 0.6;
/** Work between two yields to the event loop, so other documents' requests are answered meanwhile. */
const SLICE_MS = 20;

function capabilities(): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
    documentSymbolProvider: { label: 'Kernel Log Lens' },
    foldingRangeProvider: true,
    diagnosticProvider: client.pullDiagnostics
      ? { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: false }
      : undefined,
    executeCommandProvider: {
      commands: [SHOW_SYSCTL_FILE_COMMAND, ...(client.runsCommands ? [] : CLIENT_COMMANDS)],
    },
    workspace: client.workspaceFolders
      ? { workspaceFolders: { supported: true, changeNotifications: true } }
      : undefined,
    experimental: {
      kernelLogLens: {
        requests: [
          DOCUMENT_STATUS_REQUEST,
          SYSCTL_SUGGESTIONS_REQUEST,
          CONTAINS_REPORT_REQUEST,
          ANALYZE_FILE_REQUEST,
          REPORT_VIEW_REQUEST,
        ],
        notifications: [FORGET_FILE_NOTIFICATION],
      },
    },
  };
}

connection.onInitialize((params: InitializeParams) => {
  const caps = params.capabilities;
  client.pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
  client.diagnosticRefresh = caps.workspace?.diagnostics?.refreshSupport === true;
  client.configuration = caps.workspace?.configuration === true;
  client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  client.createFiles =
    client.documentChanges && (caps.workspace?.workspaceEdit?.resourceOperations ?? []).includes('create');
  client.workspaceFolders = caps.workspace?.workspaceFolders === true;
  client.showDocument = caps.window?.showDocument?.support === true;
  client.disabledSupport = caps.textDocument?.codeAction?.disabledSupport === true;
  client.resolveEdits = (caps.textDocument?.codeAction?.resolveSupport?.properties ?? []).includes('edit');
  const options = (params.initializationOptions ?? {}) as {
    clientCommands?: unknown;
    settings?: unknown;
    analysisBudgetMs?: unknown;
  };
  if (typeof options.analysisBudgetMs === 'number' && options.analysisBudgetMs > 0)
    analysisBudgetMs = Math.min(options.analysisBudgetMs, 600_000);
  const clientCommands = Array.isArray(options.clientCommands) ? (options.clientCommands as unknown[]) : [];
  client.runsCommands = CLIENT_COMMANDS.every((c) => clientCommands.includes(c));
  client.showsReports = clientCommands.includes(SHOW_REPORT_COMMAND);
  // How diagnostics link their code's page (features/codes.ts).
  setCodeDocs(
    clientCommands.includes(OPEN_CODE_DOC_COMMAND)
      ? { kind: 'command', command: OPEN_CODE_DOC_COMMAND }
      : installedCodeDocs(),
  );
  globalSettings = normalizeSettings(options.settings);
  workspaceFolders = folderUris(
    params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []),
  );
  return { capabilities: capabilities(), serverInfo: { name: 'klens-language-server' } };
});

connection.onInitialized(() => {
  if (client.configuration)
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  if (client.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(folderUris(e.removed));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...folderUris(e.added)];
    });
  }
});

/** The docs/codes folder installed beside the server (dist/server.js → ../docs/codes: the
 * extension, the npm package, a checkout), as a `file:` URI; no link when it is not there. */
function installedCodeDocs(): CodeDocs {
  const folder = path.join(__dirname, '..', 'docs', 'codes');
  return existsSync(folder) ? { kind: 'folder', uri: pathToFileURL(folder).href } : NO_CODE_DOCS;
}

function folderUris(folders: readonly WorkspaceFolder[]): string[] {
  return folders.map((f) => f.uri);
}

function settingsFor(uri: string): Promise<KernelLogLensSettings> {
  if (!client.configuration) return Promise.resolve(globalSettings);
  let settings = settingsCache.get(uri);
  if (!settings) {
    settings = connection.workspace
      .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
      .then(normalizeSettings, () => globalSettings);
    settingsCache.set(uri, settings);
  }
  return settings;
}

/**
 * The document's analysis for its current version: computed once, then shared by every feature.
 * A request cancelled before the analysis starts does not start it; a request whose version was
 * overtaken while it waited gets the newer version's analysis.
 */
async function logDocument(uri: string, token?: CancellationToken): Promise<LogDocument | null> {
  for (;;) {
    const document = documents.get(uri);
    if (!document || systemFileKind(uri, document.languageId)) return null;
    const settings = await settingsFor(uri);
    if (token?.isCancellationRequested) return null;
    let cached = analyses.get(uri);
    if (!cached || cached.version !== document.version || cached.kernelRelease !== settings.kernelRelease) {
      const entry: CachedAnalysis = {
        version: document.version,
        kernelRelease: settings.kernelRelease,
        result: Promise.resolve(null),
      };
      analyses.set(uri, entry);
      const moved = movedFrom(lastDone.get(uri), document, settings.kernelRelease);
      if (moved) {
        done(document, moved);
        entry.result = Promise.resolve(moved);
      } else {
        lastDone.delete(uri);
        entry.result = analyse(uri, document, entry);
      }
      cached = entry;
    }
    const doc = await cached.result;
    if (doc) return doc;
  }
}

/** The analysis of the document's version made from `previous`: moved when its changes since were
 * all noise edits inside stretches the reading passed over, else with only a window around them
 * read again (features/document.ts windowedDocument); null when neither applies. */
function movedFrom(
  previous: LogDocument | undefined,
  document: EditedDocument,
  kernelRelease: string,
): LogDocument | null {
  if (!previous || previous.kernelRelease !== kernelRelease || !previous.skipped) return null;
  const edits = document.editsFrom(previous.version);
  const moved = edits && movedDocument(previous, document.version, document.lines, edits);
  if (moved) return moved;
  const lineEdits = document.lineEditsFrom(previous.version);
  if (!lineEdits) return null;
  try {
    return windowedDocument(previous, document.version, document.lines, lineEdits, (from, to) =>
      document.slice(from, to),
    );
  } catch (error) {
    // a fault of the window's rules must not cost the user the diagnostics: read the text whole
    connection.console.error(`klens: the edit's window failed, reading the document whole: ${String(error)}`);
    return null;
  }
}

/** `doc` is the newest analysis of its document: the next version may start from it. */
function done(document: EditedDocument, doc: LogDocument): void {
  lastDone.set(doc.uri, doc);
  document.forgetEditsBefore(doc.version);
}

/**
 * Analyses one version in slices of SLICE_MS, yielding to the event loop between them, within
 * analysisBudgetMs of work. Gives up (null) as soon as `entry` is no longer the cache's entry for
 * the uri (a newer version, a settings change, or the document was closed), freeing its memory.
 */
async function analyse(
  uri: string,
  document: EditedDocument,
  entry: CachedAnalysis,
): Promise<LogDocument | null> {
  const text = document.getText();
  const options = { kernelRelease: entry.kernelRelease, anchorSearch: simdAnchorSearch };
  const job = analysisJob(text, options);
  let worked = 0;
  for (;;) {
    const sliceStart = performance.now();
    const done = job.run(() => performance.now() - sliceStart >= SLICE_MS);
    worked += performance.now() - sliceStart;
    if (done) break;
    if (job.reading && worked >= READING_SHARE * analysisBudgetMs) job.stopReading();
    else if (worked >= analysisBudgetMs) {
      job.stop();
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (analyses.get(uri) !== entry) return null;
  }
  const lines = document.linesOf(entry.version, text, job.lineStarts);
  const doc = documentOf(uri, entry.version, text, options, job, lines);
  if (analyses.get(uri) === entry) done(document, doc);
  return doc;
}

/** The system files (zoneinfo, buddyinfo, sysctl files) open, each read once per version. */
const systemDocs = new Map<string, SystemDocument>();

/** An open system file's reading, null for a log or anything else. */
function systemDocument(uri: string): SystemDocument | null {
  const document = documents.get(uri);
  const kind = document ? systemFileKind(uri, document.languageId) : null;
  if (!document || !kind) return null;
  const cached = systemDocs.get(uri);
  if (cached && cached.version === document.version) return cached;
  const doc = systemDocumentOf(uri, document.version, document.getText(), kind);
  systemDocs.set(uri, doc);
  return doc;
}

/** What the other open system files (the same sosreport's zoneinfo, sysctl -a …) tell about it. */
function systemContextOf(doc: SystemDocument) {
  const others: SystemDocument[] = [];
  for (const d of documents.all()) {
    const other = d.uri === doc.uri ? null : systemDocument(d.uri);
    if (other) others.push(other);
  }
  return systemContext(doc, others, (uri) => oneLine(relativeLabel(uri, workspaceFolders)));
}

/** Wraps a handler so a bad document or a bug becomes a logged error and an empty answer, never a crash. */
function guarded<P, R>(
  name: string,
  fallback: R,
  handler: (params: P, token: CancellationToken) => Promise<R>,
) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      connection.console.error(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return fallback;
    }
  };
}

async function diagnosticsOf(uri: string, token?: CancellationToken) {
  const system = systemDocument(uri);
  if (system) return systemDiagnostics(system, systemContextOf(system));
  const doc = await logDocument(uri, token);
  if (!doc || token?.isCancellationRequested) return [];
  return diagnostics(doc, await settingsFor(uri), token);
}

/**
 * Where a quick fix writes: an open sysctl file inside the workspace folders (the configured one if
 * it is open), else the configured file of the first folder when the client can create files,
 * else nowhere (an untitled document). The file is checked on disk (sysctl-target.ts: inside the
 * folders after resolving symbolic links, a regular file of sane size); a refused one disables the
 * write actions with the reason. `readDisk`: read the configured file's current text, so a key
 * already there is updated; only done when an edit is resolved.
 */
async function sysctlDestination(
  settings: KernelLogLensSettings,
  readDisk: boolean,
): Promise<SysctlDestination> {
  const folder = workspaceFolders[0];
  const configured = folder ? joinUri(folder, settings.sysctlFile) : null;
  const open = documents.all().filter((d) => isSysctlFile(d.uri) && isInsideFolders(d.uri, workspaceFolders));
  const target = open.find((d) => d.uri === configured) ?? open[0];
  const label = (uri: string): string => relativeLabel(uri, workspaceFolders);
  const abilities = {
    documentChanges: client.documentChanges,
    showDocument: client.showDocument,
    disabledSupport: client.disabledSupport,
  };
  if (target) {
    const check = await checkSysctlTarget(target.uri, workspaceFolders, false);
    const refused = check.ok ? null : check.reason;
    return showRefusal({
      file: {
        uri: target.uri,
        version: target.version,
        label: label(target.uri),
        text: target.getText(),
        refused,
      },
      ...abilities,
    });
  }
  if (!configured || !client.createFiles || !isInsideFolders(configured, workspaceFolders))
    return { file: null, ...abilities };
  const check = await checkSysctlTarget(configured, workspaceFolders, readDisk);
  return showRefusal({
    file: {
      uri: configured,
      version: null,
      label: label(configured),
      text: check.ok ? check.text : null,
      refused: check.ok ? null : check.reason,
    },
    ...abilities,
    documentChanges: true,
  });
}

/** A refused sysctl file, told to a client that cannot show a disabled action's reason: once per
 * file and reason (code actions are asked for on every cursor move). */
const refusalsShown = new Set<string>();
function showRefusal(destination: SysctlDestination): SysctlDestination {
  const file = destination.file;
  const key = file?.refused ? `${file.uri}\n${file.refused}` : null;
  if (file && key && !destination.disabledSupport && !refusalsShown.has(key)) {
    refusalsShown.add(key);
    warnUser(`Kernel Log Lens does not write to ${oneLine(file.label)}: ${file.refused}`);
  }
  return destination;
}

/** A warning the editor shows (a notification: nothing to wait for). */
function warnUser(message: string): void {
  notify(MessageType.Warning, message);
}

/** Every notification the server shows: file names and texts in it may come from the workspace or
 * a log, so no `[label](target)` in it may become a link (shared/message-text.ts). */
function notify(type: MessageType, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, { type, message: breakLinks(message) });
}

async function resolveAction(action: CodeAction, destination?: SysctlDestination): Promise<CodeAction> {
  const data = action.data as CodeActionData | undefined;
  if (!data || action.edit || action.command) return action;
  const doc = await logDocument(data.uri);
  if (!doc || doc.version !== data.version) return action;
  const target = destination ?? (await sysctlDestination(await settingsFor(data.uri), true));
  // Refused only now (unreadable, or changed since the actions were listed): no edit, and the
  // user is told why (showRefusal already told a client without disabled actions).
  if (target.file?.refused && target.disabledSupport)
    warnUser(`Kernel Log Lens does not write to ${oneLine(target.file.label)}: ${target.file.refused}`);
  return resolveCodeAction(doc, action, target);
}

/**
 * A full garbage collection, soon after a large document closed. V8 collects garbage only when it
 * allocates, so an idle server would otherwise keep the closed document's analysis (hundreds of MB
 * for a flood) resident until the next request. The `gc` function is taken from a fresh context
 * after enabling --expose-gc at run time, so no editor has to start the server with a flag.
 */
const collectGarbage: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
})();
/** Documents at least this large make their close worth a collection (ordinary logs are smaller). */
const COLLECT_AFTER_CLOSE_CHARS = 4 << 20;
let collectTimer: ReturnType<typeof setTimeout> | undefined;
function collectSoon(): void {
  clearTimeout(collectTimer);
  collectTimer = setTimeout(() => collectGarbage?.(), 500);
}

// Push model for clients without pull diagnostics: publish after each change, debounced per document.
const pushTimers = new Map<string, ReturnType<typeof setTimeout>>();
function schedulePush(uri: string): void {
  if (client.pullDiagnostics) return;
  clearTimeout(pushTimers.get(uri));
  pushTimers.set(
    uri,
    setTimeout(() => {
      pushTimers.delete(uri);
      const version = documents.get(uri)?.version;
      void guarded('publishDiagnostics', undefined, async () => {
        const items = await diagnosticsOf(uri);
        if (documents.get(uri)?.version === version)
          await connection.sendDiagnostics({ uri, version, diagnostics: items });
      })(undefined, CancellationToken.None);
    }, 150),
  );
}

/**
 * Files read from disk (disk-analysis.ts) whose diagnostics were published, and the readings
 * under way, by uri: a new request for a uri cancels the one before; FORGET_FILE_NOTIFICATION and
 * the document's opening (its own analysis takes over) clear what was published.
 */
const fromDisk = new Set<string>();
/** What the report view shows of each file read from disk, dropped with its diagnostics. */
const diskViews = new Map<string, DiskView>();
const diskReadings = new Map<string, { cancelled: boolean }>();
const diskHost: DiskAnalysisHost = {
  settingsFor,
  isOpen: (uri) => documents.get(uri) !== undefined,
  async progress(title) {
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, undefined, true);
    return {
      report: (percentage, message) => reporter.report(percentage, message),
      done: () => reporter.done(),
      get cancelled() {
        return reporter.token.isCancellationRequested;
      },
    };
  },
  async publish(uri, items) {
    fromDisk.add(uri);
    await connection.sendDiagnostics({ uri, diagnostics: items });
  },
  keepView: (uri, view) => diskViews.set(uri, view),
  tell(type, message) {
    notify(
      ({ info: MessageType.Info, warning: MessageType.Warning, error: MessageType.Error } as const)[type],
      message,
    );
  },
};

function forgetDiskReading(uri: string): void {
  const running = diskReadings.get(uri);
  if (running) running.cancelled = true;
  diskReadings.delete(uri);
  diskViews.delete(uri);
  if (fromDisk.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
}

function refreshAll(): void {
  settingsCache.clear();
  analyses.clear();
  if (client.pullDiagnostics) {
    if (client.diagnosticRefresh) connection.languages.diagnostics.refresh();
  } else {
    for (const d of documents.all()) schedulePush(d.uri);
  }
}

const registrations = [
  () => documents.onDidChangeContent((e) => schedulePush(e.document.uri)),
  () => documents.onDidOpen((e) => forgetDiskReading(e.document.uri)),
  () =>
    connection.onNotification(FORGET_FILE_NOTIFICATION, (params: ForgetFileParams) => {
      if (typeof params?.uri === 'string') forgetDiskReading(params.uri);
    }),
  () =>
    connection.onRequest(
      ANALYZE_FILE_REQUEST,
      guarded(
        'analyzeFile',
        null,
        async (params: AnalyzeFileParams, token): Promise<AnalyzeFileResult | null> => {
          const uri = String(params?.uri);
          const previous = diskReadings.get(uri);
          if (previous) previous.cancelled = true;
          const reading = { cancelled: false };
          diskReadings.set(uri, reading);
          try {
            return await analyzeFromDisk(
              params,
              diskHost,
              // `token` is missing when a client sends the params as an array
              () => reading.cancelled || token?.isCancellationRequested === true,
            );
          } finally {
            if (diskReadings.get(uri) === reading) diskReadings.delete(uri);
          }
        },
      ),
    ),
  () =>
    documents.onDidClose((e) => {
      analyses.delete(e.document.uri);
      lastDone.delete(e.document.uri);
      systemDocs.delete(e.document.uri);
      if (e.document.getText().length >= COLLECT_AFTER_CLOSE_CHARS) collectSoon();
      settingsCache.delete(e.document.uri);
      clearTimeout(pushTimers.get(e.document.uri));
      if (!client.pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }),
  () =>
    connection.onDidChangeConfiguration((e) => {
      const settings = (e.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
      if (settings !== undefined) globalSettings = normalizeSettings(settings);
      refreshAll();
    }),
  () =>
    connection.languages.diagnostics.on(
      guarded(
        'diagnostic',
        { kind: 'full' as const, resultId: undefined, items: [] },
        async (params, token) => {
          // a system file's diagnostics also depend on the other open ones: never "unchanged"
          const system = systemDocument(params.textDocument.uri);
          if (system)
            return {
              kind: 'full' as const,
              resultId: undefined,
              items: systemDiagnostics(system, systemContextOf(system)),
            };
          const doc = await logDocument(params.textDocument.uri, token);
          // A cancelled pull is answered as cancelled, never with an empty list that a client
          // would keep under a valid resultId: the client asks again (LSP 3.17 ServerCancelled).
          const cancelled = (): never => {
            throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
          };
          if (token.isCancellationRequested) cancelled();
          const resultId = doc ? `${doc.version}:${doc.kernelRelease}` : undefined;
          if (resultId && params.previousResultId === resultId)
            return { kind: 'unchanged' as const, resultId };
          const items = doc ? diagnostics(doc, await settingsFor(params.textDocument.uri), token) : [];
          if (token.isCancellationRequested) cancelled();
          return { kind: 'full' as const, resultId, items };
        },
      ),
    ),
  () =>
    connection.onHover(
      guarded('hover', null, async (params) => {
        const system = systemDocument(params.textDocument.uri);
        if (system) return systemHover(system, params.position, systemContextOf(system));
        const doc = await logDocument(params.textDocument.uri);
        return doc && hover(doc, params.position, { reportLink: client.showsReports });
      }),
    ),
  () =>
    connection.onCodeAction(
      guarded('codeAction', [], async (params, token) => {
        const doc = await logDocument(params.textDocument.uri);
        if (!doc || token.isCancellationRequested) return [];
        const settings = await settingsFor(params.textDocument.uri);
        if (client.resolveEdits) return codeActions(doc, params, await sysctlDestination(settings, false));
        const destination = await sysctlDestination(settings, true);
        return Promise.all(codeActions(doc, params, destination).map((a) => resolveAction(a, destination)));
      }),
    ),
  () =>
    connection.onCodeActionResolve((action, token) =>
      guarded('codeAction/resolve', action, (a: CodeAction) => resolveAction(a))(action, token),
    ),
  () =>
    connection.onDocumentSymbol(
      guarded('documentSymbol', [], async (params) => {
        const doc = await logDocument(params.textDocument.uri);
        return doc ? documentSymbols(doc) : [];
      }),
    ),
  () =>
    connection.onFoldingRanges(
      guarded('foldingRange', [], async (params) => {
        const doc = await logDocument(params.textDocument.uri);
        return doc ? foldingRanges(doc) : [];
      }),
    ),
  () =>
    connection.onRequest(
      DOCUMENT_STATUS_REQUEST,
      guarded(
        'documentStatus',
        null,
        async (params: DocumentStatusParams): Promise<DocumentStatus | null> => {
          const doc = await logDocument(params.textDocument.uri);
          return doc && documentStatus(doc);
        },
      ),
    ),
  () =>
    connection.onRequest(
      REPORT_VIEW_REQUEST,
      guarded(
        'reportView',
        null,
        async (params: ReportViewParams, token): Promise<ReportViewModel | null> => {
          const uri = String(params?.uri);
          const want = { index: params?.index, line: params?.line };
          const disk = diskViews.get(uri);
          if (disk && !documents.get(uri))
            return diskReportViewModel(uri, disk.collector, disk.timeline, disk.suppressions, want);
          const doc = await logDocument(uri, token);
          const holding = typeof want.line === 'number' && doc ? reportAt(doc, want.line)?.index : undefined;
          return doc && reportViewModel(uri, doc.reports, doc.log.suppressions, want, holding);
        },
      ),
    ),
  () =>
    connection.onRequest(
      CONTAINS_REPORT_REQUEST,
      guarded('containsReport', false, (params: ContainsReportParams) =>
        Promise.resolve(typeof params?.text === 'string' && containsReport(params.text)),
      ),
    ),
  () =>
    connection.onRequest(
      SYSCTL_SUGGESTIONS_REQUEST,
      guarded(
        'sysctlSuggestions',
        null,
        async (params: SysctlSuggestionsParams): Promise<SysctlSuggestionsResult | null> => {
          const doc = await logDocument(params.textDocument.uri);
          return doc && sysctlSuggestions(doc, params.format ?? 'conf');
        },
      ),
    ),
  () =>
    connection.onExecuteCommand(
      guarded('executeCommand', null, async (params) => {
        const [first, second] = (params.arguments ?? []) as unknown[];
        if (params.command === SHOW_SYSCTL_FILE_COMMAND) {
          // Only ever a .conf file inside the workspace, also once symbolic links are resolved, and
          // a regular file: the arguments come back from the client.
          if (
            typeof first !== 'string' ||
            !first.endsWith('.conf') ||
            !isInsideFolders(first, workspaceFolders)
          ) {
            return null;
          }
          const check = await checkSysctlTarget(first, workspaceFolders, false);
          if (!check.ok) {
            const name = oneLine(relativeLabel(first, workspaceFolders));
            warnUser(`Kernel Log Lens does not open ${name}: ${check.reason}`);
            return null;
          }
          const line = typeof second === 'number' ? second : 0;
          const at = { line, character: 0 };
          await connection.window.showDocument({
            uri: first,
            takeFocus: true,
            selection: { start: at, end: at },
          });
        } else if (typeof first === 'string') {
          // Copy / open-untitled for clients that do not run them themselves: show the text, run nothing.
          notify(MessageType.Info, oneLine(first));
        }
        return null;
      }),
    ),
];

for (const register of registrations) register();
documents.listen(connection);
connection.listen();
