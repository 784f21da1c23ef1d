import { Annotations, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { claimCloudWatchRole } from './account-settings';
import { buildServerErrorAlarm, publishHealthCheckId } from './alarms';
import { replicaArn } from './grants';
import { warnIntegrationTimeout } from './handler-options';
import { buildHealthHandler, buildRoutesHandler, RegionalNetwork } from './handlers';
import { ApiCorsOptions, ApiRecordMode, RegionalApi } from './options';
import type { RegionalApiStackProps } from './regional-api-stack';
import { addRegionalNagSuppressions } from './regional-nag';
import { ApiSettings, HEALTH_PATH } from './validation';
import { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';
import { FailoverEndpoint, FailoverHealthCheckOptions, FailoverRouting } from '../failover-dns/options';

/** Everything one region needs, resolved and validated (`resolveApiOptions`). */
export interface RegionInput extends ApiSettings {
  readonly props: RegionalApiStackProps;
  readonly region: string;
  /** Whether this stack holds the global table. */
  readonly primary: boolean;
  readonly stack: Stack;
  /** The global table, in the stack that creates it. */
  readonly globalTable?: dynamodb.TableV2;
}

/**
 * One region of a `MultiRegionApi`, in that region's stack: the replica reference, the handler and its role,
 * the certificate, the REST API with its custom domain, and the region's health check and failover records.
 */
export function buildRegionalApi(o: RegionInput): RegionalApi {
  const { props, region, primary, stack } = o;
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });

  // The region's replica, by deterministic name: no token crosses stacks.
  const keyArn = props.tableKeyArns?.[region];
  const replica = { account: stack.account, region, tableName: o.tableName, keyArn };
  const table: dynamodb.ITableV2 = o.globalTable
    ? o.globalTable
    : dynamodb.TableV2.fromTableAttributes(stack, 'TableReplica', {
      tableArn: replicaArn(replica),
      encryptionKey: keyArn ? kms.Key.fromKeyArn(stack, 'TableKey', keyArn) : undefined,
    });

  const network = regionalNetwork(o);
  const routesHandler = buildRoutesHandler(o, replica, network);
  const healthHandler = buildHealthHandler(o, replica, network);

  // Certificate and REST API with its custom domain.
  const certificate = props.certificateArns
    ? acm.Certificate.fromCertificateArn(stack, 'Certificate', props.certificateArns[region])
    : new acm.Certificate(stack, 'Certificate', { domainName: o.recordName, validation: acm.CertificateValidation.fromDns(zone) });
  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { retention: o.logRetention, removalPolicy: o.removalPolicy });
  // API Gateway's account CloudWatch role: once per account and region of the app (`claimCloudWatchRole`).
  const cloudWatchRole = claimCloudWatchRole(stack, props.cloudWatchRole ?? true);
  const api = buildRestApi(o, certificate, accessLogs, cloudWatchRole);
  const domain = api.domainName!;
  const { healthMethod } = addRoutes(o, api, routesHandler.invoked, healthHandler.fn);
  warnIntegrationTimeout(api, routesHandler.fn, o.recordName, region);
  const healthCheckFqdn = `${api.restApiId}.execute-api.${region}.${stack.urlSuffix}`;
  if (o.authorization.authorizationType === apigateway.AuthorizationType.NONE && o.exposed.length > 0) {
    Annotations.of(api).addWarningV2('cdk-multi-region-failover:public-api',
      `\`ApiAuthorization.none()\`: anyone on the internet can call ${o.exposed.join(', ')} of ${o.recordName} in ${region}; `
      + 'use `ApiAuthorization.cognito(...)` unless the API is meant to be public (cdk-nag reports AwsSolutions-APIG4 and COG4 on these routes)');
  }
  warnEventualLatencyWrites(o, api);

  // DNS: this region's health check and records.
  const endpointRecord = buildEndpointRecord(o, zone, domain, healthCheckFqdn);
  const healthCheckId = endpointRecord.healthCheck!.healthCheckId;
  const alarms = props.alarms ?? true;
  if (alarms) {
    publishHealthCheckId(stack, o.prefix, healthCheckId);
  }
  const serverErrorAlarm = alarms ? buildServerErrorAlarm(api, o.recordName, region, o.stageName) : undefined;
  const webAclAssociation = props.webAclArns?.[region] ? associateWebAcl(api, props.webAclArns[region]) : undefined;
  addOutputs(stack, o.recordName, api, healthCheckId);

  addRegionalNagSuppressions({
    api,
    functions: [routesHandler, healthHandler],
    healthMethod,
    tracing: props.tracing ?? false,
    cloudWatchRole,
    vpc: network !== undefined,
  });

  return {
    region,
    primary,
    stack,
    handler: routesHandler.fn,
    handlerEnvironment: routesHandler.environment,
    healthHandler: healthHandler.fn,
    healthHandlerEnvironment: healthHandler.environment,
    api,
    stageName: o.stageName,
    url: api.url,
    webAclAssociation,
    serverErrorAlarm,
    domain,
    certificate,
    table,
    accessLogGroup: accessLogs,
    healthCheckFqdn,
    endpointRecord,
  };
}

/**
 * The region's health check and failover (or latency) records. The health check calls the region's execute-api host
 * and `/<stageName>/health` unless `healthCheck` says otherwise (`validateHealthCheckPath` checks the path). The
 * `HealthCheckStatus` alarms of every region live in the alarms stack in us-east-1 (see `alarms.ts`): none here.
 */
function buildEndpointRecord(
  o: RegionInput, zone: route53.IHostedZone, domain: apigateway.IDomainName, healthCheckFqdn: string,
): FailoverEndpointRecord {
  const { props, region } = o;
  const endpointHealthCheck: FailoverHealthCheckOptions = {
    fqdn: props.healthCheck?.fqdn ?? healthCheckFqdn,
    path: props.healthCheck?.path ?? `/${o.stageName}${HEALTH_PATH}`,
  };
  const endpoint: FailoverEndpoint = o.recordMode === ApiRecordMode.ALIAS
    ? { region, target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)), healthCheck: endpointHealthCheck }
    : { region, domainName: domain.domainNameAliasDomainName, healthCheck: endpointHealthCheck };
  return new FailoverEndpointRecord(o.stack, 'Dns', {
    zone,
    recordName: o.recordName,
    endpoint,
    priority: props.priority,
    endpointCount: props.endpointCount,
    routing: o.routing,
    healthCheck: props.healthCheck,
    ttl: o.recordMode === ApiRecordMode.CNAME ? props.ttl : undefined,
    recordTypes: o.recordMode === ApiRecordMode.ALIAS ? [route53.RecordType.A] : undefined,
    alarms: false,
    recoveryAssumptions: o.recoveryAssumptions,
  });
}

/**
 * The region's VPC from `handler.vpcProvider`, asked once per region with a scope in the region's stack, and the
 * subnets of `handler.vpcSubnets` (isolated by default, like the database VPCs: no NAT).
 */
function regionalNetwork(o: RegionInput): RegionalNetwork | undefined {
  const provider = o.props.handler?.vpcProvider;
  if (!provider) {
    return undefined;
  }
  return {
    vpc: provider.vpcForRegion(o.stack, o.region),
    subnets: o.props.handler?.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  };
}

/**
 * The region's AWS WAF web ACL on its stage (`webAclArns`, validated by `validateWebAclArns`): a regional web ACL of
 * the stage's region.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
 */
function associateWebAcl(api: apigateway.RestApi, webAclArn: string): wafv2.CfnWebACLAssociation {
  return new wafv2.CfnWebACLAssociation(Stack.of(api), 'WebAclAssociation', {
    resourceArn: api.deploymentStage.stageArn,
    webAclArn,
  });
}

/** What a user needs after deploy, in each regional stack: no `exportName` (no stack imports another's output). */
function addOutputs(stack: Stack, recordName: string, api: apigateway.RestApi, healthCheckId: string): void {
  new CfnOutput(stack, 'Url', {
    value: `https://${recordName}`,
    description: `The API's URL on its custom domain ${recordName}, which Route 53 answers with a healthy region (the same in every region's stack)`,
  });
  new CfnOutput(stack, 'RegionalUrl', {
    value: api.url,
    description: `The URL of this region's stage on its default execute-api endpoint (${stack.region}), for tests and drills that must reach this region`,
  });
  new CfnOutput(stack, 'HealthCheckId', {
    value: healthCheckId,
    description: 'The id of this region\'s Route 53 health check (its HealthCheckStatus metric is in us-east-1)',
  });
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

/**
 * `GET /health` (always public, served by the health function), the routes (with the chosen authorization, served by
 * the handler), CORS preflights where routes are.
 */
function addRoutes(o: RegionInput, api: apigateway.RestApi, fn: lambda.IFunction, healthFn: lambda.IFunction): { healthMethod: apigateway.Method } {
  const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
  const integration = new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
  const auth = o.authorization._methodOptions(api);
  const healthIntegration = new apigateway.LambdaIntegration(healthFn, { allowTestInvoke: false });
  const healthMethod = api.root.addResource(HEALTH_PATH.slice(1)).addMethod('GET', healthIntegration, {
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
 * The built-in `POST /write` is a conditional create evaluated against the local replica. With an EVENTUAL (MREC) table
 * and latency routing, two regions accept writes at the same time: both creates of one key succeed and the last writer
 * wins when they replicate (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/write-to-one-region.html).
 */
function warnEventualLatencyWrites(o: RegionInput, api: apigateway.RestApi): void {
  if (o.routing !== FailoverRouting.LATENCY || o.strong || !o.builtIn || !o.exposed.includes('POST /write')) {
    return;
  }
  Annotations.of(api).addWarningV2('cdk-multi-region-failover:eventual-latency-writes',
    `\`routing: FailoverRouting.LATENCY\` with an EVENTUAL (multi-Region eventual consistency) global table: POST /write of ${o.recordName} in ${o.region} `
    + `is a conditional create in this region only. Two clients routed to two regions can both create the same \`${o.key}\` (both get 201); `
    + 'DynamoDB keeps the last writer when the writes replicate, and the other item is lost. '
    + 'Use `multiRegionConsistency: MultiRegionConsistency.STRONG`, `routing: FailoverRouting.FAILOVER` (writes go to one region at a time), '
    + 'or drop the built-in /write (`defaultRoutes: false`)');
}
