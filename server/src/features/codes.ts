// Where a diagnostic's code is documented: one page per code in the repository's docs/codes/.
// The one place the URL base lives.

import type { CodeDescription } from 'vscode-languageserver-types';

export const CODE_DOCS_BASE = 'https://github.com/klens/kernel-log-lens/blob/main/docs/codes/';

export function codeDescription(code: string): CodeDescription {
  return { href: `${CODE_DOCS_BASE}${encodeURIComponent(code)}.md` };
}
