// A flood read once (issue #17). A driver that retries an allocation prints the same report again
// and again, thousands of times, only the time stamps changing; reading every copy through
// framing, classification and the report builder cost microseconds per line, most of a flood's
// time. This file lets the scanner (parse.ts LogScanner) read a repeated stretch of lines once:
//
//  - The scanner is a deterministic machine over physical lines. Its decisions never depend on a
//    line's number, only on the distance between two (windows, "the line after"), and never on
//    the digits of a time stamp (the framing patterns read any digit, framing.ts; no time is
//    compared). So from a state S, a stretch of lines gives the same reading as from a state S'
//    that is S moved by k lines, given the same stretch moved by k lines with other stamps.
//  - At each point where the scanner hands out reports, its whole state is written down (a
//    digest: every object it holds, line numbers relative to the current line, a time as "this
//    line's own stamp"). When two such points P lines apart give the same digest and the P lines
//    after each differ only in their stamps' digits, the state repeats with period P: every
//    further copy of those P lines is read exactly as the last one, moved by P lines.
//  - Such copies are then only compared with the copy before (no framing, no classification):
//    the reports and rate-limit lines the last copy gave are handed out again, moved, with the
//    copy's own stamps. At the first line that differs, the scanner's state is moved forward by
//    the copies taken, and reading goes on from the start of the unfinished copy.
//  - A reader that skips text while the scanner is idle (TextScan, the CLI's feeder) decides from
//    the text and from the scanner's `idle` and `carried()`: while a run lasts those are the copy
//    before's at the same line, so the reader skips the same stretches, which are compared too
//    (same length, same place). A skip the copy before did not make ends the run.
//
// What this rests on is checked by test/core/repeat-run.test.ts: every fixture and generated
// floods (one-line and full reports, rate-limit lines, noise between, stamps that change width,
// a flood cut in the middle of a copy) read with runs equal the reading without them, report for
// report and line for line; and every number the scanner's state holds is named below, so a new
// field must be classified before the digest accepts it.

import { LINE_ARRAY_KEYS, LINE_KEYS as REPORT_LINE_KEYS, type Framing } from './model';
import { movedObject, type Move, type Plans } from './line-move';
import type { SkipState } from './parse';

/** Longest stretch (physical lines) that can repeat: an OOM report with a long task table is a
 * few hundred lines; longer stretches are read line by line. */
const MAX_PERIOD_LINES = 1024;
/** Lines kept (raw text, or a skipped stretch's length): two periods to compare, and the copies a
 * state's lines reach back to. */
const RING_LINES = 4 * MAX_PERIOD_LINES;
const RING_MASK = RING_LINES - 1;
/** Points where reports were handed out that a period may reach back over (a stretch holding up
 * to this many reports can repeat). */
const MOMENTS_KEPT = 9;
/** A state whose digest would be longer than this is not compared (a report with a task table of
 * thousands of rows being read). */
const MAX_DIGEST_TOKENS = 100_000;
/** What looking for a period may cost (lines compared, digest tokens), per line read, beyond a
 * first allowance: text that looks repeated but whose reading does not repeat (every line alike
 * but for digits, reports of another CPU open across them) must not cost more than linear time. */
const SEARCH_WORK_PER_LINE = 32;
const SEARCH_WORK_ALLOWED = 1_000_000;
/** Most points passed over between two comparisons of stretches that did not repeat. */
const QUIET_MOMENTS_MAX = 32;
/** stampFrom of a line whose stamp was noted but not yet looked for in its raw text. */
const UNPLACED = -2;

/** Numbers that are 0-based physical lines, in the scanner's state and in what it hands out: the
 * Report's (model.ts), the open reports' (parse.ts OpenReport, LogScanner), the builder's
 * (report-builder.ts) and the assembler's (lines.ts). Moved with a run; negative values (-1: none
 * yet) and Infinity are not lines. */
export const STATE_LINE_KEYS: ReadonlySet<string> = new Set([
  ...REPORT_LINE_KEYS,
  'lastHeaderEnd',
  'completedLastLine',
  'pieceUntil',
  'lastLine',
  'lineNo',
  'transportLine',
  'identifierLine',
  'binaryStart',
]);
/** Counts of unrelated lines (parse.ts relatedAt): compared relative to the scanner's own count
 * (`unrelatedLines`), which is used only through such differences and so is not moved. */
export const UNRELATED_KEYS: ReadonlySet<string> = new Set(['relatedAt', 'unrelatedLines']);
/** What the scanner hands out rather than holds (the rate limiters' lines, the lines of each
 * framing), which the run adds to itself, and the run itself. */
export const OUTPUT_KEYS: ReadonlySet<string> = new Set(['suppressions', 'counts', 'periods', 'runEnded']);
/** Table rows the state points at (formats.ts HeaderShape): the same object or not the same. */
export const SHARED_KEYS: ReadonlySet<string> = new Set(['shape']);
/** Numbers of the state that are neither lines nor unrelated-line counts (columns, counts,
 * offsets, flags): compared as they are. test/core/repeat-run.test.ts walks the state of every
 * fixture's reading and fails on a numeric key in none of these sets. */
export const STATE_PLAIN_NUMBER_KEYS: ReadonlySet<string> = new Set([
  // LogScanner, OpenReport
  'waiting',
  'pendingSuppressed',
  'zones',
  // LineAssembler, QuotedPrintableBody (`from` is a line that never moves once set: compared as it is)
  'payloadColumn',
  'binaryMessage',
  'heldLength',
  'from',
  // LogScanner: the banner's line, compared as it is (a banner inside a stretch stops the run)
  'releaseLine',
  // AssembledLine, Segment, ranges, a RegExp match
  'startChar',
  'endChar',
  'char',
  'offset',
  'index',
  'format',
  // (a Report's own numbers, values as printed, are not walked by the test: LINE_KEYS names its lines)
]);

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
/** A stable number for an object compared by identity (a function, a RegExp or a table row of the
 * scanner's state; a SystemState in repeat-rebase.ts's content key). */
export function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return id;
}

/**
 * The scanner's state written down at one point: line numbers relative to `base` (the lines read
 * so far), counts of unrelated lines relative to the scanner's, and each time that is its line's
 * own stamp as a mark (the object is listed in `timed`). `foreign`: a time that is not its own
 * line's stamp (inherited, or of no line): such a state is not taken into a run.
 */
class Digest {
  readonly tokens: unknown[] = [];
  readonly timed: Record<string, unknown>[] = [];
  foreign = false;
  private readonly ids = new Map<object, number>();

  constructor(
    private readonly base: number,
    private readonly unrelated: number,
    private readonly ownTime: (line: number, time: string) => boolean,
  ) {}

  add(value: unknown, key: string): void {
    const t = this.tokens;
    switch (typeof value) {
      case 'number':
        if (STATE_LINE_KEYS.has(key) && value >= 0 && value !== Infinity) t.push('L', value - this.base);
        else if (UNRELATED_KEYS.has(key)) t.push('U', value - this.unrelated);
        else t.push(Number.isNaN(value) ? 'NaN' : value);
        return;
      case 'function':
        t.push('f', identityOf(value));
        return;
      case 'object':
        if (value === null) {
          t.push(null);
          return;
        }
        break;
      default:
        t.push(value);
        return;
    }
    const seen = this.ids.get(value);
    if (seen !== undefined) {
      t.push('@', seen);
      return;
    }
    if (t.length > MAX_DIGEST_TOKENS) {
      this.foreign = true;
      return;
    }
    if (SHARED_KEYS.has(key) || value instanceof RegExp) {
      t.push('=', identityOf(value));
      return;
    }
    this.ids.set(value, this.ids.size);
    if (Array.isArray(value)) {
      t.push('[', value.length);
      const lines = LINE_ARRAY_KEYS.has(key);
      for (let i = 0; i < value.length; i++) this.add(value[i], lines ? 'line' : '');
      // a RegExp match's own `index`, `input` and `groups`
      if (Object.prototype.hasOwnProperty.call(value, 'input')) {
        const match = value as RegExpExecArray;
        this.add(match.index, 'index');
        this.add(match.input, '');
        this.add(match.groups, '');
      }
      return;
    }
    if (value instanceof Map) {
      t.push('M', value.size);
      for (const [k, v] of value) {
        this.add(k, '');
        this.add(v, '');
      }
      return;
    }
    if (value instanceof Set || ArrayBuffer.isView(value)) {
      // nothing of the scanner's is either: a state holding one is not compared
      this.foreign = true;
      return;
    }
    const o = value as Record<string, unknown>;
    t.push('{', identityOf(Object.getPrototypeOf(o) ?? Object.prototype));
    let own = false;
    if (typeof o.time === 'string') {
      own = typeof o.line === 'number' && this.ownTime(o.line, o.time);
      if (own) this.timed.push(o);
      else this.foreign = true;
    }
    for (const k in o) {
      if (OUTPUT_KEYS.has(k)) continue;
      t.push(k);
      if (own && k === 'time') t.push('T');
      else this.add(o[k], k);
    }
    t.push('}');
  }

  /** The object was met in the walk. */
  holds(value: object): boolean {
    return this.ids.has(value);
  }

  equals(other: Digest): boolean {
    const a = this.tokens;
    const b = other.tokens;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}

/** Moves every line of the state by `delta`, in place (the objects a Digest walked). */
function moveState(value: unknown, key: string, delta: number, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  if (SHARED_KEYS.has(key) || value instanceof RegExp) return;
  seen.add(value);
  if (Array.isArray(value)) {
    const lines = LINE_ARRAY_KEYS.has(key);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (lines && typeof v === 'number') {
        if (v >= 0 && v !== Infinity) value[i] = v + delta;
      } else moveState(v, '', delta, seen);
    }
    if (Object.prototype.hasOwnProperty.call(value, 'input'))
      moveState((value as RegExpExecArray).groups, '', delta, seen);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      moveState(k, '', delta, seen);
      moveState(v, '', delta, seen);
    }
    return;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    if (OUTPUT_KEYS.has(k)) continue;
    const v = o[k];
    if (typeof v === 'number') {
      if (STATE_LINE_KEYS.has(k) && v >= 0 && v !== Infinity) o[k] = v + delta;
    } else moveState(v, k, delta, seen);
  }
}

/** Where `line` stands in a stretch of `period` lines repeated from `start` (before it, too). */
function placeIn(line: number, start: number, period: number): number {
  return (((line - start) % period) + period) % period;
}

/** Whether `value` or an object in it is one the digest met. */
function reaches(value: unknown, digest: Digest, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  if (digest.holds(value)) return true;
  seen.add(value);
  for (const v of Array.isArray(value) ? value : Object.values(value))
    if (reaches(v, digest, seen)) return true;
  return false;
}

/** Whether `line` is `template` with other digits where the template's stamp stands ([from, to);
 * from < 0: no stamp, the lines must be equal). A run's copies all share the text around the stamp
 * (the template's: each copy passed this test against the one before), so `take` hands in that
 * text once cut (`prefix`, `suffix`): it is compared at once, only the stamp's columns one by one
 * (a flood's lines are mostly text around a short stamp, and comparing every column was most of a
 * copy's cost). */
function sameButStamp(
  line: string,
  template: string,
  from: number,
  to: number,
  prefix = template.slice(0, Math.max(0, from)),
  suffix = template.slice(Math.max(0, to)),
): boolean {
  if (from < 0) return line === template;
  if (line.length !== template.length || !line.endsWith(suffix) || !line.startsWith(prefix)) return false;
  for (let i = from; i < to; i++) {
    const a = line.charCodeAt(i);
    const b = template.charCodeAt(i);
    if (a !== b && (a < 48 || a > 57 || b < 48 || b > 57)) return false;
  }
  return true;
}

/** The text of line `at` of a run's stretch before and after its stamp, cut from its template at
 * the line's first copy (`sameButStamp` compares every later copy with it at once). */
function cutAroundStamp(run: Run<unknown>, at: number, template: string): void {
  run.prefix[at] = template.slice(0, Math.max(0, run.stampFrom[at]));
  run.suffix[at] = template.slice(Math.max(0, run.stampTo[at]));
}

/** A point where the scanner handed out reports. */
interface Moment<T> {
  /** Lines read. */
  line: number;
  /** What it handed out there. */
  out: readonly T[];
  /** The scanner's rate-limit lines so far, and (with the digest) its lines of each framing. */
  suppressions: number;
  counts: ReadonlyMap<Framing, number> | null;
  /** Taken when the stretch before this point repeated the one before it (null: not taken). */
  digest: Digest | null;
}

/** A report handed out as a copy: the report it copies (handed out before it) moved by `lines`,
 * with its own stamps. Its analysis is that report's moved the same way (analyze.ts). */
export interface ReportCopy<T> {
  of: T;
  lines: number;
}

/**
 * The copies of one run left unmade, for a reader that takes them as a block (TextScan's
 * `copyBlocks`: the editor keeps a flood's copies as one entry and makes a copy's report only
 * when a feature asks, copyAt), or of a stretch of one run (a streaming reader's, `'stream'`:
 * the CLI takes the copies finished since it last asked, and lets them go once explained). Copy
 * `c` (0-based) is `out` moved by copyDelta(c) = (firstCopy + c + 1) · period lines, the objects
 * of `timed` each with its own line's stamp: times[c · timed.length + i].
 */
export interface CopyBlock<T> {
  readonly out: readonly T[];
  readonly period: number;
  /** Copies of the run before this block's first (0 but in a stream of blocks). */
  readonly firstCopy: number;
  /** Copies taken so far (grows while the run lasts). */
  count: number;
  readonly timed: readonly Record<string, unknown>[];
  readonly times: string[];
  readonly plans: Plans;
  /** The scanner's banner release while the copies were taken (no banner line is in a copy). */
  readonly banner: string | null;
}

/** Lines from `block.out` to its copy `c`. */
export function copyDelta(block: CopyBlock<unknown>, c: number): number {
  return (block.firstCopy + c + 1) * block.period;
}

/** Copy `c` of `block`'s reports, made (the same objects a run hands out copy by copy). */
export function copyAt<T>(block: CopyBlock<T>, c: number): T[] {
  const k = block.timed.length;
  return movedCopy(
    block.out,
    [],
    block.plans,
    copyDelta(block, c),
    block.timed,
    (i) => block.times[c * k + i],
  ).out as T[];
}

/** `out` and `suppressions` moved by `delta` lines (objects that hold a line copied, the others
 * shared: line-move.ts), each of `timed` given `timeOf(its place in timed, its copy's line)`. */
function movedCopy(
  out: readonly unknown[],
  suppressions: readonly object[],
  plans: Plans,
  delta: number,
  timed: readonly Record<string, unknown>[],
  timeOf: (i: number, line: number) => string,
): { out: unknown[]; suppressions: object[] } {
  const move: Move = { delta, copies: new Map(), plans, handOn: false };
  const moved = {
    out: out.map((o) => movedObject(o as object, move)),
    suppressions: suppressions.map((o) => movedObject(o, move)),
  };
  timed.forEach((t, i) => {
    const copy = move.copies.get(t) as Record<string, unknown>;
    copy.time = timeOf(i, copy.line as number);
  });
  return moved;
}

/** What the scanner carries into a stretch a reader skips (parse.ts SkipState, less the banner). */
type Carried = Omit<SkipState, 'kernelRelease'>;

/** What the run needs of the scanner (parse.ts LogScanner). */
export interface RunnableScanner {
  /** The object whose fields are the whole reading state (walked by the digest). */
  readonly state: object;
  readonly suppressions: object[];
  unrelatedLinesCount(): number;
  /** The banner release read so far (a copy block's). */
  banner(): string | null;
  framingCounts(): ReadonlyMap<Framing, number>;
  addFramingCounts(counts: ReadonlyMap<Framing, number>, times: number): void;
}

/** A repeating stretch being taken: see the file's comment. */
interface Run<T> {
  /** The line where the first copy begins, and the stretch's length. */
  start: number;
  period: number;
  /** Lines taken since `start` (read or skipped past). */
  taken: number;
  /** Each line of the stretch: where its stamp stands (-1: it has none, the copies equal it). */
  stampFrom: Int32Array;
  stampTo: Int32Array;
  /** What the scanner handed out over the last stretch it read, and the state's timed objects. */
  out: T[];
  suppressions: object[];
  /** The lines of each framing one stretch reads. */
  counts: Map<Framing, number>;
  /** The objects of `out` whose time is their line's own stamp, and the plans of their moves. */
  timedOut: Record<string, unknown>[];
  plans: Plans;
  timedState: Record<string, unknown>[];
  /** The copies taken, when they are left unmade (`blocks`): made at the first copy (in a
   * stream, at the first after the reader took the last block). */
  block: CopyBlock<T> | null;
  /** By line of the stretch, the text before and after its stamp (sameButStamp), set at the
   * line's first copy. */
  prefix: (string | undefined)[];
  suffix: (string | undefined)[];
  /** Lines taken into the copy being taken (taken mod period), and where each of `timedOut`
   * stands in the stretch (found at the first copy left unmade). */
  at: number;
  timedPlaces: number[] | null;
}

/** A ring slot: a line read (its raw text), the first line of a stretch a reader skipped (the
 * stretch's length), or a line inside one (0). */
type Entry = string | number;

/**
 * Watches a LogScanner's lines for a repeating stretch and takes the copies of it (see the file's
 * comment). Outside a run the scanner calls `lineIn` before reading a line and `skipIn` before
 * skipping lines, `handedOut` after either, `note` for each line's own stamp (lines.ts) and `gap`
 * for lines it cannot hold. While `running`, it gives each line to `take` and each skip to
 * `takeSkip` instead, answers `idle` and `carried()` with `idleNow` and `carriedNow` (a reader
 * decides what to skip by them, as it would have), and calls `end` at the first line or skip not
 * taken (or at the end of input).
 */
export class RepeatRun<T> {
  private readonly ring: Entry[] = new Array<Entry>(RING_LINES);
  /** Whether the scanner was idle before the line (1) or not (0), by ring slot. */
  private readonly idleBefore = new Uint8Array(RING_LINES);
  /** What the scanner carried into a skipped stretch, by the ring slot of its first line. */
  private readonly carriedAt: (Carried | undefined)[] = new Array<Carried | undefined>(RING_LINES);
  /** Each held line's own stamp, by ring slot: the time its framing read and the columns where it
   * stands in the raw line, before the message (-1: none). */
  private readonly stampFrom = new Int32Array(RING_LINES);
  private readonly stampTo = new Int32Array(RING_LINES);
  private readonly stampTime: (string | null)[] = new Array<string | null>(RING_LINES).fill(null);
  /** The first line held in the ring (lines before it were not held: split unevenly, or a skipped
   * stretch too long to hold). */
  private ringFrom = 0;
  /** Lines seen: the next line's number. */
  private lines = 0;
  private moments: Moment<T>[] = [];
  private run: Run<T> | null = null;
  /** Copies' outputs not yet handed out. */
  private copies: T[] = [];
  /** Lines of the runs that ended taken as copies. */
  private copied = 0;
  /** What each copy handed out copies, until its reader asks (takeCopyOf). */
  private readonly copyOf = new Map<T, ReportCopy<T>>();
  /** The runs' copies left unmade, in order (with `blocks`). */
  private readonly madeBlocks: CopyBlock<T>[] = [];
  /** The copies finished since `takeStreamed` last took them (with `blocks` `'stream'`). */
  private streamed: CopyBlock<T>[] = [];
  /** Lines compared and digest tokens written looking for a period (SEARCH_WORK_PER_LINE). */
  private searchWork = 0;
  /** Points to pass over before comparing stretches again, and how many were passed over last. */
  private quietMoments = 0;
  private backoff = 0;

  constructor(
    private readonly scanner: RunnableScanner,
    /** Leave copies unmade, one CopyBlock per run (`takeBlocks`: a reader that holds the whole
     * text), or one per stretch of a run taken as it goes (`'stream'`, `takeStreamed`: a reader
     * that lets each go once explained, so that memory stays flat over a flood of any length),
     * rather than hand them out made. */
    private readonly blocks: boolean | 'stream' = false,
  ) {}

  /** The copy blocks of the runs so far (the last one may still grow while its run lasts). */
  takeBlocks(): readonly CopyBlock<T>[] {
    return this.madeBlocks;
  }

  /** The copies finished since the last call, as blocks of their own (one per run), in order;
   * with `blocks` `'stream'`. Their reports come before any report the scanner hands out after
   * them: a run ends before the lines it held are read again. */
  takeStreamed(): CopyBlock<T>[] {
    const out = this.streamed;
    if (out.length > 0) {
      this.streamed = [];
      // the run's next copy begins a block of its own
      if (this.run !== null) this.run.block = null;
    }
    return out;
  }

  get running(): boolean {
    return this.run !== null;
  }

  /** Lines taken by the run and not yet in the scanner's state. */
  get pendingLines(): number {
    return this.run?.taken ?? 0;
  }

  /** Lines taken as copies, not read, so far (the last copy of each run, unfinished, is read). */
  get copiedLines(): number {
    const run = this.run;
    return this.copied + (run === null ? 0 : run.taken - (run.taken % run.period));
  }

  /** `n` lines the ring cannot hold: nothing before them can be compared. */
  gap(n: number): void {
    this.lines += n;
    this.ringFrom = this.lines;
    this.moments = [];
    this.quietMoments = 0;
  }

  /** The framing of physical line `line` read `time` at its start, the message from column
   * `textFrom`. Where the stamp stands is found only when a stretch holding the line is compared
   * (`stampAt`): most lines never are. */
  note(line: number, time: string, textFrom: number): void {
    const slot = line & RING_MASK;
    // the first line a physical line begins sets it (a line split in several records keeps it)
    if (!this.held(line) || this.stampTime[slot] !== null) return;
    this.stampTime[slot] = time;
    this.stampTo[slot] = textFrom;
    this.stampFrom[slot] = UNPLACED;
  }

  /** The column where the stamp of the line in `slot` begins (its end in stampTo), -1 when it has
   * none: a time its framing read that stands verbatim in the raw line before the message. */
  private stampAt(slot: number): number {
    const from = this.stampFrom[slot];
    if (from !== UNPLACED) return from;
    const time = this.stampTime[slot]!;
    const raw = this.ring[slot] as string;
    const at = raw.indexOf(time);
    // found once before the message: where else the same text stands (a /dev/kmsg sequence
    // number equal to its time) the framing's stamp cannot be told from it
    const end = this.stampTo[slot];
    if (at < 0 || at + time.length > end || raw.lastIndexOf(time, end - time.length) !== at) {
      this.stampFrom[slot] = -1;
      return -1;
    }
    this.stampFrom[slot] = at;
    this.stampTo[slot] = at + time.length;
    return at;
  }

  /** The scanner is about to read `raw` (what a reader cut at `\n`: one physical line, or more
   * when lone `\r`s end lines inside it), `idle` before it. */
  lineIn(raw: string, idle: boolean): void {
    let inner = 0;
    for (let cr = raw.indexOf('\r'); cr >= 0 && cr < raw.length - 1; cr = raw.indexOf('\r', cr + 1)) inner++;
    if (inner > 0) {
      // its parts are not held one per line
      this.gap(inner + 1);
      return;
    }
    this.hold(raw, idle);
  }

  /** The scanner is about to skip `n` lines unread, carrying `carried` into them. */
  skipIn(n: number, carried: Carried): void {
    if (n > MAX_PERIOD_LINES) {
      this.gap(n);
      return;
    }
    const first = this.lines & RING_MASK;
    this.hold(n, true);
    this.carriedAt[first] = carried;
    for (let i = 1; i < n; i++) this.hold(0, true);
  }

  /** The scanner read a line or skipped lines, and handed out `out`. */
  handedOut(out: readonly T[]): void {
    if (out.length > 0) this.moment(out);
  }

  /** Line `line` is in the ring. */
  private held(line: number): boolean {
    return line >= this.ringFrom && line < this.lines;
  }

  private hold(entry: Entry, idle: boolean): void {
    const slot = this.lines++ & RING_MASK;
    this.ring[slot] = entry;
    this.idleBefore[slot] = idle ? 1 : 0;
    this.stampFrom[slot] = -1;
    this.stampTime[slot] = null;
    this.carriedAt[slot] = undefined;
    if (this.lines - this.ringFrom > RING_LINES) this.ringFrom = this.lines - RING_LINES;
  }

  /** While running: whether the scanner would be idle before the next line (as before the same
   * line of the copy before). */
  idleNow(): boolean {
    return this.idleBefore[(this.lines - this.run!.period) & RING_MASK] === 1;
  }

  /** While running: what the scanner would carry into a stretch skipped from the next line (what
   * it carried into the same stretch of the copy before, its framing counts one copy further);
   * null when the copy before skipped nothing there. */
  carriedNow(): Carried | null {
    const run = this.run!;
    // not a stretch the copy before skipped: the run ends here (the scanner ends it, then answers)
    const before = this.carriedAt[(this.lines - run.period) & RING_MASK];
    if (before === undefined) return null;
    const framings = new Map(before.framings);
    for (const [framing, n] of run.counts) framings.set(framing, (framings.get(framing) ?? 0) + n);
    return { ...before, framings };
  }

  /**
   * While running: the next line. True when it is the next line of a copy (taken: the scanner
   * does not read it; a finished copy's reports wait in `takeCopies`); false when it is not (the
   * run is over: the scanner must `end` it, then read this line).
   */
  take(raw: string): boolean {
    const run = this.run!;
    const at = run.at;
    const template = this.ring[(this.lines - run.period) & RING_MASK];
    if (typeof template !== 'string') return false;
    const from = run.stampFrom[at];
    const to = run.stampTo[at];
    if (run.prefix[at] === undefined) cutAroundStamp(run, at, template);
    if (!sameButStamp(raw, template, from, to, run.prefix[at], run.suffix[at])) return false;
    this.hold(raw, this.idleNow());
    this.advance(run, 1);
    return true;
  }

  /**
   * While running: the lines of `text` from `pos` (a line start) taken at once, each as `take`
   * would take it, for a reader that holds the whole text (TextScan): a flood's line costs its
   * comparison, not a call of the scanner per line (issue #17). Stops after `maxLines` lines,
   * before a line that does not end with a `\n` before `limit` (the reader's next `\r`: such
   * lines are the reader's to cut), before a line the scanner would be idle before (the reader
   * may skip from there), and before a line that is not a copy's (the reader reads it, and the
   * run ends there). `lineEnd`, when given, is told each line's `\n`. Returns the position after
   * the lines taken (`pos` when none was).
   */
  takeLines(
    text: string,
    pos: number,
    limit: number,
    maxLines: number,
    lineEnd: ((at: number) => void) | null,
  ): number {
    const run = this.run!;
    const { ring, idleBefore } = this;
    const { period } = run;
    // (take, idleNow, hold and advance written out: a flood's first thousands of lines run before
    // the JIT has compiled them, where each call costs more than the line's comparison)
    for (let n = 0; n < maxLines; n++) {
      const before = (this.lines - period) & RING_MASK;
      if (idleBefore[before] === 1) break;
      const template = ring[before];
      if (typeof template !== 'string') break;
      const end = pos + template.length;
      // the same length as its template's, and ending there (else not a copy's, or cut by a `\r`)
      if (end >= limit || text.charCodeAt(end) !== 10) break;
      const at = run.at;
      const from = run.stampFrom[at];
      const to = run.stampTo[at];
      if (run.prefix[at] === undefined) cutAroundStamp(run, at, template);
      // (the line cut first: V8 compares a short string's ends faster than a text's middle)
      const raw = text.slice(pos, end);
      if (!sameButStamp(raw, template, from, to, run.prefix[at], run.suffix[at])) break;
      const slot = this.lines++ & RING_MASK;
      ring[slot] = raw;
      idleBefore[slot] = 0;
      this.stampFrom[slot] = -1;
      this.stampTime[slot] = null;
      this.carriedAt[slot] = undefined;
      if (this.lines - this.ringFrom > RING_LINES) this.ringFrom = this.lines - RING_LINES;
      run.taken++;
      if (++run.at === period) {
        run.at = 0;
        this.copyDone(run);
      }
      lineEnd?.(end);
      pos = end + 1;
    }
    return pos;
  }

  /** While running: `n` lines a reader skips. True when the copy before skipped the same lines
   * there (taken); false when not (the scanner must `end` the run, then skip them). */
  takeSkip(n: number): boolean {
    const run = this.run!;
    if (this.ring[(this.lines - run.period) & RING_MASK] !== n) return false;
    this.skipIn(n, this.carriedNow()!);
    this.advance(run, n);
    return true;
  }

  private advance(run: Run<T>, n: number): void {
    run.taken += n;
    // (a skip taken lies inside one copy: it matched the copy before's at the same place)
    run.at += n;
    if (run.at >= run.period) {
      run.at %= run.period;
      this.copyDone(run);
    }
  }

  /** What `report` copies, when it is a copy (asked once: the answer is forgotten). */
  takeCopyOf(report: T): ReportCopy<T> | null {
    const copy = this.copyOf.get(report);
    if (copy === undefined) return null;
    this.copyOf.delete(report);
    return copy;
  }

  /** Reports of the copies finished so far (in the order the scanner would have handed them out),
   * to be read at once (an empty list is the run's own, filled later). */
  takeCopies(): T[] {
    const out = this.copies;
    if (out.length > 0) this.copies = [];
    return out;
  }

  /**
   * The run is over: the scanner's state is moved forward by the copies taken (lines, stamps,
   * framing counts), and what the unfinished copy holds is returned, to be read as usual: each
   * line's raw text, or the length of a stretch the reader skipped.
   */
  end(): Entry[] {
    const run = this.run!;
    this.run = null;
    this.moments = [];
    const copies = Math.floor(run.taken / run.period);
    const delta = copies * run.period;
    this.copied += delta;
    if (delta > 0) {
      moveState(this.scanner.state, '', delta, new Set());
      for (const o of run.timedState) o.time = this.timeAt(run, o.line as number);
      this.scanner.addFramingCounts(run.counts, copies);
    }
    const held: Entry[] = [];
    for (let l = run.start + delta; l < run.start + run.taken; l++) {
      const entry = this.ring[l & RING_MASK];
      if (entry !== 0) held.push(entry);
    }
    // the held lines are read again, as lines the ring already holds
    this.lines = run.start + delta;
    return held;
  }

  /** The stamp of line `line` of the run's copies (or of the stretch before them). */
  private timeAt(run: Run<T>, line: number): string {
    const at = placeIn(line, run.start, run.period);
    return (this.ring[line & RING_MASK] as string).slice(run.stampFrom[at], run.stampTo[at]);
  }

  /** A copy of the stretch was taken: what the last one read handed out, moved onto it (objects
   * that hold a line copied, the others shared: line-move.ts), each stamp its own line's. */
  private copyDone(run: Run<T>): void {
    const delta = run.taken - (run.taken % run.period);
    if (this.blocks) {
      // the copy's reports are left unmade: its stamps are written down (its rate-limit lines,
      // the scanner's own findings, are made as they are)
      const block = (run.block ??= this.newBlock(run, delta / run.period - 1));
      block.count++;
      // each timed object's place in the stretch, found once (timeAt finds it per call)
      const places = (run.timedPlaces ??= run.timedOut.map((t) =>
        placeIn(t.line as number, run.start, run.period),
      ));
      for (let i = 0; i < places.length; i++) {
        const line = (run.timedOut[i].line as number) + delta;
        const at = places[i];
        block.times.push((this.ring[line & RING_MASK] as string).slice(run.stampFrom[at], run.stampTo[at]));
      }
      if (run.suppressions.length > 0)
        for (const s of movedCopy([], run.suppressions, run.plans, delta, [], () => '').suppressions)
          this.scanner.suppressions.push(s);
      return;
    }
    const moved = movedCopy(run.out, run.suppressions, run.plans, delta, run.timedOut, (_, line) =>
      this.timeAt(run, line),
    );
    run.out.forEach((o, i) => {
      const copy = moved.out[i] as T;
      this.copies.push(copy);
      this.copyOf.set(copy, { of: o, lines: delta });
    });
    for (const s of moved.suppressions) this.scanner.suppressions.push(s);
  }

  private newBlock(run: Run<T>, firstCopy: number): CopyBlock<T> {
    const block: CopyBlock<T> = {
      out: run.out,
      period: run.period,
      firstCopy,
      count: 0,
      timed: run.timedOut,
      times: [],
      plans: run.plans,
      banner: this.scanner.banner(),
    };
    (this.blocks === 'stream' ? this.streamed : this.madeBlocks).push(block);
    return block;
  }

  private digestAt(base: number, values: unknown, key: string): Digest {
    const d = new Digest(base, this.scanner.unrelatedLinesCount(), (line, time) => {
      const slot = line & RING_MASK;
      return this.held(line) && this.stampTime[slot] === time && this.stampAt(slot) >= 0;
    });
    d.add(values, key);
    return d;
  }

  /** The scanner handed out `out` (a list of its own, kept as it is) after the line just read: a
   * point to compare with earlier ones. */
  private moment(out: readonly T[]): void {
    const now: Moment<T> = {
      line: this.lines,
      out,
      suppressions: this.scanner.suppressions.length,
      counts: null,
      digest: null,
    };
    const moments = this.moments;
    moments.push(now);
    if (moments.length > MOMENTS_KEPT) moments.shift();
    if (this.quietMoments > 0) {
      this.quietMoments--;
      return;
    }
    let compared = false;
    let repeated = false;
    for (let j = moments.length - 2; j >= 0; j--) {
      const before = moments[j];
      const period = now.line - before.line;
      if (period > MAX_PERIOD_LINES || now.line - 2 * period < this.ringFrom) break;
      if (this.searchWork > SEARCH_WORK_ALLOWED + SEARCH_WORK_PER_LINE * this.lines) break;
      // one stretch back the scanner handed out the same reports (kind, place, length), moved
      if (!sameShapes(before.out, now.out, period)) continue;
      compared = true;
      if (!this.stretchRepeats(now.line, period, null)) continue;
      repeated = true;
      if (now.digest === null) {
        now.digest = this.digestAt(now.line, this.scanner.state, '');
        now.counts = this.scanner.framingCounts();
        this.searchWork += now.digest.tokens.length;
      }
      if (before.digest === null || now.digest.foreign || !now.digest.equals(before.digest)) continue;
      if (this.start(now, before, j, period)) return;
    }
    // Reports alike in shape whose lines differ (a real flood: each dump's numbers change) are
    // compared less and less often, up to every QUIET_MOMENTS_MAX-th point; a stretch that repeats
    // brings the comparisons back at every point (a run needs two in a row).
    if (repeated) this.backoff = 0;
    else if (compared) {
      this.backoff = Math.min(QUIET_MOMENTS_MAX, this.backoff * 2 || 1);
      this.quietMoments = this.backoff;
    }
  }

  /**
   * Whether the `period` lines before `line` repeat the ones before them: each line read differs
   * from its counterpart only in the digits of its own stamp, which stands at the same place in
   * both (`stamps` gets each line's stamp columns, -1 where it has none), each stretch skipped
   * has the same length, and the scanner was idle before the same lines. A flood whose reports
   * differ in their numbers (a real one: free pages change) fails here, at the first such line,
   * before any digest is taken.
   */
  private stretchRepeats(
    line: number,
    period: number,
    stamps: { from: Int32Array; to: Int32Array } | null,
  ): boolean {
    // a few lines spread over the stretch first: where a real flood's numbers differ (its dump
    // lines) a sample meets one soon, and the whole stretch is compared only when all agree
    const stride = Math.max(1, period >> 3);
    for (let at = period - 1; at >= 0; at -= stride)
      if (!this.lineRepeats(line - period + at, period)) return false;
    for (let at = 0; at < period; at++) {
      const l = line - period + at;
      if (!this.lineRepeats(l, period)) return false;
      if (stamps !== null) {
        const slot = l & RING_MASK;
        stamps.from[at] = this.stampAt(slot);
        stamps.to[at] = this.stampTo[slot];
      }
    }
    return true;
  }

  /** Line `l` repeats line `l - period` (see stretchRepeats). */
  private lineRepeats(l: number, period: number): boolean {
    this.searchWork++;
    const slot = l & RING_MASK;
    const before = (l - period) & RING_MASK;
    const a = this.ring[slot];
    const b = this.ring[before];
    if (this.idleBefore[slot] !== this.idleBefore[before]) return false;
    if (typeof a !== 'string' || typeof b !== 'string') return a === b;
    const from = this.stampAt(slot);
    const to = this.stampTo[slot];
    // the stretch before has its stamp at the same place (or both have none)
    if (this.stampAt(before) !== from || (from >= 0 && this.stampTo[before] !== to)) return false;
    return sameButStamp(a, b, from, to);
  }

  /** Begins a run at `now` when the stretch repeats (stretchRepeats), what the scanner carried into
   * its skipped stretches repeats, and what was handed out over it can be moved. */
  private start(now: Moment<T>, before: Moment<T>, j: number, period: number): boolean {
    const stamps = { from: new Int32Array(period), to: new Int32Array(period) };
    if (!this.stretchRepeats(now.line, period, stamps)) return false;
    const stampFrom = stamps.from;
    const stampTo = stamps.to;
    // the lines of each framing one stretch reads
    const grown = new Map<Framing, number>();
    for (const [framing, n] of now.counts!) {
      const more = n - (before.counts!.get(framing) ?? 0);
      if (more !== 0) grown.set(framing, more);
    }
    // a skipped stretch: what the scanner carried into it repeats too (framings one copy further)
    for (let l = now.line - period; l < now.line; l++) {
      const entry = this.ring[l & RING_MASK];
      if (
        typeof entry === 'number' &&
        entry > 0 &&
        !carriedOneCopyOn(this.carriedAt[l & RING_MASK]!, this.carriedAt[(l - period) & RING_MASK]!, grown)
      )
        return false;
    }
    const state = now.digest!;
    // the state is moved in place when the run ends: it must hold nothing handed out
    if (this.moments.some((m) => m.out.some((o) => reaches(o, state, new Set())))) return false;
    const out = this.moments.slice(j + 1).flatMap((m) => m.out);
    if (now.suppressions < before.suppressions) return false;
    const suppressions = this.scanner.suppressions.slice(before.suppressions, now.suppressions);
    const handed = this.digestAt(now.line, [out, suppressions], '');
    if (handed.foreign) return false;
    // a moved stamp is read at its line's place in the stretch: every line of that place from the
    // timed object's own on must hold its stamp there (the copies taken will, take() checks it)
    for (const o of [...state.timed, ...handed.timed])
      for (let line = o.line as number; line < now.line; line += period) {
        const at = placeIn(line, now.line, period);
        const slot = line & RING_MASK;
        if (!this.held(line) || this.stampAt(slot) < 0) return false;
        if (this.stampFrom[slot] !== stampFrom[at] || this.stampTo[slot] !== stampTo[at]) return false;
      }
    this.run = {
      start: now.line,
      period,
      taken: 0,
      stampFrom,
      stampTo,
      out,
      suppressions,
      counts: grown,
      timedOut: handed.timed,
      plans: { previous: null, next: new Map() },
      timedState: state.timed,
      block: null,
      prefix: [],
      suffix: [],
      at: 0,
      timedPlaces: null,
    };
    return true;
  }
}

/** Whether `now` hands out what `before` handed out `period` lines earlier, by kind, place and
 * length (the cheap test before the stretches are compared). */
function sameShapes(before: readonly unknown[], now: readonly unknown[], period: number): boolean {
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = before[i] as Record<string, unknown>;
    const b = now[i] as Record<string, unknown>;
    if (a.kind !== b.kind || (b.line as number) - (a.line as number) !== period) return false;
    if ((b.endLine as number) - (b.line as number) !== (a.endLine as number) - (a.line as number))
      return false;
  }
  return true;
}

/** Whether the scanner carried into a skipped stretch what it carried into the same stretch a copy
 * before, its lines of each framing `grown` further (each framing already seen there, so that the
 * counts keep the order in which framings were first seen). */
function carriedOneCopyOn(now: Carried, before: Carried, grown: ReadonlyMap<Framing, number>): boolean {
  if (
    now.pendingSuppressed !== before.pendingSuppressed ||
    now.pendingSuppressedBy !== before.pendingSuppressedBy
  )
    return false;
  if (now.framings.size !== before.framings.size) return false;
  for (const [framing, n] of before.framings)
    if (now.framings.get(framing) !== n + (grown.get(framing) ?? 0)) return false;
  for (const framing of grown.keys()) if (!before.framings.has(framing)) return false;
  return true;
}
