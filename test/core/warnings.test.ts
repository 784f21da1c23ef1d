import { App, Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, MultiRegionApi } from '../../src';

// Issue 18 item 5: every warning of the library reaches the cloud assembly (so `cdk synth --strict` sees it) and can
// be acknowledged. A MultiRegionApi sits above its regional stacks: a warning on the construct itself would be in no
// stack's metadata. Route 53 advises 60 s or less on failover records
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html).

function api(app: App, ttl?: Duration): MultiRegionApi {
  return new MultiRegionApi(app, 'Api', {
    account: '111111111111',
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    recordName: 'api',
    authorization: ApiAuthorization.none(),
    ttl,
  });
}

function warnings(app: App): string[] {
  app.synth();
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c))
    .flatMap((s) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('long-failover-ttl')))
    .map((w) => String(w.entry.data));
}

describe('warnings of a construct above its stacks', () => {
  test('a 600 s failover TTL on MultiRegionApi warns in its first stack, once', () => {
    const app = new App();
    api(app, Duration.seconds(600));
    const found = warnings(app);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^`ttl` is 600 s on a health-checked failover record: .* \[ack: cdk-multi-region-failover:long-failover-ttl\]$/);
  });

  test('acknowledged on the construct: no warning', () => {
    const app = new App();
    const a = api(app, Duration.seconds(600));
    CoreAnnotations.of(a).acknowledgeWarning('cdk-multi-region-failover:long-failover-ttl', 'resolvers here honour 60 s anyway');
    expect(warnings(app)).toEqual([]);
  });

  test('60 s: no warning', () => {
    const app = new App();
    api(app, Duration.seconds(60));
    expect(warnings(app)).toEqual([]);
  });
});
