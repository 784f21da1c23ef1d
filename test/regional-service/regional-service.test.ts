import { Template, Match } from 'aws-cdk-lib/assertions';
import { build, template, ZONE_ID } from './helpers';
import { RegionalService } from '../../src/regional-service';

describe('RegionalService defaults', () => {
  let service: RegionalService;
  let east: Template;
  beforeAll(() => {
    service = build({ healthCheckPath: '/healthz', containerPort: 8080 }).service;
    east = template(service, 'us-east-1');
  });

  test('one stack per region, named <prefix>-svc-<region>, in the given account', () => {
    expect(service.stacks.map((s) => `${s.stackName} ${s.account}/${s.region}`)).toEqual([
      'app-example-com-svc-us-east-1 111111111111/us-east-1',
      'app-example-com-svc-us-west-2 111111111111/us-west-2',
    ]);
  });

  test('the deployment circuit breaker rolls a failed deployment back', () => {
    east.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });

  test('the target group health-checks the health path on the container port', () => {
    east.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      UnhealthyThresholdCount: 2,
      HealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
    });
  });

  test('HTTPS listener with the certificate and AWS\'s recommended TLS 1.3/1.2 policy; HTTP only redirects', () => {
    east.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^Certificate') } }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^TargetGroup') } }],
    });
    east.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    east.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com',
      SubjectAlternativeNames: ['us-east-1.app.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([{ DomainName: 'app.example.com', HostedZoneId: ZONE_ID }]),
    });
  });

  test('security groups: the ALB takes 443/80 from the internet; the tasks take the container port from the ALB only', () => {
    const groups = east.findResources('AWS::EC2::SecurityGroup');
    const albId = Object.keys(groups).find((id) => id.startsWith('LoadBalancerSecurityGroup'))!;
    const svcId = Object.keys(groups).find((id) => id.startsWith('ServiceSecurityGroup'))!;
    expect(groups[albId].Properties.SecurityGroupIngress.map((r: any) => `${r.CidrIp}:${r.FromPort}`).sort()).toEqual(['0.0.0.0/0:443', '0.0.0.0/0:80']);
    expect(groups[svcId].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(east.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [svcId, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [albId, 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
    })]);
    // The ALB may reach the tasks only (no allow-all egress).
    const egress = Object.values(east.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({ DestinationSecurityGroupId: { 'Fn::GetAtt': [svcId, 'GroupId'] }, FromPort: 8080 })]);
  });

  test('access logs go to an SSE-S3 bucket of the region; invalid header fields are dropped', () => {
    east.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
    });
    east.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^AccessLogs') } },
      ]),
    });
    east.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('Container Insights, awslogs, and CPU target tracking between min and max', () => {
    east.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    east.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({ LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }), PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }] })],
    });
    east.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 8, ScalableDimension: 'ecs:service:DesiredCount' });
    east.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    });
  });

  test('the region\'s own name is an alias to its load balancer with EvaluateTargetHealth', () => {
    east.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'us-east-1.app.example.com.',
      Type: 'A',
      HostedZoneId: ZONE_ID,
      AliasTarget: Match.objectLike({ EvaluateTargetHealth: true, DNSName: Match.anyValue() }),
    });
    expect(service.regionalDomainName('us-west-2')).toBe('us-west-2.app.example.com');
  });

  test('no origin protection by default: no secret, no 403', () => {
    east.resourceCountIs('AWS::SecretsManager::Secret', 0);
    east.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    expect(() => service.originVerifyHeaderValue()).toThrow('`originProtection` is not set, so there is no origin-verify header: set `originProtection` to keep CloudFront the only way in');
  });

  test('alone, the service has no failover: each regional name serves its region only (RTO unbounded)', () => {
    expect(service.recoveryEstimate.rtoBounded).toBe(false);
    expect(service.recoveryEstimate.explanation).toBe('RegionalService app.example.com alone: one name per region, no failover of its own: '
      + 'RTO unbounded (each region\'s name `<region>.<domainName>` serves that region only; put `FailoverDns` (`failoverEndpoints()`) '
      + 'or an `SsrEdgeStack` (`cloudFrontOrigins()`) in front: their estimates apply); RPO 0 s (stateless: no data to lose)');
  });

  test('the target health estimate counts the ALB health checks, the assumed propagation and the 60 s ELB alias TTL', () => {
    expect(service.targetHealthEstimate.rto.toSeconds()).toBe(10 * 2 + 5 + 10 + 60);
    expect(service.targetHealthEstimate.typicalRto.toSeconds()).toBe(10 * 2 + 10 + 60);
    expect(service.targetHealthEstimate.explanation).toBe('Route 53 alias with EvaluateTargetHealth (ALB target health): RTO budget 95 s, typical 90 s = '
      + 'ALB health checks (10 s × 2) 20 s + ALB health check timeout (5 s) 5 s (typical 0 s) + target health to Route 53 DNS (EvaluateTargetHealth) 10 s [assumption] '
      + '+ alias TTL of an ELB load balancer (60 s) 60 s; RPO 0 s (stateless: no data to lose)');
  });
});
