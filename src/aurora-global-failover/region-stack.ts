import { Duration, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAutoFailoverTrigger, createKeyAndTopic, createRegionAlarms } from './alarms';
import { publishParameters, output, publishRegion } from './connection';
import { createDatabaseVpc } from './network';
import { FailoverOrchestrator } from './orchestrator';
import { AuroraGlobalDatabaseOptions, AuroraGlobalRegionResources, AuroraOrchestration, IRegionalVpcProvider } from './props';
import { secretReplicaArn } from './secret-replica';
import { DatabaseSettings, memberClusterArns, resolveDatabaseOptions } from './settings';
import { validateGlobalClusterIdentifier } from './support';
import { CheckedAutoFailover } from './validation';
import { GlobalWriterEndpoint } from './writer-endpoint';
import { MultiRegionFailoverError } from '../core/errors';
import { validateRegions } from '../core/regions';

/** Properties every regional stack of an Aurora global database takes. */
export interface AuroraGlobalRegionStackProps extends StackProps, AuroraGlobalDatabaseOptions {
  /**
   * Identifier of the global cluster (letters, digits and single hyphens, a letter first, at most 48 characters). Every
   * regional stack names it, so no stack refers to another region; member clusters are named `<id>-<region>`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html
   */
  readonly globalClusterIdentifier: string;
  /**
   * Every region of the global database (2 to 6), the primary first, this stack's region (`env.region`) among them. The
   * primary replicates the master secret to the others; every orchestrator may promote any member.
   */
  readonly regions: string[];
  /**
   * Supplies the stack's VPC: `vpcForRegion` is called once, with this stack as the scope.
   * @default - a new VPC over 2 AZs with isolated subnets only (no NAT gateway), a flow log and the `clientEndpoints`
   */
  readonly vpcProvider?: IRegionalVpcProvider;
}

/** What the member cluster of a regional stack hands to the shared part. @internal */
export interface RegionMember {
  readonly cfnCluster: rds.CfnDBCluster;
  readonly securityGroup: ec2.ISecurityGroup;
  /** The L2 cluster (primary only). */
  readonly cluster?: rds.DatabaseCluster;
  /** The master secret's ARN in this region; without it the replica's ARN is read at deploy time. */
  readonly secretArn?: string;
  readonly readerEndpoint: string;
  /** The writer record name clients use, published as the region's writer endpoint. */
  readonly writerDnsName?: string;
  readonly autoFailover?: CheckedAutoFailover;
}

/**
 * The part every regional stack of an Aurora global database shares: its AZs resolve at deploy time (`Fn::GetAZs`: no
 * context lookup, no credentials at synthesis); its constructor creates the VPC (or takes yours), the KMS key and the
 * encrypted alarm topic; then the subclass adds its member cluster, and this class the alarms, the failover
 * orchestrator, the SSM parameters and the outputs. See `AuroraGlobalPrimaryStack` and `AuroraGlobalSecondaryStack`.
 * Without `description`, the stack's description names the global database, the region and its role.
 */
export abstract class AuroraGlobalRegionStack extends Stack {
  /** The global cluster identifier. */
  public readonly globalClusterIdentifier: string;
  /** Every region of the global database, the primary first. */
  public readonly regions: string[];
  /** The stack's VPC: yours (`vpcProvider`) or the one it created. */
  public readonly vpc: ec2.IVpc;
  /** The region's KMS key: cluster storage and the alarm topic. */
  public readonly encryptionKey: kms.Key;
  /** The region's KMS-encrypted topic for alarms and orchestrator notifications. */
  public readonly alarmTopic: sns.Topic;
  /** @internal */
  protected readonly _settings: DatabaseSettings;
  private readonly ownVpc: boolean;
  private parts?: { readonly resources: AuroraGlobalRegionResources; readonly orchestrator?: FailoverOrchestrator; readonly writerDnsName?: string };

  /**
   * @param dependsOn a stack this one deploys after (a secondary's primary stack), added before any resource
   */
  protected constructor(scope: Construct, id: string, props: AuroraGlobalRegionStackProps, dependsOn?: Stack) {
    const region = props.env?.region;
    const role = region === props.regions?.[0] ? 'primary' : 'secondary';
    super(scope, id, {
      ...props,
      description: props.description ?? `Aurora global database ${props.globalClusterIdentifier}: ${role} region ${region} (cdk-multi-region-failover)`,
    });
    if (Token.isUnresolved(this.region) || Token.isUnresolved(this.account)) {
      throw new MultiRegionFailoverError(`\`env\` must give stack ${this.node.path} a concrete account and region (member ARNs, key policies and the `
        + `global cluster's members name them), got: ${this.account}/${this.region}`);
    }
    this.globalClusterIdentifier = validateGlobalClusterIdentifier(props.globalClusterIdentifier);
    this.regions = validateRegions(props.regions, { min: 2, max: 6, property: 'regions' });
    if (!this.regions.includes(this.region)) {
      throw new MultiRegionFailoverError(`\`regions\` must include the stack's region ${this.region}, got: ${this.regions.join(', ')}`);
    }
    this._settings = resolveDatabaseOptions(props);
    if (dependsOn) {
      this.addDependency(dependsOn, 'secondary clusters join the global cluster created in the primary stack');
    }
    this.ownVpc = !props.vpcProvider;
    this.vpc = props.vpcProvider
      ? props.vpcProvider.vpcForRegion(this, this.region)
      : createDatabaseVpc({ stack: this, removalPolicy: this._settings.keyRemoval, clientEndpoints: this._settings.clientEndpoints });
    const { key, topic } = createKeyAndTopic(this, this.globalClusterIdentifier, this._settings.keyRemoval);
    this.encryptionKey = key;
    this.alarmTopic = topic;
  }

  /** Two AZs resolved at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synthesis. */
  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }

  /**
   * The region's failover orchestrator (state machine `<globalClusterIdentifier>-failover` and its function). With
   * `orchestration: AuroraOrchestration.REGION_SWITCH` there is none, and reading it throws.
   */
  public get orchestrator(): FailoverOrchestrator {
    const { orchestrator } = this.completed();
    if (!orchestrator) {
      throw new MultiRegionFailoverError(`${this.node.path} has no failover orchestrator: \`orchestration\` is AuroraOrchestration.REGION_SWITCH `
        + '(the Region switch plan fails the database over)');
    }
    return orchestrator;
  }

  /** Everything the stack created in its region. */
  public get resources(): AuroraGlobalRegionResources {
    return this.completed().resources;
  }

  /** The region's alarms (with `autoFailover`, the composite trigger alarm too). */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.completed().resources.alarms;
  }

  /**
   * The global writer endpoint, read in this stack at deploy time: it always points at the writer of the current
   * primary cluster. Reading it adds the reader (`GlobalWriterEndpoint`) to this stack on first use and, without a
   * writer record name, publishes it as the `writer-endpoint` SSM parameter and the `WriterEndpoint` output.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
   */
  public get globalWriterEndpoint(): string {
    return this.writerEndpoint.address;
  }

  /** The deploy-time reader of the global writer endpoint in this stack (created on first use). */
  public get writerEndpoint(): GlobalWriterEndpoint {
    const existing = this.node.tryFindChild('GlobalWriterEndpoint') as GlobalWriterEndpoint | undefined;
    if (existing) {
      return existing;
    }
    const { resources, writerDnsName } = this.completed();
    const gid = this.globalClusterIdentifier;
    const reader = new GlobalWriterEndpoint(this, 'GlobalWriterEndpoint', {
      globalClusterIdentifier: gid,
      readAfter: [resources.cluster ?? resources.cfnCluster],
    });
    if (!writerDnsName) {
      publishParameters(this, gid, this.region, { 'writer-endpoint': reader.address });
      output(this, 'WriterEndpoint', reader.address, 'The global writer endpoint: always the writer of the current primary cluster');
    }
    return reader;
  }

  /**
   * The shared part after the member cluster: alarms, the orchestrator, the automatic failover trigger, the secret's ARN
   * in this region, the resources, the SSM parameters and outputs for clients.
   * @internal
   */
  protected _completeRegion(member: RegionMember): void {
    const s = this._settings;
    const { region, globalClusterIdentifier: gid } = this;
    const isPrimary = region === this.regions[0];
    const clusterId = `${gid}-${region}`;
    const clusterArns = memberClusterArns(gid, this.regions, this.account);
    const topic = this.alarmTopic;
    const alarms = createRegionAlarms({
      stack: this,
      region,
      clusterId,
      isPrimary,
      engine: s.checked,
      lagMs: s.lagMs,
      topic,
      writerCpuThreshold: s.writerCpuThreshold,
      writerConnectionsThreshold: s.writerConnectionsThreshold,
    });
    // With a Region switch plan (AuroraGlobalFailover creates it) no state machine is built.
    const orchestrator = s.orchestration === AuroraOrchestration.REGION_SWITCH ? undefined : new FailoverOrchestrator(this, 'Orchestrator', {
      globalClusterIdentifier: gid,
      clusterArns,
      topic,
      topicKey: this.encryptionKey,
      maxReplicationLag: Duration.millis(s.lagMs),
      pollInterval: s.pollInterval,
      maxPollAttempts: s.maxPollAttempts,
      logRetention: s.logRetention,
      removalPolicy: s.keyRemoval,
    });
    const allAlarms = member.autoFailover
      ? [...alarms, ...createAutoFailoverTrigger(this, clusterId, member.autoFailover, orchestrator?.stateMachine, topic)]
      : alarms;
    const secretArn = member.secretArn ?? secretReplicaArn(this, gid, this.regions[0]);
    const resources: AuroraGlobalRegionResources = {
      region,
      isPrimary,
      stack: this,
      vpc: this.vpc,
      encryptionKey: this.encryptionKey,
      securityGroup: member.securityGroup,
      cfnCluster: member.cfnCluster,
      clusterIdentifier: clusterId,
      clusterArn: clusterArns[region],
      cluster: member.cluster,
      alarmTopic: topic,
      alarms: allAlarms,
      stateMachine: orchestrator?.stateMachine,
      orchestratorFunction: orchestrator?.handler,
      secretArn,
      readerEndpoint: member.readerEndpoint,
      port: s.port,
    };
    this.parts = { resources, orchestrator, writerDnsName: member.writerDnsName };
    publishRegion({
      stack: this,
      gid,
      region,
      isPrimary,
      vpc: this.ownVpc ? this.vpc : undefined,
      dnsName: member.writerDnsName,
      port: s.port,
      securityGroupId: member.securityGroup.securityGroupId,
      secretArn,
      readerEndpoint: member.readerEndpoint,
      stateMachineArn: orchestrator?.stateMachine.stateMachineArn,
    });
  }

  private completed() {
    if (!this.parts) {
      throw new MultiRegionFailoverError(`${this.node.path} has no member cluster yet: its subclass must call _completeRegion in its constructor`);
    }
    return this.parts;
  }
}
