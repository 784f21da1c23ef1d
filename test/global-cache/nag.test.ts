import { build, template } from './helpers';
import { GlobalCacheAuth, GlobalCacheProps } from '../../src/global-cache';
import { nagErrors } from '../util/nag';

describe('GlobalCache cdk-nag', () => {
  test.each([
    ['defaults, 3 regions (AUTH token)', {}, 3],
    ['RBAC user group', { auth: GlobalCacheAuth.userGroup('app-users') }, 2],
    ['cluster mode, 12 nodes per region (composite lag alarm)', { shards: 4, replicasPerShard: 2 }, 2],
  ])('%s: no unsuppressed AwsSolutions errors in any stack', (_name, props, n) => {
    const { cache } = build(props as Partial<GlobalCacheProps>, n as number);
    for (const stack of cache.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  /** Every cdk-nag suppression of `region`: "<logical id prefix> <rule> <appliesTo>". */
  function suppressions(props: Partial<GlobalCacheProps>, n: number, region: string): string[] {
    const { cache } = build(props, n);
    const resources = template(cache, region).toJSON().Resources as Record<string, any>;
    return Object.entries(resources).flatMap(([id, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s: any) =>
      `${id.replace(/[0-9A-F]{8}$/, '')} ${s.id}${s.applies_to ? ` ${JSON.stringify(s.applies_to)}` : ''}`)).sort();
  }

  test('each suppression is on one resource, for one rule, with appliesTo for IAM4/IAM5', () => {
    expect(suppressions({}, 2, 'us-east-1')).toEqual([
      'AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-L1',
      'AWS679f53fac002430cb0da5b7982bd2287ServiceRole AwsSolutions-IAM4 ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]',
      'AuthToken AwsSolutions-SMG4',
      'PromotionHandler AwsSolutions-L1',
      'PromotionStateMachineRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*","Resource::<PromotionHandler39616097.Arn>:*"]',
    ]);
    // A secondary: the inherited encryption and Multi-AZ settings, nothing else of its own.
    expect(suppressions({}, 2, 'us-west-2')).toEqual([
      'PromotionHandler AwsSolutions-L1',
      'PromotionStateMachineRoleDefaultPolicy AwsSolutions-IAM5 ["Resource::*","Resource::<PromotionHandler39616097.Arn>:*"]',
      'ReplicationGroup AwsSolutions-AEC3',
      'ReplicationGroup AwsSolutions-AEC4',
    ]);
    // RBAC: AEC6 (no AUTH token) on every member, and no secret.
    const rbac = { auth: GlobalCacheAuth.userGroup('app-users') };
    expect(suppressions(rbac, 2, 'us-east-1').filter((s) => s.startsWith('ReplicationGroup') || s.startsWith('AuthToken'))).toEqual(['ReplicationGroup AwsSolutions-AEC6']);
    expect(suppressions(rbac, 2, 'us-west-2').filter((s) => s.startsWith('ReplicationGroup'))).toEqual([
      'ReplicationGroup AwsSolutions-AEC3', 'ReplicationGroup AwsSolutions-AEC4', 'ReplicationGroup AwsSolutions-AEC6',
    ]);
  });
});
