// Files of the installed package that the CLI reads besides its inputs: package.json (the version)
// and docs/codes/<CODE>.md (SARIF rule help). Found from the running module upwards: dist/cli.js
// in the package (npm's `files` ships both), or the compiled sources in a clone.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | null | undefined;

/** The directory of kernel-log-lens's package.json above this module, or null. */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  root = null;
  for (let dir = __dirname, i = 0; i < 5; i++, dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === 'kernel-log-lens') return (root = dir);
    } catch {
      // not ours: keep looking
    }
  }
  return root;
}

/** The package's version, or 'unknown'. */
export function packageVersion(): string {
  const dir = packageRoot();
  if (dir === null) return 'unknown';
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

/** docs/codes/<code>.md of the package, or null when it is not there. */
export function codeDoc(code: string): string | null {
  const dir = packageRoot();
  if (dir === null || !/^KLL\d{3}$/.test(code)) return null;
  try {
    return readFileSync(join(dir, 'docs', 'codes', `${code}.md`), 'utf8');
  } catch {
    return null;
  }
}
