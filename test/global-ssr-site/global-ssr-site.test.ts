import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GlobalSsrSite, GlobalSsrSiteProps } from '../../src/global-ssr-site';
import { nagErrors } from '../util/nag';

const BASE: GlobalSsrSiteProps = {
  account: '123456789012',
  primaryRegion: 'eu-west-1',
  drRegion: 'eu-central-1',
  domainName: 'www.example.com',
  hostedZoneId: 'Z0123456789ABC',
  zoneName: 'example.com',
  siteName: 'shop',
};

function build(overrides: Partial<GlobalSsrSiteProps> = {}, app = new App()): GlobalSsrSite {
  return new GlobalSsrSite(app, 'Site', { ...BASE, ...overrides });
}

function stacksOf(site: GlobalSsrSite): Stack[] {
  return [site.primaryStack, ...(site.drStack ? [site.drStack] : []), site.globalStack];
}

function distributionConfig(site: GlobalSsrSite): any {
  const resources = Template.fromStack(site.globalStack).findResources('AWS::CloudFront::Distribution');
  return (Object.values(resources)[0] as any).Properties.DistributionConfig;
}

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
  ])('every stack is clean: %s', (_label, overrides) => {
    const site = build({ ...overrides, staticAssets: { sourcePath: assetDir } } as Partial<GlobalSsrSiteProps>);
    for (const stack of stacksOf(site)) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });
});

describe('stacks and wiring', () => {
  test('three stacks in the right regions; dependencies point one way (global → primary → DR)', () => {
    const site = build();
    expect([site.primaryStack.region, site.drStack!.region, site.globalStack.region]).toEqual(['eu-west-1', 'eu-central-1', 'us-east-1']);
    expect(site.globalStack.dependencies.map((s) => s.node.id).sort()).toEqual(['Dr', 'Primary']);
    expect(site.primaryStack.dependencies.map((s) => s.node.id)).toEqual(['Dr']);
    expect(site.drStack!.dependencies).toEqual([]);
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
    expect(site.globalStack.stackName).toContain('Prod');
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
    g.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParameter', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:123456789012:parameter/shop/ssr-origin-host']] } })]) },
    });
  });

  test('deterministic names', () => {
    const site = build();
    expect(site.primaryBucketName).toBe('shop-123456789012-eu-west-1');
    expect(site.drBucketName).toBe('shop-123456789012-eu-central-1');
    expect(site.tableName).toBe('shop-state');
    expect(site.functionName).toBe('shop-ssr');
    const defaultName = build({ siteName: undefined }).siteName;
    expect(defaultName).toMatch(/^ssr-[0-9a-f]{8}$/);
    expect(build({ siteName: undefined }).siteName).toBe(defaultName);
  });
});

describe('SSR', () => {
  test('bootstrap function by default: 512 MB, 10 s, env, IAM-auth URL in both regions', () => {
    const site = build();
    for (const [stack, role] of [[site.primaryStack, 'primary'], [site.drStack!, 'dr']] as const) {
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'shop-ssr',
        MemorySize: 512,
        Timeout: 10,
        Runtime: 'nodejs22.x',
        Environment: { Variables: Match.objectLike({ GLOBAL_SSR_TABLE_NAME: 'shop-state', GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1', GLOBAL_SSR_REGION_ROLE: role }) },
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
    expect(distributionConfig(site).Origins.find((o: any) => o.Id === 'ssr-dr').CustomOriginConfig.OriginReadTimeout).toBe(20);
    expect(site.ssrEnvironment('primary')).toEqual({ FOO: 'bar', GLOBAL_SSR_TABLE_NAME: 'shop-state', GLOBAL_SSR_PRIMARY_REGION: 'eu-west-1', GLOBAL_SSR_REGION_ROLE: 'primary' });
    expect(() => site.ssrEnvironment('west')).toThrow('`role` must be "primary" or "dr", got: west');
  });

  test('each regional stack lets CloudFront invoke the URL (both actions), scoped to the account\'s distributions', () => {
    const site = build();
    for (const stack of [site.primaryStack, site.drStack!]) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::Lambda::Permission', 2);
      t.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: 'cloudfront.amazonaws.com',
        FunctionUrlAuthType: 'AWS_IAM',
        SourceAccount: '123456789012',
        SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::123456789012:distribution/*']] },
      });
      t.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'cloudfront.amazonaws.com',
        InvokedViaFunctionUrl: true,
        SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::123456789012:distribution/*']] },
      });
    }
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
      expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('dynamodb:*');
    }
  });
});

describe('static assets', () => {
  test('buckets: versioned, SSE-S3, public access blocked, SSL enforced, access logs, OAC read for the account\'s distributions', () => {
    const site = build();
    for (const [stack, name] of [[site.primaryStack, 'shop-123456789012-eu-west-1'], [site.drStack!, 'shop-123456789012-eu-central-1']] as const) {
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'static/' },
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Sid: 'AllowCloudFrontOACRead',
              Effect: 'Allow',
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: { ArnLike: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::123456789012:distribution/*']] } } },
            }),
          ]),
        },
      });
    }
  });

  test('replication primary → DR bucket (by deterministic name), no RTC by default', () => {
    const site = build();
    const t = Template.fromStack(site.primaryStack);
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
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-123456789012-eu-central-1/*']] },
        })]),
      },
    });
    Template.fromStack(site.drStack!).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'shop-123456789012-eu-central-1', ReplicationConfiguration: Match.absent() });
  });

  test('replicationTimeControl enables RTC and metrics', () => {
    const site = build({ replicationTimeControl: true });
    Template.fromStack(site.primaryStack).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [Match.objectLike({
          Destination: Match.objectLike({
            ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
            Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
          }),
        })],
      },
    });
  });

  test('assets are deployed in the primary region: hashed paths immutable, the rest revalidated', () => {
    const site = build({ staticAssets: { sourcePath: assetDir } });
    const t = Template.fromStack(site.primaryStack);
    t.resourceCountIs('Custom::CDKBucketDeployment', 2);
    t.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: Match.stringLikeRegexp('SiteStatic') },
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Exclude: ['*'],
      Include: ['_next/static/*', 'assets/*'],
    });
    t.hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'public, max-age=0, must-revalidate' },
      Exclude: ['_next/static/*', 'assets/*'],
    });
    Template.fromStack(site.drStack!).resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  test('no upload without sourcePath', () => {
    Template.fromStack(build().primaryStack).resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('distribution', () => {
  test('OAC on every origin, no OAI anywhere', () => {
    const site = build();
    const g = Template.fromStack(site.globalStack);
    for (const stack of stacksOf(site)) {
      Template.fromStack(stack).resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    }
    g.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
    g.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
    const config = distributionConfig(site);
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-dr', 'ssr-primary', 'static-dr', 'static-primary']);
    for (const origin of config.Origins) {
      expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(origin.Id.startsWith('ssr') ? /^SsrOac/ : /^StaticOac/), 'Id'] });
      if (origin.S3OriginConfig) {
        expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      }
    }
  });

  test('SSR origins: host read from SSM, HTTPS only, fast failover defaults', () => {
    const config = distributionConfig(build());
    const primary = config.Origins.find((o: any) => o.Id === 'ssr-primary');
    expect(primary).toMatchObject({
      DomainName: { 'Fn::GetAtt': [expect.stringMatching(/^ReadPrimaryOriginHost/), 'Parameter.Value'] },
      ConnectionAttempts: 1,
      ConnectionTimeout: 2,
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 10 },
    });
    expect(config.Origins.find((o: any) => o.Id === 'ssr-dr').DomainName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReadDrOriginHost/), 'Parameter.Value'] });
  });

  test('static behaviours → origin group primary → DR bucket with long caching and failover criteria', () => {
    const config = distributionConfig(build());
    expect(config.OriginGroups.Quantity).toBe(1);
    const group = config.OriginGroups.Items[0];
    expect(group.Members.Items).toEqual([{ OriginId: 'static-primary' }, { OriginId: 'static-dr' }]);
    expect(group.FailoverCriteria.StatusCodes.Items).toEqual([403, 404, 500, 502, 503, 504]);
    const statics = config.CacheBehaviors.filter((b: any) => b.TargetOriginId === group.Id);
    expect(statics.map((b: any) => b.PathPattern)).toEqual(['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico']);
    for (const b of statics) {
      expect(b).toMatchObject({ CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'], ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
    }
  });

  test('default behaviour: all methods to the primary SSR origin, caching disabled, all viewer headers except Host, edge router', () => {
    const config = distributionConfig(build());
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: 'ssr-primary',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // AllViewerExceptHostHeader
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeRouter/), 'FunctionARN'] } }],
    });
    const probes = config.CacheBehaviors.filter((b: any) => b.PathPattern.startsWith('/__global-ssr/'));
    expect(probes.map((b: any) => [b.PathPattern, b.TargetOriginId])).toEqual([
      [GlobalSsrSite.PRIMARY_PROBE_PATH, 'ssr-primary'],
      [GlobalSsrSite.DR_PROBE_PATH, 'ssr-dr'],
    ]);
  });

  test('the edge router: runtime 2.0, the KeyValueStore, the SSR failover status codes', () => {
    const site = build({ ssrFailoverStatusCodes: [500, 502, 503, 504, 404], healthCheckPath: '/healthz' });
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] } }], Comment: Match.anyValue() },
      FunctionCode: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"failoverStatusCodes":\\[500,502,503,504,404\\]'), { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Id'] }, Match.stringLikeRegexp('"healthCheckPath":"/healthz"')])] },
    });
    g.hasResourceProperties('AWS::CloudFront::KeyValueStore', { ImportSource: Match.anyValue() });
  });

  test('TLS 1.2_2021, HTTP/2+3, IPv6, certificate created in us-east-1 with DNS validation', () => {
    const site = build();
    const config = distributionConfig(site);
    expect(config).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, Aliases: ['www.example.com'], ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' } });
    Template.fromStack(site.globalStack).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'www.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'www.example.com', HostedZoneId: 'Z0123456789ABC' }],
    });
  });

  test('an existing certificate, a WAF web ACL and logging', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const waf = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1';
    const site = build({ certificateArn: arn, webAclArn: waf, logging: true });
    const g = Template.fromStack(site.globalStack);
    g.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    expect(distributionConfig(site)).toMatchObject({ ViewerCertificate: { AcmCertificateArn: arn }, WebACLId: waf, Logging: { Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^AccessLogs/), 'RegionalDomainName'] }, Prefix: 'cloudfront/' } });
    g.hasResourceProperties('AWS::S3::Bucket', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
  });

  test('A and AAAA alias records on the domain', () => {
    const g = Template.fromStack(build().globalStack);
    for (const type of ['A', 'AAAA']) {
      g.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'www.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABC',
        AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] }, HostedZoneId: Match.anyValue() },
      });
    }
  });
});

describe('write failover', () => {
  test('health check on the primary probe through CloudFront, alarm → flipper on ALARM and OK, flipper scoped to the store', () => {
    const site = build({ healthCheckInterval: Duration.seconds(30), healthCheckFailureThreshold: 3 });
    const g = Template.fromStack(site.globalStack);
    g.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] },
        ResourcePath: GlobalSsrSite.PRIMARY_PROBE_PATH,
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
        Port: 443,
      }),
    });
    const flipper = { 'Fn::GetAtt': [Match.stringLikeRegexp('WriteFailover'), 'Arn'] };
    g.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Statistic: 'Minimum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [flipper],
      OKActions: [flipper],
    });
    g.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ACTIVE_ORIGIN_KEY: 'active-origin', KVS_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] } }) },
    });
    g.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ActiveOrigin'), 'Arn'] } }] },
    });
    g.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'lambda.alarms.cloudwatch.amazonaws.com' });
  });

  test('writeFailover: false keeps the GET origin group router but no store, health check or flipper', () => {
    const site = build({ writeFailover: false });
    const g = Template.fromStack(site.globalStack);
    g.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    g.resourceCountIs('AWS::Route53::HealthCheck', 0);
    g.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    g.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp('"keyValueStoreId":null') });
    expect(site.recoveryEstimate.rto.toSeconds()).toBe(2);
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
  test('two stacks, plain origins, no groups, no router, same API', () => {
    const site = build({ dr: false, drRegion: undefined });
    expect(site.drStack).toBeUndefined();
    expect(site.drFunction).toBeUndefined();
    expect(site.keyValueStore).toBeUndefined();
    const config = distributionConfig(site);
    expect(config.OriginGroups).toBeUndefined();
    expect(config.Origins.map((o: any) => o.Id).sort()).toEqual(['ssr-primary', 'static-primary']);
    expect(config.DefaultCacheBehavior.FunctionAssociations ?? []).toEqual([]);
    expect(config.CacheBehaviors.map((b: any) => b.TargetOriginId)).toEqual(['static-primary', 'static-primary', 'static-primary', 'static-primary']);
    const p = Template.fromStack(site.primaryStack);
    p.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'shop-123456789012-eu-west-1', ReplicationConfiguration: Match.absent() });
    p.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ Region: 'eu-west-1' })] });
    Template.fromStack(site.globalStack).resourceCountIs('AWS::CloudFront::Function', 0);
    expect(site.recoveryEstimate.explanation).toContain('Single region');
    expect(() => new App().synth()).not.toThrow();
  });
});

describe('recovery', () => {
  test('GET per request = attempts × timeout; writes = health check + alarm + flip + propagation', () => {
    const site = build({ connectionAttempts: 2, connectionTimeout: Duration.seconds(3) });
    expect(site.readRecoveryEstimate.rto.toSeconds()).toBe(6);
    expect(site.readRecoveryEstimate.explanation).toContain('connection attempts × timeout (2 × 3 s) 6 s');
    expect(site.recoveryEstimate.detection.toSeconds()).toBe(20 + 5 + 90);
    expect(site.recoveryEstimate.propagation.toSeconds()).toBe(15);
    expect(site.recoveryEstimate.rto.toSeconds()).toBe(130);
    expect(site.recoveryEstimate.rpo.toSeconds()).toBe(1);
  });

  test('recoveryObjectives are enforced', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(3), rpo: Duration.seconds(1) } })).not.toThrow();
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(1) } })).toThrow(
      /^GlobalSsrSite: `recoveryObjectives.rto` of 60 s cannot be met, the estimated RTO is 2 min 10 s .*; lower `healthCheckInterval`, `healthCheckFailureThreshold`, `connectionAttempts`, `connectionTimeout`$/);
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
    ['static pattern *', { staticAssets: { pathPatterns: ['*'] } }, '`staticAssets.pathPatterns` must not shadow the default (SSR) behaviour `/*`, got: *'],
    ['no static pattern', { staticAssets: { pathPatterns: [] } }, '`staticAssets.pathPatterns` needs at least one path pattern, got: none'],
    ['reserved static pattern', { staticAssets: { pathPatterns: ['/__global-ssr/*'] } }, '`staticAssets.pathPatterns` must not use the reserved prefix /__global-ssr/, got: /__global-ssr/*'],
    ['repeated static pattern', { staticAssets: { pathPatterns: ['/a/*', '/a/*'] } }, '`staticAssets.pathPatterns` must not repeat a pattern, got: /a/*, /a/*'],
    ['memory too small', { ssr: { memorySize: 64 } }, '`ssr.memorySize` must be between 128 and 10240 MB, got: 64'],
    ['memory too large', { ssr: { memorySize: 10241 } }, '`ssr.memorySize` must be between 128 and 10240 MB, got: 10241'],
    ['timeout too long', { ssr: { timeout: Duration.seconds(901) } }, '`ssr.timeout` must be between 1 and 900 seconds, got: 901 s'],
    ['timeout above the CloudFront read timeout', { ssr: { timeout: Duration.seconds(300) } }, '`originReadTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 300 s (it defaults to `ssr.timeout`; set `originReadTimeout`)'],
    ['read timeout too long', { originReadTimeout: Duration.seconds(181) }, '`originReadTimeout` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: 181 s'],
    ['connection attempts', { connectionAttempts: 4 }, '`connectionAttempts` must be between 1 and 3, got: 4'],
    ['connection timeout', { connectionTimeout: Duration.seconds(11) }, '`connectionTimeout` must be between 1 and 10 whole seconds, got: 11 s'],
    ['SSR status code', { ssrFailoverStatusCodes: [501] }, '`ssrFailoverStatusCodes` may only hold 400, 403, 404, 416, 500, 502, 503, 504, got: 501'],
    ['no static status code', { staticFailoverStatusCodes: [] }, '`staticFailoverStatusCodes` needs at least one status code, got: none'],
    ['health check path', { healthCheckPath: 'health' }, '`healthCheckPath` must start with "/", got: health'],
    ['site name', { siteName: 'My_Site' }, '`siteName` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: My_Site'],
    ['dr: false with drRegion', { dr: false }, '`drRegion` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with RTC', { dr: false, drRegion: undefined, replicationTimeControl: true }, '`replicationTimeControl` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with failover codes', { dr: false, drRegion: undefined, ssrFailoverStatusCodes: [500] }, '`ssrFailoverStatusCodes` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with writeFailover', { dr: false, drRegion: undefined, writeFailover: true }, '`writeFailover` applies only with a DR region, got it with `dr: false`'],
    ['dr: false with objectives', { dr: false, drRegion: undefined, recoveryObjectives: { rto: Duration.minutes(5) } }, '`recoveryObjectives` applies only with a DR region, got it with `dr: false`'],
  ])('%s', (_label, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });

  test('health check settings', () => {
    expect(() => build({ healthCheckInterval: Duration.seconds(20) })).toThrow('`healthCheckInterval` must be 10 or 30 seconds, got: 20 s');
    expect(() => build({ healthCheckFailureThreshold: 11 })).toThrow('`healthCheckFailureThreshold` must be between 1 and 10, got: 11');
  });

  test('inside a Stack', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new GlobalSsrSite(stack, 'Site', BASE)).toThrow('GlobalSsrSite creates one Stack per region and must be created under an App or a Stage, not inside the Stack S');
  });
});
