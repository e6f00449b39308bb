// The language server under fuzz inputs, over ONE connection (the built dist/server.js, spawned by
// the test/lsp harness): each input is opened, asked for diagnostics (pull), hovers, symbols,
// folding ranges, code actions (and their resolution) and the status requests, then closed. Every
// request must be answered within a timeout, no handler may fail (the server logs a `guarded`
// handler's exception and answers empty), the server must stay alive and silent on stderr, and
// every range it sends must lie inside the document. What it answers must equal what the features
// compute in-process for the same text (in the sandbox's worker, so a hang there is only skipped).
// Its memory (RSS) is read at the start and the end. A server that stops answering is killed and
// restarted (and that is a finding).
import { readFileSync } from 'node:fs';
import type { CodeAction, Diagnostic, DocumentSymbol, FoldingRange, Hover } from 'vscode-languageserver/node';
import { TestClient } from '../lsp/harness';
import { Checker } from './properties';
import { Sandbox } from './sandbox';
import type { FeatureAnswers } from './feature-answers';
import type { Finding } from './findings';

export interface LspInput {
  /** How to get it again (`--seed S --replay I`). */
  replay: string;
  text: string;
}

export interface LspReport {
  inputs: number;
  findings: Finding[];
  restarts: number;
  rssStartMb: number | null;
  rssEndMb: number | null;
  rssMaxMb: number | null;
  ms: number;
}

const HEADER_WORDS = /failure|stalls|oom-killer|SLUB|Mem-[Ii]nfo|Show Memory/;
const TARGET_WORDS = /free:|lowmem_reserve|\*\d+kB|order[:=]|mode:|gfp_mask=|Node \d|active_anon:|\+0x/;

function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function runLspFuzz(
  inputs: Iterable<LspInput>,
  options: { timeoutMs: number; onProgress?: (done: number) => void },
): Promise<LspReport> {
  const started = performance.now();
  const findings = new Map<string, Finding>();
  const note = (input: LspInput, property: string, key: string, detail: string): void => {
    const k = `${property}|${key}`;
    const known = findings.get(k);
    if (known) {
      known.count++;
      if (input.text.length < known.input.length)
        Object.assign(known, { input: input.text, replay: input.replay, detail });
    } else
      findings.set(k, {
        phase: 'lsp',
        property,
        key,
        count: 1,
        detail,
        replay: input.replay,
        input: input.text,
      });
  };

  const sandbox = new Sandbox();
  let client = await TestClient.start();
  const rssStartMb = rssMb(client.child.pid);
  let rssMaxMb = rssStartMb;
  let restarts = 0;
  let n = 0;
  let logsSeen = 0;
  let stderrSeen = 0;
  for (const input of inputs) {
    const uri = `file:///fuzz/input-${n}.log`;
    const c = new Checker(input.text);
    const timeout = options.timeoutMs + input.text.length / 100;
    const ask = <R>(method: string, params: unknown): Promise<R> =>
      within(client.request<R>(method, params), timeout, method);
    const textDocument = { uri };
    const expectedAnswer = await sandbox.features(input.text, uri, timeout);
    const expected =
      expectedAnswer.kind === 'done' && !expectedAnswer.features.error ? expectedAnswer.features : null;
    const agrees = (what: keyof FeatureAnswers, answer: unknown): void => {
      const got = JSON.stringify(answer);
      if (expected && got !== expected[what])
        note(
          input,
          'lsp-agrees',
          `${what}: the server's answer differs from the features' in-process`,
          firstDifference(expected[what] ?? '', got),
        );
    };
    try {
      await client.open(uri, input.text);
      const diagnostics = await ask<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument });
      agrees('diagnostics', diagnostics.items);
      for (const d of diagnostics.items) {
        c.range('lsp diagnostic.range', d.range);
        c.words('lsp diagnostic.message', d.message);
        for (const r of d.relatedInformation ?? [])
          c.range('lsp diagnostic.relatedInformation.range', r.location.range);
      }
      const symbols = await ask<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument });
      agrees('symbols', symbols);
      for (const s of symbols) {
        c.range('lsp symbol.range', s.range);
        c.range('lsp symbol.selectionRange', s.selectionRange);
        for (const z of s.children ?? []) c.range('lsp zone symbol.range', z.range);
      }
      const folds = await ask<FoldingRange[]>('textDocument/foldingRange', { textDocument });
      agrees('folding', folds);
      for (const f of folds) {
        c.line('lsp foldingRange.startLine', f.startLine);
        c.line('lsp foldingRange.endLine', f.endLine);
      }
      // Hover where the numbers are, and at the start of a few other lines; code actions on headers.
      const hovers: Promise<Hover | null>[] = [];
      const headers: number[] = [];
      for (let line = 0; line < c.oracle.lineCount && hovers.length < 40; line++) {
        const text = c.lineText(line);
        const m = TARGET_WORDS.exec(text);
        if (m)
          hovers.push(
            ask<Hover | null>('textDocument/hover', {
              textDocument,
              position: { line, character: m.index + 1 },
            }),
          );
        else if (line % 17 === 0)
          hovers.push(
            ask<Hover | null>('textDocument/hover', { textDocument, position: { line, character: 0 } }),
          );
        if (HEADER_WORDS.test(text) && headers.length < 5) headers.push(line);
      }
      for (const h of await Promise.all(hovers)) {
        if (!h) continue;
        if (h.range) c.range('lsp hover.range', h.range);
        c.words('lsp hover', typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
      }
      for (const line of headers) {
        const range = { start: { line, character: 0 }, end: { line, character: c.lineLength(line) } };
        const onLine = diagnostics.items.filter((d) => d.range.start.line === line);
        const actions = await ask<CodeAction[]>('textDocument/codeAction', {
          textDocument,
          range,
          context: { diagnostics: onLine },
        });
        for (const a of actions.filter((x) => x.data).slice(0, 3)) {
          const resolved = await ask<CodeAction>('codeAction/resolve', a);
          c.words('lsp codeAction', resolved.title);
          const block = resolved.command?.arguments?.[0];
          if (typeof block === 'string')
            c.sysctlText(
              'lsp codeAction text',
              block,
              resolved.command?.command === 'kernelLogLens.copyText',
            );
        }
      }
      agrees('status', await ask('kernelLogLens/documentStatus', { textDocument }));
      for (const format of ['conf', 'commands'] as const) {
        const s = await ask<{ text: string } | null>('kernelLogLens/sysctlSuggestions', {
          textDocument,
          format,
        });
        agrees(format === 'conf' ? 'sysctlConf' : 'sysctlCommands', s);
        if (s) c.sysctlText(`lsp sysctlSuggestions(${format})`, s.text, format === 'commands');
      }
      await client.close(uri);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Timeout) {
        note(
          input,
          'lsp-no-answer',
          message.replace(/[\d.]+ ms/, 'the timeout'),
          `${message} (${input.text.length} characters); server restarted`,
        );
      } else note(input, 'lsp-request-failed', message.replace(/\d+/g, 'N').slice(0, 160), message);
      // A server that does not answer (or died) is replaced, so the run goes on.
      rssMaxMb = Math.max(rssMaxMb ?? 0, rssMb(client.child.pid) ?? 0);
      client.child.kill('SIGKILL');
      client.connection.dispose();
      client = await TestClient.start();
      restarts++;
      logsSeen = 0;
      stderrSeen = 0;
    }
    if (client.child.exitCode !== null)
      note(input, 'lsp-server-exited', `exit code ${client.child.exitCode}`, '');
    for (const message of client.logs.slice(logsSeen)) {
      const first = message.split('\n')[0];
      if (/failed/.test(first))
        note(
          input,
          'lsp-handler-threw',
          first
            .replace(/\d+/g, 'N')
            .replace(/'[^']*'|"[^"]*"/g, '…')
            .slice(0, 160),
          message.split('\n').slice(0, 6).join('\n'),
        );
    }
    logsSeen = client.logs.length;
    if (client.errorOutput.length > stderrSeen) {
      note(
        input,
        'lsp-stderr',
        'the server wrote to stderr',
        client.errorOutput.slice(stderrSeen, stderrSeen + 500),
      );
      stderrSeen = client.errorOutput.length;
    }
    for (const v of c.violations) note(input, v.property, v.key, v.detail);
    n++;
    if (n % 200 === 0) rssMaxMb = Math.max(rssMaxMb ?? 0, rssMb(client.child.pid) ?? 0);
    options.onProgress?.(n);
  }
  const rssEndMb = rssMb(client.child.pid);
  rssMaxMb = Math.max(rssMaxMb ?? 0, rssEndMb ?? 0);
  if (rssStartMb !== null && rssEndMb !== null && rssEndMb > Math.max(4 * rssStartMb, rssStartMb + 300))
    findings.set('lsp-memory', {
      phase: 'lsp',
      property: 'lsp-memory',
      key: 'RSS grew with documents opened and closed',
      count: 1,
      detail: `RSS ${rssStartMb} MB after start, ${rssEndMb} MB after ${n} documents opened and closed`,
      replay: '',
      input: '',
    });
  await within(client.stop(), 10_000, 'shutdown').catch(() => client.child.kill('SIGKILL'));
  await sandbox.close();
  return {
    inputs: n,
    findings: [...findings.values()],
    restarts,
    rssStartMb,
    rssEndMb,
    rssMaxMb,
    ms: performance.now() - started,
  };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `in-process …${a.slice(Math.max(0, i - 100), i + 100)}…\nserver     …${b.slice(Math.max(0, i - 100), i + 100)}…`;
}
