// textDocument/documentSymbol: the Outline — each report (kind, order, task) with its zones.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { ZoneState } from '../core/analysis-types';
import { oneLine, toRange } from './text';
import { FINDING_CODES, REPORT_CODE } from '../core/codes';
import { zoneLabel } from '../core/zones';
import type { LogDocument } from './document';

const STATE_TEXT: Partial<Record<ZoneState | 'empty', string>> = {
  below_min: 'below min',
  below_low: 'below low',
  below_high: 'below high',
  ok: 'ok',
  empty: 'empty',
  unknown: 'watermarks unknown',
};

export function documentSymbols(doc: LogDocument): DocumentSymbol[] {
  return doc.reports.map(({ report, analysis }) => {
    const end = doc.lines.lineRange(report.endLine).end;
    const range = { start: { line: report.line, character: 0 }, end };
    const order = report.order !== null ? ` order ${report.order}` : '';
    const who = report.comm ? ` — ${oneLine(report.comm)}` : '';
    const zones = report.zones.map((zone): DocumentSymbol => {
      const state = analysis.zones.find((z) => z.line === zone.line)?.state ?? 'unknown';
      const zoneRange = toRange(zone.range);
      return {
        name: oneLine(zoneLabel(zone)),
        detail: `free ${zone.freeKb ?? '?'} kB, ${STATE_TEXT[state] ?? state}`,
        kind: SymbolKind.Struct,
        range: zoneRange,
        selectionRange: zoneRange,
      };
    });
    return {
      name: `${FINDING_CODES[REPORT_CODE[report.kind]].title}${order}${who}`,
      detail: [
        report.time && oneLine(report.time),
        analysis.verdict !== 'not_applicable' ? analysis.verdict.replace(/_/g, ' ') : null,
      ]
        .filter(Boolean)
        .join(' · '),
      kind: report.kind === 'oom_kill' ? SymbolKind.Event : SymbolKind.Object,
      range,
      selectionRange: toRange(report.headerRange),
      children: zones,
    };
  });
}
