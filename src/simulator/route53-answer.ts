import { isDown, place, SimulationContext } from './context';
import { atLeast, DEFAULT_INTERVAL, DEFAULT_THRESHOLD, healthCheckTrack, HealthTrack, healthyAt, steady } from './health';
import { aliasTargetGroup, displayHost, R53Record, recordIndex } from './route53-records';
import { RecoveryModel } from '../core/recovery';

// What Route 53 answers for a group of records at a time t after the outage, from the health of each record.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html

const CHOOSES_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html';
const ETH_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html#rrsets-values-failover-alias-evaluate-target-health';

/** An endpoint a DNS answer leads to: the record that holds it, where it runs, and how long resolvers cache it. @internal */
export interface Leaf {
  readonly record: R53Record;
  readonly endpoint: string;
  /** Region of the endpoint; `global` for CloudFront; undefined when unknown. */
  readonly region?: string;
  /** Seconds resolvers cache the answer: the record's TTL, or for an alias to an AWS resource the target's TTL. */
  readonly ttl: number;
  /** Whether `ttl` is the library's assumption (`RecoveryModel.ALIAS_TARGET_TTL`). */
  readonly ttlAssumed: boolean;
}

/** Route 53's answer at one time: its endpoints, and the groups that failed open to give it. @internal */
export interface Answer {
  readonly leaves: Leaf[];
  /** Groups (`<name> <type>`) whose records were all unhealthy, so Route 53 answered as if all were healthy. */
  readonly failOpen: string[];
}

const tracks = new WeakMap<SimulationContext, Map<R53Record, HealthTrack>>();

/**
 * The health of a record as Route 53 sees it: its health check; and, for an alias with `EvaluateTargetHealth`, the
 * health of its target: "both of the following must be true" (health check and target), see
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html#dns-failover-complex-configs-hc-alias.
 * A record with neither is always healthy ("Records without a health check are always healthy"). @internal
 */
export function recordTrack(ctx: SimulationContext, record: R53Record, seen: Set<R53Record> = new Set()): HealthTrack {
  let memo = tracks.get(ctx);
  if (!memo) tracks.set(ctx, (memo = new Map()));
  const hit = memo.get(record);
  if (hit) return hit;
  if (seen.has(record)) return steady(true, [{ resource: record.key, reason: 'the alias chain loops back to this record' }]);
  seen.add(record);
  const parts: HealthTrack[] = [];
  if (record.healthCheck) parts.push(healthCheckTrack(ctx, record.healthCheck));
  if (record.foreignHealthCheck) {
    parts.push(steady(true, [{ resource: record.key, reason: `health check ${record.foreignHealthCheck} is not in the assembly (assumed healthy)` }]));
  }
  if (record.alias?.evaluateTargetHealth) parts.push(targetHealth(ctx, record, seen));
  const track = parts.length === 0
    ? steady(true, [{ resource: record.key, reason: `the record has no health check and no EvaluateTargetHealth: Route 53 always considers it healthy (${CHOOSES_DOC})` }])
    : parts.length === 1 ? parts[0] : atLeast(parts, parts.length);
  memo.set(record, track);
  return track;
}

/**
 * `EvaluateTargetHealth`: the health of another group of the zone (healthy while one of its records is), or of an AWS
 * resource. For an AWS resource AWS publishes no detection time: the simulator assumes Route 53's health check
 * defaults (30 s × 3 + the HTTP probe timeout), as the constructs' estimates do for `evaluateTargetHealthOnly`.
 * CloudFront distributions cannot have it.
 */
function targetHealth(ctx: SimulationContext, record: R53Record, seen: Set<R53Record>): HealthTrack {
  const group = aliasTargetGroup(recordIndex(ctx), record);
  if (group) {
    const track = atLeast(group.map((r) => recordTrack(ctx, r, seen)), 1);
    return track.worst.length ? track : { ...track, blockedBy: [...track.blockedBy, { resource: record.key, reason: `a record of ${group[0].name} ${group[0].type} stays healthy, so its alias does` }] };
  }
  const host = displayHost(record.alias!.dnsName.text);
  const region = place(ctx, record.alias!.dnsName, record.key).region;
  if (region === 'global') {
    return steady(true, [{ resource: record.key, reason: `EvaluateTargetHealth cannot be Yes for the global alias target ${host} (${ETH_DOC})` }]);
  }
  if (!isDown(ctx, region)) {
    return steady(true, [{ resource: record.key, reason: `alias target ${host} is in ${region ?? 'an unknown region'}, which the outage of ${ctx.outage} does not stop` }]);
  }
  const typical = DEFAULT_INTERVAL * DEFAULT_THRESHOLD;
  const worst = typical + RecoveryModel.HTTP_PROBE_TIMEOUT.toSeconds();
  return {
    healthyBefore: true,
    worst: [worst],
    typical: [typical],
    events: [
      { t: 0, event: `Route 53 evaluates the health of alias target ${host} (EvaluateTargetHealth)`, phase: 'detection' },
      { t: worst, event: `alias target ${host} unhealthy (assumed ${DEFAULT_INTERVAL} s × ${DEFAULT_THRESHOLD} + ${RecoveryModel.HTTP_PROBE_TIMEOUT.toSeconds()} s, Route 53's health check defaults: AWS publishes no figure)` },
    ],
    blockedBy: [],
  };
}

/**
 * Route 53's answer for `group` at `t` (worst-case or typical health times; t < 0: before the outage): choose by the
 * routing policy among the healthy records; if none is healthy, "Route 53 considers all the records in the group to be
 * healthy" (fail-open: for failover, the primary). An alias to another group of the zone is followed to that group's
 * answer. @internal
 */
export function answerAt(ctx: SimulationContext, group: R53Record[], t: number, typical: boolean, seen: Set<R53Record[]> = new Set()): Answer {
  if (seen.has(group)) return { leaves: [], failOpen: [] };
  seen.add(group);
  const healthy = (r: R53Record) => healthyAt(recordTrack(ctx, r), t, typical);
  const failOpen: string[] = [];
  const open = (records: R53Record[]) => {
    failOpen.push(`${group[0].name} ${group[0].type}`);
    return records;
  };
  let chosen: R53Record[];
  if (group[0].policy === 'failover') {
    const primary = group.find((r) => r.failover === 'PRIMARY');
    const secondary = group.find((r) => r.failover === 'SECONDARY');
    chosen = primary && healthy(primary) ? [primary]
      : secondary && healthy(secondary) ? [secondary]
        : open([primary ?? secondary ?? group[0]]);
  } else if (group[0].policy === 'weighted') {
    // Zero-weight records are considered only when every nonzero one is unhealthy.
    const nonzero = group.filter((r) => (r.weight ?? 0) > 0);
    const first = (nonzero.length ? nonzero : group).filter(healthy);
    const zero = group.filter((r) => (r.weight ?? 0) === 0 && healthy(r));
    chosen = first.length ? first : zero.length ? zero : open(nonzero.length ? nonzero : group);
  } else {
    const ok = group.filter(healthy);
    chosen = ok.length ? ok : open(group);
  }
  const leaves: Leaf[] = [];
  for (const r of chosen) {
    const target = aliasTargetGroup(recordIndex(ctx), r);
    if (target) {
      const inner = answerAt(ctx, target, t, typical, seen);
      leaves.push(...inner.leaves);
      failOpen.push(...inner.failOpen);
    } else {
      leaves.push(leafOf(ctx, r));
    }
  }
  seen.delete(group);
  return { leaves, failOpen };
}

/** The endpoint of a record that is not an alias to the same zone. @internal */
export function leafOf(ctx: SimulationContext, record: R53Record): Leaf {
  if (record.alias) {
    return {
      record,
      endpoint: displayHost(record.alias.dnsName.text),
      region: place(ctx, record.alias.dnsName, record.key).region,
      ...aliasTargetTtl(record),
    };
  }
  const first = record.values[0] ?? { text: '', refs: [] };
  return { record, endpoint: displayHost(first.text), region: place(ctx, first, record.key).region, ttl: record.ttl ?? 0, ttlAssumed: false };
}

/** Every record an answer for `group` may come from (through same-zone aliases). @internal */
export function reachable(ctx: SimulationContext, group: R53Record[], seen: Set<R53Record[]> = new Set()): R53Record[] {
  if (seen.has(group)) return [];
  seen.add(group);
  return group.flatMap((r) => {
    const target = aliasTargetGroup(recordIndex(ctx), r);
    return [r, ...(target ? reachable(ctx, target, seen) : [])];
  });
}

/** The times at which the answer for `group` may change (health toggles), sorted. @internal */
export function changeTimes(ctx: SimulationContext, group: R53Record[], typical: boolean): number[] {
  const times = reachable(ctx, group).flatMap((r) => (typical ? recordTrack(ctx, r).typical : recordTrack(ctx, r).worst));
  return [...new Set([0, ...times.filter((t) => t >= 0)])].sort((a, b) => a - b);
}

/**
 * The TTL resolvers cache an alias answer for: the alias target's TTL the user stated (`aliasTargetTtl`, written by
 * FailoverEndpointRecord as record metadata), else the library's 60 s assumption (RecoveryModel.ALIAS_TARGET_TTL).
 */
function aliasTargetTtl(record: R53Record): { ttl: number; ttlAssumed: boolean } {
  const stated = Number(record.node.raw?.Metadata?.['cdk-multi-region-failover:alias-target-ttl']);
  return Number.isFinite(stated) && stated >= 0 && record.node.type === 'AWS::Route53::RecordSet'
    ? { ttl: stated, ttlAssumed: false }
    : { ttl: RecoveryModel.ALIAS_TARGET_TTL.toSeconds(), ttlAssumed: true };
}
