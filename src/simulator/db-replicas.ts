import { isDown, SimulationContext } from './context';
import { longestWait } from './db-aurora';
import { arnRegion, canCall, constructPathOf, stateMachineCalls, textOf } from './db-common';
import { ResourceNode } from './graph';
import { SimulatedFlow } from './types';
import { CACHE_PROMOTION, PROMOTION_OVERHEAD } from '../global-cache/estimate';

/*
 * Single-writer replicas that only a person (or your automation) promotes:
 * - ElastiCache global datastores (`AWS::ElastiCache::GlobalReplicationGroup`, kind `cache-writer`): "If your primary
 *   cluster in a global datastore experiences degradation, you can promote a secondary cluster as your new primary
 *   cluster" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html) with
 *   `FailoverGlobalReplicationGroup` (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_FailoverGlobalReplicationGroup.html).
 *   AWS publishes no bound on the promotion; AWS's disaster recovery workshop gives "RTO: 1 minute, RPO: Generally less
 *   than 1 second" (https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html), a
 *   typical figure, so no worst case is given.
 * - RDS cross-region read replicas (`AWS::RDS::DBInstance` with `SourceDBInstanceIdentifier` in another region, kind
 *   `database-writer`): `PromoteReadReplica`; "The promotion process can take several minutes or longer to complete,
 *   depending on the size of the read replica" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html):
 *   no figure, and clients must then be pointed at the promoted instance's own endpoint.
 */

const EC_DOC = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html';
const RDS_PROMOTE_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html';

/** The `cache-writer` flow of each ElastiCache global datastore. @internal */
export function cacheFlows(ctx: SimulationContext): SimulatedFlow[] {
  return ctx.graph.ofType('AWS::ElastiCache::GlobalReplicationGroup').map((g) => {
    const members = (Array.isArray(g.properties.Members) ? g.properties.Members : []).map((m: any) => ({
      id: textOf(ctx, g, m?.ReplicationGroupId) ?? '?',
      region: textOf(ctx, g, m?.ReplicationGroupRegion) ?? g.stack.region,
      primary: textOf(ctx, g, m?.Role) === 'PRIMARY',
    }));
    // Secondaries that join by `GlobalReplicationGroupId` (in their own region's stack; GlobalCache hands them the
    // AWS-prefixed id through an SSM parameter its primary stack writes there).
    for (const rg of ctx.graph.ofType('AWS::ElastiCache::ReplicationGroup')) {
      if (rg.properties.GlobalReplicationGroupId === undefined) continue;
      if (!ctx.graph.text(rg.properties.GlobalReplicationGroupId, rg.stack).refs.includes(g)) continue;
      const id = textOf(ctx, rg, rg.properties.ReplicationGroupId) ?? rg.logicalId;
      if (!members.some((m: any) => m.id === id && m.region === rg.stack.region)) members.push({ id, region: rg.stack.region, primary: false });
    }
    const primary = members.find((m: any) => m.primary) ?? members[0];
    const name = textOf(ctx, g, g.properties.GlobalReplicationGroupIdSuffix) ?? g.logicalId;
    const base: SimulatedFlow = {
      id: `cache-writer:${g.key}`,
      kind: 'cache-writer',
      name: `ElastiCache global datastore ${name}`,
      impacted: false,
      fromRegion: primary?.region,
      blockedBy: [],
      timeline: [],
      constructPath: constructPathOf(g),
    };
    if (!primary || !isDown(ctx, primary.region)) {
      const lost = members.filter((m: any) => m !== primary && isDown(ctx, m.region));
      return { ...base, timeline: lost.map((m: any) => ({ t: 0, event: `secondary ${m.id} in ${m.region} lost: its reads stop; the primary in ${primary?.region} keeps writing` })) };
    }
    const target = members.find((m: any) => m !== primary && !isDown(ctx, m.region));
    if (!target) return { ...base, impacted: true, blockedBy: [{ resource: g.key, reason: 'no secondary cluster survives' }], timeline: [] };
    const promoter = cachePromoter(ctx, target.region);
    // After a person starts the promotion: the library's assumptions (GlobalCache's estimate uses the same): pre-checks and
    // the API call, the promotion itself (AWS publishes no bound), and the promoter's poll interval.
    const afterManual = PROMOTION_OVERHEAD.toSeconds() + CACHE_PROMOTION.toSeconds() + (promoter?.poll ?? 0);
    return {
      ...base,
      impacted: true,
      toRegion: target.region,
      afterManualStepSeconds: afterManual,
      blockedBy: [{ resource: g.key, reason: `a person or your automation must call FailoverGlobalReplicationGroup to promote ${target.id} in ${target.region} (${EC_DOC})` }],
      timeline: [
        { t: 0, phase: 'failing', region: primary.region, event: `primary cluster ${primary.id} in ${primary.region} lost: writes fail; writes not yet replicated (asynchronous) are lost` },
        { t: 0, event: `waiting for FailoverGlobalReplicationGroup to ${target.region}: AWS publishes no bound on the promotion (AWS's DR workshop: RTO about 1 minute, typical)` },
        {
          t: 0,
          event: `once started${promoter ? ` (state machine ${promoter.node.key})` : ''}: ${PROMOTION_OVERHEAD.toSeconds()} s pre-checks + ${CACHE_PROMOTION.toSeconds()} s promotion [assumption]`
            + `${promoter?.poll ? ` + ${promoter.poll} s poll interval` : ''} = ${afterManual} s worst`,
        },
      ],
    };
  });
}

/** The `database-writer` flow of each RDS read replica whose source is in another region. @internal */
export function readReplicaFlows(ctx: SimulationContext): SimulatedFlow[] {
  const out: SimulatedFlow[] = [];
  for (const db of ctx.graph.ofType('AWS::RDS::DBInstance')) {
    if (db.properties.SourceDBInstanceIdentifier === undefined) continue;
    const source = ctx.graph.text(db.properties.SourceDBInstanceIdentifier, db.stack);
    const sourceNode = source.refs.find((r) => r.type === 'AWS::RDS::DBInstance');
    const sourceRegion = textOf(ctx, db, db.properties.SourceRegion) ?? arnRegion(source.text) ?? sourceNode?.stack.region;
    if (!sourceRegion || !db.stack.region || sourceRegion === db.stack.region) continue;
    const name = textOf(ctx, db, db.properties.DBInstanceIdentifier) ?? db.logicalId;
    const base: SimulatedFlow = {
      id: `database-writer:${db.key}`,
      kind: 'database-writer',
      name: `RDS cross-region read replica ${name} (source in ${sourceRegion})`,
      impacted: false,
      fromRegion: sourceRegion,
      blockedBy: [],
      timeline: [],
      constructPath: constructPathOf(db),
    };
    if (isDown(ctx, db.stack.region)) {
      out.push({ ...base, timeline: [{ t: 0, event: `replica ${name} in ${db.stack.region} lost: its reads stop; the source in ${sourceRegion} keeps writing` }] });
    } else if (isDown(ctx, sourceRegion)) {
      out.push({
        ...base,
        impacted: true,
        toRegion: db.stack.region,
        blockedBy: [{ resource: db.key, reason: `a person must call PromoteReadReplica on ${name} in ${db.stack.region}, then point clients at its endpoint (${RDS_PROMOTE_DOC})` }],
        timeline: [
          { t: 0, phase: 'failing', region: sourceRegion, event: `source instance in ${sourceRegion} lost: writes fail; changes not yet replicated (asynchronous) are lost` },
          { t: 0, event: 'waiting for PromoteReadReplica: RDS reboots the replica; AWS: "several minutes or longer … depending on the size of the read replica" (no figure)' },
        ],
      });
    } else {
      out.push(base);
    }
  }
  return out;
}

/** A state machine in `region` that can call `elasticache:FailoverGlobalReplicationGroup`, with its poll interval. */
function cachePromoter(ctx: SimulationContext, region: string): { node: ResourceNode; poll: number } | undefined {
  for (const sm of ctx.graph.ofType('AWS::StepFunctions::StateMachine')) {
    if (sm.stack.region !== region) continue;
    const calls = stateMachineCalls(ctx, sm);
    if (canCall(calls, 'elasticache:FailoverGlobalReplicationGroup')) return { node: sm, poll: longestWait(calls.definition) };
  }
  return undefined;
}
