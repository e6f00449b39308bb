// Synthetic logs in the formats of the tools that write kernel logs, built from one real report
// (corpus 001: a 6.8 OOM kill, journalctl's short format, its Mem-Info summary one multi-line
// record) by the tools' documented rules, for the framings no real fixture holds yet:
// - Android logcat, as AOSP system/logging liblog/logprint.cpp android_log_formatLogLine prints
//   (threadtime, time, brief, with `-v uid`), kernel lines as logd's LogKlog::log splits them
//   into tag and message (logd/LogKlog.cpp), and an Android bugreport's dmesg section;
// - journalctl -o json, -o export, -o short-iso-precise, -o cat (systemd.io/JOURNAL_EXPORT_FORMATS,
//   journalctl(1));
// - vmcore-dmesg.txt (kexec-tools util_lib/elf_info.c dump_record: `[%5llu.%06llu] `, bytes that
//   are neither isprint nor isspace as `\xNN`, a record's newlines printed as they are).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KernelRecord {
  /** The record's text; a multi-line record holds `\n`. */
  text: string;
  /** False for the other programs' entries (systemd) around the report. */
  kernel: boolean;
  /** Index of the source line in corpus 001 (for line-number expectations). */
  source: number;
}

export const SOURCE = join('test', 'fixtures', 'corpus', '001-journal-oom-6.8-python.log');

/** The records of corpus 001: its journal prefix (`Jun 17 20:58:44 source-server kernel: `, 38
 * columns) removed, its aligned continuation lines (39 columns: the prefix and the kernel's own
 * space) joined to their record with `\n`. */
export function sourceRecords(): KernelRecord[] {
  const records: KernelRecord[] = [];
  readFileSync(SOURCE, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      const m = /^Jun 17 \d\d:\d\d:\d\d source-server (kernel|systemd\[1\]): (.*)$/.exec(line);
      if (m) records.push({ text: m[2], kernel: m[1] === 'kernel', source: i });
      else records[records.length - 1].text += '\n' + line.slice(38);
    });
  return records;
}

/** The lines of a record as the kernel's syslog interface hands them out (each with its prefix). */
export function recordLines(record: KernelRecord): string[] {
  return record.text.split('\n');
}

/**
 * LogKlog::log's tag rule (logd/LogKlog.cpp): leading space skipped; one word (up to `:` or a
 * space, `[…]` skipped whole) followed by optional spaces and `:` is the tag; else two words
 * followed by `:`; tags of one character, register names (`x9`, `x18`), `CPU`, `WARNING`, `ERROR`,
 * `INFO` are no tags. The message is the rest with leading space skipped; a tag with no message
 * is logged with the message ` `. (The stutter and `_host` rules need no case here.)
 */
export function logKlogSplit(line: string): { tag: string; message: string } {
  const p = line.replace(/^\s+/, '');
  const word = (from: number): number => {
    let i = from;
    while (i < p.length && p[i] !== ':' && !/\s/.test(p[i])) {
      if (p[i] === '[') while (i < p.length && p[i] !== ']') i++;
      i++;
    }
    return i;
  };
  const spaces = (from: number): number => {
    let i = from;
    while (i < p.length && /\s/.test(p[i])) i++;
    return i;
  };
  let tag = '';
  let rest = p;
  const e1 = word(0);
  const c1 = spaces(e1);
  if (e1 > 0 && p[c1] === ':') {
    tag = p.slice(0, e1);
    rest = p.slice(c1 + 1);
  } else if (e1 > 0 && c1 > e1) {
    const e2 = word(c1);
    const c2 = spaces(e2);
    if (p[c2] === ':') {
      tag = p.slice(0, e2);
      rest = p.slice(c2 + 1);
    }
  }
  if (
    tag.length <= 1 ||
    (tag.length === 2 && /\d/.test(tag)) ||
    (tag.length === 3 && /^.\d\d$/.test(tag)) ||
    /^(?:CPU|WARNING|ERROR|INFO)$/i.test(tag)
  ) {
    tag = '';
    rest = p;
  }
  const message = rest.replace(/^\s+/, '').replace(/\s+$/, '');
  return { tag, message: message === '' && tag !== '' ? ' ' : message };
}

/** Logcat's `%-8.*s`. */
const pad8 = (tag: string): string => (tag.length >= 8 ? tag : tag + ' '.repeat(8 - tag.length));

/** `logcat -b kernel -v threadtime [-v uid]`: `%s %s%5d %5d %c %-8.*s: ` (kernel entries: pid 0). */
export function logcatThreadtime(records: KernelRecord[], uid: boolean): string[] {
  const out: string[] = [];
  records.forEach((r, i) => {
    const time = `06-17 20:58:${String(10 + (i % 50)).padStart(2, '0')}.${String(100 + i).padStart(3, '0')}`;
    for (const line of recordLines(r)) {
      if (r.kernel) {
        const { tag, message } = logKlogSplit(line);
        out.push(
          `${time} ${uid ? '    0 ' : ''}${'0'.padStart(5)} ${'0'.padStart(5)} W ${pad8(tag)}: ${message}`,
        );
      } else
        out.push(
          `${time} ${uid ? ' 1000 ' : ''}${'1'.padStart(5)} ${'1'.padStart(5)} I ${pad8('init')}: ${line}`,
        );
    }
  });
  return out;
}

/** `logcat -v time`: `%s %c/%-8.*s(%s%5d): `; `logcat -v brief`: `%c/%-8.*s(%s%5d): `. */
export function logcatBrief(records: KernelRecord[], withTime: boolean): string[] {
  const out: string[] = [];
  records.forEach((r, i) => {
    const time = withTime ? `06-17 20:58:${String(10 + (i % 50)).padStart(2, '0')}.${String(100 + i)} ` : '';
    for (const line of recordLines(r)) {
      if (r.kernel) {
        const { tag, message } = logKlogSplit(line);
        out.push(`${time}W/${pad8(tag)}(${'0'.padStart(5)}): ${message}`);
      } else out.push(`${time}I/${pad8('init')}(${'1'.padStart(5)}): ${line}`);
    }
  });
  return out;
}

/** `logcat -v threadtime` where the kernel's lines carry the tag `kernel` and their whole text. */
export function logcatKernelTag(records: KernelRecord[]): string[] {
  return records.flatMap((r) =>
    recordLines(r).map(
      (line) => `06-17 20:58:44.000     0     0 ${r.kernel ? 'W kernel  ' : 'I init    '}: ${line}`,
    ),
  );
}

/** An Android bugreport (dumpstate): app logcat, then the dmesg section (toybox dmesg reads the
 * syslog interface: every line of a record gets the stamp). */
export function bugreport(records: KernelRecord[]): string[] {
  const out = [
    '== dumpstate: 2024-06-17 20:59:30',
    '------ SYSTEM LOG (logcat -v threadtime -v printable -v uid -d *:v) ------',
    '06-17 20:58:40.123  1000  1234  1290 I ActivityManager: Start proc 4242:com.example/u0a123 for service',
    '06-17 20:58:41.456 10123  4242  4242 W Binder  : Caught a RuntimeException from the binder stub',
    "------ 0.512s was the duration of 'SYSTEM LOG' ------",
    '------ KERNEL LOG (dmesg) ------',
  ];
  records.forEach((r, i) => {
    if (!r.kernel) return;
    for (const line of recordLines(r)) out.push(`[ 5123.${String(100000 + i)}] ${line}`);
  });
  out.push("------ 0.040s was the duration of 'KERNEL LOG (dmesg)' ------");
  return out;
}

/** `journalctl -o json`: one object per entry, MESSAGE a JSON string (`\n` escaped). `spaced`:
 * older journalctl's `{ "KEY" : "value", … }`. `bytes`: the sources whose MESSAGE is written as an
 * array of bytes (what journalctl does for a value that is not printable UTF-8). */
export function journalJson(
  records: KernelRecord[],
  spaced: boolean,
  bytes: Set<number>,
  extra?: (i: number) => string,
): string[] {
  return records.map((r, i) => {
    const fields: [string, string][] = [
      ['__CURSOR', `s=739ad463348b4ceca5a9e69c95a3c93d;i=${4000 + i};b=5d8a2f8c1b7e4f0aa1d2c3b4e5f60718`],
      ['__REALTIME_TIMESTAMP', String(1718657924000000 + i * 1000)],
      ['__MONOTONIC_TIMESTAMP', String(5123000000 + i)],
      ['_TRANSPORT', r.kernel ? 'kernel' : 'journal'],
      ['PRIORITY', r.kernel ? '4' : '6'],
      ['SYSLOG_IDENTIFIER', r.kernel ? 'kernel' : 'systemd'],
    ];
    const message = bytes.has(r.source)
      ? `[${[...Buffer.from(r.text, 'latin1')].join(spaced ? ', ' : ',')}]`
      : JSON.stringify(r.text);
    const sep = spaced ? ' : ' : ':';
    const parts = fields.map(([k, v]) => `"${k}"${sep}${JSON.stringify(v)}`);
    parts.push(`"MESSAGE"${sep}${message}`);
    parts.push(`"_HOSTNAME"${sep}"source-server"`);
    if (extra) parts.push(extra(i));
    return spaced ? `{ ${parts.join(', ')} }` : `{${parts.join(',')}}`;
  });
}

/** `journalctl -o export`: `KEY=value` lines, entries separated by an empty line; a MESSAGE that
 * holds a newline as `MESSAGE\n` + 64-bit little-endian size + bytes + `\n`. */
export function journalExport(records: KernelRecord[]): Buffer {
  const chunks: Buffer[] = [];
  records.forEach((r, i) => {
    const head = [
      `__CURSOR=s=739ad463348b4ceca5a9e69c95a3c93d;i=${4000 + i}`,
      `__REALTIME_TIMESTAMP=${1718657924000000 + i * 1000}`,
      `__MONOTONIC_TIMESTAMP=${5123000000 + i}`,
      '_BOOT_ID=5d8a2f8c1b7e4f0aa1d2c3b4e5f60718',
      `_TRANSPORT=${r.kernel ? 'kernel' : 'journal'}`,
      `PRIORITY=${r.kernel ? 4 : 6}`,
      `SYSLOG_IDENTIFIER=${r.kernel ? 'kernel' : 'systemd'}`,
    ];
    chunks.push(Buffer.from(head.join('\n') + '\n'));
    chunks.push(exportMessage(r.text));
    chunks.push(Buffer.from('_HOSTNAME=source-server\n\n'));
  });
  return Buffer.concat(chunks);
}

export function exportMessage(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (!text.includes('\n')) return Buffer.concat([Buffer.from('MESSAGE='), bytes, Buffer.from('\n')]);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([Buffer.from('MESSAGE\n'), size, bytes, Buffer.from('\n')]);
}

/** `journalctl -o short-iso-precise`: the later lines of a multi-line entry indented to the
 * message column. */
export function journalShortIsoPrecise(records: KernelRecord[]): string[] {
  return records.flatMap((r, i) => {
    const prefix = `2024-06-17T20:58:${String(10 + (i % 50)).padStart(2, '0')}.${String(123456 + i)}+0000 source-server ${r.kernel ? 'kernel' : 'systemd[1]'}: `;
    return recordLines(r).map((line, k) => (k === 0 ? prefix : ' '.repeat(prefix.length)) + line);
  });
}

/** `journalctl -o cat`: the messages alone, a multi-line one as it is. */
export function journalCat(records: KernelRecord[]): string[] {
  return records.flatMap(recordLines);
}

/** vmcore-dmesg.txt: `[%5llu.%06llu] ` + the record, non-printable bytes as `\xNN`, the record's
 * later lines after its newlines as they are (no stamp, no indent). */
export function vmcoreDmesg(records: KernelRecord[], escape: (text: string) => string): string[] {
  return records
    .filter((r) => r.kernel)
    .flatMap((r, i) => `[ 5123.${String(100000 + i)}] ${escape(r.text)}`.split('\n'));
}

/** `journalctl -o json-pretty`: each entry over lines, `{`, one `\t"KEY" : value` member a line
 * (comma-terminated but the last), `}`. The MESSAGE member is the entry's eighth line. */
export function journalJsonPretty(records: KernelRecord[]): string[] {
  return records.flatMap((r, i) => {
    const members: [string, string][] = [
      ['__CURSOR', `s=739ad463348b4ceca5a9e69c95a3c93d;i=${4000 + i}`],
      ['__REALTIME_TIMESTAMP', String(1718657924000000 + i * 1000)],
      ['__MONOTONIC_TIMESTAMP', String(5123000000 + i)],
      ['_TRANSPORT', r.kernel ? 'kernel' : 'journal'],
      ['PRIORITY', r.kernel ? '4' : '6'],
      ['SYSLOG_IDENTIFIER', r.kernel ? 'kernel' : 'systemd'],
      ['MESSAGE', r.text],
      ['_HOSTNAME', 'source-server'],
    ];
    const lines = members.map(
      ([k, v], j) => `\t"${k}" : ${JSON.stringify(v)}${j < members.length - 1 ? ',' : ''}`,
    );
    return ['{', ...lines, '}'];
  });
}
