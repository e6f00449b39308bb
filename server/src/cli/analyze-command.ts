// `klens analyze`: each input is read once through the core's incremental LogScanner; every report
// is analysed and printed as soon as the scanner completes it, so memory stays flat whatever the
// input's size. Stretches the core declares irrelevant (idle scanner, no anchor) are only counted.
import { readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Report } from '../core/model';
import type { SystemState } from '../core/system-state';
import {
  AnalysedCopy,
  analysedContent,
  analysedLine,
  ReportSequence,
  type Analysed,
  type ReportCopy,
  type SequenceLimits,
} from '../core/analyze';
import type { CopyBlock } from '../core/repeat-run';
import { STDIN } from './args';
import { escapeJsonText, visibleControls } from '../core/safe-text';
import type { Input } from './input';
import type { FolderInfo, Source } from './sources';
import { folderJson, folderText, setSummary } from './folder-output';
import { JsonFileWriter, repeatJson } from './json';
import { JsonGroupWriter } from './json-groups';
import type { Output } from './output';
import type { Progress } from './progress';
import { createScan, isVerbatimFlood, mergedTotals, type ScanTotals } from './scan';
import { scanInWorker, type WorkerStop } from './scan-worker';
import { fileSummary, reportBlock, SysctlCollector, type Style } from './text';
import { githubCommands } from './github';
import { ResultCollector, type FailOnTracker } from './results';
import { sarifLog } from './sarif';

export type OutputFormat = 'text' | 'json' | 'sysctl' | 'sarif' | 'github';

export interface AnalyzeOptions {
  format: OutputFormat;
  style: Style;
  /** The text output in full (`--verbose`) rather than one screen a report. */
  verbose?: boolean;
  /** Indented JSON (for a terminal) rather than one line per event. */
  prettyJson: boolean;
  /** The CLI's entry module, which a scan worker runs. */
  workerEntry: string;
  /** Scan in a worker thread: for regular files of at least WORKER_MIN_BYTES on a multi-core machine. */
  worker: 'auto' | 'always' | 'never';
  /** The system's known values (a bundle's sysctl -a, zoneinfo, buddyinfo) for the analysis. */
  system?: SystemState;
  /** Sees every report (repeats too), whatever the format: `--fail-on`. */
  failOn?: FailOnTracker;
  /** SARIF and GitHub paths are relative to it. */
  base?: string;
}

/** What the reading of a source keeps: every repeat group (the summary lists them), but not every
 * header line of a group in the core's RepeatAnalysis.lines, which nothing printed here reads past
 * the first (the JSON writer and the CI results keep their own): memory stays flat on a flood of
 * millions of repeats (issue #17). */
const CLI_SEQUENCE_LIMITS: SequenceLimits = { groups: Infinity, linesPerGroup: 64 };

/** Below this a worker's start-up (~80 ms) and hand-over cost more than the second core saves.
 * Measured on two cores (bench/.data syslogs, best of 3, worker vs one thread): 32 MiB 0.29 vs
 * 0.25 s, 50 MiB 0.34 vs 0.32 s, 100 MiB 0.43 vs 0.43 s, 200 MiB 0.58 vs 0.67 s, 1 GiB 1.54 vs
 * 2.05 s. */
export const WORKER_MIN_BYTES = 96 << 20;

/** How much of a large file's start may tell whether it is a verbatim flood (`isVerbatimFlood`,
 * which stops once it has seen enough reports): a flood of reports of up to 64 KiB each. */
const FLOOD_HEAD_BYTES = 1 << 20;

function useWorker(input: Input, mode: AnalyzeOptions['worker']): boolean {
  if (input.regularFd === null || mode === 'never') return false;
  if (mode === 'always') return true;
  return (input.size ?? 0) >= WORKER_MIN_BYTES && availableParallelism() > 1;
}

/**
 * Whether a file the worker could read is best left to it: not when its reading begins with a
 * verbatim flood, which this thread reads with its copies taken (`isVerbatimFlood`: in the worker,
 * 40,000 reports (111 MB) took 5.4 s and 9.7 CPU-s, in this thread 3.2 s; bench/NOTES.md, session
 * 12). Asked while the worker starts. The head is read where reading starts (`regularStart`:
 * standard input may be opened part-way) without moving the file's offset (pread).
 */
export function handOverToWorker(input: Input, mode: AnalyzeOptions['worker']): boolean {
  if (mode === 'always') return true;
  const head = Buffer.allocUnsafe(FLOOD_HEAD_BYTES);
  let n: number;
  try {
    n = readSync(input.regularFd!, head, 0, FLOOD_HEAD_BYTES, input.regularStart ?? 0);
  } catch {
    return true; // the worker's reading meets the error again and reports it (describeReadError)
  }
  return !isVerbatimFlood(head.subarray(0, n));
}

/**
 * Reports in a row, each on the line after the one before and repeating an earlier one's content,
 * after which a file the scan worker reads is read on in this thread: a verbatim flood, whose
 * copies this thread takes (core/repeat-run.ts) where the worker reads every line and this thread
 * explains every copy. A 216 MB file, 100 MB of syslog then a flood of 40,000 reports (corpus 011):
 * 8.7 s with the worker, 1.6 s taken over (bench/NOTES.md, session 13). But the rest of the file
 * is then read in one thread: 100 such reports 100 MB into the 1 GiB syslog made it 2.2 → 3.9 s.
 * A flood report costs the worker's path about 0.2 ms more, a byte read in one thread rather than
 * two about 1.7 ns more: a flood is taken over once it has lasted as many reports as the bytes
 * left over TAKEOVER_BYTES_PER_REPORT (a flood that has lasted N reports is taken as likely to
 * last about N more), and at least FLOOD_TAKEOVER_REPORTS.
 */
const FLOOD_TAKEOVER_REPORTS = 64;
const TAKEOVER_BYTES_PER_REPORT = 128 << 10;

/**
 * Scans one input (in this thread or a worker); `onReport` gets each report in order, and
 * `onCopies` (in their place among them) the copies of repeated stretches this thread's reading
 * left unmade (createScan; the worker takes no copies). `floodSeen`, asked while a worker reads
 * with the bytes still to read, says that the reports have become a verbatim flood: this thread
 * then reads the rest, from the worker's last point where a fresh scan reads on as its would
 * (scanInWorker `takeOver`).
 */
export async function scanInput(
  input: Input,
  onReport: (report: Report, banner: string | null, copy: ReportCopy | null) => void,
  between: () => Promise<void>,
  progress: Progress,
  options: Pick<AnalyzeOptions, 'worker' | 'workerEntry'>,
  onCopies?: (block: CopyBlock<Report>, from: number) => void,
  floodSeen?: { seen: (bytesLeft: number) => number; pushedBefore: (report: Report) => void },
): Promise<ScanTotals> {
  progress.start(visibleControls(input.name), input.size);
  const onRead = (bytes: number): Promise<void> => {
    progress.advance(bytes);
    return between();
  };
  try {
    if (useWorker(input, options.worker)) {
      const totals = await scanInWorker(
        options.workerEntry,
        input.regularFd!,
        input.name,
        // the worker records reports (report-record.ts) and takes no copies (repeat-run.ts)
        (report, banner) => onReport(report, banner, null),
        between,
        progress,
        () => handOverToWorker(input, options.worker),
        floodSeen &&
          ((bytesRead) => floodSeen.seen((input.size ?? 0) - (input.regularStart ?? 0) - bytesRead)),
      );
      if (totals && !('offset' in totals)) return totals;
      // the worker stopped in a flood: the rest is read here, its copies taken
      if (totals) return await readOnHere(input, totals, onReport, onRead, onCopies, floodSeen?.pushedBefore);
    }
    const scan = createScan(onReport, undefined, { onCopies: onCopies && ((block) => onCopies(block, 0)) });
    await input.pump(scan.feeder, onRead);
    return scan.finish();
  } finally {
    progress.hide();
    await input.close().catch(() => undefined);
  }
}

/**
 * Reads `input` on in this thread from where its scan worker stopped (`stop`: the worker's last
 * resume point before where it stopped, and how many reports it gave): the reports it gave after
 * that point come first again and are dropped (read ones known as copies' sources,
 * `pushedBefore`), the rest go on; the totals are the worker's up to the point and this reading's.
 */
async function readOnHere(
  input: Input,
  stop: WorkerStop,
  onReport: (report: Report, banner: string | null, copy: ReportCopy | null) => void,
  onRead: (bytes: number) => Promise<void>,
  onCopies?: (block: CopyBlock<Report>, from: number) => void,
  pushedBefore?: (report: Report) => void,
): Promise<ScanTotals> {
  let again = stop.posted - stop.reports;
  const rest = createScan(
    (report, banner, copy) => {
      if (again === 0) return onReport(report, banner, copy);
      again--;
      if (copy === null) pushedBefore?.(report);
    },
    undefined,
    {
      resume: stop,
      onCopies:
        onCopies &&
        ((block) => {
          const reports = block.count * block.out.length;
          const from = Math.min(again, reports);
          again -= from;
          if (from < reports) onCopies(block, from);
        }),
    },
  );
  await input.pumpAt!((input.regularStart ?? 0) + stop.offset, rest.feeder, onRead);
  return mergedTotals(stop, rest.finish(), rest.framingCounts());
}

/** The file each report, and each block of copies left unmade, was read from (readSource): a
 * report's entry goes when it is explained; a block's when the block goes (a flood hands over a
 * block per copy or so, each let go once explained). */
interface FileOf {
  reports: Map<Report, string>;
  blocks: WeakMap<CopyBlock<Report>, string>;
}

/** One file of a source as read: its totals, and the damage that stopped it early. */
export interface FileRead extends ScanTotals {
  file: string;
  compression: Input['compression'];
  error: string | null;
}

/**
 * Reads a source's inputs in order into one analysis (`analyser`): a rotated set is one timeline,
 * its repeats and release fallback spanning the files (each file keeps its own line numbers and
 * scanner; a `Linux version` banner of an older file stands for the newer ones until they print
 * their own). `fileOf` gets each report's file and each block of copies' (a report may wait in the
 * analyser for a release while the next file is read).
 */
async function readSource(
  source: Source,
  analyser: ReportSequence,
  fileOf: FileOf,
  between: () => Promise<void>,
  progress: Progress,
  options: Pick<AnalyzeOptions, 'worker' | 'workerEntry'>,
): Promise<FileRead[]> {
  const reads: FileRead[] = [];
  let banner: string | null = null;
  for (const input of source.inputs) {
    let fileBanner: string | null = null;
    // reports in a row, each beginning on the line after the one before ended
    let adjoining = 0;
    let lastEnd = -2;
    const push = (r: Report, b: string | null, copy: ReportCopy | null): void => {
      adjoining = r.line === lastEnd + 1 ? adjoining + 1 : 0;
      lastEnd = r.endLine;
      fileBanner = b;
      fileOf.reports.set(r, input.name);
      analyser.push(r, b ?? banner, copy);
    };
    // a flood's copies, left unmade: explained by moving their source's analysis, made only if a
    // writer asks for one whole (analyze.ts AnalysedCopy)
    const pushCopies = (block: CopyBlock<Report>, from: number): void => {
      fileBanner = block.banner;
      fileOf.blocks.set(block, input.name);
      analyser.pushBlock(
        { at: 0, block, from, reports: block.count * block.out.length - from },
        block.banner ?? banner,
      );
    };
    // a verbatim flood met by the scan worker: the rest of the file is read here, its copies
    // taken (scanInput); not with KLENS_WORKER=always, the worker's reading of every line, nor
    // for standard input (read by position, its shared offset would be left mid-file)
    const floodSeen =
      options.worker === 'auto' && input.name !== STDIN
        ? {
            seen: (bytesLeft: number): number => {
              const needed = Math.max(FLOOD_TAKEOVER_REPORTS, bytesLeft / TAKEOVER_BYTES_PER_REPORT);
              return adjoining >= needed && analyser.movedInARow >= needed ? adjoining : 0;
            },
            pushedBefore: (report: Report): void => analyser.pushedBefore(report),
          }
        : undefined;
    const totals = await scanInput(input, push, between, progress, options, pushCopies, floodSeen);
    banner = fileBanner ?? banner;
    reads.push({ file: input.name, compression: input.compression, error: input.damage, ...totals });
  }
  return reads;
}

/** The totals of a source: one file's, or a set's summed (its framing: the first file's that has
 * one, the newest file's otherwise). */
function sourceTotals(reads: readonly FileRead[]): ScanTotals {
  if (reads.length === 1) return reads[0];
  let lineCount = 0;
  let suppressed = 0;
  let reports = 0;
  for (const r of reads) {
    lineCount += r.lineCount;
    suppressed += r.suppressed;
    reports += r.reports;
  }
  const framed = reads.find((r) => r.reports > 0) ?? reads[reads.length - 1];
  // the rate limiters' lines are numbered within each file: they stay in each file's totals
  return {
    framing: framed.framing,
    lineCount,
    suppressed,
    reports,
    quotedPrintableFrom: null,
    suppressions: [],
  };
}

/**
 * Analyses every source and writes the output; returns the one-line errors of inputs whose
 * compressed data stopped early (what came before was analysed and written).
 */
export async function analyzeCommand(
  sources: Source[],
  out: Output,
  progress: Progress,
  options: AnalyzeOptions,
): Promise<string[]> {
  const { format, style, prettyJson } = options;
  const between = (): Promise<void> => out.drained();
  const several = sources.length > 1;
  const sysctl = new SysctlCollector();
  const errors: string[] = [];
  const foldersShown = new Set<FolderInfo>();
  const results = new ResultCollector();
  let reports = 0;

  if (format === 'json' && several) out.write('[\n');
  for (const [index, source] of sources.entries()) {
    const folder = source.folder;
    const system = options.system ?? folder?.system?.state;
    const fileOf: FileOf = { reports: new Map(), blocks: new WeakMap() };
    let file = source.inputs[0].name;
    // the core's one reading of a log's reports (release fallback, repeats), as for the editor
    let emit: (item: Analysed) => void = () => undefined;
    // in a set, which file each repeat group's first and last report are in
    const firstFile = new Map<number, string>();
    const lastFile = new Map<number, string>();
    const failOn = options.failOn;
    const analyser = new ReportSequence(
      (item) => {
        file = fileOf.reports.get(item.report) ?? file;
        fileOf.reports.delete(item.report);
        if (folder) {
          if (item.first) lastFile.set(item.first.index, file);
          else firstFile.set(item.analysis.index, file);
        }
        failOn?.add(item);
        emit(item);
      },
      system ? { system } : {},
      CLI_SEQUENCE_LIMITS,
      true,
      null,
      (copy, occurrence) => {
        file = fileOf.blocks.get(copy.block) ?? file;
        const item = new AnalysedCopy(copy, occurrence);
        if (folder) lastFile.set(copy.duplicateOf, file);
        failOn?.add(item);
        emit(item);
      },
    );
    if (format === 'json') {
      if (index > 0) out.write(',\n');
      // JSON.stringify leaves C1 and bidi controls raw: written as \uNNNN, for a terminal.
      const writer = new JsonFileWriter(
        (t) => out.write(escapeJsonText(t)),
        source.label,
        several ? '  ' : '',
        prettyJson,
      );
      // one event per repeat group (json-groups.ts)
      const groups = new JsonGroupWriter(writer, prettyJson, folder !== null);
      emit = (item) => {
        if (!folder) return groups.add(item);
        groups.add(item, file, item.first ? (firstFile.get(item.first.index) ?? null) : null);
      };
      const reads = await readSource(source, analyser, fileOf, between, progress, options);
      analyser.end();
      groups.end();
      const totals = sourceTotals(reads);
      const repeats = analyser.repeats();
      writer.end({
        framing: totals.framing,
        lineCount: totals.lineCount,
        suppressed: totals.suppressed,
        ...(totals.quotedPrintableFrom === null
          ? {}
          : { quotedPrintableFromLine: totals.quotedPrintableFrom + 1 }),
        repeats: folder
          ? repeats.map((g) => ({
              file: firstFile.get(g.index) ?? null,
              lastFile: lastFile.get(g.index) ?? firstFile.get(g.index) ?? null,
              ...repeatJson(g),
            }))
          : repeats.map(repeatJson),
        ...(folder ? folderJson(folder, reads) : {}),
        ...(!folder && reads[0].error ? { error: reads[0].error } : {}),
      });
    } else if (format === 'sarif' || format === 'github') {
      emit = (item) => {
        reports++;
        results.add(file, item, `${index}`);
      };
      await readSource(source, analyser, fileOf, between, progress, options);
      analyser.end();
    } else if (format === 'sysctl') {
      emit = (item) => {
        const content = analysedContent(item);
        sysctl.add(file, analysedLine(item), content.sysctl, content.host);
      };
      await readSource(source, analyser, fileOf, between, progress, options);
      analyser.end();
    } else {
      if (folder && !foldersShown.has(folder)) {
        foldersShown.add(folder);
        out.write(folderText(folder, sources, style));
      }
      emit = (item) =>
        out.write(
          reportBlock(
            file,
            item,
            style,
            folder && item.first ? (firstFile.get(item.first.index) ?? null) : null,
            options.verbose ?? false,
          ),
        );
      const reads = await readSource(source, analyser, fileOf, between, progress, options);
      analyser.end();
      const totals = sourceTotals(reads);
      const repeats = analyser.repeats();
      out.write(
        folder
          ? setSummary(source.label, reads, totals, repeats, firstFile, lastFile, style)
          : fileSummary({ file: source.label, ...totals, repeats }, style),
      );
      if (several && index < sources.length - 1) out.write('\n');
    }
    for (const input of source.inputs) if (input.damage) errors.push(input.damage);
  }
  if (format === 'json') out.write(several ? '\n]\n' : '\n');
  if (format === 'sysctl') out.write(sysctl.block(sources.flatMap((s) => s.inputs.map((i) => i.name))));
  // C1 and bidi controls as \uNNNN, as in --json (the messages are one line already)
  if (format === 'sarif') out.write(escapeJsonText(sarifLog(results, options.base ?? '.')));
  if (format === 'github') out.write(githubCommands(results, options.base ?? '.', reports));
  await out.end();
  return errors;
}
