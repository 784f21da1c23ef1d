import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OrchestratorFunction } from './orchestrator-function';
import { validateGlobalClusterIdentifier, validateInteger, validatePositiveDuration } from './support';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { partitionOf } from '../core/partition';
import {
  createHandlerLogs, createOrchestratorRole, createOrchestratorStateMachine, OrchestratorFlow, suppressOrchestratorFindings,
} from '../core/promotion-orchestrator';
import { validateStackRegion } from '../core/regions';

/** Errors the pre-check throws to refuse an operation (nothing has changed yet). */
export const REFUSAL_ERRORS = [
  'InvalidRequest', 'TargetNotMember', 'TargetAlreadyPrimary', 'TargetNotAvailable', 'GlobalClusterNotAvailable',
  'GlobalClusterNotFound', 'ReplicationLagTooHigh', 'ReplicationLagUnknown', 'OperationInProgress',
];

/** Properties of a `FailoverOrchestrator`. */
export interface FailoverOrchestratorProps {
  /**
   * Identifier of the Aurora global database the orchestrator switches over or fails over (letters, digits and single
   * hyphens, a letter first, at most 48 characters).
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
   */
  readonly globalClusterIdentifier: string;
  /**
   * The ARN of every member cluster, by region, including this stack's region (the default target). An execution may
   * promote any of them, and the function's IAM policy names exactly these.
   */
  readonly clusterArns: { [region: string]: string };
  /** The SNS topic the orchestrator notifies of every outcome (succeeded, refused, failed, stuck). */
  readonly topic: sns.ITopic;
  /**
   * The KMS key that encrypts `topic`: the function may then use it to publish (`kms:GenerateDataKey`, `kms:Decrypt`).
   * @default - no KMS permission (a topic without a customer managed key)
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
   */
  readonly topicKey?: kms.IKey;
  /**
   * The largest `AuroraGlobalDBReplicationLag` of the target at which a planned switchover starts (an execution's
   * `maxReplicationLagMs` input overrides it).
   * @default Duration.seconds(1)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
   */
  readonly maxReplicationLag?: Duration;
  /**
   * Name of the state machine. A deterministic name lets principals of any stack be granted `states:StartExecution` by ARN.
   * @default - `<globalClusterIdentifier>-failover`
   */
  readonly stateMachineName?: string;
  /**
   * Time between status polls while the target becomes the writer.
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;
  /**
   * Polls before the state machine gives up with `GlobalClusterStuck`.
   * @default 60
   */
  readonly maxPollAttempts?: number;
  /**
   * Retention of the function's and the state machine's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the two log groups when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The checked props of a `FailoverOrchestrator`, with defaults. */
interface OrchestratorProps {
  readonly region: string;
  readonly account: string;
  readonly globalClusterIdentifier: string;
  readonly clusterArns: { [region: string]: string };
  readonly topic: sns.ITopic;
  readonly topicKey?: kms.IKey;
  readonly maxReplicationLagMs: number;
  readonly stateMachineName: string;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The failover orchestrator of one region: a Step Functions state machine and its Lambda, in the region's stack (which
 * must have a concrete region and account). Every region of a global database gets one, because the primary region may
 * be the one that is down: each can promote itself or another member.
 *
 * Flow: ReadRequest → CheckPreconditions → ChooseOperation → StartSwitchover | StartFailover → InitPoll →
 * WaitForGlobalCluster ⇄ CheckGlobalClusterStatus / IsOperationComplete → NotifySuccess.
 * Done means the target is the writer and its cluster is available (not that the global cluster settled: after a
 * failover Aurora rebuilds the other secondaries for minutes to hours).
 * Fail states: `Refused` (a pre-check refused, nothing changed), `Failed` (an AWS call failed after the
 * checks), `GlobalClusterStuck` (the target was not the available writer after `maxPollAttempts` polls). Each is
 * preceded by an SNS notification. No DNS step: clients use the global writer endpoint, which Aurora moves.
 * Start it with `{"mode":"switchover"|"failover","targetRegion":"..."}` (the target defaults to the stack's region).
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
 */
export class FailoverOrchestrator extends Construct {
  /** The state machine an operator, a runbook or an alarm rule starts. */
  public readonly stateMachine: sfn.StateMachine;
  /** The function behind the state machine's tasks. */
  public readonly handler: lambda.IFunction;
  /** The function's role: the rds actions on this global database and its members, its own executions, the topic. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, options: FailoverOrchestratorProps) {
    super(scope, id);
    const props = checkOrchestratorProps(Stack.of(this), options);
    const logGroup = createHandlerLogs(this, props);
    this.role = this.createRole(props);
    logGroup.grantWrite(this.role);
    const handler = new OrchestratorFunction(this, 'Handler', {
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
    this.handler = handler;
    this.stateMachine = createOrchestratorStateMachine(this, {
      ...props,
      timeout: props.pollInterval.plus(Duration.minutes(10)).plus(Duration.seconds(props.pollInterval.toSeconds() * props.maxPollAttempts)),
      comment: `Switchover / failover of Aurora global database ${props.globalClusterIdentifier} to a region (default ${props.region})`,
    }, () => this.definition(props));
    // One resource and one rule per suppression; IAM5 names the exact findings it accepts.
    NagSuppressions.addResourceSuppressions(this.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Only cloudwatch:GetMetricData (the switchover lag gate) is on "*": it has no resource-level permissions. Every rds, states, sns and kms action of this policy is scoped to this global database, its member clusters, this state machine, the alarm topic and its key',
      appliesTo: ['Resource::*'],
    }]);
    suppressOrchestratorFindings(handler, this.stateMachine, {
      functionLabel: 'orchestrator function',
      whenItRuns: 'the function only runs during a switchover or failover',
    });
  }

  /**
   * The Lambda's role: rds actions on this global database and its members only, its own executions, the
   * replication-lag metric (the switchover gate), its topic.
   */
  private createRole(props: OrchestratorProps): iam.Role {
    const memberArns = Object.values(props.clusterArns);
    return createOrchestratorRole(this, {
      ...props,
      description: `Aurora global failover orchestrator of ${props.globalClusterIdentifier} in ${props.region}`,
      resourceStatements: [
        new iam.PolicyStatement({
          sid: 'GlobalClusterOperations',
          actions: ['rds:DescribeGlobalClusters', 'rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
          resources: [`arn:${partitionOf(props.region)}:rds::${props.account}:global-cluster:${props.globalClusterIdentifier}`, ...memberArns],
        }),
        new iam.PolicyStatement({ sid: 'MemberClusters', actions: ['rds:DescribeDBClusters'], resources: memberArns }),
      ],
      metricStatements: [
        new iam.PolicyStatement({ sid: 'ReplicationLagMetric', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
      ],
    });
  }

  /** The state machine definition (see the class comment for the flow). */
  private definition(props: OrchestratorProps): sfn.IChainable {
    const flow = new OrchestratorFlow(this, this.handler);
    const outcomes = flow.outcomes({
      id: 'GlobalClusterStuck',
      cause: `the target was not the writer with its cluster available after ${props.maxPollAttempts} polls every ${props.pollInterval.toHumanString()}`,
      succeededFirst: true,
    });
    const { readRequest, precheck } = flow.readAndCheck(outcomes, REFUSAL_ERRORS);
    const startPayload = { action: 'start', plan: sfn.JsonPath.objectAt('$.plan') };
    const startSwitchover = flow.invoke('StartSwitchover', startPayload, '$.operation');
    const startFailover = flow.invoke('StartFailover', startPayload, '$.operation');
    const initPoll = flow.pollLoop({
      ...props, // pollInterval, maxPollAttempts
      waitId: 'WaitForGlobalCluster',
      pollId: 'CheckGlobalClusterStatus',
      pollPayload: { action: 'status', plan: sfn.JsonPath.objectAt('$.plan'), poll: sfn.JsonPath.objectAt('$.poll') },
      choiceId: 'IsOperationComplete',
    }, [startSwitchover, startFailover], outcomes);
    startSwitchover.next(initPoll);
    startFailover.next(initPoll);
    const choose = new sfn.Choice(this, 'ChooseOperation')
      .when(sfn.Condition.stringEquals('$.plan.mode', 'failover'), startFailover)
      .otherwise(startSwitchover);
    return readRequest.next(precheck).next(choose);
  }
}

/**
 * Checks the props of a `FailoverOrchestrator` in `stack` and fills in the defaults: the stack's region and account are
 * concrete (the function's policy and the state machine's ARN name them), the identifier is an RDS identifier, the
 * members include the stack's region (the default target), and the durations and counts are in range.
 */
function checkOrchestratorProps(stack: Stack, p: FailoverOrchestratorProps): OrchestratorProps {
  const region = validateStackRegion(stack, 'FailoverOrchestrator');
  if (Token.isUnresolved(stack.account)) {
    throw new MultiRegionFailoverError(`FailoverOrchestrator must be in a stack with a concrete account: set \`env: { account, region }\` on stack ${stack.node.path}, it is account-agnostic`);
  }
  const gid = validateGlobalClusterIdentifier(p.globalClusterIdentifier);
  if (!Object.keys(p.clusterArns).includes(region)) {
    throw new MultiRegionFailoverError(`\`clusterArns\` must hold the member cluster of the stack's region ${region} (the default target), got regions: ${Object.keys(p.clusterArns).join(', ')}`);
  }
  const pollInterval = p.pollInterval ?? Duration.seconds(15);
  validatePositiveDuration(pollInterval, 'pollInterval', 's');
  return {
    region,
    account: stack.account,
    globalClusterIdentifier: gid,
    clusterArns: p.clusterArns,
    topic: p.topic,
    topicKey: p.topicKey,
    maxReplicationLagMs: validatePositiveDuration(p.maxReplicationLag ?? Duration.seconds(1), 'maxReplicationLag', 'ms'),
    stateMachineName: p.stateMachineName ?? `${gid}-failover`,
    pollInterval,
    maxPollAttempts: validateInteger(p.maxPollAttempts ?? 60, 'maxPollAttempts', 1, 1000),
    logRetention: p.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    removalPolicy: p.removalPolicy ?? RemovalPolicy.RETAIN,
  };
}
