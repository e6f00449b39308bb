// Floods for the tests of runs of copies (core/repeat-run.ts): a log printed again and again,
// each copy's time stamps changed in place (same width), as a driver's repeated failure prints it.
import fc from 'fast-check';
import { readFraming } from '../../server/src/core/framing';

/** `line` with the last digit of its framing's stamp advanced by `k` (same width). */
export function restamped(line: string, k: number): string {
  const time = readFraming(line).time;
  const at = time === null ? -1 : line.indexOf(time);
  if (time === null || at < 0) return line;
  for (let i = at + time.length - 1; i >= at; i--) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) return line.slice(0, i) + String((c - 48 + k) % 10) + line.slice(i + 1);
  }
  return line;
}

/** `text` printed `copies` times, each copy restamped. */
export function printedAgain(text: string, copies: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (let k = 0; k < copies; k++) for (const l of lines) out.push(restamped(l, k));
  return `${out.join('\n')}\n`;
}

/** Copies of part of a log's `lines` (`from` and `length` as fractions of them), each restamped,
 * each followed by the `between` lines (noise between copies): the random floods' building block. */
export function excerptCopies(
  lines: readonly string[],
  from: number,
  length: number,
  copies: number,
  between: readonly string[],
): string[][] {
  const start = Math.floor(from * lines.length);
  const part = lines.slice(start, start + Math.max(1, Math.ceil(length * lines.length)));
  const out: string[][] = [];
  for (let k = 0; k < copies; k++) out.push([...part.map((l) => restamped(l, k)), ...between]);
  return out;
}

/** Lines put between a random flood's copies: noise, a rate limiter's line, a blank line and
 * another report's header (each ends a run a different way). */
export const BETWEEN_COPIES = [
  'Mar 18 10:00:01 web01 systemd[1]: Started Session 7 of user deploy.',
  'Mar 18 10:00:03 web01 kernel: warn_alloc: 3 callbacks suppressed',
  '',
  'Mar 18 10:00:04 web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20',
];

/** A random flood of an excerpt of one of `logs` (`excerptCopies`, with BETWEEN_COPIES lines
 * between copies), its copies as lines. */
export const excerptFlood = (logs: readonly (readonly string[])[]): fc.Arbitrary<string[][]> =>
  fc
    .record({
      fixture: fc.nat(logs.length - 1),
      from: fc.double({ min: 0, max: 0.9, noNaN: true }),
      length: fc.double({ min: 0.05, max: 1, noNaN: true }),
      copies: fc.integer({ min: 3, max: 12 }),
      between: fc.array(fc.nat(BETWEEN_COPIES.length - 1), { maxLength: 2 }),
    })
    .map((c) =>
      excerptCopies(
        logs[c.fixture],
        c.from,
        c.length,
        c.copies,
        c.between.map((n) => BETWEEN_COPIES[n]),
      ),
    );
