import { Annotations, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { secretTagKey } from './secret-replica';
import { DatabaseSettings, rpoParameters } from './settings';
import { CheckedEngine } from './support';
import { NagSuppressions } from '../core/nag';

/** What the primary member needs. @internal */
export interface PrimaryMemberInput {
  readonly stack: Stack;
  readonly region: string;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly secondaryRegions: string[];
  readonly gid: string;
  readonly s: DatabaseSettings;
  readonly masterUsername?: string;
  readonly defaultDatabaseName?: string;
}

/**
 * The primary region's part of the global database: the master secret (replicated to every secondary region, tagged so
 * each secondary finds its replica), the `AWS::RDS::GlobalCluster` and the primary `DatabaseCluster` that joins it.
 * @internal
 */
export function createPrimaryMember(p: PrimaryMemberInput) {
  const { s, gid, secondaryRegions } = p;
  const secret = new rds.DatabaseSecret(p.stack, 'Secret', {
    username: p.masterUsername ?? 'clusteradmin',
    replicaRegions: secondaryRegions.map((region) => ({ region })),
  });
  // Replicated with the secret: each secondary finds its replica's ARN by this tag in its own region.
  Tags.of(secret).add(secretTagKey(gid), gid);
  NagSuppressions.addResourceSuppressions(secret, [{
    id: 'AwsSolutions-SMG4',
    reason: 'Master secret of a global database, replicated to every secondary region for break-glass access; applications use IAM database authentication or read it through `connectFunction`. Add rotation with `primaryCluster.addRotationSingleUser()` (the VPCs this construct creates have a Secrets Manager endpoint by default).',
  }]);
  const globalCluster = new rds.CfnGlobalCluster(p.stack, 'GlobalCluster', {
    globalClusterIdentifier: gid,
    engine: s.checked.engineType,
    engineVersion: s.checked.fullVersion,
    storageEncrypted: true,
    deletionProtection: s.deletionProtection,
  });
  const instanceName = (n: number) => (n === 0 ? 'Writer' : `Reader${n}`);
  const primaryCluster = new rds.DatabaseCluster(p.stack, 'Cluster', {
    engine: s.engine,
    clusterIdentifier: `${gid}-${p.region}`,
    credentials: rds.Credentials.fromSecret(secret),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: s.instanceType, publiclyAccessible: false }),
    readers: Array.from({ length: s.instances - 1 }, (_, n) =>
      rds.ClusterInstance.provisioned(instanceName(n + 1), { instanceType: s.instanceType, publiclyAccessible: false })),
    vpc: p.vpc,
    vpcSubnets: s.subnets,
    storageEncrypted: true,
    storageEncryptionKey: p.key,
    deletionProtection: s.deletionProtection,
    backup: { retention: Duration.days(s.backupDays) },
    iamAuthentication: true,
    cloudwatchLogsExports: s.logExports,
    defaultDatabaseName: p.defaultDatabaseName,
    parameters: rpoParameters(s, true, secondaryRegions.length),
    removalPolicy: s.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    copyTagsToSnapshot: true,
  });
  const primaryCfn = primaryCluster.node.defaultChild as rds.CfnDBCluster;
  // Escape hatch: no L2 prop joins a global cluster. The Ref also orders the primary after the global cluster.
  primaryCfn.globalClusterIdentifier = globalCluster.ref;
  suppressClusterFindings(primaryCfn, s.checked);
  if (s.managedRpoSeconds !== undefined && secondaryRegions.length === 1) {
    Annotations.of(primaryCluster).addWarningV2('cdk-multi-region-failover:aurora-managed-rpo-two-regions',
      `\`managedRpo\` with 2 regions: commits on the primary block while the only secondary (${secondaryRegions[0]}) lags more than `
      + `${s.managedRpoSeconds} s or is unreachable, and the secondary keeps the default rds.global_db_rpo as AWS advises, so the bound does not `
      + 'hold while it is the primary. Add a third region for an RPO bound that survives a failover.');
  }
  return { secret, globalCluster, primaryCluster };
}

/** What a secondary member cluster needs. @internal */
export interface SecondaryMemberInput {
  readonly stack: Stack;
  readonly region: string;
  readonly globalClusterIdentifier: string;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly s: DatabaseSettings;
  /** How many secondary regions the global database has (managed RPO parameters depend on it). */
  readonly secondaries: number;
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
  const { stack, globalClusterIdentifier: gid, region, s } = input;
  const parameters = rpoParameters(s, false, input.secondaries);
  const securityGroup = new ec2.SecurityGroup(stack, 'ClusterSecurityGroup', {
    vpc: input.vpc,
    description: `Aurora global database ${gid} secondary cluster in ${region}`,
    allowAllOutbound: false,
  });
  const subnetGroup = new rds.CfnDBSubnetGroup(stack, 'SubnetGroup', {
    dbSubnetGroupDescription: `Aurora global database ${gid} in ${region}`,
    subnetIds: input.vpc.selectSubnets(s.subnets).subnetIds,
  });
  const parameterGroupName = parameters
    ? new rds.CfnDBClusterParameterGroup(stack, 'ClusterParameters', {
      description: `Aurora global database ${gid}: managed RPO`,
      family: s.engine.parameterGroupFamily!,
      parameters,
    }).ref
    : undefined;
  const cluster = new rds.CfnDBCluster(stack, 'Cluster', {
    dbClusterIdentifier: `${gid}-${region}`,
    globalClusterIdentifier: gid,
    engine: s.checked.engineType,
    engineVersion: s.checked.fullVersion,
    dbSubnetGroupName: subnetGroup.ref,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    storageEncrypted: true,
    kmsKeyId: input.key.keyArn,
    deletionProtection: s.deletionProtection,
    backupRetentionPeriod: s.backupDays,
    enableIamDatabaseAuthentication: true,
    enableCloudwatchLogsExports: s.logExports,
    dbClusterParameterGroupName: parameterGroupName,
    copyTagsToSnapshot: true,
  });
  cluster.applyRemovalPolicy(s.removalPolicy ?? RemovalPolicy.SNAPSHOT);
  for (let n = 0; n < s.instances; n++) {
    const instance = new rds.CfnDBInstance(stack, `Instance${n + 1}`, {
      dbClusterIdentifier: cluster.ref,
      engine: s.checked.engineType,
      dbInstanceClass: `db.${s.instanceType.toString()}`,
      publiclyAccessible: false,
    });
    instance.applyRemovalPolicy(s.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  }
  suppressClusterFindings(cluster, s.checked);
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
