/**
 * Failover orchestrator for an Aurora global database: the Lambda behind every state of the
 * `AuroraGlobalFailover` state machine (one per region).
 *
 * The logic functions (`precheck`, `startOperation`, `checkStatus`, `notify`) take their configuration and AWS
 * clients as arguments, so tests call them directly with mocked clients; `handler` only builds the clients from
 * the environment and dispatches on `event.action`.
 *
 * Refusals are thrown as errors whose `name` the state machine catches (`TargetNotMember`,
 * `TargetAlreadyPrimary`, `ReplicationLagTooHigh`, `ReplicationLagUnknown`, `OperationInProgress`,
 * `GlobalClusterNotAvailable`, `TargetNotAvailable`, `InvalidRequest`). Throttled AWS calls are retried
 * here with exponential backoff, then surface as `Throttling` so the state machine retries the state.
 *
 * Which region each call goes to (AWS Aurora user guide, "Using switchover or failover in Amazon Aurora Global
 * Database", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
 * - `SwitchoverGlobalCluster`: "Specify the AWS Region where the primary DB cluster of the Aurora global database is
 *   running" (planned: every region is healthy);
 * - `FailoverGlobalCluster`: "Specify the AWS Region where the secondary DB cluster that you want to be the new
 *   primary ... is running" (unplanned: the primary's region may be down);
 * - reads (`DescribeGlobalClusters`, `DescribeDBClusters` of the target) go to the target's region.
 */
import {
  DBCluster, DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, GlobalCluster,
  RDSClient, SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  clusterIdFromArn, Deps, errorMessage, ExecutionContext, LagReader, Mode, NotifyInput, NotifyResult, OperationRequest,
  OrchestratorConfig, OrchestratorError, OrchestratorEvent, Plan, PollResult, regionOfCluster, StartResult, withRetry,
} from './orchestrator-core';

export * from './orchestrator-core';

const IN_PROGRESS = new Set(['failing-over', 'switching-over']);
const FAILOVER_ACTIVE = new Set(['pending', 'failing-over', 'cancelling']);

async function describeGlobal(config: OrchestratorConfig, deps: Deps, region: string): Promise<GlobalCluster> {
  const out = await withRetry('DescribeGlobalClusters',
    () => deps.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: config.globalClusterIdentifier })), deps);
  const gc = out.GlobalClusters?.[0];
  if (!gc) {
    throw new OrchestratorError('GlobalClusterNotFound', `global cluster ${config.globalClusterIdentifier} was not found`);
  }
  return gc;
}

async function describeCluster(deps: Deps, region: string, arn: string): Promise<DBCluster | undefined> {
  const out = await withRetry('DescribeDBClusters',
    () => deps.rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn })), deps);
  return out.DBClusters?.[0];
}

function writerOf(gc: GlobalCluster): string | undefined {
  return gc.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn;
}

function parseMode(mode: string | undefined): Mode {
  const m = mode ?? 'switchover';
  if (m !== 'switchover' && m !== 'failover') {
    throw new OrchestratorError('InvalidRequest', `mode must be "switchover" or "failover", got: ${m}`);
  }
  return m;
}

/** Idempotency: the oldest RUNNING execution of this state machine wins; every later one is refused. */
async function refuseConcurrentExecutions(execution: ExecutionContext, deps: Deps): Promise<void> {
  const running = await withRetry('ListExecutions', () => deps.sfn.send(new ListExecutionsCommand({
    stateMachineArn: execution.stateMachineArn, statusFilter: 'RUNNING', maxResults: 100,
  })), deps);
  const myStart = Date.parse(execution.startTime);
  const earlier = (running.executions ?? []).filter((e) => e.executionArn !== execution.executionArn && (
    (e.startDate?.getTime() ?? 0) < myStart || ((e.startDate?.getTime() ?? 0) === myStart && (e.executionArn ?? '') < execution.executionArn)));
  if (earlier.length > 0) {
    throw new OrchestratorError('OperationInProgress', `another execution is running: ${earlier.map((e) => e.executionArn).join(', ')}`);
  }
}

/** The lag gate of a planned switchover: refuses without data or above the limit. */
async function checkLag(request: OperationRequest, config: OrchestratorConfig, deps: Deps,
  targetRegion: string, targetClusterArn: string): Promise<number> {
  const limit = request.maxReplicationLagMs ?? config.maxReplicationLagMs;
  const lag = await deps.lag(targetRegion, clusterIdFromArn(targetClusterArn));
  if (lag === undefined) {
    throw new OrchestratorError('ReplicationLagUnknown',
      `no AuroraGlobalDBReplicationLag data for ${clusterIdFromArn(targetClusterArn)} in ${targetRegion} in the last 10 minutes: refusing a planned switchover`);
  }
  if (lag > limit) {
    throw new OrchestratorError('ReplicationLagTooHigh',
      `replication lag of ${targetRegion} is ${lag} ms, above the ${limit} ms limit for a planned switchover; wait, or use mode "failover" if the primary is down`);
  }
  return lag;
}

/**
 * Checks that the operation may start: no other execution of this state machine is running, the global
 * cluster is not already switching or failing over, the target region is a member that is available, has
 * DB instances and is not already the writer, and (switchover only) the global cluster is available, has a writer
 * and the target's replication lag is within the limit.
 */
export async function precheck(request: OperationRequest, execution: ExecutionContext, config: OrchestratorConfig, deps: Deps): Promise<Plan> {
  const mode = parseMode(request.mode);
  const targetRegion = request.targetRegion ?? config.region;
  const targetClusterArn = config.clusterArns[targetRegion];
  if (!targetClusterArn) {
    throw new OrchestratorError('TargetNotMember',
      `${targetRegion} is not a region of global database ${config.globalClusterIdentifier} (regions: ${Object.keys(config.clusterArns).join(', ')})`);
  }
  await refuseConcurrentExecutions(execution, deps);

  const gc = await describeGlobal(config, deps, targetRegion);
  const status = gc.Status ?? 'unknown';
  const failoverState = gc.FailoverState?.Status;
  if (IN_PROGRESS.has(status) || (failoverState && FAILOVER_ACTIVE.has(failoverState))) {
    throw new OrchestratorError('OperationInProgress',
      `global cluster ${config.globalClusterIdentifier} is already ${failoverState ?? status} (to ${gc.FailoverState?.ToDbClusterArn ?? 'unknown'})`);
  }
  if (mode === 'switchover' && status !== 'available') {
    throw new OrchestratorError('GlobalClusterNotAvailable', `a switchover needs global cluster ${config.globalClusterIdentifier} to be available, it is: ${status}`);
  }
  const member = gc.GlobalClusterMembers?.find((m) => m.DBClusterArn === targetClusterArn);
  if (!member) {
    throw new OrchestratorError('TargetNotMember', `${targetClusterArn} is not a member of global cluster ${config.globalClusterIdentifier}`);
  }
  if (member.IsWriter) {
    throw new OrchestratorError('TargetAlreadyPrimary', `${targetRegion} is already the primary region of ${config.globalClusterIdentifier}: nothing to do`);
  }
  const writerArn = writerOf(gc);
  if (mode === 'switchover' && !writerArn) {
    throw new OrchestratorError('GlobalClusterNotAvailable', `a switchover needs a writer in global cluster ${config.globalClusterIdentifier}, it has none`);
  }

  const cluster = await describeCluster(deps, targetRegion, targetClusterArn);
  if (!cluster || cluster.Status !== 'available') {
    throw new OrchestratorError('TargetNotAvailable', `target cluster ${targetClusterArn} must be available, it is: ${cluster?.Status ?? 'missing'}`);
  }
  if ((cluster.DBClusterMembers ?? []).length === 0) {
    throw new OrchestratorError('TargetNotAvailable', `target cluster ${targetClusterArn} has no DB instances to promote`);
  }

  const replicationLagMs = mode === 'switchover' ? await checkLag(request, config, deps, targetRegion, targetClusterArn) : undefined;
  return {
    mode,
    globalClusterIdentifier: config.globalClusterIdentifier,
    targetRegion,
    targetClusterArn,
    previousWriterArn: writerArn,
    writerRegion: writerArn ? regionOfCluster(config, writerArn) : undefined,
    replicationLagMs,
    startedAt: execution.startTime,
  };
}

/**
 * Starts the switchover (`SwitchoverGlobalCluster`, sent to the current primary's region) or failover
 * (`FailoverGlobalCluster` with `AllowDataLoss`, sent to the target's region). A retry after the call already went
 * through finds the operation in progress towards the target, or the target already the writer, and succeeds.
 */
export async function startOperation(plan: Plan, config: OrchestratorConfig, deps: Deps): Promise<StartResult> {
  const failover = plan.mode === 'failover';
  const operation = failover ? 'FailoverGlobalCluster' : 'SwitchoverGlobalCluster';
  const region = failover ? plan.targetRegion : plan.writerRegion;
  if (!region) {
    throw new OrchestratorError('InvalidRequest', 'a switchover must be sent to the current primary\'s region, and the plan has none');
  }
  const rds = deps.rds(region);
  try {
    await withRetry(operation, () => failover
      ? rds.send(new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: plan.globalClusterIdentifier,
        TargetDbClusterIdentifier: plan.targetClusterArn,
        AllowDataLoss: true,
      }))
      : rds.send(new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: plan.globalClusterIdentifier,
        TargetDbClusterIdentifier: plan.targetClusterArn,
      })), deps);
    return { operation, alreadyStarted: false };
  } catch (err) {
    if ((err as Error).name === 'InvalidGlobalClusterStateFault') {
      const gc = await describeGlobal(config, deps, plan.targetRegion);
      if (gc.FailoverState?.ToDbClusterArn === plan.targetClusterArn || writerOf(gc) === plan.targetClusterArn) {
        return { operation, alreadyStarted: true };
      }
    }
    throw err;
  }
}

/**
 * One poll. Done means: the target is the global cluster's writer (`GlobalClusterMembers[].IsWriter`) and the
 * target cluster is `available`. The global cluster's own status is not waited for: after a failover Aurora
 * rebuilds the other secondaries, which "can take a few minutes to several hours" (AWS Aurora user guide,
 * aurora-global-database-disaster-recovery.html), while the new primary already serves writes.
 */
export async function checkStatus(plan: Plan, attempt: number, config: OrchestratorConfig, deps: Deps): Promise<PollResult> {
  const gc = await describeGlobal(config, deps, plan.targetRegion);
  const writerArn = writerOf(gc);
  const status = gc.Status ?? 'unknown';
  if (writerArn !== plan.targetClusterArn) {
    return { attempt: attempt + 1, done: false, status, writerArn };
  }
  const targetStatus = (await describeCluster(deps, plan.targetRegion, plan.targetClusterArn))?.Status ?? 'missing';
  return { attempt: attempt + 1, done: targetStatus === 'available', status, writerArn, targetStatus };
}

/** Publishes what happened, with the measured duration since the execution started. */
export async function notify(input: NotifyInput, config: OrchestratorConfig, deps: Deps): Promise<NotifyResult> {
  const now = (deps.now ?? (() => new Date()))();
  const durationSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(input.plan?.startedAt ?? input.executionStartTime)) / 1000));
  const mode = input.plan?.mode ?? input.request?.mode ?? 'switchover';
  const target = input.plan?.targetRegion ?? input.request?.targetRegion ?? config.region;
  const cause = input.error ? `${input.error.Error ?? 'Error'}: ${errorMessage(input.error.Cause)}` : undefined;
  const subject = `Aurora global ${mode} to ${target} ${input.outcome} (${durationSeconds} s)`.slice(0, 99);
  const message = {
    outcome: input.outcome,
    mode,
    globalClusterIdentifier: config.globalClusterIdentifier,
    targetRegion: target,
    targetClusterArn: input.plan?.targetClusterArn,
    previousWriterArn: input.plan?.previousWriterArn,
    newWriterArn: input.poll?.writerArn,
    replicationLagMs: input.plan?.replicationLagMs,
    durationSeconds,
    error: cause,
    executionArn: input.executionArn,
    orchestratorRegion: config.region,
  };
  const out = await withRetry('Publish', () => deps.sns.send(new PublishCommand({
    TopicArn: config.topicArn, Subject: subject, Message: JSON.stringify(message, undefined, 2),
  })), deps);
  return { durationSeconds, messageId: out.MessageId };
}

/** Dispatches one state's event to its logic function. */
export async function dispatch(event: OrchestratorEvent, config: OrchestratorConfig, deps: Deps): Promise<unknown> {
  const needPlan = (): Plan => {
    if (!event.plan) {
      throw new OrchestratorError('InvalidRequest', `action ${event.action} needs a plan`);
    }
    return event.plan;
  };
  switch (event.action) {
    case 'precheck':
      return precheck(event.request ?? {}, event.execution, config, deps);
    case 'start':
      return startOperation(needPlan(), config, deps);
    case 'status':
      return checkStatus(needPlan(), event.poll?.attempt ?? 0, config, deps);
    case 'notify':
      return notify({
        ...(event.state ?? {}),
        outcome: event.outcome ?? 'unknown',
        executionArn: event.execution.executionArn,
        executionStartTime: event.execution.startTime,
      }, config, deps);
    default:
      throw new OrchestratorError('InvalidRequest', `unknown action: ${String((event as { action?: unknown }).action)}`);
  }
}

/** The minimal surface of `@aws-sdk/client-cloudwatch` that `cloudWatchLagReader` uses. */
interface CloudWatchModule {
  CloudWatchClient: new (config: { region: string }) => { send(command: unknown): Promise<{ MetricDataResults?: { Values?: number[] }[] }> };
  GetMetricDataCommand: new (input: unknown) => unknown;
}

/**
 * Reads the newest 1-minute maximum of `AuroraGlobalDBReplicationLag` of the last 10 minutes in the
 * cluster's region. `@aws-sdk/client-cloudwatch` comes from the Lambda runtime (SDK v3 is external).
 */
export function cloudWatchLagReader(deps: Pick<Deps, 'sleep' | 'now'>, load: () => CloudWatchModule = loadCloudWatch): LagReader {
  return async (region, clusterIdentifier) => {
    const cw = load();
    const client = new cw.CloudWatchClient({ region });
    const end = (deps.now ?? (() => new Date()))();
    const start = new Date(end.getTime() - 10 * 60_000);
    const out = await withRetry('GetMetricData', () => client.send(new cw.GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [{
        Id: 'lag',
        MetricStat: {
          Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterIdentifier }] },
          Period: 60,
          Stat: 'Maximum',
        },
      }],
    })), deps);
    return out.MetricDataResults?.[0]?.Values?.[0];
  };
}

function loadCloudWatch(): CloudWatchModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-cloudwatch') as CloudWatchModule;
}

/** Builds real clients for the Lambda environment. */
export function defaultDeps(config: OrchestratorConfig): Deps {
  const rdsClients = new Map<string, RDSClient>();
  const base = { now: () => new Date() };
  return {
    ...base,
    rds: (region) => {
      if (!rdsClients.has(region)) {
        rdsClients.set(region, new RDSClient({ region }));
      }
      return rdsClients.get(region)!;
    },
    sfn: new SFNClient({ region: config.region }),
    sns: new SNSClient({ region: config.region }),
    lag: cloudWatchLagReader(base),
  };
}

/** Reads the configuration the construct rendered. */
export function readConfig(env: { [key: string]: string | undefined } = process.env): OrchestratorConfig {
  const raw = env.ORCHESTRATOR_CONFIG;
  if (!raw) {
    throw new OrchestratorError('InvalidConfiguration', 'ORCHESTRATOR_CONFIG is not set');
  }
  return JSON.parse(raw) as OrchestratorConfig;
}

let cached: { config: OrchestratorConfig; deps: Deps } | undefined;

/** Lambda entry point. */
export async function handler(event: OrchestratorEvent): Promise<unknown> {
  if (!cached) {
    const config = readConfig();
    cached = { config, deps: defaultDeps(config) };
  }
  return dispatch(event, cached.config, cached.deps);
}
