import { App, Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraGlobalFailover, AuroraGlobalFailoverProps, AuroraGlobalSupport, IRegionalVpcProvider } from '../../src/aurora-global-failover';
import { REFUSAL_ERRORS } from '../../src/aurora-global-failover/orchestrator';
import { nagErrors } from '../util/nag';

const ACCOUNT = '111111111111';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];

function build(props: Partial<AuroraGlobalFailoverProps> = {}, n = 2) {
  const app = new App();
  const db = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: REGIONS.slice(0, n), globalClusterIdentifier: 'orders', ...props });
  return { app, db };
}

function template(db: AuroraGlobalFailover, region: string): Template {
  return Template.fromStack(db.regionalResources(region).stack);
}

/** The state machine definition of `region`, with tokens replaced by "<T>". */
function definition(db: AuroraGlobalFailover, region: string): any {
  const t = template(db, region);
  const sm: any = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0];
  const def = sm.Properties.DefinitionString;
  const parts: unknown[] = def['Fn::Join'] ? def['Fn::Join'][1] : [def];
  return JSON.parse(parts.map((x) => (typeof x === 'string' ? x : '"<T>"')).join('').replace(/""<T>""/g, '"<T>"'));
}

describe('AuroraGlobalFailover stacks and global cluster', () => {
  test('one stack per region with the deterministic names, secondaries depend on the primary', () => {
    const { db } = build({}, 3);
    expect(db.stacks.map((s) => s.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(db.stacks.map((s) => s.stackName)).toEqual(['orders-us-east-1', 'orders-us-west-2', 'orders-eu-west-1']);
    expect(db.primaryStack).toBe(db.stacks[0]);
    expect(db.secondaryRegions).toEqual(['us-west-2', 'eu-west-1']);
    for (const s of db.stacks.slice(1)) {
      expect(s.dependencies).toEqual([db.primaryStack]);
    }
  });

  test('the global cluster is created empty from the engine; the primary joins it by Ref (created after it)', () => {
    const { db } = build();
    const t = template(db, 'us-east-1');
    t.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    t.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'orders',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.9',
      StorageEncrypted: true,
      DeletionProtection: true,
      SourceDBClusterIdentifier: Match.absent(),
    });
    const globalId = Object.keys(t.findResources('AWS::RDS::GlobalCluster'))[0];
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'orders-us-east-1',
      GlobalClusterIdentifier: { Ref: globalId },
      Engine: 'aurora-postgresql',
      EngineVersion: '16.9',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      MasterUsername: Match.anyValue(),
      MasterUserPassword: Match.anyValue(),
    });
    // Writer + 1 reader by default.
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PubliclyAccessible: false });
    expect(db.globalClusterIdentifier).toBe('orders');
    expect(Stack.of(db.globalCluster)).toBe(db.primaryStack);
  });

  test('globalWriterEndpoint is the GlobalEndpoint.Address attribute', () => {
    const { db } = build();
    expect(db.primaryStack.resolve(db.globalWriterEndpoint)).toEqual({
      'Fn::GetAtt': [db.primaryStack.getLogicalId(db.globalCluster), 'GlobalEndpoint.Address'],
    });
  });

  test('secondaries: CfnDBCluster member by name, no master credentials, own KMS key, subnet group and instances', () => {
    const { db } = build({}, 3);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      t.resourceCountIs('AWS::RDS::DBCluster', 1);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.resourceCountIs('AWS::RDS::DBSubnetGroup', 1);
      t.resourceCountIs('AWS::RDS::DBInstance', 2);
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      t.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: `orders-${region}`,
        GlobalClusterIdentifier: 'orders',
        Engine: 'aurora-postgresql',
        EngineVersion: '16.9',
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        DBSubnetGroupName: { Ref: Match.stringLikeRegexp('^SubnetGroup') },
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
        ManageMasterUserPassword: Match.absent(),
      });
      t.hasResourceProperties('AWS::RDS::DBInstance', {
        DBClusterIdentifier: { Ref: Match.stringLikeRegexp('^Cluster') },
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      });
      // No cross-region references: nothing imported from another stack.
      expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader/);
      expect(db.regionalResources(region).cfnCluster.globalClusterIdentifier).toBe('orders');
    }
    expect(db.regionalResources('us-west-2').encryptionKey).not.toBe(db.regionalResources('us-east-1').encryptionKey);
  });

  test('default VPC per region: isolated subnets only, no NAT gateway, AZs resolved at deploy time', () => {
    const { db } = build();
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::EC2::VPC', 1);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.resourceCountIs('AWS::EC2::InternetGateway', 0);
      t.resourceCountIs('AWS::EC2::Subnet', 2);
      t.resourceCountIs('AWS::EC2::FlowLog', 1);
      t.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } });
    }
  });

  test('bring your own VPC: the provider is called inside each regional stack', () => {
    const calls: string[] = [];
    const provider: IRegionalVpcProvider = {
      vpcForRegion(scope: Construct, region: string) {
        calls.push(`${Stack.of(scope).region}:${region}`);
        return new ec2.Vpc(scope, 'MyVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      },
    };
    const { db } = build({ vpcProvider: provider });
    expect(calls).toEqual(['us-east-1:us-east-1', 'us-west-2:us-west-2']);
    template(db, 'us-west-2').resourceCountIs('AWS::EC2::FlowLog', 0);
    expect(db.regionalResources('us-west-2').vpc.node.id).toBe('MyVpc');
  });

  test('the master secret is replicated to every secondary region', () => {
    const { db } = build({}, 3);
    template(db, 'us-east-1').hasResourceProperties('AWS::SecretsManager::Secret', {
      ReplicaRegions: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }],
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"clusteradmin"}' }),
    });
  });

  test('Aurora MySQL: engine, log exports, no RPO lag alarm', () => {
    const { db } = build({ engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) });
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { Engine: 'aurora-mysql', EngineVersion: '8.0.mysql_aurora.3.08.2' });
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.08.2',
      EnableCloudwatchLogsExports: ['error', 'general', 'slowquery', 'audit'],
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag' });
  });

  test('deletion protection, backup retention, removal policy and instances are configurable', () => {
    const { db } = build({
      deletionProtection: false, backupRetention: Duration.days(14), removalPolicy: RemovalPolicy.DESTROY, instancesPerRegion: 1,
    });
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: false });
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ DeletionProtection: false, BackupRetentionPeriod: 14 }),
        DeletionPolicy: 'Delete',
      });
      t.resourceCountIs('AWS::RDS::DBInstance', 1);
      t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    }
  });

  test('managed RPO sets rds.global_db_rpo in every region', () => {
    const { db } = build({ managedRpo: Duration.seconds(30) });
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '30' } });
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql16', Parameters: { 'rds.global_db_rpo': '30' } });
    t.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^ClusterParameters') } });
    expect(db.recoveryEstimate.rpo.toSeconds()).toBe(30);
  });

  test('works under a Stage', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const db = new AuroraGlobalFailover(stage, 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] });
    expect(db.stacks).toHaveLength(2);
    expect(db.globalClusterIdentifier).toMatch(/^prod-orders-[0-9a-f]{8}$/);
  });
});

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

  test('auto failover: an alarm and an EventBridge rule in the target region only, starting a failover to it', () => {
    const { db } = build({ autoFailover: { evaluationPeriods: 3 } }, 3);
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuroraGlobalDBReplicationLag', Threshold: 60000, EvaluationPeriods: 3, TreatMissingData: 'breaching',
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { state: { value: ['ALARM'] } } },
      Targets: [Match.objectLike({ Input: '{"mode":"failover","targetRegion":"us-west-2"}' })],
    });
    template(db, 'eu-west-1').resourceCountIs('AWS::Events::Rule', 0);
    template(db, 'us-east-1').resourceCountIs('AWS::Events::Rule', 0);
    expect(db.recoveryEstimate.detection.toSeconds()).toBe(180);
  });
});

describe('AuroraGlobalFailover orchestrator', () => {
  test('a state machine with a deterministic name in every region', () => {
    const { db } = build({}, 3);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      template(db, region).hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'orders-failover',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      });
    }
  });

  test('definition: pre-checks, switchover/failover, poll loop with GlobalClusterStuck, notifications, retries', () => {
    const { db } = build({ writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' }, maxPollAttempts: 12 });
    const def = definition(db, 'us-west-2');
    expect(def.StartAt).toBe('ReadRequest');
    expect(Object.keys(def.States).sort()).toEqual([
      'CheckGlobalClusterStatus', 'CheckPreconditions', 'ChooseOperation', 'DnsUpdateFailed', 'Failed', 'GlobalClusterStuck', 'InitPoll',
      'IsOperationComplete', 'NotifyDnsFailure', 'NotifyFailure', 'NotifyRefused', 'NotifyStuck', 'NotifySuccess', 'ReadRequest', 'Refused',
      'StartFailover', 'StartSwitchover', 'Succeeded', 'UpdateDnsRecord', 'WaitForGlobalCluster',
    ]);
    expect(def.States.ChooseOperation.Choices).toEqual([{ Variable: '$.plan.mode', StringEquals: 'failover', Next: 'StartFailover' }]);
    expect(def.States.ChooseOperation.Default).toBe('StartSwitchover');
    expect(def.States.IsOperationComplete.Choices).toEqual([
      { Variable: '$.poll.done', BooleanEquals: true, Next: 'UpdateDnsRecord' },
      { Variable: '$.poll.attempt', NumericGreaterThanEquals: 12, Next: 'NotifyStuck' },
    ]);
    expect(def.States.IsOperationComplete.Default).toBe('WaitForGlobalCluster');
    expect(def.States.WaitForGlobalCluster).toMatchObject({ Type: 'Wait', Seconds: 15, Next: 'CheckGlobalClusterStatus' });
    expect(def.States.GlobalClusterStuck).toMatchObject({ Type: 'Fail', Error: 'GlobalClusterStuck' });
    expect(def.States.Refused).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(def.States.CheckPreconditions.Catch[0]).toEqual({ ErrorEquals: REFUSAL_ERRORS, ResultPath: '$.error', Next: 'NotifyRefused' });
    expect(def.States.UpdateDnsRecord.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'NotifyDnsFailure' });
    expect(def.States.NotifyDnsFailure.Next).toBe('DnsUpdateFailed');
    for (const state of ['CheckPreconditions', 'StartSwitchover', 'StartFailover', 'CheckGlobalClusterStatus', 'UpdateDnsRecord', 'NotifySuccess']) {
      expect(def.States[state].Retry).toContainEqual({
        ErrorEquals: ['Throttling', 'Lambda.TooManyRequestsException'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL',
      });
    }
    for (const state of ['StartSwitchover', 'StartFailover', 'CheckGlobalClusterStatus']) {
      expect(def.States[state].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }]);
    }
    expect(def.States.StartFailover.Parameters).toMatchObject({ 'action': 'start', 'plan.$': '$.plan' });
  });

  test('without a DNS record the flow goes straight to the notification', () => {
    const { db } = build();
    const def = definition(db, 'us-east-1');
    expect(def.States.UpdateDnsRecord).toBeUndefined();
    expect(def.States.IsOperationComplete.Choices[0].Next).toBe('NotifySuccess');
  });

  test('least privilege: rds actions only on the global cluster and member cluster ARNs, never "*"', () => {
    const { db } = build({ writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' } }, 3);
    const members = ['us-east-1', 'us-west-2', 'eu-west-1'].map((r) => `arn:aws:rds:${r}:${ACCOUNT}:cluster:orders-${r}`);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const t = template(db, region);
      const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      const rdsStatements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('rds:')));
      expect(rdsStatements).toEqual([
        {
          Sid: 'GlobalClusterOperations',
          Effect: 'Allow',
          Action: ['rds:DescribeGlobalClusters', 'rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
          Resource: [`arn:aws:rds::${ACCOUNT}:global-cluster:orders`, ...members],
        },
        { Sid: 'MemberClusters', Effect: 'Allow', Action: 'rds:DescribeDBClusters', Resource: members },
      ]);
      for (const s of statements) {
        if ([s.Resource].flat().includes('*')) {
          expect([s.Action].flat().every((a: string) => !a.startsWith('rds:') && !a.startsWith('route53:') && !a.startsWith('sns:'))).toBe(true);
        }
      }
      expect(statements).toContainEqual({
        Sid: 'OwnExecutions',
        Effect: 'Allow',
        Action: 'states:ListExecutions',
        Resource: `arn:aws:states:${region}:${ACCOUNT}:stateMachine:orders-failover`,
      });
      expect(statements).toContainEqual(expect.objectContaining({
        Sid: 'WriterCname',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: 'arn:aws:route53:::hostedzone/Z0123456789ABC',
        Condition: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['writer.db.example.com'],
            'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          },
        },
      }));
      expect(statements).toContainEqual(expect.objectContaining({ Sid: 'Notify', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^AlarmTopic/) } }));
    }
  });

  test('the handler gets its configuration: cluster ARNs per region, topic, lag limit, DNS', () => {
    const { db } = build({ replicationLagThreshold: Duration.millis(800), writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com.', ttl: Duration.seconds(10) } });
    const t = template(db, 'us-west-2');
    const fn: any = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: 'src/aurora-global-failover/orchestrator.lambda.ts' } }))[0];
    const raw = fn.Properties.Environment.Variables.ORCHESTRATOR_CONFIG;
    const text = raw['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : 'TOPIC')).join('');
    expect(JSON.parse(text)).toEqual({
      globalClusterIdentifier: 'orders',
      region: 'us-west-2',
      clusterArns: { 'us-east-1': `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-us-east-1`, 'us-west-2': `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-us-west-2` },
      topicArn: 'TOPIC',
      maxReplicationLagMs: 800,
      dns: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com', ttl: 10 },
    });
  });
});

describe('AuroraGlobalFailover cdk-nag', () => {
  test.each([
    ['Aurora PostgreSQL, 2 secondaries, DNS and auto failover', {
      writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' }, autoFailover: {}, writerCpuThreshold: 80,
    }, 3],
    ['Aurora MySQL', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) }, 2],
  ])('%s: no unsuppressed AwsSolutions errors in any stack', (_name, props, n) => {
    const { db } = build(props as Partial<AuroraGlobalFailoverProps>, n as number);
    for (const stack of db.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });
});

describe('AuroraGlobalFailover recovery estimate', () => {
  test('default: manual start, promotion + pre-checks + poll interval; RPO = lag threshold', () => {
    const { db } = build();
    expect(db.recoveryEstimate.detection.toSeconds()).toBe(0);
    expect(db.recoveryEstimate.rto.toSeconds()).toBe(85);
    expect(db.recoveryEstimate.rpo.toMilliseconds()).toBe(1000);
    expect(db.recoveryEstimate.explanation).toBe(
      'Aurora global failover (manual; RPO = replication lag alarm threshold (alarmed, not enforced)): RTO 85 s = manual start (operator time not counted) 0 s + pre-checks and API call 10 s + Aurora promotion 60 s + status poll interval 15 s; RPO 1 s');
  });

  test('auto failover and DNS add detection and TTL', () => {
    const { db } = build({ autoFailover: {}, pollInterval: Duration.seconds(10), writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'w.example.com', ttl: Duration.seconds(20) } });
    expect(db.recoveryEstimate.rto.toSeconds()).toBe(300 + 10 + 60 + 10 + 20);
  });

  test('objectives are enforced with the settings to change', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(60) } })).toThrow(
      'AuroraGlobalFailover: `recoveryObjectives.rto` of 60 s cannot be met, the estimated RTO is 85 s (Aurora global failover (manual; RPO = replication lag alarm threshold (alarmed, not enforced)): RTO 85 s = manual start (operator time not counted) 0 s + pre-checks and API call 10 s + Aurora promotion 60 s + status poll interval 15 s; RPO 1 s); lower `autoFailover.evaluationPeriods`, `pollInterval`, `writerDnsRecord.ttl`');
    expect(() => build({ managedRpo: Duration.seconds(20), recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      /`recoveryObjectives.rpo` of 5 s cannot be met, the estimated RPO is 20 s .*; lower `managedRpo`, `replicationLagThreshold`$/);
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(90), rpo: Duration.seconds(1) } })).not.toThrow();
  });
});

describe('AuroraGlobalFailover bad input', () => {
  test.each<[string, Partial<AuroraGlobalFailoverProps>, string]>([
    ['no secondary', { regions: ['us-east-1'] }, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    ['more than 5 secondaries', { regions: REGIONS }, '`regions` allows at most 6 regions, got: 7'],
    ['same region twice', { regions: ['us-east-1', 'us-west-2', 'us-east-1'] }, '`regions` must not repeat a region, got us-east-1 twice'],
    ['bad account', { account: '123' }, '`account` must be a 12-digit AWS account id, got: 123'],
    ['non-Aurora engine', { engine: rds.DatabaseClusterEngine.aurora({ version: rds.AuroraEngineVersion.VER_1_22_2 }) },
      '`engine` must be Aurora PostgreSQL or Aurora MySQL (the engines of Aurora global databases), got: aurora'],
    ['engine without a version', { engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL },
      '`engine` must name an engine version (every member of a global database runs the same version), got: aurora-postgresql without a version'],
    ['unsupported PostgreSQL major', { engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_9 }) },
      '`engine` version must be a major version that supports Aurora global databases (aurora-postgresql: 13, 14, 15, 16, 17), got: 11.9'],
    ['Aurora MySQL 2', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_11_2 }) },
      '`engine` version must be a major version that supports Aurora global databases (aurora-mysql: 8.0), got: 5.7.mysql_aurora.2.11.2'],
    ['burstable t4g', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) },
      '`instanceType` must be a memory-optimized class supported by Aurora global databases (r5, r6g, r6gd, r6i, r6id, r7g, r7i, r8g, r8gd, x2g), got: t4g.medium'],
    ['burstable t3', { instanceType: new ec2.InstanceType('t3.medium') },
      '`instanceType` must be a memory-optimized class supported by Aurora global databases (r5, r6g, r6gd, r6i, r6id, r7g, r7i, r8g, r8gd, x2g), got: t3.medium'],
    ['lag threshold 0', { replicationLagThreshold: Duration.millis(0) }, '`replicationLagThreshold` must be greater than 0 ms, got: 0 ms'],
    ['zero instances', { instancesPerRegion: 0 }, '`instancesPerRegion` must be an integer between 1 and 16, got: 0'],
    ['bad identifier', { globalClusterIdentifier: '1orders' },
      '`globalClusterIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: 1orders'],
    ['double hyphen identifier', { globalClusterIdentifier: 'a--b' },
      '`globalClusterIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: a--b'],
    ['managed RPO on MySQL', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }), managedRpo: Duration.seconds(30) },
      '`managedRpo` is only supported by Aurora PostgreSQL, got engine: aurora-mysql'],
    ['managed RPO below 20 s', { managedRpo: Duration.seconds(5) }, '`managedRpo` must be a whole number of seconds of at least 20, got: 5 s'],
    ['auto failover to the primary', { autoFailover: { targetRegion: 'us-east-1' } },
      '`autoFailover.targetRegion` must be one of the secondary regions (us-west-2), got: us-east-1'],
    ['auto failover periods', { autoFailover: { evaluationPeriods: 0 } }, '`autoFailover.evaluationPeriods` must be an integer between 1 and 60, got: 0'],
    ['poll attempts', { maxPollAttempts: 0 }, '`maxPollAttempts` must be an integer between 1 and 1000, got: 0'],
    ['poll interval', { pollInterval: Duration.seconds(0) }, '`pollInterval` must be greater than 0 s, got: 0 s'],
    ['backup retention', { backupRetention: Duration.days(40) }, '`backupRetention` must be an integer between 1 and 35, got: 40'],
    ['cpu threshold', { writerCpuThreshold: 150 }, '`writerCpuThreshold` must be a percentage above 0 and at most 100, got: 150'],
    ['connections threshold', { writerConnectionsThreshold: 0 }, '`writerConnectionsThreshold` must be greater than 0, got: 0'],
    ['dns zone id', { writerDnsRecord: { hostedZoneId: 'abc', recordName: 'w.example.com' } },
      '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: abc'],
    ['dns name', { writerDnsRecord: { hostedZoneId: 'Z0123', recordName: 'not a name' } },
      '`writerDnsRecord.recordName` must be a concrete fully qualified domain name, got: not a name'],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('inside a Stack', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(() => new AuroraGlobalFailover(stack, 'Db', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] })).toThrow(
      'AuroraGlobalFailover creates one Stack per region and must be created under an App or a Stage, not inside the Stack S');
  });

  test('unknown region in regionalResources', () => {
    const { db } = build();
    expect(() => db.regionalResources('eu-west-3')).toThrow(
      '`region` must be one of the regions of this global database (us-east-1, us-west-2), got: eu-west-3');
  });

  test('the allow-lists are public', () => {
    expect(AuroraGlobalSupport.POSTGRES_MAJOR_VERSIONS).toContain('16');
    expect(AuroraGlobalSupport.INSTANCE_CLASSES).not.toContain('t4g');
  });
});
