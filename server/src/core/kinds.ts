// The report kinds as one table: what the parser, the explainer, the CLI and the language server
// need to know about each kind. `REPORT_KINDS` is a Record<ReportKind, ReportKindSpec>, so a new
// kind (model.ts) does not compile until every field below is filled for it. The report's finding
// code carries its title and severity (FINDING_CODES in codes.ts, docs/codes/<CODE>.md): they are
// stated there once and read through `code`.

import type { Verdict } from './analysis-types';
import type { FindingCodeId } from './codes';
import type { LineEnd } from './formats';
import { vmallocImpact, vmallocSizeWords } from './vmalloc';
import { dumpImpact, dumpSource, dumpVerdict, type DumpSource } from './dump-source';

/** A show_mem report's summary opening, by what printed it (dump-source.ts). */
const DUMP_WORDS: Record<DumpSource | 'none', string> = {
  none: 'Memory dump',
  sysrq: 'Memory dump (SysRq-m)',
  warn_alloc: 'Memory dump of a failed allocation whose header is missing (warn_alloc in the trace)',
  oom: 'Memory dump of an OOM kill whose header is missing (out_of_memory in the trace)',
};
import type { Report, ReportKind } from './model';
import { isManualOom, isMemcgOom, memcgWho, memoryMaxLowered, usageWords, type OomKind } from './oom-kind';
import { cgroupLabel, describeCgroup } from './cgroup-path';

/** What happened instead of a kill when an OOM report ends without one (Report.oomEnd;
 * mm/oom_kill.c out_of_memory, check_panic_on_oom), or null. */
export function oomEndText(r: Pick<Report, 'oomEnd' | 'killed'>): string | null {
  const end = r.oomEnd;
  if (!end || r.killed) return null;
  if (end.panicOnOom !== null)
    return `nobody was killed: vm.panic_on_oom=${end.panicOnOom} made the kernel panic (${end.panicOnOom === 2 ? 'compulsory: for every OOM' : 'system-wide: for an OOM with constraint CONSTRAINT_NONE'}; check_panic_on_oom)`;
  if (end.noKillable)
    return end.panic !== null
      ? 'nobody was killed: the OOM killer found no killable process and the kernel panicked (`' +
          end.panic +
          '`)'
      : 'nobody was killed: the OOM killer found no killable process';
  return end.panic !== null ? `nobody was killed: the kernel panicked (\`${end.panic}\`)` : null;
}

/** The pieces of the one-sentence summary explain.ts has worked out for a report. */
export interface SummaryParts {
  report: Report;
  /** e.g. `order-5 (128 KiB) GFP_ATOMIC` */
  what: string;
  /** ` in softirq`, ` in nginx` or '' */
  where: string;
  /** ` (caller → … )` or '' */
  chain: string;
  /** The state of the worst zone the request may use, `'no zone lines'` or ''. */
  zonePart: string;
  /** `zonePart` and the verdict's short text joined by `; ` */
  tail: string;
  /** The mode as a person would say it (explain.ts modeWord). */
  mode: string;
  /** How many zone lines the report has. */
  zoneCount: number;
  /** An OOM kill asked for with SysRq f (oom-kind.ts isManualOom). */
  sysrq: boolean;
  /** Which OOM an OOM report is (oom-kind.ts classifyOom), null for the other kinds. */
  oom?: OomKind | null;
  /** An OOM no failed allocation led to (verdict.ts oomWithoutRequest): what called it. */
  noRequest?: string | null;
}

/** What the short, verdict-first diagnostic message is built from (explain.ts reportMessage). */
export interface MessageParts extends SummaryParts {
  /** The verdict's short text (verdict.ts decideVerdict `short`). */
  verdictShort: string;
  /** `order-5 GFP_ATOMIC`: the order and the mode, without the size, context or call chain. */
  lead: string;
  /** The zones the verdict rests on, in words (`no free 128 KiB block in Node 1 Normal`), or ''. */
  verdictZones: string;
}

/** A dump's opening in the short message, by what printed it (DUMP_WORDS, shortened). */
const DUMP_SHORT: Record<DumpSource | 'none', string> = {
  none: 'Memory dump',
  sysrq: 'Memory dump (SysRq-m)',
  warn_alloc: 'Memory dump of a failed allocation (header missing)',
  oom: 'Memory dump of an OOM kill (header missing)',
};

/** A dump's zones in words: the worst zone's state, or why there is none. */
const dumpZones = (p: SummaryParts): string =>
  p.zonePart || (p.zoneCount === 0 ? 'no zone lines' : 'zone watermarks not printed');

/** Who an OOM report killed, or what happened instead, in a few words. */
function killedWords(r: Report): string {
  if (r.killed) return `killed ${r.killed.comm ?? '?'} (pid ${r.killed.pid ?? '?'})`;
  const end = r.oomEnd;
  if (!end) return '';
  if (end.panicOnOom !== null) return `nobody killed: vm.panic_on_oom=${end.panicOnOom} panicked`;
  if (end.noKillable) return end.panic !== null ? 'nobody killable: the kernel panicked' : 'nobody killable';
  return end.panic !== null ? 'nobody killed: the kernel panicked' : '';
}

/** memory.oom.group's kills (Report.oomGroup): mm/oom_kill.c oom_kill_process (4.19+) kills every
 * task of the printed cgroup after the victim (oom_kill_memcg_member: all but oom_score_adj -1000
 * and init), each with a kill line; the words name only the kill lines the log holds. */
function groupKillWords(r: Report): string {
  const g = r.oomGroup;
  if (!g) return '';
  const who = cgroupLabel(describeCgroup(g.path));
  const lines = g.kills.map(
    (k) =>
      `${k.comm ?? '?'} (pid ${k.pid ?? '?'}${k.pid !== null && k.pid === r.killed?.pid ? ', the victim again' : ''})`,
  );
  return (
    ` memory.oom.group is set: every task of ${who} is killed with the victim (mm/oom_kill.c oom_kill_process → oom_kill_memcg_member, 4.19+; tasks at oom_score_adj -1000 and init are spared)` +
    (lines.length > 0
      ? `; the log shows ${lines.length} kill line${lines.length === 1 ? '' : 's'} after it: ${lines.join(', ')}.`
      : '; the log shows no kill line after it.')
  );
}

/** How an OOM report's summary and diagnostic open, by which OOM it was (oom-kind.ts). */
function oomOpening(k: OomKind | null): string {
  switch (k?.scope) {
    case 'memcg':
      return `Memory-cgroup OOM kill${k.cgroupVersion ? ` (cgroup ${k.cgroupVersion})` : ''}`;
    case 'cpuset':
      return 'OOM kill confined by a cpuset';
    case 'mempolicy':
      // inferred from a ≤4.18 header's nodemask (oom-kind.ts inferredMempolicy): say so
      return `OOM kill confined by a mempolicy${k.constraintKnown ? '' : ' (inferred from nodemask=)'}`;
    case 'manual':
      return 'Manual OOM kill (SysRq f)';
    case 'global':
      return k.constraintKnown ? 'Global OOM kill' : 'System OOM kill';
    default:
      return 'OOM kill';
  }
}

export interface ReportKindSpec {
  /** The report's own finding code, on its header line (title and severity: FINDING_CODES). */
  code: FindingCodeId;
  /** The CLI's block heading. */
  label: string;
  /** What the kernel prints before the GFP mask in the header: `gfp_mask=` in the OOM header
   * (mm/oom_kill.c dump_header), `mode:` in warn_alloc's and the others (mm/page_alloc.c). */
  maskLabel: 'gfp_mask=' | 'mode:';
  /** What the kernel prints before the order: `order=` in the OOM header, `order:` in warn_alloc's. */
  orderLabel: 'order=' | 'order:';
  /** true: the header's punctuation tells the era, `failure.` up to 2.6.39, `failure:` from 3.0 (ref §2.1,
   * K2639 mm/page_alloc.c); the report records which it was (Report.headerStyle). */
  headerStyle: boolean;
  /** One allocation request whose watermark check can be replayed against the zones. */
  replayable: boolean;
  /** The kernel prints a Mem-Info dump with it (ref §2.2, §7: warn_alloc in mm/page_alloc.c and
   * dump_header in mm/oom_kill.c call show_mem), so a report without zone lines was cut; SLUB's
   * slab_out_of_memory (mm/slub.c) prints its own per-node lines and no dump. */
  zoneLines: boolean;
  /** The last line the kernel prints for the report: it may close after it (LogScanner). OOM kills
   * end with the `Killed process` line (mm/oom_kill.c oom_kill_process, __oom_kill_process from
   * 4.19); the others with the Mem-Info dump's swap totals (show_swap_cache_info, mm/swap_state.c)
   * or `pages RAM` (show_mem, lib/show_mem.c). Which lines those are is the line formats' `ends`
   * (formats.ts): this names the class. */
  endsOn: LineEnd;
  /** Which suggestions apply (remedies.ts): the watermark and reserve sysctls of an allocation
   * that went through the zones ('watermarks'; '_if_decided': only when the verdict was decided
   * against the zones — a vmalloc request too large or without address space is not helped by
   * them), the OOM killer's advice ('oom'), or none. */
  remedies: 'watermarks' | 'watermarks_if_decided' | 'oom' | 'none';
  /** The symbol kind of the report in the editor's outline (LSP SymbolKind's name). */
  outline: 'Event' | 'Object';
  /** The header as the kernel printed it, rebuilt from the parsed values. */
  headline(r: Report): string;
  /** The one-sentence summary (product.md) the hover and the CLI print; the diagnostic's shorter
   * message is `message`. */
  summary(p: SummaryParts): string;
  /** The diagnostic's message, verdict first (issue #14): the verdict part, then details in the
   * order they are dropped last; explain.ts reportMessage fits them to a Problems row. */
  message(p: MessageParts): string[];
  /** Is it harmful? null: the allocation's own rules decide (explain.ts impactOf). */
  impact(r: Report, verdict: Verdict): string | null;
  /** A report of this kind decides nothing against the zones: its verdict is not_applicable with
   * this text; null: the request is decided (verdict.ts decideVerdict). */
  notApplicable: ((r: Report) => { text: string; short: string }) | null;
}

const who = (r: Report): string => r.comm ?? '?';
const modeOf = (r: Report): string =>
  r.gfp ? `${r.gfp.raw}${r.gfp.printed !== null ? `(${r.gfp.printed})` : ''}` : '?';

/** The defaults of warn_alloc's reports (mm/page_alloc.c), which most kinds share. */
const WARN_ALLOC = {
  maskLabel: 'mode:',
  orderLabel: 'order:',
  endsOn: 'dump',
  outline: 'Object',
} as const;

export const REPORT_KINDS: Readonly<Record<ReportKind, Readonly<ReportKindSpec>>> = {
  page_alloc_failure: {
    ...WARN_ALLOC,
    code: 'KLL001',
    label: 'page allocation failure',
    headerStyle: true,
    replayable: true,
    remedies: 'watermarks',
    zoneLines: true,
    headline: (r) => `${who(r)}: page allocation failure: order:${r.order ?? '?'}, mode:${modeOf(r)}`,
    summary: (p) => `${p.what} allocation failed${p.where}${p.chain}: ${p.tail}`,
    message: (p) => [`${p.lead} failed: ${p.verdictShort}`, p.verdictZones, p.zonePart],
    impact: () => null,
    notApplicable: null,
  },
  oom_kill: {
    code: 'KLL002',
    label: 'OOM kill',
    maskLabel: 'gfp_mask=',
    orderLabel: 'order=',
    headerStyle: false,
    replayable: true,
    remedies: 'oom',
    zoneLines: true,
    endsOn: 'oom',
    outline: 'Event',
    headline: (r) => `${who(r)} invoked oom-killer: gfp_mask=${modeOf(r)}, order=${r.order ?? '?'}`,
    summary: (p) => {
      const r = p.report;
      const k = p.oom ?? null;
      const instead = oomEndText(r);
      const killed = r.killed ? `; ${killedWords(r)}` : instead ? `; ${instead}` : '';
      if (p.sysrq)
        return `Manual OOM kill (SysRq f${r.order === -1 ? ', order=-1' : ''}): no allocation failed${killed}${p.zonePart ? `: ${p.zonePart}` : ''}`;
      // a memcg OOM: a charge hit the cgroup's limit, nothing failed in the zones (mm/memcontrol.c
      // try_charge → mem_cgroup_oom; dump_header prints no Mem-Info for it)
      if (k?.scope === 'memcg') {
        const usage = usageWords(k);
        // a write to memory.max (explain.ts noRequest) lowered the limit: no charge failed
        return p.noRequest
          ? `${oomOpening(k)}: ${memcgWho(k)} was over its memory limit${usage ? ` (${usage})` : ''} after ${p.noRequest}${p.where} lowered it${killed}`
          : `${oomOpening(k)}: ${memcgWho(k)} hit its memory limit${usage ? ` (${usage})` : ''}` +
              `, charging ${p.what}${p.where}${p.chain}${killed}`;
      }
      if (p.noRequest)
        return `${oomOpening(k)}${p.where}${p.chain} from ${p.noRequest}, not a failed allocation${killed}: ${p.tail}`;
      return `${oomOpening(k)}: ${p.what} request${p.where}${p.chain} could not be met${killed}: ${p.tail}`;
    },
    // the kind and the victim lead (issue #18); a memcg OOM's head is kept short so the victim fits
    message: (p) =>
      p.oom?.scope === 'memcg'
        ? [
            `Memcg OOM${p.oom.cgroupVersion ? ` (${p.oom.cgroupVersion})` : ''}: ${p.verdictShort}`,
            killedWords(p.report),
            usageWords(p.oom) ?? '',
            p.noRequest ? '' : p.lead,
          ]
        : [
            p.sysrq
              ? `Manual OOM kill (SysRq f): ${p.verdictShort}`
              : `${oomOpening(p.oom ?? null)}: ${p.verdictShort}`,
            killedWords(p.report),
            // a manual or page-fault OOM has no request: its order and mask (-1, 0x0) say nothing
            p.sysrq || p.noRequest ? '' : p.lead,
            p.zonePart,
          ],
    impact: (r) =>
      (r.oomEnd?.panic != null && !r.killed
        ? 'The kernel panicked instead of killing a process: the whole machine stopped (or rebooted, if kernel.panic is set); everything in flight on it is lost.'
        : r.oomEnd?.noKillable && !r.killed
          ? memoryMaxLowered(r)
            ? // mm/memcontrol.c memory_max_write: out of the loop when mem_cgroup_out_of_memory fails
              "No process was killed (none was killable): memory_max_write gives up (mm/memcontrol.c): the write to memory.max returns, the new limit stays below the cgroup's usage, and the cgroup's next charges meet it."
            : 'No process was killed (none was killable): the allocation keeps failing or retrying until memory is freed some other way.'
          : isManualOom(r)
            ? `A process was killed${r.killed?.comm ? ` (${r.killed.comm})` : ''} because someone asked for it (SysRq f): data in flight in that process is lost; the kill itself says nothing about whether memory was short.`
            : isMemcgOom(r) && memoryMaxLowered(r)
              ? `A process was killed${r.killed?.comm ? ` (${r.killed.comm})` : ''} because a write to memory.max set its memory cgroup's limit below the cgroup's usage: data in flight in that process is lost. Nothing ran short: memory_max_write kills until the usage fits under the new limit (mm/memcontrol.c).`
              : isMemcgOom(r)
                ? // mem_cgroup_out_of_memory runs because the cgroup reached its limit, whatever the
                  // machine's free memory: nothing is said of the rest of the system. (What the
                  // report prints of it depends on the release, dump_header in mm/oom_kill.c: show_mem
                  // alone in 2.6.25–2.6.28, the cgroup's counters and show_mem in 2.6.29–3.4.113, the
                  // counters alone in 3.14.40 and after.)
                  `A process was killed${r.killed?.comm ? ` (${r.killed.comm})` : ''} because its memory cgroup hit its limit: data in flight in that process is lost. The cgroup's limit ran out, which by itself says nothing about the machine's memory.`
                : `A process was killed${r.killed?.comm ? ` (${r.killed.comm})` : ''} to free memory: data in flight in that process is lost.`) +
      groupKillWords(r),
    notApplicable: null,
  },
  vmalloc_failure: {
    ...WARN_ALLOC,
    code: 'KLL003',
    label: 'vmalloc failure',
    headerStyle: true,
    replayable: true,
    remedies: 'watermarks_if_decided',
    zoneLines: true,
    // the message as the kernel printed it (vmalloc.ts vmallocMessageOf; ≤4.8 the caller line)
    headline: (r) =>
      `${who(r)}: ${r.vmallocMessage ?? `vmalloc: allocation failure${r.vmallocAllocatedBytes !== null ? `, allocated ${r.vmallocAllocatedBytes} of ${r.vmallocBytes ?? '?'} bytes` : `: ${r.vmallocBytes ?? '?'} bytes`}`}, mode:${modeOf(r)}`,
    summary: (p) => `vmalloc ${vmallocSizeWords(p.report)} (${p.mode}) failed${p.where}${p.chain}: ${p.tail}`,
    message: (p) => [
      `vmalloc failed: ${p.verdictShort}`,
      `${vmallocSizeWords(p.report)}, ${p.mode}`,
      p.verdictZones,
      p.zonePart,
    ],
    impact: (r, verdict) => vmallocImpact(r, verdict),
    notApplicable: null,
  },
  slub_failure: {
    ...WARN_ALLOC,
    code: 'KLL004',
    label: 'SLUB allocation failure',
    headerStyle: false,
    replayable: false,
    remedies: 'none',
    zoneLines: false,
    headline: (r) =>
      `SLUB: Unable to allocate memory on node ${r.slub?.node ?? '?'} (gfp=${r.gfp?.raw ?? '?'})${r.slub?.cache ? `, cache ${r.slub.cache}` : ''}`,
    summary: ({ report: r, mode }) =>
      `SLUB could not allocate a slab${r.slub?.cache ? ` for ${r.slub.cache}` : ''} (${mode}${r.slub?.node !== null && r.slub?.node !== undefined ? `, node ${r.slub.node}` : ''}): the page allocation behind it failed`,
    message: ({ report: r, verdictShort, mode }) => [
      `SLUB: ${verdictShort}${r.slub?.cache ? ` (${r.slub.cache})` : ''}: the page allocation behind it failed`,
      `${mode}${r.slub?.node !== null && r.slub?.node !== undefined ? `, node ${r.slub.node}` : ''}`,
    ],
    impact: () =>
      'The slab cache could not grow; the caller got NULL (see the page allocation failure that goes with it).',
    notApplicable: () => ({
      text: 'A SLUB report: the slab allocator could not get a new slab; the page allocation behind it is reported separately (usually just before).',
      short: 'slab could not grow',
    }),
  },
  alloc_stall: {
    ...WARN_ALLOC,
    code: 'KLL005',
    label: 'allocation stall',
    headerStyle: false,
    replayable: true,
    remedies: 'watermarks',
    zoneLines: true,
    headline: (r) =>
      `${who(r)}: page allocation stalls for ${r.stallMs ?? '?'}ms, order:${r.order ?? '?'}, mode:${modeOf(r)}`,
    summary: (p) =>
      `${p.what} allocation stalled for ${p.report.stallMs ?? '?'} ms${p.where}${p.chain}: ${p.tail}`,
    message: (p) => [
      `${p.lead}: ${p.verdictShort}${p.report.stallMs !== null ? ` for ${p.report.stallMs} ms` : ''}`,
      p.zonePart,
    ],
    impact: () => 'The task was stuck in reclaim for that long: a latency problem, not yet a failure.',
    notApplicable: (r) => ({
      text: `The allocation stalled${r.stallMs !== null ? ` for ${r.stallMs} ms` : ''} in reclaim but had not failed when this was printed.`,
      short: 'allocation stalled in reclaim',
    }),
  },
  show_mem: {
    ...WARN_ALLOC,
    code: 'KLL006',
    label: 'Mem-Info dump',
    headerStyle: false,
    replayable: false,
    remedies: 'none',
    zoneLines: true,
    headline: () => 'Mem-Info dump',
    summary: (p) => `${DUMP_WORDS[dumpSource(p.report) ?? 'none']}: ${dumpZones(p)}`,
    message: (p) => [`${DUMP_SHORT[dumpSource(p.report) ?? 'none']}: ${dumpZones(p)}`],
    impact: (r) => dumpImpact(r),
    notApplicable: (r) => dumpVerdict(r),
  },
};

/** Every report kind, in the table's order. */
export const REPORT_KIND_LIST = Object.keys(REPORT_KINDS) as ReportKind[];

/** A Record<ReportKind, T> with `f` applied to each kind's row. */
export function perKind<T>(f: (spec: ReportKindSpec, kind: ReportKind) => T): Record<ReportKind, T> {
  const out = {} as Record<ReportKind, T>;
  for (const kind of REPORT_KIND_LIST) out[kind] = f(REPORT_KINDS[kind], kind);
  return out;
}

/** A header label as a field's name (`gfp_mask=` → `gfp_mask`, `order:` → `order`). */
export function labelName(label: string): string {
  return label.replace(/[:=\s]+$/, '');
}
