import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { ReplicaWriterDnsRecordOptions, RdsCrossRegionReplicaProps } from './props';
import {
  CheckedInstanceEngine, checkEngine, resolveInstanceDeletionProtection, validateBackupRetention, validateInstanceIdentifier, validateLagThreshold,
  validateStorage,
} from './support';
import { identifierFromUniqueName, validateInteger, validatePositiveDuration } from '../aurora-global-failover/support';
import { validateAlarmTopicArns } from '../core/alarm-topics';
import { resolveAccount } from '../core/environment';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { partitionOf } from '../core/partition';
import { claimRecordName, validateDnsName, validateKnownRegions, validateTtl } from '../core/validation';
import { normalizeZoneName, validateHostedZoneId } from '../core/zones';

/** A checked `writerDnsRecord`. @internal */
export interface CheckedWriterDns {
  readonly hostedZoneId: string;
  /** The name clients use, without the trailing dot. */
  readonly recordName: string;
  /** `promoted.<recordName>`: the replicas' weighted records. */
  readonly promotedName: string;
  readonly ttl: Duration;
}

/** Checked configuration shared by every region. @internal */
export interface Settings {
  readonly account: string;
  /** The base identifier; instances are `<id>-<region>`. */
  readonly id: string;
  readonly idFromPath: boolean;
  readonly stackNamePrefix: string;
  readonly engine: rds.IInstanceEngine;
  readonly checked: CheckedInstanceEngine;
  readonly instanceType: ec2.InstanceType;
  readonly allocatedStorage: number;
  readonly maxAllocatedStorage?: number;
  readonly replicaMultiAz: boolean;
  readonly backupDays: number;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** Removal policy of keys and log groups: DESTROY only when asked, else RETAIN. */
  readonly keyRemoval: RemovalPolicy;
  readonly subnets: ec2.SubnetSelection;
  readonly clientEndpoints: boolean;
  readonly parameters: { [name: string]: string };
  readonly lagSeconds: number;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  readonly promotionTime: Duration;
  readonly dns?: CheckedWriterDns;
  /** Instance ARN per region, built from the identifier (no cross-region reference). */
  readonly instanceArns: { [region: string]: string };
}

/**
 * With `zoneName`: the record name is a name inside the zone and not its apex (the writer records are CNAMEs: "You
 * can't create a CNAME record for example.com").
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
 */
function validateRecordInZone(recordName: string, zoneName: string | undefined): void {
  if (zoneName === undefined) {
    return;
  }
  if (Token.isUnresolved(zoneName)) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.zoneName\` must be a concrete domain name such as example.com, got: ${zoneName}`);
  }
  const zone = normalizeZoneName(zoneName);
  const name = normalizeZoneName(recordName);
  if (name === zone) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be a name inside the hosted zone ${zone}, not the zone name itself `
      + `(the writer records are CNAMEs, and a CNAME cannot be at the zone apex), got: ${recordName}`);
  }
  if (!name.endsWith(`.${zone}`)) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be inside the hosted zone ${zone}, got: ${recordName}`);
  }
}

/** Checks `writerDnsRecord`; the name's format, the TTL and name clashes are collected with the other errors. @internal */
export function checkWriterDns(scope: IConstruct, options: ReplicaWriterDnsRecordOptions | undefined): CheckedWriterDns | undefined {
  if (!options) {
    return undefined;
  }
  validateHostedZoneId(scope, options.hostedZoneId, { property: 'writerDnsRecord.hostedZoneId', zoneName: options.zoneName, example: 'Z...' });
  if (Token.isUnresolved(options.recordName)) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be a concrete fully qualified domain name, got: ${options.recordName}`);
  }
  validateRecordInZone(options.recordName, options.zoneName);
  const recordName = options.recordName.replace(/\.$/, '').toLowerCase();
  const ttl = options.ttl ?? Duration.seconds(30);
  validateDnsName(scope, recordName, { property: 'writerDnsRecord.recordName', reason: 'clients connect to it as the database host' });
  validateTtl(scope, ttl, 'writerDnsRecord.ttl', { failover: true });
  const promotedName = `promoted.${recordName}`;
  claimRecordName(scope, options.hostedZoneId, recordName, 'writerDnsRecord.recordName');
  claimRecordName(scope, options.hostedZoneId, promotedName, 'writerDnsRecord.recordName (promoted.<recordName>)');
  return { hostedZoneId: options.hostedZoneId, recordName, promotedName, ttl };
}

/**
 * The base identifier, stable when the construct moves: the explicit prop; else from the writer record name; else from
 * the construct path (the construct then warns).
 */
function baseIdentifier(scope: Construct, props: RdsCrossRegionReplicaProps, dns: CheckedWriterDns | undefined): string {
  if (props.instanceIdentifier !== undefined) {
    return validateInstanceIdentifier(props.instanceIdentifier);
  }
  if (dns) {
    return validateInstanceIdentifier(prefixFromName(dns.recordName, 48));
  }
  return identifierFromUniqueName(Names.uniqueResourceName(scope, { maxLength: 48, separator: '-' }));
}

/** Checks the props; errors that leave the construct buildable are collected on `scope`. @internal */
export function resolveSettings(scope: Construct, props: RdsCrossRegionReplicaProps, regions: string[]): Settings {
  validateKnownRegions(scope, regions, 'regions');
  const account = resolveAccount(scope, props.account);
  const engine = props.engine ?? rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 });
  const checked = checkEngine(engine);
  const allocatedStorage = props.allocatedStorage ?? 100;
  validateStorage(allocatedStorage, props.maxAllocatedStorage);
  const backupDays = validateBackupRetention(props.backupRetention ?? Duration.days(7));
  const deletionProtection = resolveInstanceDeletionProtection(props.deletionProtection, props.removalPolicy);
  const lagSeconds = validateLagThreshold(props.replicaLagThreshold ?? Duration.seconds(60));
  const pollInterval = props.pollInterval ?? Duration.seconds(15);
  validatePositiveDuration(pollInterval, 'pollInterval', 's');
  const promotionTime = props.promotionTime ?? Duration.minutes(15);
  validatePositiveDuration(promotionTime, 'promotionTime', 's');
  const dns = checkWriterDns(scope, props.writerDnsRecord);
  const id = baseIdentifier(scope, props, dns);
  validateAlarmTopicArns(scope, props.alarmTopicArns, regions, account);
  const instanceArns: { [region: string]: string } = {};
  for (const region of regions) {
    instanceArns[region] = `arn:${partitionOf(region)}:rds:${region}:${account}:db:${id}-${region}`;
  }
  return {
    account,
    id,
    idFromPath: props.instanceIdentifier === undefined && dns === undefined,
    stackNamePrefix: props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : id,
    engine,
    checked,
    instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
    allocatedStorage,
    maxAllocatedStorage: props.maxAllocatedStorage,
    replicaMultiAz: props.replicaMultiAz ?? true,
    backupDays,
    deletionProtection,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    keyRemoval: props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    subnets: props.databaseSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    clientEndpoints: props.clientEndpoints ?? true,
    parameters: { ...checked.tlsParameter, ...(props.parameters ?? {}) },
    lagSeconds,
    pollInterval,
    maxPollAttempts: validateInteger(props.maxPollAttempts ?? 240, 'maxPollAttempts', 1, 1000),
    promotionTime,
    dns,
    instanceArns,
  };
}
