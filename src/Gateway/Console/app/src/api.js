// Every call the console makes: SigV4-signed (AWS's own signer) with the keys the user signed in with, to this origin.
// The keys live in this tab's sessionStorage only: never a cookie, never sent except as a signature.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

const STORAGE_KEY = 'lambda-cluster-console-session';

/** { accessKeyId, secretAccessKey, sessionToken?, region } or null. */
export function session() {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  return saved ? JSON.parse(saved) : null;
}

export function saveSession(value) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
}

export function endSession() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** An AWS error answer: code is the error type (ResourceNotFoundException...), status the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

const encode = (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs and sends one request. body: an object (sent as JSON), a string or bytes. Returns the Response;
 * throws ApiError for a 4xx/5xx answer, reading the error type as botocore does (x-amzn-ErrorType, __type, Code).
 */
export async function send({ service = 'lambda', method = 'GET', path, query = {}, body, headers = {}, signal }) {
  const current = session();
  if (!current) throw new ApiError(403, 'NotSignedIn', 'Sign in first.');
  const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)]));
  const payload = body === undefined ? undefined : body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body);
  const signer = new SignatureV4({
    service,
    region: current.region,
    credentials: { accessKeyId: current.accessKeyId, secretAccessKey: current.secretAccessKey, sessionToken: current.sessionToken || undefined },
    sha256: Sha256,
  });
  const allHeaders = { host: location.host, ...headers };
  if (payload !== undefined && !Object.keys(allHeaders).some((k) => k.toLowerCase() === 'content-type')) allHeaders['content-type'] = 'application/json';
  const signed = await signer.sign({ method, protocol: location.protocol, hostname: location.hostname, port: location.port ? Number(location.port) : undefined, path, query: params, headers: allHeaders, body: payload });
  delete signed.headers.host; // the browser sends it (the same value)
  const search = Object.entries(params).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const response = await fetch(`${path}${search ? `?${search}` : ''}`, { method, headers: signed.headers, body: payload, signal, credentials: 'omit' });
  if (response.status >= 400) {
    const text = await response.text();
    let parsed = {};
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    const code = (response.headers.get('x-amzn-ErrorType') || parsed.__type || parsed.Code || '').split(':')[0].split('#').pop();
    throw new ApiError(response.status, code, parsed.message || parsed.Message || text);
  }
  return response;
}

/** A JSON call: the parsed answer, or null for an empty one (204). */
export async function json(request) {
  const response = await send(request);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

const fn = (name) => encodeURIComponent(name);

/** Lambda's REST API (paths as botocore's model gives them). */
export const lambda = {
  listFunctions: (marker) => json({ path: '/2015-03-31/functions', query: { MaxItems: 50, Marker: marker } }),
  getFunction: (name) => json({ path: `/2015-03-31/functions/${fn(name)}` }),
  getConfiguration: (name, qualifier) => json({ path: `/2015-03-31/functions/${fn(name)}/configuration`, query: { Qualifier: qualifier } }),
  createFunction: (request) => json({ method: 'POST', path: '/2015-03-31/functions', body: request }),
  deleteFunction: (name) => json({ method: 'DELETE', path: `/2015-03-31/functions/${fn(name)}` }),
  updateCode: (name, zipBase64) => json({ method: 'PUT', path: `/2015-03-31/functions/${fn(name)}/code`, body: { ZipFile: zipBase64 } }),
  updateConfiguration: (name, request) => json({ method: 'PUT', path: `/2015-03-31/functions/${fn(name)}/configuration`, body: request }),
  invoke: (name, payload, qualifier) => send({ method: 'POST', path: `/2015-03-31/functions/${fn(name)}/invocations`, query: { Qualifier: qualifier }, body: payload, headers: { 'X-Amz-Log-Type': 'Tail', 'X-Amz-Invocation-Type': 'RequestResponse' } }),
  publishVersion: (name, description) => json({ method: 'POST', path: `/2015-03-31/functions/${fn(name)}/versions`, body: { Description: description || undefined } }),
  listVersions: (name, marker) => json({ path: `/2015-03-31/functions/${fn(name)}/versions`, query: { MaxItems: 50, Marker: marker } }),
  listAliases: (name) => json({ path: `/2015-03-31/functions/${fn(name)}/aliases` }),
  createAlias: (name, request) => json({ method: 'POST', path: `/2015-03-31/functions/${fn(name)}/aliases`, body: request }),
  deleteAlias: (name, alias) => json({ method: 'DELETE', path: `/2015-03-31/functions/${fn(name)}/aliases/${fn(alias)}` }),
  getReserved: (name) => json({ path: `/2019-09-30/functions/${fn(name)}/concurrency` }),
  putReserved: (name, count) => json({ method: 'PUT', path: `/2017-10-31/functions/${fn(name)}/concurrency`, body: { ReservedConcurrentExecutions: count } }),
  deleteReserved: (name) => json({ method: 'DELETE', path: `/2017-10-31/functions/${fn(name)}/concurrency` }),
  listProvisioned: (name) => json({ path: `/2019-09-30/functions/${fn(name)}/provisioned-concurrency`, query: { List: 'ALL' } }),
  putProvisioned: (name, qualifier, count) => json({ method: 'PUT', path: `/2019-09-30/functions/${fn(name)}/provisioned-concurrency`, query: { Qualifier: qualifier }, body: { ProvisionedConcurrentExecutions: count } }),
  deleteProvisioned: (name, qualifier) => json({ method: 'DELETE', path: `/2019-09-30/functions/${fn(name)}/provisioned-concurrency`, query: { Qualifier: qualifier } }),
  getUrl: (name) => json({ path: `/2021-10-31/functions/${fn(name)}/url` }),
  createUrl: (name, request) => json({ method: 'POST', path: `/2021-10-31/functions/${fn(name)}/url`, body: request }),
  updateUrl: (name, request) => json({ method: 'PUT', path: `/2021-10-31/functions/${fn(name)}/url`, body: request }),
  deleteUrl: (name) => json({ method: 'DELETE', path: `/2021-10-31/functions/${fn(name)}/url` }),
  addPermission: (name, request) => json({ method: 'POST', path: `/2015-03-31/functions/${fn(name)}/policy`, body: request }),
  listMappings: (name) => json({ path: '/2015-03-31/event-source-mappings', query: { FunctionName: name } }),
  createMapping: (request) => json({ method: 'POST', path: '/2015-03-31/event-source-mappings', body: request }),
  deleteMapping: (uuid) => json({ method: 'DELETE', path: `/2015-03-31/event-source-mappings/${fn(uuid)}` }),
  getEventInvokeConfig: (name) => json({ path: `/2019-09-25/functions/${fn(name)}/event-invoke-config` }),
  putEventInvokeConfig: (name, request) => json({ method: 'PUT', path: `/2019-09-25/functions/${fn(name)}/event-invoke-config`, body: request }),
  listLayers: () => json({ path: '/2018-10-31/layers' }),
};

/** CloudWatch Logs (JSON 1.1 on the same endpoint). */
export const logs = (operation, request) => json({
  service: 'logs', method: 'POST', path: '/', body: request,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
});

/** SQS and Kinesis, for the trigger pickers (JSON protocols). */
export const sqs = (operation, request) => json({
  service: 'sqs', method: 'POST', path: '/', body: request,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` },
});
export const kinesis = (operation, request) => json({
  service: 'kinesis', method: 'POST', path: '/', body: request,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kinesis_20131202.${operation}` },
});

/** EventBridge Schemas: where saved (shareable) test events live, as in Lambda's console. */
export const schemas = {
  describeRegistry: (registry) => json({ service: 'schemas', path: `/v1/registries/name/${fn(registry)}` }),
  createRegistry: (registry) => json({ service: 'schemas', method: 'POST', path: `/v1/registries/name/${fn(registry)}`, body: {} }),
  describeSchema: (registry, schema) => json({ service: 'schemas', path: `/v1/registries/name/${fn(registry)}/schemas/name/${fn(schema)}` }),
  createSchema: (registry, schema, content) => json({ service: 'schemas', method: 'POST', path: `/v1/registries/name/${fn(registry)}/schemas/name/${fn(schema)}`, body: { Type: 'OpenApi3', Content: content } }),
  updateSchema: (registry, schema, content) => json({ service: 'schemas', method: 'PUT', path: `/v1/registries/name/${fn(registry)}/schemas/name/${fn(schema)}`, body: { Type: 'OpenApi3', Content: content } }),
  deleteSchema: (registry, schema) => json({ service: 'schemas', method: 'DELETE', path: `/v1/registries/name/${fn(registry)}/schemas/name/${fn(schema)}` }),
};

/** The console's own views of the cluster (signed like the rest). */
export const cluster = {
  view: () => json({ path: '/console-api/cluster' }),
  metrics: (name) => json({ path: `/console-api/functions/${fn(name)}/metrics` }),
  node: () => json({ path: '/console-api/node' }),
};
