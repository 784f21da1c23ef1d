/**
 * Promotion of an RDS cross-Region read replica: the Lambda behind every state of the `RdsCrossRegionReplica` state
 * machine of a region (it promotes that region's instance), and the scheduled watcher that tells the writer DNS name
 * which instance is the writer.
 *
 * The logic functions take their configuration and AWS clients as arguments, so tests call them with mocked clients;
 * `handler` only builds the clients from the environment and dispatches on `event.action`.
 *
 * What AWS documents and this handler relies on (Amazon RDS User Guide, "Promoting a read replica to be a standalone
 * DB instance", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html, and the
 * PromoteReadReplica API reference, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PromoteReadReplica.html):
 * - "When you promote a read replica, RDS reboots the DB instance before making it available. The promotion process
 *   can take several minutes or longer to complete, depending on the size of the read replica." → poll until the
 *   instance is `available` and has no `ReadReplicaSourceDBInstanceIdentifier`.
 * - "a read replica cannot be promoted to a standalone instance when it is in the backing-up status" → the pre-check
 *   and the call answer `ReplicaNotReady`, which the state machine retries.
 * - `BackupRetentionPeriod`: "Setting this parameter to a positive number enables backups" → the promoted instance
 *   gets the construct's backup retention (a PostgreSQL read replica has no automated backups of its own).
 * - planned promotion: "Stop any transactions from being written to the primary DB instance, and then wait for all
 *   updates to be made to the read replica ... Use the ReplicaLag metric" → the lag gate.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DBInstance, DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  ExecutionContext, NotifyInput, NotifyResult, PollResult, PromoteConfig, PromoteDeps, PromoteEvent, PromoteRequest, PromoteResult,
  PromotionError, PromotionMode, PromotionPlan, WatchResult,
} from './promote-core';
import { errorMessage, withRetry } from '../aurora-global-failover/orchestrator-core';

export * from './promote-core';

/**
 * Statuses in which a standalone instance accepts connections (DB instance statuses:
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status).
 * `modifying` and `rebooting` are not in it: a promotion passes through them before the instance is writable.
 */
const WRITABLE = new Set([
  'available', 'backing-up', 'storage-optimization', 'configuring-enhanced-monitoring', 'configuring-log-exports',
  'configuring-iam-database-auth',
]);

/** The instance, or undefined when RDS answers `DBInstanceNotFoundFault`. */
async function describe(config: PromoteConfig, deps: PromoteDeps): Promise<DBInstance | undefined> {
  try {
    const out = await withRetry('DescribeDBInstances',
      () => deps.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: config.instanceIdentifier })), deps);
    return out.DBInstances?.[0];
  } catch (err) {
    if ((err as Error).name === 'DBInstanceNotFoundFault') {
      return undefined;
    }
    throw err;
  }
}

async function describeOrFail(config: PromoteConfig, deps: PromoteDeps): Promise<DBInstance> {
  const db = await describe(config, deps);
  if (!db) {
    throw new PromotionError('ReplicaNotFound', `DB instance ${config.instanceIdentifier} was not found in ${config.region}`);
  }
  return db;
}

function parseMode(mode: string | undefined): PromotionMode {
  const m = mode ?? 'planned';
  if (m !== 'planned' && m !== 'unplanned') {
    throw new PromotionError('InvalidRequest', `mode must be "planned" or "unplanned", got: ${m}`);
  }
  return m;
}

/** Idempotency: the oldest RUNNING execution of this state machine wins; every later one is refused. */
async function refuseConcurrentExecutions(execution: ExecutionContext, deps: PromoteDeps): Promise<void> {
  const running = await withRetry('ListExecutions', () => deps.sfn.send(new ListExecutionsCommand({
    stateMachineArn: execution.stateMachineArn, statusFilter: 'RUNNING', maxResults: 100,
  })), deps);
  const myStart = Date.parse(execution.startTime);
  const earlier = (running.executions ?? []).filter((e) => e.executionArn !== execution.executionArn && (
    (e.startDate?.getTime() ?? 0) < myStart || ((e.startDate?.getTime() ?? 0) === myStart && (e.executionArn ?? '') < execution.executionArn)));
  if (earlier.length > 0) {
    throw new PromotionError('OperationInProgress', `another promotion is running: ${earlier.map((e) => e.executionArn).join(', ')}`);
  }
}

/** The newest 1-minute maximum of `ReplicaLag` (seconds) of the last 10 minutes, or undefined without data. */
export async function readReplicaLag(config: PromoteConfig, deps: PromoteDeps): Promise<number | undefined> {
  const end = (deps.now ?? (() => new Date()))();
  const out = await withRetry('GetMetricData', () => deps.cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 10 * 60_000),
    EndTime: end,
    ScanBy: 'TimestampDescending',
    MetricDataQueries: [{
      Id: 'lag',
      MetricStat: {
        Metric: { Namespace: 'AWS/RDS', MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: config.instanceIdentifier }] },
        Period: 60,
        Stat: 'Maximum',
      },
    }],
  })), deps);
  return out.MetricDataResults?.[0]?.Values?.[0];
}

/**
 * The lag gate of a planned promotion. AWS: "When the ReplicaLag metric reaches 0, the replica has caught up to the
 * primary DB instance. If the ReplicaLag metric returns -1, then replication is currently not active"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html).
 */
async function checkLag(request: PromoteRequest, config: PromoteConfig, deps: PromoteDeps): Promise<number> {
  const limit = request.maxReplicaLagSeconds ?? config.maxReplicaLagSeconds;
  const lag = await readReplicaLag(config, deps);
  if (lag === undefined) {
    throw new PromotionError('ReplicaLagUnknown',
      `no ReplicaLag data for ${config.instanceIdentifier} in the last 10 minutes: refusing a planned promotion; use mode "unplanned" if the primary is down`);
  }
  if (lag < 0) {
    throw new PromotionError('ReplicationNotActive',
      `ReplicaLag of ${config.instanceIdentifier} is ${lag}: replication is not active, refusing a planned promotion; use mode "unplanned" if the primary is down`);
  }
  if (lag > limit) {
    throw new PromotionError('ReplicaLagTooHigh',
      `ReplicaLag of ${config.instanceIdentifier} is ${lag} s, above the ${limit} s limit of a planned promotion; stop writes on the primary and wait, or use mode "unplanned"`);
  }
  return lag;
}

/**
 * Checks that the promotion may start: no other execution of this state machine is running, the instance exists, is a
 * read replica and is `available`, and (planned only) its `ReplicaLag` is known and within the limit.
 */
export async function precheck(request: PromoteRequest, execution: ExecutionContext, config: PromoteConfig,
  deps: PromoteDeps): Promise<PromotionPlan> {
  const mode = parseMode(request.mode);
  await refuseConcurrentExecutions(execution, deps);
  const db = await describeOrFail(config, deps);
  const sourceArn = db.ReadReplicaSourceDBInstanceIdentifier;
  if (!sourceArn) {
    throw new PromotionError('NotAReplica',
      `${config.instanceIdentifier} is not a read replica (already promoted, or the primary): nothing to promote; its status is ${db.DBInstanceStatus ?? 'unknown'}`);
  }
  if (db.DBInstanceStatus !== 'available') {
    throw new PromotionError('ReplicaNotReady',
      `${config.instanceIdentifier} must be available to be promoted (RDS refuses while it is backing-up), it is: ${db.DBInstanceStatus ?? 'unknown'}`);
  }
  const replicaLagSeconds = mode === 'planned' ? await checkLag(request, config, deps) : undefined;
  return { mode, instanceIdentifier: config.instanceIdentifier, sourceArn, replicaLagSeconds, startedAt: execution.startTime };
}

/**
 * Calls `PromoteReadReplica` with the construct's backup retention. A retry after the call already went through finds
 * the instance no longer a replica and succeeds; `InvalidDBInstanceStateFault` on a replica (backing-up, modifying)
 * becomes `ReplicaNotReady`, which the state machine retries.
 */
export async function promote(config: PromoteConfig, deps: PromoteDeps): Promise<PromoteResult> {
  try {
    await withRetry('PromoteReadReplica', () => deps.rds.send(new PromoteReadReplicaCommand({
      DBInstanceIdentifier: config.instanceIdentifier,
      BackupRetentionPeriod: config.backupRetentionDays,
    })), deps);
    return { alreadyStarted: false };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'DBInstanceNotFoundFault') {
      throw new PromotionError('ReplicaNotFound', `DB instance ${config.instanceIdentifier} was not found in ${config.region}`);
    }
    if (name === 'InvalidDBInstanceStateFault') {
      const db = await describeOrFail(config, deps);
      if (!db.ReadReplicaSourceDBInstanceIdentifier) {
        return { alreadyStarted: true };
      }
      throw new PromotionError('ReplicaNotReady', `${config.instanceIdentifier} cannot be promoted while it is ${db.DBInstanceStatus ?? 'unknown'}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** Publishes the promotion metric (1 promoted, 0 replica) when the construct has a writer DNS name. */
async function publish(value: number, config: PromoteConfig, deps: PromoteDeps): Promise<number | undefined> {
  if (!config.promotionMetric) {
    return undefined;
  }
  const metric = config.promotionMetric;
  await withRetry('PutMetricData', () => deps.cloudwatch.send(new PutMetricDataCommand({
    Namespace: metric.namespace,
    MetricData: [{
      MetricName: metric.metricName,
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: config.instanceIdentifier }],
      Value: value,
      Unit: 'Count',
      Timestamp: (deps.now ?? (() => new Date()))(),
    }],
  })), deps);
  return value;
}

/**
 * One poll. Done means the instance is `available` and has no `ReadReplicaSourceDBInstanceIdentifier`; then the
 * promotion metric is published at once (with a writer DNS name), without waiting for the watcher's next minute.
 */
export async function checkStatus(attempt: number, config: PromoteConfig, deps: PromoteDeps): Promise<PollResult> {
  const db = await describeOrFail(config, deps);
  const status = db.DBInstanceStatus ?? 'unknown';
  const isReplica = !!db.ReadReplicaSourceDBInstanceIdentifier;
  const done = status === 'available' && !isReplica;
  if (!done) {
    return { attempt: attempt + 1, done, status, isReplica };
  }
  const published = (await publish(1, config, deps)) !== undefined;
  return { attempt: attempt + 1, done, status, isReplica, published };
}

/**
 * The scheduled watcher (every minute, with a writer DNS name): publishes 1 when the instance is a writable standalone
 * instance, 0 while it is a read replica, and nothing when it is missing or between states (the Route 53 health checks
 * then keep their last known status). It follows every promotion: this state machine's, the console's, the CLI's, or
 * an ARC Region switch plan's.
 */
export async function watch(config: PromoteConfig, deps: PromoteDeps): Promise<WatchResult> {
  const db = await describe(config, deps);
  if (!db) {
    return { state: 'unknown' };
  }
  const status = db.DBInstanceStatus ?? 'unknown';
  if (db.ReadReplicaSourceDBInstanceIdentifier) {
    return { state: 'replica', status, published: await publish(0, config, deps) };
  }
  if (WRITABLE.has(status)) {
    return { state: 'promoted', status, published: await publish(1, config, deps) };
  }
  return { state: 'unknown', status };
}

/** Publishes what happened, with the measured duration since the execution started. */
export async function notify(input: NotifyInput, config: PromoteConfig, deps: PromoteDeps): Promise<NotifyResult> {
  const now = (deps.now ?? (() => new Date()))();
  const durationSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(input.plan?.startedAt ?? input.executionStartTime)) / 1000));
  const mode = input.plan?.mode ?? input.request?.mode ?? 'planned';
  const cause = input.error ? `${input.error.Error ?? 'Error'}: ${errorMessage(input.error.Cause)}` : undefined;
  const subject = `RDS ${mode} promotion of ${config.instanceIdentifier} ${input.outcome} (${durationSeconds} s)`.slice(0, 99);
  const message = {
    outcome: input.outcome,
    mode,
    instanceIdentifier: config.instanceIdentifier,
    region: config.region,
    previousSourceArn: input.plan?.sourceArn,
    replicaLagSeconds: input.plan?.replicaLagSeconds,
    status: input.poll?.status,
    durationSeconds,
    error: cause,
    executionArn: input.executionArn,
    next: input.outcome === 'succeeded'
      ? 'the old primary, if it comes back, is an independent instance: stop writes to it, then rebuild the replica (README, RdsCrossRegionReplica runbook)'
      : undefined,
  };
  const out = await withRetry('Publish', () => deps.sns.send(new PublishCommand({
    TopicArn: config.topicArn, Subject: subject, Message: JSON.stringify(message, undefined, 2),
  })), deps);
  return { durationSeconds, messageId: out.MessageId };
}

/** Dispatches one state's (or the schedule's) event to its logic function. */
export async function dispatch(event: PromoteEvent, config: PromoteConfig, deps: PromoteDeps): Promise<unknown> {
  const execution = (): ExecutionContext => {
    if (!event.execution) {
      throw new PromotionError('InvalidRequest', `action ${event.action} needs the execution context`);
    }
    return event.execution;
  };
  switch (event.action) {
    case 'precheck':
      return precheck(event.request ?? {}, execution(), config, deps);
    case 'promote':
      return promote(config, deps);
    case 'status':
      return checkStatus(event.poll?.attempt ?? 0, config, deps);
    case 'notify':
      return notify({
        ...(event.state ?? {}),
        outcome: event.outcome ?? 'unknown',
        executionArn: execution().executionArn,
        executionStartTime: execution().startTime,
      }, config, deps);
    case 'watch':
      return watch(config, deps);
    default:
      throw new PromotionError('InvalidRequest', `unknown action: ${String((event as { action?: unknown }).action)}`);
  }
}

/** Reads the configuration the construct rendered. */
export function readConfig(env: { [key: string]: string | undefined } = process.env): PromoteConfig {
  const raw = env.PROMOTE_CONFIG;
  if (!raw) {
    throw new PromotionError('InvalidConfiguration', 'PROMOTE_CONFIG is not set');
  }
  return JSON.parse(raw) as PromoteConfig;
}

/** Builds real clients for the Lambda environment (the region's own endpoints). */
export function defaultDeps(config: PromoteConfig): PromoteDeps {
  const region = config.region;
  return {
    rds: new RDSClient({ region }),
    sfn: new SFNClient({ region }),
    sns: new SNSClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
    now: () => new Date(),
  };
}

let cached: { config: PromoteConfig; deps: PromoteDeps } | undefined;

/** Lambda entry point. */
export async function handler(event: PromoteEvent): Promise<unknown> {
  if (!cached) {
    const config = readConfig();
    cached = { config, deps: defaultDeps(config) };
  }
  return dispatch(event, cached.config, cached.deps);
}
