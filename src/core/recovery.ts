import { Duration } from 'aws-cdk-lib';
import { MultiRegionFailoverError } from './errors';

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
   * @default - an alias record: resolvers cache the target's 60 s TTL
   */
  readonly ttl?: Duration;
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

const R53_HEALTH_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';
const R53_TTL_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html#rrsets-values-failover-ttl';
const R53_ALIAS_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html';
const CF_TIMEOUT_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html#controlling-attempts-and-timeouts';
const CF_RESPONSE_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout';

/**
 * Computes recovery estimates and enforces recovery objectives. Pure, deterministic, no AWS calls.
 */
export class RecoveryModel {
  /**
   * Default assumption: time for Route 53 health checker results to reach Route 53's DNS servers.
   * AWS publishes no figure; see `RecoveryAssumptions.healthCheckPropagation`.
   */
  public static readonly HEALTH_CHECK_PROPAGATION = Duration.seconds(10);

  /** Default assumption: worst-case Aurora global database promotion; see `RecoveryAssumptions.auroraPromotion`. */
  public static readonly AURORA_PROMOTION = Duration.minutes(5);

  /**
   * Typical Aurora global database promotion: AWS's user guide says "typically … within a few minutes";
   * this library reads "a few" as 2 minutes for the typical figure.
   */
  public static readonly AURORA_PROMOTION_TYPICAL = Duration.minutes(2);

  /**
   * HTTP/HTTPS health check probe timeout: a checker must connect within 4 s and get a 2xx/3xx within 2 s
   * after connecting (AWS documented), so a failed probe is known at most 6 s after it starts.
   */
  public static readonly HTTP_PROBE_TIMEOUT = Duration.seconds(6);

  /**
   * HTTP/HTTPS string-match probe timeout: as `HTTP_PROBE_TIMEOUT`, then the body must arrive within 2 more
   * seconds (AWS documented).
   */
  public static readonly STRING_MATCH_PROBE_TIMEOUT = Duration.seconds(8);

  /** TCP health check probe timeout: a checker must connect within 10 s (AWS documented). */
  public static readonly TCP_PROBE_TIMEOUT = Duration.seconds(10);

  /**
   * TTL that Route 53 answers with for an alias record to an AWS resource (API Gateway,
   * CloudFront, ELB, S3 website): alias records have no TTL of their own.
   */
  public static readonly ALIAS_TARGET_TTL = Duration.seconds(60);

  /** The AWS page that documents Route 53 health check timeouts and thresholds. */
  public static readonly ROUTE53_HEALTH_CHECK_DOC = R53_HEALTH_DOC;

  /**
   * Time Route 53 needs to detect an unhealthy endpoint: every checker needs `failureThreshold` consecutive
   * failed probes, one per `interval`; the last failed probe is known only when it times out.
   */
  public static healthCheckDetection(interval: Duration, failureThreshold: number, options: HealthCheckDetectionOptions = {}): RecoveryTerm[] {
    const i = seconds(interval, 'interval');
    if (i !== 10 && i !== 30) {
      throw new MultiRegionFailoverError(`\`interval\` must be 10 or 30 seconds, got: ${i} s`);
    }
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1 || failureThreshold > 10) {
      throw new MultiRegionFailoverError(`\`failureThreshold\` must be between 1 and 10, got: ${failureThreshold}`);
    }
    const prefix = options.settingPrefix ?? '';
    const probe = options.tcp
      ? { label: 'probe timeout (TCP connect 10 s)', duration: RecoveryModel.TCP_PROBE_TIMEOUT }
      : options.stringMatch
        ? { label: 'probe timeout (connect 4 s + 2xx/3xx 2 s + body 2 s)', duration: RecoveryModel.STRING_MATCH_PROBE_TIMEOUT }
        : { label: 'probe timeout (connect 4 s + 2xx/3xx 2 s)', duration: RecoveryModel.HTTP_PROBE_TIMEOUT };
    return [
      options.assumedSettings
        ? {
          label: `health checks (${i} s × ${failureThreshold}, assumed)`,
          duration: Duration.seconds(i * failureThreshold),
          basis: RecoveryBasis.ASSUMPTION,
          source: 'a health check this library did not create: Route 53\'s defaults (30 s × 3) are assumed',
          setting: 'a health check created with known settings',
        }
        : {
          label: `health checks (${i} s × ${failureThreshold})`,
          duration: Duration.seconds(i * failureThreshold),
          basis: RecoveryBasis.DOCUMENTED,
          source: R53_HEALTH_DOC,
          setting: `\`${prefix}interval\`, \`${prefix}failureThreshold\``,
        },
      {
        ...probe,
        typical: Duration.seconds(0),
        basis: options.assumedSettings ? RecoveryBasis.ASSUMPTION : RecoveryBasis.DOCUMENTED,
        source: R53_HEALTH_DOC,
      },
    ];
  }

  /** The assumed time for health checker results to reach Route 53's DNS servers. */
  public static healthCheckPropagation(assumptions?: RecoveryAssumptions): RecoveryTerm {
    const d = assumptions?.healthCheckPropagation ?? RecoveryModel.HEALTH_CHECK_PROPAGATION;
    seconds(d, 'recoveryAssumptions.healthCheckPropagation');
    return {
      label: 'checker-to-DNS propagation',
      duration: d,
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS publishes no figure; default: one more 10-second check interval',
      setting: '`recoveryAssumptions.healthCheckPropagation`',
    };
  }

  /**
   * The estimate for health-checked Route 53 DNS failover:
   * detection = interval × failure threshold + probe timeout; propagation = checker-to-DNS propagation
   * (assumption) + the TTL resolvers cache the old answer for (the record's TTL, or 60 s for an alias to an AWS resource).
   */
  public static dnsFailover(input: DnsFailoverModelInput): RecoveryEstimate {
    const prefix = input.settingPrefix ?? '';
    const extra = input.extra ?? [];
    const ttl = input.ttl;
    if (ttl) {
      seconds(ttl, 'ttl');
    }
    return RecoveryModel.estimate({
      summary: input.summary ?? `Route 53 failover (${ttl ? 'TTL' : 'alias'})`,
      detection: RecoveryModel.healthCheckDetection(input.interval, input.failureThreshold, {
        tcp: input.tcp,
        stringMatch: input.stringMatch,
        assumedSettings: input.assumedSettings,
        settingPrefix: prefix,
      }),
      propagation: [
        RecoveryModel.healthCheckPropagation(input.assumptions),
        ttl
          ? { label: 'DNS TTL', duration: ttl, basis: RecoveryBasis.DOCUMENTED, source: R53_TTL_DOC, setting: '`ttl`' }
          : {
            label: 'alias target TTL',
            duration: RecoveryModel.ALIAS_TARGET_TTL,
            basis: RecoveryBasis.DOCUMENTED,
            source: R53_ALIAS_DOC,
            setting: 'a CNAME target with a short `ttl`',
          },
        ...extra,
      ],
      rpo: input.rpo,
    });
  }

  /**
   * Per-request CloudFront origin failover terms. A primary that refuses connections costs
   * `connectionAttempts × connectionTimeout`; one that accepts the connection and hangs costs the read timeout
   * on each attempt too, so the budget is `connectionAttempts × (connectionTimeout + readTimeout)`.
   */
  public static originFailover(input: OriginFailoverModelInput): RecoveryTerm[] {
    const prefix = input.settingPrefix ?? '';
    const attempts = input.connectionAttempts;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 3) {
      throw new MultiRegionFailoverError(`\`${prefix}connectionAttempts\` must be 1, 2 or 3, got: ${attempts}`);
    }
    const connect = seconds(input.connectionTimeout, `${prefix}connectionTimeout`);
    const read = seconds(input.readTimeout, `${prefix}readTimeout`);
    return [
      {
        label: `connection attempts × timeout (${attempts} × ${fmt(connect)})`,
        duration: Duration.seconds(attempts * connect),
        basis: RecoveryBasis.DOCUMENTED,
        source: CF_TIMEOUT_DOC,
        setting: `\`${prefix}connectionAttempts\`, \`${prefix}connectionTimeout\``,
      },
      {
        label: `read timeout of a hung primary (${attempts} × ${fmt(read)})`,
        duration: Duration.seconds(attempts * read),
        typical: Duration.seconds(0),
        basis: RecoveryBasis.DOCUMENTED,
        source: CF_RESPONSE_DOC,
        setting: `\`${prefix}readTimeout\``,
      },
    ];
  }

  /**
   * Combines terms into an estimate whose explanation names every term and its basis.
   */
  public static estimate(input: RecoveryModelInput): RecoveryEstimate {
    const budget = (terms: RecoveryTerm[]) => terms.reduce((acc, t) => acc + seconds(t.duration, t.label), 0);
    const typical = (terms: RecoveryTerm[]) => terms.reduce((acc, t) => acc + seconds(t.typical ?? t.duration, t.label), 0);
    const detection = budget(input.detection);
    const propagation = budget(input.propagation);
    const perRequest = input.perRequest ?? [];
    const rpo = input.rpo ?? { bound: Duration.seconds(0), typical: Duration.seconds(0), mechanism: 'stateless: no data to lose', basis: RecoveryBasis.DOCUMENTED };
    const rpoBound = rpo.bound === undefined ? undefined : seconds(rpo.bound, 'rpo');
    const rpoTypical = seconds(rpo.typical, 'typical rpo');
    const describe = (t: RecoveryTerm) => {
      const b = seconds(t.duration, t.label);
      const ty = seconds(t.typical ?? t.duration, t.label);
      const tag = t.basis === RecoveryBasis.ASSUMPTION ? ' [assumption]' : '';
      return `${t.label} ${fmt(b)}${ty !== b ? ` (typical ${fmt(ty)})` : ''}${tag}`;
    };
    const rtoTerms = [...input.detection, ...input.propagation];
    const rtoText = rtoTerms.length
      ? `RTO budget ${fmt(detection + propagation)}, typical ${fmt(typical(rtoTerms))} = ${rtoTerms.map(describe).join(' + ')}`
      : 'RTO 0 s (nothing to fail over)';
    const perRequestText = perRequest.length
      ? `; per-request failover penalty budget ${fmt(budget(perRequest))}, typical ${fmt(typical(perRequest))} = ${perRequest.map(describe).join(' + ')}`
      : '';
    const rpoText = rpoBound === undefined
      ? `RPO unbounded (${rpo.mechanism}), typical ${fmt(rpoTypical)}`
      : `RPO ${fmt(rpoBound)} (${rpo.mechanism})${rpoTypical !== rpoBound ? `, typical ${fmt(rpoTypical)}` : ''}`;
    return {
      detection: Duration.seconds(detection),
      propagation: Duration.seconds(propagation),
      rto: Duration.seconds(detection + propagation),
      typicalRto: Duration.seconds(typical(rtoTerms)),
      rpo: rpoBound === undefined ? undefined : Duration.seconds(rpoBound),
      rpoBounded: rpoBound !== undefined,
      typicalRpo: Duration.seconds(rpoTypical),
      rpoMechanism: rpo.mechanism,
      perRequestPenalty: perRequest.length ? Duration.seconds(budget(perRequest)) : undefined,
      typicalPerRequestPenalty: perRequest.length ? Duration.seconds(typical(perRequest)) : undefined,
      summary: input.summary,
      detectionTerms: input.detection,
      propagationTerms: input.propagation,
      perRequestTerms: perRequest,
      explanation: `${input.summary}: ${rtoText}${perRequestText}; ${rpoText}`,
    };
  }

  /**
   * `estimate` with another data-loss figure (e.g. the RPO of the data tier behind a DNS failover).
   */
  public static withRecoveryPoint(estimate: RecoveryEstimate, rpo: RecoveryPointInput): RecoveryEstimate {
    return RecoveryModel.estimate({
      summary: estimate.summary,
      detection: estimate.detectionTerms,
      propagation: estimate.propagationTerms,
      perRequest: estimate.perRequestTerms,
      rpo,
    });
  }

  /**
   * The estimate with the largest RTO budget of `estimates` (the slowest component decides).
   */
  public static worst(estimates: RecoveryEstimate[]): RecoveryEstimate {
    if (estimates.length === 0) {
      throw new MultiRegionFailoverError('`estimates` needs at least one estimate, got: none');
    }
    return estimates.reduce((a, b) => (b.rto.toSeconds() > a.rto.toSeconds() ? b : a));
  }

  /**
   * Throws when the budget of `estimate` cannot meet `objectives`; the message names the settings that change
   * the figure. An RPO objective cannot be met by an unbounded RPO, whatever its typical figure.
   *
   * @param constructName e.g. "FailoverDns"
   * @param estimate the construct's estimate
   * @param objectives the objectives, if any
   * @param rtoSettings the props that shrink the RTO, most effective first
   * @param rpoSettings the props that bound or shrink the RPO
   */
  public static enforce(
    constructName: string,
    estimate: RecoveryEstimate,
    objectives?: RecoveryObjectives,
    rtoSettings: string[] = [],
    rpoSettings: string[] = [],
  ): void {
    if (!objectives) {
      return;
    }
    if (objectives.rto !== undefined) {
      const target = seconds(objectives.rto, 'recoveryObjectives.rto');
      const actual = estimate.rto.toSeconds();
      if (actual > target) {
        throw new MultiRegionFailoverError(
          `${constructName}: \`recoveryObjectives.rto\` of ${fmt(target)} cannot be met, the RTO budget is ${fmt(actual)} (${estimate.explanation})` +
          (rtoSettings.length ? `; lower ${rtoSettings.join(', ')}` : ''));
      }
    }
    if (objectives.rpo !== undefined) {
      const target = seconds(objectives.rpo, 'recoveryObjectives.rpo');
      if (!estimate.rpoBounded || estimate.rpo === undefined) {
        throw new MultiRegionFailoverError(
          `${constructName}: \`recoveryObjectives.rpo\` of ${fmt(target)} cannot be met, the RPO is unbounded: ${estimate.rpoMechanism} (typical ${fmt(estimate.typicalRpo.toSeconds())})` +
          (rpoSettings.length ? `; bound it with ${rpoSettings.join(', ')}` : '; remove `recoveryObjectives.rpo`'));
      }
      const actual = estimate.rpo.toSeconds();
      if (actual > target) {
        throw new MultiRegionFailoverError(
          `${constructName}: \`recoveryObjectives.rpo\` of ${fmt(target)} cannot be met, the RPO bound is ${fmt(actual)} (${estimate.explanation})` +
          (rpoSettings.length ? `; lower ${rpoSettings.join(', ')}` : ''));
      }
    }
  }

  /**
   * Formats a number of seconds as "40 s" or "2 min 5 s".
   */
  public static format(duration: Duration): string {
    return fmt(seconds(duration, 'duration'));
  }

  private constructor() {}
}

function seconds(d: Duration, what: string): number {
  if (d.isUnresolved()) {
    throw new MultiRegionFailoverError(`\`${what}\` must be a concrete duration, got a token`);
  }
  const s = d.toSeconds({ integral: false });
  if (!Number.isFinite(s) || s < 0) {
    throw new MultiRegionFailoverError(`\`${what}\` must be a finite, non-negative duration, got: ${s} s`);
  }
  return s;
}

function fmt(totalSeconds: number): string {
  const s = Math.round(totalSeconds * 1000) / 1000;
  if (s < 120) {
    return `${s} s`;
  }
  const min = Math.floor(s / 60);
  const rest = Math.round((s - min * 60) * 1000) / 1000;
  return rest ? `${min} min ${rest} s` : `${min} min`;
}
