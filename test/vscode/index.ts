// Entry point of the VS Code integration suite. `@vscode/test-electron` calls `run()` inside VS Code
// desktop (see run-test-electron.ts); the code-server runner (test/e2e/vscode-suite.test.mjs)
// loads this same compiled file inside code-server's extension host and calls `runSuite()` to get
// the counts and failures. Test files use only the `vscode` API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  done: boolean;
  passed: number;
  failed: number;
  pending: number;
  tests: TestOutcome[];
}

/** Runs every `*.test.js` beside this file; `onProgress` sees the result after each test. */
export function runSuite(
  reporter = 'spec',
  onProgress: (result: SuiteResult) => void = () => {},
): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const result: SuiteResult = { done: false, passed: 0, failed: 0, pending: 0, tests: [] };
  return new Promise((resolve) => {
    const runner = mocha.run();
    runner.on('start', () => onProgress(result));
    runner.on('test end', () => onProgress(result));
    runner.on('pass', (test) => {
      result.passed++;
      result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, error: Error) => {
      result.failed++;
      result.tests.push({ title: test.fullTitle(), state: 'failed', error: error?.stack ?? String(error) });
    });
    runner.on('pending', (test) => {
      result.pending++;
      result.tests.push({ title: test.fullTitle(), state: 'pending' });
    });
    runner.on('end', () => {
      result.done = true;
      onProgress(result);
      resolve(result);
    });
  });
}

export async function run(): Promise<void> {
  const result = await runSuite();
  if (result.failed > 0 || result.pending > 0 || result.passed === 0) {
    throw new Error(
      `VS Code suite: ${result.passed} passed, ${result.failed} failed, ${result.pending} pending`,
    );
  }
}
