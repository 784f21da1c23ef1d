/**
 * Built-in bootstrap handler of `MultiRegionApi`: a small, real API over the region's replica of the
 * DynamoDB global table, so that a fresh deploy works end to end.
 *
 * Routes (API Gateway REST, Lambda proxy integration; routed by `event.resource`):
 * - `GET /read?<key>=...`  → 200 `{ item, region }`, or 404 when there is no such item
 * - `POST /write` (JSON object with a non-empty string `<key>`) → 201 `{ item, region }`. A conditional create
 *   in THIS region's replica: 409 when the item exists there; 413 over `MAX_BODY_BYTES`; 400 on bad input
 *   (a key over DynamoDB's 2,048-byte partition key limit, numbers beyond `Number.MAX_SAFE_INTEGER`, nesting
 *   deeper than DynamoDB's 32 levels)
 * - `GET /health` → deep check: one cheap read of the local replica within a fixed budget →
 *   200 `{ status: 'ok', region }` or 503 `{ status: 'unhealthy', region }` (the reason is logged, never returned);
 *   `FORCE_UNHEALTHY=true` answers 503 (failover drills)
 * - anything else → 404. DynamoDB errors → 500 without details (they are logged, never returned).
 *
 * `HEALTH_ONLY=true` makes it the region's health function: it serves `GET /health` and answers 404 to anything
 * else (it is allowed only `GetItem`, so it could not serve `/write` anyway). `MultiRegionApi` runs the same code
 * twice per region, once for the routes and once, with `HEALTH_ONLY=true`, for `/health`.
 *
 * Environment: `TABLE_NAME` (required), `TABLE_KEY` (partition key attribute, default `id`),
 * `HEALTH_TIMEOUT_MS` (default 800), `MAX_BODY_BYTES` (default 16384), `FORCE_UNHEALTHY`, `HEALTH_ONLY`,
 * `CORS_ALLOW_ORIGINS` (comma-separated), `CORS_ALLOW_CREDENTIALS`. `AWS_REGION` is set by the Lambda runtime.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** The key the health check reads: it never exists, so the read is the cheapest one possible. */
export const HEALTH_PROBE_KEY = '__multi-region-api-health-probe__';

/**
 * Budget of the health check's table read. Route 53 counts a check as failed unless the endpoint answers
 * 2xx/3xx within 2 s after the TCP connection, TLS handshake and request included, from checkers on other
 * continents (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 * 0.8 s for the read leaves about 1.2 s for the handshake, the request, API Gateway and Lambda.
 */
export const DEFAULT_HEALTH_TIMEOUT_MS = 800;
/** Connection timeout of the health read (a connection to DynamoDB in the same region takes milliseconds). */
export const HEALTH_CONNECTION_TIMEOUT_MS = 300;
/**
 * DynamoDB's partition key limit: 1 to 2,048 bytes of UTF-8
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-partition-sort-keys).
 */
export const MAX_KEY_BYTES = 2048;
/** Default limit of a `POST /write` body: every byte written is replicated to every region. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/**
 * DynamoDB supports nested attributes up to 32 levels deep
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-attributes).
 */
const MAX_NESTING = 32;

// Clients are created once per execution environment (at init, outside the handler) and reused by every
// invocation: no client construction or credential resolution on the request path.
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * The health check's client: ONE attempt (no SDK retries, which would overrun Route 53's 2 s), with connection and
 * request timeouts inside the budget; the handler also aborts the request at the budget.
 */
export const healthClient = DynamoDBDocumentClient.from(new DynamoDBClient({
  maxAttempts: 1,
  requestHandler: {
    connectionTimeout: HEALTH_CONNECTION_TIMEOUT_MS,
    requestTimeout: positiveInt(process.env.HEALTH_TIMEOUT_MS) ?? DEFAULT_HEALTH_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
}));

class TimeoutError extends Error {
  constructor(public readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

interface Config {
  readonly tableName: string;
  readonly key: string;
  readonly region: string;
  readonly healthTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly forceUnhealthy: boolean;
  readonly healthOnly: boolean;
  readonly allowOrigins: string[];
  readonly allowCredentials: boolean;
}

function config(): Config {
  return {
    tableName: process.env.TABLE_NAME ?? '',
    key: process.env.TABLE_KEY || 'id',
    region: process.env.AWS_REGION ?? 'unknown',
    healthTimeoutMs: positiveInt(process.env.HEALTH_TIMEOUT_MS) ?? DEFAULT_HEALTH_TIMEOUT_MS,
    maxBodyBytes: positiveInt(process.env.MAX_BODY_BYTES) ?? DEFAULT_MAX_BODY_BYTES,
    forceUnhealthy: (process.env.FORCE_UNHEALTHY ?? '').toLowerCase() === 'true',
    healthOnly: (process.env.HEALTH_ONLY ?? '').toLowerCase() === 'true',
    allowOrigins: (process.env.CORS_ALLOW_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0),
    allowCredentials: process.env.CORS_ALLOW_CREDENTIALS === 'true',
  };
}

/** Lambda entry point (API Gateway REST proxy integration). */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const cfg = config();
  const method = (event.httpMethod ?? '').toUpperCase();
  const route = `${method} ${event.resource ?? event.path ?? ''}`;
  if (route === 'GET /health') {
    // First and cheapest: no CORS, no body parsing.
    return health(cfg);
  }
  // The health function serves nothing else: no CORS, no DynamoDB call.
  const cors = cfg.healthOnly ? {} : corsHeaders(cfg, header(event, 'origin'));
  const reply = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors },
    body: JSON.stringify(body),
  });
  if (cfg.healthOnly) {
    return reply(404, { message: `route not found: ${method} ${event.path ?? event.resource ?? ''}` });
  }
  if (method === 'OPTIONS') {
    return { statusCode: 204, headers: { ...cors }, body: '' };
  }
  try {
    switch (route) {
      case 'GET /read':
        return await read(cfg, event, reply);
      case 'POST /write':
        return await write(cfg, event, reply);
      default:
        return reply(404, { message: `route not found: ${method} ${event.path ?? event.resource ?? ''}` });
    }
  } catch (err) {
    // Log the details for operators; never return them (no stack traces or internals to clients).
    console.error(JSON.stringify({ route, error: errorName(err), message: (err as Error)?.message }));
    return reply(500, { message: 'internal error', region: cfg.region, requestId: event.requestContext?.requestId });
  }
}

type Reply = (statusCode: number, body: unknown) => APIGatewayProxyResult;

async function read(cfg: Config, event: APIGatewayProxyEvent, reply: Reply): Promise<APIGatewayProxyResult> {
  const id = event.queryStringParameters?.[cfg.key];
  if (!isValidKey(id)) {
    return reply(400, { message: `query parameter \`${cfg.key}\` is required: a non-empty string of at most ${MAX_KEY_BYTES} bytes (UTF-8)` });
  }
  const result = await documentClient.send(new GetCommand({ TableName: cfg.tableName, Key: { [cfg.key]: id }, ConsistentRead: true }));
  if (!result.Item) {
    return reply(404, { message: 'item not found', [cfg.key]: id, region: cfg.region });
  }
  return reply(200, { item: result.Item, region: cfg.region });
}

async function write(cfg: Config, event: APIGatewayProxyEvent, reply: Reply): Promise<APIGatewayProxyResult> {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const size = raw ? Buffer.byteLength(raw) : 0;
  if (size > cfg.maxBodyBytes) {
    return reply(413, { message: `request body must be at most ${cfg.maxBodyBytes} bytes, got: ${size}` });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw ?? '');
  } catch {
    return reply(400, { message: 'request body must be valid JSON' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return reply(400, { message: 'request body must be a JSON object' });
  }
  const fields = body as { [name: string]: unknown };
  const id = fields[cfg.key];
  if (!isValidKey(id)) {
    return reply(400, { message: `\`${cfg.key}\` is required: a non-empty string of at most ${MAX_KEY_BYTES} bytes (UTF-8)` });
  }
  const problem = checkValues(fields);
  if (problem) {
    return reply(400, { message: problem });
  }
  const item = { ...fields, _writtenIn: cfg.region, _writtenAt: new Date().toISOString() };
  try {
    // A conditional create, evaluated against THIS region's replica only. With a multi-Region strong consistency
    // (MRSC) table, or while every write goes to one region, an existing item is never overwritten. With the default
    // eventual consistency (MREC), a create of the same key in another region that has not replicated here yet
    // passes too, and the last writer wins when they replicate: AWS routes conditional writes of MREC tables to one
    // Region for that reason (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
    // https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/write-to-one-region.html).
    await documentClient.send(new PutCommand({
      TableName: cfg.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(#k)',
      ExpressionAttributeNames: { '#k': cfg.key },
    }));
  } catch (err) {
    if (errorName(err) === 'ConditionalCheckFailedException') {
      return reply(409, { message: `an item with this \`${cfg.key}\` exists already; items cannot be overwritten`, [cfg.key]: id, region: cfg.region });
    }
    if (errorName(err) === 'ValidationException') {
      return reply(400, { message: 'item rejected by DynamoDB (e.g. larger than 400 KB or an empty attribute name)' });
    }
    throw err;
  }
  return reply(201, { item, region: cfg.region });
}

/**
 * The first value DynamoDB or the document client would refuse: numbers beyond `Number.MAX_SAFE_INTEGER`
 * (the document client refuses them rather than lose precision) and nesting deeper than DynamoDB's 32 levels.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
function checkValues(fields: { [name: string]: unknown }): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = Object.entries(fields)
    .map(([name, value]) => ({ value, path: name, depth: 0 }));
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'number' && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      return `numbers must be integers or decimals within ±${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER), got: ${BigInt(value)} at \`${path}\``;
    }
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth >= MAX_NESTING) {
      return `attributes may be nested at most ${MAX_NESTING} levels deep (DynamoDB's limit), got more at \`${path.replace(/(\[\d+\])+$/, '')}\``;
    }
    const children = Array.isArray(value)
      ? value.map((v, i) => ({ value: v, path: `${path}[${i}]`, depth: depth + 1 }))
      : Object.entries(value).map(([k, v]) => ({ value: v, path: `${path}.${k}`, depth: depth + 1 }));
    pending.push(...children.reverse());
  }
  return undefined;
}

async function health(cfg: Config): Promise<APIGatewayProxyResult> {
  const answer = (statusCode: number, status: string): APIGatewayProxyResult => ({
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ status, region: cfg.region }),
  });
  // The reason goes to the logs only: the health route is public, so it returns no AWS error names.
  const unhealthy = (reason: string) => {
    console.error(JSON.stringify({ route: 'GET /health', reason }));
    return answer(503, 'unhealthy');
  };
  if (cfg.forceUnhealthy) {
    return unhealthy('FORCE_UNHEALTHY is set');
  }
  if (!cfg.tableName) {
    return unhealthy('TABLE_NAME is not set');
  }
  try {
    await withTimeout(cfg.healthTimeoutMs, (abortSignal) => healthClient.send(
      new GetCommand({ TableName: cfg.tableName, Key: { [cfg.key]: HEALTH_PROBE_KEY }, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': cfg.key } }),
      { abortSignal },
    ));
  } catch (err) {
    return unhealthy(err instanceof TimeoutError ? `table read timed out after ${err.ms} ms` : `table read failed: ${errorName(err)}`);
  }
  return answer(200, 'ok');
}

async function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(ms));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function corsHeaders(cfg: Config, origin: string | undefined): { [name: string]: string } {
  if (cfg.allowOrigins.length === 0) {
    return {};
  }
  const headers: { [name: string]: string } = {};
  if (cfg.allowOrigins.includes('*') && !cfg.allowCredentials) {
    headers['Access-Control-Allow-Origin'] = '*';
  } else if (origin && cfg.allowOrigins.includes(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers.Vary = 'Origin';
  } else {
    return {};
  }
  if (cfg.allowCredentials) {
    headers['Access-Control-Allow-Credentials'] = 'true';
  }
  return headers;
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found ? headers[found] : undefined;
}

function isValidKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= MAX_KEY_BYTES;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? 'Error';
}
