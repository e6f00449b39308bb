// Quoted-printable mail bodies (RFC 2045 section 6.7, core/quoted-printable.ts): decided per document on
// evidence, decoded before anything reads a line, every position on the text as it is; the CLI's
// skipping reader finds what the editor finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseLog } from '../../server/src/core/parse';
import { analyzeText } from '../../server/src/core/analyze';
import {
  decodeQuotedPrintable,
  holdsEscapedUtf8,
  isQuotedPrintableShaped,
  QuotedPrintableBody,
} from '../../server/src/core/quoted-printable';
import type { Report, TextRange } from '../../server/src/core/model';
import { createScan } from '../../server/src/cli/scan';
import { extraLog, FIXTURE_LOGS } from './fixture-files';

const QP1 = 'qp-001-mail-quoted-printable-4.9-i386-highmem-oom-xorg.log';
const QP2 = 'qp-002-mail-quoted-printable-5.2-xorg-order0-then-slub.log';
const QP_QUOTED = '061-mail-qp-quoted-nbsp-reflowed-7.0-rc4-xen-v4l2src-order5.log';

function textAt(text: string, r: TextRange): string {
  return TextDocument.create('file:///q.log', 'log', 1, text).getText({
    start: { line: r.startLine, character: r.startChar },
    end: { line: r.endLine, character: r.endChar },
  });
}

/** The CLI's reading: the skipping reader over odd-sized writes. */
function scanned(text: string): Report[] {
  const reports: Report[] = [];
  const scan = createScan<Report>((r) => reports.push(r));
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 4093) scan.feeder.write(bytes.subarray(at, at + 4093));
  scan.finish();
  return reports;
}

/** Noise that holds no anchor: the CLI's reader skips it while no report is open. */
const NOISE = Array.from(
  { length: 400 },
  (_, i) => `[  ${String(10 + i).padStart(4)}.000000] usb 1-1: new high-speed USB device number ${i}`,
);

test('extra qp-001: the OOM kill at line 3 with every field the header, task line and dump print', () => {
  const parsed = parseLog(extraLog(QP1));
  assert.equal(parsed.quotedPrintableFrom, 2);
  const [r] = parsed.reports;
  assert.deepEqual(
    [r.kind, r.line + 1, r.comm, r.pid, r.cpu, r.kernel, r.order, r.gfp?.raw, r.gfp?.printed],
    ['oom_kill', 3, 'Xorg', 2746, 1, '4.9.0', 0, '0x24200d4', 'GFP_USER|GFP_DMA32|__GFP_RECLAIMABLE'],
  );
  assert.deepEqual([r.nodemask, r.cpuset, r.memsAllowed, r.oomScoreAdj], ['0', '/', '0', 0]);
  assert.deepEqual([r.freeSwapKb, r.totalSwapKb], [2094312, 2096476]);
  const highmem = r.zones.find((z) => z.zone === 'HighMem')!;
  // `mana=` | `ged:2226888kB`, `free_cma=` | `:0kB`
  assert.deepEqual([highmem.managedKb, highmem.freeCmaKb], [2226888, 0]);
  assert.equal(highmem.fields.inactive_file, 720724); // `inactive_f=` | `ile:720724kB`
});

test('extra qp-002: nodemask (null), the task line cut before its release, zone values cut mid-number, the SLUB failure at line 133', () => {
  const parsed = parseLog(extraLog(QP2));
  assert.equal(parsed.quotedPrintableFrom, 5);
  const [r, slub] = parsed.reports;
  assert.deepEqual(
    [r.kind, r.line + 1, r.comm, r.pid, r.cpu, r.kernel, r.gfp?.printed],
    [
      'page_alloc_failure',
      6,
      'Xorg',
      1024,
      1,
      '5.2.1-g527a3db363a3',
      '__GFP_IO|__GFP_FS|__GFP_COMP|__GFP_RECLAIMABLE',
    ],
  );
  assert.deepEqual([r.nodemask, r.cpuset, r.memsAllowed], ['(null)', '/', '0']);
  const zone = (name: string) => r.zones.find((z) => z.zone === name)!;
  assert.equal(zone('DMA32').highKb, 23408); // `high:2340=` | `8kB`
  assert.equal(zone('Normal').highKb, 295528); // `high:2=` | `95528kB`
  assert.equal(zone('Normal').presentKb, 30654464); // `present:3065446=` | `4kB`
  assert.deepEqual([r.freeSwapKb, r.totalSwapKb], [35959128, 67108860]);
  assert.deepEqual(
    r.buddy.map((b) => [b.zone, b.totalKb]),
    [
      ['DMA', 15892], // `=3D 158=` | `92kB`
      ['DMA32', 134560],
      ['Normal', 198980],
    ],
  );
  assert.equal(slub.kind, 'slub_failure');
  assert.equal(slub.line + 1, 133);
  assert.deepEqual(slub.slub, {
    node: -1,
    cache: 'radix_tree_node',
    objectSize: 576,
    bufferSize: 584,
    defaultOrder: 2,
    minOrder: 0,
  });
});

test('extra 061: a reply quoting 109 with NBSP indents, reflowed: the failure at line 6, decoded from there', () => {
  const text = extraLog(QP_QUOTED);
  const parsed = parseLog(text);
  // `> =C2=A0=C2=A0=C2=A0 [=C2=A0 739.193589] v4l2src0:src: page allocation fail=` (line 6) comes
  // two lines before the first `=3D` (`nodemask=3D(null)` on line 8)
  assert.equal(parsed.quotedPrintableFrom, 5);
  const [r] = parsed.reports;
  assert.equal(parsed.reports.length, 1);
  assert.deepEqual(
    [r.kind, r.line + 1, r.comm, r.pid, r.cpu, r.kernel, r.order, r.gfp],
    [
      'page_alloc_failure',
      6,
      'v4l2src0:src',
      1305,
      0,
      '7.0.0-0.rc4.1.qubes.1001.fc41.x86_64',
      5,
      { raw: '0xcc4', printed: 'GFP_KERNEL|GFP_DMA32' },
    ],
  );
  assert.deepEqual([r.nodemask, r.cpuset, r.memsAllowed, r.headerCut], ['(null)', '/', '0', null]);
  assert.deepEqual(
    r.zones.map((z) => [z.zone, z.line + 1, z.freeKb, z.minKb, z.lowKb, z.highKb, z.presentKb, z.managedKb]),
    [
      ['DMA', 124, 2828, 132, 164, 196, 15992, 15360],
      ['DMA32', 133, 14880, 5572, 6000, 6428, 274348, 200080],
    ],
  );
  // `lowmem_reserve[]: 0 195 195 195 19=` | `5`
  assert.deepEqual(
    r.zones.map((z) => z.lowmemReserve),
    [
      [0, 195, 195, 195, 195],
      [0, 0, 0, 0, 0],
    ],
  );
  const summary = (rs: Report[]) => rs.map((x) => [x.kind, x.line, x.order, x.gfp?.raw, x.zones.length]);
  assert.deepEqual(summary(scanned(text)), summary(parsed.reports));
});

test('the analysis says the body was decoded, on the line the decoding began', () => {
  const findings = analyzeText(extraLog(QP2)).findings.filter((f) => f.code === 'KLL026');
  assert.deepEqual(
    findings.map((f) => [f.line, f.severity]),
    [[5, 'hint']],
  );
  assert.match(
    findings[0].message,
    /^Read as a quoted-printable mail body \(RFC 2045\) from line 6 on: `=3D` is read as `=`/,
  );
  assert.deepEqual(
    analyzeText(
      extraLog('041-mail-wrapped-caretM-dmesg-4.9-stall-body-numa-interleaved-softlockup.log'),
    ).findings.filter((f) => f.code === 'KLL026'),
    [],
  );
});

test('no other fixture is read as quoted-printable (kernel text with `=` at a line end is not evidence)', () => {
  const decoded = FIXTURE_LOGS.filter(
    (f) => parseLog(readFileSync(f, 'utf8')).quotedPrintableFrom !== undefined,
  );
  // the real quoted-printable mail bodies of the session 4 hunt (070, 075, 085, 094) too
  const HUNTED = [
    '070-mail-qp-dmesg-6.19.5-xen-v4l2src-order5-profiling-balloon.log',
    '075-mail-qp-indented-dmesg-7.0-rc4-xen-v4l2src-order5-mode-hex-split-by-soft-break.log',
    '085-mail-qp-console-userspace-glued-3.10-imx6-swapper-atomic-cma-then-slub-oldform.log',
    '094-mail-qp-md-fence-journal-pager-chopped-4.10-i686-pae-oom-updatedb-header-no-order.log',
  ];
  assert.deepEqual(
    decoded.map((f) => f.replace(/^.*[/\\]/, '')).sort(),
    [QP_QUOTED, QP1, QP2, ...HUNTED].sort(),
  );
});

test('shape: every `=` an escape or the last character, at most 76 characters', () => {
  assert.equal(
    isQuotedPrintableShaped('P_DMA32|__GFP_RECLAIMABLE), nodemask=3D0, order=3D0, oom_score_adj=3D0'),
    true,
  );
  assert.equal(
    isQuotedPrintableShaped('[28756.498761] Node 0 active_anon:409988kB inactive_anon:233592kB active='),
    true,
  );
  // kernel text: `=0x`, `=/`, `=0,` are no escapes; a long line is no encoded line
  assert.equal(
    isQuotedPrintableShaped('Xorg invoked oom-killer: gfp_mask=0x24200d4(GFP_USER), nodemask='),
    false,
  );
  assert.equal(isQuotedPrintableShaped('[ 1.0] pci 0000:00:02.0: reg=3D0 res=0x10'), false);
  assert.equal(isQuotedPrintableShaped('x'.repeat(70) + ' =3D 1kB'), false);
  assert.equal(isQuotedPrintableShaped('[  12.1] =======================\t'), false);
});

test('decoding: =3D, other escapes, UTF-8 sequences, soft breaks, and where each character came from', () => {
  const { text, runs } = decodeQuotedPrintable([
    { text: 'gfp_mask=3D0x24200d4(GF', line: 4, escapes: null },
    { text: 'P_DMA32) 4.9', line: 5, escapes: null },
    { text: '=2E0 caf=C3=A9 =3d =ZZ', line: 6, escapes: null },
  ]);
  assert.equal(text, 'gfp_mask=0x24200d4(GFP_DMA32) 4.9.0 café =3d =ZZ');
  const where = (offset: number): [number, number] => {
    let k = 0;
    while (k + 3 < runs.length && runs[k + 3] <= offset) k += 3;
    return [runs[k + 1], runs[k + 2] + (offset - runs[k])];
  };
  assert.deepEqual(where(text.indexOf('=')), [4, 8]); // the `=` of `=3D`
  assert.deepEqual(where(text.indexOf('0x')), [4, 11]);
  assert.deepEqual(where(text.indexOf('P_DMA32')), [5, 0]);
  assert.deepEqual(where(text.indexOf('.0 ')), [6, 0]); // `=2E`
  assert.deepEqual(where(text.indexOf('é')), [6, 8]); // `=C3=A9` begins at column 8
  assert.deepEqual(where(text.indexOf('=3d')), [6, 15]); // lower-case hex is no escape (section 6.7 rule 1)
});

test('the decision: `=3D`, or a soft break followed by a shaped line with `=3D`; not a chopped `nodemask=` or soft breaks alone', () => {
  const run = (lines: string[]) => {
    const out: [string, number, boolean][] = [];
    const body = new QuotedPrintableBody((text, line, runs) => out.push([text, line, runs !== null]));
    lines.forEach((l, i) => body.push(l, i, null));
    body.end();
    return { out, from: body.from };
  };
  // a chopped header line, then plain kernel text: read as it is
  const chopped = run([
    '[ 1425.416979] Xorg: page allocation failure: order:0, nodemask=',
    '[ 1425.416984] Xorg cpuset=/ mems_allowed=0',
  ]);
  assert.equal(chopped.from, null);
  assert.deepEqual(chopped.out, [
    ['[ 1425.416979] Xorg: page allocation failure: order:0, nodemask=', 0, false],
    ['[ 1425.416984] Xorg cpuset=/ mems_allowed=0', 1, false],
  ]);
  // a buddy line wrapped after its `=` (extra 041): the next line has no `=` at all
  assert.equal(run(['Node 0 Normal: 12*256kB (UEH) 2*512kB (ME) 0*4096kB =', '460012kB\r']).from, null);
  // soft breaks alone are no evidence: each line is read as it is
  const zone = run([
    'DMA free:4116kB min:788kB low:984kB high:1180kB active_an=',
    'on:0kB inactive_anon:0kB unevictable:0=',
    'kB present:15984kB',
  ]);
  assert.equal(zone.from, null);
  assert.deepEqual(
    zone.out.map((o) => o[1]),
    [0, 1, 2],
  );
  // a soft break followed by a line with `=3D`: decoded from the soft break on
  const header = run([
    'Sometimes Xorg says =',
    "it can't allocate",
    '[ 1425.416979] Xorg: page allocation failure: order:0, mode:0x400d0(__GFP_I=',
    'O|__GFP_FS), nodemask=3D(null),cpuset=3D/,mems=',
    '_allowed=3D0',
  ]);
  assert.equal(header.from, 2);
  assert.deepEqual(header.out, [
    ['Sometimes Xorg says =', 0, false],
    ["it can't allocate", 1, false],
    [
      '[ 1425.416979] Xorg: page allocation failure: order:0, mode:0x400d0(__GFP_IO|__GFP_FS), nodemask=(null),cpuset=/,mems_allowed=0',
      2,
      true,
    ],
  ]);
  // `=3D` decides on its own line; what came before stays as it was
  const encoded = run(['Appendix:', 'Free swap  =3D 2094312kB']);
  assert.deepEqual(
    [encoded.from, encoded.out.map((o) => o[0])],
    [1, ['Appendix:', 'Free swap  = 2094312kB']],
  );
});

// A mail body: the header's order after a soft break, a counter and a zone value cut mid-number.
const BODY = [
  'OOMs:', // 0
  '[  100.000001] Xorg invoked oom-killer: gfp_mask=3D0x24200d4(GFP_USER|GF=', // 1
  'P_DMA32|__GFP_RECLAIMABLE), nodemask=3D0, order=3D0, oom_score_adj=3D0', // 2
  '[  100.000002] Xorg cpuset=3D/ mems_allowed=3D0', // 3
  '[  100.000003] CPU: 1 PID: 2746 Comm: Xorg Tainted: G     U     O    4.9=', // 4
  '=2E0 #1', // 5
  '[  100.000004] Mem-Info:', // 6
  '[  100.000005] active_anon:102497 inactive_anon:58398 isolated_anon:0 act=', // 7
  'ive_file:318087 inactive_file:180221 isolated_file:0', // 8
  '[  100.000006] DMA free:4116kB min:788kB low:984kB high:11=', // 9
  '80kB present:15984kB managed:15908kB', // 10
  '[  100.000007] lowmem_reserve[]: 0 833 3008 3008', // 11
  '[  100.000008] Free swap  =3D 2094312kB', // 12
  '[  100.000009] Total swap =3D 2096476kB', // 13
  '[  100.000010] 783948 pages RAM', // 14
  '[  100.000011] Killed process 2746 (Xorg) total-vm:421092kB, anon-rss:1=', // 15
  '23456kB, file-rss:0kB, shmem-rss:0kB', // 16
  '', // 17
].join('\n');

test('positions after a soft break point at the physical line and column of the text as it is', () => {
  const [r] = parseLog(BODY).reports;
  assert.deepEqual(
    [r.kind, r.line, r.pid, r.kernel, r.order, r.gfp?.raw],
    ['oom_kill', 1, 2746, '4.9.0', 0, '0x24200d4'],
  );
  const lines = BODY.split('\n');
  assert.deepEqual(r.orderRange, {
    startLine: 2,
    startChar: lines[2].indexOf('order='),
    endLine: 2,
    endChar: lines[2].indexOf('order=') + 'order=3D0'.length,
  });
  assert.equal(textAt(BODY, r.orderRange!), 'order=3D0');
  // the mode spans the soft break: from `gfp_mask=3D` on line 1 to its names' end on line 2
  assert.equal(textAt(BODY, r.gfpRange!), 'gfp_mask=3D0x24200d4(GFP_USER|GF=\nP_DMA32|__GFP_RECLAIMABLE)');
  const counter = r.counters.find((c) => c.name === 'active_file')!;
  assert.equal(counter.value, 318087);
  assert.deepEqual(counter.range, {
    startLine: 7,
    startChar: lines[7].indexOf('act='),
    endLine: 8,
    endChar: 15,
  });
  const [dma] = r.zones;
  assert.deepEqual([dma.zone, dma.line, dma.highKb, dma.presentKb], ['DMA', 9, 1180, 15984]);
  assert.deepEqual([dma.range.startLine, dma.range.endLine, dma.range.endChar], [9, 10, lines[10].length]);
  assert.deepEqual(r.killed && [r.killed.pid, r.killed.line, r.killed.anonRssKb], [2746, 15, 123456]);
  assert.equal(r.endLine, 16);
});

test('the CLI finds what the editor finds: an anchor word cut by a soft break, or encoded, far from any other anchor', () => {
  const body = [
    'Hi, the box died again; dmesg below (=3D excerpt):',
    ...NOISE,
    '[  500.000001] Xorg invoked oom-kill=',
    'er: gfp_mask=3D0x14200ca(GFP_HIGHUSER_MOVABLE), order=3D0, oom_score_adj=3D0',
    '[  500.000002] CPU: 1 PID: 2746 Comm: Xorg Not tainted 5.10.0 #1',
    ...NOISE,
    // `alloc` and `-` written as escapes: no anchor string on the line, only the decoding finds it
    '[  900.000001] swapper/0: page =61llocation failure: order:2, mode:0x20',
    '[  900.000002] CPU: 0 PID: 0 Comm: swapper Not tainted 2.6.32=2D5 #1',
    '',
  ].join('\n');
  const editor = parseLog(body);
  assert.equal(editor.quotedPrintableFrom, 0);
  const summary = (rs: Report[]) =>
    rs.map((r) => [r.kind, r.line, r.comm, r.pid, r.order, r.gfp?.raw ?? null]);
  assert.deepEqual(summary(editor.reports), [
    ['oom_kill', 401, 'Xorg', 2746, 0, '0x14200ca'],
    ['page_alloc_failure', 804, 'swapper/0', 0, 2, '0x20'],
  ]);
  assert.deepEqual(summary(scanned(body)), summary(editor.reports));
  // without the evidence on the first line, the soft break itself begins the decoding (next line
  // shaped, with `=3D`) and the encoded `alloc` 400 lines on is still read
  const late = body.replace('(=3D excerpt)', '(excerpt)');
  assert.equal(parseLog(late).quotedPrintableFrom, 401);
  assert.deepEqual(summary(scanned(late)), summary(parseLog(late).reports));
  assert.equal(parseLog(late).reports.length, 2);
});

test('a log without evidence reads as before: a chopped `nodemask=` line and a `=3D` in kernel text', () => {
  const log = [
    ...NOISE.slice(0, 20),
    '',
    'Xorg: page allocation failure: order:0, mode:0x400d0(__GFP_IO), nodemask=',
    'CPU: 1 PID: 1024 Comm: Xorg Not tainted 5.2.1 #74',
    '[ 1425.416990] pci 0000:00:02.0: reg=3D0 res=0x10',
    '',
  ].join('\n');
  const parsed = parseLog(log);
  assert.equal(parsed.quotedPrintableFrom, undefined);
  assert.deepEqual(
    parsed.reports.map((r) => [r.kind, r.line, r.order, r.pid, r.nodemask]),
    [['page_alloc_failure', 21, 0, 1024, null]],
  );
  assert.deepEqual(
    scanned(log).map((r) => [r.kind, r.line, r.order, r.pid, r.nodemask]),
    [['page_alloc_failure', 21, 0, 1024, null]],
  );
});

test('escape sequences inside an encoded line: removed first, positions still on the text as it is', () => {
  const coloured = BODY.replace('order=3D0', 'order=\x1b[1m3D\x1b[0m0');
  const [r] = parseLog(coloured).reports;
  assert.equal(r.order, 0);
  assert.equal(textAt(coloured, r.orderRange!), 'order=\x1b[1m3D\x1b[0m0');
});

test('decoding is linear and bounded: a million soft breaks make one capped line', () => {
  const text = '[ 1.0] x=3D1\n' + 'abcdefgh=\n'.repeat(1 << 20) + 'end\n';
  const parsed = parseLog(text);
  assert.equal(parsed.lineCount, (1 << 20) + 3);
  assert.equal(parsed.quotedPrintableFrom, 0);
});

test('an escaped UTF-8 character: a lead byte and its continuation bytes, each escaped', () => {
  assert.equal(holdsEscapedUtf8('> =C2=A0=C2=A0 [=C2=A0 739.193589] v4l2src0'), true); // U+00A0
  assert.equal(holdsEscapedUtf8('it=E2=80=99s'), true); // U+2019, three bytes
  assert.equal(holdsEscapedUtf8('=F0=9F=98=80'), true); // four bytes
  assert.equal(holdsEscapedUtf8('=E2=80 cut'), false); // a lead byte without all its continuations
  assert.equal(holdsEscapedUtf8('=C2 =A0'), false);
  assert.equal(holdsEscapedUtf8('uid=C2A0 pid=1234 =A0=A0'), false); // no lead, or no escape after it
  assert.equal(holdsEscapedUtf8('=C0=80'), false); // overlong lead bytes are no UTF-8
});

test('the decision looks back: an escaped UTF-8 line up to 3 lines before `=3D` begins the decoding', () => {
  const run = (lines: string[]) => {
    const out: [string, number][] = [];
    const body = new QuotedPrintableBody((text, line) => out.push([text, line]));
    lines.forEach((l, i) => body.push(l, i, null));
    body.end();
    return { out, from: body.from };
  };
  // a reflowed quote: the header soft-broken mid-word, its fields hard-broken onto the next `> `
  const reflowed = run([
    '> The error:',
    '> =C2=A0=C2=A0 [=C2=A0 812.004411] kworker/u8:3: page allocation fail=',
    'ure: order:3,',
    '> mode:0x820(GFP_ATOMIC), nodemask=3D(null),cpuset=3D/,mems_allowed=3D0',
  ]);
  assert.equal(reflowed.from, 1);
  assert.deepEqual(reflowed.out, [
    ['> The error:', 0],
    ['> \u00a0\u00a0 [\u00a0 812.004411] kworker/u8:3: page allocation failure: order:3,', 1],
    ['> mode:0x820(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0', 3],
  ]);
  // three lines between: beyond the lookbehind, read as it is
  const far = run(['> =C2=A0 a=', 'b', 'c', 'd', 'x=3Dy']);
  assert.equal(far.from, 4);
  assert.deepEqual(far.out, [
    ['> =C2=A0 a=', 0],
    ['b', 1],
    ['c', 2],
    ['d', 3],
    ['x=y', 4],
  ]);
  // a line no encoder writes (over 76 characters) between: the body begins after it
  const long = 'y'.repeat(80);
  assert.equal(run(['> =C2=A0 a', long, 'x=3Dy']).from, 2);
  // a soft break alone still reaches back one line only (the decision test above)
  assert.equal(run(['says =', 'more', 'z=', 'x=3Dy']).from, 2);
});

test('a reflowed, NBSP-indented quote in a mail body: the header is read across its soft and hard breaks, by the editor and the CLI alike', () => {
  const body = [
    'Hi=C2=A0all,', // an escaped UTF-8 character far from any `=3D`: no evidence by itself
    ...NOISE,
    '> =C2=A0=C2=A0 [=C2=A0 812.004411] kworker/u8:3: page allocation fail=', // 401
    'ure: order:3,',
    '> mode:0x820(GFP_ATOMIC), nodemask=3D(null),cpuset=3D/,mems_allowed=3D0',
    '> =C2=A0=C2=A0 [=C2=A0 812.004420] CPU: 2 UID: 0 PID: 88 Comm: kwo=',
    'rker/u8:3 Not tainted 6.12.0 #1',
    '> =C2=A0=C2=A0 [=C2=A0 812.004430] Call Trace:',
    '> =C2=A0=C2=A0 [=C2=A0 812.004431]=C2=A0 dump_stack_lvl+0x5d/0x80',
    '> =C2=A0=C2=A0 [=C2=A0 812.004432]=C2=A0 warn_alloc+0x162/0x190',
    '> =C2=A0=C2=A0 [=C2=A0 812.004500] Mem-Info:',
    '> =C2=A0=C2=A0 [=C2=A0 812.004510] Node 0 DMA32 free:14880kB boost:0kB mi=', // 410
    'n:5572kB low:6000kB high:6428kB present:274348kB managed:200080kB',
    '> =C2=A0=C2=A0 [=C2=A0 812.004511] lowmem_reserve[]:=C2=A00 0 0 0 0',
    '',
  ];
  assert.ok(body.slice(401).every(isQuotedPrintableShaped));
  const text = body.join('\n');
  const editor = parseLog(text);
  assert.equal(editor.quotedPrintableFrom, 401);
  const summary = (rs: Report[]) =>
    rs.map((r) => [
      r.kind,
      r.line,
      r.comm,
      r.pid,
      r.kernel,
      r.order,
      r.gfp,
      r.nodemask,
      r.cpuset,
      r.memsAllowed,
      r.headerCut,
      r.zones.map((z) => [z.zone, z.line, z.freeKb, z.minKb, z.lowKb, z.highKb, z.presentKb, z.managedKb]),
      r.zones.map((z) => z.lowmemReserve),
    ]);
  assert.deepEqual(summary(editor.reports), [
    [
      'page_alloc_failure',
      401,
      'kworker/u8:3',
      88,
      '6.12.0',
      3,
      { raw: '0x820', printed: 'GFP_ATOMIC' },
      '(null)',
      '/',
      '0',
      null,
      [['DMA32', 410, 14880, 5572, 6000, 6428, 274348, 200080]],
      [[0, 0, 0, 0, 0]],
    ],
  ]);
  // `order:3` stands on the soft break's continuation line, `mode:` on the next quoted line
  const r = editor.reports[0];
  assert.deepEqual([r.orderRange?.startLine, r.orderRange?.startChar], [402, 'ure: '.length]);
  assert.deepEqual([r.gfpRange?.startLine, r.gfpRange?.startChar], [403, '> '.length]);
  assert.deepEqual(summary(scanned(text)), summary(editor.reports));
});
