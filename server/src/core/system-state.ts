// What is known about the system a log came from, beside the log: its `sysctl -a` (or the
// sysctl.conf it persists), its /proc/zoneinfo and /proc/buddyinfo, e.g. from a sosreport. Given
// to the analysis (ExplainOptions.system), a known sysctl value replaces what the report alone
// lets klens infer (vm.min_free_kbytes from the zone min watermarks, lowmem_reserve_ratio from the
// protection columns, the watermark_scale_factor from the gaps, the defaults assumed for the
// rest), and the words say where it came from.

import { largestFreeOrder, parseBuddyinfo, type BuddyinfoZone } from './buddyinfo';
import { parseSysctlText, sysctlFields, sysctlInt, sysctlValues } from './sysctl-file';
import { parseZoneinfo, zonePages, type ZoneinfoZone } from './zoneinfo';
import { parseMeminfo } from './meminfo';

export interface SystemState {
  /** sysctl keys in the dotted form `sysctl -a` prints → value as printed (trimmed). */
  sysctl: ReadonlyMap<string, string>;
  /** /proc/zoneinfo when known: the state when it was taken, not at the report's time. */
  zones?: readonly ZoneinfoZone[];
  /** /proc/buddyinfo when known. */
  buddy?: readonly BuddyinfoZone[];
  /** /proc/meminfo when known: field → kB (bare counts for the HugePages_ lines). */
  meminfo?: ReadonlyMap<string, number>;
  /** Where the values come from, for the words: e.g. "sos_commands/kernel/sysctl_-a of
   * sosreport-db1-2026-11-02" or "sysctl -a". */
  source: string;
}

/** The texts of a system's files, any of them absent. */
export interface SystemFiles {
  /** `sysctl -a` output or a sysctl.conf / sysctl.d file. */
  sysctl?: string;
  zoneinfo?: string;
  buddyinfo?: string;
  meminfo?: string;
}

/** A SystemState from the files' texts (each parsed by its core reader). */
export function systemStateFrom(files: SystemFiles, source: string): SystemState {
  const state: SystemState = {
    sysctl: files.sysctl === undefined ? new Map() : sysctlValues(parseSysctlText(files.sysctl).entries),
    source,
  };
  if (files.zoneinfo !== undefined) state.zones = parseZoneinfo(files.zoneinfo);
  if (files.buddyinfo !== undefined) state.buddy = parseBuddyinfo(files.buddyinfo);
  if (files.meminfo !== undefined) state.meminfo = parseMeminfo(files.meminfo);
  return state;
}

/** A sysctl's value as known on the system, null when unknown (no state, or key not listed). */
export function knownSysctl(state: SystemState | null | undefined, key: string): string | null {
  return state?.sysctl.get(key) ?? null;
}

/** An integer sysctl's known value; null when unknown or not an integer. */
export function knownSysctlInt(state: SystemState | null | undefined, key: string): number | null {
  const v = knownSysctl(state, key);
  return v === null ? null : sysctlInt(v);
}

/** A multi-value integer sysctl (vm.lowmem_reserve_ratio); null when unknown or unreadable. */
export function knownSysctlInts(state: SystemState | null | undefined, key: string): number[] | null {
  const v = knownSysctl(state, key);
  if (v === null) return null;
  const out: number[] = [];
  for (const f of sysctlFields(v)) {
    const n = sysctlInt(f);
    if (n === null) return null;
    out.push(n);
  }
  return out.length > 0 ? out : null;
}

/**
 * The system's zoneinfo and buddyinfo as text lines, for a front end to print beside the reports
 * as "the state when the files were taken" (a sosreport is taken after the failures, so this is
 * not the state at any report's time). One line per populated zone: free against min/low/high
 * (as __zone_watermark_ok compares them, at or below a mark fails it), the boost when printed,
 * and the largest free block from buddyinfo. `pageSizeKb`: the files count pages and print no
 * size (4 kB unless a report of the same machine says otherwise). Empty when neither file is known.
 */
export function systemStateText(state: SystemState, pageSizeKb = 4): string[] {
  const out: string[] = [];
  const zones = (state.zones ?? []).filter(
    (z) => (zonePages(z, 'managed') ?? zonePages(z, 'present') ?? 0) > 0,
  );
  const buddy = state.buddy ?? [];
  const mem = state.meminfo;
  const memText = ['MemTotal', 'MemFree', 'MemAvailable']
    .filter((k) => mem?.has(k))
    .map((k) => `${k} ${mem!.get(k)} kB`)
    .join(' · ');
  if (zones.length === 0 && buddy.length === 0 && memText === '') return out;
  out.push(`The state when ${state.source} was taken (pages of ${pageSizeKb} kB):`);
  if (memText !== '') out.push(`  ${memText}`);
  const kb = (pages: number): string => `${pages * pageSizeKb} kB`;
  const seen = new Set<string>();
  for (const z of zones) {
    const free = zonePages(z, 'free');
    const min = zonePages(z, 'min');
    const low = zonePages(z, 'low');
    const high = zonePages(z, 'high');
    const boost = zonePages(z, 'boost');
    const b = buddy.find((x) => x.node === z.node && x.zone === z.zone);
    seen.add(`${z.node}\u0000${z.zone}`);
    const marks =
      free !== null && min !== null && low !== null && high !== null
        ? `free ${kb(free)}, min ${kb(min)} / low ${kb(low)} / high ${kb(high)}: ${
            free <= min
              ? 'at or below min'
              : free <= low
                ? 'at or below low'
                : free <= high
                  ? 'below high'
                  : 'above high'
          }`
        : 'watermarks not printed';
    const order = b ? largestFreeOrder(b) : undefined;
    out.push(
      `  Node ${z.node} ${z.zone}: ${marks}` +
        (boost ? `, boost ${kb(boost)}` : '') +
        (order === undefined
          ? ''
          : order === null
            ? ' · no free block'
            : ` · largest free block order ${order}`),
    );
  }
  for (const b of buddy) {
    if (seen.has(`${b.node}\u0000${b.zone}`)) continue;
    const order = largestFreeOrder(b);
    out.push(
      `  Node ${b.node} ${b.zone}: ${order === null ? 'no free block' : `largest free block order ${order}`}`,
    );
  }
  return out;
}

/**
 * What the system's vm.lowmem_reserve_ratio says about a zone whose ratio a report's
 * `lowmem_reserve[]` line let the analysis infer (protection.ts): entry i is zone i of the
 * kernel's zone list (`layout`), which holds one entry per zone (4.17+) or one fewer (the top zone
 * protects nothing); another count maps to nothing. Null when the state has no such value.
 */
export function knownRatioNote(
  state: SystemState,
  layout: readonly string[],
  p: { zone: string; ratio: number | null; ratioLow: number | null; ratioHigh: number | null },
  canonical: (zone: string) => string | null,
): string | null {
  const known = knownSysctlInts(state, 'vm.lowmem_reserve_ratio');
  if (known === null) return null;
  const zone = canonical(p.zone);
  const i = zone === null ? -1 : layout.indexOf(zone);
  if (i < 0 || (known.length !== layout.length && known.length !== layout.length - 1) || i >= known.length)
    return null;
  const k = known[i];
  const from = `vm.lowmem_reserve_ratio[${zone}] = ${k} in the system's sysctl (${state.source}), not inferred`;
  if (p.ratioLow === null || p.ratioHigh === null) return `${p.zone}: ${from}`;
  const fits = p.ratioLow <= k && k <= p.ratioHigh + 1e-9;
  return fits
    ? `${p.zone}: ${from}; the printed entries agree`
    : `${p.zone}: ${from}; the printed entries point to ${p.ratio ?? `${p.ratioLow}–${p.ratioHigh}`}, so the ratio was different when the report was printed`;
}
