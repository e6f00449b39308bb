// Mutations of real logs for the fuzz harness: each one a pure function of the text (and of a
// second log for splicing) and three integers, so fast-check can generate them, shrink them towards
// 0 (the no-op or smallest form of each) and replay them from a seed. They aim at what a kernel log
// in the wild may hold and the parser must survive: absurd numbers, repeated and interleaved
// lines, other line ends, terminal escapes, control and Unicode separators, cut and spliced logs.

export const MUTATION_OPS = [
  'digits',
  'field',
  'dupLines',
  'manyZones',
  'callerIds',
  'openReports',
  'lineEnds',
  'ansi',
  'control',
  'unicode',
  'truncate',
  'splice',
  'interleave',
  'deleteLines',
  'junk',
  'longLine',
  'wrap',
  'swapLines',
  'whitespace',
] as const;

export type MutationOp = (typeof MUTATION_OPS)[number];

export interface Mutation {
  op: MutationOp;
  a: number;
  b: number;
  c: number;
  /** Free text for `junk` (any UTF-16 units, lone surrogates included). */
  s: string;
}

/** One fuzz input: a corpus log (`base`), a second one for splicing, the mutations applied in
 * order, a few extra positions (line, column seeds) to hover at, and the kernel-release setting
 * (an index into KERNEL_RELEASES). */
export interface FuzzCase {
  base: number;
  other: number;
  mutations: Mutation[];
  positions: [number, number][];
  release: number;
}

/** `kernelLogLens.kernelRelease` values a case may set (0: infer it, the default). */
export const KERNEL_RELEASES = [
  '',
  '3.10.0-1160.el7.x86_64',
  '6.8.0-45-generic',
  '2.6.18-419.el5',
  '99999999999999999999.0.0',
  '-1.-1',
  '5.4\x1b[31m\u2028x',
];

/** Inputs are cut to this many UTF-16 units after each mutation (keeps every run bounded). */
export const DEFAULT_MAX_LENGTH = 400_000;

export function buildInput(c: FuzzCase, corpus: readonly string[], maxLength = DEFAULT_MAX_LENGTH): string {
  let text = corpus[c.base % corpus.length];
  const other = corpus[c.other % corpus.length];
  for (const m of c.mutations) {
    text = applyMutation(text, other, m);
    if (text.length > maxLength) text = text.slice(0, maxLength);
  }
  return text;
}

export function applyMutation(text: string, other: string, m: Mutation): string {
  return MUTATIONS[m.op](text, other, m);
}

/** Digit runs put in place of a number: 32 digits, 2^53 ± 1, 2^64, overflowing doubles. */
const BIG_NUMBERS = [
  '9'.repeat(32),
  '12345678901234567890123456789012',
  '9007199254740993',
  '9007199254740992',
  '18446744073709551616',
  '18446744073709551615',
  '4294967296',
  '2147483648',
  '0',
  '00000000000000000000000000000001',
  '1' + '0'.repeat(308),
  '9'.repeat(400),
];

const D32 = '9'.repeat(32);

/** Fields the analysis reads, and extreme values for them (order, nodemask, sizes, masks …). */
const FIELDS: [RegExp, string[]][] = [
  [
    /order[:=]\s*-?\d+/g,
    [
      'order:200000000',
      'order=200000000',
      'order:-1',
      'order=-1',
      'order:4294967296',
      `order:${D32}`,
      `order=${D32}`,
      'order:11',
      'order:64',
      'order:1024',
    ],
  ],
  [
    /nodemask=[^,\s]*/g,
    [
      'nodemask=0-99999999999',
      'nodemask=99999999999-0',
      'nodemask=-1',
      'nodemask=(null)',
      `nodemask=0-${D32}`,
      'nodemask=' + '0-1,'.repeat(2000) + '1',
    ],
  ],
  [/mems_allowed=[\d,-]*/g, ['mems_allowed=0-99999999999', `mems_allowed=${D32}`]],
  [
    /present:\d+kB/g,
    [`present:${D32}kB`, 'present:9007199254740993kB', 'present:0kB', 'present:-1kB', 'present:1kB'],
  ],
  [/managed:\d+kB/g, [`managed:${D32}kB`, 'managed:9007199254740993kB', 'managed:0kB', 'managed:-4kB']],
  [
    /\b(?:free|min|low|high|boost):\d+kB/g,
    [`free:${D32}kB`, `min:${D32}kB`, `low:${D32}kB`, `high:${D32}kB`, 'min:0kB', 'high:-5kB', 'free:-1kB'],
  ],
  [
    /(?:mode:|gfp_mask=|gfp=)0x[0-9a-fA-F]+/g,
    [
      'mode:0xffffffffffffffffffffffffffffffff',
      'mode:0x0',
      'gfp_mask=0x' + 'f'.repeat(200),
      'mode:0x****',
      'mode:0x-1',
    ],
  ],
  [
    /lowmem_reserve\[\]:[\d ]*/g,
    [
      'lowmem_reserve[]: ' + `${D32} `.repeat(4),
      'lowmem_reserve[]: -1 -1 -1 -1',
      'lowmem_reserve[]: ' + '0 '.repeat(600),
      'lowmem_reserve[]:',
      'lowmem_reserve[]: 9007199254740993 0 0 0',
    ],
  ],
  [
    /\d+\*\d+kB/g,
    [`${D32}*4kB`, `1*${D32}kB`, '1*0kB', '-1*4kB', '3*4kB '.repeat(300), '9007199254740993*4kB'],
  ],
  [/Node \d+/g, ['Node 99999999999', 'Node -1', 'Node 4294967296', `Node ${D32}`]],
  [/\d+ pages RAM/g, [`${D32} pages RAM`, '0 pages RAM', '-5 pages RAM']],
  [
    /(?:Free|Total) swap\s*=\s*\d+kB/g,
    [`Free swap  = ${D32}kB`, `Total swap = ${D32}kB`, 'Total swap = 0kB'],
  ],
  [/\d+ bytes/g, [`${D32} bytes`, '0 bytes', '-1 bytes']],
  [/size \d+/g, [`size ${D32}`, 'size 0']],
  [/stalls for \d+ms/g, [`stalls for ${D32}ms`, 'stalls for 0ms']],
  [/oom_(?:score_)?adj=-?\d+/g, [`oom_score_adj=-${D32}`, `oom_score_adj=${D32}`, 'oom_score_adj=-1000']],
  [/\[\s*\d+\.\d+\]/g, [`[${D32}.999999]`, '[-1.000000]', '[    0.000000]']],
  [/(?:pid[:=]?|PID:)\s*\d+/g, [`pid ${D32}`, `PID: ${D32}`, 'pid=-1']],
  [/CPU: \d+/g, [`CPU: ${D32}`, 'CPU: -1']],
  [/(?:total-vm|anon-rss|file-rss|shmem-rss):\d+kB/g, [`total-vm:${D32}kB`, `anon-rss:${D32}kB`]],
  [/\b[a-z_]+:\d+kB/g, [`active_anon:${D32}kB`, `pagetables:${D32}kB`, 'reserved_highatomic:-1kB']],
  [/\b[a-z_]+:\d+ /g, [`slab_reclaimable:${D32} `, `free_cma:${D32} `, `mapped:${D32} `]],
  [/ hugepages_(?:total|free|surp|size)=\d+/g, [` hugepages_total=${D32}`, ` hugepages_size=${D32}`]],
  [/Linux version \S+/g, ['Linux version 99999999999999.0.0', 'Linux version -1.-1', 'Linux version ']],
  [/\d+\.\d+\.\d+[-\w.+]*/g, ['99999999999999999999.99999999999999999999.9', '2.6.0', '6.99.99', '0.0.0']],
];

/** A small deterministic PRNG (mulberry32) seeded by the mutation's integers. */
function prng(...seeds: number[]): () => number {
  let h = 0x9e3779b9;
  for (const s of seeds) h = Math.imul(h ^ (s >>> 0), 0x85ebca6b) ^ (h >>> 13);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lines = (text: string): string[] => text.split('\n');

/** Inserts `pieces` at `count` offsets the PRNG picks (`where`: anywhere, line starts, before digits). */
function insertAt(
  text: string,
  count: number,
  random: () => number,
  piece: () => string,
  where: 'any' | 'lineStart' | 'digit',
): string {
  const offsets: number[] = [];
  if (where === 'any') for (let i = 0; i < count; i++) offsets.push(Math.floor(random() * (text.length + 1)));
  else {
    const candidates: number[] = [];
    const re = where === 'lineStart' ? /^/gm : /\d+/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      candidates.push(m.index);
      if (m[0].length === 0) re.lastIndex++;
      if (candidates.length > 100_000) break;
    }
    if (candidates.length === 0) return text;
    for (let i = 0; i < count; i++) offsets.push(candidates[Math.floor(random() * candidates.length)]);
  }
  offsets.sort((x, y) => y - x);
  let out = text;
  for (const at of offsets) out = out.slice(0, at) + piece() + out.slice(at);
  return out;
}

const ANSI_PIECES = [
  '\x1b[31m',
  '\x1b[0m',
  '\x1b[1;31m',
  '\x1b[38;5;196m',
  '\x1b[K',
  '\x1b[?25h',
  '\x1b]52;c;aGVsbG8=\x07',
  '\x1b]0;title\x1b\\',
  '\x1b]8;;http://example.invalid\x07link\x1b]8;;\x07',
  '\x1b]',
  '\x1b[',
  '\x1b',
  '\x9b31m',
];

const CONTROL_PIECES = ['\x00', '\x07', '\x08', '\x0b', '\x0c', '\x7f', '\x1a', '\t', '\x9b', '\x85', '\x01'];

const UNICODE_PIECES = [
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  '\u00a0',
  '\u3000',
  '\uff4f\uff52\uff44\uff45\uff52',
];

const ZONE_LINE = /(?:DMA|DMA32|Normal|HighMem|Movable|Device) free:/;

const MUTATIONS: Record<MutationOp, (text: string, other: string, m: Mutation) => string> = {
  /** Digit runs inflated: 32 digits, 2^53 + 1, a minus sign, 400 digits … (1–8 runs in a row). */
  digits(text, _other, { a, b, c }) {
    const runs: [number, number][] = [];
    const re = /\d+/g;
    for (let m = re.exec(text); m; m = re.exec(text)) runs.push([m.index, m[0].length]);
    if (runs.length === 0) return text;
    const first = a % runs.length;
    const picked = runs.slice(first, first + 1 + (c % 8)).reverse();
    let out = text;
    // b picks the value; one past the table means "the same digits, negated".
    const k = b % (BIG_NUMBERS.length + 1);
    for (const [at, len] of picked) {
      const value = k < BIG_NUMBERS.length ? BIG_NUMBERS[k] : '-' + out.slice(at, at + len);
      out = out.slice(0, at) + value + out.slice(at + len);
    }
    return out;
  },

  /** A field the analysis reads set to an extreme (one occurrence, or all when c % 3 == 0). */
  field(text, _other, { a, b, c }) {
    const present = FIELDS.filter(([re]) => {
      re.lastIndex = 0;
      return re.test(text);
    });
    if (present.length === 0) return text;
    const [re, values] = present[a % present.length];
    const value = values[b % values.length];
    re.lastIndex = 0;
    if (c % 3 === 0) return text.replace(re, () => value);
    let n = 0;
    const target = c % 50;
    const count = (text.match(re) ?? []).length;
    return text.replace(re, (m) => (n++ === target % count ? value : m));
  },

  /** A run of 1–8 lines repeated up to 300 times. */
  dupLines(text, _other, { a, b, c }) {
    const ls = lines(text);
    const start = a % ls.length;
    const run = ls.slice(start, start + 1 + (b % 8));
    const copies: string[] = [];
    for (let i = 0; i < 1 + (c % 300); i++) copies.push(...run);
    return [...ls.slice(0, start), ...copies, ...ls.slice(start)].join('\n');
  },

  /** Many zone lines: one zone line (and its lowmem_reserve line) repeated 10–2000 times. */
  manyZones(text, _other, { a, b }) {
    const ls = lines(text);
    const zones = ls.map((l, i) => (ZONE_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
    if (zones.length === 0) return text;
    const at = zones[a % zones.length];
    const run = /lowmem_reserve/.test(ls[at + 1] ?? '') ? ls.slice(at, at + 2) : [ls[at]];
    const copies: string[] = [];
    for (let i = 0; i < 10 + (b % 2000); i++) copies.push(...run);
    return [...ls.slice(0, at), ...copies, ...ls.slice(at)].join('\n');
  },

  /** printk caller ids on every line, 1–1000 of them interleaved (`[ 12.000001][  T7] …`). */
  callerIds(text, _other, { a, b, c }) {
    const ids = 1 + (b % 1000);
    const kind = c % 2 === 0 ? 'T' : 'C';
    return lines(text)
      .map((line, i) => {
        const id = (i * 7919 + a) % ids;
        const stamp = /^\[\s*\d+\.\d+\]/.exec(line);
        if (stamp)
          return `${stamp[0]}[${kind}${id}] ${line.slice(stamp[0].length).replace(/^\[\s*[TC]\d+\]\s?/, '')}`;
        return `[${String(i).padStart(5)}.${String(i % 1_000_000).padStart(6, '0')}][${kind}${id}] ${line}`;
      })
      .join('\n');
  },

  /** 1–2000 report headers with distinct caller ids (each opens a report), inserted at a line. */
  openReports(text, _other, { a, b, c }) {
    const ls = lines(text);
    const at = b % (ls.length + 1);
    const n = 1 + (a % 2000);
    const extra: string[] = [];
    for (let i = 0; i < n; i++) {
      const stamp = `[ ${(1 + i / 1e6).toFixed(6)}][  T${i + 1}] `;
      extra.push(
        c % 3 === 0
          ? `${stamp}Node 0 Normal free:${i}kB min:${i}kB low:${i + 1}kB high:${i + 2}kB present:1024kB managed:1000kB`
          : c % 3 === 1
            ? `${stamp}task${i}: page allocation failure: order:${i % 11}, mode:0x${(i * 37).toString(16)}`
            : `${stamp}task${i} invoked oom-killer: gfp_mask=0x${(i * 37).toString(16)}, order=${i % 11}, oom_score_adj=0`,
      );
    }
    return [...ls.slice(0, at), ...extra, ...ls.slice(at)].join('\n');
  },

  /** CRLF, lone CR, mixed and doubled line ends. */
  lineEnds(text, _other, { a, b, c }) {
    const random = prng(a, b, c);
    switch (a % 6) {
      case 0:
        return text.replace(/\r?\n/g, '\r\n');
      case 1:
        return text.replace(/\r?\n/g, '\r');
      case 2:
        return text.replace(/\n/g, () => (random() < 0.5 ? '\r' : random() < 0.5 ? '\r\n' : '\n'));
      case 3:
        return insertAt(text, 1 + (c % 20), random, () => '\r', 'any');
      case 4:
        return text.replace(/\r?\n/g, '\n\r');
      default:
        return text.replace(/\r?\n/g, '\r\r\n');
    }
  },

  /** Terminal escapes: SGR colours, OSC 52 / titles / hyperlinks, unterminated `ESC ]` and `ESC [`. */
  ansi(text, _other, { a, b, c }) {
    const random = prng(a, b, c);
    const only = b % (ANSI_PIECES.length + 1);
    const piece = (): string =>
      only < ANSI_PIECES.length ? ANSI_PIECES[only] : ANSI_PIECES[Math.floor(random() * ANSI_PIECES.length)];
    const where = (['any', 'lineStart', 'digit'] as const)[a % 3];
    return insertAt(text, 1 + (c % 40), random, piece, where);
  },

  /** NUL, BEL, BS, VT, FF, DEL, C1 controls. */
  control(text, _other, { a, b, c }) {
    const random = prng(a, b, c);
    const piece = (): string => CONTROL_PIECES[Math.floor(random() * CONTROL_PIECES.length)];
    return insertAt(text, 1 + (c % 20), random, piece, a % 2 === 0 ? 'any' : 'digit');
  },

  /** NEL, LINE/PARAGRAPH SEPARATOR, RLO, ZWSP, BOM, lone surrogates, emoji, full-width letters. */
  unicode(text, _other, { a, b, c }) {
    const random = prng(a, b, c);
    if (b % 5 === 4) return text.replace(/ /g, () => (random() < 0.2 ? '\u00a0' : ' '));
    const piece = (): string => UNICODE_PIECES[Math.floor(random() * UNICODE_PIECES.length)];
    return insertAt(text, 1 + (c % 20), random, piece, (['any', 'lineStart', 'digit'] as const)[a % 3]);
  },

  /** The log cut at any offset (a prefix, or a suffix when b is odd). */
  truncate(text, _other, { a, b }) {
    const at = a % (text.length + 1);
    return b % 2 === 0 ? text.slice(0, at) : text.slice(at);
  },

  /** Two logs spliced: mid-line cuts, at line boundaries, or one inserted into the other. */
  splice(text, other, { a, b, c }) {
    if (c % 3 === 0) return text.slice(0, a % (text.length + 1)) + other.slice(b % (other.length + 1));
    const ls = lines(text);
    const os = lines(other);
    if (c % 3 === 1)
      return [...ls.slice(0, a % (ls.length + 1)), ...os.slice(b % (os.length + 1))].join('\n');
    const at = a % (ls.length + 1);
    return [...ls.slice(0, at), ...os, ...ls.slice(at)].join('\n');
  },

  /** Two logs interleaved in chunks of 1–5 lines. */
  interleave(text, other, { a, c }) {
    const ls = lines(text);
    const os = lines(other).slice(a % 8);
    const chunk = 1 + (c % 5);
    const out: string[] = [];
    for (let i = 0; i < Math.max(ls.length, os.length); i += chunk)
      out.push(...ls.slice(i, i + chunk), ...os.slice(i, i + chunk));
    return out.join('\n');
  },

  /** 1–10 lines deleted, or every k-th line. */
  deleteLines(text, _other, { a, b, c }) {
    const ls = lines(text);
    if (c % 4 === 3) {
      const k = 2 + (b % 6);
      return ls.filter((_, i) => (i + a) % k !== 0).join('\n');
    }
    const at = a % ls.length;
    return [...ls.slice(0, at), ...ls.slice(at + 1 + (b % 10))].join('\n');
  },

  /** Binary junk: inserted, in place of a line, or a block of it. */
  junk(text, _other, { a, b, c, s }) {
    if (b % 3 === 0) {
      const at = a % (text.length + 1);
      return text.slice(0, at) + s + text.slice(at);
    }
    const ls = lines(text);
    const at = a % ls.length;
    if (b % 3 === 1) return [...ls.slice(0, at), s, ...ls.slice(at + 1)].join('\n');
    return [...ls.slice(0, at), s.repeat(1 + (c % 100)), ...ls.slice(at)].join('\n');
  },

  /** A line repeated on itself (long lines: 16 KiB / 64 KiB caps), or 70 000 characters of one. */
  longLine(text, _other, { a, b, c }) {
    const ls = lines(text);
    const at = a % ls.length;
    if (c % 3 === 0) ls[at] = ls[at] + 'x'.repeat(70_000 + (b % 1000));
    else ls[at] = ls[at].repeat(2 + (b % 2000)).slice(0, 300_000);
    return ls.join('\n');
  },

  /** A line hard-wrapped at a column, with nothing, a space or its own framing before the rest. */
  wrap(text, _other, { a, b, c }) {
    const ls = lines(text);
    const at = a % ls.length;
    const line = ls[at];
    const col = b % (line.length + 1);
    const framing = /^.*?kernel: |^\[\s*\d+\.\d+\] /.exec(line)?.[0] ?? '';
    const lead = ['', ' ', framing][c % 3];
    return [...ls.slice(0, at), line.slice(0, col), lead + line.slice(col), ...ls.slice(at + 1)].join('\n');
  },

  /** Two nearby lines swapped. */
  swapLines(text, _other, { a, b }) {
    const ls = lines(text);
    const i = a % ls.length;
    const j = Math.min(ls.length - 1, i + 1 + (b % 5));
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  },

  /** Whitespace changed: spaces after `:` removed, doubled, tabs, trailing blanks. */
  whitespace(text, _other, { a, b }) {
    const ls = lines(text);
    const at = a % ls.length;
    const line = ls[at];
    ls[at] = [
      line.replace(/: /g, ':'),
      line.replace(/ /g, '  '),
      line.replace(/ /g, '\t'),
      line + '   \t ',
      line.replace(/^\s+/, ''),
      '        ' + line,
    ][b % 6];
    return ls.join('\n');
  },
};
