import { SimulationContext } from '../context';
import { auroraGlobals } from '../db-aurora';
import { auroraFlow } from '../db-aurora-flow';
import { dynamoFlows } from '../db-dynamodb';
import { cacheFlows, readReplicaFlows } from '../db-replicas';
import { SimulatedFlow } from '../types';

export { isDatabaseEndpoint } from '../db-common';

/**
 * The data tiers: Aurora global databases (writer region, failover orchestrators, managed RPO, global writer endpoint),
 * DynamoDB global tables (MREC / MRSC), RDS cross-region read replicas (kind `database-writer`) and ElastiCache global
 * datastores (kind `cache-writer`). Each model cites its AWS page in its file (db-*.ts).
 * @internal
 */
export function databaseFlows(ctx: SimulationContext): SimulatedFlow[] {
  const aurora = auroraGlobals(ctx).map((g) => auroraFlow(ctx, g)).filter((f): f is SimulatedFlow => f !== undefined);
  return [...aurora, ...dynamoFlows(ctx), ...readReplicaFlows(ctx), ...cacheFlows(ctx)];
}
