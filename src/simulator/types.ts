/**
 * The outage simulator's public model (jsii structs). The CLI's `--json` output is the same model with
 * `fromRegion`/`toRegion` spelled `from`/`to` and absent optionals as `null` (see `toJsonDocument`).
 */

/** Options of one simulated outage. */
export interface SimulationOptions {
  /** The region that goes down at t = 0 (e.g. `us-east-1`). Every resource and control plane homed there fails. */
  readonly outage: string;

  /**
   * How far the simulation looks, in seconds. A flow not recovered by then is reported as not recovering
   * (`recoveredAtSeconds` absent) with a `blockedBy` entry that names the horizon.
   * @default 3600
   */
  readonly horizonSeconds?: number;

  /**
   * Seconds for a health checker's result to reach Route 53's DNS servers. AWS publishes no figure; this is an
   * assumption, the same one the constructs' estimates use.
   * @default 10 (RecoveryModel.HEALTH_CHECK_PROPAGATION)
   */
  readonly propagationAllowanceSeconds?: number;

  /**
   * The region of endpoints whose host name carries no region and cannot be placed from the assembly
   * (e.g. `{ 'origin.example.net': 'us-east-1' }`). Unplaced endpoints get a warning finding.
   * @default - none
   */
  readonly endpointRegions?: { [host: string]: string };
}

/** The injected outage. */
export interface SimulatedOutage {
  /** The failed region. */
  readonly region: string;
  /** When it fails, in seconds (always 0). */
  readonly startsAt: number;
}

/** Why a flow does not recover (or recovers later) without a person. */
export interface SimulatedBlocker {
  /** The resource that blocks, as `<stack name>/<logical id>`. */
  readonly resource: string;
  /** What blocks, in one sentence. */
  readonly reason: string;
}

/** One event on a flow's timeline. */
export interface SimulatedEvent {
  /** Seconds since the outage began. */
  readonly t: number;
  /** What happens. */
  readonly event: string;
  /**
   * The phase that starts with this event: `failing`, `detection`, `propagation`, `promotion`, `serving` or `recovered`.
   * @default - none (an annotation that starts no phase)
   */
  readonly phase?: string;
  /**
   * The region that serves the flow from this event on.
   * @default - unchanged
   */
  readonly region?: string;
}

/** One traffic or data flow and what the outage does to it. */
export interface SimulatedFlow {
  /** Stable id, e.g. `dns:api.example.com`, `cdn-read:<stack>/<distribution>`. */
  readonly id: string;
  /** `dns`, `cdn-read`, `cdn-write`, `database-writer`, `cache-writer` or `static`. */
  readonly kind: string;
  /** Readable name (record name, distribution, cluster…). */
  readonly name: string;
  /** Whether the outage touches this flow. */
  readonly impacted: boolean;
  /**
   * The region that served the flow before the outage.
   * @default - not regional
   */
  readonly fromRegion?: string;
  /**
   * The region that serves it after recovery.
   * @default - none (not recovered, or not impacted)
   */
  readonly toRegion?: string;
  /**
   * Worst case, under the stated assumptions, of when the flow is served again (seconds since the outage began).
   * @default - never without a person (see `blockedBy`), or not impacted
   */
  readonly recoveredAtSeconds?: number;
  /**
   * Typical figure of the same.
   * @default - as `recoveredAtSeconds`
   */
  readonly typicalSeconds?: number;
  /**
   * When the flow needs a person (`recoveredAtSeconds` absent): worst case, in seconds, from the moment that person
   * starts the documented step (e.g. the orchestrator's failover) until the flow is served again.
   * @default - no manual step recovers it, or none is needed
   */
  readonly afterManualStepSeconds?: number;
  /**
   * Extra latency each request pays while its first attempt goes to the failed region (per-request failover).
   * @default - none
   */
  readonly perRequestPenaltySeconds?: number;
  /** What blocks automatic recovery. Empty when the flow recovers by itself. */
  readonly blockedBy: SimulatedBlocker[];
  /** Events in time order. */
  readonly timeline: SimulatedEvent[];
  /**
   * Construct path (`aws:cdk:path` metadata) of the resource the flow is named after, when the template has it.
   * @default - unknown
   */
  readonly constructPath?: string;
}

/** A problem the simulator found in the assembly. */
export interface SimulationFinding {
  /** `error` or `warning`. */
  readonly severity: string;
  /** `<stack name>/<logical id>`, or the stack name. */
  readonly resource: string;
  /** What is wrong. */
  readonly message: string;
}

/** The result of one simulated outage. */
export interface SimulationResult {
  /** The injected outage. */
  readonly outage: SimulatedOutage;
  /** Every flow found in the assembly. */
  readonly flows: SimulatedFlow[];
  /** Problems found. */
  readonly findings: SimulationFinding[];
}

/** Flow kinds. @internal */
export const FLOW_KINDS = ['dns', 'cdn-read', 'cdn-write', 'database-writer', 'cache-writer', 'static'];

/** One timeline event of the `--json` document: `phase` and `region` only when set. */
function eventJson(e: SimulatedEvent): any {
  return { t: e.t, event: e.event, ...(e.phase ? { phase: e.phase } : {}), ...(e.region ? { region: e.region } : {}) };
}

/**
 * The CLI's `--json` document: `from`/`to` instead of `fromRegion`/`toRegion`, `null` for absent optionals.
 * @internal
 */
export function toJsonDocument(result: SimulationResult): any {
  return {
    outage: { region: result.outage.region, startsAt: result.outage.startsAt },
    flows: result.flows.map((f) => ({
      id: f.id,
      kind: f.kind,
      name: f.name,
      impacted: f.impacted,
      from: f.fromRegion ?? null,
      to: f.toRegion ?? null,
      recoveredAtSeconds: f.recoveredAtSeconds ?? null,
      typicalSeconds: f.typicalSeconds ?? null,
      perRequestPenaltySeconds: f.perRequestPenaltySeconds ?? null,
      ...(f.afterManualStepSeconds !== undefined ? { afterManualStepSeconds: f.afterManualStepSeconds } : {}),
      blockedBy: f.blockedBy.map((b) => ({ resource: b.resource, reason: b.reason })),
      timeline: f.timeline.map(eventJson),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
    })),
    findings: result.findings.map((x) => ({ severity: x.severity, resource: x.resource, message: x.message })),
  };
}
