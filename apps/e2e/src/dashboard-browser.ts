import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Where the dashboard tests write their screenshots (git-ignored). */
export const screenshotsDir = path.resolve(__dirname, '..', 'screenshots');

/** Debian's Chromium, headless (installed by tools/test/ensure-tools.sh). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=fr-FR'],
  });
}

/** Laptop and tablet widths. */
export const LAPTOP = { width: 1366, height: 900 };
export const TABLET = { width: 820, height: 1180 };

/** Signs in from the sign-in page by choosing the demo identity whose button text matches. */
export async function signInAs(page: Page, baseUrl: string, who: RegExp): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  const button = page.locator('button.identity', { hasText: who }).first();
  await button.waitFor({ timeout: 30_000 });
  await button.click();
  await page.waitForURL((url) => !url.pathname.startsWith('/connexion'), { timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
