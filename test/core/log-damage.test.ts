// Damage and framings of real logs that lost reports (project issue #12), each from the format of
// the tool or kernel patch that produced it: a vendor printk's `[cpu: comm:pid]` prefix, journalctl
// dates in the user's locale, NO-BREAK SPACEs from mail clients, a program's console output glued
// before the kernel's header, and two syslog records on one physical line. The real logs are in
// test/fixtures/extra (044–046); these are the variants they lack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMBEDDED_SYSLOG, readFraming } from '../../server/src/core/framing';
import { TASK_COMM_MAX } from '../../server/src/core/formats';
import { parseLog } from '../../server/src/core/parse';
import { growth } from './linear-time';

/** The payload readFraming finds on a line. */
const payload = (line: string): string => {
  const f = readFraming(line);
  return line.slice(f.payloadStart, f.payloadEnd);
};

const ZONE =
  'Normal free:10908kB min:6192kB low:44388kB high:47060kB active_anon:409160kB present:3076096kB managed:2673676kB';

// ---- Vendor printk process prefix (Samsung CONFIG_PRINTK_PROCESS: "%c[%1d:%15s:%5d]") -------------

test('vendor printk prefix: `[cpu: comm:pid]` after the stamp is framing, in every placement', () => {
  // 4.14 Samsung: print_time's own trailing space, then ' ' (not in interrupt) and the prefix
  const old = readFraming('<4>[ 6207.637280]  [3:  Binder:9343_3:22875] Mem-Info:');
  assert.deepEqual([old.framing, old.time], ['kmsg', '6207.637280']);
  assert.equal(payload('<4>[ 6207.637280]  [3:  Binder:9343_3:22875] Mem-Info:'), 'Mem-Info:');
  // the comm right-aligned in 15 columns, the pid in 5
  assert.equal(payload('<6>[  156.701551]  [4:        kswapd0: 1209] kswapd0 cpuset=/'), 'kswapd0 cpuset=/');
  // the LKML patch's form (one space from printk after the prefix), and 'I' in interrupt
  assert.equal(
    payload('[    0.059580] [0:      swapper/0:    1] CPU: All CPU(s) started'),
    'CPU: All CPU(s) started',
  );
  assert.equal(payload('[   12.000001]I[7:    ksoftirqd/7:   52] Mem-Info:'), 'Mem-Info:');
  assert.equal(payload('[   12.000001] I[7:    ksoftirqd/7:   52] Mem-Info:'), 'Mem-Info:');
  // after the caller id (Android GKI prints the caller first), a 7-digit pid, two-digit cpu
  const gki = readFraming('[  100.000000][  T184] [5:  kworker/u16:1:  184] Mem-Info:');
  assert.equal(gki.caller, 'T184');
  assert.equal(payload('[  100.000000][  T184] [5:  kworker/u16:1:  184] Mem-Info:'), 'Mem-Info:');
  assert.equal(payload('[  100.000000] [12:      CPU 0/KVM:4194303] Mem-Info:'), 'Mem-Info:');
  // the kernel's own leading space stays (Mem-Info summary continuation lines)
  assert.equal(
    payload('<4>[ 6207.637595]  [3:  Binder:9343_3:22875]  active_file:59102 inactive_file:68924'),
    ' active_file:59102 inactive_file:68924',
  );
  // brackets of the kernel's own text are not a prefix
  assert.equal(payload('[  100.000000] [drm:intel_foo] *ERROR* x'), '[drm:intel_foo] *ERROR* x');
  assert.equal(payload('[  100.000000] [03-19 10:05:52.172] Mem-Info:'), 'Mem-Info:');
});

test('vendor printk prefix: a report under it reads as the kernel printed it (comm from the header)', () => {
  const p = (comm: string, pid: string, t: string): string => `<4>[ ${t}]  [3:${comm}:${pid}] `;
  const binder = (t: string): string => p('  Binder:9343_3', '22875', t);
  const kswapd = (t: string): string => p('        kswapd0', ' 1209', t);
  const text = [
    `${binder('6207.637280')}Binder:9343_3: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC), nodemask=(null)`,
    `${binder('6207.637311')}Call trace:`,
    `${binder('6207.637356')}[<ffffff8008223320>] warn_alloc+0xd8/0x12c`,
    `${binder('6207.637569')}Mem-Info:`,
    `${binder('6207.637595')}active_anon:102061 inactive_anon:81551 isolated_anon:0`,
    `${binder('6207.637595')} free:2727 free_pcp:1035 free_cma:178`,
    `${binder('6207.637627')}${ZONE}`,
    `${binder('6207.637632')}lowmem_reserve[]: 0 0`,
    `${binder('6207.637637')}Normal: 505*4kB (H) 357*8kB (H) = 4876kB`,
    `${binder('6207.637668')}Swap cache stats: add 8273090, delete 8267506, find 1004381/4060142`,
    '',
    `<6>[  156.701551]  [4:        kswapd0: 1209] kswapd0 cpuset=/ mems_allowed=0`,
    `${kswapd('156.701563')}CPU: 4 PID: 1209 Comm: kswapd0 Tainted: G        W       4.14.113-18113966 #1`,
    `${kswapd('156.701689')}Mem-Info:`,
    `${kswapd('156.701712')}active_anon:88690 inactive_anon:88630 isolated_anon:0`,
    `${kswapd('156.701738')}Normal free:9956kB min:7428kB low:93440kB high:97032kB present:4081664kB managed:3593324kB`,
    `${kswapd('156.701741')}lowmem_reserve[]: 0 0`,
  ].join('\n');
  const reports = parseLog(text).reports;
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.comm, r.order, r.gfp?.raw ?? null, r.time]),
    [
      ['page_alloc_failure', 0, 'Binder:9343_3', 0, '0x480020', '6207.637280'],
      // kswapd0's cpuset and task lines come after the Binder report's dump, so they are not its
      // (warn_alloc prints dump_stack before show_mem): they begin the header-less dump (#13 audit D30)
      ['show_mem', 11, 'kswapd0', null, null, '156.701551'],
    ],
  );
  assert.deepEqual([reports[0].pid, reports[1].pid], [null, 1209]);
  const zone = reports[0].zones[0];
  assert.deepEqual(
    [zone.zone, zone.line, zone.freeKb, zone.minKb, zone.lowKb, zone.highKb, zone.managedKb],
    ['Normal', 6, 10908, 6192, 44388, 47060, 2673676],
  );
  assert.deepEqual(zone.lowmemReserve, [0, 0]);
  // the zone line's range starts where the kernel's text does, after the prefix
  assert.equal(zone.range.startChar, binder('6207.637627').length);
  assert.deepEqual([reports[1].zones[0].line, reports[1].zones[0].freeKb], [15, 9956]);
});

// ---- journalctl -o short dates in the user's LC_TIME (strftime "%b %d %H:%M:%S") -------------------

test('localized months: the syslog-style prefix is read with any locale abbreviation of the month', () => {
  const cases: [string, string][] = [
    ['июл 24 01:20:00 PC kernel: Mem-Info:', 'июл 24 01:20:00'], // ru_RU
    ['Mär 06 13:01:42 p14s kernel: Mem-Info:', 'Mär 06 13:01:42'], // de_DE
    ['mars 06 13:01:42 myhost kernel: Mem-Info:', 'mars 06 13:01:42'], // fr_FR
    ['juil. 24 01:20:00 myhost kernel: Mem-Info:', 'juil. 24 01:20:00'], // fr_FR, with its dot
    ['maalis 06 13:01:42 myhost kernel: Mem-Info:', 'maalis 06 13:01:42'], // fi_FI
    ['Ιουλ 24 01:20:00 myhost kernel: Mem-Info:', 'Ιουλ 24 01:20:00'], // el_GR
    ['7月 24 01:20:00 myhost kernel: Mem-Info:', '7月 24 01:20:00'], // zh_CN
    [' 7月 24 01:20:00 myhost kernel: Mem-Info:', '7月 24 01:20:00'], // ja_JP: abmon " 7月"
    ['12월 24 01:20:00 myhost kernel: Mem-Info:', '12월 24 01:20:00'], // ko_KR
    ['мая 06 13:01:42.123456 myhost kernel: Mem-Info:', 'мая 06 13:01:42.123456'], // short-precise
    ['Mär 06 13:01:42 kernel: Mem-Info:', 'Mär 06 13:01:42'], // --no-hostname
  ];
  for (const [line, time] of cases) {
    const f = readFraming(line);
    assert.deepEqual([f.framing, f.time, f.isKernel], ['syslog', time, true], line);
    assert.equal(line.slice(f.payloadStart), 'Mem-Info:', line);
  }
  assert.equal(readFraming('июл 24 01:20:00 PC kernel: Mem-Info:').host, 'PC');
  // another program's record: framed (so never taken for a wrap of a kernel line), not the kernel's
  const other = readFraming('июл 24 01:20:00 PC systemd[1]: Started Session 3 of user u.');
  assert.deepEqual([other.framing, other.isKernel], ['syslog', false]);
  // an editor's line number and indentation before a localized prefix
  assert.equal(payload('12 июл 24 01:20:00 PC kernel: Mem-Info:'), 'Mem-Info:');
  assert.equal(payload('    Mär 06 13:01:42 p14s kernel: Mem-Info:'), 'Mem-Info:');
});

test('localized months: ordinary text without the whole prefix shape is not framed', () => {
  for (const line of [
    'Mär 06 13:01 p14s kernel: Mem-Info:', // no seconds
    'Am 24 Juli um 01:20:00 host kernel: x', // words between
    'gestern 24 01:20:00', // no host and tag
    'Thg 7 24 01:20:00 myhost kernel: x', // vi_VN's two-word month is not read
    'active_anon:88690 inactive_anon:88630 isolated_anon:0',
    ' dump_stack+0x6e/0x8c',
  ]) {
    const f = readFraming(line);
    assert.deepEqual([f.framing, f.payloadStart], [null, 0], line);
  }
});

test('localized months: a German journal of OOM headers gives one report per header', () => {
  const text = [
    '````',
    'Mär 06 13:01:42 p14s kernel: htop invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    'Mär 06 13:02:19 p14s kernel: sound_pulseaudi invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    'Mär 06 13:02:23 p14s systemd[1]: user@1000.service: A process of this unit has been killed by the OOM killer.',
    'Mär 06 13:02:23 p14s kernel: systemd-journal invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=-250',
    '````',
  ].join('\n');
  const parsed = parseLog(text);
  assert.deepEqual(
    parsed.reports.map((r) => [r.line, r.comm, r.order, r.gfp?.raw ?? null, r.oomScoreAdj, r.host, r.time]),
    [
      [1, 'htop', 0, '0x140cca', 0, 'p14s', 'Mär 06 13:01:42'],
      [2, 'sound_pulseaudi', 0, '0x140cca', 0, 'p14s', 'Mär 06 13:02:19'],
      [4, 'systemd-journal', 0, '0x140cca', -250, 'p14s', 'Mär 06 13:02:23'],
    ],
  );
  assert.equal(parsed.framing, 'syslog');
});

// ---- NO-BREAK SPACE from mail clients -----------------------------------------------------------------

test('NBSP indentation: U+00A0 reads as a space, columns stay those of the document', () => {
  const nb = '\u00a0';
  const header = `> ${nb}${nb}${nb} [${nb} 739.193589] v4l2src0:src: page allocation failure: order:5,`;
  const text = [
    '> The specific error is:',
    '>',
    header,
    '> mode:0xcc4(GFP_KERNEL|GFP_DMA32), nodemask=(null),cpuset=/,mems_allowed=0',
    `> ${nb}${nb}${nb} [${nb} 739.193645] CPU: 0 UID: 1000 PID: 1305 Comm: v4l2src0:src Not tainted 7.0.0-rc4 #1`,
    `> ${nb}${nb}${nb} [${nb} 739.193649] Call Trace:`,
    `> ${nb}${nb}${nb} [${nb} 739.193652]${nb} <TASK>`,
    `> ${nb}${nb}${nb} [${nb} 739.193656]${nb} dump_stack_lvl+0x5d/0x80`,
    `> ${nb}${nb}${nb} [${nb} 739.193661]${nb} warn_alloc+0x162/0x190`,
    `> ${nb}${nb}${nb} [${nb} 739.193700] Mem-Info:`,
    `> ${nb}${nb}${nb} [${nb} 739.193800] Node 0 DMA32 free:14880kB boost:0kB min:5572kB low:6000kB high:6428kB present:274348kB managed:200080kB`,
    `> ${nb}${nb}${nb} [${nb} 739.193801] lowmem_reserve[]:${nb}0 0 0 0 0`,
  ].join('\n');
  const reports = parseLog(text).reports;
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.comm, r.order, r.gfp?.raw ?? null, r.pid, r.time]),
    [['page_alloc_failure', 2, 'v4l2src0:src', 5, '0xcc4', 1305, '739.193589']],
  );
  const r = reports[0];
  assert.deepEqual(
    r.callTrace.map((f) => f.function),
    ['dump_stack_lvl', 'warn_alloc'],
  );
  assert.equal(r.headerRange.startChar, header.indexOf('v4l2src0'));
  assert.deepEqual([r.orderRange?.startLine, r.orderRange?.startChar], [2, header.indexOf('order:5')]);
  const zone = r.zones[0];
  assert.deepEqual(
    [zone.zone, zone.line, zone.freeKb, zone.minKb, zone.lowKb, zone.highKb, zone.presentKb, zone.managedKb],
    ['DMA32', 10, 14880, 5572, 6000, 6428, 274348, 200080],
  );
  assert.deepEqual(zone.lowmemReserve, [0, 0, 0, 0, 0]);
});

// ---- A program's console output glued before the kernel's header ---------------------------------

test('glued console text: the header is read; the task line tells where its comm begins', () => {
  // current->comm is at most TASK_COMM_LEN - 1 = 15 bytes: a longer text before the message is not
  // all comm, and dump_stack's task line names the task
  assert.equal(TASK_COMM_MAX, 15);
  const status = '[Playing  (List Repeated)][Vol=01][00:02:54/00:04:07]';
  const glued = [
    'fsl_player_play()',
    `${status}swapper/0: page allocation failure: order:0, mode:0x200020`,
    'CPU: 0 PID: 0 Comm: swapper/0 Not tainted 3.10.53-1.1.0_ga+g67f859d #1',
    '[<80013b00>] (unwind_backtrace+0x0/0xf4) from [<80011524>] (show_stack+0x10/0x14)',
  ].join('\n');
  const r = parseLog(glued).reports;
  assert.deepEqual(
    r.map((x) => [x.kind, x.line, x.comm, x.order, x.gfp?.raw ?? null, x.pid, x.cpu]),
    [['page_alloc_failure', 1, 'swapper/0', 0, '0x200020', 0, 0]],
  );
  assert.equal(r[0].headerRange.startChar, 0);
  // a comm with a blank after other text: only the task line can tell where it starts
  const header =
    'login: root logged in CPU 0/KVM: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)';
  const withTask = `${header}\nCPU: 3 PID: 7 Comm: CPU 0/KVM Not tainted 6.1.0 #1\n`;
  assert.deepEqual(
    parseLog(withTask).reports.map((x) => [x.comm, x.order, x.gfp?.raw ?? null, x.pid]),
    [['CPU 0/KVM', 2, '0x40cc0', 7]],
  );
  // without a task line, or with one naming a task the text does not end with, nothing is guessed:
  // the text stays as printed
  assert.equal(parseLog(header).reports[0].comm, 'login: root logged in CPU 0/KVM');
  const other = `${status}kswapd0 invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\nCPU: 3 PID: 7 Comm: bash Not tainted 6.1.0 #1\n`;
  assert.equal(parseLog(other).reports[0].comm, `${status}kswapd0`);
  // 15 characters can be a whole comm: the task line does not shorten it
  const whole =
    'sound_pulseaudi invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\nCPU: 3 PID: 7 Comm: pulseaudi Not tainted 6.1.0 #1\n';
  assert.equal(parseLog(whole).reports[0].comm, 'sound_pulseaudi');
});

// ---- Two syslog records on one physical line ---------------------------------------------------------

test('two syslog records on one line: the second record is split off at its own prefix', () => {
  const text = [
    'Nov  2 11:52:12 slesk kernel: oom-killer: gfp_mask=0x201d2, order=0',
    'Nov  2 11:52:13 slesk kernel:  [<c01447f6>] out_of_memory+0x25/0x13f',
    'Nov  2 11:52:13 slesk kernel:  [<c011ad45>] __wake_up+0x2a/0x3d Nov  2 11:52:14 slesk kernel: oom-killer: gfp_mask=0x200d2, order=0',
    'Nov  2 11:52:14 slesk kernel:  [<c01447f6>] out_of_memory+0x25/0x13f Nov  2 11:52:14 slesk kernel:  [<c0143f8c>] filemap_nopage+0x14f/0x2f7',
  ].join('\n');
  const reports = parseLog(text).reports;
  assert.deepEqual(
    reports.map((r) => [r.kind, r.line, r.comm, r.order, r.gfp?.raw ?? null, r.time, r.host]),
    [
      ['oom_kill', 0, null, 0, '0x201d2', 'Nov  2 11:52:12', 'slesk'],
      ['oom_kill', 2, null, 0, '0x200d2', 'Nov  2 11:52:14', 'slesk'],
    ],
  );
  const line2 = text.split('\n')[2];
  assert.equal(reports[1].headerRange.startChar, line2.indexOf('oom-killer: gfp_mask=0x200d2'));
  assert.deepEqual(
    reports[1].callTrace.map((f) => f.function),
    ['out_of_memory', 'filemap_nopage'],
  );
});

test('two syslog records on one line: only a whole prefix of the same host with the kernel tag splits', () => {
  const parsedOther = parseLog(
    'Nov  2 11:52:12 slesk kernel: oom-killer: gfp_mask=0x201d2, order=0 Nov  2 11:52:13 other kernel: oom-killer: gfp_mask=0x200d2, order=0',
  );
  assert.equal(parsedOther.reports.length, 1);
  const daemon = parseLog(
    'Nov  2 11:52:12 slesk kernel: oom-killer: gfp_mask=0x201d2, order=0 Nov  2 11:52:13 slesk sshd[4]: oom-killer: gfp_mask=0x200d2, order=0',
  );
  assert.equal(daemon.reports.length, 1);
  // localized journals split the same way
  const ru = parseLog(
    'июл 24 01:20:00 PC kernel:  dump_stack+0x6e/0x8c июл 24 01:20:01 PC kernel: bash invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
  );
  assert.deepEqual(
    ru.reports.map((r) => [r.comm, r.time]),
    [['bash', 'июл 24 01:20:01']],
  );
  EMBEDDED_SYSLOG.lastIndex = 0;
  assert.equal(EMBEDDED_SYSLOG.exec(' Nov  2 11:52:13 slesk kernel: x')?.[2], 'slesk');
});

test('a frame cut twice by wraps is placed where its function begins', () => {
  // fixtures added to test/fixtures/extra gave the fuzzer (seed 20260410) a frame whose `? `, the
  // first letter of its function and the rest stood on three physical lines
  const head = 'Sep  9 15:12:41 h kernel: x: page allocation failure: order:0, mode:0x20';
  const cut = parseLog(
    `${head}\nSep  9 15:12:41 h kernel:  [<c0143f8c>] ?\nget_page_\rfrom_freelist+0x4/0xa`,
  );
  assert.deepEqual(
    cut.reports[0].callTrace.map((f) => [f.function, f.line, f.unreliable]),
    [['get_page_from_freelist', 2, true]],
  );
  // a whole function after a `? ` that ends the line: the frame stays on the marker's line
  const whole = parseLog(
    `${head}\nSep  9 15:12:41 h kernel:  [<c0143f8c>] ?\nget_page_from_freelist+0x4/0xa`,
  );
  assert.deepEqual(
    whole.reports[0].callTrace.map((f) => [f.function, f.line]),
    [['get_page_from_freelist', 1]],
  );
});

// ---- Linear time -------------------------------------------------------------------------------------

test('near-prefixes repeated along a long line are read in linear time', () => {
  const cases: [string, (n: number) => string][] = [
    [
      'syslog stamps of one host',
      (n) => `Nov  2 11:52:12 h kernel: x${' Nov  2 11:52:13 h kernel:'.repeat(n / 26)}`,
    ],
    ['stamps without a tag', (n) => `Nov  2 11:52:12 h kernel: x${' Nov  2 11:52:13 h'.repeat(n / 18)}`],
    ['month words', (n) => `Mär 06 13:01:42 h kernel: ${'Mär 06 '.repeat(n / 7)}`],
    ['process prefixes', (n) => `[ 1.000000]  [3:${'  Binder:9343_3:2287'.repeat(n / 20)}`],
  ];
  for (const [name, make] of cases) {
    // lines stay below the 16 KiB cut (lines.ts MAX_LOGICAL_LENGTH); many parses make each time
    // long enough to measure
    const ratio = growth(make, 3000, (t) => {
      for (let i = 0; i < 100; i++) parseLog(t);
    });
    assert.ok(ratio < 8, `${name}: ${ratio.toFixed(1)}×`);
  }
});
