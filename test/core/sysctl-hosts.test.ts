// Issue #14: `klens analyze --sysctl` over several files writes one block per host with its
// provenance; where two reports want different values for one key, one line stays active and a
// comment says which wins and why (core/sysctl-hosts.ts, shared with the editor's quick fixes).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { conflictWinner, hostMark } from '../../server/src/core/sysctl-hosts';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = (name: string): string => join('test', 'fixtures', 'corpus', name);
const SEED = corpus('000-seed.log'); // host cztest, recommends vm.min_free_kbytes = 90112
const R8169 = corpus('028-syslog-wrapped-2.6-i386-r8169-bridge-order0.log'); // host analyzeTHIS, 2880

const scratch = mkdtempSync(join(tmpdir(), 'klens-hosts-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function sysctl(...files: string[]): string {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--sysctl', ...files], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  for (const line of r.stdout.split('\n'))
    assert.match(line, /^(|#.*|[a-z0-9_.]+ = \S.*)$/, `not sysctl.conf syntax: ${JSON.stringify(line)}`);
  return r.stdout;
}

/** The lines klens wrote for `key` that are not the evidence comments: active, yielded, wins. */
function verdictLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) =>
      /^(vm\.|# not applied|# \d+ wins|# other reports|# Kernel Log Lens: (end of )?host|# vm\.min_free_kbytes:)/.test(
        l,
      ),
    );
}

test('core: which value wins', () => {
  assert.deepEqual(conflictWinner('vm.min_free_kbytes', '2880', '90112'), {
    incomingWins: true,
    why: 'the larger min_free_kbytes keeps at least the reserve each report asked for',
  });
  assert.equal(conflictWinner('vm/min_free_kbytes', '90112', '2880').incomingWins, false);
  assert.equal(conflictWinner('vm.extfrag_threshold', '500', '250').incomingWins, true);
  assert.deepEqual(conflictWinner('vm.lowmem_reserve_ratio', '256 256 32', '256 128 32'), {
    incomingWins: false,
    why: 'no rule orders these values: the one written first stays; compare the two reports',
  });
  assert.deepEqual(hostMark('# Kernel Log Lens: host cztest'), { kind: 'start', host: 'cztest' });
  assert.deepEqual(hostMark('# Kernel Log Lens: end of host cztest'), { kind: 'end', host: 'cztest' });
  assert.equal(hostMark('vm.min_free_kbytes = 1'), null);
});

test('--sysctl, two hosts wanting different min_free_kbytes: one block each, the larger stays active, in either order', () => {
  for (const files of [
    [SEED, R8169],
    [R8169, SEED],
  ]) {
    const out = sysctl(...files);
    const seedBlock = [
      '# Kernel Log Lens: host cztest',
      `# vm.min_free_kbytes: recommended by the report at ${SEED}:1`,
      'vm.min_free_kbytes = 90112',
      '# Kernel Log Lens: end of host cztest',
    ];
    const otherBlock = [
      '# Kernel Log Lens: host analyzeTHIS',
      `# vm.min_free_kbytes: recommended by the report at ${R8169}:2`,
      '# not applied: vm.min_free_kbytes = 2880',
      `# 90112 wins (host cztest, report at ${SEED}:1): the larger min_free_kbytes keeps at least the reserve each report asked for`,
      '# Kernel Log Lens: end of host analyzeTHIS',
    ];
    assert.deepEqual(
      verdictLines(out),
      files[0] === SEED ? [...seedBlock, ...otherBlock] : [...otherBlock, ...seedBlock],
    );
    assert.equal(out.match(/^vm\.min_free_kbytes = /gm)?.length, 1, 'one active line for the key');
  }
});

test('--sysctl, two reports of one host wanting different values: one block, the larger wins, the other named', () => {
  // the 028 report as if the seed's host had logged it (the host name only, nothing else changed)
  const same = join(scratch, 'cztest-r8169.log');
  writeFileSync(same, readFileSync(R8169, 'utf8').replace(/analyzeTHIS/g, 'cztest'));
  const out = sysctl(same, SEED);
  assert.deepEqual(verdictLines(out), [
    '# Kernel Log Lens: host cztest',
    `# vm.min_free_kbytes: recommended by the report at ${SEED}:1 and 1 more`,
    `# other reports recommend: 2880 (${same}:2)`,
    `# 90112 wins (${SEED}:1): the larger min_free_kbytes keeps at least the reserve each report asked for`,
    'vm.min_free_kbytes = 90112',
    '# Kernel Log Lens: end of host cztest',
  ]);
  assert.match(out, /^# 2 reports of this host$/m);
});

test('--sysctl, a log without host names: its block says so', () => {
  const out = sysctl(corpus('011-dmesg-2.6.32-r8169-order0-slub.log'));
  assert.deepEqual(verdictLines(out).slice(0, 1), ['# Kernel Log Lens: host (host not named in the log)']);
  assert.match(out, /^vm\.min_free_kbytes = 22696$/m);
});
