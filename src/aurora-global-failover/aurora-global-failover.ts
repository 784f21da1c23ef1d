import { Duration, Fn, Names, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FailoverOrchestrator } from './orchestrator';
import {
  AuroraGlobalSupport, CheckedEngine, identifierFromUniqueName, partitionOf, validateEngine, validateGlobalClusterIdentifier, validateInstanceType,
  validateInteger, validatePositiveDuration,
} from './support';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { RecoveryEstimate, RecoveryModel, RecoveryObjectives, RecoveryTerm } from '../core/recovery';
import { isHostedZoneId, validateAccount, validateMultiRegionScope, validateRegions } from '../core/regions';

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

/** A CNAME that the orchestrator points at the new writer's cluster endpoint after a switchover or failover. */
export interface WriterDnsRecordOptions {
  /** The hosted zone id of `recordName` (a plain id: no zone object, it would be a cross-stack reference). */
  readonly hostedZoneId: string;
  /** The fully qualified record name, e.g. `writer.db.example.com`. */
  readonly recordName: string;
  /**
   * TTL of the CNAME.
   * @default Duration.seconds(30)
   */
  readonly ttl?: Duration;
}

/** Starting an unplanned failover automatically when the primary region stops replicating. */
export interface AutoFailoverOptions {
  /**
   * The region to fail over to; must be a secondary region. Only this region's stack gets the trigger, so
   * two secondaries never race.
   * @default - the first secondary region (`regions[1]`)
   */
  readonly targetRegion?: string;
  /**
   * Replication lag (`AuroraGlobalDBReplicationLag` of the target) that counts as "the primary is gone";
   * missing data counts too.
   * @default Duration.minutes(1)
   */
  readonly lagThreshold?: Duration;
  /**
   * Consecutive one-minute periods above the threshold before the failover starts.
   * @default 5
   */
  readonly evaluationPeriods?: number;
}

/** Properties of an `AuroraGlobalFailover`. */
export interface AuroraGlobalFailoverProps {
  /** The 12-digit AWS account of every regional stack. */
  readonly account: string;
  /**
   * The regions in priority order: the first is the primary, the others (1 to 5) are secondaries.
   * Every region gets its own stack.
   */
  readonly regions: string[];
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
   * Identifier of the global cluster. Secondary stacks refer to it by this name (no cross-region
   * references), and member clusters are named `<id>-<region>`.
   * @default - derived from the construct path, lower case, at most 48 characters
   */
  readonly globalClusterIdentifier?: string;
  /**
   * VPC per region.
   * @default - a new VPC per region over 2 AZs with isolated subnets only (no NAT gateway) and a flow log
   */
  readonly vpcProvider?: IRegionalVpcProvider;
  /**
   * Subnets for the database in each region's VPC.
   * @default - { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
   */
  readonly databaseSubnets?: ec2.SubnetSelection;
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
   * Deletion protection of the global cluster and of every member cluster.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Automated backup retention of every member cluster.
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;
  /**
   * What happens to clusters, KMS keys and log groups when they leave the stack.
   * @default RemovalPolicy.SNAPSHOT for clusters, RemovalPolicy.RETAIN for KMS keys and log groups
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Alarm threshold of `AuroraGlobalDBReplicationLag` and `AuroraGlobalDBRPOLag` (milliseconds in CloudWatch)
   * per secondary; also the largest lag the orchestrator accepts for a planned switchover. Without
   * `managedRpo` it is the RPO of the recovery estimate.
   * @default Duration.seconds(1)
   */
  readonly replicationLagThreshold?: Duration;
  /**
   * Aurora PostgreSQL managed RPO (`rds.global_db_rpo`, at least 20 s): Aurora holds commits on the primary
   * when no secondary is within this lag, which bounds the data lost by an unplanned failover.
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
   * A CNAME the orchestrator UPSERTs to the new writer's cluster endpoint. The global writer endpoint
   * (`globalWriterEndpoint`) follows the primary without it.
   * @default - no DNS update
   */
  readonly writerDnsRecord?: WriterDnsRecordOptions;
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
   * Start an unplanned failover automatically from an alarm.
   * @default - off: an operator starts the state machine
   */
  readonly autoFailover?: AutoFailoverOptions;
  /**
   * Retention of the orchestrator's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
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
  /** The region's alarms. */
  readonly alarms: cloudwatch.IAlarm[];
  /** The region's failover state machine. */
  readonly stateMachine: sfn.IStateMachine;
  /** The Lambda behind the state machine. */
  readonly orchestratorFunction: lambda.IFunction;
}

/** A regional stack whose AZs resolve at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synth. */
class RegionalStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

/**
 * An Aurora global database over 2 to 6 regions with a failover orchestrator in every region.
 *
 * - One stack per region, created under an App or a Stage. The primary stack holds the
 *   `AWS::RDS::GlobalCluster`, the primary `DatabaseCluster` (writer + readers) and the master secret
 *   (replicated to every secondary region). Each secondary stack holds a `CfnDBCluster` member with
 *   its own KMS key, subnet group and security group, no master credentials, and its instances.
 * - CloudFormation ordering: the global cluster is created first, empty, from `engine`/`engineVersion`
 *   (no `SourceDBClusterIdentifier`); the primary cluster joins it through `GlobalClusterIdentifier`
 *   (a `Ref`, so the primary is created after the global cluster and becomes its writer); secondary stacks
 *   `addDependency` on the primary stack and name the global cluster by its deterministic identifier,
 *   so no cross-region reference exists. Deletion runs in reverse: secondaries, then the primary
 *   (which leaves the global cluster), then the global cluster.
 * - Per region: a Step Functions state machine (planned `switchover` or unplanned `failover` to a region,
 *   with pre-checks, polling, an optional CNAME update and an SNS notification), alarms on replication and
 *   RPO lag per secondary, and an encrypted SNS topic.
 */
export class AuroraGlobalFailover extends Construct {
  /** Every regional stack, primary first. */
  public readonly stacks: Stack[];
  /** The primary region's stack. */
  public readonly primaryStack: Stack;
  /** The primary region. */
  public readonly primaryRegion: string;
  /** The secondary regions. */
  public readonly secondaryRegions: string[];
  /** The global cluster (in the primary stack). */
  public readonly globalCluster: rds.CfnGlobalCluster;
  /** The global cluster identifier. */
  public readonly globalClusterIdentifier: string;
  /**
   * The global writer endpoint (`GlobalEndpoint.Address`): it follows the primary through switchovers and
   * failovers. A token of the primary stack: pass it to apps in that stack, or export it yourself.
   */
  public readonly globalWriterEndpoint: string;
  /** The primary cluster. */
  public readonly primaryCluster: rds.DatabaseCluster;
  /** The master user secret (primary region, replicated to every secondary region). */
  public readonly secret: secretsmanager.ISecret;
  /** Worst-case RTO/RPO of an unplanned failover under this configuration. */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, AuroraGlobalRegionResources>();

  constructor(scope: Construct, id: string, props: AuroraGlobalFailoverProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'AuroraGlobalFailover');
    const account = validateAccount(props.account);
    const regions = validateRegions(props.regions, { min: 2, max: 6, property: 'regions' });
    const [primaryRegion, ...secondaryRegions] = regions;
    this.primaryRegion = primaryRegion;
    this.secondaryRegions = secondaryRegions;

    const engine = props.engine ?? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 });
    const checked = validateEngine(engine);
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
    validateInstanceType(instanceType);
    const instances = validateInteger(props.instancesPerRegion ?? 2, 'instancesPerRegion', 1, 16);
    const lagMs = validatePositiveDuration(props.replicationLagThreshold ?? Duration.seconds(1), 'replicationLagThreshold', 'ms');
    const managedRpoSeconds = this.validateManagedRpo(props.managedRpo, checked);
    const pollInterval = props.pollInterval ?? Duration.seconds(15);
    validatePositiveDuration(pollInterval, 'pollInterval', 's');
    const maxPollAttempts = validateInteger(props.maxPollAttempts ?? 60, 'maxPollAttempts', 1, 1000);
    const backupDays = (props.backupRetention ?? Duration.days(7)).toDays();
    validateInteger(backupDays, 'backupRetention', 1, 35);
    if (props.writerCpuThreshold !== undefined && !(props.writerCpuThreshold > 0 && props.writerCpuThreshold <= 100)) {
      throw new MultiRegionFailoverError(`\`writerCpuThreshold\` must be a percentage above 0 and at most 100, got: ${props.writerCpuThreshold}`);
    }
    if (props.writerConnectionsThreshold !== undefined && !(props.writerConnectionsThreshold > 0)) {
      throw new MultiRegionFailoverError(`\`writerConnectionsThreshold\` must be greater than 0, got: ${props.writerConnectionsThreshold}`);
    }
    const dns = this.validateDns(props.writerDnsRecord);
    const auto = this.validateAutoFailover(props.autoFailover, secondaryRegions);

    this.globalClusterIdentifier = props.globalClusterIdentifier !== undefined
      ? validateGlobalClusterIdentifier(props.globalClusterIdentifier)
      : identifierFromUniqueName(Names.uniqueResourceName(this, { maxLength: 48, separator: '-' }));
    const gid = this.globalClusterIdentifier;
    const clusterIdOf = (region: string) => `${gid}-${region}`;
    const clusterArns: { [region: string]: string } = {};
    for (const region of regions) {
      clusterArns[region] = `arn:${partitionOf(region)}:rds:${region}:${account}:cluster:${clusterIdOf(region)}`;
    }
    const removalPolicy = props.removalPolicy;
    const keyRemoval = removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const deletionProtection = props.deletionProtection ?? true;
    const subnets = props.databaseSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const logExports = checked.isPostgres ? ['postgresql'] : ['error', 'general', 'slowquery', 'audit'];
    const rpoParameters: { [name: string]: string } | undefined = managedRpoSeconds !== undefined
      ? { 'rds.global_db_rpo': String(managedRpoSeconds) } : undefined;

    // ---- stacks
    this.stacks = regions.map((region) => new RegionalStack(this, region, {
      env: { account, region },
      stackName: `${gid}-${region}`,
      description: `Aurora global database ${gid}: ${region === primaryRegion ? 'primary' : 'secondary'} region ${region} (cdk-multi-region-failover)`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'secondary clusters join the global cluster created in the primary stack');
    }

    // ---- per-region basics: VPC, key, topic
    const base = regions.map((region, i) => {
      const stack = this.stacks[i];
      const vpc = props.vpcProvider ? props.vpcProvider.vpcForRegion(stack, region) : defaultVpc(stack, keyRemoval);
      const key = new kms.Key(stack, 'Key', {
        description: `Aurora global database ${gid} in ${region}: cluster storage and alarm topic`,
        enableKeyRotation: true,
        removalPolicy: keyRemoval,
        pendingWindow: keyRemoval === RemovalPolicy.DESTROY ? Duration.days(7) : undefined,
      });
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }));
      const topic = new sns.Topic(stack, 'AlarmTopic', {
        displayName: `Aurora global database ${gid} (${region})`,
        masterKey: key,
        enforceSSL: true,
      });
      return { region, stack, vpc, key, topic };
    });

    // ---- primary: secret, global cluster, primary cluster
    const p = base[0];
    const secret = new rds.DatabaseSecret(p.stack, 'Secret', {
      username: props.masterUsername ?? 'clusteradmin',
      replicaRegions: secondaryRegions.map((region) => ({ region })),
    });
    this.secret = secret;
    NagSuppressions.addResourceSuppressions(secret, [{
      id: 'AwsSolutions-SMG4',
      reason: 'Master secret of a global database, replicated to every secondary region for break-glass access; applications use IAM database authentication. Add rotation with `primaryCluster.addRotationSingleUser()` once the VPC has a Secrets Manager endpoint.',
    }]);

    this.globalCluster = new rds.CfnGlobalCluster(p.stack, 'GlobalCluster', {
      globalClusterIdentifier: gid,
      engine: checked.engineType,
      engineVersion: checked.fullVersion,
      storageEncrypted: true,
      deletionProtection,
    });
    this.globalWriterEndpoint = Token.asString(this.globalCluster.getAtt('GlobalEndpoint.Address'));

    const instanceName = (n: number) => (n === 0 ? 'Writer' : `Reader${n}`);
    const primaryCluster = new rds.DatabaseCluster(p.stack, 'Cluster', {
      engine,
      clusterIdentifier: clusterIdOf(primaryRegion),
      credentials: rds.Credentials.fromSecret(secret),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType, publiclyAccessible: false }),
      readers: Array.from({ length: instances - 1 }, (_, n) =>
        rds.ClusterInstance.provisioned(instanceName(n + 1), { instanceType, publiclyAccessible: false })),
      vpc: p.vpc,
      vpcSubnets: subnets,
      storageEncrypted: true,
      storageEncryptionKey: p.key,
      deletionProtection,
      backup: { retention: Duration.days(backupDays) },
      iamAuthentication: true,
      cloudwatchLogsExports: logExports,
      defaultDatabaseName: props.defaultDatabaseName,
      parameters: rpoParameters,
      removalPolicy: removalPolicy ?? RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
    });
    this.primaryCluster = primaryCluster;
    const primaryCfn = primaryCluster.node.defaultChild as rds.CfnDBCluster;
    // Escape hatch: no L2 prop joins a global cluster. The Ref also orders the primary after the global cluster.
    primaryCfn.globalClusterIdentifier = this.globalCluster.ref;
    this.suppressClusterFindings(primaryCluster, checked);

    // ---- per region: member cluster (secondaries), alarms, orchestrator
    base.forEach(({ region, stack, vpc, key, topic }, i) => {
      const isPrimary = i === 0;
      let cfnCluster: rds.CfnDBCluster;
      let securityGroup: ec2.ISecurityGroup;
      if (isPrimary) {
        cfnCluster = primaryCfn;
        securityGroup = primaryCluster.connections.securityGroups[0];
      } else {
        const sg = new ec2.SecurityGroup(stack, 'ClusterSecurityGroup', {
          vpc,
          description: `Aurora global database ${gid} secondary cluster in ${region}`,
          allowAllOutbound: false,
        });
        securityGroup = sg;
        const subnetGroup = new rds.CfnDBSubnetGroup(stack, 'SubnetGroup', {
          dbSubnetGroupDescription: `Aurora global database ${gid} in ${region}`,
          subnetIds: vpc.selectSubnets(subnets).subnetIds,
        });
        let parameterGroupName: string | undefined;
        if (rpoParameters) {
          parameterGroupName = new rds.CfnDBClusterParameterGroup(stack, 'ClusterParameters', {
            description: `Aurora global database ${gid}: managed RPO`,
            family: engine.parameterGroupFamily!,
            parameters: rpoParameters,
          }).ref;
        }
        cfnCluster = new rds.CfnDBCluster(stack, 'Cluster', {
          dbClusterIdentifier: clusterIdOf(region),
          globalClusterIdentifier: gid,
          engine: checked.engineType,
          engineVersion: checked.fullVersion,
          dbSubnetGroupName: subnetGroup.ref,
          vpcSecurityGroupIds: [sg.securityGroupId],
          storageEncrypted: true,
          kmsKeyId: key.keyArn,
          deletionProtection,
          backupRetentionPeriod: backupDays,
          enableIamDatabaseAuthentication: true,
          enableCloudwatchLogsExports: logExports,
          dbClusterParameterGroupName: parameterGroupName,
          copyTagsToSnapshot: true,
        });
        cfnCluster.applyRemovalPolicy(removalPolicy ?? RemovalPolicy.SNAPSHOT);
        for (let n = 0; n < instances; n++) {
          const instance = new rds.CfnDBInstance(stack, `Instance${n + 1}`, {
            dbClusterIdentifier: cfnCluster.ref,
            engine: checked.engineType,
            dbInstanceClass: `db.${instanceType.toString()}`,
            publiclyAccessible: false,
          });
          instance.applyRemovalPolicy(removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        }
        this.suppressClusterFindings(cfnCluster, checked);
      }

      const alarms = this.createAlarms(stack, region, clusterIdOf(region), isPrimary, checked, lagMs, props, topic);

      const orchestrator = new FailoverOrchestrator(stack, 'Orchestrator', {
        region,
        account,
        globalClusterIdentifier: gid,
        clusterArns,
        topic,
        topicKey: key,
        maxReplicationLagMs: lagMs,
        stateMachineName: `${gid}-failover`,
        pollInterval,
        maxPollAttempts,
        dns,
        logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        removalPolicy: keyRemoval,
      });

      if (auto && auto.targetRegion === region) {
        alarms.push(this.createAutoFailover(stack, region, clusterIdOf(region), auto, orchestrator.stateMachine, topic));
      }

      this.byRegion.set(region, {
        region,
        isPrimary,
        stack,
        vpc,
        encryptionKey: key,
        securityGroup,
        cfnCluster,
        clusterIdentifier: clusterIdOf(region),
        clusterArn: clusterArns[region],
        cluster: isPrimary ? primaryCluster : undefined,
        alarmTopic: topic,
        alarms,
        stateMachine: orchestrator.stateMachine,
        orchestratorFunction: orchestrator.handler,
      });
    });

    // ---- recovery estimate
    this.recoveryEstimate = estimate({ lagMs, managedRpoSeconds, pollInterval, dnsTtl: dns?.ttl, auto });
    RecoveryModel.enforce('AuroraGlobalFailover', this.recoveryEstimate, props.recoveryObjectives,
      ['`autoFailover.evaluationPeriods`', '`pollInterval`', '`writerDnsRecord.ttl`'],
      ['`managedRpo`', '`replicationLagThreshold`']);
  }

  /** The resources of `region`. */
  public regionalResources(region: string): AuroraGlobalRegionResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this global database (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return r;
  }

  private validateManagedRpo(rpo: Duration | undefined, engine: CheckedEngine): number | undefined {
    if (rpo === undefined) {
      return undefined;
    }
    if (!engine.isPostgres) {
      throw new MultiRegionFailoverError(`\`managedRpo\` is only supported by Aurora PostgreSQL, got engine: ${engine.engineType}`);
    }
    const seconds = validatePositiveDuration(rpo, 'managedRpo', 's');
    const min = AuroraGlobalSupport.MIN_MANAGED_RPO.toSeconds();
    if (seconds < min || !Number.isInteger(seconds)) {
      throw new MultiRegionFailoverError(`\`managedRpo\` must be a whole number of seconds of at least ${min}, got: ${seconds} s`);
    }
    return seconds;
  }

  private validateDns(options: WriterDnsRecordOptions | undefined) {
    if (!options) {
      return undefined;
    }
    if (!isHostedZoneId(options.hostedZoneId)) {
      throw new MultiRegionFailoverError(`\`writerDnsRecord.hostedZoneId\` must be a concrete Route 53 hosted zone id (Z...), got: ${options.hostedZoneId}`);
    }
    const name = options.recordName.replace(/\.$/, '');
    if (Token.isUnresolved(name) || !/^(?:[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9-]{2,63}$/.test(name)) {
      throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be a concrete fully qualified domain name, got: ${options.recordName}`);
    }
    const ttl = validatePositiveDuration(options.ttl ?? Duration.seconds(30), 'writerDnsRecord.ttl', 's');
    return { hostedZoneId: options.hostedZoneId, recordName: name, ttl };
  }

  private validateAutoFailover(options: AutoFailoverOptions | undefined, secondaries: string[]) {
    if (!options) {
      return undefined;
    }
    const targetRegion = options.targetRegion ?? secondaries[0];
    if (!secondaries.includes(targetRegion)) {
      throw new MultiRegionFailoverError(`\`autoFailover.targetRegion\` must be one of the secondary regions (${secondaries.join(', ')}), got: ${targetRegion}`);
    }
    const lagThresholdMs = validatePositiveDuration(options.lagThreshold ?? Duration.minutes(1), 'autoFailover.lagThreshold', 'ms');
    const evaluationPeriods = validateInteger(options.evaluationPeriods ?? 5, 'autoFailover.evaluationPeriods', 1, 60);
    return { targetRegion, lagThresholdMs, evaluationPeriods };
  }

  private createAlarms(stack: Stack, region: string, clusterId: string, isPrimary: boolean, engine: CheckedEngine, lagMs: number,
    props: AuroraGlobalFailoverProps, topic: sns.ITopic): cloudwatch.IAlarm[] {
    const alarms: cloudwatch.Alarm[] = [];
    const metric = (metricName: string, dimensions: { [name: string]: string }, statistic = 'Maximum') => new cloudwatch.Metric({
      namespace: 'AWS/RDS', metricName, dimensionsMap: dimensions, statistic, period: Duration.minutes(1),
    });
    if (!isPrimary) {
      alarms.push(new cloudwatch.Alarm(stack, 'ReplicationLagAlarm', {
        alarmDescription: `AuroraGlobalDBReplicationLag of ${clusterId} above ${lagMs} ms: the secondary ${region} lags the primary`,
        metric: metric('AuroraGlobalDBReplicationLag', { DBClusterIdentifier: clusterId }),
        threshold: lagMs,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    // AuroraGlobalDBRPOLag is emitted by Aurora PostgreSQL secondaries only.
    if (!isPrimary && engine.isPostgres) {
      alarms.push(new cloudwatch.Alarm(stack, 'RpoLagAlarm', {
        alarmDescription: `AuroraGlobalDBRPOLag of ${clusterId} above ${lagMs} ms: an unplanned failover to ${region} would lose more than that`,
        metric: metric('AuroraGlobalDBRPOLag', { DBClusterIdentifier: clusterId }),
        threshold: lagMs,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    if (props.writerCpuThreshold !== undefined) {
      alarms.push(new cloudwatch.Alarm(stack, 'WriterCpuAlarm', {
        alarmDescription: `Writer CPU of ${clusterId} above ${props.writerCpuThreshold} % (data only while ${region} is the primary)`,
        metric: metric('CPUUtilization', { DBClusterIdentifier: clusterId, Role: 'WRITER' }, 'Average'),
        threshold: props.writerCpuThreshold,
        evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    if (props.writerConnectionsThreshold !== undefined) {
      alarms.push(new cloudwatch.Alarm(stack, 'WriterConnectionsAlarm', {
        alarmDescription: `Writer connections of ${clusterId} above ${props.writerConnectionsThreshold} (data only while ${region} is the primary)`,
        metric: metric('DatabaseConnections', { DBClusterIdentifier: clusterId, Role: 'WRITER' }),
        threshold: props.writerConnectionsThreshold,
        evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    const action = new cw_actions.SnsAction(topic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarms;
  }

  private createAutoFailover(stack: Stack, region: string, clusterId: string,
    auto: { targetRegion: string; lagThresholdMs: number; evaluationPeriods: number }, stateMachine: sfn.IStateMachine,
    topic: sns.ITopic): cloudwatch.IAlarm {
    const alarm = new cloudwatch.Alarm(stack, 'PrimaryLostAlarm', {
      alarmDescription: `The primary stopped replicating to ${region} (AuroraGlobalDBReplicationLag of ${clusterId} above ${auto.lagThresholdMs} ms or missing for ${auto.evaluationPeriods} min): starts an unplanned failover to ${region}`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName: 'AuroraGlobalDBReplicationLag',
        dimensionsMap: { DBClusterIdentifier: clusterId },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: auto.lagThresholdMs,
      evaluationPeriods: auto.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm.addAlarmAction(new cw_actions.SnsAction(topic));
    new events.Rule(stack, 'AutoFailoverRule', {
      description: `Starts an unplanned failover of the Aurora global database to ${region} when ${alarm.node.id} goes to ALARM`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [alarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [new targets.SfnStateMachine(stateMachine, {
        input: events.RuleTargetInput.fromObject({ mode: 'failover', targetRegion: region }),
      })],
    });
    return alarm;
  }

  private suppressClusterFindings(cluster: Construct, engine: CheckedEngine): void {
    NagSuppressions.addResourceSuppressions(cluster, [
      { id: 'AwsSolutions-RDS11', reason: 'The engine\'s default port is kept so clients and IAM auth tokens work unchanged after a failover; the cluster is only reachable from its security group in isolated subnets' },
      ...(engine.isPostgres ? [] : [{ id: 'AwsSolutions-RDS14', reason: 'Aurora global databases do not support Backtrack' }]),
    ], true);
  }
}

function defaultVpc(stack: Stack, removalPolicy: RemovalPolicy): ec2.IVpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const flowLogs = new logs.LogGroup(stack, 'VpcFlowLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  return vpc;
}

/** Seconds a pre-check and the switchover/failover call take before Aurora starts promoting (assumption). */
const ORCHESTRATION_OVERHEAD = Duration.seconds(10);
/** Time Aurora takes to promote a secondary (AWS: "about a minute"). */
const PROMOTION = Duration.minutes(1);

function estimate(input: {
  lagMs: number;
  managedRpoSeconds?: number;
  pollInterval: Duration;
  dnsTtl?: number;
  auto?: { lagThresholdMs: number; evaluationPeriods: number };
}): RecoveryEstimate {
  const detection: RecoveryTerm[] = input.auto
    ? [{ label: `primary-lost alarm (60 s × ${input.auto.evaluationPeriods})`, duration: Duration.seconds(60 * input.auto.evaluationPeriods), setting: '`autoFailover.evaluationPeriods`' }]
    : [{ label: 'manual start (operator time not counted)', duration: Duration.seconds(0), setting: '`autoFailover`' }];
  const propagation: RecoveryTerm[] = [
    { label: 'pre-checks and API call', duration: ORCHESTRATION_OVERHEAD },
    { label: 'Aurora promotion', duration: PROMOTION },
    { label: 'status poll interval', duration: input.pollInterval, setting: '`pollInterval`' },
  ];
  if (input.dnsTtl !== undefined) {
    propagation.push({ label: 'writer CNAME TTL', duration: Duration.seconds(input.dnsTtl), setting: '`writerDnsRecord.ttl`' });
  }
  const rpo = input.managedRpoSeconds !== undefined ? Duration.seconds(input.managedRpoSeconds) : Duration.millis(input.lagMs);
  const rpoNote = input.managedRpoSeconds !== undefined ? 'managed RPO (enforced by Aurora)' : 'replication lag alarm threshold (alarmed, not enforced)';
  return RecoveryModel.estimate({
    summary: `Aurora global failover (${input.auto ? 'automatic' : 'manual'}; RPO = ${rpoNote})`,
    detection,
    propagation,
    rpo,
    rpoSetting: input.managedRpoSeconds !== undefined ? '`managedRpo`' : '`replicationLagThreshold`',
  });
}
