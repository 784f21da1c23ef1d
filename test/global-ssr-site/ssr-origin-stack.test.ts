import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SsrOriginStack, SsrOriginStackProps } from '../../src/global-ssr-site';
import { nagErrors } from '../util/nag';

let assetDir: string;
beforeAll(() => {
  assetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-origin-'));
  fs.writeFileSync(path.join(assetDir, 'index.html'), 'x');
});

function originStack(region: string, overrides: Partial<SsrOriginStackProps> = {}): SsrOriginStack {
  return new SsrOriginStack(new App(), 'Origin', {
    env: { account: '123456789012', region },
    siteName: 'shop',
    primaryRegion: 'eu-west-1',
    drRegion: 'eu-central-1',
    ...overrides,
  });
}

const DISTRIBUTION_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SiteReadDistributionArn'), 'Parameter.Value'] };

describe('SsrOriginStack alone', () => {
  test('primary: bucket readable by the distribution only, invoke grants scoped to it, replication to the DR bucket, asset upload', () => {
    const stack = originStack('eu-west-1', { staticAssetsPath: assetDir, replicationTimeControl: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(nagErrors(stack)).toEqual([]);
    expect(stack.role).toBe('primary');
    expect(stack.bucketName).toBe('shop-123456789012-eu-west-1');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::AWS', { Create: Match.stringLikeRegexp('"region":"us-east-1"') });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudFrontOACReadForThisDistribution',
          Condition: { StringEquals: { 'AWS:SourceArn': DISTRIBUTION_ARN } },
        })]),
      },
    });
    for (const action of ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']) {
      t.hasResourceProperties('AWS::Lambda::Permission', { Action: action, FunctionName: 'shop-ssr', Principal: 'cloudfront.amazonaws.com', SourceArn: DISTRIBUTION_ARN });
    }
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'shop-123456789012-eu-west-1',
      ReplicationConfiguration: {
        Rules: [Match.objectLike({
          Destination: Match.objectLike({ Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-123456789012-eu-central-1']] }, ReplicationTime: Match.anyValue() }),
        })],
      },
    });
    t.resourceCountIs('Custom::CDKBucketDeployment', 2);
    t.resourceCountIs('AWS::Scheduler::Schedule', 0);
    t.hasOutput('StaticBucketName', { Description: 'GlobalSsrSite shop: the primary static bucket (upload here; S3 replicates to DR)' });
  });

  test('DR with the reconciler: no replication, the reconciler probes the site every minute', () => {
    const stack = originStack('eu-central-1', { writeFailoverReconciler: true, domainName: 'www.example.com' });
    expect(nagErrors(stack)).toEqual([]);
    expect(stack.role).toBe('dr');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'shop-123456789012-eu-central-1', ReplicationConfiguration: Match.absent() });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' } });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROBE_URL: 'https://www.example.com/__global-ssr/health/primary', ALARM_NAME: 'shop-primary-health' }) },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-write-failover-reconciler-errors' });
    expect(stack.reconcilerFunction).toBeDefined();
    expect(stack.reconcilerErrorAlarm).toBeDefined();
  });

  test('DR without the reconciler: only the bucket and the grants', () => {
    const t = Template.fromStack(originStack('eu-central-1'));
    t.resourceCountIs('AWS::Scheduler::Schedule', 0);
    t.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  test.each<[string, string, Partial<SsrOriginStackProps>, string]>([
    ['the reconciler in the primary region', 'eu-west-1', { writeFailoverReconciler: true, domainName: 'www.example.com' },
      '`writeFailoverReconciler` must be false in the primary region (the reconciler runs in the DR region), got: true in eu-west-1'],
    ['the reconciler without domainName', 'eu-central-1', { writeFailoverReconciler: true },
      '`domainName` is required with `writeFailoverReconciler` (the reconciler probes the origins through it), got: undefined'],
    ['an invalid crossRegionRefresh', 'eu-west-1', { crossRegionRefresh: 'a b' },
      '`crossRegionRefresh` must be 1 to 64 letters, digits or . _ : - characters, got: a b'],
    ['an invalid siteName', 'eu-west-1', { siteName: 'x' },
      '`siteName` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: x'],
  ])('%s is an error', (_label, region, overrides, message) => {
    expect(() => originStack(region, overrides)).toThrow(message);
  });

  test('a region-agnostic stack is an error', () => {
    expect(() => new SsrOriginStack(new App(), 'Origin', { siteName: 'shop', primaryRegion: 'eu-west-1' }))
      .toThrow('SsrOriginStack must be in a stack with a concrete region: set `env: { account, region }` on stack Origin, it is region-agnostic');
  });
});
