import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FailoverErrors, FailoverRouting } from '../../src';
import {
  ApiAuthorization, ApiRecordMode, MultiRegionApi, MultiRegionApiProps,
} from '../../src/multi-region-api';
import { nagErrors } from '../util/nag';

const ACCOUNT = '111111111111';
const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const TWO = ['us-east-1', 'us-west-2'];
const POOL = 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi';
const THREE = ['us-east-1', 'us-west-2', 'eu-west-1'];

function props(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApiProps {
  // The authorization must be an explicit choice (see multi-region-api-security.test.ts): a public API here.
  return { account: ACCOUNT, regions: TWO, hostedZoneId: ZONE_ID, zoneName: 'example.com', recordName: 'api', authorization: ApiAuthorization.none(), ...overrides };
}

function build(overrides: Partial<MultiRegionApiProps> = {}, scope?: Construct) {
  const app = new App();
  const api = new MultiRegionApi(scope ?? app, 'Api', props(overrides));
  return { app, api };
}

function templates(api: MultiRegionApi): Template[] {
  return api.stacks.map((s) => Template.fromStack(s));
}

interface Statement { Action: string | string[]; Resource: unknown; Effect: string }
function statements(t: Template): Statement[] {
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe('MultiRegionApi stacks', () => {
  test('one stack per region with deterministic names, account and region; secondaries depend on the primary', () => {
    const { api } = build({ regions: THREE });
    expect(api.stacks.map((s) => s.stackName)).toEqual(['api-example-com-api-us-east-1', 'api-example-com-api-us-west-2', 'api-example-com-api-eu-west-1']);
    expect(api.stacks.map((s) => s.node.id)).toEqual(THREE);
    expect(api.stacks.map((s) => [s.account, s.region])).toEqual(THREE.map((r) => [ACCOUNT, r]));
    expect(api.primaryStack).toBe(api.stacks[0]);
    expect(api.stacks[0].dependencies).toEqual([]);
    expect(api.stacks[1].dependencies).toEqual([api.primaryStack]);
    expect(api.stacks[2].dependencies).toEqual([api.primaryStack]);
    expect(api.regions).toEqual(THREE);
  });

  test('stackNamePrefix names the stacks and the table', () => {
    const { api } = build({ stackNamePrefix: 'Orders' });
    expect(api.stacks.map((s) => s.stackName)).toEqual(['Orders-api-us-east-1', 'Orders-api-us-west-2']);
    expect(api.tableName).toBe('Orders-table');
  });

  test('under a Stage the default names stay the same (they come from the record name, not the construct path)', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const api = new MultiRegionApi(stage, 'Api', props());
    expect(api.stacks.map((s) => s.stackName)).toEqual(['api-example-com-api-us-east-1', 'api-example-com-api-us-west-2']);
    expect(api.tableName).toBe('api-example-com-table');
  });

  test('region() returns what was built in that region; unknown regions throw', () => {
    const { api } = build();
    const west = api.region('us-west-2');
    expect(west.stack).toBe(api.stacks[1]);
    expect(west.primary).toBe(false);
    expect(api.region('us-east-1').primary).toBe(true);
    expect(api.region('us-east-1').table).toBe(api.table);
    expect(Stack.of(west.table)).toBe(west.stack);
    expect(Stack.of(west.handler)).toBe(west.stack);
    expect(Stack.of(west.api)).toBe(west.stack);
    expect(Stack.of(west.endpointRecord)).toBe(west.stack);
    expect(west.handlerEnvironment).toEqual(expect.objectContaining({ TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' }));
    expect(api.regionalApis.map((r) => r.region)).toEqual(TWO);
    expect(api.domainName).toBe('api.example.com');
    expect(api.url).toBe('https://api.example.com');
    expect(() => api.region('eu-west-1')).toThrow('`region` must be one of us-east-1, us-west-2, got: eu-west-1');
  });

  test('no stack references another: no Fn::ImportValue, no exports, no cross-region writer', () => {
    const { api } = build({ regions: THREE });
    for (const t of templates(api)) {
      const json = JSON.stringify(t.toJSON());
      expect(json).not.toContain('Fn::ImportValue');
      expect(json).not.toContain('"Export"');
      expect(json).not.toContain('Custom::CrossRegion');
    }
  });
});

describe('MultiRegionApi global table', () => {
  test('TableV2 in the primary stack with a replica per region, PITR, AWS managed encryption, deterministic name', () => {
    const { api } = build({ regions: THREE });
    const [primary, west, eu] = templates(api);
    primary.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    primary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'api-example-com-table',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    const replicas = Object.values(primary.findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual([...THREE].sort());
    for (const replica of replicas) {
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    expect(primary.findResources('AWS::DynamoDB::GlobalTable')[Object.keys(primary.findResources('AWS::DynamoDB::GlobalTable'))[0]].DeletionPolicy).toBe('Retain');
    west.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    eu.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  test('customer managed keys per region: the table uses them and each handler may use only its region\'s key', () => {
    const keys = {
      'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111',
      'us-west-2': 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222',
    };
    const { api } = build({ tableKeyArns: keys });
    const [primary, west] = templates(api);
    primary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    const replicas = Object.values(primary.findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    for (const region of TWO) {
      expect(replicas.find((r: any) => r.Region === region).SSESpecification).toEqual({ KMSMasterKeyId: keys[region as 'us-east-1'] });
    }
    for (const [t, region] of [[primary, 'us-east-1'], [west, 'us-west-2']] as const) {
      // The handler's and the health function's: both on their region's key only.
      const kms = statements(t).filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
      expect(kms).toHaveLength(2);
      expect(kms.map((k) => k.Resource)).toEqual([keys[region], keys[region]]);
    }
  });

  test('STRONG consistency (MRSC) is passed through and gives an RPO of zero', () => {
    const { api } = build({ regions: ['us-east-1', 'us-east-2', 'us-west-2'], multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG });
    Template.fromStack(api.primaryStack).hasResourceProperties('AWS::DynamoDB::GlobalTable', { MultiRegionConsistency: 'STRONG' });
    expect(api.recoveryEstimate.rpo?.toSeconds()).toBe(0);
    expect(api.recoveryEstimate.rpoBounded).toBe(true);
    expect(api.recoveryEstimate.explanation).toContain('RPO 0 s (DynamoDB multi-Region strong consistency');
  });
});

describe('MultiRegionApi handler permissions', () => {
  test.each([[TWO], [THREE]])('least privilege in every region (%j): no wildcard action, DynamoDB resources only in the stack\'s region', (regions) => {
    const { api } = build({ regions });
    api.stacks.forEach((stack, i) => {
      const t = Template.fromStack(stack);
      const all = statements(t);
      expect(all.length).toBeGreaterThan(0);
      for (const s of all) {
        for (const action of asList(s.Action)) {
          expect(action).not.toContain('*');
        }
      }
      // The routes' handler and the health function (multi-region-api-health.test.ts tells them apart).
      const dynamo = all.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toHaveLength(2);
      for (const statement of dynamo) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources).toContain(`:dynamodb:${regions[i]}:${ACCOUNT}:table/api-example-com-table"`);
        expect(resources).not.toContain('/index/');
        for (const other of regions.filter((r) => r !== regions[i])) {
          expect(resources).not.toContain(other);
        }
      }
      // Exactly what the built-in handler calls (no Scan, BatchWriteItem, DeleteItem, DescribeTable, …).
      expect(dynamo.map((d) => asList(d.Action).sort())).toEqual([['dynamodb:GetItem', 'dynamodb:PutItem'], ['dynamodb:GetItem']]);
      t.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' } },
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 10,
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });
  });
});

describe('MultiRegionApi API Gateway', () => {
  test('REGIONAL API with a custom domain, DNS-validated certificate and TLS 1.2 in every region', () => {
    const { api } = build();
    api.stacks.forEach((stack) => {
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] }, Name: stack.stackName });
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'api.example.com',
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: ZONE_ID }],
      });
      t.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: 'api.example.com',
        SecurityPolicy: 'TLS_1_2',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: { Ref: Match.anyValue() },
      });
      t.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
      t.hasResourceProperties('AWS::ApiGateway::RestApi', Match.not(Match.objectLike({ DisableExecuteApiEndpoint: true })));
    });
  });

  test('existing certificates per region are used instead of new ones', () => {
    const certificateArns = {
      'us-east-1': 'arn:aws:acm:us-east-1:111111111111:certificate/aaaa',
      'us-west-2': 'arn:aws:acm:us-west-2:111111111111:certificate/bbbb',
    };
    const { api } = build({ certificateArns });
    templates(api).forEach((t, i) => {
      t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      t.hasResourceProperties('AWS::ApiGateway::DomainName', { RegionalCertificateArn: certificateArns[TWO[i] as 'us-east-1'] });
    });
  });

  test('stage throttling (defaults and custom), access logs with retention, execution logging, X-Ray off by default', () => {
    const { api } = build();
    const t = Template.fromStack(api.primaryStack);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: false,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR', MetricsEnabled: true })]),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.resourceCountIs('AWS::ApiGateway::Account', 1);

    const custom = build({ throttling: { rateLimit: 50, burstLimit: 75 }, tracing: true, logRetention: 7, stageName: 'v1', cloudWatchRole: false }).api;
    const ct = Template.fromStack(custom.stacks[1]);
    ct.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 75 })]),
    });
    ct.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    ct.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    ct.resourceCountIs('AWS::ApiGateway::Account', 0);
    ct.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ ResourcePath: '/v1/health' }) });
  });

  test('routes: GET /read, POST /write, GET /health by default; /read requires the key parameter with the built-in handler', () => {
    const { api } = build();
    const t = Template.fromStack(api.primaryStack);
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    const byMethod = (verb: string) => methods.filter((m) => m.HttpMethod === verb);
    expect(byMethod('GET')).toHaveLength(2);
    expect(byMethod('POST')).toHaveLength(1);
    expect(byMethod('OPTIONS')).toHaveLength(0); // no CORS unless asked for
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.id': true },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('RequestValidator') },
      Integration: Match.objectLike({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' }),
    });
    for (const part of ['health', 'read', 'write']) {
      t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: part });
    }
    t.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
  });

  test('user routes and proxy are added; defaultRoutes: false drops /read and /write but keeps /health', () => {
    const { api } = build({ defaultRoutes: false, routes: [{ path: '/items/{id}', methods: ['get', 'PUT'] }], proxy: true });
    const t = Template.fromStack(api.stacks[1]);
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties.HttpMethod).filter((m) => m !== 'OPTIONS').sort();
    // ANY on /{proxy+} and, as API Gateway needs for the bare root, on /.
    expect(methods).toEqual(['ANY', 'ANY', 'GET', 'GET', 'PUT']);
    t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{id}' });
    t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    expect(Object.values(t.findResources('AWS::ApiGateway::Resource')).map((r: any) => r.Properties.PathPart)).not.toContain('read');
  });

  test('CORS "*" when asked for: any origin, the routes\' methods, default headers, on the routes\' resources', () => {
    const { api } = build({ cors: { allowOrigins: ['*'] } });
    const t = Template.fromStack(api.primaryStack);
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Type: 'MOCK',
        IntegrationResponses: [Match.objectLike({
          StatusCode: '204',
          ResponseParameters: Match.objectLike({
            'method.response.header.Access-Control-Allow-Origin': "'*'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
            'method.response.header.Access-Control-Allow-Headers': Match.stringLikeRegexp('Content-Type'),
            'method.response.header.Access-Control-Max-Age': "'600'",
          }),
        })],
      }),
    });
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });

  test('CORS with explicit origins and credentials: preflight echoes the origin and allows credentials', () => {
    const { api } = build({
      cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type', 'Authorization'] },
    });
    const t = Template.fromStack(api.stacks[1]);
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: Match.objectLike({
        IntegrationResponses: [Match.objectLike({
          ResponseParameters: Match.objectLike({
            'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
            'method.response.header.Access-Control-Allow-Credentials': "'true'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,POST'",
            'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
          }),
        })],
      }),
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ALLOW_ORIGINS: 'https://app.example.com', CORS_ALLOW_CREDENTIALS: 'true' }) },
    });
  });

  test('Cognito authorization protects the routes in every region; /health and preflights stay open', () => {
    const pool = 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi';
    const { api } = build({ authorization: ApiAuthorization.cognito([pool], ['api/read']) });
    for (const t of templates(api)) {
      t.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      t.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [pool] });
      const methods = Object.values(t.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
      const protectedOnes = methods.filter((m) => m.HttpMethod === 'POST' || (m.HttpMethod === 'GET' && m.RequestParameters));
      expect(protectedOnes).toHaveLength(2);
      for (const m of protectedOnes) {
        expect(m.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(m.AuthorizationScopes).toEqual(['api/read']);
      }
      const open = methods.filter((m) => m.HttpMethod === 'OPTIONS' || (m.HttpMethod === 'GET' && !m.RequestParameters));
      for (const m of open) {
        expect(m.AuthorizationType).toBe('NONE');
      }
    }
  });

  test('your own code is deployed to every region (asset re-created per stack) with your handler and runtime', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mra-code-'));
    fs.writeFileSync(path.join(dir, 'index.py'), 'def handler(event, context):\n    return {"statusCode": 200}\n');
    const { api } = build({
      regions: THREE,
      handler: {
        code: lambda.Code.fromAsset(dir),
        handler: 'index.handler',
        runtime: lambda.Runtime.PYTHON_3_13,
        environment: { STAGE: 'prod', TABLE_NAME: 'ignored' },
        memorySize: 512,
        timeout: Duration.seconds(5),
      },
      authorization: ApiAuthorization.cognito(['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi']),
    });
    api.stacks.forEach((stack) => {
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Runtime: 'python3.13',
        MemorySize: 512,
        Timeout: 5,
        Code: { S3Bucket: Match.stringLikeRegexp(`assets-${ACCOUNT}-${stack.region}`) },
        Environment: { Variables: { STAGE: 'prod', TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id' } },
      });
      t.hasResourceProperties('AWS::Lambda::Function', Match.not(Match.objectLike({ Architectures: ['arm64'] })));
    });
    // Custom code: no request parameter is imposed on GET /read.
    const methods = Object.values(Template.fromStack(api.primaryStack).findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    expect(methods.filter((m) => m.RequestParameters)).toEqual([]);
  });
});

describe('MultiRegionApi DNS', () => {
  function records(t: Template): any[] {
    return Object.values(t.findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties);
  }

  test('2 regions: PRIMARY CNAME in the first stack, SECONDARY in the second, 15 s TTL, each with its own health check', () => {
    const { api } = build();
    const [primary, secondary] = templates(api);
    expect(records(primary)).toEqual([expect.objectContaining({
      Name: 'api.example.com.',
      Type: 'CNAME',
      Failover: 'PRIMARY',
      SetIdentifier: 'us-east-1',
      TTL: '15',
      HostedZoneId: ZONE_ID,
      ResourceRecords: [{ 'Fn::GetAtt': [expect.stringMatching(/CustomDomain/), 'RegionalDomainName'] }],
      HealthCheckId: { Ref: expect.stringMatching(/HealthCheck/) },
    })]);
    expect(records(secondary)).toEqual([expect.objectContaining({
      Name: 'api.example.com.',
      Type: 'CNAME',
      Failover: 'SECONDARY',
      SetIdentifier: 'us-west-2',
      TTL: '15',
      HealthCheckId: { Ref: expect.stringMatching(/HealthCheck/) },
    })]);
    [primary, secondary].forEach((t, i) => {
      t.resourceCountIs('AWS::Route53::HealthCheck', 1);
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'HTTPS',
          EnableSNI: true,
          Port: 443,
          RequestInterval: 10,
          FailureThreshold: 2,
          ResourcePath: '/prod/health',
          FullyQualifiedDomainName: { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^Api') }, `.execute-api.${TWO[i]}.`, { Ref: 'AWS::URLSuffix' }]] },
          Inverted: false,
          MeasureLatency: false,
        },
      });
    });
    // Route 53 publishes HealthCheckStatus in us-east-1 only: both regions' alarms are in the alarms stack there;
    // each regional stack has only its API Gateway 5XXError alarm.
    for (const t of [primary, secondary]) {
      t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError' });
    }
    Template.fromStack(api.alarmsStack!).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'HealthCheckStatus' }, 2);
  });

  test('3 regions: a failover chain across the three stacks', () => {
    const { api } = build({ regions: THREE });
    const [a, b, c] = templates(api).map(records);
    expect(a.map((r) => [r.Name, r.Failover, r.SetIdentifier])).toEqual([['api.example.com.', 'PRIMARY', 'us-east-1']]);
    expect(b.map((r) => [r.Name, r.Failover, r.SetIdentifier]).sort()).toEqual([
      ['api.example.com.', 'SECONDARY', 'chain-us-west-2'],
      ['failover-1.api.example.com.', 'PRIMARY', 'us-west-2'],
    ]);
    expect(b.find((r) => r.SetIdentifier === 'chain-us-west-2').AliasTarget).toEqual({
      DNSName: 'failover-1.api.example.com.', HostedZoneId: ZONE_ID, EvaluateTargetHealth: true,
    });
    expect(c.map((r) => [r.Name, r.Failover, r.SetIdentifier])).toEqual([['failover-1.api.example.com.', 'SECONDARY', 'eu-west-1']]);
  });

  test('latency routing: one latency record per region; every region counts in the estimate (20 + 6 + 10 + 30 s)', () => {
    const { api } = build({ routing: FailoverRouting.LATENCY, ttl: Duration.seconds(30) });
    templates(api).forEach((t, i) => {
      expect(records(t)).toEqual([expect.objectContaining({ Name: 'api.example.com.', Region: TWO[i], SetIdentifier: TWO[i], TTL: '30' })]);
    });
    expect(api.recoveryEstimate.rto.toSeconds()).toBe(66);
  });

  test('alias mode: A alias records to the regional domain with EvaluateTargetHealth; the 60 s alias TTL is counted (20 + 6 + 10 + 60 s)', () => {
    const { api } = build({ recordMode: ApiRecordMode.ALIAS });
    const [primary] = templates(api);
    expect(records(primary)).toEqual([expect.objectContaining({
      Name: 'api.example.com.',
      Type: 'A',
      Failover: 'PRIMARY',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [expect.stringMatching(/CustomDomain/), 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [expect.stringMatching(/CustomDomain/), 'RegionalHostedZoneId'] },
        EvaluateTargetHealth: true,
      },
    })]);
    expect(api.recoveryEstimate.rto.toSeconds()).toBe(96);
  });

  test('alias mode allows the zone apex', () => {
    const { api } = build({ recordMode: ApiRecordMode.ALIAS, recordName: 'example.com' });
    expect(api.domainName).toBe('example.com');
  });
});

describe('MultiRegionApi recovery estimate', () => {
  test('defaults: RTO budget 51 s (10 s × 2 + 6 s probe timeout + 10 s propagation + 15 s TTL), typical 45 s; RPO unbounded', () => {
    const { api } = build();
    expect(api.recoveryEstimate.detection.toSeconds()).toBe(26);
    expect(api.recoveryEstimate.propagation.toSeconds()).toBe(25);
    expect(api.recoveryEstimate.rto.toSeconds()).toBe(51);
    expect(api.recoveryEstimate.typicalRto.toSeconds()).toBe(45);
    expect(api.recoveryEstimate.rpo).toBeUndefined();
    expect(api.recoveryEstimate.rpoBounded).toBe(false);
    expect(api.recoveryEstimate.detectionTerms.map((t) => [t.label, t.basis, t.source])).toEqual([
      ['health checks (10 s × 2)', 'DOCUMENTED', 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html'],
      ['probe timeout (connect 4 s + 2xx/3xx 2 s)', 'DOCUMENTED', 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html'],
    ]);
    expect(api.recoveryEstimate.propagationTerms.map((t) => [t.label, t.basis])).toEqual([
      ['checker-to-DNS propagation', 'ASSUMPTION'],
      ['DNS TTL', 'DOCUMENTED'],
    ]);
  });

  test('health check settings and TTL change the estimate (30 s × 3 + 6 s + 10 s + 60 s TTL)', () => {
    const { api } = build({ healthCheck: { interval: Duration.seconds(30), failureThreshold: 3 }, ttl: Duration.seconds(60) });
    expect(api.recoveryEstimate.rto.toSeconds()).toBe(166);
  });

  test('objectives that can be met pass; others fail naming the settings', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(1) } })).not.toThrow();
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(30) } })).toThrow(
      'MultiRegionApi: `recoveryObjectives.rto` of 30 s cannot be met, the RTO budget is 51 s');
    expect(() => build({ recoveryObjectives: { rto: Duration.seconds(60) }, recordMode: ApiRecordMode.ALIAS })).toThrow(
      /the RTO budget is 96 s .*; lower `healthCheck.interval`, `healthCheck.failureThreshold`, use `recordMode: ApiRecordMode.CNAME` with a short `ttl` \(no setting takes the budget below 26 s\)$/);
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(1) } })).toThrow(
      /`recoveryObjectives.rpo` of 1 s cannot be met, the RPO is unbounded: .*; bound it with `multiRegionConsistency: MultiRegionConsistency.STRONG`/);
  });
});

describe('MultiRegionApi cdk-nag', () => {
  test.each<[string, Partial<MultiRegionApiProps>]>([
    ['Cognito authorization, built-in handler', { authorization: ApiAuthorization.cognito([POOL]) }],
    ['3 regions, tracing, latency, alias', { authorization: ApiAuthorization.cognito([POOL]), regions: THREE, tracing: true, routing: FailoverRouting.LATENCY, recordMode: ApiRecordMode.ALIAS }],
    ['only /health', { authorization: undefined, defaultRoutes: false }],
    ['Cognito authorization, routes, proxy, CORS, CMK', {
      authorization: ApiAuthorization.cognito([POOL]),
      routes: [{ path: '/items/{id}', methods: ['GET', 'DELETE'] }],
      proxy: true,
      cors: { allowOrigins: ['https://app.example.com'] },
      tableKeyArns: {
        'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111',
        'us-west-2': 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222',
      },
    }],
  ])('no unsuppressed AwsSolutions errors in any stack: %s', (_name, overrides) => {
    const { api } = build(overrides);
    for (const stack of api.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  test('a public API with your own handler is NOT silently suppressed: APIG4/COG4 are reported on its routes', () => {
    const { api } = build({ handler: { code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'), handler: 'index.handler' } });
    const errors = nagErrors(api.primaryStack);
    const apiErrors = errors.filter((e) => /AwsSolutions-(APIG4|COG4)/.test(e));
    expect(apiErrors).toHaveLength(4);
    expect(apiErrors.every((e) => /\/Api\/Default\/(read\/GET|write\/POST)\/Resource/.test(e))).toBe(true);
    // Your code's default runtime is the latest Node.js (nodejs24.x): AwsSolutions-L1 passes with no suppression (an
    // older runtime of your choice is reported: own-handler.test.ts).
    expect(errors.filter((e) => !/AwsSolutions-(APIG4|COG4)/.test(e))).toEqual([]);
  });
});

describe('MultiRegionApi warnings', () => {
  test('regions outside us-east-1 no longer warn about missing HealthCheckStatus alarms: the alarms stack in us-east-1 has them', () => {
    const { api } = build({ regions: ['eu-west-1', 'eu-central-1'] });
    expect(Annotations.fromStack(api.primaryStack).findWarning('*', Match.stringLikeRegexp('HealthCheckStatus'))).toEqual([]);
    Template.fromStack(api.alarmsStack!).resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });
});

describe('MultiRegionApi bad input', () => {
  test.each<[string, Partial<MultiRegionApiProps>, string]>([
    ['fewer than 2 regions', { regions: ['us-east-1'] }, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    ['duplicate regions', { regions: ['us-east-1', 'us-east-1'] }, '`regions` must not repeat a region, got us-east-1 twice'],
    ['invalid region', { regions: ['us-east-1', 'mars-north-1'] }, '`regions` holds an invalid region name, got: mars-north-1'],
    ['bad account', { account: '1234' }, '`account` must be a 12-digit AWS account id, got: 1234'],
    ['record name outside the zone', { recordName: 'api.example.org' }, '`recordName` must be inside the hosted zone example.com, got: api.example.org'],
    ['bad hosted zone id', { hostedZoneId: 'example' }, '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: example'],
    ['bad zone name', { zoneName: 'not a zone' }, '`zoneName` must be a concrete domain name such as example.com, got: not a zone'],
    ['credentials with *', { cors: { allowOrigins: ['*'], allowCredentials: true } },
      '`cors.allowOrigins` must list explicit origins when `cors.allowCredentials` is true (browsers reject credentials with a wildcard origin), got: *'],
    ['no origins', { cors: { allowOrigins: [] } }, '`cors.allowOrigins` needs at least one origin (or "*"), got: none'],
    ['origin with a path', { cors: { allowOrigins: ['https://app.example.com/x'] } },
      '`cors.allowOrigins` must hold "*" or origins such as https://app.example.com (scheme and host, no path), got: https://app.example.com/x'],
    ['* mixed with origins', { cors: { allowOrigins: ['*', 'https://a.example.com'] } }, '`cors.allowOrigins` must be either ["*"] or a list of origins, got: *, https://a.example.com'],
    ['route on /health', { routes: [{ path: '/health', methods: ['GET'] }] },
      '`routes[0]` must not use /health: it is reserved for the Route 53 health check, got: GET /health'],
    ['route on /health/', { routes: [{ path: '/items', methods: ['GET'] }, { path: '/health/', methods: ['POST'] }] },
      '`routes[1]` must not use /health: it is reserved for the Route 53 health check, got: POST /health/'],
    ['route repeating a default route', { routes: [{ path: '/read', methods: ['GET'] }] },
      '`routes` must not repeat a route, got GET /read twice (`defaultRoutes` already serves GET /read and POST /write)'],
    ['bad route path', { routes: [{ path: 'items', methods: ['GET'] }] },
      '`routes[0].path` must start with "/" and hold segments of letters, digits, ".", "_", "~", "-" or {param} ({param+} last), got: items'],
    ['bad route method', { routes: [{ path: '/items', methods: ['OPTIONS'] }] }, '`routes[0].methods` may hold only GET, POST, PUT, PATCH, DELETE, HEAD, ANY, got: OPTIONS'],
    ['no route method', { routes: [{ path: '/items', methods: [] }] }, '`routes[0].methods` needs at least one method, got: none'],
    ['code without handler', { handler: { code: lambda.Code.fromInline('x') } }, '`handler.handler` is required with `handler.code` (e.g. "index.handler"), got: undefined'],
    ['handler without code', { handler: { handler: 'index.handler' } }, '`handler.code` is required with `handler.handler` or `handler.runtime`, got: index.handler'],
    ['throttling rate', { throttling: { rateLimit: 0 } }, '`throttling.rateLimit` must be greater than 0, got: 0'],
    ['throttling burst', { throttling: { burstLimit: 1.5 } }, '`throttling.burstLimit` must be a positive integer, got: 1.5'],
    ['table name', { tableName: 'a' }, '`tableName` must be 3 to 255 letters, digits, "_", "-" or ".", got: a'],
    ['partition key name', { partitionKeyName: 'a b' }, '`partitionKeyName` must be 1 to 255 letters, digits, "_", "-" or ".", got: a b'],
    ['stage name', { stageName: 'a b' }, '`stageName` must be 1 to 128 letters, digits, "_" or "-", got: a b'],
    ['stack name prefix', { stackNamePrefix: '1api' },
      '`stackNamePrefix` must start with a letter, hold only letters, digits and "-", and be at most 88 characters (room for "-<role>-<region>" in CloudFormation\'s 128), got: 1api'],
    ['missing key ARN', { tableKeyArns: { 'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/x' } }, '`tableKeyArns` needs an ARN for every region, got none for: us-west-2'],
    ['extra certificate', { certificateArns: { 'us-east-1': 'arn:aws:acm:us-east-1:1:certificate/a', 'us-west-2': 'arn:aws:acm:us-west-2:1:certificate/b', 'eu-west-1': 'arn:aws:acm:eu-west-1:1:certificate/c' } },
      '`certificateArns` must only hold regions of `regions`, got: eu-west-1'],
    ['certificate in the wrong region', { certificateArns: { 'us-east-1': 'arn:aws:acm:us-east-1:1:certificate/a', 'us-west-2': 'arn:aws:acm:us-east-1:1:certificate/b' } },
      '`certificateArns` must hold, for each region, an ARN in that region, got for us-west-2: arn:aws:acm:us-east-1:1:certificate/b'],
    ['Cognito without pools', { authorization: ApiAuthorization.cognito([]) }, '`authorization` of type Cognito needs at least one user pool ARN, got: none'],
    ['token replication lag', { replicationLagAllowance: Duration.seconds(Lazy.number({ produce: () => 1 })) },
      '`replicationLagAllowance` must be a concrete duration, got a token'],
    ['empty record name', { recordName: '' }, '`recordName` must be a concrete name inside the hosted zone example.com, got: '],
    ['CNAME at the apex', { recordName: 'example.com' },
      'endpoint us-east-1: a CNAME (`domainName`) cannot be at the zone apex example.com; use an alias `target` or a record name below the apex'],
  ])('%s', (_name, overrides, message) => {
    let thrown: unknown;
    try {
      build(overrides);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeDefined();
    expect(FailoverErrors.isFailoverError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(message);
  });

  test('inside a Stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Parent');
    expect(() => new MultiRegionApi(stack, 'Api', props())).toThrow(
      'MultiRegionApi creates one Stack per region and must be created under an App or a Stage, not inside the Stack Parent');
  });
});
