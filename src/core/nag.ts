import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';

/**
 * cdk-nag suppressions without a runtime dependency on cdk-nag.
 *
 * cdk-nag reads suppressions from `cdk_nag` metadata on each CfnResource (and on the stack's template
 * metadata). This module writes that metadata in cdk-nag's own format, so users who run cdk-nag see
 * the same clean result as this library's tests, and users who don't pay nothing for it.
 * @internal
 */
export interface NagSuppression {
  /** The rule id, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding does not apply (at least 10 characters, ASCII). */
  readonly reason: string;
  /** Limit the suppression to these findings (strings or `{ regex: '/.../' }`). */
  readonly appliesTo?: Array<string | { regex: string }>;
}

function toCfnFormat(s: NagSuppression): Record<string, unknown> {
  if (s.reason.length < 10) {
    throw new Error(`nag suppression ${s.id} needs a reason of 10 characters or more`);
  }
  if (/\[.*\]/.test(s.id)) {
    throw new Error(`nag suppression ${s.id}: suppress a finding with \`appliesTo\`, not in the id`);
  }
  if ([...s.reason].some((c) => (c.codePointAt(0) ?? 0) > 255)) {
    return { reason: Buffer.from(s.reason).toString('base64'), id: s.id, is_reason_encoded: true, ...(s.appliesTo ? { applies_to: s.appliesTo } : {}) };
  }
  return { reason: s.reason, id: s.id, ...(s.appliesTo ? { applies_to: s.appliesTo } : {}) };
}

function merge(existing: { rules_to_suppress?: unknown[] } | undefined, suppressions: NagSuppression[]) {
  const rules = [...(existing?.rules_to_suppress ?? []), ...suppressions.map(toCfnFormat)].map((r) => JSON.stringify(r));
  return { rules_to_suppress: [...new Set(rules)].map((r) => JSON.parse(r)) };
}

/**
 * The subset of cdk-nag's `NagSuppressions` API this library uses, writing the same metadata.
 * @internal
 */
export class NagSuppressions {
  /** Suppress findings on a construct's CfnResource (its default child) and optionally on all its children. */
  public static addResourceSuppressions(construct: IConstruct | IConstruct[], suppressions: NagSuppression[], applyToChildren = false): void {
    const constructs = Array.isArray(construct) ? construct : [construct];
    for (const c of constructs) {
      for (const child of applyToChildren ? c.node.findAll() : [c]) {
        const l1 = child.node.defaultChild ?? child;
        if (l1 instanceof CfnResource) {
          l1.addMetadata('cdk_nag', merge(l1.getMetadata('cdk_nag'), suppressions));
        }
      }
    }
  }

  /** Suppress findings on every resource of a stack. */
  public static addStackSuppressions(stack: Stack, suppressions: NagSuppression[]): void {
    const metadata = (stack.templateOptions.metadata ??= {});
    metadata.cdk_nag = merge(metadata.cdk_nag, suppressions);
  }

  /** Suppress findings on the construct at `path` in `stack` (a leading "/" is ignored). */
  public static addResourceSuppressionsByPath(stack: Stack, path: string | string[], suppressions: NagSuppression[], applyToChildren = false): void {
    for (const p of Array.isArray(path) ? path : [path]) {
      const fixed = p.replace(/^\//, '');
      const matches = stack.node.findAll().filter((c) => c.node.path === fixed || `${c.node.path}/Resource` === fixed);
      if (matches.length === 0) {
        throw new Error(`nag suppression path "${p}" did not match any resource`);
      }
      NagSuppressions.addResourceSuppressions(matches, suppressions, applyToChildren);
    }
  }

  private constructor() {}
}

/**
 * The `AwsCustomResource` provider is a stack-level singleton function owned by aws-cdk-lib: one suppression each for its
 * runtime (AwsSolutions-L1) and its basic execution role (AwsSolutions-IAM4), with what it does in this stack.
 * @param runtimeReason why its Node.js runtime is acceptable here (what it runs for)
 * @param roleReason what its role may do besides writing its logs
 * @internal
 */
export function suppressAwsCustomResourceProvider(stack: Stack, runtimeReason: string, roleReason: string): void {
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) {
    return;
  }
  NagSuppressions.addResourceSuppressions(provider, [{ id: 'AwsSolutions-L1', reason: runtimeReason }]);
  NagSuppressions.addResourceSuppressions(provider.node.findChild('ServiceRole'), [{
    id: 'AwsSolutions-IAM4',
    reason: roleReason,
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  }]);
}
