import { SimulationContext } from './context';
import { arnRegion, textOf } from './db-common';
import { alarmFireTime, FireTime, LagCutOff } from './db-triggers';
import { ResourceNode } from './graph';
import { SimulatedEvent } from './types';

/*
 * ARC Region switch plans (`AWS::ARCRegionSwitch::Plan`) that fail over an Aurora global database. AWS: "Region switch
 * is built on a Regional data plane architecture, where Region switch plans are executed from the Region being
 * activated. This design eliminates dependencies on the impacted Region during the switch."
 * https://aws.amazon.com/blogs/aws/introducing-amazon-application-recovery-controller-region-switch-a-multi-region-application-recovery-service/
 * https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html
 * The Aurora execution block: "`switchoverOnly` - Calls `SwitchoverGlobalCluster` for a zero-data-loss switchover during
 * graceful execution. `failover` - Calls `FailoverGlobalCluster` with `AllowDataLoss` set to `true`"; `ungraceful:
 * failover` fails over in an ungraceful execution.
 * https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html
 */

/** A plan's workflow that activates `region` and fails the global database over, as far as the assembly tells. @internal */
export interface ArcPlanRoute {
  readonly plan: ResourceNode;
  /** Whether the Aurora step may fail over (ungraceful): a switchover needs every region healthy. */
  readonly canFailOver: boolean;
  /** Names of manual approval steps the execution waits for. */
  readonly approvals: string[];
  /** Timeout of the Aurora step, minutes (Region switch's default: 60). */
  readonly timeoutMinutes: number;
  /** When a trigger starts the plan, if one does. */
  readonly trigger?: FireTime;
  /** Why the plan cannot run at all (its regions lack the target), if so. */
  readonly unusable?: string;
}

/** Every step of a workflow, parallel blocks flattened. */
function stepsOf(steps: any): any[] {
  const out: any[] = [];
  for (const step of Array.isArray(steps) ? steps : []) {
    out.push(step);
    out.push(...stepsOf(step?.ExecutionBlockConfiguration?.ParallelConfig?.Steps));
  }
  return out;
}

function auroraStep(ctx: SimulationContext, plan: ResourceNode, steps: any[], gid: string): any | undefined {
  return steps.find((s) => {
    const cfg = s?.ExecutionBlockConfiguration?.GlobalAuroraConfig;
    return cfg && textOf(ctx, plan, cfg.GlobalClusterIdentifier) === gid;
  });
}

/** When the plan's triggers for `region` fire (every condition assumed needed: the latest counts). */
function triggerTime(ctx: SimulationContext, plan: ResourceNode, region: string, cutOff?: LagCutOff): FireTime | undefined {
  const triggers = (Array.isArray(plan.properties.Triggers) ? plan.properties.Triggers : [])
    .filter((t: any) => textOf(ctx, plan, t?.Action) === 'activate' && textOf(ctx, plan, t?.TargetRegion) === region);
  if (!triggers.length) return undefined;
  const alarms = plan.properties.AssociatedAlarms ?? {};
  const fires: FireTime[] = triggers.map((t: any) => {
    const parts = (Array.isArray(t.Conditions) ? t.Conditions : []).map((c: any) => {
      const name = textOf(ctx, plan, c?.AssociatedAlarmName) ?? '';
      const arnText = ctx.graph.text(alarms[name]?.ResourceIdentifier, plan.stack);
      const node = arnText.refs.find((r) => r.type === 'AWS::CloudWatch::Alarm' || r.type === 'AWS::CloudWatch::CompositeAlarm');
      if (node) return alarmFireTime(ctx, node, cutOff);
      const r = arnRegion(arnText.text);
      if (r === ctx.outage) return { events: [], blockedBy: [{ resource: plan.key, reason: `trigger alarm ${name} is in ${r}, which is down` }] };
      const events: SimulatedEvent[] = [{ t: 0, event: `trigger alarm ${name} (${arnText.text}) is not in the assembly: assumed in ALARM at once` }];
      return { worst: 0, typical: 0, events, blockedBy: [] };
    });
    if (parts.some((p: FireTime) => p.worst === undefined)) return { events: [], blockedBy: parts.flatMap((p: FireTime) => p.blockedBy) };
    const worst = Math.max(0, ...parts.map((p: FireTime) => p.worst!));
    const typical = Math.max(0, ...parts.map((p: FireTime) => p.typical ?? p.worst!));
    return { worst, typical, events: parts.flatMap((p: FireTime) => p.events), blockedBy: [] };
  });
  return fires.filter((f) => f.worst !== undefined).sort((a, b) => a.worst! - b.worst!)[0] ?? fires[0];
}

/**
 * The Region switch plans that activate `region` with a step on global database `gid`.
 * @internal
 */
export function arcPlanRoutes(ctx: SimulationContext, gid: string, region: string, cutOff?: LagCutOff): ArcPlanRoute[] {
  const out: ArcPlanRoute[] = [];
  for (const plan of ctx.graph.ofType('AWS::ARCRegionSwitch::Plan')) {
    const regions = ctx.graph.list(plan.properties.Regions, plan.stack).map((r) => r.text);
    const workflows = (Array.isArray(plan.properties.Workflows) ? plan.properties.Workflows : []).filter((w: any) =>
      textOf(ctx, plan, w?.WorkflowTargetAction) === 'activate'
      && (w.WorkflowTargetRegion === undefined || textOf(ctx, plan, w.WorkflowTargetRegion) === region));
    for (const wf of workflows) {
      const steps = stepsOf(wf.Steps);
      const step = auroraStep(ctx, plan, steps, gid);
      if (!step) continue;
      const cfg = step.ExecutionBlockConfiguration.GlobalAuroraConfig;
      const canFailOver = textOf(ctx, plan, cfg.Behavior) === 'failover' || textOf(ctx, plan, cfg.Ungraceful?.Ungraceful) === 'failover';
      out.push({
        plan,
        canFailOver,
        approvals: steps.filter((s) => s?.ExecutionBlockConfiguration?.ExecutionApprovalConfig).map((s) => String(s.Name)),
        timeoutMinutes: Number(cfg.TimeoutMinutes ?? 60),
        trigger: triggerTime(ctx, plan, region, cutOff),
        unusable: regions.includes(region) ? undefined : `the plan's regions (${regions.join(', ')}) do not include ${region}`,
      });
    }
  }
  return out;
}
