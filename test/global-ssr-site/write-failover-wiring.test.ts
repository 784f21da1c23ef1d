import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { build, readerOf, siteWarnings, templateOf } from './site-util';

const KVS_ACTIONS = ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey'];

describe('write failover in us-east-1: health check → alarm → flip, with an on-failure queue', () => {
  test('health check on the primary probe through CloudFront; named alarm → flipper on ALARM and OK', () => {
    const site = build({ healthCheckInterval: Duration.seconds(30), healthCheckFailureThreshold: 3 });
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] },
        ResourcePath: '/__global-ssr/health/primary',
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
        Port: 443,
      }),
    });
    const flipper = { 'Fn::GetAtt': [Match.stringLikeRegexp('^WriteFailover[0-9A-F]'), 'Arn'] };
    g.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-primary-health',
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Statistic: 'Minimum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [flipper],
      OKActions: [flipper],
    });
    g.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ACTIVE_ORIGIN_KEY: 'active-origin',
          ACTIVE_ORIGIN_OVERRIDE_KEY: 'active-origin-override',
          KVS_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] },
          // ALARM moves writes only when the DR origin answers its probe path through CloudFront.
          DR_PROBE_URL: 'https://www.example.com/__global-ssr/health/dr',
          PROBE_TIMEOUT_MS: '5000',
        }),
      },
    });
    g.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'lambda.alarms.cloudwatch.amazonaws.com' });
  });

  test('failed asynchronous flips: 2 Lambda retries, then an encrypted, SSL-only queue, watched by an alarm', () => {
    const site = build();
    const g = Template.fromStack(site.globalStack);
    const queue = { 'Fn::GetAtt': [Match.stringLikeRegexp('^WriteFailoverFailures'), 'Arn'] };
    g.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^WriteFailover[0-9A-F]') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: queue } },
    });
    g.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    g.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    g.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: queue })]) },
    });
    g.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-write-failover-failures',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WriteFailoverFailures'), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    expect(site.writeFailoverDeadLetterQueue).toBeDefined();
    expect(site.writeFailoverDeadLetterAlarm).toBeDefined();
  });

  test('the global stack writes the KeyValueStore ARN for the DR-region reconciler', () => {
    Template.fromStack(build().globalStack).hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/shop/active-origin-kvs-arn',
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] },
    });
  });
});

describe('reconciler in the DR region: every minute, independent of the flip and of us-east-1', () => {
  test('EventBridge Scheduler rate(1 minute), flexible window off, invokes the reconciler without retries', () => {
    const site = build();
    const t = templateOf(site, 'DrOrigin');
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WriteFailoverReconcilerFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      }),
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    Template.fromStack(site.globalStack).resourceCountIs('AWS::Scheduler::Schedule', 0);
    templateOf(site, 'PrimaryOrigin').resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(site.reconcilerFunction).toBeDefined();
  });

  test('its settings: the KeyValueStore ARN read from us-east-1 at deploy time, the alarm, the primary probe URL', () => {
    const t = templateOf(build(), 'DrOrigin');
    t.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({ service: 'SSM', action: 'GetParameter', region: 'us-east-1', parameters: { Name: '/shop/active-origin-kvs-arn' } })),
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 55,
      Environment: {
        Variables: Match.objectLike({
          KVS_ARN: readerOf('WriteFailoverReconcilerReadKeyValueStoreArn'),
          ACTIVE_ORIGIN_KEY: 'active-origin',
          ACTIVE_ORIGIN_OVERRIDE_KEY: 'active-origin-override',
          ALARM_NAME: 'shop-primary-health',
          ALARM_REGION: 'us-east-1',
          PROBE_URL: 'https://www.example.com/__global-ssr/health/primary',
          DR_PROBE_URL: 'https://www.example.com/__global-ssr/health/dr',
          ALARM_READ_TIMEOUT_MS: '3000',
          PROBE_COUNT: '3',
          PROBE_TIMEOUT_MS: '5000',
          PROBE_INTERVAL_MS: '5000',
        }),
      },
    });
  });

  test('a copy of the KeyValueStore ARN in the DR region, for the runbook', () => {
    templateOf(build(), 'DrOrigin').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/shop/active-origin-kvs-arn',
      Value: readerOf('WriteFailoverReconcilerReadKeyValueStoreArn'),
    });
  });

  test('least privilege: DescribeAlarms on the one alarm, KeyValueStore actions on the one store', () => {
    const t = templateOf(build(), 'DrOrigin');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: KVS_ACTIONS, Resource: readerOf('WriteFailoverReconcilerReadKeyValueStoreArn') }),
          Match.objectLike({ Action: 'cloudwatch:DescribeAlarms', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:shop-primary-health']] } }),
        ]),
      },
    });
  });

  test('an alarm when the reconciler fails 3 minutes in a row', () => {
    templateOf(build(), 'DrOrigin').hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-write-failover-reconciler-errors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('writeFailover: false and the us-east-1 warning', () => {
  test('no store, health check, alarm, queue or reconciler; the GET origin group router stays', () => {
    const site = build({ writeFailover: false });
    const g = Template.fromStack(site.globalStack);
    for (const type of ['AWS::CloudFront::KeyValueStore', 'AWS::Route53::HealthCheck', 'AWS::CloudWatch::Alarm', 'AWS::SQS::Queue']) {
      g.resourceCountIs(type, 0);
    }
    templateOf(site, 'DrOrigin').resourceCountIs('AWS::Scheduler::Schedule', 0);
    g.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp('"keyValueStoreId":null') });
    expect(site.reconcilerFunction).toBeUndefined();
  });

  test('primary in us-east-1: a warning in the global stack, as `cdk synth` shows it, that says what still depends on us-east-1', () => {
    const site = build({ primaryRegion: 'us-east-1', drRegion: 'us-west-2' });
    const message = 'GlobalSsrSite: `primaryRegion` is us-east-1, where the Route 53 HealthCheckStatus metric, its alarm and the flag-flip function run. '
      + 'When us-east-1 fails, writes move to us-west-2 only through the reconciler there (probes of the primary, within `recoveryEstimate.rto`), '
      + 'and only if the global CloudFront KeyValueStore API stays available, which AWS does not document. See the README runbook to flip the flag by hand. '
      + '[ack: cdk-multi-region-failover:ssr-primary-in-us-east-1]';
    Annotations.fromStack(site.globalStack).hasWarning('/Site/Global', message);
    expect(siteWarnings(site)).toEqual([`Global: ${message}`]);
    expect(siteWarnings(build({ primaryRegion: 'us-east-1', drRegion: 'us-west-2', writeFailover: false }))).toEqual([]);
  });
});
