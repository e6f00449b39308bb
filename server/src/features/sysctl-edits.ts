// Text of the suggested sysctl settings, and the edits that put them into a sysctl.conf-format
// file (sysctl.conf(5): `token = value`, `#`/`;` comments, `/` may stand for `.` in the token,
// a leading `-` makes a failure to apply non-fatal; the last assignment of a key wins).

import type { Position, TextEdit } from 'vscode-languageserver-types';
import { commentLines, oneLine } from '../core/safe-text';
import {
  conflictWinner,
  hostEndLine,
  hostLabel,
  hostMark,
  hostStartLine,
  winsLine,
  yieldedLine,
} from '../core/sysctl-hosts';

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

/** The report the entries come from, for the host blocks (core/sysctl-hosts.ts). */
export interface SysctlOrigin {
  /** The host name the log printed, null when none. */
  host: string | null;
  /** "messages:1 (Apr 28 05:30:51)": the report's provenance. */
  from: string;
}

/**
 * Edits that write `entries` into a file whose current text is `existing` (null or "" for a file
 * that does not exist yet): a key already assigned there is updated in place (its last, effective
 * assignment, keeping the old line as a comment); the other entries are appended after `heading`.
 * Lines end at LF, CRLF or a lone CR, as LSP positions count them and as systemd-sysctl reads
 * them; what is written uses the file's own line ending (its first one; LF for a new file).
 *
 * With `origin` (the editor's quick fixes, issue #14) the entries go into the block of the
 * report's host (`# Kernel Log Lens: host …` … `# Kernel Log Lens: end of host …`), created at the
 * end when the file has none. A key that another block already sets is never silently
 * overwritten: with the same value the block gets its own line; with another value the rule of
 * core/sysctl-hosts.ts picks the one that stays active, and the other becomes a comment saying
 * which wins and why. A key assigned outside every block (the user's own line) is updated in
 * place as above.
 */
export function planSysctlEdits(
  existing: string | null,
  entries: readonly SysctlEntry[],
  heading: readonly string[],
  origin?: SysctlOrigin,
): TextEdit[] {
  const lines = new SysctlLines(existing ?? '');
  const eol = lines.eol;
  const assigned = findAssignments(lines);
  const edits: TextEdit[] = [];
  const appended: string[] = [];
  const blocks = origin ? findHostBlocks(lines) : null;
  for (const entry of entries) {
    const key = normalizeKey(entry.key);
    const inBlocks = blocks?.assignments.get(key) ?? [];
    if (origin && inBlocks.length > 0) {
      const current = inBlocks[inBlocks.length - 1];
      if (current.value === entry.value) {
        appended.push(formatEntry(entry, eol));
        continue;
      }
      const { incomingWins, why } = conflictWinner(entry.key, current.value, entry.value);
      if (incomingWins) {
        const from = `host ${hostLabel(origin.host)}, report at ${origin.from}`;
        for (const other of inBlocks)
          if (other.value !== entry.value)
            edits.push({
              range: { start: { line: other.line, character: 0 }, end: lines.endOf(other.line) },
              newText: [yieldedLine(entry.key, other.value), winsLine(entry.value, from, why)].join(eol),
            });
        appended.push(formatEntry(entry, eol));
      } else {
        appended.push(
          [
            ...commentLines(entry.comment),
            yieldedLine(entry.key, entry.value),
            winsLine(current.value, `host ${current.host}, already in this file`, why),
          ].join(eol),
        );
      }
      continue;
    }
    const line = assigned.get(key);
    if (line === undefined) {
      appended.push(formatEntry(entry, eol));
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
  if (appended.length === 0) return edits;
  const body = [...heading.map((h) => `# ${oneLine(h)}`), ...appended];
  const own = origin ? blocks!.hosts.get(hostLabel(origin.host)) : undefined;
  if (origin && own?.end !== undefined) {
    // into the host's block, before its closing line
    const at = { line: own.end, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: body.join(eol) + eol });
    return edits;
  }
  const end = lines.endOf(lines.count - 1);
  const lead = lines.isEmpty ? '' : (lines.endsWithBreak ? '' : eol) + eol;
  const block = origin ? [hostStartLine(origin.host), ...body, hostEndLine(origin.host)] : body;
  edits.push({ range: { start: end, end }, newText: lead + block.join(eol) + eol });
  return edits;
}

interface HostBlocks {
  /** Host label → its block's closing line (undefined when the block is not closed). */
  hosts: Map<string, { start: number; end: number | undefined }>;
  /** Normalised key → its active assignments inside host blocks, in file order. */
  assignments: Map<string, { line: number; value: string; host: string }[]>;
}

/** The host blocks klens wrote: where each starts and ends, and the keys they set. */
function findHostBlocks(lines: SysctlLines): HostBlocks {
  const hosts = new Map<string, { start: number; end: number | undefined }>();
  const assignments = new Map<string, { line: number; value: string; host: string }[]>();
  let current: string | null = null;
  for (let line = 0; line < lines.count; line++) {
    const text = lines.text(line);
    const mark = hostMark(text);
    if (mark?.kind === 'start') {
      current = mark.host;
      if (!hosts.has(current)) hosts.set(current, { start: line, end: undefined });
      continue;
    }
    if (mark?.kind === 'end') {
      const block = hosts.get(mark.host);
      if (block && current === mark.host) block.end = line;
      current = null;
      continue;
    }
    if (current === null) continue;
    const m = /^\s*-?\s*([\w.\/*-]+)\s*=\s*(.*?)\s*$/.exec(text);
    if (!m) continue;
    const key = normalizeKey(m[1]);
    let list = assignments.get(key);
    if (!list) assignments.set(key, (list = []));
    list.push({ line, value: m[2], host: current });
  }
  return { hosts, assignments };
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
