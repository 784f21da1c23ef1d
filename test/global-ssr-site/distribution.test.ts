import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { build, distributionConfig, siteWarnings, stacksOf } from './site-util';
import { GlobalSsrSite, SsrWriteSigning } from '../../src/global-ssr-site';

describe('distribution', () => {
  test('OAC on every origin, no OAI anywhere', () => {
    const site = build();
    const g = Template.fromStack(site.globalStack);
    for (const stack of stacksOf(site)) {
      Template.fromStack(stack).resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    }
    g.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
    g.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
    const config = distributionConfig(site);
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-dr', 'ssr-primary', 'static-dr', 'static-primary']);
    for (const origin of config.Origins) {
      expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(origin.Id.startsWith('ssr') ? /^SsrOac/ : /^StaticOac/), 'Id'] });
    }
  });

  test('static behaviours → origin group primary → DR bucket with long caching and failover criteria', () => {
    const config = distributionConfig(build());
    expect(config.OriginGroups.Quantity).toBe(1);
    const group = config.OriginGroups.Items[0];
    expect(group.Members.Items).toEqual([{ OriginId: 'static-primary' }, { OriginId: 'static-dr' }]);
    expect(group.FailoverCriteria.StatusCodes.Items).toEqual([403, 404, 500, 502, 503, 504]);
    const statics = config.CacheBehaviors.filter((b: any) => b.TargetOriginId === group.Id);
    expect(statics.map((b: any) => b.PathPattern)).toEqual(['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico']);
  });

  test('default behaviour: all methods to the primary SSR origin, caching disabled, all viewer headers except Host, edge router', () => {
    const config = distributionConfig(build());
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: 'ssr-primary',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // AllViewerExceptHostHeader
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeRouter/), 'FunctionARN'] } }],
    });
    const probes = config.CacheBehaviors.filter((b: any) => b.PathPattern.startsWith('/__global-ssr/'));
    expect(probes.map((b: any) => [b.PathPattern, b.TargetOriginId, b.LambdaFunctionAssociations])).toEqual([
      [GlobalSsrSite.PRIMARY_PROBE_PATH, 'ssr-primary', undefined],
      [GlobalSsrSite.DR_PROBE_PATH, 'ssr-dr', undefined],
    ]);
  });

  test('the edge router: runtime 2.0, the KeyValueStore, the SSR failover status codes', () => {
    const site = build({ ssrFailoverStatusCodes: [500, 502, 503, 504, 404], healthCheckPath: '/healthz' });
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] } }], Comment: Match.anyValue() },
      FunctionCode: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"failoverStatusCodes":\\[500,502,503,504,404\\]'), { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Id'] }, Match.stringLikeRegexp('"healthCheckPath":"/healthz"')])] },
    });
  });

  test('TLS 1.2_2021, HTTP/2+3, IPv6, certificate created in us-east-1 with DNS validation, A and AAAA aliases', () => {
    const site = build();
    expect(distributionConfig(site)).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, Aliases: ['www.example.com'], ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' } });
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'www.example.com', ValidationMethod: 'DNS' });
    for (const type of ['A', 'AAAA']) {
      g.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.example.com.', Type: type, AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] }, HostedZoneId: Match.anyValue() } });
    }
  });

  test('an existing certificate, a WAF web ACL and logging', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const waf = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1';
    const site = build({ certificateArn: arn, webAclArn: waf, logging: true });
    Template.fromStack(site.globalStack).resourceCountIs('AWS::CertificateManager::Certificate', 0);
    expect(distributionConfig(site)).toMatchObject({ ViewerCertificate: { AcmCertificateArn: arn }, WebACLId: waf, Logging: { Prefix: 'cloudfront/' } });
  });
});

describe('write path: x-amz-content-sha256 for requests with a body (OAC to a function URL)', () => {
  test('default EDGE_BODY_HASH: an origin-request Lambda@Edge with include body on the default behaviour only', () => {
    const site = build();
    expect(site.writeSigning).toBe(SsrWriteSigning.EDGE_BODY_HASH);
    const config = distributionConfig(site);
    expect(config.DefaultCacheBehavior.LambdaFunctionAssociations).toEqual([{
      EventType: 'origin-request',
      IncludeBody: true,
      LambdaFunctionARN: { Ref: expect.stringMatching(/^BodyHashCurrentVersion/) },
    }]);
    for (const b of config.CacheBehaviors) {
      expect(b.LambdaFunctionAssociations).toBeUndefined();
    }
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      MemorySize: 128,
      Timeout: 5,
      Description: Match.stringLikeRegexp('x-amz-content-sha256'),
      Environment: Match.absent(),
    });
    g.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'edgelambda.amazonaws.com' } })]) },
    });
    expect(site.bodyHashFunction).toBeDefined();
  });

  test('CLIENT_BODY_HASH: no Lambda@Edge at all', () => {
    const site = build({ writeSigning: SsrWriteSigning.CLIENT_BODY_HASH });
    expect(distributionConfig(site).DefaultCacheBehavior.LambdaFunctionAssociations).toBeUndefined();
    expect(site.bodyHashFunction).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(site.globalStack).toJSON())).not.toContain('edgelambda');
  });

  test('single region gets the body hash too (OAC needs it in every region)', () => {
    const config = distributionConfig(build({ dr: false, drRegion: undefined }));
    expect(config.DefaultCacheBehavior.LambdaFunctionAssociations[0]).toMatchObject({ EventType: 'origin-request', IncludeBody: true });
  });
});

describe('readTimeout: the failover attempt waits for it on a hung primary', () => {
  test('default = ssr.timeout (10 s) on both SSR origins, with the fast connection defaults', () => {
    const config = distributionConfig(build());
    for (const id of ['ssr-primary', 'ssr-dr']) {
      expect(config.Origins.find((o: any) => o.Id === id)).toMatchObject({
        ConnectionAttempts: 1,
        ConnectionTimeout: 2,
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 10 },
      });
    }
    expect(config.Origins.find((o: any) => o.Id === 'ssr-primary').DomainName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReadPrimaryOriginHost/), 'Parameter.Value'] });
  });

  test('readTimeout is applied to the SSR origins and counted in the per-request penalty', () => {
    const site = build({
      readTimeout: Duration.seconds(4), connectionAttempts: 2, connectionTimeout: Duration.seconds(3), ssr: { timeout: Duration.seconds(4) },
    });
    const config = distributionConfig(site);
    expect(config.Origins.filter((o: any) => o.Id.startsWith('ssr')).map((o: any) => o.CustomOriginConfig.OriginReadTimeout)).toEqual([4, 4]);
    expect(site.readRecoveryEstimate.perRequestPenalty!.toSeconds()).toBe(2 * (3 + 4));
    expect(site.recoveryEstimate.perRequestPenalty!.toSeconds()).toBe(14);
  });

  test('follows ssr.timeout when not set', () => {
    const site = build({ ssr: { code: lambda.Code.fromInline('x'), timeout: Duration.seconds(20) } });
    expect(distributionConfig(site).Origins.find((o: any) => o.Id === 'ssr-dr').CustomOriginConfig.OriginReadTimeout).toBe(20);
    expect(site.readRecoveryEstimate.perRequestPenalty!.toSeconds()).toBe(22);
  });

  test('a readTimeout shorter than ssr.timeout is a synth warning in the global stack (where the origins are), as `cdk synth` shows it', () => {
    const site = build({ readTimeout: Duration.seconds(5) });
    const message = 'GlobalSsrSite: `readTimeout` (5 s) is shorter than `ssr.timeout` (10 s): CloudFront answers 504 to renders that take longer, '
      + 'and a POST is not retried although the function may finish it. [ack: cdk-multi-region-failover:ssr-read-timeout-below-function-timeout]';
    Annotations.fromStack(site.globalStack).hasWarning('/Site/Global', message);
    expect(siteWarnings(site)).toEqual([`Global: ${message}`]);
    expect(siteWarnings(build())).toEqual([]);
  });
});
