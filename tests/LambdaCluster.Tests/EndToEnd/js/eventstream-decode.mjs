// Decodes a file of AWS event-stream messages with the AWS SDK for JavaScript's own codec (@smithy/core's
// EventStreamCodec, which checks both CRCs) and prints them as JSON: [{ headers: { name: value }, payload: base64 }].
import fs from 'node:fs';
import { EventStreamCodec } from '@smithy/core/event-streams';

const codec = new EventStreamCodec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => new Uint8Array(Buffer.from(text, 'utf8')));
const data = fs.readFileSync(process.argv[2]);
const messages = [];
for (let at = 0; at < data.length;) {
  const length = data.readUInt32BE(at);
  const message = codec.decode(new Uint8Array(data.subarray(at, at + length)));
  const headers = {};
  for (const [name, header] of Object.entries(message.headers)) headers[name] = header.value;
  messages.push({ headers, payload: Buffer.from(message.body).toString('base64') });
  at += length;
}
console.log(JSON.stringify(messages));
