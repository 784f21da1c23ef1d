import { RegionInfo } from 'aws-cdk-lib/region-info';
import { SimulatorInputError, StackInput } from './assembly';
import { SimulationContext } from './context';
import { AssemblyGraph } from './graph';
import { RULES } from './rules';
import { SimulationOptions, SimulationResult } from './types';
import { RecoveryModel } from '../core/recovery';

/** Default horizon: one hour. @internal */
export const DEFAULT_HORIZON_SECONDS = 3600;

/**
 * Simulates the outage of one region over the stacks of a cloud assembly. Pure: reads only the templates.
 * @internal
 */
export function simulateStacks(stacks: StackInput[], options: SimulationOptions): SimulationResult {
  const outage = String(options.outage ?? '').trim();
  const known = new Set<string>([...RegionInfo.regions.map((r) => r.name), ...stacks.map((s) => s.region).filter((r): r is string => !!r)]);
  if (!known.has(outage)) {
    throw new SimulatorInputError(`unknown region '${outage}': not an AWS region this library knows, and no stack of the assembly is in it`);
  }
  const horizon = options.horizonSeconds ?? DEFAULT_HORIZON_SECONDS;
  if (!Number.isFinite(horizon) || horizon <= 0) {
    throw new SimulatorInputError(`--horizon must be a positive number of seconds, got: ${options.horizonSeconds}`);
  }
  const propagation = options.propagationAllowanceSeconds ?? RecoveryModel.HEALTH_CHECK_PROPAGATION.toSeconds();
  if (!Number.isFinite(propagation) || propagation < 0) {
    throw new SimulatorInputError(`propagation allowance must be 0 or more seconds, got: ${options.propagationAllowanceSeconds}`);
  }
  const ctx: SimulationContext = {
    graph: new AssemblyGraph(stacks),
    outage,
    horizon,
    propagation,
    endpointRegions: options.endpointRegions ?? {},
    findings: [],
  };
  for (const stack of stacks) {
    if (!stack.region) {
      ctx.findings.push({ severity: 'warning', resource: stack.stackName, message: 'environment-agnostic stack: its region is unknown, so the simulator cannot tell whether the outage takes it down' });
    }
  }
  const flows = RULES.flatMap((rule) => rule(ctx)).map((f) => capAtHorizon(f, horizon));
  return { outage: { region: outage, startsAt: 0 }, flows, findings: ctx.findings };
}

/** A flow that recovers only after the horizon is reported as not recovering within it. */
function capAtHorizon<T extends { recoveredAtSeconds?: number; blockedBy: any[]; id: string }>(flow: T, horizon: number): T {
  if (flow.recoveredAtSeconds === undefined || flow.recoveredAtSeconds <= horizon) return flow;
  return {
    ...flow,
    recoveredAtSeconds: undefined,
    typicalSeconds: undefined,
    blockedBy: [...flow.blockedBy, { resource: flow.id, reason: `recovers only after the ${horizon} s horizon (at ${flow.recoveredAtSeconds} s)` }],
  };
}
