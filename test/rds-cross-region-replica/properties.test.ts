import { Duration } from 'aws-cdk-lib';
import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import * as fc from 'fast-check';
import { build } from './helpers';
import { FailoverErrors } from '../../src';

// Property-based tests: arbitrary storage, backup retention and region counts either build what AWS documents or fail
// with this library's error naming the prop; never another exception, never a silently different template.
// gp3 storage "Must be an integer from 20 to 65536" (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html);
// a read replica's source "must have automatic backups enabled, that is, its backup retention period must be greater
// than 0" (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html), at most 35 days.

function outcome(f: () => unknown): { ok: true; value: any } | { ok: false; message: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!FailoverErrors.isFailoverError(e)) throw e;
    return { ok: false, message: (e as Error).message };
  }
}

function primaryInstance(db: any): CfnDBInstance {
  const all = db.regionalResources('us-east-1').stack.node.findAll().filter((c: any) => c instanceof CfnDBInstance) as CfnDBInstance[];
  expect(all).toHaveLength(1);
  return all[0];
}

describe('RdsCrossRegionReplica properties', () => {
  test('allocatedStorage / maxAllocatedStorage: accepted exactly within gp3\'s 20–65536 GiB, and the primary gets them', () => {
    const storage = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.integer({ min: 65530, max: 65540 }), fc.double({ min: 19, max: 25, noNaN: true }));
    fc.assert(fc.property(storage, fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }), (allocated, max) => {
      const r = outcome(() => build({ allocatedStorage: allocated, maxAllocatedStorage: max }));
      const okAllocated = Number.isInteger(allocated) && allocated >= 20 && allocated <= 65536;
      const okMax = max === undefined || (max > allocated && max <= 65536);
      expect(r.ok).toBe(okAllocated && okMax);
      if (!r.ok) {
        expect(r.message).toMatch(/^`(allocatedStorage|maxAllocatedStorage)` must be an integer/);
        return;
      }
      const primary = primaryInstance(r.value.db);
      expect([String(primary.allocatedStorage), primary.storageType]).toEqual([String(allocated), 'gp3']);
    }), { numRuns: 25 });
  });

  test('backupRetention: accepted exactly from 1 to 35 whole days (the source of a read replica needs backups)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), (days) => {
      const r = outcome(() => build({ backupRetention: Duration.days(days) }));
      expect(r.ok).toBe(days >= 1 && days <= 35);
      if (!r.ok) expect(r.message).toMatch(/^`backupRetention` must be 1 to 35 days/);
      else expect(primaryInstance(r.value.db).backupRetentionPeriod).toBe(days);
    }), { numRuns: 15 });
  });
});
