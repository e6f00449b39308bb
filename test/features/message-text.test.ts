// Notifications show file names and error messages through messageText (the client) or breakLinks
// (the language server's window/showMessage): VS Code renders `[label](target)` in a notification
// as a link (command: targets too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakLinks, messageText } from '../../shared/message-text';

test('a file name shaped like a link stays text in a notification', () => {
  assert.equal(
    messageText('[Update now](command:workbench.action.terminal.new).log'),
    '[Update now] (command:workbench.action.terminal.new).log',
  );
  assert.equal(messageText('a]  (b'), 'a] (b');
  assert.equal(messageText('kern.log.1'), 'kern.log.1');
});

test('controls, separators and bidi overrides become spaces; long text is cut', () => {
  assert.equal(messageText('syslog\u202egol.exe\nsecond\u2028line\u0007'), 'syslog gol.exe second line ');
  const long = messageText('x'.repeat(500));
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
});

test("the server's messages keep their words and lose their links", () => {
  assert.equal(
    breakLinks('Kernel Log Lens: [Update](command:x).log: no such file or directory'),
    'Kernel Log Lens: [Update] (command:x).log: no such file or directory',
  );
  assert.equal(breakLinks('a [b] (c) d'), 'a [b] (c) d');
});
