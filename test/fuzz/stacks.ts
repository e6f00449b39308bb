// Where a hung worker is stuck: the main thread's inspector session attaches to the sandbox's
// workers (NodeWorker domain), and on a timeout pauses the worker (Debugger.pause interrupts even a
// busy loop) and reads its call frames. Hangs with different causes then become different
// failure classes (`intSqrt (memory.js)` is not `analyzeBuddy (buddy.js)`).
import { Session } from 'node:inspector';
import type { Worker } from 'node:worker_threads';

interface CallFrame {
  functionName: string;
  url: string;
  location: { scriptId: string; lineNumber: number };
}

export class WorkerStacks {
  private readonly session = new Session();
  /** Inspector session id per worker thread id. */
  private readonly sessions = new Map<string, string>();
  private readonly waiting = new Map<string, (frames: CallFrame[]) => void>();
  private nextId = 1;
  /** Script URLs by id (the paused frames name scripts by id). */
  private readonly scripts = new Map<string, string>();

  constructor() {
    this.session.connect();
    this.session.on(
      'NodeWorker.attachedToWorker',
      (m: { params: { sessionId: string; workerInfo: { workerId: string } } }) => {
        this.sessions.set(String(m.params.workerInfo.workerId), m.params.sessionId);
      },
    );
    this.session.on(
      'NodeWorker.receivedMessageFromWorker',
      (m: { params: { sessionId: string; message: string } }) => {
        const message = JSON.parse(m.params.message) as {
          method?: string;
          params?: { callFrames: CallFrame[]; scriptId?: string; url?: string };
        };
        if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId)
          this.scripts.set(message.params.scriptId, message.params.url ?? '');
        if (message.method !== 'Debugger.paused' || !message.params) return;
        this.waiting.get(m.params.sessionId)?.(message.params.callFrames);
        this.waiting.delete(m.params.sessionId);
      },
    );
    this.session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  }

  /** The worker's call stack, innermost first (`function (file.js)`), or null within `ms`. */
  stackOf(worker: Worker, ms = 2000): Promise<string[] | null> {
    const sessionId = this.sessions.get(String(worker.threadId));
    if (sessionId === undefined) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(sessionId);
        resolve(null);
      }, ms);
      this.waiting.set(sessionId, (frames) => {
        clearTimeout(timer);
        // Let it run again, or it cannot be terminated (a paused thread ignores the interrupt).
        this.send(sessionId, 'Debugger.resume');
        resolve(
          frames.map(
            (f) =>
              `${f.functionName || '(anonymous)'} (${this.scripts.get(f.location.scriptId)?.split(/[/\\]/).pop() ?? '?'})`,
          ),
        );
      });
      for (const method of ['Debugger.enable', 'Debugger.pause']) this.send(sessionId, method);
    });
  }

  private send(sessionId: string, method: string): void {
    this.session.post('NodeWorker.sendMessageToWorker', {
      sessionId,
      message: JSON.stringify({ id: this.nextId++, method }),
    });
  }

  close(): void {
    this.session.disconnect();
  }
}
