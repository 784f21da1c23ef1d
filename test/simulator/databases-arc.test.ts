import { flow, globalCluster, memberCluster, metricAlarm, simulate } from './databases-fixtures';
import { FixtureStack } from './fixtures';

const ID = 'database-writer:db-use1/GlobalCluster';

/** A Region switch plan (us-east-1 ⇄ us-west-2) with one Aurora step, in a stack of `planRegion`. */
function withPlan(aurora: any, options: { triggerAlarm?: boolean; approval?: boolean; planRegion?: string } = {}): FixtureStack[] {
  const steps = [
    ...(options.approval ? [{ Name: 'approve', ExecutionBlockType: 'ManualApproval', ExecutionBlockConfiguration: { ExecutionApprovalConfig: { ApprovalRole: 'arn:aws:iam::111111111111:role/x' } } }] : []),
    { Name: 'database', ExecutionBlockType: 'AuroraGlobalDatabase', ExecutionBlockConfiguration: { GlobalAuroraConfig: { GlobalClusterIdentifier: 'orders', DatabaseClusterArns: [], ...aurora } } },
  ];
  const plan = {
    Type: 'AWS::ARCRegionSwitch::Plan',
    Properties: {
      Name: 'orders',
      RecoveryApproach: 'activePassive',
      Regions: ['us-east-1', 'us-west-2'],
      PrimaryRegion: 'us-east-1',
      ExecutionRole: 'arn:aws:iam::111111111111:role/plan',
      Workflows: [{ WorkflowTargetAction: 'activate', Steps: steps }],
      ...(options.triggerAlarm ? {
        AssociatedAlarms: { primaryDown: { AlarmType: 'trigger', ResourceIdentifier: { 'Fn::GetAtt': ['PrimaryDown', 'Arn'] } } },
        Triggers: [{ Action: 'activate', TargetRegion: 'us-west-2', MinDelayMinutesBetweenExecutions: 30, Conditions: [{ AssociatedAlarmName: 'primaryDown', Condition: 'red' }] }],
      } : {}),
    },
  };
  return [
    { name: 'db-use1', region: 'us-east-1', resources: { GlobalCluster: globalCluster('orders'), Cluster: memberCluster('orders', 'us-east-1', true) } },
    { name: 'db-usw2', region: 'us-west-2', resources: { Cluster: memberCluster('orders', 'us-west-2', false) } },
    { name: 'plan', region: options.planRegion ?? 'us-east-1', resources: { Plan: plan, ...(options.triggerAlarm ? { PrimaryDown: metricAlarm(2, 'breaching') } : {}) } },
  ];
}

describe('ARC Region switch plans', () => {
  test('a triggered plan with an ungraceful failover runs from the surviving region, even if its stack is in the failed one', () => {
    // trigger alarm (in us-west-2) 2 × 60 s = 120 s; then 300 s promotion + 5 s DNS cache: worst 425 s;
    // typical 120 s + 120 s + 5 s = 245 s
    const stacks = withPlan({ Behavior: 'switchoverOnly', Ungraceful: { Ungraceful: 'failover' } }, { triggerAlarm: true, planRegion: 'us-west-2' });
    const f = flow(simulate(stacks, 'us-east-1'), ID);
    expect(f).toMatchObject({ impacted: true, toRegion: 'us-west-2', recoveredAtSeconds: 425, typicalSeconds: 245, blockedBy: [] });
  });

  test('a plan without trigger needs a person to execute it', () => {
    const f = flow(simulate(withPlan({ Behavior: 'failover' }), 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    // 300 s promotion + 5 s DNS cache
    expect(f.afterManualStepSeconds).toBe(305);
    expect(f.blockedBy).toEqual([{ resource: 'plan/Plan', reason: 'a person must execute the Region switch plan (activate us-west-2, ungraceful): no trigger starts it' }]);
  });

  test('a manual approval step waits for a person even when a trigger fires', () => {
    const f = flow(simulate(withPlan({ Behavior: 'failover' }, { triggerAlarm: true, approval: true, planRegion: 'us-west-2' }), 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({ resource: 'plan/Plan', reason: 'its manual approval step "approve" waits for a person' });
  });

  test('a switchover-only plan cannot move the writer out of a failed region', () => {
    const f = flow(simulate(withPlan({ Behavior: 'switchoverOnly' }, { triggerAlarm: true, planRegion: 'us-west-2' }), 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({
      resource: 'plan/Plan',
      reason: 'its Aurora step only switches over (behavior switchoverOnly, no ungraceful failover): a switchover needs every region healthy',
    });
    // what is left: a person calling FailoverGlobalCluster (300 s + 5 s)
    expect(f.afterManualStepSeconds).toBe(305);
  });

  test('a trigger alarm in the failed region never fires', () => {
    const f = flow(simulate(withPlan({ Behavior: 'failover' }, { triggerAlarm: true, planRegion: 'us-east-1' }), 'us-east-1'), ID);
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.blockedBy).toContainEqual({ resource: 'plan/PrimaryDown', reason: 'the alarm is in us-east-1, which is down: it never changes state' });
  });
});
