// Small conversions every feature shares: the model's ranges to LSP ranges, and log text to one
// plain line (for symbol names and sysctl comments, where a line break would change the meaning).

import type { Range } from 'vscode-languageserver';
import type { TextRange } from '../core/model';

export function toRange(r: TextRange): Range {
  return {
    start: { line: r.startLine, character: r.startChar },
    end: { line: r.endLine, character: r.endChar },
  };
}

export function fromRange(r: Range): TextRange {
  return {
    startLine: r.start.line,
    startChar: r.start.character,
    endLine: r.end.line,
    endChar: r.end.character,
  };
}

/** Control characters (line breaks, NUL, ESC, the Unicode line separators) become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, ' ').trim();
}
