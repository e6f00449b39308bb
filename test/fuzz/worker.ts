// The sandbox's worker thread: checks one input at a time (properties.ts) and answers with the
// violations and timings, or computes the features' answers for one text (what the language
// server should send for it). The main thread terminates it when an input takes too long.
import { parentPort } from 'node:worker_threads';
import { checkInput, type CheckOptions, type CheckResult } from './properties';
import { featureAnswers, type FeatureAnswers } from './feature-answers';

export type WorkerRequest =
  | ({ id: number; kind: 'check'; text: string } & CheckOptions)
  | { id: number; kind: 'features'; text: string; uri: string }
  | { id: number; kind: 'spin' };

/** Never returns: how the sandbox's own test makes a hang that does not depend on a product bug. */
function spinForTest(): never {
  for (let n = 0; ; n = (n + 1) | 0);
}

export type WorkerAnswer = { id: number; result: CheckResult } | { id: number; features: FeatureAnswers };

parentPort!.on('message', (request: WorkerRequest) => {
  let answer: WorkerAnswer;
  if (request.kind === 'spin') spinForTest();
  if (request.kind === 'features')
    answer = { id: request.id, features: featureAnswers(request.text, request.uri) };
  else {
    const { id, text, positions, kernelRelease, determinism, interleaved } = request;
    answer = { id, result: checkInput(text, { positions, kernelRelease, determinism, interleaved }) };
  }
  parentPort!.postMessage(answer);
});
