import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, build, HEALTH_ALARM, template } from './helpers';
import { AuroraGlobalSecondaryStack, AuroraOrchestration } from '../../src/aurora-global-failover';
import { AuroraGlobalBehavior } from '../../src/region-switch-plan';
import { OutageSimulator } from '../../src/simulator';
import { nagErrors } from '../util/nag';

/*
 * Issue 13: `orchestration: AuroraOrchestration.REGION_SWITCH` runs the failover on an ARC Region switch plan instead of
 * the Step Functions orchestrator. A plan has exactly two Regions ("Fixed number of 2 items",
 * https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html) and runs its executions on the data plane of
 * the Region being activated (https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html).
 */
const RS = AuroraOrchestration.REGION_SWITCH;

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

function planProps(stack: Stack): any {
  const plans = Template.fromStack(stack).findResources('AWS::ARCRegionSwitch::Plan');
  expect(Object.keys(plans)).toHaveLength(1);
  return (Object.values(plans)[0] as any).Properties;
}

describe('orchestration: REGION_SWITCH', () => {
  test('more or fewer than 2 regions fail with advice', () => {
    expect(failure(() => build({ orchestration: RS }, 3))).toBe(
      '`regions` must hold exactly 2 regions with `orchestration: AuroraOrchestration.REGION_SWITCH` (a Region switch plan has exactly two), '
      + 'got 3: us-east-1, us-west-2, eu-west-1; use `AuroraOrchestration.STEP_FUNCTIONS` (2 to 6 regions), or keep it and create one '
      + 'RegionSwitchPlan per region pair with `auroraStep`');
  });

  test('regionSwitch options without REGION_SWITCH fail', () => {
    expect(failure(() => build({ regionSwitch: { planName: 'orders' } }))).toBe(
      '`regionSwitch` must be used with `orchestration: AuroraOrchestration.REGION_SWITCH`, got orchestration: STEP_FUNCTIONS');
  });

  test('orchestrator settings with REGION_SWITCH fail', () => {
    expect(failure(() => build({ orchestration: RS, pollInterval: Duration.seconds(5) }))).toBe(
      '`pollInterval` configures the Step Functions orchestrator, which `orchestration: AuroraOrchestration.REGION_SWITCH` does not build, got: 5 s');
  });

  test('a plan name longer than Region switch allows fails', () => {
    const gid = 'orders-with-a-very-long-global-cluster-id';
    expect(failure(() => build({ orchestration: RS, globalClusterIdentifier: gid }))).toBe(
      `\`regionSwitch.planName\` must be set: the default, the global cluster identifier ${gid}, is longer than the 32 characters of a Region switch plan name`);
  });

  test('no state machine, no orchestrator function; resources and the orchestrator say so', () => {
    const { db } = build({ orchestration: RS });
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      expect(t.findResources('AWS::StepFunctions::StateMachine')).toEqual({});
      expect(Object.keys(t.findResources('AWS::Lambda::Function')).filter((id) => /Orchestrator/.test(id))).toEqual([]);
      expect(Object.keys(t.toJSON().Outputs ?? {}).filter((id) => /StateMachineArn/.test(id))).toEqual([]);
      expect(db.regionalResources(region).stateMachine).toBeUndefined();
      expect(db.regionalResources(region).orchestratorFunction).toBeUndefined();
    }
    expect(failure(() => db.secondaryDatabaseStacks[0].orchestrator)).toBe(
      'Orders/us-west-2 has no failover orchestrator: `orchestration` is AuroraOrchestration.REGION_SWITCH (the Region switch plan fails the database over)');
  });

  test('the plan: in the secondary stack, both regions, an Aurora step that switches over and fails over when ungraceful, the RTO', () => {
    const { db } = build({ orchestration: RS, recoveryObjectives: {} });
    expect(db.orchestration).toBe(RS);
    const plan = db.regionSwitchPlan!;
    expect(Stack.of(plan)).toBe(db.secondaryDatabaseStacks[0]);
    const p = planProps(db.secondaryDatabaseStacks[0]);
    expect(p).toMatchObject({
      Name: 'orders',
      Regions: ['us-east-1', 'us-west-2'],
      PrimaryRegion: 'us-east-1',
      RecoveryApproach: 'activePassive',
      Workflows: [{
        WorkflowTargetAction: 'activate',
        Steps: [{
          Name: 'aurora-orders',
          ExecutionBlockType: 'AuroraGlobalDatabase',
          ExecutionBlockConfiguration: {
            GlobalAuroraConfig: {
              Behavior: 'switchoverOnly',
              GlobalClusterIdentifier: 'orders',
              DatabaseClusterArns: [
                `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-us-east-1`,
                `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-us-west-2`,
              ],
              TimeoutMinutes: 60,
              Ungraceful: { Ungraceful: 'failover' },
            },
          },
        }],
      }],
    });
    expect(p.Triggers).toBeUndefined();
    expect(p.RecoveryTimeObjectiveMinutes).toBeUndefined();
    expect(Template.fromStack(db.primaryStack).findResources('AWS::ARCRegionSwitch::Plan')).toEqual({});
    const outputs = Template.fromStack(db.secondaryDatabaseStacks[0]).toJSON().Outputs;
    expect(outputs.RegionSwitchPlanArn.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Plan/), 'Arn'] });
  });

  test('regionSwitch options: plan name, behavior, timeout; the RTO objective becomes RecoveryTimeObjectiveMinutes', () => {
    const { db } = build({
      orchestration: RS,
      regionSwitch: { planName: 'orders-db', behavior: AuroraGlobalBehavior.FAILOVER, timeout: Duration.minutes(20) },
      autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM },
      recoveryObjectives: { rto: Duration.minutes(12) },
    });
    const p = planProps(db.secondaryDatabaseStacks[0]);
    expect(p.Name).toBe('orders-db');
    expect(p.RecoveryTimeObjectiveMinutes).toBe(12);
    expect(p.Workflows[0].Steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig).toMatchObject({ Behavior: 'failover', TimeoutMinutes: 20 });
  });

  test('autoFailover: a plan trigger on PrimaryLostAlarm (same alarm logic), no EventBridge rule, the Aurora step fails over', () => {
    const { db } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    const stack = db.secondaryDatabaseStacks[0];
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::Events::Rule')).toEqual({});
    const composite = Object.keys(t.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composite).toHaveLength(1);
    const p = planProps(stack);
    expect(p.Triggers).toEqual([{
      Action: 'activate',
      TargetRegion: 'us-west-2',
      MinDelayMinutesBetweenExecutions: 60,
      Description: expect.any(String),
      Conditions: [{ AssociatedAlarmName: expect.any(String), Condition: 'red' }],
    }]);
    const name = p.Triggers[0].Conditions[0].AssociatedAlarmName;
    expect(p.AssociatedAlarms[name]).toEqual({ AlarmType: 'trigger', ResourceIdentifier: { 'Fn::GetAtt': [composite[0], 'Arn'] } });
    expect(p.Workflows[0].Steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig.Behavior).toBe('failover');
  });

  test('IAM: the plan\'s execution role may call only what the Aurora step and the trigger need, no wildcard action', () => {
    const { db } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    const t = Template.fromStack(db.secondaryDatabaseStacks[0]);
    const role = Object.values<any>(t.findResources('AWS::IAM::Role'))
      .find((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'arc-region-switch.amazonaws.com');
    expect(role).toBeDefined();
    const statements = Object.values<any>(t.findResources('AWS::IAM::Policy'))
      .filter((x) => JSON.stringify(x.Properties.Roles).includes('RegionSwitchPlanExecutionRole'))
      .flatMap((x) => x.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((x) => [x.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'rds:FailoverGlobalCluster',
      Resource: [
        `arn:aws:rds::${ACCOUNT}:global-cluster:orders`,
        `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-us-east-1`,
        `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-us-west-2`,
      ],
    });
    expect(actions).not.toContain('rds:SwitchoverGlobalCluster');
    expect(actions).not.toContain('states:StartExecution');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PrimaryLostAlarm/), 'Arn'] },
    });
  });

  test('autoFailover with an explicit SWITCHOVER_ONLY behavior fails', () => {
    expect(failure(() => build({
      orchestration: RS,
      regionSwitch: { behavior: AuroraGlobalBehavior.SWITCHOVER_ONLY },
      autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM },
    }))).toBe('`regionSwitch.behavior` must be AuroraGlobalBehavior.FAILOVER with `autoFailover` (AWS does not document in which mode a trigger '
      + 'executes the plan, and a switchover needs every region healthy), got: switchoverOnly');
  });

  test('grantStartFailover grants arc-region-switch:StartPlanExecution on the plan', () => {
    const { app, db } = build({ orchestration: RS });
    const ops = new Stack(app, 'Ops', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const role = new iam.Role(ops, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    db.grantStartFailover(role, 'us-west-2');
    const same = new iam.Role(db.secondaryDatabaseStacks[0], 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    db.grantStartFailover(same, 'us-east-1');
    const statements = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((x) => x.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('arc-region-switch:StartPlanExecution')));
    expect(statements(ops)).toEqual([{ Effect: 'Allow', Action: 'arc-region-switch:StartPlanExecution', Resource: `arn:aws:arc-region-switch::${ACCOUNT}:plan/orders:*` }]);
    expect(statements(db.secondaryDatabaseStacks[0])).toContainEqual({
      Effect: 'Allow', Action: 'arc-region-switch:StartPlanExecution', Resource: { 'Fn::GetAtt': [expect.stringMatching(/Plan/), 'Arn'] },
    });
    expect(failure(() => db.grantStartFailover(role, 'eu-west-1'))).toBe(
      '`region` must be one of the regions of this global database (us-east-1, us-west-2), got: eu-west-1');
  });

  test('recovery estimate: the plan\'s, with Aurora\'s terms; manual execution is unbounded, and an RTO objective then fails', () => {
    const { db } = build({ orchestration: RS });
    const e = db.recoveryEstimate;
    expect(e.rtoBounded).toBe(false);
    expect(e.noAutomaticRecovery).toBe('a person must execute the Region switch plan orders (activate us-west-2, ungraceful): no trigger starts it (`autoFailover` adds one)');
    expect(e.propagationTerms.map((t) => t.label)).toEqual(['Aurora global database failover (orders)', 'global writer endpoint DNS cache']);
    expect(e.rpoBounded).toBe(false);
    expect(failure(() => build({ orchestration: RS, recoveryObjectives: { rto: Duration.minutes(30) } }))).toBe(
      'AuroraGlobalFailover: `recoveryObjectives.rto` of 30 min cannot be met, the RTO is unbounded: a person must execute the Region switch plan '
      + 'orders (activate us-west-2, ungraceful): no trigger starts it (`autoFailover` adds one); `autoFailover` (a plan trigger)');
  });

  test('recovery estimate with autoFailover: the replication-stalled alarm, Region switch starting the execution, promotion, DNS cache', () => {
    const { db } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM, evaluationPeriods: 3 } });
    const e = db.recoveryEstimate;
    expect(e.rtoBounded).toBe(true);
    expect(e.detectionTerms.map((t) => [t.label, t.duration.toSeconds()])).toEqual([
      ['replication-stalled alarm (60 s × 3)', 180],
      ['your primary-health alarm (in parallel, assumed no slower)', 0],
      ['Region switch starts the execution', 60],
    ]);
    // 180 + 60 + 300 (promotion) + 5 (DNS cache)
    expect(e.rto.toSeconds()).toBe(545);
    expect(e.summary).toBe('Aurora global failover (Region switch plan orders, automatic)');
  });

  test('managed RPO: the plan\'s estimate keeps the bound', () => {
    const { db } = build({ orchestration: RS, managedRpo: Duration.seconds(20), recoveryObjectives: { rpo: Duration.seconds(20) } });
    expect(db.recoveryEstimate.rpo?.toSeconds()).toBe(20);
  });

  test('cdk-nag: every stack clean', () => {
    const { db } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    for (const stack of db.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  test('the outage simulator: with the primary down, the writer moves only when a person executes the plan', () => {
    const { app } = build({ orchestration: RS });
    app.synth();
    const flows = OutageSimulator.fromAssembly(app.outdir).run({ outage: 'us-east-1' }).flows;
    const flow = flows.find((f) => f.id.startsWith('database-writer:'))!;
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.toRegion).toBe('us-west-2');
    expect(flow.blockedBy.map((b) => b.reason)).toContain(
      'a person must execute the Region switch plan (activate us-west-2, ungraceful): no trigger starts it');
    // Promotion (300 s) + DNS cache (5 s) after the person starts the plan.
    expect(flow.afterManualStepSeconds).toBe(305);
  });
});

describe('orchestration: REGION_SWITCH with autoFailover, in the outage simulator', () => {
  test('the plan\'s trigger (PrimaryLostAlarm, read through Fn::GetAtt) moves the writer by itself', () => {
    const { app } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    app.synth();
    const flow = OutageSimulator.fromAssembly(app.outdir).run({ outage: 'us-east-1' }).flows.find((f) => f.id.startsWith('database-writer:'))!;
    expect(flow.blockedBy).toEqual([]);
    expect(flow.toRegion).toBe('us-west-2');
    expect(flow.recoveredAtSeconds).toBeDefined();
  });
});

describe('orchestration: REGION_SWITCH on a building block alone', () => {
  test('a secondary stack builds no orchestrator; with autoFailover it keeps the alarms and PrimaryLostAlarm, without the EventBridge rule', () => {
    const app = new App();
    const stack = new AuroraGlobalSecondaryStack(app, 'Secondary', {
      env: { account: ACCOUNT, region: 'us-west-2' },
      globalClusterIdentifier: 'orders',
      regions: ['us-east-1', 'us-west-2'],
      orchestration: RS,
      autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM },
    });
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    t.resourceCountIs('AWS::Events::Rule', 0);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    expect(stack.resources.alarms.map((a) => a.node.id)).toEqual(['ReplicationLagAlarm', 'RpoLagAlarm', 'ReplicationStalledAlarm',
      'ReplicationDataMissingAlarm', 'PrimaryLostAlarm']);
  });

  test('the default (STEP_FUNCTIONS) still builds the state machine and the rule', () => {
    const { db } = build({ autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    expect(db.orchestration).toBe(AuroraOrchestration.STEP_FUNCTIONS);
    expect(db.regionSwitchPlan).toBeUndefined();
    const t = template(db, 'us-west-2');
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.resourceCountIs('AWS::ARCRegionSwitch::Plan', 0);
  });
});

test('README figure: with autoFailover\'s defaults the Region switch RTO budget is 11 min 5 s', () => {
  const { db } = build({ orchestration: RS, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
  expect(db.recoveryEstimate.rto.toSeconds()).toBe(665);
});
