import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MultiRegionApi, MultiRegionApiProps } from '../../src/multi-region-api';

export const ACCOUNT = '111111111111';

/** Customer managed keys of the test table, per region. */
export const KEYS = {
  'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111',
  'us-west-2': 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222',
};

/** A two-region MultiRegionApi (us-east-1, us-west-2) at `api.example.com` with `overrides` applied. */
export function buildApi(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApi {
  return new MultiRegionApi(new App(), 'Api', {
    account: ACCOUNT,
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    recordName: 'api',
    ...overrides,
  });
}

/**
 * Asserts that `t` has the `HealthCheckStatus` alarm of `region` (Minimum < 1 over one 1-minute period: unhealthy; no
 * data, the check is gone, alarms too) on the health check id read from that region's SSM parameter.
 */
export function expectHealthCheckStatusAlarm(t: Template, region: string, prefix = 'api-example-com', recordName = 'api.example.com'): void {
  const name = `/cdk-multi-region-failover/${prefix}/api/${region}/health-check-id`;
  const parameters = Object.keys(t.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<String>', Default: name }));
  expect(parameters).toHaveLength(1);
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/Route53',
    MetricName: 'HealthCheckStatus',
    Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: parameters[0] } }],
    Statistic: 'Minimum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
    AlarmDescription: `Route 53 health check of the ${region} endpoint of ${recordName} is failing: traffic fails over away from ${region}`,
  });
}
