import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { IRegionalVpcProvider } from '../aurora-global-failover/props';
import { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';

/** How the failover name points at each region's API Gateway custom domain. */
export enum ApiRecordMode {
  /**
   * A health-checked failover (or latency) CNAME to the regional domain name (`d-xxxx.execute-api...`),
   * with the short `ttl` you choose (15 s by default). Fastest failover; not possible at the zone apex.
   */
  CNAME = 'CNAME',
  /**
   * Health-checked A alias records to the regional domain. Works at the zone apex, but Route 53 answers
   * an alias with the target's TTL (counted as 60 s in the recovery estimate).
   */
  ALIAS = 'ALIAS',
}

/**
 * CORS settings. The preflight (`OPTIONS`) is answered by API Gateway on every resource that has routes; the
 * built-in handler adds the matching `Access-Control-Allow-Origin` to its own responses.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
 */
export interface ApiCorsOptions {
  /** Origins allowed to call the API, e.g. `['https://app.example.com']`, or `['*']` for any origin. */
  readonly allowOrigins: string[];
  /**
   * Methods allowed in cross-origin requests.
   * @default ['GET', 'POST', 'OPTIONS'] plus the methods of `routes`
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed in cross-origin requests.
   * @default apigateway.Cors.DEFAULT_HEADERS
   */
  readonly allowHeaders?: string[];
  /**
   * Allow credentials (cookies, `Authorization`). Not allowed with the `*` origin.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
  /**
   * Response headers browsers may expose to scripts.
   * @default - none
   */
  readonly exposeHeaders?: string[];
}

/** Throttling of the regional APIs' methods (per region): a token bucket of `rateLimit` and `burstLimit`. */
export interface ApiThrottlingOptions {
  /**
   * Steady-state requests per second.
   * @default - 100 for `throttling`, 50 for `healthThrottling`
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly rateLimit?: number;
  /**
   * Maximum burst (token bucket size).
   * @default - 200 for `throttling`, 100 for `healthThrottling`
   */
  readonly burstLimit?: number;
}

/** A route of the API, served by the same handler in every region. */
export interface ApiRoute {
  /** The resource path, e.g. `/items` or `/items/{id}` (`{name+}` allowed as the last segment). */
  readonly path: string;
  /** HTTP methods: GET, POST, PUT, PATCH, DELETE, HEAD or ANY. */
  readonly methods: string[];
}

/**
 * What `handler.factory` is told about the region it creates a function for.
 */
export interface RegionalHandlerContext {
  /** The region (the scope's stack is in it). */
  readonly region: string;
  /** Whether this is the primary region (the first of `regions`). */
  readonly primary: boolean;
  /** The global table's name (the same in every region). */
  readonly tableName: string;
  /** The table's string partition key. */
  readonly partitionKeyName: string;
  /**
   * The environment the construct would set on its own function: `TABLE_NAME` and `TABLE_KEY`. The construct cannot
   * set environment variables on an `IFunction`: pass them on yourself.
   */
  readonly environment: { [key: string]: string };
}

/**
 * Creates your own function behind the routes, once per region (`handler.factory`). Implement it in a class (in Python
 * and Java too: an interface with a method works in every jsii language, a function-typed prop would not).
 */
export interface IRegionalHandlerFactory {
  /**
   * Creates the routes' function of one region.
   *
   * @param scope a construct in the region's stack: create the function (and its role, log group...) under it
   * @param context the region, the table and the environment your function needs
   * @returns a `lambda.Function` (e.g. `NodejsFunction`, `PythonFunction`, `DockerImageFunction`), or an alias or
   *   version of one created under `scope`
   */
  createHandler(scope: Construct, context: RegionalHandlerContext): lambda.IFunction;
}

/**
 * The Lambda handler of every region. Without `code` or `factory`, the built-in bootstrap handler serves
 * `GET /read`, `POST /write` and a deep `GET /health` over the global table. The same code and settings also run as
 * each region's health function (`RegionalApi.healthHandler`), which receives only `GET /health`, has
 * `HEALTH_ONLY=true` in its environment and may only `GetItem` its region's replica; with `factory`, the health
 * function runs the built-in code.
 */
export interface ApiHandlerOptions {
  /**
   * Your own function behind the routes, created by you once per region (e.g. a `NodejsFunction` with your bundling,
   * or an alias with provisioned concurrency). The construct integrates it with the routes (API Gateway's
   * `lambda:InvokeFunction` permission is added to it), grants its role `GetItem` and `PutItem` on the region's
   * replica (more with `grantReadData`/`grantWriteData`), and warns when its timeout is over 29 s. It sets nothing
   * else on it: no environment variables (see `RegionalHandlerContext.environment`), log group, role, runtime,
   * memory, timeout, tracing, VPC or CORS headers, and adds no cdk-nag suppression for it. `GET /health` is still
   * served by the construct's health function (the built-in code). Not with `code`, `handler`, `runtime`,
   * `memorySize`, `timeout` or `architecture`; `environment`, `vpcProvider` and `vpcSubnets` then apply to the health
   * function only.
   * @default - the construct creates the function (built-in code, or your `code`)
   */
  readonly factory?: IRegionalHandlerFactory;
  /**
   * Your handler's code, deployed to every region. An asset (`Code.fromAsset`) is re-created in each
   * regional stack (an asset belongs to one stack), with the same path and options. S3 code must be in a
   * bucket readable from every region's Lambda service (same region), so prefer assets.
   * @default - the built-in handler
   */
  readonly code?: lambda.Code;
  /**
   * The handler entry point, e.g. `index.handler`. Required with `code`.
   * @default - 'index.handler' of the built-in handler
   */
  readonly handler?: string;
  /**
   * The runtime of `code`. The default is the latest Node.js runtime aws-cdk-lib knows, the one cdk-nag's
   * AwsSolutions-L1 asks for (the built-in handler stays on the runtime it is bundled for, Node.js 22).
   * @default lambda.Runtime.NODEJS_24_X
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Extra environment variables. `TABLE_NAME` and `TABLE_KEY` are always set by the construct (and win);
   * the region is the runtime's `AWS_REGION`. The built-in handler also reads `MAX_BODY_BYTES` (the `POST /write`
   * body limit, default 16384) and `HEALTH_TIMEOUT_MS` (the `/health` read budget, default 800). The health function
   * gets them too, with `HEALTH_ONLY=true`.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Memory in MB: a whole number from 128 to 10240 (Lambda's limits; new accounts may have a lower memory quota).
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
   */
  readonly memorySize?: number;
  /**
   * Timeout: whole seconds from 1 to 900 (Lambda's limit). Over 29 s synthesis warns
   * (`cdk-multi-region-failover:integration-timeout`): API Gateway stops waiting for a REST API integration after
   * 29 s and answers 504; a Regional API's integration timeout can be raised above that only through a Service
   * Quotas request, and this construct keeps its integrations at 29 s.
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
   */
  readonly timeout?: Duration;
  /**
   * Instruction set.
   * @default - ARM_64 for the built-in handler, X86_64 for your `code`
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Put each region's handler AND health function in a VPC of that region: `vpcForRegion` is called once per region
   * with a scope in that region's stack (e.g. `AuroraGlobalFailover`'s `vpcProvider`, to reach the database). Each
   * function gets its own security group (`RegionalApi.handler.connections`) and, in its role, the network interface
   * permissions Lambda needs (this region and account only).
   *
   * The functions then reach AWS services only through the VPC: the VPC needs a DynamoDB gateway endpoint (the
   * table replica; without it `/health` times out and the region fails over), and an endpoint for every other service
   * your code calls itself (Secrets Manager for a database secret), or a NAT gateway. `tableKeyArns` need no KMS
   * endpoint: DynamoDB calls KMS on the function's behalf (`kms:ViaService`), the function calls only DynamoDB.
   * @default - no VPC: the functions run in Lambda's own network
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
   */
  readonly vpcProvider?: IRegionalVpcProvider;
  /**
   * The subnets of each region's VPC the functions use (needs `vpcProvider`).
   * @default - the VPC's isolated subnets (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * Who may call the API's routes (`/health` and CORS preflights are always open: Route 53 health checkers
 * and browsers' preflights cannot authenticate).
 *
 * IAM (SigV4) authorization is deliberately not offered: a SigV4 signature is scoped to one region, so a
 * client signing for the primary would be rejected by the secondary after a failover.
 */
export class ApiAuthorization {
  /**
   * No authorization: a public API. Anyone on the internet who knows the name can call every route (with the
   * built-in handler: read any item by key and create items, which are replicated to every region). Choose it
   * only for data meant to be public. Synthesis warns (`cdk-multi-region-failover:public-api`), and cdk-nag reports
   * AwsSolutions-APIG4 and COG4 on each route: the construct suppresses neither.
   */
  public static none(): ApiAuthorization {
    return new ApiAuthorization(apigateway.AuthorizationType.NONE, []);
  }

  /**
   * Amazon Cognito user pools (COGNITO_USER_POOLS authorizer in every region). A user pool may be in any
   * region (API Gateway supports cross-region and cross-account pools), but Cognito user pools are
   * single-region: sign-in stops working when the pool's region fails, even if the API fails over.
   *
   * @param userPoolArns ARNs of the user pools whose tokens are accepted
   * @param scopes OAuth scopes required in access tokens (none: ID tokens are accepted)
   */
  public static cognito(userPoolArns: string[], scopes?: string[]): ApiAuthorization {
    return new ApiAuthorization(apigateway.AuthorizationType.COGNITO, [...userPoolArns], scopes ? [...scopes] : undefined);
  }

  private readonly authorizers = new WeakMap<apigateway.IRestApi, apigateway.IAuthorizer>();

  private constructor(
    /** The API Gateway authorization type. */
    public readonly authorizationType: apigateway.AuthorizationType,
    /** The Cognito user pool ARNs, if any. */
    public readonly userPoolArns: string[],
    /** The OAuth scopes required, if any. */
    public readonly scopes?: string[],
  ) {}

  /**
   * Method options for `api`; creates the api's authorizer once.
   * @internal
   */
  public _methodOptions(api: apigateway.IRestApi): apigateway.MethodOptions {
    if (this.authorizationType !== apigateway.AuthorizationType.COGNITO) {
      return { authorizationType: apigateway.AuthorizationType.NONE };
    }
    let authorizer = this.authorizers.get(api);
    if (!authorizer) {
      const stack = Stack.of(api);
      authorizer = new apigateway.CognitoUserPoolsAuthorizer(stack, 'CognitoAuthorizer', {
        cognitoUserPools: this.userPoolArns.map((arn, i) => cognito.UserPool.fromUserPoolArn(stack, `UserPool${i}`, arn)),
      });
      this.authorizers.set(api, authorizer);
    }
    return {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer,
      authorizationScopes: this.scopes,
    };
  }
}

/** Everything `MultiRegionApi` created in one region, to extend or reference from your own code. */
export interface RegionalApi {
  /** The region. */
  readonly region: string;
  /** Whether this is the primary region (the first of `regions`, which holds the global table). */
  readonly primary: boolean;
  /** The region's stack: add your own resources here. */
  readonly stack: Stack;
  /**
   * The region's Lambda function behind the routes: every route but `GET /health` (see `healthHandler`). With
   * `handler.factory` it is your function (the function of the alias or version your factory returned).
   */
  readonly handler: lambda.Function;
  /**
   * The environment variables the construct set on `handler` (what you must keep when you rewrite them); none with
   * `handler.factory`.
   */
  readonly handlerEnvironment: { [key: string]: string };
  /**
   * The region's function behind `GET /health`: the same code as `handler`, with `HEALTH_ONLY=true`, allowed only
   * `GetItem` on the region's replica. A failover drill sets `FORCE_UNHEALTHY=true` on THIS function.
   */
  readonly healthHandler: lambda.Function;
  /**
   * The environment variables the construct set on `healthHandler`: what a drill must keep when it rewrites them
   * (e.g. `{ ...healthHandlerEnvironment, FORCE_UNHEALTHY: 'true' }` with Lambda's UpdateFunctionConfiguration).
   */
  readonly healthHandlerEnvironment: { [key: string]: string };
  /** The stage name (the same in every region). */
  readonly stageName: string;
  /** The region's REST API (its stage is `api.deploymentStage`). */
  readonly api: apigateway.RestApi;
  /** The invoke URL of the stage on the default execute-api endpoint (what the health check calls). */
  readonly url: string;
  /** The region's AWS WAF web ACL association, with `webAclArns`. */
  readonly webAclAssociation?: wafv2.CfnWebACLAssociation;
  /** The region's API Gateway `5XXError` alarm (with `alarms`). */
  readonly serverErrorAlarm?: cloudwatch.Alarm;
  /** The region's API Gateway custom domain (same name in every region). */
  readonly domain: apigateway.IDomainName;
  /** The region's certificate for the custom domain. */
  readonly certificate: acm.ICertificate;
  /** The region's replica of the global table (the table itself in the primary region). */
  readonly table: dynamodb.ITableV2;
  /** The API's access log group. */
  readonly accessLogGroup: logs.ILogGroup;
  /** The host name the Route 53 health check calls: `{restApiId}.execute-api.{region}.{urlSuffix}`. */
  readonly healthCheckFqdn: string;
  /** The region's health check and failover (or latency) records. */
  readonly endpointRecord: FailoverEndpointRecord;
}

/**
 * Called by `MultiRegionApi.forEachRegion` with each region's `RegionalApi`, in `regions` order: make one change in
 * every region so the regions don't drift apart.
 */
export interface IRegionalApiVisitor {
  /**
   * Called once per region.
   * @param regional everything `MultiRegionApi` created in that region
   */
  visitRegion(regional: RegionalApi): void;
}
