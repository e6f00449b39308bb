// Remedies: sysctl.conf lines with the evidence, the value inferred from the log and the risk,
// plus the non-sysctl advice; every value derived from the report. A line names only a sysctl the
// report's kernel has, with that kernel's range (kernel/eras.ts, read from kernel/sysctl.c and
// Documentation/sysctl/vm.txt → Documentation/admin-guide/sysctl/vm.rst of each release); when the
// release is not known the advice says so instead. The advice follows the verdict: a
// fragmentation failure gets compaction advice, an undecidable one names what to collect.
// vm.drop_caches is never suggested (a one-shot action).

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
import { canonicalZone, isEmptyZone, zoneLabel } from './zones';
import { COSTLY_ORDER, formatKb, safeSum } from './numbers';
import { allFailedByCma, cmaShortWords, oomWithoutRequest } from './verdict';
import {
  isManualOom,
  isMemcgOom,
  limitCounter,
  memcgWho,
  memoryMaxLowered,
  usageWords,
  type OomKind,
} from './oom-kind';
import { REPORT_KINDS } from './kinds';
import { fromTriple, releaseBefore, releaseText, type VersionTriple } from './kernel-version';
import { compareVersion, parseKernelRelease, type KernelVersion } from './kernel-version';
import {
  eraRowFor,
  firstReleaseWhere,
  sysctlSince,
  TIMELINE,
  type EraRow,
  type SysctlFact,
} from './kernel/eras';
import { knownSysctl, knownSysctlInt, knownSysctlInts, type SystemState } from './system-state';
import { newestSysctlFact } from './sysctl-glossary';

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
  /** The system's known values (ExplainOptions.system): they replace the inferred current ones. */
  system?: SystemState;
  /** Which OOM an OOM report is (oom-kind.ts classifyOom). */
  oomKind?: OomKind | null;
}

/** "in the system's sysctl (sos_commands/kernel/sysctl_-a), not inferred": where a known value
 * comes from, in the words. */
function fromSystem(system: SystemState): string {
  return `in the system's sysctl (${system.source}), not inferred`;
}

/** A sysctl's current value as the system states it, for a `current:` line; null when unknown. */
function knownCurrent(input: RemedyInput, key: string): string | null {
  const v = knownSysctl(input.system, key);
  return v === null || !input.system ? null : `current: ${v} (${key} ${fromSystem(input.system)})`;
}

/** The releases the report's kernel may be: its printed release, else the span of the GFP layout
 * that dated it (the version passed in is then a release inside that span, not the kernel's). */
function releaseSpan(input: Pick<RemedyInput, 'version' | 'release' | 'gfp'>): {
  from: KernelVersion;
  until: KernelVersion | null;
} | null {
  const v = input.version;
  if (v === null) return null;
  const at = fromTriple(v);
  if (input.release !== null) return { from: at, until: at };
  const span = TIMELINE.layouts.find((l) => l.layout.era === input.gfp?.era);
  if (!span) return { from: at, until: at };
  return { from: span.from, until: span.until };
}

/** A sysctl as the report's kernel has it: `exists` true / false, or null when the release is not
 * known well enough to tell (no version, or a span the sysctl came or changed in). `fact` is the
 * row's entry when every release of the span has the same one. */
interface Knob {
  exists: boolean | null;
  fact: SysctlFact | null;
  /** The entry with the smallest maximum across the span (every release of it takes its range). */
  narrowest: SysctlFact | null;
  /** The first release that has it (the first timeline row with the key), for the words. */
  since: string | null;
}

function knob(key: string, input: Pick<RemedyInput, 'version' | 'release' | 'gfp'>): Knob {
  const first = sysctlSince(key);
  const since = first ? releaseText(first) : null;
  const span = releaseSpan(input);
  if (span === null) return { exists: null, fact: null, narrowest: null, since };
  // The rows that apply to some release of the span: the one at its start, and every row that
  // starts inside it (a printed release is a span of one).
  const exact = span.until !== null && compareVersion(span.until, span.from) === 0;
  const rows = [
    eraRowFor(span.from),
    ...(exact
      ? []
      : TIMELINE.rows.filter(
          (r) =>
            compareVersion(r.since, span.from) > 0 &&
            (span.until === null || compareVersion(r.since, span.until) < 0),
        )),
  ];
  // A distribution's kernel (el7 …) may carry its own entry (a backported change).
  const distro = input.release !== null ? parseKernelRelease(input.release)?.distro : null;
  const own = distro ? TIMELINE.distros[distro]?.sysctls?.[key] : undefined;
  if (own) return { exists: true, fact: own, narrowest: own, since };
  const facts = rows.map((r) => r.sysctls[key] as SysctlFact | undefined);
  const have = facts.filter((f): f is SysctlFact => f !== undefined);
  if (have.length === 0) return { exists: false, fact: null, narrowest: null, since };
  if (have.length < facts.length) return { exists: null, fact: null, narrowest: null, since };
  const same = have.every(
    (f) => f.min === have[0].min && f.max === have[0].max && f.default === have[0].default,
  );
  // A range that differs across the span: the narrowest one is what every release takes.
  const narrowest = have.reduce((a, b) => ((b.max ?? Infinity) < (a.max ?? Infinity) ? b : a));
  return { exists: true, fact: same ? have[0] : null, narrowest, since };
}

/** Where the report's kernel documents its vm sysctls (Documentation/sysctl/vm.txt, from 5.3
 * Documentation/admin-guide/sysctl/vm.rst), both when the release is not known. */
function vmDoc(input: Pick<RemedyInput, 'version'>): string {
  if (input.version === null)
    return `Documentation/admin-guide/sysctl/vm.rst (Documentation/sysctl/vm.txt before ${releaseWhere((r) => r.sysctlDoc.startsWith('Documentation/admin-guide'))})`;
  return eraRowFor(fromTriple(input.version)).sysctlDoc;
}

/** The first release whose timeline row satisfies `has`, as words ("4.17"). */
function releaseWhere(has: (row: EraRow) => boolean): string {
  const v = firstReleaseWhere(has);
  return v ? releaseText(v) : 'a later release';
}

/** The first release that has a sysctl, as words ("4.6"). */
const sinceText = (key: string): string => releaseWhere((r) => key in r.sysctls);

/** "exists from 4.6; the release of this kernel is not in the report …": the words for a sysctl
 * the report's kernel may lack. */
function unknownKnobText(key: string, k: Knob, input: RemedyInput): string {
  const kernel =
    input.version === null
      ? 'the kernel release is not in the report'
      : `the report does not print its release (its format fits ${spanText(input)})`;
  return `${key} exists from ${k.since ?? 'a later release'}, and ${kernel}: check \`uname -r\` and \`ls /proc/sys/vm/${key.replace(/^vm\./, '')}\` before setting it.`;
}

function spanText(input: RemedyInput): string {
  const span = releaseSpan(input);
  if (span === null) return 'an unknown release';
  if (span.until === null) return `${releaseText(span.from)} or later`;
  if (compareVersion(span.until, span.from) === 0) return releaseText(span.from);
  return `${releaseText(span.from)}–${releaseBefore(span.until)}`;
}

/** A sysctl's default on the report's kernel as the timeline has it (the same on every release
 * the report may be, else the narrowest row's), for "current: default 20 (not in the log)". */
function defaultOf(k: Knob, key: string): string {
  // A span that only partly has the key: the default of the newest row that has it.
  const newest = newestSysctlFact(key);
  const d = (k.fact ?? k.narrowest ?? newest)?.default;
  return d === null || d === undefined ? 'computed at boot' : String(d);
}

/** "current: default 20 (not in the log)", or the value the system files state. */
function currentOrDefault(input: RemedyInput, key: string, k: Knob): string {
  return knownCurrent(input, key) ?? `current: default ${defaultOf(k, key)} (not in the log)`;
}

/** A remedy listed for the record: no sysctl line, not recommended. */
function listed(id: string, title: string, assessment: string): Remedy {
  return { id, title, designOption: null, recommended: false, sysctl: null, assessment };
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
    const cma = cmaSize(input);
    if (cma) out.push(cma);
    if (wsf) out.push(wsf);
    out.push(lowmemReserveRatio(input));
    out.push(zoneReclaimMode(input));
    out.push(...fragmentationRemedies(input));
    out.push(upgradeKernel(input));
    out.push(networkRate(input));
  } else if (isManualOom(report)) {
    out.push(
      listed(
        'oom',
        'Manual OOM kill (SysRq f): nothing to tune',
        'The OOM killer ran because it was asked to (SysRq f: the keyboard, echo f > /proc/sysrq-trigger, or a watchdog such as ' +
          'a hung-task or memory-pressure daemon), not because an allocation failed. No sysctl changes what it did; find out who ' +
          'triggered it, and look at the task list if memory was short at the time.',
      ),
    );
  } else if (ofKind === 'oom') {
    out.push(oomRemedy(input));
    // A fragmentation OOM (free memory, no block of the order) gets compaction advice, not "more RAM".
    if (input.verdict === 'fragmentation') out.push(...fragmentationRemedies(input));
  }
  if (input.verdict === 'undecidable') {
    const collect = collectMissing(input);
    if (collect) out.unshift(collect);
  }
  const vfs = vfsCachePressure(input);
  if (vfs) out.push(vfs);
  return out;
}

/** What the allowed nodes' zones show, for a cpuset / mempolicy OOM: they ran out, or (every printed
 * zone above the request's highest: gfp_zone(), include/linux/gfp.h) they had memory free in zones
 * this request may not use — e.g. a node onlined as ZONE_MOVABLE, which only __GFP_MOVABLE requests
 * reach. The dump prints the allowed nodes only (show_mem(SHOW_MEM_FILTER_NODES)); Mem-Info's free:
 * counts every node (node-filter.ts). */
function allowedNodesWords(input: RemedyInput, what: string): { outcome: string; fix: string | null } {
  const checked = input.zones.filter((z) => z.check !== null);
  const above = checked.filter((z) =>
    (z.check?.unusableReason ?? '').startsWith("above the request's highest zone"),
  );
  const global =
    input.memory.nodeFilter?.evidence === 'counters' ? input.memory.nodeFilter.globalFreeKb : null;
  const systemFree =
    global !== null ? `; the system had ${formatKb(global)} free (Mem-Info's free:, every node)` : '';
  const aboveFree = safeSum(above, (z) => z.parsed.freeKb) ?? 0;
  if (checked.length === 0 || above.length !== checked.length || aboveFree === 0)
    return {
      outcome: `and those ran out while other nodes may have had memory free (constrained_alloc, mm/oom_kill.c)${systemFree}`,
      fix: null,
    };
  const names = [...new Set(above.map((z) => canonicalZone(z.parsed.zone) ?? z.parsed.zone))];
  const highest = input.gfp?.highestZone ?? null;
  const nodes = [...new Set(above.map((z) => z.parsed.node))].join(', ');
  return {
    outcome:
      `and those did not run out: they had ${formatKb(aboveFree)} free, all in ${above.map((z) => zoneLabel(z.parsed)).join(', ')}, ` +
      `above this request's highest zone${highest ? ` (${highest})` : ''}, which it may not use (gfp_zone; constrained_alloc, mm/oom_kill.c)${systemFree}`,
    fix: names.every((n) => n === 'Movable')
      ? `Do not online node(s) ${nodes} as movable (ZONE_MOVABLE: movable_node, online_movable) if non-movable requests must be served there, or give the ${what} a node with a zone this request may use${highest ? ` (up to ${highest})` : ''}`
      : `Give the ${what} a node with a zone this request may use${highest ? ` (up to ${highest})` : ''}`,
  };
}

/** The OOM kill's advice, by what the verdict and the report's constraint line say. */
function oomRemedy(input: RemedyInput): Remedy {
  const { report, verdict } = input;
  const scope = report.oomConstraint;
  // every OOM advice is one remedy without a sysctl line
  const advice = (title: string, recommended: boolean, assessment: string): Remedy =>
    remedy({ id: 'oom', designOption: null, title }, null, recommended, assessment);
  // a memcg OOM: a charge hit the cgroup's limit (mm/memcontrol.c try_charge → mem_cgroup_oom);
  // the zones and the vm sysctls take no part, the limit, the workload and the cgroup's swap do
  if (isMemcgOom(report))
    return memcgRemedy(input.oomKind ?? null, scope?.memcg ?? null, memoryMaxLowered(report));
  // cpuset / mempolicy (constrained_alloc): only the allowed nodes ran out (a mempolicy classifyOom
  // inferred from the nodemask and the dump counts too: oom-kind.ts inferredMempolicy)
  if (
    scope?.constraint === 'CONSTRAINT_CPUSET' ||
    scope?.constraint === 'CONSTRAINT_MEMORY_POLICY' ||
    (!scope?.constraint && input.oomKind?.scope === 'mempolicy')
  ) {
    const cpuset = scope?.constraint === 'CONSTRAINT_CPUSET';
    const { outcome, fix } = allowedNodesWords(input, cpuset ? 'cpuset' : 'mempolicy');
    return advice(
      `OOM confined by a ${cpuset ? 'cpuset' : 'mempolicy'}: widen the allowed nodes or move the work; no vm sysctl changes that`,
      true,
      (cpuset
        ? `The task's cpuset${report.cpuset ? ` (${report.cpuset})` : ''} allows only ${report.memsAllowed !== null ? `node(s) ${report.memsAllowed}` : 'some nodes'} (cpuset.mems), ${outcome}. ` +
          `${fix ?? 'Give the cpuset more nodes'} (cpuset.mems / cpuset.mems.effective on cgroup v2) or move the work to a cpuset with room; `
        : `The request's mempolicy allows only ${report.nodemask !== null ? `nodemask ${report.nodemask}` : 'some nodes'} (set_mempolicy/mbind, numactl --membind), ${outcome}. ` +
          `${fix ?? 'Bind the work to more nodes'} (numactl --interleave/--preferred, or a wider --membind) or reduce what it uses there; `) +
        'vm.min_free_kbytes and the watermark scale would only keep more memory idle.',
    );
  }
  if (verdict === 'fragmentation')
    return advice(
      'Not memory exhaustion: no free block of the order the request needs',
      false,
      `The zones had free pages, but no free block of order ${input.order?.order ?? '?'} (${input.order?.sizeText ?? 'the size asked'}) that this request may take: ` +
        'more RAM or killing tasks does not make memory contiguous, compaction does. This request compacted and retried before the OOM killer ran (__alloc_pages_slowpath, should_compact_retry), ' +
        'so background compaction (below) is what can have such blocks ready in time; the caller of the high-order request is in the call trace, and a smaller order or a kvmalloc fallback avoids the need.',
    );
  const idle = 'Raising vm.min_free_kbytes or the watermark scale would only keep more memory idle.';
  // kswapd's MGLRU thrashing prevention (lru_gen_age_node → out_of_memory, mm/vmscan.c 6.1+): no
  // request, and the knob that decides it is lru_gen's min_ttl_ms (verdict.ts oomWithoutRequest)
  if (oomWithoutRequest(report) === 'lru_gen')
    return advice(
      'MGLRU thrashing prevention killed (lru_gen min_ttl_ms): not a memory shortage of a request',
      true,
      'kswapd called the OOM killer from lru_gen_age_node because no memory cgroup on the node kept a generation older than ' +
        '/sys/kernel/mm/lru_gen/min_ttl_ms: the working set of that interval did not fit (Documentation/admin-guide/mm/multigen_lru.rst). ' +
        `${idle} Check min_ttl_ms (cat /sys/kernel/mm/lru_gen/min_ttl_ms; 0 turns this kill off and lets the system thrash instead) ` +
        'and the task list for what grew; more RAM or less work is the fix if the kill is wanted.',
    );
  // gfp_mask=0: pagefault_out_of_memory (mm/oom_kill.c) after a fault returned VM_FAULT_OOM; no
  // allocation found the zones short (verdict.ts), so more RAM is not what the report points to.
  if (oomWithoutRequest(report) === 'pagefault')
    return advice(
      'Page-fault OOM (gfp_mask=0): find what returned VM_FAULT_OOM',
      true,
      'pagefault_out_of_memory (mm/oom_kill.c) called the OOM killer because a page fault returned VM_FAULT_OOM, not because an allocation found the zones empty' +
        (input.memory.freeKb !== null ? ` (the zones had ${formatKb(input.memory.freeKb)} free)` : '') +
        ': the report does not show memory running out, so more RAM is not indicated. Look at the kernel messages just before it for the allocation or charge that failed ' +
        "(a driver's fault handler, such as a GPU driver's mmap, a memory-cgroup charge, or an allocation that gave up without the OOM killer). " +
        idle,
    );
  const slab = slabText(input);
  if (verdict === 'zones_passed')
    return advice(
      'OOM kill with zones above their watermarks: no watermark tuning helps',
      true,
      'The verdict explains why the zones do not account for this OOM kill. Raising vm.min_free_kbytes or the watermark scale would only keep more memory idle. ' +
        'Look at the task list for the largest consumers, swap, and whether the workload needs more RAM.',
    );
  // Undecidable: the verdict names what to collect; "more RAM" would be a guess.
  if (verdict === 'undecidable')
    return advice(
      'OOM kill: no watermark tuning helps',
      true,
      `The verdict is undecidable from this report (see what to collect). ${idle} ` +
        (slab ?? 'Look at the task list for the largest consumers and at swap.'),
    );
  if (verdict === 'not_applicable')
    return advice(
      'OOM kill: no watermark tuning helps',
      true,
      `The OOM killer runs when reclaim cannot free memory for a request that may sleep. ${idle} ` +
        'Look at the task list for the largest consumers, swap, and whether the workload needs more RAM.',
    );
  const lowmem = lowmemOom(input);
  if (lowmem)
    return advice(
      lowmem.reclaimable
        ? 'Lowmem OOM on a 32-bit kernel with reclaimable lowmem left: reclaim failed, more RAM would not help'
        : 'Lowmem exhausted on a 32-bit kernel: more RAM would only add HighMem',
      true,
      `${lowmem.text} ${idle}`,
    );
  // free CMA decided every failed zone (verdict.ts cmaShortWords): non-CMA memory ran out while
  // the CMA area sat free; more RAM is not what the report points to, a smaller CMA area is
  const cma = cmaShortZones(input);
  if (cma.length > 0 && allFailedByCma(input.replay?.zones ?? []))
    return advice(
      'Non-CMA memory exhausted: reduce the CMA reservation rather than add RAM',
      true,
      `Non-CMA memory was exhausted (${cma.join('; ')}); ${cmaFreeText(input)} sat free and unusable for this ${requestText(input)} request: ` +
        "only movable allocations may use CMA (gfp_to_alloc_flags sets ALLOC_CMA only for MIGRATE_MOVABLE requests, and the OOM killer's last attempt never sets it; mm/page_alloc.c). " +
        `Reduce the CMA reservation (${CMA_SIZE_WORDS}) to what the devices using it need, rather than add RAM. ${idle}`,
    );
  return advice(
    'Memory exhausted: no watermark tuning helps',
    true,
    `The OOM killer runs when reclaim cannot free memory for a request that may sleep. ${idle} ` +
      'Look at the task list for the largest consumers, swap, and whether the workload simply needs more RAM.' +
      (slab ? ` ${slab}` : ''),
  );
}

/** A memcg OOM's advice, in the words of what manages the cgroup (core/cgroup-path.ts): the
 * limit (kubelet's resources.limits.memory, systemd's MemoryMax=, docker's --memory, or the
 * cgroup files memory.max / memory.limit_in_bytes), the workload, and the cgroup's swap
 * (memory.swap.max on v2, memory.memsw.limit_in_bytes on v1); never a vm.* sysctl, which the
 * charge path (try_charge → mem_cgroup_oom, mm/memcontrol.c) does not read. */
function memcgRemedy(kind: OomKind | null, printedName: string | null, lowered = false): Remedy {
  const who = memcgWho(kind, printedName);
  const usage = usageWords(kind);
  const id = kind?.limitCgroup?.identity ?? null;
  const v = kind?.cgroupVersion ?? null;
  // cgroup v1 try_charge charges memsw when swap is accounted: a refusal there is the memory+swap
  // limit's (mem_cgroup_print_oom_info / _meminfo print it at its limit), and raising memory alone
  // does not lift it (mm/memcontrol.c 3.10 … 6.x)
  const memsw = kind !== null && limitCounter(kind)?.name === 'memory+swap';
  const files =
    v === 'v2'
      ? 'memory.max'
      : v === 'v1'
        ? 'memory.limit_in_bytes'
        : 'memory.max (cgroup v2) or memory.limit_in_bytes (v1)';
  const swapFile =
    v === 'v2'
      ? 'memory.swap.max'
      : v === 'v1'
        ? 'memory.memsw.limit_in_bytes'
        : 'memory.swap.max (v2) or memory.memsw.limit_in_bytes (v1)';
  const limit =
    id?.podUid !== undefined
      ? `Raise the memory limit where Kubernetes sets it: resources.limits.memory of the ${id.containerId !== undefined ? 'container' : "pod's containers (a pod-level cgroup's limit is the sum of its containers')"} in the pod spec — kubelet writes it to ${files}; editing the cgroup file by hand is undone.`
      : id?.kind === 'container' && id.runtime === 'docker'
        ? memsw
          ? "Raise the container's memory+swap limit (docker run --memory-swap / docker update --memory-swap; it is memory.memsw.limit_in_bytes of the container's cgroup): that counter, not memory alone, refused the charge."
          : `Raise the container's memory limit (docker run --memory / docker update --memory; it is ${files} of the container's cgroup).`
        : id?.unit !== undefined && id.kind === 'systemd-unit'
          ? `Raise ${id.unit}'s limit: ${v === 'v1' ? 'MemoryLimit=' : 'MemoryMax='} in the unit (systemctl set-property ${id.unit} ${v === 'v1' ? 'MemoryLimit' : 'MemoryMax'}=…; systemd.resource-control(5)), which systemd writes to ${files}.`
          : memsw
            ? "Raise the cgroup's memory+swap limit (memory.memsw.limit_in_bytes): that counter, not memory alone, refused the charge."
            : `Raise the cgroup's limit (${files}).`;
  const swapState = kind?.swap?.state ?? null;
  const swap =
    swapState === 'disabled'
      ? `It could not swap (${swapFile} allows none): allowing some swap there lets cold anonymous memory leave RAM instead of a kill.`
      : swapState === 'not_accounted'
        ? 'Swap is not accounted per cgroup on this kernel (memory+swap usage 0), so a swap limit cannot be set for it.'
        : swapState === 'unlimited'
          ? `Its swap was not limited (${swapFile} is max): if the system has swap, the cgroup used what it could before the kill.`
          : `Swap for the cgroup is ${swapFile}${swapState === 'limited' ? ' (limited now)' : ''}.`;
  const k8sSwap =
    id?.podUid !== undefined
      ? ' Kubernetes gives pods swap only with the NodeSwap feature and swapBehavior LimitedSwap, and then only to Burstable pods (KEP-2400).'
      : '';
  return remedy(
    {
      id: 'oom',
      designOption: null,
      title: `${who.charAt(0).toUpperCase()}${who.slice(1)} hit its memory limit: raise the limit, trim the workload or let it swap — no vm sysctl changes that`,
    },
    null,
    true,
    `The OOM killer ran inside the memory cgroup (mem_cgroup_out_of_memory, mm/memcontrol.c) because ${lowered ? 'a write to memory.max set the limit below the usage (memory_max_write)' : 'a charge reached its limit'}${usage ? ` (${usage})` : ''}; ` +
      "the zones' watermarks and the vm sysctls (vm.min_free_kbytes, vm.watermark_scale_factor, vm.overcommit_*) do not take part. " +
      `${limit} Or reduce what the tasks in it use: the task list shows the largest ones. ${swap}${k8sSwap}`,
  );
}

/** Slab when it holds a large share of RAM (≥ 10 %): the 2.6.x `slab:` counter, else
 * slab_reclaimable + slab_unreclaimable (show_mem, in pages). */
function slabText(input: RemedyInput): string | null {
  const { report, memory } = input;
  const get = (n: string) => report.counters.find((c) => c.name === n)?.value ?? null;
  const total = get('slab');
  const rec = get('slab_reclaimable');
  const unrec = get('slab_unreclaimable');
  const pages = total ?? (rec !== null && unrec !== null ? rec + unrec : null);
  if (pages === null || memory.ramKb === null || memory.ramKb === 0) return null;
  const kb = pages * memory.pageSizeKb;
  if (!Number.isSafeInteger(kb) || kb < memory.ramKb * 0.1) return null;
  return (
    `The report shows ${formatKb(kb)} in slab (${((kb / memory.ramKb) * 100).toFixed(0)} % of RAM${total === null && unrec !== null ? `, ${formatKb(unrec * memory.pageSizeKb)} of it unreclaimable` : ''}): ` +
    'kernel objects, not tasks, hold that memory; `slabtop` or /proc/slabinfo shows which cache grows.'
  );
}

/** A 32-bit lowmem OOM: a request that may not use HighMem while the report has a populated
 * HighMem zone. More RAM only adds HighMem there (the kernel maps at most ~896 MiB of lowmem on
 * i386 with the 3G/1G split). When the zones the request may use still held file pages or
 * reclaimable slab and swap was untouched, reclaim failed rather than memory running out; on
 * 4.8–4.9 (era row reclaimIgnoresEligibleZones) that is the node-LRU scan of the whole node. */
function lowmemOom(input: RemedyInput): { text: string; reclaimable: boolean } | null {
  const { report, gfp, memory } = input;
  if (gfp === null || gfp.highestZone === 'HighMem' || gfp.highestZone === 'Movable') return null;
  const high = report.zones.filter((z) => canonicalZone(z.zone) === 'HighMem' && (z.presentKb ?? 0) > 0);
  if (high.length === 0) return null;
  const checks = (input.replay?.zones ?? []).filter((c) => c.usable);
  // the replay's usable zones decide (GFP_DMA32 on i386 is Normal there): none may be HighMem
  if (checks.length === 0 || checks.some((c) => canonicalZone(c.zone) === 'HighMem')) return null;
  const usable = new Set(checks.map((c) => c.line));
  const low = report.zones.filter((z) => usable.has(z.line));
  const highFree = safeSum(high, (z) => z.freeKb);
  const field = (n: string) => safeSum(low, (z) => z.fields[n] ?? 0) ?? 0;
  const reclaimable = field('active_file') + field('inactive_file') + field('slab_reclaimable');
  const swapUntouched =
    report.freeSwapKb !== null &&
    report.totalSwapKb !== null &&
    report.totalSwapKb > 0 &&
    report.freeSwapKb === report.totalSwapKb;
  const parts = [
    `This request may not use HighMem (class zone ${input.replay?.classzone ?? gfp.highestZone})` +
      (highFree !== null ? `, and HighMem had ${formatKb(highFree)} free` : '') +
      ': on a 32-bit kernel more RAM only adds HighMem, so it would not help. What ran out is free lowmem; look at what holds it (slab, page tables, kernel stacks, driver buffers), and a 64-bit kernel removes the limit.',
  ];
  const left = memory.ramKb !== null && reclaimable >= memory.ramKb * 0.05 && reclaimable > 0;
  if (left) {
    const row = input.version === null ? null : eraRowFor(fromTriple(input.version));
    parts.push(
      `Yet the zones it may use held ${formatKb(reclaimable)} of file pages and reclaimable slab` +
        (swapUntouched
          ? `, and swap was untouched (${formatKb(report.freeSwapKb ?? 0)} free of ${formatKb(report.totalSwapKb ?? 0)})`
          : '') +
        ': reclaim failed to free them rather than memory running out.' +
        (row?.reclaimIgnoresEligibleZones
          ? ' This kernel has the 4.8–4.9 node-based LRU, whose get_scan_count sized the scan by the whole node, HighMem included; "mm, vmscan: consider eligible zones in get_scan_count" (4.10, later in 4.9.y stable) fixed it: upgrade.'
          : ''),
    );
  }
  return { text: parts.join(' '), reclaimable: left };
}

/** An undecidable verdict: what the report lacks for a decision, and how to get it. */
function collectMissing(input: RemedyInput): Remedy | null {
  const { report } = input;
  const needs: string[] = [];
  // vmalloc's area steps allocate no page of the mask: what decides them is printed before the
  // report (alloc_vmap_area's warning), not in the zones (mm/vmalloc.c, vmalloc.ts)
  const areaStep =
    report.kind === 'vmalloc_failure' && report.vmallocStep !== null && report.vmallocStep !== 'pages';
  if (areaStep)
    needs.push(
      'the lines the kernel printed just before the report (alloc_vmap_area prints `vmap allocation for size … failed` when the vmalloc address space has no free range, unless __GFP_NOWARN or the printk rate limit hid it): look for them in the full kernel log; /proc/vmallocinfo shows what holds the address space now',
    );
  else if (report.zones.length === 0)
    needs.push(
      'the zone lines of the Mem-Info dump that follows the call trace (show_mem): look for them in the full kernel log (`dmesg`, `journalctl -k`); ' +
        '`echo m > /proc/sysrq-trigger` prints them for the present moment, and /proc/zoneinfo holds the same numbers',
    );
  else if (input.replay && input.replay.zones.length > 0 && !input.replay.zones.some((c) => c.usable))
    needs.push(
      'the lines of the zones this request may use (the report omits them; show_mem prints every populated zone): the full kernel log has them, and /proc/zoneinfo shows them now',
    );
  else if ((input.order?.order ?? 0) > 0 && report.buddy.length === 0)
    needs.push(
      'the buddy free lists (the `Node 0 Normal: 12*4kB …` lines of the Mem-Info dump): `cat /proc/buddyinfo` (by migrate type: /proc/pagetypeinfo) or `echo m > /proc/sysrq-trigger` shows them now',
    );
  // a vmalloc header prints no order (mm/vmalloc.c warn_alloc callers)
  if (report.headerCut || report.gfp === null || (report.order === null && report.kind !== 'vmalloc_failure'))
    needs.push(
      `the whole header line (${
        report.kind === 'oom_kill'
          ? '`… invoked oom-killer: gfp_mask=0x…, order=N`'
          : report.kind === 'page_alloc_failure'
            ? '`… page allocation failure: order:N, mode:0x…`'
            : `the ${REPORT_KINDS[report.kind].label} line`
      }): it is in the kernel log before the call trace`,
    );
  if (input.version === null)
    needs.push('the kernel release (`uname -r`, or the `CPU: … Comm: … <release>` line of the report)');
  if (needs.length === 0) return null;
  return {
    id: 'collect_missing',
    title: 'Collect what the verdict needs',
    designOption: null,
    recommended: true,
    sysctl: null,
    assessment: `The verdict is undecidable from this report; it needs ${needs.join('; and ')}.`,
  };
}

/** Why usable zones above low still failed this request, when memory it may not use decided it
 * (the replay's CMA, highatomic or lowmem_reserve terms, or H-only free blocks): the words for
 * "not indicated", so that the remedy never says the watermarks were fine beside a verdict that
 * says the zone failed (issue #13 rule 10). null when no such zone. */
function failedByUnusable(input: RemedyInput): string | null {
  const reasons: string[] = [];
  // A usable zone that passed means the zones did not fail the request (a costly give-up or a
  // race, verdict.ts): memory it may not use elsewhere did not decide it.
  if ((input.replay?.zones ?? []).some((c) => c.usable && c.result === 'pass')) return null;
  // A usable zone at or below low lacked memory by its own count: that, not unusable memory, is
  // what the failure shows.
  if (nearMinZones(input).length > 0) return null;
  // A usable zone that passed the watermark but had no free block of the order failed by
  // fragmentation (the verdict says so), not by memory it may not use.
  const order = input.order?.order ?? 0;
  if (
    order > 0 &&
    (input.replay?.zones ?? []).some((c) => c.usable && c.pass === true && c.orderBlocks?.available === false)
  )
    return null;
  for (const c of input.replay?.zones ?? []) {
    if (!c.usable || c.result !== 'fail') continue;
    // free CMA decided it: non-CMA memory was exhausted there (cmaShortZones), a shortage
    if (c.cmaDecides) continue;
    const z = input.zones.find((x) => x.line === c.line);
    if (!z || z.state === 'below_min' || z.state === 'below_low') continue;
    const why =
      c.hiddenHighatomic?.decided === 'both' && c.hiddenHighatomic.passesWithout
        ? 'its highatomic reserve'
        : c.pass === false && (c.reservePages ?? 0) > 0
          ? `lowmem_reserve (${c.reservePages} pages kept from ${c.classzone}-class requests)`
          : order === 0 && c.pass === true && c.orderBlocks?.available === false
            ? c.orderBlocks.text
            : null;
    if (why) reasons.push(`${zoneLabel(c)}: ${why}`);
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}

/** Usable zones that failed only by their free CMA pages (verdict.ts cmaShortWords), with their
 * counts: non-CMA memory was exhausted there, and the free memory was CMA, which only movable
 * allocations may use (no ALLOC_CMA). */
function cmaShortZones(input: RemedyInput): string[] {
  const r = input.replay;
  if (!r) return [];
  const atomic = input.gfp?.atomic ?? false;
  return r.zones
    .filter((c) => c.usable && c.pass === false && c.cmaDecides === true)
    .map((c) => {
      const w = cmaShortWords(c, r.mark, atomic);
      return w
        ? `${zoneLabel(c)}: ${w.counts}${w.cmaPages !== null ? `, beside ${w.cmaPages} free CMA pages` : ''}`
        : zoneLabel(c);
    });
}

/** Why a higher min helps where free CMA decided the failure: kswapd balances each zone on the
 * count without CMA. Its balance check passes alloc_flags 0 (3.10.99 and 3.14.40 mm/vmscan.c
 * zone_balanced → zone_watermark_ok_safe(zone, order, high + balance_gap, classzone_idx, 0);
 * 5.10 pgdat_balanced → zone_watermark_ok_safe → __zone_watermark_ok(…, 0, free_pages)), and
 * without ALLOC_CMA __zone_watermark_ok leaves NR_FREE_CMA_PAGES out (mm/page_alloc.c, 3.7+: the
 * era row's subtractsCma, which also made this request's replay subtract it). min_free_kbytes
 * raises min, low and high (__setup_per_zone_wmarks), so kswapd keeps more non-CMA pages free. */
const KSWAPD_CMA_WORDS =
  'kswapd balances each zone on the same count without CMA (zone_balanced / pgdat_balanced → zone_watermark_ok_safe with alloc_flags 0, ' +
  'so __zone_watermark_ok leaves NR_FREE_CMA_PAGES out; mm/vmscan.c, mm/page_alloc.c), and a higher min raises low and high with it ' +
  '(__setup_per_zone_wmarks): kswapd then keeps more non-CMA pages free';

/** Whole MiB, rounded down (`511 MiB` for 523848 kB: what sat free is not rounded up). */
const mibDown = (kb: number): string => (kb >= 1024 ? `${Math.floor(kb / 1024)} MiB` : `${kb} kB`);

/** The free CMA of the zones that failed by it, against the reservation when the report prints
 * it (`N pages cma reserved`, show_mem 3.18+): "511 MiB of the 512 MiB CMA reservation". */
function cmaFreeText(input: RemedyInput): string {
  const lines = new Set(
    (input.replay?.zones ?? []).filter((c) => c.usable && c.cmaDecides === true).map((c) => c.line),
  );
  const freeKb = safeSum(
    input.report.zones.filter((z) => lines.has(z.line)),
    (z) => z.freeCmaKb ?? 0,
  );
  const reserved = input.report.cmaReservedPages;
  const reservedKb = reserved !== null ? reserved * input.memory.pageSizeKb : null;
  return reservedKb !== null && reservedKb > 0
    ? `${mibDown(freeKb ?? 0)} of the ${mibDown(reservedKb)} CMA reservation (\`${reserved} pages cma reserved\`)`
    : `${mibDown(freeKb ?? 0)} of CMA`;
}

/** Where the CMA area's size is set: the cma= boot parameter (early_cma, dma-contiguous), the
 * device tree's reserved-memory node (compatible "shared-dma-pool" with linux,cma-default), or
 * CONFIG_CMA_SIZE_MBYTES at build time. */
const CMA_SIZE_WORDS =
  'the cma= boot parameter, the device tree\'s reserved-memory node (compatible "shared-dma-pool", linux,cma-default) or CONFIG_CMA_SIZE_MBYTES';

/** Shrink the CMA area, where free CMA decided the failure (cmaShortZones): what the devices
 * using CMA do not need stays usable by every allocation. */
function cmaSize(input: RemedyInput): Remedy | null {
  const cma = cmaShortZones(input);
  if (cma.length === 0) return null;
  return remedy(
    {
      id: 'cma_size',
      title: 'Shrink the CMA area (cma= / device-tree reserved-memory / CONFIG_CMA_SIZE_MBYTES)',
      designOption: null,
    },
    null,
    true,
    `Recommended: ${cmaFreeText(input)} sat free while non-CMA memory was exhausted (${cma.join('; ')}); ` +
      'only movable allocations may use CMA pageblocks (gfp_to_alloc_flags sets ALLOC_CMA only for MIGRATE_MOVABLE requests, mm/page_alloc.c). ' +
      `A smaller CMA area leaves those pages to every allocation: set it with ${CMA_SIZE_WORDS}, sized to what the devices using CMA (camera, display, video codecs) need at once.`,
  );
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

/** A PF_MEMALLOC allocation (context.ts): __alloc_pages_slowpath sends it to `nopage` without
 * reclaiming ("Avoid recursion of direct reclaim", mm/page_alloc.c 2.6.32 … 6.19), and with
 * __GFP_NOMEMALLOC it may not use the reserves below min either (gfp_pfmemalloc_allowed /
 * __gfp_pfmemalloc_flags). */
function memallocWords(input: RemedyInput): string {
  const m = input.context.memalloc!;
  const noMemalloc = input.gfp?.names.includes('__GFP_NOMEMALLOC') ?? false;
  return (
    `${m.who} allocated while reclaiming: __alloc_pages_slowpath never reclaims for a PF_MEMALLOC task (\`if (current->flags & PF_MEMALLOC) goto nopage\`)` +
    (noMemalloc
      ? ', and __GFP_NOMEMALLOC kept it from the reserves below min'
      : ', and without __GFP_NOMEMALLOC it may take the reserves below min (ALLOC_NO_WATERMARKS)') +
    '; under pressure such a failure is expected and the caller copes with NULL'
  );
}

function minFreeKbytes(input: RemedyInput, wsfPreferred: boolean): Remedy {
  const { memory, gfp, order } = input;
  const base = { id: 'min_free_kbytes', title: 'Raise vm.min_free_kbytes', designOption: 1 };
  if (memory.minFreeInferredKb === null || memory.minFreeRangeKb === null)
    return remedy(
      base,
      null,
      false,
      'The report has no zone min watermarks, so the current value cannot be inferred.',
    );
  // A watermark boost the printed mins include is not min_free_kbytes (boost_watermark, 5.0+).
  const boost = memory.minFreeBoost;
  const boostKb = boost?.kb ?? 0;
  const known = knownSysctlInt(input.system, 'vm.min_free_kbytes');
  const reportValue = memory.minFreeInferredKb - boostKb;
  // a value the system's sysctl states replaces the one the zone mins point to
  const inferred = known ?? reportValue;
  const range: [number, number] =
    known !== null
      ? [known, known]
      : [memory.minFreeRangeKb[0] - boostKb, memory.minFreeRangeKb[1] - boostKb];
  const doubled = 2 * inferred;
  const thp = memory.thpRecommendedKb;
  const target = Math.max(doubled, thp ?? 0);
  const cap = memory.ramKb !== null ? Math.floor(memory.ramKb * 0.03) : null;
  const value = cap !== null ? Math.min(target, cap) : target;
  const near = nearMinZones(input);
  const atomicOrHigh = (gfp?.atomic ?? false) || (order?.order ?? 0) > 0;
  const belowMin = near.some((z) => z.state === 'below_min');
  const raises = value > range[1];
  // A usable zone whose free pages passed the arithmetic at min: the level of min did not decide
  // the failure (the verdict names what did: H-only blocks, no block of the order, a race).
  // Order 0 only: above order 0 the order part of the check also scales with min (the per-order
  // loop of zone_watermark_ok up to 3.x), and the blocks may not be printed.
  const passedAtMin =
    (order?.order ?? 0) === 0 ? (input.replay?.zones ?? []).filter((c) => c.usable && c.pass === true) : [];
  // free CMA decided it: the non-CMA part was exhausted, and kswapd balances on that part
  const cmaShort = near.length === 0 ? cmaShortZones(input) : [];
  const recommended =
    atomicOrHigh &&
    (near.length > 0 || cmaShort.length > 0) &&
    raises &&
    (!wsfPreferred || belowMin || cmaShort.length > 0) &&
    passedAtMin.length === 0;

  const unusable = failedByUnusable(input);
  const lines: string[] = [];
  if (near.length > 0) lines.push(`${requestText(input)} failure with ${near.map(zoneEvidence).join('; ')}`);
  else if (cmaShort.length > 0)
    lines.push(
      `${requestText(input)} failure: non-CMA free memory exhausted (${cmaShort.join('; ')}); the free CMA pages only movable allocations may use`,
    );
  else if (unusable)
    lines.push(
      `${requestText(input)} failure: no zone it may use was at or below low by its own count; what failed the check: ${unusable}`,
    );
  else
    lines.push(
      `${requestText(input)} failure, but no zone it may use was at or below low: watermarks were not the problem`,
    );
  const sumText =
    `Σ zone min ${memory.minFreeSumText?.replace(/ = .*$/, '') ?? ''}` +
    (boost ? ` − the ${boost.kb} kB watermark boost in ${boost.zone}` : '');
  const defaultText =
    memory.minFreeDefaultKb !== null
      ? `; the kernel's default for this lowmem is ${memory.minFreeDefaultKb} kB`
      : '';
  lines.push(
    known !== null && input.system
      ? `current: ${known} kB (vm.min_free_kbytes ${fromSystem(input.system)}; the report's ${sumText} = ${reportValue} kB)${defaultText}`
      : `current ≈ ${inferred} kB = ${sumText} (the real value lies in ${range[0]}–${range[1]} kB)${defaultText}`,
  );
  // Why there is no THP term, in the words memory.ts chose (one reason per report).
  const noThp = memory.notes.some((n) => n.startsWith('transparent hugepages came in 2.6.38'))
    ? ' (no THP value: transparent hugepages came in 2.6.38)'
    : memory.notes.some((n) => n.includes('hugepage_init'))
      ? ' (no THP value: THP is off by default under 512 MiB of RAM)'
      : ' (no THP value: the pageblock size is not pinned by the report)';
  const thpPart = thp !== null ? `, THP's ${memory.thpRecommendedText}` : noThp;
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
      `far higher values reclaim constantly and can OOM the machine (${vmDoc(input)}; RHEL: 5–10 % of RAM)`,
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
    assessment = `The ${known !== null ? "system's" : 'inferred'} value (${inferred} kB) is already at or above ${value} kB: raising it further is not indicated.`;
  else if (recommended && cmaShort.length > 0)
    assessment =
      `Recommended: non-CMA free memory was exhausted (${cmaShort.join('; ')}); the free memory was CMA, which only movable allocations may use. ` +
      `A higher min helps here: ${KSWAPD_CMA_WORDS}. Raise it to ${value} kB (from ${inferred} kB). Shrinking the CMA area (below) is the other way.`;
  else if (recommended)
    assessment =
      `Recommended: ${near.map((z) => zoneLabel(z)).join(', ')} ${near.length > 1 ? 'were' : 'was'} at or below low when this ${atomicOrHigh ? 'atomic/high-order ' : ''}request failed; ` +
      `${value} kB (from ${inferred} kB) keeps more free for such bursts. It reduces how often the message appears; it does not guarantee a contiguous block.`;
  else if (near.length > 0 && passedAtMin.length > 0 && atomicOrHigh)
    assessment = `Not indicated: ${passedAtMin.map((c) => zoneLabel(c)).join(', ')} passed the watermark check (the free pages the request may count exceed min), so the level of min did not decide this failure; the verdict says what did.`;
  else if (wsfPreferred && near.length > 0)
    assessment = `Listed: on this kernel vm.watermark_scale_factor wakes kswapd earlier without taking memory away; raise min_free_kbytes to ${value} kB only if failures continue.`;
  else if (input.context.memalloc)
    assessment = `Not indicated: ${memallocWords(input)}; a higher min raises the mark this allocation is checked against by as much as it raises what kswapd keeps free, so under the same pressure it fails the same way.`;
  else if (!atomicOrHigh)
    assessment =
      'Not indicated: the request could sleep and reclaim; a higher min would not have made it succeed.';
  else {
    assessment = unusable
      ? `Not indicated: the zones failed this request because of memory it may not use (${unusable}), not because free memory was near min; a higher min raises the bar without making those pages usable.`
      : 'Not indicated: no zone the request may use was near its min watermark.';
  }
  // A value at or below today's would lower the watermarks: no line to suggest at all.
  return remedy(
    base,
    raises ? suggestion('vm.min_free_kbytes', value, lines, recommended) : null,
    recommended,
    assessment,
  );
}

/** The kernel as the words name it: its release, else the releases its format fits. */
function kernelText(input: RemedyInput): string {
  return input.release ?? `release not printed; its format fits ${spanText(input)}`;
}

/** "range 1…1000" as the report's kernel takes it (the narrowest range of the releases it may be). */
function rangeText(k: Knob): string {
  const f = k.fact ?? k.narrowest;
  if (!f || f.min === null || f.max === null) return '';
  return k.fact
    ? `range ${f.min}…${f.max} on this kernel`
    : `range ${f.min}…${f.max} on every release this report's format fits (wider on some)`;
}

function watermarkScaleFactor(input: RemedyInput): Remedy | null {
  const k = knob('vm.watermark_scale_factor', input);
  const available = k.exists;
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
      `vm.watermark_scale_factor exists from ${k.since}; this kernel (${kernelText(input)}) does not have it.`,
    );
  if (available === null)
    return remedy(base, null, false, unknownKnobText('vm.watermark_scale_factor', k, input));
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
  const lowGap = (big.lowKb ?? 0) - (big.minKb ?? 0);
  // __setup_per_zone_wmarks (4.6+): low = min + tmp, high = min + 2 × tmp, so both gaps are the
  // factor's tmp. Android common kernels (android-4.14 … android12-5.10 mm/page_alloc.c) add
  // vm.extra_free_kbytes to low and high alike (low = min + extra + tmp, high = min + extra +
  // 2 × tmp): then high − low is the factor's gap and the rest of low − min is the extra.
  const highGap = big.highKb !== null ? big.highKb - (big.lowKb ?? 0) : null;
  const pk = input.memory.pageSizeKb;
  const extraKb = highGap !== null && highGap > 0 && lowGap - highGap > 2 * pk ? lowGap - highGap : 0;
  const gap = extraKb > 0 && highGap !== null ? highGap : lowGap;
  const printedFactor = Math.max(1, Math.round((gap / size) * 10000));
  const knownFactor = knownSysctlInt(input.system, 'vm.watermark_scale_factor');
  const effective = knownFactor !== null && knownFactor > 0 ? knownFactor : printedFactor;
  // The handler refuses a value above extra2 (proc_dointvec_minmax): 1000 up to 5.16, 3000 from 5.17.
  const max = (k.fact ?? k.narrowest)?.max ?? 1000;
  const value = Math.min(max, Math.max(20, 2 * effective));
  const newGap = Math.round((size * value) / 10000);
  const atomic = input.gfp?.atomic ?? false;
  const android = extraKb > 0 && mayBeAndroid(input);
  const extraText =
    extraKb > 0
      ? `low − min (${lowGap} kB) exceeds high − low (${gap} kB) by ${extraKb} kB: ` +
        (android
          ? 'this log looks like Android, whose common kernels add vm.extra_free_kbytes to low and high (__setup_per_zone_wmarks); that extra, not watermark_scale_factor, widened low'
          : "a mainline kernel keeps both gaps equal (__setup_per_zone_wmarks), so a vendor patch adds to low (Android common kernels' vm.extra_free_kbytes does); that extra, not watermark_scale_factor, widened low")
      : null;
  // With such an extra, kswapd already wakes far above min: doubling the factor on top is not
  // what the report points to.
  const recommended = atomic && near.length > 0 && extraKb === 0;
  const lines = [
    near.length > 0
      ? `${requestText(input)} failure with ${near.map(zoneEvidence).join('; ')}`
      : `${requestText(input)} failure; no zone it may use was at or below low`,
    (extraKb > 0
      ? `now: high − low in ${zoneLabel(big)} = ${gap} kB = ${((gap / size) * 100).toFixed(2)} % of its ${size} kB → effective factor ≈ ${printedFactor} (default ${defaultOf(k, 'vm.watermark_scale_factor')})`
      : `now: low − min in ${zoneLabel(big)} = ${gap} kB = ${((gap / size) * 100).toFixed(2)} % of its ${size} kB → effective factor ≈ ${printedFactor} (default ${defaultOf(k, 'vm.watermark_scale_factor')})`) +
      (effective !== printedFactor || knownFactor !== null
        ? `; current: ${effective} (vm.watermark_scale_factor ${fromSystem(input.system!)})`
        : ''),
    ...(extraText ? [extraText] : []),
    `${value} makes the gap ≈ ${newGap} kB: kswapd wakes that much earlier and reclaims to a higher high; min itself (what atomic requests dip into) is unchanged`,
    `risk: more memory kept free by kswapd and more background reclaim; ${rangeText(k)} (${vmDoc(input)})`,
  ];
  const assessment = recommended
    ? `Recommended (preferred on ${k.since}+ for bursty atomic failures): starts background reclaim earlier without raising the reserve that min_free_kbytes takes away.`
    : extraKb > 0 && atomic && near.length > 0
      ? `Not recommended: kswapd already wakes ${extraKb} kB above the factor's gap (${android ? 'vm.extra_free_kbytes' : 'an extra the kernel adds to low'}), and the factor is the default; a larger one would widen both gaps again without reaching what decided this failure.`
      : input.context.memalloc
        ? `Listed: ${memallocWords(input)}; a wider gap makes kswapd start earlier and reclaim to a higher high, which leaves more pages above min for allocations made while reclaiming, without changing the min they are checked against.`
        : !atomic && near.length > 0
          ? 'Listed: the request could reclaim for itself; earlier kswapd wake-ups would only shorten its stall.'
          : 'Not indicated: no zone the request may use was near its watermarks.';
  return remedy(
    base,
    suggestion('vm.watermark_scale_factor', value, lines, recommended),
    recommended,
    assessment,
  );
}

/** The log may come from Android: an Android release string, or Android's binder threads as
 * the task (`Binder:…`, `HwBinder:…`). */
function mayBeAndroid(input: RemedyInput): boolean {
  if (/android/i.test(input.release ?? '')) return true;
  return /^(Hw|Vnd)?Binder[:_]/i.test(input.report.comm ?? '');
}

/** Current lowmem_reserve_ratio array: inferred where the report shows it, else the default. */
function currentRatios(input: RemedyInput): { zones: string[]; values: number[]; sources: string[] } {
  const v = input.version;
  const from417 = v === null ? null : eraRowFor(fromTriple(v)).lowmemReserve.perZone;
  // ≤4.16 the array has MAX_NR_ZONES − 1 entries (the top zone protects nothing); 4.17+ one per zone.
  const zones = from417 === false ? input.layout.slice(0, -1) : input.layout;
  const values: number[] = [];
  const sources: string[] = [];
  // The system's array, entry i for zone i of the kernel's zone list (sysctl_lowmem_reserve_ratio
  // [MAX_NR_ZONES − 1] ≤4.16, [MAX_NR_ZONES] 4.17+): used when it has one entry per zone listed.
  const known = knownSysctlInts(input.system, 'vm.lowmem_reserve_ratio');
  const knownAt =
    known === null
      ? null
      : known.length === zones.length
        ? (i: number) => known[i]
        : known.length === input.layout.length
          ? (i: number) => known[input.layout.indexOf(zones[i])]
          : null;
  for (const [i, z] of zones.entries()) {
    const stated = knownAt?.(i);
    if (stated !== undefined && input.system) {
      const top = from417 === true && i === zones.length - 1 ? '; top zone: changes nothing' : '';
      values.push(stated);
      sources.push(`${z} ${stated}${top ? ` (${top.slice(2)})` : ''}`);
      continue;
    }
    const inferred =
      input.protection.find((p) => canonicalZone(p.zone) === z && p.ratio !== null)?.ratio ?? null;
    // 4.17+ sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] lists DMA, DMA32, Normal, HighMem, Movable:
    // an unlisted zone (Device) is 0 (K618 mm/page_alloc.c).
    const def = defaultLowmemReserveRatio(z, from417) ?? (from417 ? 0 : 32);
    values.push(inferred ?? def);
    // setup_per_zone_lowmem_reserve divides the zones above zone i by ratio[i] for i below the top
    // zone only: on 4.17+ the array's last entry is written but changes nothing.
    const top = from417 === true && i === zones.length - 1 ? '; top zone: changes nothing' : '';
    sources.push(inferred !== null ? `${z} ${inferred} (inferred${top})` : `${z} ${def} (default${top})`);
  }
  if (knownAt && input.system) sources.push(`from vm.lowmem_reserve_ratio ${fromSystem(input.system)}`);
  else if (known !== null && input.system)
    sources.push(
      `the system's vm.lowmem_reserve_ratio ("${known.join(' ')}", ${input.system.source}) has ${known.length} entries for the ${zones.length} zones of this layout: not used`,
    );
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
  // A DMA/DMA32-only request with no drained lower zone: what could protect it is its class
  // zone's own ratio (setup_per_zone_lowmem_reserve: ratio[i] sets what zone i keeps back from the
  // classes above it), and only when higher-class requests drained that zone and a populated zone
  // lies above it. A lower zone's ratio would enlarge the reserve kept from this very request.
  if (!target && lowerRequest && report.kind === 'page_alloc_failure') {
    const cz = replay.classzone;
    const ci = cur.zones.indexOf(cz);
    const drainedClass = input.zones.filter(
      (z) => canonicalZone(z.zone) === cz && (z.state === 'below_min' || z.state === 'below_low'),
    );
    const above = report.zones.filter(
      (z) =>
        input.layout.indexOf(canonicalZone(z.zone) ?? '') > classIdx &&
        !isEmptyZone(z) &&
        (z.presentKb ?? 0) > 0,
    );
    const lowerNames = [...new Set(lowerChecks.map((c) => canonicalZone(c.zone)))].join(', ');
    const lowerText = lowerNames
      ? ` Lowering ${lowerNames}'s ratio would enlarge the reserve ${lowerNames} keeps back from this very ${cz}-class request.`
      : '';
    if (ci >= 0 && drainedClass.length > 0 && above.length > 0) {
      const values = [...cur.values];
      values[ci] = Math.max(1, Math.floor(values[ci] / 2));
      return remedy(
        base,
        suggestion(
          'vm.lowmem_reserve_ratio',
          values.join(' '),
          [
            `current: ${cur.sources.join(', ')} = "${cur.values.join(' ')}"`,
            `${drainedClass.map(zoneEvidence).join('; ')}: a ${cz}-only request failed while higher-class requests may use ${cz}`,
            `halving ${cz}'s ratio doubles what ${cz} keeps back from the classes above it (${above.map((z) => zoneLabel(z)).join(', ')})`,
            `risk: higher-class requests lose that much fallback memory; ${releaseWhere((r) => r.lowmemReserve.perZone)}+ treats 0 as "no protection"`,
          ],
          true,
        ),
        true,
        `Recommended: protect ${cz} from higher-class requests (ratio ${cur.values[ci]} → ${values[ci]}).${lowerText}`,
      );
    }
    return remedy(
      base,
      null,
      false,
      `Not recommended: ${
        above.length === 0
          ? `no populated zone lies above ${cz} in this report, so ${cz}'s own ratio protects it from nothing`
          : `${cz} was not at or below low, so higher-class requests had not drained it`
      }.${lowerText}`,
    );
  }
  // The zone whose ratio the change touches: a drained lower zone, else the highest lower zone
  // this request falls back to (DMA32 on x86-64: "256 128 32" from the default "256 256 32").
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
      `risk: higher-class requests lose that much fallback memory; ${releaseWhere((r) => r.lowmemReserve.perZone)}+ treats 0 as "no protection"`,
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
      `: it shrinks the pool a ${replay.classzone}-class ${input.gfp?.atomic ? 'atomic ' : ''}request falls back to.` +
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
  // reserve = Σ size(zones above it, up to the class zone) / ratio (setup_per_zone_lowmem_reserve).
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
    `risk: with 1 the local page cache is reclaimed before remote memory is used: databases and file servers lose cache and re-read from disk (${vmDoc(input)}: "file servers … should be left disabled")`,
    zoneReclaimCurrent(input),
  ];
  const assessment =
    (imbalance ? 'The nodes are unbalanced, but ' : 'No node imbalance in the report, and ') +
    (atomic
      ? 'zone reclaim never runs for an atomic request like this one, so it would not prevent this failure; '
      : "with the default 0 the allocator already falls back to the other node's free memory; ") +
    'enabling it trades remote memory for local reclaim, which hurts cache-heavy services. Not recommended.';
  return remedy(base, suggestion('vm.zone_reclaim_mode', 1, lines, false), false, assessment);
}

/** What zone_reclaim_mode the host runs: up to 3.15 the kernel itself set 1 at boot when a node
 * distance exceeds RECLAIM_DISTANCE (K2632 build_zonelists, K310/K314 init_zone_allows_reclaim);
 * 3.16 stopped (commit 4f9b16a64753). */
function zoneReclaimCurrent(input: RemedyInput): string {
  const stated = knownCurrent(input, 'vm.zone_reclaim_mode');
  if (stated) return stated;
  const key = 'vm.zone_reclaim_mode';
  const k = knob(key, input);
  const check = '`cat /proc/sys/vm/zone_reclaim_mode` shows it';
  const def = defaultOf(k, key);
  // The release that stopped setting it at boot: the first row whose entry says so.
  const stopped = firstReleaseWhere((r) => r.sysctls[key]?.bootSetsOnNuma === false);
  const upTo = stopped ? `up to ${releaseBefore(stopped)}` : 'older kernels';
  if (k.fact?.bootSetsOnNuma === true)
    return `current value not in the log: default ${def}, but this kernel (${upTo}) sets 1 at boot when a node distance exceeds RECLAIM_DISTANCE; ${check}`;
  if (k.fact?.bootSetsOnNuma === false)
    return `current value not in the log: default ${def}, and this kernel does not set it at boot (the ${stopped ? releaseText(stopped) : ''} change "mm: disable zone_reclaim_mode by default"); ${check}`;
  return `current value not in the log (default ${def}; kernels ${upTo} set 1 at boot on large NUMA distances); ${check}`;
}

function fragmentationRemedies(input: RemedyInput): Remedy[] {
  const out: Remedy[] = [];
  const frag = input.verdict === 'fragmentation';
  const atomic = input.gfp?.atomic ?? false;
  const order = input.order?.order ?? 0;
  // A costly order that gave up with zones passing (__alloc_pages_slowpath 4.x–7.x: a costly
  // request without __GFP_RETRY_MAYFAIL goes to nopage after one round of compaction): blocks that
  // background compaction keeps ready are what it lacked.
  const costlyGiveUp = input.verdict === 'zones_passed' && order > COSTLY_ORDER;
  if (!frag && !costlyGiveUp && !(input.verdict === 'undecidable' && order > 0)) return out;
  const sizeText = input.order?.sizeText ?? `order ${order}`;
  const cpKnob = knob('vm.compaction_proactiveness', input);
  const cp = cpKnob.exists;
  if (cp === true) {
    const recommended = frag;
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
              `verdict: fragmentation — no free block of order ${order} (${sizeText}) the request may take`,
              `${currentOrDefault(input, 'vm.compaction_proactiveness', cpKnob)}; 40 doubles the proactive compaction effort of kcompactd`,
              `risk: more background compaction CPU and latency; values above 80 are warned against; ${rangeText(cpKnob)} (${vmDoc(input)})`,
            ],
            recommended,
          )
        : null,
      assessment: frag
        ? `Recommended: background compaction rebuilds order-${order} blocks before a burst needs them${atomic ? ' (an atomic request cannot compact for itself)' : ''}.`
        : costlyGiveUp && input.gfp?.canReclaim === false
          ? // direct compaction and reclaim need can_direct_reclaim (5.10 __alloc_pages_slowpath:
            // `if (can_direct_reclaim && (costly_order || …)) __alloc_pages_direct_compact`, and
            // `if (!can_direct_reclaim) goto nopage` before any reclaim)
            `Listed: ${atomic ? 'an atomic request' : 'a request without __GFP_DIRECT_RECLAIM'} never reclaims or compacts (__alloc_pages_slowpath: both need can_direct_reclaim); it takes only a block already free. ` +
            'Background compaction (kcompactd, and proactive compaction with vm.compaction_proactiveness) is what can have one ready.'
          : costlyGiveUp
            ? `Listed: a costly order-${order} request gives up after one round of reclaim and compaction unless it asks for __GFP_RETRY_MAYFAIL (__alloc_pages_slowpath); background compaction keeps such blocks ready more often.`
            : 'Only if the buddy lists show fragmentation (undecidable here).',
    });
  } else if (cp === null) {
    out.push(
      listed(
        'compaction_proactiveness',
        'Compact memory in the background (vm.compaction_proactiveness)',
        unknownKnobText('vm.compaction_proactiveness', cpKnob, input) +
          (frag ? '' : ' Only if the buddy lists show fragmentation (undecidable here).'),
      ),
    );
  } else if (frag) {
    out.push(
      listed(
        'compaction_proactiveness',
        'Proactive compaction',
        `vm.compaction_proactiveness exists from ${cpKnob.since}; this kernel (${kernelText(input)}) lacks it: an upgrade brings proactive compaction.`,
      ),
    );
  }
  if (!frag) return out;
  // vm.defrag_mode (6.15+, e3aa7df331bc "mm: page_alloc: defrag_mode"): ALLOC_NOFRAGMENT on the
  // fast path and the reclaiming slow path, so unmovable requests no longer break up pageblocks
  // before reclaim and compaction have run; kswapd/kcompactd then work on whole blocks.
  const dm = knob('vm.defrag_mode', input);
  if (dm.exists === true)
    out.push({
      id: 'defrag_mode',
      title: 'Keep pageblocks whole (vm.defrag_mode = 1)',
      designOption: null,
      recommended: false,
      sysctl: suggestion(
        'vm.defrag_mode',
        1,
        [
          `verdict: fragmentation — no free block of order ${order} (${sizeText}) the request may take`,
          `${currentOrDefault(input, 'vm.defrag_mode', dm)}; 1 makes the allocator reclaim and compact before it falls back to another migratetype (ALLOC_NOFRAGMENT), so fewer pageblocks are split by unmovable pages`,
          `risk: more reclaim and compaction in allocating tasks (pressure spikes reported on some workloads); ${rangeText(dm)} (${vmDoc(input)})`,
        ],
        false,
      ),
      assessment:
        'Listed: it slows the fragmentation that left no such block, over time; it does not create one now. Try it if the failures repeat after proactive compaction.',
    });
  else if (dm.exists === null)
    out.push(
      listed(
        'defrag_mode',
        'Keep pageblocks whole (vm.defrag_mode = 1)',
        unknownKnobText('vm.defrag_mode', dm, input),
      ),
    );
  const ef = knob('vm.extfrag_threshold', input);
  // 4.9+ compaction_suitable() reads the fragmentation index only for order > 3
  // (PAGE_ALLOC_COSTLY_ORDER): below that the threshold decides nothing.
  const ignored = ef.fact?.fragindexOrders === 'costly' && order <= COSTLY_ORDER;
  if (ef.exists === true && !ignored) {
    // Listed, never recommended: the sleeping request that could compact for itself failed anyway.
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
          `${currentOrDefault(input, 'vm.extfrag_threshold', ef)}; 250 lets compaction run for zones whose fragmentation index is above 250 instead of ${defaultOf(ef, 'vm.extfrag_threshold')} (compaction_suitable, mm/compaction.c; ${rangeText(ef)})`,
          atomic
            ? 'this request was atomic: direct compaction does not run for it, so this only helps sleeping high-order requests'
            : 'risk: more compaction work in the allocating task; the index of a zone is in /sys/kernel/debug/extfrag/extfrag_index',
        ],
        recommended,
      ),
      assessment: atomic
        ? 'Listed only: atomic requests never compact directly, so this cannot help this failure.'
        : 'Listed only: the request could compact for itself and still failed; a lower threshold only shifts the kernel from reclaim to compaction sooner. Try proactive compaction first.',
    });
  } else if (ef.exists === true) {
    out.push(
      listed(
        'extfrag_threshold',
        'Prefer compaction over reclaim (vm.extfrag_threshold)',
        `Not applicable: since ${releaseWhere((r) => r.sysctls['vm.extfrag_threshold']?.fragindexOrders === 'costly')} compaction_suitable() (mm/compaction.c) reads the fragmentation index only for requests above order 3 (PAGE_ALLOC_COSTLY_ORDER); for this order-${order} request the threshold decides nothing.`,
      ),
    );
  } else if (ef.exists === null) {
    out.push(
      listed(
        'extfrag_threshold',
        'Prefer compaction over reclaim (vm.extfrag_threshold)',
        unknownKnobText('vm.extfrag_threshold', ef, input),
      ),
    );
  }
  const cm = knob('vm.compact_memory', input);
  if (cm.exists === true)
    out.push(
      listed(
        'compact_memory',
        'Compact now (echo 1 > /proc/sys/vm/compact_memory)',
        `A one-shot action, not a setting: \`echo 1 > /proc/sys/vm/compact_memory\` compacts every zone once (sysctl_compaction_handler, mm/compaction.c), ` +
          `so an order-${order} block may be free for the next such request; \`cat /proc/buddyinfo\` before and after shows what it rebuilt. It costs CPU while it runs and fragmentation returns with the workload.`,
      ),
    );
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
            `${currentOrDefault(input, 'vm.vfs_cache_pressure', knob('vm.vfs_cache_pressure', input))}; 200 reclaims dentry/inode caches twice as eagerly relative to the page cache`,
            `risk: more cache misses on metadata-heavy workloads; 0 may cause OOM (${vmDoc(input)})`,
          ],
          recommended,
        )
      : null,
    assessment: recommended
      ? `Recommended: reclaimable slab holds ${pct} % of RAM.`
      : `Not indicated: reclaimable slab is only ${pct} % of RAM, so dentry/inode caches are not what fills memory.`,
  };
}

/** When the features an upgrade brings came, from the timeline: the highatomic reserve of
 * __zone_watermark_ok and the sysctl rows. */
function featureSince(): { highatomic: string; scale: string; boost: string; proactive: string } {
  return {
    highatomic: releaseWhere((r) => r.watermark.highatomicUnless !== null),
    scale: sinceText('vm.watermark_scale_factor'),
    boost: sinceText('vm.watermark_boost_factor'),
    proactive: sinceText('vm.compaction_proactiveness'),
  };
}

function upgradeKernel(input: RemedyInput): Remedy {
  const v = input.version;
  const since = featureSince();
  const base = { id: 'upgrade_kernel', title: 'Upgrade the kernel', designOption: 3 };
  if (v === null)
    return remedy(
      base,
      null,
      false,
      `The kernel release is not in the report; newer kernels handle bursts of high-order atomic requests better (highatomic reserve ${since.highatomic}, watermark_scale_factor ${since.scale}, watermark boost ${since.boost}, proactive compaction ${since.proactive}).`,
    );
  const missing: string[] = [];
  // What the timeline's row for this version lacks (kernel/eras.ts: the highatomic reserve of 4.4
  // __zone_watermark_ok, and the sysctl rows).
  const row = eraRowFor(fromTriple(v));
  const noHighatomic = row.watermark.highatomicUnless === null;
  if (noHighatomic)
    missing.push(
      `a highatomic reserve that keeps pageblocks for high-order atomic requests (${since.highatomic})`,
    );
  // Only what every release the report may be lacks (a format-dated span may reach past a sysctl).
  const lacks = (key: string) =>
    input.release !== null ? !(key in row.sysctls) : knob(key, input).exists === false;
  if (lacks('vm.watermark_scale_factor')) missing.push(`vm.watermark_scale_factor (${since.scale})`);
  if (lacks('vm.watermark_boost_factor'))
    missing.push(`watermark boosting after fragmentation events (${since.boost})`);
  if (lacks('vm.compaction_proactiveness')) missing.push(`proactive compaction (${since.proactive})`);
  const atomicHigh = (input.gfp?.atomic ?? false) && (input.order?.order ?? 0) > 0;
  // An order-0 atomic request whose zones held only highatomic (H) blocks: what changes that is
  // 281dd25c1a01 ("mm/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic reserves",
  // Nov 2024, 6.12 and stable backports), not the features listed above.
  const hOnly =
    (input.order?.order ?? 0) === 0 &&
    (input.gfp?.atomic ?? false) &&
    (input.replay?.zones ?? []).some(
      (c) =>
        c.usable && c.pass === true && c.orderBlocks?.available === false && c.orderBlocks.onlyHighatomic,
    );
  if (hOnly)
    return remedy(
      base,
      null,
      true,
      `${input.release ?? 'This kernel'} keeps MIGRATE_HIGHATOMIC blocks from order-0 requests; 281dd25c1a01 ("mm/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic reserves", 2024) ` +
        'lets GFP_ATOMIC order-0 requests take them: it is in 6.12 and was backported to the stable trees, so a kernel with it could have served this request from those blocks.',
    );
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
  // Memory the request may not use decided the failure (CMA, highatomic, lowmem_reserve): fewer
  // packets do not make those pages usable, so the burst is not what to act on.
  // Order 0 only: above it the reasons include missing blocks of the order, which a smaller
  // burst (a smaller MTU, a smaller order) does address.
  const unusable = (order?.order ?? 0) === 0 ? failedByUnusable(input) : null;
  const recommended = atomic && unusable === null;
  return remedy(
    base,
    null,
    recommended,
    (unusable
      ? `Listed, not the fix: memory this request may not use decided the failure (${unusable}); the burst only made it visible. `
      : '') +
      `This ${atomic ? 'atomic ' : ''}allocation came from the network path (${context.chainText || context.subsystemText}` +
      `${context.driver ? `, driver ${context.driver}` : ''})` +
      (order ? `: each request needs ${order.sizeText} contiguous` : '') +
      '. Fewer or smaller such requests make failures rarer: limit the burst rate, use a smaller MTU or NIC ring size, or avoid the copy (e.g. offload settings). ' +
      'This is operational advice, not a kernel setting, and the numbers depend on the driver; what a failure costs depends on the caller (a dropped packet on the transmit or receive path, a ring refill or an interface start that fails in a driver).',
  );
}
