// Command-line arguments of `klens`: a small hand-written parser, so the bundle needs no dependency
// and every unusable argument becomes a one-line error with exit status 2 (product.md "The CLI").

export type ColorMode = 'auto' | 'always' | 'never';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'analyze';
      json: boolean;
      sysctl: boolean;
      color: ColorMode;
      progress: boolean;
      /** Paths as given; `-` is standard input. Never empty: no path means `-`. */
      inputs: string[];
    };

/** Unusable arguments: the message is printed as `klens: <message>` and the exit status is 2. */
export class UsageError extends Error {}

export const STDIN = '-';

export const USAGE = `Usage: klens analyze [--json | --sysctl] [options] [FILE...|DIR...|-]
       klens --help | --version

Finds the kernel's memory reports (page allocation failure, OOM kill, vmalloc and SLUB
failures, allocation stalls, Mem-Info dumps) in syslog, journalctl, dmesg or kmsg text and
explains them: verdict, zones against their watermarks, suggested sysctl settings.
With no FILE, or when FILE is -, reads standard input (dmesg | klens analyze).
gzip, xz, zstd and bzip2 input is decompressed (told by its first bytes, not its name).
A DIR is searched for kernel logs (messages*, syslog*, kern.log*, dmesg*, journalctl*,
vmcore-dmesg.txt); a rotated set (kern.log.2.gz, kern.log.1, kern.log) is read as one
timeline, oldest first. In a sosreport or a supportconfig, the bundle's sysctl -a is used
instead of inferred values, and its /proc/zoneinfo and /proc/buddyinfo are shown.

Output (default: one block per report, for people):
  --json          one JSON document on standard output: {"file","framing","events":[...]}
                  per input, an array of those for several inputs; lines are 1-based
  --sysctl        only the suggested sysctl.conf block, with the evidence as comments

Options:
  --color[=WHEN]  colour the text output: auto (default: when standard output is a
                  terminal; NO_COLOR and FORCE_COLOR are honoured), always, never
  --no-color      same as --color=never
  --no-progress   no progress bar (shown on a terminal's standard error for large input)
  -h, --help      this text
  -V, --version   the version

Exit status: 0 when the input was read (whatever it contained), 2 for unusable
arguments, an unreadable file or a format klens does not read, and after the rest
was read for damaged compressed data or a folder's log that could not be read.

Environment: NO_COLOR, FORCE_COLOR (colour); KLENS_WORKER=never|always (scan a
large file in a second thread: by default from 96 MiB on a multi-core machine);
KLENS_SCAN=js (plain-JS byte scanner instead of WebAssembly); KLENS_DEBUG=1
(stack traces for internal errors).
`;

function parseColor(value: string): ColorMode {
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--color must be auto, always or never, not '${value}'`);
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError("missing command (try 'klens --help')");
  const [first, ...rest] = argv;
  if (first === '-h' || first === '--help' || first === 'help') return { kind: 'help' };
  if (first === '-V' || first === '--version' || first === 'version') return { kind: 'version' };
  if (first !== 'analyze') {
    const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    throw new UsageError(`${what} (try 'klens --help')`);
  }

  let json = false;
  let sysctl = false;
  let color: ColorMode = 'auto';
  let progress = true;
  const inputs: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || arg === STDIN || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') optionsEnded = true;
    else if (arg === '--json') json = true;
    else if (arg === '--sysctl') sysctl = true;
    else if (arg === '--no-color') color = 'never';
    else if (arg === '--color') color = 'always';
    else if (arg.startsWith('--color=')) color = parseColor(arg.slice('--color='.length));
    else if (arg === '--no-progress') progress = false;
    else if (arg === '-h' || arg === '--help') return { kind: 'help' };
    else if (arg === '-V' || arg === '--version') return { kind: 'version' };
    else throw new UsageError(`unknown option '${arg}' (try 'klens --help')`);
  }
  if (json && sysctl) throw new UsageError('--json and --sysctl cannot be combined');
  if (inputs.length === 0) inputs.push(STDIN);
  if (inputs.filter((p) => p === STDIN).length > 1)
    throw new UsageError('standard input (-) can be read only once');
  if (inputs.some((p) => p === '')) throw new UsageError('empty file name');
  return { kind: 'analyze', json, sysctl, color, progress, inputs };
}
