// The `--json` document (product.md "The CLI"): the core's model with 1-based lines, camelCase
// names, and null for every absent value (never an omitted key).
import type { CgroupIdentity } from '../core/cgroup-path';
import type { MemcgCounterView, NamedCgroup, OomKind } from '../core/oom-kind';
import type { Framing, GfpInfo, Report, StackFrame, ZoneLine } from '../core/model';
import type {
  ContextAnalysis,
  Finding,
  GfpAnalysis,
  Remedy,
  SysctlSuggestion,
  Verdict,
  ZoneAnalysis,
  ZoneCheck,
  ZoneNumbers,
  ZoneState,
} from '../core/analysis-types';
import type { Analysed, RepeatGroup } from '../core/analyze';
import type { OomAnalysis, OomConsumer } from '../core/oom-analysis';

export interface JsonGfp {
  raw: string;
  printed: string | null;
  /** Every single `__GFP_*` bit set, in bit order (empty when the poster masked the value). */
  flags: string[] | null;
  /** The mask as a person writes it for the era (the printed names win where present). */
  names: string[] | null;
  /** `names` joined with `|`, e.g. "GFP_ATOMIC|__GFP_COMP". */
  text: string | null;
  era: string | null;
  atomic: boolean | null;
  canReclaim: boolean | null;
  highestZone: string | null;
  /** ALLOC_* flags of the failing slow-path attempt, e.g. "ALLOC_WMARK_MIN|ALLOC_HIGH". */
  allocFlags: string | null;
  implausible: string | null;
}

/** A zone as the JSON contract shows it: the parsed numbers (line 1-based) plus the analysis. */
export interface JsonZone extends ZoneNumbers, Pick<ZoneLine, 'allUnreclaimable' | 'lowmemReserve'> {
  state: ZoneState | null;
  /** The replayed watermark check for this zone: pass, fail, unknown, skipped (not usable). */
  check: ZoneCheck['result'] | null;
}

export interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  line: number;
  related: { line: number; message: string }[];
}

export interface JsonSysctl {
  key: string;
  value: string;
  comment: string;
  recommended: boolean;
}

export interface JsonRemedy {
  id: string;
  title: string;
  recommended: boolean;
  assessment: string;
  /** The sysctl key it sets, null for advice that is not a sysctl. */
  sysctlKey: string | null;
}

export interface JsonCallTrace {
  frames: number;
  /** Caller → callee, ending with the allocator entry. */
  chain: string[];
  /** The chain without the allocator entry. */
  callers: string | null;
  allocator: string | null;
  context: string;
  subsystem: string | null;
  driver: string | null;
  modules: string[];
}

/** A report as the JSON contract shows it: the parsed header fields (lines 1-based) plus the analysis. */
export interface JsonEvent extends Pick<
  Report,
  | 'kind'
  | 'line'
  | 'endLine'
  | 'time'
  | 'host'
  | 'comm'
  | 'pid'
  | 'cpu'
  | 'kernel'
  | 'tainted'
  | 'hardware'
  | 'order'
  | 'nodemask'
  | 'cpuset'
  | 'memsAllowed'
  | 'oomScoreAdj'
  | 'vmallocBytes'
  | 'vmallocAllocatedBytes'
  | 'stallMs'
  | 'slub'
  | 'suppressedBefore'
  | 'truncated'
  | 'memInfoLine'
  | 'killed'
> {
  /** The file the report is in, for the logs of a folder (a rotated set is read as one). */
  file?: string;
  /** Position among the file's reports, 0-based. */
  index: number;
  headline: string;
  summary: string;
  verdict: Verdict;
  verdictText: string;
  orderBytes: number | null;
  gfp: JsonGfp | null;
  era: {
    release: string | null;
    version: string | null;
    distro: string | null;
    gfpEra: string | null;
    watermarkEra: string | null;
    decidedBy: string;
    /** What decided it, e.g. "release 3.4.24-x86_64 in the task line". */
    reason: string;
  };
  /** 1 for a first report, n for the n-th identical one; `firstLine`: the first one's header line
   * (`firstFile`: its file, for the logs of a folder). */
  repeat: { occurrence: number; firstLine: number | null; firstFile?: string | null };
  callTrace: JsonCallTrace;
  memory: {
    pageSizeKb: number;
    ramKb: number | null;
    freeKb: number | null;
    freeSwapKb: number | null;
    totalSwapKb: number | null;
    /** Σ zone min: the inferred vm.min_free_kbytes. */
    minFreeKbytes: number | null;
    minFreeDefaultKb: number | null;
    thpRecommendedKb: number | null;
    /** vm.min_free_kbytes as the system's sysctl states it: only when system values were given
     * (a sosreport's `sysctl -a`), absent otherwise. */
    minFreeKbytesKnown?: { kb: number; source: string };
  };
  replay: { classzone: string | null; allocFlags: string; missing: string[]; assumptions: string[] };
  zones: JsonZone[];
  findings: JsonFinding[];
  sysctl: JsonSysctl[];
  remedies: JsonRemedy[];
  /** OOM reports only: which OOM it was (core/oom-kind.ts); absent for the other kinds. */
  oomKind?: JsonOomKind;
  /** OOM kills only (absent for other kinds): who held the memory (core/oom-analysis.ts), lines
   * 1-based. */
  oom?: OomAnalysis;
}

/** A cgroup an OOM report names, with what users call it (core/cgroup-path.ts). */
export interface JsonCgroup {
  path: string;
  kind: CgroupIdentity['kind'];
  label: string;
  podUid: string | null;
  qosClass: string | null;
  containerId: string | null;
  runtime: string | null;
  unit: string | null;
}

export interface JsonOomKind {
  scope: OomKind['scope'];
  label: string;
  constraint: string | null;
  constraintKnown: boolean;
  ending: OomKind['ending'];
  evidence: string;
  cgroupVersion: 'v1' | 'v2' | null;
  limitCgroup: JsonCgroup | null;
  taskCgroup: JsonCgroup | null;
  /** kB; limitKb null: no limit set (max). Lines 1-based. */
  counters: MemcgCounterView[];
  swap: OomKind['swap'];
  victim: OomKind['victim'];
  /** The costly-order rule's sentence when the order is above 3, else null. */
  costlyNote: string | null;
}

function cgroupJson(c: NamedCgroup | null): JsonCgroup | null {
  if (!c) return null;
  const i = c.identity;
  return {
    path: c.path,
    kind: i.kind,
    label: c.label,
    podUid: i.podUid ?? null,
    qosClass: i.qosClass ?? null,
    containerId: i.containerId ?? null,
    runtime: i.runtime ?? null,
    unit: i.unit ?? null,
  };
}

function oomKindJson(k: OomKind): JsonOomKind {
  return {
    scope: k.scope,
    label: k.label,
    constraint: k.constraint,
    constraintKnown: k.constraintKnown,
    ending: k.ending,
    evidence: k.evidence,
    cgroupVersion: k.cgroupVersion,
    limitCgroup: cgroupJson(k.limitCgroup),
    taskCgroup: cgroupJson(k.taskCgroup),
    counters: k.counters.map((c) => ({ ...c, line: c.line + 1 })),
    swap: k.swap,
    victim: k.victim,
    costlyNote: k.costlyNote,
  };
}

/** A repeat group (lines 1-based) with its time span. */
export type JsonRepeat = Omit<RepeatGroup, 'index'>;

export interface JsonFileResult {
  file: string;
  framing: Framing;
  lineCount: number;
  /** Reports the kernel's rate limiters dropped (`warn_alloc: N callbacks suppressed`), summed. */
  suppressed: number;
  /** Present when the input was read as a quoted-printable mail body: the line (1-based) the
   * decoding began on. */
  quotedPrintableFromLine?: number;
  /** Groups of identical reports, most frequent first. */
  repeats: JsonRepeat[];
  events: JsonEvent[];
}

const oneBased = (line: number | null): number | null => (line === null ? null : line + 1);

function gfpJson(gfp: GfpInfo | null, a: GfpAnalysis | null): JsonGfp | null {
  if (!gfp) return null;
  return {
    raw: gfp.raw,
    printed: gfp.printed,
    flags: a ? a.flags : null,
    names: a ? a.names : null,
    text: a ? a.text : null,
    era: a?.era ?? null,
    atomic: a?.atomic ?? null,
    canReclaim: a?.canReclaim ?? null,
    highestZone: a?.highestZone ?? null,
    allocFlags: a?.allocFlags?.text ?? null,
    implausible: a?.implausible ?? null,
  };
}

function zoneJson(analysis: ZoneAnalysis): JsonZone {
  const zone = analysis.parsed;
  return {
    node: zone.node,
    nodePrinted: zone.nodePrinted,
    zone: zone.zone,
    line: zone.line + 1,
    freeKb: zone.freeKb,
    minKb: zone.minKb,
    lowKb: zone.lowKb,
    highKb: zone.highKb,
    boostKb: zone.boostKb,
    presentKb: zone.presentKb,
    managedKb: zone.managedKb,
    reservedHighatomicKb: zone.reservedHighatomicKb,
    freeCmaKb: zone.freeCmaKb,
    allUnreclaimable: zone.allUnreclaimable,
    lowmemReserve: zone.lowmemReserve,
    state: analysis.state,
    check: analysis.check?.result ?? null,
  };
}

function findingJson(f: Finding): JsonFinding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    line: f.line + 1,
    related: f.related.map((r) => ({ line: r.line + 1, message: r.message })),
  };
}

function sysctlJson(s: SysctlSuggestion): JsonSysctl {
  return { key: s.key, value: s.value, comment: s.comment, recommended: s.recommended };
}

function remedyJson(r: Remedy): JsonRemedy {
  return {
    id: r.id,
    title: r.title,
    recommended: r.recommended,
    assessment: r.assessment,
    sysctlKey: r.sysctl?.key ?? null,
  };
}

function callTraceJson(frames: StackFrame[], c: ContextAnalysis): JsonCallTrace {
  const modules = new Set<string>();
  for (const f of frames) if (f.module) modules.add(f.module);
  return {
    frames: frames.length,
    chain: c.chain,
    callers: c.callerText || null,
    allocator: c.allocatorEntry,
    context: c.context,
    subsystem: c.subsystem,
    driver: c.driver,
    modules: [...modules],
  };
}

export function eventJson(item: Analysed): JsonEvent {
  const { report: r, analysis: a } = item;
  const e = a.era;
  const m = a.memory;
  return {
    index: a.index,
    kind: r.kind,
    line: r.line + 1,
    endLine: r.endLine + 1,
    time: r.time,
    host: r.host,
    comm: r.comm,
    pid: r.pid,
    cpu: r.cpu,
    kernel: r.kernel,
    tainted: r.tainted,
    hardware: r.hardware,
    headline: a.headline,
    summary: a.summary,
    verdict: a.verdict,
    verdictText: a.verdictText,
    order: r.order,
    orderBytes: a.order?.bytes ?? null,
    gfp: gfpJson(r.gfp, a.gfp),
    era: {
      release: e.release,
      version: e.version ? e.version.join('.') : null,
      distro: e.distro,
      gfpEra: e.gfpEra,
      watermarkEra: e.watermarkEra,
      decidedBy: e.decidedBy,
      reason: e.reason,
    },
    nodemask: r.nodemask,
    cpuset: r.cpuset,
    memsAllowed: r.memsAllowed,
    oomScoreAdj: r.oomScoreAdj,
    vmallocBytes: r.vmallocBytes,
    vmallocAllocatedBytes: r.vmallocAllocatedBytes,
    stallMs: r.stallMs,
    slub: r.slub,
    killed: r.killed ? { ...r.killed, line: r.killed.line + 1 } : null,
    suppressedBefore: r.suppressedBefore,
    truncated: r.truncated,
    repeat: { occurrence: item.occurrence, firstLine: item.first ? item.first.line + 1 : null },
    callTrace: callTraceJson(r.callTrace, a.context),
    memInfoLine: oneBased(r.memInfoLine),
    memory: {
      pageSizeKb: m.pageSizeKb,
      ramKb: m.ramKb,
      freeKb: m.freeKb,
      freeSwapKb: r.freeSwapKb,
      totalSwapKb: r.totalSwapKb,
      minFreeKbytes: m.minFreeInferredKb,
      minFreeDefaultKb: m.minFreeDefaultKb,
      thpRecommendedKb: m.thpRecommendedKb,
      ...(m.minFreeKnown ? { minFreeKbytesKnown: m.minFreeKnown } : {}),
      // a node-filtered dump (core/node-filter.ts): ramKb and minFreeKbytes are then null
      ...(m.nodeFilter
        ? {
            nodeFilter: {
              evidence: m.nodeFilter.evidence,
              printedNodes: m.nodeFilter.printedNodes,
              allowed: m.nodeFilter.allowed,
              globalFreeKb: m.nodeFilter.globalFreeKb,
              zonesFreeKb: m.nodeFilter.zonesFreeKb,
              text: m.nodeFilter.text,
            },
          }
        : {}),
    },
    replay: {
      classzone: a.replay.classzone,
      allocFlags: a.replay.allocFlagsText,
      missing: a.replay.missing,
      assumptions: a.replay.assumptions,
    },
    zones: a.zones.map(zoneJson),
    findings: a.findings.map(findingJson),
    sysctl: a.sysctl.map(sysctlJson),
    remedies: a.remedies.map(remedyJson),
    ...(a.oomKind ? { oomKind: oomKindJson(a.oomKind) } : {}),
    ...(a.oom ? { oom: oomJson(a.oom) } : {}),
  };
}

function consumerJson(c: OomConsumer): OomConsumer {
  return { ...c, line: c.line + 1 };
}

/** The OOM model with 1-based lines. */
function oomJson(o: OomAnalysis): OomAnalysis {
  const v = o.victim;
  return {
    ...o,
    top: o.top.map(consumerJson),
    protected: o.protected.map(consumerJson),
    victim: v ? { ...v, line: v.line + 1, task: v.task ? consumerJson(v.task) : null } : null,
    memcgStats: o.memcgStats.map((m) => ({ ...m, line: m.line + 1 })),
  };
}

export function repeatJson(g: RepeatGroup): JsonRepeat {
  return {
    line: g.line + 1,
    headline: g.headline,
    count: g.count,
    suppressed: g.suppressed,
    firstTime: g.firstTime,
    lastTime: g.lastTime,
    lastLine: g.lastLine + 1,
    spanSeconds: g.spanSeconds,
  };
}

/**
 * Writes one file's document incrementally: the head as soon as the file starts, each event as the
 * scanner completes it, and the fields known only at the end of the file (its dominant framing,
 * the repeat groups) last. JSON objects are unordered, and this keeps memory flat however many
 * reports a file holds. Events are indented for a terminal; otherwise each takes one line, which
 * is half the bytes and time for large logs and still one JSON document (`jq` reads either).
 */
export class JsonFileWriter {
  private count = 0;

  constructor(
    private readonly write: (text: string) => void,
    file: string,
    private readonly indent: string,
    private readonly pretty: boolean,
  ) {
    write(`${indent}{\n${indent}  "file": ${JSON.stringify(file)},\n${indent}  "events": [`);
  }

  event(event: JsonEvent): void {
    this.eventText(this.pretty ? JSON.stringify(event, null, 2) : JSON.stringify(event));
  }

  /** An event already serialised (indented by 2 from column 0 when pretty). */
  eventText(text: string): void {
    const pad = `${this.indent}    `;
    const body = this.pretty ? text.replace(/\n/g, `\n${pad}`) : text;
    this.write(`${this.count++ === 0 ? '\n' : ',\n'}${pad}${body}`);
  }

  end(tail: Omit<JsonFileResult, 'file' | 'events'>): void {
    const i = this.indent;
    const fields = Object.entries(tail).map(([key, value]) => {
      const text = this.pretty
        ? JSON.stringify(value, null, 2).replace(/\n/g, `\n${i}  `)
        : JSON.stringify(value);
      return `${i}  ${JSON.stringify(key)}: ${text}`;
    });
    this.write(`${this.count === 0 ? ']' : `\n${i}  ]`},\n${fields.join(',\n')}\n${i}}`);
  }
}
