// The CI outputs of `klens analyze` (issue #16): `--format sarif` validated against the official
// SARIF 2.1.0 JSON schema (the sarif-2.1.0-rtm.5 schema shipped in Microsoft's @microsoft/jest-sarif
// package, draft-04, checked with Ajv), stable fingerprints across runs and line shifts, repeats
// grouped, paths relative to --base; `--format github` commands with log text escaped; the exit
// status of every `--fail-on` threshold, the same for every format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { escapeData, escapeProperty } from '../../server/src/cli/github';
import { FINDING_CODES } from '../../server/src/core/codes';
import { reportCount, type GroupedRepeat } from './json-reports';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const corpus = join(root, 'test', 'fixtures', 'corpus');
const extra = join(root, 'test', 'fixtures', 'extra');
const SEED = join(corpus, '000-seed.log');
const OOM = join(corpus, '001-journal-oom-6.8-python.log');
/** Eleven reports, one group of repeats. */
const REPEATS = join(corpus, '004-bare-slub-interleaved-iommu-iova.log');
/** A SysRq-m dump only: one finding of severity information. */
const SHOW_MEM = join(extra, '015-md-fence-dmesg-T-4.4-sysrq-show-memory-32g.log');

const scratch = mkdtempSync(join(tmpdir(), 'klens-formats-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function klens(args: string[], cwd = root): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, 'analyze', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  occurrenceCount: number;
  relatedLocations?: { message?: { text: string }; physicalLocation?: { region: { startLine: number } } }[];
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string; markdown?: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

const schema = JSON.parse(
  readFileSync(
    join(root, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
    'utf8',
  ),
) as object;
// strict off: the schema uses draft-04 keywords Ajv's strict mode flags; unicodeRegExp off: one
// of its patterns (a language tag) is not a valid /u regular expression
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv); // uri, uri-reference, date-time checked, not ignored
const validate = ajv.compile(schema);

function sarif(args: string[], cwd = root): SarifLog {
  const r = klens(['--format', 'sarif', ...args], cwd);
  assert.equal(r.status, 0, r.stderr);
  const log = JSON.parse(r.stdout) as SarifLog;
  assert.ok(validate(log), `schema: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
  return log;
}

test('SARIF on every corpus log in one run: valid 2.1.0, one rule per code with its help page', () => {
  const all = readdirSync(corpus)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(corpus, f));
  const log = sarif(all);
  assert.equal(log.version, '2.1.0');
  // the validator is not vacuous: a result without its message, or a bad level, is refused
  const broken = JSON.parse(JSON.stringify(log)) as SarifLog;
  (broken.runs[0].results[0] as Partial<SarifResult>).message = undefined;
  broken.runs[0].results[1].level = 'fatal';
  assert.equal(validate(JSON.parse(JSON.stringify(broken))), false);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'klens');
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    Object.keys(FINDING_CODES),
  );
  for (const rule of run.tool.driver.rules) {
    const doc = readFileSync(join(root, 'docs', 'codes', `${rule.id}.md`), 'utf8');
    assert.equal(rule.help.markdown, doc, rule.id);
    assert.ok(!rule.help.text.includes('**'), rule.id);
  }
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  const byLevel = (level: string): number => run.results.filter((r) => r.level === level).length;
  // the OOM kills are errors, allocation failures warnings, zone findings notes
  assert.ok(byLevel('error') > 0 && byLevel('warning') > 0 && byLevel('note') > 0);
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(root + '/').href);
});

test('SARIF on the seed: the result, its location, level and fingerprint', () => {
  const run = sarif([SEED]).runs[0];
  assert.deepEqual(
    run.results.map((r) => [
      r.ruleId,
      r.level,
      r.locations[0].physicalLocation.region.startLine,
      r.occurrenceCount,
    ]),
    [
      ['KLL001', 'warning', 1, 1],
      ['KLL011', 'note', 43, 1],
      ['KLL023', 'note', 1, 1],
    ],
  );
  assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, {
    uri: 'test/fixtures/corpus/000-seed.log',
    uriBaseId: '%SRCROOT%',
  });
  assert.match(run.results[0].message.text, /^order-5 GFP_ATOMIC failed: /);
  assert.match(run.results[0].partialFingerprints['klensReport/v1'], /^[0-9a-f]{32}$/);
});

test('SARIF fingerprints: the same in two runs and after 100 lines are inserted above the report', () => {
  const first = sarif([SEED]).runs[0].results;
  const again = sarif([SEED]).runs[0].results;
  const prints = (rs: SarifResult[]): string[] => rs.map((r) => r.partialFingerprints['klensReport/v1']);
  assert.deepEqual(prints(again), prints(first));
  assert.equal(new Set(prints(first)).size, first.length, 'one fingerprint per result');

  const noise = Array.from(
    { length: 100 },
    (_, i) => `Apr 28 05:30:0${i % 10} cztest sshd[42]: noise ${i}`,
  ).join('\n');
  const shifted = join(scratch, 'shifted.log');
  writeFileSync(shifted, `${noise}\n${readFileSync(SEED, 'utf8')}`);
  const moved = sarif([shifted]).runs[0].results;
  assert.deepEqual(prints(moved), prints(first));
  assert.deepEqual(
    moved.map((r) => r.locations[0].physicalLocation.region.startLine),
    first.map((r) => r.locations[0].physicalLocation.region.startLine + 100),
  );
});

test('SARIF groups repeats: one result per group with its count, the copies as related locations', () => {
  const json = JSON.parse(klens(['--json', REPEATS]).stdout) as {
    events: { line: number; repeat: GroupedRepeat }[];
    repeats: { line: number; count: number }[];
  };
  const [group] = json.repeats;
  const run = sarif([REPEATS]).runs[0];
  const counted = run.results.filter((r) => r.occurrenceCount > 1);
  assert.ok(counted.length > 0);
  for (const r of counted) {
    assert.equal(r.occurrenceCount, group.count);
    assert.match(r.message.text, new RegExp(`\\(${group.count} identical reports in this log\\)$`));
    assert.equal(
      r.relatedLocations!.filter((l) => l.message?.text === 'an identical report').length,
      group.count - 1,
    );
  }
  // --json groups them the same way: one event for the group, the copies' lines in it, the same
  // lines as the SARIF result's related locations
  const firsts = json.events.filter((e) => e.repeat.occurrence === 1).length;
  assert.equal(firsts, json.events.length);
  assert.ok(json.events.length < reportCount(json.events));
  const event = json.events.find((e) => e.line === group.line)!;
  assert.equal(event.repeat.count, group.count);
  assert.deepEqual(
    counted[0]
      .relatedLocations!.filter((l) => l.message?.text === 'an identical report')
      .map((l) => l.physicalLocation!.region.startLine),
    event.repeat.lines!.slice(1),
  );
  // as many results as the first reports' findings: no result for a copy
  const findingsOfFirsts = (
    JSON.parse(klens(['--json', REPEATS]).stdout) as {
      events: { repeat: { occurrence: number }; findings: unknown[] }[];
    }
  ).events
    .filter((e) => e.repeat.occurrence === 1)
    .reduce((n, e) => n + e.findings.length, 0);
  assert.equal(run.results.length, findingsOfFirsts);
});

test('SARIF paths: relative to --base, absolute file URIs outside it', () => {
  const inside = sarif(['--base', join(root, 'test', 'fixtures'), SEED]).runs[0];
  assert.equal(inside.results[0].locations[0].physicalLocation.artifactLocation.uri, 'corpus/000-seed.log');
  assert.equal(
    inside.originalUriBaseIds['%SRCROOT%'].uri,
    pathToFileURL(join(root, 'test', 'fixtures') + '/').href,
  );
  const spaced = join(scratch, 'a log, with: spaces.log');
  writeFileSync(spaced, readFileSync(SEED));
  const outside = sarif(['--base', join(root, 'test'), spaced]).runs[0];
  assert.deepEqual(outside.results[0].locations[0].physicalLocation.artifactLocation, {
    uri: pathToFileURL(spaced).href,
  });
  const rel = sarif(['--base', scratch, spaced]).runs[0];
  assert.deepEqual(rel.results[0].locations[0].physicalLocation.artifactLocation, {
    uri: 'a%20log%2C%20with%3A%20spaces.log',
    uriBaseId: '%SRCROOT%',
  });
});

test('github: one command per result (hints left out), then a summary line', () => {
  const r = klens(['--format', 'github', SEED, OOM]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    '::warning file=test/fixtures/corpus/000-seed.log,line=1,title=KLL001 Page allocation failure::' +
      'order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists; Node 1 Normal below low watermark\n' +
      '::error file=test/fixtures/corpus/001-journal-oom-6.8-python.log,line=4,title=KLL002 OOM killer invoked::' +
      'System OOM kill: memory exhausted; killed uvicorn (pid 3921); order-0 GFP_HIGHUSER_MOVABLE\n' +
      '::notice file=test/fixtures/corpus/001-journal-oom-6.8-python.log,line=57,title=KLL010 Zone at or below its min watermark::' +
      'Node 0 Normal at or below its min watermark: free 55196 kB ≤ min 55360 kB (164 kB under min). At or below min: only ' +
      'requests allowed to dip under min succeed (__GFP_HIGH: ½ of min, atomic: ⅜ of min, PF_MEMALLOC: no watermark); every ' +
      'other request enters direct reclaim/compaction in its own context, and kswapd is awake.\n' +
      'klens: 2 kernel memory reports, 3 annotations\n',
  );
  const clean = join(scratch, 'clean.log');
  writeFileSync(clean, 'Apr 28 05:30:51 host sshd[1]: Accepted publickey\n');
  assert.equal(
    klens(['--format', 'github', clean]).stdout,
    'klens: 0 kernel memory reports, 0 annotations\n',
  );
});

test('github: log text and file names cannot start or end a workflow command', () => {
  assert.equal(escapeData('a%0A\r\n::b,c:'), 'a%250A%0D%0A::b,c:');
  assert.equal(escapeProperty('x,y:z%\n'), 'x%2Cy%3Az%25%0A');
  // a victim whose name spells an escaped newline and a command: the % is escaped, so the runner
  // decodes it back to the text, not to a line break
  const hostile = join(scratch, 'evil,name:x.log');
  writeFileSync(hostile, readFileSync(OOM, 'utf8').replace('(uvicorn)', '(u%0A::error::x)'));
  const r = klens(['--format', 'github', hostile], scratch);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 3);
  assert.ok(
    lines[0].startsWith('::error file=evil%2Cname%3Ax.log,line=4,title=KLL002 OOM killer invoked::'),
    lines[0],
  );
  assert.match(lines[0], /killed u%250A::error::x \(pid 3921\)/);
  assert.ok(lines.slice(0, 2).every((l) => /^::(error|notice) file=/.test(l)));
  assert.ok(lines[2].startsWith('klens: '));
});

test('--fail-on: exit 1 at or above the threshold, 0 below it, the same for every format', () => {
  const clean = join(scratch, 'noise.log');
  writeFileSync(clean, 'Apr 28 05:30:51 host sshd[1]: Accepted publickey\n'.repeat(20));
  // worst finding: OOM error, seed warning, SysRq-m information, noise nothing
  const expected: Record<string, Record<string, number>> = {
    [OOM]: { none: 0, error: 1, warning: 1, info: 1 },
    [SEED]: { none: 0, error: 0, warning: 1, info: 1 },
    [SHOW_MEM]: { none: 0, error: 0, warning: 0, info: 1 },
    [clean]: { none: 0, error: 0, warning: 0, info: 0 },
  };
  for (const [file, byLevel] of Object.entries(expected))
    for (const [level, status] of Object.entries(byLevel))
      for (const format of ['text', 'json', 'sarif', 'github']) {
        const r = klens([`--format=${format}`, `--fail-on=${level}`, file]);
        assert.equal(r.status, status, `${file} --fail-on=${level} --format=${format}: ${r.stderr}`);
        assert.ok(r.stdout.length > 0);
      }
  // the default is none; --json is the json format; several inputs: the worst of them
  assert.equal(klens([OOM]).status, 0);
  assert.equal(klens(['--json', '--fail-on', 'error', OOM]).status, 1);
  assert.equal(klens(['--fail-on', 'error', SEED, OOM]).status, 1);
  assert.equal(klens(['--sysctl', '--fail-on', 'warning', SEED]).status, 1);
  const piped = spawnSync(process.execPath, [cli, 'analyze', '--fail-on=warning'], {
    input: readFileSync(SEED),
    encoding: 'utf8',
  });
  assert.equal(piped.status, 1);
});

test('--format, --fail-on, --base: unusable values exit 2 with one line', () => {
  for (const [args, pattern] of [
    [['--format', 'xml', SEED], /--format must be text, json, sarif or github, not 'xml'/],
    [['--fail-on=fatal', SEED], /--fail-on must be error, warning, info or none, not 'fatal'/],
    [['--fail-on'], /--fail-on needs a value/],
    [['--json', '--format=sarif', SEED], /choose one output format/],
    [['--sysctl', '--format=json', SEED], /--sysctl and --format cannot be combined/],
    [['--base=', SEED], /--base needs a directory/],
  ] as const) {
    const r = klens([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1);
  }
  const missing = klens(['--fail-on=none', '--format=sarif', join(scratch, 'missing.log')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing\.log: no such file or directory/);
});
