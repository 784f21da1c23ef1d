import { alarmFiresAt } from './alarms';
import { addFinding, isDown, SimulationContext } from './context';
import { ResourceNode } from './graph';
import { SimulatedBlocker, SimulatedEvent } from './types';
import { KVS_PROPAGATION, KVS_UPDATE } from '../global-ssr-site/recovery-estimates';

// Who sets a CloudFront KeyValueStore flag, and when: Lambda functions whose environment points at the store, invoked
// by CloudWatch alarm actions (directly or through SNS) or by schedules (EventBridge Scheduler, EventBridge rules).

/**
 * The KeyValueStore data API (`GetKey`, `PutKey`, `UpdateKeys` at `<account>.cloudfront-kvs.global.api.aws`) is "a
 * global service that uses Signature Version 4A" — SigV4A signatures are accepted in any Region, for "seamless routing
 * and failover between regions". AWS does not name a home Region for it (unlike CloudFront's control plane, which is
 * us-east-1) nor state its availability during a Region's outage: the simulator assumes it keeps working (undefined =
 * not homed in one Region) and says so on every flag write. Creating or associating a store is CloudFront control
 * plane (`CONTROL_PLANE_HOME.cloudfront`).
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-kvp.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 * @internal
 */
export const KVS_DATA_API_HOME: string | undefined = undefined;
/** Typical KeyValueStore update (Describe + Get + Put): the GlobalSsrSite estimate's typical figure (an assumption). */
const KVS_UPDATE_TYPICAL = 1;
const ALARM_LAMBDA_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html';
const SCHEDULER_DOC = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html';

/** One way the flag gets set: worst and typical time, the events on the way, or why it cannot. @internal */
export interface FlagPath {
  readonly label: string;
  readonly worst?: number;
  readonly typical?: number;
  readonly events: SimulatedEvent[];
  readonly blockedBy: SimulatedBlocker[];
}

/** The flag: its store, key, and the origin (and region) it switches requests to. @internal */
export interface FlagTarget {
  readonly kvs: ResourceNode;
  readonly key?: string;
  readonly originId: string;
  readonly region?: string;
}

/** Seconds for the flag write and its propagation to the edge locations (assumptions of the GlobalSsrSite estimate). @internal */
export function flagWrite(): { worst: number; typical: number } {
  return { worst: KVS_UPDATE.toSeconds() + KVS_PROPAGATION.toSeconds(), typical: KVS_UPDATE_TYPICAL + KVS_PROPAGATION.toSeconds() };
}

/**
 * Every way the assembly sets `flag` to route to its origin after the outage. `kvsHome`: the Region the KeyValueStore
 * data API depends on (none, `KVS_DATA_API_HOME`); when it is down, no path can write the flag.
 * @internal
 */
export function flagPaths(ctx: SimulationContext, flag: FlagTarget, kvsHome: string | undefined = KVS_DATA_API_HOME): FlagPath[] {
  const paths = setterPaths(ctx, flag);
  if (!kvsHome || !isDown(ctx, kvsHome)) return paths;
  const blocker = { resource: flag.kvs.key, reason: `the KeyValueStore API (PutKey) depends on ${kvsHome}, which is down: the flag cannot be written` };
  return paths.map((p) => ({ label: p.label, events: p.events, blockedBy: [...p.blockedBy, blocker] }));
}

function setterPaths(ctx: SimulationContext, flag: FlagTarget): FlagPath[] {
  const paths: FlagPath[] = [];
  for (const fn of flagSetters(ctx, flag.kvs)) {
    for (const alarm of alarmsInvoking(ctx, fn)) paths.push(alarmPath(ctx, flag, fn, alarm.alarm, alarm.topic));
    for (const schedule of schedulesInvoking(ctx, fn)) {
      const path = schedulePath(ctx, flag, fn, schedule);
      if (path) paths.push(path);
    }
  }
  return paths;
}

/** Lambda functions whose environment refers to the store (its ARN, directly or through a parameter). @internal */
export function flagSetters(ctx: SimulationContext, kvs: ResourceNode): ResourceNode[] {
  return ctx.graph.ofType('AWS::Lambda::Function').filter((fn) => {
    const vars = fn.properties.Environment?.Variables ?? {};
    return Object.values(vars).some((v) => ctx.graph.text(v, fn.stack).refs.includes(kvs));
  });
}

/** Alarms whose ALARM actions invoke `fn`, directly or through an SNS topic with a Lambda subscription. */
function alarmsInvoking(ctx: SimulationContext, fn: ResourceNode): { alarm: ResourceNode; topic?: ResourceNode }[] {
  const out: { alarm: ResourceNode; topic?: ResourceNode }[] = [];
  for (const alarm of ctx.graph.ofType('AWS::CloudWatch::Alarm')) {
    for (const action of alarm.properties.AlarmActions ?? []) {
      const target = ctx.graph.target(action, alarm.stack);
      if (target === fn) out.push({ alarm });
      else if (target?.type === 'AWS::SNS::Topic' && topicInvokes(ctx, target, fn)) out.push({ alarm, topic: target });
    }
  }
  return out;
}

function topicInvokes(ctx: SimulationContext, topic: ResourceNode, fn: ResourceNode): boolean {
  const inline = (topic.properties.Subscription ?? []).some((s: any) => ctx.graph.target(s.Endpoint, topic.stack) === fn);
  return inline || ctx.graph.ofType('AWS::SNS::Subscription').some((s) =>
    ctx.graph.target(s.properties.TopicArn, s.stack) === topic && ctx.graph.target(s.properties.Endpoint, s.stack) === fn);
}

/** Schedules (EventBridge Scheduler, or EventBridge rules with a schedule expression) that invoke `fn`. */
function schedulesInvoking(ctx: SimulationContext, fn: ResourceNode): ResourceNode[] {
  const schedules = ctx.graph.ofType('AWS::Scheduler::Schedule').filter((s) => ctx.graph.target(s.properties.Target?.Arn, s.stack) === fn);
  const rules = ctx.graph.ofType('AWS::Events::Rule').filter((r) => r.properties.ScheduleExpression !== undefined
    && (r.properties.Targets ?? []).some((t: any) => ctx.graph.target(t.Arn, r.stack) === fn));
  return [...schedules, ...rules];
}

/** Environment variable `name` of `fn`, resolved. */
function env(ctx: SimulationContext, fn: ResourceNode, name: string): string | undefined {
  const v = fn.properties.Environment?.Variables?.[name];
  return v === undefined ? undefined : ctx.graph.text(v, fn.stack).text;
}

function envSeconds(ctx: SimulationContext, fn: ResourceNode, name: string): number | undefined {
  const ms = Number(env(ctx, fn, name));
  return Number.isFinite(ms) && env(ctx, fn, name) !== undefined ? ms / 1000 : undefined;
}

/** Blockers of resources that run in the failed region. */
function downBlockers(ctx: SimulationContext, parts: { node?: ResourceNode; what: string }[]): SimulatedBlocker[] {
  return parts.filter((p) => p.node && isDown(ctx, p.node.stack.region))
    .map((p) => ({ resource: p.node!.key, reason: `${p.what} runs in ${p.node!.stack.region}, which is down` }));
}

/**
 * Alarm → Lambda (→ SNS): the alarm action invokes the function asynchronously when the alarm goes to ALARM; the
 * function probes the flag's origin first when it has a `DR_PROBE_URL` (at most `PROBE_TIMEOUT_MS`), then writes the
 * flag, which then reaches the edge locations.
 */
function alarmPath(ctx: SimulationContext, flag: FlagTarget, fn: ResourceNode, alarm: ResourceNode, topic?: ResourceNode): FlagPath {
  const name = ctx.graph.text(alarm.properties.AlarmName, alarm.stack).text || alarm.key;
  const label = `alarm ${name} → ${topic ? `SNS ${topic.key} → ` : ''}Lambda ${fn.key}`;
  const fired = alarmFiresAt(ctx, alarm);
  const blockedBy = [
    ...downBlockers(ctx, [{ node: fn, what: `the flag function ${fn.key}` }, { node: topic, what: `the SNS topic ${topic?.key}` }]),
    ...fired.blockedBy,
  ];
  if (fired.worst === undefined || blockedBy.length) return { label, events: fired.events, blockedBy };
  const probe = env(ctx, fn, 'DR_PROBE_URL') !== undefined ? envSeconds(ctx, fn, 'PROBE_TIMEOUT_MS') ?? 0 : 0;
  const write = flagWrite();
  const start = fired.worst;
  const worst = start + probe + write.worst;
  const typical = (fired.typical ?? fired.worst) + write.typical;
  return {
    label,
    worst,
    typical,
    blockedBy: [],
    events: [
      ...fired.events,
      { t: start, phase: 'detection', event: `alarm ${name} invokes ${fn.key} (Lambda alarm action, asynchronous: ${ALARM_LAMBDA_DOC})` },
      ...writeEvents(flag, start + probe, worst, probe ? `after a DR probe of at most ${probe} s` : ''),
    ],
  };
}

/**
 * A schedule → Lambda: recognized when the function is this library's write-failover reconciler (`ALARM_NAME`,
 * `PROBE_URL` in its environment). Each run reads the alarm (`ALARM_REGION`, aborted after `ALARM_READ_TIMEOUT_MS`):
 * OK → primary, ALARM → the flag's origin; unreadable → `PROBE_COUNT` probes of the primary (`PROBE_TIMEOUT_MS`,
 * `PROBE_INTERVAL_MS` apart), all failed → the flag's origin; before choosing it, one probe of it (`PROBE_TIMEOUT_MS`).
 * The next run starts within one rate interval (+ the flexible time window).
 */
function schedulePath(ctx: SimulationContext, flag: FlagTarget, fn: ResourceNode, schedule: ResourceNode): FlagPath | undefined {
  const label = `schedule ${schedule.key} → Lambda ${fn.key}`;
  const every = scheduleInterval(ctx, schedule);
  const alarmName = env(ctx, fn, 'ALARM_NAME');
  if (every === undefined || alarmName === undefined || env(ctx, fn, 'PROBE_URL') === undefined) {
    addFinding(ctx, 'warning', fn.key, `cannot tell when ${fn.key} (run by ${schedule.key}) sets the KeyValueStore flag ${flag.key ?? ''} of ${flag.kvs.key}: the simulator does not count it`);
    return undefined;
  }
  const blockedBy = downBlockers(ctx, [{ node: fn, what: `the flag function ${fn.key}` }, { node: schedule, what: `the schedule ${schedule.key}` }]);
  if (blockedBy.length) return { label, events: [], blockedBy };
  const alarmRegion = env(ctx, fn, 'ALARM_REGION') ?? fn.stack.region;
  const alarm = ctx.graph.ofType('AWS::CloudWatch::Alarm').find((a) => a.stack.region === alarmRegion && ctx.graph.text(a.properties.AlarmName, a.stack).text === alarmName);
  const read = envSeconds(ctx, fn, 'ALARM_READ_TIMEOUT_MS') ?? 0;
  const timeout = envSeconds(ctx, fn, 'PROBE_TIMEOUT_MS') ?? 0;
  const write = flagWrite();
  const runs = `${fn.key} runs every ${every} s (${schedule.type}, ${SCHEDULER_DOC})`;
  if (!alarm || isDown(ctx, alarmRegion)) {
    const count = Number(env(ctx, fn, 'PROBE_COUNT') ?? 1);
    const interval = envSeconds(ctx, fn, 'PROBE_INTERVAL_MS') ?? 0;
    const probing = count * timeout + (count - 1) * interval;
    const decided = every + read + probing + timeout;
    const worst = decided + write.worst;
    const why = alarm ? `${alarmRegion} is down` : 'the alarm is not in the assembly';
    return {
      label,
      worst,
      typical: every / 2 + (count - 1) * interval + write.typical,
      blockedBy: [],
      events: [
        { t: 0, phase: 'detection', event: runs },
        { t: every + read, event: `next run: alarm ${alarmName} unreadable (${why}) after ${read} s; ${count} probes of the primary (${timeout} s timeout, ${interval} s apart)` },
        { t: decided - timeout, event: `all ${count} probes failed; one probe of ${flag.originId} (at most ${timeout} s)` },
        ...writeEvents(flag, decided, worst, ''),
      ],
    };
  }
  const fired = alarmFiresAt(ctx, alarm);
  if (fired.worst === undefined) return { label, events: [], blockedBy: fired.blockedBy };
  const decided = fired.worst + every + read + timeout;
  const worst = decided + write.worst;
  return {
    label,
    worst,
    typical: (fired.typical ?? fired.worst) + every / 2 + write.typical,
    blockedBy: [],
    events: [
      { t: 0, event: `${runs}: follows alarm ${alarmName} while it can be read` },
      { t: fired.worst + every, event: `first run after the alarm fired reads ALARM; one probe of ${flag.originId} (at most ${timeout} s)` },
      ...writeEvents(flag, decided, worst, ''),
    ],
  };
}

/** The flag write and its arrival at the edge locations. */
function writeEvents(flag: FlagTarget, writeAt: number, servedAt: number, after: string): SimulatedEvent[] {
  const api = KVS_DATA_API_HOME ? `homed in ${KVS_DATA_API_HOME}` : 'global KeyValueStore API (SigV4A), not homed in one Region: assumed available';
  return [
    { t: writeAt, phase: 'propagation', event: `PutKey ${flag.key ?? 'flag'} → ${flag.originId} on ${flag.kvs.key}${after ? ` ${after}` : ''} (${api}); edge locations pick it up` },
    { t: servedAt, phase: 'recovered', region: flag.region, event: `the flag reaches the edge locations: every request goes to ${flag.originId}${flag.region ? ` in ${flag.region}` : ''}` },
  ];
}

/**
 * Seconds between runs: `rate(n unit)`; a cron expression that fires every minute counts 60 s. EventBridge Scheduler's
 * flexible time window adds up to `MaximumWindowInMinutes`.
 */
export function scheduleInterval(ctx: SimulationContext, schedule: ResourceNode): number | undefined {
  const expr = ctx.graph.text(schedule.properties.ScheduleExpression, schedule.stack).text.trim();
  const units: { [u: string]: number } = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(expr);
  let every: number | undefined;
  if (rate && units[rate[2].toLowerCase()]) every = Number(rate[1]) * units[rate[2].toLowerCase()];
  else if (/^cron\(\s*\*\s+\*\s/.test(expr)) every = 60;
  if (every === undefined) return undefined;
  const window = schedule.properties.FlexibleTimeWindow;
  const mode = ctx.graph.text(window?.Mode ?? 'OFF', schedule.stack).text;
  const max = Number(ctx.graph.text(window?.MaximumWindowInMinutes ?? 0, schedule.stack).text);
  return every + (mode === 'FLEXIBLE' && Number.isFinite(max) ? max * 60 : 0);
}
