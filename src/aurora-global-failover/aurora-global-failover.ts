import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { checkConsumer, ClientVpcProvider, connect, grantSecretRead, readParameter, regionValueFor, RegionSource } from './connection';
import { auroraEstimate, AuroraEstimateInput } from './estimate';
import { AuroraGlobalPrimaryStack } from './primary-stack';
import {
  AuroraGlobalDatabaseOptions, AuroraGlobalFailoverProps, AuroraGlobalRegionResources, AuroraOrchestration, IAuroraRegionVisitor,
  IRegionalVpcProvider,
} from './props';
import { AuroraGlobalRegionStack, AuroraGlobalRegionStackProps } from './region-stack';
import { createAuroraPlan, grantStartPlanExecution, validateOrchestrationChoice } from './region-switch';
import { AuroraGlobalSecondaryStack } from './secondary-stack';
import { resolveSettings, Settings } from './settings';
import { routeAlarms } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName, warnPathDerivedName } from '../core/naming';
import { partitionOf } from '../core/partition';
import { RecoveryEstimate, RecoveryModel } from '../core/recovery';
import { validateMultiRegionScope, validateRegions } from '../core/regions';
import { claimStackNames } from '../core/validation';
import { RegionSwitchPlan } from '../region-switch-plan/region-switch-plan';

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
 *
 * Building blocks: an `AuroraGlobalPrimaryStack` and one `AuroraGlobalSecondaryStack` per secondary region (each with its
 * `FailoverOrchestrator`, and a `GlobalWriterEndpoint` where the writer endpoint is read), composed here with one set
 * of checked settings; use them alone to place the stacks yourself.
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

  /** The primary region's stack (the same object as `primaryStack`): global cluster, primary cluster, secret, orchestrator. */
  public readonly primaryDatabaseStack: AuroraGlobalPrimaryStack;
  /** The secondary regions' stacks, in the order of `secondaryRegions`: member cluster, orchestrator, alarms. */
  public readonly secondaryDatabaseStacks: AuroraGlobalSecondaryStack[];
  /** What fails the database over: the Step Functions orchestrators, or a Region switch plan. */
  public readonly orchestration: AuroraOrchestration;
  /**
   * With `orchestration: AuroraOrchestration.REGION_SWITCH`: the plan, in the secondary region's stack, with one Aurora
   * global database step (and, with `autoFailover`, a trigger on `PrimaryLostAlarm`). Add your application's other steps
   * (DNS, capacity) to it, or make it a child plan of yours.
   * @default - none with `AuroraOrchestration.STEP_FUNCTIONS`
   */
  public readonly regionSwitchPlan?: RegionSwitchPlan;

  private readonly byRegion = new Map<string, AuroraGlobalRegionStack>();
  private readonly s: Settings;

  constructor(scope: Construct, id: string, props: AuroraGlobalFailoverProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'AuroraGlobalFailover');
    const regions = validateRegions(props.regions, { min: 2, max: 6, property: 'regions' });
    const [primaryRegion, ...secondaryRegions] = regions;
    this.orchestration = validateOrchestrationChoice(props, regions);
    this.primaryRegion = primaryRegion;
    this.secondaryRegions = secondaryRegions;
    const s = resolveSettings(this, props, regions);
    this.s = s;
    this.globalClusterIdentifier = s.gid;

    // ---- one stack per region, primary first: each builds its member cluster, alarms, orchestrator, client parameters
    const primary = new AuroraGlobalPrimaryStack(this, primaryRegion, {
      ...this.regionStackProps(primaryRegion, regions, props),
      masterUsername: props.masterUsername,
      defaultDatabaseName: props.defaultDatabaseName,
      writerDnsRecord: props.writerDnsRecord,
    });
    this.secondaryDatabaseStacks = secondaryRegions.map((region) => new AuroraGlobalSecondaryStack(this, region, {
      ...this.regionStackProps(region, regions, props),
      primaryStack: primary,
      writerDnsName: s.dns?.recordName,
      autoFailover: s.auto?.targetRegion === region ? props.autoFailover : undefined,
    }));
    const regional: AuroraGlobalRegionStack[] = [primary, ...this.secondaryDatabaseStacks];
    regional.forEach((stack) => this.byRegion.set(stack.region, stack));
    this.primaryDatabaseStack = primary;
    this.primaryStack = primary;
    this.stacks = regional;
    claimStackNames(this, this.stacks);
    if (s.gidFromPath) {
      warnPathDerivedName(this, 'The global cluster', s.gid, 'globalClusterIdentifier', primary);
    }
    this.secret = primary.secret;
    this.globalCluster = primary.globalCluster;
    this.primaryCluster = primary.cluster;
    this.vpcProvider = props.vpcProvider ?? new ClientVpcProvider((region) => this.sourceOf(region));

    // ---- recovery estimate
    const estimateInput: AuroraEstimateInput = {
      primaryRegion,
      secondaryRegions,
      isPostgres: s.checked.isPostgres,
      lagMs: s.lagMs,
      managedRpoSeconds: s.managedRpoSeconds,
      pollInterval: s.pollInterval,
      auto: s.auto,
      assumptions: props.recoveryAssumptions,
    };
    // With a Region switch plan this first estimate only gives the plan's Aurora step its recovery point (`auroraStep` reads
    // `recoveryEstimate`); the plan's estimate then replaces it.
    this.recoveryEstimate = auroraEstimate(estimateInput);
    let rtoSettings = [...(s.auto ? ['`autoFailover.evaluationPeriods`'] : []), '`pollInterval`'];
    if (this.orchestration === AuroraOrchestration.REGION_SWITCH) {
      const created = createAuroraPlan({
        aurora: this, props, stack: this.secondaryDatabaseStacks[0], gid: s.gid, auto: s.auto, estimate: estimateInput,
      });
      this.regionSwitchPlan = created.plan;
      this.recoveryEstimate = created.estimate;
      rtoSettings = s.auto ? ['`autoFailover.evaluationPeriods`'] : ['`autoFailover` (a plan trigger)'];
    }
    // Only the settings that change a term of this configuration (no promotion override: it is an assumption, not a lever).
    RecoveryModel.enforce('AuroraGlobalFailover', this.recoveryEstimate, props.recoveryObjectives, rtoSettings,
      s.checked.isPostgres ? ['`managedRpo` (Aurora PostgreSQL, at least 20 s)'] : []);

    // ---- your alarm topics: every alarm of each regional stack, the composite trigger included
    this.stacks.forEach((stack) => routeAlarms(stack, props.alarmTopicArns?.[stack.region]));
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
    return this.primaryDatabaseStack.globalWriterEndpoint;
  }

  /** The resources of `region`. */
  public regionalResources(region: string): AuroraGlobalRegionResources {
    const stack = this.byRegion.get(region);
    if (!stack) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this global database (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return stack.resources;
  }

  /** Applies `visitor` to the resources of every region, primary first, so that all regions get the same customization. */
  public forEachRegion(visitor: IAuroraRegionVisitor): void {
    for (const stack of this.byRegion.values()) {
      visitor.visitRegion(stack.resources);
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
   * named by its deterministic ARN, so the grantee may live in any stack. With `orchestration: REGION_SWITCH` it grants
   * `arc-region-switch:StartPlanExecution` on the plan instead (IAM does not restrict the target region: the grant covers
   * executions that activate either region).
   * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html
   */
  public grantStartFailover(grantee: iam.IGrantable, region: string): iam.Grant {
    this.regionalResources(region);
    if (this.regionSwitchPlan) {
      return grantStartPlanExecution(this.regionSwitchPlan, grantee, this.s.account);
    }
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
    return this.s.dns ? this.s.dns.recordName : this.byRegion.get(region)!.globalWriterEndpoint;
  }

  /** What every regional stack gets: its environment and name, the global cluster, the regions and the database settings. */
  private regionStackProps(region: string, regions: string[], props: AuroraGlobalFailoverProps): AuroraGlobalRegionStackProps {
    const s = this.s;
    // Every shared setting, named one by one (the compiler checks none is missing) so no other prop reaches the stacks.
    const database: { [K in keyof Required<AuroraGlobalDatabaseOptions>]: AuroraGlobalDatabaseOptions[K] } = {
      engine: props.engine,
      instanceType: props.instanceType,
      instancesPerRegion: props.instancesPerRegion,
      clientEndpoints: props.clientEndpoints,
      databaseSubnets: props.databaseSubnets,
      deletionProtection: props.deletionProtection,
      backupRetention: props.backupRetention,
      removalPolicy: props.removalPolicy,
      replicationLagThreshold: props.replicationLagThreshold,
      managedRpo: props.managedRpo,
      orchestration: props.orchestration,
      writerCpuThreshold: props.writerCpuThreshold,
      writerConnectionsThreshold: props.writerConnectionsThreshold,
      pollInterval: props.pollInterval,
      maxPollAttempts: props.maxPollAttempts,
      logRetention: props.logRetention,
    };
    return {
      ...database,
      env: { account: s.account, region },
      stackName: regionalStackName(s.stackNamePrefix, 'db', region),
      globalClusterIdentifier: s.gid,
      regions,
      vpcProvider: props.vpcProvider,
    };
  }
}
