// The custom requests the VS Code client uses: the status bar's report count for the active file,
// and the file's suggested sysctl lines for the "copy suggestions" commands. Their names and
// shapes are shared/protocol.ts, which the client imports too.

import type { DocumentStatus, SysctlSuggestionsResult } from '../../../shared/protocol';
import type { SysctlSuggestion } from '../core/analysis-types';
import type { LogDocument } from './document';
import { formatBlock, formatSysctlCommands } from './sysctl-edits';
import { baseName } from './workspace-paths';

export function documentStatus(doc: LogDocument): DocumentStatus {
  const byKind: Record<string, number> = {};
  for (const { report } of doc.reports) byKind[report.kind] = (byKind[report.kind] ?? 0) + 1;
  const suppressed = doc.log.suppressions.reduce((sum, s) => sum + s.count, 0);
  const reports = doc.reports.length;
  return {
    uri: doc.uri,
    version: doc.version,
    reports,
    byKind,
    suppressed,
    summary: summary(reports, byKind, suppressed),
  };
}

/** The status bar's words; none for a file without a report (a clean log, a log with only
 * `callbacks suppressed` lines: nothing in it to explain). */
function summary(
  reports: number,
  byKind: Record<string, number>,
  suppressed: number,
): DocumentStatus['summary'] {
  if (reports === 0) return null;
  const kinds = Object.entries(byKind).map(([kind, n]) => `${n} × ${kind.replace(/_/g, ' ')}`);
  if (suppressed > 0) kinds.push(`${suppressed} suppressed by the kernel's rate limit`);
  return { text: `${reports} kernel memory report${reports === 1 ? '' : 's'}`, detail: kinds.join(', ') };
}

/**
 * The recommended settings of every report in the file, one per key (the first report that
 * recommends a key gives its line), as sysctl.conf lines or `sysctl -w` commands.
 */
export function sysctlSuggestions(doc: LogDocument, format: 'conf' | 'commands'): SysctlSuggestionsResult {
  const byKey = new Map<string, SysctlSuggestion>();
  for (const { analysis } of doc.reports) {
    for (const s of analysis.sysctl) if (s.recommended && !byKey.has(s.key)) byKey.set(s.key, s);
  }
  const entries = [...byKey.values()];
  const text =
    format === 'commands'
      ? formatSysctlCommands(entries)
      : formatBlock(entries, [
          `Kernel Log Lens: recommended for ${baseName(doc.uri)} (${doc.reports.length} reports)`,
        ]);
  return { text, count: entries.length };
}
