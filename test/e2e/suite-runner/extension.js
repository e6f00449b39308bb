// Runs the compiled VS Code suite (test/vscode, copied into ./suite by ../vscode-suite.test.mjs)
// inside code-server's extension host, and writes its mocha result, after every test, to the file
// named in ./result-path.txt. `require('vscode')` in the suite resolves to the API given to the
// extension whose folder holds the file: this one. The suite itself is not changed in any way, and
// this runner does not depend on the extension under test: the suite activates and checks it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function activate() {
  const resultFile = fs.readFileSync(path.join(__dirname, 'result-path.txt'), 'utf8').trim();
  const write = (result) => {
    fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(result, null, 2));
    fs.renameSync(`${resultFile}.tmp`, resultFile);
  };
  // Not awaited: activation returns while the suite opens editors and waits for the server.
  Promise.resolve()
    .then(() => require('./suite/index.js').runSuite('spec', write))
    .catch((error) =>
      write({
        done: true,
        passed: 0,
        failed: 1,
        pending: 0,
        tests: [{ title: 'loading the suite', state: 'failed', error: String(error?.stack ?? error) }],
      }),
    );
}

module.exports = { activate, deactivate() {} };
