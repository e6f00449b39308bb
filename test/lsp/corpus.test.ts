// Every annotated corpus log through the real server: each report in the Outline and the
// Problems panel on its header line, and every annotated zone line hovering with its own numbers
// (all eras and framings in test/fixtures/corpus, the annotations in its INDEX.json).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, DocumentSymbol, Hover } from 'vscode-languageserver/node';
import { fixture, FIXTURES, hoverText, TestClient, useServer } from './harness';

interface Annotated {
  file: string;
  events: {
    header_line: number;
    zones: { line: number; zone: string; free_kb: number | null; min_kb: number | null }[];
  }[];
}

const index = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'INDEX.json'), 'utf8')) as Annotated[];

let client: TestClient;
useServer((started) => (client = started));

for (const entry of index) {
  test(`${entry.file}: outline, diagnostics and zone hovers`, async () => {
    const uri = `file:///corpus/${entry.file}`;
    const text = fixture(entry.file);
    await client.open(uri, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    assert.deepEqual(
      symbols.map((s) => s.selectionRange.start.line + 1),
      entry.events.map((e) => e.header_line),
      'one outline entry per report, on its header line',
    );
    const diagnostics = await client.pull(uri);
    // a report has its diagnostic on its header line, or is a repeat listed by its group's
    // (issue #17: repeats have none of their own)
    const repeats = new Set(
      diagnostics.flatMap((d: Diagnostic) =>
        (d.relatedInformation ?? [])
          .filter((r) => /^repeat \d+ of \d+/.test(r.message))
          .map((r) => r.location.range.start.line),
      ),
    );
    for (const event of entry.events) {
      const onHeader = diagnostics.filter(
        (d: Diagnostic) => d.range.start.line === event.header_line - 1 && /^KLL00\d$/.test(String(d.code)),
      );
      assert.equal(
        onHeader.length + (repeats.has(event.header_line - 1) ? 1 : 0),
        1,
        `a report diagnostic on line ${event.header_line}, or a repeat of one`,
      );
    }
    const lines = text.split('\n');
    for (const zone of entry.events.flatMap((e) => e.zones)) {
      const character = lines[zone.line - 1].indexOf(zone.zone);
      assert.ok(character >= 0, `${zone.zone} on line ${zone.line}`);
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: zone.line - 1, character: character + 1 },
      });
      const shown = hoverText(hover);
      assert.match(
        shown,
        new RegExp(`\\*\\*(Node \\d+ )?${zone.zone}\\*\\*`),
        `zone hover on line ${zone.line}`,
      );
      if (zone.free_kb !== null)
        assert.match(shown, new RegExp(`\\| free \\| ${zone.free_kb} \\|`), `free of line ${zone.line}`);
      if (zone.min_kb !== null)
        assert.match(shown, new RegExp(`\\| min \\| ${zone.min_kb} \\|`), `min of line ${zone.line}`);
    }
  });
}
