import { App } from 'aws-cdk-lib';
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
