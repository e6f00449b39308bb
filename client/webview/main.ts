// The "Show Report" webview (bundled by esbuild into dist/webview/report-view.js with uPlot and
// its CSS): draws the ReportViewModel the extension posts — the timeline of every report, then
// for the selected report its verdict and actions, a gauge per zone, the buddy free lists per order
// and the replayed watermark check. Text from the log reaches the page only as text nodes
// (createTextNode / textContent) or canvas text, never as markup. Colours are VS Code's theme
// variables, re-read when the theme changes. Keyboard: the timeline's points are one tab stop
// (arrow keys move, Enter or Space selects), the zoom buttons and every section follow in order.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import {
  REPORT_VIEW_MAX_DETAILS,
  type BuddyHistogram,
  type ReportDetail,
  type ReportViewModel,
  type TimelinePoint,
  type WatermarkCheckRow,
  type ZoneGauge,
} from '../../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Messages from the extension. */
type Incoming = { type: 'model'; model: ReportViewModel | null; file: string; error?: string };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
let current: { model: ReportViewModel | null; file: string; error?: string } | null = null;
let plots: uPlot[] = [];
/** The timeline's zoom, kept across redraws of the same file (a selection, a theme change). */
let zoomed: { uri: string; min: number; max: number } | null = null;
let timelinePlot: { uri: string; plot: uPlot; full: [number, number] } | null = null;
/** The point that keeps the timeline's tab stop (roving tabindex). */
let focusIndex: number | null = null;

type Child = Node | string | null | undefined | false;

/** An element with safe attributes (never `on*`, `href`, `src`, `style`) and text children. */
function h(
  tag: string,
  attrs: Record<string, string | number | boolean | null> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

const kb = (n: number | null): string => (n === null ? '—' : `${n.toLocaleString('en-US')} kB`);
const num = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US'));
const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A theme colour from VS Code's variables (the webview's <html> carries them). */
function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function render(): void {
  if (timelinePlot) {
    const { min, max } = timelinePlot.plot.scales.x;
    const [fullMin, fullMax] = timelinePlot.full;
    zoomed =
      min !== undefined && max !== undefined && (min > fullMin || max < fullMax)
        ? { uri: timelinePlot.uri, min, max }
        : null;
    timelinePlot = null;
  }
  for (const p of plots) p.destroy();
  plots = [];
  root.replaceChildren();
  if (!current) {
    root.append(h('p', { class: 'muted' }, 'Loading the report view…'));
    return;
  }
  const { model, file, error } = current;
  root.append(h('h1', {}, `Kernel Log Lens — ${file}`));
  // what changed, said once to a screen reader (the page itself is redrawn, not announced)
  const detail = model?.detail;
  root.append(
    h(
      'p',
      { class: 'visually-hidden', role: 'status' },
      detail ? `Showing the report at line ${detail.line + 1}: ${detail.verdictShort}` : '',
    ),
  );
  if (error) {
    root.append(h('p', { class: 'error', role: 'alert' }, error));
    return;
  }
  if (!model) {
    root.append(
      h(
        'p',
        { role: 'status' },
        'No analysis of this file yet: open it as a kernel log, or run "Kernel Log Lens: Analyze Log File…".',
      ),
    );
    return;
  }
  const source = model.source === 'disk' ? ' (read from disk)' : '';
  root.append(
    h(
      'p',
      { class: 'muted', id: 'file-summary' },
      `${plural(model.reports, 'report')}${source}; ${plural(model.suppressed, 'report')} suppressed by the kernel's rate limit (callbacks suppressed).`,
    ),
  );
  if (model.reports === 0) {
    root.append(h('p', { role: 'status' }, 'This file holds no kernel memory report.'));
    return;
  }
  root.append(timelineSection(model));
  if (model.detail) root.append(...detailSections(model.detail));
  else if (model.selected !== null)
    root.append(
      h(
        'p',
        { role: 'status' },
        `The details of this report were not kept: a file read from disk keeps those of its first ${REPORT_VIEW_MAX_DETAILS} kinds of report only. Its place is on the timeline; open the file in the editor for the rest.`,
      ),
    );
}

// ── Timeline ───────────────────────────────────────────────────────────────────────────────

function timelineSection(model: ReportViewModel): HTMLElement {
  const t = model.timeline;
  const axisName =
    t.axis === 'uptime' ? 'seconds since boot' : t.axis === 'clock' ? 'time (year not printed)' : 'line';
  const section = h('section', { id: 'timeline', 'aria-labelledby': 'timeline-title' });
  section.append(h('h2', { id: 'timeline-title' }, 'Timeline'));
  const note = t.omitted > 0 ? ` ${plural(t.omitted, 'more report')} not drawn.` : '';
  section.append(
    h(
      'p',
      { class: 'muted' },
      `Every report by host and kind, along the ${axisName}. Drag across the chart or use the buttons to zoom; arrow keys move between reports, Enter goes to one in the log.${note}`,
    ),
  );
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline zoom' });
  const zoomIn = h('button', { type: 'button', id: 'zoom-in' }, 'Zoom in');
  const zoomOut = h('button', { type: 'button', id: 'zoom-out' }, 'Zoom out');
  const reset = h('button', { type: 'button', id: 'zoom-reset' }, 'Reset zoom');
  toolbar.append(zoomIn, zoomOut, reset);
  section.append(toolbar);
  const chart = h('div', { class: 'timeline-chart' });
  section.append(chart);

  const lanes = t.lanes;
  const laneY = (lane: number): number => lanes.length - 1 - lane;
  const points = [...t.points].sort((a, b) => a.x - b.x || a.index - b.index);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => laneY(p.lane));
  const pad = t.axis === 'clock' ? 60 : t.axis === 'uptime' ? 1 : 1;
  const fullMin = Math.min(...xs);
  const fullMax = Math.max(...xs);
  const span = fullMax - fullMin;
  const full: [number, number] =
    span === 0 ? [fullMin - pad, fullMax + pad] : [fullMin - span * 0.03, fullMax + span * 0.03];
  const fg = themeColor('--vscode-foreground', '#888');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const laneLabel = (i: number): string => {
    const l = lanes[lanes.length - 1 - i];
    if (!l) return '';
    return l.label.length > 32 ? `${l.label.slice(0, 31)}…` : l.label;
  };
  const buttons = new Map<number, HTMLButtonElement>();
  const width = Math.max(320, root.clientWidth - 8);
  const opts: uPlot.Options = {
    width,
    height: 70 + 34 * lanes.length,
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false }, y: false },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: {
        time: t.axis === 'clock',
        range: (_u, min, max) => (min === max ? [min - pad, max + pad] : [min, max]),
      },
      y: { range: () => [-0.6, lanes.length - 0.4] },
    },
    axes: [
      {
        stroke: fg,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        label: axisName,
        labelSize: 20,
        ...(t.axis === 'clock' ? { values: (_u: uPlot, splits: number[]) => splits.map(clockText) } : {}),
      },
      {
        stroke: fg,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        size: 230,
        splits: () => lanes.map((_, i) => i),
        values: (_u, splits) => splits.map((s) => laneLabel(s)),
      },
    ],
    series: [{}, { label: 'reports', stroke: 'transparent', paths: () => null, points: { show: false } }],
    hooks: {
      draw: [(u) => placePoints(u, points, buttons, laneY)],
    },
  };
  const data: uPlot.AlignedData = [xs, ys];
  const plot = new uPlot(opts, data, chart);
  const kept = zoomed?.uri === model.uri ? zoomed : null;
  plot.setScale('x', kept ? { min: kept.min, max: kept.max } : { min: full[0], max: full[1] });
  timelinePlot = { uri: model.uri, plot, full };
  plots.push(plot);

  // the points: buttons over the plot, one tab stop (roving tabindex), in file order
  const byIndex = [...t.points].sort((a, b) => a.index - b.index);
  const selected = model.selected;
  if (focusIndex === null || !byIndex.some((p) => p.index === focusIndex))
    focusIndex = selected ?? byIndex[0]?.index ?? null;
  for (const p of byIndex) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `point verdict-${p.verdict}${p.occurrence > 1 ? ' repeat' : ''}${p.index === selected ? ' selected' : ''}`;
    b.dataset.index = String(p.index);
    b.dataset.line = String(p.line + 1);
    b.setAttribute('aria-label', p.label);
    b.setAttribute('aria-pressed', p.index === selected ? 'true' : 'false');
    b.title = p.label;
    b.tabIndex = p.index === focusIndex ? 0 : -1;
    if (p.suppressedBefore > 0)
      b.append(h('span', { class: 'suppressed-mark', 'aria-hidden': 'true' }, `+${p.suppressedBefore}`));
    b.addEventListener('click', () => select(p.index));
    b.addEventListener('keydown', (e) => moveFocus(e, byIndex, p, buttons));
    // a press on a point is a selection, not the start of a zoom drag
    b.addEventListener('mousedown', (e) => e.stopPropagation());
    plot.over.append(b);
    buttons.set(p.index, b);
  }
  placePoints(plot, points, buttons, laneY);

  const zoom = (factor: number): void => {
    const min = plot.scales.x.min ?? full[0];
    const max = plot.scales.x.max ?? full[1];
    const centerPoint = focusIndex !== null ? t.points.find((p) => p.index === focusIndex) : undefined;
    const center =
      centerPoint && centerPoint.x >= min && centerPoint.x <= max ? centerPoint.x : (min + max) / 2;
    const half = Math.max(((max - min) * factor) / 2, 0.5);
    plot.setScale('x', { min: center - half, max: center + half });
  };
  zoomIn.addEventListener('click', () => zoom(0.5));
  zoomOut.addEventListener('click', () => zoom(2));
  reset.addEventListener('click', () => plot.setScale('x', { min: full[0], max: full[1] }));

  // the lanes with their counts, as text
  const list = h('ul', { class: 'lanes', 'aria-label': 'Hosts and kinds' });
  for (const l of lanes)
    list.append(
      h(
        'li',
        {},
        h('span', { class: 'lane-label' }, l.label),
        `: ${plural(l.reports, 'report')}${l.suppressed > 0 ? `, ${num(l.suppressed)} suppressed` : ''}`,
      ),
    );
  section.append(list);
  return section;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** A wall-clock axis value as syslog prints it (`Apr 28 05:30:51`), without the unknown year. */
function clockText(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Puts each point's button where uPlot draws its x and lane; hides those zoomed out of view. */
function placePoints(
  u: uPlot,
  points: readonly TimelinePoint[],
  buttons: Map<number, HTMLButtonElement>,
  laneY: (lane: number) => number,
): void {
  const min = u.scales.x.min ?? -Infinity;
  const max = u.scales.x.max ?? Infinity;
  // identical x in one lane: spread them a little so each stays clickable
  const seen = new Map<string, number>();
  for (const p of points) {
    const b = buttons.get(p.index);
    if (!b) continue;
    const visible = p.x >= min && p.x <= max;
    b.hidden = !visible;
    if (!visible) continue;
    const key = `${p.lane}:${p.x}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    b.style.left = `${u.valToPos(p.x, 'x') + n * 6}px`;
    b.style.top = `${u.valToPos(laneY(p.lane), 'y')}px`;
  }
}

function moveFocus(
  e: KeyboardEvent,
  ordered: readonly TimelinePoint[],
  p: TimelinePoint,
  buttons: Map<number, HTMLButtonElement>,
): void {
  const at = ordered.indexOf(p);
  let next = at;
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(ordered.length - 1, at + 1);
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, at - 1);
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = ordered.length - 1;
  else return;
  e.preventDefault();
  const target = buttons.get(ordered[next].index);
  if (!target) return;
  for (const b of buttons.values()) b.tabIndex = -1;
  target.tabIndex = 0;
  focusIndex = ordered[next].index;
  target.focus();
}

function select(index: number): void {
  focusIndex = index;
  vscode.postMessage({ type: 'select', index });
}

// ── The selected report ────────────────────────────────────────────────────────────────────

function detailSections(d: ReportDetail): HTMLElement[] {
  return [verdictSection(d), actionsSection(d), zonesSection(d), buddySection(d), checkSection(d)];
}

function verdictSection(d: ReportDetail): HTMLElement {
  const s = h('section', { id: 'verdict', 'aria-labelledby': 'verdict-title' });
  s.append(h('h2', { id: 'verdict-title' }, `Report at line ${d.line + 1}: ${d.kindLabel}`));
  const goto = h('button', { type: 'button', id: 'goto-report' }, `Go to line ${d.line + 1}`);
  goto.addEventListener('click', () => vscode.postMessage({ type: 'reveal', line: d.line }));
  s.append(h('p', { class: 'headline' }, h('code', {}, d.headline), ' ', goto));
  const facts = h('dl', { class: 'facts' });
  const fact = (name: string, value: string | null): void => {
    if (value === null || value === '') return;
    facts.append(h('dt', {}, name), h('dd', {}, value));
  };
  s.append(
    h('p', { class: `verdict verdict-${d.verdict}`, id: 'verdict-short' }, h('strong', {}, d.verdictShort)),
  );
  if (d.sameAs)
    s.append(
      h(
        'p',
        { class: 'muted' },
        `A repeat: explained once, as the report at line ${d.sameAs.line + 1} of its group.`,
      ),
    );
  s.append(h('p', { id: 'verdict-text' }, d.verdictText));
  fact('Request', d.request);
  fact('Host', d.host);
  fact('Time', d.time);
  fact('Task', d.comm);
  fact('Kernel', d.era);
  if (d.repeat.count > 1 || d.repeat.suppressed > 0)
    fact(
      'Repeats',
      `${plural(d.repeat.count, 'identical report')}${d.repeat.suppressed > 0 ? `, ${num(d.repeat.suppressed)} suppressed` : ''}${d.repeat.spanSeconds !== null && d.repeat.count > 1 ? ` over ${d.repeat.spanSeconds} s` : ''}`,
    );
  fact('Impact', d.impact);
  s.append(facts);
  return s;
}

function actionsSection(d: ReportDetail): HTMLElement {
  const s = h('section', { id: 'actions', 'aria-labelledby': 'actions-title' });
  s.append(h('h2', { id: 'actions-title' }, 'Recommended actions'));
  const recommended = d.actions.filter((a) => a.recommended);
  const others = d.actions.filter((a) => !a.recommended);
  if (recommended.length === 0) s.append(h('p', { class: 'muted' }, 'None recommended for this report.'));
  const list = h('ol', { class: 'actions' });
  for (const a of recommended)
    list.append(
      h(
        'li',
        {},
        h('strong', {}, a.title),
        a.sysctl ? h('code', { class: 'sysctl' }, a.sysctl) : null,
        h('p', {}, a.assessment),
      ),
    );
  s.append(list);
  if (others.length > 0) {
    const more = h('details', {}, h('summary', {}, `Considered, not recommended (${others.length})`));
    const ul = h('ul', { class: 'actions' });
    for (const a of others)
      ul.append(
        h(
          'li',
          {},
          h('strong', {}, a.title),
          a.sysctl ? h('code', { class: 'sysctl' }, a.sysctl) : null,
          h('p', {}, a.assessment),
        ),
      );
    more.append(ul);
    s.append(more);
  }
  return s;
}

function zonesSection(d: ReportDetail): HTMLElement {
  const s = h('section', { id: 'zones', 'aria-labelledby': 'zones-title' });
  s.append(h('h2', { id: 'zones-title' }, 'Zones'));
  if (d.zones.length === 0) {
    s.append(h('p', { class: 'muted' }, 'The report prints no zone lines.'));
    return s;
  }
  s.append(
    h(
      'p',
      { class: 'muted' },
      'Free memory against the min, low and high watermarks; the part of free this request could not count, and the lowmem_reserve it had to leave above its mark.',
    ),
  );
  const legend = h('p', { class: 'legend', 'aria-hidden': 'true' });
  legend.append(
    h('span', { class: 'swatch free' }),
    'free  ',
    h('span', { class: 'swatch not-counted' }),
    'not counted for this request  ',
    h('span', { class: 'swatch reserve' }),
    'request’s mark + lowmem_reserve  ',
    h('span', { class: 'tick-sample' }),
    'min / low / high',
  );
  s.append(legend);
  for (const z of d.zones) s.append(zoneGauge(z));
  return s;
}

function zoneGauge(z: ZoneGauge): HTMLElement {
  const need = (z.markKb ?? 0) + (z.reserveKb ?? 0);
  const scale = Math.max(z.freeKb ?? 0, z.highKb ?? 0, need, 1) * 1.05;
  const pct = (v: number): string => `${Math.min(100, (v / scale) * 100).toFixed(2)}%`;
  const result =
    z.result === null
      ? 'not replayed'
      : z.skippedBecause
        ? `skipped: ${z.skippedBecause}`
        : `check: ${z.result}`;
  const description = `${z.label}: ${z.gaugeText}; ${result}${z.reserveKb ? `; lowmem_reserve left for this request ${kb(z.reserveKb)}` : ''}${z.notCountedKb ? `; not counted ${kb(z.notCountedKb)}` : ''}`;
  const row = h('div', {
    class: `zone state-${z.state} result-${z.result ?? 'none'}`,
    'data-line': z.line + 1,
  });
  const title = h(
    'div',
    { class: 'zone-title' },
    h('strong', { class: 'zone-label' }, z.label),
    ` — ${z.gaugeText}`,
    h('span', { class: `badge result-${z.result ?? 'none'}` }, result),
  );
  const bar = h('div', { class: 'gauge', role: 'img', 'aria-label': description });
  const free = z.freeKb ?? 0;
  const freeEl = h('div', { class: 'gauge-free' });
  freeEl.style.width = pct(free);
  bar.append(freeEl);
  if (z.notCountedKb) {
    const nc = h('div', { class: 'gauge-not-counted' });
    nc.style.left = pct(Math.max(0, free - z.notCountedKb));
    nc.style.width = pct(Math.min(free, z.notCountedKb));
    bar.append(nc);
  }
  if (need > 0) {
    const r = h('div', { class: 'gauge-reserve' });
    r.style.width = pct(need);
    bar.append(r);
  }
  for (const [name, v] of [
    ['min', z.minKb],
    ['low', z.lowKb],
    ['high', z.highKb],
  ] as const) {
    if (v === null) continue;
    const tick = h('div', { class: `gauge-tick tick-${name}`, title: `${name} ${kb(v)}` });
    tick.style.left = pct(v);
    bar.append(tick);
  }
  const numbers = h(
    'p',
    { class: 'zone-numbers' },
    `free ${kb(z.freeKb)} · min ${kb(z.minKb)} · low ${kb(z.lowKb)} · high ${kb(z.highKb)}`,
    z.boostKb ? ` · boost ${kb(z.boostKb)}` : '',
    z.markKb !== null ? ` · request’s mark ${kb(z.markKb)}` : '',
    z.reserveKb !== null ? ` · lowmem_reserve ${kb(z.reserveKb)}` : '',
    z.notCountedKb ? ` · not counted ${kb(z.notCountedKb)} (${z.notCountedText} pages)` : '',
    z.freeCmaKb ? ` · free_cma ${kb(z.freeCmaKb)}` : '',
    z.reservedHighatomicKb ? ` · reserved_highatomic ${kb(z.reservedHighatomicKb)}` : '',
  );
  row.append(title, bar, numbers);
  if (z.stateText) row.append(h('p', { class: 'muted' }, z.stateText));
  return row;
}

function buddySection(d: ReportDetail): HTMLElement {
  const s = h('section', { id: 'buddy', 'aria-labelledby': 'buddy-title' });
  s.append(h('h2', { id: 'buddy-title' }, 'Buddy free lists'));
  if (d.buddy.length === 0) {
    s.append(
      h(
        'p',
        { class: 'muted' },
        'The report prints no buddy free lists (the per-order “Node N Zone: n*4kB …” lines).',
      ),
    );
    return s;
  }
  const order = d.order;
  s.append(
    h(
      'p',
      { class: 'muted' },
      `Free kB in blocks of each order${order !== null ? `; the requested order ${order} is marked, and the orders at or above it are what the request could take` : ''}. Migrate types a request may not take from are struck through.`,
    ),
  );
  for (const b of d.buddy) s.append(buddyChart(b));
  return s;
}

function buddyChart(b: BuddyHistogram): HTMLElement {
  const box = h('div', { class: 'buddy', 'data-line': b.line + 1 });
  const check = b.blockCheck ? ` — ${b.blockCheck.text}` : '';
  box.append(h('h3', {}, `${b.label}${check}`));
  const chart = h('div', {
    class: 'buddy-chart',
    role: 'img',
    'aria-label': `${b.label}: free kB per order${b.requestedOrder !== null ? `, requested order ${b.requestedOrder}` : ''}`,
  });
  box.append(chart);
  const xs = b.orders.map((o) => o.order);
  const below = b.orders.map((o) =>
    b.requestedOrder !== null && o.order >= b.requestedOrder ? null : o.freeKb,
  );
  const atOrAbove = b.orders.map((o) =>
    b.requestedOrder !== null && o.order >= b.requestedOrder ? o.freeKb : null,
  );
  const fg = themeColor('--vscode-foreground', '#888');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const blue = themeColor('--vscode-charts-blue', '#3794ff');
  const orange = themeColor('--vscode-charts-orange', '#d18616');
  const bars = uPlot.paths.bars!({ size: [0.7, 60] });
  const requested = b.requestedOrder;
  const plot = new uPlot(
    {
      width: Math.max(320, Math.min(720, root.clientWidth - 8)),
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: () => [-0.6, b.orders.length - 0.4] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          stroke: fg,
          grid: { show: false },
          ticks: { stroke: grid },
          splits: () => xs,
          values: (_u, splits) => splits.map((s) => String(s)),
          label: 'order',
          labelSize: 20,
        },
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 70,
          label: 'free kB',
          labelSize: 20,
        },
      ],
      series: [
        {},
        {
          label: 'below the requested order',
          stroke: blue,
          fill: blue,
          paths: bars,
          points: { show: false },
        },
        {
          label: 'at or above the requested order',
          stroke: orange,
          fill: orange,
          paths: bars,
          points: { show: false },
        },
      ],
      hooks: {
        draw: [
          (u) => {
            if (requested === null) return;
            // the requested order: a dashed line at its left edge, drawn on the canvas
            const ctx = u.ctx;
            const x = Math.round(u.valToPos(requested - 0.5, 'x', true));
            ctx.save();
            ctx.strokeStyle = fg;
            ctx.setLineDash([4, 4]);
            ctx.lineWidth = Math.max(1, devicePixelRatio);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    },
    [xs, below, atOrAbove],
    chart,
  );
  plots.push(plot);

  const table = h('table', { class: 'buddy-table' });
  table.append(
    h('caption', {}, `${b.label} free lists${b.legend ? ` (${b.legend})` : ''}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'order'),
        h('th', { scope: 'col' }, 'block'),
        h('th', { scope: 'col' }, 'free blocks'),
        h('th', { scope: 'col' }, 'free kB'),
        h('th', { scope: 'col' }, 'migrate types'),
      ),
    ),
  );
  const body = h('tbody');
  for (const o of b.orders) {
    const types = h('td', { class: 'types' });
    for (const t of o.types)
      types.append(
        h(
          'span',
          {
            class: `type${t.usable === false ? ' unusable' : ''}`,
            title:
              t.usable === false
                ? 'the request may not take blocks from this list'
                : t.usable
                  ? 'the request may take blocks from this list'
                  : '',
          },
          t.letter,
        ),
      );
    const isRequested = o.order === requested;
    const tr = h(
      'tr',
      { class: isRequested ? 'requested' : requested !== null && o.order > requested ? 'above' : null },
      h('th', { scope: 'row' }, `${o.order}${isRequested ? ' (requested)' : ''}`),
      h('td', {}, kb(o.sizeKb)),
      h('td', {}, num(o.count)),
      h('td', {}, num(o.freeKb)),
      types,
    );
    body.append(tr);
  }
  table.append(body);
  box.append(table);
  return box;
}

function checkSection(d: ReportDetail): HTMLElement {
  const c = d.check;
  const s = h('section', { id: 'check', 'aria-labelledby': 'check-title' });
  s.append(h('h2', { id: 'check-title' }, `Watermark check replayed (${c.mark} watermark)`));
  if (c.rows.length === 0) {
    s.append(h('p', { class: 'muted' }, 'Not replayed for this report.'));
    return s;
  }
  s.append(h('p', { class: 'muted' }, c.algorithm));
  s.append(
    h(
      'p',
      {},
      `Flags ${c.allocFlags}; class zone ${c.classzone ?? 'unknown'}; values in pages of ${d.pageSizeKb} kB.`,
    ),
  );
  const table = h('table', { class: 'check-table' });
  table.append(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['zone', 'free', 'not counted', 'mark', 'lowmem_reserve', 'watermark', 'blocks', 'result'].map(
          (name) => h('th', { scope: 'col' }, name),
        ),
      ),
    ),
  );
  const body = h('tbody');
  for (const r of c.rows) body.append(checkRow(r));
  table.append(body);
  s.append(table);
  for (const r of c.rows) s.append(h('p', { class: 'explanation' }, r.explanation));
  if (c.missing.length > 0) s.append(h('p', {}, `Missing from the report: ${c.missing.join('; ')}.`));
  if (c.assumptions.length > 0) s.append(h('p', { class: 'muted' }, `Assumed: ${c.assumptions.join('; ')}.`));
  return s;
}

function checkRow(r: WatermarkCheckRow): HTMLElement {
  const pass = r.pass === null ? '?' : r.pass ? 'passes' : 'fails';
  return h(
    'tr',
    { class: `result-${r.result}` },
    h('th', { scope: 'row' }, r.zone),
    h('td', {}, num(r.freePages)),
    h('td', {}, num(r.notCountedPages)),
    h('td', { title: r.markText }, num(r.markPages)),
    h('td', {}, num(r.reservePages)),
    h('td', {}, r.usable ? pass : 'skipped'),
    h('td', {}, r.blocks ?? '—'),
    h('td', { class: 'result' }, r.result),
  );
}

// ── Wiring ─────────────────────────────────────────────────────────────────────────────────

window.addEventListener('message', (event: MessageEvent<Incoming>) => {
  const message = event.data;
  if (!message || message.type !== 'model') return;
  const keepFocus =
    document.activeElement instanceof HTMLElement && document.activeElement.classList.contains('point');
  current = { model: message.model, file: message.file, error: message.error };
  render();
  if (keepFocus && focusIndex !== null)
    root.querySelector<HTMLButtonElement>(`button.point[data-index="${focusIndex}"]`)?.focus();
});

// the theme changed (VS Code sets the body's class): canvas colours are read again
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 150);
});

render();
vscode.postMessage({ type: 'ready' });
