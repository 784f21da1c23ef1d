import { Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  alarmArnByName, dynamoDbReplicationWidgets, estimateMarkdown, executionsWidget, graph, healthCheckWidget, PlannedWidget,
  s3ReplicationWidget,
} from './widgets';
import { AuroraGlobalFailover } from '../aurora-global-failover/aurora-global-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, regionalStackName, validateStackNamePrefix } from '../core/naming';
import { RecoveryEstimate } from '../core/recovery';
import { validateAccount, validateMultiRegionScope, validateRegions } from '../core/regions';
import { addWarning, claimStackNames } from '../core/validation';
import { FailoverDns } from '../failover-dns/failover-dns';
import { healthCheckStatusMetric } from '../failover-dns/internal';
import { GlobalCache } from '../global-cache/global-cache';
import { GlobalSsrSite } from '../global-ssr-site/global-ssr-site';
import { MultiRegionApi } from '../multi-region-api/multi-region-api';
import { RdsCrossRegionReplica } from '../rds-cross-region-replica/rds-cross-region-replica';
import { RegionalService } from '../regional-service/regional-service';

/** Properties of a `FailoverDashboard`. */
export interface FailoverDashboardProps {
  /**
   * The account of the dashboard's stack.
   * @default - `CDK_DEFAULT_ACCOUNT` (synthesis fails without an account)
   */
  readonly account?: string;
  /**
   * The region of the dashboard's stack. A CloudWatch dashboard is global (every region's console shows it, and its
   * widgets read the regions they name); the stack's region is where CloudFormation manages it and which stacks'
   * resources it can reference without a cross-region reference.
   * @default 'us-east-1' - where Route 53 publishes `HealthCheckStatus`, CloudFront its metrics, and this library
   * keeps its health check alarms, so those widgets need no cross-region reference
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html
   */
  readonly region?: string;
  /**
   * The dashboard's name (letters, digits, `-` and `_`, at most 255 characters).
   * @default 'failover'
   */
  readonly dashboardName?: string;
  /**
   * The dashboard stack's name prefix: the stack is `<prefix>-dashboard-<region>`.
   * @default - the dashboard name
   */
  readonly stackNamePrefix?: string;
  /**
   * Widgets and alarms of stacks in other regions are shown by physical name whenever the resource has a literal one,
   * with no reference between the stacks: alarms with a literal `AlarmName` (by ARN), state machines with a literal
   * `StateMachineName` (the `StateMachineArn` dimension), API Gateway metrics (`ApiName`, the REST API's name), and
   * metrics named by plain names (replication lag, S3 replication). What needs a name or id that CloudFormation or AWS
   * generates (alarms without a name, load balancer and target group dimensions, Route 53 health check ids) is left
   * out with a warning (`cdk-multi-region-failover:dashboard-cross-region`, titles in `skippedWidgets`), unless this
   * is true: then CDK's cross-region references carry those values (each referenced stack writes them into SSM
   * parameters of the dashboard's region through a custom resource, and a referenced resource cannot be replaced
   * while the dashboard stack reads it: the dashboard stack must be updated first, which ties the stacks together
   * during a DR event).
   * @default false
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
   */
  readonly crossRegionReferences?: boolean;
}

/**
 * One CloudWatch dashboard over the library's constructs, with widgets from every region: each `addX` adds a header with
 * the construct's recovery estimate, then its Route 53 health check status per endpoint, replication lag (DynamoDB,
 * Aurora, ElastiCache, RDS, S3), orchestrator executions and alarms. Every metric widget names its metrics' region.
 *
 * Created under an App or a Stage: it creates its own stack, `<prefix>-dashboard-<region>` (us-east-1 by default).
 */
export class FailoverDashboard extends Construct {
  /** The dashboard's stack. */
  public readonly stack: Stack;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The dashboard's name. */
  public readonly dashboardName: string;
  /**
   * Titles of the widgets left out because they need a generated name or id of another region's stack (without
   * `crossRegionReferences`), each with its stack and region.
   */
  public readonly skippedWidgets: string[] = [];

  private readonly crossRegion: boolean;

  constructor(scope: Construct, id: string, props: FailoverDashboardProps = {}) {
    validateMultiRegionScope(scope, 'FailoverDashboard');
    super(scope, id);
    const account = validateAccount(props.account ?? process.env.CDK_DEFAULT_ACCOUNT, 'account');
    const [region] = validateRegions([props.region ?? 'us-east-1'], { min: 1, property: 'region' });
    const name = props.dashboardName ?? 'failover';
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new MultiRegionFailoverError(`\`dashboardName\` must be 1 to 255 letters, digits, "-" or "_", got: ${name}`);
    }
    this.dashboardName = name;
    this.crossRegion = props.crossRegionReferences ?? false;
    const prefix = props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : prefixFromName(name);
    this.stack = new Stack(this, 'Stack', {
      env: { account, region },
      stackName: regionalStackName(prefix, 'dashboard', region),
      description: `FailoverDashboard ${name} (cdk-multi-region-failover)`,
      crossRegionReferences: this.crossRegion,
    });
    claimStackNames(this, [this.stack]);
    this.dashboard = new cloudwatch.Dashboard(this.stack, 'Dashboard', { dashboardName: name });
  }

  /** Route 53 `HealthCheckStatus` of every endpoint with a health check, the health check alarms, the DNS estimate. */
  public addFailoverDns(dns: FailoverDns, title: string = `FailoverDns ${dns.recordName}`): void {
    const widgets = dns.endpointRecords.filter((r) => r.healthCheck).map((r) => healthCheckWidget(r.node.id, r.metricHealthCheckStatus(), dns.stack));
    const alarms = dns.endpointRecords.map((r) => r.alarm).filter((a): a is cloudwatch.Alarm => a !== undefined);
    this.addSection(title, { Failover: dns.recoveryEstimate }, widgets, alarms);
  }

  /** Per region: health check status, API 5XX errors; DynamoDB replication latency; the alarms; the API's estimate. */
  public addMultiRegionApi(api: MultiRegionApi, title: string = `MultiRegionApi ${api.domainName}`): void {
    const widgets = api.regions.flatMap((region) => [
      healthCheckWidget(region, api.metricHealthCheckStatus(region), api.region(region).stack),
      graph(`API Gateway 5XXError ${region}`, region, [api.metricServerErrors(region)], api.region(region).stack),
    ]);
    const serverErrorAlarms = api.regionalApis.map((r) => r.serverErrorAlarm).filter((a): a is cloudwatch.Alarm => a !== undefined);
    const alarms = [...api.healthCheckAlarms, ...serverErrorAlarms];
    this.addSection(title, { Failover: api.recoveryEstimate }, [...widgets, ...dynamoDbReplicationWidgets(api.tableName, api.regions)], alarms);
  }

  /** Health check status of both origins, the viewers' 5xx rate, DynamoDB and S3 replication, the alarms, both estimates. */
  public addGlobalSsrSite(site: GlobalSsrSite, title: string = `GlobalSsrSite ${site.domainName}`): void {
    const regions = [site.primaryStack.region, ...(site.drStack ? [site.drStack.region] : [])];
    const checks = [site.primaryHealthCheck, site.drHealthCheck];
    const widgets: PlannedWidget[] = checks.flatMap((hc, i) => (hc
      ? [healthCheckWidget(`${regions[i] ?? ''} origin`, healthCheckStatusMetric(hc), Stack.of(hc))]
      : []));
    widgets.push(graph('CloudFront 5xxErrorRate', 'us-east-1', [site.metric5xxErrorRate()], Stack.of(site.distribution)));
    widgets.push(...dynamoDbReplicationWidgets(site.tableName, regions));
    if (site.drBucketName) {
      widgets.push(s3ReplicationWidget(site.primaryBucketName, site.drBucketName, regions[0]));
    }
    const alarms = [site.primaryHealthAlarm, site.drHealthAlarm, site.writeFailoverDeadLetterAlarm, site.reconcilerErrorAlarm]
      .filter((a): a is cloudwatch.Alarm => a !== undefined);
    this.addSection(title, { 'Writes': site.recoveryEstimate, 'Reads (per request)': site.readRecoveryEstimate }, widgets, alarms);
  }

  /** Per secondary: `AuroraGlobalDBReplicationLag` and `AuroraGlobalDBRPOLag`; per region: failover executions; the alarms. */
  public addAuroraGlobalFailover(db: AuroraGlobalFailover, title: string = `AuroraGlobalFailover ${db.globalClusterIdentifier}`): void {
    const regions = [db.primaryRegion, ...db.secondaryRegions];
    const widgets = db.secondaryRegions.map((region) => graph(`Aurora replication ${region}`, region, [
      db.metricReplicationLag(region, { label: 'AuroraGlobalDBReplicationLag (ms)' }),
      db.metricRpoLag(region, { label: 'AuroraGlobalDBRPOLag (ms)' }),
    ]));
    // With `AuroraOrchestration.REGION_SWITCH` there is no state machine: the plan's executions are in ARC's console.
    widgets.push(...regions.flatMap((region) => {
      const stateMachine = db.regionalResources(region).stateMachine;
      return stateMachine ? [executionsWidget(`Failover executions ${region}`, stateMachine, region)] : [];
    }));
    this.addSection(title, { Failover: db.recoveryEstimate }, widgets, regions.flatMap((r) => db.regionalResources(r).alarms));
  }

  /** Per secondary: `GlobalDatastoreReplicationLag`; per region: promotion executions; the alarms. */
  public addGlobalCache(cache: GlobalCache, title: string = `GlobalCache ${cache.cacheName}`): void {
    const regions = [cache.primaryRegion, ...cache.secondaryRegions];
    const widgets = cache.secondaryRegions.map((region) => graph(`ElastiCache GlobalDatastoreReplicationLag ${region}`, region, [cache.metricReplicationLag(region)]));
    widgets.push(...regions.map((region) => executionsWidget(`Promotion executions ${region}`, cache.regionalResources(region).stateMachine, region)));
    this.addSection(title, { Promotion: cache.recoveryEstimate }, widgets, regions.flatMap((r) => cache.regionalResources(r).alarms));
  }

  /** Per replica: RDS `ReplicaLag`; per region: promotion executions; the alarms. */
  public addRdsCrossRegionReplica(db: RdsCrossRegionReplica, title: string = `RdsCrossRegionReplica ${db.instanceIdentifier}`): void {
    const regions = [db.primaryRegion, ...db.replicaRegions];
    const widgets = db.replicaRegions.map((region) => graph(`RDS ReplicaLag ${region}`, region, [db.metricReplicaLag(region, { label: 'ReplicaLag (s)' })]));
    widgets.push(...regions.map((region) => executionsWidget(`Promotion executions ${region}`, db.regionalResources(region).stateMachine, region)));
    this.addSection(title, { Promotion: db.recoveryEstimate }, widgets, regions.flatMap((r) => db.regionalResources(r).alarms));
  }

  /** Per region: healthy tasks and the load balancer's own 5xx; the alarms; the target-health estimate. */
  public addRegionalService(service: RegionalService, title: string = `RegionalService ${service.domainName}`): void {
    const widgets = service.regions.map((region) => graph(`Healthy tasks and ALB 5xx ${region}`, region, [
      service.metricHealthyTaskCount(region, { label: 'HealthyHostCount' }),
      service.metricLoadBalancerErrors(region, { label: 'HTTPCode_ELB_5XX_Count' }),
    ], service.regionalResources(region).stack));
    const alarms = service.regions.flatMap((r) => service.regionalResources(r).alarms);
    this.addSection(title, { 'Failover (EvaluateTargetHealth)': service.recoveryEstimate }, widgets, alarms);
  }

  /**
   * A header (title and estimates), the widgets, an alarm status widget; a warning for what is left out. A widget or alarm
   * of a stack in another region is shown by physical names when it has them (no reference, so no tie between the stacks
   * during a DR event), else through a cross-region reference with `crossRegionReferences`, else left out.
   */
  private addSection(title: string, estimates: { [label: string]: RecoveryEstimate }, planned: PlannedWidget[], alarms: cloudwatch.IAlarm[]): void {
    const markdown = estimateMarkdown(title, estimates);
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown, width: 24, height: 4 }));
    const kept = planned.flatMap((w) => {
      const build = this.reachable(w.owner) ? w.widget : this.byName(w.owner, w.byName) ?? (this.crossRegion ? w.widget : undefined);
      const widget = build?.();
      return widget ? [widget] : this.skip(`${w.title}`, w.owner!);
    });
    if (kept.length > 0) {
      this.dashboard.addWidgets(...kept);
    }
    const shownAlarms = alarms.flatMap((a) => {
      if (this.reachable(Stack.of(a))) {
        return [a];
      }
      const arn = this.byName(Stack.of(a), () => alarmArnByName(a))?.();
      if (arn) {
        const id = `Alarm${Names.uniqueId(a)}`;
        return [(this.stack.node.tryFindChild(id) as cloudwatch.IAlarm | undefined) ?? cloudwatch.Alarm.fromAlarmArn(this.stack, id, arn)];
      }
      return this.crossRegion ? [a] : this.skip(`alarm ${a.node.path}`, Stack.of(a));
    });
    if (shownAlarms.length > 0) {
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: `${title}: alarms`, alarms: shownAlarms, width: 24, height: Math.min(2 + shownAlarms.length, 8) }));
    }
  }

  /** Whether the dashboard may reference `owner`'s resources directly: its own stack, or a stack of its environment. */
  private reachable(owner: Stack | undefined): boolean {
    return !owner || owner === this.stack || (owner.account === this.stack.account && owner.region === this.stack.region);
  }

  /** `build` (physical names only) for a stack of the dashboard's account; metrics of another account need cross-account setup. */
  private byName<T>(owner: Stack | undefined, build: (() => T | undefined) | undefined): (() => T | undefined) | undefined {
    return build && owner?.account === this.stack.account ? build : undefined;
  }

  /** Records a left-out widget (and warns once). */
  private skip(what: string, owner: Stack): [] {
    if (this.skippedWidgets.length === 0) {
      addWarning(this.stack, 'cdk-multi-region-failover:dashboard-cross-region',
        `FailoverDashboard ${this.dashboardName} (${this.stack.region}) leaves out widgets that reference resources of stacks in other regions by a name or id `
        + 'that CloudFormation or AWS generates (listed in `skippedWidgets`): give those resources physical names, or set `crossRegionReferences: true` '
        + 'to show them through CDK\'s SSM-based cross-region references');
    }
    this.skippedWidgets.push(`${what} (${owner.stackName}, ${owner.region})`);
    return [];
  }
}
