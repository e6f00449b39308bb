// Starts code-server (installed by ../install-code-server.mjs) on a free loopback port with a
// fresh user-data and extensions folder, the given extensions installed, and a workspace; stops
// it by its pid. Every wait has a deadline.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { installCodeServer } from '../install-code-server.mjs';
import { cacheDir, fixtureWorkspace } from './paths.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A scratch folder under .vscode-test/runs (inside the repo, so Node resolves its node_modules). */
export function scratchDir(prefix) {
  const runs = join(cacheDir, 'runs');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(join(runs, `${prefix}-`));
}

/** A fresh copy of test/fixtures/workspace: tests write sysctl files into it. */
export function copyFixtureWorkspace(root) {
  const workspace = join(root, 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  return workspace;
}

/**
 * @param {object} options
 * @param {string} options.root scratch folder for user data, extensions and logs
 * @param {string} options.workspace folder to open
 * @param {string[]} [options.vsix] .vsix files to install before starting
 * @param {Record<string,string>} [options.extensionFolders] folder name → extension folder to copy in
 * @param {object} [options.settings] user settings
 * @param {number} [options.startTimeoutMs]
 * @param {(message: string) => void} [options.log] progress of a first-time install
 */
export async function startCodeServer({
  root,
  workspace,
  vsix = [],
  extensionFolders = {},
  settings = {},
  startTimeoutMs = 60_000,
  log = console.error,
}) {
  const entry = installCodeServer(log);
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        // The scratch workspace lives inside this repository's checkout: keep git out of it.
        'git.openRepositoryInParentFolders': 'never',
        'git.autoRepositoryDetection': false,
        ...settings,
      },
      null,
      2,
    ),
  );
  // code-server writes a default config.yaml under XDG_CONFIG_HOME on start: keep it in the scratch folder.
  const env = { ...process.env, XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') };
  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  // Copied, not linked: the extension host finds an extension's `vscode` API by the real path of
  // the requiring file. Copied before any install, so code-server's first scan registers them.
  for (const [name, source] of Object.entries(extensionFolders)) {
    cpSync(source, join(extensionsDir, name), { recursive: true, dereference: true });
  }
  for (const file of vsix) {
    const r = spawnSync(process.execPath, [entry, ...common, '--install-extension', file], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0 || !/was successfully installed/.test(r.stdout)) {
      throw new Error(
        `code-server --install-extension ${file} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`,
      );
    }
  }

  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      workspace,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const onData = (chunk) => (output += chunk.toString());
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  // If the test process ends without stop() (a crash, a timeout), take the server down with it.
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killGroup);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM'); // its own process group: the server and its extension hosts
    } catch {
      return;
    }
    const timer = setTimeout(killGroup, 5_000);
    await exited;
    clearTimeout(timer);
    process.removeListener('exit', killGroup);
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!output.includes('HTTP server listening')) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode} before listening:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not print "HTTP server listening" within ${startTimeoutMs} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  return { url, port, pid: child.pid, workspace, extensionsDir, userDataDir, output: () => output, stop };
}
