import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { build, template } from './helpers';
import { IRegionalVpcProvider } from '../../src/aurora-global-failover';

describe('RegionalService options', () => {
  test('your VPC per region (no VPC or flow log of ours), your certificates, a stricter TLS policy, no access log bucket', () => {
    const seen: string[] = [];
    const provider: IRegionalVpcProvider = {
      vpcForRegion(scope: Construct, region: string): ec2.IVpc {
        seen.push(region);
        return new ec2.Vpc(scope, 'MyVpc', { maxAzs: 2, natGateways: 1 });
      },
    };
    const { service } = build({
      vpcProvider: provider,
      certificateArns: {
        'us-east-1': 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111',
        'us-west-2': 'arn:aws:acm:us-west-2:111111111111:certificate/22222222-2222-2222-2222-222222222222',
      },
      sslPolicy: elbv2.SslPolicy.TLS13_13_PQ,
      accessLogs: false,
    });
    expect(seen).toEqual(['us-east-1', 'us-west-2']);
    const west = template(service, 'us-west-2');
    west.resourceCountIs('AWS::EC2::VPC', 1);
    west.resourceCountIs('AWS::EC2::FlowLog', 0);
    west.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    west.resourceCountIs('AWS::S3::Bucket', 0);
    west.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-west-2:111111111111:certificate/22222222-2222-2222-2222-222222222222' }],
    });
  });

  test('health check settings, task size, counts and alarm topics', () => {
    const { service } = build({
      healthCheck: { interval: Duration.seconds(30), timeout: Duration.seconds(10), unhealthyThresholdCount: 3, healthyThresholdCount: 5, healthyHttpCodes: '200-299' },
      cpu: 1024,
      memoryLimitMiB: 3072,
      desiredCount: 3,
      minCapacity: 2,
      maxCapacity: 6,
      cpuTargetUtilization: 50,
      alarmTopicArns: { 'us-west-2': 'arn:aws:sns:us-west-2:111111111111:ops' },
    });
    const west = template(service, 'us-west-2');
    west.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 10, UnhealthyThresholdCount: 3, HealthyThresholdCount: 5, Matcher: { HttpCode: '200-299' },
    });
    west.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '3072' });
    west.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    west.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
    west.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: ['arn:aws:sns:us-west-2:111111111111:ops'],
    });
    template(service, 'us-east-1').hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
    // 30 s × 3 + 10 s timeout + 10 s propagation + 60 s ELB alias TTL.
    expect(service.targetHealthEstimate.rto.toSeconds()).toBe(170);
  });
});
