#!/usr/bin/env node
// The do-nothing peer of bench/lsp.mjs: a language server on the same library as klens'
// (vscode-languageserver, incremental text sync, TextDocuments applying every edit) that analyses
// nothing and answers every diagnostics pull (or, for a push client, publishes after every opened or
// changed version) with an empty list. Whatever
// klens costs beyond this is its own analysis; the protocol, the JSON parsing of a 50 MB didOpen
// and the text bookkeeping are paid by both.
'use strict';
const {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let pull = false;
connection.onInitialize((params) => {
  pull = params.capabilities.textDocument?.diagnostic !== undefined;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
    },
  };
});

connection.languages.diagnostics.on(() => ({ kind: 'full', items: [] }));

documents.onDidChangeContent(({ document }) => {
  if (!pull)
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
