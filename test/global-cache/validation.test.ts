import { App, CfnParameter, Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ACCOUNT, build, template } from './helpers';
import { GlobalCache, GlobalCacheAuth, GlobalCacheEngine, GlobalCacheSupport } from '../../src/global-cache';

/** A string token (a CloudFormation parameter's value). */
class CfnParameterLike {
  public readonly value: string;
  constructor(scope: Construct) {
    this.value = new CfnParameter(scope, 'P').valueAsString;
  }
}

describe('GlobalCache recovery estimate and objectives', () => {
  test('manual promotion: 0 s operator time + 10 s + 5 min promotion (assumption) + poll; RPO unbounded, typical 1 s', () => {
    const { cache } = build();
    const e = cache.recoveryEstimate;
    expect(e.rto.toSeconds()).toBe(325);
    expect(e.typicalRto.toSeconds()).toBe(85);
    expect(e.rpoBounded).toBe(false);
    expect(e.rpo).toBeUndefined();
    expect(e.typicalRpo.toSeconds()).toBe(1);
    expect(e.explanation).toBe('ElastiCache global datastore promotion (manual): RTO budget 5 min 25 s, typical 85 s = manual start (operator time not counted) 0 s '
      + '+ pre-checks and API call 10 s [assumption] + global datastore promotion 5 min (typical 60 s) [assumption] + status poll interval 15 s; '
      + 'RPO unbounded (asynchronous cross-Region replication; the GlobalDatastoreReplicationLag alarm at 1 s warns but does not stop writes), typical 1 s');
  });

  test('recoveryAssumptions.cachePromotion replaces the assumed promotion time', () => {
    const { cache } = build({ recoveryAssumptions: { cachePromotion: Duration.minutes(2) }, pollInterval: Duration.seconds(5) });
    expect(cache.recoveryEstimate.rto.toSeconds()).toBe(135);
  });

  test('an RTO objective below the budget fails, naming the floor no setting changes', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(4) } })).toThrow(
      /^GlobalCache: `recoveryObjectives.rto` of 4 min cannot be met, the RTO budget is 5 min 25 s .*; no setting of this construct can meet it: .*global datastore promotion alone takes 5 min/);
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(6) } })).not.toThrow();
  });

  test('any RPO objective fails: replication is asynchronous and nothing bounds it', () => {
    expect(() => build({ recoveryObjectives: { rpo: Duration.seconds(30) } })).toThrow(
      'GlobalCache: `recoveryObjectives.rpo` of 30 s cannot be met, the RPO is unbounded: asynchronous cross-Region replication; the GlobalDatastoreReplicationLag alarm '
      + 'at 1 s warns but does not stop writes (typical 1 s); remove `recoveryObjectives.rpo`');
  });
});

describe('GlobalCache accounts and names', () => {
  test('under a Stage the account comes from the Stage', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: { account: '222222222222' } });
    const cache = new GlobalCache(stage, 'Sessions', { regions: ['us-east-1', 'us-west-2'], cacheName: 'sessions' });
    expect(cache.stacks.map((s) => s.account)).toEqual(['222222222222', '222222222222']);
  });

  test('without cacheName: derived from the construct path, with a warning that names the prop', () => {
    const app = new App();
    const cache = new GlobalCache(app, 'Sessions', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] });
    expect(cache.cacheName).toMatch(/^sessions-[a-z0-9]+$/);
    Annotations.fromStack(cache.primaryStack).hasWarning('*', Match.stringLikeRegexp('Set `cacheName` to pin the name'));
  });

  test('a region AWS does not list for global datastores warns (it may deploy later)', () => {
    const app = new App();
    const cache = new GlobalCache(app, 'Sessions', { account: ACCOUNT, regions: ['us-east-1', 'ap-east-2'], cacheName: 'sessions' });
    app.synth();
    // In the assembly (the first regional stack), so `cdk synth --strict` sees it and it can be acknowledged.
    const found = Annotations.fromStack(cache.primaryStack)
      .findWarning('*', Match.stringLikeRegexp('^`regions` holds ap-east-2, which AWS does not list among the regions of global datastores'));
    expect(found).toHaveLength(1);
  });

  test('removalPolicy DESTROY: replication groups, keys and the secret are deleted with their stacks', () => {
    const { cache } = build({ removalPolicy: RemovalPolicy.DESTROY });
    template(cache, 'us-east-1').hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Delete' });
    template(cache, 'us-east-1').hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template(cache, 'us-east-1').hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });
});

describe('GlobalCache validation (exact messages)', () => {
  test.each([
    ['cache.t4g.micro'],
    ['cache.t3.medium'],
    ['cache.m4.large'],
    ['cache.r7g.medium'],
    ['cache.r7i.large'],
    ['r7g.large'],
  ])('node type %s is refused', (nodeType) => {
    expect(() => build({ nodeType })).toThrow(
      `\`nodeType\` must be a node type that global datastores support, cache.<family>.<size> with a family of ${GlobalCacheSupport.NODE_FAMILIES.join(', ')} `
      + `and a size of large or above, got: ${nodeType}`);
  });

  test.each([['cache.m5.large'], ['cache.m6g.large'], ['cache.m7g.xlarge'], ['cache.r5.2xlarge'], ['cache.r7g.16xlarge'], ['cache.c7gn.large']])(
    'node type %s is accepted', (nodeType) => {
      expect(() => build({ nodeType })).not.toThrow();
    });

  test('shards', () => {
    expect(() => build({ shards: 0 })).toThrow('`shards` must be an integer from 1 to 500 (node groups of each replication group), got: 0');
    expect(() => build({ shards: 2.5 })).toThrow('`shards` must be an integer from 1 to 500 (node groups of each replication group), got: 2.5');
    expect(() => build({ shards: 3, clusterMode: false })).toThrow('`shards` must be 1 without `clusterMode` (cluster mode disabled has one node group), got: 3');
    expect(() => build({ shards: 200, replicasPerShard: 2 })).toThrow('`shards` × (1 + `replicasPerShard`) must be at most 500 nodes per replication group, got: 200 × 3 = 600');
  });

  test('replicas per shard: at least one (Multi-AZ), at most 5', () => {
    expect(() => build({ replicasPerShard: 0 })).toThrow(
      '`replicasPerShard` must be an integer from 1 to 5 (at least one replica for Multi-AZ with automatic failover in each region, at most 5), got: 0');
    expect(() => build({ replicasPerShard: 6 })).toThrow(
      '`replicasPerShard` must be an integer from 1 to 5 (at least one replica for Multi-AZ with automatic failover in each region, at most 5), got: 6');
  });

  test('regions: 2 or 3, distinct, known', () => {
    expect(() => build({}, 4)).toThrow(
      '`regions` allows at most 3 regions: a primary and up to two secondaries (AWS: replication "to a secondary cluster in up to two other AWS Regions"), got: 4');
    expect(() => build({}, 1)).toThrow('`regions` needs at least 2 regions (the first is the primary), got: 1');
    expect(() => build({ regions: ['us-east-1', 'us-east-1'] })).toThrow('`regions` must not repeat a region, got us-east-1 twice');
    expect(() => build({ regions: ['us-east-1', 'mars-1'] })).toThrow('`regions` holds an invalid region name, got: mars-1');
    const { app } = build({ regions: ['us-east-1', 'us-west-9'] });
    expect(() => app.synth()).toThrow('Validation failed with the following errors:\n  [Sessions] `regions` holds us-west-9, which is not an AWS region '
      + '(aws-cdk-lib\'s region list has no such region; for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key '
      + '"cdk-multi-region-failover:extraRegions")');
  });

  test('engine versions', () => {
    expect(() => build({ engine: GlobalCacheEngine.REDIS, engineVersion: '5.0.5' })).toThrow('`engineVersion` must be 5.0.6 or later for Redis OSS global datastores, got: 5.0.5');
    expect(() => build({ engineVersion: '7.0' })).toThrow('`engineVersion` must be 7.2 or later for Valkey global datastores, got: 7.0');
    expect(() => build({ engineVersion: 'latest' })).toThrow('`engineVersion` must be a version like 8.0 or 7.1 (major.minor, or major.minor.patch), got: latest');
    expect(() => build({ engine: GlobalCacheEngine.REDIS, engineVersion: '5.0.6', auth: GlobalCacheAuth.userGroup('app') })).toThrow(
      '`auth` with a user group needs Valkey or Redis OSS 6.0 or later (role-based access control), got: Redis OSS 5.0.6');
    const old = build({ engine: GlobalCacheEngine.REDIS, engineVersion: '6.2', clusterMode: true }).cache;
    template(old, 'us-east-1').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheParameterGroupName: 'default.redis6.x.cluster.on' });
  });

  test('cache name: ElastiCache\'s replication group id rules, <cacheName>-<region> within 40 characters', () => {
    // us-east-1 and us-west-2: 40 - 1 - 9 = 30 characters.
    expect(() => build({ cacheName: 'a-very-long-cache-name-over-40c' })).toThrow(
      '`cacheName` must be 1 to 30 letters, digits or single hyphens, starting with a letter and not ending with a hyphen '
      + '(so that "<cacheName>-<region>" fits ElastiCache\'s 40-character replication group id), got: a-very-long-cache-name-over-40c');
    expect(() => build({ cacheName: 'a-very-long-cache-name-over-30' })).not.toThrow();
    // ap-southeast-2 (14 characters) leaves 25.
    expect(() => build({ cacheName: 'a-very-long-cache-name-over-30', regions: ['us-east-1', 'ap-southeast-2'] })).toThrow(/`cacheName` must be 1 to 25 letters/);
    expect(() => build({ cacheName: '1st' })).toThrow(/`cacheName` must be 1 to 30 letters/);
    expect(() => build({ cacheName: 'a--b' })).toThrow(/`cacheName` must be 1 to 30 letters/);
    expect(() => build({ cacheName: 'ab-' })).toThrow(/`cacheName` must be 1 to 30 letters/);
    expect(build({ cacheName: 'Sessions' }).cache.cacheName).toBe('sessions');
  });

  test('other props', () => {
    expect(() => build({ port: 80 })).toThrow('`port` must be an integer from 1024 to 65535 (a TCP port above the well-known range), got: 80');
    expect(() => build({ snapshotRetention: Duration.days(36) })).toThrow('`snapshotRetention` must be an integer from 0 to 35 (days of automatic snapshots), got: 36');
    expect(() => build({ replicationLagThreshold: Duration.seconds(0) })).toThrow('`replicationLagThreshold` must be greater than 0 s, got: 0 s');
    expect(() => build({ pollInterval: Duration.millis(500) })).toThrow('`pollInterval` must be a whole number of seconds, at least 1 s, got: 0.5 s');
    expect(() => build({ recoveryAssumptions: { cachePromotion: Duration.seconds(0) } })).toThrow(
      '`recoveryAssumptions.cachePromotion` must be a concrete duration above 0 s, got: 0 s');
    const { cache } = build();
    expect(() => cache.regionalResources('eu-west-1')).toThrow('`region` must be one of the regions of this global datastore (us-east-1, us-west-2), got: eu-west-1');
  });

  test('tokens where a concrete value is needed, and a malformed user group id (collected)', () => {
    const app = new App();
    const host = new Stack(app, 'Host');
    const token = new CfnParameterLike(host).value;
    expect(() => build({ cacheName: token })).toThrow(/^`cacheName` must be a concrete string \(secondary regions name their replication groups after it\), got a token: /);
    expect(() => build({ nodeType: token })).toThrow(/^`nodeType` must be a concrete node type \(it is checked against what global datastores support\), got a token: /);
    const bad = build({ auth: GlobalCacheAuth.userGroup('App_Users') });
    expect(() => bad.app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Sessions] `auth` user group id must match [a-z][a-z0-9-]* (AWS::ElastiCache::UserGroup UserGroupId), got: App_Users');
  });

  test('inside a Stack: refused (the construct creates its own stacks)', () => {
    const app = new App();
    const stack = new Stack(app, 'Host');
    expect(() => new GlobalCache(stack, 'Sessions', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] })).toThrow(
      'GlobalCache creates one Stack per region and must be created under an App or a Stage, not inside the Stack Host');
  });
});
