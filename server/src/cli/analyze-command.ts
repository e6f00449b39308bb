// `klens analyze`: each input is read once through the core's incremental LogScanner; every report
// is analysed and printed as soon as the scanner completes it, so memory stays flat whatever the
// input's size. Stretches the core declares irrelevant (idle scanner, no anchor) are only counted.
import { ANCHOR_LOOKBEHIND_LINES, LogScanner, REPORT_ANCHORS } from '../core/parse';
import type { Framing, Report } from '../core/model';
import { StreamingAnalyser } from './analysis';
import { LineFeeder } from './feeder';
import type { Input } from './input';
import { eventJson, JsonFileWriter, repeatJson } from './json';
import type { Output } from './output';
import type { Progress } from './progress';
import { fileSummary, reportBlock, sysctlBlock, type Style, type SysctlSource } from './text';

export type OutputFormat = 'text' | 'json' | 'sysctl';

export interface ScanTotals {
  framing: Framing;
  lineCount: number;
  suppressed: number;
  reports: number;
}

/** Feeds one input to a fresh scanner; `onReport` gets each report in order. */
export async function scanInput(
  input: Input,
  onReport: (report: Report) => void,
  between: () => Promise<void>,
  progress: Progress,
): Promise<ScanTotals> {
  const scanner = new LogScanner();
  let reports = 0;
  const take = (done: Report[]): void => {
    for (let i = 0; i < done.length; i++) {
      reports++;
      onReport(done[i]);
    }
  };
  const feeder = new LineFeeder(
    {
      line(text) {
        const done = scanner.push(text);
        if (done.length > 0) take(done);
      },
      canSkip: () => scanner.idle,
      skip(count) {
        const done = scanner.skipLines(count);
        if (done.length > 0) take(done);
      },
    },
    { anchors: REPORT_ANCHORS, lookbehindLines: ANCHOR_LOOKBEHIND_LINES },
  );
  progress.start(input.name, input.size);
  try {
    await input.pump(feeder, (bytes) => {
      progress.advance(bytes);
      return between();
    });
  } finally {
    await input.close().catch(() => undefined);
  }
  feeder.end();
  take(scanner.end());
  progress.hide();
  let suppressed = 0;
  for (const s of scanner.suppressions) suppressed += s.count;
  return { framing: scanner.framing, lineCount: scanner.lineCount, suppressed, reports };
}

export async function analyzeCommand(
  inputs: Input[],
  format: OutputFormat,
  out: Output,
  style: Style,
  progress: Progress,
  prettyJson: boolean,
): Promise<void> {
  const between = (): Promise<void> => out.drained();
  const several = inputs.length > 1;
  const sysctlSources: SysctlSource[] = [];
  let reportCount = 0;

  if (format === 'json' && several) out.write('[\n');
  for (const [index, input] of inputs.entries()) {
    const label = input.name;
    const analyser = new StreamingAnalyser();
    if (format === 'json') {
      if (index > 0) out.write(',\n');
      const writer = new JsonFileWriter((t) => out.write(t), label, several ? '  ' : '', prettyJson);
      const totals = await scanInput(
        input,
        (r) => writer.event(eventJson(analyser.analyse(r))),
        between,
        progress,
      );
      writer.end({
        framing: totals.framing,
        lineCount: totals.lineCount,
        suppressed: totals.suppressed,
        repeats: analyser.repeats().map(repeatJson),
      });
    } else if (format === 'sysctl') {
      const totals = await scanInput(
        input,
        (r) => {
          for (const suggestion of analyser.analyse(r).analysis.sysctl)
            sysctlSources.push({ file: label, line: r.line, suggestion });
        },
        between,
        progress,
      );
      reportCount += totals.reports;
    } else {
      const totals = await scanInput(
        input,
        (r) => out.write(reportBlock(label, analyser.analyse(r), style)),
        between,
        progress,
      );
      out.write(fileSummary({ file: label, ...totals, repeats: analyser.repeats() }, style));
      if (several && index < inputs.length - 1) out.write('\n');
    }
  }
  if (format === 'json') out.write(several ? '\n]\n' : '\n');
  if (format === 'sysctl')
    out.write(
      sysctlBlock(
        sysctlSources,
        reportCount,
        inputs.map((i) => i.name),
      ),
    );
  await out.end();
}
