// Issue #18: the hover on an OOM kill's `oom-kill:` / `Kill process` / `Killed process` lines and on
// the task table's rows says who held the memory, conclusion first (features/oom-hover.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { docOf } from './helpers';

const extra = (name: string): string => readFileSync(join('test', 'fixtures', 'extra', name), 'utf8');
const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');

/** The hover's Markdown at the first line holding `needle`, its backslash escapes removed. */
function hoverAt(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  const h = hover(docOf(text), { line, character: lines[line].indexOf(needle) + 1 });
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

const F098 = '098-syslog-5.15-azure-aks-memcg-v2-oom-stress-ng-memory-stat.log';

test('oom-kill: line (cgroup v2 pod, extra/098): victim first, its pod and container, the biggest tasks, memory.stat', () => {
  const text = hoverAt(extra(F098), 'oom-kill:constraint');
  const parts = text.split('\n\n');
  assert.equal(
    parts[0],
    '**victim: stress-ng-vm (pid 183960) — the biggest consumer, 91.3 MiB rss of 100 MiB limit (91 %); all 9 tasks: 117 MiB rss (117 %: rss counts a shared page in every task that maps it)**',
  );
  assert.match(
    parts[1],
    /^oom_score_adj 1000 \(kill line\) {2}\ncgroup: pod 5931aa75… \(Burstable\) container 25a38b5b8d55 \(\/kubepods\.slice\/kubepods-burstable\.slice\/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5\.slice\/cri-containerd-25a38b5b8d55/,
  );
  assert.match(
    text,
    /\| 183960 \| stress-ng-vm \(victim\) \| 91\.3 MiB \| 0 bytes \| 1000 \|\n\| 181537 \| nginx \| 7\.2 MiB \| 0 bytes \| 988 \|/,
  );
  assert.match(text, /\n\nmemory\.stat of pod 5931aa75… \(Burstable\): anon 94\.2 MiB · file 2\.4 MiB/);
  assert.match(text, /\n\nMissing: totalpages for the victim's score: oom_score_adj 1000/);
});

test('the kill line shows the same (extra/098)', () => {
  const summary = hoverAt(extra(F098), 'oom-kill:constraint');
  assert.equal(hoverAt(extra(F098), 'Killed process'), summary);
});

test('a task row: its place and memory first (extra/098 pause, corpus/031 mysql)', () => {
  const pause = hoverAt(extra(F098), '[ 181505]');
  assert.equal(
    pause.split('\n\n')[0],
    '**pause (pid 181505): number 9 of 9 tasks by size — 4 KiB rss, 0 bytes in swap, 28 KiB of page tables**',
  );
  assert.equal(pause.split('\n\n')[1], 'oom_score_adj -998.');
  assert.match(pause, /\n\nvictim: stress-ng-vm \(pid 183960\)/);

  const mysql = hoverAt(corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log'), '[10537]');
  assert.equal(
    mysql.split('\n\n')[0],
    '**mysql (pid 10537): number 2 of 26 tasks by size — 1.8 GiB rss, 34.5 MiB in swap, 3.8 MiB of page tables**',
  );
  assert.match(mysql.split('\n\n')[1], /^oom_score_adj 0; oom_badness 493537 pages \(derived from this row/);
});

test('the victim row and an oom_score_adj -1000 row (corpus/031)', () => {
  const log = corpus('031-rsyslog-012-rhel7-3.10-oom-mysqld.log');
  assert.match(hoverAt(log, '[ 4402]'), /^\*\*mysqld \(pid 4402\): the victim — 1\.7 GiB rss/);
  assert.match(
    hoverAt(log, '[  616]'),
    /\n\noom_score_adj -1000 \(OOM_SCORE_ADJ_MIN\): oom_badness skips it, the OOM killer never chooses it\./,
  );
  const chosen = hoverAt(log, 'Kill process 4402');
  assert.match(chosen, /\n\noom_score_adj 0 \(task table\) {2}\nscore 633 — printed by oom_kill_process/);
  assert.match(
    chosen,
    /oom_score_adj -1000 \(never chosen, oom_badness skips them\): 3 tasks — sshd \(pid 970\)/,
  );
  assert.match(
    chosen,
    /\n\nswap: 2\.0 GiB total, 0 bytes free, 2\.0 GiB used; swap cache 702 pages \(2\.7 MiB\)/,
  );
});

test('no task table: the hover says what is missing and how to get it (corpus/001)', () => {
  const text = hoverAt(corpus('001-journal-oom-6.8-python.log'), 'Killed process');
  assert.match(
    text,
    /^\*\*victim: uvicorn \(pid 3921\) — 1\.1 GiB rss of 15\.9 GiB RAM \(7 %\); no task table\*\*/,
  );
  assert.match(text, /Missing: the task table: vm\.oom_dump_tasks was 0 .*set vm\.oom_dump_tasks=1/);
});

test("log text in a task row renders inert (constructed from dump_task's `[%7d] %5d %5d %8lu %8lu %8ld %8lu %5hd %s` format)", () => {
  // CONSTRUCTED: extra/098's report with its last row's comm replaced by Markdown and a link
  const hostile = extra(F098).replace(
    '1000 stress-ng-vm\n',
    '1000 [x](command:workbench.action.terminal.new)\n',
  );
  const doc = docOf(hostile);
  const lines = hostile.split('\n');
  const line = lines.findIndex((l) => l.includes('[ 183960]'));
  const h = hover(doc, { line, character: 60 });
  const md = (h!.contents as { value: string }).value;
  assert.ok(md.includes('\\[x\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)'), md.slice(0, 200));
  assert.ok(!/\]\(command:/.test(md), 'no live link');
});
