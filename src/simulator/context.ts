import { AssemblyGraph, ResolvedText } from './graph';
import { hostOf, placeEndpoint, Placement } from './placement';
import { SimulatedFlow, SimulationFinding } from './types';

/**
 * Where each AWS control plane is homed: a step that needs one of these APIs fails while its home region is down.
 * Route 53, CloudFront and IAM: us-east-1; ARC (routing controls, readiness, zonal shift configuration): us-west-2.
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
 * @see https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes.html
 * @internal
 */
export const CONTROL_PLANE_HOME: { [service: string]: string } = {
  route53: 'us-east-1',
  cloudfront: 'us-east-1',
  iam: 'us-east-1',
  arc: 'us-west-2',
};

/** What every rule gets. @internal */
export interface SimulationContext {
  readonly graph: AssemblyGraph;
  /** The failed region. */
  readonly outage: string;
  /** Seconds the simulation looks ahead. */
  readonly horizon: number;
  /** Health checker → DNS propagation allowance, seconds (assumption). */
  readonly propagation: number;
  /** Explicit regions for hosts the assembly cannot place. */
  readonly endpointRegions: { [host: string]: string };
  /** Findings collected so far; rules append. */
  readonly findings: SimulationFinding[];
}

/** One family of flows (Route 53, CloudFront, databases…). @internal */
export type FlowRule = (ctx: SimulationContext) => SimulatedFlow[];

/** Adds a finding once. @internal */
export function addFinding(ctx: SimulationContext, severity: 'error' | 'warning', resource: string, message: string): void {
  if (!ctx.findings.some((f) => f.resource === resource && f.message === message)) {
    ctx.findings.push({ severity, resource, message });
  }
}

/** Places an endpoint; an unplaced one gets a warning finding naming `resource`. @internal */
export function place(ctx: SimulationContext, host: ResolvedText, resource: string): Placement {
  const p = placeEndpoint(host, ctx.endpointRegions);
  if (p.how === 'unknown') {
    const byRecord = placeByRecords(ctx, hostOf(host.text), 0);
    if (byRecord) return byRecord;
    addFinding(ctx, 'warning', resource, `cannot tell which region serves ${host.text}; pass --endpoint-region ${host.text.replace(/^[a-z]+:\/\//i, '').split('/')[0]}=<region>`);
  }
  return p;
}

/**
 * A custom host name (e.g. `us-east-1.www.example.com`) that is the name of Route 53 records in the assembly: the region
 * of what those records point at (alias target or values), when every record agrees on one region. Route 53 answers a
 * name with its records' values (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-basic.html),
 * so the endpoint behind the name runs where they point. Follows names up to 3 levels; never adds findings.
 */
function placeByRecords(ctx: SimulationContext, name: string, depth: number): Placement | undefined {
  if (depth > 3) return undefined;
  const regions = new Set<string>();
  for (const node of ctx.graph.ofType('AWS::Route53::RecordSet')) {
    const p = node.properties;
    if (hostOf(ctx.graph.text(p.Name, node.stack).text) !== name) continue;
    const values = p.AliasTarget ? [p.AliasTarget.DNSName] : Array.isArray(p.ResourceRecords) ? p.ResourceRecords : [];
    for (const value of values) {
      const target = ctx.graph.text(value, node.stack);
      const placed = placeEndpoint(target, ctx.endpointRegions);
      const region = placed.how === 'unknown' ? placeByRecords(ctx, hostOf(target.text), depth + 1)?.region : placed.region;
      if (!region) return undefined;
      regions.add(region);
    }
  }
  return regions.size === 1 && !regions.has('global') ? { region: [...regions][0], how: 'record' } : undefined;
}

/** Whether `region` is down in this simulation. @internal */
export function isDown(ctx: SimulationContext, region: string | undefined): boolean {
  return region !== undefined && region === ctx.outage;
}
