// Benchmark: cold starts (Init Duration from REPORT) and warm Invoke latency at concurrency 1 through the gateway.
// Usage (after ./test.sh has installed node_modules): node tests/LambdaCluster.Tests/EndToEnd/js/bench-invoke-latency.mjs http://127.0.0.1:9000 [warmCalls]
import { LambdaClient, CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [endpoint = 'http://127.0.0.1:9000', warmCalls = '500'] = process.argv.slice(2);
const client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const role = 'arn:aws:iam::000000000000:role/bench';
const functions = {
  python: { runtime: 'python3.13', file: 'index.py', code: 'def handler(e, c):\n    return {"hello": "world"}\n' },
  node: { runtime: 'nodejs22.x', file: 'index.mjs', code: 'export const handler = async () => ({ hello: "world" });\n' },
};
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
for (const [lang, f] of Object.entries(functions)) {
  fs.writeFileSync(path.join(dir, f.file), f.code);
  execFileSync('zip', ['-qj', path.join(dir, `${lang}.zip`), path.join(dir, f.file)]);
  const name = `bench-${lang}-${Date.now()}`;
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: f.runtime, Handler: 'index.handler', Role: role, Code: { ZipFile: fs.readFileSync(path.join(dir, `${lang}.zip`)) } }));
  const inits = [], colds = [];
  for (let i = 0; i < 10; i++) {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `cold ${i}` })); // retires the warm environment
    const t = performance.now();
    const r = await client.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
    colds.push(performance.now() - t);
    const report = Buffer.from(r.LogResult, 'base64').toString();
    inits.push(Number(/Init Duration: ([\d.]+) ms/.exec(report)[1]));
  }
  const warm = [];
  for (let i = 0; i < Number(warmCalls); i++) {
    const t = performance.now();
    await client.send(new InvokeCommand({ FunctionName: name }));
    warm.push(performance.now() - t);
  }
  console.log(`${lang}: cold invoke p50 ${pct(colds, 0.5).toFixed(1)} ms (Init Duration p50 ${pct(inits, 0.5).toFixed(1)} ms); warm p50 ${pct(warm, 0.5).toFixed(2)} ms p99 ${pct(warm, 0.99).toFixed(2)} ms over ${warm.length} calls`);
  await client.send(new DeleteFunctionCommand({ FunctionName: name }));
}
