// `--format github`: GitHub Actions workflow commands, `::warning file=…,line=…,title=…::message`,
// one per result (results.ts: a repeated report is one, with its count), hints left out. The runner
// reads a command from any stdout line that starts with `::`; text from a log must never start one,
// so every value is escaped as @actions/core escapes it (toCommandValue/escapeData: `%` `\r` `\n`;
// escapeProperty: also `:` and `,`), after the core's oneLine has removed the other controls.
import type { Severity } from '../core/analysis-types';
import { FINDING_CODES, type FindingCodeId } from '../core/codes';
import { oneLine } from '../core/safe-text';
import type { CiResult, ResultCollector } from './results';
import { inputPath } from './sarif';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice' | null> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: null,
};

/** A command's message (@actions/core escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value (@actions/core escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(r: CiResult, base: string): string | null {
  const name = COMMAND[r.severity];
  if (name === null) return null;
  const code = FINDING_CODES[r.code as FindingCodeId];
  const title = `${r.code} ${code ? code.title : ''}`.trim();
  const where = inputPath(r.file, base);
  const times = r.count > 1 ? ` (${r.count} identical reports in this log)` : '';
  const properties = [
    `file=${escapeProperty(oneLine(where.path))}`,
    `line=${r.line}`,
    `title=${escapeProperty(title)}`,
  ];
  return `::${name} ${properties.join(',')}::${escapeData(oneLine(r.message) + times)}\n`;
}

/** The commands of one run, then a plain summary line (never empty: a clean log says so). */
export function githubCommands(collected: ResultCollector, base: string, reports: number): string {
  const out: string[] = [];
  let shown = 0;
  for (const r of collected.results) {
    const line = command(r, base);
    if (line === null) continue;
    out.push(line);
    shown++;
  }
  const dropped = collected.dropped > 0 ? `, ${collected.dropped} more findings left out` : '';
  out.push(
    `klens: ${reports} kernel memory report${reports === 1 ? '' : 's'}, ${shown} annotation${shown === 1 ? '' : 's'}${dropped}\n`,
  );
  return out.join('');
}
