import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createKeyAndAlarmTopic } from '../../src/core/encrypted-alarm-topic';
import { NagSuppressions } from '../../src/core/nag';
import { partitionOf } from '../../src/core/partition';
import {
  createHandlerLogs, createOrchestratorRole, createOrchestratorStateMachine, OrchestratorFlow, suppressOrchestratorFindings,
  THROTTLING_ERRORS,
} from '../../src/core/promotion-orchestrator';
import { nagErrors } from '../util/nag';

const LOGS = { logRetention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY };

/** A minimal orchestrator built from the shared parts, like GlobalCache's and RdsCrossRegionReplica's `Promoter`. */
class TestOrchestrator extends Construct {
  public readonly handler: lambda.Function;
  constructor(scope: Construct, id: string, succeededFirst?: boolean) {
    super(scope, id);
    const { key, topic } = createKeyAndAlarmTopic(Stack.of(this), {
      keyDescription: 'test key', topicDisplayName: 'test topic', account: '111111111111', keyRemoval: RemovalPolicy.DESTROY,
    });
    const logGroup = createHandlerLogs(this, LOGS);
    const role = createOrchestratorRole(this, {
      description: 'test orchestrator',
      region: 'cn-north-1',
      account: '111111111111',
      stateMachineName: 'test-promote',
      topic,
      topicKey: key,
      resourceStatements: [new iam.PolicyStatement({ sid: 'Target', actions: ['rds:DescribeDBInstances'], resources: ['arn:aws-cn:rds:cn-north-1:111111111111:db:x'] })],
      metricStatements: [new iam.PolicyStatement({ sid: 'Metric', actions: ['cloudwatch:GetMetricData'], resources: ['*'] })],
    });
    logGroup.grantWrite(role);
    this.handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), role, logGroup,
    });
    const stateMachine = createOrchestratorStateMachine(this, {
      ...LOGS, stateMachineName: 'test-promote', timeout: Duration.minutes(30), comment: 'test',
    }, () => {
      const flow = new OrchestratorFlow(this, this.handler);
      const outcomes = flow.outcomes({ id: 'TestStuck', cause: 'not done', succeededFirst });
      const { readRequest, precheck } = flow.readAndCheck(outcomes, ['Refusal']);
      const operate = flow.invoke('Operate', { action: 'operate' });
      const initPoll = flow.pollLoop({
        waitId: 'WaitForIt',
        pollId: 'CheckIt',
        pollPayload: { action: 'status' },
        choiceId: 'IsDone',
        pollInterval: Duration.seconds(20),
        maxPollAttempts: 7,
      }, [operate], outcomes);
      return readRequest.next(precheck).next(operate).next(initPoll);
    });
    // The test role has GetMetricData on "*", as the real orchestrators have; they suppress it in their own code.
    NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5', reason: 'test: GetMetricData has no resource-level permissions', appliesTo: ['Resource::*'],
    }]);
    suppressOrchestratorFindings(this.handler, stateMachine, { functionLabel: 'test function', whenItRuns: 'it runs in tests' });
  }
}

function build(succeededFirst?: boolean): { stack: Stack; orchestrator: TestOrchestrator } {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'cn-north-1' } });
  return { stack, orchestrator: new TestOrchestrator(stack, 'Orchestrator', succeededFirst) };
}

function definition(stack: Stack): any {
  const sm = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const body = Object.values(sm)[0].Properties.DefinitionString;
  const joined = (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join('');
  return JSON.parse(joined);
}

describe('shared promotion orchestrator parts', () => {
  test('the flow: read, check, operate, then a poll loop; every outcome notifies first', () => {
    const { stack } = build();
    const def = definition(stack);
    expect(def.StartAt).toBe('ReadRequest');
    expect(def.States.ReadRequest.Next).toBe('CheckPreconditions');
    expect(def.States.CheckPreconditions.Next).toBe('Operate');
    expect(def.States.CheckPreconditions.Catch).toEqual([
      { ErrorEquals: ['Refusal'], ResultPath: '$.error', Next: 'NotifyRefused' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyRefused' },
    ]);
    expect(def.States.Operate.ResultPath).toBeNull();
    expect(def.States.Operate.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }]);
    expect(def.States.Operate.Next).toBe('InitPoll');
    expect(def.States.InitPoll).toMatchObject({ Type: 'Pass', Result: { attempt: 0, done: false }, ResultPath: '$.poll', Next: 'WaitForIt' });
    expect(def.States.WaitForIt).toMatchObject({ Type: 'Wait', Seconds: 20, Next: 'CheckIt' });
    expect(def.States.CheckIt).toMatchObject({ ResultPath: '$.poll', Next: 'IsDone' });
    expect(def.States.IsDone).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.poll.done', BooleanEquals: true, Next: 'NotifySuccess' },
        { Variable: '$.poll.attempt', NumericGreaterThanEquals: 7, Next: 'NotifyStuck' },
      ],
      Default: 'WaitForIt',
    });
    expect(def.States.NotifySuccess).toMatchObject({ Next: 'Succeeded', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.notificationError', Next: 'Succeeded' }] });
    expect(def.States.NotifyStuck.Next).toBe('TestStuck');
    expect(def.States.TestStuck).toEqual({ Type: 'Fail', Error: 'TestStuck', Cause: 'not done' });
    expect(def.States.Refused).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(def.States.NotifyFailure.Next).toBe('Failed');
  });

  test('every task retries throttling with full-jitter backoff and passes the execution context', () => {
    const { stack } = build();
    const def = definition(stack);
    for (const id of ['CheckPreconditions', 'Operate', 'CheckIt', 'NotifyRefused', 'NotifyFailure', 'NotifyStuck', 'NotifySuccess']) {
      expect(def.States[id].Retry).toContainEqual({
        ErrorEquals: THROTTLING_ERRORS, IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL',
      });
      expect(def.States[id].Parameters.execution).toEqual({
        'executionArn.$': '$$.Execution.Id', 'stateMachineArn.$': '$$.StateMachine.Id', 'startTime.$': '$$.Execution.StartTime',
      });
    }
    expect(def.States.NotifyStuck.Parameters).toMatchObject({ 'action': 'notify', 'outcome': 'stuck', 'state.$': '$' });
  });

  test('the role: target statements, own executions (in the region\'s partition), metrics, topic and key, in that order', () => {
    const { stack } = build();
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'OwnExecutions' })]) } },
    });
    const statements = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['Target', 'OwnExecutions', 'Metric', 'Notify', 'EncryptedTopic', undefined]);
    expect(statements[1].Resource).toBe('arn:aws-cn:states:cn-north-1:111111111111:stateMachine:test-promote');
    expect(statements[4].Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  test('without a topic key the role has no KMS statement', () => {
    const stack = new Stack(new App(), 'NoKey', { env: { account: '111111111111', region: 'us-east-1' } });
    const scope = new Construct(stack, 'Orchestrator');
    createOrchestratorRole(scope, {
      description: 'd',
      region: 'us-east-1',
      account: '111111111111',
      stateMachineName: 'n',
      topic: new sns.Topic(stack, 'Topic'),
      resourceStatements: [new iam.PolicyStatement({ sid: 'Target', actions: ['rds:DescribeDBInstances'], resources: ['*'] })],
    });
    const statements = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['Target', 'OwnExecutions', 'Notify']);
    expect(statements[1].Resource).toBe('arn:aws:states:us-east-1:111111111111:stateMachine:n');
  });

  test('the state machine: named, traced, logged with execution data, with the given timeout', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'test-promote',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      DefinitionString: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('"TimeoutSeconds":1800')])]) }),
    });
  });

  test('the states are created in the orchestrator, Succeeded just before NotifySuccess unless succeededFirst', () => {
    const ids = (succeededFirst?: boolean) => build(succeededFirst).orchestrator.node.children.map((c) => c.node.id);
    expect(ids()).toEqual([
      'HandlerLogs', 'HandlerRole', 'Handler', 'StateMachineLogs', 'Refused', 'Failed', 'TestStuck', 'NotifyRefused', 'NotifyFailure',
      'NotifyStuck', 'Succeeded', 'NotifySuccess', 'ReadRequest', 'CheckPreconditions', 'Operate', 'InitPoll', 'WaitForIt', 'CheckIt',
      'IsDone', 'StateMachine',
    ]);
    expect(ids(true).slice(4, 12)).toEqual([
      'Refused', 'Failed', 'TestStuck', 'Succeeded', 'NotifyRefused', 'NotifyFailure', 'NotifyStuck', 'NotifySuccess',
    ]);
  });

  test('the key lets CloudWatch alarms of the account use it, and encrypts the TLS-only topic', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'test key',
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'test topic', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a retained key keeps the default pending window', () => {
    const stack = new Stack(new App(), 'Retained', { env: { account: '111111111111', region: 'us-east-1' } });
    createKeyAndAlarmTopic(stack, { keyDescription: 'k', topicDisplayName: 't', account: '111111111111', keyRemoval: RemovalPolicy.RETAIN });
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    expect(Object.values(keys)[0].Properties.PendingWindowInDays).toBeUndefined();
    expect(Object.values(keys)[0].DeletionPolicy).toBe('Retain');
  });

  test('cdk-nag: clean with the shared suppressions (state machine role, Lambda runtime) and the test role\'s own', () => {
    const { stack } = build();
    expect(nagErrors(stack)).toEqual([]);
  });

  test.each([
    ['us-east-1', 'aws'], ['cn-northwest-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov'], ['us-isob-east-1', 'aws-iso-b'], ['us-iso-east-1', 'aws-iso'],
  ])('partitionOf(%s) is %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
