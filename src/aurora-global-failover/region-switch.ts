import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AuroraGlobalFailover } from './aurora-global-failover';
import { output } from './connection';
import { AuroraEstimateInput, regionSwitchEstimate } from './estimate';
import { AuroraGlobalFailoverProps, AuroraOrchestration } from './props';
import { CheckedAutoFailover } from './validation';
import { MultiRegionFailoverError } from '../core/errors';
import { partitionOf } from '../core/partition';
import { RecoveryEstimate } from '../core/recovery';
import { AuroraGlobalBehavior } from '../region-switch-plan/props';
import { RegionSwitchPlan } from '../region-switch-plan/region-switch-plan';

/*
 * `orchestration: AuroraOrchestration.REGION_SWITCH`: an ARC Region switch plan with one Aurora global database step
 * instead of the Step Functions orchestrator.
 *
 * Where the plan lives: a plan is a global resource (its ARN, `arn:aws:arc-region-switch::<account>:plan/<name>:<suffix>`,
 * has no Region: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html). "The control plane for Region
 * switch is located in US East (N. Virginia) Region (us-east-1) and is meant to only be used for service management, that
 * is, creating and updating plans, not for recovery"; "Region switch has independent data planes in each AWS Region. You
 * should use the data plane for recovery actions, that is, for executing Region switch plans"
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html); `StartPlanExecution` is a data
 * plane API (https://docs.aws.amazon.com/r53recovery/latest/dg/actions.region-switch.html). So the stack that declares
 * the plan does not matter for executing it when the primary region is down. It is declared in the SECONDARY region's
 * stack: the autoFailover composite alarm (the plan's trigger) is a resource of that stack, so the plan names it by
 * `Fn::GetAtt` (no cross-region reference, no name to pin), and that stack deploys after the primary, so both member
 * clusters exist when Region switch first evaluates the plan.
 */

const PLAN_NAME_MAX = 32;

/** The checks of `orchestration` and `regionSwitch` that need only the props (before any stack exists). @internal */
export function validateOrchestrationChoice(props: AuroraGlobalFailoverProps, regions: string[]): AuroraOrchestration {
  const orchestration = props.orchestration ?? AuroraOrchestration.STEP_FUNCTIONS;
  if (orchestration !== AuroraOrchestration.REGION_SWITCH) {
    if (props.regionSwitch !== undefined) {
      throw new MultiRegionFailoverError(`\`regionSwitch\` must be used with \`orchestration: AuroraOrchestration.REGION_SWITCH\`, got orchestration: ${orchestration}`);
    }
    return orchestration;
  }
  if (regions.length !== 2) {
    throw new MultiRegionFailoverError('`regions` must hold exactly 2 regions with `orchestration: AuroraOrchestration.REGION_SWITCH` (a Region switch plan '
      + `has exactly two), got ${regions.length}: ${regions.join(', ')}; use \`AuroraOrchestration.STEP_FUNCTIONS\` (2 to 6 regions), or keep it and `
      + 'create one RegionSwitchPlan per region pair with `auroraStep`');
  }
  const behavior = props.regionSwitch?.behavior;
  if (props.autoFailover && behavior !== undefined && behavior !== AuroraGlobalBehavior.FAILOVER) {
    throw new MultiRegionFailoverError('`regionSwitch.behavior` must be AuroraGlobalBehavior.FAILOVER with `autoFailover` (AWS does not document in which '
      + `mode a trigger executes the plan, and a switchover needs every region healthy), got: ${behavior}`);
  }
  return orchestration;
}

/** What `createAuroraPlan` needs. @internal */
export interface AuroraPlanInput {
  readonly aurora: AuroraGlobalFailover;
  readonly props: AuroraGlobalFailoverProps;
  /** The secondary region's stack: the plan's stack. */
  readonly stack: Stack;
  readonly gid: string;
  readonly auto?: CheckedAutoFailover;
  readonly estimate: AuroraEstimateInput;
}

/** The plan, and the construct's recovery estimate from it. @internal */
export function createAuroraPlan(input: AuroraPlanInput): { plan: RegionSwitchPlan; estimate: RecoveryEstimate } {
  const { aurora, props, stack, gid, auto } = input;
  const o = props.regionSwitch ?? {};
  if (o.planName === undefined && gid.length > PLAN_NAME_MAX) {
    throw new MultiRegionFailoverError(`\`regionSwitch.planName\` must be set: the default, the global cluster identifier ${gid}, is longer than the `
      + `${PLAN_NAME_MAX} characters of a Region switch plan name`);
  }
  const [primary, secondary] = [aurora.primaryRegion, aurora.secondaryRegions[0]];
  const plan = new RegionSwitchPlan(stack, 'RegionSwitchPlan', {
    planName: o.planName ?? gid,
    regions: [primary, secondary],
    primaryRegion: primary,
    description: `Fails the Aurora global database ${gid} over between ${primary} and ${secondary} (cdk-multi-region-failover AuroraGlobalFailover)`,
    recoveryAssumptions: props.recoveryAssumptions,
  });
  plan.addStep(plan.auroraStep(aurora, {
    behavior: o.behavior ?? (auto ? AuroraGlobalBehavior.FAILOVER : AuroraGlobalBehavior.SWITCHOVER_ONLY),
    ungracefulFailover: true,
    timeout: o.timeout,
  }));
  if (auto) {
    // The same alarm logic as the Step Functions trigger: the composite PrimaryLostAlarm of the target region.
    const trigger = stack.node.findChild('PrimaryLostAlarm') as cloudwatch.IAlarm;
    plan.addTrigger({
      alarms: [trigger],
      targetRegion: auto.targetRegion,
      minDelayBetweenExecutions: o.minDelayBetweenExecutions ?? Duration.minutes(60),
      description: `The primary-health alarm is in ALARM and replication to ${auto.targetRegion} stalled or stopped reporting`,
    });
  }
  const rto = props.recoveryObjectives?.rto;
  if (rto !== undefined) {
    // RecoveryTimeObjectiveMinutes (1 to 10080) set on the plan resource: the construct checks the objective against its own
    // estimate (the plan's would assume 5 min for the composite alarm it cannot read).
    plan.plan.recoveryTimeObjectiveMinutes = rtoMinutes(rto);
  }
  output(stack, 'RegionSwitchPlanArn', plan.planArn, `Region switch plan of ${gid}: execute it in the region to activate `
    + '(aws arc-region-switch start-plan-execution --action activate --target-region <region> --mode ungraceful when the other region is down)');
  return { plan, estimate: regionSwitchEstimate(withoutPlanSettings(plan.recoveryEstimate), plan.planName, input.estimate) };
}

/** The plan's terms without `setting`: the plan's settings (`triggerStartDelay`, ...) are not this construct's levers. */
function withoutPlanSettings(e: RecoveryEstimate): RecoveryEstimate {
  const strip = (terms: typeof e.detectionTerms) => terms.map((t) => ({ ...t, setting: undefined }));
  return { ...e, detectionTerms: strip(e.detectionTerms), propagationTerms: strip(e.propagationTerms) };
}

function rtoMinutes(rto: Duration): number {
  const minutes = Math.ceil(rto.toSeconds({ integral: false }) / 60);
  if (minutes < 1 || minutes > 10080) {
    throw new MultiRegionFailoverError(`\`recoveryObjectives.rto\` must be between 1 minute and 7 days with a Region switch plan (RecoveryTimeObjectiveMinutes 1 to 10080), got: ${minutes} min`);
  }
  return minutes;
}

/**
 * `arc-region-switch:StartPlanExecution` on the plan: by its ARN in the plan's stack, elsewhere by its name (the ARN ends
 * in a suffix Region switch picks, `plan/<name>:<suffix>`), so the grantee may live in any stack and region.
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html
 * @internal
 */
export function grantStartPlanExecution(plan: RegionSwitchPlan, grantee: iam.IGrantable, account: string): iam.Grant {
  const principal = grantee.grantPrincipal;
  const sameStack = Construct.isConstruct(principal) && Stack.of(principal) === Stack.of(plan);
  const arn = sameStack ? plan.planArn : `arn:${partitionOf(plan.primaryRegion)}:arc-region-switch::${account}:plan/${plan.planName}:*`;
  return iam.Grant.addToPrincipal({ grantee, actions: ['arc-region-switch:StartPlanExecution'], resourceArns: [arn] });
}
