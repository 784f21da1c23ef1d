import { Aws, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiHandlerFunction } from './api-handler-function';
import { buildFactoryHandler } from './factory-handler';
import { grantReplica, HANDLER_ACTIONS, HEALTH_ACTIONS, ReplicaRef } from './grants';
import { DEFAULT_RUNTIME } from './handler-options';
import type { RegionInput } from './regional-api';
import { codeForStack } from '../core/code';

/** A function of one region, its role and the environment the construct set on it. */
export interface RegionalFunction {
  /** The `lambda.Function` (`RegionalApi.handler` / `healthHandler`). */
  readonly fn: lambda.Function;
  /** What API Gateway invokes: `fn`, or the alias or version `handler.factory` returned. */
  readonly invoked: lambda.IFunction;
  /** The role the construct made for `fn`; none for your factory's function (the construct adds no suppression to it). */
  readonly role?: iam.Role;
  /** Whether `fn` runs the library's built-in code (bundled for Node.js 22). */
  readonly builtIn: boolean;
  /** Every environment variable the construct set, as deployed (what a drill must keep when it rewrites them). */
  readonly environment: { [key: string]: string };
}

/** Where a region's functions run: a VPC of that region and its subnets (`handler.vpcProvider`). */
export interface RegionalNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
}

/**
 * The routes' handler: its log group, and GetItem/PutItem on this region's replica only. With `handler.factory`, your
 * function, given the same two actions (`buildFactoryHandler`).
 */
export function buildRoutesHandler(o: RegionInput, replica: ReplicaRef, network?: RegionalNetwork): RegionalFunction {
  const factory = o.props.handler?.factory;
  if (factory) {
    return buildFactoryHandler(o, factory, replica);
  }
  const environment: { [key: string]: string } = {
    ...o.props.handler?.environment,
    TABLE_NAME: o.tableName,
    TABLE_KEY: o.key,
  };
  if (o.builtIn && o.cors) {
    environment.CORS_ALLOW_ORIGINS = o.cors.allowOrigins.join(',');
    environment.CORS_ALLOW_CREDENTIALS = String(o.cors.allowCredentials ?? false);
  }
  // Your own code gets the same two actions; grant it more with `MultiRegionApi.grantReadData/grantWriteData`.
  return buildFunction(o, replica, network, {
    id: 'Handler',
    what: 'handler',
    roleDescription: `MultiRegionApi handler in ${o.region}: its log group and the ${o.region} replica of ${o.tableName}`,
    actions: HANDLER_ACTIONS,
    environment,
    builtIn: o.builtIn,
  });
}

/**
 * The function behind `GET /health`, apart from the routes' handler: same code, `HEALTH_ONLY=true`, `GetItem` on this
 * region's replica only. A function of its own is not throttled by the routes' function-level limits: Lambda's
 * concurrency scaling rate "is a function-level limit" (https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html),
 * and a reserved concurrency set on the handler caps the handler only. When Lambda rejects an invocation, API Gateway
 * answers 500 (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html), which Route 53 counts as
 * a failed check. The account's unreserved concurrency of the region is still shared, unless
 * `healthReservedConcurrency` reserves some (opt-in: Lambda keeps at least 100 unreserved, and new accounts have a
 * reduced quota, https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export function buildHealthHandler(o: RegionInput, replica: ReplicaRef, network?: RegionalNetwork): RegionalFunction {
  return buildFunction(o, replica, network, {
    id: 'HealthHandler',
    what: 'health function',
    roleDescription: `MultiRegionApi health function in ${o.region}: its log group and GetItem on the ${o.region} replica of ${o.tableName}`,
    actions: HEALTH_ACTIONS,
    environment: { ...o.props.handler?.environment, TABLE_NAME: o.tableName, TABLE_KEY: o.key, HEALTH_ONLY: 'true' },
    reservedConcurrentExecutions: o.healthReservedConcurrency,
    // With `handler.factory` the construct has no code of yours: the health function runs the built-in code.
    builtIn: o.builtIn || o.props.handler?.factory !== undefined,
  });
}

interface FunctionSpec {
  readonly id: string;
  readonly what: string;
  readonly roleDescription: string;
  readonly actions: string[];
  readonly environment: { [key: string]: string };
  readonly reservedConcurrentExecutions?: number;
  /** Run the built-in code (else your `code`). */
  readonly builtIn: boolean;
}

function buildFunction(o: RegionInput, replica: ReplicaRef, network: RegionalNetwork | undefined, spec: FunctionSpec): RegionalFunction {
  const { props, stack, region } = o;
  const logGroup = new logs.LogGroup(stack, `${spec.id}Logs`, { retention: o.logRetention, removalPolicy: o.removalPolicy });
  const role = new iam.Role(stack, `${spec.id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: spec.roleDescription,
  });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  grantReplica(role, replica, spec.actions);
  if (network) {
    grantNetworkInterfaces(role, region, stack.account);
  }
  const options: lambda.FunctionOptions = {
    description: `MultiRegionApi ${spec.what} of ${o.recordName} in ${region}`,
    role,
    logGroup,
    environment: spec.environment,
    memorySize: props.handler?.memorySize ?? 256,
    timeout: props.handler?.timeout ?? Duration.seconds(10),
    tracing: props.tracing ? lambda.Tracing.ACTIVE : undefined,
    architecture: props.handler?.architecture ?? (spec.builtIn ? lambda.Architecture.ARM_64 : undefined),
    reservedConcurrentExecutions: spec.reservedConcurrentExecutions,
    // Each function gets its own security group (Lambda's default: all outbound allowed, no inbound), so a database's
    // security group can admit exactly the functions that need it (`fn.connections`).
    vpc: network?.vpc,
    vpcSubnets: network?.subnets,
  };
  const fn = spec.builtIn
    ? new ApiHandlerFunction(stack, spec.id, options)
    : new lambda.Function(stack, spec.id, {
      ...options,
      code: codeForStack(props.handler!.code!),
      handler: props.handler!.handler!,
      runtime: props.handler?.runtime ?? DEFAULT_RUNTIME,
    });
  // ApiHandlerFunction adds AWS_NODEJS_CONNECTION_REUSE_ENABLED itself.
  const environment = spec.builtIn ? { ...spec.environment, AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' } : { ...spec.environment };
  return { fn, invoked: fn, role, builtIn: spec.builtIn, environment };
}

/**
 * The network interface permissions Lambda needs to attach a function to a VPC, inline instead of the AWS managed
 * AWSLambdaVPCAccessExecutionRole (which also allows them in every region and account, and log writes anywhere):
 * create, delete and (un)assign private IPs on network interfaces, subnets and security groups of this region and
 * account only; `ec2:DescribeNetworkInterfaces` on `*`, because Lambda documents that "this action only works if it's
 * allowed on all resources".
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
 */
function grantNetworkInterfaces(role: iam.Role, region: string, account: string): void {
  role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses'],
    resources: ['network-interface', 'security-group', 'subnet'].map((type) => `arn:${Aws.PARTITION}:ec2:${region}:${account}:${type}/*`),
  }));
}
