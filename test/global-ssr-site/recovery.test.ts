import { Duration } from 'aws-cdk-lib';
import { build } from './site-util';
import { RecoveryBasis } from '../../src';

describe('recovery estimate (defaults pinned)', () => {
  test('writes: the reconciler path; every term labelled with its basis and source', () => {
    const e = build().recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(60 + 28);
    expect(e.propagation.toSeconds()).toBe(5 + 10);
    expect(e.rto.toSeconds()).toBe(103);
    expect(e.typicalRto.toSeconds()).toBe(30 + 10 + 1 + 10);
    const terms = [...e.detectionTerms, ...e.propagationTerms];
    expect(terms.map((t) => [t.label, t.duration.toSeconds(), (t.typical ?? t.duration).toSeconds(), t.basis])).toEqual([
      ['next reconciler run (every 60 s)', 60, 30, RecoveryBasis.ASSUMPTION],
      ['alarm read (3 s) + 3 probes of the primary (5 s timeout, 5 s apart)', 28, 10, RecoveryBasis.DOCUMENTED],
      ['KeyValueStore update (Describe + Get + Put)', 5, 1, RecoveryBasis.ASSUMPTION],
      ['KeyValueStore change reaches the edge locations', 10, 10, RecoveryBasis.ASSUMPTION],
    ]);
    for (const t of [...e.detectionTerms, ...e.propagationTerms]) {
      expect(t.source).toBeTruthy();
    }
    expect(e.detectionTerms[0].source).toContain('https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html');
  });

  test('recoveryAssumptions.keyValueStorePropagation replaces the 10 s assumption', () => {
    const e = build({ recoveryAssumptions: { keyValueStorePropagation: Duration.seconds(30) } }).recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(103 - 10 + 30);
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
      'Write failover (DR-region reconciler: primary health -> KeyValueStore flag -> edge): '
      + 'RTO budget 103 s, typical 51 s = next reconciler run (every 60 s) 60 s (typical 30 s) [assumption] + '
      + 'alarm read (3 s) + 3 probes of the primary (5 s timeout, 5 s apart) 28 s (typical 10 s) + '
      + 'KeyValueStore update (Describe + Get + Put) 5 s (typical 1 s) [assumption] + '
      + 'KeyValueStore change reaches the edge locations 10 s [assumption]; '
      + 'per-request failover penalty budget 12 s, typical 2 s = connection attempts × timeout (1 × 2 s) 2 s + read timeout of a hung primary (1 × 10 s) 10 s (typical 0 s); '
      + 'RPO unbounded (DynamoDB global table replication is asynchronous (multi-Region eventual consistency)), typical 1 s');
  });
});

describe('recovery objectives', () => {
  test('an RTO the budget meets passes; a shorter one fails with the budget and its terms', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(2) } })).not.toThrow();
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(1) } })).toThrow(
      /^GlobalSsrSite: `recoveryObjectives.rto` of 60 s cannot be met, the RTO budget is 103 s \(Write failover .*\)$/);
  });

  test('any RPO objective fails: nothing bounds the global table\'s replication', () => {
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'GlobalSsrSite: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: DynamoDB global table replication is asynchronous (multi-Region eventual consistency) (typical 1 s); remove `recoveryObjectives.rpo`');
  });

  test('an RTO objective without write failover is refused: writes would never fail over', () => {
    expect(() => build({ writeFailover: false, recoveryObjectives: { rto: Duration.minutes(5) } })).toThrow(
      'GlobalSsrSite: `recoveryObjectives.rto` needs `writeFailover`: without it requests with a body (POST, PUT...) never fail over, got: `writeFailover: false`');
    const e = build({ writeFailover: false }).recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(0);
    expect(e.summary).toContain('requests with a body never fail over');
  });
});
