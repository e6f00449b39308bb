// The custom protocol between the Kernel Log Lens language server and its clients: request and
// command names and the shapes they carry. The server (server/src/server.ts, features/status.ts,
// features/code-actions.ts) and the VS Code client (client/src/extension.ts) both import this file,
// so the two cannot drift. Other editors may call the requests too (they are listed under
// `experimental.kernelLogLens` in the server's capabilities). Types and strings only: no imports.

/** `kernelLogLens/documentStatus`: the status bar's report count for a file. */
export const DOCUMENT_STATUS_REQUEST = 'kernelLogLens/documentStatus';
/** `kernelLogLens/sysctlSuggestions`: the file's suggested sysctl lines. */
export const SYSCTL_SUGGESTIONS_REQUEST = 'kernelLogLens/sysctlSuggestions';

export interface DocumentStatusParams {
  textDocument: { uri: string };
}

/** The result of DOCUMENT_STATUS_REQUEST (null when the server does not know the document). */
export interface DocumentStatus {
  uri: string;
  /** The analysed version of the document. */
  version: number;
  /** Reports in the file (repeats included). */
  reports: number;
  byKind: Record<string, number>;
  /** Reports the kernel's rate limiter dropped (`N callbacks suppressed`). */
  suppressed: number;
  /** What a status bar shows for the file (`text`: "2 kernel memory reports"; `detail`: per kind);
   * null when the file holds no report: then no status item is shown. */
  summary: { text: string; detail: string } | null;
}

/** `kernelLogLens/containsReport`: whether a text the server does not synchronise (an untitled
 * Plain Text editor receiving a paste) holds a kernel report, so that the client can give it the
 * Kernel Log language. The server reads it with the core's scanner (parse.ts containsReport). */
export const CONTAINS_REPORT_REQUEST = 'kernelLogLens/containsReport';

export interface ContainsReportParams {
  text: string;
}

/** Run by the VS Code client: opens the page of a finding code bundled with the extension
 * (docs/codes/<CODE>.md) in the Markdown preview. Arguments: [code]. A client that lists it in
 * `initializationOptions.clientCommands` gets each diagnostic's code linked to it by a `command:`
 * URI; other clients get the `file:` URI of the page installed beside the server, or no link. */
export const OPEN_CODE_DOC_COMMAND = 'kernelLogLens.openCodeDoc';

export interface SysctlSuggestionsParams {
  textDocument: { uri: string };
  /** sysctl.conf lines (default) or `sysctl -w` commands. */
  format?: 'conf' | 'commands';
}

/** The result of SYSCTL_SUGGESTIONS_REQUEST (null when the server does not know the document). */
export interface SysctlSuggestionsResult {
  text: string;
  /** Settings in `text`. */
  count: number;
}

/** Commands the server's code actions carry; a client that runs them itself lists them in
 * `initializationOptions.clientCommands` (the VS Code client: clipboard, untitled editor). */
export const COPY_TEXT_COMMAND = 'kernelLogLens.copyText';
export const OPEN_UNTITLED_COMMAND = 'kernelLogLens.openUntitled';
export const CLIENT_COMMANDS = [COPY_TEXT_COMMAND, OPEN_UNTITLED_COMMAND] as const;
/** Run by the server after an edit is applied: reveals the sysctl file (`window/showDocument`).
 * Arguments: [uri, line]. */
export const SHOW_SYSCTL_FILE_COMMAND = 'kernelLogLens.showSysctlFile';

/**
 * `kernelLogLens/analyzeFile`: read a file (or each kernel log in a folder) from disk and publish
 * its diagnostics to the file's uri (textDocument/publishDiagnostics), with `$/progress` while it
 * reads. For files the editor does not hand to the server: VS Code syncs no document over 50 MB,
 * and compressed logs are not text documents. The client sends only files the user opened in a
 * tab or picked; the server takes `file:` uris of regular files and folders only.
 */
export const ANALYZE_FILE_REQUEST = 'kernelLogLens/analyzeFile';

export interface AnalyzeFileParams {
  uri: string;
  /** Why this route: `unsynced`, a tab the editor (named for the message) shows but did not hand
   * over, with its size limit for extensions in bytes when that is why; `picked`, the user chose
   * it (a command, the explorer's context menu). */
  reason: { kind: 'unsynced'; editor: string; editorLimitBytes: number | null } | { kind: 'picked' };
}

/** One file read from disk. */
export interface AnalyzedFile {
  uri: string;
  /** Bytes read (as stored on disk). */
  bytes: number;
  /** The compression read through (`gzip`, `xz`, `zstd`, `bzip2`), null for text. */
  compression: string | null;
  lineCount: number;
  reports: number;
  diagnostics: number;
  /** Why it was not read (one line), else null. */
  error: string | null;
}

/** The result of ANALYZE_FILE_REQUEST. */
export interface AnalyzeFileResult {
  /** Each file read, in order (one for a file; the kernel logs found in a folder). */
  files: AnalyzedFile[];
  cancelled: boolean;
  /** The one-line summary the server also showed (window/showMessage). */
  message: string;
}

/** `kernelLogLens/forgetFile` (notification): a file read from disk for an editor tab is no
 * longer shown: its analysis stops and its diagnostics are cleared. */
export const FORGET_FILE_NOTIFICATION = 'kernelLogLens/forgetFile';

export interface ForgetFileParams {
  uri: string;
}

/** The client's command that reads a file or folder the user picks (also on the explorer). */
export const ANALYZE_FILE_COMMAND = 'kernelLogLens.analyzeFile';
