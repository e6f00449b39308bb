#!/usr/bin/env node
// Benchmark of the language server against a do-nothing server on the same library
// (bench/null-server.cjs), both driven over stdio by one client that behaves like VS Code (pull
// diagnostics, incremental sync), in the same run (issue #17). Three workloads:
//   big    a 50 MB generated syslog (bench/syslog-gen.mjs, real reports among daemon noise):
//          didOpen to the first diagnostics, then a one-character edit in a noise line to the
//          updated diagnostics, then one inside a report's memory dump (read again in a window);
//   flood  100,000 identical one-line allocation failures (8 MB): didOpen to diagnostics, and how
//          many diagnostics and bytes the answer holds;
//   storm  20 quick one-character changes (a line break now and then), each followed by a pull
//          that the next change overtakes, as a typing user in VS Code: the server's CPU time
//          for them in units of its CPU time for the open (the target bounds their cost at 2 full
//          analyses; since an edit in noise moves the last analysis rather than redoing it, a
//          full answer no longer means a full analysis, so answers are only counted, not bounded).
// Each figure is the median of --runs runs (a fresh server each), and peak memory is the server's
// VmHWM (Linux /proc). Printed: klens, the null server, their ratio, and the target.
//
// usage: npm run bench:lsp -- [--runs N] [--size 50M] [--flood N] [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';
import { findCorpus, generate, GENERATOR_VERSION } from './syslog-gen.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', '.data');
const SERVERS = {
  klens: [join(root, 'dist', 'server.js'), '--stdio'],
  null: [join(root, 'bench', 'null-server.cjs'), '--stdio'],
};

// The targets of issue #17, each against the null server measured in the same run.
const TARGETS = {
  bigTime: 1.2,
  bigMemory: 1.3,
  editShare: 0.05,
  floodTime: 3,
  floodDiagnostics: 1000,
  floodBytes: 1 << 20,
  stormFullAnalyses: 2,
};

function parseOptions(argv) {
  const o = { runs: 3, size: 50_000_000, flood: 100_000, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a.startsWith('--runs')) o.runs = Math.max(1, Number(value()));
    else if (a.startsWith('--size')) {
      const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(value());
      if (!m) throw new Error('--size: e.g. 50M');
      o.size = Math.round(Number(m[1]) * { '': 1, K: 1e3, M: 1e6, G: 1e9 }[m[2].toUpperCase()]);
    } else if (a.startsWith('--flood')) o.flood = Number(value());
    else if (a === '--no-build') o.build = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** One server process and a JSON-RPC connection to it, initialised as a pull client. */
async function startServer(name) {
  const [script, ...args] = SERVERS[name];
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const pushed = [];
  connection.onNotification('textDocument/publishDiagnostics', (p) => pushed.push(p));
  connection.onNotification(() => {});
  connection.onRequest(() => null); // window/workDoneProgress/create, client/registerCapability …
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
      },
      window: { workDoneProgress: true },
    },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    /** CPU time (user + system) the server used so far, in ms (Linux; clock ticks of 10 ms). */
    cpuMs() {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        return NaN;
      }
    },
    /** Peak resident memory of the server so far, in MB (Linux). */
    peakMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
      } catch {
        return NaN;
      }
    },
    async stop() {
      await connection.sendRequest('shutdown').catch(() => {});
      await connection.sendNotification('exit').catch(() => {});
      connection.dispose();
      child.kill();
    },
  };
}

/** Pulls until an answer carries items for the current version (a cancelled pull is retried, as
 * VS Code does on `retriggerRequest`). */
async function pull(connection, uri) {
  for (;;) {
    try {
      return await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    } catch (error) {
      if (error?.code === -32802 || error?.code === -32800) continue; // ServerCancelled, RequestCancelled
      throw error;
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** didOpen, then pull: ms to the full answer, its items and size; then (optionally) an edit in
 * noise and one inside a report. */
async function openAndPull(name, text, editLine, reportLine = null) {
  const server = await startServer(name);
  const uri = pathToFileURL(join(dataDir, 'bench.log')).href;
  try {
    const started = performance.now();
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'kernel-log', version: 1, text },
    });
    const report = await pull(server.connection, uri);
    const openMs = performance.now() - started;
    const items = report.items ?? [];
    const bytes = Buffer.byteLength(JSON.stringify(report));
    /** Types one character at the start of `line` as version `version`: ms to the new diagnostics. */
    const typeAt = async (line, version) => {
      const t = performance.now();
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'x' },
        ],
      });
      await pull(server.connection, uri);
      return performance.now() - t;
    };
    const editMs = editLine === null ? null : await typeAt(editLine, 2);
    // a character typed inside a report's body (a line of its memory dump)
    const reportEditMs = reportLine === null ? null : await typeAt(reportLine, 3);
    return { openMs, editMs, reportEditMs, diagnostics: items.length, bytes, peakMb: server.peakMb() };
  } finally {
    await server.stop();
  }
}

/** 20 changes in quick succession, each with a pull that the next change overtakes (VS Code sends
 * a pull per change and cancels the stale one): the server's CPU time for them against its CPU
 * time for the open, and how many pulls returned a full answer. */
async function storm(name, text, line) {
  const server = await startServer(name);
  const uri = pathToFileURL(join(dataDir, 'bench.log')).href;
  try {
    const openStart = server.cpuMs();
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'kernel-log', version: 1, text },
    });
    await pull(server.connection, uri);
    const stormCpu = server.cpuMs();
    const openCpu = stormCpu - openStart;
    const started = performance.now();
    const pending = [];
    let full = 0;
    for (let v = 2; v <= 21; v++) {
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [
          {
            range: { start: { line, character: 0 }, end: { line, character: 0 } },
            text: v % 5 === 0 ? '\n' : 'x',
          },
        ],
      });
      const source = new rpc.CancellationTokenSource();
      pending.forEach((p) => p.source.cancel());
      const answer = server.connection
        .sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token)
        .then(
          (r) => {
            if (r?.kind === 'full') full++;
          },
          () => {},
        );
      pending.push({ source, answer });
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending.map((p) => p.answer));
    await pull(server.connection, uri);
    return {
      ms: performance.now() - started,
      fullAnswers: full,
      peakMb: server.peakMb(),
      cpuInOpens: (server.cpuMs() - stormCpu) / openCpu,
    };
  } finally {
    await server.stop();
  }
}

function floodText(n) {
  const lines = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = i % 86400;
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    lines[i] = `Mar 18 ${hh}:${mm}:${ss} web01 kernel: swapper: page allocation failure. order:1, mode:0x20`;
  }
  return lines.join('\n') + '\n';
}

/** A line of a report's memory dump in the middle of the log (the line after a `Mem-Info:`). */
function reportLine(text) {
  const lines = text.split('\n');
  for (let i = Math.floor(lines.length / 2); i < lines.length - 1; i++)
    if (lines[i].includes('Mem-Info:')) return i + 1;
  throw new Error('no report in the second half of the log');
}

/** A line in the middle of the log that no report reads (a daemon's line). */
function noiseLine(text) {
  const lines = text.split('\n');
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++)
    if (!lines[i].includes('kernel:')) return i;
  return Math.floor(lines.length / 2);
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  if (o.build) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(SERVERS.klens[0])) throw new Error('dist/server.js is missing: npm run build');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `lsp-${o.size}-s1-v${GENERATOR_VERSION}.log`);
  if (!existsSync(file) || statSync(file).size < o.size * 0.9)
    generate({ path: file, size: o.size, seed: 1, corpusDir: findCorpus(root) });
  const big = readFileSync(file, 'utf8');
  const flood = floodText(o.flood);
  const editLine = noiseLine(big);
  const inReport = reportLine(big);
  console.log(
    `bench:lsp — ${(big.length / 1e6).toFixed(1)} MB log, flood of ${o.flood} reports (${(flood.length / 1e6).toFixed(1)} MB), ${o.runs} runs each, median\n`,
  );

  const results = {};
  for (const name of ['null', 'klens']) {
    const bigRuns = [];
    const floodRuns = [];
    const stormRuns = [];
    for (let r = 0; r < o.runs; r++) {
      bigRuns.push(await openAndPull(name, big, editLine, inReport));
      floodRuns.push(await openAndPull(name, flood, null));
      stormRuns.push(await storm(name, big, editLine));
    }
    const pick = (runs, key) => median(runs.map((x) => x[key]));
    results[name] = {
      bigOpen: pick(bigRuns, 'openMs'),
      bigEdit: pick(bigRuns, 'editMs'),
      bigReportEdit: pick(bigRuns, 'reportEditMs'),
      bigPeak: pick(bigRuns, 'peakMb'),
      bigDiagnostics: pick(bigRuns, 'diagnostics'),
      floodOpen: pick(floodRuns, 'openMs'),
      floodDiagnostics: pick(floodRuns, 'diagnostics'),
      floodBytes: pick(floodRuns, 'bytes'),
      floodPeak: pick(floodRuns, 'peakMb'),
      stormFull: pick(stormRuns, 'fullAnswers'),
      stormCpu: pick(stormRuns, 'cpuInOpens'),
      stormMs: pick(stormRuns, 'ms'),
      stormPeak: pick(stormRuns, 'peakMb'),
    };
  }
  const k = results.klens;
  const n = results.null;
  const rows = [
    [
      'big: didOpen → diagnostics',
      `${k.bigOpen.toFixed(0)} ms`,
      `${n.bigOpen.toFixed(0)} ms`,
      k.bigOpen / n.bigOpen,
      `≤ ${TARGETS.bigTime}×`,
      k.bigOpen / n.bigOpen <= TARGETS.bigTime,
    ],
    [
      'big: peak memory',
      `${k.bigPeak.toFixed(0)} MB`,
      `${n.bigPeak.toFixed(0)} MB`,
      k.bigPeak / n.bigPeak,
      `≤ ${TARGETS.bigMemory}×`,
      k.bigPeak / n.bigPeak <= TARGETS.bigMemory,
    ],
    [
      'big: 1-char edit → diagnostics',
      `${k.bigEdit.toFixed(0)} ms`,
      `${n.bigEdit.toFixed(0)} ms`,
      k.bigEdit / k.bigOpen,
      `≤ ${TARGETS.editShare * 100} % of the open`,
      k.bigEdit / k.bigOpen <= TARGETS.editShare,
    ],
    [
      'big: 1-char edit in a report',
      `${k.bigReportEdit.toFixed(0)} ms`,
      `${n.bigReportEdit.toFixed(0)} ms`,
      k.bigReportEdit / k.bigOpen,
      `≤ ${TARGETS.editShare * 100} % of the open`,
      k.bigReportEdit / k.bigOpen <= TARGETS.editShare,
    ],
    [
      'flood: didOpen → diagnostics',
      `${k.floodOpen.toFixed(0)} ms`,
      `${n.floodOpen.toFixed(0)} ms`,
      k.floodOpen / n.floodOpen,
      `≤ ${TARGETS.floodTime}×`,
      k.floodOpen / n.floodOpen <= TARGETS.floodTime,
    ],
    [
      'flood: diagnostics',
      String(k.floodDiagnostics),
      String(n.floodDiagnostics),
      null,
      `≤ ${TARGETS.floodDiagnostics}`,
      k.floodDiagnostics <= TARGETS.floodDiagnostics,
    ],
    [
      'flood: answer size',
      `${(k.floodBytes / 1e6).toFixed(2)} MB`,
      `${(n.floodBytes / 1e6).toFixed(2)} MB`,
      null,
      '≤ 1 MB',
      k.floodBytes <= TARGETS.floodBytes,
    ],
    [
      'storm: 20 changes, CPU in opens',
      k.stormCpu.toFixed(2),
      n.stormCpu.toFixed(2),
      null,
      `≤ ${TARGETS.stormFullAnalyses}`,
      k.stormCpu <= TARGETS.stormFullAnalyses,
    ],
  ];
  const widths = [34, 12, 12, 8, 22];
  console.log(['', 'klens', 'null server', 'ratio', 'target'].map((c, i) => c.padEnd(widths[i])).join(' '));
  for (const [what, kv, nv, ratio, target, ok] of rows)
    console.log(
      [
        what.padEnd(widths[0]),
        kv.padEnd(widths[1]),
        nv.padEnd(widths[2]),
        (ratio === null ? '' : `${ratio.toFixed(2)}`).padEnd(widths[3]),
        target.padEnd(widths[4]),
        ok ? 'PASS' : 'FAIL',
      ].join(' '),
    );
  console.log(
    `\n(diagnostics on the big log: klens ${k.bigDiagnostics}; storm wall time klens ${k.stormMs.toFixed(0)} ms, null ${n.stormMs.toFixed(0)} ms, full answers klens ${k.stormFull}, null ${n.stormFull}; peak memory after the open and the 20 changes klens ${k.stormPeak.toFixed(0)} MB, null ${n.stormPeak.toFixed(0)} MB)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
