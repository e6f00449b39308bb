// Every number read from a log is bounded to what the kernel can print there (core/numbers.ts):
// beyond it the value is unreadable (null) and the report says so (KLL025). These inputs hung the
// CLI and the language server, grew arrays of gigabytes, or printed Infinity, NaN and exponents
// (fuzzing campaign, project issue #10); each test asserts the bounded result. Linear-time checks
// compare the time of an input 4N long with one N long (never an absolute threshold).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { renderReportText } from '../../server/src/core/render-text';
import { parseLog } from '../../server/src/core/parse';
import { analyzeDocument } from '../../server/src/features/document';
import { documentSymbols } from '../../server/src/features/document-symbols';
import {
  COMM_PIECE,
  FIELD_RE,
  FRAME_RE,
  GLUED_CALLER_TEXT,
  classifyLine,
  nextField,
  nextFrame,
} from '../../server/src/core/formats';
import { intSqrt, defaultMinFreeKbytes } from '../../server/src/core/memory';
import { parseNodeList } from '../../server/src/core/watermarks';
import { parseKernelRelease } from '../../server/src/core/kernel-version';
import {
  COUNT,
  NODE_ID,
  OOM_ORDER,
  PAGE_ORDER,
  readInt,
  readableNodeList,
  safeSum,
} from '../../server/src/core/numbers';
import type { Analysis } from '../../server/src/core/analysis-types';
import { growth } from './linear-time';

const HEADER = 'x: page allocation failure: order:0, mode:0x20';
const ZONE = 'Node 0 Normal free:100kB min:10kB low:20kB high:30kB present:1000kB managed:900kB';

/** The two hangs of the campaign, byte for byte. */
const HANG_109 =
  'x: page allocation failure: order:0, mode:0x20\n' +
  'Node 0 Normal free:1kB min:1kB low:1kB high:1kB present:12345678901234567890123456789012kB\n';
const HANG_68 = 'Mem-Info:\nNormal free:1kB present:9999999999999999999999999999999kB\n';

const SYSRQ = [
  'x invoked oom-killer: gfp_mask=0xd0, order=-1, oom_score_adj=0',
  'CPU: 1 PID: 5 Comm: bash Not tainted 5.10.0 #1',
  'Call Trace:',
  ' dump_stack+0x10/0x20',
  ' out_of_memory+0x10/0x20',
  ' moom_callback+0x10/0x20',
  'Mem-Info:',
  'Node 0 Normal free:100000kB min:10000kB low:20000kB high:30000kB present:4000000kB managed:3900000kB',
  'lowmem_reserve[]: 0 0 0 0',
  'Out of memory: Killed process 77 (java) total-vm:100kB, anon-rss:10kB, file-rss:0kB, shmem-rss:0kB',
].join('\n');

/** Inputs that once printed Infinity, NaN or exponents, hung, or ran out of memory. */
const HOSTILE: Record<string, string> = {
  hang109: HANG_109,
  hang68: HANG_68,
  nodemask: `x invoked oom-killer: gfp_mask=0x201da, nodemask=0-99999999999, order=0, oom_score_adj=0\n${ZONE}\n`,
  order200m: `x: page allocation failure: order:200000000, mode:0x20\n${ZONE}\nlowmem_reserve[]: 0 0 0\nNode 0 Normal: 1*4kB 2*8kB = 20kB\n`,
  beyond53: `${HEADER}\nNode 0 Normal free:100kB min:9007199254740993kB low:20kB high:18446744073709551615kB present:1000kB\n`,
  order93: `x invoked oom-killer: gfp_mask=0x201da, order=${'9'.repeat(93)}, oom_score_adj=0\n${ZONE}\n`,
  negativePresent: `${HEADER}\nNode 0 Normal free:100kB min:10kB low:20kB high:30kB present:-1000kB\n`,
  sysrq: SYSRQ,
  buddy0: `x: page allocation failure: order:1, mode:0x20\n${ZONE}\nNode 0 Normal: 8*0kB 3*0kB = 0kB\n`,
  min22: `${HEADER}\nNode 0 Normal free:100kB min:1234567890123456789012kB low:20kB high:30kB present:1000kB managed:900kB\n`,
  minHuge: `x: page allocation failure: order:3, mode:0x20\nNode 0 Normal free:100kB min:4000000000000kB low:5000000000000kB high:6000000000000kB present:90000000000000kB managed:90000000000000kB\n`,
  pagesRam: `${HEADER}\n${ZONE}\n9007199254740991 pages RAM\n`,
  nodeId: `${HEADER}\nNode 99999 Normal free:100kB min:10kB low:20kB high:30kB present:1000kB\nlowmem_reserve[]: 0 0 0\n`,
  reserveColumns: `${HEADER}\n${ZONE}\nlowmem_reserve[]: 0 1 2 3 4 5 6 7 8\n`,
  buddySizes: `x: page allocation failure: order:2, mode:0x20\n${ZONE}\nNode 0 Normal: 1*3kB 2*6kB\n`,
  suppressed: `warn_alloc: 99999999999999999999 callbacks suppressed\n${HEADER}\n`,
  times: `[99999999999999999999999.000000] ${HEADER}\n[99999999999999999999999.500000] ${HEADER}\n`,
  mask: `x: page allocation failure: order:0, mode:0x123456789abcdef0\nCPU: 0 PID: 1 Comm: x Not tainted 5.99999999999999999999.0 #1\n`,
  swap: `${HEADER}\n${ZONE}\nFree swap  = -${'9'.repeat(30)}kB\nTotal swap = 0kB\n`,
  // 16 000 blanks before `allocation failure`: the header patterns split them k³ ways (minutes)
  blanks: `${HEADER}\n${' '.repeat(16000)}allocation failure\n`,
};

/** Every number in the analysis is finite, and no text holds NaN, Infinity or an exponent. */
function assertPrintable(value: unknown, path: string): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} = ${value}`);
  else if (typeof value === 'string')
    assert.doesNotMatch(value, /NaN|Infinity|\de[+-]\d/, `${path}: ${value.slice(0, 200)}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertPrintable(v, `${path}[${i}]`));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) assertPrintable(v, `${path}.${k}`);
}

function textOf(a: Analysis): string {
  return a.reports.map((r) => renderReportText(r).join('\n')).join('\n');
}

const unreadableMessages = (a: Analysis): string[] =>
  [...a.findings, ...a.reports.flatMap((r) => r.findings)]
    .filter((f) => f.code === 'KLL025')
    .map((f) => f.message);

test('readInt: the kernel bounds, and nothing else reads printed integers', () => {
  assert.equal(readInt('9007199254740991', COUNT), Number.MAX_SAFE_INTEGER);
  assert.equal(readInt('9007199254740992', COUNT), null);
  assert.equal(readInt('18446744073709551615', COUNT), null);
  assert.equal(readInt('0012', COUNT), 12);
  assert.equal(readInt('-1', COUNT), null);
  assert.equal(readInt('1e3', COUNT), null);
  assert.equal(readInt('', COUNT), null);
  assert.equal(readInt('9'.repeat(5000), COUNT), null);
  assert.equal(readInt('1023', NODE_ID), 1023);
  assert.equal(readInt('1024', NODE_ID), null);
  assert.equal(readInt('30', PAGE_ORDER), 30);
  assert.equal(readInt('31', PAGE_ORDER), null);
  assert.equal(readInt('-1', PAGE_ORDER), null);
  assert.equal(readInt('-1', OOM_ORDER), -1);
  assert.equal(readInt('-2', OOM_ORDER), null);
  assert.equal(readableNodeList('0-1,3'), true);
  assert.equal(readableNodeList('(null)'), true);
  assert.equal(readableNodeList('0-99999999999'), false);
  assert.equal(
    safeSum([Number.MAX_SAFE_INTEGER, 1], (x) => x),
    null,
  );
  assert.equal(
    safeSum([1, 2, 3], (x) => x),
    6,
  );
  assert.equal(
    safeSum([1, null], (x) => x),
    null,
  );
});

test('the 109-byte hang: a 32-digit present: is unreadable, the rest of the zone is read', () => {
  assert.equal(Buffer.byteLength(HANG_109), 138); // the campaign's 109 bytes plus this header's text
  const a = analyzeText(HANG_109);
  const r = a.reports[0];
  assert.equal(r.zones.length, 1);
  assert.equal(r.zones[0].presentKb, null);
  assert.equal(r.zones[0].freeKb, 1);
  assert.equal(r.zones[0].minKb, 1);
  assert.equal(r.verdict, 'no_free_pages');
  assert.equal(r.memory.ramKb, null);
  assert.equal(r.memory.lowmemKb, null);
  assert.equal(r.memory.minFreeDefaultText, null);
  assert.deepEqual(unreadableMessages(a), [
    'Value present:12345678901234567890123456789012kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
  ]);
  assert.equal(r.findings.find((f) => f.code === 'KLL025')?.line, 1);
  assert.ok(
    textOf(a).includes(
      'Unreadable: Value present:12345678901234567890123456789012kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
    ),
  );
});

test('the 68-byte hang: a show_mem with a 31-digit present: finishes with the zone read', () => {
  assert.equal(Buffer.byteLength(HANG_68), 68);
  const a = analyzeText(HANG_68);
  assert.equal(a.reports.length, 1);
  assert.equal(a.reports[0].kind, 'show_mem');
  assert.equal(a.reports[0].zones[0].freeKb, 1);
  assert.equal(a.reports[0].zones[0].presentKb, null);
  assert.equal(a.reports[0].summary, 'Memory dump: zone watermarks not printed');
  assert.deepEqual(unreadableMessages(a), [
    'Value present:9999999999999999999999999999999kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
  ]);
});

test('int_sqrt terminates and stays exact below 2^53 (the endless loop of the hangs)', () => {
  assert.equal(intSqrt(Number.MAX_SAFE_INTEGER), 94906265);
  assert.equal(intSqrt(94906265 ** 2), 94906265);
  assert.equal(intSqrt(94906265 ** 2 - 1), 94906264);
  assert.equal(intSqrt(2 ** 60), 2 ** 30);
  assert.equal(intSqrt(1e32 * 16), 4e16);
  assert.equal(intSqrt(-5), 0);
  assert.equal(defaultMinFreeKbytes(1e40, 262144), 262144);
});

test('nodemask=0-99999999999: unreadable, not a hundred billion node ids', () => {
  const a = analyzeText(HOSTILE.nodemask);
  assert.equal(a.reports[0].kind, 'oom_kill');
  assert.equal(parseLog(HOSTILE.nodemask).reports[0].nodemask, null);
  assert.deepEqual(unreadableMessages(a), [
    'Value nodemask=0-99999999999 on line 1 is beyond what the kernel prints (node ids below MAX_NUMNODES (1024)): ignored.',
  ]);
  assert.equal(parseNodeList('0-99999999999'), null);
  assert.equal(parseNodeList('0-1023,0-1023')?.size, 1024);
  assert.deepEqual([...(parseNodeList('3,0-1') ?? [])], [0, 1, 3]);
  assert.equal(parseNodeList('5-3')?.size, 0);
});

test('order:200000000 and order:31: unreadable orders, no per-order loop over them', () => {
  const a = analyzeText(HOSTILE.order200m);
  const r = a.reports[0];
  assert.equal(parseLog(HOSTILE.order200m).reports[0].order, null);
  assert.equal(r.order, null);
  assert.equal(r.verdict, 'undecidable');
  assert.equal(r.verdictText, 'Undecidable: the order printed is beyond what the kernel prints.');
  assert.deepEqual(unreadableMessages(a), [
    'Value order:200000000 on line 1 is beyond what the kernel prints (an order from 0 to MAX_PAGE_ORDER (at most 30)): ignored.',
  ]);
  assert.equal(parseLog('x: page allocation failure: order:30, mode:0x20').reports[0].order, 30);
  const big = analyzeText(
    `x: page allocation failure: order:30, mode:0x20\n${ZONE}\nNode 0 Normal: 1*4kB 2*8kB = 20kB\n`,
  );
  assert.equal(big.reports[0].order?.bytes, 2 ** 30 * 4096);
  assert.equal(big.reports[0].order?.sizeText, '4096 GiB');
  assert.equal(big.reports[0].replay.zones[0].unusablePages, 2 ** 30 - 1);
});

test('values beyond 2^53 are unreadable; 2^53 − 1 is still read exactly', () => {
  const a = analyzeText(HOSTILE.beyond53);
  const z = a.reports[0].zones[0];
  assert.equal(z.minKb, null);
  assert.equal(z.highKb, null);
  assert.equal(z.lowKb, 20);
  assert.deepEqual(unreadableMessages(a), [
    'Value min:9007199254740993kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
    'Value high:18446744073709551615kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
  ]);
  const ram = analyzeText(HOSTILE.pagesRam).reports[0];
  assert.equal(parseLog(HOSTILE.pagesRam).reports[0].ramPages, Number.MAX_SAFE_INTEGER);
  // × 4 kB no longer an exact integer: RAM is taken from the zones instead
  assert.equal(ram.memory.ramKb, 1000);
  assert.equal(ram.memory.ramSource, 'zones present');
});

test('order=999… (93 digits) is unreadable, not an order of 1e+92', () => {
  const a = analyzeText(HOSTILE.order93);
  assert.equal(a.reports[0].order, null);
  assert.equal(a.reports[0].headline, 'x invoked oom-killer: gfp_mask=0x201da, order=?');
  assert.deepEqual(unreadableMessages(a), [
    `Value order=${'9'.repeat(41)}… on line 1 is beyond what the kernel prints (-1 (SysRq f) or an order from 0 to MAX_PAGE_ORDER (at most 30)): ignored.`,
  ]);
});

test('a negative present: is unreadable (the kernel prints %lu), no int_sqrt of it', () => {
  const a = analyzeText(HOSTILE.negativePresent);
  assert.equal(a.reports[0].zones[0].presentKb, null);
  assert.equal(a.reports[0].memory.minFreeDefaultText, null);
  assert.deepEqual(unreadableMessages(a), [
    'Value present:-1000kB on line 2 is beyond what the kernel prints (a count below 2^53): ignored.',
  ]);
  assert.doesNotMatch(textOf(a), /NaN/);
});

test('order=-1 is a manual (SysRq f) OOM kill: no order, no replay, said so', () => {
  const a = analyzeText(SYSRQ);
  const r = a.reports[0];
  assert.equal(parseLog(SYSRQ).reports[0].order, -1);
  assert.equal(r.order, null);
  assert.equal(r.verdict, 'not_applicable');
  assert.equal(
    r.verdictText,
    'A manual OOM kill: order=-1 is how the kernel marks an OOM kill asked for with SysRq f (echo f > /proc/sysrq-trigger; ' +
      'is_sysrq_oom() in mm/oom_kill.c), not an allocation that failed, so there is no request to replay against the zones. ' +
      'The zones below show the memory at that moment. ' +
      'Someone asked for this kill (a person, or a tool such as earlyoom or a watchdog writing to /proc/sysrq-trigger): it says nothing about whether memory ran out.',
  );
  assert.equal(
    r.summary,
    'Manual OOM kill (SysRq f, order=-1): no allocation failed; killed java (pid 77): all zones above high watermark',
  );
  assert.deepEqual(r.replay.zones, []);
  assert.equal(r.headline, 'x invoked oom-killer: gfp_mask=0xd0, order=-1');
  assert.deepEqual(
    r.remedies.map((m) => [m.id, m.title, m.recommended]),
    [['oom', 'Manual OOM kill (SysRq f): nothing to tune', false]],
  );
  assert.deepEqual(r.sysctl, []);
  const text = textOf(a);
  assert.doesNotMatch(text, /order--1|order -1|Request:|Watermark check replayed|-\d+ bytes/);
  assert.deepEqual(unreadableMessages(a), []);
});

test('a buddy line of 0 kB blocks is unreadable: the page size stays assumed, never 0', () => {
  const a = analyzeText(HOSTILE.buddy0);
  const r = a.reports[0];
  assert.equal(parseLog(HOSTILE.buddy0).reports[0].buddy.length, 0);
  assert.equal(parseLog(HOSTILE.buddy0).reports[0].pageSizeKb, null);
  assert.equal(r.order?.pageSizeKb, 4);
  assert.equal(r.order?.pageSizeAssumed, true);
  assert.equal(r.order?.sizeText, '8 KiB');
  assert.doesNotMatch(textOf(a), /\(0 bytes\)/);
  assert.deepEqual(unreadableMessages(a), [
    'Value 8*0kB on line 3 is beyond what the kernel prints (blocks of a page size from 4 to 256 kB doubling per order, at most 31 orders): ignored.',
  ]);
  const sizes = analyzeText(HOSTILE.buddySizes);
  assert.equal(sizes.reports[0].memory.pageSizeKb, 4);
  assert.deepEqual(unreadableMessages(sizes), [
    'Value 1*3kB on line 3 is beyond what the kernel prints (blocks of a page size from 4 to 256 kB doubling per order, at most 31 orders): ignored.',
  ]);
  // 64 kB pages (ppc64, arm64) are read
  const ppc = parseLog(
    `x: page allocation failure: order:1, mode:0x20\n${ZONE}\nNode 0 Normal: 2*64kB 1*128kB 0*256kB = 256kB\n`,
  );
  assert.equal(ppc.reports[0].pageSizeKb, 64);
});

test('a 22-digit min: gives no vm.min_free_kbytes, and a huge readable one no sysctl beyond an int', () => {
  const a = analyzeText(HOSTILE.min22);
  assert.equal(a.reports[0].memory.minFreeInferredKb, null);
  assert.equal(
    a.reports[0].sysctl.find((s) => s.key === 'vm.min_free_kbytes'),
    undefined,
  );
  const huge = analyzeText(HOSTILE.minHuge).reports[0];
  assert.equal(huge.memory.minFreeInferredKb, 4000000000000);
  assert.equal(
    huge.sysctl.find((s) => s.key === 'vm.min_free_kbytes'),
    undefined,
  );
  assert.match(
    huge.remedies.find((m) => m.id === 'min_free_kbytes')?.assessment ?? '',
    /^The value this report points to \(2700000000000 kB\) is beyond what vm\.min_free_kbytes takes \(an int, at most 2147483647\)/,
  );
});

test('a zone, node or buddy line with a node id beyond MAX_NUMNODES is not read', () => {
  const a = analyzeText(HOSTILE.nodeId);
  const parsed = parseLog(HOSTILE.nodeId).reports[0];
  assert.equal(parsed.zones.length, 0);
  assert.deepEqual(unreadableMessages(a), [
    'Value Node 99999 on line 2 is beyond what the kernel prints (a node id below MAX_NUMNODES (1024)): ignored.',
  ]);
  const columns = parseLog(HOSTILE.reserveColumns).reports[0];
  assert.equal(columns.zones[0].lowmemReserve, null);
  assert.deepEqual(unreadableMessages(analyzeText(HOSTILE.reserveColumns)), [
    'Value lowmem_reserve[]: 0 1 2 3 4 5 6 7 8 on line 3 is beyond what the kernel prints (at most MAX_NR_ZONES (6) columns): ignored.',
  ]);
});

test('rate-limiter counts, dmesg times, GFP masks and releases beyond the kernel', () => {
  const s = analyzeText(HOSTILE.suppressed);
  assert.equal(parseLog(HOSTILE.suppressed).suppressions[0].count, 0);
  assert.equal(s.reports[0].repeat.suppressed, 0);
  assert.deepEqual(
    s.findings.map((f) => [f.code, f.message]),
    [
      [
        'KLL024',
        "warn_alloc: the kernel's rate limiter dropped reports here; the failures happened more often than the log shows.",
      ],
      [
        'KLL025',
        'Value warn_alloc: 99999999999999999999 on line 1 is beyond what the kernel prints (a count below 2^31): ignored.',
      ],
    ],
  );
  const t = analyzeText(HOSTILE.times);
  assert.equal(t.reports[0].repeat.count, 2);
  assert.equal(t.reports[0].repeat.spanSeconds, null);
  const m = analyzeText(HOSTILE.mask).reports[0];
  assert.equal(m.era.release, null);
  assert.equal(parseKernelRelease('5.99999999999999999999.0'), null);
  assert.equal(parseKernelRelease('4.9.337')?.patch, 337);
  assert.equal(
    m.verdictText,
    'Undecidable: the report has no zone lines (the Mem-Info dump is missing or was cut), so the watermark check cannot be replayed.',
  );
  assert.deepEqual(unreadableMessages(analyzeText(HOSTILE.mask)), [
    'Value mode:0x123456789abcdef0 on line 1 is beyond what the kernel prints (a gfp_t mask of 32 bits): ignored.',
  ]);
  const swap = parseLog(HOSTILE.swap).reports[0];
  assert.equal(swap.freeSwapKb, null);
  assert.equal(swap.totalSwapKb, 0);
});

test('no NaN, Infinity or exponent in any analysis or text of the hostile inputs', () => {
  for (const [name, log] of Object.entries(HOSTILE)) {
    const a = analyzeText(log);
    assert.ok(a.reports.length > 0, name);
    assertPrintable(a, name);
    assertPrintable(textOf(a), `${name} text`);
  }
});

test('the CLI finishes on every hostile input, JSON and text, without NaN, Infinity or exponents', () => {
  const root = join(__dirname, '..', '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'klens-bounds-'));
  try {
    for (const [name, log] of Object.entries(HOSTILE)) {
      const file = join(dir, `${name}.log`);
      writeFileSync(file, log);
      for (const args of [
        ['analyze', '--json', file],
        ['analyze', file],
      ]) {
        const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.equal(r.signal, null, `${name} ${args[1]}: killed (hang)`);
        assert.equal(r.status, 0, `${name}: ${r.stderr}`);
        assert.doesNotMatch(r.stdout, /NaN|Infinity|\de[+-]\d/, name);
        if (args[1] === '--json') {
          const doc = JSON.parse(r.stdout) as { events: { findings: { code: string }[] }[] };
          assert.ok(doc.events.length > 0, name);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nextField and nextFrame find what FIELD_RE and FRAME_RE find', () => {
  let state = 17;
  const pick = (s: string): string => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return s[state % s.length];
  };
  const all = (re: RegExp, text: string): string[] => {
    const out: string[] = [];
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) out.push(`${m.index}:${m[0]}`);
    return out;
  };
  const walk = (next: (t: string, at: number) => RegExpExecArray | null, text: string): string[] => {
    const out: string[] = [];
    let m: RegExpExecArray | null;
    for (let at = 0; (m = next(text, at)); at = m.index + m[0].length) out.push(`${m.index}:${m[0]}`);
    return out;
  };
  for (let n = 0; n < 3000; n++) {
    let field = '';
    let frame = '';
    for (let i = 0; i < 24; i++) {
      field += pick('ab_1:: ?(anon)(file)-k5B');
      frame += pick('ab._$1+0x/[] ?f');
    }
    assert.deepEqual(walk(nextField, field), all(FIELD_RE, field), JSON.stringify(field));
    assert.deepEqual(walk(nextFrame, frame), all(FRAME_RE, frame), JSON.stringify(frame));
  }
  assert.deepEqual(walk(nextField, 'writepending:0kBpresent:5kB all_unreclaimable? no isolated(anon):3'), [
    '0:writepending:0kB',
    '16:present:5kB',
    '50:isolated(anon):3',
  ]);
  assert.deepEqual(walk(nextFrame, '? 9x+0x1/0x2 ? foo+0x3/0x4 [mod]'), [
    '3:x+0x1/0x2',
    '13:? foo+0x3/0x4 [mod]',
  ]);
});

test('a report with many zone lines is analysed in linear time', () => {
  const make = (n: number): string => {
    const lines = ['x: page allocation failure: order:2, mode:0x20'];
    for (let i = 0; i < n; i++)
      lines.push(
        `Node ${i % 1000} Normal free:${1000 + i}kB min:100kB low:200kB high:300kB present:100000kB managed:90000kB`,
        'lowmem_reserve[]: 0 0 0 0',
        `Node ${i % 1000} Normal: 1*4kB 2*8kB 3*16kB = 68kB`,
      );
    return lines.join('\n');
  };
  const ratio = growth(make, 1000, (t) => textOf(analyzeText(t)));
  assert.ok(ratio < 9, `4× the zone lines took ${ratio.toFixed(1)}× the time`);
});

test('interleaved callers with many open reports are scanned in linear time', () => {
  const make = (n: number): string => {
    const callers = n / 50;
    const lines: string[] = [];
    for (let i = 0; i < callers; i++) lines.push(`[ 1.000000][T${i}] ${HEADER}`);
    for (let r = 0; r < 50; r++) {
      for (let i = 0; i < callers; i++) lines.push(`[ 1.000000][T${i}]  foo_${r}+0x1/0x20`);
      for (let u = 0; u < 60; u++) lines.push(`[ 1.000000][T${u % callers}] unrelated ${u}`);
    }
    return lines.join('\n');
  };
  const ratio = growth(make, 2000, (t) => parseLog(t));
  assert.ok(ratio < 8, `4× the input took ${ratio.toFixed(1)}× the time`);
});

test('long words next to fields and frames are scanned in linear time; counters do not backtrack', () => {
  const field = (n: number): string => `free:1 ${'a'.repeat(n)}`;
  const fieldRatio = growth(field, 4000, (t) => {
    for (let at = 0, m; (m = nextField(t, at)); at = m.index + m[0].length);
  });
  assert.ok(fieldRatio < 8, `fields: ${fieldRatio.toFixed(1)}×`);
  const frame = (n: number): string => `f+0x1/0x2 ${'a1'.repeat(n)}`;
  const frameRatio = growth(frame, 2000, (t) => {
    for (let at = 0, m; (m = nextFrame(t, at)); at = m.index + m[0].length);
  });
  assert.ok(frameRatio < 8, `frames: ${frameRatio.toFixed(1)}×`);
  // 2^40 ways to split the spaces with the old counters pattern: this never returned
  assert.equal(classifyLine(`${'a: '.repeat(40)}!`), null);
  assert.equal(classifyLine('active_anon:5 inactive_anon: 6 free:7')?.kind, 'counters');
});

test('header, task and kill lines with long runs of blanks or digits are classified in linear time', () => {
  const cases: [string, (n: number) => string, string | null][] = [
    ['blanks before failure', (n) => `${' '.repeat(n)}failure`, null],
    [
      'tabs before a header',
      (n) => `x${'\t'.repeat(n)}page allocation failure: order:1, mode:0x20`,
      'page_alloc_header',
    ],
    ['blanks in a vmalloc header', (n) => `x: vmalloc: allocation failure: ${' '.repeat(n)}x`, null],
    ['digits of a vmalloc size', (n) => `x: vmalloc error: size 1${'1'.repeat(n)}!`, null],
    ['blanks before oom-killer', (n) => `x${' '.repeat(n)}oom-killer: gfp_mask=0x0, order=0`, null],
    [
      'blanks before invoked',
      (n) => `x${' '.repeat(n)}invoked oom-killer: gfp_mask=0x0, order=0`,
      'oom_header',
    ],
    ['blanks before Killed process', (n) => `${' '.repeat(n)}Killed process`, null],
    ['blanks in a task line', (n) => `Pid: 1, comm: x ${' '.repeat(n)}Tainted`, null],
    ['taint flags', (n) => `CPU: 1 PID: 1 Comm: x Tainted: ${'G  '.repeat(n / 3)}!`, null],
  ];
  for (const [name, make, kind] of cases) {
    assert.equal(classifyLine(make(16384))?.kind ?? null, kind, name);
    const ratio = growth(make, 1024, (t) => {
      for (let i = 0; i < 20; i++) classifyLine(t);
    });
    assert.ok(ratio < 8, `${name}: ${ratio.toFixed(1)}×`);
  }
  const comm = classifyLine(`x${' '.repeat(3000)}invoked oom-killer: gfp_mask=0x0, order=0`);
  assert.equal(comm?.match.groups?.comm, 'x');
  const task = parseLog(
    `x: page allocation failure: order:0, mode:0x20\nCPU: 1 PID: 1 Comm: x Tainted: G${' -'.repeat(6000)} 5.4.0 #1\n`,
  ).reports[0];
  assert.equal(task.tainted, 'Tainted: G');
  assert.equal(task.kernel, '5.4.0');
});

test('cut headers and header pieces (issue #12) are classified in linear time', () => {
  const cases: [string, (n: number) => string, string | null][] = [
    ['digits of a mode piece', (n) => `, mode:0x${'1'.repeat(n)}!`, null],
    ['a node-list piece', (n) => `${'0,'.repeat(n / 2)}x`, null],
    ['digits of an order piece', (n) => `,  order=${'1'.repeat(n)}!`, null],
    ['a cpuset piece', (n) => `,cpuset=${'a'.repeat(n)},mems_allowed=${'0,'.repeat(n / 2)}x`, null],
    [
      'commas after a vmalloc size',
      (n) => `x: vmalloc: allocation failure: 1 bytes${', '.repeat(n / 2)}`,
      'vmalloc_header',
    ],
    ['blanks after an OOM mask', (n) => `x invoked oom-killer: gfp_mask=0x0${' '.repeat(n)}!`, null],
    [
      'blanks after a cut OOM mask',
      (n) => `x invoked oom-killer: gfp_mask=0x0${' '.repeat(n)}`,
      'oom_header',
    ],
    [
      'blanks after an order',
      (n) => `x: page allocation failure: order:1${' '.repeat(n)}, mo`,
      'page_alloc_header',
    ],
    [
      'a long function name in a frame glued after a stall header',
      (n) => `page allocation stalls for 1ms, order:0 [<ffff>] ${'a'.repeat(n)}!`,
      null,
    ],
    [
      'many glued frames after a header',
      (n) => `x: page allocation failure: order:1${' [<f>] a'.repeat(n / 8)}`,
      null,
    ],
    [
      'digits of a glued order',
      (n) => `page allocation failure: order:${'1'.repeat(n)}page allocation failure: order:0`,
      'page_alloc_header',
    ],
  ];
  for (const [name, make, kind] of cases) {
    assert.equal(classifyLine(make(16384))?.kind ?? null, kind, name);
    const ratio = growth(make, 1024, (t) => {
      for (let i = 0; i < 20; i++) classifyLine(t);
    });
    assert.ok(ratio < 8, `${name}: ${ratio.toFixed(1)}×`);
  }
});

test('comm pieces and glued caller texts (issue #12) are read in linear time', () => {
  const cases: [string, RegExp, (n: number) => string, boolean][] = [
    ['blanks after a comm', COMM_PIECE, (n) => `swapper/8:${' '.repeat(n)}!`, false],
    ['colons in a long line', COMM_PIECE, (n) => `${'a:'.repeat(n / 2)}`, false],
    [
      'digits of a glued order',
      GLUED_CALLER_TEXT,
      (n) => `page allocation failure: order:${'1'.repeat(n)}!`,
      false,
    ],
    [
      'digits of a glued stall',
      GLUED_CALLER_TEXT,
      (n) => `page allocation stalls for ${'1'.repeat(n)}ms, order:0page allocation failure`,
      true,
    ],
  ];
  for (const [name, re, make, matches] of cases) {
    assert.equal(re.test(make(16384)), matches, name);
    const ratio = growth(make, 1024, (t) => {
      for (let i = 0; i < 20; i++) re.test(t);
    });
    assert.ok(ratio < 8, `${name}: ${ratio.toFixed(1)}×`);
  }
  // the scanner on many glued texts and comm pieces: each line is split and paired once
  const log = (n: number): string =>
    Array.from({ length: n }, (_, i) =>
      i % 3 === 2
        ? 'page allocation failure: order:0page allocation failure: order:0, mode:0x20(GFP_ATOMIC)'
        : `swapper/${i}: `,
    ).join('\n');
  const ratio = growth(log, 512, (t) => parseLog(t));
  assert.ok(ratio < 8, `glued headers: ${ratio.toFixed(1)}×`);
});

test('the CLI heading and the outline say a SysRq f OOM is manual, never "order -1"', () => {
  const root = join(__dirname, '..', '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'klens-sysrq-'));
  try {
    const file = join(dir, 'sysrq.log');
    writeFileSync(file, SYSRQ);
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'analyze', '--color=never', file], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const heading = r.stdout.split('\n')[0];
    assert.equal(heading, `${file}:1  OOM kill  manual (SysRq f)  mode 0xd0  x (pid 5)`);
    assert.doesNotMatch(r.stdout, /order -1|order--1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const doc = analyzeDocument('file:///sysrq.log', 1, SYSRQ, { kernelRelease: '' });
  assert.deepEqual(
    documentSymbols(doc).map((s) => s.name),
    ['OOM killer invoked (manual, SysRq f) — x'],
  );
});
