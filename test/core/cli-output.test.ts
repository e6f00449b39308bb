// The CLI's Output waits for a slow reader between input chunks (`drained`). A `drain` that came
// while klens awaited something else (the scan worker's next batch) must not be waited for again:
// it never comes, and klens stopped there with its output cut and exit status 0 (found when
// `KLENS_WORKER=always` over several files through a pipe cut the JSON in 3 runs of 15).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Output } from '../../server/src/cli/output';

/** A stream that takes each write a turn later, holding at most `highWaterMark` bytes. */
function slowStream(): { stream: Writable; written: () => string } {
  let text = '';
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      setImmediate(done);
    },
  });
  return { stream, written: () => text };
}

/** `promise`, or a rejection after `ms` (a wait that never ends fails the test, not the run). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);
}

test('a drain that came while the caller awaited something else is not waited for again', async () => {
  const { stream, written } = slowStream();
  const out = new Output(stream);
  const big = 'x'.repeat(70_000); // over the flush size: written at once, over the stream's mark
  out.write(big);
  assert.equal(stream.writableNeedDrain, true);
  // the caller awaits something else meanwhile; the stream drains
  await new Promise((resolve) => stream.once('drain', resolve));
  await within(out.drained(), 2000);
  out.write('end');
  await within(out.end(), 2000);
  assert.equal(written(), `${big}end`);
});

test('a stream still full is waited for, then taken whole', async () => {
  const { stream, written } = slowStream();
  const out = new Output(stream);
  out.write('y'.repeat(70_000));
  assert.equal(stream.writableNeedDrain, true);
  await within(out.drained(), 2000);
  assert.equal(stream.writableNeedDrain, false);
  await within(out.end(), 2000);
  assert.equal(written().length, 70_000);
});
