// Moving a report (and its analysis) by a number of lines: objects that hold a line are copied,
// the others shared. An edited document's reports after the edit move (incremental.ts), and so
// do the copies of a repeated stretch (repeat-run.ts).

import { LINE_ARRAY_KEYS, LINE_KEYS } from './model';
import type { ReportAnalysis } from './analysis-types';

/**
 * Per object of a report or its analysis, the keys whose values move with the report's lines:
 * line numbers (LINE_KEYS), line lists (LINE_ARRAY_KEYS, model.ts: a line field left out there keeps a stale
 * line in a moved analysis, which test/core/repeat-rebase.test.ts catches) and objects holding either; none for an object that holds no
 * line (era rows, decoded masks, texts: shared, never copied). Worked out once per object and
 * handed on to its moved copy, so that typing walks only what moves: a move's plans are kept
 * with the reading it made (a Map of the objects it met, the older one dropped; a WeakMap kept
 * across moves made every copy an ephemeron the garbage collector paid for).
 */
export type MovePlans = ReadonlyMap<object, readonly string[]>;
export interface Plans {
  previous: MovePlans | null;
  next: Map<object, readonly string[]>;
}

export function planOf(value: object, plans: Plans): readonly string[] {
  let plan = plans.next.get(value) ?? plans.previous?.get(value);
  if (plan) {
    plans.next.set(value, plan);
    return plan;
  }
  plans.next.set(value, NOTHING); // a cycle holds no line of its own
  let keys: string[] | null = null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null && planOf(v, plans).length > 0) (keys ??= []).push(String(i));
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const v = record[k];
      if (
        typeof v === 'number'
          ? LINE_KEYS.has(k)
          : typeof v === 'object' &&
            v !== null &&
            ((LINE_ARRAY_KEYS.has(k) && Array.isArray(v)) || planOf(v, plans).length > 0)
      )
        (keys ??= []).push(k);
    }
  }
  plan = keys ?? NOTHING;
  plans.next.set(value, plan);
  return plan;
}
const NOTHING: readonly string[] = [];

/** What moves a report: its delta, the copies made so far (an object met twice stays one copy),
 * the plans. */
export interface Move {
  delta: number;
  copies: Map<object, object>;
  plans: Plans;
  /** Record each copy's plan in `plans.next`, for a later move of the copy (an edited document's
   * next version); a copy that is never moved again (a flood's, repeat-run.ts) records none. */
  handOn: boolean;
}

export function movedValue(value: unknown, key: string, move: Move): unknown {
  if (typeof value === 'number') return value + move.delta;
  if (LINE_ARRAY_KEYS.has(key) && Array.isArray(value) && value.every((v) => typeof v === 'number'))
    return value.map((v: number) => v + move.delta);
  return movedObject(value as object, move);
}

/** `value` with every line number in it moved: objects on the way to one copied, the others shared. */
export function movedObject(value: object, move: Move): object {
  const plan = planOf(value, move.plans);
  if (plan.length === 0) return value;
  const known = move.copies.get(value);
  if (known) return known;
  const out = (Array.isArray(value) ? value.slice() : { ...value }) as Record<string, unknown>;
  move.copies.set(value, out);
  if (move.handOn) move.plans.next.set(out, plan);
  for (const k of plan) out[k] = movedValue((value as Record<string, unknown>)[k], k, move);
  return out;
}

/**
 * A report's analysis moved by `move` (its report's objects already paired with their copies in
 * `move.copies`): objects that hold a line copied, references to the report's objects turned to
 * the copy's. Its `repeat` is left as it is (the caller rebuilds it).
 */
export function movedAnalysis(analysis: ReportAnalysis, move: Move): ReportAnalysis {
  const fields: Record<string, unknown> = { ...analysis };
  const plan = planOf(analysis, move.plans);
  for (const k of plan) if (k !== 'repeat') fields[k] = movedValue(fields[k], k, move);
  const after = fields as unknown as ReportAnalysis;
  if (move.handOn) move.plans.next.set(after, plan);
  return after;
}
