import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { MultiRegionFailoverError } from '../core/errors';

/**
 * Which engines, major versions and instance classes `AuroraGlobalFailover` accepts.
 *
 * Aurora global databases run on Aurora PostgreSQL and Aurora MySQL only (not Aurora MySQL 1 / `aurora`,
 * not Aurora Serverless v1), on memory-optimized instance classes (AWS: "An Aurora global database requires
 * DB instance classes that are optimized for memory-intensive applications ... db.r5 or higher"); burstable
 * `db.t*` classes are refused. The lists below are this library's allow-lists: major versions that support
 * global databases and that aws-cdk-lib 2.245 ships.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html
 */
export class AuroraGlobalSupport {
  /** Aurora PostgreSQL major versions accepted for a global database. */
  public static readonly POSTGRES_MAJOR_VERSIONS: string[] = ['13', '14', '15', '16', '17'];
  /** Aurora MySQL major versions accepted for a global database (Aurora MySQL 3 = MySQL 8.0). */
  public static readonly MYSQL_MAJOR_VERSIONS: string[] = ['8.0'];
  /** Instance class families accepted for a global database (memory-optimized). */
  public static readonly INSTANCE_CLASSES: string[] = ['r5', 'r6g', 'r6gd', 'r6i', 'r6id', 'r7g', 'r7i', 'r8g', 'r8gd', 'x2g'];
  /** Smallest value of the managed RPO (`rds.global_db_rpo`), Aurora PostgreSQL only. */
  public static readonly MIN_MANAGED_RPO: Duration = Duration.seconds(20);

  private constructor() {}
}

/** The engine type and full version of a checked engine. @internal */
export interface CheckedEngine {
  readonly engineType: string;
  readonly fullVersion: string;
  readonly isPostgres: boolean;
}

/** @internal */
export function validateEngine(engine: rds.IClusterEngine): CheckedEngine {
  const type = engine.engineType;
  if (type !== 'aurora-postgresql' && type !== 'aurora-mysql') {
    throw new MultiRegionFailoverError(`\`engine\` must be Aurora PostgreSQL or Aurora MySQL (the engines of Aurora global databases), got: ${type}`);
  }
  const version = engine.engineVersion;
  if (!version || !version.fullVersion) {
    throw new MultiRegionFailoverError(`\`engine\` must name an engine version (every member of a global database runs the same version), got: ${type} without a version`);
  }
  const isPostgres = type === 'aurora-postgresql';
  const allowed = isPostgres ? AuroraGlobalSupport.POSTGRES_MAJOR_VERSIONS : AuroraGlobalSupport.MYSQL_MAJOR_VERSIONS;
  if (!allowed.includes(version.majorVersion)) {
    throw new MultiRegionFailoverError(
      `\`engine\` version must be a major version that supports Aurora global databases (${type}: ${allowed.join(', ')}), got: ${version.fullVersion}`);
  }
  return { engineType: type, fullVersion: version.fullVersion, isPostgres };
}

/** @internal */
export function validateInstanceType(instanceType: ec2.InstanceType): void {
  const name = instanceType.toString();
  const family = name.split('.')[0];
  if (!AuroraGlobalSupport.INSTANCE_CLASSES.includes(family)) {
    throw new MultiRegionFailoverError(
      `\`instanceType\` must be a memory-optimized class supported by Aurora global databases (${AuroraGlobalSupport.INSTANCE_CLASSES.join(', ')}), got: ${name}`);
  }
}

/**
 * Identifier rules shared by global clusters and DB clusters: a letter first, then letters, digits and single
 * hyphens, no trailing hyphen. The global identifier is at most 48 characters so that
 * `<global id>-<region>` stays within the 63-character cluster identifier limit.
 * @internal
 */
export function validateGlobalClusterIdentifier(id: string): string {
  if (Token.isUnresolved(id)) {
    throw new MultiRegionFailoverError(`\`globalClusterIdentifier\` must be a concrete string (secondary regions refer to it by name), got a token: ${id}`);
  }
  if (!/^[a-zA-Z](?:-?[a-zA-Z0-9])*$/.test(id) || id.length > 48) {
    throw new MultiRegionFailoverError(
      `\`globalClusterIdentifier\` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: ${id}`);
  }
  return id.toLowerCase();
}

/** A deterministic identifier from a construct path: lower case, hyphen-separated, ≤ 48 characters. @internal */
export function identifierFromUniqueName(uniqueName: string): string {
  let id = uniqueName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(id)) {
    id = `g-${id}`;
  }
  if (id.length > 48) {
    id = id.slice(id.length - 48).replace(/^[^a-z]+/, '');
  }
  return id.replace(/-+$/, '');
}

/** @internal */
export function validatePositiveDuration(d: Duration, property: string, unit: 'ms' | 's'): number {
  if (d.isUnresolved()) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a concrete duration, got a token`);
  }
  const value = unit === 'ms' ? d.toMilliseconds() : d.toSeconds();
  if (!(value > 0)) {
    throw new MultiRegionFailoverError(`\`${property}\` must be greater than 0 ${unit}, got: ${value} ${unit}`);
  }
  return value;
}

/** @internal */
export function validateInteger(value: number, property: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MultiRegionFailoverError(`\`${property}\` must be an integer between ${min} and ${max}, got: ${value}`);
  }
  return value;
}
