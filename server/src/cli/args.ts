// Command-line arguments of `klens`: a small hand-written parser, so the bundle needs no dependency
// and every unusable argument becomes a one-line error with exit status 2 (product.md "The CLI").

export type ColorMode = 'auto' | 'always' | 'never';

/** `--format`: text for people, the JSON document, SARIF 2.1.0, GitHub workflow commands. */
export type OutputFormatName = 'text' | 'json' | 'sarif' | 'github';
/** `--fail-on`: exit status 1 when a finding of this severity or higher was found. */
export type FailOn = 'error' | 'warning' | 'info' | 'none';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'analyze';
      json: boolean;
      sysctl: boolean;
      /** The text output in full (replayed check, formulas, every option), not one screen a report. */
      verbose: boolean;
      /** Output format; `json` is true exactly when it is 'json' (`--json` is its alias). */
      format: OutputFormatName;
      failOn: FailOn;
      /** SARIF and GitHub paths are relative to this directory (default: the working directory). */
      base: string | null;
      /** `--follow`: NDJSON events as reports complete, reading on at the end of the input. */
      follow: boolean;
      /** A report left open this long without a new line is closed (follow mode), in ms. */
      quietMs: number;
      color: ColorMode;
      progress: boolean;
      /** Paths as given; `-` is standard input. Never empty: no path means `-`. */
      inputs: string[];
    };

/** Unusable arguments: the message is printed as `klens: <message>` and the exit status is 2. */
export class UsageError extends Error {}

export const STDIN = '-';

export const USAGE = `Usage: klens analyze [--json | --sysctl] [options] [FILE...|DIR...|-]
       klens analyze --follow [--close-after=SECONDS] [FILE|-]
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

Output (default: one screen per report, for people: the verdict first, the key
numbers, the recommended actions; repeats are counted in the file's summary):
  -v, --verbose   every detail: the replayed watermark check, the lowmem_reserve
                  formulas, min_free_kbytes' derivation, every option considered,
                  one line per repeat
  --format=FORMAT text (default), json, sarif or github
                  json: one JSON document on standard output: {"file","framing","events":
                  [...]} per input, an array of those for several inputs; lines are 1-based
                  sarif: SARIF 2.1.0 for code scanning, one result per finding of a
                  report (identical reports counted in one), paths relative to --base
                  github: GitHub Actions ::error/::warning/::notice workflow commands
  --json          same as --format=json
  --sysctl        only the suggested sysctl.conf block, with the evidence as comments
  --fail-on=LEVEL exit with status 1 when a finding of LEVEL or higher was found: error
                  (an OOM kill), warning (allocation failures, stalls), info, none (default)
  --base=DIR      SARIF and github paths relative to DIR (default: the working directory)
  --follow        read on at the end of the input (a growing file, rotation included, or
                  standard input) and print one JSON object per line as each report
                  completes (docs/json.md); ends on SIGTERM, SIGINT or a closed pipe
  --close-after=SECONDS
                  in --follow, a report still open after SECONDS without a new line is
                  complete (default 2)

Options:
  --color[=WHEN]  colour the text output: auto (default: when standard output is a
                  terminal; NO_COLOR and FORCE_COLOR are honoured), always, never
  --no-color      same as --color=never
  --no-progress   no progress bar (shown on a terminal's standard error for large input)
  -h, --help      this text
  -V, --version   the version

Exit status: 0 when the input was read and nothing at or above --fail-on was found,
1 when something was, 2 for unusable arguments, an unreadable file, a format klens
does not read or a failed write, and after the rest was read for damaged
compressed data or a folder's log that could not be read.

Environment: NO_COLOR, FORCE_COLOR (colour); KLENS_WORKER=never|always (scan a
large file in a second thread: by default from 96 MiB on a multi-core machine,
unless the file begins with a flood of identical reports, and only up to one;
"always" keeps it there throughout);
KLENS_SCAN=js (plain-JS byte scanner instead of WebAssembly); KLENS_DEBUG=1
(stack traces for internal errors).
`;

const FORMATS: readonly OutputFormatName[] = ['text', 'json', 'sarif', 'github'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
/** `--close-after`: from 0.05 s up to a day. */
const QUIET_MIN_MS = 50;
const QUIET_MAX_MS = 86_400_000;
export const DEFAULT_QUIET_MS = 2000;

/** `--name=value` or `--name value`: the value, and how many arguments it took. */
function optionValue(
  args: readonly string[],
  i: number,
  name: string,
): { value: string; used: number } | null {
  const arg = args[i];
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), used: 1 };
  if (arg !== name) return null;
  if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
  return { value: args[i + 1], used: 2 };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `${name} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not '${value}'`,
  );
}

/** The options of issue #16 (formats, exit threshold, follow mode): how many arguments the one at
 * `i` took, 0 when it is none of them. */
function ciOption(
  args: readonly string[],
  i: number,
  into: {
    format: OutputFormatName | null;
    failOn: FailOn;
    base: string | null;
    follow: boolean;
    quietMs: number;
  },
): number {
  const arg = args[i];
  if (arg === '--follow') {
    into.follow = true;
    return 1;
  }
  let v = optionValue(args, i, '--format');
  if (v) {
    const format = oneOf('--format', v.value, FORMATS);
    if (into.format !== null && into.format !== format) throw new UsageError('choose one output format');
    into.format = format;
    return v.used;
  }
  v = optionValue(args, i, '--fail-on');
  if (v) {
    into.failOn = oneOf('--fail-on', v.value, FAIL_ON);
    return v.used;
  }
  v = optionValue(args, i, '--base');
  if (v) {
    if (v.value === '') throw new UsageError('--base needs a directory');
    into.base = v.value;
    return v.used;
  }
  v = optionValue(args, i, '--close-after');
  if (v) {
    const seconds = /^\d+(?:\.\d+)?$/.test(v.value) ? Number(v.value) * 1000 : NaN;
    if (!(seconds >= QUIET_MIN_MS && seconds <= QUIET_MAX_MS))
      throw new UsageError(`--close-after must be a number of seconds from 0.05 to 86400, not '${v.value}'`);
    into.quietMs = Math.round(seconds);
    return v.used;
  }
  return 0;
}

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
  let verbose = false;
  let color: ColorMode = 'auto';
  let progress = true;
  const inputs: string[] = [];
  const ci = {
    format: null as OutputFormatName | null,
    failOn: 'none' as FailOn,
    base: null as string | null,
    follow: false,
    quietMs: DEFAULT_QUIET_MS,
  };
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || arg === STDIN || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    const used = ciOption(rest, i, ci);
    if (used > 0) {
      i += used - 1;
      continue;
    }
    if (arg === '--') optionsEnded = true;
    else if (arg === '--json') json = true;
    else if (arg === '--sysctl') sysctl = true;
    else if (arg === '-v' || arg === '--verbose') verbose = true;
    else if (arg === '--no-color') color = 'never';
    else if (arg === '--color') color = 'always';
    else if (arg.startsWith('--color=')) color = parseColor(arg.slice('--color='.length));
    else if (arg === '--no-progress') progress = false;
    else if (arg === '-h' || arg === '--help') return { kind: 'help' };
    else if (arg === '-V' || arg === '--version') return { kind: 'version' };
    else throw new UsageError(`unknown option '${arg}' (try 'klens --help')`);
  }
  if (json && sysctl) throw new UsageError('--json and --sysctl cannot be combined');
  if (json && ci.format !== null && ci.format !== 'json') throw new UsageError('choose one output format');
  if (sysctl && ci.format !== null) throw new UsageError('--sysctl and --format cannot be combined');
  const format = ci.format ?? (json ? 'json' : 'text');
  if (ci.follow && (sysctl || (ci.format !== null && format !== 'json')))
    throw new UsageError('--follow prints JSON lines: it takes no other output format');
  if (inputs.length === 0) inputs.push(STDIN);
  if (inputs.filter((p) => p === STDIN).length > 1)
    throw new UsageError('standard input (-) can be read only once');
  if (inputs.some((p) => p === '')) throw new UsageError('empty file name');
  if (ci.follow && inputs.length > 1) throw new UsageError('--follow reads one input');
  return {
    kind: 'analyze',
    json: format === 'json',
    sysctl,
    verbose,
    format,
    failOn: ci.failOn,
    base: ci.base,
    follow: ci.follow,
    quietMs: ci.quietMs,
    color,
    progress,
    inputs,
  };
}
