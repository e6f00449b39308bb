// A large file is scanned in a worker thread unless its head is a verbatim flood
// (cli/scan.ts isVerbatimFlood, cli/analyze-command.ts handOverToWorker): the worker records reports and
// takes no copies, so a flood it read cost 2–4× the time of this thread's reading (issue #17).
// The rule must call a flood of identical reports (but for their stamps) a flood, and nothing else:
// not a flood whose dumps change, not an ordinary log, not a few repeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVerbatimFlood } from '../../server/src/cli/scan';
import { handOverToWorker } from '../../server/src/cli/analyze-command';
import type { Input } from '../../server/src/cli/input';

const FIXTURE = readFileSync('test/fixtures/corpus/011-dmesg-2.6.32-r8169-order0-slub.log', 'latin1')
  .replace(/\n$/, '')
  .split('\n');

/** `line` with its dmesg stamp (`[%5lu.%06lu]`) `ms` milliseconds later. */
function later(line: string, ms: number): string {
  return line.replace(/^\[ *(\d+)\.(\d{6})\]/, (_, s: string, us: string) => {
    const at = Number(s) * 1e6 + Number(us) + ms * 1000;
    return `[${String(Math.floor(at / 1e6)).padStart(5)}.${String(at % 1e6).padStart(6, '0')}]`;
  });
}

/** The fixture printed `copies` times, each copy 50 ms after the one before (bench/cli.mjs's
 * flood); `changing`: the dump's free pages move from copy to copy. */
function flood(copies: number, changing = false): Buffer {
  const copy = (k: number): string =>
    FIXTURE.map((line) =>
      changing
        ? later(line, 50 * k).replace(/free:(\d+)/g, (_, n: string) => `free:${Number(n) + (k % 97)}`)
        : later(line, 50 * k),
    ).join('\n');
  return Buffer.from(`${Array.from({ length: copies }, (_, k) => copy(k)).join('\n')}\n`, 'latin1');
}

test('a verbatim flood is one: 2 reports a copy, 200 copies', () => {
  assert.equal(isVerbatimFlood(flood(200)), true);
});

test('a flood cut anywhere in a copy is still one (the head is a file cut at 1 MiB)', () => {
  const whole = flood(200);
  for (const cut of [whole.length - 1, Math.floor(whole.length * 0.7), Math.floor(whole.length / 2) + 13])
    assert.equal(isVerbatimFlood(whole.subarray(0, cut)), true, `cut at ${cut}`);
});

test('a flood whose dumps change is not taken as copies: it stays with the worker', () => {
  assert.equal(isVerbatimFlood(flood(200, true)), false);
});

test('fewer than 16 reports are not a flood, copies or not', () => {
  assert.equal(isVerbatimFlood(flood(7)), false); // 14 reports
  assert.equal(isVerbatimFlood(flood(8)), true); // 16
});

test('an ordinary log, and every fixture alone, is not a flood', () => {
  const noise = Array.from(
    { length: 20_000 },
    (_, i) =>
      `Jan  1 07:${String(10 + (i % 50)).padStart(2, '0')}:00 web02 sshd[${800 + i}]: Accepted publickey for deploy`,
  ).join('\n');
  assert.equal(isVerbatimFlood(Buffer.from(noise)), false);
  assert.equal(isVerbatimFlood(Buffer.from(FIXTURE.join('\n'))), false);
  assert.equal(isVerbatimFlood(Buffer.alloc(0)), false);
});

test('the head tested is where reading starts: standard input opened part-way into a file', () => {
  const noise = Buffer.from(
    Array.from(
      { length: 30_000 },
      (_, i) => `Jan  1 07:10:00 web02 sshd[${800 + i}]: Accepted publickey\n`,
    ).join(''),
  );
  assert.ok(noise.length > 1 << 20);
  const file = join(mkdtempSync(join(tmpdir(), 'klens-head-')), 'messages');
  writeFileSync(file, Buffer.concat([noise, flood(200)]));
  const fd = openSync(file, 'r');
  try {
    const input = { regularFd: fd, regularStart: 0 } as Input;
    assert.equal(handOverToWorker(input, 'auto'), true); // a megabyte of noise first: the worker's
    assert.equal(handOverToWorker({ ...input, regularStart: noise.length }, 'auto'), false);
    assert.equal(handOverToWorker({ ...input, regularStart: noise.length }, 'always'), true);
  } finally {
    closeSync(fd);
  }
});
