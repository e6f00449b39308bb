// The maintainable source of the `kernel-log` TextMate grammar (scope `text.log.kernel`) and of its
// injection into VS Code's built-in `log` grammar (`text.log`). `scripts/build-grammar.mjs` turns
// it into the committed JSON files under `syntaxes/`; a test fails when they are stale.
//
// Contract of every rule, so that a 100 KB line and a 20 MB file tokenise in linear time:
// - a rule matches inside one line: `match` rules only, besides the injection's line rule, whose
//   `end` is `$` (no state crosses a line);
// - a rule never matches the empty string (vscode-textmate stops tokenising a line on that);
// - no nested unbounded quantifiers; unbounded runs are possessive (`*+`, `++`) or atomic
//   (`(?>…)`) so a failing match never backtracks through them; lazy quantifiers are bounded;
// - a rule starts with a literal, an anchor (`^`), or a one-character look-behind that rejects
//   every position inside a word, so the search never re-scans a run of characters from each of
//   its positions.
// Intervals are never followed by `+`: in Oniguruma's Ruby syntax `{n,m}+` is not possessive.
//
// Report formats follow the kernel's printk formats per era (docs/kernel/kernel-memory.md
// §2 and §7), not a sample log.

const SUFFIX = 'kernel-log';

/** `scope('comment.timestamp')` → `comment.timestamp.kernel-log` */
const scope = (name) => `${name}.${SUFFIX}`;

/** Alternation of literal words, longest first so that `DMA32` wins over `DMA`. */
const alt = (words) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/ /g, '[ ]'))
    .join('|');

/** Builds a `captures` object from a list of scope names (null = no scope). */
const caps = (...names) =>
  Object.fromEntries(
    names
      .map((n, i) => [String(i + 1), n])
      .filter(([, n]) => n !== null)
      .map(([i, n]) => [i, { name: scope(n) }]),
  );

// --- Kernel knowledge as data -------------------------------------------------------------------

/** Zone names (include/linux/mmzone.h `zone_names[]`). */
export const ZONES = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'];

/** Task-context markers printed inside a call trace (x86 `show_trace_log_lvl`). */
export const CONTEXT_MARKERS = [
  'IRQ',
  'EOI',
  'NMI',
  'EOE',
  'SOFTIRQ',
  'TASK',
  '/TASK',
  '#DF',
  'MCE',
  'VC',
  'DB',
];

/** syslog facilities and levels, as appended by syslog-ng templates (`[kern.warning]`) or dmesg -x. */
export const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
];
export const LEVELS = [
  'emerg',
  'alert',
  'crit',
  'err',
  'error',
  'warning',
  'warn',
  'notice',
  'info',
  'debug',
];

/**
 * Field names without an underscore that the kernel prints as `name:value` in Mem-Info, per-node
 * and zone lines, the per-cpu lines, SLUB and OOM kill lines (reference §2.3–§2.8, §7). Names with
 * an underscore (`active_anon`, `slab_reclaimable`, `free_pcp`, …) are recognised by shape.
 */
export const PLAIN_FIELDS = [
  'free',
  'min',
  'low',
  'high',
  'boost',
  'present',
  'managed',
  'mlocked',
  'dirty',
  'writeback',
  'mapped',
  'shmem',
  'bounce',
  'unstable',
  'unevictable',
  'writepending',
  'zspages',
  'pagetables',
  'active',
  'inactive',
  'slab',
  'Active',
  'Balloon',
  'hi',
  'btch',
  'usd',
  'used',
  'slabs',
  'objs',
  'total-vm',
  'anon-rss',
  'file-rss',
  'shmem-rss',
  'UID',
  'pgtables',
  'score',
];

/** Watermark fields of a zone line (reference §2.5): the ones `__zone_watermark_ok` compares. */
export const WATERMARK_FIELDS = ['free', 'min', 'low', 'high', 'boost'];

/** `show_mem` tail lines: `%lu <text>` (reference §2.9). */
export const SUMMARY_LINES = [
  'pages RAM',
  'pages of RAM',
  'pages HighMem/MovableOnly',
  'pages HighMem',
  'pages reserved',
  'pages shared',
  'pages non-shared',
  'pages cma reserved',
  'pages in swap cache',
  'pages in pagetable cache',
  'pages hwpoisoned',
  'pages swap cached',
  'total pagecache pages',
  'reserved pages',
  'pages of HIGHMEM',
  'pages dirty',
  'pages writeback',
  'pages mapped',
  'pages slab',
  'pages pagetables',
];

// --- Reusable regex pieces -----------------------------------------------------------------------

/** Indentation, then mail quoting (`> `, `> >>`, tabs) in front of a line: captures the quote. */
const QUOTE = String.raw`[ \t]*+(>[ \t>]*+)?`;
/** BSD syslog time (`Apr 28 05:30:51`, journalctl short-precise adds `.123456`). */
const BSD_TIME = String.raw`[A-Z][a-z]{2}[ ]{1,2}\d{1,2}[ ]\d\d:\d\d:\d\d(?:\.\d++)?`;
/** RFC 3339 / journalctl short-iso and short-full times. */
const ISO_TIME = String.raw`(?:[A-Z][a-z]{2}[ ])?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d++)?(?:Z|[+-]\d\d(?::?\d\d)?|[ ](?:[A-Z]{2,3}T|UTC|GMT)(?=[ ]))?`;
/** dmesg seconds `[ 123.456789]`, dmesg -H deltas `[  +0.000004]`. */
const DMESG_TIME = String.raw`\[[ ]*+[+-]?\d++\.\d++\]`;
/** dmesg -T / -H wall-clock times: `[Tue Apr 28 05:30:51 2020]`, `[六 9月 11 12:24:42 2021]`, `[Feb15 11:41]`. */
const DMESG_WALL_TIME = String.raw`\[[^\[\]\n<>:]{0,24}\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d++)?[^\[\]\n:]{0,12}\]`;
/** printk caller id `[ T3364]` / `[    C1]` (CONFIG_PRINTK_CALLER). */
const CALLER_ID = String.raw`\[[ ]*+[TC]\d++\]`;
/** The record's `<facility.severity>` written by BSD syslogd -v/-vv before the host or by rsyslog /
 * syslog-ng templates after it (`<kern.warning>`, `<0.4>`; core/framing.ts FACILITY_PRIORITY). */
const FACILITY_PRIORITY = String.raw`<(?:${alt(FACILITIES)}|local[0-7]|\d{1,2})\.(?:${alt(LEVELS)}|[0-7])>`;
/** syslog / journalctl framing whose tag (program name) matches `tag`; or the kernel's tag with no
 * host (`Apr 28 05:30:51 kernel: `) or, when `tagless`, a host with no tag (`Apr 01 14:13:32 mysrv: `),
 * both core/framing.ts SYSLOG_ONE_FIELD; each with an optional `<facility.severity>` before or after
 * the host. Without `tagless` that branch never matches (`(?!)`) and keeps its group, so the
 * captures stay those of the rule: the injection's line rule leaves it out, as nothing in such a
 * line names the kernel and any `.log` file may hold `time host: text` lines. */
const syslogFraming = (tag, tagless = true) =>
  String.raw`^${QUOTE}(${BSD_TIME}|${ISO_TIME})[ ]++(?:(${FACILITY_PRIORITY})[ ]++)?(?:((?:kernel|vmunix)(?:\[\d++\])?:)(?=[ ]|$)|${tagless ? '' : '(?!)'}([A-Za-z0-9][\w.-]*+):(?=[ ])|([^\s\[\]]++)[ ]++(?:(${FACILITY_PRIORITY})[ ]++)?(${tag}(?:\[(\d++)\])?:))(?:[ ]++(${DMESG_TIME}))?(?:[ ]*+(${CALLER_ID}))?`;
/** RFC 5424 framing whose APP-NAME matches `app`. */
const rfc5424Framing = (app) =>
  String.raw`^${QUOTE}(<\d{1,3}>1)[ ]([^\s]++)[ ]([^\s]++)[ ](${app})[ ]([^\s]++[ ][^\s]++[ ](?:-|(?:\[[^\]\n]*+\])++))`;
/**
 * The start of a line without framing that is a kernel report's: it opens a line rule in the
 * injection (a lookahead: the content rules colour it).
 */
const BARE_KERNEL_LINE = String.raw`[ \t]*+(?:>[ \t>]*+)?(?:${[
  String.raw`Node[ ]\d`,
  String.raw`(?:${alt(ZONES)})(?:[ ]free:|:[ ]|[ ]per-cpu:)`,
  String.raw`lowmem_reserve\[\]:`,
  String.raw`(?:(?:[a-z][a-z0-9]*+_)++[a-z0-9]++(?:\((?:anon|file)\))?|${alt(PLAIN_FIELDS)}):[ ]*+\d`,
  String.raw`\[<\h|<\h{8,16}>|\[\h{8,16}\]|<(?:${alt(CONTEXT_MARKERS)})>`,
  String.raw`(?:\?[ ]++)?[A-Za-z_.][\w.$]*+\+0x\h`,
  String.raw`(?:CPU|Pid):[ ]\d|CPU[ ]++\d++:[ ]hi:|cpu[ ]\d++[ ](?:hot|cold):`,
  String.raw`Call[ ][Tt]race:|Mem-[Ii]nfo:|Tasks[ ]state|Hardware[ ]name:|Workqueue:|Not[ ]tainted|Tainted:`,
  String.raw`SLUB:[ ]Unable|cache:[ ]|node[ ]-?\d++:[ ]slabs:`,
  String.raw`\d++[ ](?:pages[ ]|total[ ]pagecache|reserved[ ]pages)|(?:Free|Total)[ ]swap|Free[ ]pages|Swap[ ]cache`,
  String.raw`Out[ ]of[ ][Mm]emory|Memory[ ]cgroup[ ]out|Kill(?:ed)?[ ]process|oom-kill:|oom_reaper:`,
  String.raw`\[[ ]*+\d++\][ ]++\d|\[[ ]*+pid[ ]*+\]`,
  String.raw`[\w-]++:[ ]\d++[ ](?:callbacks|messages)[ ]suppressed`,
  String.raw`[^\s\[\]<>;:][^\[\]\n]{0,15}?(?::[ ](?:page[ ]allocation|vmalloc)|[ ]invoked[ ]oom-killer|[ ]cpuset=)`,
].join('|')})`;
/** The scope of a kernel line in the injection; the injection does not apply inside it again. */
const LINE_SCOPE = scope('meta.line');

/** After `name: N`: the count of a ratelimit line (`warn_alloc: 2 callbacks suppressed`), not a field. */
const NOT_SUPPRESSED = String.raw`[ ](?:callbacks|messages)[ ]suppressed`;
/** Starts a word: not preceded by a character that could continue one. */
const WORD_START = String.raw`(?<![\w.$()-])`;

// --- Rules ---------------------------------------------------------------------------------------

/**
 * Every rule, keyed by repository name. `both` rules go into the `kernel-log` grammar and the
 * injection; `main` rules only into `kernel-log` (they are too generic for arbitrary `.log` files).
 */
const RULES = {
  // Framing: anchored at the line start, so they cost one attempt per line.
  'framing-syslog': {
    where: 'both',
    comment:
      'syslog / journalctl short*: time [<facility.severity>] host [<facility.severity>] tag[pid]: (or time kernel: with no host, or time host: with no tag), then an optional dmesg time and caller id',
    match: syslogFraming(String.raw`[^\s\[\]:]++`),
    captures: caps(
      'comment.quote',
      'comment.timestamp',
      'comment.facility',
      'entity.name.tag.syslog',
      'variable.other.host',
      'variable.other.host',
      'comment.facility',
      'entity.name.tag.syslog',
      'constant.numeric.pid',
      'comment.timestamp',
      'comment.caller-id',
    ),
  },
  'framing-dmesg': {
    where: 'both',
    comment:
      'dmesg [ 123.456] / -T / -H, optional editor line number before it, caller id and journalctl short-monotonic host/tag after it',
    match: String.raw`^${QUOTE}(?:(\d{1,7})[ \t]++)?(${DMESG_TIME}|${DMESG_WALL_TIME})(?:[ ]*+(${CALLER_ID}))?(?:[ ]++([\w.-]++)[ ]++(kernel:))?`,
    captures: caps(
      'comment.quote',
      'comment.line-number',
      'comment.timestamp',
      'comment.caller-id',
      'variable.other.host',
      'entity.name.tag.syslog',
    ),
  },
  'framing-rfc5424': {
    where: 'both',
    comment: 'RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID STRUCTURED-DATA',
    match: rfc5424Framing(String.raw`[^\s]++`),
    captures: caps(
      'comment.quote',
      'comment.level',
      'comment.timestamp',
      'variable.other.host',
      'entity.name.tag.syslog',
      'comment.level',
    ),
  },
  'framing-level': {
    where: 'both',
    comment: '<4> console level prefix, dmesg -x facility:level, /dev/kmsg record header',
    match: String.raw`^${QUOTE}(?:(<[0-7]>)(?:[ ]?+(${DMESG_TIME}))?|((?:${alt(FACILITIES)}|local[0-7])[ ]*+:(?:${alt(LEVELS)})[ ]*+:)|(\d++,\d++,\d++,[^;\s]*+;))`,
    captures: caps(
      'comment.quote',
      'comment.level',
      'comment.timestamp',
      'comment.facility',
      'comment.level',
    ),
  },
  'framing-logcat': {
    where: 'main',
    comment:
      'Android logcat threadtime (`%s %s%5d %5d %c %-8.*s: `, AOSP liblog logprint.cpp): time, uid, pid, tid, level, tag',
    match: String.raw`^${QUOTE}((?:\d{4}-)?\d\d-\d\d[ ]\d\d:\d\d:\d\d\.\d{3,9}(?:[ ][+-]\d{4})?)[ ]++(?:([^\s:]{1,16})[ ]++(?=\d++[ ]++\d++[ ][VDIWEFS][ ]))?(\d++)[ ]++(\d++)[ ]([VDIWEFS])[ ]([^:\n]{0,64}+):`,
    captures: caps(
      'comment.quote',
      'comment.timestamp',
      'constant.numeric.pid',
      'constant.numeric.pid',
      'constant.numeric.pid',
      'comment.level',
      'entity.name.tag.syslog',
    ),
  },
  quote: {
    where: 'main',
    comment: 'mail quoting without a recognised framing after it',
    match: String.raw`^[ \t]*+>[ \t>]*+`,
    name: scope('comment.quote'),
  },
  'framing-inline': {
    where: 'both',
    comment:
      'a dmesg time or a syslog-ng [kern.warning] tag in the middle of a line (reflowed or suffixed logs), rsyslog #012 escapes',
    match: String.raw`(\[[ ]*+\d++\.\d{6}\](?:${CALLER_ID})?)|(\[(?:${alt(FACILITIES)}|local[0-7])\.(?:${alt(LEVELS)})\])|(#01[12])(?!\d)`,
    captures: caps('comment.timestamp', 'comment.facility', 'constant.character.escape'),
  },

  // Report headers.
  'report-comm': {
    where: 'both',
    comment: 'the task (comm, at most 16 characters) in front of a report header or a cpuset line',
    match: String.raw`(?<![^\s\]>;])([^\s\[\]<>;:][^\[\]\n]{0,15}?)(?=:[ ](?:page[ ]allocation[ ](?:failure|stalls)|vmalloc(?::|[ ]error))|[ ]invoked[ ]oom-killer:|[ ]cpuset=)`,
    captures: caps('string.unquoted.comm'),
  },
  'report-phrase': {
    where: 'both',
    comment: 'report header phrases: page allocation failure / stall, oom-killer, vmalloc, SLUB',
    match: String.raw`\b(?:(page[ ]allocation[ ]failure)|(page[ ]allocation[ ]stalls[ ]for)(?:[ ](\d++)(ms))?|((?:invoked[ ])?oom-killer)|(vmalloc(?::[ ]allocation[ ]failure|[ ]error)|vmap[ ]allocation[ ]for[ ]size)|(SLUB:[ ]Unable[ ]to[ ]allocate[ ]memory)|(allocation[ ]failure))\b`,
    captures: caps(
      'invalid.illegal.page-allocation-failure',
      'invalid.illegal.allocation-stall',
      'constant.numeric.duration',
      'keyword.other.unit',
      'invalid.illegal.oom-killer',
      'invalid.illegal.vmalloc-failure',
      'invalid.illegal.slub-failure',
      'invalid.illegal.page-allocation-failure',
    ),
  },
  'gfp-mask': {
    where: 'both',
    comment:
      'mode:0x… (page allocator), gfp_mask=0x… (OOM), gfp=0x… (SLUB); masked digits (0x62****) included',
    match: String.raw`\b((?:mode|gfp_mask|gfp)[:=])(0x[\h*]++)`,
    captures: caps('keyword.other.gfp-mask', 'constant.numeric.gfp-mask'),
  },
  'gfp-name': {
    where: 'both',
    comment: 'printed GFP flag names (%pGg) and the | between them',
    match: String.raw`\b(_{0,3}GFP_[A-Z0-9_]++)(\|)?`,
    captures: caps('variable.other.constant.gfp', 'keyword.operator.bitwise'),
  },
  'header-number': {
    where: 'both',
    comment: 'order:5, order=0 (also the SLUB "default order: 3"), oom_score_adj=0, oom_adj=0',
    match: String.raw`\b(?:(order[:=])[ ]?+(\d++)|((?:oom_score_adj|oom_adj)[:=])(-?\d++))`,
    captures: caps(
      'keyword.other.order',
      'constant.numeric.order',
      'keyword.other.oom-score-adj',
      'constant.numeric.value',
    ),
  },
  'header-nodemask': {
    where: 'both',
    comment: 'nodemask=(null) | list, mems_allowed=list, cpuset=name',
    match: String.raw`\b(?:((?:nodemask|mems_allowed)=)(?:(\(null\))|(\d++(?:[,-]\d++)*+))|(cpuset=)([^\s,]*+))`,
    captures: caps(
      'keyword.other.nodemask',
      'constant.language.null',
      'constant.numeric.nodemask',
      'keyword.other.cpuset',
      'string.unquoted.cpuset',
    ),
  },

  // Task line: `CPU: 4 PID: 1 Comm: x Tainted: G  OE  6.8.0 #124` / `Pid: 0, comm: swapper Not tainted 3.4.24 #3`.
  'task-comm': {
    where: 'both',
    match: String.raw`\b([Cc]omm:)[ ]([^\n]{1,16}?)(?=[ ]++(?:Not[ ]tainted|Tainted:|Kdump:)|[ ]*+$)`,
    captures: caps('keyword.other.task', 'string.unquoted.comm'),
  },
  'task-taint': {
    where: 'both',
    comment: 'taint flags are capital letters in fixed columns; the release starts with a digit',
    match: String.raw`\b(?:(Not[ ]tainted)|(Tainted:)((?>[ ]++[A-Z]++)*+))(?:[ ]++(\d[^\s]*+))?(?:[ ]++(#[^\s]++))?`,
    captures: caps(
      'markup.inserted.untainted',
      'markup.deleted.tainted',
      'constant.language.taint',
      'string.unquoted.release',
      'comment.build',
    ),
  },
  'task-label': {
    where: 'both',
    match: String.raw`\b(?:Hardware[ ]name|Workqueue|Kdump):`,
    name: scope('keyword.other.label'),
  },

  // Section headings.
  heading: {
    where: 'both',
    match: String.raw`\b(?:Call[ ][Tt]race:|Mem-[Ii]nfo:|Tasks[ ]state[ ]\(memory[ ]values[ ]in[ ]pages\):|Exception[ ]stack)|(\[[ ]*+pid[ ]*+\][ ]++uid[ ]++tgid[ ][^\n]*+)`,
    name: scope('markup.heading'),
  },

  // Call trace frames.
  'trace-address': {
    where: 'both',
    comment: '[<ffffffff8109b77b>] (x86), <c0132552> (2.6 i386), [c000000007eeb370] (ppc64)',
    match: String.raw`\[<\h++>\]|(?<![\w<])<\h{8,16}>|\[\h{8,16}\]`,
    name: scope('constant.numeric.address'),
  },
  'trace-unreliable': {
    where: 'both',
    comment: '"? func" marks a frame the unwinder is not sure of; ppc prints "(unreliable)"',
    match: String.raw`(?<![^\s\]>])\?(?=[ ]++[A-Za-z_.][\w.$]*+\+0x|[ ]*+$)|\(unreliable\)`,
    name: scope('comment.unreliable'),
  },
  'trace-function': {
    where: 'both',
    comment: 'func+0xoff/0xsize [module]; names may hold dots (.constprop.0, .cold, .text.lock.x)',
    match: String.raw`(?<![\w.$])([A-Za-z_.][\w.$]*+)(\+0x\h++(?:/0x\h++)?)(?:[ ]++(\[[\w-]++\]))?`,
    captures: caps('entity.name.function', 'constant.numeric.offset', 'entity.name.namespace.module'),
  },
  'trace-function-arm': {
    where: 'both',
    comment: 'arm "[<addr>] (func) from [<addr>]"',
    match: String.raw`\(([A-Za-z_.][\w.]*+)\)(?=[ ]from[ ])`,
    captures: caps('entity.name.function'),
  },
  'trace-context': {
    where: 'both',
    match: String.raw`(?<![\w<])<(?:${alt(CONTEXT_MARKERS)})>`,
    name: scope('keyword.control.context'),
  },

  // Memory dump.
  node: {
    where: 'both',
    comment: 'Node N on NUMA lines; SLUB prints "on node -1, gfp=" and "node 0: slabs:"',
    match: String.raw`\b(?:(Node)[ ](\d++)(?=[ ])|(node)[ ](-?\d++)(?=,?[ ]\(?gfp=|:[ ]slabs:))`,
    captures: caps(
      'keyword.other.node',
      'constant.numeric.node',
      'keyword.other.node',
      'constant.numeric.node',
    ),
  },
  zone: {
    where: 'both',
    comment: 'zone names where the kernel prints them: zone line, buddy line, per-cpu line, empty zone',
    match: String.raw`\b(?:${alt(ZONES)})\b(?=[ ]free:|:(?:[ ]|$)|[ ]per-cpu:|[ ]empty)`,
    name: scope('entity.name.type.zone'),
  },
  watermark: {
    where: 'both',
    match: String.raw`${WORD_START}((?:${alt(WATERMARK_FIELDS)}):)(\d++)(kB)(?!\w)`,
    captures: caps('keyword.other.watermark', 'constant.numeric.watermark', 'keyword.other.unit'),
  },
  'field-flag': {
    where: 'both',
    match: String.raw`\b(all_unreclaimable\?)[ ](yes|no)\b`,
    captures: caps('variable.other.field', 'constant.language.boolean'),
  },
  field: {
    where: 'both',
    comment:
      'name:value counters (pages) and name:NkB sizes; names with an underscore by shape, the rest from a list',
    match: String.raw`${WORD_START}((?:(?:[a-z][a-z0-9]*+_)++[a-z0-9]++(?:\((?:anon|file)\))?|isolated\((?:anon|file)\)|${alt(PLAIN_FIELDS)}):)[ ]*+(-?\d++)(kB|KB)?(?![\w.]|${NOT_SUPPRESSED})`,
    captures: caps('variable.other.field', 'constant.numeric.value', 'keyword.other.unit'),
  },
  register: {
    where: 'main',
    comment: 'register dump: RIP: 0033:0x7c2009760, RAX: 0000000000000002, EFLAGS: 00010202, DS: 007b',
    match: String.raw`\b(R(?:[A-D]X|[SD]I|[SB]P|IP|0[89]|1[0-5]|[89])|E(?:[A-D]X|[SD]I|[SB]P|IP|FLAGS)|[C-GS]S|CR[0-4]|DR[0-7]|ORIG_RAX):[ ](\h++(?::(?:0x)?\h++)?)(?![\w.])`,
    captures: caps('variable.language.register', 'constant.numeric.hex'),
  },
  'field-generic': {
    where: 'main',
    comment: 'any other name:value, for kernels newer than the field list',
    match: String.raw`${WORD_START}([A-Za-z][\w-]*+:)[ ]?(-?\d++)(kB|KB)?(?![\w.:]|${NOT_SUPPRESSED})`,
    captures: caps('variable.other.field', 'constant.numeric.value', 'keyword.other.unit'),
  },
  'field-slub': {
    where: 'both',
    comment: 'SLUB: "cache: kmalloc-4096, object size: 4096, buffer size: 4096"',
    match: String.raw`\b(?:(cache:)[ ]([^\s,]++)|(object[ ]size:|buffer[ ]size:)[ ](\d++))`,
    captures: caps(
      'variable.other.field',
      'string.unquoted.slab-cache',
      'variable.other.field',
      'constant.numeric.value',
    ),
  },
  'lowmem-reserve': {
    where: 'both',
    comment: 'lowmem_reserve[]: one number (pages) per zone',
    match: String.raw`\b(lowmem_reserve\[\]:)((?:[ ]++\d++)*+)`,
    captures: caps('keyword.other.lowmem-reserve', 'constant.numeric.pages'),
  },
  buddy: {
    where: 'both',
    comment: 'buddy free list entry 12*4kB (UME), and the "= NkB" total',
    match: String.raw`(?<![\w*])(\d++)(\*)(\d++)(kB)(?:[ ](\([UMEHRCI]++\)))?|(?<=[ ])(=[ ])(\d++)(kB)(?!\w)`,
    captures: caps(
      'constant.numeric.count',
      'keyword.operator.arithmetic',
      'constant.numeric.value',
      'keyword.other.unit',
      'constant.character.migratetype',
      'keyword.operator.assignment',
      'constant.numeric.value',
      'keyword.other.unit',
    ),
  },
  hugepages: {
    where: 'both',
    match: String.raw`\b(hugepages_(?:total|free|surp|size)=)(\d++)(kB)?`,
    captures: caps('variable.other.field', 'constant.numeric.value', 'keyword.other.unit'),
  },
  summary: {
    where: 'both',
    comment: 'show_mem tail: "4166576 pages RAM", "Free swap  = 12kB", "Swap cache stats: …"',
    match: String.raw`(?<![\w.])(\d++)[ ](${alt(SUMMARY_LINES)})\b|\b(Free[ ]swap|Total[ ]swap|Free[ ]pages)[ ]*+[=:][ ]*+(-?\d++)(kB)|\b(Swap[ ]cache(?:[ ]stats)?:)`,
    captures: caps(
      'constant.numeric.pages',
      'variable.other.field',
      'variable.other.field',
      'constant.numeric.value',
      'keyword.other.unit',
      'variable.other.field',
    ),
  },

  // OOM killer.
  'oom-task-row': {
    where: 'both',
    comment: 'task table row: [  pid]  uid tgid … name',
    match: String.raw`(\[)[ ]*+(\d++)(\])((?:[ ]++-?\d++)++)[ ]++([^\s][^\n]*+)`,
    captures: caps(null, 'constant.numeric.pid', null, 'constant.numeric.pages', 'string.unquoted.comm'),
  },
  'oom-kill': {
    where: 'both',
    comment:
      'Out of memory: Killed process N (comm) …, Memory cgroup out of memory, oom-kill: summary, oom_reaper',
    match: String.raw`\b(?:(Out[ ]of[ ][Mm]emory(?:[ ]\([\w ]{1,40}\))?:|Memory[ ]cgroup[ ]out[ ]of[ ]memory:|oom-kill:)|(Kill(?:ed)?[ ]process|reaped[ ]process)[ ](\d++)[ ]\(([^()\n]*+)\)(?:[ ](score)[ ](\d++))?)`,
    captures: caps(
      'invalid.illegal.oom-kill',
      'invalid.illegal.oom-kill',
      'constant.numeric.pid',
      'string.unquoted.comm',
      'variable.other.field',
      'constant.numeric.value',
    ),
  },
  'oom-kill-field': {
    where: 'main',
    comment: 'oom-kill:constraint=…,task_memcg=…,task=…,pid=…,uid=… (5.0+)',
    match: String.raw`(?<=[:,])((?:constraint|oom_memcg|task_memcg|task|pid|uid)=)([^,\s]*+)|(?<=,)(global_oom)\b`,
    captures: caps('variable.other.field', 'string.unquoted.value', 'variable.other.field'),
  },
  suppressed: {
    where: 'both',
    comment: 'warn_alloc: 2 callbacks suppressed / printk: 5 messages suppressed: reports the kernel dropped',
    match: String.raw`(?<![\w.])(\d++)[ ]((?:callbacks|messages)[ ]suppressed)\b`,
    captures: caps('constant.numeric.count', 'keyword.other.suppressed'),
  },
};

/** Order matters only between rules that can match at the same position: the first one wins. */
const ORDER = [
  'framing-syslog',
  'framing-dmesg',
  'framing-rfc5424',
  'framing-level',
  'framing-logcat',
  'quote',
  'framing-inline',
  'report-comm',
  'report-phrase',
  'gfp-mask',
  'gfp-name',
  'header-nodemask',
  'task-comm',
  'task-taint',
  'task-label',
  'heading',
  'trace-address',
  'trace-unreliable',
  'trace-function',
  'trace-function-arm',
  'trace-context',
  'oom-task-row',
  'oom-kill',
  'oom-kill-field',
  'suppressed',
  'lowmem-reserve',
  'node',
  'zone',
  'watermark',
  'field-flag',
  'field-slub',
  'hugepages',
  'summary',
  'header-number',
  'buddy',
  'field',
  'register',
  'field-generic',
];

function repository(where) {
  const repo = {};
  for (const name of ORDER) {
    const { where: w, ...rule } = RULES[name];
    if (where === 'main' || w === 'both') repo[name] = rule;
  }
  return repo;
}

const FRAMING = ['framing-syslog', 'framing-dmesg', 'framing-rfc5424', 'framing-level', 'quote'];

/** Number of capturing groups in an Oniguruma pattern (plain `(`, not `(?…`, escapes or classes). */
export function countGroups(pattern) {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] !== '?') n++;
  }
  return n;
}

/** Alternation of rules as one regex, with their captures renumbered. */
function mergeRules(rules) {
  const parts = [];
  const captures = {};
  let offset = 0;
  for (const { match, captures: own = {} } of rules) {
    parts.push(match);
    for (const [i, c] of Object.entries(own)) captures[String(Number(i) + offset)] = c;
    offset += countGroups(match);
  }
  return { begin: `(?:${parts.join('|')})`, beginCaptures: captures };
}

/**
 * The injection's line rule: a line that is the kernel's (kernel framing, or a bare line that
 * starts like a report line) opens a rule that ends at the end of the line, inside which only the
 * kernel rules apply. Without it the log grammar's own rules would be searched again after every
 * kernel token, several times slower on field-dense lines. One regex, because every rule at the
 * top of an injection is searched again after every token of the log grammar, on every line of
 * every `.log` file.
 */
function lineRules(contentRepo) {
  const framed = (match, framing) => ({ match, captures: RULES[framing].captures });
  return {
    'kernel-line': {
      ...mergeRules([
        framed(syslogFraming('kernel', false), 'framing-syslog'),
        framed(RULES['framing-dmesg'].match, 'framing-dmesg'),
        framed(rfc5424Framing('kernel'), 'framing-rfc5424'),
        framed(RULES['framing-level'].match, 'framing-level'),
        { match: String.raw`^(?=${BARE_KERNEL_LINE})` },
      ]),
      end: '$',
      name: LINE_SCOPE,
      patterns: [{ include: '#content' }],
    },
    content: { patterns: Object.keys(contentRepo).map((k) => ({ include: `#${k}` })) },
  };
}

/** The two grammars as plain objects, ready to be written as JSON. */
export function buildGrammars() {
  const unknown = Object.keys(RULES).filter((k) => !ORDER.includes(k));
  if (unknown.length) throw new Error(`rules missing from ORDER: ${unknown.join(', ')}`);
  const header = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    information_for_contributors: [
      'Generated by scripts/build-grammar.mjs from syntaxes/src/kernel-log.grammar.mjs: edit that file,',
      'then run `npm run build:grammar` and update the snapshots (see docs/grammar.md).',
    ],
  };
  const mainRepo = repository('main');
  const injectionRepo = repository('both');
  const contentRepo = Object.fromEntries(Object.entries(injectionRepo).filter(([k]) => !FRAMING.includes(k)));
  const lines = lineRules(contentRepo);
  for (const k of FRAMING) delete injectionRepo[k]; // used as the line rules' begin
  const main = {
    ...header,
    name: 'Kernel Log',
    scopeName: 'text.log.kernel',
    patterns: Object.keys(mainRepo).map((k) => ({ include: `#${k}` })),
    repository: mainRepo,
  };
  const injection = {
    ...header,
    name: 'Kernel Log (injection into Log)',
    scopeName: 'text.log.kernel.injection',
    // `-text.log.kernel`: VS Code also offers `text.log` injections to `text.log.*` grammars, and
    // the kernel-log grammar has these rules already. `-meta.line.kernel-log`: inside a kernel
    // line the line rule applies them. `-comment`: leave the log grammar's comments alone.
    injectionSelector: `L:text.log -text.log.kernel -${LINE_SCOPE} -comment`,
    // Only line rules at the top: rules there are searched again after every token of the log
    // grammar, on every line of every `.log` file, and kernel lines are coloured inside them.
    patterns: Object.keys(lines)
      .filter((k) => k !== 'content')
      .map((k) => ({ include: `#${k}` })),
    repository: { ...lines, ...injectionRepo },
  };
  return { main, injection };
}

/** Every scope name the grammars can assign, sorted (documented in docs/grammar.md). */
export function allScopes() {
  const out = new Set();
  out.add(LINE_SCOPE);
  for (const rule of Object.values(RULES)) {
    if (rule.name) out.add(rule.name);
    for (const c of Object.values(rule.captures ?? {})) out.add(c.name);
  }
  return [...out].sort();
}
