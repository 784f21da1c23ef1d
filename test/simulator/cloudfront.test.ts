import { customOrigin, distribution, edgeRouter, flowOf, originGroup, routedSite, simulate } from './cloudfront-fixtures';
import { FixtureStack } from './fixtures';

const WEST = 'api1.execute-api.eu-west-1.amazonaws.com';
const CENTRAL = 'api2.execute-api.eu-central-1.amazonaws.com';
const READ_ID = 'cdn-read:Edge/Distribution';

/** A distribution in us-east-1 with an origin group eu-west-1 → eu-central-1 (2 attempts × 3 s, 5 s read timeout). */
function groupSite(extra: { codes?: number[]; secondary?: string; timing?: any } = {}): FixtureStack[] {
  return [{
    name: 'Edge',
    region: 'us-east-1',
    resources: {
      Distribution: distribution({
        origins: [customOrigin('west', WEST, extra.timing ?? { attempts: 2, connect: 3, read: 5 }), customOrigin('central', extra.secondary ?? CENTRAL)],
        groups: [originGroup('api', ['west', 'central'], extra.codes)],
        defaultBehavior: { TargetOriginId: 'api', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
      }),
    },
  }];
}

describe('cdn-read: origin groups', () => {
  test('a primary in the failed region fails over per request at once (penalty 2 × 3 s + 2 × 5 s = 16 s)', () => {
    const flow = flowOf(simulate(groupSite(), 'eu-west-1'), READ_ID);
    // recovered at 0 s: every GET/HEAD/OPTIONS request is retried on the secondary; the penalty is the primary's
    // 2 connection attempts × 3 s + 2 × 5 s response timeout (a hung primary) = 16 s.
    expect(flow).toMatchObject({
      kind: 'cdn-read',
      impacted: true,
      fromRegion: 'eu-west-1',
      toRegion: 'eu-central-1',
      recoveredAtSeconds: 0,
      typicalSeconds: 0,
      perRequestPenaltySeconds: 16,
      blockedBy: [],
      constructPath: 'Edge/Distribution/Resource',
    });
    expect(flow.timeline.map((e) => [e.t, e.phase, e.region])).toEqual([[0, 'failing', undefined], [0, 'recovered', 'eu-central-1']]);
    expect(flow.timeline[1].event).toContain('penalty ≤ 16 s (2 × 3 s connection timeout + 2 × 5 s response timeout of a hung primary), 6 s when it refuses connections');
  });

  test('origins without timing settings use the CloudFront defaults (3 × 10 s + 3 × 30 s = 120 s)', () => {
    const flow = flowOf(simulate(groupSite({ timing: {} }), 'eu-west-1'), READ_ID);
    expect(flow.perRequestPenaltySeconds).toBe(120);
  });

  test('a primary outside the failed region is not impacted; a lost secondary is noted', () => {
    const flow = flowOf(simulate(groupSite(), 'eu-central-1'), READ_ID);
    expect(flow).toMatchObject({ impacted: false, fromRegion: 'eu-west-1', blockedBy: [] });
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.timeline).toEqual([{ t: 0, event: 'secondary origin central in eu-central-1 is down: no failover left until it recovers' }]);
  });

  test('both origins in the failed region: never, and the finding is an error', () => {
    const result = simulate(groupSite({ secondary: 'api3.execute-api.eu-west-1.amazonaws.com' }), 'eu-west-1');
    const flow = flowOf(result, READ_ID);
    expect(flow.impacted).toBe(true);
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy).toEqual([
      { resource: 'Edge/Distribution', reason: 'both origins of api (west, central) are in eu-west-1' },
      { resource: 'Edge/Distribution', reason: 'moving the behavior to another origin needs a person: a CloudFront UpdateDistribution call (control plane in us-east-1)' },
    ]);
    expect(result.findings).toContainEqual({ severity: 'error', resource: 'Edge/Distribution', message: 'origin group api: the secondary central is in the primary\'s region eu-west-1, so a regional outage takes both' });
  });

  test('failover codes without 502/503 are a warning', () => {
    const result = simulate(groupSite({ codes: [500, 504] }), 'eu-west-1');
    expect(result.findings).toContainEqual({
      severity: 'warning',
      resource: 'Edge/Distribution',
      message: 'origin group api does not fail over on 502, 503: a primary that answers these codes is not retried on central (only connection failures and timeouts are)',
    });
  });
});

describe('cdn-read: single origins and the CloudFront control plane', () => {
  const single = (domain: string): FixtureStack[] => [{
    name: 'Edge',
    region: 'us-east-1',
    resources: { Distribution: distribution({ origins: [customOrigin('only', domain)], defaultBehavior: { TargetOriginId: 'only' } }) },
  }];

  test('a single origin in the failed region never recovers without a person', () => {
    const flow = flowOf(simulate(single(WEST), 'eu-west-1'), READ_ID);
    expect(flow.blockedBy[0]).toEqual({ resource: 'Edge/Distribution', reason: 'the only origin only is in eu-west-1 (no origin group)' });
    expect(flow.timeline).toHaveLength(1);
  });

  test('in a us-east-1 outage the fix (UpdateDistribution) is blocked too: the CloudFront control plane is there', () => {
    const flow = flowOf(simulate(single('lb-1.us-east-1.elb.amazonaws.com'), 'us-east-1'), READ_ID);
    expect(flow.blockedBy[1]).toEqual({
      resource: 'Edge/Distribution',
      reason: 'moving the behavior to another origin is a CloudFront UpdateDistribution call: its control plane (us-east-1) is down in this outage',
    });
    expect(flow.timeline[1].event).toBe('the CloudFront control plane (us-east-1) is down: no distribution, function or invalidation changes until it recovers; edge locations keep serving');
  });
});

describe('cdn-read: per-request origin groups built by a CloudFront Function', () => {
  const site: FixtureStack[] = [{
    name: 'Edge',
    region: 'us-east-1',
    resources: { Router: edgeRouter(undefined), Distribution: routedSite('Router', WEST, CENTRAL) },
  }];

  test('createRequestOriginGroup fails GET/HEAD/OPTIONS over per request (1 × 2 s + 1 × 10 s = 12 s); probe paths are no flows', () => {
    const result = simulate(site, 'eu-west-1');
    const flow = flowOf(result, READ_ID);
    // The behavior targets app-primary alone: only the function's group makes it fail over. Penalty: 1 × 2 s + 1 × 10 s = 12 s.
    expect(flow).toMatchObject({ impacted: true, toRegion: 'eu-central-1', recoveredAtSeconds: 0, perRequestPenaltySeconds: 12, name: 'app.example.com (default behavior)' });
    expect(flow.timeline[1].event).toContain('the CloudFront Function Edge/Router\'s per-request origin group retries each request on app-dr in eu-central-1');
    // The pinned /health/primary and /health/dr behaviors are health probes, not user traffic.
    expect(result.flows.filter((f) => f.kind === 'cdn-read').map((f) => f.id)).toEqual([READ_ID]);
  });

  test('the function\'s failover codes are read from its configuration object', () => {
    const stacks: FixtureStack[] = [{ ...site[0], resources: { Router: edgeRouter(undefined, [503]), Distribution: routedSite('Router', WEST, CENTRAL) } }];
    expect(simulate(stacks, 'eu-west-1').findings).toContainEqual({
      severity: 'warning',
      resource: 'Edge/Distribution',
      message: 'origin group app-primary+app-dr does not fail over on 500, 502, 504: a primary that answers these codes is not retried on app-dr (only connection failures and timeouts are)',
    });
  });

  test('without the function the same behavior has no failover: never', () => {
    const stacks: FixtureStack[] = [{ ...site[0], resources: { Distribution: routedSite('Router', WEST, CENTRAL) } }];
    const flow = flowOf(simulate(stacks, 'eu-west-1'), 'cdn-read:Edge/Distribution:app-primary');
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0].reason).toBe('the only origin app-primary is in eu-west-1 (no origin group)');
  });
});

describe('Lambda@Edge', () => {
  test('is a warning: it runs in the Regions near the edge locations, and AWS documents no rerouting', () => {
    const stacks: FixtureStack[] = [{
      name: 'Edge',
      region: 'us-east-1',
      resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::111111111111:role/x', Code: { ZipFile: 'x' } } },
        FnVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
        Distribution: distribution({
          origins: [customOrigin('only', WEST)],
          defaultBehavior: { TargetOriginId: 'only', LambdaFunctionAssociations: [{ EventType: 'origin-request', LambdaFunctionARN: { Ref: 'FnVersion' } }] },
        }),
      },
    }];
    expect(simulate(stacks, 'eu-west-1').findings).toContainEqual({
      severity: 'warning',
      resource: 'Edge/Distribution',
      message: 'Lambda@Edge Edge/Fn runs in the AWS Regions near the edge locations (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html); '
        + 'AWS documents no rerouting while one of them is down: if eu-west-1 runs it, requests handled there may fail',
    });
  });
});
