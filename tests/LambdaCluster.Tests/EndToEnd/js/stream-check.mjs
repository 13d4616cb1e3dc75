// Drives InvokeWithResponseStream with @aws-sdk/client-lambda: chunk arrival times, a mid-stream error, a stream
// beyond the 6 MB buffered limit, the same function through buffered Invoke, DryRun, and a refused invocation type.
// With a payload argument it streams that one invocation only.
import fs from 'node:fs';
import { LambdaClient, InvokeWithResponseStreamCommand, InvokeCommand } from '@aws-sdk/client-lambda';

const [name, onePayload] = process.argv.slice(2);
const client = new LambdaClient({ endpoint: process.env.LAMBDA_ENDPOINT, region: 'us-east-1', maxAttempts: 1 });
const result = {};

// Creates the file at `file` (under /tmp) inside every sandbox of the function, through /proc/PID/root: the function sees
// nothing of the host's file system. The bubblewrap process outside carries the same variables but has no /var/task.
function touchInSandboxes(file) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (environ.includes(`AWS_LAMBDA_FUNCTION_NAME=${name}`) && fs.existsSync(`/proc/${pid}/root/var/task`)) fs.writeFileSync(`/proc/${pid}/root${file}`, '');
    } catch {
      // The process ended meanwhile.
    }
  }
}

async function stream(payload, extra = {}) {
  const started = performance.now();
  const response = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
  const out = { status: response.StatusCode, version: response.ExecutedVersion, contentType: response.ResponseStreamContentType, chunks: [], bytes: 0 };
  for await (const event of response.EventStream) {
    if (event.PayloadChunk) {
      const text = Buffer.from(event.PayloadChunk.Payload);
      if (out.bytes === 0 && payload.gate) touchInSandboxes(payload.gate); // tells the function its first chunk arrived
      out.bytes += text.length;
      if (out.chunks.length < 10) out.chunks.push({ at: Math.round(performance.now() - started), text: text.length < 200 ? text.toString() : `${text.length} bytes` });
    }
    if (event.InvokeComplete) out.complete = { ...event.InvokeComplete, at: Math.round(performance.now() - started) };
  }
  return out;
}

if (onePayload) {
  console.log(JSON.stringify(await stream(JSON.parse(onePayload))));
  process.exit(0);
}

// The function waits after its first chunk until that chunk has reached this script (the gate file).
const gate = `/tmp/stream-gate-${process.pid}-${Date.now()}`;
result.slow = await stream({ n: 3, delay: 100, gate }, { LogType: 'Tail' });
result.slow.complete.LogResult = Buffer.from(result.slow.complete.LogResult ?? '', 'base64').toString();
result.failing = await stream({ n: 2, delay: 10, fail: true });
result.big = await stream({ bigMb: 10 });
const buffered = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ n: 3, delay: 1 })) }));
result.buffered = { status: buffered.StatusCode, error: buffered.FunctionError ?? null, body: Buffer.from(buffered.Payload).toString() };
const dry = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: name, InvocationType: 'DryRun' }));
result.dryRun = dry.StatusCode;
try {
  await client.send(new InvokeWithResponseStreamCommand({ FunctionName: name, InvocationType: 'Event' }));
  result.event = 'accepted';
} catch (e) {
  result.event = `${e.name}:${e.$metadata?.httpStatusCode}`;
}
console.log(JSON.stringify(result));
