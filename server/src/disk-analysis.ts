// The language server's reading of a log from disk (`kernelLogLens/analyzeFile`): for files the
// editor does not hand over as documents (VS Code syncs none over 50 MB; a compressed log is no
// text document) and for files or folders the user picks. A file is read as `klens analyze` reads
// it: the CLI's input (cli/input.ts openInputs: gzip, xz, zstd and bzip2 told by their magic bytes
// and decompressed on the way) and its scan (cli/analyze-command.ts scanInput: anchor skipping,
// the core's LogScanner), then the core's one reading of the reports (ReportSequence), so memory
// stays flat whatever the size. A folder is searched as `klens analyze DIR` searches it
// (cli/sources.ts openSources: kernel logs by name, rotated sets, sosreport and supportconfig
// layouts, whose sysctl -a / zoneinfo / buddyinfo the analysis then uses); each file of it is its
// own document here, with its own diagnostics. Only the reports that get a diagnostic of their
// own are kept (features/diagnostics.ts DiagnosticCollector: the editor's cap of MAX_DIAGNOSTICS).
//
// What is read: only a `file:` uri the client sent (a tab the user opened, a file or folder the
// user picked), and only a regular file or a folder: stat() decides before anything is opened
// (opening a FIFO blocks; a device never ends). No path is ever taken from a log or a setting.
// Nothing is written.

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { logFindings, ReportSequence } from './core/analyze';
import { oneLine } from './core/safe-text';
import { scanInput } from './cli/analyze-command';
import { describeReadError, InputError, openInputs, type Input } from './cli/input';
import { openSources } from './cli/sources';
import type { SystemState } from './core/system-state';
import { Progress } from './cli/progress';
import { DiagnosticCollector, wholeLines } from './features/diagnostics';
import { ReportViewCollector } from './core/report-view-model';
import type { ReportTimeline } from '../../shared/protocol';
import { breakLinks } from '../../shared/message-text';
import type { KernelLogLensSettings } from './features/settings';
import type { AnalyzedFile, AnalyzeFileParams, AnalyzeFileResult } from '../../shared/protocol';

/** What the reading needs from the server (server.ts gives the connection's side). */
export interface DiskAnalysisHost {
  settingsFor(uri: string): Promise<Pick<KernelLogLensSettings, 'zoneDiagnostics' | 'kernelRelease'>>;
  /** The editor handed the uri over as a document: it is analysed there (diagnostics from both
   * would be listed twice). */
  isOpen(uri: string): boolean;
  /** `$/progress` (window/workDoneProgress/create, begin, report, end); its token is cancelled
   * when the user cancels the progress. */
  progress(title: string): Promise<ProgressReporter>;
  publish(uri: string, diagnostics: Diagnostic[]): Promise<void>;
  /** What the report view (REPORT_VIEW_REQUEST) shows of the file, kept with its diagnostics. */
  keepView?(uri: string, view: DiskView): void;
  /** window/showMessage: one line. */
  tell(type: 'info' | 'warning' | 'error', message: string): void;
}

export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
  readonly cancelled: boolean;
}

const NOTHING_READ = { bytes: 0, compression: null, lineCount: 0, reports: 0, diagnostics: 0 };

/** Thrown (and caught here) when the reading is cancelled between two reads. */
class Cancelled extends Error {}

/** A file name for a notification: one line (its links are broken with the whole message, `say`). */
function shownName(path: string): string {
  return oneLine(basename(path));
}

/** A size as VS Code shows its limit (MB of 2^20 bytes); kB below one MB. */
const mb = (bytes: number): string =>
  bytes < 1 << 20 ? `${Math.ceil(bytes / 1024)} kB` : `${Math.round(bytes / (1 << 20))} MB`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

interface FileReading {
  diagnostics: Diagnostic[];
  file: AnalyzedFile;
  view: DiskView;
}

/** The report view's share of a reading: the timeline and one explanation per repeat group. */
export interface DiskView {
  collector: ReportViewCollector;
  timeline: ReportTimeline;
  suppressions: { count: number }[];
}

/**
 * Reads one opened input to its end and returns its diagnostics (what was read before damaged
 * compressed data, with the damage as `error`), or throws Cancelled or InputError (one line).
 * `onRead` gets the bytes read so far (as stored) after each read.
 */
async function readInput(
  input: Input,
  uri: string,
  settings: Pick<KernelLogLensSettings, 'zoneDiagnostics' | 'kernelRelease'>,
  system: SystemState | null,
  onRead: (done: number) => void,
  cancelled: () => boolean,
): Promise<FileReading> {
  const collector = new DiagnosticCollector({ uri, lines: wholeLines }, settings);
  const view = new ReportViewCollector(true);
  let index = 0;
  const sequence = new ReportSequence(
    (item) => {
      view.add(item);
      collector.add({ index: index++, report: item.report, analysis: item.analysis });
    },
    { kernelRelease: settings.kernelRelease || null, ...(system ? { system } : {}) },
  );
  let bytes = 0;
  const progress = new (class extends Progress {
    override advance(read: number): void {
      bytes += read;
      onRead(bytes);
    }
  })(null);
  const between = (): Promise<void> => (cancelled() ? Promise.reject(new Cancelled()) : Promise.resolve());
  // one thread: the CLI's scan worker runs the CLI's own entry module, which the server is not
  const totals = await scanInput(
    input,
    (r, banner, copy) => sequence.push(r, banner, copy),
    between,
    progress,
    {
      worker: 'never',
      workerEntry: '',
    },
  );
  sequence.end();
  const findings = logFindings(
    {
      quotedPrintableFrom: totals.quotedPrintableFrom ?? undefined,
      suppressions: totals.suppressions,
    },
    null,
  );
  const diagnostics = collector.finish(findings);
  return {
    diagnostics,
    view: { collector: view, timeline: view.timeline(), suppressions: totals.suppressions },
    file: {
      uri,
      bytes,
      compression: input.compression,
      lineCount: totals.lineCount,
      reports: totals.reports,
      diagnostics: diagnostics.length,
      error: input.damage === null ? null : oneLine(input.damage),
    },
  };
}

/** One request: checks the uri, reads the file (or each log in the folder) with progress,
 * publishes the diagnostics and tells the user what was done and why. */
export async function analyzeFromDisk(
  params: AnalyzeFileParams,
  host: DiskAnalysisHost,
  requestCancelled: () => boolean,
): Promise<AnalyzeFileResult> {
  // what the user is told and what the request answers: one line with no link a client would
  // render (a file named `[Update](command:…)`, an error message quoting it)
  const say = (type: 'info' | 'warning' | 'error', message: string): string => {
    const shown = breakLinks(message);
    host.tell(type, shown);
    return shown;
  };
  const refused = (message: string): AnalyzeFileResult => {
    return { files: [], cancelled: false, message: say('error', message) };
  };
  const given: unknown = (params as Partial<AnalyzeFileParams> | null)?.uri;
  let path: string;
  try {
    if (typeof given !== 'string' || !/^file:/i.test(given)) throw new Error('not a file: uri');
    path = fileURLToPath(given);
  } catch {
    return refused(
      `Kernel Log Lens reads only files on this machine's disk (file: uris): ${oneLine(String(given)).slice(0, 200)}`,
    );
  }
  let isFolder: boolean;
  try {
    const info = await stat(path);
    if (!info.isFile() && !info.isDirectory())
      return refused(`Kernel Log Lens: ${shownName(path)} is not a regular file or a folder: not read.`);
    isFolder = info.isDirectory();
  } catch (err) {
    return refused(`Kernel Log Lens: ${oneLine(describeReadError(err, basename(path)))}`);
  }
  if (!isFolder && host.isOpen(params.uri)) {
    const message = `Kernel Log Lens: ${shownName(path)} is open in the editor and analysed there: see the Problems panel.`;
    return { files: [], cancelled: false, message: say('info', message) };
  }
  // what to read: the file, or the folder's kernel logs as `klens analyze DIR` finds them
  let inputs: { input: Input; uri: string }[];
  let system: SystemState | null = null;
  let skipped = 0;
  try {
    if (isFolder) {
      const { sources } = await openSources([path]);
      const folder = sources[0]?.folder ?? null;
      system = folder?.system?.state ?? null;
      skipped = folder?.skipped.length ?? 0;
      inputs = sources.flatMap((source) =>
        source.inputs.map((input) => ({ input, uri: pathToFileURL(input.name).href })),
      );
    } else {
      const [input] = await openInputs([path]);
      // the uri the client sent, so the diagnostics land on its tab
      inputs = [{ input, uri: params.uri }];
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const message = `Kernel Log Lens: ${oneLine(err.message)}`;
    return { files: [], cancelled: false, message: say(isFolder ? 'warning' : 'error', message) };
  }

  const reporter = await host.progress(`Kernel Log Lens: reading ${shownName(path)} from disk`);
  const cancelled = (): boolean => requestCancelled() || reporter.cancelled;
  const done: AnalyzedFile[] = [];
  let next = 0;
  let lastReport = 0;
  try {
    for (; next < inputs.length;) {
      const n = next++;
      const { input, uri } = inputs[n];
      if (host.isOpen(uri)) {
        await input.close().catch(() => undefined);
        done.push({
          ...NOTHING_READ,
          uri,
          error: `${shownName(input.name)} is open in the editor and analysed there`,
        });
        continue;
      }
      const settings = await host.settingsFor(uri);
      const size = input.size ?? 0;
      const prefix = inputs.length > 1 ? `${n + 1}/${inputs.length} ${shownName(input.name)}: ` : '';
      try {
        const reading = await readInput(
          input,
          uri,
          settings,
          system,
          (read) => {
            const now = Date.now();
            if (now - lastReport < 200) return;
            lastReport = now;
            const fraction = size > 0 ? Math.min(1, read / size) : 0;
            reporter.report(
              Math.floor(((n + fraction) / inputs.length) * 100),
              `${prefix}${mb(read)}${size > 0 ? ` of ${mb(size)}` : ''}`,
            );
          },
          cancelled,
        );
        await host.publish(uri, reading.diagnostics);
        host.keepView?.(uri, reading.view);
        done.push(reading.file);
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        const message =
          err instanceof InputError ? err.message : describeReadError(err, basename(input.name));
        done.push({ ...NOTHING_READ, uri, error: oneLine(message) });
      }
    }
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    const message = `Kernel Log Lens: reading ${shownName(path)} from disk was cancelled${done.length > 0 ? ` after ${plural(done.length, 'file')}` : ''}: ${done.length > 0 ? 'the files read before have their diagnostics, the rest none' : 'no diagnostics were published'}.`;
    return { files: done, cancelled: true, message: say('info', message) };
  } finally {
    reporter.done();
    // the inputs not read (cancelled) are closed; scanInput closed the others
    for (const { input } of inputs.slice(next)) await input.close().catch(() => undefined);
  }

  const message = summary(params, path, isFolder, done, skipped, system);
  return {
    files: done,
    cancelled: false,
    message: say(done.some((f) => f.error !== null) ? 'warning' : 'info', message),
  };
}

/** Why the file was read from disk, and what came of it, in one line. */
function summary(
  params: AnalyzeFileParams,
  path: string,
  isFolder: boolean,
  files: AnalyzedFile[],
  skipped: number,
  system: SystemState | null,
): string {
  const name = shownName(path);
  const reports = files.reduce((sum, f) => sum + f.reports, 0);
  const failed = files.filter((f) => f.error !== null);
  const found =
    reports === 0 ? 'no memory reports' : `${plural(reports, 'memory report')} (see the Problems panel)`;
  if (isFolder) {
    const errors = failed.length > 0 ? `; ${failed.map((f) => f.error).join('; ')}` : '';
    const known = system ? `, with the system's values from ${oneLine(system.source)}` : '';
    const left = skipped > 0 ? ` (${plural(skipped, 'other file')} skipped)` : '';
    return `Kernel Log Lens: read ${plural(files.length - failed.length, 'kernel log')} in ${name} from disk${left}${known}: ${found}${errors}.`;
  }
  const [file] = files;
  if (file.error !== null && file.lineCount === 0) return `Kernel Log Lens: ${file.error}`;
  // damaged compressed data: what came before it was analysed
  const then = file.error !== null ? `; then ${file.error}` : '';
  const reason = params.reason ?? { kind: 'picked' };
  let why: string;
  if (reason.kind === 'unsynced' && reason.editorLimitBytes !== null && file.bytes > reason.editorLimitBytes)
    why = `${name} is ${mb(file.bytes)}, over ${oneLine(reason.editor)}'s ${mb(reason.editorLimitBytes)} limit for extensions: analysed from disk`;
  else if (reason.kind === 'unsynced' && file.compression !== null)
    why = `${name} is ${file.compression}-compressed, which ${oneLine(reason.editor)} does not open as text: analysed from disk (${mb(file.bytes)})`;
  else if (reason.kind === 'unsynced')
    why = `${name} is open but ${oneLine(reason.editor)} did not hand it to extensions: analysed from disk (${mb(file.bytes)})`;
  else why = `${name} analysed from disk (${mb(file.bytes)})`;
  return `Kernel Log Lens: ${why}, ${plural(file.lineCount, 'line')}: ${found}${then}.`;
}
