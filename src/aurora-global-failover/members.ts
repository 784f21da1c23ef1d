import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { CheckedEngine } from './support';
import { NagSuppressions } from '../core/nag';

/** What a secondary member cluster needs. @internal */
export interface SecondaryMemberInput {
  readonly stack: Stack;
  readonly region: string;
  readonly globalClusterIdentifier: string;
  readonly clusterIdentifier: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly key: kms.IKey;
  readonly engine: rds.IClusterEngine;
  readonly checked: CheckedEngine;
  readonly instanceType: ec2.InstanceType;
  readonly instances: number;
  readonly deletionProtection: boolean;
  readonly backupDays: number;
  readonly logExports: string[];
  /**
   * Cluster parameters of this member (managed RPO), if any.
   * @default - the engine's default parameter group
   */
  readonly parameters?: { [name: string]: string };
  readonly removalPolicy?: RemovalPolicy;
}

/** A secondary member and its security group. @internal */
export interface SecondaryMember {
  readonly cluster: rds.CfnDBCluster;
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * A secondary member of the global database: a `CfnDBCluster` that joins the global cluster by its identifier
 * (no cross-region reference), with no master credentials, its own KMS key, subnet group and security group, and
 * `instances` DB instances (one is promoted to writer when the region becomes the primary).
 * @internal
 */
export function createSecondaryMember(input: SecondaryMemberInput): SecondaryMember {
  const { stack, globalClusterIdentifier: gid, region } = input;
  const securityGroup = new ec2.SecurityGroup(stack, 'ClusterSecurityGroup', {
    vpc: input.vpc,
    description: `Aurora global database ${gid} secondary cluster in ${region}`,
    allowAllOutbound: false,
  });
  const subnetGroup = new rds.CfnDBSubnetGroup(stack, 'SubnetGroup', {
    dbSubnetGroupDescription: `Aurora global database ${gid} in ${region}`,
    subnetIds: input.vpc.selectSubnets(input.subnets).subnetIds,
  });
  const parameterGroupName = input.parameters
    ? new rds.CfnDBClusterParameterGroup(stack, 'ClusterParameters', {
      description: `Aurora global database ${gid}: managed RPO`,
      family: input.engine.parameterGroupFamily!,
      parameters: input.parameters,
    }).ref
    : undefined;
  const cluster = new rds.CfnDBCluster(stack, 'Cluster', {
    dbClusterIdentifier: input.clusterIdentifier,
    globalClusterIdentifier: gid,
    engine: input.checked.engineType,
    engineVersion: input.checked.fullVersion,
    dbSubnetGroupName: subnetGroup.ref,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    storageEncrypted: true,
    kmsKeyId: input.key.keyArn,
    deletionProtection: input.deletionProtection,
    backupRetentionPeriod: input.backupDays,
    enableIamDatabaseAuthentication: true,
    enableCloudwatchLogsExports: input.logExports,
    dbClusterParameterGroupName: parameterGroupName,
    copyTagsToSnapshot: true,
  });
  cluster.applyRemovalPolicy(input.removalPolicy ?? RemovalPolicy.SNAPSHOT);
  for (let n = 0; n < input.instances; n++) {
    const instance = new rds.CfnDBInstance(stack, `Instance${n + 1}`, {
      dbClusterIdentifier: cluster.ref,
      engine: input.checked.engineType,
      dbInstanceClass: `db.${input.instanceType.toString()}`,
      publiclyAccessible: false,
    });
    instance.applyRemovalPolicy(input.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  }
  suppressClusterFindings(cluster, input.checked);
  return { cluster, securityGroup };
}

/**
 * The cdk-nag findings of one member cluster (its `CfnDBCluster` only, one rule each):
 * - RDS11 (default port): kept on purpose so clients, security group rules and IAM auth tokens are the same in every
 *   region after a failover; the cluster is reachable only through its security group in isolated subnets.
 * - RDS14 (Backtrack, Aurora MySQL): AWS does not support Backtrack on global databases.
 * @internal
 */
export function suppressClusterFindings(cluster: IConstruct, engine: CheckedEngine): void {
  NagSuppressions.addResourceSuppressions(cluster, [
    {
      id: 'AwsSolutions-RDS11',
      reason: 'Every member keeps the engine\'s default port so clients, security group rules and IAM auth tokens work unchanged after a failover; the cluster is reachable only through its security group in isolated subnets',
    },
    ...(engine.isPostgres ? [] : [{
      id: 'AwsSolutions-RDS14',
      reason: 'Backtrack is not supported on Aurora global databases (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations)',
    }]),
  ]);
}
