import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import { NagSuppressions } from '../core/nag';
import {
  createHandlerLogs, createOrchestratorRole, createOrchestratorStateMachine, OrchestratorFlow, suppressOrchestratorFindings,
} from '../core/promotion-orchestrator';

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
    const logGroup = createHandlerLogs(this, props);
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
    const waits = Duration.seconds(props.pollInterval.toSeconds() * (props.maxPollAttempts + 2 * READY_RETRIES));
    this.stateMachine = createOrchestratorStateMachine(this, {
      ...props,
      timeout: waits.plus(Duration.minutes(15)),
      comment: `Promotes the RDS read replica ${props.instanceIdentifier}: start with {"mode":"planned"|"unplanned"}`,
    }, () => this.definition(props));
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
    const metricStatements = [new iam.PolicyStatement({ sid: 'ReplicaLagMetric', actions: ['cloudwatch:GetMetricData'], resources: ['*'] })];
    if (props.promotionMetric) {
      metricStatements.push(new iam.PolicyStatement({
        sid: 'PromotionMetric',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': props.promotionMetric.namespace } },
      }));
    }
    return createOrchestratorRole(this, {
      ...props,
      description: `RDS read replica promotion of ${props.instanceIdentifier}`,
      resourceStatements: [new iam.PolicyStatement({
        sid: 'OwnInstance',
        actions: ['rds:DescribeDBInstances', 'rds:PromoteReadReplica'],
        resources: [props.instanceArn],
      })],
      metricStatements,
    });
  }

  /** The state machine definition (see the class comment for the flow). */
  private definition(props: PromoterProps): sfn.IChainable {
    const flow = new OrchestratorFlow(this, this.handler);
    // "a read replica cannot be promoted to a standalone instance when it is in the backing-up status": wait and retry.
    const retryNotReady = (task: tasks.LambdaInvoke) => task.addRetry({
      errors: ['ReplicaNotReady'], interval: props.pollInterval, backoffRate: 1, maxAttempts: READY_RETRIES,
    });
    const outcomes = flow.outcomes({
      id: 'PromotionStuck',
      cause: `${props.instanceIdentifier} was not an available standalone instance after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
    });
    const { readRequest, precheck } = flow.readAndCheck(outcomes);
    retryNotReady(precheck);
    const promote = flow.invoke('PromoteReadReplica', { action: 'promote' }, '$.promotion');
    retryNotReady(promote);
    const initPoll = flow.pollLoop({
      waitId: 'WaitForPromotion',
      pollId: 'CheckPromotionStatus',
      pollPayload: { action: 'status', poll: sfn.JsonPath.objectAt('$.poll') },
      choiceId: 'IsPromoted',
      pollInterval: props.pollInterval,
      maxPollAttempts: props.maxPollAttempts,
    }, [promote], outcomes);
    return readRequest.next(precheck).next(promote).next(initPoll);
  }

  /** One resource and one rule per suppression; IAM5 names the exact findings it accepts. */
  private suppressFindings(role: iam.Role): void {
    NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Only cloudwatch:GetMetricData (the planned-promotion lag gate) and cloudwatch:PutMetricData (limited by the cloudwatch:namespace condition to this library\'s promotion metric) are on "*": neither has resource-level permissions. The rds, states, sns and kms actions are scoped to this region\'s instance, this state machine, the alarm topic and its key',
      appliesTo: ['Resource::*'],
    }]);
    suppressOrchestratorFindings(this.handler, this.stateMachine, {
      functionLabel: 'promotion function',
      whenItRuns: 'the function runs during a promotion and, with a writer DNS name, once a minute to publish one metric',
    });
  }
}
