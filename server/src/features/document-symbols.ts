// textDocument/documentSymbol: the Outline — each report (kind, order, task) with its zones.

import { isManualOom } from '../core/oom-kind';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { ZoneState } from '../core/analysis-types';
import { oneLine, toRange } from './text';
import { FINDING_CODES, REPORT_CODE } from '../core/codes';
import { REPORT_KINDS } from '../core/kinds';
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

/** Most reports the Outline lists; one more entry says how many follow (KLL031). */
export const MAX_REPORT_SYMBOLS = 1000;
/** Most zones listed under one report (a real one has at most a few per NUMA node). */
export const MAX_ZONE_SYMBOLS = 64;

export function documentSymbols(doc: LogDocument): DocumentSymbol[] {
  const shown = doc.reports.slice(0, MAX_REPORT_SYMBOLS).map(({ report, analysis }): DocumentSymbol => {
    const end = doc.lines.lineRange(report.endLine).end;
    const range = { start: { line: report.line, character: 0 }, end };
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
      const zoneRange = toRange(zone.parsed.range);
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
        moreSymbol(inside.length - MAX_ZONE_SYMBOLS, 'zone', toRange(inside[MAX_ZONE_SYMBOLS].parsed.range)),
      );
    // an OOM report's victim (the `Killed process` line, mm/oom_kill.c __oom_kill_process) and the
    // kind of OOM, listed under the report (after its zones, in line order) when the line lies inside it
    const killed = report.killed;
    if (killed && killed.line <= report.endLine) {
      const at = doc.lines.lineRange(killed.line);
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
        report.time && oneLine(report.time),
        analysis.verdict !== 'not_applicable' ? analysis.verdict.replace(/_/g, ' ') : null,
      ]
        .filter(Boolean)
        .join(' · '),
      kind: SymbolKind[REPORT_KINDS[report.kind].outline],
      range,
      selectionRange: toRange(report.headerRange),
      children: zones,
    };
  });
  const rest = doc.reports.length - MAX_REPORT_SYMBOLS;
  if (rest > 0) {
    const from = doc.reports[MAX_REPORT_SYMBOLS].report;
    const range = {
      start: { line: from.line, character: 0 },
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
