/**
 * Failover orchestrator for an Aurora global database: the Lambda behind every state of the
 * `AuroraGlobalFailover` state machine (one per region).
 *
 * The logic functions (`precheck`, `startOperation`, `checkStatus`, `updateDns`, `notify`) take their
 * configuration and AWS clients as arguments, so tests call them directly with mocked clients;
 * `handler` only builds the clients from the environment and dispatches on `event.action`.
 *
 * Refusals are thrown as errors whose `name` the state machine catches (`TargetNotMember`,
 * `TargetAlreadyPrimary`, `ReplicationLagTooHigh`, `ReplicationLagUnknown`, `OperationInProgress`,
 * `GlobalClusterNotAvailable`, `TargetNotAvailable`, `InvalidRequest`). Throttled AWS calls are retried
 * here with exponential backoff, then surface as `Throttling` so the state machine retries the state.
 */
import {
  DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, GlobalCluster,
  RDSClient, SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** The operation an execution performs. */
export type Mode = 'switchover' | 'failover';

/** Static configuration, rendered by the construct into the `ORCHESTRATOR_CONFIG` environment variable. */
export interface OrchestratorConfig {
  /** The global cluster identifier. */
  readonly globalClusterIdentifier: string;
  /** The region this orchestrator runs in (the default target). */
  readonly region: string;
  /** Member cluster ARN of every region of the global database. */
  readonly clusterArns: { [region: string]: string };
  /** SNS topic for notifications. */
  readonly topicArn: string;
  /** Largest replication lag (ms) that still allows a planned switchover. */
  readonly maxReplicationLagMs: number;
  /** Optional CNAME to point at the new writer. */
  readonly dns?: { readonly hostedZoneId: string; readonly recordName: string; readonly ttl: number };
}

/** Reads the latest `AuroraGlobalDBReplicationLag` (ms) of a secondary cluster, or undefined without data. */
export type LagReader = (region: string, clusterIdentifier: string) => Promise<number | undefined>;

/** AWS clients and side effects, injected. */
export interface Deps {
  /** An RDS client for a region. */
  readonly rds: (region: string) => RDSClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly route53: Route53Client;
  readonly lag: LagReader;
  /** Delay between retries of throttled calls. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time. */
  readonly now?: () => Date;
}

/** What the execution was started with. */
export interface OperationRequest {
  /** `switchover` (planned, no data loss; default) or `failover` (unplanned, `AllowDataLoss`). */
  readonly mode?: string;
  /** The region to promote. Default: the region of the state machine that runs. */
  readonly targetRegion?: string;
  /** Overrides the configured lag limit (ms) for a switchover. */
  readonly maxReplicationLagMs?: number;
}

/** Execution context, from the state machine's context object. */
export interface ExecutionContext {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly startTime: string;
}

/** The result of the pre-checks, carried through the execution. */
export interface Plan {
  readonly mode: Mode;
  readonly globalClusterIdentifier: string;
  readonly targetRegion: string;
  readonly targetClusterArn: string;
  readonly previousWriterArn?: string;
  readonly replicationLagMs?: number;
  readonly startedAt: string;
}

/** The result of one status poll. */
export interface PollResult {
  readonly attempt: number;
  readonly done: boolean;
  readonly status: string;
  readonly writerArn?: string;
}

/** The result of `startOperation`. */
export interface StartResult {
  readonly operation: string;
  /** True when a retry found the operation already running towards the target. */
  readonly alreadyStarted: boolean;
}

/** The result of `updateDns`. */
export interface DnsResult {
  readonly recordName: string;
  readonly value: string;
  readonly changeId?: string;
}

/** The result of `notify`. */
export interface NotifyResult {
  readonly durationSeconds: number;
  readonly messageId?: string;
}

/** An error whose `name` the state machine matches in Catch and Retry clauses. */
export class OrchestratorError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    Object.setPrototypeOf(this, OrchestratorError.prototype);
  }
}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'PriorRequestNotComplete',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown',
]);
const IN_PROGRESS = new Set(['failing-over', 'switching-over']);
const FAILOVER_ACTIVE = new Set(['pending', 'failing-over', 'cancelling']);

/** Whether an AWS SDK error is throttling. */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return !!e && (THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true);
}

/**
 * Runs `fn`, retrying throttling errors with exponential backoff (base × 2^n); other errors pass through.
 * After `attempts` throttled tries it throws a `Throttling` error so the state machine's Retry takes over.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, deps: Pick<Deps, 'sleep'>, attempts = 4, baseMs = 250): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err)) {
        throw err;
      }
      if (attempt >= attempts) {
        throw new OrchestratorError('Throttling', `${what} was throttled ${attempts} times: ${(err as Error).message}`);
      }
      await sleep(baseMs * 2 ** (attempt - 1));
    }
  }
}

function clusterIdFromArn(arn: string): string {
  return arn.split(':').pop()!;
}

async function describeGlobal(config: OrchestratorConfig, deps: Deps, region: string): Promise<GlobalCluster> {
  const out = await withRetry('DescribeGlobalClusters',
    () => deps.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: config.globalClusterIdentifier })), deps);
  const gc = out.GlobalClusters?.[0];
  if (!gc) {
    throw new OrchestratorError('GlobalClusterNotFound', `global cluster ${config.globalClusterIdentifier} was not found`);
  }
  return gc;
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

/**
 * Checks that the operation may start: no other execution of this state machine is running, the global
 * cluster is not already switching or failing over, the target region is a member that is available, has
 * DB instances and is not already the writer, and (switchover only) its replication lag is within the limit.
 */
export async function precheck(request: OperationRequest, execution: ExecutionContext, config: OrchestratorConfig, deps: Deps): Promise<Plan> {
  const mode = parseMode(request.mode);
  const targetRegion = request.targetRegion ?? config.region;
  const targetClusterArn = config.clusterArns[targetRegion];
  if (!targetClusterArn) {
    throw new OrchestratorError('TargetNotMember',
      `${targetRegion} is not a region of global database ${config.globalClusterIdentifier} (regions: ${Object.keys(config.clusterArns).join(', ')})`);
  }

  // Idempotency: the oldest RUNNING execution wins; every later one is refused.
  const running = await withRetry('ListExecutions', () => deps.sfn.send(new ListExecutionsCommand({
    stateMachineArn: execution.stateMachineArn, statusFilter: 'RUNNING', maxResults: 100,
  })), deps);
  const myStart = Date.parse(execution.startTime);
  const earlier = (running.executions ?? []).filter((e) => e.executionArn !== execution.executionArn && (
    (e.startDate?.getTime() ?? 0) < myStart || ((e.startDate?.getTime() ?? 0) === myStart && (e.executionArn ?? '') < execution.executionArn)));
  if (earlier.length > 0) {
    throw new OrchestratorError('OperationInProgress', `another execution is running: ${earlier.map((e) => e.executionArn).join(', ')}`);
  }

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

  const clusters = await withRetry('DescribeDBClusters',
    () => deps.rds(targetRegion).send(new DescribeDBClustersCommand({ DBClusterIdentifier: targetClusterArn })), deps);
  const cluster = clusters.DBClusters?.[0];
  if (!cluster || cluster.Status !== 'available') {
    throw new OrchestratorError('TargetNotAvailable', `target cluster ${targetClusterArn} must be available, it is: ${cluster?.Status ?? 'missing'}`);
  }
  if ((cluster.DBClusterMembers ?? []).length === 0) {
    throw new OrchestratorError('TargetNotAvailable', `target cluster ${targetClusterArn} has no DB instances to promote`);
  }

  let replicationLagMs: number | undefined;
  if (mode === 'switchover') {
    const limit = request.maxReplicationLagMs ?? config.maxReplicationLagMs;
    replicationLagMs = await deps.lag(targetRegion, clusterIdFromArn(targetClusterArn));
    if (replicationLagMs === undefined) {
      throw new OrchestratorError('ReplicationLagUnknown',
        `no AuroraGlobalDBReplicationLag data for ${clusterIdFromArn(targetClusterArn)} in ${targetRegion} in the last 10 minutes: refusing a planned switchover`);
    }
    if (replicationLagMs > limit) {
      throw new OrchestratorError('ReplicationLagTooHigh',
        `replication lag of ${targetRegion} is ${replicationLagMs} ms, above the ${limit} ms limit for a planned switchover; wait, or use mode "failover" if the primary is down`);
    }
  }

  return {
    mode,
    globalClusterIdentifier: config.globalClusterIdentifier,
    targetRegion,
    targetClusterArn,
    previousWriterArn: writerOf(gc),
    replicationLagMs,
    startedAt: execution.startTime,
  };
}

/**
 * Starts the switchover (`SwitchoverGlobalCluster`) or failover (`FailoverGlobalCluster` with
 * `AllowDataLoss`). A retry after the call already went through finds the operation in progress
 * towards the same target and succeeds.
 */
export async function startOperation(plan: Plan, config: OrchestratorConfig, deps: Deps): Promise<StartResult> {
  const rds = deps.rds(plan.targetRegion);
  const operation = plan.mode === 'failover' ? 'FailoverGlobalCluster' : 'SwitchoverGlobalCluster';
  try {
    await withRetry(operation, () => plan.mode === 'failover'
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
      if (gc.FailoverState?.ToDbClusterArn === plan.targetClusterArn) {
        return { operation, alreadyStarted: true };
      }
    }
    throw err;
  }
}

/** One poll: done when the global cluster is available again and the target is its writer. */
export async function checkStatus(plan: Plan, attempt: number, config: OrchestratorConfig, deps: Deps): Promise<PollResult> {
  const gc = await describeGlobal(config, deps, plan.targetRegion);
  const writerArn = writerOf(gc);
  const status = gc.Status ?? 'unknown';
  const failoverState = gc.FailoverState?.Status;
  const done = status === 'available' && writerArn === plan.targetClusterArn && !(failoverState && FAILOVER_ACTIVE.has(failoverState));
  return { attempt: attempt + 1, done, status, writerArn };
}

/** UPSERTs the configured CNAME to the new writer's cluster endpoint. */
export async function updateDns(plan: Plan, config: OrchestratorConfig, deps: Deps): Promise<DnsResult> {
  if (!config.dns) {
    throw new OrchestratorError('InvalidRequest', 'no DNS record is configured');
  }
  const dns = config.dns;
  const clusters = await withRetry('DescribeDBClusters',
    () => deps.rds(plan.targetRegion).send(new DescribeDBClustersCommand({ DBClusterIdentifier: plan.targetClusterArn })), deps);
  const endpoint = clusters.DBClusters?.[0]?.Endpoint;
  if (!endpoint) {
    throw new OrchestratorError('DnsUpdateFailed', `cluster ${plan.targetClusterArn} has no writer endpoint`);
  }
  const out = await withRetry('ChangeResourceRecordSets', () => deps.route53.send(new ChangeResourceRecordSetsCommand({
    HostedZoneId: dns.hostedZoneId,
    ChangeBatch: {
      Comment: `${plan.mode} of ${plan.globalClusterIdentifier} to ${plan.targetRegion}`,
      Changes: [{
        Action: 'UPSERT',
        ResourceRecordSet: { Name: dns.recordName, Type: 'CNAME', TTL: dns.ttl, ResourceRecords: [{ Value: endpoint }] },
      }],
    },
  })), deps);
  return { recordName: dns.recordName, value: endpoint, changeId: out.ChangeInfo?.Id };
}

/** What `notify` reports. */
export interface NotifyInput {
  /** `succeeded`, `refused`, `failed`, `stuck` or `dns-failed`. */
  readonly outcome: string;
  readonly request?: OperationRequest;
  readonly plan?: Plan;
  readonly poll?: PollResult;
  readonly dns?: { readonly recordName: string; readonly value: string };
  /** A caught error: `{ Error, Cause }` as Step Functions passes it. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
  readonly executionStartTime: string;
  readonly executionArn: string;
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
    dnsRecord: input.dns,
    error: cause,
    executionArn: input.executionArn,
    orchestratorRegion: config.region,
  };
  const out = await withRetry('Publish', () => deps.sns.send(new PublishCommand({
    TopicArn: config.topicArn, Subject: subject, Message: JSON.stringify(message, undefined, 2),
  })), deps);
  return { durationSeconds, messageId: out.MessageId };
}

/** Step Functions passes a Lambda error's Cause as a JSON string `{ errorType, errorMessage }`. */
function errorMessage(cause: string | undefined): string {
  if (!cause) {
    return '';
  }
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
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

/** What a state knows when it notifies: whatever the execution gathered so far. */
export interface ExecutionState {
  readonly request?: OperationRequest;
  readonly plan?: Plan;
  readonly poll?: PollResult;
  readonly dns?: { readonly recordName: string; readonly value: string };
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** The event each state sends. */
export interface OrchestratorEvent {
  readonly action: 'precheck' | 'start' | 'status' | 'dns' | 'notify';
  readonly execution: ExecutionContext;
  readonly request?: OperationRequest;
  readonly plan?: Plan;
  readonly poll?: PollResult;
  /** For `notify`: `succeeded`, `refused`, `failed`, `stuck` or `dns-failed`. */
  readonly outcome?: string;
  /** For `notify`: the execution's state. */
  readonly state?: ExecutionState;
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
    case 'dns':
      return updateDns(needPlan(), config, deps);
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
    route53: new Route53Client({ region: config.region }),
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
