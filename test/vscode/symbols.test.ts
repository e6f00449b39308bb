// The Outline: each report, with its zones as children on their lines.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, waitFor } from './util';

describe('document symbols', () => {
  it('lists the seed report with its four zones', async () => {
    const document = await openFixture('000-seed.log');
    const symbols = await waitFor('document symbols of the seed', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      );
      return found && found.length > 0 ? found : undefined;
    });
    assert.equal(symbols.length, 1, `one report: ${symbols.map((s) => s.name).join(' | ')}`);
    const [report] = symbols;
    assert.ok('children' in report, 'hierarchical symbols (DocumentSymbol)');
    assert.equal(report.selectionRange.start.line, 0, 'the report starts at its header');
    assert.ok(report.range.end.line >= 42, 'the report spans its zone lines');

    const zones = report.children.map((child) => ({
      name: child.name,
      line: child.selectionRange.start.line,
    }));
    const expected = [
      { zone: /Node 0\b.*\bDMA\b/, line: 35 },
      { zone: /Node 0\b.*\bDMA32\b/, line: 37 },
      { zone: /Node 0\b.*\bNormal\b/, line: 39 },
      { zone: /Node 1\b.*\bNormal\b/, line: 42 },
    ];
    for (const { zone, line } of expected) {
      assert.ok(
        zones.some((z) => zone.test(z.name) && z.line === line),
        `a child ${zone} on line ${line + 1}: ${JSON.stringify(zones)}`,
      );
    }
  });
});
