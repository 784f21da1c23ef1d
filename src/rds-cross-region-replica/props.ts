import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IRegionalVpcProvider } from '../aurora-global-failover/props';
import { RecoveryAssumptions, RecoveryObjectives } from '../core/recovery';

/**
 * A writer DNS name that follows the promoted instance without any Route 53 API call at failover time.
 *
 * The name is a Route 53 failover CNAME: PRIMARY → the primary instance's endpoint, healthy while no replica has been
 * promoted; SECONDARY → `promoted.<recordName>`, weighted CNAMEs to each replica's endpoint, each healthy once its
 * instance is promoted. Health comes from `CLOUDWATCH_METRIC` health checks on an alarm in each replica region, fed
 * by that region's promotion handler and a watcher that runs every minute: a promotion (by the state machine, the
 * console, the CLI or an ARC Region switch plan) moves the name; nobody calls `ChangeResourceRecordSets`.
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/appendix-b---edge-network-global-service-guidance.html
 */
export interface ReplicaWriterDnsRecordOptions {
  /**
   * The hosted zone id of `recordName` (a plain id, no zone object: it would be a cross-stack reference). The
   * placeholder of a pending `HostedZone.fromLookup` is accepted.
   */
  readonly hostedZoneId: string;
  /**
   * The name of the hosted zone, e.g. `example.com`: `recordName` must then be a name inside it, not the zone apex (the
   * records are CNAMEs).
   * @default - `recordName` is not checked against the zone
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   */
  readonly zoneName?: string;
  /**
   * The fully qualified name clients connect to, e.g. `writer.db.example.com`. The construct also creates
   * `promoted.<recordName>` (the replicas' weighted records). Without `instanceIdentifier` the identifier is derived
   * from it.
   */
  readonly recordName: string;
  /**
   * TTL of the CNAMEs. Part of the recovery time: resolvers keep the old answer for up to this long at each of the two
   * levels (`recordName` and `promoted.<recordName>`).
   * @default Duration.seconds(30)
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html#rrsets-values-failover-ttl
   */
  readonly ttl?: Duration;
}

/** Properties of an `RdsCrossRegionReplica`. */
export interface RdsCrossRegionReplicaProps {
  /**
   * The 12-digit AWS account of every regional stack. Under a Stage with an account, leave it out or give the same one.
   * @default - the enclosing Stage's account, else CDK_DEFAULT_ACCOUNT
   */
  readonly account?: string;
  /**
   * The regions: the first holds the primary instance, each other one (1 to 5) an encrypted cross-Region read replica.
   * AWS: "we can't guarantee more than five cross-Region read replica instances" (ACL entries of a VPC).
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html
   */
  readonly regions: string[];
  /**
   * RDS for PostgreSQL or RDS for MySQL, with a version (every region's parameter group uses its family).
   * @default rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 })
   */
  readonly engine?: rds.IInstanceEngine;
  /**
   * Instance class of the primary and of every replica (AWS recommends the same class for a replica).
   * @default ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE)
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * gp3 storage of the primary in GiB (replicas are created from its snapshot), 20 to 65536.
   * @default 100
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage
   */
  readonly allocatedStorage?: number;
  /**
   * Storage autoscaling ceiling in GiB, on the primary and every replica.
   * @default - no storage autoscaling
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
   */
  readonly maxAllocatedStorage?: number;
  /**
   * Whether the replicas are Multi-AZ too (a standby in another AZ of their region), so that a promoted replica is
   * highly available at once. "Creating your read replica as a Multi-AZ DB instance is independent of whether the source
   * is a Multi-AZ DB instance or a Multi-AZ DB cluster."
   * @default true
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html
   */
  readonly replicaMultiAz?: boolean;
  /**
   * The base of the DB instance identifiers, `<instanceIdentifier>-<region>`. Replicas name their source by the ARN
   * built from it (no cross-region reference). 1 to 48 letters, digits and single hyphens, a letter first.
   * @default - from `writerDnsRecord.recordName` (`writer.db.example.com` → `writer-db-example-com`), else derived from
   *   the construct path (with a synth warning: the name then changes when the construct moves)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
   */
  readonly instanceIdentifier?: string;
  /**
   * Prefix of the regional stacks' names, `<prefix>-db-<region>` (and `<prefix>-db-writer-<primary region>`).
   * @default - the instance identifier
   */
  readonly stackNamePrefix?: string;
  /**
   * VPC per region (the same provider type as `AuroraGlobalFailover`'s).
   * @default - a new VPC per region over 2 AZs with isolated subnets only (no NAT gateway), a flow log and the
   *   `clientEndpoints`
   */
  readonly vpcProvider?: IRegionalVpcProvider;
  /**
   * In the VPCs the construct creates, a DynamoDB gateway endpoint and a Secrets Manager interface endpoint for your
   * functions in the isolated subnets (the interface endpoint is billed per AZ-hour).
   * @default true
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html
   */
  readonly clientEndpoints?: boolean;
  /**
   * Subnets for the instances in each region's VPC.
   * @default - { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
   */
  readonly databaseSubnets?: ec2.SubnetSelection;
  /**
   * Master user name. The password is generated into a Secrets Manager secret replicated to every replica region; a
   * replica (and a promoted replica) has the same users and passwords as its source, because replication copies the
   * whole database.
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;
  /**
   * Name of a database created in the primary.
   * @default - none
   */
  readonly databaseName?: string;
  /**
   * DB parameters of every region's parameter group, on top of the TLS default (`rds.force_ssl = 1` for PostgreSQL,
   * `require_secure_transport = ON` for MySQL).
   * @default - only the TLS parameter
   */
  readonly parameters?: { [name: string]: string };
  /**
   * Automated backup retention of the primary (1 to 35 days), and of a replica once promoted. A read replica's source
   * must keep automated backups: the retention "Can't be set to 0 if the DB instance is a source to read replicas".
   * @default Duration.days(7)
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-backupretentionperiod
   */
  readonly backupRetention?: Duration;
  /**
   * Deletion protection of every instance. It must be false with `removalPolicy: RemovalPolicy.DESTROY`.
   * @default - true, or false when `removalPolicy` is `RemovalPolicy.DESTROY`
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the instances, KMS keys and log groups when they leave the stack. CloudFormation ignores the
   * deletion policy of a read replica ("Read replicas don't support deletion policies").
   * @default RemovalPolicy.SNAPSHOT for instances, RemovalPolicy.RETAIN for KMS keys and log groups
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * `ReplicaLag` (seconds) above which a replica's alarm fires; also the largest lag a planned promotion accepts.
   * It warns; it does not bound the RPO.
   * @default Duration.seconds(60)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html
   */
  readonly replicaLagThreshold?: Duration;
  /**
   * Your SNS topics, one ARN per region: every alarm of that region's stack also notifies it.
   * @default - alarms notify the construct's topics only
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArns?: { [region: string]: string };
  /**
   * A writer DNS name that follows the promoted instance, with no Route 53 API call at failover time.
   * @default - no DNS name: clients must be pointed at the promoted instance's endpoint after a promotion (the recovery
   *   estimate is then unbounded)
   */
  readonly writerDnsRecord?: ReplicaWriterDnsRecordOptions;
  /**
   * Time between status polls of the promotion state machine.
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;
  /**
   * Polls before the state machine gives up with `PromotionStuck` (the default gives a promotion an hour).
   * @default 240
   */
  readonly maxPollAttempts?: number;
  /**
   * Retention of the promotion handler's and state machine's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The promotion time you plan for. AWS publishes no figure: "The promotion process can take several minutes or longer
   * to complete, depending on the size of the read replica." Measure yours in a drill and set it here.
   * @default Duration.minutes(15) (typical 5 min)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html
   */
  readonly promotionTime?: Duration;
  /**
   * Objectives the configuration must meet; synthesis fails when the `recoveryEstimate` budget misses one. The RPO is
   * unbounded (asynchronous replication), so `rpo` can never be met.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * Overrides of the figures AWS does not publish that the estimate counts (here: `healthCheckPropagation`, with
   * `writerDnsRecord`).
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/** Everything `RdsCrossRegionReplica` created in one region. */
export interface RdsReplicaRegionResources {
  /** The region. */
  readonly region: string;
  /** Whether this region holds the primary at deployment. */
  readonly isPrimary: boolean;
  /** The region's stack. */
  readonly stack: Stack;
  /** The region's VPC. */
  readonly vpc: ec2.IVpc;
  /** The region's KMS key: instance storage and the alarm topic. */
  readonly encryptionKey: kms.IKey;
  /** The security group of the region's instance: allow your clients on it. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The region's DB instance (the L2's default child in the primary region). */
  readonly cfnInstance: rds.CfnDBInstance;
  /**
   * The L2 instance (primary region only).
   * @default - undefined in replica regions
   */
  readonly instance?: rds.IDatabaseInstance;
  /** `<instanceIdentifier>-<region>`. */
  readonly instanceIdentifier: string;
  /** `arn:<partition>:rds:<region>:<account>:db:<instanceIdentifier>-<region>`. */
  readonly instanceArn: string;
  /** The instance's endpoint address (a token of the region's stack). */
  readonly endpointAddress: string;
  /** The port of every instance (the engine's default). */
  readonly port: number;
  /** The ARN of the master secret in this region (the primary secret, or its replica): a token of the region's stack. */
  readonly secretArn: string;
  /** The name of the region's DB parameter group, `<instanceIdentifier>-<region>`. */
  readonly parameterGroupName: string;
  /** The region's SNS topic for alarms and promotion notifications (KMS-encrypted). */
  readonly alarmTopic: sns.ITopic;
  /** The region's alarms (none in the primary region unless `writerDnsRecord` adds one). */
  readonly alarms: cloudwatch.IAlarm[];
  /** The region's promotion state machine, `<instanceIdentifier>-promote-replica`. */
  readonly stateMachine: sfn.IStateMachine;
  /** The Lambda behind the state machine (and the writer-name watcher). */
  readonly promoteFunction: lambda.IFunction;
}

/** Visits the resources of every region (`RdsCrossRegionReplica.forEachRegion`). */
export interface IRdsReplicaRegionVisitor {
  /** Called once per region, primary first. */
  visitRegion(resources: RdsReplicaRegionResources): void;
}

/**
 * Options of the ARC Region switch steps. A Region switch plan has exactly two Regions.
 * @see https://docs.aws.amazon.com/r53recovery/latest/dg/rds-promote-read-replica-block.html
 */
export interface RegionSwitchStepOptions {
  /**
   * The two Regions of the plan, both regions of this construct.
   * @default - the primary region and the first replica region
   */
  readonly planRegions?: string[];
  /**
   * The step's name.
   * @default - 'promote-<instanceIdentifier>' or 'recreate-replica-<instanceIdentifier>'
   */
  readonly name?: string;
  /**
   * The step's timeout.
   * @default Duration.minutes(60) (Region switch's default)
   */
  readonly timeout?: Duration;
}
