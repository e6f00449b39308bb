// The linear-time checks' measure, shared by the test files that hold hostile inputs: no
// wall-clock threshold, only how the time grows with the input.

/** The process's CPU time (user + system, ms) for `f`: unlike the wall clock, it does not count
 * the time a loaded machine keeps the process waiting for a core. */
export function timed(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** Time(4N) / time(N), each the best of 5 runs taken in turns (so a collection or a busy
 * neighbour hits both): about 4 for linear work, 16 for quadratic. A ratio above 6 is measured
 * again, up to 3 rounds in all, and the lowest kept: a neighbour that steals the CPU during one
 * large run cannot make linear work look quadratic, while quadratic work stays near 16 in every
 * round. (The callers' thresholds are unchanged.) */
export function growth(make: (n: number) => string, n: number, work: (text: string) => void): number {
  let best = Infinity;
  for (let round = 0; round < 3 && best > 6; round++) best = Math.min(best, growthOnce(make, n, work));
  return best;
}

function growthOnce(make: (n: number) => string, n: number, work: (text: string) => void): number {
  const small = make(n);
  const large = make(4 * n);
  work(small); // warm up
  work(large);
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let i = 0; i < 5; i++) {
    bestSmall = Math.min(
      bestSmall,
      timed(() => work(small)),
    );
    bestLarge = Math.min(
      bestLarge,
      timed(() => work(large)),
    );
  }
  return bestLarge / bestSmall;
}
