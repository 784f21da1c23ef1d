import { CfnOutput, Duration, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ELB_ALIAS_TTL, serviceEstimate, standaloneEstimate } from './estimate';
import { originVerifyReference } from './network';
import { RegionalServiceProps, RegionalServiceResources } from './props';
import { buildRegion } from './region';
import { resolveSettings, ServiceSettings } from './settings';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { regionalStackName } from '../core/naming';
import { RecoveryEstimate } from '../core/recovery';
import { validateMultiRegionScope } from '../core/regions';
import { claimStackNames, validateDnsName, validateKnownRegions } from '../core/validation';
import { FailoverEndpoint } from '../failover-dns/options';
import { SsrHttpOrigins } from '../global-ssr-site/props';

/** A regional stack whose AZs resolve at deploy time (`Fn::GetAZs`): no context lookup, no credentials at synth. */
class ServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

/** Options of `RegionalService.failoverEndpoints`. */
export interface ServiceFailoverEndpointOptions {
  /**
   * Rely on the load balancer's target health only (`EvaluateTargetHealth`), with no Route 53 health check: no health
   * check to pay for, but detection follows the target group's health check, and `FailoverDns`'s estimate then assumes
   * Route 53's defaults (use `RegionalService.targetHealthEstimate` for this path).
   * @default false - a Route 53 HTTPS health check of `https://<region>.<domainName><healthCheckPath>` per endpoint
   */
  readonly evaluateTargetHealthOnly?: boolean;
}

/**
 * An alias to the regional name, a record of the service's hosted zone, by name: no token of the regional stack crosses
 * stacks. Route 53 aliases a record only within its own hosted zone, so the failover records must be in that zone too.
 */
class RegionalNameAlias implements route53.IAliasRecordTarget {
  constructor(private readonly name: string, private readonly hostedZoneId: string) {}
  public bind(): route53.AliasRecordTargetConfig {
    return { dnsName: `${this.name}.`, hostedZoneId: this.hostedZoneId, evaluateTargetHealth: true };
  }
}

/**
 * The same container on ECS Fargate behind an Application Load Balancer in every region.
 *
 * Created under an App or a Stage: one stack per region, `<prefix>-svc-<region>` (the prefix from `domainName` unless
 * `stackNamePrefix`), and no stack references another. Each regional stack holds a VPC (or yours), an internet-facing
 * ALB with an HTTPS listener (a certificate for `domainName` and `<region>.<domainName>`, AWS's recommended TLS 1.3/1.2
 * policy) and an HTTP listener that only redirects, access logs in an SSE-S3 bucket, a target group health-checking
 * `healthCheckPath`, an ECS cluster with Container Insights, a Fargate service with the deployment circuit breaker
 * (rollback on), CPU target-tracking auto scaling, the alias `<region>.<domainName>` → the ALB (EvaluateTargetHealth)
 * and an alarm when no task is healthy.
 *
 * Route 53 failover: give `failoverEndpoints()` to a `FailoverDns` (with `recordTypes: [RecordType.A]`) in a stack that
 * depends on this construct's stacks. CloudFront: each region's origin is `<region>.<domainName>`; with
 * `originProtection`, the listener forwards only requests that carry CloudFront's secret header (`originVerifyHeaderName`,
 * value `originVerifyHeaderValue()`).
 */
export class RegionalService extends Construct {
  /** The regions, primary first. */
  public readonly regions: string[];
  /** The regional stacks in `regions` order. */
  public readonly stacks: Stack[];
  /** The name clients use (no trailing dot). */
  public readonly domainName: string;
  /** The prefix of the stack names. */
  public readonly stackNamePrefix: string;
  /** The path the health checks request. */
  public readonly healthCheckPath: string;
  /**
   * The header CloudFront must send (`originProtection`).
   * @default - undefined without `originProtection`
   */
  public readonly originVerifyHeaderName?: string;
  /**
   * The name of the secret that holds the header value, replicated to every region of the service and to
   * `originProtection.distributionRegions`.
   * @default - undefined without `originProtection`
   */
  public readonly originVerifySecretName?: string;
  /**
   * Recovery of the service on its own: none. Each region's name (`<region>.<domainName>`) answers with that region's
   * load balancer only, so clients of a lost region's name wait for the region: RTO unbounded. Failover comes from
   * what you put in front — `FailoverDns` over `failoverEndpoints()` or an `SsrEdgeStack` over `cloudFrontOrigins()` —
   * and their `recoveryEstimate`s apply (see `targetHealthEstimate` for an alias with `EvaluateTargetHealth` only).
   */
  public readonly recoveryEstimate: RecoveryEstimate;
  /**
   * Recovery of a region that loses every task, seen through an alias with `EvaluateTargetHealth` (no Route 53 health
   * check, `failoverEndpoints({ evaluateTargetHealthOnly: true })`): the target group's health checks + the assumed
   * propagation to Route 53's DNS + the 60 s ELB alias TTL. With `failoverEndpoints()`'s Route 53 health checks,
   * `FailoverDns.recoveryEstimate` applies instead.
   */
  public readonly targetHealthEstimate: RecoveryEstimate;

  private readonly s: ServiceSettings;
  private readonly hostedZoneId: string;
  private readonly byRegion = new Map<string, RegionalServiceResources>();

  constructor(scope: Construct, id: string, props: RegionalServiceProps) {
    validateMultiRegionScope(scope, 'RegionalService');
    super(scope, id);
    const s = resolveSettings(props);
    this.s = s;
    this.hostedZoneId = props.hostedZoneId;
    this.regions = s.regions;
    this.domainName = s.domainName;
    this.stackNamePrefix = s.prefix;
    this.healthCheckPath = s.healthCheckPath;
    this.originVerifyHeaderName = s.originHeaderName;
    this.originVerifySecretName = s.originSecretName;
    validateDnsName(this, s.domainName, { property: 'domainName', reason: 'it gets an ACM certificate' });
    validateKnownRegions(this, s.regions, 'regions');
    validateAlarmTopicArns(this, props.alarmTopicArns, s.regions, s.account);

    this.stacks = s.regions.map((region, i) => new ServiceStack(this, region, {
      env: { account: s.account, region },
      stackName: regionalStackName(s.prefix, 'svc', region),
      description: `RegionalService ${s.domainName}: ECS Fargate service and load balancer in ${region}${i === 0 ? ' (primary)' : ''} (cdk-multi-region-failover)`,
    }));
    if (s.originSecretName) {
      for (const stack of this.stacks.slice(1)) {
        stack.addDependency(this.stacks[0], 'the origin-verify secret is created (with a replica here) by the first region\'s stack');
      }
    }
    claimStackNames(this, this.stacks);
    s.regions.forEach((region, i) => {
      const resources = buildRegion({ stack: this.stacks[i], region, first: i === 0, props, s });
      this.byRegion.set(region, resources);
      new CfnOutput(this.stacks[i], 'RegionalUrl', { value: `https://${resources.regionalDomainName}`, description: `${s.domainName} served by ${region} only` });
      new CfnOutput(this.stacks[i], 'LoadBalancerDnsName', { value: resources.loadBalancer.loadBalancerDnsName });
      routeAlarms(this.stacks[i], props.alarmTopicArns?.[region]);
    });
    this.targetHealthEstimate = serviceEstimate(s, props.recoveryAssumptions);
    this.recoveryEstimate = standaloneEstimate(s);
  }

  /** Everything created in `region`. */
  public regionalResources(region: string): RegionalServiceResources {
    const r = this.byRegion.get(region);
    if (!r) {
      throw new MultiRegionFailoverError(`\`region\` must be one of the regions of this service (${this.regions.join(', ')}), got: ${region}`);
    }
    return r;
  }

  /** The load balancer of `region` (a resource of that region's stack). */
  public loadBalancer(region: string): elbv2.ApplicationLoadBalancer {
    return this.regionalResources(region).loadBalancer;
  }

  /** `<region>.<domainName>`: the name that reaches `region` only (a CloudFront origin host). */
  public regionalDomainName(region: string): string {
    return this.regionalResources(region).regionalDomainName;
  }

  /**
   * One `FailoverEndpoint` per region, in `regions` order, for a `FailoverDns` over this service: an alias (A records:
   * give the `FailoverDns` `recordTypes: [RecordType.A]`) to the region's name `<region>.<domainName>`, itself an alias
   * to the region's load balancer; `EvaluateTargetHealth` on both, and `aliasTargetTtl` 60 s (Route 53 answers a
   * same-zone alias with its target's TTL, here the ELB's fixed 60 s). By default each endpoint also gets a Route 53
   * HTTPS health check of `https://<region>.<domainName><healthCheckPath>`. The alias points at a name, not a token, so
   * the `FailoverDns` may live in any stack; that stack must deploy after this construct's stacks (Route 53 refuses an
   * alias to a record that does not exist yet): `dnsStack.addDependency(stack)` for each of `stacks`.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html#rrsets-values-alias-evaluate-target-health
   */
  public failoverEndpoints(options: ServiceFailoverEndpointOptions = {}): FailoverEndpoint[] {
    if (this.s.originHeaderName) {
      throw new MultiRegionFailoverError('`originProtection` makes the load balancers answer 403 to every request without CloudFront\'s secret header, '
        + 'so Route 53 failover would send clients (and its health checkers, which cannot send the header) to a load balancer that refuses them: '
        + 'reach a service with `originProtection` through CloudFront only, or remove `originProtection`');
    }
    const targetHealthOnly = options.evaluateTargetHealthOnly ?? false;
    return this.regions.map((region) => {
      const name = this.regionalDomainName(region);
      return {
        region,
        target: route53.RecordTarget.fromAlias(new RegionalNameAlias(name, this.hostedZoneId)),
        aliasTargetTtl: ELB_ALIAS_TTL,
        evaluateTargetHealthOnly: targetHealthOnly,
        healthCheck: targetHealthOnly ? undefined : { fqdn: name, path: this.healthCheckPath },
      };
    });
  }

  /**
   * The CloudFormation dynamic reference to the origin-verify header value, for the CloudFront origin's custom header
   * (`{{resolve:secretsmanager:<secret name>:SecretString:::}}`). It resolves at deploy time in the region of the stack
   * that uses it, which must hold the secret or a replica: one of `regions` or `originProtection.distributionRegions`.
   * The value is in no template; it is visible to whoever may read the distribution's or the listener rules' configuration.
   */
  public originVerifyHeaderValue(): string {
    if (!this.s.originSecretName) {
      throw new MultiRegionFailoverError('`originProtection` is not set, so there is no origin-verify header: set `originProtection` to keep CloudFront the only way in');
    }
    return originVerifyReference(this.s.originSecretName);
  }

  /**
   * The service's regional load balancers as the CloudFront origins of an `SsrEdgeStack` (`httpOrigins`): the names
   * `<region>.<domainName>` of `primaryRegion` and `drRegion`, and with `originProtection` the origin-verify header
   * (`originVerifyHeaderValue()`, a dynamic reference that resolves in us-east-1, where the secret has a replica by
   * default). Give the edge stack `healthCheckPath: service.healthCheckPath` and make it depend on this service's stacks
   * (the secret replica must exist before CloudFormation resolves the reference).
   * @param primaryRegion the primary origin's region @default - the first of `regions`
   * @param drRegion the DR origin's region @default - the second of `regions`, none with one region
   */
  public cloudFrontOrigins(primaryRegion?: string, drRegion?: string): SsrHttpOrigins {
    const primary = primaryRegion ?? this.regions[0];
    const dr = drRegion ?? this.regions[1];
    if (this.s.originSecretName && ![this.regions[0], ...this.s.originReplicaRegions].includes('us-east-1')) {
      throw new MultiRegionFailoverError('`originProtection.distributionRegions` must include us-east-1 (the CloudFront distribution\'s stack resolves the '
        + `origin-verify secret there), got: ${this.s.originReplicaRegions.join(', ')}`);
    }
    return {
      primaryDomainName: this.regionalDomainName(primary),
      drDomainName: dr !== undefined ? this.regionalDomainName(dr) : undefined,
      customHeaders: this.s.originHeaderName ? { [this.s.originHeaderName]: this.originVerifyHeaderValue() } : undefined,
    };
  }

  /** `HealthyHostCount` of `regionName`'s target group (Minimum per minute), in `regionName`. */
  public metricHealthyTaskCount(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.regionalResources(regionName).targetGroup.metrics.healthyHostCount({
      statistic: 'Minimum', period: Duration.minutes(1), region: regionName, ...props,
    });
  }

  /** `HTTPCode_ELB_5XX_Count` of `regionName`'s load balancer (Sum per minute), in `regionName`: 502, 503 (no healthy target), 504. */
  public metricLoadBalancerErrors(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.regionalResources(regionName).loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT,
      { statistic: 'Sum', period: Duration.minutes(1), region: regionName, ...props });
  }
}
