import { contextOf, healthCheckStatusAlarm, httpsCheck, TestStack } from './route53-fixtures';
import { alarmFiresAt } from '../../src/simulator/alarms';

const WEST_HOST = 'web-usw2.us-west-2.elb.amazonaws.com';

function fires(stacks: TestStack[], outage: string, stack: string, id: string) {
  const ctx = contextOf(stacks, outage);
  const node = ctx.graph.resources.find((r) => r.stack.stackName === stack && r.logicalId === id)!;
  return { result: alarmFiresAt(ctx, node), ctx };
}

describe('HealthCheckStatus alarms', () => {
  test('follow the health check, the metric delivery and the period (10 s × 2 + 6 s + 120 s + 60 s × 1 = 206 s)', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { West: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'West' }, { AlarmName: 'west-down' }) } }];
    const { result } = fires(stacks, 'us-west-2', 'Global', 'Alarm');
    expect(result.worst).toBe(206);
    // typical: 10 s × 2 + 60 s (half the delivery allowance) + 30 s (half a period) = 110 s, as the GlobalSsrSite estimate
    expect(result.typical).toBe(110);
    expect(result.blockedBy).toEqual([]);
    expect(result.events.map((e) => e.t)).toEqual([0, 26, 146, 206]);
    expect(result.events[3].event).toBe('alarm west-down in ALARM: 1 of 1 datapoints of 60 s breaching (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html); its actions run');
  });

  test('need DatapointsToAlarm periods (2 of 3 × 60 s: 26 s + 120 s + 120 s = 266 s; typical 20 + 60 + 90 = 170 s)', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { West: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'West' }, { EvaluationPeriods: 3, DatapointsToAlarm: 2 }) } }];
    const { result } = fires(stacks, 'us-west-2', 'Global', 'Alarm');
    expect(result.worst).toBe(266);
    expect(result.typical).toBe(170);
  });

  test('find the health check through an SSM parameter written by an AwsCustomResource of another region', () => {
    const name = '/app/us-west-2/health-check-id';
    const stacks = [
      {
        name: 'West',
        region: 'us-west-2',
        resources: {
          Hc: httpsCheck(WEST_HOST),
          Put: {
            Type: 'Custom::AWS',
            Properties: {
              Create: { 'Fn::Join': ['', [`{"service":"SSM","action":"putParameter","parameters":{"Name":"${name}","Value":"`, { Ref: 'Hc' }, '","Type":"String"},"region":"us-east-1"}']] },
            },
          },
        },
      },
      {
        name: 'Alarms',
        region: 'us-east-1',
        parameters: { HcId: { Type: 'AWS::SSM::Parameter::Value<String>', Default: name } },
        resources: { Alarm: healthCheckStatusAlarm({ Ref: 'HcId' }) },
      },
    ];
    // 10 s × 2 + 6 s + 120 s + 60 s = 206 s
    expect(fires(stacks, 'us-west-2', 'Alarms', 'Alarm').result.worst).toBe(206);
  });

  test('an alarm outside us-east-1 never gets HealthCheckStatus data: error finding', () => {
    const stacks = [{ name: 'West', region: 'us-west-2', resources: { Hc: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'Hc' }) } }];
    const { result, ctx } = fires(stacks, 'eu-west-1', 'West', 'Alarm');
    expect(result.worst).toBeUndefined();
    const reason = 'Route 53 publishes HealthCheckStatus in us-east-1 only; this alarm is in us-west-2 and never gets data (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html)';
    expect(result.blockedBy).toEqual([{ resource: 'West/Alarm', reason }]);
    expect(ctx.findings).toEqual([{ severity: 'error', resource: 'West/Alarm', message: reason }]);
    // The finding is a configuration error: reported whatever the outage.
    expect(fires(stacks, 'us-west-2', 'West', 'Alarm').ctx.findings).toEqual([{ severity: 'error', resource: 'West/Alarm', message: reason }]);
  });

  test('the health check never fails: the alarm never fires, and says why', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { West: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'West' }) } }];
    const { result } = fires(stacks, 'eu-west-1', 'Global', 'Alarm');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toEqual([{ resource: 'Global/West', reason: `the health check probes ${WEST_HOST}/health, in us-west-2, which the outage of eu-west-1 does not stop` }]);
  });

  test('an alarm that fires while the check is healthy is not triggered by the outage', () => {
    const stacks = [{ name: 'Global', region: 'us-east-1', resources: { West: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'West' }, { ComparisonOperator: 'GreaterThanOrEqualToThreshold' }) } }];
    expect(fires(stacks, 'us-west-2', 'Global', 'Alarm').result.blockedBy[0].reason).toBe('the alarm fires on HealthCheckStatus GreaterThanOrEqualToThreshold, not when the health check turns unhealthy');
  });
});

test('an alarm in the failed region stops with it, with its actions', () => {
  const stacks = [{ name: 'Global', region: 'us-east-1', resources: { West: httpsCheck(WEST_HOST), Alarm: healthCheckStatusAlarm({ Ref: 'West' }, { AlarmName: 'west-down' }) } }];
  const { result } = fires(stacks, 'us-east-1', 'Global', 'Alarm');
  expect(result.worst).toBeUndefined();
  expect(result.blockedBy).toEqual([{ resource: 'Global/Alarm', reason: 'the alarm is in the failed region us-east-1: it and its actions stop with the region' }]);
  expect(result.events).toEqual([{ t: 0, event: 'alarm west-down stops with us-east-1: it never fires and its actions never run', phase: 'failing' }]);
});

describe('alarms on a metric whose source region fails (TreatMissingData)', () => {
  // A us-east-1 alarm on the errors of a us-west-2 function (named through an export of the us-west-2 stack).
  const stacks = (alarm: any): TestStack[] => [
    { name: 'West', region: 'us-west-2', resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } }, outputs: { FnName: { Value: { Ref: 'Fn' }, Export: { Name: 'west-fn' } } } },
    {
      name: 'Watch',
      region: 'us-east-1',
      resources: {
        Alarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: { 'Fn::ImportValue': 'west-fn' } }],
            Statistic: 'Sum',
            Period: 60,
            EvaluationPeriods: 3,
            DatapointsToAlarm: 2,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            ...alarm,
          },
        },
      },
    },
  ];

  test('breaching: ALARM after DatapointsToAlarm missing periods (2 × 60 s = 120 s; typical 90 s)', () => {
    const { result } = fires(stacks({ TreatMissingData: 'breaching' }), 'us-west-2', 'Watch', 'Alarm');
    expect(result.worst).toBe(120);
    expect(result.typical).toBe(90);
  });

  test.each([
    ['notBreaching', 'TreatMissingData notBreaching: missing datapoints count as good'],
    ['ignore', 'TreatMissingData ignore: the alarm keeps its state'],
    ['missing', 'TreatMissingData missing: the alarm goes to INSUFFICIENT_DATA, not ALARM'],
    [undefined, 'TreatMissingData missing: the alarm goes to INSUFFICIENT_DATA, not ALARM'],
  ])('%s: never', (treat, why) => {
    const { result } = fires(stacks(treat ? { TreatMissingData: treat } : {}), 'us-west-2', 'Watch', 'Alarm');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toEqual([{ resource: 'Watch/Alarm', reason: `AWS/Lambda/Errors stops with us-west-2, and ${why} (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html)` }]);
  });

  test('AWS/DynamoDB metrics always ignore missing data, whatever TreatMissingData says', () => {
    const { result } = fires(stacks({ Namespace: 'AWS/DynamoDB', TreatMissingData: 'breaching' }), 'us-west-2', 'Watch', 'Alarm');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy[0].reason).toContain('alarms on AWS/DynamoDB metrics always ignore missing data');
  });

  test('a source the outage does not stop: the simulator cannot tell, never', () => {
    const { result } = fires(stacks({ TreatMissingData: 'breaching' }), 'eu-west-1', 'Watch', 'Alarm');
    expect(result.worst).toBeUndefined();
    expect(result.blockedBy).toEqual([{ resource: 'Watch/Alarm', reason: 'AWS/Lambda/Errors comes from us-west-2, which the outage does not stop; whether it breaches depends on the application' }]);
  });

  test('a metric-math alarm takes its period from its metrics (2 × 300 s = 600 s)', () => {
    const math = {
      Namespace: undefined,
      MetricName: undefined,
      Dimensions: undefined,
      Period: undefined,
      Statistic: undefined,
      TreatMissingData: 'breaching',
      Metrics: [
        { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { 'Fn::ImportValue': 'west-fn' } }] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
        { Id: 'r', Expression: 'e * 2', ReturnData: true },
      ],
    };
    const { result } = fires(stacks(math), 'us-west-2', 'Watch', 'Alarm');
    expect(result.worst).toBe(600);
  });
});
