// Issue #14, quick fixes: only recommended settings are applicable; the others are listed with
// LSP `disabled` and the reason from the core's assessment, never preferred, never first.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import {
  codeActions,
  MAX_DISABLED_REASON,
  type SysctlDestination,
} from '../../server/src/features/code-actions';
import { docOf } from './helpers';

const corpus = (name: string): string => readFileSync(join('test', 'fixtures', 'corpus', name), 'utf8');

const destination = (disabledSupport: boolean): SysctlDestination => ({
  file: {
    uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf',
    version: null,
    label: 'sysctl.d/90-kernel-log-lens.conf',
    text: null,
  },
  documentChanges: true,
  showDocument: false,
  disabledSupport,
});

function actionsAt(text: string, line: number, disabledSupport = true): CodeAction[] {
  const params: CodeActionParams = {
    textDocument: { uri: 'file:///ws/logs/messages' },
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: [] },
  };
  return codeActions(docOf(text), params, destination(disabledSupport));
}

const IN = ' in sysctl.d/90-kernel-log-lens.conf';

test('seed: min_free_kbytes applicable and preferred first; lowmem_reserve_ratio and zone_reclaim_mode disabled with their reasons, last', () => {
  const actions = actionsAt(corpus('000-seed.log'), 0);
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred ?? false, a.disabled?.reason ?? null]),
    [
      [`Apply all recommended sysctl settings (1)${IN}`, true, null],
      [`Set vm.min_free_kbytes = 90112${IN}`, false, null],
      ['Copy recommended settings as sysctl -w commands', false, null],
      [
        `Set vm.lowmem_reserve_ratio = 256 128 32${IN} (not recommended for this report)`,
        false,
        "Not recommended: the request is Normal-class, so lowering DMA32's ratio enlarges the reserve that DMA32 keeps back from exactly this request: it shrinks the…",
      ],
      [
        `Set vm.zone_reclaim_mode = 1${IN} (not recommended for this report)`,
        false,
        'Not recommended for this report: the nodes are unbalanced, but zone reclaim never runs for an atomic request like this one, so it would not prevent this…',
      ],
    ],
  );
  // a disabled action carries nothing to apply
  for (const a of actions.filter((x) => x.disabled)) {
    assert.equal(a.data, undefined);
    assert.equal(a.edit, undefined);
    assert.equal(a.command, undefined);
    assert.ok(a.disabled!.reason.length <= MAX_DISABLED_REASON);
  }
});

test('nothing recommended (019, kswapd0 allocating while reclaiming): copy first, every setting disabled', () => {
  const text = corpus('019-dmesg-6.19-kswapd0-btrfs-sheaves.log');
  const doc = docOf(text);
  assert.deepEqual(
    doc.reports[0].analysis.sysctl.filter((s) => s.recommended),
    [],
  );
  const actions = actionsAt(text, doc.reports[0].report.line);
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred ?? false, a.disabled?.reason ?? null]),
    [
      ['Copy suggested settings as sysctl -w commands', false, null],
      [
        `Set vm.min_free_kbytes = 135160${IN} (not recommended for this report)`,
        false,
        'Not indicated: kswapd0 allocated while reclaiming: __alloc_pages_slowpath never reclaims for a PF_MEMALLOC task, and __GFP_NOMEMALLOC kept it from the…',
      ],
      [
        `Set vm.watermark_scale_factor = 28${IN} (not recommended for this report)`,
        false,
        'Not recommended for this report: kswapd0 allocated while reclaiming: __alloc_pages_slowpath never reclaims for a PF_MEMALLOC task, and __GFP_NOMEMALLOC kept…',
      ],
      [
        `Set vm.lowmem_reserve_ratio = 256 128 32 0 0${IN} (not recommended for this report)`,
        false,
        "Not recommended: the request is Normal-class, so lowering DMA32's ratio enlarges the reserve that DMA32 keeps back from exactly this request: it shrinks the…",
      ],
    ],
  );
});

test('a client without disabledSupport is never offered a not-recommended setting', () => {
  const actions = actionsAt(corpus('000-seed.log'), 0, false);
  assert.deepEqual(
    actions.map((a) => a.title),
    [
      `Apply all recommended sysctl settings (1)${IN}`,
      `Set vm.min_free_kbytes = 90112${IN}`,
      'Copy recommended settings as sysctl -w commands',
    ],
  );
  assert.ok(actions.every((a) => a.disabled === undefined));
});

test('over the corpus: no disabled action is preferred or first, every applicable one is recommended', () => {
  const dir = join('test', 'fixtures', 'corpus');
  let disabled = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.log')) continue;
    const text = corpus(name);
    const doc = docOf(text);
    for (const entry of doc.reports) {
      const actions = actionsAt(text, entry.report.line);
      if (actions.length === 0) continue;
      assert.equal(actions[0].disabled, undefined, `${name}:${entry.report.line + 1}`);
      const firstDisabled = actions.findIndex((a) => a.disabled);
      if (firstDisabled >= 0)
        assert.ok(
          actions.slice(firstDisabled).every((a) => a.disabled && !a.isPreferred),
          `${name}: disabled ones last`,
        );
      const recommended = new Set(entry.analysis.sysctl.filter((s) => s.recommended).map((s) => s.key));
      for (const a of actions) {
        const key = /^Set (\S+) = /.exec(a.title)?.[1];
        if (key !== undefined) assert.equal(a.disabled === undefined, recommended.has(key), a.title);
        if (a.disabled) {
          disabled++;
          assert.ok(a.disabled.reason.length > 20 && a.disabled.reason.length <= MAX_DISABLED_REASON);
          assert.match(a.disabled.reason, /^Not (recommended|indicated)\b/);
        }
      }
    }
  }
  assert.ok(disabled > 10, `${disabled} disabled actions`);
});
