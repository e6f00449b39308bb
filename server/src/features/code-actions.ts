// textDocument/codeAction and codeAction/resolve: on a report's diagnostic (or anywhere inside a
// report), a preferred "apply all recommended" and one quick fix per recommended sysctl setting,
// each writing the lines with their evidence comments into a sysctl file of the workspace, and a
// "copy as sysctl -w commands" action; the settings the report does not call for follow, listed
// but disabled with the reason (LSP CodeAction.disabled). Listing is cheap; the edit (which may need the target
// file's text from disk) is computed on resolve. Nothing is ever executed: `sysctl -w` is only
// copied as text.

import {
  CodeActionKind,
  type CodeAction,
  type Command,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { CodeActionParams } from 'vscode-languageserver-protocol';
import type { Remedy, SysctlSuggestion } from '../core/analysis-types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { reportAt, type AnalyzedReport, type LogDocument } from './document';
import { formatBlock, formatSysctlCommands, planSysctlEdits } from './sysctl-edits';
import { provenanceText } from '../core/sysctl-hosts';
import { oneLine } from './text';
import { baseName } from './workspace-paths';

// The commands the actions carry are named in shared/protocol.ts (the VS Code client runs
// COPY_TEXT/OPEN_UNTITLED itself; the server runs SHOW_SYSCTL_FILE after an edit is applied).
import { COPY_TEXT_COMMAND, OPEN_UNTITLED_COMMAND, SHOW_SYSCTL_FILE_COMMAND } from '../../../shared/protocol';

/** Carried by a listed action so codeAction/resolve can compute its edit. */
export interface CodeActionData {
  uri: string;
  version: number;
  report: number;
  keys: string[];
}

/** Where the suggested lines go. */
export interface SysctlDestination {
  /** The target file (an open sysctl file of the workspace, or the configured one in the first
   * workspace folder), or null: no folder / no file creation → an untitled document. */
  file: {
    uri: string;
    /** Version of the open document; null for a file that is not open. */
    version: number | null;
    /** "sysctl.d/90-kernel-log-lens.conf", for titles. */
    label: string;
    /** Current text (open document or disk); null when the file does not exist or was not read. */
    text: string | null;
    /** Why the file must not be written (it leads out of the workspace through a symbolic link,
     * is not a regular file, is too large …): the write actions are disabled with it. */
    refused?: string | null;
  } | null;
  /** The client takes `documentChanges` (versioned edits, file creation). */
  documentChanges: boolean;
  /** The client can open a document on the server's request (`window/showDocument`). */
  showDocument: boolean;
  /** The client shows a code action's `disabled` reason; without it a refused file's write
   * actions are left out (the server tells the user why). */
  disabledSupport?: boolean;
}

export function codeActions(
  doc: LogDocument,
  params: CodeActionParams,
  destination: SysctlDestination,
): CodeAction[] {
  const only = params.context.only;
  if (
    only &&
    !only.some(
      (k) => k === '' || k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.'),
    )
  )
    return [];
  const entry = reportAt(doc, params.range.start.line);
  if (!entry) return [];
  const suggestions = entry.analysis.sysctl;
  if (suggestions.length === 0) return [];
  const diagnostics = params.context.diagnostics.filter(
    (d: Diagnostic) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line === entry.report.line,
  );
  const where = destination.file ? oneLine(destination.file.label) : 'a new untitled document';
  const refused = destination.file?.refused || null;
  const refusal = refused === null ? null : `Kernel Log Lens does not write to ${where}: ${oneLine(refused)}`;
  const action = (title: string, keys: string[], isPreferred: boolean): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
    ...(isPreferred ? { isPreferred } : {}),
    ...(refusal !== null
      ? { disabled: { reason: refusal } }
      : {
          data: { uri: doc.uri, version: doc.version, report: entry.index, keys } satisfies CodeActionData,
        }),
  });
  // A setting the report does not call for is listed, never applicable: disabled with the core's
  // assessment in short (never preferred, never first: it follows the applicable actions).
  const notRecommended = (s: SysctlSuggestion): CodeAction => ({
    title: `Set ${s.key} = ${s.value} in ${where} (not recommended for this report)`,
    kind: CodeActionKind.QuickFix,
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
    // a refused file is the first obstacle (the title says "not recommended" already)
    disabled: { reason: refusal ?? notRecommendedReason(entry.analysis.remedies, s) },
  });

  const recommended = suggestions.filter((s) => s.recommended);
  const actions: CodeAction[] = [];
  if (recommended.length > 0) {
    actions.push(
      action(
        `Apply all recommended sysctl settings (${recommended.length}) in ${where}`,
        recommended.map((s) => s.key),
        true,
      ),
    );
  }
  for (const s of recommended) actions.push(action(`Set ${s.key} = ${s.value} in ${where}`, [s.key], false));
  // A client that cannot show why an action is disabled gets only the copy action.
  if (refused !== null && !destination.disabledSupport) actions.length = 0;
  const toCopy = recommended.length > 0 ? recommended : suggestions;
  actions.push({
    title: `Copy ${recommended.length > 0 ? 'recommended settings' : 'suggested settings'} as sysctl -w commands`,
    kind: CodeActionKind.QuickFix,
    command: copyCommand(formatSysctlCommands(toCopy)),
  });
  // ... and none of the settings it could not apply anyway (LSP 3.16: `disabled` only for a
  // client that announces disabledSupport).
  if (destination.disabledSupport)
    for (const s of suggestions) if (!s.recommended) actions.push(notRecommended(s));
  // Without a target file the edit is an untitled document: nothing to resolve later.
  return destination.file
    ? actions
    : actions.map((a) => (a.command ? a : resolveCodeAction(doc, a, destination)));
}

/** Fills in the action's edit (or, without a target file, its open-untitled command). */
export function resolveCodeAction(
  doc: LogDocument,
  action: CodeAction,
  destination: SysctlDestination,
): CodeAction {
  const data = action.data as CodeActionData | undefined;
  const entry = data && doc.reports[data.report];
  if (!data || !entry) return action;
  const entries = data.keys
    .map((key) => entry.analysis.sysctl.find((s) => s.key === key))
    .filter((s): s is SysctlSuggestion => s !== undefined);
  if (entries.length === 0) return action;
  const heading = blockHeading(doc, entry);
  const file = destination.file;
  if (!file) {
    return {
      ...action,
      command: {
        title: action.title,
        command: OPEN_UNTITLED_COMMAND,
        arguments: [formatBlock(entries, heading)],
      },
    };
  }
  if (file.refused) return action;
  const edits = planSysctlEdits(file.text, entries, heading, {
    host: entry.analysis.host,
    from: provenanceText({
      host: entry.analysis.host,
      file: baseName(doc.uri),
      line: entry.report.line + 1,
      time: entry.report.time,
    }),
  });
  const resolved: CodeAction = { ...action, edit: sysctlEdit(file, edits, destination.documentChanges) };
  if (destination.showDocument) {
    const line = edits[0]?.range.start.line ?? 0;
    resolved.command = {
      title: 'Show the sysctl file',
      command: SHOW_SYSCTL_FILE_COMMAND,
      arguments: [file.uri, line],
    };
  }
  return resolved;
}

function sysctlEdit(
  file: NonNullable<SysctlDestination['file']>,
  edits: TextEdit[],
  documentChanges: boolean,
): WorkspaceEdit {
  if (!documentChanges) return { changes: { [file.uri]: edits } };
  const change: TextDocumentEdit = { textDocument: { uri: file.uri, version: file.version }, edits };
  // A file that is not open may not exist yet: create it first (a no-op when it does).
  return {
    documentChanges:
      file.version === null
        ? [{ kind: 'create', uri: file.uri, options: { ignoreIfExists: true } }, change]
        : [change],
  };
}

/** The comment block above the appended lines: which report they come from. */
function blockHeading(doc: LogDocument, { report, analysis }: AnalyzedReport): string[] {
  const when = report.time ? ` (${oneLine(report.time)})` : '';
  return [
    `Kernel Log Lens: suggested for the report at ${oneLine(baseName(doc.uri))}:${report.line + 1}${when}`,
    oneLine(analysis.summary),
  ];
}

/** Longest `disabled.reason`: VS Code shows it in one line of the quick-fix menu's hover. */
export const MAX_DISABLED_REASON = 160;

/**
 * Why a suggested setting is not applicable: the first sentence of the remedy's assessment
 * (when longer than MAX_DISABLED_REASON: without its parenthesised figures, then up to its first
 * `;`, then cut at a word), led by "Not recommended" unless it already says so.
 */
export function notRecommendedReason(remedies: readonly Remedy[], s: SysctlSuggestion): string {
  const assessment = remedies.find((r) => r.sysctl?.key === s.key)?.assessment ?? '';
  // "Listed only: …" says that it is listed; the action's being disabled says that already
  const sentence = firstSentence(oneLine(assessment)).replace(/^listed( only)?:\s*/i, '');
  const lead = /^not (recommended|indicated)\b/i.test(sentence) ? '' : 'Not recommended for this report';
  const text = sentence === '' ? lead : lead === '' ? sentence : `${lead}: ${lowerFirst(sentence)}`;
  return shorten(text, MAX_DISABLED_REASON);
}

/** Up to the first full stop that ends a sentence (not "e.g.", "i.e.", "1.1"). */
function firstSentence(text: string): string {
  const m = /^.*?(?<!\b(?:e\.g|i\.e|etc|vs))\.(?=\s|$)/.exec(text);
  return (m ? m[0].slice(0, -1) : text).trim();
}

function lowerFirst(text: string): string {
  // an acronym or a sysctl name keeps its case
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/** `text` without its outermost parenthesised groups (nested ones go with them). */
function withoutParentheses(text: string): string {
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return depth === 0 ? out.replace(/ +([,;:.]|$)/g, '$1').replace(/ {2,}/g, ' ') : text;
}

function shorten(text: string, max: number): string {
  let out = text;
  if (out.length > max) out = withoutParentheses(out);
  if (out.length <= max) return out;
  const clause = out.indexOf('; ');
  if (clause > 0 && clause < max) return out.slice(0, clause);
  const cut = out.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

function copyCommand(text: string): Command {
  return { title: 'Copy', command: COPY_TEXT_COMMAND, arguments: [text, 'sysctl -w commands'] };
}
