import { addFinding, SimulationContext } from './context';
import { ResolvedText, ResourceNode } from './graph';
import { hostOf } from './placement';

// The Route 53 records of an assembly (AWS::Route53::RecordSet and the record sets of AWS::Route53::RecordSetGroup),
// grouped as Route 53 answers them: by hosted zone, name and type.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html

/** How a group of records is answered. @internal */
export type RoutingPolicy = 'simple' | 'failover' | 'weighted' | 'latency' | 'geo' | 'multivalue';

/** One record of the assembly. @internal */
export interface R53Record {
  /** The template resource (a RecordSet, or the RecordSetGroup holding it). */
  readonly node: ResourceNode;
  /** `<stack>/<logical id>`, with `[i]` for the i-th record of a RecordSetGroup. */
  readonly key: string;
  /** Lower case, without the trailing dot. */
  readonly name: string;
  readonly type: string;
  /** The hosted zone as the template gives it (`HostedZoneId`, else `HostedZoneName`), resolved. */
  readonly zone: string;
  readonly policy: RoutingPolicy;
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  readonly weight?: number;
  readonly setIdentifier?: string;
  /** The associated health check, when it is a resource of the assembly. */
  readonly healthCheck?: ResourceNode;
  /** The associated health check id when it is not a resource of the assembly. */
  readonly foreignHealthCheck?: string;
  readonly alias?: { readonly dnsName: ResolvedText; readonly zone: string; readonly evaluateTargetHealth: boolean };
  readonly values: ResolvedText[];
  /** Seconds; undefined for an alias. */
  readonly ttl?: number;
}

/** The records of the assembly by group. @internal */
export interface RecordIndex {
  readonly records: R53Record[];
  /** Group key (`groupKey`) → records, in template order. */
  readonly groups: Map<string, R53Record[]>;
}

/** Traffic record types: the ones clients connect through. @internal */
export const TRAFFIC_TYPES = new Set(['A', 'AAAA', 'CNAME']);

const indexes = new WeakMap<SimulationContext, RecordIndex>();

/** The records of the assembly (computed once per simulation). @internal */
export function recordIndex(ctx: SimulationContext): RecordIndex {
  const hit = indexes.get(ctx);
  if (hit) return hit;
  const records: R53Record[] = [];
  for (const node of ctx.graph.ofType('AWS::Route53::RecordSet')) {
    records.push(toRecord(ctx, node, node.properties, node.key, node.properties));
  }
  for (const node of ctx.graph.ofType('AWS::Route53::RecordSetGroup')) {
    const sets: any[] = Array.isArray(node.properties.RecordSets) ? node.properties.RecordSets : [];
    sets.forEach((set, i) => records.push(toRecord(ctx, node, set, `${node.key}[${i}]`, node.properties)));
  }
  const groups = new Map<string, R53Record[]>();
  for (const r of records) {
    const k = groupKey(r.zone, r.name, r.type);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const index = { records, groups };
  indexes.set(ctx, index);
  return index;
}

/** The key of a group: zone, name and type. @internal */
export function groupKey(zone: string, name: string, type: string): string {
  return `${zone}|${name}|${type}`;
}

/**
 * The group an alias record points at when its target is another record of the same hosted zone ("Records in this
 * hosted zone"): same zone, the alias's DNS name and the record's type; else the only group of that name and type.
 * @internal
 */
export function aliasTargetGroup(index: RecordIndex, record: R53Record): R53Record[] | undefined {
  if (!record.alias) return undefined;
  const name = normalizeName(record.alias.dnsName.text);
  const same = index.groups.get(groupKey(record.alias.zone, name, record.type)) ?? index.groups.get(groupKey(record.zone, name, record.type));
  if (same) return same;
  const matches = [...index.groups.values()].filter((g) => g[0].name === name && g[0].type === record.type);
  return matches.length === 1 ? matches[0] : undefined;
}

/** The text a record answers with (alias DNS name, or its values). @internal */
export function targetText(record: R53Record): ResolvedText {
  if (record.alias) return record.alias.dnsName;
  return { text: record.values.map((v) => v.text).join(','), refs: record.values.flatMap((v) => v.refs) };
}

/**
 * A host for messages: the host of a URL or name, with each unresolved reference `${<stack>/<id>}` shown as `<id>`
 * (a placeholder may hold a `/`, which would cut the host). @internal
 */
export function displayHost(text: string): string {
  return hostOf(text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => `<${inner.split('/').pop()}>`));
}

/** A record name as Route 53 compares it: lower case, no trailing dot. @internal */
export function normalizeName(name: string): string {
  return hostOf(name);
}

function toRecord(ctx: SimulationContext, node: ResourceNode, p: any, key: string, zoneProps: any): R53Record {
  const text = (v: any) => ctx.graph.text(v, node.stack);
  const zone = zoneProps.HostedZoneId !== undefined ? text(zoneProps.HostedZoneId).text : `name:${normalizeName(text(zoneProps.HostedZoneName).text)}`;
  const hcValue = p.HealthCheckId;
  const hcNode = hcValue === undefined ? undefined : ctx.graph.target(hcValue, node.stack);
  const healthCheck = hcNode?.type === 'AWS::Route53::HealthCheck' ? hcNode : undefined;
  const foreignHealthCheck = hcValue !== undefined && !healthCheck ? text(hcValue).text : undefined;
  if (foreignHealthCheck) {
    addFinding(ctx, 'warning', key, `health check ${foreignHealthCheck} is not in the assembly: the simulator assumes it stays healthy`);
  }
  const values: any[] = Array.isArray(p.ResourceRecords) ? p.ResourceRecords : [];
  const ttl = p.TTL === undefined ? undefined : Number(text(p.TTL).text);
  const at = p.AliasTarget;
  return {
    node,
    key,
    name: normalizeName(text(p.Name).text),
    type: String(text(p.Type).text).toUpperCase(),
    zone,
    policy: policyOf(p),
    failover: p.Failover === 'PRIMARY' || p.Failover === 'SECONDARY' ? p.Failover : undefined,
    weight: p.Weight === undefined ? undefined : Number(text(p.Weight).text),
    setIdentifier: p.SetIdentifier === undefined ? undefined : text(p.SetIdentifier).text,
    healthCheck,
    foreignHealthCheck,
    alias: at ? {
      dnsName: text(at.DNSName),
      zone: text(at.HostedZoneId).text,
      evaluateTargetHealth: at.EvaluateTargetHealth === true || at.EvaluateTargetHealth === 'true',
    } : undefined,
    values: values.map((v) => text(v)),
    ttl: ttl !== undefined && Number.isFinite(ttl) ? ttl : undefined,
  };
}

function policyOf(p: any): RoutingPolicy {
  if (p.Failover !== undefined) return 'failover';
  if (p.Weight !== undefined) return 'weighted';
  if (p.Region !== undefined) return 'latency';
  if (p.GeoLocation !== undefined || p.GeoProximityLocation !== undefined || p.CidrRoutingConfig !== undefined) return 'geo';
  if (p.MultiValueAnswer !== undefined) return 'multivalue';
  return 'simple';
}
