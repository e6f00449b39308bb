import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TextEdit } from 'vscode-languageserver';
import { formatBlock, formatSysctlCommands, planSysctlEdits } from '../../server/src/features/sysctl-edits';

const minFree = {
  key: 'vm.min_free_kbytes',
  value: '90112',
  comment: '# zones near min\n# current 32496 kB',
};
const ratio = { key: 'vm.lowmem_reserve_ratio', value: '256 128 32', comment: 'more DMA32 protection' };

/** Applies non-overlapping edits (as an editor would). */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

test('a new file gets the heading, the comments and the lines', () => {
  const edits = planSysctlEdits(null, [minFree, ratio], ['Kernel Log Lens: from messages:1']);
  assert.equal(
    apply('', edits),
    '# Kernel Log Lens: from messages:1\n# zones near min\n# current 32496 kB\nvm.min_free_kbytes = 90112\n# more DMA32 protection\nvm.lowmem_reserve_ratio = 256 128 32\n',
  );
});

test('a key already assigned is updated in place, not duplicated; the old line stays as a comment', () => {
  const existing =
    '# site settings\nvm.swappiness = 10\n vm/min_free_kbytes=67584\nnet.core.somaxconn = 1024';
  const result = apply(existing, planSysctlEdits(existing, [minFree, ratio], ['Kernel Log Lens']));
  assert.equal(result.match(/^vm[./]min_free_kbytes/gm)?.length, 1, 'one assignment of the key');
  assert.match(
    result,
    /# was: vm\/min_free_kbytes=67584\nvm\.min_free_kbytes = 90112\nnet\.core\.somaxconn = 1024\n\n# Kernel Log Lens\n# more DMA32 protection\nvm\.lowmem_reserve_ratio = 256 128 32\n$/,
  );
});

test('the last (effective) assignment is the one updated; CRLF files stay CRLF', () => {
  const existing = 'vm.min_free_kbytes = 1\r\nvm.min_free_kbytes = 2\r\n';
  const edits = planSysctlEdits(existing, [minFree], ['h']);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].range.start.line, 1);
  assert.equal(
    edits[0].newText,
    '# zones near min\r\n# current 32496 kB\r\n# was: vm.min_free_kbytes = 2\r\nvm.min_free_kbytes = 90112',
  );
});

test('a comment cannot smuggle an assignment in through a carriage return', () => {
  const block = formatBlock(
    [{ key: 'vm.a', value: '1', comment: 'evil\rkernel.core_pattern = |/tmp/x' }],
    [],
  );
  assert.equal(block, '# evil kernel.core_pattern = |/tmp/x\nvm.a = 1\n');
});

test('sysctl -w commands quote values with spaces', () => {
  assert.equal(
    formatSysctlCommands([minFree, ratio]),
    "sysctl -w vm.min_free_kbytes=90112\nsysctl -w vm.lowmem_reserve_ratio='256 128 32'",
  );
});
