import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALARM_REGION, apiGatewayMetric } from './alarms';
import { ApiHealthAlarmsStack } from './api-health-alarms-stack';
import { grantReplica, READ_DATA_ACTIONS, WRITE_DATA_ACTIONS } from './grants';
import { TYPICAL_REPLICATION_LAG } from './handler-options';
import { ApiRecordMode, IRegionalApiVisitor, RegionalApi } from './options';
import { MultiRegionApiProps } from './props';
import { RegionalApiStack, RegionalApiStackProps } from './regional-api-stack';
import { ApiSettings, resolveProps, validatesRegionalApis } from './validation';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName } from '../core/naming';
import { RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryPointInput } from '../core/recovery';
import { validateMultiRegionScope } from '../core/regions';
import { claimRecordName, claimStackNames } from '../core/validation';
import { validatesEndpointRecords } from '../failover-dns/internal';
import { FailoverRouting } from '../failover-dns/options';
import { wireRegionSwitchPlan } from '../region-switch-plan/record-wiring';
import type { RegionSwitchPlan } from '../region-switch-plan/region-switch-plan';

const GLOBAL_TABLES_DOC = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html';

/**
 * The same REST API in every region, behind one health-checked Route 53 name:
 *
 * Client → Route 53 (failover or latency, health-checked) → API Gateway (REGIONAL, custom domain, TLS 1.2,
 * throttling, access logs, optional CORS) → Lambda → DynamoDB global table replica of that region.
 *
 * Created under an App or a Stage: it creates one Stack per region (`<prefix>-api-<region>`, the prefix by default
 * from the record name, e.g. `api-example-com`), plus `<prefix>-api-alarms-us-east-1` for the Route 53
 * `HealthCheckStatus` alarms of every region (with `alarms`), and no stack references another. Each regional stack owns its certificate (DNS-validated in the imported zone), API,
 * handler, health check and failover record (`FailoverEndpointRecord`). The global table lives in the
 * primary stack; the other stacks depend on it and reach their replica by its deterministic name.
 * Each regional stack is a `RegionalApiStack` (`regionalApiStacks`), the alarms stack an `ApiHealthAlarmsStack`
 * (`healthAlarmsStack`): building blocks you can also use alone, e.g. to put each region in a Stage of your own.
 *
 * Secure by default: an API with routes needs an explicit `authorization` (Cognito, or `ApiAuthorization.none()`
 * for a public API, with a synth warning); no CORS unless asked for; the handler may only `GetItem` and `PutItem`
 * on its own region's replica, the health function only `GetItem`; the built-in `POST /write` is a conditional create
 * in the local replica, bodies up to 16 KiB. That create never overwrites an item with a STRONG (MRSC) table, or while
 * writes go to one region (failover routing, outside a failover or failback); with an EVENTUAL (MREC) table, DynamoDB
 * evaluates the condition against the local replica and resolves concurrent writes of two regions by last writer wins,
 * so two creates of one key in two regions both succeed and one is lost (synthesis warns with latency routing).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 *
 * Health checks call each region's default execute-api endpoint (`{restApiId}.execute-api.{region}.
 * amazonaws.com/<stage>/health`), not the shared name: the shared name resolves to whichever region is
 * active, and API Gateway routes a custom domain by SNI/Host, so a check of the regional domain name
 * (`d-xxxx...`) would be answered 403. Route 53 HTTPS checks send SNI = fqdn and don't validate
 * certificates; the execute-api host has its own valid certificate and routes by stage path. That is why
 * the execute-api endpoint stays enabled. `/health` has its own method throttling and its own function (so the
 * routes' function-level Lambda limits cannot throttle it; `healthReservedConcurrency` optionally reserves
 * concurrency for it), and reads the local replica once within 0.8 s (Route 53 wants a 2xx/3xx within 2 s of
 * connecting), so the check fails when API Gateway, Lambda or DynamoDB fail in that region. The account-level
 * limits of the region (API Gateway requests, Lambda unreserved concurrency) still apply to it.
 *
 * Default settings (10 s × 2 checks, 15 s CNAME TTL) give an RTO budget of 51 s (typical 45 s). With an EVENTUAL
 * global table the RPO is unbounded (typically about a second); STRONG consistency bounds it at zero.
 */
export class MultiRegionApi extends Construct {
  /** The regions in priority order (the first is the primary). */
  public readonly regions: string[];
  /** The regional stacks in `regions` order. */
  public readonly stacks: Stack[];
  /** The primary region's stack (it holds the global table). */
  public readonly primaryStack: Stack;
  /**
   * The stack in us-east-1 with the `HealthCheckStatus` alarms of every region (`alarms: true`); it depends on every
   * regional stack, and reads each health check id from an SSM parameter when it deploys.
   */
  public readonly alarmsStack?: Stack;
  /** The `HealthCheckStatus` alarms, one per region in `regions` order, in `alarmsStack`. */
  public readonly healthCheckAlarms: cloudwatch.Alarm[];
  /** The global table (in the primary stack). */
  public readonly table: dynamodb.ITableV2;
  /** The prefix of the stack names (`<prefix>-api-<region>`), from `stackNamePrefix` or the record name. */
  public readonly stackNamePrefix: string;
  /** The global table's name (the same in every region). */
  public readonly tableName: string;
  /** The name clients call (no trailing dot). */
  public readonly domainName: string;
  /** `https://<domainName>`. */
  public readonly url: string;
  /** Everything created per region, in `regions` order. */
  public readonly regionalApis: RegionalApi[];
  /** The regional stacks in `regions` order (the same as `stacks`): the building blocks, one per region. */
  public readonly regionalApiStacks: RegionalApiStack[];
  /** The alarms stack (the same as `alarmsStack`), with `alarms`. */
  public readonly healthAlarmsStack?: ApiHealthAlarmsStack;
  /** Recovery: the slowest region's DNS failover (budget and typical) and the table's data loss. */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, RegionalApi>();
  private readonly account: string;
  private readonly tableKeyArns?: { [region: string]: string };
  private readonly routing: FailoverRouting;
  private regionSwitchPlan?: RegionSwitchPlan;

  constructor(scope: Construct, id: string, props: MultiRegionApiProps) {
    validateMultiRegionScope(scope, 'MultiRegionApi');
    super(scope, id);
    // This construct validates its input once; its regional stacks and records do not repeat the errors.
    validatesEndpointRecords(this);
    validatesRegionalApis(this);

    const { account, regions, lag, ...settings } = resolveProps(this, props);
    const { prefix, strong } = settings;
    this.account = account;
    this.tableKeyArns = props.tableKeyArns;
    this.regions = regions;
    this.tableName = settings.tableName;
    this.stackNamePrefix = prefix;
    this.domainName = settings.recordName;
    this.url = `https://${settings.recordName}`;
    const alarms = props.alarms ?? true;

    // One stack per region, deterministic ids and names (`<prefix>-api-<region>`, the scheme of every construct); the
    // primary holds the global table, the others depend on it.
    this.regionalApiStacks = [];
    for (const [index, region] of regions.entries()) {
      this.regionalApiStacks.push(new RegionalApiStack(this, region, this.regionalStackProps(props, { ...settings, account, alarms }, index)));
    }
    this.stacks = [...this.regionalApiStacks];
    this.primaryStack = this.regionalApiStacks[0];
    this.table = this.regionalApiStacks[0].globalTable!;
    this.regionalApis = this.regionalApiStacks.map((stack) => stack.regionalApi);
    this.regionalApis.forEach((regional) => this.byRegion.set(regional.region, regional));

    // HealthCheckStatus alarms of every region, in us-east-1 where Route 53 publishes the metric.
    if (alarms) {
      this.healthAlarmsStack = new ApiHealthAlarmsStack(this, 'Alarms', {
        env: { account, region: ALARM_REGION },
        stackName: regionalStackName(prefix, 'api-alarms', ALARM_REGION),
        description: `MultiRegionApi ${settings.recordName}: Route 53 HealthCheckStatus alarms of every region (Route 53 publishes the metric in ${ALARM_REGION} only)`,
        recordName: settings.recordName,
        regions,
        namePrefix: prefix,
        alarmTopicArn: props.alarmTopicArns?.[ALARM_REGION],
      });
      this.alarmsStack = this.healthAlarmsStack;
      this.healthCheckAlarms = this.healthAlarmsStack.alarms;
      for (const stack of this.stacks) {
        this.healthAlarmsStack.addDependency(stack, 'the regional stack publishes its health check id to SSM in us-east-1; the alarms read it at deploy time');
      }
    } else {
      this.healthCheckAlarms = [];
    }
    claimStackNames(this, this.alarmsStack ? [...this.stacks, this.alarmsStack] : this.stacks);
    claimRecordName(this, props.hostedZoneId, settings.recordName, 'recordName');
    this.routing = settings.routing;
    this.recoveryEstimate = this.estimate(props, settings.routing, settings.recordMode, strong, lag);
  }

  /**
   * Attaches the health checks of `plan`'s Route 53 step for this API (`plan.multiRegionApiStep(this)`) to each region's
   * records, as `FailoverDns.useRegionSwitchPlan` does: the primary region's PRIMARY record (every region's record with
   * latency routing) gets a CALCULATED check of its endpoint check and the plan's; the SECONDARY keeps its own. Each
   * regional stack reads the plan's check id from the SSM parameter the plan publishes in its region when it deploys, and
   * depends on the plan's stack. Automatic failover still works when nobody runs the plan.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html
   */
  public useRegionSwitchPlan(plan: RegionSwitchPlan): void {
    const what = `MultiRegionApi ${this.node.path}`;
    if (this.regionSwitchPlan) {
      throw new MultiRegionFailoverError(`\`useRegionSwitchPlan\` must be called once on ${what}, got a second call (plans ${this.regionSwitchPlan.node.path} and ${plan.node.path})`);
    }
    wireRegionSwitchPlan(plan, {
      what,
      recordName: this.domainName,
      routing: this.routing,
      records: this.regionalApis.map((r) => ({ region: r.region, record: r.endpointRecord })),
    });
    this.regionSwitchPlan = plan;
  }

  /**
   * Calls `visitor.visitRegion` with each region's `RegionalApi`, in `regions` order: one change for every region, so
   * the regions don't drift apart (e.g. an environment variable on every handler).
   */
  public forEachRegion(visitor: IRegionalApiVisitor): void {
    for (const regional of this.regionalApis) {
      visitor.visitRegion(regional);
    }
  }

  /**
   * Route 53's `HealthCheckStatus` of `regionName`'s health check (1 healthy, 0 unhealthy; Minimum over 1 minute), in
   * us-east-1, where Route 53 publishes it. Its `HealthCheckId` is a token of that region's stack: use the metric in that
   * stack (a dashboard may show metrics of another region); the alarms on it are in `alarmsStack`.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
   */
  public metricHealthCheckStatus(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.region(regionName).endpointRecord.metricHealthCheckStatus(props);
  }

  /**
   * API Gateway's `5XXError` of `regionName`'s API and stage (dimensions `ApiName` and `Stage`; Sum over 5 minutes: the
   * count; use `statistic: 'Average'` for the rate).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
   */
  public metricServerErrors(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const regional = this.region(regionName);
    return apiGatewayMetric(regional.api, regional.stageName, '5XXError', { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /**
   * API Gateway's `Latency` of `regionName`'s API and stage (dimensions `ApiName` and `Stage`; Average over 5 minutes): from
   * the request to the response, integration included.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
   */
  public metricLatency(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const regional = this.region(regionName);
    return apiGatewayMetric(regional.api, regional.stageName, 'Latency', { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5), ...props });
  }

  /** Everything created in `region`. */
  public region(region: string): RegionalApi {
    const regional = this.byRegion.get(region);
    if (!regional) {
      throw new MultiRegionFailoverError(`\`region\` must be one of ${this.regions.join(', ')}, got: ${region}`);
    }
    return regional;
  }

  /**
   * Permits `grantee` to read items of `region`'s replica of the global table (BatchGetItem, ConditionCheckItem,
   * DescribeTable, GetItem, Query, Scan), and to decrypt with that region's key when `tableKeyArns` is set. For your
   * own code: grant each region's code its own region's replica.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantReadData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, READ_DATA_ACTIONS);
  }

  /**
   * Permits `grantee` to write items of `region`'s replica of the global table (BatchWriteItem, DeleteItem,
   * DescribeTable, PutItem, UpdateItem), and to use that region's key when `tableKeyArns` is set.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantWriteData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, WRITE_DATA_ACTIONS);
  }

  /**
   * `grantReadData` and `grantWriteData` together.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantReadWriteData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, [...new Set([...READ_DATA_ACTIONS, ...WRITE_DATA_ACTIONS])].sort());
  }

  /** What `MultiRegionApi` gives the stack of `regions[index]`: your props, with its defaults resolved once. */
  private regionalStackProps(
    props: MultiRegionApiProps, o: ApiSettings & { account: string; alarms: boolean }, index: number,
  ): RegionalApiStackProps {
    const region = this.regions[index];
    return {
      ...props,
      env: { account: o.account, region },
      stackName: regionalStackName(o.prefix, 'api', region),
      description: `MultiRegionApi ${o.recordName}: ${index === 0 ? 'primary' : `secondary ${index}`} region ${region}`,
      priority: index,
      endpointCount: this.regions.length,
      tableStack: index === 0 ? undefined : this.regionalApiStacks[0],
      replicaRegions: index === 0 ? this.regions.slice(1) : undefined,
      namePrefix: o.prefix,
      alarms: o.alarms,
      alarmTopicArn: props.alarmTopicArns?.[region],
      recordName: o.recordName,
      tableName: o.tableName,
      partitionKeyName: o.key,
      stageName: o.stageName,
      throttling: o.throttling,
      healthThrottling: o.healthThrottling,
      // The routes as resolved: the default routes (if any) are among them.
      routes: o.routes,
      defaultRoutes: false,
      authorization: o.authorization,
      cors: o.cors,
      routing: o.routing,
      recordMode: o.recordMode,
      removalPolicy: o.removalPolicy,
      logRetention: o.logRetention,
    };
  }

  /** Every region but the last of a failover chain can be the one that fails; latency: any region. */
  private estimate(
    props: MultiRegionApiProps, routing: FailoverRouting, recordMode: ApiRecordMode, strong: boolean, lag?: Duration,
  ): RecoveryEstimate {
    const candidates = routing === FailoverRouting.FAILOVER ? this.regionalApis.slice(0, -1) : this.regionalApis;
    const worst = RecoveryModel.worst(candidates.map((r) => r.endpointRecord.recoveryEstimate));
    const estimate = RecoveryModel.withRecoveryPoint(worst, recoveryPoint(strong, lag));
    RecoveryModel.enforce('MultiRegionApi', estimate, props.recoveryObjectives,
      ['`healthCheck.interval`', '`healthCheck.failureThreshold`',
        recordMode === ApiRecordMode.ALIAS ? 'use `recordMode: ApiRecordMode.CNAME` with a short `ttl`' : '`ttl`'],
      ['`multiRegionConsistency: MultiRegionConsistency.STRONG` (3 regions of one region set, or 2 and a `witnessRegion`)']);
    return estimate;
  }

  private grantOn(grantee: iam.IGrantable, region: string, actions: string[]): iam.Grant {
    this.region(region);
    return grantReplica(grantee, { account: this.account, region, tableName: this.tableName, keyArn: this.tableKeyArns?.[region] }, actions);
  }
}

/**
 * The data a failover may lose. STRONG (MRSC): a write succeeds only once replicated, bound 0. EVENTUAL (MREC):
 * asynchronous, unbounded; typically about a second (AWS), or your measured `replicationLagAllowance` (never below
 * AWS's typical figure: `validateReplicationLag`).
 */
function recoveryPoint(strong: boolean, lag: Duration | undefined): RecoveryPointInput {
  if (strong) {
    return {
      bound: Duration.seconds(0),
      typical: Duration.seconds(0),
      mechanism: 'DynamoDB multi-Region strong consistency: a write succeeds only once it is replicated',
      basis: RecoveryBasis.DOCUMENTED,
      source: GLOBAL_TABLES_DOC,
    };
  }
  return {
    typical: lag ?? TYPICAL_REPLICATION_LAG,
    mechanism: 'DynamoDB global table replication is asynchronous (multi-Region eventual consistency)',
    basis: lag ? RecoveryBasis.ASSUMPTION : RecoveryBasis.DOCUMENTED,
    source: lag ? 'your `replicationLagAllowance`' : GLOBAL_TABLES_DOC,
    setting: '`multiRegionConsistency: MultiRegionConsistency.STRONG`',
  };
}
