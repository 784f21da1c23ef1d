import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { PromoteConfig, PromotionMetric } from './promote-core';
import { PromoteFunction } from './promote-function';
import { THROTTLING_ERRORS } from '../aurora-global-failover/orchestrator';
import { partitionOf } from '../aurora-global-failover/support';
import { NagSuppressions } from '../core/nag';

/** How often a replica that is not ready (e.g. backing-up) is retried, `pollInterval` apart. */
const READY_RETRIES = 20;

/** @internal */
export interface PromoterProps {
  readonly region: string;
  readonly account: string;
  readonly instanceIdentifier: string;
  readonly instanceArn: string;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  readonly backupRetentionDays: number;
  readonly maxReplicaLagSeconds: number;
  readonly stateMachineName: string;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /**
   * With a writer DNS name: the metric the handler publishes, and a schedule that runs the watcher every minute.
   * @default - no metric, no schedule
   */
  readonly promotionMetric?: PromotionMetric;
}

/**
 * The promotion orchestrator of one region: a Step Functions state machine and its Lambda, which promote that region's
 * read replica.
 *
 * Flow: ReadRequest → CheckPreconditions (retried while the replica is not ready, e.g. backing-up) → PromoteReadReplica
 * (retried likewise) → InitPoll → WaitForPromotion ⇄ CheckPromotionStatus / IsPromoted → NotifySuccess.
 * Fail states: `Refused` (a pre-check refused: nothing changed), `Failed` (an AWS call failed after the checks),
 * `PromotionStuck` (not promoted after `maxPollAttempts` polls). Each is preceded by an SNS notification.
 * @internal
 */
export class Promoter extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly handler: PromoteFunction;

  constructor(scope: Construct, id: string, props: PromoterProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    const role = this.createRole(props);
    logGroup.grantWrite(role);
    const config: PromoteConfig = {
      instanceIdentifier: props.instanceIdentifier,
      instanceArn: props.instanceArn,
      region: props.region,
      topicArn: props.topic.topicArn,
      backupRetentionDays: props.backupRetentionDays,
      maxReplicaLagSeconds: props.maxReplicaLagSeconds,
      promotionMetric: props.promotionMetric,
    };
    this.handler = new PromoteFunction(this, 'Handler', {
      role,
      logGroup,
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: { PROMOTE_CONFIG: Stack.of(this).toJsonString(config) },
    });
    const smLogs = new logs.LogGroup(this, 'StateMachineLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    const waits = Duration.seconds(props.pollInterval.toSeconds() * (props.maxPollAttempts + 2 * READY_RETRIES));
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      timeout: waits.plus(Duration.minutes(15)),
      tracingEnabled: true,
      logs: { destination: smLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: `Promotes the RDS read replica ${props.instanceIdentifier}: start with {"mode":"planned"|"unplanned"}`,
    });
    if (props.promotionMetric) {
      // The writer DNS name's watcher: every minute, publish whether this region's instance is a promoted writer.
      new events.Rule(this, 'WatchSchedule', {
        description: `Publishes whether ${props.instanceIdentifier} is promoted, for the writer DNS name's health checks`,
        schedule: events.Schedule.rate(Duration.minutes(1)),
        targets: [new targets.LambdaFunction(this.handler, { event: events.RuleTargetInput.fromObject({ action: 'watch' }), retryAttempts: 0 })],
      });
    }
    this.suppressFindings(role);
  }

  /** The Lambda's role: the region's own instance, its own executions, its topic, and (with DNS) its metric namespace. */
  private createRole(props: PromoterProps): iam.Role {
    const partition = partitionOf(props.region);
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `RDS read replica promotion of ${props.instanceIdentifier}`,
    });
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'OwnInstance',
      actions: ['rds:DescribeDBInstances', 'rds:PromoteReadReplica'],
      resources: [props.instanceArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'OwnExecutions',
      actions: ['states:ListExecutions'],
      resources: [`arn:${partition}:states:${props.region}:${props.account}:stateMachine:${props.stateMachineName}`],
    }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReplicaLagMetric', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    if (props.promotionMetric) {
      role.addToPolicy(new iam.PolicyStatement({
        sid: 'PromotionMetric',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': props.promotionMetric.namespace } },
      }));
    }
    role.addToPolicy(new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [props.topic.topicArn] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptedTopic', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.topicKey.keyArn] }));
    return role;
  }

  /** The state machine definition (see the class comment for the flow). */
  private definition(props: PromoterProps): sfn.IChainable {
    const execution = {
      executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
      stateMachineArn: sfn.JsonPath.stringAt('$$.StateMachine.Id'),
      startTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
    };
    const invoke = (stateId: string, payload: { [key: string]: unknown }, resultPath: string) => {
      const task = new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: this.handler,
        payload: sfn.TaskInput.fromObject({ ...payload, execution }),
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: true,
      });
      task.addRetry({
        errors: THROTTLING_ERRORS, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5, jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };
    // "a read replica cannot be promoted to a standalone instance when it is in the backing-up status": wait and retry.
    const retryNotReady = (task: tasks.LambdaInvoke) => task.addRetry({
      errors: ['ReplicaNotReady'], interval: props.pollInterval, backoffRate: 1, maxAttempts: READY_RETRIES,
    });
    const notify = (stateId: string, outcome: string, next: sfn.IChainable) => {
      const task = invoke(stateId, { action: 'notify', outcome, state: sfn.JsonPath.objectAt('$') }, '$.notification');
      // A failed notification must not hide the outcome: go on to the final state.
      task.addCatch(next, { resultPath: '$.notificationError' });
      return task.next(next);
    };
    const refused = new sfn.Fail(this, 'Refused', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const failed = new sfn.Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const stuck = new sfn.Fail(this, 'PromotionStuck', {
      error: 'PromotionStuck',
      cause: `${props.instanceIdentifier} was not an available standalone instance after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
    });
    const notifyRefused = notify('NotifyRefused', 'refused', refused);
    const notifyFailed = notify('NotifyFailure', 'failed', failed);
    const notifyStuck = notify('NotifyStuck', 'stuck', stuck);
    const notifySuccess = notify('NotifySuccess', 'succeeded', new sfn.Succeed(this, 'Succeeded'));

    const readRequest = new sfn.Pass(this, 'ReadRequest', { parameters: { 'request.$': '$' } });
    const precheck = retryNotReady(invoke('CheckPreconditions', { action: 'precheck', request: sfn.JsonPath.objectAt('$.request') }, '$.plan'));
    precheck.addCatch(notifyRefused, { errors: ['States.ALL'], resultPath: '$.error' });
    const promote = retryNotReady(invoke('PromoteReadReplica', { action: 'promote' }, '$.promotion'));
    const initPoll = new sfn.Pass(this, 'InitPoll', { result: sfn.Result.fromObject({ attempt: 0, done: false }), resultPath: '$.poll' });
    const wait = new sfn.Wait(this, 'WaitForPromotion', { time: sfn.WaitTime.duration(props.pollInterval) });
    const poll = invoke('CheckPromotionStatus', { action: 'status', poll: sfn.JsonPath.objectAt('$.poll') }, '$.poll');
    for (const task of [promote, poll]) {
      task.addCatch(notifyFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    }
    const promoted = new sfn.Choice(this, 'IsPromoted')
      .when(sfn.Condition.booleanEquals('$.poll.done', true), notifySuccess)
      .when(sfn.Condition.numberGreaterThanEquals('$.poll.attempt', props.maxPollAttempts), notifyStuck)
      .otherwise(wait);
    initPoll.next(wait.next(poll).next(promoted));
    return readRequest.next(precheck).next(promote).next(initPoll);
  }

  /** One resource and one rule per suppression; IAM5 names the exact findings it accepts. */
  private suppressFindings(role: iam.Role): void {
    NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Only cloudwatch:GetMetricData (the planned-promotion lag gate) and cloudwatch:PutMetricData (limited by the cloudwatch:namespace condition to this library\'s promotion metric) are on "*": neither has resource-level permissions. The rds, states, sns and kms actions are scoped to this region\'s instance, this state machine, the alarm topic and its key',
      appliesTo: ['Resource::*'],
    }]);
    const handlerId = Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnResource);
    NagSuppressions.addResourceSuppressions(this.stateMachine.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Step Functions needs the X-Ray and CloudWatch Logs delivery actions on "*" (they have no resource-level permissions), and lambda:InvokeFunction on this promotion function\'s own versions (<arn>:*), nothing else',
      appliesTo: ['Resource::*', `Resource::<${handlerId}.Arn>:*`],
    }]);
    NagSuppressions.addResourceSuppressions(this.handler, [{
      id: 'AwsSolutions-L1',
      reason: 'The runtime is pinned to Node.js 22 by the library\'s bundler (projen), which targets node22 and takes AWS SDK v3 from the runtime; the function runs during a promotion and, with a writer DNS name, once a minute to publish one metric',
    }]);
  }
}
