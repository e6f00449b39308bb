// The reports a `--json` document stands for (issue #17: a repeat group is one event, its
// members' header lines and times in `repeat.lines` / `repeat.times`).

export interface GroupedRepeat {
  occurrence: number;
  firstLine: number | null;
  /** count, lines and times: only on an event standing for more than its own report. */
  count?: number;
  lines?: number[];
  times?: (string | null)[];
  files?: string[];
}

/** Reports in a document's events: the sum of their groups' counts. */
export function reportCount(events: { repeat: GroupedRepeat }[]): number {
  return events.reduce((n, e) => n + (e.repeat.count ?? 1), 0);
}

/** One entry per report: each event as written, then each later member of its group with its own
 * header line, time, file and occurrence (the rest is the event's). */
export function reportsOf<T extends { line: number; time: string | null; repeat: GroupedRepeat }>(
  events: T[],
): T[] {
  const out: T[] = [];
  for (const e of events) {
    out.push(e);
    for (let i = 1; i < (e.repeat.count ?? 1); i++)
      out.push({
        ...e,
        line: e.repeat.lines![i],
        time: e.repeat.times![i],
        ...(e.repeat.files ? { file: e.repeat.files[i] } : {}),
        repeat: { ...e.repeat, occurrence: e.repeat.occurrence + i },
      });
  }
  return out;
}
