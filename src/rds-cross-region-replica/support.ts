import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { MultiRegionFailoverError } from '../core/errors';

/**
 * What `RdsCrossRegionReplica` accepts, with the AWS statements behind each limit.
 *
 * - Engines: RDS for PostgreSQL and RDS for MySQL (both support encrypted cross-Region read replicas:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html).
 * - At most 5 replica regions: "Due to the limit on the number of access control list (ACL) entries for a VPC, we can't
 *   guarantee more than five cross-Region read replica instances" (same page, cross-Region replication considerations).
 * - gp3 storage of 20 to 65536 GiB: "General Purpose (SSD) storage (gp2, gp3): Must be an integer from 20 to 65536" for
 *   RDS for MySQL and RDS for PostgreSQL (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html).
 * - Backups on the source: "The specified DB instance must have automatic backups enabled, that is, its backup
 *   retention period must be greater than 0" (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html).
 */
export class RdsCrossRegionReplicaSupport {
  /** Engine types accepted (`rds.IInstanceEngine.engineType`). */
  public static readonly ENGINES: string[] = ['postgres', 'mysql'];
  /** Most regions: the primary plus 5 replica regions. */
  public static readonly MAX_REGIONS: number = 6;
  /** Smallest gp3 allocation (GiB). */
  public static readonly MIN_STORAGE_GIB: number = 20;
  /** Largest gp3 allocation (GiB). */
  public static readonly MAX_STORAGE_GIB: number = 65536;
  /** Longest automated backup retention RDS accepts (days). */
  public static readonly MAX_BACKUP_RETENTION: Duration = Duration.days(35);

  private constructor() {}
}

/** The engine facts the construct needs. @internal */
export interface CheckedInstanceEngine {
  readonly engineType: string;
  readonly fullVersion: string;
  readonly family: string;
  readonly isPostgres: boolean;
  /** The engine's default port, kept in every region. */
  readonly port: number;
  /** CloudWatch Logs exports of every instance. */
  readonly logExports: string[];
  /** The parameter that refuses unencrypted connections. */
  readonly tlsParameter: { [name: string]: string };
}

/**
 * Checks the engine: RDS for PostgreSQL or MySQL with a version (the parameter group family comes from it).
 * TLS: `rds.force_ssl = 1` (PostgreSQL, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html)
 * and `require_secure_transport = ON` (MySQL, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html).
 * @internal
 */
export function checkEngine(engine: rds.IInstanceEngine): CheckedInstanceEngine {
  const type = engine.engineType;
  if (!RdsCrossRegionReplicaSupport.ENGINES.includes(type)) {
    throw new MultiRegionFailoverError(`\`engine\` must be RDS for PostgreSQL or RDS for MySQL, got: ${type}`);
  }
  const version = engine.engineVersion?.fullVersion;
  if (!version || !engine.parameterGroupFamily) {
    throw new MultiRegionFailoverError(`\`engine\` must name an engine version (every region's parameter group uses its family), got: ${type} without a version`);
  }
  const isPostgres = type === 'postgres';
  return {
    engineType: type,
    fullVersion: version,
    family: engine.parameterGroupFamily,
    isPostgres,
    port: isPostgres ? 5432 : 3306,
    logExports: isPostgres ? ['postgresql', 'upgrade'] : ['error', 'general', 'slowquery'],
    tlsParameter: isPostgres ? { 'rds.force_ssl': '1' } : { require_secure_transport: 'ON' },
  };
}

/**
 * The base identifier: a letter first, then letters, digits and single hyphens, no trailing hyphen, at most 48
 * characters so that `<id>-<region>` fits the 63 characters of a DB instance identifier ("Must contain from 1 to 63
 * letters, numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive
 * hyphens", https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html). RDS stores it in
 * lower case.
 * @internal
 */
export function validateInstanceIdentifier(id: string): string {
  if (Token.isUnresolved(id) || !/^[a-zA-Z](?:-?[a-zA-Z0-9])*$/.test(id) || id.length > 48) {
    throw new MultiRegionFailoverError('`instanceIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen '
      + `(instances are named <instanceIdentifier>-<region>, at most 63 characters), got: ${id}`);
  }
  return id.toLowerCase();
}

/** Backup retention in whole days, 1 to 35. @internal */
export function validateBackupRetention(retention: Duration): number {
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1 || days > 35) {
    throw new MultiRegionFailoverError('`backupRetention` must be 1 to 35 days: the primary is the source of read replicas, which needs automated backups '
      + `(a retention period greater than 0), got: ${days} days`);
  }
  return days;
}

/** gp3 allocation and autoscaling ceiling. @internal */
export function validateStorage(allocated: number, max: number | undefined): void {
  const { MIN_STORAGE_GIB: lo, MAX_STORAGE_GIB: hi } = RdsCrossRegionReplicaSupport;
  if (!Number.isInteger(allocated) || allocated < lo || allocated > hi) {
    throw new MultiRegionFailoverError(`\`allocatedStorage\` must be an integer from ${lo} to ${hi} GiB (gp3), got: ${allocated}`);
  }
  if (max !== undefined && (!Number.isInteger(max) || max <= allocated || max > hi)) {
    throw new MultiRegionFailoverError(`\`maxAllocatedStorage\` must be an integer greater than \`allocatedStorage\` (${allocated}) and at most ${hi} GiB, got: ${max}`);
  }
}

/**
 * Deletion protection consistent with the removal policy: CloudFormation cannot delete a protected instance.
 * @internal
 */
export function resolveInstanceDeletionProtection(deletionProtection: boolean | undefined, removalPolicy: RemovalPolicy | undefined): boolean {
  const destroy = removalPolicy === RemovalPolicy.DESTROY;
  if (destroy && deletionProtection === true) {
    throw new MultiRegionFailoverError('`deletionProtection` must be false when `removalPolicy` is RemovalPolicy.DESTROY '
      + '(CloudFormation cannot delete a protected DB instance, so deleting the stacks would fail), got: true');
  }
  return deletionProtection ?? !destroy;
}

/** `ReplicaLag` threshold in whole seconds, at least 1 (the metric's unit). @internal */
export function validateLagThreshold(threshold: Duration): number {
  const seconds = threshold.isUnresolved() ? NaN : threshold.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new MultiRegionFailoverError(`\`replicaLagThreshold\` must be a whole number of seconds of at least 1 (ReplicaLag is reported in seconds), got: ${seconds} s`);
  }
  return seconds;
}
