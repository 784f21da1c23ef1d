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

  test('primary region lost: a person or automation must call FailoverGlobalReplicationGroup (no bound published)', () => {
    const f = flow(simulate(stacks, 'us-east-1'), 'cache-writer:cache/Global');
    expect(f).toMatchObject({ kind: 'cache-writer', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2' });
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.afterManualStepSeconds).toBeUndefined();
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
