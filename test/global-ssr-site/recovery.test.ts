import { App, Duration } from 'aws-cdk-lib';
import { BASE, build } from './site-util';
import { RecoveryBasis } from '../../src';
import { siteEstimates } from '../../src/global-ssr-site/recovery-estimates';
import { resolveSettings } from '../../src/global-ssr-site/settings';

const SUMMARY = 'Write failover (Route 53 health check -> alarm in us-east-1 -> KeyValueStore flag -> edge, DR-region reconciler as backstop; '
  + 'when the alarm cannot be read, the reconciler\'s probes: budget 108 s, typical 51 s)';

describe('recovery estimate (defaults pinned)', () => {
  test('writes: the alarm path bounds the worst case (the reconciler follows a readable alarm); every term labelled with its basis and source', () => {
    const e = build().recoveryEstimate;
    expect(e.summary).toBe(SUMMARY);
    expect(e.detection.toSeconds()).toBe(20 + 6 + 60 + 120 + 60 + 8);
    expect(e.propagation.toSeconds()).toBe(5 + 10);
    expect(e.rto.toSeconds()).toBe(289);
    expect(e.typicalRto.toSeconds()).toBe(20 + 0 + 30 + 60 + 0 + 0 + 1 + 10);
    const terms = [...e.detectionTerms, ...e.propagationTerms];
    expect(terms.map((t) => [t.label, t.duration.toSeconds(), (t.typical ?? t.duration).toSeconds(), t.basis])).toEqual([
      ['health checks (10 s × 2)', 20, 20, RecoveryBasis.DOCUMENTED],
      ['probe timeout (connect 4 s + 2xx/3xx 2 s)', 6, 0, RecoveryBasis.DOCUMENTED],
      ['HealthCheckStatus alarm (60 s period × 1)', 60, 30, RecoveryBasis.DOCUMENTED],
      ['HealthCheckStatus delivery to the alarm', 120, 60, RecoveryBasis.ASSUMPTION],
      ['flag write: the alarm\'s flip at once, or the next reconciler run (every 60 s) if the flip failed', 60, 0, RecoveryBasis.ASSUMPTION],
      ['reconciler on ALARM: alarm read (3 s) + DR probe (5 s)', 8, 0, RecoveryBasis.ASSUMPTION],
      ['KeyValueStore update (Describe + Get + Put)', 5, 1, RecoveryBasis.ASSUMPTION],
      ['KeyValueStore change reaches the edge locations', 10, 10, RecoveryBasis.ASSUMPTION],
    ]);
    for (const t of terms) {
      expect(t.source).toBeTruthy();
    }
    expect(terms[2].source).toBe('https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html');
    expect(terms[3].source).toContain('https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html');
    expect(terms[4].source).toContain('https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html');
    expect(terms[5].source).toBe('this library\'s settings, not an AWS figure: the alarm read is aborted after 3 s in total, the DR probe after 5 s');
  });

  test('alarm unreadable (us-east-1 lost): the reconciler\'s probes; its timeouts are this library\'s settings, labelled as assumptions', () => {
    const e = siteEstimates(resolveSettings(BASE, new App())).probes!;
    expect(e.rto.toSeconds()).toBe(108);
    expect(e.typicalRto.toSeconds()).toBe(51);
    const terms = [...e.detectionTerms, ...e.propagationTerms];
    expect(terms.map((t) => [t.label, t.duration.toSeconds(), (t.typical ?? t.duration).toSeconds(), t.basis])).toEqual([
      ['next reconciler run (every 60 s)', 60, 30, RecoveryBasis.ASSUMPTION],
      ['alarm read (3 s) + 3 probes of the primary (5 s timeout, 5 s apart) + DR probe (5 s)', 3 + 3 * 5 + 2 * 5 + 5, 10, RecoveryBasis.ASSUMPTION],
      ['KeyValueStore update (Describe + Get + Put)', 5, 1, RecoveryBasis.ASSUMPTION],
      ['KeyValueStore change reaches the edge locations', 10, 10, RecoveryBasis.ASSUMPTION],
    ]);
    expect(terms[1].source).toBe('this library\'s settings, not an AWS figure: the alarm read is aborted after 3 s in total, each probe after 5 s; '
      + 'a primary that refuses connections or answers 5xx fails each probe at once');
  });

  test('the health check settings feed the budget', () => {
    const e = build({ healthCheckInterval: Duration.seconds(30), healthCheckFailureThreshold: 3 }).recoveryEstimate;
    expect(e.detectionTerms[0].label).toBe('health checks (30 s × 3)');
    expect(e.rto.toSeconds()).toBe(289 - 20 + 90);
  });

  test('recoveryAssumptions.keyValueStorePropagation replaces the 10 s assumption', () => {
    const e = build({ recoveryAssumptions: { keyValueStorePropagation: Duration.seconds(30) } }).recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(289 - 10 + 30);
    expect(e.summary).toContain('budget 2 min 8 s, typical 71 s');
    expect(e.propagationTerms[1].setting).toBe('`recoveryAssumptions.keyValueStorePropagation`');
  });

  test('the per-request penalty of GET/HEAD/OPTIONS is reported apart: 1 × (2 s connect + 10 s read)', () => {
    const site = build();
    for (const e of [site.recoveryEstimate, site.readRecoveryEstimate]) {
      expect(e.perRequestPenalty!.toSeconds()).toBe(12);
      expect(e.typicalPerRequestPenalty!.toSeconds()).toBe(2);
      expect(e.perRequestTerms.map((t) => t.label)).toEqual(['connection attempts × timeout (1 × 2 s)', 'read timeout of a hung primary (1 × 10 s)']);
    }
    expect(site.readRecoveryEstimate.rto.toSeconds()).toBe(0);
  });

  test('RPO: unbounded (asynchronous global table), typically 1 s', () => {
    const e = build().recoveryEstimate;
    expect(e.rpo).toBeUndefined();
    expect(e.rpoBounded).toBe(false);
    expect(e.typicalRpo.toSeconds()).toBe(1);
    expect(e.rpoMechanism).toBe('DynamoDB global table replication is asynchronous (multi-Region eventual consistency)');
  });

  test('the explanation names the figures and the assumptions', () => {
    expect(build().recoveryEstimate.explanation).toBe(
      `${SUMMARY}: `
      + 'RTO budget 4 min 49 s, typical 2 min 1 s = health checks (10 s × 2) 20 s + probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + '
      + 'HealthCheckStatus alarm (60 s period × 1) 60 s (typical 30 s) + HealthCheckStatus delivery to the alarm 2 min (typical 60 s) [assumption] + '
      + 'flag write: the alarm\'s flip at once, or the next reconciler run (every 60 s) if the flip failed 60 s (typical 0 s) [assumption] + '
      + 'reconciler on ALARM: alarm read (3 s) + DR probe (5 s) 8 s (typical 0 s) [assumption] + '
      + 'KeyValueStore update (Describe + Get + Put) 5 s (typical 1 s) [assumption] + '
      + 'KeyValueStore change reaches the edge locations 10 s [assumption]; '
      + 'per-request failover penalty budget 12 s, typical 2 s = connection attempts × timeout (1 × 2 s) 2 s + read timeout of a hung primary (1 × 10 s) 10 s (typical 0 s); '
      + 'RPO unbounded (DynamoDB global table replication is asynchronous (multi-Region eventual consistency)), typical 1 s');
  });
});

describe('recovery objectives', () => {
  test('an RTO the budget meets passes; a shorter one fails with the budget and its terms', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(5) } })).not.toThrow();
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(4) } })).toThrow(
      /^GlobalSsrSite: `recoveryObjectives.rto` of 4 min cannot be met, the RTO budget is 4 min 49 s \(Write failover .*\); no setting of this construct can meet it: health checks \(10 s × 2\) at least 10 s \+ .* take 4 min 39 s whatever the settings; HealthCheckStatus delivery to the alarm alone takes 2 min$/);
  });

  test('any RPO objective fails: nothing bounds the global table\'s replication', () => {
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'GlobalSsrSite: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: DynamoDB global table replication is asynchronous (multi-Region eventual consistency) (typical 1 s); remove `recoveryObjectives.rpo`');
  });

});

/**
 * Issue 18, item 4a. CloudFront fails over to the secondary origin only for GET, HEAD and OPTIONS
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html):
 * without write failover nothing moves a POST, so the estimate must not report a recovery time for writes, and an RTO
 * objective must fail whatever its value.
 */
describe('writeFailover: false: writes never fail over', () => {
  const NO_WRITES = 'Writes never fail over (`writeFailover: false`): requests with a body (POST, PUT, PATCH, DELETE) keep going to the primary '
    + 'until it is back or a person acts; only GET/HEAD/OPTIONS fail over, per request (CloudFront origin failover)';

  test('the estimate says so: RTO unbounded (rtoBounded false) for writes, naming the setting that changes it', () => {
    const e = build({ writeFailover: false }).recoveryEstimate;
    expect(e.summary).toBe(NO_WRITES);
    expect(e.rtoBounded).toBe(false);
    expect(e.noAutomaticRecovery).toBe('requests with a body never fail over: CloudFront origin failover covers GET, HEAD and OPTIONS only; set `writeFailover: true`');
    expect(e.explanation).toBe(`${NO_WRITES}: `
      + 'RTO unbounded (requests with a body never fail over: CloudFront origin failover covers GET, HEAD and OPTIONS only; set `writeFailover: true`); '
      + 'per-request failover penalty budget 12 s, typical 2 s = connection attempts × timeout (1 × 2 s) 2 s + read timeout of a hung primary (1 × 10 s) 10 s (typical 0 s); '
      + 'RPO unbounded (DynamoDB global table replication is asynchronous (multi-Region eventual consistency)), typical 1 s');
    expect(e.detectionTerms).toEqual([]);
    expect(e.propagationTerms).toEqual([]);
  });

  test.each([
    ['30 s: below what write failover can do too', Duration.seconds(30),
      'GlobalSsrSite: `recoveryObjectives.rto` of 30 s cannot be met: with `writeFailover: false` requests with a body (POST, PUT, PATCH, DELETE) '
      + 'never fail over to eu-central-1 (CloudFront origin failover covers GET, HEAD and OPTIONS only); `writeFailover: true` fails them over '
      + 'with an RTO budget of 4 min 49 s with these settings: set it with an objective of at least 4 min 49 s, or remove `recoveryObjectives.rto`'],
    ['5 min: write failover meets it', Duration.minutes(5),
      'GlobalSsrSite: `recoveryObjectives.rto` of 5 min cannot be met: with `writeFailover: false` requests with a body (POST, PUT, PATCH, DELETE) '
      + 'never fail over to eu-central-1 (CloudFront origin failover covers GET, HEAD and OPTIONS only); set `writeFailover: true` '
      + '(RTO budget 4 min 49 s with these settings)'],
  ])('an RTO objective fails synthesis (%s) and suggests `writeFailover: true`', (_name, rto, message) => {
    expect(() => build({ writeFailover: false, recoveryObjectives: { rto } })).toThrow(message);
  });

  test('the suggested budget follows the settings (health checks, KeyValueStore assumption)', () => {
    expect(() => build({
      writeFailover: false,
      healthCheckFailureThreshold: 1,
      recoveryAssumptions: { keyValueStorePropagation: Duration.seconds(30) },
      recoveryObjectives: { rto: Duration.minutes(10) },
    })).toThrow('set `writeFailover: true` (RTO budget 4 min 59 s with these settings)');
  });

  test('an RPO objective fails as with write failover: the table replicates asynchronously', () => {
    expect(() => build({ writeFailover: false, recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'GlobalSsrSite: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded');
  });

  test('GET/HEAD/OPTIONS keep their per-request figures', () => {
    const site = build({ writeFailover: false });
    expect(site.readRecoveryEstimate.perRequestPenalty!.toSeconds()).toBe(12);
    expect(site.recoveryEstimate.perRequestPenalty!.toSeconds()).toBe(12);
  });
});
