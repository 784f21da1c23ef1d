import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { SignatureV4a } from '@smithy/signature-v4a';
import type { CloudWatchAlarmEvent } from 'aws-lambda';
import { numberFromEnv, probeOnce } from './health-probe';

/**
 * Flips the active-origin flag of a `GlobalSsrSite` in its CloudFront KeyValueStore.
 *
 * Invoked asynchronously by the primary health check's CloudWatch alarm (Lambda alarm action): ALARM → `dr` if the
 * DR origin answers its probe path (`DR_PROBE_URL`, through CloudFront; with the flag on `dr` the edge sends every
 * request to DR with no fallback), else no change; OK → `primary`; INSUFFICIENT_DATA → no change. The DR-region
 * reconciler checks again every minute. An operator override key (`active-origin-override` =
 * `primary` | `dr`) wins over the alarm. Operators may also invoke it by hand with
 * `{ "activeOrigin": "dr" | "primary" }` (the reconciler re-applies the current health within a minute unless
 * the override key is set).
 *
 * The KeyValueStore API is global and needs SigV4a: the pure-JS signer is bundled (the Lambda runtime has no CRT).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-kvp.html
 *
 * The functions below are shared with the reconciler (`reconciler.lambda.ts`).
 */

/** Put attempts when another writer changes the store between Describe and Put. */
const MAX_ATTEMPTS = 3;
/** Flag values. */
export const ORIGINS = ['primary', 'dr'];

export const kvs = new CloudFrontKeyValueStoreClient({
  region: 'us-east-1',
  signerConstructor: SignatureV4a,
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 2000, requestTimeout: 3000 },
});

/** A manual invocation. */
export interface ManualEvent {
  readonly activeOrigin: string;
}

/** What a handler did. */
export interface FlipResult {
  readonly changed: boolean;
  readonly activeOrigin?: string;
  readonly previous?: string;
  readonly reason: string;
}

/** The flag's location, from the environment. */
export interface FlagConfig {
  readonly kvsArn: string;
  readonly key: string;
  readonly overrideKey: string;
}

/** Reads `KVS_ARN`, `ACTIVE_ORIGIN_KEY` and `ACTIVE_ORIGIN_OVERRIDE_KEY`. */
export function flagConfig(): FlagConfig {
  const kvsArn = process.env.KVS_ARN;
  const key = process.env.ACTIVE_ORIGIN_KEY;
  const overrideKey = process.env.ACTIVE_ORIGIN_OVERRIDE_KEY;
  if (!kvsArn || !key || !overrideKey) {
    throw new Error('KVS_ARN, ACTIVE_ORIGIN_KEY and ACTIVE_ORIGIN_OVERRIDE_KEY must be set');
  }
  return { kvsArn, key, overrideKey };
}

/** Maps an event to the desired flag value, or undefined when the event asks for no change. */
export function desiredOrigin(event: Partial<CloudWatchAlarmEvent> & Partial<ManualEvent>): string | undefined {
  if (typeof event.activeOrigin === 'string') {
    if (!ORIGINS.includes(event.activeOrigin)) {
      throw new Error(`activeOrigin must be "primary" or "dr", got: ${event.activeOrigin}`);
    }
    return event.activeOrigin;
  }
  const state = event.alarmData?.state?.value;
  if (state === 'ALARM') {
    return 'dr';
  }
  if (state === 'OK') {
    return 'primary';
  }
  return undefined;
}

/** The value of `key`, or undefined when the key does not exist. */
export async function readKey(kvsArn: string, key: string): Promise<string | undefined> {
  try {
    const out = await kvs.send(new GetKeyCommand({ KvsARN: kvsArn, Key: key }));
    return out.Value;
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw e;
  }
}

/** The operator override (`primary` or `dr`), or undefined when it is absent or holds another value. */
export async function readOverride(config: FlagConfig): Promise<string | undefined> {
  const value = await readKey(config.kvsArn, config.overrideKey);
  if (value === undefined || value === '') {
    return undefined;
  }
  if (!ORIGINS.includes(value)) {
    console.log(JSON.stringify({ ignored: config.overrideKey, value, reason: 'not "primary" or "dr"' }));
    return undefined;
  }
  return value;
}

/** Sets the flag to the operator override when one is set; undefined when there is none. */
export async function applyOverride(config: FlagConfig): Promise<FlipResult | undefined> {
  const override = await readOverride(config);
  return override === undefined ? undefined : setActiveOrigin(config, override, `operator override ${config.overrideKey}=${override}`);
}

/** A flag value to set, or none (keep the current one), and why. */
export interface Decision {
  readonly desired?: string;
  readonly reason: string;
}

/**
 * `dr` when the DR origin answers its probe path, else no change: with the flag on `dr` the edge router sends every
 * request to DR with no fallback, so an unhealthy DR is never chosen.
 */
export async function drIfHealthy(drProbeUrl: string, timeoutMs: number, why: string): Promise<Decision> {
  if (await probeOnce(drProbeUrl, timeoutMs)) {
    return { desired: 'dr', reason: `${why}; DR probe answered 2xx/3xx` };
  }
  return { reason: `${why}; DR probe failed: DR is not chosen while it is unhealthy` };
}

/**
 * Sets the flag to `desired` unless it already holds it. `PutKey` needs the store's current ETag (`IfMatch`):
 * on a conflict with another writer it re-reads the ETag and retries, at most 3 attempts.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_kvs_PutKey.html
 */
export async function setActiveOrigin(config: FlagConfig, desired: string, why: string): Promise<FlipResult> {
  for (let attempt = 1; ; attempt++) {
    const { ETag } = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: config.kvsArn }));
    const previous = await readKey(config.kvsArn, config.key);
    if (previous === desired) {
      const result = { changed: false, activeOrigin: desired, previous, reason: `already ${desired} (${why})` };
      console.log(JSON.stringify(result));
      return result;
    }
    try {
      await kvs.send(new PutKeyCommand({ KvsARN: config.kvsArn, Key: config.key, Value: desired, IfMatch: ETag }));
      const result = { changed: true, activeOrigin: desired, previous, reason: `set ${config.key}=${desired} (${why})` };
      console.log(JSON.stringify(result));
      return result;
    } catch (e) {
      // Another writer changed the store between Describe and Put: read the new ETag and retry.
      if (isConflict(e) && attempt < MAX_ATTEMPTS) {
        continue;
      }
      throw e;
    }
  }
}

export async function handler(event: Partial<CloudWatchAlarmEvent> & Partial<ManualEvent>): Promise<FlipResult> {
  const config = flagConfig();
  const requested = desiredOrigin(event);
  if (requested === undefined) {
    const reason = `no change for alarm state ${event.alarmData?.state?.value ?? '(none)'}`;
    console.log(JSON.stringify({ changed: false, reason }));
    return { changed: false, reason };
  }
  const drProbeUrl = process.env.DR_PROBE_URL;
  if (!drProbeUrl) {
    throw new Error('DR_PROBE_URL must be set');
  }
  const overridden = await applyOverride(config);
  if (overridden) {
    return overridden;
  }
  if (typeof event.activeOrigin === 'string') {
    return setActiveOrigin(config, requested, 'manual invocation');
  }
  const why = `alarm ${event.alarmData?.state?.value}`;
  if (requested === 'dr') {
    const decision = await drIfHealthy(drProbeUrl, numberFromEnv('PROBE_TIMEOUT_MS', 5000, 1), why);
    if (decision.desired === undefined) {
      const result = { changed: false, reason: `${decision.reason} (the reconciler checks again every minute)` };
      console.log(JSON.stringify(result));
      return result;
    }
    return setActiveOrigin(config, decision.desired, decision.reason);
  }
  return setActiveOrigin(config, requested, why);
}

function isConflict(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'ConflictException' || name === 'ValidationException' && /etag|if-match/i.test(String((e as Error).message));
}
