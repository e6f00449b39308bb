// GFP bit layouts per kernel era, as data: bit tables, composite masks, the kernel's print orders,
// gfp_zone()'s table, what gfp_to_alloc_flags derives from a mask and the plausibility rules
// (ref §1.1–§1.4, §3.1, §3.3). The kernel timeline (eras.ts) says which release uses which layout;
// gfp.ts decodes masks with them. Pure data.

import type { KernelVersion } from '../kernel-version';

/**
 * A GFP layout: one column of ref §1.1, split where a sub-change alters what a mask decodes to.
 * Named after the first release of the era ('el7' = RHEL 7's backported 3.10).
 */
export type GfpEra =
  | '2.6.18'
  | '2.6.24'
  | '2.6.32'
  | '2.6.39'
  | '3.4'
  | '3.10'
  | 'el7'
  | '3.18'
  | '4.1'
  | '4.4'
  | '4.5'
  | '4.6'
  | '4.8'
  | '4.10'
  | '4.13'
  | '4.14'
  | '4.14.9'
  | '4.15'
  | '4.18'
  | '5.1'
  | '5.14'
  | '5.18'
  | '6.3'
  | '6.8'
  | '6.10'
  | '6.15';

/** Highest zone a request may use, as gfp_zone() computes it (ref §3.3); lower zones are fallbacks. */
export type GfpZone = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable' | 'invalid';

/** Free-list type the pages come from (gfp_migratetype; grouping by mobility exists from 2.6.24). */
export type GfpMigrateType = 'Unmovable' | 'Reclaimable' | 'Movable' | 'invalid';

/** Build options some bits depend on (ref §1.1 notes b, c, d). */
export type GfpConfig = 'CONFIG_KMEMCHECK' | 'CONFIG_LOCKDEP' | 'CONFIG_KASAN_HW_TAGS';

/** A `___GFP_*` value; `config` when the bit is non-zero only on kernels built with that option. */
export interface BitDef {
  readonly value: number;
  readonly config?: GfpConfig;
}
/** Bit name without the `__GFP_` prefix → value (or value plus its build option). */
export type BitTable = Readonly<Record<string, number | BitDef>>;

function change(base: BitTable, edit: { drop?: readonly string[]; set?: BitTable }): BitTable {
  const out: Record<string, number | BitDef> = { ...base };
  for (const name of edit.drop ?? []) delete out[name];
  return Object.assign(out, edit.set ?? {});
}

// ---------------------------------------------------------------------------------------------
// Bit tables (ref §1.1, x86/x86_64; include/linux/gfp.h, ≥6.0 include/linux/gfp_types.h)
// ---------------------------------------------------------------------------------------------

// ref §1.1 column 2.6.18 [K2618 include/linux/gfp.h]. DMA32 is 0x04 only on 64-bit arches with a
// DMA32 zone (note a); older 2.6 kernels (2.6.7–2.6.17 reports) are read with this table too.
export const BITS_2618: BitTable = {
  DMA: 0x01,
  HIGHMEM: 0x02,
  DMA32: 0x04,
  WAIT: 0x10,
  HIGH: 0x20,
  IO: 0x40,
  FS: 0x80,
  COLD: 0x100,
  NOWARN: 0x200,
  REPEAT: 0x400,
  NOFAIL: 0x800,
  NORETRY: 0x1000,
  NO_GROW: 0x2000,
  COMP: 0x4000,
  ZERO: 0x8000,
  NOMEMALLOC: 0x10000,
  HARDWALL: 0x20000,
};

// ref §1.1 column 2.6.24 [K2624 gfp.h]: THISNODE, grouping by mobility (RECLAIMABLE, MOVABLE at
// 0x100000); NO_GROW gone.
export const BITS_2624 = change(BITS_2618, {
  drop: ['NO_GROW'],
  set: { THISNODE: 0x40000, RECLAIMABLE: 0x80000, MOVABLE: 0x100000 },
});

// ref §1.1 column 2.6.32–2.6.39 [K2632, K2634, K2637 gfp.h]: MOVABLE moved to 0x08 for the
// GFP_ZONE_TABLE (INFERRED 2.6.31 from ML-2009); NOTRACK only with CONFIG_KMEMCHECK (note b).
export const BITS_2632 = change(BITS_2624, {
  set: { MOVABLE: 0x08, NOTRACK: { value: 0x200000, config: 'CONFIG_KMEMCHECK' } },
});

// ref §1.1 "NO_KSWAPD, OTHER_NODE (2.6.39 only)" [K2639 gfp.h]; both came with THP in 2.6.38
// (INFERRED: absent in K2637). Kept until 3.2: WRITE is absent in K2639, present in K34.
export const BITS_2639 = change(BITS_2632, { set: { NO_KSWAPD: 0x400000, OTHER_NODE: 0x800000 } });

// ref §1.1 column 3.x: WRITE 0x1000000 [K34 gfp.h]. Johannes Weiner's dirty-balancing patch adds
// it and raises __GFP_BITS_SHIFT 24 → 25 (linux-mm thread read via the search index; release
// INFERRED 3.3).
export const BITS_34 = change(BITS_2639, { set: { WRITE: 0x1000000 } });

// ref §1.1 "MEMALLOC (3.10+; not in 3.4)", "KMEMCG (3.10)" [K310 gfp.h]; NOTRACK unconditional
// from here on (note b). MEMALLOC is from 3.6 and KMEMCG from 3.8 (INFERRED); a 3.6/3.7 mask never
// carries 0x100000, so one table serves 3.6–3.15.
export const BITS_310 = change(BITS_34, {
  set: { MEMALLOC: 0x2000, KMEMCG: 0x100000, NOTRACK: 0x200000 },
});

// ref §1.1 "EL7: ACCOUNT" at 0x100000 [EL7 = 3.10.0-1160.el7 gfp.h].
export const BITS_EL7 = change(BITS_310, { drop: ['KMEMCG'], set: { ACCOUNT: 0x100000 } });

// ref §1.1 "unused (3.18)" [K318 gfp.h]: KMEMCG removed (INFERRED 3.16).
export const BITS_318 = change(BITS_310, { drop: ['KMEMCG'] });

// ref §1.1 "NOACCOUNT (4.1, 4.2)" [K41, K42 gfp.h].
export const BITS_41 = change(BITS_318, { set: { NOACCOUNT: 0x100000 } });

// ref §1.1 column 4.4 [K44 gfp.h]: the re-layout. WAIT and NO_KSWAPD are gone, reclaim is two
// bits (DIRECT_RECLAIM 0x400000, KSWAPD_RECLAIM 0x2000000), ATOMIC 0x80000, RECLAIMABLE 0x10.
export const BITS_44: BitTable = {
  DMA: 0x01,
  HIGHMEM: 0x02,
  DMA32: 0x04,
  MOVABLE: 0x08,
  RECLAIMABLE: 0x10,
  HIGH: 0x20,
  IO: 0x40,
  FS: 0x80,
  COLD: 0x100,
  NOWARN: 0x200,
  REPEAT: 0x400,
  NOFAIL: 0x800,
  NORETRY: 0x1000,
  MEMALLOC: 0x2000,
  COMP: 0x4000,
  ZERO: 0x8000,
  NOMEMALLOC: 0x10000,
  HARDWALL: 0x20000,
  THISNODE: 0x40000,
  ATOMIC: 0x80000,
  NOACCOUNT: 0x100000,
  NOTRACK: 0x200000,
  DIRECT_RECLAIM: 0x400000,
  OTHER_NODE: 0x800000,
  WRITE: 0x1000000,
  KSWAPD_RECLAIM: 0x2000000,
};

// ref §1.1 column 4.5–4.9 [K45, K46, K47, K49 gfp.h]: NOACCOUNT → ACCOUNT, same bit.
export const BITS_45 = change(BITS_44, { drop: ['NOACCOUNT'], set: { ACCOUNT: 0x100000 } });

// ref §1.1 column 4.10–4.17 [K410–K417 gfp.h]: OTHER_NODE removed, WRITE 0x800000,
// KSWAPD_RECLAIM 0x1000000; NOLOCKDEP 0x2000000 on lockdep builds from 4.12 (K411 vs K412).
export const BITS_410 = change(BITS_45, {
  drop: ['OTHER_NODE'],
  set: {
    WRITE: 0x800000,
    KSWAPD_RECLAIM: 0x1000000,
    NOLOCKDEP: { value: 0x2000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 "REPEAT (≤4.12) / RETRY_MAYFAIL (4.13+)", same bit [K412 vs K413].
export const BITS_413 = change(BITS_410, { drop: ['REPEAT'], set: { RETRY_MAYFAIL: 0x400 } });

// ref §1.1 "NOTRACK (≤4.14.5) / unused (4.14.67, 4.15+)" [K414a, K414]. The stable release that
// dropped it is INFERRED as 4.14.9 (the kmemcheck removal backported ahead of the PTI series).
export const BITS_4149 = change(BITS_413, { drop: ['NOTRACK'] });

// ref §1.1 "COLD (≤4.14) / unused (4.15+)" [K414 vs K415].
export const BITS_415 = change(BITS_4149, { drop: ['COLD'] });

// ref §1.1 column 4.18–5.0 and EL8 [K418, K419, K420, K50, EL8 gfp.h; ML-2018 "save two stranding
// bit"]: WRITE 0x100, DIRECT_RECLAIM 0x200000, KSWAPD_RECLAIM 0x400000, NOLOCKDEP 0x800000.
export const BITS_418: BitTable = {
  DMA: 0x01,
  HIGHMEM: 0x02,
  DMA32: 0x04,
  MOVABLE: 0x08,
  RECLAIMABLE: 0x10,
  HIGH: 0x20,
  IO: 0x40,
  FS: 0x80,
  WRITE: 0x100,
  NOWARN: 0x200,
  RETRY_MAYFAIL: 0x400,
  NOFAIL: 0x800,
  NORETRY: 0x1000,
  MEMALLOC: 0x2000,
  COMP: 0x4000,
  ZERO: 0x8000,
  NOMEMALLOC: 0x10000,
  HARDWALL: 0x20000,
  THISNODE: 0x40000,
  ATOMIC: 0x80000,
  ACCOUNT: 0x100000,
  DIRECT_RECLAIM: 0x200000,
  KSWAPD_RECLAIM: 0x400000,
  NOLOCKDEP: { value: 0x800000, config: 'CONFIG_LOCKDEP' },
};

// ref §1.1 column 5.1/5.2–6.2 [K52, K53, K54, K510 gfp.h; ML-2019 "shuffle GFP_* flags", release
// INFERRED 5.1].
export const BITS_51: BitTable = {
  DMA: 0x01,
  HIGHMEM: 0x02,
  DMA32: 0x04,
  MOVABLE: 0x08,
  RECLAIMABLE: 0x10,
  HIGH: 0x20,
  IO: 0x40,
  FS: 0x80,
  ZERO: 0x100,
  ATOMIC: 0x200,
  DIRECT_RECLAIM: 0x400,
  KSWAPD_RECLAIM: 0x800,
  WRITE: 0x1000,
  NOWARN: 0x2000,
  RETRY_MAYFAIL: 0x4000,
  NOFAIL: 0x8000,
  NORETRY: 0x10000,
  MEMALLOC: 0x20000,
  COMP: 0x40000,
  NOMEMALLOC: 0x80000,
  HARDWALL: 0x100000,
  THISNODE: 0x200000,
  ACCOUNT: 0x400000,
  NOLOCKDEP: { value: 0x800000, config: 'CONFIG_LOCKDEP' },
};

// ref §1.1 "ZEROTAGS (5.15)", "SKIP_KASAN_POISON (5.15, unconditional)", "NOLOCKDEP (5.15)"
// [K515 gfp.h]. Release INFERRED 5.14 (between K510 and K515).
export const BITS_514 = change(BITS_51, {
  set: {
    ZEROTAGS: 0x800000,
    SKIP_KASAN_POISON: 0x1000000,
    NOLOCKDEP: { value: 0x2000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 6.1 cells [K61 gfp.h]: the KASAN bits exist only with CONFIG_KASAN_HW_TAGS (note d).
// Andrey Konovalov's HW-tags vmalloc series made them conditional (posted Dec 2021 on kasan-dev,
// read via the search index; release INFERRED 5.18).
export const BITS_518 = change(BITS_51, {
  set: {
    ZEROTAGS: 0x800000,
    SKIP_ZERO: { value: 0x1000000, config: 'CONFIG_KASAN_HW_TAGS' },
    SKIP_KASAN_UNPOISON: { value: 0x2000000, config: 'CONFIG_KASAN_HW_TAGS' },
    SKIP_KASAN_POISON: { value: 0x4000000, config: 'CONFIG_KASAN_HW_TAGS' },
    NOLOCKDEP: { value: 0x8000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 column 6.3+ [K66 gfp_types.h]: ATOMIC removed (0x200 unused; 6.3 INFERRED), one
// SKIP_KASAN bit. 6.3–6.5 were not read; the 6.6 values are used for them.
export const BITS_63 = change(BITS_518, {
  drop: ['ATOMIC', 'SKIP_KASAN_UNPOISON', 'SKIP_KASAN_POISON'],
  set: {
    SKIP_KASAN: { value: 0x2000000, config: 'CONFIG_KASAN_HW_TAGS' },
    NOLOCKDEP: { value: 0x4000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 note e [K618 gfp_types.h]: from the enum conversion ("mm: enumerate all gfp flags",
// memory allocation profiling, release INFERRED 6.10) the bits after ZEROTAGS are numbered only
// for configured options (SKIP_ZERO, SKIP_KASAN, NOLOCKDEP, NO_OBJ_EXT), so they have no fixed value.
export const BITS_610 = change(BITS_63, { drop: ['SKIP_ZERO', 'SKIP_KASAN', 'NOLOCKDEP'] });

// ---------------------------------------------------------------------------------------------
// Composite masks (ref §1.2 definitions). A part is a single flag (`__GFP_X`), another composite
// (`GFP_X`, `__GFP_RECLAIM`), or optional (`?…`: counted where the era has it). Bits that exist
// only with a build option count as 0, as in the distribution kernels reports come from.
// ---------------------------------------------------------------------------------------------

export interface CompositeDef {
  readonly name: string;
  readonly of: readonly string[];
  readonly minus?: readonly string[];
}

// ref §1.2 "≤4.3" definitions [K2618, K2632, K34, K310]; GFP_KERNEL_ACCOUNT only where ACCOUNT
// exists (EL7); GFP_TRANSHUGE where NO_KSWAPD exists (2.6.38+).
export const CLASSIC_COMPOSITES: readonly CompositeDef[] = [
  { name: 'GFP_ATOMIC', of: ['__GFP_HIGH'] },
  { name: 'GFP_NOIO', of: ['__GFP_WAIT'] },
  { name: 'GFP_NOFS', of: ['__GFP_WAIT', '__GFP_IO'] },
  { name: 'GFP_KERNEL', of: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS'] },
  { name: 'GFP_KERNEL_ACCOUNT', of: ['GFP_KERNEL', '__GFP_ACCOUNT'] },
  { name: 'GFP_TEMPORARY', of: ['GFP_KERNEL', '__GFP_RECLAIMABLE'] },
  { name: 'GFP_USER', of: ['GFP_KERNEL', '__GFP_HARDWALL'] },
  { name: 'GFP_HIGHUSER', of: ['GFP_USER', '__GFP_HIGHMEM'] },
  { name: 'GFP_HIGHUSER_MOVABLE', of: ['GFP_HIGHUSER', '__GFP_MOVABLE'] },
  {
    name: 'GFP_TRANSHUGE',
    of: [
      'GFP_HIGHUSER_MOVABLE',
      '__GFP_COMP',
      '__GFP_NOMEMALLOC',
      '__GFP_NORETRY',
      '__GFP_NOWARN',
      '__GFP_NO_KSWAPD',
    ],
  },
  { name: 'GFP_DMA', of: ['__GFP_DMA'] },
  { name: 'GFP_DMA32', of: ['__GFP_DMA32'] },
];

// ref §1.2 "≥4.4" definitions [K44, K49, K54, K66]. GFP_ATOMIC lost __GFP_ATOMIC in 6.3;
// GFP_HIGHUSER_MOVABLE has the KASAN skip bits (unconditional only in 5.14–5.17: 0x1100cca);
// TRANSHUGE_LIGHT/TRANSHUGE as in 4.8+ (4.4–4.7 override below).
export const RECLAIM_COMPOSITES: readonly CompositeDef[] = [
  { name: '__GFP_RECLAIM', of: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'] },
  { name: 'GFP_ATOMIC', of: ['__GFP_HIGH', '?__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM'] },
  { name: 'GFP_NOWAIT', of: ['__GFP_KSWAPD_RECLAIM'] },
  { name: 'GFP_NOIO', of: ['__GFP_RECLAIM'] },
  { name: 'GFP_NOFS', of: ['__GFP_RECLAIM', '__GFP_IO'] },
  { name: 'GFP_KERNEL', of: ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS'] },
  { name: 'GFP_KERNEL_ACCOUNT', of: ['GFP_KERNEL', '__GFP_ACCOUNT'] },
  { name: 'GFP_TEMPORARY', of: ['GFP_KERNEL', '__GFP_RECLAIMABLE'] },
  { name: 'GFP_USER', of: ['GFP_KERNEL', '__GFP_HARDWALL'] },
  { name: 'GFP_HIGHUSER', of: ['GFP_USER', '__GFP_HIGHMEM'] },
  {
    name: 'GFP_HIGHUSER_MOVABLE',
    of: [
      'GFP_HIGHUSER',
      '__GFP_MOVABLE',
      '?__GFP_SKIP_KASAN_POISON',
      '?__GFP_SKIP_KASAN_UNPOISON',
      '?__GFP_SKIP_KASAN',
    ],
  },
  {
    name: 'GFP_TRANSHUGE_LIGHT',
    of: ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN'],
    minus: ['__GFP_RECLAIM'],
  },
  { name: 'GFP_TRANSHUGE', of: ['GFP_TRANSHUGE_LIGHT', '__GFP_DIRECT_RECLAIM'] },
  { name: 'GFP_DMA', of: ['__GFP_DMA'] },
  { name: 'GFP_DMA32', of: ['__GFP_DMA32'] },
];

function overrideComposites(
  base: readonly CompositeDef[],
  edits: Readonly<Record<string, CompositeDef | null>>,
): readonly CompositeDef[] {
  return base.flatMap((c) => (c.name in edits ? (edits[c.name] === null ? [] : [edits[c.name]!]) : [c]));
}

// ref §1.2 "4.4 GFP_TRANSHUGE = (HIGHUSER_MOVABLE|COMP|NOMEMALLOC|NORETRY|NOWARN) minus
// KSWAPD_RECLAIM" [K44]; TRANSHUGE_LIGHT is absent from the K46 mmflags.h list (read via the search
// index), present in K49 (release INFERRED 4.8).
export const COMPOSITES_44 = overrideComposites(RECLAIM_COMPOSITES, {
  GFP_TRANSHUGE_LIGHT: null,
  GFP_TRANSHUGE: {
    name: 'GFP_TRANSHUGE',
    of: ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NORETRY', '__GFP_NOWARN'],
    minus: ['__GFP_KSWAPD_RECLAIM'],
  },
});
// ref §1.2 "GFP_TEMPORARY … removed by 4.14", §1.4 "GFP_TEMPORARY(≤4.13)".
export const COMPOSITES_414 = overrideComposites(RECLAIM_COMPOSITES, { GFP_TEMPORARY: null });
// ref §1.1 change points "GFP_NOWAIT now includes __GFP_NOWARN" [K618 vs K66]; commit 16f5dfbc851b
// "gfp: include __GFP_NOWARN in GFP_NOWAIT" (Matthew Wilcox), queued in mm for 6.8 (INFERRED 6.8).
export const COMPOSITES_68 = overrideComposites(COMPOSITES_414, {
  GFP_NOWAIT: { name: 'GFP_NOWAIT', of: ['__GFP_KSWAPD_RECLAIM', '__GFP_NOWARN'] },
});

// ---------------------------------------------------------------------------------------------
// Print order: the greedy walk of lib/vsprintf.c format_flags over __def_gfpflag_names
// (include/trace/events/mmflags.h); entries the era lacks are skipped (ref §1.4).
// ---------------------------------------------------------------------------------------------

// ≤4.5 kernels print no names. Modelled on the 3.x tracepoint table (include/trace/events/
// gfpflags.h: composites, then HIGH, WAIT, IO, COLD … MOVABLE, NOTRACK, NO_KSWAPD, OTHER_NODE; read
// via the search index), completed with the flags it lacks in the 4.6 mmflags.h positions.
export const CLASSIC_PRINT_ORDER: readonly string[] = [
  'GFP_TRANSHUGE',
  'GFP_HIGHUSER_MOVABLE',
  'GFP_HIGHUSER',
  'GFP_USER',
  'GFP_TEMPORARY',
  'GFP_KERNEL_ACCOUNT',
  'GFP_KERNEL',
  'GFP_NOFS',
  'GFP_ATOMIC',
  'GFP_NOIO',
  'GFP_DMA',
  '__GFP_HIGHMEM',
  'GFP_DMA32',
  '__GFP_HIGH',
  '__GFP_WAIT',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_COLD',
  '__GFP_NOWARN',
  '__GFP_REPEAT',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_NO_GROW',
  '__GFP_COMP',
  '__GFP_ZERO',
  '__GFP_NOMEMALLOC',
  '__GFP_MEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_RECLAIMABLE',
  '__GFP_MOVABLE',
  '__GFP_KMEMCG',
  '__GFP_NOACCOUNT',
  '__GFP_ACCOUNT',
  '__GFP_NOTRACK',
  '__GFP_NO_KSWAPD',
  '__GFP_OTHER_NODE',
  '__GFP_WRITE',
];

// 4.6–6.14 __def_gfpflag_names, read via the search index in a 4.6.2 tree, a 4.9–4.13 and a
// 4.14+ mmflags.h, and 5.18/6.1-era patches: composites, GFP_DMA, __GFP_HIGHMEM, GFP_DMA32, then
// single flags, __GFP_RECLAIM and the two reclaim bits, OTHER_NODE (4.6–4.9), ZEROTAGS and the KASAN
// bits. __GFP_NOLOCKDEP is not in the list, so it prints as a hex leftover. 4.4/4.5 print nothing
// but use this order (their gfpflags.h already had the 4.4 names).
export const MMFLAGS_46_PRINT_ORDER: readonly string[] = [
  'GFP_TRANSHUGE',
  'GFP_TRANSHUGE_LIGHT',
  'GFP_HIGHUSER_MOVABLE',
  'GFP_HIGHUSER',
  'GFP_USER',
  'GFP_TEMPORARY',
  'GFP_KERNEL_ACCOUNT',
  'GFP_KERNEL',
  'GFP_NOFS',
  'GFP_ATOMIC',
  'GFP_NOIO',
  'GFP_NOWAIT',
  'GFP_DMA',
  '__GFP_HIGHMEM',
  'GFP_DMA32',
  '__GFP_HIGH',
  '__GFP_ATOMIC',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_COLD',
  '__GFP_NOWARN',
  '__GFP_REPEAT',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_COMP',
  '__GFP_ZERO',
  '__GFP_NOMEMALLOC',
  '__GFP_MEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_RECLAIMABLE',
  '__GFP_MOVABLE',
  '__GFP_NOACCOUNT',
  '__GFP_ACCOUNT',
  '__GFP_NOTRACK',
  '__GFP_WRITE',
  '__GFP_RECLAIM',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_OTHER_NODE',
  '__GFP_ZEROTAGS',
  '__GFP_SKIP_ZERO',
  '__GFP_SKIP_KASAN_POISON',
  '__GFP_SKIP_KASAN_UNPOISON',
  '__GFP_SKIP_KASAN',
];

// 6.15+: "tracing: gfp: Remove duplication of recording GFP flags" (Steven Rostedt, for-next March
// 2025, read via the search index; release INFERRED 6.15) builds the single flags from
// TRACE_GFP_FLAGS, i.e. in bit order, after __GFP_RECLAIM [K618 and current mainline mmflags.h].
export const TRACE_GFP_615_PRINT_ORDER: readonly string[] = [
  'GFP_TRANSHUGE',
  'GFP_TRANSHUGE_LIGHT',
  'GFP_HIGHUSER_MOVABLE',
  'GFP_HIGHUSER',
  'GFP_USER',
  'GFP_KERNEL_ACCOUNT',
  'GFP_KERNEL',
  'GFP_NOFS',
  'GFP_ATOMIC',
  'GFP_NOIO',
  'GFP_NOWAIT',
  'GFP_DMA',
  'GFP_DMA32',
  '__GFP_RECLAIM',
  '__GFP_DMA',
  '__GFP_HIGHMEM',
  '__GFP_DMA32',
  '__GFP_MOVABLE',
  '__GFP_RECLAIMABLE',
  '__GFP_HIGH',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_ZERO',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_WRITE',
  '__GFP_NOWARN',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_MEMALLOC',
  '__GFP_COMP',
  '__GFP_NOMEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_ACCOUNT',
  '__GFP_ZEROTAGS',
];

// ---------------------------------------------------------------------------------------------
// Zones (ref §3.3): index = DMA 1 | HIGHMEM 2 | DMA32 4 | MOVABLE 8.
// ---------------------------------------------------------------------------------------------

// 2.6.31+ GFP_ZONE_TABLE (ref §3.3; comment in include/linux/gfp.h, K618): 0x9 and 0xc keep
// DMA/DMA32 (Movable only counts together with HighMem); every other multi-zone mix is BAD.
// prettier-ignore
export const ZONE_TABLE: readonly GfpZone[] = [
  'Normal', 'DMA', 'HighMem', 'invalid', 'DMA32', 'invalid', 'invalid', 'invalid',
  'Normal', 'DMA', 'Movable', 'invalid', 'DMA32', 'invalid', 'invalid', 'invalid',
];

// ≤2.6.30 gfp_zone() tests bits in priority order: DMA, DMA32, HIGHMEM+MOVABLE, HIGHMEM, Normal
// [K2624 include/linux/gfp.h]; no combination is rejected.
// prettier-ignore
export const ZONE_PRIORITY: readonly GfpZone[] = [
  'Normal', 'DMA', 'HighMem', 'DMA', 'DMA32', 'DMA', 'DMA32', 'DMA',
  'Normal', 'DMA', 'Movable', 'DMA', 'DMA32', 'DMA', 'DMA32', 'DMA',
];

// ---------------------------------------------------------------------------------------------
// Allocator flags of the slow path (ref §3.1) and the watermark reduction they buy (ref §3.2).
// A condition holds when all `present` bits are set and none of the `absent` bits is.
// ---------------------------------------------------------------------------------------------

export interface BitCondition {
  readonly present?: readonly string[];
  readonly absent?: readonly string[];
}

export interface AllocModel {
  readonly source: string;
  readonly highName: 'ALLOC_HIGH' | 'ALLOC_MIN_RESERVE';
  readonly harderName: 'ALLOC_HARDER' | 'ALLOC_NON_BLOCK';
  readonly harder: BitCondition;
  /** ALLOC_CPUSET dropped (cpuset mems ignored). */
  readonly ignoresCpuset: BitCondition;
  /** Who may use MIGRATE_HIGHATOMIC blocks: none (≤4.3), ALLOC_HARDER (4.4–6.2), ALLOC_HIGHATOMIC. */
  readonly highAtomic: 'none' | 'harder' | 'non-block-order>0';
  /** min -= min/4 needs ALLOC_HIGH too (6.3+) or not (≤6.2). */
  readonly quarterNeedsHigh: boolean;
  readonly rtTask: string;
}

export const ALLOC_2618: AllocModel = {
  source: 'ref §3.1 2.6.18 [K2618 __alloc_pages]',
  highName: 'ALLOC_HIGH',
  harderName: 'ALLOC_HARDER',
  harder: { absent: ['WAIT'] },
  ignoresCpuset: { absent: ['WAIT'] },
  highAtomic: 'none',
  quarterNeedsHigh: false,
  rtTask: 'a real-time task (not in interrupt) also gets ALLOC_HARDER',
};
export const ALLOC_2632: AllocModel = { ...ALLOC_2618, source: 'ref §3.1 2.6.32 [K2632 gfp_to_alloc_flags]' };
export const ALLOC_3X: AllocModel = {
  ...ALLOC_2618,
  source: 'ref §3.1 3.x [K310 gfp_to_alloc_flags]',
  harder: { absent: ['WAIT', 'NO_KSWAPD', 'NOMEMALLOC'] },
  ignoresCpuset: { absent: ['WAIT', 'NO_KSWAPD'] },
};
export const ALLOC_44: AllocModel = {
  ...ALLOC_2618,
  source: 'ref §3.1 4.4–6.2 [K44, K54, K515 gfp_to_alloc_flags; §3.2 __zone_watermark_ok]',
  harder: { present: ['ATOMIC'], absent: ['NOMEMALLOC'] },
  ignoresCpuset: { present: ['ATOMIC'] },
  highAtomic: 'harder',
};
export const ALLOC_63: AllocModel = {
  source: 'ref §3.1 6.3+ [K66, K618 gfp_to_alloc_flags; §3.2 __zone_watermark_ok]',
  highName: 'ALLOC_MIN_RESERVE',
  harderName: 'ALLOC_NON_BLOCK',
  harder: { absent: ['DIRECT_RECLAIM', 'NOMEMALLOC'] },
  ignoresCpuset: { present: ['HIGH'], absent: ['DIRECT_RECLAIM'] },
  highAtomic: 'non-block-order>0',
  quarterNeedsHigh: true,
  rtTask: 'a real-time task in task context also gets ALLOC_MIN_RESERVE',
};

// ---------------------------------------------------------------------------------------------
// Plausibility (ref §1.3 "Plausibility rule for era detection").
// ---------------------------------------------------------------------------------------------

export interface MaskRule {
  /** The rule applies when any of these bits is set (always when absent). */
  readonly whenAny?: readonly string[];
  /** … and then at least one of these must be set. */
  readonly requireAny: readonly string[];
  /** Masks containing all bits of one of these composites are exempt. */
  readonly exempt?: readonly string[];
  readonly severity: 'implausible' | 'unusual';
  readonly reason: string;
}

export const CLASSIC_RULES: readonly MaskRule[] = [
  {
    whenAny: ['IO', 'FS'],
    requireAny: ['WAIT'],
    severity: 'implausible',
    reason:
      'has __GFP_IO/__GFP_FS but no __GFP_WAIT (0x10): every sleeping mask of this era carries __GFP_WAIT ' +
      '(Linux 4.4 include/linux/gfp.h: __GFP_WAIT became __GFP_DIRECT_RECLAIM); probably a 4.4+ mask read with the wrong era',
  },
  {
    requireAny: ['WAIT', 'HIGH'],
    severity: 'unusual',
    reason: 'neither __GFP_WAIT nor __GFP_HIGH: only GFP_NOWAIT-style requests look like this',
  },
  // Derived from the callers, not from a kernel table (INFERRED): __GFP_WRITE is set only by the
  // page-cache write path (grab_cache_page_write_begin), which sleeps; __GFP_NOFAIL is for requests
  // that can wait. Soft: they only break ties when guessing the era.
  {
    whenAny: ['WRITE'],
    requireAny: ['WAIT'],
    severity: 'unusual',
    reason: '__GFP_WRITE without __GFP_WAIT: page-cache write allocations always may sleep',
  },
  {
    whenAny: ['NOFAIL'],
    requireAny: ['WAIT'],
    severity: 'unusual',
    reason: '__GFP_NOFAIL without __GFP_WAIT: a must-not-fail request that cannot sleep',
  },
  // From the callers (INFERRED): 2.6.38–4.3 set __GFP_NO_KSWAPD only in opportunistic requests that
  // also give up early: GFP_TRANSHUGE (K310 include/linux/gfp.h), i915_gem_object_get_pages_gtt,
  // ion_system_heap, mtd_kmalloc_up_to, all with __GFP_NORETRY.
  {
    whenAny: ['NO_KSWAPD'],
    requireAny: ['NORETRY'],
    severity: 'unusual',
    reason: '__GFP_NO_KSWAPD without __GFP_NORETRY: its users (THP, i915, ion, mtd) all set both',
  },
];
export const RECLAIM_RULES: readonly MaskRule[] = [
  {
    requireAny: ['KSWAPD_RECLAIM'],
    exempt: ['GFP_TRANSHUGE_LIGHT', 'GFP_TRANSHUGE'],
    severity: 'implausible',
    reason:
      'no __GFP_KSWAPD_RECLAIM: every standard 4.4+ GFP_* mask except GFP_TRANSHUGE* and 0 carries it ' +
      '(Linux 4.4 include/linux/gfp.h); probably a mask of another era',
  },
  {
    whenAny: ['NOFAIL'],
    requireAny: ['DIRECT_RECLAIM'],
    severity: 'unusual',
    reason: '__GFP_NOFAIL without __GFP_DIRECT_RECLAIM: a must-not-fail request that cannot sleep',
  },
];

export const CONFIG_NOTES: Readonly<Record<GfpConfig, { implausible: boolean; text: string }>> = {
  // ref §1.1 note b: slab pages carry NOTRACK whenever it is non-zero; the reference counts
  // 0x204010 as a normal 2.6.32+/3.x mask, so this is a note, not a verdict.
  CONFIG_KMEMCHECK: {
    implausible: false,
    text: 'is non-zero in this era only on CONFIG_KMEMCHECK kernels (include/linux/gfp.h ___GFP_NOTRACK)',
  },
  CONFIG_LOCKDEP: {
    implausible: true,
    text: 'exists only on CONFIG_LOCKDEP (debug) kernels (include/linux/gfp.h ___GFP_NOLOCKDEP)',
  },
  CONFIG_KASAN_HW_TAGS: {
    implausible: true,
    text: 'exists only on CONFIG_KASAN_HW_TAGS (arm64 MTE) kernels (include/linux/gfp_types.h ___GFP_SKIP_KASAN)',
  },
};

/** The GFP layout of a kernel era: what a mask means on it. The timeline (eras.ts) writes each as
 * what changed from the one before, so a field left out is the previous layout's. */
export interface GfpLayout {
  readonly era: GfpEra;
  /** Releases the layout covers, e.g. "4.10–4.12" (shown in the era's reasons). */
  readonly label: string;
  /** The release it was read from: dates a report whose layout is known but not its release
   * (ref §1.5 step 4). */
  readonly readFrom: KernelVersion;
  readonly bits: BitTable;
  /** __GFP_BITS_SHIFT with every optional bit configured (ref §1.1 last row). */
  readonly bitsShift: number;
  /** Bits from here up are numbered per build configuration (6.10+, ref §1.1 note e). */
  readonly configNumberedFrom?: number;
  readonly composites: readonly CompositeDef[];
  readonly printOrder: readonly string[];
  /** gfp_zone()'s answer per zone-modifier combination (ref §3.3). */
  readonly zones: readonly GfpZone[];
  readonly alloc: AllocModel;
  readonly rules: readonly MaskRule[];
  /** Tie-break when guessing: how common reports from this era are (distro/LTS kernels). */
  readonly prior: number;
  readonly notes: readonly string[];
}
