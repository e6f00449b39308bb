// An edit storm over one connection: 10 000 random incremental edits (didChange with ranges, as
// TextDocumentSyncKind.Incremental sends them; some notifications carry several changes) on two
// real logs open at once, with hovers fired between edits (test/fuzz/edit-storm.ts makes them).
// Every CHECK_EVERY edits, the server's pulled diagnostics, symbols, folding ranges and status must
// equal a fresh in-process analysis of the same text (analyzeDocument + the feature functions),
// and at the end the final texts opened as new documents must get the same answers. Every request
// must be answered, no handler may fail and the server must write nothing to stderr. On a failure
// the documents' texts are written to test/fuzz/.findings/.
//
// Seeded, so every run makes the same edits. A longer storm (about 15 s per 50 000 edits):
//   KLENS_EDIT_STORM_EDITS=200000 KLENS_EDIT_STORM_SEED=7 node --test out/test/lsp/edit-storm.test.js
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { Diagnostic, DocumentSymbol, FoldingRange, Hover } from 'vscode-languageserver/node';
import { analyzeDocument } from '../../server/src/features/document';
import { setCodeDocs } from '../../server/src/features/codes';
import { diagnostics } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { documentStatus } from '../../server/src/features/status';
import { DEFAULT_SETTINGS } from '../../server/src/features/settings';
import { EditStorm, type StormDocument } from '../fuzz/edit-storm';
import { FINDINGS_DIR } from '../fuzz/findings';
import { ROOT, TestClient } from './harness';

const EDITS = Number(process.env.KLENS_EDIT_STORM_EDITS ?? 10_000);
const SEED = Number(process.env.KLENS_EDIT_STORM_SEED ?? 20260410);
const CHECK_EVERY = 250;
const HOVER_EVERY = 25;
/** A request the server has not answered after this long fails the storm (it would hang it). */
const ANSWER_MS = 30_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_MS} ms`)), ANSWER_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

// the server links each code to the pages installed beside it (dist/../docs/codes)
setCodeDocs({ kind: 'folder', uri: pathToFileURL(join(ROOT, 'docs', 'codes')).href });

function expected(s: StormDocument) {
  const text = s.doc.getText();
  const doc = analyzeDocument(s.uri, s.doc.version, text, { kernelRelease: DEFAULT_SETTINGS.kernelRelease });
  const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  return {
    diagnostics: json(diagnostics(doc, DEFAULT_SETTINGS)),
    symbols: json(documentSymbols(doc)),
    folding: json(foldingRanges(doc)),
    status: json(documentStatus(doc)) as unknown,
  };
}

async function answers(client: TestClient, uri: string) {
  const textDocument = { uri };
  const [diagnostics, symbols, folding, status] = await within(
    Promise.all([
      client.pull(uri),
      client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument }),
      client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument }),
      client.request<unknown>('kernelLogLens/documentStatus', { textDocument }),
    ]),
    `requests for ${uri}`,
  );
  return { diagnostics: diagnostics as Diagnostic[], symbols, folding, status };
}

/** The documents' texts, for replaying a failure; returns where they went. */
function dump(storm: EditStorm, edits: number): string {
  mkdirSync(FINDINGS_DIR, { recursive: true });
  for (const [i, d] of storm.documents.entries())
    writeFileSync(join(FINDINGS_DIR, `edit-storm-seed${SEED}-edit${edits}-${'ab'[i]}.log`), d.doc.getText());
  return join(FINDINGS_DIR, `edit-storm-seed${SEED}-edit${edits}-{a,b}.log`);
}

test(
  `edit storm: ${EDITS} incremental edits on two real logs over one connection match a fresh analysis every ${CHECK_EVERY}`,
  { timeout: 600_000 },
  async () => {
    const storm = new EditStorm(SEED);
    const client = await TestClient.start();
    let n = 0;
    try {
      for (const s of storm.documents) await client.open(s.uri, s.doc.getText());
      const hovers: Promise<Hover | null>[] = [];
      let checks = 0;
      let withReports = 0;
      for (n = 1; n <= EDITS; n++) {
        const change = storm.next();
        const version = await client.change(change.document.uri, change.changes);
        assert.equal(version, change.version);
        if (n % HOVER_EVERY === 0) {
          const { document, position } = storm.position();
          hovers.push(
            client.request<Hover | null>('textDocument/hover', {
              textDocument: { uri: document.uri },
              position,
            }),
          );
        }
        if (n % CHECK_EVERY !== 0 && n !== EDITS) continue;
        for (const s of storm.documents) {
          const got = await answers(client, s.uri);
          const want = expected(s);
          const where = `after ${n} edits, ${s.uri} version ${s.doc.version} (${s.doc.getText().length} characters)`;
          assert.deepEqual(got.diagnostics, want.diagnostics, `diagnostics ${where}`);
          assert.deepEqual(got.symbols, want.symbols, `symbols ${where}`);
          assert.deepEqual(got.folding, want.folding, `folding ranges ${where}`);
          assert.deepEqual(got.status, want.status, `documentStatus ${where}`);
          checks++;
          if (got.symbols.length > 0) withReports++;
        }
        await within(Promise.all(hovers.splice(0)), `hovers before edit ${n}`);
      }
      assert.ok(checks >= 2 * Math.floor(EDITS / CHECK_EVERY));
      // The storm edits logs, it does not grind them to noise: most checks compare real reports.
      assert.ok(withReports > checks / 2, `only ${withReports} of ${checks} checks saw a report`);

      // The final texts opened as new documents get the same answers as the stormed ones.
      for (const s of storm.documents) {
        const fresh = s.uri.replace('/storm/', '/fresh/');
        await client.open(fresh, s.doc.getText());
        const a = await answers(client, s.uri);
        const b = await answers(client, fresh);
        assert.equal(JSON.stringify(b.diagnostics).split(fresh).join(s.uri), JSON.stringify(a.diagnostics));
        assert.deepEqual(b.symbols, a.symbols, `symbols of ${s.uri} reopened`);
        assert.deepEqual(b.folding, a.folding, `folding ranges of ${s.uri} reopened`);
        await client.close(fresh);
        await client.close(s.uri);
      }
      assert.deepEqual(
        client.logs.filter((m) => /failed/.test(m)),
        [],
        'no handler failed',
      );
    } catch (error) {
      const exit = client.child.exitCode ?? client.child.signalCode;
      const server =
        exit !== null
          ? ` The server exited (${exit}); its stderr ends: ${client.errorOutput.slice(-600)}`
          : '';
      client.child.kill('SIGKILL');
      client.connection.dispose();
      assert.fail(`${String(error)}\nat edit ${n} (seed ${SEED}); texts in ${dump(storm, n)}.${server}`);
    }
    await client.stop();
    assert.equal(client.errorOutput, '');
  },
);
