// Opening the CLI's inputs and pumping their bytes, in one pass and bounded memory, into a
// LineFeeder: regular files are read synchronously straight into the feeder's window, pipes and
// terminals through their streams.
import { open, type FileHandle } from 'node:fs/promises';
import { fstatSync, readSync } from 'node:fs';
import { visibleControls } from '../core/safe-text';
import { STDIN } from './args';
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
  /** Reads everything into the feeder; `onRead` after each read (byte count), awaited now and then. */
  pump(feeder: LineFeeder, onRead: (bytes: number) => Promise<void> | void): Promise<void>;
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
): Promise<void> {
  for (let reads = 1; ; reads++) {
    const { buffer, offset, length } = feeder.space();
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, offset, length, null);
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

/** A FIFO or a character device: reads may block, so they go through the thread pool. */
async function pumpHandle(
  handle: FileHandle,
  name: string,
  feeder: LineFeeder,
  onRead: (bytes: number) => Promise<void> | void,
): Promise<void> {
  for (;;) {
    const { buffer, offset, length } = feeder.space();
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, offset, length, null));
    } catch (err) {
      throw new InputError(describeReadError(err, name));
    }
    if (bytesRead === 0) return;
    feeder.commit(bytesRead);
    await onRead(bytesRead);
  }
}

/** A pipe or a terminal on standard input: the stream handles non-blocking descriptors. */
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

async function openFile(name: string): Promise<Input> {
  let handle: FileHandle;
  try {
    handle = await open(name, 'r');
  } catch (err) {
    throw new InputError(describeReadError(err, name));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const regular = stat.isFile();
    return {
      name,
      size: regular ? stat.size : null,
      regularFd: regular ? handle.fd : null,
      pump: (feeder, onRead) =>
        regular ? pumpRegular(handle.fd, name, feeder, onRead) : pumpHandle(handle, name, feeder, onRead),
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw new InputError(describeReadError(err, name));
  }
}

function openStdin(): Input {
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
  if (regular) {
    // `klens analyze < big.log`: read the file behind fd 0 in large chunks, from its current offset.
    return {
      name: STDIN,
      size,
      regularFd: 0,
      pump: (feeder, onRead) => pumpRegular(0, 'standard input', feeder, onRead),
      close: async () => undefined,
    };
  }
  // A pipe or a terminal: the stream handles non-blocking descriptors and end of input.
  return {
    name: STDIN,
    size: null,
    regularFd: null,
    pump: (feeder, onRead) => pumpStream(process.stdin, feeder, onRead),
    close: async () => {
      process.stdin.destroy();
    },
  };
}

/** Opens every input before any is read, so an unreadable one fails before output starts. */
export async function openInputs(names: readonly string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  try {
    for (const name of names) inputs.push(name === STDIN ? openStdin() : await openFile(name));
  } catch (err) {
    await Promise.all(inputs.map((i) => i.close().catch(() => undefined)));
    throw err;
  }
  return inputs;
}
