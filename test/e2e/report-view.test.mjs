// "Kernel Log Lens: Show Report" as a user meets it (issue 19): real VS Code (code-server) with the
// packaged extension, in Debian's Chromium. The status bar item opens the view beside a real
// fragmentation report (corpus 002); its timeline, zone gauges, buddy free lists and replayed
// watermark check are read from inside the webview's iframe with their labels; dark and light
// screenshots are taken (KLENS_UPDATE_SCREENSHOTS=1 writes them to docs/ for the README); on a log
// of eleven reports (corpus 004) a click on a timeline point, and Enter on a point reached by the
// arrow keys, move the editor's cursor to that report's header; a constructed hostile log (HTML
// and <script> in the host, the comm and the GFP names) shown through the CodeLens renders inert.
// Every step polls with a deadline; failures leave a screenshot in test/e2e/.artifacts/report-view/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchChromium, openWorkbench } from './lib/browser.mjs';
import { quickOpen as openFile, stepper } from './lib/workbench.mjs';
import { copyFixtureWorkspace, scratchDir, startCodeServer } from './lib/code-server.mjs';
import { packageExtension } from './lib/extension.mjs';
import { artifactsDir, repoRoot } from './lib/paths.mjs';

const STEP_TIMEOUT_MS = 30_000;
const WIDTH = 1400;
const HEIGHT = 900;
const FRAGMENTED = 'fragmentation-002.log';
const ELEVEN = 'slub-flood-004.log';
const HOSTILE = 'hostile.log';
const shots = join(artifactsDir, 'report-view');
const updateDocs = process.env.KLENS_UPDATE_SCREENSHOTS === '1';
const corpus = (name) => join(repoRoot, 'test', 'fixtures', 'corpus', name);

// Constructed, not a real log: the seed (000-seed.log) with markup put where a log's own text goes
// — the syslog host, the task's comm (warn_alloc's `%s: page allocation failure` in 3.x
// mm/page_alloc.c, and `comm: %s` of dump_stack's task line) and the GFP names that 4.x+ warn_alloc
// prints in `mode:%#x(%pGg)`. The view must show each as text.
const HOST = '<svg/onload=alert(1)>';
const COMM = '<img src=x onerror=alert(2)>';
const GFP = 'GFP_ATOMIC|<script>document.title=3</script>';
function hostileLog() {
  return readFileSync(corpus('000-seed.log'), 'utf8')
    .split('cztest')
    .join(HOST)
    .split('database')
    .join(HOST)
    .replace(
      'swapper/13: page allocation failure: order:5, mode:0x4020 ',
      `${COMM}: page allocation failure: order:5, mode:0x4020(${GFP})`,
    )
    .replace('comm: swapper/13 Not', `comm: ${COMM} Not`);
}

test('real VS Code in Chromium: the report view', { timeout: 400_000 }, async (t) => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const root = scratchDir('report-view');
  const vsix = packageExtension(root);
  const workspace = copyFixtureWorkspace(root);
  copyFileSync(corpus('002-syslog-wrapped-5.13-webcontent.log'), join(workspace, FRAGMENTED));
  copyFileSync(corpus('004-bare-slub-interleaved-iommu-iova.log'), join(workspace, ELEVEN));
  writeFileSync(join(workspace, HOSTILE), hostileLog());
  const server = await startCodeServer({
    root,
    workspace,
    vsix: [vsix],
    settings: {
      // the hostile log is opened through its CodeLens (off by default, see package.json)
      'kernelLogLens.showReportCodeLens': true,
      'editor.minimap.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
      // the files' names do not say kernel log: give them the language, as a user would
      'files.associations': { '*.log': 'kernel-log' },
    },
  });
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await server.stop();
  });
  const { page, consoleErrors } = await openWorkbench(browser, server.url, { width: WIDTH, height: HEIGHT });
  const { step, failures } = stepper(t, page, consoleErrors, shots);
  const quickOpen = (file) => openFile(page, file, STEP_TIMEOUT_MS);
  const quickInput = page.locator('.quick-input-widget input');
  async function runCommand(label) {
    await page.keyboard.press('Control+Shift+P');
    await quickInput.waitFor({ timeout: STEP_TIMEOUT_MS });
    await quickInput.fill(`>${label}`);
    const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${label}"]`).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    await row.click();
  }
  /** The report view's document, inside the webview's two iframes. */
  const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const statusItem = page.locator('.statusbar-item', { hasText: /kernel memory reports?/ }).first();
  const cursorAt = (line) =>
    page
      .locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` })
      .first()
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  const shoot = async (name) => {
    await page.screenshot({ path: join(shots, `${name}.png`) });
    if (updateDocs) await page.screenshot({ path: join(repoRoot, 'docs', `${name}.png`) });
  };

  await step('the status bar item opens the view beside the log', async () => {
    await quickOpen(FRAGMENTED);
    await statusItem.waitFor({ timeout: STEP_TIMEOUT_MS });
    await statusItem.click();
    await page.locator('.tab', { hasText: `Report: ${FRAGMENTED}` }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // beside: two editor groups, the log's and the view's
    assert.equal(await page.locator('.part.editor .editor-group-container').count(), 2);
    await view
      .locator('h1', { hasText: `Kernel Log Lens — ${FRAGMENTED}` })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  await step('the timeline: one point with its label, lanes, the suppressed count', async () => {
    assert.equal(
      await view.locator('#file-summary').innerText(),
      "1 report; 4 reports suppressed by the kernel's rate limit (callbacks suppressed).",
    );
    await view.locator('#timeline h2', { hasText: 'Timeline' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const points = view.locator('#timeline button.point');
    assert.equal(await points.count(), 1);
    assert.equal(
      await points.first().getAttribute('aria-label'),
      'Line 6, knalp3 Sep  9 15:12:41: page allocation failure by Web Content, order 7 — likely fragmentation; 2 suppressed before it',
    );
    assert.equal(await points.first().getAttribute('aria-pressed'), 'true');
    assert.equal(await points.first().getAttribute('tabindex'), '0');
    assert.equal(
      await view.locator('.lanes li').first().innerText(),
      'knalp3 · page allocation failure: 1 report, 2 suppressed',
    );
    for (const id of ['zoom-in', 'zoom-out', 'zoom-reset'])
      assert.equal(await view.locator(`#${id}`).count(), 1, `#${id}`);
    assert.ok((await view.locator('#timeline canvas').count()) >= 1, 'uPlot drew the axes');
  });

  await step('the verdict and actions on top, the zones, the free lists, the check', async () => {
    assert.equal(await view.locator('#verdict h2').innerText(), 'Report at line 6: page allocation failure');
    assert.equal(await view.locator('#verdict-short').innerText(), 'likely fragmentation');
    assert.ok((await view.locator('#actions ol.actions > li').count()) >= 1, 'recommended actions listed');
    assert.deepEqual(await view.locator('#zones .zone-label').allInnerTexts(), ['DMA', 'DMA32', 'Normal']);
    assert.match(
      await view.locator('#zones .gauge').nth(1).getAttribute('aria-label'),
      /^DMA32: free 118884 kB > high 9876 kB; check: fail; lowmem_reserve left for this request 116,592 kB; not counted 508 kB$/,
    );
    assert.deepEqual(await view.locator('#buddy h3').allInnerTexts(), [
      'Node 0 DMA — a usable block of order 8 is free; largest free block order 10 (4096 kB); 11264 kB free in blocks ≥ 512 kB',
      'Node 0 DMA32 — a usable block of order 7 is free; largest free block order 10 (4096 kB); 40448 kB free in blocks ≥ 512 kB',
      'Node 0 Normal — no free block ≥ order 7 on a list it may use (U/M/E/H); largest free block order 6 (256 kB); 0 kB free in blocks ≥ 512 kB',
    ]);
    assert.equal(
      (await view.locator('#buddy .buddy-chart canvas').count()) >= 3,
      true,
      'three uPlot histograms',
    );
    const normalRequested = view.locator('#buddy .buddy').nth(2).locator('tr.requested');
    assert.equal(await normalRequested.locator('th').innerText(), '7 (requested)');
    assert.deepEqual(
      (
        await view.locator('#buddy .buddy').nth(2).locator('tbody tr').nth(6).locator('td').allInnerTexts()
      ).map((s) => s.replace(/\s+/g, '')),
      ['256kB', '78', '19,968', 'UM'],
    );
    assert.equal(await view.locator('#check h2').innerText(), 'Watermark check replayed (min watermark)');
    const rows = view.locator('#check tbody tr');
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await rows.nth(2).locator('th, td').allInnerTexts(), [
      'Normal',
      '83,805',
      '127',
      '6,051',
      '0',
      'passes',
      'no free block ≥ order 7 on a list it may use (U/M/E/H); largest free block order 6 (256 kB); 0 kB free in blocks ≥ 512 kB',
      'fail',
    ]);
  });

  await step('dark and light screenshots', async () => {
    await view.locator('body.vscode-dark').waitFor({ timeout: STEP_TIMEOUT_MS });
    // the README's pictures: the side bar closed and a taller window, so the view shows the
    // timeline, the verdict, the actions and the zones at once
    await page.keyboard.press('Control+B');
    await page.setViewportSize({ width: WIDTH, height: 1500 });
    await view.locator('#zones .gauge').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await shoot('report-view-dark');
    await runCommand('Preferences: Color Theme');
    await quickInput.fill('Default Light Modern');
    const light = page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Default Light Modern' })
      .first();
    await light.waitFor({ timeout: STEP_TIMEOUT_MS });
    await light.click();
    await view.locator('body.vscode-light').waitFor({ timeout: STEP_TIMEOUT_MS });
    // redrawn with the light theme's colours
    await view.locator('#zones .gauge').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await shoot('report-view-light');
    // high contrast: the same view with the theme's contrast borders (an artifact, not for docs/)
    await runCommand('Preferences: Color Theme');
    await quickInput.fill('Default High Contrast');
    const contrast = page
      .locator('.quick-input-list .monaco-list-row', {
        hasText: /^Default High Contrast$|Dark High Contrast/,
      })
      .first();
    await contrast.waitFor({ timeout: STEP_TIMEOUT_MS });
    await contrast.click();
    await view.locator('body.vscode-high-contrast').waitFor({ timeout: STEP_TIMEOUT_MS });
    await view.locator('#zones .gauge').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.notEqual(
      await view
        .locator('#zones .gauge')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopColor),
      'rgba(0, 0, 0, 0)',
      'the gauges have the contrast border',
    );
    const code = await view
      .locator('#verdict code')
      .evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    assert.notEqual(code[0], code[1], `the headline is readable (colour ${code[0]} on ${code[1]})`);
    await page.screenshot({ path: join(shots, 'report-view-high-contrast.png') });
    await runCommand('Preferences: Color Theme');
    await quickInput.fill('Default Light Modern');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Default Light Modern' })
      .first()
      .click();
    await view.locator('body.vscode-light').waitFor({ timeout: STEP_TIMEOUT_MS });
    // the free lists of the zone that failed by fragmentation, with the requested order marked
    const normal = view.locator('#buddy .buddy').nth(2);
    await normal.scrollIntoViewIfNeeded();
    await normal.screenshot({ path: join(shots, 'report-view-buddy.png') });
    if (updateDocs) await normal.screenshot({ path: join(repoRoot, 'docs', 'report-view-buddy.png') });
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    await page.keyboard.press('Control+B');
  });

  await step('a click on a timeline point moves the editor to that report', async () => {
    await quickOpen(ELEVEN);
    await runCommand('Kernel Log Lens: Show Report');
    await view.locator('h1', { hasText: ELEVEN }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const points = view.locator('#timeline button.point');
    assert.equal(await points.count(), 11);
    const lanes = await view.locator('.lanes li').allInnerTexts();
    assert.deepEqual(lanes, [
      'no host · SLUB allocation failure: 10 reports, 66 suppressed',
      'no host · page allocation failure: 1 report, 96 suppressed',
    ]);
    // zoom: the buttons narrow the axis around the selected report; reset shows all again
    const visiblePoints = view.locator('#timeline button.point:not([hidden])');
    await view.locator('#zoom-in').click();
    await view.locator('#zoom-in').click();
    assert.deepEqual(
      await visiblePoints.evaluateAll((els) => els.map((el) => el.dataset.line)),
      ['10', '15'],
      'lines 10 and 15 left in view around the first report',
    );
    await view.locator('#zoom-reset').click();
    assert.equal(await visiblePoints.count(), 11);
    const failure = view.locator('#timeline button.point[data-index="9"]');
    assert.match(await failure.getAttribute('aria-label'), /^Line 57: page allocation failure/);
    await failure.click();
    await cursorAt(57);
    await view.locator('#verdict h2', { hasText: 'Report at line 57: page allocation failure' }).waitFor({
      timeout: STEP_TIMEOUT_MS,
    });
    assert.equal(
      await view.locator('#timeline button.point[data-index="9"]').getAttribute('aria-pressed'),
      'true',
    );
    await page.screenshot({ path: join(shots, 'clicked-point.png') });
  });

  await step('keyboard: Tab reaches the points, arrow keys move between them, Enter selects', async () => {
    const selected = view.locator('#timeline button.point[data-index="9"]');
    // the timeline's points are one tab stop, right after the zoom buttons: the selected point
    await view.locator('#zoom-reset').focus();
    await page.keyboard.press('Tab');
    assert.equal(
      await selected.evaluate((el) => el === document.activeElement),
      true,
      'Tab lands on the selected point',
    );
    assert.equal(await view.locator('#timeline button.point[tabindex="0"]').count(), 1);
    await page.keyboard.press('ArrowLeft');
    const previous = view.locator('#timeline button.point[data-index="8"]');
    assert.equal(await previous.getAttribute('tabindex'), '0', 'the tab stop moved');
    assert.equal(await previous.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Enter');
    await cursorAt(49);
    await view.locator('#verdict h2', { hasText: 'Report at line 49: SLUB allocation failure' }).waitFor({
      timeout: STEP_TIMEOUT_MS,
    });
  });

  await step('a hostile log shown through its CodeLens renders inert', async () => {
    await quickOpen(HOSTILE);
    const lens = page.locator('.codelens-decoration a', { hasText: 'Show Report' }).first();
    await lens.waitFor({ timeout: STEP_TIMEOUT_MS });
    await lens.click();
    await view.locator('h1', { hasText: HOSTILE }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await view.locator('#verdict code').waitFor({ timeout: STEP_TIMEOUT_MS });
    // the markup is text: on screen literally, and no element of it in the document
    assert.equal(
      await view.locator('#verdict code').innerText(),
      `${COMM}: page allocation failure: order:5, mode:0x4020(${GFP})`,
    );
    assert.equal(await view.locator('.lanes .lane-label').innerText(), `${HOST} · page allocation failure`);
    assert.match(
      await view.locator('#timeline button.point').getAttribute('aria-label'),
      /<img src=x onerror=alert\(2\)>/,
    );
    assert.equal(
      await view.locator('#root img, #root svg, #root script, #root [onerror], #root [onload]').count(),
      0,
    );
    const title = await view.locator('#root').evaluate(() => document.title);
    assert.equal(title, 'Kernel Log Lens report', 'no script of the log ran');
    await page.screenshot({ path: join(shots, 'hostile.png') });
    const refused = consoleErrors.filter((e) => /Content Security Policy|Refused to/.test(e));
    assert.deepEqual(refused, [], 'nothing was even tried against the CSP');
  });

  if (failures() === 0) rmSync(root, { recursive: true, force: true });
});
