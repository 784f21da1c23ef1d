import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiAuthorization, ApiCorsOptions, ApiHandlerOptions, ApiRecordMode, ApiRoute, ApiThrottlingOptions } from './options';
import { RecoveryAssumptions, RecoveryObjectives } from '../core/recovery';
import { FailoverHealthCheckOptions, FailoverRouting } from '../failover-dns/options';

/**
 * The settings of a regional API that `MultiRegionApi` and `RegionalApiStack` share: the name, the DNS record and its
 * health check, the table, the API and its handler. `MultiRegionApi` applies them to every region; a per-region map
 * (`certificateArns`, `webAclArns`, `tableKeyArns`) serves every stack, each reading its own region's entry.
 */
export interface RegionalApiOptions {
  /**
   * The id of the public hosted zone of `recordName`, imported in every regional stack: a concrete id, or
   * `zone.hostedZoneId` of a `HostedZone.fromLookup` (its placeholder is accepted until the CDK CLI has looked the zone up).
   * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
   */
  readonly hostedZoneId: string;
  /** The name of that hosted zone, e.g. `example.com` (`zone.zoneName`). */
  readonly zoneName: string;
  /**
   * The name clients call: a name inside the zone (`api.example.com`) or a single label (`api`).
   * The zone apex needs `recordMode: ApiRecordMode.ALIAS`. It must be a host name (letters, digits, hyphens): it gets
   * an ACM certificate and an API Gateway custom domain.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
   */
  readonly recordName: string;
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
   * TTL of the CNAME records (CNAME mode): 0 to 172800 s; above 300 s synthesis warns. AWS advises 60 s or less on
   * health-checked records.
   * @default Duration.seconds(15)
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
   */
  readonly ttl?: Duration;
  /**
   * Route 53 health check settings. `fqdn` and `path` default to the region's execute-api host and
   * `/<stageName>/health` (see `RegionalApi.healthCheckFqdn`). The execute-api host serves the API only under its stage,
   * so without your own `fqdn`, `path` must be `/<stageName>/health` (a query string may follow): any other path is
   * a synth error, because the check would never pass and the region would never fail over. Paths are checked, not
   * mapped: with your own `fqdn` (a host you serve yourself), `path` is yours and is not checked.
   * @default - HTTPS, every 10 s, unhealthy after 2 failures, `/<stageName>/health` on the execute-api host
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html
   */
  readonly healthCheck?: FailoverHealthCheckOptions;
  /**
   * Name of the DynamoDB global table (the same in every region). Set it to keep an existing table's name.
   * @default - `<prefix>-table`, the prefix of `MultiRegionApiProps.stackNamePrefix` or `RegionalApiStackProps.namePrefix` (by default from the record
   *   name, e.g. `api-example-com-table`)
   */
  readonly tableName?: string;
  /**
   * Name of the table's string partition key.
   * @default 'id'
   */
  readonly partitionKeyName?: string;
  /**
   * Customer managed KMS keys of the table, one ARN per region (all regions; a `RegionalApiStack` reads its own
   * region's, and the one that creates the table those of `replicaRegions` too). Each region's handler may use only its region's key.
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
   * Stage throttling (per region) of every route but `GET /health`.
   * @default - 100 requests per second, burst 200
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly throttling?: ApiThrottlingOptions;
  /**
   * Method-level throttling of `GET /health` (per region), apart from `throttling`: Route 53's health checkers
   * send a few requests per second, and a 429 counts as a failed check. API Gateway applies it before the
   * account-level limit of the region, which still applies to every API of the account.
   * @default - 50 requests per second, burst 100
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-stages.html#how-to-method-override
   */
  readonly healthThrottling?: ApiThrottlingOptions;
  /**
   * Reserved concurrency of each region's health function (the function behind `GET /health`). It guarantees the
   * health check that much of the region's Lambda concurrency when other functions of the account use up the rest,
   * and it is also the most the health function can use (Route 53's checkers need a few concurrent executions).
   * Not reserved by default: Lambda keeps at least 100 executions unreserved per account and region, and new accounts
   * have a lower concurrency quota, so a reservation fails the deploy there ("decreases account's
   * UnreservedConcurrentExecution below its minimum value").
   * @default - none: the health function shares the account's unreserved concurrency of the region
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly healthReservedConcurrency?: number;
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
   * CORS: the origins whose browser scripts may call the API. Preflights are answered on the resources that
   * have routes (not on `/health`).
   * @default - no CORS: browsers block cross-origin calls (`allowOrigins: ['*']` must be asked for explicitly)
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
   */
  readonly cors?: ApiCorsOptions;
  /**
   * Serve `GET /read` and `POST /write` (the built-in handler implements them: `/write` is a conditional create in
   * the local replica, bodies up to 16 KiB). An existing item is never overwritten with `multiRegionConsistency: STRONG`,
   * or while writes go to one region; with EVENTUAL, two regions can create the same key and the last writer wins
   * (synthesis warns with `routing: FailoverRouting.LATENCY`).
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
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
   * Who may call the routes (`/health` and CORS preflights are always open). There is no implicit public API:
   * an API with routes besides `/health` (the default routes, `routes` or `proxy`) needs an explicit choice,
   * `ApiAuthorization.cognito(userPoolArns)` or `ApiAuthorization.none()` (public, with a synth warning).
   * @default - none: synthesis fails unless the API serves only `/health`
   */
  readonly authorization?: ApiAuthorization;
  /**
   * The handler: the built-in one, your `code`, or your own function per region (`factory`).
   * @default - the built-in handler (Node.js 22, arm64, 256 MB, 10 s)
   */
  readonly handler?: ApiHandlerOptions;
  /**
   * Create API Gateway's account-level CloudWatch role setting (`AWS::ApiGateway::Account` and its role) where the app
   * has none yet: the stages' access and execution logs need it in every region. It is one setting per account and
   * region, so only the first `MultiRegionApi` (or `RegionalApiStack`) of each account and region in the app creates it (the stacks of later
   * APIs of the same Stage depend on its stack; deploy the Stage that creates it first). Set false when your account
   * already has the setting: the construct then never overwrites it.
   * @default true
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
   */
  readonly cloudWatchRole?: boolean;
  /**
   * AWS WAF web ACLs, one ARN per region (every region: a failover must not move traffic to an unprotected region). Each
   * must be a regional web ACL of that region and account (`arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`);
   * it is associated with that region's stage (a `RegionalApiStack` reads its own region's). Keep Route 53's health checkers (`ROUTE53_HEALTHCHECKS` in ip-ranges.json)
   * allowed on `/<stageName>/health`, or a blocked check fails the region over.
   * @default - no web ACL
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
   */
  readonly webAclArns?: { [region: string]: string };
  /**
   * Existing ACM certificates for `recordName`, one ARN per region (all regions; a `RegionalApiStack` reads its own region's).
   * @default - a DNS-validated certificate per region
   */
  readonly certificateArns?: { [region: string]: string };
  /**
   * Overrides of the figures AWS does not publish that the recovery estimates count (checker-to-DNS propagation).
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/** Properties of a `MultiRegionApi`. */
export interface MultiRegionApiProps extends RegionalApiOptions {
  /**
   * The AWS account of every regional stack (12 digits). An explicit account must match the enclosing Stage's.
   * @default - the enclosing Stage's account, else CDK_DEFAULT_ACCOUNT
   * @see https://docs.aws.amazon.com/cdk/v2/guide/environments.html
   */
  readonly account?: string;
  /**
   * The regions, in priority order: the first is the primary and holds the global table. At least 2, all AWS regions
   * of one partition (checked against aws-cdk-lib's region list).
   */
  readonly regions: string[];
  /**
   * Prefix of the stack names: `<prefix>-api-<region>` for every region, and `<prefix>-api-alarms-us-east-1` for the
   * health check alarms. Also the default table name's prefix. The default comes from the record name, so moving the
   * construct into a Stage or renaming its id renames neither the stacks nor the table.
   * @default - the record name with dots as hyphens, e.g. `api-example-com` for `api.example.com`
   */
  readonly stackNamePrefix?: string;
  /**
   * Create the alarms: a `HealthCheckStatus` alarm for EVERY region's health check, in a stack of its own in us-east-1
   * (`<prefix>-api-alarms-us-east-1`, where Route 53 publishes the metric), and an API Gateway `5XXError` alarm in each
   * regional stack. Each regional stack publishes its health check id to an SSM parameter in us-east-1, which the alarms
   * stack reads at deploy time: no stack references another.
   * @default true
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
   */
  readonly alarms?: boolean;
  /**
   * Existing SNS topics the alarms notify, one ARN per region: `us-east-1` gets the `HealthCheckStatus` alarms, each of
   * `regions` its own stack's alarms. Keys: `regions` and `us-east-1`; each ARN a topic of its key's region and of
   * `account` (a CloudWatch alarm notifies topics of its own region). Imported by ARN in the stack that needs it.
   * @default - the alarms notify nobody
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArns?: { [region: string]: string };
  /**
   * The typical replication lag `recoveryEstimate` reports as the typical data loss of an EVENTUAL (MREC)
   * global table. It is not a bound: replication is asynchronous, nothing stops writes when it falls behind, so
   * the RPO stays unbounded and a `recoveryObjectives.rpo` fails synthesis whatever this figure is. Set it to
   * what the table's `ReplicationLatency` metric shows for your workload: at least 1 s (below AWS's documented
   * typical figure it is a synth error). Ignored with STRONG consistency.
   * @default Duration.seconds(1) - AWS documents replication "typically within a second"
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_monitoring.html
   */
  readonly replicationLagAllowance?: Duration;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one. `rto` is compared
   * with the budget (worst case); `rpo` can be met only with `multiRegionConsistency: STRONG`.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
}
