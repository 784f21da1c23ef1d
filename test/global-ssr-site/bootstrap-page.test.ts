import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { COUNTER_KEY, DEFAULT_HEALTH_PATH, handler } from '../../src/global-ssr-site/bootstrap-page.lambda';

const ddb = mockClient(DynamoDBClient);

function event(opts: { method?: string; path?: string; headers?: Record<string, string>; query?: Record<string, string> } = {}): any {
  return {
    rawPath: opts.path ?? '/',
    headers: opts.headers ?? {},
    queryStringParameters: opts.query,
    requestContext: { http: { method: opts.method ?? 'GET' } },
  };
}

beforeEach(() => {
  ddb.reset();
  process.env.AWS_REGION = 'eu-central-1';
  process.env.GLOBAL_SSR_REGION_ROLE = 'dr';
  process.env.GLOBAL_SSR_TABLE_NAME = 'site-state';
  delete process.env.BOOTSTRAP_FORCE_STATUS;
  delete process.env.GLOBAL_SSR_HEALTH_PATH;
});

describe('bootstrap page', () => {
  test('GET counts a visit in the table of the serving region and reports the region as JSON', async () => {
    ddb.on(UpdateItemCommand).resolves({ Attributes: { visits: { N: '42' } } });
    const res = await handler(event({ headers: { Accept: 'application/json' } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', 'x-served-region': 'eu-central-1', 'cache-control': 'no-store' });
    expect(JSON.parse(res.body!)).toEqual({ region: 'eu-central-1', role: 'dr', visits: 42, method: 'GET', path: '/' });
    expect(ddb.commandCalls(UpdateItemCommand)[0].args[0].input).toEqual({
      TableName: 'site-state',
      Key: COUNTER_KEY,
      UpdateExpression: 'ADD visits :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'UPDATED_NEW',
    });
  });

  test('POST counts a visit too (?format=json)', async () => {
    ddb.on(UpdateItemCommand).resolves({ Attributes: { visits: { N: '7' } } });
    const res = await handler(event({ method: 'POST', path: '/form', query: { format: 'json' } }));
    expect(JSON.parse(res.body!)).toMatchObject({ visits: 7, method: 'POST', path: '/form' });
  });

  test('HTML by default, escaped', async () => {
    ddb.on(UpdateItemCommand).resolves({ Attributes: { visits: { N: '1' } } });
    const res = await handler(event({ path: '/<script>' }));
    expect(res.headers!['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Served from eu-central-1</h1>');
    expect(res.body).toContain('&lt;script&gt;');
    expect(res.body).not.toContain('<script>');
  });

  test.each([
    ['Route 53 health checker', 'GET', { 'User-Agent': 'Amazon-Route53-Health-Check-Service (ref 1234; report http://amzn.to/1vsZADi)' }],
    ['HEAD', 'HEAD', {}],
    ['OPTIONS', 'OPTIONS', {}],
  ])('%s only reads the counter', async (_label, method, headers) => {
    ddb.on(GetItemCommand).resolves({ Item: { visits: { N: '5' } } });
    const res = await handler(event({ method, headers: { ...headers, accept: 'application/json' } }));
    expect(JSON.parse(res.body!).visits).toBe(5);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(ddb.commandCalls(GetItemCommand)[0].args[0].input).toEqual({ TableName: 'site-state', Key: COUNTER_KEY });
  });

  test('a missing counter item reads as 0', async () => {
    ddb.on(GetItemCommand).resolves({});
    const res = await handler(event({ method: 'HEAD', query: { format: 'json' } }));
    expect(JSON.parse(res.body!).visits).toBe(0);
  });

  test('an update without attributes reads as 0', async () => {
    ddb.on(UpdateItemCommand).resolves({});
    const res = await handler(event({ query: { format: 'json' } }));
    expect(JSON.parse(res.body!).visits).toBe(0);
  });

  test('a DynamoDB error answers 503 so that CloudFront fails over', async () => {
    ddb.on(UpdateItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const res = await handler(event({ query: { format: 'json' } }));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body!).error).toBe('state unavailable in eu-central-1: ProvisionedThroughputExceededException: throttled');
  });

  test('a non-Error rejection is reported too', async () => {
    ddb.on(GetItemCommand).rejects('boom' as any);
    const res = await handler(event({ method: 'HEAD' }));
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Error 503');
  });

  test('without a table name the page renders without a counter and calls nothing', async () => {
    delete process.env.GLOBAL_SSR_TABLE_NAME;
    const res = await handler(event({ query: { format: 'json' } }));
    expect(JSON.parse(res.body!).visits).toBeNull();
    expect(ddb.calls()).toHaveLength(0);
  });

  test('BOOTSTRAP_FORCE_STATUS=503 fails every request without touching the table', async () => {
    process.env.BOOTSTRAP_FORCE_STATUS = '503';
    const res = await handler(event({ query: { format: 'json' } }));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body!)).toEqual({ error: 'forced failure (BOOTSTRAP_FORCE_STATUS=503)', region: 'eu-central-1', role: 'dr' });
    expect(ddb.calls()).toHaveLength(0);
  });

  test.each(['abc', '200', '700', ''])('BOOTSTRAP_FORCE_STATUS=%j is ignored', async (value) => {
    process.env.BOOTSTRAP_FORCE_STATUS = value;
    ddb.on(UpdateItemCommand).resolves({ Attributes: { visits: { N: '1' } } });
    const res = await handler(event());
    expect(res.statusCode).toBe(200);
  });

  test('defaults when the event and environment are sparse', async () => {
    delete process.env.AWS_REGION;
    delete process.env.GLOBAL_SSR_REGION_ROLE;
    delete process.env.GLOBAL_SSR_TABLE_NAME;
    const res = await handler({ headers: undefined } as any);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Served from unknown');
  });

  test.each([
    ['the default /_health', undefined, '/_health'],
    ['a configured path', '/healthz', '/healthz'],
  ])('%s answers 200 JSON at once, without rendering or touching the table', async (_label, configured, path) => {
    if (configured) {
      process.env.GLOBAL_SSR_HEALTH_PATH = configured;
    }
    const res = await handler(event({ path, headers: { 'User-Agent': 'Amazon-Route53-Health-Check-Service (ref 1)' } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store', 'x-served-region': 'eu-central-1' });
    expect(JSON.parse(res.body!)).toEqual({ status: 'ok', region: 'eu-central-1', role: 'dr' });
    expect(ddb.calls()).toHaveLength(0);
    expect(DEFAULT_HEALTH_PATH).toBe('/_health');
  });

  test('a forced failure fails the health path too (the drills rely on it)', async () => {
    process.env.BOOTSTRAP_FORCE_STATUS = '503';
    const res = await handler(event({ path: '/_health' }));
    expect(res.statusCode).toBe(503);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('other paths still render the page when a health path is configured', async () => {
    process.env.GLOBAL_SSR_HEALTH_PATH = '/healthz';
    ddb.on(UpdateItemCommand).resolves({ Attributes: { visits: { N: '3' } } });
    const res = await handler(event({ path: '/_health', query: { format: 'json' } }));
    expect(JSON.parse(res.body!)).toMatchObject({ visits: 3, path: '/_health' });
  });
});
