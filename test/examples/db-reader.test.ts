import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { PoolConfig } from 'pg';
import { createHandler, Db, parseOrderId } from '../../examples/db-reader/index';

const sm = mockClient(SecretsManagerClient);
const ENV = { ...process.env };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-master-AbCdEf';
const READER = 'app.cluster-ro-abc123.eu-west-1.rds.amazonaws.com';
const CA_PEM = '-----BEGIN CERTIFICATE-----\nRDS-CA\n-----END CERTIFICATE-----\n';
const LEAK = 'connect ECONNREFUSED 10.0.1.23:5432 app.cluster-ro-abc123';

type Rows = Array<{ [column: string]: unknown }>;
type Respond = (text: string, values?: unknown[]) => Promise<{ rows: Rows }>;

/** A fake `pg.Pool`: records queries and `end()`, answers with `respond`. */
class FakeDb implements Db {
  readonly queries: Array<{ text: string; values?: unknown[] }> = [];
  ended = false;
  constructor(private readonly respond: Respond) {}
  query(text: string, values?: unknown[]) {
    this.queries.push({ text, values });
    return this.respond(text, values);
  }
  async end() {
    this.ended = true;
  }
}

function setup(respond: Respond = async () => ({ rows: [] })) {
  const pools: FakeDb[] = [];
  const configs: PoolConfig[] = [];
  let clock = 1_000_000;
  const readCa = jest.fn((_file: string) => CA_PEM);
  const handler = createHandler({
    secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    createDb: (cfg) => {
      configs.push(cfg);
      const db = new FakeDb(respond);
      pools.push(db);
      return db;
    },
    readCa,
    now: () => clock,
  });
  const call = async (e: APIGatewayProxyEvent) => {
    const res = await handler(e);
    return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
  };
  return { call, pools, configs, readCa, advance: (ms: number) => { clock += ms; } };
}

function event(method: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const base = { httpMethod: method, resource, path: resource, headers: {}, pathParameters: null, requestContext: { requestId: 'req-1' } };
  return { ...base, ...extra } as unknown as APIGatewayProxyEvent;
}
const health = () => event('GET', '/health');
const order = (id: string) => event('GET', '/orders/{id}', { path: `/orders/${id}`, pathParameters: { id } });
const secretValue = (password = 'pw-1') => ({ SecretString: JSON.stringify({ username: 'app', password, dbname: 'shop', host: 'ignored' }) });
const dbError = (code: string) => Object.assign(new Error(LEAK), { code });

let consoleError: jest.SpyInstance;
beforeEach(() => {
  sm.reset();
  sm.on(GetSecretValueCommand).resolves(secretValue());
  process.env = { ...ENV, AWS_REGION: 'eu-west-1', DB_SECRET_ARN: SECRET_ARN, DB_READER_ENDPOINT: READER, DB_PORT: '5432' };
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  process.env = { ...ENV };
  consoleError.mockRestore();
});

describe('GET /health', () => {
  test('SELECT 1 on the reader endpoint over verified TLS → 200', async () => {
    const t = setup(async () => ({ rows: [{ '?column?': 1 }] }));
    const res = await t.call(health());
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok', region: 'eu-west-1' });
    expect(t.pools[0].queries).toEqual([{ text: 'SELECT 1', values: undefined }]);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    expect(t.configs[0]).toMatchObject({ host: READER, port: 5432, user: 'app', password: 'pw-1', database: 'shop', max: 1 });
    expect(t.configs[0]).toMatchObject({ connectionTimeoutMillis: 2000, statement_timeout: 3000, query_timeout: 3500 });
    expect(t.configs[0].ssl).toMatchObject({ rejectUnauthorized: true });
    expect((t.configs[0].ssl as { ca: string[] }).ca).toContain(CA_PEM);
    expect(t.readCa).toHaveBeenCalledWith('/var/runtime/ca-cert.pem');
  });

  test('a query slower than HEALTH_TIMEOUT_MS → 503 within the budget, and the stuck connection is dropped', async () => {
    process.env.HEALTH_TIMEOUT_MS = '50';
    const t = setup(() => new Promise(() => undefined));
    const started = Date.now();
    const res = await t.call(health());
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(400);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1' });
    expect(t.pools[0].ended).toBe(true);
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('timed out after 50 ms'));
  });

  test('a database error → 503 without details; the next check opens a new connection', async () => {
    let fail = true;
    const t = setup(async () => {
      if (fail) throw dbError('57P01');
      return { rows: [] };
    });
    const res = await t.call(health());
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('ECONNREFUSED');
    expect(t.pools[0].ended).toBe(true);
    fail = false;
    expect((await t.call(health())).statusCode).toBe(200);
    expect(t.pools).toHaveLength(2);
  });

  test('the health function connects within the health budget', async () => {
    process.env = { ...process.env, HEALTH_ONLY: 'true', HEALTH_TIMEOUT_MS: '700' };
    const t = setup();
    expect((await t.call(health())).statusCode).toBe(200);
    expect(t.configs[0]).toMatchObject({ connectionTimeoutMillis: 700, statement_timeout: 700, query_timeout: 700 });
  });

  test('FORCE_UNHEALTHY=true → 503 without touching the database', async () => {
    process.env.FORCE_UNHEALTHY = 'true';
    const t = setup();
    expect((await t.call(health())).statusCode).toBe(503);
    expect(t.pools).toHaveLength(0);
    expect(sm).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  test.each(['DB_SECRET_ARN', 'DB_READER_ENDPOINT'])('%s unset → 503', async (name) => {
    delete process.env[name];
    const t = setup();
    expect((await t.call(health())).statusCode).toBe(503);
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('DB_SECRET_ARN and DB_READER_ENDPOINT must be set'));
  });

  test('an unreadable CA bundle → 503', async () => {
    const t = setup();
    t.readCa.mockImplementation(() => {
      throw new Error('ENOENT');
    });
    expect((await t.call(health())).statusCode).toBe(503);
  });
});

describe('GET /orders/{id}', () => {
  test('found → 200 with the row, read from the reader endpoint with a bound parameter', async () => {
    const row = { id: '42', status: 'shipped', updated_at: '2025-01-02T03:04:05.000Z' };
    const t = setup(async () => ({ rows: [row] }));
    const res = await t.call(order('42'));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ order: row, region: 'eu-west-1' });
    expect(t.pools[0].queries).toEqual([{ text: 'SELECT id, status, updated_at FROM orders WHERE id = $1', values: ['42'] }]);
  });

  test('not found → 404', async () => {
    const t = setup(async () => ({ rows: [] }));
    const res = await t.call(order('7'));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ message: 'order not found', id: '7', region: 'eu-west-1' });
  });

  test.each(['abc', '0', '-1', '007', '1.5', '9223372036854775808', '1 OR 1=1', ''])('bad id %p → 400 without a database call', async (id) => {
    const t = setup();
    const res = await t.call(order(id));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message: '`id` must be a positive integer (PostgreSQL bigint)' });
    expect(t.pools).toHaveLength(0);
    expect(sm).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  test('the largest bigint is a valid id', () => {
    expect(parseOrderId('9223372036854775807')).toBe('9223372036854775807');
  });

  test('a database error → 503 without details', async () => {
    const t = setup(async () => {
      throw dbError('08006');
    });
    const res = await t.call(order('42'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: 'database unavailable', region: 'eu-west-1', requestId: 'req-1' });
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('08006'));
  });
});

describe('credentials', () => {
  test('the secret is fetched once and cached across invocations; the connection is reused', async () => {
    const t = setup(async () => ({ rows: [] }));
    await t.call(order('1'));
    await t.call(health());
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(t.pools).toHaveLength(1);
  });

  test('after SECRET_TTL_MS the secret is fetched again; a rotated password opens a new connection', async () => {
    process.env.SECRET_TTL_MS = '60000';
    const t = setup();
    await t.call(health());
    t.advance(59_999);
    await t.call(health());
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    sm.on(GetSecretValueCommand).resolves(secretValue('pw-2'));
    t.advance(1);
    await t.call(health());
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(t.configs.map((c) => c.password)).toEqual(['pw-1', 'pw-2']);
    expect(t.pools[0].ended).toBe(true);
  });

  test('an authentication failure drops the cached secret', async () => {
    let fail = true;
    const t = setup(async () => {
      if (fail) throw dbError('28P01');
      return { rows: [] };
    });
    expect((await t.call(health())).statusCode).toBe(503);
    fail = false;
    expect((await t.call(health())).statusCode).toBe(200);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  test('a Secrets Manager error → 503 (orders and health), and it is not cached', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform GetSecretValue'), { name: 'AccessDeniedException' });
    sm.on(GetSecretValueCommand).rejectsOnce(denied).resolves(secretValue());
    const t = setup(async () => ({ rows: [] }));
    const res = await t.call(order('42'));
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('AccessDenied');
    expect(res.body).not.toContain(SECRET_ARN);
    expect((await t.call(health())).statusCode).toBe(200);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  test.each([
    ['not JSON', { SecretString: 'hunter2' }, 'secret is not JSON'],
    ['no password', { SecretString: '{"username":"app"}' }, 'secret has no string `username` and `password`'],
  ])('a secret that is %s → 503, its content not logged', async (_name, value, reason) => {
    sm.on(GetSecretValueCommand).resolves(value);
    const t = setup();
    expect((await t.call(health())).statusCode).toBe(503);
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining(reason));
    expect(JSON.stringify(consoleError.mock.calls)).not.toContain('hunter2');
  });
});

describe('routing', () => {
  test('unknown route → 404', async () => {
    const t = setup();
    const res = await t.call(event('GET', '/customers/{id}', { path: '/customers/1' }));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ message: 'route not found: GET /customers/1' });
  });

  test('the health function (HEALTH_ONLY=true) answers 404 to /orders', async () => {
    process.env.HEALTH_ONLY = 'true';
    const t = setup();
    expect((await t.call(order('42'))).statusCode).toBe(404);
    expect(t.pools).toHaveLength(0);
  });

  test('CORS: an allowed origin is echoed; OPTIONS → 204', async () => {
    process.env = { ...process.env, CORS_ALLOW_ORIGINS: 'https://shop.example.com', CORS_ALLOW_CREDENTIALS: 'true' };
    const t = setup(async () => ({ rows: [] }));
    const headers = { Origin: 'https://shop.example.com' };
    const preflight = await t.call(event('OPTIONS', '/orders/{id}', { headers }));
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toEqual({
      'Access-Control-Allow-Origin': 'https://shop.example.com', 'Vary': 'Origin', 'Access-Control-Allow-Credentials': 'true',
    });
    const res = await t.call({ ...order('1'), headers: { origin: 'https://evil.example.com' } });
    expect(res.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});
