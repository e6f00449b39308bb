// Builds the analysed document a feature receives, from text with or without a `‸` cursor.
import { analyzeDocument, type LogDocument } from '../../server/src/features/document';
import { CURSOR, withCursor } from './cursor';

export const URI = 'file:///ws/logs/messages';

export function docOf(text: string, kernelRelease = ''): LogDocument {
  return analyzeDocument(URI, 1, text, { kernelRelease });
}

/** `sample` with a `‸` inserted just before `needle` (+ `delta`), analysed, and the cursor. */
export function at(sample: string, needle: string, delta = 0) {
  const i = sample.indexOf(needle);
  if (i < 0) throw new Error(`not in the sample: ${needle}`);
  const { text, position } = withCursor(sample.slice(0, i + delta) + CURSOR + sample.slice(i + delta));
  return { doc: docOf(text), position };
}
