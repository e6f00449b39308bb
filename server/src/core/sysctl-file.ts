// `sysctl -a` output and sysctl.conf / sysctl.d/*.conf files: one `key = value` per line.
//
// Formats read (no other):
// - procps-ng sysctl(8) `-a` prints `key = value` (`%s = %s\n`, sysctl.c ReadSetting), one line per
//   line of the /proc/sys file's content (dev.cdrom.info repeats its key); multi-value files keep
//   their tab separators (`vm.lowmem_reserve_ratio = 256\t256\t32\t0\t0`). Errors go to stderr as
//   `sysctl: …`, but a bundle that captured 2>&1 has them inline.
// - sysctl.conf(5) / sysctl.d(5): `key = value` or `key=value`, whitespace around both trimmed;
//   comment lines start with `#` or `;`; a `-` before the key means "ignore a failure to set it"
//   (procps-ng 3.3.16+, systemd-sysctl); keys may use `/` as the separator: when the first separator
//   is a `/`, slashes and dots swap (sysctl.d(5): `kernel/domainname` is `kernel.domainname`,
//   `net/ipv4/conf/enp3s0.200/forwarding` is `net.ipv4.conf.enp3s0/200.forwarding`). systemd also
//   takes globs in keys (`net.ipv4.conf.*.rp_filter`); they are kept as written. Later
//   assignments of a key override earlier ones (sysctl.d(5)).

/** One `key = value` line. Columns are UTF-16 offsets within `line` (0-based, end exclusive). */
export interface SysctlEntry {
  /** The key as written (without the `-` prefix). */
  rawKey: string;
  /** The key in the dotted form `sysctl -a` prints (see sysctlKey). */
  key: string;
  /** The value, whitespace around it trimmed (inner tabs and spaces kept as written). */
  value: string;
  line: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Written with a leading `-`: a failure to set it is ignored (sysctl.d(5)). */
  ignoreFailure: boolean;
}

/** A line that is neither a setting, a comment nor blank. */
export interface SysctlProblem {
  line: number;
  start: number;
  end: number;
  message: string;
}

export interface SysctlText {
  entries: SysctlEntry[];
  problems: SysctlProblem[];
}

/** Lines longer than this are not a sysctl setting (a /proc/sys value is at most a page). */
const MAX_LINE = 64 * 1024;

/** The LSP's line breaks: `\r\n`, `\n` and a lone `\r` (the same as LineIndex and lines.ts). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The dotted key `sysctl -a` prints for a key written with either separator (sysctl.d(5)). */
export function sysctlKey(raw: string): string {
  const dot = raw.indexOf('.');
  const slash = raw.indexOf('/');
  if (slash < 0 || (dot >= 0 && dot < slash)) return raw;
  let out = '';
  for (const ch of raw) out += ch === '/' ? '.' : ch === '.' ? '/' : ch;
  return out;
}

const KEY = /^[A-Za-z0-9_*?[\]!.\-/:@+]+$/;

export function parseSysctlText(text: string): SysctlText {
  const entries: SysctlEntry[] = [];
  const problems: SysctlProblem[] = [];
  const problem = (line: number, start: number, end: number, message: string): void => {
    problems.push({ line, start, end, message });
  };
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const lead = line.length - line.trimStart().length;
    if (lead === line.length) continue;
    const first = line[lead];
    if (first === '#' || first === ';') continue;
    if (line.length > MAX_LINE) {
      problem(n, lead, line.length, 'line too long for a sysctl setting');
      continue;
    }
    // procps-ng's own messages when a bundle captured stderr too: `sysctl: permission denied on key …`
    if (line.startsWith('sysctl: ', lead)) {
      problem(n, lead, line.trimEnd().length, 'a message of sysctl(8), not a setting');
      continue;
    }
    const eq = line.indexOf('=', lead);
    if (eq < 0) {
      problem(n, lead, line.trimEnd().length, 'no `=`: not a `key = value` setting (sysctl.d(5))');
      continue;
    }
    const ignoreFailure = first === '-';
    let keyStart = ignoreFailure ? lead + 1 : lead;
    while (keyStart < eq && (line[keyStart] === ' ' || line[keyStart] === '\t')) keyStart++;
    const rawKey = line.slice(keyStart, eq).trimEnd();
    const keyEnd = keyStart + rawKey.length;
    if (rawKey === '' || !KEY.test(rawKey)) {
      problem(
        n,
        keyStart,
        Math.max(keyEnd, eq),
        rawKey === ''
          ? 'no key before `=`'
          : 'not a sysctl key (letters, digits, `_`, `.` or `/` separators)',
      );
      continue;
    }
    const after = line.slice(eq + 1);
    const value = after.trim();
    const valueStart = value === '' ? line.length : eq + 1 + (after.length - after.trimStart().length);
    entries.push({
      rawKey,
      key: sysctlKey(rawKey),
      value,
      line: n,
      keyStart,
      keyEnd,
      valueStart,
      valueEnd: valueStart + value.length,
      ignoreFailure,
    });
  }
  return { entries, problems };
}

/** The values the entries leave in effect: per key the last assignment (sysctl.d(5)). */
export function sysctlValues(entries: readonly SysctlEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) out.set(e.key, e.value);
  return out;
}

/** A multi-value setting's fields (tabs from `sysctl -a`, spaces in a .conf file). */
export function sysctlFields(value: string): string[] {
  const t = value.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** A value as the kernel's integer handlers read it (proc_dointvec: optional sign, decimal
 * digits); null for anything else or beyond 2^53. */
export function sysctlInt(value: string): number | null {
  const t = value.trim();
  if (!/^[-+]?\d{1,16}$/.test(t)) return null;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : null;
}
