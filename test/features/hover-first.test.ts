// Hovers lead with the conclusion for this request and never repeat a diagnostic shown with them
// (issue #14), checked on real logs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { diagnostics } from '../../server/src/features/diagnostics';
import { zoneLabel } from '../../server/src/core/zones';
import { docOf } from './helpers';
import { FIXTURE_LOGS } from '../core/fixture-files';

function md(h: ReturnType<typeof hover>): string {
  return h ? (h.contents as { value: string }).value.replace(/\\([!-/:-@[-`{-~])/g, '$1') : '';
}

const SEED = join('test', 'fixtures', 'corpus', '000-seed.log');

test('the seed: the lowmem_reserve column that decided Node 0 DMA, and the one that did not', () => {
  const text = readFileSync(SEED, 'utf8');
  const doc = docOf(text);
  const lines = text.split('\n');
  const hoverAt = (needle: string): string => {
    const line = lines.findIndex((l) => l.includes(needle));
    return md(hover(doc, { line, character: lines[line].indexOf(needle) + 3 }));
  };
  assert.equal(
    hoverAt('Node 0 DMA free:').split('\n\n').slice(0, 2).join('\n'),
    '**Node 0 DMA** — above the high watermark · ✘ **fails this request**: held back by lowmem_reserve for Normal-class requests\n' +
      '**Protection:** 32183 pages held back from Normal-class requests like this one — **it decided the outcome**: without it the zone passes',
  );
  const dma = hoverAt('lowmem_reserve[]: 0 3203 32183');
  assert.equal(
    dma.split('\n')[0],
    '**lowmem_reserve[] of Node 0 DMA** — the **Normal** column applied to this request: 32183 pages held back — **it decided the outcome**: without it the zone passes',
  );
  assert.match(dma, /\| Normal \| 32183 \| 125\.7 \| [^|]+ \| ← this request \|/);
  const dma32 = hoverAt('lowmem_reserve[]: 0 0 28980');
  assert.equal(
    dma32.split('\n')[0],
    '**lowmem_reserve[] of Node 0 DMA32** — the **Normal** column applied to this request: 28980 pages held back — the zone passes even with it',
  );
});

test('every zone, lowmem_reserve and header hover of the real logs: conclusion first, no diagnostic repeated', () => {
  let zones = 0;
  for (const file of FIXTURE_LOGS) {
    const doc = docOf(readFileSync(file, 'utf8'));
    const shown = diagnostics(doc, { zoneDiagnostics: true });
    const onLine = (line: number): string[] =>
      shown.filter((d) => d.range.start.line === line).map((d) => d.message);
    for (const { report, analysis: a } of doc.reports) {
      const header = md(
        hover(doc, { line: report.headerRange.startLine, character: report.headerRange.startChar }),
      );
      for (const message of onLine(report.headerRange.startLine))
        assert.ok(
          !header.includes(message),
          `${file}:${report.line + 1}: the header hover repeats "${message}"`,
        );
      for (const z of a.zones) {
        const r = z.parsed.range;
        const text = md(hover(doc, { line: r.startLine, character: r.startChar + 1 }));
        if (!text) continue;
        zones++;
        const first = text.split('\n\n')[0];
        assert.ok(first.startsWith(`**${zoneLabel(z)}** — `), `${file}:${r.startLine + 1}: ${first}`);
        if (a.verdict !== 'not_applicable' && z.check)
          assert.match(
            first,
            / · [✔✘?–] \*\*(passes|fails|undecided for|not used by) this request\*\*/,
            `${file}:${r.startLine + 1}`,
          );
        for (const message of onLine(r.startLine)) {
          assert.ok(!text.includes(message), `${file}:${r.startLine + 1}: repeats its diagnostic`);
          if (/at or below its min watermark/.test(message))
            assert.ok(!text.includes(z.gaugeText), `${file}:${r.startLine + 1}: repeats the state text`);
        }
        const reserve = z.parsed.lowmemReserveRange;
        if (!reserve) continue;
        const rtext = md(hover(doc, { line: reserve.startLine, character: reserve.startChar + 1 }));
        assert.ok(
          rtext.startsWith(`**lowmem_reserve[] of ${zoneLabel(z)}** — `),
          `${file}:${reserve.startLine + 1}`,
        );
        assert.ok((rtext.match(/← this request/g) ?? []).length <= 1);
        if (z.check?.usable && z.check.classzone && z.protection && a.verdict !== 'not_applicable')
          assert.match(
            rtext.split('\n')[0],
            new RegExp(`the \\*\\*${z.check.classzone}\\*\\* column applied`),
          );
      }
    }
  }
  assert.ok(zones > 150, `zone hovers checked: ${zones}`);
});
