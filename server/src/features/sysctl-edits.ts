// Text of the suggested sysctl settings, and the edits that put them into a sysctl.conf-format
// file (sysctl.conf(5): `token = value`, `#`/`;` comments, `/` may stand for `.` in the token,
// a leading `-` makes a failure to apply non-fatal; the last assignment of a key wins).

import type { Position, TextEdit } from 'vscode-languageserver-types';
import { commentLines, oneLine } from '../core/safe-text';

export interface SysctlEntry {
  key: string;
  value: string;
  /** Evidence, current value and risk: one or more lines (each becomes a `#` comment line). */
  comment: string;
}

/** `vm.min_free_kbytes = 90112` preceded by its comment lines. Every line but the assignment is
 * a comment built by the core's `commentLines`, so no text from the log can start a line. */
export function formatEntry(entry: SysctlEntry, eol: string): string {
  return [...commentLines(entry.comment), assignment(entry)].join(eol);
}

/** The full block a new file (or an untitled document) gets; each heading is one comment line. */
export function formatBlock(entries: readonly SysctlEntry[], heading: readonly string[], eol = '\n'): string {
  return (
    [...heading.map((h) => `# ${oneLine(h)}`), ...entries.map((e) => formatEntry(e, eol))].join(eol) + eol
  );
}

function assignment(entry: SysctlEntry): string {
  return `${oneLine(entry.key)} = ${oneLine(entry.value)}`;
}

/** `sysctl -w` commands for a shell; values with spaces (array sysctls) are quoted. */
export function formatSysctlCommands(entries: readonly SysctlEntry[]): string {
  return entries
    .map(
      (e) =>
        `sysctl -w ${e.key}=${/^[\w.:-]+$/.test(e.value) ? e.value : `'${e.value.replace(/'/g, `'\\''`)}'`}`,
    )
    .join('\n');
}

/**
 * Edits that write `entries` into a file whose current text is `existing` (null or "" for a file
 * that does not exist yet): a key already assigned there is updated in place (its last, effective
 * assignment, keeping the old line as a comment); the other entries are appended after `heading`.
 * Lines end at LF, CRLF or a lone CR, as LSP positions count them and as systemd-sysctl reads
 * them; what is written uses the file's own line ending (its first one; LF for a new file).
 */
export function planSysctlEdits(
  existing: string | null,
  entries: readonly SysctlEntry[],
  heading: readonly string[],
): TextEdit[] {
  const lines = new SysctlLines(existing ?? '');
  const eol = lines.eol;
  const assigned = findAssignments(lines);
  const edits: TextEdit[] = [];
  const appended: SysctlEntry[] = [];
  for (const entry of entries) {
    const line = assigned.get(normalizeKey(entry.key));
    if (line === undefined) {
      appended.push(entry);
      continue;
    }
    edits.push({
      range: { start: { line, character: 0 }, end: lines.endOf(line) },
      newText: [
        ...commentLines(entry.comment),
        `# was: ${oneLine(lines.text(line))}`,
        assignment(entry),
      ].join(eol),
    });
  }
  if (appended.length > 0) {
    const end = lines.endOf(lines.count - 1);
    const lead = lines.isEmpty ? '' : (lines.endsWithBreak ? '' : eol) + eol;
    edits.push({ range: { start: end, end }, newText: lead + formatBlock(appended, heading, eol) });
  }
  return edits;
}

/** A sysctl file's lines: where each starts and where its text ends (before LF, CRLF or CR). */
class SysctlLines {
  private readonly starts = [0];
  private readonly ends: number[] = [];
  /** The file's first line ending, LF when it has none. */
  readonly eol: string;

  constructor(private readonly content: string) {
    let eol: string | null = null;
    const breaks = /\r\n|\r|\n/g;
    for (let m = breaks.exec(content); m !== null; m = breaks.exec(content)) {
      this.ends.push(m.index);
      this.starts.push(m.index + m[0].length);
      eol ??= m[0];
    }
    this.ends.push(content.length);
    this.eol = eol ?? '\n';
  }

  get count(): number {
    return this.starts.length;
  }

  get isEmpty(): boolean {
    return this.content.length === 0;
  }

  /** The text ends with a line break (an appended block then needs no leading one). */
  get endsWithBreak(): boolean {
    return this.starts[this.starts.length - 1] === this.content.length && this.count > 1;
  }

  text(line: number): string {
    return this.content.slice(this.starts[line], this.ends[line]);
  }

  endOf(line: number): Position {
    return { line, character: this.ends[line] - this.starts[line] };
  }
}

/** Normalised key → 0-based line of its last assignment. */
function findAssignments(lines: SysctlLines): Map<string, number> {
  const found = new Map<string, number>();
  for (let line = 0; line < lines.count; line++) {
    const m = /^\s*-?\s*([\w.\/*-]+)\s*=/.exec(lines.text(line));
    if (m) found.set(normalizeKey(m[1]), line);
  }
  return found;
}

function normalizeKey(key: string): string {
  return key.replace(/\//g, '.');
}
