import { Duration, Token } from 'aws-cdk-lib';
import { RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryPointInput, RecoveryTerm } from '../../src';
import { failureMessage } from '../util/errors';

const doc = (label: string, seconds: number, typical?: number): RecoveryTerm => ({
  label,
  duration: Duration.seconds(seconds),
  typical: typical === undefined ? undefined : Duration.seconds(typical),
  basis: RecoveryBasis.DOCUMENTED,
});
const assumed = (label: string, seconds: number, typical?: number): RecoveryTerm =>
  ({ ...doc(label, seconds, typical), basis: RecoveryBasis.ASSUMPTION });
const ASYNC: RecoveryPointInput = { typical: Duration.seconds(1), mechanism: 'asynchronous replication', basis: RecoveryBasis.DOCUMENTED };
const BOUNDED: RecoveryPointInput = { bound: Duration.seconds(5), typical: Duration.seconds(5), mechanism: 'mech', basis: RecoveryBasis.DOCUMENTED };

const failure = failureMessage;

describe('RecoveryModel.estimate', () => {
  test('sums budget and typical figures separately and names each term, its typical figure and assumptions', () => {
    const e = RecoveryModel.estimate({
      summary: 'Test',
      detection: [doc('a', 3), { ...doc('b', 0), duration: Duration.millis(500), typical: Duration.seconds(0) }],
      propagation: [assumed('c', 120, 60)],
      rpo: ASYNC,
    });
    expect(e.detection.toMilliseconds()).toBe(3500);
    expect(e.propagation.toSeconds()).toBe(120);
    expect(e.rto.toMilliseconds()).toBe(123500);
    expect(e.typicalRto.toSeconds()).toBe(63);
    expect(e.explanation).toBe(
      'Test: RTO budget 2 min 3.5 s, typical 63 s = a 3 s + b 0.5 s (typical 0 s) + c 2 min (typical 60 s) [assumption]; '
      + 'RPO unbounded (asynchronous replication), typical 1 s');
    expect(e.detectionTerms).toHaveLength(2);
    expect(e.propagationTerms).toHaveLength(1);
    expect(e.summary).toBe('Test');
  });

  test('per-request terms are reported apart and never counted in the RTO', () => {
    const e = RecoveryModel.estimate({ summary: 'CDN', detection: [doc('d', 10)], propagation: [], perRequest: [doc('p', 12, 2)] });
    expect(e.rto.toSeconds()).toBe(10);
    expect(e.typicalRto.toSeconds()).toBe(10);
    expect(e.perRequestPenalty!.toSeconds()).toBe(12);
    expect(e.typicalPerRequestPenalty!.toSeconds()).toBe(2);
    expect(e.perRequestTerms).toHaveLength(1);
    expect(e.explanation).toBe('CDN: RTO budget 10 s, typical 10 s = d 10 s; per-request failover penalty budget 12 s, typical 2 s = p 12 s (typical 2 s); '
      + 'RPO 0 s (stateless: no data to lose)');
  });

  test('without per-request terms there is no penalty; without any terms nothing fails over', () => {
    const e = RecoveryModel.estimate({ summary: 'Empty', detection: [], propagation: [] });
    expect(e.perRequestPenalty).toBeUndefined();
    expect(e.typicalPerRequestPenalty).toBeUndefined();
    expect(e.perRequestTerms).toEqual([]);
    expect(e.rto.toSeconds()).toBe(0);
    expect(e.explanation).toBe('Empty: RTO 0 s (nothing to fail over); RPO 0 s (stateless: no data to lose)');
  });

  test('RPO: stateless by default (bounded at 0), unbounded without a bound, bounded with one', () => {
    const stateless = RecoveryModel.estimate({ summary: 's', detection: [], propagation: [] });
    expect([stateless.rpoBounded, stateless.rpo!.toSeconds(), stateless.typicalRpo.toSeconds(), stateless.rpoMechanism])
      .toEqual([true, 0, 0, 'stateless: no data to lose']);
    const unbounded = RecoveryModel.estimate({ summary: 's', detection: [], propagation: [], rpo: ASYNC });
    expect(unbounded.rpoBounded).toBe(false);
    expect(unbounded.rpo).toBeUndefined();
    expect(unbounded.typicalRpo.toSeconds()).toBe(1);
    const bounded = RecoveryModel.estimate({ summary: 's', detection: [], propagation: [], rpo: { ...BOUNDED, typical: Duration.seconds(1) } });
    expect([bounded.rpoBounded, bounded.rpo!.toSeconds(), bounded.typicalRpo.toSeconds()]).toEqual([true, 5, 1]);
    expect(bounded.explanation).toBe('s: RTO 0 s (nothing to fail over); RPO 5 s (mech), typical 1 s');
  });

  test('unresolved, negative and non-finite durations are refused', () => {
    const token = Duration.seconds(Token.asNumber({ Ref: 'P' }));
    expect(failure(() => RecoveryModel.estimate({ summary: 's', detection: [{ ...doc('x', 0), duration: token }], propagation: [] })))
      .toBe('`x` must be a concrete duration, got a token');
    expect(failure(() => RecoveryModel.estimate({ summary: 's', detection: [doc('x', NaN)], propagation: [] })))
      .toBe('`x` must be a finite, non-negative duration, got: NaN s');
    expect(failure(() => RecoveryModel.estimate({ summary: 's', detection: [], propagation: [{ ...doc('y', 1), typical: Duration.seconds(NaN) }] })))
      .toBe('`y` must be a finite, non-negative duration, got: NaN s');
    expect(failure(() => RecoveryModel.estimate({ summary: 's', detection: [], propagation: [], rpo: { ...ASYNC, typical: Duration.seconds(NaN) } })))
      .toBe('`typical rpo` must be a finite, non-negative duration, got: NaN s');
    // aws-cdk-lib refuses negative durations itself.
    expect(() => Duration.seconds(-1)).toThrow('Duration amounts cannot be negative. Received: -1');
  });
});

describe('RecoveryModel.enforce', () => {
  const estimate = RecoveryModel.estimate({ summary: 'S', detection: [doc('d', 30, 10)], propagation: [], rpo: BOUNDED });
  const explanation = 'S: RTO budget 30 s, typical 10 s = d 30 s (typical 10 s); RPO 5 s (mech)';

  test('no objectives, nothing to enforce', () => {
    expect(() => RecoveryModel.enforce('C', estimate, undefined)).not.toThrow();
    expect(() => RecoveryModel.enforce('C', estimate, {})).not.toThrow();
  });

  test('RTO: checked against the budget, never the typical figure; no setting suggested when no term has one', () => {
    expect(() => RecoveryModel.enforce('C', estimate, { rto: Duration.seconds(30) })).not.toThrow();
    // Above the typical 10 s, below the 30 s budget: still refused. `d` has no setting, so nothing can help.
    expect(failure(() => RecoveryModel.enforce('C', estimate, { rto: Duration.seconds(10) }, ['`a`'])))
      .toBe(`C: \`recoveryObjectives.rto\` of 10 s cannot be met, the RTO budget is 30 s (${explanation}); `
        + 'no setting of this construct can meet it: d takes 30 s whatever the settings');
  });

  test('RTO: suggests the settings when they can help, and gives the floor when the objective is below it', () => {
    const levered = RecoveryModel.estimate({
      summary: 'L',
      detection: [{ ...doc('checks', 20), setting: '`interval`' }, doc('probe', 6)],
      propagation: [{ ...assumed('promotion', 300, 120), setting: '`recoveryAssumptions.auroraPromotion`' }, { ...doc('ttl', 15), setting: '`ttl`' }],
    });
    const text = levered.explanation;
    // 320 s ≤ objective < 341 s: the levers (checks, ttl) can close the gap.
    expect(failure(() => RecoveryModel.enforce('C', levered, { rto: Duration.seconds(320) }, ['`healthCheck.interval`', '`ttl`'])))
      .toBe(`C: \`recoveryObjectives.rto\` of 5 min 20 s cannot be met, the RTO budget is 5 min 41 s (${text}); `
        + 'lower `healthCheck.interval`, `ttl` (no setting takes the budget below 5 min 6 s)');
    // Without the construct's wording, the levers' own settings are suggested.
    expect(failure(() => RecoveryModel.enforce('C', levered, { rto: Duration.seconds(320) })))
      .toBe(`C: \`recoveryObjectives.rto\` of 5 min 20 s cannot be met, the RTO budget is 5 min 41 s (${text}); `
        + 'lower `interval`, `ttl` (no setting takes the budget below 5 min 6 s)');
    // Below the floor (probe + promotion, an assumption override is not a lever): no setting is suggested.
    expect(failure(() => RecoveryModel.enforce('C', levered, { rto: Duration.minutes(2) }, ['`healthCheck.interval`', '`ttl`'])))
      .toBe(`C: \`recoveryObjectives.rto\` of 2 min cannot be met, the RTO budget is 5 min 41 s (${text}); `
        + 'no setting of this construct can meet it: probe + promotion take 5 min 6 s whatever the settings; promotion alone takes 5 min');
  });

  test('RPO: an unbounded RPO fails any objective, whatever its typical figure', () => {
    const unbounded = RecoveryModel.withRecoveryPoint(estimate, { ...ASYNC, typical: Duration.seconds(0) });
    expect(failure(() => RecoveryModel.enforce('C', unbounded, { rpo: Duration.minutes(10) }, [], ['`consistency`'])))
      .toBe('C: `recoveryObjectives.rpo` of 10 min cannot be met, the RPO is unbounded: asynchronous replication (typical 0 s); bound it with `consistency`');
    expect(failure(() => RecoveryModel.enforce('C', unbounded, { rpo: Duration.seconds(1) })))
      .toBe('C: `recoveryObjectives.rpo` of 1 s cannot be met, the RPO is unbounded: asynchronous replication (typical 0 s); remove `recoveryObjectives.rpo`');
    // An RTO objective alone is still fine.
    expect(() => RecoveryModel.enforce('C', unbounded, { rto: Duration.seconds(30) })).not.toThrow();
  });

  test('RPO: a bound passes when within the objective and fails above it', () => {
    expect(() => RecoveryModel.enforce('C', estimate, { rto: Duration.seconds(30), rpo: Duration.seconds(5) })).not.toThrow();
    expect(failure(() => RecoveryModel.enforce('C', estimate, { rpo: Duration.seconds(1) }, [], ['`lag`'])))
      .toBe(`C: \`recoveryObjectives.rpo\` of 1 s cannot be met, the RPO bound is 5 s (${explanation}); lower \`lag\``);
    expect(failure(() => RecoveryModel.enforce('C', estimate, { rpo: Duration.seconds(1) })))
      .toBe(`C: \`recoveryObjectives.rpo\` of 1 s cannot be met, the RPO bound is 5 s (${explanation})`);
  });

  test('objectives must be concrete', () => {
    const token = Duration.seconds(Token.asNumber({ Ref: 'P' }));
    expect(failure(() => RecoveryModel.enforce('C', estimate, { rto: token }))).toBe('`recoveryObjectives.rto` must be a concrete duration, got a token');
    expect(failure(() => RecoveryModel.enforce('C', estimate, { rpo: token }))).toBe('`recoveryObjectives.rpo` must be a concrete duration, got a token');
  });
});

describe('RecoveryModel.withRecoveryPoint and worst', () => {
  test('withRecoveryPoint keeps every time term and replaces the data-loss figure', () => {
    const base = RecoveryModel.estimate({ summary: 'DNS', detection: [doc('d', 20)], propagation: [assumed('p', 10)], perRequest: [doc('r', 2)] });
    const e = RecoveryModel.withRecoveryPoint(base, ASYNC);
    expect([e.rto.toSeconds(), e.typicalRto.toSeconds(), e.perRequestPenalty!.toSeconds()]).toEqual([30, 30, 2]);
    expect(e.rpoBounded).toBe(false);
    expect(e.explanation).toBe('DNS: RTO budget 30 s, typical 30 s = d 20 s + p 10 s [assumption]; per-request failover penalty budget 2 s, typical 2 s = r 2 s; '
      + 'RPO unbounded (asynchronous replication), typical 1 s');
    expect(base.rpoBounded).toBe(true);
  });

  test('worst picks the largest RTO budget (the first on a tie); none is an error', () => {
    const make = (s: string, budget: number, typical: number): RecoveryEstimate =>
      RecoveryModel.estimate({ summary: s, detection: [doc('d', budget, typical)], propagation: [] });
    expect(RecoveryModel.worst([make('a', 10, 9), make('b', 30, 1), make('c', 20, 19)]).summary).toBe('b');
    expect(RecoveryModel.worst([make('a', 10, 1), make('b', 10, 9)]).summary).toBe('a');
    expect(failure(() => RecoveryModel.worst([]))).toBe('`estimates` needs at least one estimate, got: none');
  });
});

describe('RecoveryModel building blocks', () => {
  test('healthCheckDetection: interval × threshold, plus the HTTP(S) 6 s or TCP 10 s probe timeout (typical 0)', () => {
    const http = RecoveryModel.healthCheckDetection(Duration.seconds(30), 3, { settingPrefix: 'healthCheck.' });
    expect(http.map((t) => [t.label, t.duration.toSeconds(), (t.typical ?? t.duration).toSeconds(), t.basis])).toEqual([
      ['health checks (30 s × 3)', 90, 90, RecoveryBasis.DOCUMENTED],
      ['probe timeout (connect 4 s + 2xx/3xx 2 s)', 6, 0, RecoveryBasis.DOCUMENTED],
    ]);
    expect(http[0].setting).toBe('`healthCheck.interval`, `healthCheck.failureThreshold`');
    const named = RecoveryModel.healthCheckDetection(Duration.seconds(10), 2, { settings: '`healthCheckInterval`, `healthCheckFailureThreshold`' });
    expect(named[0].setting).toBe('`healthCheckInterval`, `healthCheckFailureThreshold`');
    expect(http.every((t) => t.source === RecoveryModel.ROUTE53_HEALTH_CHECK_DOC)).toBe(true);
    const tcp = RecoveryModel.healthCheckDetection(Duration.seconds(10), 1, { tcp: true });
    expect(tcp.map((t) => [t.label, t.duration.toSeconds()])).toEqual([['health checks (10 s × 1)', 10], ['probe timeout (TCP connect 10 s)', 10]]);
    expect(RecoveryModel.HTTP_PROBE_TIMEOUT.toSeconds()).toBe(6);
    expect(RecoveryModel.TCP_PROBE_TIMEOUT.toSeconds()).toBe(10);
  });

  test.each<[number, number, string]>([
    [20, 2, '`interval` must be 10 or 30 seconds, got: 20 s'],
    [10, 0, '`failureThreshold` must be between 1 and 10, got: 0'],
    [10, 11, '`failureThreshold` must be between 1 and 10, got: 11'],
    [10, 2.5, '`failureThreshold` must be between 1 and 10, got: 2.5'],
  ])('healthCheckDetection refuses interval %i s, threshold %d', (interval, threshold, message) => {
    expect(failure(() => RecoveryModel.healthCheckDetection(Duration.seconds(interval), threshold))).toBe(message);
  });

  test('healthCheckPropagation: a named assumption, 10 s unless overridden', () => {
    const t = RecoveryModel.healthCheckPropagation();
    expect([t.label, t.duration.toSeconds(), t.basis, t.setting]).toEqual(
      ['checker-to-DNS propagation', 10, RecoveryBasis.ASSUMPTION, '`recoveryAssumptions.healthCheckPropagation`']);
    expect(t.source).toBe('AWS publishes no figure; default: one more 10-second check interval');
    expect(RecoveryModel.HEALTH_CHECK_PROPAGATION.toSeconds()).toBe(10);
    expect(RecoveryModel.healthCheckPropagation({ healthCheckPropagation: Duration.seconds(25) }).duration.toSeconds()).toBe(25);
    expect(failure(() => RecoveryModel.healthCheckPropagation({ healthCheckPropagation: Duration.seconds(NaN) })))
      .toBe('`recoveryAssumptions.healthCheckPropagation` must be a finite, non-negative duration, got: NaN s');
  });

  test('dnsFailover: detection + propagation (assumption) + TTL, or the 60 s alias target TTL', () => {
    const cname = RecoveryModel.dnsFailover({ interval: Duration.seconds(10), failureThreshold: 2, ttl: Duration.seconds(15) });
    expect([cname.detection, cname.propagation, cname.rto, cname.typicalRto].map((d) => d.toSeconds())).toEqual([26, 25, 51, 45]);
    expect(cname.summary).toBe('Route 53 failover (TTL)');
    const alias = RecoveryModel.dnsFailover({ interval: Duration.seconds(30), failureThreshold: 3 });
    expect([alias.rto.toSeconds(), alias.typicalRto.toSeconds()]).toEqual([90 + 6 + 10 + 60, 90 + 10 + 60]);
    expect(alias.summary).toBe('Route 53 failover (alias)');
    expect(alias.propagationTerms[1]).toEqual({
      label: 'alias target TTL',
      duration: Duration.seconds(60),
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS documents a fixed 60 s alias TTL only for ELB and S3 website endpoints (https://aws.amazon.com/route53/faqs/); '
        + 'for other AWS resources (API Gateway, CloudFront) this library assumes 60 s',
      setting: '`aliasTargetTtl`, or a CNAME target with a short `ttl`',
    });
    expect(alias.explanation).toBe('Route 53 failover (alias): RTO budget 2 min 46 s, typical 2 min 40 s = health checks (30 s × 3) 90 s + '
      + 'probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + checker-to-DNS propagation 10 s [assumption] + '
      + 'alias target TTL 60 s [assumption]; RPO 0 s (stateless: no data to lose)');
    expect(RecoveryModel.ALIAS_TARGET_TTL.toSeconds()).toBe(60);
    expect(failure(() => RecoveryModel.dnsFailover({ interval: Duration.seconds(10), failureThreshold: 2, ttl: Duration.seconds(NaN) })))
      .toBe('`ttl` must be a finite, non-negative duration, got: NaN s');
  });

  test('dnsFailover: aliasTargetTtl replaces the 60 s assumption, as your setting applied as AWS documents', () => {
    // "If an alias record points to another record in the same hosted zone, Route 53 uses the TTL of the record that
    // the alias record points to" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
    const e = RecoveryModel.dnsFailover({ interval: Duration.seconds(10), failureThreshold: 2, aliasTargetTtl: Duration.seconds(300) });
    expect([e.rto.toSeconds(), e.typicalRto.toSeconds()]).toEqual([20 + 6 + 10 + 300, 20 + 10 + 300]);
    expect(e.summary).toBe('Route 53 failover (alias)');
    expect(e.propagationTerms[1]).toEqual({
      label: 'alias target TTL (`aliasTargetTtl`)',
      duration: Duration.seconds(300),
      basis: RecoveryBasis.DOCUMENTED,
      source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html',
      setting: '`aliasTargetTtl`',
    });
    expect(e.explanation).toBe('Route 53 failover (alias): RTO budget 5 min 36 s, typical 5 min 30 s = health checks (10 s × 2) 20 s + '
      + 'probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + checker-to-DNS propagation 10 s [assumption] + '
      + 'alias target TTL (`aliasTargetTtl`) 5 min; RPO 0 s (stateless: no data to lose)');
    expect(failure(() => RecoveryModel.dnsFailover({ interval: Duration.seconds(10), failureThreshold: 2, aliasTargetTtl: Duration.seconds(NaN) })))
      .toBe('`aliasTargetTtl` must be a finite, non-negative duration, got: NaN s');
    const both = { interval: Duration.seconds(10), failureThreshold: 2, ttl: Duration.seconds(15), aliasTargetTtl: Duration.seconds(60) };
    expect(failure(() => RecoveryModel.dnsFailover(both)))
      .toBe('`aliasTargetTtl` must not be set with `ttl`, got: 60 s: a record has either its own TTL (`ttl`) or, as an alias, its target\'s (`aliasTargetTtl`)');
  });

  test('dnsFailover: extra terms, data loss, TCP, assumptions and setting prefix', () => {
    const e = RecoveryModel.dnsFailover({
      interval: Duration.seconds(10),
      failureThreshold: 1,
      tcp: true,
      ttl: Duration.seconds(5),
      rpo: ASYNC,
      extra: [assumed('promotion', 300, 120)],
      assumptions: { healthCheckPropagation: Duration.seconds(20) },
      settingPrefix: 'dns.',
      summary: 'DB',
    });
    expect([e.rto.toSeconds(), e.typicalRto.toSeconds()]).toEqual([10 + 10 + 20 + 5 + 300, 10 + 20 + 5 + 120]);
    expect(e.rpoBounded).toBe(false);
    expect(e.detectionTerms[0].setting).toBe('`dns.interval`, `dns.failureThreshold`');
    expect(e.explanation).toBe('DB: RTO budget 5 min 45 s, typical 2 min 35 s = health checks (10 s × 1) 10 s + probe timeout (TCP connect 10 s) 10 s (typical 0 s) + '
      + 'checker-to-DNS propagation 20 s [assumption] + DNS TTL 5 s + promotion 5 min (typical 2 min) [assumption]; '
      + 'RPO unbounded (asynchronous replication), typical 1 s');
  });

  test('originFailover: budget attempts × (connect + read), typical attempts × connect', () => {
    const terms = RecoveryModel.originFailover({ connectionAttempts: 3, connectionTimeout: Duration.seconds(10), readTimeout: Duration.seconds(30) });
    expect(terms.map((t) => [t.label, t.duration.toSeconds(), (t.typical ?? t.duration).toSeconds()])).toEqual([
      ['connection attempts × timeout (3 × 10 s)', 30, 30],
      ['read timeout of a hung primary (3 × 30 s)', 90, 0],
    ]);
    const e = RecoveryModel.estimate({ summary: 'CF', detection: [], propagation: [], perRequest: terms });
    expect([e.perRequestPenalty!.toSeconds(), e.typicalPerRequestPenalty!.toSeconds(), e.rto.toSeconds()]).toEqual([120, 30, 0]);
    const one = RecoveryModel.originFailover({ connectionAttempts: 1, connectionTimeout: Duration.seconds(2), readTimeout: Duration.seconds(10), settingPrefix: 'ssr.' });
    expect(one.reduce((a, t) => a + t.duration.toSeconds(), 0)).toBe(12);
    expect(one[0].setting).toBe('`ssr.connectionAttempts`, `ssr.connectionTimeout`');
    expect(one[1].setting).toBe('`ssr.readTimeout`');
  });

  test.each<[number, string]>([
    [0, '`origin.connectionAttempts` must be 1, 2 or 3, got: 0'],
    [4, '`origin.connectionAttempts` must be 1, 2 or 3, got: 4'],
    [1.5, '`origin.connectionAttempts` must be 1, 2 or 3, got: 1.5'],
  ])('originFailover refuses %d attempts', (attempts, message) => {
    expect(failure(() => RecoveryModel.originFailover({
      connectionAttempts: attempts, connectionTimeout: Duration.seconds(1), readTimeout: Duration.seconds(1), settingPrefix: 'origin.',
    }))).toBe(message);
  });

  test('originFailover refuses a token timeout', () => {
    const token = Duration.seconds(Token.asNumber({ Ref: 'T' }));
    expect(failure(() => RecoveryModel.originFailover({ connectionAttempts: 1, connectionTimeout: token, readTimeout: Duration.seconds(1) })))
      .toBe('`connectionTimeout` must be a concrete duration, got a token');
  });

  test('format and the documented defaults', () => {
    expect(RecoveryModel.format(Duration.seconds(40))).toBe('40 s');
    expect(RecoveryModel.format(Duration.seconds(119))).toBe('119 s');
    expect(RecoveryModel.format(Duration.seconds(120))).toBe('2 min');
    expect(RecoveryModel.format(Duration.seconds(185))).toBe('3 min 5 s');
    expect(RecoveryModel.format(Duration.millis(1500))).toBe('1.5 s');
    expect(RecoveryModel.AURORA_PROMOTION.toMinutes()).toBe(5);
    expect(RecoveryModel.AURORA_PROMOTION_TYPICAL.toMinutes()).toBe(2);
  });
});
