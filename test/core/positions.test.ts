// Positions as an LSP client counts them, on every path. Lines end at `\n`, `\r\n` and a lone `\r`
// (vscode-languageserver-textdocument's TextDocument is the reference); columns are those of the
// original text, terminal escape sequences included; reports never share a line; the CLI's reader
// and the built `klens` command give the line numbers parseLog gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseLog, TextScan } from '../../server/src/core/parse';
import { stripEscapes } from '../../server/src/core/lines';
import { createScan } from '../../server/src/cli/scan';
import { LineFeeder, MAX_LINE_CHARS, WINDOW_BYTES } from '../../server/src/cli/feeder';
import { ANCHOR_LOOKBEHIND_LINES, REPORT_ANCHORS } from '../../server/src/core/parse';
import type { Report, TextRange } from '../../server/src/core/model';
import { growth } from './linear-time';

const root = join(__dirname, '..', '..', '..');
const SEED = readFileSync(join(root, 'test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');

/** Every `.log` under test/fixtures (corpus, extra, pending, workspace). */
function allFixtures(dir = join(root, 'test', 'fixtures')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return allFixtures(path);
    return name.endsWith('.log') ? [path] : [];
  });
}
const FIXTURES = allFixtures();

/** The CLI's path in-process: the skipping reader over odd-sized writes. */
function scanned(text: string, step = 7919): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += step) scan.feeder.write(bytes.subarray(at, at + step));
  scan.finish();
  return reports;
}

/** Every range a report holds (the hover and diagnostic targets). */
function rangesOf(r: Report): [string, TextRange][] {
  const out: [string, TextRange][] = [['header', r.headerRange]];
  if (r.orderRange) out.push(['order', r.orderRange]);
  if (r.gfpRange) out.push(['gfp', r.gfpRange]);
  for (const z of r.zones) {
    out.push([`zone ${z.zone}`, z.range]);
    if (z.lowmemReserveRange) out.push([`lowmem_reserve ${z.zone}`, z.lowmemReserveRange]);
  }
  for (const b of r.buddy) out.push([`buddy ${b.zone}`, b.range]);
  for (const n of r.nodes) out.push([`node ${n.node}`, n.range]);
  for (const c of r.counters) out.push([`counter ${c.name}`, c.range]);
  return out;
}

function textAt(doc: TextDocument, r: TextRange): string {
  return doc.getText({
    start: { line: r.startLine, character: r.startChar },
    end: { line: r.endLine, character: r.endChar },
  });
}

/** Each report's span [line, endLine] sorted and disjoint from the next; its header inside it. */
function assertDisjoint(reports: Report[], label: string): void {
  reports.forEach((r, i) => {
    assert.ok(r.line <= r.endLine, `${label}: report ${i} (${r.kind}) spans ${r.line}…${r.endLine}`);
    assert.equal(r.headerRange.startLine, r.line, `${label}: report ${i} header starts its span`);
    assert.ok(r.headerRange.endLine <= r.endLine, `${label}: report ${i} header inside its span`);
    if (i > 0)
      assert.ok(
        reports[i - 1].endLine < r.line,
        `${label}: report ${i - 1} (${reports[i - 1].kind} ${reports[i - 1].line}…${reports[i - 1].endLine}) ` +
          `overlaps report ${i} (${r.kind} ${r.line}…${r.endLine})`,
      );
  });
}

const withEnds = (text: string, ends: readonly string[]): string => {
  let i = 0;
  return text.replace(/\r?\n/g, () => ends[i++ % ends.length]);
};

test('lone CR, CRLF and mixed line ends: the same reports on the same lines and columns', () => {
  const plain = parseLog(SEED);
  assert.equal(plain.lineCount, 45);
  assert.equal(plain.reports.length, 1);
  const r = plain.reports[0];
  assert.deepEqual([r.line, r.endLine, r.zones[0].line], [0, 43, 35]);
  assert.deepEqual(r.orderRange, { startLine: 0, startChar: 68, endLine: 0, endChar: 75 });
  for (const ends of [['\r'], ['\r\n'], ['\n', '\r', '\r\n'], ['\r', '\r\n']]) {
    const text = withEnds(SEED, ends);
    const parsed = parseLog(text);
    const label = JSON.stringify(ends);
    assert.deepStrictEqual(parsed.reports, plain.reports, label);
    assert.equal(parsed.lineCount, TextDocument.create('u', 'log', 1, text).lineCount, label);
    const doc = TextDocument.create('file:///x.log', 'log', 1, text);
    assert.equal(textAt(doc, parsed.reports[0].orderRange!), 'order:5', label);
    assert.equal(textAt(doc, parsed.reports[0].zones[0].range).slice(0, 14), 'Node 0 DMA fre', label);
  }
});

test('a lone CR at the very end ends the last line, as a final newline does', () => {
  assert.equal(parseLog('a\r').lineCount, TextDocument.create('u', 'log', 1, 'a\r').lineCount);
  assert.equal(parseLog('a\r').lineCount, parseLog('a\n').lineCount);
  assert.equal(parseLog('a\r\r').lineCount, 3);
  assert.equal(parseLog('a\r\n').lineCount, 2);
});

test('the language server reads a lone-CR capture in slices too, to the same result', () => {
  const text = Array.from({ length: 40 }, () => SEED.replace(/\n/g, '\r')).join('\r');
  const scan = new TextScan(text);
  let pauses = 0;
  let first: number | null = null;
  while (!scan.run(() => ++pauses % 2 === 0)) first ??= scan.linesRead;
  assert.equal(first, 511, 'paused after 2 × 256 lines, not at the end of one 1800-line push');
  assert.ok(pauses >= 6, `${pauses} pauses`);
  assert.deepStrictEqual(scan.finish(), parseLog(text));
  assert.equal(parseLog(text).reports.length, 40);
});

test('parseLog is linear on text with lone CRs only (no search to the end of the text per line)', () => {
  const line = 'Jan  1 07:56:55 web02 sshd[812]: Accepted publickey for deploy from 10.0.0.7 port 50022\r';
  assert.equal(parseLog(line.repeat(100)).lineCount, 101);
  const ratio = growth(
    (n) => line.repeat(n),
    10000,
    (text) => parseLog(text),
  );
  assert.ok(ratio < 10, `4x the lines took ${ratio.toFixed(1)}x the time (quadratic: 16x)`);
});

test('a report after lone CRs sits on the line an LSP client shows it on', () => {
  const text = 'boot\rserial noise\r\r' + SEED.replace(/\n/g, '\r');
  const doc = TextDocument.create('file:///serial.log', 'log', 1, text);
  const [r] = parseLog(text).reports;
  assert.equal(r.line, 3);
  assert.match(doc.getText({ start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }), /^Apr 28/);
  assert.equal(textAt(doc, r.orderRange!), 'order:5');
  assert.equal(textAt(doc, r.gfpRange!), 'mode:0x4020');
  assert.equal(r.zones[0].line, 38);
});

test('escape sequences before and inside fields: ranges cover the original text', () => {
  const lines = SEED.split('\n');
  lines[0] = lines[0]
    .replace('swapper', '\x1b[1;31mswapper\x1b[0m')
    .replace('order:5', '\x1b[31morder:5\x1b[0m')
    .replace('mode:0x', 'mode:\x1b[1m0x');
  const text = lines.join('\n');
  const doc = TextDocument.create('file:///ansi.log', 'log', 1, text);
  const [r] = parseLog(text).reports;
  const header = lines[0];
  assert.deepEqual(r.orderRange, {
    startLine: 0,
    startChar: header.indexOf('order:5'),
    endLine: 0,
    endChar: header.indexOf('order:5') + 7,
  });
  assert.equal(textAt(doc, r.orderRange!), 'order:5');
  assert.equal(textAt(doc, r.gfpRange!), 'mode:\x1b[1m0x4020');
  assert.equal(r.comm, 'swapper/13');
  assert.equal(r.headerRange.startChar, header.indexOf('swapper'), 'the header starts on its text');
  assert.equal(r.gfp?.raw, '0x4020');
});

test('an escape sequence inside Mem-Info: still a show_mem report', () => {
  const text = [
    '[  5.000000] \x1b[1mMem\x1b[0m-Info:',
    '[  5.000001] active_anon:1 inactive_anon:2 isolated_anon:0',
  ].join('\n');
  const parsed = parseLog(text);
  assert.deepEqual(
    parsed.reports.map((r) => [r.kind, r.line, r.endLine, r.headerRange.startChar]),
    [['show_mem', 0, 1, 17]], // on `Mem`, after `\x1b[1m`
  );
  assert.deepStrictEqual(scanned(text), parsed.reports);
});

/** `\x1b[0m` after every 5th character of every line, and an OSC hyperlink on every 3rd line. */
function colour(text: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      const pieces = line.match(/[^]{1,5}/g) ?? [''];
      const out = pieces.join('\x1b[0m');
      return i % 3 === 0 ? `\x1b]8;;https://example.invalid/\x07${out}\x1b]8;;\x1b\\` : out;
    })
    .join('\n');
}

const INJECTED = /\x1b\[0m|\x1b\]8;;(?:https:\/\/example\.invalid\/)?(?:\x07|\x1b\\)/g;

test('escape sequences everywhere in every fixture: same reports, every range on the same text', () => {
  let ranges = 0;
  for (const file of FIXTURES) {
    const plainText = readFileSync(file, 'utf8');
    const colourText = colour(plainText);
    const plain = parseLog(plainText).reports;
    const coloured = parseLog(colourText).reports;
    const plainDoc = TextDocument.create('file:///p.log', 'log', 1, plainText);
    const colourDoc = TextDocument.create('file:///c.log', 'log', 1, colourText);
    assert.deepEqual(
      coloured.map((r) => [
        r.kind,
        r.line,
        r.endLine,
        r.order,
        r.gfp?.raw,
        r.zones.length,
        r.counters.length,
      ]),
      plain.map((r) => [r.kind, r.line, r.endLine, r.order, r.gfp?.raw, r.zones.length, r.counters.length]),
      file,
    );
    coloured.forEach((r, i) => {
      const expected = rangesOf(plain[i]);
      rangesOf(r).forEach(([name, range], k) => {
        const want = textAt(plainDoc, expected[k][1]);
        const got = textAt(colourDoc, range);
        assert.equal(got.replace(INJECTED, ''), want, `${file}: ${name}`);
        // no escape sequence at either end: the range starts and ends on the text itself
        if (want.length > 0) {
          assert.equal(got[0], want[0], `${file}: ${name} starts on its text`);
          assert.equal(got[got.length - 1], want[want.length - 1], `${file}: ${name} ends on its text`);
        }
        ranges++;
      });
    });
  }
  assert.ok(ranges > 1500, `${ranges} ranges compared`);
});

test('stripEscapes: CSI, OSC, DCS, character sets and keypad modes go, the text stays', () => {
  const cases: [string, string][] = [
    ['\x1b[0;31mred\x1b[0m', 'red'],
    ['a\x1b[Kb\x1b[?25hc\x1b[2Jd', 'abcd'],
    ['\x1b]0;title\x07text', 'text'],
    ['\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['text\x1b]unterminated to the end', 'text'],
    ['\x1b(Bplain\x1b)0', 'plain'],
    ['\x1b=keypad\x1b>', 'keypad'],
    ['\x1b7save\x1b8', 'save'],
    ['\x1bP1$r0m\x1b\\dcs', 'dcs'],
    ['\x1b]osc\x1b[31mred', 'red'],
    ['end\x1b', 'end'],
    ['\x1b\x1b[1mx', 'x'],
    ['\x1b[31', ''],
    ['\x1bé', 'é'],
    ['\x1b[1;2 qafter', 'after'],
  ];
  for (const [raw, text] of cases) assert.equal(stripEscapes(raw).text, text, JSON.stringify(raw));
  assert.deepEqual(stripEscapes('ab\x1b[1mcd\x1b[0mef'), { text: 'abcdef', runs: [0, 0, 2, 6, 4, 12] });
});

test('stripEscapes is linear: unterminated OSCs (no BEL) cost what plain text costs', () => {
  // The regex this replaced backtracked quadratically: 1 MiB of `\x1b]` lines took 12 s.
  const osc = (n: number): string => '\x1b]'.repeat(n) + 'x';
  assert.equal(stripEscapes(osc(1 << 10)).text, '', 'the OSCs run to the end of the line');
  const ratio = growth(osc, 1 << 18, (input) => stripEscapes(input));
  assert.ok(ratio < 12, `4x the input took ${ratio.toFixed(1)}x the time (quadratic: 16x)`);
  const mib = Array.from({ length: 1 << 14 }, () => '\x1b]'.repeat(32)).join('\n');
  assert.equal(parseLog(mib).lineCount, 1 << 14);
});

/** Hostile arrangements of real reports, where spans could overlap. */
function hostileInputs(): [string, string][] {
  const logs = FIXTURES.map((f) => readFileSync(f, 'utf8'));
  const split = logs.map((l) => l.split('\n'));
  const inputs: [string, string][] = [];
  inputs.push([
    'page allocation failure, SLUB lines, swap cache line',
    [
      'kworker/0:1: page allocation failure: order:0, mode:0x20',
      'CPU: 0 PID: 1 Comm: kworker/0:1 Not tainted 4.9.0 #1',
      'Call Trace:',
      ' dump_stack+0x63/0x8c',
      'SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
      '  cache: kmalloc-256, object size: 256, buffer size: 256, default order: 0, min order: 0',
      '  node 0: slabs: 1, objs: 16, free: 0',
      'SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
      '  cache: kmalloc-512, object size: 512, buffer size: 512, default order: 1, min order: 0',
      ' warn_alloc+0x13b/0x170',
      'Mem-Info:',
      'active_anon:1 inactive_anon:2 isolated_anon:0',
      '0 pages in swap cache',
      'Free swap  = 0kB',
      'Total swap = 0kB',
      '1000 pages RAM',
    ].join('\n'),
  ]);
  inputs.push([
    'two reports reflowed onto one line',
    '[    1.000000] a: page allocation failure: order:0, mode:0x20 [    1.000001] b: page allocation failure: order:1, mode:0x20\n' +
      '[    1.000002] CPU: 0 PID: 1 Comm: b Not tainted 4.9.0 #1',
  ]);
  inputs.push([
    'a header on every line',
    Array.from(
      { length: 300 },
      (_, i) =>
        [
          `t${i}: page allocation failure: order:${i % 11}, mode:0x20`,
          'Mem-Info:',
          'SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
          'Out of memory: Kill process 1 (a) score 1 or sacrifice child',
          `x invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0`,
          'SysRq : Show Memory',
        ][i % 6],
    ).join('\n'),
  ]);
  const endless = ['kworker/0:1: page allocation failure: order:0, mode:0x20', 'Call Trace:'];
  for (let i = 0; i < 300; i++)
    endless.push(
      ` frame_${i}+0x1/0x10`,
      'SLUB: Unable to allocate memory on node -1, gfp=0x20(GFP_ATOMIC)',
      '  cache: kmalloc-64, object size: 64, buffer size: 64, default order: 0, min order: 0',
    );
  inputs.push(['300 SLUB reports inside a call trace that never ends', endless.join('\n')]);
  inputs.push(['the same with lone CRs', endless.join('\r')]);
  inputs.push(['every fixture, no blank line between', logs.join('\n')]);
  for (let i = 0; i + 1 < split.length; i += 2) {
    const [a, b] = [split[i], split[i + 1]];
    const mixed: string[] = [];
    for (let k = 0; k < Math.max(a.length, b.length); k++) mixed.push(a[k] ?? '', b[k] ?? '');
    inputs.push([`lines of two fixtures interleaved (${i}, ${i + 1})`, mixed.join('\n')]);
  }
  for (const [i, lines] of split.entries()) {
    inputs.push([`fixture ${i} reversed`, [...lines].reverse().join('\n')]);
    const reflowed: string[] = [];
    for (let k = 0; k < lines.length; k += 4) reflowed.push(lines.slice(k, k + 4).join(' '));
    inputs.push([`fixture ${i} reflowed four lines to one`, reflowed.join('\n')]);
    inputs.push([`fixture ${i} with lone CRs and colour`, colour(lines.join('\r'))]);
  }
  return inputs;
}

test('reports never overlap: every fixture, their variants, and hostile arrangements', () => {
  let checked = 0;
  for (const file of FIXTURES) {
    const text = readFileSync(file, 'utf8');
    for (const variant of [text, withEnds(text, ['\r']), colour(text)]) {
      assertDisjoint(parseLog(variant).reports, file);
      checked++;
    }
  }
  for (const [label, text] of hostileInputs()) {
    const parsed = parseLog(text).reports;
    assertDisjoint(parsed, label);
    assert.deepStrictEqual(scanned(text), parsed, `${label}: the CLI's reader finds the same`);
    checked++;
  }
  assert.ok(checked > 150);
});

test('a SLUB report inside a page allocation failure: spans cut, both reports kept, in order', () => {
  const [, text] = hostileInputs()[0];
  const parsed = parseLog(text).reports;
  assert.deepEqual(
    parsed.map((r) => [r.kind, r.line, r.endLine]),
    [
      ['page_alloc_failure', 0, 3],
      ['slub_failure', 4, 6],
      ['slub_failure', 7, 8],
    ],
  );
  // the failure keeps reading its own lines after the SLUB reports (outside its span)
  assert.equal(parsed[0].ramPages, 1000);
  assert.equal(parsed[0].callTrace.length, 2);
  assert.equal(parsed[1].slub?.cache, 'kmalloc-256');
  // the CLI streams reports as they complete: the SLUB reports wait for the earlier failure
  assert.deepStrictEqual(scanned(text), parsed);
});

test('reports waiting for an open one are bounded: the open one is closed, the same on every path', () => {
  const inputs = hostileInputs();
  const [, lf] = inputs[3];
  const [, cr] = inputs[4];
  const parsed = parseLog(lf).reports;
  assert.equal(parsed.length, 301);
  // the failure is closed once 257 SLUB reports wait for it (the 258th SLUB header completes the
  // 257th, after frame 257): its span ends before the first SLUB report, its frames stop there
  assert.deepEqual([parsed[0].kind, parsed[0].line, parsed[0].endLine], ['page_alloc_failure', 0, 2]);
  assert.equal(parsed[0].callTrace.length, 258);
  assert.equal(parsed[0].callTrace[257].function, 'frame_257');
  assert.deepStrictEqual(parseLog(cr).reports, parsed, 'one push of lone-CR lines decides the same');
  assert.deepStrictEqual(scanned(cr), parsed);
});

test('two reports reflowed onto one line: the second does not open a report on the first one’s line', () => {
  const [, text] = hostileInputs()[1];
  const parsed = parseLog(text).reports;
  assert.deepEqual(
    parsed.map((r) => [r.kind, r.line, r.endLine, r.order]),
    [['page_alloc_failure', 0, 1, 0]],
  );
});

// The reader on its own: what it feeds and counts against a split at every LSP line break.
function checkFeeder(text: Buffer, idle: (fed: number) => boolean, chunk: (i: number) => number): void {
  const naive = text.toString('utf8').split(/\r\n|\r|\n/);
  if (naive[naive.length - 1] === '') naive.pop();
  const fed = new Map<number, string>();
  let lineNo = 0;
  const feeder = new LineFeeder(
    {
      line(t) {
        fed.set(lineNo++, t);
      },
      canSkip: () => idle(fed.size),
      skip(n) {
        assert.ok(n > 0);
        lineNo += n;
      },
    },
    { anchors: REPORT_ANCHORS, lookbehindLines: ANCHOR_LOOKBEHIND_LINES, kernel: 'auto' },
  );
  for (let at = 0, i = 0; at < text.length; i++) {
    const n = Math.min(chunk(i), text.length - at);
    feeder.write(text.subarray(at, at + n));
    at += n;
  }
  feeder.end();
  assert.equal(lineNo, naive.length, 'every line counted');
  for (const [i, t] of fed) {
    assert.ok(!/\r./.test(t), `line ${i}: no line break inside`);
    assert.equal(t.replace(/\r$/, ''), naive[i], `line ${i}`);
  }
  naive.forEach((line, i) => {
    if (!REPORT_ANCHORS.some((a) => line.includes(a))) return;
    for (let k = Math.max(0, i - ANCHOR_LOOKBEHIND_LINES); k <= i; k++)
      assert.ok(fed.has(k), `line ${k} (anchor on ${i}) fed`);
  });
}

test('the line feeder breaks lines at \\n, \\r\\n and lone \\r, across reads, in long lines', () => {
  let x = 11;
  const rand = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const words = [
    'Apr 28 05:30:51 web01 sshd[123]: Accepted publickey',
    'swapper/0: page allocation failure: order:5, mode:0x4020',
    'Mem\x1b[0m-Info:',
    'plain noise',
    '',
  ];
  const ends = ['\n', '\r', '\r\n', '\r\r', '\n\r'];
  let text = '';
  for (let i = 0; i < 30000; i++)
    text += words[rand(50) === 0 ? rand(words.length) : 3] + ends[rand(ends.length)];
  const small = text.slice(0, 3000);
  const long = 'x'.repeat(3 * WINDOW_BYTES);
  const inputs = [
    Buffer.from(text),
    Buffer.from(text + 'last line'),
    Buffer.from(text + 'last\r'),
    Buffer.from(`${long}\r${long} alloc\r\n${long}\rend`),
    Buffer.from('only\rlone\rcarriage\rreturns\r'.repeat(20000)),
    Buffer.from('\r\r\n\r\n\n\r'),
    Buffer.from(small),
    Buffer.from(small + '\r'),
  ];
  for (const input of inputs) {
    for (const step of input.length < 1 << 16
      ? [1, 2, 3, 4093]
      : [4093, WINDOW_BYTES - 1, WINDOW_BYTES, 1 << 20]) {
      checkFeeder(
        input,
        () => true,
        () => step,
      );
    }
    checkFeeder(
      input,
      (fed) => fed % 5 !== 0,
      () => 1 + rand(50000),
    );
    checkFeeder(
      input,
      () => false,
      () => 1 + rand(300000),
    );
  }
});

test('a lone-CR capture larger than the longest line the reader keeps: every report, none cut off', () => {
  const copies = 40;
  const gap =
    'Jan  1 07:56:55 web02 sshd[812]: Accepted publickey for deploy from 10.0.0.7 port 50022\r'.repeat(1300);
  const text = Array.from({ length: copies }, () => SEED.replace(/\n/g, '\r')).join(gap);
  assert.ok(text.length > MAX_LINE_CHARS, 'not one line of 4 Mi characters');
  const expected = parseLog(text).reports;
  assert.equal(expected.length, copies);
  assert.deepStrictEqual(scanned(text), expected);
  assert.deepStrictEqual(scanned(text, 1 << 20), expected);
});

const scratch = mkdtempSync(join(tmpdir(), 'klens-positions-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

test('the klens command prints the line numbers parseLog gives, with lone CRs and escapes', () => {
  const noise = 'Jan  1 07:56:55 web02 sshd[812]: Accepted publickey for deploy\n'.repeat(50);
  const text =
    withEnds(noise + SEED, ['\r', '\n', '\r\n']) +
    '\r' +
    noise.replace(/\n/g, '\r') +
    colour(SEED) +
    '\n[  9.000000] \x1b[1mMem\x1b[0m-Info:\n[  9.000001] active_anon:1 inactive_anon:2 isolated_anon:0\n';
  const file = join(scratch, 'serial.log');
  writeFileSync(file, text);
  const expected = parseLog(text).reports;
  assert.deepEqual(
    expected.map((r) => r.kind),
    ['page_alloc_failure', 'page_alloc_failure', 'show_mem'],
  );
  for (const env of [{ KLENS_WORKER: 'never' }, { KLENS_WORKER: 'always' }]) {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'analyze', '--json', file], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      events: {
        kind: string;
        line: number;
        endLine: number;
        zones: { line: number }[];
        repeat: { lines?: number[] };
      }[];
    };
    // the second seed repeats the first (same request and call chain): one event for both, whose
    // member is its header line (issue #17)
    const [first, second, showMem] = expected;
    assert.deepEqual(
      doc.events.map((e) => [e.kind, e.line, e.endLine, e.zones.map((z) => z.line), e.repeat.lines]),
      [
        [
          first.kind,
          first.line + 1,
          first.endLine + 1,
          first.zones.map((z) => z.line + 1),
          [first.line + 1, second.line + 1],
        ],
        [
          showMem.kind,
          showMem.line + 1,
          showMem.endLine + 1,
          showMem.zones.map((z) => z.line + 1),
          undefined,
        ],
      ],
      JSON.stringify(env),
    );
  }
});

test('order and mode ranges sit on the field the value follows, not on an earlier word (fuzz findings)', () => {
  // minimised by `npm run fuzz -- --seed 20261204`: a `mode:`/`order:` earlier on the line
  for (const [text, field, from] of [
    ['mode:pageallocationfailureorder:1mode:0x0', 'gfpRange', 'mode:0x0'],
    ['order:\udc00pageallocationfailureorder:1mode:0x2', 'orderRange', 'order:1'],
  ] as const) {
    const report = parseLog(text).reports[0];
    const range = report[field]!;
    const at = text.lastIndexOf(from);
    assert.deepEqual(
      [range.startLine, range.startChar, range.endChar],
      [0, at, at + from.length],
      `${field} of ${JSON.stringify(text)}`,
    );
  }
});

test('a framed line with no text, then its wrap after a lone CR: the zone line is where its text is (fuzz finding)', () => {
  const text = '[7.1]Mem-Info:\n[7.2]\rHighMem free:6kB min:1kB low:2kB high:3kB present:100kB';
  const zone = parseLog(text).reports[0].zones[0];
  assert.equal(zone.line, 2);
  assert.deepEqual([zone.range.startLine, zone.range.startChar], [2, 0]);
});
