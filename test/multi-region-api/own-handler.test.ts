/**
 * Issue 18 item 6: your own handler code in `MultiRegionApi`: the default runtime of your code is the latest Node.js
 * runtime aws-cdk-lib knows (what cdk-nag's AwsSolutions-L1 asks for), your own function per region through
 * `handler.factory`, and `memorySize`/`timeout` checked against Lambda's limits, with a warning over API Gateway's
 * 29 s integration timeout.
 */
import { App, Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnResource } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { ACCOUNT, buildApi } from './api-util';
import { FailoverErrors } from '../../src';
import {
  ApiAuthorization, ApiHandlerOptions, IRegionalHandlerFactory, MultiRegionApi, MultiRegionApiProps, RegionalHandlerContext,
} from '../../src/multi-region-api';
import { nagErrors } from '../util/nag';

const POOL = 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi';
const CODE = 'exports.handler = async () => ({ statusCode: 200, body: "{}" })';
const TIMEOUT_WARNING = 'cdk-multi-region-failover:integration-timeout';

function build(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApi {
  return buildApi({ authorization: ApiAuthorization.cognito([POOL]), ...overrides });
}

function buildError(overrides: Partial<MultiRegionApiProps>): Error {
  try {
    build(overrides);
  } catch (e) {
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
    return e as Error;
  }
  throw new Error('expected MultiRegionApi to throw');
}

const logicalId = (c: Construct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnResource);

/** "<METHOD> /<path>" → the JSON of the `Integration.Uri` of its AWS_PROXY method. */
function integrationUris(stack: Stack): { [route: string]: string } {
  const t = Template.fromStack(stack);
  const resources = t.findResources('AWS::ApiGateway::Resource');
  const out: { [route: string]: string } = {};
  for (const m of Object.values(t.findResources('AWS::ApiGateway::Method')) as any[]) {
    if (m.Properties.Integration?.Type === 'AWS_PROXY') {
      const path = m.Properties.ResourceId.Ref ? resources[m.Properties.ResourceId.Ref].Properties.PathPart : '';
      out[`${m.Properties.HttpMethod} /${path}`] = JSON.stringify(m.Properties.Integration.Uri);
    }
  }
  return out;
}

/** A clean function of your own: latest Node.js runtime, its own role and log group (no managed policy). */
function ownFunction(scope: Construct, context: RegionalHandlerContext, timeout?: Duration): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_WEEK });
  const role = new iam.Role(scope, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  return new lambda.Function(scope, 'Fn', {
    code: lambda.Code.fromInline(CODE),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    role,
    logGroup,
    timeout,
    environment: { ...context.environment, OWN: 'yes' },
  });
}

class Factory implements IRegionalHandlerFactory {
  public readonly calls: { scope: Construct; context: RegionalHandlerContext }[] = [];
  public readonly created: lambda.IFunction[] = [];
  constructor(private readonly make: (scope: Construct, context: RegionalHandlerContext) => lambda.IFunction = ownFunction) {}
  public createHandler(scope: Construct, context: RegionalHandlerContext): lambda.IFunction {
    this.calls.push({ scope, context });
    const fn = this.make(scope, context);
    this.created.push(fn);
    return fn;
  }
}

describe('the default runtime of your own code', () => {
  test('is the latest Node.js runtime aws-cdk-lib knows: cdk-nag AwsSolutions-L1 passes without a suppression', () => {
    const api = build({ handler: { code: lambda.Code.fromInline(CODE), handler: 'index.handler' } });
    for (const regional of api.regionalApis) {
      const fns = Template.fromStack(regional.stack).findResources('AWS::Lambda::Function');
      expect([fns[logicalId(regional.handler)].Properties.Runtime, fns[logicalId(regional.healthHandler)].Properties.Runtime])
        .toEqual(['nodejs24.x', 'nodejs24.x']);
      expect(regional.handler.node.metadata.filter((m) => JSON.stringify(m.data).includes('AwsSolutions-L1'))).toEqual([]);
    }
    for (const stack of api.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  test('nodejs24.x is what AwsSolutions-L1 calls latest with this aws-cdk-lib (the newest nodejs runtime in Runtime.ALL)', () => {
    const versions = lambda.Runtime.ALL.filter((r) => /^nodejs\d/.test(r.name)).map((r) => Number(r.name.match(/^nodejs(\d+)/)![1]));
    expect(`nodejs${Math.max(...versions)}.x`).toBe('nodejs24.x');
  });

  test('your runtime stays your choice (and cdk-nag reports an older one: the construct suppresses L1 only for its built-in code)', () => {
    const api = build({ handler: { code: lambda.Code.fromInline(CODE), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X } });
    expect(nagErrors(api.primaryStack)).toEqual([
      expect.stringMatching(/\/Api\/us-east-1\/Handler\/Resource: AwsSolutions-L1/),
      expect.stringMatching(/\/Api\/us-east-1\/HealthHandler\/Resource: AwsSolutions-L1/),
    ]);
  });
});

describe('handler.factory: your own function per region', () => {
  test('called once per region, in regions order, with a scope in the region\'s stack and what the function needs to know', () => {
    const factory = new Factory();
    const api = build({ handler: { factory } });
    expect(factory.calls.map((c) => Stack.of(c.scope))).toEqual(api.stacks);
    expect(factory.calls.map((c) => c.context)).toEqual(['us-east-1', 'us-west-2'].map((region, i) => ({
      region,
      primary: i === 0,
      tableName: 'api-example-com-table',
      partitionKeyName: 'id',
      environment: { TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id' },
    })));
    expect(api.regionalApis.map((r) => r.handler)).toEqual(factory.created);
    expect(api.regionalApis.map((r) => r.handlerEnvironment)).toEqual([{}, {}]);
  });

  test('the routes invoke your function (API Gateway may invoke it), /health the built-in health function', () => {
    const factory = new Factory();
    const api = build({ handler: { factory } });
    api.regionalApis.forEach((regional) => {
      const t = Template.fromStack(regional.stack);
      const own = logicalId(regional.handler);
      const health = logicalId(regional.healthHandler);
      const uris = integrationUris(regional.stack);
      expect(Object.keys(uris).sort()).toEqual(['GET /health', 'GET /read', 'POST /write']);
      expect(uris['GET /read']).toContain(`"Fn::GetAtt":["${own}","Arn"]`);
      expect(uris['POST /write']).toContain(`"Fn::GetAtt":["${own}","Arn"]`);
      expect(uris['GET /health']).toContain(`"Fn::GetAtt":["${health}","Arn"]`);
      t.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [own, 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
      });
      // The health function is the library's code (Node.js 22 bundle), HEALTH_ONLY, whatever your function is.
      const fns = t.findResources('AWS::Lambda::Function');
      expect(fns[health].Properties.Runtime).toBe('nodejs22.x');
      expect(fns[health].Properties.Environment.Variables).toMatchObject({ HEALTH_ONLY: 'true', TABLE_NAME: 'api-example-com-table' });
      expect(fns[own].Properties.Environment.Variables).toEqual({ TABLE_NAME: 'api-example-com-table', TABLE_KEY: 'id', OWN: 'yes' });
      // No GET /read request parameter is imposed on your code.
      t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { RequestParameters: Match.anyValue() }, 0);
    });
  });

  test('your function\'s role gets GetItem/PutItem on its own region\'s replica only (like `code`)', () => {
    const factory = new Factory();
    const api = build({ handler: { factory } });
    const west = api.region('us-west-2');
    expect(west.handler).toBe(factory.created[1]);
    const roleId = logicalId(west.handler.role!);
    const statements = (Object.values(Template.fromStack(west.stack).findResources('AWS::IAM::Policy')) as any[])
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-west-2:${ACCOUNT}:table/api-example-com-table`]] },
    }]);
  });

  test('an alias of your function: the routes and API Gateway\'s permission use the alias; `handler` is its function', () => {
    const functions: lambda.Function[] = [];
    const factory = new Factory((scope, context) => {
      const fn = ownFunction(scope, context);
      functions.push(fn);
      return fn.addAlias('live');
    });
    const api = build({ handler: { factory } });
    expect(api.regionalApis.map((r) => r.handler)).toEqual(functions);
    const west = api.region('us-west-2');
    const alias = logicalId(factory.created[1] as lambda.Alias);
    expect(integrationUris(west.stack)['GET /read']).toContain(`{"Ref":"${alias}"}`);
    Template.fromStack(west.stack).hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { Ref: alias }, Principal: 'apigateway.amazonaws.com' });
  });

  test('cdk-nag: your clean function and the construct\'s built-in health function pass with no suppression on your function', () => {
    const factory = new Factory();
    const api = build({ handler: { factory } });
    expect(api.regionalApis.map((r) => r.handler)).toEqual(factory.created);
    for (const regional of api.regionalApis) {
      expect(regional.handler.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'cdk_nag')).toEqual([]);
    }
    for (const stack of api.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  test.each<[string, ApiHandlerOptions, string]>([
    ['code', { code: lambda.Code.fromInline(CODE) }, 'handler.code'],
    ['handler, runtime', { handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X }, 'handler.handler, handler.runtime'],
    ['memorySize, timeout, architecture', { memorySize: 512, timeout: Duration.seconds(5), architecture: lambda.Architecture.ARM_64 },
      'handler.memorySize, handler.timeout, handler.architecture'],
  ])('factory with %s is refused: the factory sets them on your function', (_name, options, got) => {
    expect(buildError({ handler: { factory: new Factory(), ...options } }).message).toBe(
      '`handler.factory` creates the routes\' function itself: set its code, handler, runtime, memory size, timeout and architecture '
      + `there (\`handler.environment\`, \`vpcProvider\` and \`vpcSubnets\` apply to the health function), got: ${got}`);
  });

  test('a function outside the scope it was given is refused (no stack may reference another)', () => {
    let other: Stack | undefined;
    const factory = new Factory((scope, context) => {
      other ??= new Stack(scope.node.root as App, 'Other', { env: { account: ACCOUNT, region: 'us-east-1' } });
      return ownFunction(new Construct(other, context.region), context);
    });
    expect(buildError({ handler: { factory } }).message).toBe(
      '`handler.factory` must create the function in the scope it is given (stack api-example-com-api-us-east-1, region us-east-1), '
      + 'got: Other/us-east-1/Fn in stack Other');
  });

  test('an imported function is refused: RegionalApi.handler is a lambda.Function that connectFunction and addEnvironment change', () => {
    const factory = new Factory((scope, context) => lambda.Function.fromFunctionAttributes(scope, 'Imported', {
      functionArn: `arn:aws:lambda:${context.region}:${ACCOUNT}:function:mine`,
      sameEnvironment: true,
    }));
    expect(buildError({ handler: { factory } }).message).toBe(
      '`handler.factory` must return a lambda.Function, or an alias or version of one (RegionalApi.handler is that lambda.Function: '
      + 'connectFunction and addEnvironment change it), got for us-east-1: Api/us-east-1/Handler/Imported');
  });
});

describe('memorySize and timeout: Lambda\'s limits, and API Gateway\'s 29 s', () => {
  test.each<[string, ApiHandlerOptions, string]>([
    ['memory below 128 MB', { memorySize: 64 }, '`handler.memorySize` must be a whole number of MB from 128 to 10240 (Lambda\'s limits), got: 64'],
    ['memory above 10240 MB', { memorySize: 10241 }, '`handler.memorySize` must be a whole number of MB from 128 to 10240 (Lambda\'s limits), got: 10241'],
    ['fractional memory', { memorySize: 256.5 }, '`handler.memorySize` must be a whole number of MB from 128 to 10240 (Lambda\'s limits), got: 256.5'],
    ['timeout 0', { timeout: Duration.seconds(0) }, '`handler.timeout` must be a whole number of seconds from 1 to 900 (Lambda\'s limit), got: 0 s'],
    ['timeout over 15 minutes', { timeout: Duration.seconds(901) }, '`handler.timeout` must be a whole number of seconds from 1 to 900 (Lambda\'s limit), got: 901 s'],
    ['timeout of 1.5 s', { timeout: Duration.millis(1500) }, '`handler.timeout` must be a whole number of seconds from 1 to 900 (Lambda\'s limit), got: 1.5 s'],
  ])('%s is refused', (_name, options, message) => {
    expect(buildError({ handler: options }).message).toBe(message);
    expect(buildError({ handler: { code: lambda.Code.fromInline(CODE), handler: 'index.handler', ...options } }).message).toBe(message);
  });

  test('the limits themselves are accepted', () => {
    const api = build({ handler: { memorySize: 10240, timeout: Duration.seconds(900) } });
    Template.fromStack(api.primaryStack).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 10240, Timeout: 900 });
    expect(() => build({ handler: { memorySize: 128, timeout: Duration.seconds(1) } })).not.toThrow();
  });

  const warning = (region: string, seconds: number) => `The routes' function of api.example.com in ${region} has a timeout of ${seconds} s, `
    + 'over the 29 s integration timeout of API Gateway REST APIs: after 29 s API Gateway answers 504 while the function keeps running. '
    + 'Keep it at 29 s or less. A Regional REST API\'s integration timeout can go above 29 s after a Service Quotas increase (which may '
    + 'lower the account\'s throttle quota), but this construct\'s integrations keep the default 29 s: you would also set '
    + `\`TimeoutInMillis\` on them yourself [ack: ${TIMEOUT_WARNING}]`;

  test('a timeout over 29 s warns in every region (acknowledgeable), 29 s does not', () => {
    const api = build({ handler: { timeout: Duration.seconds(60) } });
    for (const stack of api.stacks) {
      const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(TIMEOUT_WARNING));
      expect(found.map((w) => String(w.entry.data))).toEqual([warning(stack.region, 60)]);
    }
    for (const stack of build({ handler: { timeout: Duration.seconds(29) } }).stacks) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(TIMEOUT_WARNING));
    }
  });

  test('the warning is acknowledged as the README shows (Annotations.of(api.region(r).api).acknowledgeWarning)', () => {
    const api = build({ handler: { timeout: Duration.seconds(60) } });
    for (const regional of api.regionalApis) {
      CoreAnnotations.of(regional.api).acknowledgeWarning(TIMEOUT_WARNING, 'the routes start work that goes on after the response');
    }
    for (const stack of api.stacks) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(TIMEOUT_WARNING));
    }
  });

  test('your factory\'s function over 29 s warns too', () => {
    const api = build({ handler: { factory: new Factory((scope, context) => ownFunction(scope, context, Duration.minutes(2))) } });
    const found = Annotations.fromStack(api.primaryStack).findWarning('*', Match.stringLikeRegexp(TIMEOUT_WARNING));
    expect(found.map((w) => String(w.entry.data))).toEqual([warning('us-east-1', 120)]);
  });
});

describe('README: who sets the CORS headers', () => {
  test('the MultiRegionApi section says your function must answer Access-Control-Allow-Origin (Lambda proxy integration)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readme: string = require('fs').readFileSync(require('path').join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## MultiRegionApi'), readme.indexOf('\n## GlobalSsrSite'));
    expect(section).toContain('### CORS: who sets which header');
    expect(section).toContain('https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html');
    expect(section).toMatch(/proxy integration[^.]*your (code|function) must (set|return) `Access-Control-Allow-Origin`/);
  });
});
