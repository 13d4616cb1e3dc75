// The Runtime API (2018-06-01) over one keep-alive connection, with HTTP/1.1 written and read by hand. A warm
// invocation is one POST of its answer, answered with the next event (postThenNext). Through node's http module a
// warm invocation's exchanges cost most of the function process's CPU per call (request and response objects,
// parsers, stream and agent bookkeeping for every exchange), as AWS's own Node.js runtime client avoids with a native
// client. Reads bypass the stream machinery (net's onread), a request leaves in one write, and requests go one at a
// time, in order, as the runtime makes them. Responses with Content-Length or a chunked body are read; a malformed one
// ends the connection with an error.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class RuntimeApiClient {
  constructor(host, port) {
    this.host = host;
    this.port = Number(port);
    this.hostHeader = `Host: ${host}:${port}\r\n`;
    this.socket = null;
    this.chunks = []; // what arrived and is not consumed yet
    this.total = 0;
    this.needed = 0; // bytes the response being read needs in all, once its head is here
    this.waiting = null; // { resolve, reject } of the request in flight
  }

  /** GET: { status, headers (lower-case names), body (Buffer) }. */
  get(path) {
    return this.send(Buffer.from(`GET ${path} HTTP/1.1\r\n${this.hostHeader}\r\n`, 'latin1'));
  }

  /** POST with a body (a string, sent as UTF-8, or a Buffer) and extra headers ({ name: value }). */
  post(path, body, headers) {
    return this.send(this.postBytes(path, body, headers));
  }

  /**
   * POST an invocation's answer and be answered with the next event, as GET /next answers (this node's
   * Lambda-Cluster-Then-Next: one exchange per warm invocation, so the process wakes once per event, not twice).
   */
  postThenNext(path, body, headers) {
    return this.send(this.postBytes(path, body, { ...headers, 'Lambda-Cluster-Then-Next': '1' }));
  }

  postBytes(path, body, headers) {
    const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    let head = `POST ${path} HTTP/1.1\r\n${this.hostHeader}Content-Length: ${length}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    head += '\r\n';
    const request = Buffer.allocUnsafe(head.length + length);
    const at = request.latin1Write(head, 0);
    if (typeof body === 'string') request.utf8Write(body, at);
    else body.copy(request, at);
    return request;
  }

  /**
   * Whether the connection keeps the process's event loop alive. While a handler runs it does not, so that the loop
   * empties ('beforeExit') once the handler leaves nothing to run: callback handlers answer then, as Lambda's do.
   */
  hold(keep) {
    if (keep) this.socket?.ref();
    else this.socket?.unref();
  }

  /** Writes the request and resolves with its response. */
  send(request) {
    if (this.waiting) return Promise.reject(new Error('Runtime API request already in flight'));
    const socket = this.socket ?? this.connect();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(request);
    });
  }

  connect() {
    const socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (length, buffer) => this.received(buffer, length) },
    });
    const fail = (err) => {
      this.socket = null;
      this.chunks = [];
      this.total = 0;
      this.needed = 0;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(err ?? new Error('Runtime API connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    this.socket = socket;
    return socket;
  }

  received(buffer, length) {
    // The read buffer is reused for the next read: what arrived is copied out (one copy per read).
    this.chunks.push(Buffer.from(buffer.subarray(0, length)));
    this.total += length;
    while (this.waiting && this.total > 0 && this.total >= this.needed) {
      const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.total);
      this.chunks = [data];
      const response = parseResponse(data);
      if (response === null || typeof response === 'number') {
        this.needed = response ?? 0; // the head says how long the whole response is: join the body once it is all here
        return;
      }
      if (response instanceof Error) {
        this.socket?.destroy(response);
        return;
      }
      this.chunks = response.length < data.length ? [data.subarray(response.length)] : [];
      this.total = data.length - response.length;
      this.needed = 0;
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve(response);
    }
  }
}

/**
 * A whole response at the start of buf: { status, headers, body, length }; when only the head is here, the length the
 * whole response will have (a number); null when not even the head is; an Error when it is malformed.
 */
function parseResponse(buf) {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return buf.length > 65536 ? new Error('Runtime API response head too large') : null;
  const head = buf.latin1Slice(0, end);
  if (!head.startsWith('HTTP/1.')) return new Error(`Malformed Runtime API status line: ${head.slice(0, 40)}`);
  const status = Number(head.slice(9, 12));
  if (!(status >= 100 && status < 600)) return new Error(`Malformed Runtime API status line: ${head.slice(0, 40)}`);
  const headers = {};
  let line = head.indexOf('\r\n') + 2;
  while (line > 1 && line < head.length) {
    const next = head.indexOf('\r\n', line);
    const stop = next < 0 ? head.length : next;
    const colon = head.indexOf(':', line);
    if (colon > line && colon < stop) headers[head.slice(line, colon).toLowerCase()] = head.slice(colon + 1, stop).trim();
    line = stop + 2;
  }
  const start = end + 4;
  if (headers['transfer-encoding'] !== undefined && headers['transfer-encoding'].toLowerCase() === 'chunked') return parseChunked(buf, start, status, headers);
  const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) return new Error('Malformed Runtime API Content-Length');
  if (buf.length < start + length) return start + length;
  return { status, headers, body: buf.subarray(start, start + length), length: start + length };
}

function parseChunked(buf, offset, status, headers) {
  const parts = [];
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', offset, 'latin1');
    if (lineEnd < 0) return null;
    const size = parseInt(buf.latin1Slice(offset, lineEnd), 16);
    if (Number.isNaN(size) || size < 0) return new Error('Malformed Runtime API chunk');
    const data = lineEnd + 2;
    if (size === 0) {
      const trailersEnd = buf.indexOf(HEADER_END, lineEnd, 'latin1');
      const last = buf.indexOf('\r\n', data, 'latin1') === data ? data + 2 : trailersEnd < 0 ? -1 : trailersEnd + 4;
      if (last < 0) return null;
      return { status, headers, body: Buffer.concat(parts), length: last };
    }
    if (buf.length < data + size + 2) return null;
    parts.push(buf.subarray(data, data + size));
    offset = data + size + 2;
  }
}
