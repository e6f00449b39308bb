// A report's lines written down as the scanner hands them to it, to be read into a Report later,
// elsewhere: the CLI's scan worker decides which lines make each report (LogScanner) and posts
// these recordings; the main thread replays them through ReportBuilder. A recording is strings
// and one Float64Array (not Int32: a suppressed count or a line number may pass 2^31), which
// cross a thread boundary far more cheaply than the finished Report (a structured clone walks
// every frame, zone, field and range object), and reading the numbers out moves to the thread
// that has time for it.

import type { Report, ReportKind } from './model';
import { matchFormat, type ClassifiedLine, type LineKind } from './formats';
import type { Segment } from './lines';
import {
  ReportBuilder,
  type ReportLine,
  type ReportWriter,
  type Suppressed,
  type WriterFactory,
} from './report-builder';

/** The calls a LogScanner made on one report's writer, in order. */
export interface RecordedReport {
  /** The header's line. */
  line: number;
  /** The text of each line an operation carries, in order. */
  texts: string[];
  /** The report's kind, then time and host for each line that opens or heads the report, then the
   * function its rate-limit line names (or null). */
  strings: (string | null)[];
  /** Operations: code, argument, then the line's position (see Op); all integers. */
  codes: Float64Array;
}

/** Operation codes. Each is followed by one argument (a LINE_FORMATS index, -1 for none, the
 * suppressed count, or EndBefore's line) and, except ClosedAtEnd and EndBefore, by the line: line, startChar, endLine, endChar,
 * segment count, then offset/line/char per segment. */
const enum Op {
  Start = 0,
  Header = 1,
  MemInfo = 2,
  Body = 3,
  Slub = 4,
  ClosedAtEnd = 5,
  EndBefore = 6,
  CommPiece = 7,
  Before = 8,
}

/** Writes the calls down instead of reading the lines (the scan worker's writer). */
export class ReportRecorder implements ReportWriter<RecordedReport> {
  readonly line: number;
  private readonly texts: string[] = [];
  private readonly strings: (string | null)[];
  private readonly codes: number[] = [];
  private readonly suppressedBy: string | null;

  constructor(kind: ReportKind, line: ReportLine, suppressed: Suppressed) {
    this.line = line.line;
    this.strings = [kind, line.time, line.host];
    this.suppressedBy = suppressed.by;
    this.add(Op.Start, suppressed.count, line);
  }

  header(line: ReportLine, found: ClassifiedLine): void {
    this.strings.push(line.time, line.host);
    this.add(Op.Header, found.format, line);
  }

  commPiece(line: ReportLine): void {
    this.add(Op.CommPiece, -1, line);
  }

  memInfo(line: ReportLine): void {
    this.add(Op.MemInfo, -1, line);
  }

  before(line: ReportLine, found: ClassifiedLine): void {
    this.add(Op.Before, found.format, line);
  }

  body(_kind: LineKind | null, line: ReportLine, found: ClassifiedLine | null): void {
    // the kind is the format's (null without one): replay derives it from the format
    this.add(Op.Body, found === null ? -1 : found.format, line);
  }

  slubLine(line: ReportLine, found: ClassifiedLine): void {
    this.add(Op.Slub, found.format, line);
  }

  closedAtEnd(): void {
    this.codes.push(Op.ClosedAtEnd, -1);
  }

  endBefore(line: number): void {
    this.codes.push(Op.EndBefore, line);
  }

  finish(): RecordedReport {
    return {
      line: this.line,
      texts: this.texts,
      strings: [...this.strings, this.suppressedBy],
      codes: Float64Array.from(this.codes),
    };
  }

  private add(op: Op, argument: number, line: ReportLine): void {
    const codes = this.codes;
    this.texts.push(line.text);
    codes.push(op, argument, line.line, line.startChar, line.endLine, line.endChar, line.segments.length);
    for (const s of line.segments) codes.push(s.offset, s.line, s.char);
  }
}

export const recordReport: WriterFactory<RecordedReport> = (kind, line, suppressed) =>
  new ReportRecorder(kind, line, suppressed);

const NO_SEGMENTS: Segment[] = [];

/** The Report a ReportBuilder makes from the same calls. */
export function replayReport(recorded: RecordedReport): Report {
  const { texts, strings, codes } = recorded;
  let builder: ReportBuilder | null = null;
  let text = 0;
  let string = 1;
  let at = 0;
  const nextLine = (time: string | null, host: string | null): ReportLine => {
    const segmentCount = codes[at + 4];
    let segments = NO_SEGMENTS;
    if (segmentCount > 0) {
      segments = [];
      for (let k = 0, s = at + 5; k < segmentCount; k++, s += 3)
        segments.push({ offset: codes[s], line: codes[s + 1], char: codes[s + 2] });
    }
    const line: ReportLine = {
      text: texts[text++],
      line: codes[at],
      startChar: codes[at + 1],
      endLine: codes[at + 2],
      endChar: codes[at + 3],
      time,
      host,
      segments,
    };
    at += 5 + 3 * segmentCount;
    return line;
  };
  while (at < codes.length) {
    const op = codes[at] as Op;
    const argument = codes[at + 1];
    at += 2;
    if (op === Op.ClosedAtEnd) {
      builder?.closedAtEnd();
      continue;
    }
    if (op === Op.EndBefore) {
      builder?.endBefore(argument);
      continue;
    }
    const carriesTime = op === Op.Start || op === Op.Header;
    const line = carriesTime ? nextLine(strings[string++], strings[string++]) : nextLine(null, null);
    if (op === Op.Start) {
      builder = new ReportBuilder(strings[0] as ReportKind, line, {
        count: argument,
        by: strings[strings.length - 1],
      });
      continue;
    }
    if (builder === null) break;
    if (op === Op.CommPiece) {
      builder.commPiece(line);
      continue;
    }
    const found = argument >= 0 ? matchFormat(line.text, argument) : null;
    if (op === Op.MemInfo) builder.memInfo(line);
    else if (op === Op.Body) builder.body(found?.kind ?? null, line, found);
    else if (found === null)
      continue; // cannot happen: the same pattern on the same text
    else if (op === Op.Header) builder.header(line, found);
    else if (op === Op.Slub) builder.slubLine(line, found);
    else if (op === Op.Before) builder.before(line, found);
  }
  return builder!.finish();
}
