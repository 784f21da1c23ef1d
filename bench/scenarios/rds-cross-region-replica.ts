import { App } from 'aws-cdk-lib';
import { RdsCrossRegionReplica } from '../../src/rds-cross-region-replica';

export const name = 'RdsCrossRegionReplica';

/**
 * RDS for PostgreSQL over `regions` (the first holds the primary; 1 to 5 encrypted cross-Region read replicas, as many as
 * the list holds) with the writer DNS name that follows the promoted replica (health checks, watcher, writer stack).
 */
export function build(app: App, regions: string[]): void {
  new RdsCrossRegionReplica(app, 'RdsCrossRegionReplica', {
    account: '111111111111',
    regions: regions.slice(0, 6),
    instanceIdentifier: 'orders',
    writerDnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com', recordName: 'writer.orders.example.com' },
  });
}
