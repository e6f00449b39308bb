import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  atLeast,
  below,
  compareVersion,
  fromTriple,
  knownAtLeast,
  parseKernelRelease,
  version,
} from '../../server/src/core/kernel-version';

test('parses the release strings of the corpus and the reference', () => {
  const cases: [string, number, number, number, number | null, number | null, string | null][] = [
    ['3.4.24-x86_64', 3, 4, 24, null, null, null],
    ['2.6.32-24-generic', 2, 6, 32, null, null, null],
    ['2.6.32.67', 2, 6, 32, 67, null, null],
    ['2.6.18-194.el5', 2, 6, 18, null, null, 'el5'],
    ['2.6.32-754.el6.x86_64', 2, 6, 32, null, null, 'el6'],
    ['3.10.0-693.el7.x86_64', 3, 10, 0, null, null, 'el7'],
    ['4.18.0-240.el8', 4, 18, 0, null, null, 'el8'],
    ['5.14.0-70.el9', 5, 14, 0, null, null, 'el9'],
    ['4.7.0-rc7-next-20160720+', 4, 7, 0, null, 7, null],
    ['6.19.0-rc5-00027-g40fd0acc45d0', 6, 19, 0, null, 5, null],
    ['4.6-master+', 4, 6, 0, null, null, null],
    ['4.19.91-24.1.al7.x86_64', 4, 19, 91, null, null, null],
    ['4.9.123-pic6-g31a13de-dirty', 4, 9, 123, null, null, null],
    ['4.14.35-1902.el7uek.x86_64', 4, 14, 35, null, null, 'el7'],
    ['2.6.32-431.el6_5.x86_64', 2, 6, 32, null, null, 'el6'],
  ];
  for (const [text, major, minor, patch, subpatch, rc, distro] of cases) {
    const v = parseKernelRelease(text);
    assert.ok(v, text);
    assert.deepEqual(
      { major: v.major, minor: v.minor, patch: v.patch, subpatch: v.subpatch, rc: v.rc, distro: v.distro },
      { major, minor, patch, subpatch, rc, distro },
      text,
    );
    assert.equal(v.text, text);
  }
});

test('trims, and rejects what is not a release', () => {
  assert.equal(parseKernelRelease('  5.4.0-65-generic \n')?.text, '5.4.0-65-generic');
  assert.equal(parseKernelRelease('#1 SMP'), null);
  assert.equal(parseKernelRelease(''), null);
  assert.equal(parseKernelRelease('Tainted:'), null);
  // `.el10` is not RHEL 1.
  assert.equal(parseKernelRelease('6.12.0-55.9.1.el10_0')?.distro, null);
});

test('compares by major, minor, patch and 2.6 subpatch; -rc equals its release', () => {
  const v = (s: string) => parseKernelRelease(s)!;
  assert.equal(compareVersion(v('4.9.229'), v('4.10.17')), -1);
  assert.equal(compareVersion(v('5.10.0'), v('5.9.16')), 1);
  assert.equal(compareVersion(v('2.6.32.67'), v('2.6.32')), 1);
  assert.equal(compareVersion(v('4.7.0-rc7-next-20160720+'), v('4.7.0')), 0);
  assert.equal(compareVersion(v('3.10.0-693.el7.x86_64'), version(3, 10)), 0);
});

test('atLeast / below', () => {
  const v = parseKernelRelease('4.14.67')!;
  assert.equal(atLeast(v, 4, 6), true);
  assert.equal(atLeast(v, 4, 14, 67), true);
  assert.equal(atLeast(v, 4, 14, 68), false);
  assert.equal(atLeast(v, 4, 15), false);
  assert.equal(below(v, 4, 15), true);
  assert.equal(atLeast(parseKernelRelease('2.6.32.4')!, 2, 6, 32, 4), true);
  assert.equal(atLeast(parseKernelRelease('2.6.32.4')!, 2, 6, 32, 5), false);
  assert.equal(version(2, 6, 32, 67).text, '2.6.32.67');
  assert.equal(version(4, 6).text, '4.6.0');
  // atLeast is compareVersion against the bound's version (only a 2.x bound has a subpatch)
  assert.equal(atLeast(v, 4, 14, 67, 5), true);
  assert.equal(atLeast(parseKernelRelease('2.6.32')!, 2, 6, 32, 1), false);
  assert.equal(atLeast(parseKernelRelease('2.6.32.4')!, 2, 6, 32), true);
  assert.equal(atLeast(parseKernelRelease('4.7.0-rc7')!, 4, 7), true);
});

test('knownAtLeast: a triple compares as its version does; null stays null', () => {
  assert.equal(knownAtLeast(null, 4, 6), null);
  const triples: [number, number, number][] = [
    [2, 6, 32],
    [3, 9, 99],
    [3, 10, 0],
    [4, 18, 5],
    [4, 19, 0],
    [5, 16, 20],
    [5, 17, 0],
    [6, 6, 0],
    [6, 5, 13],
  ];
  const bounds: [number, number, number][] = [
    [3, 10, 0],
    [4, 19, 0],
    [5, 0, 0],
    [5, 17, 0],
    [6, 6, 0],
    [4, 18, 6],
  ];
  for (const t of triples)
    for (const [major, minor, patch] of bounds) {
      const expected = compareVersion(fromTriple(t), version(major, minor, patch)) >= 0;
      assert.equal(
        knownAtLeast(t, major, minor, patch),
        expected,
        `${t.join('.')} ≥ ${major}.${minor}.${patch}`,
      );
      assert.equal(knownAtLeast(fromTriple(t), major, minor, patch), expected);
    }
});
