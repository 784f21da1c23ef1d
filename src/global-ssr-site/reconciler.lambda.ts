import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { FlagConfig, FlipResult, flagConfig, readOverride, setActiveOrigin } from './write-failover.lambda';

/**
 * The write-failover reconciler of a `GlobalSsrSite`. EventBridge Scheduler runs it every minute in the DR region
 * (not in us-east-1), and it sets the active-origin flag from the primary's CURRENT health, so that a missed or
 * failed flip by the alarm's function is corrected within a minute, and writes still move when us-east-1 is lost:
 *
 * 1. the operator override key, when set, wins;
 * 2. the primary health alarm in us-east-1 (`DescribeAlarms`, the same signal the alarm action uses): ALARM → `dr`;
 *    Route 53 publishes `HealthCheckStatus` in us-east-1 only, so this read fails when us-east-1 is unreachable;
 * 3. otherwise up to `PROBE_COUNT` probes of the primary through CloudFront (`PROBE_URL`, the primary-only probe
 *    path): the first 2xx/3xx answer means healthy (`primary`); when every probe fails → `dr`.
 *
 * An error (e.g. the KeyValueStore API fails) fails the invocation: the next run tries again, and the site's
 * reconciler alarm counts the errors.
 */

const cloudwatch = new CloudWatchClient({
  region: process.env.ALARM_REGION ?? 'us-east-1',
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 2000, requestTimeout: 3000 },
});

/** Settings from the environment. */
export interface ReconcilerConfig extends FlagConfig {
  readonly alarmName: string;
  readonly probeUrl: string;
  readonly probeCount: number;
  readonly probeTimeoutMs: number;
  readonly probeIntervalMs: number;
}

/** The primary's health as the reconciler sees it. */
export interface HealthVerdict {
  readonly healthy: boolean;
  readonly reason: string;
}

/** Reads the configuration; throws when a required variable is missing. */
export function reconcilerConfig(): ReconcilerConfig {
  const alarmName = process.env.ALARM_NAME;
  const probeUrl = process.env.PROBE_URL;
  if (!alarmName || !probeUrl) {
    throw new Error('ALARM_NAME and PROBE_URL must be set');
  }
  return {
    ...flagConfig(),
    alarmName,
    probeUrl,
    probeCount: numberFromEnv('PROBE_COUNT', 3, 1),
    probeTimeoutMs: numberFromEnv('PROBE_TIMEOUT_MS', 5000, 1),
    probeIntervalMs: numberFromEnv('PROBE_INTERVAL_MS', 5000, 0),
  };
}

/**
 * The state of the primary health alarm (`ALARM`, `OK`, `INSUFFICIENT_DATA`), or undefined when it cannot be read
 * (us-east-1 unreachable, throttled, alarm missing).
 */
export async function alarmState(alarmName: string): Promise<string | undefined> {
  try {
    const out = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm'] }));
    return out.MetricAlarms?.[0]?.StateValue;
  } catch (e) {
    console.log(JSON.stringify({ alarmRead: 'failed', error: errorText(e) }));
    return undefined;
  }
}

/** One probe: true for a 2xx/3xx answer within the timeout (Route 53's rule for HTTP checks). */
export async function probeOnce(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return res.status >= 200 && res.status < 400;
  } catch (e) {
    console.log(JSON.stringify({ probe: 'failed', error: errorText(e) }));
    return false;
  }
}

/** Probes until one succeeds; unhealthy only when every probe fails. */
export async function probePrimary(config: ReconcilerConfig): Promise<HealthVerdict> {
  for (let i = 1; i <= config.probeCount; i++) {
    if (await probeOnce(config.probeUrl, config.probeTimeoutMs)) {
      return { healthy: true, reason: `probe ${i} of ${config.probeCount} answered 2xx/3xx` };
    }
    if (i < config.probeCount && config.probeIntervalMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, config.probeIntervalMs));
    }
  }
  return { healthy: false, reason: `all ${config.probeCount} probes failed` };
}

/** The primary's health: the alarm when it says ALARM, else the probes. */
export async function primaryHealth(config: ReconcilerConfig): Promise<HealthVerdict> {
  const state = await alarmState(config.alarmName);
  if (state === 'ALARM') {
    return { healthy: false, reason: `alarm ${config.alarmName} is ALARM` };
  }
  const verdict = await probePrimary(config);
  return { healthy: verdict.healthy, reason: `alarm ${state ?? 'unreadable'}; ${verdict.reason}` };
}

export async function handler(): Promise<FlipResult> {
  const config = reconcilerConfig();
  const override = await readOverride(config);
  if (override !== undefined) {
    return setActiveOrigin(config, override, `operator override ${config.overrideKey}=${override}`);
  }
  const health = await primaryHealth(config);
  return setActiveOrigin(config, health.healthy ? 'primary' : 'dr', `reconciler: ${health.reason}`);
}

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got: ${raw}`);
  }
  return value;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
