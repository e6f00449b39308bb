import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeActionParams, TextDocumentEdit } from 'vscode-languageserver';
import {
  codeActions,
  resolveCodeAction,
  type SysctlDestination,
} from '../../server/src/features/code-actions';
import { at, URI } from './helpers';
import { SAMPLE } from './sample';

function params(position: { line: number; character: number }, only?: string[]): CodeActionParams {
  return {
    textDocument: { uri: URI },
    range: { start: position, end: position },
    context: { diagnostics: [], ...(only ? { only } : {}) },
  };
}

const conf = (text: string | null, version: number | null): SysctlDestination => ({
  file: {
    uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf',
    version,
    label: 'sysctl.d/90-kernel-log-lens.conf',
    text,
  },
  documentChanges: true,
  showDocument: false,
});

test('inside a report: all recommended (preferred), one per recommended setting, copy as sysctl -w, then the others disabled', () => {
  const { doc, position } = at(SAMPLE, 'Node 0 DMA32 free', 4);
  const actions = codeActions(doc, params(position), { ...conf(null, null), disabledSupport: true });
  const suggestions = doc.reports[0].analysis.sysctl;
  const recommended = suggestions.filter((s) => s.recommended);
  const others = suggestions.filter((s) => !s.recommended);
  assert.ok(recommended.length > 0);
  assert.deepEqual(
    actions.map((a) => a.title),
    [
      `Apply all recommended sysctl settings (${recommended.length}) in sysctl.d/90-kernel-log-lens.conf`,
      ...recommended.map((s) => `Set ${s.key} = ${s.value} in sysctl.d/90-kernel-log-lens.conf`),
      'Copy recommended settings as sysctl -w commands',
      ...others.map(
        (s) =>
          `Set ${s.key} = ${s.value} in sysctl.d/90-kernel-log-lens.conf (not recommended for this report)`,
      ),
    ],
  );
  assert.deepEqual(
    actions.map((a) => a.isPreferred ?? false),
    actions.map((_, i) => i === 0),
  );
  assert.deepEqual(
    actions.map((a) => a.disabled !== undefined),
    actions.map((_, i) => i > recommended.length + 1),
  );
  assert.deepEqual(
    actions[recommended.length + 1].command?.arguments?.[0],
    recommended.map((s) => `sysctl -w ${s.key}=${/\s/.test(s.value) ? `'${s.value}'` : s.value}`).join('\n'),
  );
});

test('resolve: a new file is created and filled; an open file with the key is updated in place', () => {
  const { doc, position } = at(SAMPLE, 'order:3');
  const key = doc.reports[0].analysis.sysctl.find((s) => s.recommended)!.key;
  const created = resolveCodeAction(
    doc,
    codeActions(doc, params(position), conf(null, null))[1],
    conf(null, null),
  );
  assert.deepEqual(created.edit?.documentChanges?.[0], {
    kind: 'create',
    uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf',
    options: { ignoreIfExists: true },
  });
  const [edit] = (created.edit?.documentChanges?.[1] as TextDocumentEdit).edits;
  assert.match(
    edit.newText,
    // issue #14: the lines go into the block of the report's host (this dmesg names none)
    /^# Kernel Log Lens: host \(host not named in the log\)\n# Kernel Log Lens: suggested for the report at messages:1 \(\[?\s*100\.000000\]?\)\n# order-3/,
  );
  assert.match(edit.newText, new RegExp(`^${key.replace(/\./g, '\\.')} = \\S`, 'm'));

  const open = conf(`# mine\n${key} = 1\n`, 7);
  const updated = resolveCodeAction(doc, codeActions(doc, params(position), open)[1], open);
  const change = updated.edit?.documentChanges?.[0] as TextDocumentEdit;
  assert.deepEqual(change.textDocument, { uri: 'file:///ws/sysctl.d/90-kernel-log-lens.conf', version: 7 });
  assert.equal(change.edits[0].range.start.line, 1);
  assert.match(change.edits[0].newText, new RegExp(`# was: ${key.replace(/\./g, '\\.')} = 1\\n`));
});

test('with window/showDocument, the edit is followed by revealing the file at the written line', () => {
  const { doc, position } = at(SAMPLE, 'order:3');
  const open = { ...conf('# a\n# b\n', 4), showDocument: true };
  const resolved = resolveCodeAction(doc, codeActions(doc, params(position), open)[0], open);
  assert.deepEqual(resolved.command, {
    title: 'Show the sysctl file',
    command: 'kernelLogLens.showSysctlFile',
    arguments: ['file:///ws/sysctl.d/90-kernel-log-lens.conf', 2],
  });
});

test('no target file: an untitled document, already resolved', () => {
  const { doc, position } = at(SAMPLE, 'order:3');
  const [all] = codeActions(doc, params(position), {
    file: null,
    documentChanges: false,
    showDocument: true,
  });
  assert.equal(all.edit, undefined);
  assert.equal(all.command?.command, 'kernelLogLens.openUntitled');
  assert.match(
    String(all.command?.arguments?.[0]),
    /^# Kernel Log Lens: suggested for the report at messages:1/,
  );
});

test('a client without documentChanges gets plain changes', () => {
  const { doc, position } = at(SAMPLE, 'order:3');
  const destination = { ...conf('', 3), documentChanges: false };
  const resolved = resolveCodeAction(doc, codeActions(doc, params(position), destination)[0], destination);
  assert.deepEqual(Object.keys(resolved.edit?.changes ?? {}), [
    'file:///ws/sysctl.d/90-kernel-log-lens.conf',
  ]);
});

test('outside a report, or when only other kinds are asked for: nothing', () => {
  const { doc, position } = at('kernel: eth0: link up\n' + SAMPLE, 'link up');
  assert.deepEqual(codeActions(doc, params(position), conf(null, null)), []);
  const inside = at(SAMPLE, 'order:3');
  assert.deepEqual(
    codeActions(inside.doc, params(inside.position, ['source.organizeImports']), conf(null, null)),
    [],
  );
  assert.ok(codeActions(inside.doc, params(inside.position, ['quickfix']), conf(null, null)).length > 0);
});
