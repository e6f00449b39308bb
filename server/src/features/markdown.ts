// Markdown building for hovers. Every text taken from the log goes through `escapeMarkdown`
// before it reaches Markdown, so a log line carrying `[x](command:…)`, HTML or backticks renders
// as the plain text it is: CommonMark lets a backslash escape any ASCII punctuation, which turns
// off links, emphasis, code spans, HTML and entity references alike. Escape sequences, control
// and bidi characters are dropped and line breaks flattened (the core's `oneLine`), so log text
// cannot start a block nor reorder what is shown around it.

import { oneLine } from '../core/safe-text';

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Log text → Markdown that renders as exactly that text (one line, at most `max` characters). */
export function escapeMarkdown(text: string, max = 240): string {
  let plain = oneLine(text);
  if (plain.length > max) plain = plain.slice(0, max - 1) + '…';
  return plain.replace(ASCII_PUNCTUATION, (c) => '\\' + c);
}

/** A Markdown table; cells are trusted Markdown (escape log text before passing it). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : ':---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Numbers as the kernel prints them (no separators), so the user can search the log for them. */
export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/** kB → the largest binary unit that keeps the number readable ("128 KiB", "31.4 MiB"). */
export function kib(kb: number): string {
  if (kb < 1024) return `${num(kb)} KiB`;
  if (kb < 1024 * 1024) return `${num(Math.round((kb / 1024) * 10) / 10)} MiB`;
  return `${num(Math.round((kb / 1024 / 1024) * 100) / 100)} GiB`;
}

/** Joins non-empty Markdown paragraphs with a blank line. */
export function paragraphs(...parts: (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}
