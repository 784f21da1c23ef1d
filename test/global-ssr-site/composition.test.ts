import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BASE, build, stacksOf, synthErrors } from './site-util';
import { GlobalSsrSite, SsrEdgeStack, SsrOriginStack, SsrRegionStack } from '../../src/global-ssr-site';
import { restoreEnvAfterEach } from '../util/synth';

const TOPICS = {
  'eu-west-1': 'arn:aws:sns:eu-west-1:123456789012:ops',
  'eu-central-1': 'arn:aws:sns:eu-central-1:123456789012:ops',
  'us-east-1': 'arn:aws:sns:us-east-1:123456789012:ops',
};

/** "<stack id> <alarm logical id>" of every CloudWatch alarm of the site, with its actions. */
function alarmsOf(site: GlobalSsrSite): { stack: Stack; id: string; props: any }[] {
  return stacksOf(site).flatMap((stack) => Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
    .map(([id, r]: [string, any]) => ({ stack, id, props: r.Properties })));
}

/**
 * The resources of a stack without their construct-path metadata. aws-cdk-lib derives the id of an origin group inside
 * the distribution config from the construct path (no prop sets it): moving the site updates the distribution in
 * place (no replacement, no data), so that id is masked.
 */
function resourcesOf(stack: Stack): any {
  const resources = Template.fromStack(stack).toJSON().Resources as { [id: string]: any };
  const json = JSON.stringify(Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, { ...r, Metadata: undefined }])));
  return JSON.parse(json.replace(/"[A-Za-z0-9]*DistributionOriginGroup\d+[0-9A-F]{8}"/g, '"<origin group id>"'));
}

describe('alarmTopicArns (existing SNS topics, one per region)', () => {
  test('every alarm of every stack notifies the topic of its own region, on alarm and on OK', () => {
    const site = build({ alarmTopicArns: TOPICS });
    const alarms = alarmsOf(site);
    expect(alarms.map((a) => `${a.stack.node.id} ${a.stack.region}`).sort()).toEqual([
      'DrOrigin eu-central-1', 'Global us-east-1', 'Global us-east-1', 'Global us-east-1',
    ]);
    for (const a of alarms) {
      const topic = TOPICS[a.stack.region as keyof typeof TOPICS];
      expect(a.props.AlarmActions).toEqual(expect.arrayContaining([topic]));
      expect(a.props.OKActions).toEqual(expect.arrayContaining([topic]));
    }
  });

  test('a Route 53 health check and a HealthCheckStatus alarm in us-east-1 for every region\'s origin', () => {
    const site = build({ alarmTopicArns: TOPICS });
    const g = Template.fromStack(site.globalStack);
    g.resourceCountIs('AWS::Route53::HealthCheck', 2);
    for (const [path, alarmName] of [[GlobalSsrSite.PRIMARY_PROBE_PATH, 'shop-primary-health'], [GlobalSsrSite.DR_PROBE_PATH, 'shop-dr-health']]) {
      const checks = g.findResources('AWS::Route53::HealthCheck', { Properties: { HealthCheckConfig: { ResourcePath: path } } });
      expect(Object.keys(checks)).toHaveLength(1);
      g.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarmName,
        Namespace: 'AWS/Route53',
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: Object.keys(checks)[0] } }],
        AlarmActions: Match.arrayWith([TOPICS['us-east-1']]),
      });
    }
    expect(site.drHealthAlarm).toBeDefined();
    expect(site.drHealthCheck).toBeDefined();
  });

  test('keys must be the site\'s alarm regions, each ARN a topic of that region and account (one synth, every error)', () => {
    const app = new App();
    build({
      alarmTopicArns: {
        'ap-south-1': 'arn:aws:sns:ap-south-1:123456789012:ops',
        'us-east-1': 'arn:aws:sns:eu-west-1:123456789012:ops',
        'eu-west-1': 'arn:aws:sns:eu-west-1:999999999999:ops',
      },
    }, app);
    expect(synthErrors(app)).toEqual([
      '[Site] `alarmTopicArns` has a key ap-south-1, which is none of this construct\'s alarm regions (eu-west-1, eu-central-1, us-east-1)',
      '[Site] `alarmTopicArns`[us-east-1] must be a topic in us-east-1: a CloudWatch alarm notifies topics of its own region, got a topic in eu-west-1: arn:aws:sns:eu-west-1:123456789012:ops',
      '[Site] `alarmTopicArns`[eu-west-1] must be a topic of account 123456789012 (the stacks\' account), got: arn:aws:sns:eu-west-1:999999999999:ops',
    ]);
  });
});

describe('account from the Stage or the CLI', () => {
  restoreEnvAfterEach('CDK_DEFAULT_ACCOUNT');

  test('without `account`, the enclosing Stage\'s account', () => {
    const stage = new Stage(new App(), 'Prod', { env: { account: '210987654321' } });
    const site = new GlobalSsrSite(stage, 'Site', { ...BASE, account: undefined });
    expect(stacksOf(site).map((s) => s.account)).toEqual(Array(5).fill('210987654321'));
    expect(site.primaryBucketName).toBe('shop-210987654321-eu-west-1');
  });

  test('an explicit account that contradicts the Stage is an error', () => {
    const stage = new Stage(new App(), 'Prod', { env: { account: '210987654321' } });
    expect(() => new GlobalSsrSite(stage, 'Site', BASE))
      .toThrow('`account` must be the account of the enclosing Stage Prod (210987654321) or be left out, got: 123456789012');
  });

  test('else CDK_DEFAULT_ACCOUNT, else a clear error', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '111122223333';
    expect(build({ account: undefined }).primaryStack.account).toBe('111122223333');
    delete process.env.CDK_DEFAULT_ACCOUNT;
    expect(() => build({ account: undefined })).toThrow('`account` is required here: set it, or create the construct in a Stage with `env: { account }`');
  });
});

describe('stable names', () => {
  test('stack names are <prefix>-<role>-<region>, the prefix derived from domainName', () => {
    const site = build();
    expect(stacksOf(site).map((s) => `${s.node.id} ${s.stackName}`)).toEqual([
      'Dr www-example-com-site-eu-central-1',
      'Primary www-example-com-site-eu-west-1',
      'Global www-example-com-site-global-us-east-1',
      'DrOrigin www-example-com-site-origin-eu-central-1',
      'PrimaryOrigin www-example-com-site-origin-eu-west-1',
    ]);
  });

  test('stackNamePrefix sets the prefix and is validated', () => {
    expect(build({ stackNamePrefix: 'shop' }).globalStack.stackName).toBe('shop-site-global-us-east-1');
    expect(() => build({ stackNamePrefix: '1shop' })).toThrow(
      '`stackNamePrefix` must start with a letter, hold only letters, digits and "-", and be at most 88 characters (room for "-<role>-<region>" in CloudFormation\'s 128), got: 1shop');
  });

  test('siteName defaults to a name derived from domainName (not from the construct path)', () => {
    expect(build({ siteName: undefined }).siteName).toBe('www-example-com');
    const long = build({ siteName: undefined, domainName: 'checkout.very-long-subdomain.example.com' }).siteName;
    expect(long).toMatch(/^[a-z][a-z0-9-]{2,19}$/);
    expect(long).not.toMatch(/-$/);
    expect(build({ siteName: undefined, domainName: 'checkout.very-long-subdomain.example.com' }).siteName).toBe(long);
  });

  test('moving the site into a Stage and renaming its id changes no stack name and no resource', () => {
    const before = new GlobalSsrSite(new App(), 'Site', { ...BASE, siteName: undefined });
    const stage = new Stage(new App(), 'Prod', { env: { account: BASE.account } });
    const after = new GlobalSsrSite(stage, 'Web', { ...BASE, siteName: undefined, account: undefined });
    expect(after.siteName).toBe(before.siteName);
    expect(after.tableName).toBe(before.tableName);
    const [a, b] = [stacksOf(before), stacksOf(after)];
    expect(b.map((s) => s.stackName)).toEqual(a.map((s) => s.stackName));
    for (let i = 0; i < a.length; i++) {
      expect(resourcesOf(b[i])).toEqual(resourcesOf(a[i]));
    }
  });

  test('two sites claiming one domain name in one zone, or one stack name, fail synthesis', () => {
    const app = new App();
    new GlobalSsrSite(app, 'A', { ...BASE, siteName: 'shop-a', stackNamePrefix: 'shop-a' });
    new GlobalSsrSite(app, 'B', { ...BASE, siteName: 'shop-b', stackNamePrefix: 'shop-b' });
    new GlobalSsrSite(app, 'C', { ...BASE, domainName: 'c.example.com', siteName: 'shop-c', stackNamePrefix: 'shop-a' });
    const errors = synthErrors(app);
    expect(errors).toContain('[A] `domainName` www.example.com in hosted zone Z0123456789ABC is also claimed by B: one name can belong to one construct only (give each its own name)');
    expect(errors).toContain('[B] `domainName` www.example.com in hosted zone Z0123456789ABC is also claimed by A: one name can belong to one construct only (give each its own name)');
    expect(errors).toContain('[C] stack name shop-a-site-global-us-east-1 (123456789012/us-east-1) of C/Global is also the name of A/Global: CloudFormation would deploy both into one stack; set `stackNamePrefix` to tell them apart');
  });
});

describe('outputs', () => {
  test('site URL and distribution in the global stack, bucket names in the origin stacks, no exports', () => {
    const site = build();
    const g = Template.fromStack(site.globalStack);
    g.hasOutput('SiteUrl', { Value: 'https://www.example.com' });
    g.hasOutput('DistributionDomainName', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Distribution'), 'DomainName'] } });
    g.hasOutput('DistributionId', { Value: { Ref: Match.stringLikeRegexp('^Distribution') } });
    for (const stack of [site.primaryOriginStack, site.drOriginStack!]) {
      Template.fromStack(stack).hasOutput('StaticBucketName', { Value: { Ref: Match.stringLikeRegexp('^SiteStatic') } });
    }
    for (const stack of stacksOf(site)) {
      expect(Template.fromStack(stack).findOutputs('*', { Export: Match.anyValue() })).toEqual({});
    }
  });
});

describe('validation collected in one synth', () => {
  test('unknown regions and a domain name that is not a host name', () => {
    const app = new App();
    build({ primaryRegion: 'us-west-9', drRegion: 'eu-central-9', domainName: 'my_site!.example.com' }, app);
    const regionError = (prop: string, region: string) => `[Site] \`${prop}\` holds ${region}, which is not an AWS region `
      + '(aws-cdk-lib\'s region list has no such region; for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key '
      + '"cdk-multi-region-failover:extraRegions")';
    expect(synthErrors(app)).toEqual([
      regionError('primaryRegion', 'us-west-9'),
      regionError('drRegion', 'eu-central-9'),
      '[Site] `domainName` must be a host name because it gets an ACM certificate and is a CloudFront alternate domain name: labels of 1 to 63 letters, '
      + 'digits and hyphens, no hyphen at either end (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); '
      + 'invalid label "my_site!" in: my_site!.example.com',
    ]);
  });

  test('a valid site has no errors', () => {
    const app = new App();
    build({}, app);
    expect(synthErrors(app)).toEqual([]);
  });
});

describe('customization hooks', () => {
  test('accessors return concrete types', () => {
    const site = build();
    const fn: lambda.Function = site.primaryFunction;
    fn.addEnvironment('FEATURE', 'on');
    const dr: lambda.Function = site.drFunction!;
    const distribution: cloudfront.Distribution = site.distribution;
    const table: dynamodb.TableV2 = site.table;
    const bucket: s3.Bucket = site.primaryBucket;
    const kvs: cloudfront.KeyValueStore = site.keyValueStore!;
    const check: route53.HealthCheck = site.primaryHealthCheck!;
    const alarm: cloudwatch.Alarm = site.primaryHealthAlarm!;
    expect([dr, distribution, table, bucket, kvs, check, alarm].every((x) => x !== undefined)).toBe(true);
    Template.fromStack(site.primaryStack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FEATURE: 'on' }) },
    });
  });

  test('metric5xxErrorRate: AWS/CloudFront in us-east-1 with the Region=Global dimension', () => {
    const site = build();
    const metric = site.metric5xxErrorRate();
    expect(metric.namespace).toBe('AWS/CloudFront');
    expect(metric.metricName).toBe('5xxErrorRate');
    expect(metric.region).toBe('us-east-1');
    expect(metric.statistic).toBe('Average');
    expect(site.globalStack.resolve(metric.dimensions)).toEqual({ DistributionId: { Ref: expect.stringMatching(/^Distribution/) }, Region: 'Global' });
    expect(site.metricDistribution('Requests', { statistic: 'Sum' }).metricName).toBe('Requests');
  });
});

describe('building blocks', () => {
  test('the site exposes its five stacks as building blocks: SsrRegionStack, SsrEdgeStack, SsrOriginStack', () => {
    const site = build();
    expect([site.drSsrRegion, site.primarySsrRegion, site.edge, site.drOrigin, site.primaryOrigin]).toEqual(stacksOf(site));
    expect(site.primarySsrRegion).toBeInstanceOf(SsrRegionStack);
    expect(site.drSsrRegion).toBeInstanceOf(SsrRegionStack);
    expect(site.edge).toBeInstanceOf(SsrEdgeStack);
    expect(site.primaryOrigin).toBeInstanceOf(SsrOriginStack);
    expect(site.drOrigin).toBeInstanceOf(SsrOriginStack);
    expect([site.primarySsrRegion.role, site.drSsrRegion!.role, site.primaryOrigin.role, site.drOrigin!.role]).toEqual(['primary', 'dr', 'primary', 'dr']);
    // The existing accessors are the blocks' parts.
    expect(site.primaryFunction).toBe(site.primarySsrRegion.ssrFunction);
    expect(site.drFunctionUrl).toBe(site.drSsrRegion!.functionUrl);
    expect(site.table).toBe(site.primarySsrRegion.table);
    expect(site.distribution).toBe(site.edge.distribution);
    expect(site.writeFailoverFunction).toBe(site.edge.writeFailoverFunction);
    expect(site.primaryBucket).toBe(site.primaryOrigin.bucket);
    expect(site.reconcilerFunction).toBe(site.drOrigin!.reconcilerFunction);
    expect(site.primarySsrRegion.ssrEnvironment).toEqual(site.ssrEnvironment('primary'));
    expect(site.drSsrRegion!.ssrEnvironment).toEqual(site.ssrEnvironment('dr'));
  });

  test('single region: no DR blocks', () => {
    const site = build({ dr: false, drRegion: undefined });
    expect([site.drSsrRegion, site.drOrigin]).toEqual([undefined, undefined]);
    expect(site.primaryOrigin.reconcilerFunction).toBeUndefined();
  });
});
