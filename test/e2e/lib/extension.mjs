// The extension as users get it: the .vsix that `npm run package` makes from the current build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

export function requireBuild() {
  for (const file of ['dist/client.js', 'dist/server.js', 'out/test/vscode/index.js']) {
    if (!existsSync(join(repoRoot, file)))
      throw new Error(`${file} is missing: run \`npm run build && npx tsc -b\` first`);
  }
}

/** The .vsix in $KLENS_VSIX (test/e2e/run.mjs packages once for all layers), else a new one in `outDir`. */
export function packageExtension(outDir) {
  requireBuild();
  if (process.env.KLENS_VSIX) return process.env.KLENS_VSIX;
  const vsix = join(outDir, 'kernel-log-lens.vsix');
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(vsix))
    throw new Error(`npm run package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return vsix;
}
