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

/** Applies edits with LSP positions, lines ending at LF, CRLF or a lone CR. */
function applyLsp(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  const offset = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** What sysctl.conf readers take from a file: systemd-sysctl ends lines at LF, CR and NUL,
 * procps' sysctl at LF; the last assignment of a key wins. */
function effective(text: string, breaks: RegExp): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(breaks)) {
    const m = /^\s*-?([\w./]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) values.set(m[1].replace(/\//g, '.'), m[2]);
  }
  return values;
}

test('a CR-only file: the block goes at its end, written with CR, and the new values win', () => {
  const existing = '# site\rvm.min_free_kbytes = 67584\rvm.swappiness = 10\r';
  const edits = planSysctlEdits(existing, [minFree, ratio], ['Kernel Log Lens']);
  assert.deepEqual(
    edits.map((e) => e.range),
    [
      { start: { line: 1, character: 0 }, end: { line: 1, character: 26 } },
      { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
    ],
    'the assignment on line 1 is replaced, the rest goes after the last line',
  );
  for (const e of edits) assert.doesNotMatch(e.newText, /\n/, 'written with the file’s own CR');
  const result = applyLsp(existing, edits);
  assert.equal(
    result,
    '# site\r# zones near min\r# current 32496 kB\r# was: vm.min_free_kbytes = 67584\rvm.min_free_kbytes = 90112\r' +
      'vm.swappiness = 10\r\r# Kernel Log Lens\r# more DMA32 protection\rvm.lowmem_reserve_ratio = 256 128 32\r',
  );
  for (const breaks of [/\r\n|\r|\n|\0/, /\r/]) {
    const values = effective(result, breaks);
    assert.equal(values.get('vm.min_free_kbytes'), '90112');
    assert.equal(values.get('vm.lowmem_reserve_ratio'), '256 128 32');
    assert.equal(values.get('vm.swappiness'), '10');
  }
});

test('a CR-only file without a final line break, and one whose key is assigned last', () => {
  const noFinal = 'vm.swappiness = 10\rvm.min_free_kbytes=1';
  const result = applyLsp(noFinal, planSysctlEdits(noFinal, [minFree, ratio], ['h']));
  assert.equal(
    result,
    'vm.swappiness = 10\r# zones near min\r# current 32496 kB\r# was: vm.min_free_kbytes=1\rvm.min_free_kbytes = 90112\r\r# h\r# more DMA32 protection\rvm.lowmem_reserve_ratio = 256 128 32\r',
  );
  const appendOnly = 'a = 1\rb = 2';
  const edits = planSysctlEdits(appendOnly, [minFree], ['h']);
  assert.deepEqual(edits[0].range.start, { line: 1, character: 5 });
  assert.equal(edits[0].newText.slice(0, 2), '\r\r');
  assert.equal(effective(applyLsp(appendOnly, edits), /\r/).get('vm.min_free_kbytes'), '90112');
});

test('mixed line ends: the first one is the file’s style; lines are found at each kind', () => {
  const existing = 'a = 1\r\nvm.min_free_kbytes = 5\rb = 2\n';
  const edits = planSysctlEdits(existing, [minFree], ['h']);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].range.start.line, 1);
  assert.match(
    edits[0].newText,
    /^# zones near min\r\n# current 32496 kB\r\n# was: vm\.min_free_kbytes = 5\r\nvm\.min_free_kbytes = 90112$/,
  );
});

test('no text from a comment or heading becomes a line of its own, whatever line break it carries', () => {
  for (const br of ['\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029', '\0']) {
    const hostile = `mode:0x4020(GFP_ATOMIC${br}kernel.panic = 1${br}#)`;
    const block = formatBlock(
      [{ key: 'vm.min_free_kbytes', value: '90112', comment: `order-0 ${hostile} failure` }],
      [`Kernel Log Lens: recommended for messages${br}kernel.panic = 1 (1 reports)`],
    );
    const lines = block.split(/\r\n|[\n\v\f\r\u0085\u2028\u2029\0]/);
    assert.deepEqual(lines.slice(-2), ['vm.min_free_kbytes = 90112', ''], JSON.stringify(br));
    // LF separates the lines of a comment: each piece is still a comment.
    for (const line of lines.slice(0, -2)) assert.match(line, /^#/, JSON.stringify({ br, line }));
    assert.equal(lines.length, br === '\n' ? 6 : 4, 'heading, comment, assignment, end');
    const existing = `vm.min_free_kbytes = 1${br === '\n' ? '' : br}\n`;
    for (const edit of planSysctlEdits(
      existing,
      [{ key: 'vm.min_free_kbytes', value: '2', comment: hostile }],
      [],
    ))
      for (const line of edit.newText.split(/\r\n|[\n\v\f\r\u0085\u2028\u2029\0]/))
        assert.ok(
          line === '' || line.startsWith('#') || line === 'vm.min_free_kbytes = 2',
          JSON.stringify({ br, line }),
        );
  }
});
