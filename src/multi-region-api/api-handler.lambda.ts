/**
 * Built-in bootstrap handler of `MultiRegionApi`: a small, real API over the region's replica of the
 * DynamoDB global table, so that a fresh deploy works end to end.
 *
 * Routes (API Gateway REST, Lambda proxy integration; routed by `event.resource`):
 * - `GET /read?<key>=...`  → 200 `{ item, region }`, or 404 when there is no such item
 * - `POST /write` (JSON object with a non-empty string `<key>`) → 201 `{ item, region }`; 400 on bad input
 * - `GET /health` → deep check: a cheap read on the local replica with a short timeout →
 *   200 `{ status: 'ok', region }` or 503 `{ status: 'unhealthy', region, reason }`;
 *   `FORCE_UNHEALTHY=true` answers 503 (failover drills)
 * - anything else → 404. DynamoDB errors → 500 without details (they are logged, never returned).
 *
 * Environment: `TABLE_NAME` (required), `TABLE_KEY` (partition key attribute, default `id`),
 * `HEALTH_TIMEOUT_MS` (default 1500), `FORCE_UNHEALTHY`, `CORS_ALLOW_ORIGINS` (comma-separated),
 * `CORS_ALLOW_CREDENTIALS`. `AWS_REGION` is set by the Lambda runtime.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** The key the health check reads: it never exists, so the read is the cheapest one possible. */
export const HEALTH_PROBE_KEY = '__multi-region-api-health-probe__';
const DEFAULT_HEALTH_TIMEOUT_MS = 1500;
const MAX_KEY_LENGTH = 1024;

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
  readonly forceUnhealthy: boolean;
  readonly allowOrigins: string[];
  readonly allowCredentials: boolean;
}

function config(): Config {
  const timeout = Number(process.env.HEALTH_TIMEOUT_MS);
  return {
    tableName: process.env.TABLE_NAME ?? '',
    key: process.env.TABLE_KEY || 'id',
    region: process.env.AWS_REGION ?? 'unknown',
    healthTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_HEALTH_TIMEOUT_MS,
    forceUnhealthy: (process.env.FORCE_UNHEALTHY ?? '').toLowerCase() === 'true',
    allowOrigins: (process.env.CORS_ALLOW_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0),
    allowCredentials: process.env.CORS_ALLOW_CREDENTIALS === 'true',
  };
}

/** Lambda entry point (API Gateway REST proxy integration). */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const cfg = config();
  const cors = corsHeaders(cfg, header(event, 'origin'));
  const reply = (statusCode: number, body: unknown, extra: { [name: string]: string } = {}): APIGatewayProxyResult => ({
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors, ...extra },
    body: JSON.stringify(body),
  });
  const method = (event.httpMethod ?? '').toUpperCase();
  const route = `${method} ${event.resource ?? event.path ?? ''}`;

  if (method === 'OPTIONS') {
    return { statusCode: 204, headers: { ...cors }, body: '' };
  }
  if (route === 'GET /health') {
    return health(cfg, reply);
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

type Reply = (statusCode: number, body: unknown, extra?: { [name: string]: string }) => APIGatewayProxyResult;

async function read(cfg: Config, event: APIGatewayProxyEvent, reply: Reply): Promise<APIGatewayProxyResult> {
  const id = event.queryStringParameters?.[cfg.key];
  if (!isValidKey(id)) {
    return reply(400, { message: `query parameter \`${cfg.key}\` is required: a non-empty string of at most ${MAX_KEY_LENGTH} characters` });
  }
  const result = await documentClient.send(new GetCommand({ TableName: cfg.tableName, Key: { [cfg.key]: id }, ConsistentRead: true }));
  if (!result.Item) {
    return reply(404, { message: 'item not found', [cfg.key]: id, region: cfg.region });
  }
  return reply(200, { item: result.Item, region: cfg.region });
}

async function write(cfg: Config, event: APIGatewayProxyEvent, reply: Reply): Promise<APIGatewayProxyResult> {
  let body: unknown;
  try {
    const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    body = JSON.parse(raw ?? '');
  } catch {
    return reply(400, { message: 'request body must be valid JSON' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return reply(400, { message: 'request body must be a JSON object' });
  }
  const fields = body as { [name: string]: unknown };
  if (!isValidKey(fields[cfg.key])) {
    return reply(400, { message: `\`${cfg.key}\` is required: a non-empty string of at most ${MAX_KEY_LENGTH} characters` });
  }
  const item = { ...fields, _writtenIn: cfg.region, _writtenAt: new Date().toISOString() };
  try {
    await documentClient.send(new PutCommand({ TableName: cfg.tableName, Item: item }));
  } catch (err) {
    if (errorName(err) === 'ValidationException') {
      return reply(400, { message: 'item rejected by DynamoDB (e.g. larger than 400 KB or an empty attribute name)' });
    }
    throw err;
  }
  return reply(201, { item, region: cfg.region });
}

async function health(cfg: Config, reply: Reply): Promise<APIGatewayProxyResult> {
  const unhealthy = (reason: string) => reply(503, { status: 'unhealthy', region: cfg.region, reason });
  if (cfg.forceUnhealthy) {
    return unhealthy('FORCE_UNHEALTHY is set');
  }
  if (!cfg.tableName) {
    return unhealthy('TABLE_NAME is not set');
  }
  try {
    await withTimeout(cfg.healthTimeoutMs, (abortSignal) => documentClient.send(
      new GetCommand({ TableName: cfg.tableName, Key: { [cfg.key]: HEALTH_PROBE_KEY }, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': cfg.key } }),
      { abortSignal },
    ));
  } catch (err) {
    const reason = err instanceof TimeoutError
      ? `table read timed out after ${err.ms} ms`
      : `table read failed: ${errorName(err)}`;
    console.error(JSON.stringify({ route: 'GET /health', reason }));
    return unhealthy(reason);
  }
  return reply(200, { status: 'ok', region: cfg.region });
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
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH;
}

function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? 'Error';
}
