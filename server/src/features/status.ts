// The custom requests the VS Code client uses: the status bar's report count for the active file,
// and the file's suggested sysctl lines for the "copy suggestions" commands. Their names and
// shapes are shared/protocol.ts, which the client imports too.

import type { DocumentStatus, SysctlSuggestionsResult } from '../../../shared/protocol';
import { contentAnalysis, headerLine, kindOf, type LogDocument } from './document';
import { SysctlCollector } from '../core/sysctl-block';
import { oneLine } from '../core/safe-text';
import { hostLabel } from '../core/sysctl-hosts';
import { formatSysctlCommands } from './sysctl-edits';
import { baseName } from './workspace-paths';

export function documentStatus(doc: LogDocument): DocumentStatus {
  const byKind: Record<string, number> = {};
  for (const entry of doc.reports) {
    const kind = kindOf(entry);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
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
 * The file's suggested settings for the "copy suggestions" commands, grouped by host as the quick
 * fixes and `klens analyze --sysctl` group them (core/sysctl-block.ts): as sysctl.conf lines, one
 * block per host with its provenance and one active line per key; or as `sysctl -w` commands,
 * each host's recommended values under a comment naming the host (they run on one host at a time).
 */
export function sysctlSuggestions(doc: LogDocument, format: 'conf' | 'commands'): SysctlSuggestionsResult {
  const file = baseName(doc.uri);
  const collector = new SysctlCollector();
  for (const entry of doc.reports) {
    const analysis = contentAnalysis(entry);
    collector.add(file, headerLine(entry), analysis.sysctl, analysis.host);
  }
  const hosts = collector.recommendedByHost().filter((h) => h.settings.length > 0);
  const count = new Set(hosts.flatMap((h) => h.settings.map((s) => s.key))).size;
  if (format === 'conf')
    return {
      text: collector.block(
        [file],
        `Kernel Log Lens: recommended for ${file} (${doc.reports.length} reports)`,
      ),
      count,
    };
  const text =
    hosts.length <= 1
      ? formatSysctlCommands(hosts[0]?.settings ?? [])
      : hosts
          .map(
            (h) =>
              `# ${oneLine(`host ${hostLabel(h.host)} (${h.reports === 1 ? '1 report' : `${h.reports} reports`})`)}\n${formatSysctlCommands(h.settings)}`,
          )
          .join('\n\n');
  return { text, count };
}
