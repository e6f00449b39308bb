// Diagnostics as the Problems panel gets them: one per report on its header line, with the
// numbers of the report in the message, a stable code with a documentation link, and the zone
// lines that decided it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeValue, diagnosticsWithOneOn, openFixture } from './util';

/** Report diagnostics are warnings (allocation failures) or errors (OOM kills); hints about a zone
 * or a missing input may share the header line. */
function isReportSeverity(d: vscode.Diagnostic): boolean {
  return d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning;
}

describe('diagnostics', () => {
  it('reports the seed allocation failure on its header line', async () => {
    const document = await openFixture('000-seed.log');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 0);
    const headers = diagnostics.filter((d) => d.range.start.line === 0 && isReportSeverity(d));
    assert.equal(headers.length, 1, 'one report diagnostic (warning or error) per header');
    const [header] = headers;

    assert.equal(header.severity, vscode.DiagnosticSeverity.Warning, 'an allocation failure is a warning');
    assert.equal(header.range.end.line, 0, 'the range stays on the header line');
    assert.match(document.getText(header.range), /page allocation failure/, 'the range covers the header');
    // issue #14: the verdict first; the size, context and call chain in the related information
    assert.match(
      header.message,
      /^order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists/,
    );
    assert.ok(header.message.length <= 120, header.message);
    const request =
      (header.relatedInformation ?? []).find((r) => r.location.range.start.line === 0)?.message ?? '';
    assert.match(request, /order-5 \(128 KiB\)/);
    assert.match(request, /GFP_ATOMIC/);
    assert.match(request, /softirq/);

    assert.ok(codeValue(header.code), 'a stable code per finding');
    assert.ok(
      typeof header.code === 'object' && header.code.target instanceof vscode.Uri,
      'the code links to its documentation',
    );

    const related = header.relatedInformation ?? [];
    assert.ok(related.length > 0, 'relatedInformation points at the zone lines that decided it');
    assert.ok(
      related.every((info) => info.location.uri.toString() === document.uri.toString()),
      'related locations are in the same log',
    );
    assert.ok(
      related.some((info) => info.location.range.start.line === 42),
      `Node 1 Normal (line 43) is among the related zone lines: ${related.map((r) => r.location.range.start.line + 1).join(', ')}`,
    );
  });

  it('marks the Node 1 Normal zone, which is below its low watermark', async () => {
    const document = await openFixture('000-seed.log');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 42);
    const zone = diagnostics.filter((d) => d.range.start.line === 42);
    assert.equal(zone.length, 1);
    assert.ok(
      zone[0].severity === vscode.DiagnosticSeverity.Hint ||
        zone[0].severity === vscode.DiagnosticSeverity.Information,
      `a zone finding is a hint or information, not ${vscode.DiagnosticSeverity[zone[0].severity]}`,
    );
    // The zone line was wrapped by the log (line 44 holds its end): the range may span both.
    assert.ok(zone[0].range.end.line <= 43, 'the range stays within the zone line and its wrapped rest');
    assert.match(
      document.getText(zone[0].range),
      /Node 1 Normal free:19976kB/,
      'the range covers the zone line',
    );
    assert.match(zone[0].message, /low/);
    assert.ok(codeValue(zone[0].code));
    assert.notEqual(
      codeValue(zone[0].code),
      codeValue(diagnostics.find((d) => d.range.start.line === 0)?.code),
      'zone and report findings have their own codes',
    );
  });

  it('reports an OOM kill in `messages` as an error', async () => {
    const document = await openFixture('var/log/messages');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 0);
    const header = diagnostics.filter((d) => d.range.start.line === 0 && isReportSeverity(d));
    assert.equal(header.length, 1);
    assert.equal(header[0].severity, vscode.DiagnosticSeverity.Error, 'an OOM kill is an error');
    assert.match(document.getText(header[0].range), /invoked oom-killer/);
    assert.equal(diagnostics.filter(isReportSeverity).length, 1, 'the file holds one report');
  });

  it('reports the order-4 failure in `kern.log`', async () => {
    const document = await openFixture('var/log/kern.log');
    const diagnostics = await diagnosticsWithOneOn(document.uri, 0);
    const header = diagnostics.filter((d) => d.range.start.line === 0 && isReportSeverity(d));
    assert.equal(header.length, 1);
    assert.equal(header[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(header[0].message, 'order-4 GFP_ATOMIC failed: undecidable; no zone lines');
  });
});
