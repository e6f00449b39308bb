// The features on logs whose positions are easy to get wrong: lines ended by a lone \r (serial
// consoles), mixed line ends, terminal escape sequences before and inside the fields. Cursors are
// placed with vscode-languageserver-textdocument, as the editor would place them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnostics } from '../../server/src/features/diagnostics';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { hover } from '../../server/src/features/hover';
import { reportAt } from '../../server/src/features/document';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { docOf } from './helpers';
import { SAMPLE } from './sample';

function md(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

/** The document, and the position `delta` characters into the first `needle`. */
function cursor(text: string, needle: string, delta = 0): { text: TextDocument; position: Position } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in the text: ${JSON.stringify(needle)}`);
  const doc = TextDocument.create('file:///ws/logs/serial.log', 'log', 1, text);
  return { text: doc, position: doc.positionAt(at + delta) };
}

const COLOURED = SAMPLE.replace('order:3', '\x1b[31morder:3\x1b[0m')
  .replace('mode:0x', '\x1b[1mmode:\x1b[0m0x')
  .replace('Node 0 DMA32 free:', '\x1b[33mNode 0 DMA32\x1b[0m free:');

test('hovering order:3 after \\x1b[31m: the order hover, its range on the original order:3', () => {
  const { text, position } = cursor(COLOURED, 'order:3', 6);
  const h = hover(docOf(COLOURED), position);
  assert.match(md(h), /^\*\*order 3\*\* = 2\^3 = 8 contiguous pages/m);
  assert.equal(text.getText(h!.range!), 'order:3');
  assert.deepEqual(h!.range, {
    start: { line: 0, character: COLOURED.indexOf('order:3') },
    end: { line: 0, character: COLOURED.indexOf('order:3') + 7 },
  });
});

test('the mode after escape sequences: its hover and range, none inside the sequences', () => {
  const doc = docOf(COLOURED);
  const { text, position } = cursor(COLOURED, '0x2080020', 2);
  const h = hover(doc, position);
  assert.match(md(h), /\*\*mode 0x2080020\*\*/);
  assert.equal(text.getText(h!.range!), 'mode:\x1b[0m0x2080020(GFP_ATOMIC)');
  // on the escape sequence between order:3 and the comma: the header, not the order or the mode
  const inside = cursor(COLOURED, '\x1b[0m, ', 2).position;
  assert.match(md(hover(doc, inside)), /^\*\*Page allocation failure\*\*/);
});

test('a zone line whose name is coloured: the zone hover over the original text', () => {
  const { text, position } = cursor(COLOURED, 'DMA32\x1b[0m free:', 2);
  const h = hover(docOf(COLOURED), position);
  assert.match(md(h), /^\*\*Node 0 DMA32\*\* — below the \*\*low\*\* watermark/);
  assert.match(text.getText(h!.range!), /^Node 0 DMA32\x1b\[0m free:6000kB .* free_cma:0kB$/);
});

for (const [name, ends] of [
  ['lone CR', ['\r']],
  ['CRLF', ['\r\n']],
  ['mixed', ['\r', '\n', '\r\n']],
] as const) {
  const text = ((): string => {
    let i = 0;
    return 'serial console\r' + SAMPLE.replace(/\n/g, () => ends[i++ % ends.length]);
  })();

  test(`${name} line ends: hovers, diagnostics and folds on the lines the editor shows`, () => {
    const doc = docOf(text);
    assert.equal(doc.lines.lineCount, TextDocument.create('u', 'log', 1, text).lineCount);
    const order = cursor(text, 'order:3', 6);
    const h = hover(doc, order.position);
    assert.match(md(h), /^\*\*order 3\*\*/m);
    assert.equal(order.text.getText(h!.range!), 'order:3');
    const zone = cursor(text, 'DMA32 free:6000kB', 6);
    assert.equal(zone.position.line, 22);
    assert.match(md(hover(doc, zone.position)), /^\*\*Node 0 DMA32\*\*/);
    const report = diagnostics(doc, { zoneDiagnostics: true }).find((d) => d.code === 'KLL001')!;
    assert.deepEqual(report.range.start, { line: 1, character: 15 });
    assert.match(order.text.getText(report.range), /^kworker\/0:1: page allocation failure: order:3/);
    assert.deepEqual(
      foldingRanges(doc).find((f) => f.startLine === 1),
      { startLine: 1, endLine: 27, kind: 'region', collapsedText: 'report' },
    );
  });
}

test('a zone line read after a later header cut its report: hover, outline and reportAt name its own report', () => {
  // A SLUB line from another CPU between a page allocation failure's header and its dump: the
  // failure's span ends before the SLUB line, yet its dump lines are still its own.
  const text = [
    'kworker/0:1: page allocation failure: order:2, mode:0x20',
    'SLUB: Unable to allocate memory on node -1 (gfp=0x20)',
    'Mem-Info:',
    'Node 0 Normal free:1000kB min:500kB low:600kB high:700kB present:100000kB managed:90000kB',
    'lowmem_reserve[]: 0 0 0 0',
  ].join('\n');
  const doc = docOf(text);
  const failure = doc.reports.find((r) => r.report.kind === 'page_alloc_failure')!;
  assert.equal(failure.report.line, 0);
  assert.equal(failure.report.endLine, 0, 'the span ends before the SLUB line');
  assert.equal(failure.report.zones[0].line, 3);
  assert.equal(reportAt(doc, 3)?.index, failure.index, 'the zone line resolves to the failure that read it');
  const h = md(hover(doc, { line: 3, character: 10 }));
  assert.match(h, /Node 0 Normal/);
  const symbol = documentSymbols(doc).find((s) => s.range.start.line === 0)!;
  assert.deepEqual(symbol.children, [], 'no outline child outside its parent');
});

test('hovering an order the kernel cannot print (order:9999) says it was not read; order=-1 says SysRq f', () => {
  const unreadable = docOf('app: page allocation failure: order:9999, mode:0x20');
  assert.match(
    md(hover(unreadable, { line: 0, character: 36 })),
    /^\*\*order\*\* not read: the printed value is beyond any order the kernel prints \(see the KLL025 finding\)/,
  );
  const sysrq = docOf('bash invoked oom-killer: gfp_mask=0xd0, order=-1, oom_score_adj=0');
  const text = 'bash invoked oom-killer: gfp_mask=0xd0, order=-1, oom_score_adj=0';
  assert.match(
    md(hover(sysrq, { line: 0, character: text.indexOf('order=-1') + 2 })),
    /^\*\*order=-1\*\*: A manual OOM kill/,
  );
});
