// The journal's export formats (systemd.io/JOURNAL_EXPORT_FORMATS, journalctl(1) `--output=`):
// `-o json` writes each entry as one JSON object on one line, `-o export` as `KEY=value` lines (a
// value that is not printable UTF-8 as `KEY`, a newline, its size as a 64-bit little-endian
// integer, the bytes and a newline), entries separated by an empty line. Only the MESSAGE of an
// entry the kernel wrote (`_TRANSPORT=kernel`, `SYSLOG_IDENTIFIER=kernel`) holds kernel text.

/** One entry of `journalctl -o json` on one physical line. */
export interface JsonEntry {
  /** The MESSAGE decoded: JSON escapes resolved (a multi-line record keeps its `\n`s), a byte
   * array decoded as UTF-8; null when the entry has none (or the field was too large: `null`). */
  message: string | null;
  /** For each piece of `message` that maps 1:1 onto the line: [offset in message, column, …]. */
  runs: number[];
  /** The column after the message's text: its closing `"` (or `]` of a byte array), so that a
   * message ending in an escape (`\u00e9`, `\n`) ends after the escape, not inside it. */
  messageEnd: number;
  /** False when `_TRANSPORT` names another transport and `SYSLOG_IDENTIFIER` is not `kernel`. */
  isKernel: boolean;
  /** `__REALTIME_TIMESTAMP` (microseconds since the epoch) as seconds, `1704164645.123456`. */
  time: string | null;
  host: string | null;
}

/** Longest line read as a JSON entry (a physical line is cut at 64 KiB anyway). */
const MAX_JSON_LINE = 1 << 16;

/**
 * Where a journal JSON entry starts on the line, or -1 (a cheap test before `readJsonEntry`):
 * `-o json` at the line's start, `-o json-seq` after the record separator (RFC 7464), `-o json-sse`
 * after `data: ` (journalctl(1) `--output=`).
 */
export function jsonEntryStart(line: string): number {
  const c = line.charCodeAt(0);
  const at = c === 123 /* { */ ? 0 : c === 0x1e ? 1 : line.startsWith('data: ') ? 6 : -1;
  if (at < 0 || line.charCodeAt(at) !== 123) return -1;
  return line.indexOf('"MESSAGE"', at) > 0 || line.indexOf('"__CURSOR"', at) > 0 ? at : -1;
}

/**
 * Reads one `journalctl -o json` line. The JSON Format (systemd.io/JOURNAL_EXPORT_FORMATS, "Journal
 * JSON Format"): one object per entry; a value is a string, or an array of numbers (bytes) when it
 * is not printable UTF-8, or null when larger than 4096 bytes (without `--all`), or an array of
 * such values when the field occurs more than once in the entry (the first is read). Older
 * journalctl prints `"KEY" : "value"` with spaces. Null when the line is not such an object.
 */
export function readJsonEntry(line: string, from = 0): JsonEntry | null {
  if (line.length > MAX_JSON_LINE) return null;
  const n = line.length;
  let i = from + 1;
  let message: string | null = null;
  let runs: number[] = [];
  let messageEnd = 0;
  let transport: string | null = null;
  let identifier: string | null = null;
  let time: string | null = null;
  let host: string | null = null;
  const ws = (): void => {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  };
  for (;;) {
    ws();
    if (i >= n || line.charCodeAt(i) !== 34 /* " */) return null;
    const key = readString(line, i);
    if (key === null) return null;
    i = key.end;
    ws();
    if (line.charCodeAt(i) !== 58 /* : */) return null;
    i++;
    ws();
    const c = line.charCodeAt(i);
    let value: Value | null;
    if (c === 34) value = readString(line, i);
    else if (c === 91 /* [ */) value = readArray(line, i);
    else value = readBare(line, i);
    if (value === null) return null;
    i = value.end;
    switch (key.text) {
      case 'MESSAGE':
        if (value.text !== null) {
          ({ text: message, runs } = value);
          messageEnd = value.end - 1;
        }
        break;
      case '_TRANSPORT':
        transport = value.text;
        break;
      case 'SYSLOG_IDENTIFIER':
        identifier = value.text;
        break;
      case '__REALTIME_TIMESTAMP':
        if (value.text !== null && /^\d{7,19}$/.test(value.text))
          time = `${value.text.slice(0, -6)}.${value.text.slice(-6)}`;
        break;
      case '_HOSTNAME':
        host = value.text;
        break;
    }
    ws();
    const d = line.charCodeAt(i);
    if (d === 44 /* , */) {
      i++;
      continue;
    }
    if (d === 125 /* } */) break;
    return null;
  }
  return { message, runs, messageEnd, isKernel: isKernelEntry(transport, identifier), time, host };
}

/** An entry holds kernel text: `_TRANSPORT=kernel` or `SYSLOG_IDENTIFIER=kernel`, or neither field
 * known (a trimmed export); another program's identifier says it is not (systemd.journal-fields(7)). */
export function isKernelEntry(transport: string | null, identifier: string | null): boolean {
  return (transport === null && identifier === null) || transport === 'kernel' || identifier === 'kernel';
}

/**
 * One member line of `journalctl -o json-pretty` (`\t"MESSAGE" : "…",`): the entry spread over
 * lines, one field a line between `{` and `}`. Null when the line is no such member.
 */
export function readJsonMember(line: string): { key: string; value: Value } | null {
  if (line.length > MAX_JSON_LINE) return null;
  const n = line.length;
  let i = 0;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (line.charCodeAt(i) !== 34) return null;
  const key = readString(line, i);
  if (key === null || key.text === null || !/^_{0,2}[A-Z][A-Z0-9_]*$/.test(key.text)) return null;
  i = key.end;
  while (i < n && line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 58) return null;
  i++;
  while (i < n && line.charCodeAt(i) === 32) i++;
  const c = line.charCodeAt(i);
  const value = c === 34 ? readString(line, i) : c === 91 ? readArray(line, i) : readBare(line, i);
  if (value === null) return null;
  i = value.end;
  if (line.charCodeAt(i) === 44) i++;
  if (i < n && !(i === n - 1 && line.charCodeAt(i) === 13)) return null;
  return { key: key.text, value };
}

export interface Value {
  /** The decoded text (the first of several values), or null (`null`, a number, a nested object). */
  text: string | null;
  runs: number[];
  /** Index after the value. */
  end: number;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A JSON string at `at` (its opening quote), decoded, with the runs mapping it onto the line. */
function readString(line: string, at: number): Value | null {
  const parts: string[] = [];
  const runs: number[] = [];
  let length = 0;
  let i = at + 1;
  let from = i;
  for (;;) {
    const q = line.indexOf('"', i);
    const b = line.indexOf('\\', i);
    if (q < 0) return null;
    if (b < 0 || q < b) {
      if (q > from) {
        runs.push(length, from);
        parts.push(line.slice(from, q));
        length += q - from;
      }
      return { text: parts.join(''), runs, end: q + 1 };
    }
    if (b > from) {
      runs.push(length, from);
      parts.push(line.slice(from, b));
      length += b - from;
    }
    const e = line.charAt(b + 1);
    let decoded: string;
    let width = 2;
    if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(line.slice(b + 2, b + 6))) {
      decoded = String.fromCharCode(parseInt(line.slice(b + 2, b + 6), 16));
      width = 6;
    } else if (e in ESCAPES) decoded = ESCAPES[e];
    else return null;
    runs.push(length, b);
    parts.push(decoded);
    length += 1;
    i = from = b + width;
  }
}

/** An array at `at`: of byte numbers (a value that is not printable UTF-8, decoded here), or of
 * values (the field repeated: the first is taken). `nested`: inside such an array already (the
 * format nests no deeper). */
function readArray(line: string, at: number, nested = false): Value | null {
  let i = at + 1;
  const n = line.length;
  const bytes: number[] = [];
  const columns: number[] = [];
  let first: Value | null = null;
  let count = 0;
  for (;;) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    const c = line.charCodeAt(i);
    if (c === 93 /* ] */ && count === 0) break;
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < n && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
      const value = Number(line.slice(i, j));
      if (j - i > 3 || value > 255) return null;
      bytes.push(value);
      columns.push(i);
      i = j;
    } else if (c === 34) {
      const s = readString(line, i);
      if (s === null) return null;
      first ??= s;
      i = s.end;
    } else if (c === 91) {
      if (nested) return null;
      const s = readArray(line, i, true);
      if (s === null) return null;
      first ??= s;
      i = s.end;
    } else {
      const s = readBare(line, i);
      if (s === null) return null;
      i = s.end;
    }
    count++;
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (line.charCodeAt(i) === 44) {
      i++;
      continue;
    }
    if (line.charCodeAt(i) === 93) break;
    return null;
  }
  if (first !== null) return { text: first.text, runs: first.runs, end: i + 1 };
  const { text, runs } = decodeBytes(bytes, columns);
  return { text, runs, end: i + 1 };
}

/** `null`, `true`, `false` or a number: no text. */
function readBare(line: string, at: number): Value | null {
  const m = /^(?:null|true|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(line.slice(at, at + 32));
  return m ? { text: null, runs: [], end: at + m[0].length } : null;
}

/**
 * Bytes as UTF-8 (a byte that begins no valid sequence becomes U+FFFD), each character mapped to
 * the column of its first byte's number.
 */
export function decodeBytes(bytes: number[], columns: number[]): { text: string; runs: number[] } {
  const parts: string[] = [];
  const runs: number[] = [];
  let length = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let char = '\ufffd';
    let size = 1;
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : 0;
    if (b < 0x80) char = String.fromCharCode(b);
    else if (need > 0 && i + need < bytes.length) {
      let cp = b & (0x3f >> need);
      let ok = true;
      for (let k = 1; k <= need; k++) {
        const c = bytes[i + k];
        if (c === undefined || (c & 0xc0) !== 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
      if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
        char = String.fromCodePoint(cp);
        size = need + 1;
      }
    }
    runs.push(length, columns[i]);
    parts.push(char);
    length += char.length;
    i += size;
  }
  return { text: parts.join(''), runs };
}

/** A `KEY=value` line of `journalctl -o export` (field names: uppercase letters, digits and
 * underscores, not starting with a digit): the key and where the value starts. */
const EXPORT_FIELD = /^(_{0,2}[A-Z][A-Z0-9_]{0,63})=/;

export function readExportField(line: string): { key: string; valueStart: number } | null {
  const c = line.charCodeAt(0);
  if (!(c === 95 || (c >= 65 && c <= 90))) return null;
  const m = EXPORT_FIELD.exec(line);
  return m ? { key: m[1], valueStart: m[0].length } : null;
}

/** The line that announces a binary MESSAGE in the export format: its size and bytes follow. */
export const EXPORT_BINARY_MESSAGE = 'MESSAGE';
/** The size before a binary field's bytes: 64 bits, little-endian. */
export const EXPORT_SIZE_BYTES = 8;
