// The properties every input must have, checked in one pass over one text: the core and every
// feature run without an exception; every range and position they give lies inside the document as
// LSP counts lines (vscode-languageserver-textdocument is the oracle: `\n`, `\r\n` and a lone `\r`
// end a line) and on the text it claims to cover; no NaN, Infinity, exponent notation or unsafe
// integer reaches the JSON, the text rendering, the hovers or the sysctl suggestions; reports are
// sorted and disjoint; symbols, folding ranges, quick-fix edits and sysctl text are well formed;
// and analysing the same text again gives the same result. Each stage's time is measured for the
// linear-time property, which the caller judges against a calibration run (sandbox.ts).
//
// Runs inside the sandbox's worker thread (worker.ts), so a hang can be killed. Never throws: a
// failure of the harness itself is reported as a violation too.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  Diagnostic,
  DocumentSymbol,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { analyzeDocument, reportAt, type LogDocument } from '../../server/src/features/document';
import { diagnostics } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import {
  codeActions,
  resolveCodeAction,
  type SysctlDestination,
} from '../../server/src/features/code-actions';
import { documentStatus, sysctlSuggestions } from '../../server/src/features/status';
import { toRange } from '../../server/src/features/text';
import { renderReportText } from '../../server/src/core/render-text';
import { stripEscapes } from '../../server/src/core/lines';
import type { Report, ReportKind, TextRange } from '../../server/src/core/model';
import { parseLog, READER_ANCHORS } from '../../server/src/core/parse';
import { createScan } from '../../server/src/cli/scan';
import { CopiedReport, ReportSequence, type Analysed } from '../../server/src/core/analyze';
import { eventJson, JsonFileWriter, repeatJson } from '../../server/src/cli/json';
import { fileSummary, PLAIN, reportBlock, SysctlCollector } from '../../server/src/cli/text';

export const PROPERTIES = {
  'core-throws': 'parseLog/analyzeLog (analyzeDocument) throw no exception',
  'feature-throws':
    'no feature function (diagnostics, hover, documentSymbols, foldingRanges, codeActions, resolve, documentStatus, sysctlSuggestions) throws',
  'output-throws': 'the CLI writers (JSON, text blocks, --sysctl block) throw no exception',
  'range-invalid': 'every range and position lies inside the document as LSP counts lines (start ≤ end)',
  'range-text': 'every range covers the text it claims (header words, zone names, labels, values)',
  'number-format':
    'no NaN, Infinity, exponent notation or integer beyond 2^53 in the JSON, the analysis, the text, the hovers or the sysctl suggestions',
  'report-order': 'reports are sorted, disjoint, and their parts lie inside them; one analysis per report',
  'same-reading':
    "the CLI's skipping reader (the text's UTF-8 bytes in 7919-byte writes) finds the reports a full parse of that text finds",
  'feature-shape':
    'symbols (non-empty names, selectionRange inside range, children inside parent), folding ranges, hovers (range holds the position; present on headers, zones, lowmem_reserve and buddy lines) and status counts are well formed',
  'sysctl-format': 'sysctl text is only comments, blank lines and `key = digits` (or `sysctl -w key=digits`)',
  'json-valid': "the CLI's JSON writer produces one valid JSON document",
  deterministic: 'analysing the same text again (after another text) gives the same result',
  'linear-time': 'each stage stays within a linear time budget calibrated on the corpus',
  timeout: 'the whole check of an input finishes (no hang)',
  crash: 'the check neither runs out of memory nor kills its thread',
  'harness-error': 'the harness itself did not fail',
} as const;

export type Property = keyof typeof PROPERTIES;

export interface Violation {
  property: Property;
  /** What kind of failure, without input-specific values: violations with one key are one class. */
  key: string;
  /** The specifics for this input (values, positions, messages). */
  detail: string;
}

/** Stages timed separately (per call: the slowest hover or code-action call counts). */
export const STAGES = [
  'core',
  'diagnostics',
  'hover',
  'symbols',
  'folding',
  'codeActions',
  'status',
  'output',
] as const;
export type Stage = (typeof STAGES)[number];
export type Timings = Record<Stage, number>;

export interface CheckOptions {
  /** Extra hover positions: (line seed, column seed) pairs, reduced modulo the document. */
  positions?: readonly [number, number][];
  /** `kernelLogLens.kernelRelease`. */
  kernelRelease?: string;
  /** Run the determinism check (two more analyses), after analysing `interleaved` in between. */
  determinism?: boolean;
  interleaved?: string;
}

export interface CheckResult {
  violations: Violation[];
  timings: Timings;
  reports: number;
  length: number;
}

export const URI = 'file:///ws/logs/messages';
const SYSCTL_URI = 'file:///ws/sysctl.d/90-kernel-log-lens.conf';
/** Hover/code-action calls per kind of target are capped, so a log of 2000 zone lines stays cheap. */
const MAX_TARGETS = 200;
const MAX_CODE_ACTION_REPORTS = 12;

/** The keyword a header of each kind holds (formats.ts LINE_FORMATS, the kernel's printk formats). */
/** The kinds whose header warn_alloc prints (4.9–4.14: the comm with a pr_warn of its own). */
const WARN_ALLOC_KINDS: ReadonlySet<ReportKind> = new Set([
  'page_alloc_failure',
  'alloc_stall',
  'vmalloc_failure',
]);

const HEADER_WORD: Record<ReportKind, RegExp> = {
  page_alloc_failure: /failure/,
  alloc_stall: /stalls/,
  vmalloc_failure: /vmalloc/,
  oom_kill: /oom-killer/,
  slub_failure: /SLUB/,
  // a dump whose header was lost begins at the cpuset or task line dump_stack printed before it
  // (parse.ts LogScanner.orphan)
  show_mem: /Mem-[Ii]nfo|Show Memory|Free pages|active|cpuset=|\bPID:|\bPid:|\bCPU: ?\d/,
};

/**
 * The text the parser reads on a physical line: escape sequences removed as the core removes them
 * (lines.ts stripEscapes: CSI, OSC/DCS…, two-byte ESC sequences; a C1 byte such as U+009B is a
 * character, not an introducer, in UTF-8 text), and on a line holding a NUL (binary junk) the C0
 * controls blanked, and a NO-BREAK SPACE read as a space (lines.ts pushDecoded: one unit for one,
 * columns kept). Ranges point at the original text; what they claim is this text.
 */
function readText(raw: string, binary = raw.indexOf('\0') >= 0): string {
  const text = stripEscapes(raw).text.replace(/\u00a0/g, ' ');
  return binary ? text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, ' ') : text;
}

/** Text of a quoted-printable mail body as the parser reads it (RFC 2045 section 6.7): soft line
 * breaks (`=` at a line's end) removed, `=XX` (upper-case hex) read as the byte it stands for. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=[ \t]*(?:\r\n|\n|\r|$)/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** NaN, ±Infinity, exponent notation, and the usual leaks of an unset value into text. */
const SMELL = /NaN|Infinity|\d(?:\.\d+)?[eE][+-]\d+|undefined|\[object Object\]/g;
const SMELL_QUICK = /NaN|Infinity|\d[eE][+-]|undefined|object Object/;

export class Checker {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  readonly timings: Timings = {
    core: 0,
    diagnostics: 0,
    hover: 0,
    symbols: 0,
    folding: 0,
    codeActions: 0,
    status: 0,
    output: 0,
  };
  readonly oracle: TextDocument;
  /** First line of a quoted-printable body the parser decoded (ParsedLog.quotedPrintableFrom):
   * from there on ranges cover the encoded text. */
  quotedPrintableFrom = Infinity;
  private readonly lineLengths: number[] = [];
  private readonly walked = new WeakSet<object>();

  constructor(readonly text: string) {
    this.oracle = TextDocument.create(URI, 'kernel-log', 1, text);
    for (let line = 0; line < this.oracle.lineCount; line++) {
      const start = this.oracle.offsetAt({ line, character: 0 });
      this.lineLengths.push(this.oracle.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - start);
    }
  }

  /** A violation; `key` names its class, with bracketed specifics (`report[oom_kill]`,
   * `diagnostic[KLL001]`, `hover on zone`) kept in the detail only. */
  fail(property: Property, key: string, detail: string): void {
    const specific = /\[[A-Za-z0-9_]+\]| on [a-z_]+(?=[.:])/.exec(key);
    if (specific) {
      detail = `${key.split(':')[0]}: ${detail}`;
      key = key.replace(/\[[A-Za-z0-9_]+\]| on [a-z_]+(?=[.:])/g, '');
    }
    const k = `${property}|${key}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.violations.push({
      property,
      key,
      detail: detail.length > 2000 ? detail.slice(0, 2000) + '…' : detail,
    });
  }

  /** Runs `fn`, timing it under `stage` (the slowest call counts); an exception is a violation. */
  run<T>(stage: Stage, property: Property, what: string, fn: () => T): T | undefined {
    const start = performance.now();
    try {
      return fn();
    } catch (error) {
      this.fail(property, `${what}: ${errorClass(error)}`, errorText(error));
      return undefined;
    } finally {
      this.timings[stage] = Math.max(this.timings[stage], performance.now() - start);
    }
  }

  lineLength(line: number): number {
    return this.lineLengths[line];
  }

  positionProblem(p: Position | undefined): string | null {
    if (!p || typeof p.line !== 'number' || typeof p.character !== 'number') return 'not a position';
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return 'not an integer';
    if (p.line < 0 || p.character < 0) return 'negative';
    if (p.line >= this.oracle.lineCount) return 'line beyond the document';
    if (p.character > this.lineLengths[p.line]) return 'character beyond the line end';
    return null;
  }

  /** A valid range (both ends inside the document, start ≤ end), else a violation; true if valid. */
  range(where: string, r: Range | undefined): boolean {
    const problem = !r
      ? 'missing'
      : (this.positionProblem(r.start) ??
        this.positionProblem(r.end) ??
        (before(r.end, r.start) ? 'end before start' : null));
    if (problem === null) return true;
    this.fail(
      'range-invalid',
      `${where}: ${problem}`,
      `${where} ${JSON.stringify(r)} in a document of ${this.oracle.lineCount} lines${r && r.start.line < this.oracle.lineCount && r.start.line >= 0 ? ` (line ${r.start.line} has ${this.lineLengths[r.start.line]} characters${r.end.line !== r.start.line && r.end.line >= 0 && r.end.line < this.oracle.lineCount ? `, line ${r.end.line} has ${this.lineLengths[r.end.line]}` : ''})` : ''}`,
    );
    return false;
  }

  line(where: string, line: number): boolean {
    const problem = this.positionProblem({ line, character: 0 });
    if (problem === null) return true;
    this.fail(
      'range-invalid',
      `${where}: ${problem}`,
      `${where} ${line} in a document of ${this.oracle.lineCount} lines`,
    );
    return false;
  }

  /** A model range must be valid and its text (single-line ranges) must match `expected`. */
  textRange(where: string, r: TextRange | null, expected: RegExp | string | null): void {
    if (!r) return;
    const range = toRange(r);
    if (!this.range(where, range) || expected === null) return;
    // Terminal escapes inside the covered text are not the text (`Norma\x1b[0ml` is Normal).
    // (controls are blanked when the physical line holds a NUL anywhere, not only in the range)
    const read = readText(this.oracle.getText(range), this.lineText(range.start.line).includes('\0'));
    const text = range.start.line >= this.quotedPrintableFrom ? decodeQuotedPrintable(read) : read;
    const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    // A wrapped line's range spans several physical lines with framing in between: only its
    // first piece can be compared (it must at least start the expected text).
    if (!ok && range.start.line === range.end.line)
      this.fail(
        'range-text',
        `${where}: text does not match`,
        `${where} ${JSON.stringify(range)} covers ${JSON.stringify(text.slice(0, 300))}, expected ${String(expected)}`,
      );
  }

  lineText(line: number): string {
    if (line < 0 || line >= this.oracle.lineCount) return '';
    return this.oracle.getText({
      start: { line, character: 0 },
      end: { line, character: this.lineLengths[line] },
    });
  }

  /** NaN/Infinity/exponent in a text the user sees (unless the log itself holds that very string). */
  words(where: string | (() => string), text: string | undefined | null): void {
    if (typeof text !== 'string') return;
    SMELL.lastIndex = 0;
    for (let m = SMELL.exec(text); m; m = SMELL.exec(text)) {
      if (this.text.includes(m[0])) continue;
      const at = Math.max(0, m.index - 60);
      const w = typeof where === 'string' ? where : where();
      const what = /^(?:undefined|\[object Object\])$/.test(m[0]) ? m[0] : m[0].replace(/\d+(\.\d+)?/g, 'N');
      this.fail(
        'number-format',
        `${w}: ${what} in text`,
        `${w}: …${text.slice(at, m.index + m[0].length + 60)}…`,
      );
      return;
    }
  }

  /** Every number of a value (JSON-bound data) must print as plain digits and be exact. */
  numbers(where: string, value: unknown, path: (string | number)[] = []): void {
    if (typeof value === 'number') {
      if (
        Number.isFinite(value) &&
        Math.abs(value) <= Number.MAX_SAFE_INTEGER &&
        (Number.isInteger(value) || !/e/i.test(String(value)))
      )
        return;
      const s = String(value);
      const problem = !Number.isFinite(value) ? s : /e/i.test(s) ? 'exponent' : 'beyond 2^53';
      this.fail(
        'number-format',
        `${where}: ${problem} at ${genericPath(path)}`,
        `${where}${exactPath(path)} = ${s}`,
      );
      return;
    }
    if (typeof value === 'string') {
      if (SMELL_QUICK.test(value)) this.words(() => `${where} ${genericPath(path)}`, value);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    // Shared arrays (every repeat of a group holds the group's `repeat.lines`) are walked once.
    if (this.walked.has(value)) return;
    this.walked.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        this.numbers(where, value[i], path);
        path.pop();
      }
    } else {
      for (const k in value) {
        path.push(k);
        this.numbers(where, (value as Record<string, unknown>)[k], path);
        path.pop();
      }
    }
  }

  sysctlText(where: string, text: string | undefined, commands = false): void {
    if (typeof text !== 'string') return;
    this.words(where, text);
    const lines = text.split(/\r\n|\r|\n/);
    for (const line of lines) {
      const ok = commands
        ? // a `# host …` line (several hosts) is a shell comment: the shell runs nothing of it
          /^(?:sysctl -w [a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+=(?:\d+|'\d+(?: \d+)*')|# [^\r\n]*)?$/.test(line)
        : /^(?:|[#;].*|-?[a-z][a-z0-9_]*(?:[./][a-z0-9_]+)+ = \d+(?: \d+)*)$/.test(line);
      if (!ok) {
        this.fail(
          'sysctl-format',
          `${where}: line is not a comment or a setting`,
          `${where}: ${JSON.stringify(line.slice(0, 300))}`,
        );
        return;
      }
    }
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function contains(outer: Range, inner: Range): boolean {
  return !before(inner.start, outer.start) && !before(outer.end, inner.end);
}

function containsPosition(r: Range, p: Position): boolean {
  return !before(p, r.start) && !before(r.end, p);
}

function genericPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? '[]' : `.${p}`)).join('');
}

function exactPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function errorClass(error: unknown): string {
  if (!(error instanceof Error)) return `non-error ${typeof error}`;
  const frame = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .find((l) => /server[/\\]src/.test(l));
  const where = frame ? /(\w[\w.<>]*)? ?\(?[^()]*?([\w-]+\.[jt]s):\d+/.exec(frame) : null;
  const message = error.message
    .replace(/\d+/g, 'N')
    .replace(/'[^']*'|"[^"]*"/g, '…')
    .slice(0, 160);
  return `${error.name}: ${message}${where ? ` at ${where[1] ?? '?'} (${where[2]})` : ''}`;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return (error.stack ?? `${error.name}: ${error.message}`).split('\n').slice(0, 8).join('\n');
}

/** A log's analysis as the determinism check compares it. */
function fingerprint(doc: LogDocument): string {
  return JSON.stringify([doc.log, doc.analysis]);
}

export function checkInput(text: string, options: CheckOptions = {}): CheckResult {
  const c = new Checker(text);
  let reports = 0;
  try {
    const kernelRelease = options.kernelRelease ?? '';
    const doc = c.run('core', 'core-throws', 'analyzeDocument', () =>
      analyzeDocument(URI, 1, text, { kernelRelease }),
    );
    if (doc) {
      reports = doc.reports.length;
      checkModel(c, doc);
      checkFeatures(c, doc, options.positions ?? []);
      checkOutputs(c, doc);
      checkSameReading(c, doc, text);
      if (options.determinism !== false)
        checkDeterminism(c, doc, text, kernelRelease, options.interleaved ?? '');
    }
  } catch (error) {
    c.fail('harness-error', errorClass(error), errorText(error));
  }
  return { violations: c.violations, timings: c.timings, reports, length: text.length };
}

function checkModel(c: Checker, doc: LogDocument): void {
  const { log } = doc;
  // every report of the document, a copy of a repeated stretch made here (AnalyzedReport)
  const reports = doc.reports.map((e) => e.report);
  const analysis = { reports: doc.reports.map((e) => e.analysis), findings: doc.analysis.findings };
  c.quotedPrintableFrom = log.quotedPrintableFrom ?? Infinity;
  if (log.reports.length + doc.reports.filter((e) => e instanceof CopiedReport).length !== reports.length)
    c.fail(
      'report-order',
      'analysis count differs from report count',
      `${log.reports.length} reports read, ${doc.reports.length} in the document`,
    );
  doc.reports.forEach((e, i) => {
    if (e.index !== i || e.analysis.index !== i)
      c.fail(
        'report-order',
        'a report out of place',
        `entry ${i}: index ${e.index}, analysis ${e.analysis.index}`,
      );
  });
  let previousEnd = -1;
  /** line → the report that read something on it (a line belongs to one report at most). */
  const readers = new Map<number, number>();
  reports.forEach((r, i) => {
    const where = `report[${r.kind}]`;
    if (!(r.line <= r.endLine))
      c.fail('report-order', 'report ends before it starts', `report ${i}: lines ${r.line}–${r.endLine}`);
    if (r.line <= previousEnd)
      c.fail(
        'report-order',
        'reports overlap or are out of order',
        `report ${i} starts on line ${r.line}, the one before ends on ${previousEnd}`,
      );
    previousEnd = Math.max(previousEnd, r.endLine);
    c.line(`${where}.line`, r.line);
    c.line(`${where}.endLine`, r.endLine);
    // A part lies inside its report's span, or — read after a later header cut the span (another
    // CPU's lines) — after it, and then the features resolve that line to this report, never to
    // the report whose span holds it (reportAt, the document's ownership index).
    const inside = (what: string, line: number): void => {
      const owned = line > r.endLine && reportAt(doc, line)?.index === i;
      if (line < r.line || (line > r.endLine && !owned))
        c.fail(
          'report-order',
          `${what} outside its report`,
          `${where} lines ${r.line}–${r.endLine}, ${what} on line ${line}`,
        );
      const reader = readers.get(line);
      if (reader !== undefined && reader !== i)
        c.fail('report-order', `${what} read by two reports`, `line ${line}: reports ${reader} and ${i}`);
      readers.set(line, i);
    };
    // 4.9–4.14 warn_alloc: a header that printed no comm begins on the line holding only its comm
    // (formats.ts COMM_PIECE), which is the report's comm and its colon, nothing else
    const commPiece =
      r.comm !== null && WARN_ALLOC_KINDS.has(r.kind) ? `|^\\s*${escapeRe(r.comm)}:\\s*$` : '';
    c.textRange(`${where}.headerRange`, r.headerRange, new RegExp(HEADER_WORD[r.kind].source + commPiece));
    inside('header', r.headerRange.startLine);
    c.textRange('report.orderRange', r.orderRange, /^order[:=]\s*-?\d+$/);
    c.textRange(
      'report.gfpRange',
      r.gfpRange,
      r.gfp ? new RegExp(`^(?:mode:|gfp_mask=|gfp=)\\s*${escapeRe(r.gfp.raw)}`) : null,
    );
    for (const z of r.zones) {
      c.textRange('zone.range', z.range, z.zone);
      c.textRange('zone.lowmemReserveRange', z.lowmemReserveRange, /^\s*lowmem_reserve\[\]:/);
      inside('zone line', z.line);
      if (z.range.startLine !== z.line)
        c.fail(
          'range-text',
          'zone.range does not start on the zone line',
          `zone on line ${z.line}, range ${JSON.stringify(z.range)}`,
        );
    }
    for (const b of r.buddy) {
      c.textRange('buddy.range', b.range, b.zone);
      inside('buddy line', b.line);
    }
    for (const n of r.nodes) {
      c.textRange('node.range', n.range, /Node/);
      inside('node line', n.line);
    }
    for (const k of r.counters) {
      c.textRange('counter.range', k.range, k.name);
      inside('counter', k.line);
    }
    for (const f of r.callTrace) {
      // A wrapped frame line continues on the next physical line (`? ` / `get_page_from_freelist+…`).
      const read = (line: number): string =>
        line >= c.quotedPrintableFrom
          ? decodeQuotedPrintable(readText(c.lineText(line)))
          : readText(c.lineText(line));
      // (a name cut by wraps again and again, lone CRs in `r\re\rt+0x7`, goes on for as many lines;
      // the framing of the lines after the first, `<4>` or a quote's `>`, may stand between its parts)
      const name = (t: string): string => t.replace(/[^\w.$]+/g, '');
      let text = read(f.line) + read(f.line + 1);
      let last = f.line + 1;
      while (!name(text).includes(f.function) && last < f.line + 1 + f.function.length) text += read(++last);
      if (c.line('frame.line', f.line) && !name(text).includes(f.function))
        c.fail(
          'range-text',
          'frame line does not hold the function',
          `lines ${f.line}–${last} ${JSON.stringify(text.slice(0, 200))} lack ${f.function}`,
        );
      inside('call trace frame', f.line);
    }
    if (r.killed) {
      c.line('killed.line', r.killed.line);
      inside('kill line', r.killed.line);
    }
    if (r.memInfoLine !== null) {
      c.line('memInfoLine', r.memInfoLine);
      inside('Mem-Info line', r.memInfoLine);
    }
    for (const p of r.perCpu) c.line('perCpu.line', p.line);
    for (const h of r.hugepages) c.line('hugepages.line', h.line);
  });
  for (const s of log.suppressions) c.line('suppression.line', s.line);
  analysis.reports.forEach((a) => {
    for (const f of a.findings) {
      c.line(`finding[${f.code}].line`, f.line);
      for (const rel of f.related) c.line(`finding[${f.code}].related.line`, rel.line);
    }
    if (a.repeat.duplicateOf === null) for (const l of a.repeat.lines) c.line('repeat.lines', l);
  });
  for (const f of analysis.findings) c.line(`finding[${f.code}].line`, f.line);
  c.numbers('analysis', analysis.reports);
}

function checkFeatures(c: Checker, doc: LogDocument, extra: readonly [number, number][]): void {
  const diags = c.run('diagnostics', 'feature-throws', 'diagnostics', () =>
    diagnostics(doc, { zoneDiagnostics: true }),
  );
  c.run('diagnostics', 'feature-throws', 'diagnostics (zoneDiagnostics off)', () =>
    diagnostics(doc, { zoneDiagnostics: false }),
  );
  for (const d of diags ?? []) checkDiagnostic(c, d);

  // Hover on every header, order, mode, zone, lowmem_reserve, buddy line (start and middle), a
  // few counters and frames, and the positions the fuzzer picked.
  const required: [string, Position][] = [];
  const optional: [string, Position][] = [];
  const startAndMiddle = (r: TextRange): Position[] => {
    const mid = r.startLine === r.endLine ? Math.floor((r.startChar + r.endChar) / 2) : r.startChar + 1;
    return [
      { line: r.startLine, character: r.startChar },
      { line: r.startLine, character: mid },
    ];
  };
  for (const { report: r } of doc.reports) {
    for (const p of startAndMiddle(r.headerRange)) required.push(['header', p]);
    if (r.orderRange) optional.push(['order', startAndMiddle(r.orderRange)[1]]);
    if (r.gfpRange) optional.push(['mode', startAndMiddle(r.gfpRange)[1]]);
    for (const z of r.zones.slice(0, MAX_TARGETS)) {
      for (const p of startAndMiddle(z.range)) required.push(['zone', p]);
      if (z.lowmemReserveRange) required.push(['lowmem_reserve', startAndMiddle(z.lowmemReserveRange)[1]]);
    }
    for (const b of r.buddy.slice(0, MAX_TARGETS))
      for (const p of startAndMiddle(b.range)) required.push(['buddy', p]);
    for (const k of r.counters.slice(0, 20)) optional.push(['counter', startAndMiddle(k.range)[1]]);
    for (const f of r.callTrace.slice(0, 20)) optional.push(['frame', { line: f.line, character: 2 }]);
  }
  const lineCount = c.oracle.lineCount;
  for (const [l, ch] of extra) {
    const line = l % lineCount;
    optional.push(['random', { line, character: ch % (c.lineLength(line) + 1) }]);
  }
  for (const [required_, list] of [
    [true, required],
    [false, optional],
  ] as const) {
    for (const [what, position] of list.slice(0, MAX_TARGETS * 4)) {
      if (c.positionProblem(position) !== null) continue; // an invalid model range, reported above
      const h = c.run('hover', 'feature-throws', `hover on ${what}`, () => hover(doc, position));
      if (h === undefined) continue;
      if (h === null) {
        if (required_)
          c.fail(
            'feature-shape',
            `hover: none on a ${what} line`,
            `no hover at ${JSON.stringify(position)}: ${JSON.stringify(c.lineText(position.line).slice(0, 200))}`,
          );
        continue;
      }
      const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      if (!value)
        c.fail('feature-shape', `hover on ${what}: empty contents`, JSON.stringify(h).slice(0, 300));
      c.words(`hover on ${what}`, value);
      if (h.range && c.range(`hover on ${what}.range`, h.range) && !containsPosition(h.range, position))
        c.fail(
          'feature-shape',
          `hover on ${what}: range does not hold the position`,
          `hover range ${JSON.stringify(h.range)} at ${JSON.stringify(position)}`,
        );
    }
  }

  const symbols = c.run('symbols', 'feature-throws', 'documentSymbols', () => documentSymbols(doc));
  let previous: DocumentSymbol | null = null;
  for (const s of symbols ?? []) {
    checkSymbol(c, s, null);
    if (
      previous &&
      !before(previous.range.end, s.range.start) &&
      !(
        previous.range.end.line === s.range.start.line &&
        previous.range.end.character === s.range.start.character
      )
    )
      c.fail(
        'feature-shape',
        'symbols overlap',
        `${JSON.stringify(previous.range)} and ${JSON.stringify(s.range)}`,
      );
    previous = s;
  }

  const folds = c.run('folding', 'feature-throws', 'foldingRanges', () => foldingRanges(doc));
  const starts = new Set<number>();
  for (const f of folds ?? []) {
    c.line('foldingRange.startLine', f.startLine);
    c.line('foldingRange.endLine', f.endLine);
    if (!(f.startLine < f.endLine))
      c.fail('feature-shape', 'folding range ends before it starts', JSON.stringify(f));
    if (starts.has(f.startLine))
      c.fail('feature-shape', 'two folding ranges start on one line', JSON.stringify(f));
    starts.add(f.startLine);
  }

  checkCodeActions(c, doc, diags ?? []);

  const status = c.run('status', 'feature-throws', 'documentStatus', () => documentStatus(doc));
  if (status) {
    c.numbers('documentStatus', status);
    const sum = Object.values(status.byKind).reduce((s, n) => s + n, 0);
    if (status.reports !== doc.reports.length || sum !== status.reports)
      c.fail('feature-shape', 'documentStatus counts disagree', JSON.stringify(status));
  }
  for (const format of ['conf', 'commands'] as const) {
    const s = c.run('status', 'feature-throws', `sysctlSuggestions(${format})`, () =>
      sysctlSuggestions(doc, format),
    );
    if (s) c.sysctlText(`sysctlSuggestions(${format})`, s.text, format === 'commands');
  }
  for (const { analysis } of doc.reports)
    for (const s of analysis.sysctl) {
      c.words('sysctl suggestion', `${s.key} = ${s.value}`);
      c.sysctlText('sysctl suggestion', `${s.key} = ${s.value}`);
      c.sysctlText('sysctl suggestion comment', s.comment);
    }
}

function checkDiagnostic(c: Checker, d: Diagnostic): void {
  const code = typeof d.code === 'string' ? d.code : 'report';
  c.range(`diagnostic[${code}].range`, d.range);
  if (!d.message)
    c.fail('feature-shape', `diagnostic[${code}]: empty message`, JSON.stringify(d).slice(0, 300));
  c.words(`diagnostic[${code}].message`, d.message);
  for (const r of d.relatedInformation ?? []) {
    c.range(`diagnostic[${code}].relatedInformation.range`, r.location.range);
    c.words(`diagnostic[${code}].relatedInformation.message`, r.message);
  }
}

function checkSymbol(c: Checker, s: DocumentSymbol, parent: DocumentSymbol | null): void {
  const where = parent ? 'zone symbol' : 'report symbol';
  if (typeof s.name !== 'string' || s.name.trim() === '')
    c.fail('feature-shape', `${where}: empty name`, JSON.stringify(s.name));
  c.words(`${where}.name`, s.name);
  c.words(`${where}.detail`, s.detail);
  const okRange = c.range(`${where}.range`, s.range);
  const okSelection = c.range(`${where}.selectionRange`, s.selectionRange);
  if (okRange && okSelection && !contains(s.range, s.selectionRange))
    c.fail(
      'feature-shape',
      `${where}: selectionRange outside range`,
      `range ${JSON.stringify(s.range)}, selectionRange ${JSON.stringify(s.selectionRange)}`,
    );
  if (parent && okRange && !contains(parent.range, s.range))
    c.fail(
      'feature-shape',
      `${where}: outside its parent`,
      `parent ${JSON.stringify(parent.range)}, child ${JSON.stringify(s.range)}`,
    );
  for (const child of s.children ?? []) checkSymbol(c, child, s);
}

function checkCodeActions(c: Checker, doc: LogDocument, diags: readonly Diagnostic[]): void {
  const existing = 'vm.min_free_kbytes = 1024\r\n# kept\r\nvm.watermark_scale_factor = 10\r\n';
  const destinations: [string, SysctlDestination, string][] = [
    ['untitled', { file: null, documentChanges: true, showDocument: true }, ''],
    [
      'new file',
      {
        file: { uri: SYSCTL_URI, version: null, label: 'sysctl.d/90-kernel-log-lens.conf', text: null },
        documentChanges: true,
        showDocument: true,
      },
      '',
    ],
    [
      'open file',
      {
        file: { uri: SYSCTL_URI, version: 3, label: 'sysctl.d/90-kernel-log-lens.conf', text: existing },
        documentChanges: false,
        showDocument: false,
      },
      existing,
    ],
  ];
  for (const { report } of doc.reports.slice(0, MAX_CODE_ACTION_REPORTS)) {
    const range = toRange(report.headerRange);
    const params = {
      textDocument: { uri: doc.uri },
      range,
      context: { diagnostics: diags.filter((d) => d.range.start.line === report.line) },
    };
    for (const [name, destination, targetText] of destinations) {
      const actions = c.run('codeActions', 'feature-throws', `codeActions (${name})`, () =>
        codeActions(doc, params, destination),
      );
      for (const action of actions ?? []) {
        const resolved = action.data
          ? c.run('codeActions', 'feature-throws', `resolveCodeAction (${name})`, () =>
              resolveCodeAction(doc, action, destination),
            )
          : action;
        if (resolved) checkAction(c, resolved, targetText);
      }
    }
  }
}

function checkAction(c: Checker, action: CodeAction, targetText: string): void {
  c.words('codeAction.title', action.title);
  for (const d of action.diagnostics ?? []) c.range('codeAction.diagnostic.range', d.range);
  const args = action.command?.arguments ?? [];
  if (action.command?.command === 'kernelLogLens.copyText')
    c.sysctlText('copy sysctl -w commands', args[0] as string, true);
  if (action.command?.command === 'kernelLogLens.openUntitled')
    c.sysctlText('untitled sysctl block', args[0] as string);
  if (action.edit) checkEdit(c, action.edit, targetText);
}

function checkEdit(c: Checker, edit: WorkspaceEdit, targetText: string): void {
  const target = TextDocument.create(SYSCTL_URI, 'properties', 1, targetText);
  const edits = [
    ...Object.values(edit.changes ?? {}).flat(),
    ...(edit.documentChanges ?? []).flatMap((d) => ('edits' in d ? d.edits : [])),
  ];
  for (const e of edits) {
    const r = e.range;
    const ok = [r.start, r.end].every(
      (p) =>
        p.line >= 0 &&
        p.line < target.lineCount &&
        p.character >= 0 &&
        target.offsetAt(p) === target.offsetAt({ line: p.line, character: 0 }) + p.character,
    );
    if (!ok)
      c.fail(
        'range-invalid',
        'sysctl edit: range outside the sysctl file',
        `${JSON.stringify(r)} in ${JSON.stringify(targetText)}`,
      );
    if ('newText' in e) {
      const result = TextDocument.applyEdits(target, [e]);
      c.sysctlText('sysctl file after the quick fix', result);
    }
  }
}

function checkOutputs(c: Checker, doc: LogDocument): void {
  const start = performance.now();
  const items: Analysed[] = [];
  let json = '';
  try {
    const writer = new JsonFileWriter((t) => (json += t), 'fuzz.log', '', false);
    const sysctl = new SysctlCollector();
    let text = '';
    // the CLI's path: the core's one reading of the reports, emitting each as it is explained
    const analyser = new ReportSequence((item) => {
      items.push(item);
      const event = eventJson(item);
      c.numbers('JSON event', event);
      writer.event(event);
      sysctl.add('fuzz.log', item.report.line, item.analysis.sysctl);
      text += reportBlock('fuzz.log', item, PLAIN);
      c.words('renderReportText', renderReportText(item.analysis).join('\n'));
    });
    for (const { report: r } of doc.reports) analyser.push(r, doc.log.kernelRelease);
    analyser.end();
    const repeats = analyser.repeats().map(repeatJson);
    c.numbers('JSON repeats', repeats);
    writer.end({ framing: doc.log.framing, lineCount: doc.log.lineCount, suppressed: 0, repeats });
    text += fileSummary(
      {
        file: 'fuzz.log',
        reports: items.length,
        lineCount: doc.log.lineCount,
        framing: doc.log.framing,
        suppressed: 0,
        repeats: analyser.repeats(),
      },
      PLAIN,
    );
    c.words('text output', text);
    c.sysctlText('--sysctl block', sysctl.block(['fuzz.log']));
  } catch (error) {
    c.fail('output-throws', errorClass(error), errorText(error));
  }
  try {
    if (json) {
      JSON.parse(json);
      const exponent = /(?:^|[\s,:[])-?\d+(?:\.\d+)?[eE][+-]?\d+/.exec(stripStrings(json));
      if (exponent) c.fail('number-format', 'JSON text: exponent notation', exponent[0]);
    }
  } catch (error) {
    c.fail('json-valid', `JSON.parse: ${errorClass(error)}`, `${errorText(error)}\n${json.slice(0, 500)}`);
  }
  c.timings.output = performance.now() - start;
}

/** The CLI's reading of the input (cli/scan.ts: the LineFeeder skips what the core's LogScanner
 * says cannot matter) against the editor's (the document's parse). The CLI reads bytes: a lone
 * surrogate is then U+FFFD, so the editor's reading is of the text those bytes decode to. */
function checkSameReading(c: Checker, doc: LogDocument, text: string): void {
  // The one reading the CLI cannot share (CONTRIBUTING "How a log flows"): an anchor word cut by a
  // line break (`oom\r-killer`, a hard wrap inside `alloc`) is in no line the reader searches.
  const joined = text.replace(/\r\n?|\n/g, '');
  const count = (t: string, anchor: string): number => t.split(anchor).length - 1;
  if (READER_ANCHORS.some((anchor) => count(joined, anchor) > count(text, anchor))) return;
  const bytes = Buffer.from(text);
  const decoded = bytes.toString('utf8');
  const editor = decoded === text ? doc.reports.map((e) => e.report) : parseLog(decoded).reports;
  const cli: Report[] = [];
  try {
    const scan = createScan<Report>((r) => cli.push(r));
    for (let at = 0; at < bytes.length; at += 7919) scan.feeder.write(bytes.subarray(at, at + 7919));
    scan.finish();
  } catch (error) {
    c.fail('same-reading', `the CLI's reader: ${errorClass(error)}`, errorText(error));
    return;
  }
  const spans = (reports: Report[]): string =>
    reports.map((r) => `${r.kind} ${r.line}-${r.endLine}`).join(', ');
  if (cli.length !== editor.length) {
    c.fail(
      'same-reading',
      'another number of reports',
      `CLI: ${spans(cli).slice(0, 400)}\nfull parse: ${spans(editor).slice(0, 400)}`,
    );
    return;
  }
  for (let i = 0; i < cli.length; i++) {
    const a = editor[i] as unknown as Record<string, unknown>;
    const b = cli[i] as unknown as Record<string, unknown>;
    const field = Object.keys(a).find((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (field === undefined) continue;
    c.fail(
      'same-reading',
      `${editor[i].kind}: ${field}`,
      `report ${i} (line ${editor[i].line}): CLI ${JSON.stringify(b[field]).slice(0, 300)}, full parse ${JSON.stringify(a[field]).slice(0, 300)}`,
    );
    return;
  }
}

/** JSON text with the contents of its strings blanked (numbers are then found by a regex). */
export function stripStrings(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

function checkDeterminism(
  c: Checker,
  doc: LogDocument,
  text: string,
  kernelRelease: string,
  interleaved: string,
): void {
  const first = fingerprint(doc);
  c.run('core', 'core-throws', 'analyzeDocument (interleaved text)', () =>
    analyzeDocument(URI, 1, interleaved, { kernelRelease: '' }),
  );
  const again = c.run('core', 'core-throws', 'analyzeDocument (again)', () =>
    analyzeDocument(URI, 1, text, { kernelRelease }),
  );
  if (again && fingerprint(again) !== first)
    c.fail(
      'deterministic',
      'a second analysis of the same text differs',
      firstDifference(first, fingerprint(again)),
    );
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `first run …${a.slice(Math.max(0, i - 80), i + 80)}…\nsecond run …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
