import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { PublishCommand } from '@aws-sdk/client-sns';
import { config, deps, EXEC, execution, globalCluster, plan, PRIMARY, rds, resetMocks, SECONDARY, sns } from './orchestrator-fixtures';
import { checkStatus, cloudWatchLagReader, dispatch, handler, notify, readConfig } from '../../src/aurora-global-failover/orchestrator.lambda';

beforeEach(resetMocks);

describe('done = the target is the writer and the target cluster is available', () => {
  // AWS: after a failover Aurora "automatically rebuilds all additional secondary Region clusters ... The duration of
  // the complete rebuilding task can take a few minutes to several hours" (aurora-global-database-disaster-recovery.html):
  // the global cluster's status is not the signal.
  test.each(['failing-over', 'modifying', 'switching-over'])('global cluster still %s, target writer and available: done', async (status) => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: status, FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } }, SECONDARY)] });
    await expect(checkStatus(plan('failover'), 4, config, deps())).resolves.toEqual({
      attempt: 5, done: true, status, writerArn: SECONDARY, targetStatus: 'available',
    });
  });

  test('target is the writer but its cluster is not available yet: not done', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'failing-over' }, SECONDARY)] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterArn: SECONDARY, Status: 'failing-over' }] });
    await expect(checkStatus(plan('failover'), 0, config, deps())).resolves.toEqual({
      attempt: 1, done: false, status: 'failing-over', writerArn: SECONDARY, targetStatus: 'failing-over',
    });
  });

  test('target cluster missing from DescribeDBClusters: not done', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({}, SECONDARY)] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    await expect(checkStatus(plan(), 0, config, deps())).resolves.toMatchObject({ done: false, targetStatus: 'missing' });
  });

  test('global cluster available with the old writer: not done, and the target cluster is not even read', async () => {
    await expect(checkStatus(plan(), 0, config, deps())).resolves.toEqual({ attempt: 1, done: false, status: 'available', writerArn: PRIMARY });
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
  });

  test('an AWS error while reading the target cluster propagates', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({}, SECONDARY)] });
    rds.on(DescribeDBClustersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(checkStatus(plan(), 0, config, deps())).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('polls never report done while the target is not the writer; the attempt counter grows', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] });
    let poll = { attempt: 0, done: false } as { attempt: number; done: boolean };
    for (let i = 0; i < 3; i++) {
      poll = await checkStatus(plan(), poll.attempt, config, deps());
      expect(poll.done).toBe(false);
    }
    expect(poll.attempt).toBe(3);
  });

  test('the stuck notification says so', async () => {
    await notify({ outcome: 'stuck', plan: plan(), poll: { attempt: 60, done: false, status: 'switching-over' }, executionArn: EXEC, executionStartTime: execution.startTime }, config, deps());
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('Aurora global switchover to us-west-2 stuck (83 s)');
  });
});

describe('notifications', () => {
  test('the notification carries the Lambda error message', async () => {
    await notify({
      outcome: 'failed',
      plan: plan(),
      executionArn: EXEC,
      executionStartTime: execution.startTime,
      error: { Error: 'AccessDenied', Cause: JSON.stringify({ errorType: 'AccessDenied', errorMessage: 'not allowed' }) },
    }, config, deps());
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.Subject).toBe('Aurora global switchover to us-west-2 failed (83 s)');
    expect(JSON.parse(input.Message!).error).toBe('AccessDenied: not allowed');
  });

  test('a refusal notification without a plan uses the request and a non-JSON cause as is', async () => {
    await notify({
      outcome: 'refused',
      request: { mode: 'failover', targetRegion: 'us-east-1' },
      executionArn: EXEC,
      executionStartTime: execution.startTime,
      error: { Error: 'States.Timeout', Cause: 'timed out' },
    }, config, deps());
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.Subject).toBe('Aurora global failover to us-east-1 refused (83 s)');
    expect(JSON.parse(input.Message!).error).toBe('States.Timeout: timed out');
  });

  test('an SNS error propagates (the state machine catches it and still reaches its final state)', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('key disabled'), { name: 'KMSDisabledException' }));
    await expect(notify({ outcome: 'succeeded', plan: plan(), executionArn: EXEC, executionStartTime: execution.startTime }, config, deps()))
      .rejects.toMatchObject({ name: 'KMSDisabledException' });
  });
});

describe('dispatch and handler', () => {
  test('dispatch routes every action', async () => {
    const d = deps();
    await expect(dispatch({ action: 'precheck', execution, request: {} }, config, d)).resolves.toMatchObject({ targetRegion: 'us-west-2' });
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    await expect(dispatch({ action: 'start', execution, plan: plan() }, config, d)).resolves.toMatchObject({ alreadyStarted: false });
    await expect(dispatch({ action: 'status', execution, plan: plan() }, config, d)).resolves.toMatchObject({ attempt: 1 });
    await expect(dispatch({ action: 'notify', execution, outcome: 'refused', state: { request: {} } }, config, d)).resolves.toMatchObject({ durationSeconds: 83 });
    await expect(dispatch({ action: 'start', execution }, config, d)).rejects.toMatchObject({ name: 'InvalidRequest', message: 'action start needs a plan' });
    await expect(dispatch({ action: 'bogus' as any, execution }, config, d)).rejects.toMatchObject({ name: 'InvalidRequest', message: 'unknown action: bogus' });
    // The writer CNAME points at the global writer endpoint: there is no DNS step any more.
    await expect(dispatch({ action: 'dns' as any, execution, plan: plan() }, config, d)).rejects.toMatchObject({ name: 'InvalidRequest', message: 'unknown action: dns' });
  });

  test('readConfig needs ORCHESTRATOR_CONFIG', () => {
    expect(() => readConfig({})).toThrow('ORCHESTRATOR_CONFIG is not set');
    expect(readConfig({ ORCHESTRATOR_CONFIG: JSON.stringify(config) })).toEqual(config);
  });

  test('handler builds clients from the environment and dispatches', async () => {
    process.env.ORCHESTRATOR_CONFIG = JSON.stringify(config);
    await expect(handler({ action: 'notify', execution, outcome: 'refused', state: {} })).resolves.toMatchObject({ messageId: 'm-1' });
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    await expect(handler({ action: 'start', execution, plan: plan() })).resolves.toMatchObject({ operation: 'SwitchoverGlobalCluster' });
    delete process.env.ORCHESTRATOR_CONFIG;
  });
});

describe('CloudWatch lag reader', () => {
  test('queries the newest 1-minute maximum of AuroraGlobalDBReplicationLag in the cluster\'s region', async () => {
    const sent: any[] = [];
    const regions: string[] = [];
    class FakeClient {
      constructor(c: { region: string }) {
        regions.push(c.region);
      }
      async send(command: { input: unknown }) {
        sent.push(command.input);
        return { MetricDataResults: [{ Values: [340, 120] }] };
      }
    }
    class FakeCommand {
      constructor(public readonly input: unknown) {}
    }
    const read = cloudWatchLagReader({ now: () => new Date('2026-11-22T10:10:00Z'), sleep: async () => undefined },
      () => ({ CloudWatchClient: FakeClient as any, GetMetricDataCommand: FakeCommand as any }));
    await expect(read('us-west-2', 'orders-us-west-2')).resolves.toBe(340);
    expect(regions).toEqual(['us-west-2']);
    expect(sent[0]).toEqual({
      StartTime: new Date('2026-11-22T10:00:00Z'),
      EndTime: new Date('2026-11-22T10:10:00Z'),
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [{
        Id: 'lag',
        MetricStat: {
          Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'orders-us-west-2' }] },
          Period: 60,
          Stat: 'Maximum',
        },
      }],
    });
  });

  test('no datapoints → undefined', async () => {
    const read = cloudWatchLagReader({}, () => ({
      CloudWatchClient: class { async send() { return { MetricDataResults: [{ Values: [] }] }; } } as any,
      GetMetricDataCommand: class { constructor(public readonly input: unknown) {} } as any,
    }));
    await expect(read('us-west-2', 'x')).resolves.toBeUndefined();
  });
});
