import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, build, definition, DNS, template } from './helpers';
import { RdsCrossRegionReplica } from '../../src/rds-cross-region-replica';
import { failureMessage } from '../util/errors';
import { synthErrors } from '../util/synth';

const PRIMARY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-us-east-1`;

describe('stacks', () => {
  test('one stack per region, named <prefix>-db-<region>; replicas deploy after the primary; no cross-region reference', () => {
    const { app, db } = build({}, 3);
    expect(db.stacks.map((s) => s.stackName)).toEqual(['orders-db-us-east-1', 'orders-db-us-west-2', 'orders-db-eu-west-1']);
    expect(db.stacks.map((s) => s.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(db.primaryRegion).toBe('us-east-1');
    expect(db.replicaRegions).toEqual(['us-west-2', 'eu-west-1']);
    for (const replica of db.stacks.slice(1)) {
      expect(replica.dependencies).toEqual([db.primaryStack]);
    }
    const assembly = app.synth();
    for (const stack of assembly.stacks) {
      const json = JSON.stringify(stack.template);
      expect(json).not.toContain('Fn::ImportValue');
      expect(Object.values(stack.template.Outputs ?? {}).some((o: any) => o.Export)).toBe(false);
    }
  });

  test('the stack name prefix can be set; a stack name clash is a synth error', () => {
    const { db } = build({ stackNamePrefix: 'shop' });
    expect(db.stacks.map((s) => s.stackName)).toEqual(['shop-db-us-east-1', 'shop-db-us-west-2']);
    const app = new App();
    new Stack(app, 'Clash', { stackName: 'orders-db-us-west-2', env: { account: ACCOUNT, region: 'us-west-2' } });
    new RdsCrossRegionReplica(app, 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], instanceIdentifier: 'orders' });
    expect(synthErrors(app).join('\n')).toContain('stack name orders-db-us-west-2 (111111111111/us-west-2) of Orders/us-west-2 is also the name of Clash');
  });
});

describe('primary instance', () => {
  test('Multi-AZ, gp3, encrypted with the region\'s key, automated backups, deletion protection, IAM auth, private', () => {
    const { db } = build();
    const t = template(db, 'us-east-1');
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceIdentifier: 'orders-us-east-1',
      Engine: 'postgres',
      EngineVersion: '17.5',
      DBInstanceClass: 'db.m6g.large',
      MultiAZ: true,
      StorageType: 'gp3',
      AllocatedStorage: '100',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      EnableIAMDatabaseAuthentication: true,
      PubliclyAccessible: false,
      CopyTagsToSnapshot: true,
      DBParameterGroupName: { Ref: Match.stringLikeRegexp('^Parameters') },
      DBSubnetGroupName: { Ref: Match.stringLikeRegexp('^SubnetGroup') },
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: 'orders-us-east-1' });
  });

  test('master password in Secrets Manager, replicated to every replica region', () => {
    const { db } = build({}, 3);
    const t = template(db, 'us-east-1');
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      ReplicaRegions: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }],
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"dbadmin"}' }),
    });
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MasterUsername: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])] },
    });
  });

  test('MySQL: its log exports and TLS parameter; engine, class, storage and Multi-AZ can be set', () => {
    const { db } = build({
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_42 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      allocatedStorage: 50,
      maxAllocatedStorage: 200,
      parameters: { max_connections: '500' },
    });
    const t = template(db, 'us-east-1');
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: '8.0.42',
      DBInstanceClass: 'db.t4g.medium',
      AllocatedStorage: '50',
      MaxAllocatedStorage: 200,
      EnableCloudwatchLogsExports: ['error', 'general', 'slowquery'],
    });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'mysql8.0', Parameters: { require_secure_transport: 'ON', max_connections: '500' },
    });
    template(db, 'us-west-2').hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.medium', MaxAllocatedStorage: 200 });
  });
});

describe('replicas', () => {
  test('an encrypted cross-region read replica: source ARN, source region, the destination region\'s own KMS key', () => {
    const { db } = build({}, 3);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      t.resourceCountIs('AWS::RDS::DBInstance', 1);
      t.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: `orders-${region}`,
        SourceDBInstanceIdentifier: PRIMARY_ARN,
        SourceRegion: 'us-east-1',
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        DBInstanceClass: 'db.m6g.large',
        MultiAZ: true,
        StorageType: 'gp3',
        PubliclyAccessible: false,
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        DBParameterGroupName: { Ref: Match.stringLikeRegexp('^Parameters') },
        DBSubnetGroupName: { Ref: Match.stringLikeRegexp('^SubnetGroup') },
        VPCSecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^InstanceSecurityGroup'), 'GroupId'] }],
        // Inherited from the source: CloudFormation says not to set them on a read replica.
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
        BackupRetentionPeriod: Match.absent(),
        StorageEncrypted: Match.absent(),
        DBName: Match.absent(),
      });
      t.hasResourceProperties('AWS::RDS::DBParameterGroup', { DBParameterGroupName: `orders-${region}`, Family: 'postgres17', Parameters: { 'rds.force_ssl': '1' } });
      t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: `orders-${region}` });
    }
  });

  test('replicas can be single-AZ; user parameters reach every region\'s parameter group', () => {
    const { db } = build({ replicaMultiAz: false, parameters: { work_mem: '65536' } });
    template(db, 'us-west-2').hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false });
    for (const region of ['us-east-1', 'us-west-2']) {
      template(db, region).hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1', 'work_mem': '65536' } });
    }
  });

  test('RemovalPolicy.DESTROY turns deletion protection off everywhere and deletes the instances', () => {
    const { db } = build({ removalPolicy: RemovalPolicy.DESTROY });
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtection: false }) });
      t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    }
  });
});

describe('alarms', () => {
  test('a ReplicaLag alarm and a replication-not-active alarm per replica, none in the primary', () => {
    const { db } = build({ replicaLagThreshold: Duration.seconds(45) }, 3);
    template(db, 'us-east-1').resourceCountIs('AWS::CloudWatch::Alarm', 0);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(db, region);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: 'ReplicaLag',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: `orders-${region}` }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 45,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ReplicaLag', Statistic: 'Minimum', Threshold: 0, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 5,
      });
      expect(db.regionalResources(region).alarms).toHaveLength(2);
    }
  });

  test('alarmTopicArns: each region\'s alarms also notify your topic of that region', () => {
    const topic = `arn:aws:sns:us-west-2:${ACCOUNT}:ops`;
    const { db } = build({ alarmTopicArns: { 'us-west-2': topic } });
    const alarms = template(db, 'us-west-2').findResources('AWS::CloudWatch::Alarm');
    for (const alarm of Object.values(alarms) as any[]) {
      expect(alarm.Properties.AlarmActions).toContainEqual(topic);
    }
  });
});

describe('promotion state machine', () => {
  test('every region has one, named <id>-promote-replica, whose Lambda may promote only that region\'s instance', () => {
    const { db } = build();
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-promote-replica' });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['rds:DescribeDBInstances', 'rds:PromoteReadReplica'],
            Resource: `arn:aws:rds:${region}:${ACCOUNT}:db:orders-${region}`,
          })]),
        },
      });
      const fn: any = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('promote') } }))[0];
      expect(JSON.parse(fn.Properties.Environment.Variables.PROMOTE_CONFIG['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'T')).join('')))
        .toMatchObject({ instanceIdentifier: `orders-${region}`, region, backupRetentionDays: 7, maxReplicaLagSeconds: 60 });
    }
  });

  test('flow: pre-check (retrying a replica that is not ready) → promote → poll until promoted → notify; refusals and failures are notified', () => {
    const { db } = build({ pollInterval: Duration.seconds(20), maxPollAttempts: 30 });
    const def = definition(db, 'us-west-2');
    expect(def.StartAt).toBe('ReadRequest');
    expect(def.States.ReadRequest.Next).toBe('CheckPreconditions');
    expect(def.States.CheckPreconditions.Retry).toContainEqual(expect.objectContaining({ ErrorEquals: ['ReplicaNotReady'], IntervalSeconds: 20, BackoffRate: 1 }));
    expect(def.States.CheckPreconditions.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'NotifyRefused' });
    expect(def.States.CheckPreconditions.Next).toBe('PromoteReadReplica');
    expect(def.States.PromoteReadReplica.Retry).toContainEqual(expect.objectContaining({ ErrorEquals: ['ReplicaNotReady'] }));
    expect(def.States.PromoteReadReplica.Catch[0]).toMatchObject({ Next: 'NotifyFailure' });
    expect(def.States.WaitForPromotion).toMatchObject({ Type: 'Wait', Seconds: 20, Next: 'CheckPromotionStatus' });
    expect(def.States.IsPromoted.Choices).toEqual([
      { Variable: '$.poll.done', BooleanEquals: true, Next: 'NotifySuccess' },
      { Variable: '$.poll.attempt', NumericGreaterThanEquals: 30, Next: 'NotifyStuck' },
    ]);
    expect(def.States.PromotionStuck).toMatchObject({ Type: 'Fail', Error: 'PromotionStuck' });
  });
});

describe('bad input (exact messages)', () => {
  test.each([
    ['one region', { regions: ['us-east-1'] }, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    ['seven regions', { regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'] },
      '`regions` allows at most 6 regions, got: 7'],
    ['MariaDB', { engine: rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_11 }) },
      '`engine` must be RDS for PostgreSQL or RDS for MySQL, got: mariadb'],
    ['an engine without a version', { engine: rds.DatabaseInstanceEngine.POSTGRES },
      '`engine` must name an engine version (every region\'s parameter group uses its family), got: postgres without a version'],
    ['no backups', { backupRetention: Duration.days(0) },
      '`backupRetention` must be 1 to 35 days: the primary is the source of read replicas, which needs automated backups (a retention period greater than 0), got: 0 days'],
    ['36 days of backups', { backupRetention: Duration.days(36) },
      '`backupRetention` must be 1 to 35 days: the primary is the source of read replicas, which needs automated backups (a retention period greater than 0), got: 36 days'],
    ['too little storage', { allocatedStorage: 10 }, '`allocatedStorage` must be an integer from 20 to 65536 GiB (gp3), got: 10'],
    ['an autoscaling ceiling not above the storage', { allocatedStorage: 100, maxAllocatedStorage: 100 },
      '`maxAllocatedStorage` must be an integer greater than `allocatedStorage` (100) and at most 65536 GiB, got: 100'],
    ['a bad identifier', { instanceIdentifier: '1orders' },
      '`instanceIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen (instances are named <instanceIdentifier>-<region>, at most 63 characters), got: 1orders'],
    ['a zero lag threshold', { replicaLagThreshold: Duration.seconds(0) },
      '`replicaLagThreshold` must be a whole number of seconds of at least 1 (ReplicaLag is reported in seconds), got: 0 s'],
    ['deletion protection with DESTROY', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true },
      '`deletionProtection` must be false when `removalPolicy` is RemovalPolicy.DESTROY (CloudFormation cannot delete a protected DB instance, so deleting the stacks would fail), got: true'],
    ['zero polls', { maxPollAttempts: 0 }, '`maxPollAttempts` must be an integer between 1 and 1000, got: 0'],
    ['a record at the zone apex', { writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com', recordName: 'example.com' } },
      '`writerDnsRecord.recordName` must be a name inside the hosted zone example.com, not the zone name itself (the writer records are CNAMEs, and a CNAME cannot be at the zone apex), got: example.com'],
    ['a record outside the zone', { writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com', recordName: 'db.example.org' } },
      '`writerDnsRecord.recordName` must be inside the hosted zone example.com, got: db.example.org'],
    ['a bad hosted zone id', { writerDnsRecord: { hostedZoneId: 'nope', recordName: 'writer.example.com' } },
      '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: nope'],
  ])('%s', (_what, props, message) => {
    expect(failureMessage(() => build(props as any))).toBe(message);
  });

  test('inside a Stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Outer');
    expect(failureMessage(() => new RdsCrossRegionReplica(stack, 'Db', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] })))
      .toBe('RdsCrossRegionReplica creates one Stack per region and must be created under an App or a Stage, not inside the Stack Outer');
  });

  test('an unknown region and a bad TTL are collected at synthesis, with every other error', () => {
    const { app } = build({ regions: ['us-east-1', 'us-west-9'], writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'writer.example.com', ttl: Duration.days(3) } });
    const errors = synthErrors(app).join('\n');
    expect(errors).toContain('`regions` holds us-west-9, which is not an AWS region');
    expect(errors).toContain('`writerDnsRecord.ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s');
  });

  test('regionalResources of a foreign region', () => {
    const { db } = build();
    expect(failureMessage(() => db.regionalResources('eu-west-1')))
      .toBe('`region` must be one of the regions of this construct (us-east-1, us-west-2), got: eu-west-1');
  });
});

describe('cdk synth --strict', () => {
  test('the documented configurations leave no warning in any stack', () => {
    const mysql = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_42 });
    for (const props of [{}, { writerDnsRecord: DNS }, { engine: mysql }]) {
      const { app } = build(props, 3);
      const warnings = app.synth().stacks
        .flatMap((s) => s.messages.filter((m) => m.level === 'warning').map((m) => `${m.id}: ${String(m.entry.data)}`));
      expect(warnings).toEqual([]);
    }
  });
});

describe('names and VPCs', () => {
  test('without instanceIdentifier: derived from writerDnsRecord, else from the path with a warning', () => {
    const app = new App();
    const named = new RdsCrossRegionReplica(app, 'Named', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'writer.db.example.com' },
    });
    expect(named.instanceIdentifier).toBe('writer-db-example-com');
    const fromPath = new RdsCrossRegionReplica(app, 'Path', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] });
    expect(fromPath.instanceIdentifier).toMatch(/^path-[a-z0-9]+$/);
    const warnings = fromPath.primaryStack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('Set `instanceIdentifier` to pin the name.'))).toBe(true);
  });

  test('vpcProvider: your VPC in every region, no VPC created', () => {
    const vpcs: string[] = [];
    const { db } = build({
      vpcProvider: {
        vpcForRegion: (scope, region) => {
          vpcs.push(region);
          return ec2.Vpc.fromVpcAttributes(scope, 'Mine', {
            vpcId: `vpc-${region}`, availabilityZones: ['a', 'b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'], isolatedSubnetRouteTableIds: ['rt-1', 'rt-2'],
          });
        },
      },
    });
    expect(vpcs).toEqual(['us-east-1', 'us-west-2']);
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::EC2::VPC', 0);
      t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: ['subnet-1', 'subnet-2'] });
    }
  });

  test('forEachRegion visits every region, primary first; instanceArnFor is deterministic', () => {
    const { db } = build({}, 3);
    const seen: string[] = [];
    db.forEachRegion({ visitRegion: (r) => seen.push(`${r.region}:${r.isPrimary}`) });
    expect(seen).toEqual(['us-east-1:true', 'us-west-2:false', 'eu-west-1:false']);
    expect(db.instanceArnFor('eu-west-1')).toBe(`arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-eu-west-1`);
    expect(db.regionalResources('us-west-2').instanceArn).toBe(`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders-us-west-2`);
    expect(db.regionalResources('us-west-2').port).toBe(5432);
  });
});
