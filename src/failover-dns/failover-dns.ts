import { Annotations, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as arc from 'aws-cdk-lib/aws-route53recoverycontrol';
import { Construct } from 'constructs';
import { FailoverEndpointRecord, FailoverRecordOptions } from './failover-endpoint-record';
import { resolveRecordName, validatesEndpointRecords } from './internal';
import { FailoverEndpoint, FailoverRouting, RecoveryControlOptions } from './options';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryEstimate, RecoveryModel, RecoveryObjectives } from '../core/recovery';
import { claimRecordName, validateDnsName, validateKnownRegions, validateTtl } from '../core/validation';
import { wireRegionSwitchPlan } from '../region-switch-plan/record-wiring';
import type { RegionSwitchPlan } from '../region-switch-plan/region-switch-plan';

/** The only region that serves Route 53 ARC's recovery-control configuration API. */
const ARC_CONFIG_REGION = 'us-west-2';
const ROUTING_CONTROL_ARN = /^arn:aws[a-z-]*:route53-recovery-control::\d{12}:controlpanel\/[A-Za-z0-9]+\/routingcontrol\/[A-Za-z0-9]+$/;

/** The ARC resources of a `FailoverDns` (none of them with existing routing controls). */
interface RecoveryControlParts {
  readonly cluster?: arc.CfnCluster;
  readonly clusterArn?: string;
  readonly controlPanel?: arc.CfnControlPanel;
  readonly routingControls: arc.CfnRoutingControl[];
  readonly safetyRule?: arc.CfnSafetyRule;
  readonly routingControlArns: string[];
}

/** Properties of a `FailoverDns`. */
export interface FailoverDnsProps extends FailoverRecordOptions {
  /** The public hosted zone of `recordName`. */
  readonly zone: route53.IHostedZone;
  /**
   * The name users resolve: the zone name (apex, alias targets only), a name ending with `.<zone name>`,
   * or a single relative label (`api` → `api.<zone name>`). It must be a host name (labels of letters, digits and
   * hyphens; a leading `*.` wildcard is allowed; `@` is not the apex in Route 53), and no other construct of the app
   * may claim the same name in the same zone: synthesis fails otherwise.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
   */
  readonly recordName: string;
  /** The endpoints in priority order: the first is the primary. At least 2. */
  readonly endpoints: FailoverEndpoint[];
  /**
   * Route 53 ARC routing controls: one per endpoint, a manual data-plane switch combined with each
   * endpoint's health check, and a safety rule that keeps at least one endpoint On. Creating them needs a
   * us-west-2 stack (ARC's configuration API is served from us-west-2 only); from a stack in another region,
   * pass `existingRoutingControlArns`.
   * @see https://docs.aws.amazon.com/recovery-cluster/latest/api/examples-cli-control.html
   * @default - no ARC resources
   */
  readonly recoveryControl?: RecoveryControlOptions;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * An existing SNS topic by ARN, under the key `us-east-1`, that every health check alarm notifies on ALARM and
   * on OK. Route 53 publishes `HealthCheckStatus` in us-east-1 only, so the alarms (and the topic) are in us-east-1
   * and the only key allowed is `us-east-1`; the topic must be of this stack's account. The topic is imported by ARN
   * in this construct's stack. Excludes `alarmTopic`.
   * @default - no topic (or `alarmTopic`)
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArns?: { [region: string]: string };
}

/**
 * Health-checked Route 53 failover for one record name over 2..N endpoints.
 *
 * - Failover routing (default): the first healthy endpoint in priority order answers. Two endpoints are a
 *   PRIMARY/SECONDARY pair; more form a chain: level k's SECONDARY is an alias to level k+1, created after
 *   (CloudFormation `DependsOn`) the PRIMARY record of level k+1, because Route 53 refuses an alias to a record
 *   that does not exist yet.
 * - Latency routing: active-active, one health-checked latency record per endpoint.
 * - Optional Route 53 ARC routing controls for a manual, data-plane failover. ARC's configuration API is
 *   served from us-west-2 only: creating them needs a us-west-2 stack; from any other region pass
 *   `recoveryControl.existingRoutingControlArns`.
 *
 * Failover needs no control-plane call: health checks and DNS answers are Route 53's data plane.
 * Default settings (HTTPS `/health` every 10 s, threshold 2, CNAME TTL 15 s) give an RTO budget of 51 s
 * (10 s × 2 + 6 s probe timeout + 10 s assumed checker-to-DNS propagation + 15 s TTL), typically 45 s.
 *
 * All resources live in this construct's stack. To place each endpoint's health check and records in the
 * endpoint's own regional stack, use `FailoverEndpointRecord` directly.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export class FailoverDns extends Construct {
  /** The fully qualified record name (no trailing dot). */
  public readonly recordName: string;
  /** The per-endpoint health checks and records, in priority order. */
  public readonly endpointRecords: FailoverEndpointRecord[];
  /**
   * Recovery estimate of the slowest endpoint that can fail over (the last endpoint of a failover chain has
   * nothing to fail over to): `rto` is the budget, `typicalRto` the typical figure, `rpo` 0.
   */
  public readonly recoveryEstimate: RecoveryEstimate;
  /** The ARC cluster ARN, when `recoveryControl` is set. */
  public readonly recoveryControlClusterArn?: string;
  /** The ARC control panel, when `recoveryControl` is set. */
  public readonly controlPanel?: arc.CfnControlPanel;
  /** The ARC routing controls in endpoint order, when `recoveryControl` is set. */
  public readonly routingControls: arc.CfnRoutingControl[];
  /** The ARC safety rule that keeps at least one routing control On, when `recoveryControl` is set. */
  public readonly safetyRule?: arc.CfnSafetyRule;
  /** The ARC cluster this construct created, if any. */
  public readonly recoveryControlCluster?: arc.CfnCluster;
  /**
   * The ARNs of the routing controls that gate the endpoints, in endpoint order: the ones created here, or
   * `recoveryControl.existingRoutingControlArns`; empty without `recoveryControl`.
   */
  public readonly routingControlArns: string[];

  private readonly byRegion = new Map<string, FailoverEndpointRecord>();
  private readonly routing: FailoverRouting;
  private regionSwitchPlan?: RegionSwitchPlan;

  constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    const endpoints = props.endpoints ?? [];
    // Also covers ARC: a routing control per endpoint needs at least 2 endpoints, like failover itself.
    validateEndpoints(endpoints);
    if (props.alarmTopic && props.alarmTopicArns) {
      throw new MultiRegionFailoverError('`alarmTopic` and `alarmTopicArns` are mutually exclusive: give the us-east-1 topic in one of them, got both');
    }
    this.recordName = resolveRecordName(props.recordName, props.zone);
    this.validateRecordSet(props, endpoints);

    const arcParts = props.recoveryControl ? this.createRecoveryControl(props.recoveryControl, endpoints) : undefined;
    this.recoveryControlCluster = arcParts?.cluster;
    this.recoveryControlClusterArn = arcParts?.clusterArn;
    this.controlPanel = arcParts?.controlPanel;
    this.routingControls = arcParts?.routingControls ?? [];
    this.safetyRule = arcParts?.safetyRule;
    this.routingControlArns = arcParts?.routingControlArns ?? [];

    this.endpointRecords = endpoints.map((endpoint, priority) => {
      const record = new FailoverEndpointRecord(this, endpoint.region, {
        ...props,
        recordName: this.recordName,
        endpoint,
        priority,
        endpointCount: endpoints.length,
        routingControlArn: this.routingControlArns[priority],
      });
      this.byRegion.set(endpoint.region, record);
      return record;
    });

    // Every endpoint except the last of a failover chain can be the one that fails.
    const routing = props.routing ?? FailoverRouting.FAILOVER;
    this.routing = routing;
    const candidates = routing === FailoverRouting.FAILOVER ? this.endpointRecords.slice(0, -1) : this.endpointRecords;
    this.routeAlarmsTo(props.alarmTopicArns);
    this.recoveryEstimate = RecoveryModel.worst(candidates.map((r) => r.recoveryEstimate));
    // Only the settings in play: `ttl` for CNAME endpoints; for alias targets, CNAME endpoints instead (an alias answers with its target's TTL).
    const ttlAdvice = props.endpoints.some((e) => e.target !== undefined)
      ? 'lower the alias target\'s own TTL (`aliasTargetTtl` states it), or use `domainName` endpoints (CNAME records with a short `ttl`) instead of alias targets'
      : '`ttl`';
    RecoveryModel.enforce('FailoverDns', this.recoveryEstimate, props.recoveryObjectives,
      ['`healthCheck.interval`', '`healthCheck.failureThreshold`', ttlAdvice]);
  }

  /** The per-endpoint records of `region`. */
  public endpointRecord(region: string): FailoverEndpointRecord {
    const record = this.byRegion.get(region);
    if (!record) {
      throw new MultiRegionFailoverError(`no endpoint for region ${region}, got: ${[...this.byRegion.keys()].join(', ')}`);
    }
    return record;
  }

  /**
   * Attaches the health checks of `plan`'s Route 53 step for this record (`plan.failoverDnsStep(this)`) to the records, so
   * executing the plan moves the traffic: the PRIMARY record (every record with latency routing) gets a CALCULATED check
   * of the endpoint's own check, the routing control's (if any) and the plan's, healthy only while all are; the SECONDARY
   * keeps its own check. Automatic failover still works when nobody runs the plan: the endpoint's check still turns the
   * record unhealthy. In another stack than the plan's, the records read the plan's check id from its SSM parameter when
   * they deploy, and this stack depends on the plan's. Latency routing needs an active/active plan.
   * @see https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html
   */
  public useRegionSwitchPlan(plan: RegionSwitchPlan): void {
    const what = `FailoverDns ${this.node.path}`;
    if (this.regionSwitchPlan) {
      throw new MultiRegionFailoverError(`\`useRegionSwitchPlan\` must be called once on ${what}, got a second call (plans ${this.regionSwitchPlan.node.path} and ${plan.node.path})`);
    }
    wireRegionSwitchPlan(plan, {
      what,
      recordName: this.recordName,
      routing: this.routing,
      records: [...this.byRegion].map(([region, record]) => ({ region, record })), // insertion order: priority order
    });
    this.regionSwitchPlan = plan;
  }

  /** Route 53's `HealthCheckStatus` of the endpoint in `endpointRegion` (1 healthy, 0 unhealthy; us-east-1 metric). */
  public metricHealthCheckStatus(endpointRegion: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.endpointRecord(endpointRegion).metricHealthCheckStatus(props);
  }

  /** The stack the records live in. */
  public get stack(): Stack {
    return Stack.of(this);
  }

  /**
   * Checks collected so that one synth shows every error, once for all endpoint records: the record name is a host
   * name (clients resolve it), the TTL is 0 to 172800 s (a warning above 300 s), every endpoint region is one AWS has,
   * and no other construct of the app claims the same name in the same zone (Route 53 would reject the second record
   * set, or two constructs would share one failover group).
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
   * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
   */
  private validateRecordSet(props: FailoverDnsProps, endpoints: FailoverEndpoint[]): void {
    validatesEndpointRecords(this);
    validateDnsName(this, this.recordName, { property: 'recordName', reason: 'clients resolve it as a host name', allowWildcard: true });
    if (endpoints.every((e) => e.target === undefined)) {
      validateTtl(this, props.ttl, 'ttl', { failover: true });
    }
    validateKnownRegions(this, endpoints.map((e) => e.region), 'endpoints[].region');
    claimRecordName(this, props.zone.hostedZoneId, this.recordName, 'recordName');
  }

  /** Sends every health check alarm to the `alarmTopicArns` topic (us-east-1), on ALARM and on OK. */
  private routeAlarmsTo(arns: { [region: string]: string } | undefined): void {
    if (arns === undefined) {
      return;
    }
    const stack = Stack.of(this);
    const arn = arns['us-east-1'];
    const arnAccount = arn !== undefined && !Token.isUnresolved(arn) ? arn.split(':')[4] : undefined;
    validateAlarmTopicArns(this, arns, ['us-east-1'], Token.isUnresolved(stack.account) ? arnAccount ?? stack.account : stack.account);
    const alarms = this.endpointRecords.map((r) => r.alarm).filter((a): a is cloudwatch.Alarm => a !== undefined);
    if (alarms.length === 0) {
      return; // Not a us-east-1 stack: no alarm (each record warns), so no topic to import.
    }
    routeAlarms(this, arn, { okActions: true });
  }

  /**
   * Creates the ARC cluster (unless given), control panel, routing controls and safety rule; or, with
   * `existingRoutingControlArns`, nothing.
   */
  private createRecoveryControl(options: RecoveryControlOptions, endpoints: FailoverEndpoint[]): RecoveryControlParts {
    if (options.existingRoutingControlArns !== undefined) {
      validateExistingRoutingControls(options, endpoints.length);
      return { routingControls: [], routingControlArns: [...options.existingRoutingControlArns] };
    }
    validateArcStackRegion(Stack.of(this));
    const name = options.name ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    validateArcName(name);
    const cluster = options.existingClusterArn ? undefined : new arc.CfnCluster(this, 'RecoveryControlCluster', { name });
    const clusterArn = options.existingClusterArn ?? cluster!.attrClusterArn;
    const controlPanel = new arc.CfnControlPanel(this, 'ControlPanel', { name, clusterArn });
    const routingControls = endpoints.map((endpoint) => new arc.CfnRoutingControl(this, `RoutingControl-${endpoint.region}`, {
      name: `${endpoint.region}`,
      clusterArn,
      controlPanelArn: controlPanel.attrControlPanelArn,
    }));
    const wait = options.safetyRuleWaitPeriod ?? Duration.seconds(5);
    const safetyRule = new arc.CfnSafetyRule(this, 'AtLeastOneEndpointOn', {
      name: 'at-least-one-endpoint-on',
      controlPanelArn: controlPanel.attrControlPanelArn,
      ruleConfig: { type: 'ATLEAST', threshold: 1, inverted: false },
      assertionRule: {
        assertedControls: routingControls.map((rc) => rc.attrRoutingControlArn),
        waitPeriodMs: wait.toMilliseconds(),
      },
    });
    Annotations.of(this).addWarningV2('cdk-multi-region-failover:arc-initial-state',
      'ARC routing controls are created Off: turn each one On after the first deploy (`aws route53-recovery-cluster update-routing-control-states`), or every endpoint is unhealthy and Route 53 fails open');
    const routingControlArns = routingControls.map((rc) => rc.attrRoutingControlArn);
    return { cluster, clusterArn, controlPanel, routingControls, safetyRule, routingControlArns };
  }
}

function validateEndpoints(endpoints: FailoverEndpoint[]): void {
  if (endpoints.length < 2) {
    throw new MultiRegionFailoverError(`\`endpoints\` needs at least 2 endpoints (the first is the primary), got: ${endpoints.length}`);
  }
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (seen.has(e.region)) {
      throw new MultiRegionFailoverError(`\`endpoints\` must not repeat a region, got ${e.region} twice`);
    }
    seen.add(e.region);
  }
  for (const e of endpoints) {
    if ((e.domainName === undefined) === (e.target === undefined)) {
      throw new MultiRegionFailoverError(`endpoint ${e.region} needs exactly one of \`domainName\` (CNAME) and \`target\` (alias), got: ${e.domainName === undefined ? 'neither' : 'both'}`);
    }
  }
  const aliasCount = endpoints.filter((e) => e.target !== undefined).length;
  if (aliasCount !== 0 && aliasCount !== endpoints.length) {
    throw new MultiRegionFailoverError('`endpoints` must be all alias targets (`target`) or all domain names (`domainName`), got a mix: a name cannot hold both a CNAME and A/AAAA records');
  }
}

function validateArcName(name: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new MultiRegionFailoverError(`\`recoveryControl.name\` must be 1 to 64 letters, digits, "-" or "_", got: ${name}`);
  }
}

/**
 * Route 53 ARC's recovery-control configuration API (clusters, control panels, routing controls, safety rules)
 * is served from us-west-2 only: "you must specify the US West (Oregon) Region ... to create resources such as
 * routing controls or clusters" (https://docs.aws.amazon.com/recovery-cluster/latest/api/examples-cli-control.html).
 */
function validateArcStackRegion(stack: Stack): void {
  const region = stack.region;
  if (!Token.isUnresolved(region) && region === ARC_CONFIG_REGION) {
    return;
  }
  const got = Token.isUnresolved(region) ? 'a region-agnostic stack' : region;
  throw new MultiRegionFailoverError(
    `FailoverDns with \`recoveryControl\` must be in a ${ARC_CONFIG_REGION} stack, got: ${got}. `
    + 'The Route 53 ARC configuration API (clusters, control panels, routing controls, safety rules) is served from us-west-2 only. '
    + `Put the FailoverDns in a ${ARC_CONFIG_REGION} stack (Route 53 records and health checks are global and work from a stack in any region), `
    + `or create the routing controls in a ${ARC_CONFIG_REGION} stack and pass their ARNs, one per endpoint in endpoint order, `
    + 'in `recoveryControl.existingRoutingControlArns`');
}

function validateExistingRoutingControls(options: RecoveryControlOptions, endpointCount: number): void {
  const arns = options.existingRoutingControlArns ?? [];
  const prop = '`recoveryControl.existingRoutingControlArns`';
  const extra = (['existingClusterArn', 'name', 'safetyRuleWaitPeriod'] as const).filter((k) => options[k] !== undefined);
  if (extra.length) {
    throw new MultiRegionFailoverError(`${prop} creates no ARC resource, so \`existingClusterArn\`, \`name\` and \`safetyRuleWaitPeriod\` do not apply, got: ${extra.join(', ')}`);
  }
  if (arns.length !== endpointCount) {
    throw new MultiRegionFailoverError(`${prop} must hold one routing control ARN per endpoint, in endpoint order (${endpointCount}), got: ${arns.length}`);
  }
  const seen = new Set<string>();
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) {
      continue;
    }
    if (!ROUTING_CONTROL_ARN.test(arn)) {
      throw new MultiRegionFailoverError(`${prop} must hold routing control ARNs (arn:<partition>:route53-recovery-control::<account>:controlpanel/<id>/routingcontrol/<id>), got: ${arn}`);
    }
    if (seen.has(arn)) {
      throw new MultiRegionFailoverError(`${prop} must not repeat an ARN, got ${arn} twice`);
    }
    seen.add(arn);
  }
}
