// The getting-started tutorial in the console, for one runtime (argument: nodejs22.x or python3.13): sign in, create
// myLambdaFunction, paste the tutorial's code, Deploy, create and save myTestEvent, Test, read the results, open the
// log group and find the line, delete the function with its log group. Prints what the page showed as JSON.
import { run, signIn, banner } from './browser.mjs';

const runtime = process.argv[2];
const name = 'myLambdaFunction';
const code = {
  'nodejs22.x': { file: 'index.mjs', label: 'Node.js 22.x', text: `export const handler = async (event, context) => {

    const length = event.length;
    const width = event.width;
    let area = calculateArea(length, width);
    console.log(\`The area is \${area}\`);

    console.log('CloudWatch log group: ', context.logGroupName);

    let data = {
        "area": area,
    };
    return JSON.stringify(data);

    function calculateArea(length, width) {
        return length * width;
    }
};
` },
  'python3.13': { file: 'lambda_function.py', label: 'Python 3.13', text: `import json
import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)

def lambda_handler(event, context):

    # Get the length and width parameters from the event object. The
    # runtime converts the event object to a Python dictionary
    length = event['length']
    width = event['width']

    area = calculate_area(length, width)
    print(f"The area is {area}")

    logger.info(f"CloudWatch logs group: {context.log_group_name}")

    # return the calculated area as a JSON string
    data = {"area": area}
    return json.dumps(data)

def calculate_area(length, width):
    return length*width
` },
}[runtime];

await run(async (session) => {
  const { page, shot } = session;
  await signIn(session);
  await shot('functions');

  // Create function → Author from scratch
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.getByLabel('Function name').fill(name);
  await page.getByLabel('Runtime').selectOption({ label: code.label });
  await shot('create-function');
  await page.getByRole('button', { name: 'Create function' }).click();
  await banner(page, `Successfully created the function ${name}`);
  const editor = page.getByRole('textbox', { name: `Code source: ${code.file}` });
  await editor.waitFor();
  const created = await editor.textContent();
  await shot('created');

  // Code: paste the tutorial's code, Deploy
  await editor.fill(code.text);
  await page.getByText('Changes not deployed').waitFor();
  await shot('code-edited');
  await page.getByRole('button', { name: 'Deploy' }).click();
  await banner(page, `Successfully updated the function ${name}`);
  await shot('deployed');

  // Test: the test event, saved, then run
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Event name').fill('myTestEvent');
  await page.getByRole('textbox', { name: 'Event JSON' }).fill('{\n  "length": 6,\n  "width": 7\n}');
  await page.getByRole('button', { name: 'Save' }).click();
  await banner(page, 'The test event myTestEvent was successfully saved');
  await shot('test-event-saved');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const results = page.getByRole('region', { name: 'Execution results' });
  await results.getByText(/^Status: /).waitFor();
  await shot('test-results');
  const status = await results.getByText(/^Status: /).textContent();
  const response = await results.getByLabel('Response').textContent();
  const logs = await results.getByLabel('Function Logs').textContent();
  const summary = await results.getByLabel('Summary').textContent();

  // Monitor → View CloudWatch logs: the log group, its stream, the line
  await page.getByRole('tab', { name: 'Monitor' }).click();
  await page.getByRole('button', { name: 'View CloudWatch logs' }).click();
  await page.getByRole('heading', { name: `/aws/lambda/${name}` }).waitFor();
  await page.getByLabel('Filter events').fill('"The area is 42"');
  await page.getByRole('button', { name: 'Search' }).click();
  const line = page.getByRole('table', { name: 'Log events' }).getByText('The area is 42');
  await line.first().waitFor();
  const logGroupLine = await line.first().textContent();
  const streams = await page.getByRole('table', { name: 'Log streams' }).locator('tbody tr').count();
  await shot('log-group');

  // Clean up: delete the function and its log group
  await page.goto(`${new URL(page.url()).origin}/console/#/functions/${name}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete function' });
  await dialog.getByLabel('To confirm deletion').fill('confirm');
  await shot('delete-dialog');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await banner(page, `Successfully deleted the function ${name}`);
  await shot('deleted');
  return { created, status, response, logs, summary, logGroupLine, streams };
});
