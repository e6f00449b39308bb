// A report repeated N times costs one explanation plus a small copy per repeat (issue #17). Floods
// of identical reports are the real case (a driver retrying an atomic allocation prints the same
// report thousands of times), and explaining each one again costs tens of microseconds and a full
// analysis object apiece. Two reports with the same content — every printed value, the task, the
// call chain, the zones — get the same explanation but for where they stand (lines, columns) and
// when (their times): so the first one's analysis is moved onto the repeat. What moves:
//  - objects of the first report that the analysis points at (a zone line, a buddy line, a range)
//    become the repeat's own objects at the same place in the report;
//  - line numbers (every `line`-like key below) shift by the distance between the two headers;
//  - `index`, `time` and `repeat` are the repeat's own (ReportSequence groups it afterwards).
// Sub-objects that hold neither (the era, the GFP decode, the remedies, most of the texts) are
// shared, not copied. test/core/repeat-rebase.test.ts checks on every fixture and on floods that a
// moved analysis deep-equals the one explainReport would give.

import { LINE_ARRAY_KEYS, LINE_KEYS, type Report } from './model';
import { identityOf } from './repeat-run';
import type { ReportAnalysis } from './analysis-types';
import { singleRepeat, type ExplainOptions } from './explain';
import { unreadableFinding } from './findings';

export { LINE_ARRAY_KEYS, LINE_KEYS };

/** Keys that say when a report stands, left out of its content. Lines are compared too: a repeat
 * moves only when each of its lines stands as far from its header as the first report's (the
 * analysis's own line numbers are shifted by the headers' distance); columns must be equal (the
 * analysis's own ranges keep the first report's columns). */
const TIME_KEYS = new Set(['time']);

/**
 * A short key under which a report looks for a first report to be moved from: its kind, header
 * values, task, host, the sizes of its parts and the release it is explained with. Two reports
 * with one key are compared in full when the analysis is moved (RepeatTemplate.moveTo). null when
 * the options carry more than a release and a system state, which the key cannot hold.
 */
export function contentKey(report: Report, options: ExplainOptions): string | null {
  for (const k of Object.keys(options) as (keyof ExplainOptions)[])
    if (options[k] !== undefined && !KEYED_OPTIONS.has(k)) return null;
  const r = report;
  return [
    options.kernelRelease ?? '',
    options.kernelReleaseSource ?? '',
    options.system ? identityOf(options.system) : '',
    r.kind,
    r.order ?? '',
    r.gfp?.raw ?? '',
    r.comm ?? '',
    r.pid ?? '',
    r.host ?? '',
    r.kernel ?? '',
    r.callTrace.length,
    r.zones.length,
    r.buddy.length,
    r.counters.length,
    r.endLine - r.line,
  ].join('\u0000');
}

/** Options the key holds: the release, and the system state by identity (a sosreport's one
 * SystemState object is given to every report of its logs). */
const KEYED_OPTIONS: ReadonlySet<keyof ExplainOptions> = new Set([
  'kernelRelease',
  'kernelReleaseSource',
  'system',
]);

/** A first report and its analysis, ready to be moved onto repeats. */
export class RepeatTemplate {
  /** The repeat group key (analyze.ts repeatKey) of every report moved from this one: the same
   * content gives the same key, so it is worked out once (set by ReportSequence). */
  repeatKey: string | undefined;

  /** For each object of the analysis that holds a place: the keys whose values move (a line
   * number, a line array, an object of the first report or another such object). Objects not in
   * here are shared by every moved copy. Worked out at the first repeat: most first reports of a
   * log are never repeated, and planning costs about what a comparison costs. */
  private moving: WeakMap<object, string[]> | null = null;
  /** The first report's objects the analysis points at: the only ones a move needs the repeat's
   * counterpart of. */
  private readonly referenced = new Set<object>();
  /** Where each of `referenced` stands in the first report (keys from the report down), once a
   * copy asks (moveCopy). */
  private referencedPaths: Map<object, string[]> | null = null;
  /** `moving` as steps (compileMoves), made at the first move: a flood moves one analysis
   * thousands of times, and looking each object up in `moving` was most of a move. */
  private program: MoveStep | null = null;

  constructor(
    /** The first report: its analysis's place. */
    readonly first: Report,
    /** The first report's analysis: a repeat's is this one moved (what does not depend on place
     * and time, its verdict and suggestions, is the same). */
    readonly analysis: ReportAnalysis,
  ) {}

  /** The analysis explainReport would give `report`, at `index`; null when the two reports
   * differ in anything but place and time (then it must be explained). */
  moveTo(report: Report, index: number): ReportAnalysis | null {
    const counterpart = new Map<object, object>();
    const delta = report.line - this.first.line;
    // Not planned yet: the two are compared first (pairing nothing). In a real flood each dump has
    // other numbers, so most first reports meet a report of their key that differs, and planning
    // (a walk of the whole report and analysis) for it was most of what a template cost.
    if (
      this.moving === null &&
      !pairObjects(this.first, report, { referenced: NONE, into: counterpart, delta }, '')
    )
      return null;
    const moving = this.moving ?? this.planMoves();
    if (!pairObjects(this.first, report, { referenced: this.referenced, into: counterpart, delta }, ''))
      return null;
    return this.moveWith(moving, counterpart, report, index);
  }

  /**
   * The same for `report`, a copy (repeat-run.ts: moved, with its own stamps) of a report this
   * template's first was found equal to, or of the first itself: the two are known to differ only
   * in place and time, so each object of the first the analysis points at is paired with the one
   * at the same place in the copy (the same keys from the report down) without comparing them.
   */
  /** Whether moveCopy can move this template's analysis onto a copy (else it answers null). */
  movesCopies(): boolean {
    if (this.moving === null) this.planMoves();
    const paths = (this.referencedPaths ??= pathsTo(this.first, this.referenced));
    return paths.size === this.referenced.size;
  }

  moveCopy(report: Report, index: number): ReportAnalysis | null {
    const moving = this.moving ?? this.planMoves();
    const paths = (this.referencedPaths ??= pathsTo(this.first, this.referenced));
    // an object deeper than any report holds (pathsTo stops there) is explained instead
    if (paths.size < this.referenced.size) return null;
    const counterpart = new Map<object, object>();
    for (const [object, path] of paths) {
      let at: unknown = report;
      for (const key of path) at = (at as Record<string, unknown>)[key];
      counterpart.set(object, at as object);
    }
    return this.moveWith(moving, counterpart, report, index);
  }

  private moveWith(
    moving: WeakMap<object, string[]>,
    counterpart: ReadonlyMap<object, object>,
    report: Report,
    index: number,
  ): ReportAnalysis {
    const program = (this.program ??= compileMoves(this.analysis, moving, this.referenced));
    const delta = report.line - this.first.line;
    const moved = runMove(program, this.analysis, { delta, counterpart, memo: null }) as ReportAnalysis;
    restateLineFindings(moved, report);
    moved.index = index;
    moved.time = report.time;
    moved.repeat = singleRepeat(report);
    return moved;
  }

  private planMoves(): WeakMap<object, string[]> {
    const ofReport = new WeakSet<object>();
    collectObjects(this.first, ofReport);
    this.moving = new WeakMap();
    this.plan(this.analysis, ofReport, new WeakMap());
    // the analysis itself is always copied: moveTo sets the copy's index, time and repeat
    if (!this.moving.has(this.analysis)) this.moving.set(this.analysis, []);
    return this.moving;
  }

  /** Records which keys of each object move (this.moving); true when `value` holds no place. */
  private plan(value: unknown, ofReport: WeakSet<object>, seen: WeakMap<object, boolean>): boolean {
    if (typeof value !== 'object' || value === null) return true;
    if (ofReport.has(value)) {
      this.referenced.add(value);
      return false;
    }
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, false); // a cycle is not shared
    const keys: string[] = [];
    if (Array.isArray(value)) {
      for (const v of value) if (!this.plan(v, ofReport, seen) || typeof v === 'number') keys.push('');
    } else
      for (const [k, v] of Object.entries(value)) {
        // the first report's group (ReportSequence sets it once explained, and it grows with every
        // repeat): not moved, moveTo gives each copy its own
        if (value === this.analysis && k === 'repeat') continue;
        if (LINE_KEYS.has(k) || LINE_ARRAY_KEYS.has(k) || k === 'time' || !this.plan(v, ofReport, seen))
          keys.push(k);
      }
    // an array of numbers moves only under a line-array key, which its parent records
    const clean = keys.length === 0 || (Array.isArray(value) && value.every((v) => typeof v === 'number'));
    if (!clean) this.moving!.set(value, keys);
    seen.set(value, clean);
    return clean;
  }
}

/**
 * What moving an analysis does to one value of it, worked out once per template from its plan
 * (`moving`): `null` shares the value; `line` shifts a line number; `report` takes the repeat's
 * counterpart of one of the first report's objects; `lines` moves each element of a line array;
 * `copy` copies an array or object and moves the values its `steps` name. A step met twice in the
 * plan (an object the analysis points at from two places) is copied once per move (`shared`).
 * Looking each object up in `moving` on every move was most of the cost of a flood's copies.
 */
type MoveStep = { op: 'line' } | { op: 'report' } | { op: 'lines'; items: (MoveStep | null)[] } | CopyStep;
interface CopyStep {
  op: 'copy';
  steps: { key: string | number; step: MoveStep }[];
  array: boolean;
  shared: boolean;
}

const LINE_STEP: MoveStep = { op: 'line' };
const REPORT_STEP: MoveStep = { op: 'report' };

/** The steps that move `analysis` under `moving` (RepeatTemplate.plan), `referenced` being the
 * first report's objects it points at. The same rules as moving it value by value: a number moves
 * under a line key, a report object becomes the repeat's, a line array's numbers move, an object
 * the plan names is copied, everything else is shared. */
function compileMoves(
  analysis: ReportAnalysis,
  moving: WeakMap<object, string[]>,
  referenced: ReadonlySet<object>,
): MoveStep {
  const made = new Map<object, CopyStep>();
  const compile = (value: unknown, key: string): MoveStep | null => {
    if (typeof value === 'number') return LINE_KEYS.has(key) ? LINE_STEP : null;
    if (typeof value !== 'object' || value === null) return null;
    if (referenced.has(value)) return REPORT_STEP;
    if (Array.isArray(value) && LINE_ARRAY_KEYS.has(key))
      return {
        op: 'lines',
        items: value.map((v: unknown) => (typeof v === 'number' ? LINE_STEP : compile(v, ''))),
      };
    const keys = moving.get(value);
    if (!keys) return null;
    const known = made.get(value);
    if (known) {
      known.shared = true;
      return known;
    }
    const array = Array.isArray(value);
    const step: CopyStep = { op: 'copy', steps: [], array, shared: false };
    made.set(value, step);
    const record = value as Record<string | number, unknown>;
    if (array)
      (value as unknown[]).forEach((v, i) => {
        const s = compile(v, '');
        if (s) step.steps.push({ key: i, step: s });
      });
    else
      for (const k of keys) {
        const s = compile(record[k], k);
        if (s) step.steps.push({ key: k, step: s });
      }
    return step;
  };
  return compile(analysis, '') ?? { op: 'copy', steps: [], array: false, shared: false };
}

/** What one move carries: the lines between the two reports, the first report's objects paired
 * with the repeat's, and the copies of shared steps (made on the first need). */
interface MoveRun {
  delta: number;
  counterpart: ReadonlyMap<object, object>;
  memo: Map<MoveStep, unknown> | null;
}

function runMove(step: MoveStep, value: unknown, run: MoveRun): unknown {
  switch (step.op) {
    case 'line':
      return (value as number) + run.delta;
    case 'report':
      // an object of the first report without a counterpart is shared, as the plan has it
      return run.counterpart.get(value as object) ?? value;
    case 'lines':
      // an empty list has nothing to move (shared: the values of an analysis are never changed)
      if ((value as unknown[]).length === 0) return value;
      return (value as unknown[]).map((v, i) => {
        const s = step.items[i];
        return s ? runMove(s, v, run) : v;
      });
    case 'copy': {
      if (step.shared) {
        const done = run.memo?.get(step);
        if (done !== undefined) return done;
      }
      const out = (step.array ? (value as unknown[]).slice() : { ...(value as object) }) as Record<
        string | number,
        unknown
      >;
      if (step.shared) (run.memo ??= new Map()).set(step, out);
      const source = value as Record<string | number, unknown>;
      for (const { key, step: s } of step.steps) out[key] = runMove(s, source[key], run);
      return out;
    }
  }
}

/** KLL025's message names its line (findings.ts unreadableFinding): said again for an analysis
 * moved onto `report` (its own unreadable values, in the order buildFindings adds them). */
export function restateLineFindings(moved: ReportAnalysis, report: Report): void {
  let unreadable = 0;
  if (report.unreadable.length > 0)
    moved.findings = moved.findings.map((f) =>
      f.code === 'KLL025' && unreadable < report.unreadable.length
        ? unreadableFinding(report.unreadable[unreadable++])
        : f,
    );
}

/** The keys from `root` down to each of `objects` (a report is a tree: one path each). */
function pathsTo(root: object, objects: ReadonlySet<object>): Map<object, string[]> {
  const paths = new Map<object, string[]>();
  const walk = (value: unknown, path: string[]): void => {
    // deeper than any report (as pairObjects): not followed, whatever made it so
    if (typeof value !== 'object' || value === null || path.length > MAX_REPORT_DEPTH) return;
    if (objects.has(value)) paths.set(value, path);
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(root, []);
  return paths;
}

function collectObjects(value: unknown, into: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || into.has(value)) return;
  into.add(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectObjects(v, into);
}

/** Whether `vb` is `va` moved by `delta` lines (a null line stays null). */
function movedLine(va: unknown, vb: unknown, delta: number): boolean {
  return typeof va === 'number' && typeof vb === 'number' ? vb - va === delta : va === vb;
}

const NONE: ReadonlySet<object> = new Set();

/** Nesting a report never reaches (a few levels: report, zone, range). */
const MAX_REPORT_DEPTH = 32;

/** What pairObjects carries down: the objects to pair (the analysis points at them), where the
 * pairs go, and the lines between the two reports. */
interface Pairing {
  referenced: ReadonlySet<object>;
  into: Map<object, object>;
  delta: number;
}

/** Pairs each object of `a` the analysis points at (`referenced`) with the object at the same
 * place in `b`; false when the two differ in anything but time and the distance `delta` between
 * them: another value, key, length, column, or a line that stands elsewhere relative to its
 * header. A report is a tree of plain values (it is written out as JSON), so no object is met
 * twice, and the others need no pair: a map entry per object was most of the cost of moving a
 * report with a long task table (issue #17). */
function pairObjects(a: unknown, b: unknown, p: Pairing, key: string, depth = 0): boolean {
  if (typeof a !== 'object' || a === null)
    return LINE_KEYS.has(key) ? movedLine(a, b, p.delta) : a === b || TIME_KEYS.has(key);
  // deeper than any report: not compared (explained instead), whatever made it so
  if (typeof b !== 'object' || b === null || depth > MAX_REPORT_DEPTH) return false;
  if (p.referenced.has(a)) {
    const paired = p.into.get(a);
    if (paired !== undefined) return paired === b;
    p.into.set(a, b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (LINE_ARRAY_KEYS.has(key)) {
      for (let i = 0; i < a.length; i++)
        if (
          typeof a[i] === 'number'
            ? !movedLine(a[i], b[i], p.delta)
            : !pairObjects(a[i], b[i], p, '', depth + 1)
        )
          return false;
      return true;
    }
    for (let i = 0; i < a.length; i++) if (!pairObjects(a[i], b[i], p, '', depth + 1)) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // for-in rather than Object.keys: no array allocated per object, which on a flood of repeats
  // was most of the garbage (issue #17); the model's objects are plain, with no inherited keys
  let n = 0;
  for (const k in ra) {
    n++;
    const va = ra[k];
    const vb = rb[k];
    if (vb === undefined && !(k in rb)) return false;
    // most values are primitives: compared here rather than in a call each
    if (typeof va !== 'object' || va === null) {
      if (LINE_KEYS.has(k) ? !movedLine(va, vb, p.delta) : va !== vb && !TIME_KEYS.has(k)) return false;
    } else if (!pairObjects(va, vb, p, k, depth + 1)) return false;
  }
  for (const k in rb) if (--n < 0 || !(k in ra)) return false;
  return n === 0;
}

/** First reports kept for moving (the distinct contents of a log can be many: the oldest go). */
export const REPEAT_TEMPLATES = 256;

/** Templates by content key, at most REPEAT_TEMPLATES, the least recently used dropped; a key's
 * newest first report replaces an older one that differed from it. */
export class RepeatTemplates {
  private readonly byKey = new Map<string, RepeatTemplate>();

  get(key: string): RepeatTemplate | undefined {
    const t = this.byKey.get(key);
    if (t) {
      this.byKey.delete(key);
      this.byKey.set(key, t);
    }
    return t;
  }

  add(key: string, first: Report, analysis: ReportAnalysis): RepeatTemplate {
    if (this.byKey.size >= REPEAT_TEMPLATES) this.byKey.delete(this.byKey.keys().next().value!);
    const template = new RepeatTemplate(first, analysis);
    this.byKey.set(key, template);
    return template;
  }
}

/** Reports explained last that a copy may copy (repeat-run.ts hands out copies of the reports its
 * stretch's last reading handed out, so those are among the last few explained). */
const SOURCES_KEPT = 16;

/**
 * The last reports explained, each with the template (RepeatTemplate) its analysis was explained
 * as or moved from, kept to explain the copies of a repeated stretch (repeat-run.ts): a copy is its
 * report moved by a number of lines with its own stamps, so its analysis is the template's moved
 * onto it without comparing the two (RepeatTemplate.moveCopy). Only the reports and templates are
 * held, not their analyses: a flood's analyses must not outlive their writing out.
 */
export class CopySources {
  private readonly recent: {
    report: Report;
    template: RepeatTemplate;
    release: ExplainOptions;
    key: string;
  }[] = [];

  /** `report` (not a copy) was explained under `release` as `template`'s first or a repeat of it,
   * in the repeat group `key`. */
  remember(report: Report, template: RepeatTemplate, release: ExplainOptions, key: string): void {
    this.recent.push({ report, template, release, key });
    if (this.recent.length > SOURCES_KEPT) this.recent.shift();
  }

  /** The template and repeat group `report` (a report explained last, not a copy) was explained
   * in under `release`; null when it is not among the last explained or was explained under
   * another release (its copies are then explained as any report). */
  sourceOf(report: Report, release: ExplainOptions): { template: RepeatTemplate; key: string } | null {
    const source = this.recent.find((s) => s.report === report);
    return source === undefined || !sameRelease(source.release, release) ? null : source;
  }

  /** The analysis explainReport would give `report` at `index`, a copy of `copy.of`, and its repeat
   * group key; null when that report is not among the last explained or was explained under
   * another release (then it is explained as any report). */
  moved(
    report: Report,
    copy: { of: Report },
    index: number,
    release: ExplainOptions,
  ): { analysis: ReportAnalysis; key: string } | null {
    const source = this.sourceOf(copy.of, release);
    if (source === null) return null;
    const analysis = source.template.moveCopy(report, index);
    return analysis && { analysis, key: source.key };
  }
}

function sameRelease(a: ExplainOptions, b: ExplainOptions): boolean {
  const keys = Object.keys(a) as (keyof ExplainOptions)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}
