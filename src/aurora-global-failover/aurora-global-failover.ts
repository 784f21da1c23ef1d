import { Duration, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { createAutoFailoverTrigger, createKeyAndTopic, createRegionAlarms } from './alarms';
import {
  checkConsumer, ClientVpcProvider, connect, grantSecretRead, output, publishParameters, publishRegion, readParameter, regionValueFor, RegionSource,
} from './connection';
import { auroraEstimate } from './estimate';
import { createPrimaryMember, createSecondaryMember } from './members';
import { createDatabaseVpc } from './network';
import { FailoverOrchestrator } from './orchestrator';
import { AuroraGlobalFailoverProps, AuroraGlobalRegionResources, IAuroraRegionVisitor, IRegionalVpcProvider } from './props';
import { secretReplicaArn } from './secret-replica';
import { resolveSettings, rpoParameters, Settings } from './settings';
import { partitionOf } from './support';
import { GlobalWriterEndpoint } from './writer-endpoint';
import { routeAlarms } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName, warnPathDerivedName } from '../core/naming';
import { RecoveryEstimate, RecoveryModel } from '../core/recovery';
import { validateMultiRegionScope, validateRegions } from '../core/regions';
import { claimStackNames } from '../core/validation';

/** A regional stack whose AZs resolve at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synth. */
class RegionalStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

/** The per-region basics every region gets before its cluster. */
interface RegionBase {
  readonly region: string;
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  /** Whether the construct created the VPC (then it publishes it for `vpcProvider`). */
  readonly ownVpc: boolean;
  readonly key: kms.Key;
  readonly topic: sns.Topic;
}

/**
 * An Aurora global database over 2 to 6 regions with a failover orchestrator in every region.
 *
 * - One stack per region (`<stackNamePrefix>-db-<region>`), created under an App or a Stage. The primary stack holds the
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
 *   replication and RPO lag per secondary, an encrypted SNS topic, SSM parameters and outputs for clients.
 * - Clients: `vpcProvider` puts functions of other stacks in each region's database VPC, `connectFunction` connects them
 *   (security group rule, secret, endpoints), all through SSM parameters read at deploy time (no exports).
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
  /**
   * The master user secret (primary region, replicated to every secondary region). A resource of the primary stack:
   * its `grantRead` works for principals of that stack only. For a principal of another stack (a secondary region's
   * handler, say) use `grantSecretRead(grantee, regionName)`, which grants read on that region's copy.
   */
  public readonly secret: secretsmanager.ISecret;
  /**
   * The database VPC of each region, for your functions (e.g. `MultiRegionApi`'s `handler: { vpcProvider: db.vpcProvider }`):
   * your `vpcProvider` if you gave one; else, called with a scope in another stack of the same region and account, an
   * import of the VPC the construct created, read from SSM parameters at deploy time (no export), and that stack then
   * deploys after the region's database stack; called in the region's own stack, the VPC itself.
   */
  public readonly vpcProvider: IRegionalVpcProvider;
  /**
   * Recovery estimate of an unplanned failover under this configuration: `rto` is the budget (worst case under
   * the stated assumptions), `typicalRto` the typical figure; `rpo` is set only with `managedRpo`.
   */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, AuroraGlobalRegionResources>();
  private readonly writerEndpoints = new Map<string, GlobalWriterEndpoint>();
  private readonly s: Settings;

  constructor(scope: Construct, id: string, props: AuroraGlobalFailoverProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'AuroraGlobalFailover');
    const regions = validateRegions(props.regions, { min: 2, max: 6, property: 'regions' });
    const [primaryRegion, ...secondaryRegions] = regions;
    this.primaryRegion = primaryRegion;
    this.secondaryRegions = secondaryRegions;
    const s = resolveSettings(this, props, regions);
    this.s = s;
    this.globalClusterIdentifier = s.gid;

    this.stacks = regions.map((region) => new RegionalStack(this, region, {
      env: { account: s.account, region },
      stackName: regionalStackName(s.stackNamePrefix, 'db', region),
      description: `Aurora global database ${s.gid}: ${region === primaryRegion ? 'primary' : 'secondary'} region ${region} (cdk-multi-region-failover)`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'secondary clusters join the global cluster created in the primary stack');
    }
    claimStackNames(this, this.stacks);
    if (s.gidFromPath) {
      warnPathDerivedName(this, 'The global cluster', s.gid, 'globalClusterIdentifier', this.primaryStack);
    }
    const base = regions.map((region, i) => this.createRegionBase(this.stacks[i], region, s, props));

    // ---- primary: secret, global cluster, primary cluster
    const { secret, globalCluster, primaryCluster } = createPrimaryMember({ ...base[0], secondaryRegions, s, props });
    this.secret = secret;
    this.globalCluster = globalCluster;
    this.primaryCluster = primaryCluster;
    if (s.dns) {
      this.writerEndpointReader(primaryRegion).addCname(s.dns);
    }

    // ---- per region: member cluster (secondaries), alarms, orchestrator, client parameters and outputs
    base.forEach((b, i) => this.createRegion(b, i === 0, s, props));
    this.vpcProvider = props.vpcProvider ?? new ClientVpcProvider((region) => this.sourceOf(region));

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
    // Only the settings that change a term of this configuration (no promotion override: it is an assumption, not a lever).
    RecoveryModel.enforce('AuroraGlobalFailover', this.recoveryEstimate, props.recoveryObjectives,
      [...(s.auto ? ['`autoFailover.evaluationPeriods`'] : []), '`pollInterval`'],
      s.checked.isPostgres ? ['`managedRpo` (Aurora PostgreSQL, at least 20 s)'] : []);

    // ---- your alarm topics: every alarm of each regional stack, the composite trigger included
    base.forEach((b) => routeAlarms(b.stack, props.alarmTopicArns?.[b.region]));
  }

  /**
   * The global writer endpoint: it always points at the writer of the current primary cluster, through switchovers
   * and failovers. Read at deploy time with `DescribeGlobalClusters` (CloudFormation exposes no attribute for it),
   * so reading this property adds that reader to the primary stack. A token of the primary stack: pass it to apps
   * in that stack, or use `writerDnsRecord` for a name you can use anywhere, or `connectFunction` for functions of
   * any region.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
   */
  public get globalWriterEndpoint(): string {
    return this.writerEndpointReader(this.primaryRegion).address;
  }

  /** The resources of `region`. */
  public regionalResources(region: string): AuroraGlobalRegionResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this global database (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return r;
  }

  /** Applies `visitor` to the resources of every region, primary first, so that all regions get the same customization. */
  public forEachRegion(visitor: IAuroraRegionVisitor): void {
    for (const resources of this.byRegion.values()) {
      visitor.visitRegion(resources);
    }
  }

  /**
   * Connects a function to the cluster of `region`, the region of the function's stack (its regional stack of a
   * `MultiRegionApi`, say): the function's security groups may reach the cluster's on the database port (in another
   * stack the rule is created there, on the cluster's group imported by id from SSM), the function may read that
   * region's secret (`secretsmanager:GetSecretValue` on that one ARN; the secret and its replicas use the AWS managed
   * key `aws/secretsmanager`, so no KMS grant is needed), and it gets `DB_SECRET_ARN`, `DB_WRITER_ENDPOINT` (the global
   * writer endpoint, or `writerDnsRecord`), `DB_READER_ENDPOINT` (that region's cluster) and `DB_PORT`. In another stack
   * the values are SSM parameters read at deploy time, and that stack deploys after the region's database stack.
   * The function must be in a VPC that reaches the cluster: `vpc: db.vpcProvider.vpcForRegion(stack, region)`.
   * @param fn a function in a VPC, in a stack of `region`
   * @param region the region whose cluster it connects to
   */
  public connectFunction(fn: lambda.Function, region: string): void {
    const r = this.regionalResources(region);
    const consumer = checkConsumer(fn, this.sourceOf(region), 'function\'s', 'each region\'s function connects to its own region\'s cluster');
    if (!fn.isBoundToVpc) {
      throw new MultiRegionFailoverError(`\`fn\` must be in a VPC to reach the cluster (pass \`vpc: db.vpcProvider.vpcForRegion(stack, region)\`), got a function without a VPC: ${fn.node.path}`);
    }
    const writer = this.writerEndpointFor(region);
    const source = this.sourceOf(region);
    const description = `to Aurora global database ${this.globalClusterIdentifier} in ${region}`;
    if (!consumer) {
      const own = { securityGroup: r.securityGroup, secretArn: r.secretArn, writerEndpoint: writer, readerEndpoint: r.readerEndpoint, port: r.port };
      connect(fn, own, description);
      return;
    }
    const sgId = `AuroraGlobalSecurityGroup-${this.globalClusterIdentifier}`;
    const stack = Stack.of(fn);
    const securityGroup = (stack.node.tryFindChild(sgId) as ec2.ISecurityGroup | undefined)
      ?? ec2.SecurityGroup.fromSecurityGroupId(stack, sgId, readParameter(stack, source, 'security-group-id'), { mutable: true });
    connect(fn, {
      securityGroup,
      secretArn: readParameter(stack, source, 'secret-arn'),
      writerEndpoint: this.s.dns ? writer : readParameter(stack, source, 'writer-endpoint'),
      readerEndpoint: readParameter(stack, source, 'reader-endpoint'),
      port: r.port,
    }, description);
  }

  /**
   * Lets `grantee` read the master secret's copy in `regionName` (`secretsmanager:GetSecretValue` and `DescribeSecret` on
   * that one ARN: the primary secret in the primary region, its replica elsewhere), e.g.
   * `db.grantSecretRead(api.region('us-west-2').handler, 'us-west-2')`. The grantee's principal must be in a stack of
   * `regionName` and the construct's account: in the region's database stack the grant names the ARN directly; in another
   * stack it names the `secret-arn` SSM parameter the database stack writes, read at deploy time (no export, no
   * cross-region reference), and that stack deploys after the region's database stack. No KMS grant is needed: the
   * secret and its replicas use the AWS managed key `aws/secretsmanager`.
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html
   * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
   * @param grantee a principal of a stack in `regionName` (a role, or a resource with one such as a `lambda.Function`)
   * @param regionName the region whose copy of the secret it reads
   */
  public grantSecretRead(grantee: iam.IGrantable, regionName: string): iam.Grant {
    return grantSecretRead(grantee, this.sourceOf(regionName), this.regionalResources(regionName).secretArn);
  }

  /**
   * The ARN of the master secret in `regionName` (its replica in a secondary region) for use in `scope`'s stack: in the
   * region's database stack the value itself; in another stack of the region and account the SSM parameter the database
   * stack writes, read at deploy time (no export), and that stack then deploys after the region's database stack.
   * @param scope a construct in a stack of `regionName`
   * @param regionName one of the regions of this global database
   */
  public secretArnFor(scope: IConstruct, regionName: string): string {
    return this.regionValueFor(scope, regionName, this.regionalResources(regionName).secretArn, 'secret-arn');
  }

  /**
   * The reader endpoint of `regionName`'s cluster for use in `scope`'s stack, read the same way as `secretArnFor`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html
   * @param scope a construct in a stack of `regionName`
   * @param regionName one of the regions of this global database
   */
  public readerEndpointFor(scope: IConstruct, regionName: string): string {
    return this.regionValueFor(scope, regionName, this.regionalResources(regionName).readerEndpoint, 'reader-endpoint');
  }

  /**
   * `AuroraGlobalDBReplicationLag` of `regionName`'s member cluster: how far it lags the primary, in milliseconds (data only
   * while the region is a secondary). Maximum over 1 minute by default, in `region`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
   */
  public metricReplicationLag(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.clusterMetric('AuroraGlobalDBReplicationLag', regionName, props);
  }

  /**
   * `AuroraGlobalDBRPOLag` of `regionName`'s member cluster (Aurora PostgreSQL): the data an unplanned failover to it would
   * lose, in milliseconds (data only while the region is a secondary). Maximum over 1 minute by default, in `region`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
   */
  public metricRpoLag(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.clusterMetric('AuroraGlobalDBRPOLag', regionName, props);
  }

  /**
   * Lets `grantee` start the failover state machine of `region` (`states:StartExecution`), e.g. an operator role or a
   * runbook. Anyone with it can start an unplanned failover with data loss: grant it narrowly. The state machine is
   * named by its deterministic ARN, so the grantee may live in any stack.
   */
  public grantStartFailover(grantee: iam.IGrantable, region: string): iam.Grant {
    this.regionalResources(region);
    const arn = `arn:${partitionOf(region)}:states:${region}:${this.s.account}:stateMachine:${this.globalClusterIdentifier}-failover`;
    return iam.Grant.addToPrincipal({ grantee, actions: ['states:StartExecution'], resourceArns: [arn] });
  }

  private clusterMetric(metricName: string, region: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const r = this.regionalResources(region);
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: r.clusterIdentifier },
      statistic: 'Maximum',
      period: Duration.minutes(1),
      region,
      account: this.s.account,
      ...props,
    });
  }

  private regionValueFor(scope: IConstruct, region: string, own: string, name: string): string {
    return regionValueFor(scope, this.sourceOf(region), own, name, 'scope\'s', 'the region\'s SSM parameters exist in that region only');
  }

  private sourceOf(region: string): RegionSource {
    const r = this.regionalResources(region);
    return { gid: this.globalClusterIdentifier, region, account: this.s.account, stack: r.stack, vpc: r.vpc };
  }

  /** The writer endpoint clients of `region` use: the `writerDnsRecord` name, else the global writer endpoint read there. */
  private writerEndpointFor(region: string): string {
    return this.s.dns ? this.s.dns.recordName : this.writerEndpointReader(region).address;
  }

  /**
   * The deploy-time reader of the global writer endpoint in `region`'s stack (created on first use): it is known there
   * once read, and then published as an SSM parameter and an output. `DescribeGlobalClusters` answers in every region
   * of the global database, so each region reads it locally (no cross-region reference).
   */
  private writerEndpointReader(region: string): GlobalWriterEndpoint {
    let reader = this.writerEndpoints.get(region);
    if (!reader) {
      const isPrimary = region === this.primaryRegion;
      const stack = isPrimary ? this.primaryStack : this.regionalResources(region).stack;
      reader = new GlobalWriterEndpoint(stack, 'GlobalWriterEndpoint', {
        globalClusterIdentifier: this.globalClusterIdentifier,
        globalClusterArn: `arn:${partitionOf(this.primaryRegion)}:rds::${this.s.account}:global-cluster:${this.globalClusterIdentifier}`,
        after: isPrimary ? this.primaryCluster : this.regionalResources(region).cfnCluster,
      });
      this.writerEndpoints.set(region, reader);
      if (!this.s.dns) {
        publishParameters(stack, this.globalClusterIdentifier, region, { 'writer-endpoint': reader.address });
        output(stack, 'WriterEndpoint', reader.address, 'The global writer endpoint: always the writer of the current primary cluster');
      }
    }
    return reader;
  }

  private createRegionBase(stack: Stack, region: string, s: Settings, props: AuroraGlobalFailoverProps): RegionBase {
    const vpc = props.vpcProvider
      ? props.vpcProvider.vpcForRegion(stack, region)
      : createDatabaseVpc({ stack, removalPolicy: s.keyRemoval, clientEndpoints: s.clientEndpoints });
    const { key, topic } = createKeyAndTopic(stack, region, s);
    return { region, stack, vpc, ownVpc: !props.vpcProvider, key, topic };
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
        parameters: rpoParameters(s, false, this.secondaryRegions.length),
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
    const secretArn = isPrimary ? this.secret.secretArn : secretReplicaArn(stack, s.gid, this.primaryRegion);
    const readerEndpoint = isPrimary ? this.primaryCluster.clusterReadEndpoint.hostname : cfnCluster.attrReadEndpointAddress;
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
      secretArn,
      readerEndpoint,
      port: s.port,
    });
    publishRegion({
      stack,
      gid: s.gid,
      region,
      isPrimary,
      vpc: b.ownVpc ? vpc : undefined,
      dnsName: s.dns?.recordName,
      port: s.port,
      securityGroupId: securityGroup.securityGroupId,
      secretArn,
      readerEndpoint,
      stateMachineArn: orchestrator.stateMachine.stateMachineArn,
    });
  }
}
