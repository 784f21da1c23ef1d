import { Duration } from 'aws-cdk-lib';
import { MultiRegionFailoverError } from './errors';

/**
 * Recovery objectives a construct must meet. Synthesis fails when the construct's
 * `recoveryEstimate` cannot meet one of them.
 */
export interface RecoveryObjectives {
  /**
   * Recovery time objective: the longest acceptable time from the failure of the
   * primary until users are served by a healthy region.
   * @default - no RTO is enforced
   */
  readonly rto?: Duration;
  /**
   * Recovery point objective: the most recent writes that may be lost in a failover.
   * @default - no RPO is enforced
   */
  readonly rpo?: Duration;
}

/**
 * A worst-case recovery estimate computed from a construct's configuration.
 *
 * All figures are upper bounds under the construct's documented model; the `explanation`
 * says how they were computed.
 */
export interface RecoveryEstimate {
  /** Time to detect the failure (e.g. health check interval × failure threshold). */
  readonly detection: Duration;
  /** Time for the decision to reach clients (health status propagation, DNS TTL / resolver caching, promotion). */
  readonly propagation: Duration;
  /** Total worst-case recovery time: detection + propagation. */
  readonly rto: Duration;
  /** Worst-case data loss window (zero for stateless paths). */
  readonly rpo: Duration;
  /** One line that says how the figures were computed. */
  readonly explanation: string;
}

/**
 * One named contribution to a recovery estimate, and the setting a user changes to shrink it.
 */
export interface RecoveryTerm {
  /** What this term is, e.g. "health check interval × failure threshold". */
  readonly label: string;
  /** Its worst-case duration. */
  readonly duration: Duration;
  /** The prop that changes it, e.g. "`healthCheck.failureThreshold` or `healthCheck.interval`". */
  readonly setting?: string;
}

/** How a component's terms combine into an estimate. */
export interface RecoveryModelInput {
  /** Terms that make up detection. */
  readonly detection: RecoveryTerm[];
  /** Terms that make up propagation. */
  readonly propagation: RecoveryTerm[];
  /**
   * Worst-case data loss.
   * @default Duration.seconds(0)
   */
  readonly rpo?: Duration;
  /**
   * The setting that changes the RPO.
   * @default - none
   */
  readonly rpoSetting?: string;
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
   * Worst-case data loss.
   * @default Duration.seconds(0)
   */
  readonly rpo?: Duration;
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
}

/**
 * Computes recovery estimates and enforces recovery objectives. Pure, deterministic, no AWS calls.
 */
export class RecoveryModel {
  /**
   * Route 53 health checks: assumed time for checker results to be aggregated and reach the
   * Route 53 DNS servers. AWS publishes no figure; this allowance is this library's assumption.
   */
  public static readonly HEALTH_CHECK_PROPAGATION = Duration.seconds(5);

  /**
   * TTL that Route 53 answers with for an alias record to an AWS resource (API Gateway,
   * CloudFront, ELB, S3 website): alias records have no TTL of their own.
   */
  public static readonly ALIAS_TARGET_TTL = Duration.seconds(60);

  /**
   * The estimate for health-checked Route 53 DNS failover:
   * detection = interval × failure threshold; propagation = checker aggregation allowance + the TTL
   * resolvers cache the old answer for (the record's TTL, or 60 s for an alias to an AWS resource).
   */
  public static dnsFailover(input: DnsFailoverModelInput): RecoveryEstimate {
    const interval = seconds(input.interval, 'interval');
    if (interval !== 10 && interval !== 30) {
      throw new MultiRegionFailoverError(`\`interval\` must be 10 or 30 seconds, got: ${interval} s`);
    }
    const threshold = input.failureThreshold;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) {
      throw new MultiRegionFailoverError(`\`failureThreshold\` must be between 1 and 10, got: ${threshold}`);
    }
    const prefix = input.settingPrefix ?? '';
    const cache = input.ttl ?? RecoveryModel.ALIAS_TARGET_TTL;
    const extra = input.extra ?? [];
    return RecoveryModel.estimate({
      summary: input.summary ?? `Route 53 failover (${input.ttl ? 'TTL' : 'alias'})`,
      detection: [{
        label: `health checks (${interval} s × ${threshold})`,
        duration: Duration.seconds(interval * threshold),
        setting: `\`${prefix}interval\`, \`${prefix}failureThreshold\``,
      }],
      propagation: [
        { label: 'checker aggregation', duration: RecoveryModel.HEALTH_CHECK_PROPAGATION },
        input.ttl
          ? { label: 'DNS TTL', duration: cache, setting: '`ttl`' }
          : { label: 'alias target TTL', duration: cache, setting: 'a CNAME target with a short `ttl`' },
        ...extra,
      ],
      rpo: input.rpo,
    });
  }

  /**
   * Combines terms into an estimate whose explanation names every term.
   */
  public static estimate(input: RecoveryModelInput): RecoveryEstimate {
    const sum = (terms: RecoveryTerm[]) => terms.reduce((acc, t) => acc + seconds(t.duration, t.label), 0);
    const detection = sum(input.detection);
    const propagation = sum(input.propagation);
    const rpo = input.rpo ? seconds(input.rpo, 'rpo') : 0;
    const parts = [...input.detection, ...input.propagation].map((t) => `${t.label} ${fmt(seconds(t.duration, t.label))}`);
    return {
      detection: Duration.seconds(detection),
      propagation: Duration.seconds(propagation),
      rto: Duration.seconds(detection + propagation),
      rpo: Duration.seconds(rpo),
      explanation: `${input.summary}: RTO ${fmt(detection + propagation)} = ${parts.join(' + ')}; RPO ${fmt(rpo)}`,
    };
  }

  /**
   * Throws when `estimate` cannot meet `objectives`; the message names the settings that change the figure.
   *
   * @param constructName e.g. "FailoverDns"
   * @param estimate the construct's estimate
   * @param objectives the objectives, if any
   * @param rtoSettings the props that shrink the RTO, most effective first
   * @param rpoSettings the props that shrink the RPO
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
          `${constructName}: \`recoveryObjectives.rto\` of ${fmt(target)} cannot be met, the estimated RTO is ${fmt(actual)} (${estimate.explanation})` +
          (rtoSettings.length ? `; lower ${rtoSettings.join(', ')}` : ''));
      }
    }
    if (objectives.rpo !== undefined) {
      const target = seconds(objectives.rpo, 'recoveryObjectives.rpo');
      const actual = estimate.rpo.toSeconds();
      if (actual > target) {
        throw new MultiRegionFailoverError(
          `${constructName}: \`recoveryObjectives.rpo\` of ${fmt(target)} cannot be met, the estimated RPO is ${fmt(actual)} (${estimate.explanation})` +
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
