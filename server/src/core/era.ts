// The kernel era of a report: from the release string first, else from the report's shape
// (kernel-memory.md §1.5): which fields the zone lines carry, buddy letters, printed GFP names.
// The eras themselves are the rows of kernel/eras.ts; this file only decides which row applies.

import type { Report } from './model';
import type { EraAnalysis, WatermarkEra } from './analysis-types';
import { parseKernelRelease, rangeText, toTriple, type KernelVersion } from './kernel-version';
import {
  combineBounds,
  eraRowFor,
  PRINTED_SIGNALS,
  TIMELINE,
  type EraRow,
  type PrintedBound,
  type Timeline,
  type WatermarkRules,
} from './kernel/eras';

/** Watermark-check era for a version (reference §3.2 table): the timeline row's rules. */
export function watermarkEraFor(v: KernelVersion, t: Timeline = TIMELINE): WatermarkEra {
  return eraRowFor(v, t).watermark.name;
}

interface ShapeBound {
  min: KernelVersion | null;
  max: KernelVersion | null;
  reasons: string[];
  /** Every signal seen, in the order read. */
  signals: PrintedBound[];
}

/** Version bounds read from what the report prints (PRINTED_SIGNALS; reference §1.4, §2.5,
 * §2.7, §2.8, §2.9). */
export function shapeBounds(report: Report): ShapeBound {
  const b: ShapeBound = { min: null, max: null, reasons: [], signals: [] };
  const seen = (s: PrintedBound): void => {
    b.signals.push(s);
    b.reasons.push(s.reason);
  };
  const S = PRINTED_SIGNALS;
  const fields = new Set(report.zones.flatMap((z) => Object.keys(z.fields)));
  if (report.zones.length > 0) {
    if (fields.has('managed')) seen(S.managed);
    else if (fields.has('present')) seen(S.noManaged);
    if (fields.has('boost')) seen(S.boost);
    if (fields.has('reserved_highatomic')) seen(S.reservedHighatomic);
    if (fields.has('free_highatomic')) seen(S.freeHighatomic);
    if (fields.has('writepending')) seen(S.writepending);
    if (fields.has('free_pcp') && !fields.has('writepending')) seen(S.freePcpOnly);
  }
  if (fields.has('zspages')) seen(S.zspages);
  const nodeFields = new Set(report.nodes.flatMap((n) => Object.keys(n.fields)));
  if (nodeFields.has('Balloon')) seen(S.balloon);
  if (nodeFields.has('gpu_active') || nodeFields.has('gpu_reclaim')) seen(S.gpuCounters);
  const profile = report.allocationProfile;
  if (profile !== null)
    seen(
      profile.profiling !== null
        ? S.allocProfileState
        : profile.line !== null
          ? S.allocProfilePlain
          : S.allocProfile,
    );
  // only the 6.12+ SLUB header names a CPU in a SLUB report (it has no task line)
  if (report.kind === 'slub_failure' && report.cpu !== null) seen(S.slubCpu);
  const letters = report.buddy.flatMap((l) => l.orders.map((o) => o.types ?? '')).join('');
  if (letters.includes('H')) seen(S.highatomicLetter);
  else if (letters.includes('R')) seen(S.reserveLetter);
  if (report.buddy.some((l) => l.orders.some((o) => o.count > 0 && o.types === null)) && letters === '')
    seen(S.noLetters);
  if (report.perCpu.length > 0) seen(S.perCpuLines);
  if (report.nodes.length > 0) seen(S.nodeLines);
  if (report.gfp?.printed !== null && report.gfp?.printed !== undefined) seen(S.gfpNames);
  if (report.nodemaskPrinted) seen(report.kind === 'oom_kill' ? S.oomNodemask : S.nodemask);
  if (report.cpusetInHeader) seen(S.cpusetInHeader);
  if (report.suppressedBy === 'warn_alloc') seen(S.warnAllocSuppressed);
  else if (report.suppressedBy === 'warn_alloc_failed') seen(S.warnAllocFailedSuppressed);
  if (report.hugepages.length > 0) seen(S.hugepages);
  // the printed header only (a missing header's columns are inferred from the rows, not printed)
  const table = report.taskTable;
  if (table !== null && table.line !== null && table.columns.includes('rss_anon')) seen(S.taskRssColumns);
  const { atLeast, atMost } = combineBounds(b.signals);
  b.min = atLeast;
  b.max = atMost;
  return b;
}

/** The era decided for a report: what the analysis prints, the timeline row of its release (null
 * without one), and the watermark rules the replay reads (null when nothing pins them). */
export interface EraDecision {
  analysis: EraAnalysis;
  row: EraRow | null;
  rules: WatermarkRules | null;
}

export function decideEra(
  report: Report,
  assumedRelease: string | null,
  assumedFrom = 'setting: the report prints none',
  t: Timeline = TIMELINE,
): EraDecision {
  const release = report.kernel ?? assumedRelease;
  const parsed = release ? parseKernelRelease(release) : null;
  if (parsed) {
    const row = eraRowFor(parsed, t);
    const from = report.kernel
      ? `release ${release} in the task line`
      : `assumed release ${release} (${assumedFrom})`;
    return {
      analysis: {
        release,
        version: toTriple(parsed),
        distro: parsed.distro,
        gfpEra: null,
        watermarkEra: row.watermark.name,
        decidedBy: 'release',
        reason:
          from + (parsed.distro ? ` (${parsed.distro} backports: trust printed names over the tables)` : ''),
      },
      row,
      rules: row.watermark,
    };
  }
  const b = shapeBounds(report);
  const shaped = b.min !== null || b.max !== null;
  let rules: WatermarkRules | null = null;
  if (shaped) {
    // The lower bound's rules; with only an upper bound, the rules are pinned only when it falls
    // in the oldest rules' rows.
    const lo = b.min ? eraRowFor(b.min, t).watermark : null;
    const hi = b.max ? eraRowFor(b.max, t).watermark : null;
    // (3.7–3.9 differ from the oldest rules only by free CMA pages: without `free_cma:` printed
    // the oldest rules replay the report the same way.)
    const oldest = t.rows[0].watermark;
    const noFreeCma = report.zones.every((z) => z.freeCmaKb === null);
    rules = lo ?? (hi === oldest || (hi?.differsOnlyByCma && noFreeCma) ? oldest : null);
  }
  return {
    analysis: {
      release: null,
      version: null,
      distro: null,
      gfpEra: null,
      watermarkEra: rules?.name ?? null,
      decidedBy: shaped ? 'shape' : 'unknown',
      reason: shaped
        ? `no release printed; the shape says ${rangeText(b.min, b.max)}: ${b.reasons.join('; ')}`
        : 'no release printed and nothing in the report pins the era',
    },
    row: null,
    rules,
  };
}
