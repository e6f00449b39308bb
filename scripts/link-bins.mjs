// npm links the bins of dependencies, not the project's own: link klens and
// klens-language-server into node_modules/.bin so `npx klens` and the corpus scorer find them.
import { mkdirSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync(join('node_modules', '.bin'), { recursive: true });
for (const [name, target] of Object.entries(bin)) {
  const link = join('node_modules', '.bin', name);
  rmSync(link, { force: true });
  symlinkSync(join('..', '..', target), link);
  chmodSync(target, 0o755);
}
