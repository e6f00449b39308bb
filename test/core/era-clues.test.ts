// Every format clue bounds the release a report came from, and the GFP layout follows all of
// them (issue: a pre-4.6 layout was chosen for headers whose format proves 4.11+). The clues are
// PRINTED_SIGNALS rows (kernel/eras.ts), read by era.ts shapeBounds and handed to guessGfpEra.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/core/analyze';
import type { ReportAnalysis } from '../../server/src/core/analysis-types';

function only(text: string): ReportAnalysis {
  const { reports } = analyzeText(text);
  assert.equal(reports.length, 1, `one report in:\n${text}`);
  return reports[0];
}

const TRACE = ['Call Trace:', ' dump_stack+0x63/0x90', ' warn_alloc+0x10b/0x190'];

test('nodemask=(null) on the header bounds the release at 4.11: 0x800 is GFP_NOWAIT, not __GFP_NOFAIL', () => {
  const r = only(
    ['kworker/u8:2: page allocation failure: order:0, mode:0x800, nodemask=(null)', ...TRACE].join('\n'),
  );
  assert.match(r.era.reason, /the shape says 4\.11–now/);
  assert.match(r.era.reason, /`nodemask=` in the header \(4\.11\+\)/);
  assert.equal(r.gfp?.text, 'GFP_NOWAIT');
  assert.ok(!r.gfp?.names.includes('__GFP_NOFAIL'));
  assert.ok(
    ['4.18', '5.1', '5.14', '5.18', '6.3', '6.8', '6.10', '6.15'].includes(r.gfp!.era!),
    String(r.gfp!.era),
  );
});

test('the one-line cpuset of 5.0 (RHEL 8 4.18) bounds the release at 4.18: 0x480020 is GFP_ATOMIC without __GFP_NO_KSWAPD', () => {
  const r = only(
    [
      'swapper/3: page allocation failure: order:0, mode:0x480020, nodemask=(null),cpuset=/,mems_allowed=0',
      ...TRACE,
    ].join('\n'),
  );
  assert.match(r.era.reason, /the shape says 4\.18–now/);
  assert.equal(r.gfp?.text, 'GFP_ATOMIC');
  assert.ok(!r.gfp?.names.includes('__GFP_NO_KSWAPD'));
});

test('`warn_alloc: N callbacks suppressed` before a header: 4.9+; `warn_alloc_failed:` before 4.9', () => {
  const late = only(
    [
      'warn_alloc: 3 callbacks suppressed',
      'swapper/0: page allocation failure: order:0, mode:0x480020',
      ...TRACE,
    ].join('\n'),
  );
  assert.equal(late.repeat.suppressed, 3);
  assert.match(late.era.reason, /the shape says 4\.9–now: `warn_alloc: N callbacks suppressed` \(4\.9\+\)/);
  assert.ok(!late.gfp?.names.includes('__GFP_NO_KSWAPD'), late.gfp?.text);

  const early = only(
    [
      'warn_alloc_failed: 7 callbacks suppressed',
      'swapper/0: page allocation failure: order:0, mode:0x20',
      ...TRACE,
    ].join('\n'),
  );
  assert.match(
    early.era.reason,
    /the shape says \?–4\.8: `warn_alloc_failed: N callbacks suppressed` \(before 4\.9\)/,
  );
  assert.equal(early.gfp?.text, 'GFP_ATOMIC');
});

test('nodemask= in the oom-killer header: 4.9–4.20 only', () => {
  const r = only(
    [
      'stress invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0',
      'stress cpuset=/ mems_allowed=0',
      ...TRACE,
    ].join('\n'),
  );
  assert.match(
    r.era.reason,
    /the shape says 4\.9–4\.20: .*`nodemask=` in the oom-killer header \(4\.9–4\.20\)/,
  );
  assert.match(r.era.reason, /the report's format ⇒ 4\.9–4\.20/);
  assert.ok(['4.10', '4.13', '4.14', '4.14.9', '4.15', '4.18'].includes(r.gfp!.era!), String(r.gfp!.era));
});

test('clues that contradict the printed names are set aside, the names win', () => {
  // nodemask= (4.11+) with names a 4.11+ kernel prints for the mask: both agree
  const r = only(
    [
      'kworker/0:1: page allocation failure: order:0, mode:0x1080020(GFP_ATOMIC), nodemask=(null)',
      ...TRACE,
    ].join('\n'),
  );
  assert.equal(r.gfp?.text, 'GFP_ATOMIC');
  assert.match(String(r.gfp?.era), /^4\.1[0-5]/);
});
