// URI arithmetic for the quick fixes' target files, without node:path (features are pure).
// Guarantees the safety rule: an edit never targets a path outside the workspace folders.

interface ParsedUri {
  scheme: string;
  authority: string;
  /** Decoded, normalised path segments. */
  segments: string[];
}

function parseUri(uri: string): ParsedUri | null {
  const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)/.exec(uri);
  if (!m) return null;
  const segments: string[] = [];
  for (const raw of m[3].split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
    } else {
      if (segment.includes('/') || segment.includes('\\')) return null;
      segments.push(segment);
    }
  }
  // Windows drive letters arrive as "c%3A" or "C:"; compare them case-insensitively.
  if (segments.length > 0 && /^[a-zA-Z]:$/.test(segments[0])) segments[0] = segments[0].toLowerCase();
  return { scheme: m[1].toLowerCase(), authority: (m[2] ?? '').toLowerCase(), segments };
}

/** `uri` is a file strictly inside one of `folders` (same scheme and authority, below its path). */
export function isInsideFolders(uri: string, folders: readonly string[]): boolean {
  const target = parseUri(uri);
  if (!target) return false;
  return folders.some((folderUri) => {
    const folder = parseUri(folderUri);
    return (
      folder !== null &&
      folder.scheme === target.scheme &&
      folder.authority === target.authority &&
      target.segments.length > folder.segments.length &&
      folder.segments.every((s, i) => s === target.segments[i])
    );
  });
}

/** `folderUri` + a relative path ("sysctl.d/90-kernel-log-lens.conf"), percent-encoded per segment. */
export function joinUri(folderUri: string, relativePath: string): string {
  const base = folderUri.replace(/\/+$/, '');
  const tail = relativePath
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return `${base}/${tail}`;
}

/** Last path segment, decoded ("messages-20190428"). */
export function baseName(uri: string): string {
  const parsed = parseUri(uri);
  return parsed && parsed.segments.length > 0 ? parsed.segments[parsed.segments.length - 1] : uri;
}

/** A sysctl configuration file by its name: `…/sysctl.conf` or `…/sysctl.d/*.conf`. */
export function isSysctlFile(uri: string): boolean {
  const parsed = parseUri(uri);
  if (!parsed || parsed.segments.length === 0) return false;
  const [dir, name] = parsed.segments.slice(-2);
  const file = name ?? dir;
  return file === 'sysctl.conf' || (name !== undefined && dir === 'sysctl.d' && file.endsWith('.conf'));
}

/** `uri` relative to the folder holding it ("sysctl.d/90-kernel-log-lens.conf"), else its base name. */
export function relativeLabel(uri: string, folders: readonly string[]): string {
  const target = parseUri(uri);
  if (!target) return uri;
  for (const folderUri of folders) {
    const folder = parseUri(folderUri);
    if (folder && isInsideFolders(uri, [folderUri]))
      return target.segments.slice(folder.segments.length).join('/');
  }
  return baseName(uri);
}
