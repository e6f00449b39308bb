// The linear-time checks' measure, shared by the test files that hold hostile inputs: no
// wall-clock threshold, only how the time grows with the input.

export function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** Time(4N) / time(N), each the best of 5 runs taken in turns (so a collection or a busy
 * neighbour hits both): about 4 for linear work, 16 for quadratic. */
export function growth(make: (n: number) => string, n: number, work: (text: string) => void): number {
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
