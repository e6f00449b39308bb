// The output of `klens analyze DIR` beside the reports: which files were read (a rotated set oldest
// first) and which were skipped and why, and a bundle's system state when it was taken (its
// /proc/zoneinfo and /proc/buddyinfo, the vm sysctls of its `sysctl -a`). Names from the folder and
// values from its files reach the terminal through visibleControls, as everything from a log does.
import type { RepeatGroup } from '../core/analyze';
import { visibleControls as shown } from '../core/safe-text';
import { largestFreeOrder } from '../core/buddyinfo';
import { zonePages } from '../core/zoneinfo';
import { systemStateText } from '../core/system-state';
import { bundleName } from './folders';
import type { ScanTotals } from './scan';
import type { FileRead } from './analyze-command';
import type { BundleSystem, FolderInfo, Source } from './sources';
import type { Style } from './text';

/** The vm sysctls a bundle's value is shown for (Documentation/admin-guide/sysctl/vm.rst): those
 * the analysis of an allocation failure or OOM kill reads. */
const SHOWN_SYSCTLS = [
  'vm.min_free_kbytes',
  'vm.watermark_scale_factor',
  'vm.watermark_boost_factor',
  'vm.lowmem_reserve_ratio',
  'vm.zone_reclaim_mode',
  'vm.extfrag_threshold',
  'vm.compaction_proactiveness',
  'vm.overcommit_memory',
  'vm.overcommit_ratio',
  'vm.panic_on_oom',
  'vm.oom_kill_allocating_task',
  'vm.swappiness',
  'vm.nr_hugepages',
];

const MAX_SKIPPED_LINES = 12;

const LAYOUT_WORDS: Record<FolderInfo['layout'], string> = {
  folder: 'folder',
  sosreport: 'sosreport',
  supportconfig: 'supportconfig',
};

/** Within the folder: the path without the folder's own name in front. */
const inFolder = (folder: FolderInfo, path: string): string =>
  path.startsWith(folder.dir) ? path.slice(folder.dir.length).replace(/^\/+/, '') : path;

export interface SystemJson {
  /** Where each kind of value came from (path in the folder, a supportconfig section in brackets). */
  files: Record<string, string>;
  /** The vm sysctls the bundle's `sysctl -a` prints (all `vm.*` keys). */
  sysctl: Record<string, string>;
  /** /proc/zoneinfo when the bundle was taken, in pages. */
  zones: {
    node: number;
    zone: string;
    free: number | null;
    min: number | null;
    low: number | null;
    high: number | null;
    managed: number | null;
    protection: number[] | null;
  }[];
  /** /proc/buddyinfo when the bundle was taken: free blocks per order. */
  buddy: { node: number; zone: string; counts: number[]; largestFreeOrder: number | null }[];
  /** /proc/meminfo when the bundle was taken: field → kB (bare counts for HugePages_*), or null. */
  meminfo: Record<string, number> | null;
}

export function systemJson(system: BundleSystem): SystemJson {
  const sysctl: Record<string, string> = {};
  for (const [key, value] of system.state.sysctl) if (key.startsWith('vm.')) sysctl[key] = value;
  return {
    files: { ...system.files },
    sysctl,
    zones: system.zones.map((z) => ({
      node: z.node,
      zone: z.zone,
      free: zonePages(z, 'free'),
      min: zonePages(z, 'min'),
      low: zonePages(z, 'low'),
      high: zonePages(z, 'high'),
      managed: zonePages(z, 'managed'),
      protection: z.protection ? z.protection.values : null,
    })),
    buddy: system.buddy.map((b) => ({
      node: b.node,
      zone: b.zone,
      counts: b.counts,
      largestFreeOrder: largestFreeOrder(b),
    })),
    meminfo: system.state.meminfo ? Object.fromEntries(system.state.meminfo) : null,
  };
}

/** The JSON keys a folder's document adds: the files read (oldest first) and the folder's facts. */
export function folderJson(
  folder: FolderInfo,
  reads: readonly FileRead[],
): {
  files: {
    file: string;
    compression: string | null;
    framing: string;
    lineCount: number;
    reports: number;
    suppressed: number;
    error: string | null;
  }[];
  folder: {
    dir: string;
    layout: string;
    skipped: { file: string; reason: string }[];
    system: SystemJson | null;
  };
} {
  return {
    files: reads.map((r) => ({
      file: r.file,
      compression: r.compression,
      framing: r.framing,
      lineCount: r.lineCount,
      reports: r.reports,
      suppressed: r.suppressed,
      error: r.error,
    })),
    folder: {
      dir: folder.dir,
      layout: folder.layout,
      skipped: folder.skipped,
      system: folder.system ? systemJson(folder.system) : null,
    },
  };
}

/** The system state block: the core's lines for the zones (free against the watermarks, the
 * largest free block) and meminfo, then the vm sysctls the analysis takes from the bundle. */
function systemText(system: BundleSystem, bundle: string, style: Style): string[] {
  const out: string[] = [];
  const state = systemStateText({ ...system.state, source: bundle });
  if (state.length > 0) {
    const from = [system.files.zoneinfo, system.files.buddyinfo, system.files.meminfo].filter((f) => f);
    out.push(style.bold(`  ${shown(state[0])}`), style.dim(`    from ${shown(from.join(', '))}`));
    for (const line of state.slice(1)) out.push(`  ${shown(line)}`);
  }
  const values = SHOWN_SYSCTLS.filter((k) => system.state.sysctl.has(k)).map(
    (k) => `${k} = ${system.state.sysctl.get(k)!.split(/\s+/).join(' ')}`,
  );
  if (values.length > 0) {
    out.push(
      `  sysctl from ${shown(system.files.sysctl ?? '')}: the analysis uses these values, not inferred ones`,
    );
    for (let i = 0; i < values.length; i += 3) out.push(`    ${shown(values.slice(i, i + 3).join(' · '))}`);
  }
  return out;
}

/** The block before a folder's first report: what it is, the logs read (rotated sets oldest
 * first), the files skipped and why, the bundle's system state. */
export function folderText(folder: FolderInfo, sources: readonly Source[], style: Style): string {
  const mine = sources.filter((s) => s.folder === folder);
  const out = [
    style.bold(
      `${shown(folder.dir)}: ${LAYOUT_WORDS[folder.layout]}, ${mine.length === 1 ? '1 kernel log' : `${mine.length} kernel logs`} read`,
    ),
  ];
  for (const s of mine) {
    const files = s.inputs.map((i) => inFolder(folder, i.name));
    out.push(
      files.length === 1
        ? `  read: ${shown(files[0])}`
        : `  read as one timeline, oldest first: ${shown(files.join(', '))}`,
    );
  }
  const skipped = folder.skipped;
  for (const s of skipped.slice(0, MAX_SKIPPED_LINES))
    out.push(style.dim(`  skipped: ${shown(s.file)} (${shown(s.reason)})`));
  if (skipped.length > MAX_SKIPPED_LINES)
    out.push(style.dim(`  … and ${skipped.length - MAX_SKIPPED_LINES} more skipped (--json lists them all)`));
  if (folder.system) out.push(...systemText(folder.system, bundleName(folder.dir), style));
  return `${out.join('\n')}\n\n`;
}

/** A set's closing lines: the totals over its files, each file's, the repeats with their files. */
export function setSummary(
  label: string,
  reads: readonly FileRead[],
  totals: ScanTotals,
  repeats: readonly RepeatGroup[],
  firstFile: ReadonlyMap<number, string>,
  lastFile: ReadonlyMap<number, string>,
  style: Style,
): string {
  const n = totals.reports;
  const what = n === 0 ? 'no memory reports' : n === 1 ? '1 memory report' : `${n} memory reports`;
  const suppressed = totals.suppressed > 0 ? `, ${totals.suppressed} more suppressed by the kernel` : '';
  const files = reads.length === 1 ? '1 file' : `${reads.length} files`;
  const out = [
    style.dim(
      `${shown(label)}: ${what}${suppressed} (${files}, ${totals.lineCount === 1 ? '1 line' : `${totals.lineCount} lines`})`,
    ),
  ];
  if (reads.length > 1)
    for (const r of reads)
      out.push(
        style.dim(
          `  ${shown(r.file)}: ${r.reports === 1 ? '1 report' : `${r.reports} reports`}, ${r.lineCount === 1 ? '1 line' : `${r.lineCount} lines`}, ${r.framing} framing${r.compression ? `, ${r.compression}` : ''}`,
        ),
      );
  for (const g of repeats.slice(0, 10)) {
    const first = firstFile.get(g.index);
    const last = lastFile.get(g.index) ?? first;
    const span =
      g.firstTime && g.lastTime && g.firstTime !== g.lastTime ? `, ${g.firstTime} – ${g.lastTime}` : '';
    out.push(
      style.dim(
        shown(
          `  ${g.count}× ${g.headline} (first at ${first ?? '?'}:${g.line + 1}, last at ${last ?? '?'}:${g.lastLine + 1}${span})`,
        ),
      ),
    );
  }
  if (repeats.length > 10) out.push(style.dim(`  … and ${repeats.length - 10} more groups of repeats`));
  return `${out.join('\n')}\n`;
}
