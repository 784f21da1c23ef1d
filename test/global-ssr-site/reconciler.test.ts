import { CloudFrontKeyValueStoreClient, DescribeKeyValueStoreCommand, GetKeyCommand, PutKeyCommand } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, probeOnce, reconcilerConfig } from '../../src/global-ssr-site/reconciler.lambda';

const kvs = mockClient(CloudFrontKeyValueStoreClient);
const cw = mockClient(CloudWatchClient);
const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/abc';
const PROBE_URL = 'https://www.example.com/__global-ssr/health/primary';
let fetchMock: jest.SpyInstance;

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** The store holds `active-origin` = `flag` and, if given, `active-origin-override` = `override`. */
function store(flag: string | undefined, override?: string) {
  kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'etag-1', KvsARN: ARN, Created: new Date() });
  kvs.on(GetKeyCommand, { Key: 'active-origin' }).callsFake(async () => {
    if (flag === undefined) throw awsError('ResourceNotFoundException');
    return { Key: 'active-origin', Value: flag, ItemCount: 1, TotalSizeInBytes: 1 };
  });
  kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).callsFake(async () => {
    if (override === undefined) throw awsError('ResourceNotFoundException');
    return { Key: 'active-origin-override', Value: override, ItemCount: 2, TotalSizeInBytes: 2 };
  });
  kvs.on(PutKeyCommand).resolves({ ETag: 'etag-2', ItemCount: 1, TotalSizeInBytes: 1 });
}

function alarm(state: string) {
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'shop-primary-health', StateValue: state as any }] });
}

/** Each call of fetch answers the next status, or rejects with the next error. */
function probes(...answers: Array<number | Error>) {
  for (const a of answers) {
    fetchMock.mockImplementationOnce(async () => {
      if (a instanceof Error) throw a;
      return new Response(null, { status: a });
    });
  }
}

function puts(): string[] {
  return kvs.commandCalls(PutKeyCommand).map((c) => `${c.args[0].input.Key}=${c.args[0].input.Value}@${c.args[0].input.IfMatch}`);
}

beforeEach(() => {
  kvs.reset();
  cw.reset();
  fetchMock = jest.spyOn(globalThis, 'fetch').mockImplementation(async () => { throw new Error('unexpected probe'); });
  process.env.KVS_ARN = ARN;
  process.env.ACTIVE_ORIGIN_KEY = 'active-origin';
  process.env.ACTIVE_ORIGIN_OVERRIDE_KEY = 'active-origin-override';
  process.env.ALARM_NAME = 'shop-primary-health';
  process.env.PROBE_URL = PROBE_URL;
  process.env.PROBE_INTERVAL_MS = '0';
  delete process.env.PROBE_COUNT;
  delete process.env.PROBE_TIMEOUT_MS;
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('reconciler: the alarm in us-east-1 says ALARM', () => {
  test('sets dr without probing and reads the named alarm', async () => {
    store('primary');
    alarm('ALARM');
    await expect(handler()).resolves.toEqual({
      changed: true,
      activeOrigin: 'dr',
      previous: 'primary',
      reason: 'set active-origin=dr (reconciler: alarm shop-primary-health is ALARM)',
    });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({ AlarmNames: ['shop-primary-health'], AlarmTypes: ['MetricAlarm'] });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(puts()).toEqual(['active-origin=dr@etag-1']);
  });

  test('a flip the alarm action missed (flag still primary) is corrected; nothing is written when the flag is right', async () => {
    store('dr');
    alarm('ALARM');
    await expect(handler()).resolves.toMatchObject({ changed: false, activeOrigin: 'dr', reason: 'already dr (reconciler: alarm shop-primary-health is ALARM)' });
    expect(puts()).toEqual([]);
  });
});

describe('reconciler: probes decide when the alarm is not ALARM', () => {
  test('alarm OK and the first probe answers 200: primary, one probe only', async () => {
    store('dr');
    alarm('OK');
    probes(200);
    await expect(handler()).resolves.toMatchObject({ changed: true, activeOrigin: 'primary', reason: 'set active-origin=primary (reconciler: alarm OK; probe 1 of 3 answered 2xx/3xx)' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(PROBE_URL);
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ method: 'GET', redirect: 'manual' });
    expect(fetchMock.mock.calls[0][1].signal).toBeInstanceOf(AbortSignal);
  });

  test('alarm OK but every probe fails (faster than the alarm): dr', async () => {
    store('primary');
    alarm('OK');
    probes(503, 504, 502);
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'dr', reason: 'set active-origin=dr (reconciler: alarm OK; all 3 probes failed)' });
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  test('one failed probe then a healthy one: primary', async () => {
    store('primary');
    alarm('OK');
    probes(503, 302);
    await expect(handler()).resolves.toMatchObject({ changed: false, activeOrigin: 'primary', reason: 'already primary (reconciler: alarm OK; probe 2 of 3 answered 2xx/3xx)' });
  });

  test('us-east-1 unreachable (DescribeAlarms fails): the probes still move writes to dr', async () => {
    store('primary');
    cw.on(DescribeAlarmsCommand).rejects(awsError('TimeoutError', 'connect ETIMEDOUT monitoring.us-east-1.amazonaws.com'));
    probes(new TypeError('fetch failed'), new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 500);
    await expect(handler()).resolves.toMatchObject({ changed: true, activeOrigin: 'dr', reason: 'set active-origin=dr (reconciler: alarm unreadable; all 3 probes failed)' });
  });

  test('us-east-1 unreachable and the primary healthy: primary stays', async () => {
    store('primary');
    cw.on(DescribeAlarmsCommand).rejects(awsError('ThrottlingException'));
    probes(200);
    await expect(handler()).resolves.toMatchObject({ changed: false, activeOrigin: 'primary' });
  });

  test.each([
    ['INSUFFICIENT_DATA', { MetricAlarms: [{ StateValue: 'INSUFFICIENT_DATA' }] }, 'alarm INSUFFICIENT_DATA'],
    ['a missing alarm', { MetricAlarms: [] }, 'alarm unreadable'],
    ['no MetricAlarms field', {}, 'alarm unreadable'],
  ])('%s: the probes decide', async (_label, out, text) => {
    store(undefined);
    cw.on(DescribeAlarmsCommand).resolves(out as any);
    probes(200);
    await expect(handler()).resolves.toMatchObject({ changed: true, activeOrigin: 'primary', reason: `set active-origin=primary (reconciler: ${text}; probe 1 of 3 answered 2xx/3xx)` });
  });

  test('PROBE_COUNT and PROBE_TIMEOUT_MS are honoured', async () => {
    process.env.PROBE_COUNT = '1';
    process.env.PROBE_TIMEOUT_MS = '1500';
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    store('primary');
    alarm('OK');
    probes(500);
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'dr', reason: 'set active-origin=dr (reconciler: alarm OK; all 1 probes failed)' });
    expect(timeout).toHaveBeenCalledWith(1500);
  });

  test('the probes are spaced by PROBE_INTERVAL_MS', async () => {
    process.env.PROBE_INTERVAL_MS = '20';
    store('primary');
    alarm('OK');
    probes(500, 500, 500);
    const started = Date.now();
    await handler();
    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
  });
});

describe('reconciler: operator override', () => {
  test.each(['dr', 'primary'])('override %s wins over health and is applied without probing', async (value) => {
    store(value === 'dr' ? 'primary' : 'dr', value);
    await expect(handler()).resolves.toMatchObject({ changed: true, activeOrigin: value, reason: `set active-origin=${value} (operator override active-origin-override=${value})` });
    expect(cw.calls()).toHaveLength(0);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  test.each(['', 'eu-west-1'])('an override of %j is ignored', async (value) => {
    store('primary', value);
    alarm('ALARM');
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'dr' });
  });
});

describe('reconciler: AWS errors fail the run (the next run retries; the errors alarm counts them)', () => {
  test('DescribeKeyValueStore fails', async () => {
    store('primary');
    kvs.on(DescribeKeyValueStoreCommand).rejects(awsError('InternalServerException', 'kvs down'));
    alarm('ALARM');
    await expect(handler()).rejects.toThrow('kvs down');
  });

  test('reading the override fails with something other than a missing key', async () => {
    store('primary');
    kvs.on(GetKeyCommand, { Key: 'active-origin-override' }).rejects(awsError('AccessDeniedException', 'no GetKey'));
    await expect(handler()).rejects.toThrow('no GetKey');
  });

  test('PutKey fails', async () => {
    store('primary');
    kvs.on(PutKeyCommand).rejects(awsError('AccessDeniedException', 'no PutKey'));
    alarm('ALARM');
    await expect(handler()).rejects.toThrow('no PutKey');
  });
});

describe('reconciler configuration', () => {
  test.each(['ALARM_NAME', 'PROBE_URL'])('missing %s', (name) => {
    delete process.env[name];
    expect(() => reconcilerConfig()).toThrow('ALARM_NAME and PROBE_URL must be set');
  });

  test('missing flag settings', () => {
    delete process.env.ACTIVE_ORIGIN_OVERRIDE_KEY;
    expect(() => reconcilerConfig()).toThrow('KVS_ARN, ACTIVE_ORIGIN_KEY and ACTIVE_ORIGIN_OVERRIDE_KEY must be set');
  });

  test.each([['PROBE_COUNT', '0', 1], ['PROBE_TIMEOUT_MS', 'x', 1], ['PROBE_INTERVAL_MS', '-1', 0]])('%s=%s is refused', (name, value, min) => {
    process.env[name] = value;
    expect(() => reconcilerConfig()).toThrow(`${name} must be an integer of at least ${min}, got: ${value}`);
  });

  test('defaults: 3 probes, 5 s timeout, 5 s apart', () => {
    delete process.env.PROBE_INTERVAL_MS;
    expect(reconcilerConfig()).toMatchObject({ probeCount: 3, probeTimeoutMs: 5000, probeIntervalMs: 5000 });
  });

  test('probeOnce: a non-Error rejection counts as a failed probe', async () => {
    fetchMock.mockImplementationOnce(async () => { throw 'boom'; });
    await expect(probeOnce(PROBE_URL, 10)).resolves.toBe(false);
  });
});
