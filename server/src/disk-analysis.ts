// The language server's reading of a log from disk (`kernelLogLens/analyzeFile`): for files the
// editor does not hand over as documents (VS Code syncs none over 50 MB; a compressed log is no
// text document) and for files or folders the user picks. The file is read as `klens analyze`
// reads it: the CLI's input (cli/input.ts openInputs, which is where compressed input is decoded)
// and its scan (cli/analyze-command.ts scanInput: anchor skipping, the core's LogScanner), the
// core's one reading of the reports (ReportSequence), so memory stays flat whatever the size.
// Only the reports that get a diagnostic of their own are kept (features/diagnostics.ts
// DiagnosticCollector: the editor's cap of MAX_DIAGNOSTICS); the rest are counted.
//
// What is read: only a `file:` uri the client sent (a tab the user opened, a file or folder the
// user picked), and only a regular file or a folder: stat() decides before anything is opened
// (opening a FIFO blocks; a device never ends). In a folder, the kernel logs found by name
// (`logFilesIn`), never through a symbolic link to a folder. No path is ever taken from a log or
// a setting. Nothing is written.

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { logFindings, ReportSequence } from './core/analyze';
import { oneLine } from './core/safe-text';
import { scanInput } from './cli/analyze-command';
import { describeReadError, InputError, openInputs } from './cli/input';
import { Progress } from './cli/progress';
import { DiagnosticCollector, wholeLines } from './features/diagnostics';
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
  /** window/showMessage: one line. */
  tell(type: 'info' | 'warning' | 'error', message: string): void;
}

export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
  readonly cancelled: boolean;
}

const NOTHING_READ = { bytes: 0, lineCount: 0, reports: 0, diagnostics: 0 };

/** Thrown (and caught here) when the reading is cancelled between two reads. */
class Cancelled extends Error {}

/** Most files read from one folder; most entries looked at while finding them. */
export const MAX_FOLDER_FILES = 200;
const MAX_FOLDER_ENTRIES = 20_000;
/** How deep logs are looked for below a picked folder (sosreport: var/log, sos_commands/kernel). */
const MAX_FOLDER_DEPTH = 4;

/**
 * Kernel logs by name: the names the extension's language claims (package.json `filenames`,
 * `filenamePatterns`: messages, syslog, kern.log, dmesg and their rotations), the kdump's
 * vmcore-dmesg.txt, journalctl exports and `.log` files, with or without a compression suffix.
 * The CLI's folder discovery (the `gz` work on cli/input.ts) replaces this when it lands.
 */
const LOG_NAME =
  /^(?:(?:messages|syslog|kern\.log|dmesg)(?:[.-].*)?|vmcore-dmesg\.txt|journalctl[_-].*|.*\.log(?:\.\d+)?)(?:\.(?:gz|xz|zst|bz2))?$/;

/** Kernel logs below `dir` (regular files whose name says so), sorted by path. */
export async function logFilesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  let looked = 0;
  const walk = async (at: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch {
      return; // an unreadable subfolder: its logs are not found, the others are
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (found.length >= MAX_FOLDER_FILES || ++looked > MAX_FOLDER_ENTRIES) return;
      const path = join(at, entry.name);
      // Dirent types come from lstat: a symbolic link is neither, so it is never followed
      if (entry.isDirectory() && depth < MAX_FOLDER_DEPTH) await walk(path, depth + 1);
      else if (entry.isFile() && LOG_NAME.test(entry.name)) found.push(path);
    }
  };
  await walk(dir, 0);
  return found;
}

/** A file name for a notification: one line, and no `[text](link)` that a client would render. */
function shownName(path: string): string {
  return oneLine(basename(path)).replace(/\]\(/g, '] (');
}

const mb = (bytes: number): string => `${Math.round(bytes / (1 << 20))} MB`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

interface FileReading {
  diagnostics: Diagnostic[];
  file: AnalyzedFile;
}

/**
 * Reads one regular file from disk and returns its diagnostics, or throws Cancelled, or
 * InputError (one line). `onRead` gets the bytes read so far after each read.
 */
async function readFile(
  path: string,
  uri: string,
  settings: Pick<KernelLogLensSettings, 'zoneDiagnostics' | 'kernelRelease'>,
  onRead: (done: number) => void,
  cancelled: () => boolean,
): Promise<FileReading> {
  const [input] = await openInputs([path]);
  const collector = new DiagnosticCollector({ uri, lines: wholeLines }, settings);
  let index = 0;
  const sequence = new ReportSequence(
    (item) => collector.add({ index: index++, report: item.report, analysis: item.analysis }),
    { kernelRelease: settings.kernelRelease || null },
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
  const totals = await scanInput(input, (r, banner) => sequence.push(r, banner), between, progress, {
    worker: 'never',
    workerEntry: '',
  });
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
    file: {
      uri,
      bytes,
      lineCount: totals.lineCount,
      reports: totals.reports,
      diagnostics: diagnostics.length,
      error: null,
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
  const refused = (message: string): AnalyzeFileResult => {
    host.tell('error', message);
    return { files: [], cancelled: false, message };
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
    host.tell('info', message);
    return { files: [], cancelled: false, message };
  }
  const files = isFolder ? await logFilesIn(path) : [path];
  if (files.length === 0) {
    const message = `Kernel Log Lens: no kernel log found in ${shownName(path)} (looked for messages*, syslog*, kern.log*, dmesg*, vmcore-dmesg.txt, journalctl_*, *.log, up to ${MAX_FOLDER_DEPTH} folders deep).`;
    host.tell('warning', message);
    return { files: [], cancelled: false, message };
  }

  const reporter = await host.progress(`Kernel Log Lens: reading ${shownName(path)} from disk`);
  const cancelled = (): boolean => requestCancelled() || reporter.cancelled;
  const done: AnalyzedFile[] = [];
  let lastReport = 0;
  try {
    for (const [n, file] of files.entries()) {
      // the uri the client sent for a file, so the diagnostics land on its tab
      const uri = isFolder ? pathToFileURL(file).href : params.uri;
      if (host.isOpen(uri)) {
        done.push({
          ...NOTHING_READ,
          uri,
          error: `${shownName(file)} is open in the editor and analysed there`,
        });
        continue;
      }
      const settings = await host.settingsFor(uri);
      let size = 0;
      try {
        size = (await stat(file)).size;
      } catch {
        // openInputs says why
      }
      const prefix = files.length > 1 ? `${n + 1}/${files.length} ${shownName(file)}: ` : '';
      try {
        const reading = await readFile(
          file,
          uri,
          settings,
          (read) => {
            const now = Date.now();
            if (now - lastReport < 200) return;
            lastReport = now;
            const fraction = size > 0 ? Math.min(1, read / size) : 0;
            reporter.report(
              Math.floor(((n + fraction) / files.length) * 100),
              `${prefix}${mb(read)}${size > 0 ? ` of ${mb(size)}` : ''}`,
            );
          },
          cancelled,
        );
        await host.publish(uri, reading.diagnostics);
        done.push(reading.file);
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        const message = err instanceof InputError ? err.message : describeReadError(err, basename(file));
        done.push({ ...NOTHING_READ, uri, error: oneLine(message) });
      }
    }
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    const message = `Kernel Log Lens: reading ${shownName(path)} from disk was cancelled${done.length > 0 ? ` after ${plural(done.length, 'file')}` : ''}: ${done.length > 0 ? 'the files read before have their diagnostics, the rest none' : 'no diagnostics were published'}.`;
    host.tell('info', message);
    return { files: done, cancelled: true, message };
  } finally {
    reporter.done();
  }

  const message = summary(params, path, isFolder, done);
  host.tell(done.some((f) => f.error !== null) ? 'warning' : 'info', message);
  return { files: done, cancelled: false, message };
}

/** Why the file was read from disk, and what came of it, in one line. */
function summary(params: AnalyzeFileParams, path: string, isFolder: boolean, files: AnalyzedFile[]): string {
  const name = shownName(path);
  const reports = files.reduce((sum, f) => sum + f.reports, 0);
  const failed = files.filter((f) => f.error !== null);
  const found =
    reports === 0 ? 'no memory reports' : `${plural(reports, 'memory report')} (see the Problems panel)`;
  if (isFolder) {
    const errors = failed.length > 0 ? `; not read: ${failed.map((f) => f.error).join('; ')}` : '';
    return `Kernel Log Lens: read ${plural(files.length - failed.length, 'kernel log')} in ${name} from disk: ${found}${errors}.`;
  }
  const [file] = files;
  if (file.error !== null) return `Kernel Log Lens: ${file.error}`;
  const reason = params.reason ?? { kind: 'picked' };
  let why: string;
  if (reason.kind === 'unsynced' && reason.editorLimitBytes !== null && file.bytes > reason.editorLimitBytes)
    why = `${name} is ${mb(file.bytes)}, over ${oneLine(reason.editor)}'s ${mb(reason.editorLimitBytes)} limit for extensions: analysed from disk`;
  else if (reason.kind === 'unsynced')
    why = `${name} is open but ${oneLine(reason.editor)} did not hand it to extensions: analysed from disk (${mb(file.bytes)})`;
  else why = `${name} analysed from disk (${mb(file.bytes)})`;
  return `Kernel Log Lens: ${why}, ${plural(file.lineCount, 'line')}: ${found}.`;
}
