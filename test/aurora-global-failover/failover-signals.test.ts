import { Duration, Lazy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, build, HEALTH_ALARM, template } from './helpers';
import { AuroraGlobalFailoverProps } from '../../src/aurora-global-failover';
import { RecoveryBasis, RecoveryModel } from '../../src/core/recovery';
import { nagErrors } from '../util/nag';

const DNS = { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' };

describe('AuroraGlobalFailover alarms', () => {
  test('replication and RPO lag alarms per secondary at 1000 ms, to the encrypted regional topic', () => {
    const { db } = build({}, 3);
    template(db, 'us-east-1').resourceCountIs('AWS::CloudWatch::Alarm', 0);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
      for (const metricName of ['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/RDS',
          MetricName: metricName,
          Dimensions: [{ Name: 'DBClusterIdentifier', Value: `orders-${region}` }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 1000,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
        });
      }
      t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
      expect(db.regionalResources(region).alarms).toHaveLength(2);
    }
  });

  test('the lag threshold is configurable, writer alarms are optional and exist in every region', () => {
    const { db } = build({ replicationLagThreshold: Duration.millis(500), writerCpuThreshold: 80, writerConnectionsThreshold: 500 });
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag', Threshold: 500 });
    for (const region of ['us-east-1', 'us-west-2']) {
      template(db, region).hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'CPUUtilization',
        Threshold: 80,
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: `orders-${region}` }, { Name: 'Role', Value: 'WRITER' }],
      });
      template(db, region).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 500 });
    }
  });

  test('Aurora MySQL: no RPO lag alarm (AuroraGlobalDBRPOLag is an Aurora PostgreSQL metric here)', () => {
    const { db } = build({ engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) });
    const t = template(db, 'us-west-2');
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag' });
  });
});

describe('AuroraGlobalFailover autoFailover: lag AND an independent primary-health signal, never missing data', () => {
  const auto = (extra: Partial<NonNullable<AuroraGlobalFailoverProps['autoFailover']>> = {}) =>
    ({ autoFailover: { evaluationPeriods: 3, primaryHealthAlarmArn: HEALTH_ALARM, ...extra } });

  test('the replication-stalled alarm treats missing data as not breaching', () => {
    const { db } = build(auto(), 3);
    template(db, 'us-west-2').hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^AuroraGlobalDBReplicationLag of orders-us-west-2 above 60000 ms for 3 min'),
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'orders-us-west-2' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 60000,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the trigger is a composite alarm: ALARM(your primary-health alarm) AND (ALARM(replication stalled) OR ALARM(lag data missing)), in the target region', () => {
    const { db } = build(auto(), 3);
    const t = template(db, 'us-west-2');
    const composites = t.findResources('AWS::CloudWatch::CompositeAlarm');
    expect(Object.keys(composites)).toHaveLength(1);
    const [id, composite] = Object.entries<any>(composites)[0];
    const stalledId = Object.entries<any>(t.findResources('AWS::CloudWatch::Alarm'))
      .find(([, a]) => a.Properties.AlarmDescription.startsWith('AuroraGlobalDBReplicationLag of orders-us-west-2 above 60000 ms for 3 min'))![0];
    const missingId = Object.entries<any>(t.findResources('AWS::CloudWatch::Alarm'))
      .find(([, a]) => a.Properties.AlarmDescription.startsWith('No AuroraGlobalDBReplicationLag data from orders-us-west-2'))![0];
    // The independent signal is required on every path: missing lag data alone never starts a failover.
    expect(composite.Properties.AlarmRule).toEqual({
      'Fn::Join': ['', [`(ALARM("${HEALTH_ALARM}") AND (ALARM("`, { 'Fn::GetAtt': [stalledId, 'Arn'] }, '") OR ALARM("', { 'Fn::GetAtt': [missingId, 'Arn'] }, '")))']],
    });
    expect(composite.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'resources': [{ 'Fn::GetAtt': [id, 'Arn'] }],
        'detail': { state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ Input: '{"mode":"failover","targetRegion":"us-west-2"}' })],
    });
    template(db, 'eu-west-1').resourceCountIs('AWS::Events::Rule', 0);
    template(db, 'eu-west-1').resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    template(db, 'us-east-1').resourceCountIs('AWS::Events::Rule', 0);
  });

  test('missing lag data alone never starts a failover: the data-missing alarm only counts beside the primary-health alarm', () => {
    const { db } = build(auto(), 3);
    const t = template(db, 'us-west-2');
    const alarms = Object.entries<any>(t.findResources('AWS::CloudWatch::Alarm'));
    const breaching = alarms.filter(([, a]) => a.Properties.TreatMissingData === 'breaching');
    expect(breaching).toHaveLength(1);
    const [missingId, missing] = breaching[0];
    expect(missing.Properties).toMatchObject({
      AlarmDescription: expect.stringMatching(/^No AuroraGlobalDBReplicationLag data from orders-us-west-2 for 3 min: replication to us-west-2 may have stopped\. Starts a failover only together with the independent primary-health alarm/),
      MetricName: 'AuroraGlobalDBReplicationLag',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 3,
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
    });
    // The EventBridge rule listens to the composite only; the composite ANDs the primary-health alarm with it.
    expect(JSON.stringify(t.findResources('AWS::Events::Rule'))).not.toContain(missingId);
    const rule = JSON.stringify(Object.values<any>(t.findResources('AWS::CloudWatch::CompositeAlarm'))[0].Properties.AlarmRule);
    expect(rule.startsWith(`{"Fn::Join":["",["(ALARM(\\"${HEALTH_ALARM}\\") AND (`)).toBe(true);
    expect(db.regionalResources('us-west-2').alarms).toHaveLength(5);
  });

  test('a primary-health alarm given as a token is accepted (it cannot be checked at synth)', () => {
    const { db } = build({ autoFailover: { primaryHealthAlarmArn: Lazy.string({ produce: () => HEALTH_ALARM }) } });
    expect(db.recoveryEstimate.summary).toBe('Aurora global failover (automatic)');
  });
});

describe('AuroraGlobalFailover writer endpoint and CNAME', () => {
  // CloudFormation does not return the global writer endpoint (AWS::RDS::GlobalCluster has no usable
  // `GlobalEndpoint.Address` attribute: cfn-lint E1010; aws-cloudformation/cloudformation-coverage-roadmap#2364),
  // so it is read with DescribeGlobalClusters at deploy time.
  test('globalWriterEndpoint is read with DescribeGlobalClusters at deploy time, not with GetAtt GlobalEndpoint.Address', () => {
    const { db } = build();
    const endpoint = db.primaryStack.resolve(db.globalWriterEndpoint);
    const t = template(db, 'us-east-1');
    const readers = t.findResources('Custom::AWS');
    expect(Object.keys(readers)).toHaveLength(1);
    const [readerId, reader] = Object.entries<any>(readers)[0];
    expect(endpoint).toEqual({ 'Fn::GetAtt': [readerId, 'GlobalClusters.0.Endpoint'] });
    const create = JSON.parse(reader.Properties.Create);
    expect(create).toEqual({
      service: 'RDS',
      action: 'describeGlobalClusters',
      parameters: { GlobalClusterIdentifier: 'orders' },
      physicalResourceId: { id: 'orders' },
      outputPaths: ['GlobalClusters.0.Endpoint'],
    });
    expect(reader.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ClusterWriter/)]));
    expect(JSON.stringify(t.toJSON())).not.toContain('GlobalEndpoint.Address');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'rds:DescribeGlobalClusters', Effect: 'Allow', Resource: `arn:aws:rds::${ACCOUNT}:global-cluster:orders` }] },
    });
  });

  test('without writerDnsRecord and without reading globalWriterEndpoint, no reader is created', () => {
    const { db } = build();
    template(db, 'us-east-1').resourceCountIs('Custom::AWS', 0);
  });

  test('writerDnsRecord: a static CNAME in the primary stack to the global writer endpoint (Aurora moves it with the primary)', () => {
    const { db } = build({ writerDnsRecord: { ...DNS, ttl: Duration.seconds(20) } }, 3);
    const t = template(db, 'us-east-1');
    const readerId = Object.keys(t.findResources('Custom::AWS'))[0];
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABC',
      Name: 'writer.db.example.com.',
      Type: 'CNAME',
      TTL: '20',
      ResourceRecords: [{ 'Fn::GetAtt': [readerId, 'GlobalClusters.0.Endpoint'] }],
    });
    for (const region of ['us-west-2', 'eu-west-1']) {
      template(db, region).resourceCountIs('AWS::Route53::RecordSet', 0);
      // Secondaries read their secret replica's ARN (listSecrets), never the writer endpoint unless a client needs it.
      expect(JSON.stringify(template(db, region).findResources('Custom::AWS'))).not.toContain('describeGlobalClusters');
    }
    // The CNAME never changes: its TTL is not part of the recovery estimate.
    expect(db.recoveryEstimate.explanation).not.toContain('CNAME');
  });
});

describe('AuroraGlobalFailover recovery estimate', () => {
  const MANUAL = 'Aurora global failover (manual): RTO budget 5 min 30 s, typical 2 min 30 s = manual start (operator time not counted) 0 s' +
    ' + pre-checks and API call 10 s [assumption] + Aurora promotion 5 min (typical 2 min) [assumption] + status poll interval 15 s' +
    ' + global writer endpoint DNS cache 5 s [assumption]';
  const UNBOUNDED = 'RPO unbounded (asynchronous storage replication; the lag alarm at 1000 ms warns but does not stop writes), typical 1 s';

  test('default: manual start; promotion is an assumption of 5 min (typical 2 min); RPO unbounded, typical 1 s', () => {
    const { db } = build();
    const e = db.recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(0);
    expect(e.rto.toSeconds()).toBe(330);
    expect(e.typicalRto.toSeconds()).toBe(150);
    expect(e.rpo).toBeUndefined();
    expect(e.rpoBounded).toBe(false);
    expect(e.typicalRpo.toSeconds()).toBe(1);
    expect(e.explanation).toBe(`${MANUAL}; ${UNBOUNDED}`);
    const promotion = e.propagationTerms.find((t) => t.label === 'Aurora promotion')!;
    expect(promotion.duration.toSeconds()).toBe(RecoveryModel.AURORA_PROMOTION.toSeconds());
    expect(promotion.typical?.toSeconds()).toBe(RecoveryModel.AURORA_PROMOTION_TYPICAL.toSeconds());
    expect({ ...promotion, duration: undefined, typical: undefined }).toEqual({
      label: 'Aurora promotion',
      duration: undefined,
      typical: undefined,
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS: "Typically, the chosen secondary cluster assumes the primary role within a few minutes", RTO "in the order of minutes"; no bound is published (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html)',
      setting: undefined, // an assumption override, not a lever: it changes what we count, not how fast Aurora promotes
    });
    expect(JSON.stringify(e)).not.toMatch(/about a minute/);
  });

  test.each([
    [Duration.minutes(3), 210, 150],
    [Duration.minutes(1), 90, 90],
  ])('recoveryAssumptions.auroraPromotion %s overrides the budget (typical stays at most 2 min)', (promotion, budget, typical) => {
    const { db } = build({ recoveryAssumptions: { auroraPromotion: promotion } });
    expect(db.recoveryEstimate.rto.toSeconds()).toBe(budget);
    expect(db.recoveryEstimate.typicalRto.toSeconds()).toBe(typical);
  });

  test('auto failover adds the replication-stalled alarm to detection; the poll interval is a setting', () => {
    const { db } = build({
      autoFailover: { evaluationPeriods: 3, primaryHealthAlarmArn: HEALTH_ALARM }, pollInterval: Duration.seconds(10), writerDnsRecord: DNS,
    });
    const e = db.recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(180);
    expect(e.rto.toSeconds()).toBe(180 + 10 + 300 + 10 + 5);
    expect(e.explanation).toBe(
      'Aurora global failover (automatic): RTO budget 8 min 25 s, typical 5 min 25 s = replication-stalled alarm (60 s × 3) 3 min' +
      ' + your primary-health alarm (in parallel, assumed no slower) 0 s [assumption] + pre-checks and API call 10 s [assumption]' +
      ' + Aurora promotion 5 min (typical 2 min) [assumption] + status poll interval 10 s + global writer endpoint DNS cache 5 s [assumption]; ' + UNBOUNDED);
  });

  test('recoveryObjectives.rpo without managedRpo fails synthesis: the RPO is unbounded', () => {
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'AuroraGlobalFailover: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: asynchronous storage replication; the lag alarm at 1000 ms warns but does not stop writes (typical 1 s); bound it with `managedRpo` (Aurora PostgreSQL, at least 20 s)');
    const mysql = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 });
    expect(() => build({ engine: mysql, recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'AuroraGlobalFailover: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: asynchronous storage replication; the lag alarm at 1000 ms warns but does not stop writes (typical 1 s); remove `recoveryObjectives.rpo`');
  });

  test('objectives are enforced against the budget with the settings to change', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(4) } })).toThrow(
      `AuroraGlobalFailover: \`recoveryObjectives.rto\` of 4 min cannot be met, the RTO budget is 5 min 30 s (${MANUAL}; ${UNBOUNDED}); ` +
      'no setting of this construct can meet it: pre-checks and API call + Aurora promotion + status poll interval at least 1 s + global writer endpoint DNS cache take 5 min 16 s whatever the settings; Aurora promotion alone takes 5 min');
    expect(() => build({ managedRpo: Duration.seconds(20), recoveryObjectives: { rpo: Duration.seconds(5) } }, 3)).toThrow(
      /`recoveryObjectives.rpo` of 5 s cannot be met, the RPO bound is 20 s .*; lower `managedRpo` \(Aurora PostgreSQL, at least 20 s\)$/);
    const honest = { rto: Duration.minutes(6), rpo: Duration.seconds(30) };
    expect(() => build({ managedRpo: Duration.seconds(30), recoveryObjectives: honest }, 3)).not.toThrow();
  });
});

describe('AuroraGlobalFailover cdk-nag', () => {
  test.each([
    ['Aurora PostgreSQL, 2 secondaries, managed RPO, DNS and auto failover', {
      writerDnsRecord: DNS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM }, writerCpuThreshold: 80, managedRpo: Duration.seconds(30),
    }, 3],
    ['Aurora MySQL', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) }, 2],
  ])('%s: no unsuppressed AwsSolutions errors in any stack', (_name, props, n) => {
    const { db } = build(props as Partial<AuroraGlobalFailoverProps>, n as number);
    for (const stack of db.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  /** Every cdk-nag suppression of `region`: "<logical id prefix> <rule> <appliesTo>". */
  function suppressions(props: Partial<AuroraGlobalFailoverProps>, n: number, region: string): string[] {
    const { db } = build(props, n);
    const resources = template(db, region).toJSON().Resources as Record<string, any>;
    return Object.entries(resources).flatMap(([id, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s: any) =>
      `${id.replace(/[0-9A-F]{8}$/, '')} ${s.id}${s.applies_to ? ` ${JSON.stringify(s.applies_to)}` : ''}`)).sort();
  }

  test('each suppression is on one resource, for one rule, with appliesTo for IAM5', () => {
    const pg = { writerDnsRecord: DNS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM }, managedRpo: Duration.seconds(30) };
    expect(suppressions(pg, 3, 'us-east-1')).toEqual([
      'AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-L1',
      'AWS679f53fac002430cb0da5b7982bd2287ServiceRole AwsSolutions-IAM4 ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]',
      'Cluster AwsSolutions-RDS11',
      'OrchestratorHandler AwsSolutions-L1',
      'OrchestratorHandlerRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*"]',
      'OrchestratorStateMachineRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*","Resource::<OrchestratorHandler317B6E79.Arn>:*"]',
      'Secret AwsSolutions-SMG4',
    ]);
    expect(suppressions(pg, 3, 'us-west-2')).toEqual([
      'AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-L1',
      'AWS679f53fac002430cb0da5b7982bd2287ServiceRole AwsSolutions-IAM4 ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]',
      'Cluster AwsSolutions-RDS11',
      'OrchestratorHandler AwsSolutions-L1',
      'OrchestratorHandlerRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*"]',
      'OrchestratorStateMachineRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*","Resource::<OrchestratorHandler317B6E79.Arn>:*"]',
      'SecretReplicaArnCustomResourcePolicy AwsSolutions-IAM5 ["Resource::*"]',
    ]);
    const mysql = { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) };
    expect(suppressions(mysql, 2, 'us-east-1').filter((s) => s.startsWith('Cluster'))).toEqual(['Cluster AwsSolutions-RDS11', 'Cluster AwsSolutions-RDS14']);
    expect(suppressions(mysql, 2, 'us-west-2').filter((s) => s.startsWith('Cluster'))).toEqual(['Cluster AwsSolutions-RDS11', 'Cluster AwsSolutions-RDS14']);
  });
});
