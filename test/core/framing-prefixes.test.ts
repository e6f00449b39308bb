// The syslog prefixes of issue #18 (framing.ts FACILITY_PRIORITY and SYSLOG_ONE_FIELD): the record's
// `<facility.severity>` before the host (BSD syslogd -vv), after it (rsyslog / syslog-ng templates)
// or without a host, and a host with no program tag (`mysrv: `). Each is read as a prefix only in
// its whole shape at the start of a line: text with colons in it stays text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFraming } from '../../server/src/core/framing';

/** [framing, time, host, isKernel, payload] of a line. */
function framed(line: string): [string | null, string | null, string | null, boolean, string] {
  const f = readFraming(line);
  return [f.framing, f.time, f.host, f.isKernel, line.slice(f.payloadStart, f.payloadEnd)];
}

test('<facility.severity>: after the host, before it (BSD syslogd -vv, -v), without a host', () => {
  const cases: [string, string | null][] = [
    ['Apr 01 14:13:32 mysrv <kern.warning> kernel: Mem-Info:', 'mysrv'],
    ['Apr 01 14:13:32 mysrv <kern.warning> kernel:Mem-Info:', 'mysrv'],
    ['Apr 01 14:13:32 <kern.warn> mysrv kernel: Mem-Info:', 'mysrv'],
    ['Apr 01 14:13:32 <0.4> mysrv kernel: Mem-Info:', 'mysrv'],
    ['Apr  1 14:13:32 mysrv <kern.err> kernel[0]: Mem-Info:', 'mysrv'],
    ['Apr 01 14:13:32 <kern.warning> kernel: Mem-Info:', null],
    ['Apr 01 14:13:32 <kern.warning> kernel:Mem-Info:', null],
  ];
  for (const [line, host] of cases) {
    const time = line.startsWith('Apr  1') ? 'Apr  1 14:13:32' : 'Apr 01 14:13:32';
    assert.deepEqual(framed(line), ['syslog', time, host, true, 'Mem-Info:'], line);
  }
  // another program's record with its facility: framed, not the kernel's
  assert.deepEqual(framed('Apr 01 14:13:32 mysrv <daemon.info> sshd[812]: Accepted key')[3], false);
  assert.deepEqual(framed('Apr 01 14:13:32 <auth.notice> mysrv sshd: Accepted key')[3], false);
});

test('a host with no program tag: `Apr 01 14:13:32 mysrv: ` is the prefix, the rest the kernel text', () => {
  for (const [line, host, text] of [
    ['Apr 01 14:13:32 mysrv: Mem-Info:', 'mysrv', 'Mem-Info:'],
    ['Apr 01 14:13:32 mysrv: CPU: 3 PID: 473206 Comm: doxygen', 'mysrv', 'CPU: 3 PID: 473206 Comm: doxygen'],
    [
      'Apr 01 14:13:32 mysrv: kworker/0:2 invoked oom-killer: order=-1',
      'mysrv',
      'kworker/0:2 invoked oom-killer: order=-1',
    ],
    [
      'Apr  1 14:13:32 db-01.example.com: Node 0 DMA: 1*4kB (U) = 4kB',
      'db-01.example.com',
      'Node 0 DMA: 1*4kB (U) = 4kB',
    ],
    ['Apr 01 14:13:32 <kern.warning> mysrv: Mem-Info:', 'mysrv', 'Mem-Info:'],
  ] as const) {
    const f = framed(line);
    assert.deepEqual([f[0], f[2], f[3], f[4]], ['syslog', host, true, text], line);
  }
});

test('ordinary text with colons is no prefix', () => {
  // a program's tag after the host, with or without a pid: the record is that program's
  assert.deepEqual(framed('Apr 01 14:13:32 mysrv sshd: Accepted password for root')[3], false);
  assert.deepEqual(framed('Apr 01 14:13:32 mysrv sshd[12]: Accepted password')[3], false);
  // kernel lines without a prefix keep every character
  for (const line of [
    'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)',
    'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom',
    'Out of memory: Killed process 651 (unattended-upgr) total-vm:108020kB',
    'Node 0 DMA: 1*4kB (U) 1*8kB (U) = 15036kB',
    'lowmem_reserve[]: 0 1893 1893 1893 1893',
    'Workqueue: events moom_callback',
  ])
    assert.deepEqual(framed(line), [null, null, null, true, line], line);
  // angle brackets that are no facility.severity: no prefix is read from them
  const html = 'Apr 01 14:13:32 mysrv <b>bold</b> kernel: Mem-Info:';
  assert.notEqual(framed(html)[4], 'Mem-Info:');
  // only the line's start is a prefix: a stamp and host inside the text stay text
  assert.deepEqual(
    framed('Apr 01 14:13:32 mysrv kernel: Apr 02 10:00:00 other: x')[4],
    'Apr 02 10:00:00 other: x',
  );
  assert.deepEqual(framed('[    1.000000] mysrv: x'), ['raw-dmesg', '1.000000', null, true, 'mysrv: x']);
});

test('every line of a report so framed reads alike: OOMAnalyser test.py prefixes on the ArchLinux example', () => {
  const lines = readFileSync(join('test', 'fixtures', 'oomanalyser', 'example_archlinux_6_1_1.log'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  for (const prefix of [
    'Apr 01 14:13:32 mysrv: ',
    'Apr 01 14:13:32 mysrv <kern.warning> kernel: ',
    'Apr 01 14:13:32 mysrv <kern.warning> kernel:',
  ])
    for (const line of lines) {
      // after `kernel:` with no space of its own, a space the kernel printed (` <TASK>`, ` active_file:`)
      // is read as the separator syslog writes after the tag, as in `kernel: <TASK>`
      const text = prefix.endsWith(':') ? line.replace(/^ /, '') : line;
      assert.deepEqual(
        framed(prefix + line),
        ['syslog', 'Apr 01 14:13:32', 'mysrv', true, text],
        prefix + line,
      );
    }
});

// OOMAnalyser test.py test_030_OOMEntity_number_of_columns_to_strip and
// test_031_OOMEntity_remove_kernel_colon: the peer strips columns up to `CPU:` and deletes every
// `kernel:`; klens reads one prefix per line and leaves the kernel's text whole.
test("the peer's column-stripping unit inputs: the text after the prefix is the kernel's", () => {
  const cases: [string, [string | null, string | null, string | null, boolean, string]][] = [
    [
      '[11686.888109] CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      [
        'raw-dmesg',
        '11686.888109',
        null,
        true,
        'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      ],
    ],
    [
      'Apr 01 14:13:32 mysrv kernel: CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      [
        'syslog',
        'Apr 01 14:13:32',
        'mysrv',
        true,
        'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      ],
    ],
    [
      'Apr 01 14:13:32 mysrv kernel: [11686.888109] CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      [
        'syslog',
        'Apr 01 14:13:32',
        'mysrv',
        true,
        'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
      ],
    ],
    [
      'Apr 01 14:13:32 mysrv kernel:CPU: 4 PID: 29481 Comm: sed',
      ['syslog', 'Apr 01 14:13:32', 'mysrv', true, 'CPU: 4 PID: 29481 Comm: sed'],
    ],
    [
      'Apr 01 14:13:32 mysrv kernel:[11686.888109] Out of memory',
      ['syslog', 'Apr 01 14:13:32', 'mysrv', true, 'Out of memory'],
    ],
    // the peer deletes both `kernel:`; only the first is a prefix (the tag), the second is text
    [
      'kernel:kernel: This is unusual but possible',
      ['syslog', null, null, true, 'kernel: This is unusual but possible'],
    ],
  ];
  for (const [line, want] of cases) assert.deepEqual(framed(line), want, line);
});
