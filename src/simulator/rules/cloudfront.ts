import { CdnDistribution, readDistributions } from '../cdn-distribution';
import { isStaticTarget, readFlow, readTargets, servedBuckets } from '../cdn-read';
import { replicatedBucketFlows } from '../cdn-static';
import { writeFlow, writeTargets } from '../cdn-write';
import { addFinding, FlowRule, SimulationContext } from '../context';
import { ResourceNode } from '../graph';
import { SimulatedFlow } from '../types';

const LAMBDA_EDGE_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html';

/**
 * CloudFront and S3. Distributions, CloudFront Functions and KeyValueStores are global: their data plane runs in the
 * edge locations and keeps serving when the Region of their stack (us-east-1) fails; only their control plane is
 * homed there (CONTROL_PLANE_HOME.cloudfront).
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
 *
 * Per distribution, one flow per distinct GET target of its cache behaviors (`cdn-read` for custom
 * origins, `static` for S3 origins), one `cdn-write` flow per distinct target of the behaviors that allow
 * POST/PUT/PATCH/DELETE, then `static` flows for replicated buckets no distribution serves.
 * @internal
 */
export const cloudFrontRule: FlowRule = (ctx) => {
  const reads: SimulatedFlow[] = [];
  const writes: SimulatedFlow[] = [];
  const statics: SimulatedFlow[] = [];
  const served = new Set<ResourceNode>();
  for (const dist of readDistributions(ctx)) {
    servedBuckets(ctx, dist).forEach((b) => served.add(b));
    const wTargets = writeTargets(ctx, dist);
    const distWrites = wTargets.map((t) => writeFlow(ctx, dist, t, flowId('cdn-write', dist, t.key, wTargets.length)));
    const flagAt = distWrites.filter((f) => f.impacted && f.recoveredAtSeconds !== undefined).map((f) => f.recoveredAtSeconds!);
    const rTargets = readTargets(ctx, dist);
    const count = (s: boolean) => rTargets.filter((t) => isStaticTarget(dist, t) === s).length;
    for (const t of rTargets) {
      const isStatic = isStaticTarget(dist, t);
      const flow = readFlow(ctx, dist, t, flowId(isStatic ? 'static' : 'cdn-read', dist, t.key, count(isStatic)), flagAt.length ? Math.min(...flagAt) : undefined);
      (isStatic ? statics : reads).push(flow);
    }
    writes.push(...distWrites);
    warnLambdaEdge(ctx, dist);
  }
  return [...reads, ...writes, ...statics, ...replicatedBucketFlows(ctx, served)];
};

/** `<kind>:<stack>/<distribution>`, with `:<target>` when the distribution has several targets of that kind. */
function flowId(kind: string, dist: CdnDistribution, key: string, count: number): string {
  return `${kind}:${dist.node.key}${count > 1 ? `:${key}` : ''}`;
}

/**
 * Lambda@Edge runs in the AWS Regions where it is invoked (near the edge locations): AWS documents no rerouting of the
 * requests whose Region is down, so the simulator cannot tell what happens to them.
 */
function warnLambdaEdge(ctx: SimulationContext, dist: CdnDistribution): void {
  const name = (l: { text: string; refs: ResourceNode[] }) => {
    const ref = l.refs[0];
    const fn = ref?.type === 'AWS::Lambda::Version' ? ctx.graph.target(ref.properties.FunctionName, ref.stack) : ref;
    return fn?.key ?? l.text;
  };
  const arns = [...new Set(dist.behaviors.flatMap((b) => b.edgeLambdas.map(name)))];
  for (const arn of arns) {
    addFinding(ctx, 'warning', dist.node.key, `Lambda@Edge ${arn} runs in the AWS Regions near the edge locations (${LAMBDA_EDGE_DOC}); `
      + `AWS documents no rerouting while one of them is down: if ${ctx.outage} runs it, requests handled there may fail`);
  }
}
