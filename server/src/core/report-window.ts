// An edit inside or near a report, read again in a window of the text rather than whole (issue
// #17: a one-character edit in a 50 MB log must cost a small share of the full analysis).
//
// A reading (TextScan, parse.ts) passes over stretches of text while its scanner is idle (no report
// open, nothing held back); each skipped stretch begins at a line where the scanner's state is,
// for every report it reads after, only what it carries (TextScan.skipStates): the banner release
// (`kernelRelease`), the rate limiter's count waiting for the next report (pendingSuppressed and
// its source), the lines read per framing (for the dominant framing), and the line counter. The
// rest of what a scanner remembers across lines is either empty when idle (open, dormant and SLUB
// reports, the orphan preamble, the quoted-printable window, the wrapped line held back: skipLines
// ends them) or used only within ANCHOR_LOOKBEHIND_LINES lines of where it was seen, at a line
// holding an anchor (the `SysRq : Show Memory` trigger, alloc_vmap_area's line, comm pieces); a
// stretch is skipped only when the next anchor lies more than ANCHOR_LOOKBEHIND_LINES lines after
// its first line, so nothing from before a stretch's first line reaches a report after it.
//
// So the new text is read from the first line S of an old stretch that begins at least
// WINDOW_MARGIN_LINES before the edit (the lines up to that margin are the old ones, free of
// anchors: what the old scanner remembered from before S expires unused in the new reading too),
// by a fresh scanner seeded with the stretch's banner release at line S (TextScan's `resume`),
// and only where the old reading carried no rate-limiter count into S (a fresh scanner carries
// none). Line 0 is such a start as well (a fresh scanner is what read it). The window ends at a
// line Q' after the edit where the new reading begins a skipped stretch, the old reading began one
// at Q = Q' − delta, and both carried the same release and rate-limiter count into it: from there
// on both read the same text (moved by delta) from the same state, so the old reports,
// suppressions and stretches after Q are the new ones, moved. The lines per framing after Q are
// the old ones less the old count at Q plus the new count at Q', in the order the new reading met
// each framing first; that order is unknown, and the window refused there, when the old reading
// met a framing before Q that the new one did not meet before Q'. The window's text is cut a
// little after the candidate Q' lines, then further, then at the text's end (the window is then
// the whole rest, which needs no join); a cut reading is the whole reading up to its first
// stretch that runs to the cut (anchors hold no line break, so none straddles a cut made at a
// line start), which is at or after Q'.
//
// Then what depends on the reports: each one's release fallback (a report without a task line
// takes the release of the first report of its host that prints one, else the banner), its index,
// and the repeat groups. The one ReportSequence (analyze.ts) works them out again over the spliced
// list, explaining the window's reports and every report whose release changed, and reusing the
// old analysis of every other one (moved with its report, incremental.ts movedReport; its
// `reuse` hook). Anything the window is unsure of returns null: the text is then read whole.
// test/features/incremental-report-edits.test.ts edits inside and next to reports on every
// fixture and compares each version with a fresh analysis; test/core/text-scan-resume.test.ts
// checks the resumed reading.

import type { Framing, ParsedLog, Report, Suppression } from './model';
import type { Analysis, ReportAnalysis } from './analysis-types';
import { ANCHOR_LOOKBEHIND_LINES, firstAtOrAfter, TextScan, type SkipState } from './parse';
import { dominantFraming } from './lines';
import { singleRepeat, type ExplainOptions } from './explain';
import { logFindings, ReportSequence, UNBOUNDED } from './analyze';
import { movedReport, type LineEdit, type MovePlans, type Plans } from './incremental';

/** Unchanged lines an old stretch must begin before the edit to start the window at. */
export const WINDOW_MARGIN_LINES = ANCHOR_LOOKBEHIND_LINES + 1;

/** Old stretches after the edit that the window's text reaches (the first where both readings
 * agree ends the window; past them the text is read whole). */
const WINDOW_STRETCHES = 3;

/** The edits, each in the lines the one before left, as one: the old lines `first`..`last`
 * became `first`..`last + delta` (lines between two edits are taken in). */
export function combinedEdit(edits: readonly LineEdit[]): LineEdit | null {
  if (edits.length === 0) return null;
  let { first, last, delta } = edits[0];
  for (let i = 1; i < edits.length; i++) {
    const e = edits[i];
    // e in the lines the edits so far left: before `first` the same, after `last + delta` moved
    const newLast = Math.max(last + delta, e.last);
    first = Math.min(first, e.first);
    last = newLast > last + delta ? newLast - delta : last;
    delta += e.delta;
    // e's own lines e.first..e.last became e.first..e.last + e.delta, within the new range
  }
  return { first, last, delta };
}

/** The old reading as the window needs it: the parsed log, its analysis, its skipped stretches
 * (TextScan.skipped) and what the scanner carried into each (TextScan.skipStates). */
export interface OldReading {
  parsed: ParsedLog;
  analysis: Analysis;
  skipped: readonly number[];
  skipStates: readonly SkipState[];
  /** The release each of its reports was explained with (LogAnalysisJob.result). */
  releases: readonly ExplainOptions[];
  plans: MovePlans | null;
}

/** The new text as the window reads it: its line count, a line's start offset, a slice. */
export interface NewText {
  lineCount: number;
  lineStart(line: number): number;
  length: number;
  slice(from: number, to: number): string;
}

export interface WindowedReading {
  parsed: ParsedLog;
  analysis: Analysis;
  skipped: number[];
  skipStates: SkipState[];
  releases: ExplainOptions[];
  plans: MovePlans;
  /** Lines of the new text read again ([from, to)), for tests. */
  window: { from: number; to: number };
}

function sum(a: ReadonlyMap<Framing, number>, b: ReadonlyMap<Framing, number>): Map<Framing, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

const NO_FRAMINGS: ReadonlyMap<Framing, number> = new Map();

/** The first stretch (index in TextScan.skipped's pairs) beginning at or after `line`. */
function stretchAtOrAfter(skipped: readonly number[], line: number): number {
  let lo = 0;
  let hi = skipped.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (skipped[2 * mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The reading and analysis of the new text, `edits` after the old one, with only a window of it
 * read again (see the header); null when no window is found that the rules above make exact (the
 * text must then be read whole) or when it would hold more than `maxChars` characters.
 */
export function windowedReading(
  old: OldReading,
  edits: readonly LineEdit[],
  text: NewText,
  options: { kernelRelease: string | null },
  maxChars: number,
): WindowedReading | null {
  const edit = combinedEdit(edits);
  if (edit === null) return null;
  const { skipped, skipStates } = old;
  const stretches = skipped.length >> 1;
  // one state per stretch and the end's
  if (stretches === 0 || skipStates.length !== stretches + 1) return null;
  const startOf = (k: number): number => skipped[2 * k];

  // the window's first line: an old stretch's, at least WINDOW_MARGIN_LINES before the edit,
  // into which the old reading carried no rate-limiter count; else line 0
  let k0 = stretchAtOrAfter(skipped, edit.first - WINDOW_MARGIN_LINES + 1) - 1;
  while (k0 >= 0 && (skipStates[k0].pendingSuppressed !== 0 || skipStates[k0].pendingSuppressedBy !== null))
    k0--;
  const from = k0 >= 0 ? startOf(k0) : 0;
  const base = k0 >= 0 ? skipStates[k0] : null;
  const start = text.lineStart(from);

  // the old stretches after the edit, where the window may end: the first few, then more, then
  // the rest of the text
  const kc = stretchAtOrAfter(skipped, edit.last + 1);
  for (const reach of WINDOW_REACH) {
    const lastCandidate = kc + reach - 1;
    const cutLine = lastCandidate < stretches ? startOf(lastCandidate) + edit.delta + 1 : Infinity;
    const end = cutLine >= text.lineCount ? text.length : text.lineStart(cutLine);
    if (end - start > maxChars) return null;
    const scan = new TextScan(text.slice(start, end), true, {
      line: from,
      kernelRelease: base?.kernelRelease ?? null,
    });
    scan.run(() => false);
    const window = scan.finish();
    const joined = joinOf(old, edit, scan, base, lastCandidate);
    if (joined) return spliced(old, edit, options, from, base, scan, window, joined);
    if (end === text.length) return spliced(old, edit, options, from, base, scan, window, null);
  }
  return null;
}

/** Old stretches after the edit the window's text reaches, in successive tries (the last: all). */
const WINDOW_REACH = [WINDOW_STRETCHES, 4 * WINDOW_STRETCHES, Infinity];

/** Where the window's reading joins the old one: its stretch `w` begins where the old stretch `k`
 * began (moved by the edit's delta), after the edit, with the same carried into both. */
function joinOf(
  old: OldReading,
  edit: LineEdit,
  scan: TextScan,
  base: SkipState | null,
  lastCandidate: number,
): { w: number; k: number } | null {
  const { skipped, skipStates } = old;
  const stretches = skipped.length >> 1;
  const baseFramings = base?.framings ?? NO_FRAMINGS;
  for (let w = 0; 2 * w < scan.skipped.length; w++) {
    const at = scan.skipped[2 * w];
    if (at <= edit.last + edit.delta) continue;
    const k = stretchAtOrAfter(skipped, at - edit.delta);
    if (k >= stretches || k > lastCandidate || skipped[2 * k] !== at - edit.delta) continue;
    const mine = scan.skipStates[w];
    const theirs = skipStates[k];
    if (
      mine.kernelRelease === theirs.kernelRelease &&
      mine.pendingSuppressed === theirs.pendingSuppressed &&
      mine.pendingSuppressedBy === theirs.pendingSuppressedBy &&
      rebasedFramings(theirs.framings, theirs.framings, sum(baseFramings, mine.framings)) !== null
    )
      return { w, k };
  }
  return null;
}

/** The new reading made of the old one before the window (from line `from`), the window's (up to
 * its stretch `joined.w`, or all of it when it ran to the text's end: `joined` null) and the old
 * one after it, moved; then its analysis. */
function spliced(
  old: OldReading,
  edit: LineEdit,
  options: { kernelRelease: string | null },
  from: number,
  base: SkipState | null,
  scan: TextScan,
  window: ParsedLog,
  joined: { w: number; k: number } | null,
): WindowedReading | null {
  const { skipped, skipStates } = old;
  const stretches = skipped.length >> 1;
  const startOf = (k: number): number => skipped[2 * k];
  const delta = edit.delta;
  const baseFramings = base?.framings ?? NO_FRAMINGS;
  const joinLine = joined ? scan.skipped[2 * joined.w] : Infinity;
  const oldJoinLine = joined ? startOf(joined.k) : Infinity;
  const windowStretches = joined ? joined.w : scan.skipped.length >> 1;
  // what the new reading carried at the join, and the old one
  const newAtJoin = sum(
    baseFramings,
    (joined ? scan.skipStates[joined.w] : scan.skipStates.at(-1)!).framings,
  );
  const oldAtJoin = joined ? skipStates[joined.k].framings : null;
  const after = (state: SkipState): SkipState | null => {
    const framings = rebasedFramings(state.framings, oldAtJoin!, newAtJoin);
    return framings && { ...state, framings };
  };

  // the stretches and what was carried into each, the end's state last
  const ka = stretchAtOrAfter(skipped, from);
  const newSkipped: number[] = skipped.slice(0, 2 * ka);
  const newStates: SkipState[] = skipStates.slice(0, ka);
  for (let w = 0; w < windowStretches; w++) {
    newSkipped.push(scan.skipped[2 * w], scan.skipped[2 * w + 1]);
    const state = scan.skipStates[w];
    newStates.push({ ...state, framings: sum(baseFramings, state.framings) });
  }
  if (joined) {
    for (let k = joined.k; k <= stretches; k++) {
      if (k < stretches) newSkipped.push(startOf(k) + delta, skipped[2 * k + 1]);
      const state = after(skipStates[k]);
      if (!state) return null;
      newStates.push(state);
    }
  } else {
    const end = scan.skipStates.at(-1)!;
    newStates.push({ ...end, framings: newAtJoin });
  }
  const endState = newStates.at(-1)!;

  // the parsed log: the old one before the window, the window's, the old one after it moved
  const oldParsed = old.parsed;
  const a = firstAtOrAfter(oldParsed.reports, from, (r) => r.line);
  const b = firstAtOrAfter(oldParsed.reports, oldJoinLine, (r) => r.line);
  const windowReports = window.reports.filter((r) => r.line < joinLine);
  const plans: Plans = { previous: old.plans, next: new Map() };
  const movedAfter = oldParsed.reports
    .slice(b)
    .map((r, i) => movedReport(r, old.analysis.reports[b + i], delta, plans));
  const reports: Report[] = [
    ...oldParsed.reports.slice(0, a),
    ...windowReports,
    ...movedAfter.map((m) => m.report),
  ];
  // the banner release each report completed with, beside `reports` (window.reports is in line
  // order, so windowReports is a prefix of it)
  const oldBanner = (i: number): string | null =>
    oldParsed.banners ? (oldParsed.banners[i] ?? null) : oldParsed.kernelRelease;
  const banners: (string | null)[] = [];
  for (let i = 0; i < a; i++) banners.push(oldBanner(i));
  for (let i = 0; i < windowReports.length; i++) banners.push(window.banners?.[i] ?? null);
  for (let i = 0; i < movedAfter.length; i++) banners.push(oldBanner(b + i));

  const sa = firstAtOrAfter(oldParsed.suppressions, from, (s) => s.line);
  const sb = firstAtOrAfter(oldParsed.suppressions, oldJoinLine, (s) => s.line);
  const movedSuppression = (s: Suppression): Suppression =>
    delta === 0
      ? s
      : {
          ...s,
          line: s.line + delta,
          unreadable: s.unreadable && { ...s.unreadable, line: s.unreadable.line + delta },
        };
  const suppressions: Suppression[] = [
    ...oldParsed.suppressions.slice(0, sa),
    ...window.suppressions.filter((s) => s.line < joinLine),
    ...oldParsed.suppressions.slice(sb).map(movedSuppression),
  ];
  // a quoted-printable body begins after the join (the scanner is never idle in one) or in the
  // window's text when it ran to the end
  const quotedPrintableFrom = joined
    ? oldParsed.quotedPrintableFrom === undefined
      ? undefined
      : oldParsed.quotedPrintableFrom + delta
    : window.quotedPrintableFrom;
  const parsed: ParsedLog = {
    framing: dominantFraming(endState.framings),
    lineCount: joined ? oldParsed.lineCount + delta : window.lineCount,
    reports,
    suppressions,
    kernelRelease: endState.kernelRelease,
    banners,
    ...(quotedPrintableFrom === undefined ? {} : { quotedPrintableFrom }),
  };

  // the analysis: the window's reports and those whose release changed explained, the others
  // moved; releases and repeat groups worked out again by the one ReportSequence
  const reused = new Map<Report, { analysis: ReportAnalysis; old: number }>();
  for (let i = 0; i < a; i++) reused.set(oldParsed.reports[i], { analysis: old.analysis.reports[i], old: i });
  movedAfter.forEach((m, i) => reused.set(m.report, { analysis: m.analysis, old: b + i }));
  const analyses: ReportAnalysis[] = [];
  const releases: ExplainOptions[] = [];
  const sequence = new ReportSequence(
    (item) => {
      analyses.push(item.analysis);
      releases.push(item.release);
    },
    { kernelRelease: options.kernelRelease },
    UNBOUNDED,
    true,
    (r, i, release) => {
      const known = reused.get(r);
      if (!known || !sameRelease(old.releases[known.old], release)) return null;
      const copy = { ...known.analysis, index: i, repeat: singleRepeat(r) };
      // the next move starts from the copy: its plan goes with it
      const plan = plans.next.get(known.analysis) ?? old.plans?.get(known.analysis);
      plans.next.delete(known.analysis);
      if (plan) plans.next.set(copy, plan);
      return copy;
    },
  );
  reports.forEach((r, i) => sequence.push(r, banners[i]));
  sequence.end();
  return {
    parsed,
    analysis: { reports: analyses, findings: logFindings(parsed, null) },
    skipped: newSkipped,
    skipStates: newStates,
    releases,
    plans: plans.next,
    window: { from, to: Math.min(joinLine, parsed.lineCount) },
  };
}

/**
 * The lines per framing a new reading has read at a point after the join, from the old reading's
 * there (`old`), at the join (`oldAtJoin`) and the new reading's at the join: in the order the new
 * reading first met each framing (LineAssembler.dominantFraming takes the first among equal
 * counts). null when that order is not known: a framing the old reading met before the join that
 * the new one did not (where the new one meets it first is not known).
 */
function rebasedFramings(
  old: ReadonlyMap<Framing, number>,
  oldAtJoin: ReadonlyMap<Framing, number>,
  newAtJoin: ReadonlyMap<Framing, number>,
): Map<Framing, number> | null {
  for (const k of oldAtJoin.keys()) if (!newAtJoin.has(k)) return null;
  const out = new Map(newAtJoin);
  for (const [k, v] of old) {
    const d = v - (oldAtJoin.get(k) ?? 0);
    if (d !== 0) out.set(k, (out.get(k) ?? 0) + d);
  }
  return out;
}

function sameRelease(a: ExplainOptions, b: ExplainOptions): boolean {
  return a.kernelRelease === b.kernelRelease && a.kernelReleaseSource === b.kernelReleaseSource;
}
