import { Annotations, Duration, Fn, Names, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAutoFailoverTrigger, createRegionAlarms } from './alarms';
import { auroraEstimate } from './estimate';
import { createSecondaryMember, suppressClusterFindings } from './members';
import { FailoverOrchestrator } from './orchestrator';
import { AuroraGlobalFailoverProps, AuroraGlobalRegionResources } from './props';
import {
  CheckedEngine, identifierFromUniqueName, partitionOf, validateEngine, validateGlobalClusterIdentifier, validateInstanceType, validateInteger,
  validatePositiveDuration,
} from './support';
import { CheckedAutoFailover, CheckedDns, resolveDeletionProtection, validateAutoFailover, validateDns, validateManagedRpo } from './validation';
import { GlobalWriterEndpoint } from './writer-endpoint';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { RecoveryEstimate, RecoveryModel } from '../core/recovery';
import { validateAccount, validateMultiRegionScope, validateRegions } from '../core/regions';

/** A regional stack whose AZs resolve at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synth. */
class RegionalStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

/** Checked configuration shared by every region. */
interface Settings {
  readonly account: string;
  readonly gid: string;
  readonly engine: rds.IClusterEngine;
  readonly checked: CheckedEngine;
  readonly instanceType: ec2.InstanceType;
  readonly instances: number;
  readonly lagMs: number;
  readonly managedRpoSeconds?: number;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly backupDays: number;
  readonly dns?: CheckedDns;
  readonly auto?: CheckedAutoFailover;
  readonly removalPolicy?: RemovalPolicy;
  /** Removal policy of keys and log groups: DESTROY only when asked, else RETAIN. */
  readonly keyRemoval: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly subnets: ec2.SubnetSelection;
  readonly logExports: string[];
  readonly clusterArns: { [region: string]: string };
}

/** The per-region basics every region gets before its cluster. */
interface RegionBase {
  readonly region: string;
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  readonly key: kms.Key;
  readonly topic: sns.Topic;
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
 *   with pre-checks, polling until the target is the writer and available, and an SNS notification), alarms on
 *   replication and RPO lag per secondary, and an encrypted SNS topic.
 * - Optional: a CNAME to the global writer endpoint (which Aurora moves with the primary), and an automatic
 *   failover in one secondary when an independent primary-health alarm fires AND replication stalled or went silent.
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
  /** The primary cluster. */
  public readonly primaryCluster: rds.DatabaseCluster;
  /** The master user secret (primary region, replicated to every secondary region). */
  public readonly secret: secretsmanager.ISecret;
  /**
   * Recovery estimate of an unplanned failover under this configuration: `rto` is the budget (worst case under
   * the stated assumptions), `typicalRto` the typical figure; `rpo` is set only with `managedRpo`.
   */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, AuroraGlobalRegionResources>();
  private writerEndpoint?: GlobalWriterEndpoint;

  constructor(scope: Construct, id: string, props: AuroraGlobalFailoverProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'AuroraGlobalFailover');
    const regions = validateRegions(props.regions, { min: 2, max: 6, property: 'regions' });
    const [primaryRegion, ...secondaryRegions] = regions;
    this.primaryRegion = primaryRegion;
    this.secondaryRegions = secondaryRegions;
    const s = this.settings(props, regions);
    this.globalClusterIdentifier = s.gid;

    this.stacks = regions.map((region) => new RegionalStack(this, region, {
      env: { account: s.account, region },
      stackName: `${s.gid}-${region}`,
      description: `Aurora global database ${s.gid}: ${region === primaryRegion ? 'primary' : 'secondary'} region ${region} (cdk-multi-region-failover)`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'secondary clusters join the global cluster created in the primary stack');
    }
    const base = regions.map((region, i) => this.createRegionBase(this.stacks[i], region, s, props));

    // ---- primary: secret, global cluster, primary cluster
    const { secret, globalCluster, primaryCluster } = this.createPrimary(base[0], s, props);
    this.secret = secret;
    this.globalCluster = globalCluster;
    this.primaryCluster = primaryCluster;
    if (s.dns) {
      this.globalWriterEndpointReader().addCname(s.dns);
    }

    // ---- per region: member cluster (secondaries), alarms, orchestrator
    base.forEach((b, i) => this.createRegion(b, i === 0, s, props));

    // ---- recovery estimate
    this.recoveryEstimate = auroraEstimate({
      primaryRegion,
      secondaryRegions,
      isPostgres: s.checked.isPostgres,
      lagMs: s.lagMs,
      managedRpoSeconds: s.managedRpoSeconds,
      pollInterval: s.pollInterval,
      auto: s.auto,
      assumptions: props.recoveryAssumptions,
    });
    RecoveryModel.enforce('AuroraGlobalFailover', this.recoveryEstimate, props.recoveryObjectives,
      ['`recoveryAssumptions.auroraPromotion` (with your measured figure)', '`autoFailover.evaluationPeriods`', '`pollInterval`'],
      s.checked.isPostgres ? ['`managedRpo` (Aurora PostgreSQL, at least 20 s)'] : []);
  }

  /**
   * The global writer endpoint: it always points at the writer of the current primary cluster, through switchovers
   * and failovers. Read at deploy time with `DescribeGlobalClusters` (CloudFormation exposes no attribute for it),
   * so reading this property adds that reader to the primary stack. A token of the primary stack: pass it to apps
   * in that stack, or use `writerDnsRecord` for a name you can use anywhere.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
   */
  public get globalWriterEndpoint(): string {
    return this.globalWriterEndpointReader().address;
  }

  /** The resources of `region`. */
  public regionalResources(region: string): AuroraGlobalRegionResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this global database (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return r;
  }

  private globalWriterEndpointReader(): GlobalWriterEndpoint {
    if (!this.writerEndpoint) {
      this.writerEndpoint = new GlobalWriterEndpoint(this.primaryStack, 'GlobalWriterEndpoint', {
        globalClusterIdentifier: this.globalClusterIdentifier,
        globalClusterArn: `arn:${partitionOf(this.primaryRegion)}:rds::${this.primaryStack.account}:global-cluster:${this.globalClusterIdentifier}`,
        after: this.primaryCluster,
      });
    }
    return this.writerEndpoint;
  }

  private settings(props: AuroraGlobalFailoverProps, regions: string[]): Settings {
    const account = validateAccount(props.account);
    const engine = props.engine ?? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 });
    const checked = validateEngine(engine);
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
    validateInstanceType(instanceType);
    const pollInterval = props.pollInterval ?? Duration.seconds(15);
    validatePositiveDuration(pollInterval, 'pollInterval', 's');
    const backupDays = validateInteger((props.backupRetention ?? Duration.days(7)).toDays(), 'backupRetention', 1, 35);
    if (props.writerCpuThreshold !== undefined && !(props.writerCpuThreshold > 0 && props.writerCpuThreshold <= 100)) {
      throw new MultiRegionFailoverError(`\`writerCpuThreshold\` must be a percentage above 0 and at most 100, got: ${props.writerCpuThreshold}`);
    }
    if (props.writerConnectionsThreshold !== undefined && !(props.writerConnectionsThreshold > 0)) {
      throw new MultiRegionFailoverError(`\`writerConnectionsThreshold\` must be greater than 0, got: ${props.writerConnectionsThreshold}`);
    }
    const gid = props.globalClusterIdentifier !== undefined
      ? validateGlobalClusterIdentifier(props.globalClusterIdentifier)
      : identifierFromUniqueName(Names.uniqueResourceName(this, { maxLength: 48, separator: '-' }));
    const clusterArns: { [region: string]: string } = {};
    for (const region of regions) {
      clusterArns[region] = `arn:${partitionOf(region)}:rds:${region}:${account}:cluster:${gid}-${region}`;
    }
    return {
      account,
      gid,
      engine,
      checked,
      instanceType,
      instances: validateInteger(props.instancesPerRegion ?? 2, 'instancesPerRegion', 1, 16),
      lagMs: validatePositiveDuration(props.replicationLagThreshold ?? Duration.seconds(1), 'replicationLagThreshold', 'ms'),
      managedRpoSeconds: validateManagedRpo(props.managedRpo, checked),
      pollInterval,
      maxPollAttempts: validateInteger(props.maxPollAttempts ?? 60, 'maxPollAttempts', 1, 1000),
      backupDays,
      dns: validateDns(props.writerDnsRecord),
      auto: validateAutoFailover(props.autoFailover, regions.slice(1), account),
      removalPolicy: props.removalPolicy,
      keyRemoval: props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      deletionProtection: resolveDeletionProtection(props.deletionProtection, props.removalPolicy),
      subnets: props.databaseSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      logExports: checked.isPostgres ? ['postgresql'] : ['error', 'general', 'slowquery', 'audit'],
      clusterArns,
    };
  }

  private createRegionBase(stack: Stack, region: string, s: Settings, props: AuroraGlobalFailoverProps): RegionBase {
    const vpc = props.vpcProvider ? props.vpcProvider.vpcForRegion(stack, region) : defaultVpc(stack, s.keyRemoval);
    const key = new kms.Key(stack, 'Key', {
      description: `Aurora global database ${s.gid} in ${region}: cluster storage and alarm topic`,
      enableKeyRotation: true,
      removalPolicy: s.keyRemoval,
      pendingWindow: s.keyRemoval === RemovalPolicy.DESTROY ? Duration.days(7) : undefined,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': s.account } },
    }));
    const topic = new sns.Topic(stack, 'AlarmTopic', {
      displayName: `Aurora global database ${s.gid} (${region})`,
      masterKey: key,
      enforceSSL: true,
    });
    return { region, stack, vpc, key, topic };
  }

  /**
   * Managed RPO parameters of a region. With 2 regions only the primary gets them: AWS advises "In a global
   * database with only two AWS Regions, we recommend keeping the rds.global_db_rpo parameter's default value in the
   * secondary Region's parameter group. Otherwise, performing a failover due to a loss of the primary AWS Region
   * could cause Aurora to pause transactions."
   * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery)
   */
  private rpoParameters(s: Settings, isPrimary: boolean): { [name: string]: string } | undefined {
    if (s.managedRpoSeconds === undefined || (!isPrimary && this.secondaryRegions.length === 1)) {
      return undefined;
    }
    return { 'rds.global_db_rpo': String(s.managedRpoSeconds) };
  }

  private createPrimary(p: RegionBase, s: Settings, props: AuroraGlobalFailoverProps) {
    const secret = new rds.DatabaseSecret(p.stack, 'Secret', {
      username: props.masterUsername ?? 'clusteradmin',
      replicaRegions: this.secondaryRegions.map((region) => ({ region })),
    });
    NagSuppressions.addResourceSuppressions(secret, [{
      id: 'AwsSolutions-SMG4',
      reason: 'Master secret of a global database, replicated to every secondary region for break-glass access; applications use IAM database authentication. Add rotation with `primaryCluster.addRotationSingleUser()` once the VPC has a Secrets Manager endpoint.',
    }]);
    const globalCluster = new rds.CfnGlobalCluster(p.stack, 'GlobalCluster', {
      globalClusterIdentifier: s.gid,
      engine: s.checked.engineType,
      engineVersion: s.checked.fullVersion,
      storageEncrypted: true,
      deletionProtection: s.deletionProtection,
    });
    const instanceName = (n: number) => (n === 0 ? 'Writer' : `Reader${n}`);
    const primaryCluster = new rds.DatabaseCluster(p.stack, 'Cluster', {
      engine: s.engine,
      clusterIdentifier: `${s.gid}-${p.region}`,
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
      defaultDatabaseName: props.defaultDatabaseName,
      parameters: this.rpoParameters(s, true),
      removalPolicy: s.removalPolicy ?? RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
    });
    const primaryCfn = primaryCluster.node.defaultChild as rds.CfnDBCluster;
    // Escape hatch: no L2 prop joins a global cluster. The Ref also orders the primary after the global cluster.
    primaryCfn.globalClusterIdentifier = globalCluster.ref;
    suppressClusterFindings(primaryCfn, s.checked);
    if (s.managedRpoSeconds !== undefined && this.secondaryRegions.length === 1) {
      Annotations.of(primaryCluster).addWarningV2('cdk-multi-region-failover:aurora-managed-rpo-two-regions',
        `\`managedRpo\` with 2 regions: commits on the primary block while the only secondary (${this.secondaryRegions[0]}) lags more than `
        + `${s.managedRpoSeconds} s or is unreachable, and the secondary keeps the default rds.global_db_rpo as AWS advises, so the bound does not `
        + 'hold while it is the primary. Add a third region for an RPO bound that survives a failover.');
    }
    return { secret, globalCluster, primaryCluster };
  }

  private createRegion(b: RegionBase, isPrimary: boolean, s: Settings, props: AuroraGlobalFailoverProps): void {
    const { region, stack, vpc, key, topic } = b;
    const clusterId = `${s.gid}-${region}`;
    let cfnCluster: rds.CfnDBCluster;
    let securityGroup: ec2.ISecurityGroup;
    if (isPrimary) {
      cfnCluster = this.primaryCluster.node.defaultChild as rds.CfnDBCluster;
      securityGroup = this.primaryCluster.connections.securityGroups[0];
    } else {
      const member = createSecondaryMember({
        stack,
        region,
        globalClusterIdentifier: s.gid,
        clusterIdentifier: clusterId,
        vpc,
        subnets: s.subnets,
        key,
        engine: s.engine,
        checked: s.checked,
        instanceType: s.instanceType,
        instances: s.instances,
        deletionProtection: s.deletionProtection,
        backupDays: s.backupDays,
        logExports: s.logExports,
        parameters: this.rpoParameters(s, false),
        removalPolicy: s.removalPolicy,
      });
      cfnCluster = member.cluster;
      securityGroup = member.securityGroup;
    }
    const alarms = createRegionAlarms({
      stack,
      region,
      clusterId,
      isPrimary,
      engine: s.checked,
      lagMs: s.lagMs,
      topic,
      writerCpuThreshold: props.writerCpuThreshold,
      writerConnectionsThreshold: props.writerConnectionsThreshold,
    });
    const orchestrator = new FailoverOrchestrator(stack, 'Orchestrator', {
      region,
      account: s.account,
      globalClusterIdentifier: s.gid,
      clusterArns: s.clusterArns,
      topic,
      topicKey: key,
      maxReplicationLagMs: s.lagMs,
      stateMachineName: `${s.gid}-failover`,
      pollInterval: s.pollInterval,
      maxPollAttempts: s.maxPollAttempts,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: s.keyRemoval,
    });
    const allAlarms = s.auto?.targetRegion === region
      ? [...alarms, ...createAutoFailoverTrigger(stack, clusterId, s.auto, orchestrator.stateMachine, topic)]
      : alarms;
    this.byRegion.set(region, {
      region,
      isPrimary,
      stack,
      vpc,
      encryptionKey: key,
      securityGroup,
      cfnCluster,
      clusterIdentifier: clusterId,
      clusterArn: s.clusterArns[region],
      cluster: isPrimary ? this.primaryCluster : undefined,
      alarmTopic: topic,
      alarms: allAlarms,
      stateMachine: orchestrator.stateMachine,
      orchestratorFunction: orchestrator.handler,
    });
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
