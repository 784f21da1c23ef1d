/**
 * Real-AWS drill for GlobalCache: promote the secondary region to primary, assert it, and promote the first region back.
 *
 * Deploys a Valkey global datastore over us-east-1 (primary) and us-east-2 (secondary): cache.m6g.large nodes (the
 * smallest size AWS supports for global datastores: "size large and above"), one replica per region (Multi-AZ needs it),
 * `removalPolicy: DESTROY`, everything destroyed afterwards. Then, from the assertion stack in us-east-2 (the region that
 * survives in the scenario), with the us-east-2 state machine `gc-integ-promote`:
 *   1. read the global datastore id from us-east-2's SSM parameter (AWS prefixed it; the primary stack wrote it there);
 *   2. start {} (target: the function's own region, us-east-2): FailoverGlobalReplicationGroup is sent to us-east-2 and the
 *      execution SUCCEEDS once gc-integ-us-east-2 is the PRIMARY member and available;
 *   3. DescribeGlobalReplicationGroups (ShowMemberInfo) in us-east-2: gc-integ-us-east-2 has Role PRIMARY;
 *   4. restore: start { targetRegion: 'us-east-1' } on the same state machine (the function promotes any member, calling
 *      the target's region); wait for SUCCEEDED, then gc-integ-us-east-1 is PRIMARY again (so the stacks delete in order).
 *
 * Not deployed from this repository's CI (no AWS account there): `npx projen integ:deploy` runs it with
 * CDK_INTEG_ACCOUNT set to the account of your credentials.
 * Cost: four cache.m6g.large Valkey nodes (about 0.12 USD/h each in us-east-1/us-east-2 at Valkey prices) plus
 * cross-region data transfer, for the ~60-90 minutes the deploy (a global datastore takes a while to create), drill and
 * destroy take.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { integAccount } from './integ-env';
import { GlobalCache } from '../src/global-cache';

const account = integAccount();
const app = new App();

const cache = new GlobalCache(app, 'GlobalCacheInteg', {
  account,
  regions: ['us-east-1', 'us-east-2'],
  cacheName: 'gc-integ',
  nodeType: 'cache.m6g.large',
  replicasPerShard: 1,
  snapshotRetention: Duration.days(0),
  removalPolicy: RemovalPolicy.DESTROY,
  logRetention: logs.RetentionDays.ONE_DAY,
});

const assertionStack = new Stack(app, 'GlobalCacheIntegAssertions', { env: { account, region: 'us-east-2' } });
assertionStack.addDependency(cache.stacks[1], 'reads the global datastore id the primary stack wrote in us-east-2');
const integ = new IntegTest(app, 'GlobalCacheTest', {
  testCases: cache.stacks,
  assertionStack,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const stateMachineArn = `arn:aws:states:us-east-2:${account}:stateMachine:gc-integ-promote`;
const wait = { totalTimeout: Duration.minutes(45), interval: Duration.seconds(30) };
const globalId = integ.assertions.awsApiCall('SSM', 'getParameter', {
  Name: '/cdk-multi-region-failover/cache/gc-integ/us-east-2/global-replication-group-id',
});

/** One promotion of `region` by the us-east-2 state machine, asserted by the execution and by DescribeGlobalReplicationGroups. */
function promote(region: string, input: object) {
  const start = integ.assertions.awsApiCall('SFN', 'startExecution', { stateMachineArn, input: JSON.stringify(input) });
  const finished = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') });
  finished.expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' })).waitForAssertions(wait);
  const primary = integ.assertions.awsApiCall('ElastiCache', 'describeGlobalReplicationGroups', {
    GlobalReplicationGroupId: globalId.getAttString('Parameter.Value'),
    ShowMemberInfo: true,
  });
  primary.expect(ExpectedResult.objectLike({
    GlobalReplicationGroups: [Match.objectLike({
      Members: Match.arrayWith([Match.objectLike({ ReplicationGroupId: `gc-integ-${region}`, ReplicationGroupRegion: region, Role: 'PRIMARY' })]),
    })],
  })).waitForAssertions(wait);
  start.next(finished).next(primary);
  return { start, primary };
}

const toSecondary = promote('us-east-2', {});
const back = promote('us-east-1', { targetRegion: 'us-east-1' });
globalId.next(toSecondary.start);
toSecondary.primary.next(back.start);
