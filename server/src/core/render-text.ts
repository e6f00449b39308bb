// Plain-text rendering of one report's analysis (no colour): what an expert would say about it —
// header, verdict, zones, the replayed check, protection, memory and the suggestions.

import type { ReportAnalysis, ZoneState } from './analysis-types';
import { WATERMARK_RULES } from './kernel/eras';
import { zoneLabel } from './zones';
import { formatKb } from './remedies';

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

/** Allocation sites of the 6.10+ profile named in the text (the kernel lists up to ten). */
const PROFILE_SITES_SHOWN = 3;

export function renderReportText(a: ReportAnalysis): string[] {
  const out: string[] = [];
  const where = [a.time, a.host ? `host ${a.host}` : null].filter(Boolean).join(', ');
  out.push(`${a.headline}  (line ${a.line + 1}${where ? `, ${where}` : ''})`);
  out.push(`Summary: ${a.summary}`);
  if (a.repeat.count > 1) {
    const span = a.repeat.spanSeconds !== null ? ` over ${a.repeat.spanSeconds} s` : '';
    out.push(
      `Repeats: ${a.repeat.count} identical reports from ${a.repeat.firstTime ?? '?'} to ${a.repeat.lastTime ?? '?'}${span}` +
        (a.repeat.suppressed > 0 ? `, plus ${a.repeat.suppressed} the kernel suppressed` : ''),
    );
  } else if (a.repeat.duplicateOf !== null)
    out.push(
      `Repeat of the report at line ${a.repeat.lines[0] + 1} (same request, task and call chain): see there.`,
    );
  else if (a.repeat.suppressed > 0)
    out.push(`The kernel suppressed ${a.repeat.suppressed} similar report(s) just before this one.`);
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
        zoneLabel(z),
        num(z.freeKb),
        num(z.minKb),
        num(z.lowKb),
        num(z.highKb),
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
