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

/**
 * `kernelLogLens/reportView`: what the "Show Report" webview draws for a log (server/src/core/
 * report-view-model.ts builds it from the analysis the server already holds; nothing is
 * re-read). For a synced document and for a file read from disk (ANALYZE_FILE_REQUEST). Every
 * string may hold text from the log: a client shows it as text, never as markup.
 */
export const REPORT_VIEW_REQUEST = 'kernelLogLens/reportView';

export interface ReportViewParams {
  uri: string;
  /** The report to detail: its index in the timeline (a click in the view) … */
  index?: number;
  /** … else the report that holds this 0-based line (the editor's cursor), else the first. */
  line?: number;
}

/** The result of REPORT_VIEW_REQUEST: null when the server knows no analysis of the uri. */
export interface ReportViewModel {
  uri: string;
  /** `document`: a synced editor document; `disk`: a file read from disk. */
  source: 'document' | 'disk';
  /** Reports in the file (repeats included), and those drawn (at most REPORT_VIEW_MAX_POINTS). */
  reports: number;
  /** Reports the kernel's rate limiter dropped in the whole file (`N callbacks suppressed`). */
  suppressed: number;
  timeline: ReportTimeline;
  /** The index (in `timeline.points`) of the report detailed, null when the file has none. */
  selected: number | null;
  /** The selected report's detail; null when there is none, or when a file read from disk did
   * not keep it (core/report-view-model.ts REPORT_VIEW_MAX_DETAILS: one per repeat group, the
   * first ones). */
  detail: ReportDetail | null;
}

export interface ReportTimeline {
  /** What the x axis counts: the log's times when every report has one of the same kind
   * (`uptime`: dmesg seconds since boot; `clock`: wall-clock seconds, year unknown), else `line`. */
  axis: 'uptime' | 'clock' | 'line';
  /** One lane per host and kind, in order of first appearance. */
  lanes: TimelineLane[];
  points: TimelinePoint[];
  /** Reports not drawn (past REPORT_VIEW_MAX_POINTS). */
  omitted: number;
}

export interface TimelineLane {
  host: string | null;
  kind: string;
  /** "cztest · page allocation failure". */
  label: string;
  reports: number;
  /** `callbacks suppressed` counted before this lane's reports. */
  suppressed: number;
}

export interface TimelinePoint {
  /** Index of the report in the file (the request's `index`). */
  index: number;
  /** 0-based header line, and the report's last line. */
  line: number;
  endLine: number;
  lane: number;
  /** The time as printed, null when none. */
  time: string | null;
  /** Position on the axis: seconds (uptime/clock) or the 1-based line. */
  x: number;
  /** Index of the first report of its repeat group (itself for a first). */
  group: number;
  /** 1 for the first of its group, 2 for the next identical one, … */
  occurrence: number;
  /** Reports of its group (set on every member). */
  groupCount: number;
  /** `N callbacks suppressed` printed just before it. */
  suppressedBefore: number;
  verdict: string;
  /** "cztest, line 2: swapper/13 order 5 — no zone had the free pages …" (the button's label). */
  label: string;
}

export interface ReportDetail {
  index: number;
  line: number;
  endLine: number;
  kind: string;
  kindLabel: string;
  headline: string;
  host: string | null;
  time: string | null;
  comm: string | null;
  /** When the detail shown is its repeat group's first report's (a file read from disk keeps
   * one explanation per group): that report's index and line; else null. */
  sameAs: { index: number; line: number } | null;
  verdict: string;
  verdictShort: string;
  verdictText: string;
  summary: string;
  impact: string;
  request: string | null;
  /** Release and how it was decided ("release 3.4.24-x86_64 in the task line"). */
  era: string;
  pageSizeKb: number;
  order: number | null;
  repeat: {
    count: number;
    suppressed: number;
    firstTime: string | null;
    lastTime: string | null;
    spanSeconds: number | null;
    lines: number[];
  };
  actions: ReportAction[];
  zones: ZoneGauge[];
  buddy: BuddyHistogram[];
  check: WatermarkCheckTable;
}

export interface ReportAction {
  title: string;
  recommended: boolean;
  /** `vm.min_free_kbytes = 90112`, null for advice without a sysctl. */
  sysctl: string | null;
  assessment: string;
}

/** One zone line: free against its watermarks, and what this request could not count. kB. */
export interface ZoneGauge {
  /** "Node 0 DMA32" (or "DMA32" when the kernel printed no node). */
  label: string;
  line: number;
  freeKb: number | null;
  minKb: number | null;
  lowKb: number | null;
  highKb: number | null;
  boostKb: number | null;
  managedKb: number | null;
  presentKb: number | null;
  /** `below_min` … `ok`, `unknown`. */
  state: string;
  stateText: string;
  gaugeText: string;
  /** The replay's outcome here, null when not replayed. */
  result: 'pass' | 'fail' | 'unknown' | 'skipped' | null;
  /** Why the request may not use the zone (skipped), else null. */
  skippedBecause: string | null;
  /** The watermark the request compared with after its own cuts (the replay's adjusted mark). */
  markKb: number | null;
  /** The lowmem_reserve this request had to leave in the zone (for its class zone). */
  reserveKb: number | null;
  /** Free memory the check did not count for this request (2^order − 1 pages, highatomic, CMA). */
  notCountedKb: number | null;
  /** What `notCountedKb` is made of, in the replay's pages ("2^5 − 1 = 31 + free CMA 12"). */
  notCountedText: string;
  /** As printed on the zone line (null: not printed). */
  freeCmaKb: number | null;
  reservedHighatomicKb: number | null;
}

/** One buddy line: blocks per order, the requested order marked. */
export interface BuddyHistogram {
  label: string;
  line: number;
  requestedOrder: number | null;
  orders: BuddyBar[];
  largestOrder: number | null;
  /** Free kB in blocks of the requested order or larger. */
  freeKbAtOrder: number | null;
  /** The replay's block check on this line, null when it did not read it. */
  blockCheck: { available: boolean | null; text: string } | null;
  /** What the migrate-type letters stand for here. */
  legend: string | null;
}

export interface BuddyBar {
  order: number;
  sizeKb: number;
  count: number;
  freeKb: number;
  /** Migrate types with a free block of this order, as printed (`U`, `M`, `E`, `H`, `C`, `R`, `I`). */
  types: { letter: string; usable: boolean | null }[];
}

export interface WatermarkCheckTable {
  /** `min` (the request's own attempts) or `high` (an OOM's last attempt). */
  mark: 'min' | 'high';
  era: string | null;
  classzone: string | null;
  allocFlags: string;
  algorithm: string;
  rows: WatermarkCheckRow[];
  missing: string[];
  assumptions: string[];
}

/** One zone of the replayed `__zone_watermark_ok`, in pages. */
export interface WatermarkCheckRow {
  zone: string;
  line: number;
  usable: boolean;
  freePages: number | null;
  notCountedPages: number | null;
  markPages: number | null;
  /** How the mark was cut for this request ("3652 − 3652/2 = 1826"). */
  markText: string;
  reservePages: number | null;
  /** `free − not counted > mark + reserve`, null when an input is missing. */
  pass: boolean | null;
  blocks: string | null;
  result: 'pass' | 'fail' | 'unknown' | 'skipped';
  explanation: string;
}

/** Points a view draws at most; the rest are counted in `omitted`. */
export const REPORT_VIEW_MAX_POINTS = 5000;

/** Details kept per file read from disk: one per repeat group, the first ones (the rest of a
 * flood is drawn on the timeline and shown with its group's detail). About 10 kB each (the seed's
 * is 9 kB as JSON), so at most a few MB per file. The view says so when a detail was not kept. */
export const REPORT_VIEW_MAX_DETAILS = 200;

/** The client's command that opens the report view beside the log. Arguments: [uri?, line?]. */
export const SHOW_REPORT_COMMAND = 'kernelLogLens.showReport';
