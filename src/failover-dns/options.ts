import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';

/** Protocol of a Route 53 endpoint health check. */
export enum HealthCheckProtocol {
  /** HTTPS request; healthy on a 2xx/3xx within 2 s after a TCP connect within 4 s. The certificate is not validated. */
  HTTPS = 'HTTPS',
  /** HTTP request; healthy on a 2xx/3xx within 2 s after a TCP connect within 4 s. */
  HTTP = 'HTTP',
  /** TCP connect only, within 10 s. `path` and `searchString` do not apply. */
  TCP = 'TCP',
}

/** How the endpoints of a `FailoverDns` share traffic. */
export enum FailoverRouting {
  /**
   * Active-passive: the first healthy endpoint in priority order answers.
   * Two endpoints are one PRIMARY/SECONDARY pair; more form a chain of pairs linked by alias records.
   */
  FAILOVER = 'FAILOVER',
  /**
   * Active-active: latency-based records, one per endpoint, each health-checked; Route 53 answers with
   * the lowest-latency healthy endpoint. Endpoint `region`s must be AWS regions.
   */
  LATENCY = 'LATENCY',
}

/**
 * Settings of a Route 53 endpoint health check. Every field may be set on `FailoverDnsProps.healthCheck`
 * (the shared defaults) and overridden per endpoint.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export interface FailoverHealthCheckOptions {
  /**
   * The host name the health checkers connect to (and send as SNI / Host). Must not be an API Gateway
   * regional domain name (`d-xxxx.execute-api...`), which answers 403 to it: use `{api-id}.execute-api.{region}.amazonaws.com`.
   * @default - the endpoint's `domainName`; required for alias targets unless `evaluateTargetHealthOnly`
   */
  readonly fqdn?: string;
  /**
   * The protocol.
   * @default HealthCheckProtocol.HTTPS
   */
  readonly protocol?: HealthCheckProtocol;
  /**
   * The path requested.
   * @default '/health'
   */
  readonly path?: string;
  /**
   * The port.
   * @default - 443 for HTTPS, 80 for HTTP and TCP
   */
  readonly port?: number;
  /**
   * A string that must appear in the first 5,120 bytes of the response body (at most 255 characters).
   * @default - no string matching: any 2xx/3xx status is healthy
   */
  readonly searchString?: string;
  /**
   * Seconds between two checks by each checker: 10 or 30. Cannot be changed after creation.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Consecutive failed checks before an endpoint is unhealthy, 1 to 10.
   * @default 2
   */
  readonly failureThreshold?: number;
  /**
   * Regions the health checkers run from (at least 3).
   * @default - Route 53's default checker regions
   */
  readonly regions?: string[];
  /**
   * Measure latency between the checkers and the endpoint (CloudWatch graphs in the Route 53 console).
   * Cannot be changed after creation.
   * @default false
   */
  readonly measureLatency?: boolean;
  /**
   * Invert the health check status (a healthy endpoint is reported unhealthy). Used by failover drills.
   * @default false
   */
  readonly inverted?: boolean;
}

/** One endpoint of a `FailoverDns`, in priority order. Give exactly one of `domainName` and `target`. */
export interface FailoverEndpoint {
  /**
   * The endpoint's AWS region. It labels the endpoint (set identifier, construct ids) and, in latency
   * routing, is the record's region.
   */
  readonly region: string;
  /**
   * A domain name to answer with as a failover CNAME (e.g. a load balancer's DNS name). Not allowed at the zone
   * apex. The health check calls this name unless `healthCheck.fqdn` is set.
   *
   * For an API Gateway regional custom domain, the CNAME may point at its regional domain name
   * (`d-xxxx.execute-api.<region>.amazonaws.com`), but that host answers 403 to a request for any other name,
   * so the health check must call the API itself: set `healthCheck.fqdn` to `{api-id}.execute-api.{region}.amazonaws.com`
   * and `healthCheck.path` to a route under its stage (e.g. `/prod/health`), or give `existingHealthCheck`.
   * Synthesis fails otherwise.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
   * @default - none; give `target` instead
   */
  readonly domainName?: string;
  /**
   * An alias target (API Gateway domain, CloudFront, load balancer, another record of the zone...). A and/or AAAA
   * records are created (see `recordTypes`); `EvaluateTargetHealth` is always set. An alias record has no TTL of its
   * own: Route 53 answers with the target's TTL, which the recovery estimate counts (see `aliasTargetTtl`).
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   * @default - none; give `domainName` instead
   */
  readonly target?: route53.RecordTarget;
  /**
   * The TTL Route 53 answers this endpoint's alias records with, as counted by the recovery estimate. Route 53 uses
   * the TTL of the record an alias points to when that record is in the same hosted zone, and the AWS resource's TTL
   * otherwise. Required when `target` is an alias to another record of the same hosted zone (synthesis fails
   * without it): set it to that record's TTL. For an AWS resource, set it if you know the resource's TTL.
   * Only for alias targets (`target`); a CNAME endpoint's TTL is `ttl`.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   * @see https://aws.amazon.com/route53/faqs/
   * @default - 60 s (`RecoveryModel.ALIAS_TARGET_TTL`): AWS documents a fixed 60 s for ELB and S3 website endpoints
   * only; for other AWS resources (API Gateway, CloudFront) it is this library's assumption, labelled as such in the
   * estimate
   */
  readonly aliasTargetTtl?: Duration;
  /**
   * Health check settings for this endpoint, on top of `FailoverDnsProps.healthCheck`.
   * @default - the shared defaults
   */
  readonly healthCheck?: FailoverHealthCheckOptions;
  /**
   * Use this health check instead of creating one.
   * @default - a health check is created from `healthCheck`
   */
  readonly existingHealthCheck?: route53.IHealthCheck;
  /**
   * Create no Route 53 health check: rely on the alias target's own health (`EvaluateTargetHealth`).
   * Only for alias targets that report health (ELB, another Route 53 record).
   * @default false
   */
  readonly evaluateTargetHealthOnly?: boolean;
}

/**
 * Route 53 Application Recovery Controller (ARC) routing controls: a manual, data-plane switch per endpoint.
 * A cluster costs money by the hour whether you use it or not.
 *
 * ARC's configuration API (clusters, control panels, routing controls, safety rules) is served from us-west-2
 * only, so a `FailoverDns` that creates them must be in a us-west-2 stack. From a stack in any other region,
 * create the routing controls in a us-west-2 stack and pass `existingRoutingControlArns`.
 *
 * @see https://docs.aws.amazon.com/r53recovery/latest/dg/routing-control.html
 * @see https://docs.aws.amazon.com/recovery-cluster/latest/api/examples-cli-control.html
 */
export interface RecoveryControlOptions {
  /**
   * Routing controls created elsewhere (e.g. in a us-west-2 stack), one per endpoint in endpoint order. No ARC
   * resource (cluster, control panel, routing control, safety rule) is created: only each endpoint's
   * `RECOVERY_CONTROL` health check, combined with its own health check. This works from a stack in any region.
   * Excludes `existingClusterArn`, `name` and `safetyRuleWaitPeriod`.
   * @default - a control panel, routing controls and a safety rule are created (us-west-2 stacks only)
   */
  readonly existingRoutingControlArns?: string[];
  /**
   * Use this existing ARC cluster instead of creating one.
   * @default - a cluster is created
   */
  readonly existingClusterArn?: string;
  /**
   * Name of the created cluster and control panel (1 to 64 characters).
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * How long the safety rule waits between routing control state changes it evaluates.
   * @default Duration.seconds(5)
   */
  readonly safetyRuleWaitPeriod?: Duration;
}
