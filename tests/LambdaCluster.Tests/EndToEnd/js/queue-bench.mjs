// Queue-to-function figures against a node whose function "sink" logs, per record, how long after SendMessage its handler
// started ("lag <ms>"), and which has an SQS mapping from queue "bench" (created disabled, enabled here):
//   node queue-bench.mjs <endpoint> throughput <messages> <mapping-uuid>   -> messages per second, backlog to empty
//   node queue-bench.mjs <endpoint> latency <messages>                     -> SendMessage -> handler start, one at a time
import { SQSClient, GetQueueUrlCommand, SendMessageBatchCommand, SendMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';

const [endpoint, mode, countArg, uuid] = process.argv.slice(2);
const count = Number(countArg);
const sqs = new SQSClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
const lambda = new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bench' }));
const pending = async () => {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
};

if (mode === 'throughput') {
  for (let sent = 0; sent < count; sent += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `{"n":${sent + i}}` })) }));
  }
  const started = performance.now();
  await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
  while (await pending() > 0) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${count} messages drained in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} messages/s`);
  await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
} else {
  for (let i = 0; i < count; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `{"probe":${i}}` }));
    while (await pending() > 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`sent ${count} probes one at a time`);
}
