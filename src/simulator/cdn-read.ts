import { CdnDistribution, CdnOrigin, originPenalty, originResourceKey } from './cdn-distribution';
import { analyzeFunction, EdgeRouting, pinsPath } from './cdn-function';
import { bucketByName, replicaRecoveryPoint, replicasOf } from './cdn-static';
import { addFinding, CONTROL_PLANE_HOME, isDown, SimulationContext } from './context';
import { ResourceNode } from './graph';
import { SimulatedBlocker, SimulatedEvent, SimulatedFlow } from './types';

const GROUP_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html';

/** Where GET/HEAD/OPTIONS requests of some behaviors go: an origin group (primary first) or one origin. @internal */
export interface ReadTarget {
  /** Stable key: the group id, `+`-joined origin ids of a function's group, or the origin id. */
  readonly key: string;
  readonly members: string[];
  readonly statusCodes: number[];
  /** `function` (createRequestOriginGroup), `group` (distribution origin group) or `origin`. */
  readonly via: string;
  readonly patterns: string[];
  readonly routing?: EdgeRouting;
}

/** The distinct GET targets of a distribution's behaviors (health probe paths pinned by a function left out). @internal */
export function readTargets(ctx: SimulationContext, dist: CdnDistribution): ReadTarget[] {
  const targets = new Map<string, ReadTarget>();
  for (const b of dist.behaviors) {
    const routing = b.viewerFunctions.map((fn) => analyzeFunction(ctx, fn)).find((r) => r.group || r.flag);
    if (routing && pinsPath(routing, b.pattern)) continue;
    let t: Omit<ReadTarget, 'patterns'>;
    if (routing?.group && routing.group.originIds.length > 0) {
      t = { key: routing.group.originIds.join('+'), members: routing.group.originIds, statusCodes: routing.group.statusCodes, via: 'function', routing };
    } else if (dist.groups.has(b.targetOriginId)) {
      const g = dist.groups.get(b.targetOriginId)!;
      t = { key: g.id, members: g.members, statusCodes: g.statusCodes, via: 'group', routing };
    } else {
      t = { key: b.targetOriginId, members: [b.targetOriginId], statusCodes: [], via: 'origin', routing };
    }
    const seen = targets.get(t.key);
    targets.set(t.key, { ...t, patterns: [...(seen?.patterns ?? []), b.pattern] });
  }
  return [...targets.values()];
}

/** Whether every origin of the target is an S3 bucket (flow kind `static`, else `cdn-read`). @internal */
export function isStaticTarget(dist: CdnDistribution, target: ReadTarget): boolean {
  return target.members.every((id) => dist.origins.get(id)?.s3 === true);
}

/** A readable name for a set of behaviors. @internal */
export function behaviorsName(dist: CdnDistribution, patterns: string[]): string {
  const named = patterns.map((p) => (p === '*' ? 'default behavior' : p));
  return `${dist.name} (${named.join(', ')})`;
}

/**
 * The flow of one GET target after the outage. A primary outside the failed region: not impacted. A primary in it
 * with a secondary outside it: every GET/HEAD/OPTIONS request is retried on the secondary at once (recovered at 0 s),
 * paying the primary's connection attempts and response timeouts first; POST/PUT/PATCH/DELETE are not retried
 * (see the `cdn-write` flows). No secondary, or one in the failed region too: never, without a person; the fix is a
 * distribution change, which needs the CloudFront control plane (us-east-1).
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
 * @internal
 */
export function readFlow(ctx: SimulationContext, dist: CdnDistribution, target: ReadTarget, id: string, flagAt?: number): SimulatedFlow {
  const kind = isStaticTarget(dist, target) ? 'static' : 'cdn-read';
  const [primary, secondary] = target.members.map((m) => dist.origins.get(m));
  const base = { id, kind, name: behaviorsName(dist, target.patterns), fromRegion: primary?.region, constructPath: dist.node.path };
  checkGroup(ctx, dist, target, primary, secondary);
  if (!primary || !isDown(ctx, primary.region)) {
    const timeline: SimulatedEvent[] = secondary && isDown(ctx, secondary.region)
      ? [{ t: 0, event: `secondary origin ${secondary.id} in ${secondary.region} is down: no failover left until it recovers` }]
      : [];
    return { ...base, impacted: false, blockedBy: [], timeline };
  }
  const failing: SimulatedEvent = { t: 0, phase: 'failing', event: `origin ${primary.id} (${primary.domain.text}) in ${primary.region} stops answering` };
  const notes = controlPlaneNotes(ctx);
  if (!secondary || isDown(ctx, secondary.region)) {
    const reason = secondary
      ? `both origins of ${target.key} (${primary.id}, ${secondary.id}) are in ${ctx.outage}`
      : `the only origin ${primary.id} is in ${ctx.outage} (no origin group)`;
    const bucket = primary.s3 ? bucketByName(ctx, primary.bucketName) : undefined;
    const replica = bucket ? replicasOf(ctx, bucket).find((r) => r.region !== undefined && !isDown(ctx, r.region)) : undefined;
    const blockedBy: SimulatedBlocker[] = [
      { resource: bucket?.key ?? originResourceKey(dist, primary), reason: replica ? `${reason}; its replica ${replica.bucketName} in ${replica.region} is no origin of this distribution` : reason },
      distributionChange(ctx, dist),
    ];
    return { ...base, impacted: true, blockedBy, timeline: [failing, ...notes] };
  }
  const p = originPenalty(primary);
  const how = target.via === 'function' ? `the CloudFront Function ${target.routing!.fn.key}'s per-request origin group` : `origin group ${target.key}`;
  const timeline: SimulatedEvent[] = [
    failing,
    {
      t: 0,
      phase: 'recovered',
      region: secondary.region,
      event: `GET/HEAD/OPTIONS: ${how} retries each request on ${secondary.id} in ${secondary.region} (${GROUP_DOC}); `
        + `penalty ≤ ${p.worst} s (${p.text}), ${p.typical} s when it refuses connections`,
    },
    ...staticRecoveryPoint(ctx, primary, secondary),
    ...notes,
  ];
  if (flagAt !== undefined && target.routing?.flag) {
    timeline.push({ t: flagAt, event: `KeyValueStore flag says ${target.routing.flag.originId}: requests go to it first, no more penalty` });
  }
  return {
    ...base,
    impacted: true,
    toRegion: secondary.region,
    recoveredAtSeconds: 0,
    typicalSeconds: 0,
    perRequestPenaltySeconds: p.worst,
    blockedBy: [],
    timeline,
  };
}

/** Findings on the group itself: a secondary in the primary's region, failover codes that miss 5xx answers. */
function checkGroup(ctx: SimulationContext, dist: CdnDistribution, target: ReadTarget, primary?: CdnOrigin, secondary?: CdnOrigin): void {
  if (primary && secondary && primary.region && primary.region === secondary.region && primary.region !== 'global') {
    addFinding(ctx, 'error', dist.node.key, `origin group ${target.key}: the secondary ${secondary.id} is in the primary's region ${primary.region}, so a regional outage takes both`);
  }
  const missing = [500, 502, 503, 504].filter((c) => !target.statusCodes.includes(c));
  if (secondary && missing.length) {
    addFinding(ctx, 'warning', dist.node.key, `origin group ${target.key} does not fail over on ${missing.join(', ')}: a primary that answers these codes is not retried on ${secondary.id} (only connection failures and timeouts are)`);
  }
}

/** The recovery point of an S3 secondary: what replication to it leaves out. */
function staticRecoveryPoint(ctx: SimulationContext, primary: CdnOrigin, secondary: CdnOrigin): SimulatedEvent[] {
  if (!primary.s3 || !secondary.s3) return [];
  const source = bucketByName(ctx, primary.bucketName);
  const replica = source ? replicasOf(ctx, source).find((r) => r.bucketName === secondary.bucketName) : undefined;
  if (!replica) {
    return [{ t: 0, event: `no replication from ${primary.bucketName} to ${secondary.bucketName} in this assembly: ${secondary.bucketName} serves only the objects written to it directly` }];
  }
  return [{ t: 0, event: replicaRecoveryPoint(primary.bucketName!, replica) }];
}

/** While the CloudFront control plane's region is down, no distribution or function changes. @internal */
export function controlPlaneNotes(ctx: SimulationContext): SimulatedEvent[] {
  return isDown(ctx, CONTROL_PLANE_HOME.cloudfront)
    ? [{ t: 0, event: `the CloudFront control plane (${CONTROL_PLANE_HOME.cloudfront}) is down: no distribution, function or invalidation changes until it recovers; edge locations keep serving` }]
    : [];
}

/** The manual fix of a distribution (move a behavior to another origin) and whether its control plane is up. @internal */
export function distributionChange(ctx: SimulationContext, dist: CdnDistribution): SimulatedBlocker {
  const home = CONTROL_PLANE_HOME.cloudfront;
  return {
    resource: dist.node.key,
    reason: isDown(ctx, home)
      ? `moving the behavior to another origin is a CloudFront UpdateDistribution call: its control plane (${home}) is down in this outage`
      : `moving the behavior to another origin needs a person: a CloudFront UpdateDistribution call (control plane in ${home})`,
  };
}

/** The buckets a distribution serves (for the replication flows, which skip them). @internal */
export function servedBuckets(ctx: SimulationContext, dist: CdnDistribution): ResourceNode[] {
  return [...dist.origins.values()].filter((o) => o.s3).map((o) => bucketByName(ctx, o.bucketName) ?? o.resource)
    .filter((b): b is ResourceNode => b?.type === 'AWS::S3::Bucket');
}
