// textDocument/documentSymbol: the Outline — each report (kind, order, task) with its zones.

import { isManualOom } from '../core/oom-kind';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { ReportAnalysis, ZoneState } from '../core/analysis-types';
import { oneLine, toRange } from './text';
import { FINDING_CODES, REPORT_CODE } from '../core/codes';
import { REPORT_KINDS } from '../core/kinds';
import { zoneLabel } from '../core/zones';
import { headerLine, type LogDocument } from './document';
import { CopiedReport } from '../core/analyze';
import type { Report, TextRange } from '../core/model';

const STATE_TEXT: Partial<Record<ZoneState | 'empty', string>> = {
  below_min: 'below min',
  below_low: 'below low',
  below_high: 'below high',
  ok: 'ok',
  empty: 'empty',
  unknown: 'watermarks unknown',
};

/** Most reports the Outline lists; one more entry says how many follow (KLL031). */
export const MAX_REPORT_SYMBOLS = 1000;
/** Most zones listed under one report (a real one has at most a few per NUMA node). */
export const MAX_ZONE_SYMBOLS = 64;

export function documentSymbols(doc: LogDocument): DocumentSymbol[] {
  // a flood's copy is listed unmade: its content's symbol (its template's first report), moved
  const shown = doc.reports.slice(0, MAX_REPORT_SYMBOLS).map((entry): DocumentSymbol => {
    if (!(entry instanceof CopiedReport))
      return reportSymbol(doc, entry.report, entry.analysis, 0, entry.report.time);
    const { report, analysis } = entry.first;
    return reportSymbol(doc, report, analysis, entry.firstShift, entry.time);
  });
  const rest = doc.reports.length - MAX_REPORT_SYMBOLS;
  if (rest > 0) {
    const range = {
      start: { line: headerLine(doc.reports[MAX_REPORT_SYMBOLS]), character: 0 },
      end: doc.lines.lineRange(doc.lines.lineCount - 1).end,
    };
    shown.push(moreSymbol(rest, 'report', range));
  }
  return shown;
}

/** The entry that stands for what the Outline leaves out (KLL031), starting where that begins. */
function moreSymbol(count: number, what: string, range: Range): DocumentSymbol {
  return {
    name: `… ${count} more ${what}${count === 1 ? '' : 's'} (not listed)`,
    detail: FINDING_CODES.KLL031.title,
    kind: SymbolKind.Null,
    range,
    selectionRange: { start: range.start, end: range.start },
  };
}

/** The outline entry of `report` moved by `shift` lines (a copy's, from its content's report),
 * with `time` as its stamp. */
function reportSymbol(
  doc: LogDocument,
  report: Report,
  analysis: ReportAnalysis,
  shift: number,
  time: string | null,
): DocumentSymbol {
  const end = doc.lines.lineRange(report.endLine + shift).end;
  const range = { start: { line: report.line + shift, character: 0 }, end };
  const order = isManualOom(report)
    ? ' (manual, SysRq f)'
    : report.order !== null
      ? ` order ${report.order}`
      : '';
  const who = report.comm ? ` — ${oneLine(report.comm)}` : '';
  // A zone line read after another report began (another CPU's lines) lies outside this report's
  // span: an outline child must lie inside its parent, so only the zones inside are listed.
  const inside = analysis.zones.filter((z) => z.parsed.range.endLine <= report.endLine);
  const zones = inside.slice(0, MAX_ZONE_SYMBOLS).map((zone): DocumentSymbol => {
    const zoneRange = toRange(moved(zone.parsed.range, shift));
    return {
      name: oneLine(zoneLabel(zone)),
      // one truth with the replay (as the text table): a zone above min that failed the request
      detail:
        `free ${zone.freeKb ?? '?'} kB, ${STATE_TEXT[zone.state] ?? zone.state}` +
        (zone.check?.result === 'fail' &&
        !zone.empty &&
        zone.state !== 'below_min' &&
        zone.state !== 'unknown'
          ? ', fails request'
          : ''),
      kind: SymbolKind.Struct,
      range: zoneRange,
      selectionRange: zoneRange,
    };
  });
  if (inside.length > MAX_ZONE_SYMBOLS)
    zones.push(
      moreSymbol(
        inside.length - MAX_ZONE_SYMBOLS,
        'zone',
        toRange(moved(inside[MAX_ZONE_SYMBOLS].parsed.range, shift)),
      ),
    );
  // an OOM report's victim (the `Killed process` line, mm/oom_kill.c __oom_kill_process) and the
  // kind of OOM, listed under the report (after its zones, in line order) when the line lies inside it
  const killed = report.killed;
  if (killed && killed.line <= report.endLine) {
    const at = doc.lines.lineRange(killed.line + shift);
    zones.push({
      name: oneLine(`killed ${killed.comm ?? '?'} (pid ${killed.pid ?? '?'})`),
      detail: oneLine(analysis.oomKind?.label ?? 'OOM victim'),
      kind: SymbolKind.Event,
      range: at,
      selectionRange: at,
    });
  }
  return {
    name: `${FINDING_CODES[REPORT_CODE[report.kind]].title}${order}${who}`,
    detail: [
      time && oneLine(time),
      analysis.verdict !== 'not_applicable' ? analysis.verdict.replace(/_/g, ' ') : null,
    ]
      .filter(Boolean)
      .join(' · '),
    kind: SymbolKind[REPORT_KINDS[report.kind].outline],
    range,
    selectionRange: toRange(moved(report.headerRange, shift)),
    children: zones,
  };
}

/** A range `shift` lines further. */
function moved(range: TextRange, shift: number): TextRange {
  return shift === 0
    ? range
    : { ...range, startLine: range.startLine + shift, endLine: range.endLine + shift };
}
