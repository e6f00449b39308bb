// lowmem_reserve[]: what each entry protects, and the lowmem_reserve_ratio that produced it
// (kernel-memory.md §5). `zone[i].lowmem_reserve[j] = Σ size(zones i+1..j) / ratio[i]` for j > i,
// size = present pages (≤3.4) or managed pages (≥3.10); 0 for j ≤ i.

import type { ZoneLine } from './model';
import type { ProtectionAnalysis, ReserveEntry } from './analysis-types';
import { canonicalZone, zoneIndex, zoneLabel } from './zones';
import { MANAGED_GROWTH_AFTER_BOOT } from './numbers';

/** Default `sysctl_lowmem_reserve_ratio[zone]` (reference §5.1): 4.17+ made HighMem/Movable 0. */
export function defaultLowmemReserveRatio(zone: string, from417: boolean | null): number | null {
  switch (canonicalZone(zone)) {
    case 'DMA':
    case 'DMA32':
      return 256;
    case 'Normal':
      return 32;
    case 'HighMem':
      return from417 ? 0 : from417 === false ? 32 : null;
    case 'Movable':
      return from417 ? 0 : null;
    default:
      return null;
  }
}

export interface ProtectionInput {
  zones: ZoneLine[];
  layout: string[];
  pageSizeKb: number;
  /** true = 4.17+ defaults (HighMem/Movable ratio 0), false = older, null = unknown. */
  from417: boolean | null;
  /** `N pages cma reserved` of the report (show_mem), null when not printed. */
  cmaReservedPages?: number | null;
  /** The era computed lowmem_reserve before the CMA pages joined managed (4.10–5.8, EraRow
   * lowmemReserveBeforeCma); null when the era is unknown. */
  reserveBeforeCma?: boolean | null;
}

function sizePages(z: ZoneLine | undefined, basis: 'present' | 'managed', pageSizeKb: number): number | null {
  if (!z) return 0; // not printed: unpopulated (2.6.32+ prints populated zones only)
  const kb = basis === 'managed' ? z.managedKb : z.presentKb;
  return kb === null ? null : Math.floor(kb / pageSizeKb);
}

interface FormulaPart {
  column: number;
  /** CMA pages left out of the sum (they joined managed after the reserve was computed). */
  cma?: number;
  /** "DMA32 820016" per zone summed. */
  parts: string[];
  sum: number;
  printed: number;
}

/** A `lowmem_reserve[]` column by its zone, or by its index past the end of the layout (an array
 * longer than any zone layout has no zone name for its last columns). */
function columnName(layout: string[], column: number): string {
  return layout[column] ?? String(column);
}

/** "DMA[Normal] = present(DMA32 + Normal) = 820016 + 7418880 = 8238896 / 256 = 32183.19 → 32183 ✓". */
function formatFormula(
  zone: string,
  layout: string[],
  basis: string,
  f: FormulaPart,
  ratio: number | null,
): string {
  const names = f.parts.map((p) => p.split(' ')[0]).join(' + ');
  const values = f.parts.map((p) => p.split(' ')[1]).join(' + ');
  const sum = f.parts.length > 1 ? `${values} = ${f.sum}` : `${f.sum}`;
  const head = f.cma
    ? `${zone}[${columnName(layout, f.column)}] = (${basis}(${names}) − CMA) / ratio = (${f.parts.length > 1 ? values : f.sum + f.cma} − ${f.cma}) = ${f.sum} / `
    : `${zone}[${columnName(layout, f.column)}] = ${basis}(${names}) / ratio = ${sum} / `;
  if (ratio === null) return `${head}ratio = ${f.printed} ⇒ ratio ≈ ${round2(f.sum / f.printed)}`;
  const q = Math.floor(f.sum / ratio);
  return `${head}${ratio} = ${round2(f.sum / ratio)} → ${q}${q === f.printed ? ' ✓' : ` (printed ${f.printed})`}`;
}

function round2(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** Explain every `lowmem_reserve[]` line of a report, zone by zone. */
export function analyzeProtection(input: ProtectionInput): ProtectionAnalysis[] {
  const { zones, layout, pageSizeKb, from417 } = input;
  const out: ProtectionAnalysis[] = [];
  const basis: 'present' | 'managed' = zones.some((z) => z.managedKb !== null) ? 'managed' : 'present';
  // Each node's zones by layout column (the first line of each), built once for all the zones.
  const byNode = new Map<number, Map<number, ZoneLine>>();
  for (const other of zones) {
    const k = zoneIndex(layout, other.zone);
    if (k === null) continue;
    let columns = byNode.get(other.node);
    if (!columns) byNode.set(other.node, (columns = new Map()));
    if (!columns.has(k)) columns.set(k, other);
  }
  const none = new Map<number, ZoneLine>();
  for (const z of zones) {
    if (!z.lowmemReserve) continue;
    const i = zoneIndex(layout, z.zone);
    const sameNode = byNode.get(z.node) ?? none;
    const r = z.lowmemReserve;
    const entries: ReserveEntry[] = r.map((pages, column) => {
      const colZone = layout[column] ?? `zone ${column}`;
      const populated = sameNode.has(column);
      const mib = Math.round(((pages * pageSizeKb) / 1024) * 10) / 10;
      let meaning: string;
      if (i === null) meaning = `${pages} pages`;
      else if (column < i) meaning = 'lower class zone: never used (always 0)';
      else if (column === i) meaning = `requests whose class zone is ${colZone} itself: no reserve`;
      else if (pages === 0)
        meaning = `no protection against ${colZone}-class requests${populated ? '' : ` (${colZone} is empty)`}`;
      else
        meaning =
          `${pages} pages (${mib} MiB) of ${z.zone} kept back from requests whose class zone is ${colZone}` +
          (populated ? '' : ` (${colZone} is empty, same as the column before)`);
      return { column, zone: colZone, populated, pages, mib, meaning };
    });

    const defaultRatio = defaultLowmemReserveRatio(z.zone, from417);
    const notes: string[] = [];
    const formulas: FormulaPart[] = [];
    let cmaNote = 0;
    let low = 0;
    let high = Infinity;
    let consistent = true;
    if (i === null) {
      notes.push(
        `zone ${z.zone} is not in the inferred layout (${layout.join(', ')}): columns not explained`,
      );
      consistent = false;
    } else {
      if (r.length !== layout.length)
        notes.push(
          `${r.length} columns, but the inferred zone layout has ${layout.length} zones (${layout.join(', ')})`,
        );
      for (let j = 0; j <= i && j < r.length; j++)
        if (r[j] !== 0) {
          consistent = false;
          notes.push(`column ${columnName(layout, j)} should be 0 for a zone at or above it, but is ${r[j]}`);
        }
      // `minusCma`: the CMA pages, left out of every sum that can hold them (see below).
      const fit = (skipRatioZero: boolean, minusCma = 0) => {
        let lo = 0;
        let hi = Infinity;
        let ok = true;
        const f: FormulaPart[] = [];
        const n: string[] = [];
        let prevS = -1;
        for (let j = i + 1; j < r.length; j++) {
          let s = 0;
          const parts: string[] = [];
          let unknown = false;
          for (let k = i + 1; k <= j; k++) {
            const zk = sameNode.get(k);
            // 2020 variant (`continue` in setup_per_zone_lowmem_reserve): a zone whose own ratio
            // is 0 does not add its pages to the lower zones' sums (seen in 5.7-next).
            if (skipRatioZero && k < j && defaultLowmemReserveRatio(layout[k] ?? '', true) === 0) continue;
            const size = sizePages(zk, basis, pageSizeKb);
            if (size === null) unknown = true;
            else if (zk) {
              s += size;
              parts.push(`${columnName(layout, k)} ${size}`);
            }
          }
          if (unknown) {
            n.push(`${basis} pages of a zone up to ${columnName(layout, j)} not printed: column not checked`);
            continue;
          }
          const cmaOut = minusCma > 0 && s > minusCma ? minusCma : 0;
          s -= cmaOut;
          const rj = r[j];
          if (rj === 0) {
            if (s > 0) {
              ok = false;
              n.push(
                `column ${columnName(layout, j)} is 0 although ${s} ${basis} pages lie above ${z.zone}: ` +
                  `lowmem_reserve_ratio[${z.zone}] < 1 (protection disabled, 4.17+) or ${z.zone} has no managed pages (5.10+)`,
              );
            }
            continue;
          }
          if (s === 0) {
            ok = false;
            n.push(
              `column ${columnName(layout, j)} is ${rj} pages although no populated zone lies between: not from this layout`,
            );
            continue;
          }
          const sLow = basis === 'managed' ? s * (1 - MANAGED_GROWTH_AFTER_BOOT) : s;
          lo = Math.max(lo, sLow / (rj + 1));
          hi = Math.min(hi, s / rj);
          if (s !== prevS)
            f.push({ column: j, parts, sum: s, printed: rj, ...(cmaOut > 0 ? { cma: cmaOut } : {}) });
          prevS = s;
        }
        return { lo, hi, ok: ok && lo < hi, f, n };
      };
      let res = fit(false);
      let variant = false;
      if (!res.ok && from417 !== false) {
        const alt = fit(true);
        if (alt.ok) {
          res = alt;
          variant = true;
        }
      }
      // 4.10–5.8: init_per_zone_wmark_min (core_initcall, linked before mm/cma.o) computed the
      // reserve before cma_init_reserved_areas added the CMA pages to managed (e08d3fdfe2da, 5.9):
      // entries that fit the default ratio only without the CMA pages are the default, not a
      // changed vm.lowmem_reserve_ratio. Show_mem prints one total, so it is left out of every sum
      // that can hold it.
      const cma = input.cmaReservedPages ?? 0;
      const fitsDefault = (x: { lo: number; hi: number; ok: boolean }): boolean =>
        x.ok && defaultRatio !== null && defaultRatio > x.lo && defaultRatio <= x.hi + 1e-9;
      if (cma > 0 && basis === 'managed' && input.reserveBeforeCma !== false && !fitsDefault(res)) {
        const alt = fit(variant, cma);
        if (fitsDefault(alt)) {
          res = alt;
          cmaNote = cma;
        }
      }
      low = res.lo;
      high = res.hi;
      notes.push(...res.n);
      if (!res.ok) consistent = false;
      if (variant)
        notes.push(
          'the columns only fit if zones whose own ratio is 0 (HighMem) are left out of the sums: the 2020 ' +
            'setup_per_zone_lowmem_reserve variant that skips them (seen in 5.7-next and 5.10-rc1 reports; the later rewrite sums every zone above)',
        );
      formulas.push(...res.f);
    }
    let ratio: number | null = null;
    if (consistent && high !== Infinity) {
      if (defaultRatio && defaultRatio > low && defaultRatio <= high + 1e-9) ratio = defaultRatio;
      else {
        const cand = Math.floor(low) + 1;
        if (cand <= high + 1e-9) ratio = cand;
      }
      if (ratio === null) {
        consistent = false;
        notes.push(`no integer ratio gives these entries (between ${round2(low)} and ${round2(high)})`);
      } else if (defaultRatio !== null && ratio !== defaultRatio)
        notes.push(
          // managed pages shrink little after boot but can grow (an initrd or init memory freed
          // later): a ratio one off the default on the managed basis may be that, not a setting
          basis === 'managed' && Math.abs(ratio - defaultRatio) <= Math.max(1, defaultRatio * 0.02)
            ? `ratio ${ratio} fits the entries best; the default ${defaultRatio} fits too if the managed pages at boot were a little more than ${MANAGED_GROWTH_AFTER_BOOT * 100} % below today's (memory freed after boot, such as the initrd): the report cannot tell a changed vm.lowmem_reserve_ratio from that`
            : `ratio ${ratio} differs from the default ${defaultRatio}: vm.lowmem_reserve_ratio was changed`,
        );
    }
    if (cmaNote > 0)
      notes.push(
        `the entries fit the default ratio ${defaultRatio} once the ${cmaNote} CMA pages ("pages cma reserved") are left out: ` +
          'from 4.10 to 5.8 lowmem_reserve was computed at boot before the CMA areas joined the managed pages ' +
          '(init_per_zone_wmark_min ran before cma_init_reserved_areas; 5.9 moved it to a postcore_initcall), so the ratio was not changed',
      );
    const finalFormulas = formulas.map((f) => formatFormula(z.zone, layout, basis, f, ratio));
    if (
      ratio !== null &&
      basis === 'managed' &&
      formulas.some((f) => Math.floor(f.sum / ratio) !== f.printed)
    )
      notes.push(
        `the entries are a little below today's managed pages / ${ratio}: the reserve was computed at boot, and managed pages grew ` +
          'afterwards (init memory and initrd freed), so they fit with boot-time sizes up to 5 % smaller',
      );
    out.push({
      node: z.node,
      nodePrinted: z.nodePrinted,
      zone: z.zone,
      zoneLine: z.line,
      line: z.lowmemReserveRange?.startLine ?? z.line + 1,
      entries,
      sizeBasis: basis,
      ratioLow: high === Infinity ? null : Math.round(low * 100) / 100,
      ratioHigh: high === Infinity ? null : Math.round(high * 100) / 100,
      ratio,
      ratioRange: integerRatioRange(high === Infinity ? null : low, high === Infinity ? null : high),
      defaultRatio,
      formulas: finalFormulas,
      consistent,
      notes: notes.map((n) => `${zoneLabel(z)}: ${n}`),
    });
  }
  return out;
}

/** The integer ratios r with S/(r+1) < entry ≤ S/r for every column (reference §5.3), from the
 * bounds as reported (two decimals): [⌊low⌋ + 1, ⌊high⌋], null unless more than one fits. */
function integerRatioRange(low: number | null, high: number | null): [number, number] | null {
  if (low === null || high === null) return null;
  const lowest = Math.floor(Math.round(low * 100) / 100) + 1;
  const highest = Math.floor(Math.round(high * 100) / 100);
  return highest > lowest ? [lowest, highest] : null;
}
