import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { buildApp, estimatedConstructs } from '../../examples/app';
import {
  ApiAuthorization, ApiRecordMode, FailoverDns, GlobalSsrSite, MultiRegionApi, OutageSimulator, SimulatedFlow,
} from '../../src';

/*
 * Issue 12: a construct's recoveryEstimate may never be below what the outage simulator finds on its own assembly.
 * For every region of the assembly going down, every impacted flow must belong to a construct (by construct path)
 * whose estimate covers it:
 *   - a flow that recovers by itself at T s: the construct's RTO budget ≥ T;
 *   - a flow that needs a person: the construct's estimate counts the manual start as 0 s, so its budget ≥ the time
 *     from the person's step to recovery (`afterManualStepSeconds`), or the estimate says the RTO is unbounded;
 *   - a per-request penalty of P s: the construct's per-request penalty budget ≥ P.
 * A mismatch means the estimate or the simulator is wrong: find out which before changing either.
 */

const ACCOUNT = '111111111111';
const ZONE = { hostedZoneId: 'Z0EXAMPLE0000000000', zoneName: 'example.com' };
const saved = process.env.CDK_CONTEXT_JSON;
beforeAll(() => {
  // Construct paths in the templates (`aws:cdk:path`), as the CDK CLI writes them by default.
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:enable-path-metadata': true });
});
afterAll(() => {
  if (saved === undefined) delete process.env.CDK_CONTEXT_JSON;
  else process.env.CDK_CONTEXT_JSON = saved;
});

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'estimates-vs-sim-'));
}

interface Mismatch { readonly outage: string; readonly flow: string; readonly problem: string }

/** Every mismatch between the constructs' estimates and the simulation of each region's outage. */
function mismatches(app: App, dir: string): { checked: number; problems: Mismatch[] } {
  app.synth();
  const constructs = estimatedConstructs(app);
  const regions = [...new Set(app.node.findAll().filter(Stack.isStack).map((s) => (s as Stack).region))].sort();
  const simulator = OutageSimulator.fromAssembly(dir);
  const problems: Mismatch[] = [];
  let checked = 0;
  for (const outage of regions) {
    for (const flow of simulator.run({ outage }).flows.filter((f) => f.impacted)) {
      checked++;
      const bad = (problem: string) => problems.push({ outage, flow: flow.id, problem });
      const owner = constructs.find((c) => flow.constructPath === c.path || flow.constructPath?.startsWith(`${c.path}/`));
      if (!owner) {
        bad(`belongs to no construct with an estimate (path ${flow.constructPath})`);
        continue;
      }
      compare(owner.path, owner.recoveryEstimate, flow, bad);
    }
  }
  return { checked, problems };
}

function compare(owner: string, e: ReturnType<typeof estimatedConstructs>[number]['recoveryEstimate'], flow: SimulatedFlow, bad: (p: string) => void) {
  const budget = e.rtoBounded ? e.rto.toSeconds() : Infinity;
  if (flow.recoveredAtSeconds !== undefined) {
    if (flow.recoveredAtSeconds > budget) bad(`simulated ${flow.recoveredAtSeconds} s > ${owner}'s RTO budget ${budget} s`);
  } else if (flow.afterManualStepSeconds !== undefined) {
    if (flow.afterManualStepSeconds > budget) bad(`${flow.afterManualStepSeconds} s after the manual step > ${owner}'s RTO budget ${budget} s`);
  } else if (e.rtoBounded) {
    bad(`never recovers (${flow.blockedBy.map((b) => b.reason).join('; ')}), but ${owner}'s RTO budget is ${budget} s`);
  }
  if (flow.perRequestPenaltySeconds !== undefined) {
    const penalty = e.perRequestPenalty?.toSeconds() ?? 0;
    if (flow.perRequestPenaltySeconds > penalty) bad(`per-request penalty ${flow.perRequestPenaltySeconds} s > ${owner}'s ${penalty} s`);
  }
}

describe('recovery estimates are never below the simulated worst case', () => {
  test('the example app, us-east-1 and us-west-2 outages', () => {
    const dir = outdir();
    const { checked, problems } = mismatches(buildApp(dir), dir);
    expect(problems).toEqual([]);
    // us-east-1: dns www and api, cdn read, write and static, the Aurora writer, two global tables (8), and the data
    // tiers added since (GlobalCache, RdsCrossRegionReplica); us-west-2: the two global tables lose a replica (2).
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  test('MultiRegionApi in 3 regions (failover chain), every region down in turn', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], ...ZONE, recordName: 'api', authorization: ApiAuthorization.none(),
    });
    const { checked, problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  test('MultiRegionApi in alias mode (alias target TTL)', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], ...ZONE, recordName: 'api', authorization: ApiAuthorization.none(), recordMode: ApiRecordMode.ALIAS,
    });
    const { checked, problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(1);
  });

  test('FailoverDns with 30 s × 3 health checks and a 60 s TTL', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const stack = new Stack(app, 'Dns', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new FailoverDns(stack, 'Web', {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE),
      recordName: 'www',
      ttl: Duration.seconds(60),
      healthCheck: { interval: Duration.seconds(30), failureThreshold: 3 },
      endpoints: [
        { region: 'us-east-1', domainName: 'web-use1.us-east-1.elb.amazonaws.com' },
        { region: 'us-west-2', domainName: 'web-usw2.us-west-2.elb.amazonaws.com' },
      ],
    });
    const { checked, problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(1);
  });

  test('FailoverDns with alias endpoints and `aliasTargetTtl: 20 s`: the simulator counts the stated TTL, not 60 s', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const stack = new Stack(app, 'Dns', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const alias = (region: string) => ({
      region,
      target: route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: `web.${region}.elb.amazonaws.com`, hostedZoneId: 'Z35SXDOTRQ7X7K' }) }),
      healthCheck: { fqdn: `web.${region}.elb.amazonaws.com` },
      aliasTargetTtl: Duration.seconds(20),
    });
    const dns = new FailoverDns(stack, 'Web', {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE), recordName: 'www', endpoints: [alias('us-east-1'), alias('us-west-2')],
    });
    const { checked, problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(checked).toBe(1);
    // 10 s × 2 + 6 s probe timeout + 10 s propagation + 20 s stated alias target TTL = 56 s, in both.
    expect(dns.recoveryEstimate.rto.toSeconds()).toBe(56);
    const flow = OutageSimulator.fromAssembly(dir).run({ outage: 'us-east-1' }).flows.find((f) => f.id === 'dns:www.example.com');
    expect(flow?.recoveredAtSeconds).toBe(56);
  });

  test('GlobalSsrSite with its primary outside us-east-1 (the alarm path decides the write failover)', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new GlobalSsrSite(app, 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', ...ZONE,
    });
    const { checked, problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  test('GlobalSsrSite with writeFailover: false: writes never recover, and the estimate says the RTO is unbounded', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const site = new GlobalSsrSite(app, 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', ...ZONE, writeFailover: false,
    });
    const { problems } = mismatches(app, dir);
    expect(problems).toEqual([]);
    expect(site.recoveryEstimate.rtoBounded).toBe(false);
  });
});
