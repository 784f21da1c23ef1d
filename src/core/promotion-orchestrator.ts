import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NagSuppressions } from './nag';
import { partitionOf } from './partition';

/*
 * The parts every promotion orchestrator of this library shares (GlobalCache's and RdsCrossRegionReplica's `Promoter`;
 * AuroraGlobalFailover's `FailoverOrchestrator` has the same shape): a Lambda with its log group and role, a Step
 * Functions state machine with its log group, and a flow of states
 *
 *   ReadRequest → CheckPreconditions → <operation task(s)> → InitPoll → <wait> ⇄ <poll> / <choice> → NotifySuccess
 *
 * whose fail states (`Refused`, `Failed`, `<stuck>`) are each preceded by an SNS notification sent by the Lambda.
 * Each function creates its constructs in the orchestrator construct it is given (`scope`), with the ids the
 * orchestrators have always had, so the construct paths, logical ids and state names do not depend on this module.
 * Internal: not exported from the package index.
 */

/** Throttling errors retried with backoff by every task. @internal */
export const THROTTLING_ERRORS = ['Throttling', 'Lambda.TooManyRequestsException'];

/** Retention and removal of an orchestrator's log groups. @internal */
export interface OrchestratorLogOptions {
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The Lambda's log group, `HandlerLogs`. @internal */
export function createHandlerLogs(scope: Construct, options: OrchestratorLogOptions): logs.LogGroup {
  return new logs.LogGroup(scope, 'HandlerLogs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
}

/** What an orchestrator's Lambda role may do beyond its own executions, its topic and the topic's key. @internal */
export interface OrchestratorRoleOptions {
  /** The role's description. */
  readonly description: string;
  readonly region: string;
  readonly account: string;
  /** The state machine's name: the role may list its executions (one operation at a time). */
  readonly stateMachineName: string;
  readonly topic: sns.ITopic;
  /**
   * The KMS key that encrypts `topic`.
   * @default - no KMS statement (a topic without a customer managed key)
   */
  readonly topicKey?: kms.IKey;
  /** Statements on the resources the orchestrator acts on, first in the policy. */
  readonly resourceStatements: iam.PolicyStatement[];
  /** Statements after `OwnExecutions` (e.g. CloudWatch metrics). */
  readonly metricStatements?: iam.PolicyStatement[];
}

/**
 * The Lambda's role, `HandlerRole`, with its statements in this order: `resourceStatements`, `OwnExecutions`
 * (`states:ListExecutions` on the orchestrator's own state machine), `metricStatements`, `Notify` (`sns:Publish` on the
 * topic) and, with `topicKey`, `EncryptedTopic` (`kms:GenerateDataKey` and `kms:Decrypt` on the topic's key: a
 * publisher to a topic encrypted with a customer managed key needs them,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 * @internal
 */
export function createOrchestratorRole(scope: Construct, options: OrchestratorRoleOptions): iam.Role {
  const role = new iam.Role(scope, 'HandlerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.description,
  });
  options.resourceStatements.forEach((statement) => role.addToPolicy(statement));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'OwnExecutions',
    actions: ['states:ListExecutions'],
    resources: [`arn:${partitionOf(options.region)}:states:${options.region}:${options.account}:stateMachine:${options.stateMachineName}`],
  }));
  (options.metricStatements ?? []).forEach((statement) => role.addToPolicy(statement));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [options.topic.topicArn] }));
  if (options.topicKey) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptedTopic', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [options.topicKey.keyArn] }));
  }
  return role;
}

/** An orchestrator's state machine. @internal */
export interface OrchestratorStateMachineOptions extends OrchestratorLogOptions {
  readonly stateMachineName: string;
  /** The whole execution's timeout. */
  readonly timeout: Duration;
  readonly comment: string;
}

/**
 * `StateMachineLogs`, then the states (`definition`, called after the log group), then `StateMachine`: X-Ray tracing
 * on, every event logged with execution data.
 * @internal
 */
export function createOrchestratorStateMachine(
  scope: Construct,
  options: OrchestratorStateMachineOptions,
  definition: () => sfn.IChainable,
): sfn.StateMachine {
  const smLogs = new logs.LogGroup(scope, 'StateMachineLogs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
  return new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: options.stateMachineName,
    definitionBody: sfn.DefinitionBody.fromChainable(definition()),
    timeout: options.timeout,
    tracingEnabled: true,
    logs: { destination: smLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
    comment: options.comment,
  });
}

/** How an orchestrator's Lambda is described in its cdk-nag suppressions. @internal */
export interface OrchestratorFindingsOptions {
  /** What the function is, e.g. `promotion function`. */
  readonly functionLabel: string;
  /** When the function runs, e.g. `the function only runs during a promotion`. */
  readonly whenItRuns: string;
}

/**
 * The suppressions every orchestrator needs, one resource and one rule each: IAM5 on the state machine role (names the
 * exact findings it accepts) and L1 on the Lambda. Add the Lambda role's own IAM5 suppression, if any, before.
 * @internal
 */
export function suppressOrchestratorFindings(handler: lambda.Function, stateMachine: sfn.StateMachine, options: OrchestratorFindingsOptions): void {
  const handlerId = Stack.of(handler).getLogicalId(handler.node.defaultChild as CfnResource);
  NagSuppressions.addResourceSuppressions(stateMachine.role.node.findChild('DefaultPolicy'), [{
    id: 'AwsSolutions-IAM5',
    reason: `Step Functions needs the X-Ray and CloudWatch Logs delivery actions on "*" (they have no resource-level permissions), and lambda:InvokeFunction on this ${options.functionLabel}'s own versions (<arn>:*), nothing else`,
    appliesTo: ['Resource::*', `Resource::<${handlerId}.Arn>:*`],
  }]);
  NagSuppressions.addResourceSuppressions(handler, [{
    id: 'AwsSolutions-L1',
    reason: `The runtime is pinned to Node.js 22 by the library's bundler (projen), which targets node22 and takes AWS SDK v3 from the runtime; ${options.whenItRuns}`,
  }]);
}

/** The stuck state of a poll loop. @internal */
export interface StuckStateOptions {
  /** Its id, also its error name (e.g. `PromotionStuck`). */
  readonly id: string;
  readonly cause: string;
  /**
   * Create `Succeeded` right after the fail states (AuroraGlobalFailover's order) instead of just before `NotifySuccess`.
   * Changes only the order of the states in the construct tree.
   * @default false
   */
  readonly succeededFirst?: boolean;
}

/** The notification states that lead to each outcome's final state. @internal */
export interface OrchestratorOutcomes {
  readonly notifyRefused: sfn.IChainable;
  readonly notifyFailed: sfn.IChainable;
  readonly notifyStuck: sfn.IChainable;
  readonly notifySuccess: sfn.IChainable;
}

/** The wait-and-poll loop after the operation. @internal */
export interface PollLoopOptions {
  /** The Wait state's id. */
  readonly waitId: string;
  /** The status task's id. */
  readonly pollId: string;
  /** The status task's payload (`execution` is added). */
  readonly pollPayload: { [key: string]: unknown };
  /** The Choice state's id. */
  readonly choiceId: string;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
}

/**
 * Builds the states of an orchestrator's flow in `scope`, every task a call of `handler` with `{ ...payload, execution }`.
 * @internal
 */
export class OrchestratorFlow {
  private readonly execution = {
    executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
    stateMachineArn: sfn.JsonPath.stringAt('$$.StateMachine.Id'),
    startTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
  };

  constructor(private readonly scope: Construct, private readonly handler: lambda.IFunction) {}

  /** A Lambda task, retried on Lambda service errors and, with full-jitter backoff, on throttling. */
  public invoke(stateId: string, payload: { [key: string]: unknown }, resultPath?: string): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this.scope, stateId, {
      lambdaFunction: this.handler,
      payload: sfn.TaskInput.fromObject({ ...payload, execution: this.execution }),
      payloadResponseOnly: true,
      resultPath: resultPath ?? sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    });
    task.addRetry({
      errors: THROTTLING_ERRORS, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5, jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }

  /**
   * The fail states `Refused` and `Failed` (error and cause of `$.error`), the stuck state, `Succeeded`, and the
   * notification before each (`NotifyRefused`, `NotifyFailure`, `NotifyStuck`, `NotifySuccess`).
   */
  public outcomes(stuck: StuckStateOptions): OrchestratorOutcomes {
    const refused = new sfn.Fail(this.scope, 'Refused', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const failed = new sfn.Fail(this.scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const stuckState = new sfn.Fail(this.scope, stuck.id, { error: stuck.id, cause: stuck.cause });
    const succeededFirst = stuck.succeededFirst ? new sfn.Succeed(this.scope, 'Succeeded') : undefined;
    const notifyRefused = this.notify('NotifyRefused', 'refused', refused);
    const notifyFailed = this.notify('NotifyFailure', 'failed', failed);
    const notifyStuck = this.notify('NotifyStuck', 'stuck', stuckState);
    const notifySuccess = this.notify('NotifySuccess', 'succeeded', succeededFirst ?? new sfn.Succeed(this.scope, 'Succeeded'));
    return { notifyRefused, notifyFailed, notifyStuck, notifySuccess };
  }

  /**
   * `ReadRequest` (the execution input under `$.request`) and `CheckPreconditions` (`action: 'precheck'`, result in
   * `$.plan`): any error goes to `NotifyRefused`, the `refusalErrors` first when given.
   */
  public readAndCheck(outcomes: OrchestratorOutcomes, refusalErrors?: string[]): { readRequest: sfn.Pass; precheck: tasks.LambdaInvoke } {
    const readRequest = new sfn.Pass(this.scope, 'ReadRequest', { parameters: { 'request.$': '$' } });
    const precheck = this.invoke('CheckPreconditions', { action: 'precheck', request: sfn.JsonPath.objectAt('$.request') }, '$.plan');
    if (refusalErrors) {
      precheck.addCatch(outcomes.notifyRefused, { errors: refusalErrors, resultPath: '$.error' });
    }
    precheck.addCatch(outcomes.notifyRefused, { errors: ['States.ALL'], resultPath: '$.error' });
    return { readRequest, precheck };
  }

  /**
   * `InitPoll` (`$.poll` = `{ attempt: 0, done: false }`) → wait ⇄ poll → choice: done → `NotifySuccess`, at
   * `maxPollAttempts` → `NotifyStuck`, else wait again. Any error of the `operations` and of the poll goes to
   * `NotifyFailure`. Returns `InitPoll`, the state the operations lead to.
   */
  public pollLoop(options: PollLoopOptions, operations: tasks.LambdaInvoke[], outcomes: OrchestratorOutcomes): sfn.Pass {
    const initPoll = new sfn.Pass(this.scope, 'InitPoll', { result: sfn.Result.fromObject({ attempt: 0, done: false }), resultPath: '$.poll' });
    const wait = new sfn.Wait(this.scope, options.waitId, { time: sfn.WaitTime.duration(options.pollInterval) });
    const poll = this.invoke(options.pollId, options.pollPayload, '$.poll');
    for (const task of [...operations, poll]) {
      task.addCatch(outcomes.notifyFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    }
    const complete = new sfn.Choice(this.scope, options.choiceId)
      .when(sfn.Condition.booleanEquals('$.poll.done', true), outcomes.notifySuccess)
      .when(sfn.Condition.numberGreaterThanEquals('$.poll.attempt', options.maxPollAttempts), outcomes.notifyStuck)
      .otherwise(wait);
    initPoll.next(wait.next(poll).next(complete));
    return initPoll;
  }

  /** A notification (`action: 'notify'`, the whole state), then `next`; a failed notification goes on to `next` too. */
  private notify(stateId: string, outcome: string, next: sfn.IChainable): sfn.IChainable {
    const task = this.invoke(stateId, { action: 'notify', outcome, state: sfn.JsonPath.objectAt('$') }, '$.notification');
    // A failed notification must not hide the outcome: go on to the final state.
    task.addCatch(next, { resultPath: '$.notificationError' });
    return task.next(next);
  }
}
