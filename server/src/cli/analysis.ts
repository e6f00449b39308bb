// The one place the CLI asks the core's kernel knowledge about a report (explainReport), as each
// report completes. Repeats are recognised on the fly with the core's own repeatKey, so the
// output can stream: a report is compared with the ones before it, never with the ones after.
import type { Report } from '../core/model';
import type { ReportAnalysis } from '../core/analysis-types';
import { explainReport, parseLogTime, ReleaseFallback, repeatKey } from '../core/analyze';

export interface Analysed {
  report: Report;
  analysis: ReportAnalysis;
  /** 1 for the first report of its kind of repeat, 2 for the next identical one, … */
  occurrence: number;
  /** The first identical report (0-based index and header line), null for a first. */
  first: { index: number; line: number } | null;
}

/** Identical reports (same kind, order, mode, host and call chain: the core's repeatKey). */
export interface RepeatGroup {
  index: number;
  /** Header line of the first report, 0-based. */
  line: number;
  headline: string;
  count: number;
  /** Reports the kernel's rate limiter dropped before the members. */
  suppressed: number;
  firstTime: string | null;
  lastTime: string | null;
  lastLine: number;
}

export class StreamingAnalyser {
  private count = 0;
  private readonly groups = new Map<string, RepeatGroup>();
  /** Releases of the reports seen so far (a streaming reader cannot look ahead). */
  private readonly releases = new ReleaseFallback();

  /** `banner`: the release of the `Linux version` boot banner seen so far in the log, if any. */
  analyse(report: Report, banner: string | null = null): Analysed {
    const index = this.count++;
    this.releases.note(report);
    const options = this.releases.optionsFor(report, banner);
    const analysis = explainReport(report, index, options);
    const key = repeatKey(report, analysis);
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, {
        index,
        line: report.line,
        headline: analysis.headline,
        count: 1,
        suppressed: report.suppressedBefore,
        firstTime: report.time,
        lastTime: report.time,
        lastLine: report.line,
      });
      return { report, analysis, occurrence: 1, first: null };
    }
    group.count++;
    group.suppressed += report.suppressedBefore;
    group.lastTime = report.time;
    group.lastLine = report.line;
    analysis.repeat = { ...analysis.repeat, duplicateOf: group.index };
    return { report, analysis, occurrence: group.count, first: { index: group.index, line: group.line } };
  }

  /** Groups with more than one report, most frequent first. */
  repeats(): RepeatGroup[] {
    return [...this.groups.values()]
      .filter((g) => g.count > 1)
      .sort((a, b) => b.count - a.count || a.index - b.index);
  }
}

/** Seconds from the first to the last report of a group, when both times are readable. */
export function spanSeconds(group: RepeatGroup): number | null {
  const first = parseLogTime(group.firstTime);
  const last = parseLogTime(group.lastTime);
  return first !== null && last !== null && last >= first ? Math.round((last - first) * 1e6) / 1e6 : null;
}
