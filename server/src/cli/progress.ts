// A progress bar on standard error, drawn only when standard error is a terminal and the input is
// large; redrawn at most a few times a second, and erased before any other output reaches the screen.

/** Below this many bytes an input is read faster than a bar would be worth drawing. */
export const LARGE_INPUT_BYTES = 64 << 20;
const REDRAW_MS = 100;

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const mib = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(bytes < 10 << 20 ? 1 : 0)} MiB`;

export class Progress {
  private label = '';
  private total: number | null = null;
  private done = 0;
  private visible = false;
  private lastDraw = 0;

  constructor(private readonly sink: ProgressSink | null) {}

  /** A new input starts; `total` is its size when known. */
  start(label: string, total: number | null): void {
    this.label = label === '-' ? 'stdin' : label;
    this.total = total;
    this.done = 0;
  }

  advance(bytes: number): void {
    this.done += bytes;
    // a large file shows its bar from the start; input of unknown size once it has proved large
    if (!this.sink || ((this.total ?? 0) < LARGE_INPUT_BYTES && this.done < LARGE_INPUT_BYTES)) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw();
  }

  /** Erases the bar (before other output is written to the terminal, and at the end). */
  hide(): void {
    if (!this.visible || !this.sink) return;
    this.sink.write('\r\x1b[K');
    this.visible = false;
  }

  private draw(): void {
    const sink = this.sink!;
    const columns = Math.min(Math.max(sink.columns || 80, 40), 160);
    let text: string;
    if (this.total && this.total > 0) {
      const fraction = Math.min(1, this.done / this.total);
      const figures = ` ${String(Math.floor(fraction * 100)).padStart(3)}%  ${mib(this.done)} / ${mib(this.total)}`;
      // "klens: NAME [BAR]FIGURES": the bar gets at least 10 columns, the name what is left (≤ 40)
      const room = columns - 1 - 'klens:  []'.length - figures.length;
      const nameWidth = Math.max(0, Math.min(40, room - 10, this.label.length));
      const name =
        this.label.length > nameWidth
          ? `…${this.label.slice(this.label.length - nameWidth + 1)}`
          : this.label;
      const barWidth = Math.max(10, room - name.length);
      const filled = Math.round(fraction * barWidth);
      text = `klens: ${name} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${figures}`;
    } else {
      text = `klens: ${this.label}: ${mib(this.done)} read`;
    }
    sink.write(`\r${text.slice(0, columns - 1)}\x1b[K`);
    this.visible = true;
  }
}
