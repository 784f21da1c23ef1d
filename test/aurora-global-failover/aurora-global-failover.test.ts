import { App, Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { ACCOUNT, build, definition, HEALTH_ALARM, REGIONS, template } from './helpers';
import { AuroraGlobalFailover, AuroraGlobalFailoverProps, AuroraGlobalSupport, IRegionalVpcProvider } from '../../src/aurora-global-failover';
import { REFUSAL_ERRORS } from '../../src/aurora-global-failover/orchestrator';

describe('AuroraGlobalFailover stacks and global cluster', () => {
  test('one stack per region with the deterministic names, secondaries depend on the primary', () => {
    const { db } = build({}, 3);
    expect(db.stacks.map((s) => s.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(db.stacks.map((s) => s.stackName)).toEqual(['orders-db-us-east-1', 'orders-db-us-west-2', 'orders-db-eu-west-1']);
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
      deletionProtection: false, backupRetention: Duration.days(14), removalPolicy: RemovalPolicy.SNAPSHOT, instancesPerRegion: 1,
    });
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: false });
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ DeletionProtection: false, BackupRetentionPeriod: 14 }),
        DeletionPolicy: 'Snapshot',
      });
      t.resourceCountIs('AWS::RDS::DBInstance', 1);
      t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    }
  });

  // CloudFormation cannot delete a cluster with deletion protection: DESTROY must come with deletionProtection false.
  test('removalPolicy DESTROY deletes everything: deletion protection defaults to false on the global cluster and every member', () => {
    const { db } = build({ removalPolicy: RemovalPolicy.DESTROY }, 3);
    template(db, 'us-east-1').hasResource('AWS::RDS::GlobalCluster', { Properties: Match.objectLike({ DeletionProtection: false }) });
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.hasResource('AWS::RDS::DBCluster', { Properties: Match.objectLike({ DeletionProtection: false }), DeletionPolicy: 'Delete' });
      t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
      for (const r of Object.values<any>(t.findResources('AWS::Logs::LogGroup'))) {
        expect(r.DeletionPolicy).toBe('Delete');
      }
    }
  });

  test('deletion protection stays on by default with the default removal policy, SNAPSHOT and RETAIN', () => {
    for (const removalPolicy of [undefined, RemovalPolicy.RETAIN, RemovalPolicy.SNAPSHOT]) {
      const { db } = build({ removalPolicy });
      template(db, 'us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: true });
      template(db, 'us-west-2').hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: true });
    }
  });

  // AWS: "In a global database with only two AWS Regions, we recommend keeping the rds.global_db_rpo parameter's
  // default value in the secondary Region's parameter group. Otherwise, performing a failover due to a loss of the
  // primary AWS Region could cause Aurora to pause transactions."
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery
  test('managed RPO with 2 regions: rds.global_db_rpo on the primary only, the secondary keeps the default, and a warning', () => {
    const { db } = build({ managedRpo: Duration.seconds(30) });
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '30' } });
    const t = template(db, 'us-west-2');
    t.resourceCountIs('AWS::RDS::DBClusterParameterGroup', 0);
    t.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: Match.absent() });
    expect(db.recoveryEstimate.rpo?.toSeconds()).toBe(30);
    expect(db.recoveryEstimate.rpoMechanism).toBe(
      'Aurora managed RPO (`rds.global_db_rpo`) on the primary us-east-1: commits block when no secondary is within 30 s; ' +
      'the only secondary keeps the default as AWS advises for two Regions, so the bound does not hold while us-west-2 is the primary');
    Annotations.fromStack(db.primaryStack).hasWarning('/Orders/us-east-1/Cluster', Match.stringLikeRegexp(
      '^`managedRpo` with 2 regions: commits on the primary block while the only secondary \\(us-west-2\\) lags more than 30 s or is unreachable'));
  });

  test('managed RPO with 3 regions: rds.global_db_rpo in every region, no warning', () => {
    const { db } = build({ managedRpo: Duration.seconds(30) }, 3);
    template(db, 'us-east-1').hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '30' } });
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql16', Parameters: { 'rds.global_db_rpo': '30' } });
      t.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^ClusterParameters') } });
    }
    expect(db.recoveryEstimate.rpoMechanism).toBe('Aurora managed RPO (`rds.global_db_rpo`) in every region: commits block when no secondary is within 30 s');
    Annotations.fromStack(db.primaryStack).hasNoWarning('*', Match.stringLikeRegexp('managedRpo'));
  });

  test('works under a Stage', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const db = new AuroraGlobalFailover(stage, 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] });
    expect(db.stacks).toHaveLength(2);
    expect(db.globalClusterIdentifier).toMatch(/^prod-orders-[0-9a-f]{8}$/);
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
    // No DNS step: the writer CNAME points at the global writer endpoint, which Aurora moves with the primary.
    expect(Object.keys(def.States).sort()).toEqual([
      'CheckGlobalClusterStatus', 'CheckPreconditions', 'ChooseOperation', 'Failed', 'GlobalClusterStuck', 'InitPoll',
      'IsOperationComplete', 'NotifyFailure', 'NotifyRefused', 'NotifyStuck', 'NotifySuccess', 'ReadRequest', 'Refused',
      'StartFailover', 'StartSwitchover', 'Succeeded', 'WaitForGlobalCluster',
    ]);
    expect(def.States.ChooseOperation.Choices).toEqual([{ Variable: '$.plan.mode', StringEquals: 'failover', Next: 'StartFailover' }]);
    expect(def.States.ChooseOperation.Default).toBe('StartSwitchover');
    expect(def.States.IsOperationComplete.Choices).toEqual([
      { Variable: '$.poll.done', BooleanEquals: true, Next: 'NotifySuccess' },
      { Variable: '$.poll.attempt', NumericGreaterThanEquals: 12, Next: 'NotifyStuck' },
    ]);
    expect(def.States.IsOperationComplete.Default).toBe('WaitForGlobalCluster');
    expect(def.States.WaitForGlobalCluster).toMatchObject({ Type: 'Wait', Seconds: 15, Next: 'CheckGlobalClusterStatus' });
    expect(def.States.GlobalClusterStuck).toEqual({
      Type: 'Fail', Error: 'GlobalClusterStuck', Cause: 'the target was not the writer with its cluster available after 12 polls every 15 seconds',
    });
    expect(def.States.Refused).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(def.States.CheckPreconditions.Catch[0]).toEqual({ ErrorEquals: REFUSAL_ERRORS, ResultPath: '$.error', Next: 'NotifyRefused' });
    for (const state of ['CheckPreconditions', 'StartSwitchover', 'StartFailover', 'CheckGlobalClusterStatus', 'NotifySuccess']) {
      expect(def.States[state].Retry).toContainEqual({
        ErrorEquals: ['Throttling', 'Lambda.TooManyRequestsException'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL',
      });
    }
    for (const state of ['StartSwitchover', 'StartFailover', 'CheckGlobalClusterStatus']) {
      expect(def.States[state].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }]);
    }
    expect(def.States.StartFailover.Parameters).toMatchObject({ 'action': 'start', 'plan.$': '$.plan' });
  });

  test('least privilege: rds actions only on the global cluster and member cluster ARNs, never "*"; no Route 53 access', () => {
    const { db } = build({ writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' } }, 3);
    const members = ['us-east-1', 'us-west-2', 'eu-west-1'].map((r) => `arn:aws:rds:${r}:${ACCOUNT}:cluster:orders-${r}`);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const t = template(db, region);
      const statements = Object.entries(t.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('Orchestrator'))
        .flatMap(([, p]: [string, any]) => p.Properties.PolicyDocument.Statement);
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
      expect(JSON.stringify(statements)).not.toMatch(/route53:/);
      expect(statements).toContainEqual(expect.objectContaining({ Sid: 'Notify', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^AlarmTopic/) } }));
    }
  });

  test('the handler gets its configuration: cluster ARNs per region, topic, lag limit (no DNS)', () => {
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
    });
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
    ['auto failover to the primary', { autoFailover: { targetRegion: 'us-east-1', primaryHealthAlarmArn: HEALTH_ALARM } },
      '`autoFailover.targetRegion` must be one of the secondary regions (us-west-2), got: us-east-1'],
    ['auto failover periods', { autoFailover: { evaluationPeriods: 0, primaryHealthAlarmArn: HEALTH_ALARM } },
      '`autoFailover.evaluationPeriods` must be an integer between 1 and 60, got: 0'],
    ['auto failover without a primary-health alarm', { autoFailover: {} as any },
      '`autoFailover.primaryHealthAlarmArn` must be the ARN of a CloudWatch alarm of account 111111111111 in the target region us-west-2 (an independent "primary is down" signal that still works when the primary region is gone), got: undefined'],
    ['auto failover with a primary-health alarm in the primary region', { autoFailover: { primaryHealthAlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:x` } },
      `\`autoFailover.primaryHealthAlarmArn\` must be the ARN of a CloudWatch alarm of account 111111111111 in the target region us-west-2 (an independent "primary is down" signal that still works when the primary region is gone), got: arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:x`],
    ['auto failover with a primary-health alarm of another account', { autoFailover: { primaryHealthAlarmArn: 'arn:aws:cloudwatch:us-west-2:222222222222:alarm:x' } },
      '`autoFailover.primaryHealthAlarmArn` must be the ARN of a CloudWatch alarm of account 111111111111 in the target region us-west-2 (an independent "primary is down" signal that still works when the primary region is gone), got: arn:aws:cloudwatch:us-west-2:222222222222:alarm:x'],
    ['DESTROY with deletion protection', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true },
      '`deletionProtection` must be false when `removalPolicy` is RemovalPolicy.DESTROY (CloudFormation cannot delete a protected cluster, so deleting the stacks would fail), got: true'],
    ['managed RPO of 2 regions on MySQL is still refused first', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }), managedRpo: Duration.seconds(20) },
      '`managedRpo` is only supported by Aurora PostgreSQL, got engine: aurora-mysql'],
    ['poll attempts', { maxPollAttempts: 0 }, '`maxPollAttempts` must be an integer between 1 and 1000, got: 0'],
    ['poll interval', { pollInterval: Duration.seconds(0) }, '`pollInterval` must be greater than 0 s, got: 0 s'],
    ['backup retention', { backupRetention: Duration.days(40) }, '`backupRetention` must be an integer between 1 and 35, got: 40'],
    ['cpu threshold', { writerCpuThreshold: 150 }, '`writerCpuThreshold` must be a percentage above 0 and at most 100, got: 150'],
    ['connections threshold', { writerConnectionsThreshold: 0 }, '`writerConnectionsThreshold` must be greater than 0, got: 0'],
    ['dns zone id', { writerDnsRecord: { hostedZoneId: 'abc', recordName: 'w.example.com' } },
      '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: abc'],
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
