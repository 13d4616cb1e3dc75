// Drives the queue service with @aws-sdk/client-sqs, whose middleware checks the MD5 of every body and attribute set.
import {
  SQSClient, CreateQueueCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand,
} from '@aws-sdk/client-sqs';

const [name] = process.argv.slice(2);
const client = new SQSClient({ endpoint: process.env.LAMBDA_ENDPOINT, region: 'us-east-1', maxAttempts: 1 });
const result = {};
const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
await client.send(new SendMessageBatchCommand({
  QueueUrl,
  Entries: [0, 1, 2].map((i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } })),
}));
const received = [];
while (received.length < 3) {
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
  received.push(...Messages);
}
result.bodies = received.map((m) => m.Body);
result.attribute = received[0].MessageAttributes.k.StringValue;
for (const m of received) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
result.left = Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
try {
  await client.send(new GetQueueUrlCommand({ QueueName: `${name}-missing` }));
  result.missing = 'no error';
} catch (e) {
  result.missing = e.name;
}
console.log(JSON.stringify(result));
