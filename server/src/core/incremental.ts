// What an edit of a log leaves as it was (issue #17: typing in a 50 MB log must not re-read it).
// A reading (TextScan, parse.ts) passes over anchor-free stretches of text while no report is
// open, counting their lines, and resumes a little before the next anchor (READER_ANCHORS): the
// lookbehind (ANCHOR_LOOKBEHIND_LINES), then back to a line the scanner reads alone, at most
// READING_START_MAX_LINES further (TextScan.readingStart). An edit inside such a stretch changes no
// report when
//  - it neither adds nor removes an anchor (the old and the new text of the lines it touches hold
//    none, and it forms no `"MESSAGE": [` journal byte array, which makes TextScan read every line);
//  - it begins at or after the stretch's first line: the text before is the same, so the reading
//    arrives there in the same state (idle) and looks for the same next anchor;
//  - its last line (old and new) lies at least RESUME_MARGIN_LINES (READING_START_MAX_LINES + 1)
//    lines before the line F the reading resumed at. Where the reading resumes is decided from the
//    anchor's line A back: the lookbehind's first line A − 3 (ANCHOR_LOOKBEHIND_LINES), then at most
//    READING_START_MAX_LINES lines further back for a line read alone, so only lines A − 67 … A − 3
//    are looked at; F ≤ A − 3, so an edit ending by F − 65 ends by A − 68 and touches none of them:
//    the reading resumes at the same line (shifted).
// The reading after the stretch then reads the same lines from the same state, but for the line
// counter: every report, suppression and line number after the edit moves by the edit's line
// delta, and nothing else changes. (What the scanner remembers across a stretch is compared with
// later lines only at anchor lines — a comm piece's or a SysRq trigger's window of 3 lines, the
// last header's line — and those lie at A or after, at least 68 lines after the edit in both
// texts, beyond every window.) Skipped lines are not read, so the dominant framing, the
// release fallback (same reports in the same order), the repeat groups and their counts are the
// same. Anything else (an edit inside a report, near an anchor) is read again in a window of the
// text (core/report-window.ts), or whole (a text read line by line, an analysis stopped at its
// budget, no window found): correctness first.
//
// test/features/incremental-edits.test.ts edits every fixture at random and compares each version
// with a fresh analysis; test/core/incremental.test.ts checks the rules one by one.

import type { ParsedLog, Report } from './model';
import type { Analysis, RepeatAnalysis, ReportAnalysis } from './analysis-types';
import { JOURNAL_BYTE_MESSAGE, READER_ANCHORS, READING_START_MAX_LINES } from './parse';
import { logFindings } from './analyze';
import { restateLineFindings } from './repeat-rebase';
import { movedAnalysis, movedObject, type Move, type MovePlans, type Plans } from './line-move';

export type { MovePlans, Plans };

/** Lines an edit's last line must stay before the line a reading resumes at after its stretch. */
export const RESUME_MARGIN_LINES = READING_START_MAX_LINES + 1;

/**
 * One edit in lines: the old lines `first`..`last` (inclusive) became the lines
 * `first`..`last + delta` of the new text. `first`/`last` include the line before and after the
 * edited characters' neighbours (see editLines), so a `\r` | `\n` pair it joins or splits is in.
 */
export interface LineEdit {
  first: number;
  last: number;
  delta: number;
}

/**
 * The stretches a reading skipped (TextScan.skipped: [first line, lines] pairs in order, the last
 * count -1 when it ran to the end), as they are after `edit`; null when the edit is not inside one
 * as the rules above require (then the text must be read again).
 */
export function skippedAfterEdit(skipped: readonly number[], edit: LineEdit): number[] | null {
  // the last stretch beginning at or before the edit's first line
  let lo = 0;
  let hi = skipped.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (skipped[2 * mid] <= edit.first) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i < 0) return null;
  const from = skipped[2 * i];
  const count = skipped[2 * i + 1];
  if (count !== -1 && edit.last + RESUME_MARGIN_LINES > from + count) return null;
  if (count === -1 && i !== (skipped.length >> 1) - 1) return null;
  if (edit.delta === 0) return skipped.slice();
  const out = skipped.slice();
  if (count !== -1) out[2 * i + 1] = count + edit.delta;
  for (let j = i + 1; 2 * j < out.length; j++) out[2 * j] += edit.delta;
  return out;
}

/** Whether text (whole lines an edit touched, old or new) holds a string a reading stops at. */
export function holdsReaderAnchor(text: string): boolean {
  for (const anchor of READER_ANCHORS) if (text.includes(anchor)) return true;
  return false;
}

/** Characters of `"MESSAGE":` and `[` on either side of a whitespace run. */
const BYTE_MESSAGE_PART = 10;

/**
 * Whether replacing old[from, to) by `inserted` may form a `"MESSAGE": [` (TextScan then reads the
 * whole text line by line): a match holding an inserted character, or the seam where characters
 * were removed, lies within three BYTE_MESSAGE_PART steps, each with the whitespace run beyond, on
 * either side. `old` is read only near the edit, through `slice`.
 */
export function mayFormByteMessage(
  old: { length: number; slice(from: number, to: number): string },
  from: number,
  to: number,
  inserted: string,
): boolean {
  const space = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c > 0x1fff;
  const charAt = (i: number): number => old.slice(i, i + 1).charCodeAt(0);
  let left = from;
  let right = to;
  for (let step = 0; step < 3; step++) {
    left = Math.max(0, left - BYTE_MESSAGE_PART);
    while (left > 0 && space(charAt(left - 1))) left--;
    right = Math.min(old.length, right + BYTE_MESSAGE_PART);
    while (right < old.length && space(charAt(right))) right++;
  }
  return JOURNAL_BYTE_MESSAGE.test(old.slice(left, from) + inserted + old.slice(to, right));
}

/** A line's place after the edits, applied in order (each in the lines the one before left). */
export function lineAfter(edits: readonly LineEdit[], line: number): number {
  for (const e of edits) if (line > e.last) line += e.delta;
  return line;
}

/**
 * The reading and analysis of the edited text, when every edit was inside a skipped stretch
 * (skippedAfterEdit): the same reports, each moved by its line's delta with repeat-rebase's
 * machinery (objects that hold a place copied, the rest shared), the repeat groups' line lists,
 * the suppressions and the log's findings moved alike. A report whose lines do not move is kept as
 * it is (its analysis object too, unless its group's lines moved).
 */
export function movedReading(
  parsed: ParsedLog,
  analysis: Analysis,
  edits: readonly LineEdit[],
  /** The plans the move that made this reading left (`MovePlans`), if any. */
  previousPlans: MovePlans | null = null,
): { parsed: ParsedLog; analysis: Analysis; plans: MovePlans } {
  const map = (line: number): number => lineAfter(edits, line);
  const movedLines = new Map<readonly number[], number[]>();
  const linesAfter = (lines: number[]): number[] => {
    let out = movedLines.get(lines);
    if (!out) {
      out = lines.map(map);
      if (out.every((l, k) => l === lines[k])) out = lines;
      movedLines.set(lines, out);
    }
    return out;
  };
  const reports: Report[] = [];
  const analyses: ReportAnalysis[] = [];
  const plans: Plans = { previous: previousPlans, next: new Map() };
  for (let i = 0; i < parsed.reports.length; i++) {
    const report = parsed.reports[i];
    const before = analysis.reports[i];
    const delta = map(report.line) - report.line;
    // the group's line list (`repeat.lines`, one array for all its reports) is moved below
    const movedPair = movedReport(report, before, delta, plans);
    const moved = movedPair.report;
    let after = movedPair.analysis;
    const repeat: RepeatAnalysis = before.repeat;
    const lines = linesAfter(repeat.lines);
    if (delta !== 0 || lines !== repeat.lines) {
      // the copy is what the next move starts from: its plan goes with it
      const plan = plans.next.get(after);
      plans.next.delete(after);
      after = { ...after, repeat: { ...repeat, lines } };
      if (plan) plans.next.set(after, plan);
    }
    reports.push(moved);
    analyses.push(after);
  }
  const next: ParsedLog = {
    ...parsed,
    lineCount: parsed.lineCount + edits.reduce((sum, e) => sum + e.delta, 0),
    reports,
    suppressions: parsed.suppressions.map((s) =>
      map(s.line) === s.line
        ? s
        : {
            ...s,
            line: map(s.line),
            unreadable: s.unreadable && { ...s.unreadable, line: map(s.unreadable.line) },
          },
    ),
    ...(parsed.quotedPrintableFrom === undefined
      ? {}
      : { quotedPrintableFrom: map(parsed.quotedPrintableFrom) }),
  };
  return {
    parsed: next,
    analysis: { reports: analyses, findings: logFindings(next, null) },
    plans: plans.next,
  };
}

/**
 * A report and its analysis `delta` lines further (the same objects when 0): the report first, so
 * that the analysis's references to its objects meet their copies. The analysis's `repeat` is
 * left as it is (the caller moves or rebuilds it).
 */
export function movedReport(
  report: Report,
  analysis: ReportAnalysis,
  delta: number,
  plans: Plans,
): { report: Report; analysis: ReportAnalysis } {
  if (delta === 0) return { report, analysis };
  const move: Move = { delta, copies: new Map(), plans, handOn: true };
  const moved = movedObject(report, move) as Report;
  const after = movedAnalysis(analysis, move);
  restateLineFindings(after, moved);
  return { report: moved, analysis: after };
}
