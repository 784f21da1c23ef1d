import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { GlobalCacheProps } from './props';
import {
  CheckedEngine, CheckedNodeType, GlobalCacheEngine, GlobalCacheSupport, validateEngine, validateInteger, validateNodeType,
} from './support';
import { validateAlarmTopicArns } from '../core/alarm-topics';
import { resolveAccount } from '../core/environment';
import { MultiRegionFailoverError } from '../core/errors';
import { validateStackNamePrefix } from '../core/naming';
import { partitionOf } from '../core/partition';
import { addError, addWarning, validateKnownRegions } from '../core/validation';

/** ElastiCache's limit on a replication group id. */
const REPLICATION_GROUP_ID_MAX = 40;
/** The most nodes one replication group may hold ("a maximum of 500 per cluster"). */
const MAX_NODES = 500;

/** Checked configuration shared by every region. @internal */
export interface Settings {
  readonly account: string;
  readonly cacheName: string;
  /** Whether `cacheName` came from the construct path (worth a warning). */
  readonly nameFromPath: boolean;
  readonly stackNamePrefix: string;
  readonly engine: CheckedEngine;
  readonly node: CheckedNodeType;
  readonly shards: number;
  readonly clusterMode: boolean;
  readonly replicasPerShard: number;
  readonly port: number;
  /** The user group id (RBAC), or undefined for an AUTH token. */
  readonly userGroupId?: string;
  /** The AUTH token secret's name (same in every region), or undefined with a user group. */
  readonly authSecretName?: string;
  readonly subnets: ec2.SubnetSelection;
  readonly clientEndpoints: boolean;
  readonly snapshotDays: number;
  readonly removalPolicy?: RemovalPolicy;
  /** Keys and log groups: DESTROY only when asked. */
  readonly keyRemoval: RemovalPolicy;
  readonly lagSeconds: number;
  readonly pollInterval: Duration;
  readonly maxPollAttempts: number;
  /** `<cacheName>-<region>` per region. */
  readonly replicationGroupIds: { [region: string]: string };
  /** The ARN of each region's replication group. */
  readonly replicationGroupArns: { [region: string]: string };
}

/** A letter first, letters, digits and single hyphens, no hyphen at the end (ElastiCache's replication group id rules). */
const NAME_PATTERN = /^[a-z](?:-?[a-z0-9])*$/;

/**
 * The cache name: the prop, or a deterministic name from the construct path. ElastiCache replication group ids: "A
 * name must contain from 1 to 40 alphanumeric characters or hyphens. The first character must be a letter. A name
 * cannot end with a hyphen or contain two consecutive hyphens" and are stored in lower case
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html);
 * `<cacheName>-<region>` must fit the 40 characters for every region.
 */
function resolveCacheName(scope: Construct, props: GlobalCacheProps, regions: string[]): { name: string; fromPath: boolean } {
  const longestRegion = Math.max(...regions.map((r) => r.length));
  const max = REPLICATION_GROUP_ID_MAX - 1 - longestRegion;
  if (props.cacheName !== undefined) {
    const name = props.cacheName;
    if (Token.isUnresolved(name)) {
      throw new MultiRegionFailoverError(`\`cacheName\` must be a concrete string (secondary regions name their replication groups after it), got a token: ${name}`);
    }
    if (!NAME_PATTERN.test(name.toLowerCase()) || name.length > max) {
      throw new MultiRegionFailoverError(`\`cacheName\` must be 1 to ${max} letters, digits or single hyphens, starting with a letter and not ending with a hyphen `
        + `(so that "<cacheName>-<region>" fits ElastiCache's ${REPLICATION_GROUP_ID_MAX}-character replication group id), got: ${name}`);
    }
    return { name: name.toLowerCase(), fromPath: false };
  }
  let id = Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' }).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '');
  if (id.length > max) {
    id = id.slice(id.length - max).replace(/^[^a-z]+/, '');
  }
  return { name: id.replace(/-+/g, '-').replace(/-+$/, '') || 'cache', fromPath: true };
}

/** The regions: 2 or 3 (a primary and up to two secondaries), then the shared checks. @internal */
export function checkRegionCount(regions: string[]): void {
  if (Array.isArray(regions) && regions.length > GlobalCacheSupport.MAX_REGIONS) {
    throw new MultiRegionFailoverError(`\`regions\` allows at most ${GlobalCacheSupport.MAX_REGIONS} regions: a primary and up to two secondaries `
      + `(AWS: replication "to a secondary cluster in up to two other AWS Regions"), got: ${regions.length}`);
  }
}

/** Checks the props; errors that leave the construct buildable are collected on `scope`. @internal */
export function resolveSettings(scope: Construct, props: GlobalCacheProps, regions: string[]): Settings {
  validateKnownRegions(scope, regions, 'regions');
  for (const region of regions.filter((r) => !GlobalCacheSupport.REGIONS.includes(r))) {
    addWarning(scope, 'cdk-multi-region-failover:global-datastore-region',
      `\`regions\` holds ${region}, which AWS does not list among the regions of global datastores `
      + '(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html): the deployment may fail there');
  }
  const account = resolveAccount(scope, props.account);
  const engine = validateEngine(props.engine ?? GlobalCacheEngine.VALKEY, props.engineVersion
    ?? (props.engine === GlobalCacheEngine.REDIS ? GlobalCacheSupport.DEFAULT_REDIS_VERSION : GlobalCacheSupport.DEFAULT_VALKEY_VERSION));
  const node = validateNodeType(props.nodeType ?? 'cache.r7g.large');
  const shards = validateInteger(props.shards ?? 1, 'shards', 1, MAX_NODES, 'node groups of each replication group');
  const clusterMode = props.clusterMode ?? shards > 1;
  if (!clusterMode && shards > 1) {
    throw new MultiRegionFailoverError(`\`shards\` must be 1 without \`clusterMode\` (cluster mode disabled has one node group), got: ${shards}`);
  }
  const replicasPerShard = validateInteger(props.replicasPerShard ?? 1, 'replicasPerShard', 1, 5,
    'at least one replica for Multi-AZ with automatic failover in each region, at most 5');
  if (shards * (1 + replicasPerShard) > MAX_NODES) {
    throw new MultiRegionFailoverError(`\`shards\` × (1 + \`replicasPerShard\`) must be at most ${MAX_NODES} nodes per replication group, `
      + `got: ${shards} × ${1 + replicasPerShard} = ${shards * (1 + replicasPerShard)}`);
  }
  const port = validateInteger(props.port ?? 6380, 'port', 1024, 65535, 'a TCP port above the well-known range');
  const userGroupId = props.auth?.userGroupId;
  if (userGroupId !== undefined) {
    if (!engine.rbac) {
      throw new MultiRegionFailoverError(`\`auth\` with a user group needs Valkey or Redis OSS ${GlobalCacheSupport.MIN_REDIS_RBAC_VERSION} or later (role-based access control), got: Redis OSS ${engine.version}`);
    }
    if (!Token.isUnresolved(userGroupId) && !/^[a-z][a-z0-9-]*$/.test(userGroupId)) {
      addError(scope, `\`auth\` user group id must match [a-z][a-z0-9-]* (AWS::ElastiCache::UserGroup UserGroupId), got: ${userGroupId}`);
    }
  }
  const { name: cacheName, fromPath } = resolveCacheName(scope, props, regions);
  validateAlarmTopicArns(scope, props.alarmTopicArns, regions, account);
  const snapshotDays = validateInteger((props.snapshotRetention ?? Duration.days(1)).toDays(), 'snapshotRetention', 0, 35, 'days of automatic snapshots');
  const lag = props.replicationLagThreshold ?? Duration.seconds(1);
  const lagSeconds = lag.toSeconds({ integral: false });
  if (!(lagSeconds > 0)) {
    throw new MultiRegionFailoverError(`\`replicationLagThreshold\` must be greater than 0 s, got: ${lagSeconds} s`);
  }
  const pollInterval = props.pollInterval ?? Duration.seconds(15);
  const pollSeconds = pollInterval.toSeconds({ integral: false });
  if (!(Number.isInteger(pollSeconds) && pollSeconds >= 1)) {
    throw new MultiRegionFailoverError(`\`pollInterval\` must be a whole number of seconds, at least 1 s, got: ${pollSeconds} s`);
  }
  const replicationGroupIds: { [region: string]: string } = {};
  const replicationGroupArns: { [region: string]: string } = {};
  for (const region of regions) {
    replicationGroupIds[region] = `${cacheName}-${region}`;
    replicationGroupArns[region] = `arn:${partitionOf(region)}:elasticache:${region}:${account}:replicationgroup:${cacheName}-${region}`;
  }
  return {
    account,
    cacheName,
    nameFromPath: fromPath,
    stackNamePrefix: props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : cacheName,
    engine,
    node,
    shards,
    clusterMode,
    replicasPerShard,
    port,
    userGroupId,
    authSecretName: userGroupId === undefined ? `cdk-multi-region-failover/${cacheName}/auth-token` : undefined,
    subnets: props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    clientEndpoints: props.clientEndpoints ?? true,
    snapshotDays,
    removalPolicy: props.removalPolicy,
    keyRemoval: props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    lagSeconds,
    pollInterval,
    maxPollAttempts: validateInteger(props.maxPollAttempts ?? 60, 'maxPollAttempts', 1, 1000, 'status polls'),
    replicationGroupIds,
    replicationGroupArns,
  };
}
