// Entry point of the kernel knowledge: a parsed log (or text) in, an Analysis out — one
// ReportAnalysis per parsed report, in the same order, with repeated identical reports grouped
// (the first of a group carries the count and time span, the others point back to it).

import type { CopyPlace, ParsedLog, Report } from './model';
import type { Analysis, Finding, RepeatAnalysis, ReportAnalysis } from './analysis-types';
import type { ViewEntry } from './report-view-model';
import { TextScan, type SkipState, type TextScanOptions } from './parse';
import { copyAt, copyDelta, type CopyBlock, type ReportCopy as RunCopy } from './repeat-run';
import { movedObject } from './line-move';

/** What a report handed out as a copy of an earlier one copies (repeat-run.ts). */
export type ReportCopy = RunCopy<Report>;
import { explainReport, type ExplainOptions } from './explain';
import {
  analysisStoppedFinding,
  quotedPrintableFinding,
  suppressionFinding,
  unreadableFinding,
} from './findings';
import { COUNT, readInt } from './numbers';
import { contentKey, CopySources, RepeatTemplates, type RepeatTemplate } from './repeat-rebase';

export type AnalyzeOptions = ExplainOptions;
export type { SystemState, SystemFiles } from './system-state';
export { systemStateFrom, systemStateText } from './system-state';

export { explainReport } from './explain';
export { renderReportText } from './render-text';

export function analyzeText(text: string, options: AnalyzeOptions = {}): Analysis {
  const job = new LogAnalysisJob(text, options);
  job.run(() => false);
  return job.result().analysis;
}

export function analyzeLog(parsed: ParsedLog, options: AnalyzeOptions = {}): Analysis {
  const job = new LogAnalysisJob(parsed, options);
  job.run(() => false);
  return job.result().analysis;
}

/** Where an analysis stopped before the end of its text (its time budget ran out). */
export interface AnalysisStop {
  /** 0-based line from which nothing is analysed. */
  line: number;
  /** Reports analysed (all before `line`). */
  reports: number;
}

/** Reports explained between two calls of `pause`. */
const PAUSE_CHECK_REPORTS = 16;
/** Most copies' reports of a block pushed between two calls of `pause` (each costs well under a
 * microsecond left unmade: a slice is about a millisecond). */
const BLOCK_SLICE_REPORTS = 4096;

/**
 * A text's (or a parsed log's) analysis done in steps, so that a caller can yield between them and
 * stop at a time budget: first the reading (TextScan), then one explanation per report. `run`
 * works until everything is done (true) or `pause()` asks to yield (false); `stop` ends the job
 * where it is, and `result` then covers exactly the reports analysed before the stop line: what
 * is after it is left out whole, never half-read (the stop finding says from where).
 */
export class LogAnalysisJob {
  private scan: TextScan | null;
  private parsed: ParsedLog | null;
  private readonly explained: ReportAnalysis[] = [];
  /** The release each explained report was explained with (ReportSequence's fallback), in order. */
  private readonly releases: ExplainOptions[] = [];
  private readonly sequence: ReportSequence;
  private stoppedAt: AnalysisStop | null = null;
  private finished = false;
  private done_: ReturnType<LogAnalysisJob['result']> | null = null;
  /** The entries that are copies left unmade, as runs (with `copyBlocks`). */
  private readonly copyRuns: CopyRun[] = [];
  /** With the reading's `lineStarts`, once the whole text was read: where each of its lines begins
   * (TextScan.lineStarts), else null. */
  private readStarts: Int32Array | null = null;
  /** TextScan's skipped stretches once the whole text was read (null: not read from text, or stopped). */
  private skipped: readonly number[] | null = null;
  /** What the scanner carried into each of them (TextScan.skipStates). */
  private skipStates: readonly SkipState[] | null = null;
  /** With copy blocks: every report in order, read or copied (a copy made when asked), and the
   * reports explained (those read, and copies that could not be left unmade), in order. */
  private readonly entries: (ExplainedReport | CopiedReport)[] | null;
  private readonly explainedReports: Report[] = [];
  /** The next report of `parsed.reports` and the next of its blocks to push. */
  private nextReport = 0;
  private nextBlock = 0;
  /** Copies' reports of blocks[nextBlock] pushed so far (a block is pushed in slices), and how
   * many the next slice holds. */
  private blockOffset = 0;
  private blockSlice = PAUSE_CHECK_REPORTS;

  constructor(
    input: string | ParsedLog,
    private readonly options: AnalyzeOptions = {},
    /** How a text is read (TextScan). With `copyBlocks` its repeated stretches' copies are left
     * unmade: the result's `entries` then hold them, each made when asked (the editor's reading). */
    reading: TextScanOptions = {},
  ) {
    this.entries = reading.copyBlocks ? [] : null;
    this.scan = typeof input === 'string' ? new TextScan(input, true, undefined, reading) : null;
    this.parsed = typeof input === 'string' ? null : input;
    this.sequence = new ReportSequence(
      (item) => {
        this.explained.push(item.analysis);
        this.releases.push(item.release);
        const entries = this.entries;
        if (entries === null) return;
        this.explainedReports.push(item.report);
        entries.push({ index: entries.length, report: item.report, analysis: item.analysis });
      },
      options,
      UNBOUNDED,
      true,
      null,
      (copied) => {
        const entries = this.entries!;
        const run = this.copyRuns.at(-1);
        if (run?.to === entries.length && run.block === copied.block) run.to++;
        else this.copyRuns.push({ from: entries.length, to: entries.length + 1, block: copied.block });
        entries.push(copied);
      },
    );
  }

  get done(): boolean {
    return this.finished;
  }

  /** Where each line of the text begins, when the reading was asked to write it down
   * (TextScanOptions `lineStarts`) and read the whole text; else null. */
  get lineStarts(): Int32Array | null {
    return this.readStarts;
  }

  run(pause: () => boolean): boolean {
    if (this.finished) return true;
    if (this.scan) {
      if (!this.scan.run(pause)) return false;
      this.parsed = this.scan.finish();
      this.skipped = this.scan.skipped;
      this.skipStates = this.scan.skipStates;
      this.readStarts = this.scan.lineStarts();
      this.scan = null;
    }
    const parsed = this.parsed!;
    const blocks = parsed.blocks ?? [];
    let sinceCheck = 0;
    for (; this.nextReport <= parsed.reports.length; this.nextReport++) {
      const i = this.nextReport;
      // the copy blocks that stand before this report (each is explained in slices by its copies)
      while (this.nextBlock < blocks.length && blocks[this.nextBlock].at === i) {
        const place = blocks[this.nextBlock];
        // in slices, so that a flood of millions of copies still yields and stops at its budget
        // (a pause only after a slice: each call makes progress). A slice grows while its copies
        // are left unmade (well under a microsecond each) and falls back to PAUSE_CHECK_REPORTS
        // when they had to be explained (a release learnt meanwhile: each is a full explanation)
        while (this.blockOffset < place.reports) {
          const n = Math.min(this.blockSlice, place.reports - this.blockOffset);
          const made = this.sequence.pushBlock({ ...place, from: place.from + this.blockOffset, reports: n });
          this.blockSlice =
            made > 0 ? PAUSE_CHECK_REPORTS : Math.min(BLOCK_SLICE_REPORTS, this.blockSlice * 2);
          this.blockOffset += n;
          if (this.blockOffset < place.reports && pause()) return false;
        }
        this.nextBlock++;
        this.blockOffset = 0;
      }
      if (i === parsed.reports.length) break;
      if (++sinceCheck === PAUSE_CHECK_REPORTS) {
        sinceCheck = 0;
        if (pause()) return false;
      }
      const r = parsed.reports[i];
      this.sequence.push(
        r,
        parsed.banners ? (parsed.banners[i] ?? null) : parsed.kernelRelease,
        parsed.copies?.[i] ?? null,
      );
    }
    this.sequence.end();
    this.finished = true;
    return true;
  }

  /** Still reading the text (the first step); the explanations come after. */
  get reading(): boolean {
    return this.scan !== null;
  }

  /**
   * Stops reading the text where it is; the reports read so far are still explained by `run`.
   * Reports still open at that point are left out whole (finish(true)), and so are reports
   * beginning after the first of them, so that everything before the stop line is analysed and
   * nothing after it is.
   */
  stopReading(): void {
    const scan = this.scan;
    if (!scan) return;
    const parsed = scan.finish(true);
    this.scan = null;
    const from = Math.min(scan.cutFrom ?? scan.linesRead, scan.linesRead);
    const reports = parsed.reports.filter((r) => r.line < from);
    const blocks = (parsed.blocks ?? [])
      .filter((b) => b.at <= reports.length)
      .map((b) => ({ ...b, reports: copiesBefore(b, from) }))
      .filter((b) => b.reports > 0);
    this.parsed = { ...parsed, reports, ...(parsed.blocks ? { blocks } : {}) };
    this.stoppedAt = { line: from, reports: reports.length + blocks.reduce((n, b) => n + b.reports, 0) };
  }

  /** Ends the job where it is: the result holds the reports analysed so far. */
  stop(): void {
    if (this.finished) return;
    this.stopReading();
    // the reports taken so far are explained, those held back for a release with what is known
    this.sequence.end();
    const parsed = this.parsed!;
    // what was pushed is explained now: the reports (and blocks) not pushed yet are left out
    const n = this.nextReport;
    const blocks = parsed.blocks ?? [];
    const place = blocks[this.nextBlock] as CopyPlace | undefined;
    if (n < parsed.reports.length || place) {
      // the first copy not pushed when a block was being pushed here, else the next report
      const line =
        place && place.at === n
          ? copyLine(place.block, place.from + this.blockOffset)
          : parsed.reports[n].line;
      const pushed = blocks.slice(0, this.nextBlock);
      if (place && this.blockOffset > 0) pushed.push({ ...place, reports: this.blockOffset });
      this.parsed = {
        ...parsed,
        reports: parsed.reports.slice(0, n),
        ...(parsed.blocks ? { blocks: pushed } : {}),
        suppressions: parsed.suppressions.filter((s) => s.line < line),
      };
      this.stoppedAt = { line, reports: this.sequence.pushed };
    }
    this.finished = true;
  }

  /** The parsed log and its analysis (call when `run` returned true, or after `stop`). */
  result(): {
    parsed: ParsedLog;
    analysis: Analysis;
    stoppedAt: AnalysisStop | null;
    /** The stretches the reading passed over (TextScan.skipped), null when stopped or not read from text. */
    skipped: readonly number[] | null;
    /** What the reading carried into each of them and to its end (TextScan.skipStates), null with them. */
    skipStates: readonly SkipState[] | null;
    /** The release each report was explained with, in order. */
    releases: readonly ExplainOptions[];
    /** With `copyBlocks`: every report in order, each copy left unmade made when asked (the
     * others are `parsed.reports` with their analyses); null without. */
    entries: readonly (ExplainedReport | CopiedReport)[] | null;
    /** Where `entries` holds copies left unmade (every CopiedReport is in one run), in order. */
    copyRuns: readonly CopyRun[];
  } {
    if (this.done_) return this.done_;
    // which reports were copies served their explanation only (an edited document moves reports)
    const parsed = { ...this.parsed! };
    delete parsed.copies;
    const blocks = (parsed.blocks?.length ?? 0) > 0;
    if (blocks) {
      // the reports explained, aligned with their analyses (the entries hold the copies); the
      // banners and blocks were for the reading (an edited document with blocks is moved or read
      // again whole, never read in a window, features/document.ts)
      parsed.reports = this.explainedReports;
      delete parsed.banners;
    }
    delete parsed.blocks;
    const reports = this.explained;
    const findings = logFindings(parsed, this.stoppedAt);
    const skipped = this.stoppedAt ? null : this.skipped;
    this.done_ = {
      parsed,
      analysis: { reports, findings },
      stoppedAt: this.stoppedAt,
      skipped,
      skipStates: skipped && this.skipStates,
      releases: this.releases.slice(0, reports.length),
      entries: this.entries,
      copyRuns: this.copyRuns,
    };
    return this.done_;
  }
}

/**
 * The log's own findings, beside its reports': where it was read as a quoted-printable body, each
 * rate-limiter line (a line right before a report is also counted by that report,
 * suppressedBefore), and where the analysis stopped. Shared by the editor's analysis of a document
 * and the language server's reading of a file from disk.
 */
export function logFindings(
  parsed: Pick<ParsedLog, 'quotedPrintableFrom' | 'suppressions'>,
  stoppedAt: AnalysisStop | null,
): Finding[] {
  const findings: Finding[] = [];
  if (parsed.quotedPrintableFrom !== undefined)
    findings.push(quotedPrintableFinding(parsed.quotedPrintableFrom));
  for (const s of parsed.suppressions) {
    findings.push(suppressionFinding(s));
    if (s.unreadable) findings.push(unreadableFinding(s.unreadable));
  }
  if (stoppedAt) findings.push(analysisStoppedFinding(stoppedAt.line, stoppedAt.reports));
  return findings;
}

/** Reports a release fallback may hold back waiting for its host's release (ReportSequence). */
export const RELEASE_LOOKAHEAD_REPORTS = 256;

/** Bounds on what a ReportSequence remembers (see its constructor). */
export interface SequenceLimits {
  /** Repeat groups, and hosts whose release is known. */
  groups: number;
  /** Header lines kept per repeat group (`RepeatAnalysis.lines`); the count stays exact. */
  linesPerGroup: number;
}

export const UNBOUNDED: SequenceLimits = { groups: Infinity, linesPerGroup: Infinity };

/** An explained report as it leaves a ReportSequence, with its place among identical reports. */
export interface Analysed {
  report: Report;
  analysis: ReportAnalysis;
  /** 1 for the first report of its kind of repeat, 2 for the next identical one, … */
  occurrence: number;
  /** The first identical report (0-based index and header line), null for a first. */
  first: { index: number; line: number } | null;
  /** The release it was explained with (the document's setting, or the fallback below). */
  release: ExplainOptions;
}

/**
 * A copy a reading left unmade (CopiedReport), as it leaves a ReportSequence for a reader of
 * Analysed items (the CLI, which streams a flood's copies as blocks): its report and analysis
 * are made only when read. What a reader needs of a repeat, its header line, stamp and what does
 * not depend on place or time, comes without making it (`analysedLine`, `analysedTime`,
 * `analysedContent`): a flood's hundred thousand copies cost a few objects each, not a report
 * moved and an analysis moved each (issue #17).
 */
export class AnalysedCopy implements Analysed {
  constructor(
    readonly copy: CopiedReport,
    readonly occurrence: number,
  ) {}

  get report(): Report {
    return this.copy.report;
  }

  get analysis(): ReportAnalysis {
    return this.copy.analysis;
  }

  get first(): { index: number; line: number } {
    return { index: this.copy.duplicateOf, line: this.copy.firstLine };
  }

  get release(): ExplainOptions {
    return this.copy.release;
  }
}

/** An item's header line (0-based), without making a copy left unmade. */
export function analysedLine(item: Analysed): number {
  return item instanceof AnalysedCopy ? item.copy.line : item.report.line;
}

/** An item's stamp as its framing printed it, without making a copy left unmade. */
export function analysedTime(item: Analysed): string | null {
  return item instanceof AnalysedCopy ? item.copy.time : item.report.time;
}

/** What an item's analysis says that does not depend on its place or time (kind, host, verdict,
 * findings and their severities, suggestions), without making a copy left unmade: for a copy, the
 * analysis of the report its content was explained as (CopiedReport.contentAnalysis). */
export function analysedContent(item: Analysed): ReportAnalysis {
  return item instanceof AnalysedCopy ? item.copy.contentAnalysis : item.analysis;
}

/** An analysis a caller already has for `report` at `index` under `release` (a reading of an
 * edited document keeps those of the reports it did not read again, report-window.ts), with
 * `repeat` as a single report's; null: explain it. */
export type ReuseAnalysis = (report: Report, index: number, release: ExplainOptions) => ReportAnalysis | null;

/** Identical reports (same kind, order, mode, host and call chain: repeatKey). */
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
  /** Seconds from the first to the last report, when both times are readable. */
  spanSeconds: number | null;
}

/**
 * The one reading of a log's reports in order, for the CLI (streaming) and the editor (a whole
 * document) alike: each report is explained with its release, then grouped with identical ones.
 *
 * Release fallback: a report without a task line (header-only pastes, rate-limited repeats) takes
 * the release of the first report of the same host that prints one, else the `Linux version`
 * boot banner seen so far. A report whose host's release is not known yet is held back (and every
 * report after it, so the order stays) until that release appears, `RELEASE_LOOKAHEAD_REPORTS`
 * more reports arrive, or the log ends: then it is explained with what is known.
 *
 * Repeats: the first report of a group carries a `repeat` that grows as members arrive (count,
 * suppressed, last time, lines; the time span after `end`); each later one points back to it
 * (`duplicateOf`).
 */
export class ReportSequence {
  private readonly held: (HeldReport | HeldBlock)[] = [];
  /** Reports held (a block counts its copies' reports not yet explained). */
  private heldReports = 0;
  /** Calls of drain so far (what a held block worked out holds for one call). */
  private drains = 0;
  /** Copies of blocks that had to be made and explained (pushBlock's answer). */
  private copiesMade = 0;
  /** Where the held reports begin in `held` (those before it are explained): a flood of reports
   * without a release moves the window by one report per report, and shifting the array each
   * time was a copy of the whole window per report (issue #17). */
  private heldFrom = 0;
  private readonly byHost = new Map<string, string>();
  private readonly groups = new Map<
    string,
    { group: RepeatGroup; repeat: RepeatAnalysis; firstT: number | null }
  >();
  private banner: string | null = null;
  private count = 0;
  /** The reports explained last, in a row, whose analysis was moved from an earlier report of the
   * same content (a copy's, or a template's): a verbatim flood (`movedInARow`). */
  private moved = 0;
  /** First reports by content, for explaining a repeat once (repeat-rebase.ts); null: off. */
  private readonly templates: RepeatTemplates | null;
  /** The reports a copy of a repeated stretch may copy (repeat-rebase.ts); null: off. */
  private readonly sources: CopySources | null;

  constructor(
    private readonly emit: (item: Analysed) => void,
    private readonly options: AnalyzeOptions = {},
    /** What a reader that runs for days keeps (`klens analyze --follow`): the most recently seen
     * repeat groups and hosts, and the first lines of a group. Unbounded for a document or a file. */
    private readonly limits: SequenceLimits = UNBOUNDED,
    /** Move the first identical report's explanation onto a repeat rather than explain it again
     * (the same analysis; off only to test exactly that). */
    reuseExplanations = true,
    /** Analyses the caller already has (an edited document's reports outside the window read again). */
    private readonly reuse: ReuseAnalysis | null = null,
    /** Where the copies of a block (pushBlock) go that are left unmade: each is counted in its
     * group as its explanation would be, and made only when asked (CopiedReport); `occurrence`
     * is which member of its group it is (Analysed's). */
    private readonly emitCopy: ((copy: CopiedReport, occurrence: number) => void) | null = null,
  ) {
    this.templates = reuseExplanations ? new RepeatTemplates() : null;
    this.sources = reuseExplanations ? new CopySources() : null;
  }

  /** Explains every held report now with what is known (a follow reader that cannot wait for a
   * later report's release). */
  flush(): void {
    this.drain(true);
  }

  /** Reports taken so far (explained or held). */
  get pushed(): number {
    return this.count;
  }

  /**
   * A report that a reading of the same lines gave before and that was pushed then (the CLI's
   * reading taken over from its scan worker reads a little again): not explained or counted again,
   * but known, as the report it repeats is, as the source of the copies a run may take of it
   * (CopySources), so that they move its analysis rather than each be made and explained.
   */
  pushedBefore(report: Report): void {
    const options = this.releaseFor(report);
    const content = this.templates !== null && contentKey(report, options);
    const template = content ? this.templates!.get(content) : undefined;
    if (template?.repeatKey !== undefined)
      this.sources?.remember(report, template, options, template.repeatKey);
  }

  /** How many of the reports explained last, in a row, repeat an earlier one's content (their
   * analysis moved, not made: the CLI's sign of a verbatim flood, analyze-command.ts). */
  get movedInARow(): number {
    return this.moved;
  }

  /** The next report in log order, with the banner release seen when it completed, and what it
   * copies when the reading took it as a copy of an earlier one (repeat-run.ts). */
  push(report: Report, banner: string | null, copy: ReportCopy | null = null): void {
    this.banner = banner;
    const host = report.host ?? '';
    if (report.kernel && !this.byHost.has(host)) {
      this.byHost.set(host, report.kernel);
      if (this.byHost.size > this.limits.groups) this.byHost.delete(this.byHost.keys().next().value!);
    }
    this.held.push({ report, index: this.count++, copy });
    this.heldReports++;
    this.drain(false);
  }

  /**
   * The copies of a repeated stretch the reading left unmade (TextScan `copyBlocks`), in log
   * order after the report pushed last. Each copy's report is explained as a copy would be
   * (released, held and grouped alike); one that can move its source's analysis without a
   * comparison (CopySources) goes out unmade, to `emitCopy`, and the others are made here.
   * Returns how many copies (of this block or one held before it) had to be made. `banner`: the
   * release of a `Linux version` banner line seen before them (the block's own, or in a rotated
   * set an older file's, as `push` takes it).
   */
  pushBlock(place: CopyPlace, banner: string | null = place.block.banner): number {
    const made = this.copiesMade;
    this.banner = banner;
    this.held.push({ place, next: place.from, index: this.count, made: null, origins: [], originsAt: -1 });
    this.count += place.reports;
    this.heldReports += place.reports;
    this.drain(false);
    return this.copiesMade - made;
  }

  /** The log ended: what is held is explained with what is known, and the groups' time spans
   * are worked out (once per group, not per member). */
  end(): void {
    this.drain(true);
    for (const { group, repeat, firstT } of this.groups.values())
      if (group.count > 1)
        group.spanSeconds = repeat.spanSeconds = span(firstT, parseLogTime(repeat.lastTime));
  }

  /** Groups with more than one report, most frequent first. */
  repeats(): RepeatGroup[] {
    const out: RepeatGroup[] = [];
    for (const g of this.groups.values()) if (g.group.count > 1) out.push(g.group);
    return out.sort((a, b) => b.count - a.count || a.index - b.index);
  }

  /** Whether a report must wait for its host's release (see the class comment). */
  private waits(report: Report, all: boolean): boolean {
    return (
      !all &&
      this.heldReports <= RELEASE_LOOKAHEAD_REPORTS &&
      !this.options.kernelRelease &&
      !report.kernel &&
      !this.byHost.has(report.host ?? '')
    );
  }

  private drain(all: boolean): void {
    this.drains++;
    const held = this.held;
    let n = this.heldFrom;
    while (n < held.length) {
      const entry = held[n];
      if ('place' in entry) {
        // a block: its copies' reports one by one, as if each had been pushed
        const { block } = entry.place;
        const end = entry.place.from + entry.place.reports;
        while (entry.next < end) {
          const part = entry.next % block.out.length;
          if (this.waits(block.out[part], all)) break;
          const taken = block.out.length === 1 ? this.copiesAtOnce(entry, end, all) : 0;
          if (taken > 0) {
            this.heldReports -= taken;
            continue;
          }
          this.explainCopy(entry, part);
          this.heldReports--;
        }
        if (entry.next < end) break;
        n++;
        continue;
      }
      if (this.waits(entry.report, all)) break;
      this.explain(entry.report, entry.index, entry.copy);
      this.heldReports--;
      n++;
    }
    if (n === held.length) {
      held.length = 0;
      n = 0;
    } else if (n >= 1024 && n * 2 >= held.length) {
      held.splice(0, n);
      n = 0;
    }
    this.heldFrom = n;
  }

  private releaseFor(r: Report): AnalyzeOptions {
    if (this.options.kernelRelease) return this.options;
    // the system's known values (a bundle's sysctl) go with every report, whatever its release
    const system = this.options.system ? { system: this.options.system } : {};
    if (r.kernel) return system;
    const sibling = this.byHost.get(r.host ?? '');
    if (sibling)
      return {
        ...system,
        kernelRelease: sibling,
        kernelReleaseSource: `from another report${r.host ? ` of ${r.host}` : ''} in this log`,
      };
    if (this.banner)
      return {
        ...system,
        kernelRelease: this.banner,
        kernelReleaseSource: 'from the Linux version banner in this log',
      };
    return system;
  }

  /** The next copy's report of a held block: left unmade when its source's analysis moves onto
   * it (the source explained last under the same release, in a group still known), else made and
   * explained as any copy. */
  private explainCopy(entry: HeldBlock, part: number): void {
    const { block } = entry.place;
    const copy = Math.floor(entry.next / block.out.length);
    const index = entry.index + entry.next - entry.place.from;
    entry.next++;
    const source = block.out[part];
    // what a copy of this report moves from is the same for every copy of one drain (the
    // releases and groups change only when a report is pushed), unless groups are evicted
    if (entry.originsAt !== this.drains || this.limits.groups !== Infinity) {
      entry.origins = [];
      entry.originsAt = this.drains;
    }
    let origin = entry.origins[part];
    if (origin === undefined) origin = entry.origins[part] = this.originOf(source, block, part);
    if (origin === null) {
      this.copiesMade++;
      if (entry.made?.copy !== copy) entry.made = { copy, reports: copyAt(block, copy) };
      this.explain(entry.made.reports[part], index, { of: source, lines: copyDelta(block, copy) });
      return;
    }
    const time = copyTime(origin, copy);
    const line = copyLine(block, entry.next - 1);
    const known = origin.group;
    if (this.limits.groups !== Infinity) {
      this.groups.delete(origin.key);
      this.groups.set(origin.key, known);
    }
    const { group, repeat } = known;
    repeat.count = ++group.count;
    group.suppressed += source.suppressedBefore;
    repeat.suppressed = group.suppressed;
    group.lastTime = repeat.lastTime = time;
    group.lastLine = line;
    if (repeat.lines.length < this.limits.linesPerGroup) repeat.lines.push(line);
    this.emitCopy!(new CopiedReport(index, copy, origin), group.count);
  }

  /**
   * The next copies of a held block of one report a copy (the next at least, which does not
   * wait), as `explainCopy` would take them one by one — as many as come before one that would
   * wait (`waits`: fewer reports held than the lookahead) — left unmade at once: the group's
   * count, rate-limited lines, last time and line updated once, not per copy (a flood's hundred
   * thousand copies, issue #17). 0 when they cannot be left unmade (`explainCopy` then makes the
   * next), or when groups are evicted (each copy then refreshes its group's place).
   */
  private copiesAtOnce(entry: HeldBlock, end: number, all: boolean): number {
    const { block } = entry.place;
    const source = block.out[0];
    if (this.limits.groups !== Infinity) return 0;
    const waitsFor =
      !all && !this.options.kernelRelease && !source.kernel && !this.byHost.has(source.host ?? '');
    const n = waitsFor
      ? Math.min(end - entry.next, this.heldReports - RELEASE_LOOKAHEAD_REPORTS)
      : end - entry.next;
    if (n <= 0) return 0;
    if (entry.originsAt !== this.drains) {
      entry.origins = [];
      entry.originsAt = this.drains;
    }
    let origin = entry.origins[0];
    if (origin === undefined) origin = entry.origins[0] = this.originOf(source, block, 0);
    if (origin === null) return 0;
    const { group, repeat } = origin.group;
    const lines = repeat.lines;
    const room = this.limits.linesPerGroup;
    const firstIndex = entry.index - entry.place.from;
    // (one report a copy: copy c is the block's c-th report, copyDelta(c) lines after its source)
    const line0 = source.line + copyDelta(block, 0);
    const emit = this.emitCopy!;
    // which member of its group each is: the count before them, plus its place among them
    const occurrence0 = group.count + 1 - entry.next;
    for (let c = entry.next; c < entry.next + n; c++) {
      if (lines.length < room) lines.push(line0 + c * block.period);
      emit(new CopiedReport(firstIndex + c, c, origin), occurrence0 + c);
    }
    const last = entry.next + n - 1;
    entry.next += n;
    repeat.count = group.count += n;
    group.suppressed += n * source.suppressedBefore;
    repeat.suppressed = group.suppressed;
    group.lastTime = repeat.lastTime = copyTime(origin, last);
    group.lastLine = line0 + last * block.period;
    return n;
  }

  /** What copies of `source` (part `part` of `block`'s copies) move from, or null when they must
   * be made and explained: its source not among the last explained under the release a copy gets,
   * its group gone, or an analysis that cannot move without a comparison. */
  private originOf(source: Report, block: CopyBlock<Report>, part: number): CopyOrigin | null {
    const release = this.releaseFor(source);
    const from = this.emitCopy ? this.sources?.sourceOf(source, release) : null;
    const group = from ? this.groups.get(from.key) : undefined;
    if (!from || !group || !from.template.movesCopies()) return null;
    return {
      block,
      part,
      template: from.template,
      release,
      key: from.key,
      group,
      groupLines: group.repeat.lines,
      timedPart: block.timed.indexOf(source as unknown as Record<string, unknown>),
      shift: 0,
      made: null,
    };
  }

  private explain(report: Report, index: number, copy: ReportCopy | null): void {
    const options = this.releaseFor(report);
    const reused = this.reuse?.(report, index, options) ?? null;
    const copied = !reused && copy ? (this.sources?.moved(report, copy, index, options) ?? null) : null;
    const content = !reused && !copied && this.templates && contentKey(report, options);
    let template = content ? this.templates!.get(content) : undefined;
    const moved = template?.moveTo(report, index);
    let analysis = reused ?? copied?.analysis ?? moved;
    this.moved = copied || moved ? this.moved + 1 : 0;
    if (!analysis) {
      analysis = explainReport(report, index, options);
      template = content ? this.templates!.add(content, report, analysis) : undefined;
    }
    // a moved analysis has its template's content, so its template's repeat key
    const key =
      copied?.key ??
      (moved ? (template!.repeatKey ??= repeatKey(report, analysis)) : repeatKey(report, analysis));
    // a report explained or moved here may be copied by a run: its template explains the copies
    if (!copy && template && !reused) this.sources?.remember(report, template, options, key);
    const known = this.groups.get(key);
    if (!known) {
      const firstT = parseLogTime(analysis.time);
      const repeat: RepeatAnalysis = {
        count: 1,
        suppressed: report.suppressedBefore,
        firstTime: analysis.time,
        lastTime: analysis.time,
        spanSeconds: span(firstT, firstT),
        duplicateOf: null,
        lines: [report.line],
      };
      analysis.repeat = repeat;
      const group: RepeatGroup = {
        index,
        line: report.line,
        headline: analysis.headline,
        count: 1,
        suppressed: report.suppressedBefore,
        firstTime: report.time,
        lastTime: report.time,
        lastLine: report.line,
        spanSeconds: repeat.spanSeconds,
      };
      this.groups.set(key, { group, repeat, firstT });
      if (this.groups.size > this.limits.groups) this.groups.delete(this.groups.keys().next().value!);
      this.emit({ report, analysis, occurrence: 1, first: null, release: options });
      return;
    }
    if (this.limits.groups !== Infinity) {
      // least recently seen first: the group evicted past the limit is the one seen longest ago
      this.groups.delete(key);
      this.groups.set(key, known);
    }
    const { group, repeat } = known;
    repeat.count = ++group.count;
    group.suppressed += report.suppressedBefore;
    repeat.suppressed = group.suppressed;
    group.lastTime = repeat.lastTime = analysis.time;
    group.lastLine = report.line;
    if (repeat.lines.length < this.limits.linesPerGroup) repeat.lines.push(report.line);
    analysis.repeat = { ...analysis.repeat, count: 1, duplicateOf: group.index, lines: repeat.lines };
    this.emit({
      report,
      analysis,
      occurrence: group.count,
      first: { index: group.index, line: group.line },
      release: options,
    });
  }
}

interface HeldReport {
  report: Report;
  index: number;
  copy: ReportCopy | null;
}

/** A block of copies held (ReportSequence.pushBlock): the next copy's report to explain (counted
 * in the whole block, from place.from), the index of the place's first, and the last copy made
 * (a copy is made whole, for any of its reports that needs it). */
interface HeldBlock {
  place: CopyPlace;
  next: number;
  index: number;
  made: { copy: number; reports: Report[] } | null;
  /** By part, what its copies move from (null: made and explained), for the drain `originsAt`. */
  origins: (CopyOrigin | null)[];
  originsAt: number;
}

/** What the copies of one report of a block move from (ReportSequence.originOf): the source's
 * template under the copies' release, and the repeat group they join. */
interface CopyOrigin {
  block: CopyBlock<Report>;
  part: number;
  template: RepeatTemplate;
  release: ExplainOptions;
  key: string;
  group: { group: RepeatGroup; repeat: RepeatAnalysis; firstT: number | null };
  /** The group's line list (`group.repeat.lines`, or that list moved by an edit). */
  groupLines: number[];
  /** Where the source stands among the block's timed objects (-1: its time is not its own). */
  timedPart: number;
  /** Lines added before the copies since the reading (an edited document moves them,
   * CopiedReport.moved): a copy stands this much further than its block says. */
  shift: number;
  /** The copies made when asked (CopiedReport), by index. */
  made: Map<number, { report: Report; analysis: ReportAnalysis | null }> | null;
}

/** A report with its analysis, as the editor keeps it (features/document.ts AnalyzedReport). */
export interface ExplainedReport {
  index: number;
  report: Report;
  analysis: ReportAnalysis;
}

/** The stamp of copy `copy` of an origin's report: the copy's own, where the source's time is
 * its line's own stamp, else the source's. */
function copyTime(origin: CopyOrigin, copy: number): string | null {
  const { block, timedPart } = origin;
  return timedPart < 0 ? block.out[origin.part].time : block.times[copy * block.timed.length + timedPart];
}

/** The header line of the `n`-th copy report of `block` (copy n / k, report n mod k). */
export function copyLine(block: CopyBlock<Report>, n: number): number {
  const k = block.out.length;
  return block.out[n % k].line + copyDelta(block, Math.floor(n / k));
}

/** How many of a place's copies' reports begin before `line` (they are in line order). */
function copiesBefore(place: CopyPlace, line: number): number {
  let lo = place.from;
  let hi = place.from + place.reports;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (copyLine(place.block, mid) < line) lo = mid + 1;
    else hi = mid;
  }
  return lo - place.from;
}

/** Entries [from, to) of an analysis, in a row, that are copies of one block left unmade
 * (CopiedReport): features pass over them at once, where one per copy made a flood's hundred
 * thousand copies cost a pass of their own in every feature (issue #17). */
export interface CopyRun {
  from: number;
  to: number;
  block: CopyBlock<Report>;
}

/**
 * A copy's report left unmade by the reading (a block, TextScan `copyBlocks`), and its analysis:
 * both made on first use, as a reading of every line would have made them (the copy's report is
 * its source moved with its own stamps, repeat-run.ts copyAt; its analysis the source's template
 * moved onto it, as ReportSequence moves a copy's). Its place and kind are known unmade.
 */
export class CopiedReport {
  constructor(
    readonly index: number,
    private readonly copy: number,
    private readonly origin: CopyOrigin,
  ) {}

  /** Whether its report or analysis was made yet (the editor's open makes none: the tests of
   * copy blocks prove it). */
  get made(): boolean {
    return this.origin.made?.has(this.index) ?? false;
  }

  /** The block of copies it is one of. */
  get block(): CopyBlock<Report> {
    return this.origin.block;
  }

  /** The report it copies (read, or made), and the lines between them. */
  get source(): Report {
    return this.origin.block.out[this.origin.part];
  }

  get delta(): number {
    return copyDelta(this.origin.block, this.copy) + this.origin.shift;
  }

  /** Its header line and last line (its report unmade). */
  get line(): number {
    return this.source.line + this.delta;
  }

  get endLine(): number {
    return this.source.endLine + this.delta;
  }

  /** Its own stamp (its report unmade): the copy's, where the source's time is its line's own. */
  get time(): string | null {
    return copyTime(this.origin, this.copy);
  }

  /** The first report of its repeat group (its index), and that report's header line. */
  get duplicateOf(): number {
    return this.origin.group.group.index;
  }

  get firstLine(): number {
    return this.origin.group.group.line;
  }

  /** The release it is explained under (ReportSequence's fallback, as Analysed's `release`). */
  get release(): ExplainOptions {
    return this.origin.release;
  }

  /** The report and analysis its content was explained as (its template's first: the copy is
   * that report moved by `firstShift` lines, with its own stamps), for what a feature lays out
   * without making the copy (the outline, the report view). */
  get first(): ViewEntry {
    return { report: this.origin.template.first, analysis: this.origin.template.analysis };
  }

  get firstShift(): number {
    return this.line - this.origin.template.first.line;
  }

  get report(): Report {
    return this.made_().report;
  }

  /** An analysis of the same content (its source's template's, at another place and time): what
   * does not depend on place or time, the kind, host, verdict and suggestions, without making
   * this one. */
  get contentAnalysis(): ReportAnalysis {
    return this.origin.template.analysis;
  }

  get analysis(): ReportAnalysis {
    const made = this.made_();
    if (made.analysis) return made.analysis;
    const { template, release, groupLines } = this.origin;
    const analysis =
      template.moveCopy(made.report, this.index) ?? explainReport(made.report, this.index, release);
    analysis.repeat = { ...analysis.repeat, count: 1, duplicateOf: this.duplicateOf, lines: groupLines };
    return (made.analysis = analysis);
  }

  /** What was made of it, kept by its origin (a copy asked for is kept; a flood's hundred
   * thousand copies are three fields each until then). */
  private made_(): { report: Report; analysis: ReportAnalysis | null } {
    const made = (this.origin.made ??= new Map());
    let own = made.get(this.index);
    if (!own) {
      const { block, part, shift } = this.origin;
      const copy = copyAt(block, this.copy)[part];
      // moved by the lines an edit added before it (line-move.ts, as an edited document's reports)
      const report =
        shift === 0
          ? copy
          : (movedObject(copy, {
              delta: shift,
              copies: new Map(),
              plans: { previous: null, next: new Map() },
              handOn: false,
            }) as Report);
      own = { report, analysis: null };
      made.set(this.index, own);
    }
    return own;
  }

  /** This copy in an edited document where line `l` became `lineAfter(l)` (no edit inside its
   * block's copies: they all move alike). `moves` shares one moved origin per origin, and one
   * moved group line list per list, among the copies of one edit. */
  moved(
    lineAfter: (line: number) => number,
    moves: { origins: Map<CopyOrigin, CopyOrigin>; lines: Map<number[], number[]> },
  ): CopiedReport {
    const by = lineAfter(this.line) - this.line;
    let origin = moves.origins.get(this.origin);
    if (!origin) {
      const old = this.origin.groupLines;
      let groupLines = moves.lines.get(old);
      if (!groupLines) {
        const mapped = old.map(lineAfter);
        // a group none of whose lines moved keeps its list (and its copies stay as they are)
        groupLines = mapped.every((l, i) => l === old[i]) ? old : mapped;
        moves.lines.set(old, groupLines);
      }
      const same = by === 0 && groupLines === old;
      origin = same ? this.origin : { ...this.origin, shift: this.origin.shift + by, groupLines, made: null };
      moves.origins.set(this.origin, origin);
    }
    return origin === this.origin ? this : new CopiedReport(this.index, this.copy, origin);
  }
}

/** What makes two reports "the same": kind, order, mode, host and call chain (or task without one). */
export function repeatKey(r: Report, a: ReportAnalysis): string {
  const who = a.context.chainText || (r.comm ?? '').replace(/\/\d+$/, '');
  // an OOM report's event is its outcome (mm/oom_kill.c out_of_memory: the victim killed, or no
  // killable process / a panic): one loop of memory_max_write can kill and then find nobody
  const outcome = r.kind === 'oom_kill' ? (r.killed?.pid ?? (r.oomEnd?.noKillable ? 'none' : '')) : '';
  return [r.kind, r.order ?? '', r.gfp?.raw ?? '', r.host ?? '', who, outcome].join('\u0000');
}

/** Seconds from the first to the last report of a group, when both are readable and in order. */
function span(first: number | null, last: number | null): number | null {
  return first !== null && last !== null && last >= first ? Math.round((last - first) * 1e6) / 1e6 : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Seconds for a framing time, comparable only with times of the same framing: dmesg uptime
 * ("87578.494471"), syslog "Apr 28 05:30:51" (year unknown: seconds within a leap year), and
 * anything Date.parse reads (ISO, "Sat Sep 11 12:24:42 2021"). null when unreadable.
 */
export function parseLogTime(t: string | null): number | null {
  if (t === null) return null;
  const s = t.trim().replace(/^\[|\]$/g, '');
  // dmesg `[%5lu.%06lu]`: seconds since boot, far below 2^53 on any machine that ever booted
  if (/^\d+(\.\d+)?$/.test(s)) {
    const dot = s.indexOf('.');
    return readInt(dot < 0 ? s : s.slice(0, dot), COUNT) === null ? null : Number(s);
  }
  const m = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[1]);
    if (month < 0) return null;
    const frac = m[6] ? Number(`0.${m[6]}`) : 0;
    return Date.UTC(2000, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000 + frac;
  }
  const parsed = Date.parse(s);
  return Number.isFinite(parsed) ? parsed / 1000 : null;
}
