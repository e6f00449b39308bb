// The `--sysctl` block of `klens analyze` and the editor's "Copy Suggested sysctl.conf Lines":
// every report's suggestions gathered per host (sysctl-hosts.ts, as the quick fixes write them),
// one active line per key over the whole block. Memory stays small however many reports a log
// holds: per key only what the block prints is kept.
import type { SysctlSuggestion } from './analysis-types';
import { commentLines, oneLine } from './safe-text';
import { conflictWinner, hostEndLine, hostLabel, hostStartLine, winsLine, yieldedLine } from './sysctl-hosts';

interface KeyVotes {
  /** The report whose value stays for this host (null while none recommends the key) and the
   * first suggesting it. */
  chosen: { at: string; suggestion: SysctlSuggestion } | null;
  first: { at: string; suggestion: SysctlSuggestion };
  votes: number;
  /** Other values this host's reports recommend (value → first report), at most
   * MAX_OTHER_VALUES + 1 kept, and why the chosen one wins over them. */
  otherValues: Map<string, string>;
  why: string | null;
}

interface HostVotes {
  host: string | null;
  reports: number;
  keys: Map<string, KeyVotes>;
}

const MAX_OTHER_VALUES = 5;

/**
 * Gathers the `--sysctl` suggestions of every report, per host (core/sysctl-hosts.ts, as the
 * editor's quick fixes write them), keeping per key only what the block prints (memory stays
 * small however many reports a log holds).
 */
export class SysctlCollector {
  private readonly hosts = new Map<string, HostVotes>();
  reports = 0;

  add(
    file: string,
    line: number,
    suggestions: readonly SysctlSuggestion[],
    host: string | null = null,
  ): void {
    this.reports++;
    const at = `${file === '-' ? 'stdin' : oneLine(file)}:${line + 1}`;
    const label = hostLabel(host);
    let h = this.hosts.get(label);
    if (!h) this.hosts.set(label, (h = { host, reports: 0, keys: new Map() }));
    h.reports++;
    for (const suggestion of suggestions) {
      let k = h.keys.get(suggestion.key);
      if (!k) {
        k = { chosen: null, first: { at, suggestion }, votes: 0, otherValues: new Map(), why: null };
        h.keys.set(suggestion.key, k);
      }
      if (!suggestion.recommended) continue;
      k.votes++;
      if (!k.chosen) k.chosen = { at, suggestion };
      else if (suggestion.value !== k.chosen.suggestion.value) {
        const { incomingWins, why } = conflictWinner(
          suggestion.key,
          k.chosen.suggestion.value,
          suggestion.value,
        );
        k.why = why;
        const loser = incomingWins ? k.chosen : { at, suggestion };
        if (incomingWins) k.chosen = { at, suggestion };
        k.otherValues.delete(k.chosen.suggestion.value);
        if (k.otherValues.size <= MAX_OTHER_VALUES && !k.otherValues.has(loser.suggestion.value))
          k.otherValues.set(loser.suggestion.value, loser.at);
      }
    }
  }

  /** Each host's recommended settings, one per key (the value that stays for the host, by the
   * rule of sysctl-hosts.ts), in the order the hosts were met: for `sysctl -w` commands, which
   * run on one host at a time. */
  recommendedByHost(): { host: string | null; reports: number; settings: SysctlSuggestion[] }[] {
    return [...this.hosts.values()].map((h) => ({
      host: h.host,
      reports: h.reports,
      settings: [...h.keys.values()].flatMap((k) => (k.chosen ? [k.chosen.suggestion] : [])),
    }));
  }

  /**
   * The `--sysctl` block: one section per host (its provenance: host, log file, report line),
   * each with one entry per key and its evidence as comments. As in the editor's quick fixes, a
   * key keeps one active line in the whole output: where reports (of one host or of several)
   * want different values, the rule of core/sysctl-hosts.ts picks the one that stays and the
   * others are written as comments saying which wins and why. Keys no report of a host
   * recommends follow in its section, commented out, with the core's assessment, so nothing is
   * silently dropped and the block stays valid sysctl.conf.
   */
  block(files: string[], title?: string): string {
    const where =
      files.length > 2
        ? `${files.length} files`
        : files.map((f) => (f === '-' ? 'standard input' : f)).join(', ');
    const n = this.reports;
    const out = [
      `# ${oneLine(title ?? `Kernel Log Lens: suggested sysctl settings for ${where} (${n === 1 ? '1 report' : `${n} reports`})`)}`,
    ];
    const hosts = [...this.hosts.values()];
    // the value that stays active for each key over all hosts
    const active = new Map<string, { value: string; from: string; why: string | null }>();
    for (const h of hosts)
      for (const [key, k] of h.keys) {
        if (!k.chosen) continue;
        const from = `host ${hostLabel(h.host)}, report at ${k.chosen.at}`;
        const now = active.get(key);
        if (!now) active.set(key, { value: k.chosen.suggestion.value, from, why: null });
        else if (now.value !== k.chosen.suggestion.value) {
          const { incomingWins, why } = conflictWinner(key, now.value, k.chosen.suggestion.value);
          active.set(key, incomingWins ? { value: k.chosen.suggestion.value, from, why } : { ...now, why });
        }
      }
    if (active.size === 0)
      out.push(
        n === 0
          ? '# No memory reports found: nothing to suggest.'
          : '# No sysctl change is recommended for these reports.',
      );
    for (const h of hosts) {
      out.push(
        '',
        hostStartLine(h.host),
        `# ${h.reports === 1 ? '1 report' : `${h.reports} reports`} of this host`,
      );
      const all = [...h.keys.entries()];
      const recommended = all.filter(([, k]) => k.chosen !== null);
      const others = all.filter(([, k]) => k.chosen === null);
      if (recommended.length === 0 && active.size > 0)
        out.push('# No sysctl change is recommended for the reports of this host.');
      for (const [key, k] of recommended) {
        const chosen = k.chosen!;
        const more = k.votes > 1 ? ` and ${k.votes - 1} more` : '';
        out.push(
          '',
          `# ${key}: recommended by the report at ${chosen.at}${more}`,
          ...commentLines(chosen.suggestion.comment),
        );
        const values = [...k.otherValues.entries()];
        if (values.length) {
          out.push(
            `# other reports recommend: ${oneLine(
              values
                .slice(0, MAX_OTHER_VALUES)
                .map(([v, at]) => `${v} (${at})`)
                .join(', '),
            )}${values.length > MAX_OTHER_VALUES ? ', …' : ''}`,
          );
          if (k.why) out.push(winsLine(chosen.suggestion.value, chosen.at, k.why));
        }
        const wins = active.get(key)!;
        if (wins.value === chosen.suggestion.value)
          out.push(`${oneLine(key)} = ${oneLine(chosen.suggestion.value)}`);
        else
          out.push(
            yieldedLine(key, chosen.suggestion.value),
            winsLine(wins.value, wins.from, wins.why ?? ''),
          );
      }
      if (others.length) out.push('', '# Considered, not recommended for these reports:');
      for (const [key, k] of others) {
        const s = k.first;
        out.push(
          '',
          `# ${key}: from the report at ${s.at}`,
          ...commentLines(s.suggestion.comment),
          `# ${oneLine(`${key} = ${s.suggestion.value}`)}`,
        );
      }
      out.push(hostEndLine(h.host));
    }
    return `${out.join('\n')}\n`;
  }
}
