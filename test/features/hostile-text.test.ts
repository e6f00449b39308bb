// Text a log (or its file name) plants in what the features write: the sysctl edits and
// suggestions, diagnostics, outline and hovers never carry a raw line break, control or bidi
// control, and a refused sysctl file disables the write actions with its reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeActionParams, TextDocumentEdit } from 'vscode-languageserver';
import {
  codeActions,
  resolveCodeAction,
  type SysctlDestination,
} from '../../server/src/features/code-actions';
import { analyzeDocument } from '../../server/src/features/document';
import { diagnostics } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { hover } from '../../server/src/features/hover';
import { sysctlSuggestions } from '../../server/src/features/status';
import { at, docOf } from './helpers';
import { SAMPLE } from './sample';

const RAW_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The sample with NEL-planted assignments in its printed GFP names and a bidi override in the task. */
const HOSTILE = SAMPLE.replace(
  'mode:0x2080020(GFP_ATOMIC)',
  'mode:0x2080020(GFP_ATOMIC\u0085kernel.panic = 1\u0085#\u2028vm.overcommit_memory = 1\u2029#)',
).replace(/kworker\/0:1/g, 'kworker\u202e/0:1');

function params(position: { line: number; character: number }): CodeActionParams {
  return {
    textDocument: { uri: 'file:///ws/logs/messages' },
    range: { start: position, end: position },
    context: { diagnostics: [] },
  };
}

const destination = (refused: string | null, disabledSupport: boolean): SysctlDestination => ({
  file: {
    uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf',
    version: null,
    label: 'sysctl.d/90-kernel-log-lens.conf',
    text: 'vm.min_free_kbytes = 1\r\n',
    refused,
  },
  documentChanges: true,
  showDocument: false,
  disabledSupport,
});

/** Every line of sysctl.conf text is a comment or an assignment of a key klens suggests. */
function assertOnlyCommentsAndKeys(text: string, keys: readonly string[]): void {
  for (const line of text.split(/\r\n|[\n\v\f\r\u0085\u2028\u2029\0]/)) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([\w.]+) = \S.*$/.exec(line);
    assert.ok(m && keys.includes(m[1]), `not a comment nor a klens assignment: ${JSON.stringify(line)}`);
  }
}

test('the hostile sample still parses as the report it is, with the planted names', () => {
  const doc = docOf(HOSTILE);
  assert.equal(doc.reports.length, 1);
  assert.match(doc.reports[0].report.gfp?.printed ?? '', /\u0085kernel\.panic = 1\u0085/);
  assert.equal(doc.reports[0].report.comm, 'kworker\u202e/0:1');
});

test('quick fix: the planted names stay inside comments, in the block and in an in-place update', () => {
  const { doc, position } = at(HOSTILE, 'Node 0 DMA32 free', 4);
  const keys = doc.reports[0].analysis.sysctl.map((s) => s.key);
  const dest = destination(null, true);
  const actions = codeActions(doc, params(position), dest);
  // A not-recommended setting is listed disabled (issue #14): no edit to carry, nothing to resolve.
  for (const action of actions.filter((a) => a.disabled)) {
    assert.doesNotMatch(action.title, RAW_UNSAFE);
    assert.equal(action.data, undefined);
    assert.equal(resolveCodeAction(doc, action, dest).edit, undefined);
  }
  for (const action of actions.filter((a) => !a.command && !a.disabled)) {
    assert.doesNotMatch(action.title, RAW_UNSAFE);
    const resolved = resolveCodeAction(doc, action, dest);
    const edits = (resolved.edit?.documentChanges?.[1] as TextDocumentEdit).edits;
    for (const edit of edits) {
      assert.doesNotMatch(edit.newText.replace(/\r\n/g, ''), RAW_UNSAFE);
      assertOnlyCommentsAndKeys(edit.newText, keys);
    }
  }
});

test('a refused file: write actions disabled with the reason, or left out; copy stays', () => {
  const { doc, position } = at(SAMPLE, 'Node 0 DMA32 free', 4);
  const reason = 'a symbolic link leads it outside the workspace folders (to /etc/sysctl.d/x.conf)';
  const actions = codeActions(doc, params(position), destination(reason, true));
  const writes = actions.filter((a) => !a.command);
  assert.ok(writes.length >= 2);
  for (const a of writes) {
    assert.deepEqual(a.disabled, {
      reason: `Kernel Log Lens does not write to sysctl.d/90-kernel-log-lens.conf: ${reason}`,
    });
    assert.equal(a.data, undefined, 'nothing to resolve');
    assert.equal(resolveCodeAction(doc, a, destination(reason, true)).edit, undefined);
  }
  const copy = actions.filter((a) => a.command);
  assert.deepEqual(
    codeActions(doc, params(position), destination(reason, false)).map((a) => a.title),
    copy.map((a) => a.title),
    'without disabledSupport only the copy action',
  );
  // A refusal found only on resolve: no edit.
  const listed = codeActions(doc, params(position), destination(null, true))[0];
  assert.equal(resolveCodeAction(doc, listed, destination(reason, true)).edit, undefined);
});

test('a file name with a line break: the suggestions block stays comments and klens assignments', () => {
  for (const br of ['%0A', '%0D', '%C2%85', '%E2%80%A8', '%0B']) {
    const doc = analyzeDocument(`file:///ws/logs/messages${br}kernel.panic%20%3D%201`, 1, HOSTILE, {
      kernelRelease: '',
    });
    const { text, count } = sysctlSuggestions(doc, 'conf');
    assert.ok(count >= 1);
    assert.match(text, /^# Kernel Log Lens: recommended for messages kernel\.panic = 1 \(1 reports\)$/m);
    assertOnlyCommentsAndKeys(
      text,
      doc.reports[0].analysis.sysctl.map((s) => s.key),
    );
  }
});

test('diagnostics, outline and hovers carry no raw control or bidi character', () => {
  const { doc, position } = at(HOSTILE, 'kworker\u202e/0:1: page', 2);
  for (const d of diagnostics(doc, { zoneDiagnostics: true })) {
    assert.doesNotMatch(d.message, RAW_UNSAFE);
    for (const r of d.relatedInformation ?? []) assert.doesNotMatch(r.message, RAW_UNSAFE);
  }
  const [report] = documentSymbols(doc);
  assert.equal(report.name, 'Page allocation failure order 3 — kworker/0:1');
  for (const s of [report, ...(report.children ?? [])]) {
    assert.doesNotMatch(s.name, RAW_UNSAFE);
    assert.doesNotMatch(s.detail ?? '', RAW_UNSAFE);
  }
  const h = hover(doc, position);
  const value = (h?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(value.replace(/\\(.)/g, '$1'), /\*\*Task:\*\* kworker\/0:1 \(pid 42\)/);
  assert.doesNotMatch(value.replace(/\n/g, ''), RAW_UNSAFE);
});
