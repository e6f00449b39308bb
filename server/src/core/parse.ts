// Reads a kernel log and finds every memory report in it (stub: being written).
import type { ParsedLog, Report, Suppression, Framing } from './model';

/** Incremental scanner: feed physical lines in order, get reports as they complete. */
export class LogScanner {
  readonly reports: Report[] = [];
  readonly suppressions: Suppression[] = [];
  /** Feed the next physical line (without its line terminator). Returns reports completed by it. */
  push(_line: string): Report[] {
    return [];
  }
  /** End of input: returns the reports still open. */
  end(): Report[] {
    return [];
  }
  get framing(): Framing {
    return 'bare';
  }
  get lineCount(): number {
    return 0;
  }
}

export function parseLog(text: string): ParsedLog {
  const scanner = new LogScanner();
  const reports: Report[] = [];
  for (const line of text.split('\n')) reports.push(...scanner.push(line));
  reports.push(...scanner.end());
  return { framing: scanner.framing, lineCount: scanner.lineCount, reports, suppressions: scanner.suppressions };
}
