import { alarmFiresAt, alarmIdentifierTarget, alarmWindow } from './alarms';
import { addFinding, isDown, place, SimulationContext } from './context';
import { ResolvedText, ResourceNode } from './graph';
import { hostOf } from './placement';
import { displayHost } from './route53-records';
import { SimulatedBlocker, SimulatedEvent } from './types';
import { RecoveryModel } from '../core/recovery';

// Route 53 health checks (AWS::Route53::HealthCheck): when each one turns unhealthy after the outage.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html

const HC_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';
/** AWS default `RequestInterval` (API_HealthCheckConfig: 30 s); the constructs assume it for checks they did not create. @internal */
export const DEFAULT_INTERVAL = 30;
/** AWS default `FailureThreshold` (API_HealthCheckConfig: three checks). @internal */
export const DEFAULT_THRESHOLD = 3;
/** Resources that may flip an ARC routing control (an automation in the assembly). */
const AUTOMATIONS = ['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine', 'Custom::AWS', 'AWS::ARCRegionSwitch::Plan', 'AWS::IAM::Policy', 'AWS::IAM::Role'];

/**
 * When something turns unhealthy after the outage (seconds since it began): `worst` case and `typical` figure;
 * `worst` undefined means never without a person (`blockedBy` says why). The shape other rules use.
 */
export interface UnhealthyAt {
  readonly worst?: number;
  readonly typical?: number;
  readonly events: SimulatedEvent[];
  readonly blockedBy: SimulatedBlocker[];
  /** When only a person's documented step changes it: seconds from that step to the change. */
  readonly afterManualStepSeconds?: number;
}

/**
 * The health of a check (or record) over time: its status before the outage, and the times it toggles
 * afterwards (worst case and typical). One toggle in nearly every case; inverted and calculated checks may toggle
 * more. `blockedBy` explains a status that never changes. @internal
 */
export interface HealthTrack {
  readonly healthyBefore: boolean;
  readonly worst: number[];
  readonly typical: number[];
  readonly events: SimulatedEvent[];
  readonly blockedBy: SimulatedBlocker[];
  readonly afterManualStepSeconds?: number;
}

/** A status that never changes. @internal */
export function steady(healthy: boolean, blockedBy: SimulatedBlocker[] = [], events: SimulatedEvent[] = []): HealthTrack {
  return { healthyBefore: healthy, worst: [], typical: [], events, blockedBy };
}

/** Whether `track` is healthy at `t` (worst-case or typical times). @internal */
export function healthyAt(track: HealthTrack, t: number, typical: boolean): boolean {
  const flips = (typical ? track.typical : track.worst).filter((x) => x <= t).length;
  return flips % 2 === 0 ? track.healthyBefore : !track.healthyBefore;
}

/**
 * Combines tracks: healthy while at least `threshold` of them are healthy (a CALCULATED check's HealthThreshold;
 * 1 of n = any, n of n = all). @internal
 */
export function atLeast(tracks: HealthTrack[], threshold: number, events: SimulatedEvent[] = []): HealthTrack {
  const count = (t: number, typical: boolean) => tracks.filter((x) => healthyAt(x, t, typical)).length;
  const before = count(-1, false) >= threshold;
  const flips = (typical: boolean) => {
    const times = [...new Set(tracks.flatMap((x) => (typical ? x.typical : x.worst)))].sort((a, b) => a - b);
    const out: number[] = [];
    let state = before;
    for (const t of times) {
      const now = count(t, typical) >= threshold;
      if (now !== state) out.push(t);
      state = now;
    }
    return out;
  };
  const worst = flips(false);
  const typical = flips(true);
  const manual = tracks.map((x) => x.afterManualStepSeconds).filter((x): x is number => x !== undefined);
  return {
    healthyBefore: before,
    worst,
    typical,
    events: [...events, ...tracks.flatMap((x) => x.events)],
    blockedBy: worst.length ? [] : tracks.filter((x) => x.worst.length === 0).flatMap((x) => x.blockedBy),
    afterManualStepSeconds: worst.length || manual.length === 0 ? undefined : Math.max(...manual),
  };
}

/**
 * When the Route 53 health check `hc` turns unhealthy after the outage. `worst` = 0 for a check already unhealthy
 * before it (an inverted check, or a calculated check whose threshold cannot be met).
 */
export function healthCheckUnhealthyAt(ctx: SimulationContext, hc: ResourceNode): UnhealthyAt {
  return unhealthyAt(healthCheckTrack(ctx, hc));
}

/** The first time `track` is unhealthy. @internal */
export function unhealthyAt(track: HealthTrack): UnhealthyAt {
  if (!track.healthyBefore) {
    return { worst: 0, typical: 0, events: track.events, blockedBy: [] };
  }
  if (track.worst.length === 0) {
    return { events: track.events, blockedBy: track.blockedBy, afterManualStepSeconds: track.afterManualStepSeconds };
  }
  const worst = track.worst[0];
  return { worst, typical: track.typical[0] ?? worst, events: track.events.filter((e) => e.t <= worst), blockedBy: [] };
}

/** The health of `hc` over time (memoized per simulation). @internal */
export function healthCheckTrack(ctx: SimulationContext, hc: ResourceNode, seen: Set<ResourceNode> = new Set()): HealthTrack {
  const cache = memo(ctx);
  const hit = cache.get(hc);
  if (hit) return hit;
  if (seen.has(hc)) {
    return steady(true, [{ resource: hc.key, reason: 'the health check depends on itself (a cycle of calculated checks): Route 53 would refuse it' }]);
  }
  seen.add(hc);
  const cfg = hc.properties.HealthCheckConfig ?? {};
  const type = String(cfg.Type ?? '').toUpperCase();
  let track: HealthTrack;
  if (truthy(cfg.Disabled)) {
    // "After you disable a health check, Route 53 considers the status of the health check to always be healthy."
    track = steady(true, [{ resource: hc.key, reason: 'the health check is disabled: Route 53 considers it healthy whatever happens (API_HealthCheckConfig, Disabled)' }]);
  } else if (type === 'CALCULATED') {
    track = calculated(ctx, hc, cfg, seen);
  } else if (type === 'RECOVERY_CONTROL') {
    track = recoveryControl(ctx, hc, cfg);
  } else if (type === 'CLOUDWATCH_METRIC') {
    track = cloudWatchMetric(ctx, hc, cfg);
  } else {
    track = endpoint(ctx, hc, cfg, type);
  }
  if (truthy(cfg.Inverted)) {
    // Inverted: "consider a health check unhealthy when it otherwise would be considered healthy" (and vice versa).
    track = { ...track, healthyBefore: !track.healthyBefore };
  }
  cache.set(hc, track);
  return track;
}

const memos = new WeakMap<SimulationContext, Map<ResourceNode, HealthTrack>>();
function memo(ctx: SimulationContext): Map<ResourceNode, HealthTrack> {
  let m = memos.get(ctx);
  if (!m) memos.set(ctx, (m = new Map()));
  return m;
}

/**
 * HTTP(S), string-match and TCP checks: every checker needs `FailureThreshold` consecutive failed probes, one per
 * `RequestInterval`; the last one fails only at its timeout (connect 4 s + 2xx/3xx 2 s; + body 2 s for string
 * matching; TCP connect 10 s). Worst = interval × threshold + probe timeout; typical = interval × threshold.
 */
function endpoint(ctx: SimulationContext, hc: ResourceNode, cfg: any, type: string): HealthTrack {
  const interval = num(cfg.RequestInterval) ?? DEFAULT_INTERVAL;
  const threshold = num(cfg.FailureThreshold) ?? DEFAULT_THRESHOLD;
  const probe = type === 'TCP' ? RecoveryModel.TCP_PROBE_TIMEOUT
    : type.endsWith('_STR_MATCH') ? RecoveryModel.STRING_MATCH_PROBE_TIMEOUT : RecoveryModel.HTTP_PROBE_TIMEOUT;
  const target = healthCheckTarget(ctx, hc);
  const down = target.regions.length > 0 && target.regions.every((r) => isDown(ctx, r));
  if (!down) {
    const where = target.regions.length ? `in ${target.regions.join(' and ')}` : 'of unknown region';
    return steady(true, [{ resource: hc.key, reason: `the health check probes ${target.description}, ${where}, which the outage of ${ctx.outage} does not stop` }]);
  }
  const typical = interval * threshold;
  const worst = typical + probe.toSeconds();
  return {
    healthyBefore: true,
    worst: [worst],
    typical: [typical],
    events: [
      { t: 0, event: `Route 53 health checkers' probes of ${target.description} start failing (${type || 'HTTP'} every ${interval} s)`, phase: 'detection' },
      { t: worst, event: `health check ${hc.key} unhealthy: ${threshold} failed probes × ${interval} s + ${probe.toSeconds()} s probe timeout (${HC_DOC})` },
    ],
    blockedBy: [],
  };
}

/** What an endpoint check probes, and the region(s) that serve it. @internal */
export interface HealthCheckTarget {
  readonly description: string;
  /** Regions serving the probe: one, or the members of a CloudFront origin group (the check fails only when all fail). */
  readonly regions: string[];
}

/**
 * The endpoint that `hc` probes. A host of a CloudFront distribution of the assembly (its domain name or an alternate
 * domain name) is followed through the cache behaviour that matches `ResourcePath` to its origin, or to the members
 * of its origin group, and placed there: CloudFront itself is global, the origin decides whether the probe fails
 * (the GlobalSsrSite health checks probe paths whose behaviours reach one origin). Other hosts are placed by
 * `place` (host name, references, `--endpoint-region`). @internal
 */
export function healthCheckTarget(ctx: SimulationContext, hc: ResourceNode): HealthCheckTarget {
  const cfg = hc.properties.HealthCheckConfig ?? {};
  const host = ctx.graph.text(cfg.FullyQualifiedDomainName ?? cfg.IPAddress, hc.stack);
  const path = ctx.graph.text(cfg.ResourcePath ?? '/', hc.stack).text || '/';
  const distribution = distributionOf(ctx, host);
  if (distribution) {
    const origins = originsFor(ctx, distribution, path);
    const regions = origins.map((o) => place(ctx, o.domain, distribution.key).region).filter((r): r is string => !!r && r !== 'global');
    const ids = origins.map((o) => o.id).join(' / ');
    return { description: `${displayHost(host.text)}${path} (CloudFront ${distribution.key} → origin ${ids})`, regions: [...new Set(regions)] };
  }
  const p = place(ctx, host, hc.key);
  return { description: `${displayHost(host.text)}${cfg.ResourcePath ? path : ''}`, regions: p.region && p.region !== 'global' ? [p.region] : [] };
}

/** The CloudFront distribution of the assembly that serves `host`, if any. */
function distributionOf(ctx: SimulationContext, host: ResolvedText): ResourceNode | undefined {
  const byRef = host.refs.find((r) => r.type === 'AWS::CloudFront::Distribution');
  if (byRef) return byRef;
  const name = hostOf(host.text);
  return ctx.graph.ofType('AWS::CloudFront::Distribution').find((d) => {
    const aliases = d.properties.DistributionConfig?.Aliases;
    return Array.isArray(aliases) && aliases.some((a: any) => hostOf(ctx.graph.text(a, d.stack).text) === name);
  });
}

/**
 * The origins a request for `path` reaches: the first cache behaviour (in order) whose `PathPattern` matches, else the
 * default; its target origin, or the members of its origin group.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern
 * @internal
 */
export function originsFor(ctx: SimulationContext, distribution: ResourceNode, path: string): { id: string; domain: ResolvedText }[] {
  const config = distribution.properties.DistributionConfig ?? {};
  const text = (v: any) => ctx.graph.text(v, distribution.stack).text;
  const behaviors: any[] = Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : [];
  const behavior = behaviors.find((b) => pathMatches(text(b.PathPattern), path)) ?? config.DefaultCacheBehavior ?? {};
  const targetId = text(behavior.TargetOriginId);
  const group = (config.OriginGroups?.Items ?? []).find((g: any) => text(g.Id) === targetId);
  const ids: string[] = group ? (group.Members?.Items ?? []).map((m: any) => text(m.OriginId)) : [targetId];
  const origins: any[] = Array.isArray(config.Origins) ? config.Origins : [];
  return ids.map((id) => {
    const origin = origins.find((o) => text(o.Id) === id);
    return { id, domain: origin ? ctx.graph.text(origin.DomainName, distribution.stack) : { text: id, refs: [] } };
  });
}

/** CloudFront path patterns: `*` any characters, `?` one; case-sensitive; the leading `/` is optional. @internal */
export function pathMatches(pattern: string, path: string): boolean {
  const norm = (s: string) => (s.startsWith('/') ? s : `/${s}`);
  const re = norm(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(norm(path.split('?')[0]));
}

/**
 * CALCULATED: healthy while at least `HealthThreshold` children are healthy ("If you specify a number greater than the
 * number of child health checks, Route 53 always considers this health check to be unhealthy. If you specify 0,
 * Route 53 always considers this health check to be healthy."). Children outside the assembly are assumed healthy.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
function calculated(ctx: SimulationContext, hc: ResourceNode, cfg: any, seen: Set<ResourceNode>): HealthTrack {
  const children: any[] = Array.isArray(cfg.ChildHealthChecks) ? cfg.ChildHealthChecks : [];
  const threshold = num(cfg.HealthThreshold) ?? 0;
  const tracks = children.map((c) => {
    const node = ctx.graph.target(c, hc.stack);
    if (node?.type === 'AWS::Route53::HealthCheck') return healthCheckTrack(ctx, node, seen);
    const id = ctx.graph.text(c, hc.stack).text;
    addFinding(ctx, 'warning', hc.key, `child health check ${id} is not in the assembly: the simulator assumes it stays healthy`);
    return steady(true, [{ resource: hc.key, reason: `child health check ${id} is not in the assembly (assumed healthy)` }]);
  });
  const track = atLeast(tracks, threshold);
  if (track.worst.length) {
    return { ...track, events: [...track.events, { t: track.worst[0], event: `calculated health check ${hc.key} unhealthy: fewer than ${threshold} of ${children.length} children healthy` }] };
  }
  return { ...track, blockedBy: [...track.blockedBy, { resource: hc.key, reason: `calculated health check: at least ${threshold} of its ${children.length} children stay healthy` }] };
}

/**
 * RECOVERY_CONTROL: healthy while the ARC routing control is On. Nothing in Route 53 turns it Off: a person (or an
 * automation) updates the routing control state through the ARC cluster's data plane.
 * https://docs.aws.amazon.com/r53recovery/latest/dg/routing-control.create-health-check.html
 */
function recoveryControl(ctx: SimulationContext, hc: ResourceNode, cfg: any): HealthTrack {
  const rc = ctx.graph.text(cfg.RoutingControlArn, hc.stack);
  const control = rc.refs.find((r) => r.type === 'AWS::Route53RecoveryControl::RoutingControl');
  const automations = ctx.graph.resources.filter((r) => AUTOMATIONS.includes(r.type) && r !== hc && mentions(ctx, r, control, rc.text));
  const reason = automations.length
    ? `routing control ${control?.key ?? rc.text} is turned Off only by ${automations.map((a) => a.key).join(', ')}, whose trigger the simulator does not model, or by a person`
    : `routing control ${control?.key ?? rc.text} stays On until a person turns it Off (aws route53-recovery-cluster update-routing-control-state)`;
  return { ...steady(true, [{ resource: hc.key, reason }]), afterManualStepSeconds: 0 };
}

/** Whether `node`'s properties refer to the routing control (by reference or by its ARN). */
function mentions(ctx: SimulationContext, node: ResourceNode, control: ResourceNode | undefined, arn: string): boolean {
  const t = deepText(ctx, node.properties, node);
  return (control !== undefined && t.refs.includes(control)) || (arn.startsWith('arn:') && t.text.includes(arn));
}

/** Every string and reference inside a property tree, resolved (`graph.text` handles one value). @internal */
export function deepText(ctx: SimulationContext, value: any, node: ResourceNode): ResolvedText {
  if (Array.isArray(value)) return join(value.map((v) => deepText(ctx, v, node)));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return ctx.graph.text(value, node.stack);
    return join(keys.map((k) => deepText(ctx, value[k], node)));
  }
  return ctx.graph.text(value, node.stack);
}

function join(parts: ResolvedText[]): ResolvedText {
  return { text: parts.map((p) => p.text).join(' '), refs: parts.flatMap((p) => p.refs) };
}

/**
 * CLOUDWATCH_METRIC: Route 53 follows the alarm's data stream: OK → healthy, ALARM → unhealthy; without enough data,
 * `InsufficientDataHealthStatus` (Healthy, Unhealthy, or LastKnownStatus, the default). When the alarm's region is
 * down its data stream stops: insufficient data once the evaluation window holds no datapoint (assumption: the
 * alarm's period × evaluation periods).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html#dns-failover-determining-health-of-endpoints-cloudwatch
 */
function cloudWatchMetric(ctx: SimulationContext, hc: ResourceNode, cfg: any): HealthTrack {
  const id = cfg.AlarmIdentifier ?? {};
  const region = ctx.graph.text(id.Region, hc.stack).text;
  const alarm = alarmIdentifierTarget(ctx, id.Name, region, hc.stack);
  const name = alarm?.key ?? ctx.graph.text(id.Name, hc.stack).text;
  const insufficient = String(cfg.InsufficientDataHealthStatus ?? 'LastKnownStatus');
  if (isDown(ctx, region)) {
    if (insufficient !== 'Unhealthy') {
      const what = insufficient === 'Healthy' ? 'Healthy' : 'LastKnownStatus (healthy before the outage)';
      return steady(true, [{ resource: hc.key, reason: `alarm ${name} is in the failed region ${region}: its data is insufficient and InsufficientDataHealthStatus is ${what}` }]);
    }
    const { period, evaluationPeriods } = alarmWindow(ctx, alarm);
    const worst = period * evaluationPeriods;
    return {
      healthyBefore: true,
      worst: [worst],
      typical: [worst - period / 2],
      events: [
        { t: 0, event: `alarm ${name} stops with ${region}: its data stream is empty`, phase: 'detection' },
        { t: worst, event: `health check ${hc.key} unhealthy: insufficient data for ${evaluationPeriods} × ${period} s, InsufficientDataHealthStatus Unhealthy` },
      ],
      blockedBy: [],
    };
  }
  if (!alarm) {
    addFinding(ctx, 'warning', hc.key, `CloudWatch alarm ${name} (${region}) is not in the assembly: the simulator assumes it stays OK`);
    return steady(true, [{ resource: hc.key, reason: `alarm ${name} is not in the assembly (assumed OK)` }]);
  }
  const fires = alarmFiresAt(ctx, alarm);
  if (fires.worst === undefined) return steady(true, fires.blockedBy, fires.events);
  return {
    healthyBefore: true,
    worst: [fires.worst],
    typical: [fires.typical ?? fires.worst],
    events: [...fires.events, { t: fires.worst, event: `health check ${hc.key} unhealthy: alarm ${name} is in ALARM` }],
    blockedBy: [],
  };
}

function num(v: any): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function truthy(v: any): boolean {
  return v === true || v === 'true';
}
