// `klens analyze DIR`: which files of a folder are kernel logs, in which order a rotated set is read
// (one timeline, oldest first), which files are skipped and why, and where a sosreport or a
// supportconfig keeps the system's own state (sysctl -a, /proc/zoneinfo, /proc/buddyinfo).
// Names only: whether a file can be read is told by its first bytes when it is opened (input.ts).
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';

export type Layout = 'folder' | 'sosreport' | 'supportconfig';

/** Files read as one timeline, oldest first. */
export interface LogSet {
  /** The set's name: the current file's path relative to the folder (`var/log/messages`). */
  name: string;
  /** Paths, oldest first. */
  files: string[];
}

export interface SkippedFile {
  /** Path relative to the folder. */
  file: string;
  reason: string;
}

/** A system file of a bundle: the whole file, or a section of a supportconfig file. */
export interface SystemFileRef {
  /** Path relative to the folder. */
  file: string;
  /** The supportconfig section's command or path line (`/sbin/sysctl -a`), null for a whole file. */
  section: string | null;
}

export type SystemFileKind = 'sysctl' | 'zoneinfo' | 'buddyinfo' | 'meminfo';

export interface FolderPlan {
  dir: string;
  layout: Layout;
  sets: LogSet[];
  skipped: SkippedFile[];
  /** Where each kind of system file may be, best first. */
  system: Partial<Record<SystemFileKind, SystemFileRef[]>>;
}

/**
 * A rotated member of a kernel log: `kern.log`, `kern.log.1`, `kern.log.2.gz`, `messages-20261101`,
 * `messages-20261101.xz` (logrotate: `rotate` numbers with .N, `dateext` appends -%Y%m%d, and
 * `compress` a compressor's extension). syslog-ng/rsyslog default names (messages on Red Hat and
 * SUSE, syslog and kern.log on Debian), dmesg (Debian's boot-time capture, dmesg.0 the boot before).
 */
const ROTATED =
  /^(messages|syslog|kern\.log|dmesg)(?:\.(\d{1,4})|-(\d{8}(?:\d{2})?))?(?:\.(gz|xz|zst|zstd|bz2|lz4|lz|lzma|Z|z))?$/;

/** `journalctl` output saved as text (sosreport's sos_commands/logs/journalctl_*, or by hand). */
const JOURNAL_EXPORT = /^(journalctl|journal)[\w.,=+@:-]*$/;
/** journalctl outputs that are no log: disk usage, boot list, header, verification, fields. */
const JOURNAL_NOT_LOG = /disk-usage|list-boots|header|verify|--field|--fields|list-/;

const VMCORE_DMESG = 'vmcore-dmesg.txt';

/** A file's place in its rotated set: numbered (older as N grows), dated, then the current one. */
function rotationKey(m: RegExpExecArray): [number, number] {
  if (m[2] !== undefined) return [0, -Number(m[2])];
  if (m[3] !== undefined) return [1, Number(m[3].slice(0, 8)) * 100 + Number(m[3].slice(8) || 0)];
  return [2, 0];
}

function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A link whose target lies outside the folder the user named. */
const OUTSIDE = 'outside';

/** A path's stat when its real path (every link on the way followed) lies inside the real path of
 * `root`; OUTSIDE when a link leads out of it; null when it cannot be read (a broken link). A
 * bundle extracted from an archive may hold a link to `/var/log/messages`: following it would read
 * this machine's log as the bundle's. */
function statWithin(root: string, path: string): Stats | typeof OUTSIDE | null {
  let rel: string;
  try {
    rel = relative(realpathSync(root), realpathSync(path));
  } catch {
    return null;
  }
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return OUTSIDE;
  return statOf(path);
}

function fileWithin(root: string, path: string): boolean {
  const st = statWithin(root, path);
  return st !== null && st !== OUTSIDE && st.isFile();
}

function dirWithin(root: string, path: string): boolean {
  const st = statWithin(root, path);
  return st !== null && st !== OUTSIDE && st.isDirectory();
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The kernel logs among one folder's files (not its subfolders), and the rest as skipped. */
function scanLogFolder(root: string, dir: string, plan: FolderPlan, journals: 'by-name' | 'sos'): void {
  const rotated = new Map<string, { path: string; key: [number, number] }[]>();
  for (const entry of list(dir)) {
    const path = join(dir, entry);
    const rel = relative(root, path);
    const st = statWithin(root, path);
    if (st === OUTSIDE) {
      plan.skipped.push({ file: rel, reason: 'a link to outside the folder (not followed)' });
      continue;
    }
    if (!st) {
      plan.skipped.push({ file: rel, reason: 'cannot be read (broken link?)' });
      continue;
    }
    if (st.isDirectory()) {
      const dump = join(path, VMCORE_DMESG);
      if (fileWithin(root, dump)) plan.sets.push({ name: relative(root, dump), files: [dump] });
      else plan.skipped.push({ file: `${rel}/`, reason: 'a folder (not searched)' });
      continue;
    }
    if (!st.isFile()) {
      plan.skipped.push({ file: rel, reason: 'not a regular file' });
      continue;
    }
    const m = ROTATED.exec(entry);
    if (m) {
      const base = join(dir, m[1]);
      if (!rotated.has(base)) rotated.set(base, []);
      rotated.get(base)!.push({ path, key: rotationKey(m) });
      continue;
    }
    if (entry === VMCORE_DMESG) {
      plan.sets.push({ name: rel, files: [path] });
      continue;
    }
    if (JOURNAL_EXPORT.test(entry)) {
      if (journals === 'sos' && JOURNAL_NOT_LOG.test(entry))
        plan.skipped.push({ file: rel, reason: 'journalctl output that is no log' });
      else plan.sets.push({ name: rel, files: [path] });
      continue;
    }
    if (entry.endsWith('.journal') || entry.endsWith('.journal~'))
      plan.skipped.push({
        file: rel,
        reason: 'a binary systemd journal: export it with journalctl --file=FILE -k -o short-precise',
      });
    else plan.skipped.push({ file: rel, reason: 'not a kernel log by its name' });
  }
  for (const [base, members] of rotated) {
    members.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || (a.path < b.path ? -1 : 1));
    plan.sets.push({ name: relative(root, base), files: members.map((m) => m.path) });
  }
}

/**
 * The plan for `klens analyze DIR`. A sosreport (sos_commands/ beside var/ and proc/): the logs
 * under var/log, sos_commands/kernel/dmesg*, sos_commands/logs/journalctl_*, var/crash/ * /
 * vmcore-dmesg.txt; its sos_commands/kernel/sysctl_-a and proc/{zoneinfo,buddyinfo,
 * meminfo}. A supportconfig (scc_* folder: basic-environment.txt, messages.txt …): messages.txt is
 * read as a log, env.txt's `sysctl -a` section and memory.txt's /proc sections are the system's
 * state. Any other folder: its own kernel logs by name, and a vmcore-dmesg.txt one folder down
 * (/var/crash).
 */
/** A bundle's layout by its landmarks: sos_commands/ (sos), basic-environment.txt or
 * supportconfig.txt beside messages.txt (supportconfig); else a plain folder. */
function layoutOf(dir: string): Layout {
  const isFile = (p: string): boolean => fileWithin(dir, join(dir, p));
  if (dirWithin(dir, join(dir, 'sos_commands'))) return 'sosreport';
  if (isFile('basic-environment.txt') || (isFile('supportconfig.txt') && isFile('messages.txt')))
    return 'supportconfig';
  return 'folder';
}

/** The bundles one level down (the folder a sosreport or supportconfig archive was extracted in). */
export function bundlesIn(dir: string): string[] {
  return list(dir).filter((e) => dirWithin(dir, join(dir, e)) && layoutOf(join(dir, e)) !== 'folder');
}

export function planFolder(dir: string): FolderPlan {
  const plan: FolderPlan = { dir, layout: layoutOf(dir), sets: [], skipped: [], system: {} };
  const isDir = (p: string): boolean => dirWithin(dir, join(dir, p));
  const isFile = (p: string): boolean => fileWithin(dir, join(dir, p));

  if (plan.layout === 'sosreport') {
    if (isDir('var/log')) scanLogFolder(dir, join(dir, 'var/log'), plan, 'sos');
    for (const entry of list(join(dir, 'sos_commands/kernel')))
      if (/^dmesg/.test(entry) && isFile(join('sos_commands/kernel', entry)))
        plan.sets.push({
          name: join('sos_commands/kernel', entry),
          files: [join(dir, 'sos_commands/kernel', entry)],
        });
    for (const entry of list(join(dir, 'sos_commands/logs'))) {
      if (!/^journalctl/.test(entry) || !isFile(join('sos_commands/logs', entry))) continue;
      const rel = join('sos_commands/logs', entry);
      if (JOURNAL_NOT_LOG.test(entry))
        plan.skipped.push({ file: rel, reason: 'journalctl output that is no log' });
      else plan.sets.push({ name: rel, files: [join(dir, rel)] });
    }
    for (const crash of list(join(dir, 'var/crash'))) {
      const rel = join('var/crash', crash, VMCORE_DMESG);
      if (isFile(rel)) plan.sets.push({ name: rel, files: [join(dir, rel)] });
    }
    // sos names a command's output after the command line, spaces as underscores
    for (const entry of ['sysctl_-a', 'sysctl_-a_--all'])
      if (isFile(join('sos_commands/kernel', entry))) {
        plan.system.sysctl = [{ file: join('sos_commands/kernel', entry), section: null }];
        break;
      }
    for (const kind of ['zoneinfo', 'buddyinfo', 'meminfo'] as const)
      if (isFile(join('proc', kind))) plan.system[kind] = [{ file: join('proc', kind), section: null }];
    return plan;
  }

  if (plan.layout === 'supportconfig') {
    if (isFile('messages.txt')) plan.sets.push({ name: 'messages.txt', files: [join(dir, 'messages.txt')] });
    // the sections are found when the files are read (supportconfigSections): env.txt has the
    // whole `sysctl -a`, memory.txt its vm lines (`sysctl -a 2>/dev/null | grep ^vm`) and the
    // /proc files (supportconfig's environment_info and memory_info)
    plan.system.sysctl = ['env.txt', 'memory.txt']
      .filter((f) => isFile(f))
      .map((file) => ({ file, section: 'sysctl -a' }));
    if (isFile('memory.txt'))
      for (const kind of ['zoneinfo', 'buddyinfo', 'meminfo'] as const)
        plan.system[kind] = [{ file: 'memory.txt', section: `/proc/${kind}` }];
    for (const entry of list(dir))
      if (entry !== 'messages.txt' && isFile(entry) && !['env.txt', 'memory.txt'].includes(entry))
        plan.skipped.push({ file: entry, reason: 'not a log (supportconfig: messages.txt holds the logs)' });
    return plan;
  }

  scanLogFolder(dir, dir, plan, 'by-name');
  return plan;
}

/** A supportconfig file's sections: each `#==[ KIND ]===…#` line, then `# COMMAND-OR-PATH`, then
 * the output up to the next such line (supportconfig's log_cmd / conf_files / log_write). */
export interface SupportconfigSection {
  kind: string;
  /** The `# …` line after the header, without `# ` (`/sbin/sysctl -a`, `/proc/zoneinfo`). */
  what: string;
  text: string;
}

const SECTION_HEADER = /^#==\[ ?(.*?) ?\]=*#?\s*$/;

export function supportconfigSections(text: string): SupportconfigSection[] {
  const out: SupportconfigSection[] = [];
  const lines = text.split(/\r?\n/);
  let current: { kind: string; what: string; body: string[] } | null = null;
  const close = (): void => {
    if (current) out.push({ kind: current.kind, what: current.what, text: current.body.join('\n') });
  };
  for (let i = 0; i < lines.length; i++) {
    const header = SECTION_HEADER.exec(lines[i]);
    if (header) {
      close();
      const next = lines[i + 1] ?? '';
      const what = next.startsWith('#') ? next.replace(/^#\s?/, '').trim() : '';
      if (what) i++;
      current = { kind: header[1], what, body: [] };
      continue;
    }
    current?.body.push(lines[i]);
  }
  close();
  return out;
}

/** The section a SystemFileRef names: `sysctl -a` matches `/sbin/sysctl -a`; a /proc path matches
 * itself (`# /proc/zoneinfo`). The first match wins. */
export function findSection(sections: readonly SupportconfigSection[], wanted: string): string | null {
  for (const s of sections) {
    const what = s.what.replace(/\s+-\s.*$/, ''); // "/proc/x - File not found"
    if (wanted.startsWith('/') ? what === wanted : /(^|\/)sysctl -a\b/.test(what)) return s.text;
  }
  return null;
}

/** The folder's name for the words: `sosreport-db1-2026-11-02`. */
export const bundleName = (dir: string): string => basename(dir.replace(/\/+$/, '')) || dir;
