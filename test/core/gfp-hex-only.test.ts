// From the hex alone: on every annotated report whose kernel printed the GFP names, the names are
// taken as unknown and the mask decoded with the era the rest of the report gives; the
// decode must reproduce what the kernel printed on at least 95 % of them (the names are the
// kernel's own %pGg output, include/trace/events/mmflags.h, so they are the reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { parseLog } from '../../server/src/core/parse';
import { gfpEraHints } from '../../server/src/core/explain';
import { decodeGfpMask, guessGfpEra, parseGfpRaw } from '../../server/src/core/gfp';
import { parseKernelRelease } from '../../server/src/core/kernel-version';
import { FIXTURE_DIRS } from './fixture-files';

interface IndexEvent {
  header_line: number;
  mode_raw: string | null;
  mode_names: string | null;
}

test('GFP masks decode from the hex alone to the names the kernel printed (≥ 95 %)', () => {
  const misses: string[] = [];
  let total = 0;
  for (const dir of FIXTURE_DIRS) {
    const index = JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as {
      file: string;
      events: IndexEvent[];
    }[];
    for (const entry of index) {
      const parsed = parseLog(readFileSync(join(dir, entry.file), 'utf8'));
      const analysed = analyzeText(readFileSync(join(dir, entry.file), 'utf8')).reports;
      for (const e of entry.events) {
        if (!e.mode_names || !e.mode_raw || e.mode_raw.includes('*')) continue;
        const i = parsed.reports.findIndex((r) => r.line === e.header_line - 1);
        if (i < 0) continue; // parse-corpus.test.ts fails on a missed report
        total++;
        const report = parsed.reports[i];
        // the era as the analysis decided it (release, host fallback or shape), the names unknown
        const release = analysed[i].era.release;
        const mask = parseGfpRaw(e.mode_raw);
        const hints = gfpEraHints(report, mask, release ? parseKernelRelease(release) : null);
        const guess = guessGfpEra({ ...hints, printedNames: undefined });
        const decoded = mask === null ? '(unreadable)' : decodeGfpMask(mask, guess.era).text;
        if (decoded !== e.mode_names)
          misses.push(
            `${entry.file}:${e.header_line} ${e.mode_raw}: printed ${e.mode_names}, decoded ${decoded} (${guess.reason})`,
          );
      }
    }
  }
  assert.ok(total >= 50, `${total} reports with printed names`);
  const rate = (total - misses.length) / total;
  assert.ok(rate >= 0.95, `${(rate * 100).toFixed(1)} % of ${total}:\n${misses.join('\n')}`);
  console.log(
    `hex-only decode: ${total - misses.length}/${total}${misses.length ? `\n${misses.join('\n')}` : ''}`,
  );
});
