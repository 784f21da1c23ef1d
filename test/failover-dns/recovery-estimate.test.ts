import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import {
  FailoverDns, FailoverDnsProps, FailoverEndpoint, FailoverEndpointRecord, FailoverRouting, HealthCheckProtocol, RecoveryBasis, RecoveryModel,
} from '../../src';
import { failureMessage } from '../util/errors';

// Route 53 (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
// HTTP(S) checks must connect within 4 s and get a 2xx/3xx within 2 s after connecting; TCP checks must connect
// within 10 s. Detection = interval × failure threshold + that probe timeout. Checker-to-DNS propagation is an
// assumption (AWS publishes no figure, default 10 s). Resolvers then cache the old answer for the TTL (or the
// alias target's 60 s).

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const DEFAULT_EXPLANATION = 'Route 53 failover (CNAME) for us-east-1: RTO budget 51 s, typical 45 s = '
  + 'health checks (10 s × 2) 20 s + probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + '
  + 'checker-to-DNS propagation 10 s [assumption] + DNS TTL 15 s; RPO 0 s (stateless: no data to lose)';

function zoneIn(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
}

function build(props: Partial<FailoverDnsProps> = {}) {
  const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
  const endpoints: FailoverEndpoint[] = REGIONS.slice(0, 2).map((region) => ({ region, domainName: `${region}.origin.example.net` }));
  return new FailoverDns(stack, 'Api', { zone: zoneIn(stack), recordName: 'api', endpoints, ...props });
}

describe('FailoverDns recovery estimate', () => {
  test('defaults: budget 51 s = 10 s × 2 + 6 s probe timeout + 10 s propagation [assumption] + 15 s TTL; typical 45 s', () => {
    const e = build().recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(26);
    expect(e.propagation.toSeconds()).toBe(25);
    expect(e.rto.toSeconds()).toBe(51);
    expect(e.typicalRto.toSeconds()).toBe(45);
    expect(e.typicalRto.toSeconds()).toBeLessThan(e.rto.toSeconds());
    expect(e.explanation).toBe(DEFAULT_EXPLANATION);
    expect(e.perRequestPenalty).toBeUndefined();
  });

  test('every term says what it is based on; only the propagation is an assumption', () => {
    const e = build().recoveryEstimate;
    const terms = [...e.detectionTerms, ...e.propagationTerms];
    expect(terms.map((t) => [t.label, t.basis])).toEqual([
      ['health checks (10 s × 2)', RecoveryBasis.DOCUMENTED],
      ['probe timeout (connect 4 s + 2xx/3xx 2 s)', RecoveryBasis.DOCUMENTED],
      ['checker-to-DNS propagation', RecoveryBasis.ASSUMPTION],
      ['DNS TTL', RecoveryBasis.DOCUMENTED],
    ]);
    expect(e.detectionTerms.map((t) => t.source)).toEqual([RecoveryModel.ROUTE53_HEALTH_CHECK_DOC, RecoveryModel.ROUTE53_HEALTH_CHECK_DOC]);
    expect(e.propagationTerms[0].setting).toBe('`recoveryAssumptions.healthCheckPropagation`');
    expect(e.propagationTerms[0].source).toBe('AWS publishes no figure; default: one more 10-second check interval');
  });

  test('RPO is bounded at 0: DNS holds no data', () => {
    const e = build().recoveryEstimate;
    expect(e.rpoBounded).toBe(true);
    expect(e.rpo!.toSeconds()).toBe(0);
    expect(e.typicalRpo.toSeconds()).toBe(0);
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(0) } })).not.toThrow();
  });

  test('a TCP health check counts its 10 s connect timeout', () => {
    const e = build({ healthCheck: { protocol: HealthCheckProtocol.TCP } }).recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(30);
    expect(e.rto.toSeconds()).toBe(55);
    expect(e.typicalRto.toSeconds()).toBe(45);
    expect(e.detectionTerms[1].label).toBe('probe timeout (TCP connect 10 s)');
  });

  test('recoveryAssumptions.healthCheckPropagation replaces the 10 s assumption', () => {
    const e = build({ recoveryAssumptions: { healthCheckPropagation: Duration.seconds(30) } }).recoveryEstimate;
    expect(e.propagation.toSeconds()).toBe(45);
    expect(e.rto.toSeconds()).toBe(71);
    expect(e.typicalRto.toSeconds()).toBe(65);
    expect(e.explanation).toContain('checker-to-DNS propagation 30 s [assumption]');
    expect(build({ recoveryAssumptions: { healthCheckPropagation: Duration.seconds(0) } }).recoveryEstimate.rto.toSeconds()).toBe(41);
  });

  test('alias targets count the 60 s alias target TTL', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
    const dns = new FailoverDns(stack, 'Site', {
      zone: zoneIn(stack),
      recordName: 'www',
      endpoints: [{ region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' } }, { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' } }],
    });
    expect(dns.recoveryEstimate.rto.toSeconds()).toBe(96);
    expect(dns.recoveryEstimate.typicalRto.toSeconds()).toBe(90);
    expect(dns.recoveryEstimate.propagationTerms[1].label).toBe('alias target TTL');
  });

  test('the slowest endpoint decides; the last endpoint of a failover chain does not count', () => {
    const dns = build({
      endpoints: [
        { region: 'us-east-1', domainName: 'a.example.net' },
        { region: 'us-west-2', domainName: 'b.example.net', healthCheck: { interval: Duration.seconds(30) } },
        { region: 'eu-west-1', domainName: 'c.example.net', healthCheck: { interval: Duration.seconds(30), failureThreshold: 10 } },
      ],
    });
    expect(dns.recoveryEstimate.rto.toSeconds()).toBe(30 * 2 + 6 + 10 + 15);
    expect(dns.recoveryEstimate.summary).toBe('Route 53 failover (CNAME) for us-west-2');
  });

  test('latency routing: every endpoint counts', () => {
    const dns = build({
      routing: FailoverRouting.LATENCY,
      endpoints: [
        { region: 'us-east-1', domainName: 'a.example.net' },
        { region: 'us-west-2', domainName: 'b.example.net', healthCheck: { interval: Duration.seconds(30), failureThreshold: 3 } },
      ],
    });
    expect(dns.recoveryEstimate.rto.toSeconds()).toBe(90 + 6 + 10 + 15);
    expect(dns.recoveryEstimate.summary).toBe('Route 53 latency (CNAME) for us-west-2');
  });

  test('objectives are enforced against the budget, never the typical figure', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(51), rpo: Duration.seconds(0) } })).not.toThrow();
    // 45 s is the typical figure: not enough.
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(45) } })).toThrow(
      `FailoverDns: \`recoveryObjectives.rto\` of 45 s cannot be met, the RTO budget is 51 s (${DEFAULT_EXPLANATION}); `
      + 'lower `healthCheck.interval`, `healthCheck.failureThreshold`, '
      + '`ttl` (no setting takes the budget below 26 s)');
    const fast = { ttl: Duration.seconds(5), healthCheck: { failureThreshold: 1 }, recoveryObjectives: { rto: Duration.seconds(31) } };
    expect(build(fast).recoveryEstimate.rto.toSeconds()).toBe(31);
  });
});

describe('FailoverEndpointRecord recovery estimate', () => {
  function record(endpoint: FailoverEndpoint, extra: object = {}) {
    const stack = new Stack(new App(), 'R', { env: { account: '111111111111', region: 'eu-west-1' } });
    return new FailoverEndpointRecord(stack, 'Endpoint', { zone: zoneIn(stack), recordName: 'api', endpoint, priority: 0, endpointCount: 2, ...extra });
  }

  test('its own health check settings and assumptions', () => {
    const r = record({ region: 'eu-west-1', domainName: 'a.example.net', healthCheck: { protocol: HealthCheckProtocol.TCP, failureThreshold: 3 } },
      { ttl: Duration.seconds(20), recoveryAssumptions: { healthCheckPropagation: Duration.seconds(15) } });
    expect(r.recoveryEstimate.rto.toSeconds()).toBe(30 + 10 + 15 + 20);
    expect(r.recoveryEstimate.typicalRto.toSeconds()).toBe(30 + 15 + 20);
    expect(r.recoveryEstimate.summary).toBe('Route 53 failover (CNAME) for eu-west-1');
  });

  test('a TCP protocol on an existing health check is not known: Route 53 defaults and an HTTP(S) probe are assumed', () => {
    const stack = new Stack(new App(), 'R', { env: { account: '111111111111', region: 'eu-west-1' } });
    const existingHealthCheck = route53.HealthCheck.fromHealthCheckId(stack, 'Hc', 'abcdef01-2345-6789-abcd-ef0123456789');
    const r = new FailoverEndpointRecord(stack, 'Endpoint', {
      zone: zoneIn(stack),
      recordName: 'api',
      priority: 0,
      endpointCount: 2,
      endpoint: { region: 'eu-west-1', domainName: 'a.example.net', existingHealthCheck, healthCheck: { protocol: HealthCheckProtocol.TCP } },
    });
    expect(r.recoveryEstimate.detection.toSeconds()).toBe(30 * 3 + 6);
    // Route 53's defaults are assumed for a health check this library did not create: both detection terms say so.
    expect(r.recoveryEstimate.detectionTerms.map((t) => t.basis)).toEqual([RecoveryBasis.ASSUMPTION, RecoveryBasis.ASSUMPTION]);
    expect(r.recoveryEstimate.detectionTerms[0].label).toBe('health checks (30 s × 3, assumed)');
  });

  test('a string-match health check counts 2 more seconds for the body (8 s probe timeout)', () => {
    const e = build({ healthCheck: { searchString: 'ok' } }).recoveryEstimate;
    expect(e.detection.toSeconds()).toBe(20 + 8);
    expect(e.detectionTerms[1].label).toBe('probe timeout (connect 4 s + 2xx/3xx 2 s + body 2 s)');
    expect(e.detectionTerms.map((t) => t.basis)).toEqual([RecoveryBasis.DOCUMENTED, RecoveryBasis.DOCUMENTED]);
  });
});

// Route 53: "If an alias record points to another record in the same hosted zone, Route 53 uses the TTL of the
// record that the alias record points to"
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
// AWS documents a fixed 60 s alias TTL only for ELB and S3 website endpoints (https://aws.amazon.com/route53/faqs/);
// for other AWS resources the 60 s is this library's assumption.
describe('alias target TTL', () => {
  const ALIAS_ASSUMPTION = 'AWS documents a fixed 60 s alias TTL only for ELB and S3 website endpoints (https://aws.amazon.com/route53/faqs/); '
    + 'for other AWS resources (API Gateway, CloudFront) this library assumes 60 s';

  const SAME_ZONE = 'endpoint us-east-1: `aliasTargetTtl` must be set when `target` is an alias to another record of the same hosted zone, got: none. '
    + 'Route 53 answers such an alias with the TTL of the record it points to, which this construct cannot see: '
    + 'set `aliasTargetTtl` to that record\'s TTL (or, when that record is itself an alias, to its target\'s TTL)';

  function sameZone(aliasTargetTtl?: Duration, recoveryObjectives?: FailoverDnsProps['recoveryObjectives']) {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = zoneIn(stack);
    // Records of the same zone with a 300 s TTL (e.g. managed elsewhere), aliased by the failover records.
    const origin = (region: string) => new route53.ARecord(stack, `Origin-${region}`, {
      zone, recordName: `origin-${region}`, target: route53.RecordTarget.fromIpAddresses('192.0.2.1'), ttl: Duration.seconds(300),
    });
    const endpoint = (region: string): FailoverEndpoint => ({
      region,
      target: route53.RecordTarget.fromAlias(new targets.Route53RecordTarget(origin(region))),
      healthCheck: { fqdn: `origin-${region}.example.com` },
      aliasTargetTtl,
    });
    return new FailoverDns(stack, 'Site', { zone, recordName: 'www', recordTypes: [route53.RecordType.A], endpoints: REGIONS.slice(0, 2).map(endpoint), recoveryObjectives });
  }

  test('an alias to another record of the same hosted zone without `aliasTargetTtl` is refused', () => {
    expect(failureMessage(() => sameZone())).toBe(SAME_ZONE);
  });

  test('an alias to a same-zone record with a 300 s TTL: budget 336 s, and an RTO objective of 100 s fails', () => {
    const e = sameZone(Duration.seconds(300)).recoveryEstimate;
    expect([e.rto.toSeconds(), e.typicalRto.toSeconds()]).toEqual([20 + 6 + 10 + 300, 20 + 10 + 300]);
    expect(e.propagationTerms[1]).toEqual({
      label: 'alias target TTL (`aliasTargetTtl`)',
      duration: Duration.seconds(300),
      basis: RecoveryBasis.DOCUMENTED,
      source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html',
      setting: '`aliasTargetTtl`',
    });
    expect(e.explanation).toBe('Route 53 failover (alias) for us-east-1: RTO budget 5 min 36 s, typical 5 min 30 s = '
      + 'health checks (10 s × 2) 20 s + probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + '
      + 'checker-to-DNS propagation 10 s [assumption] + alias target TTL (`aliasTargetTtl`) 5 min; RPO 0 s (stateless: no data to lose)');
    expect(failureMessage(() => sameZone(Duration.seconds(300), { rto: Duration.seconds(100) })))
      .toBe(`FailoverDns: \`recoveryObjectives.rto\` of 100 s cannot be met, the RTO budget is 5 min 36 s (${e.explanation}); `
        + 'lower `healthCheck.interval`, `healthCheck.failureThreshold`, lower the alias target\'s own TTL (`aliasTargetTtl` states it), or use `domainName` endpoints (CNAME records with a short `ttl`) instead of alias targets (no setting takes the budget below 26 s)');
  });

  test('a same-zone alias is recognised when the zone id is a token of a zone in the same stack', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const origin = new route53.ARecord(stack, 'Origin', { zone, recordName: 'origin', target: route53.RecordTarget.fromIpAddresses('192.0.2.1') });
    const target = route53.RecordTarget.fromAlias(new targets.Route53RecordTarget(origin));
    expect(failureMessage(() => new FailoverDns(stack, 'Site', {
      zone,
      recordName: 'www',
      endpoints: [{ region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' } }, { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' } }],
    }))).toBe(SAME_ZONE);
  });

  test('an alias to an AWS resource counts the 60 s default as an assumption, with its source', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2FDTNDATAQYW2' }) });
    const e = new FailoverDns(stack, 'Site', {
      zone: zoneIn(stack),
      recordName: 'www',
      endpoints: [{ region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' } }, { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' } }],
    }).recoveryEstimate;
    expect(e.propagationTerms[1]).toEqual({
      label: 'alias target TTL',
      duration: Duration.seconds(60),
      basis: RecoveryBasis.ASSUMPTION,
      source: ALIAS_ASSUMPTION,
      setting: '`aliasTargetTtl`, or a CNAME target with a short `ttl`',
    });
    expect(e.explanation).toBe('Route 53 failover (alias) for us-east-1: RTO budget 96 s, typical 90 s = '
      + 'health checks (10 s × 2) 20 s + probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + '
      + 'checker-to-DNS propagation 10 s [assumption] + alias target TTL 60 s [assumption]; RPO 0 s (stateless: no data to lose)');
  });

  test('`aliasTargetTtl` on an alias to an AWS resource replaces the 60 s assumption', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2FDTNDATAQYW2' }) });
    const e = new FailoverDns(stack, 'Site', {
      zone: zoneIn(stack),
      recordName: 'www',
      endpoints: [
        { region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' }, aliasTargetTtl: Duration.seconds(20) },
        { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' }, aliasTargetTtl: Duration.seconds(20) },
      ],
    }).recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(20 + 6 + 10 + 20);
    expect(e.propagationTerms[1].basis).toBe(RecoveryBasis.DOCUMENTED);
  });

  test('an alias to a record of another hosted zone needs no `aliasTargetTtl`', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const other = route53.HostedZone.fromHostedZoneAttributes(stack, 'Other', { hostedZoneId: 'ZOTHER0000000000000', zoneName: 'example.net' });
    const origin = new route53.ARecord(stack, 'Origin', { zone: other, recordName: 'origin', target: route53.RecordTarget.fromIpAddresses('192.0.2.1') });
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: origin.domainName, hostedZoneId: other.hostedZoneId }) });
    expect(() => new FailoverDns(stack, 'Site', {
      zone: zoneIn(stack),
      recordName: 'www',
      endpoints: [{ region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' } }, { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' } }],
    })).not.toThrow();
  });

  test('the `ttl`-on-alias warning names the TTL the estimate counts', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2FDTNDATAQYW2' }) });
    new FailoverDns(stack, 'Site', {
      zone: zoneIn(stack),
      recordName: 'www',
      ttl: Duration.seconds(30),
      endpoints: [
        { region: 'us-east-1', target, healthCheck: { fqdn: 'a.example.net' } },
        { region: 'us-west-2', target, healthCheck: { fqdn: 'b.example.net' }, aliasTargetTtl: Duration.seconds(20) },
      ],
    });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/Dns/Site/us-east-1', '`ttl` is ignored for alias targets: Route 53 answers endpoint us-east-1 with its target\'s TTL '
      + '(60 s assumed unless you set `aliasTargetTtl`) [ack: cdk-multi-region-failover:ttl-on-alias]');
    a.hasWarning('/Dns/Site/us-west-2', '`ttl` is ignored for alias targets: Route 53 answers endpoint us-west-2 with its target\'s TTL '
      + '(`aliasTargetTtl`: 20 s) [ack: cdk-multi-region-failover:ttl-on-alias]');
  });

  test('`aliasTargetTtl` on a CNAME endpoint is refused', () => {
    expect(failureMessage(() => build({
      endpoints: [
        { region: 'us-east-1', domainName: 'a.example.net', aliasTargetTtl: Duration.seconds(60) },
        { region: 'us-west-2', domainName: 'b.example.net' },
      ],
    }))).toBe('endpoint us-east-1: `aliasTargetTtl` must not be set on a `domainName` (CNAME) endpoint, got: 60 s. A CNAME record has its own TTL: set `ttl`');
  });
});
