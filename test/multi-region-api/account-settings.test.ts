/**
 * Issue 18 item 7: API Gateway's CloudWatch role is ONE setting per account and region (`AWS::ApiGateway::Account`):
 * "To avoid overwriting other roles, you should only have one AWS::ApiGateway::Account resource per region per account"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html). A REST API
 * stage with access or execution logging needs it set in its region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html), so the first API of an account
 * and region in the app creates it, and every other one relies on it.
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, MultiRegionApi, MultiRegionApiProps } from '../../src/multi-region-api';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';

function props(recordName: string, overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApiProps {
  return {
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    recordName,
    authorization: ApiAuthorization.none(),
    ...overrides,
  };
}

/** Every AWS::ApiGateway::Account of the stacks, as "<stack name>" per region. */
function accountSettings(stacks: Stack[]): { [region: string]: string[] } {
  const out: { [region: string]: string[] } = {};
  for (const stack of stacks) {
    const count = Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Account')).length;
    for (let i = 0; i < count; i++) {
      (out[stack.region] ??= []).push(stack.stackName);
    }
  }
  return out;
}

describe('API Gateway account setting (cloudWatchRole), issue 18 item 7', () => {
  test('two Stages in one account: the setting is created once per region, by the first Stage\'s API', () => {
    const app = new App();
    const dev = new Stage(app, 'Dev', { env: { account: ACCOUNT } });
    const staging = new Stage(app, 'Staging', { env: { account: ACCOUNT } });
    const a = new MultiRegionApi(dev, 'Api', props('dev-api'));
    const b = new MultiRegionApi(staging, 'Api', props('staging-api'));
    expect(accountSettings([...a.stacks, ...b.stacks])).toEqual({
      'us-east-1': ['dev-api-example-com-api-us-east-1'],
      'us-west-2': ['dev-api-example-com-api-us-west-2'],
    });
    // Its role is there too, and nowhere else.
    for (const stack of b.stacks) {
      Template.fromStack(stack).resourcePropertiesCountIs('AWS::IAM::Role', {
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] }],
      }, 0);
    }
  });

  test('two APIs in one Stage: one setting per region, and the second API\'s stacks deploy after the stack that sets it', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: { account: ACCOUNT } });
    const orders = new MultiRegionApi(stage, 'Orders', props('orders'));
    const payments = new MultiRegionApi(stage, 'Payments', props('payments'));
    expect(accountSettings([...orders.stacks, ...payments.stacks])).toEqual({
      'us-east-1': ['orders-example-com-api-us-east-1'],
      'us-west-2': ['orders-example-com-api-us-west-2'],
    });
    expect(payments.stacks[0].dependencies).toContain(orders.stacks[0]);
    expect(payments.stacks[1].dependencies).toContain(orders.stacks[1]);
  });

  test('another account gets its own setting', () => {
    const app = new App();
    const a = new MultiRegionApi(new Stage(app, 'A', { env: { account: ACCOUNT } }), 'Api', props('a'));
    const b = new MultiRegionApi(new Stage(app, 'B', { env: { account: OTHER_ACCOUNT } }), 'Api', props('b'));
    expect(accountSettings(a.stacks)).toEqual({ 'us-east-1': ['a-example-com-api-us-east-1'], 'us-west-2': ['a-example-com-api-us-west-2'] });
    expect(accountSettings(b.stacks)).toEqual({ 'us-east-1': ['b-example-com-api-us-east-1'], 'us-west-2': ['b-example-com-api-us-west-2'] });
  });

  test('cloudWatchRole: false creates none (your account already has the setting), and the next API creates it', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: { account: ACCOUNT } });
    const first = new MultiRegionApi(stage, 'First', props('first', { cloudWatchRole: false }));
    const second = new MultiRegionApi(stage, 'Second', props('second'));
    expect(accountSettings(first.stacks)).toEqual({});
    expect(accountSettings(second.stacks)).toEqual({
      'us-east-1': ['second-example-com-api-us-east-1'],
      'us-west-2': ['second-example-com-api-us-west-2'],
    });
    expect(second.stacks[0].dependencies).not.toContain(first.stacks[0]);
  });

  test('the setting and its role are retained when their stack is deleted, so the other APIs keep their logs', () => {
    const app = new App();
    const api = new MultiRegionApi(app, 'Api', props('api', { account: ACCOUNT }));
    const t = Template.fromStack(api.primaryStack);
    t.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
    });
  });
});
