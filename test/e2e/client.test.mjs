// The client's own surfaces as a user meets them (issue 14), read from the rendered page of real
// VS Code (code-server) with the packaged extension, in Debian's Chromium: the "Kernel Log Lens"
// output channel exists once the extension is active; the status bar item shows the report count
// on a log with a report and is gone on a clean log; a report pasted into an untitled Plain Text
// editor turns it into a Kernel Log editor and the status item appears without a change of tab.
// Every step polls with a deadline; failures leave a screenshot in test/e2e/.artifacts/client/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchChromium, openWorkbench } from './lib/browser.mjs';
import { quickOpen as openFile, stepper } from './lib/workbench.mjs';
import { copyFixtureWorkspace, scratchDir, startCodeServer } from './lib/code-server.mjs';
import { packageExtension } from './lib/extension.mjs';
import { artifactsDir, fixtureWorkspace } from './lib/paths.mjs';

const STEP_TIMEOUT_MS = 30_000;
const SEED = '000-seed.log';
const CLEAN = 'syslog'; // var/log/syslog: a boot log without any memory report
const shots = join(artifactsDir, 'client');

test(
  'real VS Code in Chromium: output channel, status bar, pasted report',
  { timeout: 300_000 },
  async (t) => {
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    const root = scratchDir('client');
    const vsix = packageExtension(root);
    const workspace = copyFixtureWorkspace(root);
    const server = await startCodeServer({ root, workspace, vsix: [vsix] });
    const browser = await launchChromium();
    t.after(async () => {
      await browser.close();
      await server.stop();
    });
    const { page, consoleErrors } = await openWorkbench(browser, server.url);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });

    const { step, failures } = stepper(t, page, consoleErrors, shots);

    const quickInput = page.locator('.quick-input-widget input');
    const quickOpen = (file) => openFile(page, file, STEP_TIMEOUT_MS);
    /** Runs the palette command named `label`: the row whose name starts with it (other rows may
     * hold the same words, "File: Compare New Untitled Text Files"). */
    async function runCommand(label) {
      await page.keyboard.press('Control+Shift+P');
      await quickInput.waitFor({ timeout: STEP_TIMEOUT_MS });
      await quickInput.fill(`>${label}`);
      const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${label}"]`).first();
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      await row.click();
    }
    const reportItem = page.locator('.statusbar-item', { hasText: /kernel memory reports?/ });
    const editor = page.locator('.part.editor .editor-instance .monaco-editor').first();

    await step('the "Kernel Log Lens" output channel exists once the extension is active', async () => {
      await quickOpen(CLEAN); // a kernel log by its name: activates the extension
      await page
        .locator('.statusbar-item', { hasText: 'Kernel Log' })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      await runCommand('Output: Show Output Channels...');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Kernel Log Lens' }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Escape');
    });

    await step('the status item counts the reports of a log and is gone on a clean log', async () => {
      await quickOpen(SEED);
      const item = reportItem.first();
      await item.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match(await item.innerText(), /^\s*1 kernel memory report\s*$/);
      await quickOpen(CLEAN);
      await reportItem.first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
      await page.screenshot({ path: join(shots, 'clean-log-no-status-item.png') });
    });

    await step(
      'the code in the Problems panel opens the bundled KLL001 page in the Markdown preview',
      async () => {
        await quickOpen(SEED);
        await page.keyboard.press('Control+Shift+M');
        const link = page.locator('.markers-panel a', { hasText: 'KLL001' }).first();
        await link.waitFor({ timeout: STEP_TIMEOUT_MS });
        assert.match(await link.getAttribute('href'), /^command:kernelLogLens\.openCodeDoc\?/);
        await link.click();
        await page.locator('.tab.active[aria-label*="KLL001.md"]').waitFor({ timeout: STEP_TIMEOUT_MS });
        const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        await preview
          .locator('h1', { hasText: 'KLL001 — Page allocation failure' })
          .waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.screenshot({ path: join(shots, 'code-page.png') });
        await page.keyboard.press('Control+J'); // close the panel
      },
    );

    await step(
      'a report pasted into an untitled Plain Text editor makes it a Kernel Log editor',
      async () => {
        await runCommand('File: New Untitled Text File');
        const tab = page.locator('.tab.active', { hasText: 'Untitled' });
        await tab.waitFor({ timeout: STEP_TIMEOUT_MS });
        await page
          .locator('.statusbar-item', { hasText: 'Plain Text' })
          .first()
          .waitFor({ timeout: STEP_TIMEOUT_MS });
        const quoted = readFileSync(join(fixtureWorkspace, SEED), 'utf8')
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
        await page.evaluate((text) => navigator.clipboard.writeText(text), quoted);
        await editor.locator('.view-lines').click();
        await page.keyboard.press('Control+V');
        await editor
          .locator('.view-line', { hasText: 'lowmem_reserve[]' })
          .first()
          .waitFor({ timeout: STEP_TIMEOUT_MS });
        // the language and the status item change in place: the same tab stays active
        await page
          .locator('.statusbar-item', { hasText: /^\s*Kernel Log\s*$/ })
          .first()
          .waitFor({ timeout: STEP_TIMEOUT_MS });
        await reportItem.first().waitFor({ timeout: STEP_TIMEOUT_MS });
        assert.match(await reportItem.first().innerText(), /^\s*1 kernel memory report\s*$/);
        assert.equal(await tab.count(), 1, 'the untitled editor is still the active tab');
        await page.screenshot({ path: join(shots, 'pasted-report.png') });
      },
    );

    if (failures() === 0) rmSync(root, { recursive: true, force: true });
  },
);
