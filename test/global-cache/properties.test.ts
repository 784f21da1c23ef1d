import { Duration } from 'aws-cdk-lib';
import { CfnReplicationGroup } from 'aws-cdk-lib/aws-elasticache';
import * as fc from 'fast-check';
import { build } from './helpers';
import { FailoverErrors } from '../../src';

// Property-based tests: arbitrary sizing and node types either build the global datastore AWS documents or fail with
// this library's error naming the prop; never another exception, never a silently different template.
// Global datastores: "M5, M6g, M7g, R5, R6g, R6gd, R7g, and C7gn … in size large and above"; every member "should have
// the same number of primary nodes, node type, engine version, and number of shards"
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html);
// ReplicasPerNodeGroup 0–5 (this library: at least 1, for Multi-AZ), at most 500 nodes per replication group.

function outcome(f: () => unknown): { ok: true; value: any } | { ok: false; message: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!FailoverErrors.isFailoverError(e)) throw e;
    return { ok: false, message: (e as Error).message };
  }
}

const SUPPORTED = ['m5', 'm6g', 'm7g', 'r5', 'r6g', 'r6gd', 'r7g', 'c7gn'];

describe('GlobalCache properties', () => {
  test('nodeType is accepted exactly when its family is supported and its size is large or above', () => {
    const family = fc.constantFrom(...SUPPORTED, 't3', 't4g', 'm4', 'r4', 'x9');
    const size = fc.constantFrom('micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '12xlarge');
    fc.assert(fc.property(family, size, (f, s) => {
      const nodeType = `cache.${f}.${s}`;
      const r = outcome(() => build({ nodeType }));
      const valid = SUPPORTED.includes(f) && !['micro', 'small', 'medium'].includes(s);
      expect(r.ok).toBe(valid);
      if (!r.ok) expect(r.message).toMatch(/^`nodeType` must be a node type that global datastores support/);
    }), { numRuns: 25 });
  });

  test('shards and replicas: accepted within AWS\'s limits, and every member carries exactly them', () => {
    fc.assert(fc.property(fc.integer({ min: -1, max: 130 }), fc.integer({ min: -1, max: 7 }), fc.boolean(), (shards, replicas, clusterMode) => {
      const r = outcome(() => build({ shards, replicasPerShard: replicas, clusterMode }));
      const valid = shards >= 1 && replicas >= 1 && replicas <= 5 && (clusterMode || shards === 1) && shards * (1 + replicas) <= 500;
      expect(r.ok).toBe(valid);
      if (!r.ok) {
        expect(r.message).toMatch(/^`(shards|replicasPerShard)`/);
        return;
      }
      const { cache } = r.value;
      const groups = cache.primaryStack.node.findAll().filter((c: any) => c instanceof CfnReplicationGroup) as CfnReplicationGroup[];
      expect(groups).toHaveLength(1);
      expect([groups[0].numNodeGroups ?? 1, groups[0].replicasPerNodeGroup ?? groups[0].numCacheClusters! - 1]).toEqual([shards, replicas]);
    }), { numRuns: 25 });
  });

  test('the estimate: typical ≤ budget, and an RTO objective passes exactly when it is at least the budget', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 900 }), (objective) => {
      const budget = build().cache.recoveryEstimate;
      expect(budget.typicalRto.toSeconds()).toBeLessThanOrEqual(budget.rto.toSeconds());
      const r = outcome(() => build({ recoveryObjectives: { rto: Duration.seconds(objective) } }));
      expect(r.ok).toBe(objective >= budget.rto.toSeconds());
    }), { numRuns: 8 });
  });
});
