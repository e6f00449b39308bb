// Text that does not come from the extension itself (a file name, an error's message) shown in a
// notification, by the VS Code client or the language server (window/showMessage). VS Code renders
// `[label](target)` in notification messages as a link, `command:` targets included: a file named
// `[Update](command:…)` must not become a button. Control and bidirectional characters are shown
// as spaces, and the text is cut to a readable length. No imports: client and server share it.

/** At most this many characters of one inserted text. */
const MAX_CHARS = 200;

/** One inserted text: controls flattened, links broken, cut to MAX_CHARS. */
export function messageText(text: string): string {
  // C0/C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates
  const flat = breakLinks(
    text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]+/g, ' '),
  );
  return flat.length > MAX_CHARS ? `${flat.slice(0, MAX_CHARS - 1)}…` : flat;
}

/** A whole message with no `[label](target)` a client would render as a link: `](` is what turns
 * a bracketed label into one, so the characters stay and the syntax is broken. */
export function breakLinks(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
