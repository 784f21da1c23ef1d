/**
 * Real-AWS drill for AuroraGlobalFailover: a planned switchover to the secondary region and back.
 *
 * Deploys an Aurora PostgreSQL global database over us-east-1 (primary) and us-east-2 (secondary), one
 * db.r6g.large instance per region (the smallest memory-optimized class; burstable classes do not support
 * global databases), no deletion protection, everything destroyed afterwards. Then, from the assertion
 * stack in us-east-1:
 *   1. start the us-east-1 state machine with { mode: 'switchover', targetRegion: 'us-east-2' } and wait
 *      for the execution to SUCCEED;
 *   2. DescribeGlobalClusters: the us-east-2 member is the writer;
 *   3. start it again with { targetRegion: 'us-east-1' } (switch back) and wait for SUCCEEDED;
 *   4. DescribeGlobalClusters: the us-east-1 member is the writer again (so the stacks delete in order).
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
  deletionProtection: false,
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

function switchTo(region: string, name: string) {
  const start = integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn,
    name,
    input: JSON.stringify({ mode: 'switchover', targetRegion: region }),
  });
  const finished = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') });
  finished.expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' })).waitForAssertions(wait);
  const writer = integ.assertions.awsApiCall('RDS', 'describeGlobalClusters', { GlobalClusterIdentifier: 'agf-integ' });
  writer.expect(ExpectedResult.objectLike({
    GlobalClusters: [Match.objectLike({
      GlobalClusterMembers: Match.arrayWith([Match.objectLike({ DBClusterArn: memberArn(region), IsWriter: true })]),
    })],
  })).waitForAssertions(wait);
  start.next(finished).next(writer);
  return { start, writer };
}

const toSecondary = switchTo('us-east-2', 'integ-switchover');
const backToPrimary = switchTo('us-east-1', 'integ-switchback');
toSecondary.writer.next(backToPrimary.start);
