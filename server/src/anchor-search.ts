// The language server's search for the reader anchors (core/parse.ts AnchorSearch): the CLI's SIMD
// byte scanner (cli/scan-kernel.ts) run over the text's characters, copied into it a window at a
// time as Latin-1, one byte per UTF-16 unit, so that a byte's offset is the character's. The
// core's one regular expression over all the anchors reads a 50 MB log at about 400 MB/s and was
// the largest part of the editor's reading (issue #17); copying and scanning run at 1–2 GB/s.
// A unit above 0xFF is cut to its low byte and may look like part of an anchor: every hit is
// checked in the string. Anchors are ASCII, so none is missed.

import { READER_ANCHORS, regexAnchorSearch, type AnchorSearch } from './core/parse';
import { createScanKernel, type ScanKernel } from './cli/scan-kernel';

/** Characters copied into the scanner at a time (the scanner's memory holds 256 KiB). */
const WINDOW_CHARS = 128 << 10;

const MULTI = READER_ANCHORS.filter((a) => a.length > 1);
/** One-character anchors (ESC) are searched with indexOf: the scanner takes strings of two or more. */
const SINGLE = READER_ANCHORS.filter((a) => a.length === 1);
const LONGEST = Math.max(...MULTI.map((a) => a.length));
/** The scan compares bytes: an anchor outside ASCII would not be the Latin-1 copy's bytes. */
const ASCII_ONLY = READER_ANCHORS.every((a) => /^[\x00-\x7f]+$/.test(a));

/** One scanner for every search (a search whose window another search overwrote copies it
 * again), compiled when the server starts rather than at the first document's open. Without
 * WebAssembly SIMD, null: the plain-JS scanner is slower than the regular expression. */
const shared: { kernel: ScanKernel; owner: object | null } | null = (() => {
  const kernel = ASCII_ONLY ? createScanKernel(MULTI, WINDOW_CHARS, 'auto') : null;
  return kernel?.kind === 'wasm-simd' ? { kernel, owner: null } : null;
})();

/** The SIMD anchor search of `text`, or the core's regular expression where the runtime has no
 * WebAssembly SIMD. */
export function simdAnchorSearch(text: string): AnchorSearch {
  const scan = shared;
  if (scan === null) return regexAnchorSearch(text);
  const { kernel } = scan;
  const owner = {};
  /** The window holds text[windowFrom, windowFrom + windowChars) while `owner` owns the scanner. */
  let windowFrom = 0;
  let windowChars = 0;
  /** The next one-character anchor of each at or after the last search (-1: none; -2: not searched). */
  const singleAt = SINGLE.map(() => -2);

  const copy = (from: number): void => {
    windowFrom = from;
    windowChars = Math.min(WINDOW_CHARS, text.length - from);
    kernel.buffer.write(text.slice(from, from + windowChars), kernel.start, windowChars, 'latin1');
    scan.owner = owner;
  };

  /** The first anchor of two or more characters at or after `from`, or -1. */
  const findMulti = (from: number): number => {
    let pos = from;
    while (pos < text.length) {
      if (scan.owner !== owner || pos < windowFrom || pos >= windowFrom + windowChars) copy(pos);
      const base = kernel.start - windowFrom;
      const end = kernel.start + windowChars;
      for (let at = kernel.find(base + pos, end); at !== -1; at = kernel.find(at + 1, end)) {
        const offset = at - base;
        if (MULTI.some((a) => text.startsWith(a, offset))) return offset;
      }
      if (windowFrom + windowChars >= text.length) return -1;
      // an anchor cut by the window's end is found in the next window, which begins before it
      // (and may begin before `pos`, which stays the search's start)
      copy(windowFrom + windowChars - (LONGEST - 1));
      pos = Math.max(pos, windowFrom);
    }
    return -1;
  };

  /** The last `from` searched: the cached one-character hits hold only for searches from there on. */
  let lastFrom = 0;
  return (from) => {
    if (from < lastFrom) singleAt.fill(-2);
    lastFrom = from;
    let first = findMulti(from);
    for (let k = 0; k < SINGLE.length; k++) {
      if (singleAt[k] === -2 || (singleAt[k] !== -1 && singleAt[k] < from))
        singleAt[k] = text.indexOf(SINGLE[k], from);
      const at = singleAt[k];
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    return first;
  };
}
