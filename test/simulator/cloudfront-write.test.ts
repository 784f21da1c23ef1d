import { ALL_METHODS, contextFor, customOrigin, distribution, edgeRouter, flowOf, originGroup, routedSite, simulate } from './cloudfront-fixtures';
import { FixtureStack } from './fixtures';
import { healthCheckStatusAlarm, httpsCheck } from './route53-fixtures';
import { flagPaths } from '../../src/simulator/cdn-flag';

const WRITE_ID = 'cdn-write:Global/Distribution';
const KVS_PARAM = '/site/kvs-arn';

interface SiteOptions {
  readonly primary: string;
  readonly dr: string;
  readonly drRegion: string;
  /** Reconciler schedule expression; none = no reconciler. */
  readonly rate?: string;
  readonly flexibleMinutes?: number;
  /** The alarm invokes the flip function through an SNS topic. */
  readonly viaSns?: boolean;
  /** Region of the reconciler's stack (default: the DR region). */
  readonly reconcilerRegion?: string;
  /** The reconciler has no ALARM_NAME/PROBE_URL: the simulator cannot tell what it decides. */
  readonly opaqueReconciler?: boolean;
  /** Run the reconciler from a legacy EventBridge rule instead of EventBridge Scheduler. */
  readonly eventsRule?: boolean;
}

const lambda = (variables: any) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::111111111111:role/x', Code: { ZipFile: 'x' }, Environment: { Variables: variables } },
});

/**
 * GlobalSsrSite's write failover, by hand: the edge router sends every request to `app-dr` when the KeyValueStore flag
 * says so; a HealthCheckStatus alarm (30 s × 3 checks) in us-east-1 invokes the flip function (DR probe 5 s); the
 * reconciler in the DR region reads the alarm (3 s), else probes the primary 3 × 5 s, 5 s apart, then DR (5 s).
 */
function site(o: SiteOptions): FixtureStack[] {
  const flipTarget = o.viaSns ? { Ref: 'Topic' } : { 'Fn::GetAtt': ['Flip', 'Arn'] };
  const global: FixtureStack = {
    name: 'Global',
    region: 'us-east-1',
    resources: {
      Kvs: { Type: 'AWS::CloudFront::KeyValueStore', Properties: { Name: 'flag' } },
      KvsArn: { Type: 'AWS::SSM::Parameter', Properties: { Name: KVS_PARAM, Type: 'String', Value: { 'Fn::GetAtt': ['Kvs', 'Arn'] } } },
      Router: edgeRouter('Kvs'),
      Distribution: routedSite('Router', o.primary, o.dr),
      Hc: httpsCheck(o.primary, 30, 3),
      Alarm: healthCheckStatusAlarm({ Ref: 'Hc' }, { AlarmName: 'site-primary-health', AlarmActions: [flipTarget] }),
      Flip: lambda({ KVS_ARN: { 'Fn::GetAtt': ['Kvs', 'Arn'] }, ACTIVE_ORIGIN_KEY: 'active-origin', DR_PROBE_URL: 'https://app.example.com/health/dr', PROBE_TIMEOUT_MS: '5000' }),
      ...(o.viaSns ? {
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        Subscription: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Topic' }, Endpoint: { 'Fn::GetAtt': ['Flip', 'Arn'] } } },
      } : {}),
    },
  };
  if (!o.rate) return [global];
  const reconcilerEnv = o.opaqueReconciler ? {} : {
    ALARM_NAME: 'site-primary-health',
    ALARM_REGION: 'us-east-1',
    PROBE_URL: 'https://app.example.com/health/primary',
    DR_PROBE_URL: 'https://app.example.com/health/dr',
    ALARM_READ_TIMEOUT_MS: '3000',
    PROBE_COUNT: '3',
    PROBE_TIMEOUT_MS: '5000',
    PROBE_INTERVAL_MS: '5000',
  };
  const dr: FixtureStack = {
    name: 'Dr',
    region: o.reconcilerRegion ?? o.drRegion,
    resources: {
      // The KeyValueStore ARN read from us-east-1 at deploy time, as GlobalSsrSite's DR origin stack does.
      ReadKvs: {
        Type: 'Custom::AWS',
        Properties: { Create: JSON.stringify({ service: 'SSM', action: 'GetParameter', parameters: { Name: KVS_PARAM }, region: 'us-east-1', physicalResourceId: { id: 'x' } }) },
      },
      Reconciler: lambda({ KVS_ARN: { 'Fn::GetAtt': ['ReadKvs', 'Parameter.Value'] }, ACTIVE_ORIGIN_KEY: 'active-origin', ...reconcilerEnv }),
      Schedule: o.eventsRule ? {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: o.rate, State: 'ENABLED', Targets: [{ Id: 'reconciler', Arn: { 'Fn::GetAtt': ['Reconciler', 'Arn'] } }] },
      } : {
        Type: 'AWS::Scheduler::Schedule',
        Properties: {
          ScheduleExpression: o.rate,
          FlexibleTimeWindow: o.flexibleMinutes ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: o.flexibleMinutes } : { Mode: 'OFF' },
          Target: { Arn: { 'Fn::GetAtt': ['Reconciler', 'Arn'] }, RoleArn: 'arn:aws:iam::111111111111:role/scheduler' },
        },
      },
    },
  };
  return [global, dr];
}

const EU = { primary: 'p1.execute-api.eu-west-1.amazonaws.com', dr: 'd1.execute-api.eu-central-1.amazonaws.com', drRegion: 'eu-central-1' };
const US = { primary: 'p1.lambda-url.us-east-1.on.aws', dr: 'd1.lambda-url.us-west-2.on.aws', drRegion: 'us-west-2' };

describe('cdn-write: origin groups never retry writes', () => {
  test('writes to a group\'s primary in the failed region never recover without a person', () => {
    const stacks: FixtureStack[] = [{
      name: 'Global',
      region: 'us-east-1',
      resources: {
        Distribution: distribution({
          origins: [customOrigin('west', EU.primary), customOrigin('central', EU.dr)],
          groups: [originGroup('api', ['west', 'central'])],
          defaultBehavior: { TargetOriginId: 'api', AllowedMethods: ALL_METHODS },
        }),
      },
    }];
    const result = simulate(stacks, 'eu-west-1');
    expect(flowOf(result, 'cdn-read:Global/Distribution').recoveredAtSeconds).toBe(0);
    const flow = flowOf(result, WRITE_ID);
    expect(flow).toMatchObject({ kind: 'cdn-write', impacted: true, fromRegion: 'eu-west-1' });
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0]).toEqual({ resource: 'Global/Distribution', reason: 'writes go only to west in eu-west-1, and no KeyValueStore flag or other routing moves them' });
    expect(flow.timeline[0].event).toBe('writes to west in eu-west-1 fail: CloudFront does not retry POST/PUT/PATCH/DELETE on an origin group\'s secondary (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html)');
  });
});

describe('cdn-write: a KeyValueStore flag set by an alarm action and a reconciler', () => {
  test('alarm path: 30 s × 3 + 6 s probe + 120 s delivery + 60 s period + 5 s DR probe + 5 s PutKey + 10 s to the edge = 296 s', () => {
    // Alarm fires at 96 + 120 + 60 = 276 s (typical 90 + 60 + 30 = 180 s). Alarm path: 276 + 5 + 5 + 10 = 296 s
    // (typical 180 + 1 + 10 = 191 s). Reconciler (rate 2 min) follows the readable alarm: 276 + 120 + 3 + 5 + 15 = 419 s.
    const flow = flowOf(simulate(site({ ...EU, rate: 'rate(2 minutes)' }), 'eu-west-1'), WRITE_ID);
    expect(flow).toMatchObject({ impacted: true, fromRegion: 'eu-west-1', toRegion: 'eu-central-1', recoveredAtSeconds: 296, typicalSeconds: 191, blockedBy: [] });
    expect(flow.timeline).toContainEqual({ t: 0, event: 'fastest path to set the flag: alarm site-primary-health → Lambda Global/Flip' });
    expect(flow.timeline.filter((e) => e.phase).map((e) => [e.t, e.phase])).toEqual(expect.arrayContaining([[0, 'failing'], [281, 'propagation'], [296, 'recovered']]));
    expect(flow.timeline.find((e) => e.phase === 'propagation')!.event).toBe(
      'PutKey active-origin → app-dr on Global/Kvs after a DR probe of at most 5 s (global KeyValueStore API (SigV4A), not homed in one Region: assumed available); edge locations pick it up');
  });

  test('the alarm may reach the flip function through SNS (same times: 296 s)', () => {
    const flow = flowOf(simulate(site({ ...EU, viaSns: true }), 'eu-west-1'), WRITE_ID);
    expect(flow.recoveredAtSeconds).toBe(296);
    expect(flow.timeline).toContainEqual({ t: 0, event: 'fastest path to set the flag: alarm site-primary-health → SNS Global/Topic → Lambda Global/Flip' });
  });

  test('us-east-1 outage: alarm and flip die; the reconciler probes: 60 s + 3 s + 3 × 5 s + 2 × 5 s + 5 s + 5 s + 10 s = 108 s', () => {
    // As GlobalSsrSite's "reconciler's probes" estimate: budget 108 s, typical 30 + 10 + 1 + 10 = 51 s.
    const flow = flowOf(simulate(site({ ...US, rate: 'rate(1 minute)' }), 'us-east-1'), WRITE_ID);
    expect(flow).toMatchObject({ impacted: true, toRegion: 'us-west-2', recoveredAtSeconds: 108, typicalSeconds: 51, blockedBy: [] });
    expect(flow.timeline.map((e) => e.t)).toEqual([0, 0, 0, 0, 0, 63, 88, 93, 108]);
    expect(flow.timeline[1].event).toBe('path alarm site-primary-health → Lambda Global/Flip cannot set the flag: the flag function Global/Flip runs in us-east-1, which is down; '
      + 'the alarm is in the failed region us-east-1: it and its actions stop with the region');
    expect(flow.timeline[5].event).toBe('next run: alarm site-primary-health unreadable (us-east-1 is down) after 3 s; 3 probes of the primary (5 s timeout, 5 s apart)');
  });

  test('a flexible time window delays the next run by its maximum (60 s + 5 min: 360 + 48 = 408 s)', () => {
    const flow = flowOf(simulate(site({ ...US, rate: 'rate(1 minute)', flexibleMinutes: 5 }), 'us-east-1'), WRITE_ID);
    expect(flow.recoveredAtSeconds).toBe(408);
  });

  test('an EventBridge rule firing every minute (cron) counts as 60 s: 108 s', () => {
    const flow = flowOf(simulate(site({ ...US, rate: 'cron(* * * * ? *)', eventsRule: true }), 'us-east-1'), WRITE_ID);
    expect(flow.recoveredAtSeconds).toBe(108);
    expect(flow.timeline).toContainEqual({ t: 0, event: 'fastest path to set the flag: schedule Dr/Schedule → Lambda Dr/Reconciler' });
  });

  test('a flag that routes to an origin in the failed region too: never', () => {
    const flow = flowOf(simulate(site({ ...US, dr: 'd1.lambda-url.us-east-1.on.aws', rate: 'rate(1 minute)' }), 'us-east-1'), WRITE_ID);
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy).toEqual([{ resource: 'Global/Distribution', reason: 'the flag routes writes to app-dr, which is in us-east-1 too' }]);
  });

  test('every path in the failed region: never; an operator\'s PutKey takes 5 s + 10 s', () => {
    const flow = flowOf(simulate(site({ ...US, rate: 'rate(1 minute)', reconcilerRegion: 'us-east-1' }), 'us-east-1'), WRITE_ID);
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.afterManualStepSeconds).toBe(15);
    expect(flow.timeline[flow.timeline.length - 1].event).toBe('an operator can PutKey active-origin → app-dr on Global/Kvs: served 15 s later '
      + '(with a role that already has cloudfront-keyvaluestore:PutKey: granting it is an IAM change, whose control plane (us-east-1) is down)');
    expect(flow.blockedBy).toEqual([
      { resource: 'Global/Flip', reason: 'the flag function Global/Flip runs in us-east-1, which is down' },
      { resource: 'Global/Alarm', reason: 'the alarm is in the failed region us-east-1: it and its actions stop with the region' },
      { resource: 'Dr/Reconciler', reason: 'the flag function Dr/Reconciler runs in us-east-1, which is down' },
      { resource: 'Dr/Schedule', reason: 'the schedule Dr/Schedule runs in us-east-1, which is down' },
    ]);
  });

  test('a scheduled function whose decision the simulator cannot read is not counted, with a warning', () => {
    const result = simulate(site({ ...US, rate: 'rate(1 minute)', opaqueReconciler: true }), 'us-east-1');
    expect(flowOf(result, WRITE_ID).recoveredAtSeconds).toBeUndefined();
    expect(result.findings).toContainEqual({
      severity: 'warning',
      resource: 'Dr/Reconciler',
      message: 'cannot tell when Dr/Reconciler (run by Dr/Schedule) sets the KeyValueStore flag active-origin of Global/Kvs: the simulator does not count it',
    });
  });

  test('nothing sets the flag: never, and the store is named', () => {
    const stacks = site(US);
    delete stacks[0].resources.Flip;
    const flow = flowOf(simulate(stacks, 'us-east-1'), WRITE_ID);
    expect(flow.blockedBy).toEqual([{ resource: 'Global/Kvs', reason: 'nothing in the assembly sets active-origin of this KeyValueStore (no alarm action or schedule invokes a function that points at it)' }]);
  });

  test('an outage of the DR region leaves writes alone but notes the lost reconciler', () => {
    const flow = flowOf(simulate(site({ ...US, rate: 'rate(1 minute)' }), 'us-west-2'), WRITE_ID);
    expect(flow).toMatchObject({ impacted: false, fromRegion: 'us-east-1', blockedBy: [] });
    expect(flow.timeline).toEqual([{ t: 0, event: 'Dr/Reconciler (sets active-origin of Global/Kvs) stops with us-west-2: one way to move writes is gone until it recovers' }]);
  });

  test('reads see the flag: no more per-request penalty once it is set (108 s)', () => {
    const read = flowOf(simulate(site({ ...US, rate: 'rate(1 minute)' }), 'us-east-1'), 'cdn-read:Global/Distribution');
    expect(read.timeline).toContainEqual({ t: 108, event: 'KeyValueStore flag says app-dr: requests go to it first, no more penalty' });
  });
});

describe('cdn-write: the KeyValueStore API', () => {
  test('if its API depended on a Region, that Region\'s outage would block every path (the pessimistic reading)', () => {
    const stacks = site({ ...US, rate: 'rate(1 minute)' });
    const ctx = contextFor(stacks, 'us-east-1');
    const kvs = ctx.graph.resources.find((r) => r.logicalId === 'Kvs')!;
    const flag = { kvs, key: 'active-origin', originId: 'app-dr', region: 'us-west-2' };
    // Default: not homed in one Region (AWS: "a global service"); the reconciler path works (108 s).
    expect(flagPaths(ctx, flag).map((p) => p.worst)).toEqual([undefined, 108]);
    const pessimistic = flagPaths(ctx, flag, 'us-east-1');
    expect(pessimistic.map((p) => p.worst)).toEqual([undefined, undefined]);
    expect(pessimistic[1].blockedBy).toEqual([{ resource: 'Global/Kvs', reason: 'the KeyValueStore API (PutKey) depends on us-east-1, which is down: the flag cannot be written' }]);
  });
});
