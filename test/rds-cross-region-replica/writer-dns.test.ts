import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, build, DNS, template } from './helpers';

const NOT_PROMOTED = (region: string) => ({
  HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: `orders-${region}-promoted`, Region: region }, InsufficientDataHealthStatus: 'LastKnownStatus' },
});

function promoteConfig(t: Template): any {
  const fn: any = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('promote') } }))[0];
  return JSON.parse(fn.Properties.Environment.Variables.PROMOTE_CONFIG['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'T')).join(''));
}

describe('writer DNS name (two regions)', () => {
  const { app, db } = build({ writerDnsRecord: DNS });
  const writer = Template.fromStack(db.writerStack!);

  test('a writer stack in the primary region deploys after every regional stack', () => {
    expect(db.writerStack!.stackName).toBe('orders-db-writer-us-east-1');
    expect(db.writerStack!.region).toBe('us-east-1');
    expect(db.writerStack!.dependencies).toEqual(db.stacks);
    expect(db.writerEndpoint).toBe('writer.db.example.com');
    expect(app.synth().stacks.map((s) => s.stackName)).toContain('orders-db-writer-us-east-1');
  });

  test('PRIMARY → the primary endpoint (read from SSM in the same region), healthy while the replica is not promoted', () => {
    writer.resourceCountIs('AWS::Route53::HealthCheck', 1);
    writer.hasResourceProperties('AWS::Route53::HealthCheck', NOT_PROMOTED('us-west-2'));
    writer.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Inverted: Match.absent() } });
    writer.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: DNS.hostedZoneId,
      Name: 'writer.db.example.com.',
      Type: 'CNAME',
      TTL: '30',
      Failover: 'PRIMARY',
      SetIdentifier: 'us-east-1-primary',
      HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotPromoteduswest2'), 'HealthCheckId'] },
      ResourceRecords: [{ Ref: Match.stringLikeRegexp('^SsmParameterValue') }],
    });
    const parameters = JSON.stringify(writer.toJSON().Parameters);
    expect(parameters).toContain('/cdk-multi-region-failover/rds/orders/us-east-1/endpoint');
  });

  test('SECONDARY → promoted.<name>, with no health check (always a candidate: a missing health signal never sends clients back to the old primary)', () => {
    writer.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'writer.db.example.com.', Type: 'CNAME', Failover: 'SECONDARY', ResourceRecords: ['promoted.writer.db.example.com'], HealthCheckId: Match.absent(),
    });
  });

  test('the replica region: its promotion alarm, its weighted record, and the every-minute watcher', () => {
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-us-west-2-promoted',
      Namespace: 'CdkMultiRegionFailover/RdsCrossRegionReplica',
      MetricName: 'Promoted',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-us-west-2' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
    });
    // One replica: its record needs no health check.
    t.resourceCountIs('AWS::Route53::HealthCheck', 0);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'promoted.writer.db.example.com.',
      Type: 'CNAME',
      TTL: '30',
      SetIdentifier: 'us-west-2',
      Weight: 1,
      HealthCheckId: Match.absent(),
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Instance'), 'Endpoint.Address'] }],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Input: '{"action":"watch"}', RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    expect(promoteConfig(t).promotionMetric).toEqual({ namespace: 'CdkMultiRegionFailover/RdsCrossRegionReplica', metricName: 'Promoted' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'CdkMultiRegionFailover/RdsCrossRegionReplica' } },
        })]),
      },
    });
  });

  test('the primary region publishes nothing and runs no watcher', () => {
    const t = template(db, 'us-east-1');
    t.resourceCountIs('AWS::Events::Rule', 0);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(promoteConfig(t).promotionMetric).toBeUndefined();
  });

  test('nothing at failover calls Route 53: no policy of any stack grants a route53 action', () => {
    const json = JSON.stringify(app.synth().stacks.map((s) => s.template));
    expect(json).not.toMatch(/"route53:/);
  });
});

describe('writer DNS name (three regions)', () => {
  test('a calculated "no replica promoted" check over one check per replica; each replica\'s record is healthy once promoted (inverted)', () => {
    const { db } = build({ writerDnsRecord: { ...DNS, ttl: Duration.seconds(20) } }, 3);
    const writer = Template.fromStack(db.writerStack!);
    writer.resourceCountIs('AWS::Route53::HealthCheck', 3);
    writer.hasResourceProperties('AWS::Route53::HealthCheck', NOT_PROMOTED('us-west-2'));
    writer.hasResourceProperties('AWS::Route53::HealthCheck', NOT_PROMOTED('eu-west-1'));
    writer.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        HealthThreshold: 2,
        ChildHealthChecks: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotPromoteduswest2'), 'HealthCheckId'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotPromotedeuwest1'), 'HealthCheckId'] },
        ],
      },
    });
    writer.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY', TTL: '20', HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NoReplicaPromoted'), 'HealthCheckId'] },
    });
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'CLOUDWATCH_METRIC',
          Inverted: true,
          InsufficientDataHealthStatus: 'LastKnownStatus',
          AlarmIdentifier: { Name: { Ref: Match.stringLikeRegexp('^PromotedAlarm') }, Region: region },
        },
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'promoted.writer.db.example.com.',
        TTL: '20',
        SetIdentifier: region,
        Weight: 1,
        HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotedHealthCheck'), 'HealthCheckId'] },
      });
    }
  });

  test('without writerDnsRecord: no writer stack, no watcher, no promotion alarm', () => {
    const { app, db } = build({}, 3);
    expect(db.writerStack).toBeUndefined();
    expect(db.writerEndpoint).toBeUndefined();
    const json = JSON.stringify(app.synth().stacks.map((s) => s.template));
    expect(json).not.toContain('AWS::Route53::');
    expect(json).not.toContain('AWS::Events::Rule');
  });

  test('the name is claimed: two constructs cannot serve the same writer name', () => {
    const app = new App();
    const { RdsCrossRegionReplica } = jest.requireActual('../../src/rds-cross-region-replica');
    new RdsCrossRegionReplica(app, 'A', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], instanceIdentifier: 'a', writerDnsRecord: DNS });
    new RdsCrossRegionReplica(app, 'B', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], instanceIdentifier: 'b', writerDnsRecord: DNS });
    expect(() => app.synth()).toThrow('`writerDnsRecord.recordName` writer.db.example.com in hosted zone Z0123456789ABCDEFGHIJ is also claimed by B');
  });
});
