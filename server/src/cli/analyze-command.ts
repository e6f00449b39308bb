// `klens analyze`: each input is read once through the core's incremental LogScanner; every report
// is analysed and printed as soon as the scanner completes it, so memory stays flat whatever the
// input's size. Stretches the core declares irrelevant (idle scanner, no anchor) are only counted.
import { availableParallelism } from 'node:os';
import type { Report } from '../core/model';
import { ReportSequence, type Analysed } from '../core/analyze';
import { escapeJsonText, visibleControls } from '../core/safe-text';
import type { Input } from './input';
import { eventJson, JsonFileWriter, repeatJson } from './json';
import type { Output } from './output';
import type { Progress } from './progress';
import { createScan, type ScanTotals } from './scan';
import { scanInWorker } from './scan-worker';
import { fileSummary, reportBlock, SysctlCollector, type Style } from './text';
import { githubCommands } from './github';
import { ResultCollector, type FailOnTracker } from './results';
import { sarifLog } from './sarif';

export type OutputFormat = 'text' | 'json' | 'sysctl' | 'sarif' | 'github';

export interface AnalyzeOptions {
  format: OutputFormat;
  style: Style;
  /** Indented JSON (for a terminal) rather than one line per event. */
  prettyJson: boolean;
  /** The CLI's entry module, which a scan worker runs. */
  workerEntry: string;
  /** Scan in a worker thread: for regular files of at least WORKER_MIN_BYTES on a multi-core machine. */
  worker: 'auto' | 'always' | 'never';
  /** Sees every report (repeats too), whatever the format: `--fail-on`. */
  failOn?: FailOnTracker;
  /** SARIF and GitHub paths are relative to it. */
  base?: string;
}

/** Below this a worker's start-up (~80 ms) and hand-over cost more than the second core saves.
 * Measured on two cores (bench/.data syslogs, best of 3, worker vs one thread): 32 MiB 0.29 vs
 * 0.25 s, 50 MiB 0.34 vs 0.32 s, 100 MiB 0.43 vs 0.43 s, 200 MiB 0.58 vs 0.67 s, 1 GiB 1.54 vs
 * 2.05 s. */
export const WORKER_MIN_BYTES = 96 << 20;

function useWorker(input: Input, mode: AnalyzeOptions['worker']): boolean {
  if (input.regularFd === null || mode === 'never') return false;
  if (mode === 'always') return true;
  return (input.size ?? 0) >= WORKER_MIN_BYTES && availableParallelism() > 1;
}

/** Scans one input (in this thread or a worker); `onReport` gets each report in order. */
export async function scanInput(
  input: Input,
  onReport: (report: Report, banner: string | null) => void,
  between: () => Promise<void>,
  progress: Progress,
  options: Pick<AnalyzeOptions, 'worker' | 'workerEntry'>,
): Promise<ScanTotals> {
  progress.start(visibleControls(input.name), input.size);
  try {
    if (useWorker(input, options.worker))
      return await scanInWorker(
        options.workerEntry,
        input.regularFd!,
        input.name,
        onReport,
        between,
        progress,
      );
    const scan = createScan(onReport);
    await input.pump(scan.feeder, (bytes) => {
      progress.advance(bytes);
      return between();
    });
    return scan.finish();
  } finally {
    progress.hide();
    await input.close().catch(() => undefined);
  }
}

export async function analyzeCommand(
  inputs: Input[],
  out: Output,
  progress: Progress,
  options: AnalyzeOptions,
): Promise<void> {
  const { format, style, prettyJson } = options;
  const between = (): Promise<void> => out.drained();
  const several = inputs.length > 1;
  const sysctl = new SysctlCollector();
  const results = new ResultCollector();
  let reports = 0;

  if (format === 'json' && several) out.write('[\n');
  for (const [index, input] of inputs.entries()) {
    const label = input.name;
    // the core's one reading of a log's reports (release fallback, repeats), as for the editor
    let emit: (item: Analysed) => void = () => undefined;
    const failOn = options.failOn;
    const analyser = new ReportSequence((item) => {
      failOn?.add(item);
      emit(item);
    });
    const push = (r: Report, banner: string | null): void => analyser.push(r, banner);
    if (format === 'json') {
      if (index > 0) out.write(',\n');
      // JSON.stringify leaves C1 and bidi controls raw: written as \uNNNN, for a terminal.
      const writer = new JsonFileWriter(
        (t) => out.write(escapeJsonText(t)),
        label,
        several ? '  ' : '',
        prettyJson,
      );
      emit = (item) => writer.event(eventJson(item));
      const totals = await scanInput(input, push, between, progress, options);
      analyser.end();
      writer.end({
        framing: totals.framing,
        lineCount: totals.lineCount,
        suppressed: totals.suppressed,
        ...(totals.quotedPrintableFrom === null
          ? {}
          : { quotedPrintableFromLine: totals.quotedPrintableFrom + 1 }),
        repeats: analyser.repeats().map(repeatJson),
      });
    } else if (format === 'sarif' || format === 'github') {
      emit = (item) => {
        reports++;
        results.add(label, item);
      };
      await scanInput(input, push, between, progress, options);
      analyser.end();
    } else if (format === 'sysctl') {
      emit = (item) => sysctl.add(label, item.report.line, item.analysis.sysctl, item.analysis.host);
      await scanInput(input, push, between, progress, options);
      analyser.end();
    } else {
      emit = (item) => out.write(reportBlock(label, item, style));
      const totals = await scanInput(input, push, between, progress, options);
      analyser.end();
      out.write(fileSummary({ file: label, ...totals, repeats: analyser.repeats() }, style));
      if (several && index < inputs.length - 1) out.write('\n');
    }
  }
  if (format === 'json') out.write(several ? '\n]\n' : '\n');
  if (format === 'sysctl') out.write(sysctl.block(inputs.map((i) => i.name)));
  // C1 and bidi controls as \uNNNN, as in --json (the messages are one line already)
  if (format === 'sarif') out.write(escapeJsonText(sarifLog(results, options.base ?? '.')));
  if (format === 'github') out.write(githubCommands(results, options.base ?? '.', reports));
  await out.end();
}
