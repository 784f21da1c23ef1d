import { Duration } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import { RegionSwitchStepOptions } from './props';
import { MultiRegionFailoverError } from '../core/errors';

/*
 * ARC Region switch execution blocks for RDS read replicas (aws-cdk-lib 2.245: `CfnPlan.ExecutionBlockConfigurationProperty`
 * has `rdsPromoteReadReplicaConfig` and `rdsCreateCrossRegionReadReplicaConfig`, each with `dbInstanceArnMap`,
 * `timeoutMinutes` (default 60), `crossAccountRole` and `externalId`).
 *
 * - Block types (ARC Region switch API, `Step.executionBlockType`): "RdsPromoteReadReplica | RdsCreateCrossRegionReplica"
 *   (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Step.html). The CloudFormation reference of
 *   `AWS::ARCRegionSwitch::Plan Step` lagged behind and did not list them yet.
 * - Promote: "Enter the database instance ARN for the read replica in each Region in the plan ... When you execute the
 *   plan, Region switch promotes the read replica in the Region that you're activating to become an independent
 *   database instance"; "This block only supports active/passive plans"
 *   (https://docs.aws.amazon.com/r53recovery/latest/dg/rds-promote-read-replica-block.html).
 * - Create cross-Region replica (post-recovery): "the old primary instance will be renamed and tagged with
 *   renamedByRegionSwitch. Then a new read replica instance will be created" with the old primary's identifier,
 *   parameter group, subnet group, KMS key and security groups; "The renamed primary instance remains running and
 *   continues to incur charges" (https://docs.aws.amazon.com/r53recovery/latest/dg/rds-create-cross-region-replica-block.html).
 */

/** The plan's two regions, checked. @internal */
export function planRegions(options: RegionSwitchStepOptions, regions: string[]): string[] {
  const chosen = options.planRegions ?? regions.slice(0, 2);
  if (chosen.length !== 2 || chosen[0] === chosen[1] || chosen.some((r) => !regions.includes(r))) {
    throw new MultiRegionFailoverError(`\`planRegions\` must be two different regions of this construct (${regions.join(', ')}): `
      + `a Region switch plan has exactly two Regions, got: ${chosen.join(', ')}`);
  }
  return chosen;
}

/** The step's timeout in whole minutes, at least 1. @internal */
export function timeoutMinutes(timeout: Duration | undefined): number {
  const minutes = (timeout ?? Duration.minutes(60)).toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new MultiRegionFailoverError(`\`timeout\` must be a whole number of minutes of at least 1, got: ${minutes} min`);
  }
  return minutes;
}

/** A step of `type` with the instance ARN of each of the plan's two regions. @internal */
export function regionSwitchStep(type: 'RdsPromoteReadReplica' | 'RdsCreateCrossRegionReplica', name: string, description: string,
  arns: { [region: string]: string }, minutes: number): arcregionswitch.CfnPlan.StepProperty {
  const config = { dbInstanceArnMap: arns, timeoutMinutes: minutes };
  return {
    name,
    description,
    executionBlockType: type,
    executionBlockConfiguration: type === 'RdsPromoteReadReplica'
      ? { rdsPromoteReadReplicaConfig: config }
      : { rdsCreateCrossRegionReadReplicaConfig: config },
  };
}
