// Time to first byte of a streamed response, against the time to the whole answer, over warm sequential calls:
//   node stream-ttfb.mjs <endpoint> <function> <url> <calls>
// The function writes its first chunk at once, then waits 100 ms before the rest. Three ways in: the JavaScript SDK's
// InvokeWithResponseStream (first PayloadChunk), the RESPONSE_STREAM URL over plain HTTP (first body byte), and
// buffered Invoke (the whole answer, so at least the 100 ms).
import http from 'node:http';
import { LambdaClient, InvokeWithResponseStreamCommand, InvokeCommand } from '@aws-sdk/client-lambda';

const [endpoint, name, url, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 200);
const client = new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function stats(label, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  console.log(`${label.padEnd(44)} n=${sorted.length} p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms`);
}

async function sdkStream() {
  const started = performance.now();
  const response = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  let first;
  for await (const event of response.EventStream) {
    if (event.PayloadChunk && first === undefined) first = performance.now() - started;
  }
  return [first, performance.now() - started];
}

function urlStream() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first;
    http.get(url, { agent }, (res) => {
      res.on('data', () => { if (first === undefined) first = performance.now() - started; });
      res.on('end', () => resolve([first, performance.now() - started]));
    }).on('error', reject);
  });
}

async function buffered() {
  const started = performance.now();
  await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  return performance.now() - started;
}

for (let i = 0; i < 20; i++) { await sdkStream(); await urlStream(); } // warm: environments, connections, JIT
const sdk = [], url1 = [];
for (let i = 0; i < calls; i++) { sdk.push(await sdkStream()); url1.push(await urlStream()); }
const whole = [];
for (let i = 0; i < calls / 4; i++) whole.push(await buffered());
stats('InvokeWithResponseStream (SDK): first chunk', sdk.map((s) => s[0]));
stats('InvokeWithResponseStream (SDK): complete', sdk.map((s) => s[1]));
stats('RESPONSE_STREAM URL: first body byte', url1.map((s) => s[0]));
stats('RESPONSE_STREAM URL: complete', url1.map((s) => s[1]));
stats('buffered Invoke (SDK): whole answer', whole);
