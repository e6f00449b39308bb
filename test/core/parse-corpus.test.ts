// Every annotated fact of two sets of real logs must come out of the parser exactly: events,
// header fields, zones, values, lowmem_reserve lines, and no event the annotation does not list.
// test/fixtures/corpus is the shared corpus (../shared/corpus); test/fixtures/extra holds 78 other
// public reports (mailing lists, bug trackers, forums) annotated by hand independently of the
// parser, to keep it honest about logs it was not written against (027–043: a second reader
// checked every number klens read against the log, then the annotation was written from it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog } from '../../server/src/core/parse';

interface WantZone {
  node: number;
  zone: string;
  line: number;
  free_kb: number | null;
  min_kb: number | null;
  low_kb: number | null;
  high_kb: number | null;
  present_kb: number | null;
  managed_kb: number | null;
}
interface WantEvent {
  kind: string;
  header_line: number;
  comm: string | null;
  order: number | null;
  mode_raw: string | null;
  mode_names: string | null;
  zones: WantZone[];
  lowmem_reserve: (number[] | null)[] | null;
}
interface Entry {
  file: string;
  events: WantEvent[];
}

for (const set of ['corpus', 'extra']) {
  const dir = join('test', 'fixtures', set);
  const index = JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as Entry[];
  for (const entry of index) checkEntry(set, dir, entry);
}

function checkEntry(set: string, dir: string, entry: Entry): void {
  test(`${set} ${entry.file}`, () => {
    const parsed = parseLog(readFileSync(join(dir, entry.file), 'utf8'));
    assert.deepEqual(
      parsed.reports.map((r) => `${r.kind}@${r.line + 1}`),
      entry.events.map((e) => `${e.kind}@${e.header_line}`),
      'events and their header lines',
    );
    entry.events.forEach((want, i) => {
      const got = parsed.reports[i];
      assert.equal(got.comm, want.comm, `comm @${want.header_line}`);
      assert.equal(got.order, want.order, `order @${want.header_line}`);
      assert.equal(got.gfp?.raw ?? null, want.mode_raw, `mode @${want.header_line}`);
      assert.equal(got.gfp?.printed ?? null, want.mode_names, `printed names @${want.header_line}`);
      assert.deepEqual(
        got.zones.map((z) => `${z.node} ${z.zone}@${z.line + 1}`),
        want.zones.map((z) => `${z.node} ${z.zone}@${z.line}`),
        `zones @${want.header_line}`,
      );
      want.zones.forEach((wz, zi) => {
        const gz = got.zones[zi];
        const pairs: [number | null, number | null, string][] = [
          [gz.freeKb, wz.free_kb, 'free'],
          [gz.minKb, wz.min_kb, 'min'],
          [gz.lowKb, wz.low_kb, 'low'],
          [gz.highKb, wz.high_kb, 'high'],
          [gz.presentKb, wz.present_kb, 'present'],
          [gz.managedKb, wz.managed_kb, 'managed'],
        ];
        for (const [value, expected, name] of pairs)
          assert.equal(value, expected, `${wz.zone}@${wz.line} ${name}`);
        assert.deepEqual(
          gz.lowmemReserve,
          want.lowmem_reserve?.[zi] ?? null,
          `${wz.zone}@${wz.line} lowmem_reserve`,
        );
      });
    });
  });
}
