import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createSecondaryMember } from './members';
import { AutoFailoverOptions } from './props';
import { AuroraGlobalRegionStack, AuroraGlobalRegionStackProps } from './region-stack';
import { validateAutoFailover } from './validation';
import { MultiRegionFailoverError } from '../core/errors';

/** Properties of an `AuroraGlobalSecondaryStack`. */
export interface AuroraGlobalSecondaryStackProps extends AuroraGlobalRegionStackProps {
  /**
   * The primary region's stack in this app: this stack deploys after it (its global cluster must exist before a
   * secondary joins). No value of it is referenced, so nothing crosses regions.
   * @default - no dependency: deploy the primary region's stack first yourself
   */
  readonly primaryStack?: Stack;
  /**
   * The DNS name clients use for the writer (the primary stack's `writerDnsRecord.recordName`), published in this region
   * as the `writer-endpoint` SSM parameter and the `WriterEndpoint` output.
   * @default - none: the global writer endpoint is read in this stack when first used (`globalWriterEndpoint`)
   */
  readonly writerDnsName?: string;
  /**
   * Start an unplanned failover to this region automatically when your independent primary-health alarm (in this region)
   * says the primary is down AND replication to this region has stalled or stopped reporting. `targetRegion`, if given,
   * must be this stack's region.
   * @default - off: an operator starts the state machine
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html
   */
  readonly autoFailover?: AutoFailoverOptions;
}

/**
 * A secondary region's stack of an Aurora global database: a `CfnDBCluster` that joins the global cluster by its
 * deterministic identifier (no cross-region reference), with no master credentials, its own KMS key, subnet group and
 * security group, and its instances; the ARN of the master secret's replica in this region, read at deploy time with
 * `ListSecrets`; and, like every regional stack, its VPC, alarm topic, lag alarms, failover orchestrator, SSM parameters
 * and outputs; with `autoFailover`, the automatic failover trigger.
 *
 * `env` must name a concrete account and a region of `regions` other than the first. Use the same
 * `globalClusterIdentifier`, `regions` and database settings as the `AuroraGlobalPrimaryStack`.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-getting-started.html#aurora-global-database-attaching
 */
export class AuroraGlobalSecondaryStack extends AuroraGlobalRegionStack {
  constructor(scope: Construct, id: string, props: AuroraGlobalSecondaryStackProps) {
    super(scope, id, props, props.primaryStack);
    if (this.region === this.regions[0]) {
      throw new MultiRegionFailoverError(`\`regions\` must start with the primary region, not with the secondary stack's region ${this.region}, got: ${this.regions.join(', ')}`);
    }
    const autoFailover = validateAutoFailover(props.autoFailover, [this.region], this.account);
    const member = createSecondaryMember({
      stack: this,
      region: this.region,
      globalClusterIdentifier: this.globalClusterIdentifier,
      vpc: this.vpc,
      key: this.encryptionKey,
      s: this._settings,
      secondaries: this.regions.length - 1,
    });
    this._completeRegion({
      cfnCluster: member.cluster,
      securityGroup: member.securityGroup,
      readerEndpoint: member.cluster.attrReadEndpointAddress,
      writerDnsName: props.writerDnsName,
      autoFailover,
    });
  }
}
