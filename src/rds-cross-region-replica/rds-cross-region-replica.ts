import { CfnOutput, Duration, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { createKeyAndTopic, createReplicaAlarms } from './alarms';
import { rdsEstimate } from './estimate';
import { createPrimary, createReplica } from './instances';
import { Promoter } from './promoter';
import { IRdsReplicaRegionVisitor, RdsCrossRegionReplicaProps, RdsReplicaRegionResources, RegionSwitchStepOptions } from './props';
import { planRegions, regionSwitchStep, timeoutMinutes } from './region-switch';
import { resolveSettings, Settings } from './settings';
import { RdsCrossRegionReplicaSupport } from './support';
import { createReplicaWriterRecord, createWriterStack, PROMOTION_METRIC } from './writer-dns';
import { createDatabaseVpc } from '../aurora-global-failover/network';
import { secretReplicaArn } from '../aurora-global-failover/secret-replica';
import { routeAlarms } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName, warnPathDerivedName } from '../core/naming';
import { partitionOf } from '../core/partition';
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

/** The root of the SSM parameters each regional stack writes: `/cdk-multi-region-failover/rds/<id>/<region>/<name>`. */
const PARAMETER_ROOT = '/cdk-multi-region-failover/rds';

/** The per-region basics every region gets before its instance. */
interface RegionBase {
  readonly region: string;
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  readonly key: kms.Key;
  readonly topic: sns.Topic;
}

/**
 * An RDS for PostgreSQL (default) or MySQL instance with encrypted cross-Region read replicas in 1 to 5 other regions,
 * and a promotion runbook (Step Functions) in every region.
 *
 * - One stack per region (`<stackNamePrefix>-db-<region>`) under an App or a Stage. The primary stack holds a Multi-AZ
 *   `DatabaseInstance` (gp3, KMS key of its region, automated backups, deletion protection, IAM authentication, TLS
 *   required by its parameter group) and the master secret, replicated to every replica region. Each replica stack holds
 *   an `AWS::RDS::DBInstance` read replica whose `SourceDBInstanceIdentifier` is the primary's ARN, built from the
 *   identifier (no cross-region reference), with `SourceRegion`, its own region's KMS key, parameter group, subnet group
 *   and security group. Replica stacks depend on the primary stack.
 * - Per region: a state machine `<id>-promote-replica` that promotes that region's replica (`PromoteReadReplica`),
 *   polling until the instance is available and no longer a replica; `ReplicaLag` alarms per replica; an encrypted SNS
 *   topic; SSM parameters and outputs.
 * - Optional `writerDnsRecord`: a name that follows the promoted instance through Route 53 health checks, with no Route 53
 *   API call at failover (a `<prefix>-db-writer-<primary>` stack holds its primary-region records).
 * - `regionSwitchPromoteStep` / `regionSwitchCreateReplicaStep`: the ARC Region switch execution blocks for a plan.
 */
export class RdsCrossRegionReplica extends Construct {
  /** Every regional stack, primary first (the writer stack is not among them). */
  public readonly stacks: Stack[];
  /** The primary region's stack. */
  public readonly primaryStack: Stack;
  /** The stack of the writer DNS name's primary-region records, if `writerDnsRecord` is set. */
  public readonly writerStack?: Stack;
  /** The primary region. */
  public readonly primaryRegion: string;
  /** The replica regions. */
  public readonly replicaRegions: string[];
  /** The base identifier: instances are `<instanceIdentifier>-<region>`. */
  public readonly instanceIdentifier: string;
  /** The primary instance. */
  public readonly primaryInstance: rds.DatabaseInstance;
  /**
   * The master secret (primary region; replicated to every replica region). A resource of the primary stack: for
   * another region use `regionalResources(region).secretArn`.
   */
  public readonly secret: secretsmanager.ISecret;
  /**
   * The writer DNS name, if `writerDnsRecord` is set: the primary until a replica is promoted, then the promoted one.
   * @default - no writer DNS name
   */
  public readonly writerEndpoint?: string;
  /**
   * Recovery estimate of a promotion under this configuration: `rto` is the budget (worst case under the stated
   * assumptions), unbounded without `writerDnsRecord`; the RPO is unbounded (asynchronous replication).
   */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, RdsReplicaRegionResources>();
  private readonly s: Settings;

  constructor(scope: Construct, id: string, props: RdsCrossRegionReplicaProps) {
    super(scope, id);
    validateMultiRegionScope(scope, 'RdsCrossRegionReplica');
    const regions = validateRegions(props.regions, { min: 2, max: RdsCrossRegionReplicaSupport.MAX_REGIONS, property: 'regions' });
    const [primaryRegion, ...replicaRegions] = regions;
    this.primaryRegion = primaryRegion;
    this.replicaRegions = replicaRegions;
    const s = resolveSettings(this, props, regions);
    this.s = s;
    this.instanceIdentifier = s.id;

    this.stacks = regions.map((region) => new RegionalStack(this, region, {
      env: { account: s.account, region },
      stackName: regionalStackName(s.stackNamePrefix, 'db', region),
      description: `RDS ${s.id}-${region}: ${region === primaryRegion ? 'primary instance' : `cross-Region read replica of ${s.id}-${primaryRegion}`} (cdk-multi-region-failover)`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'the read replica is created from the primary instance, named by its ARN');
    }
    if (s.idFromPath) {
      warnPathDerivedName(this, 'The DB instances', `${s.id}-<region>`, 'instanceIdentifier', this.primaryStack);
    }
    const base = regions.map((region, i) => this.createRegionBase(this.stacks[i], region, props));

    const primary = createPrimary({ ...base[0], s }, replicaRegions, props.masterUsername ?? 'dbadmin', props.databaseName);
    this.primaryInstance = primary.instance;
    this.secret = primary.secret;
    base.forEach((b, i) => this.createRegion(b, i === 0, props, primary));

    if (s.dns) {
      this.writerStack = createWriterStack(this, {
        account: s.account,
        primaryRegion,
        stackName: regionalStackName(s.stackNamePrefix, 'db-writer', primaryRegion),
        primaryInstanceIdentifier: `${s.id}-${primaryRegion}`,
        endpointParameterName: this.parameterName(primaryRegion, 'endpoint'),
        replicas: replicaRegions.map((region) => ({ region, instanceIdentifier: `${s.id}-${region}` })),
        dns: s.dns,
      });
      for (const stack of this.stacks) {
        this.writerStack.addDependency(stack, 'the writer records read the primary endpoint and watch every replica region\'s promotion alarm');
      }
      this.writerEndpoint = s.dns.recordName;
    }
    claimStackNames(this, this.writerStack ? [...this.stacks, this.writerStack] : this.stacks);

    this.recoveryEstimate = rdsEstimate({
      pollInterval: s.pollInterval,
      promotionTime: s.promotionTime,
      lagSeconds: s.lagSeconds,
      dnsTtl: s.dns?.ttl,
      assumptions: props.recoveryAssumptions,
    });
    RecoveryModel.enforce('RdsCrossRegionReplica', this.recoveryEstimate, props.recoveryObjectives,
      s.dns ? ['`pollInterval`', '`writerDnsRecord.ttl`'] : []);

    base.forEach((b) => routeAlarms(b.stack, props.alarmTopicArns?.[b.region], { okActions: true }));
  }

  /** The resources of `region`. */
  public regionalResources(region: string): RdsReplicaRegionResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this construct (${[...this.byRegion.keys()].join(', ')}), got: ${region}`);
    }
    return r;
  }

  /** Applies `visitor` to the resources of every region, primary first. */
  public forEachRegion(visitor: IRdsReplicaRegionVisitor): void {
    for (const resources of this.byRegion.values()) {
      visitor.visitRegion(resources);
    }
  }

  /** The ARN of `region`'s instance, `arn:<partition>:rds:<region>:<account>:db:<instanceIdentifier>-<region>` (a plain string). */
  public instanceArnFor(region: string): string {
    return this.regionalResources(region).instanceArn;
  }

  /**
   * `ReplicaLag` of `regionName`'s replica in seconds (data only while it is a replica): what an unplanned promotion there
   * would lose. Maximum over 1 minute by default, in `regionName`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html
   */
  public metricReplicaLag(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const r = this.regionalResources(regionName);
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'ReplicaLag',
      dimensionsMap: { DBInstanceIdentifier: r.instanceIdentifier },
      statistic: 'Maximum',
      period: Duration.minutes(1),
      region: regionName,
      account: this.s.account,
      ...props,
    });
  }

  /**
   * Lets `grantee` start the promotion state machine of `region` (`states:StartExecution`), named by its deterministic ARN
   * so the grantee may live in any stack. Anyone with it can promote the replica (with data loss in `unplanned` mode):
   * grant it narrowly.
   */
  public grantStartPromotion(grantee: iam.IGrantable, region: string): iam.Grant {
    this.regionalResources(region);
    const arn = `arn:${partitionOf(region)}:states:${region}:${this.s.account}:stateMachine:${this.stateMachineName}`;
    return iam.Grant.addToPrincipal({ grantee, actions: ['states:StartExecution'], resourceArns: [arn] });
  }

  /**
   * The ARC Region switch step that promotes the read replica of the Region the plan activates (execution block
   * `RdsPromoteReadReplica`), for `AWS::ARCRegionSwitch::Plan` workflows (`aws_arcregionswitch.CfnPlan`, active/passive
   * plans only). The plan's execution role needs `rds:DescribeDBInstances`, `rds:PromoteReadReplica` and
   * `rds:ModifyDBInstance` on the instances. Region switch promotes the replica itself: the writer DNS name follows
   * through the watcher within a minute.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/rds-promote-read-replica-block.html
   */
  public regionSwitchPromoteStep(options?: RegionSwitchStepOptions): arcregionswitch.CfnPlan.StepProperty {
    const o = options ?? {};
    const regions = planRegions(o, [this.primaryRegion, ...this.replicaRegions]);
    return regionSwitchStep('RdsPromoteReadReplica', o.name ?? `promote-${this.instanceIdentifier}`,
      `Promote the RDS read replica ${this.instanceIdentifier}-<activated Region> to a standalone instance`,
      this.arnMap(regions), timeoutMinutes(o.timeout));
  }

  /**
   * The ARC Region switch post-recovery step that re-creates a cross-Region read replica of the promoted instance in the
   * other Region (execution block `RdsCreateCrossRegionReplica`): Region switch renames the old primary (it keeps running
   * and costs money until you delete it) and creates the replica with the old primary's identifier, parameter group,
   * subnet group, KMS key and security groups. The plan's execution role also needs `rds:CreateDBInstanceReadReplica`.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/rds-create-cross-region-replica-block.html
   */
  public regionSwitchCreateReplicaStep(options?: RegionSwitchStepOptions): arcregionswitch.CfnPlan.StepProperty {
    const o = options ?? {};
    const regions = planRegions(o, [this.primaryRegion, ...this.replicaRegions]);
    return regionSwitchStep('RdsCreateCrossRegionReplica', o.name ?? `recreate-replica-${this.instanceIdentifier}`,
      `Re-create the cross-Region read replica of ${this.instanceIdentifier} from the promoted instance`,
      this.arnMap(regions), timeoutMinutes(o.timeout));
  }

  private arnMap(regions: string[]): { [region: string]: string } {
    return Object.fromEntries(regions.map((r) => [r, this.s.instanceArns[r]]));
  }

  private get stateMachineName(): string {
    return `${this.instanceIdentifier}-promote-replica`;
  }

  private parameterName(region: string, name: string): string {
    return `${PARAMETER_ROOT}/${this.instanceIdentifier}/${region}/${name}`;
  }

  private createRegionBase(stack: Stack, region: string, props: RdsCrossRegionReplicaProps): RegionBase {
    const vpc = props.vpcProvider
      ? props.vpcProvider.vpcForRegion(stack, region)
      : createDatabaseVpc({ stack, removalPolicy: this.s.keyRemoval, clientEndpoints: this.s.clientEndpoints });
    const { key, topic } = createKeyAndTopic(stack, region, this.s);
    return { region, stack, vpc, key, topic };
  }

  private createRegion(b: RegionBase, isPrimary: boolean, props: RdsCrossRegionReplicaProps,
    primary: { instance: rds.DatabaseInstance; parameterGroupName: string }): void {
    const { s } = this;
    const { region, stack, key, topic } = b;
    const instanceIdentifier = `${s.id}-${region}`;
    let cfnInstance: rds.CfnDBInstance;
    let securityGroup: ec2.ISecurityGroup;
    let parameterGroupName: string;
    let endpointAddress: string;
    const alarms: cloudwatch.IAlarm[] = [];
    if (isPrimary) {
      cfnInstance = primary.instance.node.defaultChild as rds.CfnDBInstance;
      securityGroup = primary.instance.connections.securityGroups[0];
      parameterGroupName = primary.parameterGroupName;
      endpointAddress = primary.instance.dbInstanceEndpointAddress;
    } else {
      const replica = createReplica({ ...b, s }, this.primaryRegion);
      cfnInstance = replica.instance;
      securityGroup = replica.securityGroup;
      parameterGroupName = replica.parameterGroupName;
      endpointAddress = replica.instance.attrEndpointAddress;
      alarms.push(...createReplicaAlarms(stack, region, instanceIdentifier, s.lagSeconds, topic));
      if (s.dns) {
        alarms.push(createReplicaWriterRecord({
          stack, region, instanceIdentifier, endpointAddress, dns: s.dns, replicaCount: this.replicaRegions.length, topic,
        }));
      }
    }
    const promoter = new Promoter(stack, 'Promoter', {
      region,
      account: s.account,
      instanceIdentifier,
      instanceArn: s.instanceArns[region],
      topic,
      topicKey: key,
      backupRetentionDays: s.backupDays,
      maxReplicaLagSeconds: s.lagSeconds,
      stateMachineName: this.stateMachineName,
      pollInterval: s.pollInterval,
      maxPollAttempts: s.maxPollAttempts,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: s.keyRemoval,
      promotionMetric: s.dns && !isPrimary ? PROMOTION_METRIC : undefined,
    });
    const secretArn = isPrimary ? this.secret.secretArn : secretReplicaArn(stack, `rds/${s.id}`, this.primaryRegion);
    this.byRegion.set(region, {
      region,
      isPrimary,
      stack,
      vpc: b.vpc,
      encryptionKey: key,
      securityGroup,
      cfnInstance,
      instance: isPrimary ? primary.instance : undefined,
      instanceIdentifier,
      instanceArn: s.instanceArns[region],
      endpointAddress,
      port: s.checked.port,
      secretArn,
      parameterGroupName,
      alarmTopic: topic,
      alarms,
      stateMachine: promoter.stateMachine,
      promoteFunction: promoter.handler,
    });
    this.publish(stack, region, isPrimary, {
      endpointAddress, secretArn, securityGroupId: securityGroup.securityGroupId, key, stateMachineArn: promoter.stateMachine.stateMachineArn,
    });
  }

  /**
   * SSM parameters for clients, runbooks and the writer stack (read at deploy time in the same region: no exports), and
   * outputs for people (no `exportName`).
   */
  private publish(stack: Stack, region: string, isPrimary: boolean,
    v: { endpointAddress: string; secretArn: string; securityGroupId: string; key: kms.IKey; stateMachineArn: string }): void {
    const values: { [name: string]: string } = {
      'endpoint': v.endpointAddress,
      'port': String(this.s.checked.port),
      'secret-arn': v.secretArn,
      'security-group-id': v.securityGroupId,
      'kms-key-arn': v.key.keyArn,
      'instance-arn': this.s.instanceArns[region],
    };
    for (const [name, value] of Object.entries(values)) {
      new ssm.StringParameter(stack, `Parameter-${name}`, {
        parameterName: this.parameterName(region, name),
        stringValue: value,
        description: `RDS ${this.instanceIdentifier}-${region}: ${name} (cdk-multi-region-failover)`,
      });
    }
    const role = isPrimary ? 'the primary instance' : 'the read replica (after a promotion: a standalone writer)';
    new CfnOutput(stack, 'Endpoint', { value: v.endpointAddress, description: `Endpoint of ${this.instanceIdentifier}-${region}, ${role}` });
    new CfnOutput(stack, 'SecretArn', { value: v.secretArn, description: `Master secret of ${this.instanceIdentifier} in ${region}` });
    new CfnOutput(stack, 'StateMachineArn', {
      value: v.stateMachineArn,
      description: `Promotes ${this.instanceIdentifier}-${region}: start it with {"mode":"planned"} (writes stopped) or {"mode":"unplanned"} (primary region down)`,
    });
  }
}
