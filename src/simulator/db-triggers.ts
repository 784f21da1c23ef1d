import { alarmFiresAt } from './alarms';
import { isDown, SimulationContext } from './context';
import { arnRegion, textOf } from './db-common';
import { ResourceNode } from './graph';
import { SimulatedBlocker, SimulatedEvent } from './types';

/*
 * What starts an orchestrator by itself: an EventBridge rule on a CloudWatch alarm's state change
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html). A metric alarm
 * follows the alarm model of `alarms.ts` (`alarmFiresAt`), except the Aurora replication-lag alarms of a secondary whose
 * writer's region is down: the lag either keeps coming and grows past any threshold, or stops (only engine versions with
 * secondary availability keep publishing it: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-secondary-availability.html).
 * Both cases are simulated and the later one counts: a `GreaterThan` alarm fires in the first, a missing-data-breaching
 * alarm in the second, each after `DatapointsToAlarm × Period`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html), which is what
 * AuroraGlobalFailover's estimate counts for its `ReplicationStalledAlarm` OR `ReplicationDataMissingAlarm`.
 * A composite alarm combines its children: AND waits for the last, OR for the first
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html). An alarm dies with its region.
 */

/** When an alarm (or trigger) fires. @internal */
export interface FireTime {
  /** Worst case, seconds after the outage; undefined = never (see blockedBy). */
  readonly worst?: number;
  /** Typical figure. */
  readonly typical?: number;
  readonly events: SimulatedEvent[];
  readonly blockedBy: SimulatedBlocker[];
}

/**
 * Whether a cluster (by `DBClusterIdentifier`) is a surviving secondary of a global database whose writer's region is
 * down: its replication-lag metric then grows or stops. @internal
 */
export type LagCutOff = (clusterIdentifier: string) => boolean;

/** The two things the lag metric of a cut-off secondary may do. */
type LagCase = 'grows' | 'stops';

const never = (blockedBy: SimulatedBlocker[], events: SimulatedEvent[] = []): FireTime => ({ events, blockedBy });

/** The alarm an ARN names: an alarm of the assembly with that name in that region, if any. */
function alarmByArn(ctx: SimulationContext, arn: string): ResourceNode | undefined {
  const name = arn.split(':alarm:')[1];
  const region = arnRegion(arn);
  return ctx.graph.resources.find((r) => (r.type === 'AWS::CloudWatch::Alarm' || r.type === 'AWS::CloudWatch::CompositeAlarm')
    && r.stack.region === region && textOf(ctx, r, r.properties.AlarmName) === name);
}

/**
 * When `alarm` goes to ALARM after the outage; with `cutOff`, the later of the two cases of a cut-off secondary's lag.
 * @internal
 */
export function alarmFireTime(ctx: SimulationContext, alarm: ResourceNode, cutOff: LagCutOff = () => false): FireTime {
  const grows = fireIn(ctx, alarm, cutOff, 'grows', 0);
  const stops = fireIn(ctx, alarm, cutOff, 'stops', 0);
  if (grows.worst === undefined) return grows;
  if (stops.worst === undefined) return stops;
  return stops.worst > grows.worst ? stops : grows;
}

function fireIn(ctx: SimulationContext, alarm: ResourceNode, cutOff: LagCutOff, lag: LagCase, depth: number): FireTime {
  if (isDown(ctx, alarm.stack.region)) {
    return never([{ resource: alarm.key, reason: `the alarm is in ${alarm.stack.region}, which is down: it never changes state` }]);
  }
  if (alarm.type === 'AWS::CloudWatch::CompositeAlarm') return compositeFireTime(ctx, alarm, cutOff, lag, depth);
  return auroraLagAlarm(ctx, alarm, cutOff, lag) ?? alarmFiresAt(ctx, alarm);
}

/** An alarm on `AuroraGlobalDBReplicationLag` / `AuroraGlobalDBRPOLag` of a cut-off secondary, in one case of its metric. */
function auroraLagAlarm(ctx: SimulationContext, alarm: ResourceNode, cutOff: LagCutOff, lag: LagCase): FireTime | undefined {
  const p = alarm.properties;
  const text = (v: any) => (v === undefined ? undefined : ctx.graph.text(v, alarm.stack).text);
  if (text(p.Namespace) !== 'AWS/RDS' || !/^AuroraGlobalDB(Replication|RPO)Lag$/.test(text(p.MetricName) ?? '')) return undefined;
  const dim = (Array.isArray(p.Dimensions) ? p.Dimensions : []).find((d: any) => text(d?.Name) === 'DBClusterIdentifier');
  const cluster = text(dim?.Value);
  if (!cluster || !cutOff(cluster)) return undefined;
  const period = Number(text(p.Period) ?? 60);
  const datapoints = Number(text(p.DatapointsToAlarm) ?? text(p.EvaluationPeriods) ?? 1);
  const t = period * datapoints;
  const name = `${text(p.MetricName)} of ${cluster}`;
  if (lag === 'grows') {
    if (!String(text(p.ComparisonOperator)).startsWith('GreaterThan')) {
      return never([{ resource: alarm.key, reason: `if ${name} keeps coming and grows, this alarm (${text(p.ComparisonOperator)}) does not fire` }]);
    }
    return { worst: t, typical: t, events: [{ t, event: `alarm ${alarm.key} in ALARM if ${name} keeps coming and grows (${datapoints} × ${period} s)`, phase: 'detection' }], blockedBy: [] };
  }
  if (text(p.TreatMissingData) !== 'breaching') {
    return never([{ resource: alarm.key, reason: `if ${name} stops, this alarm (TreatMissingData ${text(p.TreatMissingData) ?? 'missing'}) does not fire` }]);
  }
  return { worst: t, typical: t, events: [{ t, event: `alarm ${alarm.key} in ALARM if ${name} stops (missing data breaching, ${datapoints} × ${period} s)`, phase: 'detection' }], blockedBy: [] };
}

interface Token { readonly kind: string; readonly value?: string }

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(AND|OR|NOT|TRUE|FALSE)\b|(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*"?([^")]+)"?\s*\))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rule)) !== null && m[0].length > 0) {
    if (m[1]) out.push({ kind: '(' });
    else if (m[2]) out.push({ kind: ')' });
    else if (m[3]) out.push({ kind: m[3] });
    else out.push({ kind: m[4], value: m[5].trim() });
    if (re.lastIndex >= rule.length) break;
  }
  return out;
}

/** A rule term: fires at a time, never, or is an alarm outside the assembly assumed to be no slower than the others. */
type Term =
  | { readonly kind: 'at'; readonly worst: number; readonly typical: number; readonly events: SimulatedEvent[] }
  | { readonly kind: 'never'; readonly blockedBy: SimulatedBlocker[]; readonly events: SimulatedEvent[] }
  | { readonly kind: 'assumed'; readonly events: SimulatedEvent[] };

function termOf(f: FireTime): Term {
  return f.worst === undefined
    ? { kind: 'never', blockedBy: f.blockedBy, events: f.events }
    : { kind: 'at', worst: f.worst, typical: f.typical ?? f.worst, events: f.events };
}

/** AND waits for both terms, OR for the first; an assumed term does not change the other's time. */
function combine(op: string, a: Term, b: Term): Term {
  const events = [...a.events, ...b.events];
  if (a.kind === 'assumed') return { ...b, events };
  if (b.kind === 'assumed') return { ...a, events };
  if (op === 'AND') {
    if (a.kind === 'never' || b.kind === 'never') {
      return { kind: 'never', blockedBy: [...(a.kind === 'never' ? a.blockedBy : []), ...(b.kind === 'never' ? b.blockedBy : [])], events };
    }
    return { kind: 'at', worst: Math.max(a.worst, b.worst), typical: Math.max(a.typical, b.typical), events };
  }
  if (a.kind === 'never' && b.kind === 'never') return { kind: 'never', blockedBy: [...a.blockedBy, ...b.blockedBy], events };
  if (a.kind === 'never') return { ...b, events };
  if (b.kind === 'never') return { ...a, events };
  return { kind: 'at', worst: Math.min(a.worst, b.worst), typical: Math.min(a.typical, b.typical), events };
}

/** A composite alarm's rule, evaluated: ALARM(x) fires when x does; AND waits for all; OR for the first. */
function compositeFireTime(ctx: SimulationContext, alarm: ResourceNode, cutOff: LagCutOff, lag: LagCase, depth: number): FireTime {
  const rule = textOf(ctx, alarm, alarm.properties.AlarmRule) ?? '';
  const tokens = tokenize(rule);
  let i = 0;
  const alwaysTrue = (what: string): Term => ({ kind: 'at', worst: 0, typical: 0, events: [{ t: 0, event: `${what} in ${alarm.key}: assumed true from the start` }] });
  const leaf = (tok: Token): Term => {
    if (tok.kind !== 'ALARM') return alwaysTrue(`${tok.kind}(${tok.value})`);
    const ref = tok.value ?? '';
    const placeholder = /^\$\{(.+)\.Arn\}$/.exec(ref);
    const node = placeholder ? ctx.graph.resources.find((r) => r.key === placeholder[1]) : ref.startsWith('arn:') ? alarmByArn(ctx, ref) : undefined;
    if (node && depth < 10) return termOf(fireIn(ctx, node, cutOff, lag, depth + 1));
    const region = arnRegion(ref);
    if (isDown(ctx, region)) {
      return { kind: 'never', blockedBy: [{ resource: alarm.key, reason: `its rule needs ${ref}, an alarm in ${region}, which is down` }], events: [] };
    }
    return { kind: 'assumed', events: [{ t: 0, event: `${ref} is not in the assembly: assumed to go to ALARM no later than the alarms it is combined with` }] };
  };
  const primary = (): Term => {
    const tok = tokens[i++];
    if (!tok) return { kind: 'never', blockedBy: [{ resource: alarm.key, reason: `cannot read its alarm rule: ${rule}` }], events: [] };
    if (tok.kind === '(') {
      const inner = expression();
      i++; // the closing parenthesis
      return inner;
    }
    if (tok.kind === 'NOT') {
      primary();
      return alwaysTrue('NOT(…)');
    }
    if (tok.kind === 'TRUE') return { kind: 'at', worst: 0, typical: 0, events: [] };
    if (tok.kind === 'FALSE') return { kind: 'never', blockedBy: [{ resource: alarm.key, reason: 'its rule is FALSE' }], events: [] };
    return leaf(tok);
  };
  const expression = (): Term => {
    let left = primary();
    while (tokens[i] && (tokens[i].kind === 'AND' || tokens[i].kind === 'OR')) {
      const op = tokens[i++].kind;
      left = combine(op, left, primary());
    }
    return left;
  };
  const result = expression();
  if (result.kind === 'never') return never(result.blockedBy, result.events);
  const t = result.kind === 'at' ? result.worst : 0;
  const typical = result.kind === 'at' ? result.typical : 0;
  return { worst: t, typical, events: [...result.events, { t, event: `composite alarm ${alarm.key} in ALARM`, phase: 'detection' }], blockedBy: [] };
}

/** An EventBridge rule that starts `target`, and when it does. @internal */
export interface Trigger {
  readonly rule: ResourceNode;
  /** The target's `Input` (parsed JSON), if any. */
  readonly input?: any;
  readonly fire: FireTime;
}

/**
 * The EventBridge rules of the assembly that start `target` (a state machine) on a CloudWatch alarm state change, and
 * when each fires. A rule lives in its region: it stops with it.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 * @internal
 */
export function alarmTriggers(ctx: SimulationContext, target: ResourceNode, cutOff: LagCutOff = () => false): Trigger[] {
  const out: Trigger[] = [];
  for (const rule of ctx.graph.ofType('AWS::Events::Rule')) {
    const targets = Array.isArray(rule.properties.Targets) ? rule.properties.Targets : [];
    const t = targets.find((x: any) => ctx.graph.target(x?.Arn, rule.stack) === target);
    if (!t || rule.properties.State === 'DISABLED') continue;
    let input: any;
    try {
      input = t.Input !== undefined ? JSON.parse(ctx.graph.text(t.Input, rule.stack).text) : undefined;
    } catch {
      input = undefined;
    }
    if (isDown(ctx, rule.stack.region)) {
      out.push({ rule, input, fire: never([{ resource: rule.key, reason: `the EventBridge rule is in ${rule.stack.region}, which is down` }]) });
      continue;
    }
    const pattern = rule.properties.EventPattern;
    const resources = ctx.graph.text(pattern?.resources ?? [], rule.stack).refs
      .filter((r) => r.type === 'AWS::CloudWatch::Alarm' || r.type === 'AWS::CloudWatch::CompositeAlarm');
    if (resources.length === 0) continue; // schedules and other events are not a reaction to the outage
    const fires = resources.map((a) => alarmFireTime(ctx, a, cutOff));
    const first = fires.filter((f) => f.worst !== undefined).sort((a, b) => a.worst! - b.worst!)[0];
    out.push({ rule, input, fire: first ?? never(fires.flatMap((f) => f.blockedBy), fires.flatMap((f) => f.events)) });
  }
  return out;
}
