// The cluster page through one node: prints the silos it lists and the environments of a function it shows.
import { run, signIn } from './browser.mjs';

const [functionName, expectedSilos] = process.argv.slice(2);

await run(async (session) => {
  const { page, shot } = session;
  await signIn(session);
  await page.getByRole('link', { name: 'Cluster', exact: true }).click();
  const silos = page.getByRole('table', { name: 'Silos' }).locator('tbody tr');
  await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Silos"] tbody tr').length >= n, Number(expectedSilos));
  const placements = await page.getByRole('table', { name: 'Execution environments' }).locator('tbody tr', { hasText: functionName }).count();
  await shot('cluster');
  return { silos: await silos.allTextContents(), placements };
});
