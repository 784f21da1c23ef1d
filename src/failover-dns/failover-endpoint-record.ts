import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EvaluateTargetHealthAlias, SameZoneAlias, validateSameZoneAlias } from './alias-targets';
import { validateEndpoint, validateRecordTypes } from './endpoint-validation';
import { healthCheckStatusMetric, resolveRecordName, validatedAbove, validateHealthCheckOptions } from './internal';
import { FailoverEndpoint, FailoverHealthCheckOptions, FailoverRouting, HealthCheckProtocol } from './options';
import { attachPlanHealthCheck, validateRegionSwitchHealthCheck } from './region-switch';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryAssumptions, RecoveryEstimate, RecoveryModel } from '../core/recovery';
import { FAILOVER_TTL_WARNING_SECONDS, validateDnsName, validateKnownRegions, validateTtl } from '../core/validation';


/** Metadata key of an alias record set: the alias target's TTL in seconds (`aliasTargetTtl`); read by src/simulator/route53-answer.ts. */
const ALIAS_TARGET_TTL_METADATA = 'cdk-multi-region-failover:alias-target-ttl';
/** Shared defaults of the health checks and records of failover endpoints. */
export interface FailoverRecordOptions {
  /**
   * The routing policy.
   * @default FailoverRouting.FAILOVER
   */
  readonly routing?: FailoverRouting;
  /**
   * Health check settings shared by every endpoint (each endpoint may override them).
   * @default - HTTPS on port 443, path `/health`, every 10 s, unhealthy after 2 failures
   */
  readonly healthCheck?: FailoverHealthCheckOptions;
  /**
   * Record types created for alias targets. CNAME endpoints (`domainName`) always get a CNAME.
   * @default [RecordType.A, RecordType.AAAA]
   */
  readonly recordTypes?: route53.RecordType[];
  /**
   * TTL of CNAME records (`domainName` endpoints), 0 to 172800 s (2 days); above 60 s a warning. Ignored, with a
   * warning, for alias targets: Route 53 answers an alias with its target's TTL. AWS advises 60 s or less on
   * health-checked records.
   * @default Duration.seconds(15)
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
   */
  readonly ttl?: Duration;
  /**
   * Create a CloudWatch alarm per health check (`HealthCheckStatus` < 1). Route 53 publishes health check
   * metrics in us-east-1 only, so alarms are created only in a us-east-1 stack (a warning says so otherwise).
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * SNS topic the health check alarms notify (on alarm and on recovery).
   * @default - alarms have no actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Label prefix of the chain-level names of a failover chain of more than two endpoints:
   * level k (k ≥ 1) is `<prefix><k>.<recordName>`. Must be stable: the levels refer to each other by name.
   * @default 'failover-'
   */
  readonly chainLabelPrefix?: string;
  /**
   * Overrides of the figures AWS does not publish (e.g. how long health checker results take to reach
   * Route 53's DNS servers), used by `recoveryEstimate`.
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/** Properties of a `FailoverEndpointRecord`. */
export interface FailoverEndpointRecordProps extends FailoverRecordOptions {
  /** The public hosted zone. In a regional stack, import it with `HostedZone.fromHostedZoneAttributes`. */
  readonly zone: route53.IHostedZone;
  /** The name users resolve: the zone name, a name ending with `.<zone name>`, or a single relative label. */
  readonly recordName: string;
  /** This endpoint. */
  readonly endpoint: FailoverEndpoint;
  /** This endpoint's 0-based position in priority order (0 = primary). */
  readonly priority: number;
  /** How many endpoints the record name has in all. */
  readonly endpointCount: number;
  /**
   * ARN of a Route 53 ARC routing control that gates this endpoint: the endpoint is healthy only while the
   * routing control is On and its own health check passes.
   * @default - no routing control
   */
  readonly routingControlArn?: string;
}

const DEFAULT_INTERVAL = Duration.seconds(10);
const DEFAULT_THRESHOLD = 2;
const DEFAULT_TTL = Duration.seconds(15);
/** Route 53's defaults, assumed for health checks this library did not create. */
const UNKNOWN_INTERVAL = Duration.seconds(30);
const UNKNOWN_THRESHOLD = 3;

/**
 * The health check, alarm and failover (or latency) records of ONE endpoint of a record name.
 *
 * `FailoverDns` creates one per endpoint in a single stack. Multi-region constructs create each in the
 * endpoint's own regional stack instead, so that no stack references another: the chain levels of a
 * failover chain refer to each other by deterministic names (`chainLevelName`), never by tokens.
 *
 * Records it creates for endpoint `i` of `N` (failover routing; level 0 is `recordName`):
 * - `i < N-1`: the PRIMARY record of level `i`, with the endpoint's health check;
 * - `0 < i < N-1`: the SECONDARY record of level `i-1`: an alias to level `i` with `EvaluateTargetHealth`;
 * - `i = N-1`: the SECONDARY record of level `N-2`, with the endpoint's health check.
 * With latency routing: one latency record at `recordName` with the endpoint's region and health check.
 *
 * Route 53 refuses an alias to a record of the zone that does not exist yet. The level an alias of endpoint `i`
 * points at (level `i`) always holds a PRIMARY record of the same type that this same construct creates, so each
 * alias has a CloudFormation `DependsOn` on that record, inside this construct's stack. That holds in a single
 * stack and in whatever stack each `FailoverEndpointRecord` is placed in: no cross-stack dependency (and no
 * cross-region reference) is needed, and the stacks of a chain can deploy in any order.
 *
 * The recovery estimate: detection = interval × failure threshold + the probe timeout (6 s for HTTP(S), 10 s for
 * TCP); propagation = checker-to-DNS propagation (an assumption, `recoveryAssumptions.healthCheckPropagation`,
 * default 10 s) + the TTL resolvers cache (the record's `ttl`; for an alias target, the endpoint's `aliasTargetTtl`,
 * or 60 s as an assumption). An alias to another record of the same hosted zone needs `aliasTargetTtl`: Route 53
 * answers it with that record's TTL. A health check this construct did not create is assumed to use Route 53's
 * defaults (30 s × 3) and an HTTP(S) probe.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export class FailoverEndpointRecord extends Construct {
  /**
   * The name of level `level` of the failover chain of `recordName` (level 0 is `recordName` itself).
   */
  public static chainLevelName(recordName: string, level: number, chainLabelPrefix: string = 'failover-'): string {
    const name = recordName.replace(/\.$/, '');
    return level === 0 ? name : `${chainLabelPrefix}${level}.${name}`;
  }

  /** The fully qualified record name (no trailing dot). */
  public readonly recordName: string;
  /** The health check attached to this endpoint's records, if any (the combined one when ARC is on). */
  public readonly healthCheck?: route53.IHealthCheck;
  /** The endpoint health check this construct created, if any. */
  public readonly endpointHealthCheck?: route53.HealthCheck;
  /** The `RECOVERY_CONTROL` health check of the routing control, if any. */
  public readonly routingControlHealthCheck?: route53.HealthCheck;
  /** The records this endpoint owns. */
  public readonly records: route53.RecordSet[] = [];
  /** The `HealthCheckStatus` alarm, if created. */
  public readonly alarm?: cloudwatch.Alarm;
  /**
   * Recovery when this endpoint fails, from its health check and TTL settings: `rto` is the budget (worst case
   * under the stated assumptions), `typicalRto` the typical figure; see the class documentation.
   */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly healthCheckSettings: Required<Pick<FailoverHealthCheckOptions, 'interval' | 'failureThreshold'>>;
  /** Whether this endpoint only has the SECONDARY record of the last failover level. */
  private readonly lastSecondary: boolean;
  /** The endpoint's own check (created or given), before any routing control. */
  private readonly ownHealthCheck?: route53.IHealthCheck;
  private planHealthCheck?: route53.HealthCheck;

  constructor(scope: Construct, id: string, props: FailoverEndpointRecordProps) {
    super(scope, id);
    const endpoint = props.endpoint;
    const routing = props.routing ?? FailoverRouting.FAILOVER;
    const hc: FailoverHealthCheckOptions = { ...props.healthCheck, ...endpoint.healthCheck };
    const isAlias = endpoint.target !== undefined;

    this.recordName = resolveRecordName(props.recordName, props.zone);
    const ttl = this.validateProps(props, hc, isAlias);
    this.lastSecondary = routing === FailoverRouting.FAILOVER && props.priority === props.endpointCount - 1;

    // Health checks: the endpoint's own (created here or given), gated by the routing control when there is one.
    const created = endpoint.existingHealthCheck || endpoint.evaluateTargetHealthOnly ? undefined : this.createHealthCheck(endpoint, hc);
    this.endpointHealthCheck = created;
    let healthCheck: route53.IHealthCheck | undefined = endpoint.existingHealthCheck ?? created;
    this.ownHealthCheck = healthCheck;
    if (props.routingControlArn) {
      this.routingControlHealthCheck = this.createRoutingControlHealthCheck(props.routingControlArn);
      healthCheck = this.combineWithRoutingControl(healthCheck, this.routingControlHealthCheck);
    }
    this.healthCheck = healthCheck;
    this.healthCheckSettings = created || !healthCheck
      ? { interval: hc.interval ?? DEFAULT_INTERVAL, failureThreshold: hc.failureThreshold ?? DEFAULT_THRESHOLD }
      : { interval: UNKNOWN_INTERVAL, failureThreshold: UNKNOWN_THRESHOLD };
    if (endpoint.evaluateTargetHealthOnly) {
      this.healthCheckSettings = { interval: UNKNOWN_INTERVAL, failureThreshold: UNKNOWN_THRESHOLD };
    }
    if (created && (props.alarms ?? true)) {
      this.alarm = this.createAlarm(created, endpoint.region, props.alarmTopic);
    }

    // Records: the failover chain levels (or the latency record) of this endpoint.
    const aliasTarget = isAlias ? new EvaluateTargetHealthAlias(endpoint.target!.aliasTarget!) : undefined;
    this.createRecords(props, routing, ttl, aliasTarget);
    if (aliasTarget) {
      validateSameZoneAlias(this, endpoint, aliasTarget, props.zone);
      this.recordAliasTargetTtl(endpoint);
    }

    this.recoveryEstimate = RecoveryModel.dnsFailover({
      interval: this.healthCheckSettings.interval,
      failureThreshold: this.healthCheckSettings.failureThreshold,
      tcp: created !== undefined && (hc.protocol === HealthCheckProtocol.TCP),
      stringMatch: created !== undefined && hc.protocol !== HealthCheckProtocol.TCP && hc.searchString !== undefined,
      assumedSettings: created === undefined,
      ttl: isAlias ? undefined : ttl,
      aliasTargetTtl: isAlias ? endpoint.aliasTargetTtl : undefined,
      assumptions: props.recoveryAssumptions,
      summary: `Route 53 ${routing === FailoverRouting.LATENCY ? 'latency' : 'failover'} (${isAlias ? 'alias' : 'CNAME'}) for ${endpoint.region}`,
    });
  }

  /**
   * Route 53's `HealthCheckStatus` metric of this endpoint's health check (1 healthy, 0 unhealthy).
   * Published in us-east-1 only.
   */
  public metricHealthCheckStatus(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.healthCheck) {
      throw new MultiRegionFailoverError(`endpoint ${this.node.id} has no health check (\`evaluateTargetHealthOnly\`), so it has no \`HealthCheckStatus\` metric`);
    }
    return healthCheckStatusMetric(this.healthCheck, props);
  }

  /** The CALCULATED check `addRegionSwitchHealthCheck` attached to this endpoint's records, if any. */
  public get regionSwitchHealthCheck(): route53.IHealthCheck | undefined {
    return this.planHealthCheck;
  }

  /**
   * Gates this endpoint's PRIMARY (or latency) records with the health check of an ARC Region switch plan: a CALCULATED
   * check of the endpoint's check, the routing control's (if any) and the plan's, `HealthThreshold` = their number. The
   * endpoint failing still fails the record over; executing the plan does too. Not for the last endpoint of a failover
   * chain: its SECONDARY keeps its own check (see `FailoverDns.useRegionSwitchPlan`).
   *
   * @param planHealthCheckId the id of the plan's health check for this record name and this endpoint's Region, as a value
   * of this construct's stack (e.g. read from the SSM parameter `RegionSwitchPlan.healthCheckParameterName`)
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html
   */
  public addRegionSwitchHealthCheck(planHealthCheckId: string): route53.IHealthCheck {
    const own = [this.ownHealthCheck, this.routingControlHealthCheck].filter((h): h is route53.IHealthCheck => h !== undefined);
    validateRegionSwitchHealthCheck(`endpoint ${this.node.id} of ${this.recordName}`, this.planHealthCheck !== undefined, this.lastSecondary, own.length);
    this.planHealthCheck = attachPlanHealthCheck(this, this.records, own, planHealthCheckId);
    return this.planHealthCheck;
  }

  /**
   * Validates the endpoint, its health check settings, its priority and the TTL, and warns about TTLs that do not
   * apply or slow failover; returns the TTL of CNAME records.
   */
  private validateProps(props: FailoverEndpointRecordProps, hc: FailoverHealthCheckOptions, isAlias: boolean): Duration {
    const endpoint = props.endpoint;
    validateEndpoint(this, endpoint, this.recordName, props.zone, hc);
    validateHealthCheckOptions(hc, `endpoint ${endpoint.region}`);
    if (!Number.isInteger(props.priority) || props.priority < 0 || props.priority >= props.endpointCount) {
      throw new MultiRegionFailoverError(`\`priority\` must be an integer from 0 to ${props.endpointCount - 1}, got: ${props.priority}`);
    }
    if (isAlias && props.ttl !== undefined) {
      const targetTtl = endpoint.aliasTargetTtl && !endpoint.aliasTargetTtl.isUnresolved()
        ? `\`aliasTargetTtl\`: ${RecoveryModel.format(endpoint.aliasTargetTtl)}`
        : `${RecoveryModel.format(RecoveryModel.ALIAS_TARGET_TTL)} assumed unless you set \`aliasTargetTtl\``;
      Annotations.of(this).addWarningV2('cdk-multi-region-failover:ttl-on-alias',
        `\`ttl\` is ignored for alias targets: Route 53 answers endpoint ${endpoint.region} with its target's TTL (${targetTtl})`);
    }
    const ttl = props.ttl ?? DEFAULT_TTL;
    if (!validatedAbove(this)) {
      this.validateNames(props, isAlias);
    }
    // Above 300 s `validateTtl` warns instead (long-failover-ttl), on the construct that validates the TTL.
    if (!isAlias && !ttl.isUnresolved() && ttl.toSeconds() > 60 && ttl.toSeconds() <= FAILOVER_TTL_WARNING_SECONDS) {
      Annotations.of(this).addWarningV2('cdk-multi-region-failover:long-ttl',
        `\`ttl\` of ${ttl.toSeconds()} s on a health-checked record slows failover: AWS advises 60 s or less`);
    }
    return ttl;
  }

  /**
   * Checks collected for one synth (`FailoverDns` does them once for all its records instead): the endpoint's region
   * is one AWS has; the record name and TTL are checked by the primary's record only (priority 0), so a record set
   * spread over regional stacks reports each problem once. The record name must be a host name (a wildcard allowed):
   * clients resolve it and connect to it
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html).
   */
  private validateNames(props: FailoverEndpointRecordProps, isAlias: boolean): void {
    validateKnownRegions(this, [props.endpoint.region], 'endpoint.region');
    if (props.priority !== 0) {
      return;
    }
    validateDnsName(this, this.recordName, { property: 'recordName', reason: 'clients resolve it as a host name', allowWildcard: true });
    if (!isAlias) {
      validateTtl(this, props.ttl, 'ttl', { failover: true });
    }
  }

  private createHealthCheck(endpoint: FailoverEndpoint, hc: FailoverHealthCheckOptions): route53.HealthCheck {
    const protocol = hc.protocol ?? HealthCheckProtocol.HTTPS;
    const type = protocol === HealthCheckProtocol.TCP ? route53.HealthCheckType.TCP
      : protocol === HealthCheckProtocol.HTTP
        ? (hc.searchString ? route53.HealthCheckType.HTTP_STR_MATCH : route53.HealthCheckType.HTTP)
        : (hc.searchString ? route53.HealthCheckType.HTTPS_STR_MATCH : route53.HealthCheckType.HTTPS);
    const http = protocol !== HealthCheckProtocol.TCP;
    return new route53.HealthCheck(this, 'HealthCheck', {
      type,
      fqdn: hc.fqdn ?? endpoint.domainName,
      port: hc.port ?? (protocol === HealthCheckProtocol.HTTPS ? 443 : 80),
      resourcePath: http ? hc.path ?? '/health' : undefined,
      searchString: hc.searchString,
      requestInterval: hc.interval ?? DEFAULT_INTERVAL,
      failureThreshold: hc.failureThreshold ?? DEFAULT_THRESHOLD,
      regions: hc.regions,
      measureLatency: hc.measureLatency ?? false,
      enableSNI: protocol === HealthCheckProtocol.HTTPS ? true : undefined,
      inverted: hc.inverted ?? false,
    });
  }

  /** The `RECOVERY_CONTROL` health check of a Route 53 ARC routing control: healthy while the control is On. */
  private createRoutingControlHealthCheck(routingControlArn: string): route53.HealthCheck {
    return new route53.HealthCheck(this, 'RoutingControlHealthCheck', {
      type: route53.HealthCheckType.RECOVERY_CONTROL,
      routingControl: routingControlArn,
    });
  }

  /** The endpoint's health check AND the routing control's (a calculated check of both), or the routing control's alone. */
  private combineWithRoutingControl(healthCheck: route53.IHealthCheck | undefined, routingControl: route53.HealthCheck): route53.IHealthCheck {
    return healthCheck
      ? new route53.HealthCheck(this, 'CombinedHealthCheck', {
        type: route53.HealthCheckType.CALCULATED,
        childHealthChecks: [healthCheck, routingControl],
        healthThreshold: 2,
      })
      : routingControl;
  }

  private createAlarm(healthCheck: route53.IHealthCheck, region: string, topic?: sns.ITopic): cloudwatch.Alarm | undefined {
    const stackRegion = Stack.of(this).region;
    if (Token.isUnresolved(stackRegion) || stackRegion !== 'us-east-1') {
      Annotations.of(this).addWarningV2('cdk-multi-region-failover:alarm-region',
        `no health check alarm for endpoint ${region}: Route 53 publishes \`HealthCheckStatus\` in us-east-1 only, and this stack is in ${Token.isUnresolved(stackRegion) ? 'no concrete region' : stackRegion}`);
      return undefined;
    }
    const alarm = new cloudwatch.Alarm(this, 'HealthCheckAlarm', {
      alarmDescription: `Route 53 health check of the ${region} endpoint of ${this.recordName} is failing: traffic fails over`,
      metric: healthCheckStatusMetric(healthCheck, { period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    if (topic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(topic));
    }
    return alarm;
  }

  /**
   * The records of this endpoint, per record type: its latency record, or its places in the failover chain (see the
   * class documentation).
   */
  private createRecords(props: FailoverEndpointRecordProps, routing: FailoverRouting, ttl: Duration, aliasTarget?: EvaluateTargetHealthAlias): void {
    const endpoint = props.endpoint;
    const isAlias = aliasTarget !== undefined;
    const types = isAlias ? props.recordTypes ?? [route53.RecordType.A, route53.RecordType.AAAA] : [route53.RecordType.CNAME];
    validateRecordTypes(types, isAlias);
    const target = aliasTarget ? route53.RecordTarget.fromAlias(aliasTarget) : route53.RecordTarget.fromValues(endpoint.domainName!);
    const healthCheck = this.healthCheck;
    for (const type of types) {
      const common = { zone: props.zone, recordType: type, ttl: isAlias ? undefined : ttl, setIdentifier: endpoint.region, healthCheck };
      if (routing === FailoverRouting.LATENCY) {
        this.addRecord(`${type}Latency`, { ...common, recordName: this.level(props, 0), target, region: endpoint.region });
      } else {
        this.addChainRecords(props, type, target, common);
      }
    }
  }

  /**
   * Endpoint `i` of `N`: the PRIMARY record of level `i` (when `i < N-1`), and the SECONDARY of level `i-1`: an alias
   * to level `i` (when `0 < i < N-1`) or, for the last endpoint, the endpoint itself.
   */
  private addChainRecords(props: FailoverEndpointRecordProps, type: route53.RecordType, target: route53.RecordTarget, common: Omit<route53.RecordSetProps, 'recordName' | 'target'>): void {
    const i = props.priority;
    const n = props.endpointCount;
    let primary: route53.RecordSet | undefined;
    if (i < n - 1) {
      primary = this.addRecord(`${type}Primary`, { ...common, recordName: this.level(props, i), target, failover: route53.Failover.PRIMARY });
    }
    if (i === n - 1) {
      this.addRecord(`${type}Secondary`, { ...common, recordName: this.level(props, n - 2), target, failover: route53.Failover.SECONDARY });
    } else if (i > 0) {
      const chainAlias = this.addRecord(`${type}ChainSecondary`, {
        ...common,
        ttl: undefined,
        healthCheck: undefined,
        recordName: this.level(props, i - 1),
        target: route53.RecordTarget.fromAlias(new SameZoneAlias(this.level(props, i), props.zone)),
        failover: route53.Failover.SECONDARY,
        setIdentifier: `chain-${props.endpoint.region}`,
      });
      // Route 53 refuses an alias to a record of the zone that does not exist yet ("... but that target was
      // not found"; https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html: the alias
      // target is "a resource record set in the current hosted zone"). The level it aliases always has a
      // PRIMARY record of the same type owned by this construct, so a DependsOn inside this stack suffices.
      chainAlias.node.addDependency(primary!);
    }
  }

  /** The name of chain level `k` of this record name. */
  private level(props: FailoverEndpointRecordProps, k: number): string {
    return FailoverEndpointRecord.chainLevelName(this.recordName, k, props.chainLabelPrefix ?? 'failover-');
  }

  /**
   * The alias target's TTL you state, in the template: the outage simulator (`cdk-multi-region-failover simulate`)
   * reads it instead of assuming 60 s, so estimate and simulation count the same TTL. Metadata does not change the
   * deployed records.
   */
  private recordAliasTargetTtl(endpoint: FailoverEndpoint): void {
    const ttlSeconds = endpoint.aliasTargetTtl && !endpoint.aliasTargetTtl.isUnresolved() ? endpoint.aliasTargetTtl.toSeconds() : undefined;
    for (const record of ttlSeconds === undefined ? [] : this.records) {
      const cfn = record.node.defaultChild as route53.CfnRecordSet;
      if (!cfn.aliasTarget || (cfn.setIdentifier ?? '').startsWith('chain-')) continue;
      cfn.addMetadata(ALIAS_TARGET_TTL_METADATA, ttlSeconds);
    }
  }

  private addRecord(id: string, props: route53.RecordSetProps): route53.RecordSet {
    // Fully qualified, with the trailing dot, so aws-cdk-lib takes the name as it is: it appends the zone name to any
    // name that does not end with `.<zone.zoneName>` as written, and a zone named `Example.com.` (Route 53 writes zone
    // names with the dot; DNS names are case-insensitive) would turn api.example.com into api.example.com.Example.com.
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
    const record = new route53.RecordSet(this, id, { ...props, recordName: `${props.recordName}.` });
    this.records.push(record);
    return record;
  }
}
