// `klens analyze --follow`: reads on at the end of the input and prints one JSON object per line
// (NDJSON, schema `klens.follow/1`, docs/json.md) as each report completes, for log pipelines
// (`journalctl -kf | klens analyze --follow`, a Vector `exec` source, a Fluent Bit `exec` input).
//
// - A file is followed as `tail -F` does: at its end klens polls; a new file at the path (rotation
//   by rename) is read from its start once the old one is read to its end, a file that shrank
//   (truncation, `copytruncate`) from its start again. Each is a new generation: the reports still
//   open are complete, line numbers start again at 1, and a `reopened` event says why.
// - Standard input is read until it closes; a FIFO until a signal (writers may come and go).
// - A report whose last line is followed by no other line (the kernel printed it, then nothing)
//   is complete after `--close-after` seconds without a new line (LogScanner.end, as at the end of
//   input); each report is explained with the releases seen so far (ReportSequence.flush) rather
//   than waiting for a later report's, so nothing waits for more input.
// - Memory is bounded: the reader's window, the scanner's open reports, and ReportSequence's repeat
//   groups and hosts (FOLLOW_LIMITS); the scanner's rate-limit list is summed and cleared.
// - SIGTERM and SIGINT end it cleanly: the reports still open are printed, then an `end` event;
//   a closed pipe ends it quietly at the next write (output.ts).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Report } from '../core/model';
import { ReportSequence, type Analysed, type ReportCopy, type SequenceLimits } from '../core/analyze';
import { escapeJsonText, visibleControls } from '../core/safe-text';
import { STDIN } from './args';
import { describeReadError, InputError, readHead } from './input';
import { sniff } from './compression';
import { eventJson, type JsonEvent } from './json';
import type { Output } from './output';
import { packageVersion } from './package-files';
import type { FailOnTracker } from './results';
import { createScan, type Scan } from './scan';

/** The event schema's name and version: a consumer checks it (docs/json.md). */
export const FOLLOW_SCHEMA = 'klens.follow/1';

/** Repeat groups and hosts remembered (the least recently seen forgotten first), and lines kept per
 * group: a fleet's worth, a few MB at most. */
export const FOLLOW_LIMITS: SequenceLimits = { groups: 4096, linesPerGroup: 64 };

/** How often a followed file is checked for new bytes, rotation or truncation at its end. */
const POLL_MS = 200;
/** Reads in a row before yielding to the event loop (signals, the quiet timer, output). */
const READS_PER_YIELD = 8;

export interface FollowOptions {
  /** A report open this long without a new line is complete (ms). */
  quietMs: number;
  failOn?: FailOnTracker;
}

type FollowEvent =
  | { type: 'start'; file: string; klens: string }
  | { type: 'report'; file: string; report: JsonEvent }
  | { type: 'reopened'; file: string; reason: 'rotated' | 'truncated' }
  | {
      type: 'end';
      file: string;
      reason: 'eof' | 'signal';
      lines: number;
      reports: number;
      suppressed: number;
    };

/** Follows one input until it ends (standard input) or a signal comes. */
export async function followCommand(name: string, out: Output, options: FollowOptions): Promise<void> {
  const file = name;
  // opened before anything is printed: an unusable input is one line on stderr, exit 2
  const source: Source = name === STDIN ? { stream: process.stdin } : openFollowed(name);
  let reports = 0;
  let lines = 0;
  let suppressed = 0;
  const write = (event: FollowEvent): void => {
    const line = JSON.stringify({ schema: FOLLOW_SCHEMA, at: new Date().toISOString(), ...event });
    // C1 and bidi controls as \uNNNN, as in --json; one event per line, flushed at once
    out.write(`${escapeJsonText(line)}\n`);
    out.flush();
  };
  const sequence = new ReportSequence(
    (item: Analysed) => {
      reports++;
      options.failOn?.add(item);
      write({ type: 'report', file, report: eventJson(item) });
    },
    {},
    FOLLOW_LIMITS,
  );
  const onReport = (report: Report, banner: string | null, copy: ReportCopy | null): void => {
    sequence.push(report, banner, copy);
    sequence.flush();
  };
  let scan: Scan = createScan(onReport);

  // quiet: a report still open after quietMs without a new line is complete
  let lastData = Date.now();
  let quietDone = true;
  const quiet = (): void => {
    if (quietDone || Date.now() - lastData < options.quietMs) return;
    quietDone = true;
    scan.quiet();
    sequence.flush();
    suppressed += scan.takeSuppressed();
  };
  const gotData = (): void => {
    lastData = Date.now();
    quietDone = false;
  };
  const timer = setInterval(quiet, Math.max(10, Math.min(POLL_MS, options.quietMs / 4)));

  // signals: stop reading, print what is open, end
  let stopping = false;
  let wake: (() => void) | null = null;
  let stopStream: (() => void) | null = null;
  const onSignal = (): void => {
    stopping = true;
    wake?.();
    stopStream?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  /** The generation read so far is complete (rotation, truncation, the end). */
  const endGeneration = (): void => {
    const totals = scan.finish();
    sequence.flush();
    lines += totals.lineCount;
    suppressed += totals.suppressed;
  };

  write({ type: 'start', file, klens: packageVersion() });
  try {
    if ('stream' in source) {
      const stream = source.stream;
      stopStream = () => stream.destroy();
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          scan.feeder.write(chunk);
          gotData();
          await out.drained();
          if (stopping) break;
        }
      } catch (err) {
        if (!stopping) throw new InputError(describeReadError(err, name === STDIN ? 'standard input' : name));
      }
    } else {
      await followFile(name, source.fd, {
        feeder: () => scan.feeder,
        gotData,
        drained: () => out.drained(),
        stopping: () => stopping,
        sleep,
        reopened(reason) {
          endGeneration();
          write({ type: 'reopened', file, reason });
          scan = createScan(onReport);
        },
      });
    }
  } finally {
    clearInterval(timer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  endGeneration();
  sequence.end();
  write({ type: 'end', file, reason: stopping ? 'signal' : 'eof', lines, reports, suppressed });
  await out.end();
}

interface FileReader {
  feeder: () => Scan['feeder'];
  gotData: () => void;
  drained: () => Promise<void>;
  stopping: () => boolean;
  sleep: (ms: number) => Promise<void>;
  reopened: (reason: 'rotated' | 'truncated') => void;
}

type Source = { stream: Readable } | { fd: number };

/**
 * A regular file is opened to be polled (followFile). A FIFO is read as a pipe (libuv's, polled: no
 * read or open waits in the thread pool, where a signal could not end it), opened for reading and
 * writing so that neither the open nor a writer closing ends it: like `tail -F`, it waits for the
 * next writer. Anything else is refused.
 */
function openFollowed(path: string): Source {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    throw new InputError(describeReadError(err, path));
  }
  if (stats.isDirectory())
    throw new InputError(describeReadError(Object.assign(new Error(''), { code: 'EISDIR' }), path));
  if (!stats.isFile() && !stats.isFIFO())
    throw new InputError(
      `${visibleControls(path)}: --follow reads a regular file, a FIFO or standard input (for the kernel's own buffer: journalctl -kf | klens analyze --follow)`,
    );
  try {
    if (stats.isFile()) {
      const fd = openSync(path, 'r');
      // a growing log is text: an archive or a binary journal would be read as nothing
      const seen = sniff(readHead(fd, 0));
      if (seen.kind !== 'text') {
        closeSync(fd);
        throw new InputError(
          `${visibleControls(path)}: ${seen.kind === 'compressed' ? `${seen.format}-compressed: --follow reads a growing text log (klens analyze reads the archive)` : seen.why}`,
        );
      }
      return { fd };
    }
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    return { stream: new Socket({ fd, readable: true, writable: false }) };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(describeReadError(err, path));
  }
}

function openOrNull(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(describeReadError(err, path));
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Reads a file from its start and on at its end, like `tail -F` (see the top of the file). */
async function followFile(path: string, opened: number, reader: FileReader): Promise<void> {
  let fd = opened;
  let position = 0;
  let reads = 0;
  /** A new file is at the path: this one is read to its end once more (the writer may have added
   * lines before it reopened), then the new one is opened. */
  let draining = false;
  try {
    while (!reader.stopping()) {
      const feeder = reader.feeder();
      const { buffer, offset, length } = feeder.space();
      let bytes: number;
      try {
        bytes = readSync(fd, buffer, offset, length, position);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') bytes = 0;
        else throw new InputError(describeReadError(err, path));
      }
      if (bytes > 0) {
        position += bytes;
        feeder.commit(bytes);
        reader.gotData();
        await reader.drained();
        if (++reads % READS_PER_YIELD === 0) await reader.sleep(0);
        continue;
      }
      if (draining) {
        draining = false;
        const next = openOrNull(path);
        if (next !== null) {
          closeSync(fd);
          fd = next;
          position = 0;
          reader.reopened('rotated');
          continue;
        }
      }
      // at the end: a new file at the path, or this one cut shorter?
      const now = statOrNull(path);
      const mine = fstatSync(fd);
      if (now !== null && (now.ino !== mine.ino || now.dev !== mine.dev)) {
        draining = true;
        continue;
      } else if (mine.size < position) {
        position = 0;
        reader.reopened('truncated');
        continue;
      }
      await reader.sleep(POLL_MS);
    }
  } finally {
    closeSync(fd);
  }
}
