// What every browser test of the workbench does: steps that leave a screenshot and the browser's
// last console errors when they fail, and Quick Open (Ctrl+P) of a workspace file.
import { join } from 'node:path';

/**
 * `step(name, fn)`: a subtest of `t` running `fn`; on failure it saves
 * `<shots>/failed-<name>.png` and adds the last console errors to the message. `failures()` counts
 * them (a test keeps its scratch folder for a post-mortem when any failed).
 */
export function stepper(t, page, consoleErrors, shots) {
  let failures = 0;
  const step = (name, fn) =>
    t.test(name, async () => {
      try {
        await fn();
      } catch (error) {
        failures++;
        await page
          .screenshot({ path: join(shots, `failed-${name.replace(/\W+/g, '-')}.png`) })
          .catch(() => {});
        const errors = consoleErrors.length
          ? `\nbrowser console errors:\n${consoleErrors.slice(-10).join('\n')}`
          : '';
        throw new Error(`${error.message}${errors}`, { cause: error });
      }
    });
  return { step, failures: () => failures };
}

/** Opens `file` with Quick Open (Ctrl+P) and waits for its tab to be the active one. */
export async function quickOpen(page, file, timeout) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout });
  await input.fill(file);
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: file })
    .first()
    .waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${file}"]`).waitFor({ timeout });
}
