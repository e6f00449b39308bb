// What is known about the system a log came from, beside the log: its `sysctl -a` (or the
// sysctl.conf it persists), its /proc/zoneinfo and /proc/buddyinfo, e.g. from a sosreport. Given
// to the analysis (ExplainOptions.system), a known sysctl value replaces what the report alone
// lets klens infer (vm.min_free_kbytes from the zone min watermarks, lowmem_reserve_ratio from the
// protection columns, the watermark_scale_factor from the gaps, the defaults assumed for the
// rest), and the words say where it came from.

import { parseBuddyinfo, type BuddyinfoZone } from './buddyinfo';
import { parseSysctlText, sysctlFields, sysctlInt, sysctlValues } from './sysctl-file';
import { parseZoneinfo, type ZoneinfoZone } from './zoneinfo';

export interface SystemState {
  /** sysctl keys in the dotted form `sysctl -a` prints → value as printed (trimmed). */
  sysctl: ReadonlyMap<string, string>;
  /** /proc/zoneinfo when known: the state when it was taken, not at the report's time. */
  zones?: readonly ZoneinfoZone[];
  /** /proc/buddyinfo when known. */
  buddy?: readonly BuddyinfoZone[];
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
}

/** A SystemState from the files' texts (each parsed by its core reader). */
export function systemStateFrom(files: SystemFiles, source: string): SystemState {
  const state: SystemState = {
    sysctl: files.sysctl === undefined ? new Map() : sysctlValues(parseSysctlText(files.sysctl).entries),
    source,
  };
  if (files.zoneinfo !== undefined) state.zones = parseZoneinfo(files.zoneinfo);
  if (files.buddyinfo !== undefined) state.buddy = parseBuddyinfo(files.buddyinfo);
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

/** "vm.min_free_kbytes = 67584 in the system's sysctl (sysctl -a)": how the words name a known value. */
export function knownSysctlText(state: SystemState, key: string): string {
  return `${key} = ${knownSysctl(state, key) ?? '?'} in the system's sysctl (${state.source}), not inferred`;
}
