import { addFinding, SimulationContext } from './context';
import { blockedControlPlaneCalls, canCall, stateMachineCalls, textOf } from './db-common';
import { alarmTriggers, LagCutOff, Trigger } from './db-triggers';
import { ResourceNode } from './graph';
import { SimulatedBlocker } from './types';

/*
 * The shape of an Aurora global database in an assembly: an `AWS::RDS::GlobalCluster`, its member `AWS::RDS::DBCluster`s
 * (one per region), which member writes, the managed RPO of each member, and the state machines that can fail it over.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
 */

/** One member cluster of a global database. @internal */
export interface AuroraMember {
  readonly node: ResourceNode;
  readonly region?: string;
  /**
   * `rds.global_db_rpo` of the member's cluster parameter group (Aurora PostgreSQL managed RPO), seconds.
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery
   */
  readonly managedRpo?: number;
}

/** An Aurora global database of the assembly. @internal */
export interface AuroraGlobal {
  readonly node: ResourceNode;
  /** The global cluster identifier. */
  readonly gid: string;
  readonly members: AuroraMember[];
  /** The member that writes (the primary cluster). */
  readonly writer?: AuroraMember;
  /** How the writer was told apart. */
  readonly writerHow: string;
}

/** A state machine that can fail the global database over (`rds:FailoverGlobalCluster` on it). @internal */
export interface AuroraOrchestrator {
  readonly node: ResourceNode;
  readonly region?: string;
  /** Seconds between status polls (the longest `Wait` state), 0 without one. */
  readonly pollSeconds: number;
  /** Control-plane calls that fail in this outage. */
  readonly controlPlaneBlockers: SimulatedBlocker[];
  /** EventBridge rules that start it on an alarm. */
  readonly triggers: Trigger[];
}

function managedRpoOf(ctx: SimulationContext, cluster: ResourceNode): number | undefined {
  const group = ctx.graph.target(cluster.properties.DBClusterParameterGroupName, cluster.stack);
  const value = group?.type === 'AWS::RDS::DBClusterParameterGroup' ? group.properties.Parameters?.['rds.global_db_rpo'] : undefined;
  const n = value === undefined ? NaN : Number(ctx.graph.text(value, group!.stack).text);
  return Number.isFinite(n) ? n : undefined;
}

/** The primary: the global cluster's source cluster, else the only member with master credentials, else the member that joins by a `Ref`. */
function findWriter(ctx: SimulationContext, gc: ResourceNode, members: AuroraMember[]): { writer?: AuroraMember; how: string } {
  const source = gc.properties.SourceDBClusterIdentifier;
  if (source !== undefined) {
    const r = ctx.graph.text(source, gc.stack);
    const id = r.text.split(':').pop();
    const m = members.find((x) => r.refs.includes(x.node) || textOf(ctx, x.node, x.node.properties.DBClusterIdentifier) === id);
    if (m) return { writer: m, how: 'the global cluster was created from it (SourceDBClusterIdentifier)' };
  }
  // A secondary cluster takes no master credentials: it gets the primary's data.
  const withCredentials = members.filter((m) =>
    m.node.properties.MasterUsername !== undefined || m.node.properties.ManageMasterUserPassword !== undefined);
  if (withCredentials.length === 1) return { writer: withCredentials[0], how: 'the only member with master credentials (secondaries have none)' };
  const byRef = members.filter((m) => ctx.graph.target(m.node.properties.GlobalClusterIdentifier, m.node.stack) === gc);
  if (byRef.length === 1) return { writer: byRef[0], how: 'the member that joins the global cluster by a Ref (created right after it)' };
  return { writer: members[0], how: 'assumed: the first member (nothing in the templates tells the writer apart)' };
}

/** Every Aurora global database of the assembly. @internal */
export function auroraGlobals(ctx: SimulationContext): AuroraGlobal[] {
  return ctx.graph.ofType('AWS::RDS::GlobalCluster').map((gc) => {
    const gid = textOf(ctx, gc, gc.properties.GlobalClusterIdentifier) ?? gc.logicalId;
    const members: AuroraMember[] = ctx.graph.ofType('AWS::RDS::DBCluster')
      .filter((c) => {
        const r = ctx.graph.text(c.properties.GlobalClusterIdentifier, c.stack);
        return r.refs.includes(gc) || (c.properties.GlobalClusterIdentifier !== undefined && r.text === gid);
      })
      .map((c) => ({ node: c, region: c.stack.region, managedRpo: managedRpoOf(ctx, c) }));
    const { writer, how } = findWriter(ctx, gc, members);
    if (members.length > 0 && how.startsWith('assumed')) {
      addFinding(ctx, 'warning', gc.key, `cannot tell which member of global database ${gid} writes; assumed ${writer!.node.key}`);
    }
    return { node: gc, gid, members, writer, writerHow: how };
  });
}

/** The longest `Wait` state of a state machine definition (its poll interval), seconds. @internal */
export function longestWait(definition: any): number {
  let best = 0;
  const visit = (states: any) => {
    for (const state of Object.values<any>(states ?? {})) {
      if (state?.Type === 'Wait' && typeof state.Seconds === 'number') best = Math.max(best, state.Seconds);
      for (const branch of state?.Branches ?? []) visit(branch?.States);
      visit(state?.Iterator?.States ?? state?.ItemProcessor?.States);
    }
  };
  visit(definition?.States);
  return best;
}

/**
 * The state machines of the assembly that can call `rds:FailoverGlobalCluster` on `gid` (through an `aws-sdk` task or a
 * function whose role allows it), with their poll interval and triggers.
 * @internal
 */
export function auroraOrchestrators(ctx: SimulationContext, gid: string, cutOff?: LagCutOff): AuroraOrchestrator[] {
  const out: AuroraOrchestrator[] = [];
  for (const sm of ctx.graph.ofType('AWS::StepFunctions::StateMachine')) {
    const calls = stateMachineCalls(ctx, sm);
    if (!canCall(calls, 'rds:FailoverGlobalCluster', `global-cluster:${gid}`)) continue;
    out.push({
      node: sm,
      region: sm.stack.region,
      pollSeconds: longestWait(calls.definition),
      controlPlaneBlockers: blockedControlPlaneCalls(ctx, sm, calls),
      triggers: alarmTriggers(ctx, sm, cutOff),
    });
  }
  return out;
}

/** What a trigger's input asks for: `failover` (unplanned), `switchover` (the AuroraGlobalFailover default), or unknown. @internal */
export function triggerMode(trigger: Trigger): string {
  const mode = trigger.input?.mode;
  return typeof mode === 'string' ? mode : trigger.input === undefined ? 'unknown' : 'switchover';
}

/**
 * Route 53 records that name the database: a CNAME to the global writer endpoint (read by a custom resource calling
 * `DescribeGlobalClusters` on `gid`, or built from the global cluster), or to a member's own cluster endpoint.
 * @internal
 */
export function writerRecords(ctx: SimulationContext, g: AuroraGlobal): { node: ResourceNode; name: string; ttl?: number; member?: AuroraMember }[] {
  const out: { node: ResourceNode; name: string; ttl?: number; member?: AuroraMember }[] = [];
  for (const rs of ctx.graph.ofType('AWS::Route53::RecordSet')) {
    const value = ctx.graph.text(rs.properties.ResourceRecords ?? rs.properties.AliasTarget?.DNSName, rs.stack);
    const global = value.refs.some((r) => r === g.node || ((r.type === 'Custom::AWS' || r.type === 'AWS::CloudFormation::CustomResource')
      && readsGlobalCluster(ctx, r, g.gid)));
    const member = g.members.find((m) => value.refs.includes(m.node));
    if (!global && !member) continue;
    const ttl = Number(textOf(ctx, rs, rs.properties.TTL));
    const name = textOf(ctx, rs, rs.properties.Name) ?? rs.logicalId;
    out.push({ node: rs, name, ttl: Number.isFinite(ttl) ? ttl : undefined, member: global ? undefined : member });
  }
  return out;
}

function readsGlobalCluster(ctx: SimulationContext, node: ResourceNode, gid: string): boolean {
  const call = ctx.graph.parseCall(node.properties.Create ?? node.properties.Update, node.stack);
  return !!call && /^rds$/i.test(String(call.service)) && /^describeglobalclusters$/i.test(String(call.action))
    && call.parameters?.GlobalClusterIdentifier === gid;
}
