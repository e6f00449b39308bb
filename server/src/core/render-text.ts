// Plain-text rendering of one report's analysis (no colour). Two depths (issue #14):
// renderReportBrief, the CLI's default, is one screen that leads with the answer — the verdict,
// the key numbers, the recommended actions with the command that shows each current value;
// renderReportText (`--verbose`) is what an expert would write out in full — header, verdict,
// zones, the replayed check, protection formulas, memory and every option considered.

import type { ReportAnalysis, ZoneState } from './analysis-types';
import { WATERMARK_RULES } from './kernel/eras';
import { zoneLabel } from './zones';
import { formatKb } from './numbers';
import { zoneCheckWords, zoneStateWords } from './findings';
import { renderOomText } from './oom-analysis';

const STATE_WORD: Record<ZoneState, string> = {
  below_min: 'BELOW MIN',
  below_low: 'below low',
  below_high: 'below high',
  ok: 'ok',
  unknown: '?',
};

const num = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : String(n));

/** Rows laid out in columns, each line indented by two spaces. (Widths by a loop: spreading
 * thousands of rows into Math.max overflows the stack.) */
function table(rows: string[][], right: boolean[]): string[] {
  const widths = rows[0].map(() => 0);
  for (const r of rows)
    for (let c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c], (r[c] ?? '').length);
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, c) =>
          right[c] ? cell.padStart(widths[c]) : c === r.length - 1 ? cell : cell.padEnd(widths[c]),
        )
        .join('  ')
        .trimEnd(),
  );
}

function pushAll(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}

/** A zone table row's first cells: the zone, then free/min/low/high in kB. */
function zoneCells(z: ReportAnalysis['zones'][number]): string[] {
  return [zoneLabel(z), num(z.freeKb), num(z.minKb), num(z.lowKb), num(z.highKb)];
}

/** The report's place among identical ones, in one line, or null when it has none to say. */
function repeatLine(a: ReportAnalysis): string | null {
  const r = a.repeat;
  if (r.count > 1) {
    const span = r.spanSeconds !== null ? ` over ${r.spanSeconds} s` : '';
    return (
      `Repeats: ${r.count} identical reports from ${r.firstTime ?? '?'} to ${r.lastTime ?? '?'}${span}` +
      (r.suppressed > 0 ? `, plus ${r.suppressed} the kernel suppressed` : '')
    );
  }
  if (r.duplicateOf !== null)
    return `Repeat of the report at line ${r.lines[0] + 1} (same request, task and call chain): see there.`;
  if (r.suppressed > 0)
    return `The kernel suppressed ${r.suppressed} similar report(s) just before this one.`;
  return null;
}

/** Allocation sites of the 6.10+ profile named in the text (the kernel lists up to ten). */
const PROFILE_SITES_SHOWN = 3;

export function renderReportText(a: ReportAnalysis): string[] {
  const out: string[] = [];
  const where = [a.time, a.host ? `host ${a.host}` : null].filter(Boolean).join(', ');
  out.push(`${a.headline}  (line ${a.line + 1}${where ? `, ${where}` : ''})`);
  out.push(`Summary: ${a.summary}`);
  const repeat = repeatLine(a);
  if (repeat) out.push(repeat);
  out.push(
    `Kernel: ${a.era.release ?? 'release not printed'} — ${a.era.reason}` +
      (a.era.gfpEra && a.era.decidedBy === 'release' ? `; GFP layout ${a.era.gfpEra}` : '') +
      (a.era.watermarkEra ? `; watermark check of ${WATERMARK_RULES[a.era.watermarkEra].label}` : ''),
  );
  if (a.order) {
    const o = a.order;
    out.push(
      `Request: order ${o.order} = ${o.pages} page${o.pages > 1 ? 's' : ''} × ${o.pageSizeKb} kB = ${o.sizeText}` +
        `${o.costly ? ' (costly: order > 3)' : ''}${o.pageSizeAssumed ? '; page size assumed (no buddy line shows it)' : ''}`,
    );
  }
  if (a.gfp) {
    const g = a.gfp;
    const traits = [
      g.marker,
      g.atomic === null
        ? null
        : g.atomic
          ? 'atomic: cannot sleep or reclaim'
          : // the mask's trait; a PF_MEMALLOC task is never sent to reclaim whatever its mask
            // (__alloc_pages_slowpath 2.6.31 … 6.19: `if (current->flags & PF_MEMALLOC) goto nopage`)
            a.context.memalloc
            ? `the mask may sleep and reclaim, but this task does not reclaim: ${a.context.memalloc.who}`
            : 'may sleep and reclaim',
      g.highestZone
        ? `highest zone ${g.highestZone}${g.highestZoneNote ? ` (${g.highestZoneNote})` : ''}`
        : null,
      g.allocFlags && g.marker === null ? `slow path uses ${g.allocFlags.text}` : null,
    ].filter(Boolean);
    out.push(
      `Mode: ${g.raw} = ${g.text || '(no flags)'}${g.printed !== null ? ' (names as printed)' : ` (decoded for the ${g.era ?? '?'} layout)`}${traits.length ? ` — ${traits.join('; ')}` : ''}`,
    );
    if (g.implausible) out.push(`  Note: implausible for this era: ${g.implausible}`);
  }
  out.push(`Context: ${a.context.contextText}; subsystem: ${a.context.subsystemText}`);
  if (a.context.chainText) out.push(`Call chain: ${a.context.chainText}`);
  out.push(`Verdict: ${a.verdictText}`);
  out.push(`Impact: ${a.impact}`);
  for (const f of a.findings) if (f.code === 'KLL025') out.push(`Unreadable: ${f.message}`);

  if (a.zones.length > 0) {
    out.push('', 'Zones (kB):');
    const rows = [['zone', 'free', 'min', 'low', 'high', 'state']];
    for (const z of a.zones)
      rows.push([
        ...zoneCells(z),
        z.empty
          ? 'empty'
          : z.check?.result === 'fail' && z.state !== 'below_min' && z.state !== 'unknown'
            ? `${STATE_WORD[z.state]}, fails request`
            : STATE_WORD[z.state],
      ]);
    pushAll(out, table(rows, [false, true, true, true, true, false]));
    for (const z of a.zones)
      if (z.state === 'below_min' || z.state === 'below_low')
        out.push(`  ${zoneLabel(z)}: ${z.gaugeText}: ${z.stateText}.`);
  }

  const r = a.replay;
  if (r.zones.length > 0) {
    out.push('', `Watermark check replayed (${r.allocFlagsText}; class zone ${r.classzone ?? '?'}; pages):`);
    out.push(`  ${r.algorithmText}`);
    const rows = [
      [
        'zone',
        'free − unusable',
        r.mark === 'high' ? 'high' : 'min → adjusted',
        '+ reserve',
        'result',
        a.order && a.order.order > 0 ? `order-${a.order.order} block` : 'blocks',
      ],
    ];
    for (const c of r.zones) {
      if (!c.usable) {
        rows.push([zoneLabel(c), '', '', '', 'skipped', c.unusableReason ?? '']);
        continue;
      }
      rows.push([
        zoneLabel(c),
        c.freePages === null
          ? '?'
          : `${c.freePages} − ${c.unusablePages} = ${c.freePages - (c.unusablePages ?? 0)}`,
        r.mark === 'high' ? num(c.minPages) : `${num(c.minPages)} → ${num(c.adjustedMinPages)}`,
        num(c.reservePages),
        c.pass === null ? 'unknown' : c.pass ? 'pass' : 'FAIL',
        c.orderBlocks === null || c.pass === false
          ? '-'
          : c.orderBlocks.available === null
            ? 'unknown (no buddy line)'
            : c.orderBlocks.available
              ? 'available'
              : c.orderBlocks.tooFewPages
                ? 'TOO FEW'
                : 'NONE',
      ]);
    }
    pushAll(out, table(rows, [false, true, true, true, false, false]));
    const usable = r.zones.filter((c) => c.usable && c.minPages !== null);
    const first = usable.find((c) => c.zone === r.classzone) ?? usable[0];
    if (first)
      out.push(
        `  ${r.mark === 'high' ? 'high' : 'min adjustment'} (${zoneLabel(first)}): ${first.adjustmentText}; unusable = ${first.unusableText}`,
      );
    for (const c of r.zones)
      if (c.usable && c.pass === true && c.orderBlocks && c.orderBlocks.available !== null)
        out.push(`  ${zoneLabel(c)}: ${c.orderBlocks.text}`);
    if (r.missing.length) out.push(`  Missing: ${r.missing.join('; ')}`);
    for (const s of r.assumptions) out.push(`  Assumed: ${s}`);
  }

  if (a.protection.length > 0) {
    out.push(
      '',
      `Protection (lowmem_reserve, pages; ratio inferred from ${a.protection[0].sizeBasis} pages):`,
    );
    for (const p of a.protection) {
      const kept = p.entries.filter((e) => e.pages > 0);
      const ratio =
        p.ratio !== null
          ? `ratio ${p.ratio}${p.defaultRatio !== null ? (p.ratio === p.defaultRatio ? ' (the default)' : ` (default ${p.defaultRatio})`) : ''}`
          : p.ratioLow !== null
            ? `ratio between ${p.ratioLow} and ${p.ratioHigh}`
            : 'ratio not inferable';
      out.push(
        `  ${zoneLabel(p)}: ` +
          (kept.length === 0
            ? 'keeps nothing back (no populated zone above it)'
            : `${kept.map((e) => `${e.pages} (${e.mib} MiB) from ${e.zone}-class${e.populated ? '' : ' [empty zone]'}`).join(', ')} → ${ratio}`),
      );
      for (const f of p.formulas) out.push(`    ${f}`);
      for (const n of p.notes) out.push(`    note: ${n.replace(/^[^:]*: /, '')}`);
    }
    const explained = new Set(a.protection.map((p) => p.zoneLine));
    const missing = a.zones.filter((z) => !explained.has(z.line));
    if (missing.length)
      out.push(`  ${missing.map((z) => zoneLabel(z)).join(', ')}: no lowmem_reserve line printed`);
  }

  const m = a.memory;
  const mem: string[] = [];
  if (m.ramKb !== null)
    mem.push(`RAM ${formatKb(m.ramKb)} (${m.ramSource === 'pages RAM' ? '"pages RAM"' : 'Σ zones present'})`);
  if (m.freeKb !== null) {
    // the part of it this request could not use (zones above its highest zone: Movable or HighMem
    // for GFP_KERNEL), so that "free" is never read as the request's (issue #13 rule 10)
    let aboveKb = 0;
    for (const z of a.zones) {
      const c = z.check;
      if (c && !c.usable && (c.unusableReason ?? '').startsWith("above the request's highest zone"))
        aboveKb += z.parsed.freeKb ?? 0;
    }
    mem.push(
      `free in the zones ${formatKb(m.freeKb)}` +
        (aboveKb > 0 ? ` (${formatKb(aboveKb)} of it in zones this request may not use)` : ''),
    );
  }
  if (m.nodes.length > 1) mem.push(`${m.nodes.length} NUMA nodes`);
  // Mem-Info's free: counts every node; a node-filtered dump's zones do not (node-filter.ts)
  if (m.nodeFilter?.globalFreeKb != null && m.nodeFilter.evidence === 'counters')
    mem.push(`free system-wide ${formatKb(m.nodeFilter.globalFreeKb)} (Mem-Info free:, every node)`);
  const known = m.minFreeKnown;
  if (mem.length || m.minFreeInferredKb !== null || known) out.push('');
  if (mem.length) out.push(`Memory: ${mem.join(' · ')}`);
  if (known && m.minFreeInferredKb === null) {
    out.push(`min_free_kbytes: ${known.kb} kB (the system's sysctl, ${known.source}; not inferred)`);
    if (m.minFreeInterpretation) out.push(`  ⇒ ${m.minFreeInterpretation}`);
  }
  if (m.minFreeInferredKb !== null) {
    out.push(
      known
        ? `min_free_kbytes: ${known.kb} kB (the system's sysctl, ${known.source}; not inferred) · the report's Σ zone min: ${m.minFreeSumText}`
        : `min_free_kbytes: ≈ ${m.minFreeInferredKb} kB now (Σ zone min: ${m.minFreeSumText}; the real value lies in ${m.minFreeRangeKb?.[0]}–${m.minFreeRangeKb?.[1]} kB)`,
    );
    if (m.minFreeDefaultKb !== null)
      out.push(`  kernel default for this lowmem: ${m.minFreeDefaultKb} kB = ${m.minFreeDefaultText}`);
    if (m.thpRecommendedKb !== null)
      out.push(`  THP's recommended value: ${m.thpRecommendedKb} kB = ${m.thpRecommendedText}`);
    if (m.minFreeInterpretation) out.push(`  ⇒ ${m.minFreeInterpretation}`);
  }
  for (const n of m.notes) out.push(`  note: ${n}`);
  const profile = a.allocationProfile;
  if (profile !== null && profile.tags.length > 0) {
    // ref §2.12: the biggest first, as the kernel lists them
    const shown = profile.tags.slice(0, PROFILE_SITES_SHOWN);
    const more = profile.tags.length - shown.length;
    out.push(
      `Memory allocations${profile.profiling === null ? '' : ` (profiling ${profile.profiling})`}: ` +
        shown.map((t) => `${t.size} ${t.function} (${t.file}:${t.lineno ?? '?'})`).join(', ') +
        (more > 0 ? `, ${more} more` : ''),
    );
  }

  if (a.oom !== null) pushAll(out, renderOomText(a.oom));

  const sysctls = a.remedies.filter((x) => x.sysctl);
  if (sysctls.length > 0) {
    out.push('', 'Suggested sysctl settings:');
    for (const x of sysctls) {
      const s = x.sysctl!;
      out.push(`  ${s.key} = ${s.value}    [${s.recommended ? 'recommended' : 'not recommended here'}]`);
      for (const c of s.comment.split('\n')) out.push(`    ${c}`);
      out.push(`    → ${x.assessment}`);
    }
  }
  const others = a.remedies.filter((x) => !x.sysctl);
  if (others.length > 0) {
    out.push('', 'Other options:');
    for (const x of others)
      out.push(`  - ${x.title}${x.recommended ? ' [recommended]' : ''}: ${x.assessment}`);
  }
  return out;
}

/** Zone rows the brief shows; the rest are counted and left to `--verbose`. */
export const BRIEF_ZONE_ROWS = 6;
/** Recommended actions the brief writes out; the rest are counted. */
export const BRIEF_ACTIONS = 4;

/**
 * One report in about 20 lines, the answer first (the CLI's default; issue #14): the verdict in a
 * few words, then why, what it means for the caller, the request, the kernel, the zones with what
 * each meant for this request (in words, no arithmetic), memory, and the recommended actions, each
 * with the command that shows its current value. Everything else — the replayed check's
 * arithmetic, the protection formulas, min_free_kbytes' derivation, options not recommended here
 * — is named in one closing line that points at `--verbose`. `lead` is the report's diagnostic
 * message (its first finding), which already leads with the verdict.
 */
export function renderReportBrief(a: ReportAnalysis): string[] {
  const out: string[] = [];
  const lead = a.findings[0]?.message ?? a.verdictShort;
  out.push(`Verdict: ${lead}`);
  if (a.verdictText && a.verdict !== 'not_applicable') out.push(`Why: ${a.verdictText}`);
  else out.push(`Summary: ${a.summary}`);
  out.push(`Impact: ${a.impact}`);
  const repeat = repeatLine(a);
  if (repeat) out.push(repeat);
  if (a.request) out.push(`Request: ${a.request}`);
  out.push(`Kernel: ${a.era.release ?? 'release not printed'} — ${a.era.reason}`);

  const zones = a.zones.filter((z) => !z.empty);
  if (zones.length > 0) {
    // the zones that decided or could have decided, then the others, in the report's order
    const telling = (z: (typeof zones)[number]): boolean =>
      z.state === 'below_min' ||
      z.state === 'below_low' ||
      z.check?.result === 'fail' ||
      z.check?.result === 'unknown';
    const picked = new Set(zones.filter(telling).slice(0, BRIEF_ZONE_ROWS));
    for (const z of zones) if (picked.size < BRIEF_ZONE_ROWS) picked.add(z);
    const replayed = a.verdict !== 'not_applicable' && a.replay.zones.length > 0;
    const rows = [['Zones (kB)', 'free', 'min', 'low', 'high', replayed ? 'for this request' : 'state']];
    for (const z of zones) {
      if (!picked.has(z)) continue;
      rows.push([
        ...zoneCells(z),
        replayed && z.check
          ? zoneCheckWords(z.check, a.replay, a.order?.sizeText ?? null)
          : zoneStateWords(z),
      ]);
    }
    for (const row of table(rows, [false, true, true, true, true, false])) out.push(row.slice(2));
    const more = zones.length - picked.size;
    if (more > 0) out.push(`… ${more} more zone${more === 1 ? '' : 's'} (--verbose)`);
  }
  const m = a.memory;
  const mem: string[] = [];
  if (m.ramKb !== null) mem.push(`RAM ${formatKb(m.ramKb)}`);
  if (m.freeKb !== null) mem.push(`free in the zones ${formatKb(m.freeKb)}`);
  if (m.minFreeKnown) mem.push(`min_free_kbytes ${m.minFreeKnown.kb} kB (the system's sysctl)`);
  else if (m.minFreeInferredKb !== null) mem.push(`min_free_kbytes ≈ ${m.minFreeInferredKb} kB now`);
  if (m.nodes.length > 1) mem.push(`${m.nodes.length} NUMA nodes`);
  // a node-filtered dump (node-filter.ts): which nodes it shows, and Mem-Info's free: of every node
  if (m.nodeFilter) {
    const nf = m.nodeFilter;
    mem.push(
      `only node${nf.printedNodes.length === 1 ? '' : 's'} ${nf.printedNodes.join(', ')} printed (SHOW_MEM_FILTER_NODES)` +
        (nf.evidence === 'counters' && nf.globalFreeKb !== null
          ? `; free system-wide ${formatKb(nf.globalFreeKb)} (Mem-Info free:)`
          : ''),
    );
  }
  if (mem.length) out.push(`Memory: ${mem.join(' · ')}`);
  // an OOM kill: who held the memory, its conclusion (the task table's details are --verbose)
  if (a.oom && a.oom.headline) out.push(`Who held it: ${a.oom.headline}`);

  const recommended = a.remedies.filter((x) => x.recommended);
  if (recommended.length > 0) {
    out.push('Recommended:');
    for (const x of recommended.slice(0, BRIEF_ACTIONS)) {
      if (x.sysctl) {
        out.push(`  ${x.sysctl.key} = ${x.sysctl.value}    (now: \`sysctl ${x.sysctl.key}\`)`);
        out.push(`    ${x.assessment}`);
      } else out.push(`  - ${x.title}: ${x.assessment}`);
    }
    const more = recommended.length - BRIEF_ACTIONS;
    if (more > 0) out.push(`  … ${more} more recommended (--verbose)`);
  } else out.push('Recommended: nothing to change for this report');
  const notHere = a.remedies.filter((x) => !x.recommended);
  const details = [
    a.replay.zones.length > 0 ? 'the replayed watermark check' : null,
    a.protection.length > 0 ? 'the lowmem_reserve formulas' : null,
    notHere.length > 0
      ? `${notHere.length} option${notHere.length === 1 ? '' : 's'} not recommended here (${notHere.map((x) => x.sysctl?.key ?? x.title).join(', ')})`
      : null,
  ].filter((x): x is string => x !== null);
  if (details.length > 0) out.push(`More with --verbose: ${details.join('; ')}`);
  return out;
}
