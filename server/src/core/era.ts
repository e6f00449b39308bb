// The kernel era of a report: from the release string first, else from the report's shape
// (kernel-memory.md §1.5): which fields the zone lines carry, buddy letters, printed GFP names.

import type { Report } from './model';
import type { EraAnalysis, WatermarkEra } from './analysis-types';
import { parseKernelRelease } from './kernel-version';

type Version = [number, number, number];

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Watermark-check era for a version (reference §3.2 table). */
export function watermarkEraFor(v: Version): WatermarkEra {
  if (cmp(v, [3, 10, 0]) < 0) return '2.6';
  if (cmp(v, [4, 4, 0]) < 0) return '3.10';
  if (cmp(v, [4, 14, 0]) < 0) return '4.4';
  if (cmp(v, [6, 3, 0]) < 0) return '4.14';
  return '6.3';
}

interface ShapeBound {
  min: Version | null;
  max: Version | null;
  reasons: string[];
}

/** Version bounds read from what the report prints (reference §1.4, §2.5, §2.7, §2.8, §2.9). */
export function shapeBounds(report: Report): ShapeBound {
  const b: ShapeBound = { min: null, max: null, reasons: [] };
  const atLeast = (v: Version, why: string): void => {
    if (!b.min || cmp(v, b.min) > 0) b.min = v;
    b.reasons.push(why);
  };
  const atMost = (v: Version, why: string): void => {
    if (!b.max || cmp(v, b.max) < 0) b.max = v;
    b.reasons.push(why);
  };
  const fields = new Set(report.zones.flatMap((z) => Object.keys(z.fields)));
  if (report.zones.length > 0) {
    if (fields.has('managed')) atLeast([3, 10, 0], '`managed:` in the zone lines (3.10+)');
    else if (fields.has('present')) atMost([3, 9, 99], 'no `managed:` in the zone lines (before 3.10)');
    if (fields.has('boost')) atLeast([5, 17, 0], '`boost:` in the zone lines (5.17+)');
    if (fields.has('reserved_highatomic')) atLeast([5, 10, 0], '`reserved_highatomic:` (5.10+)');
    if (fields.has('free_highatomic')) atLeast([6, 18, 0], '`free_highatomic:` (6.18)');
    if (fields.has('writepending')) atLeast([4, 9, 0], '`writepending:` (4.9+)');
    if (fields.has('free_pcp') && !fields.has('writepending'))
      atMost([4, 8, 99], '`free_pcp:` without `writepending:` (4.1–4.8)');
  }
  const letters = report.buddy.flatMap((l) => l.orders.map((o) => o.types ?? '')).join('');
  if (letters.includes('H')) atLeast([4, 4, 0], 'highatomic (H) blocks in the buddy lists (4.4+)');
  else if (letters.includes('R')) atMost([4, 3, 99], 'reserve (R) blocks in the buddy lists (3.10–4.3)');
  if (report.buddy.some((l) => l.orders.some((o) => o.count > 0 && o.types === null)) && letters === '')
    atMost([3, 9, 99], 'no migrate-type letters in the buddy lists (before 3.10)');
  if (report.perCpu.length > 0) atMost([3, 18, 999], 'per-cpu hi/btch lines (before 4.1)');
  if (report.nodes.length > 0) atLeast([4, 9, 0], '`Node N active_anon:` lines (4.9+)');
  if (report.gfp?.printed !== null && report.gfp?.printed !== undefined)
    atLeast([4, 6, 0], 'GFP names printed after the mask (4.6+)');
  if (report.nodemask !== null && report.kind !== 'oom_kill')
    atLeast([4, 11, 0], '`nodemask=` in the header (4.11+)');
  if (report.hugepages.length > 0) atLeast([3, 10, 0], 'hugepages lines (3.10+)');
  return b;
}

export function decideEra(
  report: Report,
  assumedRelease: string | null,
  assumedFrom = 'setting: the report prints none',
): EraAnalysis {
  const release = report.kernel ?? assumedRelease;
  const parsed = release ? parseKernelRelease(release) : null;
  if (parsed) {
    const v: Version = [parsed.major, parsed.minor, parsed.patch];
    const from = report.kernel
      ? `release ${release} in the task line`
      : `assumed release ${release} (${assumedFrom})`;
    return {
      release,
      version: v,
      distro: parsed.distro,
      gfpEra: null,
      watermarkEra: watermarkEraFor(v),
      decidedBy: 'release',
      reason:
        from + (parsed.distro ? ` (${parsed.distro} backports: trust printed names over the tables)` : ''),
    };
  }
  const b = shapeBounds(report);
  if (b.min || b.max) {
    let era: WatermarkEra | null = null;
    const lo = b.min ? watermarkEraFor(b.min) : null;
    const hi = b.max ? watermarkEraFor(b.max) : null;
    if (lo && hi) era = lo === hi ? lo : lo;
    else if (hi) era = hi === '2.6' ? '2.6' : null;
    else if (lo) era = lo === '6.3' ? '6.3' : lo;
    const range = `${b.min ? b.min.slice(0, 2).join('.') : '?'}–${b.max ? b.max.slice(0, 2).join('.') : 'now'}`;
    return {
      release: null,
      version: null,
      distro: null,
      gfpEra: null,
      watermarkEra: era,
      decidedBy: 'shape',
      reason: `no release printed; the shape says ${range}: ${b.reasons.join('; ')}`,
    };
  }
  return {
    release: null,
    version: null,
    distro: null,
    gfpEra: null,
    watermarkEra: null,
    decidedBy: 'unknown',
    reason: 'no release printed and nothing in the report pins the era',
  };
}
