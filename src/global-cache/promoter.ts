import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PROMOTE_REFUSALS } from './promote-core';
import { PromoteFunction } from './promote-function';
import { partitionOf } from './support';
import { NagSuppressions } from '../core/nag';

/** Throttling errors retried with backoff by every task. */
const THROTTLING_ERRORS = ['Throttling', 'Lambda.TooManyRequestsException'];

/** @internal */
export interface PromoterProps {
  readonly region: string;
  readonly account: string;
  readonly cacheName: string;
  /** The global datastore id: a token (the attribute in the primary stack, the SSM parameter in a secondary). */
  readonly globalReplicationGroupId: string;
  readonly replicationGroupIds: { [region: string]: string };
  readonly replicationGroupArns: { [region: string]: string };
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The promotion of one region: a Lambda (`<cacheName>-promote`, also callable directly) and a Step Functions state
 * machine of the same name.
 *
 * Flow: ReadRequest → CheckPreconditions → Promote → InitPoll → Wait ⇄ CheckStatus / IsPromotionComplete → NotifySuccess.
 * Done means the target is the PRIMARY member and its replication group is available. Fail states: `Refused` (a
 * pre-check refused, nothing changed), `Failed` (an AWS call failed after the checks), `PromotionStuck` (not done after
 * `maxPollAttempts` polls); each is preceded by an SNS notification.
 * @internal
 */
export class Promoter extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly handler: PromoteFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PromoterProps) {
    super(scope, id);
    const name = `${props.cacheName}-promote`;
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.role = this.createRole(props, name);
    logGroup.grantWrite(this.role);
    this.handler = new PromoteFunction(this, 'Handler', {
      functionName: name,
      role: this.role,
      logGroup,
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        PROMOTE_CONFIG: Stack.of(this).toJsonString({
          cacheName: props.cacheName,
          globalReplicationGroupId: props.globalReplicationGroupId,
          region: props.region,
          replicationGroupIds: props.replicationGroupIds,
          topicArn: props.topic.topicArn,
        }),
      },
    });
    const smLogs = new logs.LogGroup(this, 'StateMachineLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      timeout: Duration.minutes(10).plus(Duration.seconds(props.pollInterval.toSeconds() * (props.maxPollAttempts + 1))),
      tracingEnabled: true,
      logs: { destination: smLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: `Promotes a region of the ElastiCache global datastore ${props.cacheName} to primary (default ${props.region})`,
    });
    this.suppressFindings();
  }

  /**
   * The Lambda's role: the global datastore (describe, failover) and its member replication groups (describe) only,
   * its own executions, its topic. ElastiCache's IAM reference: FailoverGlobalReplicationGroup and
   * DescribeGlobalReplicationGroups act on the GlobalReplicationGroup resource, DescribeReplicationGroups on a
   * ReplicationGroup (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/IAM.APIReference.html); a global
   * datastore's ARN is `arn:${Partition}:elasticache::${Account}:globalreplicationgroup:${GlobalReplicationGroupId}`
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticache.html).
   */
  private createRole(props: PromoterProps, name: string): iam.Role {
    const partition = partitionOf(props.region);
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Promotion of the ElastiCache global datastore ${props.cacheName} from ${props.region}`,
    });
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'GlobalDatastore',
      actions: ['elasticache:DescribeGlobalReplicationGroups', 'elasticache:FailoverGlobalReplicationGroup'],
      resources: [`arn:${partition}:elasticache::${props.account}:globalreplicationgroup:${props.globalReplicationGroupId}`],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'Members',
      actions: ['elasticache:DescribeReplicationGroups'],
      resources: Object.values(props.replicationGroupArns),
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'OwnExecutions',
      actions: ['states:ListExecutions'],
      resources: [`arn:${partition}:states:${props.region}:${props.account}:stateMachine:${name}`],
    }));
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
    const notify = (stateId: string, outcome: string, next: sfn.IChainable) => {
      const task = invoke(stateId, { action: 'notify', outcome, state: sfn.JsonPath.objectAt('$') }, '$.notification');
      // A failed notification must not hide the outcome.
      task.addCatch(next, { resultPath: '$.notificationError' });
      return task.next(next);
    };
    const refused = new sfn.Fail(this, 'Refused', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const failed = new sfn.Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const stuck = new sfn.Fail(this, 'PromotionStuck', {
      error: 'PromotionStuck',
      cause: `the target was not the available primary after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
    });
    const notifyRefused = notify('NotifyRefused', 'refused', refused);
    const notifyFailed = notify('NotifyFailure', 'failed', failed);
    const notifyStuck = notify('NotifyStuck', 'stuck', stuck);
    const notifySuccess = notify('NotifySuccess', 'succeeded', new sfn.Succeed(this, 'Succeeded'));

    const readRequest = new sfn.Pass(this, 'ReadRequest', { parameters: { 'request.$': '$' } });
    const precheck = invoke('CheckPreconditions', { action: 'precheck', request: sfn.JsonPath.objectAt('$.request') }, '$.plan');
    precheck.addCatch(notifyRefused, { errors: PROMOTE_REFUSALS, resultPath: '$.error' });
    precheck.addCatch(notifyRefused, { errors: ['States.ALL'], resultPath: '$.error' });
    const promote = invoke('Promote', { action: 'promote', plan: sfn.JsonPath.objectAt('$.plan') }, '$.promotion');
    const initPoll = new sfn.Pass(this, 'InitPoll', { result: sfn.Result.fromObject({ attempt: 0, done: false }), resultPath: '$.poll' });
    const wait = new sfn.Wait(this, 'WaitForPromotion', { time: sfn.WaitTime.duration(props.pollInterval) });
    const poll = invoke('CheckStatus', { action: 'status', plan: sfn.JsonPath.objectAt('$.plan'), poll: sfn.JsonPath.objectAt('$.poll') }, '$.poll');
    for (const task of [promote, poll]) {
      task.addCatch(notifyFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    }
    const complete = new sfn.Choice(this, 'IsPromotionComplete')
      .when(sfn.Condition.booleanEquals('$.poll.done', true), notifySuccess)
      .when(sfn.Condition.numberGreaterThanEquals('$.poll.attempt', props.maxPollAttempts), notifyStuck)
      .otherwise(wait);
    initPoll.next(wait.next(poll).next(complete));
    return readRequest.next(precheck).next(promote).next(initPoll);
  }

  /** One resource and one rule per suppression; IAM5 names the exact findings it accepts. */
  private suppressFindings(): void {
    const handlerId = Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnResource);
    NagSuppressions.addResourceSuppressions(this.stateMachine.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Step Functions needs the X-Ray and CloudWatch Logs delivery actions on "*" (they have no resource-level permissions), and lambda:InvokeFunction on this promotion function\'s own versions (<arn>:*), nothing else',
      appliesTo: ['Resource::*', `Resource::<${handlerId}.Arn>:*`],
    }]);
    NagSuppressions.addResourceSuppressions(this.handler, [{
      id: 'AwsSolutions-L1',
      reason: 'The runtime is pinned to Node.js 22 by the library\'s bundler (projen), which targets node22 and takes AWS SDK v3 from the runtime; the function only runs during a promotion',
    }]);
  }
}
