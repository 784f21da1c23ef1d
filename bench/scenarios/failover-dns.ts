import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverDns } from '../../src/failover-dns';

export const name = 'FailoverDns';

/**
 * One stack with a `FailoverDns` over one CNAME endpoint per region, in priority order:
 * N health checks and a failover chain of N - 1 PRIMARY/SECONDARY levels.
 */
export function build(app: App, regions: string[]): void {
  const stack = new Stack(app, 'BenchFailoverDns', { env: { account: '111111111111', region: 'us-east-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  new FailoverDns(stack, 'Dns', {
    zone,
    recordName: 'api.example.com',
    endpoints: regions.map((region) => ({ region, domainName: `api-${region}.example.net` })),
  });
}
