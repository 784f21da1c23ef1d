import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { GlobalCacheEngine } from './support';
import { IRegionalVpcProvider } from '../aurora-global-failover/props';
import { RecoveryAssumptions, RecoveryObjectives } from '../core/recovery';

/** How clients authenticate to the cache. Both modes need TLS, which `GlobalCache` always turns on. */
export class GlobalCacheAuth {
  /**
   * An AUTH token (password) generated into a Secrets Manager secret in the primary region, replicated to every secondary
   * region, and given to every member as `AuthToken` (each stack resolves its region's copy by the secret's name).
   * ElastiCache: "`AuthToken` can be specified only on replication groups where `TransitEncryptionEnabled` is `true`".
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
   */
  public static authToken(): GlobalCacheAuth {
    return new GlobalCacheAuth(undefined);
  }

  /**
   * Role-based access control: every member gets `UserGroupIds: [userGroupId]`. User groups are regional: create the
   * group (and its users) under this id in every region before the cache (Valkey, or Redis OSS 6.0 and later).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   * @param userGroupId the id of a user group that exists in every region of the cache
   */
  public static userGroup(userGroupId: string): GlobalCacheAuth {
    return new GlobalCacheAuth(userGroupId);
  }

  /**
   * The user group id (RBAC).
   * @default - undefined: an AUTH token
   */
  public readonly userGroupId?: string;

  private constructor(userGroupId: string | undefined) {
    this.userGroupId = userGroupId;
  }
}

/** `RecoveryAssumptions` plus the figure of a global datastore promotion, which AWS does not publish. */
export interface GlobalCacheRecoveryAssumptions extends RecoveryAssumptions {
  /**
   * Time ElastiCache takes to promote a secondary cluster (`FailoverGlobalReplicationGroup`), worst case you plan for.
   * AWS's user guide publishes no figure; AWS's disaster recovery workshop gives "RTO: 1 minute" as typical.
   * @default Duration.minutes(5)
   * @see https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html
   */
  readonly cachePromotion?: Duration;
}

/** Properties of a `GlobalCache`. */
export interface GlobalCacheProps {
  /**
   * The 12-digit AWS account of every regional stack. Under a Stage with an account, leave it out or give the same one.
   * @default - the enclosing Stage's account, else CDK_DEFAULT_ACCOUNT
   */
  readonly account?: string;
  /**
   * The regions in priority order: the first is the primary, then 1 or 2 secondaries (AWS: replication "to a secondary
   * cluster in up to two other AWS Regions"). Every region gets its own stack.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  readonly regions: string[];
  /**
   * Name of the cache: the global datastore's `GlobalReplicationGroupIdSuffix` (AWS puts a prefix of its own in front of
   * it) and the replication groups `<cacheName>-<region>`, which must fit ElastiCache's 40 characters. Letters, digits and
   * single hyphens, a letter first, no hyphen at the end. Renaming it replaces every cluster.
   * @default - derived from the construct path (with a synth warning: the name then changes when the construct moves)
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly cacheName?: string;
  /**
   * Prefix of the regional stacks' names, `<prefix>-cache-<region>`.
   * @default - the cache name
   */
  readonly stackNamePrefix?: string;
  /**
   * The engine.
   * @default GlobalCacheEngine.VALKEY
   */
  readonly engine?: GlobalCacheEngine;
  /**
   * The engine version (Valkey 7.2 or later; Redis OSS 5.0.6 or later). Secondaries inherit it from the primary.
   * @default - GlobalCacheSupport.DEFAULT_VALKEY_VERSION (8.0) for Valkey, GlobalCacheSupport.DEFAULT_REDIS_VERSION (7.1) for Redis OSS
   */
  readonly engineVersion?: string;
  /**
   * Node type of every node (`cache.<family>.<size>`): families M5, M6g, M7g, R5, R6g, R6gd, R7g, C7gn, size large and
   * above (no burstable `t` nodes). Secondaries inherit it from the primary.
   * @default 'cache.r7g.large'
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  readonly nodeType?: string;
  /**
   * Number of shards (node groups). More than 1 needs `clusterMode`. Every member has the same number ("All clusters ...
   * should have the same number of primary nodes, node type, engine version, and number of shards").
   * @default 1
   */
  readonly shards?: number;
  /**
   * Cluster mode (sharding; clients must support the cluster protocol).
   * @default - true with more than one shard, else false
   */
  readonly clusterMode?: boolean;
  /**
   * Read replicas per shard in every region, 1 to 5: at least one, for Multi-AZ with automatic failover inside each region
   * ("Automatic failover requires at least 2 nodes (1 primary and 1 replica)").
   * @default 1
   */
  readonly replicasPerShard?: number;
  /**
   * The port of every member. Not 6379 by default: a non-default port (cdk-nag AwsSolutions-AEC5).
   * @default 6380
   */
  readonly port?: number;
  /**
   * Authentication.
   * @default GlobalCacheAuth.authToken()
   */
  readonly auth?: GlobalCacheAuth;
  /**
   * VPC per region (the same provider `AuroraGlobalFailover` exposes as `vpcProvider`, e.g. `db.vpcProvider`).
   * @default - a new VPC per region over 2 AZs with isolated subnets only, a flow log and the `clientEndpoints`
   */
  readonly vpcProvider?: IRegionalVpcProvider;
  /**
   * Subnets of the cache in each region's VPC.
   * @default - { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * In the VPCs the construct creates (not in yours): a DynamoDB gateway endpoint and a Secrets Manager interface
   * endpoint (about 15 USD/month per region over 2 AZs), so functions in the isolated subnets can read the AUTH token.
   * @default true
   */
  readonly clientEndpoints?: boolean;
  /**
   * Retention of automatic snapshots of every member, 0 (none) to 35 days.
   * @default Duration.days(1)
   */
  readonly snapshotRetention?: Duration;
  /**
   * What happens to the replication groups, keys and log groups when they leave the stack.
   * @default RemovalPolicy.SNAPSHOT for the primary replication group, RemovalPolicy.DESTROY for secondaries (they hold a
   *   copy), RemovalPolicy.RETAIN for KMS keys and log groups
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Threshold of the `GlobalDatastoreReplicationLag` alarm of each secondary (the metric is in seconds). It warns, it does
   * not bound the RPO.
   * @default Duration.seconds(1)
   */
  readonly replicationLagThreshold?: Duration;
  /**
   * Your SNS topics, one ARN per region: every alarm of that region's stack also notifies it.
   * @default - alarms notify the construct's topics only
   */
  readonly alarmTopicArns?: { [region: string]: string };
  /**
   * Time between status polls of the promotion state machine.
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;
  /**
   * Polls before the promotion state machine gives up with `PromotionStuck`.
   * @default 60
   */
  readonly maxPollAttempts?: number;
  /**
   * Retention of the promotion handler's and state machine's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Objectives the configuration must meet; synthesis fails when the `recoveryEstimate` budget misses one. The RPO of a
   * global datastore is unbounded (asynchronous replication), so any `rpo` fails synthesis.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * Overrides of the figures AWS does not publish (here: `cachePromotion`).
   * @default - 5 min promotion budget, 1 min typical
   */
  readonly recoveryAssumptions?: GlobalCacheRecoveryAssumptions;
}

/** Everything `GlobalCache` created in one region. */
export interface GlobalCacheRegionResources {
  /** The region. */
  readonly region: string;
  /** Whether this region is the primary at deployment. */
  readonly isPrimary: boolean;
  /** The region's stack. */
  readonly stack: Stack;
  /** The region's VPC. */
  readonly vpc: ec2.IVpc;
  /** The region's KMS key: the cache at rest and the alarm topic. */
  readonly encryptionKey: kms.IKey;
  /** The security group of the region's replication group: allow your clients on it (`port`). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The region's replication group. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Its id, `<cacheName>-<region>`. */
  readonly replicationGroupId: string;
  /**
   * The endpoint clients write to (once this region is the primary): the primary endpoint, or the configuration
   * endpoint in cluster mode. A token of the region's stack.
   */
  readonly primaryEndpoint: string;
  /**
   * The reader endpoint (cluster mode disabled).
   * @default - undefined in cluster mode (use the configuration endpoint)
   */
  readonly readerEndpoint?: string;
  /** The port. */
  readonly port: number;
  /**
   * The name of the AUTH token secret (the same name in every region: the primary secret or its replica).
   * @default - undefined with a user group
   */
  readonly authSecretName?: string;
  /** The region's SNS topic (KMS-encrypted): alarms and promotion notifications. */
  readonly alarmTopic: sns.ITopic;
  /** The region's alarms (secondaries: the replication lag alarms). */
  readonly alarms: cloudwatch.IAlarm[];
  /**
   * The `GlobalDatastoreReplicationLag` alarm of this secondary (a composite alarm over several when the region has more
   * than 10 nodes).
   * @default - undefined in the primary region
   */
  readonly replicationLagAlarm?: cloudwatch.IAlarm;
  /** The promotion state machine `<cacheName>-promote`. */
  readonly stateMachine: sfn.IStateMachine;
  /** The promotion Lambda (also callable directly). */
  readonly promoteFunction: lambda.IFunction;
}

/** Visits the resources of every region (`GlobalCache.forEachRegion`). */
export interface IGlobalCacheRegionVisitor {
  /** Called once per region, primary first. */
  visitRegion(resources: GlobalCacheRegionResources): void;
}
