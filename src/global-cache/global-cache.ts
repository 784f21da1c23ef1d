import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createKeyAndTopic, createLagAlarms, lagExpression, nodeIds } from './alarms';
import { cacheEstimate } from './estimate';
import { publishGlobalId, publishParameters, readGlobalId } from './global-id';
import { createAuthSecret, createNetwork, createPrimaryMember, createSecondaryMember } from './members';
import { Promoter } from './promoter';
import { GlobalCacheProps, GlobalCacheRegionResources, IGlobalCacheRegionVisitor } from './props';
import { checkRegionCount, resolveSettings, Settings } from './settings';
import { ClientVpcProvider, RegionSource, vpcParameters } from '../aurora-global-failover/connection';
import { createDatabaseVpc } from '../aurora-global-failover/network';
import { IRegionalVpcProvider } from '../aurora-global-failover/props';
import { routeAlarms } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName, warnPathDerivedName } from '../core/naming';
import { partitionOf } from '../core/partition';
import { RecoveryEstimate, RecoveryModel } from '../core/recovery';
import { validateMultiRegionScope, validateRegions } from '../core/regions';
import { claimStackNames } from '../core/validation';

/** A regional stack whose AZs resolve at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synth. */
class CacheStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

/**
 * An ElastiCache global datastore (Valkey or Redis OSS) over 2 or 3 regions, with a promotion state machine in every
 * region, a replication lag alarm per secondary and a computed RTO/RPO.
 *
 * - One stack per region (`<stackNamePrefix>-cache-<region>`) under an App or a Stage. The primary stack holds the
 *   primary replication group `<cacheName>-<region>` and the `AWS::ElastiCache::GlobalReplicationGroup` (suffix
 *   `cacheName`, its only member the primary); each secondary stack a replication group with `GlobalReplicationGroupId`.
 * - No cross-region reference: AWS prefixes the global datastore id with a string of its own, so the primary stack writes
 *   the id into an SSM parameter of each secondary region (`AwsCustomResource`), and each secondary stack, which deploys
 *   after the primary stack, reads its local parameter at deploy time.
 * - Every member: TLS in transit, at rest with its region's KMS key, Multi-AZ with automatic failover (the secondaries
 *   inherit both from the primary), an AUTH token from a secret replicated to every region or your RBAC user group, its
 *   own security group (no rule: allow your clients) and subnet group.
 * - Per region: the promotion (`FailoverGlobalReplicationGroup`) as a Lambda and a Step Functions state machine
 *   `<cacheName>-promote`, an encrypted SNS topic, SSM parameters and outputs with the endpoints; per secondary a
 *   `GlobalDatastoreReplicationLag` alarm.
 */
export class GlobalCache extends Construct {
  /** Every regional stack, primary first. */
  public readonly stacks: Stack[];
  /** The primary region's stack. */
  public readonly primaryStack: Stack;
  /** The primary region. */
  public readonly primaryRegion: string;
  /** The secondary regions. */
  public readonly secondaryRegions: string[];
  /** The cache name: the global datastore's suffix and the prefix of every replication group id. */
  public readonly cacheName: string;
  /** The global datastore (in the primary stack). */
  public readonly globalDatastore: elasticache.CfnGlobalReplicationGroup;
  /**
   * The global datastore's id, AWS's prefix included: a token of the primary stack (in a secondary stack, use
   * `regionalResources(region)`'s values or the SSM parameter `/cdk-multi-region-failover/cache/<cacheName>/<region>/global-replication-group-id`).
   */
  public readonly globalReplicationGroupId: string;
  /**
   * The AUTH token secret (primary region; replicated under the same name to every secondary region).
   * @default - undefined with a user group
   */
  public readonly authSecret?: secretsmanager.ISecret;
  /**
   * The VPC of each region: your `vpcProvider` if you gave one; else, for a scope in another stack of the region and
   * account, an import of the VPC the construct created, read from SSM parameters at deploy time.
   */
  public readonly vpcProvider: IRegionalVpcProvider;
  /**
   * Recovery estimate of a promotion: `rto` is the budget (worst case under the stated assumptions), `typicalRto` the
   * typical figure; the RPO is unbounded (asynchronous replication).
   */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, GlobalCacheRegionResources>();
  private readonly s: Settings;

  constructor(scope: Construct, id: string, props: GlobalCacheProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'GlobalCache');
    checkRegionCount(props.regions);
    const regions = validateRegions(props.regions, { min: 2, property: 'regions' });
    const [primaryRegion, ...secondaryRegions] = regions;
    this.primaryRegion = primaryRegion;
    this.secondaryRegions = secondaryRegions;
    const s = resolveSettings(this, props, regions);
    this.s = s;
    this.cacheName = s.cacheName;

    this.stacks = regions.map((region) => new CacheStack(this, region, {
      env: { account: s.account, region },
      stackName: regionalStackName(s.stackNamePrefix, 'cache', region),
      description: `ElastiCache global datastore ${s.cacheName}: ${region === primaryRegion ? 'primary' : 'secondary'} region ${region} (cdk-multi-region-failover)`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'secondary replication groups join the global datastore created in the primary stack');
    }
    claimStackNames(this, this.stacks);
    if (s.nameFromPath) {
      warnPathDerivedName(this, 'The global datastore', s.cacheName, 'cacheName', this.primaryStack);
    }

    const vpcs = regions.map((region, i) => props.vpcProvider
      ? props.vpcProvider.vpcForRegion(this.stacks[i], region)
      : createDatabaseVpc({ stack: this.stacks[i], removalPolicy: s.keyRemoval, clientEndpoints: s.clientEndpoints }));
    this.authSecret = s.authSecretName !== undefined ? createAuthSecret(this.primaryStack, s, secondaryRegions) : undefined;

    // The primary first: it creates the global datastore whose id the secondaries read.
    const primary = this.createRegion(primaryRegion, vpcs[0], props);
    this.globalDatastore = primary.globalDatastore!;
    secondaryRegions.forEach((region, i) => this.createRegion(region, vpcs[i + 1], props));
    this.globalReplicationGroupId = this.globalDatastore.attrGlobalReplicationGroupId;
    this.vpcProvider = props.vpcProvider ?? new ClientVpcProvider((region) => this.sourceOf(region));

    this.recoveryEstimate = cacheEstimate({ lagSeconds: s.lagSeconds, pollInterval: s.pollInterval, assumptions: props.recoveryAssumptions });
    RecoveryModel.enforce('GlobalCache', this.recoveryEstimate, props.recoveryObjectives, ['`pollInterval`']);
    this.stacks.forEach((stack, i) => routeAlarms(stack, props.alarmTopicArns?.[regions[i]]));
  }

  /** The resources of `region`. */
  public regionalResources(region: string): GlobalCacheRegionResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this global datastore (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return r;
  }

  /** Applies `visitor` to the resources of every region, primary first. */
  public forEachRegion(visitor: IGlobalCacheRegionVisitor): void {
    for (const resources of this.byRegion.values()) {
      visitor.visitRegion(resources);
    }
  }

  /**
   * `GlobalDatastoreReplicationLag` of `region`'s replication group: the maximum over its nodes (in seconds; data only
   * while the region is a secondary, and only from its primary node), Maximum per minute. Up to 10 nodes (CloudWatch's
   * limit of metrics in one expression); a region with more nodes is covered by several alarms (`alarms`).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metricReplicationLag(region: string): cloudwatch.IMetric {
    const r = this.regionalResources(region);
    const nodes = nodeIds(r.replicationGroupId, this.s);
    if (nodes.length > 10) {
      throw new MultiRegionFailoverError(`\`region\` ${region} has ${nodes.length} nodes, more than the 10 metrics one CloudWatch expression can hold: use \`regionalResources(region).alarms\``);
    }
    return lagExpression(nodes, `GlobalDatastoreReplicationLag ${r.replicationGroupId}`);
  }

  /**
   * Lets `grantee` start the promotion state machine of `region` (`states:StartExecution`) and invoke its function. The
   * state machine and function are named `<cacheName>-promote` in every region, so the grantee may live in any stack.
   */
  public grantPromote(grantee: iam.IGrantable, region: string): iam.Grant {
    this.regionalResources(region);
    const partition = partitionOf(region);
    const name = `${this.cacheName}-promote`;
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:StartExecution', 'lambda:InvokeFunction'],
      resourceArns: [
        `arn:${partition}:states:${region}:${this.s.account}:stateMachine:${name}`,
        `arn:${partition}:lambda:${region}:${this.s.account}:function:${name}`,
      ],
    });
  }

  /** The members of one region: key and topic, network, replication group (and in the primary the global datastore), lag alarm, promotion. */
  private createRegion(region: string, vpc: ec2.IVpc, props: GlobalCacheProps): { globalDatastore?: elasticache.CfnGlobalReplicationGroup } {
    const s = this.s;
    const isPrimary = region === this.primaryRegion;
    const stack = this.stacks[isPrimary ? 0 : 1 + this.secondaryRegions.indexOf(region)];
    const { key, topic } = createKeyAndTopic(stack, region, s);
    const m = { stack, region, vpc, key, s };
    const net = createNetwork(m);
    let replicationGroup: elasticache.CfnReplicationGroup;
    let globalId: string;
    let globalDatastore: elasticache.CfnGlobalReplicationGroup | undefined;
    if (isPrimary) {
      const primary = createPrimaryMember(m, net, this.authSecret);
      replicationGroup = primary.replicationGroup;
      globalDatastore = primary.globalDatastore;
      globalId = primary.globalDatastore.attrGlobalReplicationGroupId;
      publishGlobalId(stack, s.cacheName, s.account, this.secondaryRegions, globalId);
    } else {
      globalId = readGlobalId(stack, s.cacheName);
      replicationGroup = createSecondaryMember(m, net, globalId);
    }
    const lag = isPrimary ? undefined : createLagAlarms(stack, region, s, topic);
    const promoter = new Promoter(stack, 'Promotion', {
      region,
      account: s.account,
      cacheName: s.cacheName,
      globalReplicationGroupId: globalId,
      replicationGroupIds: s.replicationGroupIds,
      replicationGroupArns: s.replicationGroupArns,
      topic,
      topicKey: key,
      pollInterval: s.pollInterval,
      maxPollAttempts: s.maxPollAttempts,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: s.keyRemoval,
    });
    const resources: GlobalCacheRegionResources = {
      region,
      isPrimary,
      stack,
      vpc,
      encryptionKey: key,
      securityGroup: net.securityGroup,
      replicationGroup,
      replicationGroupId: s.replicationGroupIds[region],
      primaryEndpoint: s.clusterMode ? replicationGroup.attrConfigurationEndPointAddress : replicationGroup.attrPrimaryEndPointAddress,
      readerEndpoint: s.clusterMode ? undefined : replicationGroup.attrReaderEndPointAddress,
      port: s.port,
      authSecretName: s.authSecretName,
      alarmTopic: topic,
      alarms: lag?.all ?? [],
      replicationLagAlarm: lag?.alarm,
      stateMachine: promoter.stateMachine,
      promoteFunction: promoter.handler,
    };
    this.byRegion.set(region, resources);
    this.publish(resources, !props.vpcProvider);
    return { globalDatastore };
  }

  private sourceOf(region: string): RegionSource {
    const r = this.regionalResources(region);
    return { gid: `cache/${this.cacheName}`, region, account: this.s.account, stack: r.stack, vpc: r.vpc };
  }

  /** SSM parameters (for clients in other stacks of the region, read at deploy time) and outputs (no exports). */
  private publish(r: GlobalCacheRegionResources, ownVpc: boolean): void {
    const { stack, region } = r;
    publishParameters(stack, this.cacheName, {
      ...(ownVpc ? vpcParameters(r.vpc) : {}),
      'primary-endpoint': r.primaryEndpoint,
      ...(r.readerEndpoint ? { 'reader-endpoint': r.readerEndpoint } : {}),
      'port': String(r.port),
      'security-group-id': r.securityGroup.securityGroupId,
      ...(r.authSecretName ? { 'auth-secret-name': r.authSecretName } : {}),
    });
    new CfnOutput(stack, 'PrimaryEndpoint', {
      value: r.primaryEndpoint,
      description: `${this.s.clusterMode ? 'Configuration' : 'Primary'} endpoint of ${r.replicationGroupId} (writable while ${region} is the primary)`,
    });
    if (r.readerEndpoint) {
      new CfnOutput(stack, 'ReaderEndpoint', { value: r.readerEndpoint, description: `Reader endpoint of ${r.replicationGroupId}` });
    }
    new CfnOutput(stack, 'PromoteStateMachineArn', {
      value: r.stateMachine.stateMachineArn,
      description: `Promotes ${region} (or {"targetRegion": "..."}) to primary of the global datastore ${this.cacheName}`,
    });
  }
}
