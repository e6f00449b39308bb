import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAMINGS, STAMPS, readFraming } from '../../server/src/core/framing';
import { readsAlone } from '../../server/src/core/lines';

// Each framing is a row (FRAMINGS, STAMPS in framing.ts) with a sample line whose text is
// `Mem-Info:`: the sample must be read as that row's framing, with the text found after the prefix.

test('every framing row reads its own sample', () => {
  for (const row of FRAMINGS) {
    const framed = readFraming(row.sample);
    assert.equal(framed.framing, row.framing, row.sample);
    assert.equal(row.sample.slice(framed.payloadStart, framed.payloadEnd), 'Mem-Info:', row.sample);
    assert.equal(framed.isKernel, true, row.sample);
    if (row.host !== undefined) assert.equal(framed.host, 'myhost', row.sample);
    if (row.time !== undefined)
      assert.ok(framed.time !== null && row.sample.includes(framed.time), row.sample);
  }
  for (const row of STAMPS) {
    const framed = readFraming(row.sample);
    assert.equal(framed.framing, row.framing, row.sample);
    assert.equal(row.sample.slice(framed.payloadStart), 'Mem-Info:', row.sample);
  }
});

test('framing rows: times, hosts and tags as printed', () => {
  assert.deepEqual(
    FRAMINGS.map((row) => {
      const f = readFraming(row.sample);
      return [f.framing, f.time, f.host];
    }),
    [
      ['kmsg', '5678901', null],
      ['rfc5424', '2019-04-28T05:30:51.0Z', 'myhost'],
      ['kmsg', null, null],
      ['dmesg-x', null, null],
      ['syslog', 'Apr 28 05:30:51', 'myhost'],
      ['syslog', 'Apr 28 05:30:51', 'myhost'],
      ['syslog', 'Sat 2023-06-17 20:58:25 UTC', 'myhost'],
      ['syslog', '2019-04-28T05:30:51.123456+00:00', 'myhost'],
      ['syslog', '1687035505.123456', 'myhost'],
      ['journalctl', '[  123.456789]', 'myhost'],
      ['logcat', '06-03 13:29:12.999', null],
      ['logcat', '06-03 13:29:12.999', null],
      ['logcat', null, null],
      ['logcat', null, null],
      ['syslog', null, null],
    ],
  );
  assert.deepEqual(
    STAMPS.map((row) => readFraming(row.sample).time),
    ['123.456789', '+0.000004', 'Sat Jun 17 20:58:25 2023'],
  );
  // the one-field row's other form: the kernel's tag and no host (its sample is the host without a tag)
  const noHost = readFraming('Apr 28 05:30:51 kernel: Mem-Info:');
  assert.deepEqual(
    [noHost.framing, noHost.time, noHost.host, noHost.payloadStart],
    ['syslog', 'Apr 28 05:30:51', null, 24],
  );
  // a level before syslog, dmesg -x's facility before the kernel's stamp: `more` rows go on
  const leveled = readFraming('<4>Apr 28 05:30:51 myhost kernel: Mem-Info:');
  assert.deepEqual([leveled.framing, leveled.host, leveled.payloadStart], ['syslog', 'myhost', 34]);
  const x = readFraming('kern  :warn  : [  123.456789] Mem-Info:');
  assert.deepEqual([x.framing, x.time], ['dmesg-x', '123.456789']);
  // another program's tag: framed, but not the kernel's; journalctl's monotonic form only counts
  // with the kernel's tag
  assert.equal(readFraming('Apr 28 05:30:51 myhost sshd[12]: Mem-Info:').isKernel, false);
  assert.equal(readFraming('[  123.456789] myhost sshd: Mem-Info:').framing, 'raw-dmesg');
});

test('readsAlone: no-break spaces read as spaces, as the assembler reads them', () => {
  for (const line of ['    [  739.193589] Mem-Info:', '> \t[  739.1] Mem-Info:', '   ', ' Mem-Info:'])
    assert.equal(readsAlone(line.replace(/ /g, '\u00a0')), readsAlone(line), JSON.stringify(line));
  assert.equal(readsAlone('\u00a0\u00a0\u00a0'), true);
});

test('readsAlone: framed and blank lines, as the assembler reads them', () => {
  for (const row of [...FRAMINGS, ...STAMPS]) assert.equal(readsAlone(row.sample), true, row.sample);
  for (const line of ['', '   ', '\t\r', '\x1b[0m', ' \x1b[K '])
    assert.equal(readsAlone(line), true, JSON.stringify(line));
  // framing hidden by a colour or a `\r\n` is still framing; a lone `\r` ends the line it looks at
  assert.equal(readsAlone('\x1b[32m[  12.345678]\x1b[0m Mem-Info:'), true);
  assert.equal(readsAlone('[  12.345678] Mem-Info:\r'), true);
  assert.equal(readsAlone('Mem-Info:\r[  12.345678] Normal free:1kB'), false);
  assert.equal(readsAlone('[  12.345678] Mem-Info:\rNormal free:1kB'), true);
  // unframed text: a wrap, an aligned continuation or a bare line, depending on the lines before
  for (const line of [
    'Mem-Info:',
    ' active_file:18955 inactive_file:14809',
    '                               TDH <0>',
  ])
    assert.equal(readsAlone(line), false, line);
});

// Android logcat (AOSP system/logging liblog/logprint.cpp android_log_formatLogLine): threadtime
// `%s %s%5d %5d %c %-8.*s: `, time `%s %c/%-8.*s(%s%5d): `, brief `%c/%-8.*s(%s%5d): `, tag
// `%c/%-8.*s: `; the time with `-v year`, `-v usec`/`-v nsec`, `-v zone`; the uid with `-v uid`.
// A kernel line's tag is the start of its text (logd's LogKlog split it at the first colon): the
// payload is the tag, then the message from `messageStart`.
test('logcat: every format and modifier, the tag read as the kernel text it was', () => {
  const text = 'Unable to allocate memory on node -1, gfp=0xa20(GFP_ATOMIC)';
  const cases: [string, string | null][] = [
    [`06-03 13:29:12.999     0     0 W SLUB    : ${text}`, '06-03 13:29:12.999'],
    [`06-03 13:29:12.999  root     0     0 W SLUB    : ${text}`, '06-03 13:29:12.999'],
    [`06-03 13:29:12.999 1010315 31557 31557 W SLUB    : ${text}`, '06-03 13:29:12.999'],
    [`2024-06-03 13:29:12.999123 +0000     0     0 W SLUB    : ${text}`, '2024-06-03 13:29:12.999123 +0000'],
    [`06-03 13:29:12.999999999     0     0 W SLUB    : ${text}`, '06-03 13:29:12.999999999'],
    [`         1717412952.999     0     0 W SLUB    : ${text}`, '         1717412952.999'],
    [`  5123.456     0     0 W SLUB    : ${text}`, '  5123.456'],
    [`  5123.456 W/SLUB    (    0): ${text}`, '  5123.456'],
    [`06-03 13:29:12.999 W/SLUB    (    0): ${text}`, '06-03 13:29:12.999'],
    [`06-03 13:29:12.999 W/SLUB    ( root:    0): ${text}`, '06-03 13:29:12.999'],
    [`W/SLUB    (    0): ${text}`, null],
    [`W/SLUB    : ${text}`, null],
    // a tag longer than eight characters is printed whole
    [`06-03 13:29:12.999     0     0 W SLUB_with_long_tag: ${text}`, '06-03 13:29:12.999'],
  ];
  for (const [line, time] of cases) {
    const f = readFraming(line);
    const tag = line.includes('SLUB_with') ? 'SLUB_with_long_tag' : 'SLUB';
    assert.deepEqual(
      [
        f.framing,
        f.time,
        f.isKernel,
        line.slice(f.payloadStart, f.tagEnd),
        line.slice(f.messageStart, f.payloadEnd),
      ],
      ['logcat', time, true, tag, text],
      line,
    );
  }
  // the tag `kernel` and an empty tag (LogKlog found none) are no part of the text
  for (const line of [
    '06-03 13:29:12.999     0     0 W kernel  : Node 0 DMA: 1*4kB (U) = 4kB',
    '06-03 13:29:12.999     0     0 W         : Node 0 DMA: 1*4kB (U) = 4kB',
    'W/        (    0): Node 0 DMA: 1*4kB (U) = 4kB',
  ]) {
    const f = readFraming(line);
    assert.deepEqual(
      [f.framing, f.tagEnd, line.slice(f.payloadStart, f.payloadEnd)],
      ['logcat', -1, 'Node 0 DMA: 1*4kB (U) = 4kB'],
      line,
    );
  }
  // other lines that start alike are not logcat
  for (const line of ['W/SLUB(0) Unable', '06-03 13:29:12 W SLUB: x', 'D/x y'])
    assert.notEqual(readFraming(line).framing, 'logcat', line);
});
