/**
 * Example `MultiRegionApi` handler that reads the region's Aurora PostgreSQL cluster (`AuroraGlobalFailover`).
 * It runs in every region, inside the database VPC (isolated subnets; Secrets Manager and DynamoDB are reached
 * through VPC endpoints), and always reads the LOCAL cluster's reader endpoint: a secondary region answers from its
 * replica, which trails the writer by the global database's replication lag (typically under a second,
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html).
 *
 * Routes (API Gateway REST, Lambda proxy integration; routed by `event.resource`, which has no stage prefix):
 * - `GET /health` → `SELECT 1` on the reader endpoint within `HEALTH_TIMEOUT_MS` (default 800) → 200
 *   `{ status: 'ok', region }` or 503 `{ status: 'unhealthy', region }` (the reason is logged, never returned).
 *   Route 53 counts a check as failed unless it gets 2xx/3xx within 2 s
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 *   The budget includes a cold start's secret fetch and TLS connection, so a cold environment may fail ONE check;
 *   Route 53 fails over only after `failureThreshold` consecutive failures (default 3).
 * - `GET /orders/{id}` → `SELECT id, status, updated_at FROM orders WHERE id = $1` → 200 `{ order, region }`,
 *   404, 400 on an id that is not a positive bigint, 503 when the secret or the database fails (no details returned).
 * - anything else → 404. `HEALTH_ONLY=true` (the region's health function) serves `GET /health` only.
 *
 * Environment (set by `AuroraGlobalFailover.connectFunction` and `MultiRegionApi`): `DB_SECRET_ARN` (this region's
 * replica of the secret), `DB_READER_ENDPOINT`, `DB_WRITER_ENDPOINT` (unused here: this handler only reads),
 * `DB_PORT` (default 5432), `DB_NAME` (default: the secret's `dbname`, else `postgres`), `HEALTH_ONLY`,
 * `FORCE_UNHEALTHY`, `HEALTH_TIMEOUT_MS`, `CORS_ALLOW_ORIGINS`, `CORS_ALLOW_CREDENTIALS`; and `DB_CA_FILE`,
 * `DB_CONNECT_TIMEOUT_MS` (default 2000), `DB_STATEMENT_TIMEOUT_MS` (default 3000), `SECRET_TTL_MS` (default 300000).
 *
 * TLS: the connection verifies the server certificate and host name (`rejectUnauthorized: true`), as AWS advises
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html). Aurora's certificates are
 * issued by the RDS certificate authorities, which Node.js does not trust. "Starting with Node.js 20, Lambda no longer
 * loads additional CA certificates by default"; the runtime ships all Amazon CA certificates, RDS's included, in
 * `/var/runtime/ca-cert.pem` (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "CA certificate
 * loading"). This handler adds that file (or `DB_CA_FILE`, e.g. RDS's `global-bundle.pem` shipped with your code) to
 * Node's roots for the database connection only, when it first connects: the effect of `NODE_EXTRA_CA_CERTS`
 * without its cold-start cost for every other TLS connection.
 */
import { readFileSync } from 'fs';
import { rootCertificates } from 'tls';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { Pool, type PoolConfig } from 'pg';

export const DEFAULT_HEALTH_TIMEOUT_MS = 800;
export const DEFAULT_CA_FILE = '/var/runtime/ca-cert.pem';
/** PostgreSQL's `bigint` range: ids outside it are a 400, not a database error. */
const MAX_BIGINT = BigInt('9223372036854775807');

/** The part of a `pg.Pool` this handler uses (tests inject a fake). */
export interface Db {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<{ [column: string]: unknown }> }>;
  end(): Promise<void>;
}

/** What the handler needs from outside: injected by tests, real clients in Lambda. */
export interface Deps {
  readonly secrets: SecretsManagerClient;
  readonly createDb: (config: PoolConfig) => Db;
  readonly readCa: (file: string) => string;
  readonly now: () => number;
}

export interface Config {
  readonly region: string;
  readonly secretArn: string;
  readonly host: string;
  readonly port: number;
  readonly database?: string;
  readonly caFile: string;
  readonly healthOnly: boolean;
  readonly forceUnhealthy: boolean;
  readonly healthTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly secretTtlMs: number;
  readonly allowOrigins: string[];
  readonly allowCredentials: boolean;
}

export function config(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    region: env.AWS_REGION ?? 'unknown',
    secretArn: env.DB_SECRET_ARN ?? '',
    host: env.DB_READER_ENDPOINT ?? '',
    port: positiveInt(env.DB_PORT) ?? 5432,
    database: env.DB_NAME || undefined,
    caFile: env.DB_CA_FILE || DEFAULT_CA_FILE,
    healthOnly: (env.HEALTH_ONLY ?? '').toLowerCase() === 'true',
    forceUnhealthy: (env.FORCE_UNHEALTHY ?? '').toLowerCase() === 'true',
    healthTimeoutMs: positiveInt(env.HEALTH_TIMEOUT_MS) ?? DEFAULT_HEALTH_TIMEOUT_MS,
    connectTimeoutMs: positiveInt(env.DB_CONNECT_TIMEOUT_MS) ?? 2000,
    statementTimeoutMs: positiveInt(env.DB_STATEMENT_TIMEOUT_MS) ?? 3000,
    secretTtlMs: positiveInt(env.SECRET_TTL_MS) ?? 5 * 60 * 1000,
    allowOrigins: (env.CORS_ALLOW_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0),
    allowCredentials: env.CORS_ALLOW_CREDENTIALS === 'true',
  };
}

interface Credentials { readonly username: string; readonly password: string; readonly dbname?: string }

/** Parses an RDS master secret (`{ username, password, dbname?, ... }`); throws without echoing its content. */
export function parseSecret(secretString: string | undefined): Credentials {
  let value: { [key: string]: unknown };
  try {
    value = JSON.parse(secretString ?? '');
  } catch {
    throw new Error('secret is not JSON');
  }
  if (typeof value?.username !== 'string' || typeof value.password !== 'string') {
    throw new Error('secret has no string `username` and `password`');
  }
  return { username: value.username, password: value.password, dbname: typeof value.dbname === 'string' ? value.dbname : undefined };
}

/** A valid `orders.id`: a positive integer within PostgreSQL's `bigint`, as a string. */
export function parseOrderId(id: string | undefined): string | undefined {
  return id !== undefined && /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT ? id : undefined;
}

/**
 * The pool settings: one connection per execution environment (Lambda runs one request at a time in each). The
 * health function's connect and statement timeouts are its health budget, so pg itself gives up within it too.
 */
export function poolConfig(cfg: Config, creds: Credentials, ca: string): PoolConfig {
  const budget = (ms: number) => (cfg.healthOnly ? Math.min(ms, cfg.healthTimeoutMs) : ms);
  return {
    host: cfg.host,
    port: cfg.port,
    database: cfg.database ?? creds.dbname ?? 'postgres',
    user: creds.username,
    password: creds.password,
    ssl: { rejectUnauthorized: true, ca: [...rootCertificates, ca] },
    max: 1,
    connectionTimeoutMillis: budget(cfg.connectTimeoutMs),
    statement_timeout: budget(cfg.statementTimeoutMs),
    query_timeout: budget(cfg.statementTimeoutMs + 500),
    idleTimeoutMillis: 60_000,
    // New connections resolve the endpoint again: after a failover the reader endpoint points elsewhere.
    maxLifetimeSeconds: 300,
    application_name: 'db-reader',
  };
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

type Reply = (statusCode: number, body: unknown) => APIGatewayProxyResult;

/** A handler with its own caches: the secret (for `SECRET_TTL_MS`) and the pool live across invocations. */
export function createHandler(deps: Deps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  let secret: { creds: Promise<Credentials>; arn: string; at: number } | undefined;
  let pool: { db: Db; key: string } | undefined;
  let ca: string | undefined;

  const credentials = (cfg: Config): Promise<Credentials> => {
    if (!secret || secret.arn !== cfg.secretArn || deps.now() - secret.at >= cfg.secretTtlMs) {
      const creds = deps.secrets.send(new GetSecretValueCommand({ SecretId: cfg.secretArn }))
        .then((out) => parseSecret(out.SecretString));
      const entry = { creds, arn: cfg.secretArn, at: deps.now() };
      secret = entry;
      // A failed fetch is not cached: the next request asks again.
      creds.catch(() => { if (secret === entry) secret = undefined; });
    }
    return secret.creds;
  };

  /** Drops the pool (or only `failed`, if it is still the current one): its connection is not reused. */
  const reset = (failed?: Db): void => {
    const old = pool;
    if (!old || (failed && old.db !== failed)) return;
    pool = undefined;
    old.db.end().catch(() => undefined);
  };

  const db = async (cfg: Config): Promise<Db> => {
    if (!cfg.secretArn || !cfg.host) {
      throw new Error('DB_SECRET_ARN and DB_READER_ENDPOINT must be set');
    }
    const creds = await credentials(cfg);
    ca ??= deps.readCa(cfg.caFile);
    const key = JSON.stringify([cfg.host, cfg.port, creds.username, creds.password, cfg.database]);
    if (pool?.key !== key) {
      reset(); // a rotated secret or another endpoint: drop the old connection
      pool = { db: deps.createDb(poolConfig(cfg, creds, ca)), key };
    }
    return pool.db;
  };

  /** Runs a query; any failure drops the pool (a broken or stuck connection is not reused). */
  const query = async (cfg: Config, text: string, values?: unknown[]) => {
    const conn = await db(cfg);
    try {
      return await conn.query(text, values);
    } catch (err) {
      reset(conn);
      if (['28P01', '28000'].includes((err as { code?: string }).code ?? '')) {
        secret = undefined; // authentication failed: the secret may have been rotated
      }
      throw err;
    }
  };

  const health = async (cfg: Config): Promise<APIGatewayProxyResult> => {
    const answer = (statusCode: number, status: string): APIGatewayProxyResult => ({
      statusCode,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ status, region: cfg.region }),
    });
    if (cfg.forceUnhealthy) {
      return unhealthy(answer, 'FORCE_UNHEALTHY is set');
    }
    try {
      await withTimeout(cfg.healthTimeoutMs, () => query(cfg, 'SELECT 1'));
    } catch (err) {
      if (err instanceof TimeoutError) {
        reset();
        return unhealthy(answer, `database check timed out after ${err.ms} ms`);
      }
      return unhealthy(answer, `database check failed: ${describe(err)}`);
    }
    return answer(200, 'ok');
  };

  const order = async (cfg: Config, event: APIGatewayProxyEvent, reply: Reply): Promise<APIGatewayProxyResult> => {
    const id = parseOrderId(event.pathParameters?.id);
    if (!id) {
      return reply(400, { message: '`id` must be a positive integer (PostgreSQL bigint)' });
    }
    const result = await query(cfg, 'SELECT id, status, updated_at FROM orders WHERE id = $1', [id]);
    const row = result.rows[0];
    if (!row) {
      return reply(404, { message: 'order not found', id, region: cfg.region });
    }
    return reply(200, { order: row, region: cfg.region });
  };

  return async (event) => {
    const cfg = config();
    const method = (event.httpMethod ?? '').toUpperCase();
    const route = `${method} ${event.resource ?? event.path ?? ''}`;
    if (route === 'GET /health') {
      return health(cfg);
    }
    const cors = cfg.healthOnly ? {} : corsHeaders(cfg, header(event, 'origin'));
    const reply: Reply = (statusCode, body) => ({
      statusCode,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors },
      body: JSON.stringify(body),
    });
    if (!cfg.healthOnly && method === 'OPTIONS') {
      return { statusCode: 204, headers: { ...cors }, body: '' };
    }
    if (cfg.healthOnly || route !== 'GET /orders/{id}') {
      return reply(404, { message: `route not found: ${method} ${event.path ?? event.resource ?? ''}` });
    }
    try {
      return await order(cfg, event, reply);
    } catch (err) {
      // Logged for operators, never returned: no host names, SQL states or secret ARNs to clients.
      console.error(JSON.stringify({ route, reason: describe(err) }));
      return reply(503, { message: 'database unavailable', region: cfg.region, requestId: event.requestContext?.requestId });
    }
  };
}

function unhealthy(answer: (statusCode: number, status: string) => APIGatewayProxyResult, reason: string) {
  console.error(JSON.stringify({ route: 'GET /health', reason }));
  return answer(503, 'unhealthy');
}

async function withTimeout<T>(ms: number, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function corsHeaders(cfg: Config, origin: string | undefined): { [name: string]: string } {
  const headers: { [name: string]: string } = {};
  if (cfg.allowOrigins.includes('*') && !cfg.allowCredentials) {
    headers['Access-Control-Allow-Origin'] = '*';
  } else if (origin && cfg.allowOrigins.includes(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers.Vary = 'Origin';
    if (cfg.allowCredentials) {
      headers['Access-Control-Allow-Credentials'] = 'true';
    }
  }
  return headers;
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found ? headers[found] : undefined;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** An error's name and SQLSTATE, for the logs. */
function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string } | undefined;
  return [e?.name ?? 'Error', e?.code, e?.message].filter((part) => part).join(': ');
}

/** The Lambda entry point: clients created once per execution environment, at init. */
export const handler = createHandler({
  secrets: new SecretsManagerClient({ maxAttempts: 2 }),
  createDb: (cfg) => {
    const pool = new Pool(cfg);
    // An idle connection that breaks emits 'error' on the pool; without a listener it would crash the process.
    pool.on('error', (err) => console.error(JSON.stringify({ reason: `idle connection failed: ${describe(err)}` })));
    return pool;
  },
  readCa: (file) => readFileSync(file, 'utf8'),
  now: Date.now,
});
