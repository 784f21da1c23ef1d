import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { Settings } from './settings';
import { NagSuppressions } from '../core/nag';

/** What every member needs in its region. @internal */
export interface MemberInput {
  readonly stack: Stack;
  readonly region: string;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly s: Settings;
}

/** A member's network parts. @internal */
export interface MemberNetwork {
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnetGroup: elasticache.CfnSubnetGroup;
}

/** The security group (no rule: allow your clients on it) and the subnet group of a member. @internal */
export function createNetwork(m: MemberInput): MemberNetwork {
  const { stack, region, s } = m;
  const securityGroup = new ec2.SecurityGroup(stack, 'CacheSecurityGroup', {
    vpc: m.vpc,
    description: `ElastiCache global datastore ${s.cacheName} in ${region}: allow your clients on port ${s.port}`,
    allowAllOutbound: false,
  });
  const subnetGroup = new elasticache.CfnSubnetGroup(stack, 'CacheSubnetGroup', {
    description: `ElastiCache global datastore ${s.cacheName} in ${region}`,
    subnetIds: m.vpc.selectSubnets(s.subnets).subnetIds,
  });
  return { securityGroup, subnetGroup };
}

/**
 * The AUTH token: a generated secret in the primary region, replicated to every secondary region under the same name. A
 * token must be "at least 16 characters and no more than 128 characters" of printable ASCII with only `!&#$^<>-` as
 * non-alphanumeric characters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html):
 * 64 letters and digits. Encrypted with the AWS managed key `aws/secretsmanager` (the replicas too), so that a reader
 * needs no KMS grant.
 * @internal
 */
export function createAuthSecret(stack: Stack, s: Settings, secondaryRegions: string[]): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(stack, 'AuthToken', {
    secretName: s.authSecretName,
    description: `AUTH token of the ElastiCache global datastore ${s.cacheName} (replicated to ${secondaryRegions.join(', ')})`,
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    replicaRegions: secondaryRegions.map((region) => ({ region })),
    removalPolicy: s.keyRemoval,
  });
  NagSuppressions.addResourceSuppressions(secret, [{
    id: 'AwsSolutions-SMG4',
    reason: 'AUTH token of a global datastore, the same in every region: rotating it means ModifyReplicationGroup with AuthTokenUpdateStrategy ROTATE then SET on every member (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html), which this construct does not automate; rotate it with that runbook',
  }]);
  return secret;
}

/** The primary replication group and its global datastore. @internal */
export interface PrimaryMember {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly globalDatastore: elasticache.CfnGlobalReplicationGroup;
}

function memberAuth(s: Settings, token: string | undefined): Partial<elasticache.CfnReplicationGroupProps> {
  return s.userGroupId !== undefined ? { userGroupIds: [s.userGroupId] } : { authToken: token };
}

/**
 * The primary replication group (TLS in transit, the region's KMS key at rest, Multi-AZ with automatic failover) and the
 * `AWS::ElastiCache::GlobalReplicationGroup` whose only member is this primary. Secondary stacks add their replication
 * groups with `GlobalReplicationGroupId` (see `createSecondaryMember`).
 * @internal
 */
export function createPrimaryMember(m: MemberInput, net: MemberNetwork, secret: secretsmanager.ISecret | undefined): PrimaryMember {
  const { stack, region, s } = m;
  const replicationGroup = new elasticache.CfnReplicationGroup(stack, 'ReplicationGroup', {
    replicationGroupId: s.replicationGroupIds[region],
    replicationGroupDescription: `ElastiCache global datastore ${s.cacheName}: primary in ${region}`,
    engine: s.engine.engine,
    engineVersion: s.engine.version,
    cacheNodeType: s.node.nodeType,
    // r6gd nodes: "This parameter must be set to true when using r6gd nodes" (same page as above).
    dataTieringEnabled: s.node.family === 'r6gd' ? true : undefined,
    ...(s.clusterMode
      ? {
        clusterMode: 'enabled',
        // "To create a Valkey or Redis OSS (cluster mode enabled) replication group, use CacheParameterGroupName=default.redis3.2.cluster.on"
        // (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html): the default group of the family.
        cacheParameterGroupName: `default.${s.engine.family}.cluster.on`,
        numNodeGroups: s.shards,
        replicasPerNodeGroup: s.replicasPerShard,
      }
      : { numCacheClusters: 1 + s.replicasPerShard }),
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    kmsKeyId: m.key.keyArn,
    ...memberAuth(s, secret?.secretValue.unsafeUnwrap()),
    cacheSubnetGroupName: net.subnetGroup.ref,
    securityGroupIds: [net.securityGroup.securityGroupId],
    port: s.port,
    snapshotRetentionLimit: s.snapshotDays,
    autoMinorVersionUpgrade: true,
  });
  replicationGroup.applyRemovalPolicy(s.removalPolicy ?? RemovalPolicy.SNAPSHOT);
  const globalDatastore = new elasticache.CfnGlobalReplicationGroup(stack, 'GlobalDatastore', {
    globalReplicationGroupIdSuffix: s.cacheName,
    globalReplicationGroupDescription: `ElastiCache global datastore ${s.cacheName} (cdk-multi-region-failover)`,
    members: [{ replicationGroupId: replicationGroup.ref, replicationGroupRegion: region, role: 'PRIMARY' }],
  });
  suppressMemberFindings(replicationGroup, s, false);
  return { replicationGroup, globalDatastore };
}

/**
 * A secondary member: a replication group with `GlobalReplicationGroupId` (read from the region's SSM parameter). AWS:
 * "ElastiCache ... will infer the values from the primary replication group of the global replication group for the
 * following parameters. Do not pass in values for these parameters: PrimaryClusterId, AutomaticFailoverEnabled,
 * NumNodeGroups, CacheParameterGroupName, CacheNodeType, Engine, EngineVersion, CacheSecurityGroupNames,
 * EnableTransitEncryption, AtRestEncryptionEnabled, SnapshotArns, SnapshotName"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-CLI.html), and "the secondary cluster
 * inherits the Multi-AZ and automatic failover settings from the primary cluster"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html). Its own: the
 * KMS key of its region, subnet and security groups, port, replica count, snapshots and the AUTH token (its region's
 * replica of the secret, resolved by name).
 * @internal
 */
export function createSecondaryMember(m: MemberInput, net: MemberNetwork, globalId: string): elasticache.CfnReplicationGroup {
  const { stack, region, s } = m;
  const token = s.authSecretName !== undefined ? SecretValue.secretsManager(s.authSecretName).unsafeUnwrap() : undefined;
  const replicationGroup = new elasticache.CfnReplicationGroup(stack, 'ReplicationGroup', {
    replicationGroupId: s.replicationGroupIds[region],
    replicationGroupDescription: `ElastiCache global datastore ${s.cacheName}: secondary in ${region}`,
    globalReplicationGroupId: globalId,
    ...(s.clusterMode ? { replicasPerNodeGroup: s.replicasPerShard } : { numCacheClusters: 1 + s.replicasPerShard }),
    kmsKeyId: m.key.keyArn,
    ...memberAuth(s, token),
    cacheSubnetGroupName: net.subnetGroup.ref,
    securityGroupIds: [net.securityGroup.securityGroupId],
    port: s.port,
    snapshotRetentionLimit: s.snapshotDays,
  });
  replicationGroup.applyRemovalPolicy(s.removalPolicy ?? RemovalPolicy.DESTROY);
  suppressMemberFindings(replicationGroup, s, true);
  return replicationGroup;
}

/**
 * cdk-nag findings of one member (its replication group only, one rule each):
 * - AEC3 and AEC4 on secondaries: encryption in transit and at rest, Multi-AZ and automatic failover are the primary's,
 *   inherited (AWS says not to pass them; see `createSecondaryMember`). The primary sets all four.
 * - AEC6 with a user group: RBAC authenticates every connection instead of the AUTH token the rule looks for.
 * @internal
 */
export function suppressMemberFindings(replicationGroup: IConstruct, s: Settings, secondary: boolean): void {
  const suppressions = [];
  if (secondary) {
    suppressions.push(
      {
        id: 'AwsSolutions-AEC3',
        reason: 'Secondary of a global datastore: it inherits encryption in transit and at rest from the primary, which enables both; AWS says not to pass TransitEncryptionEnabled or AtRestEncryptionEnabled for a secondary (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-CLI.html). It is encrypted at rest with its own region\'s KMS key',
      },
      {
        id: 'AwsSolutions-AEC4',
        reason: 'Secondary of a global datastore: "the secondary cluster inherits the Multi-AZ and automatic failover settings from the primary cluster" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html), which enables both; every member has at least one replica',
      },
    );
  }
  if (s.userGroupId !== undefined) {
    suppressions.push({
      id: 'AwsSolutions-AEC6',
      reason: `Role-based access control: every connection authenticates as a user of the user group ${s.userGroupId} (UserGroupIds) over TLS, instead of the shared AUTH token this rule looks for (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html)`,
    });
  }
  if (suppressions.length > 0) {
    NagSuppressions.addResourceSuppressions(replicationGroup, suppressions);
  }
}
