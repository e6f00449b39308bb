// Typing in a log over JSON-RPC (issue #17): the server moves its last analysis on noise edits
// and reads the text again on others (server/src/edited-document.ts, features/document.ts
// movedDocument). Whatever path it takes, after every edit the pulled diagnostics equal those of
// the same text opened fresh as another document; and in a storm of quick changes, each pull is
// either cancelled (ServerCancelled / RequestCancelled, never a full answer with an empty list) or
// a full answer whose resultId names the version its items are the diagnostics of.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { Diagnostic } from 'vscode-languageserver/node';
import { setCodeDocs } from '../../server/src/features/codes';
import { diagnostics } from '../../server/src/features/diagnostics';
import { analyzeDocument } from '../../server/src/features/document';
import { LineIndex } from '../../server/src/features/line-index';
import { DEFAULT_SETTINGS } from '../../server/src/features/settings';
import { fixture, ROOT, TestClient } from './harness';

setCodeDocs({ kind: 'folder', uri: pathToFileURL(join(ROOT, 'docs', 'codes')).href });

const URI = 'file:///typing/kern.log';

function noise(lines: number, from: number): string {
  return Array.from(
    { length: lines },
    (_, i) =>
      `Mar 18 10:${String(((from + i) >> 6) % 60).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')} web01 sshd[81]: session ${from + i} opened`,
  ).join('\n');
}

interface Change {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

const at = (line: number, character = 0) => ({ line, character });
const insert = (line: number, character: number, text: string): Change => ({
  range: { start: at(line, character), end: at(line, character) },
  text,
});

/** A text with the changes of one didChange applied in order, as the protocol applies them. */
function applied(text: string, changes: Change[]): string {
  for (const c of changes) {
    const lines = new LineIndex(text);
    text = text.slice(0, lines.offsetAt(c.range.start)) + c.text + text.slice(lines.offsetAt(c.range.end));
  }
  return text;
}

function expected(uri: string, version: number, text: string): Diagnostic[] {
  const doc = analyzeDocument(uri, version, text, { kernelRelease: DEFAULT_SETTINGS.kernelRelease });
  return JSON.parse(JSON.stringify(diagnostics(doc, DEFAULT_SETTINGS))) as Diagnostic[];
}

test('after noise edits, line breaks, pastes and edits in reports, the diagnostics equal a fresh open of the text', async () => {
  const reports = [
    fixture('031-rsyslog-012-rhel7-3.10-oom-mysqld.log'),
    fixture('017-syslog-kern.warning-suffix-2.6.31-nfsd-order4.log'),
  ];
  let text = [noise(300, 0), reports[0], noise(300, 300), reports[1], noise(300, 600)].join('\n');
  const header = text.split('\n').findIndex((l) => /invoked oom-killer|page allocation failure/.test(l));
  assert.equal(header, 300);
  const client = await TestClient.start();
  try {
    await client.open(URI, text);
    assert.ok((await client.pull(URI)).length > 0);
    const steps: { what: string; changes: Change[] }[] = [
      ...[...'typed'].map((c, i) => ({ what: `typing ${c}`, changes: [insert(100, 10 + i, c)] })),
      { what: 'a line break in noise', changes: [insert(120, 0, '\n')] },
      { what: 'a CRLF line break in noise', changes: [insert(130, 5, '\r\n')] },
      { what: 'a noise line deleted', changes: [{ range: { start: at(140), end: at(141) }, text: '' }] },
      { what: 'three noise lines pasted', changes: [insert(150, 0, `${noise(3, 9000)}\n`)] },
      {
        what: 'two changes in one notification, the later one first',
        changes: [insert(200, 0, 'b'), insert(50, 0, 'a\n')],
      },
      { what: 'noise after the last report', changes: [insert(text.split('\n').length - 10, 0, 'tail ')] },
      { what: 'a space before a report header', changes: [insert(header, 0, ' ')] },
      {
        what: 'the space removed',
        changes: [{ range: { start: at(header), end: at(header, 1) }, text: '' }],
      },
      { what: 'an anchor typed in noise', changes: [insert(110, 0, 'Mem-Info:')] },
      {
        what: 'a report line deleted',
        changes: [{ range: { start: at(header + 2), end: at(header + 3) }, text: '' }],
      },
      { what: 'a line break right before a report', changes: [insert(header - 1, 0, '\n')] },
    ];
    let version = 1;
    for (const [i, step] of steps.entries()) {
      version = await client.change(URI, step.changes);
      text = applied(text, step.changes);
      const got = await client.pull(URI);
      const fresh = `file:///typing/fresh-${i}.log`;
      await client.open(fresh, text);
      const want = await client.pull(fresh);
      await client.close(fresh);
      assert.equal(
        JSON.stringify(want).split(fresh).join(URI),
        JSON.stringify(got),
        `${step.what} (version ${version})`,
      );
      assert.deepEqual(got, expected(URI, version, text), `${step.what}: in-process analysis`);
    }
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
});

test('20 quick changes, each pull cancelled by the next: every full answer is the diagnostics of the version it names', async () => {
  let text = [noise(400, 0), fixture('001-journal-oom-6.8-python.log'), noise(400, 400)].join('\n');
  const client = await TestClient.start();
  const texts = new Map<number, string>([[1, text]]);
  try {
    await client.open(URI, text);
    await client.pull(URI);
    const answers: Promise<{ kind: string; resultId?: string; items?: Diagnostic[] } | 'cancelled'>[] = [];
    let previous: CancellationTokenSource | null = null;
    for (let n = 0; n < 20; n++) {
      // typing in a noise line, with a line break now and then
      const change = insert(200 + (n % 3), n, n % 7 === 6 ? '\n' : 'k');
      const version = await client.change(URI, [change]);
      text = applied(text, [change]);
      texts.set(version, text);
      previous?.cancel();
      const source = new CancellationTokenSource();
      previous = source;
      answers.push(
        client.connection
          .sendRequest<{ kind: string; resultId?: string; items?: Diagnostic[] }>(
            'textDocument/diagnostic',
            { textDocument: { uri: URI } },
            source.token,
          )
          .catch((error: { code?: number }) => {
            // LSP 3.17: ServerCancelled (-32802) or RequestCancelled (-32800), never an empty full answer
            assert.ok(error.code === -32802 || error.code === -32800, `error ${error.code}`);
            return 'cancelled' as const;
          }),
      );
    }
    for (const answer of await Promise.all(answers)) {
      if (answer === 'cancelled') continue;
      assert.equal(answer.kind, 'full');
      const version = Number(answer.resultId?.split(':')[0]);
      assert.ok(texts.has(version), `resultId ${answer.resultId}`);
      assert.deepEqual(
        answer.items,
        expected(URI, version, texts.get(version)!),
        `answer for version ${version}`,
      );
    }
    const last = await client.pull(URI);
    assert.deepEqual(last, expected(URI, 21, text));
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
});
