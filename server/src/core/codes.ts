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

export const FINDING_CODES = {
  KLL001: {
    code: 'KLL001',
    name: 'page-allocation-failure',
    severity: 'warning',
    title: 'Page allocation failure',
  },
  KLL002: { code: 'KLL002', name: 'oom-kill', severity: 'error', title: 'OOM killer invoked' },
  KLL003: { code: 'KLL003', name: 'vmalloc-failure', severity: 'warning', title: 'vmalloc failure' },
  KLL004: {
    code: 'KLL004',
    name: 'slub-failure',
    severity: 'warning',
    title: 'SLUB could not allocate a slab',
  },
  KLL005: { code: 'KLL005', name: 'allocation-stall', severity: 'warning', title: 'Page allocation stall' },
  KLL006: { code: 'KLL006', name: 'memory-dump', severity: 'information', title: 'Memory dump (show_mem)' },
  KLL010: {
    code: 'KLL010',
    name: 'zone-below-min',
    severity: 'information',
    title: 'Zone at or below its min watermark',
  },
  KLL011: {
    code: 'KLL011',
    name: 'zone-below-low',
    severity: 'hint',
    title: 'Zone at or below its low watermark',
  },
  KLL020: {
    code: 'KLL020',
    name: 'lowmem-reserve-inconsistent',
    severity: 'information',
    title: 'lowmem_reserve does not match a ratio',
  },
  KLL021: {
    code: 'KLL021',
    name: 'gfp-implausible',
    severity: 'information',
    title: 'GFP mask implausible for the kernel era',
  },
  KLL022: {
    code: 'KLL022',
    name: 'highatomic-reserve',
    severity: 'information',
    title: 'Free memory held in the highatomic reserve',
  },
  KLL023: {
    code: 'KLL023',
    name: 'report-incomplete',
    severity: 'hint',
    title: 'Report incomplete: inputs missing',
  },
  KLL024: {
    code: 'KLL024',
    name: 'reports-suppressed',
    severity: 'hint',
    title: 'Reports suppressed by the kernel rate limiter',
  },
  KLL025: {
    code: 'KLL025',
    name: 'value-unreadable',
    severity: 'information',
    title: 'Value beyond what the kernel prints',
  },
  KLL026: {
    code: 'KLL026',
    name: 'quoted-printable',
    severity: 'hint',
    title: 'Quoted-printable mail body decoded',
  },
  KLL030: {
    code: 'KLL030',
    name: 'analysis-stopped',
    severity: 'warning',
    title: 'Analysis stopped at its time budget',
  },
  KLL031: {
    code: 'KLL031',
    name: 'output-limited',
    severity: 'information',
    title: 'More findings than one document shows',
  },
} as const satisfies Record<string, FindingCode>;

export type FindingCodeId = keyof typeof FINDING_CODES;

/** The report's own code, on its header line (kinds.ts REPORT_KINDS). */
export const REPORT_CODE: Record<ReportKind, FindingCodeId> = perKind((spec) => spec.code);
