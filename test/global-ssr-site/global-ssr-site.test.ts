import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BASE, build, distributionConfig, readerOf, readerValue, stacksOf, templateOf } from './site-util';
import { GlobalSsrSite, GlobalSsrSiteProps } from '../../src/global-ssr-site';
import { nagErrors } from '../util/nag';

let assetDir: string;
beforeAll(() => {
  assetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-assets-'));
  fs.mkdirSync(path.join(assetDir, '_next', 'static'), { recursive: true });
  fs.writeFileSync(path.join(assetDir, '_next', 'static', 'app-abc123.js'), 'x');
  fs.writeFileSync(path.join(assetDir, 'favicon.ico'), 'x');
});

describe('cdk-nag', () => {
  test.each([
    ['defaults', {}],
    ['user code, assets, logging, RTC, DESTROY', { ssr: { code: lambda.Code.fromInline('exports.handler = async () => ({})') }, replicationTimeControl: true, logging: true, removalPolicy: RemovalPolicy.DESTROY }],
    ['single region', { dr: false, drRegion: undefined }],
    ['DR in us-east-1', { primaryRegion: 'eu-west-1', drRegion: 'us-east-1' }],
  ])('every stack is clean: %s', (_label, overrides) => {
    const site = build({ ...overrides, staticAssets: { sourcePath: assetDir } } as Partial<GlobalSsrSiteProps>);
    const stacks = stacksOf(site);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    for (const stack of stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });
});

describe('stacks and deployment order', () => {
  test('five stacks; regional stacks first, then us-east-1, then the origin stacks (primary origin after DR origin)', () => {
    const site = build();
    expect(stacksOf(site).map((s) => `${s.node.id}@${s.region}`)).toEqual([
      'Dr@eu-central-1', 'Primary@eu-west-1', 'Global@us-east-1', 'DrOrigin@eu-central-1', 'PrimaryOrigin@eu-west-1',
    ]);
    const deps = (s: Stack) => s.dependencies.map((d) => d.node.id).sort();
    expect(deps(site.drStack!)).toEqual([]);
    expect(deps(site.primaryStack)).toEqual([]);
    expect(deps(site.globalStack)).toEqual(['Dr', 'Primary']);
    expect(deps(site.drOriginStack!)).toEqual(['Global']);
    expect(deps(site.primaryOriginStack)).toEqual(['DrOrigin', 'Global']);
  });

  test('the app synthesizes (no dependency cycle) and no template imports another stack\'s export', () => {
    const app = new App();
    const site = build({}, app);
    const assembly = app.synth();
    for (const stack of stacksOf(site)) {
      const template = JSON.stringify(assembly.getStackArtifact(stack.artifactId).template);
      expect(template).not.toContain('Fn::ImportValue');
      expect(template).not.toContain('ExportsReader');
      expect(Template.fromStack(stack).findOutputs('*', { Export: Match.anyValue() })).toEqual({});
    }
  });

  test('works under a Stage', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const site = new GlobalSsrSite(stage, 'Site', BASE);
    expect(() => app.synth()).not.toThrow();
    // The stack name no longer comes from the construct path (it used to contain the Stage's name): see composition.test.ts.
    expect(site.globalStack.stackName).toBe('www-example-com-site-global-us-east-1');
  });

  test('the regional stacks write the function URL host to SSM; the global stack reads it in each region', () => {
    const site = build();
    for (const stack of [site.primaryStack, site.drStack!]) {
      Template.fromStack(stack).hasResourceProperties('AWS::SSM::Parameter', {
        Name: '/shop/ssr-origin-host',
        Value: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Match.stringLikeRegexp('SsrFunctionUrl'), 'FunctionUrl'] }] }] },
      });
    }
    const g = Template.fromStack(site.globalStack);
    for (const region of ['eu-west-1', 'eu-central-1']) {
      g.hasResourceProperties('Custom::AWS', {
        Create: Match.serializedJson(Match.objectLike({ service: 'SSM', action: 'GetParameter', region, parameters: { Name: '/shop/ssr-origin-host' } })),
      });
    }
  });

  test('deterministic names', () => {
    const site = build();
    expect(site.primaryBucketName).toBe('shop-123456789012-eu-west-1');
    expect(site.drBucketName).toBe('shop-123456789012-eu-central-1');
    expect(site.tableName).toBe('shop-state');
    expect(site.functionName).toBe('shop-ssr');
    // The default comes from domainName, not from a hash of the construct path: see composition.test.ts.
    expect(build({ siteName: undefined }).siteName).toBe('www-example-com');
  });
});

/** Every deploy-time SSM reader of the site: "<stack id> <region>:<parameter> -> <physical id>", from its Update call. */
function readers(site: GlobalSsrSite): string[] {
  return stacksOf(site).flatMap((stack) => Object.values(Template.fromStack(stack).findResources('Custom::AWS')).map((r: any) => {
    const call = JSON.parse(r.Properties.Update);
    return `${stack.node.id} ${call.region}:${call.parameters.Name} -> ${call.physicalResourceId.id}`;
  }));
}

describe('crossRegionRefresh: the deploy-time SSM reads run again only when it changes (templates stay deterministic)', () => {
  test('without it the readers are unchanged: physical id <region>:<name>', () => {
    expect(readers(build())).toEqual([
      'Global eu-west-1:/shop/ssr-origin-host -> eu-west-1:/shop/ssr-origin-host',
      'Global eu-central-1:/shop/ssr-origin-host -> eu-central-1:/shop/ssr-origin-host',
      'DrOrigin us-east-1:/shop/active-origin-kvs-arn -> us-east-1:/shop/active-origin-kvs-arn',
      'DrOrigin us-east-1:/shop/distribution-arn -> us-east-1:/shop/distribution-arn',
      'PrimaryOrigin us-east-1:/shop/distribution-arn -> us-east-1:/shop/distribution-arn',
    ]);
  });

  test('a value changes every reader\'s Update call (CloudFormation then sends Update and it reads again); the same value, the same templates', () => {
    expect(readers(build({ crossRegionRefresh: '2025-06-01' }))).toEqual([
      'Global eu-west-1:/shop/ssr-origin-host -> eu-west-1:/shop/ssr-origin-host@2025-06-01',
      'Global eu-central-1:/shop/ssr-origin-host -> eu-central-1:/shop/ssr-origin-host@2025-06-01',
      'DrOrigin us-east-1:/shop/active-origin-kvs-arn -> us-east-1:/shop/active-origin-kvs-arn@2025-06-01',
      'DrOrigin us-east-1:/shop/distribution-arn -> us-east-1:/shop/distribution-arn@2025-06-01',
      'PrimaryOrigin us-east-1:/shop/distribution-arn -> us-east-1:/shop/distribution-arn@2025-06-01',
    ]);
    const templates = (site: GlobalSsrSite) => stacksOf(site).map((stack) => JSON.stringify(Template.fromStack(stack).toJSON()));
    expect(templates(build({ crossRegionRefresh: '2025-06-01' }))).toEqual(templates(build({ crossRegionRefresh: '2025-06-01' })));
  });

  test.each(['', 'has space', 'x'.repeat(65)])('%j is refused', (value) => {
    expect(() => build({ crossRegionRefresh: value })).toThrow(
      `\`crossRegionRefresh\` must be 1 to 64 letters, digits or . _ : - characters, got: ${value}`);
  });
});

describe('OAC grants are scoped to this site\'s distribution (no account-wide wildcard)', () => {
  test('the global stack writes the distribution ARN to SSM in us-east-1; each origin stack reads it there', () => {
    const site = build();
    Template.fromStack(site.globalStack).hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/shop/distribution-arn',
      Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::123456789012:distribution/', { Ref: Match.stringLikeRegexp('^Distribution') }]] },
    });
    for (const id of ['PrimaryOrigin', 'DrOrigin']) {
      const t = templateOf(site, id);
      t.hasResourceProperties('Custom::AWS', {
        Create: Match.serializedJson(Match.objectLike({ service: 'SSM', action: 'GetParameter', region: 'us-east-1', parameters: { Name: '/shop/distribution-arn' } })),
      });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParameter', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:parameter/shop/distribution-arn']] } })]) },
      });
    }
  });

  test('both Lambda permissions (InvokeFunctionUrl and InvokeFunction via URL) name the distribution read from SSM', () => {
    const site = build();
    for (const id of ['PrimaryOrigin', 'DrOrigin']) {
      const t = templateOf(site, id);
      const permissions = Object.values(t.findResources('AWS::Lambda::Permission')).map((r: any) => r.Properties)
        .filter((p: any) => p.Principal === 'cloudfront.amazonaws.com');
      expect(permissions).toEqual([
        { Action: 'lambda:InvokeFunctionUrl', FunctionName: 'shop-ssr', Principal: 'cloudfront.amazonaws.com', SourceAccount: '123456789012', FunctionUrlAuthType: 'AWS_IAM', SourceArn: readerValue('SiteReadDistributionArn') },
        { Action: 'lambda:InvokeFunction', FunctionName: 'shop-ssr', Principal: 'cloudfront.amazonaws.com', SourceAccount: '123456789012', InvokedViaFunctionUrl: true, SourceArn: readerValue('SiteReadDistributionArn') },
      ]);
    }
    for (const stack of [site.primaryStack, site.drStack!]) {
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 0);
    }
  });

  test('the static buckets: OAC read only for this distribution; SSL enforced', () => {
    const site = build();
    for (const [id, name] of [['PrimaryOrigin', 'shop-123456789012-eu-west-1'], ['DrOrigin', 'shop-123456789012-eu-central-1']]) {
      const t = templateOf(site, id);
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'static/' },
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^SiteStatic') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Sid: 'AllowCloudFrontOACReadForThisDistribution',
              Effect: 'Allow',
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: { StringEquals: { 'AWS:SourceArn': readerOf('SiteReadDistributionArn') } },
            }),
          ]),
        },
      });
    }
  });

  test('no template grants CloudFront on `distribution/*`', () => {
    const app = new App();
    const site = build({}, app);
    const assembly = app.synth();
    for (const stack of stacksOf(site)) {
      expect(JSON.stringify(assembly.getStackArtifact(stack.artifactId).template)).not.toMatch(/distribution\/\*/);
    }
  });
});

describe('SSR', () => {
  test('bootstrap function by default: 512 MB, 10 s, env with the health path, IAM-auth URL in both regions', () => {
    const site = build();
    for (const [stack, role] of [[site.primaryStack, 'primary'], [site.drStack!, 'dr']] as const) {
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'shop-ssr',
        MemorySize: 512,
        Timeout: 10,
        Runtime: 'nodejs22.x',
        Environment: { Variables: Match.objectLike({ GLOBAL_SSR_TABLE_NAME: 'shop-state', GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1', GLOBAL_SSR_REGION_ROLE: role, GLOBAL_SSR_HEALTH_PATH: '/_health' }) },
      });
      t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    }
  });

  test('user code, handler, runtime, memory, timeout and env', () => {
    const site = build({ ssr: { code: lambda.Code.fromInline('x'), handler: 'server.handler', runtime: lambda.Runtime.NODEJS_20_X, memorySize: 1024, timeout: Duration.seconds(20), environment: { FOO: 'bar' } } });
    Template.fromStack(site.drStack!).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'server.handler',
      Runtime: 'nodejs20.x',
      MemorySize: 1024,
      Timeout: 20,
      Environment: { Variables: Match.objectLike({ FOO: 'bar', GLOBAL_SSR_REGION_ROLE: 'dr' }) },
    });
    expect(site.ssrEnvironment('primary')).toEqual({ FOO: 'bar', GLOBAL_SSR_TABLE_NAME: 'shop-state', GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1', GLOBAL_SSR_HEALTH_PATH: '/_health', GLOBAL_SSR_REGION_ROLE: 'primary' });
    expect(() => site.ssrEnvironment('west')).toThrow('`role` must be "primary" or "dr", got: west');
  });

  test('each function may use its own region\'s replica only', () => {
    const site = build();
    for (const [stack, region, other] of [[site.primaryStack, 'eu-west-1', 'eu-central-1'], [site.drStack!, 'eu-central-1', 'eu-west-1']] as const) {
      const t = Template.fromStack(stack);
      const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:${region}:123456789012:table/shop-state`]] };
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'GlobalTableReplicaOfThisRegion', Resource: [arn, Match.anyValue()] })]) },
      });
      expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain(`dynamodb:${other}`);
    }
  });
});

describe('health path', () => {
  test('default /_health: the probes are rewritten to it; Route 53 checks the primary-only probe path', () => {
    const site = build();
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"healthCheckPath":"/_health"')])] }) });
    g.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ ResourcePath: '/__global-ssr/health/primary' }) });
  });

  test('a custom healthCheckPath reaches the edge router and the SSR environment', () => {
    const site = build({ healthCheckPath: '/api/health' });
    Template.fromStack(site.globalStack).hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"healthCheckPath":"/api/health"')])] }),
    });
    expect(site.ssrEnvironment('dr').GLOBAL_SSR_HEALTH_PATH).toBe('/api/health');
  });

  test.each(['health', '/__global-ssr/x', '/h?x=1', '/a b'])('healthCheckPath %j is refused', (p) => {
    expect(() => build({ healthCheckPath: p })).toThrow(`\`healthCheckPath\` must be a path that starts with "/", has no query, fragment or space and is outside /__global-ssr/, got: ${p}`);
  });
});

describe('static assets', () => {
  test('replication primary → DR bucket (by deterministic name), no RTC by default', () => {
    const site = build();
    const t = Template.fromStack(site.primaryOriginStack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'shop-123456789012-eu-west-1',
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Rules: [{
          Id: 'primary-to-dr',
          Status: 'Enabled',
          Priority: 1,
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          Destination: { Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-123456789012-eu-central-1']] } },
        }],
      },
    });
    templateOf(site, 'DrOrigin').hasResourceProperties('AWS::S3::Bucket', { BucketName: 'shop-123456789012-eu-central-1', ReplicationConfiguration: Match.absent() });
  });

  test('replicationTimeControl enables RTC and metrics', () => {
    Template.fromStack(build({ replicationTimeControl: true }).primaryOriginStack).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: { Rules: [Match.objectLike({ Destination: Match.objectLike({ ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } }) })] },
    });
  });

  test('assets are deployed in the primary origin stack: hashed paths immutable, the rest revalidated', () => {
    const site = build({ staticAssets: { sourcePath: assetDir } });
    const t = Template.fromStack(site.primaryOriginStack);
    t.resourceCountIs('Custom::CDKBucketDeployment', 2);
    t.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: Match.stringLikeRegexp('SiteStatic') },
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Exclude: ['*'],
      Include: ['_next/static/*', 'assets/*'],
    });
    t.hasResourceProperties('Custom::CDKBucketDeployment', { SystemMetadata: { 'cache-control': 'public, max-age=0, must-revalidate' }, Exclude: ['_next/static/*', 'assets/*'] });
    Template.fromStack(build().primaryOriginStack).resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('state', () => {
  test('global table in the primary stack with a DR replica, deterministic name, PITR', () => {
    Template.fromStack(build().primaryStack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'shop-state',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      Replicas: Match.arrayWith([
        Match.objectLike({ Region: 'eu-central-1' }),
        Match.objectLike({ Region: 'eu-west-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ]),
    });
  });
});

describe('single region (dr: false)', () => {
  test('three stacks, plain origins, no groups, no router, scoped grants, same API', () => {
    const site = build({ dr: false, drRegion: undefined });
    expect(stacksOf(site).map((s) => s.node.id)).toEqual(['Primary', 'Global', 'PrimaryOrigin']);
    expect(site.drStack).toBeUndefined();
    expect(site.drOriginStack).toBeUndefined();
    expect(site.keyValueStore).toBeUndefined();
    expect(site.reconcilerFunction).toBeUndefined();
    const config = distributionConfig(site);
    expect(config.OriginGroups).toBeUndefined();
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-primary', 'static-primary']);
    expect(config.DefaultCacheBehavior.FunctionAssociations ?? []).toEqual([]);
    expect(config.DefaultCacheBehavior.LambdaFunctionAssociations).toHaveLength(1);
    Template.fromStack(site.primaryOriginStack).hasResourceProperties('AWS::Lambda::Permission', { SourceArn: readerOf('SiteReadDistributionArn') });
    Template.fromStack(site.globalStack).resourceCountIs('AWS::CloudFront::Function', 0);
    expect(site.recoveryEstimate.explanation).toContain('Single region');
  });
});

describe('bad input', () => {
  test.each<[string, Partial<GlobalSsrSiteProps>, string]>([
    ['same regions', { drRegion: 'eu-west-1' }, '`drRegion` must differ from `primaryRegion`, got: eu-west-1 for both'],
    ['missing DR region', { drRegion: undefined }, '`drRegion` is required when `dr` is true (the default), got: undefined'],
    ['bad region', { primaryRegion: 'europe' }, '`primaryRegion` must be a concrete AWS region name, got: europe'],
    ['bad account', { account: '123' }, '`account` must be a 12-digit AWS account id, got: 123'],
    ['domain outside the zone', { domainName: 'www.example.org' }, '`domainName` must be the zone name or a name inside the hosted zone example.com, got: www.example.org'],
    ['certificate not in us-east-1', { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, '`certificateArn` must be an ACM certificate in us-east-1 (CloudFront requires it), got: arn:aws:acm:eu-west-1:123456789012:certificate/abc'],
    ['static pattern /*', { staticAssets: { pathPatterns: ['/static/*', '/*'] } }, '`staticAssets.pathPatterns` must not shadow the default (SSR) behaviour `/*`, got: /*'],
    ['no static pattern', { staticAssets: { pathPatterns: [] } }, '`staticAssets.pathPatterns` needs at least one path pattern, got: none'],
    ['reserved static pattern', { staticAssets: { pathPatterns: ['/__global-ssr/*'] } }, '`staticAssets.pathPatterns` must not use the reserved prefix /__global-ssr/, got: /__global-ssr/*'],
    ['repeated static pattern', { staticAssets: { pathPatterns: ['/a/*', '/a/*'] } }, '`staticAssets.pathPatterns` must not repeat a pattern, got: /a/*, /a/*'],
    ['memory too small', { ssr: { memorySize: 64 } }, '`ssr.memorySize` must be between 128 and 10240 MB, got: 64'],
    ['timeout too long', { ssr: { timeout: Duration.seconds(901) } }, '`ssr.timeout` must be between 1 and 900 seconds, got: 901 s'],
    ['ssr.timeout above the CloudFront read timeout', { ssr: { timeout: Duration.seconds(300) } }, '`readTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 300 s (it defaults to `ssr.timeout`; set `readTimeout`)'],
    ['read timeout too long', { readTimeout: Duration.seconds(181) }, '`readTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 181 s'],
    ['read timeout not whole', { readTimeout: Duration.millis(2500) }, '`readTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 2.5 s'],
    ['read timeout token', { readTimeout: Duration.seconds(Token.asNumber({ Ref: 'T' })) }, '`readTimeout` must be a concrete duration (the recovery estimate counts it), got a token'],
    ['domain token', { domainName: Token.asString({ Ref: 'D' }) }, '`domainName` and `zoneName` must be concrete strings, got: ${Token[TOKEN.'],
    ['connection attempts', { connectionAttempts: 4 }, '`connectionAttempts` must be between 1 and 3, got: 4'],
    ['connection timeout', { connectionTimeout: Duration.seconds(11) }, '`connectionTimeout` must be between 1 and 10 whole seconds, got: 11 s'],
    ['SSR status code', { ssrFailoverStatusCodes: [501] }, '`ssrFailoverStatusCodes` may only hold 400, 403, 404, 416, 500, 502, 503, 504, got: 501'],
    ['no static status code', { staticFailoverStatusCodes: [] }, '`staticFailoverStatusCodes` needs at least one status code, got: none'],
    ['site name', { siteName: 'My_Site' }, '`siteName` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: My_Site'],
    ['dr: false with drRegion', { dr: false }, '`drRegion` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with writeFailover', { dr: false, drRegion: undefined, writeFailover: true }, '`writeFailover` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with objectives', { dr: false, drRegion: undefined, recoveryObjectives: { rto: Duration.minutes(5) } }, '`recoveryObjectives` applies only with a DR region, got it with `dr: false`'],
    ['health check interval', { healthCheckInterval: Duration.seconds(20) }, '`healthCheckInterval` must be 10 or 30 seconds, got: 20 s'],
    ['health check threshold', { healthCheckFailureThreshold: 11 }, '`healthCheckFailureThreshold` must be between 1 and 10, got: 11'],
  ])('%s', (_label, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });

  test('inside a Stack', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new GlobalSsrSite(stack, 'Site', BASE)).toThrow('GlobalSsrSite creates one Stack per region and must be created under an App or a Stage, not inside the Stack S');
  });
});
