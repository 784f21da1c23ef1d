import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectHealthCheckStatusAlarm } from './api-util';
import { ApiHealthAlarmsStack, ApiHealthAlarmsStackProps } from '../../src';
import { failureMessage } from '../util/errors';
import { nagErrors } from '../util/nag';
import { synthErrors } from '../util/synth';

const ACCOUNT = '111111111111';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:ops`;

function props(overrides: Partial<ApiHealthAlarmsStackProps> = {}): ApiHealthAlarmsStackProps {
  return { env: { account: ACCOUNT, region: 'us-east-1' }, recordName: 'api.example.com', regions: ['us-east-1', 'eu-west-1'], ...overrides };
}

describe('ApiHealthAlarmsStack alone', () => {
  test('one HealthCheckStatus alarm per region, on the health check id read from its SSM parameter, missing data breaching', () => {
    const stack = new ApiHealthAlarmsStack(new App(), 'Alarms', props());
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const region of ['us-east-1', 'eu-west-1']) {
      expectHealthCheckStatusAlarm(t, region);
    }
    expect(stack.alarms).toHaveLength(2);
  });

  test('namePrefix names the parameters; alarmTopicArn is notified', () => {
    const t = Template.fromStack(new ApiHealthAlarmsStack(new App(), 'Alarms', props({ namePrefix: 'orders', alarmTopicArn: TOPIC })));
    expectHealthCheckStatusAlarm(t, 'eu-west-1', 'orders');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [TOPIC] });
  });

  test('cdk-nag: clean', () => {
    expect(nagErrors(new ApiHealthAlarmsStack(new App(), 'Alarms', props({ alarmTopicArn: TOPIC })))).toEqual([]);
  });

  test.each([
    ['a stack outside us-east-1', { env: { account: ACCOUNT, region: 'eu-west-1' } },
      '`env.region` must be us-east-1: Route 53 publishes HealthCheckStatus only there, got: eu-west-1'],
    ['a region-agnostic stack', { env: undefined },
      'ApiHealthAlarmsStack must be in a stack with a concrete region: set `env: { account, region }` on stack Alarms, it is region-agnostic'],
    ['no region', { regions: [] }, '`regions` needs at least 1 regions (the first is the primary), got: 0'],
    ['an empty record name', { recordName: '' }, '`recordName` must be a concrete name such as api.example.com, got: '],
    ['a bad namePrefix', { namePrefix: 'a_b' },
      '`namePrefix` must start with a letter, hold only letters, digits and "-", and be at most 88 characters (room for "-<role>-<region>" in CloudFormation\'s 128), got: a_b'],
  ])('throws for %s', (_name, overrides, message) => {
    expect(failureMessage(() => new ApiHealthAlarmsStack(new App(), 'Alarms', props(overrides as Partial<ApiHealthAlarmsStackProps>)))).toBe(message);
  });

  test.each([
    ['a topic of another region', { alarmTopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:ops` },
      `\`alarmTopicArn\`[us-east-1] must be a topic in us-east-1: a CloudWatch alarm notifies topics of its own region, got a topic in eu-west-1: arn:aws:sns:eu-west-1:${ACCOUNT}:ops`],
    ['a topic of another account', { alarmTopicArn: 'arn:aws:sns:us-east-1:222222222222:ops' },
      `\`alarmTopicArn\`[us-east-1] must be a topic of account ${ACCOUNT} (the stacks' account), got: arn:aws:sns:us-east-1:222222222222:ops`],
  ])('reports %s when it synthesizes', (_name, overrides, message) => {
    const app = new App();
    new ApiHealthAlarmsStack(app, 'Alarms', props(overrides));
    expect(synthErrors(app)).toEqual([`[Alarms] ${message}`]);
  });
});
