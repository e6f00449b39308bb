// Text that does not come from the extension itself (a file name, an error's message) shown in a
// notification. VS Code renders `[label](target)` in notification messages as a link, `command:`
// targets included: a file named `[Update](command:…)` must not become a button. Control and
// bidirectional characters are shown as spaces, and the text is cut to a readable length.

/** At most this many characters of one inserted text. */
const MAX_CHARS = 200;

export function messageText(text: string): string {
  const flat = text
    // C0/C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]+/g, ' ')
    // `](` is what turns a bracketed label into a link: keep the characters, break the syntax
    .replace(/\]\s*\(/g, '] (');
  return flat.length > MAX_CHARS ? `${flat.slice(0, MAX_CHARS - 1)}…` : flat;
}
