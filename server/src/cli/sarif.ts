// `--format sarif`: SARIF 2.1.0 (OASIS, sarif-v2.1.0-os) for code scanning. One rule per finding
// code (core/codes.ts FINDING_CODES) with docs/codes/<CODE>.md as its help; one result per finding
// of a report, a repeated report being one result with `occurrenceCount`; `partialFingerprints`
// from what the report says (results.ts), so GitHub keeps one alert per report across runs and
// line shifts; paths relative to `--base` through the `%SRCROOT%` base id. test/core/
// cli-formats.test.ts validates the output against the 2.1.0 schema.
import { pathToFileURL } from 'node:url';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Severity } from '../core/analysis-types';
import { FINDING_CODES, type FindingCodeId } from '../core/codes';
import { oneLine } from '../core/safe-text';
import { STDIN } from './args';
import { codeDoc, packageVersion } from './package-files';
import { MAX_RESULTS, type CiResult, type ResultCollector } from './results';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** Where an input is, for SARIF and GitHub: relative to `base` with `/` separators when it is
 * inside it; otherwise absolute. Standard input is `stdin`. */
export function inputPath(file: string, base: string): { path: string; relative: boolean } {
  if (file === STDIN) return { path: 'stdin', relative: true };
  const absolute = resolve(file);
  const rel = relative(resolve(base), absolute);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
    return { path: rel.split(sep).join('/'), relative: true };
  return { path: absolute, relative: false };
}

function artifactLocation(file: string, base: string): { uri: string; uriBaseId?: string } {
  const where = inputPath(file, base);
  if (!where.relative) return { uri: pathToFileURL(where.path).href };
  return { uri: where.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The help page as plain text: the Markdown's headings, emphasis and code marks dropped. */
function plainHelp(markdown: string): string {
  return markdown
    .replace(/^#+\s*/gm, '')
    .replace(/\*\*|`/g, '')
    .trim();
}

function rules(): object[] {
  return Object.values(FINDING_CODES).map((c) => {
    // the page of the code, from docs/codes (shipped in the package): no helpUri, since the
    // project has no public address for them
    const doc = codeDoc(c.code);
    return {
      id: c.code,
      name: c.name,
      shortDescription: { text: c.title },
      fullDescription: { text: c.title },
      help: doc ? { text: plainHelp(doc), markdown: doc } : { text: c.title },
      defaultConfiguration: { level: LEVEL[c.severity] },
      properties: { tags: ['linux-kernel', 'memory'] },
    };
  });
}

const RULE_INDEX = new Map<string, number>(Object.keys(FINDING_CODES).map((code, i) => [code, i]));

function messageText(r: CiResult): string {
  const text = oneLine(r.message);
  return r.count > 1 ? `${text} (${r.count} identical reports in this log)` : text;
}

function resultJson(r: CiResult, base: string): object {
  const location = (line: number, message?: string, file = r.file): object => ({
    physicalLocation: { artifactLocation: artifactLocation(file, base), region: { startLine: line } },
    ...(message === undefined ? {} : { message: { text: oneLine(message) } }),
  });
  const related = [
    ...r.related.map((rel) => location(rel.line, rel.message)),
    ...r.repeats.map((at) => location(at.line, 'an identical report', at.file)),
  ].map((loc, id) => ({ id, ...loc }));
  return {
    ruleId: r.code,
    ruleIndex: RULE_INDEX.get(r.code as FindingCodeId) ?? -1,
    level: LEVEL[r.severity],
    message: { text: messageText(r) },
    locations: [location(r.line)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'klensReport/v1': r.fingerprint },
    occurrenceCount: r.count,
  };
}

/** The whole SARIF log of one run (written at the end: results are grouped across the inputs). */
export function sarifLog(collected: ResultCollector, base: string): string {
  const notifications =
    collected.dropped > 0
      ? [
          {
            level: 'warning',
            message: {
              text: `${collected.dropped} further findings left out: GitHub code scanning takes at most ${MAX_RESULTS} results per run`,
            },
          },
        ]
      : [];
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'klens',
            fullName: 'Kernel Log Lens',
            version: packageVersion(),
            informationUri: 'https://github.com/klens/kernel-log-lens',
            rules: rules(),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(resolve(base) + sep).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: collected.results.map((r) => resultJson(r, base)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
