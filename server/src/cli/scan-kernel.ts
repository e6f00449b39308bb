// The reader's byte scanner: counts newlines and finds the first of a few short byte strings in a
// window of raw input, without decoding it. Used to skip, at memory speed, the stretches of a log
// the core says cannot matter (LogScanner.idle + REPORT_ANCHORS). WebAssembly SIMD when the
// runtime has it (Node ≥ 16.4), else the same contract in plain JS.

// The server's lib settings (ES2022, no DOM) do not declare WebAssembly: the little used here.
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: object };
      Memory: unknown;
    }
  | undefined;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  count(pos: number, end: number): number;
  find(pos: number, end: number): number;
  find5(pos: number, end: number): number;
  find6(pos: number, end: number): number;
  find_n(pos: number, end: number): number;
}

/** Window geometry inside the scanner's memory (see scan-kernel.wat). */
const WINDOW_START = 1024;
const SLACK = 32;
/** `find` holds four patterns in registers, `find5` five, `find6` six; `find_n` loops over up to eight. */
const HOISTED_PATTERNS = 4;
const MAX_PATTERNS = 8;
const MAX_PATTERN_BYTES = 16;

/** scan-kernel.wat assembled, in base64: written by `npm run build:scan-kernel`, checked by test:fast. */
const KERNEL_WASM =
  'AGFzbQEAAAABBwFgAn9/AX8DBwYAAAAAAAAFAwEABAcyBgZtZW1vcnkCAAVjb3VudAAABGZpbmQAAgVmaW5kNQADBWZpbmQ2AAQGZmluZF9uAAUK5QwGYQIBfwF7QQr9DyEDAkADQCAAQRBqIAFLDQEgAiAA/QAEACAD/SP9ZGlqIQIgAEEQaiEADAALCwJAA0AgACABTw0BIAAtAABBCkYEQCACQQFqIQILIABBAWohAAwACwsgAgtwAQR/AkADQCACQQAoAgBPDQFBwAAgAkEGdGohAyADKAIAIQQgACAEaiABTQRAQQAhBQJAA0AgBSAETwRAQQEPCyAAIAVqLQAAIANBMGogBWotAABHDQEgBUEBaiEFDAALCwsgAkEBaiECDAALC0EAC9cCCQF/BHsBfwJ7AX8CewF/AnsDf0EAKAIARQRAQX8PC0HQAP0ABAAhBUHgAP0ABAAhBkHAACgCAEEBayEHQZAB/QAEACEIQaAB/QAEACEJQYABKAIAQQFrIQpB0AH9AAQAIQtB4AH9AAQAIQxBwAEoAgBBAWshDUGQAv0ABAAhDkGgAv0ABAAhD0GAAigCAEEBayEQIAAhAgJAA0AgAiABTw0BIAL9AAQAIQMgAyAF/SMgAiAHav0ABAAgBv0j/U4gAyAI/SMgAiAKav0ABAAgCf0j/U79UCADIAv9IyACIA1q/QAEACAM/SP9TiADIA79IyACIBBq/QAEACAP/SP9Tv1Q/VAhBCAE/VMEQCAE/WQhEQJAA0AgEUUNASACIBFoaiESIBIgAU8EQEF/DwsgEiABEAEEQCASDwsgESARQQFrcSERDAALCwsgAkEQaiECDAALC0F/C48DCwF/BHsBfwJ7AX8CewF/AnsBfwJ7A39BACgCAEUEQEF/DwtB0AD9AAQAIQVB4AD9AAQAIQZBwAAoAgBBAWshB0GQAf0ABAAhCEGgAf0ABAAhCUGAASgCAEEBayEKQdAB/QAEACELQeAB/QAEACEMQcABKAIAQQFrIQ1BkAL9AAQAIQ5BoAL9AAQAIQ9BgAIoAgBBAWshEEHQAv0ABAAhEUHgAv0ABAAhEkHAAigCAEEBayETIAAhAgJAA0AgAiABTw0BIAL9AAQAIQMgAyAF/SMgAiAHav0ABAAgBv0j/U4gAyAI/SMgAiAKav0ABAAgCf0j/U79UCADIAv9IyACIA1q/QAEACAM/SP9TiADIA79IyACIBBq/QAEACAP/SP9Tv1QIAMgEf0jIAIgE2r9AAQAIBL9I/1O/VD9UCEEIAT9UwRAIAT9ZCEUAkADQCAURQ0BIAIgFGhqIRUgFSABTwRAQX8PCyAVIAEQAQRAIBUPCyAUIBRBAWtxIRQMAAsLCyACQRBqIQIMAAsLQX8LxwMNAX8EewF/AnsBfwJ7AX8CewF/AnsBfwJ7A39BACgCAEUEQEF/DwtB0AD9AAQAIQVB4AD9AAQAIQZBwAAoAgBBAWshB0GQAf0ABAAhCEGgAf0ABAAhCUGAASgCAEEBayEKQdAB/QAEACELQeAB/QAEACEMQcABKAIAQQFrIQ1BkAL9AAQAIQ5BoAL9AAQAIQ9BgAIoAgBBAWshEEHQAv0ABAAhEUHgAv0ABAAhEkHAAigCAEEBayETQZAD/QAEACEUQaAD/QAEACEVQYADKAIAQQFrIRYgACECAkADQCACIAFPDQEgAv0ABAAhAyADIAX9IyACIAdq/QAEACAG/SP9TiADIAj9IyACIApq/QAEACAJ/SP9Tv1QIAMgC/0jIAIgDWr9AAQAIAz9I/1OIAMgDv0jIAIgEGr9AAQAIA/9I/1O/VAgAyAR/SMgAiATav0ABAAgEv0j/U4gAyAU/SMgAiAWav0ABAAgFf0j/U79UP1Q/VAhBCAE/VMEQCAE/WQhFwJAA0AgF0UNASACIBdoaiEYIBggAU8EQEF/DwsgGCABEAEEQCAYDwsgFyAXQQFrcSEXDAALCwsgAkEQaiECDAALC0F/C9wBAwF/AnsFf0EAKAIAIQYgBkUEQEF/DwsgACECAkADQCACIAFPDQEgAv0ABAAhA/0MAAAAAAAAAAAAAAAAAAAAACEEQQAhBQNAQcAAIAVBBnRqIQcgBCADIAf9AAQQ/SMgAiAHKAIAakEBa/0ABAAgB/0ABCD9I/1O/VAhBCAFQQFqIQUgBSAGSQ0ACyAE/VMEQCAE/WQhCAJAA0AgCEUNASACIAhoaiEJIAkgAU8EQEF/DwsgCSABEAEEQCAJDwsgCCAIQQFrcSEIDAALCwsgAkEQaiECDAALC0F/Cw==';

export interface ScanKernel {
  /** The memory the window lives in; read into [start, start + capacity). */
  readonly buffer: Buffer;
  readonly start: number;
  readonly capacity: number;
  /** Newline (0x0A) bytes in [pos, end). */
  count(pos: number, end: number): number;
  /** Offset of the first pattern occurrence lying wholly in [pos, end), or -1. */
  find(pos: number, end: number): number;
  readonly kind: 'wasm-simd' | 'js';
}

function wasmKernel(patterns: Buffer[], capacity: number): ScanKernel | null {
  if (
    patterns.length === 0 ||
    patterns.length > MAX_PATTERNS ||
    patterns.some((p) => p.length === 0 || p.length > MAX_PATTERN_BYTES)
  )
    return null;
  if (typeof WebAssembly !== 'object' || WebAssembly === undefined) return null;
  try {
    const module = new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64'));
    const exports = new WebAssembly.Instance(module, {}).exports as KernelExports;
    const buffer = Buffer.from(exports.memory.buffer);
    if (WINDOW_START + capacity + SLACK > buffer.length) return null;
    buffer.writeInt32LE(patterns.length, 0);
    const slots = Array.from(
      { length: Math.max(HOISTED_PATTERNS, patterns.length) },
      (_, k) => patterns[k] ?? patterns[0],
    );
    slots.forEach((p, k) => {
      const entry = 64 + 64 * k;
      buffer.writeInt32LE(p.length, entry);
      buffer.fill(p[0], entry + 16, entry + 32);
      buffer.fill(p[p.length - 1], entry + 32, entry + 48);
      p.copy(buffer, entry + 48);
    });
    return {
      buffer,
      start: WINDOW_START,
      capacity,
      count: exports.count,
      find:
        patterns.length <= HOISTED_PATTERNS
          ? exports.find
          : patterns.length === 5
            ? exports.find5
            : patterns.length === 6
              ? exports.find6
              : exports.find_n,
      kind: 'wasm-simd',
    };
  } catch {
    return null; // no SIMD in this runtime
  }
}

function jsKernel(patterns: Buffer[], capacity: number): ScanKernel {
  const buffer = Buffer.alloc(WINDOW_START + capacity + SLACK);
  return {
    buffer,
    start: WINDOW_START,
    capacity,
    kind: 'js',
    count(pos, end) {
      let n = 0;
      for (let at = buffer.indexOf(10, pos); at !== -1 && at < end; at = buffer.indexOf(10, at + 1)) n++;
      return n;
    },
    find(pos, end) {
      if (pos >= end) return -1;
      const region = buffer.subarray(0, end);
      let first = -1;
      for (const p of patterns) {
        const at = region.indexOf(p, pos);
        if (at !== -1 && (first === -1 || at < first)) first = at;
      }
      return first;
    },
  };
}

/**
 * A scanner for these patterns with a window of `capacity` bytes. `prefer: 'js'` (or the
 * environment variable KLENS_SCAN=js) forces the plain-JS version, which tests compare against.
 */
export function createScanKernel(
  patterns: readonly string[],
  capacity: number,
  prefer: 'auto' | 'js' = process.env.KLENS_SCAN === 'js' ? 'js' : 'auto',
): ScanKernel {
  const bytes = patterns.map((p) => Buffer.from(p, 'utf8'));
  return (prefer === 'auto' ? wasmKernel(bytes, capacity) : null) ?? jsKernel(bytes, capacity);
}
