import {
  autoTrigger, flow, globalCluster, memberCluster, orchestrator, rpoParameterGroup, simulate, twoRegionAurora, writerCname,
} from './databases-fixtures';
import { AssemblyGraph } from '../../src/simulator/graph';
import { isDatabaseEndpoint } from '../../src/simulator/rules/databases';

const ID = 'database-writer:db-use1/GlobalCluster';

describe('Aurora global database: the writer region fails', () => {
  test('manual orchestrator: needs a person; after the start the estimate\'s post-start terms', () => {
    const f = flow(simulate(twoRegionAurora(), 'us-east-1'), ID);
    expect(f).toMatchObject({ kind: 'database-writer', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2' });
    expect(f.recoveredAtSeconds).toBeUndefined();
    // 10 s pre-checks and API call + 300 s promotion (assumption) + 15 s poll + 5 s global endpoint DNS cache = 330 s
    // (AuroraGlobalFailover's manual budget: 5 min 30 s)
    expect(f.afterManualStepSeconds).toBe(330);
    expect(f.blockedBy).toEqual([{
      resource: 'db-usw2/StateMachine',
      reason: 'a person must start the failover state machine in us-west-2 with {"mode":"failover","targetRegion":"us-west-2"}: no alarm or EventBridge rule starts it',
    }]);
    const events = f.timeline.map((e) => e.event);
    expect(events).toContain('SwitchoverGlobalCluster (planned, no data loss) is impossible: it needs every region healthy; only FailoverGlobalCluster with AllowDataLoss moves the writer');
    expect(events).toContain('orchestrator db-use1/StateMachine in us-east-1 is down with its region');
    expect(events).toContain('orchestrator db-usw2/StateMachine in us-west-2 is up');
    expect(f.timeline[0]).toMatchObject({ t: 0, phase: 'failing', region: 'us-east-1' });
    expect(f.timeline[0].event).toContain('RPO unbounded, typically under 1 s');
  });

  test('the poll interval comes from the state machine\'s Wait state', () => {
    const stacks = twoRegionAurora();
    stacks[1] = { ...stacks[1], resources: { ...stacks[1].resources, ...orchestrator('orders', 30) } };
    // 10 s + 300 s + 30 s poll + 5 s = 345 s
    expect(flow(simulate(stacks, 'us-east-1'), ID).afterManualStepSeconds).toBe(345);
  });

  test('alarm-triggered orchestrator in the surviving region: automatic', () => {
    const stacks = twoRegionAurora({
      secondary: autoTrigger('arn:aws:cloudwatch:us-west-2:111111111111:alarm:primary-canary', 3, { mode: 'failover', targetRegion: 'us-west-2' }),
    });
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    // detection: composite = primary health (outside the assembly: assumed no slower) AND (stalled 3 × 60 s OR missing 3 × 60 s) = 180 s;
    // then 10 s + 300 s + 15 s + 5 s = 330 s: worst 510 s (AuroraGlobalFailover's automatic budget with 3 periods: 8 min 30 s)
    // typical: 180 s + 10 s + 120 s + 15 s + 5 s = 330 s (5 min 30 s)
    expect(f).toMatchObject({ impacted: true, toRegion: 'us-west-2', recoveredAtSeconds: 510, typicalSeconds: 330, blockedBy: [] });
    expect(f.afterManualStepSeconds).toBeUndefined();
    expect(f.timeline.find((e) => e.phase === 'detection' && e.t === 180)).toBeDefined();
    expect(f.timeline[f.timeline.length - 1]).toMatchObject({ t: 510, phase: 'recovered', region: 'us-west-2' });
  });

  test('a trigger whose primary-health alarm lives in the failed region never fires', () => {
    const stacks = twoRegionAurora({
      secondary: autoTrigger('arn:aws:cloudwatch:us-east-1:111111111111:alarm:primary-canary', 3, { mode: 'failover' }),
    });
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.afterManualStepSeconds).toBe(330);
    expect(f.blockedBy).toContainEqual({
      resource: 'db-usw2/PrimaryLost',
      reason: 'its rule needs arn:aws:cloudwatch:us-east-1:111111111111:alarm:primary-canary, an alarm in us-east-1, which is down',
    });
  });

  test('a trigger that starts a switchover does not help', () => {
    const stacks = twoRegionAurora({ secondary: autoTrigger('arn:aws:cloudwatch:us-west-2:111111111111:alarm:x', 2, { targetRegion: 'us-west-2' }) });
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({
      resource: 'db-usw2/AutoFailoverRule',
      reason: 'it starts a switchover, which needs every region healthy: no use when the writer\'s region is down',
    });
  });

  test('an orchestrator that calls Route 53 is blocked in a us-east-1 outage', () => {
    const stacks = twoRegionAurora();
    stacks[1] = { ...stacks[1], resources: { ...stacks[1].resources, ...orchestrator('orders', 15, ['route53:ChangeResourceRecordSets']) } };
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({
      resource: 'db-usw2/StateMachine',
      reason: 'its steps call route53:changeresourcerecordsets, a control plane homed in us-east-1, which is down: those steps fail',
    });
    // Left: a person calling FailoverGlobalCluster: 300 s promotion + 5 s DNS cache = 305 s
    expect(f.afterManualStepSeconds).toBe(305);
  });

  test('without any orchestrator a person calls FailoverGlobalCluster', () => {
    const stacks = [
      { name: 'db-use1', region: 'us-east-1', resources: { GlobalCluster: globalCluster('orders'), Cluster: memberCluster('orders', 'us-east-1', true) } },
      { name: 'db-usw2', region: 'us-west-2', resources: { Cluster: memberCluster('orders', 'us-west-2', false) } },
    ];
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    // 300 s promotion + 5 s DNS cache = 305 s
    expect(f.afterManualStepSeconds).toBe(305);
    expect(f.blockedBy).toEqual([{
      resource: 'db-use1/GlobalCluster',
      reason: 'nothing in the assembly fails orders over to us-west-2: a person must call FailoverGlobalCluster with AllowDataLoss in us-west-2',
    }]);
  });

  test('the writer is the member with master credentials (a secondary has none)', () => {
    const stacks = [
      { name: 'sec', region: 'eu-central-1', resources: { Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { GlobalClusterIdentifier: 'g' } } } },
      {
        name: 'pri',
        region: 'eu-west-1',
        resources: {
          GlobalCluster: { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'g' } },
          Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { GlobalClusterIdentifier: 'g', MasterUsername: 'admin' } },
        },
      },
    ];
    const result = simulate(stacks, 'eu-west-1');
    expect(flow(result, 'database-writer:pri/GlobalCluster')).toMatchObject({ impacted: true, fromRegion: 'eu-west-1', toRegion: 'eu-central-1' });
    expect(result.findings.filter((x) => x.resource === 'pri/GlobalCluster')).toEqual([]);
  });

  test('the writer is the global cluster\'s source cluster when it names one', () => {
    const stacks = [
      { name: 'a', region: 'eu-west-1', resources: { Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'src', GlobalClusterIdentifier: 'g' } } } },
      {
        name: 'b',
        region: 'eu-central-1',
        resources: {
          GlobalCluster: { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'g', SourceDBClusterIdentifier: 'arn:aws:rds:eu-west-1:111111111111:cluster:src' } },
          Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'other', GlobalClusterIdentifier: 'g' } },
        },
      },
    ];
    const f = flow(simulate(stacks, 'eu-west-1'), 'database-writer:b/GlobalCluster');
    expect(f).toMatchObject({ impacted: true, fromRegion: 'eu-west-1', toRegion: 'eu-central-1' });
  });
});

describe('Aurora global database: a secondary region fails', () => {
  test('the writer goes on; the lag alarms of the lost region die', () => {
    const stacks = twoRegionAurora({ secondary: { ReplicationLagAlarm: { ...autoTrigger('x', 1, {}).Stalled } } });
    const f = flow(simulate(stacks, 'us-west-2'), ID);
    expect(f).toMatchObject({ impacted: false, fromRegion: 'us-east-1', blockedBy: [] });
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.timeline.map((e) => e.event)).toEqual([
      'secondary db-usw2/Cluster in us-west-2 lost: its readers stop and replication to it stops; the writer in us-east-1 keeps writing',
      'lag alarm db-usw2/ReplicationLagAlarm died with us-west-2: nothing watches us-west-2\'s replication lag or RPO lag',
      'orchestrator db-usw2/StateMachine in us-west-2 is down with its region',
    ]);
  });

  test('an unrelated region: nothing happens', () => {
    const f = flow(simulate(twoRegionAurora(), 'eu-west-1'), ID);
    expect(f).toMatchObject({ impacted: false, blockedBy: [], timeline: [] });
  });

  test('managed RPO with two regions: losing the only secondary blocks commits on the primary', () => {
    const stacks = twoRegionAurora({ primary: { Rpo: rpoParameterGroup(20) } });
    stacks[0].resources.Cluster = memberCluster('orders', 'us-east-1', true, 'Rpo');
    const f = flow(simulate(stacks, 'us-west-2'), ID);
    expect(f).toMatchObject({ impacted: true, fromRegion: 'us-east-1', toRegion: 'us-east-1' });
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toEqual([{
      resource: 'db-use1/Cluster',
      reason: 'managed RPO (rds.global_db_rpo = 20 s) on the primary: commits block while no secondary is within 20 s, and the only secondary is down; reset the parameter on db-use1/Cluster to resume writes',
    }]);
    // commits block once the RPO lag passes 20 s
    expect(f.timeline.find((e) => e.phase === 'failing')).toMatchObject({ t: 20, region: 'us-east-1' });
  });
});

describe('Aurora global database: managed RPO with three regions', () => {
  test('losing one of two secondaries: the other is within the RPO, commits go on', () => {
    const stacks = twoRegionAurora({ primary: { Rpo: rpoParameterGroup(20) } });
    stacks[0].resources.Cluster = memberCluster('orders', 'us-east-1', true, 'Rpo');
    stacks.push({ name: 'db-use2', region: 'us-east-2', resources: { Cluster: memberCluster('orders', 'us-east-2', false) } });
    const f = flow(simulate(stacks, 'us-west-2'), ID);
    expect(f).toMatchObject({ impacted: false, blockedBy: [] });
  });
});

describe('Aurora global database: managed RPO after a failover', () => {
  test('the writer region fails: the RPO is bounded by the primary\'s managed RPO', () => {
    const stacks = twoRegionAurora({ primary: { Rpo: rpoParameterGroup(20) } });
    stacks[0].resources.Cluster = memberCluster('orders', 'us-east-1', true, 'Rpo');
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f.timeline[0].event).toContain('bounded by managed RPO: at most 20 s (rds.global_db_rpo on db-use1/Cluster)');
    expect(f.afterManualStepSeconds).toBe(330);
  });

  test('two regions with managed RPO on the secondary: the new primary pauses its transactions', () => {
    const stacks = twoRegionAurora({ secondary: { Rpo: rpoParameterGroup(20) } });
    stacks[1].resources.Cluster = memberCluster('orders', 'us-west-2', false, 'Rpo');
    const result = simulate(stacks, 'us-east-1');
    const f = flow(result, ID);
    const reason = 'rds.global_db_rpo (20 s) is set on the new primary us-west-2 and no secondary is reachable: Aurora pauses its transactions (AWS advises keeping the default on the secondary of a two-region global database); reset the parameter';
    expect(f.blockedBy).toContainEqual({ resource: 'db-usw2/Cluster', reason });
    expect(f.afterManualStepSeconds).toBeUndefined();
    expect(result.findings).toContainEqual({ severity: 'error', resource: 'db-usw2/Cluster', message: reason });
  });
});

describe('Aurora writer DNS record', () => {
  test('a CNAME to the global writer endpoint never changes: it is in the timeline, and isDatabaseEndpoint claims it', () => {
    const stacks = twoRegionAurora({ primary: writerCname('orders', 30) });
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f.timeline.map((e) => e.event)).toContain(
      'writer.db.example.com. CNAME → global writer endpoint (TTL 30 s): the record never changes (Aurora moves the endpoint), Route 53 keeps answering it from its data plane');
    const graph = new AssemblyGraph(stacks.map((s) => ({
      artifactId: s.name, stackName: s.name, displayName: s.name, region: s.region, template: { Resources: s.resources },
    })));
    const ctx = { graph, outage: 'us-east-1', horizon: 3600, propagation: 10, endpointRegions: {}, findings: [] };
    const record = graph.find(graph.stacks[0], 'WriterCname')!;
    expect(isDatabaseEndpoint(ctx, graph.text(record.properties.ResourceRecords, record.stack))).toBe(true);
    expect(isDatabaseEndpoint(ctx, { text: 'abc.execute-api.us-east-1.amazonaws.com', refs: [] })).toBe(false);
    expect(isDatabaseEndpoint(ctx, { text: 'orders.global-abc.global.rds.amazonaws.com', refs: [] })).toBe(true);
    // A plain RDS instance endpoint (e.g. behind Route 53 failover records) stays with the Route 53 rule.
    expect(isDatabaseEndpoint(ctx, { text: 'mydb.abc123.us-east-1.rds.amazonaws.com', refs: [] })).toBe(false);
    const instance = { ...record, type: 'AWS::RDS::DBInstance', properties: {} };
    expect(isDatabaseEndpoint(ctx, { text: 'mydb.abc123.us-east-1.rds.amazonaws.com', refs: [instance] })).toBe(false);
  });

  test('a CNAME to the writer\'s own cluster endpoint must be changed after the failover', () => {
    const cname = {
      Type: 'AWS::Route53::RecordSet',
      Properties: { Name: 'db.example.com.', Type: 'CNAME', TTL: '60', ResourceRecords: [{ 'Fn::GetAtt': ['Cluster', 'Endpoint.Address'] }] },
    };
    const f = flow(simulate(twoRegionAurora({ primary: { Cname: cname } }), 'us-east-1'), ID);
    expect(f.afterManualStepSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({
      resource: 'db-use1/Cname',
      reason: 'db.example.com. names the old writer\'s cluster endpoint: after the failover it must be changed (ChangeResourceRecordSets) (Route 53\'s control plane, us-east-1, is down: impossible until it returns)',
    });
  });
});
