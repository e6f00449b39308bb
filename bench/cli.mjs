#!/usr/bin/env node
// Benchmark of `klens analyze --json` on a large generated syslog against three peers that read the
// same file: ripgrep counting headers, grep counting every report kind, and lnav indexing it.
//
// usage: npm run bench:cli -- [--size 1G|100M|BYTES] [--seed N] [--runs N] [--profile] [--no-build]
//                             [--no-install] [--flood N] [--no-flood] [--large-flood N]
//
// The file is generated deterministically (seeded PRNG) into bench/.data/ and reused while its
// size, seed, generator version and corpus are unchanged. Timings are wall clock with a warm page
// cache, best of N runs (hyperfine when installed), standard output into a pipe for every tool.
// Targets (PASS/FAIL): klens at most 1.5x grep's time (issue #17; 2x before it), faster than lnav,
// peak RSS under 200 MB;
// `klens analyze --json - < FILE` (standard input redirected from the file) as fast as the file
// named (at most 1.1x).
// The flood (issue #17): a real report (corpus 011: an r8169 order-0 atomic failure and its SLUB
// failure, raw dmesg) printed again and again with its stamps 50 ms apart, N reports in all
// (--flood, default 20000): klens --json at most 2x `grep -cE`'s time in the same run, at most
// 5 MB of output, peak RSS under 200 MB. Then the same flood with the dumps' numbers changing from
// copy to copy (the real case, read report by report), timed beside grep with no target.
// Then memory at scale (--large-flood, default 100000 reports; 0 skips it): once each, a flood of
// that many reports whose dumps change (about 280 MB, read with the scan worker), one of twice as
// many identical ones (about 560 MB: read in one thread, cli/scan.ts isVerbatimFlood) and one of
// twice as many that all differ (about 560 MB, a repeat group each): peak RSS under 200 MB ("at any
// size"), with the time beside it.
// With --profile, the CPU time of each layer (read+scan, parser, analysis, JSON; bench/layers.mjs,
// in one thread) is measured; then one klens run as timed (for a file of 96 MiB or more the scan
// worker reads and parses while the main thread analyses and writes) is split by thread from /proc
// (Linux): main, scan worker, V8's helper threads (optimising compiler, GC). The longer of main and
// worker bounds the wall time, and on two cores so does total CPU / 2. Last, klens runs once under
// `node --cpu-prof`, one profile per thread, with the hot functions printed (mapped to the
// TypeScript sources).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCorpus, generate, GENERATOR_VERSION, loadTemplates } from './syslog-gen.mjs';
import { formatSummary, summarize } from './cpuprofile-summary.mjs';
import { formatLayers, measureLayers } from './layers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', '.data');
const cli = join(root, 'dist', 'cli.js');

/** Issue #17: ordinary logs at most 1.5x `grep -cE`, a flood at most 2x. */
const TARGET_GREP_RATIO = 1.5;
const TARGET_FLOOD_GREP_RATIO = 2;
const TARGET_RSS_MB = 200;
const TARGET_STDIN_RATIO = 1.1;
const TARGET_FLOOD_OUTPUT_MB = 5;
/** The flood's report: a real one (see the header). */
const FLOOD_FIXTURE = join(root, 'test', 'fixtures', 'corpus', '011-dmesg-2.6.32-r8169-order0-slub.log');
const GREP_PATTERN = 'page allocation failure|invoked oom-killer|SLUB: Unable to allocate|vmalloc';

function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`--size: cannot read '${text}' (e.g. 1G, 100M, 5000000)`);
  const unit = (m[2] ?? 'B').toUpperCase()[0];
  const mult = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[unit];
  return Math.round(Number(m[1]) * mult);
}

function parseOptions(argv) {
  const o = {
    size: 1024 ** 3,
    seed: 1,
    runs: 3,
    profile: false,
    build: true,
    install: true,
    flood: 20000,
    largeFlood: 100000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--size')) o.size = parseSize(value());
    else if (a.startsWith('--seed')) o.seed = Number(value());
    else if (a.startsWith('--runs')) o.runs = Math.max(1, Number(value()));
    else if (a === '--profile') o.profile = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--no-install') o.install = false;
    else if (a.startsWith('--flood')) o.flood = Number(value());
    else if (a === '--no-flood') o.flood = 0;
    else if (a.startsWith('--large-flood')) o.largeFlood = Number(value());
    else if (a === '-h' || a === '--help') {
      const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .slice(1);
      const header = lines.slice(
        0,
        lines.findIndex((l) => !l.startsWith('//')),
      );
      console.log(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  if (!Number.isInteger(o.flood) || o.flood < 0) throw new Error('--flood must be a number of reports');
  if (!Number.isInteger(o.largeFlood) || o.largeFlood < 0)
    throw new Error('--large-flood must be a number of reports');
  return o;
}

const human = (bytes) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

/** hyperfine, ripgrep and lnav from Debian when missing (root only, non-interactive). */
function ensureTools(install) {
  const wanted = { hyperfine: 'hyperfine', rg: 'ripgrep', lnav: 'lnav', grep: 'grep' };
  const missing = Object.entries(wanted).filter(([bin]) => !has(bin));
  if (missing.length === 0 || !install) return;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() !== 0) {
    console.log(
      `missing ${packages.join(', ')}; not root, so not installing (apt-get install -y ${packages.join(' ')})`,
    );
    return;
  }
  console.log(`installing ${packages.join(', ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
}

/** Builds dist/cli.js alone (the same esbuild options as esbuild.mjs), so a half-written
 * language server elsewhere in the tree cannot stop the benchmark. */
async function buildCli() {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'server/src/cli.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
}

function ensureData(o) {
  mkdirSync(dataDir, { recursive: true });
  const corpusDir = findCorpus(root);
  const { digest } = loadTemplates(corpusDir);
  const sizeName =
    o.size % 1024 ** 3 === 0
      ? `${o.size / 1024 ** 3}G`
      : o.size % 1024 ** 2 === 0
        ? `${o.size / 1024 ** 2}M`
        : `${o.size}`;
  const file = join(dataDir, `syslog-${sizeName}-seed${o.seed}.log`);
  const metaFile = `${file}.json`;
  const want = { size: o.size, seed: o.seed, generator: GENERATOR_VERSION, corpus: digest };
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (
      meta.size === want.size &&
      meta.seed === want.seed &&
      meta.generator === want.generator &&
      meta.corpus === want.corpus &&
      statSync(file).size === meta.bytes
    ) {
      console.log(
        `reusing ${relative(root, file)} (${human(meta.bytes)}, ${meta.lines} lines, ${meta.insertions} report excerpts)`,
      );
      return { file, meta };
    }
  }
  console.log(
    `generating ${relative(root, file)} (${human(o.size)}, seed ${o.seed}) from ${relative(root, corpusDir) || corpusDir} …`,
  );
  const t0 = process.hrtime.bigint();
  const result = generate({ path: file, size: o.size, seed: o.seed, corpusDir });
  const meta = { ...want, ...result };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  console.log(
    `  ${human(meta.bytes)}, ${meta.lines} lines, ${meta.insertions} report excerpts in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`,
  );
  return { file, meta };
}

/**
 * The flood file: FLOOD_FIXTURE's reports printed again and again, each copy's `[%5lu.%06lu]`
 * stamps 50 ms after the previous copy's, until `reports` reports (two per copy). `changing`: the
 * dump's numbers change from copy to copy as a real flood's do (free pages move between two
 * failures): `free:` and `active_anon:` grow by the copy's number modulo 97 and 89; `'distinct'`:
 * by the copy's number and seven times it, so that no two copies are alike (a repeat group per
 * report). Regenerated when missing or when the fixture changed.
 */
function ensureFlood(reports, changing = false) {
  const text = readFileSync(FLOOD_FIXTURE, 'latin1');
  const lines = text.replace(/\n$/, '').split('\n');
  const perCopy = lines.filter((l) => /page allocation failure|SLUB: Unable to allocate/.test(l)).length;
  const copies = Math.ceil(reports / perCopy);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const kind = changing === 'distinct' ? 'distinct-' : changing ? 'changing-' : '';
  const file = join(dataDir, `flood-${kind}${copies * perCopy}-${digest}.log`);
  const [freeBy, anonBy] =
    changing === 'distinct' ? [(k) => k, (k) => 7 * k] : [(k) => k % 97, (k) => k % 89];
  if (!existsSync(file)) {
    // written a thousand copies at a time: a large flood is longer than a string may be
    const fd = openSync(`${file}.part`, 'w');
    let out = [];
    for (let k = 0; k < copies; k++) {
      for (const l of lines) {
        const m = /^\[(\d+)\.(\d{6})\]/.exec(l);
        let line = l;
        if (m) {
          const us = Number(m[1]) * 1e6 + Number(m[2]) + k * 50_000;
          line = `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]${l.slice(m[0].length)}`;
        }
        if (changing)
          line = line
            .replace(/free:(\d+)/g, (_, n) => `free:${Number(n) + freeBy(k)}`)
            .replace(/active_anon:(\d+)/g, (_, n) => `active_anon:${Number(n) + anonBy(k)}`);
        out.push(line);
      }
      if (k % 1000 === 999 || k === copies - 1) {
        writeSync(fd, `${out.join('\n')}\n`, null, 'latin1');
        out = [];
      }
    }
    closeSync(fd);
    renameSync(`${file}.part`, file);
  }
  return { file, reports: copies * perCopy, bytes: statSync(file).size };
}

/** The klens command line as timed. */
const klensArgv = (file) => [process.execPath, cli, 'analyze', '--json', file];

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The commands, as argv (for our own timer) and as a shell line (for hyperfine). */
function commands(file) {
  return [
    { name: 'klens', argv: klensArgv(file) },
    { name: 'rg', argv: ['rg', '-c', 'page allocation failure', file] },
    // standard input redirected from the file (the shell opens it; klens reads fd 0)
    {
      name: 'klens stdin',
      argv: ['sh', '-c', `exec ${[...klensArgv('-')].map(q).join(' ')} < ${q(file)}`],
    },
    { name: 'grep', argv: ['grep', '-cE', GREP_PATTERN, file] },
    // headless lnav: loads and indexes the whole file, runs no command, prints nothing (-q), exits
    { name: 'lnav', argv: ['lnav', '-n', '-q', file] },
  ].filter((c) => c.name.startsWith('klens') || has(c.argv[0]));
}

function timeWithHyperfine(cmds, runs) {
  const out = join(dataDir, 'hyperfine.json');
  // --output=pipe: GNU grep stops at the first match when its output is /dev/null, even with -c.
  // -N: no shell in between (commands are quoted for hyperfine's own word splitting).
  const args = [
    '-N',
    '--output=pipe',
    '--runs',
    String(runs),
    '--warmup',
    '1',
    '--ignore-failure',
    '--style',
    'basic',
    '--export-json',
    out,
  ];
  for (const c of cmds) args.push('-n', c.name, c.argv.map(q).join(' '));
  execFileSync('hyperfine', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  return Object.fromEntries(
    results.map((r) => [
      r.command,
      { best: r.min, mean: r.mean, cpu: r.user + r.system, runs: r.times.length },
    ]),
  );
}

function timeOurselves(cmds, runs) {
  const result = {};
  for (const c of cmds) {
    // output to a pipe, as with hyperfine: grep -c stops at the first match when writing to /dev/null
    const run = () =>
      spawnSync(c.argv[0], c.argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
    run(); // warm-up
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    result[c.name] = {
      best: Math.min(...times),
      mean: times.reduce((a, b) => a + b, 0) / times.length,
      cpu: null,
      runs,
    };
  }
  return result;
}

/** Peak RSS of one klens run (GNU time, else a preload that reports process.resourceUsage()),
 * with its JSON kept to check what it found. */
function measureKlens(file) {
  const jsonBytes = () =>
    existsSync(join(dataDir, 'klens-output.json')) ? statSync(join(dataDir, 'klens-output.json')).size : null;
  const result = measureKlensRun(file);
  return { ...result, outputBytes: jsonBytes() };
}

function measureKlensRun(file) {
  const jsonOut = join(dataDir, 'klens-output.json');
  rmSync(jsonOut, { force: true });
  let rssKb = null;
  let stderr = '';
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync(
      'sh',
      ['-c', `/usr/bin/time -f 'maxrss_kb=%M' ${klensArgv(file).map(q).join(' ')} > ${q(jsonOut)}`],
      { encoding: 'utf8' },
    );
    stderr = r.stderr;
    const m = /maxrss_kb=(\d+)/.exec(r.stderr);
    if (m) rssKb = Number(m[1]);
  } else {
    const preload = join(dataDir, 'maxrss-preload.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const r = spawnSync(
      'sh',
      [
        '-c',
        `${[process.execPath, '-r', preload, cli, 'analyze', '--json', file].map(q).join(' ')} > ${q(jsonOut)}`,
      ],
      { encoding: 'utf8' },
    );
    stderr = r.stderr;
    const m = /maxrss_kb=(\d+)/.exec(r.stderr);
    if (m) rssKb = Number(m[1]);
  }
  let found = null;
  try {
    const doc = JSON.parse(readFileSync(jsonOut, 'utf8'));
    // an event of a repeat group stands for `repeat.count` reports (docs/json.md)
    found = {
      total: 0,
      events: doc.events.length,
      byKind: {},
      lineCount: doc.lineCount,
      framing: doc.framing,
    };
    for (const e of doc.events) {
      const n = e.repeat.count ?? 1;
      found.total += n;
      found.byKind[e.kind] = (found.byKind[e.kind] ?? 0) + n;
    }
  } catch (err) {
    console.log(
      `klens output unreadable: ${err.message}; stderr: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
  return { rssKb, found };
}

/**
 * CPU per thread of one klens run, sampled from /proc/PID/task every 20 ms (Linux only, else null).
 * The scan worker is the thread started last (V8's helper threads start with the process, libuv's
 * pool at the first file operation, before the worker); none when it used no CPU.
 */
async function threadCpu(file) {
  if (!existsSync('/proc/self/task')) return null;
  const [cmd, ...args] = klensArgv(file);
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const threads = new Map();
  const sample = () => {
    try {
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime, stime (clock ticks, 100 per second on Linux), starttime
        threads.set(Number(tid), { cpu: (Number(f[11]) + Number(f[12])) / 100, start: Number(f[19]) });
      }
    } catch {
      // the process or a thread ended between readdir and read
    }
  };
  const timer = setInterval(sample, 20);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const main = threads.get(child.pid)?.cpu ?? 0;
  const others = [...threads.entries()].filter(([tid]) => tid !== child.pid);
  others.sort(([ta, a], [tb, b]) => a.start - b.start || ta - tb);
  const last = others.at(-1);
  const worker = last && last[1].cpu >= 0.05 ? last[1].cpu : null;
  const total = [...threads.values()].reduce((sum, t) => sum + t.cpu, 0);
  return { wall, main, worker, helpers: total - main - (worker ?? 0), total };
}

function formatThreadCpu(t) {
  const row = (name, cpu) => `${name.padEnd(44)} ${cpu.toFixed(2).padStart(6)}`;
  return [
    `${'thread'.padEnd(44)}  cpu s`,
    row(t.worker === null ? 'main (everything: no scan worker)' : 'main (analysis, JSON, output)', t.main),
    ...(t.worker === null ? [] : [row('scan worker (read, anchor scan, parser)', t.worker)]),
    row("V8's helper threads (optimising compiler, GC)", t.helpers),
    row('total', t.total),
    `(wall ${t.wall.toFixed(2)} s: ${(t.total / t.wall).toFixed(2)} cores busy on average; ` +
      `${t.worker === null ? 'one thread' : `the ${t.worker > t.main ? 'worker' : 'main thread'} is the longer`})`,
  ].join('\n');
}

/** One klens run as timed under --cpu-prof: a profile per thread (main, and the scan worker when used). */
function profileKlens(file) {
  const dir = join(dataDir, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [cmd, ...args] = klensArgv(file);
  spawnSync(cmd, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread id 0 is the main thread
  const profiles = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ f, thread: Number(f.split('.').at(-3)) }))
    .sort((a, b) => a.thread - b.thread);
  return profiles.map(({ f, thread }) => ({
    thread: thread === 0 ? 'main thread' : 'scan worker',
    path: join(dir, f),
    summary: summarize(JSON.parse(readFileSync(join(dir, f), 'utf8')), { top: 15 }),
  }));
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c])))
        .join('  '),
    )
    .join('\n');
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  ensureTools(o.install);
  if (o.build || !existsSync(cli)) await buildCli();
  const { file, meta } = ensureData(o);
  const cmds = commands(file);
  for (const c of cmds)
    if (c.name !== 'klens' && !has(c.argv[0])) console.log(`(${c.name} not installed: skipped)`);

  console.log(
    `\ntiming ${cmds.map((c) => c.name).join(', ')} on ${relative(root, file)}: best of ${o.runs} (warm page cache)`,
  );
  const times = has('hyperfine') ? timeWithHyperfine(cmds, o.runs) : timeOurselves(cmds, o.runs);
  const { rssKb, found } = measureKlens(file);

  const k = times.klens.best;
  const mbps = (t) => `${(meta.bytes / 1024 ** 2 / t).toFixed(0)} MiB/s`;
  const rows = [['tool', 'best s', 'mean s', 'cpu s', 'throughput', 'klens ÷ tool', 'target', 'result']];
  const verdicts = [];
  for (const c of cmds) {
    const t = times[c.name];
    if (!t) continue;
    let target = '';
    let result = '';
    if (c.name === 'grep') {
      target = `klens ≤ ${TARGET_GREP_RATIO}x`;
      result = k <= TARGET_GREP_RATIO * t.best ? 'PASS' : 'FAIL';
    } else if (c.name === 'klens stdin') {
      target = `stdin ≤ ${TARGET_STDIN_RATIO}x file`;
      result = t.best <= TARGET_STDIN_RATIO * k ? 'PASS' : 'FAIL';
    } else if (c.name === 'lnav') {
      target = 'klens < lnav';
      result = k < t.best ? 'PASS' : 'FAIL';
    }
    if (result) verdicts.push(result);
    rows.push([
      c.name,
      t.best.toFixed(3),
      t.mean.toFixed(3),
      t.cpu === null ? '-' : t.cpu.toFixed(3),
      mbps(t.best),
      c.name === 'klens' ? '1.00x' : `${(k / t.best).toFixed(2)}x`,
      target,
      result,
    ]);
  }
  const rssResult = rssKb === null ? 'n/a' : rssKb / 1024 < TARGET_RSS_MB ? 'PASS' : 'FAIL';
  if (rssKb !== null) verdicts.push(rssResult);

  console.log(
    `\nklens analyze --json vs peers on ${human(meta.bytes)} (${meta.lines} lines, ${meta.insertions} report excerpts, seed ${meta.seed})`,
  );
  console.log(table(rows));
  console.log(
    `klens peak RSS: ${rssKb === null ? 'unknown' : `${(rssKb / 1024).toFixed(1)} MB`} (target < ${TARGET_RSS_MB} MB): ${rssResult}`,
  );
  if (found) {
    const expected = meta.expectedEvents;
    const kinds = [...new Set([...Object.keys(expected), ...Object.keys(found.byKind)])].sort();
    const agree = kinds.every((kind) => (expected[kind] ?? 0) === (found.byKind[kind] ?? 0));
    console.log(
      `klens found ${found.total} reports (${kinds.map((kind) => `${kind} ${found.byKind[kind] ?? 0}/${expected[kind] ?? 0}`).join(', ')}; found/inserted) ` +
        `${agree ? '= what was inserted' : '≠ what was inserted'}; lineCount ${found.lineCount}/${meta.lines}; framing ${found.framing}`,
    );
  }
  if (o.flood > 0) verdicts.push(...floodBench(o));
  if (o.largeFlood > 0) verdicts.push(...largeFloods(o));
  console.log(`overall: ${verdicts.every((v) => v === 'PASS') ? 'PASS' : 'FAIL'}`);

  if (o.profile) {
    console.log(
      '\nwhere the time goes (CPU of the pipeline in one thread with each layer switched on in turn):',
    );
    console.log(formatLayers(await measureLayers(file, 2)));
    const threads = await threadCpu(file);
    if (threads) console.log(`\nCPU per thread of one klens run (from /proc):\n${formatThreadCpu(threads)}`);
    for (const p of profileKlens(file))
      console.log(`\n${p.thread}: ${formatSummary(p.summary)}\n(profile: ${relative(root, p.path)})`);
  }
}

/** The flood: klens --json against grep -cE on the same file in the same run, the output's size
 * and klens's peak RSS. Returns the verdicts. */
function floodBench(o) {
  const flood = ensureFlood(o.flood);
  // Node's own start-up (no script at all): the floor of any Node program, klens included. On
  // this file grep takes about as long as Node takes to start, so it says how far ≤ 2× grep is
  // from what a Node program can reach.
  const cmds = [
    ...commands(flood.file).filter((c) => c.name === 'klens' || c.name === 'grep'),
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  ];
  console.log(
    `\nflood: ${relative(root, flood.file)} (${human(flood.bytes)}, ${flood.reports} reports: ${relative(root, FLOOD_FIXTURE)} repeated, stamps 50 ms apart), best of ${o.runs}`,
  );
  const times = has('hyperfine') ? timeWithHyperfine(cmds, o.runs) : timeOurselves(cmds, o.runs);
  const { rssKb, found, outputBytes } = measureKlens(flood.file);
  const k = times.klens.best;
  const g = times.grep?.best ?? null;
  const ratio = g === null ? null : k / g;
  const n = times['node -e 0']?.best ?? null;
  const verdicts = [
    ratio === null ? 'n/a' : ratio <= TARGET_FLOOD_GREP_RATIO ? 'PASS' : 'FAIL',
    outputBytes !== null && outputBytes <= TARGET_FLOOD_OUTPUT_MB * 1e6 ? 'PASS' : 'FAIL',
    rssKb === null ? 'n/a' : rssKb / 1024 < TARGET_RSS_MB ? 'PASS' : 'FAIL',
  ];
  console.log(
    table([
      ['flood', 'value', 'target', 'result'],
      ['klens --json best s', k.toFixed(3), '', ''],
      ['grep -cE best s', g === null ? '-' : g.toFixed(3), '', ''],
      [
        'klens ÷ grep',
        ratio === null ? '-' : `${ratio.toFixed(2)}x`,
        `≤ ${TARGET_FLOOD_GREP_RATIO}x`,
        verdicts[0],
      ],
      ['node -e 0 best s', n === null ? '-' : n.toFixed(3), '', ''],
      ['node -e 0 ÷ grep', n === null || g === null ? '-' : `${(n / g).toFixed(2)}x`, '(the floor)', ''],
      [
        'JSON output',
        outputBytes === null ? '-' : `${(outputBytes / 1e6).toFixed(2)} MB`,
        `≤ ${TARGET_FLOOD_OUTPUT_MB} MB`,
        verdicts[1],
      ],
      [
        'peak RSS',
        rssKb === null ? '-' : `${(rssKb / 1024).toFixed(1)} MB`,
        `< ${TARGET_RSS_MB} MB`,
        verdicts[2],
      ],
    ]),
  );
  if (found)
    console.log(
      `klens: ${found.total} reports in ${found.events} events (${found.total === flood.reports ? '= the reports printed' : `≠ the ${flood.reports} printed`})`,
    );
  changingFlood(o);
  return verdicts.filter((v) => v !== 'n/a');
}

/** The same flood with the dumps' numbers changing from copy to copy, the real case (a verbatim
 * flood is read once as runs of copies, core/repeat-run.ts; this one is read report by report).
 * No target: its figure is printed beside grep's, half as many reports. */
function changingFlood(o) {
  const flood = ensureFlood(Math.ceil(o.flood / 2), true);
  const cmds = commands(flood.file).filter((c) => c.name === 'klens' || c.name === 'grep');
  console.log(
    `\nflood whose dumps change (free pages, active_anon): ${relative(root, flood.file)} (${human(flood.bytes)}, ${flood.reports} reports), best of ${o.runs}`,
  );
  const times = has('hyperfine') ? timeWithHyperfine(cmds, o.runs) : timeOurselves(cmds, o.runs);
  const k = times.klens.best;
  const g = times.grep?.best ?? null;
  console.log(
    table([
      ['changing flood', 'value', 'target', 'result'],
      ['klens --json best s', k.toFixed(3), '', ''],
      ['grep -cE best s', g === null ? '-' : g.toFixed(3), '', ''],
      ['klens ÷ grep', g === null ? '-' : `${(k / g).toFixed(2)}x`, '(none)', ''],
      ['µs per report', ((k * 1e6) / flood.reports).toFixed(0), '(none)', ''],
    ]),
  );
}

/** Memory at scale: klens' peak RSS, once each, on a flood of `o.largeFlood` reports whose dumps
 * change, on one of twice as many identical reports and on one of twice as many that all differ.
 * Returns the verdicts. */
function largeFloods(o) {
  const rows = [['large flood', 'reports', 'size', 'klens --json s', 'peak RSS', 'target', 'result']];
  const verdicts = [];
  for (const [what, reports, changing] of [
    ['dumps change', o.largeFlood, true],
    ['identical', 2 * o.largeFlood, false],
    ['all differ', 2 * o.largeFlood, 'distinct'],
  ]) {
    const flood = ensureFlood(reports, changing);
    const started = process.hrtime.bigint();
    const { rssKb, found } = measureKlensRun(flood.file);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // a run that failed early would pass on memory: it must have found every report printed
    const complete = found !== null && found.total === flood.reports;
    const verdict = !complete
      ? 'FAIL'
      : rssKb === null
        ? 'n/a'
        : rssKb / 1024 < TARGET_RSS_MB
          ? 'PASS'
          : 'FAIL';
    verdicts.push(verdict);
    rows.push([
      what,
      complete ? String(flood.reports) : `${found?.total ?? 'no'} of ${flood.reports} found`,
      human(flood.bytes),
      seconds.toFixed(1),
      rssKb === null ? '-' : `${(rssKb / 1024).toFixed(1)} MB`,
      `< ${TARGET_RSS_MB} MB`,
      verdict,
    ]);
  }
  console.log(`
memory at scale (issue #17: under ${TARGET_RSS_MB} MB at any size), one run each`);
  console.log(table(rows));
  return verdicts.filter((v) => v !== 'n/a');
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
