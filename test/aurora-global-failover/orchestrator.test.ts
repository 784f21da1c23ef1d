import {
  DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, GlobalCluster, RDSClient, SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  checkStatus, cloudWatchLagReader, Deps, dispatch, ExecutionContext, handler, isThrottling, notify, OrchestratorConfig, Plan, precheck, readConfig,
  startOperation, updateDns, withRetry,
} from '../../src/aurora-global-failover/orchestrator.lambda';

const rds = mockClient(RDSClient);
const sfn = mockClient(SFNClient);
const sns = mockClient(SNSClient);
const r53 = mockClient(Route53Client);

const PRIMARY = 'arn:aws:rds:us-east-1:111111111111:cluster:orders-us-east-1';
const SECONDARY = 'arn:aws:rds:us-west-2:111111111111:cluster:orders-us-west-2';
const OUTSIDER = 'arn:aws:rds:eu-west-1:111111111111:cluster:orders-eu-west-1';
const SM = 'arn:aws:states:us-west-2:111111111111:stateMachine:orders-failover';
const EXEC = `${SM.replace(':stateMachine:', ':execution:')}:run-2`;

const config: OrchestratorConfig = {
  globalClusterIdentifier: 'orders',
  region: 'us-west-2',
  clusterArns: { 'us-east-1': PRIMARY, 'us-west-2': SECONDARY, 'eu-west-1': OUTSIDER },
  topicArn: 'arn:aws:sns:us-west-2:111111111111:alarms',
  maxReplicationLagMs: 1000,
  dns: { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com', ttl: 30 },
};
const execution: ExecutionContext = { executionArn: EXEC, stateMachineArn: SM, startTime: '2026-11-22T10:00:00.000Z' };

let lag: number | undefined;
const lagCalls: string[] = [];
const sleeps: number[] = [];
function deps(overrides: Partial<Deps> = {}): Deps {
  return {
    rds: (region) => new RDSClient({ region }),
    sfn: new SFNClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
    route53: new Route53Client({ region: 'us-west-2' }),
    lag: async (region, id) => {
      lagCalls.push(`${region}/${id}`);
      return lag;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => new Date('2026-11-22T10:01:23.000Z'),
    ...overrides,
  };
}

function globalCluster(overrides: Partial<GlobalCluster> = {}, writer = PRIMARY): GlobalCluster {
  return {
    GlobalClusterIdentifier: 'orders',
    Status: 'available',
    GlobalClusterMembers: [PRIMARY, SECONDARY].map((arn) => ({ DBClusterArn: arn, IsWriter: arn === writer })),
    ...overrides,
  };
}

function throttle(name = 'Throttling'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 400 } });
}

const plan = (mode: 'switchover' | 'failover' = 'switchover'): Plan => ({
  mode,
  globalClusterIdentifier: 'orders',
  targetRegion: 'us-west-2',
  targetClusterArn: SECONDARY,
  previousWriterArn: PRIMARY,
  startedAt: execution.startTime,
});

beforeEach(() => {
  rds.reset();
  sfn.reset();
  sns.reset();
  r53.reset();
  lag = 120;
  lagCalls.length = 0;
  sleeps.length = 0;
  sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) }] });
  rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster()] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterArn: SECONDARY, Status: 'available', Endpoint: 'orders-us-west-2.cluster-abc.us-west-2.rds.amazonaws.com', DBClusterMembers: [{ DBInstanceIdentifier: 'i1' }] }] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('switchover happy path', () => {
  test('precheck → start → poll until the target is writer → DNS → notification with the duration', async () => {
    const p = await precheck({ mode: 'switchover', targetRegion: 'us-west-2' }, execution, config, deps());
    expect(p).toEqual({ ...plan(), replicationLagMs: 120 });
    expect(lagCalls).toEqual(['us-west-2/orders-us-west-2']);
    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: SM, statusFilter: 'RUNNING', maxResults: 100 });

    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    expect(await startOperation(p, config, deps())).toEqual({ operation: 'SwitchoverGlobalCluster', alreadyStarted: false });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)[0].args[0].input).toEqual({ GlobalClusterIdentifier: 'orders', TargetDbClusterIdentifier: SECONDARY });
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(0);

    rds.resetHistory();
    rds.on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] })
      .resolvesOnce({ GlobalClusters: [globalCluster({ Status: 'available' }, SECONDARY)] });
    const poll1 = await checkStatus(p, 0, config, deps());
    expect(poll1).toEqual({ attempt: 1, done: false, status: 'switching-over', writerArn: PRIMARY });
    const poll2 = await checkStatus(p, poll1.attempt, config, deps());
    expect(poll2).toEqual({ attempt: 2, done: true, status: 'available', writerArn: SECONDARY });

    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    const dns = await updateDns(p, config, deps());
    expect(dns).toEqual({ recordName: 'writer.db.example.com', value: 'orders-us-west-2.cluster-abc.us-west-2.rds.amazonaws.com', changeId: '/change/C1' });
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0].args[0].input).toEqual({
      HostedZoneId: 'Z0123456789ABC',
      ChangeBatch: {
        Comment: 'switchover of orders to us-west-2',
        Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'writer.db.example.com', Type: 'CNAME', TTL: 30, ResourceRecords: [{ Value: 'orders-us-west-2.cluster-abc.us-west-2.rds.amazonaws.com' }] } }],
      },
    });

    const n = await notify({ outcome: 'succeeded', plan: p, poll: poll2, dns, executionArn: EXEC, executionStartTime: execution.startTime }, config, deps());
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
      dnsRecord: { recordName: 'writer.db.example.com' },
    });
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
    lag = undefined; // the primary region is down: no lag data
    const p = await precheck({ mode: 'failover' }, execution, config, deps());
    expect(p.mode).toBe('failover');
    expect(p.replicationLagMs).toBeUndefined();
    expect(lagCalls).toEqual([]);
    rds.on(FailoverGlobalClusterCommand).resolves({});
    expect(await startOperation(p, config, deps())).toEqual({ operation: 'FailoverGlobalCluster', alreadyStarted: false });
    expect(rds.commandCalls(FailoverGlobalClusterCommand)[0].args[0].input).toEqual({
      GlobalClusterIdentifier: 'orders', TargetDbClusterIdentifier: SECONDARY, AllowDataLoss: true,
    });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
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
    lag = 4500;
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'ReplicationLagTooHigh',
      message: 'replication lag of us-west-2 is 4500 ms, above the 1000 ms limit for a planned switchover; wait, or use mode "failover" if the primary is down',
    });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
  });

  test('the lag limit can be raised per execution', async () => {
    lag = 4500;
    await expect(precheck({ maxReplicationLagMs: 5000 }, execution, config, deps())).resolves.toMatchObject({ replicationLagMs: 4500 });
  });

  test('no lag data refuses a planned switchover', async () => {
    lag = undefined;
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
    expect(sleeps).toEqual([250, 500]);
  });

  test('persistent throttling surfaces as Throttling for the state machine to retry', async () => {
    rds.on(DescribeGlobalClustersCommand).rejects(Object.assign(new Error('slow down'), { name: 'Whatever', $metadata: { httpStatusCode: 429 } }));
    await expect(checkStatus(plan(), 3, config, deps())).rejects.toMatchObject({
      name: 'Throttling', message: 'DescribeGlobalClusters was throttled 4 times: slow down',
    });
    expect(sleeps).toEqual([250, 500, 1000]);
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

describe('global cluster stuck', () => {
  test('polls never report done while the global cluster stays switching-over; the attempt counter grows', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster({ Status: 'switching-over', FailoverState: { Status: 'failing-over', ToDbClusterArn: SECONDARY } })] });
    let poll = { attempt: 0, done: false } as { attempt: number; done: boolean };
    for (let i = 0; i < 3; i++) {
      poll = await checkStatus(plan(), poll.attempt, config, deps());
      expect(poll.done).toBe(false);
    }
    expect(poll.attempt).toBe(3);
  });

  test('available but with the old writer is not done', async () => {
    expect((await checkStatus(plan(), 0, config, deps())).done).toBe(false);
  });

  test('the stuck notification says so', async () => {
    await notify({ outcome: 'stuck', plan: plan(), poll: { attempt: 60, done: false, status: 'switching-over' }, executionArn: EXEC, executionStartTime: execution.startTime }, config, deps());
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('Aurora global switchover to us-west-2 stuck (83 s)');
  });
});

describe('DNS update failure is reported', () => {
  test('a Route 53 error propagates to the state machine (which notifies and fails with DnsUpdateFailed)', async () => {
    r53.on(ChangeResourceRecordSetsCommand).rejects(Object.assign(new Error('zone not found'), { name: 'NoSuchHostedZone' }));
    await expect(updateDns(plan(), config, deps())).rejects.toMatchObject({ name: 'NoSuchHostedZone' });
  });

  test('no writer endpoint', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
    await expect(updateDns(plan(), config, deps())).rejects.toMatchObject({ name: 'DnsUpdateFailed' });
  });

  test('no DNS configured', async () => {
    await expect(updateDns(plan(), { ...config, dns: undefined }, deps())).rejects.toMatchObject({ name: 'InvalidRequest' });
  });

  test('the notification carries the Lambda error message', async () => {
    await notify({
      outcome: 'dns-failed',
      plan: plan(),
      executionArn: EXEC,
      executionStartTime: execution.startTime,
      error: { Error: 'NoSuchHostedZone', Cause: JSON.stringify({ errorType: 'NoSuchHostedZone', errorMessage: 'zone not found' }) },
    }, config, deps());
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.Subject).toBe('Aurora global switchover to us-west-2 dns-failed (83 s)');
    expect(JSON.parse(input.Message!).error).toBe('NoSuchHostedZone: zone not found');
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
});

describe('dispatch and handler', () => {
  test('dispatch routes every action', async () => {
    const d = deps();
    await expect(dispatch({ action: 'precheck', execution, request: {} }, config, d)).resolves.toMatchObject({ targetRegion: 'us-west-2' });
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    await expect(dispatch({ action: 'start', execution, plan: plan() }, config, d)).resolves.toMatchObject({ alreadyStarted: false });
    await expect(dispatch({ action: 'status', execution, plan: plan() }, config, d)).resolves.toMatchObject({ attempt: 1 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({});
    await expect(dispatch({ action: 'dns', execution, plan: plan() }, config, d)).resolves.toMatchObject({ recordName: 'writer.db.example.com' });
    await expect(dispatch({ action: 'notify', execution, outcome: 'refused', state: { request: {} } }, config, d)).resolves.toMatchObject({ durationSeconds: 83 });
    await expect(dispatch({ action: 'start', execution }, config, d)).rejects.toMatchObject({ name: 'InvalidRequest', message: 'action start needs a plan' });
    await expect(dispatch({ action: 'bogus' as any, execution }, config, d)).rejects.toMatchObject({ name: 'InvalidRequest', message: 'unknown action: bogus' });
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
