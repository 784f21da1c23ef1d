import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { FailoverDns, FailoverErrors, RecoveryBasis, RecoveryModel } from '../../src';
import { validateRegions } from '../../src/core/regions';

// Property-based tests: arbitrary inputs produce a consistent result or a clear library error,
// never an exception of another kind and never a silently wrong template.

const KNOWN = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1', 'ca-central-1', 'ap-northeast-1'];
const regionLike = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', 'US-EAST-1', 'us-east', 'eu-west-99x', 'us-gov-east-1', 'cn-north-1', 'mars-north-1'),
);

function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!FailoverErrors.isFailoverError(e)) {
      throw e; // any other kind of exception fails the property
    }
    return { ok: false, message: (e as Error).message };
  }
}

describe('region guard properties', () => {
  test('a list is accepted exactly when it has ≥ 2 distinct valid regions; order is preserved', () => {
    fc.assert(fc.property(fc.array(regionLike, { maxLength: 8 }), (regions) => {
      const r = outcome(() => validateRegions(regions));
      const valid = regions.length >= 2 && new Set(regions).size === regions.length
        && regions.every((x) => /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/.test(x));
      expect(r.ok).toBe(valid);
      if (r.ok) {
        expect(r.value).toEqual(regions);
      } else {
        expect(r.message).toMatch(/^`regions` /);
      }
    }), { numRuns: 500 });
  });
});

describe('recovery model properties', () => {
  const interval = fc.constantFrom(10, 30);
  const threshold = fc.integer({ min: 1, max: 10 });
  const ttl = fc.integer({ min: 0, max: 3600 });
  const propagation = fc.integer({ min: 0, max: 600 });
  const dns = (i: number, t: number, l: number | undefined, p: number, tcp = false) => RecoveryModel.dnsFailover({
    interval: Duration.seconds(i),
    failureThreshold: t,
    ttl: l === undefined ? undefined : Duration.seconds(l),
    tcp,
    assumptions: { healthCheckPropagation: Duration.seconds(p) },
  });

  test('rto = detection + propagation; detection = interval × threshold + probe timeout; typical ≤ budget', () => {
    fc.assert(fc.property(interval, threshold, fc.option(ttl, { nil: undefined }), propagation, fc.boolean(), (i, t, l, p, tcp) => {
      const e = dns(i, t, l, p, tcp);
      const probe = tcp ? 10 : 6;
      expect(e.detection.toSeconds()).toBe(i * t + probe);
      expect(e.propagation.toSeconds()).toBe(p + (l ?? 60));
      expect(e.rto.toSeconds()).toBe(e.detection.toSeconds() + e.propagation.toSeconds());
      expect(e.typicalRto.toSeconds()).toBe(e.rto.toSeconds() - probe);
      expect(e.typicalRto.toSeconds()).toBeLessThanOrEqual(e.rto.toSeconds());
      expect(e.rpoBounded).toBe(true);
      expect(e.rpo!.toSeconds()).toBe(0);
      expect(e.explanation).toContain(`checker-to-DNS propagation ${RecoveryModel.format(Duration.seconds(p))} [assumption]`);
    }), { numRuns: 300 });
  });

  test('dnsFailover is monotone in interval, threshold, TTL and propagation', () => {
    fc.assert(fc.property(interval, threshold, ttl, propagation, interval, threshold, ttl, propagation, (i1, t1, l1, p1, i2, t2, l2, p2) => {
      const a = dns(i1, t1, l1, p1);
      const b = dns(Math.max(i1, i2), Math.max(t1, t2), Math.max(l1, l2), Math.max(p1, p2));
      expect(b.rto.toSeconds()).toBeGreaterThanOrEqual(a.rto.toSeconds());
      expect(b.typicalRto.toSeconds()).toBeGreaterThanOrEqual(a.typicalRto.toSeconds());
      expect(b.detection.toSeconds()).toBeGreaterThanOrEqual(a.detection.toSeconds());
      expect(b.propagation.toSeconds()).toBeGreaterThanOrEqual(a.propagation.toSeconds());
    }), { numRuns: 300 });
  });

  test('out-of-range settings are clear errors', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: -5, max: 20 }), (i, t) => {
      const r = outcome(() => RecoveryModel.dnsFailover({ interval: Duration.seconds(i), failureThreshold: t, ttl: Duration.seconds(15) }));
      expect(r.ok).toBe((i === 10 || i === 30) && t >= 1 && t <= 10);
      if (!r.ok) {
        expect(r.message).toMatch(/^`(interval|failureThreshold)` must be/);
      }
    }), { numRuns: 300 });
  });

  test('enforce passes exactly when the RTO budget is within the objective, whatever the typical figure', () => {
    fc.assert(fc.property(interval, threshold, ttl, propagation, fc.integer({ min: 0, max: 4500 }), (i, t, l, p, objective) => {
      const e = dns(i, t, l, p);
      const r = outcome(() => RecoveryModel.enforce('X', e, { rto: Duration.seconds(objective) }));
      expect(r.ok).toBe(e.rto.toSeconds() <= objective);
      if (!r.ok) {
        expect(r.message).toMatch(/^X: `recoveryObjectives.rto` of .+ cannot be met, the RTO budget is /);
      }
    }), { numRuns: 300 });
  });

  test('an RPO objective passes exactly when a bound exists and is within it', () => {
    const seconds = fc.integer({ min: 0, max: 600 });
    fc.assert(fc.property(fc.option(seconds, { nil: undefined }), seconds, seconds,
      (bound, typical, objective) => {
        const e = RecoveryModel.estimate({
          summary: 'S',
          detection: [],
          propagation: [],
          rpo: { bound: bound === undefined ? undefined : Duration.seconds(bound), typical: Duration.seconds(typical), mechanism: 'm', basis: RecoveryBasis.DOCUMENTED },
        });
        expect(e.rpoBounded).toBe(bound !== undefined);
        const r = outcome(() => RecoveryModel.enforce('X', e, { rpo: Duration.seconds(objective) }));
        expect(r.ok).toBe(bound !== undefined && bound <= objective);
      }), { numRuns: 300 });
  });

  test('estimate: budget and typical are the sums of their terms; per-request terms never reach the RTO', () => {
    const term = fc.record({ d: fc.integer({ min: 0, max: 1000 }), t: fc.integer({ min: 0, max: 1000 }), assumed: fc.boolean() })
      .map(({ d, t, assumed }) => ({
        label: 'x',
        duration: Duration.seconds(Math.max(d, t)),
        typical: Duration.seconds(Math.min(d, t)),
        basis: assumed ? RecoveryBasis.ASSUMPTION : RecoveryBasis.DOCUMENTED,
      }));
    fc.assert(fc.property(fc.array(term, { maxLength: 5 }), fc.array(term, { maxLength: 5 }), fc.array(term, { maxLength: 3 }), (det, prop, req) => {
      const e = RecoveryModel.estimate({ summary: 'S', detection: det, propagation: prop, perRequest: req });
      const sum = (ts: typeof det, typical: boolean) => ts.reduce((acc, x) => acc + (typical ? x.typical : x.duration).toSeconds(), 0);
      expect(e.rto.toSeconds()).toBe(sum(det, false) + sum(prop, false));
      expect(e.typicalRto.toSeconds()).toBe(sum(det, true) + sum(prop, true));
      expect(e.typicalRto.toSeconds()).toBeLessThanOrEqual(e.rto.toSeconds());
      expect(e.perRequestPenalty?.toSeconds()).toBe(req.length ? sum(req, false) : undefined);
      const assumptions = [...det, ...prop, ...req].filter((x) => x.basis === RecoveryBasis.ASSUMPTION).length;
      expect(e.explanation.split('[assumption]').length - 1).toBe(assumptions);
    }), { numRuns: 300 });
  });
});

describe('FailoverDns properties', () => {
  test('any endpoint count and settings: a consistent record graph and estimate, or a clear error', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 6 }), fc.constantFrom(5, 10, 15, 30, 60), fc.integer({ min: -1, max: 12 }), fc.integer({ min: 1, max: 120 }),
      (n, i, t, l) => {
        const app = new App();
        const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
        const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' });
        const endpoints = KNOWN.slice(0, n).map((region) => ({ region, domainName: `${region}.example.net` }));
        const r = outcome(() => new FailoverDns(stack, 'D', {
          zone,
          recordName: 'api',
          endpoints,
          ttl: Duration.seconds(l),
          healthCheck: { interval: Duration.seconds(i), failureThreshold: t },
        }));
        const valid = n >= 2 && (i === 10 || i === 30) && t >= 1 && t <= 10;
        expect(r.ok).toBe(valid);
        if (!r.ok) {
          return;
        }
        const dns = r.value as FailoverDns;
        // interval × threshold + 6 s HTTPS probe timeout + 10 s assumed propagation + TTL; typically without the probe timeout.
        expect(dns.recoveryEstimate.rto.toSeconds()).toBe(i * t + 6 + 10 + l);
        expect(dns.recoveryEstimate.typicalRto.toSeconds()).toBe(i * t + 10 + l);
        const recs = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((x: any) => x.Properties);
        expect(recs).toHaveLength(2 * (n - 1));
        const byName = new Map<string, string[]>();
        for (const rec of recs) {
          byName.set(rec.Name, [...(byName.get(rec.Name) ?? []), rec.Failover]);
          expect(rec.TTL === undefined ? rec.AliasTarget.EvaluateTargetHealth : rec.TTL === String(l)).toBe(true);
        }
        for (const failovers of byName.values()) {
          expect(failovers.sort()).toEqual(['PRIMARY', 'SECONDARY']);
        }
        Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', n);
      },
    ), { numRuns: 60 });
  });
});
