// The klens command: arguments, inputs, output and exit status. The kernel knowledge is in core/;
// the reading, JSON and text layers are in cli/.
import { parseArgs, UsageError, USAGE } from './cli/args';
import { visibleControls } from './core/safe-text';
import { analyzeCommand } from './cli/analyze-command';
import { followCommand } from './cli/follow';
import { InputError } from './cli/input';
import { openSources } from './cli/sources';
import { exitQuietlyOnClosedPipe, Output } from './cli/output';
import { packageVersion } from './cli/package-files';
import { Progress } from './cli/progress';
import { FailOnTracker } from './cli/results';
import { COLOR, PLAIN, useColor } from './cli/text';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';
import { isScanWorker, runScanWorker } from './cli/scan-worker';

// Exit status (issue #16), whatever the output format: 0 nothing at or above --fail-on, 1 findings
// at or above it, 2 anything that kept klens from answering (arguments, an unreadable input, a
// failed write, an internal error), so that a CI job never reads a failure as a clean log.
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

function fail(message: string, status: number): number {
  // arguments and file names come from the user's shell: their controls are shown, never sent
  process.stderr.write(`klens: ${visibleControls(message.replace(/\s*\n[\s\S]*$/, ''))}\n`);
  return status;
}

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, EXIT_USAGE);
    throw err;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    process.stdout.write(`klens ${packageVersion()}\n`);
    return EXIT_OK;
  }

  process.stderr.on('error', () => undefined);
  exitQuietlyOnClosedPipe(process.stdout, (err) =>
    process.exit(fail(`cannot write output: ${err.message}`, EXIT_USAGE)),
  );

  const format = command.sysctl ? 'sysctl' : command.format;
  const failOn = new FailOnTracker(command.failOn);
  const showProgress = command.progress && process.stderr.isTTY === true;
  const progress = new Progress(showProgress ? process.stderr : null);
  const out = new Output(process.stdout, () => progress.hide());
  const style =
    format === 'text' && useColor(command.color, process.stdout.isTTY === true, process.env) ? COLOR : PLAIN;
  try {
    if (command.follow) {
      await followCommand(command.inputs[0], out, { quietMs: command.quietMs, failOn });
      return failOn.failed ? EXIT_FINDINGS : EXIT_OK;
    }
    const { sources, problems } = await openSources(command.inputs);
    if (command.inputs.includes('-') && process.stdin.isTTY)
      process.stderr.write(
        'klens: reading the log from the terminal (end with Ctrl-D; or: dmesg | klens analyze)\n',
      );
    // damaged compressed data and a folder's unreadable logs: after everything else was read
    problems.push(
      ...(await analyzeCommand(sources, out, progress, {
        format,
        style,
        verbose: command.verbose,
        prettyJson: process.stdout.isTTY === true,
        workerEntry: __filename,
        worker: workerMode(process.env.KLENS_WORKER),
        failOn,
        base: command.base ?? '.',
      })),
    );
    if (problems.length > 0) {
      for (const problem of problems.slice(0, -1)) process.stderr.write(`klens: ${problem.split('\n')[0]}\n`);
      return fail(problems[problems.length - 1], EXIT_USAGE);
    }
  } catch (err) {
    progress.hide();
    if (err instanceof InputError) {
      out.flush();
      return fail(err.message, EXIT_USAGE);
    }
    throw err;
  }
  return failOn.failed ? EXIT_FINDINGS : EXIT_OK;
}

/** KLENS_WORKER=never|always overrides when a large file is scanned in a worker thread. */
function workerMode(value: string | undefined): 'auto' | 'always' | 'never' {
  return value === 'never' || value === 'always' ? value : 'auto';
}

function run(): void {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (err: unknown) => {
      // A bug, not a user error: one line on stderr by default, the stack with KLENS_DEBUG=1.
      const detail =
        err instanceof Error
          ? process.env.KLENS_DEBUG
            ? (err.stack ?? err.message)
            : err.message
          : String(err);
      process.stderr.write(`klens: internal error: ${visibleControls(detail)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}

/**
 * V8 tiers a function up to its optimising compiler once it has run about 66 KB of bytecode
 * (`--interrupt-budget`, 67584 in Node 20): right for a server, costly for a batch job like this
 * one, where hundreds of analysis and parser functions each get hot a few thousand reports in and
 * are compiled, and some recompiled after a deoptimisation, on background threads that take CPU
 * from the scan on a two-core machine. Waiting for ~0.5 MB compiles only the functions that stay
 * hot. On the 1 GiB benchmark syslog (bench/cli.mjs): CPU 3.8–4.0 s → 3.3–3.4 s, wall 2.2 → 2.0 s.
 * V8 flags are per process: this covers the scan worker too. Set before any code has run hot.
 */
const CLI_INTERRUPT_BUDGET = 500_000;

/**
 * V8 lets the old generation grow to several times what survives a full collection before the
 * next one (the factor can reach 4): on a long flood whose reports are each read and explained,
 * most of the peak memory is that garbage, not what klens keeps (a heap snapshot 70 % through
 * 50,000 such reports: 14 MB live at 164 MB resident). Issue #17 holds klens under 200 MB at any
 * size: growing by at most 20 % (`--heap-growing-percent`, read at each collection, so it takes
 * effect when set at start-up; process-wide, so the scan worker's heap too) took 50,000 reports
 * in one thread from 165 to 120 MB and 100,000 with the worker from 253 to 187–198 MB, in the
 * same time (24.3 s with it, 24.0 without; the 1 GiB syslog within the noise): bench/NOTES.md,
 * session 12.
 */
const CLI_HEAP_GROWING_PERCENT = 20;

// The same module runs the scan worker of a large file (scan-worker.ts) in a worker thread.
if (!isMainThread && isScanWorker(workerData)) runScanWorker(workerData);
else {
  setFlagsFromString(`--interrupt-budget=${CLI_INTERRUPT_BUDGET}`);
  setFlagsFromString(`--heap-growing-percent=${CLI_HEAP_GROWING_PERCENT}`);
  run();
}
