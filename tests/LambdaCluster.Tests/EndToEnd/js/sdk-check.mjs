// Drives a node with @aws-sdk/client-lambda: waiters, typed errors, pagination and 20 concurrent cold invocations.
import fs from 'node:fs';
import {
  LambdaClient, CreateFunctionCommand, GetFunctionCommand, InvokeCommand, paginateListFunctions,
  ResourceNotFoundException, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';

const [zipPath, prefix] = process.argv.slice(2);
const client = new LambdaClient({ endpoint: process.env.LAMBDA_ENDPOINT, region: 'us-east-1', maxAttempts: 1 });
const role = 'arn:aws:iam::000000000000:role/lambda-role';
const zip = fs.readFileSync(zipPath);
const result = {};

const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
for (const name of names) {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'python3.12', Handler: 'index.handler', Role: role, Code: { ZipFile: zip }, Timeout: 30 }));
}
result.waiter = (await waitUntilFunctionActiveV2({ client, maxWaitTime: 30 }, { FunctionName: names[0] })).state;
await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: names[0], Description: 'updated' }));
result.updatedWaiter = (await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: names[0] })).state;

try {
  await client.send(new GetFunctionCommand({ FunctionName: `${prefix}-missing` }));
  result.notFound = 'no error';
} catch (e) {
  result.notFound = e instanceof ResourceNotFoundException ? `${e.name}:${e.$metadata.httpStatusCode}` : `wrong:${e.name}`;
}

const seen = [];
let pages = 0;
for await (const page of paginateListFunctions({ client, pageSize: 1 }, {})) {
  pages += 1;
  for (const f of page.Functions ?? []) seen.push(f.FunctionName);
}
result.paginated = names.every((n) => seen.includes(n));
result.pages = pages;

const calls = Array.from({ length: 20 }, (_, i) => client.send(new InvokeCommand({ FunctionName: names[1], Payload: Buffer.from(JSON.stringify({ i })) })));
const responses = await Promise.all(calls);
const bodies = responses.map((r) => JSON.parse(Buffer.from(r.Payload).toString('utf8')));
result.concurrentOk = responses.every((r) => r.StatusCode === 200 && !r.FunctionError);
result.distinctEnvironments = new Set(bodies.map((b) => b.stream)).size;
console.log(JSON.stringify(result));
