import { CdnDistribution, originResourceKey, WRITE_METHODS } from './cdn-distribution';
import { flagPaths, FlagTarget, flagWrite, flagSetters } from './cdn-flag';
import { analyzeFunction, pinsPath } from './cdn-function';
import { behaviorsName, controlPlaneNotes, distributionChange } from './cdn-read';
import { CONTROL_PLANE_HOME, isDown, SimulationContext } from './context';
import { SimulatedBlocker, SimulatedEvent, SimulatedFlow } from './types';

const GROUP_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html';

/** Where POST/PUT/PATCH/DELETE requests of some behaviors go: one origin, and the flag that may move them. @internal */
export interface WriteTarget {
  readonly key: string;
  /** The origin writes go to normally (an origin group's primary: groups never retry writes). */
  readonly originId: string;
  readonly flag?: FlagTarget;
  readonly patterns: string[];
}

/** The distinct write targets of the behaviors that allow POST, PUT, PATCH or DELETE. @internal */
export function writeTargets(ctx: SimulationContext, dist: CdnDistribution): WriteTarget[] {
  const targets = new Map<string, WriteTarget>();
  for (const b of dist.behaviors) {
    if (!b.methods.some((m) => WRITE_METHODS.includes(m))) continue;
    const routing = b.viewerFunctions.map((fn) => analyzeFunction(ctx, fn)).find((r) => r.group || r.flag);
    if (routing && pinsPath(routing, b.pattern)) continue;
    const originId = dist.groups.get(b.targetOriginId)?.members[0] ?? b.targetOriginId;
    const f = routing?.flag;
    const flag = f?.kvs ? { kvs: f.kvs, key: f.key, originId: f.originId, region: dist.origins.get(f.originId)?.region } : undefined;
    const key = flag ? `${originId}|${flag.kvs.key}:${flag.key}` : originId;
    const seen = targets.get(key);
    targets.set(key, { key, originId, flag, patterns: [...(seen?.patterns ?? []), b.pattern] });
  }
  return [...targets.values()];
}

/**
 * The flow of one write target after the outage. Its origin outside the failed region: not impacted. In it: origin
 * groups never retry POST/PUT/PATCH/DELETE, so writes fail until something moves them — a CloudFront Function that
 * routes every request by a KeyValueStore flag, set by the assembly's alarm actions or schedules (`flagPaths`): the
 * first path to finish (worst case) recovers the flow. With none, never without a person: an operator writes the flag
 * (`afterManualStepSeconds`), or changes the distribution (CloudFront control plane).
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html
 * @internal
 */
export function writeFlow(ctx: SimulationContext, dist: CdnDistribution, target: WriteTarget, id: string): SimulatedFlow {
  const origin = dist.origins.get(target.originId);
  const name = `${behaviorsName(dist, target.patterns)} writes (POST/PUT/PATCH/DELETE)`;
  const base = { id, kind: 'cdn-write', name, fromRegion: origin?.region, constructPath: dist.node.path };
  if (!origin || !isDown(ctx, origin.region)) {
    return { ...base, impacted: false, blockedBy: [], timeline: target.flag ? lostSetters(ctx, target.flag) : [] };
  }
  const failing: SimulatedEvent = {
    t: 0,
    phase: 'failing',
    event: `writes to ${origin.id} in ${origin.region} fail: CloudFront does not retry POST/PUT/PATCH/DELETE on an origin group's secondary (${GROUP_DOC})`,
  };
  const notes = controlPlaneNotes(ctx);
  const flag = target.flag;
  if (!flag) {
    const blockedBy: SimulatedBlocker[] = [
      { resource: originResourceKey(dist, origin), reason: `writes go only to ${origin.id} in ${ctx.outage}, and no KeyValueStore flag or other routing moves them` },
      distributionChange(ctx, dist),
    ];
    return { ...base, impacted: true, blockedBy, timeline: [failing, ...notes] };
  }
  if (flag.region === undefined || isDown(ctx, flag.region)) {
    const reason = `the flag routes writes to ${flag.originId}, which is ${flag.region ? `in ${flag.region} too` : 'in an unknown region'}`;
    return { ...base, impacted: true, blockedBy: [{ resource: dist.node.key, reason }], timeline: [failing, ...notes] };
  }
  const paths = flagPaths(ctx, flag);
  const done = paths.filter((p) => p.worst !== undefined).sort((a, b) => a.worst! - b.worst!);
  const blockedNotes: SimulatedEvent[] = paths.filter((p) => p.worst === undefined)
    .map((p) => ({ t: 0, event: `path ${p.label} cannot set the flag: ${p.blockedBy.map((b) => b.reason).join('; ')}` }));
  if (done.length === 0) {
    const blockedBy = paths.length ? paths.flatMap((p) => p.blockedBy)
      : [{ resource: flag.kvs.key, reason: `nothing in the assembly sets ${flag.key ?? 'the flag'} of this KeyValueStore (no alarm action or schedule invokes a function that points at it)` }];
    return {
      ...base,
      impacted: true,
      blockedBy,
      afterManualStepSeconds: flagWrite().worst,
      timeline: [failing, ...blockedNotes, ...notes, { t: 0, event: `an operator can PutKey ${flag.key ?? 'the flag'} → ${flag.originId} on ${flag.kvs.key}: served ${flagWrite().worst} s later${iamNote(ctx)}` }],
    };
  }
  const best = done[0];
  return {
    ...base,
    impacted: true,
    toRegion: flag.region,
    recoveredAtSeconds: best.worst,
    typicalSeconds: Math.min(...done.map((p) => p.typical ?? p.worst!)),
    blockedBy: [],
    timeline: [failing, ...blockedNotes, ...notes, { t: 0, event: `fastest path to set the flag: ${best.label}` }, ...best.events],
  };
}

/** For a flow the outage leaves alone: the flag setters it takes down (the failover left without them). */
function lostSetters(ctx: SimulationContext, flag: FlagTarget): SimulatedEvent[] {
  return flagSetters(ctx, flag.kvs).filter((fn) => isDown(ctx, fn.stack.region))
    .map((fn) => ({ t: 0, event: `${fn.key} (sets ${flag.key ?? 'the flag'} of ${flag.kvs.key}) stops with ${fn.stack.region}: one way to move writes is gone until it recovers` }));
}

/** Granting an operator the KeyValueStore permission is an IAM change: its control plane may be down. */
function iamNote(ctx: SimulationContext): string {
  return isDown(ctx, CONTROL_PLANE_HOME.iam)
    ? ` (with a role that already has cloudfront-keyvaluestore:PutKey: granting it is an IAM change, whose control plane (${CONTROL_PLANE_HOME.iam}) is down)`
    : '';
}
