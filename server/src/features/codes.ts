// Where a diagnostic's code is documented: one page per code in docs/codes/, which ships with the
// extension (.vscodeignore) and the server. No page is on the network: the link goes to the copy
// installed on this machine, chosen once per client at initialize (server.ts).

import type { CodeDescription } from 'vscode-languageserver-types';

/**
 * How diagnostics link their code's page:
 * - `command`: a `command:` URI that runs the client's own command with the code as its argument
 *   (the VS Code client: OPEN_CODE_DOC_COMMAND opens the bundled page in the Markdown preview; VS
 *   Code opens a diagnostic's code link with command URIs allowed, in the Problems panel and the
 *   hover alike);
 * - `folder`: the `file:` URI of the docs/codes folder installed beside the server, for other
 *   editors (`<folder>/<CODE>.md`);
 * - `none`: no page is installed, so no link (the code alone still names the finding).
 */
export type CodeDocs =
  { kind: 'command'; command: string } | { kind: 'folder'; uri: string } | { kind: 'none' };

export const NO_CODE_DOCS: CodeDocs = Object.freeze({ kind: 'none' });

/** The server's choice for its client (server.ts at initialize): one per process, like the client.
 * Every path that makes diagnostics (diagnostics.ts) links through it without being told. */
let serverCodeDocs: CodeDocs = NO_CODE_DOCS;

export function setCodeDocs(docs: CodeDocs): void {
  serverCodeDocs = docs;
}

/** The link of `code`'s page, or undefined when there is none to give. */
export function codeDescription(code: string, docs: CodeDocs = serverCodeDocs): CodeDescription | undefined {
  switch (docs.kind) {
    case 'command':
      return { href: `command:${docs.command}?${encodeURIComponent(JSON.stringify([code]))}` };
    case 'folder':
      return { href: `${docs.uri.replace(/\/*$/, '/')}${encodeURIComponent(code)}.md` };
    case 'none':
      return undefined;
  }
}
