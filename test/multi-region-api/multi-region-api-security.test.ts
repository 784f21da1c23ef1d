/**
 * Secure defaults (#10 items 1, 3, 5), health route throttling (#9 item 5) and the recovery estimate
 * (#10 item 6) of MultiRegionApi.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnResource } from 'aws-cdk-lib/core';
import { ACCOUNT, KEYS, buildApi } from './api-util';
import { RecoveryBasis } from '../../src';
import { ApiAuthorization, MultiRegionApi, MultiRegionApiProps } from '../../src/multi-region-api';
import { nagErrors } from '../util/nag';

const POOL = 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi';

function build(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApi {
  return buildApi(overrides);
}

function methods(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
}

function statements(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

const viaDynamoDb = (region: string) => ({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', [`dynamodb.${region}.`, { Ref: 'AWS::URLSuffix' }]] } } });
const tableArn = (region: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:${region}:${ACCOUNT}:table/api-example-com-table`]] });

describe('no implicit public API (#10 item 1)', () => {
  test('no `authorization` with routes: synthesis fails naming what a public API would expose', () => {
    expect(() => build()).toThrow(
      '`authorization` must be chosen explicitly: `ApiAuthorization.cognito(userPoolArns)` to require signed-in users, '
      + 'or `ApiAuthorization.none()` to let anyone on the internet call GET /read, POST /write, got: undefined');
    expect(() => build({ defaultRoutes: false, routes: [{ path: '/items/{id}', methods: ['GET', 'PUT'] }], proxy: true })).toThrow(
      'or `ApiAuthorization.none()` to let anyone on the internet call GET /items/{id}, PUT /items/{id}, ANY /, ANY /{proxy+}, got: undefined');
  });

  test('an API that serves only /health needs no authorization', () => {
    const api = build({ defaultRoutes: false });
    expect(methods(api.primaryStack).map((m) => `${m.HttpMethod} ${m.AuthorizationType}`)).toEqual(['GET NONE']);
  });

  test('ApiAuthorization.none(): a public API, with a synth warning in every regional stack', () => {
    const api = build({ authorization: ApiAuthorization.none() });
    api.stacks.forEach((stack) => {
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ApiAuthorization.none'));
      expect(warnings.map((w) => w.entry.data)).toEqual([
        `\`ApiAuthorization.none()\`: anyone on the internet can call GET /read, POST /write of api.example.com in ${stack.region}; `
        + 'use `ApiAuthorization.cognito(...)` unless the API is meant to be public (cdk-nag reports AwsSolutions-APIG4 and COG4 on these routes) '
        + '[ack: cdk-multi-region-failover:public-api]',
      ]);
    });
    const cognito = build({ authorization: ApiAuthorization.cognito([POOL]) });
    Annotations.fromStack(cognito.primaryStack).hasNoWarning('*', Match.stringLikeRegexp('ApiAuthorization.none'));
  });

  test('CORS: none by default (no preflight, no CORS gateway responses, no origins for the handler)', () => {
    const api = build({ authorization: ApiAuthorization.cognito([POOL]) });
    for (const stack of api.stacks) {
      expect(methods(stack).filter((m) => m.HttpMethod === 'OPTIONS')).toEqual([]);
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
      const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Environment?.Variables?.TABLE_NAME) as any;
      expect(fn.Properties.Environment.Variables).toEqual({ TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' });
    }
  });

  test('CORS "*" only when asked for, and then only on resources with routes (not /health)', () => {
    const api = build({ authorization: ApiAuthorization.cognito([POOL]), cors: { allowOrigins: ['*'] } });
    const t = Template.fromStack(api.primaryStack);
    const resources = t.findResources('AWS::ApiGateway::Resource');
    const preflights = methods(api.primaryStack).filter((m) => m.HttpMethod === 'OPTIONS');
    expect(preflights.map((m) => resources[m.ResourceId.Ref]?.Properties.PathPart).sort()).toEqual(['read', 'write']);
    expect(preflights[0].Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });
});

test('CORS with proxy: preflights on / and /{proxy+} (every method allowed), none on /health', () => {
  const api = build({ authorization: ApiAuthorization.cognito([POOL]), defaultRoutes: false, proxy: true, cors: { allowOrigins: ['https://app.example.com'] } });
  const t = Template.fromStack(api.primaryStack);
  const resources = t.findResources('AWS::ApiGateway::Resource');
  const preflights = methods(api.primaryStack).filter((m) => m.HttpMethod === 'OPTIONS');
  expect(preflights.map((m) => (m.ResourceId.Ref ? resources[m.ResourceId.Ref].Properties.PathPart : '/')).sort()).toEqual(['/', '{proxy+}']);
  for (const m of preflights) {
    expect(m.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Methods'])
      .toBe("'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD'");
  }
});

describe('GET /health has its own throttling (#9 item 5)', () => {
  test('a method setting for /health GET (50 rps, burst 100, logged) beside the stage-wide 100/200', () => {
    const api = build({ authorization: ApiAuthorization.none() });
    for (const stack of api.stacks) {
      const stage = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0] as any;
      expect(stage.Properties.MethodSettings).toEqual([
        { HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: false, LoggingLevel: 'ERROR', MetricsEnabled: true, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        { HttpMethod: 'GET', ResourcePath: '/~1health', DataTraceEnabled: false, LoggingLevel: 'ERROR', MetricsEnabled: true, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      ]);
    }
  });

  test('healthThrottling and throttling are independent', () => {
    const api = build({
      authorization: ApiAuthorization.none(),
      throttling: { rateLimit: 5, burstLimit: 10 },
      healthThrottling: { rateLimit: 20, burstLimit: 40 },
    });
    const stage = Object.values(Template.fromStack(api.stacks[1]).findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.Properties.MethodSettings.map((s: any) => [s.ResourcePath, s.ThrottlingRateLimit, s.ThrottlingBurstLimit])).toEqual([
      ['/*', 5, 10],
      ['/~1health', 20, 40],
    ]);
  });

  test.each<[string, Partial<MultiRegionApiProps>, string]>([
    ['rate', { healthThrottling: { rateLimit: 0 } }, '`healthThrottling.rateLimit` must be greater than 0, got: 0'],
    ['burst', { healthThrottling: { burstLimit: 2.5 } }, '`healthThrottling.burstLimit` must be a positive integer, got: 2.5'],
  ])('bad healthThrottling %s', (_name, overrides, message) => {
    expect(() => build({ authorization: ApiAuthorization.none(), ...overrides })).toThrow(message);
  });
});

describe('least privilege (#10 item 3)', () => {
  test('the handler may call exactly dynamodb:GetItem and dynamodb:PutItem on its own region\'s replica, the health function only GetItem', () => {
    const api = build({ authorization: ApiAuthorization.none(), regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    for (const stack of api.stacks) {
      const dynamo = statements(stack).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
      expect(dynamo).toEqual([
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn(stack.region) },
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn(stack.region) },
      ]);
    }
  });

  test('with customer managed keys: that region\'s key, usable only through DynamoDB in that region', () => {
    const api = build({ authorization: ApiAuthorization.none(), tableKeyArns: KEYS });
    for (const stack of api.stacks) {
      const kms = statements(stack).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
      expect(kms).toEqual([{
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        Resource: KEYS[stack.region as 'us-east-1'],
        Condition: viaDynamoDb(stack.region),
      }, {
        // The health function: it only reads.
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: KEYS[stack.region as 'us-east-1'],
        Condition: viaDynamoDb(stack.region),
      }]);
    }
  });

  test('grantReadData / grantWriteData / grantReadWriteData: one region\'s replica, for your own code', () => {
    const api = build({ authorization: ApiAuthorization.none(), tableKeyArns: KEYS });
    const west = api.region('us-west-2').stack;
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const fn = (id: string) => new lambda.Function(west, id, { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    const reader = fn('Reader');
    const writer = fn('Writer');
    const both = fn('Both');
    api.grantReadData(reader, 'us-west-2');
    api.grantWriteData(writer, 'us-west-2');
    api.grantReadWriteData(both, 'us-west-2');
    const policies = Object.values(Template.fromStack(west).findResources('AWS::IAM::Policy')) as any[];
    const roleId = (f: lambda.Function) => west.getLogicalId(f.role!.node.defaultChild as CfnResource);
    const policyOf = (f: lambda.Function) => policies.find((p) => p.Properties.Roles[0].Ref === roleId(f))
      .Properties.PolicyDocument.Statement;
    const viaService = viaDynamoDb('us-west-2');
    expect(policyOf(reader)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], Resource: tableArn('us-west-2') },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEYS['us-west-2'], Condition: viaService },
    ]);
    expect(policyOf(writer)[0]).toEqual(
      { Effect: 'Allow', Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: tableArn('us-west-2') });
    expect(policyOf(writer)[1].Action).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
    expect(policyOf(both)[0].Action).toEqual([
      'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable',
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem',
    ]);
    expect(() => api.grantReadData(reader, 'eu-west-1')).toThrow('`region` must be one of us-east-1, us-west-2, got: eu-west-1');
  });
});

const PROVIDER_SUPPRESSIONS = [
  'AWS679f53fac002430cb0da5b7982bd2287/Resource: AwsSolutions-L1',
  'AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource: AwsSolutions-IAM4 ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]',
];

describe('cdk-nag: narrow suppressions only (#10 item 5)', () => {
  function suppressions(stack: Stack): string[] {
    return stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.getMetadata('cdk_nag') !== undefined)
      .flatMap((c) => (c.getMetadata('cdk_nag').rules_to_suppress as any[])
        .map((r) => `${c.node.path.replace(`${stack.node.path}/`, '')}: ${r.id}${r.applies_to ? ` ${JSON.stringify(r.applies_to)}` : ''}`))
      .sort();
  }

  test('Cognito-protected API: clean, with five suppressions per region (two more for the SSM publisher outside us-east-1), each on one resource', () => {
    const api = build({ authorization: ApiAuthorization.cognito([POOL]), cors: { allowOrigins: ['https://app.example.com'] } });
    for (const stack of api.stacks) {
      expect(nagErrors(stack)).toEqual([]);
      // Outside us-east-1, aws-cdk-lib's AwsCustomResource provider (it publishes the health check id to SSM in us-east-1).
      const provider = stack.region === 'us-east-1' ? [] : PROVIDER_SUPPRESSIONS;
      expect(suppressions(stack)).toEqual([
        ...provider,
        'Api/CloudWatchRole/Resource: AwsSolutions-IAM4 ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]',
        'Api/Default/health/GET/Resource: AwsSolutions-APIG4',
        'Api/Default/health/GET/Resource: AwsSolutions-COG4',
        'Handler/Resource: AwsSolutions-L1',
        'HealthHandler/Resource: AwsSolutions-L1',
      ]);
    }
  });

  test('tracing adds one IAM5 suppression per function, for X-Ray\'s Resource::* only, on its role\'s policy', () => {
    const api = build({ authorization: ApiAuthorization.cognito([POOL]), tracing: true, cloudWatchRole: false });
    const stack = api.stacks[1];
    expect(nagErrors(stack)).toEqual([]);
    expect(suppressions(stack)).toEqual([
      ...PROVIDER_SUPPRESSIONS,
      'Api/Default/health/GET/Resource: AwsSolutions-APIG4',
      'Api/Default/health/GET/Resource: AwsSolutions-COG4',
      'Handler/Resource: AwsSolutions-L1',
      'HandlerRole/DefaultPolicy/Resource: AwsSolutions-IAM5 ["Resource::*"]',
      'HealthHandler/Resource: AwsSolutions-L1',
      'HealthHandlerRole/DefaultPolicy/Resource: AwsSolutions-IAM5 ["Resource::*"]',
    ]);
  });

  test('a public API (ApiAuthorization.none()) is NOT suppressed: APIG4 and COG4 are reported on every route', () => {
    const api = build({ authorization: ApiAuthorization.none(), cors: { allowOrigins: ['https://app.example.com'] } });
    const errors = nagErrors(api.primaryStack);
    expect(errors.map((e) => e.replace(/^.*\/Api\/Default\//, '').replace(/: (AwsSolutions-\w+):.*$/s, ' $1')).sort()).toEqual([
      'read/GET/Resource AwsSolutions-APIG4',
      'read/GET/Resource AwsSolutions-COG4',
      'write/POST/Resource AwsSolutions-APIG4',
      'write/POST/Resource AwsSolutions-COG4',
    ]);
  });
});

describe('recovery estimate (#10 item 6)', () => {
  test('EVENTUAL (default): RPO unbounded, typically 1 s (AWS documented); RTO budget 51 s, typical 45 s', () => {
    const e = build({ authorization: ApiAuthorization.none() }).recoveryEstimate;
    expect(e.rpoBounded).toBe(false);
    expect(e.rpo).toBeUndefined();
    expect(e.typicalRpo.toSeconds()).toBe(1);
    expect(e.rto.toSeconds()).toBe(51);
    expect(e.typicalRto.toSeconds()).toBe(45);
    expect(e.explanation).toBe('Route 53 failover (CNAME) for us-east-1: RTO budget 51 s, typical 45 s = health checks (10 s × 2) 20 s'
      + ' + probe timeout (connect 4 s + 2xx/3xx 2 s) 6 s (typical 0 s) + checker-to-DNS propagation 10 s [assumption] + DNS TTL 15 s;'
      + ' RPO unbounded (DynamoDB global table replication is asynchronous (multi-Region eventual consistency)), typical 1 s');
  });

  test('replicationLagAllowance is your typical figure (an assumption), never a bound', () => {
    const e = build({ authorization: ApiAuthorization.none(), replicationLagAllowance: Duration.seconds(3) }).recoveryEstimate;
    expect([e.rpoBounded, e.typicalRpo.toSeconds()]).toEqual([false, 3]);
    expect(RecoveryBasis.ASSUMPTION).toBe('ASSUMPTION');
  });

  test('recoveryObjectives.rpo with EVENTUAL fails synthesis, naming the setting that bounds it', () => {
    expect(() => build({ authorization: ApiAuthorization.none(), recoveryObjectives: { rpo: Duration.seconds(5) } })).toThrow(
      'MultiRegionApi: `recoveryObjectives.rpo` of 5 s cannot be met, the RPO is unbounded: DynamoDB global table replication is asynchronous '
      + '(multi-Region eventual consistency) (typical 1 s); bound it with `multiRegionConsistency: MultiRegionConsistency.STRONG` '
      + '(3 regions of one region set, or 2 and a `witnessRegion`)');
  });

  test('STRONG (MRSC): RPO bound 0, and recoveryObjectives.rpo passes', () => {
    const props: Partial<MultiRegionApiProps> = {
      authorization: ApiAuthorization.none(),
      regions: ['us-east-1', 'us-east-2', 'us-west-2'],
      multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG,
      recoveryObjectives: { rpo: Duration.seconds(0), rto: Duration.seconds(51) },
    };
    const e = build(props).recoveryEstimate;
    expect([e.rpoBounded, e.rpo?.toSeconds(), e.typicalRpo.toSeconds()]).toEqual([true, 0, 0]);
    expect(e.explanation).toMatch(/; RPO 0 s \(DynamoDB multi-Region strong consistency: a write succeeds only once it is replicated\)$/);
  });

  test('the RTO objective is checked against the budget, not the typical figure', () => {
    expect(() => build({ authorization: ApiAuthorization.none(), recoveryObjectives: { rto: Duration.seconds(50) } })).toThrow(
      /^MultiRegionApi: `recoveryObjectives.rto` of 50 s cannot be met, the RTO budget is 51 s \(.*\); lower `healthCheck.interval`, `healthCheck.failureThreshold`, `ttl` \(no setting takes the budget below 26 s\)$/);
    expect(() => build({ authorization: ApiAuthorization.none(), recoveryObjectives: { rto: Duration.seconds(51) } })).not.toThrow();
  });

  test('recoveryAssumptions.healthCheckPropagation changes the budget', () => {
    const assumptions = { healthCheckPropagation: Duration.seconds(30) };
    const e = build({ authorization: ApiAuthorization.none(), recoveryAssumptions: assumptions }).recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(71);
  });
});
