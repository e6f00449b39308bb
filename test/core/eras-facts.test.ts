// Kernel facts that used to be written into the words of memory.ts, remedies.ts and the sysctl
// glossary, now rows of the timeline (server/src/core/kernel/eras.ts): each at its boundary, and
// the words that read them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eraRowFor,
  firstReleaseWhere,
  sysctlSince,
  THP_OFF_BELOW_RAM_KB,
} from '../../server/src/core/kernel/eras';
import {
  parseKernelRelease,
  releaseBefore,
  releaseText,
  version,
} from '../../server/src/core/kernel-version';
import { sysctlEras } from '../../server/src/core/sysctl-glossary';

const v = (release: string) => parseKernelRelease(release)!;
const row = (release: string) => eraRowFor(v(release));

test('memory facts at their boundaries: page-count filter, Movable as lowmem, boost, THP zones', () => {
  assert.deepEqual(
    [row('4.8.17').pageCountsMayBeFiltered, row('4.9.0').pageCountsMayBeFiltered],
    [true, false],
  );
  assert.deepEqual([row('6.5.13').movableIsLowmem, row('6.6.0').movableIsLowmem], [true, false]);
  assert.deepEqual(
    [
      row('4.20.17').watermarkBoost,
      row('5.0.0').watermarkBoost,
      row('5.16.20').watermarkBoost,
      row('5.17.0').watermarkBoost,
    ],
    ['none', 'unprinted', 'unprinted', 'printed'],
  );
  assert.deepEqual([row('4.18.20').thpCountsAllZones, row('4.19.0').thpCountsAllZones], [true, false]);
  assert.equal(THP_OFF_BELOW_RAM_KB, 524288);
});

test('when a feature came, read from the rows: the words "exists from 4.6", "up to 3.15"', () => {
  const text = (x: ReturnType<typeof sysctlSince>) => (x ? releaseText(x) : null);
  assert.equal(text(sysctlSince('vm.watermark_scale_factor')), '4.6');
  assert.equal(text(sysctlSince('vm.watermark_boost_factor')), '5.0');
  assert.equal(text(sysctlSince('vm.compaction_proactiveness')), '5.9');
  assert.equal(text(sysctlSince('transparent_hugepage/defrag')), '2.6.38');
  assert.equal(text(sysctlSince('vm.oom_dump_tasks')), '2.6.25');
  assert.equal(text(sysctlSince('vm.admin_reserve_kbytes')), '3.10');
  assert.equal(sysctlSince('vm.no_such_knob'), null);
  assert.equal(text(firstReleaseWhere((r) => r.watermark.highatomicUnless !== null)), '4.4');
  assert.equal(text(firstReleaseWhere((r) => r.lowmemReserve.perZone)), '4.17');
  const stopped = firstReleaseWhere((r) => r.sysctls['vm.zone_reclaim_mode']?.bootSetsOnNuma === false)!;
  assert.deepEqual([releaseText(stopped), releaseBefore(stopped)], ['3.16', '3.15']);
  // the release before a new major is the last minor of the previous one
  assert.deepEqual(
    [
      releaseBefore(version(3, 0)),
      releaseBefore(version(5, 0)),
      releaseBefore(version(7, 0)),
      releaseBefore(version(5, 15, 58)),
    ],
    ['2.6.39', '4.20', '6.19', '5.15.57'],
  );
});

test('sysctl defaults per release, as the sysctl hovers list them', () => {
  const eras = (key: string) => sysctlEras(key).map((e) => [e.since, e.fact.min, e.fact.max, e.fact.default]);
  // 40/10 → 10/5 (07db59bd6b0f, read in 2.6.24) → 20/10 (1b5e62b42b55, read in 2.6.32)
  assert.deepEqual(eras('vm.dirty_ratio'), [
    ['2.6.18', 0, 100, 40],
    ['2.6.22', 0, 100, 10],
    ['2.6.29', 0, 100, 20],
  ]);
  assert.deepEqual(eras('vm.dirty_background_ratio'), [
    ['2.6.18', 0, 100, 10],
    ['2.6.22', 0, 100, 5],
    ['2.6.29', 0, 100, 10],
  ]);
  // off by default when it came (2.6.32 `int sysctl_oom_dump_tasks;`), on from 2.6.36
  assert.deepEqual(eras('vm.oom_dump_tasks'), [
    ['2.6.25', null, null, 0],
    ['2.6.36', null, null, 1],
  ]);
  assert.deepEqual(eras('vm.swappiness'), [
    ['2.6.18', 0, 100, 60],
    ['5.8', 0, 200, 60],
  ]);
  assert.deepEqual(eras('vm.vfs_cache_pressure'), [['2.6.18', null, null, 100]]);
  assert.deepEqual(eras('vm.overcommit_ratio'), [['2.6.18', null, null, 50]]);
  assert.deepEqual(eras('vm.admin_reserve_kbytes'), [['3.10', 0, null, null]]);
  assert.deepEqual(eras('vm.percpu_pagelist_high_fraction'), [['5.14', 0, null, 0]]);
  assert.equal(row('2.6.24').sysctls['vm.oom_dump_tasks'], undefined);
});
