import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { planEstimate } from './estimate';
import { healthCheckParameterName, planHealthCheckId, publishHealthCheckId, readHealthCheckId } from './health-check-ids';
import { apiTarget, auroraStep, dnsTarget, hostedZoneIdOf, rdsPromoteStep, Route53Target, route53Step } from './library-steps';
import {
  AddStepOptions, AuroraStepOptions, CapacityStepOptions, ChildPlanStepOptions, EcsServiceRef, LambdaStepOptions, ManualApprovalStepOptions,
  ParallelStepOptions, RecoveryApproach, RegionSwitchPlanProps, RegionSwitchStep, Route53StepOptions, StepOptions, TriggerAlarmCondition,
  TriggerOptions, WorkflowAction,
} from './props';
import { approvalStep, asgStep, childStep, ecsStep, flatten, lambdaStep, parallelStep, PlanContext } from './steps';
import { arnRegion, rtoMinutes, validatePlanName, validatePlanRegions, validatePrimaryRegion, wholeMinutes } from './validation';
import { AuroraGlobalFailover } from '../aurora-global-failover/aurora-global-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { RecoveryModel } from '../core/recovery';
import { RecoveryEstimate } from '../core/recovery-types';
import { validateStackRegion } from '../core/regions';
import { FailoverDns } from '../failover-dns/failover-dns';
import { MultiRegionApi } from '../multi-region-api/multi-region-api';
import { RdsCrossRegionReplica } from '../rds-cross-region-replica/rds-cross-region-replica';

interface Workflow {
  readonly action: WorkflowAction;
  readonly targetRegion?: string;
  readonly steps: RegionSwitchStep[];
}

interface Trigger {
  readonly options: TriggerOptions;
  readonly alarmNames: string[];
}

/**
 * An ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`) over two Regions, built from this library's constructs: Aurora
 * global database switchover/failover, Route 53 health check flips for `FailoverDns` and `MultiRegionApi` records, RDS read
 * replica promotion, custom Lambda steps, manual approvals, ECS and EC2 Auto Scaling scale-up, parallel groups, child plans,
 * triggers from alarms, and application health alarms that measure the actual recovery time.
 *
 * The plan orchestrates resources that exist; it creates none and replicates no data. Its control plane is in us-east-1
 * (creating and updating the plan), while "Region switch has independent data planes in each AWS Region": you execute a plan
 * in the Region you activate, with no call to the impaired Region
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html).
 *
 * Without `executionRole`, the plan gets a role that trusts `arc-region-switch.amazonaws.com` and holds, for each step added,
 * the statements of AWS's sample policy of its execution block (no wildcard action), scoped to the step's resources.
 * @see https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch.html
 */
export class RegionSwitchPlan extends Construct {
  /**
   * The SSM parameter that holds the id of the plan's Route 53 health check for `recordName` in `region`, in the Region of
   * that record's stack (see `Route53StepOptions.publishHealthCheckIds`).
   */
  public static healthCheckParameterName(planName: string, recordName: string, region: string): string {
    return healthCheckParameterName(planName, recordName, region);
  }

  /** The plan resource. */
  public readonly plan: arcregionswitch.CfnPlan;
  /** The plan's ARN. */
  public readonly planArn: string;
  /** The plan's name. */
  public readonly planName: string;
  /** The plan's two Regions. */
  public readonly regions: string[];
  /** The primary Region. */
  public readonly primaryRegion: string;
  /** Active/passive or active/active. */
  public readonly recoveryApproach: RecoveryApproach;
  /** The role Region switch assumes: `executionRole`, or the one created. */
  public readonly executionRole: iam.IRole;

  private readonly props: RegionSwitchPlanProps;
  private readonly ctx: PlanContext;
  private readonly createdRole?: iam.Role;
  private readonly workflows = new Map<string, Workflow>();
  private readonly triggers: Trigger[] = [];
  private readonly associatedAlarms: { [name: string]: arcregionswitch.CfnPlan.AssociatedAlarmProperty } = {};
  private readonly stepNames = new Set<string>();
  private readonly pendingPublications = new Map<string, () => void>();
  /** The Route 53 steps by record name (no trailing dot), and the steps whose health checks records use. */
  private readonly route53Steps = new Map<string, { stepName: string; published: boolean }>();
  private readonly usedRoute53Steps = new Set<string>();
  private childPlans = 0;

  constructor(scope: Construct, id: string, props: RegionSwitchPlanProps) {
    super(scope, id);
    this.props = props;
    this.planName = validatePlanName(props.planName);
    this.regions = validatePlanRegions(props.regions);
    this.primaryRegion = validatePrimaryRegion(props.primaryRegion, this.regions);
    this.recoveryApproach = props.recoveryApproach ?? RecoveryApproach.ACTIVE_PASSIVE;
    const stack = Stack.of(this);
    validateStackRegion(stack, 'RegionSwitchPlan');
    const rto = rtoMinutes(props.recoveryObjectives?.rto);

    // "This trust policy authorizes the arc-region-switch.amazonaws.com service principal to assume the role"
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_trust_policy.html).
    this.createdRole = props.executionRole ? undefined : new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `Execution role of the Region switch plan ${this.planName}`,
    });
    this.executionRole = props.executionRole ?? this.createdRole!;

    this.plan = new arcregionswitch.CfnPlan(this, 'Resource', {
      name: this.planName,
      regions: this.regions,
      primaryRegion: this.primaryRegion,
      recoveryApproach: this.recoveryApproach,
      executionRole: this.executionRole.roleArn,
      description: props.description,
      recoveryTimeObjectiveMinutes: rto,
      workflows: Lazy.any({ produce: () => this.renderWorkflows() }),
      triggers: Lazy.any({ produce: () => this.renderTriggers() }, { omitEmptyArray: true }),
      associatedAlarms: Lazy.any({ produce: () => (Object.keys(this.associatedAlarms).length ? this.associatedAlarms : undefined) }),
    });
    this.planArn = this.plan.attrArn;
    const planArn = this.planArn;
    this.ctx = { planName: this.planName, regions: this.regions, primaryRegion: this.primaryRegion, approach: this.recoveryApproach, stack, planArn };
    this.addBasePermissions();
    this.node.addValidation({ validate: () => this.validatePlan() });
  }

  /**
   * The recovery estimate of the workflow that runs when the primary Region fails: activating the other Region
   * (active/passive) or deactivating the primary (active/active). `rto` is the budget; it is unbounded when a person must
   * act (no trigger, a manual approval without `expectedWait`, a switchover-only Aurora step).
   */
  public get recoveryEstimate(): RecoveryEstimate {
    const { action, target, steps } = this.failoverWorkflow();
    const trigger = this.triggers.find((t) => (t.options.action ?? WorkflowAction.ACTIVATE) === action && t.options.targetRegion === target);
    return planEstimate({
      planName: this.planName,
      action,
      targetRegion: target,
      steps,
      triggerAlarms: trigger?.options.alarms,
      triggerStartDelay: this.props.triggerStartDelay,
    });
  }

  /** A step that switches (or fails) `aurora`'s global database over to the activated Region. */
  public auroraStep(aurora: AuroraGlobalFailover, options: AuroraStepOptions = {}): RegionSwitchStep {
    return auroraStep(this.ctx, aurora, options, this.props.recoveryAssumptions);
  }

  /**
   * A step that flips the plan's Route 53 health checks of `dns`'s record. The plan publishes each health check's id for
   * the records' stack (`RegionSwitchPlan.healthCheckParameterName`).
   */
  public failoverDnsStep(dns: FailoverDns, options: Route53StepOptions = {}): RegionSwitchStep {
    return this.route53(dnsTarget(this.ctx, dns), options);
  }

  /** A step that flips the plan's Route 53 health checks of `api`'s record. */
  public multiRegionApiStep(api: MultiRegionApi, options: Route53StepOptions = {}): RegionSwitchStep {
    return this.route53(apiTarget(this.ctx, api), options);
  }

  /** A step that promotes `replica`'s read replica in the activated Region (active/passive plans). */
  public rdsPromoteStep(replica: RdsCrossRegionReplica, options: StepOptions = {}): RegionSwitchStep {
    return rdsPromoteStep(this.ctx, replica, options);
  }

  /** A step that invokes a Lambda function: one function for each of the plan's Regions, keyed by Region. */
  public lambdaStep(stepName: string, functions: { [region: string]: lambda.IFunction }, options: LambdaStepOptions = {}): RegionSwitchStep {
    return lambdaStep(this.ctx, stepName, functions, options);
  }

  /** A step that waits for someone who can assume `approvalRole`; grants that role `ApprovePlanExecutionStep` on this plan. */
  public manualApprovalStep(stepName: string, approvalRole: iam.IRole, options: ManualApprovalStepOptions = {}): RegionSwitchStep {
    return approvalStep(this.ctx, stepName, approvalRole, options);
  }

  /** A step that scales an ECS service up in the activated Region: the service of each plan Region, keyed by Region. */
  public ecsServiceStep(stepName: string, services: { [region: string]: EcsServiceRef }, options: CapacityStepOptions = {}): RegionSwitchStep {
    return ecsStep(this.ctx, stepName, services, options);
  }

  /** A step that scales an EC2 Auto Scaling group up in the activated Region: the group ARN of each plan Region, keyed by Region. */
  public autoScalingGroupStep(stepName: string, autoScalingGroupArns: { [region: string]: string },
    options: CapacityStepOptions = {}): RegionSwitchStep {
    return asgStep(this.ctx, stepName, autoScalingGroupArns, options);
  }

  /** A step that executes `child` (same Regions and approach; plans nest one level). */
  public childPlanStep(child: RegionSwitchPlan, options: ChildPlanStepOptions = {}): RegionSwitchStep {
    const steps = child.failoverWorkflow().steps;
    const manual = steps.flatMap((s) => (s.manualReason ? [s.manualReason] : []));
    return childStep(this.ctx, {
      planName: child.planName,
      planArn: child.planArn,
      regions: child.regions,
      approach: child.recoveryApproach,
      terms: steps.flatMap((s) => s.recoveryTerms),
      manualReason: manual.length ? manual.join('; ') : undefined,
    }, child.childPlans > 0, options.name, options.description);
  }

  /** Steps that run in parallel, as one step. */
  public parallelSteps(stepName: string, steps: RegionSwitchStep[], options: ParallelStepOptions = {}): RegionSwitchStep {
    return parallelStep(stepName, steps, options);
  }

  /**
   * Adds `step` at the end of a workflow (by default the activation workflow for either Region), and its permissions to the
   * created execution role.
   */
  public addStep(step: RegionSwitchStep, options: AddStepOptions = {}): void {
    const action = options.action ?? WorkflowAction.ACTIVATE;
    if (options.targetRegion !== undefined && !this.regions.includes(options.targetRegion)) {
      throw new MultiRegionFailoverError(`\`targetRegion\` must be one of the plan's Regions (${this.regions.join(', ')}), got: ${options.targetRegion}`);
    }
    const names = flatten([step.configuration]).map((s) => s.name);
    const repeated = names.find((n, i) => this.stepNames.has(n) || names.indexOf(n) !== i);
    if (repeated) {
      throw new MultiRegionFailoverError(`\`step.name\` must be unique in the plan ${this.planName}, got ${repeated} twice`);
    }
    names.forEach((n) => this.stepNames.add(n));
    const key = `${action}:${options.targetRegion ?? '*'}`;
    const workflow = this.workflows.get(key) ?? { action, targetRegion: options.targetRegion, steps: [] };
    workflow.steps.push(step);
    this.workflows.set(key, workflow);
    if (flatten([step.configuration]).some((s) => s.executionBlockType === 'ARCRegionSwitchPlan')) {
      this.childPlans++;
    }
    step.permissions.forEach((s) => this.createdRole?.addToPrincipalPolicy(s));
    for (const n of names) {
      this.pendingPublications.get(n)?.();
      this.pendingPublications.delete(n);
    }
  }

  /**
   * Starts the plan automatically when all `alarms` meet `condition` (opt-in). Associates the alarms with the plan as trigger
   * alarms and lets the created execution role read them.
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html
   */
  public addTrigger(options: TriggerOptions): void {
    const alarms = options.alarms ?? [];
    if (alarms.length < 1 || alarms.length > 10) {
      throw new MultiRegionFailoverError(`\`alarms\` must hold 1 to 10 alarms (a trigger has 1 to 10 conditions), got: ${alarms.length}`);
    }
    if (!this.regions.includes(options.targetRegion)) {
      throw new MultiRegionFailoverError(`\`targetRegion\` must be one of the plan's Regions (${this.regions.join(', ')}), got: ${options.targetRegion}`);
    }
    wholeMinutes(options.minDelayBetweenExecutions, 'minDelayBetweenExecutions');
    const action = options.action ?? WorkflowAction.ACTIVATE;
    const failing = action === WorkflowAction.ACTIVATE ? this.regions.find((r) => r !== options.targetRegion) : options.targetRegion;
    for (const alarm of alarms) {
      const region = Token.isUnresolved(alarm.env.region) ? arnRegion(alarm.alarmArn) : alarm.env.region;
      if (region === failing) {
        Annotations.of(this).addWarningV2('cdk-multi-region-failover:trigger-alarm-in-failing-region',
          `trigger alarm ${alarm.node.path} is in ${region}, the Region this trigger moves away from: when that Region fails, its alarm may never change state`);
      }
    }
    const alarmNames = alarms.map((a) => this.associate(a, 'trigger'));
    this.triggers.push({ options, alarmNames });
  }

  /**
   * Associates an application health alarm: Region switch uses it to measure the actual recovery time of each execution.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch-plans.html
   */
  public addApplicationHealthAlarm(alarm: cloudwatch.IAlarm): void {
    this.associate(alarm, 'applicationHealth');
  }

  /**
   * The id of the plan's health check for `recordName` in `region`: a CloudFormation expression of the plan's stack
   * (other stacks read the SSM parameter `healthCheckParameterName` instead).
   */
  public healthCheckId(recordName: string, region: string): string {
    return planHealthCheckId(this.plan, recordName, region);
  }

  /**
   * The id of the plan's health check for `recordName` in `region`, as a value of `scope`'s stack: in the plan's own stack
   * the attribute itself; elsewhere the SSM parameter the plan publishes in that stack's Region, read when the stack
   * deploys, and that stack depends on the plan's (deploy order only: no export, no cross-Region reference). Used by
   * `FailoverDns.useRegionSwitchPlan` and `MultiRegionApi.useRegionSwitchPlan`.
   * @internal
   */
  public _healthCheckIdIn(scope: Construct, recordName: string, region: string, what: string): string {
    const name = recordName.replace(/\.$/, '');
    const step = this.route53Steps.get(name);
    if (!step) {
      throw new MultiRegionFailoverError(`\`plan\` (RegionSwitchPlan ${this.node.path}) must have a Route 53 step for ${name} of ${what} `
        + `(\`plan.addStep(plan.failoverDnsStep(...))\` or \`plan.multiRegionApiStep(...)\`), got steps for: ${[...this.route53Steps.keys()].join(', ') || 'none'}`);
    }
    this.usedRoute53Steps.add(step.stepName);
    return readHealthCheckId(scope, this, { planName: this.planName, recordName: name, region, stepName: step.stepName, published: step.published });
  }

  /** The workflow that runs when the primary Region fails: activate the other Region, or deactivate the primary (active/active). */
  private failoverWorkflow(): { action: WorkflowAction; target: string; steps: RegionSwitchStep[] } {
    const other = this.regions.find((r) => r !== this.primaryRegion)!;
    const [action, target] = this.recoveryApproach === RecoveryApproach.ACTIVE_PASSIVE
      ? [WorkflowAction.ACTIVATE, other] : [WorkflowAction.DEACTIVATE, this.primaryRegion];
    const workflow = this.workflows.get(`${action}:${target}`) ?? this.workflows.get(`${action}:*`);
    return { action, target, steps: workflow?.steps ?? [] };
  }

  private route53(target: Route53Target, options: Route53StepOptions): RegionSwitchStep {
    const zoneId = hostedZoneIdOf(this.ctx, target);
    const step = route53Step(this.ctx, target, zoneId, options, this.props.recoveryAssumptions);
    this.route53Steps.set(target.recordName.replace(/\.$/, ''), { stepName: step.name, published: options.publishHealthCheckIds ?? true });
    if (options.publishHealthCheckIds ?? true) {
      this.pendingPublications.set(step.name, () => {
        for (const region of this.regions) {
          publishHealthCheckId(this, `HealthCheckId-${step.name}-${region}`, healthCheckParameterName(this.planName, target.recordName, region),
            planHealthCheckId(this.plan, target.recordName, region), Stack.of(target.records[region]).region,
            `Id of the Route 53 health check of Region switch plan ${this.planName} for ${target.recordName} in ${region}`);
        }
      });
    }
    return step;
  }

  private associate(alarm: cloudwatch.IAlarm, alarmType: 'trigger' | 'applicationHealth'): string {
    const base = Token.isUnresolved(alarm.alarmName) ? alarm.node.id : alarm.alarmName;
    let name = base;
    for (let i = 2; this.associatedAlarms[name] && this.associatedAlarms[name].resourceIdentifier !== alarm.alarmArn; i++) {
      name = `${base}-${i}`;
    }
    this.associatedAlarms[name] = { alarmType, resourceIdentifier: alarm.alarmArn };
    // Application health and trigger alarms: DescribeAlarms, DescribeAlarmHistory on the alarms
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_cloudwatch.html).
    this.createdRole?.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      resources: [alarm.alarmArn],
    }));
    return name;
  }

  private addBasePermissions(): void {
    const role = this.createdRole;
    if (!role) {
      return;
    }
    // AWS's "starting place for a plan execution role policy"
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_complete_policy.html): plan evaluation
    // simulates the role's own policy; the plan reads itself and its executions (here scoped to this plan, not "*").
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:SimulatePrincipalPolicy'], resources: [role.roleArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['arc-region-switch:GetPlan', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutions'],
      resources: [this.planArn],
    }));
    NagSuppressions.addResourceSuppressions(role, [{
      id: 'AwsSolutions-IAM5',
      reason: 'AWS\'s sample policies of the Region switch execution blocks grant their Describe/List/GetMetricStatistics actions on "*" '
        + '(e.g. rds:DescribeGlobalClusters, autoscaling:DescribeAutoScalingGroups); every action that changes a resource is scoped to the step\'s resources',
      appliesTo: ['Resource::*'],
    }], true);
  }

  private renderWorkflows(): arcregionswitch.CfnPlan.WorkflowProperty[] {
    return [...this.workflows.values()].map((w) => ({
      workflowTargetAction: w.action,
      workflowTargetRegion: w.targetRegion,
      steps: w.steps.map((s) => s.configuration),
    }));
  }

  private renderTriggers(): arcregionswitch.CfnPlan.TriggerProperty[] {
    return this.triggers.map(({ options, alarmNames }) => ({
      action: options.action ?? WorkflowAction.ACTIVATE,
      targetRegion: options.targetRegion,
      minDelayMinutesBetweenExecutions: options.minDelayBetweenExecutions.toMinutes(),
      description: options.description,
      conditions: alarmNames.map((associatedAlarmName) => ({ associatedAlarmName, condition: options.condition ?? TriggerAlarmCondition.RED })),
    }));
  }

  private validatePlan(): string[] {
    const unused = [...this.usedRoute53Steps].filter((n) => !this.stepNames.has(n));
    if (unused.length) {
      return [`RegionSwitchPlan ${this.planName}: records use the health checks of the Route 53 step ${unused.join(', ')}, but the step is in no workflow: `
        + 'add it with `addStep` (the plan creates a step\'s health checks only when it holds the step)'];
    }
    const workflows = [...this.workflows.values()];
    if (workflows.length === 0) {
      return [`RegionSwitchPlan ${this.planName}: the plan needs at least one step (Region switch cannot execute an empty workflow): add one with \`addStep\`, got none`];
    }
    if (this.recoveryApproach === RecoveryApproach.ACTIVE_ACTIVE && !workflows.some((w) => w.action === WorkflowAction.DEACTIVATE)) {
      return [`RegionSwitchPlan ${this.planName}: an active/active plan needs a deactivation workflow (\`addStep(step, { action: WorkflowAction.DEACTIVATE })\`), got none`];
    }
    try {
      RecoveryModel.enforce('RegionSwitchPlan', this.recoveryEstimate, this.props.recoveryObjectives,
        ['`addTrigger` (start the plan from alarms)', 'the steps\' `expectedDuration`', '`parallelSteps` for steps that do not depend on each other']);
    } catch (e) {
      if (e instanceof MultiRegionFailoverError) {
        return [e.message];
      }
      throw e;
    }
    return [];
  }
}
