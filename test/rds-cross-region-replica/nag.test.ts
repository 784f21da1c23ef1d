import { Stack } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { build, DNS } from './helpers';
import { RdsCrossRegionReplicaProps } from '../../src/rds-cross-region-replica';
import { nagErrors } from '../util/nag';

describe('RdsCrossRegionReplica cdk-nag', () => {
  test.each([
    ['PostgreSQL, 2 replicas, writer DNS name', { writerDnsRecord: DNS }, 3],
    ['PostgreSQL, 1 replica, writer DNS name', { writerDnsRecord: DNS }, 2],
    ['MySQL, single-AZ replica', { engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_42 }), replicaMultiAz: false }, 2],
  ])('%s: no unsuppressed AwsSolutions errors in any stack', (_name, props, n) => {
    const { db } = build(props as Partial<RdsCrossRegionReplicaProps>, n as number);
    const stacks: Stack[] = db.writerStack ? [...db.stacks, db.writerStack] : db.stacks;
    for (const stack of stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });

  test('every suppression is narrow: one rule per entry, IAM5 only with appliesTo, and each names why that resource is safe', () => {
    const { app } = build({ writerDnsRecord: DNS }, 3);
    const assembly = app.synth();
    const found: string[] = [];
    for (const stack of assembly.stacks) {
      for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources)) {
        for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
          expect(rule.reason.length).toBeGreaterThan(40);
          if (rule.id === 'AwsSolutions-IAM5' || rule.id === 'AwsSolutions-IAM4') {
            expect(rule.applies_to?.length).toBeGreaterThan(0);
          }
          found.push(`${logicalId.replace(/[0-9A-F]{8}$/, '')} ${rule.id}`);
        }
      }
    }
    // No stack-wide suppression.
    expect(assembly.stacks.every((s) => s.template.Metadata?.cdk_nag === undefined)).toBe(true);
    expect([...new Set(found)].sort()).toEqual([
      'AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-L1',
      'AWS679f53fac002430cb0da5b7982bd2287ServiceRole AwsSolutions-IAM4',
      'Instance AwsSolutions-RDS11',
      'Instance AwsSolutions-RDS2',
      'PromoterHandler AwsSolutions-L1',
      'PromoterHandlerRoleDefaultPolicy AwsSolutions-IAM5',
      'PromoterStateMachineRoleDefaultPolicy AwsSolutions-IAM5',
      'Secret AwsSolutions-SMG4',
      'SecretReplicaArnCustomResourcePolicy AwsSolutions-IAM5',
    ]);
  });
});
