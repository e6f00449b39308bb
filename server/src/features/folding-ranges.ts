// textDocument/foldingRange: one region per report, one per Mem-Info section (the counters, node,
// zone, lowmem_reserve, buddy and hugepages lines) and one per call trace.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { Report } from '../core/model';
import type { LogDocument } from './document';
import { CopiedReport } from '../core/analyze';

/** Most ranges one document gets (VS Code's own `editor.foldingMaximumRegions` default). */
export const MAX_FOLDING_RANGES = 5000;

export function foldingRanges(doc: LogDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const starts = new Set<number>();
  const push = (startLine: number, endLine: number, collapsedText: string): void => {
    // Two ranges starting on one line confuse editors (VS Code keeps one): the outer one wins.
    if (endLine <= startLine || starts.has(startLine)) return;
    starts.add(startLine);
    ranges.push({ startLine, endLine, kind: FoldingRangeKind.Region, collapsedText });
  };
  // a copy of a repeated stretch folds as its source, moved (its report is not made)
  let source: Report | null = null;
  let sourceRanges: Fold[] = [];
  for (const entry of doc.reports) {
    if (ranges.length >= MAX_FOLDING_RANGES - 2) break;
    if (entry instanceof CopiedReport) {
      if (entry.source !== source) sourceRanges = reportFolds((source = entry.source));
      for (const f of sourceRanges) push(f.start + entry.delta, f.end + entry.delta, f.text);
    } else for (const f of reportFolds(entry.report)) push(f.start, f.end, f.text);
  }
  return ranges;
}

interface Fold {
  start: number;
  end: number;
  text: string;
}

/** A report's regions: the report, its call trace and its memory dump. */
function reportFolds(report: Report): Fold[] {
  const folds: Fold[] = [{ start: report.line, end: report.endLine, text: 'report' }];
  const trace = report.callTrace;
  if (trace.length > 0)
    folds.push({ start: trace[0].line, end: trace[trace.length - 1].line, text: 'call trace' });
  const memInfo = memInfoSection(report);
  if (memInfo) folds.push({ start: memInfo.start, end: memInfo.end, text: 'Mem-Info' });
  return folds;
}

/** The lines of a report's memory dump: from `Mem-Info:` (or its first counter) to its last line. */
export function memInfoSection(report: Report): { start: number; end: number } | null {
  // Loops, not Math.min(...lines): a hostile report can hold more lines than a call has arguments.
  let first = Infinity;
  let end = -1;
  const add = (line: number, last: number): void => {
    if (line < first) first = line;
    if (last > end) end = last;
  };
  for (const c of report.counters) add(c.line, c.range.endLine);
  for (const n of report.nodes) add(n.line, n.range.endLine);
  for (const z of report.zones) add(z.line, Math.max(z.range.endLine, z.lowmemReserveRange?.endLine ?? 0));
  for (const b of report.buddy) add(b.line, b.range.endLine);
  for (const p of report.perCpu) add(p.line, p.line);
  for (const h of report.hugepages) add(h.line, h.line);
  if (end < 0) return null;
  const start = report.memInfoLine ?? first;
  return end > start ? { start, end } : null;
}
