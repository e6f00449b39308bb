// Two cores for one large file: a worker thread reads and scans it (reader, anchor skipping, the
// core's LogScanner deciding which lines make each report) while the main thread reads the
// numbers out of each report's lines (replayReport), analyses the reports in file order
// (explainReport), formats and writes them. The worker is the longer of the two, so what it must
// pay for the hand-over is kept small: it records each report's lines (report-record.ts: strings
// and a Float64Array) instead of building the Report, and posts the recordings in batches. On the
// 1 GiB benchmark syslog that took the worker's part of the hand-over from ~0.3 s (structured
// clone of the finished Reports, 18 MB) to ~0.03 s, and moved the ~0.3 s of reading numbers out
// to the main thread, which was idle a third of the time. The worker blocks (Atomics.wait) when
// the main thread is more than MAX_IN_FLIGHT batches behind, so memory stays bounded whatever the
// file's size. The worker runs the CLI's own entry module, which hands over to runScanWorker when
// it sees the worker's role in workerData.
import { readSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';
import type { Report } from '../core/model';
import { recordReport, replayReport, type RecordedReport } from '../core/report-record';
import { describeReadError, InputError } from './input';
import type { Progress } from './progress';
import { createScan, type ResumePoint, type ScanTotals } from './scan';

export const SCAN_WORKER_ROLE = 'klens-scan-worker';

/**
 * A batch holds at most BATCH_REPORTS reports and goes at the latest once MESSAGE_BYTES have been
 * read or MESSAGE_MS have passed since the last one (the progress bar). Few messages matter: each
 * wakes the main thread, which on two cores preempts the worker. On the 1 GiB benchmark syslog, a
 * message per MiB (1,028) against one per 8 MiB (196): main-thread wake-ups 500 → 170, the
 * worker's involuntary context switches ~700 → ~450; on a loaded machine ~0.2 s more CPU in each
 * thread (on an idle one within the noise). Bigger batches gained nothing more.
 */
const BATCH_REPORTS = 32;
const MESSAGE_BYTES = 8 << 20;
const MESSAGE_MS = 100;
/**
 * The worker's young generation, in MB. What the worker keeps is small (the scanner's open
 * reports, the batches in flight), so V8's default (it grows the semi-spaces to 16 MB each) is
 * mostly garbage held beside the main thread's: capped, a flood of 50,000 reports whose dumps
 * change peaked at 192 against 218 MB (issue #17: under 200 MB at any size; bench/NOTES.md,
 * session 12). A limit on the young generation only makes collections more frequent, never fails.
 */
const WORKER_YOUNG_GENERATION_MB = 8;
/** Batches posted and not yet consumed (at most this many × BATCH_REPORTS reports in memory). */
const MAX_IN_FLIGHT = 16;
const POSTED = 0;
const CONSUMED = 1;
/** Whether the worker may read: WAIT until the main thread has decided (`handOver`), then READ or LEAVE. */
const START = 2;
const WAIT = 0;
const READ = 1;
const LEAVE = 2;
/** Set when the main thread wants to read the rest itself (`takeOver`), to the number of reports
 * in a row it saw as a flood: the worker stops after the window it reads, unless its last resume
 * point lies before more than those (and REREAD_SLACK_REPORTS) reports, or more than
 * REREAD_MAX_BYTES back: reports that are no copies (a flood whose dumps change, before the
 * verbatim one), or a rate limiter's count carried from far back, would be read again in one
 * thread, costing more than the flood saves. It then reads on as before. */
const STOP = 3;
// (the batches in flight when the main thread decided came after the reports it counted)
const REREAD_SLACK_REPORTS = (MAX_IN_FLIGHT + 2) * BATCH_REPORTS;
const REREAD_MAX_BYTES = 64 << 20;
/** Bytes between the points the worker writes down where a fresh scan could read on as its own
 * would (Scan.resumePoint, at a skipped stretch): the main thread reads again from the last one
 * before where the worker stopped, so at most about this much is read twice, and the worker
 * copies a point's state (its framing counts) once per this many bytes, not at every stretch. */
const RESUME_POINT_BYTES = 1 << 20;

interface ScanWorkerData {
  role: typeof SCAN_WORKER_ROLE;
  fd: number;
  name: string;
  /** Int32Array[4]: batches posted, batches consumed, whether to read (START), and whether to
   * stop (STOP). */
  counters: SharedArrayBuffer;
}

/** Where the worker stopped for the main thread to read on (`takeOver`): the last point before
 * it where a scan can resume (its byte from where the worker began reading, and what a scan
 * resumed there needs), and how many reports the worker handed over in all (those after the
 * point, which the resumed scan finds again first, are already taken). */
export interface WorkerStop extends ResumePoint {
  offset: number;
  posted: number;
}

/** A report's recording and the release of the `Linux version` banner seen before it. */
type ScannedReport = [report: RecordedReport, banner: string | null];

type FromWorker =
  | { kind: 'batch'; reports: ScannedReport[]; bytes: number }
  | { kind: 'done'; totals: ScanTotals }
  | { kind: 'stopped'; stop: WorkerStop }
  | { kind: 'error'; inputError: boolean; message: string };

export function isScanWorker(data: unknown): data is ScanWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === SCAN_WORKER_ROLE;
}

/** The worker's side: read the file behind `fd` to its end, posting reports in batches. */
export function runScanWorker(data: ScanWorkerData): void {
  const port = parentPort!;
  const counters = new Int32Array(data.counters);
  // nothing is read before the main thread says so: a file it keeps is read from its start
  Atomics.wait(counters, START, WAIT);
  if (Atomics.load(counters, START) !== READ) return;
  let batch: ScannedReport[] = [];
  let bytes = 0;
  let lastPost = Date.now();
  const post = (): void => {
    for (;;) {
      const consumed = Atomics.load(counters, CONSUMED);
      if (Atomics.load(counters, POSTED) - consumed < MAX_IN_FLIGHT) break;
      Atomics.wait(counters, CONSUMED, consumed, 1000);
    }
    port.postMessage({ kind: 'batch', reports: batch, bytes } satisfies FromWorker);
    Atomics.add(counters, POSTED, 1);
    batch = [];
    bytes = 0;
    lastPost = Date.now();
  };
  try {
    // the last point where the main thread could read on (the file's start, to begin with)
    let resume: ResumePoint & { offset: number } = {
      offset: 0,
      line: 0,
      kernelRelease: null,
      framings: new Map(),
      reports: 0,
      suppressions: [],
    };
    let posted = 0;
    let read = 0;
    const scan = createScan<RecordedReport>(
      (report, banner) => {
        batch.push([report, banner]);
        posted++;
        if (batch.length >= BATCH_REPORTS) post();
      },
      recordReport,
      {
        onSkip(at) {
          if (at - resume.offset < RESUME_POINT_BYTES) return;
          const point = scan.resumePoint();
          if (point !== null) resume = { ...point, offset: at };
        },
      },
    );
    for (;;) {
      const { buffer, offset, length } = scan.feeder.space();
      let n: number;
      try {
        n = readSync(data.fd, buffer, offset, length, null);
      } catch (err) {
        port.postMessage({
          kind: 'error',
          inputError: true,
          message: describeReadError(err, data.name),
        } satisfies FromWorker);
        return;
      }
      if (n === 0) break;
      scan.feeder.commit(n);
      bytes += n;
      read += n;
      const flood = Atomics.load(counters, STOP);
      if (
        flood > 0 &&
        posted - resume.reports <= flood + REREAD_SLACK_REPORTS &&
        read - resume.offset <= REREAD_MAX_BYTES
      ) {
        post();
        port.postMessage({ kind: 'stopped', stop: { ...resume, posted } } satisfies FromWorker);
        return;
      }
      if (bytes >= MESSAGE_BYTES || Date.now() - lastPost >= MESSAGE_MS) post();
    }
    const totals = scan.finish();
    post();
    port.postMessage({ kind: 'done', totals } satisfies FromWorker);
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    port.postMessage({ kind: 'error', inputError: false, message } satisfies FromWorker);
  }
}

/**
 * The main thread's side: `onReport` for each report in order; resolves with the file's totals.
 * `handOver` is asked while the worker starts (about 80 ms, which the main thread would spend
 * waiting): false keeps the file in this thread and resolves with null at once; the worker, sent
 * away, ends by itself without reading a byte (the file's offset, where the caller's reading
 * starts, is untouched). `takeOver` is asked after each batch, with the bytes the batches handed
 * over so far: once it answers a number of reports in a row (a flood), the worker stops after
 * the window it reads (a verbatim flood, which this thread reads with its copies taken:
 * analyze-command.ts) and resolves with the last point before where a scan in this thread can
 * read on as its own would (every report it found is handed over as usual first).
 */
export async function scanInWorker(
  entry: string,
  fd: number,
  name: string,
  onReport: (report: Report, banner: string | null) => void,
  between: () => Promise<void>,
  progress: Progress,
  handOver: () => boolean = () => true,
  takeOver: (bytesRead: number) => number = () => 0,
): Promise<ScanTotals | WorkerStop | null> {
  const counters = new SharedArrayBuffer(16);
  let bytesRead = 0;
  const consumed = new Int32Array(counters);
  const worker = new Worker(entry, {
    workerData: { role: SCAN_WORKER_ROLE, fd, name, counters } satisfies ScanWorkerData,
    stdout: true,
    stderr: true,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const queue: FromWorker[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: FromWorker) => {
    queue.push(m);
    signal();
  });
  worker.on('error', (err) => {
    failure = err;
    signal();
  });
  worker.on('exit', () => {
    exited = true;
    signal();
  });
  // (asked once the worker's errors are listened to: a worker sent away that fails to start
  // costs nothing)
  let read = false;
  try {
    read = handOver();
  } finally {
    // a fault in `handOver` must not leave the worker waiting: it leaves, and the fault goes on
    Atomics.store(consumed, START, read ? READ : LEAVE);
    Atomics.notify(consumed, START);
    // a worker sent away ends by itself without reading a byte: nothing waits for it
    if (!read) worker.unref();
  }
  if (!read) return null;
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        if (exited) throw new Error('the scan worker stopped early');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'batch') {
        for (const [report, banner] of message.reports) onReport(replayReport(report), banner);
        progress.advance(message.bytes);
        bytesRead += message.bytes;
        if (Atomics.load(consumed, STOP) === 0) Atomics.store(consumed, STOP, takeOver(bytesRead));
        await between();
        Atomics.add(consumed, CONSUMED, 1);
        Atomics.notify(consumed, CONSUMED);
      } else if (message.kind === 'done') {
        return message.totals;
      } else if (message.kind === 'stopped') {
        return message.stop;
      } else {
        throw message.inputError
          ? new InputError(message.message)
          : new Error(`scan worker: ${message.message}`);
      }
    }
  } finally {
    if (!exited) await worker.terminate();
  }
}
