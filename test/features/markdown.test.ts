import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown, kib, table } from '../../server/src/features/markdown';

test('a command link, HTML and backticks from the log are escaped to plain text', () => {
  const hostile =
    '[x](command:workbench.action.terminal.sendSequence?%7B%7D) <img src=x onerror=alert(1)> `code` **b** &amp;';
  const md = escapeMarkdown(hostile);
  assert.ok(!/(^|[^\\])\[/.test(md), 'every [ is escaped');
  assert.ok(!/(^|[^\\])</.test(md), 'every < is escaped');
  assert.ok(!/(^|[^\\])`/.test(md), 'every backtick is escaped');
  assert.ok(!/(^|[^\\])&/.test(md), 'entities are escaped');
  assert.equal(md.replace(/\\(.)/g, '$1'), hostile, 'unescaping gives the text back');
});

test('control characters, ANSI colours and line breaks cannot start a block', () => {
  assert.equal(escapeMarkdown('a\x1b[31mred\x1b[0m\x00b\n# h\r\n> q'), 'aredb \\# h \\> q');
  assert.equal(escapeMarkdown('x'.repeat(10), 5), 'xxxx…');
});

test('tables and sizes', () => {
  assert.equal(table(['a', 'b'], [['1', '2']], ['l', 'r']), '| a | b |\n| :--- | ---: |\n| 1 | 2 |');
  assert.equal(kib(128), '128 KiB');
  assert.equal(kib(12812), '12.5 MiB');
  assert.equal(kib(64 * 1024 * 1024), '64 GiB');
});
