// The language chosen for the names kernel logs have.
import * as assert from 'node:assert/strict';
import { LANGUAGE_ID, openFixture } from './util';

describe('language id', () => {
  it('`messages` is a kernel log', async () => {
    assert.equal((await openFixture('var/log/messages')).languageId, LANGUAGE_ID);
  });

  it('`kern.log` is a kernel log', async () => {
    assert.equal((await openFixture('var/log/kern.log')).languageId, LANGUAGE_ID);
  });

  // `.log` stays VS Code's own `log` language: the kernel grammar is injected into it and the
  // server serves `log` documents too (the diagnostics and hovers tests run on this very file).
  it('a `.log` file keeps the built-in `log` language', async () => {
    assert.equal((await openFixture('000-seed.log')).languageId, 'log');
  });
});
