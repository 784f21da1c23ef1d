import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AuroraGlobalBehavior, AuroraStepOptions, RecoveryApproach, RegionSwitchStep, Route53StepOptions, StepOptions } from './props';
import { assumedTerm, PlanContext } from './steps';
import { wholeMinutes } from './validation';
import { AuroraGlobalFailover } from '../aurora-global-failover/aurora-global-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { partitionOf } from '../core/partition';
import { RecoveryModel } from '../core/recovery';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryPointInput, RecoveryTerm } from '../core/recovery-types';
import { FailoverDns } from '../failover-dns/failover-dns';
import { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';
import { MultiRegionApi } from '../multi-region-api/multi-region-api';
import { RdsCrossRegionReplica } from '../rds-cross-region-replica/rds-cross-region-replica';

/*
 * Execution blocks built from this library's constructs. Each checks that the construct runs in the plan's two Regions.
 */

const AURORA_API = 'https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html';
const R53_BLOCK = 'https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html';
const RDS_BLOCK = 'https://docs.aws.amazon.com/r53recovery/latest/dg/rds-promote-read-replica-block.html';

function requireRegions(ctx: PlanContext, what: string, regions: string[]): void {
  const missing = ctx.regions.filter((r) => !regions.includes(r));
  if (missing.length) {
    throw new MultiRegionFailoverError(`${what} must run in both of the plan's Regions (${ctx.regions.join(', ')}), got one in ${regions.join(', ')}: `
      + 'a Region switch plan can only act on resources of its own Region pair');
  }
}

/**
 * The Aurora global database block. "`switchoverOnly` - Calls `SwitchoverGlobalCluster` for a zero-data-loss switchover
 * during graceful execution. `failover` - Calls `FailoverGlobalCluster` with `AllowDataLoss` set to `true`" (AURORA_API).
 * Sample policy: `rds:DescribeGlobalClusters`, `rds:DescribeDBClusters` on "*"; `rds:FailoverGlobalCluster`,
 * `rds:SwitchoverGlobalCluster` on the global cluster and its member clusters
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_aurora.html); here only the calls the step
 * can make.
 * @internal
 */
export function auroraStep(ctx: PlanContext, aurora: AuroraGlobalFailover, o: AuroraStepOptions,
  assumptions?: RecoveryAssumptions): RegionSwitchStep {
  requireRegions(ctx, `\`aurora\` (AuroraGlobalFailover ${aurora.node.path})`, [aurora.primaryRegion, ...aurora.secondaryRegions]);
  const account = aurora.primaryStack.account;
  const gid = aurora.globalClusterIdentifier;
  const partition = partitionOf(ctx.primaryRegion);
  const clusterArns = ctx.regions.map((r) => `arn:${partition}:rds:${r}:${account}:cluster:${aurora.regionalResources(r).clusterIdentifier}`);
  const behavior = o.behavior ?? AuroraGlobalBehavior.SWITCHOVER_ONLY;
  const ungraceful = o.ungracefulFailover ?? true;
  const canFailOver = behavior === AuroraGlobalBehavior.FAILOVER || ungraceful;
  const calls = [
    ...(behavior === AuroraGlobalBehavior.SWITCHOVER_ONLY ? ['rds:SwitchoverGlobalCluster'] : []),
    ...(canFailOver ? ['rds:FailoverGlobalCluster'] : []),
  ];
  const name = o.name ?? `aurora-${gid}`;
  const promotion = assumptions?.auroraPromotion ?? RecoveryModel.AURORA_PROMOTION;
  const e = aurora.recoveryEstimate;
  // Aurora's own estimate holds the data a failover may lose (replication lag, or the managed RPO bound).
  return {
    name,
    configuration: {
      name,
      description: o.description ?? `${behavior === AuroraGlobalBehavior.FAILOVER ? 'Fail' : 'Switch'} the global database ${gid} over to the activated Region`,
      executionBlockType: 'AuroraGlobalDatabase',
      executionBlockConfiguration: {
        globalAuroraConfig: {
          behavior,
          globalClusterIdentifier: gid,
          databaseClusterArns: clusterArns,
          timeoutMinutes: wholeMinutes(o.timeout, 'timeout'),
          ungraceful: ungraceful ? { ungraceful: 'failover' } : undefined,
        },
      },
    },
    permissions: [
      new iam.PolicyStatement({ actions: ['rds:DescribeGlobalClusters', 'rds:DescribeDBClusters'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: calls, resources: [`arn:${partition}:rds::${account}:global-cluster:${gid}`, ...clusterArns] }),
    ],
    recoveryTerms: [{
      label: `Aurora global database ${canFailOver ? 'failover' : 'switchover'} (${gid})`,
      duration: promotion,
      typical: Duration.seconds(Math.min(promotion.toSeconds(), RecoveryModel.AURORA_PROMOTION_TYPICAL.toSeconds())),
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS: a secondary "typically" takes over "within a few minutes": no bound is published',
      setting: '`recoveryAssumptions.auroraPromotion`',
    }],
    manualReason: canFailOver ? undefined
      : `its Aurora step "${name}" only switches over (\`behavior: SWITCHOVER_ONLY\`, \`ungracefulFailover: false\`): a switchover needs every Region healthy`,
    recoveryPoint: canFailOver ? rpoOf(e) : undefined,
  };
}

function rpoOf(e: RecoveryEstimate): RecoveryPointInput {
  const bound = e.rpoBounded ? e.rpo : undefined;
  return { bound, typical: e.typicalRpo, mechanism: e.rpoMechanism, basis: RecoveryBasis.DOCUMENTED, source: AURORA_API };
}

/** A Route 53 health check block's target: the records of each plan Region. @internal */
export interface Route53Target {
  readonly what: string;
  readonly recordName: string;
  /** The endpoint record of each plan Region. */
  readonly records: { [region: string]: FailoverEndpointRecord };
  /** The TTL terms of the records' recovery estimate (resolvers' caches). */
  readonly ttlTerms: RecoveryTerm[];
}

function tryEndpoint(dns: FailoverDns, region: string): FailoverEndpointRecord | undefined {
  try {
    return dns.endpointRecord(region);
  } catch {
    return undefined;
  }
}

/** The records of a `FailoverDns` for the plan: exactly its two endpoints, in the plan's Regions. @internal */
export function dnsTarget(ctx: PlanContext, dns: FailoverDns): Route53Target {
  const what = `\`dns\` (FailoverDns ${dns.node.path})`;
  const found = ctx.regions.filter((r) => tryEndpoint(dns, r) !== undefined);
  if (dns.endpointRecords.length !== 2 || found.length !== 2) {
    throw new MultiRegionFailoverError(`${what} must have exactly the plan's 2 Regions as endpoints (${ctx.regions.join(', ')}), got `
      + `${dns.endpointRecords.length} endpoints, of which in the plan's Regions: ${found.join(', ') || 'none'}; a Region switch plan has two Regions`);
  }
  if (ctx.approach === RecoveryApproach.ACTIVE_PASSIVE && dns.endpointRecords[0] !== dns.endpointRecord(ctx.primaryRegion)) {
    throw new MultiRegionFailoverError(`${what} must have the plan's primary Region ${ctx.primaryRegion} as its first (PRIMARY) endpoint`);
  }
  return {
    what,
    recordName: dns.recordName,
    records: Object.fromEntries(ctx.regions.map((r) => [r, dns.endpointRecord(r)])),
    ttlTerms: dns.recoveryEstimate.propagationTerms.filter((t) => /TTL/.test(t.label)),
  };
}

/** The records of a `MultiRegionApi` for the plan: exactly its two Regions. @internal */
export function apiTarget(ctx: PlanContext, api: MultiRegionApi): Route53Target {
  const what = `\`api\` (MultiRegionApi ${api.node.path})`;
  if (api.regions.length !== 2) {
    throw new MultiRegionFailoverError(`${what} must run in exactly the plan's 2 Regions (${ctx.regions.join(', ')}), got ${api.regions.length}: `
      + `${api.regions.join(', ')}; a Region switch plan has two Regions`);
  }
  requireRegions(ctx, what, api.regions);
  if (ctx.approach === RecoveryApproach.ACTIVE_PASSIVE && api.regions[0] !== ctx.primaryRegion) {
    throw new MultiRegionFailoverError(`${what} must have the plan's primary Region ${ctx.primaryRegion} as its first Region, got: ${api.regions[0]}`);
  }
  return {
    what,
    recordName: api.domainName,
    records: Object.fromEntries(ctx.regions.map((r) => [r, api.region(r).endpointRecord])),
    ttlTerms: api.recoveryEstimate.propagationTerms.filter((t) => /TTL/.test(t.label)),
  };
}

/** The hosted zone id of the records: concrete, or a token of the plan's own stack. @internal */
export function hostedZoneIdOf(ctx: PlanContext, target: Route53Target): string {
  const record = Object.values(target.records)[0];
  const cfn = record.records[0]?.node.defaultChild as route53.CfnRecordSet | undefined;
  const zoneId = cfn?.hostedZoneId;
  if (!zoneId) {
    throw new MultiRegionFailoverError(`${target.what} must have records, got none in ${record.node.path}`);
  }
  if (Token.isUnresolved(zoneId) && Stack.of(record) !== ctx.stack) {
    throw new MultiRegionFailoverError(`${target.what} must use a hosted zone given by id (HostedZone.fromHostedZoneAttributes) when the plan is in `
      + `another stack, got a zone id token of ${Stack.of(record).stackName}`);
  }
  return zoneId;
}

/**
 * The Route 53 health check block: "The execution block creates Amazon Route 53 health checks, which you then attach to
 * Route 53 DNS records in your account. When you execute your Region switch plan, the Route 53 health check state is
 * updated" (R53_BLOCK). The record sets are named explicitly (`recordSets`: set identifier and Region of each plan Region),
 * so Region switch need not guess them from the names. Sample policy: `route53:ListResourceRecordSets` on the hosted zone
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_route53.html).
 * Estimate: the plan's health checks have settings AWS does not publish, so Route 53's defaults (30 s × 3) are assumed,
 * then checker-to-DNS propagation and the records' TTL.
 * @internal
 */
export function route53Step(ctx: PlanContext, target: Route53Target, zoneId: string, o: Route53StepOptions,
  assumptions?: RecoveryAssumptions): RegionSwitchStep {
  const name = o.name ?? `dns-${target.recordName.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const recordSets = ctx.regions.map((region) => {
    const cfn = target.records[region].records[0]?.node.defaultChild as route53.CfnRecordSet | undefined;
    return { recordSetIdentifier: cfn?.setIdentifier ?? region, region };
  });
  const detection = RecoveryModel.healthCheckDetection(Duration.seconds(30), 3, { assumedSettings: true })
    .map((t) => ({ ...t, label: `plan's ${t.label}`, source: `${R53_BLOCK}: the settings of the health checks the plan creates are not published` }));
  return {
    name,
    configuration: {
      name,
      description: o.description ?? `Flip the plan's Route 53 health checks of ${target.recordName}`,
      executionBlockType: 'Route53HealthCheck',
      executionBlockConfiguration: {
        route53HealthCheckConfig: { hostedZoneId: zoneId, recordName: target.recordName, recordSets, timeoutMinutes: wholeMinutes(o.timeout, 'timeout') },
      },
    },
    permissions: [new iam.PolicyStatement({
      actions: ['route53:ListResourceRecordSets'],
      resources: [`arn:${partitionOf(ctx.primaryRegion)}:route53:::hostedzone/${zoneId}`],
    })],
    recoveryTerms: [...detection, RecoveryModel.healthCheckPropagation(assumptions), ...target.ttlTerms],
  };
}

/**
 * The RDS read replica promotion block, from `RdsCrossRegionReplica.regionSwitchPromoteStep` ("This block only supports
 * active/passive plans", RDS_BLOCK). Sample policy: `rds:DescribeDBInstances`, `rds:PromoteReadReplica`,
 * `rds:CreateDBInstanceReadReplica`, `rds:ModifyDBInstance` on "*"
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_rds.html); here Describe on "*" and the
 * promotion calls on the two instances only.
 * @internal
 */
export function rdsPromoteStep(ctx: PlanContext, replica: RdsCrossRegionReplica, o: StepOptions): RegionSwitchStep {
  requireRegions(ctx, `\`replica\` (RdsCrossRegionReplica ${replica.node.path})`, [replica.primaryRegion, ...replica.replicaRegions]);
  if (ctx.approach !== RecoveryApproach.ACTIVE_PASSIVE) {
    throw new MultiRegionFailoverError('`replica` steps need an active/passive plan (the RDS promote read replica block only supports active/passive plans), '
      + `got: ${ctx.approach}`);
  }
  const configuration = replica.regionSwitchPromoteStep({ planRegions: ctx.regions, name: o.name, timeout: o.timeout });
  const arns = ctx.regions.map((r) => replica.instanceArnFor(r));
  return {
    name: configuration.name,
    configuration: o.description ? { ...configuration, description: o.description } : configuration,
    permissions: [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['rds:PromoteReadReplica', 'rds:ModifyDBInstance'], resources: arns }),
    ],
    recoveryTerms: [assumedTerm(`RDS read replica promotion (${replica.instanceIdentifier})`, Duration.minutes(15), 'none (AWS publishes no bound)',
      `AWS: the promotion "can take several minutes or longer" (${RDS_BLOCK}); 15 min is RdsCrossRegionReplica's default budget`)],
    recoveryPoint: {
      typical: Duration.seconds(5),
      mechanism: 'asynchronous replication: the promoted replica has what it had replayed (ReplicaLag)',
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS publishes no typical cross-Region ReplicaLag; 5 s is this library\'s assumption',
    },
  };
}
