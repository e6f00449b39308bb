// Debian's Chromium driven by playwright-core (no browser download), headless, fresh profile.
import { chromium } from 'playwright-core';
import { ensureDebianPackages } from './debian.mjs';

export const chromiumPath = process.env.KLENS_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium() {
  // A font, or a bare container renders the workbench (and the screenshots) without glyphs.
  if (!process.env.KLENS_CHROMIUM) ensureDebianPackages(['chromium', 'fonts-dejavu-core']);
  // playwright gives every launch a fresh temporary --user-data-dir and removes it on close.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage', // containers often have a tiny /dev/shm
    ],
  });
}

/** Opens the workbench at `url` and waits for it; collects the page's console errors. */
export async function openWorkbench(browser, url, { width = 1280, height = 800 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { page, consoleErrors };
}
