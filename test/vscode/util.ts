// Helpers shared by the suite: fixture documents of the workspace folder and polling with a deadline.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'klens.kernel-log-lens';
export const LANGUAGE_ID = 'kernel-log';

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder)
    throw new Error('the suite needs test/fixtures/workspace (a fresh copy) opened as the workspace folder');
  return folder.uri;
}

export function fixture(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), ...relativePath.split('/'));
}

let activation: Promise<void> | undefined;

/** Fails at once, with the extension's own error, when it cannot activate (rather than 30 s later). */
export function extensionActivated(): Promise<void> {
  activation ??= (async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
    await extension.activate();
  })();
  return activation;
}

export async function openFixture(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(relativePath));
  await vscode.window.showTextDocument(document, { preview: false });
  await extensionActivated();
  return document;
}

/**
 * Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`
 * saying what it waited for and what it saw last. Never a fixed sleep.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The diagnostics of `uri` once there is one on `line` (0-based). */
export function diagnosticsWithOneOn(uri: vscode.Uri, line: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`a diagnostic on line ${line + 1} of ${uri.path}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return diagnostics.some((d) => d.range.start.line === line) ? diagnostics : undefined;
  });
}

/** The hovers' Markdown as read on screen: without emphasis markers and backslash escapes. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n')
    .replace(/\*\*|__/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>=:;,^/~])/g, '$1');
}

/** Whether `text` shows the number `n` as a whole number, with or without digit-group separators. */
export function showsNumber(text: string, n: number): boolean {
  const grouped = String(n).replace(/\B(?=(\d{3})+$)/g, '[,\u202f\u00a0]?');
  return new RegExp(`(?<![\\d.])${grouped}(?!\\.?\\d)`).test(text);
}

export function codeValue(code: vscode.Diagnostic['code']): string | number | undefined {
  return typeof code === 'object' ? code.value : code;
}
