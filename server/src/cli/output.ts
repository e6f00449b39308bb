// Standard output for the CLI: small writes are gathered into large ones, and the reader waits for
// a slow consumer (`klens analyze big.log | less`) instead of queueing output in memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const FLUSH_CHARS = 64 * 1024;
const RESOLVED = Promise.resolve();

export class Output {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Called before text reaches the stream (erases a progress bar on the same terminal). */
    private readonly beforeWrite: () => void = () => undefined,
  ) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    this.beforeWrite();
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.stream.write(text);
  }

  /**
   * Resolves when the stream has taken what was written (call between input chunks). Asks the
   * stream itself (`writableNeedDrain`), not a flag set when a write returned false: a `drain`
   * that came while the caller awaited something else (a scan worker's next batch) would never
   * come again, and klens stopped there with the output cut, exiting 0 (issue #17's floods:
   * KLENS_WORKER=always over several files through a pipe cut 3 runs in 15).
   */
  drained(): Promise<void> {
    if (!(this.stream as Writable).writableNeedDrain) return RESOLVED;
    return once(this.stream, 'drain').then(() => undefined);
  }

  async end(): Promise<void> {
    this.flush();
    await this.drained();
  }
}

/**
 * A reader that closed the pipe early (`klens analyze big.log | head`) is not an error: stop
 * quietly. Any other write error is reported in one line.
 */
export function exitQuietlyOnClosedPipe(
  stream: NodeJS.WritableStream,
  onOtherError: (err: Error) => void,
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    onOtherError(err);
  });
}
