import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import type { Settings } from './settings';
import { secretTagKey } from '../aurora-global-failover/secret-replica';
import { NagSuppressions } from '../core/nag';

/** What an instance of one region needs. @internal */
export interface InstanceInput {
  readonly stack: Stack;
  readonly region: string;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly s: Settings;
}

/** The tag (and `ListSecrets` filter key) that marks this construct's master secret and its replicas. @internal */
export function masterSecretTag(id: string): string {
  return secretTagKey(`rds/${id}`);
}

/** The instance's security group: no rule until you connect clients (RDS runs replication over its own channel). */
function securityGroup(input: InstanceInput): ec2.SecurityGroup {
  return new ec2.SecurityGroup(input.stack, 'InstanceSecurityGroup', {
    vpc: input.vpc,
    description: `RDS ${input.s.id}-${input.region}: allow your clients on port ${input.s.checked.port}`,
    allowAllOutbound: false,
  });
}

/**
 * The primary region: the master secret (replicated to every replica region, tagged so each finds its copy), the
 * region's parameter group and subnet group (named `<id>-<region>`), and a Multi-AZ `DatabaseInstance` on gp3, encrypted
 * with the region's key, with automated backups (a read replica's source must have them).
 * @internal
 */
export function createPrimary(input: InstanceInput, replicaRegions: string[], masterUsername: string, databaseName: string | undefined) {
  const { stack, region, vpc, key, s } = input;
  const name = `${s.id}-${region}`;
  const secret = new rds.DatabaseSecret(stack, 'Secret', {
    username: masterUsername,
    replicaRegions: replicaRegions.map((r) => ({ region: r })),
  });
  // Secrets Manager "replicates the encrypted secret data and metadata such as tags" to each replica region
  // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html): each replica region finds its copy by this tag.
  Tags.of(secret).add(masterSecretTag(s.id), s.id);
  NagSuppressions.addResourceSuppressions(secret, [{
    id: 'AwsSolutions-SMG4',
    reason: 'Master secret of an RDS instance with cross-Region read replicas, replicated to every replica region for break-glass access after a promotion (a promoted replica keeps the source\'s users and passwords); applications use IAM database authentication. Add rotation with `primaryInstance.addRotationSingleUser()`.',
  }]);
  const parameterGroup = new rds.ParameterGroup(stack, 'Parameters', {
    engine: s.engine,
    name,
    description: `RDS ${name}: TLS required${Object.keys(s.parameters).length > 1 ? ', and your parameters' : ''}`,
    parameters: s.parameters,
  });
  const subnetGroup = new rds.SubnetGroup(stack, 'SubnetGroup', {
    vpc,
    vpcSubnets: s.subnets,
    subnetGroupName: name,
    description: `RDS ${name}`,
  });
  const instance = new rds.DatabaseInstance(stack, 'Instance', {
    engine: s.engine,
    instanceIdentifier: name,
    instanceType: s.instanceType,
    vpc,
    subnetGroup,
    securityGroups: [securityGroup(input)],
    credentials: rds.Credentials.fromSecret(secret),
    databaseName,
    multiAz: true,
    storageType: rds.StorageType.GP3,
    allocatedStorage: s.allocatedStorage,
    maxAllocatedStorage: s.maxAllocatedStorage,
    storageEncryptionKey: key,
    backupRetention: Duration.days(s.backupDays),
    deletionProtection: s.deletionProtection,
    iamAuthentication: true,
    cloudwatchLogsExports: s.checked.logExports,
    parameterGroup,
    publiclyAccessible: false,
    copyTagsToSnapshot: true,
    removalPolicy: s.removalPolicy,
  });
  suppressInstanceFindings(instance);
  return { secret, instance, parameterGroupName: name };
}

/**
 * An encrypted cross-Region read replica (`AWS::RDS::DBInstance` with `SourceDBInstanceIdentifier`), following
 * CloudFormation's rules for one: "If the source DB instance is in a different region than the read replica, specify
 * the source region in SourceRegion, and specify an ARN for a valid DB instance in SourceDBInstanceIdentifier"; no
 * `MasterUsername`, `MasterUserPassword`, `BackupRetentionPeriod`, `DBName` or `StorageEncrypted` ("inherited from the
 * source DB instance"); and the key: "if the source DB instance is in a different AWS Region, you must specify a KMS key
 * ID ... for the destination AWS Region. KMS encryption keys are specific to the region that they're created in"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html).
 * `VPCSecurityGroups` is set, as CloudFormation recommends for a replica of a source in a VPC. The source's ARN is built
 * from its identifier (no cross-region reference); the stack deploys after the primary's.
 * @internal
 */
export function createReplica(input: InstanceInput, primaryRegion: string) {
  const { stack, region, vpc, key, s } = input;
  const name = `${s.id}-${region}`;
  const parameterGroup = new rds.CfnDBParameterGroup(stack, 'Parameters', {
    dbParameterGroupName: name,
    family: s.checked.family,
    description: `RDS ${name}: TLS required${Object.keys(s.parameters).length > 1 ? ', and your parameters' : ''}`,
    parameters: s.parameters,
  });
  const subnetGroup = new rds.CfnDBSubnetGroup(stack, 'SubnetGroup', {
    dbSubnetGroupName: name,
    dbSubnetGroupDescription: `RDS ${name}`,
    subnetIds: vpc.selectSubnets(s.subnets).subnetIds,
  });
  const group = securityGroup(input);
  const instance = new rds.CfnDBInstance(stack, 'Instance', {
    dbInstanceIdentifier: name,
    sourceDbInstanceIdentifier: s.instanceArns[primaryRegion],
    sourceRegion: primaryRegion,
    kmsKeyId: key.keyArn,
    dbInstanceClass: `db.${s.instanceType.toString()}`,
    multiAz: s.replicaMultiAz,
    storageType: 'gp3',
    maxAllocatedStorage: s.maxAllocatedStorage,
    dbParameterGroupName: parameterGroup.ref,
    dbSubnetGroupName: subnetGroup.ref,
    vpcSecurityGroups: [group.securityGroupId],
    publiclyAccessible: false,
    enableIamDatabaseAuthentication: true,
    enableCloudwatchLogsExports: s.checked.logExports,
    deletionProtection: s.deletionProtection,
    copyTagsToSnapshot: true,
  });
  // CloudFormation ignores the deletion policy of a read replica ("Read replicas don't support deletion policies"); it
  // applies once the replica is promoted and the stack is deleted.
  instance.applyRemovalPolicy(s.removalPolicy);
  suppressInstanceFindings(instance);
  NagSuppressions.addResourceSuppressions(instance, [{
    id: 'AwsSolutions-RDS2',
    reason: 'Encrypted: a read replica inherits StorageEncrypted from its encrypted source (CloudFormation: "If you specify the SourceDBInstanceIdentifier ... property, don\'t specify this property"), and KmsKeyId names this region\'s own key',
  }]);
  if (!s.replicaMultiAz) {
    NagSuppressions.addResourceSuppressions(instance, [{
      id: 'AwsSolutions-RDS3',
      reason: '`replicaMultiAz: false` was chosen: this read replica has no standby; once promoted, modify it to Multi-AZ (the README runbook does)',
    }]);
  }
  return { instance, securityGroup: group, parameterGroupName: name };
}

/**
 * The cdk-nag finding every instance keeps: RDS11 (default port), on purpose so that clients, security group rules and
 * IAM auth tokens are the same in every region after a promotion; the instance is reachable only through its security
 * group in isolated subnets.
 * @internal
 */
export function suppressInstanceFindings(instance: IConstruct): void {
  NagSuppressions.addResourceSuppressions(instance, [{
    id: 'AwsSolutions-RDS11',
    reason: 'Every region keeps the engine\'s default port so clients, security group rules and IAM auth tokens work unchanged after a promotion; the instance is reachable only through its security group in isolated subnets',
  }]);
}
