import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { FailoverDns, FailoverErrors, RecoveryModel } from '../../src';
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

  test('RTO = detection + propagation; monotone in interval, threshold and TTL', () => {
    fc.assert(fc.property(interval, threshold, ttl, interval, threshold, ttl, (i1, t1, l1, i2, t2, l2) => {
      const a = RecoveryModel.dnsFailover({ interval: Duration.seconds(i1), failureThreshold: t1, ttl: Duration.seconds(l1) });
      const b = RecoveryModel.dnsFailover({
        interval: Duration.seconds(Math.max(i1, i2)),
        failureThreshold: Math.max(t1, t2),
        ttl: Duration.seconds(Math.max(l1, l2)),
      });
      expect(a.rto.toSeconds()).toBe(a.detection.toSeconds() + a.propagation.toSeconds());
      expect(a.detection.toSeconds()).toBe(i1 * t1);
      expect(b.rto.toSeconds()).toBeGreaterThanOrEqual(a.rto.toSeconds());
      expect(a.rpo.toSeconds()).toBe(0);
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

  test('enforce passes exactly when the estimate is within the objective', () => {
    fc.assert(fc.property(interval, threshold, ttl, fc.integer({ min: 0, max: 4000 }), (i, t, l, objective) => {
      const e = RecoveryModel.dnsFailover({ interval: Duration.seconds(i), failureThreshold: t, ttl: Duration.seconds(l) });
      const r = outcome(() => RecoveryModel.enforce('X', e, { rto: Duration.seconds(objective) }));
      expect(r.ok).toBe(e.rto.toSeconds() <= objective);
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
        expect(dns.recoveryEstimate.rto.toSeconds()).toBe(i * t + 5 + l);
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
