// The npm package as a user gets it (issue #16): `npm pack`, then `npm install -g` of the tarball
// into an empty prefix, offline. The bundles in dist/ inline every dependency, so the package
// declares none (they are devDependencies, used by esbuild) and installs without the registry.
// The installed `klens` must analyse the seed, and the installed `klens-language-server` must
// answer an LSP `initialize` over stdio. The packed size is printed.
//
// The pack runs with --ignore-scripts: `prepack` (node esbuild.mjs) would rewrite dist/ while other
// test files run the bundles; test:fast builds dist/ first, and the manifest's `prepack` is checked
// below. `prepare` (the clone's build and bin links) stays in the manifest; npm runs it for a
// clone (`npm ci`) and a git dependency, not for a tarball or registry install: its
// `node esbuild.mjs` would fail here, since esbuild.mjs is not in the package, so the install
// below succeeding shows it did not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const SEED = join(root, 'test', 'fixtures', 'corpus', '000-seed.log');
const scratch = mkdtempSync(join(tmpdir(), 'klens-npm-package-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

interface PackedFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  // an npm of its own cache and no user config: the install must not need anything cached
  const env = {
    ...process.env,
    npm_config_cache: join(scratch, 'cache'),
    npm_config_userconfig: join(scratch, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  files?: string[];
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};

test('the manifest: prepack builds, no dependency and no install-time script; the allow-list is .npmignore', () => {
  assert.equal(manifest.scripts.prepack, 'node esbuild.mjs');
  // vsce refuses a `files` field beside .vscodeignore (the .vsix's allow-list): the npm package's
  // allow-list is .npmignore, and the next test checks what it packs
  assert.equal(manifest.files, undefined);
  assert.ok(existsSync(join(root, '.npmignore')) && existsSync(join(root, '.vscodeignore')));
  for (const hook of ['preinstall', 'install', 'postinstall'])
    assert.equal(manifest.scripts[hook], undefined, `${hook} runs on the user's machine`);
  assert.equal(manifest.dependencies, undefined, 'dist/ bundles every dependency');
  assert.deepEqual(manifest.bin, {
    klens: 'bin/klens.js',
    'klens-language-server': 'bin/klens-language-server.js',
  });
});

let packed: PackResult;
const prefix = join(scratch, 'prefix');

test('npm pack: the bundles, the bins, the grammars and the code docs; no sources, tests or fixtures', () => {
  const r = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root);
  assert.equal(r.status, 0, r.stderr);
  [packed] = JSON.parse(r.stdout) as PackResult[];
  const paths = packed.files.map((f) => f.path).sort();
  for (const p of [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/klens.js',
    'bin/klens-language-server.js',
    'dist/cli.js',
    'dist/server.js',
    'syntaxes/kernel-log.tmLanguage.json',
    'syntaxes/kernel-log.injection.tmLanguage.json',
    'language-configuration.json',
    'docs/json.md',
  ])
    assert.ok(paths.includes(p), `${p} packed (got ${paths.join(', ')})`);
  const codeDocs = readdirSync(join(root, 'docs', 'codes')).map((f) => `docs/codes/${f}`);
  for (const p of codeDocs) assert.ok(paths.includes(p), `${p} packed (SARIF rule help)`);
  const stray = paths.filter((p) =>
    /^(test|server|client|shared|scripts|bench|out|node_modules)\/|\.map$/.test(p),
  );
  assert.deepEqual(stray, []);
  const tarball = join(scratch, packed.filename);
  assert.equal(statSync(tarball).size, packed.size);
  console.log(
    `npm pack: ${packed.filename} ${(packed.size / 1024).toFixed(1)} kB packed, ` +
      `${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.files.length} files`,
  );
});

test('npm install -g of the tarball, offline, into an empty prefix', () => {
  assert.ok(packed, 'packed');
  const r = npm(['install', '-g', '--offline', '--prefix', prefix, join(scratch, packed.filename)], scratch);
  assert.equal(r.status, 0, r.stderr);
  const installed = join(prefix, 'lib', 'node_modules', 'kernel-log-lens');
  assert.ok(existsSync(join(installed, 'dist', 'cli.js')));
  assert.ok(!existsSync(join(installed, 'node_modules')), 'no dependency installed');
  for (const bin of ['klens', 'klens-language-server']) assert.ok(existsSync(join(prefix, 'bin', bin)), bin);
});

test('the installed klens analyses the seed (--json), as the repository build does', () => {
  const installed = spawnSync(join(prefix, 'bin', 'klens'), ['analyze', '--json', SEED], {
    encoding: 'utf8',
  });
  assert.equal(installed.status, 0, installed.stderr);
  const doc = JSON.parse(installed.stdout) as { events: { kind: string; line: number; order: number }[] };
  assert.deepEqual(
    doc.events.map((e) => [e.kind, e.line, e.order]),
    [['page_alloc_failure', 1, 5]],
  );
  const local = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'analyze', '--json', SEED], {
    encoding: 'utf8',
  });
  assert.equal(installed.stdout, local.stdout);
  const version = spawnSync(join(prefix, 'bin', 'klens'), ['--version'], { encoding: 'utf8' });
  assert.equal(
    version.stdout,
    `klens ${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`,
  );
});

test('the installed klens-language-server answers initialize over stdio', async () => {
  const server = spawn(join(prefix, 'bin', 'klens-language-server'), ['--stdio'], { stdio: 'pipe' });
  let stderr = '';
  server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const send = (message: object): void => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  // reads framed messages until the response with the given id
  let pending = Buffer.alloc(0);
  const waiters = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  server.stdout.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, headerEnd).toString())?.[1]);
      if (pending.length < headerEnd + 4 + length) return;
      const message = JSON.parse(pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as {
        id?: number;
        result?: unknown;
      };
      pending = pending.subarray(headerEnd + 4 + length);
      if (message.id !== undefined) waiters.get(message.id)?.(message);
    }
  });
  const request = (
    id: number,
    method: string,
    params: unknown,
  ): Promise<{ result?: unknown; error?: unknown }> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${method}: no answer in 30 s (stderr: ${stderr})`)),
        30_000,
      );
      waiters.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      send({ id, method, params });
    });
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  try {
    const init = await request(1, 'initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    const result = init.result as {
      serverInfo: { name: string };
      capabilities: { hoverProvider?: unknown; codeActionProvider?: unknown };
    };
    assert.equal(result.serverInfo.name, 'klens-language-server');
    assert.ok(result.capabilities.hoverProvider, 'hover');
    assert.ok(result.capabilities.codeActionProvider, 'code actions');
    send({ method: 'initialized', params: {} });
    const shutdown = await request(2, 'shutdown', null);
    assert.equal(shutdown.result, null);
    send({ method: 'exit' });
    assert.equal(await exited, 0);
    assert.equal(stderr, '');
  } finally {
    server.kill();
  }
});
