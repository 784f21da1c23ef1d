import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { GlobalSsrSite, SsrEdgeStack, SsrEdgeStackProps, SsrWriteSigning } from '../../src/global-ssr-site';
import { nagErrors } from '../util/nag';

function edgeStack(overrides: Partial<SsrEdgeStackProps> = {}, region = 'us-east-1'): SsrEdgeStack {
  return new SsrEdgeStack(new App(), 'Edge', {
    env: { account: '123456789012', region },
    siteName: 'shop',
    domainName: 'www.example.com',
    hostedZoneId: 'Z0123456789ABC',
    zoneName: 'example.com',
    primaryRegion: 'eu-west-1',
    drRegion: 'eu-central-1',
    ...overrides,
  });
}

function distributionConfig(t: Template): any {
  return (Object.values(t.findResources('AWS::CloudFront::Distribution'))[0] as any).Properties.DistributionConfig;
}

describe('SsrEdgeStack alone', () => {
  test('recovery: the same write-failover and per-request figures as a GlobalSsrSite with these settings, and no RPO of its own (the edge holds no data)', () => {
    const edge = edgeStack();
    const site = new GlobalSsrSite(new App(), 'Site', {
      account: '123456789012',
      primaryRegion: 'eu-west-1',
      drRegion: 'eu-central-1',
      domainName: 'www.example.com',
      hostedZoneId: 'Z0123456789ABC',
      zoneName: 'example.com',
    });
    expect(edge.recoveryEstimate.rto.toSeconds()).toBe(site.recoveryEstimate.rto.toSeconds());
    expect(edge.recoveryEstimate.typicalRto.toSeconds()).toBe(site.recoveryEstimate.typicalRto.toSeconds());
    expect(edge.readRecoveryEstimate.perRequestPenalty?.toSeconds()).toBe(site.readRecoveryEstimate.perRequestPenalty?.toSeconds());
    expect(edge.recoveryEstimate.rpo?.toSeconds()).toBe(0);
    expect(site.recoveryEstimate.rpo).toBeUndefined(); // the site's global table: asynchronous, unbounded
    expect(edgeStack({ writeFailover: false }).recoveryEstimate.rtoBounded).toBe(false);
  });

  test('two regions: certificate, distribution with SSR and static origin groups, edge router with its flag, body hash, records, alarm path', () => {
    const stack = edgeStack();
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'www.example.com', ValidationMethod: 'DNS' });
    const config = distributionConfig(t);
    expect(config.Aliases).toEqual(['www.example.com']);
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-dr', 'ssr-primary', 'static-dr', 'static-primary']);
    expect(config.Origins.find((o: any) => o.Id === 'static-primary').DomainName).toMatch(/^shop-123456789012-eu-west-1\.s3\.eu-west-1\./);
    expect(config.CacheBehaviors).toHaveLength(6); // 4 static path patterns + 2 probe paths
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern))
      .toEqual(expect.arrayContaining([GlobalSsrSite.PRIMARY_PROBE_PATH, GlobalSsrSite.DR_PROBE_PATH]));
    t.hasResourceProperties('AWS::CloudFront::Function', { Name: 'shop-edge-router' });
    t.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    expect(config.DefaultCacheBehavior.LambdaFunctionAssociations).toEqual([expect.objectContaining({ EventType: 'origin-request', IncludeBody: true })]);
    t.resourceCountIs('AWS::Route53::RecordSet', 2);
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-primary-health', MetricName: 'HealthCheckStatus' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-dr-health' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/distribution-arn' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/active-origin-kvs-arn' });
    t.hasOutput('SiteUrl', { Value: 'https://www.example.com' });
    expect(stack.writeFailoverFunction).toBeDefined();
    expect(stack.keyValueStore).toBeDefined();
    expect(stack.resolve(stack.metricDistribution('Requests').dimensions)).toEqual({ DistributionId: { Ref: expect.stringMatching(/^Distribution/) }, Region: 'Global' });
  });

  test('single region (no drRegion): plain origins, no edge router, no flag, no alarm path', () => {
    const stack = edgeStack({
      drRegion: undefined, writeSigning: SsrWriteSigning.CLIENT_BODY_HASH, priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    const config = distributionConfig(t);
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-primary', 'static-primary']);
    expect(config.PriceClass).toBe('PriceClass_100');
    t.resourceCountIs('AWS::CloudFront::Function', 0);
    t.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    t.resourceCountIs('AWS::Route53::HealthCheck', 0);
    t.resourceCountIs('AWS::Lambda::Function', 1); // the AwsCustomResource provider that reads the URL host
    expect([stack.edgeFunction, stack.keyValueStore, stack.bodyHashFunction, stack.primaryHealthAlarm]).toEqual(Array(4).fill(undefined));
  });

  test('writeFailover: false keeps the edge router and drops the flag and the alarm path', () => {
    const t = Template.fromStack(edgeStack({ writeFailover: false }));
    t.resourceCountIs('AWS::CloudFront::Function', 1);
    t.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('an existing certificate and the origin timeouts are used as given', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const t = Template.fromStack(edgeStack({ certificateArn: arn, readTimeout: Duration.seconds(30), connectionAttempts: 2 }));
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const config = distributionConfig(t);
    expect(config.ViewerCertificate.AcmCertificateArn).toBe(arn);
    const ssr = config.Origins.find((o: any) => o.Id === 'ssr-primary');
    expect([ssr.ConnectionAttempts, ssr.CustomOriginConfig.OriginReadTimeout]).toEqual([2, 30]);
  });

  test('primary in us-east-1 with write failover: the warning reaches the stack', () => {
    const stack = edgeStack({ primaryRegion: 'us-east-1', drRegion: 'us-west-2' });
    Annotations.fromStack(stack).hasWarning('/Edge', Match.stringLikeRegexp('`primaryRegion` is us-east-1'));
  });

  test.each<[string, Partial<SsrEdgeStackProps>, string, string]>([
    ['a region other than us-east-1', {},
      '`env.region` of SsrEdgeStack Edge must be us-east-1 (CloudFront certificates, Lambda@Edge functions and Route 53 health check metrics live there), got: eu-west-1', 'eu-west-1'],
    ['writeFailover without drRegion', { drRegion: undefined, writeFailover: true }, '`writeFailover` needs a `drRegion` to fail over to, got: no drRegion', 'us-east-1'],
    ['a domain outside the zone', { domainName: 'www.example.org' }, '`domainName` must be the zone name or a name inside the hosted zone example.com, got: www.example.org', 'us-east-1'],
    ['a certificate outside us-east-1', { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
      '`certificateArn` must be an ACM certificate in us-east-1 (CloudFront requires it), got: arn:aws:acm:eu-west-1:123456789012:certificate/abc', 'us-east-1'],
    ['a hosted zone id that is none', { hostedZoneId: 'example.com' }, '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: example.com', 'us-east-1'],
    ['a read timeout above 180 s', { readTimeout: Duration.seconds(181) }, '`readTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 181 s', 'us-east-1'],
    ['a catch-all static pattern', { staticPathPatterns: ['/*'] }, '`staticPathPatterns` must not shadow the default (SSR) behaviour `/*`, got: /*', 'us-east-1'],
    ['a failover code CloudFront does not take', { ssrFailoverStatusCodes: [501] }, '`ssrFailoverStatusCodes` may only hold 400, 403, 404, 416, 500, 502, 503, 504, got: 501', 'us-east-1'],
    ['a 20 s health check interval', { healthCheckInterval: Duration.seconds(20) }, '`healthCheckInterval` must be 10 or 30 seconds, got: 20 s', 'us-east-1'],
  ])('%s is an error', (_label, overrides, message, region) => {
    expect(() => edgeStack(overrides, region)).toThrow(message);
  });
});
