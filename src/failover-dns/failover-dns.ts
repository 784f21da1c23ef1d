import { Annotations, Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as arc from 'aws-cdk-lib/aws-route53recoverycontrol';
import { Construct } from 'constructs';
import { FailoverEndpointRecord, FailoverRecordOptions } from './failover-endpoint-record';
import { resolveRecordName } from './internal';
import { FailoverEndpoint, FailoverRouting, RecoveryControlOptions } from './options';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryEstimate, RecoveryModel, RecoveryObjectives } from '../core/recovery';

/** Properties of a `FailoverDns`. */
export interface FailoverDnsProps extends FailoverRecordOptions {
  /** The public hosted zone of `recordName`. */
  readonly zone: route53.IHostedZone;
  /**
   * The name users resolve: the zone name (apex, alias targets only), a name ending with `.<zone name>`,
   * or a single relative label (`api` → `api.<zone name>`).
   */
  readonly recordName: string;
  /** The endpoints in priority order: the first is the primary. At least 2. */
  readonly endpoints: FailoverEndpoint[];
  /**
   * Route 53 ARC routing controls: one per endpoint, a manual data-plane switch combined with each
   * endpoint's health check, and a safety rule that keeps at least one endpoint On.
   * @default - no ARC resources
   */
  readonly recoveryControl?: RecoveryControlOptions;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
}

/**
 * Health-checked Route 53 failover for one record name over 2..N endpoints.
 *
 * - Failover routing (default): the first healthy endpoint in priority order answers. Two endpoints are a
 *   PRIMARY/SECONDARY pair; more form a chain: level k's SECONDARY is an alias to level k+1.
 * - Latency routing: active-active, one health-checked latency record per endpoint.
 * - Optional Route 53 ARC routing controls for a manual, data-plane failover.
 *
 * Failover needs no control-plane call: health checks and DNS answers are Route 53's data plane.
 * Default settings (HTTPS `/health` every 10 s, threshold 2, CNAME TTL 15 s) estimate a 40 s RTO.
 *
 * All resources live in this construct's stack. To place each endpoint's health check and records in the
 * endpoint's own regional stack, use `FailoverEndpointRecord` directly.
 */
export class FailoverDns extends Construct {
  /** The fully qualified record name (no trailing dot). */
  public readonly recordName: string;
  /** The per-endpoint health checks and records, in priority order. */
  public readonly endpointRecords: FailoverEndpointRecord[];
  /** Worst-case recovery over all endpoints (the slowest one decides). */
  public readonly recoveryEstimate: RecoveryEstimate;
  /** The ARC cluster ARN, when `recoveryControl` is set. */
  public readonly recoveryControlClusterArn?: string;
  /** The ARC control panel, when `recoveryControl` is set. */
  public readonly controlPanel?: arc.CfnControlPanel;
  /** The ARC routing controls in endpoint order, when `recoveryControl` is set. */
  public readonly routingControls: arc.CfnRoutingControl[] = [];
  /** The ARC safety rule that keeps at least one routing control On, when `recoveryControl` is set. */
  public readonly safetyRule?: arc.CfnSafetyRule;
  /** The ARC cluster this construct created, if any. */
  public readonly recoveryControlCluster?: arc.CfnCluster;

  private readonly byRegion = new Map<string, FailoverEndpointRecord>();

  constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    const endpoints = props.endpoints ?? [];
    // Also covers ARC: a routing control per endpoint needs at least 2 endpoints, like failover itself.
    validateEndpoints(endpoints);
    this.recordName = resolveRecordName(props.recordName, props.zone);

    let routingControlArns: (string | undefined)[] = endpoints.map(() => undefined);
    if (props.recoveryControl) {
      const name = props.recoveryControl.name ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
      validateArcName(name);
      if (props.recoveryControl.existingClusterArn) {
        this.recoveryControlClusterArn = props.recoveryControl.existingClusterArn;
      } else {
        this.recoveryControlCluster = new arc.CfnCluster(this, 'RecoveryControlCluster', { name });
        this.recoveryControlClusterArn = this.recoveryControlCluster.attrClusterArn;
      }
      this.controlPanel = new arc.CfnControlPanel(this, 'ControlPanel', { name, clusterArn: this.recoveryControlClusterArn });
      for (const endpoint of endpoints) {
        this.routingControls.push(new arc.CfnRoutingControl(this, `RoutingControl-${endpoint.region}`, {
          name: `${endpoint.region}`,
          clusterArn: this.recoveryControlClusterArn,
          controlPanelArn: this.controlPanel.attrControlPanelArn,
        }));
      }
      const wait = props.recoveryControl.safetyRuleWaitPeriod ?? Duration.seconds(5);
      this.safetyRule = new arc.CfnSafetyRule(this, 'AtLeastOneEndpointOn', {
        name: 'at-least-one-endpoint-on',
        controlPanelArn: this.controlPanel.attrControlPanelArn,
        ruleConfig: { type: 'ATLEAST', threshold: 1, inverted: false },
        assertionRule: {
          assertedControls: this.routingControls.map((rc) => rc.attrRoutingControlArn),
          waitPeriodMs: wait.toMilliseconds(),
        },
      });
      routingControlArns = this.routingControls.map((rc) => rc.attrRoutingControlArn);
      Annotations.of(this).addWarningV2('cdk-multi-region-failover:arc-initial-state',
        'ARC routing controls are created Off: turn each one On after the first deploy (`aws route53-recovery-cluster update-routing-control-states`), or every endpoint is unhealthy and Route 53 fails open');
    }

    this.endpointRecords = endpoints.map((endpoint, priority) => {
      const record = new FailoverEndpointRecord(this, endpoint.region, {
        ...props,
        recordName: this.recordName,
        endpoint,
        priority,
        endpointCount: endpoints.length,
        routingControlArn: routingControlArns[priority],
      });
      this.byRegion.set(endpoint.region, record);
      return record;
    });

    // Every endpoint except the last of a failover chain can be the one that fails.
    const routing = props.routing ?? FailoverRouting.FAILOVER;
    const candidates = routing === FailoverRouting.FAILOVER ? this.endpointRecords.slice(0, -1) : this.endpointRecords;
    this.recoveryEstimate = candidates.map((r) => r.recoveryEstimate)
      .reduce((worst, e) => (e.rto.toSeconds() > worst.rto.toSeconds() ? e : worst));
    RecoveryModel.enforce('FailoverDns', this.recoveryEstimate, props.recoveryObjectives,
      ['`healthCheck.interval`', '`healthCheck.failureThreshold`', '`ttl` (CNAME endpoints) or use `domainName` endpoints instead of alias targets']);
  }

  /** The per-endpoint records of `region`. */
  public endpointRecord(region: string): FailoverEndpointRecord {
    const record = this.byRegion.get(region);
    if (!record) {
      throw new MultiRegionFailoverError(`no endpoint for region ${region}, got: ${[...this.byRegion.keys()].join(', ')}`);
    }
    return record;
  }

  /** Route 53's `HealthCheckStatus` of the endpoint in `endpointRegion` (1 healthy, 0 unhealthy; us-east-1 metric). */
  public metricHealthCheckStatus(endpointRegion: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.endpointRecord(endpointRegion).metricHealthCheckStatus(props);
  }

  /** The stack the records live in. */
  public get stack(): Stack {
    return Stack.of(this);
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
