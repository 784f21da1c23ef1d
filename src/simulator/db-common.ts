import { CONTROL_PLANE_HOME, SimulationContext } from './context';
import { ResolvedText, ResourceNode } from './graph';
import { SimulatedBlocker } from './types';

/*
 * Shared pieces of the data-tier rules (Aurora global databases, DynamoDB global tables, ElastiCache global datastores,
 * RDS cross-region read replicas): construct paths, ARNs, IAM actions of state machines and functions, control planes.
 */

/** The construct path of a resource, up to its construct (without a trailing `/Resource` or `/Default`). @internal */
export function constructPathOf(node: ResourceNode): string | undefined {
  return node.path?.replace(/\/(Resource|Default)$/, '');
}

/** The region field of an ARN (`arn:partition:service:region:account:…`), if it has one. @internal */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length > 4 && parts[0] === 'arn' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(parts[3]) ? parts[3] : undefined;
}

/** `value` resolved as a list of texts (a literal array, or one value). @internal */
export function texts(ctx: SimulationContext, value: any, node: ResourceNode): ResolvedText[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map((v) => ctx.graph.text(v, node.stack)) : [ctx.graph.text(value, node.stack)];
}

/**
 * Whether a resolved host or value names an endpoint the database rule models, so the Route 53 rule skips records to it:
 * the Aurora global writer endpoint (read by a custom resource calling RDS `DescribeGlobalClusters`, built from an
 * `AWS::RDS::GlobalCluster`, or a `*.global.rds.amazonaws.com` host) and the cluster endpoints of global database
 * members. A CNAME to the global writer endpoint never changes: Aurora moves the endpoint with the writer, which "always
 * points to the writer DB instance in the current primary cluster"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalCluster.html). Other RDS and ElastiCache
 * endpoints (a standalone instance behind failover records, say) stay with the Route 53 rule.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
 * @internal
 */
export function isDatabaseEndpoint(ctx: SimulationContext, value: ResolvedText): boolean {
  const member = (r: ResourceNode) => r.type === 'AWS::RDS::DBCluster' && r.properties.GlobalClusterIdentifier !== undefined;
  if (value.refs.some((r) => r.type === 'AWS::RDS::GlobalCluster' || member(r) || readsGlobalClusters(ctx, r))) return true;
  return /\.global\.rds\.amazonaws\.com\.?$/i.test(value.text.trim());
}

/** A custom resource (`AwsCustomResource`) that calls RDS `DescribeGlobalClusters`. */
function readsGlobalClusters(ctx: SimulationContext, node: ResourceNode): boolean {
  if (node.type !== 'Custom::AWS' && node.type !== 'AWS::CloudFormation::CustomResource') return false;
  const call = ctx.graph.parseCall(node.properties.Create ?? node.properties.Update, node.stack);
  return !!call && /^rds$/i.test(String(call.service ?? '')) && /^describeglobalclusters$/i.test(String(call.action ?? ''));
}

/** One IAM statement that allows actions on resources. @internal */
export interface Allow {
  readonly actions: string[];
  readonly resources: string[];
}

/** The Allow statements of the policies attached to `role` (inline `Policies` and `AWS::IAM::Policy` resources). */
function roleAllows(ctx: SimulationContext, role: ResourceNode): Allow[] {
  const docs: { doc: any; node: ResourceNode }[] = [];
  for (const p of role.properties.Policies ?? []) docs.push({ doc: p?.PolicyDocument, node: role });
  for (const policy of ctx.graph.ofType('AWS::IAM::Policy')) {
    const roles = Array.isArray(policy.properties.Roles) ? policy.properties.Roles : [];
    if (roles.some((r: any) => ctx.graph.target(r, policy.stack) === role)) docs.push({ doc: policy.properties.PolicyDocument, node: policy });
  }
  const allows: Allow[] = [];
  for (const { doc, node } of docs) {
    const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
    for (const st of statements) {
      if (st?.Effect !== 'Allow') continue;
      const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).filter((a: any) => typeof a === 'string').map((a: string) => a.toLowerCase());
      const resources = texts(ctx, st.Resource, node).map((r) => r.text);
      allows.push({ actions, resources });
    }
  }
  return allows;
}

/** Whether an IAM action pattern (`rds:Failover*`, `rds:*`, `*`) matches `action`. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** What a state machine can call: its `aws-sdk` integrations, and what the roles of the functions it invokes allow. */
export interface StateMachineCalls {
  /** `service:action`, lower case, from `arn:aws:states:::aws-sdk:<service>:<action>` tasks. */
  readonly sdkTasks: string[];
  /** Allow statements of the roles of the Lambda functions the definition invokes. */
  readonly functionAllows: Allow[];
  /** The parsed definition (undefined when it cannot be read). */
  readonly definition?: any;
}

/** Reads a state machine's definition and what it can call. @internal */
export function stateMachineCalls(ctx: SimulationContext, sm: ResourceNode): StateMachineCalls {
  // `DefinitionString` (what CDK writes: a string or a Fn::Join), or `Definition` (a JSON object, read literally).
  const resolved = sm.properties.DefinitionString !== undefined
    ? ctx.graph.text(sm.properties.DefinitionString, sm.stack)
    : { text: JSON.stringify(sm.properties.Definition ?? {}), refs: [] };
  let definition: any;
  try {
    definition = JSON.parse(resolved.text);
  } catch {
    definition = undefined;
  }
  const sdkTasks = [...resolved.text.matchAll(/arn:[a-z-]+:states:::aws-sdk:([a-z0-9-]+):([A-Za-z0-9]+)/g)].map((m) => `${m[1]}:${m[2]}`.toLowerCase());
  const functions = resolved.refs.filter((r) => r.type === 'AWS::Lambda::Function');
  const functionAllows = functions.flatMap((fn) => {
    const role = ctx.graph.target(fn.properties.Role, fn.stack);
    return role && role.type === 'AWS::IAM::Role' ? roleAllows(ctx, role) : [];
  });
  return { sdkTasks, functionAllows, definition };
}

/**
 * Whether the state machine can call `action` (e.g. `rds:FailoverGlobalCluster`) on a resource whose ARN contains
 * `resourceHint` (e.g. `global-cluster:orders`): through an `aws-sdk` task, or through a function whose role allows it.
 * @internal
 */
export function canCall(calls: StateMachineCalls, action: string, resourceHint?: string): boolean {
  if (calls.sdkTasks.includes(action.toLowerCase())) return true;
  return calls.functionAllows.some((a) => a.actions.some((p) => p !== '*' && actionMatches(p, action))
    && (resourceHint === undefined || a.resources.some((r) => r === '*' || r.includes(resourceHint))));
}

/** The control plane a service prefix of IAM belongs to (`CONTROL_PLANE_HOME` keys), if it is homed in one region. */
function controlPlaneOf(service: string): string | undefined {
  if (service === 'route53') return 'route53';
  if (service === 'route53-recovery-control-config') return 'arc';
  if (service === 'cloudfront') return 'cloudfront';
  if (service === 'iam') return 'iam';
  return undefined;
}

/**
 * The control-plane calls of a state machine that fail while their home region is down: Route 53, CloudFront and IAM
 * changes (us-east-1), ARC recovery-control configuration (us-west-2). Wildcard actions (`*`) are not counted.
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
 * @internal
 */
export function blockedControlPlaneCalls(ctx: SimulationContext, sm: ResourceNode, calls: StateMachineCalls): SimulatedBlocker[] {
  const actions = new Set([...calls.sdkTasks, ...calls.functionAllows.flatMap((a) => a.actions).filter((a) => a !== '*')]);
  const blocked = [...actions].filter((a) => {
    const plane = controlPlaneOf(a.split(':')[0]);
    return plane !== undefined && CONTROL_PLANE_HOME[plane] === ctx.outage;
  });
  if (!blocked.length) return [];
  return [{
    resource: sm.key,
    reason: `its steps call ${blocked.join(', ')}, a control plane homed in ${ctx.outage}, which is down: those steps fail`,
  }];
}

/** The text of a property, or undefined when absent. @internal */
export function textOf(ctx: SimulationContext, node: ResourceNode, value: any): string | undefined {
  return value === undefined || value === null ? undefined : ctx.graph.text(value, node.stack).text;
}
