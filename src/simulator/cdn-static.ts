import { isDown, SimulationContext } from './context';
import { ResourceNode } from './graph';
import { SimulatedEvent, SimulatedFlow } from './types';

/**
 * S3 Replication Time Control: "replicates most objects that you upload to Amazon S3 in seconds, and 99.99 percent of
 * those objects within 15 minutes". Without RTC, replication is asynchronous with no time bound.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
 * @internal
 */
export const RTC_WINDOW_SECONDS = 15 * 60;
const RTC_DOC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html';
const REPLICATION_DOC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html';

/** One enabled replication rule of a bucket of the assembly. @internal */
export interface Replica {
  /** Destination bucket name (from its ARN). */
  readonly bucketName: string;
  /** The destination bucket, when the assembly has it. */
  readonly node?: ResourceNode;
  /** Its region, when the assembly places it. */
  readonly region?: string;
  /** S3 Replication Time Control enabled on the rule. */
  readonly rtc: boolean;
}

/** The bucket of the assembly named `name` (its `BucketName`). @internal */
export function bucketByName(ctx: SimulationContext, name: string | undefined): ResourceNode | undefined {
  if (!name) return undefined;
  return ctx.graph.ofType('AWS::S3::Bucket').find((b) => b.properties.BucketName !== undefined && ctx.graph.text(b.properties.BucketName, b.stack).text === name);
}

/** The enabled replication rules of `bucket` (ReplicationConfiguration.Rules, Status Enabled). @internal */
export function replicasOf(ctx: SimulationContext, bucket: ResourceNode): Replica[] {
  const rules: any[] = bucket.properties.ReplicationConfiguration?.Rules ?? [];
  return rules
    .filter((r) => ctx.graph.text(r.Status ?? 'Enabled', bucket.stack).text === 'Enabled')
    .map((r) => {
      const arn = ctx.graph.text(r.Destination?.Bucket, bucket.stack).text;
      const bucketName = arn.replace(/^arn:[^:]*:s3:::/, '').split('/')[0];
      const node = ctx.graph.target(r.Destination?.Bucket, bucket.stack)?.type === 'AWS::S3::Bucket'
        ? ctx.graph.target(r.Destination?.Bucket, bucket.stack) : bucketByName(ctx, bucketName);
      const rtc = ctx.graph.text(r.Destination?.ReplicationTime?.Status ?? 'Disabled', bucket.stack).text === 'Enabled';
      return { bucketName, node, region: node?.stack.region, rtc };
    });
}

/**
 * The recovery point of a copy served from `replica` after its source's region failed: with RTC, objects written in
 * the last 15 minutes may be missing (99.99 % arrive within 15 minutes); without, nothing bounds it.
 * @internal
 */
export function replicaRecoveryPoint(source: string, replica: Replica): string {
  return replica.rtc
    ? `objects written to ${source} in the last ${RTC_WINDOW_SECONDS / 60} minutes before the outage may be missing from ${replica.bucketName} (S3 RTC replicates 99.99 % of objects within 15 minutes: ${RTC_DOC})`
    : `objects written to ${source} shortly before the outage may be missing from ${replica.bucketName}: replication without RTC is asynchronous with no time bound (${REPLICATION_DOC})`;
}

/**
 * Flows `static` for buckets of the assembly that replicate (ReplicationConfiguration) and that no distribution
 * serves (those are covered with their distribution): a bucket outside the failed region is not impacted; a bucket in
 * it is readable from a replica outside it at once (with the replication's recovery point), else not at all.
 * @internal
 */
export function replicatedBucketFlows(ctx: SimulationContext, servedBuckets: Set<ResourceNode>): SimulatedFlow[] {
  const flows: SimulatedFlow[] = [];
  for (const bucket of ctx.graph.ofType('AWS::S3::Bucket')) {
    const replicas = replicasOf(ctx, bucket);
    if (replicas.length === 0 || servedBuckets.has(bucket)) continue;
    const name = bucket.properties.BucketName !== undefined ? ctx.graph.text(bucket.properties.BucketName, bucket.stack).text : bucket.key;
    const base = { id: `static:${bucket.key}`, kind: 'static', name: `S3 bucket ${name}`, fromRegion: bucket.stack.region, constructPath: bucket.path };
    if (!isDown(ctx, bucket.stack.region)) {
      flows.push({ ...base, impacted: false, blockedBy: [], timeline: [] });
      continue;
    }
    const failing: SimulatedEvent = { t: 0, phase: 'failing', event: `${name} in ${bucket.stack.region} is unavailable` };
    const usable = replicas.find((r) => r.region !== undefined && !isDown(ctx, r.region));
    if (!usable) {
      flows.push({
        ...base,
        impacted: true,
        blockedBy: [{ resource: bucket.key, reason: `no replica of ${name} outside ${ctx.outage} (replicas: ${replicas.map((r) => `${r.bucketName} in ${r.region ?? 'an unknown region'}`).join(', ')})` }],
        timeline: [failing],
      });
      continue;
    }
    flows.push({
      ...base,
      impacted: true,
      toRegion: usable.region,
      recoveredAtSeconds: 0,
      typicalSeconds: 0,
      blockedBy: [],
      timeline: [
        failing,
        { t: 0, phase: 'recovered', region: usable.region, event: `the replica ${usable.bucketName} in ${usable.region} holds the objects; readers must use it (no failover in the assembly routes them)` },
        { t: 0, event: replicaRecoveryPoint(name, usable) },
      ],
    });
  }
  return flows;
}
