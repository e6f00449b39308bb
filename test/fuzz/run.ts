// `npm run fuzz`: the long fuzz run. Three phases over inputs generated from one seed:
//   core — the core, the features and the CLI's writers in-process (a worker with a hard timeout),
//          every failure class minimised (fast-check shrinking, then text-level delta debugging);
//   lsp  — the built language server over one connection;
//   cli  — `klens analyze` (text, --json, --sysctl) on the nastiest inputs, with a timeout.
// Every failure is printed with its replay command and a minimised input, and written under
// test/fuzz/.findings/. Exit status 1 when anything failed.
import * as fc from 'fast-check';
import { fuzzCaseArb } from './arbitraries';
import { loadCorpus } from './corpus';
import { checkOptionsOf, runCoreFuzz, type FailureClass, type FuzzOptions } from './core-fuzz';
import { buildInput, DEFAULT_MAX_LENGTH } from './mutations';
import { FINDINGS_DIR, formatFinding, writeFindings, type Finding } from './findings';
import { runLspFuzz, type LspInput } from './lsp-fuzz';
import { runCliFuzz } from './cli-fuzz';
import { jsLiteral } from './minimise';

export const USAGE = `Usage: npm run fuzz -- [options]

  --runs N          inputs for the in-process phase (default 100000)
  --seed S          the seed (default: a new one, printed; the same seed gives the same inputs)
  --time-limit SEC  stop generating inputs after SEC seconds (then minimise and go on)
  --timeout MS      least hard timeout of one input (default 2000; more for large inputs)
  --max-length N    inputs are cut to N characters (default ${DEFAULT_MAX_LENGTH})
  --minimise M      full (fast-check shrinking + delta debugging, default), text or none
  --lsp N           inputs for the language-server phase (default: min(runs, 3000)); 0 skips it
  --cli N           inputs for the CLI phase, the nastiest first (default 150); 0 skips it
  --replay I        check only input I of the seed (and minimise its failures)
  --findings DIR    where to write the findings (default test/fuzz/.findings)
`;

interface Args {
  runs: number;
  seed: number;
  timeLimitMs?: number;
  timeoutMs: number;
  maxLength: number;
  minimise: FuzzOptions['minimise'];
  lsp?: number;
  cli: number;
  replay?: number;
  findings: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    runs: 100_000,
    seed: Date.now() % 2 ** 31,
    timeoutMs: 2000,
    maxLength: DEFAULT_MAX_LENGTH,
    minimise: 'full',
    cli: 150,
    findings: FINDINGS_DIR,
  };
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isSafeInteger(n) || n < 0)
      throw new Error(`${name} needs a whole number, not ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--runs':
        args.runs = int(flag, value());
        break;
      case '--seed':
        args.seed = int(flag, value());
        break;
      case '--time-limit':
        args.timeLimitMs = int(flag, value()) * 1000;
        break;
      case '--timeout':
        args.timeoutMs = int(flag, value());
        break;
      case '--max-length':
        args.maxLength = int(flag, value());
        break;
      case '--minimise': {
        const m = value();
        if (m !== 'full' && m !== 'text' && m !== 'none') throw new Error('--minimise: full, text or none');
        args.minimise = m;
        break;
      }
      case '--lsp':
        args.lsp = int(flag, value());
        break;
      case '--cli':
        args.cli = int(flag, value());
        break;
      case '--replay':
        args.replay = int(flag, value());
        break;
      case '--findings':
        args.findings = value() ?? FINDINGS_DIR;
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n\n${USAGE}`);
    }
  }
  return args;
}

function progress(label: string): (done: number, extra?: number) => void {
  let last = 0;
  const start = performance.now();
  return (done, extra) => {
    const now = performance.now();
    if (now - last < 5000) return;
    last = now;
    process.stderr.write(
      `  ${label}: ${done} inputs${extra !== undefined ? `, ${extra} failure classes` : ''}, ${((now - start) / 1000).toFixed(0)} s\n`,
    );
  };
}

function coreFinding(cls: FailureClass, seed: number): Finding {
  return {
    phase: 'core',
    property: cls.property,
    key: cls.key,
    count: cls.count,
    detail: cls.detail,
    replay: `--seed ${seed} --replay ${cls.index}`,
    input: cls.input,
    minimised: cls.minimised,
    minimisedDetail: cls.minimisedDetail,
    extra:
      [
        cls.options.kernelRelease
          ? `with kernelLogLens.kernelRelease = ${jsLiteral(cls.options.kernelRelease)}`
          : '',
        cls.options.positions?.length && /hover/.test(cls.key)
          ? `extra hover positions (line, column seeds): ${JSON.stringify(cls.options.positions)}`
          : '',
        cls.shrunkCase ? `fast-check shrunk case: ${JSON.stringify(cls.shrunkCase)}` : '',
      ]
        .filter(Boolean)
        .join('\n  ') || undefined,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const corpus = loadCorpus();
  const texts = corpus.map((c) => c.text);
  const header = `klens fuzz: seed ${args.seed}, ${args.replay !== undefined ? `replay of input ${args.replay}` : `${args.runs} runs`}, ${new Date().toISOString()}`;
  process.stderr.write(`${header}\n  corpus: ${corpus.length} logs\n`);

  const cases = fc.sample(fuzzCaseArb(texts.length), {
    seed: args.seed,
    numRuns: args.replay !== undefined ? args.replay + 1 : args.runs,
  });
  const inputAt = (i: number): LspInput => ({
    replay: `--seed ${args.seed} --replay ${i}`,
    text: buildInput(cases[i], texts, args.maxLength),
  });
  if (args.replay !== undefined) {
    const c = cases[args.replay];
    process.stderr.write(
      `  case ${args.replay}: ${JSON.stringify(c)}\n  input: ${jsLiteral(inputAt(args.replay).text).slice(0, 2000)}\n  options: ${JSON.stringify({ ...checkOptionsOf(c, texts), interleaved: undefined })}\n`,
    );
  }

  const core = await runCoreFuzz(corpus, {
    seed: args.seed,
    runs: args.replay !== undefined ? args.replay + 1 : args.runs,
    only: args.replay,
    maxLength: args.maxLength,
    minTimeoutMs: args.timeoutMs,
    timeLimitMs: args.timeLimitMs,
    minimise: args.minimise,
    minimiseEvaluations: 2000,
    minimiseTimeMs: 60_000,
    onProgress: progress('core'),
  });
  const findings: Finding[] = core.classes.map((c) => coreFinding(c, args.seed));
  const cal = Object.entries(core.calibration.rate)
    .map(([s, r]) => `${s} ${(r * 1000).toFixed(0)} µs/KB`)
    .join(', ');
  const summary = [
    header,
    `core: ${core.runs} inputs in ${(core.totalMs / 1000).toFixed(1)} s (worker restarts ${core.restarts}); ${core.classes.length} failure classes`,
    `  calibration (per KB, 90th percentile of the corpus logs): ${cal}; median check of a corpus log ${core.calibration.medianMs.toFixed(2)} ms`,
    `  slowest inputs (ms per KB): ${core.slowest
      .slice(0, 5)
      .map(
        (s) =>
          `#${s.index} ${s.msPerKb.toFixed(1)} (${s.ms.toFixed(0)} ms, ${(s.length / 1024).toFixed(1)} KB)`,
      )
      .join('; ')}`,
  ];

  if (args.replay === undefined) {
    const lspRuns = args.lsp ?? Math.min(args.runs, 3000);
    if (lspRuns > 0) {
      const nasty = core.nastiest.map((n) => ({
        replay: `--seed ${args.seed} --replay ${n.index}`,
        text: n.text,
      }));
      function* lspInputs(): Generator<LspInput> {
        yield* nasty;
        for (let i = 0; i < Math.min(lspRuns, cases.length); i++) yield inputAt(i);
      }
      const lsp = await runLspFuzz(lspInputs(), {
        timeoutMs: Math.max(args.timeoutMs, 10_000),
        onProgress: progress('lsp'),
      });
      findings.push(...lsp.findings);
      summary.push(
        `lsp: ${lsp.inputs} documents over one connection in ${(lsp.ms / 1000).toFixed(1)} s (restarts ${lsp.restarts}); server RSS ${lsp.rssStartMb} MB after start, ${lsp.rssEndMb} MB at the end, ${lsp.rssMaxMb} MB at most; ${lsp.findings.length} failure classes`,
      );
    }
    if (args.cli > 0) {
      const picked = core.nastiest
        .slice(0, args.cli)
        .map((n) => ({ replay: `--seed ${args.seed} --replay ${n.index}`, text: n.text }));
      for (
        let i = 0;
        picked.length < args.cli && i < cases.length;
        i += Math.max(1, Math.floor(cases.length / args.cli))
      )
        picked.push(inputAt(i));
      const cli = runCliFuzz(picked, {
        timeoutMs: Math.max(args.timeoutMs * 5, 10_000),
        onProgress: progress('cli'),
      });
      findings.push(...cli.findings);
      summary.push(
        `cli: ${cli.inputs} inputs × 3 modes in ${(cli.ms / 1000).toFixed(1)} s (slowest run ${cli.slowestMs.toFixed(0)} ms); ${cli.findings.length} failure classes`,
      );
    }
  }

  const text = summary.join('\n');
  process.stdout.write(`\n${findings.map((f) => formatFinding(f)).join('\n\n')}\n\n${text}\n`);
  if (findings.length > 0) {
    const file = writeFindings(findings, text, args.findings);
    process.stdout.write(`${findings.length} failure classes; details in ${file}\n`);
  } else process.stdout.write('no failures\n');
  return findings.length > 0 ? 1 : 0;
}
