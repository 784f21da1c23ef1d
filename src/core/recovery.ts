import { Duration } from 'aws-cdk-lib';
import { MultiRegionFailoverError } from './errors';
import {
  DnsFailoverModelInput, HealthCheckDetectionOptions, OriginFailoverModelInput, RecoveryAssumptions, RecoveryBasis, RecoveryEstimate,
  RecoveryModelInput, RecoveryObjectives, RecoveryPointInput, RecoveryTerm,
} from './recovery-types';

export * from './recovery-types';

const R53_HEALTH_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';
const R53_TTL_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html#rrsets-values-failover-ttl';
const R53_ALIAS_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html';
const R53_FAQ = 'https://aws.amazon.com/route53/faqs/';
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
   * TTL assumed for an alias record to an AWS resource when no `aliasTargetTtl` is given: alias records have no TTL
   * of their own, Route 53 answers with the resource's. AWS documents a fixed 60 s for ELB and S3 website endpoints
   * only (Route 53 FAQ); for other resources (API Gateway, CloudFront) 60 s is this library's assumption.
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
          setting: options.settings ?? `\`${prefix}interval\`, \`${prefix}failureThreshold\``,
          // RequestInterval is 10 or 30 s and FailureThreshold 1–10, so at least 10 s × 1
          // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
          minimum: Duration.seconds(10),
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
   * (assumption) + the TTL resolvers cache the old answer for (the record's TTL; for an alias, `aliasTargetTtl` or
   * the assumed 60 s).
   */
  public static dnsFailover(input: DnsFailoverModelInput): RecoveryEstimate {
    const prefix = input.settingPrefix ?? '';
    const extra = input.extra ?? [];
    const ttl = input.ttl;
    if (ttl) {
      seconds(ttl, 'ttl');
    }
    if (input.aliasTargetTtl) {
      const given = seconds(input.aliasTargetTtl, 'aliasTargetTtl');
      if (ttl) {
        throw new MultiRegionFailoverError(`\`aliasTargetTtl\` must not be set with \`ttl\`, got: ${fmt(given)}: `
          + 'a record has either its own TTL (`ttl`) or, as an alias, its target\'s (`aliasTargetTtl`)');
      }
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
          : aliasTargetTtlTerm(input.aliasTargetTtl),
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
    const rtoText = input.noAutomaticRecovery
      ? `RTO unbounded (${input.noAutomaticRecovery})${rtoTerms.length ? `; automatic steps: ${rtoTerms.map(describe).join(' + ')}` : ''}`
      : rtoTerms.length
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
      rtoBounded: !input.noAutomaticRecovery,
      noAutomaticRecovery: input.noAutomaticRecovery,
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
      noAutomaticRecovery: estimate.noAutomaticRecovery,
    });
  }

  /**
   * The estimate with the largest RTO budget of `estimates` (the slowest component decides).
   */
  public static worst(estimates: RecoveryEstimate[]): RecoveryEstimate {
    if (estimates.length === 0) {
      throw new MultiRegionFailoverError('`estimates` needs at least one estimate, got: none');
    }
    // A flow that never recovers by itself is worse than any budget.
    const rank = (e: RecoveryEstimate) => (e.rtoBounded ? e.rto.toSeconds() : Infinity);
    return estimates.reduce((a, b) => (rank(b) > rank(a) ? b : a));
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
    if (objectives.rto !== undefined && !estimate.rtoBounded) {
      const target = seconds(objectives.rto, 'recoveryObjectives.rto');
      throw new MultiRegionFailoverError(
        `${constructName}: \`recoveryObjectives.rto\` of ${fmt(target)} cannot be met, the RTO is unbounded: ${estimate.noAutomaticRecovery}` +
        (rtoSettings.length ? `; ${rtoSettings.join(', ')}` : '; remove `recoveryObjectives.rto`'));
    }
    if (objectives.rto !== undefined) {
      const target = seconds(objectives.rto, 'recoveryObjectives.rto');
      const actual = estimate.rto.toSeconds();
      if (actual > target) {
        throw new MultiRegionFailoverError(
          `${constructName}: \`recoveryObjectives.rto\` of ${fmt(target)} cannot be met, the RTO budget is ${fmt(actual)} (${estimate.explanation})` +
          rtoAdvice(target, [...estimate.detectionTerms, ...estimate.propagationTerms], rtoSettings));
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

/**
 * What can help an RTO objective the budget misses. A term is a lever when it names a `setting` that is not an
 * assumption override (`recoveryAssumptions.*` changes what we count, not how fast AWS is). The floor is what no
 * setting can go below: every other term, plus each lever at its `minimum` (e.g. health checks at 10 s × 1). When the
 * objective is below the floor, the message gives the floor and what alone takes longest instead of suggesting
 * settings. Otherwise it suggests the construct's `rtoSettings` that are in play (those naming a prop some lever of
 * this estimate names), or the levers' own settings, and states the floor.
 */
function rtoAdvice(target: number, terms: RecoveryTerm[], rtoSettings: string[]): string {
  const isLever = (t: RecoveryTerm) => t.setting !== undefined && !t.setting.startsWith('`recoveryAssumptions.');
  const least = (t: RecoveryTerm) => (isLever(t) ? seconds(t.minimum ?? Duration.seconds(0), t.label) : seconds(t.duration, t.label));
  const floorTerms = terms.filter((t) => least(t) > 0);
  const floor = floorTerms.reduce((acc, t) => acc + least(t), 0);
  const levers = terms.filter(isLever);
  if (target < floor || levers.length === 0) {
    const named = floorTerms.map((t) => (isLever(t) ? `${t.label} at least ${fmt(least(t))}` : t.label));
    const largest = [...floorTerms].sort((a, b) => least(b) - least(a))[0];
    const alone = largest && floorTerms.length > 1 ? `; ${largest.label} alone takes ${fmt(least(largest))}` : '';
    return `; no setting of this construct can meet it: ${named.join(' + ')} take${named.length === 1 ? 's' : ''} ${fmt(floor)} whatever the settings${alone}`;
  }
  // The props a setting names, by their last path segment (`healthCheck.interval` and `interval` are the same lever).
  const props = (text: string) => new Set((text.match(/`[^`]+`/g) ?? []).map((p) => p.slice(1, -1).split(/[:\s]/)[0].split('.').pop()!));
  const inPlay = new Set(levers.flatMap((t) => [...props(t.setting!)]));
  const relevant = rtoSettings.filter((s) => [...props(s)].some((p) => inPlay.has(p)));
  const advice = relevant.length ? relevant : [...new Set(levers.map((t) => t.setting!))];
  return `; lower ${advice.join(', ')} (no setting takes the budget below ${fmt(floor)})`;
}

/**
 * The TTL resolvers cache an alias answer for. Given: your figure, applied as AWS documents ("If an alias record points
 * to another record in the same hosted zone, Route 53 uses the TTL of the record that the alias record points to";
 * for an AWS resource, the resource's TTL). Not given: 60 s, which AWS documents only for ELB and S3 website endpoints.
 */
function aliasTargetTtlTerm(aliasTargetTtl?: Duration): RecoveryTerm {
  if (aliasTargetTtl) {
    return {
      label: 'alias target TTL (`aliasTargetTtl`)',
      duration: aliasTargetTtl,
      basis: RecoveryBasis.DOCUMENTED,
      source: R53_ALIAS_DOC,
      setting: '`aliasTargetTtl`',
    };
  }
  return {
    label: 'alias target TTL',
    duration: RecoveryModel.ALIAS_TARGET_TTL,
    basis: RecoveryBasis.ASSUMPTION,
    source: `AWS documents a fixed 60 s alias TTL only for ELB and S3 website endpoints (${R53_FAQ}); `
      + 'for other AWS resources (API Gateway, CloudFront) this library assumes 60 s',
    setting: '`aliasTargetTtl`, or a CNAME target with a short `ttl`',
  };
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
