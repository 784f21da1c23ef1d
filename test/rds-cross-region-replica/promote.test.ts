import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DBInstance, DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  checkStatus, dispatch, ExecutionContext, handler, notify, precheck, promote, PromoteConfig, PromoteDeps, readConfig, readReplicaLag, watch,
} from '../../src/rds-cross-region-replica/promote.lambda';

const rds = mockClient(RDSClient);
const sfn = mockClient(SFNClient);
const sns = mockClient(SNSClient);
const cw = mockClient(CloudWatchClient);

const SOURCE = 'arn:aws:rds:us-east-1:111111111111:db:orders-us-east-1';
const SM = 'arn:aws:states:us-west-2:111111111111:stateMachine:orders-promote-replica';
const EXEC = `${SM.replace(':stateMachine:', ':execution:')}:run-2`;
const NOW = new Date('2026-11-22T10:05:00.000Z');

const config: PromoteConfig = {
  instanceIdentifier: 'orders-us-west-2',
  instanceArn: 'arn:aws:rds:us-west-2:111111111111:db:orders-us-west-2',
  region: 'us-west-2',
  topicArn: 'arn:aws:sns:us-west-2:111111111111:alarms',
  backupRetentionDays: 7,
  maxReplicaLagSeconds: 30,
  promotionMetric: { namespace: 'CdkMultiRegionFailover/RdsCrossRegionReplica', metricName: 'Promoted' },
};
const noDns: PromoteConfig = { ...config, promotionMetric: undefined };
const execution: ExecutionContext = { executionArn: EXEC, stateMachineArn: SM, startTime: '2026-11-22T10:00:00.000Z' };
const sleeps: number[] = [];

function deps(): PromoteDeps {
  return {
    rds: new RDSClient({ region: 'us-west-2' }),
    sfn: new SFNClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
    cloudwatch: new CloudWatchClient({ region: 'us-west-2' }),
    sleep: async (ms) => { sleeps.push(ms); },
    now: () => NOW,
  };
}

function instance(overrides: Partial<DBInstance> = {}): DBInstance {
  return { DBInstanceIdentifier: 'orders-us-west-2', DBInstanceStatus: 'available', ReadReplicaSourceDBInstanceIdentifier: SOURCE, ...overrides };
}

function awsError(name: string, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected a failure');
}

beforeEach(() => {
  for (const m of [rds, sfn, sns, cw]) m.reset();
  sleeps.length = 0;
  sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) }] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance()] });
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: [2, 5] }] });
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('precheck', () => {
  test('planned (the default): no other execution, a replica that is available, ReplicaLag known and within the limit', async () => {
    const plan = await precheck({}, execution, config, deps());
    expect(plan).toEqual({ mode: 'planned', instanceIdentifier: 'orders-us-west-2', sourceArn: SOURCE, replicaLagSeconds: 2, startedAt: execution.startTime });
    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: SM, statusFilter: 'RUNNING', maxResults: 100 });
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: 'orders-us-west-2' });
    const query = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(query.MetricDataQueries![0].MetricStat).toEqual({
      Metric: { Namespace: 'AWS/RDS', MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-us-west-2' }] },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(query.StartTime).toEqual(new Date(NOW.getTime() - 600_000));
    expect(query.ScanBy).toBe('TimestampDescending');
  });

  test('unplanned skips the lag gate: the primary region may be down and its lag unknown', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: [] }] });
    const plan = await precheck({ mode: 'unplanned' }, execution, config, deps());
    expect(plan).toEqual({ mode: 'unplanned', instanceIdentifier: 'orders-us-west-2', sourceArn: SOURCE, replicaLagSeconds: undefined, startedAt: execution.startTime });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  test.each([
    ['no lag data', [] as number[], 'ReplicaLagUnknown', 'no ReplicaLag data for orders-us-west-2 in the last 10 minutes: refusing a planned promotion; use mode "unplanned" if the primary is down'],
    ['ReplicaLag -1 (replication not active)', [-1], 'ReplicationNotActive', 'ReplicaLag of orders-us-west-2 is -1: replication is not active, refusing a planned promotion; use mode "unplanned" if the primary is down'],
    ['lag above the limit', [31], 'ReplicaLagTooHigh', 'ReplicaLag of orders-us-west-2 is 31 s, above the 30 s limit of a planned promotion; stop writes on the primary and wait, or use mode "unplanned"'],
  ])('planned refuses with %s', async (_what, values, name, message) => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: values }] });
    expect(await failure(precheck({ mode: 'planned' }, execution, config, deps()))).toEqual({ name, message });
  });

  test('the request can raise the lag limit', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: [31] }] });
    expect((await precheck({ maxReplicaLagSeconds: 60 }, execution, config, deps())).replicaLagSeconds).toBe(31);
  });

  test('an unknown mode is refused before any AWS call', async () => {
    expect(await failure(precheck({ mode: 'switchover' }, execution, config, deps())))
      .toEqual({ name: 'InvalidRequest', message: 'mode must be "planned" or "unplanned", got: switchover' });
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(0);
  });

  test('an older running execution wins; on equal start times the smaller ARN wins', async () => {
    const older = `${SM.replace(':stateMachine:', ':execution:')}:run-1`;
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) },
        { executionArn: older, stateMachineArn: SM, name: 'run-1', status: 'RUNNING', startDate: new Date(execution.startTime) },
      ],
    });
    expect(await failure(precheck({}, execution, config, deps()))).toEqual({ name: 'OperationInProgress', message: `another promotion is running: ${older}` });
    // The older execution itself goes on.
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date('2026-11-22T10:00:01.000Z') },
      ],
    });
    await expect(precheck({}, execution, config, deps())).resolves.toMatchObject({ mode: 'planned' });
  });

  test.each([
    ['missing instance', () => rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault')), 'ReplicaNotFound',
      'DB instance orders-us-west-2 was not found in us-west-2'],
    ['already promoted', () => rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ ReadReplicaSourceDBInstanceIdentifier: undefined })] }),
      'NotAReplica', 'orders-us-west-2 is not a read replica (already promoted, or the primary): nothing to promote; its status is available'],
    ['backing up', () => rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'backing-up' })] }),
      'ReplicaNotReady', 'orders-us-west-2 must be available to be promoted (RDS refuses while it is backing-up), it is: backing-up'],
  ])('refuses a %s', async (_what, arrange, name, message) => {
    arrange();
    expect(await failure(precheck({ mode: 'unplanned' }, execution, config, deps()))).toEqual({ name, message });
  });

  test('AWS errors pass through (the state machine catches them as a refusal)', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 'not authorized to perform rds:DescribeDBInstances'));
    expect(await failure(precheck({}, execution, config, deps()))).toEqual({ name: 'AccessDenied', message: 'not authorized to perform rds:DescribeDBInstances' });
    sfn.on(ListExecutionsCommand).rejects(awsError('AccessDeniedException', 'no states:ListExecutions'));
    expect(await failure(precheck({}, execution, config, deps()))).toEqual({ name: 'AccessDeniedException', message: 'no states:ListExecutions' });
  });

  test('throttled calls are retried with backoff, then surface as Throttling for the state machine to retry', async () => {
    rds.on(DescribeDBInstancesCommand).rejectsOnce(awsError('Throttling')).resolves({ DBInstances: [instance()] });
    await expect(precheck({ mode: 'unplanned' }, execution, config, deps())).resolves.toMatchObject({ mode: 'unplanned' });
    expect(sleeps).toEqual([250]);
    rds.on(DescribeDBInstancesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    expect(await failure(precheck({ mode: 'unplanned' }, execution, config, deps())))
      .toEqual({ name: 'Throttling', message: 'DescribeDBInstances was throttled 4 times: Rate exceeded' });
  });
});

describe('promote', () => {
  test('calls PromoteReadReplica with the construct\'s backup retention', async () => {
    rds.on(PromoteReadReplicaCommand).resolves({});
    expect(await promote(config, deps())).toEqual({ alreadyStarted: false });
    expect(rds.commandCalls(PromoteReadReplicaCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: 'orders-us-west-2', BackupRetentionPeriod: 7 });
  });

  test('a retry that finds the instance no longer a replica succeeds without a second promotion', async () => {
    rds.on(PromoteReadReplicaCommand).rejects(awsError('InvalidDBInstanceStateFault', 'DB Instance is not a read replica.'));
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'modifying', ReadReplicaSourceDBInstanceIdentifier: undefined })] });
    expect(await promote(config, deps())).toEqual({ alreadyStarted: true });
  });

  test('InvalidDBInstanceStateFault on a replica (backing-up) is ReplicaNotReady, which the state machine retries', async () => {
    rds.on(PromoteReadReplicaCommand).rejects(awsError('InvalidDBInstanceStateFault', 'Instance is backing up'));
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'backing-up' })] });
    expect(await failure(promote(config, deps())))
      .toEqual({ name: 'ReplicaNotReady', message: 'orders-us-west-2 cannot be promoted while it is backing-up: Instance is backing up' });
  });

  test('a missing instance, a missing instance on re-read, and other AWS errors', async () => {
    rds.on(PromoteReadReplicaCommand).rejects(awsError('DBInstanceNotFoundFault'));
    expect(await failure(promote(config, deps()))).toEqual({ name: 'ReplicaNotFound', message: 'DB instance orders-us-west-2 was not found in us-west-2' });
    rds.on(PromoteReadReplicaCommand).rejects(awsError('InvalidDBInstanceStateFault'));
    rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault'));
    expect(await failure(promote(config, deps()))).toEqual({ name: 'ReplicaNotFound', message: 'DB instance orders-us-west-2 was not found in us-west-2' });
    rds.on(PromoteReadReplicaCommand).rejects(awsError('KMSKeyNotAccessibleFault', 'key disabled'));
    expect(await failure(promote(config, deps()))).toEqual({ name: 'KMSKeyNotAccessibleFault', message: 'key disabled' });
  });
});

describe('checkStatus', () => {
  test.each([
    ['still a replica while modifying', instance({ DBInstanceStatus: 'modifying' }), { attempt: 4, done: false, status: 'modifying', isReplica: true }],
    ['rebooting after replication stopped', instance({ DBInstanceStatus: 'rebooting', ReadReplicaSourceDBInstanceIdentifier: undefined }),
      { attempt: 4, done: false, status: 'rebooting', isReplica: false }],
    ['available but still a replica', instance(), { attempt: 4, done: false, status: 'available', isReplica: true }],
  ])('not done: %s', async (_what, db, expected) => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [db] });
    expect(await checkStatus(3, config, deps())).toEqual(expected);
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('done when available and no longer a replica: the promotion metric is published at once', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ ReadReplicaSourceDBInstanceIdentifier: undefined })] });
    expect(await checkStatus(3, config, deps())).toEqual({ attempt: 4, done: true, status: 'available', isReplica: false, published: true });
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input).toEqual({
      Namespace: 'CdkMultiRegionFailover/RdsCrossRegionReplica',
      MetricData: [{ MetricName: 'Promoted', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-us-west-2' }], Value: 1, Unit: 'Count', Timestamp: NOW }],
    });
  });

  test('without a writer DNS name nothing is published', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ ReadReplicaSourceDBInstanceIdentifier: undefined })] });
    expect(await checkStatus(0, noDns, deps())).toEqual({ attempt: 1, done: true, status: 'available', isReplica: false, published: false });
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('a vanished instance and a failed PutMetricData fail the poll', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault'));
    expect(await failure(checkStatus(0, config, deps()))).toEqual({ name: 'ReplicaNotFound', message: 'DB instance orders-us-west-2 was not found in us-west-2' });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ ReadReplicaSourceDBInstanceIdentifier: undefined })] });
    cw.on(PutMetricDataCommand).rejects(awsError('AccessDenied', 'no cloudwatch:PutMetricData'));
    expect(await failure(checkStatus(0, config, deps()))).toEqual({ name: 'AccessDenied', message: 'no cloudwatch:PutMetricData' });
  });
});

describe('watch (every minute, with a writer DNS name)', () => {
  const published = () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData![0].Value);

  test.each([
    ['a replica publishes 0', instance({ DBInstanceStatus: 'creating' }), { state: 'replica', status: 'creating', published: 0 }, [0]],
    ['a promoted, available instance publishes 1', instance({ ReadReplicaSourceDBInstanceIdentifier: undefined }), { state: 'promoted', status: 'available', published: 1 }, [1]],
    ['a promoted instance taking its first backup publishes 1', instance({ DBInstanceStatus: 'backing-up', ReadReplicaSourceDBInstanceIdentifier: undefined }),
      { state: 'promoted', status: 'backing-up', published: 1 }, [1]],
    ['a standalone instance still rebooting publishes nothing', instance({ DBInstanceStatus: 'rebooting', ReadReplicaSourceDBInstanceIdentifier: undefined }),
      { state: 'unknown', status: 'rebooting' }, []],
  ])('%s', async (_what, db, expected, values) => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [db] });
    expect(await watch(config, deps())).toEqual(expected);
    expect(published()).toEqual(values);
  });

  test('a missing instance (renamed during a rebuild) publishes nothing: Route 53 keeps the last known status', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault'));
    expect(await watch(config, deps())).toEqual({ state: 'unknown' });
    expect(published()).toEqual([]);
  });

  test('without a writer DNS name the watcher publishes nothing', async () => {
    expect(await watch(noDns, deps())).toEqual({ state: 'replica', status: 'available', published: undefined });
    expect(published()).toEqual([]);
  });

  test('AWS errors fail the invocation (nothing is published)', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 'denied'));
    expect(await failure(watch(config, deps()))).toEqual({ name: 'AccessDenied', message: 'denied' });
    expect(published()).toEqual([]);
  });
});

describe('notify, dispatch, configuration', () => {
  test('notify publishes the outcome, the measured duration and what to do next', async () => {
    const plan = { mode: 'unplanned' as const, instanceIdentifier: 'orders-us-west-2', sourceArn: SOURCE, startedAt: execution.startTime };
    const out = await notify({
      outcome: 'succeeded',
      plan,
      poll: { attempt: 9, done: true, status: 'available', isReplica: false },
      executionArn: EXEC,
      executionStartTime: execution.startTime,
    }, config, deps());
    expect(out).toEqual({ durationSeconds: 300, messageId: 'm-1' });
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.TopicArn).toBe(config.topicArn);
    expect(input.Subject).toBe('RDS unplanned promotion of orders-us-west-2 succeeded (300 s)');
    expect(JSON.parse(input.Message!)).toMatchObject({ outcome: 'succeeded', previousSourceArn: SOURCE, status: 'available', region: 'us-west-2' });
    expect(JSON.parse(input.Message!).next).toContain('rebuild the replica');
  });

  test('notify of a refusal names the error; an SNS failure fails the state (the state machine still ends in its outcome)', async () => {
    await notify({
      outcome: 'refused',
      request: { mode: 'planned' },
      error: { Error: 'ReplicaLagTooHigh', Cause: JSON.stringify({ errorMessage: 'lag 31 s' }) },
      executionArn: EXEC,
      executionStartTime: execution.startTime,
    }, config, deps());
    const message = JSON.parse(sns.commandCalls(PublishCommand)[0].args[0].input.Message!);
    expect(message).toMatchObject({ outcome: 'refused', mode: 'planned', error: 'ReplicaLagTooHigh: lag 31 s' });
    expect(message.next).toBeUndefined();
    sns.on(PublishCommand).rejects(awsError('KMSAccessDeniedException', 'topic key'));
    expect(await failure(notify({ outcome: 'failed', executionArn: EXEC, executionStartTime: execution.startTime }, config, deps())))
      .toEqual({ name: 'KMSAccessDeniedException', message: 'topic key' });
  });

  test('dispatch routes every action and refuses unknown ones', async () => {
    rds.on(PromoteReadReplicaCommand).resolves({});
    await expect(dispatch({ action: 'precheck', execution, request: { mode: 'unplanned' } }, config, deps())).resolves.toMatchObject({ mode: 'unplanned' });
    await expect(dispatch({ action: 'promote', execution }, config, deps())).resolves.toEqual({ alreadyStarted: false });
    await expect(dispatch({ action: 'status', execution, poll: { attempt: 2, done: false, status: 'modifying', isReplica: true } }, config, deps()))
      .resolves.toMatchObject({ attempt: 3 });
    await expect(dispatch({ action: 'status', execution }, config, deps())).resolves.toMatchObject({ attempt: 1 });
    await expect(dispatch({ action: 'notify', execution, outcome: 'stuck', state: {} }, config, deps())).resolves.toEqual({ durationSeconds: 300, messageId: 'm-1' });
    await expect(dispatch({ action: 'notify', execution }, config, deps())).resolves.toMatchObject({ messageId: 'm-1' });
    await expect(dispatch({ action: 'watch' }, config, deps())).resolves.toEqual({ state: 'replica', status: 'available', published: 0 });
    expect(await failure(dispatch({ action: 'precheck' }, config, deps())))
      .toEqual({ name: 'InvalidRequest', message: 'action precheck needs the execution context' });
    expect(await failure(dispatch({ action: 'reboot' } as any, config, deps()))).toEqual({ name: 'InvalidRequest', message: 'unknown action: reboot' });
  });

  test('direct invocation (no state machine): promote, then status, need no execution context', async () => {
    rds.on(PromoteReadReplicaCommand).resolves({});
    await expect(dispatch({ action: 'promote' }, config, deps())).resolves.toEqual({ alreadyStarted: false });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ ReadReplicaSourceDBInstanceIdentifier: undefined })] });
    await expect(dispatch({ action: 'status' }, config, deps())).resolves.toEqual({ attempt: 1, done: true, status: 'available', isReplica: false, published: true });
  });

  test('readReplicaLag returns undefined without results', async () => {
    cw.on(GetMetricDataCommand).resolves({});
    expect(await readReplicaLag(config, deps())).toBeUndefined();
  });

  test('readConfig and handler read PROMOTE_CONFIG and build the region\'s clients', async () => {
    expect(() => readConfig({})).toThrow('PROMOTE_CONFIG is not set');
    expect(readConfig({ PROMOTE_CONFIG: JSON.stringify(config) })).toEqual(config);
    process.env.PROMOTE_CONFIG = JSON.stringify(config);
    try {
      await expect(handler({ action: 'watch' })).resolves.toEqual({ state: 'replica', status: 'available', published: 0 });
      // A second invocation reuses the cached configuration and clients.
      await expect(handler({ action: 'watch' })).resolves.toEqual({ state: 'replica', status: 'available', published: 0 });
      expect(await rds.call(0).thisValue.config.region()).toBe('us-west-2');
    } finally {
      delete process.env.PROMOTE_CONFIG;
    }
  });
});
