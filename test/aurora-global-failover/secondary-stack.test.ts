import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT } from './helpers';
import { AuroraGlobalSecondaryStack, AuroraGlobalSecondaryStackProps } from '../../src/aurora-global-failover';
import { nagErrors } from '../util/nag';

const HEALTH = `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:orders-primary-health`;

/** An `AuroraGlobalSecondaryStack` alone in an App: us-west-2, global cluster `orders` whose primary is in us-east-1. */
function secondary(props: Partial<AuroraGlobalSecondaryStackProps> = {}) {
  const app = new App();
  const stack = new AuroraGlobalSecondaryStack(app, 'Secondary', {
    env: { account: ACCOUNT, region: 'us-west-2' },
    globalClusterIdentifier: 'orders',
    regions: ['us-east-1', 'us-west-2'],
    ...props,
  });
  return { app, stack };
}

describe('AuroraGlobalSecondaryStack alone', () => {
  test('a member that joins the global cluster by name, without master credentials, with its own key; the replica ARN read in its region', () => {
    const { stack } = secondary();
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'orders-us-west-2',
      GlobalClusterIdentifier: 'orders',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      MasterUsername: Match.absent(),
      DBClusterParameterGroupName: Match.absent(),
    });
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
    t.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    t.hasResourceProperties('Custom::AWS', { Create: Match.stringLikeRegexp('"action":"listSecrets"') });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag', Threshold: 1000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBRPOLag' });
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-failover' });
    expect(JSON.stringify(t.toJSON())).not.toContain('Fn::ImportValue');
    expect(stack.templateOptions.description).toBe('Aurora global database orders: secondary region us-west-2 (cdk-multi-region-failover)');
    expect(stack.resources.isPrimary).toBe(false);
    expect(stack.resources.cluster).toBeUndefined();
    expect(stack.alarms).toHaveLength(2);
  });

  test('primaryStack: deploys after it, with no reference to it', () => {
    const app = new App();
    const primary = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const stack = new AuroraGlobalSecondaryStack(app, 'Secondary', {
      env: { account: ACCOUNT, region: 'us-west-2' }, globalClusterIdentifier: 'orders', regions: ['us-east-1', 'us-west-2'], primaryStack: primary,
    });
    expect(stack.dependencies).toEqual([primary]);
  });

  test('writerDnsName is published as the region\'s writer endpoint', () => {
    const t = Template.fromStack(secondary({ writerDnsName: 'writer.db.example.com' }).stack);
    t.hasOutput('WriterEndpoint', { Value: 'writer.db.example.com' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-multi-region-failover/orders/us-west-2/writer-endpoint', Value: 'writer.db.example.com' });
  });

  test('managedRpo: a secondary of 3 regions gets the parameter, the only secondary of 2 keeps the default (AWS advice)', () => {
    const three = Template.fromStack(secondary({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'], managedRpo: Duration.seconds(20) }).stack);
    three.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '20' } });
    Template.fromStack(secondary({ managedRpo: Duration.seconds(20) }).stack).resourceCountIs('AWS::RDS::DBClusterParameterGroup', 0);
  });

  test('autoFailover: the composite trigger in this region starts the local state machine', () => {
    const { stack } = secondary({ autoFailover: { primaryHealthAlarmArn: HEALTH } });
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^OrchestratorStateMachine') }, Input: '{"mode":"failover","targetRegion":"us-west-2"}' })],
    });
    expect(stack.alarms).toHaveLength(5);
  });

  test.each<[string, Partial<AuroraGlobalSecondaryStackProps>, string]>([
    ['region first', { regions: ['us-west-2', 'us-east-1'] },
      '`regions` must start with the primary region, not with the secondary stack\'s region us-west-2, got: us-west-2, us-east-1'],
    ['region missing', { regions: ['us-east-1', 'eu-west-1'] }, '`regions` must include the stack\'s region us-west-2, got: us-east-1, eu-west-1'],
    ['seven regions', { regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'] },
      '`regions` allows at most 6 regions, got: 7'],
    ['auto failover to another region', { autoFailover: { targetRegion: 'eu-west-1', primaryHealthAlarmArn: HEALTH } },
      '`autoFailover.targetRegion` must be one of the secondary regions (us-west-2), got: eu-west-1'],
    ['auto failover alarm elsewhere', { autoFailover: { primaryHealthAlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:x` } },
      `\`autoFailover.primaryHealthAlarmArn\` must be the ARN of a CloudWatch alarm of account ${ACCOUNT} in the target region us-west-2 (an independent "primary is down" signal that still works when the primary region is gone), got: arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:x`],
    ['managed RPO on MySQL', { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }), managedRpo: Duration.seconds(30) },
      '`managedRpo` is only supported by Aurora PostgreSQL, got engine: aurora-mysql'],
    ['zero instances', { instancesPerRegion: 0 }, '`instancesPerRegion` must be an integer between 1 and 16, got: 0'],
    ['poll attempts', { maxPollAttempts: 0 }, '`maxPollAttempts` must be an integer between 1 and 1000, got: 0'],
  ])('%s', (_name, props, message) => {
    expect(() => secondary(props)).toThrow(message);
  });
});
