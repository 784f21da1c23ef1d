import { CloudFrontKeyValueStoreClient, DescribeKeyValueStoreCommand, GetKeyCommand, PutKeyCommand } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, probeOnce, reconcilerConfig } from '../../src/global-ssr-site/reconciler.lambda';

const kvs = mockClient(CloudFrontKeyValueStoreClient);
const cw = mockClient(CloudWatchClient);
const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/abc';
const PROBE_URL = 'https://www.example.com/__global-ssr/health/primary';
const DR_PROBE_URL = 'https://www.example.com/__global-ssr/health/dr';
let fetchMock: jest.SpyInstance;
let answers: { [url: string]: Array<number | Error> };

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

/** The primary probe path answers these statuses (or rejects with these errors), one per call, in order. */
function primaryProbes(...a: Array<number | Error>) {
  answers[PROBE_URL] = a;
}

/** The DR probe path answers these. */
function drProbes(...a: Array<number | Error>) {
  answers[DR_PROBE_URL] = a;
}

/** The URLs fetched, in order. */
function fetched(): string[] {
  return fetchMock.mock.calls.map((c) => String(c[0]));
}

function puts(): string[] {
  return kvs.commandCalls(PutKeyCommand).map((c) => `${c.args[0].input.Key}=${c.args[0].input.Value}@${c.args[0].input.IfMatch}`);
}

beforeEach(() => {
  kvs.reset();
  cw.reset();
  answers = {};
  fetchMock = jest.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
    const next = answers[String(url)]?.shift();
    if (next === undefined) throw new Error(`unexpected probe of ${String(url)}`);
    if (next instanceof Error) throw next;
    return new Response(null, { status: next });
  });
  process.env.KVS_ARN = ARN;
  process.env.ACTIVE_ORIGIN_KEY = 'active-origin';
  process.env.ACTIVE_ORIGIN_OVERRIDE_KEY = 'active-origin-override';
  process.env.ALARM_NAME = 'shop-primary-health';
  process.env.PROBE_URL = PROBE_URL;
  process.env.DR_PROBE_URL = DR_PROBE_URL;
  process.env.PROBE_INTERVAL_MS = '0';
  delete process.env.PROBE_COUNT;
  delete process.env.PROBE_TIMEOUT_MS;
  delete process.env.ALARM_READ_TIMEOUT_MS;
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('reconciler: the alarm in us-east-1 is readable and OK', () => {
  test('primary, without probing: the DR region\'s own view of the primary does not count', async () => {
    store('dr');
    alarm('OK');
    primaryProbes(503, 503, 503); // would fail from the DR region: never asked
    await expect(handler()).resolves.toEqual({
      changed: true,
      activeOrigin: 'primary',
      previous: 'dr',
      reason: 'set active-origin=primary (reconciler: alarm shop-primary-health is OK)',
    });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({ AlarmNames: ['shop-primary-health'], AlarmTypes: ['MetricAlarm'] });
    expect(fetched()).toEqual([]);
  });

  test('nothing is written when the flag is already primary', async () => {
    store('primary');
    alarm('OK');
    await expect(handler()).resolves.toMatchObject({ changed: false, activeOrigin: 'primary', reason: 'already primary (reconciler: alarm shop-primary-health is OK)' });
    expect(puts()).toEqual([]);
    expect(fetched()).toEqual([]);
  });
});

describe('reconciler: the alarm says ALARM: dr only if the DR origin is healthy', () => {
  test('DR health path answers 200: dr, one probe of the DR path through CloudFront, none of the primary', async () => {
    store('primary');
    alarm('ALARM');
    drProbes(200);
    await expect(handler()).resolves.toEqual({
      changed: true,
      activeOrigin: 'dr',
      previous: 'primary',
      reason: 'set active-origin=dr (reconciler: alarm shop-primary-health is ALARM; DR probe answered 2xx/3xx)',
    });
    expect(fetched()).toEqual([DR_PROBE_URL]);
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ method: 'GET', redirect: 'manual' });
    expect(fetchMock.mock.calls[0][1].signal).toBeInstanceOf(AbortSignal);
    expect(puts()).toEqual(['active-origin=dr@etag-1']);
  });

  test('a flip the alarm action already made is left alone', async () => {
    store('dr');
    alarm('ALARM');
    drProbes(200);
    await expect(handler()).resolves.toMatchObject({ changed: false, activeOrigin: 'dr', reason: 'already dr (reconciler: alarm shop-primary-health is ALARM; DR probe answered 2xx/3xx)' });
    expect(puts()).toEqual([]);
  });

  test.each<[string, number | Error]>([
    ['503', 503],
    ['a network error', new TypeError('fetch failed')],
  ])('DR health path fails (%s): the current value is kept, nothing is written', async (_label, answer) => {
    store('primary');
    alarm('ALARM');
    drProbes(answer);
    await expect(handler()).resolves.toEqual({
      changed: false,
      activeOrigin: 'primary',
      reason: 'kept primary (reconciler: alarm shop-primary-health is ALARM; DR probe failed: DR is not chosen while it is unhealthy)',
    });
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(0);
  });
});

describe('reconciler: the alarm is unreadable or INSUFFICIENT_DATA: probes decide, with hysteresis', () => {
  test('us-east-1 unreachable, every probe of the primary fails, DR healthy: dr', async () => {
    store('primary');
    cw.on(DescribeAlarmsCommand).rejects(awsError('TimeoutError', 'connect ETIMEDOUT monitoring.us-east-1.amazonaws.com'));
    primaryProbes(new TypeError('fetch failed'), new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 500);
    drProbes(200);
    await expect(handler()).resolves.toMatchObject({
      changed: true,
      activeOrigin: 'dr',
      reason: 'set active-origin=dr (reconciler: alarm unreadable; all 3 probes of the primary failed; DR probe answered 2xx/3xx)',
    });
    expect(fetched()).toEqual([PROBE_URL, PROBE_URL, PROBE_URL, DR_PROBE_URL]);
  });

  test('every probe of the primary fails but DR fails too: the current value is kept', async () => {
    store('primary');
    cw.on(DescribeAlarmsCommand).rejects(awsError('ThrottlingException'));
    primaryProbes(503, 503, 503);
    drProbes(503);
    await expect(handler()).resolves.toEqual({
      changed: false,
      activeOrigin: 'primary',
      reason: 'kept primary (reconciler: alarm unreadable; all 3 probes of the primary failed; DR probe failed: DR is not chosen while it is unhealthy)',
    });
    expect(puts()).toEqual([]);
  });

  test('every probe of the primary succeeds: primary (fail back), DR not probed', async () => {
    store('dr');
    cw.on(DescribeAlarmsCommand).rejects(awsError('ThrottlingException'));
    primaryProbes(200, 302, 204);
    await expect(handler()).resolves.toMatchObject({
      changed: true,
      activeOrigin: 'primary',
      reason: 'set active-origin=primary (reconciler: alarm unreadable; all 3 probes of the primary answered 2xx/3xx)',
    });
    expect(fetched()).toEqual([PROBE_URL, PROBE_URL, PROBE_URL]);
  });

  test.each(['dr', 'primary'])('a primary failing ~70 %% of requests does not flap: mixed probes keep %s, probing stops once mixed', async (flag) => {
    store(flag);
    cw.on(DescribeAlarmsCommand).rejects(awsError('ThrottlingException'));
    primaryProbes(503, 200, 503);
    await expect(handler()).resolves.toEqual({
      changed: false,
      activeOrigin: flag,
      reason: `kept ${flag} (reconciler: alarm unreadable; probes of the primary mixed (1 failed, 1 answered 2xx/3xx): no change)`,
    });
    expect(fetched()).toEqual([PROBE_URL, PROBE_URL]);
    expect(puts()).toEqual([]);
  });

  test('mixed probes and no flag yet: kept unset (the edge routes as primary)', async () => {
    store(undefined);
    cw.on(DescribeAlarmsCommand).rejects(awsError('ThrottlingException'));
    primaryProbes(200, 500);
    await expect(handler()).resolves.toEqual({
      changed: false,
      activeOrigin: undefined,
      reason: 'kept (unset) (reconciler: alarm unreadable; probes of the primary mixed (1 failed, 1 answered 2xx/3xx): no change)',
    });
  });

  test.each([
    ['INSUFFICIENT_DATA', { MetricAlarms: [{ StateValue: 'INSUFFICIENT_DATA' }] }, 'alarm INSUFFICIENT_DATA'],
    ['a missing alarm', { MetricAlarms: [] }, 'alarm unreadable'],
    ['no MetricAlarms field', {}, 'alarm unreadable'],
  ])('%s: the probes decide', async (_label, out, text) => {
    store(undefined);
    cw.on(DescribeAlarmsCommand).resolves(out as any);
    primaryProbes(200, 200, 200);
    await expect(handler()).resolves.toMatchObject({ changed: true, activeOrigin: 'primary', reason: `set active-origin=primary (reconciler: ${text}; all 3 probes of the primary answered 2xx/3xx)` });
  });

  test('an alarm read that hangs is abandoned after ALARM_READ_TIMEOUT_MS (total, not per socket): the probes decide', async () => {
    process.env.ALARM_READ_TIMEOUT_MS = '30';
    store('primary');
    cw.on(DescribeAlarmsCommand).callsFake(() => new Promise(() => undefined));
    primaryProbes(200, 200, 200);
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'primary', reason: 'already primary (reconciler: alarm unreadable; all 3 probes of the primary answered 2xx/3xx)' });
    expect((cw.call(0).args as unknown[])[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });
  });

  test('PROBE_COUNT and PROBE_TIMEOUT_MS are honoured (the DR probe uses the same timeout)', async () => {
    process.env.PROBE_COUNT = '1';
    process.env.PROBE_TIMEOUT_MS = '1500';
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    store('primary');
    alarm('INSUFFICIENT_DATA');
    primaryProbes(500);
    drProbes(200);
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'dr', reason: 'set active-origin=dr (reconciler: alarm INSUFFICIENT_DATA; all 1 probes of the primary failed; DR probe answered 2xx/3xx)' });
    expect(timeout.mock.calls).toEqual([[3000], [1500], [1500]]); // alarm read (total), primary probe, DR probe
  });

  test('the probes of the primary are spaced by PROBE_INTERVAL_MS', async () => {
    process.env.PROBE_INTERVAL_MS = '20';
    store('primary');
    alarm('INSUFFICIENT_DATA');
    primaryProbes(500, 500, 500);
    drProbes(500);
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
    drProbes(200);
    await expect(handler()).resolves.toMatchObject({ activeOrigin: 'dr' });
  });
});

describe('reconciler: AWS errors fail the run (the next run retries; the errors alarm counts them)', () => {
  test('DescribeKeyValueStore fails', async () => {
    store('primary');
    kvs.on(DescribeKeyValueStoreCommand).rejects(awsError('InternalServerException', 'kvs down'));
    alarm('ALARM');
    drProbes(200);
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
    drProbes(200);
    await expect(handler()).rejects.toThrow('no PutKey');
  });

  test('reading the current flag fails when the value is to be kept', async () => {
    store('primary');
    kvs.on(GetKeyCommand, { Key: 'active-origin' }).rejects(awsError('InternalServerException', 'no flag'));
    alarm('ALARM');
    drProbes(503);
    await expect(handler()).rejects.toThrow('no flag');
  });
});

describe('reconciler configuration', () => {
  test.each(['ALARM_NAME', 'PROBE_URL', 'DR_PROBE_URL'])('missing %s', (name) => {
    delete process.env[name];
    expect(() => reconcilerConfig()).toThrow('ALARM_NAME, PROBE_URL and DR_PROBE_URL must be set');
  });

  test('missing flag settings', () => {
    delete process.env.ACTIVE_ORIGIN_OVERRIDE_KEY;
    expect(() => reconcilerConfig()).toThrow('KVS_ARN, ACTIVE_ORIGIN_KEY and ACTIVE_ORIGIN_OVERRIDE_KEY must be set');
  });

  test.each([['PROBE_COUNT', '0', 1], ['PROBE_TIMEOUT_MS', 'x', 1], ['PROBE_INTERVAL_MS', '-1', 0], ['ALARM_READ_TIMEOUT_MS', '0', 1]])('%s=%s is refused', (name, value, min) => {
    process.env[name] = value;
    expect(() => reconcilerConfig()).toThrow(`${name} must be an integer of at least ${min}, got: ${value}`);
  });

  test('defaults: 3 probes, 5 s timeout, 5 s apart; alarm read 3 s in total', () => {
    delete process.env.PROBE_INTERVAL_MS;
    expect(reconcilerConfig()).toMatchObject({
      probeCount: 3, probeTimeoutMs: 5000, probeIntervalMs: 5000, alarmReadTimeoutMs: 3000, drProbeUrl: DR_PROBE_URL,
    });
  });

  test('probeOnce: a non-Error rejection counts as a failed probe', async () => {
    fetchMock.mockImplementationOnce(async () => { throw 'boom'; });
    await expect(probeOnce(PROBE_URL, 10)).resolves.toBe(false);
  });
});
