/**
 * `GET /health` has its own function (review of #9 item 5: Lambda throttling of the routes' function answered the
 * health check with 500, Route 53 counted a failure, and the flapping came back), and the synth warning for
 * latency-routed writes to an EVENTUAL global table (conditional creates hold per region only).
 */
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnResource } from 'aws-cdk-lib/core';
import { ACCOUNT, KEYS, buildApi } from './api-util';
import { FailoverErrors, FailoverRouting } from '../../src';
import { ApiAuthorization, MultiRegionApi, MultiRegionApiProps } from '../../src/multi-region-api';

const STRONG_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

function build(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApi {
  return buildApi({ authorization: ApiAuthorization.none(), ...overrides });
}

const logicalId = (fn: lambda.IFunction) => Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnResource);

/** "<METHOD> /<path>" → the logical id of the function its AWS_PROXY integration invokes. */
function integrations(stack: Stack): { [route: string]: string } {
  const t = Template.fromStack(stack);
  const resources = t.findResources('AWS::ApiGateway::Resource');
  const out: { [route: string]: string } = {};
  for (const m of Object.values(t.findResources('AWS::ApiGateway::Method')) as any[]) {
    if (m.Properties.Integration?.Type !== 'AWS_PROXY') {
      continue;
    }
    const path = m.Properties.ResourceId.Ref ? resources[m.Properties.ResourceId.Ref].Properties.PathPart : '';
    const fn = JSON.stringify(m.Properties.Integration.Uri).match(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/)![1];
    out[`${m.Properties.HttpMethod} /${path}`] = fn;
  }
  return out;
}

/** The statements of the policies attached to `role` (by logical id). */
function policyOf(stack: Stack, fn: lambda.IFunction): any[] {
  const roleId = Stack.of(fn).getLogicalId((fn as lambda.Function).role!.node.defaultChild as CfnResource);
  return (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')) as any[])
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const tableArn = (region: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:${region}:${ACCOUNT}:table/api-example-com-table`]] });

describe('GET /health has its own function (isolated from the routes\' function-level limits)', () => {
  test('in every region, GET /health invokes the health function and every other route the handler', () => {
    const api = build({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'], proxy: true, routes: [{ path: '/items', methods: ['GET'] }] });
    for (const regional of api.regionalApis) {
      const health = logicalId(regional.healthHandler);
      const routes = logicalId(regional.handler);
      expect(health).not.toBe(routes);
      expect(Stack.of(regional.healthHandler)).toBe(regional.stack);
      expect(integrations(regional.stack)).toEqual({
        'GET /health': health,
        'GET /read': routes,
        'POST /write': routes,
        'GET /items': routes,
        'ANY /': routes,
        'ANY /{proxy+}': routes,
      });
      // The two functions, plus (outside us-east-1) aws-cdk-lib's AwsCustomResource provider that publishes the health
      // check id to SSM in us-east-1 for the HealthCheckStatus alarms.
      Template.fromStack(regional.stack).resourceCountIs('AWS::Lambda::Function', regional.region === 'us-east-1' ? 2 : 3);
    }
  });

  test('the health function runs the built-in handler (Node.js 22, arm64) with HEALTH_ONLY, the table settings and its own log group', () => {
    const api = build({ handler: { environment: { HEALTH_TIMEOUT_MS: '600', STAGE: 'prod' } } });
    const west = api.region('us-west-2');
    const t = Template.fromStack(west.stack);
    const fn = t.findResources('AWS::Lambda::Function')[logicalId(west.healthHandler)].Properties;
    expect(fn).toEqual(expect.objectContaining({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 256,
      Environment: { Variables: { HEALTH_TIMEOUT_MS: '600', STAGE: 'prod', TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', HEALTH_ONLY: 'true', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' } },
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^HealthHandlerLogs/) } },
    }));
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    // The drill (integ test) rewrites the health function's environment: it must keep every variable the construct set.
    expect(west.healthHandlerEnvironment).toEqual(fn.Environment.Variables);
    expect(west.handlerEnvironment).not.toHaveProperty('HEALTH_ONLY');
  });

  test('no reserved concurrency by default (new accounts cannot reserve any); healthReservedConcurrency reserves it on the health function only', () => {
    const byDefault = build();
    for (const stack of byDefault.stacks) {
      for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[]) {
        expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      }
    }
    const reserved = build({ healthReservedConcurrency: 5 });
    for (const regional of reserved.regionalApis) {
      const fns = Template.fromStack(regional.stack).findResources('AWS::Lambda::Function');
      expect(fns[logicalId(regional.healthHandler)].Properties.ReservedConcurrentExecutions).toBe(5);
      expect(fns[logicalId(regional.handler)].Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  test.each<[string, number, string]>([
    ['zero', 0, '`healthReservedConcurrency` must be a positive integer (reserved concurrency of the health function), got: 0'],
    ['negative', -1, '`healthReservedConcurrency` must be a positive integer (reserved concurrency of the health function), got: -1'],
    ['fraction', 2.5, '`healthReservedConcurrency` must be a positive integer (reserved concurrency of the health function), got: 2.5'],
  ])('bad healthReservedConcurrency (%s)', (_name, value, message) => {
    let thrown: unknown;
    try {
      build({ healthReservedConcurrency: value });
    } catch (e) {
      thrown = e;
    }
    expect(FailoverErrors.isFailoverError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(message);
  });

  test('least privilege: the health function may only GetItem its region\'s replica and write its own logs', () => {
    const api = build({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    for (const regional of api.regionalApis) {
      const t = Template.fromStack(regional.stack);
      const logGroup = Object.keys(t.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('HealthHandlerLogs'));
      expect(policyOf(regional.stack, regional.healthHandler)).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn(regional.region) },
      ]);
      // The routes' handler keeps GetItem and PutItem.
      expect(policyOf(regional.stack, regional.handler).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:'))))
        .toEqual([{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn(regional.region) }]);
    }
  });

  test('with customer managed keys: the health function may only decrypt with its region\'s key, through DynamoDB in that region', () => {
    const api = build({ tableKeyArns: KEYS });
    for (const regional of api.regionalApis) {
      const kms = policyOf(regional.stack, regional.healthHandler).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
      expect(kms).toEqual([{
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: KEYS[regional.region as 'us-east-1'],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', [`dynamodb.${regional.region}.`, { Ref: 'AWS::URLSuffix' }]] } } },
      }]);
    }
  });

  test('your own code serves /health from its own function too: same code, handler and runtime, GetItem only', () => {
    const api = build({
      handler: { code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_20_X },
      healthReservedConcurrency: 2,
    });
    const west = api.region('us-west-2');
    const fns = Template.fromStack(west.stack).findResources('AWS::Lambda::Function');
    const health = fns[logicalId(west.healthHandler)].Properties;
    const routes = fns[logicalId(west.handler)].Properties;
    expect([health.Code, health.Handler, health.Runtime]).toEqual([routes.Code, 'index.handler', 'nodejs20.x']);
    expect(health.ReservedConcurrentExecutions).toBe(2);
    expect(health.Environment.Variables).toEqual({ TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', HEALTH_ONLY: 'true' });
    expect(policyOf(west.stack, west.healthHandler).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:'))))
      .toEqual([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn('us-west-2') }]);
    expect(integrations(west.stack)['GET /health']).toBe(logicalId(west.healthHandler));
  });
});

describe('latency routing with an EVENTUAL table: conditional creates hold per region only', () => {
  const warning = (region: string) => Match.stringLikeRegexp(
    `^\`routing: FailoverRouting.LATENCY\` with an EVENTUAL \\(multi-Region eventual consistency\\) global table: POST /write of api.example.com in ${region} `
    + 'is a conditional create in this region only',
  );

  test('LATENCY + EVENTUAL + the built-in /write: a warning in every regional stack', () => {
    const api = build({ routing: FailoverRouting.LATENCY });
    for (const stack of api.stacks) {
      Annotations.fromStack(stack).hasWarning('*', warning(stack.region));
      const found = Annotations.fromStack(stack).findWarning('*', warning(stack.region));
      expect(found).toHaveLength(1);
      expect(String(found[0].entry.data)).toBe(
        `\`routing: FailoverRouting.LATENCY\` with an EVENTUAL (multi-Region eventual consistency) global table: POST /write of api.example.com in ${stack.region} `
        + 'is a conditional create in this region only. Two clients routed to two regions can both create the same `id` (both get 201); '
        + 'DynamoDB keeps the last writer when the writes replicate, and the other item is lost. '
        + 'Use `multiRegionConsistency: MultiRegionConsistency.STRONG`, `routing: FailoverRouting.FAILOVER` (writes go to one region at a time), '
        + 'or drop the built-in /write (`defaultRoutes: false`) [ack: cdk-multi-region-failover:eventual-latency-writes]');
    }
  });

  test.each<[string, Partial<MultiRegionApiProps>]>([
    ['FAILOVER routing (the default)', {}],
    ['STRONG consistency', { routing: FailoverRouting.LATENCY, regions: STRONG_REGIONS, multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG }],
    ['no /write (defaultRoutes: false)', { routing: FailoverRouting.LATENCY, defaultRoutes: false, authorization: undefined }],
    ['your own code on /write', {
      routing: FailoverRouting.LATENCY,
      handler: { code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'), handler: 'index.handler' },
    }],
  ])('no warning: %s', (_name, overrides) => {
    const api = build(overrides);
    for (const stack of api.stacks) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('eventual-latency-writes'));
    }
  });
});
