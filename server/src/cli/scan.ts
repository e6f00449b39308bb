// One input's scan: the core's LogScanner fed by the LineFeeder, which skips the stretches the
// scanner declares irrelevant (idle, no READER_ANCHORS) and only counts them. Used in the main
// thread and in the scan worker alike.
import {
  ANCHOR_LOOKBEHIND_LINES,
  LogScanner,
  READER_ANCHORS,
  READING_START_MAX_LINES,
  type ScanResume,
} from '../core/parse';
import { dominantFraming, readsAlone } from '../core/lines';
import type { Framing, Report, Suppression } from '../core/model';
import type { WriterFactory } from '../core/report-builder';
import type { CopyBlock, ReportCopy } from '../core/repeat-run';
import { LineFeeder, type LineSink } from './feeder';

export { READING_START_MAX_LINES };

export interface ScanTotals {
  framing: Framing;
  lineCount: number;
  /** Reports the kernel's rate limiters dropped (`N callbacks suppressed`), summed. */
  suppressed: number;
  reports: number;
  /** Physical line (0-based) from which the input was read as a quoted-printable mail body, or null. */
  quotedPrintableFrom: number | null;
  /** The rate limiters' lines, for the editor's document-level findings (the language server's
   * reading from disk, disk-analysis.ts). */
  suppressions: Suppression[];
}

export interface Scan {
  feeder: LineFeeder;
  /** End of input: the last reports, then the totals. */
  finish(): ScanTotals;
  /** No line came for a while (`--follow`): the reports still open are complete as they are (as
   * at the end of input), and reading goes on. */
  quiet(): void;
  /** Rate-limited reports counted since the last call (the scanner forgets them: a reader that
   * runs for days keeps no list). */
  takeSuppressed(): number;
  /** The lines read per framing so far (to merge with a reading that took over: `mergedTotals`). */
  framingCounts(): ReadonlyMap<Framing, number>;
  /**
   * Called from `onSkip` (a stretch about to be skipped, its first line the next): what a fresh
   * scan needs to read on from that line as this one would (createScan's `resume`), or null when
   * it cannot: the scanner carries a rate limiter's count into the stretch, or reads a
   * quoted-printable body. A skipped stretch begins where the scanner is idle and the next anchor
   * lies more than ANCHOR_LOOKBEHIND_LINES lines on, so nothing it remembers from before reaches a
   * later report (the rule by which the editor reads an edited window again, core/report-window.ts).
   */
  resumePoint(): ResumePoint | null;
}

/** Where a scan can be taken over (Scan.resumePoint), and what it had read before it. */
export interface ResumePoint extends ScanResume {
  /** Lines read per framing, reports handed out and rate limiters' lines, before it. */
  framings: ReadonlyMap<Framing, number>;
  reports: number;
  suppressions: Suppression[];
}

/** The totals of a scan taken over at `point` by `rest` (a fresh scan resumed there). */
export function mergedTotals(
  point: ResumePoint,
  rest: ScanTotals,
  restFramings: ReadonlyMap<Framing, number>,
): ScanTotals {
  // (in the order one reading would have met each framing first: those before the point first)
  const framings = new Map(point.framings);
  for (const [f, n] of restFramings) framings.set(f, (framings.get(f) ?? 0) + n);
  let suppressed = rest.suppressed;
  for (const s of point.suppressions) suppressed += s.count;
  return {
    framing: dominantFraming(framings),
    lineCount: rest.lineCount,
    suppressed,
    reports: point.reports + rest.reports,
    quotedPrintableFrom: rest.quotedPrintableFrom,
    suppressions: [...point.suppressions, ...rest.suppressions],
  };
}

export interface ScanOptions<T> {
  /** Leave a flood's copies unmade, handing them to this (see createScan). */
  onCopies?: (block: CopyBlock<T>) => void;
  /** Read on from where another scan was taken over (its ResumePoint): lines are numbered from
   * there, and the banner release is carried in. */
  resume?: ScanResume;
  /** A stretch is about to be skipped, its first line beginning `at` bytes into the input. */
  onSkip?: (at: number) => void;
}

/**
 * `onReport` gets each report in order, as soon as the scanner completes it, with the release of
 * the `Linux version` boot banner seen so far (null when none). Reports are what `writers` makes
 * of their lines: Reports by default; the scan worker records them (report-record.ts).
 *
 * With `onCopies` (Reports only), the copies of a repeated stretch (core/repeat-run.ts) are left
 * unmade: `onCopies` gets those finished since the last report or block, as a block of their own
 * (RepeatRun `'stream'`), in their place among the reports; without it each copy's report is
 * made and goes to `onReport` with what it copies.
 */
export function createScan<T = Report>(
  onReport: (report: T, banner: string | null, copy: ReportCopy<T> | null) => void,
  writers?: WriterFactory<T>,
  { onCopies, resume, onSkip }: ScanOptions<T> = {},
): Scan {
  const scanner = new LogScanner<T>(writers, true, onCopies ? 'stream' : false);
  if (resume) scanner.resumeAt(resume);
  let reports = 0;
  const take = (done: T[]): void => {
    for (let i = 0; i < done.length; i++) {
      reports++;
      onReport(done[i], scanner.kernelRelease, scanner.takeCopyOf(done[i]));
    }
  };
  // the copies a call finished come before the reports it completed (RepeatRun.takeStreamed)
  const takeAll = onCopies
    ? (done: T[]): void => {
        const blocks = scanner.streamedCopies();
        if (blocks !== null)
          for (const block of blocks) {
            reports += block.count * block.out.length;
            onCopies(block);
          }
        if (done.length > 0) take(done);
      }
    : (done: T[]): void => {
        if (done.length > 0) take(done);
      };
  const sink: LineSink = {
    line(text) {
      takeAll(scanner.push(text));
    },
    canSkip: () => scanner.idle,
    skip(count, at) {
      onSkip?.(at);
      takeAll(scanner.skipLines(count));
    },
  };
  if (writers === undefined) {
    // a flood's copies (Reports only: the scan worker's recordings take none): their lines
    // compared in bulk (LogScanner.takeLines, as the editor's reading takes them), each finished
    // copy handed out as usual
    sink.takesLines = () => scanner.takingCopies;
    sink.takeLines = (text, from, limit) => {
      const at = scanner.takeLines(text, from, limit, Infinity, null);
      if (at !== from) takeAll(scanner.copiesTaken());
      return at;
    };
  }
  const feeder = new LineFeeder(sink, {
    anchors: READER_ANCHORS,
    lookbehindLines: ANCHOR_LOOKBEHIND_LINES,
    readsAlone: { test: readsAlone, maxLines: READING_START_MAX_LINES },
  });
  const takeSuppressed = (): number => {
    let suppressed = 0;
    for (const s of scanner.suppressions) suppressed += s.count;
    scanner.suppressions.length = 0;
    return suppressed;
  };
  return {
    feeder,
    framingCounts: () => scanner.framingCounts,
    resumePoint() {
      const carried = scanner.carried();
      if (carried.pendingSuppressed !== 0 || carried.pendingSuppressedBy !== null) return null;
      if (scanner.quotedPrintableFrom !== null) return null;
      return {
        line: scanner.lineCount,
        kernelRelease: scanner.kernelRelease,
        framings: new Map(scanner.framingCounts),
        reports,
        suppressions: [...scanner.suppressions],
      };
    },
    quiet() {
      takeAll(scanner.end());
    },
    takeSuppressed,
    finish() {
      feeder.end();
      takeAll(scanner.end());
      // (the list before takeSuppressed empties it: the editor's reading from disk makes its
      // rate-limiter findings of it, disk-analysis.ts)
      const suppressions = [...scanner.suppressions];
      return {
        framing: scanner.framing,
        lineCount: scanner.lineCount,
        suppressed: takeSuppressed(),
        reports,
        quotedPrintableFrom: scanner.quotedPrintableFrom,
        suppressions,
      };
    },
  };
}

/** Reports a head must hold for `isVerbatimFlood` to call it a flood (few: a flood of OOM reports
 * with long task lists is 16 in 1 MiB), and the pieces it is read in. */
const FLOOD_MIN_REPORTS = 16;
const FLOOD_PIECE_BYTES = 64 << 10;

/**
 * Whether `head` (the start of a file) is a verbatim flood: at least FLOOD_MIN_REPORTS reports,
 * most of them taken as copies of the stretch before them (core/repeat-run.ts: the same lines but
 * for their stamps). The CLI's scan worker records reports and takes no copies, so it would read
 * such a file line by line and the main thread would explain every copy; read in one thread, its
 * copies are taken. A flood whose dumps' numbers change is not taken as copies and stays with the
 * worker, which is faster there (bench/NOTES.md, session 12).
 */
export function isVerbatimFlood(head: Uint8Array): boolean {
  let reports = 0;
  let copies = 0;
  const scan = createScan((_report, _banner, copy) => {
    reports++;
    if (copy !== null) copies++;
  });
  // a piece at a time, to stop once FLOOD_MIN_REPORTS have come (a flood's head is all reports)
  for (let at = 0; at < head.length && reports < FLOOD_MIN_REPORTS; at += FLOOD_PIECE_BYTES)
    scan.feeder.write(head.subarray(at, at + FLOOD_PIECE_BYTES));
  if (reports < FLOOD_MIN_REPORTS) scan.finish();
  return reports >= FLOOD_MIN_REPORTS && 2 * copies >= reports;
}
