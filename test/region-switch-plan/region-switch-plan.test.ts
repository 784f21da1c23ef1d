import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ACCOUNT, actionsOf, auroraIn, dnsIn, planProps, PRIMARY, roleStatements, SECONDARY, setup, ZONE_ID } from './helpers';
import { RecoveryBasis } from '../../src';
import { AuroraGlobalBehavior, RecoveryApproach, RegionSwitchPlan, WorkflowAction } from '../../src/region-switch-plan';
import { failureMessage } from '../util/errors';
import { nagErrors } from '../util/nag';

describe('RegionSwitchPlan: plan shape', () => {
  test('an active/passive plan with an Aurora step and a Route 53 step', () => {
    const { app, stack, plan } = setup({ recoveryObjectives: { rto: Duration.minutes(30) } });
    plan.addTrigger({ alarms: [new cloudwatch.Alarm(stack, 'Down', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 2 })], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.minutes(60) });
    plan.addStep(plan.auroraStep(auroraIn(app)));
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    const p = planProps(stack);
    expect(p).toMatchObject({
      Name: 'orders',
      Regions: [PRIMARY, SECONDARY],
      PrimaryRegion: PRIMARY,
      RecoveryApproach: 'activePassive',
      RecoveryTimeObjectiveMinutes: 30,
    });
    expect(p.Workflows).toEqual([{
      WorkflowTargetAction: 'activate',
      Steps: [
        {
          Name: 'aurora-orders',
          Description: 'Switch the global database orders over to the activated Region',
          ExecutionBlockType: 'AuroraGlobalDatabase',
          ExecutionBlockConfiguration: {
            GlobalAuroraConfig: {
              Behavior: 'switchoverOnly',
              GlobalClusterIdentifier: 'orders',
              DatabaseClusterArns: [
                `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-${PRIMARY}`,
                `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:orders-${SECONDARY}`,
              ],
              TimeoutMinutes: 60,
              Ungraceful: { Ungraceful: 'failover' },
            },
          },
        },
        {
          Name: 'dns-api-example-com',
          Description: 'Flip the plan\'s Route 53 health checks of api.example.com',
          ExecutionBlockType: 'Route53HealthCheck',
          ExecutionBlockConfiguration: {
            Route53HealthCheckConfig: {
              HostedZoneId: ZONE_ID,
              RecordName: 'api.example.com',
              RecordSets: [{ RecordSetIdentifier: PRIMARY, Region: PRIMARY }, { RecordSetIdentifier: SECONDARY, Region: SECONDARY }],
              TimeoutMinutes: 60,
            },
          },
        },
      ],
    }]);
    expect(p.Triggers).toEqual([{
      Action: 'activate',
      TargetRegion: SECONDARY,
      MinDelayMinutesBetweenExecutions: 60,
      Conditions: [{ AssociatedAlarmName: 'Down', Condition: 'red' }],
    }]);
    expect(p.AssociatedAlarms).toEqual({ Down: { AlarmType: 'trigger', ResourceIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/^Down/), 'Arn'] } } });
  });

  test('parallel groups, child plans, workflows per Region and action', () => {
    const { app, stack, plan } = setup({ recoveryApproach: RecoveryApproach.ACTIVE_ACTIVE });
    const child = new RegionSwitchPlan(stack, 'Child', { planName: 'orders-db', regions: [SECONDARY, PRIMARY], recoveryApproach: RecoveryApproach.ACTIVE_ACTIVE });
    child.addStep(child.auroraStep(auroraIn(app)), { action: WorkflowAction.DEACTIVATE });
    const fns = Object.fromEntries([PRIMARY, SECONDARY].map((r) => [r, lambda.Function.fromFunctionArn(stack, `Fn-${r}`, `arn:aws:lambda:${r}:${ACCOUNT}:function:flag`)]));
    plan.addStep(plan.parallelSteps('warm-up', [
      plan.lambdaStep('flag', fns),
      plan.autoScalingGroupStep('web', {
        [PRIMARY]: `arn:aws:autoscaling:${PRIMARY}:${ACCOUNT}:autoScalingGroup:uuid-1:autoScalingGroupName/web`,
        [SECONDARY]: `arn:aws:autoscaling:${SECONDARY}:${ACCOUNT}:autoScalingGroup:uuid-2:autoScalingGroupName/web`,
      }, { targetPercent: 100 }),
    ]), { action: WorkflowAction.DEACTIVATE, targetRegion: PRIMARY });
    plan.addStep(plan.childPlanStep(child), { action: WorkflowAction.DEACTIVATE, targetRegion: PRIMARY });
    plan.addStep(plan.lambdaStep('undo', fns, { regionToRun: undefined }), { action: WorkflowAction.ACTIVATE, targetRegion: PRIMARY });
    const p = planProps(stack);
    expect(p.RecoveryApproach).toBe('activeActive');
    expect(p.Workflows.map((w: any) => [w.WorkflowTargetAction, w.WorkflowTargetRegion, w.Steps.map((s: any) => s.ExecutionBlockType)])).toEqual([
      ['deactivate', PRIMARY, ['Parallel', 'ARCRegionSwitchPlan']],
      ['activate', PRIMARY, ['CustomActionLambda']],
    ]);
    expect(p.Workflows[0].Steps[0].ExecutionBlockConfiguration.ParallelConfig.Steps.map((s: any) => s.Name)).toEqual(['flag', 'web']);
    expect(p.Workflows[0].Steps[1].ExecutionBlockConfiguration).toEqual({ RegionSwitchPlanConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^Child/), 'Arn'] } } });
  });

  test('the plan publishes the id of its health check for each Region in the Region of the records, cut from PlanHealthChecks by prefix', () => {
    const { app, stack, plan } = setup({}, SECONDARY);
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    const t = Template.fromStack(stack);
    // The records' stack is in us-east-1, the plan's in us-west-2: both parameters go to us-east-1 by PutParameter.
    const writes = Object.values(t.findResources('Custom::AWS')).map((r: any) => r.Properties.Create);
    expect(writes).toHaveLength(2);
    const text = JSON.stringify(writes);
    for (const region of [PRIMARY, SECONDARY]) {
      expect(text).toContain(`/cdk-multi-region-failover/region-switch/orders/api.example.com/${region}/health-check-id`);
      expect(text).toContain(`:api.example.com:${region}:`);
    }
    expect(text).toContain('\\"region\\":\\"us-east-1\\"');
    expect(RegionSwitchPlan.healthCheckParameterName('orders', 'api.example.com.', PRIMARY)).toBe('/cdk-multi-region-failover/region-switch/orders/api.example.com/us-east-1/health-check-id');
  });

  test('in the records\' own Region the id is a plain SSM parameter whose value selects the entry of that Region', () => {
    const { app, stack, plan } = setup();
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWS', 0);
    t.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/cdk-multi-region-failover/region-switch/orders/api.example.com/us-west-2/health-check-id',
      Value: {
        'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::Select': [1, { 'Fn::Split': [':api.example.com:us-west-2:', { 'Fn::Join': [',', { 'Fn::GetAtt': [Match.anyValue(), 'PlanHealthChecks'] }] }] }] }] }],
      },
    });
  });
});

describe('RegionSwitchPlan: execution role', () => {
  function statementFor(stack: Stack, action: string): any {
    return roleStatements(stack).find((s) => actionsOf([s]).includes(action));
  }

  test('trusts arc-region-switch.amazonaws.com and starts with the base statements scoped to the plan and the role', () => {
    const { app, stack, plan } = setup();
    plan.addStep(plan.auroraStep(auroraIn(app)));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'arc-region-switch.amazonaws.com' } }] },
    });
    expect(statementFor(stack, 'iam:SimulatePrincipalPolicy').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/ExecutionRole/), 'Arn'] });
    expect(statementFor(stack, 'arc-region-switch:GetPlan').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Plan/), 'Arn'] });
  });

  test.each([
    ['Aurora switchover only', (p: RegionSwitchPlan, app: any) => p.auroraStep(auroraIn(app), { ungracefulFailover: false }),
      ['rds:DescribeGlobalClusters', 'rds:DescribeDBClusters', 'rds:SwitchoverGlobalCluster'], 'rds:FailoverGlobalCluster'],
    ['Aurora failover', (p: RegionSwitchPlan, app: any) => p.auroraStep(auroraIn(app), { behavior: AuroraGlobalBehavior.FAILOVER }),
      ['rds:FailoverGlobalCluster'], 'rds:SwitchoverGlobalCluster'],
    ['Route 53', (p: RegionSwitchPlan, app: any) => p.failoverDnsStep(dnsIn(app)), ['route53:ListResourceRecordSets'], 'route53:ChangeResourceRecordSets'],
  ])('%s: the statements of AWS\'s sample policy, no wildcard action, nothing more', (_name, make, expected, absent) => {
    const { app, stack, plan } = setup();
    plan.addStep(make(plan, app));
    const actions = actionsOf(roleStatements(stack));
    expect(actions).toEqual(expect.arrayContaining(expected));
    expect(actions).not.toContain(absent);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('Aurora: the failover call is scoped to the global cluster and the two member clusters', () => {
    const { app, stack, plan } = setup();
    plan.addStep(plan.auroraStep(auroraIn(app)));
    expect(statementFor(stack, 'rds:FailoverGlobalCluster').Resource).toEqual([
      `arn:aws:rds::${ACCOUNT}:global-cluster:orders`,
      `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-${PRIMARY}`,
      `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:orders-${SECONDARY}`,
    ]);
    expect(statementFor(stack, 'route53:ListResourceRecordSets')).toBeUndefined();
  });

  test('Route 53: ListResourceRecordSets on the hosted zone only', () => {
    const { app, stack, plan } = setup();
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    expect(statementFor(stack, 'route53:ListResourceRecordSets').Resource).toBe(`arn:aws:route53:::hostedzone/${ZONE_ID}`);
  });

  test('Lambda, ECS, child plan and alarms: each scoped to its resources', () => {
    const { stack, plan } = setup();
    const fns = Object.fromEntries([PRIMARY, SECONDARY].map((r) => [r, lambda.Function.fromFunctionArn(stack, `Fn-${r}`, `arn:aws:lambda:${r}:${ACCOUNT}:function:flag`)]));
    plan.addStep(plan.lambdaStep('flag', fns));
    plan.addStep(plan.ecsServiceStep('web', Object.fromEntries([PRIMARY, SECONDARY].map((r) => [r, {
      clusterArn: `arn:aws:ecs:${r}:${ACCOUNT}:cluster/web`, serviceArn: `arn:aws:ecs:${r}:${ACCOUNT}:service/web/api`,
    }]))));
    const child = new RegionSwitchPlan(stack, 'Child', { planName: 'child', regions: [PRIMARY, SECONDARY] });
    child.addStep(child.lambdaStep('child-flag', fns));
    plan.addStep(plan.childPlanStep(child));
    plan.addApplicationHealthAlarm(cloudwatch.Alarm.fromAlarmArn(stack, 'Health', `arn:aws:cloudwatch:${SECONDARY}:${ACCOUNT}:alarm:health`));
    expect(statementFor(stack, 'lambda:InvokeFunction').Resource).toEqual([
      `arn:aws:lambda:${PRIMARY}:${ACCOUNT}:function:flag`, `arn:aws:lambda:${SECONDARY}:${ACCOUNT}:function:flag`,
    ]);
    expect(statementFor(stack, 'ecs:UpdateService').Resource).toEqual([
      `arn:aws:ecs:${PRIMARY}:${ACCOUNT}:service/web/api`, `arn:aws:ecs:${SECONDARY}:${ACCOUNT}:service/web/api`,
    ]);
    expect(statementFor(stack, 'arc-region-switch:StartPlanExecution').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Child/), 'Arn'] });
    expect(statementFor(stack, 'cloudwatch:DescribeAlarms').Resource).toBe(`arn:aws:cloudwatch:${SECONDARY}:${ACCOUNT}:alarm:health`);
    expect(actionsOf(roleStatements(stack)).filter((a) => a.includes('*'))).toEqual([]);
  });

  test('manual approval: the approval role may approve steps of this plan only; the execution role gets nothing for it', () => {
    const { stack, plan } = setup();
    const approvers = new iam.Role(stack, 'Approvers', { assumedBy: new iam.AccountRootPrincipal() });
    plan.addStep(plan.manualApprovalStep('approve', approvers));
    const approval = roleStatements(stack).find((s) => s.Action === 'arc-region-switch:ApprovePlanExecutionStep');
    expect(approval.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Plan/), 'Arn'] });
    expect(planProps(stack).Workflows[0].Steps[0].ExecutionBlockConfiguration.ExecutionApprovalConfig.ApprovalRole).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Approvers/), 'Arn'] });
  });

  test('a role you give is used as is', () => {
    const { stack } = setup();
    const role = iam.Role.fromRoleArn(stack, 'Given', `arn:aws:iam::${ACCOUNT}:role/plan`);
    const plan = new RegionSwitchPlan(stack, 'Own', { planName: 'own', regions: [PRIMARY, SECONDARY], executionRole: role });
    expect(plan.executionRole).toBe(role);
    expect(stack.resolve(plan.plan.executionRole)).toBe(`arn:aws:iam::${ACCOUNT}:role/plan`);
  });

  test('cdk-nag finds nothing unsuppressed in the plan stack', () => {
    const { app, stack, plan } = setup({}, SECONDARY);
    plan.addStep(plan.auroraStep(auroraIn(app)));
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    expect(nagErrors(stack)).toEqual([]);
  });
});

describe('RegionSwitchPlan: bad input', () => {
  test('three Regions: one plan per Region pair', () => {
    expect(failureMessage(() => setup({ regions: [PRIMARY, SECONDARY, 'eu-west-1'] }))).toBe(
      '`regions` must hold exactly 2 Regions (a Region switch plan has exactly two), got 3: us-east-1, us-west-2, eu-west-1; '
      + 'create one RegionSwitchPlan per Region pair (e.g. us-east-1 + us-west-2, us-east-1 + eu-west-1)');
  });

  test('a step from a construct of another Region pair', () => {
    const { app, plan } = setup();
    expect(failureMessage(() => plan.auroraStep(auroraIn(app, [PRIMARY, 'eu-west-1'])))).toBe(
      '`aurora` (AuroraGlobalFailover Orders) must run in both of the plan\'s Regions (us-east-1, us-west-2), got one in us-east-1, eu-west-1: '
      + 'a Region switch plan can only act on resources of its own Region pair');
    expect(failureMessage(() => plan.failoverDnsStep(dnsIn(app, [PRIMARY, 'eu-west-1'], 'Dns2')))).toBe(
      '`dns` (FailoverDns Dns2/Api) must have exactly the plan\'s 2 Regions as endpoints (us-east-1, us-west-2), got 2 endpoints, '
      + 'of which in the plan\'s Regions: us-east-1; a Region switch plan has two Regions');
  });

  test('a Lambda function of another Region, an ARN of another Region', () => {
    const { stack, plan } = setup();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:flag`);
    expect(failureMessage(() => plan.lambdaStep('flag', { [PRIMARY]: fn, [SECONDARY]: fn }))).toBe(
      '`functions`[us-east-1] must be a function of us-east-1, got one of eu-west-1: Plan/Fn');
    expect(failureMessage(() => plan.autoScalingGroupStep('web', {
      [PRIMARY]: `arn:aws:autoscaling:${SECONDARY}:${ACCOUNT}:autoScalingGroup:u:autoScalingGroupName/web`,
      [SECONDARY]: `arn:aws:autoscaling:${SECONDARY}:${ACCOUNT}:autoScalingGroup:u:autoScalingGroupName/web`,
    }))).toBe(`\`autoScalingGroupArns\`[us-east-1] must be a resource of us-east-1, got one of us-west-2: arn:aws:autoscaling:${SECONDARY}:${ACCOUNT}:autoScalingGroup:u:autoScalingGroupName/web`);
  });

  test('an empty workflow fails synthesis', () => {
    const { app } = setup();
    expect(() => app.synth()).toThrow('RegionSwitchPlan orders: the plan needs at least one step (Region switch cannot execute an empty workflow): add one with `addStep`, got none');
  });

  test('an RTO under what the steps can reach fails synthesis', () => {
    const { app, stack, plan } = setup({ recoveryObjectives: { rto: Duration.minutes(5) } });
    const alarm = new cloudwatch.Alarm(stack, 'Down', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y', period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 3 });
    plan.addTrigger({ alarms: [alarm], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.hours(1) });
    plan.addStep(plan.auroraStep(auroraIn(app)));
    // 3 × 60 s alarm + 60 s start + 5 min promotion = 9 min > 5 min
    expect(() => app.synth()).toThrow('RegionSwitchPlan: `recoveryObjectives.rto` of 5 min cannot be met, the RTO budget is 9 min');
  });

  test('an RTO with no trigger fails synthesis: a person must start the plan', () => {
    const { app, plan } = setup({ recoveryObjectives: { rto: Duration.minutes(30) } });
    plan.addStep(plan.auroraStep(auroraIn(app)));
    expect(() => app.synth()).toThrow('RegionSwitchPlan: `recoveryObjectives.rto` of 30 min cannot be met, the RTO is unbounded: no trigger starts the plan to activate us-west-2: '
      + 'a person must execute it (`addTrigger` starts it from alarms)');
  });

  test.each([
    [{ planName: '-orders' }, '`planName` must be 1 to 32 letters, digits and hyphens, starting and ending with a letter or digit (Region switch\'s plan name), got: -orders'],
    [{ primaryRegion: 'eu-west-1' }, '`primaryRegion` must be one of `regions` (us-east-1, us-west-2), got: eu-west-1'],
    [{ recoveryObjectives: { rto: Duration.days(8) } }, '`recoveryObjectives.rto` must be between 1 minute and 7 days (RecoveryTimeObjectiveMinutes 1 to 10080), got: 11520 min'],
  ])('props %j', (props, message) => {
    expect(failureMessage(() => setup(props as any))).toBe(message);
  });

  test('a repeated step name, a trigger without alarms, a trigger alarm in the Region it moves away from', () => {
    const { app, stack, plan } = setup();
    const aurora = auroraIn(app);
    plan.addStep(plan.auroraStep(aurora));
    expect(failureMessage(() => plan.addStep(plan.auroraStep(aurora)))).toBe('`step.name` must be unique in the plan orders, got aurora-orders twice');
    expect(failureMessage(() => plan.addTrigger({ alarms: [], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.hours(1) })))
      .toBe('`alarms` must hold 1 to 10 alarms (a trigger has 1 to 10 conditions), got: 0');
    plan.addTrigger({ alarms: [cloudwatch.Alarm.fromAlarmArn(stack, 'P', `arn:aws:cloudwatch:${PRIMARY}:${ACCOUNT}:alarm:p`)], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.hours(1) });
    Annotations.fromStack(stack).hasWarning('/Plan/Plan', Match.stringLikeRegexp('trigger alarm Plan/P is in us-east-1, the Region this trigger moves away from'));
  });
});

describe('RegionSwitchPlan: recovery estimate', () => {
  test('trigger + Aurora + Route 53: every term labelled, assumptions marked', () => {
    const { app, stack, plan } = setup();
    const alarm = new cloudwatch.Alarm(stack, 'Down', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y', period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 2 });
    plan.addTrigger({ alarms: [alarm], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.hours(1) });
    plan.addStep(plan.auroraStep(auroraIn(app)));
    plan.addStep(plan.failoverDnsStep(dnsIn(app)));
    const e = plan.recoveryEstimate;
    expect([...e.detectionTerms, ...e.propagationTerms].map((t) => [t.label, t.duration.toSeconds(), t.basis])).toEqual([
      ['trigger alarm Down (60 s × 2)', 120, RecoveryBasis.DOCUMENTED],
      ['Region switch starts the execution', 60, RecoveryBasis.ASSUMPTION],
      ['Aurora global database failover (orders)', 300, RecoveryBasis.ASSUMPTION],
      ['plan\'s health checks (30 s × 3, assumed)', 90, RecoveryBasis.ASSUMPTION],
      ['plan\'s probe timeout (connect 4 s + 2xx/3xx 2 s)', 6, RecoveryBasis.ASSUMPTION],
      ['checker-to-DNS propagation', 10, RecoveryBasis.ASSUMPTION],
      ['DNS TTL', 15, RecoveryBasis.DOCUMENTED],
    ]);
    expect(e.rto.toSeconds()).toBe(601);
    expect(e.rtoBounded).toBe(true);
    expect(e.rpoBounded).toBe(false);
  });

  test('a parallel group counts its slowest step; a manual approval without expectedWait makes the RTO unbounded', () => {
    const { stack, plan } = setup();
    const fns = Object.fromEntries([PRIMARY, SECONDARY].map((r) => [r, lambda.Function.fromFunctionArn(stack, `Fn-${r}`, `arn:aws:lambda:${r}:${ACCOUNT}:function:flag`)]));
    plan.addStep(plan.parallelSteps('warm', [
      plan.lambdaStep('a', fns, { expectedDuration: Duration.minutes(2) }),
      plan.lambdaStep('b', fns, { expectedDuration: Duration.minutes(7) }),
    ]));
    const approvers = new iam.Role(stack, 'Approvers', { assumedBy: new iam.AccountRootPrincipal() });
    plan.addStep(plan.manualApprovalStep('approve', approvers));
    const e = plan.recoveryEstimate;
    expect(e.propagationTerms.map((t) => [t.label, t.duration.toSeconds()])).toEqual([['parallel warm (slowest: b)', 420]]);
    expect(e.rtoBounded).toBe(false);
    expect(e.noAutomaticRecovery).toBe('no trigger starts the plan to activate us-west-2: a person must execute it (`addTrigger` starts it from alarms); '
      + 'its manual approval step "approve" waits for a person (give `expectedWait` to count a figure)');
  });

  test('a switchover-only Aurora step cannot leave a failed Region', () => {
    const { app, plan } = setup();
    plan.addStep(plan.auroraStep(auroraIn(app), { ungracefulFailover: false }));
    expect(plan.recoveryEstimate.noAutomaticRecovery).toContain('its Aurora step "aurora-orders" only switches over');
  });
});
