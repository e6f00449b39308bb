// Compressed logs (rotated `kern.log.2.gz`, `messages-20261101.xz`, `.zst`, `.bz2`): the format is
// told by the first bytes, never by the name, and the text is decompressed as a stream of chunks
// (never the whole file in memory). Node's zlib reads gzip; xz, zstd and bzip2 are read by pure-JS
// or WebAssembly decoders from the registry (bundled by esbuild): xz-decompress (xz-embedded in
// WebAssembly), fzstd, unbzip2-stream.
//
// What is recognised but cannot be read as text (another archive or compressor, a binary journal
// file, an executable) is named in one line, so that it never passes for a log without reports.
// Other binary bytes are read as text, as before (a log may hold NUL runs and stray bytes; the
// reader is total on any input, test/core/cli.test.ts "hostile input").
import { createGunzip } from 'node:zlib';
import { once } from 'node:events';
import { ReadableStream } from 'node:stream/web';

// The decoders are loaded when a file needs them (esbuild keeps a dynamic import's module
// uninitialised until then), so plain input pays nothing for them.

export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2';

/** What the first bytes of an input say it is. */
export type Sniffed =
  | { kind: 'text' }
  | { kind: 'compressed'; format: Compression }
  /** Not readable as a log: `why` completes "NAME: …" (one line). */
  | { kind: 'unreadable'; why: string };

/** Bytes looked at: the furthest magic number is tar's, at offset 257. */
export const SNIFF_BYTES = 512;

/** Magic numbers of the formats read (each format's own specification). */
const COMPRESSED: readonly {
  format: Compression;
  magic: readonly number[];
  then?: readonly (readonly number[])[];
}[] = [
  // RFC 1952 section 2.3.1: ID1 ID2, then CM = 8 (deflate, the only method defined)
  { format: 'gzip', magic: [0x1f, 0x8b, 0x08] },
  // The .xz File Format 1.1.0, section 2.1.1.1: Header Magic Bytes
  { format: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  // RFC 8878 section 3.1.1: Magic_Number 0xFD2FB528, little-endian
  { format: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  // bzip2 (bzip2 1.0.8 decompress.c): "BZh", the block size '1'..'9', then a block's magic
  // 0x314159265359 or, for an empty stream, the end-of-stream magic 0x177245385090: ten bytes, so
  // that a log beginning with "BZh" stays text
  {
    format: 'bzip2',
    magic: [0x42, 0x5a, 0x68],
    then: [
      [0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
      [0x17, 0x72, 0x45, 0x38, 0x50, 0x90],
    ],
  },
];

/** Formats recognised but not read, with what to do instead. */
const NOT_READ: readonly { magic: readonly number[]; at?: number; why: string }[] = [
  { magic: [0x1f, 0x9d], why: 'compress (.Z) data, which klens does not read: uncompress it first' },
  { magic: [0x1f, 0xa0], why: 'compress (.Z) data, which klens does not read: uncompress it first' },
  { magic: [0x4c, 0x5a, 0x49, 0x50], why: 'lzip data, which klens does not read: lzip -d it first' },
  { magic: [0x04, 0x22, 0x4d, 0x18], why: 'lz4 data, which klens does not read: lz4 -d it first' },
  { magic: [0x5d, 0x00, 0x00], why: 'lzma data, which klens does not read: unlzma it first' },
  { magic: [0x50, 0x4b, 0x03, 0x04], why: 'a zip archive: unzip it and analyze the folder' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], why: 'a 7z archive: extract it and analyze the folder' },
  { magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], why: 'a rar archive: extract it and analyze the folder' },
  // POSIX ustar header: "ustar" at offset 257
  {
    magic: [0x75, 0x73, 0x74, 0x61, 0x72],
    at: 257,
    why: 'a tar archive: extract it (tar xf) and analyze the folder',
  },
  // systemd's journal file header signature (src/libsystemd/sd-journal/journal-def.h HEADER_SIGNATURE)
  {
    magic: [0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48],
    why: 'a binary systemd journal file: export it with journalctl --file=FILE -k -o short-precise (or -o export)',
  },
  { magic: [0x7f, 0x45, 0x4c, 0x46], why: 'an ELF binary, not a log' },
  { magic: [0xff, 0xfe], why: 'UTF-16 text: convert it first (iconv -f UTF-16 -t UTF-8)' },
  { magic: [0xfe, 0xff], why: 'UTF-16 text: convert it first (iconv -f UTF-16 -t UTF-8)' },
];

const startsWith = (head: Uint8Array, magic: readonly number[], at = 0): boolean =>
  head.length >= at + magic.length && magic.every((b, i) => head[at + i] === b);

/** What the input's first bytes (up to SNIFF_BYTES; fewer only at its end) say. */
export function sniff(head: Uint8Array): Sniffed {
  for (const { format, magic, then } of COMPRESSED) {
    if (!startsWith(head, magic)) continue;
    if (then) {
      // bzip2's block size digit, then one of the magics
      const size = head[magic.length];
      if (!(size >= 0x31 && size <= 0x39) || !then.some((m) => startsWith(head, m, magic.length + 1)))
        continue;
    }
    return { kind: 'compressed', format };
  }
  for (const { magic, at, why } of NOT_READ)
    if (startsWith(head, magic, at)) return { kind: 'unreadable', why };
  return { kind: 'text' };
}

/** Corrupt or truncated compressed data: `message` completes "NAME: …". */
export class DecodeError extends Error {}

const truncated = (format: Compression): DecodeError =>
  new DecodeError(`${format} data ends early (truncated file?); analysed up to there`);
const corrupt = (format: Compression, detail?: string): DecodeError =>
  new DecodeError(`${format} data is corrupt${detail ? ` (${detail})` : ''}; analysed up to there`);

/** The decompressed bytes of `source`, chunk by chunk; DecodeError when the data is damaged. */
export function decompress(
  format: Compression,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  switch (format) {
    case 'gzip':
      return gunzip(source);
    case 'xz':
      return unxz(source);
    case 'zstd':
      return unzstd(source);
    case 'bzip2':
      return bunzip2(source);
  }
}

/** Node's zlib reads every member of a multi-member file (`cat a.gz b.gz`). */
async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const z = createGunzip({ chunkSize: 64 << 10 });
  const feeding = (async () => {
    for await (const chunk of source) if (!z.write(chunk)) await once(z, 'drain');
    z.end();
  })().catch((err: unknown) => z.destroy(err instanceof Error ? err : new Error(String(err))));
  try {
    for await (const out of z) yield out as Buffer;
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw truncated('gzip');
    if (code === 'Z_DATA_ERROR') throw corrupt('gzip', (err as Error).message);
    throw err;
  } finally {
    await feeding;
  }
}

/** A source read chunk by chunk, with chunks put back. */
class ChunkReader {
  private readonly back: Uint8Array[] = [];
  private readonly iterator: AsyncIterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }
  async next(): Promise<Uint8Array | null> {
    const held = this.back.pop();
    if (held) return held;
    const r = await this.iterator.next();
    return r.done ? null : r.value;
  }
  unshift(chunk: Uint8Array): void {
    if (chunk.length > 0) this.back.push(chunk);
  }
}

function findBytes(hay: Uint8Array, needle: readonly number[], from: number): number {
  for (
    let i = hay.indexOf(needle[0], from);
    i !== -1 && i + needle.length <= hay.length;
    i = hay.indexOf(needle[0], i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * xz-embedded stops at the end of the first stream, so a file of several (`cat a.xz b.xz`, pixz)
 * is cut at each Header Magic (.xz File Format 1.1.0 sections 2.1.1.1 and 2.2: a stream ends with
 * its footer, then Stream Padding of NUL bytes) and each stream is decoded in turn. Six given bytes
 * inside compressed data are as likely as any others: 2^-48 per position.
 */
async function* unxz(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { XzReadableStream } = await import('xz-decompress');
  const MAGIC = COMPRESSED[1].magic; // xz's
  const input = new ChunkReader(source);
  for (let streams = 0; ; streams++) {
    // between streams: Stream Padding, then the next stream's magic, or the end
    let head = await input.next();
    while (head !== null && streams > 0) {
      let z = 0;
      while (z < head.length && head[z] === 0) z++;
      if (z < head.length) {
        head = head.subarray(z);
        break;
      }
      head = await input.next();
    }
    if (head === null) return;
    while (streams > 0 && head.length < MAGIC.length) {
      const more = await input.next();
      if (more === null) break;
      const joined: Uint8Array = new Uint8Array(head.length + more.length);
      joined.set(head);
      joined.set(more, head.length);
      head = joined;
    }
    if (streams > 0 && !startsWith(head, MAGIC)) {
      const at = findBytes(head, MAGIC, 0);
      if (at === -1 || head.subarray(0, at).some((b) => b !== 0))
        throw corrupt('xz', 'data after the end of a stream');
      head = head.subarray(at);
    }
    input.unshift(head);

    // this stream's input: up to the next magic; the last MAGIC.length - 1 bytes of each chunk are
    // held back until the next one shows whether a magic starts among them
    let carry = new Uint8Array(0);
    let skip = MAGIC.length; // the stream's own magic
    let cut = false;
    let inputEnded = false;
    const streamInput = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (cut || inputEnded) return controller.close();
          const chunk = await input.next();
          if (chunk === null) {
            inputEnded = true;
            if (carry.length > 0) controller.enqueue(carry);
            return controller.close();
          }
          const joined = new Uint8Array(carry.length + chunk.length);
          joined.set(carry);
          joined.set(chunk, carry.length);
          const at = findBytes(joined, MAGIC, skip);
          if (at !== -1) {
            cut = true;
            input.unshift(joined.subarray(at));
            if (at > 0) controller.enqueue(joined.subarray(0, at));
            return controller.close();
          }
          const keep = Math.min(joined.length, MAGIC.length - 1);
          carry = joined.slice(joined.length - keep);
          skip = Math.max(0, skip - (joined.length - keep));
          if (joined.length > keep) return controller.enqueue(joined.subarray(0, joined.length - keep));
        }
      },
    });
    const reader = new XzReadableStream(streamInput).getReader();
    let complete = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        if (r.value.length > 0) yield r.value;
      }
      complete = true;
    } catch (err) {
      // xz-embedded's enum xz_ret: XZ_BUF_ERROR (8) is input that stops mid-stream, the others
      // (XZ_FORMAT_ERROR 5, XZ_DATA_ERROR 7 …) damaged data; at the input's end xz-decompress's
      // reader also fails with a TypeError (it reads past its last chunk)
      const code = /error code (\d+)/.exec((err as Error).message);
      throw (code ? code[1] === '8' : inputEnded)
        ? truncated('xz')
        : corrupt('xz', code ? `xz_ret ${code[1]}` : undefined);
    } finally {
      if (!complete) await reader.cancel().catch(() => undefined);
    }
    // the stream ended before its input was cut: the bytes held back are its padding
    if (!cut && !inputEnded && carry.some((b) => b !== 0)) input.unshift(carry);
  }
}

/**
 * Compressed bytes given to the zstd and bzip2 decoders at a time: what they decode from one call
 * is held until the reader takes it, and a run-length block expands a few bytes to a whole block
 * (zstd: RLE_Block, RFC 8878 section 3.1.1.2.2, up to 128 KiB; bzip2: its run-length stages), so
 * a small slice bounds that (1 KiB: at most some tens of MB however the data was made).
 */
const DECODER_SLICE_BYTES = 1024;

/** fzstd reads frame after frame (`cat a.zst b.zst`) and skippable frames (RFC 8878 section 3.1.2). */
async function* unzstd(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { Decompress } = await import('fzstd');
  const out: Uint8Array[] = [];
  const decoder = new Decompress((chunk) => {
    out.push(chunk);
  });
  for await (const chunk of source)
    for (let at = 0; at < chunk.length; at += DECODER_SLICE_BYTES) {
      try {
        decoder.push(chunk.subarray(at, at + DECODER_SLICE_BYTES));
      } catch (err) {
        yield* out.splice(0);
        throw corrupt('zstd', (err as Error).message);
      }
      yield* out.splice(0);
    }
  try {
    decoder.push(new Uint8Array(0), true);
  } catch {
    yield* out.splice(0);
    throw truncated('zstd');
  }
  yield* out.splice(0);
}

/**
 * bzip2 through unbzip2-stream's block decoder (its lib/bzip2.js and lib/bit_iterator.js; its
 * stream wrapper gathers each byte into a JS array, which costs some 100 MB of heap on a large
 * file): a block is decoded once enough input is held for the largest block of the stream's size
 * (as that wrapper does), bytes go into a reused 64 KiB array; concatenated streams are read in
 * turn (a stream's end marker, then the next "BZh"). The decoder's own errors are damaged data;
 * running out of input inside a block or a stream is missing data.
 */
async function* bunzip2(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { default: bz2 } = await import('unbzip2-stream/lib/bzip2.js');
  const { default: bitIterator } = await import('unbzip2-stream/lib/bit_iterator.js');
  const OUT_BYTES = 64 << 10;
  const queue: Uint8Array[] = [];
  let held = 0;
  let bits: ReturnType<typeof bitIterator> | null = null;
  let blockSize = 0;
  let streamCRC: number | null = null;
  let work: Int32Array | null = null;
  let out = new Uint8Array(OUT_BYTES);
  let n = 0;
  const done: Uint8Array[] = [];
  const put = (byte: number): void => {
    out[n++] = byte;
    if (n === OUT_BYTES) {
      done.push(out);
      out = new Uint8Array(OUT_BYTES);
      n = 0;
    }
  };
  const taken = (): Uint8Array[] => {
    if (n > 0) {
      done.push(out.slice(0, n));
      n = 0;
    }
    return done.splice(0);
  };
  const step = (): void => {
    if (!blockSize) {
      blockSize = bz2.header(bits!);
      streamCRC = 0;
      return;
    }
    const size = 100000 * blockSize;
    if (!work || work.length !== size) work = new Int32Array(size);
    streamCRC = bz2.decompress(bits!, put, work, size, streamCRC!);
    if (streamCRC === null) blockSize = 0; // end of stream: a next one may follow
  };
  for await (const chunk of source)
    for (let at = 0; at < chunk.length; at += DECODER_SLICE_BYTES) {
      queue.push(chunk.subarray(at, at + DECODER_SLICE_BYTES));
      held += Math.min(DECODER_SLICE_BYTES, chunk.length - at);
      bits ??= bitIterator(() => queue.shift()!);
      try {
        while (held - bits.bytesRead + 1 >= 25000 + 100000 * blockSize) step();
      } catch (err) {
        yield* taken();
        throw corrupt('bzip2', (err as Error).message);
      }
      yield* taken();
    }
  try {
    while (bits && held > bits.bytesRead) step();
  } catch (err) {
    yield* taken();
    // the bit reader runs out of input with a TypeError; the decoder's own errors name the damage
    throw err instanceof TypeError ? truncated('bzip2') : corrupt('bzip2', (err as Error).message);
  }
  yield* taken();
  if (streamCRC !== null) throw truncated('bzip2');
}
