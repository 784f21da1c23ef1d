import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { OrchestratorFunction } from './orchestrator-function';
import { partitionOf } from './support';
import { NagSuppressions } from '../core/nag';

/** Errors the pre-check throws to refuse an operation (nothing has changed yet). */
export const REFUSAL_ERRORS = [
  'InvalidRequest', 'TargetNotMember', 'TargetAlreadyPrimary', 'TargetNotAvailable', 'GlobalClusterNotAvailable',
  'GlobalClusterNotFound', 'ReplicationLagTooHigh', 'ReplicationLagUnknown', 'OperationInProgress',
];

/** Throttling errors retried with backoff by every task. */
export const THROTTLING_ERRORS = ['Throttling', 'Lambda.TooManyRequestsException'];

/** @internal */
export interface OrchestratorProps {
  readonly region: string;
  readonly account: string;
  readonly globalClusterIdentifier: string;
  /** Member cluster ARN per region. */
  readonly clusterArns: { [region: string]: string };
  readonly topic: sns.ITopic;
  /** The topic's KMS key. */
  readonly topicKey: kms.IKey;
  readonly maxReplicationLagMs: number;
  readonly stateMachineName: string;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The failover orchestrator of one region: a Step Functions state machine and its Lambda.
 *
 * Flow: ReadRequest → CheckPreconditions → ChooseOperation → StartSwitchover | StartFailover → InitPoll →
 * WaitForGlobalCluster ⇄ CheckGlobalClusterStatus / IsOperationComplete → NotifySuccess.
 * Done means the target is the writer and its cluster is available (not that the global cluster settled: after a
 * failover Aurora rebuilds the other secondaries for minutes to hours).
 * Fail states: `Refused` (a pre-check refused, nothing changed), `Failed` (an AWS call failed after the
 * checks), `GlobalClusterStuck` (the target was not the available writer after `maxPollAttempts` polls). Each is
 * preceded by an SNS notification. No DNS step: clients use the global writer endpoint, which Aurora moves.
 *
 * @internal
 */
export class FailoverOrchestrator extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly handler: OrchestratorFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.role = this.createRole(props);
    logGroup.grantWrite(this.role);
    this.handler = new OrchestratorFunction(this, 'Handler', {
      role: this.role,
      logGroup,
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        ORCHESTRATOR_CONFIG: Stack.of(this).toJsonString({
          globalClusterIdentifier: props.globalClusterIdentifier,
          region: props.region,
          clusterArns: props.clusterArns,
          topicArn: props.topic.topicArn,
          maxReplicationLagMs: props.maxReplicationLagMs,
        }),
      },
    });
    const smLogs = new logs.LogGroup(this, 'StateMachineLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      timeout: props.pollInterval.plus(Duration.minutes(10)).plus(Duration.seconds(props.pollInterval.toSeconds() * props.maxPollAttempts)),
      tracingEnabled: true,
      logs: { destination: smLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: `Switchover / failover of Aurora global database ${props.globalClusterIdentifier} to a region (default ${props.region})`,
    });
    this.suppressFindings();
  }

  /** The Lambda's role: rds actions on this global database and its members only, its own executions, its topic. */
  private createRole(props: OrchestratorProps): iam.Role {
    const partition = partitionOf(props.region);
    const stateMachineArn = `arn:${partition}:states:${props.region}:${props.account}:stateMachine:${props.stateMachineName}`;
    const globalClusterArn = `arn:${partition}:rds::${props.account}:global-cluster:${props.globalClusterIdentifier}`;
    const memberArns = Object.values(props.clusterArns);
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Aurora global failover orchestrator of ${props.globalClusterIdentifier} in ${props.region}`,
    });
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'GlobalClusterOperations',
      actions: ['rds:DescribeGlobalClusters', 'rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
      resources: [globalClusterArn, ...memberArns],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'MemberClusters',
      actions: ['rds:DescribeDBClusters'],
      resources: memberArns,
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'OwnExecutions',
      actions: ['states:ListExecutions'],
      resources: [stateMachineArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReplicationLagMetric',
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'Notify',
      actions: ['sns:Publish'],
      resources: [props.topic.topicArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'EncryptedTopic',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.topicKey.keyArn],
    }));

    return role;
  }

  /** The state machine definition (see the class comment for the flow). */
  private definition(props: OrchestratorProps): sfn.IChainable {
    const execution = {
      executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
      stateMachineArn: sfn.JsonPath.stringAt('$$.StateMachine.Id'),
      startTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
    };
    const invoke = (stateId: string, payload: { [key: string]: unknown }, resultPath: string | undefined) => {
      const task = new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: this.handler,
        payload: sfn.TaskInput.fromObject({ ...payload, execution }),
        payloadResponseOnly: true,
        resultPath: resultPath ?? sfn.JsonPath.DISCARD,
        retryOnServiceExceptions: true,
      });
      task.addRetry({
        errors: THROTTLING_ERRORS,
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: 5,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };
    const notify = (stateId: string, outcome: string, next: sfn.IChainable) => {
      const task = invoke(stateId, { action: 'notify', outcome, state: sfn.JsonPath.objectAt('$') }, '$.notification');
      // A failed notification must not hide the outcome: go on to the final state.
      task.addCatch(next, { resultPath: '$.notificationError' });
      return task.next(next);
    };

    const refused = new sfn.Fail(this, 'Refused', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const failed = new sfn.Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const stuck = new sfn.Fail(this, 'GlobalClusterStuck', {
      error: 'GlobalClusterStuck',
      cause: `the target was not the writer with its cluster available after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
    });
    const succeeded = new sfn.Succeed(this, 'Succeeded');

    const notifyRefused = notify('NotifyRefused', 'refused', refused);
    const notifyFailed = notify('NotifyFailure', 'failed', failed);
    const notifyStuck = notify('NotifyStuck', 'stuck', stuck);
    const notifySuccess = notify('NotifySuccess', 'succeeded', succeeded);

    const readRequest = new sfn.Pass(this, 'ReadRequest', { parameters: { 'request.$': '$' } });
    const precheck = invoke('CheckPreconditions', { action: 'precheck', request: sfn.JsonPath.objectAt('$.request') }, '$.plan');
    precheck.addCatch(notifyRefused, { errors: REFUSAL_ERRORS, resultPath: '$.error' });
    precheck.addCatch(notifyRefused, { errors: ['States.ALL'], resultPath: '$.error' });

    const startPayload = { action: 'start', plan: sfn.JsonPath.objectAt('$.plan') };
    const startSwitchover = invoke('StartSwitchover', startPayload, '$.operation');
    const startFailover = invoke('StartFailover', startPayload, '$.operation');
    const initPoll = new sfn.Pass(this, 'InitPoll', { result: sfn.Result.fromObject({ attempt: 0, done: false }), resultPath: '$.poll' });
    const wait = new sfn.Wait(this, 'WaitForGlobalCluster', { time: sfn.WaitTime.duration(props.pollInterval) });
    const poll = invoke('CheckGlobalClusterStatus', {
      action: 'status', plan: sfn.JsonPath.objectAt('$.plan'), poll: sfn.JsonPath.objectAt('$.poll'),
    }, '$.poll');
    for (const task of [startSwitchover, startFailover, poll]) {
      task.addCatch(notifyFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    }

    const complete = new sfn.Choice(this, 'IsOperationComplete')
      .when(sfn.Condition.booleanEquals('$.poll.done', true), notifySuccess)
      .when(sfn.Condition.numberGreaterThanEquals('$.poll.attempt', props.maxPollAttempts), notifyStuck)
      .otherwise(wait);
    const waitLoop = wait.next(poll).next(complete);
    initPoll.next(waitLoop);
    startSwitchover.next(initPoll);
    startFailover.next(initPoll);

    const choose = new sfn.Choice(this, 'ChooseOperation')
      .when(sfn.Condition.stringEquals('$.plan.mode', 'failover'), startFailover)
      .otherwise(startSwitchover);
    return readRequest.next(precheck).next(choose);

  }

  /** One resource and one rule per suppression; IAM5 names the exact findings it accepts. */
  private suppressFindings(): void {
    NagSuppressions.addResourceSuppressions(this.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Only cloudwatch:GetMetricData (the switchover lag gate) is on "*": it has no resource-level permissions. Every rds, states, sns and kms action of this policy is scoped to this global database, its member clusters, this state machine, the alarm topic and its key',
      appliesTo: ['Resource::*'],
    }]);
    const handlerId = Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnResource);
    NagSuppressions.addResourceSuppressions(this.stateMachine.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Step Functions needs the X-Ray and CloudWatch Logs delivery actions on "*" (they have no resource-level permissions), and lambda:InvokeFunction on this orchestrator function\'s own versions (<arn>:*), nothing else',
      appliesTo: ['Resource::*', `Resource::<${handlerId}.Arn>:*`],
    }]);
    NagSuppressions.addResourceSuppressions(this.handler, [{
      id: 'AwsSolutions-L1',
      reason: 'The runtime is pinned to Node.js 22 by the library\'s bundler (projen), which targets node22 and takes AWS SDK v3 from the runtime; the function only runs during a switchover or failover',
    }]);
  }
}
