import { addFinding, isDown, SimulationContext } from './context';
import { constructPathOf, textOf } from './db-common';
import { ResourceNode } from './graph';
import { SimulatedEvent, SimulatedFlow } from './types';

/*
 * DynamoDB global tables (kind `database-writer`), "How DynamoDB global tables work"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html):
 * - MREC (multi-Region eventual consistency, the default): every replica accepts writes; changes are "typically"
 *   replicated "within a second or less"; "In the unlikely event a replica in an MREC global table becomes isolated or
 *   impaired, any data not yet replicated to other Regions will be replicated when the replica becomes healthy".
 *   Losing a region: writes go on at once in every other replica; the lost region's unreplicated writes are late (not
 *   seen elsewhere until it recovers; last writer wins on conflicts).
 * - MRSC (multi-Region strong consistency): exactly three members, "either three replicas, or with two replicas and one
 *   witness" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-globaltablewitness.html);
 *   a write is synchronously replicated to another member before it succeeds (RPO zero), so writes need two of the
 *   three: losing one member keeps strong writes going in the surviving replicas; the isolated replica refuses them.
 * A table defined with `AWS::DynamoDB::Table` and CDK's `Custom::DynamoDBReplica` resources (the older `Table`
 * `replicationRegions`) is MREC.
 */

const GT_DOC = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html';

/** A global table of the assembly. */
interface GlobalTable {
  readonly node: ResourceNode;
  readonly name: string;
  readonly replicas: string[];
  readonly witnesses: string[];
  readonly strong: boolean;
}

/** The `Region` of each entry of a list property (`Replicas`, `GlobalTableWitnesses`). */
function regionsOf(ctx: SimulationContext, t: ResourceNode, list: any): string[] {
  return (Array.isArray(list) ? list : []).map((r: any) => textOf(ctx, t, r?.Region)).filter((r: any): r is string => !!r);
}

function globalTables(ctx: SimulationContext): GlobalTable[] {
  const out: GlobalTable[] = [];
  for (const t of ctx.graph.ofType('AWS::DynamoDB::GlobalTable')) {
    const replicas = regionsOf(ctx, t, t.properties.Replicas);
    const witnesses = regionsOf(ctx, t, t.properties.GlobalTableWitnesses);
    const strong = textOf(ctx, t, t.properties.MultiRegionConsistency) === 'STRONG';
    out.push({ node: t, name: textOf(ctx, t, t.properties.TableName) ?? t.logicalId, replicas, witnesses, strong });
  }
  for (const t of ctx.graph.ofType('AWS::DynamoDB::Table')) {
    const extra = ctx.graph.ofType('Custom::DynamoDBReplica')
      .filter((r) => ctx.graph.text(r.properties.TableName, r.stack).refs.includes(t))
      .map((r) => textOf(ctx, r, r.properties.Region)).filter((r): r is string => !!r);
    if (extra.length && t.stack.region) {
      const name = textOf(ctx, t, t.properties.TableName) ?? t.logicalId;
      out.push({ node: t, name, replicas: [t.stack.region, ...extra], witnesses: [], strong: false });
    }
  }
  return out;
}

function tableFlow(ctx: SimulationContext, t: GlobalTable): SimulatedFlow {
  const home = t.node.stack.region;
  const lost = t.replicas.filter((r) => isDown(ctx, r));
  const witnessLost = t.witnesses.filter((r) => isDown(ctx, r));
  const alive = t.replicas.filter((r) => !isDown(ctx, r));
  const base: SimulatedFlow = {
    id: `database-writer:${t.node.key}`,
    kind: 'database-writer',
    name: `DynamoDB global table ${t.name} (${t.strong ? 'MRSC' : 'MREC'}: ${[...t.replicas, ...t.witnesses.map((w) => `${w} witness`)].join(', ')})`,
    impacted: false,
    fromRegion: home && t.replicas.includes(home) ? home : t.replicas[0],
    blockedBy: [],
    timeline: [],
    constructPath: constructPathOf(t.node),
  };
  if (t.strong && t.replicas.length + t.witnesses.length !== 3) {
    addFinding(ctx, 'error', t.node.key, `an MRSC global table has exactly three members (three replicas, or two and a witness), got: ${t.replicas.length} replicas and ${t.witnesses.length} witnesses (${GT_DOC})`);
  }
  const events: SimulatedEvent[] = [];
  if (home && isDown(ctx, home)) {
    events.push({ t: 0, event: `the table's stack is in ${home}: CloudFormation cannot change it (replicas cannot be added or removed) until ${home} returns; reads and writes are not affected by that` });
  }
  if (witnessLost.length) {
    events.push({ t: 0, event: `witness ${witnessLost.join(', ')} lost: the two replicas still form a majority, strong writes go on` });
  }
  if (!lost.length) return { ...base, timeline: events };
  const to = alive.includes(home ?? '') ? home : alive[0];
  events.unshift({
    t: 0,
    phase: 'failing',
    region: lost[0],
    event: t.strong
      ? `replica in ${lost.join(', ')} lost: it refuses strongly consistent writes; no acknowledged write is lost (MRSC replicates synchronously)`
      : `replica in ${lost.join(', ')} lost: its writes not yet replicated (typically under 1 s of writes) stay there until it recovers, then replicate (last writer wins)`,
  });
  if (!alive.length) {
    return { ...base, impacted: true, blockedBy: [{ resource: t.node.key, reason: 'no replica survives' }], timeline: events };
  }
  const members = t.replicas.length + t.witnesses.length;
  const left = alive.length + t.witnesses.filter((w) => !isDown(ctx, w)).length;
  if (t.strong && left * 2 <= members) {
    return { ...base, impacted: true, blockedBy: [{ resource: t.node.key, reason: `only ${left} of ${members} MRSC members survive: no majority for strong writes` }], timeline: events };
  }
  events.push({
    t: 0,
    phase: 'recovered',
    region: to,
    event: t.strong
      ? `strong writes go on at once in ${alive.join(', ')} (${left} of ${members} members: a majority)`
      : `writes go on at once in ${alive.join(', ')} (every MREC replica accepts writes); clients must send them there`,
  });
  // The impacted flow is the writes that went to the lost replica: they move to a surviving one.
  return { ...base, impacted: true, fromRegion: lost[0], toRegion: to, recoveredAtSeconds: 0, typicalSeconds: 0, timeline: events };
}

/** The `database-writer` flow of each DynamoDB global table. @internal */
export function dynamoFlows(ctx: SimulationContext): SimulatedFlow[] {
  return globalTables(ctx).map((t) => tableFlow(ctx, t));
}
