import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  CapacityStepOptions, EcsServiceRef, LambdaRegionToRun, LambdaStepOptions, ManualApprovalStepOptions,
  ParallelStepOptions, RecoveryApproach, RegionSwitchStep,
} from './props';
import { validatePercent, validateRegionalArns, wholeMinutes } from './validation';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryBasis, RecoveryTerm } from '../core/recovery-types';

/*
 * Execution blocks that are not tied to a construct of this library. Each returns the step and the statements of AWS's
 * sample policy for the block (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_execution_blocks.html),
 * with no wildcard action and resources scoped to the step's resources; actions AWS's samples grant on "*" stay on "*".
 */

const LAMBDA_POLICY = 'https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_lambda.html';
const ECS_POLICY = 'https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ecs.html';
const ASG_POLICY = 'https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ec2_autoscaling.html';
const APPROVAL_DOC = 'https://docs.aws.amazon.com/r53recovery/latest/dg/manual-approval-block.html';

/** What the step builders need to know about the plan. @internal */
export interface PlanContext {
  readonly planName: string;
  readonly regions: string[];
  readonly primaryRegion: string;
  readonly approach: RecoveryApproach;
  readonly stack: Stack;
  /** The plan's ARN (a token of the plan's stack). */
  readonly planArn: string;
}

/** An assumed duration term the user can override with `setting`. @internal */
export function assumedTerm(label: string, duration: Duration, setting: string, source: string): RecoveryTerm {
  return { label, duration, basis: RecoveryBasis.ASSUMPTION, source, setting };
}

/**
 * A custom action Lambda step: one function per plan Region ("you're required to specify two Lambda functions for the step
 * to execute—one in each of the plan's Regions", https://docs.aws.amazon.com/r53recovery/latest/dg/custom-action-lambda-block.html).
 * Sample policy: `lambda:GetFunction`, `lambda:InvokeFunction` on the functions (LAMBDA_POLICY).
 * @internal
 */
export function lambdaStep(ctx: PlanContext, name: string, functions: { [region: string]: lambda.IFunction },
  o: LambdaStepOptions): RegionSwitchStep {
  const keys = Object.keys(functions ?? {});
  if (keys.length !== 2 || !ctx.regions.every((r) => keys.includes(r))) {
    throw new MultiRegionFailoverError(`\`functions\` must have one function for each of the plan's Regions (${ctx.regions.join(', ')}), got: ${keys.join(', ') || 'none'}`);
  }
  for (const region of ctx.regions) {
    const fnRegion = functions[region].env.region;
    if (!Token.isUnresolved(fnRegion) && fnRegion !== region) {
      throw new MultiRegionFailoverError(`\`functions\`[${region}] must be a function of ${region}, got one of ${fnRegion}: ${functions[region].node.path}`);
    }
  }
  const arns = ctx.regions.map((r) => functions[r].functionArn);
  const retry = o.retryInterval ?? Duration.minutes(1);
  const regionToRun = o.regionToRun ?? LambdaRegionToRun.ACTIVATING_REGION;
  return {
    name,
    configuration: {
      name,
      description: o.description ?? `Invoke the function of the ${regionToRun === LambdaRegionToRun.ACTIVATING_REGION ? 'activating' : 'deactivating'} Region`,
      executionBlockType: 'CustomActionLambda',
      executionBlockConfiguration: {
        customActionLambdaConfig: {
          lambdas: arns.map((arn) => ({ arn })),
          regionToRun,
          retryIntervalMinutes: retry.toSeconds() / 60,
          timeoutMinutes: wholeMinutes(o.timeout, 'timeout'),
          ungraceful: o.skipWhenUngraceful ? { behavior: 'skip' } : undefined,
        },
      },
    },
    permissions: [new iam.PolicyStatement({ actions: ['lambda:GetFunction', 'lambda:InvokeFunction'], resources: arns })],
    recoveryTerms: [assumedTerm(`custom action ${name}`, o.expectedDuration ?? Duration.minutes(1), '`expectedDuration`',
      `this library's assumption for the function's run (${LAMBDA_POLICY}); measure it in a drill`)],
  };
}

/**
 * A manual approval step: "When Region switch runs a manual execution block, it pauses execution and sets the plan's execution
 * status to pending approval. Anyone who has access to the role defined in the execution block can approve" (APPROVAL_DOC).
 * The execution role needs nothing for it ("The manual approval and Route 53 health check execution blocks do not assume the
 * execution role", https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_trust_policy.html); the
 * approval role gets `arc-region-switch:ApprovePlanExecutionStep` on the plan
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_manual_approval.html).
 * @internal
 */
export function approvalStep(ctx: PlanContext, name: string, approvalRole: iam.IRole, o: ManualApprovalStepOptions): RegionSwitchStep {
  iam.Grant.addToPrincipal({ grantee: approvalRole, actions: ['arc-region-switch:ApprovePlanExecutionStep'], resourceArns: [ctx.planArn] });
  const wait = o.expectedWait;
  return {
    name,
    configuration: {
      name,
      description: o.description ?? 'Wait for a person to approve the rest of the execution',
      executionBlockType: 'ManualApproval',
      executionBlockConfiguration: { executionApprovalConfig: { approvalRole: approvalRole.roleArn, timeoutMinutes: wholeMinutes(o.timeout, 'timeout') } },
    },
    permissions: [],
    recoveryTerms: wait ? [assumedTerm(`manual approval ${name}`, wait, '`expectedWait`', `your figure for an approver to act (${APPROVAL_DOC})`)] : [],
    manualReason: wait ? undefined : `its manual approval step "${name}" waits for a person (give \`expectedWait\` to count a figure)`,
  };
}

function capacityTerm(what: string, name: string, o: CapacityStepOptions, doc: string): RecoveryTerm {
  return assumedTerm(`${what} scale-up ${name}`, o.expectedDuration ?? Duration.minutes(5), '`expectedDuration`',
    `this library's assumption for new capacity to be running (${doc}); measure it in a drill`);
}

/**
 * An ECS service scaling step ("For each Region, enter the ECS cluster ARN and the ECS service ARN",
 * https://docs.aws.amazon.com/r53recovery/latest/dg/ecs-service-scaling-block.html). Sample policy: `ecs:DescribeServices`,
 * `ecs:UpdateService` on the services, `ecs:DescribeClusters` on the clusters; `ecs:ListServices`,
 * `application-autoscaling:DescribeScalableTargets`, `application-autoscaling:RegisterScalableTarget` and
 * `cloudwatch:GetMetricStatistics` on "*" (ECS_POLICY).
 * @internal
 */
export function ecsStep(ctx: PlanContext, name: string, services: { [region: string]: EcsServiceRef }, o: CapacityStepOptions): RegionSwitchStep {
  const keys = Object.keys(services ?? {});
  validateRegionalArns(Object.fromEntries(keys.map((k) => [k, services[k].serviceArn])), 'services.serviceArn', ctx.regions, 'ecs', 'service/');
  validateRegionalArns(Object.fromEntries(keys.map((k) => [k, services[k].clusterArn])), 'services.clusterArn', ctx.regions, 'ecs', 'cluster/');
  const refs = ctx.regions.map((r) => services[r]);
  const minimum = validatePercent(o.ungracefulMinimumSuccessPercentage, 'ungracefulMinimumSuccessPercentage', 0, 100);
  return {
    name,
    configuration: {
      name,
      description: o.description ?? 'Scale the ECS service of the activated Region up to the other Region\'s task count',
      executionBlockType: 'ECSServiceScaling',
      executionBlockConfiguration: {
        ecsCapacityIncreaseConfig: {
          services: refs.map((s) => ({ clusterArn: s.clusterArn, serviceArn: s.serviceArn })),
          targetPercent: validatePercent(o.targetPercent, 'targetPercent', 1, 1000),
          timeoutMinutes: wholeMinutes(o.timeout, 'timeout'),
          ungraceful: minimum === undefined ? undefined : { minimumSuccessPercentage: minimum },
        },
      },
    },
    permissions: [
      new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: refs.map((s) => s.serviceArn) }),
      new iam.PolicyStatement({ actions: ['ecs:DescribeClusters'], resources: refs.map((s) => s.clusterArn) }),
      new iam.PolicyStatement({
        actions: ['ecs:ListServices', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:RegisterScalableTarget', 'cloudwatch:GetMetricStatistics'],
        resources: ['*'],
      }),
    ],
    recoveryTerms: [capacityTerm('ECS service', name, o, ECS_POLICY)],
  };
}

/**
 * An EC2 Auto Scaling group step. Sample policy: `autoscaling:UpdateAutoScalingGroup` on the groups;
 * `autoscaling:DescribeAutoScalingGroups` and `cloudwatch:GetMetricStatistics` on "*" (ASG_POLICY).
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Ec2AsgCapacityIncreaseConfiguration.html
 * @internal
 */
export function asgStep(ctx: PlanContext, name: string, groupArns: { [region: string]: string }, o: CapacityStepOptions): RegionSwitchStep {
  validateRegionalArns(groupArns, 'autoScalingGroupArns', ctx.regions, 'autoscaling', 'autoScalingGroup:');
  const arns = ctx.regions.map((r) => groupArns[r]);
  const minimum = validatePercent(o.ungracefulMinimumSuccessPercentage, 'ungracefulMinimumSuccessPercentage', 0, 100);
  return {
    name,
    configuration: {
      name,
      description: o.description ?? 'Scale the Auto Scaling group of the activated Region up to the other Region\'s capacity',
      executionBlockType: 'EC2AutoScaling',
      executionBlockConfiguration: {
        ec2AsgCapacityIncreaseConfig: {
          asgs: arns.map((arn) => ({ arn })),
          targetPercent: validatePercent(o.targetPercent, 'targetPercent', 1, 1000),
          timeoutMinutes: wholeMinutes(o.timeout, 'timeout'),
          ungraceful: minimum === undefined ? undefined : { minimumSuccessPercentage: minimum },
        },
      },
    },
    permissions: [
      new iam.PolicyStatement({ actions: ['autoscaling:UpdateAutoScalingGroup'], resources: arns }),
      new iam.PolicyStatement({ actions: ['autoscaling:DescribeAutoScalingGroups', 'cloudwatch:GetMetricStatistics'], resources: ['*'] }),
    ],
    recoveryTerms: [capacityTerm('EC2 Auto Scaling group', name, o, ASG_POLICY)],
  };
}

/** What `childStep` reads of a child plan. @internal */
export interface ChildPlanInfo {
  readonly planName: string;
  readonly planArn: string;
  readonly regions: string[];
  readonly approach: RecoveryApproach;
  readonly terms: RecoveryTerm[];
  readonly manualReason?: string;
}

/**
 * A child plan step. "Child plans must support the same Regions that the parent plan supports and must have the same
 * recovery approach"; "this execution block does not support additional levels of child plans"
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch-plan-block.html). Sample policy:
 * Start/Get/Cancel/Update/ListPlanExecution(s) on the child plan
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_plan_execution.html).
 * @internal
 */
export function childStep(ctx: PlanContext, child: ChildPlanInfo, hasChildren: boolean, name: string | undefined,
  description?: string): RegionSwitchStep {
  if (child.planName === ctx.planName) {
    throw new MultiRegionFailoverError(`\`child\` must be another plan, got the plan ${ctx.planName} itself`);
  }
  if ([...child.regions].sort().join() !== [...ctx.regions].sort().join() || child.approach !== ctx.approach) {
    throw new MultiRegionFailoverError(`\`child\` must have the plan's Regions (${ctx.regions.join(', ')}) and recovery approach (${ctx.approach}), `
      + `got ${child.planName} with ${child.regions.join(', ')} and ${child.approach}`);
  }
  if (hasChildren) {
    throw new MultiRegionFailoverError(`\`child\` must not have child plans itself (Region switch nests plans one level), got ${child.planName}, which has`);
  }
  const stepName = name ?? `plan-${child.planName}`;
  return {
    name: stepName,
    configuration: {
      name: stepName,
      description: description ?? `Execute the child plan ${child.planName}`,
      executionBlockType: 'ARCRegionSwitchPlan',
      executionBlockConfiguration: { regionSwitchPlanConfig: { arn: child.planArn } },
    },
    permissions: [new iam.PolicyStatement({
      actions: ['arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:CancelPlanExecution',
        'arc-region-switch:UpdatePlanExecution', 'arc-region-switch:ListPlanExecutions'],
      resources: [child.planArn],
    })],
    recoveryTerms: child.terms,
    manualReason: child.manualReason ? `its child plan ${child.planName}: ${child.manualReason}` : undefined,
  };
}

function totalSeconds(terms: RecoveryTerm[], typical: boolean): number {
  return terms.reduce((a, t) => a + (typical ? (t.typical ?? t.duration) : t.duration).toSeconds({ integral: false }), 0);
}

/**
 * Steps that run in parallel (`ParallelConfig`, execution block `Parallel`): the group takes as long as its slowest step.
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_ParallelExecutionBlockConfiguration.html
 * @internal
 */
export function parallelStep(name: string, steps: RegionSwitchStep[], o: ParallelStepOptions): RegionSwitchStep {
  if (!Array.isArray(steps) || steps.length < 2) {
    throw new MultiRegionFailoverError(`\`steps\` of parallel step ${name} must hold at least 2 steps, got: ${Array.isArray(steps) ? steps.length : 0}`);
  }
  const nested = steps.find((s) => s.configuration.executionBlockType === 'Parallel');
  if (nested) {
    throw new MultiRegionFailoverError(`\`steps\` of parallel step ${name} must not hold a parallel step, got: ${nested.name}`);
  }
  const slowest = [...steps].sort((a, b) => totalSeconds(b.recoveryTerms, false) - totalSeconds(a.recoveryTerms, false))[0];
  const assumed = steps.some((s) => s.recoveryTerms.some((t) => t.basis === RecoveryBasis.ASSUMPTION));
  return {
    name,
    configuration: {
      name,
      description: o.description,
      executionBlockType: 'Parallel',
      executionBlockConfiguration: { parallelConfig: { steps: steps.map((s) => s.configuration) } },
    },
    permissions: steps.flatMap((s) => s.permissions),
    recoveryTerms: [{
      label: `parallel ${name} (slowest: ${slowest.name})`,
      duration: Duration.seconds(Math.max(...steps.map((s) => totalSeconds(s.recoveryTerms, false)))),
      typical: Duration.seconds(Math.max(...steps.map((s) => totalSeconds(s.recoveryTerms, true)))),
      basis: assumed ? RecoveryBasis.ASSUMPTION : RecoveryBasis.DOCUMENTED,
      source: steps.map((s) => `${s.name}: ${s.recoveryTerms.map((t) => t.label).join(' + ') || '0 s'}`).join('; '),
    }],
    manualReason: steps.find((s) => s.manualReason)?.manualReason,
    recoveryPoint: steps.find((s) => s.recoveryPoint)?.recoveryPoint,
  };
}

/** All steps of a step list, parallel groups flattened. @internal */
export function flatten(steps: arcregionswitch.CfnPlan.StepProperty[]): arcregionswitch.CfnPlan.StepProperty[] {
  return steps.flatMap((s) => {
    const cfg = s.executionBlockConfiguration as arcregionswitch.CfnPlan.ExecutionBlockConfigurationProperty;
    const inner = (cfg.parallelConfig as arcregionswitch.CfnPlan.ParallelExecutionBlockConfigurationProperty | undefined)?.steps;
    return [s, ...(Array.isArray(inner) ? flatten(inner as arcregionswitch.CfnPlan.StepProperty[]) : [])];
  });
}
