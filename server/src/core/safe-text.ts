// Text from a log on its way out: into a sysctl file, a terminal, an editor's UI or JSON. A log
// line can carry anything — carriage returns and the other characters some reader ends a line at,
// terminal escape sequences (OSC 52 sets the clipboard), bidi controls that reorder what is shown
// (Unicode UAX #9; CVE-2021-42574) — so every writer takes its log text through this file, and
// which characters are unsafe is decided here, once:
//
// - line breaks: LF, VT, FF, CR, NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029 (the
//   mandatory breaks of Unicode UAX #14; systemd's read_line() ends a sysctl.d line at CR and NUL,
//   procps' sysctl at LF);
// - every other C0 control (NUL, ESC, tab …), DEL and the C1 controls U+0080–U+009F (CSI U+009B);
// - the bidi controls ALM U+061C, LRM U+200E, RLM U+200F, LRE…RLO U+202A–U+202E, LRI…PDI U+2066–U+2069.

const BREAKS = '\\t\\n\\v\\f\\r\\u0085\\u2028\\u2029';
const OTHER_CONTROLS =
  '\\x00-\\x08\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** Any character that no writer passes through raw. */
const UNSAFE = new RegExp(`[${BREAKS}${OTHER_CONTROLS}]`);
const UNSAFE_ALL = new RegExp(`[${BREAKS}${OTHER_CONTROLS}]`, 'g');
const BREAK_RUNS = new RegExp(`[${BREAKS}]+`, 'g');
const OTHER = new RegExp(`[${OTHER_CONTROLS}]`, 'g');
/** What JSON.stringify leaves raw of UNSAFE: DEL, C1, U+2028/U+2029, the bidi controls. */
const JSON_RAW = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const JSON_RAW_ALL = new RegExp(JSON_RAW.source, 'g');
/** ECMA-48 escape sequences: CSI (colours, cursor moves), the string commands OSC/DCS/SOS/PM/APC
 * ended by BEL or ST, and the two- and three-character ESC sequences. An unterminated string
 * command is taken as `ESC ]` (or `ESC P` …) alone: the text after it stays visible. */
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;

/** The text holds a character some writer must not pass through raw. */
export function hasUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * Log text as one plain line, for a comment, a title or a label: escape sequences and controls
 * (bidi ones included) removed, every run of line breaks and tabs one space, trimmed.
 */
export function oneLine(text: string): string {
  if (!UNSAFE.test(text)) return text.trim();
  return text.replace(ESCAPE_SEQUENCE, '').replace(OTHER, '').replace(BREAK_RUNS, ' ').trim();
}

/**
 * A sysctl.conf comment: one `#` line per line of `text` (lines end at LF, the core's separator;
 * any other line break in a line becomes a space, so text from a log never starts a line of its
 * own). Empty lines are dropped; a line already starting with `#` or `;` keeps its marker.
 */
export function commentLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = oneLine(raw);
    if (line.length > 0) out.push(line.startsWith('#') || line.startsWith(';') ? line : `# ${line}`);
  }
  return out;
}

const SHORT_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Log text for a terminal: every unsafe character shown as an escape instead of acting —
 * `\t` `\n` `\r`, `\xNN` for the other C0 and C1 controls and DEL (ESC is `\x1b`), `\uNNNN` for
 * the Unicode separators and bidi controls (RLO is `\u202e`). A backslash in the log itself is
 * printed as it is, so the notation is for reading, not for parsing back.
 */
export function visibleControls(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short) return short;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/** JSON for a terminal or a file: JSON.stringify escapes C0 controls but passes DEL, the C1
 * controls, U+2028/U+2029 and the bidi controls through raw; this writes them as `\uNNNN` too.
 * Only strings hold characters outside ASCII in JSON text, so the whole text can be passed. */
export function escapeJsonText(json: string): string {
  if (!JSON_RAW.test(json)) return json;
  return json.replace(JSON_RAW_ALL, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
