import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * With CONSOLE_SCREENSHOTS=1 a spec saves the page it shows as docs/screenshots/{name}.png (the
 * README's Console section shows them); otherwise nothing is written, so a test run leaves the
 * tree as it found it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.CONSOLE_SCREENSHOTS) return;
  await page.screenshot({ path: join(__dirname, '..', '..', '..', 'docs', 'screenshots', `${name}.png`), fullPage: false });
}
