// Finding codes: stable identifiers that diagnostics carry and docs/codes/<CODE>.md documents.
// Kernel Log Lens codes never change meaning; new findings get new codes.

import type { ReportKind } from './model';
import { perKind } from './kinds';
import type { Severity } from './analysis-types';

export interface FindingCode {
  code: string;
  /** Short slug, e.g. "page-allocation-failure". */
  name: string;
  severity: Severity;
  title: string;
}

/** Each code's slug, severity and title; the code is the key. */
const CODES = {
  KLL001: { name: 'page-allocation-failure', severity: 'warning', title: 'Page allocation failure' },
  KLL002: { name: 'oom-kill', severity: 'error', title: 'OOM killer invoked' },
  KLL003: { name: 'vmalloc-failure', severity: 'warning', title: 'vmalloc failure' },
  KLL004: { name: 'slub-failure', severity: 'warning', title: 'SLUB could not allocate a slab' },
  KLL005: { name: 'allocation-stall', severity: 'warning', title: 'Page allocation stall' },
  KLL006: { name: 'memory-dump', severity: 'information', title: 'Memory dump (show_mem)' },
  KLL010: { name: 'zone-below-min', severity: 'information', title: 'Zone at or below its min watermark' },
  KLL011: { name: 'zone-below-low', severity: 'hint', title: 'Zone at or below its low watermark' },
  KLL020: {
    name: 'lowmem-reserve-inconsistent',
    severity: 'information',
    title: 'lowmem_reserve does not match a ratio',
  },
  KLL021: {
    name: 'gfp-implausible',
    severity: 'information',
    title: 'GFP mask implausible for the kernel era',
  },
  KLL022: {
    name: 'highatomic-reserve',
    severity: 'information',
    title: 'Free memory held in the highatomic reserve',
  },
  KLL023: { name: 'report-incomplete', severity: 'hint', title: 'Report incomplete: inputs missing' },
  KLL024: {
    name: 'reports-suppressed',
    severity: 'hint',
    title: 'Reports suppressed by the kernel rate limiter',
  },
  KLL025: { name: 'value-unreadable', severity: 'information', title: 'Value beyond what the kernel prints' },
  KLL026: { name: 'quoted-printable', severity: 'hint', title: 'Quoted-printable mail body decoded' },
  KLL030: { name: 'analysis-stopped', severity: 'warning', title: 'Analysis stopped at its time budget' },
  KLL031: { name: 'output-limited', severity: 'information', title: 'More findings than one document shows' },
} as const satisfies Record<string, Omit<FindingCode, 'code'>>;

export type FindingCodeId = keyof typeof CODES;

/** The codes, each carrying its own id as `code`, in CODES's order. */
export const FINDING_CODES = Object.fromEntries(
  Object.entries(CODES).map(([code, c]) => [code, { code, ...c }]),
) as { readonly [K in FindingCodeId]: (typeof CODES)[K] & { readonly code: K } };

/** The report's own code, on its header line (kinds.ts REPORT_KINDS). */
export const REPORT_CODE: Record<ReportKind, FindingCodeId> = perKind((spec) => spec.code);
