// Text of the suggested sysctl settings, and the edits that put them into a sysctl.conf-format
// file (sysctl.conf(5): `token = value`, `#`/`;` comments, `/` may stand for `.` in the token,
// a leading `-` makes a failure to apply non-fatal; the last assignment of a key wins).

import type { TextEdit } from 'vscode-languageserver';
import { LineIndex } from './line-index';

export interface SysctlEntry {
  key: string;
  value: string;
  /** Evidence, current value and risk: one or more lines, each starting with `#`. */
  comment: string;
}

/** `vm.min_free_kbytes = 90112` preceded by its comment lines. */
export function formatEntry(entry: SysctlEntry, eol: string): string {
  return [...commentLines(entry.comment), `${entry.key} = ${entry.value}`].join(eol);
}

/** The full block a new file (or an untitled document) gets. */
export function formatBlock(entries: readonly SysctlEntry[], heading: readonly string[], eol = '\n'): string {
  return [...heading.map((h) => `# ${h}`), ...entries.map((e) => formatEntry(e, eol))].join(eol) + eol;
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
 */
export function planSysctlEdits(
  existing: string | null,
  entries: readonly SysctlEntry[],
  heading: readonly string[],
): TextEdit[] {
  const text = existing ?? '';
  const index = new LineIndex(text);
  const eol = index.eol();
  const assigned = findAssignments(index);
  const edits: TextEdit[] = [];
  const appended: SysctlEntry[] = [];
  for (const entry of entries) {
    const line = assigned.get(normalizeKey(entry.key));
    if (line === undefined) {
      appended.push(entry);
      continue;
    }
    const old = index.lineText(line).trim();
    edits.push({
      range: index.lineRange(line),
      newText: [...commentLines(entry.comment), `# was: ${old}`, `${entry.key} = ${entry.value}`].join(eol),
    });
  }
  if (appended.length > 0) {
    const end = index.positionAt(text.length);
    const lead = text.length === 0 ? '' : (index.endsWithNewline() ? '' : eol) + eol;
    edits.push({ range: { start: end, end }, newText: lead + formatBlock(appended, heading, eol) });
  }
  return edits;
}

/** Normalised key → 0-based line of its last assignment. */
function findAssignments(index: LineIndex): Map<string, number> {
  const found = new Map<string, number>();
  for (let line = 0; line < index.lineCount; line++) {
    const m = /^\s*-?\s*([\w.\/*-]+)\s*=/.exec(index.lineText(line));
    if (m) found.set(normalizeKey(m[1]), line);
  }
  return found;
}

function normalizeKey(key: string): string {
  return key.replace(/\//g, '.');
}

/** Every line of a comment starts with `#`; control characters (a lone CR, NUL) are dropped so a
 * comment can never end early and turn the rest of its text into an assignment. */
function commentLines(comment: string): string[] {
  return comment
    .split(/\r?\n/)
    .map((l) => l.replace(/[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]/g, ' ').trimEnd())
    .filter((l) => l.length > 0)
    .map((l) => (/^\s*[#;]/.test(l) ? l.trimStart() : `# ${l}`));
}
