import { addFinding, isDown, SimulationContext } from './context';
import { arcPlanRoutes } from './db-arc';
import { AuroraGlobal, AuroraMember, auroraOrchestrators, AuroraOrchestrator, triggerMode, writerRecords } from './db-aurora';
import { constructPathOf, textOf } from './db-common';
import { FireTime, LagCutOff } from './db-triggers';
import { ResourceNode } from './graph';
import { SimulatedBlocker, SimulatedEvent, SimulatedFlow } from './types';
import { GLOBAL_ENDPOINT_DNS_CACHE, ORCHESTRATION_OVERHEAD } from '../aurora-global-failover/estimate';
import { RecoveryModel } from '../core/recovery';

/*
 * Aurora global database flows (kind `database-writer`). AWS Aurora user guide, "Using switchover or failover in Amazon
 * Aurora Global Database" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
 * - a switchover (`SwitchoverGlobalCluster`, no data loss) is for "controlled environments" where every region is
 *   healthy; losing the primary's region needs a failover (`FailoverGlobalCluster` with `AllowDataLoss`), which "can
 *   result in a loss of write transaction data that wasn't replicated to the chosen secondary"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html);
 * - promotion: "Typically, the chosen secondary cluster assumes the primary role within a few minutes"; no bound is
 *   published, so the worst case is this library's assumption `RecoveryModel.AURORA_PROMOTION` (5 min), typical
 *   `AURORA_PROMOTION_TYPICAL` (2 min), the figures of `AuroraGlobalFailover.recoveryEstimate`;
 * - the global writer endpoint "always points to the writer DB instance in the current primary cluster"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalCluster.html); clients cache its DNS answer
 *   (`GLOBAL_ENDPOINT_DNS_CACHE`, 5 s, AWS's advice);
 * - managed RPO (`rds.global_db_rpo`, Aurora PostgreSQL): commits on the primary block while no secondary is within the
 *   RPO; with two regions AWS advises keeping the default on the secondary, "Otherwise, performing a failover due to a
 *   loss of the primary AWS Region could cause Aurora to pause transactions"
 *   (…/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery).
 */

const PROMOTION = RecoveryModel.AURORA_PROMOTION.toSeconds();
const PROMOTION_TYPICAL = RecoveryModel.AURORA_PROMOTION_TYPICAL.toSeconds();
const OVERHEAD = ORCHESTRATION_OVERHEAD.toSeconds();
const DNS_CACHE = GLOBAL_ENDPOINT_DNS_CACHE.toSeconds();

/** One term after the failover starts. */
interface Step { readonly label: string; readonly worst: number; readonly typical: number; readonly phase?: string }

/** One way to move the writer to `member`: who starts it, and what follows. */
interface Route {
  readonly member: AuroraMember;
  readonly region: string;
  /** The state machine or plan that runs it; undefined = a person calls FailoverGlobalCluster. */
  readonly via?: ResourceNode;
  readonly what: string;
  readonly steps: Step[];
  /** When something starts it by itself. */
  readonly start?: FireTime;
  /** The trigger that starts it. */
  readonly startedBy?: ResourceNode;
  /** Why it needs a person (or cannot work). */
  readonly blockers: SimulatedBlocker[];
  /** It cannot move the writer at all (dead control plane, switchover only). */
  readonly impossible?: boolean;
}

const sum = (steps: Step[], k: 'worst' | 'typical') => steps.reduce((acc, s) => acc + s[k], 0);

function promotionSteps(): Step[] {
  return [
    { label: `Aurora promotion (assumption: worst ${PROMOTION} s, typical ${PROMOTION_TYPICAL} s; AWS: "within a few minutes")`, worst: PROMOTION, typical: PROMOTION_TYPICAL, phase: 'promotion' },
  ];
}

const dnsStep: Step = { label: `clients' DNS cache of the global writer endpoint (${DNS_CACHE} s, assumption)`, worst: DNS_CACHE, typical: DNS_CACHE };

function orchestratorRoute(o: AuroraOrchestrator, member: AuroraMember, region: string): Route {
  const steps: Step[] = [
    { label: `pre-checks and FailoverGlobalCluster call (${OVERHEAD} s, assumption)`, worst: OVERHEAD, typical: OVERHEAD, phase: 'promotion' },
    ...promotionSteps(),
    ...(o.pollSeconds > 0 ? [{ label: `the orchestrator's next status poll (${o.pollSeconds} s)`, worst: o.pollSeconds, typical: o.pollSeconds }] : []),
    dnsStep,
  ];
  const blockers: SimulatedBlocker[] = [...o.controlPlaneBlockers];
  const usable = o.triggers.filter((t) => {
    const mode = triggerMode(t);
    const target = t.input?.targetRegion;
    return mode === 'failover' && (target === undefined || target === region);
  });
  const started = usable.filter((t) => t.fire.worst !== undefined).sort((a, b) => a.fire.worst! - b.fire.worst!)[0];
  for (const t of o.triggers) {
    if (triggerMode(t) !== 'failover') {
      blockers.push({ resource: t.rule.key, reason: `it starts a ${triggerMode(t)}, which needs every region healthy: no use when the writer's region is down` });
    } else if (t.fire.worst === undefined) {
      blockers.push(...t.fire.blockedBy);
    }
  }
  if (!started) {
    blockers.push({ resource: o.node.key, reason: `a person must start the failover state machine in ${region} with {"mode":"failover","targetRegion":"${region}"}: no alarm or EventBridge rule starts it` });
  }
  return {
    member,
    region,
    via: o.node,
    what: `state machine ${o.node.key}`,
    steps,
    start: started && o.controlPlaneBlockers.length === 0 ? started.fire : undefined,
    startedBy: started?.rule,
    blockers: started && o.controlPlaneBlockers.length === 0 ? [] : blockers,
    impossible: o.controlPlaneBlockers.length > 0,
  };
}

function routesTo(ctx: SimulationContext, g: AuroraGlobal, member: AuroraMember, orchestrators: AuroraOrchestrator[], cutOff: LagCutOff): Route[] {
  const region = member.region!;
  const routes: Route[] = orchestrators.filter((o) => o.region === region).map((o) => orchestratorRoute(o, member, region));
  for (const r of arcPlanRoutes(ctx, g.gid, region, cutOff)) {
    const blockers: SimulatedBlocker[] = [];
    if (r.unusable) blockers.push({ resource: r.plan.key, reason: r.unusable });
    if (!r.canFailOver) blockers.push({ resource: r.plan.key, reason: 'its Aurora step only switches over (behavior switchoverOnly, no ungraceful failover): a switchover needs every region healthy' });
    for (const a of r.approvals) blockers.push({ resource: r.plan.key, reason: `its manual approval step "${a}" waits for a person` });
    if (r.timeoutMinutes * 60 < PROMOTION) {
      addFinding(ctx, 'warning', r.plan.key, `the Aurora step's timeout (${r.timeoutMinutes} min) is shorter than the assumed worst-case promotion (${PROMOTION} s)`);
    }
    const auto = r.trigger?.worst !== undefined && blockers.length === 0;
    if (!r.trigger) blockers.push({ resource: r.plan.key, reason: `a person must execute the Region switch plan (activate ${region}, ungraceful): no trigger starts it` });
    else if (r.trigger.worst === undefined) blockers.push(...r.trigger.blockedBy);
    routes.push({
      member,
      region,
      via: r.plan,
      what: `Region switch plan ${r.plan.key} (executed from ${region})`,
      steps: [...promotionSteps(), dnsStep],
      start: auto ? r.trigger : undefined,
      startedBy: auto ? r.plan : undefined,
      blockers: auto ? [] : blockers,
      impossible: !!r.unusable || !r.canFailOver,
    });
  }
  routes.push({
    member,
    region,
    what: `a person calling FailoverGlobalCluster (AllowDataLoss) in ${region}`,
    steps: [...promotionSteps(), dnsStep],
    blockers: [{ resource: g.node.key, reason: `nothing in the assembly fails ${g.gid} over to ${region}: a person must call FailoverGlobalCluster with AllowDataLoss in ${region}` }],
  });
  return routes;
}

/** The best way out: the earliest automatic route; else the first manual one (a state machine before a plan before the bare API). */
function bestRoute(routes: Route[]): Route | undefined {
  const auto = routes.filter((r) => r.start?.worst !== undefined && !r.impossible)
    .sort((a, b) => (a.start!.worst! + sum(a.steps, 'worst')) - (b.start!.worst! + sum(b.steps, 'worst')))[0];
  return auto ?? routes.find((r) => !r.impossible);
}

function rpoText(writer: AuroraMember): string {
  return writer.managedRpo !== undefined
    ? `bounded by managed RPO: at most ${writer.managedRpo} s (rds.global_db_rpo on ${writer.node.key})`
    : 'RPO unbounded, typically under 1 s (asynchronous storage replication)';
}

/** Events common to every outage of the writer's region. */
function writerLostEvents(ctx: SimulationContext, g: AuroraGlobal, writer: AuroraMember, orchestrators: AuroraOrchestrator[]): SimulatedEvent[] {
  const events: SimulatedEvent[] = [
    { t: 0, phase: 'failing', region: writer.region, event: `writer region ${writer.region} down: writes to ${g.gid} fail; commits not yet replicated are lost by a failover (${rpoText(writer)})` },
    { t: 0, event: 'SwitchoverGlobalCluster (planned, no data loss) is impossible: it needs every region healthy; only FailoverGlobalCluster with AllowDataLoss moves the writer' },
  ];
  for (const o of orchestrators) {
    events.push({ t: 0, event: isDown(ctx, o.region) ? `orchestrator ${o.node.key} in ${o.region} is down with its region` : `orchestrator ${o.node.key} in ${o.region} is up` });
  }
  return events;
}

function recordEvents(ctx: SimulationContext, g: AuroraGlobal, writer: AuroraMember): { events: SimulatedEvent[]; blockers: SimulatedBlocker[] } {
  const events: SimulatedEvent[] = [];
  const blockers: SimulatedBlocker[] = [];
  for (const r of writerRecords(ctx, g)) {
    if (!r.member) {
      events.push({ t: 0, event: `${r.name} CNAME → global writer endpoint${r.ttl !== undefined ? ` (TTL ${r.ttl} s)` : ''}: the record never changes (Aurora moves the endpoint), Route 53 keeps answering it from its data plane` });
    } else if (r.member === writer) {
      const cp = isDown(ctx, 'us-east-1') ? ' (Route 53\'s control plane, us-east-1, is down: impossible until it returns)' : '';
      blockers.push({ resource: r.node.key, reason: `${r.name} names the old writer's cluster endpoint: after the failover it must be changed (ChangeResourceRecordSets)${cp}` });
    }
  }
  return { events, blockers };
}

/** The flow when the writer's region is down. */
function writerLostFlow(ctx: SimulationContext, g: AuroraGlobal, writer: AuroraMember, base: SimulatedFlow): SimulatedFlow {
  // The surviving secondaries' replication-lag metrics grow or stop: alarms on them can start a failover.
  const survivors = new Set(g.members.filter((m) => m !== writer && !isDown(ctx, m.region))
    .map((m) => textOf(ctx, m.node, m.node.properties.DBClusterIdentifier)));
  const cutOff: LagCutOff = (id) => survivors.has(id);
  const orchestrators = auroraOrchestrators(ctx, g.gid, cutOff);
  const events = writerLostEvents(ctx, g, writer, orchestrators);
  const records = recordEvents(ctx, g, writer);
  events.push(...records.events);
  const candidates = g.members.filter((m) => m !== writer && m.region && !isDown(ctx, m.region));
  const routes = candidates.flatMap((m) => routesTo(ctx, g, m, orchestrators, cutOff));
  const route = bestRoute(routes);
  if (!route) {
    return { ...base, blockedBy: [{ resource: g.node.key, reason: 'no secondary region survives: nothing to fail over to' }], timeline: events };
  }
  const others = g.members.filter((m) => m !== writer && m !== route.member && m.region && !isDown(ctx, m.region));
  const frozen: SimulatedBlocker[] = route.member.managedRpo !== undefined && others.length === 0
    ? [{ resource: route.member.node.key, reason: `rds.global_db_rpo (${route.member.managedRpo} s) is set on the new primary ${route.region} and no secondary is reachable: Aurora pauses its transactions (AWS advises keeping the default on the secondary of a two-region global database); reset the parameter` }]
    : [];
  if (frozen.length) addFinding(ctx, 'error', route.member.node.key, frozen[0].reason);
  const steps = route.steps;
  const afterWorst = sum(steps, 'worst');
  const afterTypical = sum(steps, 'typical');
  const terms = steps.map((s) => `${s.worst} s`).join(' + ');
  if (route.start?.worst === undefined || frozen.length || records.blockers.length) {
    events.push({ t: 0, event: `waiting for a person: ${route.what} moves the writer to ${route.region}; from the start ${terms} = ${afterWorst} s worst (typical ${afterTypical} s)` });
    return {
      ...base,
      toRegion: route.region,
      // Why the state machines and plans that cannot move the writer do not help (control planes down, switchover only).
      blockedBy: [
        ...route.blockers,
        ...routes.filter((r) => r.impossible && r.region === route.region).flatMap((r) => r.blockers),
        ...frozen,
        ...records.blockers,
      ],
      afterManualStepSeconds: frozen.length || records.blockers.length ? undefined : afterWorst,
      timeline: events,
    };
  }
  const d = route.start.worst;
  const dTypical = route.start.typical ?? d;
  events.push(...route.start.events);
  events.push({ t: d, phase: 'detection', event: `${route.startedBy?.key ?? route.what} starts the failover to ${route.region}` });
  let t = d;
  for (const s of steps) {
    events.push({ t, event: `${s.label}`, ...(s.phase ? { phase: s.phase } : {}) });
    t += s.worst;
  }
  events.push({ t, phase: 'recovered', region: route.region, event: `writes served by ${route.member.node.key} in ${route.region} through the global writer endpoint` });
  return {
    ...base,
    toRegion: route.region,
    recoveredAtSeconds: d + afterWorst,
    typicalSeconds: dTypical + afterTypical,
    blockedBy: [],
    timeline: events.sort((a, b) => a.t - b.t),
  };
}

/** The flow when a secondary's region is down: the writer goes on, unless managed RPO has no other secondary to wait for. */
function secondaryLostFlow(ctx: SimulationContext, g: AuroraGlobal, writer: AuroraMember, lost: AuroraMember[], base: SimulatedFlow): SimulatedFlow {
  const events: SimulatedEvent[] = [];
  for (const m of lost) {
    events.push({ t: 0, event: `secondary ${m.node.key} in ${m.region} lost: its readers stop and replication to it stops; the writer in ${writer.region} keeps writing` });
    for (const a of ctx.graph.ofType('AWS::CloudWatch::Alarm').filter((x) => x.stack === m.node.stack && /^AuroraGlobalDB/.test(String(x.properties.MetricName ?? '')))) {
      events.push({ t: 0, event: `lag alarm ${a.key} died with ${m.region}: nothing watches ${m.region}'s replication lag or RPO lag` });
    }
  }
  for (const o of auroraOrchestrators(ctx, g.gid).filter((x) => isDown(ctx, x.region))) {
    events.push({ t: 0, event: `orchestrator ${o.node.key} in ${o.region} is down with its region` });
  }
  const alive = g.members.filter((m) => m !== writer && m.region && !isDown(ctx, m.region));
  if (writer.managedRpo !== undefined && alive.length === 0) {
    const reason = `managed RPO (rds.global_db_rpo = ${writer.managedRpo} s) on the primary: commits block while no secondary is within ${writer.managedRpo} s, and the only secondary is down; reset the parameter on ${writer.node.key} to resume writes`;
    events.push({ t: writer.managedRpo, phase: 'failing', region: writer.region, event: `commits on ${writer.region} block: no secondary within the managed RPO` });
    return { ...base, impacted: true, toRegion: writer.region, blockedBy: [{ resource: writer.node.key, reason }], timeline: [{ t: 0, phase: 'serving', region: writer.region, event: 'the writer keeps writing until the RPO lag passes the managed RPO' }, ...events] };
  }
  return { ...base, timeline: events };
}

/** The `database-writer` flow of each Aurora global database. @internal */
export function auroraFlow(ctx: SimulationContext, g: AuroraGlobal): SimulatedFlow | undefined {
  const writer = g.writer;
  if (!writer) return undefined;
  const base: SimulatedFlow = {
    id: `database-writer:${g.node.key}`,
    kind: 'database-writer',
    name: `Aurora global database ${g.gid}`,
    impacted: false,
    fromRegion: writer.region,
    blockedBy: [],
    timeline: [],
    constructPath: constructPathOf(g.node),
  };
  if (isDown(ctx, writer.region)) return writerLostFlow(ctx, g, writer, { ...base, impacted: true });
  const lost = g.members.filter((m) => m !== writer && isDown(ctx, m.region));
  if (lost.length) return secondaryLostFlow(ctx, g, writer, lost, base);
  return base;
}
