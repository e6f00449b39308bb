// Where klens' time goes, layer by layer: the same file is read by the CLI's own reader (the
// bundle of server/src/cli/* built here) with more of the pipeline switched on each time:
//   read+scan   reading, anchor search and line counting; no line reaches the parser
//   +parser     lines fed to LogScanner wherever it is not idle (what klens does)
//   +analysis   every report through the core's explainReport
//   +json       every event serialised as --json does
// usage: node bench/layers.mjs FILE [--runs N]   (run by `npm run bench:cli -- --profile`)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', '.data', 'layers.cjs');

const ENTRY = `
import { openSync, readSync } from 'node:fs';
import { LineFeeder } from './server/src/cli/feeder';
import { ReportSequence } from './server/src/core/analyze';
import { eventJson } from './server/src/cli/json';
import { ANCHOR_LOOKBEHIND_LINES, LogScanner, READER_ANCHORS } from './server/src/core/parse';

const [file, layer] = process.argv.slice(2);
const parse = layer !== 'read+scan';
const analyse = layer === '+analysis' || layer === '+json';
const scanner = new LogScanner();
let reports = 0, fed = 0, bytes = 0;
// the core's one reading of a log's reports, as klens analyze runs it (cli/analyze-command.ts)
const sequence = new ReportSequence((item) => {
  if (layer === '+json') bytes += JSON.stringify(eventJson(item)).length;
});
const take = (done) => {
  for (const r of done) {
    reports++;
    const copy = scanner.takeCopyOf(r);
    if (analyse) sequence.push(r, scanner.kernelRelease, copy);
  }
};
const feeder = new LineFeeder(
  {
    line(t) { fed++; if (parse) take(scanner.push(t)); },
    canSkip: () => (parse ? scanner.idle : true),
    skip(n) { if (parse) take(scanner.skipLines(n)); },
  },
  { anchors: READER_ANCHORS, lookbehindLines: ANCHOR_LOOKBEHIND_LINES },
);
const fd = openSync(file, 'r');
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (;;) {
  const s = feeder.space();
  const n = readSync(fd, s.buffer, s.offset, s.length, null);
  if (n === 0) break;
  feeder.commit(n);
}
feeder.end();
if (parse) take(scanner.end());
if (analyse) sequence.end();
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ layer, wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, fed, reports, kernel: feeder.kernelKind }));
`;

export const LAYERS = ['read+scan', '+parser', '+analysis', '+json'];

export async function buildLayers() {
  const { build } = await import('esbuild');
  mkdirSync(dirname(out), { recursive: true });
  await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'layers-entry.ts', loader: 'ts' },
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
  return out;
}

/** Best (least CPU) of `runs` for each layer, in a fresh process each. */
export async function measureLayers(file, runs = 2) {
  const script = await buildLayers();
  const results = [];
  for (const layer of LAYERS) {
    let best = null;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [script, file, layer], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`layer ${layer}: ${r.stderr.trim().split('\n').pop()}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop());
      if (!best || m.cpu < best.cpu) best = m;
    }
    results.push(best);
  }
  return results;
}

export function formatLayers(results) {
  const lines = ['layer        cpu s   wall s   + cpu s   lines fed   reports'];
  let previous = 0;
  for (const r of results) {
    lines.push(
      `${r.layer.padEnd(10)} ${r.cpu.toFixed(2).padStart(7)}  ${r.wall.toFixed(2).padStart(7)}  ${(r.cpu - previous).toFixed(2).padStart(8)}  ${String(r.fed).padStart(10)}  ${String(r.reports).padStart(8)}`,
    );
    previous = r.cpu;
  }
  lines.push(`(scan kernel: ${results[0]?.kernel}; node startup and output writing not included)`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const at = process.argv.indexOf('--runs');
  if (!file) {
    console.error('usage: node bench/layers.mjs FILE [--runs N]');
    process.exit(2);
  }
  console.log(formatLayers(await measureLayers(file, at > 0 ? Number(process.argv[at + 1]) : 2)));
}
