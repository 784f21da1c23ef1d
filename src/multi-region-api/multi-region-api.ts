import { Duration, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ApiHandlerFunction } from './api-handler-function';
import {
  ApiAuthorization, ApiCorsOptions, ApiHandlerOptions, ApiRecordMode, ApiRoute, ApiThrottlingOptions, RegionalApi,
} from './options';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { RecoveryEstimate, RecoveryModel, RecoveryObjectives } from '../core/recovery';
import { isHostedZoneId, validateAccount, validateMultiRegionScope, validateRegions } from '../core/regions';
import { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';
import { nameInZone } from '../failover-dns/internal';
import { FailoverEndpoint, FailoverHealthCheckOptions, FailoverRouting } from '../failover-dns/options';

/** Properties of a `MultiRegionApi`. */
export interface MultiRegionApiProps {
  /** The AWS account of every regional stack (12 digits). */
  readonly account: string;
  /** The regions, in priority order: the first is the primary and holds the global table. At least 2. */
  readonly regions: string[];
  /** The id of the public hosted zone of `recordName` (imported in every regional stack, no lookup). */
  readonly hostedZoneId: string;
  /** The name of that hosted zone, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * The name clients call: a name inside the zone (`api.example.com`) or a single label (`api`).
   * The zone apex needs `recordMode: ApiRecordMode.ALIAS`.
   */
  readonly recordName: string;
  /**
   * Prefix of the regional stack names: stack `<prefix>-<region>` for every region.
   * @default - the construct id (prefixed with the Stage name under a Stage)
   */
  readonly stackNamePrefix?: string;
  /**
   * Failover (active-passive, default) or latency routing (active-active across all regions).
   * @default FailoverRouting.FAILOVER
   */
  readonly routing?: FailoverRouting;
  /**
   * CNAME (short TTL, fastest failover) or alias records.
   * @default ApiRecordMode.CNAME
   */
  readonly recordMode?: ApiRecordMode;
  /**
   * TTL of the CNAME records (CNAME mode). AWS advises 60 s or less on health-checked records.
   * @default Duration.seconds(15)
   */
  readonly ttl?: Duration;
  /**
   * Route 53 health check settings. `fqdn` and `path` default to the region's execute-api host and
   * `/<stage>/health` (see `RegionalApi.healthCheckFqdn`).
   * @default - HTTPS, every 10 s, unhealthy after 2 failures
   */
  readonly healthCheck?: FailoverHealthCheckOptions;
  /**
   * Create a `HealthCheckStatus` alarm per region. Route 53 publishes that metric in us-east-1 only, so
   * only the us-east-1 stack (if any) gets its alarm; other regions get a synth warning.
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * Name of the DynamoDB global table (the same in every region).
   * @default - `<stackNamePrefix>-table`
   */
  readonly tableName?: string;
  /**
   * Name of the table's string partition key.
   * @default 'id'
   */
  readonly partitionKeyName?: string;
  /**
   * Customer managed KMS keys of the table, one ARN per region (all regions). Each region's handler may
   * use only its region's key.
   * @default - AWS managed key (`aws/dynamodb`)
   */
  readonly tableKeyArns?: { [region: string]: string };
  /**
   * Multi-region consistency of the global table. STRONG (MRSC) needs exactly 3 regions of one region
   * set (or 2 and a `witnessRegion`) and gives an RPO of zero.
   * @default dynamodb.MultiRegionConsistency.EVENTUAL
   */
  readonly multiRegionConsistency?: dynamodb.MultiRegionConsistency;
  /**
   * Witness region of a 2-region STRONG (MRSC) global table.
   * @default - none
   */
  readonly witnessRegion?: string;
  /**
   * The replication lag the RPO estimate assumes for an EVENTUAL (MREC) global table. AWS documents
   * replication "typically within a second" and publishes no upper bound; 5 s leaves room for lag spikes
   * under load. Watch `ReplicationLatency` to verify it for your workload.
   * @default Duration.seconds(5)
   */
  readonly replicationLagAllowance?: Duration;
  /**
   * Removal policy of the table and the log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Stage name of every regional API.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Stage throttling (per region).
   * @default - 100 requests per second, burst 200
   */
  readonly throttling?: ApiThrottlingOptions;
  /**
   * Retention of the access logs and handler logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * AWS X-Ray tracing of the stage and the handler.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * CORS.
   * @default - any origin (`*`), no credentials
   */
  readonly cors?: ApiCorsOptions;
  /**
   * Serve `GET /read` and `POST /write` (the built-in handler implements them).
   * @default true
   */
  readonly defaultRoutes?: boolean;
  /**
   * More routes, served by the handler. `/health` is reserved.
   * @default - none
   */
  readonly routes?: ApiRoute[];
  /**
   * Also send every other path and method (`ANY /{proxy+}`) to the handler.
   * @default false
   */
  readonly proxy?: boolean;
  /**
   * Who may call the routes (`/health` and preflights are always open).
   * @default ApiAuthorization.none()
   */
  readonly authorization?: ApiAuthorization;
  /**
   * The handler.
   * @default - the built-in handler (Node.js 22, arm64, 256 MB, 10 s)
   */
  readonly handler?: ApiHandlerOptions;
  /**
   * Create API Gateway's account-level CloudWatch role in every region (access and execution logs need
   * it). It is one setting per account and region: set false when your account already has one.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * Existing ACM certificates for `recordName`, one ARN per region (all regions).
   * @default - a DNS-validated certificate per region
   */
  readonly certificateArns?: { [region: string]: string };
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
}

const DEFAULT_STAGE = 'prod';
const DEFAULT_RATE = 100;
const DEFAULT_BURST = 200;
const DEFAULT_REPLICATION_LAG = Duration.seconds(5);
const HEALTH_PATH = '/health';
const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const KMS_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/**
 * The same REST API in every region, behind one health-checked Route 53 name:
 *
 * Client → Route 53 (failover or latency, health-checked) → API Gateway (REGIONAL, custom domain, TLS 1.2,
 * CORS, throttling, access logs) → Lambda → DynamoDB global table replica of that region.
 *
 * Created under an App or a Stage: it creates one Stack per region (`<prefix>-<region>`), and no stack
 * references another. Each regional stack owns its certificate (DNS-validated in the imported zone), API,
 * handler, health check and failover record (`FailoverEndpointRecord`). The global table lives in the
 * primary stack; the other stacks depend on it and reach their replica by its deterministic name.
 *
 * Health checks call each region's default execute-api endpoint (`{restApiId}.execute-api.{region}.
 * amazonaws.com/<stage>/health`), not the shared name: the shared name resolves to whichever region is
 * active, and API Gateway routes a custom domain by SNI/Host, so a check of the regional domain name
 * (`d-xxxx...`) would be answered 403. Route 53 HTTPS checks send SNI = fqdn and don't validate
 * certificates; the execute-api host has its own valid certificate and routes by stage path. That is why
 * the execute-api endpoint stays enabled. `/health` reads the local replica (1.5 s timeout), so the check
 * fails when API Gateway, Lambda or DynamoDB fail in that region.
 *
 * Default settings (10 s × 2 checks, 15 s CNAME TTL) estimate a 40 s RTO; the RPO is the global table's
 * replication lag allowance (5 s by default; zero with STRONG consistency).
 */
export class MultiRegionApi extends Construct {
  /** The regions in priority order (the first is the primary). */
  public readonly regions: string[];
  /** The regional stacks in `regions` order. */
  public readonly stacks: Stack[];
  /** The primary region's stack (it holds the global table). */
  public readonly primaryStack: Stack;
  /** The global table (in the primary stack). */
  public readonly table: dynamodb.ITableV2;
  /** The global table's name (the same in every region). */
  public readonly tableName: string;
  /** The name clients call (no trailing dot). */
  public readonly domainName: string;
  /** `https://<domainName>`. */
  public readonly url: string;
  /** Everything created per region, in `regions` order. */
  public readonly regionalApis: RegionalApi[];
  /** Worst-case recovery: the slowest region's DNS failover and the table's replication lag. */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, RegionalApi>();

  constructor(scope: Construct, id: string, props: MultiRegionApiProps) {
    validateMultiRegionScope(scope, 'MultiRegionApi');
    super(scope, id);

    const account = validateAccount(props.account);
    const regions = validateRegions(props.regions, { min: 2 });
    const zoneName = validateZone(props.hostedZoneId, props.zoneName);
    const recordName = resolveName(props.recordName, zoneName);
    const prefix = props.stackNamePrefix ?? defaultPrefix(this, id);
    validateStackNamePrefix(prefix, regions);
    const tableName = props.tableName ?? `${prefix}-table`;
    validateTableName(tableName);
    const key = props.partitionKeyName ?? 'id';
    if (!/^[A-Za-z0-9_.-]{1,255}$/.test(key)) {
      throw new MultiRegionFailoverError(`\`partitionKeyName\` must be 1 to 255 letters, digits, "_", "-" or ".", got: ${key}`);
    }
    validatePerRegion('tableKeyArns', props.tableKeyArns, regions);
    validatePerRegion('certificateArns', props.certificateArns, regions);
    const stageName = props.stageName ?? DEFAULT_STAGE;
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) {
      throw new MultiRegionFailoverError(`\`stageName\` must be 1 to 128 letters, digits, "_" or "-", got: ${stageName}`);
    }
    const throttling = validateThrottling(props.throttling);
    const builtIn = validateHandler(props.handler);
    const defaultRoutes = props.defaultRoutes ?? true;
    const routes = collectRoutes(props.routes ?? [], defaultRoutes);
    const cors = validateCors(props.cors, routes);
    const authorization = props.authorization ?? ApiAuthorization.none();
    if (authorization.authorizationType === apigateway.AuthorizationType.COGNITO && authorization.userPoolArns.length === 0) {
      throw new MultiRegionFailoverError('`authorization` of type Cognito needs at least one user pool ARN, got: none');
    }
    const routing = props.routing ?? FailoverRouting.FAILOVER;
    const recordMode = props.recordMode ?? ApiRecordMode.CNAME;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const strong = props.multiRegionConsistency === dynamodb.MultiRegionConsistency.STRONG;

    this.regions = regions;
    this.tableName = tableName;
    this.domainName = recordName;
    this.url = `https://${recordName}`;

    // One stack per region, deterministic ids and names.
    this.stacks = regions.map((region, i) => new Stack(this, region, {
      env: { account, region },
      stackName: `${prefix}-${region}`,
      description: `MultiRegionApi ${recordName}: ${i === 0 ? 'primary' : `secondary ${i}`} region ${region}`,
    }));
    this.primaryStack = this.stacks[0];
    for (const stack of this.stacks.slice(1)) {
      stack.addDependency(this.primaryStack, 'the global table and its replicas are created by the primary stack');
    }

    // The global table, in the primary stack.
    const primaryKey = props.tableKeyArns ? kms.Key.fromKeyArn(this.primaryStack, 'TableKey', props.tableKeyArns[regions[0]]) : undefined;
    const globalTable = new dynamodb.TableV2(this.primaryStack, 'Table', {
      tableName,
      partitionKey: { name: key, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      replicas: regions.slice(1).map((region) => ({ region })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: primaryKey
        ? dynamodb.TableEncryptionV2.customerManagedKey(primaryKey, Object.fromEntries(regions.slice(1).map((r) => [r, props.tableKeyArns![r]])))
        : dynamodb.TableEncryptionV2.awsManagedKey(),
      multiRegionConsistency: props.multiRegionConsistency,
      witnessRegion: props.witnessRegion,
      removalPolicy,
    });
    this.table = globalTable;

    this.regionalApis = regions.map((region, i) => {
      const regional = this.buildRegion({
        props,
        region,
        index: i,
        stack: this.stacks[i],
        globalTable,
        tableName,
        key,
        recordName,
        stageName,
        throttling,
        builtIn,
        routes,
        cors,
        authorization,
        routing,
        recordMode,
        removalPolicy,
        logRetention,
      });
      this.byRegion.set(region, regional);
      return regional;
    });

    // Every region but the last of a failover chain can be the one that fails; latency: any region.
    const candidates = routing === FailoverRouting.FAILOVER ? this.regionalApis.slice(0, -1) : this.regionalApis;
    const worst = candidates.map((r) => r.endpointRecord.recoveryEstimate)
      .reduce((a, b) => (b.rto.toSeconds() > a.rto.toSeconds() ? b : a));
    const rpo = strong ? Duration.seconds(0) : props.replicationLagAllowance ?? DEFAULT_REPLICATION_LAG;
    if (rpo.isUnresolved()) {
      throw new MultiRegionFailoverError('`replicationLagAllowance` must be a concrete duration, got a token');
    }
    this.recoveryEstimate = {
      detection: worst.detection,
      propagation: worst.propagation,
      rto: worst.rto,
      rpo,
      explanation: `${worst.explanation.replace(/; RPO [^;]*$/, '')}; RPO ${RecoveryModel.format(rpo)} = ${strong
        ? 'DynamoDB global table with strong multi-region consistency (writes are acknowledged only once replicated)'
        : 'DynamoDB global table replication lag allowance (typically < 1 s)'}`,
    };
    RecoveryModel.enforce('MultiRegionApi', this.recoveryEstimate, props.recoveryObjectives,
      ['`healthCheck.interval`', '`healthCheck.failureThreshold`', '`ttl` (or `recordMode: ApiRecordMode.CNAME` instead of ALIAS)'],
      ['`multiRegionConsistency: MultiRegionConsistency.STRONG`', '`replicationLagAllowance` (only if measured)']);
  }

  /** Everything created in `region`. */
  public region(region: string): RegionalApi {
    const regional = this.byRegion.get(region);
    if (!regional) {
      throw new MultiRegionFailoverError(`\`region\` must be one of ${this.regions.join(', ')}, got: ${region}`);
    }
    return regional;
  }

  private buildRegion(o: RegionInput): RegionalApi {
    const { props, region, index, stack } = o;
    const primary = index === 0;
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });

    // The region's replica, by deterministic name: no token crosses stacks.
    const tableArn = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: o.tableName });
    const keyArn = props.tableKeyArns?.[region];
    const table: dynamodb.ITableV2 = primary
      ? o.globalTable
      : dynamodb.TableV2.fromTableAttributes(stack, 'TableReplica', {
        tableArn,
        grantIndexPermissions: true,
        encryptionKey: keyArn ? kms.Key.fromKeyArn(stack, 'TableKey', keyArn) : undefined,
      });

    // Handler: least privilege on this region's replica only.
    const handlerLogs = new logs.LogGroup(stack, 'HandlerLogs', { retention: o.logRetention, removalPolicy: o.removalPolicy });
    const role = new iam.Role(stack, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `MultiRegionApi handler in ${region}: its log group and the ${region} replica of ${o.tableName}`,
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [handlerLogs.logGroupArn] }));
    const indexArn = `${tableArn}/index/*`;
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadWriteRegionalReplica', actions: [...READ_ACTIONS, ...WRITE_ACTIONS], resources: [tableArn, indexArn] }));
    if (keyArn) {
      role.addToPolicy(new iam.PolicyStatement({ sid: 'RegionalTableKey', actions: KMS_ACTIONS, resources: [keyArn] }));
    }
    const environment: { [key: string]: string } = {
      ...props.handler?.environment,
      TABLE_NAME: o.tableName,
      TABLE_KEY: o.key,
    };
    if (o.builtIn) {
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

    // Certificate and REST API with its custom domain.
    const certificate = props.certificateArns
      ? acm.Certificate.fromCertificateArn(stack, 'Certificate', props.certificateArns[region])
      : new acm.Certificate(stack, 'Certificate', { domainName: o.recordName, validation: acm.CertificateValidation.fromDns(zone) });
    const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { retention: o.logRetention, removalPolicy: o.removalPolicy });
    const cloudWatchRole = props.cloudWatchRole ?? true;
    const api = new apigateway.RestApi(stack, 'Api', {
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
      defaultCorsPreflightOptions: {
        allowOrigins: o.cors.allowOrigins,
        allowMethods: o.cors.allowMethods,
        allowHeaders: o.cors.allowHeaders ?? apigateway.Cors.DEFAULT_HEADERS,
        allowCredentials: o.cors.allowCredentials ?? false,
        maxAge: o.cors.maxAge ?? Duration.minutes(10),
        exposeHeaders: o.cors.exposeHeaders,
      },
      domainName: {
        domainName: o.recordName,
        certificate,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
        endpointType: apigateway.EndpointType.REGIONAL,
      },
    });
    const domain = api.domainName!;
    const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const integration = new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const auth = o.authorization._methodOptions(api);
    const healthMethod = api.root.addResource('health').addMethod('GET', integration, { authorizationType: apigateway.AuthorizationType.NONE, requestValidator: validator });
    for (const route of o.routes) {
      const resource = api.root.resourceForPath(route.path);
      for (const method of route.methods) {
        const requestParameters = o.builtIn && route.path === '/read' && method === 'GET' ? { [`method.request.querystring.${o.key}`]: true } : undefined;
        resource.addMethod(method, integration, { ...auth, requestValidator: validator, requestParameters });
      }
    }
    if (props.proxy) {
      // Also adds ANY on the root (API Gateway's proxy resource does not match the bare "/").
      api.root.addProxy({ anyMethod: false }).addMethod('ANY', integration, { ...auth, requestValidator: validator });
    }
    addCorsGatewayResponses(api, o.cors);
    const healthCheckFqdn = `${api.restApiId}.execute-api.${region}.${stack.urlSuffix}`;

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
      endpointCount: o.props.regions.length,
      routing: o.routing,
      healthCheck: props.healthCheck,
      ttl: o.recordMode === ApiRecordMode.CNAME ? props.ttl : undefined,
      recordTypes: o.recordMode === ApiRecordMode.ALIAS ? [route53.RecordType.A] : undefined,
      alarms: props.alarms,
    });

    const protectedMethods = api.methods.filter((m) => m !== healthMethod && m.httpMethod !== 'OPTIONS');
    this.addNagSuppressions({
      stack,
      role,
      api,
      fn,
      publicMethods: [healthMethod],
      protectedMethods,
      builtIn: o.builtIn,
      authorization: o.authorization,
      indexArn,
      tracing: props.tracing ?? false,
      cloudWatchRole,
    });

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

  private addNagSuppressions(o: {
    stack: Stack;
    role: iam.Role;
    api: apigateway.RestApi;
    fn: lambda.Function;
    publicMethods: apigateway.Method[];
    protectedMethods: apigateway.Method[];
    builtIn: boolean;
    authorization: ApiAuthorization;
    indexArn: string;
    tracing: boolean;
    cloudWatchRole: boolean;
  }): void {
    const open = (reason: string) => [
      { id: 'AwsSolutions-APIG4', reason },
      { id: 'AwsSolutions-COG4', reason },
    ];
    NagSuppressions.addResourceSuppressions(o.publicMethods,
      open('GET /health is called by Route 53 health checkers, which cannot authenticate; it returns only a status and the region'));
    const preflights = o.api.methods.filter((m) => m.httpMethod === 'OPTIONS');
    NagSuppressions.addResourceSuppressions(preflights,
      open('CORS preflight (OPTIONS) requests carry no credentials by the Fetch standard; API Gateway answers them with a mock integration'));
    if (o.builtIn && o.authorization.authorizationType === apigateway.AuthorizationType.NONE) {
      NagSuppressions.addResourceSuppressions(o.protectedMethods,
        open('Built-in bootstrap handler: a public demo of GET /read and POST /write; pass `authorization: ApiAuthorization.cognito(...)` or your own handler for real data'));
    }
    const indexResource = o.stack.resolve(o.indexArn);
    const indexAppliesTo = `Resource::${typeof indexResource === 'string' ? indexResource : renderJoin(indexResource)}`;
    const roleSuppressions = [{
      id: 'AwsSolutions-IAM5',
      reason: 'The handler may query the indexes of its own region\'s replica of its own table (table/<name>/index/*); no other table or region',
      appliesTo: [indexAppliesTo],
    }];
    if (o.tracing) {
      roleSuppressions.push({
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions',
        appliesTo: ['Resource::*'],
      });
    }
    NagSuppressions.addResourceSuppressions(o.role, roleSuppressions, true);
    if (o.builtIn) {
      NagSuppressions.addResourceSuppressions(o.fn, [{
        id: 'AwsSolutions-L1',
        reason: 'The built-in handler\'s runtime is pinned to Node.js 22 by the library\'s bundler, which targets node22 and takes AWS SDK v3 from the runtime',
      }]);
    }
    if (o.cloudWatchRole) {
      const cwRole = o.api.node.tryFindChild('CloudWatchRole');
      if (cwRole) {
        NagSuppressions.addResourceSuppressions(cwRole, [{
          id: 'AwsSolutions-IAM4',
          reason: 'API Gateway\'s account-level logging role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy that AWS documents for it',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        }]);
      }
    }
  }
}

interface RegionInput {
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
  readonly builtIn: boolean;
  readonly routes: ApiRoute[];
  readonly cors: ApiCorsOptions;
  readonly authorization: ApiAuthorization;
  readonly routing: FailoverRouting;
  readonly recordMode: ApiRecordMode;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
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

function renderJoin(value: any): string {
  // Fn::Join rendered the way cdk-nag prints it: pseudo parameters as <AWS::X>.
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map((p) => (typeof p === 'string' ? p : p.Ref ? `<${p.Ref}>` : JSON.stringify(p))).join(sep);
  }
  return JSON.stringify(value);
}

function defaultPrefix(scope: Construct, id: string): string {
  const stage = Stage.of(scope);
  const stageName = stage && !(stage.node.scope === undefined) ? stage.stageName : undefined;
  return stageName ? `${stageName}-${id}` : id;
}

function validateZone(hostedZoneId: string, zoneName: string): string {
  if (!isHostedZoneId(hostedZoneId)) {
    throw new MultiRegionFailoverError(`\`hostedZoneId\` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: ${hostedZoneId}`);
  }
  const name = typeof zoneName === 'string' ? zoneName.replace(/\.$/, '').toLowerCase() : '';
  if (Token.isUnresolved(zoneName) || !/^([a-z0-9_]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/.test(name)) {
    throw new MultiRegionFailoverError(`\`zoneName\` must be a concrete domain name such as example.com, got: ${zoneName}`);
  }
  return name;
}

function resolveName(recordName: string, zoneName: string): string {
  if (typeof recordName !== 'string' || Token.isUnresolved(recordName) || recordName.length === 0) {
    throw new MultiRegionFailoverError(`\`recordName\` must be a concrete name inside the hosted zone ${zoneName}, got: ${recordName}`);
  }
  const resolved = nameInZone(recordName.replace(/\.$/, '').toLowerCase(), zoneName);
  if (resolved === undefined) {
    throw new MultiRegionFailoverError(`\`recordName\` must be inside the hosted zone ${zoneName}, got: ${recordName}`);
  }
  return resolved;
}

function validateStackNamePrefix(prefix: string, regions: string[]): void {
  const longest = Math.max(...regions.map((r) => r.length));
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(prefix) || prefix.length + 1 + longest > 128) {
    throw new MultiRegionFailoverError(`\`stackNamePrefix\` must start with a letter, hold only letters, digits and "-", and leave room for "-<region>" in 128 characters, got: ${prefix}`);
  }
}

function validateTableName(name: string): void {
  if (Token.isUnresolved(name) || !/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new MultiRegionFailoverError(`\`tableName\` must be 3 to 255 letters, digits, "_", "-" or ".", got: ${name}`);
  }
}

function validatePerRegion(property: string, map: { [region: string]: string } | undefined, regions: string[]): void {
  if (map === undefined) {
    return;
  }
  const missing = regions.filter((r) => !map[r]);
  if (missing.length > 0) {
    throw new MultiRegionFailoverError(`\`${property}\` needs an ARN for every region, got none for: ${missing.join(', ')}`);
  }
  const extra = Object.keys(map).filter((r) => !regions.includes(r));
  if (extra.length > 0) {
    throw new MultiRegionFailoverError(`\`${property}\` must only hold regions of \`regions\`, got: ${extra.join(', ')}`);
  }
  for (const region of regions) {
    const arn = map[region];
    if (!Token.isUnresolved(arn) && arn.split(':')[3] !== region) {
      throw new MultiRegionFailoverError(`\`${property}\` must hold, for each region, an ARN in that region, got for ${region}: ${arn}`);
    }
  }
}

function validateThrottling(t: ApiThrottlingOptions | undefined): Required<ApiThrottlingOptions> {
  const rateLimit = t?.rateLimit ?? DEFAULT_RATE;
  const burstLimit = t?.burstLimit ?? DEFAULT_BURST;
  if (!Token.isUnresolved(rateLimit) && !(rateLimit > 0)) {
    throw new MultiRegionFailoverError(`\`throttling.rateLimit\` must be greater than 0, got: ${rateLimit}`);
  }
  if (!Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit > 0)) {
    throw new MultiRegionFailoverError(`\`throttling.burstLimit\` must be a positive integer, got: ${burstLimit}`);
  }
  return { rateLimit, burstLimit };
}

/** Returns whether the built-in handler is used. */
function validateHandler(h: ApiHandlerOptions | undefined): boolean {
  if (!h || (h.code === undefined && h.handler === undefined && h.runtime === undefined)) {
    return true;
  }
  if (h.code === undefined) {
    throw new MultiRegionFailoverError(`\`handler.code\` is required with \`handler.handler\` or \`handler.runtime\`, got: ${h.handler ?? h.runtime?.name}`);
  }
  if (!h.handler) {
    throw new MultiRegionFailoverError('`handler.handler` is required with `handler.code` (e.g. "index.handler"), got: undefined');
  }
  return false;
}

function collectRoutes(routes: ApiRoute[], defaultRoutes: boolean): ApiRoute[] {
  const all: ApiRoute[] = defaultRoutes ? [{ path: '/read', methods: ['GET'] }, { path: '/write', methods: ['POST'] }] : [];
  const seen = new Set<string>(all.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)));
  routes.forEach((route, i) => {
    const path = route.path.length > 1 ? route.path.replace(/\/$/, '') : route.path;
    if (!/^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\}))+(\/\{[A-Za-z0-9_]+\+\})?$|^\/\{[A-Za-z0-9_]+\+\}$/.test(path)) {
      throw new MultiRegionFailoverError(`\`routes[${i}].path\` must start with "/" and hold segments of letters, digits, ".", "_", "~", "-" or {param} ({param+} last), got: ${route.path}`);
    }
    if (!route.methods || route.methods.length === 0) {
      throw new MultiRegionFailoverError(`\`routes[${i}].methods\` needs at least one method, got: none`);
    }
    const methods = route.methods.map((m) => m.toUpperCase());
    for (const method of methods) {
      if (!ROUTE_METHODS.includes(method)) {
        throw new MultiRegionFailoverError(`\`routes[${i}].methods\` may hold only ${ROUTE_METHODS.join(', ')}, got: ${method}`);
      }
      if (path === HEALTH_PATH) {
        throw new MultiRegionFailoverError(`\`routes[${i}]\` must not use ${HEALTH_PATH}: it is reserved for the Route 53 health check, got: ${method} ${route.path}`);
      }
      const id = `${method} ${path}`;
      if (seen.has(id)) {
        throw new MultiRegionFailoverError(`\`routes\` must not repeat a route, got ${id} twice${defaultRoutes ? ' (`defaultRoutes` already serves GET /read and POST /write)' : ''}`);
      }
      seen.add(id);
    }
    all.push({ path, methods });
  });
  return all;
}

function validateCors(cors: ApiCorsOptions | undefined, routes: ApiRoute[]): ApiCorsOptions {
  const routeMethods = routes.flatMap((r) => r.methods).filter((m) => m !== 'ANY');
  const defaultMethods = [...new Set(['GET', 'POST', 'OPTIONS', ...routeMethods])];
  if (!cors) {
    return { allowOrigins: ['*'], allowMethods: routes.some((r) => r.methods.includes('ANY')) ? apigateway.Cors.ALL_METHODS : defaultMethods };
  }
  if (!cors.allowOrigins || cors.allowOrigins.length === 0) {
    throw new MultiRegionFailoverError('`cors.allowOrigins` needs at least one origin (or "*"), got: none');
  }
  for (const origin of cors.allowOrigins) {
    if (origin !== '*' && !Token.isUnresolved(origin) && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new MultiRegionFailoverError(`\`cors.allowOrigins\` must hold "*" or origins such as https://app.example.com (scheme and host, no path), got: ${origin}`);
    }
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    throw new MultiRegionFailoverError('`cors.allowOrigins` must list explicit origins when `cors.allowCredentials` is true (browsers reject credentials with a wildcard origin), got: *');
  }
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) {
    throw new MultiRegionFailoverError(`\`cors.allowOrigins\` must be either ["*"] or a list of origins, got: ${cors.allowOrigins.join(', ')}`);
  }
  return { ...cors, allowMethods: cors.allowMethods ?? defaultMethods };
}
