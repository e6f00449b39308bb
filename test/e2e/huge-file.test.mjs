// A log over VS Code's 50 MB limit for extensions (issue #15), as a user meets it: code-server
// with the packaged extension, in Debian's Chromium. VS Code hands the extension no document for
// it; the client sees the editor tab, the server reads the file from disk, and its reports are
// listed in the Problems panel with a notification saying why. The 60 MB log is a real report
// (000-seed.log) repeated among ordinary syslog lines, written into the scratch workspace.
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchChromium, openWorkbench } from './lib/browser.mjs';
import { quickOpen, stepper } from './lib/workbench.mjs';
import { copyFixtureWorkspace, scratchDir, startCodeServer } from './lib/code-server.mjs';
import { packageExtension } from './lib/extension.mjs';
import { artifactsDir, repoRoot } from './lib/paths.mjs';

const STEP_TIMEOUT_MS = 60_000;
const LOG = 'syslog.1'; // a name the kernel-log language claims (syslog.[0-9]*)
const REPORTS = 40;
/** Noise lines before each report (~90 bytes each): 40 reports in ~60 MB. */
const NOISE_PER_REPORT = Math.ceil((60 << 20) / REPORTS / 90);
const shots = join(artifactsDir, 'huge-file');

const plain = (text) => text.replace(/\u00a0/g, ' ');

/** REPORTS copies of the seed report spread over ~60 MB of other daemons' lines. */
function writeHugeLog(file) {
  const seed = readFileSync(join(repoRoot, 'test', 'fixtures', 'corpus', '000-seed.log'), 'utf8');
  const fd = openSync(file, 'w');
  try {
    for (let r = 0, n = 0; r < REPORTS; r++) {
      let noise = '';
      for (let i = 0; i < NOISE_PER_REPORT; i++, n++)
        noise += `Apr 28 05:30:51 cztest systemd[1]: Started Session ${n} of user root (unit session-${n}.scope).\n`;
      writeSync(fd, noise);
      writeSync(fd, seed);
    }
  } finally {
    closeSync(fd);
  }
  return statSync(file).size;
}

test(
  'a 60 MB log in code-server: read from disk, its reports in the Problems panel',
  { timeout: 300_000 },
  async (t) => {
    mkdirSync(shots, { recursive: true });
    const root = scratchDir('huge');
    const vsix = packageExtension(root);
    const workspace = copyFixtureWorkspace(root);
    const bytes = writeHugeLog(join(workspace, LOG));
    assert.ok(bytes > 50 << 20, `${bytes} bytes: over VS Code's limit`);
    const server = await startCodeServer({
      root,
      workspace,
      vsix: [vsix],
      settings: { 'editor.minimap.enabled': false },
    });
    const browser = await launchChromium();
    t.after(async () => {
      await browser.close();
      await server.stop();
    });
    const { page, consoleErrors } = await openWorkbench(browser, server.url);
    const { step } = stepper(t, page, consoleErrors, shots);

    await step('opens the 60 MB log in an editor tab', () => quickOpen(page, LOG, STEP_TIMEOUT_MS));

    await step('a notification says why it was read from disk', async () => {
      const mb = Math.round(bytes / (1 << 20));
      const toast = page
        .locator('.notification-toast, .notifications-center', { hasText: 'analysed from disk' })
        .first();
      await toast.waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = plain(await toast.innerText());
      assert.match(
        text,
        new RegExp(
          `${LOG.replace('.', '\\.')} is ${mb} MB, over VS Code's 50 MB limit for extensions: analysed from disk`,
        ),
      );
      assert.match(text, new RegExp(`${REPORTS} memory reports`));
      await page.screenshot({ path: join(shots, 'notification.png') });
    });

    await step("lists the log's reports in the Problems panel", async () => {
      await page.keyboard.press('Control+Shift+M');
      const fileRow = page.locator('.markers-panel .monaco-list-row', { hasText: LOG }).first();
      await fileRow.waitFor({ timeout: STEP_TIMEOUT_MS });
      const row = page
        .locator('.markers-panel .monaco-list-row', { hasText: 'order-5 GFP_ATOMIC failed' })
        .first();
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = plain(await row.innerText());
      assert.match(text, new RegExp(`\\(${REPORTS} identical reports`), text);
      // on the first report's header (after the syslog prefix), after the noise lines before it
      assert.match(text, new RegExp(`\\[Ln ${NOISE_PER_REPORT + 1}, Col 32\\]`), text);
      await page.screenshot({ path: join(shots, 'problems.png') });
    });

    await step("'Analyze Log File…' on a folder from the explorer's context menu", async () => {
      const row = (name) =>
        page
          .locator('.explorer-folders-view .monaco-list-row')
          .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
          .first();
      await row('var').click();
      await row('log').waitFor({ timeout: STEP_TIMEOUT_MS });
      await row('log').click({ button: 'right' });
      // the menu runs an item on Enter once the pointer has selected it
      const item = page.locator('.context-view .action-label', { hasText: 'Analyze Log File…' }).first();
      await item.hover({ timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Enter');
      const toast = page
        // kern.log and messages hold a report each; syslog is the workspace's clean log
        .locator('.notification-toast', { hasText: 'read 3 kernel logs in log from disk' })
        .first();
      await toast.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match(plain(await toast.innerText()), /2 memory reports \(see the Problems panel\)/);
      // each file's reports under its own file: the OOM kill of messages, then every file's row
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: 'OOM kill: memory exhausted; killed mysqld' })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.panel .codicon-collapse-all').first().click();
      for (const file of ['kern.log', 'messages', LOG])
        await page
          .locator('.markers-panel .monaco-list-row', { hasText: file })
          .first()
          .waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.screenshot({ path: join(shots, 'folder.png') });
    });
  },
);
