import { App } from 'aws-cdk-lib';
import { AuroraGlobalFailover } from '../../src/aurora-global-failover';

export const name = 'AuroraGlobalFailover';

/**
 * An Aurora PostgreSQL global database over `regions` (the first is the primary; 1 to 5 secondaries,
 * as many as the list holds) with alarms, a writer CNAME and automatic failover to the first secondary.
 */
export function build(app: App, regions: string[]): void {
  new AuroraGlobalFailover(app, 'AuroraGlobalFailover', {
    account: '111111111111',
    regions: regions.slice(0, 6),
    writerCpuThreshold: 80,
    writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'writer.db.example.com' },
    // The independent "primary is down" signal must be an alarm in the target (first secondary) region.
    autoFailover: { primaryHealthAlarmArn: `arn:aws:cloudwatch:${regions[1]}:111111111111:alarm:primary-health` },
  });
}
