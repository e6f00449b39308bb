// containsReport: what lets the VS Code client give a pasted untitled Plain Text editor the Kernel
// Log language. Every real log of the fixtures (but one) holds a report, pasted as it is or quoted in a mail
// reply (`> ` before each line); text with an anchor word and no report holds none.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { containsReport, parseLog } from '../../server/src/core/parse';
import { FIXTURE_LOGS } from './fixture-files';

test('every fixture log with a report holds one, as it is and quoted in a mail reply', () => {
  for (const file of FIXTURE_LOGS) {
    const text = readFileSync(file, 'utf8');
    // zone lines of a report whose header is not in the capture: not a report the tools explain
    if (file.endsWith('032-dmesg-callerid-5.16-syzkaller-interleaved-orphan-zones.log')) {
      assert.equal(parseLog(text).reports.length, 0);
      assert.equal(containsReport(text), false);
      continue;
    }
    assert.equal(containsReport(text), true, file);
    const quoted = text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
    assert.equal(containsReport(quoted), true, `${file} quoted`);
  }
});

test('anchor words without a report: no report', () => {
  for (const text of [
    '',
    'hello world',
    'p = malloc(n); /* the allocation failed */',
    '[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP',
    '[   99.000000] warn_alloc: 3 callbacks suppressed',
    'See Mem-Info in the kernel log after an oom-killer line.',
  ])
    assert.equal(containsReport(text), false, text);
});

test('one header line pasted alone is a report', () => {
  assert.equal(
    containsReport(
      '[ 2316.512305] kworker/3:1: page allocation failure: order:5, mode:0x104020(GFP_ATOMIC|__GFP_COMP|__GFP_HIGHMEM)',
    ),
    true,
  );
});
