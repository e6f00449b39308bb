// Every diagnostic code the server emits on the corpus links to its page installed beside the
// server (dist/../docs/codes, a `file:` URI: no network), and the page exists there.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixture, FIXTURES, ROOT, TestClient, useServer } from './harness';

const CODE_URL = /^file:\/\/.*\/docs\/codes\/([A-Z]+\d+)\.md$/;

let client: TestClient;
useServer((started) => (client = started));

test('every code emitted on the fixture logs links to its page in docs/codes, which exists', async () => {
  const codes = new Set<string>();
  const logs = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.log'));
  for (const name of logs) {
    const uri = `file:///logs/${name}`;
    await client.open(uri, fixture(name));
    for (const d of await client.pull(uri)) {
      assert.equal(typeof d.code, 'string');
      const m = CODE_URL.exec(d.codeDescription?.href ?? '');
      assert.ok(m, `codeDescription of ${d.code}: ${d.codeDescription?.href}`);
      assert.equal(m[1], d.code);
      assert.equal(fileURLToPath(d.codeDescription!.href), path.join(ROOT, 'docs', 'codes', `${d.code}.md`));
      codes.add(String(d.code));
    }
  }
  for (const code of codes)
    assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'codes', `${code}.md`)), `docs/codes/${code}.md`);
});
