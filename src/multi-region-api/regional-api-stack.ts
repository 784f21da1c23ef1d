import { Stack, StackProps, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RegionalApi } from './options';
import { RegionalApiOptions } from './props';
import { buildRegionalApi } from './regional-api';
import { ApiSettings, apiValidatedAbove, resolveApiOptions } from './validation';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { validateRegions, validateStackRegion } from '../core/regions';
import { validateKnownRegions } from '../core/validation';
import { validatesEndpointRecords } from '../failover-dns/internal';
import { FailoverRouting } from '../failover-dns/options';

/** Properties of a `RegionalApiStack`. */
export interface RegionalApiStackProps extends StackProps, RegionalApiOptions {
  /**
   * This region's 0-based position in the failover order of `recordName` (0 = primary), as in
   * `FailoverEndpointRecord`. With latency routing it only orders the regions.
   */
  readonly priority: number;
  /**
   * How many regions serve `recordName` in all (each with its own `RegionalApiStack`): at least 2 with failover routing,
   * 1 or more with latency routing.
   */
  readonly endpointCount: number;
  /**
   * The stack that creates the global table (the primary region's `RegionalApiStack`, whose `replicaRegions` hold
   * this stack's region). This stack depends on it and reaches its replica by the table's deterministic name, so no
   * token crosses stacks (they must be in the same Stage).
   * @default - this stack creates the global table: it is the primary
   */
  readonly tableStack?: Stack;
  /**
   * The regions of the global table's replicas, in the stack that creates it (not with `tableStack`).
   * @default - none: a table in this region only
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
   */
  readonly replicaRegions?: string[];
  /**
   * Prefix of the table's default name (`<prefix>-table`) and of the SSM parameter in us-east-1 this stack publishes
   * its health check id to (`/cdk-multi-region-failover/<prefix>/api/<region>/health-check-id`, read by
   * `ApiHealthAlarmsStack`). Give every region's stack the same one.
   * @default - the record name with dots as hyphens, e.g. `api-example-com` for `api.example.com`
   */
  readonly namePrefix?: string;
  /**
   * Create the region's API Gateway `5XXError` alarm, and publish the health check id to its SSM parameter in us-east-1
   * for the `HealthCheckStatus` alarm of an `ApiHealthAlarmsStack`.
   * @default true
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
   */
  readonly alarms?: boolean;
  /**
   * An existing SNS topic of this stack's region and account that the stack's alarms notify (a CloudWatch alarm
   * notifies topics of its own region).
   * @default - the alarms notify nobody
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArn?: string;
}

/**
 * One region of a multi-region REST API, in a stack of its own: its certificate (DNS-validated in the imported zone),
 * the REST API with its custom domain, the routes' handler and the health function, the Route 53 health check and
 * failover (or latency) records (`FailoverEndpointRecord`), the `5XXError` alarm, and in the primary (no
 * `tableStack`) the DynamoDB global table with a replica in each of `replicaRegions`.
 *
 * `MultiRegionApi` creates one per region (`regionalApiStacks`). Use it alone to place the regions in a Stage of your
 * own, each with its own props: create the primary first, then each other region (in the same Stage) with `tableStack`
 * set to the primary.
 * Its `regionalApi` holds everything it created, as `MultiRegionApi.regionalApis` does.
 */
export class RegionalApiStack extends Stack {
  /** Everything this stack created for its region. */
  public readonly regionalApi: RegionalApi;
  /** The global table, in the stack that creates it (no `tableStack`). */
  public readonly globalTable?: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: RegionalApiStackProps) {
    super(scope, id, props);
    const region = validateStackRegion(this, 'RegionalApiStack');
    if (props.tableStack && props.replicaRegions) {
      throw new MultiRegionFailoverError(`\`replicaRegions\` is for the stack that creates the table, not with \`tableStack\`, got: ${props.replicaRegions.join(', ')}`);
    }
    if (props.tableStack) {
      this.addDependency(props.tableStack, 'the global table and its replicas are created by the primary stack');
    }
    // The construct above (MultiRegionApi), else this stack, reports the record name, TTL and region errors once.
    validatesEndpointRecords(this);
    const settings = this.resolveSettings(props, region);
    this.globalTable = props.tableStack ? undefined : this.createTable(props, settings, region);
    this.regionalApi = buildRegionalApi({ ...settings, props, region, primary: !props.tableStack, stack: this, globalTable: this.globalTable });
    if (props.alarms ?? true) {
      routeAlarms(this, props.alarmTopicArn);
    }
  }

  /** The props, validated, with the defaults applied; the per-region maps checked for the regions this stack uses. */
  private resolveSettings(props: RegionalApiStackProps, region: string): ApiSettings {
    const report = !apiValidatedAbove(this);
    const failover = (props.routing ?? FailoverRouting.FAILOVER) === FailoverRouting.FAILOVER;
    if (failover && !Token.isUnresolved(props.endpointCount) && !(props.endpointCount >= 2)) {
      throw new MultiRegionFailoverError('`endpointCount` must be at least 2 with failover routing (a PRIMARY and a SECONDARY region; '
        + `use \`routing: FailoverRouting.LATENCY\` for one region), got: ${props.endpointCount}`);
    }
    const tableRegions = props.tableStack ? [region] : validateRegions([region, ...props.replicaRegions ?? []], { property: 'replicaRegions', min: 1 });
    if (report) {
      validateKnownRegions(this, tableRegions, props.replicaRegions?.length ? 'replicaRegions' : 'env.region');
      validateAlarmTopicArns(this, props.alarmTopicArn === undefined ? undefined : { [region]: props.alarmTopicArn }, [region], this.account, 'alarmTopicArn');
    }
    return resolveApiOptions(this, {
      ...props,
      tableKeyArns: pick(props.tableKeyArns, tableRegions),
      certificateArns: pick(props.certificateArns, [region]),
      webAclArns: pick(props.webAclArns, [region]),
    }, { regions: [region], tableRegions, account: this.account, prefix: props.namePrefix, prefixProperty: 'namePrefix', report });
  }

  /** The global table, with a replica in each of `replicaRegions`. */
  private createTable(props: RegionalApiStackProps, o: ApiSettings, region: string): dynamodb.TableV2 {
    const others = props.replicaRegions ?? [];
    const keyArns = props.tableKeyArns;
    const primaryKey = keyArns ? kms.Key.fromKeyArn(this, 'TableKey', keyArns[region]) : undefined;
    return new dynamodb.TableV2(this, 'Table', {
      tableName: o.tableName,
      partitionKey: { name: o.key, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      replicas: others.map((r) => ({ region: r })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: primaryKey
        ? dynamodb.TableEncryptionV2.customerManagedKey(primaryKey, Object.fromEntries(others.map((r) => [r, keyArns![r]])))
        : dynamodb.TableEncryptionV2.awsManagedKey(),
      multiRegionConsistency: props.multiRegionConsistency,
      witnessRegion: props.witnessRegion,
      removalPolicy: o.removalPolicy,
    });
  }
}

/** The entries of a per-region map for `regions` only (each stack checks the regions it uses). */
function pick(map: { [region: string]: string } | undefined, regions: string[]): { [region: string]: string } | undefined {
  return map === undefined ? undefined : Object.fromEntries(Object.entries(map).filter(([r]) => regions.includes(r)));
}
