import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { ApiHandlerFunction } from './api-handler-function';
import { grantReplica, HANDLER_ACTIONS, replicaArn } from './grants';
import type { MultiRegionApiProps } from './multi-region-api';
import { ApiAuthorization, ApiCorsOptions, ApiRecordMode, ApiRoute, ApiThrottlingOptions, RegionalApi } from './options';
import { addRegionalNagSuppressions } from './regional-nag';
import { HEALTH_PATH } from './validation';
import { RecoveryAssumptions } from '../core/recovery';
import { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';
import { FailoverEndpoint, FailoverHealthCheckOptions, FailoverRouting } from '../failover-dns/options';

/** Everything one region needs, resolved and validated by `MultiRegionApi`. */
export interface RegionInput {
  readonly props: MultiRegionApiProps;
  readonly region: string;
  readonly index: number;
  readonly stack: Stack;
  readonly globalTable: dynamodb.TableV2;
  readonly tableName: string;
  readonly key: string;
  readonly recordName: string;
  readonly stageName: string;
  readonly throttling: Required<ApiThrottlingOptions>;
  readonly healthThrottling: Required<ApiThrottlingOptions>;
  readonly builtIn: boolean;
  readonly routes: ApiRoute[];
  readonly exposed: string[];
  readonly cors?: ApiCorsOptions;
  readonly authorization: ApiAuthorization;
  readonly routing: FailoverRouting;
  readonly recordMode: ApiRecordMode;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/**
 * One region of a `MultiRegionApi`, in that region's stack: the replica reference, the handler and its role,
 * the certificate, the REST API with its custom domain, and the region's health check and failover records.
 */
export function buildRegionalApi(o: RegionInput): RegionalApi {
  const { props, region, index, stack } = o;
  const primary = index === 0;
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });

  // The region's replica, by deterministic name: no token crosses stacks.
  const keyArn = props.tableKeyArns?.[region];
  const replica = { account: stack.account, region, tableName: o.tableName, keyArn };
  const table: dynamodb.ITableV2 = primary
    ? o.globalTable
    : dynamodb.TableV2.fromTableAttributes(stack, 'TableReplica', {
      tableArn: replicaArn(replica),
      encryptionKey: keyArn ? kms.Key.fromKeyArn(stack, 'TableKey', keyArn) : undefined,
    });

  const { fn, role, handlerEnvironment } = buildHandler(o, replica);

  // Certificate and REST API with its custom domain.
  const certificate = props.certificateArns
    ? acm.Certificate.fromCertificateArn(stack, 'Certificate', props.certificateArns[region])
    : new acm.Certificate(stack, 'Certificate', { domainName: o.recordName, validation: acm.CertificateValidation.fromDns(zone) });
  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { retention: o.logRetention, removalPolicy: o.removalPolicy });
  const cloudWatchRole = props.cloudWatchRole ?? true;
  const api = buildRestApi(o, certificate, accessLogs, cloudWatchRole);
  const domain = api.domainName!;
  const { healthMethod } = addRoutes(o, api, fn);
  const healthCheckFqdn = `${api.restApiId}.execute-api.${region}.${stack.urlSuffix}`;
  if (o.authorization.authorizationType === apigateway.AuthorizationType.NONE && o.exposed.length > 0) {
    Annotations.of(api).addWarningV2('cdk-multi-region-failover:public-api',
      `\`ApiAuthorization.none()\`: anyone on the internet can call ${o.exposed.join(', ')} of ${o.recordName} in ${region}; `
      + 'use `ApiAuthorization.cognito(...)` unless the API is meant to be public (cdk-nag reports AwsSolutions-APIG4 and COG4 on these routes)');
  }

  // DNS: this region's health check and records.
  const endpointHealthCheck: FailoverHealthCheckOptions = {
    fqdn: props.healthCheck?.fqdn ?? healthCheckFqdn,
    path: props.healthCheck?.path ?? `/${o.stageName}${HEALTH_PATH}`,
  };
  const endpoint: FailoverEndpoint = o.recordMode === ApiRecordMode.ALIAS
    ? { region, target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)), healthCheck: endpointHealthCheck }
    : { region, domainName: domain.domainNameAliasDomainName, healthCheck: endpointHealthCheck };
  const endpointRecord = new FailoverEndpointRecord(stack, 'Dns', {
    zone,
    recordName: o.recordName,
    endpoint,
    priority: index,
    endpointCount: props.regions.length,
    routing: o.routing,
    healthCheck: props.healthCheck,
    ttl: o.recordMode === ApiRecordMode.CNAME ? props.ttl : undefined,
    recordTypes: o.recordMode === ApiRecordMode.ALIAS ? [route53.RecordType.A] : undefined,
    alarms: props.alarms,
    recoveryAssumptions: o.recoveryAssumptions,
  });

  addRegionalNagSuppressions({ api, role, fn, healthMethod, builtIn: o.builtIn, tracing: props.tracing ?? false, cloudWatchRole });

  return {
    region,
    primary,
    stack,
    handler: fn,
    handlerEnvironment,
    api,
    url: api.url,
    domain,
    certificate,
    table,
    accessLogGroup: accessLogs,
    healthCheckFqdn,
    endpointRecord,
  };
}

/** The handler and its role: its log group, and GetItem/PutItem on this region's replica only. */
function buildHandler(o: RegionInput, replica: { account: string; region: string; tableName: string; keyArn?: string }) {
  const { props, stack, region } = o;
  const handlerLogs = new logs.LogGroup(stack, 'HandlerLogs', { retention: o.logRetention, removalPolicy: o.removalPolicy });
  const role = new iam.Role(stack, 'HandlerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `MultiRegionApi handler in ${region}: its log group and the ${region} replica of ${o.tableName}`,
  });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [handlerLogs.logGroupArn] }));
  // Your own code gets the same two actions; grant it more with `MultiRegionApi.grantReadData/grantWriteData`.
  grantReplica(role, replica, HANDLER_ACTIONS);
  const environment: { [key: string]: string } = {
    ...props.handler?.environment,
    TABLE_NAME: o.tableName,
    TABLE_KEY: o.key,
  };
  if (o.builtIn && o.cors) {
    environment.CORS_ALLOW_ORIGINS = o.cors.allowOrigins.join(',');
    environment.CORS_ALLOW_CREDENTIALS = String(o.cors.allowCredentials ?? false);
  }
  const fnOptions: lambda.FunctionOptions = {
    description: `MultiRegionApi handler of ${o.recordName} in ${region}`,
    role,
    logGroup: handlerLogs,
    environment,
    memorySize: props.handler?.memorySize ?? 256,
    timeout: props.handler?.timeout ?? Duration.seconds(10),
    tracing: props.tracing ? lambda.Tracing.ACTIVE : undefined,
    architecture: props.handler?.architecture ?? (o.builtIn ? lambda.Architecture.ARM_64 : undefined),
  };
  const fn = o.builtIn
    ? new ApiHandlerFunction(stack, 'Handler', fnOptions)
    : new lambda.Function(stack, 'Handler', {
      ...fnOptions,
      code: codeForStack(props.handler!.code!),
      handler: props.handler!.handler!,
      runtime: props.handler?.runtime ?? lambda.Runtime.NODEJS_22_X,
    });
  const handlerEnvironment = o.builtIn ? { ...environment, AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' } : { ...environment };
  return { fn, role, handlerEnvironment };
}

function buildRestApi(o: RegionInput, certificate: acm.ICertificate, accessLogs: logs.LogGroup, cloudWatchRole: boolean): apigateway.RestApi {
  const { props, stack, region } = o;
  return new apigateway.RestApi(stack, 'Api', {
    restApiName: stack.stackName,
    description: `MultiRegionApi ${o.recordName} in ${region}`,
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
    // Kept enabled: the Route 53 health check calls it (see the class documentation).
    disableExecuteApiEndpoint: false,
    cloudWatchRole,
    deployOptions: {
      stageName: o.stageName,
      throttlingRateLimit: o.throttling.rateLimit,
      throttlingBurstLimit: o.throttling.burstLimit,
      // GET /health gets its own method-level throttling, so that the limit Route 53's checkers need does not
      // depend on `throttling`: AWS applies per-stage limits "at the API method level" and lets you "configure
      // different throttle settings for each method"; the account-level limit per region still applies after it
      // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html,
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-stages.html#how-to-method-override).
      methodOptions: {
        [`${HEALTH_PATH}/GET`]: {
          throttlingRateLimit: o.healthThrottling.rateLimit,
          throttlingBurstLimit: o.healthThrottling.burstLimit,
          loggingLevel: apigateway.MethodLoggingLevel.ERROR,
          metricsEnabled: true,
        },
      },
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
        caller: true,
        httpMethod: true,
        ip: true,
        protocol: true,
        requestTime: true,
        resourcePath: true,
        responseLength: true,
        status: true,
        user: true,
      }),
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      metricsEnabled: true,
      tracingEnabled: props.tracing ?? false,
    },
    domainName: {
      domainName: o.recordName,
      certificate,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      endpointType: apigateway.EndpointType.REGIONAL,
    },
  });
}

/** `GET /health` (always public), the routes (with the chosen authorization), CORS preflights where routes are. */
function addRoutes(o: RegionInput, api: apigateway.RestApi, fn: lambda.IFunction): { healthMethod: apigateway.Method } {
  const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
  const integration = new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
  const auth = o.authorization._methodOptions(api);
  const healthMethod = api.root.addResource(HEALTH_PATH.slice(1)).addMethod('GET', integration, {
    authorizationType: apigateway.AuthorizationType.NONE,
    requestValidator: validator,
  });
  const routed = new Set<apigateway.IResource>();
  for (const route of o.routes) {
    const resource = api.root.resourceForPath(route.path);
    routed.add(resource);
    for (const method of route.methods) {
      const requestParameters = o.builtIn && route.path === '/read' && method === 'GET' ? { [`method.request.querystring.${o.key}`]: true } : undefined;
      resource.addMethod(method, integration, { ...auth, requestValidator: validator, requestParameters });
    }
  }
  if (o.props.proxy) {
    // aws-cdk-lib's ProxyResource also adds the method to the root: API Gateway's proxy resource does not match "/".
    const proxy = api.root.addProxy({ anyMethod: false });
    proxy.addMethod('ANY', integration, { ...auth, requestValidator: validator });
    // Its preflight, too, is added to the root as well.
    routed.add(proxy);
  }
  if (o.cors) {
    // Preflights only where there are routes: /health is for Route 53, not for browsers.
    for (const resource of routed) {
      resource.addCorsPreflight({
        allowOrigins: o.cors.allowOrigins,
        allowMethods: o.cors.allowMethods,
        allowHeaders: o.cors.allowHeaders ?? apigateway.Cors.DEFAULT_HEADERS,
        allowCredentials: o.cors.allowCredentials ?? false,
        maxAge: o.cors.maxAge ?? Duration.minutes(10),
        exposeHeaders: o.cors.exposeHeaders,
      });
    }
    addCorsGatewayResponses(api, o.cors);
  }
  return { healthMethod };
}

/** CORS headers on API Gateway's own error responses (throttling, authorization, missing parameters). */
function addCorsGatewayResponses(api: apigateway.RestApi, cors: ApiCorsOptions): void {
  // A gateway response cannot echo one of several origins: only a single origin (or `*`) is set.
  if (cors.allowOrigins.length !== 1) {
    return;
  }
  const headers: { [name: string]: string } = { 'Access-Control-Allow-Origin': `'${cors.allowOrigins[0]}'` };
  if (cors.allowCredentials) {
    headers['Access-Control-Allow-Credentials'] = "'true'";
  }
  api.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders: headers });
  api.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders: headers });
}

/**
 * A `Code` that can be bound in this stack: an asset belongs to the first stack it is bound to, so an
 * `AssetCode` is re-created (same path and asset options) for every regional stack.
 */
function codeForStack(code: lambda.Code): lambda.Code {
  if (code instanceof lambda.AssetCode) {
    const options = (code as unknown as { options?: object }).options;
    return new lambda.AssetCode(code.path, options);
  }
  return code;
}
