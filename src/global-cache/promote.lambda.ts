/**
 * Promotes a secondary region of an ElastiCache global datastore to primary (`FailoverGlobalReplicationGroup`): the Lambda
 * behind every state of `GlobalCache`'s promotion state machine (one per region), also callable directly.
 *
 * The logic functions (`precheck`, `promote`, `checkStatus`, `notify`, `run`) take their configuration and AWS clients as
 * arguments, so tests call them with mocked clients; `handler` builds the clients and dispatches on `event.action`.
 *
 * Every ElastiCache call goes to the TARGET region's endpoint, never to the current primary's: the primary region may be
 * the one that is down, and AWS lets you promote "by connecting to any AWS Region that contains a secondary cluster"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html). `FailoverGlobalReplicationGroup`
 * names the new primary: `PrimaryRegion` and `PrimaryReplicationGroupId` are the target's
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_FailoverGlobalReplicationGroup.html: "The
 * secondary region will become primary, and all other clusters will become secondary"). AWS: "Promotion is allowed
 * anytime, even if other modifications are in progress"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html), so a `modifying`
 * global datastore is not refused.
 */
import {
  DescribeGlobalReplicationGroupsCommand, DescribeReplicationGroupsCommand, ElastiCacheClient, FailoverGlobalReplicationGroupCommand,
  GlobalReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  errorMessage, ExecutionContext, OrchestratorError, PromoteConfig, PromoteDeps, PromoteEvent, PromoteNotifyInput, PromoteNotifyResult,
  PromotePlan, PromotePoll, PromoteRequest, PromoteStart, withRetry,
} from './promote-core';

export * from './promote-core';

const NOT_READY = new Set(['creating', 'deleting']);

async function describeGlobal(config: PromoteConfig, deps: PromoteDeps, region: string): Promise<GlobalReplicationGroup> {
  try {
    const out = await withRetry('DescribeGlobalReplicationGroups', () => deps.elasticache(region).send(new DescribeGlobalReplicationGroupsCommand({
      GlobalReplicationGroupId: config.globalReplicationGroupId, ShowMemberInfo: true,
    })), deps);
    const g = out.GlobalReplicationGroups?.[0];
    if (g) {
      return g;
    }
  } catch (err) {
    if ((err as Error).name !== 'GlobalReplicationGroupNotFoundFault') {
      throw err;
    }
  }
  throw new OrchestratorError('GlobalDatastoreNotFound', `global datastore ${config.globalReplicationGroupId} was not found in ${region}`);
}

async function replicationGroupStatus(deps: PromoteDeps, region: string, id: string): Promise<string> {
  try {
    const out = await withRetry('DescribeReplicationGroups', () => deps.elasticache(region).send(new DescribeReplicationGroupsCommand({
      ReplicationGroupId: id,
    })), deps);
    return out.ReplicationGroups?.[0]?.Status ?? 'missing';
  } catch (err) {
    if ((err as Error).name === 'ReplicationGroupNotFoundFault') {
      return 'missing';
    }
    throw err;
  }
}

function primaryOf(g: GlobalReplicationGroup) {
  return g.Members?.find((m) => m.Role === 'PRIMARY');
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
    throw new OrchestratorError('OperationInProgress', `another promotion is running: ${earlier.map((e) => e.executionArn).join(', ')}`);
  }
}

/**
 * Checks that the promotion may start: the target is a region of the global datastore, no other execution of this state
 * machine runs (state machine only), the global datastore exists and is not being created or deleted, the target is an
 * `associated` SECONDARY member, and its replication group is `available`.
 */
export async function precheck(request: PromoteRequest, execution: ExecutionContext | undefined, config: PromoteConfig,
  deps: PromoteDeps): Promise<PromotePlan> {
  const targetRegion = request.targetRegion ?? config.region;
  const targetId = config.replicationGroupIds[targetRegion];
  if (!targetId) {
    throw new OrchestratorError('TargetNotMember',
      `${targetRegion} is not a region of global datastore ${config.globalReplicationGroupId} (regions: ${Object.keys(config.replicationGroupIds).join(', ')})`);
  }
  if (execution) {
    await refuseConcurrentExecutions(execution, deps);
  }
  const g = await describeGlobal(config, deps, targetRegion);
  const status = g.Status ?? 'unknown';
  if (NOT_READY.has(status)) {
    throw new OrchestratorError('GlobalDatastoreNotAvailable', `global datastore ${config.globalReplicationGroupId} is ${status}`);
  }
  const member = g.Members?.find((m) => m.ReplicationGroupId === targetId && m.ReplicationGroupRegion === targetRegion);
  if (!member) {
    throw new OrchestratorError('TargetNotMember', `${targetId} (${targetRegion}) is not a member of global datastore ${config.globalReplicationGroupId}`);
  }
  if (member.Role === 'PRIMARY') {
    throw new OrchestratorError('TargetAlreadyPrimary', `${targetRegion} is already the primary region of ${config.globalReplicationGroupId}: nothing to do`);
  }
  if (member.Status !== 'associated') {
    throw new OrchestratorError('TargetNotAvailable', `member ${targetId} must be associated, it is: ${member.Status ?? 'unknown'}`);
  }
  const targetStatus = await replicationGroupStatus(deps, targetRegion, targetId);
  if (targetStatus !== 'available') {
    throw new OrchestratorError('TargetNotAvailable', `replication group ${targetId} must be available, it is: ${targetStatus}`);
  }
  const primary = primaryOf(g);
  return {
    globalReplicationGroupId: config.globalReplicationGroupId,
    targetRegion,
    targetReplicationGroupId: targetId,
    previousPrimaryRegion: primary?.ReplicationGroupRegion,
    previousPrimaryReplicationGroupId: primary?.ReplicationGroupId,
    startedAt: execution?.startTime ?? (deps.now ?? (() => new Date()))().toISOString(),
  };
}

/**
 * `FailoverGlobalReplicationGroup` to the target, sent to the target's region. A retry after the call went through finds
 * the target already PRIMARY (the call then fails with `InvalidGlobalReplicationGroupStateFault`) and succeeds.
 */
export async function promote(plan: PromotePlan, config: PromoteConfig, deps: PromoteDeps): Promise<PromoteStart> {
  try {
    await withRetry('FailoverGlobalReplicationGroup', () => deps.elasticache(plan.targetRegion).send(new FailoverGlobalReplicationGroupCommand({
      GlobalReplicationGroupId: plan.globalReplicationGroupId,
      PrimaryRegion: plan.targetRegion,
      PrimaryReplicationGroupId: plan.targetReplicationGroupId,
    })), deps);
    return { operation: 'FailoverGlobalReplicationGroup', alreadyStarted: false };
  } catch (err) {
    if ((err as Error).name === 'InvalidGlobalReplicationGroupStateFault') {
      const primary = primaryOf(await describeGlobal(config, deps, plan.targetRegion));
      if (primary?.ReplicationGroupId === plan.targetReplicationGroupId && primary.ReplicationGroupRegion === plan.targetRegion) {
        return { operation: 'FailoverGlobalReplicationGroup', alreadyStarted: true };
      }
    }
    throw err;
  }
}

/**
 * One poll, in the target's region. Done means: the target member's role is PRIMARY and its replication group is
 * `available`. The global datastore's own status is not waited for: with the old primary's region down it may not settle
 * while the new primary already takes writes.
 */
export async function checkStatus(plan: PromotePlan, attempt: number, config: PromoteConfig, deps: PromoteDeps): Promise<PromotePoll> {
  const g = await describeGlobal(config, deps, plan.targetRegion);
  const primary = primaryOf(g);
  const status = g.Status ?? 'unknown';
  const isTarget = primary?.ReplicationGroupId === plan.targetReplicationGroupId && primary.ReplicationGroupRegion === plan.targetRegion;
  if (!isTarget) {
    return { attempt: attempt + 1, done: false, status, primaryRegion: primary?.ReplicationGroupRegion };
  }
  const targetStatus = await replicationGroupStatus(deps, plan.targetRegion, plan.targetReplicationGroupId);
  return { attempt: attempt + 1, done: targetStatus === 'available', status, primaryRegion: plan.targetRegion, targetStatus };
}

/** Publishes what happened, with the measured duration since the execution started. */
export async function notify(input: PromoteNotifyInput, config: PromoteConfig, deps: PromoteDeps): Promise<PromoteNotifyResult> {
  const now = (deps.now ?? (() => new Date()))();
  const durationSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(input.plan?.startedAt ?? input.executionStartTime)) / 1000));
  const target = input.plan?.targetRegion ?? input.request?.targetRegion ?? config.region;
  const cause = input.error ? `${input.error.Error ?? 'Error'}: ${errorMessage(input.error.Cause)}` : undefined;
  const subject = `ElastiCache ${config.cacheName}: promotion to ${target} ${input.outcome} (${durationSeconds} s)`.slice(0, 99);
  const message = {
    outcome: input.outcome,
    globalReplicationGroupId: config.globalReplicationGroupId,
    targetRegion: target,
    targetReplicationGroupId: input.plan?.targetReplicationGroupId,
    previousPrimaryRegion: input.plan?.previousPrimaryRegion,
    newPrimaryRegion: input.poll?.primaryRegion,
    durationSeconds,
    error: cause,
    executionArn: input.executionArn,
    functionRegion: config.region,
  };
  const out = await withRetry('Publish', () => deps.sns.send(new PublishCommand({
    TopicArn: config.topicArn, Subject: subject, Message: JSON.stringify(message, undefined, 2),
  })), deps);
  return { durationSeconds, messageId: out.MessageId };
}

/** A direct invocation: pre-checks and starts the promotion; the caller polls (e.g. `describe-global-replication-groups`). */
export async function run(request: PromoteRequest, config: PromoteConfig, deps: PromoteDeps): Promise<{ plan: PromotePlan; start: PromoteStart }> {
  const plan = await precheck(request, undefined, config, deps);
  return { plan, start: await promote(plan, config, deps) };
}

/** Dispatches one event to its logic function. */
export async function dispatch(event: PromoteEvent, config: PromoteConfig, deps: PromoteDeps): Promise<unknown> {
  const needPlan = (): PromotePlan => {
    if (!event.plan) {
      throw new OrchestratorError('InvalidRequest', `action ${event.action} needs a plan`);
    }
    return event.plan;
  };
  switch (event.action ?? 'run') {
    case 'run':
      return run(event.request ?? { targetRegion: event.targetRegion }, config, deps);
    case 'precheck':
      return precheck(event.request ?? {}, event.execution, config, deps);
    case 'promote':
      return promote(needPlan(), config, deps);
    case 'status':
      return checkStatus(needPlan(), event.poll?.attempt ?? 0, config, deps);
    case 'notify':
      return notify({
        ...(event.state ?? {}),
        outcome: event.outcome ?? 'unknown',
        executionArn: event.execution?.executionArn,
        executionStartTime: event.execution?.startTime ?? (deps.now ?? (() => new Date()))().toISOString(),
      }, config, deps);
    default:
      throw new OrchestratorError('InvalidRequest', `unknown action: ${String(event.action)}`);
  }
}

/** Builds real clients for the Lambda environment. */
export function defaultDeps(config: PromoteConfig): PromoteDeps {
  const clients = new Map<string, ElastiCacheClient>();
  return {
    now: () => new Date(),
    elasticache: (region) => {
      if (!clients.has(region)) {
        clients.set(region, new ElastiCacheClient({ region }));
      }
      return clients.get(region)!;
    },
    sfn: new SFNClient({ region: config.region }),
    sns: new SNSClient({ region: config.region }),
  };
}

/** Reads the configuration the construct rendered. */
export function readConfig(env: { [key: string]: string | undefined } = process.env): PromoteConfig {
  const raw = env.PROMOTE_CONFIG;
  if (!raw) {
    throw new OrchestratorError('InvalidConfiguration', 'PROMOTE_CONFIG is not set');
  }
  return JSON.parse(raw) as PromoteConfig;
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
