import {
  DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  config, deps, EXEC, execution, globalCluster, OUTSIDER, plan, PRIMARY, rds, regionOf, resetMocks, SECONDARY, sfn, SM, sns, state, throttle,
} from './orchestrator-fixtures';
import { checkStatus, isThrottling, notify, precheck, startOperation, withRetry } from '../../src/aurora-global-failover/orchestrator.lambda';

beforeEach(resetMocks);

describe('switchover happy path', () => {
  test('precheck → start in the primary\'s region → poll until the target is writer and available → notification', async () => {
    const p = await precheck({ mode: 'switchover', targetRegion: 'us-west-2' }, execution, config, deps());
    expect(p).toEqual({ ...plan(), replicationLagMs: 120 });
    expect(state.lagCalls).toEqual(['us-west-2/orders-us-west-2']);
    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: SM, statusFilter: 'RUNNING', maxResults: 100 });

    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    expect(await startOperation(p, config, deps())).toEqual({ operation: 'SwitchoverGlobalCluster', alreadyStarted: false });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)[0].args[0].input).toEqual({ GlobalClusterIdentifier: 'orders', TargetDbClusterIdentifier: SECONDARY });
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(0);

    rds.resetHistory();
    rds.on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] })
      .resolvesOnce({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } }, SECONDARY)] });
    const poll1 = await checkStatus(p, 0, config, deps());
    expect(poll1).toEqual({ attempt: 1, done: false, status: 'switching-over', writerArn: PRIMARY });
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
    const poll2 = await checkStatus(p, poll1.attempt, config, deps());
    expect(poll2).toEqual({ attempt: 2, done: true, status: 'switching-over', writerArn: SECONDARY, targetStatus: 'available' });
    expect(rds.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: SECONDARY });
    expect(await regionOf(DescribeDBClustersCommand)).toBe('us-west-2');

    const n = await notify({ outcome: 'succeeded', plan: p, poll: poll2, executionArn: EXEC, executionStartTime: execution.startTime }, config, deps());
    expect(n).toEqual({ durationSeconds: 83, messageId: 'm-1' });
    const published = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.TopicArn).toBe(config.topicArn);
    expect(published.Subject).toBe('Aurora global switchover to us-west-2 succeeded (83 s)');
    expect(JSON.parse(published.Message!)).toMatchObject({
      outcome: 'succeeded',
      mode: 'switchover',
      previousWriterArn: PRIMARY,
      newWriterArn: SECONDARY,
      durationSeconds: 83,
      replicationLagMs: 120,
    });
  });

  // AWS: "--region – Specify the AWS Region where the primary DB cluster of the Aurora global database is running"
  // (switchover-global-cluster), https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
  test('SwitchoverGlobalCluster is sent to the current primary\'s region, not to the target\'s', async () => {
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    await startOperation(plan(), config, deps());
    expect(await regionOf(SwitchoverGlobalClusterCommand)).toBe('us-east-1');
  });

  test('switching back: the orchestrator of us-east-1 sends the switchover to the current primary us-west-2', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({}, SECONDARY)] });
    const east = { ...config, region: 'us-east-1' };
    const p = await precheck({ targetRegion: 'us-east-1' }, execution, east, deps());
    expect(p).toMatchObject({ targetRegion: 'us-east-1', targetClusterArn: PRIMARY, previousWriterArn: SECONDARY, writerRegion: 'us-west-2' });
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    await startOperation(p, east, deps());
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)[0].args[0].input).toEqual({ GlobalClusterIdentifier: 'orders', TargetDbClusterIdentifier: PRIMARY });
    expect(await regionOf(SwitchoverGlobalClusterCommand)).toBe('us-west-2');
  });

  test('the writer region comes from the writer ARN when the writer is not one of the configured clusters', async () => {
    const foreign = 'arn:aws:rds:ap-south-1:111111111111:cluster:restored';
    rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [{ Status: 'available', GlobalClusterMembers: [{ DBClusterArn: foreign, IsWriter: true }, { DBClusterArn: SECONDARY, IsWriter: false }] }],
    });
    await expect(precheck({}, execution, config, deps())).resolves.toMatchObject({ writerRegion: 'ap-south-1' });
  });

  test('a switchover plan without the writer\'s region is refused before any call', async () => {
    await expect(startOperation({ ...plan(), writerRegion: undefined }, config, deps())).rejects.toMatchObject({
      name: 'InvalidRequest', message: 'a switchover must be sent to the current primary\'s region, and the plan has none',
    });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
  });

  test('the target defaults to the orchestrator\'s own region and the mode to switchover', async () => {
    const p = await precheck({}, execution, config, deps());
    expect(p.targetRegion).toBe('us-west-2');
    expect(p.mode).toBe('switchover');
  });

  test('an earlier execution that is no longer running does not block; a later one does not either', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) },
        { executionArn: `${EXEC}-later`, stateMachineArn: SM, name: 'run-3', status: 'RUNNING', startDate: new Date('2026-11-22T10:00:05Z') },
      ],
    });
    await expect(precheck({}, execution, config, deps())).resolves.toMatchObject({ targetClusterArn: SECONDARY });
  });
});

describe('unplanned failover', () => {
  test('FailoverGlobalCluster with AllowDataLoss, no lag check, allowed while the global cluster is not available', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'modifying' })] });
    state.lag = undefined; // the primary region is down: no lag data
    const p = await precheck({ mode: 'failover' }, execution, config, deps());
    expect(p.mode).toBe('failover');
    expect(p.replicationLagMs).toBeUndefined();
    expect(state.lagCalls).toEqual([]);
    rds.on(FailoverGlobalClusterCommand).resolves({});
    expect(await startOperation(p, config, deps())).toEqual({ operation: 'FailoverGlobalCluster', alreadyStarted: false });
    expect(rds.commandCalls(FailoverGlobalClusterCommand)[0].args[0].input).toEqual({
      GlobalClusterIdentifier: 'orders', TargetDbClusterIdentifier: SECONDARY, AllowDataLoss: true,
    });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
  });

  // AWS: "--region – Specify the AWS Region where the secondary DB cluster that you want to be the new primary
  // ... is running" (failover-global-cluster), aurora-global-database-disaster-recovery.html
  test('FailoverGlobalCluster is sent to the target\'s region (the primary\'s region may be down)', async () => {
    rds.on(FailoverGlobalClusterCommand).resolves({});
    await startOperation({ ...plan('failover'), writerRegion: undefined }, config, deps());
    expect(await regionOf(FailoverGlobalClusterCommand)).toBe('us-west-2');
  });

  test('an AWS error of FailoverGlobalCluster propagates unchanged', async () => {
    rds.on(FailoverGlobalClusterCommand).rejects(Object.assign(new Error('not found'), { name: 'GlobalClusterNotFoundFault' }));
    await expect(startOperation(plan('failover'), config, deps())).rejects.toMatchObject({ name: 'GlobalClusterNotFoundFault' });
  });

  test('a retried start after the operation already finished (target is the writer) is recognised', async () => {
    rds.on(SwitchoverGlobalClusterCommand).rejects(Object.assign(new Error('not a secondary'), { name: 'InvalidGlobalClusterStateFault' }));
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({}, SECONDARY)] });
    expect(await startOperation(plan(), config, deps())).toEqual({ operation: 'SwitchoverGlobalCluster', alreadyStarted: true });
    expect(await regionOf(DescribeGlobalClustersCommand)).toBe('us-west-2');
  });

  test('a retried start after the call went through is recognised', async () => {
    rds.on(FailoverGlobalClusterCommand).rejects(Object.assign(new Error('in progress'), { name: 'InvalidGlobalClusterStateFault' }));
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'failing-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] });
    expect(await startOperation(plan('failover'), config, deps())).toEqual({ operation: 'FailoverGlobalCluster', alreadyStarted: true });
  });

  test('an invalid-state fault towards another target is an error', async () => {
    rds.on(SwitchoverGlobalClusterCommand).rejects(Object.assign(new Error('busy'), { name: 'InvalidGlobalClusterStateFault' }));
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ FailoverState: { Status: 'failing-over', ToDbClusterArn: OUTSIDER } })] });
    await expect(startOperation(plan(), config, deps())).rejects.toMatchObject({ name: 'InvalidGlobalClusterStateFault' });
  });
});

describe('refusals', () => {
  test('replication lag too high refuses a planned switchover', async () => {
    state.lag = 4500;
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'ReplicationLagTooHigh',
      message: 'replication lag of us-west-2 is 4500 ms, above the 1000 ms limit for a planned switchover; wait, or use mode "failover" if the primary is down',
    });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
  });

  test('the lag limit can be raised per execution', async () => {
    state.lag = 4500;
    await expect(precheck({ maxReplicationLagMs: 5000 }, execution, config, deps())).resolves.toMatchObject({ replicationLagMs: 4500 });
  });

  test('no lag data refuses a planned switchover', async () => {
    state.lag = undefined;
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'ReplicationLagUnknown' });
  });

  test('a target region that is not in the global database', async () => {
    await expect(precheck({ targetRegion: 'ap-south-1' }, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotMember',
      message: 'ap-south-1 is not a region of global database orders (regions: us-east-1, us-west-2, eu-west-1)',
    });
  });

  test('a configured region whose cluster is not a member (removed from the global cluster)', async () => {
    await expect(precheck({ targetRegion: 'eu-west-1' }, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotMember',
      message: `${OUTSIDER} is not a member of global cluster orders`,
    });
  });

  test('the target is already primary: no-op refused', async () => {
    await expect(precheck({ targetRegion: 'us-east-1' }, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetAlreadyPrimary',
      message: 'us-east-1 is already the primary region of orders: nothing to do',
    });
  });

  test('a target cluster that is not available, or has no instances', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'modifying', DBClusterMembers: [{}] }] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotAvailable', message: `target cluster ${SECONDARY} must be available, it is: modifying`,
    });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available', DBClusterMembers: [] }] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotAvailable', message: `target cluster ${SECONDARY} has no DB instances to promote`,
    });
  });

  test('a switchover needs an available global cluster', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'modifying' })] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'GlobalClusterNotAvailable', message: 'a switchover needs global cluster orders to be available, it is: modifying',
    });
  });

  test('a switchover needs a current writer', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({}, 'none')] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'GlobalClusterNotAvailable', message: 'a switchover needs a writer in global cluster orders, it has none',
    });
  });

  test('a missing global cluster', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'GlobalClusterNotFound' });
  });

  test('an unknown mode', async () => {
    await expect(precheck({ mode: 'promote' }, execution, config, deps())).rejects.toMatchObject({
      name: 'InvalidRequest', message: 'mode must be "switchover" or "failover", got: promote',
    });
  });
});

describe('concurrent starts are refused', () => {
  test('an earlier RUNNING execution of this state machine wins', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: `${EXEC}-earlier`, stateMachineArn: SM, name: 'run-1', status: 'RUNNING', startDate: new Date('2026-11-22T09:59:58Z') },
        { executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) },
      ],
    });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'OperationInProgress', message: `another execution is running: ${EXEC}-earlier`,
    });
  });

  test('two executions started in the same millisecond: the smaller ARN wins', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: `${EXEC.slice(0, -1)}1`, stateMachineArn: SM, name: 'run-1', status: 'RUNNING', startDate: new Date(execution.startTime) },
        { executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) },
      ],
    });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'OperationInProgress' });
  });

  test('an operation started from another region (global cluster already switching over) is refused', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] });
    await expect(precheck({ mode: 'failover' }, execution, config, deps())).rejects.toMatchObject({
      name: 'OperationInProgress', message: `global cluster orders is already failing-over (to ${SECONDARY})`,
    });
  });
});

describe('throttling and retries', () => {
  test('throttled calls are retried with exponential backoff, then succeed', async () => {
    rds.on(SwitchoverGlobalClusterCommand).rejectsOnce(throttle()).rejectsOnce(throttle('ThrottlingException')).resolves({});
    await expect(startOperation(plan(), config, deps())).resolves.toEqual({ operation: 'SwitchoverGlobalCluster', alreadyStarted: false });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(3);
    expect(state.sleeps).toEqual([250, 500]);
  });

  test('persistent throttling surfaces as Throttling for the state machine to retry', async () => {
    rds.on(DescribeGlobalClustersCommand).rejects(Object.assign(new Error('slow down'), { name: 'Whatever', $metadata: { httpStatusCode: 429 } }));
    await expect(checkStatus(plan(), 3, config, deps())).rejects.toMatchObject({
      name: 'Throttling', message: 'DescribeGlobalClusters was throttled 4 times: slow down',
    });
    expect(state.sleeps).toEqual([250, 500, 1000]);
  });

  test('other errors are not retried', async () => {
    rds.on(SwitchoverGlobalClusterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(startOperation(plan(), config, deps())).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(1);
  });

  test('isThrottling recognises names, HTTP 429 and the SDK retryable flag', () => {
    expect(isThrottling(throttle('TooManyRequestsException'))).toBe(true);
    expect(isThrottling({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottling(new Error('x'))).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });

  test('withRetry uses a real timer by default', async () => {
    let n = 0;
    await expect(withRetry('op', async () => {
      if (n++ === 0) throw throttle();
      return 'ok';
    }, {}, 2, 1)).resolves.toBe('ok');
  });
});

