import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { desiredOrigin, handler } from '../../src/global-ssr-site/write-failover.lambda';

const kvs = mockClient(CloudFrontKeyValueStoreClient);
const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/abc';
const DR_PROBE_URL = 'https://www.example.com/__global-ssr/health/dr';
let fetchMock: jest.SpyInstance;

function alarm(value: string): any {
  return { source: 'aws.cloudwatch', alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:x', alarmData: { alarmName: 'x', state: { value, reason: 'r', timestamp: 't' } } };
}

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

beforeEach(() => {
  kvs.reset();
  process.env.KVS_ARN = ARN;
  process.env.ACTIVE_ORIGIN_KEY = 'active-origin';
  process.env.ACTIVE_ORIGIN_OVERRIDE_KEY = 'active-origin-override';
  process.env.DR_PROBE_URL = DR_PROBE_URL;
  delete process.env.PROBE_TIMEOUT_MS;
  // The DR origin is healthy unless a test says otherwise.
  fetchMock = jest.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(null, { status: 200 }));
  // No operator override unless a test sets one (input-specific behaviours win over `on(GetKeyCommand)`).
  kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).rejects(awsError('ResourceNotFoundException'));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('desiredOrigin', () => {
  test.each([
    [alarm('ALARM'), 'dr'],
    [alarm('OK'), 'primary'],
    [alarm('INSUFFICIENT_DATA'), undefined],
    [{}, undefined],
    [{ activeOrigin: 'dr' }, 'dr'],
    [{ activeOrigin: 'primary' }, 'primary'],
  ])('%j → %s', (event, expected) => {
    expect(desiredOrigin(event)).toBe(expected);
  });

  test('a bad manual value is an error', () => {
    expect(() => desiredOrigin({ activeOrigin: 'eu-west-1' })).toThrow('activeOrigin must be "primary" or "dr", got: eu-west-1');
  });
});

describe('write failover handler', () => {
  test('ALARM sets the flag to dr with the store ETag', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'etag-1', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).resolves({ ETag: 'etag-2', ItemCount: 1, TotalSizeInBytes: 1 });
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    await expect(handler(alarm('ALARM'))).resolves.toEqual({ changed: true, activeOrigin: 'dr', previous: 'primary', reason: 'set active-origin=dr (alarm ALARM; DR probe answered 2xx/3xx)' });
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([DR_PROBE_URL]);
    expect(timeout).toHaveBeenCalledWith(5000);
    expect(kvs.commandCalls(DescribeKeyValueStoreCommand)[0].args[0].input).toEqual({ KvsARN: ARN });
    expect(kvs.commandCalls(PutKeyCommand)[0].args[0].input).toEqual({ KvsARN: ARN, Key: 'active-origin', Value: 'dr', IfMatch: 'etag-1' });
  });

  test('OK restores primary; a missing key counts as unset', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).rejects(awsError('ResourceNotFoundException'));
    kvs.on(PutKeyCommand).resolves({ ETag: 'e2', ItemCount: 1, TotalSizeInBytes: 1 });
    await expect(handler(alarm('OK'))).resolves.toEqual({ changed: true, activeOrigin: 'primary', previous: undefined, reason: 'set active-origin=primary (alarm OK)' });
  });

  test.each<[string, number | Error]>([['503', 503], ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')]])(
    'ALARM while the DR origin fails its probe (%s) changes nothing: the edge would send every request to DR', async (_label, answer) => {
      process.env.PROBE_TIMEOUT_MS = '1500';
      const timeout = jest.spyOn(AbortSignal, 'timeout');
      fetchMock.mockImplementation(async () => {
        if (answer instanceof Error) throw answer;
        return new Response(null, { status: answer });
      });
      await expect(handler(alarm('ALARM'))).resolves.toEqual({
        changed: false,
        reason: 'alarm ALARM; DR probe failed: DR is not chosen while it is unhealthy (the reconciler checks again every minute)',
      });
      expect(timeout).toHaveBeenCalledWith(1500);
      expect(kvs.commandCalls(DescribeKeyValueStoreCommand)).toHaveLength(0);
      expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(0);
    });

  test('OK and a manual invocation do not probe DR (an operator\'s "dr" is obeyed)', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).resolves({ ETag: 'e2', ItemCount: 1, TotalSizeInBytes: 1 });
    fetchMock.mockImplementation(async () => new Response(null, { status: 503 }));
    await expect(handler(alarm('OK'))).resolves.toMatchObject({ activeOrigin: 'primary' });
    await expect(handler({ activeOrigin: 'dr' })).resolves.toMatchObject({ changed: true, activeOrigin: 'dr', reason: 'set active-origin=dr (manual invocation)' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  test('DR_PROBE_URL is required', async () => {
    delete process.env.DR_PROBE_URL;
    await expect(handler(alarm('ALARM'))).rejects.toThrow('DR_PROBE_URL must be set');
  });

  test('no write when the flag already has the value', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'dr', ItemCount: 1, TotalSizeInBytes: 1 });
    await expect(handler({ activeOrigin: 'dr' })).resolves.toEqual({ changed: false, activeOrigin: 'dr', previous: 'dr', reason: 'already dr (manual invocation)' });
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(0);
  });

  test('INSUFFICIENT_DATA changes nothing and calls nothing', async () => {
    await expect(handler(alarm('INSUFFICIENT_DATA'))).resolves.toEqual({ changed: false, reason: 'no change for alarm state INSUFFICIENT_DATA' });
    expect(kvs.calls()).toHaveLength(0);
  });

  test('an event without state changes nothing', async () => {
    await expect(handler({})).resolves.toEqual({ changed: false, reason: 'no change for alarm state (none)' });
  });

  test('a conflicting writer: re-reads the ETag and retries', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolvesOnce({ ETag: 'old', KvsARN: ARN, Created: new Date() }).resolves({ ETag: 'new', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).rejectsOnce(awsError('ConflictException')).resolves({ ETag: 'x', ItemCount: 1, TotalSizeInBytes: 1 });
    await expect(handler(alarm('ALARM'))).resolves.toMatchObject({ changed: true, activeOrigin: 'dr' });
    expect(kvs.commandCalls(PutKeyCommand).map((c) => c.args[0].input.IfMatch)).toEqual(['old', 'new']);
  });

  test('an ETag mismatch reported as ValidationException is retried too', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).rejectsOnce(awsError('ValidationException', 'Pre-condition failed: If-Match does not match ETag')).resolves({ ETag: 'x', ItemCount: 1, TotalSizeInBytes: 1 });
    await expect(handler(alarm('ALARM'))).resolves.toMatchObject({ changed: true });
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(2);
  });

  test('gives up after 3 conflicting attempts', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).rejects(awsError('ConflictException'));
    await expect(handler(alarm('ALARM'))).rejects.toThrow('ConflictException');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(3);
  });

  test('other PutKey errors are thrown at once', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    await expect(handler(alarm('ALARM'))).rejects.toThrow('not allowed');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(1);
  });

  test('a ValidationException that is not about the ETag is not retried', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 1, TotalSizeInBytes: 1 });
    kvs.on(PutKeyCommand).rejects(awsError('ValidationException', 'value too long'));
    await expect(handler(alarm('ALARM'))).rejects.toThrow('value too long');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(1);
  });

  test('DescribeKeyValueStore errors are thrown', async () => {
    kvs.on(DescribeKeyValueStoreCommand).rejects(awsError('ResourceNotFoundException', 'no such store'));
    await expect(handler(alarm('ALARM'))).rejects.toThrow('no such store');
  });

  test('GetKey errors other than a missing key are thrown', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).rejects(awsError('InternalServerException', 'kvs down'));
    await expect(handler(alarm('OK'))).rejects.toThrow('kvs down');
  });

  test('missing configuration is an error', async () => {
    delete process.env.KVS_ARN;
    await expect(handler(alarm('ALARM'))).rejects.toThrow('KVS_ARN, ACTIVE_ORIGIN_KEY and ACTIVE_ORIGIN_OVERRIDE_KEY must be set');
  });

  test.each([
    ['ALARM', 'primary'],
    ['OK', 'dr'],
  ])('an operator override wins over the alarm: %s with override %s', async (state, override) => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).resolves({ Key: 'active-origin-override', Value: override, ItemCount: 2, TotalSizeInBytes: 2 });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: state === 'ALARM' ? 'dr' : 'primary', ItemCount: 2, TotalSizeInBytes: 2 });
    kvs.on(PutKeyCommand).resolves({ ETag: 'e2', ItemCount: 2, TotalSizeInBytes: 2 });
    await expect(handler(alarm(state))).resolves.toEqual({
      changed: true,
      activeOrigin: override,
      previous: state === 'ALARM' ? 'dr' : 'primary',
      reason: `set active-origin=${override} (operator override active-origin-override=${override})`,
    });
    expect(kvs.commandCalls(PutKeyCommand)[0].args[0].input).toMatchObject({ Key: 'active-origin', Value: override });
  });

  test('an override with another value is ignored', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'e', KvsARN: ARN, Created: new Date() });
    kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).resolves({ Key: 'active-origin-override', Value: 'us-east-1', ItemCount: 2, TotalSizeInBytes: 2 });
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).resolves({ Key: 'active-origin', Value: 'primary', ItemCount: 2, TotalSizeInBytes: 2 });
    kvs.on(PutKeyCommand).resolves({ ETag: 'e2', ItemCount: 2, TotalSizeInBytes: 2 });
    await expect(handler(alarm('ALARM'))).resolves.toMatchObject({ activeOrigin: 'dr', reason: 'set active-origin=dr (alarm ALARM; DR probe answered 2xx/3xx)' });
  });

  test('a failed override read fails the invocation (Lambda retries it, then the on-failure queue gets it)', async () => {
    kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).rejects(awsError('ThrottlingException', 'slow down'));
    await expect(handler(alarm('ALARM'))).rejects.toThrow('slow down');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(0);
  });
});
