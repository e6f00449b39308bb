// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, and total (inclusive)
// time for the functions of the project's own sources, so a slow benchmark names its hot spots.
// usage: node bench/cpuprofile-summary.mjs FILE.cpuprofile [--top N]
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const B64 = Object.fromEntries(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);

/** Decodes a source map's `mappings` into, per generated line, sorted [column, source, line]. */
function decodeSourceMap(map) {
  const lines = [];
  // values[3], the original column, is skipped: hot spots are named as file:line
  let source = 0,
    origLine = 0;
  for (const group of map.mappings.split(';')) {
    const segs = [];
    let col = 0;
    for (const seg of group.split(',')) {
      if (!seg) continue;
      const values = [];
      let value = 0,
        shift = 0;
      for (const ch of seg) {
        const digit = B64[ch];
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += values[0];
      if (values.length >= 4) {
        source += values[1];
        origLine += values[2];
        segs.push([col, source, origLine]);
      }
    }
    lines.push(segs);
  }
  return { sources: map.sources, lines };
}

const maps = new Map();
/** Maps a bundle position (0-based line/column) to `file.ts:line` through the bundle's .map. */
function original(url, line, column) {
  if (!url) return null;
  let map = maps.get(url);
  if (map === undefined) {
    map = null;
    try {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (existsSync(`${path}.map`)) map = decodeSourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  const segs = map?.lines[line];
  if (!segs || segs.length === 0) return null;
  let best = segs[0];
  for (const s of segs) if (s[0] <= column) best = s;
  const src = map.sources[best[1]].replace(/^(\.\.\/)+/, '');
  return `${src}:${best[2] + 1}`;
}

/** Returns { totalMs, self: [{name, where, ms, share}], inclusive: [...] } sorted by time. */
export function summarize(profile, { top = 15 } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const deltas = profile.timeDeltas;
  const selfUs = new Map();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    totalUs += us;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + us);
  }
  const label = (n) => {
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    const where = f.url
      ? (original(f.url, f.lineNumber, f.columnNumber) ?? `${basename(f.url)}:${f.lineNumber + 1}`)
      : '';
    return { key: `${name} ${where}`, name, where };
  };
  const self = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    const l = label(n);
    const s = self.get(l.key) ?? { ...l, us: 0 };
    s.us += us;
    self.set(l.key, s);
    // inclusive: charge every distinct function on the stack once
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cl = label(nodes.get(cur));
      if (seen.has(cl.key)) continue;
      seen.add(cl.key);
      const t = inclusive.get(cl.key) ?? { ...cl, us: 0 };
      t.us += us;
      inclusive.set(cl.key, t);
    }
  }
  const rank = (m) =>
    [...m.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: e.us / totalUs }));
  return { totalMs: totalUs / 1000, self: rank(self), inclusive: rank(inclusive) };
}

export function formatSummary(s) {
  const row = (e) =>
    `${(e.share * 100).toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}  ${e.where}`;
  return [
    `profile: ${s.totalMs.toFixed(0)} ms sampled`,
    'self time (where the CPU was):',
    ...s.self.map(row),
    'inclusive time (who it was working for):',
    ...s.inclusive.map(row),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 20;
  if (!file) {
    console.error('usage: node bench/cpuprofile-summary.mjs FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  console.log(formatSummary(summarize(JSON.parse(readFileSync(file, 'utf8')), { top })));
}
