// textDocument/foldingRange: one region per report, one per Mem-Info section (the counters, node,
// zone, lowmem_reserve, buddy and hugepages lines) and one per call trace.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Report } from '../core/model';
import type { LogDocument } from './document';

export function foldingRanges(doc: LogDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const starts = new Set<number>();
  const push = (startLine: number, endLine: number, collapsedText: string): void => {
    // Two ranges starting on one line confuse editors (VS Code keeps one): the outer one wins.
    if (endLine <= startLine || starts.has(startLine)) return;
    starts.add(startLine);
    ranges.push({ startLine, endLine, kind: FoldingRangeKind.Region, collapsedText });
  };
  for (const report of doc.log.reports) {
    push(report.line, report.endLine, 'report');
    const trace = report.callTrace;
    if (trace.length > 0) push(trace[0].line, trace[trace.length - 1].line, 'call trace');
    const memInfo = memInfoSection(report);
    if (memInfo) push(memInfo.start, memInfo.end, 'Mem-Info');
  }
  return ranges;
}

/** The lines of a report's memory dump: from `Mem-Info:` (or its first counter) to its last line. */
export function memInfoSection(report: Report): { start: number; end: number } | null {
  const lines = [
    ...report.counters.map((c) => [c.line, c.range.endLine]),
    ...report.nodes.map((n) => [n.line, n.range.endLine]),
    ...report.zones.map((z) => [z.line, Math.max(z.range.endLine, z.lowmemReserveRange?.endLine ?? 0)]),
    ...report.buddy.map((b) => [b.line, b.range.endLine]),
    ...report.perCpu.map((p) => [p.line, p.line]),
    ...report.hugepages.map((h) => [h.line, h.line]),
  ];
  if (lines.length === 0) return null;
  const start = report.memInfoLine ?? Math.min(...lines.map(([s]) => s));
  const end = Math.max(...lines.map(([, e]) => e));
  return end > start ? { start, end } : null;
}
