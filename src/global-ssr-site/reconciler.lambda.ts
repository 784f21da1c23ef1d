import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { errorText, numberFromEnv, probeOnce } from './health-probe';
import { Decision, FlagConfig, FlipResult, applyOverride, drIfHealthy, flagConfig, readKey, setActiveOrigin } from './write-failover.lambda';

export { probeOnce };

/**
 * The write-failover reconciler of a `GlobalSsrSite`. EventBridge Scheduler runs it every minute in the DR region
 * (not in us-east-1). It sets the active-origin flag from the primary's health, so that a missed or failed flip by
 * the alarm's function is corrected within a minute, and writes still move when us-east-1 is lost:
 *
 * 1. the operator override key, when set, wins;
 * 2. the primary health alarm in us-east-1 (`DescribeAlarms`, the same signal as the alarm action), when it can be
 *    read: `OK` → `primary` (Route 53's checkers in many locations outvote this region's own view of the primary);
 *    `ALARM` → `dr`, but only if the DR origin's probe path answers 2xx/3xx; otherwise the flag is kept;
 * 3. when the alarm cannot be read (Route 53 publishes `HealthCheckStatus` in us-east-1 only) or is
 *    `INSUFFICIENT_DATA`: up to `PROBE_COUNT` probes of the primary through CloudFront (`PROBE_URL`): all fail →
 *    `dr` (only if the DR probe answers); all answer → `primary`; mixed → the flag is kept (no flapping while the
 *    primary fails part of its requests).
 *
 * With the flag on `dr` the edge router sends every request to DR with no fallback, hence the DR check. Keeping
 * the current value is stateless hysteresis: it needs nothing but the flag itself.
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
  readonly drProbeUrl: string;
  readonly probeCount: number;
  readonly probeTimeoutMs: number;
  readonly probeIntervalMs: number;
  readonly alarmReadTimeoutMs: number;
}

/** Reads the configuration; throws when a required variable is missing. */
export function reconcilerConfig(): ReconcilerConfig {
  const alarmName = process.env.ALARM_NAME;
  const probeUrl = process.env.PROBE_URL;
  const drProbeUrl = process.env.DR_PROBE_URL;
  if (!alarmName || !probeUrl || !drProbeUrl) {
    throw new Error('ALARM_NAME, PROBE_URL and DR_PROBE_URL must be set');
  }
  return {
    ...flagConfig(),
    alarmName,
    probeUrl,
    drProbeUrl,
    probeCount: numberFromEnv('PROBE_COUNT', 3, 1),
    probeTimeoutMs: numberFromEnv('PROBE_TIMEOUT_MS', 5000, 1),
    probeIntervalMs: numberFromEnv('PROBE_INTERVAL_MS', 5000, 0),
    alarmReadTimeoutMs: numberFromEnv('ALARM_READ_TIMEOUT_MS', 3000, 1),
  };
}

/**
 * The state of the primary health alarm (`ALARM`, `OK`, `INSUFFICIENT_DATA`), or undefined when it cannot be read
 * within `timeoutMs` in total (us-east-1 unreachable, throttled, alarm missing). The SDK's own timeouts bound the
 * connection and each socket wait only; the abort signal bounds the whole call.
 */
export async function alarmState(alarmName: string, timeoutMs: number): Promise<string | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const out = await Promise.race([
      cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm'] }), { abortSignal: signal }),
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ]);
    return out.MetricAlarms?.[0]?.StateValue;
  } catch (e) {
    console.log(JSON.stringify({ alarmRead: 'failed', error: errorText(e) }));
    return undefined;
  }
}

/** Probes the primary; stops as soon as the answers are mixed (the verdict can no longer change). */
async function probePrimary(config: ReconcilerConfig): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (let i = 1; i <= config.probeCount && (passed === 0 || failed === 0); i++) {
    if (i > 1 && config.probeIntervalMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, config.probeIntervalMs));
    }
    if (await probeOnce(config.probeUrl, config.probeTimeoutMs)) {
      passed++;
    } else {
      failed++;
    }
  }
  return { passed, failed };
}

function failOver(config: ReconcilerConfig, why: string): Promise<Decision> {
  return drIfHealthy(config.drProbeUrl, config.probeTimeoutMs, why);
}

/** The decision from the alarm, else from the probes (see the module comment). */
export async function decide(config: ReconcilerConfig): Promise<Decision> {
  const state = await alarmState(config.alarmName, config.alarmReadTimeoutMs);
  if (state === 'OK') {
    return { desired: 'primary', reason: `alarm ${config.alarmName} is OK` };
  }
  if (state === 'ALARM') {
    return failOver(config, `alarm ${config.alarmName} is ALARM`);
  }
  const alarm = `alarm ${state ?? 'unreadable'}`;
  const { passed, failed } = await probePrimary(config);
  if (passed === 0) {
    return failOver(config, `${alarm}; all ${failed} probes of the primary failed`);
  }
  if (failed === 0) {
    return { desired: 'primary', reason: `${alarm}; all ${passed} probes of the primary answered 2xx/3xx` };
  }
  return { reason: `${alarm}; probes of the primary mixed (${failed} failed, ${passed} answered 2xx/3xx): no change` };
}

export async function handler(): Promise<FlipResult> {
  const config = reconcilerConfig();
  const overridden = await applyOverride(config);
  if (overridden) {
    return overridden;
  }
  const decision = await decide(config);
  if (decision.desired !== undefined) {
    return setActiveOrigin(config, decision.desired, `reconciler: ${decision.reason}`);
  }
  const current = await readKey(config.kvsArn, config.key);
  const result = { changed: false, activeOrigin: current, reason: `kept ${current ?? '(unset)'} (reconciler: ${decision.reason})` };
  console.log(JSON.stringify(result));
  return result;
}
