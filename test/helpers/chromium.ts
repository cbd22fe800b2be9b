/**
 * A real headless Chromium for browser tests (Debian's `chromium`, driven by playwright-core). When the
 * binary is missing the browser tests are skipped with a loud notice — except under CI (`CI` set),
 * where a missing browser fails the run, so skipped browser tests can never pass unnoticed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SUYUAN_CHROMIUM ?? '/usr/bin/chromium';

/** Whether Chromium can run here; throws under CI when it cannot. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is not installed, and CI must not skip the browser tests (.ci/run installs it)`);
  console.warn(`\n*** NOTICE: ${CHROMIUM} is not installed: the console's browser tests are SKIPPED ***\n`);
  return false;
}

/** Headless, with nothing of its own calling out (no updates, no sync, no background fetches). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
