// What the language server should answer for a document opened with `text` (version 1, default
// settings): the features computed in-process, as JSON-RPC would carry them. The LSP phase of the
// fuzz run compares the server's answers with these.
import { analyzeDocument } from '../../server/src/features/document';
import { diagnostics } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/document-symbols';
import { foldingRanges } from '../../server/src/features/folding-ranges';
import { documentStatus, sysctlSuggestions } from '../../server/src/features/status';
import { DEFAULT_SETTINGS } from '../../server/src/features/settings';

export interface FeatureAnswers {
  /** JSON text of each answer (JSON.stringify: what the wire carries, NaN as null …). */
  diagnostics: string;
  symbols: string;
  folding: string;
  status: string;
  sysctlConf: string;
  sysctlCommands: string;
  /** An exception, when the features threw (the in-process phase reports it). */
  error?: string;
}

export function featureAnswers(text: string, uri: string): FeatureAnswers {
  try {
    const doc = analyzeDocument(uri, 1, text, { kernelRelease: DEFAULT_SETTINGS.kernelRelease });
    return {
      diagnostics: JSON.stringify(diagnostics(doc, DEFAULT_SETTINGS)),
      symbols: JSON.stringify(documentSymbols(doc)),
      folding: JSON.stringify(foldingRanges(doc)),
      status: JSON.stringify(documentStatus(doc)),
      sysctlConf: JSON.stringify(sysctlSuggestions(doc, 'conf')),
      sysctlCommands: JSON.stringify(sysctlSuggestions(doc, 'commands')),
    };
  } catch (error) {
    const e = { diagnostics: '', symbols: '', folding: '', status: '', sysctlConf: '', sysctlCommands: '' };
    return { ...e, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
