// Where the real-editor layers keep their caches and artifacts (all ignored by git).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cacheDir = join(repoRoot, '.vscode-test');
export const codeServerVersion = '4.100.3';
export const codeServerDir = join(cacheDir, 'code-server');
export const artifactsDir = join(repoRoot, 'test', 'e2e', '.artifacts');
export const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');
