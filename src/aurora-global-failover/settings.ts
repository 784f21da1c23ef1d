import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraGlobalDatabaseOptions, AuroraGlobalFailoverProps, AuroraOrchestration } from './props';
import {
  CheckedEngine, identifierFromUniqueName, validateEngine, validateGlobalClusterIdentifier, validateInstanceType, validateInteger,
  validatePositiveDuration,
} from './support';
import {
  CheckedAutoFailover, CheckedDns, markChecked, resolveDeletionProtection, validateAutoFailover, validateDns, validateDnsRecord, validateManagedRpo,
} from './validation';
import { validateAlarmTopicArns } from '../core/alarm-topics';
import { resolveAccount } from '../core/environment';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { partitionOf } from '../core/partition';
import { validateKnownRegions } from '../core/validation';

/** The checked database settings of one regional stack (`AuroraGlobalDatabaseOptions` with defaults). @internal */
export interface DatabaseSettings {
  readonly engine: rds.IClusterEngine;
  readonly checked: CheckedEngine;
  readonly port: number;
  readonly instanceType: ec2.InstanceType;
  readonly instances: number;
  readonly lagMs: number;
  readonly managedRpoSeconds?: number;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly backupDays: number;
  readonly removalPolicy?: RemovalPolicy;
  /** Removal policy of keys and log groups: DESTROY only when asked, else RETAIN. */
  readonly keyRemoval: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly subnets: ec2.SubnetSelection;
  readonly logExports: string[];
  readonly clientEndpoints: boolean;
  readonly writerCpuThreshold?: number;
  readonly writerConnectionsThreshold?: number;
  readonly logRetention: logs.RetentionDays;
  readonly orchestration: AuroraOrchestration;
}

/** Checked configuration of `AuroraGlobalFailover`: the database settings and what the composition adds. @internal */
export interface Settings extends DatabaseSettings {
  readonly account: string;
  readonly gid: string;
  readonly stackNamePrefix: string;
  readonly dns?: CheckedDns;
  readonly auto?: CheckedAutoFailover;
  readonly clusterArns: { [region: string]: string };
  /** Whether `gid` was derived from the construct path (no `globalClusterIdentifier`, no `writerDnsRecord`): worth a warning. */
  readonly gidFromPath: boolean;
}

/**
 * The global cluster identifier, stable when the construct moves: the explicit prop; else derived from the writer
 * record name (what the database serves, not where the construct sits); else, as before, from the construct path, with
 * a warning that names the prop to set. RDS identifiers: "Must contain from 1 to 63 letters, numbers, or hyphens. First
 * character must be a letter. Can't end with a hyphen or contain two consecutive hyphens"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); 48 here, for `<id>-<region>`.
 */
function globalClusterIdentifier(scope: Construct, props: AuroraGlobalFailoverProps, dns: CheckedDns | undefined): string {
  if (props.globalClusterIdentifier !== undefined) {
    return validateGlobalClusterIdentifier(props.globalClusterIdentifier);
  }
  if (dns) {
    // prefixFromName: lower case, runs of other characters become one hyphen, a letter first, no trailing hyphen;
    // a longer name keeps its start plus a hash, within 48 characters.
    return validateGlobalClusterIdentifier(prefixFromName(dns.recordName, 48));
  }
  // Derived from the construct path: the construct warns on its primary stack (see `gidFromPath`).
  return identifierFromUniqueName(Names.uniqueResourceName(scope, { maxLength: 48, separator: '-' }));
}

/**
 * Checks the database settings a regional stack gets and fills in their defaults; the same checks, with the same
 * messages, whether `AuroraGlobalFailover` or a regional stack of yours passes them.
 * @internal
 */
export function resolveDatabaseOptions(o: AuroraGlobalDatabaseOptions): DatabaseSettings {
  const orchestration = validateOrchestration(o);
  const engine = o.engine ?? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 });
  const checked = validateEngine(engine);
  const instanceType = o.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
  validateInstanceType(instanceType);
  const pollInterval = o.pollInterval ?? Duration.seconds(15);
  validatePositiveDuration(pollInterval, 'pollInterval', 's');
  const backupDays = validateInteger((o.backupRetention ?? Duration.days(7)).toDays(), 'backupRetention', 1, 35);
  if (o.writerCpuThreshold !== undefined && !(o.writerCpuThreshold > 0 && o.writerCpuThreshold <= 100)) {
    throw new MultiRegionFailoverError(`\`writerCpuThreshold\` must be a percentage above 0 and at most 100, got: ${o.writerCpuThreshold}`);
  }
  if (o.writerConnectionsThreshold !== undefined && !(o.writerConnectionsThreshold > 0)) {
    throw new MultiRegionFailoverError(`\`writerConnectionsThreshold\` must be greater than 0, got: ${o.writerConnectionsThreshold}`);
  }
  return {
    engine,
    checked,
    // Every member keeps the engine's default port (see suppressClusterFindings): 5432 for Aurora PostgreSQL, 3306 for Aurora MySQL.
    port: checked.isPostgres ? 5432 : 3306,
    instanceType,
    instances: validateInteger(o.instancesPerRegion ?? 2, 'instancesPerRegion', 1, 16),
    lagMs: validatePositiveDuration(o.replicationLagThreshold ?? Duration.seconds(1), 'replicationLagThreshold', 'ms'),
    managedRpoSeconds: validateManagedRpo(o.managedRpo, checked),
    pollInterval,
    maxPollAttempts: validateInteger(o.maxPollAttempts ?? 60, 'maxPollAttempts', 1, 1000),
    backupDays,
    removalPolicy: o.removalPolicy,
    keyRemoval: o.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    deletionProtection: resolveDeletionProtection(o.deletionProtection, o.removalPolicy),
    subnets: o.databaseSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    logExports: checked.isPostgres ? ['postgresql'] : ['error', 'general', 'slowquery', 'audit'],
    clientEndpoints: o.clientEndpoints ?? true,
    writerCpuThreshold: o.writerCpuThreshold,
    writerConnectionsThreshold: o.writerConnectionsThreshold,
    logRetention: o.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    orchestration,
  };
}

/** The orchestration, and no setting of the Step Functions orchestrator with a Region switch plan. */
function validateOrchestration(o: AuroraGlobalDatabaseOptions): AuroraOrchestration {
  const orchestration = o.orchestration ?? AuroraOrchestration.STEP_FUNCTIONS;
  if (!Object.values(AuroraOrchestration).includes(orchestration)) {
    throw new MultiRegionFailoverError(`\`orchestration\` must be an AuroraOrchestration (STEP_FUNCTIONS or REGION_SWITCH), got: ${String(orchestration)}`);
  }
  if (orchestration === AuroraOrchestration.REGION_SWITCH) {
    const orchestratorOnly: [string, unknown][] = [
      ['pollInterval', o.pollInterval && `${o.pollInterval.toSeconds()} s`],
      ['maxPollAttempts', o.maxPollAttempts],
      ['logRetention', o.logRetention],
    ];
    for (const [name, value] of orchestratorOnly) {
      if (value !== undefined) {
        throw new MultiRegionFailoverError(`\`${name}\` configures the Step Functions orchestrator, which \`orchestration: AuroraOrchestration.REGION_SWITCH\` `
          + `does not build, got: ${value}`);
      }
    }
  }
  return orchestration;
}

/** The ARN of every member cluster, `<gid>-<region>` in each region. @internal */
export function memberClusterArns(gid: string, regions: string[], account: string): { [region: string]: string } {
  const arns: { [region: string]: string } = {};
  for (const region of regions) {
    arns[region] = `arn:${partitionOf(region)}:rds:${region}:${account}:cluster:${gid}-${region}`;
  }
  return arns;
}

/** Checks the props; errors that leave the construct buildable are collected on `scope` (one synth shows all). @internal */
export function resolveSettings(scope: Construct, props: AuroraGlobalFailoverProps, regions: string[]): Settings {
  validateKnownRegions(scope, regions, 'regions');
  const account = resolveAccount(scope, props.account);
  const database = resolveDatabaseOptions(props);
  const dns = validateDns(scope, props.writerDnsRecord);
  if (dns) {
    validateDnsRecord(scope, dns);
    // Checked here, on the construct: the primary stack's writer endpoint must not report the same errors again.
    markChecked(props.writerDnsRecord!);
  }
  const gid = globalClusterIdentifier(scope, props, dns);
  validateAlarmTopicArns(scope, props.alarmTopicArns, regions, account);
  return {
    ...database,
    account,
    gid,
    stackNamePrefix: props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : gid,
    dns,
    auto: validateAutoFailover(props.autoFailover, regions.slice(1), account),
    clusterArns: memberClusterArns(gid, regions, account),
    gidFromPath: props.globalClusterIdentifier === undefined && dns === undefined,
  };
}

/**
 * Managed RPO parameters of a region. With 2 regions only the primary gets them: AWS advises "In a global
 * database with only two AWS Regions, we recommend keeping the rds.global_db_rpo parameter's default value in the
 * secondary Region's parameter group. Otherwise, performing a failover due to a loss of the primary AWS Region
 * could cause Aurora to pause transactions."
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery)
 * @internal
 */
export function rpoParameters(s: DatabaseSettings, isPrimary: boolean, secondaries: number): { [name: string]: string } | undefined {
  if (s.managedRpoSeconds === undefined || (!isPrimary && secondaries === 1)) {
    return undefined;
  }
  return { 'rds.global_db_rpo': String(s.managedRpoSeconds) };
}
