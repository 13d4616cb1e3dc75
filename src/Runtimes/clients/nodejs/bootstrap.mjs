// Runtime client for the nodejs* runtimes: speaks the Lambda Runtime API (2018-06-01) to the node,
// loads the handler the way Lambda's Node.js runtime does (CommonJS or ESM, folders in the handler
// string, async or callback style), and writes console output in Lambda's log line format.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { RuntimeApiClient } from './runtime-api.mjs';
import Module from 'node:module';

// A runtime started before its function (this node's pre-started runtimes): it waits in GET /runtime/assignment, then
// takes the function's environment exactly as a fresh process would have had it (module search paths and working
// folder included); the code it loads has just been mounted at /var/task and /opt.
if (process.env._LAMBDA_CLUSTER_PRESTART) {
  const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
  // Emptied before waiting: the node rewrites the memory the original variables live in (/proc/self/environ).
  for (const name of Object.keys(process.env)) delete process.env[name];
  const body = await new Promise((resolve, reject) => {
    http.get({ host, port, path: '/2018-06-01/runtime/assignment', agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`assignment: ${response.statusCode}`))));
    }).on('error', reject);
  }).catch(() => process.exit(1)); // the node stopped this runtime before giving it a function
  const { environment } = JSON.parse(body);
  Object.assign(process.env, environment);
  process.chdir(environment.LAMBDA_TASK_ROOT);
  process.env.PWD = environment.LAMBDA_TASK_ROOT; // what the shell that starts a fresh runtime exports
  Module._initPaths(); // NODE_PATH, read again
}

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerString = process.env._HANDLER;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
// /next, /response and /error of the invocation loop go over this lean client; streamed responses (chunked, with
// trailers) and the rare error paths use node's http module on a connection of their own.
const runtimeApi = new RuntimeApiClient(apiHost, apiPort);
const JSON_HEADERS = { 'Content-Type': 'application/json' };
let currentRequestId;

// ---- logging: "<ISO time>\t<request id>\t<LEVEL>\t<message>", newlines folded to \r (one event per call)
// LoggingConfig: AWS_LAMBDA_LOG_FORMAT=JSON writes each console call as a JSON record, and AWS_LAMBDA_LOG_LEVEL drops
// calls below it (TRACE < DEBUG < INFO < WARN < ERROR < FATAL), as AWS's Node.js client does.
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const jsonLogs = (process.env.AWS_LAMBDA_LOG_FORMAT ?? '').toUpperCase() === 'JSON';
const minimumLevel = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase()));

function jsonRecord(level, args) {
  // As AWS's client: a lone Error is the message, as {errorType, errorMessage, stackTrace}; among other arguments, the
  // message is their printed form and the first Error's fields are the record's own.
  const record = { timestamp: new Date().toISOString(), level, requestId: currentRequestId };
  const [first] = args;
  const fields = (error) => ({ errorType: error.constructor?.name ?? 'Error', errorMessage: error.message, stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [] });
  if (args.length === 1 && first instanceof Error) {
    record.message = fields(first);
  } else {
    record.message = args.length === 1 && typeof first !== 'string' ? first : util.format(...args);
    const error = args.find((a) => a instanceof Error);
    if (error) Object.assign(record, fields(error));
  }
  try {
    return JSON.stringify(record, (key, value) => (value instanceof Error ? util.format(value) : typeof value === 'bigint' ? value.toString() : value));
  } catch {
    return JSON.stringify({ ...record, message: util.format(...args) }); // a circular object: its printed form
  }
}

function patchConsole() {
  const write = (level) => {
    if (LEVELS.indexOf(level) < minimumLevel) return () => {};
    return (...args) => {
      // process.stdout.write is synchronous on pipes on Linux: the line is in the pipe before any response is posted.
      if (jsonLogs) {
        process.stdout.write(jsonRecord(level, args) + '\n');
        return;
      }
      const message = util.format(...args).replace(/\n/g, '\r');
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
    };
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
  console.fatal = write('FATAL');
}

// ---- Runtime API
function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: apiPort, method, path: urlPath, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function postJson(urlPath, value, headers = {}) {
  const body = Buffer.from(value, 'utf8');
  return request('POST', urlPath, body, { 'Content-Type': 'application/json', 'Content-Length': body.length, ...headers });
}

class LambdaError extends Error {
  constructor(name, message, cause) {
    super(message);
    this.name = name;
    if (cause?.stack) this.stack = `${name}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

function toErrorDocument(err) {
  if (err instanceof Error) {
    return { errorType: err.name ?? 'Error', errorMessage: err.message ?? '', trace: (err.stack ?? '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

// ---- response streaming: awslambda.streamifyResponse and awslambda.HttpResponseStream, as Lambda's Node.js runtime has them
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
const ERROR_TYPE_TRAILER = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY_TRAILER = 'Lambda-Runtime-Function-Error-Body';

globalThis.awslambda = {
  streamifyResponse(handler, options) {
    handler[STREAMING] = 'response';
    if (options?.highWaterMark) handler[HIGH_WATER_MARK] = options.highWaterMark;
    return handler;
  },
  HttpResponseStream: {
    // The prelude (status, headers, cookies) goes ahead of the body, ended by 8 NUL bytes; the URL turns it into the HTTP head.
    from(stream, prelude) {
      stream.setContentType(HTTP_INTEGRATION);
      const json = JSON.stringify(prelude ?? {});
      stream._onBeforeFirstWrite = (write) => {
        write(json);
        write(new Uint8Array(8));
      };
      return stream;
    },
  },
};

// The response stream is a chunked POST to /response in streaming mode: each write is a chunk sent at once, and a
// failure ends the body with the error trailers. The request (and its headers) goes out with the first write.
function createResponseStream(requestId) {
  const req = http.request({
    host: apiHost, port: apiPort, method: 'POST', agent,
    path: `/2018-06-01/runtime/invocation/${requestId}/response`,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      Trailer: `${ERROR_TYPE_TRAILER}, ${ERROR_BODY_TRAILER}`,
      'Content-Type': 'application/octet-stream',
    },
  });
  let written = false;
  const answered = new Promise((resolve, reject) => {
    req.on('response', (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
  });
  answered.catch(() => {});
  req.setContentType = (contentType) => {
    if (written) throw new LambdaError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.');
    req.setHeader('Content-Type', contentType);
  };
  const write = req.write.bind(req);
  req.write = (chunk, encoding, callback) => {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && !(chunk instanceof Uint8Array)) chunk = JSON.stringify(chunk);
    if (!written) {
      written = true;
      if (typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((c) => write(c));
    }
    return write(chunk, encoding, callback);
  };
  const end = req.end.bind(req);
  req.end = (chunk, encoding, callback) => {
    if (typeof chunk === 'function') return req.end(undefined, undefined, chunk);
    if (chunk !== undefined && chunk !== null) req.write(chunk, encoding);
    else if (!written && typeof req._onBeforeFirstWrite === 'function') { written = true; req._onBeforeFirstWrite((c) => write(c)); }
    return end(callback);
  };
  const fail = (err) => {
    if (req.writableEnded || req.destroyed) return;
    const doc = toErrorDocument(err);
    req.addTrailers({ [ERROR_TYPE_TRAILER]: doc.errorType, [ERROR_BODY_TRAILER]: Buffer.from(JSON.stringify(doc)).toString('base64') });
    end();
  };
  return { stream: req, answered, fail };
}

async function invokeStreaming(handler, event, headers, requestId) {
  const { stream, answered, fail } = createResponseStream(requestId);
  const context = makeContext(headers, () => {});
  try {
    const returned = handler(event, stream, context);
    if (!returned || typeof returned.then !== 'function') throw new LambdaError('Runtime.InvalidStreamingOperation', 'Streaming does not support non-async handlers.');
    const result = await returned;
    if (result !== undefined) console.warn('Streaming handlers ignore return values.');
    if (!stream.writableEnded) throw new LambdaError('Runtime.InvalidStreamingOperation', 'Response stream is not finished.');
  } catch (err) {
    const doc = toErrorDocument(err);
    console.error('Invoke Error \t' + JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace }));
    fail(err);
  }
  await answered.catch(() => {});
}

// ---- handler loading (NRIC's order: extensionless, .js (CJS, or ESM under "type":"module"), .mjs, .cjs)
function isEsmPackage(dir) {
  for (let d = dir; d.startsWith(taskRoot); d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (d === path.dirname(d)) break;
  }
  return false;
}

async function loadModule(moduleDir, moduleName) {
  const base = path.resolve(taskRoot, moduleDir, moduleName);
  const require = createRequire(path.join(taskRoot, 'index.js'));
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return require(base);
  if (fs.existsSync(`${base}.js`)) {
    return isEsmPackage(path.dirname(base)) ? import(pathToFileURL(`${base}.js`).href) : require(`${base}.js`);
  }
  if (fs.existsSync(`${base}.mjs`)) return import(pathToFileURL(`${base}.mjs`).href);
  if (fs.existsSync(`${base}.cjs`)) return require(`${base}.cjs`);
  return require(require.resolve(moduleName, { paths: [taskRoot, path.resolve(taskRoot, moduleDir)] }));
}

async function loadHandler() {
  if (handlerString.includes('..')) {
    throw new LambdaError('Runtime.MalformedHandlerName', "'" + handlerString + "' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
  }
  const moduleDir = path.dirname(handlerString);
  const baseName = path.basename(handlerString);
  const dot = baseName.indexOf('.');
  if (dot < 0) throw new LambdaError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = baseName.slice(0, dot);
  const handlerPath = baseName.slice(dot + 1);
  let mod;
  try {
    mod = await loadModule(moduleDir, moduleName);
  } catch (err) {
    if (err instanceof SyntaxError) throw new LambdaError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`, err);
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new LambdaError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${path.join(taskRoot, '')}`, err);
    }
    throw err;
  }
  let fn = mod;
  for (const part of handlerPath.split('.')) fn = fn?.[part];
  if (fn === undefined && mod?.default) {
    fn = mod.default;
    for (const part of handlerPath.split('.')) fn = fn?.[part];
  }
  if (fn === undefined) throw new LambdaError('Runtime.HandlerNotFound', `${baseName} is undefined or not exported`);
  if (typeof fn !== 'function') throw new LambdaError('Runtime.HandlerNotFound', `${baseName} is not a function`);
  return fn;
}

// ---- context object
function makeContext(headers, finish) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const parse = (name, what) => {
    const raw = headers[name];
    if (raw === undefined) return undefined;
    try { return JSON.parse(raw); } catch (e) { throw new Error(`Cannot parse ${what} as json: ${e.message}`); }
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parse('lambda-runtime-cognito-identity', 'CognitoIdentity'),
    clientContext: parse('lambda-runtime-client-context', 'ClientContext'),
    getRemainingTimeInMillis: () => deadline - Date.now(),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err ?? 'handled'),
    done: (err, result) => finish(err, result),
  };
  return context;
}

// ---- one invocation
// Completion as AWS's Node.js runtime client implements it: a handler's promise settles the invocation; a callback
// (the third argument) does too, but with context.callbackWaitsForEmptyEventLoop (true by default) the answer waits
// until the event loop is empty, so timers and sockets the handler left still run inside the invocation; context.done,
// succeed and fail answer at once; a handler that neither returns a promise nor calls back is answered null once the
// loop is empty (its return value is ignored).
let onEmptyLoop = null;
process.on('beforeExit', () => {
  const settle = onEmptyLoop;
  onEmptyLoop = null;
  settle?.();
});

function invoke(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      onEmptyLoop = null;
      runtimeApi.hold(true); // synchronously: the loop must not run dry before the answer is written
      resolve(outcome);
    };
    const done = (err, result) => {
      if (answered) return;
      answered = true;
      settle(err !== null && err !== undefined ? { error: err } : { result });
    };
    const callback = (err, result) => {
      if (answered) return;
      if (err === null || err === undefined) {
        if (context.callbackWaitsForEmptyEventLoop) {
          answered = true;
          onEmptyLoop = () => settle({ result });
          return;
        }
      }
      done(err, result);
    };
    const context = makeContext(headers, done);
    onEmptyLoop = () => settle({ result: null });
    runtimeApi.hold(false);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (err) {
      done(err);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => done(null, result), (err) => done(err ?? new Error('Promise rejected')));
    }
  });
}

let handler;
let inFlightId;

// An exception or rejection nobody handled ends the process, as with AWS's client: one that surfaces while an
// invocation runs is its error; one a finished handler left behind surfaces before the next event is asked for (see
// the loop), and the invocation keeps its answer. Lambda then starts a new runtime; no event waits on this one.
let pendingAnswer;
let crashing = false;
async function crash(label, err, exitCode) {
  crashing = true; // the loop writes nothing more: this connection is crash()'s until the process exits
  const doc = toErrorDocument(err);
  console.error(label + ' \t' + JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace }));
  runtimeApi.hold(true);
  if (pendingAnswer) {
    const { requestId, kind, body } = pendingAnswer;
    await runtimeApi.post(`/2018-06-01/runtime/invocation/${requestId}/${kind}`, body, JSON_HEADERS).catch(() => {});
  } else if (inFlightId) {
    await postJson(`/2018-06-01/runtime/invocation/${inFlightId}/error`, JSON.stringify(doc)).catch(() => {});
  }
  process.exit(exitCode);
}
process.on('uncaughtException', (err) => crash('Uncaught Exception', err, 129));
process.on('unhandledRejection', (reason) => crash('Unhandled Promise Rejection',
  new LambdaError('Runtime.UnhandledPromiseRejection', `${reason?.name ?? 'Error'}: ${reason?.message ?? reason}`, reason), 128));

patchConsole();
try {
  handler = await loadHandler();
} catch (err) {
  const doc = toErrorDocument(err);
  console.error('Uncaught Exception \t' + JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace }));
  await postJson('/2018-06-01/runtime/init/error', JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType });
  process.exit(129);
}

// Each answer is also the long poll for the next event (Lambda-Cluster-Then-Next), so a warm invocation costs this
// process one write and one wake-up, and the node one request.
const NEXT = '/2018-06-01/runtime/invocation/next';
let next = await runtimeApi.get(NEXT);
const answer = async (requestId, kind, body) => {
  // One turn of the event loop first: a rejection the handler left unhandled is reported now (with this answer kept),
  // rather than after the next event was asked for, which a dying runtime could not serve.
  pendingAnswer = { requestId, kind, body };
  await new Promise((resolve) => setImmediate(resolve));
  if (crashing) return new Promise(() => {}); // crash() posts this answer and ends the process
  pendingAnswer = undefined;
  const answered = await runtimeApi.postThenNext(`/2018-06-01/runtime/invocation/${requestId}/${kind}`, body, JSON_HEADERS);
  return answered.status === 202 ? runtimeApi.get(NEXT) : answered; // a Runtime API that does not know the header (a proxy's) answers as Lambda does
};

for (;;) {
  if (next.status !== 200) {
    console.error(`Runtime API /next answered ${next.status}: ${next.body.toString('utf8')}`);
    process.exit(1);
  }
  const requestId = next.headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  inFlightId = requestId;
  if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;

  if (handler[STREAMING] === 'response') {
    let event;
    try {
      event = JSON.parse(next.body.toString('utf8'));
    } catch (err) {
      next = await answer(requestId, 'error', JSON.stringify(toErrorDocument(err)));
      inFlightId = undefined;
      continue;
    }
    await invokeStreaming(handler, event, next.headers, requestId);
    inFlightId = undefined;
    next = await runtimeApi.get(NEXT);
    continue;
  }

  let outcome;
  try {
    const event = JSON.parse(next.body.toString('utf8'));
    outcome = await invoke(handler, event, next.headers);
  } catch (err) {
    outcome = { error: err };
  }

  if ('error' in outcome) {
    const doc = toErrorDocument(outcome.error);
    console.error('Invoke Error \t' + JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace }));
    inFlightId = undefined;
    next = await answer(requestId, 'error', JSON.stringify(doc));
    continue;
  }

  let body;
  try {
    body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
  } catch (err) {
    inFlightId = undefined;
    next = await answer(requestId, 'error', JSON.stringify(toErrorDocument(new LambdaError('Runtime.MarshalError', err.message, err))));
    continue;
  }
  inFlightId = undefined;
  next = await answer(requestId, 'response', body ?? 'null');
}
