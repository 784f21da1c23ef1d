/**
 * Real-AWS drill for MultiRegionApi: global table replication, deep health, failover and failback.
 *
 * Deploys the API in THREE regions, us-east-1 (primary), us-west-2 and eu-west-1, with the built-in handler: the
 * deploy itself proves that a 3-region failover chain deploys on the first try (the us-west-2 stack's alias
 * `failover-1.api` is created after the record it aliases). Then:
 *   1. GET /health is 200 in both regions (execute-api endpoints);
 *   2. POST /write in the primary, then GET /read in the secondary returns the item (global table); writing the
 *      same id again is refused with 409 (the built-in /write is a conditional create, it never overwrites);
 *   3. Route 53 TestDNSAnswer: the name answers with the primary's regional domain;
 *   4. fail the primary: set FORCE_UNHEALTHY=true on its health function, the one behind GET /health
 *      (`healthHandler`; UpdateFunctionConfiguration, keeping the construct's environment `healthHandlerEnvironment`)
 *      → its deep /health answers 503 → TestDNSAnswer answers with the secondary's domain, and
 *      GET https://<name>/health is served by us-west-2; the routes' handler is untouched (GET /read still works
 *      in the primary: the health check has its own function);
 *   5. fail the second region too (UpdateHealthCheck Inverted=true on its health check: Route 53 is a global API)
 *      → the chain answers with eu-west-1's domain; restore it → us-west-2 again;
 *   6. failback: restore the primary's environment → the name answers with the primary again.
 * The alarms stack (`<prefix>-api-alarms-us-east-1`) is deployed too: eu-west-1's stack has published its health check
 * id to SSM in us-east-1 (read back and compared), and the primary's HealthCheckStatus alarm, created in us-east-1 from
 * that parameter scheme, goes to ALARM while the primary is failed (step 4).
 *
 * The drill calls the routes without credentials, so the API is explicitly public (`ApiAuthorization.none()`,
 * which synthesis reports with a `cdk-multi-region-failover:public-api` warning); its table is destroyed with it.
 *
 * Needs a REAL public hosted zone delegated from the internet (ACM validates the certificates through it and
 * step 4 resolves the name): set MRA_INTEG_ZONE_ID and MRA_INTEG_ZONE_NAME (and CDK_INTEG_ACCOUNT). The
 * defaults are placeholders so that the test synthesizes offline; nothing is deployed by the snapshot check.
 * Cost while it runs: three REST APIs, three Route 53 health checks, a 3-region on-demand global table, six alarms.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { integAccount } from './integ-env';
import { ApiAuthorization, MultiRegionApi } from '../src/multi-region-api';
import { healthCheckIdParameterName } from '../src/multi-region-api/alarms';

const account = integAccount();
const hostedZoneId = process.env.MRA_INTEG_ZONE_ID ?? 'Z0000000000PLACEHOLDER';
const zoneName = process.env.MRA_INTEG_ZONE_NAME ?? 'multi-region-api-integ.example.com';
const [PRIMARY, SECONDARY, THIRD] = ['us-east-1', 'us-west-2', 'eu-west-1'];

const app = new App();
const api = new MultiRegionApi(app, 'MraInteg', {
  account,
  regions: [PRIMARY, SECONDARY, THIRD],
  hostedZoneId,
  zoneName,
  recordName: 'api',
  // A public drill API: the assertions call /write and /read without a token.
  authorization: ApiAuthorization.none(),
  removalPolicy: RemovalPolicy.DESTROY,
  logRetention: 1,
  // The test account may already have API Gateway's CloudWatch role: keep it.
  cloudWatchRole: false,
});
const primary = api.region(PRIMARY);
const secondary = api.region(SECONDARY);
const third = api.region(THIRD);

// Assertions run in the primary region (Lambda's UpdateFunctionConfiguration is regional); the secondary's
// URL and domain reach them through CDK's SSM-based cross-region references (test only: the construct's own
// stacks never reference each other).
const assertions = new Stack(app, 'MraIntegAssertions', { env: { account, region: PRIMARY }, crossRegionReferences: true });
const integ = new IntegTest(app, 'MultiRegionApiTest', {
  testCases: [...api.stacks, api.alarmsStack!],
  assertionStack: assertions,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) };
const itemId = 'integ-replication-check';
const get = (url: string) => integ.assertions.httpApiCall(url);
const healthy = (region: string) => ExpectedResult.objectLike({ status: 200, body: { status: 'ok', region } });

const primaryHealth = get(`${primary.url}health`);
primaryHealth.expect(healthy(PRIMARY));
const secondaryHealth = get(`${secondary.url}health`);
secondaryHealth.expect(healthy(SECONDARY));

const post = (body: object) => integ.assertions.httpApiCall(`${primary.url}write`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
const write = post({ id: itemId, note: 'written in the primary' });
write.expect(ExpectedResult.objectLike({ status: 201, body: { region: PRIMARY, item: { id: itemId, _writtenIn: PRIMARY } } }));
const overwrite = post({ id: itemId, note: 'an overwrite attempt' });
overwrite.expect(ExpectedResult.objectLike({ status: 409, body: { id: itemId, region: PRIMARY } }));

const replicated = get(`${secondary.url}read?id=${itemId}`);
replicated.expect(ExpectedResult.objectLike({ status: 200, body: { region: SECONDARY, item: { id: itemId, _writtenIn: PRIMARY } } }))
  .waitForAssertions(wait);

const dnsAnswer = () => integ.assertions.awsApiCall('Route53', 'testDNSAnswer', {
  HostedZoneId: hostedZoneId,
  RecordName: api.domainName,
  RecordType: 'CNAME',
});
const answersWith = (domain: string) => ExpectedResult.objectLike({ RecordData: Match.arrayWith([Match.stringLikeRegexp(domain)]) });

const primaryAnswer = dnsAnswer();
primaryAnswer.expect(answersWith(primary.domain.domainNameAliasDomainName)).waitForAssertions(wait);

// The drill flips the function that serves GET /health (not the routes' handler).
const setPrimaryHealth = (forceUnhealthy: boolean) => integ.assertions.awsApiCall('Lambda', 'updateFunctionConfiguration', {
  FunctionName: primary.healthHandler.functionName,
  Environment: { Variables: { ...primary.healthHandlerEnvironment, ...(forceUnhealthy ? { FORCE_UNHEALTHY: 'true' } : {}) } },
});

const failPrimary = setPrimaryHealth(true);
const primaryUnhealthy = get(`${primary.url}health`);
primaryUnhealthy.expect(ExpectedResult.objectLike({ status: 503, body: { status: 'unhealthy', region: PRIMARY } })).waitForAssertions(wait);
// Only the health function was failed: the primary's routes still answer.
const primaryRoutesServing = get(`${primary.url}read?id=${itemId}`);
primaryRoutesServing.expect(ExpectedResult.objectLike({ status: 200, body: { region: PRIMARY, item: { id: itemId } } }));
const secondaryAnswer = dnsAnswer();
secondaryAnswer.expect(answersWith(secondary.domain.domainNameAliasDomainName)).waitForAssertions(wait);
// The primary's HealthCheckStatus alarm (alarms stack, us-east-1) sees the failure.
const primaryAlarm = integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [api.healthCheckAlarms[0].alarmName] });
primaryAlarm.expect(ExpectedResult.objectLike({ MetricAlarms: [{ StateValue: 'ALARM' }] })).waitForAssertions(wait);
const servedBySecondary = get(`${api.url}/health`);
servedBySecondary.expect(healthy(SECONDARY)).waitForAssertions(wait);

// The second region fails too: the chain's next level answers (third region), then it comes back.
const setSecondaryInverted = (inverted: boolean) => integ.assertions.awsApiCall('Route53', 'updateHealthCheck', {
  HealthCheckId: secondary.endpointRecord.healthCheck!.healthCheckId,
  Inverted: inverted,
});
const failSecondary = setSecondaryInverted(true);
const thirdAnswer = dnsAnswer();
thirdAnswer.expect(answersWith(third.domain.domainNameAliasDomainName)).waitForAssertions(wait);
const restoreSecondary = setSecondaryInverted(false);
const secondaryAgain = dnsAnswer();
secondaryAgain.expect(answersWith(secondary.domain.domainNameAliasDomainName)).waitForAssertions(wait);

const failback = setPrimaryHealth(false);
const primaryAgain = dnsAnswer();
primaryAgain.expect(answersWith(primary.domain.domainNameAliasDomainName)).waitForAssertions(wait);

// eu-west-1's stack published its health check id to SSM in us-east-1, where the alarms stack reads it.
const thirdPublished = integ.assertions.awsApiCall('SSM', 'getParameter', { Name: healthCheckIdParameterName(api.stackNamePrefix, THIRD) });
thirdPublished.expect(ExpectedResult.objectLike({ Parameter: { Value: third.endpointRecord.healthCheck!.healthCheckId } }));

primaryHealth
  .next(thirdPublished)
  .next(secondaryHealth)
  .next(write)
  .next(overwrite)
  .next(replicated)
  .next(primaryAnswer)
  .next(failPrimary)
  .next(primaryUnhealthy)
  .next(primaryRoutesServing)
  .next(secondaryAnswer)
  .next(primaryAlarm)
  .next(servedBySecondary)
  .next(failSecondary)
  .next(thirdAnswer)
  .next(restoreSecondary)
  .next(secondaryAgain)
  .next(failback)
  .next(primaryAgain);
