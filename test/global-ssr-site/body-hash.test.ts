import { createHash } from 'crypto';
import { CONTENT_SHA256_HEADER, TOO_LARGE, bodySha256, handler } from '../../src/global-ssr-site/body-hash.lambda';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function event(method: string, body?: { data: string; encoding?: string; inputTruncated?: boolean }, headers: Record<string, any> = {}): any {
  return {
    Records: [{
      cf: {
        config: { eventType: 'origin-request' },
        request: {
          method,
          uri: '/form',
          querystring: '',
          clientIp: '192.0.2.1',
          headers,
          ...(body ? { body: { action: 'read-only', encoding: body.encoding ?? 'base64', inputTruncated: body.inputTruncated ?? false, data: body.data } } : {}),
        },
      },
    }],
  };
}

describe('Lambda@Edge body hash (origin request, include body)', () => {
  test('a plain form POST gets the SHA-256 of its raw bytes in x-amz-content-sha256', async () => {
    const form = 'name=J%C3%BCrgen&note=caf%C3%A9+%26+more';
    const out: any = await handler(event('POST', { data: Buffer.from(form).toString('base64') }, { 'content-type': [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }] }));
    expect(out.headers[CONTENT_SHA256_HEADER]).toEqual([{ key: 'x-amz-content-sha256', value: createHash('sha256').update(form).digest('hex') }]);
    expect(out.headers['content-type']).toEqual([{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
    expect(out.body.data).toBe(Buffer.from(form).toString('base64'));
  });

  test('binary bodies are hashed as bytes, not as text', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7f]);
    const out: any = await handler(event('PUT', { data: bytes.toString('base64') }));
    expect(out.headers[CONTENT_SHA256_HEADER][0].value).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(out.headers[CONTENT_SHA256_HEADER][0].value).not.toBe(createHash('sha256').update(bytes.toString('utf8')).digest('hex'));
  });

  test('a text-encoded body is hashed as UTF-8', async () => {
    const out: any = await handler(event('PATCH', { data: '{"a":"é"}', encoding: 'text' }));
    expect(out.headers[CONTENT_SHA256_HEADER][0].value).toBe(createHash('sha256').update('{"a":"é"}', 'utf8').digest('hex'));
  });

  test.each(['POST', 'DELETE'])('%s without a body gets the hash of the empty payload', async (method) => {
    const out: any = await handler(event(method));
    expect(out.headers[CONTENT_SHA256_HEADER][0].value).toBe(EMPTY_SHA256);
  });

  test('a wrong hash sent by the viewer is replaced', async () => {
    const out: any = await handler(event('POST', { data: Buffer.from('x=1').toString('base64') }, { [CONTENT_SHA256_HEADER]: [{ key: 'X-Amz-Content-Sha256', value: 'deadbeef' }] }));
    expect(out.headers[CONTENT_SHA256_HEADER]).toEqual([{ key: 'x-amz-content-sha256', value: createHash('sha256').update('x=1').digest('hex') }]);
  });

  test.each(['GET', 'HEAD', 'OPTIONS'])('%s passes through untouched', async (method) => {
    const e = event(method);
    const out: any = await handler(e);
    expect(out).toBe(e.Records[0].cf.request);
    expect(out.headers[CONTENT_SHA256_HEADER]).toBeUndefined();
  });

  test('a body over the 1 MB Lambda@Edge exposes (truncated) gets 413, not a request with a wrong hash', async () => {
    const out = await handler(event('POST', { data: Buffer.alloc(16).toString('base64'), inputTruncated: true }));
    expect(out).toBe(TOO_LARGE);
    expect(TOO_LARGE).toMatchObject({ status: '413', statusDescription: 'Payload Too Large' });
  });

  test('bodySha256 of a request without a body object', () => {
    expect(bodySha256({ method: 'POST', uri: '/', querystring: '', clientIp: '', headers: {} })).toBe(EMPTY_SHA256);
  });
});
