import {
  DescribeGlobalReplicationGroupsCommand, DescribeReplicationGroupsCommand, FailoverGlobalReplicationGroupCommand,
  GlobalReplicationGroupNotFoundFault, InvalidGlobalReplicationGroupStateFault, InvalidParameterValueException, ReplicationGroupNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  config, deps, elasticache, EXEC, execution, GID, globalDatastore, plan, regionOf, resetMocks, sfn, SM, sns, state, throttle,
} from './promote-fixtures';
import { checkStatus, dispatch, handler, notify, precheck, promote, readConfig, run } from '../../src/global-cache/promote.lambda';

beforeEach(resetMocks);

const fault = <T>(Fault: new (opts: any) => T, message = 'nope'): T => new Fault({ message, $metadata: { httpStatusCode: 400 } });

describe('promotion happy path', () => {
  test('precheck → FailoverGlobalReplicationGroup naming the target → poll until the target is the available primary → notification', async () => {
    const p = await precheck({ targetRegion: 'us-west-2' }, execution, config, deps());
    expect(p).toEqual(plan());
    expect(elasticache.commandCalls(DescribeGlobalReplicationGroupsCommand)[0].args[0].input)
      .toEqual({ GlobalReplicationGroupId: GID, ShowMemberInfo: true });
    expect(elasticache.commandCalls(DescribeReplicationGroupsCommand)[0].args[0].input).toEqual({ ReplicationGroupId: 'sessions-us-west-2' });
    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: SM, statusFilter: 'RUNNING', maxResults: 100 });

    elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
    expect(await promote(p, config, deps())).toEqual({ operation: 'FailoverGlobalReplicationGroup', alreadyStarted: false });
    // PrimaryRegion / PrimaryReplicationGroupId name the NEW primary (the secondary to promote).
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand)[0].args[0].input).toEqual({
      GlobalReplicationGroupId: GID, PrimaryRegion: 'us-west-2', PrimaryReplicationGroupId: 'sessions-us-west-2',
    });
    expect(await regionOf(FailoverGlobalReplicationGroupCommand)).toBe('us-west-2');

    elasticache.resetHistory();
    elasticache.on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce({ GlobalReplicationGroups: [globalDatastore({ Status: 'modifying' })] })
      .resolvesOnce({ GlobalReplicationGroups: [globalDatastore({ Status: 'modifying' }, 'us-west-2')] });
    const poll1 = await checkStatus(p, 0, config, deps());
    expect(poll1).toEqual({ attempt: 1, done: false, status: 'modifying', primaryRegion: 'us-east-1' });
    expect(elasticache.commandCalls(DescribeReplicationGroupsCommand)).toHaveLength(0);
    const poll2 = await checkStatus(p, poll1.attempt, config, deps());
    // Done although the global datastore is still `modifying`: the new primary takes writes.
    expect(poll2).toEqual({ attempt: 2, done: true, status: 'modifying', primaryRegion: 'us-west-2', targetStatus: 'available' });

    const n = await notify({ outcome: 'succeeded', plan: p, poll: poll2, executionArn: EXEC, executionStartTime: execution.startTime }, config, deps());
    expect(n).toEqual({ durationSeconds: 83, messageId: 'm-1' });
    const published = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.TopicArn).toBe(config.topicArn);
    expect(published.Subject).toBe('ElastiCache sessions: promotion to us-west-2 succeeded (83 s)');
    expect(JSON.parse(published.Message!)).toEqual({
      outcome: 'succeeded',
      globalReplicationGroupId: GID,
      targetRegion: 'us-west-2',
      targetReplicationGroupId: 'sessions-us-west-2',
      previousPrimaryRegion: 'us-east-1',
      newPrimaryRegion: 'us-west-2',
      durationSeconds: 83,
      executionArn: EXEC,
      functionRegion: 'us-west-2',
    });
  });

  test('the target defaults to the function\'s own region', async () => {
    await expect(precheck({}, execution, config, deps())).resolves.toMatchObject({ targetRegion: 'us-west-2', targetReplicationGroupId: 'sessions-us-west-2' });
  });

  test('promoting back: the us-east-1 function promotes us-east-1 while us-west-2 is the primary', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({}, 'us-west-2')] });
    elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ Status: 'available' }] });
    const east = { ...config, region: 'us-east-1' };
    const p = await precheck({}, execution, east, deps());
    expect(p).toMatchObject({ targetRegion: 'us-east-1', targetReplicationGroupId: 'sessions-us-east-1', previousPrimaryRegion: 'us-west-2' });
    elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
    await promote(p, east, deps());
    expect(await regionOf(FailoverGlobalReplicationGroupCommand)).toBe('us-east-1');
  });

  test('a modifying global datastore is not refused ("Promotion is allowed anytime, even if other modifications are in progress")', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({ Status: 'modifying' })] });
    await expect(precheck({}, execution, config, deps())).resolves.toMatchObject({ targetRegion: 'us-west-2' });
  });
});

describe('the primary region is down', () => {
  test('every call goes to the surviving target region; the primary\'s endpoint is never contacted', async () => {
    state.down = ['us-east-1'];
    // AWS still lists us-east-1 as PRIMARY: it cannot answer, and that is why we promote.
    const p = await precheck({ targetRegion: 'us-west-2' }, execution, config, deps());
    elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
    await promote(p, config, deps());
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({ Status: 'modifying' }, 'us-west-2')] });
    await expect(checkStatus(p, 0, config, deps())).resolves.toMatchObject({ done: true, primaryRegion: 'us-west-2' });
    expect(new Set(state.clientRegions)).toEqual(new Set(['us-west-2']));
    for (const command of [DescribeGlobalReplicationGroupsCommand, DescribeReplicationGroupsCommand, FailoverGlobalReplicationGroupCommand]) {
      for (let i = 0; i < elasticache.commandCalls(command as any).length; i++) {
        expect(await regionOf(command, i)).toBe('us-west-2');
      }
    }
  });

  test('the direct invocation (run) works from the surviving region too', async () => {
    state.down = ['us-east-1'];
    elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
    const out = await run({ targetRegion: 'us-west-2' }, config, deps());
    expect(out).toEqual({
      plan: { ...plan(), startedAt: '2026-11-22T10:01:23.000Z' },
      start: { operation: 'FailoverGlobalReplicationGroup', alreadyStarted: false },
    });
    // A direct invocation has no execution: no ListExecutions.
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(0);
    expect(state.clientRegions.every((r) => r === 'us-west-2')).toBe(true);
  });
});

describe('refusals (nothing changes)', () => {
  test('a region that is not a member', async () => {
    await expect(precheck({ targetRegion: 'ap-south-1' }, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotMember',
      message: `ap-south-1 is not a region of global datastore ${GID} (regions: us-east-1, us-west-2, eu-west-1)`,
    });
    expect(elasticache.calls()).toHaveLength(0);
  });

  test('another execution is already running (the oldest wins)', async () => {
    const other = `${SM.replace(':stateMachine:', ':execution:')}:run-1`;
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, startDate: new Date(execution.startTime) } as any,
        { executionArn: other, startDate: new Date('2026-11-22T09:59:00.000Z') } as any,
      ],
    });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'OperationInProgress', message: `another promotion is running: ${other}` });
    expect(elasticache.calls()).toHaveLength(0);
  });

  test('the same start time: the smaller execution ARN wins', async () => {
    const twin = `${EXEC}-b`;
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: twin, startDate: new Date(execution.startTime) } as any] });
    await expect(precheck({}, execution, config, deps())).resolves.toBeDefined();
    await expect(precheck({}, { ...execution, executionArn: `${EXEC}-c` }, config, deps())).rejects.toMatchObject({ name: 'OperationInProgress' });
  });

  test('the global datastore does not exist (AWS fault, or an empty answer)', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).rejects(fault(GlobalReplicationGroupNotFoundFault, 'not found'));
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'GlobalDatastoreNotFound', message: `global datastore ${GID} was not found in us-west-2`,
    });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'GlobalDatastoreNotFound' });
  });

  test.each([['creating'], ['deleting']])('the global datastore is %s', async (status) => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({ Status: status })] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'GlobalDatastoreNotAvailable', message: `global datastore ${GID} is ${status}` });
  });

  test('the target is not (or no longer) a member of the global datastore', async () => {
    const g = globalDatastore();
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [{ ...g, Members: g.Members!.slice(0, 1) }] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotMember', message: `sessions-us-west-2 (us-west-2) is not a member of global datastore ${GID}`,
    });
  });

  test('the target is already the primary', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({}, 'us-west-2')] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetAlreadyPrimary', message: `us-west-2 is already the primary region of ${GID}: nothing to do`,
    });
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand)).toHaveLength(0);
  });

  test('the target member is not associated (e.g. still associating)', async () => {
    const g = globalDatastore();
    const members = g.Members!.map((m) => (m.ReplicationGroupRegion === 'us-west-2' ? { ...m, Status: 'associating' } : m));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [{ ...g, Members: members }] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotAvailable', message: 'member sessions-us-west-2 must be associated, it is: associating',
    });
  });

  test('the target replication group is not available, or missing', async () => {
    elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ Status: 'modifying' }] });
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({
      name: 'TargetNotAvailable', message: 'replication group sessions-us-west-2 must be available, it is: modifying',
    });
    elasticache.on(DescribeReplicationGroupsCommand).rejects(fault(ReplicationGroupNotFoundFault));
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ message: 'replication group sessions-us-west-2 must be available, it is: missing' });
  });
});

describe('AWS errors', () => {
  test('throttled calls are retried with backoff, then surface as Throttling for the state machine\'s Retry', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).rejectsOnce(throttle()).resolves({ GlobalReplicationGroups: [globalDatastore()] });
    await expect(precheck({}, execution, config, deps())).resolves.toBeDefined();
    expect(state.sleeps).toEqual([250]);
    elasticache.on(FailoverGlobalReplicationGroupCommand).rejects(throttle('ThrottlingException'));
    await expect(promote(plan(), config, deps())).rejects.toMatchObject({ name: 'Throttling' });
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand)).toHaveLength(4);
  });

  test('a retried FailoverGlobalReplicationGroup that already went through succeeds (the target is PRIMARY)', async () => {
    elasticache.on(FailoverGlobalReplicationGroupCommand).rejects(fault(InvalidGlobalReplicationGroupStateFault, 'The Global datastore is not available'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({ Status: 'modifying' }, 'us-west-2')] });
    await expect(promote(plan(), config, deps())).resolves.toEqual({ operation: 'FailoverGlobalReplicationGroup', alreadyStarted: true });
  });

  test('InvalidGlobalReplicationGroupState with another primary is an error (the execution fails)', async () => {
    elasticache.on(FailoverGlobalReplicationGroupCommand).rejects(fault(InvalidGlobalReplicationGroupStateFault, 'The Global datastore is not available or in primary-only state.'));
    await expect(promote(plan(), config, deps())).rejects.toMatchObject({
      name: 'InvalidGlobalReplicationGroupStateFault', message: 'The Global datastore is not available or in primary-only state.',
    });
  });

  test('other AWS errors pass through unchanged', async () => {
    elasticache.on(FailoverGlobalReplicationGroupCommand).rejects(fault(InvalidParameterValueException, 'bad region'));
    await expect(promote(plan(), config, deps())).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));
    await expect(checkStatus(plan(), 3, config, deps())).rejects.toMatchObject({ name: 'AccessDenied' });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({}, 'us-west-2')] });
    elasticache.on(DescribeReplicationGroupsCommand).rejects(Object.assign(new Error('Internal'), { name: 'InternalFailure' }));
    await expect(checkStatus(plan(), 3, config, deps())).rejects.toMatchObject({ name: 'InternalFailure' });
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(precheck({}, execution, config, deps())).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test('status: the target primary but its group not yet available is not done; a missing group reads "missing"', async () => {
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({}, 'us-west-2')] });
    elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ Status: 'modifying' }] });
    await expect(checkStatus(plan(), 0, config, deps())).resolves.toEqual({ attempt: 1, done: false, status: 'available', primaryRegion: 'us-west-2', targetStatus: 'modifying' });
    elasticache.on(DescribeReplicationGroupsCommand).resolves({});
    await expect(checkStatus(plan(), 1, config, deps())).resolves.toMatchObject({ done: false, targetStatus: 'missing' });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [{ GlobalReplicationGroupId: GID }] });
    await expect(checkStatus(plan(), 2, config, deps())).resolves.toEqual({ attempt: 3, done: false, status: 'unknown', primaryRegion: undefined });
  });
});

describe('notifications', () => {
  test('a refusal: the error and the request, duration from the execution start', async () => {
    const out = await notify({
      outcome: 'refused',
      request: { targetRegion: 'eu-west-1' },
      error: { Error: 'TargetNotAvailable', Cause: JSON.stringify({ errorType: 'TargetNotAvailable', errorMessage: 'replication group x must be available' }) },
      executionArn: EXEC,
      executionStartTime: execution.startTime,
    }, config, deps());
    expect(out.durationSeconds).toBe(83);
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.Subject).toBe('ElastiCache sessions: promotion to eu-west-1 refused (83 s)');
    expect(JSON.parse(input.Message!).error).toBe('TargetNotAvailable: replication group x must be available');
  });

  test('a failed publish surfaces (the state machine catches it and still reaches its final state)', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    await expect(notify({ outcome: 'failed', executionStartTime: execution.startTime }, config, deps())).rejects.toMatchObject({ name: 'KMSDisabledException' });
  });
});

describe('dispatch and handler', () => {
  test('each action reaches its function; a direct invocation without action runs precheck + promote', async () => {
    elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
    await expect(dispatch({ action: 'precheck', execution, request: {} }, config, deps())).resolves.toMatchObject({ targetRegion: 'us-west-2' });
    await expect(dispatch({ action: 'promote', execution, plan: plan() }, config, deps())).resolves.toMatchObject({ alreadyStarted: false });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore({}, 'us-west-2')] });
    await expect(dispatch({ action: 'status', execution, plan: plan(), poll: { attempt: 4, done: false, status: 'x' } }, config, deps()))
      .resolves.toMatchObject({ attempt: 5, done: true });
    await expect(dispatch({ action: 'notify', execution, outcome: 'stuck', state: { plan: plan() } }, config, deps())).resolves.toMatchObject({ messageId: 'm-1' });
    await expect(dispatch({ action: 'notify' }, config, deps())).resolves.toMatchObject({ durationSeconds: 0 });
    await expect(dispatch({ action: 'promote', execution }, config, deps())).rejects.toMatchObject({ name: 'InvalidRequest', message: 'action promote needs a plan' });
    await expect(dispatch({ action: 'bogus' as any }, config, deps())).rejects.toMatchObject({ name: 'InvalidRequest', message: 'unknown action: bogus' });
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore()] });
    await expect(dispatch({ targetRegion: 'us-west-2' }, config, deps())).resolves.toMatchObject({ start: { alreadyStarted: false } });
  });

  test('readConfig: the rendered configuration, or a clear error', () => {
    expect(readConfig({ PROMOTE_CONFIG: JSON.stringify(config) })).toEqual(config);
    expect(() => readConfig({})).toThrow('PROMOTE_CONFIG is not set');
  });

  test('handler: builds real clients from PROMOTE_CONFIG and dispatches (SDK clients mocked)', async () => {
    process.env.PROMOTE_CONFIG = JSON.stringify(config);
    try {
      elasticache.on(FailoverGlobalReplicationGroupCommand).resolves({});
      await expect(handler({ targetRegion: 'us-west-2' })).resolves.toMatchObject({ plan: { targetRegion: 'us-west-2' } });
      expect(await regionOf(FailoverGlobalReplicationGroupCommand)).toBe('us-west-2');
    } finally {
      delete process.env.PROMOTE_CONFIG;
    }
  });
});
