import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { auroraIn, dnsIn, PRIMARY, SECONDARY, setup } from './helpers';
import { OutageSimulator, SimulatedFlow } from '../../src/simulator';

/** The Aurora writer flow of the app's assembly when `PRIMARY` fails. */
function writerFlow(withTrigger: boolean): SimulatedFlow {
  const { app, plan } = setup();
  const aurora = auroraIn(app);
  plan.addStep(plan.auroraStep(aurora));
  if (withTrigger) {
    const metric = new cloudwatch.Metric({ namespace: 'App', metricName: 'PrimaryDown', period: Duration.minutes(1) });
    const alarm = new cloudwatch.Alarm(aurora.regionalResources(SECONDARY).stack, 'PrimaryDown', {
      alarmName: 'orders-primary-down', metric, threshold: 1, evaluationPeriods: 2,
    });
    plan.addTrigger({ alarms: [alarm], targetRegion: SECONDARY, minDelayBetweenExecutions: Duration.hours(1) });
  }
  app.synth();
  const flows = OutageSimulator.fromAssembly(app.outdir).run({ outage: PRIMARY }).flows;
  const flow = flows.find((f) => f.id.startsWith('database-writer:'));
  if (!flow) throw new Error(`no writer flow: ${flows.map((f) => f.id).join(', ')}`);
  return flow;
}

describe('RegionSwitchPlan and the outage simulator (src/simulator/db-arc.ts reads AWS::ARCRegionSwitch::Plan)', () => {
  test('without the trigger the writer never moves by itself', () => {
    expect(writerFlow(false).recoveredAtSeconds).toBeUndefined();
  });

  test('a triggered plan with the ungraceful failover moves the writer out of the failed Region by itself', () => {
    const flow = writerFlow(true);
    expect(flow.recoveredAtSeconds).toBeDefined();
    expect(flow.toRegion).toBe(SECONDARY);
  });
});

/** The DNS flow of api.example.com when `PRIMARY` fails, with the plan's health checks on the records or without a plan. */
function dnsFlow(withPlan: boolean): SimulatedFlow {
  const { app, plan } = setup({}, SECONDARY);
  const dns = dnsIn(app);
  plan.addStep(plan.failoverDnsStep(dns));
  if (withPlan) {
    dns.useRegionSwitchPlan(plan);
  }
  app.synth();
  // The endpoints' hosts say nothing of their Region: the simulator is told (`--endpoint-region`).
  const endpointRegions = Object.fromEntries([PRIMARY, SECONDARY].map((r) => [`${r}.origin.example.net`, r]));
  const flows = OutageSimulator.fromAssembly(app.outdir).run({ outage: PRIMARY, endpointRegions }).flows;
  const flow = flows.find((f) => f.id === 'dns:api.example.com');
  if (!flow) throw new Error(`no DNS flow: ${flows.map((f) => f.id).join(', ')}`);
  return flow;
}

describe('FailoverDns.useRegionSwitchPlan and the outage simulator (src/simulator/health.ts reads CALCULATED checks)', () => {
  test('nobody runs the plan: the record still fails over to the secondary by its endpoint check, as fast as without the plan', () => {
    const withPlan = dnsFlow(true);
    const without = dnsFlow(false);
    expect(withPlan.recoveredAtSeconds).toBeDefined();
    expect(withPlan.toRegion).toBe(SECONDARY);
    expect(withPlan.recoveredAtSeconds).toBe(without.recoveredAtSeconds);
  });
});
