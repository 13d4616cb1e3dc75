// The Configuration, Versions, Aliases, Test (events) and Monitor views on an existing function (argument: its name; a queue's ARN;
// how many invocations it has had): every setting is made in the page; the test then reads the effect from the API.
import { run, signIn, banner } from './browser.mjs';

const [name, queueArn, invocations] = process.argv.slice(2);

await run(async (session) => {
  const { page, shot } = session;
  await signIn(session);
  const origin = new URL(page.url()).origin;
  const open = async (tab) => {
    await page.goto(`${origin}/console/#/functions/${name}/${tab}`);
    await page.getByRole('tab', { name: tab[0].toUpperCase() + tab.slice(1) }).waitFor();
  };
  const section = async (label) => {
    await page.getByRole('navigation', { name: 'Configuration' }).getByRole('button', { name: label }).click();
    await page.getByRole('heading', { name: label, level: 2 }).waitFor();
  };
  const save = async (text) => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await banner(page, text);
  };

  // General configuration
  await open('configuration');
  await page.getByLabel('Memory (MB)').fill('256');
  await page.getByLabel('Timeout minutes').fill('0');
  await page.getByLabel('Timeout seconds').fill('7');
  await page.getByLabel('Description').fill('first, from the console');
  await save(`Successfully updated the function ${name}`);
  await shot('general-configuration');

  // Environment variables: added, hidden, revealed on request
  await section('Environment variables');
  await page.getByRole('button', { name: 'Add environment variable' }).click();
  await page.getByLabel('Key').last().fill('GREETING');
  await page.getByLabel('Value').last().fill('hello from the console');
  await save(`Successfully updated the function ${name}`);
  await section('Environment variables');
  const hiddenType = await page.getByLabel('Value').last().getAttribute('type');
  await page.getByRole('button', { name: 'Show values' }).click();
  const shownType = await page.getByLabel('Value').last().getAttribute('type');
  await shot('environment-variables');

  // Concurrency
  await section('Concurrency');
  await page.getByLabel('Reserved concurrency').fill('5');
  await save('Successfully updated the concurrency');
  await shot('concurrency');

  // Function URL: public, with CORS
  await section('Function URL');
  await page.getByLabel('Auth type').selectOption('NONE');
  await page.getByLabel('Allow origin (CORS)').fill('https://example.com');
  await save('Successfully saved the function URL');
  await section('Function URL');
  const url = await page.locator('a.url').getAttribute('href');
  await shot('function-url');

  // Triggers: the queue
  await section('Triggers');
  await page.getByLabel('Source').selectOption(queueArn);
  await page.getByLabel('Batch size').fill('5');
  await page.getByRole('button', { name: 'Add trigger' }).click();
  await banner(page, 'was successfully added');
  await section('Triggers');
  await page.getByRole('table', { name: 'Triggers' }).getByText(queueArn).waitFor();
  await shot('triggers');

  // Asynchronous invocation
  await section('Asynchronous invocation');
  await page.getByLabel('Retry attempts').selectOption('0');
  await page.getByLabel('Maximum age of event (seconds)').fill('120');
  await save('Successfully updated the asynchronous invocation configuration');
  await shot('asynchronous-invocation');

  // Versions: 1, then a changed description and 2
  await open('versions');
  await page.getByLabel('Version description').fill('v1 from the console');
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await banner(page, 'Successfully created version 1');
  await open('configuration');
  await page.getByLabel('Description').fill('second, from the console');
  await save(`Successfully updated the function ${name}`);
  await open('versions');
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await banner(page, 'Successfully created version 2');
  await shot('versions');

  // Aliases: live → 2, with 10 % on 1
  await open('aliases');
  await page.getByLabel('Alias name').fill('live');
  await page.getByLabel('Alias version').selectOption('2');
  await page.getByLabel('Additional version').selectOption('1');
  await page.getByLabel('Weight (%)').fill('10');
  await page.getByRole('button', { name: 'Create alias' }).click();
  await banner(page, 'Successfully created alias live');
  await page.getByRole('table', { name: 'Aliases' }).getByText('1: 10%').waitFor();
  await shot('aliases');

  // Test events: saved, renamed, a second one deleted, and malformed JSON refused (nothing saved)
  await open('test');
  const eventJson = page.getByRole('textbox', { name: 'Event JSON' });
  await page.getByLabel('Event name').fill('first');
  await eventJson.fill('{"a": 1}');
  await save('The test event first was successfully saved');
  await page.getByLabel('Event name').fill('renamed');
  await save('The test event renamed was successfully saved');
  await page.getByLabel('Saved event').selectOption('Create new event');
  await page.getByLabel('Event name').fill('second');
  await eventJson.fill('{"b": 2}');
  await save('The test event second was successfully saved');
  await page.getByRole('button', { name: 'Delete event' }).click();
  await banner(page, 'The test event second was successfully deleted');
  await page.getByLabel('Event name').fill('broken');
  await eventJson.fill('{"b": ');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const refused = await page.locator('.banner.error', { hasText: 'There is an error in your JSON event' }).textContent();
  const savedEvents = await page.getByLabel('Saved event').locator('option').allTextContents();
  await shot('test-events');

  // Monitor: the invocations the test made, in the graphs' totals and the recent invocations
  await open('monitor');
  const totals = page.getByLabel('Last hour');
  await page.waitForFunction((n) => Number(/(\d+) invocations/.exec(document.querySelector('.totals')?.textContent ?? '')?.[1] ?? 0) >= n, Number(invocations));
  const charts = await page.locator('figure.chart').count();
  const recent = await page.getByRole('table', { name: 'Recent invocations' }).locator('tbody tr').count();
  await shot('monitor');
  return { hiddenType, shownType, url, totals: await totals.textContent(), charts, recent, refused, savedEvents };
});
