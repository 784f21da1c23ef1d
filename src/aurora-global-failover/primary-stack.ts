import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createPrimaryMember } from './members';
import { AuroraGlobalPrimaryOptions } from './props';
import { AuroraGlobalRegionStack, AuroraGlobalRegionStackProps } from './region-stack';
import { validateDns } from './validation';
import { GlobalWriterEndpoint } from './writer-endpoint';
import { MultiRegionFailoverError } from '../core/errors';

/** Properties of an `AuroraGlobalPrimaryStack`. */
export interface AuroraGlobalPrimaryStackProps extends AuroraGlobalRegionStackProps, AuroraGlobalPrimaryOptions {}

/**
 * The primary region's stack of an Aurora global database: the `AWS::RDS::GlobalCluster` (created first, empty, from
 * the engine and version), the primary `DatabaseCluster` that joins it through `GlobalClusterIdentifier` (a `Ref`, so
 * CloudFormation creates it after the global cluster and it becomes the writer), and the master secret, replicated to
 * every other region of `regions`. Like every regional stack it also holds its VPC, KMS key, alarm topic, alarms,
 * failover orchestrator, SSM parameters and outputs; with `writerDnsRecord`, a CNAME to the global writer endpoint.
 *
 * `env` must name a concrete account and the first region of `regions`. Create one `AuroraGlobalSecondaryStack` per
 * other region with the same `globalClusterIdentifier`, `regions` and database settings, and `primaryStack: this`.
 * `AuroraGlobalFailover` composes exactly these stacks.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-getting-started.html
 */
export class AuroraGlobalPrimaryStack extends AuroraGlobalRegionStack {
  /** The global cluster. */
  public readonly globalCluster: rds.CfnGlobalCluster;
  /** The primary cluster (writer and readers). */
  public readonly cluster: rds.DatabaseCluster;
  /** The master user secret, replicated to every secondary region (each secondary stack reads its replica's ARN). */
  public readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: AuroraGlobalPrimaryStackProps) {
    super(scope, id, props);
    if (this.region !== this.regions[0]) {
      throw new MultiRegionFailoverError(`\`regions\` must start with the primary stack's region ${this.region}, got: ${this.regions.join(', ')}`);
    }
    const dns = validateDns(this, props.writerDnsRecord);
    const { secret, globalCluster, primaryCluster } = createPrimaryMember({
      stack: this,
      region: this.region,
      vpc: this.vpc,
      key: this.encryptionKey,
      secondaryRegions: this.regions.slice(1),
      gid: this.globalClusterIdentifier,
      s: this._settings,
      masterUsername: props.masterUsername,
      defaultDatabaseName: props.defaultDatabaseName,
    });
    this.secret = secret;
    this.globalCluster = globalCluster;
    this.cluster = primaryCluster;
    if (props.writerDnsRecord) {
      new GlobalWriterEndpoint(this, 'GlobalWriterEndpoint', {
        globalClusterIdentifier: this.globalClusterIdentifier,
        readAfter: [primaryCluster],
        writerDnsRecord: props.writerDnsRecord,
      });
    }
    this._completeRegion({
      cfnCluster: primaryCluster.node.defaultChild as rds.CfnDBCluster,
      securityGroup: primaryCluster.connections.securityGroups[0],
      cluster: primaryCluster,
      secretArn: secret.secretArn,
      readerEndpoint: primaryCluster.clusterReadEndpoint.hostname,
      writerDnsName: dns?.recordName,
    });
  }
}
