// How failure classes are shown and kept: a few lines per class for a terminal or a test's
// assertion message, and one text file per class (plus the raw inputs, readable by `klens analyze`)
// under test/fuzz/.findings/, which git ignores.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsLiteral } from './minimise';
import { PROPERTIES, type Property } from './properties';
import { ROOT } from './corpus';

export const FINDINGS_DIR = join(ROOT, 'test', 'fuzz', '.findings');

/** The parts of a failure every phase reports. */
export interface Finding {
  phase: 'core' | 'lsp' | 'cli';
  property: Property | string;
  key: string;
  count: number;
  detail: string;
  /** How to get the input again, e.g. `--seed 1 --replay 123`. */
  replay: string;
  input: string;
  minimised?: string;
  minimisedDetail?: string;
  extra?: string;
}

const MAX_LITERAL = 1200;

function literal(text: string, max = MAX_LITERAL): string {
  const s = jsLiteral(text);
  return s.length <= max ? s : `${s.slice(0, max)}… (${text.length} characters in all)`;
}

export function formatFinding(f: Finding, max = MAX_LITERAL): string {
  const description = f.property in PROPERTIES ? PROPERTIES[f.property as Property] : '';
  const lines = [
    `[${f.phase}] ${f.property}: ${f.key}  (${f.count} input${f.count === 1 ? '' : 's'})`,
    description && `  property: ${description}`,
    `  replay: npm run fuzz -- ${f.replay}`,
    `  detail: ${indent(f.minimisedDetail ?? f.detail)}`,
    f.minimised !== undefined
      ? `  minimised input: ${literal(f.minimised, max)}`
      : `  shortest input: ${literal(f.input, max)}`,
    f.extra && `  ${f.extra}`,
  ];
  return lines.filter(Boolean).join('\n');
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n          ');
}

function slug(f: Finding): string {
  return `${f.phase}-${f.property}-${f.key}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}

/** Writes each finding to `<dir>/<slug>.txt` (with the input as `<slug>.input.log` and the
 * minimised one as `<slug>.min.log`) and a summary; returns the summary's path. */
export function writeFindings(findings: readonly Finding[], header: string, dir = FINDINGS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const names = new Map<string, number>();
  for (const f of findings) {
    let name = slug(f);
    const n = names.get(name) ?? 0;
    names.set(name, n + 1);
    if (n > 0) name += `-${n + 1}`;
    writeFileSync(
      join(dir, `${name}.txt`),
      `${header}\n\n${formatFinding(f, Infinity)}\n\n  shortest input: ${jsLiteral(f.input)}\n`,
    );
    writeFileSync(join(dir, `${name}.input.log`), f.input);
    if (f.minimised !== undefined) writeFileSync(join(dir, `${name}.min.log`), f.minimised);
  }
  const summary = join(dir, 'summary.txt');
  writeFileSync(summary, `${header}\n\n${findings.map((f) => formatFinding(f)).join('\n\n')}\n`);
  return summary;
}
