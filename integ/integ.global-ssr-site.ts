/**
 * GlobalSsrSite failover drill on REAL AWS (deploys five stacks in two regions + us-east-1; costs money).
 *
 *   GLOBAL_SSR_ACCOUNT=123456789012 GLOBAL_SSR_ZONE_ID=Z... GLOBAL_SSR_ZONE_NAME=example.com \
 *   GLOBAL_SSR_PRIMARY_REGION=eu-west-1 GLOBAL_SSR_DR_REGION=eu-central-1 npx projen integ:deploy
 *
 * Without the variables it synthesizes offline with placeholder values (snapshot only).
 *
 * 1. GET through CloudFront is answered by the primary region.
 * 2. The primary function is made to answer 503 (`BOOTSTRAP_FORCE_STATUS`, `UpdateFunctionConfiguration`),
 *    its health path included: GET is served by DR at once (per-request origin group); once the reconciler in
 *    the DR region (or the health check alarm) sets the KeyValueStore flag to `dr`, a plain form POST (no
 *    `x-amz-content-sha256` from the client: the Lambda@Edge body hash adds it) is served by DR too.
 * 3. The primary is restored; after failback (flag back to `primary`) the same POST is served by the primary.
 * 4. A static object put in the primary bucket replicates; once it is deleted from the primary bucket,
 *    CloudFront still serves it, from the DR bucket (static origin group fails over on 403).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { integAccount } from './integ-env';
import { GlobalSsrSite } from '../src/global-ssr-site';

const account = process.env.GLOBAL_SSR_ACCOUNT ?? integAccount();
const primaryRegion = process.env.GLOBAL_SSR_PRIMARY_REGION ?? 'eu-west-1';
const drRegion = process.env.GLOBAL_SSR_DR_REGION ?? 'eu-central-1';
const zoneName = process.env.GLOBAL_SSR_ZONE_NAME ?? 'example.com';
const hostedZoneId = process.env.GLOBAL_SSR_ZONE_ID ?? 'Z0000000000000000000';
const domainName = `ssr-integ.${zoneName}`;

const app = new App();
const site = new GlobalSsrSite(app, 'GlobalSsrSiteInteg', {
  account,
  primaryRegion,
  drRegion,
  domainName,
  hostedZoneId,
  zoneName,
  siteName: 'ssr-integ',
  removalPolicy: RemovalPolicy.DESTROY,
});

// awsApiCall runs in the assertion stack's region: the primary region (Lambda and S3 calls go there).
const assertionStack = new Stack(app, 'GlobalSsrSiteIntegAssertions', { env: { account, region: primaryRegion } });
const integ = new IntegTest(app, 'GlobalSsrSiteTest', {
  // Deployment order: regional stacks, us-east-1, then the origin stacks (grants scoped to the distribution).
  testCases: [site.drStack!, site.primaryStack, site.globalStack, site.drOriginStack!, site.primaryOriginStack],
  assertionStack,
  diffAssets: true,
});

const base = `https://${domainName}`;
const json = { headers: { accept: 'application/json' } };
const slow = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) };

// 1. The primary answers.
const primaryServes = integ.assertions.httpApiCall(`${base}/?drill=1`, json);
primaryServes.expect(ExpectedResult.objectLike({ status: 200, body: { region: primaryRegion, role: 'primary' } }));
primaryServes.waitForAssertions(slow);

// 2. Break the primary.
const breakPrimary = integ.assertions.awsApiCall('Lambda', 'updateFunctionConfiguration', {
  FunctionName: site.functionName,
  Environment: { Variables: { ...site.ssrEnvironment('primary'), BOOTSTRAP_FORCE_STATUS: '503' } },
});
const primaryBroken = integ.assertions.httpApiCall(`${base}${GlobalSsrSite.PRIMARY_PROBE_PATH}`, json);
primaryBroken.expect(ExpectedResult.objectLike({ status: 503 }));
primaryBroken.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

const getServedByDr = integ.assertions.httpApiCall(`${base}/?drill=2`, json);
getServedByDr.expect(ExpectedResult.objectLike({ status: 200, body: { region: drRegion, role: 'dr' } }));
getServedByDr.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

// A plain HTML form POST during the failover: no x-amz-content-sha256 from the client (the site's
// Lambda@Edge function adds it for OAC), served by the DR region once the active-origin flag says `dr`.
const formPost = {
  method: 'POST',
  body: 'drill=write&note=plain+form+post',
  headers: { 'accept': 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
};
const postServedByDr = integ.assertions.httpApiCall(`${base}/form`, formPost);
postServedByDr.expect(ExpectedResult.objectLike({ status: 200, body: { region: drRegion, role: 'dr', method: 'POST' } }));
postServedByDr.waitForAssertions(slow);

// 3. Restore the primary.
const restorePrimary = integ.assertions.awsApiCall('Lambda', 'updateFunctionConfiguration', {
  FunctionName: site.functionName,
  Environment: { Variables: site.ssrEnvironment('primary') },
});
const primaryBack = integ.assertions.httpApiCall(`${base}${GlobalSsrSite.PRIMARY_PROBE_PATH}`, json);
primaryBack.expect(ExpectedResult.objectLike({ status: 200, body: { region: primaryRegion } }));
primaryBack.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

// Failback: once the flag is back to `primary`, the same form POST is served by the primary region.
const postServedByPrimary = integ.assertions.httpApiCall(`${base}/form?failback=1`, formPost);
postServedByPrimary.expect(ExpectedResult.objectLike({ status: 200, body: { region: primaryRegion, role: 'primary', method: 'POST' } }));
postServedByPrimary.waitForAssertions(slow);

// 4. Static replication: put → replicated → delete from primary → served from the DR bucket.
const key = 'static/integ-replication.txt';
const putObject = integ.assertions.awsApiCall('S3', 'putObject', {
  Bucket: site.primaryBucketName,
  Key: key,
  Body: 'replicated to DR',
  ContentType: 'text/plain',
});
const replicated = integ.assertions.awsApiCall('S3', 'headObject', { Bucket: site.primaryBucketName, Key: key });
replicated.expect(ExpectedResult.objectLike({ ReplicationStatus: 'COMPLETED' }));
replicated.waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
const deleteFromPrimary = integ.assertions.awsApiCall('S3', 'deleteObject', { Bucket: site.primaryBucketName, Key: key });
const servedFromDr = integ.assertions.httpApiCall(`${base}/${key}`);
servedFromDr.expect(ExpectedResult.objectLike({ status: 200, body: 'replicated to DR' }));
servedFromDr.waitForAssertions(slow);

primaryServes
  .next(breakPrimary)
  .next(primaryBroken)
  .next(getServedByDr)
  .next(postServedByDr)
  .next(restorePrimary)
  .next(primaryBack)
  .next(postServedByPrimary)
  .next(putObject)
  .next(replicated)
  .next(deleteFromPrimary)
  .next(servedFromDr);

app.synth();
