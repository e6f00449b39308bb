#!/usr/bin/env node
// Installs code-server (a real VS Code workbench and extension host, served to a browser) into
// .vscode-test/code-server, following ../shared/recipes/real-vscode-offline.md: the npm package's
// postinstall downloads ripgrep from the internet, which CI cannot reach, so the steps are run by
// hand with Debian's ripgrep. Idempotent: returns at once when the right version is installed.
// Builds into a temporary folder and renames it at the end, so an interrupted run leaves nothing
// half-installed behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './lib/debian.mjs';
import { cacheDir, codeServerDir, codeServerVersion } from './lib/paths.mjs';

/** Packages the native modules of code-server build against, plus ripgrep for search. */
export const codeServerBuildPackages = [
  'libkrb5-dev',
  'libsecret-1-dev',
  'libxkbfile-dev',
  'libx11-dev',
  'pkg-config',
  'ripgrep',
  'build-essential',
  'python3',
];

const marker = join(codeServerDir, '.klens-installed');

export function codeServerEntry() {
  return join(codeServerDir, 'out', 'node', 'entry.js');
}

export function isCodeServerInstalled() {
  return (
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === codeServerVersion &&
    existsSync(codeServerEntry())
  );
}

function run(cmd, args, cwd, extraEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${(r.stdout ?? '').slice(-4000)}\n${(r.stderr ?? '').slice(-4000)}`,
    );
  }
  return r.stdout;
}

export function installCodeServer(log = console.error) {
  if (isCodeServerInstalled()) return codeServerEntry();
  const started = Date.now();
  ensureDebianPackages(codeServerBuildPackages, log);
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  const partial = `${codeServerDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const packDir = join(cacheDir, 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  log(`installing code-server ${codeServerVersion} into ${codeServerDir} (about a minute)`);
  // A build tree outside the repo's own npm workspace: npm must not walk up to our package.json.
  const npm = (args, cwd, env) =>
    run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, env);
  npm(['pack', `code-server@${codeServerVersion}`, '--pack-destination', packDir], packDir);
  run('tar', ['xzf', join(packDir, `code-server-${codeServerVersion}.tgz`), '-C', packDir], packDir);
  renameSync(join(packDir, 'package'), partial);
  rmSync(packDir, { recursive: true, force: true });

  const vscodeDir = join(partial, 'lib', 'vscode');
  log('  lib/vscode: npm install');
  npm(['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  rmSync(join(rgBin, 'rg'), { force: true });
  symlinkSync(rg, join(rgBin, 'rg'));
  log('  lib/vscode: npm rebuild (native modules)');
  npm(['rebuild'], vscodeDir, { npm_config_yes: 'true' });
  rmSync(join(vscodeDir, 'node_modules.asar'), { force: true });
  symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
  log('  lib/vscode/extensions: npm install');
  npm(['install', '--omit=dev'], join(vscodeDir, 'extensions'));
  log('  code-server: npm install, rebuild argon2');
  npm(['install', '--omit=dev', '--ignore-scripts'], partial);
  npm(['rebuild', 'argon2'], partial, { npm_config_yes: 'true' });

  // code-server writes a default config file on every start unless told where its config lives.
  const version = run(process.execPath, [join(partial, 'out', 'node', 'entry.js'), '--version'], partial, {
    XDG_CONFIG_HOME: join(cacheDir, 'config'),
  })
    .split('\n')
    .find((line) => line.startsWith(`${codeServerVersion} `));
  if (!version) throw new Error(`code-server --version did not print ${codeServerVersion}`);
  writeFileSync(join(partial, '.klens-installed'), `${codeServerVersion}\n`);
  rmSync(codeServerDir, { recursive: true, force: true });
  renameSync(partial, codeServerDir);
  log(`code-server installed: ${version} (${Math.round((Date.now() - started) / 1000)} s)`);
  return codeServerEntry();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    installCodeServer();
    console.log(codeServerEntry());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
