// Hover on an OOM kill's own lines — the `oom-kill:` summary, the ≤4.18 `Kill process … score`
// line, the `Killed process` line — and on the task table's header and rows: who held the memory,
// conclusion first (core/oom-analysis.ts builds it; this file lays it out). Text from the log
// (comms, cgroup paths) goes through escapeMarkdown.

import type { TextRange } from '../core/model';
import {
  bytesText,
  memcgStatsText,
  swapText,
  taskAt,
  type OomAnalysis,
  type OomConsumer,
} from '../core/oom-analysis';
import type { AnalyzedReport, LogDocument } from './document';
import { escapeMarkdown as esc, paragraphs, table } from './markdown';
import { fromRange } from './text';

export interface OomTarget {
  kind: 'oom';
  range: TextRange;
  entry: AnalyzedReport;
  /** The document line hovered. */
  line: number;
}

/** The lines of a report this hover explains, each as a whole-line target. */
export function oomTargets(doc: LogDocument, entry: AnalyzedReport): OomTarget[] {
  const { report, analysis } = entry;
  if (analysis.oom === null) return [];
  const lines = new Set<number>();
  if (report.killed !== null) lines.add(report.killed.line);
  if (report.oomConstraint !== null) lines.add(report.oomConstraint.line);
  if (report.oomChosen !== null) lines.add(report.oomChosen.line);
  const t = report.taskTable;
  if (t !== null) {
    if (t.line !== null) lines.add(t.line);
    if (t.stateLine !== null) lines.add(t.stateLine);
    for (const row of t.tasks) lines.add(row.line);
  }
  return [...lines].map((line) => ({
    kind: 'oom',
    range: fromRange(doc.lines.lineRange(line)),
    entry,
    line,
  }));
}

export function oomHover(target: OomTarget): string | null {
  const { report, analysis } = target.entry;
  const oom = analysis.oom;
  if (oom === null) return null;
  const row = taskAt(report, oom, target.line);
  return row !== null ? rowHover(oom, row) : summaryHover(oom);
}

/** `**victim: …**` then the score, cgroup, the biggest tasks, swap, memory.stat, what is missing. */
function summaryHover(oom: OomAnalysis): string {
  const v = oom.victim;
  const details: string[] = [];
  if (v !== null) {
    if (v.oomScoreAdj !== null) details.push(`oom_score_adj ${v.oomScoreAdj} (${v.adjSource})`);
    if (v.score !== null)
      details.push(
        v.score.how === 'printed'
          ? `score ${v.score.score} — ${esc(v.score.text)}`
          : `${v.score.score !== null ? `score ≈ ${v.score.score}, ` : ''}oom_badness ${v.score.points} pages — ${esc(v.score.text, 600)}`,
      );
    if (v.chosen !== null)
      details.push(
        `chosen: ${esc(v.chosen.name)} (pid ${v.chosen.pid ?? '?'}), score ${v.chosen.score ?? '?'}; it killed a child of it`,
      );
    if (v.why !== null) details.push(`not the biggest: ${esc(v.why, 600)}`);
    if (v.cgroup !== null && v.cgroupLabel !== null)
      details.push(
        v.cgroupLabel.startsWith('cgroup ')
          ? `cgroup: ${esc(v.cgroup, 400)}`
          : `cgroup: ${esc(v.cgroupLabel)} (${esc(v.cgroup, 400)})`,
      );
  }
  const top =
    oom.top.length > 0
      ? table(
          ['pid', 'task', 'rss', 'swap', 'oom_score_adj'],
          oom.top.map((c) => [
            String(c.pid),
            esc(c.name) + (v !== null && v.pid === c.pid ? ' (victim)' : ''),
            c.rssBytes !== null ? bytesText(c.rssBytes) : '?',
            c.swapBytes !== null ? bytesText(c.swapBytes) : '-',
            c.oomScoreAdj !== null ? String(c.oomScoreAdj) : '-',
          ]),
          ['r', 'l', 'r', 'r', 'r'],
        )
      : null;
  const sum =
    oom.sumRssBytes !== null && oom.table === 'printed'
      ? `All ${oom.tasks} tasks: ${bytesText(oom.sumRssBytes)} rss${oom.against !== null && oom.share !== null ? ` (${Math.round(oom.share * 100)} % of ${bytesText(oom.against.bytes)} ${oom.against.what})` : ''}${oom.sumSwapBytes !== null ? `, ${bytesText(oom.sumSwapBytes)} in swap` : ''}.`
      : null;
  const byName =
    oom.byName.length > 0
      ? `By name: ${oom.byName.map((g) => `${esc(g.name)} ×${g.tasks} ${bytesText(g.rssBytes)}`).join(', ')}.`
      : null;
  const shielded =
    oom.protectedCount > 0
      ? `oom_score_adj -1000 (never chosen, oom_badness skips them): ${oom.protectedCount} task${oom.protectedCount === 1 ? '' : 's'}${oom.protected.length > 0 ? ` — ${oom.protected.map((c) => `${esc(c.name)} (pid ${c.pid}) ${c.rssBytes !== null ? bytesText(c.rssBytes) : '?'}`).join(', ')}` : ''}.`
      : null;
  return paragraphs(
    `**${esc(oom.headline, 400)}**`,
    details.length > 0 ? details.join('  \n') : null,
    top !== null ? `Biggest by rss + swap + page tables (what oom_badness counts):\n\n${top}` : null,
    byName,
    sum,
    shielded,
    oom.swap !== null ? esc(swapText(oom.swap)) : null,
    ...oom.memcgStats.map((m) => esc(memcgStatsText(m), 600)),
    oom.missing.length > 0 ? `Missing: ${oom.missing.map((m) => esc(m, 600)).join('; ')}` : null,
  );
}

/** One row: its place and memory first, then how the OOM killer scored it, then the victim line. */
function rowHover(
  oom: OomAnalysis,
  { consumer: c, rank, of }: { consumer: OomConsumer; rank: number | null; of: number },
): string {
  const v = oom.victim;
  const isVictim = v !== null && v.pid === c.pid;
  const place = isVictim
    ? 'the victim'
    : rank === 1
      ? `the biggest of ${of} tasks`
      : rank !== null
        ? `number ${rank} of ${of} tasks by size`
        : `one of ${of} tasks`;
  const memory = [
    c.rssBytes !== null ? `${bytesText(c.rssBytes)} rss` : null,
    c.rssAnonBytes !== null
      ? `anon ${bytesText(c.rssAnonBytes)}, file ${bytesText(c.rssFileBytes ?? 0)}, shmem ${bytesText(c.rssShmemBytes ?? 0)}`
      : null,
    c.swapBytes !== null ? `${bytesText(c.swapBytes)} in swap` : null,
    c.pgtablesBytes !== null ? `${bytesText(c.pgtablesBytes)} of page tables` : null,
  ].filter((p): p is string => p !== null);
  const score =
    c.oomScoreAdj === -1000
      ? 'oom_score_adj -1000 (OOM_SCORE_ADJ_MIN): oom_badness skips it, the OOM killer never chooses it.'
      : c.points !== null
        ? `oom_score_adj ${c.oomScoreAdj}; oom_badness ${c.points} pages (derived from this row: rss + swapents + page tables${c.oomScoreAdj !== 0 ? ' + oom_score_adj × (totalpages / 1000)' : ''}, mm/oom_kill.c)${oom.totalPages !== null && oom.totalPages.pages > 0 ? ` ≈ score ${Math.floor((c.points * 1000) / oom.totalPages.pages)} of 1000` : ''}.`
        : c.oomScoreAdj !== null
          ? `oom_score_adj ${c.oomScoreAdj}.`
          : null;
  return paragraphs(
    `**${esc(c.name)} (pid ${c.pid}): ${place}${memory.length > 0 ? ` — ${memory.join(', ')}` : ''}**`,
    score,
    !isVictim ? esc(oom.headline, 400) : null,
    oom.missing.length > 0 ? `Missing: ${oom.missing.map((m) => esc(m, 600)).join('; ')}` : null,
  );
}
