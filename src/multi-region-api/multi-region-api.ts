import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { grantReplica, READ_DATA_ACTIONS, WRITE_DATA_ACTIONS } from './grants';
import {
  ApiAuthorization, ApiCorsOptions, ApiHandlerOptions, ApiRecordMode, ApiRoute, ApiThrottlingOptions, RegionalApi,
} from './options';
import { buildRegionalApi } from './regional-api';
import { resolveProps } from './validation';
import { MultiRegionFailoverError } from '../core/errors';
import {
  RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryObjectives, RecoveryPointInput,
} from '../core/recovery';
import { validateMultiRegionScope } from '../core/regions';
import { FailoverHealthCheckOptions, FailoverRouting } from '../failover-dns/options';

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
   * The typical replication lag `recoveryEstimate` reports as the typical data loss of an EVENTUAL (MREC)
   * global table. It is not a bound: replication is asynchronous, nothing stops writes when it falls behind, so
   * the RPO stays unbounded and a `recoveryObjectives.rpo` fails synthesis whatever this figure is. Set it to
   * what the table's `ReplicationLatency` metric shows for your workload. Ignored with STRONG consistency.
   * @default Duration.seconds(1) - AWS documents replication "typically within a second"
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_monitoring.html
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
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one. `rto` is compared
   * with the budget (worst case); `rpo` can be met only with `multiRegionConsistency: STRONG`.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * Overrides of the figures AWS does not publish that `recoveryEstimate` counts (checker-to-DNS propagation).
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/** AWS: global table replication happens "typically within a second". */
const TYPICAL_REPLICATION_LAG = Duration.seconds(1);
const GLOBAL_TABLES_DOC = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html';

/**
 * The same REST API in every region, behind one health-checked Route 53 name:
 *
 * Client → Route 53 (failover or latency, health-checked) → API Gateway (REGIONAL, custom domain, TLS 1.2,
 * throttling, access logs, optional CORS) → Lambda → DynamoDB global table replica of that region.
 *
 * Created under an App or a Stage: it creates one Stack per region (`<prefix>-<region>`), and no stack
 * references another. Each regional stack owns its certificate (DNS-validated in the imported zone), API,
 * handler, health check and failover record (`FailoverEndpointRecord`). The global table lives in the
 * primary stack; the other stacks depend on it and reach their replica by its deterministic name.
 *
 * Secure by default: an API with routes needs an explicit `authorization` (Cognito, or `ApiAuthorization.none()`
 * for a public API, with a synth warning); no CORS unless asked for; the handler may only `GetItem` and `PutItem`
 * on its own region's replica, the health function only `GetItem`; the built-in `POST /write` is a conditional create
 * in the local replica, bodies up to 16 KiB. That create never overwrites an item with a STRONG (MRSC) table, or while
 * writes go to one region (failover routing, outside a failover or failback); with an EVENTUAL (MREC) table, DynamoDB
 * evaluates the condition against the local replica and resolves concurrent writes of two regions by last writer wins,
 * so two creates of one key in two regions both succeed and one is lost (synthesis warns with latency routing).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 *
 * Health checks call each region's default execute-api endpoint (`{restApiId}.execute-api.{region}.
 * amazonaws.com/<stage>/health`), not the shared name: the shared name resolves to whichever region is
 * active, and API Gateway routes a custom domain by SNI/Host, so a check of the regional domain name
 * (`d-xxxx...`) would be answered 403. Route 53 HTTPS checks send SNI = fqdn and don't validate
 * certificates; the execute-api host has its own valid certificate and routes by stage path. That is why
 * the execute-api endpoint stays enabled. `/health` has its own method throttling and its own function (so the
 * routes' function-level Lambda limits cannot throttle it; `healthReservedConcurrency` optionally reserves
 * concurrency for it), and reads the local replica once within 0.8 s (Route 53 wants a 2xx/3xx within 2 s of
 * connecting), so the check fails when API Gateway, Lambda or DynamoDB fail in that region. The account-level
 * limits of the region (API Gateway requests, Lambda unreserved concurrency) still apply to it.
 *
 * Default settings (10 s × 2 checks, 15 s CNAME TTL) give an RTO budget of 51 s (typical 45 s). With an EVENTUAL
 * global table the RPO is unbounded (typically about a second); STRONG consistency bounds it at zero.
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
  /** Recovery: the slowest region's DNS failover (budget and typical) and the table's data loss. */
  public readonly recoveryEstimate: RecoveryEstimate;

  private readonly byRegion = new Map<string, RegionalApi>();
  private readonly account: string;
  private readonly tableKeyArns?: { [region: string]: string };

  constructor(scope: Construct, id: string, props: MultiRegionApiProps) {
    validateMultiRegionScope(scope, 'MultiRegionApi');
    super(scope, id);

    const {
      account, regions, recordName, prefix, tableName, key, strong, lag, ...shared
    } = resolveProps(this, id, props);
    this.account = account;
    this.tableKeyArns = props.tableKeyArns;
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

    const globalTable = this.createTable(props, tableName, key, shared.removalPolicy);
    this.table = globalTable;

    this.regionalApis = regions.map((region, index) => {
      const regional = buildRegionalApi({
        ...shared, props, globalTable, tableName, key, recordName, region, index, strong, stack: this.stacks[index],
      });
      this.byRegion.set(region, regional);
      return regional;
    });

    // Every region but the last of a failover chain can be the one that fails; latency: any region.
    const candidates = shared.routing === FailoverRouting.FAILOVER ? this.regionalApis.slice(0, -1) : this.regionalApis;
    const worst = RecoveryModel.worst(candidates.map((r) => r.endpointRecord.recoveryEstimate));
    this.recoveryEstimate = RecoveryModel.withRecoveryPoint(worst, recoveryPoint(strong, lag));
    RecoveryModel.enforce('MultiRegionApi', this.recoveryEstimate, props.recoveryObjectives,
      ['`healthCheck.interval`', '`healthCheck.failureThreshold`', '`ttl` (or `recordMode: ApiRecordMode.CNAME` instead of ALIAS)'],
      ['`multiRegionConsistency: MultiRegionConsistency.STRONG` (3 regions of one region set, or 2 and a `witnessRegion`)']);
  }

  /** Everything created in `region`. */
  public region(region: string): RegionalApi {
    const regional = this.byRegion.get(region);
    if (!regional) {
      throw new MultiRegionFailoverError(`\`region\` must be one of ${this.regions.join(', ')}, got: ${region}`);
    }
    return regional;
  }

  /**
   * Permits `grantee` to read items of `region`'s replica of the global table (BatchGetItem, ConditionCheckItem,
   * DescribeTable, GetItem, Query, Scan), and to decrypt with that region's key when `tableKeyArns` is set. For your
   * own code: grant each region's code its own region's replica.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantReadData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, READ_DATA_ACTIONS);
  }

  /**
   * Permits `grantee` to write items of `region`'s replica of the global table (BatchWriteItem, DeleteItem,
   * DescribeTable, PutItem, UpdateItem), and to use that region's key when `tableKeyArns` is set.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantWriteData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, WRITE_DATA_ACTIONS);
  }

  /**
   * `grantReadData` and `grantWriteData` together.
   *
   * @param grantee the principal (e.g. a Lambda function in `region`'s stack)
   * @param region one of `regions`
   */
  public grantReadWriteData(grantee: iam.IGrantable, region: string): iam.Grant {
    return this.grantOn(grantee, region, [...new Set([...READ_DATA_ACTIONS, ...WRITE_DATA_ACTIONS])].sort());
  }

  /** The global table in the primary stack, with a replica in every other region. */
  private createTable(props: MultiRegionApiProps, tableName: string, key: string, removalPolicy: RemovalPolicy): dynamodb.TableV2 {
    const [first, ...others] = this.regions;
    const keyArns = props.tableKeyArns;
    const primaryKey = keyArns ? kms.Key.fromKeyArn(this.primaryStack, 'TableKey', keyArns[first]) : undefined;
    return new dynamodb.TableV2(this.primaryStack, 'Table', {
      tableName,
      partitionKey: { name: key, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      replicas: others.map((region) => ({ region })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: primaryKey
        ? dynamodb.TableEncryptionV2.customerManagedKey(primaryKey, Object.fromEntries(others.map((r) => [r, keyArns![r]])))
        : dynamodb.TableEncryptionV2.awsManagedKey(),
      multiRegionConsistency: props.multiRegionConsistency,
      witnessRegion: props.witnessRegion,
      removalPolicy,
    });
  }

  private grantOn(grantee: iam.IGrantable, region: string, actions: string[]): iam.Grant {
    this.region(region);
    return grantReplica(grantee, { account: this.account, region, tableName: this.tableName, keyArn: this.tableKeyArns?.[region] }, actions);
  }
}

/**
 * The data a failover may lose. STRONG (MRSC): a write succeeds only once replicated, bound 0. EVENTUAL (MREC):
 * asynchronous, unbounded; typically about a second (AWS), or your measured `replicationLagAllowance`.
 */
function recoveryPoint(strong: boolean, lag: Duration | undefined): RecoveryPointInput {
  if (strong) {
    return {
      bound: Duration.seconds(0),
      typical: Duration.seconds(0),
      mechanism: 'DynamoDB multi-Region strong consistency: a write succeeds only once it is replicated',
      basis: RecoveryBasis.DOCUMENTED,
      source: GLOBAL_TABLES_DOC,
    };
  }
  return {
    typical: lag ?? TYPICAL_REPLICATION_LAG,
    mechanism: 'DynamoDB global table replication is asynchronous (multi-Region eventual consistency)',
    basis: lag ? RecoveryBasis.ASSUMPTION : RecoveryBasis.DOCUMENTED,
    source: lag ? 'your `replicationLagAllowance`' : GLOBAL_TABLES_DOC,
    setting: '`multiRegionConsistency: MultiRegionConsistency.STRONG`',
  };
}
