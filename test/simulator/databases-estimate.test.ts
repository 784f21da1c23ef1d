import { App, Duration } from 'aws-cdk-lib';
import { AuroraGlobalFailover, AuroraGlobalFailoverProps } from '../../src';
import { simulateStacks } from '../../src/simulator/simulate';

/**
 * The simulator on the templates AuroraGlobalFailover synthesizes, against the construct's own recoveryEstimate: the
 * estimate's budget must never be below the simulated worst case.
 */
function synth(props: Partial<AuroraGlobalFailoverProps>) {
  const app = new App();
  const db = new AuroraGlobalFailover(app, 'Db', {
    account: '111111111111',
    regions: ['us-east-1', 'us-west-2'],
    globalClusterIdentifier: 'orders',
    ...props,
  });
  const assembly = app.synth();
  const stacks = assembly.stacks.map((s) => ({
    artifactId: s.id,
    stackName: s.stackName,
    displayName: s.displayName,
    region: s.environment.region,
    account: s.environment.account,
    template: s.template,
  }));
  return { db, stacks };
}

describe('AuroraGlobalFailover: simulation vs recoveryEstimate', () => {
  test('manual (the example app\'s configuration): after the start, exactly the budget', () => {
    const { db, stacks } = synth({ writerDnsRecord: { hostedZoneId: 'Z0EXAMPLE0000000000', recordName: 'writer.db.example.com' } });
    const f = simulateStacks(stacks, { outage: 'us-east-1' }).flows.find((x) => x.kind === 'database-writer' && x.name.startsWith('Aurora'))!;
    // 10 s + 300 s + 15 s + 5 s = 330 s = the 5 min 30 s budget
    expect(f.recoveredAtSeconds).toBeUndefined();
    expect(f.afterManualStepSeconds).toBe(330);
    expect(f.afterManualStepSeconds).toBeLessThanOrEqual(db.recoveryEstimate.rto.toSeconds());
    expect(f.blockedBy.map((b) => b.resource)).toEqual([expect.stringMatching(/^orders-db-us-west-2\/OrchestratorStateMachine/)]);
    expect(f.timeline.map((e) => e.event)).toContain(
      'writer.db.example.com. CNAME → global writer endpoint (TTL 30 s): the record never changes (Aurora moves the endpoint), Route 53 keeps answering it from its data plane');
  });

  test('automatic failover, 3 regions, managed RPO: worst case equals the budget, typical the typical figure', () => {
    const { db, stacks } = synth({
      regions: ['us-east-1', 'us-west-2', 'us-east-2'],
      managedRpo: Duration.seconds(20),
      autoFailover: { targetRegion: 'us-west-2', primaryHealthAlarmArn: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:primary-canary', evaluationPeriods: 3 },
    });
    const f = simulateStacks(stacks, { outage: 'us-east-1' }).flows.find((x) => x.kind === 'database-writer' && x.name.startsWith('Aurora'))!;
    // 3 × 60 s detection + 10 s + 300 s + 15 s + 5 s = 510 s (budget 8 min 30 s); typical 180 + 10 + 120 + 15 + 5 = 330 s
    expect(f).toMatchObject({ toRegion: 'us-west-2', recoveredAtSeconds: 510, typicalSeconds: 330, blockedBy: [] });
    expect(f.recoveredAtSeconds).toBeLessThanOrEqual(db.recoveryEstimate.rto.toSeconds());
    expect(f.typicalSeconds).toBeLessThanOrEqual(db.recoveryEstimate.typicalRto.toSeconds());
    expect(f.timeline[0].event).toContain('bounded by managed RPO: at most 20 s');
  });

  test('two regions with managed RPO: losing the secondary blocks commits on the primary', () => {
    const { stacks } = synth({ managedRpo: Duration.seconds(20) });
    const f = simulateStacks(stacks, { outage: 'us-west-2' }).flows.find((x) => x.kind === 'database-writer' && x.name.startsWith('Aurora'))!;
    expect(f).toMatchObject({ impacted: true, toRegion: 'us-east-1' });
    expect(f.blockedBy[0].reason).toContain('commits block while no secondary is within 20 s');
  });
});
