// Opening the CLI's inputs and pumping their bytes, in one pass and bounded memory, into a
// LineFeeder: regular files are read synchronously straight into the feeder's window, pipes and
// terminals through their streams. The first bytes of every input but a terminal tell its format
// (compression.ts): compressed input is decompressed on the way, a format klens cannot read is an
// InputError before anything is read.
import { open, type FileHandle } from 'node:fs/promises';
import { fstatSync, readFileSync, readSync } from 'node:fs';
import { visibleControls } from '../core/safe-text';
import { STDIN } from './args';
import { decompress, DecodeError, SNIFF_BYTES, sniff, type Compression } from './compression';
import type { LineFeeder } from './feeder';

/** Regular files are read synchronously; yield to the event loop (EPIPE, progress) this often. */
const READS_PER_YIELD = 8;

/** One input, opened and checked, ready to be read once. */
export interface Input {
  /** As given on the command line (`-` for standard input). */
  name: string;
  /** Size in bytes when known in advance (regular files), else null. */
  size: number | null;
  /** The descriptor of a regular file (readable from another thread), else null. */
  regularFd: number | null;
  /** Where in that file reading starts: 0, or standard input's offset when it was opened part-way
   * (`{ head -c 1M >/dev/null; klens analyze -; } < big.log`). */
  regularStart?: number;
  /** The compression read through (then `size` counts compressed bytes), null for text. */
  compression: Compression | null;
  /** Reads everything into the feeder; `onRead` after each read (byte count), awaited now and then.
   * Damaged compressed data ends the pump normally, with `damage` set. */
  pump(feeder: LineFeeder, onRead: (bytes: number) => Promise<void> | void): Promise<void>;
  /** Plain text of a regular file only: `pump` from byte `position` of the file (the scan
   * worker's hand-over: the descriptor's own offset is past what the worker read ahead). */
  pumpAt?(
    position: number,
    feeder: LineFeeder,
    onRead: (bytes: number) => Promise<void> | void,
  ): Promise<void>;
  /** After `pump`: why the compressed data stopped early (`NAME: gzip data is corrupt …`), else null. */
  damage: string | null;
  close(): Promise<void>;
}

/** An input that cannot be read: printed as `klens: <message>`, exit status 2. */
export class InputError extends Error {}

/** A read or open error in one line: `NAME: no such file or directory`, `NAME: permission denied`
 * (the name's control characters shown as escapes: it goes to a terminal). */
export function describeReadError(err: unknown, fileName: string): string {
  const name = visibleControls(fileName);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `${name}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${name}: permission denied`;
    case 'EISDIR':
      return `${name}: is a directory`;
    case 'ENOTDIR':
      return `${name}: not a directory in the path`;
    case 'ELOOP':
      return `${name}: too many levels of symbolic links`;
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return `${name}: cannot read: ${visibleControls(message.split('\n')[0])}`;
    }
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A regular file: synchronous reads straight into the feeder's window. A third faster than the
 * thread pool's round trips on a page-cached file; they never block for long nor see EAGAIN.
 */
async function pumpRegular(
  fd: number,
  name: string,
  feeder: LineFeeder,
  onRead: (bytes: number) => Promise<void> | void,
  /** Where to read from (null: the descriptor's own offset, moved as it is read). */
  position: number | null = null,
): Promise<void> {
  for (let reads = 1; ; reads++) {
    const { buffer, offset, length } = feeder.space();
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, offset, length, position);
      if (position !== null) position += bytesRead;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        await nextTurn();
        continue;
      }
      throw new InputError(describeReadError(err, name));
    }
    if (bytesRead === 0) return;
    feeder.commit(bytesRead);
    const wait = onRead(bytesRead);
    if (wait) await wait;
    if (reads % READS_PER_YIELD === 0) await nextTurn();
  }
}

/** A terminal on standard input: the stream handles non-blocking descriptors. */
async function pumpStream(
  stream: AsyncIterable<Buffer>,
  feeder: LineFeeder,
  onRead: (bytes: number) => Promise<void> | void,
): Promise<void> {
  for await (const chunk of stream) {
    feeder.write(chunk);
    await onRead(chunk.length);
  }
}

/** Chunks of compressed input read from a descriptor (fresh buffers: decoders may keep them). */
async function* readChunks(fd: number, name: string, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = Buffer.allocUnsafe(COMPRESSED_READ_BYTES);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        await nextTurn();
        continue;
      }
      throw new InputError(describeReadError(err, name));
    }
    if (n === 0) return;
    counted.bytes += n;
    yield chunk.subarray(0, n);
  }
}

async function* handleChunks(
  handle: FileHandle,
  name: string,
  counted: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = Buffer.allocUnsafe(COMPRESSED_READ_BYTES);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(chunk, 0, chunk.length, null));
    } catch (err) {
      throw new InputError(describeReadError(err, name));
    }
    if (bytesRead === 0) return;
    counted.bytes += bytesRead;
    yield chunk.subarray(0, bytesRead);
  }
}

/** Compressed reads: large enough that a decoder call per read costs little. */
const COMPRESSED_READ_BYTES = 64 << 10;

/**
 * Decompresses `source` into the feeder; `onRead` gets the compressed bytes read since the last
 * call (progress counts the file's bytes). Damaged data: what was decoded before it is kept, and
 * the damage returned as one line.
 */
async function pumpCompressed(
  format: Compression,
  source: AsyncIterable<Uint8Array>,
  counted: { bytes: number },
  name: string,
  feeder: LineFeeder,
  onRead: (bytes: number) => Promise<void> | void,
): Promise<string | null> {
  let reported = 0;
  // What the decompressed data is, told by its first bytes as the file's own are (a
  // sosreport-*.tar.xz, a compressed binary journal, a .gz inside a .gz): anything but text is the
  // one-line error of an unreadable file (nothing was read), never "no memory reports".
  let head: Uint8Array | null = new Uint8Array(0);
  const unreadable = (data: Uint8Array): string | null => {
    const seen = sniff(data);
    if (seen.kind === 'text') return null;
    const what =
      seen.kind === 'compressed' ? `${seen.format}-compressed data: decompress it first` : seen.why;
    return `${visibleControls(name)}: ${format}-compressed; inside, ${what}`;
  };
  try {
    for await (const chunk of decompress(format, source)) {
      if (head) {
        const joined: Uint8Array = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        if (joined.length < SNIFF_BYTES) {
          head = joined;
          continue;
        }
        head = null;
        const why = unreadable(joined);
        if (why) throw new InputError(why);
        feeder.write(joined);
      } else feeder.write(chunk);
      const bytes = counted.bytes - reported;
      reported = counted.bytes;
      await onRead(bytes);
    }
    if (head && head.length > 0) {
      const why = unreadable(head);
      if (why) throw new InputError(why);
      feeder.write(head);
    }
  } catch (err) {
    if (head && head.length > 0 && !unreadable(head)) feeder.write(head);
    if (err instanceof DecodeError) return `${visibleControls(name)}: ${err.message}`;
    throw err;
  }
  return null;
}

/** The chunks of `rest` after those already read. */
async function* prefixed(
  head: readonly Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* head;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/** An input read as a stream (a pipe, a FIFO, a character device): its first chunks are read now
 * (at least the longest magic number, or to its end) to tell its format. */
async function openStream(
  name: string,
  shownName: string,
  chunks: AsyncIterator<Uint8Array>,
  counted: { bytes: number },
  close: () => Promise<void>,
): Promise<Input> {
  const head: Uint8Array[] = [];
  let have = 0;
  while (have < SNIFF_MIN_BYTES) {
    const r = await chunks.next();
    if (r.done) break;
    head.push(r.value);
    have += r.value.length;
  }
  const first = head.length === 1 ? head[0] : Buffer.concat(head);
  const what = sniff(first.subarray(0, SNIFF_BYTES));
  if (what.kind === 'unreadable') {
    await close().catch(() => undefined);
    throw new InputError(`${visibleControls(shownName)}: ${what.why}`);
  }
  const input: Input = {
    name,
    size: null,
    regularFd: null,
    compression: what.kind === 'compressed' ? what.format : null,
    damage: null,
    pump: async (feeder, onRead) => {
      if (what.kind === 'compressed') {
        input.damage = await pumpCompressed(
          what.format,
          prefixed(head, chunks),
          counted,
          shownName,
          feeder,
          onRead,
        );
        return;
      }
      for (const chunk of head) {
        feeder.write(chunk);
        await onRead(chunk.length);
      }
      for (;;) {
        const r = await chunks.next();
        if (r.done) return;
        feeder.write(r.value);
        await onRead(r.value.length);
      }
    },
    close,
  };
  return input;
}

/** Bytes a stream's format is told from: the longest magic number (bzip2's with its block magic, 10). */
const SNIFF_MIN_BYTES = 10;

/** The first bytes of a regular file from `position`, without moving its offset. */
export function readHead(fd: number, position: number): Uint8Array {
  const head = Buffer.allocUnsafe(SNIFF_BYTES);
  let n = 0;
  while (n < head.length) {
    const got = readSync(fd, head, n, head.length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return head.subarray(0, n);
}

/** A regular file (or standard input redirected from one) opened at `position`: plain text is
 * read straight into the feeder, compressed data through its decoder. */
function regularInput(
  name: string,
  shownName: string,
  fd: number,
  start: number,
  size: number,
  head: Uint8Array,
  close: () => Promise<void>,
): Input {
  const what = sniff(head);
  if (what.kind === 'unreadable') throw new InputError(`${visibleControls(shownName)}: ${what.why}`);
  if (what.kind === 'text')
    return {
      name,
      size,
      regularFd: fd,
      regularStart: start,
      compression: null,
      damage: null,
      pump: (feeder, onRead) => pumpRegular(fd, shownName, feeder, onRead),
      pumpAt: (position, feeder, onRead) => pumpRegular(fd, shownName, feeder, onRead, position),
      close,
    };
  const counted = { bytes: 0 };
  const input: Input = {
    name,
    size,
    regularFd: null,
    compression: what.format,
    damage: null,
    pump: async (feeder, onRead) => {
      input.damage = await pumpCompressed(
        what.format,
        readChunks(fd, shownName, counted),
        counted,
        shownName,
        feeder,
        onRead,
      );
    },
    close,
  };
  return input;
}

async function openFile(name: string): Promise<Input> {
  let handle: FileHandle;
  try {
    handle = await open(name, 'r');
  } catch (err) {
    throw new InputError(describeReadError(err, name));
  }
  const close = (): Promise<void> => handle.close();
  let stat;
  let head: Uint8Array | null = null;
  try {
    stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stat.isFile()) head = readHead(handle.fd, 0);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw new InputError(describeReadError(err, name));
  }
  try {
    if (head) return regularInput(name, name, handle.fd, 0, stat.size, head, close);
    const counted = { bytes: 0 };
    return await openStream(name, name, handleChunks(handle, name, counted), counted, close);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Where standard input's file offset is (`klens analyze < log` after something read part of it):
 * Linux's /proc/self/fdinfo/0 `pos:` (proc(5)); null where that cannot be read. */
function stdinOffset(): number | null {
  try {
    const m = /^pos:\s*(\d+)/m.exec(readFileSync('/proc/self/fdinfo/0', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function* streamChunks(
  stream: AsyncIterable<Buffer>,
  counted: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    counted.bytes += chunk.length;
    yield chunk;
  }
}

async function openStdin(): Promise<Input> {
  let size: number | null = null;
  let regular = false;
  try {
    const stat = fstatSync(0);
    regular = stat.isFile();
    if (regular) size = stat.size;
    if (stat.isDirectory()) throw new InputError('standard input: is a directory');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(describeReadError(err, 'standard input'));
  }
  const noClose = async (): Promise<void> => undefined;
  if (regular) {
    // `klens analyze < big.log`: read the file behind fd 0 in large chunks, from its current
    // offset; its first bytes are read at that offset without moving it
    const at = stdinOffset();
    let head: Uint8Array;
    try {
      head = at === null ? new Uint8Array(0) : readHead(0, at);
    } catch (err) {
      throw new InputError(describeReadError(err, 'standard input'));
    }
    if (at !== null) return regularInput(STDIN, 'standard input', 0, at, size!, head, noClose);
  }
  const destroy = async (): Promise<void> => {
    process.stdin.destroy();
  };
  // A terminal: what is typed is text.
  if (process.stdin.isTTY)
    return {
      name: STDIN,
      size: null,
      regularFd: null,
      compression: null,
      damage: null,
      pump: (feeder, onRead) => pumpStream(process.stdin, feeder, onRead),
      close: destroy,
    };
  // A pipe (or a file whose offset cannot be read): the stream handles non-blocking descriptors
  // and end of input.
  const counted = { bytes: 0 };
  return openStream(
    STDIN,
    'standard input',
    streamChunks(process.stdin, counted)[Symbol.asyncIterator](),
    counted,
    destroy,
  );
}

/** Opens every input before any is read, so an unreadable one fails before output starts. */
export async function openInputs(names: readonly string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  try {
    for (const name of names) inputs.push(name === STDIN ? await openStdin() : await openFile(name));
  } catch (err) {
    await Promise.all(inputs.map((i) => i.close().catch(() => undefined)));
    throw err;
  }
  return inputs;
}
