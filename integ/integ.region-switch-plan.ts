/**
 * Real-AWS drill for RegionSwitchPlan: an ARC Region switch plan switches an Aurora global database and a FailoverDns
 * record from us-east-1 to us-east-2, then back.
 *
 * Deploys an Aurora PostgreSQL global database over us-east-1 (primary) and us-east-2 (one db.r6g.large per Region,
 * `removalPolicy: DESTROY`), a public hosted zone (not delegated: answers are read with Route 53's TestDNSAnswer) with a
 * FailoverDns record over two Lambda function URLs, and a Region switch plan (active/passive) whose activation workflow
 * has two steps: the Aurora block (graceful: `SwitchoverGlobalCluster`) then the Route 53 health check block.
 *
 * `FailoverDns.useRegionSwitchPlan` attaches the plan's health checks to the records: the PRIMARY record's check becomes a
 * CALCULATED check of the endpoint's own check AND the plan's check of us-east-1 (`HealthThreshold: 2`); the SECONDARY keeps
 * its endpoint check (see the README, "Region switch").
 *
 * Then, from the assertion stack in us-east-2 (Region switch plans are executed in the Region being activated,
 * https://docs.aws.amazon.com/r53recovery/latest/dg/plan-execution-rs.html):
 *   1. TestDNSAnswer → the us-east-1 host;
 *   2. StartPlanExecution { action: activate, targetRegion: us-east-2, mode: graceful } (the API documents only the
 *      graceful and ungraceful modes: there is no practice mode to ask for,
 *      https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html); GetPlanExecution until
 *      `executionState` is `completed`;
 *   3. DescribeGlobalClusters: the us-east-2 member IsWriter; TestDNSAnswer → the us-east-2 host;
 *   4. fail back: activate us-east-1, wait for `completed`, then the us-east-1 member IsWriter and TestDNSAnswer → the
 *      us-east-1 host (so the stacks delete in order).
 *
 * Not deployed from this repository's CI (no AWS account there); the snapshot is not committed yet. The assertion
 * provider calls `@aws-sdk/client-arc-region-switch`: the Lambda runtime's SDK must include it (not checked here).
 * Cost: two db.r6g.large instances (~0.26 USD/h each) plus storage and replication, the plan (ARC pricing), the plan's
 * and the endpoints' Route 53 health checks and a hosted zone, for the ~60-90 minutes the deploy, drill and destroy take.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { integAccount } from './integ-env';
import { AuroraGlobalFailover } from '../src/aurora-global-failover';
import { FailoverDns } from '../src/failover-dns';
import { RegionSwitchPlan } from '../src/region-switch-plan';

const account = integAccount();
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-east-2';
const app = new App();

const db = new AuroraGlobalFailover(app, 'RegionSwitchDb', {
  account,
  regions: [PRIMARY, SECONDARY],
  globalClusterIdentifier: 'rsp-integ',
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
  instancesPerRegion: 1,
  backupRetention: Duration.days(1),
  removalPolicy: RemovalPolicy.DESTROY,
  logRetention: logs.RetentionDays.ONE_DAY,
});

// The assertions run in us-east-2 and read the plan's ARN, the zone id and the hosts of this us-east-1 stack: a throwaway
// drill may use aws-cdk-lib's (strong) cross-region references.
const stack = new Stack(app, 'RegionSwitchPlanInteg', { env: { account, region: PRIMARY }, crossRegionReferences: true });
const zoneName = 'region-switch-integ.example.com';
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
  return Fn.select(2, Fn.split('/', url.url));
}
const primaryHost = healthEndpoint('Primary');
const secondaryHost = healthEndpoint('Secondary');

const dns = new FailoverDns(stack, 'Dns', {
  zone,
  recordName: `api.${zoneName}`,
  endpoints: [{ region: PRIMARY, domainName: primaryHost }, { region: SECONDARY, domainName: secondaryHost }],
  alarms: false,
});

const plan = new RegionSwitchPlan(stack, 'Plan', { planName: 'rsp-integ', regions: [PRIMARY, SECONDARY] });
plan.addStep(plan.auroraStep(db, { timeout: Duration.minutes(30) }));
plan.addStep(plan.failoverDnsStep(dns, { timeout: Duration.minutes(10), publishHealthCheckIds: false }));

// The PRIMARY record answers while its endpoint AND the plan's health check of us-east-1 are healthy (CALCULATED,
// HealthThreshold 2): executing the plan turns the latter unhealthy, a failed endpoint the former. The SECONDARY keeps its
// endpoint check. The records share the plan's stack, so they take the plan's attribute directly (no SSM parameter).
dns.useRegionSwitchPlan(plan);

const assertionStack = new Stack(app, 'RegionSwitchPlanIntegAssertions', { env: { account, region: SECONDARY }, crossRegionReferences: true });
const integ = new IntegTest(app, 'RegionSwitchPlanTest', {
  testCases: [...db.stacks, stack],
  assertionStack,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const wait = { totalTimeout: Duration.minutes(45), interval: Duration.seconds(30) };
const memberArn = (region: string) => `arn:aws:rds:${region}:${account}:cluster:rsp-integ-${region}`;
const answer = () => integ.assertions.awsApiCall('Route53', 'testDNSAnswer', {
  HostedZoneId: zone.hostedZoneId,
  RecordName: `api.${zoneName}`,
  RecordType: 'CNAME',
});
const expectHost = (host: string) => ExpectedResult.objectLike({ RecordData: Match.arrayWith([Match.stringLikeRegexp(host)]) });

/** Activates `region` with a graceful execution and waits until the writer and the DNS answer are there. */
function activate(region: string, host: string) {
  const start = integ.assertions.awsApiCall('@aws-sdk/client-arc-region-switch', 'StartPlanExecution', {
    planArn: plan.planArn,
    targetRegion: region,
    action: 'activate',
    mode: 'graceful',
    comment: `integ drill: activate ${region}`,
  });
  const done = integ.assertions.awsApiCall('@aws-sdk/client-arc-region-switch', 'GetPlanExecution', {
    planArn: plan.planArn,
    executionId: start.getAttString('executionId'),
  });
  done.expect(ExpectedResult.objectLike({ executionState: 'completed' })).waitForAssertions(wait);
  const writer = integ.assertions.awsApiCall('RDS', 'describeGlobalClusters', { GlobalClusterIdentifier: 'rsp-integ' });
  const isWriter = Match.objectLike({ DBClusterArn: memberArn(region), IsWriter: true });
  writer.expect(ExpectedResult.objectLike({ GlobalClusters: [Match.objectLike({ GlobalClusterMembers: Match.arrayWith([isWriter]) })] }))
    .waitForAssertions(wait);
  const moved = answer();
  moved.expect(expectHost(host)).waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });
  start.next(done).next(writer).next(moved);
  return { start, moved };
}

const before = answer();
before.expect(expectHost(primaryHost)).waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });
const toSecondary = activate(SECONDARY, secondaryHost);
const backToPrimary = activate(PRIMARY, primaryHost);
before.next(toSecondary.start);
toSecondary.moved.next(backToPrimary.start);

app.synth();
