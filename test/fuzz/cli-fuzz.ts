// The `klens` CLI (bin/klens.js → dist/cli.js, the streaming reader and the scan worker's code
// path) on the nastiest inputs of a run: `analyze`, `analyze --json` and `analyze --sysctl`, each
// with a timeout. It must exit 0 without writing to stderr, print valid JSON without NaN,
// Infinity, exponent notation or integers beyond 2^53, and a --sysctl block of comments and
// `key = digits` lines only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus';
import { Checker, stripStrings } from './properties';
import type { Finding } from './findings';
import type { LspInput } from './lsp-fuzz';

export interface CliReport {
  inputs: number;
  findings: Finding[];
  ms: number;
  slowestMs: number;
}

const KLENS = join(ROOT, 'bin', 'klens.js');

const MODES = [
  { name: 'analyze', args: ['--no-color', '--no-progress'] },
  { name: 'analyze --json', args: ['--json', '--no-progress'] },
  { name: 'analyze --sysctl', args: ['--sysctl', '--no-progress'] },
] as const;

export function runCliFuzz(
  inputs: Iterable<LspInput>,
  options: { timeoutMs: number; onProgress?: (done: number) => void },
): CliReport {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'klens-fuzz-'));
  const file = join(dir, 'input.log');
  const findings = new Map<string, Finding>();
  let n = 0;
  let slowestMs = 0;
  try {
    for (const input of inputs) {
      writeFileSync(file, input.text);
      const c = new Checker(input.text);
      const note = (property: string, key: string, detail: string): void => {
        const k = `${property}|${key}`;
        const known = findings.get(k);
        if (!known)
          findings.set(k, {
            phase: 'cli',
            property,
            key,
            count: 1,
            detail,
            replay: input.replay,
            input: input.text,
          });
        else {
          known.count++;
          if (input.text.length < known.input.length)
            Object.assign(known, { input: input.text, replay: input.replay, detail });
        }
      };
      for (const mode of MODES) {
        const t0 = performance.now();
        const run = spawnSync(process.execPath, [KLENS, 'analyze', ...mode.args, file], {
          encoding: 'utf8',
          timeout: options.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 512 << 20,
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        });
        slowestMs = Math.max(slowestMs, performance.now() - t0);
        if (run.error || run.signal) {
          note(
            'cli-timeout',
            `${mode.name}: killed after the timeout`,
            `${mode.name}: ${run.error?.message ?? run.signal} after ${options.timeoutMs} ms (${input.text.length} characters)`,
          );
          continue;
        }
        if (run.status !== 0)
          note('cli-exit', `${mode.name}: exit status ${run.status}`, run.stderr.slice(0, 800));
        else if (run.stderr) note('cli-stderr', `${mode.name}: wrote to stderr`, run.stderr.slice(0, 800));
        if (mode.name === 'analyze --json') {
          try {
            c.numbers('CLI JSON', JSON.parse(run.stdout));
            const exponent = /(?:^|[\s,:[])-?\d+(?:\.\d+)?[eE][+-]?\d+/.exec(stripStrings(run.stdout));
            if (exponent) c.fail('number-format', 'CLI JSON text: exponent notation', exponent[0]);
          } catch (error) {
            note(
              'json-valid',
              `${mode.name}: not valid JSON`,
              `${String(error)}\n${run.stdout.slice(0, 400)}`,
            );
          }
        } else if (mode.name === 'analyze --sysctl')
          c.sysctlText('CLI --sysctl', run.stdout.replace(/\n$/, ''));
        else c.words('CLI text', run.stdout);
      }
      for (const v of c.violations) note(v.property, v.key, v.detail);
      n++;
      options.onProgress?.(n);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { inputs: n, findings: [...findings.values()], ms: performance.now() - started, slowestMs };
}
