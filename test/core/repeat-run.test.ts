// A repeated stretch of lines taken as copies of the last one read (core/repeat-run.ts) gives the
// reading that reading every line gives: every report, rate-limit line, framing count, skipped
// stretch and banner, line for line. Checked on every fixture, on every fixture printed six
// times with other stamps (the real case: a report printed again and again), and on floods
// built to end runs in every way (a stamp that grows a digit, a value that changes, noise and
// rate-limit lines between copies, a text cut inside a copy, CRLF, alternating reports).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { LogScanner, parseLog, TextScan } from '../../server/src/core/parse';
import { ReportSequence, UNBOUNDED, type Analysed } from '../../server/src/core/analyze';
import {
  OUTPUT_KEYS,
  SHARED_KEYS,
  STATE_LINE_KEYS,
  STATE_PLAIN_NUMBER_KEYS,
  UNRELATED_KEYS,
} from '../../server/src/core/repeat-run';
import { createScan } from '../../server/src/cli/scan';
import type { Report } from '../../server/src/core/model';
import { FIXTURE_LOGS } from './fixture-files';
import { growth } from './linear-time';
import { excerptCopies, printedAgain, restamped } from './floods';

/** A reading as a comparable value, and how many of its lines were copies. */
function reading(text: string, runs: boolean, skip: boolean): { value: unknown; copied: number } {
  const scan = new TextScan(text, skip, undefined, { runs });
  scan.run(() => false);
  const { copies, ...parsed } = scan.finish();
  // a copy stands its report's distance further, with the same header (the rest is compared with
  // the reading of every line below)
  parsed.reports.forEach((copy, i) => {
    const c = copies?.[i];
    if (c)
      assert.deepStrictEqual([copy.line, copy.kind, copy.gfp], [c.of.line + c.lines, c.of.kind, c.of.gfp]);
  });
  return {
    value: {
      ...parsed,
      skipped: scan.skipped,
      skipStates: scan.skipStates,
      linesRead: scan.linesRead,
    },
    copied: scan.copiedLines,
  };
}

/** Asserts both readers (skipping and not) read `text` the same with runs as without; returns
 * the lines the skipping reader took as copies. */
function assertSameReading(text: string, where: string): number {
  let copied = 0;
  for (const skip of [true, false]) {
    const withRuns = reading(text, true, skip);
    assert.deepStrictEqual(withRuns.value, reading(text, false, skip).value, `${where} (skip: ${skip})`);
    if (skip) copied = withRuns.copied;
  }
  return copied;
}

test('every fixture, and every fixture printed six times with other stamps, reads the same with runs', () => {
  const taken: string[] = [];
  for (const file of FIXTURE_LOGS) {
    const text = readFileSync(file, 'utf8');
    assertSameReading(text, file);
    if (assertSameReading(printedAgain(text, 6), `${file} ×6`) > 0) taken.push(file);
  }
  // the others hold what a run does not take (a quoted-printable body, a state pointing back to
  // lines further than two copies, stamps with no place of their own)
  assert.ok(
    taken.length > FIXTURE_LOGS.length * 0.85,
    `copies taken in ${taken.length} of ${FIXTURE_LOGS.length}`,
  );
});

const SYSLOG = (i: number): string =>
  `Mar 18 ${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} web01 kernel: swapper: page allocation failure. order:1, mode:0x20`;

test('a flood of one-line reports: every copy after the third is taken, not read', () => {
  const n = 5000;
  const text = `${Array.from({ length: n }, (_, i) => SYSLOG(i)).join('\n')}\n`;
  const copied = assertSameReading(text, 'one-line flood');
  // the first copies are read to find the period; the last one is read to close the run
  assert.ok(copied >= n - 8, `copied ${copied} of ${n}`);
  const scan = new TextScan(text);
  scan.run(() => false);
  const parsed = scan.finish();
  assert.equal(parsed.reports.length, n);
  assert.deepStrictEqual(
    parsed.reports.slice(4000, 4002).map((r) => [r.line, r.time, r.headerRange.startLine]),
    [
      [4000, 'Mar 18 01:06:40', 4000],
      [4001, 'Mar 18 01:06:41', 4001],
    ],
  );
});

test('dmesg stamps that grow a digit end a run; a new one begins after', () => {
  const text = Array.from(
    { length: 400 },
    (_, i) =>
      `[${String(9900 + i).padStart(5)}.123456] kworker/u8:2: page allocation failure: order:0, mode:0x20`,
  ).join('\n');
  const copied = assertSameReading(text, 'dmesg flood');
  // [ 9999.…] → [10000.…] is read (the line is longer), then copies are taken again
  assert.ok(copied > 380 && copied < 400, `copied ${copied}`);
});

test('full reports with noise and rate-limit lines between them, cut inside a copy', () => {
  const seed = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8').replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (let k = 0; k < 12; k++) {
    out.push(...seed.map((l) => restamped(l, k)));
    out.push(`Mar 18 10:00:0${k % 10} web01 systemd[1]: Started session 7.`);
    out.push(`Mar 18 10:00:0${k % 10} web01 kernel: warn_alloc: 3 callbacks suppressed`);
  }
  const whole = out.join('\n');
  assert.ok(assertSameReading(whole, 'seed flood') > seed.length * 6);
  // cut in the middle of the ninth copy, and with a different report after the last
  const cut = out.slice(0, Math.floor(out.length * 0.7)).join('\n');
  assertSameReading(cut, 'seed flood cut');
  const other = readFileSync('test/fixtures/corpus/011-dmesg-2.6.32-r8169-order0-slub.log', 'utf8');
  assertSameReading(`${whole}\n${other}`, 'seed flood then another report');
});

test('a value that changes (not a stamp) ends the run at that line; CRLF and alternating reports', () => {
  const lines = Array.from({ length: 300 }, (_, i) => SYSLOG(i));
  lines[200] = lines[200].replace('order:1', 'order:2');
  lines[201] = lines[201].replace('mode:0x20', 'mode:0x21');
  assertSameReading(lines.join('\n'), 'a changed value');
  assert.ok(assertSameReading(lines.join('\r\n'), 'CRLF') > 250);
  const alternating = Array.from({ length: 300 }, (_, i) =>
    i % 2 === 0 ? SYSLOG(i) : SYSLOG(i).replace('swapper', 'kswapd0').replace('order:1', 'order:3'),
  );
  assert.ok(assertSameReading(alternating.join('\n'), 'alternating') > 250);
});

test('every number of the scanner state is named: a line, a count of unrelated lines, or a plain value', () => {
  const named = (k: string): boolean =>
    STATE_LINE_KEYS.has(k) || UNRELATED_KEYS.has(k) || STATE_PLAIN_NUMBER_KEYS.has(k);
  const unnamed = new Set<string>();
  const SKIPPED = new Set(['report', 'lastZone', 'armWhere', ...OUTPUT_KEYS, ...SHARED_KEYS]);
  // the Report a builder fills and its parts (a zone, a frame) are the model's (LINE_KEYS, checked
  // by the readings above), not the scanner's; the run's own bookkeeping is not walked
  const walk = (value: unknown, key: string, seen: Set<object>): void => {
    if (typeof value === 'number') {
      if (!named(key) && key !== '') unnamed.add(key);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value) || SKIPPED.has(key)) return;
    seen.add(value);
    if (value instanceof Map) for (const v of value.values()) walk(v, '', seen);
    else for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? '' : k, seen);
  };
  for (const file of FIXTURE_LOGS) {
    const scanner = new LogScanner();
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      scanner.push(line);
      // the state between lines, where a run may begin
      if (i % 7 === 0) walk(scanner, '', new Set());
    }
  }
  assert.deepStrictEqual([...unnamed], []);
});

/** Each report's analysis as the log's analysis gives it: with copies' analyses moved from the
 * reports they copy (`moves`), or each explained on its own. */
function analysesOf(text: string, moves: boolean): { plain: unknown[]; copies: number } {
  const scan = new TextScan(text, true, undefined, { runs: moves });
  scan.run(() => false);
  const parsed = scan.finish();
  const items: Analysed[] = [];
  const sequence = new ReportSequence((item) => items.push(item), {}, UNBOUNDED, moves);
  parsed.reports.forEach((r, i) => sequence.push(r, parsed.banners?.[i] ?? null, parsed.copies?.[i] ?? null));
  sequence.end();
  return {
    plain: items.map((i) => JSON.parse(JSON.stringify({ analysis: i.analysis, first: i.first })) as unknown),
    copies: parsed.copies?.filter((c) => c !== null).length ?? 0,
  };
}

test("a copy's analysis, moved from the report it copies, is the one explainReport gives it", () => {
  let copies = 0;
  for (const file of FIXTURE_LOGS) {
    const text = printedAgain(readFileSync(file, 'utf8'), 6);
    const moved = analysesOf(text, true);
    assert.deepStrictEqual(moved.plain, analysesOf(text, false).plain, file);
    copies += moved.copies;
  }
  assert.ok(copies > 250, `copies: ${copies}`);
  const flood = Array.from({ length: 3000 }, (_, i) => SYSLOG(i)).join('\n');
  const moved = analysesOf(flood, true);
  assert.ok(moved.copies > 2990);
  assert.deepStrictEqual(moved.plain, analysesOf(flood, false).plain);
});

test("the CLI's reader takes copies too, and finds what reading every line finds", () => {
  let copies = 0;
  for (const file of FIXTURE_LOGS) {
    const text = printedAgain(readFileSync(file, 'utf8'), 6);
    const reports: Report[] = [];
    const scan = createScan<Report>((r, _banner, copy) => {
      reports.push(r);
      if (copy !== null) copies++;
    });
    const bytes = Buffer.from(text);
    // odd-sized writes: lines cut across the reader's windows
    for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
    scan.finish();
    const { value } = reading(text, false, false);
    assert.deepStrictEqual(reports, (value as { reports: Report[] }).reports, file);
  }
  assert.ok(copies > 250, `copies: ${copies}`);
});

test('text that looks repeated while the reading does not repeat costs linear time', () => {
  // one CPU's OOM task table being read (a state that grows), another CPU's one-line reports
  // between its rows: every stretch looks like the one before but for digits
  const make = (n: number): string => {
    const out = [
      '[  100.000000][ T100] bash invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
      '[  100.000000][ T100] Tasks state (memory values in pages):',
      '[  100.000000][ T100] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    ];
    for (let i = 0; i < n; i++) {
      const stamp = `[  100.${String(i % 1000000).padStart(6, '0')}]`;
      const pid = String(1000 + (i % 9000));
      out.push(
        `${stamp}[ T100] [${pid.padStart(7)}]     0 ${pid.padStart(5)}    12345     1234    65536        0             0 worker`,
        `${stamp}[    C1] swapper/1: page allocation failure: order:0, mode:0x20`,
      );
    }
    return out.join('\n');
  };
  const ratio = growth(make, 4000, (t) => parseLog(t));
  assert.ok(ratio < 6, `time ×${ratio.toFixed(1)} for 4× the lines`);
});

const FLOOD_RUNS = Number(process.env.KLENS_FLOOD_RUNS ?? 80);
const NOISE_LINES = [
  'Mar 18 10:00:01 web01 systemd[1]: Started Session 7 of user deploy.',
  'Mar 18 10:00:02 web01 kernel: e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
  'Mar 18 10:00:03 web01 kernel: warn_alloc: 3 callbacks suppressed',
  '',
  'Mar 18 10:00:04 web01 kernel: swapper/0: page allocation failure: order:0, mode:0x20',
  '[  101.000001] Mem-Info:',
];

/** A change to one line of one copy: a digit or a character elsewhere than its stamp, the line
 * dropped or doubled, a noise line put before it, its end made `\r\n`. */
const MUTATION = fc.record({
  copy: fc.nat(),
  line: fc.nat(),
  kind: fc.constantFrom('digit', 'char', 'drop', 'double', 'noise', 'crlf'),
  noise: fc.nat(NOISE_LINES.length - 1),
});

const FLOOD = fc.record({
  fixture: fc.nat(FIXTURE_LOGS.length - 1),
  /** Which part of the fixture repeats: a start and a length, as fractions of its lines. */
  from: fc.double({ min: 0, max: 0.9, noNaN: true }),
  length: fc.double({ min: 0.05, max: 1, noNaN: true }),
  copies: fc.integer({ min: 3, max: 14 }),
  between: fc.array(fc.nat(NOISE_LINES.length - 1), { maxLength: 3 }),
  mutations: fc.array(MUTATION, { maxLength: 4 }),
  /** Where the text is cut, as a fraction of it (1: whole). */
  cut: fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 1, noNaN: true })),
});

test('random floods of fixture excerpts, changed here and there: runs read and explain them as reading every line does', () => {
  const logs = FIXTURE_LOGS.map((f) => readFileSync(f, 'utf8').replace(/\n$/, '').split('\n'));
  let taken = 0;
  fc.assert(
    fc.property(FLOOD, (c) => {
      const between = c.between.map((n) => NOISE_LINES[n]);
      const copies = excerptCopies(logs[c.fixture], c.from, c.length, c.copies, between);
      for (const m of c.mutations) {
        const copy = copies[m.copy % copies.length];
        if (copy.length === 0) continue;
        const at = m.line % copy.length;
        const line = copy[at];
        if (m.kind === 'digit') copy[at] = line.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 1) % 10));
        else if (m.kind === 'char') copy[at] = `${line.slice(0, -1)}${line.endsWith('x') ? 'y' : 'x'}`;
        else if (m.kind === 'drop') copy.splice(at, 1);
        else if (m.kind === 'double') copy.splice(at, 0, line);
        else if (m.kind === 'noise') copy.splice(at, 0, NOISE_LINES[m.noise]);
        else copy[at] = `${line}\r`;
      }
      const whole = copies.map((copy) => copy.join('\n')).join('\n');
      const text = whole.slice(0, Math.floor(c.cut * whole.length));
      if (assertSameReading(text, 'flood') > 0) taken++;
      assert.deepStrictEqual(analysesOf(text, true).plain, analysesOf(text, false).plain);
    }),
    // one seed, so that CI runs the same cases (KLENS_FLOOD_SEED for others; a failure prints its seed)
    { numRuns: FLOOD_RUNS, seed: Number(process.env.KLENS_FLOOD_SEED ?? 20261205) },
  );
  // most cases take copies (the others change every copy, or repeat too little)
  assert.ok(taken > FLOOD_RUNS / 4, `copies taken in ${taken} of ${FLOOD_RUNS} cases`);
});

test('a reading stopped inside a flood keeps every report a run completed (finish(true))', () => {
  // as the editor's work budget stops a reading (LogAnalysisJob.stopReading): the run's reports
  // are complete, only those still open are left out
  const seed = readFileSync('test/fixtures/corpus/000-seed.log', 'utf8').replace(/\n$/, '').split('\n');
  const other = readFileSync('test/fixtures/corpus/011-dmesg-2.6.32-r8169-order0-slub.log', 'utf8')
    .replace(/\n$/, '')
    .split('\n');
  const stopped = (text: string, runs: boolean, checks: number): unknown => {
    const scan = new TextScan(text, true, undefined, { runs });
    let n = 0;
    scan.run(() => ++n > checks);
    const parsed = scan.finish(true);
    return { lines: parsed.reports.map((r) => r.line), cutFrom: scan.cutFrom, read: scan.linesRead };
  };
  for (let before = 0; before < 60; before += 7) {
    const lines = Array.from({ length: before }, (_, i) => `filler ${i}`);
    for (let k = 0; k < 12; k++)
      lines.push(...seed.map((l) => restamped(l, k)), ...other.map((l) => restamped(l, k)));
    const text = `${lines.join('\n')}\n`;
    for (const checks of [2, 3, 4])
      assert.deepStrictEqual(
        stopped(text, true, checks),
        stopped(text, false, checks),
        `${before} lines, ${checks}`,
      );
  }
});

test('a banner inside the repeated stretch, and a stamp whose text stands twice in its prefix', () => {
  // copies are handed out with the release the run began with: a stretch with banners is read
  const stamp = (i: number): string => `[${(1000 + i).toFixed(6).padStart(12)}] `;
  const banners: string[] = [];
  for (let i = 0; i < 10; i++)
    for (const [release, worker] of [
      ['5.10.0-8-amd64', 'kworker/u8:2'],
      ['6.1.0-9-amd64', 'kworker/u8:3'],
    ]) {
      banners.push(`${stamp(i)}Linux version ${release} (gcc) #1 SMP`);
      banners.push(`${stamp(i)}${worker}: page allocation failure: order:0, mode:0x20`);
      for (let k = 0; k < 70; k++) banners.push(`${stamp(i)}usb 1-1: new high-speed USB device number ${k}`);
    }
  assertSameReading(banners.join('\n'), 'two banners a stretch');
  // /dev/kmsg `PRI,SEQ,USEC,-;`: a sequence number equal to the time is not the stamp's place
  const kmsg = [
    ...Array.from({ length: 6 }, () => '6,1000,1000,-;swapper: page allocation failure: order:1, mode:0x20'),
    ...Array.from(
      { length: 6 },
      (_, i) => `6,100${i},1000,-;swapper: page allocation failure: order:1, mode:0x20`,
    ),
  ];
  assertSameReading(kmsg.join('\n'), 'kmsg');
});

test('klens --follow: reports closed by a quiet spell (end()) in a flood, and runs take copies again after it', () => {
  // `--follow` ends the open reports after a quiet spell and reads on (cli/follow.ts, scan.quiet)
  const follow = (lines: string[], quiet: ReadonlySet<number>, runs: boolean) => {
    const scanner = new LogScanner(undefined, runs);
    const out: Report[] = [];
    const take = (done: Report[]): void => {
      for (const r of done) {
        scanner.takeCopyOf(r);
        out.push(r);
      }
    };
    lines.forEach((line, i) => {
      take(scanner.push(line));
      if (quiet.has(i)) take(scanner.end());
    });
    take(scanner.end());
    return { out, suppressions: scanner.suppressions, copied: scanner.copiedLines };
  };
  const dmesg = Array.from(
    { length: 400 },
    (_, i) =>
      `[${String(9000 + i).padStart(5)}.123456] kworker/u8:2: page allocation failure: order:0, mode:0x20`,
  );
  const quiet = new Set([20, 150]);
  const withRuns = follow(dmesg, quiet, true);
  const without = follow(dmesg, quiet, false);
  assert.deepStrictEqual(withRuns.out, without.out);
  assert.deepStrictEqual(withRuns.suppressions, without.suppressions);
  // each quiet spell ends a run; the next begins three copies later
  assert.ok(withRuns.copied > 370, `copied ${withRuns.copied}`);
});
