import { Token } from 'aws-cdk-lib';
import { MultiRegionFailoverError } from '../core/errors';

/**
 * The cache engines of an ElastiCache global datastore: "Global Datastore ... Valkey or Redis OSS cluster replication
 * across AWS Regions" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html).
 */
export enum GlobalCacheEngine {
  /** Valkey (the default). */
  VALKEY = 'valkey',
  /** Redis OSS. */
  REDIS = 'redis',
}

/**
 * What `GlobalCache` accepts, from AWS's "Prerequisites and limitations" of global datastores
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html):
 *
 * - node types: "Global datastores are supported on the following instance families in size large and above: M5, M6g,
 *   M7g, R5, R6g, R6gd, R7g, and C7gn. Previous generation instance types (such as M4 and R4) are not supported." So no
 *   burstable `t` nodes and nothing below `large`;
 * - regions: "You can set up replication for a primary cluster from one AWS Region to a secondary cluster in up to two
 *   other AWS Regions": a primary and 1 or 2 secondaries;
 * - engine versions: global datastores need "the Redis 5.0.6 engine or later"
 *   (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html); every Valkey version
 *   ElastiCache offers (7.2 and later) supports them.
 */
export class GlobalCacheSupport {
  /** Node families accepted for a global datastore (size `large` and above). */
  public static readonly NODE_FAMILIES: string[] = ['m5', 'm6g', 'm7g', 'r5', 'r6g', 'r6gd', 'r7g', 'c7gn'];
  /** Most regions of a global datastore: the primary and up to two secondaries. */
  public static readonly MAX_REGIONS = 3;
  /** Oldest Redis OSS version of a global datastore. */
  public static readonly MIN_REDIS_VERSION = '5.0.6';
  /** Oldest Valkey version ElastiCache offers (all support global datastores). */
  public static readonly MIN_VALKEY_VERSION = '7.2';
  /** Oldest Redis OSS version with role-based access control (user groups). */
  public static readonly MIN_REDIS_RBAC_VERSION = '6.0';
  /** Default engine version of Valkey. */
  public static readonly DEFAULT_VALKEY_VERSION = '8.0';
  /** Default engine version of Redis OSS. */
  public static readonly DEFAULT_REDIS_VERSION = '7.1';
  /**
   * Regions where AWS lists global datastores as available (same page): "Africa - Cape Town; Asia Pacific - Hong Kong,
   * Hyderabad, Jakarta, Malaysia, Melbourne, Mumbai, Osaka, Seoul, Singapore, Sydney, Thailand, and Tokyo; Canada -
   * Canada Central and Canada West (Calgary); China - Beijing and Ningxia; Europe - Frankfurt, London, Ireland, Milan,
   * Paris, Spain, Stockholm, and Zurich; AWS GovCloud - US-West and US-East; Israel - Tel Aviv; Middle East - Bahrain
   * and UAE; US - East (N. Virginia and Ohio) and US West (N. California and Oregon); South America - Mexico (Central) and
   * São Paulo". Another region gets a synth warning, not an error (AWS adds regions).
   */
  public static readonly REGIONS: string[] = [
    'af-south-1',
    'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-4', 'ap-south-1', 'ap-northeast-3', 'ap-northeast-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-7', 'ap-northeast-1',
    'ca-central-1', 'ca-west-1',
    'cn-north-1', 'cn-northwest-1',
    'eu-central-1', 'eu-west-2', 'eu-west-1', 'eu-south-1', 'eu-west-3', 'eu-south-2', 'eu-north-1', 'eu-central-2',
    'us-gov-west-1', 'us-gov-east-1',
    'il-central-1',
    'me-south-1', 'me-central-1',
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
    'mx-central-1', 'sa-east-1',
  ];

  private constructor() {}
}

/** A checked node type. @internal */
export interface CheckedNodeType {
  readonly nodeType: string;
  readonly family: string;
}

/**
 * `cache.<family>.<size>`: a family of `GlobalCacheSupport.NODE_FAMILIES` and a size of `large` or more (`large`,
 * `xlarge`, `<n>xlarge`).
 * @internal
 */
export function validateNodeType(nodeType: string): CheckedNodeType {
  if (Token.isUnresolved(nodeType)) {
    throw new MultiRegionFailoverError(`\`nodeType\` must be a concrete node type (it is checked against what global datastores support), got a token: ${nodeType}`);
  }
  const parts = /^cache\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  const family = parts?.[1];
  const size = parts?.[2];
  if (!family || !size || !GlobalCacheSupport.NODE_FAMILIES.includes(family) || !/^(large|xlarge|\d+xlarge)$/.test(size)) {
    throw new MultiRegionFailoverError(
      `\`nodeType\` must be a node type that global datastores support, cache.<family>.<size> with a family of ${GlobalCacheSupport.NODE_FAMILIES.join(', ')} `
      + `and a size of large or above, got: ${nodeType}`);
  }
  return { nodeType, family };
}

/** Compares dotted versions numerically: negative when a < b. @internal */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A checked engine: engine, version and the parameter group family of its default groups. @internal */
export interface CheckedEngine {
  readonly engine: GlobalCacheEngine;
  readonly version: string;
  /** e.g. `valkey8`, `redis7`, `redis6.x`, `redis5.0`. */
  readonly family: string;
  /** Whether the version has role-based access control (user groups). */
  readonly rbac: boolean;
}

/** @internal */
export function validateEngine(engine: GlobalCacheEngine, version: string): CheckedEngine {
  if (Token.isUnresolved(version) || !/^\d+\.\d+(\.\d+)?$/.test(version)) {
    throw new MultiRegionFailoverError(`\`engineVersion\` must be a version like 8.0 or 7.1 (major.minor, or major.minor.patch), got: ${version}`);
  }
  const min = engine === GlobalCacheEngine.VALKEY ? GlobalCacheSupport.MIN_VALKEY_VERSION : GlobalCacheSupport.MIN_REDIS_VERSION;
  if (compareVersions(version, min) < 0) {
    throw new MultiRegionFailoverError(
      `\`engineVersion\` must be ${min} or later for ${engine === GlobalCacheEngine.VALKEY ? 'Valkey' : 'Redis OSS'} global datastores, got: ${version}`);
  }
  const [major, minor] = version.split('.');
  let family: string;
  if (engine === GlobalCacheEngine.VALKEY) {
    family = `valkey${major}`;
  } else if (Number(major) >= 7) {
    family = `redis${major}`;
  } else if (major === '6') {
    family = 'redis6.x';
  } else {
    family = `redis${major}.${minor}`;
  }
  const rbac = engine === GlobalCacheEngine.VALKEY || compareVersions(version, GlobalCacheSupport.MIN_REDIS_RBAC_VERSION) >= 0;
  return { engine, version, family, rbac };
}

/** @internal */
export function validateInteger(value: number, property: string, min: number, max: number, reason: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MultiRegionFailoverError(`\`${property}\` must be an integer from ${min} to ${max} (${reason}), got: ${value}`);
  }
  return value;
}
