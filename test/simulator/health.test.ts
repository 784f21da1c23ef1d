import { contextOf, healthCheck, healthCheckStatusAlarm, httpsCheck, TestStack } from './route53-fixtures';
import { healthCheckTarget, healthCheckUnhealthyAt, pathMatches } from '../../src/simulator/health';

const EAST_HOST = 'web-use1.us-east-1.elb.amazonaws.com';
const WEST_HOST = 'web-usw2.us-west-2.elb.amazonaws.com';

function check(stacks: TestStack[], outage: string, id: string, stack: string = 'Dns') {
  const ctx = contextOf(stacks, outage);
  const node = ctx.graph.resources.find((r) => r.stack.stackName === stack && r.logicalId === id)!;
  return { result: healthCheckUnhealthyAt(ctx, node), ctx, node };
}

describe('endpoint health checks (HTTP/HTTPS/string match/TCP)', () => {
  test.each([
    // 10 s × 2 + 6 s HTTP(S) probe timeout = 26 s; typical 10 s × 2 = 20 s
    ['HTTPS', { RequestInterval: 10, FailureThreshold: 2 }, 26, 20],
    // AWS defaults when unset: 30 s × 3 + 6 s = 96 s; typical 90 s
    ['HTTP', {}, 96, 90],
    // string match: 10 s × 3 + 8 s (connect 4 + status 2 + body 2) = 38 s; typical 30 s
    ['HTTPS_STR_MATCH', { RequestInterval: 10, FailureThreshold: 3, SearchString: 'ok' }, 38, 30],
    // TCP: 30 s × 2 + 10 s connect timeout = 70 s; typical 60 s
    ['TCP', { RequestInterval: 30, FailureThreshold: 2 }, 70, 60],
  ])('%s check of an endpoint in the failed region', (type, settings, worst, typical) => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: healthCheck({ Type: type, FullyQualifiedDomainName: EAST_HOST, ...settings }) } }], 'us-east-1', 'Hc');
    expect(result.worst).toBe(worst);
    expect(result.typical).toBe(typical);
    expect(result.blockedBy).toEqual([]);
    expect(result.events.map((e) => e.t)).toEqual([0, worst]);
  });

  test('an endpoint in another region never turns unhealthy', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: httpsCheck(WEST_HOST) } }], 'us-east-1', 'Hc');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toEqual([{ resource: 'Dns/Hc', reason: `the health check probes ${WEST_HOST}/health, in us-west-2, which the outage of us-east-1 does not stop` }]);
  });

  test('the health check resource itself does not die with its stack region (Route 53 is global)', () => {
    // The check lives in a us-east-1 stack and probes us-west-2: losing us-west-2 → 10 s × 2 + 6 s = 26 s
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: httpsCheck(WEST_HOST) } }], 'us-west-2', 'Hc');
    expect(result.worst).toBe(26);
  });

  test('an unplaced host gets a warning finding and is assumed up', () => {
    const { result, ctx } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: httpsCheck('origin.example.net') } }], 'us-east-1', 'Hc');
    expect(result.worst).toBeUndefined();
    expect(ctx.findings).toEqual([{ severity: 'warning', resource: 'Dns/Hc', message: 'cannot tell which region serves origin.example.net; pass --endpoint-region origin.example.net=<region>' }]);
  });

  test('a disabled check is always healthy', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: httpsCheck(EAST_HOST, 10, 2, { Disabled: true }) } }], 'us-east-1', 'Hc');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy[0].reason).toBe('the health check is disabled: Route 53 considers it healthy whatever happens (API_HealthCheckConfig, Disabled)');
  });

  test('an inverted check is unhealthy before the outage (worst 0)', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { Hc: httpsCheck(WEST_HOST, 10, 2, { Inverted: true }) } }], 'us-east-1', 'Hc');
    expect(result.worst).toBe(0);
    expect(result.typical).toBe(0);
  });
});

describe('CALCULATED health checks', () => {
  const children = { East: httpsCheck(EAST_HOST), West: httpsCheck(WEST_HOST) };
  const calc = (threshold: number) => healthCheck({ Type: 'CALCULATED', HealthThreshold: threshold, ChildHealthChecks: [{ Ref: 'East' }, { Ref: 'West' }] });

  test('2 of 2: unhealthy as soon as one child is (10 s × 2 + 6 s = 26 s)', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { ...children, Calc: calc(2) } }], 'us-east-1', 'Calc');
    expect(result.worst).toBe(26);
    expect(result.typical).toBe(20);
  });

  test('1 of 2: the other child stays healthy, so the parent does', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { ...children, Calc: calc(1) } }], 'us-east-1', 'Calc');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toContainEqual({ resource: 'Dns/Calc', reason: 'calculated health check: at least 1 of its 2 children stay healthy' });
  });

  test('a threshold above the number of children is always unhealthy (worst 0)', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { ...children, Calc: calc(3) } }], 'us-west-2', 'Calc');
    expect(result.worst).toBe(0);
  });

  test('a threshold of 0 is always healthy', () => {
    const { result } = check([{ name: 'Dns', region: 'us-east-1', resources: { ...children, Calc: calc(0) } }], 'us-east-1', 'Calc');
    expect(result.worst).toBeUndefined();
  });

  test('a child outside the assembly is assumed healthy, with a warning', () => {
    const resources = { East: children.East, Calc: healthCheck({ Type: 'CALCULATED', HealthThreshold: 2, ChildHealthChecks: [{ Ref: 'East' }, 'abcdef-1234'] }) };
    const { result, ctx } = check([{ name: 'Dns', region: 'us-east-1', resources }], 'us-east-1', 'Calc');
    expect(result.worst).toBe(26);
    expect(ctx.findings).toContainEqual({ severity: 'warning', resource: 'Dns/Calc', message: 'child health check abcdef-1234 is not in the assembly: the simulator assumes it stays healthy' });
  });
});

describe('RECOVERY_CONTROL health checks', () => {
  const control = { Type: 'AWS::Route53RecoveryControl::RoutingControl', Properties: { Name: 'east', ClusterArn: 'arn:aws:route53-recovery-control::111111111111:cluster/abc' } };
  const rcCheck = healthCheck({ Type: 'RECOVERY_CONTROL', RoutingControlArn: { 'Fn::GetAtt': ['Control', 'RoutingControlArn'] } });

  test('stay healthy until a person turns the routing control Off', () => {
    const { result } = check([{ name: 'Dns', region: 'us-west-2', resources: { Control: control, Rc: rcCheck } }], 'us-east-1', 'Rc');
    expect(result.worst).toBeUndefined();
    expect(result.afterManualStepSeconds).toBe(0);
    expect(result.blockedBy).toEqual([{ resource: 'Dns/Rc', reason: 'routing control Dns/Control stays On until a person turns it Off (aws route53-recovery-cluster update-routing-control-state)' }]);
  });

  test('name the automation of the assembly that can flip the routing control', () => {
    const flipper = {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { ROUTING_CONTROL: { 'Fn::GetAtt': ['Control', 'RoutingControlArn'] } } } },
    };
    const { result } = check([{ name: 'Dns', region: 'us-west-2', resources: { Control: control, Rc: rcCheck, Flipper: flipper } }], 'us-east-1', 'Rc');
    expect(result.blockedBy[0].reason).toBe('routing control Dns/Control is turned Off only by Dns/Flipper, whose trigger the simulator does not model, or by a person');
  });
});

describe('CLOUDWATCH_METRIC health checks', () => {
  const alarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { AlarmName: 'api-errors', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Period: 60, EvaluationPeriods: 3, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' },
  };
  const cwCheck = (insufficient?: string) => healthCheck({
    Type: 'CLOUDWATCH_METRIC',
    AlarmIdentifier: { Name: 'api-errors', Region: 'us-east-1' },
    ...(insufficient ? { InsufficientDataHealthStatus: insufficient } : {}),
  });

  test('alarm region down, InsufficientDataHealthStatus Unhealthy: unhealthy after the window (60 s × 3 = 180 s; typical 150 s)', () => {
    const stacks = [{ name: 'Api', region: 'us-east-1', resources: { Alarm: alarm } }, { name: 'Dns', region: 'us-west-2', resources: { Cw: cwCheck('Unhealthy') } }];
    const { result } = check(stacks, 'us-east-1', 'Cw');
    expect(result.worst).toBe(180);
    expect(result.typical).toBe(150);
  });

  test.each([
    [undefined, 'LastKnownStatus (healthy before the outage)'],
    ['LastKnownStatus', 'LastKnownStatus (healthy before the outage)'],
    ['Healthy', 'Healthy'],
  ])('alarm region down, InsufficientDataHealthStatus %s: stays healthy', (insufficient, what) => {
    const stacks = [{ name: 'Api', region: 'us-east-1', resources: { Alarm: alarm } }, { name: 'Dns', region: 'us-west-2', resources: { Cw: cwCheck(insufficient) } }];
    const { result } = check(stacks, 'us-east-1', 'Cw');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toEqual([{ resource: 'Dns/Cw', reason: `alarm Api/Alarm is in the failed region us-east-1: its data is insufficient and InsufficientDataHealthStatus is ${what}` }]);
  });

  test('alarm region up: follows the alarm (HealthCheckStatus alarm: 10 s × 2 + 6 s + 120 s delivery + 60 s = 206 s)', () => {
    const stacks = [{
      name: 'Dns',
      region: 'us-east-1',
      resources: {
        West: httpsCheck(WEST_HOST),
        WestAlarm: healthCheckStatusAlarm({ Ref: 'West' }, { AlarmName: 'west-down' }),
        Cw: healthCheck({ Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: { Ref: 'WestAlarm' }, Region: 'us-east-1' }, InsufficientDataHealthStatus: 'Healthy' }),
      },
    }];
    const { result } = check(stacks, 'us-west-2', 'Cw');
    expect(result.worst).toBe(206);
    // typical: 20 s + 60 s delivery + 30 s (half a period) = 110 s
    expect(result.typical).toBe(110);
  });

  test('an alarm outside the assembly is assumed OK, with a warning', () => {
    const { result, ctx } = check([{ name: 'Dns', region: 'us-west-2', resources: { Cw: cwCheck('Unhealthy') } }], 'us-west-2', 'Cw');
    expect(result.worst).toBeUndefined();
    expect(ctx.findings).toEqual([{ severity: 'warning', resource: 'Dns/Cw', message: 'CloudWatch alarm api-errors (us-east-1) is not in the assembly: the simulator assumes it stays OK' }]);
  });
});

describe('health checks of a CloudFront distribution of the assembly', () => {
  const distribution = {
    Type: 'AWS::CloudFront::Distribution',
    Properties: {
      DistributionConfig: {
        Aliases: ['app.example.com'],
        Origins: [
          { Id: 'primary', DomainName: 'abc.lambda-url.us-east-1.on.aws' },
          { Id: 'dr', DomainName: 'def.lambda-url.us-west-2.on.aws' },
        ],
        OriginGroups: { Quantity: 1, Items: [{ Id: 'group', Members: { Quantity: 2, Items: [{ OriginId: 'primary' }, { OriginId: 'dr' }] } }] },
        CacheBehaviors: [
          { PathPattern: '/probe/primary', TargetOriginId: 'primary' },
          { PathPattern: '/probe/dr', TargetOriginId: 'dr' },
        ],
        DefaultCacheBehavior: { TargetOriginId: 'group' },
      },
    },
  };
  const probe = (fqdn: any, path: string) => httpsCheck(fqdn, 10, 2, { ResourcePath: path });

  test('ResourcePath → cache behaviour → one origin: the check fails with that origin\'s region (10 s × 2 + 6 s = 26 s)', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { Distribution: distribution, Hc: probe({ 'Fn::GetAtt': ['Distribution', 'DomainName'] }, '/probe/primary') } }];
    const { result, ctx, node } = check(stacks, 'us-east-1', 'Hc', 'Global');
    expect(result.worst).toBe(26);
    expect(healthCheckTarget(ctx, node)).toEqual({ description: 'distribution.cloudfront.net/probe/primary (CloudFront Global/Distribution → origin primary)', regions: ['us-east-1'] });
  });

  test('the DR probe path is not touched by the primary region\'s outage', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { Distribution: distribution, Hc: probe({ 'Fn::GetAtt': ['Distribution', 'DomainName'] }, '/probe/dr') } }];
    expect(check(stacks, 'us-east-1', 'Hc', 'Global').result.worst).toBeUndefined();
  });

  test('an alternate domain name of the distribution is followed too', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { Distribution: distribution, Hc: probe('app.example.com', '/probe/dr') } }];
    expect(check(stacks, 'us-west-2', 'Hc', 'Global').result.worst).toBe(26);
  });

  test('a path served by an origin group stays healthy while the other member answers', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { Distribution: distribution, Hc: probe('app.example.com', '/index.html') } }];
    const { result, ctx, node } = check(stacks, 'us-east-1', 'Hc', 'Global');
    expect(result.worst).toBeUndefined();
    expect(healthCheckTarget(ctx, node).regions).toEqual(['us-east-1', 'us-west-2']);
  });
});

test.each([
  ['/static/*', '/static/app.js', true],
  ['static/*', '/static/app.js', true],
  ['/static/*', '/Static/app.js', false],
  ['/images/*.jpg', '/images/a/b.jpg', true],
  ['/a?c', '/abc', true],
  ['/a?c', '/abbc', false],
  ['/__global-ssr/health/primary', '/__global-ssr/health/primary', true],
  ['/health', '/health?x=1', true],
])('CloudFront path pattern %s matches %s: %s', (pattern, path, expected) => {
  expect(pathMatches(pattern, path)).toBe(expected);
});
