import { flow, simulate } from './databases-fixtures';
import { FixtureStack } from './fixtures';

describe('ElastiCache global datastore (cache-writer)', () => {
  const stacks: FixtureStack[] = [{
    name: 'cache',
    region: 'us-east-1',
    resources: {
      Global: {
        Type: 'AWS::ElastiCache::GlobalReplicationGroup',
        Properties: {
          GlobalReplicationGroupIdSuffix: 'sessions',
          Members: [
            { ReplicationGroupId: 'sessions-use1', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' },
            { ReplicationGroupId: 'sessions-usw2', ReplicationGroupRegion: 'us-west-2', Role: 'SECONDARY' },
          ],
        },
      },
    },
  }];

  test('primary region lost: a person or automation must call FailoverGlobalReplicationGroup (no bound published; 310 s assumed once started)', () => {
    const f = flow(simulate(stacks, 'us-east-1'), 'cache-writer:cache/Global');
    expect(f).toMatchObject({ kind: 'cache-writer', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2' });
    expect(f.recoveredAtSeconds).toBeUndefined();
    // after a person starts it: 10 s pre-checks + 300 s promotion (the library's assumption, as GlobalCache's
    // estimate) + no poll interval (no promoter state machine in the assembly) = 310 s
    expect(f.afterManualStepSeconds).toBe(310);
    expect(f.blockedBy).toEqual([{
      resource: 'cache/Global',
      reason: 'a person or your automation must call FailoverGlobalReplicationGroup to promote sessions-usw2 in us-west-2 (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html)',
    }]);
  });

  test('secondary region lost: the primary keeps writing', () => {
    const f = flow(simulate(stacks, 'us-west-2'), 'cache-writer:cache/Global');
    expect(f).toMatchObject({ impacted: false, blockedBy: [] });
    expect(f.timeline.map((e) => e.event)).toEqual(['secondary sessions-usw2 in us-west-2 lost: its reads stop; the primary in us-east-1 keeps writing']);
  });
});

describe('ElastiCache global datastore whose secondaries join by id (GlobalCache)', () => {
  // The global datastore's Members name only the primary; the secondary stack reads the AWS-prefixed id from an SSM
  // parameter that the primary stack writes into its region (AwsCustomResource, SSM PutParameter).
  const PARAM = '/cdk-multi-region-failover/cache/sessions/us-west-2/global-replication-group-id';
  const stacks: FixtureStack[] = [{
    name: 'cache-use1',
    region: 'us-east-1',
    resources: {
      Primary: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: 'sessions-us-east-1' } },
      Global: {
        Type: 'AWS::ElastiCache::GlobalReplicationGroup',
        Properties: { GlobalReplicationGroupIdSuffix: 'sessions', Members: [{ ReplicationGroupId: { Ref: 'Primary' }, ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }] },
      },
      GlobalIdInUsw2: {
        Type: 'Custom::AWS',
        Properties: {
          Create: { 'Fn::Join': ['', [`{"service":"SSM","action":"putParameter","region":"us-west-2","parameters":{"Name":"${PARAM}","Value":"`, { 'Fn::GetAtt': ['Global', 'GlobalReplicationGroupId'] }, '","Type":"String"}}']] },
        },
      },
    },
  }, {
    name: 'cache-usw2',
    region: 'us-west-2',
    resources: {
      Secondary: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: 'sessions-us-west-2', GlobalReplicationGroupId: { Ref: 'GlobalId' } } },
    },
    parameters: { GlobalId: { Type: 'AWS::SSM::Parameter::Value<String>', Default: PARAM } },
  }];

  test('primary region lost: the secondary that joined by id is the promotion target', () => {
    const f = flow(simulate(stacks, 'us-east-1'), 'cache-writer:cache-use1/Global');
    expect(f).toMatchObject({ impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2' });
    expect(f.blockedBy[0].reason).toMatch(/^a person or your automation must call FailoverGlobalReplicationGroup to promote sessions-us-west-2 in us-west-2 /);
  });
});

describe('RDS cross-region read replica', () => {
  const stacks: FixtureStack[] = [{
    name: 'replica',
    region: 'us-west-2',
    resources: {
      Replica: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:111111111111:db:orders' },
      },
      Local: { Type: 'AWS::RDS::DBInstance', Properties: { SourceDBInstanceIdentifier: 'arn:aws:rds:us-west-2:111111111111:db:other' } },
    },
  }];

  test('source region lost: PromoteReadReplica by a person, no documented duration', () => {
    const result = simulate(stacks, 'us-east-1');
    const f = flow(result, 'database-writer:replica/Replica');
    expect(f).toMatchObject({ impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2' });
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.afterManualStepSeconds).toBeUndefined();
    expect(f.blockedBy).toEqual([{
      resource: 'replica/Replica',
      reason: 'a person must call PromoteReadReplica on orders-replica in us-west-2, then point clients at its endpoint (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html)',
    }]);
    // a replica of a source in its own region is not a cross-region flow
    expect(result.flows.find((x) => x.id === 'database-writer:replica/Local')).toBeUndefined();
  });

  test('replica region lost: the source keeps writing', () => {
    const f = flow(simulate(stacks, 'us-west-2'), 'database-writer:replica/Replica');
    expect(f).toMatchObject({ impacted: false, fromRegion: 'us-east-1' });
  });
});
