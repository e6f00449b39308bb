// GFP masks per kernel era: bit tables, composite masks in the kernel's own print order, and the
// decoding a report needs (names, zone, reclaim, allocator flags, plausibility).
//
// Everything kernel-specific is a table below; the functions only walk tables. Sources are the
// sections of ../shared/reference/kernel-memory.md ("ref §…") and the kernel-tree labels it defines
// (K2618 … K618, EL7, EL8, ML-2018 …). Facts the reference marks INFERRED, and the few checked
// here against public kernel sources and linux-mm threads, say so where they are used.

import type { KernelVersion } from './kernel-version';
import { gfpLayoutFor } from './kernel/eras';

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
type GfpConfig = 'CONFIG_KMEMCHECK' | 'CONFIG_LOCKDEP' | 'CONFIG_KASAN_HW_TAGS';

/** A `___GFP_*` value; `config` when the bit is non-zero only on kernels built with that option. */
interface BitDef {
  readonly value: number;
  readonly config?: GfpConfig;
}
/** Bit name without the `__GFP_` prefix → value (or value plus its build option). */
type BitTable = Readonly<Record<string, number | BitDef>>;

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
const BITS_2618: BitTable = {
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
const BITS_2624 = change(BITS_2618, {
  drop: ['NO_GROW'],
  set: { THISNODE: 0x40000, RECLAIMABLE: 0x80000, MOVABLE: 0x100000 },
});

// ref §1.1 column 2.6.32–2.6.39 [K2632, K2634, K2637 gfp.h]: MOVABLE moved to 0x08 for the
// GFP_ZONE_TABLE (INFERRED 2.6.31 from ML-2009); NOTRACK only with CONFIG_KMEMCHECK (note b).
const BITS_2632 = change(BITS_2624, {
  set: { MOVABLE: 0x08, NOTRACK: { value: 0x200000, config: 'CONFIG_KMEMCHECK' } },
});

// ref §1.1 "NO_KSWAPD, OTHER_NODE (2.6.39 only)" [K2639 gfp.h]; both came with THP in 2.6.38
// (INFERRED: absent in K2637). Kept until 3.2: WRITE is absent in K2639, present in K34.
const BITS_2639 = change(BITS_2632, { set: { NO_KSWAPD: 0x400000, OTHER_NODE: 0x800000 } });

// ref §1.1 column 3.x: WRITE 0x1000000 [K34 gfp.h]. Johannes Weiner's dirty-balancing patch adds
// it and raises __GFP_BITS_SHIFT 24 → 25 (linux-mm thread read via the search index; release
// INFERRED 3.3).
const BITS_34 = change(BITS_2639, { set: { WRITE: 0x1000000 } });

// ref §1.1 "MEMALLOC (3.10+; not in 3.4)", "KMEMCG (3.10)" [K310 gfp.h]; NOTRACK unconditional
// from here on (note b). MEMALLOC is from 3.6 and KMEMCG from 3.8 (INFERRED); a 3.6/3.7 mask never
// carries 0x100000, so one table serves 3.6–3.15.
const BITS_310 = change(BITS_34, {
  set: { MEMALLOC: 0x2000, KMEMCG: 0x100000, NOTRACK: 0x200000 },
});

// ref §1.1 "EL7: ACCOUNT" at 0x100000 [EL7 = 3.10.0-1160.el7 gfp.h].
const BITS_EL7 = change(BITS_310, { drop: ['KMEMCG'], set: { ACCOUNT: 0x100000 } });

// ref §1.1 "unused (3.18)" [K318 gfp.h]: KMEMCG removed (INFERRED 3.16).
const BITS_318 = change(BITS_310, { drop: ['KMEMCG'] });

// ref §1.1 "NOACCOUNT (4.1, 4.2)" [K41, K42 gfp.h].
const BITS_41 = change(BITS_318, { set: { NOACCOUNT: 0x100000 } });

// ref §1.1 column 4.4 [K44 gfp.h]: the re-layout. WAIT and NO_KSWAPD are gone, reclaim is two
// bits (DIRECT_RECLAIM 0x400000, KSWAPD_RECLAIM 0x2000000), ATOMIC 0x80000, RECLAIMABLE 0x10.
const BITS_44: BitTable = {
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
const BITS_45 = change(BITS_44, { drop: ['NOACCOUNT'], set: { ACCOUNT: 0x100000 } });

// ref §1.1 column 4.10–4.17 [K410–K417 gfp.h]: OTHER_NODE removed, WRITE 0x800000,
// KSWAPD_RECLAIM 0x1000000; NOLOCKDEP 0x2000000 on lockdep builds from 4.12 (K411 vs K412).
const BITS_410 = change(BITS_45, {
  drop: ['OTHER_NODE'],
  set: {
    WRITE: 0x800000,
    KSWAPD_RECLAIM: 0x1000000,
    NOLOCKDEP: { value: 0x2000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 "REPEAT (≤4.12) / RETRY_MAYFAIL (4.13+)", same bit [K412 vs K413].
const BITS_413 = change(BITS_410, { drop: ['REPEAT'], set: { RETRY_MAYFAIL: 0x400 } });

// ref §1.1 "NOTRACK (≤4.14.5) / unused (4.14.67, 4.15+)" [K414a, K414]. The stable release that
// dropped it is INFERRED as 4.14.9 (the kmemcheck removal backported ahead of the PTI series).
const BITS_4149 = change(BITS_413, { drop: ['NOTRACK'] });

// ref §1.1 "COLD (≤4.14) / unused (4.15+)" [K414 vs K415].
const BITS_415 = change(BITS_4149, { drop: ['COLD'] });

// ref §1.1 column 4.18–5.0 and EL8 [K418, K419, K420, K50, EL8 gfp.h; ML-2018 "save two stranding
// bit"]: WRITE 0x100, DIRECT_RECLAIM 0x200000, KSWAPD_RECLAIM 0x400000, NOLOCKDEP 0x800000.
const BITS_418: BitTable = {
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
const BITS_51: BitTable = {
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
const BITS_514 = change(BITS_51, {
  set: {
    ZEROTAGS: 0x800000,
    SKIP_KASAN_POISON: 0x1000000,
    NOLOCKDEP: { value: 0x2000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 6.1 cells [K61 gfp.h]: the KASAN bits exist only with CONFIG_KASAN_HW_TAGS (note d).
// Andrey Konovalov's HW-tags vmalloc series made them conditional (posted Dec 2021 on kasan-dev,
// read via the search index; release INFERRED 5.18).
const BITS_518 = change(BITS_51, {
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
const BITS_63 = change(BITS_518, {
  drop: ['ATOMIC', 'SKIP_KASAN_UNPOISON', 'SKIP_KASAN_POISON'],
  set: {
    SKIP_KASAN: { value: 0x2000000, config: 'CONFIG_KASAN_HW_TAGS' },
    NOLOCKDEP: { value: 0x4000000, config: 'CONFIG_LOCKDEP' },
  },
});

// ref §1.1 note e [K618 gfp_types.h]: from the enum conversion ("mm: enumerate all gfp flags",
// memory allocation profiling, release INFERRED 6.10) the bits after ZEROTAGS are numbered only
// for configured options (SKIP_ZERO, SKIP_KASAN, NOLOCKDEP, NO_OBJ_EXT), so they have no fixed value.
const BITS_610 = change(BITS_63, { drop: ['SKIP_ZERO', 'SKIP_KASAN', 'NOLOCKDEP'] });

// ---------------------------------------------------------------------------------------------
// Composite masks (ref §1.2 definitions). A part is a single flag (`__GFP_X`), another composite
// (`GFP_X`, `__GFP_RECLAIM`), or optional (`?…`: counted where the era has it). Bits that exist
// only with a build option count as 0, as in the distribution kernels reports come from.
// ---------------------------------------------------------------------------------------------

interface CompositeDef {
  readonly name: string;
  readonly of: readonly string[];
  readonly minus?: readonly string[];
}

// ref §1.2 "≤4.3" definitions [K2618, K2632, K34, K310]; GFP_KERNEL_ACCOUNT only where ACCOUNT
// exists (EL7); GFP_TRANSHUGE where NO_KSWAPD exists (2.6.38+).
const CLASSIC_COMPOSITES: readonly CompositeDef[] = [
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
const RECLAIM_COMPOSITES: readonly CompositeDef[] = [
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
const COMPOSITES_44 = overrideComposites(RECLAIM_COMPOSITES, {
  GFP_TRANSHUGE_LIGHT: null,
  GFP_TRANSHUGE: {
    name: 'GFP_TRANSHUGE',
    of: ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NORETRY', '__GFP_NOWARN'],
    minus: ['__GFP_KSWAPD_RECLAIM'],
  },
});
// ref §1.2 "GFP_TEMPORARY … removed by 4.14", §1.4 "GFP_TEMPORARY(≤4.13)".
const COMPOSITES_414 = overrideComposites(RECLAIM_COMPOSITES, { GFP_TEMPORARY: null });
// ref §1.1 change points "GFP_NOWAIT now includes __GFP_NOWARN" [K618 vs K66]; commit 16f5dfbc851b
// "gfp: include __GFP_NOWARN in GFP_NOWAIT" (Matthew Wilcox), queued in mm for 6.8 (INFERRED 6.8).
const COMPOSITES_68 = overrideComposites(COMPOSITES_414, {
  GFP_NOWAIT: { name: 'GFP_NOWAIT', of: ['__GFP_KSWAPD_RECLAIM', '__GFP_NOWARN'] },
});

// ---------------------------------------------------------------------------------------------
// Print order: the greedy walk of lib/vsprintf.c format_flags over __def_gfpflag_names
// (include/trace/events/mmflags.h); entries the era lacks are skipped (ref §1.4).
// ---------------------------------------------------------------------------------------------

// ≤4.5 kernels print no names. Modelled on the 3.x tracepoint table (include/trace/events/
// gfpflags.h: composites, then HIGH, WAIT, IO, COLD … MOVABLE, NOTRACK, NO_KSWAPD, OTHER_NODE; read
// via the search index), completed with the flags it lacks in the 4.6 mmflags.h positions.
const CLASSIC_PRINT_ORDER: readonly string[] = [
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
const MMFLAGS_46_PRINT_ORDER: readonly string[] = [
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
const TRACE_GFP_615_PRINT_ORDER: readonly string[] = [
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
const ZONE_TABLE: readonly GfpZone[] = [
  'Normal', 'DMA', 'HighMem', 'invalid', 'DMA32', 'invalid', 'invalid', 'invalid',
  'Normal', 'DMA', 'Movable', 'invalid', 'DMA32', 'invalid', 'invalid', 'invalid',
];

// ≤2.6.30 gfp_zone() tests bits in priority order: DMA, DMA32, HIGHMEM+MOVABLE, HIGHMEM, Normal
// [K2624 include/linux/gfp.h]; no combination is rejected.
// prettier-ignore
const ZONE_PRIORITY: readonly GfpZone[] = [
  'Normal', 'DMA', 'HighMem', 'DMA', 'DMA32', 'DMA', 'DMA32', 'DMA',
  'Normal', 'DMA', 'Movable', 'DMA', 'DMA32', 'DMA', 'DMA32', 'DMA',
];

// ---------------------------------------------------------------------------------------------
// Allocator flags of the slow path (ref §3.1) and the watermark reduction they buy (ref §3.2).
// A condition holds when all `present` bits are set and none of the `absent` bits is.
// ---------------------------------------------------------------------------------------------

interface BitCondition {
  readonly present?: readonly string[];
  readonly absent?: readonly string[];
}

interface AllocModel {
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

const ALLOC_2618: AllocModel = {
  source: 'ref §3.1 2.6.18 [K2618 __alloc_pages]',
  highName: 'ALLOC_HIGH',
  harderName: 'ALLOC_HARDER',
  harder: { absent: ['WAIT'] },
  ignoresCpuset: { absent: ['WAIT'] },
  highAtomic: 'none',
  quarterNeedsHigh: false,
  rtTask: 'a real-time task (not in interrupt) also gets ALLOC_HARDER',
};
const ALLOC_2632: AllocModel = { ...ALLOC_2618, source: 'ref §3.1 2.6.32 [K2632 gfp_to_alloc_flags]' };
const ALLOC_3X: AllocModel = {
  ...ALLOC_2618,
  source: 'ref §3.1 3.x [K310 gfp_to_alloc_flags]',
  harder: { absent: ['WAIT', 'NO_KSWAPD', 'NOMEMALLOC'] },
  ignoresCpuset: { absent: ['WAIT', 'NO_KSWAPD'] },
};
const ALLOC_44: AllocModel = {
  ...ALLOC_2618,
  source: 'ref §3.1 4.4–6.2 [K44, K54, K515 gfp_to_alloc_flags; §3.2 __zone_watermark_ok]',
  harder: { present: ['ATOMIC'], absent: ['NOMEMALLOC'] },
  ignoresCpuset: { present: ['ATOMIC'] },
  highAtomic: 'harder',
};
const ALLOC_63: AllocModel = {
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

interface MaskRule {
  /** The rule applies when any of these bits is set (always when absent). */
  readonly whenAny?: readonly string[];
  /** … and then at least one of these must be set. */
  readonly requireAny: readonly string[];
  /** Masks containing all bits of one of these composites are exempt. */
  readonly exempt?: readonly string[];
  readonly severity: 'implausible' | 'unusual';
  readonly reason: string;
}

const CLASSIC_RULES: readonly MaskRule[] = [
  {
    whenAny: ['IO', 'FS'],
    requireAny: ['WAIT'],
    severity: 'implausible',
    reason:
      'has __GFP_IO/__GFP_FS but no __GFP_WAIT (0x10): every sleeping mask of this era carries __GFP_WAIT ' +
      '(ref §1.3); probably a 4.4+ mask read with the wrong era',
  },
  {
    requireAny: ['WAIT', 'HIGH'],
    severity: 'unusual',
    reason: 'neither __GFP_WAIT nor __GFP_HIGH: only GFP_NOWAIT-style requests look like this (ref §1.3)',
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
];
const RECLAIM_RULES: readonly MaskRule[] = [
  {
    requireAny: ['KSWAPD_RECLAIM'],
    exempt: ['GFP_TRANSHUGE_LIGHT', 'GFP_TRANSHUGE'],
    severity: 'implausible',
    reason:
      'no __GFP_KSWAPD_RECLAIM: every standard 4.4+ GFP_* mask except GFP_TRANSHUGE* and 0 carries it ' +
      '(ref §1.3); probably a mask of another era',
  },
  {
    whenAny: ['NOFAIL'],
    requireAny: ['DIRECT_RECLAIM'],
    severity: 'unusual',
    reason: '__GFP_NOFAIL without __GFP_DIRECT_RECLAIM: a must-not-fail request that cannot sleep',
  },
];

const CONFIG_NOTES: Readonly<Record<GfpConfig, { implausible: boolean; text: string }>> = {
  // ref §1.1 note b: slab pages carry NOTRACK whenever it is non-zero; the reference counts
  // 0x204010 as a normal 2.6.32+/3.x mask, so this is a note, not a verdict.
  CONFIG_KMEMCHECK: {
    implausible: false,
    text: 'is non-zero in this era only on CONFIG_KMEMCHECK kernels (ref §1.1 note b)',
  },
  CONFIG_LOCKDEP: {
    implausible: true,
    text: 'exists only on CONFIG_LOCKDEP (debug) kernels (ref §1.1 note c)',
  },
  CONFIG_KASAN_HW_TAGS: {
    implausible: true,
    text: 'exists only on CONFIG_KASAN_HW_TAGS (arm64 MTE) kernels (ref §1.1 note d)',
  },
};

// ---------------------------------------------------------------------------------------------
// The eras.
// ---------------------------------------------------------------------------------------------

type ReportShape = 'period' | 'colon';

type EraStep = Partial<EraSpec> & Pick<EraSpec, 'era' | 'label' | 'source'>;

function eraSequence(steps: readonly EraStep[]): EraSpec[] {
  const eras: EraSpec[] = [];
  for (const step of steps) eras.push({ ...eras[eras.length - 1], ...step } as EraSpec);
  return eras;
}

interface EraSpec {
  readonly era: GfpEra;
  readonly label: string;
  readonly source: string;
  readonly bits: BitTable;
  /** __GFP_BITS_SHIFT with every optional bit configured (ref §1.1 last row). */
  readonly bitsShift: number;
  /** Bits from here up are numbered per build configuration (6.10+, ref §1.1 note e). */
  readonly configNumberedFrom?: number;
  readonly composites: readonly CompositeDef[];
  readonly printOrder: readonly string[];
  /** The failure/OOM/SLUB headers print `(names)` after the mask (4.6+, ref §1.4). */
  readonly printsNames: boolean;
  /** Header shapes of `page allocation failure` seen in the era (ref §2.1; colon style INFERRED 3.0). */
  readonly shapes: readonly ReportShape[];
  /** Buddy-line migrate letters: none, `UEM…R` (3.10–4.3) or `UME…H` (4.4+) (ref §2.7). */
  readonly buddyLetters: 'none' | 'old' | 'new';
  /** `boost:` in zone lines (5.17+, ref §2.5): never, possible (5.14–5.17), always. */
  readonly boost: 'no' | 'partly' | 'yes';
  readonly zones: readonly GfpZone[];
  readonly alloc: AllocModel;
  readonly rules: readonly MaskRule[];
  /** Tie-break when guessing: how common reports from this era are (distro/LTS kernels). */
  readonly prior: number;
  readonly notes: readonly string[];
}

/** The eras in order, each written as what changed from the one before it (the first is whole):
 * a field left out is the previous era's. The release each starts at is its row in the kernel
 * timeline (kernel/eras.ts), which test/core/eras.test.ts keeps in this order. */
const ERA_SPECS: readonly EraSpec[] = eraSequence([
  {
    era: '2.6.18',
    label: '2.6.x up to 2.6.18',
    source: 'ref §1.1 column 2.6.18 [K2618 include/linux/gfp.h]',
    bits: BITS_2618,
    bitsShift: 20,
    composites: CLASSIC_COMPOSITES,
    printOrder: CLASSIC_PRINT_ORDER,
    printsNames: false,
    shapes: ['period'],
    buddyLetters: 'none',
    boost: 'no',
    zones: ZONE_PRIORITY,
    alloc: ALLOC_2618,
    rules: CLASSIC_RULES,
    prior: 5,
    notes: ['kernels before 2.6.18 (2.6.7–2.6.17) are read with the 2.6.18 table'],
  },
  {
    era: '2.6.24',
    label: '2.6.19–2.6.30',
    source: 'ref §1.1 column 2.6.24 [K2624 include/linux/gfp.h]',
    bits: BITS_2624,
    bitsShift: 21,
    prior: 2,
    notes: ['2.6.19–2.6.23 and 2.6.25–2.6.30 were not read; the 2.6.24 layout is used for them (INFERRED)'],
  },
  {
    era: '2.6.32',
    label: '2.6.31–2.6.37',
    source: 'ref §1.1 column 2.6.32–2.6.39 [K2632, K2634, K2637 include/linux/gfp.h]',
    bits: BITS_2632,
    bitsShift: 22,
    zones: ZONE_TABLE,
    alloc: ALLOC_2632,
    prior: 9,
    notes: [],
  },
  {
    era: '2.6.39',
    label: '2.6.38–3.2',
    source: 'ref §1.1 column 2.6.32–2.6.39 "2.6.39 only" cells [K2639 include/linux/gfp.h]',
    bits: BITS_2639,
    // ref §1.1 reads 23 in K2639, which would leave OTHER_NODE (0x800000) outside the mask; the
    // __GFP_WRITE patch context shows 24 before it. 24 keeps every defined bit inside.
    bitsShift: 24,
    shapes: ['period', 'colon'],
    alloc: ALLOC_3X,
    prior: 3,
  },
  {
    era: '3.4',
    label: '3.3–3.5',
    source: 'ref §1.1 column 3.x–4.3 [K34 include/linux/gfp.h]',
    bits: BITS_34,
    bitsShift: 25,
    shapes: ['colon'],
    prior: 4,
  },
  {
    era: '3.10',
    label: '3.6–3.15',
    source: 'ref §1.1 column 3.x–4.3 [K310 include/linux/gfp.h]',
    bits: BITS_310,
    buddyLetters: 'old',
    prior: 7,
  },
  {
    era: 'el7',
    label: 'RHEL 7 (3.10.0-*.el7)',
    source: 'ref §1.1 "EL7: ACCOUNT" [EL7 = 3.10.0-1160.el7 include/linux/gfp.h]',
    bits: BITS_EL7,
    prior: 6,
  },
  {
    era: '3.18',
    label: '3.16–4.0',
    source: 'ref §1.1 column 3.x–4.3 [K318 include/linux/gfp.h]',
    bits: BITS_318,
    prior: 5,
  },
  {
    era: '4.1',
    label: '4.1–4.3',
    source: 'ref §1.1 column 3.x–4.3 [K41, K42 include/linux/gfp.h]',
    bits: BITS_41,
    prior: 3,
  },
  {
    era: '4.4',
    label: '4.4',
    source: 'ref §1.1 column 4.4 [K44 include/linux/gfp.h]',
    bits: BITS_44,
    bitsShift: 26,
    composites: COMPOSITES_44,
    printOrder: MMFLAGS_46_PRINT_ORDER,
    buddyLetters: 'new',
    alloc: ALLOC_44,
    rules: RECLAIM_RULES,
    prior: 6,
  },
  {
    era: '4.5',
    label: '4.5',
    source: 'ref §1.1 column 4.5–4.9 [K45 include/linux/gfp.h]',
    bits: BITS_45,
    prior: 1,
  },
  {
    era: '4.6',
    label: '4.6–4.7',
    source: 'ref §1.1 column 4.5–4.9 [K46, K47 include/linux/gfp.h]; names ref §1.4 [K46 mmflags.h]',
    printsNames: true,
    prior: 2,
  },
  {
    era: '4.8',
    label: '4.8–4.9',
    source: 'ref §1.1 column 4.5–4.9 [K49 include/linux/gfp.h]; ref §1.2 TRANSHUGE_LIGHT [K49]',
    composites: RECLAIM_COMPOSITES,
    prior: 5,
  },
  {
    era: '4.10',
    label: '4.10–4.12',
    source: 'ref §1.1 column 4.10–4.17 [K410, K411, K412 include/linux/gfp.h]',
    bits: BITS_410,
    prior: 2,
  },
  {
    era: '4.13',
    label: '4.13',
    source: 'ref §1.1 column 4.10–4.17 [K413 include/linux/gfp.h]',
    bits: BITS_413,
    prior: 1,
  },
  {
    era: '4.14',
    label: '4.14.0–4.14.8',
    source: 'ref §1.1 column 4.10–4.17 [K414a = 4.14.5 include/linux/gfp.h]',
    composites: COMPOSITES_414,
    prior: 4,
    notes: [
      'the 4.14.y release that dropped __GFP_NOTRACK is INFERRED (present in 4.14.5, absent in 4.14.67)',
    ],
  },
  {
    era: '4.14.9',
    label: '4.14.9 and later 4.14.y',
    source: 'ref §1.1 column 4.10–4.17 [K414 = 4.14.67 include/linux/gfp.h]',
    bits: BITS_4149,
    prior: 6,
  },
  {
    era: '4.15',
    label: '4.15–4.17',
    source: 'ref §1.1 column 4.10–4.17 [K415, K416, K417 include/linux/gfp.h]',
    bits: BITS_415,
    prior: 3,
    notes: [],
  },
  {
    era: '4.18',
    label: '4.18–5.0 (and RHEL 8)',
    source: 'ref §1.1 column 4.18–5.0 [K418, K419, K420, K50, EL8 include/linux/gfp.h]',
    bits: BITS_418,
    bitsShift: 24,
    prior: 7,
  },
  {
    era: '5.1',
    label: '5.1–5.13',
    source: 'ref §1.1 column 5.1/5.2–6.2 [K52, K53, K54, K510 include/linux/gfp.h]',
    bits: BITS_51,
    prior: 8,
  },
  {
    era: '5.14',
    label: '5.14–5.17',
    source: 'ref §1.1 column 5.1–6.2, 5.15 cells [K515, K515b include/linux/gfp.h]',
    bits: BITS_514,
    bitsShift: 26,
    boost: 'partly',
    prior: 6,
  },
  {
    era: '5.18',
    label: '5.18–6.2',
    source: 'ref §1.1 column 5.1–6.2, 6.1 cells [K61 include/linux/gfp_types.h]',
    bits: BITS_518,
    bitsShift: 28,
    boost: 'yes',
    prior: 7,
    notes: [
      'late 6.1.y stable kernels (6.1.119, K61) already compute allocator flags the 6.3 way ' +
        '(ALLOC_MIN_RESERVE/ALLOC_NON_BLOCK); the first such 6.1.y release is unknown (ref §3.1)',
    ],
  },
  {
    era: '6.3',
    label: '6.3–6.7',
    source: 'ref §1.1 column 6.3+ [K66 include/linux/gfp_types.h]',
    bits: BITS_63,
    bitsShift: 27,
    alloc: ALLOC_63,
    prior: 5,
    notes: [],
  },
  {
    era: '6.8',
    label: '6.8–6.9',
    source: 'ref §1.1 column 6.3+ [K66 gfp_types.h]; GFP_NOWAIT with __GFP_NOWARN [K618]',
    composites: COMPOSITES_68,
  },
  {
    era: '6.10',
    label: '6.10–6.14',
    source: 'ref §1.1 column 6.3+ and note e [K618 include/linux/gfp_types.h]',
    bits: BITS_610,
    bitsShift: 24,
    configNumberedFrom: 0x1000000,
    prior: 4,
  },
  {
    era: '6.15',
    label: '6.15 and later',
    source:
      'ref §1.1 column 6.3+ and note e [K618 include/linux/gfp_types.h, include/trace/events/mmflags.h]',
    printOrder: TRACE_GFP_615_PRINT_ORDER,
    prior: 3,
  },
]);

// ---------------------------------------------------------------------------------------------
// Resolved tables (built once from the specs above).
// ---------------------------------------------------------------------------------------------

interface ResolvedBit {
  /** Name without prefix, e.g. 'HIGH'. */
  readonly name: string;
  readonly value: number;
  readonly config: GfpConfig | null;
}

interface ResolvedEra {
  readonly spec: EraSpec;
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

function resolveEra(spec: EraSpec, index: number): ResolvedEra {
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
  return { spec, index, bits, byName, definedMask, bitsMask, composites, printTable };
}

const ERAS: ReadonlyMap<GfpEra, ResolvedEra> = new Map(ERA_SPECS.map((s, i) => [s.era, resolveEra(s, i)]));

/** Every era, oldest first ('el7' sits after '3.10'). */
export const ALL_GFP_ERAS: readonly GfpEra[] = ERA_SPECS.map((s) => s.era);

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
  /** Where the table comes from (reference section and kernel tree label). */
  source: string;
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
    source: e.spec.source,
    printsNames: e.spec.printsNames,
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
        'only configured debug flags (SKIP_ZERO/SKIP_KASAN, NOLOCKDEP, NO_OBJ_EXT; ref §1.1 note e)',
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
      const exempt = (rule.exempt ?? []).some((c) => {
        const v = e.composites.get(c);
        return v !== undefined && u32(mask & v) === v;
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
  headerStyle?: ReportShape | null;
  /** Migrate-type letter groups of the buddy lines, e.g. ['UME', 'M', 'UMEH'] (ref §2.7). */
  buddyTypes?: readonly string[] | null;
  /** Zone lines print `boost:` (ref §2.5). */
  hasBoost?: boolean | null;
  /** The kind of report: the kernel prints no warning (failure/SLUB/vmalloc/stall) for __GFP_NOWARN. */
  reportKind?: string | null;
  /** Parsed release from the task line, when the excerpt has one. */
  version?: KernelVersion | null;
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
  return ERA_SPECS.filter(
    (s) => s.printsNames && (m === 0 ? '' : greedyNames(eraData(s.era), m).join('|')) === printed,
  ).map((s) => s.era);
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
  ]),
);

function guessGfpEraOnce(hints: GfpEraHints): GfpEraGuess {
  const mask = hints.mask ?? null;
  const printed = hints.printedNames;
  if (hints.version) return guessFromVersion(hints.version, mask, printed);

  const reasons: string[] = [];
  let candidates: GfpEra[] = [...ALL_GFP_ERAS];
  const narrow = (keep: (s: EraSpec) => boolean, why: string): void => {
    const next = candidates.filter((era) => keep(eraData(era).spec));
    if (next.length === 0) {
      reasons.push(`ignored (contradicts the rest): ${why}`);
      return;
    }
    candidates = next;
    reasons.push(why);
  };
  let namesMatched = false;

  if (typeof printed === 'string') {
    narrow((s) => s.printsNames, 'the kernel printed flag names ⇒ 4.6+ (ref §1.4)');
    if (mask !== null) {
      const matching = new Set(erasMatchingNames(mask, printed));
      narrow((s) => matching.has(s.era), `only these eras print ${hex(mask)} as "${printed}"`);
      namesMatched = candidates.every((c) => matching.has(c));
    }
  } else if (printed === null) {
    narrow((s) => !s.printsNames, 'no flag names after the mask ⇒ before 4.6 (ref §1.4)');
  }
  if (hints.headerStyle === 'period')
    narrow((s) => s.shapes.includes('period'), '`page allocation failure.` ⇒ 2.6.x (ref §2.1)');
  else if (hints.headerStyle === 'colon')
    narrow((s) => s.shapes.includes('colon'), '`page allocation failure:` ⇒ 3.0+ (ref §2.1)');
  const letters = hints.buddyTypes?.length ? buddyOrder(hints.buddyTypes) : null;
  if (letters === 'old')
    narrow((s) => s.buddyLetters === 'old', 'buddy letters UEM…/R ⇒ 3.10–4.3 (ref §2.7)');
  if (letters === 'new') narrow((s) => s.buddyLetters === 'new', 'buddy letters UME…/H ⇒ 4.4+ (ref §2.7)');
  if (hints.hasBoost === true) narrow((s) => s.boost !== 'no', '`boost:` in zone lines ⇒ 5.17+ (ref §2.5)');
  else if (hints.hasBoost === false)
    narrow((s) => s.boost !== 'yes', 'no `boost:` in zone lines ⇒ before 5.17');

  let best = 0;
  if (mask !== null) {
    const scored = candidates.map((era) => [era, maskScore(era, mask, hints.reportKind)] as const);
    best = Math.max(...scored.map(([, s]) => s));
    if (best > -Infinity) {
      const kept = scored.filter(([, s]) => s === best).map(([era]) => era);
      if (kept.length < candidates.length)
        reasons.push(`${hex(mask)} is a plausible mask only for ${describe(kept)} (ref §1.3)`);
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
