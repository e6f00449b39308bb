// Separates the kernel's own text from what the log pipeline put in front of it: syslog and
// journald prefixes, dmesg timestamps, printk caller ids, level prefixes, mail quoting, editor line
// numbers (product.md "Framings"). One physical line in, the payload column and metadata out.

import type { Framing } from './model';

export interface FramedLine {
  /** Column where the payload starts (after every recognised prefix). */
  payloadStart: number;
  /** Column where the payload ends (before `[kern.warning]`-style suffixes, `\r`). */
  payloadEnd: number;
  /** Which prefix was found; null when the line carries none (a bare or wrapped line). */
  framing: Framing | null;
  time: string | null;
  host: string | null;
  /** False when a syslog/journal tag names another program (sshd, systemd…). */
  isKernel: boolean;
  /** printk caller id (`T3364`, `C1`), when printed. */
  caller: string | null;
  /** Android logcat: logd split the kernel's text at its first colon (the tag, `SLUB`) and the
   * rest (the message): the payload is then the tag [payloadStart, tagEnd) and the message
   * [messageStart, payloadEnd), rejoined by the reader (lines.ts). -1 when the payload is one piece. */
  tagEnd: number;
  messageStart: number;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
// The month of a syslog-style stamp in any locale. journalctl -o short/short-precise formats the
// date with strftime("%b %d %H:%M:%S") in the user's LC_TIME (systemd src/shared/logs-show.c
// output_timestamp_realtime), so `%b` is glibc's `abmon` of that locale (localedata/locales/*):
// `Jul`, `июл`, `Mär`, `mars`, `juil.`, `maalis`, `7月` (zh_CN), ` 7月` / ` 7월` (ja_JP, ko_KR, with
// their leading space). Read: a word of three to ten ASCII letters, or of up to ten letters of which
// one at least is beyond ASCII (anything from U+00AA up, combining marks included: \p{L} would need
// the `u` flag, which slows every line's framing), with an optional abbreviation dot; or a month
// number with 月/월. Not read: two-letter ASCII months (ht_HT `me`, kw_GB `Du`: too close to
// ordinary words) and multi-word ones (vi_VN `Thg 7`, ca_ES `de jul.`). Matched only in the whole
// prefix shape (`<mon> <dd> <hh:mm:ss> <host> <tag>: `).
const ANY_MONTH =
  "(?:(?:[A-Za-z]{3,10}|[A-Za-z']{0,9}[\\u00aa-\\uffff][A-Za-z\\u00aa-\\uffff']{0,9})\\.?| ?\\d{1,2}[月월])";
// Quoting from mails and forums (`> `, `> >>`, `| `) and indentation in front of a framed line.
const QUOTE = /^[ \t]*(?:[>|][ \t]?)+/;
// An editor's line number, a shell prompt, a masked prefix (`... kernel:`) or an Android ylog
// sequence number (`0419C < 4>`) in front of a framed line (`565 [Sat …]`, `# [ 1.2]`).
const LEADER = new RegExp(
  `^[ \\t]*(?:\\d{1,7}[ \\t]+|[0-9A-F]{4,6}[ \\t]+(?=<\\s?\\d>)|[#$%][ \\t]+|\\.{3}[ \\t]+)(?=\\[|<\\s?\\d>|${MONTH} |${ANY_MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d |\\d{4}-\\d\\d-\\d\\dT|kernel: )`,
);
const LEVEL = /^<\s?(\d)>\s?/;
const KMSG = /^(\d),(\d+),(\d+),[^;]{0,20};/;
// The facility names <syslog.h> and util-linux dmesg share, and the severity names dmesg -x
// prints (`kern  :warn  : `); FACILITY_PRIORITY reads the same ones and a few more.
const FACILITIES = 'kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp';
const LEVELS = 'emerg|alert|crit|err|warn|notice|info|debug';
const DMESG_X = new RegExp(`^(?:${FACILITIES}|local\\d) *:(?:${LEVELS}) *: `);
// The facility and severity of the record, as names or numbers in angle brackets (`<kern.warning> `,
// `<0.4> `), where a syslog daemon was told to write them:
// - BSD syslogd -v / -vv (FreeBSD and NetBSD usr.sbin/syslogd/syslogd.c fprintlog: "<%s.%s> "
//   between the time and the host; names from <syslog.h>'s facilitynames/prioritynames, looked up by
//   value, so the kernel's KERN_WARNING record prints `<kern.warn>`; numbers with a single -v);
// - rsyslog templates with the %syslogfacility-text%.%syslogseverity-text% properties and syslog-ng
//   templates with the ${FACILITY}.${PRIORITY} (${LEVEL}) macros, which may put them anywhere, most
//   often after the host (`Apr 01 14:13:32 mysrv <kern.warning> kernel: `, the form OOMAnalyser's
//   test.py LOG_PREFIXES builds) or, without %HOSTNAME%, right after the time.
// Only the names those tables hold are read (rsyslog: emerg alert crit err warning notice info
// debug; <syslog.h> adds error warn panic), so text in angle brackets is no prefix.
const FACILITY_PRIORITY = `<(?:${FACILITIES}|ntp|security|console|local[0-7]|\\d{1,2})\\.(?:${LEVELS}|error|warning|panic|[0-7])> `;
// One field after the time, read in one pass (each row costs a match of the time on every syslog
// line the prefix cache misses):
// - `Apr 28 05:30:51 kernel: `: syslog without a host field, the kernel's tag (host group unset);
// - `Apr 01 14:13:32 mysrv: `: syslog with a host and no program tag, the shape of a file template
//   that writes the host and a colon but leaves the tag out (rsyslog `%TIMESTAMP% %HOSTNAME%: %msg%`
//   without %syslogtag%, syslog-ng `${DATE} ${HOST}: ${MSG}` without ${MSGHDR}); OOMAnalyser's
//   test.py (LOG_PREFIXES, "syslog-prefix") reads such logs. The host is a hostname (RFC 1123
//   letters, digits, dots, hyphens, underscores), the colon right after it, then a space: a
//   program's tag with a pid (`sshd[12]:`) or a tag after the host (`mysrv sshd:`) is no such
//   prefix. Read line by line, so every line of a report so framed is read alike; a host-less line
//   with a program tag and no pid (`Apr 28 05:30:51 crond: `) has the same shape and is read as
//   this host's text too: the tag is the only thing that tells them apart and neither line prints
//   one.
// Tried before the form with a host and a tag (SYSLOG), which would take `mysrv:` for the host.
const SYSLOG_ONE_FIELD = new RegExp(
  `^(${ANY_MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) (?:${FACILITY_PRIORITY})?(?:(?:kernel|vmunix)(?:\\[[^\\]\\s]*\\])?: ?|([A-Za-z0-9][A-Za-z0-9._-]{0,253}): )`,
);
/** A whole syslog prefix with the kernel's tag inside a line (` Nov  2 11:52:13 host kernel: `): a
 * second record written onto the same physical line while another CPU's record was still open (2.6
 * printed a stack entry in pieces, and syslogd wrote each piece as it came). Groups: time, host. */
export const EMBEDDED_SYSLOG = new RegExp(
  `[ \\t](${ANY_MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) (\\S+) (?:kernel|vmunix)(?:\\[[^\\]\\s]*\\])?: ?`,
  'g',
);
// `kernel: ` alone: a poster cut the date and host but kept the tag.
const TAG_ONLY = /^(?:kernel|vmunix)(?:\[[^\]\s]*\])?: ?/;
// `Apr 28 05:30:51 host tag[pid]: ` (classic syslog, journalctl short/short-precise).
// The facility and severity may stand before the host (BSD syslogd -vv) or after it (templates):
// FACILITY_PRIORITY.
const SYSLOG = new RegExp(
  `^(${ANY_MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) (?:${FACILITY_PRIORITY})?(\\S+) (?:${FACILITY_PRIORITY})?([^\\s:\\[]+)(?:\\[[^\\]\\s]*\\])?: ?`,
);
// ISO timestamps: rsyslog high precision, journalctl short-iso / short-iso-precise.
const ISO =
  /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) (\S+) ([^\s:[]+)(?:\[[^\]\s]*\])?: ?/;
// RFC 5424: `<4>1 2019-04-28T05:30:51.0Z host kernel - - - msg`.
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) \S+ \S+ (?:-|(?:\[[^\]]*\])+) ?/;
// journalctl short-monotonic: `[  123.456789] host kernel: `.
const MONOTONIC = /^(\[\s*\d+\.\d+\]) (\S+) ([^\s:[]+)(?:\[[^\]\s]*\])?: /;
// journalctl short-full (`Sat 2023-06-17 20:58:25 UTC host kernel: `) and short-unix
// (`1687035505.123456 host kernel: `).
const JOURNAL_FULL =
  /^((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z+\-0-9]{1,6})?) (\S+) ([^\s:[]+)(?:\[[^\]\s]*\])?: ?/;
const JOURNAL_UNIX = /^(\d{9,11}\.\d{1,9}) (\S+) ([^\s:[]+)(?:\[[^\]\s]*\])?: ?/;
const DMESG_TS = /^\[\s*(\d+\.\d+)\]/;
// `journalctl -o short-monotonic --no-hostname`: the kernel's tag right after the stamp.
const JOURNAL_TAG = /^(?:kernel|vmunix)(?:\[[^\]\s]*\])?: /;
const CALLER = /^\[\s*([TC]\d+)\]/;
// dmesg -T (any locale: the bracket holds a clock time) and dmesg -H (`[Feb15 11:41]`, `[  +0.000004]`).
const DMESG_T = /^\[([^\]]{0,48}?\d{1,2}:\d\d(?::\d\d)?[^\]]{0,16})\]/;
const DMESG_DELTA = /^\[\s*([+-]\d+\.\d+)\]/;
// Vendor printk's process prefix after the stamp (Samsung/Exynos Android kernels, CONFIG_PRINTK_PROCESS:
// Changki Kim, "printk: Add process name information to printk() output.", LKML 2020-09-04,
// <20200904082438.20707-1-changki.kim@samsung.com>; the same print_process() in Samsung's sec_log_buf
// and debug-snapshot drivers): sprintf("%c[%1d:%15s:%5d]", in_interrupt() ? 'I' : ' ', cpu,
// current->comm, pid), printed after print_time() (whose own trailing space came first until 4.x)
// and after the caller id where both are on. The comm is right-aligned in 15 columns (TASK_COMM_LEN
// 16), the pid at least 5 wide (PID_MAX_LIMIT 4194304: 7 digits). It names the task that printed the
// record, not the report's task: framing, stripped. A non-ASCII comm prints fewer than 15 characters.
const PRINTK_PROCESS = /^ ?[ I]?\[\d{1,4}:[^\]]{1,15}: {0,6}\d{1,7}\] ?/;
// rsyslog's `[kern.warning]`-style suffix, the last token of the line (spaces before it go too).
const SUFFIX_TAG =
  /^\[(?:kern|user|daemon|syslog|auth|local\d)\.(?:emerg|alert|crit|err|warning|warn|notice|info|debug)\]$/;

// Android logcat, as AOSP system/logging liblog/logprint.cpp android_log_formatLogLine prints an
// entry: the time is `%m-%d %H:%M:%S` (`%Y-` first with `-v year`), `.%03ld` (`.%06ld` with
// `-v usec`, `.%09ld` with `-v nsec`), ` %z` with `-v zone`; `-v uid` puts the uid (`%5s`/`%5d`)
// before the pid; the level is one of filterPriToChar's letters; the tag is printed `%-8.*s`
// (padded to 8). Every line of a multi-line message gets the prefix again. `-v epoch` prints the
// seconds `%19lld`, `-v monotonic` `%6lld` (right-aligned: spaces before).
const LOGCAT_TIME =
  '(?:(?:\\d{4}-)?\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d| *\\d{1,19})\\.\\d{3,9}(?: [+-]\\d{4})?';
const LOGCAT_LEVEL = '[VDIWEFS]';
// `(%s%5d)`: the pid, the uid before it with `-v uid` (`u0_a1:  123`, `10123:  123`).
const LOGCAT_PID = '\\( *(?:[^\\s:()]{1,16}: *)?\\d+\\)';
// threadtime (`logcat -v threadtime`, bugreports): `%s %s%5d %5d %c %-8.*s: `.
const LOGCAT_THREADTIME = new RegExp(
  `^(${LOGCAT_TIME}) +(?:[^\\s:]{1,16} +)?\\d+ +\\d+ ${LOGCAT_LEVEL} ([^:]*): `,
  'd',
);
// time: `%s %c/%-8.*s(%s%5d): `; brief (logcat's default before Android 7): `%c/%-8.*s(%s%5d): `;
// tag: `%c/%-8.*s: `.
const LOGCAT_TIME_FORMAT = new RegExp(`^(${LOGCAT_TIME}) ${LOGCAT_LEVEL}/([^(:]*)${LOGCAT_PID}: `, 'd');
const LOGCAT_BRIEF = new RegExp(`^${LOGCAT_LEVEL}/([^(:]*)${LOGCAT_PID}: `, 'd');
const LOGCAT_TAG = new RegExp(`^${LOGCAT_LEVEL}/([^:]*): `, 'd');
// A syslog-style stamp after indentation (the indentation is then peeled, see readFraming).
const INDENTED_STAMP = new RegExp(`^(?:${MONTH} [ \\d]\\d \\d|${ANY_MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d )`);

const KERNEL_TAGS = new Set(['kernel', 'vmunix', 'klogd']);
const YLOG_CLOCK = /^ ?\[\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\]/;

/** The same pattern without its leading `^`, matching only at `lastIndex`. */
function stickyOf(re: RegExp): RegExp {
  return new RegExp(re.source.replace(/^\^/, ''), re.flags.replace('g', '') + 'y');
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** In a row's `first`: any character beyond ASCII (a localized month: `июл`, `Mär` is ASCII-led). */
const NON_ASCII = '\u0080';
/** What a syslog-style stamp can start with in any locale (ANY_MONTH; ja_JP's ` 7月` is peeled as
 * indentation first). */
const MONTH_FIRST = UPPER + LOWER + DIGITS + NON_ASCII;

/** One prefix a log pipeline puts before the kernel's text. A new framing is a row here (or, for
 * a kernel timestamp, in STAMPS). */
export interface FramingRow {
  framing: Framing;
  /** The characters the prefix can start with: only these rows are tried at a column. */
  first: string;
  /** The prefix, anchored (`^`): matched in place at the column. */
  re: RegExp;
  /** Capture groups holding the time, the host and the program's tag, when printed. */
  time?: number;
  host?: number;
  tag?: number;
  /** The prefix counts only with the kernel's tag (`kernel`, `vmunix`, `klogd`). */
  kernelTagOnly?: true;
  /** The tag is the start of the kernel's own text, split off by the tool (logd's LogKlog for
   * logcat): the line stays a kernel line and the reader rejoins tag and message. The pattern
   * needs the `d` flag (the tag's columns are read from `indices`). */
  tagIsText?: true;
  /** Another prefix may follow (a `<4>` level before syslog, dmesg -x's facility before the stamp). */
  more?: true;
  /** A line so framed, with `Mem-Info:` as its text (test/core/framing.test.ts reads it). */
  sample: string;
}

/** The prefixes in front of the kernel's timestamp, tried in order at the column after quoting and
 * a leader: the first that matches is the line's framing, unless it says `more`. */
export const FRAMINGS: readonly FramingRow[] = [
  { framing: 'kmsg', first: DIGITS, re: KMSG, time: 3, sample: '4,1234,5678901,-;Mem-Info:' },
  {
    framing: 'rfc5424',
    first: '<',
    re: RFC5424,
    time: 1,
    host: 2,
    tag: 3,
    sample: '<4>1 2019-04-28T05:30:51.0Z myhost kernel - - - Mem-Info:',
  },
  { framing: 'kmsg', first: '<', re: LEVEL, more: true, sample: '<4>Mem-Info:' },
  { framing: 'dmesg-x', first: LOWER, re: DMESG_X, more: true, sample: 'kern  :warn  : Mem-Info:' },
  {
    framing: 'syslog',
    first: MONTH_FIRST,
    re: SYSLOG_ONE_FIELD,
    time: 1,
    host: 2,
    sample: 'Apr 28 05:30:51 myhost: Mem-Info:',
  },
  {
    framing: 'syslog',
    first: MONTH_FIRST,
    re: SYSLOG,
    time: 1,
    host: 2,
    tag: 3,
    sample: 'Apr 28 05:30:51 myhost kernel: Mem-Info:',
  },
  {
    framing: 'syslog',
    first: UPPER,
    re: JOURNAL_FULL,
    time: 1,
    host: 2,
    tag: 3,
    sample: 'Sat 2023-06-17 20:58:25 UTC myhost kernel: Mem-Info:',
  },
  {
    framing: 'syslog',
    first: DIGITS,
    re: ISO,
    time: 1,
    host: 2,
    tag: 3,
    sample: '2019-04-28T05:30:51.123456+00:00 myhost kernel: Mem-Info:',
  },
  {
    framing: 'syslog',
    first: DIGITS,
    re: JOURNAL_UNIX,
    time: 1,
    host: 2,
    tag: 3,
    sample: '1687035505.123456 myhost kernel: Mem-Info:',
  },
  {
    framing: 'journalctl',
    first: '[',
    re: MONOTONIC,
    time: 1,
    host: 2,
    tag: 3,
    kernelTagOnly: true,
    sample: '[  123.456789] myhost kernel: Mem-Info:',
  },
  {
    framing: 'logcat',
    first: DIGITS + ' ',
    re: LOGCAT_THREADTIME,
    time: 1,
    tag: 2,
    tagIsText: true,
    sample: '06-03 13:29:12.999     0     0 I kernel  : Mem-Info:',
  },
  {
    framing: 'logcat',
    first: DIGITS + ' ',
    re: LOGCAT_TIME_FORMAT,
    time: 1,
    tag: 2,
    tagIsText: true,
    sample: '06-03 13:29:12.999 I/kernel  (    0): Mem-Info:',
  },
  {
    framing: 'logcat',
    first: 'VDIWEFS',
    re: LOGCAT_BRIEF,
    tag: 1,
    tagIsText: true,
    sample: 'I/kernel  (    0): Mem-Info:',
  },
  {
    framing: 'logcat',
    first: 'VDIWEFS',
    re: LOGCAT_TAG,
    tag: 1,
    tagIsText: true,
    sample: 'I/kernel  : Mem-Info:',
  },
  { framing: 'syslog', first: 'kv', re: TAG_ONLY, sample: 'kernel: Mem-Info:' },
];

/** The kernel's own timestamp (raw dmesg, or inside a syslog line): the line's framing when no
 * prefix before it gave one; its time when none did. The caller id may follow it. */
export const STAMPS: readonly { framing: Framing; re: RegExp; sample: string }[] = [
  { framing: 'raw-dmesg', re: DMESG_TS, sample: '[  123.456789] Mem-Info:' },
  { framing: 'dmesg-T', re: DMESG_DELTA, sample: '[  +0.000004] Mem-Info:' },
  { framing: 'dmesg-T', re: DMESG_T, sample: '[Sat Jun 17 20:58:25 2023] Mem-Info:' },
];

/** A row as the hot path reads it: every field present (rows of one shape keep V8's property
 * loads monomorphic: rows with different optional fields cost readFraming most of 15 %), the pattern
 * sticky (matched in place, no substring per step), absent groups 0. */
interface CompiledFraming {
  framing: Framing;
  sticky: RegExp;
  time: number;
  host: number;
  tag: number;
  kernelTagOnly: boolean;
  tagIsText: boolean;
  more: boolean;
}

const COMPILED_FRAMINGS: readonly CompiledFraming[] = FRAMINGS.map((row) => ({
  framing: row.framing,
  sticky: stickyOf(row.re),
  time: row.time ?? 0,
  host: row.host ?? 0,
  tag: row.tag ?? 0,
  kernelTagOnly: row.kernelTagOnly === true,
  tagIsText: row.tagIsText === true,
  more: row.more === true,
}));
/** For each ASCII character, the FRAMINGS indices (in table order) that can start with it; entry
 * 128 (any other character, or the line's end) holds the rows whose `first` has NON_ASCII. Built
 * once: a column pays only for the rows that can match there (a syslog line for three, a dmesg
 * line for one). */
const FRAMINGS_BY_FIRST: readonly (readonly number[])[] = Array.from({ length: 129 }, (_, code) =>
  FRAMINGS.flatMap((row, index) =>
    row.first.includes(code < 128 ? String.fromCharCode(code) : NON_ASCII) ? [index] : [],
  ),
);
const STAMP_STICKY: readonly RegExp[] = STAMPS.map((s) => stickyOf(s.re));
const STAMP_FRAMINGS: readonly Framing[] = STAMPS.map((s) => s.framing);

/** Sticky copies of the patterns readFraming itself matches, made once. */
const STICKY = {
  CALLER: stickyOf(CALLER),
  JOURNAL_TAG: stickyOf(JOURNAL_TAG),
  PRINTK_PROCESS: stickyOf(PRINTK_PROCESS),
  LEADER: stickyOf(LEADER),
  QUOTE: stickyOf(QUOTE),
  YLOG_CLOCK: stickyOf(YLOG_CLOCK),
};

/** The syslog prefix of the last line read (time, host and tag included), reused while the next
 * lines start with the very same text. Only an optimisation: the result is the same either way. */
let lastSyslog: { prefix: string; time: string; host: string | null; isKernel: boolean } | null = null;

/** The prefix pattern matched in place at `pos` (sticky), or null. */
function matchAt(sticky: RegExp, line: string, pos: number): RegExpExecArray | null {
  sticky.lastIndex = pos;
  return sticky.exec(line);
}

/** FRAMINGS_BY_FIRST's index for the character at `pos`: its code if ASCII, else 128. */
function firstAt(line: string, pos: number): number {
  if (pos >= line.length) return 128;
  const c = line.charCodeAt(pos);
  return c < 128 ? c : 128;
}

/** Character code at `pos`, or -1 past the end. */
function codeAt(line: string, pos: number): number {
  return pos < line.length ? line.charCodeAt(pos) : -1;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const SPACE = 32;
const TAB = 9;
const BRACKET = 91; // [

/** Reads the prefixes of one physical line. Never throws; cost is a few anchored regexes. */
export function readFraming(line: string): FramedLine {
  // Every prefix regex is matched in place at `pos` (sticky copies, no substring per step), and
  // the character at `pos` picks which prefixes can start there: most lines pay for one or two
  // regexes, not fifteen. (Helpers are module functions, not closures: this runs for every line.)
  let pos = 0;
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  let framing: Framing | null = null;
  let time: string | null = null;
  let host: string | null = null;
  let isKernel = true;
  let caller: string | null = null;
  let tagStart = -1;
  let tagEnd = -1;

  let m: RegExpExecArray | null;
  let c: number;
  const cached = lastSyslog;
  if (cached !== null && line.startsWith(cached.prefix)) {
    // Consecutive lines of one report share their syslog prefix (same second, host and tag).
    pos = cached.prefix.length;
    framing = 'syslog';
    time = cached.time;
    host = cached.host;
    isKernel = cached.isKernel;
  } else {
    c = codeAt(line, pos);
    if (c === SPACE || c === TAB || c === 62 /* > */ || c === 124 /* | */) {
      const quote = matchAt(STICKY.QUOTE, line, pos);
      if (quote) pos += quote[0].length;
    }
    c = codeAt(line, pos);
    const leader =
      isDigit(c) || isUpper(c) || c === SPACE || c === TAB || c === 35 || c === 36 || c === 37 || c === 46
        ? matchAt(STICKY.LEADER, line, pos)
        : null;
    if (leader) pos += leader[0].length;
    else if (c === SPACE || c === TAB) {
      // Indentation (RST blocks, commit messages) is peeled only in front of a real prefix.
      const rest = line.slice(pos);
      const ws = /^[ \t]+/.exec(rest)!;
      const after = rest.slice(ws[0].length);
      if (/^(?:\[\s*\d+\.\d+\]|<\d>|\[[^\]]{0,48}\d:\d\d)/.test(after) || INDENTED_STAMP.test(after))
        pos += ws[0].length;
    }

    // The rows that can start at `pos`, after the last row read (a `more` row moved `pos` on).
    let from = 0;
    for (let k = 0, rows = FRAMINGS_BY_FIRST[firstAt(line, pos)]; k < rows.length; k++) {
      const i = rows[k];
      const row = COMPILED_FRAMINGS[i];
      if (i < from || (m = matchAt(row.sticky, line, pos)) === null) continue;
      if (row.kernelTagOnly && !KERNEL_TAGS.has(m[row.tag])) continue;
      framing = row.framing;
      if (row.time !== 0) time = m[row.time];
      // (a row's host group may be unset: SYSLOG_ONE_FIELD's kernel-tag branch)
      if (row.host !== 0) host = m[row.host] ?? null;
      if (row.tagIsText) {
        // logd's LogKlog took the kernel's text up to its first colon as the tag (an empty tag
        // when it found none); the tag `kernel` is no part of the text
        const [from, to] = m.indices![row.tag];
        let last = to;
        while (last > from && line.charCodeAt(last - 1) === SPACE) last--;
        if (last > from && !KERNEL_TAGS.has(line.slice(from, last))) {
          tagStart = from;
          tagEnd = last;
        }
      } else if (row.tag !== 0) isKernel = KERNEL_TAGS.has(m[row.tag]);
      pos += m[0].length;
      if (!row.more) break;
      from = i + 1;
      rows = FRAMINGS_BY_FIRST[firstAt(line, pos)];
      k = -1;
    }

    // Reused only when the prefix ends in the space after the tag: then any line starting with it
    // would be read to exactly the same point.
    if (framing === 'syslog' && time !== null && line.charCodeAt(pos - 1) === SPACE)
      lastSyslog = { prefix: line.slice(0, pos), time, host, isKernel };
  }

  // The kernel's own timestamp (raw dmesg, or inside a syslog line), then the caller id; printk
  // puts one space between them and the text, any further space is the kernel's own.
  let stamped = false;
  if (tagEnd < 0 && codeAt(line, pos) === BRACKET) {
    for (let i = 0; i < STAMP_STICKY.length; i++) {
      if ((m = matchAt(STAMP_STICKY[i], line, pos)) === null) continue;
      framing ??= STAMP_FRAMINGS[i];
      time ??= m[1].trim();
      pos += m[0].length;
      stamped = true;
      break;
    }
  }
  if (stamped) {
    if (codeAt(line, pos) === BRACKET && (m = matchAt(STICKY.CALLER, line, pos))) {
      caller = m[1];
      pos += m[0].length;
    }
    // A vendor kernel's `[cpu:           comm:  pid] ` after the stamp (PRINTK_PROCESS): the one
    // space after it is printk's, any further space the kernel's own.
    let process = false;
    if (
      (codeAt(line, pos) === BRACKET ||
        codeAt(line, pos + 1) === BRACKET ||
        codeAt(line, pos + 2) === BRACKET) &&
      (m = matchAt(STICKY.PRINTK_PROCESS, line, pos))
    ) {
      pos += m[0].length;
      process = true;
    }
    // Android's ylog adds the wall clock after the kernel stamp: `[   36.17] [03-19 10:05:52.172] `.
    c = codeAt(line, pos);
    if ((c === SPACE || c === BRACKET) && (m = matchAt(STICKY.YLOG_CLOCK, line, pos))) pos += m[0].length;
    if (!process && codeAt(line, pos) === SPACE) pos += 1;
    // A stamp with no host after it, then `kernel: `: journalctl short-monotonic without the
    // hostname (`[21161.092614] kernel: earlyoom: page allocation failure: …`).
    if (framing === 'raw-dmesg' && (c = codeAt(line, pos)) !== -1 && (c === 107 || c === 118)) {
      if ((m = matchAt(STICKY.JOURNAL_TAG, line, pos))) {
        framing = 'journalctl';
        pos += m[0].length;
      }
    }
  }

  // `[kern.warning]`-style suffix: only on lines whose last token ends in `]`, found from the end
  // (an end-anchored regex with a leading `[ \t]*` would be quadratic in a long run of spaces).
  let payloadEnd = end;
  let last = end - 1;
  while (last > pos && (line.charCodeAt(last) === SPACE || line.charCodeAt(last) === TAB)) last--;
  // (Reading past either end of a string deoptimises V8's code for this hot function.)
  if (last >= pos && last < end && line.charCodeAt(last) === 93) {
    const open = line.lastIndexOf('[', last);
    if (open >= pos && SUFFIX_TAG.test(line.slice(open, last + 1))) {
      payloadEnd = open;
      while (
        payloadEnd > pos &&
        (line.charCodeAt(payloadEnd - 1) === SPACE || line.charCodeAt(payloadEnd - 1) === TAB)
      )
        payloadEnd--;
    }
  }
  // a logcat kernel line: the payload begins at the tag, which is the start of the kernel's text
  return {
    payloadStart: tagEnd >= 0 ? tagStart : pos,
    payloadEnd,
    framing,
    time,
    host,
    isKernel,
    caller,
    tagEnd,
    messageStart: pos,
  };
}

/** Journal and dmesg print the lines after the first of a multi-line message indented to the
 * message column, and those lines (the Mem-Info summary) start with the kernel's own space: such a
 * line is a new kernel line. Text indented to the column exactly is a wrap that a viewer aligned. */
export function isAlignedContinuation(line: string, payloadColumn: number): boolean {
  if (payloadColumn < 8) return false;
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i > payloadColumn && i < line.length;
}
