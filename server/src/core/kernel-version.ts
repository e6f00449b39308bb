// Kernel release strings as printed by dump_stack (`... Not tainted 3.10.0-693.el7.x86_64 #1`),
// `Linux version …` banners and uname -r, reduced to the numbers the era tables key on.
// Pure: no I/O. Reference: kernel-memory.md §1.5 (release → era mapping).

import { RELEASE_NUMBER, readInt } from './numbers';

/** Enterprise distributions whose kernels carry backports that change the GFP layout (ref §1.1, §1.5). */
export type Distro = 'el5' | 'el6' | 'el7' | 'el8' | 'el9';

export interface KernelVersion {
  major: number;
  minor: number;
  /** Third number (2.6.**32**, 3.10.**0**, 4.9.**229**); 0 when the release has only two ("4.6-master+"). */
  patch: number;
  /** Fourth number of 2.6.x stable releases ("2.6.32.**67**"), else null. */
  subpatch: number | null;
  /** Release candidate number ("4.7.0-rc7-next-…" → 7), else null. */
  rc: number | null;
  /** `.elN` marker of a Red Hat family kernel ("3.10.0-693.el7.x86_64" → 'el7'), else null. */
  distro: Distro | null;
  /** The release string as given (trimmed). */
  text: string;
  /** A linux-next build (`5.13.0-rc5-next-20210611`): it carries what the next merge window
   * brings, on top of the mainline release it is numbered after (Documentation/process/2.Process.rst). */
  next?: true;
}

const RELEASE_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/;
// `.el7`, `.el6_5`, `.el7uek` (Oracle UEK on an EL7 userland): the digit must not be followed by
// another digit (`.el10` is not el1).
const DISTRO_RE = /[.-]el([5-9])(?![0-9])/;
const RC_RE = /-rc(\d+)/;
const NEXT_RE = /-next-\d{8}/;

/** Parses a kernel release string; null when it does not start with `major.minor`. */
export function parseKernelRelease(release: string): KernelVersion | null {
  const text = release.trim();
  const m = RELEASE_RE.exec(text);
  if (!m) return null;
  // Numbers beyond what a release prints (numbers.ts): not a release string.
  const major = readInt(m[1], RELEASE_NUMBER);
  const minor = readInt(m[2], RELEASE_NUMBER);
  const patch = m[3] === undefined ? 0 : readInt(m[3], RELEASE_NUMBER);
  // Only 2.6.x used a fourth number for stable releases; on 3.x+ a fourth dotted number is part of
  // a vendor suffix and never appears directly after the patch level.
  const subpatch = m[4] !== undefined && major === 2 ? readInt(m[4], RELEASE_NUMBER) : null;
  if (
    major === null ||
    minor === null ||
    patch === null ||
    (m[4] !== undefined && major === 2 && subpatch === null)
  )
    return null;
  const rest = m[5] ?? '';
  const rc = RC_RE.exec(rest);
  const distro = DISTRO_RE.exec(rest);
  return {
    major,
    minor,
    patch,
    subpatch,
    rc: rc ? readInt(rc[1], RELEASE_NUMBER) : null,
    distro: distro ? (`el${distro[1]}` as Distro) : null,
    text,
    ...(NEXT_RE.test(rest) ? { next: true as const } : {}),
  };
}

/**
 * Orders two versions by major, minor, patch and 2.6.x subpatch (missing = 0). Release candidates
 * compare equal to their release: the era tables describe what the merge window brought, which
 * is already in -rc1.
 */
export function compareVersion(a: KernelVersion, b: KernelVersion): number {
  return (
    sign(a.major - b.major) ||
    sign(a.minor - b.minor) ||
    sign(a.patch - b.patch) ||
    sign((a.subpatch ?? 0) - (b.subpatch ?? 0))
  );
}

/** True when `v` is at least major.minor.patch[.subpatch] (see compareVersion for -rc). */
export function atLeast(v: KernelVersion, major: number, minor: number, patch = 0, subpatch = 0): boolean {
  // compareVersion against version(major, minor, patch, subpatch), without building that value
  // (analyses ask per report): only a 2.x bound keeps its subpatch.
  const sub = major === 2 ? subpatch : 0;
  return (
    (sign(v.major - major) ||
      sign(v.minor - minor) ||
      sign(v.patch - patch) ||
      sign((v.subpatch ?? 0) - sub)) >= 0
  );
}

/** True when `v` is strictly below major.minor.patch[.subpatch]. */
export function below(v: KernelVersion, major: number, minor: number, patch = 0, subpatch = 0): boolean {
  return !atLeast(v, major, minor, patch, subpatch);
}

/** A plain vanilla version value, for tables and comparisons. */
export function version(major: number, minor: number, patch = 0, subpatch = 0): KernelVersion {
  const sub = major === 2 && subpatch ? subpatch : null;
  const text = `${major}.${minor}.${patch}${sub === null ? '' : `.${sub}`}`;
  return { major, minor, patch, subpatch: sub, rc: null, distro: null, text };
}

/** A release range as the analysis prints it: `4.11–now`, `?–3.9`, `3.10–4.3`. */
export function rangeText(min: KernelVersion | null, max: KernelVersion | null): string {
  return `${min ? `${min.major}.${min.minor}` : '?'}–${max ? `${max.major}.${max.minor}` : 'now'}`;
}

/** A release as people write it: `4.6`, `2.6.38`, `5.15.58` (a trailing `.0` dropped). */
export function releaseText(v: KernelVersion): string {
  return v.text.replace(/\.0$/, '');
}

/** The last minor release of each major series, for "the release before 3.0": the kernel moved
 * to a new major after 2.6.39, 3.19, 4.20, 5.19 and 6.19 (Makefile VERSION/PATCHLEVEL). */
const LAST_MINOR_OF_MAJOR: Readonly<Record<number, string>> = {
  3: '2.6.39',
  4: '3.19',
  5: '4.20',
  6: '5.19',
  7: '6.19',
};

/** The last release before one that starts a span (spans end before their `until`). */
export function releaseBefore(v: KernelVersion): string {
  if (v.patch > 0) return `${v.major}.${v.minor}.${v.patch - 1}`;
  if (v.minor > 0) return `${v.major}.${v.minor - 1}`;
  return LAST_MINOR_OF_MAJOR[v.major] ?? `${v.major - 1}.x`;
}

/** [major, minor, patch], as the analysis prints a version (EraAnalysis.version). */
export type VersionTriple = readonly [number, number, number];

/** A triple as a vanilla version value. */
export function fromTriple(t: VersionTriple): KernelVersion {
  return version(t[0], t[1], t[2]);
}

/** A version as [major, minor, patch] (the 2.6.x subpatch and -rc dropped). */
export function toTriple(v: KernelVersion): [number, number, number] {
  return [v.major, v.minor, v.patch];
}

/** atLeast for a version that may be unknown: null stays null. */
export function knownAtLeast(
  v: KernelVersion | VersionTriple | null,
  major: number,
  minor: number,
  patch = 0,
): boolean | null {
  if (v === null) return null;
  if (!Array.isArray(v)) return atLeast(v as KernelVersion, major, minor, patch);
  // a triple has no subpatch: it compares as fromTriple's version would, without building one
  const t = v as VersionTriple;
  return t[0] !== major ? t[0] > major : t[1] !== minor ? t[1] > minor : t[2] >= patch;
}

function sign(n: number): number {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}
