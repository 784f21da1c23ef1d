import { Template, Match } from 'aws-cdk-lib/assertions';
import { build, template } from './helpers';
import { RegionalService } from '../../src/regional-service';

const REFERENCE = '{{resolve:secretsmanager:app-example-com/origin-verify:SecretString:::}}';

describe('RegionalService originProtection', () => {
  let service: RegionalService;
  let east: Template;
  let west: Template;
  beforeAll(() => {
    service = build({ originProtection: {} }).service;
    east = template(service, 'us-east-1');
    west = template(service, 'us-west-2');
  });

  test.each(['us-east-1', 'us-west-2'])('%s: the listener answers 403 unless the CloudFront header carries the secret value', (region) => {
    const t = region === 'us-east-1' ? east : west;
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } }],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 1,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [REFERENCE] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^TargetGroup') } }],
    });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
  });

  test('the service is created after the rule that attaches its target group (ECS needs the target group on a load balancer)', () => {
    const services = Object.values(west.findResources('AWS::ECS::Service'));
    expect(services[0].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LoadBalancerHttpsFromCloudFrontRule/)]));
  });

  test('the first region creates the secret (letters and digits) with replicas in the other region and us-east-1 is not repeated', () => {
    east.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'app-example-com/origin-verify',
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      ReplicaRegions: [{ Region: 'us-west-2' }],
    });
    west.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // The rule is created after the secret (its dynamic reference needs it).
    const rules = east.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(Object.values(rules)[0].DependsOn).toEqual([expect.stringMatching(/^OriginVerifySecret/)]);
    expect(service.stacks[1].dependencies).toEqual([service.stacks[0]]);
  });

  test('the header value for CloudFront is the same dynamic reference, never the value', () => {
    expect(service.originVerifyHeaderName).toBe('X-Origin-Verify');
    expect(service.originVerifySecretName).toBe('app-example-com/origin-verify');
    expect(service.stacks[0].resolve(service.originVerifyHeaderValue())).toBe(REFERENCE);
  });

  test('Route 53 failover endpoints are refused: its health checkers cannot send the header', () => {
    expect(() => service.failoverEndpoints()).toThrow('`originProtection` makes the load balancers answer 403 to every request without CloudFront\'s secret header, '
      + 'so Route 53 failover would send clients (and its health checkers, which cannot send the header) to a load balancer that refuses them: '
      + 'reach a service with `originProtection` through CloudFront only, or remove `originProtection`');
  });

  test('distribution regions other than the service regions get a replica too', () => {
    const other = build({ regions: ['eu-west-1', 'eu-central-1'], originProtection: { headerName: 'X-From-Edge', secretName: 'edge/verify', distributionRegions: ['us-east-1'] } }).service;
    template(other, 'eu-west-1').hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'edge/verify',
      ReplicaRegions: [{ Region: 'eu-central-1' }, { Region: 'us-east-1' }],
    });
    template(other, 'eu-central-1').hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-From-Edge', Values: ['{{resolve:secretsmanager:edge/verify:SecretString:::}}'] } }],
    });
  });
});
