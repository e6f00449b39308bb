// The fuzz harness's own parts (test/fuzz), on inputs whose answers are known: the oracle counts
// lines as LSP does, the number and sysctl checks flag what they must and only that, the
// mutations do what they say and are pure, the minimiser keeps a failure while cutting the input,
// and a hang in the sandbox becomes a timeout naming the function it is stuck in.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { applyMutation, buildInput, MUTATION_OPS, type Mutation } from '../fuzz/mutations';
import { Checker, checkInput } from '../fuzz/properties';
import { jsLiteral, minimiseText } from '../fuzz/minimise';
import { Sandbox } from '../fuzz/sandbox';
import { loadCorpus } from '../fuzz/corpus';

const m = (op: Mutation['op'], a = 0, b = 0, c = 0, s = ''): Mutation => ({ op, a, b, c, s });

describe('oracle: positions as LSP counts lines', () => {
  test('\\n, \\r\\n and a lone \\r each end a line', () => {
    const c = new Checker('ab\ncd\r\nef\rgh');
    assert.equal(c.oracle.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((l) => c.lineLength(l)),
      [2, 2, 2, 2],
    );
    assert.equal(c.lineText(3), 'gh');
  });

  test('a range past the line end or the last line is a violation; one at the end is not', () => {
    const c = new Checker('abc\rdef');
    assert.equal(c.range('ok', { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }), true);
    assert.equal(
      c.range('past', { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } }),
      false,
    );
    assert.equal(
      c.range('below', { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }),
      false,
    );
    assert.equal(
      c.range('reversed', { start: { line: 1, character: 2 }, end: { line: 1, character: 1 } }),
      false,
    );
    assert.deepEqual(
      c.violations.map((v) => v.key),
      [
        'past: character beyond the line end',
        'below: line beyond the document',
        'reversed: end before start',
      ],
    );
  });

  test('a model range must cover the text it claims (escapes aside); bracketed specifics leave the class key', () => {
    const c = new Checker('Node 0 Normal free:1kB\nNode 0 Norma\x1b[0ml free:1kB\n');
    c.textRange('zone[Normal].range', { startLine: 0, startChar: 7, endLine: 0, endChar: 13 }, 'Normal');
    c.textRange('zone[Normal].range', { startLine: 1, startChar: 7, endLine: 1, endChar: 17 }, 'Normal');
    c.textRange('zone[DMA].range', { startLine: 0, startChar: 0, endLine: 0, endChar: 6 }, 'DMA');
    assert.equal(c.violations.length, 1);
    assert.equal(c.violations[0].key, 'zone.range: text does not match');
    assert.match(c.violations[0].detail, /^zone\[DMA\]\.range: .*covers "Node 0"/);
  });
});

describe('oracle: numbers and sysctl text', () => {
  test('NaN, Infinity, exponent notation and integers beyond 2^53 are flagged with their path', () => {
    const c = new Checker('');
    c.numbers('event', { a: NaN, b: [1, Infinity], c: { d: 1e21 }, e: 2 ** 53 + 2, f: 0.5, g: -7 });
    assert.deepEqual(
      c.violations.map((v) => v.key),
      ['event: NaN at .a', 'event: Infinity at .b[]', 'event: exponent at .c.d', 'event: beyond 2^53 at .e'],
    );
  });

  test('the same words in text are flagged unless the log itself holds them', () => {
    const c = new Checker('comm: NaN-daemon');
    c.words('summary', 'order 1e+21 of NaN-daemon');
    c.words('hover', 'NaN-daemon needs Infinity kB');
    c.words('text', 'column undefined is 7');
    assert.deepEqual(
      c.violations.map((v) => v.key),
      ['summary: Ne+N in text', 'hover: Infinity in text', 'text: undefined in text'],
    );
  });

  test('sysctl text: comments, blank lines and `key = digits` only', () => {
    const good = new Checker('');
    good.sysctlText(
      'block',
      '# why\n; also\n\nvm.min_free_kbytes = 90112\nvm.lowmem_reserve_ratio = 256 256 32\n',
    );
    good.sysctlText(
      'commands',
      "sysctl -w vm.min_free_kbytes=90112\nsysctl -w vm.lowmem_reserve_ratio='256 256 32'",
      true,
    );
    assert.deepEqual(good.violations, []);
    const bad = new Checker('');
    bad.sysctlText('block', '# comment from the log\rkernel.core_pattern = |/bin/sh\n');
    assert.deepEqual(
      bad.violations.map((v) => v.key),
      ['block: line is not a comment or a setting'],
    );
  });
});

describe('the whole check', () => {
  test('the seed log has every property (and takes some time in each stage)', () => {
    const seed = loadCorpus()[0];
    assert.match(seed.name, /000-seed\.log$/);
    const r = checkInput(seed.text, { positions: [[3, 40]], interleaved: loadCorpus()[1].text });
    assert.deepEqual(r.violations, []);
    assert.equal(r.reports, 1);
    assert.ok(r.timings.core > 0 && r.timings.hover > 0 && r.timings.output > 0);
  });
});

describe('mutations', () => {
  const seed = loadCorpus()[0].text;

  test('are pure: the same case gives the same text', () => {
    for (const op of MUTATION_OPS) {
      const mut = m(op, 123456, 789, 4321, '\x1b]\u2028');
      assert.equal(applyMutation(seed, 'other\nlog', mut), applyMutation(seed, 'other\nlog', mut), op);
    }
  });

  test('lone CR, CRLF, 32-digit numbers, order and nodemask extremes, ANSI and caller ids', () => {
    assert.equal(applyMutation(seed, '', m('lineEnds', 1)).includes('\n'), false);
    assert.equal(applyMutation(seed, '', m('lineEnds', 0)).match(/\r\n/g)?.length, seed.match(/\n/g)?.length);
    assert.match(applyMutation(seed, '', m('digits', 0, 0)), /^Apr \d{32} /);
    assert.match(applyMutation(seed, '', m('field', 0, 0, 0)), /order:200000000, mode:0x4020/);
    assert.match(
      applyMutation('a: order=1, nodemask=0-3, x', '', m('field', 1, 0, 0)),
      /nodemask=0-99999999999/,
    );
    assert.equal(applyMutation('Apr 28 x', '', m('ansi', 1, 0, 0)), '\x1b[31mApr 28 x');
    const ids = applyMutation('a\nb\nc', '', m('callerIds', 0, 2));
    assert.equal(ids, '[    0.000000][T0] a\n[    1.000001][T2] b\n[    2.000002][T1] c');
  });

  test('every input is cut to the maximum length', () => {
    const text = buildInput(
      { base: 0, other: 0, mutations: [m('dupLines', 0, 7, 299)], positions: [], release: 0 },
      [seed],
      1000,
    );
    assert.equal(text.length, 1000);
  });
});

describe('minimiser', () => {
  test('keeps the failure and cuts everything else', async () => {
    const text = 'noise 1\nnoise 2\nNode 0 present:99999999999999999999999999999999kB x\nnoise 3\n';
    const { text: min } = await minimiseText(text, async (t) => /present:\d{32}/.test(t), {
      maxEvaluations: 1000,
    });
    assert.equal(min, 'present:99999999999999999999999999999999');
  });

  test('jsLiteral is ASCII and reads back as the same string', () => {
    const s = 'a\r\x1b]52;c;x\x07\u2028\u202e\ud800\ud83d\ude00\x85';
    const lit = jsLiteral(s);
    assert.match(lit, /^[\x20-\x7e]+$/);
    assert.equal(JSON.parse(lit), s);
  });
});

describe('sandbox', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.close());

  test('a hang becomes a timeout that names the function it is stuck in; the next input gets a new worker', async () => {
    const seed = loadCorpus()[0].text;
    assert.equal((await sandbox.check(seed, {}, 30_000)).kind, 'done');
    const answer = await sandbox.spin(300);
    assert.equal(answer.kind, 'timeout');
    assert.equal(answer.kind === 'timeout' && answer.stack?.[0], 'spinForTest (worker.js)');
    assert.equal((await sandbox.check(seed, {}, 30_000)).kind, 'done');
    assert.equal(sandbox.restarts, 1);
  });
});
