import { App, Fn, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FailoverDns, FailoverEndpoint, HealthCheckProtocol } from '../../src';
import { failureMessage } from '../util/errors';

// An API Gateway regional domain name (d-xxxx.execute-api.<region>.amazonaws.com) serves the custom domain
// names mapped to it: a health check that calls it by that name gets 403, so the endpoint is never healthy
// and Route 53 fails open to the primary. Health-check {api-id}.execute-api.<region>.amazonaws.com/<stage>/...

const D_USE1 = 'd-abc123defg.execute-api.us-east-1.amazonaws.com';
const D_USW2 = 'd-xyz789hijk.execute-api.us-west-2.amazonaws.com';

function build(endpoints: FailoverEndpoint[]) {
  const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints });
  return stack;
}

const message = failureMessage;

const healthy = (region: string, apiId: string): FailoverEndpoint['healthCheck'] =>
  ({ fqdn: `${apiId}.execute-api.${region}.amazonaws.com`, path: '/prod/health' });

describe('FailoverDns endpoints on an API Gateway regional domain name', () => {
  test.each([D_USE1, `${D_USE1}.`, 'D-ABC123DEFG.EXECUTE-API.US-EAST-1.AMAZONAWS.COM'])(
    'the default health check of %s is refused', (domainName) => {
      expect(message(() => build([{ region: 'us-east-1', domainName }, { region: 'us-west-2', domainName: D_USW2 }]))).toBe(
        'endpoint us-east-1: `healthCheck.fqdn` must be set when `domainName` is an API Gateway regional domain name, got: none. '
        + `A health check of ${domainName} gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy `
        + 'and Route 53 never fails over. Set `healthCheck.fqdn` to the API\'s {api-id}.execute-api.{region}.amazonaws.com host and '
        + '`healthCheck.path` to a health route under its stage (e.g. /prod/health), or give `existingHealthCheck`');
    });

  test('a health check host that is itself a regional domain name is refused', () => {
    expect(message(() => build([
      { region: 'us-east-1', domainName: 'api-use1.example.net', healthCheck: { fqdn: D_USE1, path: '/prod/health' } },
      { region: 'us-west-2', domainName: 'api-usw2.example.net' },
    ]))).toBe(
      `endpoint us-east-1: \`healthCheck.fqdn\` must not be an API Gateway regional domain name, got: ${D_USE1}. `
      + 'It gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy and Route 53 never fails over. '
      + 'Use the API\'s {api-id}.execute-api.{region}.amazonaws.com host with `healthCheck.path` under its stage (e.g. /prod/health)');
  });

  test('the execute-api host without a path is refused: the default /health has no stage', () => {
    expect(message(() => build([
      { region: 'us-east-1', domainName: D_USE1, healthCheck: { fqdn: 'abc1234567.execute-api.us-east-1.amazonaws.com' } },
      { region: 'us-west-2', domainName: D_USW2, healthCheck: healthy('us-west-2', 'xyz7654321') },
    ]))).toBe(
      'endpoint us-east-1: `healthCheck.path` must be set when `domainName` is an API Gateway regional domain name, got: none. '
      + 'The {api-id}.execute-api.{region}.amazonaws.com host serves the API under its stage: set e.g. `healthCheck.path: \'/prod/health\'`');
  });

  test('the execute-api host and a stage path are accepted: the CNAME answers the regional domain name, the check calls the API', () => {
    const stack = build([
      { region: 'us-east-1', domainName: D_USE1, healthCheck: healthy('us-east-1', 'abc1234567') },
      { region: 'us-west-2', domainName: D_USW2, healthCheck: healthy('us-west-2', 'xyz7654321') },
    ]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'abc1234567.execute-api.us-east-1.amazonaws.com', ResourcePath: '/prod/health' },
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', ResourceRecords: [D_USE1] });
  });

  test('a shared path in the defaults counts', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    expect(() => new FailoverDns(stack, 'Api', {
      zone,
      recordName: 'api',
      healthCheck: { path: '/prod/health' },
      endpoints: [
        { region: 'us-east-1', domainName: D_USE1, healthCheck: { fqdn: 'abc1234567.execute-api.us-east-1.amazonaws.com' } },
        { region: 'us-west-2', domainName: D_USW2, healthCheck: { fqdn: 'xyz7654321.execute-api.us-west-2.amazonaws.com' } },
      ],
    })).not.toThrow();
  });

  test('an existing health check is accepted', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const existing = (id: string) => route53.HealthCheck.fromHealthCheckId(stack, id, `${id}-0000-0000-0000-000000000000`);
    expect(() => new FailoverDns(stack, 'Api', {
      zone,
      recordName: 'api',
      endpoints: [
        { region: 'us-east-1', domainName: D_USE1, existingHealthCheck: existing('aaaaaaaa') },
        { region: 'us-west-2', domainName: D_USW2, existingHealthCheck: existing('bbbbbbbb') },
      ],
    })).not.toThrow();
  });

  test('a TCP check of the regional domain name is not refused (no HTTP request, so no 403)', () => {
    expect(() => build([
      { region: 'us-east-1', domainName: D_USE1, healthCheck: { protocol: HealthCheckProtocol.TCP } },
      { region: 'us-west-2', domainName: D_USW2, healthCheck: { protocol: HealthCheckProtocol.TCP } },
    ])).not.toThrow();
  });

  test.each([
    'api-use1.example.net',
    'abc1234567.execute-api.us-east-1.amazonaws.com', // the API's own host (with path) is what to check
    'd-abc.execute-api.us-east-1.amazonaws.com.evil.example.net',
    'web-use1-0123456789.us-east-1.elb.amazonaws.com',
  ])('%s is not a regional domain name', (domainName) => {
    expect(() => build([
      { region: 'us-east-1', domainName, healthCheck: { path: '/prod/health' } },
      { region: 'us-west-2', domainName: 'api-usw2.example.net' },
    ])).not.toThrow();
  });

  test('an Fn::GetAtt RegionalDomainName of a resource this app does not define cannot be classified at synth', () => {
    const token = Token.asString({ 'Fn::GetAtt': ['Domain', 'RegionalDomainName'] });
    expect(() => build([{ region: 'us-east-1', domainName: token }, { region: 'us-west-2', domainName: 'api-usw2.example.net' }])).not.toThrow();
  });

  test.each([
    'd-abc123defg.execute-api.cn-north-1.amazonaws.com.cn',
    'd-abc123defg.execute-api.cn-northwest-1.amazonaws.com.cn.',
  ])('a China partition regional domain name %s is refused', (domainName) => {
    expect(message(() => build([{ region: 'cn-north-1', domainName }, { region: 'cn-northwest-1', domainName: 'api-b.example.net' }]))).toBe(
      'endpoint cn-north-1: `healthCheck.fqdn` must be set when `domainName` is an API Gateway regional domain name, got: none. '
      + `A health check of ${domainName} gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy `
      + 'and Route 53 never fails over. Set `healthCheck.fqdn` to the API\'s {api-id}.execute-api.{region}.amazonaws.com host and '
      + '`healthCheck.path` to a health route under its stage (e.g. /prod/health), or give `existingHealthCheck`');
  });
});

// In CDK the regional domain name is usually a token: `domain.domainNameAliasDomainName` (aws-apigateway) or
// `domain.regionalDomainName` (aws-apigatewayv2), both an `Fn::GetAtt [<DomainName>, RegionalDomainName]`
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-domainname.html#aws-resource-apigateway-domainname-return-values).
describe('FailoverDns endpoints on an API Gateway regional domain name token', () => {
  function stackWithDomains() {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000');
    const v1 = new apigateway.DomainName(stack, 'DomainV1', { domainName: 'api.example.com', certificate, endpointType: apigateway.EndpointType.REGIONAL });
    const v2 = new apigwv2.DomainName(stack, 'DomainV2', { domainName: 'api.example.com', certificate });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    return { stack, zone, v1, v2 };
  }
  const V1 = 'the RegionalDomainName of Dns/DomainV1/Resource (AWS::ApiGateway::DomainName)';
  const V2 = 'the RegionalDomainName of Dns/DomainV2/Resource (AWS::ApiGatewayV2::DomainName)';

  test.each<[string, (d: ReturnType<typeof stackWithDomains>) => string, string]>([
    ['aws-apigateway domainNameAliasDomainName', (d) => d.v1.domainNameAliasDomainName, V1],
    ['aws-apigatewayv2 regionalDomainName', (d) => d.v2.regionalDomainName, V2],
  ])('a %s as `domainName` without `healthCheck.fqdn` is refused', (_what, pick, shown) => {
    const d = stackWithDomains();
    expect(message(() => new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [{ region: 'us-east-1', domainName: pick(d) }, { region: 'us-west-2', domainName: 'api-usw2.example.net' }],
    }))).toBe(
      'endpoint us-east-1: `healthCheck.fqdn` must be set when `domainName` is an API Gateway regional domain name, got: none. '
      + `A health check of ${shown} gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy `
      + 'and Route 53 never fails over. Set `healthCheck.fqdn` to the API\'s {api-id}.execute-api.{region}.amazonaws.com host and '
      + '`healthCheck.path` to a health route under its stage (e.g. /prod/health), or give `existingHealthCheck`');
  });

  test('an Fn.getAtt(<logical id>, \'RegionalDomainName\') of an L1 AWS::ApiGateway::DomainName is refused (found by logical id)', () => {
    const d = stackWithDomains();
    const l1 = new apigateway.CfnDomainName(d.stack, 'L1Domain', { domainName: 'api.example.com', regionalCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/x' });
    expect(message(() => new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [
        { region: 'us-east-1', domainName: 'api-use1.example.net', healthCheck: { fqdn: Fn.getAtt(l1.logicalId, 'RegionalDomainName').toString() } },
        { region: 'us-west-2', domainName: 'api-usw2.example.net' },
      ],
    }))).toBe(
      'endpoint us-east-1: `healthCheck.fqdn` must not be an API Gateway regional domain name, got: the RegionalDomainName of Dns/L1Domain (AWS::ApiGateway::DomainName). '
      + 'It gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy and Route 53 never fails over. '
      + 'Use the API\'s {api-id}.execute-api.{region}.amazonaws.com host with `healthCheck.path` under its stage (e.g. /prod/health)');
  });

  test('a regional domain name token as `domainName` with the execute-api host but no path is refused', () => {
    const d = stackWithDomains();
    expect(message(() => new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [
        { region: 'us-east-1', domainName: d.v1.domainNameAliasDomainName, healthCheck: { fqdn: 'abc1234567.execute-api.us-east-1.amazonaws.com' } },
        { region: 'us-west-2', domainName: 'api-usw2.example.net' },
      ],
    }))).toBe(
      'endpoint us-east-1: `healthCheck.path` must be set when `domainName` is an API Gateway regional domain name, got: none. '
      + 'The {api-id}.execute-api.{region}.amazonaws.com host serves the API under its stage: set e.g. `healthCheck.path: \'/prod/health\'`');
  });

  test.each<[string, (d: ReturnType<typeof stackWithDomains>) => string, string]>([
    ['aws-apigateway domainNameAliasDomainName', (d) => d.v1.domainNameAliasDomainName, V1],
    ['aws-apigatewayv2 regionalDomainName', (d) => d.v2.regionalDomainName, V2],
  ])('a %s as `healthCheck.fqdn` is refused', (_what, pick, shown) => {
    const d = stackWithDomains();
    expect(message(() => new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [
        { region: 'us-east-1', domainName: 'api-use1.example.net', healthCheck: { fqdn: pick(d), path: '/prod/health' } },
        { region: 'us-west-2', domainName: 'api-usw2.example.net' },
      ],
    }))).toBe(
      `endpoint us-east-1: \`healthCheck.fqdn\` must not be an API Gateway regional domain name, got: ${shown}. `
      + 'It gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy and Route 53 never fails over. '
      + 'Use the API\'s {api-id}.execute-api.{region}.amazonaws.com host with `healthCheck.path` under its stage (e.g. /prod/health)');
  });

  test('a regional domain name token with the API\'s execute-api host and a stage path is accepted', () => {
    const d = stackWithDomains();
    const api = new apigateway.RestApi(d.stack, 'RestApi', { deployOptions: { stageName: 'prod' } });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    const fqdn = `${api.restApiId}.execute-api.us-east-1.${d.stack.urlSuffix}`;
    new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [
        { region: 'us-east-1', domainName: d.v1.domainNameAliasDomainName, healthCheck: { fqdn, path: '/prod/health' } },
        { region: 'us-west-2', domainName: d.v2.regionalDomainName, healthCheck: { fqdn, path: '/prod/health' } },
      ],
    });
    const t = Template.fromStack(d.stack);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DomainV1'), 'RegionalDomainName'] }] });
    t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ ResourcePath: '/prod/health' }) });
  });

  test.each<[string, (d: ReturnType<typeof stackWithDomains>) => string]>([
    ['an S3 bucket\'s RegionalDomainName (same attribute name, another resource type)', (d) => new s3.Bucket(d.stack, 'Bucket').bucketRegionalDomainName],
    ['an edge-optimized domain\'s DistributionDomainName', (d) => new apigateway.DomainName(d.stack, 'Edge', {
      domainName: 'edge.example.com',
      certificate: acm.Certificate.fromCertificateArn(d.stack, 'EdgeCert', 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-0000-0000-0000-000000000000'),
      endpointType: apigateway.EndpointType.EDGE,
    }).domainNameAliasDomainName],
  ])('%s is not an API Gateway regional domain name', (_what, pick) => {
    const d = stackWithDomains();
    expect(() => new FailoverDns(d.stack, 'Api', {
      zone: d.zone,
      recordName: 'api',
      endpoints: [{ region: 'us-east-1', domainName: pick(d) }, { region: 'us-west-2', domainName: 'api-usw2.example.net' }],
    })).not.toThrow();
  });

  test('a regional domain name of another stack (cross-stack reference) is refused', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'us-east-1' };
    const apiStack = new Stack(app, 'ApiStack', { env });
    const certificate = acm.Certificate.fromCertificateArn(apiStack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000');
    const domain = new apigateway.DomainName(apiStack, 'Domain', { domainName: 'api.example.com', certificate });
    const dnsStack = new Stack(app, 'DnsStack', { env });
    const zone = route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    expect(message(() => new FailoverDns(dnsStack, 'Api', {
      zone,
      recordName: 'api',
      endpoints: [{ region: 'us-east-1', domainName: domain.domainNameAliasDomainName }, { region: 'us-west-2', domainName: 'api-usw2.example.net' }],
    }))).toBe(
      'endpoint us-east-1: `healthCheck.fqdn` must be set when `domainName` is an API Gateway regional domain name, got: none. '
      + 'A health check of the RegionalDomainName of ApiStack/Domain/Resource (AWS::ApiGateway::DomainName) gets 403 (it serves only the custom domain names mapped to it), '
      + 'so the endpoint is never healthy and Route 53 never fails over. Set `healthCheck.fqdn` to the API\'s {api-id}.execute-api.{region}.amazonaws.com host and '
      + '`healthCheck.path` to a health route under its stage (e.g. /prod/health), or give `existingHealthCheck`');
  });
});
