import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { build } from './helpers';
import { RegionalService, RegionalServiceProps } from '../../src/regional-service';
import { nagErrors } from '../util/nag';

describe('RegionalService validation', () => {
  test.each<[string, Partial<RegionalServiceProps>, string]>([
    ['one region', { regions: ['us-east-1'] }, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    ['cpu', { cpu: 300 }, '`cpu` must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate task sizes, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size), got: 300'],
    ['memory for 256', { memoryLimitMiB: 4096 }, '`memoryLimitMiB` must be a Fargate memory size for `cpu` 256 (512, 1024, 2048 MiB), got: 4096'],
    ['memory for 1024', { cpu: 1024, memoryLimitMiB: 1024 }, '`memoryLimitMiB` must be a Fargate memory size for `cpu` 1024 (2048 to 8192 in steps of 1024 MiB), got: 1024'],
    ['min 0', { minCapacity: 0 }, '`minCapacity` must be an integer from 1 to 1000 (a region without a task is unhealthy and fails over), got: 0'],
    ['desired above max', { desiredCount: 5, maxCapacity: 4, minCapacity: 1 }, '`desiredCount` must be from `minCapacity` (1) to `maxCapacity` (4), got: 5'],
    ['port', { containerPort: 70000 }, '`containerPort` must be an integer from 1 to 65535, got: 70000'],
    ['health path', { healthCheckPath: 'health' }, '`healthCheckPath` must start with "/" and be at most 1024 characters, got: health'],
    ['interval', { healthCheck: { interval: Duration.seconds(3) } }, '`healthCheck.interval` must be a whole number of seconds from 5 to 300, got: 3 s'],
    ['timeout ≥ interval', { healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }, '`healthCheck.timeout` must be shorter than `healthCheck.interval` (10 s), got: 10 s'],
    ['threshold', { healthCheck: { unhealthyThresholdCount: 1 } }, '`healthCheck.unhealthyThresholdCount` must be an integer from 2 to 10, got: 1'],
    ['cpu target', { cpuTargetUtilization: 95 }, '`cpuTargetUtilization` must be an integer from 10 to 90, got: 95'],
    ['domain outside the zone', { domainName: 'app.example.org' }, '`domainName` must be in the hosted zone example.com (the zone validates its certificates and holds its regional names), got: app.example.org'],
    ['certificate per region', { certificateArns: { 'us-east-1': 'arn:aws:acm:us-east-1:111111111111:certificate/abc' } }, '`certificateArns` must have a certificate ARN for every region, got none for: us-west-2'],
    ['header name', { originProtection: { headerName: 'X Origin' } }, '`originProtection.headerName` must be an HTTP header name of 1 to 40 characters (ALB\'s limit), got: X Origin'],
    ['NAT gateways', { natGateways: 0 }, '`natGateways` must be an integer from 1 to 2 (the VPC has 2 AZs; the tasks need egress), got: 0'],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('inside a Stack', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(() => new RegionalService(stack, 'Web', {
      account: '111111111111',
      regions: ['us-east-1', 'us-west-2'],
      hostedZoneId: 'Z1',
      zoneName: 'example.com',
      domainName: 'app.example.com',
      image: ecs.ContainerImage.fromRegistry('nginx'),
    })).toThrow('RegionalService creates one Stack per region and must be created under an App or a Stage, not inside the Stack S');
  });

  test('an unknown region name', () => {
    expect(() => build({ regions: ['us-east-1', 'xx-north-1'] }).service.regionalResources('eu-west-1'))
      .toThrow('`region` must be one of the regions of this service (us-east-1, xx-north-1), got: eu-west-1');
  });
});

describe('RegionalService cdk-nag', () => {
  test.each<[string, Partial<RegionalServiceProps>]>([
    ['defaults', {}],
    ['origin protection, environment', { originProtection: {}, environment: { LOG_LEVEL: 'info' } }],
  ])('%s: no unsuppressed AwsSolutions errors in any stack', (_name, props) => {
    const { service } = build(props);
    for (const stack of service.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });
});
