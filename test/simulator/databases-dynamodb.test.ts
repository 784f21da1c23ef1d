import { flow, simulate } from './databases-fixtures';
import { FixtureStack } from './fixtures';

function globalTable(props: any): FixtureStack[] {
  return [{
    name: 'api-use1',
    region: 'us-east-1',
    resources: {
      Table: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], ...props },
      },
    },
  }];
}

const ID = 'database-writer:api-use1/Table';
const MREC = { Replicas: [{ Region: 'us-west-2' }, { Region: 'us-east-1' }] };

describe('DynamoDB global tables', () => {
  test('MREC: losing a replica, writes go on at once in the other', () => {
    const f = flow(simulate(globalTable(MREC), 'us-east-1'), ID);
    // every MREC replica accepts writes: 0 s; the lost region's unreplicated writes (typically < 1 s) are late
    expect(f).toMatchObject({ kind: 'database-writer', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2', recoveredAtSeconds: 0, typicalSeconds: 0, blockedBy: [] });
    expect(f.name).toBe('DynamoDB global table orders (MREC: us-west-2, us-east-1)');
    expect(f.timeline[0]).toEqual({
      t: 0,
      phase: 'failing',
      region: 'us-east-1',
      event: 'replica in us-east-1 lost: its writes not yet replicated (typically under 1 s of writes) stay there until it recovers, then replicate (last writer wins)',
    });
    expect(f.timeline[f.timeline.length - 1]).toMatchObject({ t: 0, phase: 'recovered', region: 'us-west-2' });
  });

  test('MREC: losing the replica outside the table\'s home stack moves its writes to the home region (from the lost one)', () => {
    const f = flow(simulate(globalTable(MREC), 'us-west-2'), ID);
    expect(f).toMatchObject({ impacted: true, fromRegion: 'us-west-2', toRegion: 'us-east-1', recoveredAtSeconds: 0 });
  });

  test('MREC: a region without a replica does nothing', () => {
    const f = flow(simulate(globalTable(MREC), 'eu-west-1'), ID);
    expect(f).toMatchObject({ impacted: false, timeline: [], blockedBy: [] });
  });

  test('MRSC with three replicas: losing one keeps strong writes going in the other two', () => {
    const props = { MultiRegionConsistency: 'STRONG', Replicas: [{ Region: 'us-east-1' }, { Region: 'us-east-2' }, { Region: 'us-west-2' }] };
    const f = flow(simulate(globalTable(props), 'us-east-1'), ID);
    // 2 of 3 members survive: a majority, 0 s, RPO zero
    expect(f).toMatchObject({ impacted: true, toRegion: 'us-east-2', recoveredAtSeconds: 0 });
    expect(f.timeline.map((e) => e.event)).toContain('strong writes go on at once in us-east-2, us-west-2 (2 of 3 members: a majority)');
  });

  test('MRSC with two replicas and a witness: losing a replica keeps writes going; losing the witness changes nothing', () => {
    const props = { MultiRegionConsistency: 'STRONG', Replicas: [{ Region: 'us-east-1' }, { Region: 'us-east-2' }], GlobalTableWitnesses: [{ Region: 'us-west-2' }] };
    const lostReplica = flow(simulate(globalTable(props), 'us-east-2'), ID);
    expect(lostReplica).toMatchObject({ impacted: true, toRegion: 'us-east-1', recoveredAtSeconds: 0 });
    expect(lostReplica.timeline.map((e) => e.event)).toContain('strong writes go on at once in us-east-1 (2 of 3 members: a majority)');
    const lostWitness = flow(simulate(globalTable(props), 'us-west-2'), ID);
    expect(lostWitness).toMatchObject({ impacted: false });
    expect(lostWitness.timeline.map((e) => e.event)).toEqual(['witness us-west-2 lost: the two replicas still form a majority, strong writes go on']);
  });

  test('MRSC needs exactly three members; with two, losing one leaves no majority', () => {
    const props = { MultiRegionConsistency: 'STRONG', Replicas: [{ Region: 'us-east-1' }, { Region: 'us-east-2' }] };
    const lost = flow(simulate(globalTable(props), 'us-east-2'), ID);
    expect(lost.recoveredAtSeconds).toBeUndefined();
    expect(lost.blockedBy).toEqual([{ resource: 'api-use1/Table', reason: 'only 1 of 2 MRSC members survive: no majority for strong writes' }]);
    const result = simulate(globalTable(props), 'eu-west-1');
    expect(result.findings).toContainEqual({
      severity: 'error',
      resource: 'api-use1/Table',
      message: 'an MRSC global table has exactly three members (three replicas, or two and a witness), got: 2 replicas and 0 witnesses (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)',
    });
  });

  test('a Table with CDK replica custom resources is an MREC global table', () => {
    const stacks: FixtureStack[] = [{
      name: 'legacy',
      region: 'eu-west-1',
      resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'legacy' } },
        Replica: { Type: 'Custom::DynamoDBReplica', Properties: { TableName: { Ref: 'Table' }, Region: 'eu-central-1' } },
      },
    }];
    const f = flow(simulate(stacks, 'eu-west-1'), 'database-writer:legacy/Table');
    expect(f).toMatchObject({ impacted: true, fromRegion: 'eu-west-1', toRegion: 'eu-central-1', recoveredAtSeconds: 0 });
  });
});
