import { Duration } from 'aws-cdk-lib';

/**
 * Recovery objectives a construct must meet. Synthesis fails when the construct's
 * `recoveryEstimate` budget (its stated worst case) cannot meet one of them.
 */
export interface RecoveryObjectives {
  /**
   * Recovery time objective: the longest acceptable time from the failure of the
   * primary until users are served by a healthy region. Compared with `recoveryEstimate.rto`,
   * the budget (worst case under the stated assumptions), never with the typical figure.
   * @default - no RTO is enforced
   */
  readonly rto?: Duration;
  /**
   * Recovery point objective: the most recent writes that may be lost in a failover.
   * It can be met only where a mechanism bounds data loss (DynamoDB multi-Region strong consistency,
   * Aurora managed RPO); with asynchronous replication the RPO is unbounded and synthesis fails.
   * @default - no RPO is enforced
   */
  readonly rpo?: Duration;
}

/** Where a figure of a recovery estimate comes from. */
export enum RecoveryBasis {
  /** AWS documents the behaviour and the figure (or the figure is a setting of yours that AWS applies as documented). */
  DOCUMENTED = 'DOCUMENTED',
  /** AWS publishes no figure: this library's stated assumption, which you can override with `RecoveryAssumptions`. */
  ASSUMPTION = 'ASSUMPTION',
}

/**
 * Figures AWS does not publish, which recovery estimates must still count. Each has a default that
 * the README explains; override them with your own measurements.
 */
export interface RecoveryAssumptions {
  /**
   * Time from the moment Route 53's health checkers agree that an endpoint is unhealthy until Route 53's DNS
   * servers answer with the next endpoint. AWS publishes no figure.
   * @default Duration.seconds(10) - one more 10-second check interval for the checkers' reports to be aggregated
   */
  readonly healthCheckPropagation?: Duration;
  /**
   * Time Aurora takes to promote a secondary cluster of a global database, worst case you plan for.
   * AWS's user guide says a secondary "typically" takes over "within a few minutes" and calls the RTO
   * "in the order of minutes": it publishes no bound.
   * @default Duration.minutes(5)
   */
  readonly auroraPromotion?: Duration;
  /**
   * Time for a CloudFront KeyValueStore change to reach every edge location (`GlobalSsrSite` write failover).
   * AWS publishes no figure.
   * @default Duration.seconds(10)
   */
  readonly keyValueStorePropagation?: Duration;
}

/**
 * One named contribution to a recovery estimate, what it is based on, and the setting that changes it.
 */
export interface RecoveryTerm {
  /** What this term is, e.g. "health checks (10 s × 2)". */
  readonly label: string;
  /** Its duration in the budget (the worst case under the stated assumptions). */
  readonly duration: Duration;
  /**
   * Its typical duration.
   * @default - the same as `duration`
   */
  readonly typical?: Duration;
  /** Whether AWS documents this figure or it is an assumption. */
  readonly basis: RecoveryBasis;
  /**
   * The AWS documentation page the figure comes from, or why the assumption has its value.
   * @default - none
   */
  readonly source?: string;
  /**
   * The prop that changes it, e.g. "`healthCheck.failureThreshold`".
   * @default - none
   */
  readonly setting?: string;
  /**
   * The least any value of `setting` can make this term, e.g. 10 s for Route 53 health checks (10 s interval ×
   * failure threshold 1). `RecoveryModel.enforce` adds it to the floor no setting can go below.
   * @default - 0 s when the term has a `setting`; otherwise the term's `duration`
   */
  readonly minimum?: Duration;
}

/** How much data a failover may lose, and what (if anything) bounds it. */
export interface RecoveryPointInput {
  /**
   * The bound a mechanism enforces (MRSC, Aurora managed RPO, or no data at all).
   * @default - unbounded: replication is asynchronous and nothing stops writes when it falls behind
   */
  readonly bound?: Duration;
  /** The figure a failover typically loses (e.g. the replication lag AWS calls typical). */
  readonly typical: Duration;
  /** What bounds the RPO, or why it is unbounded. */
  readonly mechanism: string;
  /** Whether the typical figure is documented by AWS or assumed. */
  readonly basis: RecoveryBasis;
  /**
   * The AWS documentation page of the mechanism or typical figure.
   * @default - none
   */
  readonly source?: string;
  /**
   * The prop that bounds or lowers the RPO.
   * @default - none
   */
  readonly setting?: string;
}

/**
 * A recovery estimate computed from a construct's configuration.
 *
 * `rto` is the budget: the worst case under the documented behaviour of AWS and the assumptions listed in `terms`.
 * `typicalRto` is what a failover usually takes. `recoveryObjectives` is enforced against the budget.
 */
export interface RecoveryEstimate {
  /** Time to detect the failure, budget (e.g. health check interval × failure threshold + probe timeout). */
  readonly detection: Duration;
  /** Time for the decision to reach clients, budget (propagation to DNS servers, resolver caching, promotion). */
  readonly propagation: Duration;
  /** Recovery time budget: detection + propagation, the worst case under the stated assumptions. */
  readonly rto: Duration;
  /** Typical recovery time. */
  readonly typicalRto: Duration;
  /**
   * Data loss bound, when a mechanism enforces one.
   * @default - unbounded (see `rpoBounded` and `typicalRpo`)
   */
  readonly rpo?: Duration;
  /** Whether a mechanism bounds the data a failover may lose. */
  readonly rpoBounded: boolean;
  /**
   * Whether the flow recovers by itself. False when a step needs a person (e.g. `GlobalSsrSite` with
   * `writeFailover: false`: requests with a body never fail over): `rto` then counts only the automatic steps, and
   * any `recoveryObjectives.rto` fails synthesis.
   */
  readonly rtoBounded: boolean;
  /**
   * Why the flow does not recover by itself, when `rtoBounded` is false.
   * @default - it does
   */
  readonly noAutomaticRecovery?: string;
  /** Typical data loss in a failover. */
  readonly typicalRpo: Duration;
  /** What bounds the RPO, or why it is unbounded. */
  readonly rpoMechanism: string;
  /**
   * Extra latency a single request pays while it is failed over per request (CloudFront origin failover),
   * budget. It is not a recovery time: the next request pays it again until the primary is back.
   * @default - no per-request failover
   */
  readonly perRequestPenalty?: Duration;
  /**
   * Typical per-request failover penalty.
   * @default - no per-request failover
   */
  readonly typicalPerRequestPenalty?: Duration;
  /** What is failed over and how, e.g. "Route 53 failover (CNAME) for us-east-1". */
  readonly summary: string;
  /** The terms of `detection`. */
  readonly detectionTerms: RecoveryTerm[];
  /** The terms of `propagation`. */
  readonly propagationTerms: RecoveryTerm[];
  /** The terms of `perRequestPenalty` (none without a per-request failover). */
  readonly perRequestTerms: RecoveryTerm[];
  /** One line that says how the figures were computed and which are assumptions. */
  readonly explanation: string;
}

/** How a component's terms combine into an estimate. */
export interface RecoveryModelInput {
  /** Terms that make up detection. */
  readonly detection: RecoveryTerm[];
  /** Terms that make up propagation. */
  readonly propagation: RecoveryTerm[];
  /**
   * Terms of a per-request failover (CloudFront origin groups): reported apart from the RTO.
   * @default - none
   */
  readonly perRequest?: RecoveryTerm[];
  /**
   * Data loss.
   * @default - stateless: nothing to lose, RPO 0 (bounded)
   */
  readonly rpo?: RecoveryPointInput;
  /** A short prefix for the explanation, e.g. "Route 53 failover (CNAME)". */
  readonly summary: string;
  /**
   * Why the flow never recovers without a person, if it does not (e.g. "requests with a body never fail over").
   * The estimate then says "RTO unbounded", and `RecoveryModel.enforce` refuses every RTO objective.
   * @default - the terms recover the flow automatically
   */
  readonly noAutomaticRecovery?: string;
}

/** Inputs of the Route 53 DNS failover model. */
export interface DnsFailoverModelInput {
  /** Health check request interval: 10 or 30 seconds. */
  readonly interval: Duration;
  /** Consecutive failed checks before an endpoint is unhealthy: 1 to 10. */
  readonly failureThreshold: number;
  /**
   * Whether the health check is a TCP check (10 s connect timeout) rather than HTTP/HTTPS
   * (4 s to connect, then 2 s for a 2xx/3xx).
   * @default false
   */
  readonly tcp?: boolean;
  /**
   * Whether the HTTP(S) health check matches a string in the body (2 more seconds for the body).
   * @default false
   */
  readonly stringMatch?: boolean;
  /**
   * Whether `interval` and `failureThreshold` are assumed (a health check this library did not create)
   * rather than known: the detection terms are then labelled as assumptions.
   * @default false
   */
  readonly assumedSettings?: boolean;
  /**
   * The record's TTL.
   * @default - an alias record: resolvers cache the alias target's TTL (`aliasTargetTtl`)
   */
  readonly ttl?: Duration;
  /**
   * The TTL Route 53 answers an alias record with: the TTL of the record it points to when that record is in the
   * same hosted zone, or the TTL of the AWS resource it points to. Only for alias records (no `ttl`).
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   * @default - `RecoveryModel.ALIAS_TARGET_TTL` (60 s), an assumption except for ELB and S3 website endpoints
   */
  readonly aliasTargetTtl?: Duration;
  /**
   * Extra propagation terms (e.g. a chain of alias levels).
   * @default - none
   */
  readonly extra?: RecoveryTerm[];
  /**
   * Data loss.
   * @default - stateless: RPO 0
   */
  readonly rpo?: RecoveryPointInput;
  /**
   * Prefix for setting names in messages, e.g. "healthCheck.".
   * @default ''
   */
  readonly settingPrefix?: string;
  /**
   * Summary for the explanation.
   * @default - "Route 53 failover (TTL)" or "Route 53 failover (alias)"
   */
  readonly summary?: string;
  /**
   * Overrides of the figures AWS does not publish.
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly assumptions?: RecoveryAssumptions;
}

/** Options of `RecoveryModel.healthCheckDetection`. */
export interface HealthCheckDetectionOptions {
  /**
   * A TCP health check (10 s connect timeout) rather than HTTP/HTTPS.
   * @default false
   */
  readonly tcp?: boolean;
  /**
   * An HTTP(S) health check with string matching (the body must arrive within 2 more seconds).
   * @default false
   */
  readonly stringMatch?: boolean;
  /**
   * The interval and threshold are assumed, not known (a health check this library did not create).
   * @default false
   */
  readonly assumedSettings?: boolean;
  /**
   * Prefix for setting names in messages, e.g. "healthCheck.".
   * @default ''
   */
  readonly settingPrefix?: string;
  /**
   * The props that set the interval and the failure threshold, as messages name them, for constructs whose props
   * are not `<prefix>interval` and `<prefix>failureThreshold` (e.g. "`healthCheckInterval`, `healthCheckFailureThreshold`").
   * @default - "`<settingPrefix>interval`, `<settingPrefix>failureThreshold`"
   */
  readonly settings?: string;
}

/** Inputs of the CloudFront per-request origin failover model. */
export interface OriginFailoverModelInput {
  /** Connection attempts to the primary origin: 1 to 3. */
  readonly connectionAttempts: number;
  /** Connection timeout of each attempt: 1 to 10 seconds. */
  readonly connectionTimeout: Duration;
  /** Response (read) timeout of the primary origin. */
  readonly readTimeout: Duration;
  /**
   * Prefix for setting names in messages.
   * @default ''
   */
  readonly settingPrefix?: string;
}
