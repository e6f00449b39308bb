// The logical lines of a text as the parser reads them (LineAssembler: framing removed, wrapped
// pieces rejoined), for tests that check a framing or a rejoin line by line.
import { LineAssembler, type AssembledLine } from '../../server/src/core/lines';

export function logical(text: string): AssembledLine[] {
  const out: AssembledLine[] = [];
  const assembler = new LineAssembler((l) => out.push(l));
  for (const line of text.split('\n')) assembler.push(line);
  assembler.flush();
  return out;
}
