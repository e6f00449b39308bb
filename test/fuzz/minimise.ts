// Text-level minimisation of a failing input (after fast-check has shrunk its mutations): delta
// debugging over lines, then over ever smaller runs of characters, keeping every step that still
// shows the same failure class. Bounded by a number of evaluations (and optionally a deadline).

export interface MinimiseLimits {
  maxEvaluations: number;
  /** performance.now() after which no further evaluation starts. */
  deadline?: number;
}

export async function minimiseText(
  text: string,
  stillFails: (candidate: string) => Promise<boolean>,
  limits: MinimiseLimits,
): Promise<{ text: string; evaluations: number }> {
  let evaluations = 0;
  const budgetLeft = (): boolean =>
    evaluations < limits.maxEvaluations &&
    (limits.deadline === undefined || performance.now() < limits.deadline);
  const test = async (candidate: string): Promise<boolean> => {
    evaluations++;
    return stillFails(candidate);
  };

  // 1. Lines (each keeps its terminator), ddmin-style: remove chunks, halving their size.
  let units = text.split(/(?<=\n)/);
  units = await removeChunks(units, test, budgetLeft);
  // 2. Characters: runs of 64, 16, 4 and 1 (a lone `\r` or one digit too many matters).
  let chars = Array.from(units.join(''));
  for (const size of [64, 16, 4, 1]) {
    if (!budgetLeft()) break;
    chars = await removeRuns(chars, size, test, budgetLeft);
  }
  return { text: chars.join(''), evaluations };
}

async function removeChunks(
  units: string[],
  test: (candidate: string) => Promise<boolean>,
  budgetLeft: () => boolean,
): Promise<string[]> {
  let chunk = Math.max(1, units.length >> 1);
  while (chunk >= 1 && units.length > 1 && budgetLeft()) {
    let removed = false;
    for (let start = 0; start < units.length && budgetLeft();) {
      const candidate = [...units.slice(0, start), ...units.slice(start + chunk)];
      if (candidate.length > 0 && (await test(candidate.join('')))) {
        units = candidate;
        removed = true;
      } else start += chunk;
    }
    if (!removed) chunk >>= 1;
    else chunk = Math.min(chunk, Math.max(1, units.length >> 1));
  }
  return units;
}

async function removeRuns(
  chars: string[],
  size: number,
  test: (candidate: string) => Promise<boolean>,
  budgetLeft: () => boolean,
): Promise<string[]> {
  for (let start = 0; start < chars.length && budgetLeft();) {
    const candidate = [...chars.slice(0, start), ...chars.slice(start + size)];
    if (candidate.length > 0 && (await test(candidate.join('')))) chars = candidate;
    else start += size;
  }
  return chars;
}

/** A JavaScript (and JSON) string literal of `text`, ASCII only: controls, separators and
 * non-ASCII as \u escapes. */
export function jsLiteral(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
