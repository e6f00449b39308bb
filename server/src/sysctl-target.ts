// The language server's file-system access for the sysctl file (disk-analysis.ts reads the logs
// the user chose): checking (and reading) the sysctl file a quick fix writes into or
// `kernelLogLens.showSysctlFile` opens. A name inside the workspace folders is
// not enough — a committed symbolic link (the file itself, or `sysctl.d/`) can lead anywhere, and
// a FIFO or a device in its place would block a read or never end it — so:
// - the path is resolved (realpath) and must lie inside a resolved workspace folder; a file that
//   does not exist yet is checked on its nearest existing ancestor (a dangling link on the way is
//   refused: creating the file would follow it);
// - only a regular file of at most MAX_SYSCTL_FILE_BYTES is accepted: stat() decides before the
//   file is opened (stat never blocks on a FIFO), the open is O_NONBLOCK | O_NOFOLLOW on the
//   resolved path, and the descriptor is checked again (same file, still regular) before reading.
// Every refusal is a sentence for the user. URIs of other schemes are not on this machine's disk:
// they are left to the client and never read here.

import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneLine } from './core/safe-text';

/** sysctl.d files are a few kilobytes; anything larger is not one to edit (and not read whole). */
export const MAX_SYSCTL_FILE_BYTES = 1 << 20;

export type TargetCheck =
  /** `text`: the file's content when asked for and it exists, else null. */
  { ok: true; text: string | null } | { ok: false; reason: string };

const refuse = (reason: string): TargetCheck => ({ ok: false, reason });

/**
 * Whether `uri` may be written (and shown): inside `folderUris` once symbolic links are resolved,
 * and a regular file of at most MAX_SYSCTL_FILE_BYTES or not there yet. With `read`, an existing
 * file's text is returned too.
 */
export async function checkSysctlTarget(
  uri: string,
  folderUris: readonly string[],
  read: boolean,
): Promise<TargetCheck> {
  if (!/^file:/i.test(uri)) return { ok: true, text: null };
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return refuse('it is not a local file path');
  }
  const roots = await realFolders(folderUris);
  if (roots.length === 0) return refuse('no workspace folder exists on disk');
  try {
    await lstat(path);
  } catch (err) {
    return code(err) === 'ENOENT' ? checkCreatable(path, roots) : refuse(describe(err));
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    return refuse(
      code(err) === 'ENOENT' ? 'it is a symbolic link to a file that does not exist' : describe(err),
    );
  }
  if (!isInside(real, roots, false)) return refuse(outside(real));
  let target: Stats;
  try {
    target = await stat(real);
  } catch (err) {
    return refuse(describe(err));
  }
  const wrong = notRegular(target);
  if (wrong) return refuse(wrong);
  if (!read) return { ok: true, text: null };
  return readRegular(real, target);
}

/** A file to be created: its nearest existing ancestor must be a directory inside the folders. */
async function checkCreatable(path: string, roots: readonly string[]): Promise<TargetCheck> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const real = await realpath(dir);
      if (!isInside(real, roots, true)) return refuse(outside(real));
      if (!(await stat(real)).isDirectory()) return refuse('a part of its path is not a directory');
      return { ok: true, text: null };
    } catch (err) {
      if (code(err) !== 'ENOENT') return refuse(describe(err));
      // realpath found nothing; an entry lstat still sees is a link that leads nowhere.
      const dangling = await lstat(dir).then(
        () => true,
        () => false,
      );
      if (dangling) return refuse('a part of its path is a symbolic link that leads nowhere');
      if (dirname(dir) === dir) return refuse('none of its directories exists');
    }
  }
}

async function readRegular(real: string, checked: Stats): Promise<TargetCheck> {
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    return refuse(describe(err));
  }
  try {
    const now = await handle.stat();
    if (now.dev !== checked.dev || now.ino !== checked.ino) return refuse('it changed while it was read');
    const wrong = notRegular(now);
    if (wrong) return refuse(wrong);
    const buffer = Buffer.alloc(MAX_SYSCTL_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SYSCTL_FILE_BYTES) return refuse(tooLarge());
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } catch (err) {
    return refuse(describe(err));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The resolved paths of the folders that exist on this disk. */
async function realFolders(folderUris: readonly string[]): Promise<string[]> {
  const roots: string[] = [];
  for (const folder of folderUris) {
    if (!/^file:/i.test(folder)) continue;
    try {
      roots.push(await realpath(fileURLToPath(folder)));
    } catch {
      // a folder that is gone (or not a local path) holds nothing
    }
  }
  return roots;
}

/** `real` lies below one of `roots` (or is one of them, when `orSame`). */
function isInside(real: string, roots: readonly string[], orSame: boolean): boolean {
  return roots.some(
    (root) => (orSame && real === root) || real.startsWith(root.endsWith(sep) ? root : root + sep),
  );
}

/** Its name lies inside the folders (checked before), so only a symbolic link on its path can. */
function outside(real: string): string {
  return `a symbolic link leads it outside the workspace folders (to ${oneLine(real)})`;
}

/** Why a file's stat says it is not one to read or write, or null for a regular file small enough. */
function notRegular(s: Stats): string | null {
  if (s.isFile()) return s.size > MAX_SYSCTL_FILE_BYTES ? tooLarge(s.size) : null;
  const kind = s.isDirectory()
    ? 'a directory'
    : s.isFIFO()
      ? 'a FIFO'
      : s.isCharacterDevice()
        ? 'a character device'
        : s.isBlockDevice()
          ? 'a block device'
          : s.isSocket()
            ? 'a socket'
            : 'not a plain file';
  return `it is ${kind}, not a regular file`;
}

function tooLarge(size?: number): string {
  return `it is larger than ${MAX_SYSCTL_FILE_BYTES >> 20} MiB${size !== undefined ? ` (${size} bytes)` : ''}, too large for a sysctl file`;
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function describe(err: unknown): string {
  switch (code(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'a part of its path is not a directory';
    default:
      return `cannot check it: ${oneLine(err instanceof Error ? err.message : String(err))}`;
  }
}
