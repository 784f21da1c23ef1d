import { Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { BootstrapPageFunction } from './bootstrap-page-function';
import { SsrFunctionOptions } from './props';
import { SiteSettings } from './settings';
import { codeForStack } from '../core/code';
import { NagSuppressions } from '../core/nag';

/** Parameter name of a region's SSR function URL host (written in that region, read by the us-east-1 stack). @internal */
export function urlHostParameterName(siteName: string): string {
  return `/${siteName}/ssr-origin-host`;
}

/** The settings the regional SSR parts read. @internal */
export type SsrRegionSettings = Pick<SiteSettings, 'siteName' | 'account' | 'functionName' | 'memorySize' | 'timeout' | 'tableName' | 'drRegion' | 'removalPolicy'>;

/**
 * The environment the SSR function of a region gets: the user's variables, then the site's (`role`: `primary` or `dr`).
 * @internal
 */
export function siteSsrEnvironment(
  user: { [key: string]: string } | undefined, tableName: string, primaryRegion: string, healthCheckPath: string, role: string,
): { [key: string]: string } {
  return {
    ...(user ?? {}),
    GLOBAL_SSR_TABLE_NAME: tableName,
    GLOBAL_SSR_PRIMARY_REGION: primaryRegion,
    GLOBAL_SSR_HEALTH_PATH: healthCheckPath,
    GLOBAL_SSR_REGION_ROLE: role,
  };
}

/** The SSR function of one region. @internal */
export interface SsrRegion {
  readonly fn: lambda.Function;
  readonly url: lambda.FunctionUrl;
}

/**
 * The SSR function, its IAM-auth function URL and the SSM parameter with the URL host, in a regional stack.
 * Your `ssr.code` is copied for this stack when it is an asset (`codeForStack`): an asset belongs to one stack, and
 * Lambda reads code only from a bucket in its own region, so each region publishes its own copy.
 * Who may invoke the URL (this site's distribution only) is granted in the region's origin stack, which deploys
 * after the distribution exists.
 * @internal
 */
export function buildSsrRegion(
  stack: Stack, s: SsrRegionSettings, ssr: SsrFunctionOptions, environment: { [key: string]: string }, role: string,
): SsrRegion {
  const scope = new Construct(stack, 'Site');
  const common = {
    functionName: s.functionName,
    memorySize: s.memorySize,
    timeout: s.timeout,
    environment,
    architecture: ssr.architecture,
    description: `GlobalSsrSite ${s.siteName} SSR (${role})`,
  };
  const fn: lambda.Function = ssr.code
    ? new lambda.Function(scope, 'Ssr', { ...common, code: codeForStack(ssr.code), handler: ssr.handler ?? 'index.handler', runtime: ssr.runtime ?? lambda.Runtime.NODEJS_22_X })
    : new BootstrapPageFunction(scope, 'Ssr', common);
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

  new ssm.StringParameter(scope, 'OriginHost', {
    parameterName: urlHostParameterName(s.siteName),
    stringValue: Fn.select(2, Fn.split('/', url.url)),
    description: `GlobalSsrSite ${s.siteName}: host of the ${role} SSR function URL, read by the us-east-1 stack`,
  });

  grantTable(fn, s, stack.region);
  NagSuppressions.addResourceSuppressions(fn.role!, [
    { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the SSR function write its own CloudWatch logs.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
  ]);
  if (!ssr.code || !ssr.runtime) {
    NagSuppressions.addResourceSuppressions(fn, [
      { id: 'AwsSolutions-L1', reason: 'The SSR function runs Node.js 22 by default, the runtime this library bundles its handlers for; set `ssr.runtime` to choose another.' },
    ]);
  }
  return { fn, url };
}

/** Item-level access to the global table replica of the function's own region (never another region's). */
function grantTable(fn: lambda.Function, s: SsrRegionSettings, region: string): void {
  const stack = Stack.of(fn);
  const tableArn = `arn:${stack.partition}:dynamodb:${region}:${s.account}:table/${s.tableName}`;
  fn.addToRolePolicy(new iam.PolicyStatement({
    sid: 'GlobalTableReplicaOfThisRegion',
    actions: [
      'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable',
    ],
    resources: [tableArn, `${tableArn}/index/*`],
  }));
  const policy = fn.role!.node.tryFindChild('DefaultPolicy')!;
  NagSuppressions.addResourceSuppressions(policy, [
    { id: 'AwsSolutions-IAM5', reason: 'The SSR function may query every index of the global table replica in its own region (index/*), nothing else.', appliesTo: [`Resource::arn:<AWS::Partition>:dynamodb:${region}:${s.account}:table/${s.tableName}/index/*`] },
  ]);
}

/** The global table, in the primary stack, with a replica in the DR region. @internal */
export function buildGlobalTable(stack: Stack, s: SsrRegionSettings): dynamodb.TableV2 {
  return new dynamodb.TableV2(stack, 'State', {
    tableName: s.tableName,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    replicas: s.drRegion ? [{ region: s.drRegion }] : [],
    removalPolicy: s.removalPolicy,
  });
}
