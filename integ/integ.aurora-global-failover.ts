/**
 * Real-AWS drill for AuroraGlobalFailover: a planned switchover to the secondary region and back.
 *
 * Deploys an Aurora PostgreSQL global database over us-east-1 (primary) and us-east-2 (secondary), one
 * db.r6g.large instance per region (the smallest memory-optimized class; burstable classes do not support
 * global databases), `removalPolicy: DESTROY` (which turns deletion protection off), everything destroyed
 * afterwards. Then, from the assertion stack in us-east-1, with the us-east-1 state machine:
 *   1. start { mode: 'switchover', targetRegion: 'us-east-2' }: the orchestrator sends SwitchoverGlobalCluster to
 *      the current primary's region (us-east-1) and is done when the us-east-2 member is the writer and its
 *      cluster is available; wait for the execution to SUCCEED;
 *   2. DescribeGlobalClusters: the us-east-2 member IsWriter, and the global cluster is `available` again (a
 *      switchover is refused until it is);
 *   3. start { mode: 'switchover', targetRegion: 'us-east-1' } (switch back): this time the orchestrator, still in
 *      us-east-1, sends the call to us-east-2, the primary now; wait for SUCCEEDED;
 *   4. DescribeGlobalClusters: the us-east-1 member IsWriter again (so the stacks delete in order).
 *
 * Not deployed from this repository's CI (no AWS account there): `npx projen integ:deploy` runs it with
 * CDK_INTEG_ACCOUNT set to the account of your credentials.
 * Cost: two db.r6g.large instances (~0.26 USD/h each in us-east-1/us-east-2) plus storage and cross-region
 * replication, for the ~60-90 minutes the deploy, drill and destroy take.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { integAccount } from './integ-env';
import { AuroraGlobalFailover } from '../src/aurora-global-failover';

const account = integAccount();
const app = new App();

const db = new AuroraGlobalFailover(app, 'AuroraGlobalInteg', {
  account,
  regions: ['us-east-1', 'us-east-2'],
  globalClusterIdentifier: 'agf-integ',
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
  instancesPerRegion: 1,
  backupRetention: Duration.days(1),
  removalPolicy: RemovalPolicy.DESTROY,
  logRetention: logs.RetentionDays.ONE_DAY,
  // A fresh secondary may have sparse lag data; the drill is about the orchestration, not the lag gate.
  replicationLagThreshold: Duration.seconds(5),
});

const assertionStack = new Stack(app, 'AuroraGlobalIntegAssertions', { env: { account, region: 'us-east-1' } });
const integ = new IntegTest(app, 'AuroraGlobalFailoverTest', {
  testCases: db.stacks,
  assertionStack,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const stateMachineArn = `arn:aws:states:us-east-1:${account}:stateMachine:agf-integ-failover`;
const memberArn = (region: string) => `arn:aws:rds:${region}:${account}:cluster:agf-integ-${region}`;
const wait = { totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) };

/**
 * One planned switchover to `region`, started without an execution name (Step Functions generates a unique one, so
 * re-runs never collide), asserted by the execution's status and then by DescribeGlobalClusters.
 */
function switchTo(region: string) {
  const start = integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn,
    input: JSON.stringify({ mode: 'switchover', targetRegion: region }),
  });
  const finished = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') });
  finished.expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' })).waitForAssertions(wait);
  const writer = integ.assertions.awsApiCall('RDS', 'describeGlobalClusters', { GlobalClusterIdentifier: 'agf-integ' });
  writer.expect(ExpectedResult.objectLike({
    GlobalClusters: [Match.objectLike({
      Status: 'available',
      GlobalClusterMembers: Match.arrayWith([Match.objectLike({ DBClusterArn: memberArn(region), IsWriter: true })]),
    })],
  })).waitForAssertions(wait);
  start.next(finished).next(writer);
  return { start, writer };
}

const toSecondary = switchTo('us-east-2');
const backToPrimary = switchTo('us-east-1');
toSecondary.writer.next(backToPrimary.start);
