// The floor to compare with: the same echo handler behind a bare Node.js HTTP server (no gateway, no
// grains, no Runtime API). Usage: node echo-floor.mjs PORT ; then lambda-load --raw-path / --endpoint http://127.0.0.1:PORT
import http from 'node:http';

const handler = async (event) => event;
const port = Number(process.argv[2] ?? 9100);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const result = JSON.stringify(await handler(JSON.parse(Buffer.concat(chunks).toString() || '{}')));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(result) });
    res.end(result);
  });
}).listen(port, '127.0.0.1', () => console.log(`echo floor listening on http://127.0.0.1:${port}`));
