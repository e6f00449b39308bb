// `--json` groups repeats (issue #17): a report repeated N times is one event, written once in
// full, with the header lines and times of the N reports it stands for as two parallel arrays
// (`repeat.lines`, `repeat.times`). A flood of identical reports (a driver retrying an atomic
// allocation prints the same report thousands of times) is then one explanation plus a few bytes
// per repeat, where writing every repeat out in full made the output tens of kilobytes per report.
//
// Events are held until the end of the file so that a group's later members can join its event;
// what is held is bounded (HELD_CHARS): past it the oldest held event is written with the members
// seen so far, and the group's next member starts a new event (its `repeat.occurrence` tells which
// member it is, `repeat.firstLine` where the group began). Events leave in the order of their
// header lines whatever is held.
import { analysedLine, analysedTime, type Analysed } from '../core/analyze';
import { eventJson, type JsonEvent, type JsonFileWriter } from './json';

/** Characters of held output (events and their members' lines and times) above which the oldest
 * held event is written: bounds memory whatever the log holds (a few times this in heap). */
export const HELD_CHARS = 8 << 20;

/** The `repeat` object of a grouped event. */
export interface JsonGroupRepeat {
  /** Which member of its group the event's report is: 1 for the first; n when earlier members
   * were written in an earlier event (a group longer than what is held). */
  occurrence: number;
  /** The group's first header line, null when this event is the first. */
  firstLine: number | null;
  /** Its file, for the logs of a folder. */
  firstFile?: string | null;
  // The members, only when the event stands for more than its own report (an event of one
  // report is written as before grouping):
  /** Reports this event stands for: its own and the identical ones after it. */
  count?: number;
  /** Their header lines (1-based), this event's own first. */
  lines?: number[];
  /** Their times as the framing printed them (null where none), in the order of `lines`. */
  times?: (string | null)[];
  /** Their files, for the logs of a folder, in the order of `lines`. */
  files?: string[];
}

interface Held {
  /** The group's first report index. */
  group: number;
  /** The event's text before and after the value of its `repeat` key. */
  head: string;
  tail: string;
  base: Pick<JsonGroupRepeat, 'occurrence' | 'firstLine' | 'firstFile'>;
  count: number;
  /** The members' lines, times and files as JSON array bodies (without brackets). */
  lines: string;
  times: string;
  files: string | null;
  chars: number;
}

export class JsonGroupWriter {
  private readonly queue: Held[] = [];
  private next = 0;
  /** The held event of each group still accepting members, by the group's first report index. */
  private readonly open = new Map<number, Held>();
  private chars = 0;

  constructor(
    private readonly writer: JsonFileWriter,
    private readonly pretty: boolean,
    /** Files are named per event and per member (the logs of a folder). */
    private readonly inFolder: boolean,
    private readonly heldChars = HELD_CHARS,
  ) {}

  /** The next report in log order; `file` and `firstFile` only for the logs of a folder. */
  add(item: Analysed, file?: string, firstFile?: string | null): void {
    const group = item.first ? item.first.index : item.analysis.index;
    const held = item.first ? this.open.get(group) : undefined;
    if (held) {
      // (a copy left unmade stays unmade: its line and stamp are known without it)
      const line = `,${analysedLine(item) + 1}`;
      const time = `,${JSON.stringify(analysedTime(item))}`;
      held.count++;
      held.lines += line;
      held.times += time;
      let more = line.length + time.length;
      if (held.files !== null) {
        const name = `,${JSON.stringify(file ?? null)}`;
        held.files += name;
        more += name.length;
      }
      held.chars += more;
      this.chars += more;
    } else {
      const event: JsonEvent = eventJson(item);
      const full = this.inFolder
        ? { file, ...event, repeat: { ...event.repeat, firstFile: item.first ? (firstFile ?? null) : null } }
        : event;
      const text = this.pretty ? JSON.stringify(full, null, 2) : JSON.stringify(full);
      const key = this.pretty ? '"repeat": ' : '"repeat":';
      const value = this.pretty
        ? JSON.stringify(full.repeat, null, 2).replace(/\n/g, '\n  ')
        : JSON.stringify(full.repeat);
      // a `"` outside a string value only delimits keys and strings, and no other object of an
      // event has a `repeat` key: this finds the event's own
      const at = text.indexOf(key + value) + key.length;
      const entry: Held = {
        group,
        head: text.slice(0, at),
        tail: text.slice(at + value.length),
        base: full.repeat,
        count: 1,
        lines: `${item.report.line + 1}`,
        times: JSON.stringify(item.report.time),
        files: this.inFolder ? JSON.stringify(file ?? null) : null,
        chars: 0,
      };
      entry.chars = text.length + entry.lines.length + entry.times.length + (entry.files?.length ?? 0);
      this.chars += entry.chars;
      this.queue.push(entry);
      this.open.set(group, entry);
    }
    while (this.chars > this.heldChars && this.next < this.queue.length) this.writeOldest();
  }

  /** Writes every held event (the end of the file). */
  end(): void {
    while (this.next < this.queue.length) this.writeOldest();
    this.open.clear();
  }

  private writeOldest(): void {
    const held = this.queue[this.next];
    this.queue[this.next++] = undefined as unknown as Held;
    if (this.next > 1024 && this.next * 2 > this.queue.length) {
      this.queue.splice(0, this.next);
      this.next = 0;
    }
    if (this.open.get(held.group) === held) this.open.delete(held.group);
    this.chars -= held.chars;
    this.writer.eventText(held.head + this.repeatText(held) + held.tail);
  }

  private repeatText(held: Held): string {
    // an event standing for itself alone is written as before grouping: no members to list
    if (held.count === 1)
      return this.pretty
        ? JSON.stringify(held.base, null, 2).replace(/\n/g, '\n  ')
        : JSON.stringify(held.base);
    const fields: [string, string][] = [
      ...Object.entries(held.base).map(([k, v]): [string, string] => [k, JSON.stringify(v)]),
      ['count', String(held.count)],
      ['lines', `[${held.lines}]`],
      ['times', `[${held.times}]`],
    ];
    if (held.files !== null) fields.push(['files', `[${held.files}]`]);
    // indented like the event (the repeat is one level in), the arrays on one line each
    return this.pretty
      ? `{\n${fields.map(([k, v]) => `    ${JSON.stringify(k)}: ${v}`).join(',\n')}\n  }`
      : `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }
}
