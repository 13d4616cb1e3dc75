// What every console browser test shares: Debian's Chromium driven by playwright-core, signing in, and numbered
// screenshots of each step under CONSOLE_ARTIFACTS (the test's artifacts folder).
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export const endpoint = process.env.LAMBDA_ENDPOINT;
const artifacts = process.env.CONSOLE_ARTIFACTS;

/** A fresh headless Chromium (no profile, no background networking: this machine has no network beyond loopback). */
export async function open() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let step = 0;
  return {
    browser,
    page,
    errors,
    /** Saves <artifacts>/<NN>-<name>.png; returns its path. */
    async shot(name) {
      step += 1;
      const file = path.join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/** Opens the node's front page (which redirects to the console) and signs in with the development keys. */
export async function signIn(session) {
  const { page } = session;
  await page.goto(`${endpoint}/`);
  await page.getByLabel('Access key ID').fill(process.env.AWS_ACCESS_KEY_ID ?? 'test');
  await page.getByLabel('Secret access key').fill(process.env.AWS_SECRET_ACCESS_KEY ?? 'test');
  await session.shot('sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Functions' }).waitFor();
}

/** Waits for the banner to say text (a success), failing at once with the banner's error if it shows one. */
export async function banner(page, text) {
  const success = page.locator('.banner.success', { hasText: text });
  const error = page.locator('.banner.error');
  await Promise.race([success.waitFor(), error.waitFor().then(async () => { throw new Error(`console error: ${await error.textContent()}`); })]);
}

/** Runs a test body, printing its result as the last line of stdout (JSON), or the failure and exit code 1. */
export async function run(body) {
  const session = await open();
  try {
    const result = await body(session);
    if (session.errors.length) throw new Error(`errors in the page: ${session.errors.join('; ')}`);
    console.log(JSON.stringify(result));
  } catch (error) {
    try { await session.shot('failure'); } catch { /* the page is gone */ }
    console.error(error.stack ?? String(error));
    process.exitCode = 1;
  } finally {
    await session.browser.close();
  }
}
