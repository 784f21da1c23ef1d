import { Duration } from 'aws-cdk-lib';
import { build, distributionConfig } from './site-util';
import { GlobalSsrSite, GlobalSsrSiteProps } from '../../src/global-ssr-site';

/**
 * CloudFront's own values when an origin leaves a setting out: ConnectionAttempts 3, ConnectionTimeout 10 s
 * (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Origin.html), OriginReadTimeout 30 s for S3 and
 * custom origins alike (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_S3OriginConfig.html,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html).
 */
const CF_DEFAULT = { attempts: 3, connectionTimeout: 10, readTimeout: 30 };

/** One origin's worst case before the next origin of its group is tried: attempts × connection timeout + attempts × read timeout. */
function originPenalty(origin: any): number {
  const attempts = origin.ConnectionAttempts ?? CF_DEFAULT.attempts;
  const connect = origin.ConnectionTimeout ?? CF_DEFAULT.connectionTimeout;
  const read = (origin.S3OriginConfig ?? origin.CustomOriginConfig).OriginReadTimeout ?? CF_DEFAULT.readTimeout;
  return attempts * connect + attempts * read;
}

/**
 * From the synthesized distribution: for each behaviour that serves the static patterns, every origin it can send a
 * request to (each member of its origin group, or its one origin) with that origin's worst-case penalty.
 */
function staticPenalties(site: GlobalSsrSite, patterns: string[]): { pattern: string; origin: string; penalty: number }[] {
  const config = distributionConfig(site);
  const groups = new Map<string, string[]>((config.OriginGroups?.Items ?? []).map((g: any) => [g.Id, g.Members.Items.map((m: any) => m.OriginId)]));
  const origins = new Map<string, any>(config.Origins.map((o: any) => [o.Id, o]));
  return patterns.flatMap((pattern) => {
    const behavior = config.CacheBehaviors.find((b: any) => b.PathPattern === pattern);
    expect(behavior).toBeDefined();
    const members = groups.get(behavior.TargetOriginId) ?? [behavior.TargetOriginId];
    return members.map((id) => ({ pattern, origin: id, penalty: originPenalty(origins.get(id)) }));
  });
}

const staticOrigins = (site: GlobalSsrSite) => distributionConfig(site).Origins.filter((o: any) => o.Id.startsWith('static-'));
/** [origin id, OriginReadTimeout] of every origin, by id. */
const readTimeouts = (config: any) => config.Origins
  .map((o: any) => [o.Id, (o.S3OriginConfig ?? o.CustomOriginConfig).OriginReadTimeout])
  .sort((a: any[], b: any[]) => a[0].localeCompare(b[0]));

describe('static-asset (S3) origins: the response timeout follows readTimeout', () => {
  test('both buckets set S3OriginConfig.OriginReadTimeout to the SSR origins\' read timeout (10 s by default), not CloudFront\'s 30 s', () => {
    const origins = staticOrigins(build());
    expect(origins.map((o: any) => [o.Id, o.ConnectionAttempts, o.ConnectionTimeout, o.S3OriginConfig])).toEqual([
      ['static-primary', 1, 2, { OriginAccessIdentity: '', OriginReadTimeout: 10 }],
      ['static-dr', 1, 2, { OriginAccessIdentity: '', OriginReadTimeout: 10 }],
    ]);
  });

  test('`readTimeout` governs the SSR and the static origins alike', () => {
    const config = distributionConfig(build({ readTimeout: Duration.seconds(25), ssr: { timeout: Duration.seconds(20) } }));
    expect(readTimeouts(config)).toEqual([
      ['ssr-dr', 25], ['ssr-primary', 25], ['static-dr', 25], ['static-primary', 25],
    ]);
  });

  test('a readTimeout above 120 s (quota-raised SSR origins) is capped at 120 s, S3OriginConfig\'s maximum, on the static origins', () => {
    const site = build({ readTimeout: Duration.seconds(150), ssr: { timeout: Duration.seconds(150) } });
    const config = distributionConfig(site);
    expect(readTimeouts(config)).toEqual([
      ['ssr-dr', 150], ['ssr-primary', 150], ['static-dr', 120], ['static-primary', 120],
    ]);
    // The published penalty is the worse of the two origin kinds: the SSR origins' 2 s + 150 s.
    expect(site.readRecoveryEstimate.perRequestPenalty!.toSeconds()).toBe(152);
  });

  test('single region: the one bucket gets the read timeout too', () => {
    const origins = staticOrigins(build({ dr: false, drRegion: undefined }));
    expect(origins.map((o: any) => [o.Id, o.S3OriginConfig.OriginReadTimeout])).toEqual([['static-primary', 10]]);
  });
});

describe('no static request pays more than readRecoveryEstimate.perRequestPenalty (from the synthesized template)', () => {
  const DEFAULT_PATTERNS = ['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico'];
  const cases: [string, Partial<GlobalSsrSiteProps>, string[], number][] = [
    ['defaults: 1 × 2 s + 1 × 10 s', {}, DEFAULT_PATTERNS, 12],
    ['3 attempts × 5 s connect + 3 × 20 s read', { connectionAttempts: 3, connectionTimeout: Duration.seconds(5), readTimeout: Duration.seconds(20), ssr: { timeout: Duration.seconds(20) } }, DEFAULT_PATTERNS, 75],
    ['a short read timeout (4 s)', { readTimeout: Duration.seconds(4), ssr: { timeout: Duration.seconds(4) } }, DEFAULT_PATTERNS, 6],
    ['readTimeout 150 s: static capped at 120 s, SSR 150 s', { readTimeout: Duration.seconds(150), ssr: { timeout: Duration.seconds(150) } }, DEFAULT_PATTERNS, 152],
    ['own static patterns', { staticAssets: { pathPatterns: ['/img/*', '/fonts/*'] } }, ['/img/*', '/fonts/*'], 12],
  ];
  test.each(cases)('%s', (_name, props, patterns, published) => {
    const site = build(props);
    const penalties = staticPenalties(site, patterns);
    // Every behaviour serves from the origin group primary bucket → DR bucket.
    expect(new Set(penalties.map((p) => `${p.pattern} ${p.origin}`)).size).toBe(patterns.length * 2);
    expect(site.readRecoveryEstimate.perRequestPenalty!.toSeconds()).toBe(published);
    for (const p of penalties) {
      expect({ ...p, withinPublished: p.penalty <= published }).toEqual({ ...p, withinPublished: true });
    }
    expect(site.recoveryEstimate.perRequestPenalty!.toSeconds()).toBe(published);
  });
});
