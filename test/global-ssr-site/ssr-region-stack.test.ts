import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SsrRegionStack, SsrRegionStackProps } from '../../src/global-ssr-site';
import { nagErrors } from '../util/nag';

const ACCOUNT = '123456789012';

function regionStack(region: string, overrides: Partial<SsrRegionStackProps> = {}, app = new App()): SsrRegionStack {
  return new SsrRegionStack(app, 'Ssr', {
    env: { account: ACCOUNT, region },
    siteName: 'shop',
    primaryRegion: 'eu-west-1',
    drRegion: 'eu-central-1',
    ...overrides,
  });
}

describe('SsrRegionStack alone', () => {
  test('primary region: SSR function with an IAM function URL, its host in SSM, and the global table with the DR replica', () => {
    const stack = regionStack('eu-west-1');
    expect(nagErrors(stack)).toEqual([]);
    expect(stack.role).toBe('primary');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'shop-ssr',
      MemorySize: 512,
      Timeout: 10,
      Environment: {
        Variables: {
          GLOBAL_SSR_TABLE_NAME: 'shop-state',
          GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1',
          GLOBAL_SSR_HEALTH_PATH: '/_health',
          GLOBAL_SSR_REGION_ROLE: 'primary',
        },
      },
    });
    t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/ssr-origin-host' });
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'shop-state',
      Replicas: [Match.objectLike({ Region: 'eu-central-1' }), Match.objectLike({ Region: 'eu-west-1' })],
    });
    t.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    expect(stack.table).toBeDefined();
    expect(stack.functionName).toBe('shop-ssr');
    expect(stack.tableName).toBe('shop-state');
  });

  test('DR region: the function may use its own region\'s replica only, no table, role dr', () => {
    const stack = regionStack('eu-central-1', { ssr: { memorySize: 1024, timeout: Duration.seconds(20), environment: { FEATURE: 'on' } } });
    expect(nagErrors(stack)).toEqual([]);
    expect(stack.role).toBe('dr');
    expect(stack.table).toBeUndefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    t.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 20,
      Environment: { Variables: Match.objectLike({ FEATURE: 'on', GLOBAL_SSR_REGION_ROLE: 'dr' }) },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'GlobalTableReplicaOfThisRegion',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-central-1:123456789012:table/shop-state']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-central-1:123456789012:table/shop-state/index/*']] },
          ],
        })]),
      },
    });
    expect(stack.ssrEnvironment).toEqual({
      FEATURE: 'on',
      GLOBAL_SSR_TABLE_NAME: 'shop-state',
      GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1',
      GLOBAL_SSR_HEALTH_PATH: '/_health',
      GLOBAL_SSR_REGION_ROLE: 'dr',
    });
  });

  test('a single-region primary has a table without replicas', () => {
    const t = Template.fromStack(regionStack('eu-west-1', { drRegion: undefined }));
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ Region: 'eu-west-1' })] });
  });

  test.each<[string, () => unknown, string]>([
    ['a region-agnostic stack', () => new SsrRegionStack(new App(), 'Ssr', { siteName: 'shop', primaryRegion: 'eu-west-1' }),
      'SsrRegionStack must be in a stack with a concrete region: set `env: { account, region }` on stack Ssr, it is region-agnostic'],
    ['an account-agnostic stack', () => new SsrRegionStack(new App(), 'Ssr', { env: { region: 'eu-west-1' }, siteName: 'shop', primaryRegion: 'eu-west-1' }),
      '`env.account` of SsrRegionStack Ssr must be a concrete 12-digit AWS account id, got: an account-agnostic stack'],
    ['an invalid siteName', () => regionStack('eu-west-1', { siteName: 'Shop!' }),
      '`siteName` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: Shop!'],
    ['a drRegion equal to primaryRegion', () => regionStack('eu-west-1', { drRegion: 'eu-west-1' }),
      '`drRegion` must differ from `primaryRegion`, got: eu-west-1 for both'],
    ['an invalid primaryRegion', () => regionStack('eu-west-1', { primaryRegion: 'europe' }),
      '`primaryRegion` must be a concrete AWS region name, got: europe'],
    ['memory out of range', () => regionStack('eu-west-1', { ssr: { memorySize: 64 } }),
      '`ssr.memorySize` must be between 128 and 10240 MB, got: 64'],
    ['a health path outside the rules', () => regionStack('eu-west-1', { healthCheckPath: 'health' }),
      '`healthCheckPath` must be a path that starts with "/", has no query, fragment or space and is outside /__global-ssr/, got: health'],
  ])('%s is an error', (_label, create, message) => {
    expect(create).toThrow(message);
  });
});
