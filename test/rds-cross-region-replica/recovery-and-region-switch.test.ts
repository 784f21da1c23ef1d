import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import { ACCOUNT, build, DNS } from './helpers';
import { RecoveryBasis } from '../../src/core/recovery';
import { OutageSimulator } from '../../src/simulator';
import { failureMessage } from '../util/errors';

const arn = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:db:orders-${region}`;

describe('recoveryEstimate', () => {
  test('with a writer DNS name: orchestration + promotion (assumed, AWS gives no bound) + one poll + metric period + propagation + two TTLs', () => {
    const e = build({ writerDnsRecord: DNS }).db.recoveryEstimate;
    expect(e.rtoBounded).toBe(true);
    expect(e.rto.toSeconds()).toBe(10 + 900 + 15 + 60 + 10 + 60);
    expect(e.typicalRto.toSeconds()).toBe(10 + 300 + 15 + 60 + 10 + 30);
    const promotion = e.propagationTerms.find((t) => t.label === 'RDS read replica promotion')!;
    expect(promotion.basis).toBe(RecoveryBasis.ASSUMPTION);
    expect(promotion.source).toContain('"The promotion process can take several minutes or longer to complete, depending on the size of the read replica"');
    expect(promotion.source).toContain('https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html');
    expect(e.explanation).toContain('RDS read replica promotion 15 min (typical 5 min) [assumption]');
    expect(e.explanation).toContain('DNS TTL at two levels (writer name and promoted.<name>, 30 s each) 60 s (typical 30 s)');
  });

  test('RPO: unbounded (asynchronous replication), typical 5 s as a stated assumption', () => {
    const e = build({ writerDnsRecord: DNS, replicaLagThreshold: Duration.seconds(20) }).db.recoveryEstimate;
    expect(e.rpoBounded).toBe(false);
    expect(e.rpo).toBeUndefined();
    expect(e.typicalRpo.toSeconds()).toBe(5);
    expect(e.rpoMechanism).toBe('asynchronous replication: the promoted replica has what it had replayed (ReplicaLag); the alarm at 20 s warns but does not stop writes');
  });

  test('promotionTime, pollInterval, the TTL and healthCheckPropagation change the figures', () => {
    const e = build({
      writerDnsRecord: { ...DNS, ttl: Duration.seconds(10) },
      promotionTime: Duration.minutes(30),
      pollInterval: Duration.seconds(5),
      recoveryAssumptions: { healthCheckPropagation: Duration.seconds(30) },
    }).db.recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(10 + 1800 + 5 + 60 + 30 + 20);
    expect(e.typicalRto.toSeconds()).toBe(10 + 300 + 5 + 60 + 30 + 10);
    // A promotion assumed shorter than the typical figure makes the typical figure that short too.
    const short = build({ writerDnsRecord: DNS, promotionTime: Duration.minutes(2) }).db.recoveryEstimate;
    expect(short.typicalRto.toSeconds()).toBe(10 + 120 + 15 + 60 + 10 + 30);
  });

  test('without a writer DNS name the RTO is unbounded: clients must be repointed', () => {
    const e = build().db.recoveryEstimate;
    expect(e.rtoBounded).toBe(false);
    expect(e.noAutomaticRecovery).toBe('clients keep the old primary\'s endpoint until someone points them at the promoted instance; set `writerDnsRecord` for a name that follows it');
  });

  test.each([
    ['an RTO without a writer DNS name', { recoveryObjectives: { rto: Duration.minutes(20) } },
      'RdsCrossRegionReplica: `recoveryObjectives.rto` of 20 min cannot be met, the RTO is unbounded: clients keep the old primary\'s endpoint until someone points '
      + 'them at the promoted instance; set `writerDnsRecord` for a name that follows it; remove `recoveryObjectives.rto`'],
    ['an RTO just under the budget', { writerDnsRecord: DNS, recoveryObjectives: { rto: Duration.minutes(17) } },
      'RdsCrossRegionReplica: `recoveryObjectives.rto` of 17 min cannot be met, the RTO budget is 17 min 35 s (RDS cross-Region read replica promotion (manual, '
      + 'writer DNS name follows): RTO budget 17 min 35 s, typical 7 min 5 s = manual start (operator time not counted) 0 s + pre-check and PromoteReadReplica call '
      + '10 s [assumption] + RDS read replica promotion 15 min (typical 5 min) [assumption] + status poll interval 15 s + promotion metric to health check (one '
      + '1-minute alarm period) 60 s + checker-to-DNS propagation 10 s [assumption] + DNS TTL at two levels (writer name and promoted.<name>, 30 s each) 60 s '
      + '(typical 30 s); RPO unbounded (asynchronous replication: the promoted replica has what it had replayed (ReplicaLag); the alarm at 60 s warns but does '
      + 'not stop writes), typical 5 s); lower `pollInterval`, `writerDnsRecord.ttl` (no setting takes the budget below 16 min 21 s)'],
    ['an RPO', { writerDnsRecord: DNS, recoveryObjectives: { rpo: Duration.seconds(5) } },
      'RdsCrossRegionReplica: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: asynchronous replication: the promoted replica has what it '
      + 'had replayed (ReplicaLag); the alarm at 60 s warns but does not stop writes (typical 5 s); remove `recoveryObjectives.rpo`'],
  ])('recoveryObjectives: %s fails synthesis', (_what, props, message) => {
    expect(failureMessage(() => build(props as any))).toBe(message);
  });

  test('an RTO the budget meets passes', () => {
    expect(build({ writerDnsRecord: DNS, recoveryObjectives: { rto: Duration.minutes(18) } }).db.recoveryEstimate.rto.toSeconds()).toBe(1055);
  });
});

describe('ARC Region switch steps', () => {
  test('RdsPromoteReadReplica: the instance ARN of each of the plan\'s two regions, timeout 60 min by default', () => {
    const { db } = build();
    expect(db.regionSwitchPromoteStep()).toEqual({
      name: 'promote-orders',
      description: 'Promote the RDS read replica orders-<activated Region> to a standalone instance',
      executionBlockType: 'RdsPromoteReadReplica',
      executionBlockConfiguration: {
        rdsPromoteReadReplicaConfig: { dbInstanceArnMap: { 'us-east-1': arn('us-east-1'), 'us-west-2': arn('us-west-2') }, timeoutMinutes: 60 },
      },
    });
  });

  test('RdsCreateCrossRegionReplica for the post-recovery workflow; plan regions, name and timeout can be chosen', () => {
    const { db } = build({}, 3);
    expect(db.regionSwitchCreateReplicaStep({ planRegions: ['eu-west-1', 'us-west-2'], name: 'rebuild', timeout: Duration.minutes(240) })).toEqual({
      name: 'rebuild',
      description: 'Re-create the cross-Region read replica of orders from the promoted instance',
      executionBlockType: 'RdsCreateCrossRegionReplica',
      executionBlockConfiguration: {
        rdsCreateCrossRegionReadReplicaConfig: { dbInstanceArnMap: { 'eu-west-1': arn('eu-west-1'), 'us-west-2': arn('us-west-2') }, timeoutMinutes: 240 },
      },
    });
  });

  test('the steps fit an AWS::ARCRegionSwitch::Plan', () => {
    const { db } = build();
    const stack = new Stack(new App(), 'Plan', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new arcregionswitch.CfnPlan(stack, 'Plan', {
      name: 'orders',
      executionRole: `arn:aws:iam::${ACCOUNT}:role/region-switch`,
      recoveryApproach: 'activePassive',
      primaryRegion: 'us-east-1',
      regions: ['us-east-1', 'us-west-2'],
      workflows: [
        { workflowTargetAction: 'activate', workflowTargetRegion: 'us-west-2', steps: [db.regionSwitchPromoteStep()] },
        { workflowTargetAction: 'activate', workflowTargetRegion: 'us-east-1', steps: [db.regionSwitchPromoteStep()] },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Workflows: Match.arrayWith([Match.objectLike({
        Steps: [{
          Name: 'promote-orders',
          Description: Match.anyValue(),
          ExecutionBlockType: 'RdsPromoteReadReplica',
          ExecutionBlockConfiguration: { RdsPromoteReadReplicaConfig: { DbInstanceArnMap: { 'us-east-1': arn('us-east-1'), 'us-west-2': arn('us-west-2') }, TimeoutMinutes: 60 } },
        }],
      })]),
    });
  });

  test.each([
    [{ planRegions: ['us-east-1', 'us-west-2', 'eu-west-1'] }, '`planRegions` must be two different regions of this construct (us-east-1, us-west-2, eu-west-1): a Region switch plan has exactly two Regions, got: us-east-1, us-west-2, eu-west-1'],
    [{ planRegions: ['us-west-2', 'us-west-2'] }, '`planRegions` must be two different regions of this construct (us-east-1, us-west-2, eu-west-1): a Region switch plan has exactly two Regions, got: us-west-2, us-west-2'],
    [{ planRegions: ['us-east-1', 'ap-south-1'] }, '`planRegions` must be two different regions of this construct (us-east-1, us-west-2, eu-west-1): a Region switch plan has exactly two Regions, got: us-east-1, ap-south-1'],
    [{ timeout: Duration.seconds(90) }, '`timeout` must be a whole number of minutes of at least 1, got: 1.5 min'],
    [{ timeout: Duration.minutes(0) }, '`timeout` must be a whole number of minutes of at least 1, got: 0 min'],
  ])('bad options %j', (options, message) => {
    const { db } = build({}, 3);
    expect(failureMessage(() => db.regionSwitchPromoteStep(options as any))).toBe(message);
  });
});

describe('the outage simulator recognises the replicas', () => {
  test('primary region lost: each replica is a database-writer flow that waits for PromoteReadReplica', () => {
    const { app } = build({}, 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rds-xr-'));
    const assembly = app.synth({ force: true });
    fs.cpSync(assembly.directory, dir, { recursive: true });
    const result = OutageSimulator.fromAssembly(dir).run({ outage: 'us-east-1' });
    const flows = result.flows.filter((f) => f.kind === 'database-writer');
    expect(flows.map((f) => [f.fromRegion, f.toRegion, f.impacted])).toEqual([['us-east-1', 'us-west-2', true], ['us-east-1', 'eu-west-1', true]]);
    expect(flows[0].blockedBy[0].reason).toContain('PromoteReadReplica on orders-us-west-2 in us-west-2');
  });
});

test('metricReplicaLag and grantStartPromotion name the region\'s instance and state machine', () => {
  const { app, db } = build();
  const m = db.metricReplicaLag('us-west-2');
  expect([m.namespace, m.metricName, m.dimensions, m.region, m.statistic]).toEqual(['AWS/RDS', 'ReplicaLag', { DBInstanceIdentifier: 'orders-us-west-2' }, 'us-west-2', 'Maximum']);
  const ops = new Stack(app, 'Ops', { env: { account: ACCOUNT, region: 'us-west-2' } });
  const { Role, AccountRootPrincipal } = jest.requireActual('aws-cdk-lib/aws-iam');
  db.grantStartPromotion(new Role(ops, 'Operator', { assumedBy: new AccountRootPrincipal() }), 'us-west-2');
  Template.fromStack(ops).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:orders-promote-replica` }] },
  });
  expect(failureMessage(() => db.grantStartPromotion(new Role(ops, 'Other', { assumedBy: new AccountRootPrincipal() }), 'eu-west-1')))
    .toBe('`region` must be one of the regions of this construct (us-east-1, us-west-2), got: eu-west-1');
});
