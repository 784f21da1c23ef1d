import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, handler, HEALTH_PROBE_KEY, healthClient, MAX_KEY_BYTES,
} from '../../src/multi-region-api/api-handler.lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ENV = { ...process.env };

function event(method: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    resource,
    path: resource,
    headers: {},
    queryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' },
    ...extra,
  } as unknown as APIGatewayProxyEvent;
}

async function call(e: APIGatewayProxyEvent) {
  const res = await handler(e);
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

function serviceError(name: string, message = 'internal detail that must not leak'): Error {
  const err = new Error(message);
  err.name = name;
  err.stack = `${name}: ${message}\n    at secretFunction (/var/task/index.js:1:1)`;
  return err;
}

const write = (body: unknown) => call(event('POST', '/write', { body: typeof body === 'string' ? body : JSON.stringify(body) }));

beforeEach(() => {
  ddb.reset();
  process.env = { ...ENV, TABLE_NAME: 'orders', AWS_REGION: 'eu-west-1', CORS_ALLOW_ORIGINS: 'https://app.example.com' };
  delete process.env.TABLE_KEY;
  delete process.env.FORCE_UNHEALTHY;
  delete process.env.HEALTH_TIMEOUT_MS;
  delete process.env.MAX_BODY_BYTES;
  delete process.env.HEALTH_ONLY;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(() => {
  process.env = ENV;
});

describe('GET /read', () => {
  test('found → 200 with the item and the region, consistent read of the key', async () => {
    ddb.on(GetCommand).resolves({ Item: { id: 'a', value: 1 } });
    const res = await call(event('GET', '/read', { queryStringParameters: { id: 'a' }, headers: { Origin: 'https://app.example.com' } }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ item: { id: 'a', value: 1 }, region: 'eu-west-1' });
    expect(res.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': 'https://app.example.com' }));
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toEqual({ TableName: 'orders', Key: { id: 'a' }, ConsistentRead: true });
  });

  test('not found → 404', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/read', { queryStringParameters: { id: 'missing' } }));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ message: 'item not found', id: 'missing', region: 'eu-west-1' });
  });

  test.each([
    ['no query string', null],
    ['empty key', { id: '' }],
    // DynamoDB's partition key limit is 2,048 bytes of UTF-8: 683 three-byte characters are 2,049 bytes.
    ['key over 2,048 UTF-8 bytes', { id: '€'.repeat(683) }],
    ['key over 2,048 ASCII bytes', { id: 'x'.repeat(2049) }],
  ])('%s → 400 with a message, no DynamoDB call', async (_name, qs) => {
    const res = await call(event('GET', '/read', { queryStringParameters: qs as any }));
    expect(res.statusCode).toBe(400);
    expect(res.json.message).toBe('query parameter `id` is required: a non-empty string of at most 2048 bytes (UTF-8)');
    expect(ddb.calls()).toHaveLength(0);
  });

  test('a key of exactly 2,048 UTF-8 bytes is accepted', async () => {
    ddb.on(GetCommand).resolves({});
    const key = '€'.repeat(682) + 'xx'; // 2,046 + 2 bytes
    expect(Buffer.byteLength(key)).toBe(MAX_KEY_BYTES);
    expect((await call(event('GET', '/read', { queryStringParameters: { id: key } }))).statusCode).toBe(404);
  });

  test('TABLE_KEY names the partition key', async () => {
    process.env.TABLE_KEY = 'pk';
    ddb.on(GetCommand).resolves({ Item: { pk: 'a' } });
    const res = await call(event('GET', '/read', { queryStringParameters: { pk: 'a' } }));
    expect(res.statusCode).toBe(200);
    expect(ddb.commandCalls(GetCommand)[0].args[0].input.Key).toEqual({ pk: 'a' });
  });

  test('DynamoDB error → 500 without details or stack trace; the error is logged', async () => {
    ddb.on(GetCommand).rejects(serviceError('ProvisionedThroughputExceededException'));
    const res = await call(event('GET', '/read', { queryStringParameters: { id: 'a' } }));
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'internal error', region: 'eu-west-1', requestId: 'req-1' });
    expect(res.body).not.toContain('secretFunction');
    expect(res.body).not.toContain('internal detail');
    expect(res.body).not.toContain('ProvisionedThroughput');
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('ProvisionedThroughputExceededException'));
  });
});

describe('POST /write', () => {
  test('valid JSON object → 201 with the stored item; a conditional create that cannot overwrite an item', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await write({ id: 'a', value: 42 });
    expect(res.statusCode).toBe(201);
    expect(res.json.region).toBe('eu-west-1');
    expect(res.json.item).toEqual({ id: 'a', value: 42, _writtenIn: 'eu-west-1', _writtenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const input = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(input).toEqual({
      TableName: 'orders',
      Item: res.json.item,
      ConditionExpression: 'attribute_not_exists(#k)',
      ExpressionAttributeNames: { '#k': 'id' },
    });
  });

  test('the item exists already (ConditionalCheckFailedException) → 409, nothing overwritten', async () => {
    ddb.on(PutCommand).rejects(serviceError('ConditionalCheckFailedException'));
    const res = await write({ id: 'a', value: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json).toEqual({ message: 'an item with this `id` exists already; items cannot be overwritten', id: 'a', region: 'eu-west-1' });
    expect(res.body).not.toContain('internal detail');
  });

  test('base64 body is decoded', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await call(event('POST', '/write', { body: Buffer.from(JSON.stringify({ id: 'b' })).toString('base64'), isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
    expect(res.json.item.id).toBe('b');
  });

  test(`a body over ${DEFAULT_MAX_BODY_BYTES} bytes → 413, nothing written`, async () => {
    const body = JSON.stringify({ id: 'a', blob: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
    const res = await write(body);
    expect(res.statusCode).toBe(413);
    expect(res.json).toEqual({ message: `request body must be at most ${DEFAULT_MAX_BODY_BYTES} bytes, got: ${Buffer.byteLength(body)}` });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('the limit counts decoded UTF-8 bytes of a base64 body, and MAX_BODY_BYTES changes it', async () => {
    process.env.MAX_BODY_BYTES = '100';
    const body = JSON.stringify({ id: 'a', text: '€'.repeat(30) }); // 90 bytes of euros + the rest
    const res = await call(event('POST', '/write', { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }));
    expect(res.statusCode).toBe(413);
    expect(res.json.message).toBe(`request body must be at most 100 bytes, got: ${Buffer.byteLength(body)}`);
    ddb.on(PutCommand).resolves({});
    expect((await write({ id: 'a', text: 'short' })).statusCode).toBe(201);
  });

  test('a body of exactly the limit is accepted', async () => {
    ddb.on(PutCommand).resolves({});
    const base = JSON.stringify({ id: 'a', blob: '' });
    const body = JSON.stringify({ id: 'a', blob: 'x'.repeat(DEFAULT_MAX_BODY_BYTES - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(body)).toBe(DEFAULT_MAX_BODY_BYTES);
    expect((await write(body)).statusCode).toBe(201);
  });

  const keyMessage = '`id` is required: a non-empty string of at most 2048 bytes (UTF-8)';
  test.each([
    ['invalid JSON', '{"id": ', 'request body must be valid JSON'],
    ['no body', null, 'request body must be valid JSON'],
    ['array', '[1,2]', 'request body must be a JSON object'],
    ['null', 'null', 'request body must be a JSON object'],
    ['string', '"id"', 'request body must be a JSON object'],
    ['missing id', '{"value": 1}', keyMessage],
    ['numeric id', '{"id": 5}', keyMessage],
    ['empty id', '{"id": ""}', keyMessage],
    ['id over 2,048 UTF-8 bytes', JSON.stringify({ id: '€'.repeat(683) }), keyMessage],
    ['number above MAX_SAFE_INTEGER', '{"id": "a", "n": 9007199254740992}',
      'numbers must be integers or decimals within ±9007199254740991 (Number.MAX_SAFE_INTEGER), got: 9007199254740992 at `n`'],
    ['number below MIN_SAFE_INTEGER, nested', '{"id": "a", "m": {"list": [1, -1e20]}}',
      'numbers must be integers or decimals within ±9007199254740991 (Number.MAX_SAFE_INTEGER), got: -100000000000000000000 at `m.list[1]`'],
    ['nesting deeper than 32 levels', JSON.stringify({ id: 'a', deep: JSON.parse('['.repeat(33) + ']'.repeat(33)) }),
      'attributes may be nested at most 32 levels deep (DynamoDB\'s limit), got more at `deep`'],
  ])('%s → 400 with a message, nothing written', async (_name, body, message) => {
    const res = await call(event('POST', '/write', { body: body as any }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('safe integers, decimals and 32 levels of nesting are accepted', async () => {
    ddb.on(PutCommand).resolves({});
    const deep = JSON.parse('['.repeat(32) + ']'.repeat(32));
    const res = await write({ id: 'a', max: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER, pi: 3.14159, deep });
    expect(res.statusCode).toBe(201);
  });

  test('DynamoDB ValidationException (e.g. item too large) → 400 without DynamoDB\'s message', async () => {
    ddb.on(PutCommand).rejects(serviceError('ValidationException', 'Item size has exceeded the maximum allowed size'));
    const res = await write({ id: 'a' });
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message: 'item rejected by DynamoDB (e.g. larger than 400 KB or an empty attribute name)' });
  });

  test('other DynamoDB error → 500 with no stack trace', async () => {
    ddb.on(PutCommand).rejects(serviceError('InternalServerError'));
    const res = await write({ id: 'a' });
    expect(res.statusCode).toBe(500);
    expect(res.json.message).toBe('internal error');
    expect(res.body).not.toMatch(/secretFunction|internal detail|InternalServerError/);
  });
});

describe('GET /health', () => {
  test('table read succeeds → 200 ok with the region; the probe is a cheap, eventually consistent projected read of one key', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok', region: 'eu-west-1' });
    const input = ddb.commandCalls(GetCommand)[0].args[0].input;
    expect(input).toEqual({ TableName: 'orders', Key: { id: HEALTH_PROBE_KEY }, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': 'id' } });
    expect(input.ConsistentRead).toBeUndefined();
  });

  test('one attempt, no SDK retries, connection and request timeouts within the budget; the client is created once and reused', async () => {
    expect(DEFAULT_HEALTH_TIMEOUT_MS).toBe(800);
    expect(await (healthClient.config as any).maxAttempts()).toBe(1);
    const handlerConfig = await (healthClient.config.requestHandler as any).configProvider;
    expect(handlerConfig).toEqual(expect.objectContaining({ connectionTimeout: 300, requestTimeout: 800, throwOnRequestTimeout: true }));
    ddb.on(GetCommand).resolves({});
    await call(event('GET', '/health'));
    await call(event('GET', '/health'));
    const clients = ddb.commandCalls(GetCommand).map((c) => c.thisValue);
    expect(clients).toEqual([healthClient, healthClient]);
  });

  test.each([
    ['ResourceNotFoundException'],
    ['AccessDeniedException'],
    ['TimeoutError'],
  ])('table read fails (%s) → 503 with a generic body: no AWS error name, no message', async (name) => {
    ddb.on(GetCommand).rejects(serviceError(name));
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1' });
    expect(res.body).not.toContain(name);
    expect(res.body).not.toContain('internal detail');
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining(name));
  });

  test('a read slower than the budget → 503 at 800 ms, the request is aborted, one attempt only', async () => {
    jest.useFakeTimers();
    try {
      let signal: AbortSignal | undefined = undefined;
      ddb.on(GetCommand).callsFake(() => new Promise(() => undefined));
      const send = jest.spyOn(healthClient, 'send');
      const pending = call(event('GET', '/health'));
      await jest.advanceTimersByTimeAsync(799);
      signal = (send.mock.calls[0] as any[])[1]?.abortSignal;
      let settled = false;
      void pending.then(() => { settled = true; });
      await Promise.resolve();
      expect(settled).toBe(false);
      expect(signal?.aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(2);
      const res = await pending;
      expect(res.statusCode).toBe(503);
      expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1' });
      expect(signal?.aborted).toBe(true);
      expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
      expect(console.error).toHaveBeenCalledWith(expect.stringContaining('timed out after 800 ms'));
      send.mockRestore();
    } finally {
      jest.useRealTimers();
    }
  });

  test('HEALTH_TIMEOUT_MS lowers the budget (real timers: the answer comes well within it)', async () => {
    process.env.HEALTH_TIMEOUT_MS = '50';
    ddb.on(GetCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({}), 1000)));
    const started = Date.now();
    const res = await call(event('GET', '/health'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.statusCode).toBe(503);
  });

  test.each(['true', 'TRUE'])('FORCE_UNHEALTHY=%s → 503 without touching the table', async (flag) => {
    process.env.FORCE_UNHEALTHY = flag;
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1' });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('FORCE_UNHEALTHY=false is healthy', async () => {
    process.env.FORCE_UNHEALTHY = 'false';
    ddb.on(GetCommand).resolves({});
    expect((await call(event('GET', '/health'))).statusCode).toBe(200);
  });

  test('missing TABLE_NAME → 503 with the generic body', async () => {
    delete process.env.TABLE_NAME;
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1' });
  });
});

describe('HEALTH_ONLY (the health function of a region)', () => {
  beforeEach(() => {
    process.env.HEALTH_ONLY = 'true';
  });

  test('GET /health is the deep check as usual', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok', region: 'eu-west-1' });
    expect(ddb.commandCalls(GetCommand)[0].thisValue).toBe(healthClient);
  });

  test('FORCE_UNHEALTHY still makes it 503 (the failover drill flips it on this function)', async () => {
    process.env.FORCE_UNHEALTHY = 'true';
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(ddb.calls()).toHaveLength(0);
  });

  test.each([
    ['GET', '/read', { queryStringParameters: { id: 'a' } }],
    ['POST', '/write', { body: JSON.stringify({ id: 'a' }) }],
    ['OPTIONS', '/read', { headers: { Origin: 'https://app.example.com' } }],
    ['GET', '/{proxy+}', {}],
  ])('%s %s → 404 without touching DynamoDB and without CORS headers: it serves GET /health only', async (method, resource, extra) => {
    const res = await call(event(method, resource, extra as Partial<APIGatewayProxyEvent>));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ message: `route not found: ${method} ${resource}` });
    expect(res.headers).toEqual({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('HEALTH_ONLY=false serves every route', async () => {
    process.env.HEALTH_ONLY = 'false';
    ddb.on(GetCommand).resolves({ Item: { id: 'a' } });
    const res = await call(event('GET', '/read', { queryStringParameters: { id: 'a' } }));
    expect(res.statusCode).toBe(200);
  });
});

describe('routing and CORS', () => {
  test.each([
    ['GET', '/nope'],
    ['DELETE', '/read'],
    ['GET', '/write'],
    ['POST', '/{proxy+}'],
  ])('%s %s → 404', async (method, resource) => {
    const res = await call(event(method, resource));
    expect(res.statusCode).toBe(404);
    expect(res.json.message).toBe(`route not found: ${method} ${resource}`);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('OPTIONS from an allowed origin → 204 with CORS headers', async () => {
    const res = await handler(event('OPTIONS', '/read', { headers: { origin: 'https://app.example.com' } }));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toEqual({ 'Access-Control-Allow-Origin': 'https://app.example.com', 'Vary': 'Origin' });
  });

  test('an explicit "*" (opt-in) is answered with "*"', async () => {
    process.env.CORS_ALLOW_ORIGINS = '*';
    const res = await handler(event('OPTIONS', '/read'));
    expect(res.headers).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  test('explicit origins: a listed origin is echoed with Vary and credentials; others get no CORS header', async () => {
    process.env.CORS_ALLOW_ORIGINS = 'https://a.example.com, https://b.example.com';
    process.env.CORS_ALLOW_CREDENTIALS = 'true';
    ddb.on(GetCommand).resolves({});
    const ok = await handler(event('GET', '/read', { queryStringParameters: { id: 'a' }, headers: { Origin: 'https://b.example.com' } }));
    expect(ok.headers).toEqual(expect.objectContaining({
      'Access-Control-Allow-Origin': 'https://b.example.com', 'Access-Control-Allow-Credentials': 'true', 'Vary': 'Origin',
    }));
    const other = await handler(event('GET', '/read', { queryStringParameters: { id: 'a' }, headers: { origin: 'https://evil.example.com' } }));
    expect(other.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    const none = await handler(event('GET', '/read', { queryStringParameters: { id: 'a' } }));
    expect(none.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  test('no CORS configured (the default) → no CORS headers for any origin', async () => {
    delete process.env.CORS_ALLOW_ORIGINS;
    ddb.on(GetCommand).resolves({});
    const res = await handler(event('GET', '/read', { queryStringParameters: { id: 'a' }, headers: { Origin: 'https://a.example.com' } }));
    expect(res.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});
