/** `FailoverOrchestrator` built alone in a stack (its handler's logic is tested in orchestrator.test.ts). */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT } from './helpers';
import { FailoverOrchestrator, FailoverOrchestratorProps } from '../../src/aurora-global-failover';
import { nagErrors } from '../util/nag';

const ARNS = {
  'us-east-1': `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-us-east-1`,
  'us-west-2': `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-us-west-2`,
};

/** A `FailoverOrchestrator` in a us-west-2 stack with an encrypted topic. */
function orchestrator(props: Partial<FailoverOrchestratorProps> = {}, env: { account?: string; region?: string } = { account: ACCOUNT, region: 'us-west-2' }) {
  const stack = new Stack(new App(), 'Ops', { env });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  const construct = new FailoverOrchestrator(stack, 'Orchestrator', { globalClusterIdentifier: 'orders', clusterArns: ARNS, topic, topicKey: key, ...props });
  return { stack, construct, topic };
}

function statements(t: Template): any[] {
  const policies = Object.values<any>(t.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^OrchestratorHandlerRole') } }));
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('FailoverOrchestrator alone', () => {
  test('a state machine named <id>-failover, a function configured for this region, a role scoped to the global database', () => {
    const { stack } = orchestrator();
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-failover' });
    const fn: any = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: 'src/aurora-global-failover/orchestrator.lambda.ts' } }))[0];
    const raw = fn.Properties.Environment.Variables.ORCHESTRATOR_CONFIG;
    const config = JSON.parse(raw['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : 'TOPIC')).join(''));
    expect(config).toEqual({ globalClusterIdentifier: 'orders', region: 'us-west-2', clusterArns: ARNS, topicArn: 'TOPIC', maxReplicationLagMs: 1000 });
    const bySid = Object.fromEntries(statements(t).map((s) => [s.Sid, s]));
    expect(bySid.GlobalClusterOperations.Resource).toEqual([`arn:aws:rds::${ACCOUNT}:global-cluster:orders`, ...Object.values(ARNS)]);
    expect(bySid.OwnExecutions.Resource).toBe(`arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:orders-failover`);
    expect(bySid.EncryptedTopic.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  test('settings: name, lag gate, polls and retention', () => {
    const { stack } = orchestrator({ stateMachineName: 'orders-dr', maxReplicationLag: Duration.seconds(5), pollInterval: Duration.seconds(30), maxPollAttempts: 10 });
    const t = Template.fromStack(stack);
    // 30 s + 10 min + 10 polls × 30 s = 930 s
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-dr', DefinitionString: Match.objectLike({}) });
    const sm: any = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(sm.Properties.DefinitionString);
    expect(definition).toContain('\\"TimeoutSeconds\\":930');
    expect(definition).toContain('\\"Seconds\\":30');
    expect(statements(t).find((s) => s.Sid === 'OwnExecutions').Resource).toBe(`arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:orders-dr`);
  });

  test('without topicKey the role gets no KMS permission', () => {
    const { stack } = orchestrator({ topicKey: undefined });
    expect(statements(Template.fromStack(stack)).map((s) => s.Sid)).not.toContain('EncryptedTopic');
  });

  test.each<[string, Partial<FailoverOrchestratorProps>, string]>([
    ['own region missing', { clusterArns: { 'us-east-1': ARNS['us-east-1'] } },
      '`clusterArns` must hold the member cluster of the stack\'s region us-west-2 (the default target), got regions: us-east-1'],
    ['bad identifier', { globalClusterIdentifier: 'a--b' },
      '`globalClusterIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: a--b'],
    ['poll interval', { pollInterval: Duration.seconds(0) }, '`pollInterval` must be greater than 0 s, got: 0 s'],
    ['poll attempts', { maxPollAttempts: 1001 }, '`maxPollAttempts` must be an integer between 1 and 1000, got: 1001'],
    ['lag gate', { maxReplicationLag: Duration.millis(0) }, '`maxReplicationLag` must be greater than 0 ms, got: 0 ms'],
  ])('%s', (_name, props, message) => {
    expect(() => orchestrator(props)).toThrow(message);
  });

  test('a stack without a concrete region or account is refused', () => {
    expect(() => orchestrator({}, {})).toThrow(
      'FailoverOrchestrator must be in a stack with a concrete region: set `env: { account, region }` on stack Ops, it is region-agnostic');
    expect(() => orchestrator({}, { region: 'us-west-2' })).toThrow(
      'FailoverOrchestrator must be in a stack with a concrete account: set `env: { account, region }` on stack Ops, it is account-agnostic');
  });
});
