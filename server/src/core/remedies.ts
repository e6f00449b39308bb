// Remedies: sysctl.conf lines with the evidence, the value inferred from the log and the risk,
// plus the non-sysctl advice; every value derived from the report (product.md "Remedies";
// kernel-memory.md §4 formulas, §6 sysctl table). The design document's four options are always
// reachable, each with an honest assessment. vm.drop_caches is never suggested (a one-shot action).

import type { Report } from './model';
import type {
  ContextAnalysis,
  GfpAnalysis,
  MemoryAnalysis,
  OrderAnalysis,
  ProtectionAnalysis,
  Remedy,
  ReplayAnalysis,
  SysctlSuggestion,
  Verdict,
  ZoneAnalysis,
} from './analysis-types';
import { defaultLowmemReserveRatio } from './protection';
import { canonicalZone, zoneLabel } from './zones';
import { safeSum } from './numbers';
import { isSysrqOom } from './verdict';
import { REPORT_KINDS } from './kinds';
import { fromTriple, type VersionTriple } from './kernel-version';
import { eraRowFor, hasSysctl as sysctlExists } from './kernel/eras';

type Version = VersionTriple | null;

export interface RemedyInput {
  report: Report;
  version: Version;
  release: string | null;
  gfp: GfpAnalysis | null;
  order: OrderAnalysis | null;
  zones: ZoneAnalysis[];
  replay: ReplayAnalysis | null;
  protection: ProtectionAnalysis[];
  verdict: Verdict;
  memory: MemoryAnalysis;
  context: ContextAnalysis;
  layout: string[];
}

/** Whether the kernel has a sysctl (the timeline's rows, reference §6): true / false, or null
 * when the version is unknown. */
function hasSysctl(key: string, v: Version): boolean | null {
  return sysctlExists(key, v === null ? null : fromTriple(v));
}

export function formatKb(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(kb >= 10240 ? 0 : 1)} MiB`;
  return `${kb} kB`;
}

const comment = (lines: string[]): string => lines.map((l) => `# ${l}`).join('\n');

/** vm.min_free_kbytes is an int (proc_dointvec_minmax in kernel/sysctl.c, later mm/page_alloc.c):
 * a larger value is refused with EINVAL. */
const SYSCTL_INT_MAX = 2 ** 31 - 1;

function suggestion(
  key: string,
  value: string | number,
  lines: string[],
  recommended: boolean,
): SysctlSuggestion {
  return { key, value: String(value), comment: comment(lines), recommended };
}

export function suggestRemedies(input: RemedyInput): Remedy[] {
  const { report } = input;
  const out: Remedy[] = [];
  const ofKind = REPORT_KINDS[report.kind].remedies;
  // a vmalloc failure goes through the zones only when its failed step is a page allocation
  // (vmalloc.ts; null: the message was cut before its step)
  const allocationFailure =
    ofKind === 'watermarks' ||
    (ofKind === 'watermarks_if_decided' &&
      input.verdict !== 'not_applicable' &&
      (report.vmallocStep === null || report.vmallocStep === 'pages'));
  if (allocationFailure) {
    const wsf = watermarkScaleFactor(input);
    const mfk = minFreeKbytes(input, wsf?.recommended ?? false);
    out.push(mfk);
    if (wsf) out.push(wsf);
    out.push(lowmemReserveRatio(input));
    out.push(zoneReclaimMode(input));
    out.push(...fragmentationRemedies(input));
    out.push(upgradeKernel(input));
    out.push(networkRate(input));
  } else if (isSysrqOom(report)) {
    out.push({
      id: 'oom',
      title: 'Manual OOM kill (SysRq f): nothing to tune',
      sysctl: null,
      recommended: false,
      assessment:
        'The OOM killer ran because it was asked to (SysRq f: the keyboard, echo f > /proc/sysrq-trigger, or a watchdog such as ' +
        'a hung-task or memory-pressure daemon), not because an allocation failed. No sysctl changes what it did; find out who ' +
        'triggered it, and look at the task list if memory was short at the time.',
      designOption: null,
    });
  } else if (ofKind === 'oom') {
    out.push({
      id: 'oom',
      title: 'Memory exhausted: no watermark tuning helps',
      sysctl: null,
      recommended: true,
      assessment:
        'The OOM killer runs when reclaim cannot free memory for a request that may sleep. Raising vm.min_free_kbytes or the ' +
        'watermark scale would only keep more memory idle. Look at the task list for the largest consumers, memory cgroup limits, ' +
        'swap, and whether the workload simply needs more RAM.',
      designOption: null,
    });
  }
  const vfs = vfsCachePressure(input);
  if (vfs) out.push(vfs);
  return out;
}

/** The zones the request may use that are at or below low (the "near min" evidence). */
function nearMinZones(input: RemedyInput): ZoneAnalysis[] {
  const usable = new Set((input.replay?.zones ?? []).filter((c) => c.usable).map((c) => c.line));
  return input.zones.filter(
    (z) => usable.has(z.line) && (z.state === 'below_min' || z.state === 'below_low'),
  );
}

function requestText(input: RemedyInput): string {
  const o = input.order;
  const mode = input.gfp
    ? (input.gfp.names.find((n) => n.startsWith('GFP_')) ?? input.gfp.text)
    : 'unknown-mode';
  return o ? `order-${o.order} (${o.sizeText}) ${mode}` : mode;
}

/** One remedy, its properties always written in the same order. (Spreading a shared `base` and
 * adding the rest made V8 build every remedy one property at a time: a third of the time of
 * suggestRemedies on the seed.) */
function remedy(
  base: Pick<Remedy, 'id' | 'title' | 'designOption'>,
  sysctl: SysctlSuggestion | null,
  recommended: boolean,
  assessment: string,
): Remedy {
  return { id: base.id, title: base.title, sysctl, recommended, assessment, designOption: base.designOption };
}

function zoneEvidence(z: ZoneAnalysis): string {
  return `${zoneLabel(z)} ${z.state === 'below_min' ? 'below min' : 'below low'}: ${z.gaugeText}`;
}

function minFreeKbytes(input: RemedyInput, wsfPreferred: boolean): Remedy {
  const { memory, gfp, order } = input;
  const base = { id: 'min_free_kbytes', title: 'Raise vm.min_free_kbytes', designOption: 1 };
  const inferred = memory.minFreeInferredKb;
  if (inferred === null || memory.minFreeRangeKb === null)
    return remedy(
      base,
      null,
      false,
      'The report has no zone min watermarks, so the current value cannot be inferred.',
    );
  const doubled = 2 * inferred;
  const thp = memory.thpRecommendedKb;
  const target = Math.max(doubled, thp ?? 0);
  const cap = memory.ramKb !== null ? Math.floor(memory.ramKb * 0.03) : null;
  const value = cap !== null ? Math.min(target, cap) : target;
  const near = nearMinZones(input);
  const atomicOrHigh = (gfp?.atomic ?? false) || (order?.order ?? 0) > 0;
  const belowMin = near.some((z) => z.state === 'below_min');
  const raises = value > memory.minFreeRangeKb[1];
  const recommended = atomicOrHigh && near.length > 0 && raises && (!wsfPreferred || belowMin);

  const lines: string[] = [];
  if (near.length > 0) lines.push(`${requestText(input)} failure with ${near.map(zoneEvidence).join('; ')}`);
  else
    lines.push(
      `${requestText(input)} failure, but no zone it may use was at or below low: watermarks were not the problem`,
    );
  lines.push(
    `current ≈ ${inferred} kB = Σ zone min ${memory.minFreeSumText?.replace(/ = .*$/, '') ?? ''} (the real value lies in ${memory.minFreeRangeKb[0]}–${memory.minFreeRangeKb[1]} kB)` +
      (memory.minFreeDefaultKb !== null
        ? `; the kernel's default for this lowmem is ${memory.minFreeDefaultKb} kB`
        : ''),
  );
  const thpPart =
    thp !== null ? `, THP's ${memory.thpRecommendedText}` : ' (THP value unknown for this layout)';
  lines.push(
    `value = max(2 × ${inferred} = ${doubled}${thpPart}) = ${target} kB` +
      (cap !== null
        ? target > cap
          ? `, capped at 3 % of RAM (${formatKb(memory.ramKb ?? 0)}) = ${cap} kB`
          : `, under the 3 % of RAM cap (${cap} kB of ${formatKb(memory.ramKb ?? 0)})`
        : ''),
  );
  lines.push(
    `cost: ${inferred > 0 ? `every zone's min/low/high scale by ≈ ${(value / inferred).toFixed(2)}` : "every zone's min/low/high rise"}: about ${formatKb(value - inferred)} more kept free, and kswapd starts reclaiming earlier`,
  );
  lines.push(
    `risk: it makes bursts less likely to reach min${order && order.order > 0 ? `; it cannot create a free ${order.sizeText} block` : ''}; ` +
      'far higher values reclaim constantly and can OOM the machine (vm.rst; RHEL: 5–10 % of RAM)',
  );
  let assessment: string;
  if (value > SYSCTL_INT_MAX)
    return remedy(
      base,
      null,
      false,
      `The value this report points to (${value} kB) is beyond what vm.min_free_kbytes takes (an int, at most ${SYSCTL_INT_MAX}): the zone min watermarks it was inferred from cannot be a real machine's.`,
    );
  if (!raises)
    assessment = `The inferred value (${inferred} kB) is already at or above ${value} kB: raising it further is not indicated.`;
  else if (recommended)
    assessment =
      `Recommended: ${near.map((z) => zoneLabel(z)).join(', ')} ${near.length > 1 ? 'were' : 'was'} at or below low when this ${atomicOrHigh ? 'atomic/high-order ' : ''}request failed; ` +
      `${value} kB (from ${inferred} kB) keeps more free for such bursts. It reduces how often the message appears; it does not guarantee a contiguous block.`;
  else if (wsfPreferred && near.length > 0)
    assessment = `Listed: on this kernel vm.watermark_scale_factor wakes kswapd earlier without taking memory away; raise min_free_kbytes to ${value} kB only if failures continue.`;
  else if (!atomicOrHigh)
    assessment =
      'Not indicated: the request could sleep and reclaim; a higher min would not have made it succeed.';
  else assessment = 'Not indicated: no zone the request may use was near its min watermark.';
  // A value at or below today's would lower the watermarks: no line to suggest at all.
  return remedy(
    base,
    raises ? suggestion('vm.min_free_kbytes', value, lines, recommended) : null,
    recommended,
    assessment,
  );
}

function watermarkScaleFactor(input: RemedyInput): Remedy | null {
  const available = hasSysctl('vm.watermark_scale_factor', input.version);
  const base = {
    id: 'watermark_scale_factor',
    title: 'Widen the watermark gaps (vm.watermark_scale_factor)',
    designOption: null,
  };
  if (available === false)
    return remedy(
      base,
      null,
      false,
      `vm.watermark_scale_factor exists from 4.6; this kernel (${input.release ?? 'unknown'}) does not have it.`,
    );
  const near = nearMinZones(input);
  // Effective factor now: (low − min) / managed × 10000 in the largest zone the request may use.
  const usable = new Set((input.replay?.zones ?? []).filter((c) => c.usable).map((c) => c.line));
  const candidates = input.zones.filter(
    (z) => usable.has(z.line) && z.lowKb !== null && z.minKb !== null && (z.managedKb ?? z.presentKb),
  );
  if (candidates.length === 0) return null;
  const big = candidates.reduce((a, b) =>
    (b.managedKb ?? b.presentKb ?? 0) > (a.managedKb ?? a.presentKb ?? 0) ? b : a,
  );
  const size = big.managedKb ?? big.presentKb ?? 1;
  const gap = (big.lowKb ?? 0) - (big.minKb ?? 0);
  const effective = Math.max(1, Math.round((gap / size) * 10000));
  const value = Math.min(1000, Math.max(20, 2 * effective));
  const newGap = Math.round((size * value) / 10000);
  const atomic = input.gfp?.atomic ?? false;
  const recommended = available === true && atomic && near.length > 0;
  const lines = [
    near.length > 0
      ? `${requestText(input)} failure with ${near.map(zoneEvidence).join('; ')}`
      : `${requestText(input)} failure; no zone it may use was at or below low`,
    `now: low − min in ${zoneLabel(big)} = ${gap} kB = ${((gap / size) * 100).toFixed(2)} % of its ${size} kB → effective factor ≈ ${effective} (default 10)`,
    `${value} makes the gap ≈ ${newGap} kB: kswapd wakes that much earlier and reclaims to a higher high; min itself (what atomic requests dip into) is unchanged`,
    'risk: more memory kept free by kswapd and more background reclaim; range 1…1000 (1…3000 on 5.15+)' +
      (available === null ? '; needs kernel 4.6 or later' : ''),
  ];
  const assessment = recommended
    ? 'Recommended (preferred on 4.6+ for bursty atomic failures): starts background reclaim earlier without raising the reserve that min_free_kbytes takes away.'
    : !atomic
      ? 'Listed: the request could reclaim for itself; earlier kswapd wake-ups would only shorten its stall.'
      : 'Not indicated: no zone the request may use was near its watermarks.';
  return remedy(
    base,
    suggestion('vm.watermark_scale_factor', value, lines, recommended),
    recommended,
    assessment,
  );
}

/** Current lowmem_reserve_ratio array: inferred where the report shows it, else the default. */
function currentRatios(input: RemedyInput): { zones: string[]; values: number[]; sources: string[] } {
  const v = input.version;
  const from417 = v === null ? null : eraRowFor(fromTriple(v)).lowmemReserve.perZone;
  // ≤4.16 the array has MAX_NR_ZONES − 1 entries (the top zone protects nothing); 4.17+ one per zone.
  const zones = from417 === false ? input.layout.slice(0, -1) : input.layout;
  const values: number[] = [];
  const sources: string[] = [];
  for (const z of zones) {
    const inferred =
      input.protection.find((p) => canonicalZone(p.zone) === z && p.ratio !== null)?.ratio ?? null;
    const def = defaultLowmemReserveRatio(z, from417) ?? 32;
    values.push(inferred ?? def);
    sources.push(inferred !== null ? `${z} ${inferred} (inferred)` : `${z} ${def} (default)`);
  }
  return { zones, values, sources };
}

function lowmemReserveRatio(input: RemedyInput): Remedy {
  const base = { id: 'lowmem_reserve_ratio', title: 'Change vm.lowmem_reserve_ratio', designOption: 1 };
  const { replay, gfp, report } = input;
  const cur = currentRatios(input);
  if (!replay || replay.classzone === null || cur.zones.length === 0)
    return remedy(
      base,
      null,
      false,
      'No zone layout or class zone in the report: the effect cannot be computed.',
    );
  const classIdx = input.layout.indexOf(replay.classzone);
  const lowerRequest = gfp?.highestZone === 'DMA' || gfp?.highestZone === 'DMA32';
  // Lower zones the request falls back to, and whether one is drained.
  const lowerChecks = replay.zones.filter(
    (c) => c.usable && input.layout.indexOf(canonicalZone(c.zone) ?? '') < classIdx,
  );
  const lowerLines = new Set(lowerChecks.map((c) => c.line));
  const drained = input.zones.filter(
    (z) =>
      lowerLines.has(z.line) &&
      (z.state === 'below_min' || z.state === 'below_low') &&
      ['DMA', 'DMA32'].includes(canonicalZone(z.zone) ?? ''),
  );
  const target = drained[0] ?? null;
  // The zone whose ratio the change touches: a drained lower zone, else the highest lower zone
  // this request falls back to (DMA32 on x86-64: the design document's "256 128 32").
  const touched = target
    ? canonicalZone(target.zone)
    : (lowerChecks
        .map((c) => canonicalZone(c.zone))
        .sort((a, b) => input.layout.indexOf(b ?? '') - input.layout.indexOf(a ?? ''))[0] ?? null);
  const ti = touched ? cur.zones.indexOf(touched) : -1;
  if (ti < 0)
    return remedy(
      base,
      null,
      false,
      `The request's class zone is ${replay.classzone} and it has no lower zone to fall back to: lowmem_reserve does not take part in this failure.`,
    );
  const values = [...cur.values];
  values[ti] = Math.max(1, Math.floor(values[ti] / 2));
  const value = values.join(' ');
  const lines = [`current: ${cur.sources.join(', ')} = "${cur.values.join(' ')}"`];
  let assessment: string;
  const check = lowerChecks.find((c) => canonicalZone(c.zone) === touched);
  const effect = check ? reserveEffect(input, check, cur.values[ti], values[ti]) : null;
  // No populated zone above it (an empty Normal on a small machine): its reserve is the same at
  // any ratio, so the change would do nothing.
  const noEffect = effect !== null && effect.before === effect.after;
  const recommended =
    !noEffect && (drained.length > 0 || (lowerRequest && report.kind === 'page_alloc_failure'));
  if (noEffect) {
    lines.push(
      `${touched} keeps ${effect.before} pages back from ${replay.classzone}-class requests at ratio ${cur.values[ti]} and at ${values[ti]}: no populated zone above it to hold memory back for`,
      'not a fix here: keep the current values',
    );
    assessment = `Not recommended: ${zoneLabel(check!)} has no populated zone above it, so what it keeps back from ${replay.classzone}-class requests is ${effect.before} pages at any ratio: changing the ratio would change nothing.`;
  } else if (recommended) {
    lines.push(
      drained.length > 0
        ? `${drained.map(zoneEvidence).join('; ')}: ${replay.classzone}-class allocations drained it`
        : `a ${gfp?.highestZone}-only request failed: the ${gfp?.highestZone} zone needs more protection from higher-class requests`,
      `halving ${touched}'s ratio doubles what it keeps back from higher-class requests${effect ? ` (${effect.before} → ${effect.after} pages)` : ''}`,
      'risk: higher-class requests lose that much fallback memory; 4.17+ treats 0 as "no protection"',
    );
    assessment = `Recommended: protect ${touched} from ${replay.classzone}-class requests (ratio ${cur.values[ti]} → ${values[ti]}).`;
  } else {
    lines.push(
      `lowering ${touched}'s ratio (${cur.values[ti]} → ${values[ti]}) — for this report it would hurt`,
      ...(effect ? effect.lines : []),
      'not a fix here: keep the current values',
    );
    assessment =
      `Not recommended: the request is ${replay.classzone}-class, so lowering ${touched}'s ratio enlarges the reserve that ${touched} keeps back from exactly this request` +
      (effect
        ? ` (${effect.before} → ${effect.after} pages${effect.flips ? `, and ${zoneLabel(check!)} would then fail the check it passes now` : ''})`
        : '') +
      `: it shrinks the pool a ${replay.classzone}-class atomic request falls back to.` +
      (check?.pass === true
        ? ` Raising it would not help either: ${zoneLabel(check)} already passes the check, so the reserve did not cause this failure.`
        : '');
  }
  return remedy(
    base,
    suggestion('vm.lowmem_reserve_ratio', value, lines, recommended),
    recommended,
    assessment,
  );
}

/** What a new ratio does to the lower zone's reserve and to this request's check there. */
function reserveEffect(
  input: RemedyInput,
  check: NonNullable<RemedyInput['replay']>['zones'][number],
  oldRatio: number,
  newRatio: number,
): { before: number; after: number; flips: boolean; lines: string[] } | null {
  if (
    check.reservePages === null ||
    check.freePages === null ||
    check.unusablePages === null ||
    check.adjustedMinPages === null
  )
    return null;
  const before = check.reservePages;
  // reserve = Σ size(zones above it, up to the class zone) / ratio (reference §5.2).
  const pk0 = input.memory.pageSizeKb;
  const managed = input.report.zones.some((z) => z.managedKb !== null);
  const lo = input.layout.indexOf(canonicalZone(check.zone) ?? '');
  const hi = input.layout.indexOf(input.replay?.classzone ?? '');
  let sum = 0;
  let known = lo >= 0 && hi > lo;
  for (const z of input.report.zones) {
    const i = input.layout.indexOf(canonicalZone(z.zone) ?? '');
    if (z.node !== check.node || i <= lo || i > hi) continue;
    const kb = managed ? z.managedKb : z.presentKb;
    if (kb === null) known = false;
    else sum += Math.floor(kb / pk0);
  }
  if (!Number.isSafeInteger(sum)) known = false;
  const after = known && sum > 0 ? Math.floor(sum / newRatio) : Math.floor((before * oldRatio) / newRatio);
  const free = check.freePages - check.unusablePages;
  const passAfter = free > check.adjustedMinPages + after;
  const pk = input.memory.pageSizeKb;
  const lines = [
    `the request is ${input.replay?.classzone}-class: ${zoneLabel(check)}'s reserve against it grows from ${before} to ${after} pages (${formatKb(before * pk)} → ${formatKb(after * pk)})`,
    `${zoneLabel(check)} ${check.pass ? 'passes' : 'fails'} now (${free} ${check.pass ? '>' : '≤'} ${check.adjustedMinPages} + ${before}) and would ${passAfter ? 'still pass' : 'fail'} (${free} ${passAfter ? '>' : '≤'} ${check.adjustedMinPages} + ${after}): the fallback pool shrinks`,
  ];
  return { before, after, flips: check.pass === true && !passAfter, lines };
}

function zoneReclaimMode(input: RemedyInput): Remedy {
  const base = { id: 'zone_reclaim_mode', title: 'Set vm.zone_reclaim_mode = 1', designOption: 2 };
  const nodes = [...new Set(input.zones.map((z) => z.node))];
  if (input.zones.length === 0)
    return remedy(
      base,
      null,
      false,
      'The report has no zone lines (the Mem-Info dump is missing or was cut), so the balance between NUMA nodes cannot be judged; zone_reclaim_mode only changes what happens between nodes.',
    );
  if (nodes.length < 2)
    return remedy(
      base,
      null,
      false,
      'Single NUMA node in the report: zone_reclaim_mode only changes what happens between nodes, so it has no effect here.',
    );
  const near = input.zones.filter((z) => z.state === 'below_min' || z.state === 'below_low');
  const nearNodes = new Set(near.map((n) => n.node));
  const nearKinds = new Set(near.map((n) => canonicalZone(n.zone)));
  const others = input.zones.filter((z) => z.state === 'ok' && !nearNodes.has(z.node));
  const sameKind = others.filter((z) => nearKinds.has(canonicalZone(z.zone)));
  const roomy = sameKind.length > 0 ? sameKind : others;
  const atomic = input.gfp?.atomic ?? false;
  const imbalance = near.length > 0 && roomy.length > 0;
  const lines = [
    imbalance
      ? `${near.map(zoneEvidence).join('; ')} while ${roomy.map((z) => `${zoneLabel(z)} has ${z.freeKb} kB free (above high ${z.highKb} kB)`).join('; ')}`
      : 'no node is below low while another has free memory',
    atomic
      ? 'zone reclaim only runs for requests that may sleep (zone_reclaim/node_reclaim return NOSCAN without __GFP_WAIT / direct reclaim): it cannot help this atomic request'
      : "with 1, a sleeping request reclaims its local node before using another node's free memory",
    'risk: with 1 the local page cache is reclaimed before remote memory is used: databases and file servers lose cache and re-read from disk (Documentation/sysctl/vm.txt: "file servers … should be left disabled")',
    'current value not in the log (default 0; ≤3.10 kernels set 1 at boot on large NUMA distances)',
  ];
  const assessment =
    (imbalance ? 'The nodes are unbalanced, but ' : 'No node imbalance in the report, and ') +
    (atomic
      ? 'zone reclaim never runs for an atomic request like this one, so it would not prevent this failure; '
      : "with the default 0 the allocator already falls back to the other node's free memory; ") +
    'enabling it trades remote memory for local reclaim, which hurts cache-heavy services. Not recommended.';
  return remedy(base, suggestion('vm.zone_reclaim_mode', 1, lines, false), false, assessment);
}

function fragmentationRemedies(input: RemedyInput): Remedy[] {
  const out: Remedy[] = [];
  const frag = input.verdict === 'fragmentation';
  const atomic = input.gfp?.atomic ?? false;
  const order = input.order?.order ?? 0;
  if (!frag && !(input.verdict === 'undecidable' && order > 0)) return out;
  const cp = hasSysctl('vm.compaction_proactiveness', input.version);
  if (cp !== false) {
    const recommended = frag && cp === true;
    out.push({
      id: 'compaction_proactiveness',
      title: 'Compact memory in the background (vm.compaction_proactiveness)',
      designOption: null,
      recommended,
      sysctl: frag
        ? suggestion(
            'vm.compaction_proactiveness',
            40,
            [
              `verdict: fragmentation — no free block of order ${order} (${input.order?.sizeText}) the request may take`,
              'current: default 20 (not in the log); 40 doubles the proactive compaction effort of kcompactd',
              'risk: more background compaction CPU and latency; values above 80 are warned against (vm.rst)' +
                (cp === null ? '; needs 5.9+' : ''),
            ],
            recommended,
          )
        : null,
      assessment: frag
        ? `Recommended: background compaction rebuilds order-${order} blocks before a burst needs them${atomic ? ' (an atomic request cannot compact for itself)' : ''}.`
        : 'Only if the buddy lists show fragmentation (undecidable here).',
    });
  } else if (frag) {
    out.push({
      id: 'compaction_proactiveness',
      title: 'Proactive compaction',
      designOption: null,
      recommended: false,
      sysctl: null,
      assessment: `vm.compaction_proactiveness exists from 5.9; this kernel (${input.release ?? 'unknown'}) lacks it: an upgrade brings proactive compaction.`,
    });
  }
  if (frag && hasSysctl('vm.extfrag_threshold', input.version) !== false) {
    // Listed, never recommended: a sleeping costly request already compacted before failing.
    const recommended = false;
    out.push({
      id: 'extfrag_threshold',
      title: 'Prefer compaction over reclaim (vm.extfrag_threshold)',
      designOption: null,
      recommended,
      sysctl: suggestion(
        'vm.extfrag_threshold',
        250,
        [
          `verdict: fragmentation for an order-${order} request`,
          'current: default 500 (not in the log); 250 lets compaction run for zones whose fragmentation index is above 250 instead of 500',
          atomic
            ? 'this request was atomic: direct compaction does not run for it, so this only helps sleeping high-order requests'
            : 'risk: more compaction work in the allocating task; a costly request like this one already tried compaction',
        ],
        recommended,
      ),
      assessment: atomic
        ? 'Listed only: atomic requests never compact directly, so this cannot help this failure.'
        : 'Listed only: the request could compact for itself and still failed; a lower threshold only shifts the kernel from reclaim to compaction sooner. Try proactive compaction first.',
    });
  }
  return out;
}

function vfsCachePressure(input: RemedyInput): Remedy | null {
  const { memory } = input;
  let slabKb = memory.slabReclaimableKb;
  if (slabKb === null) {
    const per = input.report.zones
      .map((z) => z.fields['slab_reclaimable'])
      .filter((x): x is number => typeof x === 'number');
    if (per.length > 0) slabKb = safeSum(per, (kb) => kb);
  }
  if (slabKb === null || memory.ramKb === null || memory.ramKb === 0) return null;
  const share = slabKb / memory.ramKb;
  const pct = (share * 100).toFixed(1);
  const recommended = share >= 0.1;
  const listed = share >= 0.05;
  return {
    id: 'vfs_cache_pressure',
    title: 'Reclaim dentries/inodes sooner (vm.vfs_cache_pressure)',
    designOption: null,
    recommended,
    sysctl: listed
      ? suggestion(
          'vm.vfs_cache_pressure',
          200,
          [
            `reclaimable slab (dentries, inodes …) = ${formatKb(slabKb)} = ${pct} % of RAM (${formatKb(memory.ramKb)})`,
            'current: default 100 (not in the log); 200 reclaims dentry/inode caches twice as eagerly relative to the page cache',
            'risk: more cache misses on metadata-heavy workloads; 0 may cause OOM (vm.rst)',
          ],
          recommended,
        )
      : null,
    assessment: recommended
      ? `Recommended: reclaimable slab holds ${pct} % of RAM.`
      : `Not indicated: reclaimable slab is only ${pct} % of RAM, so dentry/inode caches are not what fills memory.`,
  };
}

function upgradeKernel(input: RemedyInput): Remedy {
  const v = input.version;
  const base = { id: 'upgrade_kernel', title: 'Upgrade the kernel', designOption: 3 };
  if (v === null)
    return remedy(
      base,
      null,
      false,
      'The kernel release is not in the report; newer kernels handle bursts of high-order atomic requests better (highatomic reserve 4.4, watermark_scale_factor 4.6, watermark boost 5.0, proactive compaction 5.9).',
    );
  const missing: string[] = [];
  // What the timeline's row for this version lacks (kernel/eras.ts, reference §3.2, §6).
  const row = eraRowFor(fromTriple(v));
  const noHighatomic = row.watermark.highatomicUnless === null;
  if (noHighatomic)
    missing.push('a highatomic reserve that keeps pageblocks for high-order atomic requests (4.4)');
  if (!('vm.watermark_scale_factor' in row.sysctls)) missing.push('vm.watermark_scale_factor (4.6)');
  if (!('vm.watermark_boost_factor' in row.sysctls))
    missing.push('watermark boosting after fragmentation events (5.0)');
  if (!('vm.compaction_proactiveness' in row.sysctls)) missing.push('proactive compaction (5.9)');
  const atomicHigh = (input.gfp?.atomic ?? false) && (input.order?.order ?? 0) > 0;
  const recommended = missing.length > 0 && atomicHigh && noHighatomic;
  // Without a printed release the version comes from the report's format (GFP layout, header
  // shape): say so rather than print it as if it were the release.
  const kernel = input.release ?? `This kernel (release not printed; dated ${v.join('.')} by its format)`;
  return remedy(
    base,
    null,
    recommended,
    missing.length > 0
      ? `${kernel} lacks ${missing.join(', ')}.` +
          (recommended
            ? ' For repeated high-order atomic failures this is the lasting fix.'
            : ' Worth it if the failures repeat.')
      : `${kernel} already has the newer watermark and compaction logic; an upgrade alone is unlikely to change this.`,
  );
}

function networkRate(input: RemedyInput): Remedy {
  const base = {
    id: 'network_rate',
    title: 'Reduce the network burst (rate, ring size, MTU)',
    designOption: 4,
  };
  const { context, gfp, order } = input;
  const network = context.subsystem === 'network';
  if (!network)
    return remedy(
      base,
      null,
      false,
      `The request did not come from the network path (${context.subsystemText}): limiting network traffic would not change it.`,
    );
  const atomic = gfp?.atomic ?? false;
  const recommended = atomic;
  return remedy(
    base,
    null,
    recommended,
    `This ${atomic ? 'atomic ' : ''}allocation came from the network path (${context.chainText || context.subsystemText}` +
      `${context.driver ? `, driver ${context.driver}` : ''})` +
      (order ? `: each request needs ${order.sizeText} contiguous` : '') +
      '. Fewer or smaller such requests make failures rarer: limit the burst rate, use a smaller MTU or NIC ring size, or avoid the copy (e.g. offload settings). ' +
      'Field advice without verified numbers (kernel-memory.md §6): the caller usually drops the packet and recovers.',
  );
}
