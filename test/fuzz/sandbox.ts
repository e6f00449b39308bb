// Runs the property check of one input in a worker thread with a hard timeout: an input that hangs
// the core (or blows its heap) costs one terminated worker, not the test run. Also holds the
// linear-time budget: each stage's time per KB is calibrated on the unmutated corpus in the same
// worker, and an input may take at most BUDGET_FACTOR times that (plus a floor for GC pauses and
// compilation) — relative to this machine, not an absolute wall-clock threshold.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { STAGES, type CheckOptions, type CheckResult, type Stage, type Timings } from './properties';
import type { WorkerAnswer, WorkerRequest } from './worker';
import type { FeatureAnswers } from './feature-answers';
import { WorkerStacks } from './stacks';

/** A timeout: how long it waited, and where the worker was stuck (innermost frame first). */
export interface Timeout {
  kind: 'timeout';
  ms: number;
  stack: string[] | null;
}

export type SandboxAnswer =
  { kind: 'done'; result: CheckResult } | Timeout | { kind: 'crash'; error: string };

export type FeaturesAnswer =
  { kind: 'done'; features: FeatureAnswers } | Timeout | { kind: 'crash'; error: string };

type Answer = { kind: 'done'; answer: WorkerAnswer } | Timeout | { kind: 'crash'; error: string };

/** Heap of the worker: an input that needs more is a `crash` (out of memory), not a hung machine. */
const WORKER_HEAP_MB = 1536;

export class Sandbox {
  private worker: Worker | null = null;
  private next = 1;
  private waiting: {
    id: number;
    worker: Worker;
    resolve: (a: Answer) => void;
    timer: ReturnType<typeof setTimeout>;
  } | null = null;
  /** Workers terminated after a timeout or crash. */
  restarts = 0;
  private readonly stacks = new WorkerStacks();

  constructor(private readonly entry = join(__dirname, 'worker.js')) {}

  private start(): Worker {
    const worker = new Worker(this.entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (answer: WorkerAnswer) => {
      const w = this.waiting;
      if (!w || w.id !== answer.id) return;
      this.waiting = null;
      clearTimeout(w.timer);
      w.resolve({ kind: 'done', answer });
    });
    const lost = (error: string): void => {
      if (this.worker === worker) this.worker = null;
      const w = this.waiting;
      // A worker terminated after a timeout exits later: not the current input's problem.
      if (!w || w.worker !== worker) return;
      this.waiting = null;
      clearTimeout(w.timer);
      this.restarts++;
      w.resolve({ kind: 'crash', error });
    };
    worker.on('error', (e) => lost(`${e.name}: ${e.message}`));
    worker.on('exit', (code) => lost(`worker exited with code ${code}`));
    worker.unref();
    return worker;
  }

  /** Checks `text` in the worker; `timeoutMs` after sending it, the worker is terminated. */
  async check(text: string, options: CheckOptions, timeoutMs: number): Promise<SandboxAnswer> {
    const a = await this.send({ id: 0, kind: 'check', text, ...options }, timeoutMs);
    return a.kind === 'done' ? { kind: 'done', result: (a.answer as { result: CheckResult }).result } : a;
  }

  /** The features' answers for `text` opened as `uri` (what the language server should send). */
  async features(text: string, uri: string, timeoutMs: number): Promise<FeaturesAnswer> {
    const a = await this.send({ id: 0, kind: 'features', text, uri }, timeoutMs);
    return a.kind === 'done'
      ? { kind: 'done', features: (a.answer as { features: FeatureAnswers }).features }
      : a;
  }

  /** A worker that never answers (the sandbox's own test of timeouts and stacks). */
  spin(timeoutMs: number): Promise<Answer> {
    return this.send({ id: 0, kind: 'spin' }, timeoutMs);
  }

  private send(request: WorkerRequest, timeoutMs: number): Promise<Answer> {
    if (this.waiting) throw new Error('Sandbox: one input at a time');
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        if (this.waiting?.id !== id) return;
        this.waiting = null;
        this.worker = null;
        this.restarts++;
        const ms = Math.round(performance.now() - started);
        void this.stacks.stackOf(worker).then((stack) => {
          void worker.terminate();
          resolve({ kind: 'timeout', ms, stack });
        });
      }, timeoutMs);
      this.waiting = { id, worker, resolve, timer };
      worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.stacks.close();
  }
}

/** An input may take this many times the corpus' time per KB (90th percentile), per stage … */
export const BUDGET_FACTOR = 10;
/** … plus this (GC pauses, compiling a new code path), in ms … */
export const BUDGET_FLOOR_MS = 50;
/** … where a log costs as if it were this many KB longer (fixed cost per call). */
const FIXED_KB = 4;

export interface Calibration {
  /** Per stage: the corpus' time per (KB + FIXED_KB), in ms (90th percentile of the logs). */
  rate: Timings;
  /** Median time of a whole check of a corpus log, in ms. */
  medianMs: number;
}

const kb = (length: number): number => length / 1024 + FIXED_KB;

/** Times every corpus log (best of three, after a warm-up) in the sandbox's worker. */
export async function calibrate(sandbox: Sandbox, texts: readonly string[]): Promise<Calibration> {
  const best = texts.map(() => Object.fromEntries(STAGES.map((s) => [s, Infinity])) as Timings);
  const totals: number[] = texts.map(() => Infinity);
  for (let round = 0; round < 4; round++) {
    for (const [i, text] of texts.entries()) {
      const answer = await sandbox.check(text, {}, 60_000);
      if (answer.kind !== 'done') throw new Error(`calibration: corpus log ${i} gave ${answer.kind}`);
      if (round === 0) continue;
      for (const s of STAGES) best[i][s] = Math.min(best[i][s], answer.result.timings[s]);
      totals[i] = Math.min(
        totals[i],
        STAGES.reduce((sum, s) => sum + answer.result.timings[s], 0),
      );
    }
  }
  // The 90th percentile of the logs' rates: the worst log is often a compilation outlier.
  const rate = Object.fromEntries(
    STAGES.map((s) => {
      const rates = texts.map((t, i) => best[i][s] / kb(t.length)).sort((a, b) => a - b);
      return [s, rates[Math.floor(rates.length * 0.9)]];
    }),
  ) as Timings;
  const sorted = [...totals].sort((a, b) => a - b);
  return { rate, medianMs: sorted[sorted.length >> 1] };
}

export function budgetMs(cal: Calibration, stage: Stage, length: number): number {
  return BUDGET_FACTOR * cal.rate[stage] * kb(length) + BUDGET_FLOOR_MS;
}

/** Stages of a result over their budget. */
export function overBudget(cal: Calibration, result: CheckResult): Stage[] {
  return STAGES.filter((s) => result.timings[s] > budgetMs(cal, s, result.length));
}

/** The hard timeout for an input: `factor` times its whole budget, at least `minMs`. */
export function hardTimeoutMs(cal: Calibration, length: number, minMs: number, factor = 3): number {
  return Math.max(minMs, factor * STAGES.reduce((sum, s) => sum + budgetMs(cal, s, length), 0));
}
