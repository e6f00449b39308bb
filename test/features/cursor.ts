// Test helpers for the pure features: the cursor is marked by `‸` (U+2038 CARET) in the source
// text, a character no kernel log prints (`|` cannot be used: GFP names are joined with it).

import type { Position } from 'vscode-languageserver';

/** The cursor marker. */
export const CURSOR = '\u2038';

/** Removes the one `‸` marker and returns the text and the marker's position. */
export function withCursor(source: string): { text: string; position: Position } {
  const offset = source.indexOf(CURSOR);
  if (offset < 0 || source.indexOf(CURSOR, offset + 1) >= 0) {
    throw new Error(`mark exactly one cursor with ${CURSOR}`);
  }
  const before = source.slice(0, offset);
  const line = before.split('\n').length - 1;
  return {
    text: before + source.slice(offset + CURSOR.length),
    position: { line, character: offset - (before.lastIndexOf('\n') + 1) },
  };
}
