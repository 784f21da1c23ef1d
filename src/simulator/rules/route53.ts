import { addFinding, FlowRule, isDown, SimulationContext } from '../context';
import { ResourceNode } from '../graph';
import { answerAt, Answer, changeTimes, Leaf, reachable, recordTrack } from '../route53-answer';
import { aliasTargetGroup, R53Record, recordIndex, RecordIndex, targetText, TRAFFIC_TYPES } from '../route53-records';
import { isDatabaseEndpoint } from './databases';
import { SimulatedBlocker, SimulatedEvent, SimulatedFlow } from '../types';

// Route 53 DNS flows (kind `dns`): for each traffic record name (A, AAAA, CNAME), what Route 53 answers before the
// outage, when health checks move the answer, and when resolvers' cached answers expire.
//  - Choice among healthy records, fail-open when none is, failover PRIMARY/SECONDARY, weighted and latency records:
//    https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
//  - Health check detection: interval × failure threshold + probe timeout (health.ts):
//    https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
//  - Then the checker-to-DNS propagation allowance (an assumption, `ctx.propagation`), then resolvers keep the old
//    answer for its TTL; an alias answers with its target's TTL (the record it points to in the same zone, or the AWS
//    resource's: RecoveryModel.ALIAS_TARGET_TTL):
//    https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
// Route 53 records and health checks are global (data plane): they do not stop with the region of their stack.
// Records whose target is a database endpoint belong to the database rule.

const CHOOSES_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html';

/** The Route 53 rule: one `dns` flow per traffic record name (per type when the types behave differently). @internal */
export const route53Rule: FlowRule = (ctx) => {
  const index = recordIndex(ctx);
  const groups = [...index.groups.values()].filter((g) => TRAFFIC_TYPES.has(g[0].type) && !g.some((r) => isDatabaseEndpoint(ctx, targetText(r))));
  for (const g of groups) checkGroup(ctx, g);
  const levels = chainLevels(index);
  const byName = new Map<string, R53Record[][]>();
  for (const g of groups.filter((x) => !levels.has(x))) {
    const k = `${g[0].zone}|${g[0].name}`;
    byName.set(k, [...(byName.get(k) ?? []), g]);
  }
  const flows: SimulatedFlow[] = [];
  for (const named of byName.values()) {
    const drafts = named.map((g) => groupFlow(ctx, g));
    const same = drafts.every((d) => signature(d) === signature(drafts[0]));
    const picked = same ? [drafts[0]] : drafts.map((d, i) => ({ ...d, id: `${d.id}:${named[i][0].type}` }));
    // The same name in two hosted zones (public and private): the zone tells the flows apart.
    flows.push(...picked.map((f) => (flows.some((x) => x.id === f.id) ? { ...f, id: `${f.id}@${named[0][0].zone}` } : f)));
  }
  return flows;
};

/** The flow of one group (name + type). */
function groupFlow(ctx: SimulationContext, group: R53Record[]): SimulatedFlow {
  const { name, type } = group[0];
  const before = answerAt(ctx, group, -1, false);
  const down = failing(ctx, before);
  const main = down[0]?.record ?? before.leaves[0]?.record ?? group[0];
  const regional = (l: Leaf) => l.region !== undefined && l.region !== 'global';
  const from = down[0]?.region ?? before.leaves.find(regional)?.region;
  const base = { id: `dns:${name}`, kind: 'dns', name, fromRegion: from, constructPath: constructPath(main.node) };
  if (down.length === 0) {
    return { ...base, impacted: false, blockedBy: [], timeline: standbyEvents(ctx, group) };
  }
  const worst = recovery(ctx, group, false);
  const typical = recovery(ctx, group, true);
  const failingEvent: SimulatedEvent = { t: 0, event: `${from} fails: ${describe(down)} ${down.length > 1 ? 'stop' : 'stops'} answering for ${name} ${type}`, phase: 'failing', region: from };
  const events = [failingEvent, ...healthEvents(ctx, group, worst.switchAt)];
  if (worst.at === undefined || worst.switchAt === undefined) {
    const blocked = blockers(ctx, worst.final);
    return {
      ...base,
      impacted: true,
      blockedBy: blocked.blockedBy,
      afterManualStepSeconds: blocked.manual,
      timeline: sortEvents(events.filter((e) => e.t <= ctx.horizon)),
    };
  }
  const to = worst.final.leaves.find((l) => regional(l) && !isDown(ctx, l.region))?.region;
  const ttl = worst.ttl!;
  return {
    ...base,
    impacted: true,
    toRegion: to,
    recoveredAtSeconds: worst.at,
    typicalSeconds: typical.at ?? worst.at,
    blockedBy: [],
    timeline: sortEvents([
      ...events,
      {
        t: worst.switchAt,
        event: `Route 53 answers ${name} ${type} with ${describe(worst.final.leaves)}${worst.final.failOpen.length ? ' (fail-open)' : ''}`,
        phase: 'propagation',
      },
      {
        t: worst.switchAt + ctx.propagation,
        event: `Route 53's DNS servers answer with it (checker-to-DNS propagation allowance ${ctx.propagation} s, an assumption); `
          + `resolvers keep the old answer for its TTL, ${ttl.seconds} s${ttl.assumed ? ' (alias target TTL, assumed: RecoveryModel.ALIAS_TARGET_TTL)' : ''}`,
      },
      { t: worst.at, event: `recovered: ${name} resolves to ${to ?? 'a healthy endpoint'}`, phase: 'recovered', region: to },
    ]),
  };
}

interface Recovery {
  /** When clients are served again (switch + propagation + TTL), if ever. */
  readonly at?: number;
  /** When Route 53's answer moves away from the failed region for good. */
  readonly switchAt?: number;
  readonly ttl?: { seconds: number; assumed: boolean };
  /** The answer after the last health change. */
  readonly final: Answer;
}

/**
 * Walks the answer through every health change (worst-case or typical times): the flow recovers at the last change
 * that leaves no endpoint in the failed region, plus propagation, plus the TTL of the answer resolvers cached before it.
 */
function recovery(ctx: SimulationContext, group: R53Record[], typical: boolean): Recovery {
  let previous = answerAt(ctx, group, -1, typical);
  let switchAt: number | undefined;
  let old: Answer | undefined;
  for (const t of changeTimes(ctx, group, typical)) {
    const answer = answerAt(ctx, group, t, typical);
    const bad = failing(ctx, answer).length > 0;
    if (bad) {
      switchAt = undefined;
    } else if (switchAt === undefined && failing(ctx, previous).length > 0) {
      switchAt = t;
      old = previous;
    }
    previous = answer;
  }
  if (switchAt === undefined || !old) return { final: previous };
  const cached = failing(ctx, old);
  const seconds = Math.max(...cached.map((l) => l.ttl));
  const assumed = cached.some((l) => l.ttlAssumed && l.ttl === seconds);
  return { at: switchAt + ctx.propagation + seconds, switchAt, ttl: { seconds, assumed }, final: previous };
}

/** Why the final answer still points at the failed region, and the manual step that would fix it. */
function blockers(ctx: SimulationContext, final: Answer): { blockedBy: SimulatedBlocker[]; manual?: number } {
  const out: SimulatedBlocker[] = [];
  let manual: number | undefined;
  for (const leaf of failing(ctx, final)) {
    const track = recordTrack(ctx, leaf.record);
    if (final.failOpen.length && track.worst.length) {
      out.push({
        resource: leaf.record.key,
        reason: `every record of ${final.failOpen.join(', ')} is unhealthy, so Route 53 answers as if all were healthy (fail-open, ${CHOOSES_DOC}) and keeps answering ${leaf.endpoint} in ${leaf.region}`,
      });
    } else {
      out.push(...track.blockedBy);
    }
    if (track.afterManualStepSeconds !== undefined) {
      manual = Math.max(manual ?? 0, track.afterManualStepSeconds + ctx.propagation + leaf.ttl);
    }
  }
  const seen = new Set<string>();
  return { blockedBy: out.filter((b) => !seen.has(b.resource + b.reason) && seen.add(b.resource + b.reason)), manual };
}

/** The endpoints of an answer that are in the failed region. */
function failing(ctx: SimulationContext, answer: Answer): Leaf[] {
  return answer.leaves.filter((l) => isDown(ctx, l.region));
}

/** Health events of the records an answer may come from, up to the switch (or all, when there is none). */
function healthEvents(ctx: SimulationContext, group: R53Record[], until?: number): SimulatedEvent[] {
  const events = reachable(ctx, group).flatMap((r) => recordTrack(ctx, r).events);
  const seen = new Set<string>();
  return events.filter((e) => (until === undefined || e.t <= until) && !seen.has(`${e.t}|${e.event}`) && seen.add(`${e.t}|${e.event}`));
}

/** A flow the outage does not touch may still lose its standby: say when. */
function standbyEvents(ctx: SimulationContext, group: R53Record[]): SimulatedEvent[] {
  const out: SimulatedEvent[] = [];
  for (const r of reachable(ctx, group)) {
    if (aliasTargetGroup(recordIndex(ctx), r)) continue;
    const leaf = answerAt(ctx, [r], -1, false).leaves[0];
    const track = recordTrack(ctx, r);
    if (leaf && isDown(ctx, leaf.region) && track.worst.length) {
      out.push({ t: track.worst[0], event: `standby ${r.key} (${leaf.endpoint}, ${leaf.region}) unhealthy: ${group[0].name} ${group[0].type} keeps being served, with no standby in ${leaf.region} until it recovers` });
    }
  }
  return out;
}

/**
 * Configuration errors found in every simulation: a failover PRIMARY without a health check never fails over; a
 * SECONDARY in the primary's region fails with it; a weighted, latency or geo record without a health check keeps its
 * share of the clients when its region fails.
 */
function checkGroup(ctx: SimulationContext, group: R53Record[]): void {
  const { name, type } = group[0];
  const watched = (r: R53Record) => r.healthCheck !== undefined || r.foreignHealthCheck !== undefined || r.alias?.evaluateTargetHealth === true;
  const regions = (r: R53Record) => new Set(answerAt(ctx, [r], -1, false).leaves.map((l) => l.region).filter((x): x is string => !!x && x !== 'global'));
  if (group[0].policy === 'failover') {
    const primary = group.find((r) => r.failover === 'PRIMARY');
    const secondary = group.find((r) => r.failover === 'SECONDARY');
    if (primary && !watched(primary)) {
      addFinding(ctx, 'error', primary.key, `failover PRIMARY ${name} ${type} has no health check (nor EvaluateTargetHealth): Route 53 always considers it healthy, so it never fails over (${CHOOSES_DOC})`);
    }
    if (primary && secondary) {
      const p = regions(primary);
      const same = [...regions(secondary)].filter((r) => p.has(r));
      if (same.length) {
        addFinding(ctx, 'error', secondary.key, `the SECONDARY of ${name} ${type} is in the same region as the PRIMARY (${same.join(', ')}): an outage of that region takes both`);
      }
    }
    if (!primary || !secondary) {
      addFinding(ctx, 'warning', group[0].key, `failover ${name} ${type} has no ${primary ? 'SECONDARY' : 'PRIMARY'} record: nothing to fail over ${primary ? 'to' : 'from'}`);
    }
    return;
  }
  const all = new Set(group.flatMap((r) => [...regions(r)]));
  if (group[0].policy !== 'simple' && all.size > 1) {
    for (const r of group.filter((x) => !watched(x))) {
      addFinding(ctx, 'error', r.key, `${group[0].policy} record ${name} ${type} (${r.setIdentifier ?? r.key}) has no health check: the clients Route 53 sends to it keep going there when its region fails`);
    }
  }
}

/** Chain levels: groups reached only through an alias from a record of a routing policy (not names users resolve). */
function chainLevels(index: RecordIndex): Set<R53Record[]> {
  const out = new Set<R53Record[]>();
  for (const r of index.records) {
    const target = r.setIdentifier !== undefined ? aliasTargetGroup(index, r) : undefined;
    if (target) out.add(target);
  }
  return out;
}

function describe(leaves: Leaf[]): string {
  return [...new Set(leaves.map((l) => `${l.endpoint || l.record.key} (${l.region ?? 'unknown region'})`))].join(', ');
}

function constructPath(node: ResourceNode): string | undefined {
  return node.path?.replace(/\/Resource$/, '');
}

function sortEvents(events: SimulatedEvent[]): SimulatedEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
}

function signature(flow: SimulatedFlow): string {
  const { impacted, fromRegion, toRegion, recoveredAtSeconds, typicalSeconds, afterManualStepSeconds, blockedBy } = flow;
  return JSON.stringify([impacted, fromRegion, toRegion, recoveredAtSeconds, typicalSeconds, afterManualStepSeconds, blockedBy.map((b) => b.reason)]);
}
