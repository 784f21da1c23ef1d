import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, HEALTH_PROBE_KEY } from '../../src/multi-region-api/api-handler.lambda';

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

beforeEach(() => {
  ddb.reset();
  process.env = { ...ENV, TABLE_NAME: 'orders', AWS_REGION: 'eu-west-1', CORS_ALLOW_ORIGINS: '*' };
  delete process.env.TABLE_KEY;
  delete process.env.FORCE_UNHEALTHY;
  delete process.env.HEALTH_TIMEOUT_MS;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(() => {
  process.env = ENV;
});

describe('GET /read', () => {
  test('found → 200 with the item and the region, consistent read of the key', async () => {
    ddb.on(GetCommand).resolves({ Item: { id: 'a', value: 1 } });
    const res = await call(event('GET', '/read', { queryStringParameters: { id: 'a' } }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ item: { id: 'a', value: 1 }, region: 'eu-west-1' });
    expect(res.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }));
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
    ['key too long', { id: 'x'.repeat(1025) }],
  ])('%s → 400 with a message, no DynamoDB call', async (_name, qs) => {
    const res = await call(event('GET', '/read', { queryStringParameters: qs as any }));
    expect(res.statusCode).toBe(400);
    expect(res.json.message).toBe('query parameter `id` is required: a non-empty string of at most 1024 characters');
    expect(ddb.calls()).toHaveLength(0);
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
  test('valid JSON object → 201 with the stored item (region and time added)', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await call(event('POST', '/write', { body: JSON.stringify({ id: 'a', value: 42 }) }));
    expect(res.statusCode).toBe(201);
    expect(res.json.region).toBe('eu-west-1');
    expect(res.json.item).toEqual({ id: 'a', value: 42, _writtenIn: 'eu-west-1', _writtenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const input = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(input.TableName).toBe('orders');
    expect(input.Item).toEqual(res.json.item);
  });

  test('base64 body is decoded', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await call(event('POST', '/write', { body: Buffer.from(JSON.stringify({ id: 'b' })).toString('base64'), isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
    expect(res.json.item.id).toBe('b');
  });

  test.each([
    ['invalid JSON', '{"id": ', 'request body must be valid JSON'],
    ['no body', null, 'request body must be valid JSON'],
    ['array', '[1,2]', 'request body must be a JSON object'],
    ['null', 'null', 'request body must be a JSON object'],
    ['string', '"id"', 'request body must be a JSON object'],
    ['missing id', '{"value": 1}', '`id` is required: a non-empty string of at most 1024 characters'],
    ['numeric id', '{"id": 5}', '`id` is required: a non-empty string of at most 1024 characters'],
    ['empty id', '{"id": ""}', '`id` is required: a non-empty string of at most 1024 characters'],
  ])('%s → 400 with a message, nothing written', async (_name, body, message) => {
    const res = await call(event('POST', '/write', { body: body as any }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('DynamoDB ValidationException (e.g. item too large) → 400 without DynamoDB\'s message', async () => {
    ddb.on(PutCommand).rejects(serviceError('ValidationException', 'Item size has exceeded the maximum allowed size'));
    const res = await call(event('POST', '/write', { body: '{"id":"a"}' }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message: 'item rejected by DynamoDB (e.g. larger than 400 KB or an empty attribute name)' });
  });

  test('other DynamoDB error → 500 with no stack trace', async () => {
    ddb.on(PutCommand).rejects(serviceError('InternalServerError'));
    const res = await call(event('POST', '/write', { body: '{"id":"a"}' }));
    expect(res.statusCode).toBe(500);
    expect(res.json.message).toBe('internal error');
    expect(res.body).not.toMatch(/secretFunction|internal detail|InternalServerError/);
  });
});

describe('GET /health', () => {
  test('table read succeeds → 200 ok with the region; the probe is a cheap projected read of one key', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok', region: 'eu-west-1' });
    const input = ddb.commandCalls(GetCommand)[0].args[0].input;
    expect(input).toEqual({ TableName: 'orders', Key: { id: HEALTH_PROBE_KEY }, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': 'id' } });
    expect(input.ConsistentRead).toBeUndefined();
  });

  test('table read fails → 503 unhealthy with the error name only', async () => {
    ddb.on(GetCommand).rejects(serviceError('ResourceNotFoundException'));
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1', reason: 'table read failed: ResourceNotFoundException' });
    expect(res.body).not.toContain('internal detail');
  });

  test('table read slower than the timeout → 503 and the request is aborted', async () => {
    process.env.HEALTH_TIMEOUT_MS = '50';
    let signal: AbortSignal | undefined;
    const send = DynamoDBDocumentClient.prototype.send as any;
    ddb.on(GetCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({}), 1000)));
    const spy = jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: any, cmd: any, opts: any) {
      signal = opts?.abortSignal;
      return send.call(this, cmd, opts);
    } as any);
    const started = Date.now();
    const res = await call(event('GET', '/health'));
    spy.mockRestore();
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1', reason: 'table read timed out after 50 ms' });
    expect(signal?.aborted).toBe(true);
  });

  test('default timeout is 1.5 s', async () => {
    jest.useFakeTimers();
    try {
      ddb.on(GetCommand).callsFake(() => new Promise(() => undefined));
      const pending = call(event('GET', '/health'));
      await jest.advanceTimersByTimeAsync(1499);
      let settled = false;
      void pending.then(() => { settled = true; });
      await Promise.resolve();
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(2);
      const res = await pending;
      expect(res.json.reason).toBe('table read timed out after 1500 ms');
    } finally {
      jest.useRealTimers();
    }
  });

  test.each(['true', 'TRUE'])('FORCE_UNHEALTHY=%s → 503 without touching the table', async (flag) => {
    process.env.FORCE_UNHEALTHY = flag;
    ddb.on(GetCommand).resolves({});
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ status: 'unhealthy', region: 'eu-west-1', reason: 'FORCE_UNHEALTHY is set' });
    expect(ddb.calls()).toHaveLength(0);
  });

  test('FORCE_UNHEALTHY=false is healthy', async () => {
    process.env.FORCE_UNHEALTHY = 'false';
    ddb.on(GetCommand).resolves({});
    expect((await call(event('GET', '/health'))).statusCode).toBe(200);
  });

  test('missing TABLE_NAME → 503', async () => {
    delete process.env.TABLE_NAME;
    const res = await call(event('GET', '/health'));
    expect(res.statusCode).toBe(503);
    expect(res.json.reason).toBe('TABLE_NAME is not set');
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

  test('OPTIONS → 204 with CORS headers', async () => {
    const res = await handler(event('OPTIONS', '/read'));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  test('explicit origins: a listed origin is echoed with Vary and credentials; others get no CORS header', async () => {
    process.env.CORS_ALLOW_ORIGINS = 'https://a.example.com, https://b.example.com';
    process.env.CORS_ALLOW_CREDENTIALS = 'true';
    ddb.on(GetCommand).resolves({});
    const ok = await handler(event('GET', '/health', { headers: { Origin: 'https://b.example.com' } }));
    expect(ok.headers).toEqual(expect.objectContaining({
      'Access-Control-Allow-Origin': 'https://b.example.com', 'Access-Control-Allow-Credentials': 'true', 'Vary': 'Origin',
    }));
    const other = await handler(event('GET', '/health', { headers: { origin: 'https://evil.example.com' } }));
    expect(other.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    const none = await handler(event('GET', '/health'));
    expect(none.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  test('no CORS configured → no CORS headers', async () => {
    delete process.env.CORS_ALLOW_ORIGINS;
    ddb.on(GetCommand).resolves({});
    const res = await handler(event('GET', '/health', { headers: { Origin: 'https://a.example.com' } }));
    expect(res.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});
