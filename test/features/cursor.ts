// Test helpers for the pure features: the cursor is marked by `|` in the source text.

import type { Position } from 'vscode-languageserver';

/** Removes the one `|` marker and returns the text and the marker's position. */
export function withCursor(source: string): { text: string; position: Position } {
  const offset = source.indexOf('|');
  if (offset < 0 || source.indexOf('|', offset + 1) >= 0) throw new Error('mark exactly one cursor with |');
  const before = source.slice(0, offset);
  const line = before.split('\n').length - 1;
  return {
    text: before + source.slice(offset + 1),
    position: { line, character: offset - (before.lastIndexOf('\n') + 1) },
  };
}
