import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AutoFailoverOptions, WriterDnsRecordOptions } from './props';
import { AuroraGlobalSupport, CheckedEngine, validateInteger, validatePositiveDuration } from './support';
import { MultiRegionFailoverError } from '../core/errors';
import { claimRecordName, validateDnsName, validateTtl } from '../core/validation';
import { normalizeZoneName, validateHostedZoneId } from '../core/zones';

/** A checked `writerDnsRecord`. @internal */
export interface CheckedDns {
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly ttl: number;
  readonly ttlDuration: Duration;
}

/** A checked `autoFailover`. @internal */
export interface CheckedAutoFailover {
  readonly targetRegion: string;
  readonly primaryHealthAlarmArn: string;
  readonly lagThresholdMs: number;
  readonly evaluationPeriods: number;
}

/**
 * Deletion protection consistent with the removal policy: CloudFormation cannot delete a cluster (or a global
 * cluster) whose deletion protection is on, so `RemovalPolicy.DESTROY` defaults it to false and refuses true.
 * @internal
 */
export function resolveDeletionProtection(deletionProtection: boolean | undefined, removalPolicy: RemovalPolicy | undefined): boolean {
  const destroy = removalPolicy === RemovalPolicy.DESTROY;
  if (destroy && deletionProtection === true) {
    throw new MultiRegionFailoverError('`deletionProtection` must be false when `removalPolicy` is RemovalPolicy.DESTROY '
      + '(CloudFormation cannot delete a protected cluster, so deleting the stacks would fail), got: true');
  }
  return deletionProtection ?? !destroy;
}

/** The managed RPO in whole seconds (Aurora PostgreSQL only, at least 20 s). @internal */
export function validateManagedRpo(rpo: Duration | undefined, engine: CheckedEngine): number | undefined {
  if (rpo === undefined) {
    return undefined;
  }
  if (!engine.isPostgres) {
    throw new MultiRegionFailoverError(`\`managedRpo\` is only supported by Aurora PostgreSQL, got engine: ${engine.engineType}`);
  }
  const seconds = validatePositiveDuration(rpo, 'managedRpo', 's');
  const min = AuroraGlobalSupport.MIN_MANAGED_RPO.toSeconds();
  if (seconds < min || !Number.isInteger(seconds)) {
    throw new MultiRegionFailoverError(`\`managedRpo\` must be a whole number of seconds of at least ${min}, got: ${seconds} s`);
  }
  return seconds;
}

/**
 * Checks what must be concrete to build the CNAME and name the cluster (the zone id, the record name); the format of the
 * name and the TTL are checked by `validateDnsName`/`validateTtl` and collected with the construct's other errors.
 * The zone id may be the placeholder of a pending `HostedZone.fromLookup` (`validateHostedZoneId`); with `zoneName`,
 * the record name must be inside the zone.
 * @internal
 */
export function validateDns(scope: IConstruct, options: WriterDnsRecordOptions | undefined): CheckedDns | undefined {
  if (!options) {
    return undefined;
  }
  validateHostedZoneId(scope, options.hostedZoneId, { property: 'writerDnsRecord.hostedZoneId', zoneName: options.zoneName, example: 'Z...' });
  if (Token.isUnresolved(options.recordName)) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be a concrete fully qualified domain name (the global cluster identifier and the record are derived from it), got: ${options.recordName}`);
  }
  validateRecordInZone(options.recordName, options.zoneName);
  const name = options.recordName.replace(/\.$/, '');
  const ttl = options.ttl ?? Duration.seconds(30);
  return { hostedZoneId: options.hostedZoneId, recordName: name, ttl: ttl.toSeconds({ integral: false }), ttlDuration: ttl };
}

/**
 * The checks of a writer record that leave the construct buildable, collected on `scope` (one synth shows all): the name
 * is a host name, the TTL within Route 53's range, and no other construct of the app claims the name.
 * @internal
 */
export function validateDnsRecord(scope: IConstruct, dns: CheckedDns): void {
  validateDnsName(scope, dns.recordName, { property: 'writerDnsRecord.recordName', reason: 'clients connect to it as the database host' });
  validateTtl(scope, dns.ttlDuration, 'writerDnsRecord.ttl', { failover: false });
  claimRecordName(scope, dns.hostedZoneId, dns.recordName, 'writerDnsRecord.recordName');
}

/** Options objects a composing construct has already checked, with their errors collected on it. */
const CHECKED = new WeakSet<object>();

/**
 * Marks `options` as checked by the construct that received them (`AuroraGlobalFailover`), which passes the same object on
 * to a building block: the block then skips the collected checks, so an error is reported once, on the construct the
 * user created. Checks that throw run in the block again (they passed once, so they pass again).
 * @internal
 */
export function markChecked(options: object): void {
  CHECKED.add(options);
}

/** Whether `options` were checked by a composing construct (`markChecked`). @internal */
export function wasChecked(options: object): boolean {
  return CHECKED.has(options);
}

/**
 * With `zoneName`: the record name is a name inside the zone. Route 53 refuses a record outside its zone, and the writer
 * record is a CNAME, which cannot be the zone apex ("You can't create a CNAME record for example.com").
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
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be a name inside the hosted zone ${zone}, not the zone name itself (the writer record is a CNAME, and a CNAME cannot be at the zone apex), got: ${recordName}`);
  }
  if (!name.endsWith(`.${zone}`)) {
    throw new MultiRegionFailoverError(`\`writerDnsRecord.recordName\` must be inside the hosted zone ${zone}, got: ${recordName}`);
  }
}

/**
 * The trigger must have an independent "primary is down" signal that works when the primary region is gone:
 * an alarm of this account in the target region (a token is accepted unchecked).
 * @internal
 */
export function validateAutoFailover(options: AutoFailoverOptions | undefined, secondaries: string[],
  account: string): CheckedAutoFailover | undefined {
  if (!options) {
    return undefined;
  }
  const targetRegion = options.targetRegion ?? secondaries[0];
  if (!secondaries.includes(targetRegion)) {
    throw new MultiRegionFailoverError(`\`autoFailover.targetRegion\` must be one of the secondary regions (${secondaries.join(', ')}), got: ${targetRegion}`);
  }
  const arn = options.primaryHealthAlarmArn;
  const alarmArn = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:.+$/.exec(arn ?? '');
  if (arn === undefined || (!Token.isUnresolved(arn) && (!alarmArn || alarmArn[1] !== targetRegion || alarmArn[2] !== account))) {
    throw new MultiRegionFailoverError(`\`autoFailover.primaryHealthAlarmArn\` must be the ARN of a CloudWatch alarm of account ${account} in the target region ${targetRegion} `
      + `(an independent "primary is down" signal that still works when the primary region is gone), got: ${arn}`);
  }
  const lagThresholdMs = validatePositiveDuration(options.lagThreshold ?? Duration.minutes(1), 'autoFailover.lagThreshold', 'ms');
  const evaluationPeriods = validateInteger(options.evaluationPeriods ?? 5, 'autoFailover.evaluationPeriods', 1, 60);
  return { targetRegion, primaryHealthAlarmArn: arn, lagThresholdMs, evaluationPeriods };
}
