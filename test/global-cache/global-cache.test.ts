import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCOUNT, build, definition, REGIONS, template } from './helpers';
import { IRegionalVpcProvider } from '../../src/aurora-global-failover';
import { GlobalCacheAuth, GlobalCacheEngine } from '../../src/global-cache';
import { PROMOTE_REFUSALS } from '../../src/global-cache/promote-core';

const SECONDARY_PARAM = (region: string) => `/cdk-multi-region-failover/cache/sessions/${region}/global-replication-group-id`;

/** The CloudFormation parameter (type AWS::SSM::Parameter::Value<String>) a secondary stack reads the global id from. */
function globalIdParameter(t: Template, region: string): string {
  const params = t.toJSON().Parameters ?? {};
  const entry = Object.entries(params).find(([, p]: [string, any]) => p.Default === SECONDARY_PARAM(region));
  expect(entry).toBeDefined();
  expect((entry![1] as any).Type).toBe('AWS::SSM::Parameter::Value<String>');
  return entry![0];
}

describe('GlobalCache stacks and global datastore', () => {
  test('one stack per region with deterministic names; secondaries depend on the primary (ordering, no reference)', () => {
    const { cache } = build({}, 3);
    expect(cache.stacks.map((s) => s.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(cache.stacks.map((s) => s.stackName)).toEqual(['sessions-cache-us-east-1', 'sessions-cache-us-west-2', 'sessions-cache-eu-west-1']);
    expect(cache.primaryRegion).toBe('us-east-1');
    expect(cache.secondaryRegions).toEqual(['us-west-2', 'eu-west-1']);
    for (const s of cache.stacks.slice(1)) {
      expect(s.dependencies).toEqual([cache.primaryStack]);
      // No CloudFormation import of another stack's export.
      expect(JSON.stringify(Template.fromStack(s).toJSON())).not.toContain('Fn::ImportValue');
    }
    expect(Stack.of(cache.globalDatastore)).toBe(cache.primaryStack);
  });

  test('the primary: Valkey 8.0 on cache.r7g.large, TLS, its region\'s KMS key, Multi-AZ with automatic failover, AUTH token, port 6380', () => {
    const { cache } = build();
    const t = template(cache, 'us-east-1');
    t.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    t.hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Snapshot',
      Properties: {
        ReplicationGroupId: 'sessions-us-east-1',
        Engine: 'valkey',
        EngineVersion: '8.0',
        CacheNodeType: 'cache.r7g.large',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^AuthToken') }, ':SecretString:::}}']] },
        Port: 6380,
        SnapshotRetentionLimit: 1,
        CacheSubnetGroupName: { Ref: Match.stringLikeRegexp('^CacheSubnetGroup') },
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheSecurityGroup'), 'GroupId'] }],
        ClusterMode: Match.absent(),
        NumNodeGroups: Match.absent(),
        UserGroupIds: Match.absent(),
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the global datastore: suffix = cacheName, its only member the primary (by Ref, so created after it)', () => {
    const { cache } = build({}, 3);
    const t = template(cache, 'us-east-1');
    t.resourceCountIs('AWS::ElastiCache::GlobalReplicationGroup', 1);
    t.hasResourceProperties('AWS::ElastiCache::GlobalReplicationGroup', {
      GlobalReplicationGroupIdSuffix: 'sessions',
      Members: [{ ReplicationGroupId: { Ref: 'ReplicationGroup' }, ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }],
    });
    expect(cache.stacks[0].resolve(cache.globalReplicationGroupId)).toEqual({ 'Fn::GetAtt': ['GlobalDatastore', 'GlobalReplicationGroupId'] });
  });

  test('secondaries join by the global id read from their own SSM parameter; they pass none of the inherited settings', () => {
    const { cache } = build({}, 3);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(cache, region);
      const param = globalIdParameter(t, region);
      t.resourceCountIs('AWS::ElastiCache::GlobalReplicationGroup', 0);
      t.hasResource('AWS::ElastiCache::ReplicationGroup', {
        DeletionPolicy: 'Delete',
        Properties: {
          ReplicationGroupId: `sessions-${region}`,
          GlobalReplicationGroupId: { Ref: param },
          NumCacheClusters: 2,
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
          // The region's replica of the secret, by name (a replica has the primary's name).
          AuthToken: '{{resolve:secretsmanager:cdk-multi-region-failover/sessions/auth-token:SecretString:::}}',
          Port: 6380,
          // AWS: "Do not pass in values for these parameters" (inferred from the primary).
          Engine: Match.absent(),
          EngineVersion: Match.absent(),
          CacheNodeType: Match.absent(),
          CacheParameterGroupName: Match.absent(),
          NumNodeGroups: Match.absent(),
          AutomaticFailoverEnabled: Match.absent(),
          MultiAZEnabled: Match.absent(),
          TransitEncryptionEnabled: Match.absent(),
          AtRestEncryptionEnabled: Match.absent(),
          PrimaryClusterId: Match.absent(),
        },
      });
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    }
  });

  test('the primary stack writes the global id into an SSM parameter of each secondary region, and deletes it on delete', () => {
    const { cache } = build({}, 3);
    const t = template(cache, 'us-east-1');
    const writers = t.findResources('Custom::AWS');
    expect(Object.keys(writers)).toHaveLength(2);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const [, writer]: [string, any] = Object.entries(writers).find(([, r]: [string, any]) => JSON.stringify(r.Properties.Create).includes(`"region\\":\\"${region}\\"`))!;
      const create = JSON.stringify(writer.Properties.Create);
      expect(create).toContain('\\"action\\":\\"putParameter\\"');
      expect(create).toContain(`\\"Name\\":\\"${SECONDARY_PARAM(region)}\\"`);
      expect(create).toContain('GlobalReplicationGroupId');
      expect(JSON.stringify(writer.Properties.Delete)).toContain('\\"action\\":\\"deleteParameter\\"');
    }
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['ssm:PutParameter', 'ssm:DeleteParameter'],
          Effect: 'Allow',
          Resource: `arn:aws:ssm:us-west-2:${ACCOUNT}:parameter${SECONDARY_PARAM('us-west-2')}`,
        }],
      },
    });
  });

  test('the AUTH token: 64 letters and digits in a secret of the primary region, replicated to every secondary region', () => {
    const { cache } = build({}, 3);
    const t = template(cache, 'us-east-1');
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'cdk-multi-region-failover/sessions/auth-token',
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      ReplicaRegions: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }],
      KmsKeyId: Match.absent(),
    });
    expect(cache.authSecret).toBeDefined();
    expect(cache.regionalResources('eu-west-1').authSecretName).toBe('cdk-multi-region-failover/sessions/auth-token');
  });

  test('RBAC: every member gets the user group, no AUTH token and no secret', () => {
    const { cache } = build({ auth: GlobalCacheAuth.userGroup('app-users') }, 3);
    for (const region of REGIONS.slice(0, 3)) {
      const t = template(cache, region);
      t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { UserGroupIds: ['app-users'], AuthToken: Match.absent() });
      t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    }
    expect(cache.authSecret).toBeUndefined();
  });

  test('cluster mode: shards and replicas per shard on the primary with the cluster-on default parameter group; secondaries set replicas only', () => {
    const { cache } = build({ shards: 3, replicasPerShard: 2 });
    template(cache, 'us-east-1').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 2,
      CacheParameterGroupName: 'default.valkey8.cluster.on',
      NumCacheClusters: Match.absent(),
    });
    template(cache, 'us-west-2').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicasPerNodeGroup: 2,
      NumNodeGroups: Match.absent(),
      NumCacheClusters: Match.absent(),
    });
    const west = cache.regionalResources('us-west-2');
    expect(west.stack.resolve(west.primaryEndpoint)).toEqual({ 'Fn::GetAtt': ['ReplicationGroup', 'ConfigurationEndPoint.Address'] });
    expect(west.readerEndpoint).toBeUndefined();
  });

  test('Redis OSS: engine, default version 7.1, cluster-on parameter group of its family', () => {
    const { cache } = build({ engine: GlobalCacheEngine.REDIS, clusterMode: true });
    template(cache, 'us-east-1').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis', EngineVersion: '7.1', ClusterMode: 'enabled', NumNodeGroups: 1, CacheParameterGroupName: 'default.redis7.cluster.on',
    });
  });

  test('r6gd nodes get data tiering on the primary (required for r6gd)', () => {
    const { cache } = build({ nodeType: 'cache.r6gd.xlarge' });
    template(cache, 'us-east-1').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.r6gd.xlarge', DataTieringEnabled: true });
  });
});

describe('GlobalCache endpoints, parameters and outputs', () => {
  test('per region: primary and reader endpoints as properties, SSM parameters and outputs (no exports)', () => {
    const { cache } = build();
    for (const region of ['us-east-1', 'us-west-2']) {
      const r = cache.regionalResources(region);
      expect(r.stack.resolve(r.primaryEndpoint)).toEqual({ 'Fn::GetAtt': ['ReplicationGroup', 'PrimaryEndPoint.Address'] });
      expect(r.stack.resolve(r.readerEndpoint)).toEqual({ 'Fn::GetAtt': ['ReplicationGroup', 'ReaderEndPoint.Address'] });
      expect(r.port).toBe(6380);
      const t = template(cache, region);
      const root = `/cdk-multi-region-failover/cache/sessions/${region}`;
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/primary-endpoint`, Value: { 'Fn::GetAtt': ['ReplicationGroup', 'PrimaryEndPoint.Address'] } });
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/reader-endpoint`, Value: { 'Fn::GetAtt': ['ReplicationGroup', 'ReaderEndPoint.Address'] } });
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/port`, Value: '6380' });
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/auth-secret-name`, Value: 'cdk-multi-region-failover/sessions/auth-token' });
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/security-group-id` });
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: `${root}/vpc-id` });
      t.hasOutput('PrimaryEndpoint', { Value: { 'Fn::GetAtt': ['ReplicationGroup', 'PrimaryEndPoint.Address'] }, Export: Match.absent() });
      t.hasOutput('ReaderEndpoint', { Export: Match.absent() });
      t.hasOutput('PromoteStateMachineArn', { Export: Match.absent() });
    }
  });

  test('the security group allows nothing by default (allow your clients on the port)', () => {
    const { cache } = build();
    const t = template(cache, 'us-west-2');
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'ElastiCache global datastore sessions in us-west-2: allow your clients on port 6380',
      SecurityGroupIngress: Match.absent(),
    });
  });
});

describe('GlobalCache alarms', () => {
  test('one GlobalDatastoreReplicationLag alarm per secondary: MAX over its nodes by CacheClusterId, seconds, 2 of 3 minutes', () => {
    const { cache } = build({}, 3);
    template(cache, 'us-east-1').resourceCountIs('AWS::CloudWatch::Alarm', 0);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const t = template(cache, region);
      t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'MAX([m0, m1])', ReturnData: true }),
          Match.objectLike({
            Id: 'm0',
            MetricStat: Match.objectLike({
              Metric: { Namespace: 'AWS/ElastiCache', MetricName: 'GlobalDatastoreReplicationLag', Dimensions: [{ Name: 'CacheClusterId', Value: `sessions-${region}-001` }] },
              Stat: 'Maximum',
              Period: 60,
            }),
          }),
          Match.objectLike({ Id: 'm1', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Dimensions: [{ Name: 'CacheClusterId', Value: `sessions-${region}-002` }] }) }) }),
        ]),
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      });
      expect(cache.regionalResources(region).replicationLagAlarm).toBeDefined();
    }
    expect(cache.regionalResources('us-east-1').replicationLagAlarm).toBeUndefined();
  });

  test('more than 10 nodes: one alarm per 10 nodes (CloudWatch\'s limit) and a composite alarm over them', () => {
    const { cache } = build({ shards: 4, replicasPerShard: 2 });
    const t = template(cache, 'us-west-2');
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'MAX([m0, m1, m2, m3, m4, m5, m6, m7, m8, m9])' })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([m0, m1])' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Dimensions: [{ Name: 'CacheClusterId', Value: 'sessions-us-west-2-0004-003' }] }) }) }),
      ]),
    });
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    expect(cache.regionalResources('us-west-2').alarms).toHaveLength(3);
  });

  test('alarmTopicArns: every alarm of the region also notifies your topic', () => {
    const topic = `arn:aws:sns:us-west-2:${ACCOUNT}:ops`;
    const { cache } = build({ alarmTopicArns: { 'us-west-2': topic } });
    template(cache, 'us-west-2').hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.arrayWith([topic]) });
  });

  test('metricReplicationLag: the same expression, for dashboards', () => {
    const { cache } = build();
    const m: any = cache.metricReplicationLag('us-west-2');
    expect(m.expression).toBe('MAX([m0, m1])');
    const big = build({ shards: 4, replicasPerShard: 2 }).cache;
    expect(() => big.metricReplicationLag('us-west-2')).toThrow(
      '`region` us-west-2 has 12 nodes, more than the 10 metrics one CloudWatch expression can hold: use `regionalResources(region).alarms`');
  });
});

describe('GlobalCache promotion', () => {
  test('every region has the state machine and function <cacheName>-promote, with the flow and the refusals', () => {
    const { cache } = build({}, 3);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const t = template(cache, region);
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'sessions-promote' });
      t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'sessions-promote', Runtime: 'nodejs22.x' });
      const def = definition(cache, region);
      expect(def.StartAt).toBe('ReadRequest');
      expect(def.States.CheckPreconditions.Next).toBe('Promote');
      expect(def.States.CheckPreconditions.Catch[0].ErrorEquals).toEqual(PROMOTE_REFUSALS);
      expect(def.States.Promote.Catch[0].Next).toBe('NotifyFailure');
      expect(def.States.IsPromotionComplete.Choices.map((c: any) => c.Next)).toEqual(['NotifySuccess', 'NotifyStuck']);
      expect(def.States.WaitForPromotion.Seconds).toBe(15);
    }
  });

  test('the function is scoped to this global datastore (by the id of its region) and its members', () => {
    const { cache } = build({}, 3);
    const policy = (region: string) => template(cache, region).findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'GlobalDatastore' })]) } },
    });
    const statements = (region: string): any[] => (Object.values(policy(region))[0] as any).Properties.PolicyDocument.Statement;
    const east = statements('us-east-1');
    expect(east.find((s) => s.Sid === 'GlobalDatastore')).toEqual({
      Sid: 'GlobalDatastore',
      Effect: 'Allow',
      Action: ['elasticache:DescribeGlobalReplicationGroups', 'elasticache:FailoverGlobalReplicationGroup'],
      Resource: { 'Fn::Join': ['', [`arn:aws:elasticache::${ACCOUNT}:globalreplicationgroup:`, { 'Fn::GetAtt': ['GlobalDatastore', 'GlobalReplicationGroupId'] }]] },
    });
    expect(east.find((s) => s.Sid === 'Members').Resource).toEqual(['us-east-1', 'us-west-2', 'eu-west-1'].map(
      (r) => `arn:aws:elasticache:${r}:${ACCOUNT}:replicationgroup:sessions-${r}`));
    const west = statements('us-west-2');
    const param = globalIdParameter(template(cache, 'us-west-2'), 'us-west-2');
    expect(west.find((s) => s.Sid === 'GlobalDatastore').Resource).toEqual(
      { 'Fn::Join': ['', [`arn:aws:elasticache::${ACCOUNT}:globalreplicationgroup:`, { Ref: param }]] });
  });

  test('the function knows every member, its own region and topic', () => {
    const { cache } = build();
    const t = template(cache, 'us-west-2');
    const fn: any = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'sessions-promote' } }))[0];
    const raw = JSON.stringify(fn.Properties.Environment.Variables.PROMOTE_CONFIG);
    for (const part of ['cacheName', 'sessions', 'region', 'us-west-2', 'sessions-us-east-1', 'sessions-us-west-2', 'topicArn', 'globalReplicationGroupId']) {
      expect(raw).toContain(part);
    }
  });

  test('grantPromote: start the state machine and invoke the function of that region, by name', () => {
    const { app, cache } = build();
    const ops = new Stack(app, 'Ops', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const role = new iam.Role(ops, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    cache.grantPromote(role, 'us-west-2');
    Template.fromStack(ops).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['states:StartExecution', 'lambda:InvokeFunction'],
          Resource: [`arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:sessions-promote`, `arn:aws:lambda:us-west-2:${ACCOUNT}:function:sessions-promote`],
        }],
      },
    });
  });
});

describe('GlobalCache customization', () => {
  test('forEachRegion visits every region, primary first; the explicit AUTH token mode is the default', () => {
    const { cache } = build({ auth: GlobalCacheAuth.authToken() }, 3);
    const seen: string[] = [];
    cache.forEachRegion({ visitRegion: (r) => seen.push(`${r.region}:${r.isPrimary}:${r.replicationGroupId}`) });
    expect(seen).toEqual(['us-east-1:true:sessions-us-east-1', 'us-west-2:false:sessions-us-west-2', 'eu-west-1:false:sessions-eu-west-1']);
    expect(cache.authSecret).toBeDefined();
  });
});

describe('GlobalCache VPCs', () => {
  test('without a vpcProvider: a VPC per region with isolated subnets and no NAT; vpcProvider imports it in other stacks', () => {
    const { app, cache } = build();
    for (const region of ['us-east-1', 'us-west-2']) {
      template(cache, region).resourceCountIs('AWS::EC2::VPC', 1);
      template(cache, region).resourceCountIs('AWS::EC2::NatGateway', 0);
    }
    const api = new Stack(app, 'Api', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const vpc = cache.vpcProvider.vpcForRegion(api, 'us-west-2');
    expect(api.dependencies).toContain(cache.regionalResources('us-west-2').stack);
    expect(JSON.stringify(api.resolve(vpc.vpcId))).toMatch(/^\{"Ref":"SsmParameterValuecdkmultiregionfailovercachesessionsuswest2vpcid[A-F0-9]+Parameter"\}$/);
  });

  test('with your vpcProvider (e.g. AuroraGlobalFailover.vpcProvider): its VPC in each region, none created', () => {
    const seen: string[] = [];
    const provider: IRegionalVpcProvider = {
      vpcForRegion: (scope: Construct, region: string) => {
        seen.push(region);
        return ec2.Vpc.fromVpcAttributes(scope, 'Imported', {
          vpcId: `vpc-${region}`,
          availabilityZones: [`${region}a`, `${region}b`],
          isolatedSubnetIds: ['subnet-1', 'subnet-2'],
        });
      },
    };
    const { cache } = build({ vpcProvider: provider });
    expect(seen).toEqual(['us-east-1', 'us-west-2']);
    expect(cache.vpcProvider).toBe(provider);
    const t = template(cache, 'us-west-2');
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: ['subnet-1', 'subnet-2'] });
  });
});
