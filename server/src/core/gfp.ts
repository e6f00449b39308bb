// GFP masks decoded per kernel era: names, zone, reclaim, allocator flags, plausibility, and the
// era a report's mask belongs to. What each era's bits are is data (kernel/gfp-layouts.ts), and
// which releases use which layout is the kernel timeline (kernel/eras.ts); this file only walks
// them. Sources are the sections of docs/kernel/kernel-memory.md ("ref §…") and the kernel-tree
// labels it defines (K2618 … K618, EL7, EL8, ML-2018 …).

import { rangeText, type KernelVersion } from './kernel-version';
import {
  combineBounds,
  gfpLayoutFor,
  PRINTED_SIGNALS,
  spanAdmits,
  TIMELINE,
  type GfpLayoutSpan,
  type PrintedBound,
} from './kernel/eras';
import {
  CONFIG_NOTES,
  type BitCondition,
  type GfpConfig,
  type GfpEra,
  type GfpLayout,
  type GfpMigrateType,
  type GfpZone,
} from './kernel/gfp-layouts';

export type { GfpEra, GfpMigrateType, GfpZone } from './kernel/gfp-layouts';

// ---------------------------------------------------------------------------------------------
// Resolved tables (built once from the timeline's layouts).
// ---------------------------------------------------------------------------------------------

interface ResolvedBit {
  /** Name without prefix, e.g. 'HIGH'. */
  readonly name: string;
  readonly value: number;
  readonly config: GfpConfig | null;
}

interface ResolvedEra {
  readonly spec: GfpLayout;
  /** The releases it serves (what a printed signal is checked against). */
  readonly span: GfpLayoutSpan;
  readonly index: number;
  /** Single flags in bit order. */
  readonly bits: readonly ResolvedBit[];
  readonly byName: ReadonlyMap<string, ResolvedBit>;
  /** Every defined bit (including build-option bits). */
  readonly definedMask: number;
  readonly bitsMask: number;
  /** Composite values (config-only bits counted as 0), e.g. GFP_KERNEL → 0xd0. */
  readonly composites: ReadonlyMap<string, number>;
  /** The greedy name table: [name, value] in print order, zero values dropped. */
  readonly printTable: readonly (readonly [string, number])[];
}

const u32 = (n: number): number => n >>> 0;

function resolveEra(span: GfpLayoutSpan, index: number): ResolvedEra {
  const spec = span.layout;
  const bits: ResolvedBit[] = Object.entries(spec.bits)
    .map(([name, def]) =>
      typeof def === 'number'
        ? { name, value: def, config: null }
        : { name, value: def.value, config: def.config ?? null },
    )
    .sort((a, b) => a.value - b.value);
  const byName = new Map(bits.map((b) => [b.name, b]));
  const definedMask = bits.reduce((m, b) => u32(m | b.value), 0);

  const composites = new Map<string, number>();
  const partValue = (part: string): number | null => {
    const optional = part.startsWith('?');
    const name = optional ? part.slice(1) : part;
    if (name.startsWith('GFP_') || name === '__GFP_RECLAIM') {
      const v = composites.get(name);
      return v === undefined ? (optional ? 0 : null) : v;
    }
    const bit = byName.get(name.replace(/^__GFP_/, ''));
    if (!bit) return optional ? 0 : null;
    return bit.config ? 0 : bit.value;
  };
  for (const def of spec.composites) {
    const parts = def.of.map(partValue);
    const minus = (def.minus ?? []).map(partValue);
    if (parts.includes(null) || minus.includes(null)) continue;
    const value = u32(parts.reduce<number>((m, v) => m | v!, 0) & ~minus.reduce<number>((m, v) => m | v!, 0));
    composites.set(def.name, value);
  }

  const printTable: (readonly [string, number])[] = [];
  for (const name of spec.printOrder) {
    const value = composites.get(name) ?? byName.get(name.replace(/^__GFP_/, ''))?.value;
    if (value) printTable.push([name, value]);
  }

  const bitsMask = u32(2 ** spec.bitsShift - 1);
  return { spec, span, index, bits, byName, definedMask, bitsMask, composites, printTable };
}

const ERAS: ReadonlyMap<GfpEra, ResolvedEra> = new Map(
  TIMELINE.layouts.map((span, i) => [span.layout.era, resolveEra(span, i)]),
);

/** Every era, oldest first ('el7' sits after '3.10'). */
export const ALL_GFP_ERAS: readonly GfpEra[] = TIMELINE.layouts.map((s) => s.layout.era);

/** The kernel prints `(names)` after the mask (4.6+, ref §1.4) on some release of the era. */
const printsNames = (e: ResolvedEra): boolean => spanAdmits(e.span, PRINTED_SIGNALS.gfpNames);

function eraData(era: GfpEra): ResolvedEra {
  const e = ERAS.get(era);
  if (!e) throw new Error(`unknown GFP era ${String(era)}`);
  return e;
}

/** What an era's table holds, for hovers and documentation. */
export interface GfpEraInfo {
  era: GfpEra;
  /** Releases the era covers, e.g. "4.10–4.12". */
  label: string;
  printsNames: boolean;
  bitsShift: number;
  /** `__GFP_*` name → value. */
  bits: Record<string, number>;
  /** Bits that exist only with a build option, `__GFP_*` name → option. */
  configBits: Record<string, string>;
  /** `GFP_*` (and `__GFP_RECLAIM`) → value as built on distribution kernels. */
  composites: Record<string, number>;
  notes: string[];
}

export function gfpEraInfo(era: GfpEra): GfpEraInfo {
  const e = eraData(era);
  return {
    era,
    label: e.spec.label,
    printsNames: printsNames(e),
    bitsShift: e.spec.bitsShift,
    bits: Object.fromEntries(e.bits.map((b) => [`__GFP_${b.name}`, b.value])),
    configBits: Object.fromEntries(
      e.bits.filter((b) => b.config !== null).map((b) => [`__GFP_${b.name}`, b.config as string]),
    ),
    composites: Object.fromEntries(e.composites),
    notes: [...e.spec.notes],
  };
}

/** The era whose table applies to a kernel release (ref §1.5 step 1): the timeline's row
 * (kernel/eras.ts), or the distribution's layout on its base release. */
export function gfpEraForVersion(v: KernelVersion): GfpEra {
  return gfpLayoutFor(v).era;
}

// ---------------------------------------------------------------------------------------------
// Decoding.
// ---------------------------------------------------------------------------------------------

/** Allocator flags the slow path derives from the mask (ref §3.1) and their watermark effect (§3.2). */
export interface GfpAllocFlags {
  /** ALLOC_HIGH (≤6.2) / ALLOC_MIN_RESERVE (6.3+): __GFP_HIGH. */
  high: boolean;
  /** ALLOC_HARDER (≤6.2) / ALLOC_NON_BLOCK (6.3+). */
  harder: boolean;
  /** May take MIGRATE_HIGHATOMIC blocks: 4.4–6.2 with ALLOC_HARDER, 6.3+ ALLOC_HIGHATOMIC (needs the order: null when unknown). */
  highAtomic: boolean | null;
  /** __GFP_MEMALLOC without __GFP_NOMEMALLOC → ALLOC_NO_WATERMARKS. */
  noWatermarks: boolean;
  /** ALLOC_CPUSET dropped: the task's cpuset does not restrict the zones. */
  ignoresCpuset: boolean;
  /** Kernel names of the flags set, e.g. ['ALLOC_WMARK_MIN', 'ALLOC_HIGH', 'ALLOC_HARDER']. */
  names: string[];
  /** Reductions of the min watermark in the order __zone_watermark_ok applies them (min -= min/2, min -= min/4). */
  minSteps: ('half' | 'quarter')[];
  /** What the mask cannot show (real-time tasks). */
  caveat: string;
  source: string;
}

export interface DecodedGfp {
  mask: number;
  era: GfpEra;
  /** Kernel-style greedy names: composites first, leftover bits as one hex number last. */
  names: string[];
  /** `names` joined by `|`; '' for mask 0 (the kernel prints `mode:0x0()`). */
  text: string;
  /** Every single `__GFP_*` bit set, in bit order. */
  flags: string[];
  highestZone: GfpZone;
  migrateType: GfpMigrateType | null;
  canDirectReclaim: boolean;
  canWakeKswapd: boolean;
  /** Cannot sleep: no direct reclaim. */
  isAtomic: boolean;
  /** __GFP_HIGH. */
  highPriority: boolean;
  /** ALLOC_HARDER (≤6.2) / ALLOC_NON_BLOCK (6.3+). */
  allocHarder: boolean;
  alloc: GfpAllocFlags;
  noRetry: boolean;
  /** __GFP_RETRY_MAYFAIL (4.13+). */
  retryMayfail: boolean;
  /** __GFP_REPEAT (≤4.12, the bit RETRY_MAYFAIL took over). */
  repeat: boolean;
  noFail: boolean;
  noWarn: boolean;
  comp: boolean;
  zero: boolean;
  thisNode: boolean;
  hardwall: boolean;
  memalloc: boolean;
  noMemalloc: boolean;
  /** Charged to the memory cgroup: __GFP_ACCOUNT (EL7, 4.5+) or __GFP_KMEMCG (3.8–3.15). */
  account: boolean;
  /** Bits no flag of the era uses (below or above its __GFP_BITS_MASK). */
  leftover: number;
  /** Why the mask cannot be a normal mask of this era (ref §1.3), or null. */
  implausible: string | null;
  /** Softer remarks: build-option bits, unusual combinations, era caveats. */
  notes: string[];
  summary: string;
}

export interface DecodeOptions {
  /** The request's order: decides ALLOC_HIGHATOMIC on 6.3+. */
  order?: number | null;
}

const ZONE_INDEX_BITS: readonly (readonly [string, number])[] = [
  ['DMA', 1],
  ['HIGHMEM', 2],
  ['DMA32', 4],
  ['MOVABLE', 8],
];

const ZONE_PHRASE: Readonly<Record<GfpZone, string>> = {
  DMA: 'DMA zone only',
  DMA32: 'any zone up to DMA32',
  Normal: 'any zone up to Normal',
  HighMem: 'any zone up to HighMem',
  Movable: 'any zone up to Movable',
  invalid: 'invalid zone modifier combination (BAD in GFP_ZONE_TABLE)',
};

function hex(n: number): string {
  return `0x${u32(n).toString(16)}`;
}

function has(e: ResolvedEra, mask: number, name: string): boolean {
  const bit = e.byName.get(name);
  return bit !== undefined && (mask & bit.value) !== 0;
}

function holds(e: ResolvedEra, mask: number, c: BitCondition): boolean {
  return (c.present ?? []).every((n) => has(e, mask, n)) && !(c.absent ?? []).some((n) => has(e, mask, n));
}

function greedyNames(e: ResolvedEra, mask: number): string[] {
  // lib/vsprintf.c format_flags: each entry whose bits are all present is printed and removed;
  // what is left is printed as one hex number (ref §1.4).
  const names: string[] = [];
  let rest = u32(mask);
  for (const [name, value] of e.printTable) {
    if (rest === 0) break;
    if (u32(rest & value) === value) {
      names.push(name);
      rest = u32(rest & ~value);
    }
  }
  if (rest !== 0) names.push(hex(rest));
  return names;
}

interface Issue {
  severity: 'invalid' | 'implausible' | 'unusual' | 'note';
  text: string;
}

function plausibilityIssues(e: ResolvedEra, mask: number): Issue[] {
  const issues: Issue[] = [];
  const label = `${e.spec.era} (${e.spec.label})`;
  const numberedFrom = e.spec.configNumberedFrom;
  const unknown = u32(mask & ~e.definedMask);
  if (numberedFrom !== undefined && u32(unknown & ~(numberedFrom - 1)) !== 0) {
    issues.push({
      severity: 'implausible',
      text:
        `bit(s) ${hex(unknown & ~(numberedFrom - 1))} lie above __GFP_ZEROTAGS, where ${label} numbers ` +
        'only configured debug flags (SKIP_ZERO/SKIP_KASAN, NOLOCKDEP, NO_OBJ_EXT; include/linux/gfp_types.h)',
    });
  } else {
    const above = u32(mask & ~e.bitsMask & ~e.definedMask);
    if (above !== 0)
      issues.push({
        severity: 'invalid',
        text: `bit(s) ${hex(above)} above __GFP_BITS_MASK ${hex(e.bitsMask)} of ${label}: wrong era`,
      });
  }
  const unused = u32(unknown & e.bitsMask & (numberedFrom === undefined ? 0xffffffff : numberedFrom - 1));
  if (unused !== 0)
    issues.push({
      severity: 'implausible',
      text: `bit(s) ${hex(unused)} are not used by any flag in ${label}`,
    });
  for (const bit of e.bits) {
    if (bit.config === null || (mask & bit.value) === 0) continue;
    const note = CONFIG_NOTES[bit.config];
    issues.push({
      severity: note.implausible ? 'implausible' : 'note',
      text: `__GFP_${bit.name} (${hex(bit.value)}) ${note.text}`,
    });
  }
  if (mask !== 0) {
    for (const rule of e.spec.rules) {
      if (rule.whenAny && !rule.whenAny.some((n) => has(e, mask, n))) continue;
      if (rule.requireAny.some((n) => has(e, mask, n))) continue;
      // warn_alloc never prints __GFP_NOWARN (it returns early for a mask with it, and 4.9–4.14's
      // stall warning clears it: K414 __alloc_pages_slowpath `warn_alloc(gfp_mask & ~__GFP_NOWARN`),
      // so a composite that holds it (GFP_TRANSHUGE_LIGHT) is matched without it
      const printed = u32(mask | (e.byName.get('NOWARN')?.value ?? 0));
      const exempt = (rule.exempt ?? []).some((c) => {
        const v = e.composites.get(c);
        return v !== undefined && u32(printed & v) === v;
      });
      if (!exempt) issues.push({ severity: rule.severity, text: rule.reason });
    }
  }
  return issues;
}

function allocFlags(e: ResolvedEra, mask: number, order: number | null): GfpAllocFlags {
  const model = e.spec.alloc;
  const high = has(e, mask, 'HIGH');
  const harder = holds(e, mask, model.harder);
  const noWatermarks = has(e, mask, 'MEMALLOC') && !has(e, mask, 'NOMEMALLOC');
  const ignoresCpuset = holds(e, mask, model.ignoresCpuset);
  const highAtomic =
    model.highAtomic === 'none'
      ? false
      : model.highAtomic === 'harder'
        ? harder
        : !harder
          ? false
          : order === null
            ? null
            : order > 0;
  const names = ['ALLOC_WMARK_MIN'];
  if (!ignoresCpuset) names.push('ALLOC_CPUSET');
  if (high) names.push(model.highName);
  if (harder) names.push(model.harderName);
  if (model.highAtomic === 'non-block-order>0' && highAtomic) names.push('ALLOC_HIGHATOMIC');
  if (noWatermarks) names.push('ALLOC_NO_WATERMARKS');
  const minSteps: ('half' | 'quarter')[] = [];
  if (high) minSteps.push('half');
  if (harder && (high || !model.quarterNeedsHigh)) minSteps.push('quarter');
  return {
    high,
    harder,
    highAtomic,
    noWatermarks,
    ignoresCpuset,
    names,
    minSteps,
    caveat: model.rtTask,
    source: model.source,
  };
}

function zoneOf(e: ResolvedEra, mask: number): GfpZone {
  let index = 0;
  for (const [name, bit] of ZONE_INDEX_BITS) if (has(e, mask, name)) index |= bit;
  return e.spec.zones[index];
}

function migrateTypeOf(e: ResolvedEra, mask: number): GfpMigrateType | null {
  if (!e.byName.has('RECLAIMABLE')) return null;
  const movable = has(e, mask, 'MOVABLE');
  const reclaimable = has(e, mask, 'RECLAIMABLE');
  return movable && reclaimable ? 'invalid' : movable ? 'Movable' : reclaimable ? 'Reclaimable' : 'Unmovable';
}

/** Memo for the pure decoders: a big log repeats a handful of masks thousands of times. Results
 * are frozen, so a caller cannot change what the next caller gets. Bounded: cleared when full. */
function memo<A extends unknown[], R>(fn: (...args: A) => R, key: (...args: A) => string): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A): R => {
    const k = key(...args);
    let hit = cache.get(k);
    if (hit === undefined) {
      if (cache.size >= 4096) cache.clear();
      hit = deepFreeze(fn(...args));
      cache.set(k, hit);
    }
    return hit;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Decodes a GFP mask with the tables of one era. Pure; `mask` is read as an unsigned 32-bit gfp_t. */
export const decodeGfpMask: (mask: number, era: GfpEra, options?: DecodeOptions) => DecodedGfp = memo(
  decodeGfpMaskOnce,
  (mask, era, options) => `${mask}|${era}|${options?.order ?? ''}`,
);

function decodeGfpMaskOnce(mask: number, era: GfpEra, options: DecodeOptions = {}): DecodedGfp {
  const e = eraData(era);
  const m = u32(mask);
  const names = m === 0 ? [] : greedyNames(e, m);
  const flags = e.bits.filter((b) => (m & b.value) !== 0).map((b) => `__GFP_${b.name}`);
  const reclaimBits = e.byName.has('DIRECT_RECLAIM');
  const canDirectReclaim = reclaimBits ? has(e, m, 'DIRECT_RECLAIM') : has(e, m, 'WAIT');
  // ≤2.6.37 the slow path always wakes kswapd; 2.6.38–4.3 unless __GFP_NO_KSWAPD; 4.4+ only with
  // __GFP_KSWAPD_RECLAIM (ref §1.1, §1.2 definitions).
  const canWakeKswapd = reclaimBits ? has(e, m, 'KSWAPD_RECLAIM') : !has(e, m, 'NO_KSWAPD');
  const alloc = allocFlags(e, m, options.order ?? null);
  const issues = plausibilityIssues(e, m);
  const verdicts = issues.filter((i) => i.severity === 'invalid' || i.severity === 'implausible');
  const implausible = verdicts.length ? verdicts.map((i) => i.text).join('; ') : null;
  const notes = issues.filter((i) => i.severity === 'unusual' || i.severity === 'note').map((i) => i.text);
  notes.push(...e.spec.notes);
  const decoded: DecodedGfp = {
    mask: m,
    era,
    names,
    text: names.join('|'),
    flags,
    highestZone: zoneOf(e, m),
    migrateType: migrateTypeOf(e, m),
    canDirectReclaim,
    canWakeKswapd,
    isAtomic: !canDirectReclaim,
    highPriority: has(e, m, 'HIGH'),
    allocHarder: alloc.harder,
    alloc,
    noRetry: has(e, m, 'NORETRY'),
    retryMayfail: has(e, m, 'RETRY_MAYFAIL'),
    repeat: has(e, m, 'REPEAT'),
    noFail: has(e, m, 'NOFAIL'),
    noWarn: has(e, m, 'NOWARN'),
    comp: has(e, m, 'COMP'),
    zero: has(e, m, 'ZERO'),
    thisNode: has(e, m, 'THISNODE'),
    hardwall: has(e, m, 'HARDWALL'),
    memalloc: has(e, m, 'MEMALLOC'),
    noMemalloc: has(e, m, 'NOMEMALLOC'),
    account: has(e, m, 'ACCOUNT') || has(e, m, 'KMEMCG'),
    leftover: u32(m & ~e.definedMask),
    implausible,
    notes,
    summary: '',
  };
  decoded.summary = summarize(decoded, e);
  return decoded;
}

function summarize(d: DecodedGfp, e: ResolvedEra): string {
  const parts: string[] = [];
  if (d.isAtomic) {
    parts.push(
      d.canWakeKswapd
        ? 'atomic (cannot sleep or reclaim)'
        : 'atomic (cannot sleep or reclaim, kswapd not woken)',
    );
  } else {
    const without = ['IO', 'FS']
      .filter((n) => !has(e, d.mask, n))
      .map((n) => `no ${n === 'IO' ? 'I/O' : 'FS'}`);
    parts.push(`may sleep and reclaim${without.length ? ` (${without.join(', ')})` : ''}`);
  }
  if (d.alloc.noWatermarks) parts.push('may ignore the watermarks (__GFP_MEMALLOC)');
  else if (d.alloc.minSteps.length) parts.push('may dip into reserves');
  if (d.noFail) parts.push('must not fail (__GFP_NOFAIL)');
  else if (d.noRetry) parts.push('gives up early (__GFP_NORETRY)');
  else if (d.retryMayfail) parts.push('retries hard but may fail (__GFP_RETRY_MAYFAIL)');
  parts.push(ZONE_PHRASE[d.highestZone] + (d.thisNode ? ' of the preferred node only' : ''));
  const head = d.text === '' ? '0 (no flags)' : d.text;
  const tail = d.implausible ? ` — implausible for ${e.spec.era} (${e.spec.label}): ${d.implausible}` : '';
  return `${head}: ${parts.join(', ')}${tail}`;
}

/**
 * Reads a mask as printed (`0x4020`, `0X4020`, `4020`); null when it is not a whole hex number
 * (a poster's `0x62****`) or does not fit gfp_t.
 */
export function parseGfpRaw(raw: string): number | null {
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]{1,8})\s*$/.exec(raw);
  return m ? Number.parseInt(m[1], 16) : null;
}

// ---------------------------------------------------------------------------------------------
// Era guessing (ref §1.5).
// ---------------------------------------------------------------------------------------------

/** What a report shows about its kernel, any of which may be unknown. */
export interface GfpEraHints {
  mask?: number | null;
  /**
   * The names printed after the mask: a string (''/`()` included) when printed, null when the header
   * was read and printed none, undefined when not known.
   */
  printedNames?: string | null;
  /** `page allocation failure.` (≤2.6.x) or `page allocation failure:` (3.x+) (ref §2.1). */
  headerStyle?: 'period' | 'colon' | null;
  /** Migrate-type letter groups of the buddy lines, e.g. ['UME', 'M', 'UMEH'] (ref §2.7). */
  buddyTypes?: readonly string[] | null;
  /** Zone lines print `boost:` (ref §2.5). */
  hasBoost?: boolean | null;
  /** The kind of report: the kernel prints no warning (failure/SLUB/vmalloc/stall) for __GFP_NOWARN. */
  reportKind?: string | null;
  /** Parsed release from the task line, when the excerpt has one. */
  version?: KernelVersion | null;
  /** Bounds on the release from the rest of the report's format (nodemask=, the inline cpuset,
   * the rate-limit line's function, zone and node fields …: era.ts shapeBounds). */
  formatBounds?: readonly PrintedBound[];
}

export interface GfpEraGuess {
  era: GfpEra;
  /** Every era that fits the hints equally well, oldest first. */
  candidates: GfpEra[];
  confidence: 'high' | 'medium' | 'low';
  reason: string;
}

const WARNING_KINDS = new Set(['page_alloc_failure', 'vmalloc_failure', 'slub_failure', 'alloc_stall']);

/** Eras whose greedy decode reproduces the names the kernel printed (eras that print names only). */
export function erasMatchingNames(mask: number, printed: string): GfpEra[] {
  const m = u32(mask);
  return ALL_GFP_ERAS.filter((era) => {
    const e = eraData(era);
    return printsNames(e) && (m === 0 ? '' : greedyNames(e, m).join('|')) === printed;
  });
}

function buddyOrder(types: readonly string[]): 'old' | 'new' | null {
  let old = false;
  let neu = false;
  for (const t of types) {
    if (t.includes('R')) old = true;
    if (t.includes('H')) neu = true;
    const e = t.indexOf('E');
    const m = t.indexOf('M');
    if (e >= 0 && m >= 0) {
      if (e < m) old = true;
      else neu = true;
    }
  }
  return old === neu ? null : old ? 'old' : 'new';
}

/** Scores an era for a mask: 0 plausible, lower is worse, -Infinity for bits outside the era. */
function maskScore(era: GfpEra, mask: number, reportKind: string | null | undefined): number {
  const e = eraData(era);
  let score = 0;
  for (const issue of plausibilityIssues(e, mask)) {
    if (issue.severity === 'invalid') return -Infinity;
    score -= issue.severity === 'implausible' ? 3 : 1;
  }
  if (reportKind && WARNING_KINDS.has(reportKind) && has(e, mask, 'NOWARN')) score -= 3;
  return score;
}

/**
 * Picks the era from what a report shows (ref §1.5): the release when known (checked against the
 * printed names, which win), else the header shape, names, buddy letters, `boost:` and the
 * plausibility of the mask (ref §1.3, which also covers its magnitude).
 */
export const guessGfpEra: (hints: GfpEraHints) => GfpEraGuess = memo(guessGfpEraOnce, (h) =>
  JSON.stringify([
    h.mask,
    h.printedNames,
    h.headerStyle,
    h.buddyTypes,
    h.hasBoost,
    h.reportKind,
    h.version?.text,
    h.formatBounds?.map((b) => b.reason),
  ]),
);

function guessGfpEraOnce(hints: GfpEraHints): GfpEraGuess {
  const mask = hints.mask ?? null;
  const printed = hints.printedNames;
  if (hints.version) return guessFromVersion(hints.version, mask, printed);

  const reasons: string[] = [];
  let candidates: GfpEra[] = [...ALL_GFP_ERAS];
  const narrow = (keep: (e: ResolvedEra) => boolean, why: string): void => {
    const next = candidates.filter((era) => keep(eraData(era)));
    if (next.length === 0) {
      reasons.push(`ignored (contradicts the rest): ${why}`);
      return;
    }
    candidates = next;
    reasons.push(why);
  };
  // What the report prints bounds the release (PRINTED_SIGNALS): an era stays when it serves a
  // release within the bound.
  const S = PRINTED_SIGNALS;
  const within =
    (bound: PrintedBound) =>
    (e: ResolvedEra): boolean =>
      spanAdmits(e.span, bound);
  let namesMatched = false;

  if (hints.formatBounds?.length) {
    const { atLeast, atMost } = combineBounds(hints.formatBounds);
    const range = rangeText(atLeast, atMost);
    narrow(
      within({ atLeast: atLeast ?? undefined, atMost: atMost ?? undefined, reason: range }),
      `the report's format ⇒ ${range}`,
    );
  }
  if (typeof printed === 'string') {
    narrow(within(S.gfpNames), 'the kernel printed flag names ⇒ 4.6+');
    if (mask !== null) {
      const matching = new Set(erasMatchingNames(mask, printed));
      narrow((e) => matching.has(e.spec.era), `only these eras print ${hex(mask)} as "${printed}"`);
      namesMatched = candidates.every((c) => matching.has(c));
    }
  } else if (printed === null) {
    narrow(within(S.noGfpNames), 'no flag names after the mask ⇒ before 4.6');
  }
  if (hints.headerStyle === 'period') narrow(within(S.periodHeader), '`page allocation failure.` ⇒ 2.6.x');
  else if (hints.headerStyle === 'colon') narrow(within(S.colonHeader), '`page allocation failure:` ⇒ 3.0+');
  const letters = hints.buddyTypes?.length ? buddyOrder(hints.buddyTypes) : null;
  if (letters === 'old') narrow(within(S.oldLetterOrder), 'buddy letters UEM…/R ⇒ 3.10–4.3');
  if (letters === 'new') narrow(within(S.newLetterOrder), 'buddy letters UME…/H ⇒ 4.4+');
  if (hints.hasBoost === true) narrow(within(S.boost), '`boost:` in zone lines ⇒ 5.17+');
  else if (hints.hasBoost === false) narrow(within(S.noBoost), 'no `boost:` in zone lines ⇒ before 5.17');

  let best = 0;
  if (mask !== null) {
    const scored = candidates.map((era) => [era, maskScore(era, mask, hints.reportKind)] as const);
    best = Math.max(...scored.map(([, s]) => s));
    if (best > -Infinity) {
      const kept = scored.filter(([, s]) => s === best).map(([era]) => era);
      if (kept.length < candidates.length)
        reasons.push(`${hex(mask)} is a plausible mask only for ${describe(kept)}`);
      candidates = kept;
    } else {
      reasons.push(`${hex(mask)} has bits outside every remaining era`);
    }
  }
  const era = [...candidates].sort((a, b) => eraData(b).spec.prior - eraData(a).spec.prior)[0];
  const narrowed = reasons.length > 0;
  const confidence = namesMatched ? 'high' : narrowed && best === 0 && mask !== null ? 'medium' : 'low';
  const head = `era ${era} (${eraData(era).spec.label})`;
  const pick =
    candidates.length > 1 ? `; ${describe(candidates)} fit equally, ${era} is the most common` : '';
  return {
    era,
    candidates,
    confidence,
    reason: `${head}: ${narrowed ? reasons.join('; ') : 'no hints, most common era'}${pick}`,
  };
}

function guessFromVersion(
  v: KernelVersion,
  mask: number | null,
  printed: string | null | undefined,
): GfpEraGuess {
  const era = gfpEraForVersion(v);
  const head = `release ${v.text} ⇒ era ${era} (${eraData(era).spec.label})`;
  if (typeof printed !== 'string' || mask === null || decodeGfpMask(mask, era).text === printed) {
    const checked = typeof printed === 'string' && mask !== null ? '; the printed names match' : '';
    return { era, candidates: [era], confidence: 'high', reason: `${head}${checked}` };
  }
  const matching = erasMatchingNames(mask, printed);
  if (matching.length === 0)
    return {
      era,
      candidates: [era],
      confidence: 'low',
      reason: `${head}; no era reproduces the printed "${printed}" for ${hex(mask)}`,
    };
  // The printed names win (product.md): take the matching era nearest to the release's own; on a
  // tie the newer one, since a mismatch on a known release usually means backported changes.
  const at = eraData(era).index;
  const distance = (x: GfpEra): number => Math.abs(eraData(x).index - at);
  const nearest = [...matching].sort(
    (a, b) => distance(a) - distance(b) || eraData(b).index - eraData(a).index,
  )[0];
  return {
    era: nearest,
    candidates: matching,
    confidence: 'medium',
    reason: `${head}, but the printed "${printed}" is reproduced by ${describe(matching)}: using ${nearest} (vendor backports?)`,
  };
}

function describe(eras: readonly GfpEra[]): string {
  return eras.length <= 4 ? eras.join(', ') : `${eras[0]} … ${eras[eras.length - 1]} (${eras.length} eras)`;
}
