import { Duration } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RecoveryAssumptions, RecoveryObjectives, RecoveryPointInput, RecoveryTerm } from '../core/recovery-types';

/**
 * How the application runs in the plan's two Regions.
 * @see https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-create-plan.html
 */
export enum RecoveryApproach {
  /** Traffic goes to the active Region only; executing the plan activates the standby Region (`activePassive`). */
  ACTIVE_PASSIVE = 'activePassive',
  /** Both Regions serve traffic; executing the plan deactivates one of them (`activeActive`). */
  ACTIVE_ACTIVE = 'activeActive',
}

/**
 * What a workflow does to its target Region (`WorkflowTargetAction`).
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Workflow.html
 */
export enum WorkflowAction {
  /** Shift traffic to the target Region. */
  ACTIVATE = 'activate',
  /** Shift traffic away from the target Region (active/active plans). */
  DEACTIVATE = 'deactivate',
}

/**
 * What the Aurora global database execution block calls in a graceful execution.
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html
 */
export enum AuroraGlobalBehavior {
  /** `switchoverOnly`: `SwitchoverGlobalCluster`, no data loss; it needs every Region healthy. */
  SWITCHOVER_ONLY = 'switchoverOnly',
  /** `failover`: `FailoverGlobalCluster` with `AllowDataLoss`, even in a graceful execution. */
  FAILOVER = 'failover',
}

/**
 * Where a custom action Lambda step runs (`regionToRun`).
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_CustomActionLambdaConfiguration.html
 */
export enum LambdaRegionToRun {
  /** The function of the Region being activated. */
  ACTIVATING_REGION = 'activatingRegion',
  /** The function of the Region being deactivated (it may be the impaired one). */
  DEACTIVATING_REGION = 'deactivatingRegion',
}

/**
 * The state of a trigger's alarms that starts the plan (`TriggerCondition.condition`).
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_TriggerCondition.html
 */
export enum TriggerAlarmCondition {
  /** The alarm is in ALARM (`red`). */
  RED = 'red',
  /** The alarm is OK (`green`). */
  GREEN = 'green',
}

/** Properties of a `RegionSwitchPlan`. */
export interface RegionSwitchPlanProps {
  /**
   * The plan's name: 1 to 32 letters, digits and hyphens, starting and ending with a letter or digit.
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html
   */
  readonly planName: string;
  /**
   * The plan's Regions: exactly two (Region switch's limit). For more Regions, create one plan per Region pair.
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html
   */
  readonly regions: string[];
  /**
   * The primary Region: the one the application runs in before any execution (active/passive).
   * @default - the first of `regions`
   */
  readonly primaryRegion?: string;
  /**
   * Active/passive or active/active.
   * @default RecoveryApproach.ACTIVE_PASSIVE
   */
  readonly recoveryApproach?: RecoveryApproach;
  /**
   * Recovery objectives. `rto` becomes the plan's `RecoveryTimeObjectiveMinutes` (whole minutes, rounded up, 1 to 10080),
   * and synthesis fails when `recoveryEstimate` cannot meet it (an RTO unbounded because a person must act, or a budget
   * above it). `rpo` is checked against the recovery point of the Aurora or RDS step.
   * @default - no objective, no `RecoveryTimeObjectiveMinutes`
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * The execution role Region switch assumes (trusting `arc-region-switch.amazonaws.com`). You then grant it what each
   * step needs yourself: this construct adds nothing to a role you give.
   * @default - a role that trusts `arc-region-switch.amazonaws.com`, with the permissions of AWS's sample policy of each
   * execution block added, scoped to the steps' resources
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_trust_policy.html
   */
  readonly executionRole?: iam.IRole;
  /**
   * The plan's description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Overrides of the figures AWS does not publish (Aurora promotion, checker-to-DNS propagation) used by `recoveryEstimate`.
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
  /**
   * Time from a trigger's alarms meeting their condition until Region switch starts the execution. AWS publishes no figure.
   * @default Duration.minutes(1)
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch-plans.html
   */
  readonly triggerStartDelay?: Duration;
}

/**
 * A step for a Region switch plan workflow, built by one of `RegionSwitchPlan`'s step methods; add it with `addStep`, or
 * group steps with `parallelSteps`.
 */
export interface RegionSwitchStep {
  /** The step's name (unique within the plan). */
  readonly name: string;
  /** The step in `AWS::ARCRegionSwitch::Plan` form. */
  readonly configuration: arcregionswitch.CfnPlan.StepProperty;
  /** What the plan's execution role needs for it (AWS's sample policy of the execution block, scoped). */
  readonly permissions: iam.PolicyStatement[];
  /** Its terms in the plan's `recoveryEstimate`, run one after the other. */
  readonly recoveryTerms: RecoveryTerm[];
  /**
   * Why the step waits for a person, when it does (a manual approval without `expectedWait`).
   * @default - it runs by itself
   */
  readonly manualReason?: string;
  /**
   * The data a failover through this step may lose.
   * @default - none (the step moves no data)
   */
  readonly recoveryPoint?: RecoveryPointInput;
}

/** Options common to every step. */
export interface BlockOptions {
  /**
   * The step's description.
   * @default - a description of what the step does
   */
  readonly description?: string;
  /**
   * How long Region switch waits for the block before it fails the step (whole minutes, at least 1).
   * @default Duration.minutes(60) (Region switch's default)
   */
  readonly timeout?: Duration;
}

/** Options of a step built from one of this library's constructs. */
export interface StepOptions extends BlockOptions {
  /**
   * The step's name: unique within the plan.
   * @default - derived from the resource (e.g. `aurora-<globalClusterIdentifier>`)
   */
  readonly name?: string;
}

/** Options of `RegionSwitchPlan.auroraStep`. */
export interface AuroraStepOptions extends StepOptions {
  /**
   * What a graceful execution calls.
   * @default AuroraGlobalBehavior.SWITCHOVER_ONLY
   */
  readonly behavior?: AuroraGlobalBehavior;
  /**
   * Whether an ungraceful execution calls `FailoverGlobalCluster` (`ungraceful: failover`): the only way out of a failed
   * primary Region when `behavior` is `SWITCHOVER_ONLY`.
   * @default true
   */
  readonly ungracefulFailover?: boolean;
}

/** Options of the Route 53 health check steps (`failoverDnsStep`, `multiRegionApiStep`). */
export interface Route53StepOptions extends StepOptions {
  /**
   * Write the id of the health check the plan creates for each Region's record into an SSM String parameter of the Region
   * that holds that record (`RegionSwitchPlan.healthCheckParameterName`), so the record's stack can combine it with the
   * endpoint's own check at deploy time without a reference to the plan's stack.
   * @default true
   */
  readonly publishHealthCheckIds?: boolean;
}

/** Options of `RegionSwitchPlan.lambdaStep`. */
export interface LambdaStepOptions extends BlockOptions {
  /**
   * Which Region's function runs.
   * @default LambdaRegionToRun.ACTIVATING_REGION
   */
  readonly regionToRun?: LambdaRegionToRun;
  /**
   * Interval between retries of a function that does not succeed.
   * @default Duration.minutes(1)
   */
  readonly retryInterval?: Duration;
  /**
   * Skip the step in an ungraceful execution (`ungraceful.behavior: skip`).
   * @default false
   */
  readonly skipWhenUngraceful?: boolean;
  /**
   * How long the function usually takes, for `recoveryEstimate` (an assumption: measure it in a drill).
   * @default Duration.minutes(1)
   */
  readonly expectedDuration?: Duration;
}

/** Options of `RegionSwitchPlan.manualApprovalStep`. */
export interface ManualApprovalStepOptions extends BlockOptions {
  /**
   * How long an approver usually takes. Without it the plan never recovers by itself: `recoveryEstimate` is unbounded and
   * any `recoveryObjectives.rto` fails synthesis.
   * @default - unbounded: a person must act
   */
  readonly expectedWait?: Duration;
}

/** Options of the capacity steps (`ecsServiceStep`, `autoScalingGroupStep`). */
export interface CapacityStepOptions extends BlockOptions {
  /**
   * Capacity to reach in the activated Region, in percent of the other Region's.
   * @default 100
   */
  readonly targetPercent?: number;
  /**
   * In an ungraceful execution, the percentage of `targetPercent` that is enough to go on.
   * @default - Region switch's default behaviour
   */
  readonly ungracefulMinimumSuccessPercentage?: number;
  /**
   * How long the scale-up usually takes, for `recoveryEstimate` (an assumption: measure it in a drill).
   * @default Duration.minutes(5)
   */
  readonly expectedDuration?: Duration;
}

/** An ECS service of one Region. */
export interface EcsServiceRef {
  /** The cluster's ARN. */
  readonly clusterArn: string;
  /** The service's ARN. */
  readonly serviceArn: string;
}

/** Options of `RegionSwitchPlan.childPlanStep`. */
export interface ChildPlanStepOptions {
  /**
   * The step's name.
   * @default - `plan-<child plan name>`
   */
  readonly name?: string;
  /**
   * The step's description.
   * @default - "Execute the child plan <name>"
   */
  readonly description?: string;
}

/** Options of `RegionSwitchPlan.parallelSteps`. */
export interface ParallelStepOptions {
  /**
   * The step's description.
   * @default - none
   */
  readonly description?: string;
}

/** Where `RegionSwitchPlan.addStep` puts a step. */
export interface AddStepOptions {
  /**
   * The workflow's action.
   * @default WorkflowAction.ACTIVATE
   */
  readonly action?: WorkflowAction;
  /**
   * The workflow's target Region. Active/passive plans may have one activation workflow for both Regions.
   * @default - no target Region: the workflow serves either Region
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/components-rs.html
   */
  readonly targetRegion?: string;
}

/** Options of `RegionSwitchPlan.addTrigger`. */
export interface TriggerOptions {
  /** The alarms whose state starts the plan (1 to 10): all must meet `condition`. */
  readonly alarms: cloudwatch.IAlarm[];
  /** The Region the execution targets (the one to activate, or to deactivate). */
  readonly targetRegion: string;
  /**
   * Least time between two automatic executions (whole minutes, at least 1).
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html
   */
  readonly minDelayBetweenExecutions: Duration;
  /**
   * The execution's action.
   * @default WorkflowAction.ACTIVATE
   */
  readonly action?: WorkflowAction;
  /**
   * The alarm state that fires the trigger.
   * @default TriggerAlarmCondition.RED
   */
  readonly condition?: TriggerAlarmCondition;
  /**
   * The trigger's description.
   * @default - none
   */
  readonly description?: string;
}
