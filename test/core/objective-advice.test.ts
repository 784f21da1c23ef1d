import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization, ApiRecordMode, FailoverDns, FailoverEndpoint, RecoveryObjectives } from '../../src';
import { buildApi } from '../multi-region-api/api-util';
import { failureMessage } from '../util/errors';

// Issue 18 item 4: objective errors suggest only the settings in play, and state the floor when no setting can
// reach the objective. Route 53 health checks: RequestInterval is 10 or 30 s and FailureThreshold 1–10
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html), so detection is at least
// 10 s × 1 = 10 s, plus the 6 s HTTP(S) probe timeout
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html),
// plus the 10 s checker-to-DNS propagation assumption. A TTL can be 0. So no setting takes a Route 53 failover
// below 10 + 6 + 10 + 0 = 26 s.

function dns(endpoints: (region: string) => FailoverEndpoint, recoveryObjectives: RecoveryObjectives): string {
  const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  return failureMessage(() => new FailoverDns(stack, 'Api', {
    zone, recordName: 'api', endpoints: ['us-east-1', 'us-west-2'].map(endpoints), recoveryObjectives,
  }));
}

const cname = (region: string): FailoverEndpoint => ({ region, domainName: `${region}.origin.example.net` });
const alias = (region: string): FailoverEndpoint => ({
  region,
  target: route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: `${region}.elb.example.net`, hostedZoneId: 'Z2FDTNDATAQYW2' }) }),
  healthCheck: { fqdn: `${region}.elb.example.net` },
});

describe('recovery objective errors', () => {
  test('FailoverDns, 20 s: below the 26 s floor, so no setting is suggested and the floor is stated', () => {
    const message = dns(cname, { rto: Duration.seconds(20) });
    expect(message).toMatch(/cannot be met, the RTO budget is 51 s \(.*\); no setting of this construct can meet it: /);
    expect(message).toContain('take 26 s whatever the settings');
    expect(message).not.toMatch(/; lower /);
  });

  test('FailoverDns with CNAME endpoints, 40 s: suggests the health check and `ttl`, not alias settings', () => {
    const message = dns(cname, { rto: Duration.seconds(40) });
    expect(message).toMatch(/; lower `healthCheck.interval`, `healthCheck.failureThreshold`, `ttl` \(no setting takes the budget below 26 s\)$/);
    expect(message).not.toContain('alias');
  });

  test('FailoverDns with alias endpoints, 40 s: suggests what changes the alias TTL, not `ttl` of CNAME records', () => {
    const message = dns(alias, { rto: Duration.seconds(40) });
    expect(message).toMatch(/budget is 96 s/);
    expect(message).not.toContain('`ttl` (CNAME endpoints)');
    expect(message).toMatch(/; lower `healthCheck.interval`, `healthCheck.failureThreshold`, lower the alias target's own TTL \(`aliasTargetTtl` states it\), or use `domainName` endpoints \(CNAME records with a short `ttl`\) instead of alias targets \(no setting takes the budget below 26 s\)$/);
  });

  test('MultiRegionApi in CNAME mode (the default): no ALIAS advice', () => {
    const message = failureMessage(() => buildApi({ authorization: ApiAuthorization.none(), recoveryObjectives: { rto: Duration.seconds(50) } }));
    expect(message).toMatch(/; lower `healthCheck.interval`, `healthCheck.failureThreshold`, `ttl` \(no setting takes the budget below 26 s\)$/);
  });

  test('MultiRegionApi in ALIAS mode: suggests CNAME mode with a short `ttl`, since an alias answers with the target\'s TTL', () => {
    const message = failureMessage(() => buildApi({
      authorization: ApiAuthorization.none(), recordMode: ApiRecordMode.ALIAS, recoveryObjectives: { rto: Duration.seconds(50) },
    }));
    expect(message).toMatch(/; lower `healthCheck.interval`, `healthCheck.failureThreshold`, use `recordMode: ApiRecordMode.CNAME` with a short `ttl` \(no setting takes the budget below 26 s\)$/);
  });

  test('MultiRegionApi, 25 s: below the floor', () => {
    const message = failureMessage(() => buildApi({ authorization: ApiAuthorization.none(), recoveryObjectives: { rto: Duration.seconds(25) } }));
    expect(message).toContain('no setting of this construct can meet it');
    expect(message).toContain('take 26 s whatever the settings');
  });
});
