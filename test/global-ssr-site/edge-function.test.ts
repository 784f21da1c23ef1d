import { EDGE_FUNCTION_BODY, EdgeFunctionConfig, renderEdgeFunctionCode } from '../../src/global-ssr-site/edge-function';

/** A fake `cloudfront` module that records the origin helper calls of one request. */
class FakeCf {
  public readonly selected: string[] = [];
  public readonly groups: any[] = [];
  public readonly kvsIds: string[] = [];
  constructor(private readonly kvsStore: { get(key: string): Promise<string> } | undefined) {}
  kvs(id: string) {
    this.kvsIds.push(id);
    if (!this.kvsStore) {
      throw new Error('no store');
    }
    return this.kvsStore;
  }
  selectRequestOriginById(id: string) {
    this.selected.push(id);
  }
  createRequestOriginGroup(params: any) {
    this.groups.push(params);
  }
}

const BASE: EdgeFunctionConfig = {
  primaryOriginId: 'ssr-primary',
  drOriginId: 'ssr-dr',
  failoverStatusCodes: [500, 502, 503, 504],
  keyValueStoreId: 'kvs-123',
  activeOriginKey: 'active-origin',
  primaryProbePath: '/__global-ssr/health/primary',
  drProbePath: '/__global-ssr/health/dr',
  healthCheckPath: '/health',
};

/** Evaluates the exact source CloudFront runs (minus its import line) with a fake `cf`. */
function load(config: EdgeFunctionConfig, cf: FakeCf): (event: any) => Promise<any> {
  const source = renderEdgeFunctionCode(config);
  const [importLine, ...rest] = source.split('\n');
  expect(importLine).toBe("import cf from 'cloudfront';");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('cf', `${rest.join('\n')}\nreturn handler;`)(cf);
}

function store(value: string | Error) {
  return { get: jest.fn(async () => { if (value instanceof Error) throw value; return value; }) };
}

function request(method: string, uri = '/page') {
  return { request: { method, uri, querystring: { a: { value: '1' } }, headers: {} } };
}

describe('edge function source', () => {
  test('the rendered code embeds the configuration as JSON and the shared body', () => {
    const code = renderEdgeFunctionCode(BASE);
    expect(code).toContain('"failoverStatusCodes":[500,502,503,504]');
    expect(code).toContain('"keyValueStoreId":"kvs-123"');
    expect(code).toContain(EDGE_FUNCTION_BODY.split('__CONFIG__')[1]);
    expect(code).not.toContain('__CONFIG__');
    expect(code).not.toMatch(/=>/); // no arrow functions in the runtime code
    expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024); // CloudFront Functions size limit
  });

  test('without a KeyValueStore the config holds null and no store is opened', async () => {
    const cf = new FakeCf(undefined);
    const handler = load({ ...BASE, keyValueStoreId: undefined }, cf);
    await handler(request('POST'));
    expect(cf.kvsIds).toEqual([]);
    expect(cf.selected).toEqual([]);
    expect(cf.groups).toEqual([]);
  });
});

describe('edge function routing', () => {
  test.each(['GET', 'HEAD', 'OPTIONS'])('%s with flag primary gets a per-request origin group primary → DR', async (method) => {
    const kv = store('primary');
    const cf = new FakeCf(kv);
    const out = await load(BASE, cf)(request(method));
    expect(cf.kvsIds).toEqual(['kvs-123']);
    expect(kv.get).toHaveBeenCalledWith('active-origin');
    expect(cf.groups).toEqual([{ originIds: ['ssr-primary', 'ssr-dr'], failoverCriteria: { statusCodes: [500, 502, 503, 504] } }]);
    expect(cf.selected).toEqual([]);
    expect(out.uri).toBe('/page');
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s with flag primary stays on the behaviour origin (primary)', async (method) => {
    const cf = new FakeCf(store('primary'));
    const out = await load(BASE, cf)(request(method));
    expect(cf.groups).toEqual([]);
    expect(cf.selected).toEqual([]);
    expect(out.method).toBe(method);
  });

  test.each(['GET', 'POST', 'PUT', 'DELETE'])('%s with flag dr goes to the DR origin', async (method) => {
    const cf = new FakeCf(store('dr'));
    await load(BASE, cf)(request(method));
    expect(cf.selected).toEqual(['ssr-dr']);
    expect(cf.groups).toEqual([]);
  });

  test('an unknown flag value is treated as primary', async () => {
    const cf = new FakeCf(store('elsewhere'));
    await load(BASE, cf)(request('POST'));
    expect(cf.selected).toEqual([]);
  });

  test('a KeyValueStore read error (e.g. missing key) keeps normal routing', async () => {
    const cf = new FakeCf(store(new Error('key not found')));
    await load(BASE, cf)(request('GET'));
    expect(cf.selected).toEqual([]);
    expect(cf.groups).toHaveLength(1);
  });

  test.each([
    ['/__global-ssr/health/primary', 'ssr-primary'],
    ['/__global-ssr/health/dr', 'ssr-dr'],
  ])('probe %s goes to %s only, rewritten to the health path, without reading the flag', async (uri, origin) => {
    const kv = store('dr');
    const cf = new FakeCf(kv);
    const out = await load(BASE, cf)(request('GET', uri));
    expect(cf.selected).toEqual([origin]);
    expect(cf.groups).toEqual([]);
    expect(kv.get).not.toHaveBeenCalled();
    expect(out.uri).toBe('/health');
    expect(out.querystring).toEqual({});
  });
});
