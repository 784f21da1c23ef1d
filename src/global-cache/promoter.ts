import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PROMOTE_REFUSALS } from './promote-core';
import { PromoteFunction } from './promote-function';
import { partitionOf } from '../core/partition';
import {
  createHandlerLogs, createOrchestratorRole, createOrchestratorStateMachine, OrchestratorFlow, suppressOrchestratorFindings,
} from '../core/promotion-orchestrator';

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
    const logGroup = createHandlerLogs(this, props);
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
    this.stateMachine = createOrchestratorStateMachine(this, {
      ...props,
      stateMachineName: name,
      timeout: Duration.minutes(10).plus(Duration.seconds(props.pollInterval.toSeconds() * (props.maxPollAttempts + 1))),
      comment: `Promotes a region of the ElastiCache global datastore ${props.cacheName} to primary (default ${props.region})`,
    }, () => this.definition(props));
    // One resource and one rule per suppression; IAM5 names the exact findings it accepts.
    suppressOrchestratorFindings(this.handler, this.stateMachine, {
      functionLabel: 'promotion function',
      whenItRuns: 'the function only runs during a promotion',
    });
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
    return createOrchestratorRole(this, {
      ...props,
      description: `Promotion of the ElastiCache global datastore ${props.cacheName} from ${props.region}`,
      stateMachineName: name,
      resourceStatements: [
        new iam.PolicyStatement({
          sid: 'GlobalDatastore',
          actions: ['elasticache:DescribeGlobalReplicationGroups', 'elasticache:FailoverGlobalReplicationGroup'],
          resources: [`arn:${partitionOf(props.region)}:elasticache::${props.account}:globalreplicationgroup:${props.globalReplicationGroupId}`],
        }),
        new iam.PolicyStatement({
          sid: 'Members',
          actions: ['elasticache:DescribeReplicationGroups'],
          resources: Object.values(props.replicationGroupArns),
        }),
      ],
    });
  }

  /** The state machine definition (see the class comment for the flow). */
  private definition(props: PromoterProps): sfn.IChainable {
    const flow = new OrchestratorFlow(this, this.handler);
    const outcomes = flow.outcomes({
      id: 'PromotionStuck',
      cause: `the target was not the available primary after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
    });
    const { readRequest, precheck } = flow.readAndCheck(outcomes, PROMOTE_REFUSALS);
    const promote = flow.invoke('Promote', { action: 'promote', plan: sfn.JsonPath.objectAt('$.plan') }, '$.promotion');
    const initPoll = flow.pollLoop({
      waitId: 'WaitForPromotion',
      pollId: 'CheckStatus',
      pollPayload: { action: 'status', plan: sfn.JsonPath.objectAt('$.plan'), poll: sfn.JsonPath.objectAt('$.poll') },
      choiceId: 'IsPromotionComplete',
      pollInterval: props.pollInterval,
      maxPollAttempts: props.maxPollAttempts,
    }, [promote], outcomes);
    return readRequest.next(precheck).next(promote).next(initPoll);
  }
}
