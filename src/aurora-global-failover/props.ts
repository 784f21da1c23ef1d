import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RecoveryAssumptions, RecoveryObjectives } from '../core/recovery';
import { AuroraGlobalBehavior } from '../region-switch-plan/props';

/**
 * What fails the global database over: this library's Step Functions orchestrator (one per region) or an ARC Region switch
 * plan. See the README's comparison ("Step Functions orchestrator or Region switch plan").
 */
export enum AuroraOrchestration {
  /** A state machine `<globalClusterIdentifier>-failover` and its function in every region (2 to 6 regions). */
  STEP_FUNCTIONS = 'STEP_FUNCTIONS',
  /**
   * An ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`) with an Aurora global database step: exactly 2 regions, no
   * state machine. Executions run on the data plane of the region being activated.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html
   */
  REGION_SWITCH = 'REGION_SWITCH',
}

/** The Region switch plan of `orchestration: AuroraOrchestration.REGION_SWITCH`. */
export interface AuroraRegionSwitchOptions {
  /**
   * The plan's name (1 to 32 letters, digits and hyphens).
   * @default - the global cluster identifier (set this when it is longer than 32 characters)
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html
   */
  readonly planName?: string;
  /**
   * What a graceful execution calls. An ungraceful execution always fails over (`FailoverGlobalCluster` with
   * `AllowDataLoss`). With `autoFailover` it must be `FAILOVER`: AWS does not document in which mode a trigger executes.
   * @default - AuroraGlobalBehavior.SWITCHOVER_ONLY; AuroraGlobalBehavior.FAILOVER with `autoFailover`
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html
   */
  readonly behavior?: AuroraGlobalBehavior;
  /**
   * How long Region switch waits for the Aurora step (whole minutes).
   * @default Duration.minutes(60) (Region switch's default)
   */
  readonly timeout?: Duration;
  /**
   * With `autoFailover`: the least time between two executions the trigger starts (whole minutes).
   * @default Duration.minutes(60)
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html
   */
  readonly minDelayBetweenExecutions?: Duration;
}

/**
 * Supplies the VPC of each region. Implement it to bring your own VPCs: `vpcForRegion` is called once per
 * region with a scope inside that region's stack, so you can import (`Vpc.fromVpcAttributes`) or create the
 * VPC there. Do not return a VPC defined in another stack of another region.
 */
export interface IRegionalVpcProvider {
  /**
   * The VPC for `region`; the database subnets are selected with `databaseSubnets`.
   * @param scope a construct inside the stack of `region`
   * @param region the region
   */
  vpcForRegion(scope: Construct, region: string): ec2.IVpc;
}

/**
 * A CNAME to the global writer endpoint, created once in the primary stack. Aurora moves the global writer
 * endpoint to the new primary on a switchover or failover, so the record never changes and a failover needs no
 * Route 53 call.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
 */
export interface WriterDnsRecordOptions {
  /**
   * The hosted zone id of `recordName` (a plain id: no zone object, it would be a cross-stack reference), e.g.
   * `zone.hostedZoneId` of a `HostedZone.fromLookup`: while the CDK CLI has not looked the zone up yet, its placeholder
   * is accepted.
   */
  readonly hostedZoneId: string;
  /**
   * The name of the hosted zone, e.g. `example.com` (`zone.zoneName`): `recordName` must then be a name inside it, not
   * the zone name itself (the record is a CNAME, which cannot be at the zone apex).
   * @default - `recordName` is not checked against the zone
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   */
  readonly zoneName?: string;
  /**
   * The fully qualified record name, e.g. `writer.db.example.com`: a host name (clients connect to it). Without
   * `globalClusterIdentifier` the identifier is derived from it.
   */
  readonly recordName: string;
  /**
   * TTL of the CNAME, 0 to 172800 s. The CNAME's target never changes, so this TTL is not part of the recovery time;
   * what clients cache of the global writer endpoint itself is.
   * @default Duration.seconds(30)
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
   */
  readonly ttl?: Duration;
}

/**
 * Starting an unplanned failover (`FailoverGlobalCluster` with `AllowDataLoss`) automatically, in one secondary
 * region, when two independent signals agree that the primary is gone: your `primaryHealthAlarmArn` is in ALARM,
 * and the target's replication lag stays above `lagThreshold` or stops being reported. Missing lag data alone
 * never starts a failover; it notifies the region's topic.
 */
export interface AutoFailoverOptions {
  /**
   * The region to fail over to; must be a secondary region. Only this region's stack gets the trigger, so
   * two secondaries never race.
   * @default - the first secondary region (`regions[1]`)
   */
  readonly targetRegion?: string;
  /**
   * ARN of a CloudWatch alarm **in the target region** (and this account) that is in ALARM when the primary
   * region's service is down, measured from outside the primary region: for example the alarm of a CloudWatch
   * Synthetics canary that runs in the target region and probes your application's health endpoint in the primary
   * region, with `treatMissingData` not breaching. It must live in the target region so that it still works when
   * the primary region is gone (a CloudWatch alarm only reads metrics of its own region).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html
   */
  readonly primaryHealthAlarmArn: string;
  /**
   * Replication lag (`AuroraGlobalDBReplicationLag` of the target) that counts as "the primary stopped
   * replicating". Missing data never counts.
   * @default Duration.minutes(1)
   */
  readonly lagThreshold?: Duration;
  /**
   * Consecutive one-minute periods above the threshold before the replication-stalled alarm fires.
   * @default 5
   */
  readonly evaluationPeriods?: number;
}

/**
 * The database settings every regional stack of an Aurora global database shares: `AuroraGlobalFailover` passes its own
 * values to each `AuroraGlobalPrimaryStack` and `AuroraGlobalSecondaryStack`, so that every member runs the same configuration.
 */
export interface AuroraGlobalDatabaseOptions {
  /**
   * The Aurora engine and version; every member runs it.
   * @default rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 })
   * @see AuroraGlobalSupport for the accepted major versions
   */
  readonly engine?: rds.IClusterEngine;
  /**
   * Instance class of every DB instance (memory-optimized: burstable `t` classes do not support global databases).
   * @default ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE)
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * DB instances per region: the primary gets a writer and `instancesPerRegion - 1` readers, each secondary
   * `instancesPerRegion` readers (one becomes the writer when the region is promoted).
   * @default 2
   */
  readonly instancesPerRegion?: number;
  /**
   * In the VPCs the construct creates (not in yours), the endpoints a function in the isolated subnets needs without a
   * NAT gateway: a DynamoDB gateway endpoint on the isolated route tables (no charge) and a Secrets Manager interface
   * endpoint with private DNS, whose security group allows HTTPS from the VPC only. The interface endpoint is billed per
   * hour in each of the 2 AZs (about 0.01 USD per AZ-hour in us-east-1, ~15 USD/month per region) plus data processed.
   * @default true
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html
   * @see https://aws.amazon.com/privatelink/pricing/
   */
  readonly clientEndpoints?: boolean;
  /**
   * Subnets for the database in each region's VPC.
   * @default - { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
   */
  readonly databaseSubnets?: ec2.SubnetSelection;
  /**
   * Deletion protection of the global cluster and of every member cluster. It must be false with
   * `removalPolicy: RemovalPolicy.DESTROY`: CloudFormation cannot delete a protected cluster.
   * @default - true, or false when `removalPolicy` is `RemovalPolicy.DESTROY`
   */
  readonly deletionProtection?: boolean;
  /**
   * Automated backup retention of every member cluster.
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;
  /**
   * What happens to clusters, KMS keys and log groups when they leave the stack. `RemovalPolicy.DESTROY` deletes
   * all of them (and turns deletion protection off by default).
   * @default RemovalPolicy.SNAPSHOT for clusters, RemovalPolicy.RETAIN for KMS keys and log groups
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Alarm threshold of `AuroraGlobalDBReplicationLag` and `AuroraGlobalDBRPOLag` (milliseconds in CloudWatch)
   * per secondary; also the largest lag the orchestrator accepts for a planned switchover. It warns, it does not
   * bound the RPO (see `managedRpo`).
   * @default Duration.seconds(1)
   */
  readonly replicationLagThreshold?: Duration;
  /**
   * Aurora PostgreSQL managed RPO (`rds.global_db_rpo`, at least 20 s): Aurora holds commits on the primary
   * when no secondary is within this lag, which bounds the data lost by an unplanned failover. With 2 regions it is
   * set on the primary only: AWS advises keeping the default on the secondary of a two-Region global database,
   * because a failover after losing the primary region could otherwise pause transactions (a synth warning says so).
   * @default - not set (the RPO is only alarmed, not enforced)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery
   */
  readonly managedRpo?: Duration;
  /**
   * Alarm when the writer's CPU utilization (percent) exceeds this, in every region (only the current writer emits data).
   * @default - no CPU alarm
   */
  readonly writerCpuThreshold?: number;
  /**
   * Alarm when the writer's `DatabaseConnections` exceeds this, in every region.
   * @default - no connections alarm
   */
  readonly writerConnectionsThreshold?: number;
  /**
   * What fails the database over: the Step Functions orchestrator in every region, or (exactly 2 regions) an ARC Region
   * switch plan, which `AuroraGlobalFailover` creates in the secondary region's stack. With `REGION_SWITCH` a regional
   * stack builds no orchestrator, and `pollInterval`, `maxPollAttempts` and `logRetention` are refused.
   * @default AuroraOrchestration.STEP_FUNCTIONS
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch.html
   */
  readonly orchestration?: AuroraOrchestration;
  /**
   * Time between status polls of the orchestrator.
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;
  /**
   * Polls before the orchestrator gives up with `GlobalClusterStuck`.
   * @default 60
   */
  readonly maxPollAttempts?: number;
  /**
   * Retention of the orchestrator's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** What only the primary region's stack of an Aurora global database creates: the master secret, the first database, the writer CNAME. */
export interface AuroraGlobalPrimaryOptions {
  /**
   * Master user name; the password is generated into a Secrets Manager secret replicated to every secondary region.
   * @default 'clusteradmin'
   */
  readonly masterUsername?: string;
  /**
   * Name of a database created in the primary.
   * @default - none
   */
  readonly defaultDatabaseName?: string;
  /**
   * A CNAME to the global writer endpoint (`globalWriterEndpoint`), created in the primary stack.
   * @default - no DNS record
   */
  readonly writerDnsRecord?: WriterDnsRecordOptions;
}

/** Properties of an `AuroraGlobalFailover`. */
export interface AuroraGlobalFailoverProps extends AuroraGlobalDatabaseOptions, AuroraGlobalPrimaryOptions {
  /**
   * The 12-digit AWS account of every regional stack. Under a Stage with an account, leave it out or give the same one.
   * @default - the enclosing Stage's account, else CDK_DEFAULT_ACCOUNT
   */
  readonly account?: string;
  /**
   * The regions in priority order: the first is the primary, the others (1 to 5) are secondaries.
   * Every region gets its own stack.
   */
  readonly regions: string[];
  /**
   * Identifier of the global cluster. Secondary stacks refer to it by this name (no cross-region
   * references), and member clusters are named `<id>-<region>`. Renaming it replaces every cluster: set it, or
   * `writerDnsRecord`, so that moving the construct into a Stage or renaming its id keeps the name.
   * RDS identifiers: letters, digits and hyphens, a letter first, no two consecutive hyphens, no hyphen at the end; at
   * most 48 characters here so that `<id>-<region>` fits the 63 of a cluster identifier.
   * @default - from `writerDnsRecord.recordName` (`writer.db.example.com` → `writer-db-example-com`), else derived
   *   from the construct path (with a synth warning: the name then changes when the construct moves)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   */
  readonly globalClusterIdentifier?: string;
  /**
   * Prefix of the regional stacks' names, `<prefix>-db-<region>` (the scheme of every construct of this library).
   * @default - the global cluster identifier
   */
  readonly stackNamePrefix?: string;
  /**
   * VPC per region. The construct exposes the VPCs as `vpcProvider` for your functions (e.g. `MultiRegionApi`'s
   * `handler.vpcProvider`). With your own VPCs the construct creates no VPC endpoints: your VPC, your endpoints.
   * @default - a new VPC per region over 2 AZs with isolated subnets only (no NAT gateway), a flow log and the
   *   `clientEndpoints`
   */
  readonly vpcProvider?: IRegionalVpcProvider;
  /**
   * Your SNS topics, one ARN per region (plain ARNs, imported in each regional stack): every alarm of that region's
   * stack, including the automatic-failover composite alarm, also notifies it. The construct's own encrypted topic
   * stays (the orchestrator publishes to it). A CloudWatch alarm notifies topics of its own region.
   * @default - alarms notify the construct's topics only
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArns?: { [region: string]: string };
  /**
   * Start an unplanned failover automatically when your independent primary-health alarm says the primary is down
   * AND replication to the target has stalled or stopped reporting. With `REGION_SWITCH` the same composite alarm is the
   * plan's trigger.
   * @default - off: an operator starts the state machine (or executes the plan)
   */
  readonly autoFailover?: AutoFailoverOptions;
  /**
   * The Region switch plan, with `orchestration: AuroraOrchestration.REGION_SWITCH` only.
   * @default - plan named after the global cluster, switchover when graceful, failover when ungraceful, 60 min timeout
   */
  readonly regionSwitch?: AuroraRegionSwitchOptions;
  /**
   * Objectives the configuration must meet; synthesis fails when the `recoveryEstimate` budget misses one.
   * `rpo` can only be met with `managedRpo`.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * Overrides of the figures AWS does not publish that the recovery estimate counts (here: `auroraPromotion`).
   * @default - the defaults of `RecoveryAssumptions` (Aurora promotion: 5 min budget, 2 min typical)
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/** Everything `AuroraGlobalFailover` created in one region. */
export interface AuroraGlobalRegionResources {
  /** The region. */
  readonly region: string;
  /** Whether this region is the primary at deployment. */
  readonly isPrimary: boolean;
  /** The region's stack. */
  readonly stack: Stack;
  /** The region's VPC. */
  readonly vpc: ec2.IVpc;
  /** The region's KMS key: cluster storage and the alarm topic. */
  readonly encryptionKey: kms.IKey;
  /** The security group of the region's cluster: allow your clients on it. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The region's member cluster. */
  readonly cfnCluster: rds.CfnDBCluster;
  /** The member cluster's identifier, `<global id>-<region>`. */
  readonly clusterIdentifier: string;
  /** The member cluster's ARN. */
  readonly clusterArn: string;
  /**
   * The L2 cluster (primary region only).
   * @default - undefined in secondary regions
   */
  readonly cluster?: rds.IDatabaseCluster;
  /** The region's SNS topic for alarms and orchestrator notifications (KMS-encrypted). */
  readonly alarmTopic: sns.ITopic;
  /** The region's alarms (with `autoFailover`, the target region's also holds the composite trigger alarm). */
  readonly alarms: cloudwatch.IAlarm[];
  /**
   * The region's failover state machine.
   * @default - none with `orchestration: AuroraOrchestration.REGION_SWITCH`
   */
  readonly stateMachine?: sfn.IStateMachine;
  /** The ARN of the master secret in this region (the primary secret, or its replica): a token of the region's stack. */
  readonly secretArn: string;
  /** The reader endpoint of the region's cluster: a token of the region's stack. */
  readonly readerEndpoint: string;
  /** The port of every member cluster (the engine's default port). */
  readonly port: number;
  /**
   * The Lambda behind the state machine.
   * @default - none with `orchestration: AuroraOrchestration.REGION_SWITCH`
   */
  readonly orchestratorFunction?: lambda.IFunction;
}

/**
 * Visits the resources of every region (`AuroraGlobalFailover.forEachRegion`): apply the same customization to all
 * regions so that they do not drift apart.
 */
export interface IAuroraRegionVisitor {
  /** Called once per region, primary first. */
  visitRegion(resources: AuroraGlobalRegionResources): void;
}
