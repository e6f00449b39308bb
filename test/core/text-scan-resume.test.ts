// The premise of reading an edit in a window (core/report-window.ts): a TextScan resumed at the
// first line of a stretch the whole reading skipped, with the banner release it carried there,
// reads the rest of the text as the whole reading does (the same reports, suppressions, stretches
// and carried states), when the whole reading carried no rate-limiter count into that stretch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TextScan, type SkipState } from '../../server/src/core/parse';
import { allFixtureFiles } from './fixture-files';

/** Daemon lines around the fixtures, so that there are stretches to resume at. */
function noise(lines: number, tag: string): string {
  return Array.from(
    { length: lines },
    (_, i) => `Mar 18 10:00:${String(i % 60).padStart(2, '0')} ${tag} cron[1]: tick ${i}`,
  ).join('\n');
}

const plain = (s: SkipState) => ({ ...s, framings: [...s.framings] });

test('a TextScan resumed at a skipped stretch reads the rest as the whole reading does, on every fixture', () => {
  let resumed = 0;
  for (const path of allFixtureFiles()) {
    const text = [
      noise(80, 'a'),
      readFileSync(path, 'utf8'),
      noise(80, 'b'),
      readFileSync(path, 'utf8'),
      noise(80, 'c'),
    ].join('\n');
    const whole = new TextScan(text);
    whole.run(() => false);
    const parsed = whole.finish();
    const stretches = whole.skipped.length >> 1;
    assert.equal(whole.skipStates.length, stretches + 1, `${path}: one state per stretch and the end's`);
    // line starts, as TextScan ends lines (\n, \r\n, a lone \r)
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    for (let k = 0; k < stretches; k++) {
      const state = whole.skipStates[k];
      if (state.pendingSuppressed !== 0 || state.pendingSuppressedBy !== null) continue;
      const line = whole.skipped[2 * k];
      const scan = new TextScan(text.slice(starts[line]), true, { line, kernelRelease: state.kernelRelease });
      scan.run(() => false);
      const part = scan.finish();
      const where = `${path} from line ${line}`;
      assert.deepStrictEqual(
        part.reports,
        parsed.reports.filter((r) => r.line >= line),
        `reports ${where}`,
      );
      assert.deepStrictEqual(
        part.suppressions,
        parsed.suppressions.filter((s) => s.line >= line),
        `suppressions ${where}`,
      );
      assert.deepEqual(scan.skipped, whole.skipped.slice(2 * k), `stretches ${where}`);
      assert.equal(part.lineCount, parsed.lineCount, `line count ${where}`);
      assert.equal(part.kernelRelease, parsed.kernelRelease, `release ${where}`);
      // the states: the same release and count, the framings counted from the resumed line
      const states = whole.skipStates.slice(k).map((s) => {
        const framings = new Map(s.framings);
        for (const [f, n] of state.framings) framings.set(f, framings.get(f)! - n);
        for (const [f, n] of framings) if (n === 0) framings.delete(f);
        return { ...s, framings };
      });
      assert.deepStrictEqual(
        scan.skipStates.map((s) => ({ ...plain(s), framings: plain(s).framings.sort() })),
        states.map((s) => ({ ...plain(s), framings: plain(s).framings.sort() })),
        `states ${where}`,
      );
      resumed++;
    }
  }
  assert.ok(resumed > 100, `only ${resumed} resumed readings`);
});
