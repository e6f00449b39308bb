// A quoted-printable mail body in the editor: diagnostics and hovers on the text as it is, a value
// cut by a soft break answered on both of its physical lines, and the hint that says the body was
// decoded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NO_CODE_DOCS, setCodeDocs } from '../../server/src/features/codes';
import { diagnostics } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { docOf } from './helpers';

const TEXT = readFileSync(
  join('test', 'fixtures', 'extra', 'qp-002-mail-quoted-printable-5.2-xorg-order0-then-slub.log'),
  'utf8',
);
const LINES = TEXT.split('\n');

function md(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

test('diagnostics: the report on its header line as printed, the decoding hint on the same line', () => {
  setCodeDocs({ kind: 'command', command: 'kernelLogLens.openCodeDoc' });
  const items = diagnostics(docOf(TEXT), { zoneDiagnostics: true });
  setCodeDocs(NO_CODE_DOCS);
  const report = items.find((d) => d.code === 'KLL001')!;
  assert.deepEqual(report.range.start, { line: 5, character: 15 });
  const hint = items.find((d) => d.code === 'KLL026')!;
  assert.equal(hint.range.start.line, 5);
  assert.equal(hint.severity, 4);
  assert.equal(hint.codeDescription?.href, 'command:kernelLogLens.openCodeDoc?%5B%22KLL026%22%5D');
  assert.deepEqual(
    items.filter((d) => d.code === 'KLL004').map((d) => d.range.start),
    [{ line: 132, character: 15 }],
  );
});

test('hover: the mode cut by soft breaks answers on its second physical line, with nodemask (null)', () => {
  const doc = docOf(TEXT);
  // `O|__GFP_FS|__GFP_COMP|__GFP_RECLAIMABLE), nodemask=3D(null),cpuset=3D/,mems=`
  assert.match(LINES[6], /^O\|__GFP_FS/);
  const h = hover(doc, { line: 6, character: 5 });
  assert.match(md(h), /__GFP_IO\|__GFP_FS\|__GFP_COMP\|__GFP_RECLAIMABLE/);
  assert.deepEqual(h?.range, {
    start: { line: 5, character: LINES[5].indexOf('mode:') },
    end: { line: 6, character: LINES[6].indexOf(')') + 1 },
  });
});

test('hover: the DMA32 zone line, on the physical line that holds the rest of `high:2340=`', () => {
  const doc = docOf(TEXT);
  assert.match(LINES[98], /^8kB active_anon:2259000kB/);
  const text = md(hover(doc, { line: 98, character: 1 }));
  assert.match(text, /^\*\*Node 0 DMA32\*\*/);
  assert.match(text, /\| high \| 23408 \| 5852 \|/);
});
