// Small conversions every feature shares: the model's ranges to LSP ranges, and log text to one
// plain line (for symbol names, titles, diagnostics and sysctl comments, where a line break or a
// bidi control would change the meaning): `oneLine` is the core's, the one sanitiser every writer uses.

import type { Range } from 'vscode-languageserver-types';
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

export { oneLine } from '../core/safe-text';
