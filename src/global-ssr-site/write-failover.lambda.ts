import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { SignatureV4a } from '@smithy/signature-v4a';
import type { CloudWatchAlarmEvent } from 'aws-lambda';

/**
 * Flips the active-origin flag of a `GlobalSsrSite` in its CloudFront KeyValueStore.
 *
 * Invoked by the primary health check's CloudWatch alarm (Lambda alarm action): ALARM → `dr`, OK → `primary`,
 * INSUFFICIENT_DATA → no change. Operators may invoke it by hand with `{ "activeOrigin": "dr" | "primary" }`.
 * The KeyValueStore API needs SigV4a: the pure-JS signer is bundled (the Lambda runtime has no CRT).
 */

const MAX_ATTEMPTS = 3;

export const kvs = new CloudFrontKeyValueStoreClient({
  region: 'us-east-1',
  signerConstructor: SignatureV4a,
});

/** A manual invocation. */
export interface ManualEvent {
  readonly activeOrigin: string;
}

/** What the handler did. */
export interface FlipResult {
  readonly changed: boolean;
  readonly activeOrigin?: string;
  readonly previous?: string;
  readonly reason: string;
}

/** Maps an event to the desired flag value, or undefined when the event asks for no change. */
export function desiredOrigin(event: Partial<CloudWatchAlarmEvent> & Partial<ManualEvent>): string | undefined {
  if (typeof event.activeOrigin === 'string') {
    if (event.activeOrigin !== 'primary' && event.activeOrigin !== 'dr') {
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

export async function handler(event: Partial<CloudWatchAlarmEvent> & Partial<ManualEvent>): Promise<FlipResult> {
  const kvsArn = process.env.KVS_ARN;
  const key = process.env.ACTIVE_ORIGIN_KEY;
  if (!kvsArn || !key) {
    throw new Error('KVS_ARN and ACTIVE_ORIGIN_KEY must be set');
  }
  const desired = desiredOrigin(event);
  if (desired === undefined) {
    const reason = `no change for alarm state ${event.alarmData?.state?.value ?? '(none)'}`;
    console.log(JSON.stringify({ changed: false, reason }));
    return { changed: false, reason };
  }

  for (let attempt = 1; ; attempt++) {
    const { ETag } = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: kvsArn }));
    const previous = await currentValue(kvsArn, key);
    if (previous === desired) {
      const result = { changed: false, activeOrigin: desired, previous, reason: `already ${desired}` };
      console.log(JSON.stringify(result));
      return result;
    }
    try {
      await kvs.send(new PutKeyCommand({ KvsARN: kvsArn, Key: key, Value: desired, IfMatch: ETag }));
      const result = { changed: true, activeOrigin: desired, previous, reason: `set ${key}=${desired}` };
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

async function currentValue(kvsArn: string, key: string): Promise<string | undefined> {
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

function isConflict(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'ConflictException' || name === 'ValidationException' && /etag|if-match/i.test(String((e as Error).message));
}
