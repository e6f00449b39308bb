// One report explained: era, GFP, order, zones, protection, the replayed watermark check, the
// verdict, context, memory totals, remedies, the one-sentence summary and the findings.

import type { Report } from './model';
import type {
  AllocFlags,
  EraAnalysis,
  GfpAnalysis,
  OrderAnalysis,
  RepeatAnalysis,
  ReplayAnalysis,
  ReportAnalysis,
  WatermarkEra,
  ZoneAnalysis,
  ZoneCheck,
} from './analysis-types';
import { decideEra, shapeBounds } from './era';
import {
  decodeGfpMask,
  guessGfpEra,
  parseGfpRaw,
  type DecodedGfp,
  type GfpEra,
  type GfpEraHints,
} from './gfp';
import { fromTriple, parseKernelRelease, toTriple, type KernelVersion } from './kernel-version';
import {
  eraRowFor,
  gfpLayoutRelease,
  rulesRank,
  TIMELINE,
  WATERMARK_RULES,
  type Timeline,
  type WatermarkRules,
  PRINTED_SIGNALS,
  type PrintedBound,
} from './kernel/eras';
import { analyzeZones, canonicalZone, inferZoneLayout, isEmptyZone, STATE_RANK, zoneLabel } from './zones';
import { analyzeProtection } from './protection';
import { analyzeOom } from './oom-analysis';
import { analyzeBuddyLines, DEFAULT_PAGE_SIZE_KB, joinZones } from './zone-analysis';
import { noAllocFlags, replayWatermarkCheck } from './watermarks';
import { cmaShortWords, decideVerdict, oomWithoutRequest } from './verdict';
import { classifyOom, isManualOom, memoryMaxLowered, type OomKind } from './oom-kind';
import { analyzeContext, verdictInContext } from './context';
import { analyzeMemory } from './memory';
import { suggestRemedies } from './remedies';
import { COSTLY_ORDER, exactSize } from './numbers';
import { buildFindings, fitMessage, headerCutText, zoneCheckWords } from './findings';
import { labelName, REPORT_KINDS, type SummaryParts } from './kinds';
import { knownRatioNote, type SystemState } from './system-state';

export interface ExplainOptions {
  /** Release assumed for reports that print none (the editor setting); null = infer. */
  kernelRelease?: string | null;
  /** Where `kernelRelease` came from, for the explanation (default: the setting). */
  kernelReleaseSource?: string;
  /** The kernel timeline the era is decided on (default: kernel/eras.ts TIMELINE). */
  timeline?: Timeline;
  /** What is known about the system beside the log (a sosreport's `sysctl -a` …): its values
   * replace the ones the report alone lets the analysis infer. */
  system?: SystemState;
}

function orderAnalysis(order: number, pageSizeKb: number, assumed: boolean): OrderAnalysis {
  const pages = 2 ** order;
  const bytes = pages * pageSizeKb * 1024;
  return {
    order,
    pages,
    pageSizeKb,
    pageSizeAssumed: assumed,
    bytes,
    sizeText: exactSize(bytes, ['bytes', 'KiB', 'MiB', 'GiB']),
    costly: order > COSTLY_ORDER,
  };
}

/** Signals guessGfpEra reads from its own hints (printed names, buddy letters, `boost:`); the
 * other format bounds are handed to it. */
const GUESS_READS: ReadonlySet<PrintedBound> = new Set([
  PRINTED_SIGNALS.gfpNames,
  PRINTED_SIGNALS.highatomicLetter,
  PRINTED_SIGNALS.reserveLetter,
  PRINTED_SIGNALS.boost,
]);

/** What the report shows about its kernel for guessGfpEra: the printed names, header shape,
 * buddy letters, `boost:`, and (without a release) every other format bound. */
export function gfpEraHints(report: Report, mask: number | null, version: KernelVersion | null): GfpEraHints {
  return {
    mask,
    // names cut by a pager are not what the kernel printed, nor a sign that it printed none
    printedNames: report.gfp?.namesCut !== undefined ? undefined : (report.gfp?.printed ?? null),
    buddyTypes: report.buddy.flatMap((b) => b.orders.map((o) => o.types ?? '').filter((t) => t !== '')),
    hasBoost: report.zones.length > 0 ? report.zones.some((z) => z.boostKb !== null) : null,
    reportKind: report.kind,
    version,
    ...(report.headerStyle ? { headerStyle: report.headerStyle } : {}),
    ...(version ? {} : { formatBounds: shapeBounds(report).signals.filter((s) => !GUESS_READS.has(s)) }),
  };
}

function decodeGfp(
  report: Report,
  era: EraAnalysis,
  order: number | null,
): { gfp: GfpAnalysis | null; decoded: DecodedGfp | null; gfpEra: GfpEra | null; reason: string } {
  if (!report.gfp) return { gfp: null, decoded: null, gfpEra: null, reason: '' };
  const mask = parseGfpRaw(report.gfp.raw);
  const printed = report.gfp.printed;
  const version = era.release ? parseKernelRelease(era.release) : null;
  const guess = guessGfpEra(gfpEraHints(report, mask, version));
  if (mask === null) {
    const names = printed ? printed.split('|').filter((n) => n !== '') : [];
    const atomic = printed ? /GFP_ATOMIC|GFP_NOWAIT/.test(printed) : null;
    return {
      gfp: {
        raw: report.gfp.raw,
        mask: null,
        printed,
        names,
        text: names.join('|'),
        flags: [],
        era: guess.era,
        highestZone: printed
          ? /HIGHUSER_MOVABLE/.test(printed)
            ? 'Movable'
            : /HIGHUSER|HIGHMEM/.test(printed)
              ? 'HighMem'
              : /DMA32/.test(printed)
                ? 'DMA32'
                : /GFP_DMA\b|__GFP_DMA\b/.test(printed)
                  ? 'DMA'
                  : 'Normal'
          : null,
        highestZoneNote: null,
        atomic,
        canReclaim: atomic === null ? null : !atomic,
        implausible: null,
        marker: null,
        allocFlags: null,
      },
      decoded: null,
      gfpEra: guess.era,
      reason: guess.reason,
    };
  }
  const decoded = decodeGfpMask(mask, guess.era, { order });
  // Where the kernel printed names, they win (product.md).
  const names = printed !== null ? printed.split('|').filter((n) => n !== '') : decoded.names;
  return {
    gfp: {
      raw: report.gfp.raw,
      mask,
      printed,
      names,
      text: names.join('|'),
      flags: decoded.flags,
      era: guess.era,
      highestZone: decoded.highestZone === 'invalid' ? null : decoded.highestZone,
      highestZoneNote: null,
      atomic: decoded.isAtomic,
      canReclaim: decoded.canDirectReclaim,
      implausible: decoded.implausible,
      marker: null,
      allocFlags: null,
    },
    decoded,
    gfpEra: guess.era,
    reason: guess.reason,
  };
}

/** My alloc-flag view, from gfp.ts's decode (reference §3.1) for the era's watermark rules. */
function toAllocFlags(d: DecodedGfp, rules: WatermarkRules): AllocFlags {
  const a = d.alloc;
  const six = rules.atomicFlag === 'nonBlock';
  const cma = rules.hasAllocCma && d.migrateType === 'Movable';
  const names = [...a.names];
  if (cma) names.push('ALLOC_CMA');
  return {
    high: a.high,
    harder: six ? false : a.harder,
    nonBlock: six ? a.harder : false,
    highatomic: six ? (a.highAtomic ?? false) : false,
    cma,
    ignoresCpuset: a.ignoresCpuset,
    noretry: d.noRetry,
    thisnode: d.thisNode,
    nowarn: d.noWarn,
    text: names.join('|'),
  };
}

export function headlineOf(r: Report): string {
  return REPORT_KINDS[r.kind].headline(r);
}

function emptyReplay(era: WatermarkEra | null): ReplayAnalysis {
  return {
    era,
    mark: 'min',
    classzone: null,
    allocFlagsText: '',
    algorithmText: '',
    zones: [],
    blockTypes: null,
    missing: [],
    assumptions: [],
  };
}

export function singleRepeat(r: Report): RepeatAnalysis {
  return {
    count: 1,
    suppressed: r.suppressedBefore,
    firstTime: r.time,
    lastTime: r.time,
    spanSeconds: null,
    duplicateOf: null,
    lines: [r.line],
  };
}

export function explainReport(report: Report, index: number, options: ExplainOptions = {}): ReportAnalysis {
  const timeline = options.timeline ?? TIMELINE;
  const decided = decideEra(report, options.kernelRelease ?? null, options.kernelReleaseSource, timeline);
  const era = decided.analysis;
  let { row, rules } = decided;
  const pageSizeAssumed = report.pageSizeKb === null;
  const pageSizeKb = report.pageSizeKb ?? DEFAULT_PAGE_SIZE_KB;
  // vmalloc: "allocated X of Y bytes" (≤5.12) and 6.6+ "failed to allocate pages" mean its
  // order-0 page allocations failed (mm/vmalloc.c __vmalloc_area_node); the other steps are no page
  // allocation of the mask's (vmalloc.ts). A SysRq f OOM kill prints order=-1: no allocation, so no order.
  const sysrq = isManualOom(report);
  const withoutRequest = oomWithoutRequest(report);
  const orderValue = sysrq
    ? null
    : (report.order ?? (report.kind === 'vmalloc_failure' && report.vmallocStep === 'pages' ? 0 : null));
  const order = orderValue === null ? null : orderAnalysis(orderValue, pageSizeKb, pageSizeAssumed);

  const g = decodeGfp(report, era, orderValue);
  era.gfpEra = g.gfpEra;
  // mm/oom_kill.c pagefault_out_of_memory (4.6–6.x `struct oom_control oc = { …, .gfp_mask = 0,
  // .order = 0 }`; 3.x out_of_memory(NULL, 0, 0, NULL, false)): gfp_mask=0 marks an OOM a page
  // fault asked for after VM_FAULT_OOM, not a request, so it is neither atomic nor reclaiming.
  if (report.kind === 'oom_kill' && g.gfp !== null && g.gfp.mask === 0) {
    g.gfp.atomic = null;
    g.gfp.canReclaim = null;
    g.gfp.marker =
      'not a request: gfp_mask=0 is the mark of pagefault_out_of_memory (mm/oom_kill.c), which calls the OOM killer after a page fault returned VM_FAULT_OOM';
  }
  // No release: the GFP layout also bounds the era (reference §1.5 step 4).
  let versionForRules = era.version;
  if (era.decidedBy !== 'release' && g.gfpEra) {
    const gv = gfpLayoutRelease(g.gfpEra, timeline);
    if (gv) {
      row = eraRowFor(gv, timeline);
      if (rules === null || rulesRank(row.watermark, timeline) > rulesRank(rules, timeline)) {
        rules = row.watermark;
        era.watermarkEra = rules.name;
      }
      versionForRules = toTriple(gv);
      era.reason += `${era.decidedBy === 'unknown' ? '; ' : '; also '}GFP layout: ${g.reason}`;
      if (era.decidedBy === 'unknown') era.decidedBy = 'shape';
    }
  }
  const flags = g.decoded && rules ? toAllocFlags(g.decoded, rules) : null;
  if (g.gfp) g.gfp.allocFlags = flags;

  let reserveLength: number | null = null;
  for (const z of report.zones)
    if (z.lowmemReserve && z.lowmemReserve.length > (reserveLength ?? 0))
      reserveLength = z.lowmemReserve.length;
  const layout = inferZoneLayout(
    report.zones.map((z) => z.zone),
    reserveLength,
    report.zones,
  );
  // A populated ZONE_DMA32 means a 64-bit kernel, where there is no ZONE_HIGHMEM: gfp_zone() maps
  // __GFP_HIGHMEM to ZONE_NORMAL there (include/linux/gfp.h OPT_ZONE_HIGHMEM, 2.6.x–7.x). (An
  // empty DMA32 proves nothing: 2.6.15–2.6.19 configure it on i386 too.)
  // So does a frame only x86-64 builds have: do_syscall_64 and entry_SYSCALL_64* (arch/x86/entry,
  // CONFIG_X86_64 only, 4.x–7.x) — a node-filtered dump may print no DMA32 zone (node-filter.ts).
  const x86_64Frame = report.callTrace.some(
    (f) => !f.unreliable && (f.function === 'do_syscall_64' || f.function.startsWith('entry_SYSCALL_64')),
  );
  if (
    g.gfp?.highestZone === 'HighMem' &&
    !layout.includes('HighMem') &&
    (report.zones.some((z) => canonicalZone(z.zone) === 'DMA32' && !isEmptyZone(z)) || x86_64Frame)
  ) {
    g.gfp.highestZone = 'Normal';
    g.gfp.highestZoneNote = `__GFP_HIGHMEM means Normal on this 64-bit kernel${x86_64Frame && !report.zones.some((z) => canonicalZone(z.zone) === 'DMA32') ? ' (x86-64: do_syscall_64 / entry_SYSCALL_64 in the call trace)' : ''}: no ZONE_HIGHMEM, so gfp_zone() maps it to ZONE_NORMAL`;
  }
  const zoneStates = analyzeZones(report.zones, layout, pageSizeKb);
  const v = versionForRules;
  const from417 = row ? row.lowmemReserve.perZone : null;
  const protection = analyzeProtection({
    zones: report.zones,
    layout,
    pageSizeKb,
    from417,
    cmaReservedPages: report.cmaReservedPages,
    reserveBeforeCma: row ? row.lowmemReserveBeforeCma : null,
  });
  // the system's vm.lowmem_reserve_ratio beside the ratio inferred from the printed entries
  if (options.system)
    for (const p of protection) {
      const note = knownRatioNote(options.system, layout, p, canonicalZone);
      if (note) p.notes.push(note);
    }

  let replay: ReplayAnalysis | null = null;
  let minReplay: ReplayAnalysis | null = null;
  let blocked: string | null = null;
  const applicable = REPORT_KINDS[report.kind].replayable;
  const unreadable = (label: string): boolean => report.unreadable.some((u) => u.text.startsWith(label));
  if (!applicable) blocked = 'no single request to replay';
  else if (sysrq) blocked = 'a manual (SysRq f) OOM kill has no allocation to replay';
  // No failed allocation led to this OOM (pagefault_out_of_memory, or kswapd's lru_gen_age_node):
  // __alloc_pages_may_oom never ran, so there is no last attempt, and no request, to replay.
  else if (withoutRequest === 'pagefault')
    blocked =
      'pagefault_out_of_memory calls out_of_memory directly: there was no allocation, and no last attempt, to replay';
  else if (withoutRequest === 'lru_gen')
    blocked =
      "kswapd's lru_gen_age_node calls out_of_memory directly: there was no allocation, and no last attempt, to replay";
  else if (report.zones.length === 0)
    blocked =
      'the report has no zone lines (the Mem-Info dump is missing or was cut), so the watermark check cannot be replayed';
  else if (!report.gfp)
    blocked = report.headerCut?.missing.includes(labelName(REPORT_KINDS[report.kind].maskLabel))
      ? headerCutText(report.headerCut)
      : 'no GFP mask in the report';
  else if (!g.decoded)
    blocked = unreadable(REPORT_KINDS[report.kind].maskLabel)
      ? `the GFP mask ${report.gfp.raw} is beyond what the kernel prints (gfp_t has 32 bits)`
      : `the GFP mask ${report.gfp.raw} is not a number (masked by the poster)`;
  else if (orderValue === null)
    blocked = unreadable('order')
      ? 'the order printed is beyond what the kernel prints'
      : report.headerCut?.missing.includes('order')
        ? headerCutText(report.headerCut)
        : 'the report prints no order';
  else if (!rules) blocked = 'the kernel era is unknown';
  else if (!g.gfp?.highestZone) blocked = `mode ${report.gfp.raw} names an invalid zone combination`;
  else if (flags) {
    const request = {
      rules,
      classzoneIsGfpZone: row?.classzone === 'gfp-zone',
      orderZeroFastSkipsHighatomic: row?.orderZeroFastSkipsHighatomic ?? false,
      order: orderValue,
      flags,
      highestZone: g.gfp.highestZone,
      zones: report.zones,
      buddy: report.buddy,
      layout,
      pageSizeKb,
      nodemask: report.nodemask,
      memsAllowed: report.memsAllowed,
    };
    replay = replayWatermarkCheck(request);
    // An OOM report: out_of_memory ran only after the last attempt at the high watermark failed
    // (kernel/eras.ts OomLastAttempt), so that attempt is the replay; the request's own check at
    // min stays beside it for the verdict.
    const attempt =
      report.kind === 'oom_kill' ? (row ?? timeline.rows[timeline.rows.length - 1]).oomLastAttempt : null;
    if (attempt) {
      minReplay = replay;
      replay = replayWatermarkCheck({ ...request, oomLastAttempt: attempt });
    }
    // Without a printed release the rules are a guess: where 2.6.38–3.2's two extra pages
    // (WatermarkRules.orderPagesTerm) would turn a zone's result, at min or at an OOM's high, say so.
    const twin = era.decidedBy === 'release' ? null : (rules.orderPagesTwin ?? null);
    if (twin) {
      const shown = replay;
      const other = WATERMARK_RULES[twin];
      const term = `free − (2^order ${other.orderPagesTerm < 0 ? '−' : '+'} 1)`;
      for (const [base, lastAttempt] of [
        [minReplay ?? shown, null],
        ...(minReplay ? [[shown, attempt] as const] : []),
      ] as const) {
        const alt = replayWatermarkCheck({ ...request, rules: other, oomLastAttempt: lastAttempt });
        base.zones.forEach((z, i) => {
          const o = alt.zones[i];
          if (z.usable && z.pass !== null && o.pass !== null && o.pass !== z.pass) {
            // the OOM's min check is only worded in the verdict: there the era decides it, so
            // it is not stated as a fact
            if (base === minReplay) z.pass = null;
            shown.assumptions.push(
              `the release is not printed: under ${other.label}'s check (${term}) ${zoneLabel(z)} would ${o.pass ? 'pass' : 'fail'} at ${base.mark} (${o.explanation.replace(/^[^:]*: /, '')})`,
            );
          }
        });
      }
    }
  }
  const buddy = analyzeBuddyLines(report.buddy, replay, orderValue, era);
  // the release the report prints decides what its counter lines mean (oom-kind.ts), not a guess
  const oomKind = classifyOom(
    report,
    era.decidedBy === 'release' && era.version ? fromTriple(era.version) : null,
    pageSizeKb,
  );
  const zones = joinZones(report.zones, zoneStates, replay, protection, buddy);
  const context = analyzeContext(report, g.gfp?.canReclaim ?? null);
  const v2 = verdictInContext(
    decideVerdict({
      report,
      replay,
      minReplay,
      order: orderValue,
      flags,
      replayBlocked: blocked,
      costly: order?.costly ?? false,
      canReclaim: g.gfp?.canReclaim ?? null,
      pageSizeKb,
      oomKind,
    }),
    report,
    context,
    g.decoded ? g.decoded.noMemalloc : g.gfp?.printed ? /__GFP_NOMEMALLOC/.test(g.gfp.printed) : null,
  );
  const memory = analyzeMemory({
    report,
    pageSizeKb,
    version: v,
    distro: era.distro,
    versionGuessed: era.decidedBy !== 'release',
    ...(options.system ? { system: options.system } : {}),
  });
  const remedies = suggestRemedies({
    report,
    ...(options.system ? { system: options.system } : {}),
    version: v,
    release: era.release,
    gfp: g.gfp,
    order,
    zones,
    replay,
    protection,
    verdict: v2.verdict,
    memory,
    context,
    layout,
    oomKind,
  });
  // kswapd's MGLRU kill (oomWithoutRequest 'lru_gen'): kswapd only ages, and so only kills, while
  // its balance check fails: pgdat_balanced → zone_watermark_ok_safe(zone, order, high_wmark_pages,
  // highest_zoneidx, 0) (6.1–6.19 mm/vmscan.c), alloc_flags 0: no ALLOC_CMA and no reserve flag, so
  // the highatomic reserve and free CMA are subtracted. Zones "ok" by their own counts can fail it.
  let balanceFails: ZoneCheck[] = [];
  if (withoutRequest === 'lru_gen' && rules && g.gfp?.highestZone && report.zones.length > 0) {
    const balance = replayWatermarkCheck({
      rules,
      classzoneIsGfpZone: true,
      orderZeroFastSkipsHighatomic: false,
      order: 0,
      flags: noAllocFlags('alloc_flags 0'),
      highestZone: g.gfp.highestZone,
      zones: report.zones,
      buddy: report.buddy,
      layout,
      pageSizeKb,
      nodemask: null,
      memsAllowed: null,
      oomLastAttempt: { mark: 'high', allocFlags: 'alloc_flags 0', caller: 'pgdat_balanced' },
    });
    balanceFails = balance.zones.filter((z) => z.usable && z.pass === false);
    if (balanceFails.length > 0)
      v2.text +=
        ` kswapd kept aging because its balance check failed (pgdat_balanced: free − the highatomic reserve − free CMA against high + lowmem_reserve, alloc_flags 0): ` +
        `${balanceFails.map((z) => z.explanation).join('; ')}.`;
  }
  const parts = summaryParts(report, g.gfp, order, context, zones, replay, v2.verdict, oomKind);
  if (balanceFails.length > 0 && parts.zonePart === 'all zones above high watermark')
    parts.zonePart = `all zones above high watermark by their own counts, yet kswapd's balance check fails in ${balanceFails.map((z) => zoneLabel(z)).join(', ')}`;
  const summary = REPORT_KINDS[report.kind].summary({
    ...parts,
    tail: [parts.zonePart, v2.short].filter((x) => x !== '').join('; '),
  });
  const message = reportMessage(parts, v2.short, v2.verdict, order, replay);
  const impact = impactOf(report, g.gfp, order, context, v2.verdict, replay);
  const request =
    REPORT_KINDS[report.kind].replayable && !parts.sysrq && !parts.noRequest
      ? `${parts.what}${parts.where}${parts.chain}`
      : null;
  const findings = buildFindings({
    report,
    message,
    request,
    sizeText: order?.sizeText ?? null,
    verdict: v2.verdict,
    verdictText: v2.text,
    gfp: g.gfp,
    zones,
    protection,
    replay,
  });
  return {
    index,
    kind: report.kind,
    line: report.line,
    endLine: report.endLine,
    time: report.time,
    host: report.host,
    comm: report.comm,
    headline: headlineOf(report),
    era,
    gfp: g.gfp,
    order,
    zones,
    protection,
    buddy,
    replay: replay ?? emptyReplay(era.watermarkEra),
    verdict: v2.verdict,
    verdictText: v2.text,
    verdictShort: v2.short,
    request,
    context,
    repeat: singleRepeat(report),
    memory,
    summary,
    impact,
    findings,
    sysctl: remedies.flatMap((r) => (r.sysctl ? [r.sysctl] : [])),
    remedies,
    allocationProfile: report.allocationProfile,
    oomKind,
    oom: analyzeOom(report, memory, row, oomKind?.scope === 'memcg'),
  };
}

/** The mode as a person would say it: the first GFP_ composite, else the names, else the hex. */
export function modeWord(gfp: GfpAnalysis | null): string {
  if (!gfp) return 'unknown-mode';
  const composite = gfp.names.find((n) => n.startsWith('GFP_'));
  if (composite) return composite;
  return gfp.names.length > 0 && gfp.names.length <= 2 ? gfp.text : `mode ${gfp.raw}`;
}

/**
 * The report's diagnostic message, verdict first and short enough for a Problems row (issue #14):
 * e.g. "order-5 GFP_ATOMIC failed: likely fragmentation; no free 128 KiB block in Node 1 Normal".
 * The size, context and call chain are in the summary (hover, CLI).
 */
function reportMessage(
  parts: Omit<SummaryParts, 'tail'>,
  verdictShort: string,
  verdict: ReportAnalysis['verdict'],
  order: OrderAnalysis | null,
  replay: ReplayAnalysis | null,
): string {
  const lead = `${order ? `order-${order.order} ` : ''}${parts.mode}`;
  return fitMessage(
    REPORT_KINDS[parts.report.kind].message({
      ...parts,
      tail: '',
      verdictShort,
      lead,
      verdictZones: verdictZones(verdict, order, replay),
    }),
  );
}

/** The zones a decided verdict rests on, in words: the ones that lacked a block of the order
 * (fragmentation) or failed the check (no free pages). */
function verdictZones(
  verdict: ReportAnalysis['verdict'],
  order: OrderAnalysis | null,
  replay: ReplayAnalysis | null,
): string {
  const usable = (replay?.zones ?? []).filter((c) => c.usable);
  if (!replay || usable.length === 0) return '';
  if (verdict === 'fragmentation') {
    const lacking = usable.filter((c) => c.pass === true && c.orderBlocks?.available === false);
    if (lacking.length === 0) return '';
    const tooFew = lacking.every((c) => c.orderBlocks?.tooFewPages);
    const size = order?.sizeText ?? 'large';
    return `${tooFew ? `too few pages in ${size}+ blocks` : `no free ${size} block`} in ${lacking.map((c) => zoneLabel(c)).join(', ')}`;
  }
  if (verdict === 'no_free_pages') {
    const held = usable.filter((c) => c.pass === false && zoneCheckWords(c, replay).startsWith('held back'));
    return held.length > 0 ? `${held.map((c) => zoneLabel(c)).join(', ')} held back by lowmem_reserve` : '';
  }
  return '';
}

/** The pieces of product.md's one-sentence summary, e.g. "order-5 (128 KiB) GFP_ATOMIC allocation failed in softirq (…): …; …". */
function summaryParts(
  r: Report,
  gfp: GfpAnalysis | null,
  order: OrderAnalysis | null,
  ctx: ReturnType<typeof analyzeContext>,
  zones: ZoneAnalysis[],
  replay: ReplayAnalysis | null,
  verdict: ReportAnalysis['verdict'],
  oomKind: OomKind | null,
): Omit<SummaryParts, 'tail'> {
  const what = `${order ? `order-${order.order} (${order.sizeText}) ` : ''}${modeWord(gfp)}`;
  const where =
    ctx.context === 'softirq' ||
    ctx.context === 'hardirq' ||
    ctx.context === 'nmi' ||
    ctx.context === 'interrupt'
      ? ` in ${ctx.context === 'hardirq' ? 'a hard interrupt' : ctx.context === 'interrupt' ? 'interrupt context' : ctx.context}`
      : r.comm
        ? ` in ${r.comm}`
        : '';
  const chain = ctx.callerText
    ? ` (${ctx.callerText})`
    : ctx.allocatorEntry
      ? ` (${ctx.allocatorEntry})`
      : '';
  const usableLines = new Set((replay?.zones ?? []).filter((c) => c.usable).map((c) => c.line));
  const pool = replay ? zones.filter((z) => usableLines.has(z.line)) : zones;
  const worst = [...pool]
    .filter((z) => !z.empty)
    .sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state])[0];
  let zonePart = '';
  const noRequest = oomWithoutRequest(r) ?? (memoryMaxLowered(r) ? 'memory_max' : null);
  if (worst) {
    const label = zoneLabel(worst);
    zonePart =
      worst.state === 'below_min'
        ? `${label} below min watermark`
        : worst.state === 'below_low'
          ? `${label} below low watermark`
          : worst.state === 'below_high'
            ? `${label} below high watermark`
            : worst.state === 'ok'
              ? // no request (a manual OOM has none either): every printed zone, none of them "allowed"
                noRequest || isManualOom(r)
                ? 'all zones above high watermark'
                : `all allowed zones above high watermark`
              : '';
    // One truth: zones above their own watermarks that fail this request's replay are named.
    // Beside a fragmentation verdict only the zones that fail the watermark check itself (not the
    // ones whose free blocks are too small, which the verdict explains) are named.
    const failing = pool.filter(
      (z) =>
        !z.empty &&
        z.state !== 'below_min' &&
        z.check?.result === 'fail' &&
        (verdict !== 'fragmentation' || z.check.pass === false),
    );
    // Only when the request failed in every zone: a fragmentation verdict already says why zones
    // above high failed (no block of the order), and beside a zone that passed, one held back by
    // lowmem_reserve is no contradiction.
    const somePassed = pool.some((z) => z.check?.result === 'pass');
    if (worst.state === 'ok' && failing.length > 0 && !somePassed && verdict !== 'not_applicable')
      zonePart = `all allowed zones above high watermark by their own counts, yet ${failing.map((z) => zoneLabel(z)).join(', ')} fail${failing.length === 1 ? 's' : ''} this request's check`;
  } else if (zones.length === 0 && REPORT_KINDS[r.kind].zoneLines) zonePart = 'no zone lines';
  return {
    report: r,
    what,
    where,
    chain,
    zonePart,
    mode: modeWord(gfp),
    zoneCount: zones.length,
    sysrq: isManualOom(r),
    oom: oomKind,
    noRequest:
      noRequest === 'pagefault'
        ? 'pagefault_out_of_memory'
        : noRequest === 'lru_gen'
          ? "kswapd's lru_gen_age_node"
          : noRequest === 'memory_max'
            ? 'a write to memory.max (memory_max_write)'
            : null,
  };
}

/**
 * Is it harmful? Atomic high-order failures are usually survivable (the caller handles NULL; SUSE
 * KB 7002803 treats them as informational unless order-0 or followed by an error, reference §6).
 */
function impactOf(
  r: Report,
  gfp: GfpAnalysis | null,
  order: OrderAnalysis | null,
  ctx: ReturnType<typeof analyzeContext>,
  verdict: ReportAnalysis['verdict'],
  replay: ReplayAnalysis | null = null,
): string {
  // What the caller did with NULL is not in the report: the lines after it may say (an error from
  // the caller), and the impact says where to look rather than guessing (audit D10).
  const repeat =
    'Whether anything was lost is in the lines after the report (an error from the caller); act on the suggestions if it repeats.';
  // a failed request whose caller the kernel's own code shows coping with NULL by a smaller
  // fallback (CALLER_FALLBACKS): the page or vmalloc failure costs little
  if (r.kind === 'page_alloc_failure' || r.kind === 'vmalloc_failure') {
    const fallback = CALLER_FALLBACKS.find((c) =>
      r.callTrace.some((f) => !f.unreliable && f.function === c.frame),
    );
    if (fallback) return fallback.impact;
  }
  const ofKind = REPORT_KINDS[r.kind].impact(r, verdict);
  if (ofKind !== null) return ofKind;
  // 6.19.10 mm/slub.c slab_alloc_node: a failed sheaf refill (alloc_from_pcs) is followed by
  // __slab_alloc_node with the caller's own mask, so this failure is not the caller's (context.ts SHEAF_REFILL)
  if (ctx.sheafRefill !== null)
    return (
      `Not the caller's failure: SLUB was refilling its per-CPU sheaf (${ctx.sheafRefill}) and, when that failed, ` +
      "slab_alloc_node allocated the caller's object again with the caller's own mask (__slab_alloc_node" +
      `${ctx.memalloc ? `, where ${ctx.memalloc.who} may use the reserves below min` : ''}). ` +
      'The report does not say whether that second try succeeded: an error from the caller right after it would show it did not; without one the object was most likely allocated.'
    );
  // clone()/unshare() building namespaces (context.ts SUBSYSTEMS 'namespace'): the error goes back
  // through copy_namespaces to copy_process, and the syscall fails
  if (ctx.subsystem === 'namespace') {
    const ns = r.callTrace.find(
      (f) => !f.unreliable && /^copy_\w+_ns$|^copy_(ipcs|utsname)$/.test(f.function),
    )?.function;
    return (
      `A process creation failed: the allocation was part of creating a new namespace${ns ? ` (${ns})` : ''} in clone() or unshare(), ` +
      'which returns -ENOMEM (kernel/fork.c copy_process → copy_namespaces): that process or container was not started, and nothing already running lost data. ' +
      'Retrying after memory is freed usually works; repeats show a lasting shortage or fragmentation.'
    );
  }
  // a PF_MEMALLOC task (context.ts MEMALLOC_SETTERS) is never sent to reclaim for itself
  if (ctx.memalloc)
    return (
      `Expected under memory pressure: ${ctx.memalloc.who} got NULL while reclaiming${ctx.memalloc.doing ? `, ${ctx.memalloc.doing}` : ''}, ` +
      'and the allocator never reclaims for such a task; the caller copes with NULL (the work is skipped or retried) and reclaim goes on. ' +
      'It matters when it repeats, or when an error or an OOM kill follows it.'
    );
  // ndo_open (net/core/dev.c __dev_open) failing: the interface does not come up; no packet is involved
  if (ctx.interfaceUp)
    return (
      `The driver could not allocate while bringing its interface up (${ctx.interfaceUp}): the open fails ` +
      '(`ip link set … up` gets -ENOMEM) or the driver settles for fewer or smaller rings; no packet is dropped. Retrying the open later usually succeeds once memory is free.'
    );
  if (gfp?.atomic) {
    const who =
      ctx.subsystem === 'network'
        ? 'the packet is dropped (or the copy skipped) and the stack recovers'
        : 'the caller must cope with NULL';
    if (order && order.order > 0)
      return `Usually survivable: ${who}. Atomic order-${order.order} failures are informational unless they repeat or the driver reports an error after them (SUSE KB 7002803). ${repeat}`;
    // Impact follows the verdict's reason (rule 10): memory the request could not use is not
    // memory that was short.
    const held = heldBackText(replay, verdict);
    // Free CMA decided it (verdict.ts cmaShortWords): the memory this request may use, the
    // non-CMA part, was exhausted — a shortage, not memory held back.
    if (held && held.cma.length > 0 && held.reasons.length === 0)
      return (
        `An atomic order-0 failure: non-CMA free memory was exhausted (${held.cma.join('; ')}); ` +
        'the free CMA pages only movable allocations may use. An atomic request cannot reclaim, ' +
        `so it failed before kswapd freed enough non-CMA pages, and ${who}. ${repeat}`
      );
    if (held?.short.length === 0)
      return `An atomic order-0 failure, but not a shortage of memory: free pages were there and this request could not take them (${held.reasons.join('; ')}), and ${who}. ${repeat}`;
    if (held)
      return (
        `An atomic order-0 failure: free pages were short in ${held.short.join(', ')} (at or below what the check needs there), ` +
        `and the free pages of the other zones were kept from this request (${held.reasons.join('; ')}); an atomic request cannot reclaim, ` +
        `so it failed before kswapd freed enough, and ${who}. ${repeat}`
      );
    // Only a replay that failed every zone on free pages shows memory short; otherwise (no zone
    // lines, a check that passes, an undecided one) free pages may have been there but unusable
    // for this request, as the highatomic reserve, free CMA and lowmem_reserve make them
    if (verdict === 'no_free_pages')
      return `An atomic order-0 failure: memory was really short at that moment and ${who}. ${repeat}`;
    return (
      `An atomic order-0 failure: ${who}. Whether free memory was short, or was there but unusable for ` +
      `this request (the highatomic reserve, free CMA pages, lowmem_reserve), ${replay && replay.zones.length > 0 ? 'the replay does not decide' : "cannot be told without the report's zone lines"}. ${repeat}`
    );
  }
  // What a NULL costs is the caller's choice: many retry smaller (uvc_alloc_urb_buffers halves its
  // packet count until one succeeds), others return -ENOMEM; the report does not say which.
  return (
    'The request could sleep and reclaim and still failed: the caller got NULL. What that cost depends on the caller ' +
    '(some retry with a smaller size, others return -ENOMEM: a failed syscall, I/O or module load); the lines after the report show it.'
  );
}

/** Callers whose NULL the kernel handles with a smaller fallback, read in their source: the
 * failure costs little, and the impact says so rather than "the caller got NULL". */
const CALLER_FALLBACKS: readonly { frame: string; impact: string }[] = [
  {
    // K510 arch/x86/mm/init_64.c vmemmap_populate_hugepages: a failed PMD_SIZE block falls through
    // to vmemmap_populate_basepages unless an altmap is given (`return -ENOMEM; /* no fallback */`);
    // vmemmap_alloc_block warns once per boot (its `static bool warned`)
    frame: 'vmemmap_populate_hugepages',
    impact:
      'Usually harmless: the memory map (struct pages) of the memory being added could not get a 2 MiB block, and ' +
      'vmemmap_populate_hugepages then maps it with 4 KiB pages (vmemmap_populate_basepages, arch/x86/mm/init_64.c); only a ' +
      'hot-add with an altmap (device memory) has no fallback and fails with -ENOMEM. The warning is printed once per boot.',
  },
  {
    // K49 mm/page_alloc.c alloc_large_system_hash: `do { … table = __vmalloc(size, GFP_ATOMIC, …)
    // … } while (!table && size > PAGE_SIZE && --log2qty)`, then panic only if every size failed
    frame: 'alloc_large_system_hash',
    impact:
      'Usually harmless at boot: alloc_large_system_hash (mm/page_alloc.c) retries with half the table size until an ' +
      'allocation succeeds, so the system boots with a smaller hash table (its size is in the "hash table entries" line that ' +
      'follows); only if every size failed would it panic.',
  },
];

/** For a no-free-pages verdict: the zones that failed because of memory this request may not use
 * (what the replay subtracted or kept back: the highatomic reserve, free CMA pages, lowmem_reserve,
 * free blocks all in H for order 0), and the zones that were really short. Null when no failed
 * zone was held back (every zone short) or the verdict is another. */
function heldBackText(
  replay: ReplayAnalysis | null,
  verdict: ReportAnalysis['verdict'],
): { short: string[]; reasons: string[]; cma: string[] } | null {
  if (!replay || verdict !== 'no_free_pages') return null;
  const short: string[] = [];
  const reasons: string[] = [];
  const cma: string[] = [];
  for (const z of replay.zones) {
    if (!z.usable || z.result !== 'fail') continue;
    const h = z.hiddenHighatomic;
    if (z.pass === true)
      reasons.push(
        `${zoneLabel(z)}: every free block is in the highatomic reserve, which order 0 may not take`,
      );
    else if (h && h.decided === 'both' && h.passesWithout === true && h.low > 0)
      reasons.push(`${zoneLabel(z)}: its highatomic reserve, at least ${h.low} pages, is not counted for it`);
    else if (z.cmaDecides) {
      const words = cmaShortWords(z, replay.mark, true);
      short.push(zoneLabel(z));
      if (words)
        cma.push(
          `${zoneLabel(z)}: ${words.counts}${words.cmaPages !== null ? `, beside ${words.cmaPages} free CMA pages` : ''}`,
        );
    } else if (
      z.reservePages &&
      z.freePages !== null &&
      z.unusablePages !== null &&
      z.adjustedMinPages !== null &&
      z.freePages - z.unusablePages > z.adjustedMinPages
    )
      reasons.push(
        `${zoneLabel(z)}: lowmem_reserve keeps ${z.reservePages} pages from ${z.classzone}-class requests`,
      );
    else short.push(zoneLabel(z));
  }
  return reasons.length > 0 || cma.length > 0 ? { short, reasons, cma } : null;
}
