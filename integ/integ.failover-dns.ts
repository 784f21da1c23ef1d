/**
 * Real-AWS drill for FailoverDns: failover and failback of a two-endpoint failover record, then of a
 * three-endpoint failover chain.
 *
 * Deploys a public hosted zone (not delegated: answers are read with Route 53's TestDNSAnswer, so no
 * domain is needed) and three tiny Lambda function URLs that answer `/health` with 200. Then:
 *   1. `api`: TestDNSAnswer → the primary's host;
 *   2. invert the primary's health check (UpdateHealthCheck Inverted=true) → the secondary's host;
 *   3. restore it (Inverted=false) → the primary's host again (failback).
 *   4. `chain` (3 endpoints: level 0's SECONDARY is an alias to `failover-1.chain`, created after that level's
 *      PRIMARY record — the deploy itself proves the DependsOn): TestDNSAnswer → endpoint 0;
 *   5. invert endpoint 0's check → endpoint 1; 6. invert endpoint 1's check too → endpoint 2;
 *   7. restore both → endpoint 0 again.
 *
 * Not deployed from this repository's CI (no AWS account there): `npx projen integ:deploy` runs it.
 * Cost: five Route 53 health checks and a hosted zone for the few minutes it runs.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverDns } from '../src';

const app = new App();
// Environment-agnostic, like the assertion stack integ-tests adds (integ-runner deploys both to us-east-1).
const stack = new Stack(app, 'FailoverDnsInteg');

const zoneName = 'failover-dns-integ.example.com';
const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName });
zone.applyRemovalPolicy(RemovalPolicy.DESTROY);

function healthEndpoint(name: string): string {
  const fn = new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', endpoint: '${name}' }) });`),
    timeout: Duration.seconds(3),
    logGroup: new logs.LogGroup(stack, `${name}Logs`, { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY }),
  });
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  // https://<id>.lambda-url.<region>.on.aws/ → <id>.lambda-url.<region>.on.aws
  return Fn.select(2, Fn.split('/', url.url));
}

const primaryHost = healthEndpoint('Primary');
const secondaryHost = healthEndpoint('Secondary');
const thirdHost = healthEndpoint('Third');

const dns = new FailoverDns(stack, 'Dns', {
  zone,
  recordName: `api.${zoneName}`,
  endpoints: [
    { region: 'us-east-1', domainName: primaryHost },
    { region: 'us-west-2', domainName: secondaryHost },
  ],
  alarms: false,
});

// A failover chain of three endpoints (the region labels only name the endpoints here).
const chain = new FailoverDns(stack, 'Chain', {
  zone,
  recordName: `chain.${zoneName}`,
  endpoints: [
    { region: 'us-east-1', domainName: primaryHost },
    { region: 'us-west-2', domainName: secondaryHost },
    { region: 'eu-west-1', domainName: thirdHost },
  ],
  alarms: false,
});

const integ = new IntegTest(app, 'FailoverDnsTest', {
  testCases: [stack],
  regions: ['us-east-1'],
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const answer = (label = 'api') => integ.assertions.awsApiCall('Route53', 'testDNSAnswer', {
  HostedZoneId: zone.hostedZoneId,
  RecordName: `${label}.${zoneName}`,
  RecordType: 'CNAME',
});
const expectHost = (host: string) => ExpectedResult.objectLike({ RecordData: Match.arrayWith([Match.stringLikeRegexp(host)]) });
const invertPrimary = (inverted: boolean) => integ.assertions.awsApiCall('Route53', 'updateHealthCheck', {
  HealthCheckId: dns.endpointRecord('us-east-1').healthCheck!.healthCheckId,
  Inverted: inverted,
});
const wait = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) };

const primaryAnswers = answer();
primaryAnswers.expect(expectHost(primaryHost)).waitForAssertions(wait);

const failover = invertPrimary(true);
const secondaryAnswers = answer();
secondaryAnswers.expect(expectHost(secondaryHost)).waitForAssertions(wait);

const failback = invertPrimary(false);
const primaryAgain = answer();
primaryAgain.expect(expectHost(primaryHost)).waitForAssertions(wait);

primaryAnswers.next(failover).next(secondaryAnswers).next(failback).next(primaryAgain);

// The three-endpoint chain: the first healthy endpoint in priority order answers.
const invert = (dnsRecord: FailoverDns, region: string, inverted: boolean) => integ.assertions.awsApiCall('Route53', 'updateHealthCheck', {
  HealthCheckId: dnsRecord.endpointRecord(region).healthCheck!.healthCheckId,
  Inverted: inverted,
});
const chainFirst = answer('chain');
chainFirst.expect(expectHost(primaryHost)).waitForAssertions(wait);
const chainDown0 = invert(chain, 'us-east-1', true);
const chainSecond = answer('chain');
chainSecond.expect(expectHost(secondaryHost)).waitForAssertions(wait);
const chainDown1 = invert(chain, 'us-west-2', true);
const chainThird = answer('chain');
chainThird.expect(expectHost(thirdHost)).waitForAssertions(wait);
const chainUp0 = invert(chain, 'us-east-1', false);
const chainUp1 = invert(chain, 'us-west-2', false);
const chainFirstAgain = answer('chain');
chainFirstAgain.expect(expectHost(primaryHost)).waitForAssertions(wait);

primaryAgain.next(chainFirst).next(chainDown0).next(chainSecond).next(chainDown1).next(chainThird)
  .next(chainUp0).next(chainUp1).next(chainFirstAgain);
