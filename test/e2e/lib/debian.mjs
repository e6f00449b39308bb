// Debian packages the real-editor layers need, installed on first use when this is a Debian
// machine and we are root (CI and the dev container). Elsewhere a missing package is an error
// that names the package: the test must not silently skip.
import { execFileSync, spawnSync } from 'node:child_process';

export function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

let updated = false;

/** Installs the packages that are missing; throws with the list when that is impossible. */
export function ensureDebianPackages(packages, log = console.error) {
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')} (install them: apt-get install -y ${missing.join(' ')})`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
      encoding: 'utf8',
    });
  log(`installing Debian packages: ${missing.join(' ')}`);
  let r = install();
  if (r.status !== 0 && !updated) {
    // A fresh container has no package lists: fetch them once and retry.
    execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    updated = true;
    r = install();
  }
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${r.stderr}`);
}
