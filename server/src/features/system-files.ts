// Hovers and diagnostics for the system's own files (issue #15): /proc/zoneinfo (each zone's
// watermarks, boost, free pages, its `protection: (…)` as lowmem_reserve, the watermark state),
// /proc/buddyinfo (free blocks per order, the largest order free) and sysctl files (sysctl.conf,
// sysctl.d/*.conf and `sysctl -a` output: each vm.* key's meaning and range per release; values
// that hurt). The core reads the files (zoneinfo.ts, buddyinfo.ts, sysctl-file.ts); what the
// kernel does with the numbers comes from the core's tables (sysctl-glossary.ts, kernel/eras.ts);
// this file finds the target and lays the text out. Text from the file goes through
// escapeMarkdown.

import {
  DiagnosticSeverity,
  MarkupKind,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { parseBuddyinfo, largestFreeOrder, freePagesAtOrder, type BuddyinfoZone } from '../core/buddyinfo';
import { parseZoneinfo, zonePages, type ZoneinfoNumber, type ZoneinfoZone } from '../core/zoneinfo';
import {
  parseSysctlText,
  sysctlFields,
  sysctlInt,
  sysctlValues,
  type SysctlEntry,
  type SysctlText,
} from '../core/sysctl-file';
import { sysctlEras, VM_SYSCTLS } from '../core/sysctl-glossary';
import { COSTLY_ORDER, MAX_NR_ZONES } from '../core/numbers';
import { parseMeminfo } from '../core/meminfo';
import { canonicalZone } from '../core/zones';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { escapeMarkdown as esc, kib, num, paragraphs, table } from './markdown';
import { isSysctlFile } from './workspace-paths';
import { oneLine } from './text';

export type SystemFileKind = 'zoneinfo' | 'buddyinfo' | 'sysctl-conf' | 'sysctl-a' | 'meminfo';

/** The language ids package.json contributes for these files. */
export const SYSTEM_LANGUAGES: Readonly<Record<string, SystemFileKind>> = {
  'linux-zoneinfo': 'zoneinfo',
  'linux-buddyinfo': 'buddyinfo',
};

/**
 * Which system file a document is, by its name (the editor's language id first when it names
 * one): `zoneinfo`, `buddyinfo` (as /proc and a sosreport's proc/ name them, or with a suffix
 * such as `zoneinfo-6.18`), sysctl.conf and sysctl.d/*.conf, and `sysctl -a` output (a sosreport's
 * sos_commands/kernel/sysctl_-a, or a name starting `sysctl-a`); null for anything else.
 */
export function systemFileKind(uri: string, languageId?: string): SystemFileKind | null {
  const byLanguage = languageId ? SYSTEM_LANGUAGES[languageId] : undefined;
  if (byLanguage) return byLanguage;
  if (isSysctlFile(uri)) return 'sysctl-conf';
  const raw = uri.slice(uri.lastIndexOf('/') + 1).split(/[?#]/)[0];
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // a malformed escape: the name as written
  }
  if (SOURCE_FILE.test(name)) return null;
  return BY_NAME.find(([re]) => re.test(name))?.[1] ?? null;
}

/** The names /proc, sosreports (proc/, sos_commands/kernel/sysctl_-a) and people (`zoneinfo-6.18`,
 * `sysctl-a.txt`) give these files. */
const BY_NAME: readonly [RegExp, SystemFileKind][] = [
  [/^zoneinfo(?:[-_.]\w[\w.-]*)?$/, 'zoneinfo'],
  [/^buddyinfo(?:[-_.]\w[\w.-]*)?$/, 'buddyinfo'],
  [/^meminfo(?:[-_.]\w[\w.-]*)?$/, 'meminfo'],
  [/^sysctl(?:_-|-|_)a(?:[-_.][\w.-]*)?$/, 'sysctl-a'],
];
/** Source files named after them (zoneinfo.py …) are not the files. */
const SOURCE_FILE = /\.(?:py|js|ts|c|h|go|rs|java|json)$/;

/** One version of a system file, read once. */
export interface SystemDocument {
  uri: string;
  version: number;
  kind: SystemFileKind;
  lines: string[];
  zones: ZoneinfoZone[];
  buddy: BuddyinfoZone[];
  sysctl: SysctlText | null;
  /** /proc/meminfo fields (kB), read for the RAM it states. */
  meminfo: Map<string, number> | null;
}

export function systemDocumentOf(
  uri: string,
  version: number,
  text: string,
  kind: SystemFileKind,
): SystemDocument {
  return {
    uri,
    version,
    kind,
    lines: text.split(/\r\n|\r|\n/),
    zones: kind === 'zoneinfo' ? parseZoneinfo(text) : [],
    buddy: kind === 'buddyinfo' ? parseBuddyinfo(text) : [],
    sysctl: kind === 'sysctl-conf' || kind === 'sysctl-a' ? parseSysctlText(text) : null,
    meminfo: kind === 'meminfo' ? parseMeminfo(text) : null,
  };
}

/** What the other open system files tell about this one's system. */
export interface SystemContext {
  /** RAM from an open meminfo (MemTotal), else an open zoneinfo: Σ managed (else present)
   * pages × the page size. */
  ram: { kb: number; source: string } | null;
  /** The zones of the first node of an open zoneinfo, in the kernel's order, and its
   * `protection:` column count (MAX_NR_ZONES). */
  zoneinfo: { zones: string[]; columns: number; source: string } | null;
  /** The sysctl values of an open sysctl file (`sysctl -a` preferred). */
  sysctl: { values: Map<string, string>; source: string; runtime: boolean } | null;
}

export const NO_CONTEXT: SystemContext = { ram: null, zoneinfo: null, sysctl: null };

/** The page size the files are read with: /proc/zoneinfo and buddyinfo count pages and print no
 * size; 4 kB is x86, most arm64 and riscv (the hovers say it is assumed). */
const PAGE_KB = 4;

/**
 * The context for `self` from the other open system files: of each kind the one nearest to it
 * (the longest common path: the same sosreport), `label` naming them in the words.
 */
export function systemContext(
  self: SystemDocument,
  others: readonly SystemDocument[],
  label: (uri: string) => string,
): SystemContext {
  const nearest = (kinds: SystemFileKind[]): SystemDocument | null => {
    let best: SystemDocument | null = null;
    let bestLen = -1;
    for (const d of others) {
      if (d.uri === self.uri || !kinds.includes(d.kind)) continue;
      let n = 0;
      while (n < d.uri.length && d.uri[n] === self.uri[n]) n++;
      // `sysctl -a` (the running values) wins over a conf file at the same distance
      if (n > bestLen || (n === bestLen && d.kind === 'sysctl-a')) {
        best = d;
        bestLen = n;
      }
    }
    return best;
  };
  const zi = self.kind === 'zoneinfo' ? self : nearest(['zoneinfo']);
  let ram: SystemContext['ram'] = null;
  let zoneinfo: SystemContext['zoneinfo'] = null;
  const mi = nearest(['meminfo']);
  const memTotal = mi?.meminfo?.get('MemTotal');
  if (mi && memTotal) ram = { kb: memTotal, source: `MemTotal of ${label(mi.uri)}` };
  if (zi && zi.zones.length > 0) {
    const useManaged = zi.zones.some((z) => z.fields.has('managed'));
    const pages = zi.zones.reduce((t, z) => t + (zonePages(z, useManaged ? 'managed' : 'present') ?? 0), 0);
    ram ??= {
      kb: pages * PAGE_KB,
      source: `Σ ${useManaged ? 'managed' : 'present'} pages of ${label(zi.uri)} × ${PAGE_KB} kB`,
    };
    const first = zi.zones.filter((z) => z.node === zi.zones[0].node);
    zoneinfo = {
      zones: first.map((z) => z.zone),
      columns: first[0].protection?.values.length ?? first.length,
      source: label(zi.uri),
    };
  }
  // a conf file is compared with the running values only (a sosreport's sysctl -a)
  const sc =
    self.kind === 'sysctl-a'
      ? null
      : nearest(self.kind === 'sysctl-conf' ? ['sysctl-a'] : ['sysctl-a', 'sysctl-conf']);
  const sysctl =
    sc && sc.sysctl
      ? { values: sysctlValues(sc.sysctl.entries), source: label(sc.uri), runtime: sc.kind === 'sysctl-a' }
      : null;
  return { ram, zoneinfo, sysctl };
}

// ---------------------------------------------------------------------------------------------
// Hovers
// ---------------------------------------------------------------------------------------------

export function systemHover(
  doc: SystemDocument,
  position: Position,
  ctx: SystemContext = NO_CONTEXT,
): Hover | null {
  if (doc.kind === 'meminfo') return null;
  const found =
    doc.kind === 'zoneinfo'
      ? zoneinfoHover(doc, position, ctx)
      : doc.kind === 'buddyinfo'
        ? buddyinfoHover(doc, position)
        : sysctlHover(doc, position, ctx);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.value }, range: found.range };
}

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

const pagesText = (pages: number): string => `${num(pages)} pages (${kib(pages * PAGE_KB)})`;
const PAGE_NOTE = `_kB with ${PAGE_KB} kB pages: /proc/zoneinfo and /proc/buddyinfo count pages and do not print their size._`;

function zoneName(z: { node: number; zone: string }): string {
  return `Node ${z.node} ${esc(z.zone)}`;
}

type WatermarkState = 'below_min' | 'below_low' | 'below_high' | 'above_high';

/** Free pages against the zone's own marks, as __zone_watermark_ok compares them for a request
 * of this zone's class (no lowmem_reserve): at or below a mark fails it. */
function stateOf(z: ZoneinfoZone): WatermarkState | null {
  const free = zonePages(z, 'free');
  const min = zonePages(z, 'min');
  const low = zonePages(z, 'low');
  const high = zonePages(z, 'high');
  if (free === null || min === null || low === null || high === null) return null;
  if (free <= min) return 'below_min';
  if (free <= low) return 'below_low';
  if (free <= high) return 'below_high';
  return 'above_high';
}

const STATE_TEXT: Record<WatermarkState, string> = {
  below_min:
    'at or below **min**: only requests allowed below min (`__GFP_HIGH`, atomic ones, reclaiming tasks with PF_MEMALLOC, OOM victims) get pages here; the others reclaim or compact first',
  below_low: 'at or below **low**: kswapd is woken and reclaims until free is above high',
  below_high: 'between low and high: kswapd, once woken, keeps reclaiming until free is above **high**',
  above_high: 'above **high**: kswapd has nothing to do for this zone',
};

function populated(z: ZoneinfoZone): boolean {
  return (zonePages(z, 'managed') ?? zonePages(z, 'present') ?? 0) > 0;
}

/** The zones whose min is a share of min_free_kbytes (__setup_per_zone_wmarks): not HighMem or
 * Device (their min is clamp(managed / 1024, SWAP_CLUSTER_MAX, 128)); Movable is lowmem before
 * 6.6 and not since, so a populated Movable zone makes the sum uncertain. Empty zones add 0. */
function minFreeSum(doc: SystemDocument): { pages: number; zones: string[]; movable: boolean } {
  let pages = 0;
  const zones: string[] = [];
  let movable = false;
  for (const z of doc.zones) {
    const c = canonicalZone(z.zone);
    if (c === 'HighMem' || c === 'Device' || !populated(z)) continue;
    if (c === 'Movable') movable = true;
    const min = zonePages(z, 'min');
    const boost = zonePages(z, 'boost') ?? 0;
    if (min === null) continue;
    pages += min - boost;
    zones.push(zoneName(z));
  }
  return { pages, zones, movable };
}

function zoneinfoHover(doc: SystemDocument, { line, character }: Position, ctx: SystemContext) {
  const z = doc.zones.find((zone) => zone.line <= line && line <= zone.endLine);
  if (!z) return null;
  const text = doc.lines[line] ?? '';
  if (line === z.line)
    return { value: zoneSummary(doc, z, ctx), range: range(line, 0, text.trimEnd().length) };
  if (z.protection && z.protection.line === line)
    return {
      value: protectionText(doc, z),
      range: range(line, z.protection.start, z.protection.end),
    };
  for (const [name, v] of z.fields)
    if (v.line === line && character >= v.nameStart && character <= v.end)
      return { value: fieldText(doc, z, name, v, ctx), range: range(line, v.nameStart, v.end) };
  return null;
}

function marksTable(z: ZoneinfoZone): string {
  const rows: string[][] = [];
  for (const f of ['free', 'boost', 'min', 'low', 'high', 'promo'] as const) {
    const v = zonePages(z, f);
    if (v !== null) rows.push([f === 'free' ? 'pages free' : f, num(v), num(v * PAGE_KB)]);
  }
  return table(['', 'pages', 'kB'], rows, ['l', 'r', 'r']);
}

function zoneSummary(doc: SystemDocument, z: ZoneinfoZone, ctx: SystemContext): string {
  const state = stateOf(z);
  const boost = zonePages(z, 'boost') ?? 0;
  const managed = zonePages(z, 'managed');
  const present = zonePages(z, 'present');
  const sizes = [
    present !== null ? `present ${pagesText(present)}` : null,
    managed !== null ? `managed ${pagesText(managed)}` : null,
  ].filter(Boolean);
  const head = `**${zoneName(z)}** — ${populated(z) ? (state ? STATE_TEXT[state] : 'watermarks not printed') : 'empty zone (no pages)'}`;
  return paragraphs(
    head,
    populated(z) ? marksTable(z) : null,
    sizes.length ? sizes.join(' · ') : null,
    boost > 0
      ? `A watermark boost of ${pagesText(boost)} is in min/low/high (boost_watermark, 5.0+): a recent fallback mixed page mobilities in a pageblock, and kswapd reclaims the boost away.`
      : null,
    z.protection ? protectionSummary(doc, z) : null,
    ctx.sysctl?.values.has('vm.min_free_kbytes')
      ? `vm.min_free_kbytes = ${esc(ctx.sysctl.values.get('vm.min_free_kbytes') ?? '')} in ${esc(ctx.sysctl.source)}.`
      : null,
    PAGE_NOTE,
  );
}

/** The zone names the protection columns stand for: the node's zones as printed (4.x+ print
 * every zone of the node, so their count is the column count); else column numbers. */
function columnNames(doc: SystemDocument, z: ZoneinfoZone): string[] {
  const count = z.protection?.values.length ?? 0;
  const nodeZones = doc.zones.filter((o) => o.node === z.node).map((o) => o.zone);
  return nodeZones.length === count ? nodeZones : Array.from({ length: count }, (_, i) => `zone ${i}`);
}

function protectionSummary(doc: SystemDocument, z: ZoneinfoZone): string {
  const values = z.protection?.values ?? [];
  const names = columnNames(doc, z);
  const kept = values
    .map((v, i) => (v > 0 ? `${pagesText(v)} from ${esc(names[i])}-class requests` : null))
    .filter(Boolean);
  return kept.length === 0
    ? 'Protection (lowmem_reserve): this zone keeps nothing back from higher-class requests.'
    : `Protection (lowmem_reserve): keeps back ${kept.join(', ')}.`;
}

function protectionText(doc: SystemDocument, z: ZoneinfoZone): string {
  const values = z.protection?.values ?? [];
  const names = columnNames(doc, z);
  const own = names.indexOf(z.zone);
  const free = zonePages(z, 'free');
  const min = zonePages(z, 'min');
  const rows = values.map((v, i) => {
    const check =
      free === null || min === null || (own >= 0 && i < own)
        ? '—'
        : free - v > min
          ? `${num(free)} − ${num(v)} > ${num(min)}: passes`
          : `${num(free)} − ${num(v)} ≤ ${num(min)}: fails`;
    return [esc(names[i]), num(v), num(v * PAGE_KB), own >= 0 && i < own ? 'cannot use this zone' : check];
  });
  return paragraphs(
    `**protection: lowmem_reserve[] of ${zoneName(z)}**`,
    "Column *j* is what this zone keeps back from a request whose class zone (the highest zone it may use: Normal for GFP_KERNEL, Movable or HighMem for user pages, DMA32 for GFP_DMA32) is zone *j*. __zone_watermark_ok lets such a request take a page here only while free − lowmem_reserve[*j*] stays above the watermark; the values come from vm.lowmem_reserve_ratio (setup_per_zone_lowmem_reserve: the managed pages of the zones above this one, up to *j*, divided by this zone's ratio).",
    table(['class zone', 'pages', 'kB', 'order-0 check at min'], rows, ['l', 'r', 'r', 'l']),
    names[0] === 'zone 0'
      ? "The file lists fewer zones than columns (older kernels print only populated zones): columns are the kernel's zone numbers."
      : null,
    PAGE_NOTE,
  );
}

const FIELD_TEXT: Record<string, string> = {
  free: 'free pages in the buddy lists of this zone (NR_FREE_PAGES)',
  boost:
    'watermark boost (5.0+): pages boost_watermark added to min, low and high after a fallback mixed page mobilities in a pageblock; kswapd reclaims it and then clears it. The printed min/low/high include it.',
  min: "the **min** watermark: this zone's share of vm.min_free_kbytes (__setup_per_zone_wmarks: proportional to its managed pages; HighMem, and Movable from 6.6, get a small clamp instead). Requests must leave more than min free; only `__GFP_HIGH`/atomic requests and reclaimers go below it.",
  low: 'the **low** watermark: min plus the gap — max(min / 4, managed × vm.watermark_scale_factor / 10000) from 4.6, min / 4 before. Below it kswapd is woken.',
  high: 'the **high** watermark: min plus twice the gap. kswapd reclaims until free is above it, then sleeps.',
  promo:
    'the **promo** watermark (6.x memory tiering): high plus the gap; on a node that receives promoted pages kswapd reclaims up to it.',
  scanned:
    'pages scanned by reclaim since the last page freed here (≤ 4.7); a large count with little freed was all_unreclaimable.',
  spanned: "pages from the zone's first to its last page frame, holes included",
  present: 'physical pages in the zone (spanned minus holes)',
  managed:
    'pages the buddy allocator manages (present minus what memblock/bootmem reserved at boot): the watermarks and lowmem_reserve are computed from these (3.8+)',
  cma: 'managed pages inside CMA areas: only movable requests (ALLOC_CMA) may take them',
};

function fieldText(
  doc: SystemDocument,
  z: ZoneinfoZone,
  name: string,
  v: ZoneinfoNumber,
  ctx: SystemContext,
): string {
  const parts: (string | null)[] = [
    `**${name === 'free' ? 'pages free' : name}** of ${zoneName(z)}: ${pagesText(v.value)}`,
    FIELD_TEXT[name] ?? null,
  ];
  const state = stateOf(z);
  if ((name === 'free' || name === 'min' || name === 'low' || name === 'high') && state && populated(z))
    parts.push(`Now: ${STATE_TEXT[state]}.`);
  if (name === 'free') {
    const cma = z.counters.get('nr_free_cma')?.value;
    if (cma) parts.push(`${pagesText(cma)} of it are CMA pages (movable requests only).`);
  }
  if (name === 'min') {
    const sum = minFreeSum(doc);
    if (sum.zones.length > 0) {
      const known = ctx.sysctl?.values.get('vm.min_free_kbytes');
      parts.push(
        `Σ min − boost of the lowmem zones (${sum.zones.join(', ')}) = ${num(sum.pages)} pages = **${num(sum.pages * PAGE_KB)} kB**: vm.min_free_kbytes, less under one page per zone lost to rounding` +
          (sum.movable ? ' (Movable counts only before 6.6)' : '') +
          '.' +
          (known ? ` ${esc(ctx.sysctl!.source)} says vm.min_free_kbytes = ${esc(known)}.` : ''),
      );
    }
  }
  if (name === 'low' || name === 'high') {
    const min = zonePages(z, 'min');
    const low = zonePages(z, 'low');
    const managed = zonePages(z, 'managed');
    const known = ctx.sysctl?.values.get('vm.watermark_scale_factor');
    const knownText = known !== undefined ? ` (${esc(ctx.sysctl!.source)}: ${esc(known)})` : '';
    if (min !== null && low !== null && managed) {
      const gap = low - min;
      // __setup_per_zone_wmarks (4.6+): gap = max(min / 4, managed × factor / 10000)
      if (gap > Math.floor(min / 4) + 1) {
        const factor = Math.round((gap / managed) * 10000);
        parts.push(
          `low − min = ${num(gap)} pages = ${((100 * gap) / managed).toFixed(2)} % of managed: a watermark_scale_factor of about ${num(factor)}${knownText}.`,
        );
      } else {
        const wsf = known !== undefined ? sysctlInt(known) : null;
        parts.push(
          `low − min = ${num(gap)} pages = min / 4: that quarter of min is the larger gap here` +
            (wsf !== null
              ? `; watermark_scale_factor ${wsf}${knownText} would give managed × ${wsf} / 10000 = ${num(Math.floor((managed * wsf) / 10000))} pages`
              : ', so watermark_scale_factor did not set it') +
            '.',
        );
      }
    }
  }
  parts.push(PAGE_NOTE);
  return paragraphs(...parts);
}

function buddyinfoHover(doc: SystemDocument, { line, character }: Position) {
  const z = doc.buddy.find((b) => b.line === line);
  if (!z) return null;
  const i = z.countStarts.findIndex((s, k) => character >= s && character <= z.countEnds[k]);
  if (i >= 0) {
    const blockPages = 2 ** i;
    const atOrder = freePagesAtOrder(z, i);
    return {
      value: paragraphs(
        `**${num(z.counts[i])} free block${z.counts[i] === 1 ? '' : 's'} of order ${i}** in ${zoneName(z)}: 2^${i} = ${num(blockPages)} page${blockPages > 1 ? 's' : ''} (${kib(blockPages * PAGE_KB)}) each, ${kib(z.counts[i] * blockPages * PAGE_KB)} in all`,
        `A request of order ${i} takes one of these or splits a larger block; free memory in blocks of order ≥ ${i}: ${pagesText(atOrder)}.`,
        PAGE_NOTE,
      ),
      range: range(line, z.countStarts[i], z.countEnds[i]),
    };
  }
  const largest = largestFreeOrder(z);
  const total = freePagesAtOrder(z, 0);
  const rows = z.counts.map((c, o) => [
    String(o),
    kib(2 ** o * PAGE_KB),
    num(c),
    num(c * 2 ** o * PAGE_KB),
    num(freePagesAtOrder(z, o) * PAGE_KB),
  ]);
  return {
    value: paragraphs(
      `**${zoneName(z)}** — ${pagesText(total)} free; ${largest === null ? 'no free block at all' : `largest free block: **order ${largest}** (${kib(2 ** largest * PAGE_KB)})`}`,
      table(['order', 'block', 'free blocks', 'kB', 'kB in blocks ≥ order'], rows, ['r', 'r', 'r', 'r', 'r']),
      'Order *n* lists count free blocks of 2^*n* contiguous pages (mm/vmstat.c frag_show_print). A request above order 3 (PAGE_ALLOC_COSTLY_ORDER) needs a free block of its size or compaction to make one.',
      PAGE_NOTE,
    ),
    range: range(line, 0, (doc.lines[line] ?? '').trimEnd().length),
  };
}

function sysctlHover(doc: SystemDocument, { line, character }: Position, ctx: SystemContext) {
  const e = doc.sysctl?.entries.find((x) => x.line === line);
  if (!e) return null;
  if (character >= e.keyStart && character <= e.keyEnd)
    return { value: keyText(e), range: range(line, e.keyStart, e.keyEnd) };
  if (character >= e.valueStart && character <= e.valueEnd && e.value !== '')
    return { value: valueText(e, ctx), range: range(line, e.valueStart, e.valueEnd) };
  return null;
}

function keyText(e: SysctlEntry): string {
  const meaning = VM_SYSCTLS[e.key];
  const eras = sysctlEras(e.key);
  const path = `/proc/sys/${e.key
    .replace(/\./g, '\u0000')
    .replace(/\//g, '.')
    .replace(/\u0000/g, '/')}`;
  const rangeOf = (min: number | null, max: number | null) =>
    min === null && max === null ? '—' : `${min ?? '…'} … ${max ?? '…'}`;
  return paragraphs(
    `**${esc(e.key)}** — ${esc(path)}`,
    // the glossary's and the timeline's words are the project's own Markdown; only the file's
    // text (key, value) is escaped
    meaning ? meaning.meaning : e.key.startsWith('vm.') ? 'A vm sysctl klens has no notes on.' : null,
    eras.length > 0
      ? table(
          ['since', 'range', 'default', 'notes'],
          eras.map((x) => [
            x.since,
            rangeOf(x.fact.min, x.fact.max),
            x.fact.default === null ? 'computed at boot' : String(x.fact.default),
            x.fact.text,
          ]),
        )
      : null,
    meaning ? `Source: ${meaning.doc}.` : null,
    e.ignoreFailure ? 'Written with `-`: a failure to set it is ignored (sysctl.d(5)).' : null,
  );
}

/** vm.lowmem_reserve_ratio's entries are zone i's divisor for zones above it: named by the open
 * zoneinfo's zones, else by the kernel's zone order. */
function ratioNames(count: number, ctx: SystemContext): string[] {
  const names = ctx.zoneinfo?.zones ?? ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'];
  return Array.from({ length: count }, (_, i) => names[i] ?? `zone ${i}`);
}

function valueText(e: SysctlEntry, ctx: SystemContext): string {
  const v = sysctlInt(e.value);
  const parts: (string | null)[] = [`**${esc(e.key)} = ${esc(e.value)}**`];
  switch (e.key) {
    case 'vm.min_free_kbytes':
      if (v !== null) {
        parts.push(`${kib(v)} kept free across the lowmem zones (their min watermarks).`);
        if (ctx.ram)
          parts.push(
            `That is ${((100 * v) / ctx.ram.kb).toFixed(2)} % of ${kib(ctx.ram.kb)} RAM (${esc(ctx.ram.source)}).`,
          );
      }
      break;
    case 'vm.watermark_scale_factor':
      if (v !== null) parts.push(`The gaps min → low → high are ${(v / 100).toFixed(2)} % of each zone.`);
      break;
    case 'vm.lowmem_reserve_ratio': {
      const fields = sysctlFields(e.value);
      const names = ratioNames(fields.length, ctx);
      parts.push(
        table(
          ['zone', 'ratio', 'keeps back'],
          fields.map((f, i) => {
            const r = sysctlInt(f);
            return [
              esc(names[i]),
              esc(f),
              r === null ? '?' : r < 1 ? 'nothing (protection off)' : `1/${r} of the zones above it`,
            ];
          }),
        ),
      );
      break;
    }
    case 'vm.zone_reclaim_mode':
      if (v !== null)
        parts.push(
          v === 0
            ? 'Off: allocations take free memory from other zones and nodes.'
            : [
                v & 1 ? 'reclaims the local node first' : null,
                v & 2 ? 'writes dirty pages out' : null,
                v & 4 ? 'swaps' : null,
              ]
                .filter(Boolean)
                .join(', ') + '.',
        );
      break;
    case 'vm.drop_caches':
      if (v !== null)
        parts.push(
          (
            {
              1: 'Drops the clean page cache.',
              2: 'Drops reclaimable slab objects (dentries, inodes).',
              3: 'Drops the page cache and the reclaimable slab.',
            } as Record<number, string>
          )[v & 3] ?? 'Drops nothing.',
        );
      break;
  }
  return paragraphs(...parts);
}

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

/** vm.rst min_free_kbytes: "if you set this to lower than 1024KB, your system will become subtly
 * broken, and prone to deadlock under high loads". */
const MIN_FREE_FLOOR_KB = 1024;
/** Above about 5 % of RAM the reserve is far beyond what the allocator needs (khugepaged's own
 * recommendation is capped at 5 % of lowmem, set_recommended_min_free_kbytes), and vm.rst warns
 * that "setting this too high will OOM your machine instantly". */
const MIN_FREE_RAM_SHARE = 0.05;

/** Every message carries names read from the file (a zone, a key): one sanitised line. */
function diagnostic(r: Range, severity: DiagnosticSeverity, message: string): Diagnostic {
  return { range: r, severity, source: DIAGNOSTIC_SOURCE, message: oneLine(message) };
}

export function systemDiagnostics(doc: SystemDocument, ctx: SystemContext = NO_CONTEXT): Diagnostic[] {
  if (doc.kind === 'zoneinfo') return zoneinfoDiagnostics(doc);
  if (doc.kind === 'buddyinfo') return buddyinfoDiagnostics(doc);
  if (doc.kind === 'meminfo') return [];
  return sysctlDiagnostics(doc, ctx);
}

function zoneinfoDiagnostics(doc: SystemDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const z of doc.zones) {
    if (!populated(z)) continue;
    const free = z.fields.get('free');
    const state = stateOf(z);
    const at = free ? range(free.line, free.nameStart, free.end) : range(z.line, z.zoneStart, z.zoneEnd);
    const f = zonePages(z, 'free') ?? 0;
    if (state === 'below_min')
      out.push(
        diagnostic(
          at,
          DiagnosticSeverity.Warning,
          `Node ${z.node} ${z.zone}: free ${f} pages ≤ min ${zonePages(z, 'min')}: below the min watermark; only atomic/__GFP_HIGH requests and reclaimers allocate here`,
        ),
      );
    else if (state === 'below_low')
      out.push(
        diagnostic(
          at,
          DiagnosticSeverity.Information,
          `Node ${z.node} ${z.zone}: free ${f} pages ≤ low ${zonePages(z, 'low')}: below the low watermark, kswapd is reclaiming`,
        ),
      );
    const boost = z.fields.get('boost');
    if (boost && boost.value > 0)
      out.push(
        diagnostic(
          range(boost.line, boost.nameStart, boost.end),
          DiagnosticSeverity.Information,
          `Node ${z.node} ${z.zone}: watermark boost of ${boost.value} pages (boost_watermark): a fallback mixed page mobilities; kswapd reclaims it`,
        ),
      );
  }
  return out;
}

function buddyinfoDiagnostics(doc: SystemDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const z of doc.buddy) {
    const largest = largestFreeOrder(z);
    if (largest === null || largest > COSTLY_ORDER || z.counts.length <= COSTLY_ORDER + 1) continue;
    out.push(
      diagnostic(
        range(z.line, z.zoneStart, z.zoneEnd),
        DiagnosticSeverity.Information,
        `Node ${z.node} ${z.zone}: no free block above order ${largest} (${largest === 0 ? 'single pages only' : `${2 ** largest * PAGE_KB} kB`}) although ${freePagesAtOrder(z, 0)} pages are free: requests above order ${largest} need compaction`,
      ),
    );
  }
  return out;
}

function sysctlDiagnostics(doc: SystemDocument, ctx: SystemContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parsed = doc.sysctl;
  if (!parsed) return out;
  const conf = doc.kind === 'sysctl-conf';
  if (conf)
    for (const p of parsed.problems)
      out.push(diagnostic(range(p.line, p.start, p.end), DiagnosticSeverity.Warning, p.message));
  for (const e of parsed.entries) {
    const valueRange = range(e.line, e.valueStart, Math.max(e.valueEnd, e.valueStart));
    const keyRange = range(e.line, e.keyStart, e.keyEnd);
    const meaning = VM_SYSCTLS[e.key];
    if (conf && meaning?.action) {
      out.push(
        diagnostic(
          keyRange,
          e.key === 'vm.drop_caches' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
          e.key === 'vm.drop_caches'
            ? 'vm.drop_caches persisted: every boot and `sysctl --system` drops the page and slab caches, which are then re-read from disk; it is a one-shot action, not a setting (vm.rst drop_caches)'
            : `${e.key} persisted: a one-shot trigger that runs each time the file is applied, not a setting`,
        ),
      );
      continue;
    }
    if (e.key === 'vm.lowmem_reserve_ratio') {
      out.push(...ratioCount(e, valueRange, ctx));
      continue;
    }
    const eras = sysctlEras(e.key);
    if (eras.length === 0) continue;
    const v = sysctlInt(e.value);
    const numeric = eras.some((x) => x.fact.min !== null || x.fact.max !== null);
    if (v === null) {
      if (numeric)
        out.push(
          diagnostic(
            valueRange,
            DiagnosticSeverity.Error,
            `${e.key} takes an integer: "${oneLine(e.value).slice(0, 40)}" is refused (EINVAL)`,
          ),
        );
      continue;
    }
    // outside what every release of the timeline accepts: proc_dointvec_minmax refuses it
    const lo = Math.min(...eras.map((x) => x.fact.min ?? -Infinity));
    const hi = Math.max(...eras.map((x) => x.fact.max ?? Infinity));
    if (v < lo || v > hi) {
      out.push(
        diagnostic(
          valueRange,
          DiagnosticSeverity.Error,
          `${e.key} = ${v} is outside ${lo} … ${hi}, which every kernel refuses (EINVAL)`,
        ),
      );
      continue;
    }
    const newest = eras[eras.length - 1];
    if (
      (newest.fact.min !== null && v < newest.fact.min) ||
      (newest.fact.max !== null && v > newest.fact.max)
    )
      out.push(
        diagnostic(
          valueRange,
          DiagnosticSeverity.Information,
          `${e.key} = ${v}: kernels from ${newest.since} take ${newest.fact.min ?? '…'} … ${newest.fact.max ?? '…'} and refuse it`,
        ),
      );
    if (e.key === 'vm.min_free_kbytes') {
      if (v < MIN_FREE_FLOOR_KB)
        out.push(
          diagnostic(
            valueRange,
            DiagnosticSeverity.Warning,
            `vm.min_free_kbytes = ${v} kB is below 1024 kB: vm.rst warns the system "will become subtly broken, and prone to deadlock under high loads"`,
          ),
        );
      else if (ctx.ram && v > ctx.ram.kb * MIN_FREE_RAM_SHARE)
        out.push(
          diagnostic(
            valueRange,
            DiagnosticSeverity.Warning,
            `vm.min_free_kbytes = ${v} kB is ${((100 * v) / ctx.ram.kb).toFixed(1)} % of RAM (${ctx.ram.kb} kB, ${ctx.ram.source}): above about 5 % kswapd reclaims constantly and "setting this too high will OOM your machine" (vm.rst)`,
          ),
        );
    }
  }
  return out;
}

/** vm.lowmem_reserve_ratio holds one entry per zone the kernel has (4.17+: MAX_NR_ZONES), one
 * fewer before 4.17 (the top zone protects nothing): proc_dointvec takes no more than the array
 * holds, and a shorter list leaves the other zones' ratios as they were. */
function ratioCount(e: SysctlEntry, at: Range, ctx: SystemContext): Diagnostic[] {
  const n = sysctlFields(e.value).length;
  const bad = sysctlFields(e.value).find((f) => sysctlInt(f) === null);
  if (bad !== undefined)
    return [
      diagnostic(
        at,
        DiagnosticSeverity.Error,
        `vm.lowmem_reserve_ratio takes integers: "${oneLine(bad).slice(0, 20)}" is refused (EINVAL)`,
      ),
    ];
  const runtime = ctx.sysctl?.runtime ? ctx.sysctl.values.get('vm.lowmem_reserve_ratio') : undefined;
  if (runtime !== undefined) {
    const want = sysctlFields(runtime).length;
    if (want !== n)
      return [
        diagnostic(
          at,
          DiagnosticSeverity.Warning,
          `vm.lowmem_reserve_ratio has ${n} entries; the kernel of ${ctx.sysctl!.source} has ${want} (one per zone): ${n > want ? 'the extra ones are not taken' : 'the zones after them keep their ratios'}`,
        ),
      ];
    return [];
  }
  if (ctx.zoneinfo) {
    const cols = ctx.zoneinfo.columns;
    if (n !== cols && n !== cols - 1)
      return [
        diagnostic(
          at,
          DiagnosticSeverity.Warning,
          `vm.lowmem_reserve_ratio has ${n} entries; ${ctx.zoneinfo.source} shows ${cols} zones, so the kernel takes ${cols} (4.17+) or ${cols - 1} (before 4.17): ${n > cols ? 'the extra ones are not taken' : 'the zones after them keep their ratios'}`,
        ),
      ];
    return [];
  }
  if (n === 0 || n > MAX_NR_ZONES)
    return [
      diagnostic(
        at,
        DiagnosticSeverity.Warning,
        `vm.lowmem_reserve_ratio has ${n} entries; a kernel has at most ${MAX_NR_ZONES} zones (DMA, DMA32, Normal, HighMem, Movable, Device), one entry each`,
      ),
    ];
  return [];
}
