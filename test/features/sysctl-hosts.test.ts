// Issue #14: a quick fix never silently overwrites another host's or another report's suggestion
// in the target sysctl file: one block per host with its provenance; where two reports want
// different values for one key, one line stays active and a comment says which wins and why.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeActionParams, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import {
  codeActions,
  resolveCodeAction,
  type SysctlDestination,
} from '../../server/src/features/code-actions';
import { analyzeDocument } from '../../server/src/features/document';
import { sysctlSuggestions } from '../../server/src/features/status';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');
const SEED = corpus('000-seed.log'); // host cztest: vm.min_free_kbytes = 90112 recommended
const R8169 = corpus('028-syslog-wrapped-2.6-i386-r8169-bridge-order0.log'); // host analyzeTHIS: 2880

const target = (text: string | null): SysctlDestination => ({
  file: {
    uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf',
    version: 3,
    label: 'sysctl.d/90-kernel-log-lens.conf',
    text,
  },
  documentChanges: true,
  showDocument: false,
  disabledSupport: true,
});

/** The file after "Apply all recommended" of the log's first report, written into `text`. */
function applyAll(log: string, name: string, text: string): string {
  const doc = analyzeDocument(`file:///ws/logs/${name}`, 1, log, { kernelRelease: '' });
  const line = doc.reports[0].report.line;
  const params: CodeActionParams = {
    textDocument: { uri: doc.uri },
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: [] },
  };
  const all = codeActions(doc, params, target(text)).find((a) => a.isPreferred)!;
  const resolved = resolveCodeAction(doc, all, target(text));
  return apply(text, (resolved.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[]);
}

function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** The lines that are not evidence: host marks, report headings, active and yielded lines. */
function skeleton(text: string): string[] {
  return text
    .split('\n')
    .filter((l) =>
      /^(vm\.|# not applied|# \d+ wins|# Kernel Log Lens: (end of host|host|suggested for))/.test(l),
    );
}

const ONLY_COMMENTS_AND_SETTINGS = /^(|#.*|vm\.[a-z_]+ = [\d ]+)$/;

test('two hosts, the second wanting a larger min_free_kbytes: both blocks stay, the larger is the one active line', () => {
  const first = applyAll(R8169, 'r8169.log', '');
  const both = applyAll(SEED, 'messages', first);
  assert.deepEqual(skeleton(both), [
    '# Kernel Log Lens: host analyzeTHIS',
    '# Kernel Log Lens: suggested for the report at r8169.log:2 (Aug  8 09:56:22)',
    '# not applied: vm.min_free_kbytes = 2880',
    '# 90112 wins (host cztest, report at messages:1 (Apr 28 05:30:51)): the larger min_free_kbytes keeps at least the reserve each report asked for',
    '# Kernel Log Lens: end of host analyzeTHIS',
    '# Kernel Log Lens: host cztest',
    '# Kernel Log Lens: suggested for the report at messages:1 (Apr 28 05:30:51)',
    'vm.min_free_kbytes = 90112',
    '# Kernel Log Lens: end of host cztest',
  ]);
  for (const l of both.split('\n')) assert.match(l, ONLY_COMMENTS_AND_SETTINGS);
  // the first host's evidence is still there
  assert.ok(both.startsWith(first.split('\nvm.min_free_kbytes')[0]));
});

test('two hosts, the second wanting a smaller value: the one in the file stays, the second block says why not', () => {
  const first = applyAll(SEED, 'messages', '');
  const both = applyAll(R8169, 'r8169.log', first);
  assert.deepEqual(skeleton(both), [
    '# Kernel Log Lens: host cztest',
    '# Kernel Log Lens: suggested for the report at messages:1 (Apr 28 05:30:51)',
    'vm.min_free_kbytes = 90112',
    '# Kernel Log Lens: end of host cztest',
    '# Kernel Log Lens: host analyzeTHIS',
    '# Kernel Log Lens: suggested for the report at r8169.log:2 (Aug  8 09:56:22)',
    '# not applied: vm.min_free_kbytes = 2880',
    '# 90112 wins (host cztest, already in this file): the larger min_free_kbytes keeps at least the reserve each report asked for',
    '# Kernel Log Lens: end of host analyzeTHIS',
  ]);
  assert.ok(both.startsWith(first), 'the first block is untouched');
});

test('two reports of one host with different values: one block, the second report added inside it, the larger active', () => {
  // the 028 report as if the seed's host had logged it (only the host name changed)
  const first = applyAll(R8169.replace(/analyzeTHIS/g, 'cztest'), 'r8169.log', '# ops\n');
  const both = applyAll(SEED, 'messages', first);
  assert.deepEqual(skeleton(both), [
    '# Kernel Log Lens: host cztest',
    '# Kernel Log Lens: suggested for the report at r8169.log:2 (Aug  8 09:56:22)',
    '# not applied: vm.min_free_kbytes = 2880',
    '# 90112 wins (host cztest, report at messages:1 (Apr 28 05:30:51)): the larger min_free_kbytes keeps at least the reserve each report asked for',
    '# Kernel Log Lens: suggested for the report at messages:1 (Apr 28 05:30:51)',
    'vm.min_free_kbytes = 90112',
    '# Kernel Log Lens: end of host cztest',
  ]);
  assert.ok(both.startsWith('# ops\n\n# Kernel Log Lens: host cztest\n'));
  assert.equal(both.match(/^vm\.min_free_kbytes = /gm)?.length, 1);
});

test('the same report applied twice: its host block holds the value twice, never a different one', () => {
  const once = applyAll(SEED, 'messages', '');
  const twice = applyAll(SEED, 'messages', once);
  assert.deepEqual(twice.match(/^vm\..*$/gm), ['vm.min_free_kbytes = 90112', 'vm.min_free_kbytes = 90112']);
  assert.equal(twice.match(/^# Kernel Log Lens: host cztest$/gm)?.length, 1, 'one block per host');
});

test('copy suggestions of a log with two hosts: one block per host, one active line per key', () => {
  const doc = analyzeDocument('file:///ws/logs/messages', 1, `${SEED}\n${R8169}`, { kernelRelease: '' });
  const conf = sysctlSuggestions(doc, 'conf');
  const lines = conf.text.split('\n');
  assert.equal(lines[0], `# Kernel Log Lens: recommended for messages (${doc.reports.length} reports)`);
  assert.ok(lines.includes('# Kernel Log Lens: host cztest'), conf.text);
  assert.ok(lines.includes('# Kernel Log Lens: host analyzeTHIS'), conf.text);
  // both hosts want vm.min_free_kbytes; exactly one assignment of it is active in the block
  assert.equal(lines.filter((l) => /^vm\.min_free_kbytes = /.test(l)).length, 1, conf.text);
  assert.equal(conf.count, 1);
  const commands = sysctlSuggestions(doc, 'commands').text.split('\n');
  // `sysctl -w` runs on one host at a time: each host's own value under its name
  const cz = commands.indexOf('# host cztest (1 report)');
  const an = commands.findIndex((l) => /^# host analyzeTHIS \(\d+ reports?\)$/.test(l));
  assert.ok(cz >= 0 && an >= 0, commands.join('\n'));
  assert.equal(commands[cz + 1], 'sysctl -w vm.min_free_kbytes=90112');
  assert.equal(commands[an + 1], 'sysctl -w vm.min_free_kbytes=2880');
});
